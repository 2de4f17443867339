/* rules/context_not_propagated: GD506 context-not-propagated. A function
 * that receives a context.Context parameter but makes context.Background()
 * or context.TODO() for the work it starts, so the caller's cancellation and
 * deadline do not reach that work; and (low confidence) a context.Context
 * stored in a struct field.
 * How: call_expression nodes that model_is_call("context", "Background" /
 * "TODO") accepts; the nearest enclosing function (through func literals
 * called in place or only called through a local) with a parameter of type
 * context.Context by the model. Silent when that parameter is blank or
 * unnamed, when a local of the same name shadows it, under `if ctx == nil`,
 * inside a func literal that escapes (returned, stored), when the
 * same-package callee's parameter is `_` (low when it is not read yet),
 * and when the same callee gets
 * ctx elsewhere in the function. The new context is followed up through
 * wrappers (context.With..., ...WithNamespace) to the call that gets it or
 * the variables it is assigned to. Low confidence: in a go or defer
 * statement or a callback, under a check of ctx.Err()/ctx.Done() (or after
 * a guard that returns unless ctx is done), when the
 * context (or its cancel) is handed to a goroutine, stored or returned, or
 * the callee keeps it so (an object-lifetime context), given to a logger,
 * explained by a comment just above (or one further up in the function
 * that names the background context), after a select case on ctx.Done()
 * that does not leave (a last pass after cancellation), given to a
 * lifecycle call (Start, Stop, Shutdown, Restart, Close...) or an undo call
 * (Release, Unlock, Abort, Rollback...), a logging helper (...Log..., a
 * logger's method) or a trace Extract, in tests and
 * in test helpers that use their ctx elsewhere, and for Background unless
 * the function never uses its ctx (ctx_never_used).
 * Silent too when the new context is only waited on (x.Done(), x.Err()):
 * a signal, no work is done with it.
 * A goroutine loop that never observes ctx is GD105's finding. Fields:
 * field_declaration nodes of a named struct type whose type is
 * context.Context. */
#include "../model/summary.h"
#include "rulelib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first named parameter of type context.Context of function fn: 0 when
 * none; *blank set when the parameter is `_` or unnamed. */
static nid ctx_param(struct rule_ctx *ctx, nid fn, bool *blank)
{
    const struct gofile *f = ctx->f;
    *blank = false;
    nid params = ast_child(f, fn, F_PARAMETERS);
    AST_FOR_CHILDREN(f, params, pd)
    {
        if (ast_kind(f, pd) != N_PARAMETER_DECLARATION) continue;
        if (!model_is_ref(ctx->pkg, ctx->fi, ast_child(f, pd, F_TYPE), "context", "Context")) continue;
        nid nm = ast_child(f, pd, F_NAME);
        if (!nm || ast_text_is(f, nm, "_")) {
            *blank = true;
            return 0;
        }
        return nm;
    }
    return 0;
}

/* Is identifier k a name being declared (not a use)? Returns the declaring
 * statement or parameter_declaration, or 0. */
static nid declaring_stmt(const struct gofile *f, nid k)
{
    nid par = ast_parent(f, k);
    enum node_kind pk = ast_kind(f, par);
    if (f->nodes[k].field == F_NAME && (pk == N_VAR_SPEC || pk == N_PARAMETER_DECLARATION)) return par;
    if (pk == N_EXPRESSION_LIST && f->nodes[par].field == F_LEFT) {
        nid st = ast_parent(f, par);
        enum node_kind sk = ast_kind(f, st);
        if (sk == N_SHORT_VAR_DECLARATION || ((sk == N_RANGE_CLAUSE || sk == N_RECEIVE_STATEMENT) &&
                                              f->nodes[st].op == OP_DEFINE))
            return st;
    }
    return 0;
}

/* Does a declaration of the parameter's name, other than the parameter,
 * cover the call at `at` inside fn? */
static bool shadowed(const struct gofile *f, nid fn, nid param, nid at)
{
    struct str nm = ast_text(f, param);
    for (nid k = fn; k < f->nodes[fn].end; k++) {
        if (k == param || ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), nm)) continue;
        nid d = declaring_stmt(f, k);
        if (!d) continue;
        if (ast_kind(f, d) != N_PARAMETER_DECLARATION && f->nodes[d].end_byte > f->nodes[at].start_byte)
            continue; /* `ctx := context.Background()`: the call is in its own declaration */
        /* the scope: the nearest block, clause or function around d */
        nid scope = ast_parent(f, d);
        for (; scope && scope != fn; scope = ast_parent(f, scope)) {
            enum node_kind sk = ast_kind(f, scope);
            if (sk == N_BLOCK || sk == N_IF_STATEMENT || sk == N_FOR_STATEMENT ||
                sk == N_EXPRESSION_SWITCH_STATEMENT || sk == N_TYPE_SWITCH_STATEMENT ||
                sk == N_COMMUNICATION_CASE || sk == N_FUNC_LITERAL)
                break;
        }
        if (scope && ast_contains(f, scope, at)) return true;
    }
    return false;
}

/* Does subtree n hold `name == nil` (or `nil == name`)? */
static bool has_nil_check(const struct gofile *f, nid n, struct str name)
{
    for (nid k = n; k < f->nodes[n].end; k++) {
        if (ast_kind(f, k) != N_BINARY_EXPRESSION || f->nodes[k].op != OP_EQL) continue;
        nid l = ast_unparen(f, ast_child(f, k, F_LEFT)), r = ast_unparen(f, ast_child(f, k, F_RIGHT));
        if ((ast_kind(f, l) == N_IDENTIFIER && str_eqs(ast_text(f, l), name) && ast_kind(f, r) == N_NIL) ||
            (ast_kind(f, r) == N_IDENTIFIER && str_eqs(ast_text(f, r), name) && ast_kind(f, l) == N_NIL))
            return true;
    }
    return false;
}

/* Does subtree n call name.Err() or name.Done()? */
static bool observes(const struct gofile *f, nid n, struct str name)
{
    for (nid k = n; k && k < f->nodes[n].end; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
        if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) continue;
        nid op = ast_unparen(f, ast_child(f, fe, F_OPERAND)), fl = ast_child(f, fe, F_FIELD);
        if (ast_kind(f, op) == N_IDENTIFIER && str_eqs(ast_text(f, op), name) &&
            (ast_text_is(f, fl, "Err") || ast_text_is(f, fl, "Done")))
            return true;
    }
    return false;
}

/* Does par, the parent of a value, store it: an element of a composite
 * literal, or the right side of an assignment to a field or an element? */
static bool stores_into(const struct gofile *f, nid par)
{
    if (ast_kind(f, par) == N_LITERAL_ELEMENT) return true;
    if (ast_kind(f, par) != N_EXPRESSION_LIST || f->nodes[par].field != F_RIGHT) return false;
    nid st = ast_parent(f, par);
    if (ast_kind(f, st) != N_ASSIGNMENT_STATEMENT) return false;
    AST_FOR_CHILDREN(f, ast_child(f, st, F_LEFT), l)
    {
        enum node_kind lk = ast_kind(f, ast_unparen(f, l));
        if (lk == N_SELECTOR_EXPRESSION || lk == N_INDEX_EXPRESSION) return true;
    }
    return false;
}

/* Is the context made at call stored in a field, map or composite literal
 * (directly or through context.With...): meant to outlive this call? */
static bool stored(struct rule_ctx *ctx, nid call)
{
    const struct gofile *f = ctx->f;
    nid e = call;
    for (int guard = 0; guard < 8; guard++) {
        nid par = ast_parent(f, e);
        while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) e = par, par = ast_parent(f, par);
        if (ast_kind(f, par) == N_ARGUMENT_LIST && ast_first_child(f, par) == e) {
            nid outer = ast_parent(f, par);
            nid fe = ast_unparen(f, ast_child(f, outer, F_FUNCTION));
            const char *path = ast_kind(f, fe) == N_SELECTOR_EXPRESSION
                                   ? model_import_path(ctx->pkg, ctx->fi, ast_text(f, ast_child(f, fe, F_OPERAND)))
                                   : NULL;
            if (path && !strcmp(path, "context") && str_has_prefix(ast_text(f, ast_child(f, fe, F_FIELD)), "With")) {
                e = outer;
                continue;
            }
            return false;
        }
        return stores_into(f, par);
    }
    return false;
}



/* Is func literal lit assigned to a local variable that fn only calls
 * (`fetch := func(...) {...}; fetch(x)`): it runs during fn? */
static bool literal_local_called(const struct gofile *f, nid lit)
{
    nid par = ast_parent(f, lit);
    if (ast_kind(f, par) != N_EXPRESSION_LIST || f->nodes[par].field != F_RIGHT) return false;
    nid st = ast_parent(f, par);
    if (ast_kind(f, st) != N_SHORT_VAR_DECLARATION && ast_kind(f, st) != N_ASSIGNMENT_STATEMENT) return false;
    nid lhs = ast_first_child(f, ast_child(f, st, F_LEFT));
    if (ast_kind(f, lhs) != N_IDENTIFIER || ast_next(f, lhs)) return false;
    nid fn = model_enclosing_func(f, st);
    struct str nm = ast_text(f, lhs);
    for (nid k = f->nodes[st].end; fn && k < f->nodes[fn].end; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), nm)) continue;
        nid kp = ast_parent(f, k);
        if (ast_kind(f, kp) != N_CALL_EXPRESSION || ast_child(f, kp, F_FUNCTION) != k) return false;
        for (nid a = kp; a && a != fn; a = ast_parent(f, a))
            if (ast_kind(f, a) == N_GO_STATEMENT) return false;
    }
    return true;
}

/* Is func literal lit an argument of a call (a callback the callee may
 * keep: time.AfterFunc, a retry helper)? */
static bool literal_passed(const struct gofile *f, nid lit)
{
    nid par = ast_parent(f, lit);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) par = ast_parent(f, par);
    return ast_kind(f, par) == N_ARGUMENT_LIST;
}

/* Does use k of a value let it outlive the call of fn: in a go statement,
 * in a func literal that fn neither calls in place nor defers, stored in a
 * field, map or composite literal, or returned itself? */
static bool use_outlives(const struct gofile *f, nid fn, nid k)
{
    nid par = ast_parent(f, k);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) par = ast_parent(f, par);
    if (stores_into(f, par)) return true;
    /* returned itself (not `return ctx.Err()`) */
    if (ast_kind(f, par) == N_RETURN_STATEMENT ||
        (ast_kind(f, par) == N_EXPRESSION_LIST && ast_kind(f, ast_parent(f, par)) == N_RETURN_STATEMENT))
        return true;
    for (nid a = par; a && a != fn; a = ast_parent(f, a)) {
        enum node_kind ak = ast_kind(f, a);
        if (ak == N_GO_STATEMENT) return true;
        if (ak == N_FUNC_LITERAL && !rl_literal_called_in_place(f, a)) {
            nid up = ast_parent(f, a);
            if (ast_kind(f, up) != N_DEFER_STATEMENT) return true;
        }
    }
    return false;
}

/* The parameter at argument position idx of same-package function decl:
 * 0 when blank, unnamed or not found; *decl_f set to its file. */
static nid callee_param(struct pkg *p, int decl, int idx, const struct gofile **decl_f)
{
    const struct pkg_decl *d = &p->decls[decl];
    const struct gofile *f = &p->files[d->file];
    *decl_f = f;
    nid params = ast_child(f, d->node, F_PARAMETERS);
    int i = 0;
    AST_FOR_CHILDREN(f, params, pd)
    {
        enum node_kind k = ast_kind(f, pd);
        if (k != N_PARAMETER_DECLARATION && k != N_VARIADIC_PARAMETER_DECLARATION) continue;
        bool named = false;
        AST_FOR_CHILDREN(f, pd, nm)
        if (f->nodes[nm].field == F_NAME) {
            named = true;
            if (i++ == idx) return ast_text_is(f, nm, "_") ? 0 : nm;
        }
        if (!named && i++ == idx) return 0;
    }
    return 0;
}

enum callee_use { CALLEE_UNKNOWN, CALLEE_BLANK, CALLEE_UNREAD, CALLEE_KEEPS, CALLEE_USES };

/* What the same-package callee of `call` does with argument idx: declares
 * that it ignores it (`_`, unnamed), does not read it yet, keeps it beyond
 * the call (hands it to a goroutine, stores it: an object-lifetime
 * context), or just uses it. */
static enum callee_use callee_use_of(struct rule_ctx *ctx, nid call, int idx)
{
    int decl = model_callee(ctx->pkg, ctx->fi, call);
    if (decl < 0) return CALLEE_UNKNOWN;
    const struct gofile *df;
    nid prm = callee_param(ctx->pkg, decl, idx, &df);
    const struct pkg_decl *d = &ctx->pkg->decls[decl];
    nid body = ast_child(df, d->node, F_BODY);
    if (!body) return CALLEE_UNKNOWN;
    if (!prm) return CALLEE_BLANK;
    struct str nm = ast_text(df, prm);
    bool used = false;
    for (nid k = body; k < df->nodes[body].end; k++) {
        if (ast_kind(df, k) != N_IDENTIFIER || !str_eqs(ast_text(df, k), nm)) continue;
        used = true;
        if (use_outlives(df, d->node, k)) return CALLEE_KEEPS;
    }
    return used ? CALLEE_USES : CALLEE_UNREAD;
}

static bool log_helper_name(struct str nm);
static bool logger_receiver(struct rule_ctx *ctx, nid call);

/* Is `call` a logging call? Loggers read values (trace ids) from a
 * context, never its cancellation: log.G(ctx), logger.Printf(ctx, ...),
 * slog's InfoContext. */
static bool is_log_call(struct rule_ctx *ctx, nid call)
{
    const struct gofile *f = ctx->f;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) == N_IDENTIFIER) return log_helper_name(ast_text(f, fe));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) return false;
    struct str fl = ast_text(f, ast_child(f, fe, F_FIELD));
    /* not Info, Error, ...: content stores and clients have such methods */
    static const char *const names[] = {"Printf", "Debugf", "Infof", "Warnf", "Warningf", "Errorf", "Tracef",
                                        "Logf", "LogAttrs", "DebugContext", "InfoContext", "WarnContext",
                                        "ErrorContext"};
    for (size_t i = 0; i < GD_ARRAY_LEN(names); i++)
        if (str_eq(fl, names[i])) return true;
    if (log_helper_name(fl) || logger_receiver(ctx, call)) return true;
    nid op = ast_unparen(f, ast_child(f, fe, F_OPERAND));
    if (ast_kind(f, op) != N_IDENTIFIER) return false;
    const char *path = model_import_path(ctx->pkg, ctx->fi, ast_text(f, op));
    if (!path) return false;
    struct str ps = str_make(path, strlen(path));
    return str_has_suffix(ps, "/log") || str_has_suffix(ps, "logrus") || str_has_suffix(ps, "klog") ||
           str_has_suffix(ps, "zap") || str_eq(ps, "log/slog") ||
           str_has_suffix(ps, "zerolog") || str_has_suffix(ps, "/logging");
}

/* Is name a logging helper's: one of its camel-case words is Log, Logf,
 * Logger or Logging (minio's auditLogInternal, s3LogIf, logAlert), and it
 * does not read logs back (GetLogs, ReadLog, TailLog fetch data)? */
static bool log_helper_name(struct str nm)
{
    static const char *const readers[] = {"Get", "get", "Read", "read", "Tail", "tail", "Fetch", "fetch",
                                          "List", "list", "Stream", "stream", "Watch", "watch", "Open", "open",
                                          "Query", "query", "Search", "search"};
    for (size_t i = 0; i < GD_ARRAY_LEN(readers); i++)
        if (str_has_prefix(nm, readers[i])) return false;
    for (size_t i = 0; i < nm.n; i++) {
        /* a word starts at 0 or at an upper-case letter */
        if (i && !(nm.p[i] >= 'A' && nm.p[i] <= 'Z')) continue;
        if (nm.n - i < 3 || (nm.p[i] != 'L' && !(i == 0 && nm.p[i] == 'l')) || memcmp(nm.p + i + 1, "og", 2)) continue;
        size_t j = i + 3;
        struct str rest = str_make(nm.p + j, nm.n - j);
        if (j == nm.n || (nm.p[j] >= 'A' && nm.p[j] <= 'Z')) return true;
        if (str_has_prefix(rest, "f") && (j + 1 == nm.n || (nm.p[j + 1] >= 'A' && nm.p[j + 1] <= 'Z'))) return true;
        if (str_has_prefix(rest, "ger") || str_has_prefix(rest, "ging")) return true;
    }
    return false;
}

/* Is the receiver of method call `call` a logger: its type is declared in
 * log/slog or a logging package (logger.Enabled(context.Background(),
 * slog.LevelDebug) checks a level, nothing to cancel)? */
static bool logger_receiver(struct rule_ctx *ctx, nid call)
{
    const struct gofile *f = ctx->f;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) return false;
    struct ltype *t = model_type_of(ctx->pkg, ctx->fi, ast_child(f, fe, F_OPERAND));
    if (t && t->kind == LT_POINTER) t = t->elem;
    if (!t || t->kind != LT_NAMED || !t->pkgpath) return false;
    struct str ps = str_make(t->pkgpath, strlen(t->pkgpath));
    return str_eq(ps, "log/slog") || str_eq(ps, "log") || str_has_suffix(ps, "/log") || str_has_suffix(ps, "logrus") ||
           str_has_suffix(ps, "zap") || str_has_suffix(ps, "zerolog") || str_has_suffix(ps, "/logr") ||
           str_has_suffix(ps, "/logging");
}

/* Is `call` telemetry: trace propagation that only reparents a context
 * from a message's headers (propagator.Extract(context.Background(),
 * carrier): a fresh root per received message, on purpose)? */
static bool is_trace_extract(const struct gofile *f, nid call)
{
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    return ast_kind(f, fe) == N_SELECTOR_EXPRESSION && ast_text_is(f, ast_child(f, fe, F_FIELD), "Extract") &&
           ast_child_count(f, ast_child(f, call, F_ARGUMENTS)) == 2;
}

/* Does fn make another call of the same function (same text) that passes
 * name among its arguments? Then this call's other context is a choice. */
static bool same_callee_gets(const struct gofile *f, nid fn, nid call, struct str name)
{
    struct str ct = ast_text(f, ast_child(f, call, F_FUNCTION));
    for (nid k = fn; k < f->nodes[fn].end; k++) {
        if (k == call || ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        if (!str_eqs(ast_text(f, ast_child(f, k, F_FUNCTION)), ct)) continue;
        AST_FOR_CHILDREN(f, ast_child(f, k, F_ARGUMENTS), a)
        {
            nid u = ast_unparen(f, a);
            if (ast_kind(f, u) == N_IDENTIFIER && str_eqs(ast_text(f, u), name)) return true;
        }
    }
    return false;
}

/* Does fn's body use the name (the ctx parameter) anywhere? */
static bool name_used(const struct gofile *f, nid fn, struct str name)
{
    nid body = ast_child(f, fn, F_BODY);
    for (nid k = body; k && k < f->nodes[body].end; k++)
        if (ast_kind(f, k) == N_IDENTIFIER && str_eqs(ast_text(f, k), name)) return true;
    return false;
}

/* Is ctx never used in the body of function declaration fn (the plain
 * case: the ctx was never wired through)? Then a Background context there
 * is a lost cancellation. Other signs that the cancellation was meant to
 * reach the call (fn checks ctx.Err() or ctx.Done() itself, the same
 * receiver gets ctx in another call) were tried and dropped: on modules
 * the rule had not been tuned on, 3 of 9 such findings were true, each
 * false one a deliberate detachment for yet another reason (cleanup,
 * logging, trace roots, work after a successful delete). */
static bool ctx_never_used(const struct gofile *f, nid fn, struct str name)
{
    return ast_kind(f, fn) != N_FUNC_LITERAL && !name_used(f, fn, name);
}

/* Does fn go on working after ctx is done: a select case on ctx.Done()
 * before `at` that neither returns nor leaves with a labelled break or goto (docker's
 * showProgress sets `done = true` and makes a last pass)? The work after
 * it needs a context that is not cancelled, on purpose. */
static bool works_after_done(const struct gofile *f, nid fn, nid at, struct str name)
{
    for (nid k = fn; k < f->nodes[fn].end && f->nodes[k].start_byte < f->nodes[at].start_byte; k++) {
        if (ast_kind(f, k) != N_COMMUNICATION_CASE) continue;
        nid comm = ast_child(f, k, F_COMMUNICATION);
        if (!comm || !observes(f, comm, name)) continue;
        bool leaves = false;
        for (nid j = k + 1; j < f->nodes[k].end && !leaves; j++) {
            enum node_kind jk = ast_kind(f, j);
            /* a plain break leaves only the select */
            leaves = jk == N_RETURN_STATEMENT || jk == N_GOTO_STATEMENT ||
                     (jk == N_BREAK_STATEMENT && ast_first_child(f, j)) ||
                     (jk == N_CALL_EXPRESSION && ast_text_is(f, ast_child(f, j, F_FUNCTION), "panic"));
        }
        if (!leaves) return true;
    }
    return false;
}

/* Is n reached only when ctx is already done: an earlier statement of an
 * enclosing list is `if !<ctx observed> { return }` or `if ctx.Err() ==
 * nil { return }` (temporal's cancelOutstandingPoll: "cancel the poll if
 * the context was cancelled")? The work below is cleanup after the
 * cancellation and needs a live context, like the work under a check. */
static bool after_not_done_return(const struct gofile *f, nid fn, nid n, struct str name)
{
    for (nid s = n; s && s != fn; s = ast_parent(f, s)) {
        nid list = ast_parent(f, s);
        if (ast_kind(f, list) != N_STATEMENT_LIST && ast_kind(f, list) != N_BLOCK) continue;
        for (nid t = ast_first_child(f, list); t && t != s; t = ast_next(f, t)) {
            if (ast_kind(f, t) != N_IF_STATEMENT || ast_child(f, t, F_ALTERNATIVE)) continue;
            nid cond = ast_unparen(f, ast_child(f, t, F_CONDITION));
            bool negated = false;
            if (ast_kind(f, cond) == N_UNARY_EXPRESSION && f->nodes[cond].op == OP_NOT)
                negated = observes(f, ast_child(f, cond, F_OPERAND), name);
            else if (ast_kind(f, cond) == N_BINARY_EXPRESSION && f->nodes[cond].op == OP_EQL)
                negated = observes(f, cond, name) && (ast_kind(f, ast_unparen(f, ast_child(f, cond, F_RIGHT))) == N_NIL ||
                                                      ast_kind(f, ast_unparen(f, ast_child(f, cond, F_LEFT))) == N_NIL);
            if (!negated) continue;
            nid cons = ast_child(f, t, F_CONSEQUENCE);
            for (nid k = cons + 1; k < f->nodes[cons].end; k++)
                if (ast_kind(f, k) == N_RETURN_STATEMENT && model_enclosing_func(f, k) == fn) return true;
        }
    }
    return false;
}

/* A comment inside fn on the three lines above n that speaks of the
 * context: the author says why a fresh one is used ("use a new context for
 * cleanup: the old one may be cancelled"). */
static bool comment_explains(const struct gofile *f, nid fn, nid n)
{
    uint32_t line = f->nodes[n].line;
    for (uint32_t i = 0; i < f->ncomments; i++) {
        const struct comment *c = &f->comments[i];
        if (c->end_line >= line || c->start_byte < f->nodes[fn].start_byte) continue;
        const char *t = f->src + c->start_byte;
        size_t len = c->end_byte - c->start_byte;
        bool ctxword = memmem(t, len, "context", 7) || memmem(t, len, "ctx", 3);
        if (c->end_line + 3 >= line && (ctxword || memmem(t, len, "cancel", 6))) return true;
        /* further up in the function, a comment that names the background
         * context covers the run of calls below it ("we want to do these
         * even if the context expires, so we use a background context") */
        if (ctxword && (memmem(t, len, "background", 10) || memmem(t, len, "Background", 10))) return true;
    }
    return false;
}

/* The name a call calls: `f` of f(x) and of x.f(y); empty otherwise. */
static struct str called_name(const struct gofile *f, nid call)
{
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION) return ast_text(f, ast_child(f, fe, F_FIELD));
    if (ast_kind(f, fe) == N_IDENTIFIER) return ast_text(f, fe);
    return str_make("", 0);
}

/* Is call a lifecycle call: its function is named Start..., Stop...,
 * Shutdown..., Restart... or Close...? What a Start starts outlives the
 * call (an object-lifetime context), and a stop or restart is meant to
 * finish even when the caller has given up (vitess restarts mysqld with
 * Background around mysql_upgrade): as often a choice as an oversight. */
static bool lifecycle_name(struct str nm);
static bool is_lifecycle_call(const struct gofile *f, nid call)
{
    return lifecycle_name(called_name(f, call));
}

static bool lifecycle_name(struct str nm)
{
    /* and the undo verbs: a release, unlock, abort or rollback cleans up
     * after work that is already done, and must finish when the caller has
     * given up (cilium releases a just-allocated identity and unlocks an
     * etcd lock with Background: with an expired ctx they would fail and
     * leave the resource held until its lease runs out) */
    static const char *const verbs[] = {"Start",   "Stop",     "Shutdown", "Restart", "Close",
                                        "Release", "Unlock",   "Abort",    "Rollback", "Revoke",
                                        "Cleanup", "CleanUp", "Unregister", "Deregister"};
    if (!nm.n) return false;
    for (size_t i = 0; i < GD_ARRAY_LEN(verbs); i++) {
        size_t vl = strlen(verbs[i]);
        /* exported or not: Release..., release... */
        if (nm.n >= vl && (nm.p[0] == verbs[i][0] || nm.p[0] == verbs[i][0] - 'A' + 'a') &&
            !memcmp(nm.p + 1, verbs[i] + 1, vl - 1) &&
            (nm.n == vl || !(nm.p[vl] >= 'a' && nm.p[vl] <= 'z')))
            return true;
    }
    return false;
}

/* Is every use of variable name in fn after `from` a call of name.Done() or
 * name.Err()? A context only waited on is a signal (tailscale's gotFile,
 * whose cancel is registered as a wake-up): no work is done with it. */
static bool only_waited_on(const struct gofile *f, nid fn, nid from, struct str name)
{
    for (nid k = from; k < f->nodes[fn].end; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), name)) continue;
        nid sel = ast_parent(f, k);
        if (ast_kind(f, sel) != N_SELECTOR_EXPRESSION || f->nodes[k].field != F_OPERAND) return false;
        nid fl = ast_child(f, sel, F_FIELD);
        if (!ast_text_is(f, fl, "Done") && !ast_text_is(f, fl, "Err")) return false;
        if (ast_kind(f, ast_parent(f, sel)) != N_CALL_EXPRESSION) return false;
    }
    return true;
}

/* Is call a context wrapper that derives a new context from its first
 * argument: context.With..., namespaces.WithNamespace,
 * metadata.NewOutgoingContext? */
static bool is_wrapper(const struct gofile *f, nid call)
{
    struct str nm = called_name(f, call);
    return str_has_prefix(nm, "With") || str_has_suffix(nm, "Context");
}

/* Is fn a test helper: a function with a *testing.T, *testing.B or
 * testing.TB parameter? Its ctx is the test's; a Background call beside it
 * only escapes the test's deadline, as in a _test.go file. */
static bool test_helper(struct rule_ctx *ctx, nid fn)
{
    const struct gofile *f = ctx->f;
    AST_FOR_CHILDREN(f, ast_child(f, fn, F_PARAMETERS), pd)
    {
        if (ast_kind(f, pd) != N_PARAMETER_DECLARATION) continue;
        nid t = ast_child(f, pd, F_TYPE);
        if (ast_kind(f, t) == N_POINTER_TYPE) t = ast_first_child(f, t);
        if (model_is_ref(ctx->pkg, ctx->fi, t, "testing", "T") || model_is_ref(ctx->pkg, ctx->fi, t, "testing", "B") ||
            model_is_ref(ctx->pkg, ctx->fi, t, "testing", "TB"))
            return true;
    }
    return false;
}

/* Is type expression t `*http.Request`? */
static bool is_request_type(const struct pkg *p, int fi, nid t)
{
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, t) != N_POINTER_TYPE) return false;
    return model_is_ref(p, fi, ast_first_child(f, t), "net/http", "Request");
}

/* Does subtree n call name.Context()? */
static bool calls_context_of(const struct gofile *f, nid n, struct str name)
{
    for (nid k = n; k && k < f->nodes[n].end; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
        if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, fe, F_FIELD), "Context")) continue;
        nid op = ast_unparen(f, ast_child(f, fe, F_OPERAND));
        if (ast_kind(f, op) == N_IDENTIFIER && str_eqs(ast_text(f, op), name)) return true;
    }
    return false;
}

/* For messages: the function that has the context in scope (its name, or
 * "the func literal at line N"), and the context as written (`ctx`,
 * `r.Context()` for a request). */
static void owner_label(const struct gofile *f, nid fn, char *buf, size_t n)
{
    if (ast_kind(f, fn) == N_FUNC_LITERAL) {
        snprintf(buf, n, "the func literal at line %u", f->nodes[fn].line);
        return;
    }
    struct str fname = ast_text(f, ast_child(f, fn, F_NAME));
    snprintf(buf, n, "%.*s", (int)(fname.n > 100 ? 100 : fname.n), fname.p);
}

static void ctx_label(struct str pn, bool request, char *buf, size_t n)
{
    snprintf(buf, n, "%.*s%s", (int)(pn.n > 100 ? 100 : pn.n), pn.p, request ? ".Context()" : "");
}

/* The position of argument a in argument list list. */
static int arg_index(const struct gofile *f, nid list, nid a)
{
    int idx = 0;
    for (nid c = ast_first_child(f, list); c && c != a; c = ast_next(f, c)) idx++;
    return idx;
}

/* Where a new context made at site (in function fn) goes: up through
 * wrappers that derive a context from it (context.WithTimeout(
 * context.Background(), d)) to the call that receives it, a return, or
 * the variables it is assigned to (followed through fn). */
struct ctx_flow {
    bool lost;            /* nothing depends on it: the callee's parameter is `_`, or it is only waited on */
    bool ignored;         /* the same-package callee does not read it yet */
    bool without_cancel;  /* passed through context.WithoutCancel: the detachment is meant */
    nid consumer;         /* the call that receives it, or 0 */
    bool consumer_keeps;  /* ... and keeps it (stored, started with): an object-lifetime context */
    bool returned;        /* a function that returns a context chooses one */
    bool to_field;        /* assigned to a field or element */
    bool var_outlives;    /* a variable holding it outlives the call (goroutine, store, return, kept) */
    bool var_traced;      /* a variable holding it is given to a trace extractor */
    bool var_logged;      /* ... to a logger or a lifecycle call */
};

static void ctx_flow_of(struct rule_ctx *ctx, nid fn, nid site, struct ctx_flow *fl)
{
    const struct gofile *f = ctx->f;
    memset(fl, 0, sizeof *fl);
    nid e = site;
    for (int guard = 0; guard < 8; guard++) {
        nid par = ast_parent(f, e);
        while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) e = par, par = ast_parent(f, par);
        enum node_kind pk = ast_kind(f, par);
        if (pk == N_ARGUMENT_LIST) {
            nid call = ast_parent(f, par);
            if (ast_first_child(f, par) == e && is_wrapper(f, call)) {
                if (str_eq(called_name(f, call), "WithoutCancel")) fl->without_cancel = true;
                e = call;
                continue;
            }
            fl->consumer = call;
            enum callee_use cu = callee_use_of(ctx, call, arg_index(f, par, e));
            fl->lost = cu == CALLEE_BLANK;
            fl->ignored = cu == CALLEE_UNREAD;
            fl->consumer_keeps = cu == CALLEE_KEEPS;
            return;
        }
        if (pk == N_RETURN_STATEMENT || (pk == N_EXPRESSION_LIST && ast_kind(f, ast_parent(f, par)) == N_RETURN_STATEMENT)) {
            fl->returned = true;
            return;
        }
        if (pk != N_EXPRESSION_LIST || f->nodes[par].field != F_RIGHT) return;
        /* x := context.Background(), x, cancel := context.WithCancel(...):
         * follow x and cancel through fn */
        nid st = ast_parent(f, par);
        if (ast_kind(f, st) == N_VAR_SPEC || !ast_child(f, st, F_LEFT)) return;
        nid left = ast_child(f, st, F_LEFT);
        nid first = ast_unparen(f, ast_first_child(f, left));
        if (ast_kind(f, first) == N_IDENTIFIER && only_waited_on(f, fn, f->nodes[st].end, ast_text(f, first))) {
            fl->lost = true;
            return;
        }
        AST_FOR_CHILDREN(f, left, l)
        {
            nid lu = ast_unparen(f, l);
            if (ast_kind(f, lu) != N_IDENTIFIER) fl->to_field = true;
            if (ast_kind(f, lu) != N_IDENTIFIER || ast_text_is(f, lu, "_")) continue;
            struct str vn = ast_text(f, lu);
            for (nid k = f->nodes[st].end; k < f->nodes[fn].end && !fl->var_outlives; k++) {
                if (ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), vn)) continue;
                if (use_outlives(f, fn, k)) fl->var_outlives = true;
                nid kp = ast_parent(f, k);
                if (ast_kind(f, kp) != N_ARGUMENT_LIST) continue;
                nid call = ast_parent(f, kp);
                /* traceCtx := context.Background(); traceCtx = p.Extract(traceCtx, headers) */
                if (ast_first_child(f, kp) == k && is_trace_extract(f, call)) fl->var_traced = true;
                if (fl->var_outlives) continue;
                if (callee_use_of(ctx, call, arg_index(f, kp, k)) == CALLEE_KEEPS) fl->var_outlives = true;
                else if (is_log_call(ctx, call) || is_trace_extract(f, call) || is_lifecycle_call(f, call)) fl->var_logged = true;
            }
        }
        return;
    }
}

/* The *http.Request parameter of fn whose r.Context() fn could use, as
 * contextcheck decides: fn is a handler (w http.ResponseWriter, r
 * *http.Request) or calls r.Context() itself; 0 otherwise. *blank set when
 * such a parameter is `_` or unnamed. */
static nid request_param(const struct pkg *p, int fi, nid fn, bool *blank)
{
    const struct gofile *f = &p->files[fi];
    *blank = false;
    nid params = ast_child(f, fn, F_PARAMETERS);
    int nparams = 0;
    nid req = 0, reqdecl = 0, first = 0;
    AST_FOR_CHILDREN(f, params, pd)
    {
        if (ast_kind(f, pd) != N_PARAMETER_DECLARATION && ast_kind(f, pd) != N_VARIADIC_PARAMETER_DECLARATION)
            continue;
        if (!first) first = pd;
        nparams++;
        if (!reqdecl && is_request_type(p, fi, ast_child(f, pd, F_TYPE))) {
            reqdecl = pd;
            req = ast_child(f, pd, F_NAME);
        }
    }
    if (!reqdecl) return 0;
    if (!req || ast_text_is(f, req, "_")) {
        *blank = true;
        return 0;
    }
    bool handler = nparams == 2 && reqdecl != first && !ast_child(f, fn, F_RESULT) &&
                   model_is_ref(p, fi, ast_child(f, first, F_TYPE), "net/http", "ResponseWriter");
    if (handler || calls_context_of(f, ast_child(f, fn, F_BODY), ast_text(f, req))) return req;
    return 0;
}

static void check_background(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    const char *which = model_is_call(ctx->pkg, ctx->fi, n, "context", "Background") ? "Background"
                        : model_is_call(ctx->pkg, ctx->fi, n, "context", "TODO")     ? "TODO"
                                                                                      : NULL;
    if (!which) return;
    /* `ctx != context.Background()` compares, it passes nothing on */
    nid up = ast_parent(f, n);
    while (ast_kind(f, up) == N_PARENTHESIZED_EXPRESSION) up = ast_parent(f, up);
    if (ast_kind(f, up) == N_BINARY_EXPRESSION && (f->nodes[up].op == OP_EQL || f->nodes[up].op == OP_NEQ)) return;
    bool detached = false; /* in a go or defer statement: may outlive the caller */
    bool callback = false; /* in a func literal handed to a call, which may keep it */
    bool from_request = false; /* the context in scope is r.Context() of an *http.Request */
    nid fn = 0, param = 0;
    for (nid a = ast_parent(f, n); a; a = ast_parent(f, a)) {
        enum node_kind ak = ast_kind(f, a);
        if (ak == N_GO_STATEMENT || ak == N_DEFER_STATEMENT) detached = true;
        if (ak != N_FUNC_LITERAL && ak != N_FUNCTION_DECLARATION && ak != N_METHOD_DECLARATION) continue;
        bool blank;
        param = ctx_param(ctx, a, &blank);
        if (blank) return;
        if (param) {
            fn = a;
            break;
        }
        param = request_param(ctx->pkg, ctx->fi, a, &blank);
        if (blank) return;
        if (param) {
            fn = a;
            from_request = true;
            break;
        }
        if (ak != N_FUNC_LITERAL) return;
        /* a func literal without a context of its own, run later: returned
         * (a shutdown closure), stored or assigned, it runs after the call
         * that supplied ctx has ended, so ctx would be the wrong context */
        if (!rl_literal_called_in_place(f, a) && !literal_local_called(f, a)) {
            /* passed: a callback the callee may keep; returned or stored:
             * it may run after the call that supplied ctx has ended, but
             * capturing ctx still carries its cancellation (contextcheck
             * reports it): low either way */
            callback = true;
        }
    }
    if (!param) return;
    struct str pn = ast_text(f, param);
    if (shadowed(f, fn, param, n)) return;
    bool checked = false; /* under a check that ctx is done: cleanup meant to run anyway */
    for (nid a = ast_parent(f, n); a && a != fn; a = ast_parent(f, a)) {
        if (ast_kind(f, a) == N_IF_STATEMENT) {
            nid cond = ast_child(f, a, F_CONDITION);
            if (cond && has_nil_check(f, cond, pn)) return; /* if ctx == nil { ctx = context.Background() } */
            if (cond && observes(f, cond, pn)) checked = true;
        }
        if (ast_kind(f, a) == N_COMMUNICATION_CASE && observes(f, ast_child(f, a, F_COMMUNICATION), pn))
            checked = true;
    }
    struct ctx_flow fl;
    ctx_flow_of(ctx, fn, n, &fl);
    if (fl.lost) return; /* nothing to lose */
    nid consumer = fl.consumer; /* the call that receives the new context */
    /* handed to a goroutine, stored, returned: an object-lifetime context */
    bool outlives = fl.returned || fl.consumer_keeps || fl.var_outlives;
    /* given to a logger, which reads values, not cancellation */
    bool logged = fl.var_traced || (consumer && (is_log_call(ctx, consumer) || is_trace_extract(f, consumer)));
    /* the same callee gets ctx elsewhere in fn: this other context may be a choice */
    bool choice = consumer && !from_request && same_callee_gets(f, fn, consumer, pn);
    enum confidence conf = CONF_HIGH;
    /* context.TODO() says "not wired yet", which ctx in scope contradicts;
     * a Background context needs a sign that the cancellation is missed */
    bool sure = !strcmp(which, "TODO") || ctx_never_used(f, fn, pn);
    if (!sure || choice || detached || checked || callback || outlives || logged || stored(ctx, n) ||
        fl.ignored || comment_explains(f, fn, n) || works_after_done(f, fn, n, pn) ||
        after_not_done_return(f, fn, n, pn) || rl_is_test_file(f) ||
        (consumer && is_lifecycle_call(f, consumer)) || (test_helper(ctx, fn) && name_used(f, fn, pn)))
        conf = CONF_LOW;
    char owner[160], cn[120];
    owner_label(f, fn, owner, sizeof owner);
    ctx_label(pn, from_request, cn, sizeof cn);
    struct finding *fd = rule_report_conf(ctx, n, conf,
                                          "context.%s() is used although %s is in scope (%s of %s): "
                                          "cancellation and deadlines of %s do not reach the work done with it",
                                          which, cn, from_request ? "request" : "parameter", owner, cn);
    if (!fd) return;
    rule_related(ctx, fd, param, "%.*s is received here", (int)pn.n, pn.p);
    if (fl.ignored) {
        int decl = model_callee(ctx->pkg, ctx->fi, consumer);
        rule_related_in(ctx, fd, ctx->pkg->decls[decl].file, ctx->pkg->decls[decl].node,
                        "%s does not use that argument yet: nothing is lost until it does",
                        ctx->pkg->decls[decl].name);
    }
    fd->fix = xasprintf("pass %s instead; if the work must outlive the caller on purpose, use "
                        "context.WithoutCancel(%s) (Go 1.21) so it keeps the values",
                        cn, cn);
}


/* Struct names of parameter bundles that carry a request's context by
 * design (http.Request keeps its ctx), checked by suffix. */
static const char *const bundle_suffixes[] = {"Request", "Req", "Options", "Opts", "Params", "Args", "Config"};

static void check_field(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    nid name = ast_child(f, n, F_NAME);
    if (!name) return; /* embedded: the type implements Context by embedding it */
    if (!model_is_ref(ctx->pkg, ctx->fi, ast_child(f, n, F_TYPE), "context", "Context")) return;
    if (rl_is_test_file(f)) return;
    nid st = ast_parent(f, ast_parent(f, n));
    nid spec = ast_parent(f, st);
    if (ast_kind(f, st) != N_STRUCT_TYPE || ast_kind(f, spec) != N_TYPE_SPEC) return;
    struct str tn = ast_text(f, ast_child(f, spec, F_NAME));
    for (size_t i = 0; i < GD_ARRAY_LEN(bundle_suffixes); i++)
        if (str_has_suffix(tn, bundle_suffixes[i])) return;
    /* a Context implementation that wraps its parent: it has Done or Value
     * methods, or embeds context.Context */
    const char *tname = arena_strndup(&ctx->pkg->arena, tn.p, tn.n);
    if (pkg_lookup_method(ctx->pkg, tname, str_make("Done", 4)) ||
        pkg_lookup_method(ctx->pkg, tname, str_make("Value", 5)))
        return;
    AST_FOR_CHILDREN(f, ast_parent(f, n), fd)
    if (ast_kind(f, fd) == N_FIELD_DECLARATION && !ast_child(f, fd, F_NAME) &&
        model_is_ref(ctx->pkg, ctx->fi, ast_child(f, fd, F_TYPE), "context", "Context"))
        return;
    struct str fnm = ast_text(f, name);
    struct finding *fd = rule_report_conf(
        ctx, name, CONF_LOW,
        "context.Context stored in field %.*s of %.*s: a stored context outlives the call that supplied it, so "
        "the methods using it no longer follow their callers' cancellation and deadlines",
        (int)fnm.n, fnm.p, (int)tn.n, tn.p);
    if (fd) fd->fix = xasprintf("pass the context as the first parameter of the methods that need it");
}

/* ---- across calls (golangci-lint's contextcheck) ----
 * A same-package function that takes no context (no context.Context
 * parameter or result, no *http.Request) but makes context.Background()
 * or context.TODO() itself, directly or through such functions at any
 * depth, is "fresh"; a call of it where a ctx is in scope loses that ctx's
 * cancellation. The table is built on demand per package, memoised in
 * pkg->rule_cache[PKG_CACHE_FRESH_CTX]. */

enum { FRESH_UNKNOWN, FRESH_COMPUTING, FRESH_DONE };

struct fresh_info {
    uint8_t state;
    bool candidate; /* a function with a body and no context in or out */
    bool fresh;
    bool weak;  /* every way it makes a context looks deliberate (detached, stored, a lifecycle call...) */
    bool todo;  /* the context made is context.TODO() */
    int via;    /* the callee that makes it, or -1: made here */
    nid site;   /* the Background/TODO call, or the call of via */
    int8_t served; /* -1 unknown, 2 computing, 0 every caller has a ctx, 1 a caller without one */
};

struct fresh_table {
    struct fresh_info *fn; /* by decl index */
    /* calls of candidate functions in non-test files: callee, file, call */
    int *e_callee, *e_file;
    nid *e_call;
    int nedges;
    int *ncallers; /* by decl index: how many of those calls call it */
    bool edges_built, e_in_arena;
};

/* Does subtree n (a parameter list or a result type) mention context.Context? */
static bool mentions_context(const struct pkg *p, int fi, nid n)
{
    const struct gofile *f = &p->files[fi];
    for (nid k = n; k && k < f->nodes[n].end; k++)
        if (ast_kind(f, k) == N_QUALIFIED_TYPE && model_is_ref(p, fi, k, "context", "Context")) return true;
    return false;
}

/* Does subtree n mention *http.Request? */
static bool mentions_request(const struct pkg *p, int fi, nid n)
{
    const struct gofile *f = &p->files[fi];
    for (nid k = n; k && k < f->nodes[n].end; k++)
        if (ast_kind(f, k) == N_POINTER_TYPE && is_request_type(p, fi, k)) return true;
    return false;
}

static struct fresh_table *fresh_table(struct pkg *p)
{
    struct fresh_table *t = p->rule_cache[PKG_CACHE_FRESH_CTX];
    if (t) return t;
    t = arena_alloc(&p->arena, sizeof *t);
    memset(t, 0, sizeof *t);
    t->fn = arena_alloc(&p->arena, sizeof *t->fn * (size_t)(p->ndecls ? p->ndecls : 1));
    memset(t->fn, 0, sizeof *t->fn * (size_t)(p->ndecls ? p->ndecls : 1));
    for (int d = 0; d < p->ndecls; d++) {
        struct fresh_info *fi = &t->fn[d];
        fi->via = -1;
        fi->served = -1;
        const struct pkg_decl *pd = &p->decls[d];
        if (pd->what != PD_FUNC && pd->what != PD_METHOD) continue;
        const struct gofile *f = &p->files[pd->file];
        if (!ast_child(f, pd->node, F_BODY)) continue;
        nid params = ast_child(f, pd->node, F_PARAMETERS), res = ast_child(f, pd->node, F_RESULT);
        if (mentions_context(p, pd->file, params) || mentions_context(p, pd->file, res) ||
            mentions_request(p, pd->file, params))
            continue;
        fi->candidate = true;
    }
    p->rule_cache[PKG_CACHE_FRESH_CTX] = t;
    return t;
}

/* Is n inside a go or defer statement, or a func literal that fn neither
 * calls in place nor only calls through a local, below fn? */
static bool detached_in(const struct gofile *f, nid fn, nid n)
{
    for (nid a = ast_parent(f, n); a && a != fn; a = ast_parent(f, a)) {
        enum node_kind ak = ast_kind(f, a);
        if (ak == N_GO_STATEMENT || ak == N_DEFER_STATEMENT) return true;
        if (ak == N_FUNC_LITERAL && !rl_literal_called_in_place(f, a) && !literal_local_called(f, a)) return true;
    }
    return false;
}

/* What a Background/TODO call `site` in fresh function fn (of file fi)
 * is: 0 not a context that reaches work (compared, or the callee ignores
 * it), 1 a context that looks deliberate (detached, stored, returned, kept
 * by the callee, given to a logger or a lifecycle call, explained by a
 * comment, made in a constructor or a lifecycle function), 2 plain. */
static int site_kind(struct pkg *p, int fi, nid fn, nid site)
{
    struct rule_ctx tmp = {.pkg = p, .fi = fi, .f = &p->files[fi]};
    const struct gofile *f = tmp.f;
    nid up = ast_parent(f, site);
    while (ast_kind(f, up) == N_PARENTHESIZED_EXPRESSION) up = ast_parent(f, up);
    if (ast_kind(f, up) == N_BINARY_EXPRESSION && (f->nodes[up].op == OP_EQL || f->nodes[up].op == OP_NEQ)) return 0;
    bool weak = detached_in(f, fn, site) || stored(&tmp, site) || comment_explains(f, fn, site);
    struct str fname = ast_text(f, ast_child(f, fn, F_NAME));
    if (lifecycle_name(fname) || str_has_prefix(fname, "New") || str_has_prefix(fname, "new") ||
        str_eq(fname, "main") || str_eq(fname, "init"))
        weak = true;
    struct ctx_flow fl;
    ctx_flow_of(&tmp, fn, site, &fl);
    if (fl.lost) return 0;
    nid call = fl.consumer;
    if (fl.ignored || fl.without_cancel || fl.returned || fl.to_field || fl.var_outlives || fl.var_logged || fl.consumer_keeps)
        weak = true;
    if (call) {
        struct str cn = called_name(f, call);
        if (is_log_call(&tmp, call) || is_trace_extract(f, call) || is_lifecycle_call(f, call) || str_has_prefix(cn, "New") ||
            str_has_prefix(cn, "new"))
            weak = true;
    }
    return weak ? 1 : 2;
}

/* Computes t->fn[d] (memoised; a cycle reads as not fresh). */
static const struct fresh_info *fresh_of(struct pkg *p, struct fresh_table *t, int d, int depth)
{
    struct fresh_info *r = &t->fn[d];
    if (r->state != FRESH_UNKNOWN || !r->candidate) return r;
    if (depth > 32) return r; /* not computed: reads as not fresh here */
    r->state = FRESH_COMPUTING;
    const struct pkg_decl *pd = &p->decls[d];
    int fi = pd->file;
    const struct gofile *f = &p->files[fi];
    nid fn = pd->node, body = ast_child(f, fn, F_BODY);
    /* best so far: plain beats deliberate; made here beats made below */
    int best_kind = 0;
    for (nid k = body; k < f->nodes[body].end; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        bool bg = model_is_call(p, fi, k, "context", "Background");
        bool todo = !bg && model_is_call(p, fi, k, "context", "TODO");
        int kind = 0, via = -1;
        if (bg || todo) {
            kind = site_kind(p, fi, fn, k);
        } else {
            int c = model_callee(p, fi, k);
            if (c < 0 || c == d || !t->fn[c].candidate) continue;
            const struct fresh_info *ci = fresh_of(p, t, c, depth + 1);
            if (ci->state != FRESH_DONE || !ci->fresh) continue;
            kind = ci->weak || detached_in(f, fn, k) ? 1 : 2;
            via = c;
            todo = ci->todo;
        }
        if (kind > best_kind || (kind == best_kind && kind && r->via >= 0 && via < 0)) {
            best_kind = kind;
            r->fresh = true;
            r->weak = kind == 1;
            r->todo = todo;
            r->via = via;
            r->site = k;
        }
    }
    r->state = FRESH_DONE;
    return r;
}

/* The nearest function around n (through func literals) with a context in
 * scope: a context.Context parameter (blank counts: *blank set) or an
 * *http.Request whose r.Context() it could use; 0 when none. *lit_escapes
 * set when a func literal on the way runs later (returned, stored). */
static nid scope_with_ctx(const struct pkg *p, int fi, nid n, nid *param, bool *blank, bool *req, bool *detached,
                          bool *lit_escapes)
{
    const struct gofile *f = &p->files[fi];
    struct rule_ctx tmp = {.pkg = (struct pkg *)p, .fi = fi, .f = f};
    *param = 0, *blank = *req = *detached = *lit_escapes = false;
    for (nid a = ast_parent(f, n); a; a = ast_parent(f, a)) {
        enum node_kind ak = ast_kind(f, a);
        if (ak == N_GO_STATEMENT || ak == N_DEFER_STATEMENT) *detached = true;
        if (ak != N_FUNC_LITERAL && ak != N_FUNCTION_DECLARATION && ak != N_METHOD_DECLARATION) continue;
        *param = ctx_param(&tmp, a, blank);
        if (*blank || *param) return a;
        *param = request_param(p, fi, a, blank);
        if (*blank) return a;
        if (*param) {
            *req = true;
            return a;
        }
        if (mentions_context(p, fi, ast_child(f, a, F_PARAMETERS))) {
            *blank = true; /* a context in an unnamed or grouped form: leave it */
            return a;
        }
        if (ak != N_FUNC_LITERAL) return 0;
        if (!rl_literal_called_in_place(f, a) && !literal_local_called(f, a)) {
            if (literal_passed(f, a))
                *detached = true;
            else
                *lit_escapes = true;
        }
    }
    return 0;
}

/* Is fresh function d called, in the package's non-test files, from a
 * place without a context: a function without one that is main, init,
 * exported, never called in the package, or itself so called? Then d
 * serves callers that have no context to give, and its own is a design
 * choice. */
static bool served_without_ctx(struct pkg *p, struct fresh_table *t, int d, int depth)
{
    struct fresh_info *r = &t->fn[d];
    if (r->served == 0 || r->served == 1) return r->served;
    if (r->served == 2 || depth > 32) return false;
    if (!t->edges_built) {
        t->edges_built = true;
        int cap = 64;
        t->e_callee = xmalloc(sizeof(int) * (size_t)cap);
        t->e_file = xmalloc(sizeof(int) * (size_t)cap);
        t->e_call = xmalloc(sizeof(nid) * (size_t)cap);
        for (int fi = 0; fi < p->nfiles; fi++) {
            const struct gofile *f = &p->files[fi];
            if (rl_is_test_file(f)) continue;
            for (nid k = 0; k < f->nnodes; k++) {
                if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
                int c = model_callee(p, fi, k);
                if (c < 0 || !t->fn[c].candidate) continue;
                if (t->nedges == cap) {
                    cap *= 2;
                    t->e_callee = xrealloc(t->e_callee, sizeof(int) * (size_t)cap);
                    t->e_file = xrealloc(t->e_file, sizeof(int) * (size_t)cap);
                    t->e_call = xrealloc(t->e_call, sizeof(nid) * (size_t)cap);
                }
                t->e_callee[t->nedges] = c, t->e_file[t->nedges] = fi, t->e_call[t->nedges] = k;
                t->nedges++;
            }
        }
    }
    r->served = 2;
    bool served = false;
    if (t->e_callee && !t->e_in_arena) {
        /* keep the edges in the package arena, freed with it */
        size_t nb = sizeof(int) * (size_t)(t->nedges ? t->nedges : 1);
        int *c = arena_alloc(&p->arena, nb), *fl = arena_alloc(&p->arena, nb);
        nid *cl = arena_alloc(&p->arena, sizeof(nid) * (size_t)(t->nedges ? t->nedges : 1));
        memcpy(c, t->e_callee, sizeof(int) * (size_t)t->nedges);
        memcpy(fl, t->e_file, sizeof(int) * (size_t)t->nedges);
        memcpy(cl, t->e_call, sizeof(nid) * (size_t)t->nedges);
        free(t->e_callee), free(t->e_file), free(t->e_call);
        t->e_callee = c, t->e_file = fl, t->e_call = cl;
        t->e_in_arena = true;
        t->ncallers = arena_alloc(&p->arena, sizeof(int) * (size_t)(p->ndecls ? p->ndecls : 1));
        memset(t->ncallers, 0, sizeof(int) * (size_t)(p->ndecls ? p->ndecls : 1));
        for (int i = 0; i < t->nedges; i++) t->ncallers[t->e_callee[i]]++;
    }
    for (int i = 0; i < t->nedges && !served; i++) {
        if (t->e_callee[i] != d) continue;
        int fi = t->e_file[i];
        const struct gofile *f = &p->files[fi];
        nid prm;
        bool blank, req, det, esc;
        if (scope_with_ctx(p, fi, t->e_call[i], &prm, &blank, &req, &det, &esc)) continue;
        nid outer = model_enclosing_func(f, t->e_call[i]);
        while (outer && ast_kind(f, outer) == N_FUNC_LITERAL) outer = model_enclosing_func(f, outer);
        int e = outer ? pkg_decl_index(p, fi, outer) : -1;
        if (e < 0) {
            served = true; /* a package-level variable's initialiser */
            break;
        }
        struct str en = ast_text(f, ast_child(f, outer, F_NAME));
        if (str_eq(en, "main") || str_eq(en, "init") || (en.n && en.p[0] >= 'A' && en.p[0] <= 'Z')) {
            served = true;
            break;
        }
        if (!t->ncallers[e] || served_without_ctx(p, t, e, depth + 1)) served = true;
    }
    r->served = served;
    return served;
}

/* The name of decl d for messages: Recv.Name or Name. */
static void decl_label(const struct pkg *p, int d, char *buf, size_t n)
{
    const struct pkg_decl *pd = &p->decls[d];
    if (pd->what == PD_METHOD && pd->recv_type)
        snprintf(buf, n, "%s.%s", pd->recv_type, pd->name);
    else
        snprintf(buf, n, "%s", pd->name);
}

/* A call, where a ctx is in scope, of a same-package function that makes
 * its own context (contextcheck's "Function `f` should pass the context
 * parameter"). */
static void check_cross_call(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    struct pkg *p = ctx->pkg;
    int d = model_callee(p, ctx->fi, n);
    if (d < 0) return;
    struct fresh_table *t = fresh_table(p);
    if (!t->fn[d].candidate) return;
    nid param;
    bool blank, req, detached, escapes;
    nid fn = scope_with_ctx(p, ctx->fi, n, &param, &blank, &req, &detached, &escapes);
    if (!fn || blank || !param || escapes) return;
    const struct fresh_info *r = fresh_of(p, t, d, 0);
    if (r->state != FRESH_DONE || !r->fresh) return;
    /* the path: d -> ... -> the function that makes it */
    char path[400], lab[120];
    decl_label(p, d, path, sizeof path);
    int last = d, hops = 0;
    const char *dn0 = p->decls[d].name;
    bool exported = dn0 && dn0[0] >= 'A' && dn0[0] <= 'Z';
    while (t->fn[last].via >= 0 && hops++ < 16) {
        last = t->fn[last].via;
        const char *hn = p->decls[last].name;
        if (hn && hn[0] >= 'A' && hn[0] <= 'Z') exported = true; /* an API on the way: a design choice */
        decl_label(p, last, lab, sizeof lab);
        size_t len = strlen(path);
        if (len + strlen(lab) + 5 < sizeof path) snprintf(path + len, sizeof path - len, " -> %s", lab);
    }
    const struct fresh_info *lr = &t->fn[last];
    struct str pn = ast_text(f, param);
    char cn[120], owner[160];
    ctx_label(pn, req, cn, sizeof cn);
    owner_label(f, fn, owner, sizeof owner);
    const char *dn = p->decls[d].name;
    enum confidence conf = CONF_MEDIUM;
    /* a Background made below is as often a bounded or object-lifetime
     * context of the callee's own (its own timeout, a cache it fills):
     * judged on the ecosystem corpus, only TODO ("not wired yet") held up */
    if (!lr->todo || r->weak || exported || detached || rl_is_test_file(f) || test_helper(ctx, fn) ||
        served_without_ctx(p, t, d, 0))
        conf = CONF_LOW;
    struct finding *fd = rule_report_conf(
        ctx, n, conf,
        "%s%s makes its own context.%s() although %s is in scope (%s of %s): cancellation and deadlines of "
        "%s do not reach the work it does",
        hops ? "the call path " : "", path, lr->todo ? "TODO" : "Background", cn, req ? "request" : "parameter",
        owner, cn);
    if (!fd) return;
    rule_related_in(ctx, fd, p->decls[last].file, lr->site, "the context is made here");
    rule_related(ctx, fd, param, "%.*s is received here", (int)pn.n, pn.p);
    fd->fix = xasprintf("give %s a ctx parameter and pass %s down instead of making a new context", dn, cn);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    if (ast_kind(ctx->f, n) == N_CALL_EXPRESSION) {
        check_background(ctx, n);
        check_cross_call(ctx, n);
    } else
        check_field(ctx, n);
}

const struct rule rule_context_not_propagated = {
    .id = "GD506",
    .name = "context-not-propagated",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A function that receives a context passes context.Background() or context.TODO() on instead.",
    .why = "A `ctx context.Context` parameter carries the caller's cancellation, deadline and request values. "
           "A function that has one but calls `doWork(context.Background())` cuts the chain: when the client "
           "goes away or the deadline passes, the work started here keeps running, holding connections and "
           "goroutines, and a slow dependency is never timed out. The race detector and tests rarely show it; "
           "it shows as requests that cannot be cancelled and goroutines that pile up under load. godark "
           "reports context.Background() and context.TODO() inside a function (or a func literal within it) "
           "whose context.Context parameter is in scope. It stays silent when that parameter is `_` or "
           "unnamed, when a local of the same name shadows it, for the `if ctx == nil { ctx = "
           "context.Background() }` guard, inside a func literal that escapes (a returned shutdown closure, "
           "a stored callback: it runs after the call that supplied ctx), when the same-package callee "
           "declares that it ignores that argument (`_`), and when the same function gets ctx elsewhere in the "
           "function (the other context is a choice), and when the new context is only waited on "
           "(`x.Done()`, `x.Err()`: a wake-up signal, no work is done with it). A context given to a "
           "same-package callee that does not read its ctx parameter yet gets low confidence: nothing is lost "
           "until the callee starts using it (contextcheck reports it). Work that must outlive the "
           "call on purpose gets low "
           "confidence: inside a go or defer statement or a callback handed to a call, after checking "
           "ctx.Err() or ctx.Done() (under the check, or after a guard that returns unless ctx is done: "
           "`if !errors.Is(ctx.Err(), context.Canceled) { return }`), a context (or its cancel) handed to a goroutine, stored in a field or "
           "composite literal, or returned, or passed to a same-package callee that keeps it so (an "
           "object-lifetime context), a context given to a logger (it reads values, not cancellation), one "
           "whose reason a comment just above gives (or a comment further up in the function that names the "
           "background context), work after a select case on ctx.Done() that does not "
           "return or break (a last pass after cancellation needs a live context), a lifecycle call "
           "(Start..., Stop..., Shutdown..., Restart..., Close...: what starts outlives the call, and a stop "
           "is meant to finish when the caller has given up), an undo call (Release..., Unlock..., Abort..., "
           "Rollback..., Revoke..., Cleanup..., Unregister..., Deregister...: cleanup after work already done, "
           "which an expired ctx would make fail), a logging call (a logger's method such as slog's Enabled, "
           "or a helper whose name has the word Log, Logf, Logger or Logging, not one that reads logs back), "
           "a context reparented from a message's trace headers (`propagator.Extract(context.Background(), "
           "carrier)`: a fresh root per received message), tests, and test helpers (a *testing.T, "
           "*testing.B or testing.TB parameter) that use their ctx elsewhere. `context.TODO()` says the "
           "context is not "
           "wired yet, which a ctx in scope contradicts: high confidence. `context.Background()` is as often "
           "a deliberate detachment, so it is high only where a declared function never uses its ctx at all "
           "(the plain case, high even in a test helper); otherwise low. Weaker signs (the function checks "
           "ctx.Err() itself, the same receiver gets ctx in another call) were right only 3 times in 9 on "
           "code the rule had not been tuned on. "
           "`context.WithoutCancel(ctx)` (Go 1.21) says that intent and keeps the values. A context stored "
           "in a struct field is reported at low confidence too: the context package asks to pass it "
           "explicitly to each function instead (structs named like parameter bundles, ...Request, "
           "...Options, ...Config, and Context implementations are left alone). "
           "An `*http.Request` counts as a ctx in scope (its `r.Context()`) in a handler `(w "
           "http.ResponseWriter, r *http.Request)` or a function that calls `r.Context()` itself. "
           "Across calls: a call, where a ctx is in scope, of a same-package function that takes no "
           "context (no context.Context parameter or result, no *http.Request) but makes "
           "context.Background() or context.TODO() itself, directly or through such functions at any "
           "depth (the path is in the message). It is medium when the context made below is TODO and "
           "plain; low when it is Background (as often the callee's own bounded or object-lifetime "
           "context), when it looks deliberate (made in a goroutine, stored, returned, kept by its callee, "
           "given to a logger or a lifecycle call, explained by a comment, wrapped in "
           "context.WithoutCancel, made in a constructor New..., main, init or a Start/Stop-like "
           "function), when an exported function is on the path (an API without a ctx is a design "
           "choice), when the callee also serves callers without a ctx (main, init, exported or uncalled "
           "functions), for a call in a go statement, and in tests. A context made in a func literal that "
           "runs later (returned, stored) and the same callee getting ctx elsewhere in the function are "
           "low too. Covers golangci-lint's contextcheck.",
    .bad = "package store\n\n"
           "import (\n\t\"context\"\n\t\"database/sql\"\n)\n\n"
           "type Store struct {\n\tdb *sql.DB\n}\n\n"
           "func (s *Store) Get(ctx context.Context, id int) (string, error) {\n"
           "\tif err := ctx.Err(); err != nil {\n\t\treturn \"\", err\n\t}\n"
           "\tvar name string\n"
           "\terr := s.db.QueryRowContext(context.Background(), \"SELECT name FROM users WHERE id = ?\", id)."
           "Scan(&name)\n"
           "\treturn name, err\n}\n",
    .good = "package store\n\n"
            "import (\n\t\"context\"\n\t\"database/sql\"\n)\n\n"
            "type Store struct {\n\tdb *sql.DB\n}\n\n"
            "func (s *Store) Get(ctx context.Context, id int) (string, error) {\n"
            "\tif err := ctx.Err(); err != nil {\n\t\treturn \"\", err\n\t}\n"
            "\tvar name string\n"
            "\terr := s.db.QueryRowContext(ctx, \"SELECT name FROM users WHERE id = ?\", id).Scan(&name)\n"
            "\treturn name, err\n}\n",
    .fix_safety = "Passing ctx makes the work stop when the caller's context is cancelled; where the work must "
                  "finish regardless (cleanup, audit logs), use context.WithoutCancel(ctx) instead.",
    .kinds = {N_CALL_EXPRESSION, N_FIELD_DECLARATION},
    .visit = visit,
};
