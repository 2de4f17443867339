/* model/callees: calls through function values (issue 18; callees.h).
 *
 * Fields: one pass over the package records, for every func-typed field
 * and every map or slice field of funcs of a package struct type, what
 * the package stores there: `x.f = v`, `T{f: v}`, `x.f[k] = v`,
 * `x.f = append(x.f, v)`, map and slice literals. A stored package
 * function, a method value bound to the holder of the field (`b.notify =
 * b.count`) or to another object, and a func literal are members;
 * anything else (a parameter, a call's result) makes the set unknown. An
 * exported field is open: code outside the package may set it.
 *
 * Parameters: a func parameter of an unexported function or method gets
 * the arguments of every call in the package that statically calls it;
 * the set is open when the function is also used as a value (it may be
 * called from anywhere then) or its name is exported.
 *
 * Locals: `h := x.f[k]`, `for _, h := range x.hooks`, `h := x.f`, and
 * `h := s.handle` or `h := func() {...}` never assigned again. */
#include <stdlib.h>
#include <string.h>

#include "callees.h"
#include "objects.h"
#include "spawn.h"
#include "summary.h"

enum { PKG_CACHE_SLOT = PKG_CACHE_FUNC_FIELDS };

struct field_set {
    const char *type;
    struct str field;
    bool elem; /* the elements of a map or slice field */
    struct callee_set set;
    /* stored from parameters of the function storing them (`c.onEvict =
     * onEvict` in NewLRU): their sets join this one when asked for
     * (field_set), since parameter sets need the finished table */
    int from_decl[2], from_idx[2];
    int nfrom;
};

struct param_set {
    int decl, idx;
    bool busy; /* being computed: a call that reaches it again sees an unknown set */
    struct callee_set set;
    struct param_set *next;
};

/* In the package arena (freed with it): the field sets, built at once,
 * and the parameter sets, added as calls ask for them. */
struct callee_table {
    struct {
        struct field_set *items;
        size_t len;
    } fields;
    struct param_set *params;
};

typedef VEC(struct field_set) field_vec;

static bool same_text(const struct gofile *f, nid a, const struct gofile *g, nid b)
{
    struct str x = ast_text(f, a), y = ast_text(g, b);
    return x.n == y.n && !memcmp(x.p, y.p, x.n);
}

static void add_member(struct callee_set *s, struct callee_member m)
{
    for (int i = 0; i < s->n; i++) {
        const struct callee_member *o = &s->m[i];
        if (m.decl >= 0 ? o->decl == m.decl && o->bind == m.bind : o->lit == m.lit && o->fi == m.fi) return;
    }
    if (s->n == CALLEES_MAX) {
        s->unknown = true;
        return;
    }
    s->m[s->n++] = m;
}

/* The declaring identifier of identifier e (a local, parameter or
 * receiver), or 0. */
static nid root_name(struct pkg *p, int fi, nid e)
{
    const struct gofile *f = &p->files[fi];
    e = ast_unparen(f, e);
    nid d, nm;
    if (ast_kind(f, e) != N_IDENTIFIER || !model_resolve_local(p, fi, e, &d, &nm)) return 0;
    return nm;
}

/* The parameter of a function declaration that identifier v (file fi)
 * names: its decl index and *idx, or -1. */
static int param_of(struct pkg *p, int fi, nid v, int *idx)
{
    const struct gofile *f = &p->files[fi];
    nid d, nm;
    if (ast_kind(f, v) != N_IDENTIFIER || !model_resolve_local(p, fi, v, &d, &nm)) return -1;
    if (ast_kind(f, d) != N_PARAMETER_DECLARATION) return -1;
    nid list = ast_parent(f, d), fn = ast_parent(f, list);
    if (f->nodes[list].field == F_RECEIVER) return -1;
    if (ast_kind(f, fn) != N_FUNCTION_DECLARATION && ast_kind(f, fn) != N_METHOD_DECLARATION) return -1;
    *idx = model_param_index(p, fi, fn, nm);
    return *idx >= 0 ? pkg_decl_index(p, fi, fn) : -1;
}

/* Adds value v (file fi), stored for the object that holder (file fi,
 * or 0 when unknown) names, to set s; fs, when not NULL, is the field
 * entry s belongs to (a parameter stored there is linked to it). */
static void add_value_to(struct pkg *p, struct callee_set *s, struct field_set *fs, int fi, nid v, nid holder)
{
    const struct gofile *f = &p->files[fi];
    v = ast_unparen(f, v);
    enum node_kind k = ast_kind(f, v);
    if (k == N_NIL || (k == N_IDENTIFIER && ast_text_is(f, v, "nil"))) return;
    int idx, pd = fs ? param_of(p, fi, v, &idx) : -1;
    if (pd >= 0) {
        for (int i = 0; i < fs->nfrom; i++)
            if (fs->from_decl[i] == pd && fs->from_idx[i] == idx) return;
        if (fs->nfrom == 2) {
            s->unknown = true;
            return;
        }
        fs->from_decl[fs->nfrom] = pd;
        fs->from_idx[fs->nfrom++] = idx;
        return;
    }
    if (k == N_FUNC_LITERAL) {
        nid r = holder ? root_name(p, fi, holder) : 0;
        struct callee_member m = {-1, r ? CM_HOLDER : CM_FUNC, fi, v, r};
        add_member(s, m);
        return;
    }
    const struct pkg_decl *d = k == N_IDENTIFIER || k == N_SELECTOR_EXPRESSION ? objects_func_value(p, fi, v) : NULL;
    if (!d || (d->what != PD_FUNC && d->what != PD_METHOD)) {
        s->unknown = true;
        return;
    }
    struct callee_member m = {(int)(d - p->decls), CM_FUNC, fi, 0, 0};
    if (d->what == PD_METHOD)
        m.bind = holder && same_text(f, ast_child(f, v, F_OPERAND), f, ast_unparen(f, holder)) ? CM_HOLDER : CM_OTHER;
    add_member(s, m);
}

static void add_value(struct pkg *p, struct callee_set *s, int fi, nid v, nid holder)
{
    add_value_to(p, s, NULL, fi, v, holder);
}

/* The elements of composite literal lit (a map or slice of funcs). */
static void add_elements(struct pkg *p, struct callee_set *s, int fi, nid lit, nid holder)
{
    const struct gofile *f = &p->files[fi];
    nid body = ast_child(f, lit, F_BODY);
    AST_FOR_CHILDREN(f, body, el)
    {
        nid v = el;
        if (ast_kind(f, el) == N_KEYED_ELEMENT) v = ast_next(f, ast_first_child(f, el));
        if (v && ast_kind(f, v) == N_LITERAL_ELEMENT) v = ast_first_child(f, v);
        if (v) add_value(p, s, fi, v, holder);
    }
}

/* Is t a function type, or a map, slice or array of them (*elem)? */
static bool func_valued(struct pkg *p, struct ltype *t, bool *elem)
{
    t = model_underlying(p, t);
    if (!t) return false;
    *elem = false;
    if (t->kind == LT_FUNC) return true;
    if (t->kind != LT_MAP && t->kind != LT_SLICE && t->kind != LT_ARRAY) return false;
    struct ltype *e = model_underlying(p, t->elem);
    *elem = true;
    return e && e->kind == LT_FUNC;
}

static struct field_set *field_entry(field_vec *t, const char *type, struct str field, bool elem)
{
    for (size_t i = 0; i < t->len; i++) {
        struct field_set *c = &t->items[i];
        if (c->elem == elem && !strcmp(c->type, type) && str_eqs(c->field, field)) return c;
    }
    struct field_set c = {type, field, elem, {0}, {0, 0}, {0, 0}, 0};
    c.set.via = elem ? CV_ELEM : CV_FIELD;
    c.set.open = field.n && field.p[0] >= 'A' && field.p[0] <= 'Z';
    vec_push(t, c);
    return &t->items[t->len - 1];
}

/* The struct type name and field of selector sel (file fi), when the
 * field holds functions: *elem for a map or slice of them. */
static const char *func_field(struct pkg *p, int fi, nid sel, struct str *field, bool *elem)
{
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, sel) != N_SELECTOR_EXPRESSION) return NULL;
    struct ltype *ht = model_type_of(p, fi, ast_child(f, sel, F_OPERAND));
    const char *tn = ltype_own_name(ht);
    if (!tn) return NULL;
    if (ht->kind == LT_POINTER) ht = ht->elem;
    *field = ast_text(f, ast_child(f, sel, F_FIELD));
    if (pkg_lookup_method(p, tn, *field)) return NULL;
    return func_valued(p, model_field_type(p, ht, *field), elem) ? tn : NULL;
}

/* One assignment target l = r (file fi). */
static void note_assign(struct pkg *p, field_vec *t, int fi, nid l, nid r)
{
    const struct gofile *f = &p->files[fi];
    l = ast_unparen(f, l);
    struct str fname;
    bool elem;
    if (ast_kind(f, l) == N_INDEX_EXPRESSION) {
        /* x.f[k] = v */
        nid sel = ast_unparen(f, ast_child(f, l, F_OPERAND));
        const char *tn = func_field(p, fi, sel, &fname, &elem);
        if (tn && elem) add_value(p, &field_entry(t, tn, fname, true)->set, fi, r, ast_child(f, sel, F_OPERAND));
        return;
    }
    const char *tn = func_field(p, fi, l, &fname, &elem);
    if (!tn) return;
    nid holder = ast_child(f, l, F_OPERAND);
    struct field_set *fs = field_entry(t, tn, fname, elem);
    struct callee_set *s = &fs->set;
    if (!elem) {
        add_value_to(p, s, fs, fi, r, holder);
        return;
    }
    r = ast_unparen(f, r);
    enum node_kind rk = ast_kind(f, r);
    if (rk == N_COMPOSITE_LITERAL) {
        add_elements(p, s, fi, r, holder);
    } else if (rk == N_CALL_EXPRESSION) {
        nid fe = ast_unparen(f, ast_child(f, r, F_FUNCTION));
        nid args = ast_child(f, r, F_ARGUMENTS);
        if (ast_kind(f, fe) == N_IDENTIFIER && ast_text_is(f, fe, "append")) {
            /* x.f = append(x.f, v...) */
            nid a = ast_first_child(f, args);
            for (a = a ? ast_next(f, a) : 0; a; a = ast_next(f, a)) {
                if (ast_kind(f, a) == N_VARIADIC_ARGUMENT) s->unknown = true;
                else add_value(p, s, fi, a, holder);
            }
        } else if (!(ast_kind(f, fe) == N_IDENTIFIER && ast_text_is(f, fe, "make"))) {
            s->unknown = true;
        }
    } else if (rk != N_NIL && !(rk == N_IDENTIFIER && ast_text_is(f, r, "nil"))) {
        s->unknown = true; /* another map or slice: its elements are not followed */
    }
}

static void build_fields(struct pkg *p, field_vec *t)
{
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            enum node_kind kk = ast_kind(f, k);
            if (kk == N_ASSIGNMENT_STATEMENT) {
                nid left = ast_child(f, k, F_LEFT), right = ast_child(f, k, F_RIGHT);
                nid l = left ? ast_first_child(f, left) : 0, r = right ? ast_first_child(f, right) : 0;
                for (; l && r; l = ast_next(f, l), r = ast_next(f, r)) note_assign(p, t, fi, l, r);
            } else if (kk == N_KEYED_ELEMENT) {
                /* T{f: v}: the literal's type, its key a field */
                nid lv = ast_parent(f, k), lit = lv ? ast_parent(f, lv) : 0;
                if (ast_kind(f, lit) != N_COMPOSITE_LITERAL) continue;
                struct ltype *lt = model_type_from_expr(p, fi, ast_child(f, lit, F_TYPE));
                const char *tn = ltype_own_name(lt);
                nid key = ast_first_child(f, k), value = key ? ast_next(f, key) : 0;
                if (!tn || !value) continue;
                if (ast_kind(f, key) == N_LITERAL_ELEMENT) key = ast_first_child(f, key);
                if (ast_kind(f, value) == N_LITERAL_ELEMENT) value = ast_first_child(f, value);
                if (ast_kind(f, key) != N_IDENTIFIER && ast_kind(f, key) != N_FIELD_IDENTIFIER) continue;
                struct str fname = ast_text(f, key);
                bool elem;
                if (!func_valued(p, model_field_type(p, lt, fname), &elem)) continue;
                struct field_set *fs = field_entry(t, tn, fname, elem);
                struct callee_set *s = &fs->set;
                if (!elem) add_value_to(p, s, fs, fi, value, 0);
                else if (ast_kind(f, value) == N_LITERAL_VALUE) add_elements(p, s, fi, lit, 0);
                else if (ast_kind(f, ast_unparen(f, value)) == N_COMPOSITE_LITERAL) add_elements(p, s, fi, ast_unparen(f, value), 0);
                else s->unknown = true;
            }
        }
    }
}

static struct callee_table *table(struct pkg *p)
{
    struct callee_table *t = p->rule_cache[PKG_CACHE_SLOT];
    if (t) return t;
    t = arena_alloc(&p->arena, sizeof *t);
    memset(t, 0, sizeof *t);
    field_vec v = {0};
    build_fields(p, &v);
    t->fields.len = v.len;
    t->fields.items = arena_alloc(&p->arena, sizeof *v.items * (v.len + 1));
    if (v.len) memcpy(t->fields.items, v.items, sizeof *v.items * v.len);
    vec_free(&v);
    p->rule_cache[PKG_CACHE_SLOT] = t;
    return t;
}

static void join_param(struct pkg *p, struct callee_set *out, int decl, int idx);

static bool field_set(struct pkg *p, int fi, nid sel, bool want_elem, struct callee_set *out)
{
    const struct gofile *f = &p->files[fi];
    struct str fname;
    bool elem;
    const char *tn = func_field(p, fi, ast_unparen(f, sel), &fname, &elem);
    if (!tn || elem != want_elem) return false;
    struct callee_table *t = table(p);
    for (size_t i = 0; i < t->fields.len; i++) {
        const struct field_set *c = &t->fields.items[i];
        if (c->elem != elem || strcmp(c->type, tn) || !str_eqs(c->field, fname)) continue;
        *out = c->set;
        out->holder = ast_child(f, ast_unparen(f, sel), F_OPERAND);
        for (int j = 0; j < c->nfrom; j++) join_param(p, out, c->from_decl[j], c->from_idx[j]);
        return true;
    }
    /* never stored in the package: only outside code can set it */
    memset(out, 0, sizeof *out);
    out->via = elem ? CV_ELEM : CV_FIELD;
    out->open = fname.n && fname.p[0] >= 'A' && fname.p[0] <= 'Z';
    out->unknown = !out->open;
    out->holder = ast_child(f, ast_unparen(f, sel), F_OPERAND);
    return true;
}

/* ---- parameters ---- */

static bool exported(const char *name) { return name[0] >= 'A' && name[0] <= 'Z'; }

/* Is identifier or field identifier n (file fi), naming function decl d,
 * anything but the function of a call? */
static bool used_as_value(const struct gofile *f, nid n)
{
    nid up = ast_parent(f, n);
    if (ast_kind(f, up) == N_SELECTOR_EXPRESSION) {
        if (ast_child(f, up, F_FIELD) != n) return false; /* x of x.y */
        n = up;
        up = ast_parent(f, n);
    }
    while (ast_kind(f, up) == N_PARENTHESIZED_EXPRESSION) n = up, up = ast_parent(f, up);
    return !(ast_kind(f, up) == N_CALL_EXPRESSION && ast_child(f, up, F_FUNCTION) == n);
}

static void compute_param(struct pkg *p, int decl, int idx, struct callee_set *s)
{
    const struct pkg_decl *d = &p->decls[decl];
    struct str name = str_make(d->name, strlen(d->name));
    s->via = CV_PARAM;
    if (exported(d->name)) s->open = true;
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        if (!memmem(f->src, f->len, name.p, name.n)) continue;
        for (nid k = 1; k < f->nnodes; k++) {
            enum node_kind kk = ast_kind(f, k);
            if ((kk != N_IDENTIFIER && kk != N_FIELD_IDENTIFIER) || !str_eqs(ast_text(f, k), name)) continue;
            if (k == d->name_node && fi == d->file) continue;
            nid up = ast_parent(f, k);
            if (ast_kind(f, up) == N_METHOD_ELEM || ast_kind(f, up) == N_FUNCTION_DECLARATION ||
                ast_kind(f, up) == N_METHOD_DECLARATION)
                continue; /* an interface's method, another type's method of that name */
            if (used_as_value(f, k)) {
                /* `x.name` as a value of this very method, or the function
                 * itself passed on: callers we cannot see */
                nid sel = ast_kind(f, up) == N_SELECTOR_EXPRESSION ? up : k;
                if (ast_kind(f, up) == N_SELECTOR_EXPRESSION || ast_kind(f, k) == N_IDENTIFIER) {
                    const struct pkg_decl *v = objects_func_value(p, fi, sel);
                    if (v == d) s->open = true;
                }
                continue;
            }
            nid call = ast_parent(f, ast_kind(f, up) == N_SELECTOR_EXPRESSION ? up : k);
            while (ast_kind(f, call) == N_PARENTHESIZED_EXPRESSION) call = ast_parent(f, call);
            if (ast_kind(f, call) != N_CALL_EXPRESSION || model_callee(p, fi, call) != decl) continue;
            nid args = ast_child(f, call, F_ARGUMENTS);
            nid arg = ast_nth_child(f, args, (unsigned)idx);
            if (!arg || ast_kind(f, arg) == N_VARIADIC_ARGUMENT) {
                s->unknown = true;
                continue;
            }
            nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
            add_value(p, s, fi, arg, ast_kind(f, fe) == N_SELECTOR_EXPRESSION ? ast_child(f, fe, F_OPERAND) : 0);
        }
    }
}

/* The set of parameter idx of function decl, or NULL while it is being
 * computed. */
static const struct callee_set *param_entry(struct pkg *p, int decl, int idx)
{
    struct callee_table *t = table(p);
    struct param_set *ps = t->params;
    while (ps && (ps->decl != decl || ps->idx != idx)) ps = ps->next;
    if (ps && ps->busy) return NULL;
    if (!ps) {
        ps = arena_alloc(&p->arena, sizeof *ps);
        memset(ps, 0, sizeof *ps);
        ps->decl = decl, ps->idx = idx, ps->busy = true;
        ps->next = t->params;
        t->params = ps;
        compute_param(p, decl, idx, &ps->set);
        ps->busy = false;
    }
    return &ps->set;
}

/* A field stored from parameter idx of decl: that parameter's set joins
 * out. Its members bound to the caller's receiver are bound to some
 * other object here; its literals' captured variables are not the
 * field holder's. */
static void join_param(struct pkg *p, struct callee_set *out, int decl, int idx)
{
    const struct callee_set *ps = param_entry(p, decl, idx);
    if (!ps) {
        out->unknown = true;
        return;
    }
    out->open |= ps->open;
    out->unknown |= ps->unknown;
    for (int i = 0; i < ps->n; i++) {
        struct callee_member m = ps->m[i];
        if (m.bind == CM_HOLDER) m.bind = m.decl >= 0 ? CM_OTHER : CM_FUNC;
        m.root = 0;
        add_member(out, m);
    }
}

/* The receiver's name in method declaration fn (file fi), or 0. */
static nid receiver_name(const struct gofile *f, nid fn)
{
    if (ast_kind(f, fn) != N_METHOD_DECLARATION) return 0;
    nid list = ast_child(f, fn, F_RECEIVER);
    nid pd = list ? ast_first_child(f, list) : 0;
    AST_FOR_CHILDREN(f, pd, nm)
    if (f->nodes[nm].field == F_NAME) return nm;
    return 0;
}

static bool param_set(struct pkg *p, int fi, nid id, nid decl_node, nid name, struct callee_set *out)
{
    const struct gofile *f = &p->files[fi];
    nid list = ast_parent(f, decl_node), fn = ast_parent(f, list);
    if (f->nodes[list].field == F_RECEIVER) return false;
    if (ast_kind(f, fn) != N_FUNCTION_DECLARATION && ast_kind(f, fn) != N_METHOD_DECLARATION) return false;
    int decl = pkg_decl_index(p, fi, fn);
    int idx = model_param_index(p, fi, fn, name);
    (void)id;
    if (decl < 0 || idx < 0) return false;
    bool elem;
    if (!func_valued(p, model_type_of(p, fi, name), &elem) || elem) return false;
    const struct callee_set *ps = param_entry(p, decl, idx);
    if (!ps) return false;
    *out = *ps;
    /* in the function, the callers' receiver is the function's own */
    out->holder = receiver_name(f, fn);
    return true;
}

/* ---- locals ---- */

/* Is the local declared by name (file fi) assigned anywhere in the
 * function around it after its declaration? */
static bool assigned_again(struct pkg *p, int fi, nid name)
{
    const struct gofile *f = &p->files[fi];
    nid fn = model_enclosing_func(f, name);
    if (!fn) return true;
    struct str text = ast_text(f, name);
    for (nid k = fn; k < f->nodes[fn].end; k++) {
        if (ast_kind(f, k) != N_ASSIGNMENT_STATEMENT) continue;
        nid l = ast_child(f, k, F_LEFT);
        AST_FOR_CHILDREN(f, l, x)
        {
            nid d, nm, id = ast_unparen(f, x);
            if (ast_kind(f, id) == N_IDENTIFIER && str_eqs(ast_text(f, id), text) &&
                model_resolve_local(p, fi, id, &d, &nm) && nm == name)
                return true;
        }
    }
    return false;
}

static bool written_value_set(struct pkg *p, int fi, nid v, struct callee_set *out);

static bool local_set(struct pkg *p, int fi, nid decl_node, nid name, struct callee_set *out)
{
    const struct gofile *f = &p->files[fi];
    enum node_kind dk = ast_kind(f, decl_node);
    if (dk == N_RANGE_CLAUSE) {
        /* for _, h := range x.hooks */
        nid left = ast_child(f, decl_node, F_LEFT);
        nid first = left ? ast_first_child(f, left) : 0;
        if (!first || ast_next(f, first) != name || assigned_again(p, fi, name)) return false;
        return field_set(p, fi, ast_child(f, decl_node, F_RIGHT), true, out);
    }
    if (dk != N_SHORT_VAR_DECLARATION && dk != N_VAR_SPEC) return false;
    nid v = ast_unparen(f, model_decl_value(f, decl_node, name, NULL));
    if (!v) {
        /* h, ok := x.hooks[k] */
        nid right = ast_child(f, decl_node, F_RIGHT);
        nid r = right ? ast_first_child(f, right) : 0;
        nid left = ast_child(f, decl_node, F_LEFT);
        if (!r || ast_next(f, r) || !left || ast_first_child(f, left) != name) return false;
        v = ast_unparen(f, r);
    }
    if (assigned_again(p, fi, name)) return false;
    return written_value_set(p, fi, v, out);
}

/* The set of a call of identifier id (file fi) when it names a local or
 * parameter; false, with *local false, when it names none. */
static bool local_ident_set(struct pkg *p, int fi, nid id, struct callee_set *out, bool *local)
{
    nid d, nm;
    *local = model_resolve_local(p, fi, id, &d, &nm);
    if (!*local) return false;
    if (ast_kind(&p->files[fi], d) == N_PARAMETER_DECLARATION) return param_set(p, fi, id, d, nm, out);
    return local_set(p, fi, d, nm, out);
}

/* ---- calls ---- */

bool model_callees(struct pkg *p, int fi, nid call, struct callee_set *out)
{
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return false;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    bool local;
    switch (ast_kind(f, fe)) {
    case N_SELECTOR_EXPRESSION: return field_set(p, fi, fe, false, out);
    case N_INDEX_EXPRESSION: return field_set(p, fi, ast_child(f, fe, F_OPERAND), true, out);
    case N_IDENTIFIER: return local_ident_set(p, fi, fe, out, &local);
    default: return false;
    }
}

bool model_value_callees(struct pkg *p, int fi, nid v, struct callee_set *out)
{
    const struct gofile *f = &p->files[fi];
    v = ast_unparen(f, v);
    bool local = false;
    if (ast_kind(f, v) == N_IDENTIFIER) {
        bool r = local_ident_set(p, fi, v, out, &local);
        if (local) return r;
    }
    return written_value_set(p, fi, v, out);
}

/* The set of function value v (file fi, unparenthesised) written in
 * place: an element or func field of a package type, a func literal
 * (the caller's captures), a package function, or a method value bound
 * to its operand. */
static bool written_value_set(struct pkg *p, int fi, nid v, struct callee_set *out)
{
    const struct gofile *f = &p->files[fi];
    enum node_kind k = ast_kind(f, v);
    if (k == N_INDEX_EXPRESSION) return field_set(p, fi, ast_child(f, v, F_OPERAND), true, out);
    if (k == N_SELECTOR_EXPRESSION && field_set(p, fi, v, false, out)) return true;
    memset(out, 0, sizeof *out);
    out->via = CV_LOCAL;
    if (k == N_FUNC_LITERAL) {
        struct callee_member m = {-1, CM_CAPTURE, fi, v, 0};
        add_member(out, m);
        return true;
    }
    const struct pkg_decl *d = k == N_IDENTIFIER || k == N_SELECTOR_EXPRESSION ? objects_func_value(p, fi, v) : NULL;
    if (!d || (d->what != PD_FUNC && d->what != PD_METHOD)) return false;
    struct callee_member m = {(int)(d - p->decls), d->what == PD_METHOD ? CM_HOLDER : CM_FUNC, fi, 0, 0};
    add_member(out, m);
    if (d->what == PD_METHOD) out->holder = ast_child(f, v, F_OPERAND);
    return true;
}

int callee_set_sole(const struct callee_set *s)
{
    if (s->n != 1 || s->open || s->unknown) return -1;
    const struct callee_member *m = &s->m[0];
    if (m->decl < 0 || m->bind == CM_OTHER) return -1;
    if (m->bind == CM_HOLDER && !s->holder) return -1;
    return m->decl;
}

/* ---- dump ---- */

static const char *const via_names[] = {"?", "field", "elem", "param", "local"};

void callees_dump(struct pkg *p, struct buf *out)
{
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            struct callee_set s;
            if (ast_kind(f, k) != N_CALL_EXPRESSION || !model_callees(p, fi, k, &s)) continue;
            struct str fe = ast_text(f, ast_child(f, k, F_FUNCTION));
            buf_printf(out, "%s:%u: %.*s (%s):", f->path, f->nodes[k].line, (int)(fe.n > 60 ? 60 : fe.n), fe.p,
                       via_names[s.via < 5 ? s.via : 0]);
            for (int i = 0; i < s.n; i++) {
                const struct callee_member *m = &s.m[i];
                if (m->decl >= 0) {
                    const struct pkg_decl *d = &p->decls[m->decl];
                    buf_printf(out, " %s%s%s", d->recv_type ? d->recv_type : "", d->recv_type ? "." : "", d->name);
                } else {
                    buf_printf(out, " func@%s:%u", p->files[m->fi].path, p->files[m->fi].nodes[m->lit].line);
                }
                if (m->bind == CM_HOLDER) buf_puts(out, "[holder]");
                else if (m->bind == CM_OTHER) buf_puts(out, "[other]");
            }
            if (!s.n) buf_puts(out, " (none)");
            if (s.open) buf_puts(out, " open");
            if (s.unknown) buf_puts(out, " unknown");
            if (callee_set_sole(&s) >= 0) buf_puts(out, " sole");
            buf_puts(out, "\n");
        }
    }
}
