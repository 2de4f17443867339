/* rules/defer_in_loop: GD102. A defer statement in the body of a for loop
 * of the same function: each iteration adds a deferred call that only runs
 * when the function returns. Visits defer statements; walks the ancestor
 * chain to the nearest for body or function boundary. Silent when the loop
 * keeps what it defers for the function's life (issue 11); low where the
 * pile-up is harmless (test code, small tables, a release also made
 * explicitly, a call that holds nothing of the iteration). What is kept
 * follows the resource through constructors (readers[i] = newReader(r))
 * and through pointers into outer collections (ps = spec.Programs[n];
 * ps.AttachTarget = prog). */
#include <stdlib.h>

#include "fixlib.h"
#include "rulelib.h"

/* Does statement s leave the loop (or the function) unconditionally? */
static bool leaves(struct rule_ctx *ctx, nid s, bool in_switch)
{
    const struct gofile *f = ctx->f;
    switch (ast_kind(f, s)) {
    case N_RETURN_STATEMENT:
    case N_GOTO_STATEMENT:
        return true;
    case N_BREAK_STATEMENT:
        /* an unlabeled break inside a switch or select leaves only that */
        return !in_switch || ast_first_child(f, s);
    case N_EXPRESSION_STATEMENT:
        return model_is_noreturn_call(ctx->pkg, ctx->fi, ast_unparen(f, ast_first_child(f, s)));
    default:
        return false;
    }
}

/* Runs the defer at most once per call of the function: after it, on the
 * straight path to the end of the loop body, a statement leaves the loop
 * (return, break, goto, panic) before any continue. */
static bool runs_once(struct rule_ctx *ctx, nid def, nid body)
{
    const struct gofile *f = ctx->f;
    for (nid s = def; s && s != body; s = ast_parent(f, s)) {
        nid list = ast_parent(f, s);
        if (ast_kind(f, list) != N_STATEMENT_LIST) continue;
        /* is this list inside a switch or select clause (below the loop)? */
        bool in_switch = false;
        for (nid a = ast_parent(f, list); a && a != body; a = ast_parent(f, a)) {
            enum node_kind k = ast_kind(f, a);
            if (k == N_EXPRESSION_CASE || k == N_TYPE_CASE || k == N_DEFAULT_CASE || k == N_COMMUNICATION_CASE)
                in_switch = true;
        }
        for (nid t = ast_next(f, s); t; t = ast_next(f, t)) {
            if (ast_kind(f, t) == N_CONTINUE_STATEMENT) return false;
            if (leaves(ctx, t, in_switch)) return true;
        }
    }
    return false;
}

/* Is e a small constant: an int literal of at most 8? */
static bool small_int(const struct gofile *f, nid e)
{
    if (ast_kind(f, e) != N_INT_LITERAL) return false;
    struct str s = ast_text(f, e);
    char tmp[24];
    if (s.n >= sizeof tmp) return false;
    memcpy(tmp, s.p, s.n);
    tmp[s.n] = 0;
    return strtol(tmp, NULL, 0) <= 8;
}

/* A composite literal of at most 8 elements. */
static bool small_literal(const struct gofile *f, nid e)
{
    e = ast_unparen(f, e);
    if (ast_kind(f, e) == N_UNARY_EXPRESSION) e = ast_unparen(f, ast_child(f, e, F_OPERAND));
    if (ast_kind(f, e) != N_COMPOSITE_LITERAL) return false;
    nid body = ast_child(f, e, F_BODY);
    return body && ast_child_count(f, body) <= 8;
}

/* The value a variable named by name_node is declared with (var_spec or
 * short_var_declaration with as many values as names), or 0. */
static nid declared_value(const struct gofile *f, nid decl, nid name_node)
{
    enum node_kind k = ast_kind(f, decl);
    if (k != N_VAR_SPEC && k != N_SHORT_VAR_DECLARATION) return 0;
    int idx = 0, i = 0;
    nid vals = 0;
    AST_FOR_CHILDREN(f, decl, c)
    {
        if (k == N_VAR_SPEC && f->nodes[c].field == F_NAME) {
            if (c == name_node) idx = i;
            i++;
        }
        if (f->nodes[c].field == F_VALUE || (k == N_SHORT_VAR_DECLARATION && f->nodes[c].field == F_RIGHT)) vals = c;
    }
    if (k == N_SHORT_VAR_DECLARATION) {
        nid left = ast_child(f, decl, F_LEFT);
        i = 0;
        AST_FOR_CHILDREN(f, left, c)
        {
            if (c == name_node) idx = i;
            i++;
        }
    }
    if (!vals) return 0;
    if (ast_kind(f, vals) != N_EXPRESSION_LIST) return idx == 0 ? vals : 0;
    return ast_nth_child(f, vals, (unsigned)idx);
}

/* A local slice that starts empty (`var x []T`, nil, or a small literal)
 * and only grows by `x = append(x, v)` statements outside any loop, at
 * most 8 elements in all: `roots = append(roots, goroot)` under two ifs. */
static bool few_appends(struct rule_ctx *ctx, nid decl, nid name)
{
    const struct gofile *f = ctx->f;
    nid fn = model_enclosing_func(f, name);
    if (!fn) return false;
    nid v = ast_unparen(f, declared_value(f, decl, name));
    unsigned n = 0;
    if (v && model_is_builtin_call(ctx->pkg, ctx->fi, v, "make")) {
        /* make([]T, 0) or make([]T, 0, K): starts empty */
        nid len = ast_nth_child(f, ast_child(f, v, F_ARGUMENTS), 1);
        if (!len || !ast_text_is(f, len, "0")) return false;
    } else if (v && ast_kind(f, v) != N_NIL) {
        if (!small_literal(f, v)) return false;
        n = ast_child_count(f, ast_child(f, v, F_BODY));
    } else if (!v && ast_kind(f, decl) != N_VAR_SPEC) {
        return false;
    }
    for (nid k = fn; k < f->nodes[fn].end; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER || k == name) continue;
        nid d = 0, nm = 0;
        if (!model_resolve_local(ctx->pkg, ctx->fi, k, &d, &nm) || nm != name) continue;
        nid p = ast_parent(f, k);
        if (ast_kind(f, p) == N_UNARY_EXPRESSION && f->nodes[p].op == OP_AND) return false;
        if (ast_kind(f, p) != N_EXPRESSION_LIST || f->nodes[p].field != F_LEFT) continue;
        nid st = ast_parent(f, p);
        if (ast_kind(f, st) != N_ASSIGNMENT_STATEMENT) continue;
        nid rhs = ast_unparen(f, ast_first_child(f, ast_child(f, st, F_RIGHT)));
        if (ast_child_count(f, p) != 1 || !model_is_builtin_call(ctx->pkg, ctx->fi, rhs, "append")) return false;
        nid args = ast_child(f, rhs, F_ARGUMENTS);
        if (ast_child_count(f, args) != 2 || !str_eqs(ast_text(f, ast_first_child(f, args)), ast_text(f, k)))
            return false;
        if (ast_kind(f, ast_nth_child(f, args, 1)) == N_VARIADIC_ARGUMENT) return false;
        for (nid a = st; a && a != fn; a = ast_parent(f, a))
            if (ast_kind(f, a) == N_FOR_STATEMENT || ast_kind(f, a) == N_FUNC_LITERAL) return false;
        n++;
    }
    return n <= 8;
}

/* A loop that obviously runs a few times: `for i := 0; i < K; i++` with a
 * small constant K (also as one side of &&: a retry count), `for range K`,
 * or a range over a composite literal of a few elements, written in place
 * or as the value of a local or package-level variable (a test table, the
 * two probes of a capability check). */
static bool small_bounded(struct rule_ctx *ctx, nid loop)
{
    const struct gofile *f = ctx->f;
    AST_FOR_CHILDREN(f, loop, c)
    {
        if (ast_kind(f, c) == N_RANGE_CLAUSE) {
            nid r = ast_unparen(f, ast_child(f, c, F_RIGHT));
            if (small_int(f, r) || small_literal(f, r)) return true;
            if (ast_kind(f, r) != N_IDENTIFIER) return false;
            nid decl = 0, name = 0;
            if (model_resolve_local(ctx->pkg, ctx->fi, r, &decl, &name))
                return small_literal(f, declared_value(f, decl, name)) || few_appends(ctx, decl, name);
            const struct pkg_decl *d = pkg_lookup(ctx->pkg, ast_text(f, r), PD_VAR);
            if (!d) return false;
            const struct gofile *df = &ctx->pkg->files[d->file];
            return small_literal(df, declared_value(df, d->node, d->name_node));
        }
        if (ast_kind(f, c) == N_FOR_CLAUSE) {
            nid cond = ast_unparen(f, ast_child(f, c, F_CONDITION));
            /* look through && for a `x < K` conjunct */
            while (ast_kind(f, cond) == N_BINARY_EXPRESSION && f->nodes[cond].op == OP_LAND) {
                nid r = ast_unparen(f, ast_child(f, cond, F_RIGHT));
                bool less = f->nodes[r].op == OP_LSS || f->nodes[r].op == OP_LEQ;
                if (ast_kind(f, r) == N_BINARY_EXPRESSION && less && small_int(f, ast_child(f, r, F_RIGHT)))
                    return true;
                cond = ast_unparen(f, ast_child(f, cond, F_LEFT));
            }
            if (ast_kind(f, cond) != N_BINARY_EXPRESSION) return false;
            enum node_op op = f->nodes[cond].op;
            return (op == OP_LSS || op == OP_LEQ) && small_int(f, ast_child(f, cond, F_RIGHT));
        }
    }
    return false;
}

/* The variables the deferred call refers to that the loop declares (in its
 * clause or its body): what each iteration makes anew. */
#define MAX_SUBJECTS 16
struct subjects {
    nid name[MAX_SUBJECTS];
    int n;
    bool all_range; /* every one is the key or value of a range over a
                     * slice, array, map or string: an element of a
                     * collection that exists before the loop */
};

/* Is identifier k (in the deferred call) what a call acts on: the root of
 * a call's function path (f in f.Close(), f.Name(), cancel()) or of an
 * argument (filename in unlockFile(filename))? Not a flag the deferred
 * literal tests (`if err == nil`). */
static bool acted_on(const struct gofile *f, nid k)
{
    nid e = k, p = ast_parent(f, k);
    while (ast_kind(f, p) == N_SELECTOR_EXPRESSION && f->nodes[e].field == F_OPERAND) {
        e = p;
        p = ast_parent(f, p);
    }
    while (ast_kind(f, p) == N_PARENTHESIZED_EXPRESSION ||
           (ast_kind(f, p) == N_UNARY_EXPRESSION && f->nodes[p].op == OP_AND)) {
        e = p;
        p = ast_parent(f, p);
    }
    if (ast_kind(f, p) == N_CALL_EXPRESSION) return f->nodes[e].field == F_FUNCTION;
    return ast_kind(f, p) == N_ARGUMENT_LIST;
}

static void collect_subjects(struct rule_ctx *ctx, nid def, nid loop, struct subjects *s)
{
    const struct gofile *f = ctx->f;
    s->n = 0;
    s->all_range = true;
    for (nid k = def + 1; k < f->nodes[def].end; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER || !acted_on(f, k)) continue;
        nid decl = 0, name = 0;
        if (!model_resolve_local(ctx->pkg, ctx->fi, k, &decl, &name)) continue;
        if (!ast_contains(f, loop, name) || ast_contains(f, def, name)) continue;
        bool seen = false;
        for (int i = 0; i < s->n; i++) seen |= s->name[i] == name;
        if (seen) continue;
        if (s->n == MAX_SUBJECTS) {
            s->all_range = false;
            continue;
        }
        s->name[s->n++] = name;
        bool elem = ast_kind(f, decl) == N_RANGE_CLAUSE && ast_parent(f, decl) == loop;
        if (elem) {
            struct ltype *t = model_type_of(ctx->pkg, ctx->fi, ast_child(f, decl, F_RIGHT));
            if (t) t = model_underlying(ctx->pkg, t);
            /* values received from a channel are new each iteration */
            if (t && (t->kind == LT_CHAN || t->kind == LT_FUNC)) elem = false;
        }
        if (!elem) s->all_range = false;
    }
}

/* Does this use of a per-iteration variable keep its value beyond the
 * iteration on purpose: appended, stored through an index, a field or an
 * outer variable, put in a composite literal, sent on a channel, or
 * captured by a func literal or go statement of the loop body? Then the
 * resource is meant to live until the function returns. */
static bool kept_use_at(struct rule_ctx *ctx, nid id, nid loop, nid body, int depth);

/* Is name (a function's or method's) a constructor or wrapper: New...,
 * new..., Wrap..., wrap... (bufio.NewReader(f), newMetacacheReader(r))?
 * What it returns holds its argument. */
static bool wraps_name(struct str nm)
{
    static const char *const pre[] = {"New", "new", "Wrap", "wrap"};
    for (size_t i = 0; i < GD_ARRAY_LEN(pre); i++) {
        size_t l = strlen(pre[i]);
        if (nm.n >= l && !memcmp(nm.p, pre[i], l) && (nm.n == l || (nm.p[l] >= 'A' && nm.p[l] <= 'Z')))
            return true;
    }
    return false;
}

/* Does the local `name` (declared in the loop) point into something that
 * outlives the iteration: assigned somewhere in the loop from an index or
 * selector path rooted outside the loop (spec := specByTarget[t];
 * progSpec = spec.Programs[n]), or from such a local in turn? A field
 * stored through it (progSpec.AttachTarget = prog) is kept after the loop.
 * Not a value copied out of a collection (its type is known and not a
 * pointer, map, slice or interface). */
/* The identifier at the root of m[k], s.f, *p or x, or 0. */
static nid access_root(const struct gofile *f, nid e)
{
    for (int guard = 0; e && guard < 64; guard++) {
        e = ast_unparen(f, e);
        enum node_kind k = ast_kind(f, e);
        if (k == N_SELECTOR_EXPRESSION || k == N_UNARY_EXPRESSION || k == N_INDEX_EXPRESSION)
            e = ast_child(f, e, F_OPERAND);
        else
            return k == N_IDENTIFIER ? e : 0;
    }
    return 0;
}

/* Does root (from access_root) outlive an iteration of loop: 1 for a
 * package variable or one declared outside the loop, 0 for one declared in
 * it (its declaring name in *name), -1 when root is no identifier. */
static int root_outlives(struct rule_ctx *ctx, nid root, nid loop, nid *name)
{
    if (!root) return -1;
    nid decl = 0;
    if (!model_resolve_local(ctx->pkg, ctx->fi, root, &decl, name)) return 1; /* package variable */
    return !ast_contains(ctx->f, loop, *name);
}

static bool outer_alias(struct rule_ctx *ctx, nid name, nid loop, int depth)
{
    const struct gofile *f = ctx->f;
    if (depth > 3) return false;
    for (nid k = loop; k < f->nodes[loop].end; k++) {
        enum node_kind sk = ast_kind(f, k);
        if (sk != N_SHORT_VAR_DECLARATION && !(sk == N_ASSIGNMENT_STATEMENT && f->nodes[k].op == OP_ASSIGN)) continue;
        nid left = ast_child(f, k, F_LEFT), right = ast_child(f, k, F_RIGHT);
        if (ast_child_count(f, left) != ast_child_count(f, right)) continue;
        unsigned idx = 0;
        AST_FOR_CHILDREN(f, left, l)
        {
            nid d = 0, nm = 0;
            nid lu = ast_unparen(f, l);
            if (ast_kind(f, lu) == N_IDENTIFIER && model_resolve_local(ctx->pkg, ctx->fi, lu, &d, &nm) && nm == name) {
                nid rhs = ast_unparen(f, ast_nth_child(f, right, idx));
                if (ast_kind(f, rhs) == N_UNARY_EXPRESSION && f->nodes[rhs].op == OP_AND)
                    rhs = ast_unparen(f, ast_child(f, rhs, F_OPERAND));
                enum node_kind rk = ast_kind(f, rhs);
                if (rk != N_INDEX_EXPRESSION && rk != N_SELECTOR_EXPRESSION) goto next;
                struct ltype *t = model_type_of(ctx->pkg, ctx->fi, rhs);
                if (t) t = model_underlying(ctx->pkg, t);
                if (t && t->kind != LT_POINTER && t->kind != LT_MAP && t->kind != LT_SLICE && t->kind != LT_INTERFACE)
                    goto next;
                nid n2 = 0;
                int o = root_outlives(ctx, access_root(f, rhs), loop, &n2);
                if (o < 0) goto next;
                if (o > 0) return true;
                if (n2 != name && outer_alias(ctx, n2, loop, depth + 1)) return true;
            }
        next:
            idx++;
        }
    }
    return false;
}

static bool kept_use(struct rule_ctx *ctx, nid id, nid loop, nid body)
{
    return kept_use_at(ctx, id, loop, body, 0);
}

static bool kept_use_at(struct rule_ctx *ctx, nid id, nid loop, nid body, int depth)
{
    const struct gofile *f = ctx->f;
    for (nid a = ast_parent(f, id); a && a != body; a = ast_parent(f, a))
        if (ast_kind(f, a) == N_FUNC_LITERAL || ast_kind(f, a) == N_GO_STATEMENT) return true;
    nid e = id, p = ast_parent(f, id);
    for (;;) {
        enum node_kind k = ast_kind(f, p);
        if (k == N_PARENTHESIZED_EXPRESSION || (k == N_UNARY_EXPRESSION && f->nodes[p].op == OP_AND) ||
            (k == N_TYPE_ASSERTION_EXPRESSION && f->nodes[e].field == F_OPERAND) || k == N_TYPE_CONVERSION_EXPRESSION) {
            e = p;
            p = ast_parent(f, p);
            continue;
        }
        break;
    }
    switch (ast_kind(f, p)) {
    case N_LITERAL_ELEMENT:
    case N_LITERAL_VALUE:
        return true;
    case N_SEND_STATEMENT:
        return f->nodes[e].field == F_VALUE;
    case N_RETURN_STATEMENT:
        return true;
    case N_ARGUMENT_LIST: {
        nid call = ast_parent(f, p);
        if (model_is_builtin_call(ctx->pkg, ctx->fi, call, "append")) return e != ast_first_child(f, p);
        /* wrapped by a constructor whose result is kept: readers[i] =
         * newMetacacheReader(r), or br := bufio.NewReader(f) appended */
        if (depth >= 2) return false;
        nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
        struct str nm = ast_kind(f, fn) == N_SELECTOR_EXPRESSION ? ast_text(f, ast_child(f, fn, F_FIELD))
                        : ast_kind(f, fn) == N_IDENTIFIER         ? ast_text(f, fn)
                                                                  : str_make("", 0);
        if (!wraps_name(nm)) return false;
        if (kept_use_at(ctx, call, loop, body, depth + 1)) return true;
        nid st = 0;
        nid up = ast_parent(f, call);
        while (ast_kind(f, up) == N_PARENTHESIZED_EXPRESSION) up = ast_parent(f, up);
        if (ast_kind(f, up) != N_EXPRESSION_LIST || f->nodes[up].field != F_RIGHT) return false;
        st = ast_parent(f, up);
        if (ast_kind(f, st) != N_SHORT_VAR_DECLARATION) return false;
        unsigned idx = 0;
        for (nid c = ast_first_child(f, up); c && c != ast_unparen(f, call) && c != call; c = ast_next(f, c)) idx++;
        nid v = ast_nth_child(f, ast_child(f, st, F_LEFT), idx);
        if (!v || ast_kind(f, v) != N_IDENTIFIER) return false;
        for (nid k = f->nodes[st].end; k < f->nodes[body].end; k++) {
            if (ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), ast_text(f, v))) continue;
            nid d = 0, nmid = 0;
            if (!model_resolve_local(ctx->pkg, ctx->fi, k, &d, &nmid) || nmid != v) continue;
            if (kept_use_at(ctx, k, loop, body, depth + 1)) return true;
        }
        return false;
    }
    case N_EXPRESSION_LIST: {
        nid st = ast_parent(f, p);
        if (ast_kind(f, st) == N_RETURN_STATEMENT) return true; /* the loop may return it */
        if (ast_kind(f, st) != N_ASSIGNMENT_STATEMENT || f->nodes[p].field != F_RIGHT) return false;
        if (f->nodes[st].op != OP_ASSIGN) return false;
        unsigned idx = 0;
        for (nid c = ast_first_child(f, p); c && c != e; c = ast_next(f, c)) idx++;
        nid lhs = ast_unparen(f, ast_nth_child(f, ast_child(f, st, F_LEFT), idx));
        if (!lhs || ast_kind(f, lhs) == N_BLANK_IDENTIFIER || ast_text_is(f, lhs, "_")) return false;
        /* the root of m[k], s.f, *p or x: stored when it outlives the
         * iteration (a variable of the function or the package); a field
         * of a per-iteration value (cmd.Stdout = f) is not */
        nid name = 0, root = access_root(f, lhs);
        if (root_outlives(ctx, root, loop, &name)) return true;
        /* a field of a per-iteration pointer into an outer collection */
        return root != ast_unparen(f, lhs) && outer_alias(ctx, name, loop, 0);
    }
    default:
        return false;
    }
}

/* The next use in the loop body, outside the defer, of a subject (an
 * identifier that resolves to one of s's names, not the declaring one),
 * from node *k on; 0 when there is none. */
static nid next_subject_use(struct rule_ctx *ctx, nid def, nid body, const struct subjects *s, nid *k)
{
    const struct gofile *f = ctx->f;
    for (; *k < f->nodes[body].end; (*k)++) {
        if (*k == def) {
            *k = f->nodes[def].end - 1;
            continue;
        }
        if (ast_kind(f, *k) != N_IDENTIFIER) continue;
        nid decl = 0, name = 0;
        if (!model_resolve_local(ctx->pkg, ctx->fi, *k, &decl, &name) || name == *k) continue;
        for (int i = 0; i < s->n; i++)
            if (s->name[i] == name) return (*k)++;
    }
    return 0;
}

static bool kept(struct rule_ctx *ctx, nid def, nid loop, nid body, const struct subjects *s)
{
    nid k = body, use;
    while ((use = next_subject_use(ctx, def, body, s, &k)))
        if (kept_use(ctx, use, loop, body)) return true;
    return false;
}

/* Is e (the receiver path or an argument of the deferred call) an element
 * of a collection that outlives the iteration: nodes[i].close(),
 * cmd.shardIdxs[id].Close(), close(chans[i]) with the collection declared
 * outside the loop? What it releases lives in that collection, which the
 * function uses after the loop: releasing it at return is the point. */
static bool outer_element(struct rule_ctx *ctx, nid e, nid loop)
{
    const struct gofile *f = ctx->f;
    for (int guard = 0; e && guard < 64; guard++) {
        e = ast_unparen(f, e);
        enum node_kind k = ast_kind(f, e);
        if (k == N_INDEX_EXPRESSION) {
            nid root = ast_child(f, e, F_OPERAND);
            for (int g2 = 0; root && g2 < 64; g2++) {
                root = ast_unparen(f, root);
                enum node_kind rk = ast_kind(f, root);
                if (rk == N_SELECTOR_EXPRESSION || rk == N_INDEX_EXPRESSION || rk == N_UNARY_EXPRESSION)
                    root = ast_child(f, root, F_OPERAND);
                else
                    break;
            }
            if (ast_kind(f, root) != N_IDENTIFIER) return false;
            nid decl = 0, name = 0;
            if (!model_resolve_local(ctx->pkg, ctx->fi, root, &decl, &name)) return true; /* package variable */
            return !ast_contains(f, loop, name);
        }
        if (k == N_SELECTOR_EXPRESSION || k == N_UNARY_EXPRESSION)
            e = ast_child(f, e, F_OPERAND);
        else if (k == N_TYPE_CONVERSION_EXPRESSION)
            e = ast_child(f, e, F_OPERAND);
        else if (k == N_CALL_EXPRESSION && model_is_call(ctx->pkg, ctx->fi, e, "unsafe", "Pointer"))
            e = ast_first_child(f, ast_child(f, e, F_ARGUMENTS)); /* C.free(unsafe.Pointer(cs[i])) */
        else
            return false;
    }
    return false;
}

static bool releases_outer_element(struct rule_ctx *ctx, nid call, nid loop)
{
    const struct gofile *f = ctx->f;
    nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fn) == N_SELECTOR_EXPRESSION && outer_element(ctx, ast_child(f, fn, F_OPERAND), loop)) return true;
    AST_FOR_CHILDREN(f, ast_child(f, call, F_ARGUMENTS), a)
    if (outer_element(ctx, a, loop)) return true;
    return false;
}

/* Is the defer the last statement of the loop body, and nothing else in the
 * body uses what it releases (`t := time.AfterFunc(d, f); defer t.Stop()`)?
 * The loop only arms things that work for the rest of the function
 * (timers, watchers, registrations); releasing them at return is meant. */
static bool setup_only(struct rule_ctx *ctx, nid def, nid body, const struct subjects *s)
{
    const struct gofile *f = ctx->f;
    /* directly in the body, not under an if or a case */
    nid list = ast_parent(f, def);
    if (!s->n || (list != body && ast_parent(f, list) != body) || ast_next(f, def)) return false;
    nid k = body;
    return !next_subject_use(ctx, def, body, s, &k);
}

/* Is the deferred call (same function text, as many arguments) also made
 * explicitly after the defer on the iteration's way to its end (`defer
 * sitr.Close()` ... `if err := sitr.Close(); err != nil`)? The defer only
 * covers the early returns; the normal path releases each iteration, and
 * what piles up is redundant calls. */
static bool released_later(struct rule_ctx *ctx, nid def, nid body, nid call)
{
    const struct gofile *f = ctx->f;
    nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fn) == N_FUNC_LITERAL) return false;
    struct str ft = ast_text(f, fn);
    unsigned nargs = ast_child_count(f, ast_child(f, call, F_ARGUMENTS));
    for (nid s = def; s && s != body; s = ast_parent(f, s)) {
        if (ast_kind(f, ast_parent(f, s)) != N_STATEMENT_LIST) continue;
        for (nid t = ast_next(f, s); t; t = ast_next(f, t))
            for (nid k = t; k < f->nodes[t].end; k++) {
                if (ast_kind(f, k) == N_FUNC_LITERAL) {
                    k = f->nodes[k].end - 1;
                    continue;
                }
                if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
                if (str_eqs(ast_text(f, ast_unparen(f, ast_child(f, k, F_FUNCTION))), ft) &&
                    ast_child_count(f, ast_child(f, k, F_ARGUMENTS)) == nargs)
                    return true;
            }
    }
    return false;
}

/* Does the deferred call act on nothing of the iteration: no func literal,
 * every local it names declared outside the loop and not assigned in it
 * (`defer e.triggerNextCheckInterval()`)? The deferred calls repeat one
 * call on objects that outlive the loop; nothing per iteration is held.
 * Not for Unlock, RUnlock or Done, where repeating is the bug. */
static bool nothing_of_iteration(struct rule_ctx *ctx, nid call, nid loop)
{
    const struct gofile *f = ctx->f;
    nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fn) == N_SELECTOR_EXPRESSION) {
        nid fld = ast_child(f, fn, F_FIELD);
        if (ast_text_is(f, fld, "Unlock") || ast_text_is(f, fld, "RUnlock") || ast_text_is(f, fld, "Done"))
            return false;
    } else if (ast_kind(f, fn) != N_IDENTIFIER) {
        return false;
    }
    for (nid k = call; k < f->nodes[call].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) return false;
        if (ast_kind(f, k) != N_IDENTIFIER) continue;
        nid decl = 0, name = 0;
        if (!model_resolve_local(ctx->pkg, ctx->fi, k, &decl, &name)) continue;
        if (ast_contains(f, loop, name)) return false;
        for (nid j = loop; j < f->nodes[loop].end; j++) {
            if (ast_kind(f, j) != N_IDENTIFIER || !str_eqs(ast_text(f, j), ast_text(f, k))) continue;
            nid d2 = 0, n2 = 0;
            if (!model_resolve_local(ctx->pkg, ctx->fi, j, &d2, &n2) || n2 != name) continue;
            nid p = ast_parent(f, j);
            if (rl_ident_is_written(f, j) || ast_kind(f, p) == N_INC_STATEMENT || ast_kind(f, p) == N_DEC_STATEMENT ||
                (ast_kind(f, p) == N_UNARY_EXPRESSION && f->nodes[p].op == OP_AND) ||
                (ast_kind(f, p) == N_EXPRESSION_LIST && f->nodes[p].field == F_LEFT))
                return false;
        }
    }
    return true;
}

/* `defer X.Unlock()` (or RUnlock) after X.Lock() (RLock) in the same
 * iteration: the lock is held into the next iteration and to the end of
 * the function; on the same mutex the next Lock deadlocks. Returns
 * LOCK_SAME when X is the same mutex every iteration (its path starts
 * outside the loop), LOCK_EACH when it is reached through a variable of
 * the loop (a mutex per element: locking them all and releasing them
 * together at return is deliberate), LOCK_NONE otherwise. */
enum lock_shape { LOCK_NONE, LOCK_SAME, LOCK_EACH };

static enum lock_shape unlock_after_lock(struct rule_ctx *ctx, nid call, nid loop, nid body, nid def)
{
    const struct gofile *f = ctx->f;
    nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fn) != N_SELECTOR_EXPRESSION) return false;
    nid fld = ast_child(f, fn, F_FIELD);
    bool r = ast_text_is(f, fld, "RUnlock");
    if (!r && !ast_text_is(f, fld, "Unlock")) return LOCK_NONE;
    nid xe = ast_child(f, fn, F_OPERAND);
    struct str x = ast_text(f, xe);
    for (nid k = body; k < def; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        nid kf = ast_unparen(f, ast_child(f, k, F_FUNCTION));
        if (ast_kind(f, kf) != N_SELECTOR_EXPRESSION) continue;
        if (!ast_text_is(f, ast_child(f, kf, F_FIELD), r ? "RLock" : "Lock")) continue;
        struct str y = ast_text(f, ast_child(f, kf, F_OPERAND));
        if (!str_eqs(x, y)) continue;
        /* s.mu, shards[i].mu, t.mu with s, i or t of the loop: another
         * mutex each iteration */
        for (nid id = xe; id < f->nodes[xe].end; id++) {
            nid decl = 0, name = 0;
            if (ast_kind(f, id) == N_IDENTIFIER && model_resolve_local(ctx->pkg, ctx->fi, id, &decl, &name) &&
                ast_contains(f, loop, name))
                return LOCK_EACH;
        }
        return LOCK_SAME;
    }
    return LOCK_NONE;
}

/* A _test.go file, or test support code: a file that imports "testing"
 * (raft's testing.go, testutil packages). */
static bool test_code(struct rule_ctx *ctx)
{
    if (rl_is_test_file(ctx->f)) return true;
    const struct file_info *fi = &ctx->pkg->finfo[ctx->fi];
    for (int i = 0; i < fi->nimports; i++)
        if (!strcmp(fi->imports[i].path, "testing")) return true;
    return false;
}

/* `defer cancel()` of a context made with a timeout or deadline in the
 * loop: what the deferred cancel releases (the timer, the registration
 * with the parent) the deadline releases anyway, a little later. */
static bool timeout_cancel(struct rule_ctx *ctx, nid call)
{
    const struct gofile *f = ctx->f;
    nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fn) != N_IDENTIFIER || ast_child_count(f, ast_child(f, call, F_ARGUMENTS))) return false;
    nid decl = 0, name = 0;
    if (!model_resolve_local(ctx->pkg, ctx->fi, fn, &decl, &name)) return false;
    nid v = ast_unparen(f, declared_value(f, decl, name));
    if (!v && ast_kind(f, decl) == N_SHORT_VAR_DECLARATION) {
        nid right = ast_child(f, decl, F_RIGHT);
        if (ast_child_count(f, right) == 1) v = ast_unparen(f, ast_first_child(f, right));
    }
    if (ast_kind(f, v) != N_CALL_EXPRESSION) return false;
    const char *w = rl_ctx_cancel_call(ctx->pkg, ctx->fi, v);
    return w && (!strncmp(w, "WithTimeout", 11) || !strncmp(w, "WithDeadline", 12));
}

/* A deferred func literal that calls recover(): panic handling set up on
 * purpose for the whole function, not a resource. */
static bool literal_recovers(struct rule_ctx *ctx, nid lit)
{
    const struct gofile *f = ctx->f;
    if (ast_kind(f, lit) != N_FUNC_LITERAL) return false;
    for (nid k = lit; k < f->nodes[lit].end; k++)
        if (ast_kind(f, k) == N_CALL_EXPRESSION && model_is_builtin_call(ctx->pkg, ctx->fi, k, "recover")) return true;
    return false;
}

/* Is the deferred func literal's work conditional: its body is one `if`
 * without else, or starts with `if cond { return }`? That is the
 * clean-up-on-failure idiom (`defer func() { if err == nil { return };
 * l.Close() }()`), usually meant to pile up: reported at low confidence. */
static bool conditional_literal(const struct gofile *f, nid lit)
{
    if (ast_kind(f, lit) != N_FUNC_LITERAL) return false;
    nid first = rl_first_stmt(f, ast_child(f, lit, F_BODY));
    if (ast_kind(f, first) != N_IF_STATEMENT) return false;
    if (!ast_next(f, first)) return !ast_child(f, first, F_ALTERNATIVE);
    nid cons = rl_first_stmt(f, ast_child(f, first, F_CONSEQUENCE));
    return ast_kind(f, cons) == N_RETURN_STATEMENT && !ast_next(f, cons);
}

/* Can the body of loop be wrapped in `func() { ... }()` without changing
 * what runs: no return, goto or label in it, no break that leaves it (one
 * inside an inner loop, switch or select, or a func literal, stays there),
 * and no raw string over several lines (the body's lines are indented one
 * tab more)? A bare `continue` of the loop itself becomes `return` from
 * the func literal: its nodes go to conts (up to max; *ncont). */
static bool wrappable(const struct gofile *f, nid body, nid *conts, int max, int *ncont)
{
    *ncont = 0;
    for (nid k = body; k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk == N_RETURN_STATEMENT || kk == N_GOTO_STATEMENT || kk == N_LABELED_STATEMENT ||
            kk == N_FALLTHROUGH_STATEMENT)
            return false;
        if (kk == N_RAW_STRING_LITERAL && memchr(f->src + f->nodes[k].start_byte, '\n',
                                                f->nodes[k].end_byte - f->nodes[k].start_byte))
            return false;
        if (kk != N_BREAK_STATEMENT && kk != N_CONTINUE_STATEMENT) continue;
        if (ast_first_child(f, k)) return false; /* a label */
        bool inner = false;
        for (nid a = ast_parent(f, k); a && a != body && !inner; a = ast_parent(f, a)) {
            enum node_kind ak = ast_kind(f, a);
            inner = ak == N_FOR_STATEMENT || (kk == N_BREAK_STATEMENT && (ak == N_EXPRESSION_SWITCH_STATEMENT ||
                                                                          ak == N_TYPE_SWITCH_STATEMENT ||
                                                                          ak == N_SELECT_STATEMENT));
        }
        if (inner) continue;
        if (kk == N_BREAK_STATEMENT || *ncont >= max) return false;
        conts[(*ncont)++] = k;
    }
    return true;
}

/* The safe fix: the loop's body wrapped in a func literal called each
 * iteration, so its defers run at the end of the iteration (a bare
 * `continue` of the loop becomes `return`). Only for a body `{` ... `}`
 * whose braces end and start their lines, the loop alone at the start of
 * its line, and a body wrappable. */
static void wrap_body(struct rule_ctx *ctx, struct finding *fd, nid loop, nid body)
{
    const struct gofile *f = ctx->f;
    struct str indent;
    nid conts[64];
    int ncont;
    if (!rule_can_edit(ctx, ctx->fi) || !fx_indent(f, loop, &indent) || !wrappable(f, body, conts, 64, &ncont)) return;
    uint32_t open = f->nodes[body].start_byte, close = f->nodes[body].end_byte - 1;
    if (f->src[open] != '{' || f->src[close] != '}') return;
    uint32_t from = fx_line_end(f, open), to = fx_line_start(f, close);
    for (uint32_t i = open + 1; i < from - 1; i++) /* nothing after `{` on its line */
        if (f->src[i] != ' ' && f->src[i] != '\t') return;
    for (uint32_t i = to; i < close; i++) /* nothing before `}` on its line */
        if (f->src[i] != ' ' && f->src[i] != '\t') return;
    if (from > to) return;
    struct buf b = {0};
    buf_printf(&b, "%.*s\tfunc() {\n", (int)indent.n, indent.p);
    int c = 0;
    for (uint32_t i = from; i < to;) {
        uint32_t e = fx_line_end(f, i);
        bool blank = true;
        for (uint32_t k = i; k < e && blank; k++) blank = f->src[k] == ' ' || f->src[k] == '\t' || f->src[k] == '\n';
        if (!blank) buf_putc(&b, '\t');
        for (uint32_t k = i; k < e;) {
            if (c < ncont && k == f->nodes[conts[c]].start_byte) { /* in source order, as found */
                buf_puts(&b, "return");
                k = f->nodes[conts[c++]].end_byte;
            } else {
                buf_putc(&b, f->src[k++]);
            }
        }
        i = e;
    }
    buf_printf(&b, "%.*s\t}()\n", (int)indent.n, indent.p);
    if (c == ncont) rule_edit(ctx, fd, ctx->fi, from, to, b.data);
    buf_free(&b);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    nid loop = rl_enclosing_loop(f, n);
    if (!loop) return;
    nid body = rl_for_body(f, loop);
    if (runs_once(ctx, n, body)) return;
    /* the loop exists only to defer: one deferred call per element is
     * what the author wants (`for _, s := range srvs { defer s.Close() }`) */
    nid first = rl_first_stmt(f, body);
    if (first == n && !ast_next(f, n)) return;
    nid call = ast_first_child(f, n);
    nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    /* what the deferred call releases is kept beyond the iteration on
     * purpose, or is an element of a collection that exists anyway:
     * releasing it when the function returns is right, and running the
     * defer per iteration would release it too early */
    struct subjects subj;
    collect_subjects(ctx, n, loop, &subj);
    if (subj.n && subj.all_range) return;
    if (subj.n && kept(ctx, n, loop, body, &subj)) return;
    enum lock_shape lock = unlock_after_lock(ctx, call, loop, body, n);
    if (lock == LOCK_NONE && (releases_outer_element(ctx, call, loop) || setup_only(ctx, n, body, &subj))) return;
    struct str what = ast_kind(f, fn) == N_FUNC_LITERAL ? str_make("func literal", 12) : ast_text(f, fn);
    if (what.n > 60) what = str_make("call", 4);
    /* under an if, switch or select the defer may be guarded to run once
     * (first iteration, a one-shot timer's case): only a defer the body
     * always reaches is reported with the default confidence */
    bool guarded = false;
    for (nid a = ast_parent(f, n); a != body; a = ast_parent(f, a))
        if (ast_kind(f, a) != N_STATEMENT_LIST && ast_kind(f, a) != N_BLOCK) guarded = true;
    /* the same mutex held across iterations deadlocks in any loop, test or
     * not; the other shapes are harmless in test code (it returns soon, its
     * tables are small), in a loop of a few iterations, for per-element
     * locks, a recover handler, a deferred map delete or timeout cancel */
    bool harmless = lock == LOCK_EACH || test_code(ctx) || small_bounded(ctx, loop) || literal_recovers(ctx, fn) ||
                    timeout_cancel(ctx, call) || model_is_builtin_call(ctx->pkg, ctx->fi, call, "delete") ||
                    released_later(ctx, n, body, call) || nothing_of_iteration(ctx, call, loop);
    enum confidence conf =
        guarded || (lock != LOCK_SAME && harmless) || conditional_literal(f, fn) ? CONF_LOW : ctx->rule->confidence;
    struct finding *fd =
        lock == LOCK_SAME
            ? rule_report_conf(ctx, n, conf,
                               "defer of %.*s inside a loop: the lock taken in this iteration is released only "
                               "when the function returns, so the next iteration's Lock of the same mutex "
                               "deadlocks",
                               (int)what.n, what.p)
            : rule_report_conf(ctx, n, conf,
                               "defer of %.*s inside a loop: the deferred calls pile up, one per iteration, and "
                               "run only when the function returns, so what they release is held until then",
                               (int)what.n, what.p);
    rule_related(ctx, fd, loop, "the loop");
    fd->fix = xasprintf("wrap the loop body in a func literal called each iteration (func() { ...; defer ...; }()), "
                        "or call %.*s explicitly at the end of each iteration",
                        (int)what.n, what.p);
    if (conf != CONF_LOW) wrap_body(ctx, fd, loop, body);
}

const struct rule rule_defer_in_loop = {
    .id = "GD102",
    .name = "defer-in-loop",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A defer inside a for loop runs only when the function returns; calls pile up per iteration.",
    .why = "A deferred call runs when the surrounding function returns, not at the end of the loop iteration. "
           "Each iteration pushes one more deferred call; none of the earlier ones is replaced or run early. "
           "So every file, response body, lock or connection the deferred calls would release stays held "
           "until the whole loop and the rest of the function finish, and the list of pending calls (with "
           "their evaluated arguments) grows with the iteration count: a long loop runs out of file "
           "descriptors, holds a mutex across iterations (deadlocking the next Lock), or grows memory without "
           "bound. A defer inside a func literal called in the loop runs at the end of that call and is fine. "
           "godark does not report a defer followed, on the iteration's straight path, by a return, break, "
           "goto or panic (it runs at most once), nor a loop set up to keep what it defers for the function's "
           "life: the loop body is only the defer, the deferred call acts on the elements of a collection that "
           "exists before the loop or is an element of one that outlives the iteration (`nodes[i].Close()`, "
           "`cmd.idxs[id].Close()`), the value it releases is appended, stored outside the iteration (an "
           "index, a field or a variable of the function, or a field reached through a pointer into an outer "
           "collection: `ps = spec.Programs[n]; ps.AttachTarget = prog`), put in a composite literal, sent, "
           "returned, or captured by a goroutine or func literal of the loop, wrapped by a constructor "
           "(New..., new..., Wrap...) whose result is kept so (`readers[i] = newReader(r)`), or the defer ends the loop body and nothing "
           "else in the body uses what it releases (the loop only arms timers or registrations for the rest "
           "of the function); moving the defer into a func literal there would close the resource too early. "
           "It reports with low confidence what is harmless in practice: "
           "test code (_test.go files and files importing testing), loops that obviously run a few times (a "
           "small constant bound, a range over a short literal table or a slice of a few appends, also from "
           "`make([]T, 0, K)`), a deferred recover handler, delete or timeout cancel, per-element locks taken "
           "together, a deferred call also made explicitly later in the iteration (the defer only covers the "
           "early returns), and a deferred call that names nothing of the iteration (every local it uses is "
           "declared outside the loop and not assigned in it: it repeats one call at return and holds "
           "nothing per iteration; not for Unlock, RUnlock or Done). A deferred "
           "Unlock of the same mutex locked earlier in the iteration keeps the default confidence everywhere: "
           "the second iteration's Lock deadlocks.",
    .bad = "package p\n\nimport \"os\"\n\nfunc sizes(paths []string) (int64, error) {\n\tvar total int64\n"
           "\tfor _, p := range paths {\n\t\tf, err := os.Open(p)\n\t\tif err != nil {\n\t\t\treturn 0, err\n"
           "\t\t}\n\t\tdefer f.Close()\n\t\tst, err := f.Stat()\n\t\tif err != nil {\n\t\t\treturn 0, err\n"
           "\t\t}\n\t\ttotal += st.Size()\n\t}\n\treturn total, nil\n}\n",
    .good = "package p\n\nimport \"os\"\n\nfunc sizes(paths []string) (int64, error) {\n\tvar total int64\n"
            "\tfor _, p := range paths {\n\t\tn, err := size(p)\n\t\tif err != nil {\n\t\t\treturn 0, err\n"
            "\t\t}\n\t\ttotal += n\n\t}\n\treturn total, nil\n}\n\nfunc size(p string) (int64, error) {\n"
            "\tf, err := os.Open(p)\n\tif err != nil {\n\t\treturn 0, err\n\t}\n\tdefer f.Close()\n"
            "\tst, err := f.Stat()\n\tif err != nil {\n\t\treturn 0, err\n\t}\n\treturn st.Size(), nil\n}\n",
    .fix_safety = "Moving the body into a function (or a func literal called in the loop) runs the deferred call at "
                  "the end of each iteration. A `return` inside the moved body then returns from the literal only: "
                  "check the control flow when rewriting by hand. `--fix` makes this change itself only for "
                  "default-confidence findings whose loop body has no return, goto, label, fallthrough or break of "
                  "the loop and no raw string over several lines; a bare `continue` of the loop becomes `return` "
                  "from the literal, which goes on with the next iteration just the same.",
    .kinds = {N_DEFER_STATEMENT},
    .visit = visit,
};
