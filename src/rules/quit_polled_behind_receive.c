/* rules/quit_polled_behind_receive: GD116. A goroutine's loop blocks on a
 * plain receive in every iteration and looks at its quit channel only by
 * polling it (a select with a default), while a method closes the quit
 * channel and then waits for the goroutine's final signal. When the last
 * value has come before the close, the loop sits in its receive, never
 * sees the quit, and the method waits forever (goccm's WaitAllDone).
 * How: the object model (model/objects.h). C, the quit: an unexported
 * field channel that the package closes, never sends on, and receives from
 * only in selects with a default. B: an unexported field channel that
 * nothing closes, received by a plain statement of the loop's body (not
 * under an if or a case), in a function a go statement of the package
 * runs. In the same loop, C is polled, directly or in a same-package
 * function it calls. Q, the final signal: an unexported field channel that
 * only that function sends on or closes (in the loop, after it, or in a
 * defer). Reported: a plain receive from Q in another function that
 * closes C before it (itself or in a function it calls) and sends on B
 * nowhere (itself or in the functions it calls). */
#include "../model/chan.h"
#include "../model/objects.h"
#include "../model/summary.h"
#include "rule.h"
#include "rulelib.h"

/* C: closed, never sent on, received only by polls. */
static bool polled_quit(const struct obj_class *c)
{
    if (!rl_private_class(c, OBJ_CHAN)) return false;
    int closes = 0, polls = 0;
    for (int k = 0; k < c->nuses; k++) {
        const struct obj_use *u = &c->uses[k];
        if (u->op == OO_SEND || u->op == OO_RANGE || u->op == OO_GET) return false;
        if (u->op == OO_RECV && u->select != CHSEL_DEFAULT) return false;
        closes += u->op == OO_CLOSE;
        polls += u->op == OO_RECV;
    }
    return closes && polls;
}

/* Does the body of package function decl (index d) hold a use of c with
 * op (a poll when op is OO_RECV)? */
static bool decl_has_use(const struct pkg *p, int d, const struct obj_class *c, int op)
{
    const struct pkg_decl *pd = &p->decls[d];
    for (int k = 0; k < c->nuses; k++)
        if (c->uses[k].op == op && c->uses[k].fi == pd->file && c->uses[k].decl == pd->node) return true;
    return false;
}

/* Is the receive at use node n (op node o) a statement of the loop's own
 * body, run in every iteration: no if, switch, select, inner loop or
 * short-circuit operator between it and loop? */
static bool every_iteration(const struct gofile *f, nid n, nid loop)
{
    for (nid a = ast_parent(f, n); a && a != loop; a = ast_parent(f, a)) {
        switch (ast_kind(f, a)) {
        case N_IF_STATEMENT:
        case N_FOR_STATEMENT:
        case N_EXPRESSION_SWITCH_STATEMENT:
        case N_TYPE_SWITCH_STATEMENT:
        case N_SELECT_STATEMENT:
        case N_FUNC_LITERAL:
            return false;
        case N_BINARY_EXPRESSION:
            if (f->nodes[a].op == OP_LAND || f->nodes[a].op == OP_LOR) return false;
            break;
        default:
            break;
        }
    }
    return true;
}

/* The node in loop (func literals passed over) that polls a quit class:
 * a poll of it, or a call of a package function that polls it. Sets *qc
 * and, for a call, *helper (decl index; else -1). */
static nid poll_in(struct pkg *p, const struct obj_model *m, int fi, nid loop, const struct obj_class **qc,
                   int *helper)
{
    const struct gofile *f = &p->files[fi];
    for (nid k = loop; k < f->nodes[loop].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk == N_SELECTOR_EXPRESSION) {
            const struct obj_class *c = objects_class_at(m, fi, k);
            if (c && polled_quit(c)) {
                *qc = c, *helper = -1;
                return k;
            }
        } else if (kk == N_CALL_EXPRESSION) {
            int d = model_callee(p, fi, k);
            if (d < 0) continue;
            for (int i = 0; i < m->n; i++)
                if (polled_quit(&m->classes[i]) && decl_has_use(p, d, &m->classes[i], OO_RECV)) {
                    *qc = &m->classes[i], *helper = d;
                    return k;
                }
        }
    }
    return 0;
}

/* Does function fn of file fi (or a package function it calls, one level)
 * have a use of c with op before node `before` (0: anywhere)? Sets *at to
 * the use or the call. */
static bool does_op(struct pkg *p, int fi, nid fn, const struct obj_class *c, int op, nid before, nid *at)
{
    const struct gofile *f = &p->files[fi];
    for (int k = 0; k < c->nuses; k++) {
        const struct obj_use *u = &c->uses[k];
        if (u->op == op && u->fi == fi && ast_contains(f, fn, u->node) && (!before || u->node < before)) {
            *at = u->node;
            return true;
        }
    }
    for (nid k = fn; k < f->nodes[fn].end && (!before || k < before); k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        int d = model_callee(p, fi, k);
        if (d >= 0 && decl_has_use(p, d, c, op)) {
            *at = k;
            return true;
        }
    }
    return false;
}

/* Are all sends and closes of q (at least one) in gfn of file gfi, in or
 * after loop, or in a defer? */
static bool signalled_after(const struct pkg *p, const struct obj_class *q, int gfi, nid gfn, nid loop, nid *at)
{
    const struct gofile *f = &p->files[gfi];
    int n = 0;
    for (int k = 0; k < q->nuses; k++) {
        const struct obj_use *u = &q->uses[k];
        if (u->op != OO_SEND && u->op != OO_CLOSE) continue;
        if (u->fi != gfi || !ast_contains(f, gfn, u->node)) return false;
        if (u->node < loop && !ast_ancestor(f, u->node, N_DEFER_STATEMENT)) return false;
        if (!n++) *at = u->node;
    }
    return n > 0;
}

static struct str fname(const struct gofile *f, nid fn)
{
    nid d = ast_kind(f, fn) == N_FUNC_LITERAL ? model_enclosing_decl(f, fn) : fn;
    return d ? ast_text(f, ast_child(f, d, F_NAME)) : str_make("a func literal", 14);
}

/* Checks the loop around plain receive rb (of class b) and reports the
 * waits in ctx's file that it strands. */
static void check_receive(struct rule_ctx *ctx, const struct obj_model *m, const struct obj_class *b,
                          const struct obj_use *rb)
{
    struct pkg *p = ctx->pkg;
    int gfi = rb->fi;
    const struct gofile *gf = &p->files[gfi];
    nid o = ast_parent(gf, rb->node);
    nid loop = rb->op == OO_RANGE ? ast_parent(gf, o) : rl_enclosing_loop(gf, o);
    if (!loop || (rb->op != OO_RANGE && !every_iteration(gf, rb->node, loop))) return;
    if (!objects_in_goroutine(p, m, gfi, rb->node)) return;
    const struct obj_class *c = NULL;
    int helper = -1;
    nid poll = poll_in(p, m, gfi, loop, &c, &helper);
    if (!poll || c == b) return;
    for (int i = 0; i < m->n; i++) {
        const struct obj_class *q = &m->classes[i];
        nid qsig = 0;
        if (q == b || q == c || !rl_private_class(q, OBJ_CHAN) || !signalled_after(p, q, gfi, rb->fn, loop, &qsig))
            continue;
        for (int k = 0; k < q->nuses; k++) {
            const struct obj_use *w = &q->uses[k];
            if (w->op != OO_RECV || !obj_use_blocks(w) || w->fi != ctx->fi) continue;
            const struct gofile *f = ctx->f;
            if (w->fi == gfi && ast_contains(gf, rb->fn, w->node)) continue;
            nid closed_at = 0, fed = 0;
            if (!does_op(p, w->fi, w->fn, c, OO_CLOSE, w->node, &closed_at)) continue;
            if (does_op(p, w->fi, w->fn, b, OO_SEND, 0, &fed) || does_op(p, w->fi, w->fn, b, OO_CLOSE, 0, &fed))
                continue;
            struct str h = fname(f, w->fn), g = fname(gf, rb->fn), x = ast_text(f, w->node);
            struct str pname = helper >= 0 ? ast_text(&p->files[p->decls[helper].file], p->decls[helper].name_node)
                                           : str_make("a select with a default", 23);
            enum confidence conf = rl_is_test_file(f) ? CONF_LOW : CONF_MEDIUM;
            struct finding *fd = rule_report_conf(
                ctx, ast_parent(f, w->node), conf,
                "this receive from %.*s may block forever: %.*s closes %s.%.*s and waits here, but %.*s, which "
                "alone signals %s.%.*s, sees the close only by polling it (%.*s, line %u) after each receive "
                "from %s.%.*s (line %u); once the last value on %s.%.*s came before the close, it never wakes",
                (int)x.n, x.p, (int)h.n, h.p, c->type, (int)c->field.n, c->field.p, (int)g.n, g.p, q->type,
                (int)q->field.n, q->field.p, (int)pname.n, pname.p, gf->nodes[poll].line, b->type,
                (int)b->field.n, b->field.p, gf->nodes[rb->node].line, b->type, (int)b->field.n, b->field.p);
            if (!fd) return;
            rule_related(ctx, fd, closed_at, "%.*s closes the quit channel here", (int)h.n, h.p);
            rule_related_in(ctx, fd, gfi, o, "%.*s blocks here without watching it", (int)g.n, g.p);
            rule_related_in(ctx, fd, gfi, poll, "and polls it only here");
            rule_related_in(ctx, fd, gfi, qsig, "the signal this receive waits for");
            fd->fix = xasprintf("in %.*s, receive from %s.%.*s in a select with a case on %s.%.*s, so that the "
                                "close wakes it",
                                (int)g.n, g.p, b->type, (int)b->field.n, b->field.p, c->type, (int)c->field.n,
                                c->field.p);
        }
    }
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    const struct obj_model *m = rl_objects(ctx);
    if (!m) return;
    for (int i = 0; i < m->n; i++) {
        const struct obj_class *b = &m->classes[i];
        if (!rl_private_class(b, OBJ_CHAN)) continue;
        bool closed = false;
        for (int k = 0; k < b->nuses; k++) closed |= b->uses[k].op == OO_CLOSE;
        if (closed) continue;
        for (int k = 0; k < b->nuses; k++) {
            const struct obj_use *u = &b->uses[k];
            if ((u->op == OO_RECV && obj_use_blocks(u)) || u->op == OO_RANGE) check_receive(ctx, m, b, u);
        }
    }
}

const struct rule rule_quit_polled_behind_receive = {
    .id = "GD116",
    .name = "quit-polled-behind-receive",
    .severity = SEV_WARNING,
    .confidence = CONF_MEDIUM,
    .summary = "A method closes a quit channel and waits for a goroutine's final signal, but the goroutine's loop "
               "only polls the quit channel between blocking receives of another channel: once the last value has "
               "come, it never sees the close and the method waits forever.",
    .why = "A manager type starts a controller goroutine that loops on a plain receive (`<-c.doneCh`, one per "
           "finished job) and, after each one, checks whether it was told to stop with a non-blocking select on "
           "a quit channel. A method such as `WaitAllDone` closes the quit channel and waits for the "
           "controller's final signal. If the last job finished before that close (or none ever started), the "
           "controller is parked in its receive: nothing will send again, the close does not wake it because "
           "it is not watched, only polled, and `WaitAllDone` blocks forever. The fix is to wait on both: "
           "receive in a select with a case on the quit channel, and decide there whether to finish. godark "
           "follows the fields with the object model: the quit channel is unexported, closed, never sent on and "
           "only ever received in selects with a default; the loop's receive is a plain statement of the loop "
           "body, on an unexported channel nothing closes, in a goroutine the package starts; the poll is in "
           "the same loop (or in a function it calls); the final signal is sent or closed only by that "
           "goroutine, in or after the loop; and the waiting function closes the quit channel first and never "
           "sends on the loop's channel itself.",
    .bad = "package pool\n\n"
           "type Pool struct {\n\tdone    chan bool\n\tallDone chan bool\n\tclosed  chan bool\n\trunning int\n}\n\n"
           "func New() *Pool {\n"
           "\tp := &Pool{done: make(chan bool), allDone: make(chan bool), closed: make(chan bool)}\n"
           "\tgo p.controller()\n\treturn p\n}\n\n"
           "func (p *Pool) controller() {\n\tfor {\n\t\t<-p.done\n\t\tp.running--\n"
           "\t\tif p.isClosed() && p.running == 0 {\n\t\t\tbreak\n\t\t}\n\t}\n\tp.allDone <- true\n}\n\n"
           "func (p *Pool) isClosed() bool {\n\tselect {\n\tcase <-p.closed:\n\t\treturn true\n\tdefault:\n"
           "\t\treturn false\n\t}\n}\n\n"
           "func (p *Pool) Done() { p.done <- true }\n\n"
           "// WaitAllDone blocks forever when the last Done came before it.\n"
           "func (p *Pool) WaitAllDone() {\n\tclose(p.closed)\n\t<-p.allDone\n}\n",
    .good = "package pool\n\n"
            "type Pool struct {\n\tdone    chan bool\n\tallDone chan bool\n\tclosed  chan bool\n\trunning int\n}\n\n"
            "func New() *Pool {\n"
            "\tp := &Pool{done: make(chan bool), allDone: make(chan bool), closed: make(chan bool)}\n"
            "\tgo p.controller()\n\treturn p\n}\n\n"
            "// The controller watches the close too.\n"
            "func (p *Pool) controller() {\n\tclosed := p.closed\n\tfor closed != nil || p.running > 0 {\n"
            "\t\tselect {\n\t\tcase <-p.done:\n\t\t\tp.running--\n\t\tcase <-closed:\n\t\t\tclosed = nil\n"
            "\t\t}\n\t}\n\tclose(p.allDone)\n}\n\n"
            "func (p *Pool) Done() { p.done <- true }\n\n"
            "func (p *Pool) WaitAllDone() {\n\tclose(p.closed)\n\t<-p.allDone\n}\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
