/* rules/nil_context: GD509 nil-context (staticcheck SA1012). A literal nil
 * passed where the parameter is a context.Context: the callee (or a
 * function it hands the context to) panics on ctx.Done() or ctx.Value.
 * How: call arguments that are the predeclared nil; the parameter's type
 * comes from the declaration of a function or method of the package
 * (generic instantiations too), or from a small table of standard-library
 * functions and methods that take a context. A callee that itself tests
 * its parameter against nil accepts one: low confidence. */
#include <string.h>
#include <strings.h>

#include "rulelib.h"

/* Standard-library functions (recv NULL) and methods taking a
 * context.Context at argument index arg. */
static const struct std_ctx {
    const char *path, *recv, *name;
    int arg;
} std_ctx[] = {
    {"context", NULL, "WithCancel", 0},
    {"context", NULL, "WithCancelCause", 0},
    {"context", NULL, "WithTimeout", 0},
    {"context", NULL, "WithTimeoutCause", 0},
    {"context", NULL, "WithDeadline", 0},
    {"context", NULL, "WithDeadlineCause", 0},
    {"context", NULL, "WithValue", 0},
    {"context", NULL, "WithoutCancel", 0},
    {"context", NULL, "AfterFunc", 0},
    {"net/http", NULL, "NewRequestWithContext", 0},
    {"net/http", "Request", "WithContext", 0},
    {"net/http", "Request", "Clone", 0},
    {"net/http", "Server", "Shutdown", 0},
    {"net/http/httptrace", NULL, "WithClientTrace", 0},
    {"os/exec", NULL, "CommandContext", 0},
    {"os/signal", NULL, "NotifyContext", 0},
    {"net", "Dialer", "DialContext", 0},
    {"net", "ListenConfig", "Listen", 0},
    {"net", "ListenConfig", "ListenPacket", 0},
    {"net", "Resolver", "LookupHost", 0},
    {"net", "Resolver", "LookupIPAddr", 0},
    {"net", "Resolver", "LookupIP", 0},
    {"database/sql", "DB", "QueryContext", 0},
    {"database/sql", "DB", "QueryRowContext", 0},
    {"database/sql", "DB", "ExecContext", 0},
    {"database/sql", "DB", "PrepareContext", 0},
    {"database/sql", "DB", "PingContext", 0},
    {"database/sql", "DB", "BeginTx", 0},
    {"database/sql", "DB", "Conn", 0},
    {"database/sql", "Conn", "QueryContext", 0},
    {"database/sql", "Conn", "QueryRowContext", 0},
    {"database/sql", "Conn", "ExecContext", 0},
    {"database/sql", "Conn", "PrepareContext", 0},
    {"database/sql", "Conn", "PingContext", 0},
    {"database/sql", "Conn", "BeginTx", 0},
    {"database/sql", "Tx", "QueryContext", 0},
    {"database/sql", "Tx", "QueryRowContext", 0},
    {"database/sql", "Tx", "ExecContext", 0},
    {"database/sql", "Tx", "PrepareContext", 0},
    {"database/sql", "Tx", "StmtContext", 0},
    {"database/sql", "Stmt", "QueryContext", 0},
    {"database/sql", "Stmt", "QueryRowContext", 0},
    {"database/sql", "Stmt", "ExecContext", 0},
    {"runtime/trace", NULL, "NewTask", 0},
    {"runtime/trace", NULL, "StartRegion", 0},
    {"runtime/trace", NULL, "WithRegion", 0},
    {"runtime/trace", NULL, "Log", 0},
    {"runtime/trace", NULL, "Logf", 0},
    {"golang.org/x/sync/errgroup", NULL, "WithContext", 0},
    {"golang.org/x/sync/semaphore", "Weighted", "Acquire", 0},
    {"golang.org/x/time/rate", "Limiter", "Wait", 0},
    {"golang.org/x/time/rate", "Limiter", "WaitN", 0},
};

/* The declaration (function or method) of the package that call calls
 * directly, with *dfi its file; 0 when unknown. */
static nid callee_decl_in(struct pkg *p, int fi, nid call, int *dfi)
{
    const struct gofile *f = &p->files[fi];
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    /* fn[int](...): an explicit instantiation */
    if (ast_kind(f, fe) == N_INDEX_EXPRESSION || ast_kind(f, fe) == N_TYPE_INSTANTIATION_EXPRESSION ||
        ast_kind(f, fe) == N_GENERIC_TYPE)
        fe = ast_unparen(f, ast_first_child(f, fe));
    const struct pkg_decl *d = NULL;
    if (ast_kind(f, fe) == N_IDENTIFIER) {
        nid ld, ln;
        if (model_resolve_local(p, fi, fe, &ld, &ln)) return 0;
        struct str nm = ast_text(f, fe);
        if (pkg_decl_count(p, nm, PD_FUNC) != 1) return 0;
        d = pkg_lookup(p, nm, PD_FUNC);
    } else if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION) {
        nid op = ast_unparen(f, ast_child(f, fe, F_OPERAND));
        /* (*T).M(recv, ...) and T.M(recv, ...): method expressions */
        if (ast_kind(f, op) == N_UNARY_EXPRESSION || ast_kind(f, op) == N_POINTER_TYPE) return 0;
        if (ast_kind(f, op) == N_IDENTIFIER) {
            nid ld, ln;
            if (!model_resolve_local(p, fi, op, &ld, &ln) && pkg_lookup(p, ast_text(f, op), PD_TYPE))
                return 0;
        }
        struct ltype *t = model_type_of(p, fi, op);
        const char *own = ltype_own_name(t);
        if (!own || pkg_decl_count(p, str_make(own, strlen(own)), PD_TYPE) != 1) return 0;
        d = pkg_lookup_method(p, own, ast_text(f, ast_child(f, fe, F_FIELD)));
    }
    if (!d) return 0;
    *dfi = d->file;
    return d->node;
}

/* The parameter declaration of fn (file f) that argument index i falls
 * into, with *name its name node for that argument (0 when unnamed); 0
 * when past the end or variadic. */
static nid param_at(const struct gofile *f, nid fn, unsigned i, nid *name)
{
    nid params = ast_child(f, fn, F_PARAMETERS);
    unsigned at = 0;
    AST_FOR_CHILDREN(f, params, pd)
    {
        if (ast_kind(f, pd) != N_PARAMETER_DECLARATION) return 0;
        unsigned names = 0;
        AST_FOR_CHILDREN(f, pd, c) if (f->nodes[c].field == F_NAME) names++;
        unsigned span = names ? names : 1;
        if (i < at + span) {
            *name = 0;
            unsigned j = 0;
            AST_FOR_CHILDREN(f, pd, c) if (f->nodes[c].field == F_NAME && j++ == i - at) *name = c;
            return pd;
        }
        at += span;
    }
    return 0;
}

static nid callee_decl_in(struct pkg *p, int fi, nid call, int *dfi);
static nid param_at(const struct gofile *f, nid fn, unsigned i, nid *name);

/* Does some file of the package compare a field named fld with nil
 * (`s.ctx == nil`)? */
static bool field_tested_nil(const struct pkg *p, struct str fld)
{
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            if (ast_kind(f, k) != N_BINARY_EXPRESSION || (f->nodes[k].op != OP_EQL && f->nodes[k].op != OP_NEQ))
                continue;
            nid a = ast_unparen(f, ast_first_child(f, k)), b = ast_unparen(f, ast_next(f, ast_first_child(f, k)));
            if (ast_kind(f, a) == N_NIL) {
                nid t = a;
                a = b, b = t;
            }
            if (ast_kind(f, b) == N_NIL && ast_kind(f, a) == N_SELECTOR_EXPRESSION &&
                str_eqs(ast_text(f, ast_child(f, a, F_FIELD)), fld))
                return true;
        }
    }
    return false;
}

/* When identifier k is stored in a field (`s.ctx = ctx`, `T{ctx: ctx}`):
 * the field's name; else an empty string. */
static struct str stored_field(const struct gofile *f, nid k)
{
    nid par = ast_parent(f, k);
    if (ast_kind(f, par) == N_LITERAL_ELEMENT) {
        nid ke = ast_parent(f, par);
        if (ast_kind(f, ke) == N_KEYED_ELEMENT && ast_first_child(f, ke) != par)
            return ast_text(f, ast_first_child(f, ke));
        return str_make("", 0);
    }
    if (ast_kind(f, par) != N_EXPRESSION_LIST || f->nodes[par].field != F_RIGHT) return str_make("", 0);
    nid st = ast_parent(f, par), left = ast_child(f, st, F_LEFT);
    if (ast_kind(f, st) != N_ASSIGNMENT_STATEMENT || ast_child_count(f, left) != ast_child_count(f, par))
        return str_make("", 0);
    unsigned i = 0;
    AST_FOR_CHILDREN(f, par, c)
    {
        if (c == k) break;
        i++;
    }
    nid l = ast_unparen(f, ast_nth_child(f, left, i));
    return ast_kind(f, l) == N_SELECTOR_EXPRESSION ? ast_text(f, ast_child(f, l, F_FIELD)) : str_make("", 0);
}

/* Does function fn (file fi) accept a nil context in parameter `name`: it
 * compares it with nil (`ctx == nil`), stores it in a field that the
 * package compares with nil, or hands it on to a function of the package
 * that does (depth bounded)? */
static bool tests_nil(struct pkg *p, int fi, nid fn, nid name, int depth)
{
    const struct gofile *f = &p->files[fi];
    if (!name) return false;
    struct str nm = ast_text(f, name);
    for (nid k = fn + 1; k < f->nodes[fn].end; k++) {
        if (ast_kind(f, k) == N_CALL_EXPRESSION && depth < 3) {
            unsigned i = 0;
            AST_FOR_CHILDREN(f, ast_child(f, k, F_ARGUMENTS), a)
            {
                unsigned idx = i++;
                if (ast_kind(f, ast_unparen(f, a)) != N_IDENTIFIER || !str_eqs(ast_text(f, ast_unparen(f, a)), nm))
                    continue;
                int dfi = -1;
                nid d = callee_decl_in(p, fi, k, &dfi), pn = 0;
                if (d && d != fn && param_at(&p->files[dfi], d, idx, &pn) && tests_nil(p, dfi, d, pn, depth + 1))
                    return true;
                /* x.m(ctx) with x of a type we do not know: any method m of
                 * the package (we only lower the confidence with it) */
                nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
                if (d || ast_kind(f, fe) != N_SELECTOR_EXPRESSION) continue;
                struct str m = ast_text(f, ast_child(f, fe, F_FIELD));
                for (int di = 0; di < p->ndecls; di++) {
                    const struct pkg_decl *md = &p->decls[di];
                    if (md->what != PD_METHOD || md->node == fn || strlen(md->name) != m.n ||
                        memcmp(md->name, m.p, m.n))
                        continue;
                    if (param_at(&p->files[md->file], md->node, idx, &pn) &&
                        tests_nil(p, md->file, md->node, pn, depth + 1))
                        return true;
                }
            }
        }
        if (ast_kind(f, k) == N_IDENTIFIER && str_eqs(ast_text(f, k), nm)) {
            struct str fld = stored_field(f, k);
            if (fld.n && field_tested_nil(p, fld)) return true;
        }
        if (ast_kind(f, k) != N_BINARY_EXPRESSION || (f->nodes[k].op != OP_EQL && f->nodes[k].op != OP_NEQ)) continue;
        nid a = ast_unparen(f, ast_first_child(f, k)), b = ast_unparen(f, ast_next(f, ast_first_child(f, k)));
        if ((ast_kind(f, a) == N_IDENTIFIER && str_eqs(ast_text(f, a), nm) && ast_kind(f, b) == N_NIL) ||
            (ast_kind(f, b) == N_IDENTIFIER && str_eqs(ast_text(f, b), nm) && ast_kind(f, a) == N_NIL))
            return true;
    }
    return false;
}

/* Does parameter declaration pd of fn come after another context.Context
 * parameter (`ctx, txctx context.Context`: the second is often optional)? */
static bool later_ctx(const struct pkg *p, int fi, nid fn, nid pd, nid name)
{
    const struct gofile *f = &p->files[fi];
    AST_FOR_CHILDREN(f, ast_child(f, fn, F_PARAMETERS), q)
    {
        if (q == pd) {
            /* an earlier name of the same declaration: `ctx, txctx context.Context` */
            AST_FOR_CHILDREN(f, pd, c)
            {
                if (c == name) return false;
                if (f->nodes[c].field == F_NAME) return true;
            }
            return false;
        }
        if (model_is_ref(p, fi, ast_child(f, q, F_TYPE), "context", "Context")) return true;
    }
    return false;
}

/* Does a comment at the call say the nil is meant (deliberately, on
 * purpose, must not panic, tolerated) or silence a linter, or, in a test,
 * does the test function's name mention nil (a test of nil handling)? */
static bool deliberate_nil(const struct gofile *f, nid call)
{
    static const char *const words[] = {"nolint", "lint:ignore", "deliberat", "on purpose", "intention",
                                        "not panic", "tolerat", "accept", "handles nil", "allow"};
    uint32_t line = f->nodes[call].line;
    for (uint32_t i = 0; i < f->ncomments; i++) {
        const struct comment *c = &f->comments[i];
        if (c->end_line + 1 < line || c->line > line) continue;
        struct str t = ast_comment_text(f, c);
        for (size_t w = 0; w < GD_ARRAY_LEN(words); w++) {
            size_t n = strlen(words[w]);
            for (size_t k = 0; k + n <= t.n; k++)
                if (!strncasecmp(t.p + k, words[w], n)) return true;
        }
    }
    if (!rl_is_test_file(f)) return false;
    nid fn = model_enclosing_decl(f, call);
    struct str nm = fn ? ast_text(f, ast_child(f, fn, F_NAME)) : str_make("", 0);
    for (size_t k = 0; k + 3 <= nm.n; k++)
        if (!strncasecmp(nm.p + k, "nil", 3)) return true;
    return false;
}

/* The table entry call matches, or NULL. */
static const struct std_ctx *std_callee(struct rule_ctx *ctx, nid call)
{
    const struct gofile *f = ctx->f;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) return NULL;
    nid fld = ast_child(f, fe, F_FIELD);
    struct ltype *t = NULL;
    bool typed = false;
    for (size_t i = 0; i < GD_ARRAY_LEN(std_ctx); i++) {
        const struct std_ctx *s = &std_ctx[i];
        if (!ast_text_is(f, fld, s->name)) continue;
        if (!s->recv) {
            if (model_is_call(ctx->pkg, ctx->fi, call, s->path, s->name)) return s;
            continue;
        }
        if (!typed) t = model_type_of(ctx->pkg, ctx->fi, ast_child(f, fe, F_OPERAND)), typed = true;
        if (ltype_is(t, s->path, s->recv, true)) return s;
    }
    return NULL;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    nid args = ast_child(f, n, F_ARGUMENTS);
    bool any = false;
    AST_FOR_CHILDREN(f, args, a) if (ast_kind(f, ast_unparen(f, a)) == N_NIL) any = true;
    if (!any) return;
    int dfi = -1;
    nid decl = callee_decl_in(ctx->pkg, ctx->fi, n, &dfi);
    const struct std_ctx *std = decl ? NULL : std_callee(ctx, n);
    if (!decl && !std) return;
    unsigned i = 0;
    AST_FOR_CHILDREN(f, args, a)
    {
        unsigned idx = i++;
        if (ast_kind(f, ast_unparen(f, a)) != N_NIL) continue;
        enum confidence conf = ctx->rule->confidence;
        const char *why = NULL;
        struct str callee = rl_call_name(f, n);
        if (callee.n > 60) callee.n = 60;
        if (decl) {
            const struct gofile *df = &ctx->pkg->files[dfi];
            nid name, pd = param_at(df, decl, idx, &name);
            if (!pd || !model_is_ref(ctx->pkg, dfi, ast_child(df, pd, F_TYPE), "context", "Context")) continue;
            if (!name || ast_text_is(df, name, "_"))
                why = " (the callee does not name the parameter, so it cannot use it)";
            else if (later_ctx(ctx->pkg, dfi, decl, pd, name))
                why = " (a second context parameter is often optional)";
            else if (tests_nil(ctx->pkg, dfi, decl, name, 0))
                why = " (the callee, or a function it hands the context to, accepts a nil one)";
        } else if ((int)idx != std->arg) {
            continue;
        }
        if (!why && deliberate_nil(f, n)) why = " (a comment or the test's name says the nil is deliberate)";
        /* a test that hands nil to a path using it panics the first time
         * it runs: what survives in test code is a nil the path it pins
         * never touches */
        if (!why && rl_is_test_file(f)) why = " (in a test: a nil the tested path used would fail it at once)";
        if (why) conf = CONF_LOW;
        struct finding *fd = rule_report_conf(
            ctx, a, conf,
            "nil passed as the context.Context of %.*s: a nil Context panics as soon as the callee or anything it "
            "hands it to calls ctx.Done(), ctx.Err() or ctx.Value()%s; pass context.TODO() if no context is at "
            "hand",
            (int)callee.n, callee.p, why ? why : "");
        fd->fix = xstrdup("pass context.TODO() (or the caller's context) instead of nil");
    }
}

const struct rule rule_nil_context = {
    .id = "GD509",
    .name = "nil-context",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "nil is passed where a context.Context is expected; pass context.TODO() instead.",
    .why = "The context package forbids a nil Context: functions that take one call `ctx.Done()`, `ctx.Err()`, "
           "`ctx.Value(k)` or derive a child with `context.WithCancel(ctx)`, and every one of them panics on a nil "
           "interface (WithCancel says so: \"cannot create context from nil parent\"). Even when today's callee "
           "happens to cope, the next change to it, or to a function it passes the context on to, turns the nil "
           "into a crash in production. When no context is at hand, `context.TODO()` says so and works. godark "
           "knows the parameter types of the package's own functions and methods (generic ones too) and of the "
           "standard-library functions that take a context (context.WithCancel, http.NewRequestWithContext, "
           "exec.CommandContext, the database/sql ...Context methods, net.Dialer.DialContext, and a few more). "
           "It reports at low confidence when the nil looks deliberate: the callee (or a function of the "
           "package it hands the context to) checks it for nil, or stores it in a field that the package "
           "checks for nil (a default filled in later), the parameter has no name, it is a second "
           "context parameter (`ctx, txctx context.Context`, often optional), a comment at the call says it "
           "is deliberate (or silences a linter), or the name of the test around it speaks of nil (a test of "
           "nil handling), and for every nil in a test file: a test whose path used the nil context would "
           "panic the first time it ran, so what survives there is a nil the pinned path never touches. "
           "Covers staticcheck SA1012.",
    .bad = "package fetch\n\n"
           "import \"net/http\"\n\n"
           "func Get(url string) (*http.Response, error) {\n"
           "\treq, err := http.NewRequestWithContext(nil, \"GET\", url, nil)\n"
           "\tif err != nil {\n"
           "\t\treturn nil, err\n"
           "\t}\n"
           "\treturn http.DefaultClient.Do(req)\n"
           "}\n",
    .good = "package fetch\n\n"
            "import (\n"
            "\t\"context\"\n"
            "\t\"net/http\"\n"
            ")\n\n"
            "func Get(url string) (*http.Response, error) {\n"
            "\treq, err := http.NewRequestWithContext(context.TODO(), \"GET\", url, nil)\n"
            "\tif err != nil {\n"
            "\t\treturn nil, err\n"
            "\t}\n"
            "\treturn http.DefaultClient.Do(req)\n"
            "}\n",
    .fix_safety = "None is applied: context.TODO() never panics, but a callee that tests for a nil context would "
                  "take its other branch.",
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
