/* rules/context_grown_in_loop: GD510. `ctx = context.WithValue(ctx, ...)`
 * (or WithCancel, WithTimeout, a helper returning a context of ctx) in a
 * loop, or in a func literal run again and again, assigning back to a
 * variable declared outside it: every iteration or call wraps the previous
 * context, so the chain grows without bound.
 * How: `=` assignments whose right side is a call taking the assigned path
 * itself as an argument and giving a context (a context.With* call, or a
 * left side of type context.Context); the path's root declared outside the
 * innermost loop (or the func literal), no reset of the path earlier in the
 * iteration, no return or break of the loop after it in the iteration. */
#include "rulelib.h"

static const char *const wrappers[] = {"WithValue",   "WithCancel",        "WithCancelCause", "WithTimeout",
                                       "WithDeadline", "WithTimeoutCause", "WithDeadlineCause", "WithoutCancel"};

/* The context.With* function call calls, or NULL. */
static const char *context_wrapper(struct pkg *p, int fi, nid call)
{
    for (size_t i = 0; i < GD_ARRAY_LEN(wrappers); i++)
        if (model_is_call(p, fi, call, "context", wrappers[i])) return wrappers[i];
    return NULL;
}

/* Same text, blanks aside? */
static bool same_text(const struct gofile *f, nid a, nid b)
{
    struct str x = ast_text(f, a), y = ast_text(f, b);
    size_t i = 0, j = 0;
    for (;;) {
        while (i < x.n && (x.p[i] == ' ' || x.p[i] == '\t')) i++;
        while (j < y.n && (y.p[j] == ' ' || y.p[j] == '\t')) j++;
        if (i == x.n || j == y.n) return i == x.n && j == y.n;
        if (x.p[i++] != y.p[j++]) return false;
    }
}

/* The leftmost identifier of an lvalue (`c` of `c.Ctx`, `r` of `r[0].Ctx`), or 0. */
static nid lvalue_root(const struct gofile *f, nid e)
{
    for (;;) {
        e = ast_unparen(f, e);
        switch (ast_kind(f, e)) {
        case N_IDENTIFIER:
            return e;
        case N_SELECTOR_EXPRESSION:
            e = ast_child(f, e, F_OPERAND);
            break;
        case N_INDEX_EXPRESSION:
            e = ast_child(f, e, F_OPERAND);
            break;
        default:
            return 0;
        }
    }
}

/* Is lvalue lhs (its root) declared outside region (a loop or func
 * literal)? Package-level variables are. */
static bool declared_outside(struct pkg *p, int fi, nid lhs, nid region)
{
    const struct gofile *f = &p->files[fi];
    nid root = lvalue_root(f, lhs), decl, nm;
    if (!root) return false;
    if (!model_resolve_local(p, fi, root, &decl, &nm)) return true;
    if (!ast_contains(f, region, nm)) return true;
    /* `c := pc` in the loop, pc a pointer from outside: c.Ctx is the
     * outer object's field */
    if (root == ast_unparen(f, lhs) || ast_kind(f, decl) != N_SHORT_VAR_DECLARATION) return false;
    nid v = ast_unparen(f, model_decl_value(f, decl, nm, NULL));
    const struct ltype *t = model_type_of(p, fi, v);
    return ast_kind(f, v) == N_IDENTIFIER && t && t->kind == LT_POINTER && declared_outside(p, fi, v, region);
}

/* Is the lvalue assigned in region before node n: given a value that does
 * not derive from itself (a reset, `ctx = context.Background()`), or
 * already grown there (reported there: one finding per variable and loop)? */
static bool reset_before(const struct gofile *f, nid region, nid n, nid lhs)
{
    for (nid k = region; k < n; k++) {
        if (ast_kind(f, k) != N_ASSIGNMENT_STATEMENT || ast_contains(f, k, n)) continue;
        nid l = ast_child(f, k, F_LEFT), r = ast_child(f, k, F_RIGHT);
        unsigned nl = ast_child_count(f, l), nr = ast_child_count(f, r);
        for (unsigned i = 0; i < nl; i++) {
            if (!same_text(f, ast_nth_child(f, l, i), lhs)) continue;
            return true;
        }
        (void)nr;
    }
    return false;
}

/* Does the iteration end after statement n: a later statement of a list
 * between n and the loop body (or the func literal's body) that returns,
 * breaks out of the loop or calls panic, with no continue of the loop on
 * the way (a retry loop that continues after the assignment grows)? */
static bool ends_after(struct pkg *p, int fi, nid n, nid loop, nid body)
{
    const struct gofile *f = &p->files[fi];
    for (nid s = n; s && s != body; s = ast_parent(f, s)) {
        if (ast_kind(f, ast_parent(f, s)) != N_STATEMENT_LIST) continue;
        for (nid t = ast_next(f, s); t; t = ast_next(f, t)) {
            if (loop && rl_continues_loop(f, t, loop)) return false;
            if (loop && rl_leaves_loop(f, t, loop)) return true;
            if (ast_kind(f, t) == N_RETURN_STATEMENT) return true;
            if (ast_kind(f, t) == N_EXPRESSION_STATEMENT) {
                nid c = ast_unparen(f, ast_first_child(f, t));
                if (ast_kind(f, c) == N_CALL_EXPRESSION && model_is_noreturn_call(p, fi, c)) return true;
            }
        }
    }
    return false;
}

/* May func literal lit run many times: it is returned, stored, or handed
 * to a call, rather than called in place, run by go or defer, by once.Do
 * or as a subtest (t.Run runs it once)? */
static bool literal_runs_repeatedly(const struct gofile *f, nid lit, bool *returned)
{
    *returned = false;
    if (rl_literal_called_in_place(f, lit) || rl_in_once_do(f, ast_first_child(f, lit) ? ast_first_child(f, lit) : lit))
        return false;
    nid a = ast_parent(f, lit);
    while (ast_kind(f, a) == N_PARENTHESIZED_EXPRESSION) a = ast_parent(f, a);
    if (ast_kind(f, a) == N_EXPRESSION_LIST && ast_kind(f, ast_parent(f, a)) == N_RETURN_STATEMENT) {
        *returned = true;
        return true;
    }
    if (ast_kind(f, a) == N_RETURN_STATEMENT) {
        *returned = true;
        return true;
    }
    if (ast_kind(f, a) == N_ARGUMENT_LIST) {
        struct str nm = rl_call_name(f, ast_parent(f, a));
        if (str_eq(nm, "Run") || str_eq(nm, "Do") || str_eq(nm, "Go") || str_eq(nm, "Cleanup")) return false;
        return true;
    }
    return ast_kind(f, a) == N_EXPRESSION_LIST || ast_kind(f, a) == N_KEYED_ELEMENT ||
           ast_kind(f, a) == N_LITERAL_ELEMENT;
}

/* Does the loop run without a bound the code shows: `for {}`, `for cond
 * {}`, or a range over a channel? */
static bool loop_unbounded(struct pkg *p, int fi, nid loop)
{
    const struct gofile *f = &p->files[fi];
    if (rl_loop_is_infinite(f, loop)) return true;
    AST_FOR_CHILDREN(f, loop, c)
    {
        if (ast_kind(f, c) == N_FOR_CLAUSE) return false;
        if (ast_kind(f, c) == N_RANGE_CLAUSE) {
            const struct ltype *t = model_type_of(p, fi, ast_child(f, c, F_RIGHT));
            return t && t->kind == LT_CHAN;
        }
    }
    return true; /* `for cond {}` */
}

static void check_pair(struct rule_ctx *ctx, nid n, nid lhs, nid rhs)
{
    const struct gofile *f = ctx->f;
    struct pkg *p = ctx->pkg;
    rhs = ast_unparen(f, rhs);
    if (ast_kind(f, rhs) != N_CALL_EXPRESSION || !lvalue_root(f, lhs)) return;
    nid args = ast_child(f, rhs, F_ARGUMENTS);
    bool self = false;
    AST_FOR_CHILDREN(f, args, a) if (same_text(f, ast_unparen(f, a), lhs)) self = true;
    if (!self) return;
    const char *w = context_wrapper(p, ctx->fi, rhs);
    if (!w && !ltype_is(model_type_of(p, ctx->fi, lhs), "context", "Context", false)) return;
    bool cancel = w && strcmp(w, "WithValue") && strcmp(w, "WithoutCancel");
    struct str l = ast_text(f, lhs);
    struct str callee = rl_call_name(f, rhs);
    nid loop = rl_enclosing_loop(f, n);
    if (loop) {
        /* the innermost loop the variable outlives */
        while (loop && !declared_outside(p, ctx->fi, lhs, loop)) {
            nid outer = rl_enclosing_loop(f, loop);
            if (!outer) return;
            loop = outer;
        }
        nid body = rl_for_body(f, loop);
        if (reset_before(f, body, n, lhs) || ends_after(p, ctx->fi, n, loop, body)) return;
        /* a range over a slice or a counted loop grows the chain by the
         * input's size: mostly deliberate layering (tracers, claims, a
         * context tree of a given depth in a benchmark) */
        enum confidence conf = loop_unbounded(p, ctx->fi, loop) ? CONF_HIGH : CONF_LOW;
        struct finding *fd = rule_report_conf(
            ctx, n, conf,
            "%.*s = %s%.*s(%.*s, ...) in a loop wraps %.*s, declared outside the loop, in a new context on every "
            "iteration: the chain grows with each one (every Value lookup walks it, and nothing in it is freed)%s",
            (int)l.n, l.p, w ? "context." : "", (int)callee.n, callee.p, (int)l.n, l.p, (int)l.n, l.p,
            cancel ? ", and each iteration's deadline and cancellation are bounded by all earlier ones" : "");
        rule_related(ctx, fd, loop, "the loop");
        fd->fix = xasprintf("derive a per-iteration context from the outer one instead: c := %s%.*s(%.*s, ...)",
                            w ? "context." : "", (int)callee.n, callee.p, (int)l.n, l.p);
        return;
    }
    nid fn = model_enclosing_func(f, n);
    if (ast_kind(f, fn) != N_FUNC_LITERAL || !declared_outside(p, ctx->fi, lhs, fn)) return;
    /* the variable must belong to the function around the literal (a
     * closure's captured ctx), not be a package variable */
    nid root = lvalue_root(f, lhs), decl, nm;
    if (!model_resolve_local(p, ctx->fi, root, &decl, &nm)) return;
    bool returned;
    if (!literal_runs_repeatedly(f, fn, &returned)) return;
    nid body = ast_child(f, fn, F_BODY);
    if (reset_before(f, body, n, lhs)) return;
    struct finding *fd = rule_report_conf(
        ctx, n, returned ? CONF_MEDIUM : CONF_LOW,
        "%.*s = %s%.*s(%.*s, ...) in a func literal wraps the captured %.*s of the enclosing function: every "
        "call of the literal (a handler, a callback) adds a layer to the same context, so the chain grows with "
        "each call",
        (int)l.n, l.p, w ? "context." : "", (int)callee.n, callee.p, (int)l.n, l.p, (int)l.n, l.p);
    rule_related(ctx, fd, nm, "%.*s is declared here", (int)l.n, l.p);
    fd->fix = xasprintf("declare a context of the call's own: c := %s%.*s(%.*s, ...)", w ? "context." : "",
                        (int)callee.n, callee.p, (int)l.n, l.p);
}

/* Does call c wrap expression e (same text) in a new context: a
 * context.With* call taking it, or a call taking it whose result is
 * assigned to a context.Context (target)? */
static bool wraps(struct pkg *p, int fi, nid c, nid e, nid target)
{
    const struct gofile *f = &p->files[fi];
    c = ast_unparen(f, c);
    if (ast_kind(f, c) != N_CALL_EXPRESSION) return false;
    bool self = false;
    nid args = ast_child(f, c, F_ARGUMENTS);
    AST_FOR_CHILDREN(f, args, a) if (same_text(f, ast_unparen(f, a), e)) self = true;
    return self && (context_wrapper(p, fi, c) || ltype_is(model_type_of(p, fi, target), "context", "Context", false));
}

/* `p.F = context.WithValue(p.F, ...)`, or `c := p.F; c = wrap(c); p.F = c`,
 * outside any loop, where p is a pointer parameter or receiver of the
 * function: every call wraps the context the struct keeps once more
 * (fatcontext's struct-pointer shape). Low confidence: the function may run
 * once. Returns whether it reported. */
static bool check_struct_pointer(struct rule_ctx *ctx, nid n, nid lhs, nid rhs)
{
    const struct gofile *f = ctx->f;
    struct pkg *p = ctx->pkg;
    lhs = ast_unparen(f, lhs);
    rhs = ast_unparen(f, rhs);
    if (ast_kind(f, lhs) != N_SELECTOR_EXPRESSION || rl_enclosing_loop(f, n)) return false;
    nid root = lvalue_root(f, lhs), decl, nm;
    if (!root || !model_resolve_local(p, ctx->fi, root, &decl, &nm)) return false;
    nid fn = model_enclosing_func(f, n);
    if (!fn || !ast_contains(f, fn, nm) || ast_contains(f, ast_child(f, fn, F_BODY), nm)) return false;
    const struct ltype *rt = model_type_of(p, ctx->fi, root);
    if (!rt || rt->kind != LT_POINTER) return false;
    bool grows = wraps(p, ctx->fi, rhs, lhs, lhs);
    if (!grows && ast_kind(f, rhs) == N_IDENTIFIER) {
        /* a local copy of the field, wrapped, stored back */
        nid d2, n2;
        if (!model_resolve_local(p, ctx->fi, rhs, &d2, &n2) || ast_kind(f, d2) != N_SHORT_VAR_DECLARATION) return false;
        nid v = model_decl_value(f, d2, n2, NULL);
        if (!v || !same_text(f, ast_unparen(f, v), lhs)) return false;
        for (nid k = d2; k < n && !grows; k++) {
            if (ast_kind(f, k) != N_ASSIGNMENT_STATEMENT) continue;
            nid l = ast_child(f, k, F_LEFT), r = ast_child(f, k, F_RIGHT);
            if (ast_child_count(f, l) >= 1 && same_text(f, ast_nth_child(f, l, 0), rhs) &&
                wraps(p, ctx->fi, ast_nth_child(f, r, 0), rhs, ast_nth_child(f, l, 0)))
                grows = true;
        }
    }
    if (!grows) return false;
    struct str l = ast_text(f, lhs), r = ast_text(f, root);
    struct finding *fd = rule_report_conf(ctx, n, CONF_LOW,
                                          "%.*s is given a context derived from itself and stored back into the "
                                          "struct %.*s points to: every call of the function wraps the kept "
                                          "context once more, so the chain grows with each call",
                                          (int)l.n, l.p, (int)r.n, r.p);
    rule_related(ctx, fd, nm, "%.*s is a pointer parameter", (int)r.n, r.p);
    fd->fix = xasprintf("derive the context for this call in a local variable and leave %.*s as it is",
                        (int)l.n, l.p);
    return true;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    if (f->nodes[n].op != OP_ASSIGN) return;
    nid l = ast_child(f, n, F_LEFT), r = ast_child(f, n, F_RIGHT);
    unsigned nl = ast_child_count(f, l), nr = ast_child_count(f, r);
    if (nr == nl) {
        for (unsigned i = 0; i < nl; i++)
            if (!check_struct_pointer(ctx, n, ast_nth_child(f, l, i), ast_nth_child(f, r, i)))
                check_pair(ctx, n, ast_nth_child(f, l, i), ast_nth_child(f, r, i));
    } else if (nr == 1) {
        if (!check_struct_pointer(ctx, n, ast_nth_child(f, l, 0), ast_nth_child(f, r, 0)))
            check_pair(ctx, n, ast_nth_child(f, l, 0), ast_nth_child(f, r, 0));
    }
}

const struct rule rule_context_grown_in_loop = {
    .id = "GD510",
    .name = "context-grown-in-loop",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A context declared outside a loop is wrapped and assigned back to itself on every iteration.",
    .why = "context.WithValue, WithCancel, WithTimeout and their kin return a child that keeps its parent. "
           "`ctx = context.WithValue(ctx, k, v)` inside a loop therefore makes each iteration's context a child "
           "of the previous one: the chain grows by one link per iteration and is never freed while the "
           "variable lives, every ctx.Value lookup walks the whole chain, and with WithTimeout or WithCancel "
           "each new deadline is bounded by all the earlier ones (a retry can never get more time than the "
           "first attempt had) while the earlier cancel functions pile up. The same happens in a func literal "
           "that assigns to a ctx captured from the enclosing function and runs on every request (a handler "
           "or middleware closure). godark reports an assignment `x = f(x, ...)` where f is a context.With* "
           "function (or x is a context.Context) and x is declared outside the innermost loop around it; it "
           "stays silent when the iteration first resets x (`x = context.Background()`), or returns or breaks "
           "out of the loop after the assignment with no `continue` on the way (the assignment runs once: "
           "fatcontext reports these, godark does not, as the chain cannot grow), and when the loop body "
           "declares its own variable (`c := ...`). Loops without a visible bound (`for {}`, `for cond {}`, a range over a "
           "channel) give high confidence; a range over a slice or map or a counted loop, which grows the chain "
           "only by the input's size and in real code is mostly deliberate layering (one value per claim, one "
           "wrapper per tracer), low, even for WithTimeout in a retry loop. The func literal shape is medium "
           "when the literal is returned and low when it is stored or handed to a call. A field of a struct "
           "behind a pointer parameter given a context derived from itself (`p.ctx = context.WithValue(p.ctx, "
           "...)`, also through a local copy) is reported at low confidence: each call of the function adds a "
           "layer, but the function may run once. Covers golangci-lint's fatcontext.",
    .bad = "package p\n\nimport \"context\"\n\ntype key struct{}\n\nfunc serve(ctx context.Context, reqs <-chan string, "
           "handle func(context.Context)) {\n\tfor r := range reqs {\n\t\tctx = context.WithValue(ctx, key{}, r)\n"
           "\t\thandle(ctx)\n\t}\n}\n",
    .good = "package p\n\nimport \"context\"\n\ntype key struct{}\n\nfunc serve(ctx context.Context, reqs <-chan string, "
            "handle func(context.Context)) {\n\tfor r := range reqs {\n\t\trctx := context.WithValue(ctx, key{}, r)\n"
            "\t\thandle(rctx)\n\t}\n}\n",
    .fix_safety = "A per-iteration variable gives each iteration a child of the outer context, which is what the "
                  "code means unless the values are meant to accumulate.",
    .kinds = {N_ASSIGNMENT_STATEMENT},
    .visit = visit,
};
