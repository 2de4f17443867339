/* rules/test_fatal_in_goroutine: GD107. t.Fatal, t.Fatalf, t.FailNow,
 * t.Skip, t.Skipf or t.SkipNow called from a goroutine the test started.
 * How: calls of those methods whose receiver has type *testing.T, *testing.B,
 * *testing.F or testing.TB (by the model) and resolves to a variable
 * declared outside the `go func(){...}()` literal, or outside the subtest
 * literal of `t.Run(name, func(t2 *testing.T){...})`, containing the call;
 * `go t.Fatal()` itself; and `go helper(t)` (or helper(t) called in such a
 * goroutine with the outer t) where a same-package helper stops the test,
 * directly or through further same-package calls that get a testing value. */
#include "rulelib.h"
#include "../model/callees.h"
#include "../model/summary.h"

static const char *const stoppers[] = {"Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow"};

static bool is_testing_t(const struct ltype *t)
{
    return ltype_is(t, "testing", "T", true) || ltype_is(t, "testing", "B", true) ||
           ltype_is(t, "testing", "F", true) || ltype_is(t, "testing", "TB", false);
}

/* The stopper method call n is (`t.Fatal(...)` on a testing value), or
 * NULL; *recv gets the receiver identifier. */
static const char *stopper_call(struct pkg *p, int fi, nid n, nid *recv)
{
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, n) != N_CALL_EXPRESSION) return NULL;
    nid fe = ast_unparen(f, ast_child(f, n, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) return NULL;
    nid fld = ast_child(f, fe, F_FIELD);
    const char *m = NULL;
    for (size_t i = 0; i < GD_ARRAY_LEN(stoppers) && !m; i++)
        if (ast_text_is(f, fld, stoppers[i])) m = stoppers[i];
    if (!m) return NULL;
    nid x = ast_unparen(f, ast_child(f, fe, F_OPERAND));
    if (ast_kind(f, x) != N_IDENTIFIER) return NULL;
    if (!is_testing_t(model_type_of(p, fi, x))) return NULL;
    *recv = x;
    return m;
}

/* Is call `X.Run(name, fn)` with X a testing value (a subtest)? */
static bool is_subtest_run(struct pkg *p, int fi, nid call)
{
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return false;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, fe, F_FIELD), "Run")) return false;
    return is_testing_t(model_type_of(p, fi, ast_unparen(f, ast_child(f, fe, F_OPERAND))));
}

/* The func literal started by a go statement (*subtest false), or run as
 * a subtest by X.Run (*subtest true), that contains n, within the function
 * that declares identifier decl_name, or 0. */
static nid go_literal_around(struct pkg *p, int fi, nid n, nid decl_name, bool *subtest)
{
    const struct gofile *f = &p->files[fi];
    for (nid a = ast_parent(f, n); a; a = ast_parent(f, a)) {
        if (ast_contains(f, a, decl_name)) return 0; /* reached the declaring function */
        if (ast_kind(f, a) != N_FUNC_LITERAL) continue;
        nid call = ast_parent(f, a);
        while (ast_kind(f, call) == N_PARENTHESIZED_EXPRESSION) call = ast_parent(f, call);
        if (ast_kind(f, call) == N_CALL_EXPRESSION && ast_kind(f, ast_parent(f, call)) == N_GO_STATEMENT &&
            ast_unparen(f, ast_child(f, call, F_FUNCTION)) == a) {
            *subtest = false;
            return a;
        }
        if (ast_kind(f, call) == N_ARGUMENT_LIST && ast_nth_child(f, call, 1) == a &&
            is_subtest_run(p, fi, ast_parent(f, call))) {
            *subtest = true;
            return a;
        }
    }
    return 0;
}

/* Where a stopping call was found inside a callee. */
struct stop_site {
    int fi;
    nid call;
    const char *m;
    nid recv;
};

/* The function nodes (declaration or func literal, with their files) call
 * `call` (file fi) may run: its static callee, the members of the set of a
 * call through a function value, or the func literal a local was defined
 * with. Returns how many (at most max). */
static int callee_funcs(struct pkg *p, int fi, nid call, int *ofi, nid *ofn, int max)
{
    const struct gofile *f = &p->files[fi];
    int d = model_callee(p, fi, call);
    if (d >= 0) {
        ofi[0] = p->decls[d].file;
        ofn[0] = p->decls[d].node;
        return 1;
    }
    struct callee_set cs;
    if (model_callees(p, fi, call, &cs)) {
        int k = 0;
        for (int i = 0; i < cs.n && k < max; i++) {
            if (cs.m[i].decl >= 0) {
                ofi[k] = p->decls[cs.m[i].decl].file;
                ofn[k++] = p->decls[cs.m[i].decl].node;
            } else if (cs.m[i].lit) {
                ofi[k] = cs.m[i].fi;
                ofn[k++] = cs.m[i].lit;
            }
        }
        if (k) return k;
    }
    /* a local defined by a func literal (`f := func(t *testing.T){...}`),
     * the value it was first given */
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    nid decl, nm;
    if (ast_kind(f, fe) != N_IDENTIFIER || !model_resolve_local(p, fi, fe, &decl, &nm)) return 0;
    if (ast_kind(f, decl) != N_SHORT_VAR_DECLARATION && ast_kind(f, decl) != N_VAR_SPEC) return 0;
    nid v = ast_unparen(f, model_decl_value(f, decl, nm, NULL));
    if (ast_kind(f, v) != N_FUNC_LITERAL) return 0;
    ofi[0] = fi;
    ofn[0] = v;
    return 1;
}

/* Does function fn (file fi) stop the test on its own goroutine path: a
 * stopper call in its body (not in a nested func literal, which may be a
 * subtest or another goroutine), or, depth permitting, a call passing a
 * testing value to a same-package function that does? */
static bool func_stops(struct pkg *p, int fi, nid fn, int depth, struct stop_site *out)
{
    const struct gofile *f = &p->files[fi];
    nid body = ast_child(f, fn, F_BODY);
    if (!body) return false;
    for (nid k = body; k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk != N_CALL_EXPRESSION) continue;
        nid recv;
        const char *m = stopper_call(p, fi, k, &recv);
        if (m) {
            *out = (struct stop_site){fi, k, m, recv};
            return true;
        }
        if (depth <= 0 || is_subtest_run(p, fi, k)) continue;
        bool passes_t = false;
        nid args = ast_child(f, k, F_ARGUMENTS);
        AST_FOR_CHILDREN(f, args, a)
        {
            nid ua = ast_unparen(f, a);
            if (ast_kind(f, ua) == N_IDENTIFIER && is_testing_t(model_type_of(p, fi, ua))) passes_t = true;
        }
        if (!passes_t) continue;
        int cfi[4];
        nid cfn[4];
        int nc = callee_funcs(p, fi, k, cfi, cfn, 4);
        for (int i = 0; i < nc; i++)
            if (cfn[i] != fn && func_stops(p, cfi[i], cfn[i], depth - 1, out)) return true;
    }
    return false;
}

static const char *const why_goexit = "it stops only that goroutine (runtime.Goexit), not the test, which goes on "
                                      "or waits for it forever; the testing package requires FailNow, Fatal and "
                                      "Skip to be called from the test's own goroutine";

/* `go helper(t)`, or helper(t) inside a goroutine the test started with
 * the outer t: the helper stops the test from that goroutine. */
static void check_helper(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    struct pkg *p = ctx->pkg;
    nid go = ast_kind(f, ast_parent(f, n)) == N_GO_STATEMENT ? ast_parent(f, n) : 0;
    nid lit = 0;
    if (!go) {
        /* inside a go literal, passing a testing value declared outside it */
        nid args = ast_child(f, n, F_ARGUMENTS);
        AST_FOR_CHILDREN(f, args, a)
        {
            nid ua = ast_unparen(f, a), decl, nm;
            bool sub = false;
            if (ast_kind(f, ua) != N_IDENTIFIER || !model_resolve_local(p, ctx->fi, ua, &decl, &nm)) continue;
            if (!is_testing_t(model_type_of(p, ctx->fi, ua))) continue;
            nid l = go_literal_around(p, ctx->fi, n, nm, &sub);
            if (l && !sub) lit = l;
        }
        if (!lit) return;
    }
    if (is_subtest_run(p, ctx->fi, n)) return;
    int cfi[4];
    nid cfn[4];
    int nc = callee_funcs(p, ctx->fi, n, cfi, cfn, 4);
    struct stop_site s;
    for (int i = 0; i < nc; i++) {
        if (!func_stops(p, cfi[i], cfn[i], 3, &s)) continue;
        const struct gofile *sf = &p->files[s.fi];
        struct str r = ast_text(sf, s.recv);
        struct str callee = ast_text(f, ast_child(f, n, F_FUNCTION));
        struct finding *fd = rule_report(ctx, go ? go : n,
                                         "%.*s is run %s and reaches %.*s.%s: %s",
                                         (int)callee.n, callee.p,
                                         go ? "as a goroutine the test started" : "in a goroutine the test started",
                                         (int)r.n, r.p, s.m, why_goexit);
        rule_related_in(ctx, fd, s.fi, s.call, "%.*s.%s is called here", (int)r.n, r.p, s.m);
        if (lit) rule_related(ctx, fd, ast_parent(f, ast_parent(f, lit)), "the goroutine is started here");
        fd->fix = xasprintf("have the helper return an error (or call Error) and stop the test from the test's "
                            "own goroutine");
        return;
    }
}

/* `t.Run(name, f)` where f is a local func literal whose body stops a
 * testing value declared outside it (the parent test's t). */
static void check_run_value(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    struct pkg *p = ctx->pkg;
    if (!is_subtest_run(p, ctx->fi, n)) return;
    nid fnarg = ast_unparen(f, ast_nth_child(f, ast_child(f, n, F_ARGUMENTS), 1));
    nid decl, nm;
    if (ast_kind(f, fnarg) != N_IDENTIFIER || !model_resolve_local(p, ctx->fi, fnarg, &decl, &nm)) return;
    if (ast_kind(f, decl) != N_SHORT_VAR_DECLARATION && ast_kind(f, decl) != N_VAR_SPEC) return;
    nid v = ast_unparen(f, model_decl_value(f, decl, nm, NULL));
    if (ast_kind(f, v) != N_FUNC_LITERAL) return;
    nid body = ast_child(f, v, F_BODY);
    for (nid k = body; k && k < f->nodes[body].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        nid recv, rd, rnm;
        const char *m = stopper_call(p, ctx->fi, k, &recv);
        if (!m || !model_resolve_local(p, ctx->fi, recv, &rd, &rnm) || ast_contains(f, v, rnm)) continue;
        struct str r = ast_text(f, recv);
        struct finding *fd = rule_report(ctx, n,
                                         "the subtest function calls %.*s.%s on the parent test's %.*s, declared "
                                         "outside the subtest: the subtest runs in its own goroutine, so %s",
                                         (int)r.n, r.p, m, (int)r.n, r.p, why_goexit);
        rule_related(ctx, fd, k, "%.*s.%s is called here", (int)r.n, r.p, m);
        fd->fix = xasprintf("call the stopping method on the subtest's own parameter");
        return;
    }
}

/* `go f[int](t)`: the parser reads a generic function's call as a
 * conversion to the generic type f[int]; f is a package function. */
static void check_generic_go(struct rule_ctx *ctx, nid g)
{
    const struct gofile *f = ctx->f;
    struct pkg *p = ctx->pkg;
    nid c = ast_unparen(f, ast_first_child(f, g));
    if (ast_kind(f, c) != N_TYPE_CONVERSION_EXPRESSION) return;
    nid gt = ast_child(f, c, F_TYPE);
    if (ast_kind(f, gt) != N_GENERIC_TYPE) return;
    nid name = ast_child(f, gt, F_TYPE);
    if (ast_kind(f, name) != N_TYPE_IDENTIFIER) return;
    const struct pkg_decl *d = pkg_lookup(p, ast_text(f, name), PD_FUNC);
    struct stop_site s;
    if (!d || !func_stops(p, d->file, d->node, 3, &s)) return;
    struct str r = ast_text(&p->files[s.fi], s.recv), callee = ast_text(f, name);
    struct finding *fd = rule_report(ctx, g, "%.*s is run as a goroutine the test started and reaches %.*s.%s: %s",
                                     (int)callee.n, callee.p, (int)r.n, r.p, s.m, why_goexit);
    rule_related_in(ctx, fd, s.fi, s.call, "%.*s.%s is called here", (int)r.n, r.p, s.m);
    fd->fix = xasprintf("have the helper return an error (or call Error) and stop the test from the test's own "
                        "goroutine");
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    nid x;
    if (ast_kind(f, n) == N_GO_STATEMENT) {
        check_generic_go(ctx, n);
        return;
    }
    const char *m = stopper_call(ctx->pkg, ctx->fi, n, &x);
    if (!m) {
        check_helper(ctx, n);
        check_run_value(ctx, n);
        return;
    }
    struct str t = ast_text(f, x);
    if (ast_kind(f, ast_parent(f, n)) == N_GO_STATEMENT) {
        struct finding *fd = rule_report(ctx, n, "go %.*s.%s(...) calls %.*s.%s in a new goroutine: %s", (int)t.n,
                                         t.p, m, (int)t.n, t.p, m, why_goexit);
        fd->fix = xasprintf("call %.*s.%s without go", (int)t.n, t.p, m);
        return;
    }
    nid decl, nm;
    if (!model_resolve_local(ctx->pkg, ctx->fi, x, &decl, &nm)) return;
    bool sub = false;
    nid lit = go_literal_around(ctx->pkg, ctx->fi, n, nm, &sub);
    if (!lit) return;
    if (sub) {
        struct finding *fd = rule_report(ctx, n,
                                         "%.*s.%s is called inside a subtest on the parent test's %.*s: the "
                                         "subtest runs in its own goroutine, so %s",
                                         (int)t.n, t.p, m, (int)t.n, t.p, why_goexit);
        rule_related(ctx, fd, ast_parent(f, ast_parent(f, lit)), "the subtest is started here");
        fd->fix = xasprintf("call %s on the subtest's own parameter", m);
        return;
    }
    struct finding *fd = rule_report(ctx, n,
                                     "%.*s.%s is called from a goroutine the test started: it stops only this "
                                     "goroutine (runtime.Goexit), not the test, which goes on or waits for this "
                                     "goroutine forever; the testing package requires FailNow, Fatal and Skip to "
                                     "be called from the test's own goroutine",
                                     (int)t.n, t.p, m);
    rule_related(ctx, fd, ast_parent(f, ast_parent(f, lit)), "the goroutine is started here");
    fd->fix = xasprintf("use %.*s.Error%s and return from the goroutine, or send the error to the test goroutine",
                        (int)t.n, t.p, !strcmp(m, "Fatalf") || !strcmp(m, "Skipf") ? "f" : "");
}

const struct rule rule_test_fatal_in_goroutine = {
    .id = "GD107",
    .name = "test-fatal-in-goroutine",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "t.Fatal, t.FailNow or t.Skip is called from a goroutine started by the test.",
    .why = "FailNow (and Fatal, Fatalf, Skip, SkipNow, which call it) marks the test and calls "
           "runtime.Goexit, which ends only the calling goroutine. Called from a goroutine the test started, it "
           "does not stop the test: the test function keeps running with a failure it does not know about, or "
           "waits forever for the goroutine's result (a WaitGroup that never gets its Done, a channel that "
           "never gets its send). The testing package documents that these methods must be called from the "
           "goroutine running the test. godark reports such calls on a *testing.T, *testing.B, *testing.F or "
           "testing.TB declared outside the `go func(){...}()` that contains the call; a bare `go t.Fatal()`; "
           "`go helper(t)` (and helper(t) called inside such a goroutine with the test's t) where a function "
           "of the package (a declared function, a method, a local func literal, a generic function) stops "
           "the test directly or through up to three further calls that pass a testing value on; and the "
           "parent test's t stopped inside a subtest (`t.Run(name, func(st *testing.T){ t.FailNow() })`, "
           "also through a local func value given to Run), since every subtest runs in its own goroutine. A "
           "subtest's own t is fine, and so is a helper that stops only inside a subtest of its own. Covers "
           "go vet's testinggoroutine.",
    .bad = "package p\n\nimport (\n\t\"errors\"\n\t\"sync\"\n\t\"testing\"\n)\n\nfunc work(i int) error {\n"
           "\tif i < 0 {\n\t\treturn errors.New(\"negative\")\n\t}\n\treturn nil\n}\n\n"
           "func TestWork(t *testing.T) {\n\tvar wg sync.WaitGroup\n\tfor i := 0; i < 4; i++ {\n\t\twg.Add(1)\n"
           "\t\tgo func(i int) {\n\t\t\tdefer wg.Done()\n\t\t\tif err := work(i); err != nil {\n"
           "\t\t\t\tt.Fatal(err)\n\t\t\t}\n\t\t}(i)\n\t}\n\twg.Wait()\n}\n",
    .good = "package p\n\nimport (\n\t\"errors\"\n\t\"sync\"\n\t\"testing\"\n)\n\nfunc work(i int) error {\n"
            "\tif i < 0 {\n\t\treturn errors.New(\"negative\")\n\t}\n\treturn nil\n}\n\n"
            "func TestWork(t *testing.T) {\n\tvar wg sync.WaitGroup\n\tfor i := 0; i < 4; i++ {\n\t\twg.Add(1)\n"
            "\t\tgo func(i int) {\n\t\t\tdefer wg.Done()\n\t\t\tif err := work(i); err != nil {\n"
            "\t\t\t\tt.Error(err)\n\t\t\t}\n\t\t}(i)\n\t}\n\twg.Wait()\n}\n",
    .fix_safety = "t.Error marks the failure without stopping; the goroutine should then return itself.",
    .kinds = {N_CALL_EXPRESSION, N_GO_STATEMENT},
    .visit = visit,
};
