/* rules/unsynchronized_write: GD601. A variable shared with a goroutine
 * (captured by its func literal, or a package variable) that one side
 * writes while the other reads or writes it, with no lock held at both
 * places and no join in between: the goroutine and the code after the go
 * statement, two goroutines of one function, or the goroutines one go
 * statement starts in a loop.
 * How: racelib (accesses, joins on the spawner's CFG, model_locks_held_at). */
#include "racelib.h"

static const struct race_words words = {
    .noun = "",
    .ww = "a data race",
    .rw = "a data race",
    .self = "the goroutines' writes race with each other (updates are lost, the final value is whichever wrote last)",
    .fix_tail = "the same mutex, use sync/atomic, or have the goroutine send its result on a channel and read it after "
                "receiving",
};

static void visit(struct rule_ctx *ctx, nid n)
{
    enum node_kind k = ast_kind(ctx->f, n);
    if (k == N_SOURCE_FILE) {
        race_report_fields(ctx, RACE_VAR);
        race_report_hook_writes(ctx);
    }
    else if (k == N_FUNC_LITERAL) race_report_returned_handler(ctx, n);
    else if (k == N_IF_STATEMENT) race_report_lazy_init(ctx, n);
    else if (k == N_GO_STATEMENT || race_is_spawn_call(ctx, n)) race_report(ctx, n, RACE_VAR, &words);
}

const struct rule rule_unsynchronized_write = {
    .id = "GD601",
    .name = "unsynchronized-write",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A variable shared with a goroutine is written on one side and used on the other with no lock or join.",
    .why = "A goroutine runs at the same time as the code after its go statement. When one of them writes a "
           "variable the other reads or writes, with no mutex held at both places and no join (WaitGroup.Wait, "
           "a receive from a channel the goroutine sends on or closes, errgroup's Wait) in between, the program "
           "has a data race: counters lose increments, an error or result is read half-written or before it is "
           "set, a flag is never seen. The race detector only finds it when a test runs both sides at once. "
           "godark looks at variables a `go func(){...}()` captures and package variables, written (`=`, `+=`, "
           "`++`, a field) by the goroutine and used by the spawning function after the go statement on a path "
           "with no join, by another goroutine of the same function, or by the other goroutines the same go "
           "statement starts in a loop. A request handler (a func literal taking a context.Context, or an "
           "http.ResponseWriter and *http.Request) that the function making it returns, and that writes a "
           "variable of that function with no lock, shares the variable among all its concurrent calls (low "
           "confidence: `td, err = process(ctx, td)` on the maker's own err). Entry points callers run "
           "concurrently, low confidence too: a package variable initialised lazily (`if v == nil { v = ... "
           "}`) with no lock or sync.Once in a function that exported API reaches (two first calls race on "
           "it), and a field written with no lock by an observer callback method (`On...`, run by whatever "
           "goroutine notifies it) while an exported method taking a context.Context (a request handler) "
           "reads it with no lock (`s.cfg.host` reads the pointer s.cfg). A func literal handed to errgroup's or sync.WaitGroup's `Go`, or to a "
           "function of the package that runs its func parameter in a new goroutine (a worker pool's `Run(n, "
           "do)`: several at once when it starts them in a loop that does not receive each result first; "
           "joined when it waits for them), counts as a goroutine body too, and so do the local closures it "
           "calls (`record := func(){ n++ }`). Writes under `if n == 1`, n the bound of the spawning loop "
           "`for i := 0; i < n; i++`, run in one goroutine. It stays silent when both places hold a lock, when the variable is used "
           "with sync/atomic, for values passed as arguments, and for slice elements (goroutines filling `res[i]` "
           "each touch their own). When the goroutine only reaches its access after receiving, sending or "
           "waiting, the spawner may be synchronised with it: low confidence. Low too when the spawner first "
           "makes a blocking call on an object made from the same local as one the goroutine uses (a query "
           "to a server the goroutine changes returns after the change) or hands a call the context whose "
           "cancel func the goroutine calls (the call returns because of the cancel), and when the loop's goroutines "
           "write behind a gate they share (`if limiter.Allow() {...}`, a CompareAndSwap). Goroutines of a loop "
           "writing in `switch v { case A: x.a = n; case B: x.b = n }`, v their own copy (declared in the loop's "
           "body or a parameter of the literal) and no two cases writing the same path, each write their own "
           "field: silent. A spawner's use on the right of `ready && ...` or inside `if ready {...}`, ready a "
           "local declared false and set only where a join leads (`case ok := <-done: ready = ok` beside a "
           "timeout case), runs only after the join: silent. Rebinding x "
           "after `go x.m()` is no race: the goroutine holds the old pointer. A join inside `if load {...}` "
           "counts for a goroutine started inside an earlier `if load {...}` when load is never reassigned "
           "(the path that skips it cannot happen), and a go statement under `if k == x` in a range over a "
           "map or slice, k the key, starts one goroutine, not one per iteration; under `if v.ID == x`, "
           "v the range's value, the goroutines' race with each other is low (the element of that identity, "
           "usually one). The handlers a test's fake "
           "server starts per accepted connection (a loop calling Accept() in a _test.go file) racing with "
           "each other are low: the test usually dials once. Across methods (low confidence unless said otherwise): a "
           "field of an object whose goroutine was started on it (`go s.loop()`, `go every(d, s.sample)` with a "
           "helper that calls its func parameter, or a go literal in one of its methods, or in the constructor "
           "that makes it; the goroutine's access may be two calls down) "
           "that the goroutine accesses, while another method, through its receiver, writes it (or "
           "reads it, when the goroutine writes) with no lock of the same class held at both places (a "
           "function's own locks, or the ones every caller holds when it takes none) and can run meanwhile: "
           "the function that started the goroutine, or a caller of it, goes on to that method without "
           "waiting first; or the method is exported API of an exported type and either locks elsewhere in "
           "its body or runs against a goroutine that holds a lock at its access. Medium confidence when the "
           "goroutine is started by the constructor that makes the object (`r := &Router{...}; go r.readLoop(); "
           "return r`) and the write is in an exported pointer-receiver method of the exported type: every "
           "method called on what the constructor returns runs while the goroutine does; low again when the "
           "package shows the method runs before or apart from the goroutine: it is named ...ForTest(ing), or "
           "it writes and its name appears in the package's non-test code only in calls the constructor makes "
           "before its go statement, or only in tests (a method nothing in the package uses at all is API that "
           "other packages call while the goroutine runs: medium). Not "
           "judged: constructors "
           "(a function that makes the type, New...), writes before the go statement, in sync.Once.Do, in "
           "functions named ...Locked, pairs that both reach a map field's contents (GD602's), pairs a channel field orders (the method sends on it or closes it after "
           "its write, the goroutine receives from it before its read, or the other way round), accesses of a "
           "field's own fields (`d.mu.x`), fields of sync, atomic "
           "and channel types and fields whose address is taken. In test files a goroutine's race on the "
           "test's own variables is low confidence: `go test -race` runs that code, and on modules godark "
           "had not been tuned on only 3 of 18 such findings held.",
    .bad = "package p\n\nimport \"sync\"\n\nfunc count(items []string) int {\n\tvar wg sync.WaitGroup\n\tn := 0\n"
           "\tfor _, it := range items {\n\t\twg.Add(1)\n\t\tgo func(it string) {\n\t\t\tdefer wg.Done()\n"
           "\t\t\tif it != \"\" {\n\t\t\t\tn++\n\t\t\t}\n\t\t}(it)\n\t}\n\twg.Wait()\n\treturn n\n}\n",
    .good = "package p\n\nimport \"sync\"\n\nfunc count(items []string) int {\n\tvar wg sync.WaitGroup\n"
            "\tvar mu sync.Mutex\n\tn := 0\n\tfor _, it := range items {\n\t\twg.Add(1)\n\t\tgo func(it string) {\n"
            "\t\t\tdefer wg.Done()\n\t\t\tif it != \"\" {\n\t\t\t\tmu.Lock()\n\t\t\t\tn++\n\t\t\t\tmu.Unlock()\n"
            "\t\t\t}\n\t\t}(it)\n\t}\n\twg.Wait()\n\treturn n\n}\n",
    .fix_safety = NULL,
    .kinds = {N_GO_STATEMENT, N_CALL_EXPRESSION, N_SOURCE_FILE, N_FUNC_LITERAL, N_IF_STATEMENT},
    .visit = visit,
};
