/* rules/waitgroup_wait_in_spawn_loop: GD308. `wg.Wait()` inside the loop
 * that starts the goroutine it counts, right after the go statement:
 * each iteration waits for the goroutine it just started, so the
 * goroutines run one at a time and the loop is as slow as a plain one (and
 * a goroutine that needs a later iteration's work deadlocks).
 * How: visits X.Wait() on a sync.WaitGroup (wglib) that is a statement of
 * a for loop's body itself (not under an if: a batch flush); the same body
 * holds exactly one go statement whose goroutine may call Done on the
 * group, before the Wait, and nothing between the two calls anything or
 * touches a channel (the spawner does no work of its own meanwhile). */
#include "wglib.h"

/* Does subtree n call anything or operate on a channel, other than Adds on
 * wg? */
static bool does_work(struct pkg *p, int fi, nid n, nid wg)
{
    const struct gofile *f = &p->files[fi];
    for (nid k = n; k < f->nodes[n].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_SEND_STATEMENT || (kk == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW)) return true;
        if (kk == N_CALL_EXPRESSION && !wg_call_on(p, fi, k, wg, WG_ADD)) return true;
    }
    return false;
}

static void visit(struct rule_ctx *ctx, nid call)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    nid wg;
    nid fn = wg_call_in_func(p, ctx->fi, call, WG_WAIT, &wg);
    if (!fn) return;
    nid st = ast_parent(f, call);
    nid loop = rl_enclosing_loop(f, call);
    if (!loop || ast_kind(f, st) != N_EXPRESSION_STATEMENT) return;
    nid body = rl_for_body(f, loop);
    nid list = ast_parent(f, st);
    if (list != body && ast_parent(f, list) != body) return; /* under an if or a case: a batch flush */
    nid go = 0, go_st = 0;
    int ngo = 0;
    for (nid s = rl_first_stmt(f, list); s; s = ast_next(f, s)) {
        for (nid k = s; k < f->nodes[s].end; k++) {
            if (ast_kind(f, k) != N_GO_STATEMENT || rl_enclosing_loop(f, k) != loop) continue;
            if (!wg_calls_in(p, ctx->fi, k, wg, WG_DONE, true)) continue;
            ngo++;
            if (s < st) go = k, go_st = s;
        }
    }
    /* fan-out of a few per iteration runs them side by side */
    if (ngo != 1 || !go) return;
    for (nid s = ast_next(f, go_st); s && s != st; s = ast_next(f, s))
        if (does_work(p, ctx->fi, s, wg)) return;
    if (go_st != go && ast_kind(f, go_st) != N_GO_STATEMENT) return; /* started under an if: not every pass */
    struct str x = ast_text(f, wg);
    if (x.n > 40) x.n = 40;
    /* a group made afresh in each pass, or a test: the goroutine is there
     * on purpose (a fresh stack for Goexit or recover, a benchmark of the
     * spawn itself) */
    nid root = rl_path_root(f, wg), dn = 0, nm = 0;
    bool fresh = root && model_resolve_local(p, ctx->fi, root, &dn, &nm) && ast_contains(f, loop, nm);
    enum confidence conf = fresh || rl_is_test_file(f) ? CONF_LOW : CONF_HIGH;
    struct finding *fd =
        rule_report_conf(ctx, call, conf,
                    "%.*s.Wait in the loop that starts the goroutine it waits for: each pass waits for the goroutine "
                    "it just started, so the goroutines run one at a time",
                    (int)x.n, x.p);
    if (!fd) return;
    rule_related(ctx, fd, go, "the goroutine is started here");
    fd->fix = xasprintf("move %.*s.Wait() after the loop, or call the function directly if the work must be serial",
                        (int)x.n, x.p);
}

const struct rule rule_waitgroup_wait_in_spawn_loop = {
    .id = "GD308",
    .name = "waitgroup-wait-in-spawn-loop",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "wg.Wait inside the loop that starts the goroutine it waits for: the goroutines run one at a time.",
    .why = "A loop that does `wg.Add(1); go work(x); wg.Wait()` in every pass waits for each goroutine before it "
           "starts the next: the work is as serial as a plain call, plus a goroutine per item. When the "
           "goroutine needs something only a later pass provides (a value the loop sends next, a lock the "
           "loop takes), it deadlocks. The Wait belongs after the loop, so that all goroutines run side by "
           "side; or, if the work must be serial, the goroutine is not needed. godark reports a Wait that is a "
           "statement of the loop body itself (a Wait under an `if`, such as a flush every N items, is batching "
           "and stays silent), when the same body starts exactly one goroutine that may call Done on the group, "
           "before the Wait, and the statements between them call nothing and touch no channel (a spawner "
           "that works alongside its goroutine is silent).",
    .bad = "package fetch\n\nimport \"sync\"\n\n"
           "func FetchAll(urls []string, get func(string) string) []string {\n\tout := make([]string, len(urls))\n"
           "\tvar wg sync.WaitGroup\n\tfor i, u := range urls {\n\t\twg.Add(1)\n\t\tgo func(i int, u string) {\n"
           "\t\t\tdefer wg.Done()\n\t\t\tout[i] = get(u)\n\t\t}(i, u)\n\t\twg.Wait()\n\t}\n\treturn out\n}\n",
    .good = "package fetch\n\nimport \"sync\"\n\n"
            "func FetchAll(urls []string, get func(string) string) []string {\n\tout := make([]string, len(urls))\n"
            "\tvar wg sync.WaitGroup\n\tfor i, u := range urls {\n\t\twg.Add(1)\n\t\tgo func(i int, u string) {\n"
            "\t\t\tdefer wg.Done()\n\t\t\tout[i] = get(u)\n\t\t}(i, u)\n\t}\n\twg.Wait()\n\treturn out\n}\n",
    .fix_safety = NULL,
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
