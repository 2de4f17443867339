/* rules/send_after_close: GD204. A send on a channel reachable after a
 * close of the same channel (in the same function, or in a goroutine
 * started after the close): a send on a closed channel panics. Also, at low
 * confidence, a function that receives from a channel and closes it while a
 * goroutine it started may still send on it.
 * How: per function, on its CFG: from each `close(p)` (not deferred, not in
 * go), a forward walk (chanlib) to sends on the same path (a select whose
 * send case is on p counts as reaching it; a goroutine literal started
 * there that sends on p too), stopped by anything that may re-make p. Every
 * path reaches a send: high; some path: low. Functions that call recover
 * are skipped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/summary.h"
#include "chanlib.h"

struct sac {
    struct rule_ctx *ctx;
    nid path;        /* the closed channel */
    nid close_call;  /* the close */
    VEC(nid) sends;  /* send nodes reached (for go statements: the send in the literal) */
    VEC(nid) gos;    /* the go statement of each send, or 0 */
};

/* The first send on path in [from, to), not entering func literals when
 * skip_lits; 0 when none. */
static nid send_in(struct sac *s, nid from, nid to, bool skip_lits)
{
    const struct gofile *f = s->ctx->f;
    for (nid k = from; k < to; k++) {
        if (skip_lits && ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        nid ch;
        if (chan_op_of(s->ctx->pkg, s->ctx->fi, k, &ch) == CH_SEND && rl_is_path(f, ch) &&
            rl_same_path(s->ctx->pkg, s->ctx->fi, ch, s->path))
            return k;
    }
    return 0;
}

/* For `go func() {...}()`: the func literal, or 0. */
static nid go_literal(const struct gofile *f, nid go)
{
    nid call = ast_unparen(f, ast_first_child(f, go));
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return 0;
    nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    return ast_kind(f, fn) == N_FUNC_LITERAL ? fn : 0;
}

static enum chan_walk_class classify(void *ud, nid ev)
{
    struct sac *s = ud;
    const struct gofile *f = s->ctx->f;
    enum node_kind k = ast_kind(f, ev);
    if (k == N_DEFER_STATEMENT) return CW_NONE; /* runs at exit; a deferred send is rare */
    nid snd = 0, go = 0;
    if (k == N_GO_STATEMENT) {
        nid lit = go_literal(f, ev);
        if (lit && (snd = send_in(s, lit, f->nodes[lit].end, false)) != 0) go = ev;
    } else {
        snd = send_in(s, ev, f->nodes[ev].end, true);
    }
    if (snd) {
        bool seen = false;
        for (size_t i = 0; i < s->sends.len && !seen; i++) seen = s->sends.items[i] == snd;
        if (!seen) {
            vec_push(&s->sends, snd);
            vec_push(&s->gos, go);
        }
        return CW_TARGET;
    }
    if (chan_path_may_change(s->ctx->pkg, s->ctx->fi, s->path, ev, f->nodes[ev].end, true)) return CW_KILL;
    return CW_NONE;
}

/* Is the send at the top level of its func literal's body (not under a
 * condition, loop or select)? */
static bool unconditional_in_literal(const struct gofile *f, nid snd, nid lit)
{
    nid body = ast_child(f, lit, F_BODY);
    nid list = ast_parent(f, snd);
    return ast_kind(f, list) == N_STATEMENT_LIST && ast_parent(f, list) == body;
}

/* Already reported sends, per function visit. */
struct reported {
    VEC(nid) at;
};

static bool mark(struct reported *r, nid n)
{
    for (size_t i = 0; i < r->at.len; i++)
        if (r->at.items[i] == n) return false;
    vec_push(&r->at, n);
    return true;
}

/* Completes finding fd: a related location at node `at` saying `related`
 * (an arena string), and fix (malloc'd; fd owns it from now on). */
static void explain(struct rule_ctx *ctx, struct finding *fd, nid at, const char *related, char *fix)
{
    if (!fd) {
        free(fix);
        return;
    }
    rule_related(ctx, fd, at, "%s", related);
    fd->fix = fix;
}

static void from_close(struct rule_ctx *ctx, const struct cfg *g, int b, int e, nid call, nid path,
                       struct reported *rep)
{
    const struct gofile *f = ctx->f;
    struct sac s = {ctx, path, call, {0}, {0}};
    struct chan_walk w = {g, classify, &s, true, false, false, false, false};
    chan_walk_run(&w, b, e);
    bool must = chan_walk_must(&w);
    struct str ps = ast_text(f, path);
    for (size_t i = 0; i < s.sends.len; i++) {
        nid snd = s.sends.items[i], go = s.gos.items[i];
        if (!mark(rep, snd)) continue;
        struct finding *fd;
        if (go) {
            enum confidence conf =
                must && unconditional_in_literal(f, snd, go_literal(f, go)) ? CONF_HIGH : CONF_LOW;
            fd = rule_report_conf(ctx, snd, conf,
                                  "this goroutine is started after close(%.*s) at line %u and sends on %.*s: a "
                                  "send on a closed channel panics",
                                  (int)ps.n, ps.p, f->nodes[call].line, (int)ps.n, ps.p);
            if (fd) rule_related(ctx, fd, go, "the goroutine is started here");
        } else {
            fd = rule_report_conf(ctx, snd, must ? CONF_HIGH : CONF_LOW,
                                  must ? "send on %.*s after close(%.*s) at line %u on every path: a send on a "
                                         "closed channel panics"
                                       : "send on %.*s can follow close(%.*s) at line %u on some path: a send on "
                                         "a closed channel panics",
                                  (int)ps.n, ps.p, (int)ps.n, ps.p, f->nodes[call].line);
        }
        explain(ctx, fd, call, arena_printf(&ctx->pkg->arena, "%.*s is closed here", (int)ps.n, ps.p),
                xasprintf("close %.*s only after the last send (the sender closes), or stop sending once it is "
                          "closed",
                          (int)ps.n, ps.p));
    }
    vec_free(&s.sends);
    vec_free(&s.gos);
}

/* --- the receiver that closes while a goroutine it started still sends --- */

struct rcv {
    struct rule_ctx *ctx;
    nid path;
    nid close_call; /* the close looked for */
    nid lit;        /* the sending goroutine's func literal */
};

/* Does the literal send on or close the channel at path ch (a receive of
 * it then waits for the goroutine)? */
static bool literal_signals(struct rcv *r, nid ch)
{
    const struct gofile *f = r->ctx->f;
    for (nid k = r->lit; k < f->nodes[r->lit].end; k++) {
        nid c;
        enum chan_op op = chan_op_of(r->ctx->pkg, r->ctx->fi, k, &c);
        if ((op == CH_SEND || op == CH_CLOSE) && rl_is_path(f, c) && rl_same_path(r->ctx->pkg, r->ctx->fi, c, ch))
            return true;
    }
    return false;
}

/* From a go statement: reaching the close is the target; waiting for a
 * WaitGroup, or a re-make of the channel, ends the path. */
static enum chan_walk_class classify_rcv(void *ud, nid ev)
{
    struct rcv *r = ud;
    const struct gofile *f = r->ctx->f;
    if (ast_contains(f, ev, r->close_call) && ast_kind(f, ev) != N_DEFER_STATEMENT) return CW_TARGET;
    for (nid k = ev; k < f->nodes[ev].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        nid ch;
        enum chan_op op = chan_op_of(r->ctx->pkg, r->ctx->fi, k, &ch);
        if ((op == CH_RECV || op == CH_RANGE) && rl_is_path(f, ch) && !rl_same_path(r->ctx->pkg, r->ctx->fi, ch, r->path) &&
            literal_signals(r, ch))
            return CW_KILL; /* waits for a signal of the sender: it may be done */
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        nid fn = ast_unparen(f, ast_child(f, k, F_FUNCTION));
        if (ast_kind(f, fn) == N_SELECTOR_EXPRESSION && ast_text_is(f, ast_child(f, fn, F_FIELD), "Wait"))
            return CW_KILL; /* wg.Wait, errgroup Wait, cond.Wait: the senders may be done */
    }
    if (chan_path_may_change(r->ctx->pkg, r->ctx->fi, r->path, ev, f->nodes[ev].end, true)) return CW_KILL;
    return CW_NONE;
}

/* Does the function (its own events) receive from or range over path? */
static bool receives_from(struct rule_ctx *ctx, const struct cfg *g, nid path)
{
    const struct gofile *f = ctx->f;
    for (int b = 0; b < g->nblocks; b++)
        for (int e = 0; e < g->blocks[b].nevents; e++) {
            nid ev = g->blocks[b].events[e];
            for (nid k = ev; k < f->nodes[ev].end; k++) {
                if (ast_kind(f, k) == N_FUNC_LITERAL) {
                    k = f->nodes[k].end - 1;
                    continue;
                }
                nid ch;
                enum chan_op op = chan_op_of(ctx->pkg, ctx->fi, k, &ch);
                if ((op == CH_RECV || op == CH_RANGE) && rl_is_path(f, ch) && rl_same_path(ctx->pkg, ctx->fi, ch, path))
                    return true;
            }
        }
    return false;
}

static void receiver_closes(struct rule_ctx *ctx, const struct cfg *g, nid call, nid path, struct reported *rep)
{
    const struct gofile *f = ctx->f;
    if (!receives_from(ctx, g, path)) return;
    struct sac s = {ctx, path, call, {0}, {0}};
    for (int b = 0; b < g->nblocks; b++) {
        if (!cfg_reachable(g, b)) continue;
        for (int e = 0; e < g->blocks[b].nevents; e++) {
            nid go = g->blocks[b].events[e];
            if (ast_kind(f, go) != N_GO_STATEMENT) continue;
            nid lit = go_literal(f, go);
            nid snd = lit ? send_in(&s, lit, f->nodes[lit].end, false) : 0;
            if (!snd) continue;
            struct rcv r = {ctx, path, call, lit};
            struct chan_walk w = {g, classify_rcv, &r, false, false, false, false, false};
            chan_walk_run(&w, b, e);
            if (!w.target || !mark(rep, call)) continue;
            struct str ps = ast_text(f, path);
            struct finding *fd = rule_report_conf(
                ctx, call, CONF_LOW,
                "close(%.*s) by its receiver while the goroutine started at line %u may still send on it: that "
                "send panics",
                (int)ps.n, ps.p, f->nodes[go].line);
            explain(ctx, fd, snd, arena_printf(&ctx->pkg->arena, "the goroutine sends on %.*s here", (int)ps.n, ps.p),
                    xasprintf("let the sending goroutine close %.*s when it is done (or wait for it before closing)",
                              (int)ps.n, ps.p));
            vec_free(&s.sends);
            vec_free(&s.gos);
            return;
        }
    }
    vec_free(&s.sends);
    vec_free(&s.gos);
}


/* --- Stop() closes a channel a goroutine method still sends on --- */

/* Does the call wait, lock, or call a function of the package that
 * receives, waits or locks? Then the closing method may have waited for
 * the sender. */
static bool call_syncs(struct rule_ctx *ctx, nid call)
{
    const struct gofile *f = ctx->f;
    nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fn) == N_SELECTOR_EXPRESSION) {
        nid fld = ast_child(f, fn, F_FIELD);
        if (ast_text_is(f, fld, "Wait") || ast_text_is(f, fld, "Lock") || ast_text_is(f, fld, "RLock")) return true;
    }
    int d = model_callee(ctx->pkg, ctx->fi, call);
    if (d < 0) return false;
    const struct func_summary *sm = model_func_summary(ctx->pkg, d);
    for (int i = 0; sm && i < sm->neffects; i++) {
        uint8_t k = sm->effects[i].kind;
        if (k == EFF_RECV || k == EFF_WG_WAIT || k == EFF_LOCK || k == EFF_RLOCK) return true;
    }
    return false;
}

struct syncw {
    struct rule_ctx *ctx;
    nid close_call;
};

static enum chan_walk_class classify_sync(void *ud, nid ev)
{
    struct syncw *w = ud;
    const struct gofile *f = w->ctx->f;
    if (ast_contains(f, ev, w->close_call)) return CW_TARGET;
    for (nid k = ev; k < f->nodes[ev].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) return CW_KILL; /* once.Do(func...), anything */
        nid ch;
        enum chan_op op = chan_op_of(w->ctx->pkg, w->ctx->fi, k, &ch);
        if (op == CH_RECV || op == CH_RANGE) return CW_KILL;
        if (ast_kind(f, k) == N_CALL_EXPRESSION && call_syncs(w->ctx, k)) return CW_KILL;
    }
    return CW_NONE;
}

/* The receiver's name node of method declaration fn, or 0. */
static nid receiver_name(const struct gofile *f, nid fn)
{
    nid pl = ast_child(f, fn, F_RECEIVER);
    nid pd = pl ? ast_first_child(f, pl) : 0;
    return pd ? ast_child(f, pd, F_NAME) : 0;
}

/* A go statement of the package that starts method decl w (directly or
 * from a go func literal); *gfi gets its file. 0 when none. */
static nid go_starting(struct pkg *p, int w, int *gfi)
{
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            if (ast_kind(f, k) != N_GO_STATEMENT) continue;
            for (nid c = k; c < f->nodes[k].end; c++)
                if (ast_kind(f, c) == N_CALL_EXPRESSION && model_callee(p, fi, c) == w) {
                    *gfi = fi;
                    return k;
                }
        }
    }
    return 0;
}

/* Does decl w's body call decl m? */
static bool calls_decl(struct pkg *p, int w, int m)
{
    const struct pkg_decl *d = &p->decls[w];
    const struct gofile *f = &p->files[d->file];
    for (nid k = d->node; k < f->nodes[d->node].end; k++)
        if (ast_kind(f, k) == N_CALL_EXPRESSION && model_callee(p, d->file, k) == m) return true;
    return false;
}

/* Is the send at site (in decl w's file) a select case with a receive
 * case on the receiver field `g` that method fn closes too? The shutdown
 * race: after close(quit) and close(events) both cases are ready and the
 * select may pick the send. */
static bool select_with_closed_quit(struct rule_ctx *ctx, nid fn, int wfi, nid site)
{
    const struct gofile *wf = &ctx->pkg->files[wfi];
    if (wf->nodes[site].field != F_COMMUNICATION) return false;
    nid sel = ast_parent(wf, ast_parent(wf, site));
    const struct gofile *f = ctx->f;
    AST_FOR_CHILDREN(wf, sel, cc)
    {
        if (ast_kind(wf, cc) != N_COMMUNICATION_CASE) continue;
        nid comm = ast_child(wf, cc, F_COMMUNICATION);
        for (nid k = comm; k < wf->nodes[comm].end; k++) {
            nid ch;
            if (chan_op_of(ctx->pkg, wfi, k, &ch) != CH_RECV || ast_kind(wf, ch) != N_SELECTOR_EXPRESSION) continue;
            struct str fld = ast_text(wf, ast_child(wf, ch, F_FIELD));
            /* a close of recv.fld in fn */
            nid rn = receiver_name(f, fn);
            for (nid c = fn; rn && c < f->nodes[fn].end; c++) {
                nid cp;
                if (chan_op_of(ctx->pkg, ctx->fi, c, &cp) != CH_CLOSE || ast_kind(f, cp) != N_SELECTOR_EXPRESSION)
                    continue;
                if (str_eqs(ast_text(f, ast_child(f, cp, F_FIELD)), fld) &&
                    str_eqs(ast_text(f, ast_child(f, cp, F_OPERAND)), ast_text(f, rn)))
                    return true;
            }
        }
    }
    return false;
}

static void stop_while_sending(struct rule_ctx *ctx, const struct cfg *g, nid call, nid path, struct reported *rep)
{
    const struct gofile *f = ctx->f;
    nid fn = g->fn;
    if (ast_kind(f, fn) != N_METHOD_DECLARATION || ast_kind(f, path) != N_SELECTOR_EXPRESSION) return;
    nid rn = receiver_name(f, fn), op = ast_unparen(f, ast_child(f, path, F_OPERAND));
    if (!rn || ast_kind(f, op) != N_IDENTIFIER || !str_eqs(ast_text(f, op), ast_text(f, rn))) return;
    int m = -1;
    for (int i = 0; i < ctx->pkg->ndecls && m < 0; i++)
        if (ctx->pkg->decls[i].node == fn && ctx->pkg->decls[i].file == ctx->fi) m = i;
    if (m < 0 || !ctx->pkg->decls[m].recv_type) return;
    struct str fld = ast_text(f, ast_child(f, path, F_FIELD));
    char key[128];
    snprintf(key, sizeof key, "R.%.*s", (int)fld.n, fld.p);
    for (int w = 0; w < ctx->pkg->ndecls; w++) {
        const struct pkg_decl *d = &ctx->pkg->decls[w];
        if (w == m || d->what != PD_METHOD || !d->recv_type || strcmp(d->recv_type, ctx->pkg->decls[m].recv_type))
            continue;
        const struct func_summary *sm = model_func_summary(ctx->pkg, w);
        const struct effect *send = NULL;
        for (int i = 0; sm && i < sm->neffects && !send; i++)
            if (sm->effects[i].kind == EFF_SEND && !(sm->effects[i].flags & EF_DEFERRED) &&
                !strcmp(sm->effects[i].key, key) && sm->effects[i].site)
                send = &sm->effects[i];
        if (!send) continue;
        int gfi = -1;
        nid go = go_starting(ctx->pkg, w, &gfi);
        if (!go || calls_decl(ctx->pkg, w, m)) continue;
        /* the closing method reaches the close without waiting on any path */
        struct syncw sw = {ctx, call};
        struct chan_walk cw = {g, classify_sync, &sw, false, false, false, false, false};
        chan_walk_run(&cw, g->entry, -1);
        if (!cw.target || !mark(rep, call)) return;
        enum confidence conf = select_with_closed_quit(ctx, fn, send->fi, send->site) ? CONF_HIGH : CONF_LOW;
        struct str ps = ast_text(f, path);
        const struct gofile *gf = &ctx->pkg->files[gfi];
        struct finding *fd = rule_report_conf(
            ctx, call, conf,
            "close(%.*s) while the goroutine running %s (started at %s:%u) may still send on it: that send "
            "panics",
            (int)ps.n, ps.p, d->name, strrchr(gf->path, '/') ? strrchr(gf->path, '/') + 1 : gf->path,
            gf->nodes[go].line);
        if (fd) {
            if (send->fi == ctx->fi) rule_related(ctx, fd, send->site, "%s sends on %.*s here", d->name, (int)ps.n, ps.p);
            if (gfi == ctx->fi) rule_related(ctx, fd, go, "the goroutine is started here");
            fd->fix = xasprintf("let %s close %.*s when it returns (the sender closes), or wait for it to "
                                "return before closing",
                                d->name, (int)ps.n, ps.p);
        }
        return;
    }
}

static void visit(struct rule_ctx *ctx, nid fn)
{
    const struct gofile *f = ctx->f;
    if (f->nodes[fn].flags & NF_HAS_ERROR) return;
    nid body = ast_child(f, fn, F_BODY);
    if (!body) return;
    /* cheap pre-check: a close in the function at all; nested func literals
     * are visited on their own (and skipping them keeps deeply nested
     * literals linear, not quadratic) */
    bool any = false;
    for (nid k = body + 1; k < f->nodes[body].end && !any; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        any = ast_kind(f, k) == N_CALL_EXPRESSION && ast_text_is(f, ast_child(f, k, F_FUNCTION), "close");
    }
    if (!any || chan_func_recovers(ctx->pkg, ctx->fi, body)) return;
    struct cfg *g = cfg_build(ctx->pkg, ctx->fi, fn);
    struct reported rep = {{0}};
    int nrpo;
    const int *rpo = cfg_rpo(g, &nrpo);
    for (int i = 0; i < nrpo; i++) {
        int b = rpo[i];
        for (int e = 0; e < g->blocks[b].nevents; e++) {
            nid ev = g->blocks[b].events[e];
            if (ast_kind(f, ev) != N_EXPRESSION_STATEMENT) continue; /* not deferred, not in go */
            nid call = ast_unparen(f, ast_first_child(f, ev)), path;
            if (chan_op_of(ctx->pkg, ctx->fi, call, &path) != CH_CLOSE || !rl_is_path(f, path)) continue;
            from_close(ctx, g, b, e, call, path, &rep);
            receiver_closes(ctx, g, call, path, &rep);
            stop_while_sending(ctx, g, call, path, &rep);
        }
    }
    vec_free(&rep.at);
    cfg_free(g);
}

const struct rule rule_send_after_close = {
    .id = "GD204",
    .name = "send-after-close",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "A send on a channel can run after the channel was closed: the send panics.",
    .why = "A send on a closed channel panics (\"send on closed channel\"), and so does a `select` that picks "
           "a send case on a closed channel. The channel must be closed by its sender once it has sent "
           "everything, never while a send can still happen. godark follows the control flow of each "
           "function from every `close(ch)`: a send on the same channel (same variable or field path, not "
           "re-made in between) reached on every path is reported; one reached on some path only, or in a "
           "goroutine started after the close under a condition, is reported at low confidence. A receiver "
           "that closes a channel while a goroutine it started may still send on it is reported at low "
           "confidence too. Deferred closes, closes in func literals (sync.Once), and functions that call "
           "recover are not judged.",
    .bad = "package p\n\nfunc forward(in <-chan int, out chan<- int) {\n\tfor v := range in {\n\t\tif v < 0 {\n"
           "\t\t\tclose(out)\n\t\t}\n\t\tout <- v\n\t}\n}\n",
    .good = "package p\n\nfunc forward(in <-chan int, out chan<- int) {\n\tdefer close(out)\n"
            "\tfor v := range in {\n\t\tif v < 0 {\n\t\t\treturn\n\t\t}\n\t\tout <- v\n\t}\n}\n",
    .fix_safety = NULL,
    .kinds = {N_FUNCTION_DECLARATION, N_METHOD_DECLARATION, N_FUNC_LITERAL},
    .visit = visit,
};
