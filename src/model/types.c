/* model/types: light types. The type of an expression from declarations,
 * parameters, composite literals, make/new, a table of well-known standard
 * library functions, and calls and fields of the package's own functions
 * and structs. Anything else is unknown (NULL). */
#include <stdio.h>
#include <stdlib.h>

#include "model.h"

static struct ltype *mk(struct pkg *p, enum ltype_kind k)
{
    struct ltype *t = arena_alloc(&p->arena, sizeof(*t));
    t->kind = k;
    t->decl_file = -1;
    return t;
}

static struct ltype *named(struct pkg *p, const char *path, const char *name)
{
    struct ltype *t = mk(p, LT_NAMED);
    t->pkgpath = path;
    t->name = name;
    return t;
}

static struct ltype *ptr_to(struct pkg *p, struct ltype *e)
{
    struct ltype *t = mk(p, LT_POINTER);
    t->elem = e;
    return t;
}

static struct ltype *tuple2(struct pkg *p, struct ltype *a, struct ltype *b)
{
    struct ltype *t = mk(p, LT_TUPLE);
    t->elems = arena_alloc(&p->arena, 2 * sizeof(*t->elems));
    t->elems[0] = a;
    t->elems[1] = b;
    t->nelems = 2;
    return t;
}

static const char *const builtin_types[] = {
    "bool", "byte", "complex64", "complex128", "error", "float32", "float64", "int", "int8", "int16", "int32",
    "int64", "rune", "string", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "any", "comparable",
};

static bool is_builtin_type(struct str s)
{
    for (size_t i = 0; i < GD_ARRAY_LEN(builtin_types); i++)
        if (str_eq(s, builtin_types[i])) return true;
    return false;
}

const char *ltype_own_name(const struct ltype *t)
{
    if (t && t->kind == LT_POINTER) t = t->elem;
    return t && t->kind == LT_NAMED && !(t->pkgpath && t->pkgpath[0]) ? t->name : NULL;
}

bool ltype_is(const struct ltype *t, const char *pkgpath, const char *name, bool deref)
{
    if (!t) return false;
    if (deref && t->kind == LT_POINTER) t = t->elem;
    return t && t->kind == LT_NAMED && !strcmp(t->pkgpath, pkgpath) && !strcmp(t->name, name);
}

static struct ltype *type_expr(struct pkg *p, int fi, nid t, int depth);

static struct ltype *func_results(struct pkg *p, int fi, nid result, int depth)
{
    const struct gofile *f = &p->files[fi];
    if (!result) return NULL;
    if (ast_kind(f, result) != N_PARAMETER_LIST) return type_expr(p, fi, result, depth + 1);
    VEC(struct ltype *) v = {0};
    AST_FOR_CHILDREN(f, result, pd)
    {
        if (ast_kind(f, pd) != N_PARAMETER_DECLARATION) continue;
        nid ty = ast_child(f, pd, F_TYPE);
        int names = 0;
        AST_FOR_CHILDREN(f, pd, c) if (f->nodes[c].field == F_NAME) names++;
        if (names == 0) names = 1;
        struct ltype *lt = type_expr(p, fi, ty, depth + 1);
        for (int i = 0; i < names; i++) vec_push(&v, lt);
    }
    struct ltype *r = NULL;
    if (v.len == 1) r = v.items[0];
    else if (v.len > 1) {
        r = mk(p, LT_TUPLE);
        r->elems = arena_alloc(&p->arena, v.len * sizeof(*r->elems));
        memcpy(r->elems, v.items, v.len * sizeof(*r->elems));
        r->nelems = (int)v.len;
    }
    vec_free(&v);
    return r;
}

static struct ltype *type_expr_uncached(struct pkg *p, int fi, nid t, int depth);

/* type_expr, memoised per (file, node): the rules ask for the same
 * declarations' types over and over, and every answer used to be a new
 * allocation. Only answers made well within the depth limit are kept. */
static struct ltype *type_expr(struct pkg *p, int fi, nid t, int depth)
{
    if (!t || depth > 32) return NULL;
    uint64_t key = ((uint64_t)(uint32_t)fi + 1) << 32 | t;
    if (p->tx_keys) {
        for (uint32_t h = hash_fold32(key * 0x9E3779B97F4A7C15ull) & p->tx_mask;; h = (h + 1) & p->tx_mask) {
            if (!p->tx_keys[h]) break;
            if (p->tx_keys[h] == key) return p->tx_vals[h];
        }
    }
    struct ltype *r = type_expr_uncached(p, fi, t, depth);
    if (depth > 8) return r;
    if (!p->tx_keys || (p->tx_n + 1) * 2 > p->tx_mask + 1) {
        uint32_t size = p->tx_keys ? (p->tx_mask + 1) * 2 : 1024;
        uint64_t *keys = xcalloc(size, sizeof *keys);
        struct ltype **vals = xcalloc(size, sizeof *vals);
        for (uint32_t i = 0; p->tx_keys && i <= p->tx_mask; i++) {
            if (!p->tx_keys[i]) continue;
            uint32_t h = hash_fold32(p->tx_keys[i] * 0x9E3779B97F4A7C15ull) & (size - 1);
            while (keys[h]) h = (h + 1) & (size - 1);
            keys[h] = p->tx_keys[i];
            vals[h] = p->tx_vals[i];
        }
        free(p->tx_keys);
        free(p->tx_vals);
        p->tx_keys = keys;
        p->tx_vals = vals;
        p->tx_mask = size - 1;
    }
    uint32_t h = hash_fold32(key * 0x9E3779B97F4A7C15ull) & p->tx_mask;
    while (p->tx_keys[h]) h = (h + 1) & p->tx_mask;
    p->tx_keys[h] = key;
    p->tx_vals[h] = r;
    p->tx_n++;
    return r;
}

/* The type_spec of a type named `name` declared in a function body before
 * node at, in a statement list around it (not crossing the function), or
 * 0. */
static nid local_type_spec(const struct gofile *f, nid at, struct str name)
{
    uint32_t pos = f->nodes[at].start_byte;
    for (nid a = ast_parent(f, at); a; a = ast_parent(f, a)) {
        enum node_kind ak = ast_kind(f, a);
        if (ak == N_FUNCTION_DECLARATION || ak == N_METHOD_DECLARATION || ak == N_SOURCE_FILE) return 0;
        if (ak != N_STATEMENT_LIST) continue;
        AST_FOR_CHILDREN(f, a, st)
        {
            if (f->nodes[st].start_byte > pos) break;
            if (ast_kind(f, st) != N_TYPE_DECLARATION) continue;
            AST_FOR_CHILDREN(f, st, spec)
            if (ast_kind(f, spec) == N_TYPE_SPEC && str_eqs(ast_text(f, ast_child(f, spec, F_NAME)), name)) return spec;
        }
    }
    return 0;
}

static struct ltype *type_expr_uncached(struct pkg *p, int fi, nid t, int depth)
{
    const struct gofile *f = &p->files[fi];
    switch (ast_kind(f, t)) {
    case N_TYPE_IDENTIFIER:
    case N_IDENTIFIER: {
        struct str s = ast_text(f, t);
        /* a type declared inside a function (`type entry struct{...}` in a
         * body, shadowing any package-level one): its spec, so fields and
         * the underlying type resolve */
        nid ld = local_type_spec(f, t, s);
        if (ld) {
            struct ltype *r = named(p, "", arena_strndup(&p->arena, s.p, s.n));
            r->decl_file = fi;
            r->decl = ld;
            return r;
        }
        const struct pkg_decl *d = pkg_lookup(p, s, PD_TYPE);
        if (d && pkg_decl_count(p, s, PD_TYPE) > 1) /* build-tagged variants: which one is unknown */
            return named(p, "?", arena_strndup(&p->arena, s.p, s.n));
        if (d) {
            struct ltype *r = named(p, "", d->name);
            r->decl_file = d->file;
            r->decl = d->node;
            return r;
        }
        if (is_builtin_type(s)) return named(p, "builtin", arena_strndup(&p->arena, s.p, s.n));
        /* a dot-imported name: only the well-known packages matter to rules */
        static const char *const dot_pkgs[] = {"sync", "context", "time"};
        for (size_t i = 0; i < GD_ARRAY_LEN(dot_pkgs); i++)
            if (model_has_dot_import(p, fi, dot_pkgs[i])) return named(p, dot_pkgs[i], arena_strndup(&p->arena, s.p, s.n));
        return named(p, "?", arena_strndup(&p->arena, s.p, s.n));
    }
    case N_QUALIFIED_TYPE: {
        nid pk = ast_child(f, t, F_PACKAGE), nm = ast_child(f, t, F_NAME);
        const char *path = model_import_path(p, fi, ast_text(f, pk));
        struct str ns = ast_text(f, nm);
        return named(p, path ? path : "?", arena_strndup(&p->arena, ns.p, ns.n));
    }
    case N_GENERIC_TYPE:
        return type_expr(p, fi, ast_child(f, t, F_TYPE), depth + 1);
    case N_PARENTHESIZED_TYPE:
        return type_expr(p, fi, ast_first_child(f, t), depth + 1);
    case N_POINTER_TYPE:
        return ptr_to(p, type_expr(p, fi, ast_first_child(f, t), depth + 1));
    case N_SLICE_TYPE: {
        struct ltype *r = mk(p, LT_SLICE);
        r->elem = type_expr(p, fi, ast_child(f, t, F_ELEMENT), depth + 1);
        return r;
    }
    case N_ARRAY_TYPE:
    case N_IMPLICIT_LENGTH_ARRAY_TYPE: {
        struct ltype *r = mk(p, LT_ARRAY);
        r->elem = type_expr(p, fi, ast_child(f, t, F_ELEMENT), depth + 1);
        nid len = ast_child(f, t, F_LENGTH);
        r->len = -1;
        if (len && ast_kind(f, len) == N_INT_LITERAL) {
            struct str s = ast_text(f, len);
            char tmp[32];
            if (s.n < sizeof(tmp)) {
                memcpy(tmp, s.p, s.n);
                tmp[s.n] = 0;
                r->len = strtol(tmp, NULL, 0);
            }
        }
        return r;
    }
    case N_MAP_TYPE: {
        struct ltype *r = mk(p, LT_MAP);
        r->key = type_expr(p, fi, ast_child(f, t, F_KEY), depth + 1);
        r->elem = type_expr(p, fi, ast_child(f, t, F_VALUE), depth + 1);
        return r;
    }
    case N_CHANNEL_TYPE: {
        struct ltype *r = mk(p, LT_CHAN);
        r->elem = type_expr(p, fi, ast_child(f, t, F_VALUE), depth + 1);
        r->dir = (f->nodes[t].flags & NF_CHAN_SEND) ? CHAN_SEND_ONLY
                 : (f->nodes[t].flags & NF_CHAN_RECV) ? CHAN_RECV_ONLY
                                                       : CHAN_BOTH;
        return r;
    }
    case N_FUNCTION_TYPE: {
        struct ltype *r = mk(p, LT_FUNC);
        struct ltype *res = func_results(p, fi, ast_child(f, t, F_RESULT), depth);
        if (res) {
            r->elems = arena_alloc(&p->arena, sizeof(*r->elems));
            r->elems[0] = res;
            r->nelems = 1;
        }
        return r;
    }
    case N_STRUCT_TYPE: {
        struct ltype *r = mk(p, LT_STRUCT);
        r->decl_file = fi;
        r->decl = t;
        return r;
    }
    case N_INTERFACE_TYPE:
        return mk(p, LT_INTERFACE);
    default:
        return NULL;
    }
}

struct ltype *model_type_from_expr(struct pkg *p, int fi, nid t)
{
    struct ltype *r = type_expr(p, fi, t, 0);
    return r ? r : named(p, "?", "?");
}

struct ltype *model_underlying(struct pkg *p, struct ltype *t)
{
    if (!t || t->kind != LT_NAMED || strcmp(t->pkgpath, "") || t->decl_file < 0) return t;
    const struct gofile *f = &p->files[t->decl_file];
    nid ty = ast_child(f, t->decl, F_TYPE);
    struct ltype *u = type_expr(p, t->decl_file, ty, 1);
    /* a defined type of another defined type: one more step is enough for rules */
    if (u && u->kind == LT_NAMED && !strcmp(u->pkgpath, "") && u->decl_file >= 0 && u->decl != t->decl) {
        const struct gofile *g = &p->files[u->decl_file];
        struct ltype *u2 = type_expr(p, u->decl_file, ast_child(g, u->decl, F_TYPE), 2);
        if (u2 && u2->kind != LT_NAMED) return u2;
    }
    return u ? u : t;
}

/* The type of a field declaration. An embedded pointer `struct{ *T }` is
 * lowered as a field_declaration with op `*` and a bare type name. */
static struct ltype *field_decl_type(struct pkg *p, int fi, nid fd, nid ty)
{
    struct ltype *t = type_expr(p, fi, ty, 1);
    if (t && p->files[fi].nodes[fd].op == OP_MUL && !ast_child(&p->files[fi], fd, F_NAME)) t = ptr_to(p, t);
    return t;
}

/* Field `name` of struct type node st (file sfi), searching embedded fields
 * breadth-first up to a small depth. Returns the field's type. */
static struct ltype *struct_field(struct pkg *p, int sfi, nid st, struct str name, int depth)
{
    if (depth > 4) return NULL;
    const struct gofile *f = &p->files[sfi];
    nid list = ast_first_child(f, st);
    if (!list) return NULL;
    /* direct fields first */
    AST_FOR_CHILDREN(f, list, fd)
    {
        if (ast_kind(f, fd) != N_FIELD_DECLARATION) continue;
        AST_FOR_CHILDREN(f, fd, c)
        if (f->nodes[c].field == F_NAME && str_eqs(ast_text(f, c), name))
            return field_decl_type(p, sfi, fd, ast_child(f, fd, F_TYPE));
    }
    /* embedded: field_declaration with a type and no names */
    AST_FOR_CHILDREN(f, list, fd)
    {
        if (ast_kind(f, fd) != N_FIELD_DECLARATION || ast_child(f, fd, F_NAME)) continue;
        nid ty = ast_child(f, fd, F_TYPE);
        struct ltype *et = field_decl_type(p, sfi, fd, ty);
        if (!et) continue;
        struct ltype *base = et->kind == LT_POINTER ? et->elem : et;
        if (!base || base->kind != LT_NAMED) continue;
        /* the embedded field itself, by its type name */
        if (str_eq(name, base->name)) return et;
        struct ltype *u = model_underlying(p, base);
        if (u && u->kind == LT_STRUCT) {
            struct ltype *r = struct_field(p, u->decl_file, u->decl, name, depth + 1);
            if (r) return r;
        }
    }
    return NULL;
}

struct ltype *model_field_type(struct pkg *p, struct ltype *t, struct str name)
{
    if (t && t->kind == LT_POINTER) t = t->elem;
    struct ltype *u = model_underlying(p, t);
    if (!u || u->kind != LT_STRUCT) return NULL;
    return struct_field(p, u->decl_file, u->decl, name, 0);
}

/* Known standard library functions: results by import path and name. */
static struct ltype *stdlib_call(struct pkg *p, const char *path, struct str fn)
{
    if (!strcmp(path, "context")) {
        if (str_eq(fn, "Background") || str_eq(fn, "TODO") || str_eq(fn, "WithValue") ||
            str_eq(fn, "WithoutCancel"))
            return named(p, "context", "Context");
        if (str_eq(fn, "WithCancel") || str_eq(fn, "WithTimeout") || str_eq(fn, "WithDeadline"))
            return tuple2(p, named(p, "context", "Context"), named(p, "context", "CancelFunc"));
        if (str_eq(fn, "WithCancelCause"))
            return tuple2(p, named(p, "context", "Context"), named(p, "context", "CancelCauseFunc"));
        if (str_eq(fn, "WithTimeoutCause") || str_eq(fn, "WithDeadlineCause"))
            return tuple2(p, named(p, "context", "Context"), named(p, "context", "CancelFunc"));
    } else if (!strcmp(path, "time")) {
        if (str_eq(fn, "NewTicker")) return ptr_to(p, named(p, "time", "Ticker"));
        if (str_eq(fn, "NewTimer") || str_eq(fn, "AfterFunc")) return ptr_to(p, named(p, "time", "Timer"));
        if (str_eq(fn, "After") || str_eq(fn, "Tick")) {
            struct ltype *c = mk(p, LT_CHAN);
            c->elem = named(p, "time", "Time");
            c->dir = CHAN_RECV_ONLY;
            return c;
        }
        if (str_eq(fn, "Now")) return named(p, "time", "Time");
    } else if (!strcmp(path, "sync")) {
        if (str_eq(fn, "NewCond")) return ptr_to(p, named(p, "sync", "Cond"));
    } else if (!strcmp(path, "golang.org/x/sync/errgroup")) {
        if (str_eq(fn, "WithContext")) return tuple2(p, ptr_to(p, named(p, path, "Group")), named(p, "context", "Context"));
    }
    return NULL;
}

static struct ltype *type_of(struct pkg *p, int fi, nid e, int depth);

/* The type of the name_node-th name declared by decl. */
/* `v, ok := x.(T)`, `<-ch`, `m[k]` with two names on the left: T (the
 * single value's type) for v, bool for ok; NULL for any other right side. */
static struct ltype *comma_ok(struct pkg *p, int fi, nid rhs, int idx, int depth)
{
    const struct gofile *f = &p->files[fi];
    rhs = ast_unparen(f, rhs);
    enum node_kind k = ast_kind(f, rhs);
    bool ok = k == N_TYPE_ASSERTION_EXPRESSION || (k == N_UNARY_EXPRESSION && f->nodes[rhs].op == OP_ARROW);
    if (k == N_INDEX_EXPRESSION) {
        struct ltype *m = model_underlying(p, type_of(p, fi, ast_child(f, rhs, F_OPERAND), depth + 1));
        ok = m && m->kind == LT_MAP;
    }
    if (!ok) return NULL;
    return idx == 0 ? type_of(p, fi, rhs, depth + 1) : named(p, "builtin", "bool");
}

static struct ltype *type_of_decl(struct pkg *p, int fi, nid decl, nid name_node, int depth)
{
    const struct gofile *f = &p->files[fi];
    switch (ast_kind(f, decl)) {
    case N_PARAMETER_DECLARATION:
        return type_expr(p, fi, ast_child(f, decl, F_TYPE), depth);
    case N_VARIADIC_PARAMETER_DECLARATION: {
        struct ltype *r = mk(p, LT_SLICE);
        r->elem = type_expr(p, fi, ast_child(f, decl, F_TYPE), depth);
        return r;
    }
    case N_VAR_SPEC:
    case N_CONST_SPEC: {
        nid ty = ast_child(f, decl, F_TYPE);
        if (ty) return type_expr(p, fi, ty, depth);
        int idx = 0;
        AST_FOR_CHILDREN(f, decl, c)
        {
            if (c == name_node) break;
            if (f->nodes[c].field == F_NAME) idx++;
        }
        nid vals = ast_child(f, decl, F_VALUE);
        if (!vals) return NULL;
        int nv = (int)ast_child_count(f, vals);
        int nnames = 0;
        AST_FOR_CHILDREN(f, decl, c) if (f->nodes[c].field == F_NAME) nnames++;
        if (nv == 1 && nnames == 2) {
            struct ltype *t = comma_ok(p, fi, ast_first_child(f, vals), idx, depth);
            if (t) return t;
        }
        if (nv == 1 && idx > 0) {
            struct ltype *t = type_of(p, fi, ast_first_child(f, vals), depth + 1);
            return t && t->kind == LT_TUPLE && idx < t->nelems ? t->elems[idx] : NULL;
        }
        return type_of(p, fi, ast_nth_child(f, vals, (unsigned)idx), depth + 1);
    }
    case N_SHORT_VAR_DECLARATION: {
        nid left = ast_child(f, decl, F_LEFT), right = ast_child(f, decl, F_RIGHT);
        int idx = 0;
        AST_FOR_CHILDREN(f, left, c)
        {
            if (c == name_node) break;
            idx++;
        }
        int nl = (int)ast_child_count(f, left), nr = (int)ast_child_count(f, right);
        if (nr == nl) return type_of(p, fi, ast_nth_child(f, right, (unsigned)idx), depth + 1);
        if (nr == 1 && nl == 2) {
            struct ltype *t = comma_ok(p, fi, ast_first_child(f, right), idx, depth);
            if (t) return t;
        }
        if (nr == 1) {
            struct ltype *t = type_of(p, fi, ast_first_child(f, right), depth + 1);
            return t && t->kind == LT_TUPLE && idx < t->nelems ? t->elems[idx] : NULL;
        }
        return NULL;
    }
    case N_RANGE_CLAUSE: {
        nid left = ast_child(f, decl, F_LEFT);
        int idx = 0;
        AST_FOR_CHILDREN(f, left, c)
        {
            if (c == name_node) break;
            idx++;
        }
        struct ltype *rt = type_of(p, fi, ast_child(f, decl, F_RIGHT), depth + 1);
        rt = model_underlying(p, rt);
        if (!rt) return NULL;
        if (rt->kind == LT_POINTER && rt->elem && rt->elem->kind == LT_ARRAY) rt = rt->elem;
        switch (rt->kind) {
        case LT_SLICE:
        case LT_ARRAY:
            return idx == 0 ? named(p, "builtin", "int") : rt->elem;
        case LT_MAP:
            return idx == 0 ? rt->key : rt->elem;
        case LT_CHAN:
            return idx == 0 ? rt->elem : NULL;
        case LT_NAMED:
            if (!strcmp(rt->pkgpath, "builtin") && !strcmp(rt->name, "string"))
                return idx == 0 ? named(p, "builtin", "int") : named(p, "builtin", "rune");
            if (!strcmp(rt->pkgpath, "builtin") && idx == 0) return rt; /* range over an integer */
            return NULL;
        default:
            return NULL;
        }
    }
    case N_RECEIVE_STATEMENT: {
        nid right = ast_child(f, decl, F_RIGHT);
        right = ast_unparen(f, right);
        if (ast_kind(f, right) != N_UNARY_EXPRESSION) return NULL;
        struct ltype *ct = model_underlying(p, type_of(p, fi, ast_child(f, right, F_OPERAND), depth + 1));
        nid left = ast_child(f, decl, F_LEFT);
        if (ct && ct->kind == LT_CHAN && ast_first_child(f, left) == name_node) return ct->elem;
        if (ct && ct->kind == LT_CHAN) return named(p, "builtin", "bool");
        return NULL;
    }
    case N_TYPE_SWITCH_STATEMENT:
        return NULL; /* the per-clause type needs the use: see type_switch_binding */
    default:
        return NULL;
    }
}

/* The type of `v` of `switch v := x.(type)` used at `use`: the case's type
 * in a clause listing one type (not nil), x's type in the others. */
static struct ltype *type_switch_binding(struct pkg *p, int fi, nid sw, nid use, int depth)
{
    const struct gofile *f = &p->files[fi];
    nid clause = use;
    while (clause && ast_parent(f, clause) != sw) clause = ast_parent(f, clause);
    if (clause && ast_kind(f, clause) == N_TYPE_CASE) {
        nid only = 0;
        int n = 0;
        AST_FOR_CHILDREN(f, clause, c)
        if (f->nodes[c].field == F_TYPE) only = c, n++;
        if (n == 1 && !ast_text_is(f, only, "nil")) return type_expr(p, fi, only, depth + 1);
    }
    return type_of(p, fi, ast_child(f, sw, F_VALUE), depth + 1);
}

static struct ltype *type_of_ident(struct pkg *p, int fi, nid e, int depth)
{
    const struct gofile *f = &p->files[fi];
    nid decl, name;
    if (model_resolve_local(p, fi, e, &decl, &name)) {
        if (ast_kind(f, decl) == N_TYPE_SWITCH_STATEMENT) return type_switch_binding(p, fi, decl, e, depth);
        return type_of_decl(p, fi, decl, name, depth);
    }
    struct str s = ast_text(f, e);
    if (model_import_path(p, fi, s)) return NULL; /* a package name is not a value */
    const struct pkg_decl *d = pkg_lookup(p, s, -1);
    if (!d) {
        if (str_eq(s, "true") || str_eq(s, "false")) return named(p, "builtin", "bool");
        return NULL;
    }
    if (d->what == PD_VAR || d->what == PD_CONST) return type_of_decl(p, d->file, d->node, d->name_node, depth);
    if (d->what == PD_FUNC) {
        struct ltype *r = mk(p, LT_FUNC);
        const struct gofile *g = &p->files[d->file];
        struct ltype *res = func_results(p, d->file, ast_child(g, d->node, F_RESULT), depth);
        if (res) {
            r->elems = arena_alloc(&p->arena, sizeof(*r->elems));
            r->elems[0] = res;
            r->nelems = 1;
        }
        return r;
    }
    return NULL;
}

static struct ltype *type_of_call(struct pkg *p, int fi, nid e, int depth)
{
    const struct gofile *f = &p->files[fi];
    nid fn = ast_unparen(f, ast_child(f, e, F_FUNCTION));
    nid args = ast_child(f, e, F_ARGUMENTS);
    if (ast_kind(f, fn) == N_IDENTIFIER) {
        struct str s = ast_text(f, fn);
        nid d, nm;
        bool local = model_resolve_local(p, fi, fn, &d, &nm);
        if (!local && (str_eq(s, "make") || str_eq(s, "new")) && !pkg_lookup(p, s, -1)) {
            nid a0 = ast_first_child(f, args);
            struct ltype *t = type_expr(p, fi, a0, depth + 1);
            return str_eq(s, "new") ? ptr_to(p, t) : t;
        }
        if (!local) {
            const struct pkg_decl *pd = pkg_lookup(p, s, -1);
            if (pd && pd->what == PD_TYPE) return type_expr(p, fi, fn, depth + 1); /* conversion */
            if (!pd) {
                static const char *const dots[] = {"context", "time", "sync"};
                for (size_t i = 0; i < GD_ARRAY_LEN(dots); i++)
                    if (model_has_dot_import(p, fi, dots[i])) {
                        struct ltype *r = stdlib_call(p, dots[i], s);
                        if (r) return r;
                    }
            }
        }
        struct ltype *ft = type_of_ident(p, fi, fn, depth + 1);
        if (ft && ft->kind == LT_FUNC) return ft->nelems ? ft->elems[0] : NULL;
        return NULL;
    }
    if (ast_kind(f, fn) == N_SELECTOR_EXPRESSION) {
        nid op = ast_unparen(f, ast_child(f, fn, F_OPERAND)), field = ast_child(f, fn, F_FIELD);
        if (ast_kind(f, op) == N_IDENTIFIER) {
            nid d, nm;
            if (!model_resolve_local(p, fi, op, &d, &nm)) {
                const char *path = model_import_path(p, fi, ast_text(f, op));
                if (path) return stdlib_call(p, path, ast_text(f, field));
            }
        }
        /* a method of a type of this package */
        struct ltype *rt = type_of(p, fi, op, depth + 1);
        if (rt && rt->kind == LT_POINTER) rt = rt->elem;
        if (rt && rt->kind == LT_NAMED && !strcmp(rt->pkgpath, "")) {
            const struct pkg_decl *m = pkg_lookup_method(p, rt->name, ast_text(f, field));
            if (m) return func_results(p, m->file, ast_child(&p->files[m->file], m->node, F_RESULT), depth);
        }
        return NULL;
    }
    if (ast_kind(f, fn) == N_PARENTHESIZED_TYPE || ast_kind(f, fn) == N_POINTER_TYPE ||
        ast_kind(f, fn) == N_QUALIFIED_TYPE)
        return type_expr(p, fi, fn, depth + 1);
    if (ast_kind(f, fn) == N_FUNC_LITERAL) return func_results(p, fi, ast_child(f, fn, F_RESULT), depth);
    return NULL;
}

static struct ltype *type_of(struct pkg *p, int fi, nid e, int depth)
{
    const struct gofile *f = &p->files[fi];
    if (!e || depth > 24) return NULL;
    switch (ast_kind(f, e)) {
    case N_PARENTHESIZED_EXPRESSION:
        return type_of(p, fi, ast_first_child(f, e), depth + 1);
    case N_IDENTIFIER:
        return type_of_ident(p, fi, e, depth + 1);
    case N_INT_LITERAL:
        return named(p, "builtin", "int");
    case N_FLOAT_LITERAL:
        return named(p, "builtin", "float64");
    case N_INTERPRETED_STRING_LITERAL:
    case N_RAW_STRING_LITERAL:
        return named(p, "builtin", "string");
    case N_RUNE_LITERAL:
        return named(p, "builtin", "rune");
    case N_TRUE:
    case N_FALSE:
        return named(p, "builtin", "bool");
    case N_COMPOSITE_LITERAL:
        return type_expr(p, fi, ast_child(f, e, F_TYPE), depth + 1);
    case N_FUNC_LITERAL: {
        struct ltype *r = mk(p, LT_FUNC);
        struct ltype *res = func_results(p, fi, ast_child(f, e, F_RESULT), depth);
        if (res) {
            r->elems = arena_alloc(&p->arena, sizeof(*r->elems));
            r->elems[0] = res;
            r->nelems = 1;
        }
        return r;
    }
    case N_UNARY_EXPRESSION: {
        struct ltype *t = type_of(p, fi, ast_child(f, e, F_OPERAND), depth + 1);
        switch (f->nodes[e].op) {
        case OP_AND:
            return t ? ptr_to(p, t) : NULL;
        case OP_MUL:
            return t && t->kind == LT_POINTER ? t->elem : NULL;
        case OP_ARROW: {
            struct ltype *u = model_underlying(p, t);
            return u && u->kind == LT_CHAN ? u->elem : NULL;
        }
        case OP_NOT:
            return named(p, "builtin", "bool");
        default:
            return t;
        }
    }
    case N_CALL_EXPRESSION:
        return type_of_call(p, fi, e, depth + 1);
    case N_TYPE_ASSERTION_EXPRESSION:
        return type_expr(p, fi, ast_child(f, e, F_TYPE), depth + 1);
    case N_TYPE_CONVERSION_EXPRESSION:
        return type_expr(p, fi, ast_child(f, e, F_TYPE), depth + 1);
    case N_INDEX_EXPRESSION: {
        struct ltype *t = model_underlying(p, type_of(p, fi, ast_child(f, e, F_OPERAND), depth + 1));
        if (t && t->kind == LT_POINTER && t->elem && t->elem->kind == LT_ARRAY) t = t->elem;
        if (t && (t->kind == LT_SLICE || t->kind == LT_ARRAY || t->kind == LT_MAP)) return t->elem;
        return NULL;
    }
    case N_SLICE_EXPRESSION:
        return type_of(p, fi, ast_child(f, e, F_OPERAND), depth + 1);
    case N_SELECTOR_EXPRESSION: {
        nid op = ast_unparen(f, ast_child(f, e, F_OPERAND)), field = ast_child(f, e, F_FIELD);
        if (ast_kind(f, op) == N_IDENTIFIER) {
            nid d, nm;
            if (!model_resolve_local(p, fi, op, &d, &nm) && model_import_path(p, fi, ast_text(f, op)))
                return NULL; /* pkg.Var of another package: unknown */
        }
        struct ltype *t = type_of(p, fi, op, depth + 1);
        if (t && t->kind == LT_POINTER) t = t->elem;
        struct ltype *u = model_underlying(p, t);
        if (u && u->kind == LT_STRUCT) return struct_field(p, u->decl_file, u->decl, ast_text(f, field), 0);
        return NULL;
    }
    default:
        return NULL;
    }
}

struct ltype *model_type_of(struct pkg *p, int fi, nid e) { return type_of(p, fi, e, 0); }

bool model_contains_by_value(struct pkg *p, const struct ltype *t, const char *pkgpath, const char *name)
{
    /* iterative with a small explicit stack; depth-bounded by the stack size */
    const struct ltype *stack[64];
    int sp = 0, steps = 0;
    stack[sp++] = t;
    while (sp && steps++ < 256) {
        const struct ltype *x = stack[--sp];
        if (!x) continue;
        if (x->kind == LT_NAMED) {
            if (!strcmp(x->pkgpath, pkgpath) && !strcmp(x->name, name)) return true;
            if (strcmp(x->pkgpath, "") != 0) continue;
            struct ltype *u = model_underlying(p, (struct ltype *)x);
            if (u && u != x && sp < 63) stack[sp++] = u;
        } else if (x->kind == LT_ARRAY) {
            if (sp < 63) stack[sp++] = x->elem;
        } else if (x->kind == LT_STRUCT) {
            const struct gofile *f = &p->files[x->decl_file];
            nid list = ast_first_child(f, x->decl);
            if (!list) continue;
            AST_FOR_CHILDREN(f, list, fd)
            {
                if (ast_kind(f, fd) != N_FIELD_DECLARATION) continue;
                struct ltype *ft = field_decl_type(p, x->decl_file, fd, ast_child(f, fd, F_TYPE));
                if (ft && sp < 63) stack[sp++] = ft;
            }
        }
    }
    return false;
}

const char *ltype_str(struct pkg *p, const struct ltype *t)
{
    if (!t) return "?";
    switch (t->kind) {
    case LT_NAMED:
        if (!*t->pkgpath || !strcmp(t->pkgpath, "builtin") || !strcmp(t->pkgpath, "?")) return t->name;
        {
            const char *slash = strrchr(t->pkgpath, '/');
            return arena_printf(&p->arena, "%s.%s", slash ? slash + 1 : t->pkgpath, t->name);
        }
    case LT_POINTER:
        return arena_printf(&p->arena, "*%s", ltype_str(p, t->elem));
    case LT_SLICE:
        return arena_printf(&p->arena, "[]%s", ltype_str(p, t->elem));
    case LT_ARRAY:
        return arena_printf(&p->arena, "[%ld]%s", t->len, ltype_str(p, t->elem));
    case LT_MAP:
        return arena_printf(&p->arena, "map[%s]%s", ltype_str(p, t->key), ltype_str(p, t->elem));
    case LT_CHAN:
        return arena_printf(&p->arena, "%s%s", t->dir == CHAN_SEND_ONLY ? "chan<- " : t->dir == CHAN_RECV_ONLY ? "<-chan " : "chan ",
                            ltype_str(p, t->elem));
    case LT_FUNC:
        return "func";
    case LT_STRUCT:
        return "struct{...}";
    case LT_INTERFACE:
        return "interface{...}";
    case LT_TUPLE:
        return "(...)";
    }
    return "?";
}

long model_sizeof(struct pkg *p, const struct ltype *t)
{
    if (!t) return -1;
    switch (t->kind) {
    case LT_POINTER:
    case LT_MAP:
    case LT_CHAN:
    case LT_FUNC:
        return 8;
    case LT_SLICE:
        return 24;
    case LT_INTERFACE:
        return 16;
    case LT_ARRAY: {
        long e = model_sizeof(p, t->elem);
        return e >= 0 && t->len >= 0 ? e * t->len : -1;
    }
    case LT_NAMED: {
        static const struct { const char *n; long s; } b[] = {
            {"bool", 1}, {"byte", 1}, {"int8", 1}, {"uint8", 1}, {"int16", 2}, {"uint16", 2}, {"int32", 4},
            {"uint32", 4}, {"rune", 4}, {"float32", 4}, {"int", 8}, {"uint", 8}, {"int64", 8}, {"uint64", 8},
            {"uintptr", 8}, {"float64", 8}, {"complex64", 8}, {"complex128", 16}, {"string", 16}, {"error", 16},
            {"any", 16},
        };
        if (!strcmp(t->pkgpath, "builtin")) {
            for (size_t i = 0; i < GD_ARRAY_LEN(b); i++)
                if (!strcmp(b[i].n, t->name)) return b[i].s;
            return -1;
        }
        if (!strcmp(t->pkgpath, "time") && !strcmp(t->name, "Time")) return 24;
        if (!strcmp(t->pkgpath, "time") && !strcmp(t->name, "Duration")) return 8;
        if (!strcmp(t->pkgpath, "")) {
            struct ltype *u = model_underlying(p, (struct ltype *)t);
            return u && u != t ? model_sizeof(p, u) : -1;
        }
        return -1;
    }
    case LT_STRUCT: {
        const struct gofile *f = &p->files[t->decl_file];
        nid list = ast_first_child(f, t->decl);
        long size = 0, align = 1;
        if (!list) return 0;
        AST_FOR_CHILDREN(f, list, fd)
        {
            if (ast_kind(f, fd) != N_FIELD_DECLARATION) continue;
            int names = 0;
            AST_FOR_CHILDREN(f, fd, c) if (f->nodes[c].field == F_NAME) names++;
            if (!names) names = 1;
            long s = model_sizeof(p, field_decl_type(p, t->decl_file, fd, ast_child(f, fd, F_TYPE)));
            if (s < 0) return -1;
            long a = s >= 8 ? 8 : s >= 4 ? 4 : s >= 2 ? 2 : 1;
            if (a > align) align = a;
            for (int i = 0; i < names; i++) size = (size + a - 1) / a * a + s;
        }
        return (size + align - 1) / align * align;
    }
    default:
        return -1;
    }
}
