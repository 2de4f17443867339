/* rules/waitgroup_add_count_mismatch: GD303. `wg.Add(N)` with a constant N
 * followed by go statements whose goroutines call wg.Done, where on some
 * path from the Add to wg.Wait the number of Done-calling goroutines (plus
 * direct Dones) started differs from N: Wait hangs, or the counter goes
 * negative. A forward dataflow over the enclosing function's CFG carries
 * the set of possible counts (a bit mask) from the Add; anything it cannot
 * count (a goroutine in a loop, another Add, the group handed to unknown
 * code) makes the rule silent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wglib.h"

#define MAX_COUNT 60

/* The value of constant expression e when it is an int literal or a named
 * constant (local or package-level) initialised by one; -1 otherwise. */
static long const_int(struct rule_ctx *ctx, nid e, int depth)
{
    const struct gofile *f = ctx->f;
    e = ast_unparen(f, e);
    if (depth > 4) return -1;
    if (ast_kind(f, e) == N_INT_LITERAL) {
        struct str s = ast_text(f, e);
        char buf[32];
        if (s.n == 0 || s.n >= sizeof buf || memchr(s.p, '_', s.n)) return -1;
        memcpy(buf, s.p, s.n);
        buf[s.n] = 0;
        char *end;
        long v = strtol(buf, &end, 0);
        return *end ? -1 : v;
    }
    if (ast_kind(f, e) != N_IDENTIFIER) return -1;
    nid spec = 0, name = 0;
    const struct gofile *sf = f;
    if (model_resolve_local(ctx->pkg, ctx->fi, e, &spec, &name)) {
        if (ast_kind(f, spec) != N_CONST_SPEC) return -1;
    } else {
        if (pkg_decl_count(ctx->pkg, ast_text(f, e), PD_CONST) != 1) return -1;
        const struct pkg_decl *d = pkg_lookup(ctx->pkg, ast_text(f, e), PD_CONST);
        if (!d || d->file != ctx->fi) return -1; /* keep to one file: const_int reads ctx->f */
        spec = d->node, name = d->name_node;
    }
    /* the value at the name's index */
    unsigned idx = 0;
    nid vals = 0;
    AST_FOR_CHILDREN(sf, spec, c)
    {
        if (sf->nodes[c].field == F_NAME) {
            if (c == name) break;
            idx++;
        }
    }
    vals = ast_child(sf, spec, F_VALUE);
    if (!vals || ast_child(sf, spec, F_TYPE)) return -1;
    nid v = ast_nth_child(sf, vals, idx);
    return v ? const_int(ctx, v, depth + 1) : -1;
}

enum effect { EF_NONE, EF_COUNT, EF_WAIT, EF_ABORT };

struct scan {
    struct rule_ctx *ctx;
    nid wg;
    int add;      /* the Add's own call node, to recognise it again */
    int delta;    /* EF_COUNT: how many */
    nid wait;     /* EF_WAIT: the Wait call */
    bool abort;
};

static bool scan_call(void *ud, nid call)
{
    struct scan *s = ud;
    struct rule_ctx *ctx = s->ctx;
    nid x = 0;
    enum wg_op op = wg_call_shape(ctx->f, call, &x);
    if (op != WG_NONE && rl_same_path(ctx->pkg, ctx->fi, x, s->wg)) {
        if (op == WG_ADD) s->abort = true;
        else if (op == WG_DONE) s->delta++;
        else if (!s->wait) s->wait = call;
        return !s->abort && !s->wait;
    }
    if (wg_call_may_done(ctx->pkg, ctx->fi, call, s->wg)) s->abort = true;
    return !s->abort;
}

/* The effect of event ev on the count; *delta and *wait filled. */
static enum effect event_effect(struct rule_ctx *ctx, nid wg, nid ev, int *delta, nid *wait, bool *counted_go)
{
    const struct gofile *f = ctx->f;
    struct scan s = {ctx, wg, 0, 0, 0, false};
    /* the event's own calls (a go/defer statement's arguments included) */
    cfg_event_calls(f, ev, scan_call, &s);
    if (s.abort || wg_escapes_in(ctx->pkg, ctx->fi, ev, wg)) return EF_ABORT;
    enum node_kind k = ast_kind(f, ev);
    if (k == N_DEFER_STATEMENT) {
        /* a deferred Done of the group in the spawner: counted at exit */
        for (nid q = ev; q < f->nodes[ev].end; q++) {
            nid x = 0;
            if (wg_call_shape(f, q, &x) != WG_NONE && rl_same_path(ctx->pkg, ctx->fi, x, wg)) return EF_ABORT;
            if (ast_kind(f, q) == N_CALL_EXPRESSION && wg_call_may_done(ctx->pkg, ctx->fi, q, wg)) return EF_ABORT;
        }
    } else if (k == N_GO_STATEMENT) {
        int d = wg_goroutine_dones(ctx->pkg, ctx->fi, ev, wg);
        if (d < 0) return EF_ABORT;
        s.delta += d;
        if (d > 0) *counted_go = true;
        /* `go func(){ wg.Wait(); close(done) }()`: the waiter */
        nid lit = ast_unparen(f, ast_child(f, ast_unparen(f, ast_first_child(f, ev)), F_FUNCTION));
        if (d == 0 && ast_kind(f, lit) == N_FUNC_LITERAL)
            for (nid q = lit; q < f->nodes[lit].end && !s.wait; q++)
                if (wg_call_on(ctx->pkg, ctx->fi, q, wg, WG_WAIT)) s.wait = q;
    } else {
        /* func literals in the event (once.Do(func(){ wg.Done() })...) */
        for (nid q = ev; q < f->nodes[ev].end; q++) {
            if (ast_kind(f, q) != N_FUNC_LITERAL) continue;
            for (nid r = q; r < f->nodes[q].end; r++) {
                nid x = 0;
                if (wg_call_shape(f, r, &x) != WG_NONE && rl_same_path(ctx->pkg, ctx->fi, x, wg)) return EF_ABORT;
                if (ast_kind(f, r) == N_CALL_EXPRESSION && wg_call_may_done(ctx->pkg, ctx->fi, r, wg)) return EF_ABORT;
            }
            q = f->nodes[q].end - 1;
        }
    }
    *delta = s.delta;
    *wait = s.wait;
    if (s.wait) return EF_WAIT;
    return s.delta ? EF_COUNT : EF_NONE;
}

static uint64_t shift_mask(uint64_t m, int d, bool *over)
{
    if (d <= 0) return m;
    if (d >= MAX_COUNT || (m >> (MAX_COUNT - d))) *over = true;
    return m << d;
}

/* Lowest and highest set bits. */
static int lo_bit(uint64_t m) { return m ? __builtin_ctzll(m) : -1; }
static int hi_bit(uint64_t m) { return m ? 63 - __builtin_clzll(m) : -1; }

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    nid wg = 0;
    if (wg_call_shape(f, n, &wg) != WG_ADD) return;
    long want = const_int(ctx, ast_first_child(f, ast_child(f, n, F_ARGUMENTS)), 0);
    if (want <= 0 || want >= MAX_COUNT) return;
    if (!wg_is_sync(ctx->pkg, ctx->fi, wg)) return;
    nid fn = model_enclosing_func(f, n);
    if (!fn) return;
    /* a Done in a func literal that is not a goroutine (a callback, a hook)
     * runs at times we cannot count */
    for (nid k = fn + 1; k < f->nodes[fn].end; k++) {
        if (ast_kind(f, k) != N_FUNC_LITERAL || wg_go_of_literal(f, k)) continue;
        for (nid q = k; q < f->nodes[k].end; q++) {
            nid x = 0;
            if (wg_call_shape(f, q, &x) == WG_DONE && rl_same_path(ctx->pkg, ctx->fi, x, wg)) return;
        }
        k = f->nodes[k].end - 1;
    }
    struct cfg *g = cfg_build(ctx->pkg, ctx->fi, fn);
    int ab, ae;
    if (!cfg_event_pos(g, n, &ab, &ae) || !cfg_reachable(g, ab)) {
        cfg_free(g);
        return;
    }
    /* the Add's event may hold more than the Add: only a plain statement */
    nid addev = g->blocks[ab].events[ae];
    if (ast_kind(f, addev) != N_EXPRESSION_STATEMENT || ast_unparen(f, ast_first_child(f, addev)) != n) {
        cfg_free(g);
        return;
    }

    uint64_t *in = xcalloc((size_t)g->nblocks, sizeof(uint64_t));
    int *work = xmalloc(sizeof(int) * (size_t)(g->nblocks * 2 + 2)), nw = 0;
    uint8_t *queued = xcalloc((size_t)g->nblocks, 1);
    uint64_t at_wait = 0, at_exit = 0;
    nid first_wait = 0;
    bool abort = false, over = false, started = false, counted_go = false;
    int iterations = 0;
    /* the Add's block is processed from after the Add the first time */
    work[nw++] = ab;
    while (nw && !abort && !over && iterations++ < 100000) {
        int b = work[--nw];
        queued[b] = 0;
        const struct cfg_block *cb = &g->blocks[b];
        uint64_t m;
        int from;
        if (!started) {
            started = true;
            m = 1; /* count 0 */
            from = ae + 1;
        } else {
            m = in[b];
            from = 0;
        }
        if (b == g->exit) {
            at_exit |= m;
            continue;
        }
        if (b == g->noreturn) continue;
        bool stopped = false;
        for (int e = from; e < cb->nevents && !stopped; e++) {
            nid ev = cb->events[e];
            if (ev == addev) {
                abort = true; /* the Add again, before a Wait: a loop */
                break;
            }
            int d = 0;
            nid w = 0;
            switch (event_effect(ctx, wg, ev, &d, &w, &counted_go)) {
            case EF_ABORT:
                abort = true;
                break;
            case EF_WAIT:
                m = shift_mask(m, d, &over);
                at_wait |= m;
                if (!first_wait) first_wait = w;
                stopped = true;
                break;
            case EF_COUNT:
                m = shift_mask(m, d, &over);
                break;
            case EF_NONE:
                break;
            }
            if (abort) break;
        }
        if (abort || stopped) continue;
        for (int s = 0; s < cb->nsuccs; s++) {
            int to = cb->succs[s].to;
            uint64_t nm = in[to] | m;
            if (nm != in[to]) {
                in[to] = nm;
                if (!queued[to]) {
                    queued[to] = 1;
                    work[nw++] = to;
                }
            }
        }
    }
    if (nw) abort = true; /* iteration bound hit */
    free(in);
    free(work);
    free(queued);

    if (!abort && !over && counted_go) {
        struct str w = ast_text(f, wg);
        uint64_t wantbit = 1ull << want;
        nid root = rl_path_root(f, wg), dd, nm;
        bool local = model_resolve_local(ctx->pkg, ctx->fi, root, &dd, &nm) && ast_contains(f, fn, nm) &&
                model_param_index(ctx->pkg, ctx->fi, fn, root) == -1;
        uint64_t m = at_wait;
        bool to_exit = false;
        if (!m && !local) {
            m = at_exit;
            to_exit = true;
        }
        if (m && m != wantbit) {
            bool all = !(m & wantbit);
            enum confidence conf = all && !to_exit ? CONF_HIGH : CONF_LOW;
            int lo = lo_bit(m), hi = hi_bit(m);
            const char *where = to_exit ? "before the function returns" : "before";
            unsigned wl = first_wait ? f->nodes[first_wait].line : 0;
            char wtxt[64] = "";
            if (!to_exit) snprintf(wtxt, sizeof wtxt, " %.*s.Wait (line %u)", (int)(w.n > 30 ? 30 : w.n), w.p, wl);
            struct finding *fd;
            if (lo < want)
                fd = rule_report_conf(ctx, n, conf,
                                      "%.*s.Add(%ld) but %s%d goroutine%s calling %.*s.Done %s started %s%s: "
                                      "the counter never reaches zero and Wait blocks forever",
                                      (int)w.n, w.p, want, all ? "only " : "on some path only ", lo, lo == 1 ? "" : "s",
                                      (int)w.n, w.p, lo == 1 ? "is" : "are", where, wtxt);
            else
                fd = rule_report_conf(ctx, n, conf,
                                      "%.*s.Add(%ld) but %s%d goroutines calling %.*s.Done are started %s%s: the "
                                      "counter goes negative (panic) or Wait returns while one is still running",
                                      (int)w.n, w.p, want, all ? "" : "on some path ", hi, (int)w.n, w.p, where, wtxt);
            if (first_wait && !to_exit) rule_related(ctx, fd, first_wait, "the Wait that counts on %ld Done calls", want);
        }
    }
    cfg_free(g);
}

const struct rule rule_waitgroup_add_count_mismatch = {
    .id = "GD303",
    .name = "waitgroup-add-count-mismatch",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "wg.Add(N) with a constant N does not match the number of goroutines started that call wg.Done.",
    .why = "`wg.Add(2)` followed by the goroutines it counts is a promise that exactly two Done calls will come. "
           "When one of the `go` statements sits under a condition, or a goroutine was added or removed later "
           "without updating the constant, the promise breaks: with fewer Dones the counter never reaches zero "
           "and `wg.Wait()` blocks forever; with more, the counter goes negative (a panic) or Wait returns while "
           "a goroutine still runs. "
           "godark follows every path of the function's control flow graph from the Add to the next Wait on the "
           "same group, counting the goroutines started there whose body (or same-package callee) calls Done on "
           "it (a callee handed the method value `wg.Done` counts when it calls it once), plus direct Done "
           "calls. It stays silent when it cannot count: a goroutine started in a loop, "
           "another Add, a deferred Done, or the group handed to other code. Confidence is high when every "
           "path disagrees with N; when only some paths do (a `go` under an `if`), or when no Wait follows and "
           "the group belongs to someone else, it is low.",
    .bad = "package p\n\nimport \"sync\"\n\nfunc loadBoth(loadA, loadB func()) {\n\tvar wg sync.WaitGroup\n"
           "\twg.Add(3)\n\tgo func() {\n\t\tdefer wg.Done()\n\t\tloadA()\n\t}()\n\tgo func() {\n"
           "\t\tdefer wg.Done()\n\t\tloadB()\n\t}()\n\twg.Wait()\n}\n",
    .good = "package p\n\nimport \"sync\"\n\nfunc loadBoth(loadA, loadB func()) {\n\tvar wg sync.WaitGroup\n"
            "\twg.Add(2)\n\tgo func() {\n\t\tdefer wg.Done()\n\t\tloadA()\n\t}()\n\tgo func() {\n"
            "\t\tdefer wg.Done()\n\t\tloadB()\n\t}()\n\twg.Wait()\n}\n",
    .fix_safety = "Calling `wg.Add(1)` right before each `go` statement keeps the count right when goroutines are "
                  "added, removed or made conditional.",
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
