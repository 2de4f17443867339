/* model/spawn: calls that run a func argument in a new goroutine (see
 * spawn.h).
 *
 * A function of the package spawns its parameter k when a go statement of
 * its body calls k (`go k(x)`, or `go func(){ ... k(e) ... }()` with no
 * receive or Wait() before the call: a queue whose goroutine first waits
 * for the previous task's turn runs them one at a time), or when it passes
 * k (or a func literal calling k) to another spawning call. Several at
 * once: that go statement or call sits in a loop of the body with no
 * receive or Wait() in the loop (a retry loop that takes each result
 * before the next try runs one at a time; so does a loop around an inner
 * call that joins its goroutine before returning), or the inner call runs
 * it several at once. It waits when a Wait() call (a WaitGroup's, an
 * errgroup's) or a receive follows the go statement outside func
 * literals. Solved per declaration on first use; a cycle of functions
 * handing the parameter around sees no spawn at the call that closes it. */
#include <string.h>

#include "spawn.h"
#include "summary.h"

enum { SP_NEW, SP_BUSY, SP_DONE };

struct spawn_fn {
    uint8_t state;
    struct spawn_call sc;
};

int model_param_index(const struct pkg *p, int fi, nid fn, nid id)
{
    const struct gofile *f = &p->files[fi];
    nid d = 0, nm = 0;
    if (!model_resolve_local(p, fi, id, &d, &nm)) return -1;
    nid recv = ast_kind(f, fn) == N_METHOD_DECLARATION ? ast_child(f, fn, F_RECEIVER) : 0;
    if (recv && ast_contains(f, recv, nm)) return -2;
    nid params = ast_child(f, fn, F_PARAMETERS);
    if (!params || !ast_contains(f, params, nm)) return -1;
    int i = 0;
    AST_FOR_CHILDREN(f, params, pd)
    {
        if (ast_kind(f, pd) != N_PARAMETER_DECLARATION) return -1;
        AST_FOR_CHILDREN(f, pd, c)
        {
            if (f->nodes[c].field != F_NAME) continue;
            if (c == nm) return i;
            i++;
        }
    }
    return -1;
}

/* Is node k a synchronisation with the goroutines: a Wait() call (a
 * WaitGroup's, an errgroup's) or a receive? */
static bool is_sync(const struct gofile *f, nid k)
{
    if (ast_kind(f, k) == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW) return true;
    if (ast_kind(f, k) != N_CALL_EXPRESSION || ast_first_child(f, ast_child(f, k, F_ARGUMENTS))) return false;
    nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
    return ast_kind(f, fe) == N_SELECTOR_EXPRESSION && ast_text_is(f, ast_child(f, fe, F_FIELD), "Wait");
}

/* Is there a synchronisation (is_sync) in subtree n, outside func
 * literals, at or after byte offset from? */
static bool syncs_in(const struct gofile *f, nid n, uint32_t from)
{
    for (nid k = n; n && k < f->nodes[n].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (f->nodes[k].start_byte >= from && is_sync(f, k)) return true;
    }
    return false;
}

/* Is there a synchronisation before the call of the parameter in go
 * literal `lit` (it waits for an earlier task, a queue's turn)? */
static bool ordered_call(const struct gofile *f, nid lit, nid pcall)
{
    nid body = ast_child(f, lit, F_BODY);
    for (nid k = body; body && k < pcall; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL || ast_kind(f, k) == N_DEFER_STATEMENT) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (is_sync(f, k)) return true;
    }
    return false;
}

/* The parameter of fn (file fi) that expression e calls or is: `k` itself,
 * or a func literal whose body calls k; -1 when neither. */
static int spawned_param(const struct pkg *p, int fi, nid fn, nid e)
{
    const struct gofile *f = &p->files[fi];
    e = ast_unparen(f, e);
    if (ast_kind(f, e) == N_IDENTIFIER) return model_param_index(p, fi, fn, e);
    if (ast_kind(f, e) != N_FUNC_LITERAL) return -1;
    for (nid k = e; k < f->nodes[e].end; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        nid ce = ast_unparen(f, ast_child(f, k, F_FUNCTION));
        int pi = ast_kind(f, ce) == N_IDENTIFIER ? model_param_index(p, fi, fn, ce) : -1;
        if (pi >= 0) return ordered_call(f, e, k) ? -1 : pi;
    }
    return -1;
}

/* Does a loop of fn's own body (not crossing a func literal) start node n
 * again and again with no synchronisation in its body (a retry loop that
 * receives each goroutine's result before starting the next does not)? */
static bool in_loop(const struct gofile *f, nid fn, nid n)
{
    nid child = n;
    for (nid a = ast_parent(f, n); a && a != fn; child = a, a = ast_parent(f, a)) {
        if (ast_kind(f, a) == N_FUNC_LITERAL) return false;
        if (ast_kind(f, a) == N_FOR_STATEMENT && f->nodes[child].field == F_BODY)
            return !syncs_in(f, child, f->nodes[child].start_byte);
    }
    return false;
}

static void mark(struct spawn_call *sc, int pi, bool many)
{
    if (pi < 0 || pi >= 32) return;
    sc->args |= 1u << pi;
    if (many) sc->many |= 1u << pi;
}

static void solve(struct pkg *p, int d, struct spawn_fn *t)
{
    struct spawn_fn *sf = &t[d];
    sf->state = SP_BUSY;
    int fi = p->decls[d].file;
    const struct gofile *f = &p->files[fi];
    nid fn = p->decls[d].node;
    nid body = ast_child(f, fn, F_BODY);
    nid params = ast_child(f, fn, F_PARAMETERS);
    if (body && params && ast_first_child(f, params)) {
        bool waits = true;
        for (nid k = body; k < f->nodes[body].end; k++) {
            int pi = -1;
            bool many = false;
            if (ast_kind(f, k) == N_GO_STATEMENT) {
                nid call = ast_unparen(f, ast_first_child(f, k));
                if (ast_kind(f, call) == N_CALL_EXPRESSION) pi = spawned_param(p, fi, fn, ast_child(f, call, F_FUNCTION));
            } else if (ast_kind(f, k) == N_CALL_EXPRESSION) {
                struct spawn_call inner;
                if (!model_spawn_call(p, fi, k, &inner)) continue;
                int ai = 0;
                AST_FOR_CHILDREN(f, ast_child(f, k, F_ARGUMENTS), a)
                {
                    if (ai < 32 && (inner.args >> ai & 1) && (pi = spawned_param(p, fi, fn, a)) >= 0) {
                        many = inner.many >> ai & 1;
                        break;
                    }
                    ai++;
                }
                if (pi >= 0 && inner.waits) {
                    /* joined inside the call: a loop around it runs one
                     * call's goroutines after another's */
                    mark(&sf->sc, pi, many);
                    continue;
                }
            }
            if (pi < 0) continue;
            mark(&sf->sc, pi, many || in_loop(f, fn, k));
            if (!syncs_in(f, body, f->nodes[k].end_byte)) waits = false;
        }
        sf->sc.waits = sf->sc.args && waits;
    }
    sf->state = SP_DONE;
}

bool model_spawn_call(struct pkg *p, int fi, nid call, struct spawn_call *out)
{
    const struct gofile *f = &p->files[fi];
    memset(out, 0, sizeof *out);
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION && ast_text_is(f, ast_child(f, fe, F_FIELD), "Go")) {
        struct ltype *t = model_type_of(p, fi, ast_child(f, fe, F_OPERAND));
        if (ltype_is(t, "golang.org/x/sync/errgroup", "Group", true) || ltype_is(t, "sync", "WaitGroup", true)) {
            out->args = 1;
            return true;
        }
    }
    int d = model_callee(p, fi, call);
    if (d < 0) return false;
    struct spawn_fn *t = p->rule_cache[PKG_CACHE_SPAWNS];
    if (!t) {
        t = arena_alloc(&p->arena, sizeof(*t) * (size_t)(p->ndecls + 1));
        memset(t, 0, sizeof(*t) * (size_t)(p->ndecls + 1));
        p->rule_cache[PKG_CACHE_SPAWNS] = t;
    }
    if (t[d].state == SP_NEW) solve(p, d, t);
    if (t[d].state != SP_DONE || !t[d].sc.args) return false;
    *out = t[d].sc;
    return true;
}
