/* rules/waitgroup_add_in_goroutine: GD301. A goroutine that counts itself
 * in a sync.WaitGroup (wg.Add ... wg.Done inside `go func(){...}()`), so the
 * spawner's wg.Wait may run before the Add and return too early.
 * Visits calls `X.Add(...)` whose X has type (*)sync.WaitGroup by the model,
 * inside a func literal started by a go statement. */
#include <stdlib.h>

#include "fixlib.h"
#include "wglib.h"

/* Is `call` a call `X.name(...)` with X the same path as wg? */
static bool is_wg_method(struct rule_ctx *ctx, nid call, nid wg, const char *name)
{
    const struct gofile *f = ctx->f;
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return false;
    nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fn) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, fn, F_FIELD), name)) return false;
    return rl_same_path(ctx->pkg, ctx->fi, ast_child(f, fn, F_OPERAND), wg);
}

/* The safe fix: the Add moved out of goroutine literal `lit` to just before
 * go statement `go`. Only when it is certainly the same count at a point
 * that runs exactly as often: the Add is the literal's first statement
 * (so every run of the goroutine makes it), alone on its line, its count a
 * constant, its group named through a variable declared outside the
 * literal (that name means the same at the go statement; a parameter of
 * the literal would not), and the go statement starts its line in a
 * statement list. */
static void attach_fix(struct rule_ctx *ctx, struct finding *fd, nid n, nid lit, nid go, bool via_param)
{
    const struct gofile *f = ctx->f;
    nid st = ast_parent(f, n), list = ast_parent(f, st);
    nid args = ast_child(f, n, F_ARGUMENTS), arg = ast_first_child(f, args);
    struct str ind;
    if (via_param || !fd || !rule_can_edit(ctx, ctx->fi)) return;
    if (ast_kind(f, st) != N_EXPRESSION_STATEMENT || ast_kind(f, list) != N_STATEMENT_LIST ||
        ast_parent(f, list) != ast_child(f, lit, F_BODY) || ast_first_child(f, list) != st)
        return;
    if (ast_child_count(f, args) != 1 || ast_kind(f, arg) != N_INT_LITERAL || !fx_alone(f, st, false)) return;
    if (!fx_in_stmt_list(f, go) || !fx_indent(f, go, &ind)) return;
    struct str a = ast_text(f, st);
    char *ins = xasprintf("%.*s\n%.*s", (int)a.n, a.p, (int)ind.n, ind.p);
    uint32_t gs = f->nodes[go].start_byte, ss = f->nodes[st].start_byte;
    rule_edit(ctx, fd, ctx->fi, gs, gs, ins);
    rule_edit(ctx, fd, ctx->fi, fx_line_start(f, ss), fx_line_end(f, ss), "");
    free(ins);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    nid fn = ast_unparen(f, ast_child(f, n, F_FUNCTION));
    if (ast_kind(f, fn) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, fn, F_FIELD), "Add")) return;
    nid wg = ast_unparen(f, ast_child(f, fn, F_OPERAND));
    if (!rl_is_path(f, wg)) return;
    /* Add(-1) is a Done */
    nid arg = ast_first_child(f, ast_child(f, n, F_ARGUMENTS));
    if (!arg || (ast_kind(f, arg) == N_UNARY_EXPRESSION && f->nodes[arg].op == OP_SUB)) return;
    /* the innermost function must be a literal started by `go` */
    nid lit = model_enclosing_func(f, n);
    if (ast_kind(f, lit) != N_FUNC_LITERAL) return;
    nid go = wg_go_of_literal(f, lit);
    if (!go) return;
    if (!ltype_is(model_type_of(ctx->pkg, ctx->fi, wg), "sync", "WaitGroup", true)) return;

    /* the group must come from outside the goroutine: a group declared in
     * the literal is its own (a pointer parameter still names an outer one) */
    nid root = rl_path_root(f, wg), decl = 0, name = 0;
    bool via_param = false;
    if (model_resolve_local(ctx->pkg, ctx->fi, root, &decl, &name) && ast_contains(f, lit, decl)) {
        via_param = true;
        bool ptr_param = ast_kind(f, decl) == N_PARAMETER_DECLARATION &&
                         ast_kind(f, ast_child(f, decl, F_TYPE)) == N_POINTER_TYPE && root == wg;
        if (!ptr_param) return;
    }

    /* A goroutine that spawns goroutines may Add for them: fine when it is
     * itself counted. Require that it does not spawn any, and that it calls
     * Done on the group itself (so the Add counts this goroutine). */
    nid body = ast_child(f, lit, F_BODY);
    bool done = false;
    for (nid k = body; k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_GO_STATEMENT) return;
        if (kk == N_FUNC_LITERAL) {
            /* `defer func(){ wg.Done() }()` still runs in this goroutine */
            nid p = ast_parent(f, k);
            bool deferred = ast_kind(f, p) == N_CALL_EXPRESSION && ast_kind(f, ast_parent(f, p)) == N_DEFER_STATEMENT;
            if (!deferred) {
                k = f->nodes[k].end - 1;
                continue;
            }
        }
        if (kk == N_CALL_EXPRESSION && is_wg_method(ctx, k, wg, "Done")) done = true;
    }
    if (!done) return;

    /* An Add on the same group before the go statement in the spawning
     * function may already count this goroutine: stay silent. */
    nid outer = model_enclosing_func(f, go);
    if (!outer) return;
    nid obody = ast_child(f, outer, F_BODY);
    for (nid k = obody; k && k < go; k++)
        if (ast_kind(f, k) == N_CALL_EXPRESSION && is_wg_method(ctx, k, wg, "Add")) return;

    struct str w = ast_text(f, wg);
    struct finding *fd = rule_report(ctx, n,
                                     "%.*s.Add called inside the goroutine it counts: %.*s.Wait may run before this Add "
                                     "and return while the goroutine is still running",
                                     (int)w.n, w.p, (int)w.n, w.p);
    rule_related(ctx, fd, go, "the goroutine is started here; call %.*s.Add before this go statement", (int)w.n, w.p);
    struct str a = ast_text(f, n);
    fd->fix = xasprintf("move `%.*s` out of the goroutine, right before the `go` statement", (int)a.n, a.p);
    attach_fix(ctx, fd, n, lit, go, via_param);
}

const struct rule rule_waitgroup_add_in_goroutine = {
    .id = "GD301",
    .name = "waitgroup-add-in-goroutine",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "sync.WaitGroup.Add is called inside the goroutine it counts, racing with Wait.",
    .why = "WaitGroup.Wait returns as soon as the counter is zero. When the goroutine calls `wg.Add(1)` itself, "
           "nothing orders that Add before the spawner's `wg.Wait()`: the scheduler may run Wait first, see a "
           "zero counter and return while the goroutine has not even started, so its work is neither waited "
           "for nor guaranteed visible. The sync package documents the rule: calls with a positive delta that "
           "occur when the counter is zero must happen before a Wait. Calling Add in the spawning goroutine, "
           "before the `go` statement, makes the counter positive before Wait can look at it; the goroutine's "
           "Done then happens before Wait returns, which also makes its writes visible to the waiter. "
           "godark reports an Add inside `go func(){...}()` on a WaitGroup declared outside the literal when "
           "the same goroutine also calls Done on it and neither spawns goroutines of its own nor was counted "
           "by an earlier Add in the spawning function. Where the move is certainly correct, the finding carries it "
           "as a safe fix: `godark check --fix` applies it, `--diff` shows it, SARIF lists it under `fixes`.",
    .bad = "package p\n\nimport \"sync\"\n\nfunc process(items []string, handle func(string)) {\n"
           "\tvar wg sync.WaitGroup\n\tfor _, it := range items {\n\t\tgo func(it string) {\n"
           "\t\t\twg.Add(1)\n\t\t\tdefer wg.Done()\n\t\t\thandle(it)\n\t\t}(it)\n\t}\n\twg.Wait()\n}\n",
    .good = "package p\n\nimport \"sync\"\n\nfunc process(items []string, handle func(string)) {\n"
            "\tvar wg sync.WaitGroup\n\tfor _, it := range items {\n\t\twg.Add(1)\n\t\tgo func(it string) {\n"
            "\t\t\tdefer wg.Done()\n\t\t\thandle(it)\n\t\t}(it)\n\t}\n\twg.Wait()\n}\n",
    .fix_safety = "Moving the Add before the `go` statement keeps the count the same and orders it before Wait. "
                  "When the Add sits under a condition inside the goroutine, move the condition out too. "
                  "`godark check --fix` makes this move itself (a safe fix) when the Add is the goroutine's first "
                  "statement, alone on its line, with a constant count, on a group named by a variable declared "
                  "outside the literal (not a parameter of it), and the go statement starts its line in a statement "
                  "list: then the Add runs exactly once per goroutine started, and the name means the same group "
                  "at the go statement.",
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
