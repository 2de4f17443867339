/* rules/handshake_step_skipped: GD115. A two-step shutdown handshake on
 * two struct field channels (Close: `x.stop <- v; <-x.exited`; the loop:
 * `<-x.stop` ... `x.exited <- v`, often deferred), where the loop has a
 * path (an early error return) that reaches its send on `exited` without
 * ever receiving from `stop`. On that path its send blocks forever: the
 * only receiver gets to its receive only after a send on `stop` that
 * nobody will take any more, so the Close that would end it blocks too.
 * How: the object model (model/objects.h) gives every use of the classes.
 * Q (exited) and P (stop) are unexported, unbuffered, never handed on and
 * never closed. A plain send on Q in function G (or in a func literal G
 * defers) is checked: every receive from Q is in another function, after
 * a plain send on P on every path there (the control flow graph); every
 * receive from P is in G itself; and G's graph has a path that reaches
 * the send (for a deferred one: a return after the defer) without passing
 * a receive from P. Low confidence unless G runs in a goroutine the
 * package starts (a function called many times, a callback, may have
 * received from P in an earlier call). */
#include <stdlib.h>

#include "../model/cfg.h"
#include "../model/chan.h"
#include "../model/objects.h"
#include "rule.h"
#include "rulelib.h"

/* Stop events: those holding a use of class c in function fn of file fi
 * that is a receive (want_send false) or a plain send (want_send true). */
struct stopper {
    const struct pkg *p;
    const struct obj_class *c;
    int fi;
    nid fn;
    bool want_send;
};

static bool stop_at(void *ud, nid ev)
{
    const struct stopper *s = ud;
    const struct gofile *f = &s->p->files[s->fi];
    for (int k = 0; k < s->c->nuses; k++) {
        const struct obj_use *u = &s->c->uses[k];
        if (u->fi != s->fi || u->fn != s->fn || !ast_contains(f, ev, u->node)) continue;
        if (s->want_send ? u->op == OO_SEND && obj_use_blocks(u)
                         : u->op == OO_RECV || u->op == OO_RANGE)
            return true;
    }
    return false;
}

/* Does every path of g from its entry to node target pass a stop event
 * first? (Also when target is unreachable.) */
static bool passes_before(const struct cfg *g, nid target, struct stopper *s)
{
    int b, i;
    if (!cfg_event_pos(g, target, &b, &i)) return false;
    uint8_t *out = xcalloc((size_t)g->nblocks, 1);
    cfg_reach_avoiding(g, g->entry, -1, stop_at, s, out);
    bool reached = out[b] & CFG_REACH_ENTERED;
    free(out);
    if (!reached) return true;
    for (int e = 0; e < i; e++)
        if (stop_at(s, g->blocks[b].events[e])) return true;
    return false;
}

/* The exit that a path from the defer statement d of g takes to EXIT
 * without a stop event: a return statement, else the function's body (its
 * end); 0 when there is no such path. */
static nid skipping_exit(const struct cfg *g, nid d, struct stopper *s)
{
    int b, i;
    if (!cfg_event_pos(g, d, &b, &i)) return 0;
    uint8_t *out = xcalloc((size_t)g->nblocks, 1);
    cfg_reach_avoiding(g, b, i, stop_at, s, out);
    nid at = 0;
    if (out[g->exit] & CFG_REACH_ENTERED) {
        at = g->body;
        const struct cfg_block *x = &g->blocks[g->exit];
        for (int k = 0; k < x->npreds; k++) {
            const struct cfg_block *pb = &g->blocks[x->preds[k]];
            bool via = (out[x->preds[k]] & CFG_REACH_THROUGH) || x->preds[k] == b;
            if (!via || !pb->nevents) continue;
            nid last = pb->events[pb->nevents - 1];
            if (ast_kind(g->f, last) == N_RETURN_STATEMENT && (!at || at == g->body || last < at)) at = last;
        }
    }
    free(out);
    return at;
}

/* Unexported, unbuffered, never handed on, never closed. */
static bool handshake_class(const struct obj_class *c)
{
    if (!rl_private_class(c, OBJ_CHAN) || c->buf != 0) return false;
    for (int k = 0; k < c->nuses; k++)
        if (c->uses[k].op == OO_CLOSE || c->uses[k].op == OO_GET) return false;
    return true;
}

static bool is_recv(const struct obj_use *u) { return u->op == OO_RECV || u->op == OO_RANGE; }

/* Is every receive from Q (there is one) in another function than gfn
 * (file gfi), and preceded there on every path by a plain send on P? Sets
 * *rel_send, *rel_recv (and their file) to one such pair. */
static bool receivers_send_first(struct pkg *p, const struct obj_class *q, const struct obj_class *pc, int gfi,
                                 nid gfn, int *hfi, nid *rel_send, nid *rel_recv)
{
    int n = 0;
    for (int k = 0; k < q->nuses; k++) {
        const struct obj_use *r = &q->uses[k];
        if (!is_recv(r)) continue;
        const struct gofile *rf = &p->files[r->fi];
        if (r->fi == gfi && ast_contains(rf, gfn, r->node)) return false;
        struct stopper s = {p, pc, r->fi, r->fn, true};
        nid sent = 0;
        for (int j = 0; j < pc->nuses && !sent; j++) {
            const struct obj_use *v = &pc->uses[j];
            if (v->op == OO_SEND && obj_use_blocks(v) && v->fi == r->fi && v->fn == r->fn && v->node < r->node) sent = v->node;
        }
        if (!sent) return false;
        struct cfg *g = cfg_build(p, r->fi, r->fn);
        bool ok = passes_before(g, ast_parent(rf, r->node), &s);
        cfg_free(g);
        if (!ok) return false;
        if (!n++) *hfi = r->fi, *rel_send = ast_parent(rf, sent), *rel_recv = ast_parent(rf, r->node);
    }
    return n > 0;
}

/* Are all receives from P (at least one) in function gfn itself? */
static bool received_only_in(const struct obj_class *pc, int gfi, nid gfn)
{
    int n = 0;
    for (int k = 0; k < pc->nuses; k++) {
        const struct obj_use *v = &pc->uses[k];
        if (!is_recv(v)) continue;
        if (v->fi != gfi || v->fn != gfn) return false;
        n++;
    }
    return n > 0;
}

static void check_send(struct rule_ctx *ctx, const struct obj_model *m, const struct obj_class *q,
                       const struct obj_use *u)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    nid o = ast_parent(f, u->node); /* the send statement */
    /* G: the function holding the send, or the one deferring the func
     * literal that holds it */
    nid gfn = u->fn, dstmt = 0;
    if (ast_kind(f, u->fn) == N_FUNC_LITERAL && rl_literal_called_in_place(f, u->fn)) {
        nid call = ast_parent(f, u->fn);
        while (ast_kind(f, call) == N_PARENTHESIZED_EXPRESSION) call = ast_parent(f, call);
        if (ast_kind(f, ast_parent(f, call)) == N_DEFER_STATEMENT) {
            dstmt = ast_parent(f, call);
            gfn = model_enclosing_func(f, dstmt);
        }
    }
    if (!gfn) return;
    for (int i = 0; i < m->n; i++) {
        const struct obj_class *pc = &m->classes[i];
        if (pc == q || !handshake_class(pc) || !received_only_in(pc, ctx->fi, gfn)) continue;
        int hfi = 0;
        nid hsend = 0, hrecv = 0;
        if (!receivers_send_first(p, q, pc, ctx->fi, gfn, &hfi, &hsend, &hrecv)) continue;
        struct stopper s = {p, pc, ctx->fi, gfn, false};
        struct cfg *g = cfg_build(p, ctx->fi, gfn);
        nid at = dstmt ? skipping_exit(g, dstmt, &s) : (passes_before(g, o, &s) ? 0 : o);
        cfg_free(g);
        if (!at) continue;
        const struct gofile *hf = &p->files[hfi];
        nid hdecl = model_enclosing_decl(hf, hrecv);
        struct str hname = hdecl ? ast_text(hf, ast_child(hf, hdecl, F_NAME)) : str_make("a func literal", 14);
        nid gdecl = ast_kind(f, gfn) == N_FUNC_LITERAL ? model_enclosing_decl(f, gfn) : gfn;
        struct str gname = gdecl ? ast_text(f, ast_child(f, gdecl, F_NAME)) : str_make("the func literal", 16);
        struct str qx = ast_text(f, u->node);
        const char *where = at == o ? "on a path that reaches it"
                            : ast_kind(f, at) == N_RETURN_STATEMENT
                                ? arena_printf(&p->arena, "when %.*s returns at line %u", (int)gname.n, gname.p,
                                               f->nodes[at].line)
                                : arena_printf(&p->arena, "when %.*s ends", (int)gname.n, gname.p);
        /* a function called many times (a callback) may have received
         * the stop in an earlier call: only a goroutine's body runs the
         * handshake once */
        bool once = objects_in_goroutine(p, m, ctx->fi, gfn);
        enum confidence conf = rl_is_test_file(f) || !once ? CONF_LOW : CONF_MEDIUM;
        struct finding *fd = rule_report_conf(
            ctx, o, conf,
            "the %ssend on %.*s blocks forever %s without receiving from %s.%.*s: its only receiver, %.*s, "
            "first sends on %s.%.*s, which nothing but %.*s receives",
            dstmt ? "deferred " : "", (int)qx.n, qx.p, where, pc->type, (int)pc->field.n, pc->field.p,
            (int)hname.n, hname.p, pc->type, (int)pc->field.n, pc->field.p, (int)gname.n, gname.p);
        if (!fd) return;
        if (at != o) rule_related(ctx, fd, at, "%.*s gives up here", (int)gname.n, gname.p);
        rule_related_in(ctx, fd, hfi, hsend, "%.*s sends here first", (int)hname.n, hname.p);
        rule_related_in(ctx, fd, hfi, hrecv, "and only then receives");
        fd->fix = xasprintf("give %s.%.*s (and %s.%.*s) a buffer of one, or close %s.%.*s instead of sending, "
                            "so that %.*s can return on every path",
                            q->type, (int)q->field.n, q->field.p, pc->type, (int)pc->field.n, pc->field.p, q->type,
                            (int)q->field.n, q->field.p, (int)gname.n, gname.p);
        return;
    }
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    const struct obj_model *m = rl_objects(ctx);
    if (!m) return;
    for (int i = 0; i < m->n; i++) {
        const struct obj_class *q = &m->classes[i];
        if (!handshake_class(q)) continue;
        for (int k = 0; k < q->nuses; k++) {
            const struct obj_use *u = &q->uses[k];
            if (u->op == OO_SEND && obj_use_blocks(u) && u->fi == ctx->fi && u->fn) check_send(ctx, m, q, u);
        }
    }
}

const struct rule rule_handshake_step_skipped = {
    .id = "GD115",
    .name = "handshake-step-skipped",
    .severity = SEV_WARNING,
    .confidence = CONF_MEDIUM,
    .summary = "A goroutine's final (often deferred) send on a field channel whose only receiver first sends a stop "
               "signal that the goroutine receives on some paths only: on the others (an early error return) the "
               "send blocks forever, and so does the Close that would end it.",
    .why = "A common shutdown handshake uses two unbuffered channels: `Close` sends on `x.stop` and then waits "
           "on `x.exited`; the loop receives from `x.stop`, cleans up and sends on `x.exited` (often in a "
           "`defer`, so that it is sent on every return). When the loop can return before it has received from "
           "`x.stop` (an initialisation error, an input channel closed), its send on `x.exited` has nobody to "
           "take it: `Close`, the only receiver, is blocked on (or will block on) its send on `x.stop`, which "
           "only the loop received. The loop's goroutine leaks, its error is never reported, and a later "
           "`Close` hangs. Fix it by buffering both channels (one slot each), or by closing `x.exited` and "
           "letting `Close` give up when it is closed. godark follows the two fields across the package with "
           "the object model: both unexported, unbuffered, never closed or handed on; every receive from "
           "`exited` in another function after a plain send on `stop` on every path there; every receive from "
           "`stop` in the loop's own function; and a path in that function (after the `defer`) that returns "
           "without receiving from `stop`. Reported at medium confidence when the loop's function runs in a "
           "goroutine the package starts (so once per handshake); low otherwise (a callback called many times "
           "may have received the stop in an earlier call) and in test files.",
    .bad = "package sched\n\n"
           "import \"errors\"\n\n"
           "type Scheduler struct {\n\tbrokers string\n\tstop    chan bool\n\texited  chan bool\n}\n\n"
           "func New(brokers string) *Scheduler {\n"
           "\treturn &Scheduler{brokers: brokers, stop: make(chan bool), exited: make(chan bool)}\n}\n\n"
           "// Start blocks forever in its defer when it fails: Close, the only\n"
           "// receiver of exited, first sends on stop, which Start never received.\n"
           "func (s *Scheduler) Start() error {\n\tdefer func() { s.exited <- true }()\n"
           "\tif s.brokers == \"\" {\n\t\treturn errors.New(\"no brokers\")\n\t}\n\t<-s.stop\n\treturn nil\n}\n\n"
           "func (s *Scheduler) Close() {\n\ts.stop <- true\n\t<-s.exited\n}\n",
    .good = "package sched\n\n"
            "import \"errors\"\n\n"
            "type Scheduler struct {\n\tbrokers string\n\tstop    chan bool\n\texited  chan bool\n}\n\n"
            "func New(brokers string) *Scheduler {\n"
            "\treturn &Scheduler{brokers: brokers, stop: make(chan bool, 1), exited: make(chan bool, 1)}\n}\n\n"
            "// With one slot each, Start returns on every path and Close never blocks.\n"
            "func (s *Scheduler) Start() error {\n\tdefer func() { s.exited <- true }()\n"
            "\tif s.brokers == \"\" {\n\t\treturn errors.New(\"no brokers\")\n\t}\n\t<-s.stop\n\treturn nil\n}\n\n"
            "func (s *Scheduler) Close() {\n\ts.stop <- true\n\t<-s.exited\n}\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
