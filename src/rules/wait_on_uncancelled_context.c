/* rules/wait_on_uncancelled_context: GD508. A goroutine whose only way out
 * is `<-ctx.Done()` of a context that can never end: made by
 * context.WithCancel(context.Background() or TODO()) with its cancel
 * discarded or stored in a field that nothing calls (GD504's evidence), so
 * the goroutine runs forever (projectdiscovery/ratelimit#19).
 * How: the WithCancel call; its cancel is `_`, or an unexported field (by
 * assignment, or `T{f: cancel}` of the local) that rl_idle_cancel_field
 * finds idle. Each later go statement of the function that hands the
 * context on (as an argument of a same-file func literal, package function
 * or method, or captured by a go func literal); in that goroutine's body the
 * last statement is a `for` without condition or break, and every return of
 * its own is in a select case receiving from the context's Done(). */
#include "../model/objects.h"
#include "rule.h"
#include "rulelib.h"

/* The name of parameter number i of the function or literal fn, or 0. */
static nid param_name(const struct gofile *f, nid fn, unsigned i)
{
    nid params = ast_child(f, fn, F_PARAMETERS);
    unsigned k = 0;
    AST_FOR_CHILDREN(f, params, pd)
    {
        if (ast_kind(f, pd) != N_PARAMETER_DECLARATION) return 0;
        AST_FOR_CHILDREN(f, pd, nm)
        {
            if (f->nodes[nm].field != F_NAME) continue;
            if (k++ == i) return nm;
        }
    }
    return 0;
}

/* Is `<-` expression o a receive from name.Done()? */
static bool is_done_of(const struct gofile *f, nid o, struct str name)
{
    if (ast_kind(f, o) != N_UNARY_EXPRESSION || f->nodes[o].op != OP_ARROW) return false;
    nid call = ast_unparen(f, ast_first_child(f, o));
    if (ast_kind(f, call) != N_CALL_EXPRESSION || ast_child_count(f, ast_child(f, call, F_ARGUMENTS))) return false;
    nid sel = ast_child(f, call, F_FUNCTION);
    if (ast_kind(f, sel) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, sel, F_FIELD), "Done")) return false;
    nid x = ast_unparen(f, ast_child(f, sel, F_OPERAND));
    return ast_kind(f, x) == N_IDENTIFIER && str_eqs(ast_text(f, x), name);
}

/* In function or literal fn, is a receive from name.Done() the only way
 * out: the body ends in `for { ... }` with no break to it, no goto, and
 * every return of its own is in a select case on name.Done()? Returns the
 * first such receive (the one to report), or 0. */
static nid only_exit(const struct gofile *f, nid fn, struct str name)
{
    nid body = ast_child(f, fn, F_BODY);
    nid last = 0;
    AST_FOR_CHILDREN(f, body, s)
    {
        if (ast_kind(f, s) != N_STATEMENT_LIST) {
            last = s;
            continue;
        }
        AST_FOR_CHILDREN(f, s, t) last = t;
    }
    if (ast_kind(f, last) != N_FOR_STATEMENT || !rl_loop_is_infinite(f, last) || rl_has_break_to(f, last)) return 0;
    nid first = 0;
    for (nid k = body; k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk == N_GOTO_STATEMENT) return 0;
        if (kk != N_RETURN_STATEMENT) continue;
        nid cc = ast_ancestor(f, k, N_COMMUNICATION_CASE);
        if (!cc || !ast_contains(f, body, cc)) return 0;
        nid comm = ast_child(f, cc, F_COMMUNICATION);
        if (ast_kind(f, comm) == N_RECEIVE_STATEMENT) comm = ast_child(f, comm, F_RIGHT);
        else if (ast_kind(f, comm) == N_EXPRESSION_STATEMENT) comm = ast_first_child(f, comm);
        if (!is_done_of(f, comm, name)) return 0;
        if (!first) first = comm;
    }
    return first;
}

/* The function run by go statement g with the context named child as
 * argument or capture, in ctx's file: fills *fn and *pname; false if none. */
static bool goroutine_of(struct rule_ctx *ctx, nid g, struct str child, nid *fn, struct str *pname)
{
    const struct gofile *f = ctx->f;
    nid call = ast_first_child(f, g);
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return false;
    nid callee = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    nid args = ast_child(f, call, F_ARGUMENTS);
    int at = -1, k = 0;
    AST_FOR_CHILDREN(f, args, a)
    {
        nid u = ast_unparen(f, a);
        if (at < 0 && ast_kind(f, u) == N_IDENTIFIER && str_eqs(ast_text(f, u), child)) at = k;
        k++;
    }
    const struct pkg_decl *d = NULL;
    if (ast_kind(f, callee) == N_FUNC_LITERAL) {
        *fn = callee;
    } else if (ast_kind(f, callee) == N_SELECTOR_EXPRESSION) {
        const char *tn = ltype_own_name(model_type_of(ctx->pkg, ctx->fi, ast_child(f, callee, F_OPERAND)));
        d = tn ? pkg_lookup_method(ctx->pkg, tn, ast_text(f, ast_child(f, callee, F_FIELD))) : NULL;
    } else if (ast_kind(f, callee) == N_IDENTIFIER) {
        d = pkg_lookup(ctx->pkg, ast_text(f, callee), PD_FUNC);
    } else {
        return false;
    }
    if (d) {
        if (d->file != ctx->fi || pkg_decl_count(ctx->pkg, str_make(d->name, strlen(d->name)), d->what) > 1)
            return false;
        *fn = d->node;
    } else if (ast_kind(f, callee) != N_FUNC_LITERAL) {
        return false;
    }
    if (at >= 0) {
        nid pn = param_name(f, *fn, (unsigned)at);
        if (!pn) return false;
        *pname = ast_text(f, pn);
        return true;
    }
    /* a go func literal that captures the context */
    if (ast_kind(f, callee) != N_FUNC_LITERAL) return false;
    *pname = child;
    AST_FOR_CHILDREN(f, ast_child(f, *fn, F_PARAMETERS), pd)
    AST_FOR_CHILDREN(f, pd, nm) if (f->nodes[nm].field == F_NAME && str_eqs(ast_text(f, nm), child)) return false;
    return true;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    const char *with = rl_ctx_cancel_call(ctx->pkg, ctx->fi, n);
    if (!with || (strcmp(with, "WithCancel") && strcmp(with, "WithCancelCause"))) return;
    nid a0 = ast_unparen(f, ast_first_child(f, ast_child(f, n, F_ARGUMENTS)));
    bool bg = model_is_call(ctx->pkg, ctx->fi, a0, "context", "Background");
    if (!bg && !model_is_call(ctx->pkg, ctx->fi, a0, "context", "TODO")) return;
    nid st = 0, cancel = rl_second_assigned(f, n, &st);
    if (!cancel || (ast_kind(f, st) != N_SHORT_VAR_DECLARATION && ast_kind(f, st) != N_ASSIGNMENT_STATEMENT)) return;
    nid c = ast_unparen(f, ast_first_child(f, ast_child(f, st, F_LEFT)));
    cancel = ast_unparen(f, cancel);
    if (ast_kind(f, c) != N_IDENTIFIER || ast_text_is(f, c, "_")) return;
    nid scope = model_enclosing_func(f, st);
    if (!scope || (f->nodes[scope].flags & NF_HAS_ERROR)) return;
    /* the cancel is never called */
    const struct obj_class *cls = NULL;
    if (ast_kind(f, cancel) == N_SELECTOR_EXPRESSION) {
        cls = rl_idle_cancel_field(ctx->pkg, ctx->fi, cancel, NULL);
        if (!cls) return;
    } else if (ast_kind(f, cancel) == N_IDENTIFIER && !ast_text_is(f, cancel, "_")) {
        nid key = ast_kind(f, st) == N_SHORT_VAR_DECLARATION ? rl_literal_key_of(f, scope, cancel) : 0;
        cls = key ? rl_idle_cancel_field(ctx->pkg, ctx->fi, key, NULL) : NULL;
        if (!cls) return;
    } else if (ast_kind(f, cancel) != N_IDENTIFIER) {
        return;
    }
    struct str child = ast_text(f, c), callee = ast_text(f, ast_child(f, n, F_FUNCTION));
    for (nid g = st; g < f->nodes[scope].end; g++) {
        if (ast_kind(f, g) != N_GO_STATEMENT) continue;
        nid fn = 0;
        struct str pname;
        if (!goroutine_of(ctx, g, child, &fn, &pname)) continue;
        nid wait = only_exit(f, fn, pname);
        if (!wait) continue;
        char why[256];
        if (cls)
            snprintf(why, sizeof why, "its cancel is stored in %s.%.*s, which nothing in the package calls", cls->type,
                     (int)cls->field.n, cls->field.p);
        else
            snprintf(why, sizeof why, "its cancel is discarded");
        enum confidence conf = rl_is_test_file(f) ? CONF_LOW : ctx->rule->confidence;
        struct finding *fd = rule_report_conf(
            ctx, wait, conf,
            "%.*s.Done() never fires, and it is the only way out of this goroutine (started at line %u): the context "
            "is made by %.*s(context.%s()) at line %u and %s, so the goroutine runs forever",
            (int)pname.n, pname.p, f->nodes[g].line, (int)callee.n, callee.p, bg ? "Background" : "TODO",
            f->nodes[n].line, why);
        if (fd) {
            rule_related(ctx, fd, n, "the context is made here");
            rule_related(ctx, fd, g, "the goroutine is started here");
            fd->fix = xasprintf("call the stored cancel from a Stop or Close method, or derive the context from one "
                                "the caller cancels");
        }
    }
}

const struct rule rule_wait_on_uncancelled_context = {
    .id = "GD508",
    .name = "wait-on-uncancelled-context",
    .severity = SEV_WARNING,
    .confidence = CONF_MEDIUM,
    .summary = "A goroutine's only way out is the Done() of a context whose cancel is never called.",
    .why = "A constructor that starts a background goroutine often gives it its own context, `ctx, cancel := "
           "context.WithCancel(context.Background())`, keeps `cancel` in the object and lets the goroutine loop "
           "until `ctx.Done()`. If nothing ever calls that cancel (no `Stop` or `Close` calls it, or it was "
           "discarded), a context made from `Background()` or `TODO()` can never end, and the goroutine never "
           "returns: every object made leaks a goroutine and whatever it holds (projectdiscovery/ratelimit#19). "
           "godark reports the receive from `Done()` in a goroutine started by the function that makes the "
           "context (a go func literal, or a package function or method in the same file, given the context "
           "as an argument), when the goroutine's body ends in a `for` loop without condition or break and its "
           "every return is in a select case on that `Done()`; and the cancel is discarded with `_` or stored "
           "in an unexported field that nothing in the package calls, returns or hands on (GD504 reports the "
           "cancel itself; medium confidence: the package model of issue 13, `godark dump-objects`).",
    .bad = "package limiter\n\n"
           "import (\n\t\"context\"\n\t\"sync/atomic\"\n\t\"time\"\n)\n\n"
           "type Limiter struct {\n"
           "\ttokens atomic.Int64\n"
           "\tcancel context.CancelFunc\n"
           "}\n\n"
           "func New(every time.Duration) *Limiter {\n"
           "\tctx, cancel := context.WithCancel(context.Background())\n"
           "\tl := &Limiter{cancel: cancel}\n"
           "\tgo l.run(ctx, every)\n"
           "\treturn l\n"
           "}\n\n"
           "func (l *Limiter) run(ctx context.Context, every time.Duration) {\n"
           "\tt := time.NewTicker(every)\n"
           "\tdefer t.Stop()\n"
           "\tfor {\n"
           "\t\tselect {\n"
           "\t\tcase <-ctx.Done():\n"
           "\t\t\treturn\n"
           "\t\tcase <-t.C:\n"
           "\t\t\tl.tokens.Store(1)\n"
           "\t\t}\n"
           "\t}\n"
           "}\n\n"
           "// Take reports whether a token was available.\n"
           "func (l *Limiter) Take() bool { return l.tokens.CompareAndSwap(1, 0) }\n",
    .good = "package limiter\n\n"
            "import (\n\t\"context\"\n\t\"sync/atomic\"\n\t\"time\"\n)\n\n"
            "type Limiter struct {\n"
            "\ttokens atomic.Int64\n"
            "\tcancel context.CancelFunc\n"
            "}\n\n"
            "func New(every time.Duration) *Limiter {\n"
            "\tctx, cancel := context.WithCancel(context.Background())\n"
            "\tl := &Limiter{cancel: cancel}\n"
            "\tgo l.run(ctx, every)\n"
            "\treturn l\n"
            "}\n\n"
            "// Stop ends the limiter's goroutine.\n"
            "func (l *Limiter) Stop() { l.cancel() }\n\n"
            "func (l *Limiter) run(ctx context.Context, every time.Duration) {\n"
            "\tt := time.NewTicker(every)\n"
            "\tdefer t.Stop()\n"
            "\tfor {\n"
            "\t\tselect {\n"
            "\t\tcase <-ctx.Done():\n"
            "\t\t\treturn\n"
            "\t\tcase <-t.C:\n"
            "\t\t\tl.tokens.Store(1)\n"
            "\t\t}\n"
            "\t}\n"
            "}\n\n"
            "// Take reports whether a token was available.\n"
           "func (l *Limiter) Take() bool { return l.tokens.CompareAndSwap(1, 0) }\n",
    .fix_safety = NULL,
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
