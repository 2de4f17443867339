/* rules/wglib: sync.WaitGroup helpers shared by GD302-GD304 (see wglib.h).
 * Loops over the node array and ancestor chains only, never recursion. */
#include <string.h>

#include "wglib.h"

enum wg_op wg_call_shape(const struct gofile *f, nid call, nid *wg)
{
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return WG_NONE;
    nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fn) != N_SELECTOR_EXPRESSION) return WG_NONE;
    nid x = ast_unparen(f, ast_child(f, fn, F_OPERAND)), m = ast_child(f, fn, F_FIELD);
    if (!rl_is_path(f, x)) return WG_NONE;
    nid args = ast_child(f, call, F_ARGUMENTS);
    unsigned nargs = ast_child_count(f, args);
    enum wg_op op = WG_NONE;
    if (ast_text_is(f, m, "Done") && nargs == 0) op = WG_DONE;
    else if (ast_text_is(f, m, "Wait") && nargs == 0) op = WG_WAIT;
    else if (ast_text_is(f, m, "Add") && nargs == 1) {
        nid a = ast_unparen(f, ast_first_child(f, args));
        op = ast_kind(f, a) == N_UNARY_EXPRESSION && f->nodes[a].op == OP_SUB ? WG_DONE : WG_ADD;
    }
    if (op != WG_NONE && wg) *wg = x;
    return op;
}

bool wg_is_sync(struct pkg *p, int fi, nid path)
{
    return ltype_is(model_type_of(p, fi, path), "sync", "WaitGroup", true);
}

bool wg_call_on(const struct pkg *p, int fi, nid call, nid wg, enum wg_op op)
{
    nid x = 0;
    if (wg_call_shape(&p->files[fi], call, &x) != op) return false;
    return rl_same_path(p, fi, x, wg);
}

nid wg_call_in_func(struct pkg *p, int fi, nid call, enum wg_op op, nid *wg)
{
    const struct gofile *f = &p->files[fi];
    if (wg_call_shape(f, call, wg) != op || !wg_is_sync(p, fi, *wg)) return 0;
    nid fn = model_enclosing_func(f, call);
    return fn && ast_child(f, fn, F_BODY) ? fn : 0;
}

bool wg_calls_in(struct pkg *p, int fi, nid n, nid wg, enum wg_op op, bool may_done)
{
    const struct gofile *f = &p->files[fi];
    for (nid k = n; k < f->nodes[n].end; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        if (wg_call_on(p, fi, k, wg, op)) return true;
        if (may_done && wg_call_may_done(p, fi, k, wg)) return true;
    }
    return false;
}

nid wg_go_of_literal(const struct gofile *f, nid lit)
{
    nid call = ast_parent(f, lit);
    while (ast_kind(f, call) == N_PARENTHESIZED_EXPRESSION) call = ast_parent(f, call);
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return 0;
    if (ast_unparen(f, ast_child(f, call, F_FUNCTION)) != lit) return 0;
    nid go = ast_parent(f, call);
    return ast_kind(f, go) == N_GO_STATEMENT ? go : 0;
}

nid wg_defer_of(const struct gofile *f, nid fn, nid k)
{
    nid res = 0, a;
    for (a = ast_parent(f, k); a && a != fn; a = ast_parent(f, a)) {
        enum node_kind ak = ast_kind(f, a);
        if (ak == N_DEFER_STATEMENT) {
            res = a;
        } else if (ak == N_FUNC_LITERAL) {
            /* only `defer func(){...}()` keeps running in this function */
            nid call = ast_parent(f, a);
            while (ast_kind(f, call) == N_PARENTHESIZED_EXPRESSION) call = ast_parent(f, call);
            if (ast_kind(f, call) != N_CALL_EXPRESSION || ast_unparen(f, ast_child(f, call, F_FUNCTION)) != a) return 0;
            if (ast_kind(f, ast_parent(f, call)) != N_DEFER_STATEMENT) return 0;
        } else if (ak == N_FUNCTION_DECLARATION || ak == N_METHOD_DECLARATION) {
            return 0;
        }
    }
    return a == fn ? res : 0;
}

const struct pkg_decl *wg_callee(struct pkg *p, int fi, nid call)
{
    const struct gofile *f = &p->files[fi];
    nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fn) == N_IDENTIFIER) {
        nid d, nm;
        if (model_resolve_local(p, fi, fn, &d, &nm)) return NULL;
        if (pkg_decl_count(p, ast_text(f, fn), PD_FUNC) != 1) return NULL;
        return pkg_lookup(p, ast_text(f, fn), PD_FUNC);
    }
    if (ast_kind(f, fn) != N_SELECTOR_EXPRESSION) return NULL;
    struct ltype *t = model_type_of(p, fi, ast_child(f, fn, F_OPERAND));
    if (t && t->kind == LT_POINTER) t = t->elem;
    if (!t || t->kind != LT_NAMED || !t->pkgpath || t->pkgpath[0] || !t->name) return NULL;
    if (rl_type_declared_twice(p, t->name)) return NULL;
    return pkg_lookup_method(p, t->name, ast_text(f, ast_child(f, fn, F_FIELD)));
}

nid wg_call_arg(const struct gofile *f, nid call, int i)
{
    nid a = ast_nth_child(f, ast_child(f, call, F_ARGUMENTS), (unsigned)i);
    a = ast_unparen(f, a);
    if (ast_kind(f, a) == N_UNARY_EXPRESSION && f->nodes[a].op == OP_AND) a = ast_unparen(f, ast_first_child(f, a));
    return a;
}

size_t wg_path_text(const struct gofile *f, nid e, char *out, size_t cap)
{
    struct str s = ast_text(f, e);
    size_t n = 0;
    for (size_t i = 0; i < s.n && n + 1 < cap; i++)
        if (s.p[i] != ' ' && s.p[i] != '\t' && s.p[i] != '\n' && s.p[i] != '(' && s.p[i] != ')') out[n++] = s.p[i];
    out[n] = 0;
    return n;
}

/* Does the statement holding k sit in a statement list that also holds
 * `before` (so k's statement runs whenever `before` does, if it comes
 * first)? k must not be inside a func literal of fn. */
static bool same_or_outer_level(const struct gofile *f, nid fn, nid k, nid before)
{
    nid s = k;
    for (nid a = ast_parent(f, k); a && a != fn; s = a, a = ast_parent(f, a)) {
        enum node_kind ak = ast_kind(f, a);
        if (ak == N_FUNC_LITERAL) return false;
        if (ak == N_BLOCK || ak == N_STATEMENT_LIST) return ast_contains(f, a, before) && !ast_contains(f, s, before);
    }
    return false;
}

nid wg_add_before(struct pkg *p, int fi, nid fn, nid before, const char *want_text, nid same)
{
    const struct gofile *f = &p->files[fi];
    nid body = ast_child(f, fn, F_BODY);
    if (!body) return 0;
    char got[256];
    for (nid k = body; k < before && k < f->nodes[body].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        nid x = 0;
        if (wg_call_shape(f, k, &x) != WG_ADD) continue;
        bool match;
        if (want_text) {
            wg_path_text(f, x, got, sizeof got);
            match = !strcmp(got, want_text);
        } else {
            match = rl_same_path(p, fi, x, same);
        }
        if (match && same_or_outer_level(f, fn, k, before)) return k;
    }
    return 0;
}

/* Do identifiers a and b (same file) denote the same variable? */
static bool same_var(const struct pkg *p, int fi, nid a, nid b)
{
    const struct gofile *f = &p->files[fi];
    if (!str_eqs(ast_text(f, a), ast_text(f, b))) return false;
    nid da, na, db, nb;
    bool la = model_resolve_local(p, fi, a, &da, &na), lb = model_resolve_local(p, fi, b, &db, &nb);
    if (la != lb) return false;
    return !la || na == nb;
}

/* Does the body of same-package function or method d hold anything that
 * may do a Done: a Done / negative Add on a WaitGroup-shaped call, or a
 * call of a method on its own receiver (one level only: deeper is
 * unknown, so it counts)? */
static bool callee_may_done(struct pkg *p, const struct pkg_decl *d)
{
    const struct gofile *f = &p->files[d->file];
    nid body = ast_child(f, d->node, F_BODY);
    if (!body) return true;
    nid recv = ast_child(f, d->node, F_RECEIVER);
    for (nid k = body; k < f->nodes[body].end; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        enum wg_op op = wg_call_shape(f, k, NULL);
        if (op == WG_DONE) return true;
        nid fnx = ast_unparen(f, ast_child(f, k, F_FUNCTION));
        if (recv && ast_kind(f, fnx) == N_SELECTOR_EXPRESSION && op == WG_NONE) {
            nid root = rl_path_root(f, ast_child(f, fnx, F_OPERAND));
            nid dd, nm;
            if (root && model_resolve_local(p, d->file, root, &dd, &nm) && ast_contains(f, recv, nm)) return true;
        }
    }
    return false;
}

/* The longest selector path headed by identifier id (`s.wg` for the `s`
 * of `s.wg.Add(1)`), up to 64 selectors. */
static nid path_up(const struct gofile *f, nid id)
{
    nid top = id;
    for (int guard = 0; guard < 64; guard++) {
        nid par = ast_parent(f, top);
        while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) par = ast_parent(f, par);
        if (ast_kind(f, par) != N_SELECTOR_EXPRESSION ||
            ast_unparen(f, ast_child(f, par, F_OPERAND)) != ast_unparen(f, top))
            break;
        top = par;
    }
    return top;
}

/* Is the identifier id (in an argument or receiver) the root of a path
 * that holds wg (a prefix of it) or is held by it? */
static bool heads_wg_path(const struct gofile *f, nid id, nid wg)
{
    nid top = path_up(f, id);
    return rl_path_has_prefix(f, wg, top) || rl_path_has_prefix(f, top, wg);
}

bool wg_call_may_done(struct pkg *p, int fi, nid call, nid wg)
{
    const struct gofile *f = &p->files[fi];
    nid root = rl_path_root(f, wg);
    if (!root) return true;
    nid rd, rn;
    bool root_local = model_resolve_local(p, fi, root, &rd, &rn);
    nid fnx = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    nid x = 0;
    if (wg_call_shape(f, call, &x) != WG_NONE && rl_same_path(p, fi, x, wg)) return false;

    bool touches = false;
    /* a method called on a value holding the group */
    if (ast_kind(f, fnx) == N_SELECTOR_EXPRESSION) {
        nid opnd = ast_unparen(f, ast_child(f, fnx, F_OPERAND));
        nid r = rl_path_root(f, opnd);
        if (r && rl_is_path(f, opnd) && same_var(p, fi, r, root) && rl_path_has_prefix(f, wg, opnd)) touches = true;
    }
    /* the group, or a value holding it, passed as an argument */
    nid args = ast_child(f, call, F_ARGUMENTS);
    for (nid k = args; !touches && args && k < f->nodes[args].end; k++)
        if (ast_kind(f, k) == N_IDENTIFIER && same_var(p, fi, k, root) && heads_wg_path(f, k, wg)) touches = true;
    if (touches) {
        const struct pkg_decl *d = wg_callee(p, fi, call);
        return !d || callee_may_done(p, d);
    }
    /* a local func value made from a literal that calls Done */
    if (ast_kind(f, fnx) == N_IDENTIFIER) {
        nid d, nm;
        if (model_resolve_local(p, fi, fnx, &d, &nm)) {
            for (nid k = d; k < f->nodes[d].end; k++) {
                nid y = 0;
                if (wg_call_shape(f, k, &y) == WG_DONE && rl_same_path(p, fi, y, wg)) return true;
            }
            return false;
        }
    }
    /* a package-level group: a same-package callee may use it directly */
    if (!root_local) {
        const struct pkg_decl *d = wg_callee(p, fi, call);
        if (d) {
            const struct gofile *df = &p->files[d->file];
            for (nid k = d->node; k < df->nodes[d->node].end; k++)
                if (ast_kind(df, k) == N_IDENTIFIER && str_eqs(ast_text(df, k), ast_text(f, root))) return true;
        }
    }
    return false;
}

bool wg_escapes_in(const struct pkg *p, int fi, nid n, nid wg)
{
    const struct gofile *f = &p->files[fi];
    nid root = rl_path_root(f, wg);
    if (!root) return true;
    for (nid k = n; k < f->nodes[n].end; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER || k == root || !same_var(p, fi, k, root)) continue;
        /* the longest path headed by k */
        nid top = path_up(f, k);
        /* a path that leaves the group aside (s.name for s.wg) */
        if (!rl_path_has_prefix(f, wg, top) && !rl_path_has_prefix(f, top, wg)) continue;
        nid up = ast_parent(f, top);
        while (ast_kind(f, up) == N_PARENTHESIZED_EXPRESSION) up = ast_parent(f, up);
        /* the function part of a call: x.m() on the group or a holder */
        if (ast_kind(f, up) == N_CALL_EXPRESSION && ast_child(f, up, F_FUNCTION) == top) continue;
        if (ast_kind(f, top) == N_SELECTOR_EXPRESSION && ast_kind(f, ast_parent(f, top)) == N_CALL_EXPRESSION &&
            f->nodes[top].field == F_FUNCTION)
            continue;
        /* a method value of the group (`wg.Done` passed along): unknown timing */
        if (ast_kind(f, up) == N_UNARY_EXPRESSION && f->nodes[up].op == OP_AND) {
            up = ast_parent(f, up);
            while (ast_kind(f, up) == N_PARENTHESIZED_EXPRESSION) up = ast_parent(f, up);
        }
        /* an argument of a call */
        if (ast_kind(f, up) == N_ARGUMENT_LIST) continue;
        return true;
    }
    return false;
}

/* Done calls of a literal started by go, on the spawner's group wg. */
static int literal_dones(struct pkg *p, int fi, nid lit, nid call, nid wg)
{
    const struct gofile *f = &p->files[fi];
    nid body = ast_child(f, lit, F_BODY);
    if (!body) return 0;
    char w[256], got[256], a[256];
    wg_path_text(f, wg, w, sizeof w);
    if (wg_escapes_in(p, fi, body, wg)) return -1;
    int dones = 0;
    for (nid k = body; k < f->nodes[body].end; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        nid x = 0;
        enum wg_op op = wg_call_shape(f, k, &x);
        bool mapped = false;
        if (op != WG_NONE) {
            mapped = rl_same_path(p, fi, x, wg);
            nid root = rl_path_root(f, x);
            int pi = mapped ? -1 : model_param_index(p, fi, lit, root);
            if (pi >= 0) {
                nid arg = wg_call_arg(f, call, pi);
                if (arg && rl_is_path(f, arg)) {
                    size_t an = wg_path_text(f, arg, a, sizeof a);
                    size_t xn = wg_path_text(f, x, got, sizeof got), rn = ast_text(f, root).n;
                    if (an + xn - rn + 1 < sizeof a) {
                        memcpy(a + an, got + rn, xn - rn + 1);
                        mapped = !strcmp(a, w);
                    }
                }
            }
        }
        if (mapped) {
            if (op == WG_ADD) return -1;
            if (op != WG_DONE) continue;
            if (model_enclosing_func(f, k) != lit && !wg_defer_of(f, lit, k)) return -1;
            if (rl_enclosing_loop(f, k)) return -1;
            dones = 1;
            continue;
        }
        if (wg_call_may_done(p, fi, k, wg)) return -1;
    }
    return dones;
}

/* Done calls of a same-package function or method d started by `go call`
 * in file fi, on the spawner's group wg. */
static int callee_dones(struct pkg *p, int fi, nid call, const struct pkg_decl *d, nid wg)
{
    const struct gofile *f = &p->files[fi];
    const struct gofile *df = &p->files[d->file];
    nid body = ast_child(df, d->node, F_BODY);
    if (!body) return -1;
    char w[256], got[256], a[256];
    size_t wn = wg_path_text(f, wg, w, sizeof w);
    nid fnx = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    int dones = 0;
    for (nid k = body; k < df->nodes[body].end; k++) {
        if (ast_kind(df, k) != N_CALL_EXPRESSION) continue;
        nid x = 0;
        enum wg_op op = wg_call_shape(df, k, &x);
        /* which spawner-side value does the root of each path stand for? */
        nid paths[2] = {x, 0};
        if (op == WG_NONE) {
            /* a method called on, or an argument naming, a parameter */
            nid cf = ast_unparen(df, ast_child(df, k, F_FUNCTION));
            if (ast_kind(df, cf) == N_SELECTOR_EXPRESSION) paths[0] = ast_unparen(df, ast_child(df, cf, F_OPERAND));
            else paths[0] = 0;
        }
        bool mapped = false, holds = false;
        for (int i = 0; i < 2; i++) {
            nid pth = paths[i];
            if (!pth || !rl_is_path(df, pth)) continue;
            nid root = rl_path_root(df, pth);
            int pi = model_param_index(p, d->file, d->node, root);
            nid base = 0;
            if (pi >= 0) base = wg_call_arg(f, call, pi);
            else if (pi == -2 && ast_kind(f, fnx) == N_SELECTOR_EXPRESSION) base = ast_child(f, fnx, F_OPERAND);
            else if (pi == -1) {
                nid dd, nm;
                if (model_resolve_local(p, d->file, root, &dd, &nm)) continue;
            }
            size_t an = 0;
            if (base) {
                if (!rl_is_path(f, ast_unparen(f, base))) continue;
                an = wg_path_text(f, base, a, sizeof a);
            }
            size_t xn = wg_path_text(df, pth, got, sizeof got), rn = base ? ast_text(df, root).n : 0;
            if (an + xn - rn + 1 >= sizeof a) continue;
            memcpy(a + an, got + rn, xn - rn + 1);
            an = strlen(a);
            if (op != WG_NONE && !strcmp(a, w)) mapped = true;
            /* the value is the group or holds it */
            if (op == WG_NONE && an <= wn && !strncmp(a, w, an) && (an == wn || w[an] == '.')) holds = true;
        }
        if (mapped) {
            if (op == WG_ADD) return -1;
            if (op != WG_DONE) continue;
            if (model_enclosing_func(df, k) != d->node && !wg_defer_of(df, d->node, k)) return -1;
            if (rl_enclosing_loop(df, k)) return -1;
            dones = 1;
            continue;
        }
        if (holds) {
            const struct pkg_decl *d2 = wg_callee(p, d->file, k);
            if (!d2 || callee_may_done(p, d2)) return -1;
        }
        /* the group (or its holder) passed on as an argument */
        nid args = ast_child(df, k, F_ARGUMENTS);
        for (nid q = args; args && q < df->nodes[args].end; q++) {
            if (ast_kind(df, q) != N_IDENTIFIER) continue;
            int pi = model_param_index(p, d->file, d->node, q);
            nid base = pi >= 0 ? wg_call_arg(f, call, pi) : pi == -2 && ast_kind(f, fnx) == N_SELECTOR_EXPRESSION ? ast_child(f, fnx, F_OPERAND) : 0;
            if (!base || !rl_is_path(f, ast_unparen(f, base))) continue;
            size_t bn = wg_path_text(f, base, a, sizeof a);
            if (bn <= wn && !strncmp(a, w, bn) && (bn == wn || w[bn] == '.')) {
                const struct pkg_decl *d2 = wg_callee(p, d->file, k);
                if (!d2 || callee_may_done(p, d2)) return -1;
            }
        }
    }
    return dones;
}

/* The index of the argument of call that is the method value `wg.Done`
 * (vitess' `go scanLinesToLogger(name, r, logger, cmdWg.Done)`), -1 when
 * none, -2 when more than one. */
static int done_value_arg(struct pkg *p, int fi, nid call, nid wg)
{
    const struct gofile *f = &p->files[fi];
    nid args = ast_child(f, call, F_ARGUMENTS);
    int i = 0, found = -1;
    AST_FOR_CHILDREN(f, args, a)
    {
        nid x = ast_unparen(f, a);
        if (ast_kind(f, x) == N_SELECTOR_EXPRESSION && ast_text_is(f, ast_child(f, x, F_FIELD), "Done") &&
            rl_same_path(p, fi, ast_unparen(f, ast_child(f, x, F_OPERAND)), wg)) {
            if (found >= 0) return -2;
            found = i;
        }
        i++;
    }
    return found;
}

/* How many times callee d calls its parameter number pi (a func value):
 * 1 when once, in d's own body (or its defer) and outside loops; -1 when
 * it is used any other way. */
static int callee_calls_param(struct pkg *p, const struct pkg_decl *d, int pi)
{
    const struct gofile *df = &p->files[d->file];
    nid body = ast_child(df, d->node, F_BODY);
    if (!body) return -1;
    int calls = 0;
    for (nid k = body; k < df->nodes[body].end; k++) {
        if (ast_kind(df, k) != N_IDENTIFIER || model_param_index(p, d->file, d->node, k) != pi) continue;
        nid par = ast_parent(df, k);
        if (ast_kind(df, par) != N_CALL_EXPRESSION || ast_child(df, par, F_FUNCTION) != k) return -1;
        if (model_enclosing_func(df, par) != d->node && !wg_defer_of(df, d->node, par)) return -1;
        if (rl_enclosing_loop(df, par)) return -1;
        calls++;
    }
    return calls == 1 ? 1 : -1;
}

int wg_goroutine_dones(struct pkg *p, int fi, nid go, nid wg)
{
    const struct gofile *f = &p->files[fi];
    nid call = ast_unparen(f, ast_first_child(f, go));
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return -1;
    nid fnx = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    const struct pkg_decl *d = ast_kind(f, fnx) == N_FUNC_LITERAL ? NULL : wg_callee(p, fi, call);
    /* the method value wg.Done handed to the goroutine's function */
    int dv = done_value_arg(p, fi, call, wg);
    if (dv == -2 || (dv >= 0 && !d)) return -1;
    if (dv >= 0) return callee_calls_param(p, d, dv);
    if (ast_kind(f, fnx) == N_FUNC_LITERAL) return literal_dones(p, fi, fnx, call, wg);
    if (d) return callee_dones(p, fi, call, d, wg);
    /* an unknown callee: fine when it is given nothing holding the group
     * and is not a func value (which could be a closure over it) */
    if (ast_kind(f, fnx) == N_IDENTIFIER) {
        nid dd, nm;
        if (model_resolve_local(p, fi, fnx, &dd, &nm)) return -1;
    }
    nid root = rl_path_root(f, wg);
    if (!root) return -1;
    for (nid k = call; k < f->nodes[call].end; k++)
        if (ast_kind(f, k) == N_IDENTIFIER && same_var(p, fi, k, root)) return -1;
    if (ast_kind(f, fnx) == N_SELECTOR_EXPRESSION) {
        /* x.m() of another package's type, or a package function: neither
         * sees a group of ours unless given it (checked above); a package-
         * level group could be reached by a function value, though */
        nid dd, nm;
        if (!model_resolve_local(p, fi, root, &dd, &nm) && !model_import_path(p, fi, ast_text(f, rl_path_root(f, fnx))))
            return -1;
    }
    return 0;
}

bool wg_add_const(const struct gofile *f, nid call, long *n)
{
    nid arg = ast_first_child(f, ast_child(f, call, F_ARGUMENTS));
    return arg && !ast_next(f, arg) && model_decimal_literal(ast_text(f, ast_unparen(f, arg)), 9, n);
}
