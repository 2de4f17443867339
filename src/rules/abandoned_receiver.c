/* rules/abandoned_receiver: GD104. A goroutine receives from (or ranges
 * over) a channel its spawner made, and the spawner can return without
 * sending on it or closing it: nobody else holds the channel, so the
 * receive blocks forever and the goroutine leaks.
 * From each `make(chan T[, n])` of a local (model/chan.h): the goroutines
 * started by the creator that receive on it (unconditionally, not in a
 * select), and the creator's paths from the go statement to a return that
 * pass no send (for a range: no close). Silent when the channel escapes,
 * another goroutine sends or closes, a defer closes it, or the creator is
 * main or init (the process ends with it). */
#include <stdlib.h>
#include <string.h>

#include "chanlib.h"

#define MAX_EXITS 8

struct stop_ud {
    struct chan_leak_stop base; /* loop_kinds: sends and closes, or only closes for a range */
    bool close_only;            /* a range: only a close ends it */
};

/* Events of the creator that send on the channel, close it, hand it to a
 * function, or make it again. */
static bool stop_at(void *ud, nid ev)
{
    struct stop_ud *s = ud;
    const struct chan_info *c = s->base.c;
    const struct gofile *f = s->base.f;
    if (chan_leak_stop(&s->base, ev)) return true;
    for (int i = 0; i < c->nops; i++) {
        const struct chop *o = &c->ops[i];
        if (o->go || o->deferred) continue;
        if (o->kind == CHOP_RECV || o->kind == CHOP_RANGE) continue;
        if (o->kind == CHOP_SEND && s->close_only) continue;
        if (ast_contains(f, ev, o->site)) return true;
        /* the header of a loop around a send: the graph cannot tell how
         * many times it runs */
        if (o->kind == CHOP_SEND && chan_in_loop_header(f, o->site, ev)) return true;
    }
    return false;
}

static bool main_lived(const struct pkg *p, int fi, nid fn)
{
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, fn) != N_FUNCTION_DECLARATION) return false;
    nid nm = ast_child(f, fn, F_NAME);
    if (ast_text_is(f, nm, "init")) return true;
    return ast_text_is(f, nm, "main") && p->name && !strcmp(p->name, "main");
}

static void analyse(struct rule_ctx *ctx, const struct chan_info *c)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    if (main_lived(p, ctx->fi, c->creator)) return;
    nid go = 0;
    const struct chop *recv = NULL;
    for (int i = 0; i < c->nops; i++) {
        const struct chop *o = &c->ops[i];
        if (o->go == 0) {
            /* the creator receives too, or a defer sends or closes */
            if (o->kind == CHOP_RECV || o->kind == CHOP_RANGE) return;
            if (o->deferred) return;
            continue;
        }
        if (o->kind == CHOP_SEND || o->kind == CHOP_CLOSE || o->kind == CHOP_CALL) {
            /* another goroutine may send or close (or the receiver does) */
            return;
        }
        if (go && o->go != go) return; /* two receiving goroutines: which one gets a send is not known */
        go = o->go;
        if (o->select == CHSEL_OTHERS || o->select == CHSEL_DEFAULT) return;
        if (!recv) recv = o;
    }
    if (!recv) return;
    /* values sent (or a close) before the go statement may be waiting in
     * the buffer for it */
    for (int i = 0; i < c->nops; i++) {
        const struct chop *o = &c->ops[i];
        if (o->go || o->kind == CHOP_RECV || o->kind == CHOP_RANGE) continue;
        if (o->site < go) return;
        for (nid l = chan_enclosing_loop(f, go); l; l = chan_enclosing_loop(f, l))
            if (ast_contains(f, l, o->site)) return;
    }
    bool ranges = false;
    for (int i = 0; i < c->nops; i++)
        if (c->ops[i].go == go && c->ops[i].kind == CHOP_RANGE) ranges = true;
    /* the goroutine must get to its first receive whatever happens (a
     * conditional receive may match a conditional send) */
    if (!chan_op_dominates(p, recv)) return;
    struct cfg *g = cfg_build(p, ctx->fi, c->creator);
    int gb, ge;
    if (cfg_event_pos(g, go, &gb, &ge) && cfg_reachable(g, gb)) {
        unsigned loop_kinds = ranges ? 1u << CHOP_CLOSE : (1u << CHOP_SEND) | (1u << CHOP_CLOSE);
        struct stop_ud ud = {{c, f, p, ctx->fi, loop_kinds, false, false, 0}, ranges};
        nid exits[MAX_EXITS];
        int ne = chan_exits_avoiding(g, gb, ge, stop_at, &ud, exits, NULL, MAX_EXITS);
        if (ne) {
            enum confidence conf = CONF_HIGH;
            ud.base.test_fail = true;
            nid ex2[MAX_EXITS];
            if (!chan_exits_avoiding(g, gb, ge, stop_at, &ud, ex2, NULL, MAX_EXITS)) conf = CONF_LOW;
            ud.base.test_fail = false;
            ud.base.loops_too = true;
            ud.base.go = go;
            if (!chan_exits_avoiding(g, gb, ge, stop_at, &ud, ex2, NULL, MAX_EXITS)) conf = CONF_LOW;
            ud.base.loops_too = false;
            /* no close anywhere: a range that never ends may be meant to
             * live as long as the process */
            nid exit = exits[0];
            struct str ch = ast_text(f, c->name);
            const char *when = chan_leak_when(p, c, exit);
            struct rule_ctx sctx = *ctx;
            sctx.fi = recv->fi;
            sctx.f = &p->files[recv->fi];
            nid at = recv->node;
            struct finding *fd;
            if (ranges) {
                for (int i = 0; i < c->nops; i++)
                    if (c->ops[i].go == go && c->ops[i].kind == CHOP_RANGE) {
                        recv = &c->ops[i];
                        break;
                    }
                sctx.fi = recv->fi;
                sctx.f = &p->files[recv->fi];
                at = recv->node;
                fd = rule_report_conf(&sctx, at, conf,
                                      "this range over %.*s never ends when %s without closing %.*s: the goroutine "
                                      "started at line %u leaks",
                                      (int)ch.n, ch.p, when, (int)ch.n, ch.p, f->nodes[go].line);
            } else {
                fd = rule_report_conf(&sctx, at, conf,
                                      "this receive blocks forever when %s without sending on or closing %.*s: the "
                                      "goroutine started at line %u leaks",
                                      when, (int)ch.n, ch.p, f->nodes[go].line);
            }
            chan_leak_relate(ctx, fd, c, go, exit, ranges ? "closing" : "sending on or closing");
            fd->fix = xasprintf("close %.*s on every path (`defer close(%.*s)` right after the make), or receive in a "
                                "select with a case on a done channel or ctx.Done()",
                                (int)ch.n, ch.p, (int)ch.n, ch.p);
        }
    }
    cfg_free(g);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    if (!chan_is_make(ctx->pkg, ctx->fi, n)) return;
    struct chan_info c;
    if (!chan_track(ctx->pkg, ctx->fi, n, &c)) return;
    if (!c.escapes) analyse(ctx, &c);
    chan_info_free(&c);
}

const struct rule rule_abandoned_receiver = {
    .id = "GD104",
    .name = "abandoned-receiver",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A goroutine receives from or ranges over a channel that its spawner can stop feeding without closing "
               "it: the receive blocks forever and the goroutine leaks.",
    .why = "A worker started with `go func() { for v := range jobs {...} }()` ends only when `jobs` is closed; one "
           "that waits for a single value with `<-ready` ends only when someone sends it. When the function that "
           "made the channel returns on an error path before sending or closing, nobody else holds the channel "
           "any more: the goroutine waits forever, and keeps everything it references alive. Close the channel "
           "on every path (`defer close(jobs)` right after the make is the simplest), or let the receiver also "
           "select on a done channel or `ctx.Done()`. "
           "godark tracks channels made by `make` in a local variable that does not escape (not stored, "
           "returned, or handed to code of another package), finds the goroutine the function starts that "
           "receives from it on every path of its own, and follows the function's control flow from the go "
           "statement to each return: a return reached with no send and no close on the way (for a range: no "
           "close) is reported. It stays silent when the receive is in a select, another goroutine sends or "
           "closes, a deferred call closes the channel, or the function is main or init.",
    .bad = "package p\n\nfunc process(items []string, handle func(string), check func(string) error) error {\n"
           "\tjobs := make(chan string)\n\tgo func() {\n\t\tfor it := range jobs {\n\t\t\thandle(it)\n\t\t}\n\t}()\n"
           "\tfor _, it := range items {\n\t\tif err := check(it); err != nil {\n\t\t\treturn err\n\t\t}\n"
           "\t\tjobs <- it\n\t}\n\tclose(jobs)\n\treturn nil\n}\n",
    .good = "package p\n\nfunc process(items []string, handle func(string), check func(string) error) error {\n"
            "\tjobs := make(chan string)\n\tdefer close(jobs)\n\tgo func() {\n\t\tfor it := range jobs {\n"
            "\t\t\thandle(it)\n\t\t}\n\t}()\n\tfor _, it := range items {\n\t\tif err := check(it); err != nil {\n"
            "\t\t\treturn err\n\t\t}\n\t\tjobs <- it\n\t}\n\treturn nil\n}\n",
    .fix_safety = "`defer close(ch)` after the make ends the receiver on every path; make sure no other code sends "
                  "on the channel after the function returns (a send on a closed channel panics).",
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
