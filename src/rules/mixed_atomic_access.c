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
 * only calls seeing it: low), the same through an unexported helper's
 * pointer parameter when every caller hands it a fresh value (low when
 * calls see it), functional options, reads of a local after a
 * Wait or receive that follows the goroutines, reads when no atomic access
 * writes. High: `x++`/`x += d` and `x = ...` in a function that uses x
 * atomically too (not counting a load in an if whose body replaces x's
 * object: a recycling check); other plain stores (resets of recycled or not yet shared
 * values are common), reads and tests are low; so are writes of a key
 * whose atomic uses are all loads, unless a goroutine reaches it. Typed atomics (atomic.Int64)
 * are methods, never `&x` arguments, so never keyed. The atomic uses, their
 * keys and the publication tests are in atomiclib (shared with GD607). */
#include "atomiclib.h"

#include "../model/objects.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct state {
    struct pkg *p;
    struct arena *a; /* keys: the package's (atomic uses) or the file's scratch arena */
    struct atomics *t;
    /* (function, key, confidence) already reported in this file: one
     * finding per variable, function and confidence (one cause) */
    VEC(struct reported { nid fn; const char *key; bool high; }) done;
};

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
static const struct atomic_use *self_defeating(struct state *s, int fi, nid x, const char *key)
{
    const struct gofile *f = &s->p->files[fi];
    nid list = ast_parent(f, x);
    if (ast_kind(f, list) != N_EXPRESSION_LIST || f->nodes[list].field != F_LEFT) return NULL;
    nid st = ast_parent(f, list);
    if (ast_kind(f, st) != N_ASSIGNMENT_STATEMENT) return NULL;
    nid right = ast_child(f, st, F_RIGHT);
    FOR_KEY_USES(s->t, key, u)
    {
        /* the very variable (`x = atomic.AddInt64(&x, 1)`, not `sn.x =
         * atomic.LoadInt64(&b.x)` of another object of the type) updated by
         * the call (a Load's result undoes nothing; a Store has no result
         * and a CompareAndSwap's is a bool, which x, whose address it takes,
         * cannot hold) */
        if (u->fi != fi || !ast_contains(f, right, u->call) || !u->write) continue;
        nid args = ast_child(f, u->call, F_ARGUMENTS);
        nid a0 = args ? ast_unparen(f, ast_first_child(f, args)) : 0;
        if (!a0 || ast_kind(f, a0) != N_UNARY_EXPRESSION || f->nodes[a0].op != OP_AND) continue;
        if (rl_same_path(s->p, fi, ast_unparen(f, ast_child(f, a0, F_OPERAND)), x)) return u;
    }
    return NULL;
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

/* Does plain access x, or one of the atomic uses of key, run in a
 * goroutine the package starts (objects_in_goroutine)? */
static bool key_in_goroutine(struct rule_ctx *ctx, struct state *s, const char *key, nid x)
{
    const struct obj_model *m = rl_objects(ctx);
    if (!m) return true;
    if (objects_in_goroutine(s->p, m, ctx->fi, x)) return true;
    FOR_KEY_USES(s->t, key, u)
    {
        if (objects_in_goroutine(s->p, m, u->fi, u->call)) return true;
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
    const char *key = atomic_key_of(s->p, s->a, ctx->fi, x);
    if (!key) return;
    bool any_write;
    const struct atomic_use *u = find_use(s, key, ctx->fi, &any_write);
    if (!u) return;
    struct str xt = ast_text(f, x);
    const struct gofile *uf = &ctx->pkg->files[u->fi];
    uint32_t uline = uf->nodes[u->call].line;
    bool write = is_write(f, x);
    bool local_key = key[0] == 'L';
    const struct atomic_use *self = write ? self_defeating(s, ctx->fi, x, key) : NULL;
    if (self) {
        struct finding *fd = rule_report_conf(
            ctx, x, CONF_HIGH,
            "%.*s = atomic.%s(&%.*s, ...) stores the result with a plain write: it races with concurrent atomic "
            "updates of %.*s and can undo them",
            (int)xt.n, xt.p, self->fn, (int)xt.n, xt.p, (int)xt.n, xt.p);
        if (fd) fd->fix = xasprintf("drop the assignment: atomic.%s already updates %.*s", self->fn, (int)xt.n, xt.p);
        return;
    }
    enum publication pub = atomic_publication(s->p, ctx->fi, x, local_key, false);
    /* a helper filling the value its callers have just made */
    if (pub == PUB_SHARED && !local_key) pub = atomic_fresh_param(s->p, ctx->fi, x);
    if (pub == PUB_NONE || in_returned_option(s, ctx->fi, x)) return;
    if (!write && !any_write) return; /* reads only, on both sides */
    if (!write && local_key && atomic_after_join(s->p, ctx->fi, x)) return;
    if (write && atomic_before_every_go(f, fn, x)) return;
    if (locked_in_common(s, ctx->fi, fn, x, xt, key, write)) return;
    /* High: a plain read-modify-write (`x++`, `x += d`), the lost-update
     * shape, or a plain store in a function that uses x atomically too.
     * A plain store elsewhere is often a reset of a value not (or no
     * longer) shared: a recycled object, set-up, a testing hook. */
    enum confidence conf = CONF_LOW;
    if (write && (!is_plain_store(f, x) || atomic_in_same_func(s, ctx->fi, x, key))) conf = CONF_HIGH;
    if (pub == PUB_CALL || rl_is_test_file(f)) conf = CONF_LOW;
    /* no atomic write anywhere, only loads: left over from an API that
     * had one, or a habit; the plain writes race with nothing unless a
     * goroutine of the package reaches the variable */
    bool vestigial = write && !any_write && !key_in_goroutine(ctx, s, key, x);
    if (vestigial) conf = CONF_LOW;
    /* `// we can update this without atomic since we are under the store
     * lock` (nats-streaming's checkSlices): a plain store the author has
     * reasoned about */
    if (conf == CONF_HIGH && write && is_plain_store(f, x) && rl_comment_near(f, f->nodes[x].line, 3, "atomic"))
        conf = CONF_LOW;
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
                              "with the atomic loads, which expect every writer to be atomic%s",
                              (int)xt.n, xt.p, u->fn, rl_base_name(uf->path), uline,
                              vestigial ? " (but no atomic operation writes it and no goroutine of the package "
                                          "reaches it: the loads may be vestigial)"
                                        : "");
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
    if (!atomic_pkg_imports(p)) return;
    struct arena scratch;
    arena_init(&scratch);
    struct state s = {.p = p, .a = &scratch};
    s.t = atomics_of(p);
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
        if (!atomic_name_used(s.t, nm)) continue;
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
           "{ b = new(buf) }; b.refs = 1`, a recycling pool) does not count as such a use. A field whose only "
           "atomic operations are loads (no Add, Store, Swap or CompareAndSwap anywhere) is written plainly by "
           "design or by an API that lost its atomic writer: its plain writes are low unless the write or a "
           "load runs in a goroutine the package starts. It stays silent on accesses "
           "to a value before it is shared (a field set right after `&T{}` or `new(T)`, a local set before "
           "the goroutines start, a write before every go statement of its function, a field filled through the "
           "pointer parameter of an unexported helper that every caller hands a value it has just made, `m := "
           "&T{}; fill(m)`), on accesses that hold "
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
