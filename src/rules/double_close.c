/* rules/double_close: GD202. close(ch) twice on one straight-line path of a
 * function, or close(ch) in a loop body that nothing leaves after it; the
 * second close panics. Visits calls of the builtin close on a path (`ch`,
 * `s.done`) and scans the following statements and the enclosing loop. */
#include "rulelib.h"

/* The channel path of `close(x)` as an expression statement, or 0. */
static nid closed_path(struct rule_ctx *ctx, nid stmt)
{
    const struct gofile *f = ctx->f;
    if (ast_kind(f, stmt) != N_EXPRESSION_STATEMENT) return 0;
    nid call = ast_unparen(f, ast_first_child(f, stmt));
    if (!model_is_builtin_call(ctx->pkg, ctx->fi, call, "close")) return 0;
    nid args = ast_child(f, call, F_ARGUMENTS);
    if (ast_child_count(f, args) != 1) return 0;
    nid a = ast_unparen(f, ast_first_child(f, args));
    return rl_is_path(f, a) ? a : 0;
}

static bool is_builtin_name(struct str s)
{
    static const char *const b[] = {"close", "len", "cap", "print", "println", "append", "make", "new", "copy",
                                    "delete", "min", "max", "clear", "complex", "real", "imag"};
    for (size_t i = 0; i < GD_ARRAY_LEN(b); i++)
        if (str_eq(s, b[i])) return true;
    return false;
}

/* Could the nodes in [from, to) change what `path` denotes? An assignment
 * or declaration whose target is a prefix of the path (or not a path), an
 * address taken of its root, a statement declaring the root's name, and,
 * when the path is a field or a package-level variable, any call other
 * than a builtin. Func literals count (a closure may reassign it). */
static bool may_change(struct rule_ctx *ctx, nid path, nid from, nid to)
{
    const struct gofile *f = ctx->f;
    nid root = rl_path_root(f, path), d, nm;
    struct str rname = ast_text(f, root);
    bool local_var = ast_kind(f, ast_unparen(f, path)) == N_IDENTIFIER &&
                     model_resolve_local(ctx->pkg, ctx->fi, root, &d, &nm);
    for (nid k = from; k < to; k++) {
        switch (ast_kind(f, k)) {
        case N_ASSIGNMENT_STATEMENT:
        case N_SHORT_VAR_DECLARATION:
        case N_RANGE_CLAUSE:
        case N_RECEIVE_STATEMENT: {
            nid left = ast_child(f, k, F_LEFT);
            if (!left) break;
            for (nid l = left; l < f->nodes[left].end; l++) {
                if (ast_kind(f, l) == N_IDENTIFIER && str_eqs(ast_text(f, l), rname)) return true;
            }
            break;
        }
        case N_VAR_SPEC:
        case N_PARAMETER_DECLARATION:
            AST_FOR_CHILDREN(f, k, c)
            if (f->nodes[c].field == F_NAME && str_eqs(ast_text(f, c), rname)) return true;
            break;
        case N_UNARY_EXPRESSION:
            if (f->nodes[k].op == OP_AND) {
                nid o = ast_child(f, k, F_OPERAND);
                for (nid l = o; l < f->nodes[o].end; l++)
                    if (ast_kind(f, l) == N_IDENTIFIER && str_eqs(ast_text(f, l), rname)) return true;
            }
            break;
        case N_CALL_EXPRESSION:
            if (!local_var) {
                nid fn = ast_unparen(f, ast_child(f, k, F_FUNCTION));
                if (!(ast_kind(f, fn) == N_IDENTIFIER && is_builtin_name(ast_text(f, fn)))) return true;
            }
            break;
        case N_INC_STATEMENT:
        case N_DEC_STATEMENT:
            break;
        default:
            break;
        }
    }
    return false;
}

/* Does the function containing n call recover()? Then a panicking second
 * close is expected (tests of close semantics). */
static bool func_recovers(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    nid fn = model_enclosing_func(f, n);
    for (nid a = fn; a; a = model_enclosing_func(f, a)) fn = a; /* the outermost function */
    if (!fn) return true;
    for (nid k = fn; k < f->nodes[fn].end; k++)
        if (ast_kind(f, k) == N_CALL_EXPRESSION && model_is_builtin_call(ctx->pkg, ctx->fi, k, "recover")) return true;
    return false;
}

/* Is statement t a jump or a call that does not return? */
static bool is_terminator(struct rule_ctx *ctx, nid t)
{
    const struct gofile *f = ctx->f;
    switch (ast_kind(f, t)) {
    case N_RETURN_STATEMENT:
    case N_GOTO_STATEMENT:
    case N_BREAK_STATEMENT:
    case N_CONTINUE_STATEMENT:
    case N_FALLTHROUGH_STATEMENT:
        return true;
    case N_EXPRESSION_STATEMENT:
        return model_is_noreturn_call(ctx->pkg, ctx->fi, ast_unparen(f, ast_first_child(f, t)));
    default:
        return false;
    }
}

/* A later close of the same path reachable on the straight path: in a
 * following sibling statement or nested in one (not in a func literal, not
 * after a terminator of an enclosing statement list). Returns its
 * expression statement or 0. */
static nid second_close(struct rule_ctx *ctx, nid stmt, nid path)
{
    const struct gofile *f = ctx->f;
    for (nid t = ast_next(f, stmt); t; t = ast_next(f, t)) {
        if (is_terminator(ctx, t)) return 0;
        for (nid k = t; k < f->nodes[t].end; k++) {
            if (ast_kind(f, k) == N_FUNC_LITERAL) {
                k = f->nodes[k].end - 1;
                continue;
            }
            nid p2 = closed_path(ctx, k);
            if (!p2 || !rl_same_path(ctx->pkg, ctx->fi, path, p2)) continue;
            if (may_change(ctx, path, f->nodes[stmt].end, k)) return 0;
            /* no terminator before it in the lists that enclose it inside t */
            bool blocked = false;
            for (nid s = k; s != t && !blocked; s = ast_parent(f, s))
                for (nid q = ast_first_child(f, ast_parent(f, s)); q && q != s; q = ast_next(f, q))
                    if (ast_kind(f, ast_parent(f, s)) == N_STATEMENT_LIST && is_terminator(ctx, q)) blocked = true;
            if (!blocked) return k;
        }
        if (may_change(ctx, path, t, f->nodes[t].end)) return 0;
    }
    return 0;
}

/* The loop that repeats close(path) at `stmt` with nothing leaving it:
 * the close sits in the loop body (only plain blocks between), the channel
 * is declared outside the loop and not changed in it, and the body has no
 * return, break, goto, labeled continue or non-returning call. */
static nid repeating_loop(struct rule_ctx *ctx, nid stmt, nid path)
{
    const struct gofile *f = ctx->f;
    nid loop = rl_enclosing_loop(f, stmt);
    if (!loop) return 0;
    nid body = rl_for_body(f, loop);
    for (nid a = ast_parent(f, stmt); a != body; a = ast_parent(f, a)) {
        enum node_kind k = ast_kind(f, a);
        if (k != N_STATEMENT_LIST && k != N_BLOCK) return 0;
    }
    /* the range or for-clause variables are per-iteration; so is anything
     * declared in the body */
    nid root = rl_path_root(f, path), d, nm;
    if (model_resolve_local(ctx->pkg, ctx->fi, root, &d, &nm) && ast_contains(f, loop, d)) return 0;
    if (may_change(ctx, path, loop, f->nodes[loop].end)) return 0;
    for (nid k = body; k < f->nodes[body].end; k++) {
        switch (ast_kind(f, k)) {
        case N_RETURN_STATEMENT:
        case N_GOTO_STATEMENT:
        case N_BREAK_STATEMENT:
            return 0;
        case N_CONTINUE_STATEMENT:
            if (ast_first_child(f, k)) return 0;
            break;
        case N_CALL_EXPRESSION:
            if (model_is_noreturn_call(ctx->pkg, ctx->fi, k)) return 0;
            break;
        case N_FUNC_LITERAL:
            k = f->nodes[k].end - 1;
            break;
        default:
            break;
        }
    }
    /* a loop that cannot run twice: `for i := 0; i < 1; i++` */
    AST_FOR_CHILDREN(f, loop, c)
    if (ast_kind(f, c) == N_FOR_CLAUSE) {
        nid cond = ast_child(f, c, F_CONDITION);
        if (cond && ast_kind(f, cond) == N_BINARY_EXPRESSION && ast_text_is(f, ast_child(f, cond, F_RIGHT), "1"))
            return 0;
    }
    return loop;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    nid path = closed_path(ctx, n);
    if (!path) return;
    if (f->nodes[model_enclosing_func(f, n)].flags & NF_HAS_ERROR) return;
    if (func_recovers(ctx, n)) return;
    struct str ps = ast_text(f, path);
    nid second = second_close(ctx, n, path);
    if (second) {
        struct finding *fd = rule_report(ctx, second,
                                         "%.*s is closed a second time on this path (first close at line %u): "
                                         "closing a closed channel panics",
                                         (int)ps.n, ps.p, f->nodes[n].line);
        rule_related(ctx, fd, n, "first close of %.*s", (int)ps.n, ps.p);
        fd->fix = xasprintf("close %.*s once (the goroutine that owns it closes it; guard with sync.Once if "
                            "several paths may close it)",
                            (int)ps.n, ps.p);
        return;
    }
    nid loop = repeating_loop(ctx, n, path);
    if (loop) {
        struct finding *fd = rule_report(ctx, n,
                                         "close(%.*s) runs on every iteration and nothing leaves the loop after "
                                         "it: the second iteration panics with close of closed channel",
                                         (int)ps.n, ps.p);
        rule_related(ctx, fd, loop, "the loop");
        fd->fix = xasprintf("close %.*s once, after the loop (or leave the loop right after closing it)", (int)ps.n,
                            ps.p);
    }
}

const struct rule rule_double_close = {
    .id = "GD202",
    .name = "double-close",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "A channel is closed twice on one path, or closed in a loop that goes on after closing it.",
    .why = "Closing a channel that is already closed panics (\"close of closed channel\"), and the panic "
           "cannot be prevented by the receivers. A channel must be closed exactly once, normally by its only "
           "sender once it has nothing more to send. godark reports a second `close(ch)` of the same channel "
           "(same variable or field path) that follows the first on a straight-line path of one function with "
           "no reassignment of the channel in between, and a `close(ch)` in a loop body where the channel is "
           "declared outside the loop, never re-made inside it, and nothing after the close leaves the loop. "
           "Closes in different branches of an if or switch, closes inside func literals (sync.Once.Do) and "
           "functions that call recover are not reported.",
    .bad = "package p\n\ntype worker struct {\n\tjobs chan int\n\tdone chan struct{}\n}\n\n"
           "func (w *worker) stop(err error) {\n\tif err != nil {\n\t\tprintln(err.Error())\n\t}\n"
           "\tclose(w.done)\n\tclose(w.jobs)\n\tclose(w.done)\n}\n",
    .good = "package p\n\nimport \"sync\"\n\ntype worker struct {\n\tjobs chan int\n\tdone chan struct{}\n"
            "\tonce sync.Once\n}\n\nfunc (w *worker) stop() {\n\tw.once.Do(func() {\n\t\tclose(w.done)\n"
            "\t\tclose(w.jobs)\n\t})\n}\n",
    .fix_safety = NULL,
    .kinds = {N_EXPRESSION_STATEMENT},
    .visit = visit,
};
