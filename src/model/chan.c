/* model/chan: tracking a channel value from its make to every send,
 * receive, range and close, and to the goroutines that do them (chan.h). */
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "summary.h"

#define MAX_CALL_DEPTH 3
#define MAX_LITS 16

struct tracker {
    struct pkg *p;
    struct chan_info *c;
    VEC(struct chop) ops;
    bool returns_ok; /* `return ch` in the creator itself is no escape (constructors) */
};

static void escape(struct tracker *t, int fi, nid at)
{
    if (!t->c->escapes) {
        t->c->escapes = true;
        t->c->escape_at = at;
        t->c->escape_fi = fi;
    }
}

bool chan_is_make(const struct pkg *p, int fi, nid call)
{
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return false;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_IDENTIFIER || !ast_text_is(f, fe, "make")) return false;
    nid args = ast_child(f, call, F_ARGUMENTS);
    nid t = ast_first_child(f, args);
    while (ast_kind(f, t) == N_PARENTHESIZED_TYPE) t = ast_first_child(f, t);
    if (ast_kind(f, t) != N_CHANNEL_TYPE) return false;
    return model_is_builtin_call(p, fi, call, "make");
}

/* An int literal, or a constant (local or package-level) declared with one. */
static long const_int(const struct pkg *p, int fi, nid e)
{
    const struct gofile *f = &p->files[fi];
    e = ast_unparen(f, e);
    long v;
    if (ast_kind(f, e) == N_INT_LITERAL) return model_decimal_literal(ast_text(f, e), 9, &v) ? v : -1;
    if (ast_kind(f, e) != N_IDENTIFIER) return -1;
    nid d = 0, nm = 0;
    int dfi = fi;
    if (!model_resolve_local(p, fi, e, &d, &nm)) {
        const struct pkg_decl *pd = pkg_lookup(p, ast_text(f, e), PD_CONST);
        if (!pd || pkg_decl_count(p, ast_text(f, e), -1) != 1) return -1;
        dfi = pd->file;
        d = pd->node;
        nm = pd->name_node;
    }
    const struct gofile *df = &p->files[dfi];
    if (ast_kind(df, d) != N_CONST_SPEC) return -1;
    /* the value at the name's position in `const a, b = 1, 2` */
    nid v0 = model_decl_value(df, d, nm, NULL);
    if (ast_kind(df, ast_unparen(df, v0)) != N_INT_LITERAL) return -1;
    return model_decimal_literal(ast_text(df, ast_unparen(df, v0)), 9, &v) ? v : -1;
}

nid chan_enclosing_loop(const struct gofile *f, nid n)
{
    for (nid a = ast_parent(f, n); a; a = ast_parent(f, a)) {
        enum node_kind k = ast_kind(f, a);
        if (k == N_FUNC_LITERAL || k == N_FUNCTION_DECLARATION || k == N_METHOD_DECLARATION) return 0;
        if (k == N_FOR_STATEMENT) {
            /* a node in the loop's header (its range clause, condition) is
             * in the loop only when it is the body's */
            nid body = ast_child(f, a, F_BODY);
            if (body && ast_contains(f, body, n)) return a;
        }
    }
    return 0;
}

/* p NULL: int literals only; else also named constants (const_int) */
static long loop_trips(const struct pkg *p, int fi, const struct gofile *f, nid loop)
{
    nid clause = 0, range = 0;
    AST_FOR_CHILDREN(f, loop, c)
    {
        if (ast_kind(f, c) == N_FOR_CLAUSE) clause = c;
        if (ast_kind(f, c) == N_RANGE_CLAUSE) range = c;
    }
    long v;
    if (range) {
        nid r = ast_unparen(f, ast_child(f, range, F_RIGHT));
        if (ast_kind(f, r) == N_COMPOSITE_LITERAL) { /* `range []string{"a", "b"}`: its elements */
            nid body = ast_child(f, r, F_BODY);
            long n = 0;
            AST_FOR_CHILDREN(f, body, el)
            {
                enum node_kind ek = ast_kind(f, el);
                if (ek == N_KEYED_ELEMENT) {
                    if (ast_kind(f, ast_child(f, r, F_TYPE)) != N_MAP_TYPE)
                        return -1; /* `[...]T{5: x}`: indexes set the length */
                    n++;
                } else if (ek == N_LITERAL_ELEMENT)
                    n++;
            }
            return n;
        }
        if (p) return const_int(p, fi, r);
        return ast_kind(f, r) == N_INT_LITERAL && model_decimal_literal(ast_text(f, r), 9, &v) ? v : -1;
    }
    if (!clause) return -1;
    nid init = ast_child(f, clause, F_INITIALIZER), cond = ast_child(f, clause, F_CONDITION),
        upd = ast_child(f, clause, F_UPDATE);
    if (ast_kind(f, init) != N_SHORT_VAR_DECLARATION || ast_kind(f, cond) != N_BINARY_EXPRESSION ||
        ast_kind(f, upd) != N_INC_STATEMENT)
        return -1;
    nid l = ast_child(f, init, F_LEFT), r = ast_child(f, init, F_RIGHT);
    if (ast_child_count(f, l) != 1 || ast_child_count(f, r) != 1) return -1;
    nid iv = ast_first_child(f, l), i0 = ast_first_child(f, r);
    if (ast_kind(f, i0) != N_INT_LITERAL || !ast_text_is(f, i0, "0")) return -1;
    nid cl = ast_child(f, cond, F_LEFT), cr = ast_child(f, cond, F_RIGHT);
    if (f->nodes[cond].op != OP_LSS || !str_eqs(ast_text(f, cl), ast_text(f, iv))) return -1;
    if (!str_eqs(ast_text(f, ast_first_child(f, upd)), ast_text(f, iv))) return -1;
    if (p) return const_int(p, fi, cr);
    if (ast_kind(f, ast_unparen(f, cr)) != N_INT_LITERAL) return -1;
    return model_decimal_literal(ast_text(f, ast_unparen(f, cr)), 9, &v) ? v : -1;
}

long chan_loop_trips(const struct gofile *f, nid loop) { return loop_trips(NULL, 0, f, loop); }

long chan_loop_trips_const(const struct pkg *p, int fi, nid loop) { return loop_trips(p, fi, &p->files[fi], loop); }

uint8_t chan_select_of(const struct gofile *f, nid n)
{
    nid x = n, par = ast_parent(f, n);
    if (ast_kind(f, par) == N_RECEIVE_STATEMENT || ast_kind(f, par) == N_EXPRESSION_STATEMENT) {
        x = par;
        par = ast_parent(f, par);
    }
    if (ast_kind(f, par) != N_COMMUNICATION_CASE || f->nodes[x].field != F_COMMUNICATION) return CHSEL_NONE;
    nid sel = ast_parent(f, par);
    int ncases = 0;
    bool def = false;
    AST_FOR_CHILDREN(f, sel, c)
    {
        if (ast_kind(f, c) == N_COMMUNICATION_CASE) ncases++;
        if (ast_kind(f, c) == N_DEFAULT_CASE) def = true;
    }
    if (def) return CHSEL_DEFAULT;
    return ncases > 1 ? CHSEL_OTHERS : CHSEL_ALONE;
}

/* Is n under a defer statement of its own function (or inside a deferred
 * func literal)? */
static bool is_deferred(const struct gofile *f, nid n, nid fn)
{
    for (nid a = ast_parent(f, n); a && a != fn; a = ast_parent(f, a))
        if (ast_kind(f, a) == N_DEFER_STATEMENT) return true;
    return false;
}

/* The parameter declaration name node of parameter index pi of function
 * declaration fn (receivers excluded), or 0 (variadic too). */
static nid param_name(const struct gofile *f, nid fn, int pi)
{
    nid params = ast_child(f, fn, F_PARAMETERS);
    if (!params) return 0;
    int i = 0;
    AST_FOR_CHILDREN(f, params, pd)
    {
        if (ast_kind(f, pd) != N_PARAMETER_DECLARATION) return 0;
        AST_FOR_CHILDREN(f, pd, c)
        {
            if (f->nodes[c].field != F_NAME) continue;
            if (i == pi) return c;
            i++;
        }
    }
    return 0;
}

struct ctx {
    int fi;
    nid root;     /* function whose body is scanned (creator or callee) */
    nid go;       /* goroutine of the whole scan (callee scans), 0 */
    nid site;     /* creator-level site of the whole scan (callee scans), 0 */
    int depth;
};

static void scan(struct tracker *t, struct ctx *cx, nid name);

/* Is op node n (a send or receive statement) followed at once by a
 * return, or by a break out of its loop, so that a loop around it runs it
 * at most once? */
static bool leaves_after(const struct gofile *f, nid n)
{
    nid st = n, par = ast_parent(f, n);
    if (ast_kind(f, par) == N_RECEIVE_STATEMENT || ast_kind(f, par) == N_EXPRESSION_STATEMENT ||
        ast_kind(f, par) == N_SHORT_VAR_DECLARATION || ast_kind(f, par) == N_ASSIGNMENT_STATEMENT) {
        st = par;
        par = ast_parent(f, par);
    }
    if (ast_kind(f, par) == N_EXPRESSION_LIST) return false;
    nid next = 0;
    if (ast_kind(f, par) == N_COMMUNICATION_CASE) {
        AST_FOR_CHILDREN(f, par, c)
        if (ast_kind(f, c) == N_STATEMENT_LIST) {
            next = ast_first_child(f, c);
            break;
        }
    } else if (ast_kind(f, par) == N_STATEMENT_LIST) {
        next = ast_next(f, st);
    }
    while (next && ast_kind(f, next) == N_EMPTY_STATEMENT) next = ast_next(f, next);
    if (ast_kind(f, next) == N_RETURN_STATEMENT) return true;
    if (ast_kind(f, next) == N_BREAK_STATEMENT && !ast_first_child(f, next)) {
        for (nid a = ast_parent(f, next); a; a = ast_parent(f, a)) {
            enum node_kind k = ast_kind(f, a);
            if (k == N_FOR_STATEMENT) return true;
            if (k == N_SELECT_STATEMENT || k == N_EXPRESSION_SWITCH_STATEMENT || k == N_TYPE_SWITCH_STATEMENT ||
                k == N_FUNC_LITERAL)
                return false;
        }
    }
    return false;
}

static void add_op(struct tracker *t, const struct ctx *cx, uint8_t kind, nid node, nid fn, nid go, bool deferred)
{
    const struct gofile *f = &t->p->files[cx->fi];
    struct chop o = {0};
    o.kind = kind;
    o.fi = cx->fi;
    o.node = node;
    o.fn = fn;
    o.go = cx->go ? cx->go : go;
    o.site = cx->site ? cx->site : node;
    o.via_call = cx->depth > 0;
    o.deferred = deferred;
    o.select = (kind == CHOP_SEND || kind == CHOP_RECV) ? chan_select_of(f, node) : CHSEL_NONE;
    o.in_loop = chan_enclosing_loop(f, node) != 0 && !leaves_after(f, node);
    vec_push(&t->ops, o);
}

/* Follows channel use `use` (an identifier of the file cx->fi that denotes
 * the tracked variable or a parameter holding it). */
static void classify(struct tracker *t, struct ctx *cx, nid use)
{
    struct pkg *p = t->p;
    const struct gofile *f = &p->files[cx->fi];
    /* which function and goroutine run it: walk up to the scan's root */
    nid lits[MAX_LITS];
    int nl = 0;
    for (nid a = ast_parent(f, use); a && a != cx->root; a = ast_parent(f, a)) {
        if (ast_kind(f, a) == N_FUNC_LITERAL) {
            if (nl == MAX_LITS) return escape(t, cx->fi, use);
            lits[nl++] = a;
        }
    }
    nid go = 0, fn = cx->root;
    bool deferred = false;
    for (int i = nl - 1; i >= 0; i--) {
        nid lit = lits[i];
        nid call = ast_parent(f, lit);
        while (ast_kind(f, call) == N_PARENTHESIZED_EXPRESSION) call = ast_parent(f, call);
        if (ast_kind(f, call) != N_CALL_EXPRESSION || ast_unparen(f, ast_child(f, call, F_FUNCTION)) != lit)
            return escape(t, cx->fi, lit);
        nid st = ast_parent(f, call);
        if (ast_kind(f, st) == N_GO_STATEMENT) {
            /* a goroutine started inside another goroutine: its life is
             * not the creator's business any more */
            if (go || cx->go || cx->depth > 0) return escape(t, cx->fi, st);
            /* the go statement must run in the creator itself */
            if (model_enclosing_func(f, st) != cx->root) return escape(t, cx->fi, st);
            go = st;
            deferred = false;
        } else if (ast_kind(f, st) == N_DEFER_STATEMENT) {
            if (model_enclosing_func(f, st) == fn) deferred = true;
        } else if (is_deferred(f, lit, fn)) {
            deferred = true;
        }
        fn = lit;
    }
    if (is_deferred(f, use, fn)) deferred = true;
    /* what happens to it */
    nid x = use, par = ast_parent(f, use);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) {
        x = par;
        par = ast_parent(f, par);
    }
    enum node_kind pk = ast_kind(f, par);
    if (pk == N_SEND_STATEMENT && f->nodes[x].field == F_CHANNEL)
        return add_op(t, cx, CHOP_SEND, par, fn, go, deferred);
    if (pk == N_UNARY_EXPRESSION && f->nodes[par].op == OP_ARROW)
        return add_op(t, cx, CHOP_RECV, par, fn, go, deferred);
    if (pk == N_RANGE_CLAUSE && f->nodes[x].field == F_RIGHT)
        return add_op(t, cx, CHOP_RANGE, par, fn, go, deferred);
    if (pk == N_BINARY_EXPRESSION && (f->nodes[par].op == OP_EQL || f->nodes[par].op == OP_NEQ)) return;
    if (t->returns_ok && pk == N_EXPRESSION_LIST && ast_kind(f, ast_parent(f, par)) == N_RETURN_STATEMENT &&
        ast_child_count(f, par) == 1 && fn == cx->root && !go && !cx->go && cx->depth == 0)
        return;
    if (pk == N_ARGUMENT_LIST) {
        nid call = ast_parent(f, par);
        if (model_is_builtin_call(p, cx->fi, call, "close")) return add_op(t, cx, CHOP_CLOSE, call, fn, go, deferred);
        if (model_is_builtin_call(p, cx->fi, call, "len") || model_is_builtin_call(p, cx->fi, call, "cap")) return;
        /* handed to a same-package function: follow the parameter */
        int d = model_callee(p, cx->fi, call);
        if (d < 0 || cx->depth >= MAX_CALL_DEPTH) return escape(t, cx->fi, call);
        const struct pkg_decl *pd = &p->decls[d];
        const struct gofile *df = &p->files[pd->file];
        if (!ast_child(df, pd->node, F_BODY)) return escape(t, cx->fi, call);
        int ai = 0;
        AST_FOR_CHILDREN(f, par, a)
        {
            if (a == x) break;
            ai++;
        }
        nid pn = param_name(df, pd->node, ai);
        if (!pn || ast_kind(df, pn) != N_IDENTIFIER) return escape(t, cx->fi, call);
        nid st = ast_parent(f, call);
        bool is_go = ast_kind(f, st) == N_GO_STATEMENT && ast_first_child(f, st) == call;
        struct ctx sub = {pd->file, pd->node, cx->go, cx->site, cx->depth + 1};
        if (is_go) {
            if (go || cx->go || cx->depth > 0 || model_enclosing_func(f, st) != cx->root) return escape(t, cx->fi, st);
            sub.go = st;
            if (!cx->site) sub.site = st;
        } else {
            if (ast_kind(f, st) == N_GO_STATEMENT || (ast_kind(f, st) == N_DEFER_STATEMENT && ast_first_child(f, st) == call))
                deferred = true;
            add_op(t, cx, CHOP_CALL, call, fn, go, deferred);
            if (go) sub.go = go;
            if (!cx->site) sub.site = call;
        }
        size_t before = t->ops.len;
        scan(t, &sub, pn);
        /* the callee's ops run in the call's goroutine, deferred with it */
        for (size_t i = before; i < t->ops.len; i++)
            if (deferred) t->ops.items[i].deferred = true;
        return;
    }
    escape(t, cx->fi, use);
}

/* Classifies every use of the variable declared by name node `name` in the
 * body of cx->root. */
static void scan(struct tracker *t, struct ctx *cx, nid name)
{
    const struct gofile *f = &t->p->files[cx->fi];
    nid body = ast_child(f, cx->root, F_BODY);
    if (!body) return;
    struct str nm = ast_text(f, name);
    for (nid k = body; k < f->nodes[body].end && !t->c->escapes; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER || k == name || !str_eqs(ast_text(f, k), nm)) continue;
        nid d = 0, dn = 0;
        if (!model_resolve_local(t->p, cx->fi, k, &d, &dn)) {
            /* a use the scopes cannot place (a later spec of the same var
             * block, say) may be ours: unknown */
            if (!pkg_lookup(t->p, nm, -1)) escape(t, cx->fi, k);
            continue;
        }
        if (dn != name) continue;
        classify(t, cx, k);
    }
}

/* The declaring identifier of the local variable that expression e is the
 * whole initialiser of (`ch := e`, `var ch = e`, also in a list of as many
 * names as values), or 0. */
static nid init_var(const struct gofile *f, nid e)
{
    nid x = e, par = ast_parent(f, e);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) {
        x = par;
        par = ast_parent(f, par);
    }
    if (ast_kind(f, par) != N_EXPRESSION_LIST) return 0;
    nid decl = ast_parent(f, par);
    int idx = 0;
    AST_FOR_CHILDREN(f, par, c)
    {
        if (c == x) break;
        idx++;
    }
    nid name = 0;
    if (ast_kind(f, decl) == N_SHORT_VAR_DECLARATION && f->nodes[par].field == F_RIGHT) {
        nid l = ast_child(f, decl, F_LEFT);
        if (ast_child_count(f, l) != ast_child_count(f, par)) return 0;
        name = ast_nth_child(f, l, (unsigned)idx);
    } else if (ast_kind(f, decl) == N_VAR_SPEC && f->nodes[par].field == F_VALUE) {
        unsigned i = 0;
        AST_FOR_CHILDREN(f, decl, c)
        {
            if (f->nodes[c].field != F_NAME) continue;
            if (i++ == (unsigned)idx) name = c;
        }
    }
    return ast_kind(f, name) == N_IDENTIFIER ? name : 0;
}

/* Tracks the variable declared by `name` in creator, initialised by
 * `make` (a make call, or a constructor call for chan_track_ctor), into
 * out->ops. */
static void track_var(struct pkg *p, int fi, nid make, nid name, nid creator, bool returns_ok, struct chan_info *out)
{
    out->fi = fi;
    out->make = make;
    out->name = name;
    out->creator = creator;
    struct tracker t = {p, out, {0}, returns_ok};
    struct ctx cx = {fi, creator, 0, 0, 0};
    scan(&t, &cx, name);
    /* a variable reassigned anywhere (`ch = nil`, `ch = make(...)`) is not
     * one channel any more: classify() saw it as an escape */
    out->ops = t.ops.items;
    out->nops = (int)t.ops.len;
}

static bool track_make(struct pkg *p, int fi, nid make, bool returns_ok, struct chan_info *out)
{
    memset(out, 0, sizeof *out);
    const struct gofile *f = &p->files[fi];
    if (!chan_is_make(p, fi, make)) return false;
    /* the whole initialiser of one local: `ch := make(...)`, `var ch = make(...)` */
    nid name = init_var(f, make);
    if (!name) return false;
    nid creator = model_enclosing_func(f, make);
    if (!creator) return false; /* a package-level channel */
    nid args = ast_child(f, make, F_ARGUMENTS);
    nid cap = ast_next(f, ast_first_child(f, args));
    out->buf = cap ? const_int(p, fi, cap) : 0;
    track_var(p, fi, make, name, creator, returns_ok, out);
    return true;
}

bool chan_track(struct pkg *p, int fi, nid make, struct chan_info *out)
{
    return track_make(p, fi, make, false, out);
}

nid chan_make_of_local(struct pkg *p, int fi, nid id)
{
    const struct gofile *f = &p->files[fi];
    nid decl, name;
    if (ast_kind(f, id) != N_IDENTIFIER || !model_resolve_local(p, fi, id, &decl, &name)) return 0;
    nid vals = 0;
    unsigned idx = 0, i = 0;
    if (ast_kind(f, decl) == N_SHORT_VAR_DECLARATION) {
        nid l = ast_child(f, decl, F_LEFT);
        AST_FOR_CHILDREN(f, l, c)
        {
            if (c == name) idx = i;
            i++;
        }
        vals = ast_child(f, decl, F_RIGHT);
    } else if (ast_kind(f, decl) == N_VAR_SPEC) {
        AST_FOR_CHILDREN(f, decl, c)
        {
            if (f->nodes[c].field == F_NAME) {
                if (c == name) idx = i;
                i++;
            }
            if (f->nodes[c].field == F_VALUE) vals = c;
        }
    }
    if (!vals || ast_child_count(f, vals) != i) return 0;
    nid m = ast_unparen(f, ast_nth_child(f, vals, idx));
    return chan_is_make(p, fi, m) ? m : 0;
}

/* Does function declaration fn have one unnamed result of channel type? */
static bool returns_one_chan(const struct gofile *f, nid fn)
{
    nid r = ast_child(f, fn, F_RESULT);
    if (ast_kind(f, r) == N_PARAMETER_LIST) {
        if (ast_child_count(f, r) != 1) return false;
        nid pd = ast_first_child(f, r);
        if (ast_kind(f, pd) != N_PARAMETER_DECLARATION || ast_child(f, pd, F_NAME)) return false;
        r = ast_child(f, pd, F_TYPE);
    }
    while (ast_kind(f, r) == N_PARENTHESIZED_TYPE) r = ast_first_child(f, r);
    return ast_kind(f, r) == N_CHANNEL_TYPE;
}

/* Is statement st directly in the body of its function: not under an if,
 * loop, switch, select or block? */
static bool at_top_of_body(const struct gofile *f, nid st, nid body)
{
    for (nid a = ast_parent(f, st); a != body; a = ast_parent(f, a))
        if (!a || ast_kind(f, a) != N_STATEMENT_LIST) return false;
    return true;
}

bool chan_feeding_ctor(struct pkg *p, int decl, struct chan_info *out)
{
    memset(out, 0, sizeof *out);
    if (decl < 0) return false;
    const struct pkg_decl *pd = &p->decls[decl];
    if (pd->what != PD_FUNC && pd->what != PD_METHOD) return false;
    int fi = pd->file;
    const struct gofile *f = &p->files[fi];
    nid fn = pd->node, body = ast_child(f, fn, F_BODY);
    if (!body || !returns_one_chan(f, fn)) return false;
    /* every return (of fn itself) returns the same local */
    nid name = 0, make = 0;
    for (nid k = body; k < f->nodes[body].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (ast_kind(f, k) != N_RETURN_STATEMENT) continue;
        nid list = ast_first_child(f, k);
        if (ast_kind(f, list) != N_EXPRESSION_LIST || ast_child_count(f, list) != 1) return false;
        nid x = ast_unparen(f, ast_first_child(f, list)), d, nm;
        if (ast_kind(f, x) != N_IDENTIFIER || !model_resolve_local(p, fi, x, &d, &nm)) return false;
        if (name && nm != name) return false;
        name = nm;
        if (!make) make = chan_make_of_local(p, fi, x);
    }
    if (!make || model_enclosing_func(f, make) != fn) return false;
    if (!track_make(p, fi, make, true, out)) return false;
    if (out->escapes || out->buf < 0 || out->name != name) goto no;
    /* one goroutine, started at the top of the body, sends; nothing else
     * touches the channel but its own close */
    nid go = 0;
    int nsends = 0;
    for (int i = 0; i < out->nops; i++) {
        const struct chop *o = &out->ops[i];
        if (!o->go || (go && o->go != go)) goto no;
        go = o->go;
        if (o->kind == CHOP_SEND) {
            if (o->select != CHSEL_NONE && o->select != CHSEL_ALONE) goto no;
            nsends++;
        } else if (o->kind != CHOP_CLOSE) {
            goto no;
        }
    }
    if (!nsends || !at_top_of_body(f, go, body)) goto no;
    /* a stream (sends in a loop) is not a result */
    long n = chan_goroutine_ops(p, out, go, 1u << CHOP_SEND);
    if (n < 0 || n <= out->buf) goto no;
    return true;
no:
    chan_info_free(out);
    return false;
}

bool chan_track_ctor(struct pkg *p, int fi, nid call, struct chan_info *out)
{
    memset(out, 0, sizeof *out);
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return false;
    nid creator = model_enclosing_func(f, call);
    if (!creator) return false;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_IDENTIFIER && ast_kind(f, fe) != N_SELECTOR_EXPRESSION) return false;
    /* how the caller uses the result (cheap, so first) */
    nid x = call, par = ast_parent(f, call);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) {
        x = par;
        par = ast_parent(f, par);
    }
    nid name = init_var(f, call);
    bool recv = ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_ARROW;
    bool dropped = ast_kind(f, par) == N_EXPRESSION_STATEMENT ||
                   (name && ast_text_is(f, name, "_"));
    if (!dropped && ast_kind(f, par) == N_EXPRESSION_LIST && f->nodes[par].field == F_RIGHT &&
        ast_kind(f, ast_parent(f, par)) == N_ASSIGNMENT_STATEMENT && f->nodes[ast_parent(f, par)].op == OP_ASSIGN) {
        /* `_ = Go(f)` */
        nid l = ast_child(f, ast_parent(f, par), F_LEFT);
        int idx = 0;
        AST_FOR_CHILDREN(f, par, c)
        {
            if (c == x) break;
            idx++;
        }
        nid t = ast_child_count(f, l) == ast_child_count(f, par) ? ast_nth_child(f, l, (unsigned)idx) : 0;
        dropped = ast_kind(f, t) == N_IDENTIFIER && ast_text_is(f, t, "_");
    }
    if (!name && !recv && !dropped) return false;
    /* a direct call of a function of the package returning a channel */
    int d = model_callee(p, fi, call);
    if (d < 0) return false;
    const struct pkg_decl *pd = &p->decls[d];
    if (!returns_one_chan(&p->files[pd->file], pd->node)) return false;
    if (pd->file == fi && ast_contains(f, pd->node, call)) return false; /* recursion */
    struct chan_info h;
    if (!chan_feeding_ctor(p, d, &h)) return false;
    if (name && !dropped) {
        track_var(p, fi, call, name, creator, false, out);
    } else {
        out->fi = fi;
        out->make = call;
        out->name = call;
        out->creator = creator;
        if (recv) {
            struct tracker t = {p, out, {0}, false};
            struct ctx cx = {fi, creator, 0, 0, 0};
            add_op(&t, &cx, CHOP_RECV, par, creator, 0, is_deferred(f, par, creator));
            out->ops = t.ops.items;
            out->nops = (int)t.ops.len;
        }
    }
    out->buf = h.buf;
    out->dropped = dropped;
    out->ctor = d;
    out->ctor_make = h.make;
    /* the constructor's goroutine runs the sends; it starts at the call */
    for (int i = 0; i < h.nops; i++) {
        struct chop o = h.ops[i];
        out->ctor_go = o.go;
        o.go = call;
        o.site = call;
        o.via_call = true;
        out->ops = xrealloc(out->ops, sizeof *out->ops * ((size_t)out->nops + 1));
        out->ops[out->nops++] = o;
    }
    chan_info_free(&h);
    return true;
}

void chan_info_free(struct chan_info *c)
{
    free(c->ops);
    memset(c, 0, sizeof *c);
}

bool chan_has_op(const struct chan_info *c, unsigned kinds, nid go)
{
    for (int i = 0; i < c->nops; i++) {
        const struct chop *o = &c->ops[i];
        if (!(kinds & (1u << o->kind))) continue;
        if (go == CHAN_ANY_GO || (go == CHAN_OTHER_GO && o->go != 0) || o->go == go) return true;
    }
    return false;
}

/* How many times op o runs per run of its function when it is in loops of
 * constant trip counts (`for i := 0; i < 2; i++`); -1 when a loop is not. */
static long op_weight(const struct gofile *f, const struct chop *o)
{
    long w = 1;
    for (nid l = chan_enclosing_loop(f, o->node); l; l = chan_enclosing_loop(f, l)) {
        long n = chan_loop_trips(f, l);
        if (n < 0) return -1;
        w *= n;
    }
    return w;
}

long chan_goroutine_ops(struct pkg *p, const struct chan_info *c, nid go, unsigned kinds)
{
    const struct gofile *cf = &p->files[c->fi];
    /* how many goroutines the go statement starts on one channel: a loop
     * that also makes it starts each on a channel of its own */
    long mult = 1;
    for (nid l = chan_enclosing_loop(cf, go); l; l = chan_enclosing_loop(cf, l)) {
        if (!ast_contains(cf, c->creator, l) || ast_contains(cf, l, c->make)) break;
        long n = chan_loop_trips(cf, l);
        if (n < 0) return -1;
        mult *= n;
    }
    nid fn = 0;
    int fi = -1, n = 0;
    for (int i = 0; i < c->nops; i++) {
        const struct chop *o = &c->ops[i];
        if (o->go != go || !(kinds & (1u << o->kind))) continue;
        if (o->kind == CHOP_RANGE || o->kind == CHOP_CALL) return -1;
        if (o->in_loop && op_weight(&p->files[o->fi], o) < 0) return -1;
        if (fn && (o->fn != fn || o->fi != fi)) return -1;
        fn = o->fn;
        fi = o->fi;
        n++;
    }
    if (!n) return 0;
    /* the most ops on one path: ops are not in loops, so the longest path
     * over forward edges (in reverse post-order) counts them */
    struct cfg *g = cfg_build(p, fi, fn);
    int nrpo;
    const int *rpo = cfg_rpo(g, &nrpo);
    int *order = xcalloc((size_t)g->nblocks, sizeof(int));
    long *best = xcalloc((size_t)g->nblocks, sizeof(long));
    for (int i = 0; i < g->nblocks; i++) order[i] = -1;
    for (int i = 0; i < nrpo; i++) order[rpo[i]] = i;
    long most = 0;
    for (int i = 0; i < nrpo; i++) {
        int b = rpo[i];
        const struct cfg_block *bl = &g->blocks[b];
        long in = 0;
        for (int j = 0; j < bl->npreds; j++) {
            int pb = bl->preds[j];
            if (order[pb] < 0 || order[pb] >= i) continue; /* back edge */
            if (best[pb] > in) in = best[pb];
        }
        long here = 0;
        for (int e = 0; e < bl->nevents; e++) {
            nid ev = bl->events[e];
            for (int k = 0; k < c->nops; k++) {
                const struct chop *o = &c->ops[k];
                if (o->go == go && (kinds & (1u << o->kind)) && o->fi == fi && ast_contains(g->f, ev, o->node))
                    here += o->in_loop ? op_weight(g->f, o) : 1;
            }
        }
        best[b] = in + here;
        if (best[b] > most) most = best[b];
    }
    free(order);
    free(best);
    cfg_free(g);
    return most * mult;
}

void chan_dump(struct pkg *p, struct buf *out)
{
    static const char *const kinds[] = {"send", "recv", "range", "close", "call"};
    static const char *const sels[] = {"", "+select", "+select-others", "+select-default"};
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
            struct chan_info c;
            if (!chan_track(p, fi, k, &c) && !chan_track_ctor(p, fi, k, &c)) continue;
            struct str nm = c.name == k ? str_make("(result)", 8) : ast_text(f, c.name);
            buf_printf(out, "%.*s@%u buf=%ld", (int)nm.n, nm.p, f->nodes[k].line, c.buf);
            if (c.ctor_make)
                buf_printf(out, " ctor=%s make@%u%s", p->decls[c.ctor].name,
                           p->files[p->decls[c.ctor].file].nodes[c.ctor_make].line, c.dropped ? " dropped" : "");
            if (c.escapes)
                buf_printf(out, " escapes@%u", p->files[c.escape_fi].nodes[c.escape_at].line);
            buf_putc(out, '\n');
            for (int i = 0; i < c.nops; i++) {
                const struct chop *o = &c.ops[i];
                const struct gofile *of = &p->files[o->fi];
                buf_printf(out, "  %s@%u%s%s%s%s", kinds[o->kind], of->nodes[o->node].line, sels[o->select],
                           o->deferred ? "+deferred" : "", o->in_loop ? "+loop" : "", o->via_call ? "+call" : "");
                if (o->go) buf_printf(out, " go@%u", f->nodes[o->go].line);
                buf_putc(out, '\n');
            }
            chan_info_free(&c);
        }
    }
}

int chan_exits_avoiding(const struct cfg *g, int b, int ev, bool (*stop)(void *ud, nid ev), void *ud, nid *out,
                        nid *last_out, int max)
{
    uint8_t *reach = xcalloc((size_t)g->nblocks, 1);
    cfg_reach_avoiding(g, b, ev, stop, ud, reach);
    int n = 0;
    bool end_seen = false;
    const struct cfg_block *ex = &g->blocks[g->exit];
    for (int j = 0; j < ex->npreds && n < max; j++) {
        int pb = ex->preds[j];
        bool ok = reach[pb] & CFG_REACH_THROUGH;
        if (!ok && pb == b && ev >= 0) {
            ok = true;
            for (int e = ev + 1; e < g->blocks[b].nevents && ok; e++)
                if (stop(ud, g->blocks[b].events[e])) ok = false;
        }
        if (!ok) continue;
        const struct cfg_block *bl = &g->blocks[pb];
        nid last = bl->nevents ? bl->events[bl->nevents - 1] : 0;
        if (ast_kind(g->f, last) == N_RETURN_STATEMENT) {
            if (last_out) last_out[n] = last;
            out[n++] = last;
        } else if (!end_seen) {
            end_seen = true;
            if (last_out) last_out[n] = last ? last : bl->stmt;
            out[n++] = g->body;
        }
    }
    free(reach);
    return n;
}

static const char *short_text(struct pkg *p, const struct gofile *f, nid n)
{
    struct str s = ast_text(f, n);
    char buf[64];
    size_t j = 0;
    bool space = false;
    for (size_t i = 0; i < s.n && j < 40; i++) {
        char ch = s.p[i];
        if (ch == '\n' || ch == '\t' || ch == ' ') {
            space = true;
            continue;
        }
        if (space && j) buf[j++] = ' ';
        space = false;
        buf[j++] = ch;
    }
    if (j >= 40) {
        memcpy(buf + 37, "...", 3);
        j = 40;
    }
    return arena_strndup(&p->arena, buf, j);
}

const char *chan_exit_why(struct pkg *p, int fi, nid fn, nid ret)
{
    const struct gofile *f = &p->files[fi];
    if (ret == ast_child(f, fn, F_BODY)) return "at the end of the function";
    for (nid a = ast_parent(f, ret); a && a != fn; a = ast_parent(f, a)) {
        enum node_kind k = ast_kind(f, a);
        if (k == N_FUNC_LITERAL) break;
        if (k == N_COMMUNICATION_CASE) {
            nid comm = ast_child(f, a, F_COMMUNICATION);
            if (ast_kind(f, comm) == N_RECEIVE_STATEMENT && ast_child(f, comm, F_RIGHT))
                comm = ast_child(f, comm, F_RIGHT);
            return arena_printf(&p->arena, "in the `%s` case", short_text(p, f, comm));
        }
        if (k == N_DEFAULT_CASE && ast_kind(f, ast_parent(f, a)) == N_SELECT_STATEMENT)
            return "in the select's default case";
        if (k == N_IF_STATEMENT) {
            nid cons = ast_child(f, a, F_CONSEQUENCE);
            nid cond = ast_child(f, a, F_CONDITION);
            if (cons && ast_contains(f, cons, ret))
                return arena_printf(&p->arena, "when `%s`", short_text(p, f, cond));
            return arena_printf(&p->arena, "when not `%s`", short_text(p, f, cond));
        }
    }
    return NULL;
}

static bool stop_is(void *ud, nid ev) { return ev == *(nid *)ud; }

bool chan_op_dominates(struct pkg *p, const struct chop *o)
{
    struct cfg *g = cfg_build(p, o->fi, o->fn);
    int b, e;
    bool res = false;
    if (cfg_event_pos(g, o->node, &b, &e)) {
        nid ev = g->blocks[b].events[e];
        uint8_t *out = xcalloc((size_t)g->nblocks, 1);
        cfg_reach_avoiding(g, g->entry, -1, stop_is, &ev, out);
        res = !(out[g->exit] & CFG_REACH_ENTERED);
        free(out);
    }
    cfg_free(g);
    return res;
}


static bool is_test_fail_call(struct pkg *p, int fi, nid k)
{
    const struct gofile *f = &p->files[fi];
    nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) return false;
    struct str m = ast_text(f, ast_child(f, fe, F_FIELD));
    if (!str_eq(m, "Error") && !str_eq(m, "Errorf") && !str_eq(m, "Fatal") && !str_eq(m, "Fatalf") &&
        !str_eq(m, "Fail") && !str_eq(m, "FailNow") && !str_eq(m, "Skip") && !str_eq(m, "Skipf") &&
        !str_eq(m, "Failf") && !str_eq(m, "FailNowf"))
        return false;
    nid op = ast_unparen(f, ast_child(f, fe, F_OPERAND));
    /* testify's assert.Fail(t, ...), require.FailNow(t, ...) */
    if (ast_kind(f, op) == N_IDENTIFIER && (str_eq(m, "Fail") || str_eq(m, "FailNow") || str_eq(m, "Failf") ||
                                            str_eq(m, "FailNowf"))) {
        const char *path = model_import_path(p, fi, ast_text(f, op));
        if (path && (!strcmp(path, "github.com/stretchr/testify/assert") ||
                     !strcmp(path, "github.com/stretchr/testify/require")))
            return true;
    }
    struct ltype *t = model_type_of(p, fi, op);
    return ltype_is(t, "testing", "T", true) || ltype_is(t, "testing", "B", true) ||
           ltype_is(t, "testing", "TB", false) || ltype_is(t, "testing", "F", true);
}

bool chan_event_fails_test(struct pkg *p, int fi, nid ev)
{
    const struct gofile *f = &p->files[fi];
    for (nid k = ev; k < f->nodes[ev].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (ast_kind(f, k) == N_CALL_EXPRESSION && is_test_fail_call(p, fi, k)) return true;
    }
    return false;
}

bool chan_in_select_with(const struct chan_info *c, const struct gofile *f, nid n)
{
    for (nid a = ast_parent(f, n); a; a = ast_parent(f, a)) {
        enum node_kind k = ast_kind(f, a);
        if (k == N_FUNC_LITERAL || k == N_FUNCTION_DECLARATION || k == N_METHOD_DECLARATION) return false;
        if (k != N_SELECT_STATEMENT) continue;
        for (int i = 0; i < c->nops; i++) {
            const struct chop *o = &c->ops[i];
            if (o->go == 0 && o->fi == c->fi && ast_contains(f, a, o->node) && o->select != CHSEL_NONE &&
                ast_parent(f, ast_parent(f, o->node)) != 0) {
                /* the op is one of this select's communications */
                nid cc = o->node;
                while (cc && ast_kind(f, cc) != N_COMMUNICATION_CASE) cc = ast_parent(f, cc);
                if (cc && ast_parent(f, cc) == a) return true;
            }
        }
    }
    return false;
}
