/* rules/waitgroup_add_after_go: GD305. `wg.Add(n)` that runs after the `go`
 * statement whose goroutine it counts: `go func(){ defer wg.Done() }();
 * wg.Add(1)`. The goroutine's Done can come first: negative counter panic,
 * or a concurrent Wait returns before the work is done.
 * Visits `X.Add(n)` on a sync.WaitGroup. A forward dataflow over the
 * enclosing function's CFG carries, per path, the credit of Adds not yet
 * used by goroutines (0..CAP, or "many") and whether a goroutine that
 * calls Done on the group was started with no credit left ("pending").
 * The Add is reported when a pending goroutine reaches it on every path
 * (high) or on some path (low). Anything it cannot follow (the group handed
 * to other code, Done in a callback) clears the state. */
#include <stdlib.h>
#include <string.h>

#include "wglib.h"

/* A state is a bit of a 64-bit mask: credit c (0..CAP, CAP = many or
 * unknown) x "started": a counted goroutine was started since the last Add,
 * Wait or reset (st) x "pending": one of them had no credit (pd). */
#define CAP 15
#define BIT(c, pd, st) (1ull << ((c) * 4 + (pd) * 2 + (st)))
#define FOR_STATES(m, c, pd, st)                                                                                          \
    for (int c = 0; c <= CAP; c++)                                                                                        \
        for (int pd = 0; pd < 2; pd++)                                                                                    \
            for (int st = 0; st < 2; st++)                                                                                \
                if (m & BIT(c, pd, st))
#define PENDING_BITS 0xCCCCCCCCCCCCCCCCull /* pd = 1 */
#define STARTED_BITS 0xAAAAAAAAAAAAAAAAull /* st = 1 */

struct df {
    struct rule_ctx *ctx;
    nid wg, decl; /* the group's path; its root's declaring name when local to fn, else 0 */
    nid *gos;     /* go statements of fn: 1 when their goroutine Dones wg once, -1 unknown, 0 not */
    int *godone;
    int ngos;
    bool abort;
};

/* The effect of one Add of constant delta n (-1: not a constant). */
static uint64_t apply_add(uint64_t m, long n)
{
    uint64_t out = 0;
    FOR_STATES(m, c, pd, st)
    {
        long nc;
        if (c == CAP || n < 0) nc = CAP;
        else nc = c + n - pd; /* a late Add first pays for the pending goroutine */
        if (nc < 0) nc = 0;
        if (nc > CAP) nc = CAP;
        out |= BIT(nc, 0, 0);
    }
    return out;
}

/* A goroutine that Dones the group is started. */
static uint64_t apply_go(uint64_t m)
{
    uint64_t out = 0;
    FOR_STATES(m, c, pd, st)
    {
        (void)st;
        if (c == CAP) out |= BIT(CAP, pd, 1);
        else if (c == 0) out |= BIT(0, 1, 1);
        else out |= BIT(c - 1, pd, 1);
    }
    return out;
}

/* A direct Done in the spawner uses credit; no goroutine is pending. */
static uint64_t apply_done(uint64_t m)
{
    uint64_t out = 0;
    FOR_STATES(m, c, pd, st) out |= BIT(c == CAP ? CAP : c > 0 ? c - 1 : 0, pd, st);
    return out;
}

static long add_delta(const struct gofile *f, nid call)
{
    nid a = ast_unparen(f, ast_first_child(f, ast_child(f, call, F_ARGUMENTS)));
    if (ast_kind(f, a) != N_INT_LITERAL) return -1;
    struct str s = ast_text(f, a);
    if (s.n == 0 || s.n > 6) return -1;
    long v = 0;
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9') return -1;
        v = v * 10 + (s.p[i] - '0');
    }
    return v;
}

struct ev_scan {
    struct df *d;
    uint64_t m;
    nid stop_at;   /* when nonzero: stop before this call and report the state there */
    bool stopped;
};

static bool scan_call(void *ud, nid call)
{
    struct ev_scan *s = ud;
    struct rule_ctx *ctx = s->d->ctx;
    if (call == s->stop_at) {
        s->stopped = true;
        return false;
    }
    nid x = 0;
    enum wg_op op = wg_call_shape(ctx->f, call, &x);
    if (op != WG_NONE && rl_same_path(ctx->pkg, ctx->fi, x, s->d->wg)) {
        if (op == WG_ADD) s->m = apply_add(s->m, add_delta(ctx->f, call));
        else if (op == WG_DONE) s->m = apply_done(s->m);
        else s->m = BIT(0, 0, 0); /* after Wait the counter is zero */
        return true;
    }
    if (wg_call_may_done(ctx->pkg, ctx->fi, call, s->d->wg)) s->m = s->m ? BIT(CAP, 0, 0) : 0;
    return true;
}

/* Does declaration event ev make a new zero group: `var wg sync.WaitGroup`,
 * `wg := &sync.WaitGroup{}`, `new(sync.WaitGroup)`? Anything else (a group
 * from a call) may already count. */
static bool fresh_group(const struct gofile *f, nid ev)
{
    for (nid k = ev; k < f->nodes[ev].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) return false;
        if (kk == N_CALL_EXPRESSION && !ast_text_is(f, ast_child(f, k, F_FUNCTION), "new")) return false;
        if (kk == N_COMPOSITE_LITERAL) {
            nid body = ast_child(f, k, F_BODY);
            if (body && ast_child_count(f, body)) return false;
        }
    }
    return true;
}

/* The state after event ev (or, with stop_at, right before that call). */
static uint64_t transfer(struct df *d, nid ev, uint64_t m, nid stop_at, bool *stopped)
{
    struct rule_ctx *ctx = d->ctx;
    const struct gofile *f = ctx->f;
    if (!m) return 0;
    /* the group's own declaration (a group per loop iteration) */
    if (d->decl && ast_contains(f, ev, d->decl) && ast_kind(f, ev) != N_GO_STATEMENT &&
        ast_kind(f, ev) != N_DEFER_STATEMENT)
        return fresh_group(f, ev) ? BIT(0, 0, 0) : BIT(CAP, 0, 0);
    struct ev_scan s = {d, m, stop_at, false};
    cfg_event_calls(f, ev, scan_call, &s);
    if (s.stopped) {
        if (stopped) *stopped = true;
        return s.m;
    }
    m = s.m;
    if (wg_escapes_in(ctx->pkg, ctx->fi, ev, d->wg)) m = BIT(CAP, 0, 0);
    if (ast_kind(f, ev) == N_GO_STATEMENT) {
        for (int i = 0; i < d->ngos; i++) {
            if (d->gos[i] != ev) continue;
            if (d->godone[i] == 1) m = apply_go(m);
            else if (d->godone[i] < 0) {
                /* unknown: it might Done (use credit) or Add; keep what is pending */
                uint64_t out = 0;
                FOR_STATES(m, c, pd, st) out |= BIT(CAP, pd, st);
                m = out;
            }
        }
    }
    return m;
}

/* Is a goroutine pending on every path to here that started one since
 * the last Add (paths that started none have nothing for the Add to pay)? */
static bool pending_all(uint64_t m)
{
    return (m & PENDING_BITS) && !(m & STARTED_BITS & ~PENDING_BITS);
}

/* stop events for finding the go statement a late Add pays for */
struct go_ud {
    struct df *d;
};
static bool stop_add(void *ud, nid ev)
{
    struct df *d = ((struct go_ud *)ud)->d;
    const struct gofile *f = d->ctx->f;
    for (nid k = ev; k < f->nodes[ev].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        nid x = 0;
        enum wg_op op = wg_call_shape(f, k, &x);
        if ((op == WG_ADD || op == WG_WAIT) && rl_same_path(d->ctx->pkg, d->ctx->fi, x, d->wg)) return true;
    }
    return false;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    struct pkg *p = ctx->pkg;
    nid wg = 0, fn = wg_call_in_func(p, ctx->fi, n, WG_ADD, &wg);
    if (!fn) return;
    nid body = ast_child(f, fn, F_BODY);

    struct df d = {ctx, wg, 0, NULL, NULL, 0, false};
    nid root = rl_path_root(f, wg), dd, nm;
    if (model_resolve_local(p, ctx->fi, root, &dd, &nm) && ast_contains(f, body, nm)) d.decl = nm;

    /* go statements of fn whose goroutine Dones the group; a Done or Add
     * in a func literal that is not a goroutine (a callback) runs at times
     * we cannot place */
    int cap = 8;
    d.gos = xmalloc(sizeof(nid) * (size_t)cap);
    d.godone = xmalloc(sizeof(int) * (size_t)cap);
    bool any_go = false;
    for (nid k = body; k < f->nodes[body].end && !d.abort; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) {
            if (!wg_go_of_literal(f, k) && !wg_defer_of(f, fn, k))
                for (nid q = k; q < f->nodes[k].end; q++) {
                    nid x = 0;
                    enum wg_op op = wg_call_shape(f, q, &x);
                    if ((op == WG_DONE || op == WG_ADD) && rl_same_path(p, ctx->fi, x, wg)) d.abort = true;
                }
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk != N_GO_STATEMENT) continue;
        if (d.ngos == cap) {
            cap *= 2;
            d.gos = xrealloc(d.gos, sizeof(nid) * (size_t)cap);
            d.godone = xrealloc(d.godone, sizeof(int) * (size_t)cap);
        }
        d.gos[d.ngos] = k;
        d.godone[d.ngos] = wg_goroutine_dones(p, ctx->fi, k, wg);
        if (d.godone[d.ngos] == 1 && k < n) any_go = true;
        d.ngos++;
    }
    /* a loop can bring a later go statement before the Add */
    if (!any_go && rl_enclosing_loop(f, n))
        for (int i = 0; i < d.ngos; i++)
            if (d.godone[i] == 1) any_go = true;
    if (d.abort || !any_go) {
        free(d.gos);
        free(d.godone);
        return;
    }

    struct cfg *g = cfg_build(p, ctx->fi, fn);
    int ab, ae;
    if (!cfg_event_pos(g, n, &ab, &ae) || !cfg_reachable(g, ab)) goto done;

    uint64_t *in = xcalloc((size_t)g->nblocks, sizeof(uint64_t));
    int *work = xmalloc(sizeof(int) * (size_t)(g->nblocks + 1)), nw = 0;
    uint8_t *queued = xcalloc((size_t)g->nblocks, 1);
    in[g->entry] = BIT(0, 0, 0);
    work[nw++] = g->entry;
    queued[g->entry] = 1;
    int iterations = 0;
    while (nw && iterations++ < 200000) {
        int b = work[--nw];
        queued[b] = 0;
        const struct cfg_block *cb = &g->blocks[b];
        uint64_t m = in[b];
        for (int e = 0; e < cb->nevents && m; e++) m = transfer(&d, cb->events[e], m, 0, NULL);
        for (int s = 0; s < cb->nsuccs; s++) {
            int to = cb->succs[s].to;
            uint64_t nmask = in[to] | m;
            if (nmask != in[to]) {
                in[to] = nmask;
                if (!queued[to]) {
                    queued[to] = 1;
                    work[nw++] = to;
                }
            }
        }
    }
    bool converged = nw == 0;
    uint64_t at = in[ab];
    for (int e = 0; e < ae && at; e++) at = transfer(&d, g->blocks[ab].events[e], at, 0, NULL);
    bool stopped = false;
    at = transfer(&d, g->blocks[ab].events[ae], at, n, &stopped);
    free(in);
    free(work);
    free(queued);
    if (!converged || !stopped || !(at & PENDING_BITS)) goto done;

    /* the go statement it pays for: one that reaches the Add with no Add or
     * Wait of the group in between (nearest in the source before the Add) */
    nid go = 0;
    uint8_t *out = xcalloc((size_t)g->nblocks, 1);
    struct go_ud gu = {&d};
    for (int i = 0; i < d.ngos; i++) {
        if (d.godone[i] != 1) continue;
        int gb, ge;
        if (!cfg_event_pos(g, d.gos[i], &gb, &ge)) continue;
        memset(out, 0, (size_t)g->nblocks);
        cfg_reach_avoiding(g, gb, ge, stop_add, &gu, out);
        bool reaches = (out[ab] & CFG_REACH_ENTERED) != 0;
        if (gb == ab && ge < ae) {
            reaches = true;
            for (int e = ge + 1; e < ae; e++)
                if (stop_add(&gu, g->blocks[ab].events[e])) reaches = false;
        } else if (reaches) {
            for (int e = 0; e < ae; e++)
                if (stop_add(&gu, g->blocks[ab].events[e])) reaches = false;
        }
        if (!reaches) continue;
        /* the nearest before the Add; else (a loop) the first after it */
        nid c = d.gos[i];
        if (!go || (c < n && (go > n || c > go)) || (c > n && go > n && c < go)) go = c;
    }
    free(out);
    if (!go) goto done;

    enum confidence conf = pending_all(at) ? CONF_HIGH : CONF_LOW;
    /* a group from outside may come in with credit the caller added for the
     * first goroutine; then an Add followed by a goroutine of its own is
     * probably for that one */
    if (!d.decl && conf == CONF_HIGH) {
        uint8_t *o2 = xcalloc((size_t)g->nblocks, 1);
        struct go_ud gu2 = {&d};
        cfg_reach_avoiding(g, ab, ae, stop_add, &gu2, o2);
        for (int i = 0; i < d.ngos && conf == CONF_HIGH; i++) {
            int gb, ge;
            if (d.godone[i] != 1 || !cfg_event_pos(g, d.gos[i], &gb, &ge)) continue;
            bool later = false;
            if (gb == ab && ge > ae) {
                later = true;
                for (int e = ae + 1; e < ge; e++)
                    if (stop_add(&gu2, g->blocks[ab].events[e])) later = false;
            } else if (o2[gb] & CFG_REACH_ENTERED) {
                later = true;
                for (int e = 0; e < ge; e++)
                    if (stop_add(&gu2, g->blocks[gb].events[e])) later = false;
            }
            if (later) conf = CONF_LOW;
        }
        free(o2);
    }
    struct str w = ast_text(f, wg);
    unsigned gl = f->nodes[go].line;
    bool loop = go > n;
    struct finding *fd = rule_report_conf(
        ctx, n, conf,
        "%.*s.Add runs after the goroutine started on line %u%s, which calls %.*s.Done: if that Done runs first "
        "the counter goes negative (panic) or a concurrent Wait returns before the work is done",
        (int)w.n, w.p, gl, loop ? " (previous iteration)" : "", (int)w.n, w.p);
    rule_related(ctx, fd, go, "the goroutine this Add counts, started %sbefore the Add", loop ? "in the previous iteration " : "");
done:
    cfg_free(g);
    free(d.gos);
    free(d.godone);
}

const struct rule rule_waitgroup_add_after_go = {
    .id = "GD305",
    .name = "waitgroup-add-after-go",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "wg.Add runs after the go statement whose goroutine it counts.",
    .why = "`Add` must happen before the goroutine it counts can call `Done`. When the `go` statement comes "
           "first (`go worker(&wg); wg.Add(1)`, often after a refactoring that moved the Add down or into a "
           "helper), the goroutine may finish before the Add: its Done makes the counter negative and the "
           "program panics with \"sync: negative WaitGroup counter\", or a `Wait` running elsewhere sees zero "
           "and returns while work is still going on. The race is rare in tests and real under load. "
           "godark follows the paths of the function's control flow graph, keeping for each path the count "
           "of Adds not yet used by started goroutines; a goroutine whose body (or same-package callee) calls "
           "Done on the group and starts with no Add left to cover it is pending, and an Add reached while one "
           "is pending is reported: at high confidence when every path to it has a pending goroutine, low "
           "when only some do. It stays silent when the group is handed to other code, when a callback calls "
           "Done or Add, and for goroutines it cannot see into. Adds inside the goroutine are GD301's.",
    .bad = "package p\n\nimport \"sync\"\n\nfunc fetchAll(urls []string, fetch func(string)) {\n"
           "\tvar wg sync.WaitGroup\n\tfor _, u := range urls {\n\t\tgo func(u string) {\n"
           "\t\t\tdefer wg.Done()\n\t\t\tfetch(u)\n\t\t}(u)\n\t\twg.Add(1)\n\t}\n\twg.Wait()\n}\n",
    .good = "package p\n\nimport \"sync\"\n\nfunc fetchAll(urls []string, fetch func(string)) {\n"
            "\tvar wg sync.WaitGroup\n\tfor _, u := range urls {\n\t\twg.Add(1)\n\t\tgo func(u string) {\n"
            "\t\t\tdefer wg.Done()\n\t\t\tfetch(u)\n\t\t}(u)\n\t}\n\twg.Wait()\n}\n",
    .fix_safety = "Moving the Add right before the `go` statement (same count) is always safe.",
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
