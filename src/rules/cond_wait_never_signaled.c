/* rules/cond_wait_never_signaled: GD407 cond-wait-never-signaled. A
 * sync.Cond kept in an unexported struct field is waited on, but nothing in
 * the package ever calls Signal or Broadcast on it: every Wait sleeps for
 * good.
 * How: the object model (model/objects.h) lists every use of the field's
 * class T.f across the package; the class must be closed (never handed
 * on, copied or set from anything but sync.NewCond), have a Wait and no
 * Signal or Broadcast. Reported at each Wait of the file. */
#include "../model/objects.h"
#include "rule.h"
#include "rulelib.h"

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    struct pkg *p = ctx->pkg;
    const struct obj_model *m = rl_objects(ctx);
    if (!m) return;
    for (int i = 0; i < m->n; i++) {
        const struct obj_class *c = &m->classes[i];
        if (!rl_private_class(c, OBJ_COND) || !rl_class_use_in_file(ctx, c, OO_WAIT)) continue;
        bool woken = false;
        for (int k = 0; k < c->nuses; k++) woken |= c->uses[k].op == OO_SIGNAL || c->uses[k].op == OO_BROADCAST;
        if (woken) continue;
        const char *reason = arena_printf(&p->arena, "nothing in the package calls Signal or Broadcast on %s.%.*s", c->type,
                                          (int)c->field.n, c->field.p);
        rl_report_class_waits(ctx, c, "sleeps", reason, "call Broadcast (or Signal) on ",
                              " where the condition its waiters check changes, with its L held");
    }
}

const struct rule rule_cond_wait_never_signaled = {
    .id = "GD407",
    .name = "cond-wait-never-signaled",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "A sync.Cond in a struct field is waited on, but nothing in the package ever calls its Signal or "
               "Broadcast.",
    .why = "`sync.Cond.Wait` unlocks the cond's lock and sleeps until another goroutine calls `Signal` or "
           "`Broadcast` on the same cond. A cond kept in an unexported struct field can only be woken by code "
           "of its package; when no function of the package ever signals it (the wake-up was lost in a "
           "refactor, or is done on another cond), every goroutine that reaches `Wait` sleeps for good, "
           "holding up whatever waits for it in turn. godark follows the field across the package, test "
           "files included, with the package's object model: it must be set only from `sync.NewCond` (or "
           "be a `sync.Cond` value whose `L` is set), never copied, passed, returned or reached through an "
           "embedded struct, and have no `Signal` or `Broadcast` anywhere. Then each `Wait` on it is "
           "reported. In test files, or when the test files are not checked, the confidence is low.",
    .bad = "package queue\n\nimport \"sync\"\n\n"
           "type Queue struct {\n\tmu    sync.Mutex\n\tready *sync.Cond\n\titems []string\n}\n\n"
           "func New() *Queue {\n\tq := &Queue{}\n\tq.ready = sync.NewCond(&q.mu)\n\treturn q\n}\n\n"
           "// Put forgets to wake the waiters.\n"
           "func (q *Queue) Put(s string) {\n\tq.mu.Lock()\n\tq.items = append(q.items, s)\n\tq.mu.Unlock()\n}\n\n"
           "func (q *Queue) Get() string {\n\tq.mu.Lock()\n\tdefer q.mu.Unlock()\n"
           "\tfor len(q.items) == 0 {\n\t\tq.ready.Wait()\n\t}\n"
           "\ts := q.items[0]\n\tq.items = q.items[1:]\n\treturn s\n}\n",
    .good = "package queue\n\nimport \"sync\"\n\n"
            "type Queue struct {\n\tmu    sync.Mutex\n\tready *sync.Cond\n\titems []string\n}\n\n"
            "func New() *Queue {\n\tq := &Queue{}\n\tq.ready = sync.NewCond(&q.mu)\n\treturn q\n}\n\n"
            "func (q *Queue) Put(s string) {\n\tq.mu.Lock()\n\tq.items = append(q.items, s)\n\tq.mu.Unlock()\n"
            "\tq.ready.Signal()\n}\n\n"
            "func (q *Queue) Get() string {\n\tq.mu.Lock()\n\tdefer q.mu.Unlock()\n"
            "\tfor len(q.items) == 0 {\n\t\tq.ready.Wait()\n\t}\n"
            "\ts := q.items[0]\n\tq.items = q.items[1:]\n\treturn s\n}\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
