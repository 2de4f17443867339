/* model/callees: calls through function values stored in struct fields
 * (issue 18, first slice; callees.h). An unexported func-typed field of a
 * package type is a closed set: only the package assigns it. When every
 * assignment in the package stores the same package function (`b.notify =
 * flush`, `T{notify: flush}`) or the same method bound to the object that
 * holds the field (`b.notify = b.count`), a call `x.notify()` calls that
 * function or method, and model_callee says so. A func literal, another
 * object's method value, or two different functions leave the field
 * unresolved (a set of several is left for later). */
#include <stdlib.h>
#include <string.h>

#include "callees.h"
#include "objects.h"

enum { PKG_CACHE_SLOT = PKG_CACHE_FUNC_FIELDS };

struct field_callee {
    const char *type;
    struct str field;
    int decl; /* the one callee, or -1: several, a literal, unknown */
};

struct callee_table {
    struct field_callee *items;
    size_t len, cap;
};

/* The decl a value stored in field `field` of object expression `holder`
 * (file fi) calls: a package function, or a method value on holder
 * itself; -1 otherwise. */
static int stored_callee(struct pkg *p, int fi, nid value, nid holder)
{
    const struct gofile *f = &p->files[fi];
    value = ast_unparen(f, value);
    if (ast_kind(f, value) == N_IDENTIFIER) {
        const struct pkg_decl *d = objects_func_value(p, fi, value);
        return d && d->what == PD_FUNC ? (int)(d - p->decls) : -1;
    }
    if (ast_kind(f, value) != N_SELECTOR_EXPRESSION || !holder) return -1;
    struct str a = ast_text(f, ast_child(f, value, F_OPERAND)), b = ast_text(f, holder);
    if (a.n != b.n || memcmp(a.p, b.p, a.n)) return -1; /* bound to another object */
    const struct pkg_decl *d = objects_func_value(p, fi, value);
    return d && d->what == PD_METHOD ? (int)(d - p->decls) : -1;
}

static void note(struct callee_table *t, const char *type, struct str field, int decl)
{
    for (size_t i = 0; i < t->len; i++) {
        struct field_callee *c = &t->items[i];
        if (strcmp(c->type, type) || !str_eqs(c->field, field)) continue;
        if (c->decl != decl) c->decl = -1;
        return;
    }
    struct field_callee c = {type, field, decl};
    vec_push(t, c);
}

/* Is node value the literal nil? Storing nil resets the hook: no callee. */
static bool is_nil(const struct gofile *f, nid value)
{
    value = ast_unparen(f, value);
    return ast_kind(f, value) == N_IDENTIFIER && ast_text_is(f, value, "nil");
}

static void build(struct pkg *p, struct callee_table *t)
{
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            enum node_kind kk = ast_kind(f, k);
            if (kk == N_ASSIGNMENT_STATEMENT) {
                nid left = ast_child(f, k, F_LEFT), right = ast_child(f, k, F_RIGHT);
                nid l = left ? ast_first_child(f, left) : 0, r = right ? ast_first_child(f, right) : 0;
                for (; l && r; l = ast_next(f, l), r = ast_next(f, r)) {
                    nid sel = ast_unparen(f, l);
                    if (ast_kind(f, sel) != N_SELECTOR_EXPRESSION) continue;
                    struct ltype *ht = model_type_of(p, fi, ast_child(f, sel, F_OPERAND));
                    const char *tn = ltype_own_name(ht);
                    if (!tn) continue;
                    if (ht->kind == LT_POINTER) ht = ht->elem;
                    struct str fname = ast_text(f, ast_child(f, sel, F_FIELD));
                    struct ltype *ft = model_underlying(p, model_field_type(p, ht, fname));
                    if (!ft || ft->kind != LT_FUNC || is_nil(f, r)) continue;
                    note(t, tn, fname, stored_callee(p, fi, r, ast_child(f, sel, F_OPERAND)));
                }
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
                struct ltype *ft = model_underlying(p, model_field_type(p, lt, fname));
                if (!ft || ft->kind != LT_FUNC || is_nil(f, value)) continue;
                note(t, tn, fname, stored_callee(p, fi, value, 0));
            }
        }
    }
}

int model_func_field_callee(struct pkg *p, const char *type, struct str field)
{
    if (!field.n || (field.p[0] >= 'A' && field.p[0] <= 'Z')) return -1; /* exported: others may set it */
    struct callee_table *t = p->rule_cache[PKG_CACHE_SLOT];
    if (!t) {
        t = arena_alloc(&p->arena, sizeof *t);
        memset(t, 0, sizeof *t);
        build(p, t);
        /* into the arena, so pkg_free frees it */
        size_t n = t->len;
        struct field_callee *items = arena_alloc(&p->arena, sizeof *items * (n + 1));
        if (n) memcpy(items, t->items, sizeof *items * n);
        vec_free(t);
        t->items = items;
        t->len = t->cap = n;
        p->rule_cache[PKG_CACHE_SLOT] = t;
    }
    for (size_t i = 0; i < t->len; i++)
        if (!strcmp(t->items[i].type, type) && str_eqs(t->items[i].field, field)) return t->items[i].decl;
    return -1;
}
