/* rules/unsynchronized_write: GD601. A variable shared with a goroutine
 * (captured by its func literal, or a package variable) that one side
 * writes while the other reads or writes it, with no lock held at both
 * places and no join in between: the goroutine and the code after the go
 * statement, two goroutines of one function, or the goroutines one go
 * statement starts in a loop.
 * How: racelib (accesses, joins on the spawner's CFG, model_locks_held_at). */
#include "racelib.h"

static const char *verb(bool write) { return write ? "written" : "read"; }

static void visit(struct rule_ctx *ctx, nid n)
{
    struct race rs[16];
    int nr = race_find(ctx, n, RACE_VAR, rs, 16);
    const struct gofile *f = ctx->f;
    uint32_t go_line = f->nodes[n].line;
    for (int i = 0; i < nr; i++) {
        const struct race *r = &rs[i];
        enum confidence conf = r->low ? CONF_LOW : CONF_HIGH;
        struct finding *fd = NULL;
        const struct gofile *tf = &ctx->pkg->files[r->there_fi];
        uint32_t there_line = r->there ? tf->nodes[r->there].line : 0;
        const char *in = r->via ? arena_printf(&ctx->pkg->arena, " (inside %s)", r->via_func) : "";
        switch (r->side) {
        case RS_SPAWNER:
            if (r->there_write)
                fd = rule_report_conf(ctx, r->here, conf,
                                      "%s is written by the goroutine started at line %u (line %u) and %s here%s by "
                                      "the spawner after the spawn, with no lock or join in between: a data race",
                                      r->name, go_line, there_line, verb(r->here_write), in);
            else
                fd = rule_report_conf(ctx, r->here, conf,
                                      "%s is written here%s by the spawner after starting the goroutine at line %u, "
                                      "which reads it (line %u), with no lock or join in between: a data race",
                                      r->name, in, go_line, there_line);
            rule_related_in(ctx, fd, r->there_fi, r->there, "the goroutine %s %s here", r->there_write ? "writes" : "reads",
                            r->name);
            break;
        case RS_SELF:
            fd = rule_report_conf(ctx, r->here, conf,
                                  "%s is written by every goroutine the loop starts at line %u, with no lock: the "
                                  "goroutines' writes race with each other (updates are lost, the final value is "
                                  "whichever wrote last)",
                                  r->name, go_line);
            break;
        case RS_OTHER:
            fd = rule_report_conf(ctx, r->here, conf,
                                  "%s is written by the goroutine started at line %u (line %u) and %s here by the "
                                  "goroutine started at line %u, with no lock at both places: a data race",
                                  r->name, go_line, there_line, verb(r->here_write), f->nodes[r->go_here].line);
            rule_related_in(ctx, fd, r->there_fi, r->there, "the other goroutine writes %s here", r->name);
            break;
        }
        if (r->via)
            rule_related_in(ctx, fd, r->via_fi, r->via, "the spawner %s %s%s here, inside %s (called at line %u)",
                            r->here_write ? "writes" : "reads", "", r->name, r->via_func, f->nodes[r->here].line);
        rule_related(ctx, fd, n, "the goroutine is started here");
        fd->fix = xasprintf("guard every access to %s with the same mutex, use sync/atomic, or have the goroutine "
                            "send its result on a channel and read it after receiving",
                            r->name);
    }
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
           "statement starts in a loop. It stays silent when both places hold a lock, when the variable is used "
           "with sync/atomic, for values passed as arguments, and for slice elements (goroutines filling `res[i]` "
           "each touch their own). When the goroutine only reaches its access after receiving, sending or "
           "waiting, the spawner may be synchronised with it: low confidence.",
    .bad = "package p\n\nimport \"sync\"\n\nfunc count(items []string) int {\n\tvar wg sync.WaitGroup\n\tn := 0\n"
           "\tfor _, it := range items {\n\t\twg.Add(1)\n\t\tgo func(it string) {\n\t\t\tdefer wg.Done()\n"
           "\t\t\tif it != \"\" {\n\t\t\t\tn++\n\t\t\t}\n\t\t}(it)\n\t}\n\twg.Wait()\n\treturn n\n}\n",
    .good = "package p\n\nimport \"sync\"\n\nfunc count(items []string) int {\n\tvar wg sync.WaitGroup\n"
            "\tvar mu sync.Mutex\n\tn := 0\n\tfor _, it := range items {\n\t\twg.Add(1)\n\t\tgo func(it string) {\n"
            "\t\t\tdefer wg.Done()\n\t\t\tif it != \"\" {\n\t\t\t\tmu.Lock()\n\t\t\t\tn++\n\t\t\t\tmu.Unlock()\n"
            "\t\t\t}\n\t\t}(it)\n\t}\n\twg.Wait()\n\treturn n\n}\n",
    .fix_safety = NULL,
    .kinds = {N_GO_STATEMENT},
    .visit = visit,
};
