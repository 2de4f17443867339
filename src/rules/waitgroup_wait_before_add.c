/* rules/waitgroup_wait_before_add: GD306. `wg.Wait()` reached while no Add
 * of a fresh local group has happened on any path, with the Adds and the
 * goroutines they count coming only later: a Wait placed before the spawn
 * loop (and none after it), or a waiter goroutine (`go func(){ wg.Wait();
 * close(out) }()`) started before the first Add. Wait sees zero and returns
 * at once.
 * On the enclosing function's CFG: no Add event reaches the Wait (or the
 * waiter's go statement), an Add followed by a goroutine that calls Done is
 * reachable from it, and, for a Wait in the function itself, that goroutine
 * can reach the exit without any later Wait. */
#include <stdlib.h>
#include <string.h>

#include "wglib.h"

/* Is ev (an event of the spawner) a Wait of the group: a direct one, a
 * deferred one, or a goroutine literal that waits on it? */
static bool is_wait_event(void *ud, nid ev)
{
    struct wg_group *c = ud;
    return wg_calls_in(c->p, c->fi, ev, c->wg, WG_WAIT, false);
}

static bool no_stop(void *ud, nid ev)
{
    (void)ud, (void)ev;
    return false;
}

/* Is event (tb, te) reachable from right after event (fb, fe) on a path
 * with no stop event in between? */
static bool reaches(const struct cfg *g, int fb, int fe, int tb, int te, bool (*stop)(void *, nid), void *ud)
{
    if (tb == fb && te > fe) {
        bool ok = true;
        for (int e = fe + 1; e < te && ok; e++)
            if (stop(ud, g->blocks[fb].events[e])) ok = false;
        if (ok) return true;
    }
    uint8_t *out = xcalloc((size_t)g->nblocks, 1);
    cfg_reach_avoiding(g, fb, fe, stop, ud, out);
    bool r = (out[tb] & CFG_REACH_ENTERED) != 0;
    for (int e = 0; r && e < te; e++)
        if (stop(ud, g->blocks[tb].events[e])) r = false;
    free(out);
    return r;
}

/* Is the Wait the first thing the waiter literal does: at the top level of
 * its body, after statements that neither call nor communicate (defers
 * aside)? Then nothing holds it back until the spawner has added. */
static bool waits_first(const struct gofile *f, nid lit, nid wait)
{
    nid body = ast_child(f, lit, F_BODY);
    nid st = wait;
    while (st && ast_parent(f, st) != body && ast_parent(f, ast_parent(f, st)) != body) st = ast_parent(f, st);
    if (!st) return false;
    if (ast_kind(f, st) != N_EXPRESSION_STATEMENT || ast_unparen(f, ast_first_child(f, st)) != wait) return false;
    for (nid k = body + 1; k < st; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_DEFER_STATEMENT) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk == N_CALL_EXPRESSION || kk == N_SEND_STATEMENT || kk == N_SELECT_STATEMENT || kk == N_FUNC_LITERAL ||
            (kk == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW))
            return false;
    }
    return true;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    struct pkg *p = ctx->pkg;
    /* the Wait's own function, and the spawner when it is a waiter literal */
    nid wg = 0, waiter_go = 0, fn = wg_call_in_func(p, ctx->fi, n, WG_WAIT, &wg);
    if (!fn) return;
    if (ast_kind(f, fn) == N_FUNC_LITERAL && (waiter_go = wg_go_of_literal(f, fn))) {
        if (!waits_first(f, fn, n)) return;
        fn = model_enclosing_func(f, waiter_go);
        if (!fn) return;
    } else if (wg_defer_of(f, fn, n)) {
        return;
    }
    nid body = ast_child(f, fn, F_BODY);
    if (!body) return;
    /* a fresh group of this function that stays here */
    nid root = rl_path_root(f, wg), dd, nm;
    if (root != ast_unparen(f, wg)) return;
    if (!model_resolve_local(p, ctx->fi, root, &dd, &nm) || !ast_contains(f, body, nm)) return;
    if (ast_kind(f, dd) != N_VAR_SPEC && ast_kind(f, dd) != N_SHORT_VAR_DECLARATION) return;
    for (nid k = dd; k < f->nodes[dd].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL || (kk == N_CALL_EXPRESSION && !ast_text_is(f, ast_child(f, k, F_FUNCTION), "new")))
            return;
        if (kk == N_COMPOSITE_LITERAL) {
            nid lv = ast_child(f, k, F_BODY);
            if (lv && ast_child_count(f, lv)) return;
        }
    }
    /* the group does not leave: every subtree but its own declaration */
    for (nid k = body; k < f->nodes[body].end;) {
        if (k == dd) {
            k = f->nodes[k].end;
        } else if (ast_contains(f, k, dd)) {
            k++;
        } else {
            if (wg_escapes_in(p, ctx->fi, k, wg)) return;
            k = f->nodes[k].end;
        }
    }
    /* every Add of the group is a plain event of fn; nothing else may add */
    for (nid k = body; k < f->nodes[body].end; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        nid x = 0;
        enum wg_op op = wg_call_shape(f, k, &x);
        if (op != WG_NONE && rl_same_path(p, ctx->fi, x, wg)) {
            if (op == WG_ADD && model_enclosing_func(f, k) != fn) return;
            continue;
        }
        /* a go statement's own call is judged by wg_goroutine_dones */
        if (ast_kind(f, ast_parent(f, k)) == N_GO_STATEMENT) continue;
        if (wg_call_may_done(p, ctx->fi, k, wg)) return;
    }

    struct cfg *g = cfg_build(p, ctx->fi, fn);
    struct wg_group c2 = {p, ctx->fi, wg};
    int pb, pe;
    if (!cfg_event_pos(g, waiter_go ? waiter_go : n, &pb, &pe) || !cfg_reachable(g, pb)) goto done;
    /* 1. no Add of the group on any path to the Wait */
    nid later_add = 0, counted = 0;
    for (nid k = body; k < f->nodes[body].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        nid x = 0;
        if (wg_call_shape(f, k, &x) != WG_ADD || !rl_same_path(p, ctx->fi, x, wg)) continue;
        int ab, ae;
        if (!cfg_event_pos(g, k, &ab, &ae) || !cfg_reachable(g, ab)) continue;
        if (reaches(g, ab, ae, pb, pe, no_stop, NULL)) goto done;
        /* 2. an Add reachable from the Wait, then a goroutine it counts */
        if (later_add || !reaches(g, pb, pe, ab, ae, no_stop, NULL)) continue;
        for (nid q = body; q < f->nodes[body].end && !later_add; q++) {
            if (ast_kind(f, q) != N_GO_STATEMENT || model_enclosing_func(f, q) != fn) continue;
            if (wg_goroutine_dones(p, ctx->fi, q, wg) != 1) continue;
            int gb, ge;
            if (!cfg_event_pos(g, q, &gb, &ge) || !reaches(g, ab, ae, gb, ge, no_stop, NULL)) continue;
            /* 3. a Wait in the function itself: the goroutine is never waited for */
            if (!waiter_go) {
                bool deferred_wait = false;
                for (int i = 0; i < g->ndefers; i++)
                    if (is_wait_event(&c2, g->defers[i])) deferred_wait = true;
                uint8_t *out = xcalloc((size_t)g->nblocks, 1);
                cfg_reach_avoiding(g, gb, ge, is_wait_event, &c2, out);
                bool escapes = (out[g->exit] & CFG_REACH_ENTERED) != 0;
                if (!escapes) {
                    /* straight to EXIT from the go statement's own block */
                    const struct cfg_block *cb = &g->blocks[gb];
                    bool ok = true;
                    for (int e = ge + 1; e < cb->nevents && ok; e++)
                        if (is_wait_event(&c2, cb->events[e])) ok = false;
                    for (int s = 0; ok && s < cb->nsuccs; s++)
                        if (cb->succs[s].to == g->exit) escapes = true;
                }
                free(out);
                if (deferred_wait || !escapes) continue;
            }
            later_add = k;
            counted = q;
        }
    }
    if (!later_add) goto done;
    struct str w = ast_text(f, wg);
    struct finding *fd;
    if (waiter_go)
        fd = rule_report(ctx, n,
                         "%.*s.Wait in this goroutine can run before %.*s.Add (line %u) is called: the counter is "
                         "still zero, so Wait returns at once and what follows it runs while the goroutines "
                         "started after it are still working",
                         (int)w.n, w.p, (int)w.n, w.p, f->nodes[later_add].line);
    else
        fd = rule_report(ctx, n,
                         "%.*s.Wait runs before any %.*s.Add: the counter is zero, so it returns at once, and the "
                         "goroutines counted later (line %u) are never waited for",
                         (int)w.n, w.p, (int)w.n, w.p, f->nodes[later_add].line);
    rule_related(ctx, fd, later_add, "the first Add, which comes after the Wait");
    rule_related(ctx, fd, counted, "a goroutine the Wait should have waited for");
done:
    cfg_free(g);
}

const struct rule rule_waitgroup_wait_before_add = {
    .id = "GD306",
    .name = "waitgroup-wait-before-add",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "wg.Wait runs before the wg.Add calls that count the goroutines it should wait for.",
    .why = "A WaitGroup's Wait returns as soon as the counter is zero, and a fresh group is at zero until "
           "its first Add. A Wait placed before the loop that adds and starts the goroutines (and no Wait "
           "after it) returns at once: the function goes on, or returns, while the goroutines still run. "
           "The common form is a waiter goroutine started too early, `go func() { wg.Wait(); close(out) }()` "
           "before the spawn loop: it can close the channel before any worker has been added, and a worker "
           "then panics sending on a closed channel, or the reader stops early. "
           "godark checks a group declared in the function that does not leave it: no Add reaches the Wait "
           "(or the waiter's go statement) on any path of the control flow graph, an Add and then a "
           "goroutine calling Done follow it, and, for a Wait in the function itself, that goroutine can "
           "reach the function's exit with no Wait after it. A Wait at the top of a loop that waits for the "
           "previous iteration's goroutines is reached after an Add and stays silent.",
    .bad = "package p\n\nimport \"sync\"\n\nfunc squares(xs []int) <-chan int {\n\tout := make(chan int)\n"
           "\tvar wg sync.WaitGroup\n\tgo func() {\n\t\twg.Wait()\n\t\tclose(out)\n\t}()\n"
           "\tfor _, x := range xs {\n\t\twg.Add(1)\n\t\tgo func(x int) {\n\t\t\tdefer wg.Done()\n"
           "\t\t\tout <- x * x\n\t\t}(x)\n\t}\n\treturn out\n}\n",
    .good = "package p\n\nimport \"sync\"\n\nfunc squares(xs []int) <-chan int {\n\tout := make(chan int)\n"
            "\tvar wg sync.WaitGroup\n\tfor _, x := range xs {\n\t\twg.Add(1)\n\t\tgo func(x int) {\n"
            "\t\t\tdefer wg.Done()\n\t\t\tout <- x * x\n\t\t}(x)\n\t}\n\tgo func() {\n\t\twg.Wait()\n"
            "\t\tclose(out)\n\t}()\n\treturn out\n}\n",
    .fix_safety = "Moving the Wait (or the start of the waiter goroutine) after the loop that adds is the fix; "
                  "when the goroutines are started in several places, add for all of them first.",
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
