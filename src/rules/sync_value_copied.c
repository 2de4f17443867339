/* rules/sync_value_copied: GD401, go vet's copylocks. A value that must not
 * be copied (a sync lock, WaitGroup, Once, Cond, Pool, Map, typed atomic, a
 * package type with Lock/Unlock on its pointer, or a struct holding one by
 * value) passed, received, ranged over, assigned, returned, put in a
 * composite literal, passed as an argument or sent, so the copy has its own
 * state. Types come from the model; an unknown type is never reported. A
 * copy of a value the function has just built and not yet shared, or of a
 * zero literal's field, is low. */
#include "rulelib.h"

static const char *consequence(const char *lock)
{
    if (!strcmp(lock, "sync.WaitGroup")) return "Add, Done and Wait on the copy do not touch the original counter";
    if (!strcmp(lock, "sync.Once")) return "the copy remembers nothing, so Do may run the function again";
    if (!strcmp(lock, "sync.Cond")) return "the copy has its own waiter list, so Signal and Wait may miss each other";
    if (!strcmp(lock, "sync.Pool"))
        return "the copy has its own per-processor caches, so Put and Get on it miss the original";
    if (!strcmp(lock, "sync.Map"))
        return "the copy shares the original's read-only entries but has its own lock, so stores to one race with "
               "or never reach the other";
    if (!strncmp(lock, "atomic.", 7))
        return "the copy reads the value with a plain load, which races with the atomic updates other goroutines "
               "make, and updates of the copy never reach the original";
    if (strncmp(lock, "sync.", 5) != 0)
        return "its Lock and Unlock on the pointer receiver say it must not be copied: the copy's state is "
               "separate from the original's";
    return "locking the copy does not exclude holders of the original";
}

/* "sync.Mutex" or "Config contains sync.Mutex" */
static const char *what(struct rule_ctx *ctx, const struct ltype *t, const char *lock)
{
    const char *ts = ltype_str(ctx->pkg, t);
    if (!strcmp(ts, lock)) return lock;
    return arena_printf(&ctx->pkg->arena, "%s contains %s", ts, lock);
}

/* The single type term of a constraint node (`sync.Mutex`, `~T`,
 * `interface{ ~T; M() }`), or 0: a union or a method-only interface has
 * no one type to copy. */
static nid constraint_term(const struct gofile *f, nid c)
{
    if (ast_kind(f, c) == N_TYPE_CONSTRAINT) c = ast_first_child(f, c);
    if (!c || ast_next(f, c)) return 0;
    if (ast_kind(f, c) == N_INTERFACE_TYPE) {
        nid term = 0;
        AST_FOR_CHILDREN(f, c, el)
        {
            if (ast_kind(f, el) != N_TYPE_ELEM) continue;
            if (term || ast_child_count(f, el) != 1) return 0;
            term = ast_first_child(f, el);
        }
        c = term;
    }
    if (c && ast_kind(f, c) == N_NEGATED_TYPE) c = ast_first_child(f, c);
    return c;
}

/* Is type expression ty a type parameter of the function declaration
 * around fn? *term is its constraint's one type term, or 0. */
static bool type_param_named(const struct gofile *f, nid fn, struct str name, nid *term);

static bool type_param(const struct gofile *f, nid fn, nid ty, nid *term)
{
    *term = 0;
    if (ast_kind(f, ty) != N_TYPE_IDENTIFIER) return false;
    return type_param_named(f, fn, ast_text(f, ty), term);
}

/* Is name a type parameter of the function declaration around fn? */
static bool type_param_named(const struct gofile *f, nid fn, struct str name, nid *term)
{
    *term = 0;
    for (nid d = fn; d; d = ast_parent(f, d)) {
        enum node_kind k = ast_kind(f, d);
        if (k != N_FUNCTION_DECLARATION && k != N_METHOD_DECLARATION) continue;
        nid tps = ast_child(f, d, F_TYPE_PARAMETERS);
        if (!tps) return false;
        AST_FOR_CHILDREN(f, tps, tp)
        {
            if (ast_kind(f, tp) != N_TYPE_PARAMETER_DECLARATION) continue;
            nid c = ast_child(f, tp, F_TYPE);
            AST_FOR_CHILDREN(f, tp, nm)
            {
                if (f->nodes[nm].field != F_NAME || !str_eqs(ast_text(f, nm), name)) continue;
                *term = c ? constraint_term(f, c) : 0;
                return true;
            }
        }
        return false;
    }
    return false;
}

/* A parameter or receiver declared by value with a lock type. */
static void check_param(struct rule_ctx *ctx, nid pd)
{
    const struct gofile *f = ctx->f;
    nid list = ast_parent(f, pd);
    if (ast_kind(f, list) != N_PARAMETER_LIST) return;
    nid fn = ast_parent(f, list);
    enum node_kind fk = ast_kind(f, fn);
    if (fk != N_FUNCTION_DECLARATION && fk != N_METHOD_DECLARATION && fk != N_FUNC_LITERAL) return;
    enum node_field role = f->nodes[list].field;
    if (role != F_PARAMETERS && role != F_RECEIVER) return; /* results are new values */
    nid ty = ast_child(f, pd, F_TYPE);
    if (!ty) return;
    nid term;
    if (type_param(f, fn, ty, &term)) { /* [M sync.Mutex](m M): the type argument is that lock */
        if (!term) return;
        ty = term;
    }
    struct ltype *shown = model_type_from_expr(ctx->pkg, ctx->fi, ty);
    struct ltype *t = shown;
    bool weak;
    const char *lock = rl_nocopy_in_type(ctx->pkg, t, &weak);
    if (!lock) return;
    nid name = ast_child(f, pd, F_NAME);
    struct str nm = name ? ast_text(f, name) : ast_text(f, ty);
    const char *ts = ltype_str(ctx->pkg, shown);
    struct finding *fd;
    enum confidence conf = weak ? CONF_LOW : CONF_HIGH;
    if (role == F_RECEIVER) {
        struct str mn = ast_text(f, ast_child(f, fn, F_NAME));
        fd = rule_report_conf(ctx, pd, conf, "method %.*s has a value receiver that copies the lock: %s; %s",
                              (int)mn.n, mn.p, what(ctx, shown, lock), consequence(lock));
        if (fd) fd->fix = xasprintf("use a pointer receiver: (%.*s *%s)", name ? (int)nm.n : 0, name ? nm.p : "", ts);
    } else {
        fd = rule_report_conf(ctx, pd, conf, "parameter %.*s passes lock by value: %s; %s", (int)nm.n, nm.p,
                              what(ctx, shown, lock), consequence(lock));
        if (fd) fd->fix = xasprintf("take a pointer: *%s", ts);
    }
}

/* Is e an existing variable whose value an assignment would copy: a path
 * rooted at a variable (not a type or package name), an index expression,
 * a dereference of one, or a receive? Composite literals, calls and
 * conversions make new values and are not copies of a lock in use; a
 * field of a composite literal (`T{}.mu`) is a copy of a zero lock, and
 * sets *zero. */
static bool is_existing_value(struct rule_ctx *ctx, nid e, bool *zero)
{
    const struct gofile *f = ctx->f;
    *zero = false;
    e = ast_unparen(f, e);
    bool path = false;
    for (int guard = 0; guard < 32; guard++) {
        switch (ast_kind(f, e)) {
        case N_IDENTIFIER: {
            if (ast_text_is(f, e, "_") || ast_text_is(f, e, "nil")) return false;
            nid d, nm;
            if (model_resolve_local(ctx->pkg, ctx->fi, e, &d, &nm))
                return ast_kind(f, d) != N_TYPE_SPEC && ast_kind(f, d) != N_TYPE_ALIAS;
            const struct pkg_decl *pd = pkg_lookup(ctx->pkg, ast_text(f, e), -1);
            return pd && pd->what == PD_VAR;
        }
        case N_COMPOSITE_LITERAL:
            *zero = path;
            return path;
        case N_SELECTOR_EXPRESSION:
            e = ast_unparen(f, ast_child(f, e, F_OPERAND));
            path = true;
            continue;
        case N_INDEX_EXPRESSION:
            e = ast_unparen(f, ast_child(f, e, F_OPERAND));
            continue;
        case N_UNARY_EXPRESSION:
            if (f->nodes[e].op == OP_ARROW) return true;
            if (f->nodes[e].op != OP_MUL) return false;
            e = ast_unparen(f, ast_child(f, e, F_OPERAND));
            if (ast_kind(f, e) == N_CALL_EXPRESSION) return false; /* *newT(): maybe a zero value */
            continue;
        default:
            return false;
        }
    }
    return false;
}

/* Is e (unparenthesised) a value parameter or receiver of the enclosing
 * function? Returning it copies again, but the parameter is reported. */
static bool is_value_param(struct rule_ctx *ctx, nid e)
{
    const struct gofile *f = ctx->f;
    e = ast_unparen(f, e);
    if (ast_kind(f, e) != N_IDENTIFIER) return false;
    nid d, nm;
    return model_resolve_local(ctx->pkg, ctx->fi, e, &d, &nm) && ast_kind(f, d) == N_PARAMETER_DECLARATION &&
           ast_kind(f, ast_child(f, d, F_TYPE)) != N_POINTER_TYPE;
}

/* Does selector e name an embedded pointer field (`struct{ *T }`, e.T)? The
 * model types that field as T, not *T; this walks the embedded structs. */
static bool names_embedded_ptr(struct rule_ctx *ctx, nid e)
{
    const struct gofile *f = ctx->f;
    if (ast_kind(f, e) != N_SELECTOR_EXPRESSION) return false;
    struct str field = ast_text(f, ast_child(f, e, F_FIELD));
    struct ltype *t = model_type_of(ctx->pkg, ctx->fi, ast_child(f, e, F_OPERAND));
    if (t && t->kind == LT_POINTER) t = t->elem;
    const struct ltype *queue[16];
    int qn = 0, qi = 0;
    struct ltype *u = model_underlying(ctx->pkg, t);
    if (u && u->kind == LT_STRUCT) queue[qn++] = u;
    while (qi < qn) {
        const struct ltype *st = queue[qi++];
        if (st->decl_file < 0) continue;
        const struct gofile *g = &ctx->pkg->files[st->decl_file];
        nid list = ast_first_child(g, st->decl);
        if (!list) continue;
        AST_FOR_CHILDREN(g, list, fd)
        {
            if (ast_kind(g, fd) != N_FIELD_DECLARATION || ast_child(g, fd, F_NAME)) continue;
            nid ty = ast_child(g, fd, F_TYPE);
            nid nm = ast_kind(g, ty) == N_QUALIFIED_TYPE ? ast_child(g, ty, F_NAME)
                     : ast_kind(g, ty) == N_GENERIC_TYPE ? ast_child(g, ty, F_TYPE)
                                                         : ty;
            if (str_eqs(ast_text(g, nm), field) && rl_field_is_embedded_ptr(g, fd)) return true;
            struct ltype *et = model_underlying(ctx->pkg, model_type_from_expr(ctx->pkg, st->decl_file, ty));
            if (et && et->kind == LT_STRUCT && qn < 16) queue[qn++] = et;
        }
    }
    return false;
}

/* Is identifier e a variable initialised from an embedded pointer field
 * (`l := c.Link` with `struct{ *Link }`)? Its model type lacks the `*`. */
static bool from_embedded_ptr(struct rule_ctx *ctx, nid e)
{
    const struct gofile *f = ctx->f;
    nid d, nm;
    if (ast_kind(f, e) != N_IDENTIFIER || !model_resolve_local(ctx->pkg, ctx->fi, e, &d, &nm)) return false;
    nid left = 0, right = 0;
    if (ast_kind(f, d) == N_SHORT_VAR_DECLARATION) {
        left = ast_child(f, d, F_LEFT), right = ast_child(f, d, F_RIGHT);
    } else if (ast_kind(f, d) == N_VAR_SPEC && !ast_child(f, d, F_TYPE)) {
        left = d, right = ast_child(f, d, F_VALUE);
    } else {
        return false;
    }
    if (!right) return false;
    unsigned idx = 0;
    AST_FOR_CHILDREN(f, left, c)
    {
        if (c == nm) break;
        if (ast_kind(f, c) == N_IDENTIFIER && (left != d || f->nodes[c].field == F_NAME)) idx++;
    }
    nid r = ast_nth_child(f, right, idx);
    return r && names_embedded_ptr(ctx, ast_unparen(f, r));
}

/* Is rhs `*x` with x built in this function (`x := &T{...}` or
 * `x := new(T)`) and no go statement or func literal between that and the
 * copy: a copy of a value its constructor has not shared with any
 * goroutine yet (rclone's `tempF := *f` in NewFs, a copy to probe another
 * root)? The lock is copied unlocked and nobody else holds the original:
 * what vet's copylocks flags, but harmless until a goroutine exists. */
static bool fresh_unshared(struct rule_ctx *ctx, nid rhs)
{
    const struct gofile *f = ctx->f;
    nid u = ast_unparen(f, rhs);
    if (ast_kind(f, u) != N_UNARY_EXPRESSION || f->nodes[u].op != OP_MUL) return false;
    nid x = ast_unparen(f, ast_child(f, u, F_OPERAND));
    if (ast_kind(f, x) != N_IDENTIFIER) return false;
    nid decl = 0, name = 0;
    if (!model_resolve_local(ctx->pkg, ctx->fi, x, &decl, &name)) return false;
    if (ast_kind(f, decl) != N_SHORT_VAR_DECLARATION) return false;
    nid fn = model_enclosing_func(f, u);
    if (!fn || model_enclosing_func(f, decl) != fn) return false;
    nid left = ast_child(f, decl, F_LEFT), right = ast_child(f, decl, F_RIGHT);
    if (ast_child_count(f, left) != ast_child_count(f, right)) return false;
    nid v = ast_nth_child(f, right, 0);
    for (nid l = ast_first_child(f, left); l && l != name; l = ast_next(f, l)) v = ast_next(f, v);
    v = ast_unparen(f, v);
    bool built = (ast_kind(f, v) == N_UNARY_EXPRESSION && f->nodes[v].op == OP_AND &&
                  ast_kind(f, ast_unparen(f, ast_child(f, v, F_OPERAND))) == N_COMPOSITE_LITERAL) ||
                 model_is_builtin_call(ctx->pkg, ctx->fi, v, "new");
    if (!built) return false;
    for (nid k = decl; k < u; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_GO_STATEMENT || kk == N_FUNC_LITERAL) return false;
    }
    return true;
}

static void report_copy(struct rule_ctx *ctx, nid rhs, struct ltype *t, const char *dst, bool lowered);

/* Report rhs when it copies an existing lock value; dst names where the
 * copy goes ("assignment to x"). */
static void check_copy(struct rule_ctx *ctx, nid rhs, const char *dst)
{
    const struct gofile *f = ctx->f;
    bool zero;
    if (!is_existing_value(ctx, rhs, &zero)) return;
    if (names_embedded_ptr(ctx, ast_unparen(f, rhs)) || from_embedded_ptr(ctx, ast_unparen(f, rhs))) return;
    struct ltype *t = model_type_of(ctx->pkg, ctx->fi, ast_unparen(f, rhs));
    report_copy(ctx, rhs, t, dst, zero || fresh_unshared(ctx, rhs));
}

/* Report rhs, of type t, copied to dst (low when lowered). */
static void report_copy(struct rule_ctx *ctx, nid rhs, struct ltype *t, const char *dst, bool lowered)
{
    const struct gofile *f = ctx->f;
    if (!t || t->kind == LT_POINTER) return;
    if (t->kind == LT_TUPLE) t = t->nelems > 0 ? t->elems[0] : NULL; /* v, ok := m[k] */
    struct ltype *shown = t;
    nid term;
    if (t && t->kind == LT_NAMED && (!strcmp(t->pkgpath, "") || !strcmp(t->pkgpath, "?")) &&
        type_param_named(f, model_enclosing_func(f, rhs), (struct str){t->name, strlen(t->name)}, &term)) {
        if (!term) return; /* a value of type parameter M: its constraint's one type */
        shown = t = model_type_from_expr(ctx->pkg, ctx->fi, term);
    }
    bool weak;
    const char *lock = rl_nocopy_in_type(ctx->pkg, t, &weak);
    if (!lock) return;
    struct str r = ast_text(f, rhs);
    enum confidence conf = lowered || weak ? CONF_LOW : CONF_HIGH;
    struct finding *fd = rule_report_conf(ctx, rhs, conf, "%s copies lock value %.*s: %s; %s", dst, (int)r.n, r.p,
                                          what(ctx, shown, lock), consequence(lock));
    if (!fd) return;
    fd->fix = xasprintf("use a pointer (&%.*s) instead of copying the value", (int)r.n, r.p);
}

static const char *dest(struct rule_ctx *ctx, const char *fmt, nid n)
{
    struct str s = ast_text(ctx->f, n);
    return arena_printf(&ctx->pkg->arena, fmt, (int)s.n, s.p);
}

static void check_assign_lists(struct rule_ctx *ctx, nid left, nid right)
{
    const struct gofile *f = ctx->f;
    if (!right) return;
    if (ast_child_count(f, left) == 2 && ast_child_count(f, right) == 1) {
        /* v, ok := m[k] (or <-ch): v gets a copy */
        nid l = ast_first_child(f, left), r = ast_unparen(f, ast_first_child(f, right));
        bool commaok = ast_kind(f, r) == N_INDEX_EXPRESSION ||
                       (ast_kind(f, r) == N_UNARY_EXPRESSION && f->nodes[r].op == OP_ARROW);
        if (commaok && !ast_text_is(f, l, "_")) check_copy(ctx, r, dest(ctx, "assignment to %.*s", l));
        return;
    }
    if (ast_child_count(f, right) != ast_child_count(f, left)) return;
    nid l = ast_first_child(f, left), r = ast_first_child(f, right);
    for (; l && r; l = ast_next(f, l), r = ast_next(f, r)) {
        if (ast_kind(f, l) == N_BLANK_IDENTIFIER || ast_text_is(f, l, "_")) continue;
        check_copy(ctx, r, dest(ctx, "assignment to %.*s", l));
    }
}

static void report_range_var(struct rule_ctx *ctx, nid v, struct ltype *et)
{
    const struct gofile *f = ctx->f;
    if (!v || ast_text_is(f, v, "_") || !et || et->kind == LT_POINTER) return;
    struct ltype *shown = et;
    bool weak;
    const char *lock = rl_nocopy_in_type(ctx->pkg, et, &weak);
    if (!lock) return;
    struct str vn = ast_text(f, v);
    struct finding *fd = rule_report_conf(ctx, v, weak ? CONF_LOW : CONF_HIGH,
                                          "range variable %.*s copies lock value: %s; %s", (int)vn.n, vn.p,
                                          what(ctx, shown, lock), consequence(lock));
    if (fd) fd->fix = xasprintf("range over the indexes and use a pointer to the element (&xs[i]), or store pointers");
}

static void check_range(struct rule_ctx *ctx, nid rc)
{
    const struct gofile *f = ctx->f;
    nid left = ast_child(f, rc, F_LEFT), right = ast_child(f, rc, F_RIGHT);
    if (!left || !right) return;
    struct ltype *rt = model_underlying(ctx->pkg, model_type_of(ctx->pkg, ctx->fi, right));
    if (!rt) return;
    if (rt->kind == LT_POINTER && rt->elem && rt->elem->kind == LT_ARRAY) rt = rt->elem;
    switch (rt->kind) {
    case LT_MAP:
        report_range_var(ctx, ast_nth_child(f, left, 0), rt->key);
        /* fall through */
    case LT_SLICE:
    case LT_ARRAY:
        report_range_var(ctx, ast_nth_child(f, left, 1), rt->elem);
        return;
    case LT_CHAN:
        report_range_var(ctx, ast_nth_child(f, left, 0), rt->elem);
        return;
    default:
        return;
    }
}

/* Arguments passed by value (vet's copylocks: every call but len, cap and
 * unsafe's Sizeof, Offsetof and Alignof, which only look at the type; a
 * conversion T(x) copies too). */
static void check_call(struct rule_ctx *ctx, nid call)
{
    const struct gofile *f = ctx->f;
    static const char *const type_only[] = {"len", "cap"};
    for (size_t i = 0; i < GD_ARRAY_LEN(type_only); i++)
        if (model_is_builtin_call(ctx->pkg, ctx->fi, call, type_only[i])) return;
    static const char *const unsafe_fns[] = {"Sizeof", "Offsetof", "Alignof"};
    for (size_t i = 0; i < GD_ARRAY_LEN(unsafe_fns); i++)
        if (model_is_call(ctx->pkg, ctx->fi, call, "unsafe", unsafe_fns[i])) return;
    nid args = ast_child(f, call, F_ARGUMENTS);
    if (!args) return;
    nid fn = ast_child(f, call, F_FUNCTION);
    struct str fs = ast_text(f, fn);
    if (fs.n > 40) fs.n = 40;
    if (ast_text_is(f, fn, "new") && ast_child_count(f, args) == 1) {
        /* new(v) (Go 1.26, or a local func named new) and new(*p): the
         * parser reads the argument as a type; a variable's name is a copy */
        nid a = ast_first_child(f, args), id = a;
        bool deref = ast_kind(f, a) == N_POINTER_TYPE;
        if (deref) id = ast_first_child(f, a);
        nid d, nm;
        if (ast_kind(f, id) != N_TYPE_IDENTIFIER || !model_resolve_local(ctx->pkg, ctx->fi, id, &d, &nm)) return;
        enum node_kind dk = ast_kind(f, d);
        if (dk == N_TYPE_SPEC || dk == N_TYPE_ALIAS || dk == N_TYPE_PARAMETER_DECLARATION) return;
        nid dty = dk == N_PARAMETER_DECLARATION || dk == N_VAR_SPEC ? ast_child(f, d, F_TYPE) : 0;
        struct ltype *t = dty ? model_type_from_expr(ctx->pkg, ctx->fi, dty) : model_type_of(ctx->pkg, ctx->fi, nm);
        if (deref) t = t && t->kind == LT_POINTER ? t->elem : NULL;
        report_copy(ctx, a, t, "call of new", false);
        return;
    }
    AST_FOR_CHILDREN(f, args, a)
    {
        if (ast_kind(f, a) == N_VARIADIC_ARGUMENT) continue;
        check_copy(ctx, a, arena_printf(&ctx->pkg->arena, "call of %.*s", (int)fs.n, fs.p));
    }
}

/* Elements of a composite literal: T{mu: m}, []T{t}, map[K]T{k: t}. */
static void check_literal(struct rule_ctx *ctx, nid lit)
{
    const struct gofile *f = ctx->f;
    nid body = ast_child(f, lit, F_BODY);
    if (!body) return;
    AST_FOR_CHILDREN(f, body, el)
    {
        nid v = el;
        if (ast_kind(f, el) == N_KEYED_ELEMENT) v = ast_child(f, el, F_VALUE);
        if (!v || ast_kind(f, v) != N_LITERAL_ELEMENT) continue;
        nid x = ast_first_child(f, v);
        if (!x || ast_kind(f, x) == N_LITERAL_VALUE) continue;
        check_copy(ctx, x, "composite literal element");
    }
}

/* `for x, mu := 0, sync.Mutex{}; ...; ... {}` in Go 1.22 and later: each
 * iteration has its own mu, made by copying the previous iteration's at
 * the post statement, so a lock held across iterations is copied. */
static void check_loop_vars(struct rule_ctx *ctx, nid decl)
{
    const struct gofile *f = ctx->f;
    nid clause = ast_parent(f, decl);
    if (ast_kind(f, clause) != N_FOR_CLAUSE || f->nodes[decl].field != F_INITIALIZER) return;
    int maj, min;
    model_go_version(ctx->pkg, ctx->fi, &maj, &min, NULL);
    if (min >= 0 && maj == 1 && min < 22) return; /* one variable for the whole loop */
    nid left = ast_child(f, decl, F_LEFT);
    AST_FOR_CHILDREN(f, left, id)
    {
        if (ast_kind(f, id) != N_IDENTIFIER || ast_text_is(f, id, "_")) continue;
        struct ltype *t = model_type_of(ctx->pkg, ctx->fi, id);
        if (!t || t->kind == LT_POINTER) continue;
        bool weak;
        const char *lock = rl_nocopy_in_type(ctx->pkg, t, &weak);
        if (!lock) continue;
        struct str nm = ast_text(f, id);
        struct finding *fd = rule_report_conf(
            ctx, id, weak ? CONF_LOW : CONF_HIGH,
            "for loop iteration copies lock value to %.*s: %s; since Go 1.22 each iteration gets its own %.*s, "
            "copied from the previous one's, so %s",
            (int)nm.n, nm.p, what(ctx, t, lock), (int)nm.n, nm.p, consequence(lock));
        if (fd) fd->fix = xasprintf("declare %.*s before the loop, or hold a pointer to it", (int)nm.n, nm.p);
    }
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    switch (ast_kind(f, n)) {
    case N_PARAMETER_DECLARATION:
        check_param(ctx, n);
        return;
    case N_RANGE_CLAUSE:
        check_range(ctx, n);
        return;
    case N_CALL_EXPRESSION:
        check_call(ctx, n);
        return;
    case N_COMPOSITE_LITERAL:
        check_literal(ctx, n);
        return;
    case N_SEND_STATEMENT: {
        nid ch = ast_child(f, n, F_CHANNEL);
        check_copy(ctx, ast_child(f, n, F_VALUE), dest(ctx, "send on %.*s", ch));
        return;
    }
    case N_ASSIGNMENT_STATEMENT:
        if (f->nodes[n].op != OP_ASSIGN) return;
        check_assign_lists(ctx, ast_child(f, n, F_LEFT), ast_child(f, n, F_RIGHT));
        return;
    case N_SHORT_VAR_DECLARATION:
        check_assign_lists(ctx, ast_child(f, n, F_LEFT), ast_child(f, n, F_RIGHT));
        check_loop_vars(ctx, n);
        return;
    case N_VAR_SPEC: {
        nid vals = ast_child(f, n, F_VALUE);
        if (!vals) return;
        unsigned names = 0;
        AST_FOR_CHILDREN(f, n, c) if (f->nodes[c].field == F_NAME) names++;
        if (names != ast_child_count(f, vals)) return;
        nid r = ast_first_child(f, vals);
        AST_FOR_CHILDREN(f, n, c)
        {
            if (f->nodes[c].field != F_NAME) continue;
            if (!ast_text_is(f, c, "_")) check_copy(ctx, r, dest(ctx, "declaration of %.*s", c));
            r = ast_next(f, r);
        }
        return;
    }
    case N_RETURN_STATEMENT: {
        nid list = ast_first_child(f, n);
        if (!list) return;
        nid first = ast_kind(f, list) == N_EXPRESSION_LIST ? ast_first_child(f, list) : list;
        for (nid r = first; r; r = ast_kind(f, list) == N_EXPRESSION_LIST ? ast_next(f, r) : 0)
            if (!is_value_param(ctx, r)) check_copy(ctx, r, "return");
        return;
    }
    default:
        return;
    }
}

const struct rule rule_sync_value_copied = {
    .id = "GD401",
    .name = "sync-value-copied",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A lock, WaitGroup, Once, Cond, Pool, Map, typed atomic or other value that must not be copied (or a "
               "struct holding one) is copied by value.",
    .why = "The types of package sync must not be copied after first use: their state (the lock word, the "
           "WaitGroup counter, Once's done flag, Cond's waiter list, Pool's per-processor caches, Map's entries "
           "and lock) lives in the value itself. A copy makes a second, independent object. Locking the copy "
           "does not exclude goroutines that use the original, so the data it was meant to guard is raced on; "
           "Done on a copied WaitGroup never reaches the counter that Wait watches, so Wait blocks forever or "
           "returns early; a copied Once may run its function again. The typed atomics of sync/atomic (Bool, "
           "Int32, Int64, Uint32, Uint64, Uintptr, Pointer) are the same: copying one reads it with a plain "
           "load, a data race with the goroutines that update it atomically (a struct caching a value in an "
           "atomic.Pointer, duplicated with `*c = *t`), and the copy's updates never reach the original. "
           "Covers go vet's copylocks. Like it, the rule treats as not to be copied every struct type of the "
           "package with Lock and Unlock on its pointer receiver only (a `noCopy struct{}` marker field, a spin "
           "lock; one that holds only pointers and other references keeps its state elsewhere and is low "
           "confidence), arrays of such values, and every struct holding one by value (a struct type "
           "declared inside the function too), and the standard library's exported struct types that hold "
           "one (crypto/tls.Config, net/http.Server and Transport, log.Logger, strings.Replacer, "
           "testing.T...: a table computed from Go 1.26 with go/types); and it reports the copies made by a value parameter or "
           "receiver (of function literals and of type parameters constrained to one such type too), a "
           "range variable (slice and array elements, map keys and values, "
           "channel elements), an assignment or declaration (`v, ok := m[k]` and `<-ch` included), a return, "
           "a composite literal element (`T{mu: m}`, `[]T{t}`), a call argument or conversion (`new(v)` "
           "too; not len, cap and unsafe's Sizeof, Offsetof and Alignof, which only read the type), a "
           "channel send, and, since Go 1.22 (by the file's language version), a three-clause loop that "
           "declares one (`for i, mu := 0, sync.Mutex{}; ...`: each iteration's variable is copied from "
           "the previous one's). "
           "Composite literals and values returned by calls are new values and are not reported; a field of "
           "a fresh literal (`T{}.mu`) is a zero lock and is low confidence. A copy `*x` of a value the "
           "function built itself (`x := &T{...}` or `new(T)`) with no go statement or func literal before "
           "the copy is low confidence: the lock is copied unlocked and no goroutine holds the original "
           "(a constructor probing a variant of what it builds).",
    .bad = "package p\n\nimport \"sync\"\n\ntype Counter struct {\n\tmu sync.Mutex\n\tn  int\n}\n\n"
           "func (c Counter) Inc() {\n\tc.mu.Lock()\n\tc.n++\n\tc.mu.Unlock()\n}\n",
    .good = "package p\n\nimport \"sync\"\n\ntype Counter struct {\n\tmu sync.Mutex\n\tn  int\n}\n\n"
            "func (c *Counter) Inc() {\n\tc.mu.Lock()\n\tc.n++\n\tc.mu.Unlock()\n}\n",
    .tests_low = true,
    .fix_safety = "Switching to a pointer (parameter, receiver, range over indexes) changes the function's "
                  "signature and makes writes visible to the caller; that is what lock-holding code wants, but "
                  "callers must pass an address.",
    .kinds = {N_PARAMETER_DECLARATION, N_RANGE_CLAUSE, N_ASSIGNMENT_STATEMENT, N_SHORT_VAR_DECLARATION, N_VAR_SPEC,
              N_RETURN_STATEMENT, N_CALL_EXPRESSION, N_COMPOSITE_LITERAL, N_SEND_STATEMENT},
    .visit = visit,
};
