/* rules/mixed_atomic_access: GD603 mixed-atomic-access. A variable that is
 * accessed with sync/atomic functions somewhere in the package (`atomic.
 * AddInt64(&s.n, 1)`) and with plain reads or writes elsewhere (`s.n++`,
 * `if s.n > 0`), and the self-defeating `x = atomic.AddInt64(&x, 1)`.
 * How: once per file, the package's files that import sync/atomic are
 * scanned for calls of its functions whose first argument is `&path`; the
 * path is keyed by what it denotes: a package variable by name, a field by
 * the struct type that declares it (so fields of the same name in other
 * types differ), a local (or a field path inside a local struct value) by
 * its declaration. Then the file's identifiers and selectors with a key of
 * that set are the plain accesses. Silent: outside functions and in init,
 * `&x` handed elsewhere, accesses to a fresh value (`&T{}`, new(T), a local)
 * before it is published (no go statement, store or capture in between;
 * only calls seeing it: low), functional options, reads of a local after a
 * Wait or receive that follows the goroutines, reads when no atomic access
 * writes. High: `x++`/`x += d` and `x = ...` in a function that uses x
 * atomically too (not counting a load in an if whose body replaces x's
 * object: a recycling check); other plain stores (resets of recycled or not yet shared
 * values are common), reads and tests are low. Typed atomics (atomic.Int64)
 * are methods, never `&x` arguments, so never keyed. The scan is repeated
 * per file of the package (no package cache): cheap, as only packages
 * importing sync/atomic are scanned. */
#include "rulelib.h"

#include "../model/summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct atomic_use {
    const char *key;  /* "Gname", "L<fi>:<nid>[.f.g]", "T<pkgpath>.<Type>.f.g", "S<fi>:<nid>.f" */
    const char *name; /* last name of the path, for the pre-filter */
    const char *fn;   /* "AddInt64" */
    int fi;
    nid call;
    bool write;
    /* locks held at the call (model_locks_held_at): -1 not asked yet */
    int8_t nheld;
    struct held_lock held[4];
    int next_key, next_name; /* hash chains */
};

/* The package's atomic uses, built once per package (pkg rule cache). */
struct atomics {
    struct atomic_use *uses;
    int n;
    int *key_head, *name_head;
    uint32_t mask;
};

struct state {
    struct pkg *p;
    struct arena *a; /* keys: the package's (atomic uses) or the file's scratch arena */
    struct atomics *t;
    /* (function, key, confidence) already reported in this file: one
     * finding per variable, function and confidence (one cause) */
    VEC(struct reported { nid fn; const char *key; bool high; }) done;
};

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
static const char *key_of(struct state *s, int fi, nid e)
{
    struct pkg *p = s->p;
    const struct gofile *f = &p->files[fi];
    e = ast_unparen(f, e);
    if (ast_kind(f, e) == N_IDENTIFIER) {
        struct str nm = ast_text(f, e);
        if (str_eq(nm, "_")) return NULL;
        nid d, dn;
        if (model_resolve_local(p, fi, e, &d, &dn)) return arena_printf(s->a, "L%d:%u", fi, dn);
        if (pkg_lookup(p, nm, PD_VAR) && !model_import_path(p, fi, nm))
            return arena_printf(s->a, "G%.*s", (int)nm.n, nm.p);
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
        const char *k = arena_strndup(s->a, b.data, b.len);
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
    const char *k = arena_strndup(s->a, b.data, b.len);
    buf_free(&b);
    return k;
}

/* If call is a sync/atomic function taking `&path` first, its name. */
static const char *atomic_fn(struct state *s, int fi, nid call, nid *path)
{
    const struct gofile *f = &s->p->files[fi];
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    nid name = ast_kind(f, fe) == N_SELECTOR_EXPRESSION ? ast_child(f, fe, F_FIELD) : fe;
    if (ast_kind(f, name) != N_FIELD_IDENTIFIER && ast_kind(f, name) != N_IDENTIFIER) return NULL;
    struct str t = ast_text(f, name);
    bool ok = false;
    for (size_t i = 0; i < GD_ARRAY_LEN(fn_prefixes) && !ok; i++) ok = str_has_prefix(t, fn_prefixes[i]);
    if (!ok || t.n > 40) return NULL;
    char nm[48];
    snprintf(nm, sizeof nm, "%.*s", (int)t.n, t.p);
    if (!model_is_call(s->p, fi, call, "sync/atomic", nm)) return NULL;
    nid a0 = ast_unparen(f, ast_first_child(f, ast_child(f, call, F_ARGUMENTS)));
    if (ast_kind(f, a0) != N_UNARY_EXPRESSION || f->nodes[a0].op != OP_AND) return NULL;
    *path = ast_unparen(f, ast_child(f, a0, F_OPERAND));
    return arena_strndup(s->a, t.p, t.n);
}

static bool imports_atomic(const struct pkg *p, int fi)
{
    for (int i = 0; i < p->finfo[fi].nimports; i++)
        if (!strcmp(p->finfo[fi].imports[i].path, "sync/atomic")) return true;
    return false;
}

static uint32_t str_hash(struct str s)
{
    return hash_fold32(hash_bytes(s.p, s.n));
}

/* The package's atomic uses: scanned once per package (the files that
 * import sync/atomic), kept in the package's arena with hash chains by
 * key and by last name, so each identifier of each file costs one chain
 * walk rather than a pass over every use. */
static struct atomics *atomics_of(struct state *s)
{
    struct pkg *p = s->p;
    if (p->rule_cache[PKG_CACHE_ATOMICS]) return p->rule_cache[PKG_CACHE_ATOMICS];
    VEC(struct atomic_use) uses = {0};
    struct state ks = {.p = p, .a = &p->arena};
    for (int fi = 0; fi < p->nfiles; fi++) {
        if (!imports_atomic(p, fi)) continue;
        const struct gofile *f = &p->files[fi];
        for (nid n = 1; n < f->nnodes; n++) {
            if (ast_kind(f, n) != N_CALL_EXPRESSION) continue;
            nid path;
            const char *fn = atomic_fn(&ks, fi, n, &path);
            if (!fn) continue;
            const char *key = key_of(&ks, fi, path);
            if (!key) continue;
            nid last = ast_kind(f, path) == N_SELECTOR_EXPRESSION ? ast_child(f, path, F_FIELD) : path;
            struct str ln = ast_text(f, last);
            struct atomic_use u = {key, arena_strndup(ks.a, ln.p, ln.n), fn, fi, n, strncmp(fn, "Load", 4) != 0,
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
    uint32_t size = 16;
    while (size < (uint32_t)t->n * 2u) size <<= 1;
    t->mask = size - 1;
    t->key_head = arena_alloc(&p->arena, sizeof(int) * size);
    t->name_head = arena_alloc(&p->arena, sizeof(int) * size);
    for (uint32_t i = 0; i < size; i++) t->key_head[i] = t->name_head[i] = -1;
    for (int i = t->n - 1; i >= 0; i--) {
        struct atomic_use *u = &t->uses[i];
        uint32_t hk = str_hash(str_make(u->key, strlen(u->key))) & t->mask;
        uint32_t hn = str_hash(str_make(u->name, strlen(u->name))) & t->mask;
        u->next_key = t->key_head[hk];
        t->key_head[hk] = i;
        u->next_name = t->name_head[hn];
        t->name_head[hn] = i;
    }
    p->rule_cache[PKG_CACHE_ATOMICS] = t;
    return t;
}

#define FOR_KEY_USES(t, key, u)                                                                                        \
    for (int u##_i = (t)->key_head[str_hash(str_make((key), strlen(key))) & (t)->mask], u##_once = 1; u##_once;     \
         u##_once = 0)                                                                                                 \
        for (struct atomic_use *u; u##_i >= 0 && ((u = &(t)->uses[u##_i]), 1); u##_i = u->next_key)                \
            if (strcmp(u->key, (key))) {                                                                               \
            } else

/* The atomic use of key to name in messages, or NULL: one that writes
 * first (a plain read races with writes, and naming a Load as the update
 * misleads), then one in file fi. *any_write tells whether some atomic
 * use of the key writes. */
static struct atomic_use *find_use(struct state *s, const char *key, int fi, bool *any_write)
{
    struct atomic_use *best = NULL;
    *any_write = false;
    FOR_KEY_USES(s->t, key, u)
    {
        if (u->write) *any_write = true;
        bool better = !best || (u->write && !best->write) ||
                      (u->write == best->write && best->fi != fi && u->fi == fi);
        if (better) best = u;
    }
    return best;
}

static bool name_used(struct state *s, struct str nm)
{
    for (int i = s->t->name_head[str_hash(nm) & s->t->mask]; i >= 0; i = s->t->uses[i].next_name)
        if (str_eq(nm, s->t->uses[i].name)) return true;
    return false;
}

/* Is x the whole target of a write: `x = `, `x += `, `x++`? */
static bool is_write(const struct gofile *f, nid x)
{
    nid par = ast_parent(f, x);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) x = par, par = ast_parent(f, par);
    enum node_kind pk = ast_kind(f, par);
    if (pk == N_INC_STATEMENT || pk == N_DEC_STATEMENT) return true;
    if (pk != N_EXPRESSION_LIST || f->nodes[par].field != F_LEFT) return false;
    enum node_kind sk = ast_kind(f, ast_parent(f, par));
    return sk == N_ASSIGNMENT_STATEMENT || sk == N_SHORT_VAR_DECLARATION || sk == N_RANGE_CLAUSE;
}

/* Is write target x assigned with `=` (or `:=`), not read and modified? */
static bool is_plain_store(const struct gofile *f, nid x)
{
    nid par = ast_parent(f, x);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) par = ast_parent(f, par);
    if (ast_kind(f, par) != N_EXPRESSION_LIST) return false;
    nid st = ast_parent(f, par);
    return ast_kind(f, st) != N_ASSIGNMENT_STATEMENT || f->nodes[st].op == OP_ASSIGN;
}

/* `x = atomic.AddInt64(&x, 1)`: an assignment whose right side holds an
 * atomic call on the key that x has. */
static bool self_defeating(struct state *s, int fi, nid x, const char *key)
{
    const struct gofile *f = &s->p->files[fi];
    nid list = ast_parent(f, x);
    if (ast_kind(f, list) != N_EXPRESSION_LIST || f->nodes[list].field != F_LEFT) return false;
    nid st = ast_parent(f, list);
    if (ast_kind(f, st) != N_ASSIGNMENT_STATEMENT) return false;
    nid right = ast_child(f, st, F_RIGHT);
    FOR_KEY_USES(s->t, key, u)
    {
        if (u->fi == fi && ast_contains(f, right, u->call)) return true;
    }
    return false;
}

/* Is the value of var spec / := declaration d for name dn freshly made:
 * `&T{...}`, `T{...}`, `new(T)`, or `var v T` with no value? */
static bool fresh_init(struct state *s, int fi, nid d, nid dn)
{
    const struct gofile *f = &s->p->files[fi];
    enum node_kind dk = ast_kind(f, d);
    nid right = 0;
    unsigned idx = 0;
    if (dk == N_SHORT_VAR_DECLARATION) {
        nid left = ast_child(f, d, F_LEFT);
        AST_FOR_CHILDREN(f, left, c)
        {
            if (c == dn) break;
            idx++;
        }
        right = ast_child(f, d, F_RIGHT);
    } else if (dk == N_VAR_SPEC) {
        AST_FOR_CHILDREN(f, d, c)
        {
            if (c == dn) break;
            if (f->nodes[c].field == F_NAME) idx++;
        }
        right = ast_child(f, d, F_VALUE);
        if (!right) return true;
    } else {
        return false;
    }
    nid v = ast_unparen(f, ast_nth_child(f, right, idx));
    if (ast_kind(f, right) != N_EXPRESSION_LIST) v = idx == 0 ? ast_unparen(f, right) : 0;
    if (!v) return false;
    if (ast_kind(f, v) == N_UNARY_EXPRESSION && f->nodes[v].op == OP_AND)
        v = ast_unparen(f, ast_child(f, v, F_OPERAND));
    if (ast_kind(f, v) == N_COMPOSITE_LITERAL) return true;
    return model_is_builtin_call(s->p, fi, v, "new");
}

enum publication { PUB_NONE, PUB_CALL, PUB_SHARED };

/* Is the local with declaring name dn published between `from` and x in
 * function fn? PUB_SHARED: a go statement (or one in a loop around x), or
 * the variable stored, returned or captured; PUB_CALL: only handed to calls
 * or a method called on it (a functional option, a setter: usually still
 * construction, but the callee might start a goroutine). Field accesses
 * (`v.f`) do not publish. */
static enum publication published_between(struct state *s, int fi, nid fn, nid dn, uint32_t from, nid x)
{
    const struct gofile *f = &s->p->files[fi];
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
        if (!model_resolve_local(s->p, fi, k, &d, &rn) || rn != dn) continue;
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
static enum publication publication_of(struct state *s, int fi, nid x, bool local_key)
{
    const struct gofile *f = &s->p->files[fi];
    nid root = rl_path_root(f, x);
    if (!root) return PUB_SHARED;
    nid d, dn;
    if (!model_resolve_local(s->p, fi, root, &d, &dn)) return PUB_SHARED;
    nid fn = model_enclosing_func(f, x);
    if (model_enclosing_func(f, dn) != fn) return PUB_SHARED;
    if (!local_key && !fresh_init(s, fi, d, dn)) return PUB_SHARED;
    return published_between(s, fi, fn, dn, f->nodes[d].end_byte, x);
}

/* Is the root of x a parameter of a func literal that is returned (a
 * functional option, `return func(o *T) { o.f = v }`), which configures a
 * value under construction? */
static bool in_returned_option(struct state *s, int fi, nid x)
{
    const struct gofile *f = &s->p->files[fi];
    nid root = rl_path_root(f, x), d, dn;
    if (!root || !model_resolve_local(s->p, fi, root, &d, &dn)) return false;
    if (ast_kind(f, d) != N_PARAMETER_DECLARATION) return false;
    nid lit = ast_parent(f, ast_parent(f, d));
    if (ast_kind(f, lit) != N_FUNC_LITERAL) return false;
    nid par = ast_parent(f, lit);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION || ast_kind(f, par) == N_EXPRESSION_LIST)
        par = ast_parent(f, par);
    return ast_kind(f, par) == N_RETURN_STATEMENT;
}

/* Is atomic use u a load in the condition of an if, before x, whose body
 * replaces the object x belongs to (assigns a path that x extends):
 * `if b == nil || atomic.LoadInt64(&b.refs) > 0 { b = new(buf) }; b.refs
 * = 1`? The store then hits a fresh object or one the load saw idle (a
 * recycling pool): the load is a check, not a sign of concurrent use. */
static bool load_before_replace(const struct gofile *f, const struct atomic_use *u, nid x)
{
    if (strncmp(u->fn, "Load", 4)) return false;
    nid ifs = 0;
    for (nid a = ast_parent(f, u->call), c = u->call; a; c = a, a = ast_parent(f, a)) {
        enum node_kind ak = ast_kind(f, a);
        if (ak == N_FUNC_LITERAL || ak == N_FUNCTION_DECLARATION || ak == N_METHOD_DECLARATION) return false;
        if (ak == N_IF_STATEMENT) {
            if (f->nodes[c].field != F_CONDITION) return false;
            ifs = a;
            break;
        }
    }
    if (!ifs || f->nodes[x].start_byte < f->nodes[ifs].end_byte) return false;
    nid cons = ast_child(f, ifs, F_CONSEQUENCE);
    nid obj = ast_child(f, ast_unparen(f, x), F_OPERAND);
    if (!obj || !rl_is_path(f, obj)) return false;
    for (nid k = cons; k < f->nodes[cons].end; k++) {
        if (ast_kind(f, k) != N_ASSIGNMENT_STATEMENT || f->nodes[k].op != OP_ASSIGN) continue;
        nid left = ast_child(f, k, F_LEFT);
        AST_FOR_CHILDREN(f, left, l)
        {
            if (rl_is_path(f, l) && rl_path_has_prefix(f, obj, l)) return true;
        }
    }
    return false;
}

/* Does the function around x also use key atomically? Then it expects
 * concurrency on the variable. */
static bool atomic_in_same_func(struct state *s, int fi, nid x, const char *key)
{
    const struct gofile *f = &s->p->files[fi];
    nid fn = model_enclosing_func(f, x);
    FOR_KEY_USES(s->t, key, u)
    {
        if (u->fi == fi && model_enclosing_func(f, u->call) == fn && !load_before_replace(f, u, x)) return true;
    }
    return false;
}

/* Does a loop around x (inside fn) start goroutines? Then x runs again
 * while the goroutines of the previous round run. */
static bool loop_spawns(const struct gofile *f, nid fn, nid x)
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
static bool after_join(struct state *s, int fi, nid x)
{
    const struct gofile *f = &s->p->files[fi];
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
    return joined && !loop_spawns(f, fn, x);
}

/* Is write x made before every goroutine its function starts: the
 * function has a go statement, none before x, and no loop around x
 * starts one (the next round would write while it runs)? Then it is the
 * initialisation of a value the goroutines are about to share (a Start
 * method, a test setting a flag before `go worker()`). */
static bool before_every_go(const struct gofile *f, nid fn, nid x)
{
    bool any = false;
    uint32_t at = f->nodes[x].start_byte;
    for (nid k = fn; k < f->nodes[fn].end; k++) {
        if (ast_kind(f, k) != N_GO_STATEMENT) continue;
        if (f->nodes[k].start_byte < at) return false;
        any = true;
    }
    return any && !loop_spawns(f, fn, x);
}

/* The root variable's name of a path as written ("c" of "c.stats.n",
 * "c" of the lock "c.mu"). */
static struct str root_text(const char *text, size_t max)
{
    size_t n = 0;
    while (n < max && text[n] && text[n] != '.' && text[n] != '[' && text[n] != '(') n++;
    return str_make(text, n);
}

/* Does every same-package call of the function around atomic use u
 * hold lock class cls (write-held when exclusive), on the object the call
 * is made on (`c.mu` for `c.adjustStats(...)`)? For helpers such as
 * nats-server's adjustStats, which update counters atomically but are
 * only called with the lock held. False when there is no call. */
static bool callers_hold(struct state *s, const struct atomic_use *u, const char *cls, bool exclusive)
{
    struct pkg *p = s->p;
    const struct gofile *uf = &p->files[u->fi];
    nid ufn = model_enclosing_func(uf, u->call);
    if (!ufn || ast_kind(uf, ufn) == N_FUNC_LITERAL) return false;
    nid name = ast_child(uf, ufn, F_NAME);
    if (!name) return false;
    struct str nm = ast_text(uf, name);
    int ncalls = 0;
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
            nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
            nid fnm = ast_kind(f, fe) == N_SELECTOR_EXPRESSION ? ast_child(f, fe, F_FIELD) : fe;
            if (!str_eqs(ast_text(f, fnm), nm)) continue;
            int d = model_callee(p, fi, k);
            if (d < 0 || p->decls[d].file != u->fi || p->decls[d].node != ufn) continue;
            nid cfn = model_enclosing_func(f, k);
            if (!cfn) return false;
            struct held_lock hl[4];
            int nh = model_locks_held_at(p, fi, cfn, k, hl, 4);
            struct str root = str_make("", 0);
            if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION) {
                nid r = rl_path_root(f, ast_unparen(f, ast_child(f, fe, F_OPERAND)));
                if (r) root = ast_text(f, r);
            }
            bool ok = false;
            for (int j = 0; j < nh && !ok; j++) {
                if (!hl[j].cls || !hl[j].text || strcmp(hl[j].cls, cls) || (exclusive && !hl[j].write)) continue;
                struct str lr = root_text(hl[j].text, strlen(hl[j].text));
                ok = !root.n || (lr.n == root.n && !memcmp(lr.p, root.p, root.n));
            }
            if (!ok) return false;
            ncalls++;
        }
    }
    return ncalls > 0;
}

/* Do plain access x (path text xt, writing or not) and every atomic use
 * of key that it can race with (all of them for a write, the writing
 * ones for a read) hold one lock in common, write-held on at least one
 * side, on the object the paths start from (`c.mu` for `c.stats.n`)?
 * Then they never run at the same time. */
static bool locked_in_common(struct state *s, int fi, nid fn, nid x, struct str xt, const char *key, bool write)
{
    struct held_lock hl[4];
    int nh = model_locks_held_at(s->p, fi, fn, x, hl, 4);
    if (!nh) return false;
    struct str xr = root_text(xt.p, xt.n);
    for (int i = 0; i < nh; i++) {
        if (!hl[i].cls || !hl[i].text) continue;
        struct str lr = root_text(hl[i].text, strlen(hl[i].text));
        if (lr.n != xr.n || memcmp(lr.p, xr.p, xr.n)) continue;
        bool all = true;
        FOR_KEY_USES(s->t, key, u)
        {
            if (!write && !u->write) continue;
            const struct gofile *uf = &s->p->files[u->fi];
            if (u->nheld < 0) {
                nid ufn = model_enclosing_func(uf, u->call);
                u->nheld = (int8_t)(ufn ? model_locks_held_at(s->p, u->fi, ufn, u->call, u->held, 4) : 0);
            }
            /* the atomic use's path root, from its first argument `&path` */
            nid a0 = ast_unparen(uf, ast_first_child(uf, ast_child(uf, u->call, F_ARGUMENTS)));
            nid ur = rl_path_root(uf, ast_child(uf, a0, F_OPERAND));
            struct str urs = ur ? ast_text(uf, ur) : str_make("", 0);
            bool found = false;
            for (int j = 0; j < u->nheld && !found; j++) {
                const struct held_lock *h = &u->held[j];
                if (!h->cls || !h->text || strcmp(h->cls, hl[i].cls) || !(h->write || hl[i].write)) continue;
                struct str ulr = root_text(h->text, strlen(h->text));
                found = ulr.n == urs.n && !memcmp(ulr.p, urs.p, urs.n);
            }
            if (!found && !callers_hold(s, u, hl[i].cls, !hl[i].write)) {
                all = false;
                break;
            }
        }
        if (all) return true;
    }
    return false;
}

static bool in_init(const struct gofile *f, nid fn)
{
    return ast_kind(f, fn) == N_FUNCTION_DECLARATION && ast_text_is(f, ast_child(f, fn, F_NAME), "init");
}

static void check_access(struct rule_ctx *ctx, struct state *s, nid x)
{
    const struct gofile *f = ctx->f;
    /* `&x`: handed to an atomic function or elsewhere (maybe atomic too) */
    nid par = ast_parent(f, x);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) par = ast_parent(f, par);
    if (ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND) return;
    nid fn = model_enclosing_func(f, x);
    if (!fn || in_init(f, fn)) return;
    const char *key = key_of(s, ctx->fi, x);
    if (!key) return;
    bool any_write;
    const struct atomic_use *u = find_use(s, key, ctx->fi, &any_write);
    if (!u) return;
    struct str xt = ast_text(f, x);
    const struct gofile *uf = &ctx->pkg->files[u->fi];
    uint32_t uline = uf->nodes[u->call].line;
    bool write = is_write(f, x);
    bool local_key = key[0] == 'L';
    if (write && self_defeating(s, ctx->fi, x, key)) {
        struct finding *fd = rule_report_conf(
            ctx, x, CONF_HIGH,
            "%.*s = atomic.%s(&%.*s, ...) stores the result with a plain write: it races with concurrent atomic "
            "updates of %.*s and can undo them",
            (int)xt.n, xt.p, u->fn, (int)xt.n, xt.p, (int)xt.n, xt.p);
        if (fd) fd->fix = xasprintf("drop the assignment: atomic.%s already updates %.*s", u->fn, (int)xt.n, xt.p);
        return;
    }
    enum publication pub = publication_of(s, ctx->fi, x, local_key);
    if (pub == PUB_NONE || in_returned_option(s, ctx->fi, x)) return;
    if (!write && !any_write) return; /* reads only, on both sides */
    if (!write && local_key && after_join(s, ctx->fi, x)) return;
    if (write && before_every_go(f, fn, x)) return;
    if (locked_in_common(s, ctx->fi, fn, x, xt, key, write)) return;
    /* High: a plain read-modify-write (`x++`, `x += d`), the lost-update
     * shape, or a plain store in a function that uses x atomically too.
     * A plain store elsewhere is often a reset of a value not (or no
     * longer) shared: a recycled object, set-up, a testing hook. */
    enum confidence conf = CONF_LOW;
    if (write && (!is_plain_store(f, x) || atomic_in_same_func(s, ctx->fi, x, key))) conf = CONF_HIGH;
    if (pub == PUB_CALL || rl_is_test_file(f)) conf = CONF_LOW;
    for (size_t i = 0; i < s->done.len; i++)
        if (s->done.items[i].fn == fn && s->done.items[i].high == (conf == CONF_HIGH) &&
            !strcmp(s->done.items[i].key, key))
            return;
    struct reported rep = {fn, key, conf == CONF_HIGH};
    vec_push(&s->done, rep);
    struct finding *fd;
    if (write && any_write)
        fd = rule_report_conf(ctx, x, conf,
                              "plain write to %.*s, which is also updated with atomic.%s (%s:%u): the write races "
                              "with the atomic operations and can undo their updates",
                              (int)xt.n, xt.p, u->fn, rl_base_name(uf->path), uline);
    else if (write)
        fd = rule_report_conf(ctx, x, conf,
                              "plain write to %.*s, which is also read with atomic.%s (%s:%u): the write races "
                              "with the atomic loads, which expect every writer to be atomic",
                              (int)xt.n, xt.p, u->fn, rl_base_name(uf->path), uline);
    else
        fd = rule_report_conf(ctx, x, conf,
                              "plain read of %.*s, which is updated with atomic functions elsewhere (atomic.%s at "
                              "%s:%u): the read races with the atomic writes and may see a stale value",
                              (int)xt.n, xt.p, u->fn, rl_base_name(uf->path), uline);
    if (!fd) return;
    rule_related_in(ctx, fd, u->fi, u->call, "atomic.%s on the same variable", u->fn);
    fd->fix = xasprintf("use atomic.Load/atomic.Store for every access, or make the variable an atomic.Int64 "
                        "(or Int32, Uint64, Bool, Pointer) so plain access is impossible");
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    struct pkg *p = ctx->pkg;
    bool any = false;
    for (int i = 0; i < p->nfiles && !any; i++) any = imports_atomic(p, i);
    if (!any) return;
    struct arena scratch;
    arena_init(&scratch);
    struct state s = {.p = p, .a = &scratch};
    s.t = atomics_of(&s);
    const struct gofile *f = ctx->f;
    for (nid k = 1; k < f->nnodes && s.t->n; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_ERROR) {
            k = f->nodes[k].end - 1;
            continue;
        }
        struct str nm;
        if (kk == N_IDENTIFIER) {
            nid par = ast_parent(f, k);
            if (rl_ident_is_decl_name(f, k)) continue;
            if (ast_kind(f, par) == N_LITERAL_ELEMENT && f->nodes[par].field == F_KEY) continue;
            nm = ast_text(f, k);
        } else if (kk == N_SELECTOR_EXPRESSION) {
            nm = ast_text(f, ast_child(f, k, F_FIELD));
        } else {
            continue;
        }
        if (!name_used(&s, nm)) continue;
        check_access(ctx, &s, k);
    }
    vec_free(&s.done);
    arena_free(&scratch);
}

const struct rule rule_mixed_atomic_access = {
    .id = "GD603",
    .name = "mixed-atomic-access",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A variable is accessed with sync/atomic functions in one place and with plain reads or writes "
               "in another.",
    .why = "An atomic operation is atomic only against other atomic operations on the same variable. A plain "
           "`s.n++` or `s.n = 0` next to `atomic.AddInt64(&s.n, 1)` is a data race: the plain increment is a "
           "load and a store that can interleave with the atomic add and overwrite it, so counts are lost, and "
           "the race detector reports it. A plain read racing with atomic writes may see a stale value (and "
           "on 32-bit platforms a torn 64-bit one). `x = atomic.AddInt64(&x, 1)` defeats itself: the add is "
           "atomic, the store of its result is not. godark finds the variables that the package passes as "
           "`&x` to sync/atomic functions (package variables; struct fields, told apart by the object: the "
           "type of the value reached through a pointer and the field path from it, so `c.n` of a *client and "
           "`acc.stats.n` of an *Account differ even when one embedded type declares both; locals) and reports "
           "their plain accesses, once per variable and function: increments and other read-modify-writes "
           "at high confidence, reads at low confidence (they are often in set-up or tear-down code that runs "
           "alone). A plain store (`x = v`) is high only in a function that also uses x atomically; elsewhere "
           "it is often the reset of a recycled or not yet shared value, so low. An atomic load in an if "
           "that replaces the object when it is still in use (`if b == nil || atomic.LoadInt64(&b.refs) > 0 "
           "{ b = new(buf) }; b.refs = 1`, a recycling pool) does not count as such a use. It stays silent on accesses "
           "to a value before it is shared (a field set right after `&T{}` or `new(T)`, a local set before "
           "the goroutines start, a write before every go statement of its function), on accesses that hold "
           "one lock in common with every atomic use they race with, write-held on one side (a helper "
           "counts as holding it when every caller in the package does), on reads of a local after a Wait or receive that follows the "
           "goroutines, in init functions, on `&x` handed to other functions, and on the typed atomics "
           "(`atomic.Int64`, `atomic.Bool`... of Go 1.19), which make plain access impossible: prefer them.",
    .bad = "package metrics\n\n"
           "import \"sync/atomic\"\n\n"
           "type Counter struct {\n\tn int64\n}\n\n"
           "func (c *Counter) Inc() { atomic.AddInt64(&c.n, 1) }\n\n"
           "func (c *Counter) Value() int64 { return atomic.LoadInt64(&c.n) }\n\n"
           "func (c *Counter) AddBatch(d int64) { c.n += d }\n",
    .good = "package metrics\n\n"
            "import \"sync/atomic\"\n\n"
            "type Counter struct {\n\tn int64\n}\n\n"
            "func NewCounter(start int64) *Counter {\n\tc := &Counter{}\n\tc.n = start\n\treturn c\n}\n\n"
            "func (c *Counter) Inc() { atomic.AddInt64(&c.n, 1) }\n\n"
            "func (c *Counter) Value() int64 { return atomic.LoadInt64(&c.n) }\n\n"
            "func (c *Counter) AddBatch(d int64) { atomic.AddInt64(&c.n, d) }\n",
    .fix_safety = "Replacing the plain access by atomic.Load/atomic.Store keeps the meaning and removes the race; "
                  "switching the field to atomic.Int64 changes its type for every user.",
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
