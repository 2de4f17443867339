/* rules/dropped_wakeup: GD114. A blocking receive on an unbuffered struct
 * field channel whose every send is non-blocking (`select { case c.ch <- v:
 * default: }`): a send completes only when a receiver is already parked
 * on the channel, so a wake-up sent a moment before the receiver gets there
 * is dropped, and the receive waits for good (a lost wake-up).
 * How: the object model (model/objects.h) lists the class's uses across
 * the package: it must be unexported, never handed on, every make
 * unbuffered, never closed, with at least one send and every send in a
 * select with a default. Each receive (or range) that blocks, plain or the
 * only case of its select, is reported. */
#include "../model/chan.h"
#include "../model/objects.h"
#include "rule.h"
#include "rulelib.h"

/* Reports the blocking receives of class c in ctx's file when every send
 * on it is non-blocking. */
static void check_class(struct rule_ctx *ctx, const struct obj_class *c)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    if (c->buf != 0) return;
    int sends = 0;
    bool all_nonblocking = true, closed = false;
    const struct obj_use *first_send = NULL;
    for (int k = 0; k < c->nuses; k++) {
        const struct obj_use *u = &c->uses[k];
        if (u->op == OO_CLOSE || u->op == OO_GET) closed = true; /* a getter's caller may send or close */
        if (u->op != OO_SEND) continue;
        sends++;
        if (!first_send) first_send = u;
        if (u->select != CHSEL_DEFAULT) all_nonblocking = false;
    }
    if (!sends || !all_nonblocking || closed) return;
    for (int k = 0; k < c->nuses; k++) {
        const struct obj_use *u = &c->uses[k];
        if (u->fi != ctx->fi || (u->op != OO_RECV && u->op != OO_RANGE)) continue;
        if (u->op == OO_RECV && !obj_use_blocks(u)) continue;
        nid o = ast_parent(f, u->node);
        struct str x = ast_text(f, u->node);
        if (x.n > 60) x.n = 60;
        enum confidence conf = rl_is_test_file(f) ? CONF_LOW : CONF_HIGH;
        struct finding *fd = rule_report_conf(
            ctx, u->op == OO_RANGE ? ast_parent(f, o) : o, conf,
            "%s %.*s can wait for good: every send on %s.%.*s is non-blocking and it has no buffer, so a "
            "wake-up sent before this goroutine is parked here is dropped",
            u->op == OO_RANGE ? "this range over" : "this receive from", (int)x.n, x.p, c->type, (int)c->field.n,
            c->field.p);
        if (!fd) continue;
        const struct gofile *sf = &p->files[first_send->fi];
        rule_related_in(ctx, fd, first_send->fi, ast_parent(sf, first_send->node), "a non-blocking send");
        fd->fix = xasprintf("give %s.%.*s a buffer of one (a pending wake-up is then kept), or wait with a "
                            "timeout and re-check the condition",
                            c->type, (int)c->field.n, c->field.p);
    }
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    rl_each_private_class(ctx, OBJ_CHAN, check_class);
}

const struct rule rule_dropped_wakeup = {
    .id = "GD114",
    .name = "dropped-wakeup",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A blocking receive on an unbuffered channel whose every send is non-blocking: a wake-up sent "
               "before the receiver is parked is dropped, and the receive waits for good.",
    .why = "A send on an unbuffered channel completes only when a receiver takes the value at that moment. "
           "In a select with a default (`select { case c.wake <- x: default: }`) it is dropped when no "
           "receiver is parked on the channel right then. When every send of a channel is like that, a "
           "goroutine that checks some state, finds nothing to do and then goes to wait on the channel can "
           "miss the wake-up sent between its check and its receive, and then waits for good: the classic lost "
           "wake-up of a condition variable built from a channel. `sync.Cond` avoids it by unlocking and "
           "registering the waiter atomically; a channel does it with a buffer of one, which keeps one "
           "pending wake-up for the next receive. godark follows the field with the object model: unexported, "
           "never handed on or returned, every make unbuffered, never closed, with sends and every send "
           "non-blocking. Each receive or range on it that blocks (no other case, no default) is reported.",
    .bad = "package kick\n\nimport \"time\"\n\n"
           "type Worker struct {\n\tkick chan struct{}\n}\n\n"
           "func New() *Worker {\n\tw := &Worker{kick: make(chan struct{})}\n\tgo w.run()\n\treturn w\n}\n\n"
           "// Kick is dropped while run is busy.\n"
           "func (w *Worker) Kick() {\n\tselect {\n\tcase w.kick <- struct{}{}:\n\tdefault:\n\t}\n}\n\n"
           "func (w *Worker) run() {\n\tfor range w.kick {\n\t\ttime.Sleep(time.Millisecond)\n\t}\n}\n",
    .good = "package kick\n\nimport \"time\"\n\n"
            "type Worker struct {\n\tkick chan struct{}\n\tquit chan struct{}\n}\n\n"
            "// The buffer keeps one pending kick while run is busy.\n"
            "func New() *Worker {\n\tw := &Worker{kick: make(chan struct{}, 1), quit: make(chan struct{})}\n"
            "\tgo w.run()\n\treturn w\n}\n\n"
            "func (w *Worker) Kick() {\n\tselect {\n\tcase w.kick <- struct{}{}:\n\tdefault:\n\t}\n}\n\n"
            "func (w *Worker) Close() { close(w.quit) }\n\n"
            "func (w *Worker) run() {\n\tfor {\n\t\tselect {\n\t\tcase <-w.kick:\n"
            "\t\t\ttime.Sleep(time.Millisecond)\n\t\tcase <-w.quit:\n\t\t\treturn\n\t\t}\n\t}\n}\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
