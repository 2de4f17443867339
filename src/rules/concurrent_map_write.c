/* rules/concurrent_map_write: GD602. A map shared with a goroutine that
 * one side writes (m[k] = v, m[k]++, delete) while the other reads or
 * writes it with no lock at both places and no join in between: the
 * goroutines a loop starts filling one map, a goroutine and the code after
 * its go statement, two goroutines of one function. The runtime detects
 * it and aborts the whole program.
 * How: racelib (map accesses, joins on the spawner's CFG, locks held). */
#include "racelib.h"

#define FATAL_WW "the runtime aborts with \"fatal error: concurrent map writes\", which recover cannot catch"
#define FATAL_RW "the runtime aborts with \"fatal error: concurrent map read and map write\", which recover cannot catch"

static void visit(struct rule_ctx *ctx, nid n)
{
    struct race rs[16];
    int nr = race_find(ctx, n, RACE_MAP, rs, 16);
    const struct gofile *f = ctx->f;
    uint32_t go_line = f->nodes[n].line;
    for (int i = 0; i < nr; i++) {
        const struct race *r = &rs[i];
        enum confidence conf = r->low ? CONF_LOW : CONF_HIGH;
        struct finding *fd = NULL;
        const struct gofile *tf = &ctx->pkg->files[r->there_fi];
        uint32_t there_line = r->there ? tf->nodes[r->there].line : 0;
        const char *in = r->via ? arena_printf(&ctx->pkg->arena, " (inside %s)", r->via_func) : "";
        const char *fatal = r->here_write && r->there_write ? FATAL_WW : FATAL_RW;
        switch (r->side) {
        case RS_SPAWNER:
            if (r->there_write)
                fd = rule_report_conf(ctx, r->here, conf,
                                      "map %s is written by the goroutine started at line %u (line %u) and %s here%s "
                                      "by the spawner after the spawn, with no lock or join in between: %s",
                                      r->name, go_line, there_line, r->here_write ? "written" : "read", in, fatal);
            else
                fd = rule_report_conf(ctx, r->here, conf,
                                      "map %s is written here%s by the spawner after starting the goroutine at line %u, "
                                      "which reads it (line %u), with no lock or join in between: %s",
                                      r->name, in, go_line, there_line, fatal);
            rule_related_in(ctx, fd, r->there_fi, r->there, "the goroutine %s map %s here",
                            r->there_write ? "writes" : "reads", r->name);
            break;
        case RS_SELF:
            fd = rule_report_conf(ctx, r->here, conf,
                                  "map %s is written by every goroutine the loop starts at line %u, with no lock: %s",
                                  r->name, go_line, FATAL_WW);
            break;
        case RS_OTHER:
            fd = rule_report_conf(ctx, r->here, conf,
                                  "map %s is written by the goroutine started at line %u (line %u) and %s here by the "
                                  "goroutine started at line %u, with no lock at both places: %s",
                                  r->name, go_line, there_line, r->here_write ? "written" : "read",
                                  f->nodes[r->go_here].line, fatal);
            rule_related_in(ctx, fd, r->there_fi, r->there, "the other goroutine writes map %s here", r->name);
            break;
        }
        if (r->via)
            rule_related_in(ctx, fd, r->via_fi, r->via, "the spawner %s %s%s here, inside %s (called at line %u)",
                            r->here_write ? "writes" : "reads", "map ", r->name, r->via_func, f->nodes[r->here].line);
        rule_related(ctx, fd, n, "the goroutine is started here");
        fd->fix = xasprintf("guard every access to map %s with one mutex, use sync.Map, or have each goroutine "
                            "send its result on a channel and fill the map in one goroutine",
                            r->name);
    }
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
           "and for maps each goroutine makes for itself.",
    .bad = "package p\n\nimport \"sync\"\n\nfunc sizes(names []string, size func(string) int) map[string]int {\n"
           "\tres := make(map[string]int)\n\tvar wg sync.WaitGroup\n\tfor _, n := range names {\n\t\twg.Add(1)\n"
           "\t\tgo func(n string) {\n\t\t\tdefer wg.Done()\n\t\t\tres[n] = size(n)\n\t\t}(n)\n\t}\n\twg.Wait()\n"
           "\treturn res\n}\n",
    .good = "package p\n\nimport \"sync\"\n\nfunc sizes(names []string, size func(string) int) map[string]int {\n"
            "\tres := make(map[string]int)\n\tvar mu sync.Mutex\n\tvar wg sync.WaitGroup\n\tfor _, n := range names {\n"
            "\t\twg.Add(1)\n\t\tgo func(n string) {\n\t\t\tdefer wg.Done()\n\t\t\ts := size(n)\n\t\t\tmu.Lock()\n"
            "\t\t\tres[n] = s\n\t\t\tmu.Unlock()\n\t\t}(n)\n\t}\n\twg.Wait()\n\treturn res\n}\n",
    .fix_safety = NULL,
    .kinds = {N_GO_STATEMENT},
    .visit = visit,
};
