/* rules/cancel_not_called_on_all_paths: GD505. A return reached from
 * `ctx, cancel := context.WithCancel/WithTimeout/WithDeadline(...)` on a path
 * where cancel is never called, deferred, or handed on: the early-return leak.
 * How: the function's control flow graph (model/cfg); from the assignment,
 * every event that mentions the same cancel variable ends the path (a call,
 * a defer, a return of it, storing or passing it, a func literal capturing
 * it, a comparison, a reassignment: any mention, as go vet's lostcancel
 * does), and so does waiting for the context's own Done (then it is
 * cancelled already); a return still reachable is reported. Paths to panics
 * and os.Exit are ignored. Silent when no path uses cancel at all (GD504's
 * case), when cancel is a parameter, a result, a variable of an enclosing
 * function or a package variable, or is mentioned by a func literal or defer
 * before the assignment or in a loop around it (a cleanup registered earlier
 * may call it). Low confidence for WithCancel of a never-cancelled parent
 * (Background, TODO): nothing is registered and no timer runs. */
#include <stdlib.h>
#include <string.h>

#include "../model/cfg.h"
#include "rule.h"
#include "rulelib.h"

enum mention { M_NONE, M_READ, M_BLANK, M_WRITE };

struct search {
    struct rule_ctx *ctx;
    nid name;       /* the declaring identifier of the cancel variable */
    struct str text;
    nid ctx_name;   /* the declaring identifier of the derived context, or 0 */
    bool used;      /* a real read of cancel was reached on some path */
};

/* How identifier k (text already matching) mentions the cancel variable. */
static enum mention mention_of(struct search *s, nid k)
{
    const struct gofile *f = s->ctx->f;
    nid d, nm;
    if (!model_resolve_local(s->ctx->pkg, s->ctx->fi, k, &d, &nm) || nm != s->name) return M_NONE;
    if (k == s->name || rl_ident_is_written(f, k) || rl_ident_is_decl_name(f, k)) return M_WRITE;
    if (rl_ident_is_blank_assigned(f, k)) return M_BLANK;
    return M_READ;
}

/* The strongest mention of the variable in subtree n (func literals included). */
static enum mention mentions_in(struct search *s, nid n)
{
    const struct gofile *f = s->ctx->f;
    enum mention best = M_NONE;
    for (nid k = n; k < f->nodes[n].end; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), s->text)) continue;
        enum mention m = mention_of(s, k);
        if (m == M_READ) return M_READ;
        if (m > best) best = m;
    }
    return best;
}

/* Is event ev a receive from the derived context's Done channel
 * (`<-ctx.Done()` as a statement or a select case)? Past it the context is
 * cancelled (by its parent or its deadline) and holds nothing any more. */
static bool waits_done(struct search *s, nid ev)
{
    const struct gofile *f = s->ctx->f;
    if (!s->ctx_name) return false;
    nid e = 0;
    if (ast_kind(f, ev) == N_EXPRESSION_STATEMENT) e = ast_first_child(f, ev);
    else if (ast_kind(f, ev) == N_RECEIVE_STATEMENT) e = ast_child(f, ev, F_RIGHT);
    e = ast_unparen(f, e);
    if (!e || ast_kind(f, e) != N_UNARY_EXPRESSION || f->nodes[e].op != OP_ARROW) return false;
    nid call = ast_unparen(f, ast_child(f, e, F_OPERAND));
    if (ast_kind(f, call) != N_CALL_EXPRESSION || ast_first_child(f, ast_child(f, call, F_ARGUMENTS))) return false;
    nid sel = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, sel) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, sel, F_FIELD), "Done")) return false;
    nid x = ast_unparen(f, ast_child(f, sel, F_OPERAND)), d, nm;
    return ast_kind(f, x) == N_IDENTIFIER && model_resolve_local(s->ctx->pkg, s->ctx->fi, x, &d, &nm) &&
           nm == s->ctx_name;
}

static bool stop_at(void *ud, nid ev)
{
    struct search *s = ud;
    if (waits_done(s, ev)) return true;
    enum mention m = mentions_in(s, ev);
    if (m == M_READ) s->used = true;
    return m != M_NONE;
}

/* Is any read of the variable in fn a cleanup that may have been registered
 * before the assignment (in a func literal or a defer, before `from` or in a
 * loop around it), or outside every event of the graph (then the graph
 * cannot follow it)? */
static bool mentioned_where_unfollowable(struct search *s, const struct cfg *g, nid fn, nid from)
{
    const struct gofile *f = s->ctx->f;
    for (nid k = fn; k < f->nodes[fn].end; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), s->text)) continue;
        if (mention_of(s, k) != M_READ) continue;
        if (cfg_block_of(g, k) < 0) return true;
        bool before = f->nodes[k].start_byte < f->nodes[from].start_byte;
        for (nid l = ast_parent(f, from); l && l != fn && !before; l = ast_parent(f, l))
            before = ast_kind(f, l) == N_FOR_STATEMENT && ast_contains(f, l, k);
        if (!before) continue;
        for (nid a = ast_parent(f, k); a && a != fn; a = ast_parent(f, a))
            if (ast_kind(f, a) == N_FUNC_LITERAL || ast_kind(f, a) == N_DEFER_STATEMENT) return true;
    }
    return false;
}

/* Is e context.Background() or context.TODO(), possibly wrapped in
 * context.WithValue or held in a local declared with one (`ctx :=
 * context.Background()` the line before)? Such a parent is never
 * cancelled: a WithCancel child of it is registered nowhere and holds no
 * timer. */
static bool never_cancelled(struct rule_ctx *ctx, nid e)
{
    const struct gofile *f = ctx->f;
    for (int depth = 0; depth < 8 && e; depth++) {
        e = ast_unparen(f, e);
        nid d, nm;
        if (ast_kind(f, e) == N_IDENTIFIER && model_resolve_local(ctx->pkg, ctx->fi, e, &d, &nm) && nm != e) {
            e = model_decl_value(f, d, nm, NULL);
            continue;
        }
        if (model_is_call(ctx->pkg, ctx->fi, e, "context", "Background") ||
            model_is_call(ctx->pkg, ctx->fi, e, "context", "TODO"))
            return true;
        if (!model_is_call(ctx->pkg, ctx->fi, e, "context", "WithValue")) return false;
        e = ast_first_child(f, ast_child(f, e, F_ARGUMENTS));
    }
    return false;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    const char *fname = rl_ctx_cancel_call(ctx->pkg, ctx->fi, n);
    if (!fname) return;
    nid st = 0, cancel = rl_second_assigned(f, n, &st);
    if (!cancel) return;
    enum node_kind sk = ast_kind(f, st);
    if (ast_kind(f, cancel) != N_IDENTIFIER || ast_text_is(f, cancel, "_")) return; /* fields: escapes; _: GD504 */
    nid decl, name;
    if (!model_resolve_local(ctx->pkg, ctx->fi, cancel, &decl, &name)) return; /* a package variable */
    enum node_kind dk = ast_kind(f, decl);
    if (dk == N_PARAMETER_DECLARATION || dk == N_VARIADIC_PARAMETER_DECLARATION) return; /* a result, maybe */
    nid fn = model_enclosing_func(f, st);
    if (!fn || model_enclosing_func(f, name) != fn || (f->nodes[fn].flags & NF_HAS_ERROR)) return;

    struct search s = {ctx, name, ast_text(f, name), 0, false};
    nid ctxid = sk == N_VAR_SPEC ? ast_child(f, st, F_NAME) : ast_first_child(f, ast_child(f, st, F_LEFT)), cd, cn;
    if (ctxid && ast_kind(f, ctxid) == N_IDENTIFIER && model_resolve_local(ctx->pkg, ctx->fi, ctxid, &cd, &cn))
        s.ctx_name = cn;
    struct cfg *g = cfg_build(ctx->pkg, ctx->fi, fn);
    int from, from_ev;
    if (!cfg_event_pos(g, n, &from, &from_ev) || !cfg_reachable(g, from) ||
        mentioned_where_unfollowable(&s, g, fn, st)) {
        cfg_free(g);
        return;
    }
    uint8_t *out = xcalloc((size_t)g->nblocks + 1, 1);
    cfg_reach_avoiding(g, from, from_ev, stop_at, &s, out);
    /* the rest of the assignment's own block */
    const struct cfg_block *fb = &g->blocks[from];
    bool rest = true;
    for (int e = from_ev + 1; e < fb->nevents && rest; e++)
        if (stop_at(&s, fb->events[e])) rest = false;
    if (rest) out[from] |= CFG_REACH_THROUGH;
    if (!s.used) { /* never used on any path: GD504 reports it, or it is dead code */
        free(out);
        cfg_free(g);
        return;
    }
    /* WithCancel of a parent that is never cancelled: nothing is held but
     * the goroutines that wait on the child, so the leak is less certain */
    enum confidence conf = CONF_HIGH;
    if (!strncmp(fname, "WithCancel", 10) && never_cancelled(ctx, ast_first_child(f, ast_child(f, n, F_ARGUMENTS))))
        conf = CONF_LOW;
    const struct cfg_block *ex = &g->blocks[g->exit];
    struct str callee = ast_text(f, ast_child(f, n, F_FUNCTION));
    bool end_reported = false;
    for (int i = 0; i < ex->npreds; i++) {
        int b = ex->preds[i];
        if (!(out[b] & CFG_REACH_THROUGH)) continue;
        const struct cfg_block *pb = &g->blocks[b];
        nid last = pb->nevents ? pb->events[pb->nevents - 1] : 0;
        if (last && ast_kind(f, last) == N_RETURN_STATEMENT) {
            struct finding *fd = rule_report_conf(ctx, last, conf,
                                             "this return leaks the context from %.*s at line %u: %.*s is not "
                                             "called on this path, so the context and its children stay alive",
                                             (int)callee.n, callee.p, f->nodes[n].line, (int)s.text.n, s.text.p);
            if (fd) fd->fix = xasprintf("call %.*s() before this return, or `defer %.*s()` right after line %u",
                                        (int)s.text.n, s.text.p, (int)s.text.n, s.text.p, f->nodes[n].line);
        } else if (!end_reported) {
            end_reported = true;
            rule_report_conf(ctx, n, conf,
                        "%.*s is not called on a path that reaches the end of the function: the context from "
                        "%.*s and its children stay alive",
                        (int)s.text.n, s.text.p, (int)callee.n, callee.p);
        }
    }
    free(out);
    cfg_free(g);
}

const struct rule rule_cancel_not_called_on_all_paths = {
    .id = "GD505",
    .name = "cancel-not-called-on-all-paths",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A return is reachable from context.WithCancel, WithTimeout or WithDeadline without calling, "
               "deferring or handing on its cancel function.",
    .why = "The cancel function of `context.WithCancel`, `WithTimeout`, `WithDeadline` (and the `...Cause` "
           "variants) must run on every path: until it does, the child context stays registered in its "
           "parent, a `WithTimeout` child keeps its timer, and goroutines waiting on its `Done` keep waiting. "
           "The usual bug is an early `if err != nil { return err }` between the call and `defer cancel()`, "
           "or a cancel called in only one branch of a switch. godark follows every path of the function from "
           "the call: any mention of the cancel variable (a call, a defer, returning it, storing it, passing "
           "it on, a func literal that captures it) ends the path, as go vet's lostcancel does; a return "
           "still reachable is reported. Paths that panic or exit are ignored. A cancel never used at all is "
           "GD504's finding.",
    .bad = "package fetch\n\n"
           "import (\n\t\"context\"\n\t\"net/http\"\n\t\"time\"\n)\n\n"
           "func Get(ctx context.Context, url string) (*http.Response, error) {\n"
           "\tctx, cancel := context.WithTimeout(ctx, 5*time.Second)\n"
           "\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)\n"
           "\tif err != nil {\n"
           "\t\treturn nil, err\n"
           "\t}\n"
           "\tdefer cancel()\n"
           "\treturn http.DefaultClient.Do(req)\n"
           "}\n",
    .good = "package fetch\n\n"
            "import (\n\t\"context\"\n\t\"net/http\"\n\t\"time\"\n)\n\n"
            "func Get(ctx context.Context, url string) (*http.Response, error) {\n"
            "\tctx, cancel := context.WithTimeout(ctx, 5*time.Second)\n"
            "\tdefer cancel()\n"
            "\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)\n"
            "\tif err != nil {\n"
            "\t\treturn nil, err\n"
            "\t}\n"
            "\treturn http.DefaultClient.Do(req)\n"
            "}\n",
    .fix_safety = "Calling cancel before the return (or `defer cancel()` right after the call) ends the context "
                  "when the function returns; that is wrong only if the context must outlive the function, "
                  "and then its cancel function should be handed to whoever ends the work.",
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
