/* rules/loop_var_captured: GD605. A `go` func literal (or a deferred one,
 * one given to errgroup.Group.Go or WaitGroup.Go, or a parallel subtest's
 * body after t.Parallel()) inside a loop uses
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

/* Is identifier k the field name of a keyed element of a struct literal
 * (`T{v: 1}`), not a use of a variable? Keys of map, slice and array
 * literals are expressions. */
static bool is_struct_key(const struct gofile *f, nid k)
{
    nid le = ast_parent(f, k);
    if (ast_kind(f, le) != N_LITERAL_ELEMENT || f->nodes[le].field != F_KEY) return false;
    nid lit = ast_parent(f, ast_parent(f, ast_parent(f, le)));
    if (ast_kind(f, lit) != N_COMPOSITE_LITERAL) return false;
    enum node_kind tk = ast_kind(f, ast_child(f, lit, F_TYPE));
    return tk != N_MAP_TYPE && tk != N_SLICE_TYPE && tk != N_ARRAY_TYPE && tk != N_IMPLICIT_LENGTH_ARRAY_TYPE;
}

/* What runs the func literal after (or beside) the iteration. */
enum closure_site { CS_GO, CS_DEFER, CS_GROUP_GO, CS_PARALLEL_SUBTEST };

/* The `t.Parallel()` statements of subtest literal lit on its own
 * parameter: statements of the literal's body, possibly under labels (the
 * call's statement itself is given). Returns how many (at most max). */
static int parallel_calls(struct rule_ctx *ctx, nid lit, nid *out, int max)
{
    int n = 0;
    const struct gofile *f = ctx->f;
    nid params = ast_child(f, lit, F_PARAMETERS);
    nid pd = ast_first_child(f, params), pname = 0;
    if (pd) AST_FOR_CHILDREN(f, pd, c) if (f->nodes[c].field == F_NAME) pname = c;
    if (!pname) return 0;
    nid body = ast_child(f, lit, F_BODY);
    for (nid st = rl_first_stmt(f, body); st; st = ast_next(f, st)) {
        nid s = st;
        while (ast_kind(f, s) == N_LABELED_STATEMENT) {
            nid inner = 0;
            AST_FOR_CHILDREN(f, s, c) if (rl_is_stmt_kind(ast_kind(f, c))) inner = c;
            s = inner;
        }
        if (ast_kind(f, s) != N_EXPRESSION_STATEMENT) continue;
        nid call = ast_unparen(f, ast_first_child(f, s));
        if (ast_kind(f, call) != N_CALL_EXPRESSION) continue;
        nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
        if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, fe, F_FIELD), "Parallel")) continue;
        nid x = ast_unparen(f, ast_child(f, fe, F_OPERAND)), d, nm;
        if (ast_kind(f, x) == N_IDENTIFIER && model_resolve_local(ctx->pkg, ctx->fi, x, &d, &nm) && nm == pname &&
            n < max)
            out[n++] = s;
    }
    return n;
}

/* Is a label between statement `from` (inclusive of its start, exclusive)
 * and node u: a goto may reach u without passing `from`? */
static bool label_between(const struct gofile *f, nid from, nid u)
{
    for (nid k = from + 1; k < u; k++)
        if (ast_kind(f, k) == N_LABELED_STATEMENT && !ast_contains(f, k, from)) return true;
    return false;
}

/* The `=` range clause of a loop around n (same function) whose left side
 * names the variable identifier k names, or 0. */
static nid range_assigned(struct rule_ctx *ctx, nid k, nid n)
{
    const struct gofile *f = ctx->f;
    nid d1 = 0, n1 = 0;
    bool l1 = model_resolve_local(ctx->pkg, ctx->fi, k, &d1, &n1);
    for (nid loop = rl_enclosing_loop(f, n); loop; loop = rl_enclosing_loop(f, loop)) {
        AST_FOR_CHILDREN(f, loop, rc)
        {
            if (ast_kind(f, rc) != N_RANGE_CLAUSE || f->nodes[rc].op != OP_ASSIGN) continue;
            nid left = ast_child(f, rc, F_LEFT);
            AST_FOR_CHILDREN(f, left, e)
            {
                nid ue = ast_unparen(f, e), d2 = 0, n2 = 0;
                if (ast_kind(f, ue) != N_IDENTIFIER || !str_eqs(ast_text(f, ue), ast_text(f, k))) continue;
                bool l2 = model_resolve_local(ctx->pkg, ctx->fi, ue, &d2, &n2);
                if (l1 == l2 && (!l1 || n1 == n2)) return rc;
            }
        }
    }
    return 0;
}

/* Reports the loop variables literal lit uses (after one of the nafter
 * statements `after`, when given), run as `site` by statement or call n. */
static void report_uses(struct rule_ctx *ctx, nid n, nid lit, const nid *after, int nafter, enum closure_site site,
                        struct str runner)
{
    const struct gofile *f = ctx->f;
    const struct pkg *p = ctx->pkg;
    nid reported[16];
    int nrep = 0;
    for (nid k = nafter ? after[0] : lit; k < f->nodes[lit].end; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER || is_struct_key(f, k)) continue;
        /* after some t.Parallel() that no goto can bypass on the way to k */
        bool past = !nafter;
        for (int i = 0; i < nafter && !past; i++) past = after[i] < k && !ast_contains(f, after[i], k) && !label_between(f, after[i], k);
        if (!past) continue;
        nid decl = 0, nm = 0;
        bool local = model_resolve_local(p, ctx->fi, k, &decl, &nm);
        nid by = 0;
        nid loop = local ? declaring_loop(f, decl) : 0;
        if (!loop) {
            /* `for x = range s`: a variable the range assigns, shared by
             * every iteration in any Go version */
            by = range_assigned(ctx, k, n);
            if (!by) continue;
            loop = ast_parent(f, by);
            if (!local) nm = k;
        }
        if (!loop || !ast_contains(f, loop, n)) continue;
        /* the loop must be in the same function as the go statement */
        if (model_enclosing_func(f, loop) != model_enclosing_func(f, n)) continue;
        bool dup = false;
        for (int i = 0; i < nrep && !dup; i++) dup = reported[i] == nm;
        if (dup || nrep == (int)GD_ARRAY_LEN(reported)) continue;
        reported[nrep++] = nm;
        struct str name = ast_text(f, k);
        const char *vt = rl_go_version_text(ctx->pkg, ctx->fi);
        struct finding *fd;
        if (site == CS_DEFER) {
            fd = rule_report_conf(ctx, k, CONF_HIGH,
                                  "the deferred closure uses loop variable %.*s, which all iterations share before "
                                  "Go 1.22 (%s): it runs when the function returns, after the loop, and sees only "
                                  "the variable's last value",
                                  (int)name.n, name.p, vt);
        } else if (site == CS_PARALLEL_SUBTEST) {
            fd = rule_report_conf(ctx, k, CONF_HIGH,
                                  "the parallel subtest uses loop variable %.*s after t.Parallel(), which all "
                                  "iterations share before Go 1.22 (%s): Run returns at Parallel and the loop moves "
                                  "on, so the subtest sees a later iteration's value when it resumes",
                                  (int)name.n, name.p, vt);
        } else {
            enum confidence conf = iteration_may_wait(ctx, n, loop) ? CONF_LOW : CONF_HIGH;
            fd = rule_report_conf(ctx, k, conf,
                                  "the goroutine%s%.*s uses loop variable %.*s, which all iterations share "
                                  "before Go 1.22 (%s): it may see a later iteration's value, and reading it races "
                                  "with the loop's update",
                                  site == CS_GROUP_GO ? " started by " : "", site == CS_GROUP_GO ? (int)runner.n : 0,
                                  runner.p, (int)name.n, name.p, vt);
        }
        if (by)
            rule_related(ctx, fd, by, "%.*s is assigned by the loop here", (int)name.n, name.p);
        else
            rule_related(ctx, fd, nm, "%.*s is declared by the loop here", (int)name.n, name.p);
        fd->fix = xasprintf("pass %.*s as an argument: go func(%.*s T) { ... }(%.*s), or copy it first with "
                            "%.*s := %.*s; or move the module to go 1.22 or later",
                            (int)name.n, name.p, (int)name.n, name.p, (int)name.n, name.p, (int)name.n, name.p,
                            (int)name.n, name.p);
    }
}

/* Is call `g.Go(func(){...})` on an errgroup.Group or a sync.WaitGroup
 * (Go 1.25's WaitGroup.Go)? */
static bool is_group_go(struct rule_ctx *ctx, nid call, nid *recv)
{
    const struct gofile *f = ctx->f;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, fe, F_FIELD), "Go")) return false;
    *recv = ast_unparen(f, ast_child(f, fe, F_OPERAND));
    const struct ltype *t = model_type_of(ctx->pkg, ctx->fi, *recv);
    return ltype_is(t, "golang.org/x/sync/errgroup", "Group", true) || ltype_is(t, "sync", "WaitGroup", true);
}

static bool is_testing_run(struct rule_ctx *ctx, nid call)
{
    const struct gofile *f = ctx->f;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, fe, F_FIELD), "Run")) return false;
    const struct ltype *t = model_type_of(ctx->pkg, ctx->fi, ast_unparen(f, ast_child(f, fe, F_OPERAND)));
    return ltype_is(t, "testing", "T", true) || ltype_is(t, "testing", "B", true);
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
    if (!rl_enclosing_loop(f, n)) return;
    struct str none = {"", 0};
    enum node_kind nk = ast_kind(f, n);
    if (nk == N_GO_STATEMENT || nk == N_DEFER_STATEMENT) {
        nid call = ast_unparen(f, ast_first_child(f, n));
        nid lit = ast_unparen(f, ast_child(f, call, F_FUNCTION));
        if (ast_kind(f, lit) != N_FUNC_LITERAL) return;
        report_uses(ctx, n, lit, NULL, 0, nk == N_GO_STATEMENT ? CS_GO : CS_DEFER, none);
        return;
    }
    /* a call: g.Go(func...) or t.Run(name, func(t *testing.T){ t.Parallel(); ... }) */
    nid args = ast_child(f, n, F_ARGUMENTS), recv;
    if (is_group_go(ctx, n, &recv)) {
        nid lit = ast_unparen(f, ast_nth_child(f, args, 0));
        if (ast_kind(f, lit) != N_FUNC_LITERAL) return;
        struct str r = ast_text(f, recv);
        char runner[64];
        int len = snprintf(runner, sizeof runner, "%.*s.Go", (int)(r.n < 40 ? r.n : 40), r.p);
        report_uses(ctx, n, lit, NULL, 0, CS_GROUP_GO, (struct str){runner, (size_t)len});
        return;
    }
    if (is_testing_run(ctx, n)) {
        nid lit = ast_unparen(f, ast_nth_child(f, args, 1));
        if (ast_kind(f, lit) != N_FUNC_LITERAL) return;
        nid par[8];
        int npar = parallel_calls(ctx, lit, par, 8);
        if (npar) report_uses(ctx, n, lit, par, npar, CS_PARALLEL_SUBTEST, none);
    }
}

const struct rule rule_loop_var_captured = {
    .id = "GD605",
    .name = "loop-var-captured",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A goroutine, a deferred closure or a parallel subtest uses the loop variable, which all iterations "
               "share before Go 1.22.",
    .why = "Before Go 1.22 a for loop declares its variables once and updates them on every iteration. A "
           "goroutine started in the loop that uses the variable therefore reads whatever value the loop has "
           "reached when the goroutine runs, often the last one, and the read races with the loop's write. "
           "Go 1.22 gave each iteration its own variables, but only for modules whose go.mod says `go 1.22` "
           "or later, so older modules keep the bug after a toolchain upgrade. godark reports a use of a "
           "for-clause or range variable inside a `go func(){...}()` in that loop when "
           "the file's language version: its `//go:build go1.N` line, else the `go` line of the nearest go.mod, or vendor.mod (projects such as docker keep their requirements there and have no go.mod), else of a go.work above, says a version before 1.22 or there is none (the message says where the version came from); it stays silent for go 1.22 and later, and when the "
           "literal or the loop body declares its own copy. When the rest of the iteration may wait for the "
           "goroutine (a receive, a select, a call) before the variable changes, the finding has low "
           "confidence. The same holds for the other closures that outlive the iteration: a goroutine started "
           "by errgroup.Group.Go or sync.WaitGroup.Go, a deferred closure (it runs when the function returns, "
           "after the loop, and sees only the last value), and a parallel subtest (`t.Run(name, func(t "
           "*testing.T){ t.Parallel(); ... })`: Run returns at Parallel, so uses after it, outside the reach of "
           "a goto to a later label, see a later iteration's value; a serial subtest is fine, and so is a "
           "parallel one nested in a serial one). A variable that a `for x = range` assigns is reported too. "
           "Covers go vet's loopclosure.",
    .bad = "package p\n\nimport \"sync\"\n\nfunc sum(xs []int) int {\n\tvar mu sync.Mutex\n\tvar wg sync.WaitGroup\n"
           "\ttotal := 0\n\tfor _, x := range xs {\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n"
           "\t\t\tmu.Lock()\n\t\t\ttotal += x\n\t\t\tmu.Unlock()\n\t\t}()\n\t}\n\twg.Wait()\n\treturn total\n}\n",
    .good = "package p\n\nimport \"sync\"\n\nfunc sum(xs []int) int {\n\tvar mu sync.Mutex\n\tvar wg sync.WaitGroup\n"
            "\ttotal := 0\n\tfor _, x := range xs {\n\t\twg.Add(1)\n\t\tgo func(x int) {\n\t\t\tdefer wg.Done()\n"
            "\t\t\tmu.Lock()\n\t\t\ttotal += x\n\t\t\tmu.Unlock()\n\t\t}(x)\n\t}\n\twg.Wait()\n\treturn total\n}\n",
    .fix_safety = "Passing the variable as an argument or copying it (`x := x`) gives each goroutine the value of "
                  "its own iteration, which is what Go 1.22 does.",
    .kinds = {N_GO_STATEMENT, N_DEFER_STATEMENT, N_CALL_EXPRESSION},
    .visit = visit,
};
