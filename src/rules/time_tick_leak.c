/* rules/time_tick_leak: GD502 time-tick-leak. time.Tick in a function that
 * can return (or inside a loop): its ticker can never be stopped, and before
 * Go 1.23 it is never collected either.
 * How: call_expression nodes that model_is_call("time", "Tick") accepts;
 * main/init and endless functions (rl_func_can_return) are exempt; the uses
 * of the channel decide between a finding and a low-confidence one; the
 * go.mod version (rl_timer_regime) decides whether the leak still exists. */
#include <stdlib.h>

#include "../model/summary.h"
#include "fixlib.h"
#include "rule.h"
#include "rulelib.h"

/* Is func literal `lit` run once per run of its enclosing function:
 * called right where it is written (`func(){...}()`, `go func(){...}()`),
 * not inside a loop? */
static bool literal_runs_once(const struct gofile *f, nid lit)
{
    nid call = ast_parent(f, lit);
    if (ast_kind(f, call) != N_CALL_EXPRESSION || f->nodes[lit].field != F_FUNCTION) return false;
    nid st = ast_parent(f, call);
    enum node_kind sk = ast_kind(f, st);
    if (sk != N_GO_STATEMENT && sk != N_EXPRESSION_STATEMENT && sk != N_DEFER_STATEMENT) return false;
    return rl_enclosing_loop(f, call) == 0;
}

/* Does n run once per program: in main() of package main or in an init()
 * function, directly or in func literals that run once there? */
static bool runs_once_per_program(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    for (nid a = ast_parent(f, n); a; a = ast_parent(f, a)) {
        enum node_kind k = ast_kind(f, a);
        if (k == N_FUNC_LITERAL) {
            if (!literal_runs_once(f, a)) return false;
            continue;
        }
        if (k == N_METHOD_DECLARATION) return false;
        if (k == N_FUNCTION_DECLARATION) {
            nid name = ast_child(f, a, F_NAME);
            if (ast_text_is(f, name, "init")) return true;
            return ast_text_is(f, name, "main") && ctx->pkg->name && !strcmp(ctx->pkg->name, "main");
        }
    }
    return false;
}

/* How often a function declaration fn of package main (file fi) runs:
 * PROG_ONCE when every call of it in the package runs once per program
 * (in main or init, or a function so called, not in a loop or a func
 * literal that runs again), PROG_NO_CALLER when the package never calls it
 * directly (an interface method the program dispatches to: a benchmark's
 * run, once per process as often as not) or only from such functions,
 * PROG_MANY otherwise. */
enum { PROG_MANY, PROG_ONCE, PROG_NO_CALLER };
static int program_runs(struct pkg *p, int fi, nid fn, int depth)
{
    const struct gofile *f = &p->files[fi];
    nid name = ast_child(f, fn, F_NAME);
    if (ast_kind(f, fn) == N_FUNCTION_DECLARATION && (ast_text_is(f, name, "main") || ast_text_is(f, name, "init")))
        return PROG_ONCE;
    int d = pkg_decl_index(p, fi, fn);
    if (d < 0 || depth > 3) return PROG_MANY;
    int ncalls = 0;
    bool dispatched = false; /* a caller is itself only dispatched to */
    for (int gi = 0; gi < p->nfiles; gi++) {
        const struct gofile *g = &p->files[gi];
        for (nid k = 0; k < g->nnodes; k++) {
            if (ast_kind(g, k) != N_CALL_EXPRESSION || model_callee(p, gi, k) != d) continue;
            ncalls++;
            if (rl_enclosing_loop(g, k)) return PROG_MANY;
            nid caller = model_enclosing_func(g, k);
            for (; caller && ast_kind(g, caller) == N_FUNC_LITERAL; caller = model_enclosing_func(g, caller))
                if (!literal_runs_once(g, caller) || rl_enclosing_loop(g, caller)) return PROG_MANY;
            int r = caller ? program_runs(p, gi, caller, depth + 1) : PROG_MANY;
            if (r == PROG_MANY) return PROG_MANY;
            dispatched |= r == PROG_NO_CALLER;
        }
    }
    return ncalls && !dispatched ? PROG_ONCE : PROG_NO_CALLER;
}

/* Is the channel of the time.Tick call only received from inside the
 * function: `range time.Tick(d)`, `<-time.Tick(d)`, or a local variable
 * whose every use is such a receive, not in a nested func literal? */
static bool channel_stays_local(struct rule_ctx *ctx, nid call, nid fn)
{
    const struct gofile *f = ctx->f;
    nid e = call, par = ast_parent(f, call);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) e = par, par = ast_parent(f, par);
    if (ast_kind(f, par) == N_RANGE_CLAUSE && f->nodes[e].field == F_RIGHT) return true;
    if (ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_ARROW) return true;
    /* c := time.Tick(d) */
    if (ast_kind(f, par) != N_EXPRESSION_LIST || f->nodes[par].field != F_RIGHT) return false;
    nid st = ast_parent(f, par);
    if (ast_kind(f, st) != N_SHORT_VAR_DECLARATION) return false;
    nid left = ast_child(f, st, F_LEFT);
    if (ast_child_count(f, left) != 1 || ast_child_count(f, par) != 1) return false;
    nid name = ast_first_child(f, left);
    if (ast_kind(f, name) != N_IDENTIFIER || ast_text_is(f, name, "_")) return false;
    struct str nm = ast_text(f, name);
    for (nid k = fn + 1; k < f->nodes[fn].end; k++) {
        if (k == name || ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), nm)) continue;
        /* any identifier of that name: a shadowing one only makes us quieter */
        if (model_enclosing_func(f, k) != fn) return false;
        nid u = k, up = ast_parent(f, k);
        while (ast_kind(f, up) == N_PARENTHESIZED_EXPRESSION) u = up, up = ast_parent(f, up);
        if (ast_kind(f, up) == N_UNARY_EXPRESSION && f->nodes[up].op == OP_ARROW) continue;
        if (ast_kind(f, up) == N_RANGE_CLAUSE && f->nodes[u].field == F_RIGHT) continue;
        return false;
    }
    return true;
}

/* Is e a duration that is certainly positive: positive integer or float
 * literals and the time package's units (`time.Second`), multiplied? Then
 * time.NewTicker cannot panic where time.Tick returned nil. */
static bool positive_duration(const struct gofile *f, nid e)
{
    e = ast_unparen(f, e);
    switch (ast_kind(f, e)) {
    case N_INT_LITERAL:
    case N_FLOAT_LITERAL: {
        struct str t = ast_text(f, e);
        for (size_t i = 0; i < t.n; i++)
            if (t.p[i] >= '1' && t.p[i] <= '9') return true;
        return false;
    }
    case N_SELECTOR_EXPRESSION: {
        static const char *const units[] = {"Nanosecond", "Microsecond", "Millisecond", "Second", "Minute", "Hour"};
        nid op = ast_child(f, e, F_OPERAND), fl = ast_child(f, e, F_FIELD);
        if (ast_kind(f, op) != N_IDENTIFIER || !ast_text_is(f, op, "time")) return false;
        for (size_t i = 0; i < GD_ARRAY_LEN(units); i++)
            if (ast_text_is(f, fl, units[i])) return true;
        return false;
    }
    case N_BINARY_EXPRESSION:
        if (f->nodes[e].op != OP_MUL) return false;
        return positive_duration(f, ast_first_child(f, e)) && positive_duration(f, ast_next(f, ast_first_child(f, e)));
    default:
        return false;
    }
}

/* The safe fix, in the two simple shapes, when call n (`time.Tick(d)`,
 * the time package named `time`, d certainly positive) is not in a loop:
 *   for range time.Tick(d) {   ->  t := time.NewTicker(d)
 *                                  defer t.Stop()
 *                                  for range t.C {
 * (t, else ticker: a name no identifier of the function has), and
 *   c := time.Tick(d)          ->  c := time.NewTicker(d)
 *                                  defer c.Stop()
 * with every use of c, all receives or ranges in this function that
 * resolve to this c (channel_stays_local), becoming c.C. The ticker then
 * ticks exactly as before while the function runs, and stops when it
 * returns, after which nothing can receive from it. */
static void attach_fix(struct rule_ctx *ctx, struct finding *fd, nid n, nid fn)
{
    const struct gofile *f = ctx->f;
    nid callee = ast_child(f, n, F_FUNCTION), args = ast_child(f, n, F_ARGUMENTS);
    nid pkg = ast_child(f, callee, F_OPERAND);
    if (!fd || !rule_can_edit(ctx, ctx->fi) || ast_kind(f, callee) != N_SELECTOR_EXPRESSION ||
        !ast_text_is(f, pkg, "time") || ast_child_count(f, args) != 1 ||
        !positive_duration(f, ast_first_child(f, args)))
        return;
    struct str at = ast_text(f, args);
    nid e = n, par = ast_parent(f, n);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) e = par, par = ast_parent(f, par);
    struct str ind;
    if (ast_kind(f, par) == N_RANGE_CLAUSE && f->nodes[e].field == F_RIGHT) {
        nid loop = ast_parent(f, par);
        if (ast_kind(f, loop) != N_FOR_STATEMENT || !fx_in_stmt_list(f, loop) || !fx_indent(f, loop, &ind)) return;
        const char *t = !fx_name_used(f, fn, "t") ? "t" : !fx_name_used(f, fn, "ticker") ? "ticker" : NULL;
        if (!t) return;
        char *pre = xasprintf("%s := time.NewTicker%.*s\n%.*sdefer %s.Stop()\n%.*s", t, (int)at.n, at.p, (int)ind.n,
                              ind.p, t, (int)ind.n, ind.p);
        char *use = xasprintf("%s.C", t);
        rule_edit(ctx, fd, ctx->fi, f->nodes[loop].start_byte, f->nodes[loop].start_byte, pre);
        rule_edit(ctx, fd, ctx->fi, f->nodes[e].start_byte, f->nodes[e].end_byte, use);
        free(pre);
        free(use);
        return;
    }
    /* c := time.Tick(d), alone on its line */
    if (ast_kind(f, par) != N_EXPRESSION_LIST || f->nodes[par].field != F_RIGHT) return;
    nid st = ast_parent(f, par);
    if (ast_kind(f, st) != N_SHORT_VAR_DECLARATION || !fx_in_stmt_list(f, st) || !fx_alone(f, st, true) ||
        !fx_indent(f, st, &ind))
        return;
    nid name = ast_first_child(f, ast_child(f, st, F_LEFT));
    struct str nm = ast_text(f, name);
    VEC(nid) uses = {0};
    for (nid k = fn + 1; k < f->nodes[fn].end; k++) {
        if (k == name || ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), nm)) continue;
        nid d, dn;
        if (!model_resolve_local(ctx->pkg, ctx->fi, k, &d, &dn) || dn != name) {
            vec_free(&uses);
            return; /* another variable of that name: leave the text alone */
        }
        vec_push(&uses, k);
    }
    char *call = xasprintf("time.NewTicker%.*s", (int)at.n, at.p);
    char *stop = xasprintf("%.*sdefer %.*s.Stop()\n", (int)ind.n, ind.p, (int)nm.n, nm.p);
    char *use = xasprintf("%.*s.C", (int)nm.n, nm.p);
    rule_edit(ctx, fd, ctx->fi, f->nodes[e].start_byte, f->nodes[e].end_byte, call);
    uint32_t after = fx_line_end(f, f->nodes[st].end_byte);
    rule_edit(ctx, fd, ctx->fi, after, after, stop);
    for (size_t i = 0; i < uses.len; i++)
        rule_edit(ctx, fd, ctx->fi, f->nodes[uses.items[i]].start_byte, f->nodes[uses.items[i]].end_byte, use);
    free(call);
    free(stop);
    free(use);
    vec_free(&uses);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    if (!model_is_call(ctx->pkg, ctx->fi, n, "time", "Tick")) return;
    nid fn = model_enclosing_func(f, n);
    if (!fn) return; /* a package-level variable: one ticker per program */
    enum rl_timer_regime reg = rl_timer_regime(ctx->pkg, ctx->fi);
    if (reg == RL_TIMERS_NEW_MAIN) return; /* unreferenced tickers are collected */

    /* Tick returns nil and makes no ticker for a duration <= 0 */
    nid arg = ast_unparen(f, ast_first_child(f, ast_child(f, n, F_ARGUMENTS)));
    if ((ast_kind(f, arg) == N_UNARY_EXPRESSION && f->nodes[arg].op == OP_SUB) ||
        (ast_kind(f, arg) == N_INT_LITERAL && ast_text_is(f, arg, "0")))
        return;
    bool in_loop = rl_enclosing_loop(f, n) != 0;
    int prog = PROG_MANY;
    if (!in_loop) {
        if (runs_once_per_program(ctx, n)) return;
        if (!rl_func_can_return_after(ctx->pkg, ctx->fi, fn, n)) return; /* an endless function needs its ticker */
        /* a function of a program that its main runs once */
        if (ctx->pkg->name && !strcmp(ctx->pkg->name, "main") && ast_kind(f, fn) != N_FUNC_LITERAL)
            prog = program_runs(ctx->pkg, ctx->fi, fn, 0);
        if (prog == PROG_ONCE) return;
    }
    nid up = ast_parent(f, n);
    while (ast_kind(f, up) == N_PARENTHESIZED_EXPRESSION) up = ast_parent(f, up);
    bool discarded = ast_kind(f, up) == N_EXPRESSION_STATEMENT;
    bool local = discarded || channel_stays_local(ctx, n, fn);
    const char *ver = rl_go_version_text(ctx->pkg, ctx->fi);
    const char *where = in_loop ? "time.Tick inside a loop creates a new ticker on every iteration, and none can be "
                                  "stopped"
                                : discarded ? "time.Tick's result is discarded: its ticker can never be stopped"
                                : local     ? "time.Tick in a function that returns: its ticker can never be stopped"
                                        : "time.Tick's channel leaves the function: its ticker can never be stopped";
    if (reg == RL_TIMERS_NEW_LIB) {
        rule_report_conf(ctx, n, CONF_LOW,
                         "%s; %s, so it is collected once unreferenced if the main module also says go >= 1.23 "
                         "(before that it keeps firing forever)",
                         where, ver);
        return;
    }
    const char *old = reg == RL_TIMERS_UNKNOWN ? ", so assuming Go before 1.23" : "";
    if (!local && !in_loop) {
        /* whether it leaks depends on the receiver, which may run forever */
        rule_report_conf(ctx, n, CONF_LOW,
                         "%s; %s%s: it is never garbage collected and leaks once its receiver stops reading (use "
                         "time.NewTicker and Stop it)",
                         where, ver, old);
        return;
    }
    /* in a test the process is short-lived: hidden by default */
    struct finding *fd = rule_report_conf(ctx, n, rl_is_test_file(f) || prog == PROG_NO_CALLER ? CONF_LOW : ctx->rule->confidence,
                "%s; %s%s: an unstopped ticker is never garbage collected and keeps firing, so every %s leaks "
                "one (use time.NewTicker and defer its Stop)",
                where, ver, old, in_loop ? "iteration" : "call");
    if (!in_loop && !discarded) attach_fix(ctx, fd, n, fn);
}

const struct rule rule_time_tick_leak = {
    .id = "GD502",
    .name = "time-tick-leak",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "time.Tick in a function that returns, or in a loop, leaks a ticker that can never be stopped "
               "(before Go 1.23).",
    .why = "`time.Tick(d)` starts a `time.Ticker` and returns only its channel, so nothing can ever call `Stop` "
           "on it. Before Go 1.23 the runtime keeps a started ticker reachable from its timer heap until it is "
           "stopped: an unstopped ticker is never garbage collected and wakes up every `d` for the rest of the "
           "program. Called in `main` or `init`, in a function of package main that only they call (once, not "
           "in a loop), or in a function that never returns (a loop that runs "
           "forever), that is one ticker for the program's lifetime and harmless (a function of package main "
           "that the package never calls directly, such as a command's method reached through an interface, "
           "is low confidence); called in a function that "
           "returns, every call leaks one, and called inside a loop, every iteration does. Since Go 1.23 "
           "unreferenced tickers are collected even if they were never stopped, but only in programs whose main "
           "module says `go 1.23` or later (and do not set `GODEBUG=asynctimerchan=1`). godark reads "
           "the file's language version: its `//go:build go1.N` line, else the `go` line of the nearest go.mod, or vendor.mod (projects such as docker keep their requirements there and have no go.mod), else of a go.work above; the message says which: below 1.23 or without any it reports; from 1.23 it reports library "
           "packages at low confidence (the main module decides) and stays silent in package main. When the "
           "channel leaves the function (returned, stored, passed on), whether the ticker leaks depends on the "
           "receiver, so that finding is low confidence, and so are findings in test files (a test process is "
           "short-lived). Use `time.NewTicker` and `defer t.Stop()`. In the simple shapes the finding carries that change as a safe fix: `godark check --fix` "
           "applies it, `--diff` shows it, SARIF lists it under `fixes`.",
    .bad = "package poll\n\n"
           "import \"time\"\n\n"
           "// WaitReady is called for every request.\n"
           "func WaitReady(ready func() bool) {\n"
           "\tfor range time.Tick(100 * time.Millisecond) {\n"
           "\t\tif ready() {\n"
           "\t\t\treturn\n"
           "\t\t}\n"
           "\t}\n"
           "}\n",
    .good = "package poll\n\n"
            "import \"time\"\n\n"
            "// WaitReady is called for every request.\n"
            "func WaitReady(ready func() bool) {\n"
            "\tt := time.NewTicker(100 * time.Millisecond)\n"
            "\tdefer t.Stop()\n"
            "\tfor range t.C {\n"
            "\t\tif ready() {\n"
            "\t\t\treturn\n"
            "\t\t}\n"
            "\t}\n"
            "}\n",
    .fix_safety = "`godark check --fix` makes the ticker stoppable itself (a safe fix) in two simple shapes outside "
                  "loops, when the duration is certainly positive (literals and time's units multiplied: "
                  "time.NewTicker panics where time.Tick returns nil): `for range time.Tick(d) {` becomes `t := "
                  "time.NewTicker(d)`, `defer t.Stop()`, `for range t.C {` (t, else ticker, when the function "
                  "has no identifier of that name), and `c := time.Tick(d)` whose every use is a receive or range "
                  "in the function becomes `c := time.NewTicker(d)`, `defer c.Stop()`, with each use `c.C`. The "
                  "ticker ticks as before while the function runs and stops when it returns.",
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
