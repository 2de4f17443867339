/* rules/time_after_in_loop: GD501 time-after-in-loop. A time.After whose
 * channel a select inside a loop waits on, where another case can go round
 * the loop again: each such iteration leaves a pending timer behind.
 * How: call_expression nodes that model_is_call("time", "After") accepts;
 * the select case receiving from the call (directly or through a variable
 * declared in the loop body); rl_terminates on the other cases and on the
 * statements after the select; the file's Go version (model_go_version)
 * for the message. */
#include "rule.h"
#include "rulelib.h"

/* The select statement of communication case `cc`. */
static nid select_of(const struct gofile *f, nid cc) { return ast_parent(f, cc); }

/* If `recv` (a unary `<-x` expression) is the receive of a select case,
 * that communication_case, else 0. */
static nid case_of_receive(const struct gofile *f, nid recv)
{
    nid par = ast_parent(f, recv);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) recv = par, par = ast_parent(f, par);
    if (ast_kind(f, par) != N_RECEIVE_STATEMENT || f->nodes[recv].field != F_RIGHT) return 0;
    nid cc = ast_parent(f, par);
    if (ast_kind(f, cc) != N_COMMUNICATION_CASE || f->nodes[par].field != F_COMMUNICATION) return 0;
    return cc;
}

/* The statement labeled `label` among the ancestors of k, or 0. */
static nid labeled_target(const struct gofile *f, nid k, nid label)
{
    for (nid a = ast_parent(f, k); a; a = ast_parent(f, a)) {
        enum node_kind ak = ast_kind(f, a);
        if (ak == N_FUNC_LITERAL || ak == N_FUNCTION_DECLARATION || ak == N_METHOD_DECLARATION) return 0;
        if (ak == N_LABELED_STATEMENT && str_eqs(ast_text(f, ast_child(f, a, F_LABEL)), ast_text(f, label)))
            AST_FOR_CHILDREN(f, a, c) if (f->nodes[c].field != F_LABEL) return c;
    }
    return 0;
}

/* Does case clause c hold a jump that goes on with the loop: a continue of
 * `loop` or of a loop around it, or a break of select `sel`? */
static bool case_jumps_on(const struct gofile *f, nid c, nid sel, nid loop)
{
    for (nid k = c + 1; k < f->nodes[c].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk != N_CONTINUE_STATEMENT && kk != N_BREAK_STATEMENT) continue;
        nid lab = ast_first_child(f, k);
        nid target = lab ? labeled_target(f, k, lab) : rl_jump_target(f, k, kk == N_CONTINUE_STATEMENT);
        if (!target) continue;
        if (kk == N_BREAK_STATEMENT ? target == sel : ast_contains(f, target, loop)) return true;
    }
    return false;
}

/* The condition expression of a for statement, or 0. */
static nid loop_condition(const struct gofile *f, nid loop)
{
    AST_FOR_CHILDREN(f, loop, c)
    {
        if (f->nodes[c].field == F_BODY || ast_kind(f, c) == N_RANGE_CLAUSE) continue;
        if (ast_kind(f, c) == N_FOR_CLAUSE) return ast_child(f, c, F_CONDITION);
        return c;
    }
    return 0;
}

/* Does case clause c assign to a variable that the loop condition reads
 * (`for c1 != nil { select { case <-c1: c1 = nil ...`)? Then that case may
 * end the loop rather than go round it. */
static bool case_updates_condition(const struct gofile *f, nid c, nid loop)
{
    nid cond = loop_condition(f, loop);
    if (!cond) return false;
    for (nid k = c + 1; k < f->nodes[c].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk != N_ASSIGNMENT_STATEMENT && kk != N_INC_STATEMENT && kk != N_DEC_STATEMENT &&
            kk != N_SHORT_VAR_DECLARATION)
            continue;
        nid left = kk == N_ASSIGNMENT_STATEMENT || kk == N_SHORT_VAR_DECLARATION ? ast_child(f, k, F_LEFT) : k;
        for (nid t = left + 1; t < f->nodes[left].end; t++) {
            if (ast_kind(f, t) != N_IDENTIFIER) continue;
            for (nid u = cond; u < f->nodes[cond].end; u++)
                if (ast_kind(f, u) == N_IDENTIFIER && str_eqs(ast_text(f, u), ast_text(f, t))) return true;
        }
    }
    return false;
}

/* Can case c of select `sel` go on with the loop while the timer is
 * pending: a jump that goes on, or a statement list that does not
 * terminate (the caller checks what follows the select)? A case that ends
 * in a labeled break leaves an enclosing statement (at least this
 * iteration) and does not go on. */
static bool case_iterates(struct rule_ctx *ctx, nid c, nid sel, nid loop)
{
    const struct gofile *f = ctx->f;
    if (case_updates_condition(f, c, loop)) return false;
    if (case_jumps_on(f, c, sel, loop)) return true;
    nid last = 0;
    for (nid s = rl_first_stmt(f, c); s; s = ast_next(f, s))
        if (ast_kind(f, s) != N_EMPTY_STATEMENT) last = s;
    if (last && ast_kind(f, last) == N_BREAK_STATEMENT && ast_first_child(f, last)) return false;
    return !rl_terminates(ctx->pkg, ctx->fi, c);
}

/* The first case other than `timer_case` that iterates, or 0. */
static nid other_case_iterating(struct rule_ctx *ctx, nid sel, nid timer_case, nid loop)
{
    const struct gofile *f = ctx->f;
    AST_FOR_CHILDREN(f, sel, c)
    {
        enum node_kind ck = ast_kind(f, c);
        if (c == timer_case || (ck != N_COMMUNICATION_CASE && ck != N_DEFAULT_CASE)) continue;
        if (case_iterates(ctx, c, sel, loop)) return c;
    }
    return 0;
}

/* Is communication case c a receive from a signal channel (elements of
 * type bool or struct{}): a heartbeat or a wake-up, which arrives about as
 * often as the timer would fire, not at the rate of the work? */
static bool signal_case(struct rule_ctx *ctx, nid c)
{
    const struct gofile *f = ctx->f;
    if (ast_kind(f, c) != N_COMMUNICATION_CASE) return false;
    nid comm = ast_child(f, c, F_COMMUNICATION);
    nid u = 0;
    for (nid k = comm; comm && k < f->nodes[comm].end && !u; k++)
        if (ast_kind(f, k) == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW) u = k;
    if (!u) return false;
    struct ltype *t = model_underlying(ctx->pkg, model_type_of(ctx->pkg, ctx->fi, ast_child(f, u, F_OPERAND)));
    if (!t || t->kind != LT_CHAN || !t->elem) return false;
    struct ltype *e = t->elem;
    if (e->kind == LT_NAMED && !strcmp(e->pkgpath, "builtin") && !strcmp(e->name, "bool")) return true;
    if (e->kind == LT_STRUCT && e->decl_file >= 0) {
        const struct gofile *df = &ctx->pkg->files[e->decl_file];
        nid list = ast_first_child(df, e->decl);
        return !list || !ast_first_child(df, list);
    }
    return false;
}

/* Does every case of sel but the timer's that goes round the loop again
 * receive from a signal channel? */
static bool only_signals_iterate(struct rule_ctx *ctx, nid sel, nid timer_case, nid loop)
{
    const struct gofile *f = ctx->f;
    AST_FOR_CHILDREN(f, sel, c)
    {
        enum node_kind ck = ast_kind(f, c);
        if (c == timer_case || (ck != N_COMMUNICATION_CASE && ck != N_DEFAULT_CASE)) continue;
        if (case_iterates(ctx, c, sel, loop) && !signal_case(ctx, c)) return false;
    }
    return true;
}

/* After select `sel` completes normally, can control reach the end of the
 * loop body (or a continue)? False when a statement after it, at any level
 * up to the loop body, terminates or breaks out of the loop. */
static bool rest_may_iterate(struct rule_ctx *ctx, nid sel, nid loop)
{
    const struct gofile *f = ctx->f;
    nid body = ast_child(f, loop, F_BODY);
    for (nid child = sel, a = ast_parent(f, sel); a && a != body && a != loop; child = a, a = ast_parent(f, a)) {
        if (ast_kind(f, a) != N_STATEMENT_LIST) continue;
        for (nid s = ast_next(f, child); s; s = ast_next(f, s)) {
            enum node_kind sk = ast_kind(f, s);
            if (sk == N_BREAK_STATEMENT || sk == N_CONTINUE_STATEMENT) {
                /* an unlabeled break here leaves the loop only when no switch
                 * or select lies between: otherwise, stay conservative */
                return sk == N_CONTINUE_STATEMENT;
            }
            if (rl_terminates(ctx->pkg, ctx->fi, s)) return false;
        }
    }
    return true;
}

/* The select case that receives from the timer channel of call `call`,
 * directly (`case <-time.After(d):`) or through a variable declared by
 * `x := time.After(d)` in the loop body and received from by a select in
 * the same loop. Fills *sel_out. */
static nid timer_case(struct rule_ctx *ctx, nid call, nid loop, nid *sel_out)
{
    const struct gofile *f = ctx->f;
    nid par = ast_parent(f, call);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) par = ast_parent(f, par);
    if (ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_ARROW) {
        nid cc = case_of_receive(f, par);
        if (!cc) return 0; /* a plain `<-time.After(d)` waits until the timer fires */
        *sel_out = select_of(f, cc);
        return cc;
    }
    /* x := time.After(d), directly in a statement list of the loop */
    if (ast_kind(f, par) != N_EXPRESSION_LIST || f->nodes[par].field != F_RIGHT) return 0;
    nid decl = ast_parent(f, par);
    if (ast_kind(f, decl) != N_SHORT_VAR_DECLARATION) return 0;
    nid left = ast_child(f, decl, F_LEFT);
    if (ast_child_count(f, left) != 1 || ast_child_count(f, par) != 1) return 0;
    nid name = ast_first_child(f, left);
    if (ast_kind(f, name) != N_IDENTIFIER || ast_text_is(f, name, "_")) return 0;
    nid body = ast_child(f, loop, F_BODY);
    for (nid k = body; k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk != N_IDENTIFIER || k == name || !str_eqs(ast_text(f, k), ast_text(f, name))) continue;
        nid d, nm;
        if (!model_resolve_local(ctx->pkg, ctx->fi, k, &d, &nm) || nm != name) continue;
        nid u = ast_parent(f, k);
        if (ast_kind(f, u) != N_UNARY_EXPRESSION || f->nodes[u].op != OP_ARROW) continue;
        nid cc = case_of_receive(f, u);
        if (!cc || rl_enclosing_loop(f, cc) != loop) continue;
        *sel_out = select_of(f, cc);
        return cc;
    }
    return 0;
}

/* Is `loop` a counted loop with a small constant bound (`for i := 0; i < 4;
 * i++`, `for range 3`)? Then only that many timers can be pending. */
static bool small_counted_loop(const struct gofile *f, nid loop)
{
    AST_FOR_CHILDREN(f, loop, c)
    {
        nid lit = 0;
        if (ast_kind(f, c) == N_FOR_CLAUSE) {
            nid cond = ast_unparen(f, ast_child(f, c, F_CONDITION));
            if (ast_kind(f, cond) != N_BINARY_EXPRESSION) return false;
            enum node_op op = (enum node_op)f->nodes[cond].op;
            if (op == OP_LSS || op == OP_LEQ) lit = ast_child(f, cond, F_RIGHT);
            else if (op == OP_GTR || op == OP_GEQ) lit = ast_child(f, cond, F_LEFT);
        } else if (ast_kind(f, c) == N_RANGE_CLAUSE) {
            lit = ast_child(f, c, F_RIGHT);
        }
        if (!lit || ast_kind(f, lit) != N_INT_LITERAL) continue;
        struct str s = ast_text(f, lit);
        return s.n <= 2; /* at most 99 */
    }
    return false;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    if (!model_is_call(ctx->pkg, ctx->fi, n, "time", "After")) return;
    nid loop = rl_enclosing_loop(f, n);
    if (!loop || small_counted_loop(f, loop)) return;
    nid sel = 0, tc = timer_case(ctx, n, loop, &sel);
    if (!tc || (f->nodes[sel].flags & NF_HAS_ERROR)) return;
    nid other = other_case_iterating(ctx, sel, tc, loop);
    if (!other || !rest_may_iterate(ctx, sel, loop)) return;

    enum rl_timer_regime reg = rl_timer_regime(ctx->pkg, ctx->fi);
    if (reg == RL_TIMERS_NEW_MAIN) return; /* collected when abandoned: only an allocation per iteration */
    struct str fn = ast_text(f, ast_child(f, n, F_FUNCTION)), arg = ast_text(f, ast_child(f, n, F_ARGUMENTS));
    const char *ver = rl_go_version_text(ctx->pkg, ctx->fi);
    const char *dots = "";
    if (arg.n > 60) arg.n = 56, dots = "...)";
    struct finding *fd;
    /* in a test the process is short-lived: hidden by default; a loop
     * woken only by heartbeats or wake-up signals abandons a timer about as
     * often as one fires, so only a few are ever pending */
    bool signals = only_signals_iterate(ctx, sel, tc, loop);
    enum confidence conf = rl_is_test_file(f) || signals ? CONF_LOW : ctx->rule->confidence;
    if (reg == RL_TIMERS_NEW_LIB)
        fd = rule_report_conf(ctx, n, CONF_LOW,
                              "%.*s%.*s%s in a select inside a loop: each iteration that takes another case "
                              "abandons a pending timer; %s, so when the main module also says go >= 1.23 an "
                              "abandoned timer is collected and this costs only an allocation per iteration",
                              (int)fn.n, fn.p, (int)arg.n, arg.p, dots, ver);
    else
        fd = rule_report_conf(ctx, n, conf,
                         "%.*s%.*s%s in a select inside a loop: each iteration that takes another case "
                         "abandons a pending timer; %s%s: each timer lives until it fires, so memory grows with "
                         "the iteration rate (use one time.NewTimer and Reset it)%s",
                         (int)fn.n, fn.p, (int)arg.n, arg.p, dots, ver,
                         reg == RL_TIMERS_UNKNOWN ? ", so assuming Go before 1.23" : "",
                         signals ? "; the other cases are wake-up signals, so only a few timers should be pending"
                                 : "");
    if (fd) rule_related(ctx, fd, other, "this case goes round the loop again while the timer is pending");
}

const struct rule rule_time_after_in_loop = {
    .id = "GD501",
    .name = "time-after-in-loop",
    .severity = SEV_WARNING,
    .confidence = CONF_LOW,
    .summary = "time.After in a select inside a loop creates a timer per iteration that is abandoned while it "
               "is still pending.",
    .why = "`time.After(d)` creates a new timer on every call. In a `for { select { ... } }` loop where the "
           "select can take another case (a message, a default) and go round the loop again, each such "
           "iteration leaves a timer that has not fired yet and creates a new one. Before Go 1.23 the runtime "
           "keeps every started timer reachable until it fires, whether or not anything still refers to its "
           "channel, so with a long duration and a busy loop the pending timers (and their channels) pile up: "
           "memory grows with the iteration rate, and the timer heap gets slower. Since Go 1.23 an unreferenced "
           "timer is garbage collected even if it has not fired, but only in programs whose main module says "
           "`go 1.23` or later in go.mod (and that do not set `GODEBUG=asynctimerchan=1`); there the cost is an "
           "allocation per iteration. godark reads "
           "the file's language version: its `//go:build go1.N` line, else the `go` line of the nearest go.mod, or vendor.mod (projects such as docker keep their requirements there and have no go.mod), else of a go.work above; the message says which: below 1.23 or without any it reports; from 1.23 it reports in library packages at low confidence (the main module "
           "decides) and not at all in package main. It stays silent when the loop cannot iterate again after "
           "the select (every other case returns, leaves the loop, or changes what the loop condition tests), "
           "for a counted loop with a small constant bound (at most that many timers), and for a plain "
           "`<-time.After(d)`, which waits until the timer fires; in test files (a short-lived process), and "
           "when every other case that goes round again receives from a signal channel (elements of type bool "
           "or struct{}: a heartbeat or wake-up that comes about as often as the timer fires, so only a few "
           "timers are pending; the message says so), it reports at low confidence. For now every finding is low: whether the pending "
           "timers matter depends on how often the other cases fire against the timer's duration, which the "
           "code rarely shows, and on modules godark had not been tuned on 1 finding of 5 was a real problem "
           "(a per-item timeout in a data pipe); `--confidence low` shows them. Create one timer outside the loop and `Reset` it, or use a ticker.",
    .bad = "package main\n\n"
           "import (\n\t\"fmt\"\n\t\"time\"\n)\n\n"
           "func consume(events <-chan string) {\n"
           "\tfor {\n"
           "\t\tselect {\n"
           "\t\tcase e := <-events:\n"
           "\t\t\tfmt.Println(e)\n"
           "\t\tcase <-time.After(time.Minute):\n"
           "\t\t\tfmt.Println(\"idle for a minute\")\n"
           "\t\t\treturn\n"
           "\t\t}\n"
           "\t}\n"
           "}\n\n"
           "func main() {\n\tconsume(make(chan string))\n}\n",
    .good = "package main\n\n"
            "import (\n\t\"fmt\"\n\t\"time\"\n)\n\n"
            "func consume(events <-chan string) {\n"
            "\tidle := time.NewTimer(time.Minute)\n"
            "\tdefer idle.Stop()\n"
            "\tfor {\n"
            "\t\tselect {\n"
            "\t\tcase e := <-events:\n"
            "\t\t\tfmt.Println(e)\n"
            "\t\t\tif !idle.Stop() {\n"
            "\t\t\t\t<-idle.C\n"
            "\t\t\t}\n"
            "\t\t\tidle.Reset(time.Minute)\n"
            "\t\tcase <-idle.C:\n"
            "\t\t\tfmt.Println(\"idle for a minute\")\n"
            "\t\t\treturn\n"
            "\t\t}\n"
            "\t}\n"
            "}\n\n"
            "func main() {\n\tconsume(make(chan string))\n}\n",
    .fix_safety = NULL,
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
