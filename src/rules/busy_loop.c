/* rules/busy_loop: GD101. A loop without condition that never blocks: an
 * empty `for {}`, or `for { select { ...; default: } }` whose default
 * branch neither blocks nor leaves the loop. Visits for statements; a
 * statement counts as non-blocking only from a short whitelist (empty,
 * continue, runtime.Gosched(), simple assignments and increments), so an
 * unknown call is assumed to block and keeps the rule silent. */
#include "rulelib.h"
#include "../model/cfg.h"

/* An expression that certainly neither blocks nor calls anything:
 * literals, names, field selections, arithmetic on them. */
static bool simple_expr(const struct gofile *f, nid e)
{
    for (nid k = e; k < f->nodes[e].end; k++) {
        switch (ast_kind(f, k)) {
        case N_IDENTIFIER:
        case N_FIELD_IDENTIFIER:
        case N_PACKAGE_IDENTIFIER:
        case N_SELECTOR_EXPRESSION:
        case N_PARENTHESIZED_EXPRESSION:
        case N_BINARY_EXPRESSION:
        case N_INT_LITERAL:
        case N_FLOAT_LITERAL:
        case N_RUNE_LITERAL:
        case N_INTERPRETED_STRING_LITERAL:
        case N_RAW_STRING_LITERAL:
        case N_TRUE:
        case N_FALSE:
        case N_NIL:
        case N_EXPRESSION_LIST:
            continue;
        case N_UNARY_EXPRESSION:
            if (f->nodes[k].op == OP_ARROW) return false; /* a receive blocks */
            continue;
        default:
            return false;
        }
    }
    return true;
}

/* Flags of what a non-blocking statement did. */
enum { NB_GOSCHED = 1 };

/* Is statement s certainly non-blocking and not leaving the loop? `in_select`
 * says an unlabeled break would leave only the select. */
static bool nonblocking(struct rule_ctx *ctx, nid s, bool in_select, unsigned *flags)
{
    const struct gofile *f = ctx->f;
    switch (ast_kind(f, s)) {
    case N_EMPTY_STATEMENT:
        return true;
    case N_CONTINUE_STATEMENT:
        return !ast_first_child(f, s); /* a labeled continue may go to an outer loop */
    case N_BREAK_STATEMENT:
        return in_select && !ast_first_child(f, s);
    case N_INC_STATEMENT:
    case N_DEC_STATEMENT:
        return simple_expr(f, ast_first_child(f, s));
    case N_ASSIGNMENT_STATEMENT:
    case N_SHORT_VAR_DECLARATION:
        return simple_expr(f, ast_child(f, s, F_LEFT)) && simple_expr(f, ast_child(f, s, F_RIGHT));
    case N_EXPRESSION_STATEMENT: {
        nid call = ast_unparen(f, ast_first_child(f, s));
        if (model_is_call(ctx->pkg, ctx->fi, call, "runtime", "Gosched")) {
            *flags |= NB_GOSCHED;
            return true;
        }
        return false;
    }
    default:
        return false;
    }
}

/* Are all statements of a clause / block non-blocking? */
static bool all_nonblocking(struct rule_ctx *ctx, nid clause, bool in_select, unsigned *flags)
{
    for (nid s = rl_first_stmt(ctx->f, clause); s; s = ast_next(ctx->f, s))
        if (!nonblocking(ctx, s, in_select, flags)) return false;
    return true;
}

/* Can control reach loop n: not after a call that never returns, such as
 * a same-package helper that always panics (`doPanic(); for {}`)? */
static bool loop_reachable(struct rule_ctx *ctx, nid n)
{
    nid fn = model_enclosing_func(ctx->f, n);
    if (!fn) return true;
    struct cfg *g = cfg_build(ctx->pkg, ctx->fi, fn);
    bool reach = true;
    for (int b = 0; b < g->nblocks; b++)
        if (g->blocks[b].stmt == n) reach = cfg_reachable(g, b);
    cfg_free(g);
    return reach;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    if (f->nodes[n].flags & NF_HAS_ERROR) return;
    if (!rl_loop_is_infinite(f, n)) return;
    nid body = rl_for_body(f, n);
    if (!body) return;
    if (rl_stmts_empty(f, body)) {
        if (!loop_reachable(ctx, n)) return;
        struct finding *fd = rule_report(ctx, n,
                                         "empty infinite loop: for {} spins a CPU core at 100%% forever without "
                                         "blocking; use select {} to block forever");
        fd->fix = xstrdup("replace `for {}` with `select {}`, which blocks without using the CPU");
        return;
    }
    /* every statement of the body non-blocking, at least one select with a
     * default branch that is itself non-blocking */
    unsigned flags = 0;
    nid sel = 0, def = 0;
    for (nid s = rl_first_stmt(f, body); s; s = ast_next(f, s)) {
        if (ast_kind(f, s) == N_SELECT_STATEMENT) {
            nid d = 0;
            AST_FOR_CHILDREN(f, s, c) if (ast_kind(f, c) == N_DEFAULT_CASE) d = c;
            if (!d || !all_nonblocking(ctx, d, true, &flags)) return;
            if (!sel) sel = s, def = d;
            continue;
        }
        if (!nonblocking(ctx, s, false, &flags)) return;
    }
    if (!sel) return; /* only simple statements: rare, and not what this rule is about */
    if (!loop_reachable(ctx, n)) return;
    const char *gs = (flags & NB_GOSCHED) ? " (runtime.Gosched() only yields the processor; the loop still spins)" : "";
    struct finding *fd = rule_report(ctx, def,
                                     "busy loop: the select's default branch neither blocks nor leaves the loop, so "
                                     "the loop spins a CPU core while no case is ready%s",
                                     gs);
    rule_related(ctx, fd, n, "the loop");
    fd->fix = xstrdup("remove the default branch so the select blocks until a case is ready (add a ticker or "
                      "timer case if the loop must also do periodic work)");
}

const struct rule rule_busy_loop = {
    .id = "GD101",
    .name = "busy-loop",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "An endless loop never blocks: an empty for {}, or a select whose default branch does nothing.",
    .why = "A select with a default branch never blocks: when no case is ready it runs the default at once. "
           "Inside `for { ... }` with a default that neither blocks nor leaves the loop, the goroutine polls "
           "its channels as fast as it can and keeps one CPU core at 100% while it waits, stealing time from "
           "the goroutines that would make a case ready and burning power. Calling runtime.Gosched() in the "
           "default only yields the processor to other runnable goroutines; the loop is still runnable and "
           "still spins, and `continue` or `break` (which leaves only the select) change nothing. An empty "
           "`for {}` spins the same way; to block a goroutine forever use `select {}`, which parks it. "
           "godark reports only when every statement in the loop body and in the default branch is known "
           "not to block (an unknown call might block, so it stays silent).",
    .bad = "package p\n\nfunc drain(jobs <-chan int, done <-chan struct{}, handle func(int)) {\n\tfor {\n"
           "\t\tselect {\n\t\tcase j := <-jobs:\n\t\t\thandle(j)\n\t\tcase <-done:\n\t\t\treturn\n"
           "\t\tdefault:\n\t\t}\n\t}\n}\n",
    .good = "package p\n\nfunc drain(jobs <-chan int, done <-chan struct{}, handle func(int)) {\n\tfor {\n"
            "\t\tselect {\n\t\tcase j := <-jobs:\n\t\t\thandle(j)\n\t\tcase <-done:\n\t\t\treturn\n\t\t}\n\t}\n}\n",
    .fix_safety = "Removing the default branch makes the select block until a case is ready; if the default did "
                  "periodic work, move that work to a time.Ticker case.",
    .kinds = {N_FOR_STATEMENT},
    .visit = visit,
};
