/* rules/atomiclib: the package's sync/atomic uses keyed by object, and the
 * publication tests of plain accesses (GD603, GD607); see atomiclib.h. */
#include "atomiclib.h"

#include "../model/spawn.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const fn_prefixes[] = {"Add", "And", "Or", "CompareAndSwap", "Load", "Store", "Swap"};

/* Appends to b the path of field `name` in struct type u: ".name", or
 * ".Emb.name" when an embedded field of this package's types promotes it.
 * False when u has no such field (or its declaration is not known). */
static bool field_path(struct pkg *p, const struct ltype *u, struct str name, struct buf *b, int depth)
{
    if (!u || u->kind != LT_STRUCT || !u->decl || depth > 4) return false;
    const struct gofile *f = &p->files[u->decl_file];
    nid list = ast_first_child(f, u->decl);
    if (!list) return false;
    AST_FOR_CHILDREN(f, list, fd)
    {
        if (ast_kind(f, fd) != N_FIELD_DECLARATION) continue;
        AST_FOR_CHILDREN(f, fd, c)
        if (f->nodes[c].field == F_NAME && str_eqs(ast_text(f, c), name)) {
            buf_printf(b, ".%.*s", (int)name.n, name.p);
            return true;
        }
    }
    AST_FOR_CHILDREN(f, list, fd)
    {
        if (ast_kind(f, fd) != N_FIELD_DECLARATION || ast_child(f, fd, F_NAME)) continue;
        struct ltype *et = model_type_from_expr(p, u->decl_file, ast_child(f, fd, F_TYPE));
        if (et && et->kind == LT_POINTER) et = et->elem;
        if (!et || et->kind != LT_NAMED) continue;
        if (str_eq(name, et->name)) {
            buf_printf(b, ".%s", et->name);
            return true;
        }
        size_t len = b->len;
        buf_printf(b, ".%s", et->name);
        if (field_path(p, model_underlying(p, et), name, b, depth + 1)) return true;
        b->len = len;
        if (b->data) b->data[len] = 0;
    }
    return false;
}

/* Is e (a selector or identifier) a value that lives in a local variable:
 * a local identifier whose type is known and not a pointer, and selectors
 * of non-pointer fields from it? Fills *root_decl_name with the local. */
static bool local_value_path(struct pkg *p, int fi, nid e, nid *root_decl_name)
{
    const struct gofile *f = &p->files[fi];
    e = ast_unparen(f, e);
    if (ast_kind(f, e) == N_IDENTIFIER) {
        nid d, nm;
        if (!model_resolve_local(p, fi, e, &d, &nm)) return false;
        *root_decl_name = nm;
    } else if (ast_kind(f, e) != N_SELECTOR_EXPRESSION ||
               !local_value_path(p, fi, ast_child(f, e, F_OPERAND), root_decl_name)) {
        return false;
    }
    struct ltype *t = model_type_of(p, fi, e);
    return t && t->kind != LT_POINTER;
}

/* The key of the variable that path e denotes, or NULL when unknown. */
const char *atomic_key_of(struct pkg *p, struct arena *a, int fi, nid e)
{
    const struct gofile *f = &p->files[fi];
    e = ast_unparen(f, e);
    if (ast_kind(f, e) == N_IDENTIFIER) {
        struct str nm = ast_text(f, e);
        if (str_eq(nm, "_")) return NULL;
        nid d, dn;
        if (model_resolve_local(p, fi, e, &d, &dn)) return arena_printf(a, "L%d:%u", fi, dn);
        if (pkg_lookup(p, nm, PD_VAR) && !model_import_path(p, fi, nm))
            return arena_printf(a, "G%.*s", (int)nm.n, nm.p);
        return NULL;
    }
    if (ast_kind(f, e) != N_SELECTOR_EXPRESSION) return NULL;
    nid op = ast_unparen(f, ast_child(f, e, F_OPERAND));
    if (ast_kind(f, op) == N_IDENTIFIER) {
        nid d, dn;
        if (!model_resolve_local(p, fi, op, &d, &dn) && model_import_path(p, fi, ast_text(f, op)))
            return NULL; /* pkg.Var of another package */
    }
    nid root;
    if (local_value_path(p, fi, op, &root)) {
        /* a field inside a local struct value: the local's own memory */
        struct buf b = {0};
        buf_printf(&b, "L%d:%u", fi, root);
        /* the names after the root, outermost last */
        nid chain[16];
        int nc = 0;
        for (nid x = e; ast_kind(f, x) == N_SELECTOR_EXPRESSION && nc < 16;
             x = ast_unparen(f, ast_child(f, x, F_OPERAND)))
            chain[nc++] = ast_child(f, x, F_FIELD);
        for (int i = nc - 1; i >= 0; i--) {
            struct str t = ast_text(f, chain[i]);
            buf_printf(&b, ".%.*s", (int)t.n, t.p);
        }
        const char *k = arena_strndup(a, b.data, b.len);
        buf_free(&b);
        return k;
    }
    /* The object: walk down the selectors that stay in one value (fields
     * that are not pointers) to the base, the first operand reached
     * through a pointer (or a package variable). The key is the base's
     * type (or the variable) and the field path from it, embedded fields
     * spelled out: `c.inMsgs` of a *client and `acc.stats.inMsgs` of an
     * *Account are different objects even though both fields are
     * declared by one embedded type. */
    nid chain[16];
    int nc = 0;
    nid x = e;
    nid base = 0;
    for (;;) {
        if (nc == 16) return NULL;
        chain[nc++] = x;
        nid o = ast_unparen(f, ast_child(f, x, F_OPERAND));
        struct ltype *ot = model_type_of(p, fi, o);
        if (!ot) return NULL;
        if (ot->kind == LT_POINTER || ast_kind(f, o) != N_SELECTOR_EXPRESSION) {
            base = o;
            break;
        }
        x = o;
    }
    struct buf b = {0};
    struct ltype *bt = model_type_of(p, fi, base);
    bool ptr = bt->kind == LT_POINTER;
    if (ptr) bt = bt->elem;
    if (!bt) return NULL;
    if (!ptr && ast_kind(f, base) == N_IDENTIFIER) {
        struct str bn = ast_text(f, base);
        nid d, dn;
        if (model_resolve_local(p, fi, base, &d, &dn) || !pkg_lookup(p, bn, PD_VAR)) return NULL;
        buf_printf(&b, "G%.*s", (int)bn.n, bn.p); /* a field of a package variable */
    } else if (bt->kind == LT_NAMED) {
        buf_printf(&b, "T%s.%s", bt->pkgpath ? bt->pkgpath : "", bt->name);
    } else if (bt->kind == LT_STRUCT && bt->decl) {
        buf_printf(&b, "S%d:%u", bt->decl_file, bt->decl);
    } else {
        return NULL;
    }
    struct ltype *u = model_underlying(p, bt);
    for (int i = nc - 1; i >= 0; i--) {
        struct str fld = ast_text(f, ast_child(f, chain[i], F_FIELD));
        if (!field_path(p, u, fld, &b, 0)) {
            buf_free(&b);
            return NULL;
        }
        if (i > 0) u = model_underlying(p, model_type_of(p, fi, chain[i]));
    }
    const char *k = arena_strndup(a, b.data, b.len);
    buf_free(&b);
    return k;
}

/* If call is a sync/atomic function taking `&path` first, its name. */
static const char *atomic_fn(struct pkg *p, struct arena *a, int fi, nid call, nid *path)
{
    const struct gofile *f = &p->files[fi];
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    nid name = ast_kind(f, fe) == N_SELECTOR_EXPRESSION ? ast_child(f, fe, F_FIELD) : fe;
    if (ast_kind(f, name) != N_FIELD_IDENTIFIER && ast_kind(f, name) != N_IDENTIFIER) return NULL;
    struct str t = ast_text(f, name);
    bool ok = false;
    for (size_t i = 0; i < GD_ARRAY_LEN(fn_prefixes) && !ok; i++) ok = str_has_prefix(t, fn_prefixes[i]);
    if (!ok || t.n > 40) return NULL;
    char nm[48];
    snprintf(nm, sizeof nm, "%.*s", (int)t.n, t.p);
    if (!model_is_call(p, fi, call, "sync/atomic", nm)) return NULL;
    nid a0 = ast_unparen(f, ast_first_child(f, ast_child(f, call, F_ARGUMENTS)));
    if (ast_kind(f, a0) != N_UNARY_EXPRESSION || f->nodes[a0].op != OP_AND) return NULL;
    *path = ast_unparen(f, ast_child(f, a0, F_OPERAND));
    return arena_strndup(a, t.p, t.n);
}

bool atomic_file_imports(const struct pkg *p, int fi)
{
    for (int i = 0; i < p->finfo[fi].nimports; i++)
        if (!strcmp(p->finfo[fi].imports[i].path, "sync/atomic")) return true;
    return false;
}

bool atomic_pkg_imports(const struct pkg *p)
{
    for (int fi = 0; fi < p->nfiles; fi++)
        if (atomic_file_imports(p, fi)) return true;
    return false;
}

int *atomic_hash_heads(struct arena *a, int n, uint32_t *mask)
{
    uint32_t size = 16;
    while (size < (uint32_t)n * 2u) size <<= 1;
    *mask = size - 1;
    int *heads = arena_alloc(a, sizeof(int) * size);
    for (uint32_t i = 0; i < size; i++) heads[i] = -1;
    return heads;
}


/* The package's atomic uses: scanned once per package (the files that
 * import sync/atomic), kept in the package's arena with hash chains by
 * key and by last name, so each identifier of each file costs one chain
 * walk rather than a pass over every use. */
struct atomics *atomics_of(struct pkg *p)
{
    if (p->rule_cache[PKG_CACHE_ATOMICS]) return p->rule_cache[PKG_CACHE_ATOMICS];
    VEC(struct atomic_use) uses = {0};
    for (int fi = 0; fi < p->nfiles; fi++) {
        if (!atomic_file_imports(p, fi)) continue;
        const struct gofile *f = &p->files[fi];
        for (nid n = 1; n < f->nnodes; n++) {
            if (ast_kind(f, n) != N_CALL_EXPRESSION) continue;
            nid path;
            const char *fn = atomic_fn(p, &p->arena, fi, n, &path);
            if (!fn) continue;
            const char *key = atomic_key_of(p, &p->arena, fi, path);
            if (!key) continue;
            nid last = ast_kind(f, path) == N_SELECTOR_EXPRESSION ? ast_child(f, path, F_FIELD) : path;
            struct str ln = ast_text(f, last);
            struct atomic_use u = {key, arena_strndup(&p->arena, ln.p, ln.n), fn, fi, n, strncmp(fn, "Load", 4) != 0,
                                   -1, {{0}}, -1, -1};
            vec_push(&uses, u);
        }
    }
    struct atomics *t = arena_alloc(&p->arena, sizeof *t);
    memset(t, 0, sizeof *t);
    t->n = (int)uses.len;
    t->uses = arena_alloc(&p->arena, sizeof(struct atomic_use) * (uses.len + 1));
    if (uses.len) memcpy(t->uses, uses.items, sizeof(struct atomic_use) * uses.len);
    vec_free(&uses);
    t->key_head = atomic_hash_heads(&p->arena, t->n, &t->mask);
    t->name_head = atomic_hash_heads(&p->arena, t->n, &t->mask);
    for (int i = t->n - 1; i >= 0; i--) {
        struct atomic_use *u = &t->uses[i];
        uint32_t hk = atomic_str_hash(str_make(u->key, strlen(u->key))) & t->mask;
        uint32_t hn = atomic_str_hash(str_make(u->name, strlen(u->name))) & t->mask;
        u->next_key = t->key_head[hk];
        t->key_head[hk] = i;
        u->next_name = t->name_head[hn];
        t->name_head[hn] = i;
    }
    p->rule_cache[PKG_CACHE_ATOMICS] = t;
    return t;
}

bool atomic_name_used(const struct atomics *t, struct str nm)
{
    for (int i = t->name_head[atomic_str_hash(nm) & t->mask]; i >= 0; i = t->uses[i].next_name)
        if (str_eq(nm, t->uses[i].name)) return true;
    return false;
}

/* Is the value of var spec / := declaration d for name dn freshly made:
 * `&T{...}`, `T{...}`, `new(T)`, or `var v T` with no value (with ctor, also
 * a call of a package function named new... or New...)? */
static bool fresh_init(struct pkg *p, int fi, nid d, nid dn, bool ctor)
{
    const struct gofile *f = &p->files[fi];
    enum node_kind dk = ast_kind(f, d);
    if (dk != N_SHORT_VAR_DECLARATION && dk != N_VAR_SPEC) return false;
    bool bare;
    nid v = ast_unparen(f, model_decl_value(f, d, dn, &bare));
    if (bare) return true;
    if (!v) return false;
    if (ast_kind(f, v) == N_UNARY_EXPRESSION && f->nodes[v].op == OP_AND)
        v = ast_unparen(f, ast_child(f, v, F_OPERAND));
    if (ast_kind(f, v) == N_COMPOSITE_LITERAL) return true;
    if (model_is_builtin_call(p, fi, v, "new")) return true;
    if (!ctor || ast_kind(f, v) != N_CALL_EXPRESSION) return false;
    int ci = model_callee(p, fi, v);
    if (ci < 0 || p->decls[ci].what != PD_FUNC) return false;
    const char *cn = p->decls[ci].name;
    return !strncmp(cn, "new", 3) || !strncmp(cn, "New", 3);
}

/* Is the local with declaring name dn published between `from` and x in
 * function fn? PUB_SHARED: a go statement (or one in a loop around x), or
 * the variable stored, returned or captured; PUB_CALL: only handed to calls
 * or a method called on it (a functional option, a setter: usually still
 * construction, but the callee might start a goroutine). Field accesses
 * (`v.f`) do not publish. */
static enum publication published_between(struct pkg *p, int fi, nid fn, nid dn, uint32_t from, nid x)
{
    const struct gofile *f = &p->files[fi];
    struct str nm = ast_text(f, dn);
    uint32_t end = f->nodes[x].start_byte;
    enum publication r = PUB_NONE;
    for (nid k = fn; k < f->nodes[fn].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_GO_STATEMENT) {
            if (f->nodes[k].start_byte >= from && f->nodes[k].start_byte < end) return PUB_SHARED;
            for (nid a = ast_parent(f, x); a && a != fn; a = ast_parent(f, a))
                if (ast_kind(f, a) == N_FOR_STATEMENT && ast_contains(f, a, k)) return PUB_SHARED;
            continue;
        }
        if (f->nodes[k].start_byte < from || f->nodes[k].start_byte >= end) continue;
        if (kk != N_IDENTIFIER || k == dn || !str_eqs(ast_text(f, k), nm)) continue;
        nid d, rn;
        if (!model_resolve_local(p, fi, k, &d, &rn) || rn != dn) continue;
        if (rl_ident_is_written(f, k)) continue;
        nid par = ast_parent(f, k);
        while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) par = ast_parent(f, par);
        if (ast_kind(f, par) == N_SELECTOR_EXPRESSION) {
            if (f->nodes[par].field != F_FUNCTION) continue; /* v.field */
            r = PUB_CALL;                                     /* v.method() */
            continue;
        }
        if (ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND)
            par = ast_parent(f, par);
        if (ast_kind(f, par) == N_ARGUMENT_LIST) {
            r = PUB_CALL;
            continue;
        }
        return PUB_SHARED;
    }
    return r;
}

/* Plain access x (a local, or a field of a local) made before the value is
 * shared: the root local is declared in the same function, x is not in a
 * nested func literal, and nothing published it in between. For fields
 * reached through a pointer, the pointer must hold a fresh value. */
enum publication atomic_publication(struct pkg *p, int fi, nid x, bool local_key, bool ctor)
{
    const struct gofile *f = &p->files[fi];
    nid root = rl_path_root(f, x);
    if (!root) return PUB_SHARED;
    nid d, dn;
    if (!model_resolve_local(p, fi, root, &d, &dn)) return PUB_SHARED;
    nid fn = model_enclosing_func(f, x);
    if (model_enclosing_func(f, dn) != fn) return PUB_SHARED;
    if (!local_key && !fresh_init(p, fi, d, dn, ctor)) return PUB_SHARED;
    return published_between(p, fi, fn, dn, f->nodes[d].end_byte, x);
}

/* Does a loop around x (inside fn) start goroutines? Then x runs again
 * while the goroutines of the previous round run. */
bool atomic_loop_spawns(const struct gofile *f, nid fn, nid x)
{
    for (nid a = ast_parent(f, x); a && a != fn; a = ast_parent(f, a))
        if (ast_kind(f, a) == N_FOR_STATEMENT)
            for (nid k = a; k < f->nodes[a].end; k++)
                if (ast_kind(f, k) == N_GO_STATEMENT) return true;
    return false;
}

/* Read x of a local after the goroutines are joined: in the function of x,
 * after the last spawn (a go statement, or a func literal handed to a call
 * named Go, as errgroup's) there is a Wait call or a receive, or the last
 * func literal was handed to another call, taken to run it synchronously. */
bool atomic_after_join(struct pkg *p, int fi, nid x)
{
    const struct gofile *f = &p->files[fi];
    nid fn = model_enclosing_func(f, x);
    uint32_t at = f->nodes[x].start_byte;
    uint32_t last_spawn = 0;
    bool joined = false;
    for (nid k = fn + 1; k < f->nodes[fn].end && f->nodes[k].start_byte < at; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_GO_STATEMENT) {
            last_spawn = f->nodes[k].end_byte;
            joined = false;
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk == N_FUNC_LITERAL && ast_kind(f, ast_parent(f, k)) == N_ARGUMENT_LIST) {
            /* a callback: errgroup's (or a pool's) Go runs it concurrently;
             * other callers (RunParallel, t.Run, a worker pool's Do) are
             * taken to run it before they return */
            nid call = ast_parent(f, ast_parent(f, k));
            nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
            nid nm = ast_kind(f, fe) == N_SELECTOR_EXPRESSION ? ast_child(f, fe, F_FIELD) : fe;
            last_spawn = f->nodes[call].end_byte;
            joined = !ast_text_is(f, nm, "Go");
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (f->nodes[k].start_byte < last_spawn) continue;
        if (kk == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW) joined = true;
        if (kk == N_CALL_EXPRESSION) {
            nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
            if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION && ast_text_is(f, ast_child(f, fe, F_FIELD), "Wait"))
                joined = true;
        }
    }
    /* a loop around x that spawns again is not joined on the next round */
    return joined && !atomic_loop_spawns(f, fn, x);
}

/* Is write x made before every goroutine its function starts: the
 * function has a go statement, none before x, and no loop around x
 * starts one (the next round would write while it runs)? Then it is the
 * initialisation of a value the goroutines are about to share (a Start
 * method, a test setting a flag before `go worker()`). */
bool atomic_before_every_go(const struct gofile *f, nid fn, nid x)
{
    bool any = false;
    uint32_t at = f->nodes[x].start_byte;
    for (nid k = fn; k < f->nodes[fn].end; k++) {
        if (ast_kind(f, k) != N_GO_STATEMENT) continue;
        if (f->nodes[k].start_byte < at) return false;
        any = true;
    }
    return any && !atomic_loop_spawns(f, fn, x);
}

/* Is v (`&T{...}`, `T{...}`, `new(T)`) a freshly made value? */
static bool fresh_value(struct pkg *p, int fi, nid v)
{
    const struct gofile *f = &p->files[fi];
    v = ast_unparen(f, v);
    if (ast_kind(f, v) == N_UNARY_EXPRESSION && f->nodes[v].op == OP_AND) v = ast_unparen(f, ast_child(f, v, F_OPERAND));
    return ast_kind(f, v) == N_COMPOSITE_LITERAL || model_is_builtin_call(p, fi, v, "new");
}

/* Does call (file fi) hand its callee a value just made and not yet
 * shared as argument k: a local (a named result too) assigned `&T{}` or
 * `new(T)` by a statement before the call, in a block around it, with no
 * other assignment of it in between, or `&v` of a local `var v T`? The
 * publication of that local up to the call (published_between). */
static enum publication fresh_argument(struct pkg *p, int fi, nid call, int k)
{
    const struct gofile *f = &p->files[fi];
    nid args = ast_child(f, call, F_ARGUMENTS), a = 0;
    int i = 0;
    AST_FOR_CHILDREN(f, args, c)
    {
        if (i++ == k) a = c;
    }
    a = a ? ast_unparen(f, a) : 0;
    bool addr = a && ast_kind(f, a) == N_UNARY_EXPRESSION && f->nodes[a].op == OP_AND;
    if (addr) a = ast_unparen(f, ast_child(f, a, F_OPERAND));
    if (!a || ast_kind(f, a) != N_IDENTIFIER) return PUB_SHARED;
    nid d, dn, fn = model_enclosing_func(f, call);
    if (!fn || !model_resolve_local(p, fi, a, &d, &dn)) return PUB_SHARED;
    if (addr) {
        if (model_enclosing_func(f, dn) != fn || !fresh_init(p, fi, d, dn, false)) return PUB_SHARED;
        return published_between(p, fi, fn, dn, f->nodes[d].end_byte, a);
    }
    /* the last assignment of the local before the call */
    nid last = 0;
    uint32_t at = f->nodes[call].start_byte;
    for (nid q = fn; q < f->nodes[fn].end && f->nodes[q].start_byte < at; q++) {
        if (ast_kind(f, q) != N_IDENTIFIER || !str_eqs(ast_text(f, q), ast_text(f, a))) continue;
        nid qd, qn;
        if (q != dn && (!model_resolve_local(p, fi, q, &qd, &qn) || qn != dn)) continue;
        if (q == dn || rl_ident_is_written(f, q)) last = q;
    }
    if (!last) return PUB_SHARED;
    nid st = ast_parent(f, last);
    while (st && ast_kind(f, st) == N_EXPRESSION_LIST) st = ast_parent(f, st);
    if (!st || model_enclosing_func(f, st) != fn) return PUB_SHARED;
    enum node_kind sk = ast_kind(f, st);
    nid v = 0;
    if (sk == N_ASSIGNMENT_STATEMENT || sk == N_SHORT_VAR_DECLARATION) {
        if (sk == N_ASSIGNMENT_STATEMENT && f->nodes[st].op != OP_ASSIGN) return PUB_SHARED;
        nid left = ast_child(f, st, F_LEFT), right = ast_child(f, st, F_RIGHT);
        int li = 0, ri = 0;
        AST_FOR_CHILDREN(f, left, l)
        {
            if (l == last) break;
            li++;
        }
        AST_FOR_CHILDREN(f, right, r)
        {
            if (ri++ == li) v = r;
        }
    } else if (sk == N_VAR_SPEC) {
        bool bare;
        v = model_decl_value(f, st, last, &bare);
        if (bare) v = 0;
    }
    if (!v || !fresh_value(p, fi, v)) return PUB_SHARED;
    /* straight-line: the statement's block holds the call */
    if (!ast_contains(f, ast_parent(f, st), call)) return PUB_SHARED;
    return published_between(p, fi, fn, dn, f->nodes[st].end_byte, a);
}

enum publication atomic_fresh_param(struct pkg *p, int fi, nid x)
{
    const struct gofile *f = &p->files[fi];
    nid root = rl_path_root(f, x), d, dn;
    if (!root || !model_resolve_local(p, fi, root, &d, &dn) || ast_kind(f, d) != N_PARAMETER_DECLARATION)
        return PUB_SHARED;
    nid decl = model_enclosing_decl(f, x);
    if (!decl || model_enclosing_func(f, dn) != decl) return PUB_SHARED;
    int k = model_param_index(p, fi, decl, root);
    nid name = ast_child(f, decl, F_NAME);
    int di = pkg_decl_index(p, fi, decl);
    if (k < 0 || !name || di < 0 || model_is_exported(ast_text(f, name))) return PUB_SHARED;
    /* the helper itself: no goroutine, no callback run in one, and the
     * parameter only reached through (fields, method calls, arguments:
     * calls may keep it) */
    enum publication r = PUB_NONE;
    for (nid q = decl; q < f->nodes[decl].end; q++) {
        enum node_kind qk = ast_kind(f, q);
        if (qk == N_GO_STATEMENT) return PUB_SHARED;
        if (qk == N_CALL_EXPRESSION) {
            struct spawn_call sc;
            if (model_spawn_call(p, fi, q, &sc)) return PUB_SHARED;
            continue;
        }
        if (qk != N_IDENTIFIER || q == dn || !str_eqs(ast_text(f, q), ast_text(f, root))) continue;
        nid qd, qn;
        if (!model_resolve_local(p, fi, q, &qd, &qn) || qn != dn) continue;
        if (rl_ident_is_written(f, q)) return PUB_SHARED;
        nid par = ast_parent(f, q);
        while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) par = ast_parent(f, par);
        if (ast_kind(f, par) == N_SELECTOR_EXPRESSION) {
            if (f->nodes[par].field == F_FUNCTION) r = PUB_CALL;
            continue;
        }
        if (ast_kind(f, par) == N_BINARY_EXPRESSION &&
            (f->nodes[par].op == OP_EQL || f->nodes[par].op == OP_NEQ))
            continue;
        if (ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND) par = ast_parent(f, par);
        if (ast_kind(f, par) == N_ARGUMENT_LIST) {
            r = PUB_CALL;
            continue;
        }
        return PUB_SHARED;
    }
    /* every use of the helper's name is a call of it, handing it a value
     * just made */
    struct str hn = ast_text(f, name);
    int ncalls = 0;
    for (int gi = 0; gi < p->nfiles; gi++) {
        const struct gofile *g = &p->files[gi];
        if (!memmem(g->src, g->len, hn.p, hn.n)) continue;
        for (nid q = 1; q < g->nnodes; q++) {
            enum node_kind qk = ast_kind(g, q);
            if ((qk != N_IDENTIFIER && qk != N_FIELD_IDENTIFIER) || (gi == fi && q == name)) continue;
            if (!str_eqs(ast_text(g, q), hn)) continue;
            nid fe = q, par = ast_parent(g, q);
            if (ast_kind(g, par) == N_SELECTOR_EXPRESSION && g->nodes[q].field == F_FIELD) fe = par, par = ast_parent(g, par);
            if (ast_kind(g, par) != N_CALL_EXPRESSION || g->nodes[fe].field != F_FUNCTION) return PUB_SHARED;
            if (model_callee(p, gi, par) != di) return PUB_SHARED;
            if (model_enclosing_decl(g, par) == p->decls[di].node && gi == fi) return PUB_SHARED; /* recursion */
            enum publication cr = fresh_argument(p, gi, par, k);
            if (cr == PUB_SHARED) return PUB_SHARED;
            if (cr == PUB_CALL) r = PUB_CALL;
            ncalls++;
        }
    }
    return ncalls ? r : PUB_SHARED;
}
