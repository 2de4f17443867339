/* rules/test_fatal_in_goroutine: GD107. t.Fatal, t.Fatalf, t.FailNow,
 * t.Skip, t.Skipf or t.SkipNow called from a goroutine the test started.
 * How: calls of those methods whose receiver has type *testing.T, *testing.B,
 * *testing.F or testing.TB (by the model) and resolves to a variable
 * declared outside the `go func(){...}()` literal containing the call. */
#include "rulelib.h"

static const char *const stoppers[] = {"Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow"};

static bool is_testing_t(const struct ltype *t)
{
    return ltype_is(t, "testing", "T", true) || ltype_is(t, "testing", "B", true) ||
           ltype_is(t, "testing", "F", true) || ltype_is(t, "testing", "TB", false);
}

/* The func literal started by a go statement that contains n, within the
 * function that declares identifier decl_name, or 0. */
static nid go_literal_around(const struct gofile *f, nid n, nid decl_name)
{
    for (nid a = ast_parent(f, n); a; a = ast_parent(f, a)) {
        if (ast_contains(f, a, decl_name)) return 0; /* reached the declaring function */
        if (ast_kind(f, a) != N_FUNC_LITERAL) continue;
        nid call = ast_parent(f, a);
        while (ast_kind(f, call) == N_PARENTHESIZED_EXPRESSION) call = ast_parent(f, call);
        if (ast_kind(f, call) == N_CALL_EXPRESSION && ast_kind(f, ast_parent(f, call)) == N_GO_STATEMENT &&
            ast_unparen(f, ast_child(f, call, F_FUNCTION)) == a)
            return a;
    }
    return 0;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    nid fe = ast_unparen(f, ast_child(f, n, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) return;
    nid fld = ast_child(f, fe, F_FIELD);
    const char *m = NULL;
    for (size_t i = 0; i < GD_ARRAY_LEN(stoppers) && !m; i++)
        if (ast_text_is(f, fld, stoppers[i])) m = stoppers[i];
    if (!m) return;
    nid x = ast_unparen(f, ast_child(f, fe, F_OPERAND));
    if (ast_kind(f, x) != N_IDENTIFIER) return;
    nid decl, nm;
    if (!model_resolve_local(ctx->pkg, ctx->fi, x, &decl, &nm)) return;
    if (!is_testing_t(model_type_of(ctx->pkg, ctx->fi, x))) return;
    nid lit = go_literal_around(f, n, nm);
    if (!lit) return;
    struct str t = ast_text(f, x);
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
           "testing.TB declared outside the `go func(){...}()` that contains the call; a subtest's own t is "
           "fine.",
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
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
