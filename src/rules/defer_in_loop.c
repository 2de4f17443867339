/* rules/defer_in_loop: GD102. A defer statement in the body of a for loop
 * of the same function: each iteration adds a deferred call that only runs
 * when the function returns. Visits defer statements; walks the ancestor
 * chain to the nearest for body or function boundary. */
#include <stdlib.h>

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

/* A loop that obviously runs a few times: `for i := 0; i < K; i++` with a
 * small constant K, or a range over a composite literal of a few elements. */
static bool small_bounded(const struct gofile *f, nid loop)
{
    AST_FOR_CHILDREN(f, loop, c)
    {
        if (ast_kind(f, c) == N_RANGE_CLAUSE) {
            nid r = ast_unparen(f, ast_child(f, c, F_RIGHT));
            if (ast_kind(f, r) != N_COMPOSITE_LITERAL) return false;
            nid body = ast_child(f, r, F_BODY);
            return body && ast_child_count(f, body) <= 8;
        }
        if (ast_kind(f, c) == N_FOR_CLAUSE) {
            nid cond = ast_unparen(f, ast_child(f, c, F_CONDITION));
            if (ast_kind(f, cond) != N_BINARY_EXPRESSION) return false;
            enum node_op op = f->nodes[cond].op;
            nid lim = ast_child(f, cond, F_RIGHT);
            if ((op != OP_LSS && op != OP_LEQ) || ast_kind(f, lim) != N_INT_LITERAL) return false;
            struct str s = ast_text(f, lim);
            char tmp[24];
            if (s.n >= sizeof tmp) return false;
            memcpy(tmp, s.p, s.n);
            tmp[s.n] = 0;
            return strtol(tmp, NULL, 0) <= 8;
        }
    }
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

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    nid loop = rl_enclosing_loop(f, n);
    if (!loop) return;
    nid body = rl_for_body(f, loop);
    if (runs_once(ctx, n, body)) return;
    nid call = ast_first_child(f, n);
    nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    struct str what = ast_kind(f, fn) == N_FUNC_LITERAL ? str_make("func literal", 12) : ast_text(f, fn);
    if (what.n > 60) what = str_make("call", 4);
    /* under an if, switch or select the defer may be guarded to run once
     * (first iteration, a one-shot timer's case): only a defer the body
     * always reaches is reported with the default confidence */
    bool guarded = false;
    for (nid a = ast_parent(f, n); a != body; a = ast_parent(f, a))
        if (ast_kind(f, a) != N_STATEMENT_LIST && ast_kind(f, a) != N_BLOCK) guarded = true;
    enum confidence conf =
        guarded || small_bounded(f, loop) || conditional_literal(f, fn) ? CONF_LOW : ctx->rule->confidence;
    struct finding *fd = rule_report_conf(ctx, n, conf,
                                          "defer of %.*s inside a loop: the deferred calls pile up, one per "
                                          "iteration, and run only when the function returns, so what they "
                                          "release is held until then",
                                          (int)what.n, what.p);
    rule_related(ctx, fd, loop, "the loop");
    fd->fix = xasprintf("wrap the loop body in a func literal called each iteration (func() { ...; defer ...; }()), "
                        "or call %.*s explicitly at the end of each iteration",
                        (int)what.n, what.p);
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
           "goto or panic (it runs at most once), and reports loops that obviously run a few times (a small "
           "constant bound) with low confidence.",
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
                  "check the control flow when rewriting by hand.",
    .kinds = {N_DEFER_STATEMENT},
    .visit = visit,
};
