/* rules/waitgroup_never_done: GD307 waitgroup-never-done. A sync.WaitGroup
 * kept in an unexported struct field, or in a local of one function, is
 * added to and waited on, but nothing ever calls Done on it: Wait blocks
 * for good.
 * How, for a field: the object model (model/objects.h) lists every use of
 * the field's class T.f across the package; the class must be closed
 * (never handed on, its address never taken), have an Add of a positive
 * constant and a Wait, and no Done (nor WaitGroup.Go, which calls Done
 * itself, nor an Add of anything else, which may be negative). Reported at
 * each Wait of the file.
 * For a local (`var wg sync.WaitGroup`, `wg := sync.WaitGroup{}`, `new`):
 * every use must be a call of its own methods (closures may capture it) or
 * `&wg` handed to a same-package function or func literal whose parameter
 * is used the same way (visit_locals). Reported at each Wait, high when an
 * Add counts goroutines (Add(n > 1), or an Add in a loop that starts
 * one), low otherwise (`wg.Add(1); wg.Wait()` is also how a main blocks on
 * purpose). */
#include <stdlib.h>

#include "../model/objects.h"
#include "rule.h"
#include "rulelib.h"
#include "wglib.h"

/* Is the Add at selector sel (x.f of x.f.Add(n)) an Add of a positive
 * constant? */
static bool positive_add(const struct gofile *f, nid sel)
{
    long v;
    return wg_add_const(f, ast_parent(f, ast_parent(f, sel)), &v) && v > 0;
}

/* ---- a function-local WaitGroup ----
 * `var wg sync.WaitGroup` (or `wg := sync.WaitGroup{}`, `&sync.WaitGroup{}`,
 * `new(sync.WaitGroup)`) whose every use is a call of its own Add, Done,
 * Wait or Go, or `&wg` (the local itself when it is a pointer) handed to a
 * same-package function or a func literal whose parameter is used the same
 * way (three calls deep at most). Closures capture it freely: all its uses
 * are in view. Anything else (assigned, stored, returned, a method value,
 * a call we cannot follow) may call Done where we cannot see: silent. */
struct local_wg {
    bool added, done, bail;
    bool counted; /* an Add that counts goroutines: Add(n > 1), or in a loop that starts one */
    nid first_add;
    VEC(nid) waits; /* the Wait calls in the declaring function (file ctx->fi) */
};

#define LOCAL_WG_DEPTH 3

static void local_uses(struct pkg *p, int fi, nid scope, nid name, int param, int depth, struct local_wg *s);

/* Use k (an identifier naming the group) in file fi. */
static void local_use(struct pkg *p, int fi, nid k, int depth, struct local_wg *s)
{
    const struct gofile *f = &p->files[fi];
    nid up = ast_parent(f, k);
    while (ast_kind(f, up) == N_PARENTHESIZED_EXPRESSION) up = ast_parent(f, up);
    if (ast_kind(f, up) == N_SELECTOR_EXPRESSION && ast_unparen(f, ast_child(f, up, F_OPERAND)) == ast_unparen(f, k)) {
        nid call = ast_parent(f, up);
        if (ast_kind(f, call) != N_CALL_EXPRESSION || ast_child(f, call, F_FUNCTION) != up) {
            s->bail = true; /* a method value (`wg.Done` handed on) or a field */
            return;
        }
        nid m = ast_child(f, up, F_FIELD);
        unsigned nargs = ast_child_count(f, ast_child(f, call, F_ARGUMENTS));
        if (ast_text_is(f, m, "Wait") && nargs == 0) {
            if (depth == 0) vec_push(&s->waits, call);
        } else if (ast_text_is(f, m, "Add") && nargs == 1) {
            long v;
            if (!wg_add_const(f, call, &v) || v <= 0) {
                s->done = true; /* Add(-1) or Add(x): may be a Done */
                return;
            }
            s->added = true;
            if (!s->first_add && depth == 0) s->first_add = call;
            if (v > 1) s->counted = true;
            nid loop = rl_enclosing_loop(f, call);
            for (nid g = loop; loop && !s->counted && g < f->nodes[loop].end; g++)
                if (ast_kind(f, g) == N_GO_STATEMENT) s->counted = true;
        } else {
            s->done = true; /* Done, Go, or anything else */
        }
        return;
    }
    /* `&wg` (or the pointer itself) as an argument */
    nid arg = k;
    if (ast_kind(f, up) == N_UNARY_EXPRESSION && f->nodes[up].op == OP_AND) {
        arg = up;
        up = ast_parent(f, up);
        while (ast_kind(f, up) == N_PARENTHESIZED_EXPRESSION) up = ast_parent(f, up);
    } else {
        struct ltype *t = model_type_of(p, fi, k);
        if (!t || t->kind != LT_POINTER) {
            s->bail = true; /* a copy: GD401's business */
            return;
        }
    }
    if (ast_kind(f, up) != N_ARGUMENT_LIST || depth >= LOCAL_WG_DEPTH) {
        s->bail = true;
        return;
    }
    nid call = ast_parent(f, up);
    int idx = 0;
    for (nid c = ast_first_child(f, up); c; c = ast_next(f, c), idx++)
        if (ast_contains(f, c, arg)) break;
    nid fnx = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fnx) == N_FUNC_LITERAL) {
        local_uses(p, fi, fnx, 0, idx, depth + 1, s);
        return;
    }
    const struct pkg_decl *d = wg_callee(p, fi, call);
    if (!d) {
        s->bail = true;
        return;
    }
    local_uses(p, d->file, d->node, 0, idx, depth + 1, s);
}

/* The uses in function scope (file fi) of local `name` (param < 0), or of
 * scope's parameter number param. */
static void local_uses(struct pkg *p, int fi, nid scope, nid name, int param, int depth, struct local_wg *s)
{
    const struct gofile *f = &p->files[fi];
    nid body = ast_child(f, scope, F_BODY);
    if (!body) {
        s->bail = true;
        return;
    }
    if (param >= 0) {
        /* a variadic or unnamed parameter: not followed */
        nid params = ast_child(f, scope, F_PARAMETERS);
        for (nid k = params; params && k < f->nodes[params].end; k++)
            if (ast_kind(f, k) == N_VARIADIC_PARAMETER_DECLARATION) {
                s->bail = true;
                return;
            }
    }
    struct str text = name ? ast_text(f, name) : (struct str){0};
    for (nid k = body; k < f->nodes[body].end && !s->bail && !s->done; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER) continue;
        if (param >= 0) {
            if (model_param_index(p, fi, scope, k) != param) continue;
        } else {
            if (!str_eqs(ast_text(f, k), text)) continue;
            nid d, nm;
            if (!model_resolve_local(p, fi, k, &d, &nm) || nm != name || k == name) continue;
        }
        local_use(p, fi, k, depth, s);
    }
}

/* Is declaration d (of one local) a fresh group: `var wg sync.WaitGroup`,
 * `wg := sync.WaitGroup{}`, `&sync.WaitGroup{}`, `new(sync.WaitGroup)`? */
static bool fresh_group(const struct gofile *f, nid d)
{
    enum node_kind dk = ast_kind(f, d);
    nid vals;
    if (dk == N_VAR_SPEC) vals = ast_child(f, d, F_VALUE);
    else if (dk == N_SHORT_VAR_DECLARATION) {
        nid left = ast_child(f, d, F_LEFT);
        if (ast_child_count(f, left) != 1) return false;
        vals = ast_child(f, d, F_RIGHT);
    } else
        return false;
    if (!vals) return true;
    if (ast_child_count(f, vals) != 1) return false; /* several names with values: not followed */
    nid v = ast_unparen(f, ast_first_child(f, vals));
    if (ast_kind(f, v) == N_UNARY_EXPRESSION && f->nodes[v].op == OP_AND) v = ast_unparen(f, ast_first_child(f, v));
    if (ast_kind(f, v) == N_COMPOSITE_LITERAL) {
        nid body = ast_child(f, v, F_BODY);
        return !body || !ast_first_child(f, body);
    }
    if (ast_kind(f, v) == N_CALL_EXPRESSION) return ast_text_is(f, ast_child(f, v, F_FUNCTION), "new");
    return false;
}

static void visit_locals(struct rule_ctx *ctx)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    VEC(nid) seen = {0};
    for (nid k = 1; k < f->nnodes; k++) {
        nid x = 0;
        if (wg_call_shape(f, k, &x) != WG_WAIT || ast_kind(f, x) != N_IDENTIFIER) continue;
        nid d, nm;
        if (!model_resolve_local(p, ctx->fi, x, &d, &nm)) continue;
        bool dup = false;
        for (size_t i = 0; i < seen.len && !dup; i++) dup = seen.items[i] == nm;
        if (dup) continue;
        vec_push(&seen, nm);
        if (!wg_is_sync(p, ctx->fi, x) || !fresh_group(f, d)) continue;
        nid scope = model_enclosing_func(f, nm);
        if (!scope) continue;
        struct local_wg s = {0};
        local_uses(p, ctx->fi, scope, nm, -1, 0, &s);
        if (!s.bail && !s.done && s.added && s.first_add && s.waits.len) {
            struct str w = ast_text(f, x);
            unsigned line = f->nodes[s.first_add].line;
            enum confidence conf = s.counted ? CONF_HIGH : CONF_LOW;
            for (size_t i = 0; i < s.waits.len; i++) {
                struct finding *fd = rule_report_conf(
                    ctx, s.waits.items[i], conf,
                    "%.*s.Wait blocks forever: the local WaitGroup %.*s is added to (line %u), but nothing ever calls "
                    "Done on it",
                    (int)w.n, w.p, (int)w.n, w.p, line);
                if (!fd) continue;
                rule_related(ctx, fd, s.first_add, "the Add that no Done matches");
                fd->fix = xasprintf("call `defer %.*s.Done()` at the start of each goroutine that Add counts", (int)w.n,
                                    w.p);
            }
        }
        vec_free(&s.waits);
    }
    vec_free(&seen);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    struct pkg *p = ctx->pkg;
    if (!rl_pkg_has_error(p)) visit_locals(ctx);
    const struct obj_model *m = rl_objects(ctx);
    if (!m) return;
    for (int i = 0; i < m->n; i++) {
        const struct obj_class *c = &m->classes[i];
        if (!rl_private_class(c, OBJ_WAITGROUP) || !rl_class_use_in_file(ctx, c, OO_WAIT)) continue;
        bool done = false, added = false;
        for (int k = 0; k < c->nuses; k++) {
            if (c->uses[k].op == OO_DONE) done = true;
            if (c->uses[k].op == OO_ADD) {
                /* Add(n) with n not a positive constant may be an Add(-1):
                 * a Done by another name (vitess's requestsWaiter) */
                if (positive_add(&p->files[c->uses[k].fi], c->uses[k].node)) added = true;
                else done = true;
            }
        }
        if (done || !added) continue;
        const char *reason = arena_printf(&p->arena, "%s.%.*s is added to, but nothing in the package ever calls Done on it",
                                          c->type, (int)c->field.n, c->field.p);
        rl_report_class_waits(ctx, c, "blocks", reason, "call `defer ", ".Done()` at the start of each goroutine that Add counts");
    }
}

const struct rule rule_waitgroup_never_done = {
    .id = "GD307",
    .name = "waitgroup-never-done",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "A sync.WaitGroup in a struct field or a local variable is added to and waited on, but nothing "
               "ever calls its Done.",
    .why = "`WaitGroup.Wait` returns when the counter that `Add` raised is back at zero, and only `Done` (or "
           "`WaitGroup.Go`, which calls it) lowers it. A WaitGroup kept in an unexported struct field can only "
           "be marked done by code of its package; when no function of the package ever calls `Done` on it "
           "(the `defer wg.Done()` was dropped, or is called on another WaitGroup), every `Wait` after an "
           "`Add` blocks for good: a `Close` or `Stop` method hangs, and so does its caller. godark follows "
           "the field across the package, test files included, with the package's object model: its address "
           "must never be taken or handed on, and it must have an `Add` of a positive constant, a `Wait` and no "
           "`Done`, `Go`, or `Add` of anything else (an `Add(-1)` is a `Done` by another name). Then each "
           "`Wait` is reported. In test files, or when the test files are not checked, the confidence is "
           "low. A local WaitGroup (`var wg sync.WaitGroup`, `wg := sync.WaitGroup{}`, `new(sync.WaitGroup)`) is "
           "judged the same way when all its uses are in view: calls of its own methods, in the function or in "
           "the closures that capture it, and `&wg` handed to functions of the package or func literals that use "
           "their parameter the same way (three calls deep). Stored, returned, assigned, handed to code outside "
           "the package, or `wg.Done` passed as a function value: not judged. Its `Wait` is reported at high "
           "confidence when an `Add` counts goroutines (`Add(n)` with n > 1, or an `Add` in a loop that starts "
           "goroutines), low otherwise: a lone `wg.Add(1); wg.Wait()` is also how a `main` blocks for good on "
           "purpose.",
    .bad = "package pool\n\nimport \"sync\"\n\n"
           "type Pool struct {\n\twg   sync.WaitGroup\n\tjobs chan func()\n}\n\n"
           "func (p *Pool) Start(n int) {\n\tfor i := 0; i < n; i++ {\n\t\tp.wg.Add(1)\n"
           "\t\tgo func() {\n\t\t\tfor job := range p.jobs {\n\t\t\t\tjob()\n\t\t\t}\n\t\t}()\n\t}\n}\n\n"
           "// Close waits for workers that never say they are done.\n"
           "func (p *Pool) Close() {\n\tclose(p.jobs)\n\tp.wg.Wait()\n}\n",
    .good = "package pool\n\nimport \"sync\"\n\n"
            "type Pool struct {\n\twg   sync.WaitGroup\n\tjobs chan func()\n}\n\n"
            "func (p *Pool) Start(n int) {\n\tfor i := 0; i < n; i++ {\n\t\tp.wg.Add(1)\n"
            "\t\tgo func() {\n\t\t\tdefer p.wg.Done()\n\t\t\tfor job := range p.jobs {\n\t\t\t\tjob()\n\t\t\t}\n\t\t}()\n\t}\n}\n\n"
            "func (p *Pool) Close() {\n\tclose(p.jobs)\n\tp.wg.Wait()\n}\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
