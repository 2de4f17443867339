/* rules/context_not_propagated: GD506 context-not-propagated. A function
 * that receives a context.Context parameter but makes context.Background()
 * or context.TODO() for the work it starts, so the caller's cancellation and
 * deadline do not reach that work; and (low confidence) a context.Context
 * stored in a struct field.
 * How: call_expression nodes that model_is_call("context", "Background" /
 * "TODO") accepts; the nearest enclosing function (through func literals)
 * with a parameter of type context.Context by the model; silent when that
 * parameter is blank or unnamed, when a local of the same name shadows it at
 * the call, and under `if ctx == nil`. Low confidence inside a go or defer
 * statement, under a check of ctx.Err()/ctx.Done(), when the context is
 * stored in a field (it is meant to outlive the call), and in tests. A goroutine loop that never observes ctx is
 * GD105's finding, not this rule's. Fields: field_declaration nodes of a
 * named struct type whose type is context.Context. */
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
    return false;
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
        if (ak != N_FUNC_LITERAL) return;
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
    enum confidence conf = CONF_HIGH;
    if (detached || checked || stored(ctx, n) || rl_is_test_file(f)) conf = CONF_LOW;
    char owner[160];
    if (ast_kind(f, fn) == N_FUNC_LITERAL) {
        snprintf(owner, sizeof owner, "the func literal at line %u", f->nodes[fn].line);
    } else {
        struct str fname = ast_text(f, ast_child(f, fn, F_NAME));
        snprintf(owner, sizeof owner, "%.*s", (int)(fname.n > 100 ? 100 : fname.n), fname.p);
    }
    struct finding *fd = rule_report_conf(ctx, n, conf,
                                          "context.%s() is used although %.*s is in scope (parameter of %s): "
                                          "cancellation and deadlines of %.*s do not reach the work done with it",
                                          which, (int)pn.n, pn.p, owner, (int)pn.n, pn.p);
    if (!fd) return;
    rule_related(ctx, fd, param, "%.*s is received here", (int)pn.n, pn.p);
    fd->fix = xasprintf("pass %.*s instead; if the work must outlive the caller on purpose, use "
                        "context.WithoutCancel(%.*s) (Go 1.21) so it keeps the values",
                        (int)pn.n, pn.p, (int)pn.n, pn.p);
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

static void visit(struct rule_ctx *ctx, nid n)
{
    if (ast_kind(ctx->f, n) == N_CALL_EXPRESSION)
        check_background(ctx, n);
    else
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
           "unnamed, when a local of the same name shadows it, and for the `if ctx == nil { ctx = "
           "context.Background() }` guard. Work that must outlive the call on purpose (inside a go or defer "
           "statement, after checking ctx.Err() or ctx.Done(), or a context stored in a field for a "
           "long-lived object) gets low confidence, as do tests; a function that never uses its ctx but "
           "passes context.Background() is the plain case of the bug and keeps high confidence; "
           "`context.WithoutCancel(ctx)` (Go 1.21) says that intent and keeps the values. A context stored "
           "in a struct field is reported at low confidence too: the context package asks to pass it "
           "explicitly to each function instead (structs named like parameter bundles, ...Request, "
           "...Options, ...Config, and Context implementations are left alone).",
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
