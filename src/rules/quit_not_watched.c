/* rules/quit_not_watched: GD112. A goroutine's loop stops on a quit
 * signal, but only in one select: elsewhere in the same loop it blocks on
 * a plain receive (or send) of a struct field channel without watching the
 * signal. Once the signal comes while the loop waits there, the goroutine
 * never sees it: it leaks, and a Stop that waits for it hangs.
 * How: each select case `case <-x.quit:` (a field channel the package
 * closes) or `case <-ctx.Done():` whose clause leaves the function's
 * outermost loop, in a function some go statement of the package starts
 * (model/objects.h). In that loop, outside any select case and func
 * literal, a plain receive from an unexported field channel that nothing
 * closes, or a plain send on an unbuffered one that no second function
 * ranges over, is reported: it is a
 * second place where the loop can wait, and the quit does not reach it. */
#include "../model/chan.h"
#include "../model/objects.h"
#include "rule.h"
#include "rulelib.h"

/* Is case cc's communication a receive from a quit signal: a field
 * channel the package closes, or a context's Done()? Sets *what to the
 * received expression. */
static bool is_quit_case(struct pkg *p, int fi, nid cc, nid *what)
{
    const struct gofile *f = &p->files[fi];
    nid comm = ast_child(f, cc, F_COMMUNICATION);
    if (ast_kind(f, comm) == N_RECEIVE_STATEMENT) comm = ast_child(f, comm, F_RIGHT);
    else if (ast_kind(f, comm) == N_EXPRESSION_STATEMENT) comm = ast_first_child(f, comm);
    if (ast_kind(f, comm) != N_UNARY_EXPRESSION || f->nodes[comm].op != OP_ARROW) return false;
    nid x = ast_unparen(f, ast_first_child(f, comm));
    *what = x;
    if (ast_kind(f, x) == N_CALL_EXPRESSION) {
        nid fn = ast_child(f, x, F_FUNCTION);
        if (ast_kind(f, fn) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, fn, F_FIELD), "Done")) return false;
        return ltype_is(model_type_of(p, fi, ast_child(f, fn, F_OPERAND)), "context", "Context", false);
    }
    if (ast_kind(f, x) != N_SELECTOR_EXPRESSION) return false;
    const struct obj_class *q = objects_class_at(objects_of(p), fi, x);
    if (!q || q->kind != OBJ_CHAN) return false;
    for (int k = 0; k < q->nuses; k++)
        if (q->uses[k].op == OO_CLOSE) return true;
    return false;
}

/* Is node n inside a communication case (its communication or its
 * clause) of a select within loop? */
static bool in_select_case(const struct gofile *f, nid n, nid loop)
{
    for (nid a = ast_parent(f, n); a && a != loop; a = ast_parent(f, a))
        if (ast_kind(f, a) == N_COMMUNICATION_CASE || ast_kind(f, a) == N_DEFAULT_CASE) return true;
    return false;
}

/* A plain op of the loop on a class it can wait on for good: a receive
 * from a private channel nothing closes, a send on a private unbuffered
 * one that no second function drains (ranges over). Returns the class, or
 * NULL. */
static const struct obj_class *waits_unwatched(struct pkg *p, int fi, nid sel, const struct obj_use **use)
{
    const struct obj_model *m = objects_of(p);
    const struct obj_class *c = objects_class_at(m, fi, sel);
    if (!c || !rl_private_class(c, OBJ_CHAN)) return NULL;
    const struct obj_use *u = NULL, *ranged = NULL;
    bool closed = false, drained = false;
    for (int k = 0; k < c->nuses; k++) {
        const struct obj_use *x = &c->uses[k];
        if (x->op == OO_CLOSE) closed = true;
        if (x->fi == fi && x->node == sel) u = x;
        /* ranged over in two functions: when the usual receiver stops,
         * the other drains what is left (sarama's abort) */
        if (x->op == OO_RANGE) {
            if (ranged && (ranged->fi != x->fi || ranged->decl != x->decl)) drained = true;
            ranged = x;
        }
    }
    if (!u || !obj_use_blocks(u)) return NULL;
    if (u->op == OO_RECV && closed) return NULL;
    if (u->op == OO_SEND && (c->buf != 0 || drained)) return NULL;
    if (u->op != OO_RECV && u->op != OO_SEND) return NULL;
    *use = u;
    return c;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    if (rl_pkg_has_error(p)) return;
    nid scanned = 0;
    for (nid cc = 1; cc < f->nnodes; cc++) {
        if (f->nodes[cc].kind != N_COMMUNICATION_CASE) continue;
        nid quit;
        if (!is_quit_case(p, ctx->fi, cc, &quit)) continue;
        nid sel = ast_parent(f, cc);
        nid loop = rl_enclosing_loop(f, sel);
        for (nid l = loop; l; l = rl_enclosing_loop(f, l)) loop = l;
        if (!loop || loop == scanned || !rl_leaving_stmt(f, cc, loop)) continue;
        int go_fi;
        nid go = objects_spawn_site(p, ctx->fi, cc, &go_fi);
        if (!go) continue;
        nid fn = model_enclosing_func(f, cc);
        scanned = loop;
        for (nid k = loop; k < f->nodes[loop].end; k++) {
            enum node_kind kk = ast_kind(f, k);
            if (kk == N_FUNC_LITERAL) {
                k = f->nodes[k].end - 1;
                continue;
            }
            if (kk != N_SELECTOR_EXPRESSION || in_select_case(f, k, loop) || model_enclosing_func(f, k) != fn) continue;
            const struct obj_use *u = NULL;
            const struct obj_class *c = waits_unwatched(p, ctx->fi, k, &u);
            if (!c) continue;
            struct str q = ast_text(f, quit), x = ast_text(f, k);
            if (q.n > 50) q.n = 50;
            struct finding *fd = rule_report(
                ctx, ast_parent(f, k), "this %s %.*s does not watch %.*s: the loop stops on it only in the select at "
                                      "line %u, so a quit that comes while it waits here is never seen and the "
                                      "goroutine blocks for good",
                u->op == OO_RECV ? "receive from" : "send on", (int)x.n, x.p, (int)q.n, q.p, f->nodes[sel].line);
            if (!fd) continue;
            rule_related(ctx, fd, cc, "the loop stops here");
            rule_related_in(ctx, fd, go_fi, go, "the goroutine is started here");
            fd->fix = xasprintf("wait in a select with a case on %.*s (as at line %u)", (int)q.n, q.p, f->nodes[sel].line);
        }
    }
}

const struct rule rule_quit_not_watched = {
    .id = "GD112",
    .name = "quit-not-watched",
    .severity = SEV_WARNING,
    .confidence = CONF_MEDIUM,
    .summary = "A goroutine's loop stops on a quit signal in one select, but blocks elsewhere in the loop on a "
               "field channel without watching it: a quit that comes then is never seen.",
    .why = "A goroutine that runs a loop is usually stopped by a signal: a quit or done channel that `Stop` "
           "closes, or its context's `Done()`. The loop sees the signal only where it waits in a select with a "
           "case on it. When the same loop also waits somewhere else, a plain `<-x.queue` or `x.out <- v` on "
           "a struct field channel, the signal cannot reach it there: if the quit comes while the goroutine "
           "waits at that spot (an empty queue at shutdown, a reader that went away), the goroutine blocks for "
           "good, and a `Stop` that waits for it (`wg.Wait()`, `<-x.stopped`) hangs with it. The fix is to "
           "wait in a select with a case on the same signal at every place the loop can block. godark looks "
           "at each select case on a quit signal (a field channel the package closes, or a context's "
           "`Done()`) that leaves the outermost loop of a function a go statement of the package starts; in "
           "that loop, outside select cases and func literals, it reports each plain receive from an "
           "unexported field channel that nothing closes (a close would end the wait) and each plain send on "
           "an unbuffered one that no second function drains (a `for range` over the channel in another "
           "function takes what the usual receiver leaves, as sarama's abort does). A function started "
           "through a helper that calls its func parameter (`go withRecover(bc.loop)`) counts as started by "
           "go.",
    .bad = "package proto\n\nimport \"sync\"\n\n"
           "type Protocol struct {\n\tqueue chan []byte\n\tready chan struct{}\n\tdone  chan struct{}\n"
           "\twg    sync.WaitGroup\n\tsend  func([]byte)\n}\n\n"
           "func New(send func([]byte)) *Protocol {\n\tp := &Protocol{queue: make(chan []byte, 50), ready: "
           "make(chan struct{}, 1), done: make(chan struct{}), send: send}\n\tp.wg.Add(1)\n\tgo p.loop()\n"
           "\treturn p\n}\n\n"
           "func (p *Protocol) loop() {\n\tdefer p.wg.Done()\n\tfor {\n\t\tselect {\n\t\tcase <-p.done:\n"
           "\t\t\treturn\n\t\tcase <-p.ready:\n\t\t}\n"
           "\t\tmsg := <-p.queue // Stop hangs when the queue is empty\n\t\tp.send(msg)\n\t}\n}\n\n"
           "func (p *Protocol) Send(b []byte) { p.queue <- b }\n\n"
           "func (p *Protocol) Stop() {\n\tclose(p.done)\n\tp.wg.Wait()\n}\n",
    .good = "package proto\n\nimport \"sync\"\n\n"
            "type Protocol struct {\n\tqueue chan []byte\n\tready chan struct{}\n\tdone  chan struct{}\n"
            "\twg    sync.WaitGroup\n\tsend  func([]byte)\n}\n\n"
            "func New(send func([]byte)) *Protocol {\n\tp := &Protocol{queue: make(chan []byte, 50), ready: "
            "make(chan struct{}, 1), done: make(chan struct{}), send: send}\n\tp.wg.Add(1)\n\tgo p.loop()\n"
            "\treturn p\n}\n\n"
            "func (p *Protocol) loop() {\n\tdefer p.wg.Done()\n\tfor {\n\t\tselect {\n\t\tcase <-p.done:\n"
            "\t\t\treturn\n\t\tcase <-p.ready:\n\t\t}\n"
            "\t\tselect {\n\t\tcase msg := <-p.queue:\n\t\t\tp.send(msg)\n\t\tcase <-p.done:\n\t\t\treturn\n"
            "\t\t}\n\t}\n}\n\n"
            "func (p *Protocol) Send(b []byte) { p.queue <- b }\n\n"
            "func (p *Protocol) Stop() {\n\tclose(p.done)\n\tp.wg.Wait()\n}\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
