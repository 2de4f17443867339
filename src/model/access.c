/* model/access: field accesses by class across the package (access.h). */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "objects.h"

enum { PKG_CACHE_SLOT = PKG_CACHE_ACCESS };

/* Field names of the package's struct types: a cheap filter before the
 * type of a selector's operand is asked. */
struct name_set {
    const char **names;
    size_t n, cap;
};

static bool name_in(const struct name_set *s, struct str n)
{
    for (size_t i = 0; i < s->n; i++)
        if (str_eq(n, s->names[i])) return true;
    return false;
}

static void struct_field_names(struct pkg *p, struct name_set *out)
{
    for (int i = 0; i < p->ndecls; i++) {
        const struct pkg_decl *d = &p->decls[i];
        if (d->what != PD_TYPE) continue;
        const struct gofile *f = &p->files[d->file];
        nid st = ast_child(f, d->node, F_TYPE);
        if (ast_kind(f, st) != N_STRUCT_TYPE) continue;
        for (nid k = st; k < f->nodes[st].end; k++) {
            if (ast_kind(f, k) != N_FIELD_IDENTIFIER || f->nodes[k].field != F_NAME) continue;
            struct str s = ast_text(f, k);
            if (name_in(out, s)) continue;
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 64;
                out->names = xrealloc(out->names, out->cap * sizeof *out->names);
            }
            out->names[out->n++] = arena_strndup(&p->arena, s.p, s.n);
        }
    }
}

/* Is t a type whose values synchronise themselves or belong to other
 * rules: sync.*, sync/atomic.*, a channel? */
static bool self_synchronised(struct pkg *p, struct ltype *t)
{
    if (t && t->kind == LT_POINTER) t = t->elem;
    if (!t) return true; /* unknown: not judged */
    if (t->kind == LT_CHAN) return true;
    if (t->kind == LT_NAMED && (!strcmp(t->pkgpath, "sync") || !strcmp(t->pkgpath, "sync/atomic"))) return true;
    struct ltype *u = model_underlying(p, t);
    return u && u->kind == LT_CHAN;
}

struct cls_build {
    const char *cls, *type;
    struct str field;
    VEC(struct field_access) acc;
    bool addr, writes, in_go;
};

static void build(struct pkg *p, struct access_table *out)
{
    struct name_set names = {0};
    struct_field_names(p, &names);
    VEC(struct cls_build) cls = {0};
    const struct obj_model *m = objects_of(p);
    for (int fi = 0; fi < p->nfiles && names.n; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            if (ast_kind(f, k) != N_SELECTOR_EXPRESSION) continue;
            nid fld = ast_child(f, k, F_FIELD);
            struct str fname = ast_text(f, fld);
            if (!name_in(&names, fname)) continue;
            nid par = ast_parent(f, k);
            if (ast_kind(f, par) == N_CALL_EXPRESSION && f->nodes[k].field == F_FUNCTION) continue; /* x.m() */
            /* x.f.g: a path to f's own fields (often guarded by a lock
             * inside f, `d.mu.versions`), not an access of f itself */
            if (ast_kind(f, par) == N_SELECTOR_EXPRESSION && f->nodes[k].field == F_OPERAND) continue;
            nid x = ast_child(f, k, F_OPERAND);
            const char *tn = ltype_own_name(model_type_of(p, fi, x));
            if (!tn) continue;
            struct ltype *tt = model_type_of(p, fi, x);
            if (tt && tt->kind == LT_POINTER) tt = tt->elem;
            if (!tt || tt->kind != LT_NAMED || *tt->pkgpath) continue;
            struct ltype *ft = model_field_type(p, tt, fname);
            if (!ft || self_synchronised(p, ft)) continue;
            nid fn = model_enclosing_func(f, k);
            if (!fn) continue;
            const char *c = arena_printf(&p->arena, "%s.%.*s", tn, (int)fname.n, fname.p);
            struct cls_build *b = NULL;
            for (size_t i = 0; i < cls.len && !b; i++)
                if (!strcmp(cls.items[i].cls, c)) b = &cls.items[i];
            if (!b) {
                struct cls_build nb = {c, tn, {0}, {0}, false, false, false};
                nb.field = fname;
                vec_push(&cls, nb);
                b = &cls.items[cls.len - 1];
            }
            if (ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND) b->addr = true;
            struct field_access a = {model_is_write_access(f, k), fi, k, fn, model_enclosing_decl(f, k)};
            b->writes |= a.write;
            if (!b->in_go && objects_in_goroutine(p, m, fi, fn)) b->in_go = true;
            vec_push(&b->acc, a);
        }
    }
    int n = 0;
    for (size_t i = 0; i < cls.len; i++) n += !cls.items[i].addr && cls.items[i].writes && cls.items[i].in_go;
    out->classes = arena_alloc(&p->arena, sizeof(*out->classes) * (size_t)(n + 1));
    out->n = 0;
    for (size_t i = 0; i < cls.len; i++) {
        struct cls_build *b = &cls.items[i];
        if (!b->addr && b->writes && b->in_go) {
            struct field_class *fc = &out->classes[out->n++];
            fc->cls = b->cls;
            fc->type = b->type;
            fc->field = b->field;
            fc->writes = true;
            fc->nacc = (int)b->acc.len;
            fc->acc = arena_alloc(&p->arena, sizeof(*fc->acc) * b->acc.len);
            memcpy(fc->acc, b->acc.items, sizeof(*fc->acc) * b->acc.len);
        }
        vec_free(&b->acc);
    }
    vec_free(&cls);
    free(names.names);
}

const struct access_table *access_of(struct pkg *p)
{
    if (p->rule_cache[PKG_CACHE_SLOT]) return p->rule_cache[PKG_CACHE_SLOT];
    struct access_table *t = arena_alloc(&p->arena, sizeof(*t));
    build(p, t);
    p->rule_cache[PKG_CACHE_SLOT] = t;
    return t;
}
