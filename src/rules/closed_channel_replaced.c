/* rules/closed_channel_replaced: GD113. A function closes a struct field
 * channel to signal "stop" and then replaces it with a new one (`close(b.stopCh);
 * b.stopCh = make(chan struct{})`), while a goroutine reads the field anew
 * each time it waits (`<-b.stopCh` in a loop, or `<-b.getStopCh()`). A
 * goroutine that was not waiting at that moment reads the new, open
 * channel and never sees the stop: it runs on for good.
 * How: from the object model (model/objects.h), a channel class whose
 * close and a later make (or set) of the same field sit in one function;
 * then every receive of the class in another function, and every receive
 * from a call of a getter of the class, that runs in a goroutine of the
 * package and sits in a loop, or in a function a loop calls, is reported. */
#include <string.h>

#include "../model/objects.h"
#include "rule.h"
#include "rulelib.h"

/* Does the code between nodes a and b (same function, source order) wait
 * for the goroutines to see the close: a receive, or a call of something
 * named Wait, Stop, Close, Shutdown or Join (`close(x.stop); x.wg.Wait();
 * x.stop = make(...)`)? */
static bool waits_between(const struct gofile *f, nid a, nid b)
{
    static const char *const words[] = {"Wait", "Stop", "Close", "Shutdown", "Join", "wait", "stop"};
    for (nid k = a; k < b; k++) {
        if (ast_kind(f, k) == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW) return true;
        if (ast_kind(f, k) == N_CALL_EXPRESSION && rl_name_has_word(rl_call_name(f, k), words, GD_ARRAY_LEN(words)))
            return true;
    }
    return false;
}

/* The function of class c that closes it and then makes or sets it again:
 * its declaration; *close_at and *make_at get the two uses. */
static nid resetter(const struct pkg *p, const struct obj_class *c, const struct obj_use **close_at,
                    const struct obj_use **make_at)
{
    for (int i = 0; i < c->nuses; i++) {
        const struct obj_use *u = &c->uses[i];
        if (u->op != OO_CLOSE) continue;
        for (int j = 0; j < c->nuses; j++) {
            const struct obj_use *v = &c->uses[j];
            if (v->op == OO_MAKE && v->fi == u->fi && v->fn == u->fn && v->node > u->node &&
                !waits_between(&p->files[u->fi], u->node, v->node)) {
                *close_at = u;
                *make_at = v;
                return u->decl;
            }
        }
    }
    return 0;
}

/* Is receive op `o` of file fi read anew on each wait: inside a loop of
 * its function, or in a function that is not the goroutine's entry (a
 * helper the goroutine's loop calls)? */
static bool read_anew(struct pkg *p, int fi, nid o)
{
    const struct gofile *f = &p->files[fi];
    if (rl_enclosing_loop(f, o)) return true;
    int gfi;
    nid go = objects_spawn_site(p, fi, o, &gfi);
    return !go; /* reached through calls: the caller may loop */
}

/* Is receive expression o a signal wait, its value unused (`<-x.stop` as
 * a statement or a bare select case)? A value received is data: the
 * close only ends a stream. */
static bool signal_wait(const struct gofile *f, nid o)
{
    nid par = ast_parent(f, o);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) par = ast_parent(f, par);
    if (ast_kind(f, par) == N_RECEIVE_STATEMENT) return !ast_child(f, par, F_LEFT); /* `case <-x.stop:` */
    return ast_kind(f, par) == N_EXPRESSION_STATEMENT;
}

/* Does the function around node n call the resetter (named name) itself:
 * then the goroutine that waits replaces the channel, and cannot be
 * waiting elsewhere when it is closed. */
static bool calls_resetter(const struct gofile *f, nid n, struct str name)
{
    nid decl = model_enclosing_decl(f, n);
    return decl && rl_calls_named(f, decl, name);
}

static void report(struct rule_ctx *ctx, const struct obj_class *c, nid o, const struct obj_use *cl, const struct obj_use *mk)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *cf = &p->files[cl->fi];
    struct str fn = ast_text(cf, ast_child(cf, cl->decl, F_NAME));
    struct finding *fd = rule_report(
        ctx, o,
        "this receive reads %s.%.*s anew: %.*s closes it and then replaces it with a new channel (line %u), so a "
        "goroutine that was not waiting here at that moment finds the new, open one and never stops",
        c->type, (int)c->field.n, c->field.p, (int)fn.n, fn.p, cf->nodes[mk->node].line);
    if (!fd) return;
    rule_related_in(ctx, fd, cl->fi, ast_parent(cf, cl->node), "closed here");
    rule_related_in(ctx, fd, mk->fi, mk->node, "replaced here");
    fd->fix = xasprintf("read %s.%.*s once, before the goroutine's loop (or pass it to the goroutine), so that it "
                        "waits on the channel that is closed; or stop replacing the channel",
                        c->type, (int)c->field.n, c->field.p);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    const struct obj_model *m = rl_objects(ctx);
    if (!m) return;
    for (int i = 0; i < m->n; i++) {
        const struct obj_class *c = &m->classes[i];
        if (c->kind != OBJ_CHAN) continue;
        const struct obj_use *cl = NULL, *mk = NULL;
        nid rs = resetter(p, c, &cl, &mk);
        if (!rs) continue;
        const struct gofile *rf = &p->files[cl->fi];
        struct str rname = ast_text(rf, ast_child(rf, rs, F_NAME));
        for (int k = 0; k < c->nuses; k++) {
            const struct obj_use *u = &c->uses[k];
            if (u->fi != ctx->fi || u->decl == rs) continue;
            nid o = ast_parent(f, u->node);
            if (u->op == OO_RECV && signal_wait(f, o) && !calls_resetter(f, o, rname) &&
                objects_in_goroutine(p, m, ctx->fi, u->node) && read_anew(p, ctx->fi, o))
                report(ctx, c, o, cl, mk);
        }
        /* receives from a getter of the class: `<-x.getStopCh()` */
        for (int k = 0; k < c->nuses; k++) {
            const struct obj_use *g = &c->uses[k];
            const struct gofile *gf = &p->files[g->fi];
            if (g->op != OO_GET || g->decl == rs || ast_kind(gf, g->decl) != N_METHOD_DECLARATION) continue;
            struct str gname = ast_text(gf, ast_child(gf, g->decl, F_NAME));
            for (nid x = 1; x < f->nnodes; x++) {
                if (ast_kind(f, x) != N_UNARY_EXPRESSION || f->nodes[x].op != OP_ARROW) continue;
                nid call = ast_unparen(f, ast_first_child(f, x));
                nid fn = ast_kind(f, call) == N_CALL_EXPRESSION ? ast_child(f, call, F_FUNCTION) : 0;
                if (ast_kind(f, fn) != N_SELECTOR_EXPRESSION || !str_eqs(ast_text(f, ast_child(f, fn, F_FIELD)), gname))
                    continue;
                const char *tn = ltype_own_name(model_type_of(p, ctx->fi, ast_child(f, fn, F_OPERAND)));
                if (!tn || strcmp(tn, c->type)) continue;
                if (signal_wait(f, x) && !calls_resetter(f, x, rname) && objects_in_goroutine(p, m, ctx->fi, x) &&
                    read_anew(p, ctx->fi, x))
                    report(ctx, c, x, cl, mk);
            }
        }
    }
}

const struct rule rule_closed_channel_replaced = {
    .id = "GD113",
    .name = "closed-channel-replaced",
    .severity = SEV_WARNING,
    .confidence = CONF_MEDIUM,
    .summary = "A stop channel in a struct field is closed and then replaced with a new one, while a goroutine "
               "reads the field anew each time it waits: it can miss the close and never stop.",
    .why = "Closing a channel wakes every goroutine that is waiting on it at that moment, and every one that "
           "receives from that same channel later. A `Stop` that closes the stop channel in a struct field and "
           "then puts a fresh one in its place (to make the type restartable) breaks the second half: a "
           "goroutine that was busy when the close happened and then reads the field again (`<-b.stopCh` in "
           "its loop, or `<-b.getStopCh()`) gets the new, open channel and never learns that it was told to "
           "stop. It runs on, and after a restart two loops run side by side. The fix is to hand each "
           "goroutine its own channel once (read the field before the loop, or pass it as an argument), or to "
           "wait for the goroutines to stop before replacing the channel. godark follows the field with the "
           "object model: a function that closes it and later in its body makes it again, with no wait in "
           "between (a receive, or a call named Wait, Stop, Close, Shutdown or Join); then each receive of the "
           "field whose value is unused (a stop signal, not data), in a goroutine of the package, in a loop or "
           "in a helper the goroutine calls, and not in a goroutine that does the replacing itself, is "
           "reported, directly or through a getter method of the field.",
    .bad = "package loader\n\nimport \"time\"\n\n"
           "type Loader struct {\n\tstop chan struct{}\n}\n\n"
           "func New() *Loader {\n\tl := &Loader{stop: make(chan struct{})}\n\tgo l.loop()\n\treturn l\n}\n\n"
           "// Restart stops the loop and starts a new one.\n"
           "func (l *Loader) Restart() {\n\tclose(l.stop)\n\tl.stop = make(chan struct{})\n\tgo l.loop()\n}\n\n"
           "func (l *Loader) loop() {\n\tfor {\n\t\tselect {\n\t\tcase <-l.stop:\n\t\t\treturn\n"
           "\t\tcase <-time.After(time.Second):\n\t\t}\n\t}\n}\n",
    .good = "package loader\n\nimport \"time\"\n\n"
            "type Loader struct {\n\tstop chan struct{}\n}\n\n"
            "func New() *Loader {\n\tl := &Loader{stop: make(chan struct{})}\n\tgo l.loop(l.stop)\n\treturn l\n}\n\n"
            "// Restart stops the loop and starts a new one, each with its own channel.\n"
            "func (l *Loader) Restart() {\n\tclose(l.stop)\n\tl.stop = make(chan struct{})\n\tgo l.loop(l.stop)\n}\n\n"
            "func (l *Loader) loop(stop chan struct{}) {\n\tfor {\n\t\tselect {\n\t\tcase <-stop:\n\t\t\treturn\n"
            "\t\tcase <-time.After(time.Second):\n\t\t}\n\t}\n}\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
