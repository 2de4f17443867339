/* rules/waitgroup_never_done: GD307 waitgroup-never-done. A sync.WaitGroup
 * kept in an unexported struct field is added to and waited on, but
 * nothing in the package ever calls Done on it: Wait blocks for good.
 * How: the object model (model/objects.h) lists every use of the field's
 * class T.f across the package; the class must be closed (never handed
 * on, its address never taken), have an Add of a positive constant and a
 * Wait, and no Done (nor WaitGroup.Go, which calls Done itself, nor an Add
 * of anything else, which may be negative). Reported at each Wait of the
 * file. */
#include "../model/objects.h"
#include "rule.h"
#include "rulelib.h"

/* Is the Add at selector sel (x.f of x.f.Add(n)) an Add of a positive
 * constant? */
static bool positive_add(const struct gofile *f, nid sel)
{
    nid call = ast_parent(f, ast_parent(f, sel));
    nid arg = ast_first_child(f, ast_child(f, call, F_ARGUMENTS));
    long v;
    return arg && !ast_next(f, arg) && model_decimal_literal(ast_text(f, ast_unparen(f, arg)), 9, &v) && v > 0;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    struct pkg *p = ctx->pkg;
    const struct obj_model *m = rl_objects(ctx);
    if (!m) return;
    for (int i = 0; i < m->n; i++) {
        const struct obj_class *c = &m->classes[i];
        if (!rl_private_class(c, OBJ_WAITGROUP) || !rl_class_use_in_file(ctx, c, OO_WAIT)) continue;
        bool done = false, added = false;
        for (int k = 0; k < c->nuses; k++) {
            if (c->uses[k].op == OO_DONE) done = true;
            if (c->uses[k].op == OO_ADD) {
                /* Add(n) with n not a positive constant may be an Add(-1):
                 * a Done by another name (vitess's requestsWaiter) */
                if (positive_add(&p->files[c->uses[k].fi], c->uses[k].node)) added = true;
                else done = true;
            }
        }
        if (done || !added) continue;
        const char *reason = arena_printf(&p->arena, "%s.%.*s is added to, but nothing in the package ever calls Done on it",
                                          c->type, (int)c->field.n, c->field.p);
        rl_report_class_waits(ctx, c, "blocks", reason, "call `defer ", ".Done()` at the start of each goroutine that Add counts");
    }
}

const struct rule rule_waitgroup_never_done = {
    .id = "GD307",
    .name = "waitgroup-never-done",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "A sync.WaitGroup in a struct field is added to and waited on, but nothing in the package ever "
               "calls its Done.",
    .why = "`WaitGroup.Wait` returns when the counter that `Add` raised is back at zero, and only `Done` (or "
           "`WaitGroup.Go`, which calls it) lowers it. A WaitGroup kept in an unexported struct field can only "
           "be marked done by code of its package; when no function of the package ever calls `Done` on it "
           "(the `defer wg.Done()` was dropped, or is called on another WaitGroup), every `Wait` after an "
           "`Add` blocks for good: a `Close` or `Stop` method hangs, and so does its caller. godark follows "
           "the field across the package, test files included, with the package's object model: its address "
           "must never be taken or handed on, and it must have an `Add` of a positive constant, a `Wait` and no "
           "`Done`, `Go`, or `Add` of anything else (an `Add(-1)` is a `Done` by another name). Then each "
           "`Wait` is reported. In test files, or when the test files are not checked, the confidence is "
           "low.",
    .bad = "package pool\n\nimport \"sync\"\n\n"
           "type Pool struct {\n\twg   sync.WaitGroup\n\tjobs chan func()\n}\n\n"
           "func (p *Pool) Start(n int) {\n\tfor i := 0; i < n; i++ {\n\t\tp.wg.Add(1)\n"
           "\t\tgo func() {\n\t\t\tfor job := range p.jobs {\n\t\t\t\tjob()\n\t\t\t}\n\t\t}()\n\t}\n}\n\n"
           "// Close waits for workers that never say they are done.\n"
           "func (p *Pool) Close() {\n\tclose(p.jobs)\n\tp.wg.Wait()\n}\n",
    .good = "package pool\n\nimport \"sync\"\n\n"
            "type Pool struct {\n\twg   sync.WaitGroup\n\tjobs chan func()\n}\n\n"
            "func (p *Pool) Start(n int) {\n\tfor i := 0; i < n; i++ {\n\t\tp.wg.Add(1)\n"
            "\t\tgo func() {\n\t\t\tdefer p.wg.Done()\n\t\t\tfor job := range p.jobs {\n\t\t\t\tjob()\n\t\t\t}\n\t\t}()\n\t}\n}\n\n"
            "func (p *Pool) Close() {\n\tclose(p.jobs)\n\tp.wg.Wait()\n}\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
