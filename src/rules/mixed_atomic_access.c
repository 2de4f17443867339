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
 * atomically too; other plain stores (resets of recycled or not yet shared
 * values are common), reads and tests are low. Typed atomics (atomic.Int64)
 * are methods, never `&x` arguments, so never keyed. The scan is repeated
 * per file of the package (no package cache): cheap, as only packages
 * importing sync/atomic are scanned. */
#include "rulelib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct atomic_use {
    const char *key;  /* "Gname", "L<fi>:<nid>[.f.g]", "F<fi>:<nid>.f" */
    const char *name; /* last name of the path, for the pre-filter */
    const char *fn;   /* "AddInt64" */
    int fi;
    nid call;
    bool write;
};

struct state {
    struct pkg *p;
    struct arena a;
    VEC(struct atomic_use) uses;
};

static const char *const fn_prefixes[] = {"Add", "And", "Or", "CompareAndSwap", "Load", "Store", "Swap"};

/* The struct type (file, struct_type node) that declares field `name` of
 * struct type u, through embedded named types of this package. */
static bool field_owner(struct pkg *p, const struct ltype *u, struct str name, int *ofi, nid *onode, int depth)
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
            *ofi = u->decl_file, *onode = u->decl;
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
            *ofi = u->decl_file, *onode = u->decl;
            return true;
        }
        if (field_owner(p, model_underlying(p, et), name, ofi, onode, depth + 1)) return true;
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
        if (model_resolve_local(p, fi, e, &d, &dn)) return arena_printf(&s->a, "L%d:%u", fi, dn);
        if (pkg_lookup(p, nm, PD_VAR) && !model_import_path(p, fi, nm))
            return arena_printf(&s->a, "G%.*s", (int)nm.n, nm.p);
        return NULL;
    }
    if (ast_kind(f, e) != N_SELECTOR_EXPRESSION) return NULL;
    nid op = ast_unparen(f, ast_child(f, e, F_OPERAND));
    struct str field = ast_text(f, ast_child(f, e, F_FIELD));
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
        const char *k = arena_strndup(&s->a, b.data, b.len);
        buf_free(&b);
        return k;
    }
    struct ltype *t = model_type_of(p, fi, op);
    if (t && t->kind == LT_POINTER) t = t->elem;
    if (!t || t->kind == LT_POINTER) return NULL;
    int ofi;
    nid onode;
    if (!field_owner(p, model_underlying(p, t), field, &ofi, &onode, 0)) return NULL;
    return arena_printf(&s->a, "F%d:%u.%.*s", ofi, onode, (int)field.n, field.p);
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
    return arena_strndup(&s->a, t.p, t.n);
}

static bool imports_atomic(const struct pkg *p, int fi)
{
    for (int i = 0; i < p->finfo[fi].nimports; i++)
        if (!strcmp(p->finfo[fi].imports[i].path, "sync/atomic")) return true;
    return false;
}

static void collect(struct state *s)
{
    struct pkg *p = s->p;
    for (int fi = 0; fi < p->nfiles; fi++) {
        if (!imports_atomic(p, fi)) continue;
        const struct gofile *f = &p->files[fi];
        for (nid n = 1; n < f->nnodes; n++) {
            if (ast_kind(f, n) != N_CALL_EXPRESSION) continue;
            nid path;
            const char *fn = atomic_fn(s, fi, n, &path);
            if (!fn) continue;
            const char *key = key_of(s, fi, path);
            if (!key) continue;
            nid last = ast_kind(f, path) == N_SELECTOR_EXPRESSION ? ast_child(f, path, F_FIELD) : path;
            struct str ln = ast_text(f, last);
            struct atomic_use u = {key, arena_strndup(&s->a, ln.p, ln.n), fn, fi, n, strncmp(fn, "Load", 4) != 0};
            vec_push(&s->uses, u);
        }
    }
}

/* The atomic use of key to name in messages (one in file fi first), or NULL;
 * *any_write tells whether some atomic use of the key writes. */
static const struct atomic_use *find_use(struct state *s, const char *key, int fi, bool *any_write)
{
    const struct atomic_use *best = NULL;
    *any_write = false;
    for (size_t i = 0; i < s->uses.len; i++) {
        const struct atomic_use *u = &s->uses.items[i];
        if (strcmp(u->key, key)) continue;
        if (u->write) *any_write = true;
        if (!best || (best->fi != fi && u->fi == fi)) best = u;
    }
    return best;
}

static bool name_used(struct state *s, struct str nm)
{
    for (size_t i = 0; i < s->uses.len; i++)
        if (str_eq(nm, s->uses.items[i].name)) return true;
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
    for (size_t i = 0; i < s->uses.len; i++) {
        const struct atomic_use *u = &s->uses.items[i];
        if (u->fi == fi && ast_contains(f, right, u->call) && !strcmp(u->key, key)) return true;
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

/* Does the function around x also use key atomically? Then it expects
 * concurrency on the variable. */
static bool atomic_in_same_func(struct state *s, int fi, nid x, const char *key)
{
    const struct gofile *f = &s->p->files[fi];
    nid fn = model_enclosing_func(f, x);
    for (size_t i = 0; i < s->uses.len; i++) {
        const struct atomic_use *u = &s->uses.items[i];
        if (u->fi == fi && model_enclosing_func(f, u->call) == fn && !strcmp(u->key, key)) return true;
    }
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
    if (!joined) return false;
    /* a loop around x that spawns again is not joined on the next round */
    for (nid a = ast_parent(f, x); a && a != fn; a = ast_parent(f, a))
        if (ast_kind(f, a) == N_FOR_STATEMENT)
            for (nid k = a; k < f->nodes[a].end; k++)
                if (ast_kind(f, k) == N_GO_STATEMENT) return false;
    return true;
}

static bool in_init(const struct gofile *f, nid fn)
{
    return ast_kind(f, fn) == N_FUNCTION_DECLARATION && ast_text_is(f, ast_child(f, fn, F_NAME), "init");
}

static const char *base_name(const char *path)
{
    const char *sl = strrchr(path, '/');
    return sl ? sl + 1 : path;
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
    /* High: a plain read-modify-write (`x++`, `x += d`), the lost-update
     * shape, or a plain store in a function that uses x atomically too.
     * A plain store elsewhere is often a reset of a value not (or no
     * longer) shared: a recycled object, set-up, a testing hook. */
    enum confidence conf = CONF_LOW;
    if (write && (!is_plain_store(f, x) || atomic_in_same_func(s, ctx->fi, x, key))) conf = CONF_HIGH;
    if (pub == PUB_CALL || rl_is_test_file(f)) conf = CONF_LOW;
    struct finding *fd;
    if (write)
        fd = rule_report_conf(ctx, x, conf,
                              "plain write to %.*s, which is also accessed with atomic.%s (%s:%u): the write races "
                              "with the atomic operations and can undo their updates",
                              (int)xt.n, xt.p, u->fn, base_name(uf->path), uline);
    else
        fd = rule_report_conf(ctx, x, conf,
                              "plain read of %.*s, which is updated with atomic functions elsewhere (atomic.%s at "
                              "%s:%u): the read races with the atomic writes and may see a stale value",
                              (int)xt.n, xt.p, u->fn, base_name(uf->path), uline);
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
    struct state s = {.p = p};
    arena_init(&s.a);
    collect(&s);
    const struct gofile *f = ctx->f;
    for (nid k = 1; k < f->nnodes && s.uses.len; k++) {
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
    vec_free(&s.uses);
    arena_free(&s.a);
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
           "`&x` to sync/atomic functions (package variables; struct fields, told apart by the type that "
           "declares them; locals) and reports their plain accesses: increments and other read-modify-writes "
           "at high confidence, reads at low confidence (they are often in set-up or tear-down code that runs "
           "alone). A plain store (`x = v`) is high only in a function that also uses x atomically; elsewhere "
           "it is often the reset of a recycled or not yet shared value, so low. It stays silent on accesses "
           "to a value before it is shared (a field set right after `&T{}` or `new(T)`, a local set before "
           "the goroutines start), on reads of a local after a Wait or receive that follows the "
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
