/* model/access: field accesses by class across the package (access.h). */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "objects.h"

enum { PKG_CACHE_SLOT = PKG_CACHE_ACCESS };

/* Field names of the package's struct types: a cheap filter before the
 * type of a selector's operand is asked. Open addressing over slices. */
struct name_set {
    struct str *slot; /* n == 0: empty */
    uint32_t mask, n;
};

static uint32_t name_hash(struct str n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n.n; i++) h = (h ^ (uint8_t)n.p[i]) * 1099511628211ull;
    return hash_fold32(h);
}

static bool name_in(const struct name_set *s, struct str n)
{
    if (!s->slot) return false;
    for (uint32_t h = name_hash(n) & s->mask; s->slot[h].n; h = (h + 1) & s->mask)
        if (str_eqs(s->slot[h], n)) return true;
    return false;
}

static void name_add(struct name_set *s, struct str n)
{
    if (!n.n || name_in(s, n)) return;
    if (!s->slot || (s->n + 1) * 2 > s->mask + 1) {
        uint32_t size = s->slot ? (s->mask + 1) * 2 : 256;
        struct str *slot = xcalloc(size, sizeof *slot);
        for (uint32_t i = 0; s->slot && i <= s->mask; i++) {
            if (!s->slot[i].n) continue;
            uint32_t h = name_hash(s->slot[i]) & (size - 1);
            while (slot[h].n) h = (h + 1) & (size - 1);
            slot[h] = s->slot[i];
        }
        free(s->slot);
        s->slot = slot;
        s->mask = size - 1;
    }
    uint32_t h = name_hash(n) & s->mask;
    while (s->slot[h].n) h = (h + 1) & s->mask;
    s->slot[h] = n;
    s->n++;
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
            name_add(out, ast_text(f, k));
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

/* Does selector sel (a map field) reach the map's contents: x.f[k],
 * delete/clear/len(x.f, ...), range x.f? */
static bool map_contents(struct pkg *p, int fi, nid sel)
{
    const struct gofile *f = &p->files[fi];
    nid par = ast_parent(f, sel);
    enum node_kind pk = ast_kind(f, par);
    if (pk == N_INDEX_EXPRESSION) return f->nodes[sel].field == F_OPERAND;
    if (pk == N_RANGE_CLAUSE) return f->nodes[sel].field == F_RIGHT;
    if (pk != N_ARGUMENT_LIST || ast_first_child(f, par) != sel) return false;
    nid call = ast_parent(f, par);
    return model_is_builtin_call(p, fi, call, "delete") || model_is_builtin_call(p, fi, call, "clear") ||
           model_is_builtin_call(p, fi, call, "len");
}

struct cls_build {
    const char *cls, *type;
    struct str field;
    VEC(struct field_access) acc;
    bool addr, writes, in_go, map, hook;
};

/* Is decl a method named On<Upper>... (an observer callback: its caller,
 * often another package's watcher goroutine, decides where it runs)? */
static bool hook_method(const struct gofile *f, nid decl)
{
    nid name = ast_kind(f, decl) == N_METHOD_DECLARATION ? ast_child(f, decl, F_NAME) : 0;
    struct str n = name ? ast_text(f, name) : (struct str){0};
    return n.n > 2 && n.p[0] == 'O' && n.p[1] == 'n' && n.p[2] >= 'A' && n.p[2] <= 'Z';
}

static void build(struct pkg *p, struct access_table *out)
{
    struct name_set names = {0};
    struct_field_names(p, &names);
    VEC(struct cls_build) cls = {0};
    uint32_t ix_mask = 255;
    int *ix = xmalloc(sizeof(*ix) * (ix_mask + 1));
    for (uint32_t i = 0; i <= ix_mask; i++) ix[i] = -1;
    const struct obj_model *m = objects_of(p);
    for (int fi = 0; fi < p->nfiles && names.n; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            if (ast_kind(f, k) != N_SELECTOR_EXPRESSION) continue;
            nid fld = ast_child(f, k, F_FIELD);
            struct str fname = ast_text(f, fld);
            if (!name_in(&names, fname)) continue;
            nid par = ast_parent(f, k);
            /* x.m(): a method call, unless f is a func-typed field (checked below) */
            bool called = ast_kind(f, par) == N_CALL_EXPRESSION && f->nodes[k].field == F_FUNCTION;
            /* x.f.g: a path to f's own fields (often guarded by a lock
             * inside f, `d.mu.versions`), not an access of f itself;
             * but when f is a pointer, x.f.g loads it (checked below) */
            bool through = ast_kind(f, par) == N_SELECTOR_EXPRESSION && f->nodes[k].field == F_OPERAND;
            if (through && ast_kind(f, ast_parent(f, par)) == N_CALL_EXPRESSION &&
                f->nodes[par].field == F_FUNCTION)
                continue; /* x.f.m(): a method of f's, which may lock inside */
            nid x = ast_child(f, k, F_OPERAND);
            struct ltype *tt = model_type_of(p, fi, x);
            const char *tn = ltype_own_name(tt); /* a named type of this package */
            if (!tn) continue;
            if (tt->kind == LT_POINTER) tt = tt->elem;
            struct ltype *ft = model_field_type(p, tt, fname);
            if (!ft || self_synchronised(p, ft)) continue;
            if (through && ft->kind != LT_POINTER) continue;
            if (called) {
                struct ltype *fu = model_underlying(p, ft);
                if (!fu || fu->kind != LT_FUNC) continue;
            }
            nid fn = model_enclosing_func(f, k);
            if (!fn) continue;
            /* the class by (type, field), through an index of cls */
            uint32_t h0 = (name_hash(str_make(tn, strlen(tn))) * 31u + name_hash(fname));
            struct cls_build *b = NULL;
            uint32_t h = h0 & ix_mask;
            for (; ix[h] >= 0 && !b; h = (h + 1) & ix_mask) {
                struct cls_build *cb = &cls.items[ix[h]];
                if (!strcmp(cb->type, tn) && str_eqs(cb->field, fname)) b = cb;
            }
            if (!b) {
                const char *c = arena_printf(&p->arena, "%s.%.*s", tn, (int)fname.n, fname.p);
                struct cls_build nb = {c, tn, {0}, {0}, false, false, false, false, false};
                nb.field = fname;
                struct ltype *fu = model_underlying(p, ft);
                nb.map = fu && fu->kind == LT_MAP;
                vec_push(&cls, nb);
                b = &cls.items[cls.len - 1];
                if ((cls.len + 1) * 2 > ix_mask + 1) {
                    /* grow and re-index */
                    ix_mask = ix_mask * 2 + 1;
                    ix = xrealloc(ix, sizeof(*ix) * (ix_mask + 1));
                    for (uint32_t i = 0; i <= ix_mask; i++) ix[i] = -1;
                    for (size_t i = 0; i < cls.len; i++) {
                        struct cls_build *cb = &cls.items[i];
                        uint32_t g = (name_hash(str_make(cb->type, strlen(cb->type))) * 31u + name_hash(cb->field)) & ix_mask;
                        while (ix[g] >= 0) g = (g + 1) & ix_mask;
                        ix[g] = (int)i;
                    }
                } else {
                    ix[h] = (int)(cls.len - 1);
                }
            }
            if (ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND) b->addr = true;
            /* x.f.g = v writes what f points to: x.f itself is read */
            struct field_access a = {!through && model_is_write_access(f, k), b->map && map_contents(p, fi, k), fi, k,
                                     fn, model_enclosing_decl(f, k)};
            b->writes |= a.write;
            if (a.write && !b->hook && hook_method(f, a.decl)) b->hook = true;
            if (!b->in_go && objects_in_goroutine(p, m, fi, fn)) b->in_go = true;
            vec_push(&b->acc, a);
        }
    }
    int n = 0;
#define KEPT(b) (!(b)->addr && (b)->writes && ((b)->in_go || (b)->map || (b)->hook))
    for (size_t i = 0; i < cls.len; i++) n += KEPT(&cls.items[i]);
    out->classes = arena_alloc(&p->arena, sizeof(*out->classes) * (size_t)(n + 1));
    out->n = 0;
    for (size_t i = 0; i < cls.len; i++) {
        struct cls_build *b = &cls.items[i];
        if (KEPT(b)) {
            struct field_class *fc = &out->classes[out->n++];
            fc->cls = b->cls;
            fc->type = b->type;
            fc->field = b->field;
            fc->writes = true;
            fc->map = b->map;
            fc->hook = b->hook;
            fc->nacc = (int)b->acc.len;
            fc->acc = arena_alloc(&p->arena, sizeof(*fc->acc) * b->acc.len);
            memcpy(fc->acc, b->acc.items, sizeof(*fc->acc) * b->acc.len);
        }
        vec_free(&b->acc);
    }
#undef KEPT
    vec_free(&cls);
    free(names.slot);
    free(ix);
}

const struct access_table *access_of(struct pkg *p)
{
    if (p->rule_cache[PKG_CACHE_SLOT]) return p->rule_cache[PKG_CACHE_SLOT];
    struct access_table *t = arena_alloc(&p->arena, sizeof(*t));
    build(p, t);
    p->rule_cache[PKG_CACHE_SLOT] = t;
    return t;
}
