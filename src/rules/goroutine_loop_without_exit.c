/* rules/goroutine_loop_without_exit: GD105. A goroutine whose `for` loop can
 * never be left: no return, no break out of it, no goto out, no call that
 * never returns, no range that can end — so the goroutine (and everything it
 * references) lives until the process exits.
 * How: visits go statements (for `go func(){...}()`) and function and method
 * declarations (for `go f()` / `go s.m()` / a go literal that calls them);
 * on the goroutine function's CFG, a loop is exitless when neither EXIT nor
 * NORETURN is reachable from its head (a range over a ticker's or
 * time.Tick's channel never ends). Silent for goroutines started once per
 * process (main, init, package initialisers, sync.Once, or an unexported
 * function only called from those) and for goroutines documented to live
 * forever; low confidence in package main and cmd/ trees, in tests, for
 * goroutines that hold no per-instance state, and for goroutines started by
 * an unexported function named in one place only, tests aside (setup
 * code), and when no Close/Stop/Shutdown method of the owner's type (nor a
 * returned channel) shows the owner is meant to end, or the goroutine uses
 * nothing of the owner (no mention of the receiver); a break in a select
 * that shows the loop was meant to end keeps it high. The loop reported is
 * one control cannot leave (a bounded loop before an endless one is not). */
#include "rulelib.h"
#include "../model/cfg.h"
#include "../model/objects.h"
#include "../model/summary.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the loop ---- */

/* Is range clause rc over a channel that is never closed: a Ticker's or
 * Timer's C, time.Tick(...), or an unexported struct field channel that
 * the package never closes nor hands on (model/objects.h)? */
static bool range_never_ends(struct pkg *p, int fi, nid rc)
{
    const struct gofile *f = &p->files[fi];
    nid x = ast_unparen(f, ast_child(f, rc, F_RIGHT));
    if (ast_kind(f, x) == N_CALL_EXPRESSION) return model_is_call(p, fi, x, "time", "Tick");
    if (ast_kind(f, x) != N_SELECTOR_EXPRESSION) return false;
    const struct obj_class *c = rl_pkg_has_error(p) ? NULL : objects_class_at(objects_of(p), fi, x);
    if (c && rl_private_class(c, OBJ_CHAN)) {
        for (int k = 0; k < c->nuses; k++)
            if (c->uses[k].op == OO_CLOSE || c->uses[k].op == OO_GET) return false; /* a getter's caller may close it */
        return true;
    }
    if (!ast_text_is(f, ast_child(f, x, F_FIELD), "C")) return false;
    const struct ltype *t = model_type_of(p, fi, ast_child(f, x, F_OPERAND));
    return ltype_is(t, "time", "Ticker", true) || ltype_is(t, "time", "Timer", true);
}

/* The head block of for statement `loop` (the block it starts), or -1. */
static int head_block(const struct cfg *g, nid loop)
{
    for (int b = 0; b < g->nblocks; b++)
        if (g->blocks[b].stmt == loop) return b;
    return -1;
}

/* Does block b hold code outside loop (an event or the statement it
 * starts)? Then control has left the loop. */
static bool outside(const struct cfg *g, int b, nid loop)
{
    const struct gofile *f = g->f;
    const struct cfg_block *bl = &g->blocks[b];
    if (bl->stmt && !ast_contains(f, loop, bl->stmt)) return true;
    for (int e = 0; e < bl->nevents; e++)
        if (!ast_contains(f, loop, bl->events[e])) return true;
    return false;
}

/* Can control get from block `from` (loop's head) out of the loop, to EXIT
 * or NORETURN? Range heads over channels that never close lose their way
 * out (their second edge). */
static bool can_leave(const struct cfg *g, int from, nid loop, const int *cut, int ncut)
{
    uint8_t *seen = xcalloc((size_t)g->nblocks, 1);
    int *stack = xmalloc(sizeof *stack * (size_t)g->nblocks);
    int sp = 0;
    bool out = false;
    stack[sp++] = from;
    seen[from] = 1;
    while (sp && !out) {
        int b = stack[--sp];
        const struct cfg_block *bl = &g->blocks[b];
        bool is_cut = false;
        for (int i = 0; i < ncut; i++)
            if (cut[i] == b) is_cut = true;
        for (int i = 0; i < bl->nsuccs; i++) {
            if (is_cut && i == 1) continue;
            int t = bl->succs[i].to;
            if (t == g->exit || t == g->noreturn || outside(g, t, loop)) {
                out = true;
                break;
            }
            if (!seen[t]) seen[t] = 1, stack[sp++] = t;
        }
    }
    free(seen);
    free(stack);
    return out;
}

/* Does loop contain (outside nested func literals) a return, a goto or a
 * statement that never returns? A cross-check on the CFG: when the graph
 * says "no way out" but the syntax holds one, stay silent. */
static bool has_syntactic_exit(struct pkg *p, int fi, nid loop)
{
    const struct gofile *f = &p->files[fi];
    for (nid k = loop + 1; k < f->nodes[loop].end; k++) {
        switch (ast_kind(f, k)) {
        case N_FUNC_LITERAL:
            k = f->nodes[k].end - 1;
            break;
        case N_RETURN_STATEMENT:
        case N_GOTO_STATEMENT:
            return true;
        case N_CALL_EXPRESSION:
            if (model_is_noreturn_call(p, fi, k)) return true;
            break;
        default:
            break;
        }
    }
    return false;
}

/* The outermost reachable loop of function fn from which the function can
 * never return, or 0. */
static nid exitless_loop(struct pkg *p, int fi, nid fn)
{
    const struct gofile *f = &p->files[fi];
    nid body = ast_child(f, fn, F_BODY);
    if (!body) return 0;
    bool any = false;
    for (nid k = body; k < f->nodes[body].end && !any; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) k = f->nodes[k].end - 1;
        else if (ast_kind(f, k) == N_FOR_STATEMENT) any = true;
    }
    if (!any) return 0;
    struct cfg *g = cfg_build(p, fi, fn);
    /* heads of ranges that never end */
    int cut[16], ncut = 0;
    for (nid k = body; k < f->nodes[body].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (ast_kind(f, k) != N_RANGE_CLAUSE || ncut == (int)GD_ARRAY_LEN(cut)) continue;
        if (!range_never_ends(p, fi, k)) continue;
        int h = head_block(g, ast_parent(f, k));
        if (h >= 0) cut[ncut++] = h;
    }
    nid found = 0;
    for (nid k = body; k < f->nodes[body].end && !found; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (ast_kind(f, k) != N_FOR_STATEMENT) continue;
        int h = head_block(g, k);
        if (h < 0 || !cfg_reachable(g, h)) continue;
        if (can_leave(g, h, k, cut, ncut) || has_syntactic_exit(p, fi, k)) continue;
        found = k;
    }
    cfg_free(g);
    return found;
}

/* ---- how the goroutine is started ---- */

/* The call a func literal is the callee or an argument of, climbing
 * parentheses; *is_callee tells which. 0 when neither. */
static nid literal_call(const struct gofile *f, nid lit, bool *is_callee)
{
    nid c = ast_parent(f, lit);
    nid under = lit;
    while (ast_kind(f, c) == N_PARENTHESIZED_EXPRESSION) under = c, c = ast_parent(f, c);
    if (ast_kind(f, c) == N_CALL_EXPRESSION && ast_child(f, c, F_FUNCTION) == under) {
        *is_callee = true;
        return c;
    }
    if (ast_kind(f, c) == N_ARGUMENT_LIST && ast_kind(f, ast_parent(f, c)) == N_CALL_EXPRESSION) {
        *is_callee = false;
        return ast_parent(f, c);
    }
    return 0;
}

/* Is call `X.Do(...)` with X a sync.Once, or sync.OnceFunc(...)? */
static bool is_once_do(struct pkg *p, int fi, nid call)
{
    const struct gofile *f = &p->files[fi];
    if (model_is_call(p, fi, call, "sync", "OnceFunc")) return true;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, fe, F_FIELD), "Do")) return false;
    return ltype_is(model_type_of(p, fi, ast_child(f, fe, F_OPERAND)), "sync", "Once", true);
}

static bool is_exported(struct str s) { return s.n > 0 && isupper((unsigned char)s.p[0]); }

static bool only_called_once(struct pkg *p, int decl);

/* Does code at node n of file fi run at most once per process: in init, in
 * main of package main, in a package-level initialiser, in a sync.Once.Do
 * literal, or (depth 0) in an unexported function only called from those?
 * Func literals that are called or started right away are climbed; a loop
 * on the way means once per iteration, not once. */
static bool runs_once(struct pkg *p, int fi, nid n, int depth)
{
    const struct gofile *f = &p->files[fi];
    if (rl_enclosing_loop(f, n)) return false; /* once per iteration */
    nid fn = model_enclosing_func(f, n);
    while (fn && ast_kind(f, fn) == N_FUNC_LITERAL) {
        bool callee = false;
        nid call = literal_call(f, fn, &callee);
        if (!call) return false;
        if (!callee) return is_once_do(p, fi, call);
        if (rl_enclosing_loop(f, call)) return false;
        fn = model_enclosing_func(f, call);
    }
    if (!fn) return true; /* a package-level initialiser */
    if (ast_kind(f, fn) != N_FUNCTION_DECLARATION) return false;
    nid name = ast_child(f, fn, F_NAME);
    if (ast_text_is(f, name, "init")) return true;
    if (ast_text_is(f, name, "main") && !strcmp(p->name, "main")) return true;
    if (depth > 0) return false;
    for (int d = 0; d < p->ndecls; d++)
        if (p->decls[d].file == fi && p->decls[d].node == fn) return only_called_once(p, d);
    return false;
}

/* Is package-level function decl used only as the callee of calls that run
 * once per process (or as the function given to a sync.Once's Do), at least
 * once, and invisible to other packages? */
static bool only_called_once(struct pkg *p, int decl)
{
    const struct pkg_decl *d = &p->decls[decl];
    if (d->what != PD_FUNC) return false;
    struct str name = ast_text(&p->files[d->file], d->name_node);
    if (is_exported(name) && strcmp(p->name, "main")) return false;
    int uses = 0;
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            if (ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), name)) continue;
            if (fi == d->file && k == d->name_node) continue;
            nid dn, nm;
            if (model_resolve_local(p, fi, k, &dn, &nm)) continue;
            nid par = ast_parent(f, k), under = k;
            while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) under = par, par = ast_parent(f, par);
            if (ast_kind(f, par) == N_CALL_EXPRESSION && ast_child(f, par, F_FUNCTION) == under) {
                if (!runs_once(p, fi, par, 1)) return false;
            } else if (ast_kind(f, par) == N_ARGUMENT_LIST && is_once_do(p, fi, ast_parent(f, par))) {
                /* once.Do(start) */
            } else {
                return false; /* a function value: unknown callers */
            }
            uses++;
        }
    }
    return uses > 0;
}

/* ---- documentation ---- */

static bool ci_contains(struct str s, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= s.n; i++) {
        size_t j = 0;
        while (j < n && tolower((unsigned char)s.p[i + j]) == needle[j]) j++;
        if (j == n) return true;
    }
    return false;
}

static bool says_forever(struct str s)
{
    /* a fixture's expectation is not documentation */
    if (s.n >= 8 && !memcmp(s.p, "// want ", 8)) return false;
    static const char *const words[] = {
        "forever",           "lifetime",        "never return", "never exit",   "never stop", "never terminate",
        "until the process", "until program",   "background",   "life of the",  "daemon",     "long-running",
        "long running",      "process exits",   "program exits", "never end",    "with the process",
    };
    for (size_t i = 0; i < GD_ARRAY_LEN(words); i++)
        if (ci_contains(s, words[i])) return true;
    return false;
}

/* Do the comments on the line of node n (trailing) or in the contiguous
 * comment block right above it say the code lives forever? */
static bool documented_forever(const struct gofile *f, nid n)
{
    if (!n) return false;
    uint32_t line = f->nodes[n].line, want = line - 1;
    for (uint32_t i = 0; i < f->ncomments; i++) {
        const struct comment *c = &f->comments[i];
        if (c->line == line && says_forever(ast_comment_text(f, c))) return true;
    }
    for (int steps = 0; steps < 64 && want > 0; steps++) {
        const struct comment *hit = NULL;
        for (uint32_t i = 0; i < f->ncomments && !hit; i++)
            if (f->comments[i].end_line == want && f->comments[i].line <= want) hit = &f->comments[i];
        if (!hit) break;
        if (says_forever(ast_comment_text(f, hit))) return true;
        want = hit->line - 1;
    }
    return false;
}

/* ---- per-instance state ---- */

/* Does the go statement pass arguments? */
static bool go_has_args(const struct gofile *f, nid go)
{
    nid call = ast_first_child(f, go);
    nid args = ast_child(f, call, F_ARGUMENTS);
    return args && ast_first_child(f, args);
}

/* Does function fn (declaration or literal) take a receiver or parameters? */
static bool has_params(const struct gofile *f, nid fn)
{
    AST_FOR_CHILDREN(f, fn, c)
    {
        if (ast_kind(f, c) != N_PARAMETER_LIST) continue;
        if (f->nodes[c].field == F_RESULT) continue;
        if (ast_first_child(f, c)) return true;
    }
    return false;
}

/* For `go x.m(...)` (or a go literal that calls x.m), is the root of x a
 * local (an object of the spawner's), not a package variable? */
static bool receiver_is_local(struct pkg *p, int fi, nid go)
{
    const struct gofile *f = &p->files[fi];
    for (nid k = go; k < f->nodes[go].end; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
        if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) continue;
        nid root = rl_path_root(f, ast_child(f, fe, F_OPERAND));
        nid dn, nm;
        if (root && model_resolve_local(p, fi, root, &dn, &nm)) return true;
    }
    return false;
}

/* ---- the message ---- */

/* A `break` in loop (not in nested literals) that leaves only a select. */
static nid select_break(const struct gofile *f, nid loop)
{
    for (nid k = loop + 1; k < f->nodes[loop].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (ast_kind(f, k) == N_BREAK_STATEMENT && !ast_first_child(f, k) &&
            ast_kind(f, rl_jump_target(f, k, false)) == N_SELECT_STATEMENT)
            return k;
    }
    return 0;
}

/* Does the loop sleep (time.Sleep) directly in its body? */
static bool loop_sleeps(struct pkg *p, int fi, nid loop)
{
    const struct gofile *f = &p->files[fi];
    for (nid k = loop + 1; k < f->nodes[loop].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (ast_kind(f, k) == N_CALL_EXPRESSION && model_is_call(p, fi, k, "time", "Sleep")) return true;
    }
    return false;
}

/* spawns: go statements (file, node) that start the goroutine. */
struct spawn {
    int fi;
    nid go;
};

/* May the function that runs go statement sp (the declaration around it,
 * through func literals) run many times: exported (code of other packages
 * may start the goroutine any number of times), or named in two places of
 * the package or more? An unexported starter called once is usually setup
 * code that runs once per process (a stack-dump trap, a syncer). */
static bool spawner_many(struct pkg *p, const struct spawn *sp)
{
    const struct gofile *f = &p->files[sp->fi];
    nid fn = model_enclosing_decl(f, sp->go);
    if (!fn) return false;
    nid nm = ast_child(f, fn, F_NAME);
    struct str name = ast_text(f, nm);
    if (is_exported(name)) return true;
    /* named in two places or more (calls, method values); a test calling
     * the setup code of a non-test file does not make the program run it
     * again (vitess' pprofInit, handed once to OnInit) */
    int refs = 0;
    bool in_test = rl_is_test_file(f);
    for (int i = 0; i < p->nfiles && refs < 2; i++) {
        const struct gofile *g = &p->files[i];
        if (!in_test && rl_is_test_file(g)) continue;
        for (nid k = 1; k < g->nnodes && refs < 2; k++) {
            enum node_kind kk = ast_kind(g, k);
            if (kk != N_IDENTIFIER && kk != N_FIELD_IDENTIFIER) continue;
            if (!str_eqs(ast_text(g, k), name)) continue;
            /* another declaration of it (a file for another platform) */
            enum node_kind pk = ast_kind(g, ast_parent(g, k));
            if ((pk == N_FUNCTION_DECLARATION || pk == N_METHOD_DECLARATION) && g->nodes[k].field == F_NAME) continue;
            refs++;
        }
    }
    return refs >= 2;
}

/* ---- evidence that the goroutine's owner is meant to end ---- */

/* Does method-or-function fn (file fi) show that what runs the goroutine
 * has an end the goroutine does not follow: a method of a type with a
 * Close, Stop or Shutdown method (the owner is closed, the goroutine lives
 * on), or a function that returns a channel (a fresh channel and goroutine
 * per call, consul's MakeShutdownCh)? */
static bool owner_ends(const struct pkg *p, int fi, nid fn)
{
    const struct gofile *f = &p->files[fi];
    if (!fn) return false;
    int di = pkg_decl_index(p, fi, fn);
    const struct pkg_decl *d = di >= 0 ? &p->decls[di] : NULL;
    if (d && d->what == PD_METHOD && d->recv_type) {
        static const char *const enders[] = {"Close", "Stop", "Shutdown", "close", "stop", "shutdown"};
        for (size_t i = 0; i < GD_ARRAY_LEN(enders); i++) {
            struct str nm = {enders[i], strlen(enders[i])};
            if (pkg_lookup_method(p, d->recv_type, nm)) return true;
        }
        return false;
    }
    nid res = ast_child(f, fn, F_RESULT);
    for (nid k = res; res && k < f->nodes[res].end; k++)
        if (ast_kind(f, k) == N_CHANNEL_TYPE) return true;
    return false;
}

/* Does func literal lit, started in method outer, use outer's receiver?
 * A goroutine that touches nothing of its owner (only locals of the
 * starter: vitess' InitACL ticker relay) is not ended by the owner's Close
 * even by design: the owner's end says nothing about it. True when outer
 * is not a method, returns a channel, or its receiver has no name we can
 * see. */
static bool lit_uses_receiver(const struct gofile *f, nid lit, nid outer)
{
    if (ast_kind(f, outer) != N_METHOD_DECLARATION) return true;
    /* a method that returns a channel fed by the goroutine makes one per
     * call, whatever it uses */
    nid res = ast_child(f, outer, F_RESULT);
    for (nid k = res; res && k < f->nodes[res].end; k++)
        if (ast_kind(f, k) == N_CHANNEL_TYPE) return true;
    nid recv = ast_child(f, outer, F_RECEIVER);
    nid name = 0;
    for (nid k = recv; recv && k < f->nodes[recv].end && !name; k++)
        if (ast_kind(f, k) == N_IDENTIFIER && f->nodes[k].field == F_NAME) name = k;
    if (!name) return true;
    struct str rn = ast_text(f, name);
    if (str_eq(rn, "_")) return true;
    for (nid k = lit; k < f->nodes[lit].end; k++)
        if (ast_kind(f, k) == N_IDENTIFIER && str_eqs(ast_text(f, k), rn)) return true;
    return false;
}

/* Reports the loop. instance: the goroutine works on state of its own (a
 * receiver or captures that are locals of its spawner, arguments), so each
 * spawn leaks one more; else it looks like a process-wide singleton. */
static void report(struct rule_ctx *ctx, nid loop, const struct spawn *sp, int nsp, bool instance, bool ends)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    enum confidence conf = CONF_HIGH;
    bool all_tests = true;
    for (int i = 0; i < nsp; i++)
        if (!rl_is_test_file(&p->files[sp[i].fi])) all_tests = false;
    /* a break that leaves only the select was meant to leave the loop: a
     * bug whoever starts the goroutine */
    nid brk = select_break(f, loop);
    bool many = brk != 0;
    for (int i = 0; i < nsp; i++)
        if (spawner_many(p, &sp[i])) many = true;
    /* package main and a command's tree (a `cmd` directory, Go's convention
     * for the code of binaries) run as long as one command */
    if (!strcmp(p->name, "main") || rl_in_dir(f->path, "cmd") || rl_is_test_file(f) || all_tests || !instance || !many)
        conf = CONF_LOW;
    /* an owner with no end (no Close or Stop) is usually a singleton that
     * lives as long as the process: low, unless the break shows the loop
     * was meant to end */
    if (!brk && !ends) conf = CONF_LOW;
    const struct gofile *gf = &p->files[sp[0].fi];
    char where[256];
    if (sp[0].fi == ctx->fi)
        snprintf(where, sizeof where, "line %u", (unsigned)gf->nodes[sp[0].go].line);
    else
        snprintf(where, sizeof where, "%s:%u", rl_base_name(gf->path), (unsigned)gf->nodes[sp[0].go].line);
    struct finding *fd;
    if (brk)
        fd = rule_report_conf(ctx, loop, conf,
                              "this loop in the goroutine started at %s never exits: the break at line %u leaves "
                              "only the select, not the loop, so the goroutine lives until the process ends",
                              where, (unsigned)f->nodes[brk].line);
    else if (loop_sleeps(p, ctx->fi, loop))
        fd = rule_report_conf(ctx, loop, conf,
                              "this polling loop in the goroutine started at %s never exits: it sleeps and polls "
                              "again with no return, break or done-channel case, so the goroutine lives until the "
                              "process ends",
                              where);
    else
        fd = rule_report_conf(ctx, loop, conf,
                              "this loop in the goroutine started at %s never exits: no return, break or "
                              "done-channel case, so the goroutine lives until the process ends",
                              where);
    for (int i = 0; i < nsp; i++) {
        const struct gofile *sf = &p->files[sp[i].fi];
        const struct node *x = ast_node(sf, sp[i].go);
        finding_add_related(fd, sf->path, (int)x->line, (int)x->col, "the goroutine is started here");
    }
    fd->fix = xstrdup("give the goroutine a way to stop: pass it a context (or a done channel) and add "
                      "`case <-ctx.Done(): return` to the loop's select (a time.Ticker instead of time.Sleep), "
                      "cancelled by the owner's Close or Stop");
}

/* ---- visitors ---- */

/* go func(){...}(...) */
static void visit_go(struct rule_ctx *ctx, nid go)
{
    const struct gofile *f = ctx->f;
    nid call = ast_first_child(f, go);
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return;
    nid lit = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, lit) != N_FUNC_LITERAL) return;
    nid loop = exitless_loop(ctx->pkg, ctx->fi, lit);
    if (!loop) return;
    if (runs_once(ctx->pkg, ctx->fi, go, 0)) return;
    if (documented_forever(f, go) || documented_forever(f, loop)) return;
    nid outer = model_enclosing_decl(f, go);
    if (outer && documented_forever(f, outer)) return;
    nid *caps = NULL;
    int ncaps = cfg_captures(ctx->pkg, ctx->fi, lit, &caps);
    free(caps);
    struct spawn sp = {ctx->fi, go};
    nid od = model_enclosing_decl(f, go);
    report(ctx, loop, &sp, 1, ncaps > 0 || go_has_args(f, go),
           owner_ends(ctx->pkg, ctx->fi, od) && lit_uses_receiver(f, lit, od));
}

/* Does go statement g (file fi) start package function decl: `go f(...)`,
 * or `go func(){ ...; f(...); ... }()` with the call a statement of the
 * literal's body? */
static bool go_starts(struct pkg *p, int fi, nid g, int decl)
{
    const struct gofile *f = &p->files[fi];
    nid call = ast_first_child(f, g);
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return false;
    nid lit = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, lit) != N_FUNC_LITERAL) return model_callee(p, fi, call) == decl;
    nid body = ast_child(f, lit, F_BODY);
    nid s = rl_first_stmt(f, body);
    for (; s; s = ast_next(f, s)) {
        if (ast_kind(f, s) != N_EXPRESSION_STATEMENT) continue;
        nid c = ast_unparen(f, ast_first_child(f, s));
        if (ast_kind(f, c) == N_CALL_EXPRESSION && model_callee(p, fi, c) == decl) return true;
    }
    return false;
}

static void visit_decl(struct rule_ctx *ctx, nid fn)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    int decl = -1;
    for (int d = 0; d < p->ndecls && decl < 0; d++)
        if (p->decls[d].file == ctx->fi && p->decls[d].node == fn) decl = d;
    if (decl < 0) return;
    nid loop = exitless_loop(p, ctx->fi, fn);
    if (!loop) return;
    if (documented_forever(f, fn) || documented_forever(f, loop)) return;
    /* the go statements that start it */
    VEC(struct spawn) sp = {0};
    bool once = false, args = false;
    for (int fi = 0; fi < p->nfiles && !once; fi++) {
        const struct gofile *gf = &p->files[fi];
        for (nid k = 1; k < gf->nnodes && !once; k++) {
            if (ast_kind(gf, k) != N_GO_STATEMENT || !go_starts(p, fi, k, decl)) continue;
            if (runs_once(p, fi, k, 0) || documented_forever(gf, k)) once = true;
            nid outer = model_enclosing_decl(gf, k);
            if (outer && documented_forever(gf, outer)) once = true;
            /* spawns in tests do not make a library's goroutine per-instance */
            if (!rl_is_test_file(gf) && (go_has_args(gf, k) || receiver_is_local(p, fi, k))) args = true;
            struct spawn s = {fi, k};
            vec_push(&sp, s);
        }
    }
    bool instance = args || (ast_kind(f, fn) == N_FUNCTION_DECLARATION && has_params(f, fn));
    bool ends = owner_ends(p, ctx->fi, fn);
    for (size_t i = 0; i < sp.len && !ends; i++)
        ends = owner_ends(p, sp.items[i].fi, model_enclosing_decl(&p->files[sp.items[i].fi], sp.items[i].go));
    if (!once && sp.len > 0) report(ctx, loop, sp.items, (int)sp.len, instance, ends);
    vec_free(&sp);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    if (ast_kind(ctx->f, n) == N_GO_STATEMENT) visit_go(ctx, n);
    else visit_decl(ctx, n);
}

const struct rule rule_goroutine_loop_without_exit = {
    .id = "GD105",
    .name = "goroutine-loop-without-exit",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A goroutine's for loop has no way out: no return, break or done-channel case.",
    .why = "A goroutine ends only when its function returns; nothing outside can stop it. A loop with no "
           "return, no break out of it, no `case <-ctx.Done(): return` and no range over a channel that "
           "someone closes keeps its goroutine alive until the process exits, together with everything the "
           "goroutine references: the struct it serves, its buffers, its connections, its timers. When the "
           "goroutine is started per object (a watcher, a cache, a client), every object that is created and "
           "dropped leaves one more goroutine behind: memory and goroutine counts grow without bound, and "
           "tests that create the object leak goroutines into each other. Polling loops `for { work(); "
           "time.Sleep(d) }` and `for { select { case <-ticker.C: ... } }` without a done case are the usual "
           "shapes; so is a `break` inside a select, which leaves only the select, not the loop. "
           "godark reports the outermost loop of the goroutine from which its function can never return on "
           "the control flow graph (panics and runtime.Goexit count as ways out, a range over a ticker's "
           "channel does not, nor one over an unexported struct field channel that nothing in the package "
           "closes or hands on). It stays silent for goroutines started once per process (from main, init, a "
           "package initialiser, a sync.Once, or an unexported function only called from those) and for "
           "goroutines documented to run forever (a comment saying \"forever\", \"background\", \"for the "
           "lifetime of the process\", \"exit with the process\"...). Findings are low confidence in package "
           "main and under a cmd/ directory (code that lives as long as one command), in tests, for goroutines "
           "that hold no per-instance state, and when the function that starts the goroutine is unexported and "
           "named in one place only outside tests (setup code that usually runs once per process), and when "
           "nothing shows that the goroutine's owner is meant to end: the goroutine runs for a method of a type "
           "with no Close, Stop or Shutdown method (such owners are mostly process-wide services), or a goroutine "
           "literal that uses nothing of its method's receiver (only locals of the starter: the owner's Close "
           "was never meant to end it), and not for a function or method that returns a channel (a fresh "
           "channel and goroutine per call). A break inside a select, "
           "which shows that the loop was meant to end, keeps the finding at high confidence.",
    .bad = "package p\n\nimport \"time\"\n\ntype Watcher struct {\n\tevents chan string\n\tpoll   func() "
           "[]string\n}\n\nfunc NewWatcher(poll func() []string) *Watcher {\n\tw := &Watcher{events: make(chan "
           "string, 16), poll: poll}\n\tgo w.run()\n\treturn w\n}\n\nfunc (w *Watcher) run() {\n\tticker := "
           "time.NewTicker(time.Second)\n\tdefer ticker.Stop()\n\tfor {\n\t\tselect {\n\t\tcase <-ticker.C:\n"
           "\t\t\tfor _, e := range w.poll() {\n\t\t\t\tw.events <- e\n\t\t\t}\n\t\t}\n\t}\n}\n",
    .good = "package p\n\nimport \"time\"\n\ntype Watcher struct {\n\tevents chan string\n\tpoll   func() "
            "[]string\n\tstop   chan struct{}\n}\n\nfunc NewWatcher(poll func() []string) *Watcher {\n\tw := "
            "&Watcher{events: make(chan string, 16), poll: poll, stop: make(chan struct{})}\n\tgo w.run()\n"
            "\treturn w\n}\n\n// Close stops the watcher's goroutine.\nfunc (w *Watcher) Close() { close(w.stop) "
            "}\n\nfunc (w *Watcher) run() {\n\tticker := time.NewTicker(time.Second)\n\tdefer ticker.Stop()\n"
            "\tfor {\n\t\tselect {\n\t\tcase <-w.stop:\n\t\t\treturn\n\t\tcase <-ticker.C:\n\t\t\tfor _, e := "
            "range w.poll() {\n\t\t\t\tselect {\n\t\t\t\tcase w.events <- e:\n\t\t\t\tcase <-w.stop:\n"
            "\t\t\t\t\treturn\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n}\n",
    .fix_safety = "Adding a done case changes nothing while the goroutine runs; its owner must now call Close "
                  "(or cancel the context) when it is done with the object.",
    .kinds = {N_GO_STATEMENT, N_FUNCTION_DECLARATION, N_METHOD_DECLARATION},
    .visit = visit,
};
