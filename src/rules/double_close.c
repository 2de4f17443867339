/* rules/double_close: GD202. close(ch) twice on one straight-line path of a
 * function, or close(ch) in a loop body that nothing leaves after it, or a
 * close followed by another close of the same channel on every path from
 * it (`if err != nil { close(ch) }; close(ch)`); the second close panics.
 * Visits calls of the builtin close on a path (`ch`, `s.done`), scans the
 * following statements and the enclosing loop, then walks the function's
 * CFG from the close (chanlib) for the every-path case. */
#include <stdlib.h>
#include <string.h>

#include "chanlib.h"

/* The channel path of `close(x)` as an expression statement, or 0. */
static nid closed_path(struct rule_ctx *ctx, nid stmt)
{
    const struct gofile *f = ctx->f;
    if (ast_kind(f, stmt) != N_EXPRESSION_STATEMENT) return 0;
    nid call = ast_unparen(f, ast_first_child(f, stmt));
    if (!model_is_builtin_call(ctx->pkg, ctx->fi, call, "close")) return 0;
    nid args = ast_child(f, call, F_ARGUMENTS);
    if (ast_child_count(f, args) != 1) return 0;
    nid a = ast_unparen(f, ast_first_child(f, args));
    return rl_is_path(f, a) ? a : 0;
}

/* Is statement t a jump or a call that does not return? */
static bool is_terminator(struct rule_ctx *ctx, nid t)
{
    const struct gofile *f = ctx->f;
    switch (ast_kind(f, t)) {
    case N_RETURN_STATEMENT:
    case N_GOTO_STATEMENT:
    case N_BREAK_STATEMENT:
    case N_CONTINUE_STATEMENT:
    case N_FALLTHROUGH_STATEMENT:
        return true;
    case N_EXPRESSION_STATEMENT:
        return model_is_noreturn_call(ctx->pkg, ctx->fi, ast_unparen(f, ast_first_child(f, t)));
    default:
        return false;
    }
}

/* A later close of the same path reachable on the straight path: in a
 * following sibling statement or nested in one (not in a func literal, not
 * after a terminator of an enclosing statement list). Returns its
 * expression statement or 0. */
static nid second_close(struct rule_ctx *ctx, nid stmt, nid path)
{
    const struct gofile *f = ctx->f;
    for (nid t = ast_next(f, stmt); t; t = ast_next(f, t)) {
        if (is_terminator(ctx, t)) return 0;
        for (nid k = t; k < f->nodes[t].end; k++) {
            if (ast_kind(f, k) == N_FUNC_LITERAL) {
                k = f->nodes[k].end - 1;
                continue;
            }
            nid p2 = closed_path(ctx, k);
            if (!p2 || !rl_same_path(ctx->pkg, ctx->fi, path, p2)) continue;
            if (chan_path_may_change(ctx->pkg, ctx->fi, path, f->nodes[stmt].end, k, false)) return 0;
            /* no terminator before it in the lists that enclose it inside t */
            bool blocked = false;
            for (nid s = k; s != t && !blocked; s = ast_parent(f, s))
                for (nid q = ast_first_child(f, ast_parent(f, s)); q && q != s; q = ast_next(f, q))
                    if (ast_kind(f, ast_parent(f, s)) == N_STATEMENT_LIST && is_terminator(ctx, q)) blocked = true;
            if (!blocked) return k;
        }
        if (chan_path_may_change(ctx->pkg, ctx->fi, path, t, f->nodes[t].end, false)) return 0;
    }
    return 0;
}

/* The loop that repeats close(path) at `stmt` with nothing leaving it:
 * the close sits in the loop body (only plain blocks between), the channel
 * is declared outside the loop and not changed in it, and the body has no
 * return, break, goto, labeled continue or non-returning call. */
static nid repeating_loop(struct rule_ctx *ctx, nid stmt, nid path)
{
    const struct gofile *f = ctx->f;
    nid loop = rl_enclosing_loop(f, stmt);
    if (!loop) return 0;
    nid body = rl_for_body(f, loop);
    for (nid a = ast_parent(f, stmt); a != body; a = ast_parent(f, a)) {
        enum node_kind k = ast_kind(f, a);
        if (k != N_STATEMENT_LIST && k != N_BLOCK) return 0;
    }
    /* the range or for-clause variables are per-iteration; so is anything
     * declared in the body */
    nid root = rl_path_root(f, path), d, nm;
    if (model_resolve_local(ctx->pkg, ctx->fi, root, &d, &nm) && ast_contains(f, loop, d)) return 0;
    if (chan_path_may_change(ctx->pkg, ctx->fi, path, loop, f->nodes[loop].end, false)) return 0;
    for (nid k = body; k < f->nodes[body].end; k++) {
        switch (ast_kind(f, k)) {
        case N_RETURN_STATEMENT:
        case N_GOTO_STATEMENT:
        case N_BREAK_STATEMENT:
            return 0;
        case N_CONTINUE_STATEMENT:
            if (ast_first_child(f, k)) return 0;
            break;
        case N_CALL_EXPRESSION:
            if (model_is_noreturn_call(ctx->pkg, ctx->fi, k)) return 0;
            break;
        case N_FUNC_LITERAL:
            k = f->nodes[k].end - 1;
            break;
        default:
            break;
        }
    }
    /* a loop that cannot run twice: `for i := 0; i < 1; i++` */
    AST_FOR_CHILDREN(f, loop, c)
    if (ast_kind(f, c) == N_FOR_CLAUSE) {
        nid cond = ast_child(f, c, F_CONDITION);
        if (cond && ast_kind(f, cond) == N_BINARY_EXPRESSION && ast_text_is(f, ast_child(f, cond, F_RIGHT), "1"))
            return 0;
    }
    return loop;
}

struct dc_walk {
    struct rule_ctx *ctx;
    nid path, first; /* the close call we start from */
    VEC(nid) seconds;
};

/* A later close of the path is the target; the first close again (a loop:
 * repeating_loop's business), and anything that may re-make the channel,
 * end the path. Deferred closes and closes in go statements or func
 * literals are not followed. */
static enum chan_walk_class dc_classify(void *ud, nid ev)
{
    struct dc_walk *w = ud;
    const struct gofile *f = w->ctx->f;
    if (ast_contains(f, ev, w->first)) return CW_KILL;
    enum node_kind k = ast_kind(f, ev);
    if (k != N_DEFER_STATEMENT && k != N_GO_STATEMENT) {
        for (nid c = ev; c < f->nodes[ev].end; c++) {
            if (ast_kind(f, c) == N_FUNC_LITERAL) {
                c = f->nodes[c].end - 1;
                continue;
            }
            nid ch;
            if (chan_op_of(w->ctx->pkg, w->ctx->fi, c, &ch) == CH_CLOSE && rl_is_path(f, ch) &&
                rl_same_path(w->ctx->pkg, w->ctx->fi, ch, w->path)) {
                vec_push(&w->seconds, c);
                return CW_TARGET;
            }
        }
    }
    if (chan_path_may_change(w->ctx->pkg, w->ctx->fi, w->path, ev, f->nodes[ev].end, false)) return CW_KILL;
    return CW_NONE;
}

/* Is there already a finding of this rule at node n? */
static bool reported_at(struct rule_ctx *ctx, nid n)
{
    for (size_t i = 0; i < ctx->out->len; i++) {
        const struct finding *fd = &ctx->out->items[i];
        if (fd->rule_id == ctx->rule->id && fd->line == (int)ctx->f->nodes[n].line && !strcmp(fd->file, ctx->f->path))
            return true;
    }
    return false;
}

/* Reports `second`, a close of channel ps (its text) after the close
 * `first`: how says where it comes from, fix_tail how to close only once. */
static void report_second(struct rule_ctx *ctx, nid second, nid first, struct str ps, const char *how,
                          const char *fix_tail)
{
    struct finding *fd = rule_report(ctx, second, "%.*s is closed a second time %s: closing a closed channel panics",
                                     (int)ps.n, ps.p, how);
    rule_related(ctx, fd, first, "first close of %.*s", (int)ps.n, ps.p);
    fd->fix = xasprintf("close %.*s once%s", (int)ps.n, ps.p, fix_tail);
}

/* The every-path case on the CFG: every path from the close that does not
 * panic reaches another close of the same channel, nothing re-making it
 * on the way. */
static void every_path_close(struct rule_ctx *ctx, nid stmt, nid call, nid path)
{
    const struct gofile *f = ctx->f;
    nid fn = model_enclosing_func(f, stmt);
    if (!fn) return;
    struct cfg *g = cfg_build(ctx->pkg, ctx->fi, fn);
    int b, e;
    if (cfg_event_pos(g, stmt, &b, &e) && cfg_reachable(g, b)) {
        struct dc_walk d = {ctx, path, call, {0}};
        struct chan_walk w = {g, dc_classify, &d, false, false, false, false, false};
        chan_walk_run(&w, b, e);
        if (chan_walk_must(&w)) {
            struct str ps = ast_text(f, path);
            for (size_t i = 0; i < d.seconds.len; i++) {
                nid sec = d.seconds.items[i];
                if (reported_at(ctx, sec)) continue;
                report_second(ctx, sec, call, ps,
                              arena_printf(&ctx->pkg->arena,
                                           "after the close at line %u (every path from that close closes it again)",
                                           f->nodes[call].line),
                              ": return after the first close, or guard the closes with sync.Once");
            }
        }
        vec_free(&d.seconds);
    }
    cfg_free(g);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    nid path = closed_path(ctx, n);
    if (!path) return;
    if (f->nodes[model_enclosing_func(f, n)].flags & NF_HAS_ERROR) return;
    if (chan_func_recovers(ctx->pkg, ctx->fi, n)) return;
    struct str ps = ast_text(f, path);
    nid second = second_close(ctx, n, path);
    if (second) {
        report_second(ctx, second, n, ps,
                      arena_printf(&ctx->pkg->arena, "on this path (first close at line %u)", f->nodes[n].line),
                      " (the goroutine that owns it closes it; guard with sync.Once if several paths may close it)");
        return;
    }
    nid loop = repeating_loop(ctx, n, path);
    if (loop) {
        struct finding *fd = rule_report(ctx, n,
                                         "close(%.*s) runs on every iteration and nothing leaves the loop after "
                                         "it: the second iteration panics with close of closed channel",
                                         (int)ps.n, ps.p);
        rule_related(ctx, fd, loop, "the loop");
        fd->fix = xasprintf("close %.*s once, after the loop (or leave the loop right after closing it)", (int)ps.n,
                            ps.p);
        return;
    }
    every_path_close(ctx, n, ast_unparen(f, ast_first_child(f, n)), path);
}

const struct rule rule_double_close = {
    .id = "GD202",
    .name = "double-close",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "A channel is closed twice on one path, or closed in a loop that goes on after closing it.",
    .why = "Closing a channel that is already closed panics (\"close of closed channel\"), and the panic "
           "cannot be prevented by the receivers. A channel must be closed exactly once, normally by its only "
           "sender once it has nothing more to send. godark reports a second `close(ch)` of the same channel "
           "(same variable or field path) that follows the first on a straight-line path of one function with "
           "no reassignment of the channel in between, and a `close(ch)` in a loop body where the channel is "
           "declared outside the loop, never re-made inside it, and nothing after the close leaves the loop. "
           "The control flow graph adds the case of a close followed, on every path from it that does not "
           "panic, by another close of the same channel (`if err != nil { close(ch) }; close(ch)`). Closes in "
           "different branches, closes under correlated conditions, closes inside func literals (sync.Once.Do) "
           "and functions that call recover are not reported.",
    .bad = "package p\n\ntype worker struct {\n\tjobs chan int\n\tdone chan struct{}\n}\n\n"
           "func (w *worker) stop(err error) {\n\tif err != nil {\n\t\tprintln(err.Error())\n\t}\n"
           "\tclose(w.done)\n\tclose(w.jobs)\n\tclose(w.done)\n}\n",
    .good = "package p\n\nimport \"sync\"\n\ntype worker struct {\n\tjobs chan int\n\tdone chan struct{}\n"
            "\tonce sync.Once\n}\n\nfunc (w *worker) stop() {\n\tw.once.Do(func() {\n\t\tclose(w.done)\n"
            "\t\tclose(w.jobs)\n\t})\n}\n",
    .fix_safety = NULL,
    .kinds = {N_EXPRESSION_STATEMENT},
    .visit = visit,
};
