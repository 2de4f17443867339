/* rules/send_after_close: GD204. A send on a channel reachable after a
 * close of the same channel (in the same function, or in a goroutine
 * started after the close): a send on a closed channel panics. Also, at low
 * confidence, a function that receives from a channel and closes it while a
 * goroutine it started may still send on it. And across methods: Stop or
 * Close closes a channel field that a goroutine of the package (or a caller
 * of an exported method) may still send on.
 * How: per function, on its CFG: from each `close(p)` (not deferred, not in
 * go), a forward walk (chanlib) to sends on the same path (a select whose
 * send case is on p counts as reaching it; a goroutine literal started
 * there that sends on p too), stopped by anything that may re-make p. Every
 * path reaches a send: high; some path: low. Functions that call recover
 * are skipped.
 * Across methods (the object model, model/objects.h): a `close(r.f)` in a
 * method of T reached from its entry without a receive, send, Wait or
 * func literal on the way, and the sends on class T.f elsewhere that run in
 * a goroutine (a go literal, a method started by go, a helper reached from
 * a go statement) or in an exported method. Silent when the sender's
 * goroutine closes T.f itself or calls the closer, when the closer calls
 * the sender, when the goroutine's starter calls the closer (its own order
 * decides), when the closer locks on every path and the sender locks too,
 * when either recovers, when the closer re-makes T.f. Confidence: the
 * send is a select case beside a receive of a channel the closer closes
 * (or ctx.Done() when it calls a cancel field): high, the select may pick
 * the send once both are closed; a goroutine loop that receives such a
 * stop signal and sends plainly: medium, it was told to stop and nobody
 * waited; other goroutine sends: low; plain exported senders: silent (a
 * Send after Close is the package's contract). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/objects.h"
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


/* --- close in one function while a goroutine of the package (or a caller
 *     of an exported method) may still send: the object model --- */

/* Does the call wait (or lock, when locks count), or call a function of
 * the package that receives, sends, waits (or locks)? Then the closing
 * method may have waited for the sender (a send on a stop channel is a
 * hand-off with it). */
static bool call_syncs(struct rule_ctx *ctx, nid call, bool locks)
{
    const struct gofile *f = ctx->f;
    nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fn) == N_SELECTOR_EXPRESSION) {
        nid fld = ast_child(f, fn, F_FIELD);
        if (ast_text_is(f, fld, "Wait")) return true;
        if (locks && (ast_text_is(f, fld, "Lock") || ast_text_is(f, fld, "RLock"))) return true;
    }
    int d = model_callee(ctx->pkg, ctx->fi, call);
    if (d < 0) return false;
    const struct func_summary *sm = model_func_summary(ctx->pkg, d);
    for (int i = 0; sm && i < sm->neffects; i++) {
        uint8_t k = sm->effects[i].kind;
        if (k == EFF_RECV || k == EFF_SEND || k == EFF_WG_WAIT) return true;
        if (locks && (k == EFF_LOCK || k == EFF_RLOCK)) return true;
    }
    return false;
}

/* Does [from, end) of file fi take a lock (Lock/RLock, or a call of a
 * package function that does)? */
static bool takes_lock(struct pkg *p, int fi, nid from, nid end)
{
    const struct gofile *f = &p->files[fi];
    for (nid k = from; k < end; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        nid fn = ast_unparen(f, ast_child(f, k, F_FUNCTION));
        if (ast_kind(f, fn) == N_SELECTOR_EXPRESSION &&
            (ast_text_is(f, ast_child(f, fn, F_FIELD), "Lock") || ast_text_is(f, ast_child(f, fn, F_FIELD), "RLock")))
            return true;
        int d = model_callee(p, fi, k);
        const struct func_summary *sm = d >= 0 ? model_func_summary(p, d) : NULL;
        for (int i = 0; sm && i < sm->neffects; i++)
            if (sm->effects[i].kind == EFF_LOCK || sm->effects[i].kind == EFF_RLOCK) return true;
    }
    return false;
}

struct syncw {
    struct rule_ctx *ctx;
    nid close_call;
    bool locks; /* a Lock counts as waiting */
};

/* From the closing function's entry: the close is the target; a receive,
 * a send (a hand-off), a Wait, a func literal (once.Do), a Lock when locks
 * count, or a call that does one of them ends the path. */
static enum chan_walk_class classify_sync(void *ud, nid ev)
{
    struct syncw *w = ud;
    const struct gofile *f = w->ctx->f;
    if (ast_contains(f, ev, w->close_call)) return CW_TARGET;
    for (nid k = ev; k < f->nodes[ev].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) return CW_KILL; /* once.Do(func...), anything */
        nid ch;
        enum chan_op op = chan_op_of(w->ctx->pkg, w->ctx->fi, k, &ch);
        if (op == CH_RECV || op == CH_RANGE || op == CH_SEND) return CW_KILL;
        if (ast_kind(f, k) == N_CALL_EXPRESSION && call_syncs(w->ctx, k, w->locks)) return CW_KILL;
    }
    return CW_NONE;
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

/* The go statement that starts func literal fn or a func literal around
 * it, or 0. */
static nid go_of_literal(const struct gofile *f, nid fn)
{
    for (nid l = fn; l && ast_kind(f, l) == N_FUNC_LITERAL; l = model_enclosing_func(f, ast_parent(f, l))) {
        nid call = ast_parent(f, l);
        if (ast_kind(f, call) == N_CALL_EXPRESSION && ast_kind(f, ast_parent(f, call)) == N_GO_STATEMENT)
            return ast_parent(f, call);
    }
    return 0;
}

/* Can the nodes [from, end) of file fi reach function decl `to` through
 * static calls of the package (func literals included)? Breadth first,
 * bounded: past the bound the answer is yes (then nothing is reported). */
static bool reaches(struct pkg *p, int fi, nid from, nid end, int to)
{
    enum { BUDGET = 2048 };
    bool *seen = xcalloc((size_t)p->ndecls + 1, 1);
    VEC(int) q = {0};
    bool found = false;
    size_t head = 0;
    for (;;) {
        const struct gofile *f = &p->files[fi];
        for (nid k = from; k < end && !found; k++) {
            if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
            int d = model_callee(p, fi, k);
            if (d < 0 || seen[d]) continue;
            seen[d] = true;
            found = d == to;
            vec_push(&q, d);
        }
        if (found || head >= q.len) break;
        if (head >= BUDGET) {
            found = true;
            break;
        }
        const struct pkg_decl *pd = &p->decls[q.items[head++]];
        fi = pd->file;
        from = pd->node;
        end = p->files[fi].nodes[from].end;
    }
    vec_free(&q);
    free(seen);
    return found;
}

/* The stop signals of a closing function: the channel classes it closes
 * before the close judged, and whether it calls a cancel func of a field. */
struct stops {
    const struct obj_model *m;
    VEC(int) classes;
    bool cancels;
    bool locked; /* the closer holds a lock (on every path) at the close */
};

static bool is_stop_class(const struct stops *st, int fi, nid sel)
{
    for (size_t i = 0; i < st->classes.len; i++) {
        const struct obj_class *c = &st->m->classes[st->classes.items[i]];
        for (int k = 0; k < c->nuses; k++)
            if (c->uses[k].fi == fi && c->uses[k].node == sel) return true;
    }
    return false;
}

/* Is `<-e` at unary node k (file f) a receive of a stop signal: a stop
 * class, or `X.Done()` when the closer cancels? */
static bool stop_recv(struct pkg *p, const struct stops *st, int fi, nid k)
{
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, k) != N_UNARY_EXPRESSION || f->nodes[k].op != OP_ARROW) return false;
    nid e = ast_unparen(f, ast_child(f, k, F_OPERAND));
    if (ast_kind(f, e) == N_SELECTOR_EXPRESSION) return is_stop_class(st, fi, e);
    if (!st->cancels || ast_kind(f, e) != N_CALL_EXPRESSION) return false;
    nid fn = ast_unparen(f, ast_child(f, e, F_FUNCTION));
    if (ast_kind(f, fn) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, fn, F_FIELD), "Done") ||
        ast_child_count(f, ast_child(f, e, F_ARGUMENTS)) != 0)
        return false;
    /* a context the package keeps (s.ctx, or one its constructor made),
     * not the caller's: a caller's ctx says nothing about Close */
    nid x = ast_unparen(f, ast_child(f, fn, F_OPERAND));
    if (ast_kind(f, x) == N_SELECTOR_EXPRESSION) return true;
    if (ast_kind(f, x) != N_IDENTIFIER) return false;
    nid decl = model_enclosing_decl(f, k);
    nid params = decl ? ast_child(f, decl, F_PARAMETERS) : 0;
    for (nid q = params; q && q < f->nodes[params].end; q++)
        if (ast_kind(f, q) == N_IDENTIFIER && str_eqs(ast_text(f, q), ast_text(f, x))) return false;
    return true;
}

/* Does a receive of a stop signal occur in [from, end) of file fi? */
static bool stop_recv_in(struct pkg *p, const struct stops *st, int fi, nid from, nid end)
{
    for (nid k = from; k < end; k++)
        if (stop_recv(p, st, fi, k)) return true;
    return false;
}

/* Is the send statement snd a case of a select that has a case receiving
 * a stop signal? Once both are closed, both cases are ready and the
 * select may pick the send. */
static bool select_with_stop(struct pkg *p, const struct stops *st, int fi, nid snd)
{
    const struct gofile *f = &p->files[fi];
    if (f->nodes[snd].field != F_COMMUNICATION) return false;
    nid sel = ast_parent(f, ast_parent(f, snd));
    AST_FOR_CHILDREN(f, sel, cc)
    {
        if (ast_kind(f, cc) != N_COMMUNICATION_CASE) continue;
        nid comm = ast_child(f, cc, F_COMMUNICATION);
        if (comm && stop_recv_in(p, st, fi, comm, f->nodes[comm].end)) return true;
    }
    return false;
}

/* A send of class c that may run while, or after, the closer closes. */
struct cand {
    const struct obj_use *u;
    enum confidence conf;
    int gofi;   /* the go statement that starts it, or go = 0 */
    nid go;
    const char *method; /* go method or exported method: its name */
};

/* A go statement of the package from which decl w is reached through
 * static calls (the first found, breadth first from all go statements,
 * bounded); *gofi gets its file and *seed the function it starts (a decl
 * index, or -1 for a func literal that calls on). 0 when none. */
static nid go_reaching(struct pkg *p, int w, int *gofi, int *seed)
{
    enum { BUDGET = 4096 };
    struct origin {
        int fi, seed;
        nid go;
    } *org = xcalloc((size_t)p->ndecls + 1, sizeof(*org));
    VEC(int) q = {0};
    nid found = 0;
    for (int fi = 0; fi < p->nfiles && !found; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes && !found; k++) {
            if (ast_kind(f, k) != N_GO_STATEMENT) continue;
            nid call = ast_unparen(f, ast_first_child(f, k));
            int direct = ast_kind(f, call) == N_CALL_EXPRESSION ? model_callee(p, fi, call) : -1;
            for (nid c = k; c < f->nodes[k].end && !found; c++) {
                if (ast_kind(f, c) != N_CALL_EXPRESSION) continue;
                int d = model_callee(p, fi, c);
                if (d < 0 || org[d].go) continue;
                org[d] = (struct origin){fi, direct == d ? d : -1, k};
                vec_push(&q, d);
                if (d == w) found = k;
            }
        }
    }
    for (size_t head = 0; !found && head < q.len && head < BUDGET; head++) {
        int s = q.items[head];
        const struct pkg_decl *pd = &p->decls[s];
        const struct gofile *f = &p->files[pd->file];
        for (nid k = pd->node; k < f->nodes[pd->node].end && !found; k++) {
            if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
            int d = model_callee(p, pd->file, k);
            if (d < 0 || org[d].go) continue;
            org[d] = org[s];
            vec_push(&q, d);
            if (d == w) found = org[d].go;
        }
    }
    if (found) {
        *gofi = org[w].fi;
        *seed = org[w].seed;
    }
    vec_free(&q);
    free(org);
    return found;
}

/* Does class c have a close in [from, end) of file fi? */
static bool closes_in(const struct obj_class *c, int fi, nid from, nid end)
{
    for (int k = 0; k < c->nuses; k++) {
        const struct obj_use *v = &c->uses[k];
        if (v->op == OO_CLOSE && v->fi == fi && v->node >= from && v->node < end) return true;
    }
    return false;
}

/* Judges send use u of class c against the close `call` of closing decl
 * m (file ctx->fi); false when it cannot race with the close. */
static bool judge_send(struct rule_ctx *ctx, const struct obj_class *c, const struct obj_use *u, int m,
                       const struct stops *st, struct cand *out)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = &p->files[u->fi];
    nid snd = ast_parent(f, u->node);
    if ((u->fi == ctx->fi && u->decl == p->decls[m].node) || u->decl == 0) return false; /* the function's own */
    int w = pkg_decl_index(p, u->fi, u->decl);
    if (w < 0) return false;
    /* the function that sends, [from, end) of u->fi, and the goroutine
     * that runs it: its root [rfrom, rend) of rfi (a go literal or the
     * method started by go; for a helper, the function the go statement
     * starts) */
    nid from = u->decl, end = f->nodes[u->decl].end, go = 0;
    int gofi = u->fi, seed = w;
    memset(out, 0, sizeof(*out));
    out->u = u;
    if (u->ctx & OCTX_GO_LITERAL) {
        go = go_of_literal(f, u->fn);
        if (!go) return false;
        from = go;
        end = f->nodes[go].end;
        seed = -1;
    } else if (u->ctx & OCTX_GO_METHOD) {
        go = go_starting(p, w, &gofi);
        if (!go) return false;
        out->method = p->decls[w].name;
    } else {
        go = go_reaching(p, w, &gofi, &seed);
        if (!go && !(u->ctx & OCTX_EXPORTED)) return false; /* a helper nobody runs in a goroutine */
        if (!go) out->method = p->decls[w].name;
        else if (seed >= 0) out->method = p->decls[seed].name;
    }
    int rfi = seed >= 0 ? p->decls[seed].file : gofi;
    nid rfrom = seed >= 0 ? p->decls[seed].node : go;
    nid rend = p->files[rfi].nodes[rfrom].end;
    /* the sender closes it too (the producer pattern, or a double close:
     * not this rule's) */
    if (closes_in(c, u->fi, from, end) || (go && closes_in(c, rfi, rfrom, rend))) return false;
    if (st->locked && (takes_lock(p, u->fi, from, end) || (go && takes_lock(p, rfi, rfrom, rend)))) return false;
    /* panics expected and recovered */
    if (chan_func_recovers(p, u->fi, snd)) return false;
    if (go && chan_func_recovers(p, rfi, rend - 1)) return false;
    /* the sender's goroutine calls the closer itself (after its sends), or
     * the closer calls the sender (one goroutine, in order) */
    if (reaches(p, u->fi, from, end, m) || (go && reaches(p, rfi, rfrom, rend, m))) return false;
    if (!go && reaches(p, ctx->fi, p->decls[m].node, ctx->f->nodes[p->decls[m].node].end, w)) return false;
    /* the function that starts the goroutine calls the closer too: its own
     * order decides (it may wait first), which a per-function walk judges */
    if (go) {
        const struct gofile *gf = &p->files[gofi];
        nid starter = model_enclosing_decl(gf, go);
        if (starter && (starter == p->decls[m].node ? gofi == ctx->fi
                                                    : reaches(p, gofi, starter, gf->nodes[starter].end, m)))
            return false;
    }
    out->go = go;
    out->gofi = gofi;
    if (u->select != CHSEL_NONE && select_with_stop(p, st, u->fi, snd)) out->conf = CONF_HIGH;
    /* medium: a loop (or a helper it calls) that the closer stops; a send
     * outside any loop of the goroutine's own function may be a start-up
     * hand-off that its constructor waits for */
    else if (go && (stop_recv_in(p, st, u->fi, from, end) || stop_recv_in(p, st, rfi, rfrom, rend)) &&
             (rl_enclosing_loop(f, snd) || (seed != w && u->fn == u->decl)))
        out->conf = CONF_MEDIUM;
    else if (go) out->conf = CONF_LOW;
    else return false; /* Submit after Stop: the package's contract, as often as not documented */
    return true;
}

static void stop_while_sending(struct rule_ctx *ctx, const struct cfg *g, nid call, nid path, struct reported *rep)
{
    const struct gofile *f = ctx->f;
    struct pkg *p = ctx->pkg;
    nid fn = g->fn;
    if (ast_kind(f, fn) != N_METHOD_DECLARATION || ast_kind(f, path) != N_SELECTOR_EXPRESSION) return;
    nid rn = rl_receiver_name(f, fn), op = ast_unparen(f, ast_child(f, path, F_OPERAND));
    if (!rn || ast_kind(f, op) != N_IDENTIFIER || !str_eqs(ast_text(f, op), ast_text(f, rn))) return;
    int m = pkg_decl_index(p, ctx->fi, fn);
    if (m < 0) return;
    const struct obj_model *om = objects_of(p);
    const struct obj_class *c = objects_class_at(om, ctx->fi, path);
    if (!c || c->kind != OBJ_CHAN) return;
    bool any_send = false;
    for (int k = 0; k < c->nuses && !any_send; k++) any_send = c->uses[k].op == OO_SEND;
    if (!any_send) return;
    /* the closer makes or sets the channel again: a restart, not judged */
    for (int k = 0; k < c->nuses; k++)
        if ((c->uses[k].op == OO_MAKE || c->uses[k].op == OO_SET) && c->uses[k].fi == ctx->fi && c->uses[k].decl == fn)
            return;
    /* the closing method reaches the close without waiting on some path */
    struct syncw sw = {ctx, call, false};
    struct chan_walk cw = {g, classify_sync, &sw, false, false, false, false, false};
    chan_walk_run(&cw, g->entry, -1);
    if (!cw.target) return;
    /* a lock on every path: only senders that take no lock race with it
     * (the mutex-and-closed-flag pattern is the others') */
    struct syncw lw = {ctx, call, true};
    struct chan_walk lcw = {g, classify_sync, &lw, false, false, false, false, false};
    chan_walk_run(&lcw, g->entry, -1);
    struct stops st = {om, {0}, false, !lcw.target};
    for (int i = 0; i < om->n; i++) {
        const struct obj_class *q = &om->classes[i];
        if (q == c) continue;
        for (int k = 0; k < q->nuses; k++) {
            const struct obj_use *v = &q->uses[k];
            if (v->fi != ctx->fi || v->decl != fn) continue; /* before the close or after it: either is a race */
            if (q->kind == OBJ_CHAN && v->op == OO_CLOSE) {
                vec_push(&st.classes, i);
                break;
            }
            if (q->kind == OBJ_CANCEL && v->op == OO_CANCEL) st.cancels = true;
        }
    }
    struct cand best = {0}, cd;
    best.conf = CONF_LOW + 1;
    for (int k = 0; k < c->nuses; k++)
        if (c->uses[k].op == OO_SEND && judge_send(ctx, c, &c->uses[k], m, &st, &cd) && cd.conf < best.conf) best = cd;
    vec_free(&st.classes);
    if (!best.u || !mark(rep, call)) return;
    struct str ps = ast_text(f, path);
    const struct obj_use *u = best.u;
    const struct gofile *uf = &p->files[u->fi];
    const char *who;
    if (best.go && best.method)
        who = arena_printf(&p->arena, "the goroutine running %s (started at %s:%u)", best.method,
                           rl_base_name(p->files[best.gofi].path), p->files[best.gofi].nodes[best.go].line);
    else if (best.go)
        who = arena_printf(&p->arena, "the goroutine started at %s:%u", rl_base_name(p->files[best.gofi].path),
                           p->files[best.gofi].nodes[best.go].line);
    else
        who = arena_printf(&p->arena, "a caller of the exported method %s", best.method);
    const char *how = best.conf == CONF_HIGH ? ": once both are closed its select may pick the send, which panics"
                      : best.conf == CONF_MEDIUM
                          ? " after it was told to stop, and nothing waits for it: that send panics"
                          : ": that send panics";
    struct finding *fd = rule_report_conf(ctx, call, best.conf, "close(%.*s) while %s may still send on it%s",
                                          (int)ps.n, ps.p, who, how);
    if (!fd) return;
    rule_related_in(ctx, fd, u->fi, ast_parent(uf, u->node), "%.*s is sent on here", (int)ps.n, ps.p);
    if (best.go) rule_related_in(ctx, fd, best.gofi, best.go, "the goroutine is started here");
    fd->fix = best.go ? xasprintf("let the sending goroutine close %.*s when it returns (the sender closes), or "
                                  "wait for it to return before closing",
                                  (int)ps.n, ps.p)
                      : xasprintf("guard the sends and the close with one mutex and a closed flag, or never close "
                                  "%.*s and stop the receiver with a separate done channel",
                                  (int)ps.n, ps.p);
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
           "confidence too. Across methods, a `Stop` or `Close` that closes a channel field of its receiver "
           "without first waiting (a receive, a `Wait`) is compared with the package's sends on that field "
           "(the object model): a goroutine whose `select` sends on it beside a case on a quit channel (or "
           "`ctx.Done()`) that the same method closes (or cancels) is reported: a goroutine not parked in "
           "that select when both close finds both cases ready and picks one at random, so the race is real "
           "even though quit is closed first. An exported method with that select is reported the same way. "
           "A goroutine loop that watches the quit channel but sends plainly is reported at medium "
           "confidence (told to stop, never waited for); other goroutine sends at low. Silent: the sender "
           "closes the channel itself (`defer close(ch)` in the producer, or through its helpers), the "
           "closer waits for it (`wg.Wait()`, `<-done`) or hands the stop over with a send, the sends and the "
           "close hold one mutex (the closed-flag pattern), the close runs in a func literal (`sync.Once`), "
           "the sender recovers, and a plain exported `Send` that may be called after `Close` (that is the "
           "package's contract). Deferred closes, closes in func literals, and functions that call recover "
           "are not judged.",
    .bad = "package p\n"
           "\n"
           "func forward(in <-chan int, out chan<- int) {\n"
           "\tfor v := range in {\n"
           "\t\tif v < 0 {\n"
           "\t\t\tclose(out)\n"
           "\t\t}\n"
           "\t\tout <- v\n"
           "\t}\n"
           "}\n"
           "\n"
           "type Watcher struct {\n"
           "\tquit   chan struct{}\n"
           "\tevents chan int\n"
           "}\n"
           "\n"
           "func NewWatcher(next func() int) *Watcher {\n"
           "\tw := &Watcher{quit: make(chan struct{}), events: make(chan int)}\n"
           "\tgo w.run(next)\n"
           "\treturn w\n"
           "}\n"
           "\n"
           "func (w *Watcher) run(next func() int) {\n"
           "\tfor {\n"
           "\t\tselect {\n"
           "\t\tcase w.events <- next():\n"
           "\t\tcase <-w.quit:\n"
           "\t\t\treturn\n"
           "\t\t}\n"
           "\t}\n"
           "}\n"
           "\n"
           "func (w *Watcher) Events() <-chan int { return w.events }\n"
           "\n"
           "func (w *Watcher) Stop() {\n"
           "\tclose(w.quit)\n"
           "\tclose(w.events)\n"
           "}\n",
    .good = "package p\n"
            "\n"
            "func forward(in <-chan int, out chan<- int) {\n"
            "\tdefer close(out)\n"
            "\tfor v := range in {\n"
            "\t\tif v < 0 {\n"
            "\t\t\treturn\n"
            "\t\t}\n"
            "\t\tout <- v\n"
            "\t}\n"
            "}\n"
            "\n"
            "type Watcher struct {\n"
            "\tquit   chan struct{}\n"
            "\tevents chan int\n"
            "}\n"
            "\n"
            "func NewWatcher(next func() int) *Watcher {\n"
            "\tw := &Watcher{quit: make(chan struct{}), events: make(chan int)}\n"
            "\tgo w.run(next)\n"
            "\treturn w\n"
            "}\n"
            "\n"
            "func (w *Watcher) run(next func() int) {\n"
            "\tdefer close(w.events)\n"
            "\tfor {\n"
            "\t\tselect {\n"
            "\t\tcase w.events <- next():\n"
            "\t\tcase <-w.quit:\n"
            "\t\t\treturn\n"
            "\t\t}\n"
            "\t}\n"
            "}\n"
            "\n"
            "func (w *Watcher) Events() <-chan int { return w.events }\n"
            "\n"
            "func (w *Watcher) Stop() { close(w.quit) }\n",
    .fix_safety = NULL,
    .kinds = {N_FUNCTION_DECLARATION, N_METHOD_DECLARATION, N_FUNC_LITERAL},
    .visit = visit,
};
