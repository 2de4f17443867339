/* rules/ticker_not_stopped: GD503 ticker-not-stopped. A time.NewTicker whose
 * Stop is never called in the function and that does not escape it.
 * How: call_expression nodes that model_is_call("time", "NewTicker")
 * accepts; the variable it is assigned to and every identifier of that name
 * in the declaring function (a Stop, or any use other than a receive from
 * .C and .Reset, keeps us silent); endless functions (rl_func_can_return) are exempt unless
 * the ticker is made in a loop; the go.mod version (rl_timer_regime). */
#include "rule.h"
#include "rulelib.h"

enum use { USE_NONE, USE_STOPPED, USE_ESCAPES, USE_ENDLESS };

/* Classifies the uses of the ticker variable declared by `name` (an
 * identifier) in function `scope`. Identifiers of the same name that are
 * another variable only make the answer more conservative. */
static enum use classify_uses(struct rule_ctx *ctx, nid scope, nid name)
{
    const struct gofile *f = ctx->f;
    struct str nm = ast_text(f, name);
    enum use r = USE_NONE;
    for (nid k = scope + 1; k < f->nodes[scope].end; k++) {
        if (k == name || ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), nm)) continue;
        if (rl_ident_is_written(f, k) || rl_ident_is_decl_name(f, k)) continue;
        nid u = k, up = ast_parent(f, k);
        while (ast_kind(f, up) == N_PARENTHESIZED_EXPRESSION) u = up, up = ast_parent(f, up);
        if (ast_kind(f, up) != N_SELECTOR_EXPRESSION || f->nodes[u].field != F_OPERAND) return USE_ESCAPES;
        nid field = ast_child(f, up, F_FIELD);
        if (ast_text_is(f, field, "Stop")) return USE_STOPPED; /* called, deferred, or a method value */
        if (ast_text_is(f, field, "C")) {
            /* t.C only received from here: `<-t.C`, `range t.C`; handed on
             * (go s.run(t.C), c := t.C) the ticker serves another reader */
            nid sel = up, sp = ast_parent(f, up);
            while (ast_kind(f, sp) == N_PARENTHESIZED_EXPRESSION) sel = sp, sp = ast_parent(f, sp);
            bool recv = (ast_kind(f, sp) == N_UNARY_EXPRESSION && f->nodes[sp].op == OP_ARROW) ||
                        (ast_kind(f, sp) == N_RANGE_CLAUSE && f->nodes[sel].field == F_RIGHT);
            if (!recv) return USE_ESCAPES;
        } else if (!ast_text_is(f, field, "Reset")) {
            return USE_ESCAPES;
        }
        /* used by a func literal that never returns (a goroutine looping on
         * t.C): the ticker is needed for as long as it runs */
        nid lit = model_enclosing_func(f, k);
        if (lit != scope && !rl_func_can_return(ctx->pkg, ctx->fi, lit)) r = USE_ENDLESS;
    }
    return r;
}

static void report(struct rule_ctx *ctx, nid n, const char *what, const char *name)
{
    enum rl_timer_regime reg = rl_timer_regime(ctx->pkg, ctx->fi);
    const char *ver = rl_go_version_text(ctx->pkg, ctx->fi);
    bool in_loop = rl_enclosing_loop(ctx->f, n) != 0;
    const char *each = in_loop ? "every iteration leaks one" : "it leaks when the function returns";
    struct finding *fd;
    if (reg == RL_TIMERS_NEW_LIB)
        fd = rule_report_conf(ctx, n, CONF_LOW,
                              "%s; %s, so it is collected once unreferenced if the main module also says go >= 1.23 "
                              "(before that %s)",
                              what, ver, each);
    else
        fd = rule_report_conf(ctx, n, rl_is_test_file(ctx->f) ? CONF_LOW : ctx->rule->confidence,
                              "%s; %s%s: an unstopped ticker is never garbage collected and keeps firing, so %s",
                         what, ver, reg == RL_TIMERS_UNKNOWN ? ", so assuming Go before 1.23" : "", each);
    if (fd && name && !in_loop) fd->fix = xasprintf("defer %s.Stop()", name);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    if (!model_is_call(ctx->pkg, ctx->fi, n, "time", "NewTicker")) return;
    nid fn = model_enclosing_func(f, n);
    if (!fn || (f->nodes[fn].flags & NF_HAS_ERROR)) return;
    if (rl_timer_regime(ctx->pkg, ctx->fi) == RL_TIMERS_NEW_MAIN) return; /* unreferenced tickers are collected */
    bool in_loop = rl_enclosing_loop(f, n) != 0;
    /* NewTicker panics for a duration <= 0: `time.NewTicker(-1)` makes none */
    nid arg = ast_unparen(f, ast_first_child(f, ast_child(f, n, F_ARGUMENTS)));
    if (ast_kind(f, arg) == N_UNARY_EXPRESSION && f->nodes[arg].op == OP_SUB) return;
    if (ast_kind(f, arg) == N_INT_LITERAL && ast_text_is(f, arg, "0")) return;

    nid e = n, par = ast_parent(f, n);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) e = par, par = ast_parent(f, par);
    enum node_kind pk = ast_kind(f, par);
    if (pk == N_EXPRESSION_STATEMENT) {
        report(ctx, n, "the ticker from time.NewTicker is discarded and can never be stopped", NULL);
        return;
    }
    if (pk == N_SELECTOR_EXPRESSION && ast_text_is(f, ast_child(f, par, F_FIELD), "C")) {
        /* time.NewTicker(d).C: as good as time.Tick */
        if (!in_loop && !rl_func_can_return_after(ctx->pkg, ctx->fi, fn, n)) return;
        report(ctx, n, "only the channel of this ticker is kept, so it can never be stopped", NULL);
        return;
    }
    if (pk != N_EXPRESSION_LIST || f->nodes[par].field == F_LEFT) return; /* returned, passed, stored... */
    nid st = ast_parent(f, par);
    enum node_kind sk = ast_kind(f, st);
    nid left = 0;
    if (sk == N_SHORT_VAR_DECLARATION || sk == N_ASSIGNMENT_STATEMENT) left = ast_child(f, st, F_LEFT);
    else if (sk != N_VAR_SPEC) return;
    if (sk == N_ASSIGNMENT_STATEMENT && f->nodes[st].op != OP_ASSIGN) return;
    /* the name the ticker goes to: same index on the left */
    unsigned idx = 0;
    AST_FOR_CHILDREN(f, par, c)
    {
        if (c == e) break;
        idx++;
    }
    unsigned nleft = 0;
    nid target = 0;
    if (sk == N_VAR_SPEC) {
        AST_FOR_CHILDREN(f, st, c) if (f->nodes[c].field == F_NAME && nleft++ == idx) target = c;
    } else {
        nleft = ast_child_count(f, left);
        target = ast_nth_child(f, left, idx);
    }
    if (nleft != ast_child_count(f, par) || !target) return;
    target = ast_unparen(f, target);
    if (ast_kind(f, target) != N_IDENTIFIER) return; /* a field, map or slice element: stored */
    if (ast_text_is(f, target, "_")) {
        report(ctx, n, "the ticker from time.NewTicker is assigned to _ and can never be stopped", NULL);
        return;
    }
    nid decl, decl_name;
    if (!model_resolve_local(ctx->pkg, ctx->fi, target, &decl, &decl_name)) return; /* a package variable */
    enum node_kind dk = ast_kind(f, decl);
    if (dk == N_PARAMETER_DECLARATION || dk == N_VARIADIC_PARAMETER_DECLARATION) return; /* maybe a result */
    nid scope = model_enclosing_func(f, decl);
    if (!scope) return;
    enum use u = classify_uses(ctx, scope, target);
    if (u != USE_NONE) return;
    if (!in_loop && !rl_func_can_return_after(ctx->pkg, ctx->fi, scope, n)) return; /* needed while it runs */
    struct str nm = ast_text(f, target);
    char *name = arena_printf(&ctx->pkg->arena, "%.*s", (int)nm.n, nm.p);
    char *what = arena_printf(&ctx->pkg->arena, "ticker %s is never stopped and does not leave the function", name);
    report(ctx, n, what, name);
}

const struct rule rule_ticker_not_stopped = {
    .id = "GD503",
    .name = "ticker-not-stopped",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A time.NewTicker that is never stopped and does not escape the function leaks (before Go 1.23).",
    .why = "A `time.Ticker` keeps firing until `Stop` is called. Before Go 1.23 the runtime's timer heap "
           "holds every started ticker, so one that is never stopped is never garbage collected, even after "
           "nothing refers to it: each call of a function that makes a ticker and returns without stopping it "
           "leaks the ticker and the work of waking it every period. godark reports a `time.NewTicker` "
           "assigned to a local variable when no `Stop` on that variable appears anywhere in the function "
           "(including deferred calls and func literals: a `Stop` on one branch counts) and the variable is "
           "only used to receive from `t.C` or to `t.Reset` it. When the ticker or its channel is returned, "
           "stored in a field, map, slice or global, passed to a function or sent on a channel, it serves "
           "someone else and godark stays silent. It also reports a ticker that is discarded or of which only "
           "`.C` is kept. A function that never returns (a loop that runs forever) needs its ticker and is not "
           "reported unless the ticker is made inside a loop. Since Go 1.23 unreferenced tickers are collected "
           "even if not stopped, but only in programs whose main module says `go 1.23` or later (and that do "
           "not set `GODEBUG=asynctimerchan=1`): godark reads "
           "the file's language version: its `//go:build go1.N` line, else the `go` line of the nearest go.mod, or vendor.mod (projects such as docker keep their requirements there and have no go.mod), else of a go.work above, and, from 1.23, reports "
           "library packages at low confidence and package main not at all. Findings in test files (a "
           "short-lived process) are low confidence. `time.NewTimer` is not in scope: a timer that has fired "
           "is done.",
    .bad = "package cache\n\n"
           "import \"time\"\n\n"
           "type Cache struct{ entries map[string]string }\n\n"
           "// WaitEmpty polls until the cache is empty or the deadline passes.\n"
           "func (c *Cache) WaitEmpty(deadline time.Time) bool {\n"
           "\tt := time.NewTicker(10 * time.Millisecond)\n"
           "\tfor now := range t.C {\n"
           "\t\tif len(c.entries) == 0 {\n"
           "\t\t\treturn true\n"
           "\t\t}\n"
           "\t\tif now.After(deadline) {\n"
           "\t\t\treturn false\n"
           "\t\t}\n"
           "\t}\n"
           "\treturn false\n"
           "}\n",
    .good = "package cache\n\n"
            "import \"time\"\n\n"
            "type Cache struct{ entries map[string]string }\n\n"
            "// WaitEmpty polls until the cache is empty or the deadline passes.\n"
            "func (c *Cache) WaitEmpty(deadline time.Time) bool {\n"
            "\tt := time.NewTicker(10 * time.Millisecond)\n"
            "\tdefer t.Stop()\n"
            "\tfor now := range t.C {\n"
            "\t\tif len(c.entries) == 0 {\n"
            "\t\t\treturn true\n"
            "\t\t}\n"
            "\t\tif now.After(deadline) {\n"
            "\t\t\treturn false\n"
            "\t\t}\n"
            "\t}\n"
            "\treturn false\n"
            "}\n",
    .fix_safety = "The suggested `defer t.Stop()` goes right after the ticker is made; it stops the ticker when "
                  "the function returns, which only changes behaviour if something else still reads `t.C` after "
                  "that (godark reports only tickers that do not leave the function).",
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
