/* rules/atomic_field_copied: GD607 atomic-field-copied. A struct value whose
 * field is updated with sync/atomic functions (`atomic.AddInt64(&s.n, 1)`)
 * copied whole: `snap := *s`, `return s.stats`, `f(*s)`, a range variable,
 * a value-receiver call. The copy reads the field with a plain load.
 * How: the package's atomic uses (atomiclib) are keyed by object ("T.Server.
 * stats.n"); every shorter prefix of a writing use's key ("T.Server",
 * "T.Server.stats") is a value whose copy holds the field. A copied
 * expression is keyed the same way (a path by atomic_key_of, `*p`, `xs[i]`
 * and range elements by their type) and looked up. GD603 reports plain
 * accesses of the field itself; GD401 and vet's copylocks the copies of
 * values holding a sync lock or a typed atomic (skipped here). */
#include "atomiclib.h"

#include "../model/objects.h"

#include <stdio.h>
#include <stdlib.h>

/* A value whose copy holds an atomically updated field: a proper prefix of
 * the key of a writing atomic use, with the use to name and its context. */
struct copied_obj {
    const char *prefix;
    const struct atomic_use *use;
    enum confidence conf; /* CONF_MEDIUM: the use runs in a goroutine of the package or in exported API */
    int next;
};

struct copied_objs {
    struct copied_obj *objs;
    int n;
    int *head;
    uint32_t mask;
};

static bool in_init(const struct gofile *f, nid fn)
{
    return ast_kind(f, fn) == N_FUNCTION_DECLARATION && ast_text_is(f, ast_child(f, fn, F_NAME), "init");
}

/* Can code outside the package call the function around use u: an exported
 * function, or an exported method of an exported type? */
static bool in_exported_api(struct pkg *p, const struct atomic_use *u)
{
    const struct gofile *f = &p->files[u->fi];
    nid decl = model_enclosing_decl(f, u->call);
    int di = decl ? pkg_decl_index(p, u->fi, decl) : -1;
    if (di < 0) return false;
    const struct pkg_decl *d = &p->decls[di];
    if (!model_is_exported(str_make(d->name, strlen(d->name)))) return false;
    return d->what != PD_METHOD || (d->recv_type && model_is_exported(str_make(d->recv_type, strlen(d->recv_type))));
}

static const struct copied_obj *lookup(const struct copied_objs *c, const char *key)
{
    for (int i = c->head[atomic_str_hash(str_make(key, strlen(key))) & c->mask]; i >= 0; i = c->objs[i].next)
        if (!strcmp(c->objs[i].prefix, key)) return &c->objs[i];
    return NULL;
}

/* The package's copied objects: built once (rule cache). Uses in test
 * files, in init and loads are left out: a copy races with atomic writes
 * made while the program runs. */
static const struct copied_objs *copied_objs_of(struct pkg *p, const struct obj_model *m)
{
    if (p->rule_cache[PKG_CACHE_ATOMIC_COPIES]) return p->rule_cache[PKG_CACHE_ATOMIC_COPIES];
    struct atomics *t = atomics_of(p);
    VEC(struct copied_obj) objs = {0};
    for (int i = 0; i < t->n; i++) {
        const struct atomic_use *u = &t->uses[i];
        const struct gofile *f = &p->files[u->fi];
        nid fn = model_enclosing_func(f, u->call);
        if (!u->write || !fn || pkg_is_test_file(f) || in_init(f, model_enclosing_decl(f, u->call))) continue;
        enum confidence conf =
            objects_in_goroutine(p, m, u->fi, u->call) || in_exported_api(p, u) ? CONF_MEDIUM : CONF_LOW;
        for (const char *dot = strchr(u->key, '.'); dot; dot = strchr(dot + 1, '.')) {
            const char *prefix = arena_strndup(&p->arena, u->key, (size_t)(dot - u->key));
            bool seen = false;
            for (size_t j = 0; j < objs.len && !seen; j++) {
                struct copied_obj *o = &objs.items[j];
                if (strcmp(o->prefix, prefix)) continue;
                seen = true;
                if (conf > o->conf) o->use = u, o->conf = conf;
            }
            if (!seen) {
                struct copied_obj o = {prefix, u, conf, -1};
                vec_push(&objs, o);
            }
        }
    }
    struct copied_objs *c = arena_alloc(&p->arena, sizeof *c);
    c->n = (int)objs.len;
    c->objs = arena_alloc(&p->arena, sizeof(struct copied_obj) * (objs.len + 1));
    if (objs.len) memcpy(c->objs, objs.items, sizeof(struct copied_obj) * objs.len);
    vec_free(&objs);
    c->head = atomic_hash_heads(&p->arena, c->n, &c->mask);
    for (int i = c->n - 1; i >= 0; i--) {
        uint32_t h = atomic_str_hash(str_make(c->objs[i].prefix, strlen(c->objs[i].prefix))) & c->mask;
        c->objs[i].next = c->head[h];
        c->head[h] = i;
    }
    p->rule_cache[PKG_CACHE_ATOMIC_COPIES] = c;
    return c;
}

/* Does a value of type t hold a typed atomic (atomic.Int64...) by value?
 * Then vet's copylocks reports its copies (they hold a noCopy). */
static bool holds_typed_atomic(struct pkg *p, const struct ltype *t)
{
    static const char *const names[] = {"Bool", "Int32", "Int64", "Uint32", "Uint64", "Uintptr", "Pointer", "Value"};
    for (size_t i = 0; i < GD_ARRAY_LEN(names); i++)
        if (model_contains_by_value(p, t, "sync/atomic", names[i])) return true;
    return false;
}

/* The key of a value of type t reached through a pointer or a slice: the
 * type's, as atomic_key_of makes it for the base of a path. */
static const char *type_key(struct pkg *p, struct arena *a, const struct ltype *t)
{
    if (!t) return NULL;
    if (t->kind == LT_NAMED) return arena_printf(a, "T%s.%s", t->pkgpath ? t->pkgpath : "", t->name);
    if (t->kind == LT_STRUCT && t->decl) return arena_printf(a, "S%d:%u", t->decl_file, t->decl);
    (void)p;
    return NULL;
}

/* What copies the value at e, or NULL when nothing does: the statement or
 * expression that makes the copy, in words, with *dest (may stay 0) the
 * variable it goes to. */
static const char *copy_context(struct rule_ctx *ctx, nid e, nid *dest)
{
    const struct gofile *f = ctx->f;
    nid x = e, par = ast_parent(f, e);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) x = par, par = ast_parent(f, par);
    switch (ast_kind(f, par)) {
    case N_EXPRESSION_LIST: {
        nid st = ast_parent(f, par);
        enum node_kind sk = ast_kind(f, st);
        if (sk == N_RETURN_STATEMENT) return "return";
        if ((sk == N_ASSIGNMENT_STATEMENT && f->nodes[st].op == OP_ASSIGN) || sk == N_SHORT_VAR_DECLARATION) {
            if (f->nodes[par].field != F_RIGHT) return NULL;
            nid left = ast_child(f, st, F_LEFT);
            if (ast_child_count(f, left) == ast_child_count(f, par)) {
                unsigned idx = 0;
                AST_FOR_CHILDREN(f, par, c)
                {
                    if (c == x) break;
                    idx++;
                }
                *dest = ast_nth_child(f, left, idx);
                if (ast_text_is(f, *dest, "_")) return NULL;
            }
            return sk == N_ASSIGNMENT_STATEMENT ? "assignment" : "declaration";
        }
        if (sk == N_VAR_SPEC && f->nodes[par].field == F_VALUE) return "declaration";
        return NULL;
    }
    case N_RETURN_STATEMENT:
        return "return";
    case N_SEND_STATEMENT:
        return f->nodes[x].field == F_VALUE ? "send" : NULL;
    case N_LITERAL_ELEMENT:
        return f->nodes[par].field == F_KEY ? NULL : "composite literal";
    case N_ARGUMENT_LIST: {
        nid call = ast_parent(f, par);
        nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
        if (ast_kind(f, fe) == N_IDENTIFIER && (model_is_builtin_call(ctx->pkg, ctx->fi, call, "len") ||
                                                model_is_builtin_call(ctx->pkg, ctx->fi, call, "cap")))
            return NULL;
        if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION) {
            nid op = ast_child(f, fe, F_OPERAND);
            if (ast_kind(f, op) == N_IDENTIFIER && model_import_path(ctx->pkg, ctx->fi, ast_text(f, op)) &&
                !strcmp(model_import_path(ctx->pkg, ctx->fi, ast_text(f, op)), "unsafe"))
                return NULL; /* unsafe.Sizeof(*s): no read */
        }
        return "argument";
    }
    default:
        return NULL;
    }
}

/* Is e the receiver of a call of a value-receiver method of its named
 * type t (`s.stats.String()` with `func (s Stats) String()`)? */
static const char *value_receiver_call(struct rule_ctx *ctx, nid e, const struct ltype *t)
{
    const struct gofile *f = ctx->f;
    nid sel = ast_parent(f, e);
    if (ast_kind(f, sel) != N_SELECTOR_EXPRESSION || f->nodes[e].field != F_OPERAND) return NULL;
    nid call = ast_parent(f, sel);
    if (ast_kind(f, call) != N_CALL_EXPRESSION || f->nodes[sel].field != F_FUNCTION) return NULL;
    if (t->kind != LT_NAMED || *t->pkgpath) return NULL;
    const struct pkg_decl *m = pkg_lookup_method(ctx->pkg, t->name, ast_text(f, ast_child(f, sel, F_FIELD)));
    if (!m) return NULL;
    const struct gofile *mf = &ctx->pkg->files[m->file];
    nid recv = ast_child(mf, m->node, F_RECEIVER);
    nid pd = recv ? ast_first_child(mf, recv) : 0;
    nid ty = pd ? ast_child(mf, pd, F_TYPE) : 0;
    if (!ty || ast_kind(mf, ty) == N_POINTER_TYPE) return NULL;
    return arena_printf(&ctx->pkg->arena, "call of value-receiver method %s", m->name);
}

struct state {
    struct arena a;
    const struct copied_objs *objs;
    VEC(struct done { nid fn; const char *key; }) done;
};

static void report(struct rule_ctx *ctx, struct state *s, nid at, nid e, const char *how, nid dest,
                   const struct ltype *t, const char *key, nid pub_root)
{
    const struct gofile *f = ctx->f;
    struct pkg *p = ctx->pkg;
    const struct copied_obj *o = lookup(s->objs, key);
    if (!o) return;
    if (rl_nocopy_in_type(p, t, NULL) || holds_typed_atomic(p, t)) return; /* GD401, vet's copylocks */
    nid fn = model_enclosing_func(f, at);
    if (!fn || in_init(f, model_enclosing_decl(f, at))) return;
    bool local_key = key[0] == 'L';
    enum confidence conf = o->conf;
    if (pub_root) {
        enum publication pub = atomic_publication(p, ctx->fi, pub_root, local_key, true);
        if (pub == PUB_NONE) return; /* a value not shared yet: a constructor's copy */
        if (pub == PUB_CALL) conf = CONF_LOW;
    }
    if (local_key && (atomic_after_join(p, ctx->fi, at) || atomic_before_every_go(f, fn, at))) return;
    if (rl_is_test_file(f)) conf = CONF_LOW;
    for (size_t i = 0; i < s->done.len; i++)
        if (s->done.items[i].fn == fn && !strcmp(s->done.items[i].key, key)) return;
    struct done d = {fn, key};
    vec_push(&s->done, d);
    const struct atomic_use *u = o->use;
    const struct gofile *uf = &p->files[u->fi];
    const char *sl = strrchr(uf->path, '/');
    struct str et = ast_text(f, e);
    const char *what = dest ? arena_printf(&s->a, "%s of %.*s", how, (int)ast_text(f, dest).n, ast_text(f, dest).p)
                            : how;
    struct finding *fd = rule_report_conf(
        ctx, at, conf,
        "%s copies %.*s (%s) by value, and with it field %s, which is updated with atomic.%s (%s:%u): the copy "
        "reads it non-atomically, racing with the atomic writes%s",
        what, (int)et.n, et.p, ltype_str(p, t), u->name, u->fn, sl ? sl + 1 : uf->path, uf->nodes[u->call].line,
        strstr(u->fn, "64") ? " (and may see a torn value on 32-bit platforms)" : "");
    if (!fd) return;
    rule_related_in(ctx, fd, u->fi, u->call, "atomic.%s on the field", u->fn);
    fd->fix = xasprintf("copy the fields one by one, reading %s with an atomic load, or make %s an atomic.Int64 "
                        "(Int32, Uint64...) and give the type a Snapshot method",
                        u->name, u->name);
}

/* A copy of the value at e (an identifier, selector, `*p` or index). */
static void check_value(struct rule_ctx *ctx, struct state *s, nid e)
{
    const struct gofile *f = ctx->f;
    struct pkg *p = ctx->pkg;
    nid dest = 0;
    const char *how = copy_context(ctx, e, &dest);
    enum node_kind ek = ast_kind(f, e);
    if (!how) { /* only a method call on e may copy it */
        nid sel = ast_parent(f, e);
        if (ek != N_IDENTIFIER && ek != N_SELECTOR_EXPRESSION) return;
        if (ast_kind(f, sel) != N_SELECTOR_EXPRESSION || f->nodes[e].field != F_OPERAND ||
            f->nodes[sel].field != F_FUNCTION)
            return;
    }
    struct ltype *t = model_type_of(p, ctx->fi, e);
    if (!t || t->kind == LT_POINTER) return;
    if (!how && !(how = value_receiver_call(ctx, e, t))) return;
    struct ltype *u = model_underlying(p, t);
    if (!u || (u->kind != LT_STRUCT && u->kind != LT_ARRAY)) return;
    const char *key = NULL;
    nid pub_root = e;
    if (ek == N_IDENTIFIER || ek == N_SELECTOR_EXPRESSION) {
        key = atomic_key_of(p, &s->a, ctx->fi, e);
    } else if (ek == N_UNARY_EXPRESSION) {
        key = type_key(p, &s->a, t);
        pub_root = ast_unparen(f, ast_child(f, e, F_OPERAND));
    } else { /* xs[i]: an element of a slice or array, not of a map */
        struct ltype *ct = model_underlying(p, model_type_of(p, ctx->fi, ast_child(f, e, F_OPERAND)));
        if (!ct || ct->kind == LT_MAP) return;
        key = type_key(p, &s->a, t);
        pub_root = 0;
    }
    if (key) report(ctx, s, e, e, how, dest, t, key, pub_root);
}

/* `for _, v := range xs` over a slice or array of values holding the field. */
static void check_range(struct rule_ctx *ctx, struct state *s, nid rc)
{
    const struct gofile *f = ctx->f;
    struct pkg *p = ctx->pkg;
    nid left = ast_child(f, rc, F_LEFT), right = ast_child(f, rc, F_RIGHT);
    nid v = left ? ast_nth_child(f, left, 1) : 0;
    if (!v || !right || ast_text_is(f, v, "_")) return;
    struct ltype *rt = model_underlying(p, model_type_of(p, ctx->fi, right));
    if (rt && rt->kind == LT_POINTER && rt->elem && rt->elem->kind == LT_ARRAY) rt = rt->elem;
    if (!rt || (rt->kind != LT_SLICE && rt->kind != LT_ARRAY) || !rt->elem || rt->elem->kind == LT_POINTER) return;
    const char *key = type_key(p, &s->a, rt->elem);
    if (!key) return;
    const char *how = arena_printf(&s->a, "range variable %.*s", (int)ast_text(f, v).n, ast_text(f, v).p);
    report(ctx, s, v, right, how, 0, rt->elem, key, 0);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    struct pkg *p = ctx->pkg;
    if (!atomic_pkg_imports(p)) return;
    const struct obj_model *m = rl_objects(ctx);
    if (!m) return;
    struct state s = {.objs = copied_objs_of(p, m)};
    if (!s.objs->n) return;
    arena_init(&s.a);
    const struct gofile *f = ctx->f;
    for (nid k = 1; k < f->nnodes; k++) {
        switch (ast_kind(f, k)) {
        case N_ERROR:
            k = f->nodes[k].end - 1;
            break;
        case N_RANGE_CLAUSE:
            check_range(ctx, &s, k);
            break;
        case N_UNARY_EXPRESSION:
            if (f->nodes[k].op == OP_MUL) check_value(ctx, &s, k);
            break;
        case N_IDENTIFIER:
            if (!rl_ident_is_decl_name(f, k)) check_value(ctx, &s, k);
            break;
        case N_SELECTOR_EXPRESSION:
        case N_INDEX_EXPRESSION:
            check_value(ctx, &s, k);
            break;
        default:
            break;
        }
    }
    vec_free(&s.done);
    arena_free(&s.a);
}

const struct rule rule_atomic_field_copied = {
    .id = "GD607",
    .name = "atomic-field-copied",
    .severity = SEV_WARNING,
    .confidence = CONF_MEDIUM,
    .summary = "A struct whose field is updated with sync/atomic functions is copied by value, reading the "
               "field non-atomically.",
    .why = "An atomic operation is atomic only against other atomic operations on the same word. Copying a "
           "struct value (`snap := *s`, `return s.stats`, `fmt.Println(s.stats)`, a range variable over a slice "
           "of such structs, a call of a value-receiver method) reads every field with plain loads, so a field "
           "that goroutines update with `atomic.AddInt64(&s.stats.n, 1)` is read while it is written: a data "
           "race that the race detector reports, and on 32-bit platforms a 64-bit field can be read half old, "
           "half new. godark keys each atomic use by the object it touches (the type reached through a pointer "
           "and the field path from it, a package variable, or a local), so a copy is reported only when the "
           "copied value holds that very field: copying the `Stats` of another object that is never updated "
           "atomically is silent. The finding names the copy, the field and one atomic write. It is medium "
           "when an atomic write to the field runs in a goroutine the package starts (or a function such a "
           "goroutine calls) or in exported API (an exported function or an exported method of an exported "
           "type), low otherwise and in tests. Silent: copies of a value not shared yet (built with `&T{}`, "
           "`new(T)` or a package constructor `newT()` in the same function, with no go statement or "
           "publication before the copy), copies of a local after the goroutines are joined or before any is "
           "started, fields only loaded atomically (plain writes are GD603's), fields updated atomically only "
           "in init or tests, map values (not addressable, so never updated atomically in place), `len` and "
           "`unsafe.Sizeof`, and types that also hold a sync lock or a typed atomic (`atomic.Int64`...): GD401 "
           "and vet's copylocks report those. GD603 reports plain reads and writes of the field itself.",
    .bad = "package metrics\n\n"
           "import \"sync/atomic\"\n\n"
           "type Stats struct {\n\tRequests int64\n}\n\n"
           "type Server struct {\n\tstats Stats\n}\n\n"
           "func (s *Server) Serve(n int) {\n\tfor i := 0; i < n; i++ {\n\t\tgo s.handle()\n\t}\n}\n\n"
           "func (s *Server) handle() { atomic.AddInt64(&s.stats.Requests, 1) }\n\n"
           "func (s *Server) Stats() Stats { return s.stats }\n",
    .good = "package metrics\n\n"
            "import \"sync/atomic\"\n\n"
            "type Stats struct {\n\tRequests int64\n}\n\n"
            "type Server struct {\n\tstats Stats\n}\n\n"
            "func (s *Server) Serve(n int) {\n\tfor i := 0; i < n; i++ {\n\t\tgo s.handle()\n\t}\n}\n\n"
            "func (s *Server) handle() { atomic.AddInt64(&s.stats.Requests, 1) }\n\n"
            "func (s *Server) Stats() Stats {\n\treturn Stats{Requests: atomic.LoadInt64(&s.stats.Requests)}\n}\n",
    .fix_safety = "Building the snapshot field by field with atomic loads keeps the result type; each field is "
                  "read atomically but the snapshot as a whole is not consistent across fields (it never was). "
                  "Switching the fields to atomic.Int64 and friends makes every plain copy a vet error, which "
                  "is the point, but changes the type for every user.",
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
