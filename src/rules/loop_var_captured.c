/* rules/loop_var_captured: GD605. A `go` func literal inside a loop uses
 * the loop's variable (declared by the for clause or by `range` with :=)
 * when the file's Go version (//go:build, go.mod, vendor.mod, go.work) is
 * before 1.22 (or none is
 * found): one variable is shared by all iterations, so the goroutines see
 * it change under them (a data race, and usually the last value).
 * How: go statements whose call is a func literal; identifiers in it that
 * resolve to a variable declared by an enclosing for/range clause of the
 * same function, not re-declared (`v := v`) inside the literal or the loop
 * body before the go statement. */
#include "rulelib.h"

/* The for_statement whose clause declares name node nm, or 0. */
static nid declaring_loop(const struct gofile *f, nid decl)
{
    enum node_kind dk = ast_kind(f, decl);
    if (dk == N_RANGE_CLAUSE && f->nodes[decl].op == OP_DEFINE) return ast_parent(f, decl);
    if (dk == N_SHORT_VAR_DECLARATION && f->nodes[decl].field == F_INITIALIZER &&
        ast_kind(f, ast_parent(f, decl)) == N_FOR_CLAUSE)
        return ast_parent(f, ast_parent(f, decl));
    return 0;
}

/* Can the rest of the loop iteration after go statement g (the statements
 * that follow it, up to the loop's body) wait for the goroutine: a receive,
 * a select, a call other than a few builtins? Then the goroutine may be done
 * before the variable changes: low confidence. */
static bool iteration_may_wait(struct rule_ctx *ctx, nid g, nid loop)
{
    const struct gofile *f = ctx->f;
    nid body = ast_child(f, loop, F_BODY);
    for (nid s = g; s && s != body; s = ast_parent(f, s)) {
        if (ast_kind(f, ast_parent(f, s)) != N_STATEMENT_LIST) continue;
        for (nid t = ast_next(f, s); t; t = ast_next(f, t))
            for (nid k = t; k < f->nodes[t].end; k++) {
                enum node_kind kk = ast_kind(f, k);
                if (kk == N_FUNC_LITERAL) {
                    k = f->nodes[k].end - 1;
                    continue;
                }
                if (kk == N_SELECT_STATEMENT || (kk == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW)) return true;
                if (kk == N_RANGE_CLAUSE) return true;
                if (kk != N_CALL_EXPRESSION) continue;
                static const char *const pure[] = {"append", "len", "cap", "make", "new", "delete", "copy"};
                bool ok = false;
                for (size_t i = 0; i < GD_ARRAY_LEN(pure) && !ok; i++) ok = model_is_builtin_call(ctx->pkg, ctx->fi, k, pure[i]);
                nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
                if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION &&
                    (ast_text_is(f, ast_child(f, fe, F_FIELD), "Add") || ast_text_is(f, ast_child(f, fe, F_FIELD), "Done")))
                    ok = true;
                if (!ok) return true;
            }
    }
    return false;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    const struct pkg *p = ctx->pkg;
    /* Go 1.22 gave each iteration its own variables; the file's language
     * version (its //go:build go1.N line, else go.mod / vendor.mod / go.work)
     * decides */
    int maj, min;
    model_go_version(p, ctx->fi, &maj, &min, NULL);
    if (min >= 0 && (maj > 1 || min >= 22)) return;
    nid call = ast_unparen(f, ast_first_child(f, n));
    nid lit = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, lit) != N_FUNC_LITERAL) return;
    if (!rl_enclosing_loop(f, n)) return;
    nid reported[16];
    int nrep = 0;
    for (nid k = lit; k < f->nodes[lit].end; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER) continue;
        nid decl, nm;
        if (!model_resolve_local(p, ctx->fi, k, &decl, &nm)) continue;
        nid loop = declaring_loop(f, decl);
        if (!loop || !ast_contains(f, loop, n)) continue;
        /* the loop must be in the same function as the go statement */
        if (model_enclosing_func(f, loop) != model_enclosing_func(f, n)) continue;
        bool dup = false;
        for (int i = 0; i < nrep && !dup; i++) dup = reported[i] == nm;
        if (dup || nrep == (int)GD_ARRAY_LEN(reported)) continue;
        reported[nrep++] = nm;
        struct str name = ast_text(f, k);
        enum confidence conf = iteration_may_wait(ctx, n, loop) ? CONF_LOW : CONF_HIGH;
        struct finding *fd = rule_report_conf(ctx, k, conf,
                                         "the goroutine uses loop variable %.*s, which all iterations share "
                                         "before Go 1.22 (%s): it may see a later iteration's value, and "
                                         "reading it races with the loop's update",
                                         (int)name.n, name.p, rl_go_version_text(ctx->pkg, ctx->fi));
        rule_related(ctx, fd, nm, "%.*s is declared by the loop here", (int)name.n, name.p);
        fd->fix = xasprintf("pass %.*s as an argument: go func(%.*s T) { ... }(%.*s), or copy it first with "
                            "%.*s := %.*s; or move the module to go 1.22 or later",
                            (int)name.n, name.p, (int)name.n, name.p, (int)name.n, name.p, (int)name.n, name.p,
                            (int)name.n, name.p);
    }
}

const struct rule rule_loop_var_captured = {
    .id = "GD605",
    .name = "loop-var-captured",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A goroutine uses the loop variable, which all iterations share before Go 1.22.",
    .why = "Before Go 1.22 a for loop declares its variables once and updates them on every iteration. A "
           "goroutine started in the loop that uses the variable therefore reads whatever value the loop has "
           "reached when the goroutine runs, often the last one, and the read races with the loop's write. "
           "Go 1.22 gave each iteration its own variables, but only for modules whose go.mod says `go 1.22` "
           "or later, so older modules keep the bug after a toolchain upgrade. godark reports a use of a "
           "for-clause or range variable inside a `go func(){...}()` in that loop when "
           "the file's language version: its `//go:build go1.N` line, else the `go` line of the nearest go.mod, or vendor.mod (projects such as docker keep their requirements there and have no go.mod), else of a go.work above, says a version before 1.22 or there is none (the message says where the version came from); it stays silent for go 1.22 and later, and when the "
           "literal or the loop body declares its own copy. When the rest of the iteration may wait for the "
           "goroutine (a receive, a select, a call) before the variable changes, the finding has low "
           "confidence.",
    .bad = "package p\n\nimport \"sync\"\n\nfunc sum(xs []int) int {\n\tvar mu sync.Mutex\n\tvar wg sync.WaitGroup\n"
           "\ttotal := 0\n\tfor _, x := range xs {\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n"
           "\t\t\tmu.Lock()\n\t\t\ttotal += x\n\t\t\tmu.Unlock()\n\t\t}()\n\t}\n\twg.Wait()\n\treturn total\n}\n",
    .good = "package p\n\nimport \"sync\"\n\nfunc sum(xs []int) int {\n\tvar mu sync.Mutex\n\tvar wg sync.WaitGroup\n"
            "\ttotal := 0\n\tfor _, x := range xs {\n\t\twg.Add(1)\n\t\tgo func(x int) {\n\t\t\tdefer wg.Done()\n"
            "\t\t\tmu.Lock()\n\t\t\ttotal += x\n\t\t\tmu.Unlock()\n\t\t}(x)\n\t}\n\twg.Wait()\n\treturn total\n}\n",
    .fix_safety = "Passing the variable as an argument or copying it (`x := x`) gives each goroutine the value of "
                  "its own iteration, which is what Go 1.22 does.",
    .kinds = {N_GO_STATEMENT},
    .visit = visit,
};
