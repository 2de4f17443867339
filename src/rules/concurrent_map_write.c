/* rules/concurrent_map_write: GD602. A map shared with a goroutine that
 * one side writes (m[k] = v, m[k]++, delete) while the other reads or
 * writes it with no lock at both places and no join in between: the
 * goroutines a loop starts filling one map, a goroutine and the code after
 * its go statement, two goroutines of one function. The runtime detects
 * it and aborts the whole program.
 * How: racelib (map accesses, joins on the spawner's CFG, locks held). */
#include "racelib.h"

static const struct race_words words = {
    .noun = "map ",
    .ww = "the runtime aborts with \"fatal error: concurrent map writes\", which recover cannot catch",
    .rw = "the runtime aborts with \"fatal error: concurrent map read and map write\", which recover cannot catch",
    .self = "the runtime aborts with \"fatal error: concurrent map writes\", which recover cannot catch",
    .fix_tail = "one mutex, use sync.Map, or have each goroutine send its result on a channel and fill the map in one "
                "goroutine",
};

static void visit(struct rule_ctx *ctx, nid n)
{
    enum node_kind k = ast_kind(ctx->f, n);
    if (k == N_SOURCE_FILE) {
        race_report_fields(ctx, RACE_MAP);
        race_report_api_maps(ctx);
    }
    else if (k == N_GO_STATEMENT || race_is_spawn_call(ctx, n)) race_report(ctx, n, RACE_MAP, &words);
}

const struct rule rule_concurrent_map_write = {
    .id = "GD602",
    .name = "concurrent-map-write",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "A map is written by a goroutine while another goroutine reads or writes it, with no lock: a fatal error.",
    .why = "Go maps are not safe for concurrent use. When one goroutine writes a map (`m[k] = v`, `m[k]++`, "
           "`delete(m, k)`) while another reads or writes it, the runtime usually notices and stops the whole "
           "program with \"fatal error: concurrent map writes\" or \"concurrent map read and map write\". That is "
           "not a panic: recover cannot catch it, and one request handler's race takes the server down. The "
           "common shape is a result map filled by goroutines started in a loop. godark reports map writes "
           "through a variable a `go func(){...}()` captures (or a package variable) when the goroutines one "
           "go statement starts in a loop write it, when the spawning function uses the map after the go "
           "statement with no join (WaitGroup.Wait, a receive from the goroutine) in between, or when another "
           "goroutine of the same function uses it; it stays silent when both places hold a lock, for sync.Map, "
           "and for maps each goroutine makes for itself. A func literal handed to errgroup's or "
           "sync.WaitGroup's `Go`, or to a function of the package that runs its func parameter in a new "
           "goroutine (a worker pool's `Run(n, do)`, a `forEachShard(f)` that starts one per shard), counts as "
           "a goroutine body too; the literal's calls of local closures (`record := func(){...}`) are "
           "followed. Across methods, as GD601 judges fields (its \"Across methods\" part: a goroutine started "
           "on the object, another method that can run meanwhile, medium when the constructor started it): "
           "the pairs where both sides reach the map's contents (`m.routes[id] = ch` against "
           "`m.routes[b]`). Across exported methods (low confidence): a map field of a type with a mutex, written with "
           "no lock by an exported method, while an exported method that locks the mutex elsewhere (so its "
           "callers run it from several goroutines) reads it with no lock, itself or within two calls "
           "(`OnDelete` appends a hook that `Delete` runs after its unlock). The handlers a test's fake server starts per "
           "accepted connection (a loop calling Accept() in a _test.go file) give low confidence: the test "
           "decides how many clients dial, usually one. A go statement under `if k == x` in a range, k the key, "
           "starts one goroutine (silent); under `if v.ID == x`, v the range's value and x the same every "
           "iteration, it serves the element of that identity, usually one: its goroutines' race with each "
           "other is low (a race with the loop's other goroutines stays).",
    .bad = "package p\n\nimport \"sync\"\n\nfunc sizes(names []string, size func(string) int) map[string]int {\n"
           "\tres := make(map[string]int)\n\tvar wg sync.WaitGroup\n\tfor _, n := range names {\n\t\twg.Add(1)\n"
           "\t\tgo func(n string) {\n\t\t\tdefer wg.Done()\n\t\t\tres[n] = size(n)\n\t\t}(n)\n\t}\n\twg.Wait()\n"
           "\treturn res\n}\n",
    .good = "package p\n\nimport \"sync\"\n\nfunc sizes(names []string, size func(string) int) map[string]int {\n"
            "\tres := make(map[string]int)\n\tvar mu sync.Mutex\n\tvar wg sync.WaitGroup\n\tfor _, n := range names {\n"
            "\t\twg.Add(1)\n\t\tgo func(n string) {\n\t\t\tdefer wg.Done()\n\t\t\ts := size(n)\n\t\t\tmu.Lock()\n"
            "\t\t\tres[n] = s\n\t\t\tmu.Unlock()\n\t\t}(n)\n\t}\n\twg.Wait()\n\treturn res\n}\n",
    .fix_safety = NULL,
    .kinds = {N_GO_STATEMENT, N_CALL_EXPRESSION, N_SOURCE_FILE},
    .visit = visit,
};
