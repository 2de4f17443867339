/* rules/abandoned_sender: GD103. A goroutine sends on a channel its
 * spawner made, and the spawner can return before receiving all it sends:
 * the send blocks forever and the goroutine leaks.
 * From each `make(chan T[, n])` of a local (model/chan.h): the goroutines
 * started by the creator that send on it, how many sends they make, and
 * the creator's paths from the go statement to a return that pass no
 * receive (or leave a receive loop early) while the buffer cannot hold the
 * rest. Silent when the channel escapes, the buffer is not a constant,
 * sends are in a select, another goroutine receives, a defer drains, or
 * the creator is main.main. A one-shot goroutine (each send followed by
 * return or its last act, also in an if/else or switch clause) whose other
 * channel the creator received from sent its value. A goroutine started
 * once per loop iteration, sending one value into a buffer made before the
 * loop, is silent when every way round the loop receives (one_per_iteration).
 * A channel made in a loop is a new one per iteration: the loop's header
 * does not promise more receives on it (recv_loop_header). A call of a
 * constructor whose goroutine feeds the channel it returns
 * (chan_track_ctor) is analysed like a make whose goroutine starts at the
 * call; a dropped result is reported at once (report_dropped). */
#include <stdlib.h>
#include <string.h>

#include "chanlib.h"
#include "fixlib.h"

#define MAX_EXITS 8

#define MAX_SIBLINGS 4

struct stop_ud {
    struct chan_leak_stop base; /* loop_kinds: receives and ranges */
    nid loop; /* also stop at this loop's header events (its next iteration or natural end) */
    /* the other channels (declaring identifiers) a one-shot goroutine
     * sends on: a receive from one of them took its only value */
    nid siblings[MAX_SIBLINGS];
    int nsiblings;
};

/* Does event ev (of file f) receive from one of s's sibling channels? */
static bool receives_sibling(const struct stop_ud *s, nid ev)
{
    const struct gofile *f = s->base.f;
    for (nid k = ev; k < f->nodes[ev].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (ast_kind(f, k) != N_UNARY_EXPRESSION || f->nodes[k].op != OP_ARROW) continue;
        nid x = ast_unparen(f, ast_first_child(f, k));
        nid dn, nm;
        if (ast_kind(f, x) != N_IDENTIFIER || !model_resolve_local(s->base.p, s->base.fi, x, &dn, &nm)) continue;
        for (int i = 0; i < s->nsiblings; i++)
            if (s->siblings[i] == nm) return true;
    }
    return false;
}

/* Is statement k the goroutine's last act: nothing follows it in its
 * statement list, nor in any if branch or switch clause that holds it, up
 * to body (a loop or select on the way can run it again or hold it)? */
static bool ends_body(const struct gofile *f, nid k, nid body)
{
    nid n = k;
    while (n != body) {
        nid up = ast_parent(f, n);
        if (!up) return false;
        switch (ast_kind(f, up)) {
        case N_BLOCK:
        case N_STATEMENT_LIST:
        case N_EXPRESSION_CASE:
        case N_TYPE_CASE:
        case N_DEFAULT_CASE:
            if (ast_next(f, n) && rl_is_stmt_kind(ast_kind(f, ast_next(f, n))))
                return false;
            if (ast_kind(f, up) == N_DEFAULT_CASE && ast_kind(f, ast_parent(f, up)) != N_EXPRESSION_SWITCH_STATEMENT &&
                ast_kind(f, ast_parent(f, up)) != N_TYPE_SWITCH_STATEMENT)
                return false; /* a select's default */
            break;
        case N_IF_STATEMENT:
            if (f->nodes[n].field != F_CONSEQUENCE && f->nodes[n].field != F_ALTERNATIVE) return false;
            break;
        case N_EXPRESSION_SWITCH_STATEMENT:
        case N_TYPE_SWITCH_STATEMENT:
            if (ast_kind(f, n) != N_EXPRESSION_CASE && ast_kind(f, n) != N_TYPE_CASE && ast_kind(f, n) != N_DEFAULT_CASE)
                return false;
            break;
        default:
            return false;
        }
        n = up;
    }
    return true;
}

/* Is every send of func literal lit (outside nested literals) followed by
 * a return, or the goroutine's last act (ends_body): the goroutine sends
 * at most one value in all? Its channels' declaring identifiers (other than c's)
 * go to s->siblings. False when a send is anywhere else. */
static bool one_shot_siblings(struct pkg *p, int fi, nid lit, const struct chan_info *c, struct stop_ud *s)
{
    const struct gofile *f = &p->files[fi];
    nid body = ast_child(f, lit, F_BODY);
    s->nsiblings = 0;
    if (!body) return false;
    for (nid k = body; k < f->nodes[body].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (ast_kind(f, k) != N_SEND_STATEMENT) continue;
        nid next = ast_next(f, k);
        if (!ends_body(f, k, body) && ast_kind(f, next) != N_RETURN_STATEMENT) return false;
        nid x = ast_unparen(f, ast_child(f, k, F_CHANNEL));
        nid dn, nm;
        if (ast_kind(f, x) != N_IDENTIFIER || !model_resolve_local(p, fi, x, &dn, &nm)) return false;
        if (nm == c->name) continue;
        bool seen = false;
        for (int i = 0; i < s->nsiblings; i++) seen |= s->siblings[i] == nm;
        if (seen) continue;
        if (s->nsiblings == MAX_SIBLINGS) return false;
        s->siblings[s->nsiblings++] = nm;
    }
    return true;
}

/* Is ev in the header of a loop around receive site `site` that the make
 * of c is outside of? A loop that makes the channel anew in each iteration
 * receives from a new channel the next time round, so its header says
 * nothing about the values still to come on this one (health-go's
 * per-check `resCh`). */
static bool recv_loop_header(const struct gofile *f, const struct chan_info *c, nid site, nid ev)
{
    for (nid l = chan_enclosing_loop(f, site); l; l = chan_enclosing_loop(f, l))
        if (!ast_contains(f, l, c->make) && ast_contains(f, l, ev) && !ast_contains(f, ast_child(f, l, F_BODY), ev))
            return true;
    return false;
}

/* Events of the creator that receive from the channel, hand it to a
 * function, close it, or make it again. */
static bool stop_at(void *ud, nid ev)
{
    struct stop_ud *s = ud;
    const struct chan_info *c = s->base.c;
    const struct gofile *f = s->base.f;
    if (chan_leak_stop(&s->base, ev)) return true;
    if (s->nsiblings && receives_sibling(s, ev)) return true;
    if (s->loop && ast_contains(f, s->loop, ev) && !ast_contains(f, ast_child(f, s->loop, F_BODY), ev)) return true;
    for (int i = 0; i < c->nops; i++) {
        const struct chop *o = &c->ops[i];
        if (o->go || o->deferred || o->kind == CHOP_SEND) continue;
        if (ast_contains(f, ev, o->site)) return true;
        /* the header of a loop around a receive: the loop may run as many
         * times as there are sends (`for ; n > 0; n-- { <-done }`), which
         * the graph cannot tell */
        if (o->kind == CHOP_RECV && !s->loop && recv_loop_header(f, c, o->site, ev)) return true;
    }
    return false;
}

/* Do all abandoning paths from (b, ev) fail the test on the way? */
static bool only_failing(const struct cfg *g, int b, int ev, struct stop_ud *ud)
{
    nid ex[MAX_EXITS];
    ud->base.test_fail = true;
    int n = chan_exits_avoiding(g, b, ev, stop_at, ud, ex, NULL, MAX_EXITS);
    ud->base.test_fail = false;
    return n == 0;
}

/* Do all abandoning paths from (b, ev) go through a loop where the creator
 * receives on some other branch? Then the path may be infeasible (a flag
 * set on the first iteration). */
static bool only_via_loops(const struct cfg *g, int b, int ev, struct stop_ud *ud, nid go)
{
    nid ex[MAX_EXITS];
    ud->base.loops_too = true;
    ud->base.go = go;
    int n = chan_exits_avoiding(g, b, ev, stop_at, ud, ex, NULL, MAX_EXITS);
    ud->base.loops_too = false;
    return n == 0;
}

/* Does some goroutine send in a loop whose trip count is unknown? */
static bool own_loop_sends(const struct chan_info *c, const struct gofile *cf)
{
    (void)cf;
    for (int i = 0; i < c->nops; i++) {
        const struct chop *o = &c->ops[i];
        if (o->go && o->kind == CHOP_SEND && o->in_loop) return true;
    }
    return false;
}

struct site_ud {
    const struct gofile *f;
    nid site;
};

static bool at_site(void *ud, nid ev)
{
    const struct site_ud *s = ud;
    return ast_contains(s->f, ev, s->site);
}

/* Does the creator's event holding `site` run on every path from the entry
 * to go statement `go` (block gb, event ge), before it? */
static bool runs_before(const struct cfg *g, const struct gofile *f, nid site, int gb, int ge)
{
    int sb, se;
    if (!cfg_event_pos(g, site, &sb, &se)) return false;
    if (sb == gb) return se < ge;
    if (gb == g->entry) return false;
    uint8_t *out = xcalloc((size_t)g->nblocks + 1, 1);
    struct site_ud ud = {f, site};
    cfg_reach_avoiding(g, g->entry, -1, at_site, &ud, out);
    bool before = !(out[gb] & CFG_REACH_ENTERED);
    free(out);
    return before;
}

/* Does the default case of the select around receive n terminate (return,
 * t.Fatal, panic)? Then code after the select runs only when the receive
 * took a value. */
static bool default_terminates(const struct pkg *p, int fi, const struct gofile *f, nid n)
{
    nid sel = n;
    while (sel && ast_kind(f, sel) != N_SELECT_STATEMENT) sel = ast_parent(f, sel);
    if (!sel) return false;
    AST_FOR_CHILDREN(f, sel, c)
    {
        if (ast_kind(f, c) == N_DEFAULT_CASE) return rl_terminates(p, fi, c);
    }
    return false;
}

/* How many values the creator has certainly received before it starts
 * goroutine `go`: its plain receives (not in a loop, a defer or a callee)
 * on every path to the go statement. */
static long received_before(const struct pkg *p, const struct cfg *g, const struct chan_info *c, const struct gofile *f,
                            int gb, int ge)
{
    long n = 0;
    for (int i = 0; i < c->nops; i++) {
        const struct chop *o = &c->ops[i];
        if (o->go || o->deferred || o->via_call || o->in_loop || o->kind != CHOP_RECV) continue;
        if (o->select == CHSEL_DEFAULT && !default_terminates(p, c->fi, f, o->node)) continue;
        if (runs_before(g, f, o->site, gb, ge)) n++;
    }
    return n;
}

/* Does a variable named like identifier id get incremented (`n++`) in the
 * communication case around some receive of the creator from c? */
static bool counted_by_recv(const struct chan_info *c, const struct gofile *f, nid id)
{
    struct str name = ast_text(f, id);
    for (int i = 0; i < c->nops; i++) {
        const struct chop *o = &c->ops[i];
        if (o->go || o->deferred || o->via_call || o->kind != CHOP_RECV) continue;
        nid cc = o->node;
        while (cc && ast_kind(f, cc) != N_COMMUNICATION_CASE && cc != c->creator) cc = ast_parent(f, cc);
        if (!cc || ast_kind(f, cc) != N_COMMUNICATION_CASE) continue;
        for (nid k = cc; k < f->nodes[cc].end; k++) {
            if (ast_kind(f, k) != N_INC_STATEMENT) continue;
            nid x = ast_unparen(f, ast_first_child(f, k));
            if (ast_kind(f, x) == N_IDENTIFIER && str_eqs(ast_text(f, x), name)) return true;
        }
    }
    return false;
}

/* Does statement list `list` hold a statement `name++` (inc) or `name--`? */
static bool list_steps(const struct gofile *f, nid list, struct str name, bool inc)
{
    AST_FOR_CHILDREN(f, list, st)
    {
        if (ast_kind(f, st) != (inc ? N_INC_STATEMENT : N_DEC_STATEMENT)) continue;
        nid x = ast_unparen(f, ast_first_child(f, st));
        if (ast_kind(f, x) == N_IDENTIFIER && str_eqs(ast_text(f, x), name)) return true;
    }
    return false;
}

/* Is id a counter of the goroutines still to send on c: `n++` beside
 * every go statement whose goroutine sends on c, `n--` beside every
 * receive of the creator from c (seaweedfs's `running`)? A return under
 * `if n == 0` then leaves no sender behind. */
static bool outstanding_counter(const struct chan_info *c, const struct gofile *f, nid id)
{
    struct str name = ast_text(f, id);
    int gos = 0, recvs = 0;
    for (int i = 0; i < c->nops; i++) {
        const struct chop *o = &c->ops[i];
        if (o->deferred || o->via_call) return false;
        nid at = o->go ? o->go : o->node;
        if (!o->go && o->kind != CHOP_RECV) continue;
        if (o->go && o->kind != CHOP_SEND) continue;
        nid up = at;
        while (up && up != c->creator && ast_kind(f, ast_parent(f, up)) != N_STATEMENT_LIST) up = ast_parent(f, up);
        if (!up || up == c->creator || !list_steps(f, ast_parent(f, up), name, o->go != 0)) return false;
        if (o->go) gos++;
        else recvs++;
    }
    return gos > 0 && recvs > 0;
}

/* Does the creator keep an outstanding counter of c's senders? */
static bool has_outstanding_counter(const struct chan_info *c, const struct gofile *f)
{
    for (nid k = c->creator; k < f->nodes[c->creator].end; k++) {
        if (ast_kind(f, k) != N_INC_STATEMENT) continue;
        nid x = ast_unparen(f, ast_first_child(f, k));
        if (ast_kind(f, x) == N_IDENTIFIER && outstanding_counter(c, f, x)) return true;
    }
    return false;
}

/* Is `cond` `id == 0` (or `0 == id`) for an outstanding counter id? */
static bool none_outstanding(const struct chan_info *c, const struct gofile *f, nid cond)
{
    cond = ast_unparen(f, cond);
    if (ast_kind(f, cond) != N_BINARY_EXPRESSION || f->nodes[cond].op != OP_EQL) return false;
    nid l = ast_unparen(f, ast_child(f, cond, F_LEFT)), r = ast_unparen(f, ast_child(f, cond, F_RIGHT));
    if (ast_kind(f, l) == N_INT_LITERAL) {
        nid t = l;
        l = r, r = t;
    }
    return ast_kind(f, l) == N_IDENTIFIER && ast_kind(f, r) == N_INT_LITERAL && ast_text_is(f, r, "0") &&
           outstanding_counter(c, f, l);
}

/* Is return `exit` under an if whose condition reads a counter of the
 * values received from c (tailscale's `if dialerSteps == 2 && lisSteps ==
 * 2 { return }`), or says that no sender is outstanding (`if running == 0
 * { return }`)? The function then returns only once enough arrived. */
static bool counted_exit(const struct chan_info *c, const struct gofile *f, nid exit)
{
    for (nid a = ast_parent(f, exit); a && a != c->creator; a = ast_parent(f, a)) {
        if (ast_kind(f, a) == N_FUNC_LITERAL) return false;
        if (ast_kind(f, a) != N_IF_STATEMENT) continue;
        nid cond = ast_child(f, a, F_CONDITION);
        if (cond && none_outstanding(c, f, cond)) return true;
        for (nid k = cond; cond && k < f->nodes[cond].end; k++)
            if (ast_kind(f, k) == N_IDENTIFIER && counted_by_recv(c, f, k)) return true;
    }
    return false;
}

/* Are all of the n exits counted ones? */
static bool all_counted(const struct chan_info *c, const struct gofile *f, const nid *exits, int n)
{
    for (int i = 0; i < n; i++)
        if (exits[i] == ast_child(f, c->creator, F_BODY) || !counted_exit(c, f, exits[i])) return false;
    return n > 0;
}

/* Abandoning paths that fall off the end of the creator: the select case
 * (other than the receives from c) every one of them goes through, or 0.
 * A select that receives from c or times out (`case <-ctx.Done():`) and
 * then falls through to the end abandons the sender in that case, like a
 * return inside it would. Only cases the goroutine cannot make ready
 * (case_fed_by) count. */
struct via_ud {
    struct stop_ud *base;
    const struct gofile *f;
    nid cc; /* the communication case */
};

static bool stop_or_case(void *ud, nid ev)
{
    struct via_ud *v = ud;
    return stop_at(v->base, ev) || ast_contains(v->f, v->cc, ev);
}

/* Does go statement go mention an identifier named like the channel that
 * communication case cc receives from? Then the goroutine may be what
 * makes the case ready (a done it closes, a signal it sends after the
 * send in question), and taking the case says nothing about the send. */
static bool case_fed_by(const struct gofile *f, nid cc, nid go)
{
    nid comm = ast_child(f, cc, F_COMMUNICATION);
    if (ast_kind(f, comm) == N_RECEIVE_STATEMENT && ast_child(f, comm, F_RIGHT)) comm = ast_child(f, comm, F_RIGHT);
    comm = ast_unparen(f, comm);
    if (ast_kind(f, comm) != N_UNARY_EXPRESSION || f->nodes[comm].op != OP_ARROW) return true;
    nid x = ast_unparen(f, ast_first_child(f, comm));
    if (ast_kind(f, x) == N_CALL_EXPRESSION) return false; /* ctx.Done(), time.After(d) */
    while (ast_kind(f, x) == N_SELECTOR_EXPRESSION) x = ast_child(f, x, F_FIELD);
    if (ast_kind(f, x) != N_IDENTIFIER && ast_kind(f, x) != N_FIELD_IDENTIFIER) return true;
    struct str nm = ast_text(f, x);
    for (nid k = go; k < f->nodes[go].end; k++)
        if ((ast_kind(f, k) == N_IDENTIFIER || ast_kind(f, k) == N_FIELD_IDENTIFIER) && str_eqs(ast_text(f, k), nm))
            return true;
    return false;
}

/* Does any goroutine that sends on c mention the channel of case cc? Two
 * goroutines that both send on c may be an either-or pair (the one that
 * closes done only after the work the other reports the failure of), so a
 * case a sibling sender feeds says nothing either. */
static bool case_fed_by_senders(const struct chan_info *c, const struct gofile *f, nid cc)
{
    for (int i = 0; i < c->nops; i++) {
        const struct chop *o = &c->ops[i];
        if (o->go && o->kind == CHOP_SEND && case_fed_by(f, cc, o->go)) return true;
    }
    return false;
}

static nid abandoning_case(const struct cfg *g, int gb, int ge, struct stop_ud *ud)
{
    const struct chan_info *c = ud->base.c;
    const struct gofile *f = ud->base.f;
    for (int i = 0; i < c->nops; i++) {
        const struct chop *o = &c->ops[i];
        if (o->go || o->deferred || o->kind != CHOP_RECV || o->select != CHSEL_OTHERS || o->fi != c->fi) continue;
        nid mine = ast_ancestor(f, o->node, N_COMMUNICATION_CASE);
        nid sel = mine ? ast_ancestor(f, mine, N_SELECT_STATEMENT) : 0;
        if (!sel) continue;
        for (nid k = sel + 1; k < f->nodes[sel].end; k++) {
            if (ast_kind(f, k) != N_COMMUNICATION_CASE || ast_ancestor(f, k, N_SELECT_STATEMENT) != sel) continue;
            if (k == mine || case_fed_by_senders(c, f, k)) continue;
            struct via_ud v = {ud, f, k};
            nid ex[MAX_EXITS];
            if (chan_exits_avoiding(g, gb, ge, stop_or_case, &v, ex, NULL, MAX_EXITS) == 0) return k;
        }
    }
    return 0;
}

/* Is event ev the creator's own plain receive from c? */
struct recv_ud {
    const struct chan_info *c;
    const struct gofile *f;
};

static bool creator_receives(void *ud, nid ev)
{
    const struct recv_ud *r = ud;
    for (int i = 0; i < r->c->nops; i++) {
        const struct chop *o = &r->c->ops[i];
        if (o->go || o->deferred || o->via_call || o->kind != CHOP_RECV) continue;
        if (ast_contains(r->f, ev, o->site)) return true;
    }
    return false;
}

/* Goroutine `go` (block gb, event ge), the only one sending on c, is
 * started once per iteration of a loop the make is outside of, sends at
 * most one value, and the creator receives from c on every way from the go
 * statement round to it again (go-ethereum's Resubscribe with a buffer of
 * one): before each start every earlier value but one was received, so at
 * most one is ever pending, and a buffer of one or more holds it whenever
 * the creator returns. */
static bool one_per_iteration(struct pkg *p, int fi, const struct cfg *g, const struct chan_info *c, nid go, int gb,
                              int ge)
{
    const struct gofile *f = &p->files[fi];
    nid loop = chan_enclosing_loop(f, go);
    if (c->buf < 1 || !loop || ast_contains(f, loop, c->make)) return false;
    int nsends = 0;
    for (int i = 0; i < c->nops; i++) {
        const struct chop *o = &c->ops[i];
        if (o->go != go || o->kind != CHOP_SEND) continue;
        if (o->via_call || o->in_loop || o->fi != fi) return false;
        nsends++;
    }
    if (nsends != 1) {
        nid lit = ast_unparen(f, ast_child(f, ast_first_child(f, go), F_FUNCTION));
        struct stop_ud tmp = {{0}, 0, {0}, 0};
        if (ast_kind(f, lit) != N_FUNC_LITERAL || !one_shot_siblings(p, fi, lit, c, &tmp)) return false;
    }
    /* a receive before the go statement in its own block is met on every
     * way back to it */
    for (int e = 0; e < ge; e++) {
        struct recv_ud r = {c, f};
        if (creator_receives(&r, g->blocks[gb].events[e])) return true;
    }
    uint8_t *out = xcalloc((size_t)g->nblocks + 1, 1);
    struct recv_ud r = {c, f};
    cfg_reach_avoiding(g, gb, ge, creator_receives, &r, out);
    bool again = out[gb] & CFG_REACH_ENTERED;
    free(out);
    return !again;
}

/* The words for c in messages: its variable, or for a constructor's
 * channel received at once or dropped, "the channel Go returns". */
static struct str chan_words(struct pkg *p, const struct gofile *f, const struct chan_info *c)
{
    if (c->name != c->make) return ast_text(f, c->name);
    const char *s = arena_printf(&p->arena, "the channel %s returns", p->decls[c->ctor].name);
    return str_make(s, strlen(s));
}

/* The safe fix: make call `make` (of file fi) given a buffer of nsends,
 * the most values the goroutines send on it in one run of the creator
 * (chan_goroutine_ops): `make(chan T)` becomes `make(chan T, N)`, a smaller
 * literal buffer becomes N. analyse() has established that no goroutine
 * receives from the channel and the creator does not send on it, so with
 * room for every send no sender can block, and a receive the creator
 * still makes gets the same values in the same order. */
static void attach_fix(struct rule_ctx *ctx, struct finding *fd, int fi, nid make, long nsends)
{
    const struct gofile *mf = &ctx->pkg->files[fi];
    if (!fd || nsends <= 0 || nsends > 1000000 || !rule_can_edit(ctx, fi)) return;
    nid args = ast_child(mf, make, F_ARGUMENTS), t = ast_first_child(mf, args), size = ast_next(mf, t);
    char num[32];
    snprintf(num, sizeof num, "%ld", nsends);
    if (!size) {
        uint32_t at = mf->nodes[t].end_byte;
        if (at >= mf->len || mf->src[at] != ')' || at + 1 != mf->nodes[args].end_byte) return;
        char *ins = xasprintf(", %s", num);
        rule_edit(ctx, fd, fi, at, at, ins);
        free(ins);
    } else if (ast_kind(mf, size) == N_INT_LITERAL && !ast_next(mf, size) && strtol(ast_text(mf, size).p, NULL, 10) < nsends &&
               ast_text(mf, size).p[0] != '0') {
        rule_edit(ctx, fd, fi, mf->nodes[size].start_byte, mf->nodes[size].end_byte, num);
    }
}

/* The fix of a finding on a constructor's channel: its make, in the
 * constructor. */
static char *ctor_fix(struct pkg *p, const struct chan_info *c, long nsends)
{
    const struct pkg_decl *pd = &p->decls[c->ctor];
    const struct gofile *hf = &p->files[pd->file];
    struct str ts = ast_text(hf, ast_first_child(hf, ast_child(hf, c->ctor_make, F_ARGUMENTS)));
    if (nsends > 0)
        return xasprintf("give the channel %s makes at line %u a buffer for every send: make(%.*s, %ld); or send in "
                         "a select with a case on a done channel or ctx.Done()",
                         pd->name, hf->nodes[c->ctor_make].line, (int)ts.n, ts.p, nsends);
    return xasprintf("give the channel %s makes at line %u a buffer for every send, or send in a select with a "
                     "case on a done channel or ctx.Done()",
                     pd->name, hf->nodes[c->ctor_make].line);
}

/* Related locations of a finding on a constructor's channel: the call
 * that starts the goroutine, the goroutine's go statement in the
 * constructor, and the creator's exit (0: none). */
static void ctor_relate(struct rule_ctx *ctx, struct finding *fd, const struct chan_info *c, nid exit)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    const struct pkg_decl *pd = &p->decls[c->ctor];
    rule_related(ctx, fd, c->make, "this call of %s starts the goroutine that blocks", pd->name);
    rule_related_in(ctx, fd, pd->file, c->ctor_go, "%s starts it here and returns the channel", pd->name);
    if (!exit) return;
    struct str ch = chan_words(p, f, c);
    if (exit != ast_child(f, c->creator, F_BODY))
        rule_related(ctx, fd, exit, "the return that abandons %.*s", (int)ch.n, ch.p);
    else
        rule_related(ctx, fd, exit, "the function ends without receiving from %.*s", (int)ch.n, ch.p);
}

/* A constructor's channel thrown away by the caller: nobody can ever
 * receive from it. */
static void report_dropped(struct rule_ctx *ctx, const struct chan_info *c, const struct chop *send, long nsends)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    struct rule_ctx sctx = *ctx;
    sctx.fi = send->fi;
    sctx.f = &p->files[send->fi];
    const char *fn = p->decls[c->ctor].name;
    /* a send the goroutine may skip still blocks when it runs */
    enum confidence conf = chan_op_dominates(p, send) ? CONF_HIGH : CONF_MEDIUM;
    struct finding *fd = rule_report_conf(&sctx, send->node, conf,
                                          "this send blocks forever: the channel %s returns is dropped at line %u, "
                                          "so nobody can receive from it and the goroutine %s starts leaks",
                                          fn, f->nodes[c->make].line, fn);
    ctor_relate(ctx, fd, c, 0);
    fd->fix = ctor_fix(p, c, nsends);
    attach_fix(ctx, fd, p->decls[c->ctor].file, c->ctor_make, nsends);
}

static void report(struct rule_ctx *ctx, const struct chan_info *c, const struct chop *send, nid go, nid exit,
                   enum confidence conf, bool after_recv, long nsends, nid via)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    struct str ch = chan_words(p, f, c);
    struct rule_ctx sctx = *ctx;
    sctx.fi = send->fi;
    sctx.f = &p->files[send->fi];
    const char *when = chan_leak_when(p, c, exit);
    if (via) {
        nid comm = ast_child(f, via, F_COMMUNICATION);
        if (ast_kind(f, comm) == N_RECEIVE_STATEMENT && ast_child(f, comm, F_RIGHT)) comm = ast_child(f, comm, F_RIGHT);
        struct str t = ast_text(f, comm);
        if (t.n <= 40 && !memchr(t.p, '\n', t.n))
            when = arena_printf(&p->arena, "%s after the `%.*s` case", when, (int)t.n, t.p);
    }
    const char *who = c->ctor_make ? arena_printf(&p->arena, "started by the call of %s at line", p->decls[c->ctor].name)
                                   : "started at line";
    struct finding *fd = rule_report_conf(
        &sctx, send->node, conf, "this send blocks forever when %s %s %.*s: the goroutine %s %u leaks", when,
        after_recv ? "without receiving everything sent on" : "before receiving from", (int)ch.n, ch.p, who,
        f->nodes[go].line);
    if (c->ctor_make) ctor_relate(ctx, fd, c, exit);
    else chan_leak_relate(ctx, fd, c, go, exit, "receiving from");
    if (via) rule_related(ctx, fd, via, "this case gives up on %.*s", (int)ch.n, ch.p);
    if (c->ctor_make) {
        fd->fix = ctor_fix(p, c, nsends);
        attach_fix(ctx, fd, p->decls[c->ctor].file, c->ctor_make, nsends);
        return;
    }
    nid ct = ast_first_child(f, ast_child(f, c->make, F_ARGUMENTS));
    struct str ts = ast_text(f, ct);
    if (nsends > 0) {
        fd->fix = xasprintf("give %.*s a buffer for every send: make(%.*s, %ld); or send in a select with a case on a "
                            "done channel or ctx.Done()",
                            (int)ch.n, ch.p, (int)ts.n, ts.p, nsends);
        attach_fix(ctx, fd, c->fi, c->make, nsends);
    }
    else
        fd->fix = xasprintf("give %.*s a buffer for every send (make(%.*s, n) with n the number of sends), or send "
                            "in a select with a case on a done channel or ctx.Done()",
                            (int)ch.n, ch.p, (int)ts.n, ts.p);
}

/* Where goroutine `go` starts in the creator's graph g: after the event
 * holding its go statement, or for a constructor's channel received at
 * once in a select case (`case err = <-Go(f):`), at the select's entry,
 * where every case's channel expression is evaluated. False for a
 * constructor's channel received at once outside a select (or alone in
 * one): that receive waits for the value. */
static bool start_pos(const struct cfg *g, const struct chan_info *c, nid go, int *gb, int *ge)
{
    if (!cfg_event_pos(g, go, gb, ge)) return false;
    if (!c->ctor_make || c->name != c->make || c->dropped) return true;
    const struct chop *r = NULL;
    for (int i = 0; i < c->nops && !r; i++)
        if (!c->ops[i].go && c->ops[i].kind == CHOP_RECV) r = &c->ops[i];
    if (!r || r->select == CHSEL_NONE || r->select == CHSEL_ALONE) return false;
    /* the case's block: its communication is the first event */
    const struct cfg_block *cb = &g->blocks[*gb];
    if (*ge != 0 || cb->npreds != 1) return false;
    *gb = cb->preds[0];
    *ge = g->blocks[*gb].nevents - 1;
    return true;
}

static void analyse(struct rule_ctx *ctx, const struct chan_info *c)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    VEC(nid) senders = {0};
    /* the creator must only receive; a deferred drain saves everyone */
    for (int i = 0; i < c->nops; i++) {
        const struct chop *o = &c->ops[i];
        if (o->go == 0 && o->kind == CHOP_SEND) goto done;
        if (o->go == 0 && o->deferred && o->kind != CHOP_SEND) goto done;
        if (o->go && o->kind == CHOP_SEND) {
            if (o->select == CHSEL_OTHERS || o->select == CHSEL_DEFAULT) goto done;
            bool seen = false;
            for (size_t j = 0; j < senders.len; j++) seen |= senders.items[j] == o->go;
            if (!seen) vec_push(&senders, o->go);
        }
    }
    if (!senders.len) goto done;
    /* no goroutine may receive from it (a sender that also receives, a
     * second consumer) */
    for (int i = 0; i < c->nops; i++) {
        const struct chop *o = &c->ops[i];
        if (o->go && (o->kind == CHOP_RECV || o->kind == CHOP_RANGE)) goto done;
    }
    /* a counter of the senders still out (`running++` at each start,
     * `running--` at each receive) */
    bool counter = has_outstanding_counter(c, f);
    long total = 0;
    for (size_t j = 0; j < senders.len; j++) {
        long n = chan_goroutine_ops(p, c, senders.items[j], 1u << CHOP_SEND);
        if (n < 0) total = -1;
        else if (total >= 0) total += n;
    }
    if (total >= 0 && total <= c->buf) goto done;
    struct cfg *g = cfg_build(p, ctx->fi, c->creator);
    struct stop_ud ud = {{c, f, p, ctx->fi, (1u << CHOP_RECV) | (1u << CHOP_RANGE), false, false, 0}, 0, {0}, 0};
    for (size_t j = 0; j < senders.len; j++) {
        nid go = senders.items[j];
        const struct chop *send = NULL;
        for (int i = 0; i < c->nops && !send; i++)
            if (c->ops[i].go == go && c->ops[i].kind == CHOP_SEND) send = &c->ops[i];
        int gb, ge;
        if (!start_pos(g, c, go, &gb, &ge) || !cfg_reachable(g, gb)) continue;
        if (c->dropped) {
            report_dropped(ctx, c, send, total);
            continue;
        }
        /* a goroutine that sends one value in all, on c or another channel */
        ud.nsiblings = 0;
        nid lit = ast_kind(f, go) == N_GO_STATEMENT ? ast_unparen(f, ast_child(f, ast_first_child(f, go), F_FUNCTION)) : 0;
        if (lit && send->fi == ctx->fi && ast_kind(f, lit) == N_FUNC_LITERAL && !chan_enclosing_loop(f, go) &&
            !one_shot_siblings(p, ctx->fi, lit, c, &ud))
            ud.nsiblings = 0;
        if (senders.len == 1 && one_per_iteration(p, ctx->fi, g, c, go, gb, ge)) continue;
        /* values received before this goroutine starts were sent by earlier
         * ones: what is left of all the sends may fit in the buffer */
        if (total >= 0 && c->buf > 0 && !chan_enclosing_loop(f, go) &&
            total - received_before(p, g, c, f, gb, ge) <= c->buf)
            continue;
        /* 1. a path from the start to a return with no receive at all */
        nid exits[MAX_EXITS];
        ud.loop = 0;
        nid lasts[MAX_EXITS];
        int ne = chan_exits_avoiding(g, gb, ge, stop_at, &ud, exits, lasts, MAX_EXITS);
        if (ne && ne < MAX_EXITS && all_counted(c, f, exits, ne)) {
            /* the counted returns wait; with a counter of the senders
             * still out, a return after a receive may not (case 2) */
            if (!counter) continue;
            ne = 0;
        }
        if (ne) {
            enum confidence conf = CONF_HIGH;
            if (total < 0 && c->buf > 0) conf = CONF_LOW;
            /* a conditional send and an abandoning `if`: the conditions
             * may be the same one */
            bool in_case = chan_exit_why(p, ctx->fi, c->creator, exits[0]) &&
                           !strncmp(chan_exit_why(p, ctx->fi, c->creator, exits[0]), "in the", 6);
            nid via = 0;
            /* falling off the end after a select, or leaving the loop
             * that makes a channel per iteration, after one: the select's
             * case that gave up names the path */
            nid mloop = chan_enclosing_loop(f, c->make);
            if (!in_case && ne == 1 &&
                (exits[0] == ast_child(f, c->creator, F_BODY) || (mloop && !ast_contains(f, mloop, exits[0])))) {
                via = abandoning_case(g, gb, ge, &ud);
                in_case = via != 0;
            }
            if (!in_case && !chan_op_dominates(p, send)) conf = CONF_LOW;
            if (only_failing(g, gb, ge, &ud) || only_via_loops(g, gb, ge, &ud, go)) conf = CONF_LOW;
            report(ctx, c, send, go, exits[0], conf, false, total, via);
            continue;
        }
        /* 2. a receive after which the creator returns without receiving
         * again while more sends may come */
        if (total >= 0 && total < 2) continue;
        int k_straight = 0;
        bool loop_recv = false;
        for (int i = 0; i < c->nops; i++) {
            const struct chop *o = &c->ops[i];
            if (o->go || o->deferred || (o->kind != CHOP_RECV && o->kind != CHOP_RANGE)) continue;
            if (o->in_loop || o->kind == CHOP_RANGE) loop_recv = true;
            else k_straight++;
        }
        for (int i = 0; i < c->nops; i++) {
            const struct chop *r = &c->ops[i];
            if (r->go || r->deferred || r->via_call || (r->kind != CHOP_RECV && r->kind != CHOP_RANGE)) continue;
            nid loop = r->kind == CHOP_RANGE ? ast_parent(f, r->node) : chan_enclosing_loop(f, r->node);
            if (loop && ast_contains(f, loop, go) && !counter) continue;
            /* a `for {}` receive loop has only early exits: which one comes
             * after the last send is not visible, unless a counter of the
             * senders still to send says so (`if running == 0`) */
            if (loop && r->kind != CHOP_RANGE && rl_loop_is_infinite(f, loop) && !counter) continue;
            if (!loop && loop_recv) continue;
            enum confidence conf = CONF_HIGH;
            if (loop) {
                if (total >= 0 && total - 1 <= c->buf) continue;
                if (total < 0 && c->buf > 0) conf = CONF_LOW;
            } else {
                if (total >= 0 && total - k_straight <= c->buf) continue;
                if (total < 0 && c->buf > 0) continue;
                /* unknown only because a goroutine sends in a loop: it may
                 * send exactly as many as are received */
                if (total < 0 && own_loop_sends(c, f)) continue;
            }
            int rb, re;
            if (!cfg_event_pos(g, r->node, &rb, &re) || !cfg_reachable(g, rb)) continue;
            if (r->kind == CHOP_RANGE) {
                /* start in the body: the range's own end is its natural exit */
                nid body = ast_child(f, loop, F_BODY);
                rb = -1;
                for (int b = 0; b < g->nblocks && rb < 0; b++)
                    if (g->blocks[b].stmt == body) rb = b;
                if (rb < 0) continue;
                re = -1;
            }
            ud.loop = loop;
            ne = chan_exits_avoiding(g, rb, re, stop_at, &ud, exits, lasts, MAX_EXITS);
            /* returns that wait for what they count leave nothing behind */
            int kept = 0;
            for (int i = 0; i < ne && ne < MAX_EXITS; i++)
                if (exits[i] == ast_child(f, c->creator, F_BODY) || !counted_exit(c, f, exits[i])) exits[kept++] = exits[i];
            if (ne < MAX_EXITS) ne = kept;
            if (!ne) continue;
            if (!send->in_loop && !chan_op_dominates(p, send)) conf = CONF_LOW;
            if (only_failing(g, rb, re, &ud)) conf = CONF_LOW;
            report(ctx, c, send, go, exits[0], conf, true, total, 0);
            break;
        }
    }
    cfg_free(g);
done:
    vec_free(&senders);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    struct chan_info c;
    if (!chan_is_make(ctx->pkg, ctx->fi, n)) {
        /* a constructor's channel, fed by the goroutine it starts */
        if (!chan_track_ctor(ctx->pkg, ctx->fi, n, &c)) return;
    } else if (!chan_track(ctx->pkg, ctx->fi, n, &c)) {
        return;
    }
    if (!c.escapes && c.buf >= 0 && !chan_creator_is_main(ctx->pkg, &c)) analyse(ctx, &c);
    chan_info_free(&c);
}

const struct rule rule_abandoned_sender = {
    .id = "GD103",
    .name = "abandoned-sender",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A goroutine sends on a channel its spawner can stop receiving from: the send blocks forever and the "
               "goroutine leaks.",
    .why = "A goroutine that hands its result back on an unbuffered channel (`ch <- work()`) waits until someone "
           "receives. When the function that started it returns first — the `<-ctx.Done()` or `time.After` case "
           "of a select won, an error check returned early, a receive loop broke out after the first error — "
           "nobody ever will: the goroutine blocks in the send forever, with everything it references. Under "
           "load these leaks pile up until memory or goroutine counts explode, and nothing crashes to tell you. "
           "The usual fix is a buffer with room for every send (`make(chan T, 1)` for one goroutine, "
           "`make(chan error, len(jobs))` for a loop of them), so the sends complete whether or not anyone is "
           "still listening; or a select in the sender with a case on `ctx.Done()` or a done channel. "
           "godark tracks channels made by `make` in a local variable that does not escape (not stored, "
           "returned, or handed to code of another package), finds the goroutines the function starts that send "
           "on it (`go func(){...}()` and `go f(ch)` of the package), counts their sends, and follows the "
           "function's control flow from the go statement to each return: a return reached with no receive on "
           "the way, or a return out of a receive loop while more sends may come, is reported when the buffer "
           "cannot hold what is left (values the function received before starting a goroutine were sent by "
           "earlier ones and free their room). Paths that end in a call that never returns (panic, t.Fatal, "
           "Ginkgo's Fail, a package helper that always fails) and select cases on a channel nothing serves do "
           "not count, nor does a receive in a select whose default case returns or fails (after the select, "
           "the value was taken). A receive from another channel the same goroutine sends on ends a path when "
           "the goroutine sends one value in all (every send is followed by return or is its last act, also in "
           "an if/else branch or switch clause): the select that took it "
           "took the goroutine's only value. A return under an `if` that reads a counter incremented where the "
           "function receives from the channel (`if got == 2 { return }`) waits for the values it counts, and "
           "so does one under `if running == 0` where running counts the goroutines still to send (`running++` "
           "beside each go statement, `running--` beside each receive); another return of such a loop, after "
           "a receive, abandons the ones still running. "
           "A goroutine started once in each iteration of a loop that sends one value on a channel made "
           "with a buffer before the loop is not reported when the function receives from the channel on "
           "every way round the loop back to the go statement: at most one value is ever pending, and the "
           "buffer holds it (go-ethereum's Resubscribe with `make(chan error, 1)`). "
           "A channel made inside a loop is a new one each time round: a case that gives up and goes on "
           "to the next iteration abandons this one (hellofresh/health-go's per-check `resCh`), and the "
           "goroutines started in that loop count once per channel. "
           "A close by the sending goroutine after its send does not help the send. "
           "A channel returned by a function of the package whose own goroutine feeds it (`func Go(f func() "
           "error) chan error { ch := make(chan error); go func() { ch <- f() }(); return ch }`: one goroutine "
           "started at the top of its body sends a fixed number of values, more than the buffer holds, not in a "
           "select; the function does nothing else with the channel and returns it on every return) is followed "
           "into each caller: the call acts as the make, and the goroutine starts at it. A caller that holds the "
           "result in a variable, or receives from the call at once in a select case (`case err = <-Go(wait):`, "
           "whose call runs when the select starts), and then returns on some path without receiving (codeskyblue/"
           "go-sh's WaitTimeout) is reported at the send, one finding per such call; so is a call whose result is "
           "dropped (`Go(f)`, `_ = Go(f)`): nobody can ever receive. A stream (sends in a loop), a send in a "
           "select, a goroutine started only on some path, or a result passed on or returned is not followed. "
           "A conditional send is reported at high confidence when the path that abandons it is a select "
           "case the goroutine cannot make ready (`case <-ctx.Done():`, `case <-time.After(d):`), whether "
           "that case returns or falls through to the end of the function; a case on a channel the goroutine "
           "itself, or another goroutine sending on the same channel, closes or sends on leaves it low. "
           "It stays silent when sends are in a select, another goroutine "
           "receives, a deferred function drains the channel, the buffer size is not a constant, or the "
           "channel is made in func main of package main (main's return ends the process). When the number of "
           "sends is known, the finding carries the buffer as a safe fix: `godark check --fix` applies it, "
           "`--diff` shows it, SARIF lists it under `fixes`.",
    .bad = "package p\n\nimport \"context\"\n\nfunc fetch(ctx context.Context, get func() (string, error)) (string, "
           "error) {\n\ttype result struct {\n\t\tbody string\n\t\terr  error\n\t}\n\tch := make(chan result)\n"
           "\tgo func() {\n\t\tbody, err := get()\n\t\tch <- result{body, err}\n\t}()\n\tselect {\n\tcase r := "
           "<-ch:\n\t\treturn r.body, r.err\n\tcase <-ctx.Done():\n\t\treturn \"\", ctx.Err()\n\t}\n}\n",
    .good = "package p\n\nimport \"context\"\n\nfunc fetch(ctx context.Context, get func() (string, error)) (string, "
            "error) {\n\ttype result struct {\n\t\tbody string\n\t\terr  error\n\t}\n\tch := make(chan result, 1)\n"
            "\tgo func() {\n\t\tbody, err := get()\n\t\tch <- result{body, err}\n\t}()\n\tselect {\n\tcase r := "
            "<-ch:\n\t\treturn r.body, r.err\n\tcase <-ctx.Done():\n\t\treturn \"\", ctx.Err()\n\t}\n}\n",
    .tests_low = true,
    .fix_safety = "A buffer of the number of sends changes no result: the values sent after the receiver left are "
                  "dropped with the channel. A select on a done channel in the sender also lets it stop early. "
                  "`godark check --fix` gives the buffer itself (a safe fix: `make(chan T)` becomes `make(chan T, "
                  "N)`, a smaller constant buffer becomes N) when it knows N, the most values the goroutines send "
                  "on the channel in one run, and no goroutine receives from it: then no send can block and the "
                  "function's own receives get the same values in the same order.",
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
