/* rules/waitgroup_wait_in_counted_goroutine: GD304. wg.Wait() called by a
 * goroutine (or function) that is itself counted by wg: it calls wg.Done
 * after the Wait (deferred, or later on the path), so the counter cannot
 * reach zero while it waits — Wait never returns.
 * Visits `X.Wait()` calls on a sync.WaitGroup; on the enclosing function's
 * CFG, checks that some path reaches the Wait without a Done of the group
 * and that a Done is still pending there (a registered deferred Done, or a
 * Done on every path from the Wait to the exit). */
#include <stdlib.h>
#include <string.h>

#include "wglib.h"

struct stop_ud {
    struct wg_group g;
    bool deferred; /* stop at defer statements that Done the group (else at direct Dones) */
};

static bool stop_at(void *ud, nid ev)
{
    struct stop_ud *s = ud;
    bool is_defer = ast_kind(&s->g.p->files[s->g.fi], ev) == N_DEFER_STATEMENT;
    if (is_defer != s->deferred) return false;
    return wg_calls_in(s->g.p, s->g.fi, ev, s->g.wg, WG_DONE, !s->deferred);
}

/* Is event index e of block b reached from ENTRY on a path that avoids the
 * stop events (out filled by cfg_reach_avoiding from ENTRY)? */
static bool reached(const struct cfg *g, const uint8_t *out, int b, int e, struct stop_ud *ud)
{
    if (b != g->entry && !(out[b] & CFG_REACH_ENTERED)) return false;
    for (int i = 0; i < e; i++)
        if (stop_at(ud, g->blocks[b].events[i])) return false;
    return true;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    struct pkg *p = ctx->pkg;
    nid wg = 0, fn = wg_call_in_func(p, ctx->fi, n, WG_WAIT, &wg);
    if (!fn) return;
    /* the group must come from outside: captured, a pointer parameter or
     * receiver, or package-level */
    nid root = rl_path_root(f, wg), dd, nm;
    if (model_resolve_local(p, ctx->fi, root, &dd, &nm) && ast_contains(f, fn, nm)) {
        if (model_param_index(p, ctx->fi, fn, root) == -1) return;
        struct ltype *t = model_type_of(p, ctx->fi, root);
        if (!t || t->kind != LT_POINTER) return;
    }
    /* Done sites of the group in this function */
    nid body = ast_child(f, fn, F_BODY), first_done = 0, first_defer = 0;
    bool has_add = false;
    for (nid k = body; k < f->nodes[body].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL && !wg_defer_of(f, fn, k)) {
            k = f->nodes[k].end - 1;
            continue;
        }
        nid x = 0;
        enum wg_op op = wg_call_shape(f, k, &x);
        if (op == WG_NONE || !rl_same_path(p, ctx->fi, x, wg)) continue;
        if (op == WG_ADD) has_add = true;
        if (op != WG_DONE) continue;
        nid d = wg_defer_of(f, fn, k);
        if (d) {
            if (!first_defer) first_defer = k;
            continue;
        }
        if (ast_kind(f, ast_parent(f, k)) == N_GO_STATEMENT || rl_enclosing_loop(f, k)) return;
        if (!first_done) first_done = k;
    }
    if (!first_done && !first_defer) return;

    struct cfg *g = cfg_build(p, ctx->fi, fn);
    int wb, we;
    if (!cfg_event_pos(g, n, &wb, &we) || !cfg_reachable(g, wb)) {
        cfg_free(g);
        return;
    }
    uint8_t *out = xcalloc((size_t)g->nblocks, 1);
    struct stop_ud ud = {{p, ctx->fi, wg}, false};
    /* 1. some path reaches the Wait with no Done of the group before it */
    cfg_reach_avoiding(g, g->entry, -1, stop_at, &ud, out);
    bool before = reached(g, out, wb, we, &ud);
    int conf = -1;
    nid pending = 0;
    if (before) {
        /* 2a. a deferred Done registered on every path to the Wait */
        if (first_defer) {
            ud.deferred = true;
            memset(out, 0, (size_t)g->nblocks);
            cfg_reach_avoiding(g, g->entry, -1, stop_at, &ud, out);
            bool unregistered = reached(g, out, wb, we, &ud);
            ud.deferred = false;
            conf = unregistered ? CONF_LOW : CONF_HIGH;
            pending = first_defer;
        }
        /* 2b. a direct Done after the Wait: on every path to the exit? */
        if (conf != CONF_HIGH && first_done) {
            memset(out, 0, (size_t)g->nblocks);
            cfg_reach_avoiding(g, wb, we, stop_at, &ud, out);
            bool escapes = (out[g->exit] & CFG_REACH_ENTERED) != 0;
            if (!escapes) {
                conf = CONF_HIGH;
                pending = first_done;
            } else if (conf < 0) {
                /* is a Done reachable after the Wait at all? */
                bool some = false;
                for (int b = 0; b < g->nblocks && !some; b++) {
                    if (!(out[b] & CFG_REACH_ENTERED) && b != wb) continue;
                    for (int e = b == wb ? we + 1 : 0; e < g->blocks[b].nevents && !some; e++)
                        some = stop_at(&ud, g->blocks[b].events[e]);
                }
                if (some) {
                    conf = CONF_LOW;
                    pending = first_done;
                }
            }
        }
    }
    free(out);
    cfg_free(g);
    if (conf < 0) return;
    if (has_add) conf = CONF_LOW; /* also adds to the group: a coordinator, harder to be sure */
    struct str w = ast_text(f, wg);
    bool deferred = pending == first_defer;
    struct finding *fd = rule_report_conf(
        ctx, n, (enum confidence)conf,
        "%.*s.Wait in a goroutine that %.*s counts: its own %s%.*s.Done (line %u) runs only after Wait returns, "
        "so the counter never reaches zero and Wait blocks forever",
        (int)w.n, w.p, (int)w.n, w.p, deferred ? "deferred " : "", (int)w.n, w.p, f->nodes[pending].line);
    rule_related(ctx, fd, pending, "this goroutine's Done, still pending while it waits");
}

const struct rule rule_waitgroup_wait_in_counted_goroutine = {
    .id = "GD304",
    .name = "waitgroup-wait-in-counted-goroutine",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "wg.Wait is called by a goroutine that wg itself counts, so it waits for its own Done forever.",
    .why = "`wg.Wait()` returns when the counter is zero. A goroutine that calls `wg.Done()` when it finishes "
           "(typically `defer wg.Done()`) holds one unit of that counter for as long as it runs. If it calls "
           "`wg.Wait()` on the same group before its Done, the counter can never drop below one while it waits: "
           "the goroutine deadlocks, and so does everyone else waiting on the group. This happens when a worker "
           "is given the group to 'wait for the others', or when a cleanup goroutine is counted by mistake. "
           "godark reports a Wait reached on some path with no Done of the group before it, when a Done of the "
           "same group is still pending there: a deferred Done registered on every path to the Wait, or a direct "
           "Done on every path from the Wait to the return (high confidence). A Done only on some later paths, "
           "or a function that also Adds to the group, gives low confidence. Done called before the Wait (the "
           "barrier idiom: `wg.Done(); wg.Wait()`) is fine.",
    .bad = "package p\n\nimport \"sync\"\n\nfunc runAll(tasks []func()) {\n\tvar wg sync.WaitGroup\n"
           "\tfor _, task := range tasks {\n\t\twg.Add(1)\n\t\tgo func(task func()) {\n\t\t\tdefer wg.Done()\n"
           "\t\t\ttask()\n\t\t\twg.Wait()\n\t\t}(task)\n\t}\n\twg.Wait()\n}\n",
    .good = "package p\n\nimport \"sync\"\n\nfunc runAll(tasks []func()) {\n\tvar wg sync.WaitGroup\n"
            "\tfor _, task := range tasks {\n\t\twg.Add(1)\n\t\tgo func(task func()) {\n\t\t\tdefer wg.Done()\n"
            "\t\t\ttask()\n\t\t}(task)\n\t}\n\twg.Wait()\n}\n",
    .fix_safety = NULL,
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
