/* rules/racelib: shared accesses of a goroutine and its spawner, joins,
 * and the pairs of accesses that can run at the same time (see racelib.h).
 *
 * For a go statement G in function F:
 *  - G's accesses: paths (`x`, `x.f.g`) rooted at a variable G shares
 *    (a local of F or an outer function captured by G's func literal, or
 *    a package variable), read or written in G's own body, and map reads
 *    and writes through such paths. Slice and array elements are not
 *    accesses of the slice (goroutines filling res[i] each touch their own
 *    element); taking the address (`&x`) is not judged.
 *  - F's accesses after the spawn: those reachable in F's CFG from the go
 *    statement on a path that passes no join (a Wait call, a receive that
 *    is not a timer or an unrelated ctx.Done, a send on a channel G uses,
 *    an atomic load, a call handed a channel or WaitGroup, a same-package
 *    callee that waits or receives, the condition of an `if g` whose body
 *    starts with a join when an `if g` with the same never reassigned
 *    guard encloses G) and no re-declaration of the variable.
 *  - other go statements of F concurrent with G (one reachable from the
 *    other that way) and G with itself when it comes back to its own go
 *    statement (a loop), unless G sits under `if k == x`, k the key of a
 *    range over a map or slice (one iteration starts it); low under `if
 *    v.ID == x`, v the range's value (the element of that identity), and
 *    for a test's fake server (a loop calling Accept() in a _test.go file);
 *    silent when each goroutine writes in its own case of a switch on its
 *    own copy of a value (switch_partitioned).
 *  - a spawner read behind `ready &&` or `if ready`, ready false on every
 *    unjoined path, is not reached before the join (read_behind_join_flag).
 * In test files every race on the test's own variables is low
 * (race_report).
 * A pair is silent when both accesses hold a lock (model_locks_held_at),
 * or the variable is used with sync/atomic. An access in a goroutine that
 * only runs after the goroutine received, sent or waited gives a low
 * confidence finding (the spawner may be the other side of it); so does a
 * spawner's access after a call on an object the goroutine shares, or
 * given the context whose cancel func the goroutine calls (hidden_join). */
#include <stdlib.h>
#include <string.h>

#include "../model/cfg.h"
#include "../model/spawn.h"
#include "../model/summary.h"
#include "racelib.h"

enum acc_kind { A_READ, A_CALL /* receiver of a method call */, A_WRITE, A_MREAD, A_MWRITE };

struct access {
    long vid;           /* local: declaring name node + 1; package variable: -(decl + 1) */
    nid node;           /* the path */
    uint8_t kind;       /* enum acc_kind */
    int block, ev;      /* position in the body's graph */
    const char *fields; /* the path after its root: ".f.g" or "" */
    int8_t held;        /* locks held: -1 not asked yet */
    /* an access of the spawner made inside a same-package method it calls
     * on the shared value (node is then the call): where, in which function */
    int via_fi;
    nid via, via_fn;
    /* go x.m(): made through m's receiver, a copy of the pointer x that
     * the go statement evaluated (rebinding x later does not touch it) */
    bool via_recv;
    const char *recv_fields; /* via_recv: the path of x (recv_prefix) */
};

/* A function body whose accesses are collected: the spawner, or a
 * goroutine (func literal, or same-package function of `go f()`). */
struct race_ctx;
struct body {
    struct race_ctx *rc;
    int fi;
    const struct gofile *f;
    nid fn;
    nid go;  /* the go statement starting it (0 for the spawner), or a call
                that runs its func literal argument in a new goroutine
                (model_spawn_call: errgroup's Go, a worker pool's Run) */
    bool lit; /* a func literal: captured locals count */
    bool many;  /* the call runs it in several goroutines at once */
    bool waits; /* the call returns only when the goroutines are done */
    /* func literals of the spawner that the goroutine's literal calls
     * through a local never reassigned (`record := func(){...}`): their
     * accesses count as the goroutine's, at the call */
    nid inl[4];
    int ninl;
    /* go x.m(): m's pointer receiver is the spawner's x (its name node,
     * x's root variable and the path after it) */
    nid recv_nm;
    long recv_vid;
    const char *recv_prefix;
    struct cfg *g;
    VEC(struct access) acc;
    uint8_t *early; /* goroutines: per block, reach from entry avoiding sync events */
};

struct race_ctx {
    struct rule_ctx *ctx;
    struct pkg *p;
    const struct gofile *f; /* the spawner's file */
    int fi;
    struct body spawner;
    struct body *gos; /* goroutines of the spawner's go statements */
    int ngos;
    long *atomic_vids;
    int natomic;
    /* the join predicate's state */
    struct body *join_for; /* the goroutine whose joins are asked */
    nid decl_stop;         /* the event declaring the variable, or 0 */
    /* a send on a channel the goroutine uses joins it: true unless the
     * goroutine's access comes after its own receive (then the send is
     * what lets it run) */
    bool sends_join;
    /* strict: calls that may synchronise through objects the goroutine
     * shares (a semaphore, a pipe, a server) count as joins too */
    bool strict;
    long cur_vid;  /* the variable judged: using it is no hidden join */
    nid skip_ev;   /* the access's own event: its calls run after it reads */
};

/* ---- variables and paths ---- */

static bool type_is_sync(const struct ltype *t)
{
    if (t && t->kind == LT_POINTER) t = t->elem;
    return t && t->kind == LT_NAMED && (!strcmp(t->pkgpath, "sync") || !strcmp(t->pkgpath, "sync/atomic"));
}

/* Identity of the variable identifier id denotes in body b, or 0 when it
 * is not a shared variable (a local of the goroutine, a declaring name,
 * a package name, a function). */
static long var_id(struct pkg *p, const struct body *b, nid id)
{
    const struct gofile *f = b->f;
    nid d, nm;
    if (model_resolve_local(p, b->fi, id, &d, &nm)) {
        if (nm == id) return 0;
        if (b->go && !b->lit) return nm == b->recv_nm ? b->recv_vid : 0; /* go f(): package variables, x of go x.m() */
        if (b->lit && ast_contains(f, b->fn, nm)) return 0; /* the goroutine's own */
        for (int i = 0; i < b->ninl; i++)
            if (ast_contains(f, b->inl[i], nm)) return 0;
        enum node_kind dk = ast_kind(f, d);
        /* loop variables: GD605's business before Go 1.22, per iteration after */
        if (dk == N_RANGE_CLAUSE) return 0;
        if (dk == N_SHORT_VAR_DECLARATION && ast_kind(f, ast_parent(f, d)) == N_FOR_CLAUSE) return 0;
        return (long)nm + 1;
    }
    struct str s = ast_text(f, id);
    if (str_eq(s, "_") || model_import_path(p, b->fi, s)) return 0;
    if (pkg_decl_count(p, s, PD_VAR) != 1) return 0;
    const struct pkg_decl *dd = pkg_lookup(p, s, PD_VAR);
    if (!dd) return 0;
    return -(long)(dd - p->decls) - 1;
}

/* Is expression e (a path) the target of an assignment, inc/dec, := that
 * reuses it, range with = or a select receive with =? */
static bool is_target(const struct gofile *f, nid e)
{
    nid par = ast_parent(f, e);
    enum node_kind pk = ast_kind(f, par);
    if (pk == N_INC_STATEMENT || pk == N_DEC_STATEMENT) return true;
    if (pk != N_EXPRESSION_LIST || f->nodes[par].field != F_LEFT) return false;
    enum node_kind sk = ast_kind(f, ast_parent(f, par));
    return sk == N_ASSIGNMENT_STATEMENT || sk == N_SHORT_VAR_DECLARATION || sk == N_RANGE_CLAUSE ||
           sk == N_RECEIVE_STATEMENT;
}

static bool is_map(struct pkg *p, int fi, nid e)
{
    struct ltype *t = model_underlying(p, model_type_of(p, fi, e));
    return t && t->kind == LT_MAP;
}

static const char *fields_of(struct pkg *p, const struct gofile *f, nid path)
{
    char buf[256];
    struct str s = ast_text(f, path);
    size_t n = 0;
    for (size_t i = 0; i < s.n && n + 1 < sizeof buf; i++)
        if (s.p[i] != ' ' && s.p[i] != '\t' && s.p[i] != '\n' && s.p[i] != '\r') buf[n++] = s.p[i];
    buf[n] = 0;
    const char *dot = strchr(buf, '.');
    return arena_strndup(&p->arena, dot ? dot : "", dot ? strlen(dot) : 0);
}

static void push(struct race_ctx *rc, struct body *b, long vid, nid path, uint8_t kind, int blk, int ev)
{
    const char *fl = fields_of(rc->p, b->f, path);
    if (b->go && !b->lit && vid == b->recv_vid) fl = arena_printf(&rc->p->arena, "%s%s", b->recv_prefix, fl);
    bool vr = b->go && !b->lit && vid == b->recv_vid;
    struct access a = {vid, path, kind, blk, ev, fl, -1, 0, 0, 0, vr, vr ? b->recv_prefix : NULL};
    vec_push(&b->acc, a);
}

/* The accesses identifier k (a use of shared variable vid) makes. */
static void classify(struct race_ctx *rc, struct body *b, nid k, long vid, int blk, int ev)
{
    const struct gofile *f = b->f;
    struct pkg *p = rc->p;
    nid q = k;
    bool call = false;
    for (;;) {
        nid par = ast_parent(f, q);
        if (ast_kind(f, par) != N_SELECTOR_EXPRESSION || f->nodes[q].field != F_OPERAND) break;
        nid gp = ast_parent(f, par);
        if (ast_kind(f, gp) == N_CALL_EXPRESSION && f->nodes[par].field == F_FUNCTION) {
            call = true;
            break;
        }
        q = par;
    }
    if (type_is_sync(model_type_of(p, b->fi, q))) return;
    if (call) {
        push(rc, b, vid, q, A_CALL, blk, ev);
        return;
    }
    nid par = ast_parent(f, q);
    enum node_kind pk = ast_kind(f, par);
    if (pk == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND) return; /* &x: not judged */
    if (pk == N_INDEX_EXPRESSION && f->nodes[q].field == F_OPERAND) {
        push(rc, b, vid, q, A_READ, blk, ev);
        if (is_map(p, b->fi, q)) push(rc, b, vid, q, is_target(f, par) ? A_MWRITE : A_MREAD, blk, ev);
        return;
    }
    if (is_target(f, q)) {
        push(rc, b, vid, q, A_WRITE, blk, ev);
        return;
    }
    if (pk == N_ARGUMENT_LIST && ast_first_child(f, par) == q) {
        nid c = ast_parent(f, par);
        bool del = model_is_builtin_call(p, b->fi, c, "delete") || model_is_builtin_call(p, b->fi, c, "clear");
        bool len = model_is_builtin_call(p, b->fi, c, "len");
        if ((del || len) && is_map(p, b->fi, q)) {
            push(rc, b, vid, q, A_READ, blk, ev);
            push(rc, b, vid, q, del ? A_MWRITE : A_MREAD, blk, ev);
            return;
        }
    }
    if (pk == N_RANGE_CLAUSE && f->nodes[q].field == F_RIGHT && is_map(p, b->fi, q)) {
        push(rc, b, vid, q, A_READ, blk, ev);
        push(rc, b, vid, q, A_MREAD, blk, ev);
        return;
    }
    push(rc, b, vid, q, A_READ, blk, ev);
}

/* Each event index e of each reachable block bl of graph g (declares
 * both; the body is one statement, a block in practice). */
#define FOR_REACHABLE_EVENTS(g, bl, e)                                                                                 \
    for (int bl = 0; bl < (g)->nblocks; bl++)                                                                          \
        if (!cfg_reachable((g), bl)) {                                                                                 \
        } else                                                                                                         \
            for (int e = 0; e < (g)->blocks[bl].nevents; e++)

/* The first node at or after k in subtree n that is neither a func literal
 * nor inside one, or 0. FOR_OUTSIDE_LITS walks subtree n so: a closure's
 * body runs at other times, so it is judged on its own. */
static nid outside_lits(const struct gofile *f, nid n, nid k)
{
    while (k < f->nodes[n].end && ast_kind(f, k) == N_FUNC_LITERAL) k = f->nodes[k].end;
    return k < f->nodes[n].end ? k : 0;
}
#define FOR_OUTSIDE_LITS(f, n, k) for (nid k = outside_lits((f), (n), (n)); k; k = outside_lits((f), (n), k + 1))

/* Is local identifier id (file fi) a variable nothing assigns after its
 * declaration within function fn, which holds its uses (no =, op=, ++,
 * := reuse, &x), nested literals included? */
static bool never_reassigned(struct pkg *p, int fi, nid fn, nid id)
{
    const struct gofile *f = &p->files[fi];
    nid d, nm;
    if (!model_resolve_local(p, fi, id, &d, &nm)) return false;
    for (nid k = fn; k < f->nodes[fn].end; k++) {
        if (k == nm || ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), ast_text(f, id))) continue;
        nid d2, nm2;
        if (!model_resolve_local(p, fi, k, &d2, &nm2) || nm2 != nm) continue;
        nid par = ast_parent(f, k);
        if (is_target(f, k)) return false;
        if (ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND) return false;
    }
    return true;
}

/* The func literal that call `k(...)` in goroutine literal b calls through
 * a local of the spawner declared `k := func...` and never reassigned,
 * else 0. */
static nid local_closure(struct race_ctx *rc, const struct body *b, nid id)
{
    const struct gofile *f = b->f;
    nid par = ast_parent(f, id);
    if (ast_kind(f, par) != N_CALL_EXPRESSION || f->nodes[id].field != F_FUNCTION) return 0;
    nid d, nm;
    if (!model_resolve_local(rc->p, b->fi, id, &d, &nm) || ast_contains(f, b->fn, nm)) return 0;
    if (ast_kind(f, d) != N_SHORT_VAR_DECLARATION) return 0;
    nid v = ast_unparen(f, model_decl_value(f, d, nm, NULL));
    if (ast_kind(f, v) != N_FUNC_LITERAL || ast_contains(f, v, b->fn)) return 0;
    return never_reassigned(rc->p, b->fi, model_enclosing_func(f, d), id) ? v : 0;
}

/* The accesses in subtree n (outside func literals), made at event e of
 * block bl; a goroutine literal's calls of local closures bring theirs. */
static void collect_in(struct race_ctx *rc, struct body *b, nid n, int bl, int e)
{
    const struct gofile *f = b->f;
    FOR_OUTSIDE_LITS(f, n, k)
    {
        if (ast_kind(f, k) != N_IDENTIFIER) continue;
        nid par = ast_parent(f, k);
        if (ast_kind(f, par) == N_LITERAL_ELEMENT && f->nodes[par].field == F_KEY) continue;
        if (ast_kind(f, par) == N_SELECTOR_EXPRESSION && f->nodes[k].field != F_OPERAND) continue;
        if (rl_ident_is_decl_name(f, k)) continue;
        nid lit;
        if (b->lit && b->go && b->ninl < (int)GD_ARRAY_LEN(b->inl) && (lit = local_closure(rc, b, k))) {
            bool seen = false;
            for (int i = 0; i < b->ninl; i++) seen |= b->inl[i] == lit;
            if (!seen) {
                b->inl[b->ninl++] = lit;
                collect_in(rc, b, ast_child(f, lit, F_BODY), bl, e);
            }
        }
        long vid = var_id(rc->p, b, k);
        if (vid) classify(rc, b, k, vid, bl, e);
    }
}

static void collect(struct race_ctx *rc, struct body *b)
{
    struct cfg *g = b->g;
    FOR_REACHABLE_EVENTS(g, bl, e) collect_in(rc, b, g->blocks[bl].events[e], bl, e);
}

/* The func literal argument that call runs in a new goroutine
 * (model_spawn_call), with *sc filled; else 0. */
static nid spawned_literal(struct pkg *p, int fi, nid call, struct spawn_call *sc)
{
    const struct gofile *f = &p->files[fi];
    nid args = ast_child(f, call, F_ARGUMENTS);
    bool any = false;
    AST_FOR_CHILDREN(f, args, a)
    {
        any |= ast_kind(f, ast_unparen(f, a)) == N_FUNC_LITERAL;
    }
    if (!any || !model_spawn_call(p, fi, call, sc)) return 0;
    int i = 0;
    AST_FOR_CHILDREN(f, args, a)
    {
        if (i < 32 && (sc->args >> i & 1) && ast_kind(f, ast_unparen(f, a)) == N_FUNC_LITERAL) {
            sc->many = sc->many >> i & 1;
            return ast_unparen(f, a);
        }
        i++;
    }
    return 0;
}

bool race_is_spawn_call(struct rule_ctx *ctx, nid call)
{
    struct spawn_call sc;
    return spawned_literal(ctx->pkg, ctx->fi, call, &sc) != 0;
}

/* The call of event ev of the spawner (outside func literals) that runs a
 * func literal in a new goroutine, else 0. */
static nid spawn_in_event(struct race_ctx *rc, nid ev)
{
    const struct gofile *f = rc->f;
    if (!memmem(f->src + f->nodes[ev].start_byte, f->nodes[ev].end_byte - f->nodes[ev].start_byte, "func", 4)) return 0;
    FOR_OUTSIDE_LITS(f, ev, k)
    {
        if (ast_kind(f, k) == N_CALL_EXPRESSION && race_is_spawn_call(rc->ctx, k)) return k;
    }
    return 0;
}

/* ---- joins and synchronisation ---- */

/* Does goroutine gb use the variable of identifier id (a name in the
 * spawner): in its go statement (arguments, func literal) or, for a package
 * variable, in the body of the function `go f()` starts? */
static bool go_mentions(struct race_ctx *rc, const struct body *gb, nid id)
{
    const struct gofile *f = rc->f;
    nid d, nm;
    bool local = model_resolve_local(rc->p, rc->fi, id, &d, &nm);
    struct str name = ast_text(f, id);
    for (nid k = gb->go; k < f->nodes[gb->go].end; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), name)) continue;
        nid d2, nm2;
        bool l2 = model_resolve_local(rc->p, rc->fi, k, &d2, &nm2);
        if (l2 == local && (!local || nm2 == nm)) return true;
    }
    if (local || gb->lit) return false;
    const struct gofile *gf = gb->f;
    for (nid k = gb->fn; k < gf->nodes[gb->fn].end; k++)
        if (ast_kind(gf, k) == N_IDENTIFIER && str_eqs(ast_text(gf, k), name)) return true;
    return false;
}

/* Does the goroutine call a local context.CancelFunc? */
static bool go_calls_local_func(struct race_ctx *rc, const struct body *gb)
{
    const struct gofile *f = gb->f;
    for (nid k = gb->fn; k < f->nodes[gb->fn].end; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
        nid d, nm;
        if (ast_kind(f, fe) == N_IDENTIFIER && model_resolve_local(rc->p, gb->fi, fe, &d, &nm) &&
            ltype_is(model_type_of(rc->p, gb->fi, fe), "context", "CancelFunc", false))
            return true;
    }
    return false;
}

/* A receive from channel expression c that cannot be the goroutine
 * signalling: a timer, or ctx.Done() when the goroutine cancels nothing. */
static bool unrelated_chan(struct race_ctx *rc, const struct gofile *f, int fi, nid c, const struct body *gb)
{
    c = ast_unparen(f, c);
    if (ast_kind(f, c) == N_CALL_EXPRESSION) {
        if (model_is_call(rc->p, fi, c, "time", "After") || model_is_call(rc->p, fi, c, "time", "Tick")) return true;
        nid fe = ast_unparen(f, ast_child(f, c, F_FUNCTION));
        if (gb && ast_kind(f, fe) == N_SELECTOR_EXPRESSION && ast_text_is(f, ast_child(f, fe, F_FIELD), "Done") &&
            ltype_is(model_type_of(rc->p, fi, ast_child(f, fe, F_OPERAND)), "context", "Context", false))
            return !go_calls_local_func(rc, gb);
        return false;
    }
    if (ast_kind(f, c) == N_SELECTOR_EXPRESSION && ast_text_is(f, ast_child(f, c, F_FIELD), "C")) {
        struct ltype *t = model_type_of(rc->p, fi, ast_child(f, c, F_OPERAND));
        return ltype_is(t, "time", "Timer", true) || ltype_is(t, "time", "Ticker", true);
    }
    return false;
}

/* Is call a call of a sync/atomic function (`atomic.AddInt64`, or a
 * dot-imported `AddInt64`)? *name gets the function's name. */
static bool atomic_call(struct pkg *p, int fi, nid call, struct str *name)
{
    const struct gofile *f = &p->files[fi];
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    nid d, nm;
    if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION) {
        nid x = ast_unparen(f, ast_child(f, fe, F_OPERAND));
        if (ast_kind(f, x) != N_IDENTIFIER) return false;
        const char *ip = model_import_path(p, fi, ast_text(f, x));
        if (!ip || strcmp(ip, "sync/atomic") || model_resolve_local(p, fi, x, &d, &nm)) return false;
        *name = ast_text(f, ast_child(f, fe, F_FIELD));
        return true;
    }
    if (ast_kind(f, fe) != N_IDENTIFIER || !model_has_dot_import(p, fi, "sync/atomic")) return false;
    if (model_resolve_local(p, fi, fe, &d, &nm) || pkg_lookup(p, ast_text(f, fe), PD_FUNC)) return false;
    *name = ast_text(f, fe);
    return true;
}

static bool acquire_name(struct str fs)
{
    return (fs.n >= 4 && !memcmp(fs.p, "Load", 4)) || (fs.n >= 14 && !memcmp(fs.p, "CompareAndSwap", 14)) ||
           (fs.n >= 4 && !memcmp(fs.p, "Swap", 4));
}

/* Does a func literal (the value of a local func variable) wait? */
static bool literal_waits(const struct gofile *f, nid lit)
{
    for (nid k = lit; k < f->nodes[lit].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW) return true;
        if (kk == N_SELECTOR_EXPRESSION && ast_text_is(f, ast_child(f, k, F_FIELD), "Wait")) return true;
    }
    return false;
}

/* Can call `call` wait for or synchronise with another goroutine? */
static bool call_syncs(struct race_ctx *rc, const struct gofile *f, int fi, nid call)
{
    struct pkg *p = rc->p;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION) {
        nid fld = ast_child(f, fe, F_FIELD), x = ast_unparen(f, ast_child(f, fe, F_OPERAND));
        struct str fs = ast_text(f, fld);
        if (ast_text_is(f, fld, "Wait")) return true;
        if (acquire_name(fs) && type_is_sync(model_type_of(p, fi, x))) return true;
    }
    struct str an;
    if (atomic_call(p, fi, call, &an) && acquire_name(an)) return true;
    if (ast_kind(f, fe) == N_IDENTIFIER) {
        nid d, nm;
        if (model_resolve_local(p, fi, fe, &d, &nm) && ast_kind(f, d) == N_SHORT_VAR_DECLARATION) {
            nid right = ast_child(f, d, F_RIGHT);
            nid v = ast_unparen(f, ast_first_child(f, right));
            if (ast_kind(f, v) == N_FUNC_LITERAL && literal_waits(f, v)) return true;
        }
    }
    /* handed a channel or a WaitGroup */
    nid args = ast_child(f, call, F_ARGUMENTS);
    AST_FOR_CHILDREN(f, args, a)
    {
        struct ltype *t = model_type_of(p, fi, a);
        struct ltype *u = model_underlying(p, t);
        if (u && u->kind == LT_CHAN) return true;
        if (ltype_is(t, "sync", "WaitGroup", true)) return true;
    }
    int d = model_callee(p, fi, call);
    if (d >= 0) {
        const struct func_summary *s = model_func_summary(p, d);
        for (int i = 0; s && i < s->neffects; i++)
            if (s->effects[i].kind == EFF_WG_WAIT || s->effects[i].kind == EFF_RECV) return true;
    }
    return false;
}

/* Types whose method calls and arguments never synchronise goroutines for
 * our purpose: test handles, contexts, basic values. */
static bool inert_type(const struct ltype *t)
{
    if (!t) return false;
    if (t->kind == LT_POINTER) t = t->elem;
    if (!t || t->kind != LT_NAMED) return false;
    if (!strcmp(t->pkgpath, "builtin") || !strcmp(t->pkgpath, "testing") || !strcmp(t->pkgpath, "context")) return true;
    return false;
}

/* The spawner's locals that the variable of identifier id is made from:
 * itself, and the locals named in its declaration (`codec :=
 * rpcClient(t, s1)` gives s1), two levels deep; test handles and
 * contexts are left out (every object of a test is made with t). */
static int origins(struct race_ctx *rc, nid id, nid *out, int n, int max, int depth)
{
    const struct gofile *f = rc->f;
    nid d, nm;
    if (n >= max || !model_resolve_local(rc->p, rc->fi, id, &d, &nm)) return n;
    if (inert_type(model_type_of(rc->p, rc->fi, id))) return n;
    for (int i = 0; i < n; i++)
        if (out[i] == nm) return n;
    out[n++] = nm;
    enum node_kind dk = ast_kind(f, d);
    if (depth >= 2 || (dk != N_SHORT_VAR_DECLARATION && dk != N_VAR_SPEC && dk != N_ASSIGNMENT_STATEMENT)) return n;
    nid right = ast_child(f, d, dk == N_VAR_SPEC ? F_VALUE : F_RIGHT);
    if (!right) return n;
    FOR_OUTSIDE_LITS(f, right, k)
    {
        if (ast_kind(f, k) != N_IDENTIFIER) continue;
        if (ast_kind(f, ast_parent(f, k)) == N_SELECTOR_EXPRESSION && f->nodes[k].field == F_FIELD) continue;
        n = origins(rc, k, out, n, max, depth + 1);
    }
    return n;
}

/* Are the spawner's variable of identifier id and some variable the
 * goroutine's go statement uses made from one local (consul's tests:
 * `codec := rpcClient(t, s1)` queried by the spawner, `state :=
 * s1.fsm.State()` changed by the goroutine, the query waiting for the
 * change)? */
static bool common_origin(struct race_ctx *rc, nid id)
{
    const struct gofile *f = rc->f;
    const struct body *gb = rc->join_for;
    nid mine[16];
    int nm = origins(rc, id, mine, 0, 16, 0);
    if (!nm) return false;
    for (nid k = gb->go; k < f->nodes[gb->go].end; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER) continue;
        if (ast_kind(f, ast_parent(f, k)) == N_SELECTOR_EXPRESSION && f->nodes[k].field == F_FIELD) continue;
        nid d, dn;
        if (!model_resolve_local(rc->p, rc->fi, k, &d, &dn) || ast_contains(f, gb->go, dn)) continue;
        if (dn == rc->cur_vid - 1) continue; /* the variable judged */
        nid theirs[16];
        int nt = origins(rc, k, theirs, 0, 16, 0);
        for (int i = 0; i < nt; i++)
            for (int j = 0; j < nm; j++)
                if (theirs[i] == mine[j]) return true;
    }
    return false;
}

/* Is the spawner's variable of identifier id an object the goroutine
 * also holds: used by it, declared in one statement with one it uses
 * (`r, w := io.Pipe()`), or made from such (`dec := NewReader(r)`)? */
static bool shared_object(struct race_ctx *rc, nid id, int depth)
{
    const struct gofile *f = rc->f;
    struct body *gb = rc->join_for;
    if (go_mentions(rc, gb, id)) return true;
    nid d, nm;
    if (depth > 1 || !model_resolve_local(rc->p, rc->fi, id, &d, &nm)) return false;
    enum node_kind dk = ast_kind(f, d);
    if (dk != N_SHORT_VAR_DECLARATION && dk != N_VAR_SPEC && dk != N_ASSIGNMENT_STATEMENT) return false;
    FOR_OUTSIDE_LITS(f, d, k)
    {
        if (ast_kind(f, k) != N_IDENTIFIER || k == nm) continue;
        if (ast_kind(f, ast_parent(f, k)) == N_SELECTOR_EXPRESSION && f->nodes[k].field == F_FIELD) continue;
        nid d2, nm2;
        if (!model_resolve_local(rc->p, rc->fi, k, &d2, &nm2)) continue;
        if (nm2 == nm) continue;
        if (d2 == d ? go_mentions(rc, gb, k) : shared_object(rc, k, depth + 1)) return true;
    }
    return false;
}

/* Is identifier id (a context the spawner hands to a call) assigned
 * somewhere in the spawner together with a context.CancelFunc the
 * goroutine calls (`ctx, cancel := context.WithCancel(...)` and `go
 * func() { cancel() }()`)? The call may return because of the cancel:
 * clickhouse-go's examples cancel a query from a goroutine, then reuse
 * cancel once the query has failed. */
static bool cancelled_context(struct race_ctx *rc, nid id)
{
    const struct gofile *f = rc->f;
    const struct body *gb = rc->join_for;
    if (ast_kind(f, id) != N_IDENTIFIER || !ltype_is(model_type_of(rc->p, rc->fi, id), "context", "Context", false))
        return false;
    const struct gofile *gf = gb->f;
    nid fn = rc->spawner.fn;
    for (nid k = gb->fn; k < gf->nodes[gb->fn].end; k++) {
        if (ast_kind(gf, k) != N_CALL_EXPRESSION) continue;
        nid fe = ast_unparen(gf, ast_child(gf, k, F_FUNCTION));
        nid d, nm;
        if (ast_kind(gf, fe) != N_IDENTIFIER || !model_resolve_local(rc->p, gb->fi, fe, &d, &nm) ||
            !ltype_is(model_type_of(rc->p, gb->fi, fe), "context", "CancelFunc", false))
            continue;
        struct str cn = ast_text(gf, fe);
        for (nid a = fn; a < f->nodes[fn].end; a++) {
            enum node_kind ak = ast_kind(f, a);
            if (ak != N_SHORT_VAR_DECLARATION && ak != N_ASSIGNMENT_STATEMENT) continue;
            nid left = ast_child(f, a, F_LEFT);
            bool has_ctx = false, has_cancel = false;
            AST_FOR_CHILDREN(f, left, x)
            {
                if (ast_kind(f, x) != N_IDENTIFIER) continue;
                if (str_eqs(ast_text(f, x), ast_text(f, id))) has_ctx = true;
                if (str_eqs(ast_text(f, x), cn)) has_cancel = true;
            }
            if (has_ctx && has_cancel) return true;
        }
    }
    return false;
}

/* A call in event ev that may wait for the goroutine through an object it
 * shares (its receiver or an argument): `sem.Acquire(ctx, n)` when the
 * goroutine releases sem, `http.Post(url, typ, r)` when it writes to the
 * pipe's other end. Not a proof of a join, so it only lowers confidence. */
static bool hidden_join(struct race_ctx *rc, nid ev)
{
    const struct gofile *f = rc->f;
    FOR_OUTSIDE_LITS(f, ev, k)
    {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
        nid objs[9];
        int no = 0;
        if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION) objs[no++] = ast_child(f, fe, F_OPERAND);
        else if (ast_kind(f, fe) == N_IDENTIFIER && !pkg_lookup(rc->p, ast_text(f, fe), PD_FUNC)) {
            nid d, nm;
            if (!model_resolve_local(rc->p, rc->fi, fe, &d, &nm)) continue; /* a builtin */
        }
        nid args = ast_child(f, k, F_ARGUMENTS);
        AST_FOR_CHILDREN(f, args, a)
        {
            if (no < (int)GD_ARRAY_LEN(objs)) objs[no++] = a;
        }
        for (int i = 0; i < no; i++) {
            nid o = ast_unparen(f, objs[i]);
            if (ast_kind(f, o) == N_UNARY_EXPRESSION && f->nodes[o].op == OP_AND) o = ast_child(f, o, F_OPERAND);
            nid root = rl_path_root(f, o);
            if (!root) continue;
            if (model_import_path(rc->p, rc->fi, ast_text(f, root))) {
                nid d, nm;
                if (!model_resolve_local(rc->p, rc->fi, root, &d, &nm)) continue;
            }
            if (cancelled_context(rc, o)) return true;
            if (inert_type(model_type_of(rc->p, rc->fi, root)) || inert_type(model_type_of(rc->p, rc->fi, o))) continue;
            struct body tmp = rc->spawner;
            if (var_id(rc->p, &tmp, root) == rc->cur_vid) continue;
            if (shared_object(rc, root, 0) || common_origin(rc, root)) return true;
        }
    }
    return false;
}

static bool is_join(void *ud, nid ev);

/* The guard of a correlated if: `x` or `!x`, x a local of the spawner that
 * is never reassigned; its identifier, else 0. */
static nid guard_ident(struct race_ctx *rc, nid ifs)
{
    const struct gofile *f = rc->f;
    if (ast_child(f, ifs, F_INITIALIZER)) return 0;
    nid c = ast_unparen(f, ast_child(f, ifs, F_CONDITION));
    if (ast_kind(f, c) == N_UNARY_EXPRESSION && f->nodes[c].op == OP_NOT) c = ast_unparen(f, ast_child(f, c, F_OPERAND));
    if (ast_kind(f, c) != N_IDENTIFIER || !never_reassigned(rc->p, rc->fi, rc->spawner.fn, c)) return 0;
    return c;
}

/* Is if-condition event ev a join for the goroutine through a guard it
 * shares with the go statement: `if load { go work() }` ... `if load {
 * <-done }`, the guard never reassigned? Control that started the
 * goroutine takes the second if's body too, so a join among its first
 * simple statements (before any use of the variable judged) is passed on
 * every feasible path; the path that skips it is infeasible. */
static bool guarded_join(struct race_ctx *rc, nid ev)
{
    const struct gofile *f = rc->f;
    nid ifs = ast_parent(f, ev);
    if (ast_kind(f, ifs) != N_IF_STATEMENT || f->nodes[ev].field != F_CONDITION) return false;
    nid gi = guard_ident(rc, ifs);
    if (!gi) return false;
    struct str ct = ast_text(f, ast_child(f, ifs, F_CONDITION));
    /* an if with the same guard around the go statement, in the spawner */
    nid go = rc->join_for->go, child = go;
    bool found = false;
    for (nid a = ast_parent(f, go); a && a != rc->spawner.fn; child = a, a = ast_parent(f, a)) {
        if (ast_kind(f, a) == N_FUNC_LITERAL) return false;
        if (ast_kind(f, a) != N_IF_STATEMENT || a == ifs || f->nodes[child].field != F_CONSEQUENCE) continue;
        nid g2 = guard_ident(rc, a);
        if (g2 && str_eqs(ast_text(f, ast_child(f, a, F_CONDITION)), ct) && rl_same_path(rc->p, rc->fi, g2, gi)) {
            found = true;
            break;
        }
    }
    if (!found || ast_contains(f, ifs, go)) return false;
    struct body tmp = rc->spawner;
    for (nid s = rl_first_stmt(f, ast_child(f, ifs, F_CONSEQUENCE)); s; s = ast_next(f, s)) {
        enum node_kind sk = ast_kind(f, s);
        if (sk != N_EXPRESSION_STATEMENT && sk != N_ASSIGNMENT_STATEMENT && sk != N_SHORT_VAR_DECLARATION) return false;
        if (is_join(rc, s)) return true;
        FOR_OUTSIDE_LITS(f, s, k)
        {
            if (ast_kind(f, k) == N_IDENTIFIER && var_id(rc->p, &tmp, k) == rc->cur_vid) return false;
        }
    }
    return false;
}

/* Is spawner event ev a join for goroutine rc->join_for, or the variable's
 * declaration? */
static bool is_join(void *ud, nid ev)
{
    struct race_ctx *rc = ud;
    const struct gofile *f = rc->f;
    if (ev == rc->decl_stop) return true;
    enum node_kind ek = ast_kind(f, ev);
    if (ek == N_GO_STATEMENT || ek == N_DEFER_STATEMENT || spawn_in_event(rc, ev)) return false;
    if (rc->strict && ev != rc->skip_ev && hidden_join(rc, ev)) return true;
    if (guarded_join(rc, ev)) return true;
    FOR_OUTSIDE_LITS(f, ev, k)
    {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW) {
            if (!unrelated_chan(rc, f, rc->fi, ast_child(f, k, F_OPERAND), rc->join_for)) return true;
        } else if (kk == N_RANGE_CLAUSE) {
            struct ltype *t = model_underlying(rc->p, model_type_of(rc->p, rc->fi, ast_child(f, k, F_RIGHT)));
            if (t && t->kind == LT_CHAN) return true;
        } else if (kk == N_SEND_STATEMENT && rc->sends_join) {
            nid root = rl_path_root(f, ast_child(f, k, F_CHANNEL));
            if (!root || go_mentions(rc, rc->join_for, root)) return true;
        } else if (kk == N_CALL_EXPRESSION) {
            if (call_syncs(rc, f, rc->fi, k)) return true;
        }
    }
    return false;
}

/* Is goroutine event ev a synchronisation (receive, send, wait)? */
static bool is_sync(void *ud, nid ev)
{
    struct body *b = ud;
    const struct gofile *f = b->f;
    enum node_kind ek = ast_kind(f, ev);
    if (ek == N_GO_STATEMENT || ek == N_DEFER_STATEMENT) return false;
    FOR_OUTSIDE_LITS(f, ev, k)
    {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW) return true;
        if (kk == N_SEND_STATEMENT) return true;
        if (kk == N_RANGE_CLAUSE) {
            struct ltype *t = model_underlying(b->rc->p, model_type_of(b->rc->p, b->fi, ast_child(f, k, F_RIGHT)));
            if (!t || t->kind == LT_CHAN) return true;
        }
        if (kk == N_CALL_EXPRESSION && call_syncs(b->rc, f, b->fi, k)) return true;
    }
    return false;
}

/* ---- reach ---- */

/* Can control get from event ig of block bg to event i of block b without
 * a stop event (the access's own event included)? out: cfg_reach_avoiding
 * from (bg, ig). */
static bool reached(const struct cfg *g, const uint8_t *out, int bg, int ig, int b, int i, bool (*stop)(void *, nid),
                    void *ud)
{
    const struct cfg_block *cb = &g->blocks[b];
    if (b == bg && i > ig) {
        bool ok = true;
        for (int e = ig + 1; e <= i && ok; e++)
            if (stop(ud, cb->events[e])) ok = false;
        if (ok) return true;
    }
    if (!(out[b] & CFG_REACH_ENTERED)) return false;
    for (int e = 0; e <= i; e++)
        if (stop(ud, cb->events[e])) return false;
    return true;
}

static bool early(const struct body *b, const struct access *a)
{
    if (!b->early) return true;
    if (!(b->early[a->block] & CFG_REACH_ENTERED)) return false;
    const struct cfg_block *cb = &b->g->blocks[a->block];
    for (int e = 0; e <= a->ev; e++)
        if (is_sync((void *)b, cb->events[e])) return false;
    return true;
}

/* A Lock or RLock call before node `at` in body b (not in nested
 * literals) on something the lock dataflow does not follow: a sync.Locker
 * (`c.L.Lock()`), a type of unknown or another package's own Lock method.
 * Then a lock may be held at `at`. */
static bool other_lock_before(struct race_ctx *rc, const struct body *b, nid at)
{
    const struct gofile *f = b->f;
    nid body = ast_child(f, b->fn, F_BODY);
    if (!body) return false;
    for (nid k = body; k < at && k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL && !ast_contains(f, k, at)) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk != N_CALL_EXPRESSION) continue;
        nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
        if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) continue;
        nid fld = ast_child(f, fe, F_FIELD);
        if (!ast_text_is(f, fld, "Lock") && !ast_text_is(f, fld, "RLock")) continue;
        struct ltype *t = model_type_of(rc->p, b->fi, ast_child(f, fe, F_OPERAND));
        if (ltype_is(t, "sync", "Mutex", true) || ltype_is(t, "sync", "RWMutex", true)) continue;
        return true;
    }
    return false;
}

static int held(struct race_ctx *rc, struct body *b, struct access *a)
{
    if (a->held < 0) {
        struct held_lock hl[4];
        /* an access inside a local closure the goroutine calls: the locks
         * the closure holds there, else those held at the call */
        struct body lb = *b;
        for (int i = 0; i < b->ninl; i++)
            if (ast_contains(b->f, b->inl[i], a->node)) lb.fn = b->inl[i];
        a->held = (int8_t)model_locks_held_at(rc->p, b->fi, lb.fn, a->node, hl, 4);
        if (!a->held && other_lock_before(rc, &lb, a->node)) a->held = 1;
        if (!a->held && lb.fn != b->fn) {
            nid ev = b->g->blocks[a->block].events[a->ev];
            a->held = (int8_t)model_locks_held_at(rc->p, b->fi, b->fn, ev, hl, 4);
            if (!a->held && other_lock_before(rc, b, ev)) a->held = 1;
        }
        if (!a->held && a->via) {
            struct body cb = *b;
            cb.fi = a->via_fi;
            cb.f = &rc->p->files[a->via_fi];
            cb.fn = a->via_fn;
            a->held = (int8_t)model_locks_held_at(rc->p, cb.fi, cb.fn, a->via, hl, 4);
            if (!a->held && other_lock_before(rc, &cb, a->via)) a->held = 1;
        }
    }
    return a->held;
}

/* ---- bodies ---- */

/* For b, the body of method decl called as x.m(...) by `call` in the
 * spawner: when m has a pointer receiver and x is a path of a variable,
 * the receiver's fields are x's fields. */
static void map_receiver(struct race_ctx *rc, struct body *b, nid call)
{
    const struct gofile *f = rc->f;
    const struct gofile *cf = &rc->p->files[b->fi];
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION || ast_kind(cf, b->fn) != N_METHOD_DECLARATION) return;
    nid recv = ast_child(cf, b->fn, F_RECEIVER);
    nid pd = recv ? ast_first_child(cf, recv) : 0;
    nid rname = pd ? ast_child(cf, pd, F_NAME) : 0;
    nid rtype = pd ? ast_child(cf, pd, F_TYPE) : 0;
    nid x = ast_unparen(f, ast_child(f, fe, F_OPERAND));
    if (!rname || !rtype || ast_kind(cf, rtype) != N_POINTER_TYPE || !rl_is_path(f, x)) return;
    struct body tmp = rc->spawner;
    tmp.go = 0;
    tmp.lit = false;
    long v = var_id(rc->p, &tmp, rl_path_root(f, x));
    if (!v) return;
    b->recv_nm = rname;
    b->recv_vid = v;
    b->recv_prefix = fields_of(rc->p, f, x);
}

static bool vid_in(const struct body *b, long vid)
{
    for (size_t i = 0; i < b->acc.len; i++)
        if (b->acc.items[i].vid == vid) return true;
    return false;
}

/* The spawner's accesses made inside same-package methods it calls on a
 * value the goroutine G shares (`s.stats()` reading s.count): one level
 * deep, receiver fields only, recorded at the call. */
static void collect_calls(struct race_ctx *rc, struct body *sp, const struct body *G)
{
    const struct gofile *f = sp->f;
    struct cfg *g = sp->g;
    FOR_REACHABLE_EVENTS(g, bl, e)
    {
        nid ev = g->blocks[bl].events[e];
        enum node_kind ek = ast_kind(f, ev);
        if (ek == N_GO_STATEMENT || ek == N_DEFER_STATEMENT) continue;
        FOR_OUTSIDE_LITS(f, ev, k)
        {
            if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
            nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
            if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) continue;
            nid x = ast_unparen(f, ast_child(f, fe, F_OPERAND));
            if (!rl_is_path(f, x)) continue;
            struct body tmp = *sp;
            long v = var_id(rc->p, &tmp, rl_path_root(f, x));
            if (!v || !vid_in(G, v)) continue;
            int d = model_callee(rc->p, rc->fi, k);
            if (d < 0) continue;
            struct body cb;
            memset(&cb, 0, sizeof cb);
            cb.rc = rc;
            cb.fi = rc->p->decls[d].file;
            cb.f = &rc->p->files[cb.fi];
            cb.fn = rc->p->decls[d].node;
            cb.go = k; /* marks a callee body: receiver fields only */
            if (!ast_child(cb.f, cb.fn, F_BODY) || cb.fn == G->fn) continue;
            map_receiver(rc, &cb, k);
            if (!cb.recv_vid) continue;
            cb.g = cfg_build(rc->p, cb.fi, cb.fn);
            collect(rc, &cb);
            for (size_t i = 0; i < cb.acc.len; i++) {
                struct access a = cb.acc.items[i];
                if (a.vid != cb.recv_vid) continue;
                a.via_fi = cb.fi;
                a.via = a.node;
                a.via_fn = cb.fn;
                a.via_recv = false; /* the spawner's own call reads x itself */
                a.node = k;
                a.block = bl;
                a.ev = e;
                vec_push(&sp->acc, a);
            }
            vec_free(&cb.acc);
            cfg_free(cb.g);
        }
    }
}

static bool body_init(struct race_ctx *rc, struct body *b, nid go)
{
    memset(b, 0, sizeof *b);
    b->rc = rc;
    const struct gofile *f = rc->f;
    b->go = go;
    struct spawn_call sc;
    nid call = ast_kind(f, go) == N_CALL_EXPRESSION ? go : ast_unparen(f, ast_first_child(f, go));
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return false;
    nid fe = call == go ? spawned_literal(rc->p, rc->fi, go, &sc) : ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (call == go) {
        if (!fe) return false;
        b->many = sc.many;
        b->waits = sc.waits;
    }
    if (ast_kind(f, fe) == N_FUNC_LITERAL) {
        b->fi = rc->fi;
        b->fn = fe;
        b->lit = true;
    } else {
        int d = model_callee(rc->p, rc->fi, call);
        if (d < 0) return false;
        b->fi = rc->p->decls[d].file;
        b->fn = rc->p->decls[d].node;
        const struct gofile *cf = &rc->p->files[b->fi];
        if (!ast_child(cf, b->fn, F_BODY)) return false;
        map_receiver(rc, b, call);
    }
    b->f = &rc->p->files[b->fi];
    b->g = cfg_build(rc->p, b->fi, b->fn);
    collect(rc, b);
    b->early = xcalloc((size_t)b->g->nblocks + 1, 1);
    cfg_reach_avoiding(b->g, b->g->entry, -1, is_sync, b, b->early);
    return true;
}

static void body_free(struct body *b)
{
    vec_free(&b->acc);
    free(b->early);
    if (b->g) cfg_free(b->g);
}

/* Variables used with sync/atomic functions in the spawner (and its
 * literals) or the goroutine bodies. */
static void atomic_vars(struct race_ctx *rc, struct body *b, nid from)
{
    const struct gofile *f = b->f;
    for (nid k = from; k < f->nodes[from].end; k++) {
        struct str an;
        if (ast_kind(f, k) != N_CALL_EXPRESSION || !atomic_call(rc->p, b->fi, k, &an)) continue;
        nid args = ast_child(f, k, F_ARGUMENTS);
        nid a0 = ast_first_child(f, args);
        nid root = a0 ? rl_path_root(f, ast_unparen(f, a0)) : 0;
        if (ast_kind(f, ast_unparen(f, a0)) == N_UNARY_EXPRESSION)
            root = rl_path_root(f, ast_child(f, ast_unparen(f, a0), F_OPERAND));
        if (!root) continue;
        struct body tmp = *b;
        tmp.go = 0; /* any variable, shared or not */
        tmp.lit = false;
        long vid = var_id(rc->p, &tmp, root);
        if (!vid) continue;
        rc->atomic_vids = xrealloc(rc->atomic_vids, sizeof(long) * (size_t)(rc->natomic + 1));
        rc->atomic_vids[rc->natomic++] = vid;
    }
}

static bool is_atomic_var(const struct race_ctx *rc, long vid)
{
    for (int i = 0; i < rc->natomic; i++)
        if (rc->atomic_vids[i] == vid) return true;
    return false;
}

/* ---- conflicts ---- */

static bool fields_prefix(const char *a, const char *b)
{
    size_t n = strlen(a);
    return !strncmp(a, b, n) && (b[n] == 0 || b[n] == '.');
}

/* Does write w (kind RACE_VAR: A_WRITE; RACE_MAP: A_MWRITE) conflict with
 * access o? */
static bool conflicts(const struct access *w, const struct access *o, enum race_kind kind)
{
    if (w->vid != o->vid) return false;
    /* `go x.m()` then `x = other`: the goroutine holds the old pointer */
    if (o->via_recv && w->kind == A_WRITE && !w->via_recv && fields_prefix(w->fields, o->recv_fields)) return false;
    if (w->via_recv && o->kind == A_WRITE && !o->via_recv && fields_prefix(o->fields, w->recv_fields)) return false;
    if (kind == RACE_MAP) return w->kind == A_MWRITE && (o->kind == A_MWRITE || o->kind == A_MREAD) && !strcmp(w->fields, o->fields);
    if (w->kind != A_WRITE) return false;
    if (o->kind == A_WRITE) return fields_prefix(w->fields, o->fields) || fields_prefix(o->fields, w->fields);
    if (o->kind == A_READ || o->kind == A_CALL) return fields_prefix(w->fields, o->fields);
    return false;
}

static bool is_write(const struct access *a, enum race_kind kind)
{
    return kind == RACE_MAP ? a->kind == A_MWRITE : a->kind == A_WRITE;
}

/* The spawner event declaring local variable vid, or 0. */
static nid decl_event(struct race_ctx *rc, long vid)
{
    if (vid < 0) return 0;
    int b, e;
    if (!cfg_event_pos(rc->spawner.g, (nid)(vid - 1), &b, &e)) return 0;
    return rc->spawner.g->blocks[b].events[e];
}

/* Reach from go statement `go` (an event of the spawner) avoiding the joins
 * of goroutine gb and variable vid's declaration. out: nblocks bytes. */
static bool reach_from(struct race_ctx *rc, struct body *gb, long vid, uint8_t *out, int *bg, int *ig)
{
    struct cfg *g = rc->spawner.g;
    memset(out, 0, (size_t)g->nblocks);
    if (!cfg_event_pos(g, gb->go, bg, ig)) return false;
    rc->join_for = gb;
    rc->decl_stop = decl_event(rc, vid);
    cfg_reach_avoiding(g, *bg, *ig, is_join, rc, out);
    return true;
}

/* Is goroutine access a guarded by an if whose condition (or its init
 * statement) calls a method of a value the goroutines share, or a
 * sync/atomic function: a gate (TryLock, CompareAndSwap, a rate limiter,
 * a throttled logger) that may admit one goroutine at a time? */
static bool gated(struct race_ctx *rc, const struct body *b, const struct access *a)
{
    const struct gofile *f = b->f;
    for (nid x = ast_parent(f, a->node); x && x != b->fn; x = ast_parent(f, x)) {
        if (ast_kind(f, x) != N_IF_STATEMENT) continue;
        nid cond = ast_child(f, x, F_CONDITION), init = ast_child(f, x, F_INITIALIZER);
        nid parts[2] = {cond, init};
        for (int i = 0; i < 2; i++) {
            if (!parts[i] || ast_contains(f, parts[i], a->node)) continue;
            FOR_OUTSIDE_LITS(f, parts[i], k)
            {
                if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
                struct str an;
                if (atomic_call(rc->p, b->fi, k, &an)) return true;
                nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
                if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) continue;
                nid root = rl_path_root(f, ast_unparen(f, ast_child(f, fe, F_OPERAND)));
                if (root && var_id(rc->p, b, root)) return true;
            }
        }
    }
    return false;
}

/* Is identifier id a use of the variable declared by name node nm? */
static bool denotes(struct race_ctx *rc, nid id, nid nm)
{
    nid d, n2;
    return ast_kind(rc->f, id) == N_IDENTIFIER && model_resolve_local(rc->p, rc->fi, id, &d, &n2) && n2 == nm;
}

/* Does any statement of subtree `in` assign the variable of path root id
 * (=, op=, ++, := reuse, &x)? */
static bool assigned_in(struct race_ctx *rc, nid in, nid id)
{
    const struct gofile *f = rc->f;
    nid d, nm;
    if (!model_resolve_local(rc->p, rc->fi, id, &d, &nm)) {
        /* a package variable: any assignment by name */
        for (nid k = in; k < f->nodes[in].end; k++)
            if (ast_kind(f, k) == N_IDENTIFIER && str_eqs(ast_text(f, k), ast_text(f, id)) &&
                (is_target(f, k) || (ast_kind(f, ast_parent(f, k)) == N_SELECTOR_EXPRESSION && is_target(f, ast_parent(f, k)))))
                return true;
        return false;
    }
    for (nid k = in; k < f->nodes[in].end; k++) {
        if (!denotes(rc, k, nm)) continue;
        nid q = k;
        while (ast_kind(f, ast_parent(f, q)) == N_SELECTOR_EXPRESSION && f->nodes[q].field == F_OPERAND) q = ast_parent(f, q);
        if (is_target(f, q)) return true;
        for (nid x = k; x != q; x = ast_parent(f, x))
            if (is_target(f, x)) return true;
        nid par = ast_parent(f, q);
        if (ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND) return true;
    }
    return false;
}

/* Is e a field of the variable declared by name node val (`v.ID`, not
 * `v.a.b()`)? */
static bool val_field(struct race_ctx *rc, nid e, nid val)
{
    const struct gofile *f = rc->f;
    return ast_kind(f, e) == N_SELECTOR_EXPRESSION && denotes(rc, ast_unparen(f, ast_child(f, e, F_OPERAND)), val);
}

/* Does go statement `go` start at most one goroutine per run of the
 * spawner although it sits in a loop: under `if k == x` where k is the
 * key of the only loop around it, a range over a map, slice, array,
 * string or integer (each key comes once; of unknown type, a range with
 * two variables), and x is not assigned in the loop (vitess' `if alias ==
 * primaryAlias { go populate() }`)? 1 then. 2 when the if compares a field
 * of the range's value instead (`if v.DeploymentID == localID`, minio's
 * site replication): the element of that identity, usually one, but
 * nothing proves the field unique. 0 otherwise. */
static int one_iteration(struct race_ctx *rc, nid go)
{
    const struct gofile *f = rc->f;
    nid loop = rl_enclosing_loop(f, go);
    if (!loop || rl_enclosing_loop(f, loop)) return false;
    nid rc_ = 0;
    AST_FOR_CHILDREN(f, loop, c)
    {
        if (ast_kind(f, c) == N_RANGE_CLAUSE) rc_ = c;
    }
    if (!rc_ || f->nodes[rc_].op != OP_DEFINE) return false;
    nid left = ast_child(f, rc_, F_LEFT);
    nid key = left ? ast_first_child(f, left) : 0;
    if (!key || ast_kind(f, key) != N_IDENTIFIER) return false;
    nid val = ast_next(f, key);
    if (val && (ast_kind(f, val) != N_IDENTIFIER || ast_text_is(f, val, "_"))) val = 0;
    if (ast_text_is(f, key, "_")) {
        if (!val) return false;
        key = 0;
    }
    struct ltype *t = model_underlying(rc->p, model_type_of(rc->p, rc->fi, ast_child(f, rc_, F_RIGHT)));
    /* of unknown type (another package's result): two variables rule out
     * a channel; an iter.Seq2 yielding one key twice is left aside */
    if (t ? t->kind == LT_CHAN || t->kind == LT_FUNC : !val) return false;
    nid body = ast_child(f, loop, F_BODY);
    if (key && assigned_in(rc, body, key)) key = 0;
    if (val && assigned_in(rc, body, val)) val = 0;
    if (!key && !val) return false;
    int level = 0;
    nid child = go;
    for (nid a = ast_parent(f, go); a && a != loop; child = a, a = ast_parent(f, a)) {
        if (ast_kind(f, a) != N_IF_STATEMENT || f->nodes[child].field != F_CONSEQUENCE) continue;
        nid c = ast_unparen(f, ast_child(f, a, F_CONDITION));
        if (ast_kind(f, c) != N_BINARY_EXPRESSION || f->nodes[c].op != OP_EQL) continue;
        nid l = ast_unparen(f, ast_child(f, c, F_LEFT)), r = ast_unparen(f, ast_child(f, c, F_RIGHT));
        int lv = 1;
        nid other = key && denotes(rc, l, key) ? r : key && denotes(rc, r, key) ? l : 0;
        if (!other && val) {
            lv = 2;
            other = val_field(rc, l, val) ? r : val_field(rc, r, val) ? l : 0;
        }
        if (!other || (lv == 2 && val_field(rc, other, val))) continue;
        bool invariant = false;
        if (ast_kind(f, other) == N_CALL_EXPRESSION && lv == 2) {
            /* a call of no arguments (`globalDeploymentID()`) */
            invariant = !ast_first_child(f, ast_child(f, other, F_ARGUMENTS));
        } else if (rl_is_path(f, other)) {
            nid root = rl_path_root(f, other);
            invariant = !(key && denotes(rc, root, key)) && !assigned_in(rc, body, root);
        } else if (ast_kind(f, other) == N_INTERPRETED_STRING_LITERAL || ast_kind(f, other) == N_INT_LITERAL ||
                   ast_kind(f, other) == N_RAW_STRING_LITERAL) {
            invariant = true;
        }
        if (!invariant) continue;
        if (lv == 1) return 1;
        level = 2;
    }
    return level;
}

/* Does condition c, or one of its && conjuncts, say `name == 1`? */
static bool says_one(const struct gofile *f, nid c, struct str name)
{
    c = ast_unparen(f, c);
    if (ast_kind(f, c) != N_BINARY_EXPRESSION) return false;
    nid l = ast_unparen(f, ast_child(f, c, F_LEFT)), r = ast_unparen(f, ast_child(f, c, F_RIGHT));
    if (f->nodes[c].op == OP_LAND) return says_one(f, l, name) || says_one(f, r, name);
    if (f->nodes[c].op != OP_EQL) return false;
    if (ast_kind(f, l) == N_INT_LITERAL) {
        nid t = l;
        l = r;
        r = t;
    }
    return ast_kind(f, l) == N_IDENTIFIER && str_eqs(ast_text(f, l), name) && ast_kind(f, r) == N_INT_LITERAL &&
           ast_text_is(f, r, "1");
}

/* Is goroutine access a (of the goroutines that `go` starts in a loop
 * `for i := 0; i < n; i++`) under `if n == 1 {...}` (and maybe more
 * conditions): then one goroutine runs it (vitess' vtclient: `if count
 * == 1 && parallel == 1 { all = qr }`)? */
static bool single_goroutine_guard(struct race_ctx *rc, const struct body *G, const struct access *a, nid go)
{
    const struct gofile *f = rc->f;
    nid loop = rl_enclosing_loop(f, go), clause = 0;
    AST_FOR_CHILDREN(f, loop, c)
    {
        if (ast_kind(f, c) == N_FOR_CLAUSE) clause = c;
    }
    nid cond = clause ? ast_unparen(f, ast_child(f, clause, F_CONDITION)) : 0;
    if (!cond || ast_kind(f, cond) != N_BINARY_EXPRESSION || f->nodes[cond].op != OP_LSS) return false;
    nid bound = ast_unparen(f, ast_child(f, cond, F_RIGHT));
    if (ast_kind(f, bound) != N_IDENTIFIER) return false;
    const struct gofile *gf = G->f;
    nid child = a->node;
    for (nid x = ast_parent(gf, a->node); x && x != G->fn; child = x, x = ast_parent(gf, x))
        if (ast_kind(gf, x) == N_IF_STATEMENT && gf->nodes[child].field == F_CONSEQUENCE &&
            says_one(gf, ast_child(gf, x, F_CONDITION), ast_text(f, bound)))
            return true;
    return false;
}

/* Is goroutine access a (of the goroutines that `go` starts in a loop) a
 * write in a case of `switch v { case A: ... }`, v a variable each
 * goroutine has its own of (declared in the loop's body: `status := s`,
 * or a parameter of the goroutine's literal), the case values constants
 * or names, and no other case of the switch writing the same path? Then
 * each goroutine takes the case of its own value and writes its own
 * field (kubo's `case Queued: pc.Queued = n; case Pinning: pc.Pinning =
 * n`). Values repeated across iterations would break it; a range over
 * distinct statuses is what this shape is written for. */
static bool switch_partitioned(struct race_ctx *rc, const struct body *G, const struct access *a, nid go)
{
    const struct gofile *f = rc->f;
    if (G->fi != rc->fi) return false;
    nid loop = rl_enclosing_loop(f, go);
    nid body = loop ? ast_child(f, loop, F_BODY) : 0;
    if (!body) return false;
    nid cs = 0;
    for (nid x = ast_parent(f, a->node); x && x != G->fn; x = ast_parent(f, x)) {
        if (ast_kind(f, x) == N_FUNC_LITERAL) return false;
        if (ast_kind(f, x) == N_EXPRESSION_CASE) {
            cs = x;
            break;
        }
    }
    nid sw = cs ? ast_parent(f, cs) : 0;
    if (!sw || ast_kind(f, sw) != N_EXPRESSION_SWITCH_STATEMENT) return false;
    nid tag = ast_unparen(f, ast_child(f, sw, F_VALUE)), d, dn;
    if (!tag || ast_kind(f, tag) != N_IDENTIFIER || !model_resolve_local(rc->p, rc->fi, tag, &d, &dn)) return false;
    if (!ast_contains(f, body, dn) || !never_reassigned(rc->p, rc->fi, model_enclosing_func(f, dn), tag)) return false;
    nid vals = ast_child(f, cs, F_VALUE);
    if (!vals) return false;
    AST_FOR_CHILDREN(f, vals, v)
    {
        nid u = ast_unparen(f, v);
        enum node_kind k = ast_kind(f, u);
        if (k != N_IDENTIFIER && k != N_SELECTOR_EXPRESSION && k != N_INT_LITERAL &&
            k != N_INTERPRETED_STRING_LITERAL && k != N_RAW_STRING_LITERAL)
            return false;
    }
    struct str path = ast_text(f, a->node);
    AST_FOR_CHILDREN(f, sw, c2)
    {
        if (c2 == cs || (ast_kind(f, c2) != N_EXPRESSION_CASE && ast_kind(f, c2) != N_DEFAULT_CASE)) continue;
        for (nid k = c2; k < f->nodes[c2].end; k++)
            if (rl_is_path(f, k) && is_target(f, k) && str_eqs(ast_text(f, k), path)) return false;
    }
    return true;
}

/* Is identifier c, or a conjunct of `c1 && c2`, the local declared by
 * name node dn? */
static nid flag_conjunct(struct race_ctx *rc, nid c)
{
    const struct gofile *f = rc->f;
    c = ast_unparen(f, c);
    if (ast_kind(f, c) == N_BINARY_EXPRESSION && f->nodes[c].op == OP_LAND) {
        nid l = flag_conjunct(rc, ast_child(f, c, F_LEFT));
        return l ? l : flag_conjunct(rc, ast_child(f, c, F_RIGHT));
    }
    return ast_kind(f, c) == N_IDENTIFIER ? c : 0;
}

/* Is local flag (an identifier of the spawner) false on every path from
 * the go statement (block bg, event ig; reach in out) that passes no
 * join: declared `flag := false` or `var flag bool`, and every other
 * assignment of it comes after the go statement, outside func literals,
 * at a point only a join leads to (`case r := <-done: ready = r`)? */
static bool flag_false_unjoined(struct race_ctx *rc, nid flag, const uint8_t *out, int bg, int ig)
{
    const struct gofile *f = rc->f;
    struct body *sp = &rc->spawner;
    nid d, dn;
    if (!model_resolve_local(rc->p, rc->fi, flag, &d, &dn) || model_enclosing_func(f, dn) != sp->fn) return false;
    bool bare;
    nid v = model_decl_value(f, d, dn, &bare);
    if (!bare && !(v && ast_text_is(f, ast_unparen(f, v), "false"))) return false;
    nid go = rc->join_for->go;
    for (nid k = sp->fn; k < f->nodes[sp->fn].end; k++) {
        if (k == dn || ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), ast_text(f, flag))) continue;
        nid d2, dn2;
        if (!model_resolve_local(rc->p, rc->fi, k, &d2, &dn2) || dn2 != dn) continue;
        nid par = ast_parent(f, k);
        if (ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND) return false;
        if (!is_target(f, k)) continue;
        if (model_enclosing_func(f, k) != sp->fn || f->nodes[k].start_byte < f->nodes[go].end_byte) return false;
        int b, i;
        if (!cfg_event_pos(sp->g, k, &b, &i)) return false;
        if (reached(sp->g, out, bg, ig, b, i, is_join, rc)) return false;
    }
    return true;
}

/* Is spawner access a read only when a flag says the goroutine was
 * joined: on the right of `flag && ...`, or in the body of `if flag
 * {...}`, flag false on every unjoined path (flag_false_unjoined)? kubo's
 * `return daemonReady && migrationStarted`, daemonReady set only in the
 * `case r := <-done` of a select whose other case is a timeout. */
static bool read_behind_join_flag(struct race_ctx *rc, const struct access *a, const uint8_t *out, int bg, int ig)
{
    const struct gofile *f = rc->f;
    nid child = a->node;
    for (nid x = ast_parent(f, a->node); x && x != rc->spawner.fn; child = x, x = ast_parent(f, x)) {
        enum node_kind k = ast_kind(f, x);
        if (k == N_FUNC_LITERAL) return false;
        nid cond = 0;
        if (k == N_BINARY_EXPRESSION && f->nodes[x].op == OP_LAND && f->nodes[child].field == F_RIGHT)
            cond = ast_child(f, x, F_LEFT);
        else if (k == N_IF_STATEMENT && f->nodes[child].field == F_CONSEQUENCE)
            cond = ast_child(f, x, F_CONDITION);
        if (!cond) continue;
        /* every identifier conjunct is a candidate */
        for (nid c = cond; c < f->nodes[cond].end; c++) {
            if (ast_kind(f, c) != N_IDENTIFIER || flag_conjunct(rc, c) != c) continue;
            nid up = ast_parent(f, c);
            while (up != cond && ast_kind(f, up) == N_PARENTHESIZED_EXPRESSION) up = ast_parent(f, up);
            bool conj = c == ast_unparen(f, cond) ||
                        (ast_kind(f, up) == N_BINARY_EXPRESSION && f->nodes[up].op == OP_LAND);
            for (nid q = up; conj && c != ast_unparen(f, cond) && q != cond; q = ast_parent(f, q))
                if (ast_kind(f, q) != N_PARENTHESIZED_EXPRESSION &&
                    !(ast_kind(f, q) == N_BINARY_EXPRESSION && f->nodes[q].op == OP_LAND))
                    conj = false;
            if (conj && flag_false_unjoined(rc, c, out, bg, ig)) return true;
        }
    }
    return false;
}

/* Is go statement `go` the per-connection goroutine of a fake server in a
 * test: in a _test.go file, in a loop that calls Accept() (tailscale's
 * fakeBIRD)? The test decides how many clients dial, usually one. */
static bool test_accept_loop(struct race_ctx *rc, nid go)
{
    const struct gofile *f = rc->f;
    nid loop = rl_enclosing_loop(f, go);
    if (!loop || !rl_is_test_file(f)) return false;
    FOR_OUTSIDE_LITS(f, loop, k)
    {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
        if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION && ast_text_is(f, ast_child(f, fe, F_FIELD), "Accept") &&
            !ast_first_child(f, ast_child(f, k, F_ARGUMENTS)))
            return true;
    }
    return false;
}

static bool spawner_locked_by_caller(const struct race_ctx *rc)
{
    nid fn = rc->spawner.fn;
    const struct gofile *f = rc->f;
    if (ast_kind(f, fn) == N_FUNC_LITERAL) return false;
    struct str s = ast_text(f, ast_child(f, fn, F_NAME));
    return model_name_says_locked(s);
}

/* Variables already reported, per side. */
struct done_set {
    long vid[3][32];
    int n[3];
};
static bool done_has(const struct done_set *d, int side, long v)
{
    for (int i = 0; i < d->n[side]; i++)
        if (d->vid[side][i] == v) return true;
    return false;
}
static void done_add(struct done_set *d, int side, long v)
{
    if (d->n[side] < 32) d->vid[side][d->n[side]++] = v;
}

static int add_race(struct race *out, int n, int max, struct race r)
{
    if (n < max) out[n++] = r;
    return n;
}

int race_find(struct rule_ctx *ctx, nid go, enum race_kind kind, struct race *out, int max)
{
    struct race_ctx rc;
    memset(&rc, 0, sizeof rc);
    rc.ctx = ctx;
    rc.p = ctx->pkg;
    rc.f = ctx->f;
    rc.fi = ctx->fi;
    const struct gofile *f = ctx->f;
    nid fn = model_enclosing_func(f, go);
    if (!fn) return 0;
    struct body *sp = &rc.spawner;
    sp->rc = &rc;
    sp->fi = rc.fi;
    sp->f = f;
    sp->fn = fn;
    sp->g = cfg_build(rc.p, rc.fi, fn);
    int gbk, gev;
    if (!cfg_event_pos(sp->g, go, &gbk, &gev) || !cfg_reachable(sp->g, gbk)) {
        cfg_free(sp->g);
        return 0;
    }
    /* the goroutines of all go statements of the spawner (own graph) */
    int self = -1;
    FOR_REACHABLE_EVENTS(sp->g, bl, e)
    {
        nid ev = sp->g->blocks[bl].events[e];
        if (ast_kind(f, ev) != N_GO_STATEMENT && !(ev = spawn_in_event(&rc, ev))) continue;
        rc.gos = xrealloc(rc.gos, sizeof *rc.gos * (size_t)(rc.ngos + 1));
        if (!body_init(&rc, &rc.gos[rc.ngos], ev)) {
            body_free(&rc.gos[rc.ngos]);
            continue;
        }
        if (ev == go) self = rc.ngos;
        rc.ngos++;
    }
    int n = 0;
    if (self < 0 || !rc.gos[self].acc.len) goto done;
    collect(&rc, sp);
    collect_calls(&rc, sp, &rc.gos[self]);
    atomic_vars(&rc, sp, fn);
    for (int i = 0; i < rc.ngos; i++)
        if (rc.gos[i].fi != rc.fi) atomic_vars(&rc, &rc.gos[i], rc.gos[i].fn);

    struct body *G = &rc.gos[self];
    uint8_t *out_g = xcalloc((size_t)sp->g->nblocks + 1, 1);
    uint8_t *out_o = xcalloc((size_t)sp->g->nblocks + 1, 1);
    uint8_t *out_h = xcalloc((size_t)sp->g->nblocks + 1, 1);
    /* one finding per variable and side */
    struct done_set ds;
    memset(&ds, 0, sizeof ds);
#define DONE(side, v) done_has(&ds, side, v)
#define MARK(side, v) done_add(&ds, side, v)

    for (size_t wi = 0; wi < G->acc.len; wi++) {
        struct access *w = &G->acc.items[wi];
        if (is_atomic_var(&rc, w->vid)) continue;
        int bg, ig;
        bool w_early = early(G, w);
        rc.sends_join = w_early;
        rc.cur_vid = w->vid;
        rc.strict = true;
        bool ok = reach_from(&rc, G, w->vid, out_h, &bg, &ig);
        rc.strict = false;
        if (!ok) continue;
        if (!reach_from(&rc, G, w->vid, out_g, &bg, &ig)) continue;

        /* the goroutine and the spawner after the spawn: the first
         * conflicting access, preferring one with no possible hidden join */
        if (!DONE(RS_SPAWNER, w->vid) && !G->waits) {
            bool gw = is_write(w, kind);
            bool gr = kind == RACE_MAP ? w->kind == A_MREAD : (w->kind == A_READ || w->kind == A_CALL);
            struct access *best = NULL;
            bool best_low = true;
            for (size_t ai = 0; ai < sp->acc.len; ai++) {
                struct access *a = &sp->acc.items[ai];
                bool c = gw ? conflicts(w, a, kind) : gr && is_write(a, kind) && conflicts(a, w, kind);
                if (!c) continue;
                if (!reached(sp->g, out_g, bg, ig, a->block, a->ev, is_join, &rc)) continue;
                if (read_behind_join_flag(&rc, a, out_g, bg, ig)) continue;
                int hw = held(&rc, G, w), ha = held(&rc, sp, a);
                if (hw && ha) continue;
                bool low = !w_early || (hw && spawner_locked_by_caller(&rc));
                if (!low) {
                    rc.skip_ev = sp->g->blocks[a->block].events[a->ev];
                    rc.strict = true;
                    low = !reached(sp->g, out_h, bg, ig, a->block, a->ev, is_join, &rc);
                    rc.strict = false;
                    rc.skip_ev = 0;
                }
                bool better = !best || (best_low && !low) ||
                              (best_low == low && sp->f->nodes[a->node].start_byte < sp->f->nodes[best->node].start_byte);
                if (better) {
                    best = a;
                    best_low = low;
                }
            }
            if (best) {
                const struct gofile *nf = gw ? G->f : f;
                nid nn = gw ? w->node : best->node;
                struct race r = {RS_SPAWNER, best_low, best->node, is_write(best, kind), w->node, G->fi, gw, go, 0,
                                 arena_strndup(&rc.p->arena, ast_text(nf, nn).p, ast_text(nf, nn).n), 0, 0, NULL};
                if (best->via) {
                    const struct gofile *vf = &rc.p->files[best->via_fi];
                    struct str fname = ast_text(vf, ast_child(vf, best->via_fn, F_NAME));
                    r.via_fi = best->via_fi;
                    r.via = best->via;
                    r.via_func = arena_strndup(&rc.p->arena, fname.p, fname.n);
                    if (!gw) r.name = arena_strndup(&rc.p->arena, ast_text(vf, best->via).p, ast_text(vf, best->via).n);
                }
                n = add_race(out, n, max, r);
                MARK(RS_SPAWNER, w->vid);
            }
        }
        if (!is_write(w, kind)) continue;

        /* the goroutines one go statement starts in a loop */
        int once = 0;
        if (!DONE(RS_SELF, w->vid) &&
            (G->many || ((out_g[bg] & CFG_REACH_ENTERED) && (once = one_iteration(&rc, go)) != 1 &&
                         reached(sp->g, out_g, bg, ig, bg, ig, is_join, &rc))) &&
            !held(&rc, G, w) && !single_goroutine_guard(&rc, G, w, go) && !switch_partitioned(&rc, G, w, go)) {
            struct race r = {RS_SELF, !w_early || once == 2 || gated(&rc, G, w) || test_accept_loop(&rc, go),
                             w->node, true, 0, G->fi, true, go, 0,
                             arena_strndup(&rc.p->arena, ast_text(G->f, w->node).p, ast_text(G->f, w->node).n), 0, 0,
                             NULL};
            /* reported in the goroutine's body: only in the spawner's file */
            if (G->fi == rc.fi) n = add_race(out, n, max, r);
            MARK(RS_SELF, w->vid);
        }

        /* other goroutines of the same function */
        if (DONE(RS_OTHER, w->vid)) continue;
        for (int oi = 0; oi < rc.ngos && !DONE(RS_OTHER, w->vid); oi++) {
            if (oi == self) continue;
            struct body *O = &rc.gos[oi];
            if (O->fi != rc.fi) continue; /* reported in the spawner's file */
            int ob, oe;
            bool conc = false;
            if (cfg_event_pos(sp->g, O->go, &ob, &oe)) {
                rc.join_for = G;
                rc.decl_stop = decl_event(&rc, w->vid);
                conc = !G->waits && reached(sp->g, out_g, bg, ig, ob, oe, is_join, &rc);
                if (!conc && !O->waits) {
                    int b2, i2;
                    if (reach_from(&rc, O, w->vid, out_o, &b2, &i2))
                        conc = reached(sp->g, out_o, b2, i2, bg, ig, is_join, &rc);
                    /* restore the predicate's state for G */
                    rc.join_for = G;
                    rc.decl_stop = decl_event(&rc, w->vid);
                }
            }
            if (!conc) continue;
            for (size_t ai = 0; ai < O->acc.len; ai++) {
                struct access *a = &O->acc.items[ai];
                if (!conflicts(w, a, kind)) continue;
                if (is_write(a, kind) && O->go < go) continue; /* found from the earlier go statement */
                int hw = held(&rc, G, w), ha = held(&rc, O, a);
                if (hw && ha) continue;
                struct race r = {RS_OTHER, !w_early || !early(O, a), a->node, is_write(a, kind), w->node, G->fi, true,
                                 go, O->go, arena_strndup(&rc.p->arena, ast_text(G->f, w->node).p, ast_text(G->f, w->node).n),
                                 0, 0, NULL};
                n = add_race(out, n, max, r);
                MARK(RS_OTHER, w->vid);
                break;
            }
        }
    }
#undef DONE
#undef MARK
    free(out_g);
    free(out_o);
    free(out_h);
done:
    for (int i = 0; i < rc.ngos; i++) body_free(&rc.gos[i]);
    free(rc.gos);
    free(rc.atomic_vids);
    body_free(sp);
    return n;
}

void race_report(struct rule_ctx *ctx, nid go, enum race_kind kind, const struct race_words *w)
{
    struct race rs[16];
    int nr = race_find(ctx, go, kind, rs, 16);
    const struct gofile *f = ctx->f;
    uint32_t go_line = f->nodes[go].line;
    for (int i = 0; i < nr; i++) {
        const struct race *r = &rs[i];
        enum confidence conf = r->low ? CONF_LOW : CONF_HIGH;
        /* a test's own variables: `go test -race` runs this code, and on
         * code godark was not tuned on few such findings held (3 of 18) */
        if (kind == RACE_VAR && rl_is_test_file(f)) conf = CONF_LOW;
        struct finding *fd = NULL;
        const struct gofile *tf = &ctx->pkg->files[r->there_fi];
        uint32_t there_line = r->there ? tf->nodes[r->there].line : 0;
        const char *in = r->via ? arena_printf(&ctx->pkg->arena, " (inside %s)", r->via_func) : "";
        const char *what = r->here_write && r->there_write ? w->ww : w->rw;
        const char *verb = r->here_write ? "written" : "read";
        switch (r->side) {
        case RS_SPAWNER:
            if (r->there_write)
                fd = rule_report_conf(ctx, r->here, conf,
                                      "%s%s is written by the goroutine started at line %u (line %u) and %s here%s by "
                                      "the spawner after the spawn, with no lock or join in between: %s",
                                      w->noun, r->name, go_line, there_line, verb, in, what);
            else
                fd = rule_report_conf(ctx, r->here, conf,
                                      "%s%s is written here%s by the spawner after starting the goroutine at line %u, "
                                      "which reads it (line %u), with no lock or join in between: %s",
                                      w->noun, r->name, in, go_line, there_line, what);
            rule_related_in(ctx, fd, r->there_fi, r->there, "the goroutine %s %s%s here",
                            r->there_write ? "writes" : "reads", w->noun, r->name);
            break;
        case RS_SELF: {
            struct spawn_call sc = {0};
            if (ast_kind(f, go) == N_CALL_EXPRESSION && spawned_literal(ctx->pkg, ctx->fi, go, &sc) && sc.many) {
                struct str callee = ast_text(f, ast_child(f, go, F_FUNCTION));
                fd = rule_report_conf(ctx, r->here, conf,
                                      "%s%s is written by the func literal that %.*s (line %u) runs in several goroutines "
                                      "at once, with no lock: %s",
                                      w->noun, r->name, (int)callee.n, callee.p, go_line, w->self);
            } else {
                fd = rule_report_conf(ctx, r->here, conf,
                                      "%s%s is written by every goroutine the loop starts at line %u, with no lock: %s",
                                      w->noun, r->name, go_line, w->self);
            }
            break;
        }
        case RS_OTHER:
            fd = rule_report_conf(ctx, r->here, conf,
                                  "%s%s is written by the goroutine started at line %u (line %u) and %s here by the "
                                  "goroutine started at line %u, with no lock at both places: %s",
                                  w->noun, r->name, go_line, there_line, verb, f->nodes[r->go_here].line, what);
            rule_related_in(ctx, fd, r->there_fi, r->there, "the other goroutine writes %s%s here", w->noun, r->name);
            break;
        }
        if (r->via)
            rule_related_in(ctx, fd, r->via_fi, r->via, "the spawner %s %s%s here, inside %s (called at line %u)",
                            r->here_write ? "writes" : "reads", w->noun, r->name, r->via_func,
                            f->nodes[r->here].line);
        rule_related(ctx, fd, go, "the goroutine is started here");
        fd->fix = xasprintf("guard every access to %s%s with %s", w->noun, r->name, w->fix_tail);
    }
}
