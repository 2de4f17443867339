/* rules/waitgroup_done_skipped: GD302. A goroutine that calls wg.Done()
 * (not deferred) but has a path from its start to a return, or to the end
 * of its body, that passes no Done of that group: the spawner's wg.Wait
 * then waits forever.
 * Visits func literals started by `go` and functions/methods of the package
 * that some `go f(...)` / `go x.m(...)` starts; walks the body's CFG from
 * ENTRY to EXIT avoiding events that do (or may do) the Done. Paths into
 * NORETURN (panic, os.Exit, t.Fatal) are not reported.
 * Also a function or method that no go statement starts and that counts
 * itself in a field group (`s.wg.Add(1)` at the top level of its body,
 * `s.wg.Done()` at the top level later: analyse_sync): the returns after
 * the Add that pass no Done, at medium confidence (low in tests). */
#include <stdlib.h>
#include <string.h>

#include "../model/objects.h"
#include "wglib.h"

struct done_site {
    nid wg;        /* the group's path at its first direct Done */
    nid first;     /* first direct (not deferred) Done */
    bool deferred; /* a Done of the group is deferred somewhere */
    bool bad;      /* a Done in a loop, or started by `go wg.Done()` */
};

/* Does event ev do, or may it do, a Done on the group? Func literals in
 * the event count too (a nested goroutine or once.Do may Done for us). */
static bool stop_at(void *ud, nid ev)
{
    struct wg_group *s = ud;
    return wg_calls_in(s->p, s->fi, ev, s->wg, WG_DONE, true) || wg_escapes_in(s->p, s->fi, ev, s->wg);
}

/* Confidence given the spawner's Add (0: none found) for go statement go:
 * an Add outside a loop that starts the goroutine counts them all only
 * when its count is not a literal (`wg.Add(len(jobs))`); `wg.Add(1)`
 * before a loop of goroutines means one of them signals (a latch): -1,
 * no finding. */
static int add_confidence(const struct gofile *f, nid add, nid go)
{
    if (!add) return CONF_LOW;
    for (nid loop = rl_enclosing_loop(f, go); loop; loop = rl_enclosing_loop(f, loop)) {
        if (ast_contains(f, loop, add)) break;
        nid arg = ast_unparen(f, ast_first_child(f, ast_child(f, add, F_ARGUMENTS)));
        if (ast_kind(f, arg) == N_INT_LITERAL) return -1;
    }
    return CONF_HIGH;
}

/* How the goroutine's spawner counted it: the confidence of a finding
 * (HIGH when an Add of the same group runs right before every start), or
 * -1 when fn is never started by `go` (not a goroutine: no finding). */
static int spawn_confidence_literal(struct rule_ctx *ctx, nid lit, nid wg)
{
    const struct gofile *f = ctx->f;
    nid go = wg_go_of_literal(f, lit);
    if (!go) return -1;
    nid spawner = model_enclosing_func(f, go);
    if (!spawner) return CONF_LOW;
    nid root = rl_path_root(f, wg);
    int pi = model_param_index(ctx->pkg, ctx->fi, lit, root);
    if (pi == -1) return add_confidence(f, wg_add_before(ctx->pkg, ctx->fi, spawner, go, NULL, wg), go);
    /* (the group passed as a parameter of the literal) */
    if (pi < 0) return CONF_LOW;
    nid arg = wg_call_arg(f, ast_first_child(f, go), pi);
    if (!arg || !rl_is_path(f, arg)) return CONF_LOW;
    char want[256], w[256];
    size_t an = wg_path_text(f, arg, want, sizeof want), rn = ast_text(f, root).n;
    size_t wn = wg_path_text(f, wg, w, sizeof w);
    if (an + wn - rn + 1 >= sizeof want) return CONF_LOW;
    memcpy(want + an, w + rn, wn - rn + 1);
    return add_confidence(f, wg_add_before(ctx->pkg, ctx->fi, spawner, go, want, 0), go);
}

/* For a declared function or method fn: scans the package for go
 * statements that start it and checks each spawner's Add. */
static int spawn_confidence_decl(struct rule_ctx *ctx, nid fn, nid wg)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    nid root = rl_path_root(f, wg);
    int pi = model_param_index(p, ctx->fi, fn, root);
    char w[256];
    size_t wn = wg_path_text(f, wg, w, sizeof w), rn = ast_text(f, root).n;
    int conf = -1;
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *sf = &p->files[fi];
        for (nid k = 1; k < sf->nnodes; k++) {
            if (ast_kind(sf, k) != N_GO_STATEMENT) continue;
            nid call = ast_unparen(sf, ast_first_child(sf, k));
            if (ast_kind(sf, call) != N_CALL_EXPRESSION) continue;
            const struct pkg_decl *d = wg_callee(p, fi, call);
            if (!d || d->file != ctx->fi || d->node != fn) continue;
            if (conf < 0) conf = CONF_LOW;
            nid spawner = model_enclosing_func(sf, k);
            nid base = 0;
            if (pi >= 0) base = wg_call_arg(sf, call, pi);
            else if (pi == -2) base = ast_child(sf, ast_unparen(sf, ast_child(sf, call, F_FUNCTION)), F_OPERAND);
            char want[256];
            if (base) {
                if (!rl_is_path(sf, ast_unparen(sf, base))) continue;
                size_t an = wg_path_text(sf, base, want, sizeof want);
                if (an + wn - rn + 1 >= sizeof want) continue;
                memcpy(want + an, w + rn, wn - rn + 1);
            } else {
                /* a package-level group: the same name */
                memcpy(want, w, wn + 1);
            }
            int c = spawner ? add_confidence(sf, wg_add_before(p, fi, spawner, k, want, 0), k) : CONF_LOW;
            if (c < 0) return -1;
            if (c == CONF_HIGH) conf = CONF_HIGH;
        }
    }
    return conf;
}

/* Is the group's root usable: captured from outside, a pointer parameter
 * or pointer receiver, or package-level? A group declared inside the
 * goroutine is its own; a value parameter is a copy (GD401's business). */
static bool root_ok(struct rule_ctx *ctx, nid fn, nid wg)
{
    const struct gofile *f = ctx->f;
    nid root = rl_path_root(f, wg), d = 0, nm = 0;
    if (!root) return false;
    if (!model_resolve_local(ctx->pkg, ctx->fi, root, &d, &nm)) return true;
    if (!ast_contains(f, fn, nm)) return true;
    int pi = model_param_index(ctx->pkg, ctx->fi, fn, root);
    if (pi == -1) return false;
    struct ltype *t = model_type_of(ctx->pkg, ctx->fi, root);
    return t && t->kind == LT_POINTER;
}

static void report_exit(struct rule_ctx *ctx, nid at, bool at_end, nid body, const struct done_site *s, int conf)
{
    const struct gofile *f = ctx->f;
    struct str w = ast_text(f, s->wg);
    unsigned line = f->nodes[s->first].line;
    struct finding *fd;
    if (!at_end) {
        fd = rule_report_conf(ctx, at, (enum confidence)conf,
                              "%.*s.Done (line %u) is skipped when this return is taken: %.*s.Wait waits forever "
                              "for this goroutine",
                              (int)w.n, w.p, line, (int)w.n, w.p);
    } else {
        fd = rule_report_conf(ctx, body, (enum confidence)conf,
                              "%.*s.Done (line %u) is skipped when the goroutine ends here: %.*s.Wait waits forever "
                              "for this goroutine",
                              (int)w.n, w.p, line, (int)w.n, w.p);
        /* point at the closing brace */
        uint32_t l, c;
        uint32_t eb = f->nodes[body].end_byte ? f->nodes[body].end_byte - 1 : 0;
        ast_pos(f, eb, &l, &c);
        fd->line = fd->end_line = (int)l;
        fd->col = (int)c;
        fd->end_col = (int)c + 1;
        struct str lt = ast_line_text(f, l);
        free(fd->source_line);
        fd->source_line = xstrndup(lt.p, lt.n);
    }
    rule_related(ctx, fd, s->first, "the Done that this path skips; `defer %.*s.Done()` at the top runs it on every path",
                 (int)w.n, w.p);
    fd->fix = xasprintf("call `defer %.*s.Done()` at the start of the goroutine instead", (int)w.n, w.p);
}

/* Is statement st directly in function body `body` (not nested)? */
static bool top_level(const struct gofile *f, nid body, nid st)
{
    nid par = ast_parent(f, st);
    return par == body || (ast_kind(f, par) == N_STATEMENT_LIST && ast_parent(f, par) == body);
}

/* The statement `P.<op>(...)` (an expression statement) directly in body
 * whose P is the same path as wg, with op WG_ADD a positive constant; the
 * first after node `after`, or 0. */
static nid top_level_call(struct rule_ctx *ctx, nid body, nid wg, enum wg_op op, nid after)
{
    const struct gofile *f = ctx->f;
    nid list = ast_first_child(f, body);
    if (ast_kind(f, list) != N_STATEMENT_LIST) list = body;
    AST_FOR_CHILDREN(f, list, st)
    {
        if (st <= after || ast_kind(f, st) != N_EXPRESSION_STATEMENT) continue;
        nid call = ast_unparen(f, ast_first_child(f, st));
        if (!wg_call_on(ctx->pkg, ctx->fi, call, wg, op)) continue;
        long v;
        if (op == WG_ADD && (!wg_add_const(f, call, &v) || v <= 0)) return 0;
        if (top_level(f, body, st)) return call;
    }
    return 0;
}

/* A function or method that no go statement starts, `P.Add(n)` on a
 * WaitGroup field at its top level and a `P.Done()` at its top level after
 * it (influxdb-client-go#30's Flush): the returns between them that pass
 * no Done leave the count up for good. A function that hands the Done to a
 * goroutine it starts, or to a helper, or that keeps the count on success
 * for a later call to release (no Done at the top level), is not
 * reported. */
static void analyse_sync(struct rule_ctx *ctx, nid fn, nid body, const struct done_site *s, struct cfg **gp)
{
    const struct gofile *f = ctx->f;
    if (ast_kind(f, s->wg) != N_SELECTOR_EXPRESSION) return;
    nid add = top_level_call(ctx, body, s->wg, WG_ADD, 0);
    if (!add) return;
    nid done = top_level_call(ctx, body, s->wg, WG_DONE, ast_parent(f, add));
    if (!done) return;
    if (!*gp) *gp = cfg_build(ctx->pkg, ctx->fi, fn);
    struct cfg *g = *gp;
    int ab, ae;
    if (!cfg_event_pos(g, add, &ab, &ae) || !cfg_reachable(g, ab)) return;
    struct wg_group ud = {ctx->pkg, ctx->fi, s->wg};
    uint8_t *out = xcalloc((size_t)g->nblocks, 1);
    cfg_reach_avoiding(g, ab, ae, stop_at, &ud, out);
    const struct cfg_block *ex = &g->blocks[g->exit];
    struct str w = ast_text(f, s->wg);
    const struct obj_model *m = rl_objects(ctx);
    const struct obj_class *c = m ? objects_class_at(m, ctx->fi, s->wg) : NULL;
    enum confidence conf = rl_is_test_file(f) ? CONF_LOW : CONF_MEDIUM;
    for (int j = 0; j < ex->npreds; j++) {
        int pb = ex->preds[j];
        if (!(out[pb] & CFG_REACH_THROUGH)) continue;
        const struct cfg_block *b = &g->blocks[pb];
        nid last = b->nevents ? b->events[b->nevents - 1] : 0;
        if (ast_kind(f, last) != N_RETURN_STATEMENT) continue;
        struct finding *fd = rule_report_conf(ctx, last, conf,
                                              "%.*s.Done (line %u) is skipped when this return is taken: the Add at "
                                              "line %u stays counted and %.*s.Wait waits forever",
                                              (int)w.n, w.p, f->nodes[done].line, f->nodes[add].line, (int)w.n, w.p);
        if (!fd) continue;
        rule_related(ctx, fd, add, "the Add this function makes on entry");
        rule_related(ctx, fd, done, "the Done that this path skips; `defer %.*s.Done()` after the Add runs it on every "
                                    "path",
                     (int)w.n, w.p);
        for (int k = 0; c && k < c->nuses; k++)
            if (c->uses[k].op == OO_WAIT)
                rule_related_in(ctx, fd, c->uses[k].fi, ast_parent(&ctx->pkg->files[c->uses[k].fi], c->uses[k].node),
                                "a Wait on %s.%.*s that then never returns", c->type, (int)c->field.n, c->field.p);
        fd->fix = xasprintf("call `defer %.*s.Done()` right after the Add instead", (int)w.n, w.p);
    }
    free(out);
}

static void analyse(struct rule_ctx *ctx, nid fn, bool literal)
{
    const struct gofile *f = ctx->f;
    nid body = ast_child(f, fn, F_BODY);
    if (!body) return;
    VEC(struct done_site) sites = {0};
    for (nid k = body; k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL && !wg_defer_of(f, fn, k)) {
            k = f->nodes[k].end - 1;
            continue;
        }
        nid x = 0;
        if (wg_call_shape(f, k, &x) != WG_DONE) continue;
        struct done_site *s = NULL;
        for (size_t i = 0; i < sites.len && !s; i++)
            if (rl_same_path(ctx->pkg, ctx->fi, sites.items[i].wg, x)) s = &sites.items[i];
        if (!s) {
            struct done_site ns = {x, 0, false, false};
            vec_push(&sites, ns);
            s = &sites.items[sites.len - 1];
        }
        nid par = ast_parent(f, k);
        if (wg_defer_of(f, fn, k)) s->deferred = true;
        else if (ast_kind(f, par) == N_GO_STATEMENT || rl_enclosing_loop(f, k)) s->bad = true;
        else if (!s->first) s->first = k, s->wg = x;
    }
    struct cfg *g = NULL;
    for (size_t i = 0; i < sites.len; i++) {
        struct done_site *s = &sites.items[i];
        if (!s->first || s->deferred || s->bad) continue;
        if (!wg_is_sync(ctx->pkg, ctx->fi, s->wg) || !root_ok(ctx, fn, s->wg)) continue;
        int conf = literal ? spawn_confidence_literal(ctx, fn, s->wg) : spawn_confidence_decl(ctx, fn, s->wg);
        if (conf < 0) {
            if (!literal) analyse_sync(ctx, fn, body, s, &g);
            continue;
        }
        if (!g) g = cfg_build(ctx->pkg, ctx->fi, fn);
        int db, de;
        if (!cfg_event_pos(g, s->first, &db, &de) || !cfg_reachable(g, db)) continue;
        struct wg_group ud = {ctx->pkg, ctx->fi, s->wg};
        uint8_t *out = xcalloc((size_t)g->nblocks, 1);
        cfg_reach_avoiding(g, g->entry, -1, stop_at, &ud, out);
        const struct cfg_block *ex = &g->blocks[g->exit];
        bool end_reported = false;
        for (int j = 0; j < ex->npreds; j++) {
            int pb = ex->preds[j];
            if (!(out[pb] & CFG_REACH_THROUGH)) continue;
            const struct cfg_block *b = &g->blocks[pb];
            nid last = b->nevents ? b->events[b->nevents - 1] : 0;
            if (ast_kind(f, last) == N_RETURN_STATEMENT) {
                report_exit(ctx, last, false, body, s, conf);
            } else if (!end_reported) {
                end_reported = true;
                /* falling off the end with a conditional Done is also how
                 * one-of-many latches signal: low confidence */
                report_exit(ctx, 0, true, body, s, CONF_LOW);
            }
        }
        free(out);
    }
    cfg_free(g);
    vec_free(&sites);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    if (ast_kind(ctx->f, n) == N_FUNC_LITERAL) {
        if (wg_go_of_literal(ctx->f, n)) analyse(ctx, n, true);
        return;
    }
    analyse(ctx, n, false);
}

const struct rule rule_waitgroup_done_skipped = {
    .id = "GD302",
    .name = "waitgroup-done-skipped",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A goroutine (or a function that counts itself in a WaitGroup field) calls wg.Done() on one path but "
               "can return without it, so wg.Wait blocks forever.",
    .why = "The spawner's `wg.Add(1)` promises one Done for the goroutine. When the goroutine calls `wg.Done()` at "
           "the end of its body instead of deferring it, every early `return` (an error check, a closed channel, "
           "a cancelled context) skips it: the counter never reaches zero and `wg.Wait()` blocks forever, "
           "usually taking a shutdown path or a request handler down with it. `defer wg.Done()` as the first "
           "statement runs on every return and on panics. "
           "godark follows the goroutine's control flow graph from its start to each return (and to the end of "
           "the body) and reports the exits that no Done of the same group precedes. It looks at `go "
           "func(){...}()` literals and at functions or methods of the package started by `go f(&wg)` or "
           "`go s.run()`. Calls that may do the Done for it (a same-package helper that calls Done, a value "
           "holding the group passed to unknown code) end the path. Paths that end in panic, os.Exit or "
           "t.Fatal are not reported, nor groups whose type is not sync.WaitGroup. Confidence is high for a "
           "return when the spawner calls Add on the same group before the go statement at the same or an outer "
           "level (per goroutine, or `Add(len(x))` before a loop of them); falling off the end of the body, or "
           "an Add that is not visible, gives low confidence. `wg.Add(1)` before a loop of goroutines that each "
           "may call Done is a one-of-many latch and is not reported. "
           "A function or method that no go statement starts is looked at when it counts itself in a WaitGroup "
           "held in a struct field: `s.wg.Add(n)` (a positive constant) as a statement of its body's top level and "
           "`s.wg.Done()` at the top level after it, so that a `Close` waiting on `s.wg` waits for the calls in "
           "flight. Each return after the Add that no Done (nor a call or goroutine that may do it) precedes "
           "leaves the count up for good, and the next `Wait` never returns; these are reported at medium "
           "confidence (low in test files), with the Waits on the field as related locations. A function whose "
           "only Dones are on early returns keeps the count on success for a later release on purpose, and a "
           "deferred Done runs on every path: neither is reported.",
    .bad = "package p\n\nimport \"sync\"\n\nfunc fetchAll(urls []string, fetch func(string) error) {\n"
           "\tvar wg sync.WaitGroup\n\tfor _, u := range urls {\n\t\twg.Add(1)\n\t\tgo func(u string) {\n"
           "\t\t\tif err := fetch(u); err != nil {\n\t\t\t\treturn\n\t\t\t}\n\t\t\twg.Done()\n\t\t}(u)\n\t}\n"
           "\twg.Wait()\n}\n",
    .good = "package p\n\nimport \"sync\"\n\nfunc fetchAll(urls []string, fetch func(string) error) {\n"
            "\tvar wg sync.WaitGroup\n\tfor _, u := range urls {\n\t\twg.Add(1)\n\t\tgo func(u string) {\n"
            "\t\t\tdefer wg.Done()\n\t\t\tif err := fetch(u); err != nil {\n\t\t\t\treturn\n\t\t\t}\n\t\t}(u)\n"
            "\t}\n\twg.Wait()\n}\n",
    .fix_safety = "Replacing the trailing `wg.Done()` by `defer wg.Done()` at the top also runs Done on panics and "
                  "after any deferred calls registered later; it changes behaviour only if code relied on Wait "
                  "returning before the goroutine's other deferred calls ran.",
    .kinds = {N_FUNC_LITERAL, N_FUNCTION_DECLARATION, N_METHOD_DECLARATION},
    .visit = visit,
};
