/* rules/nil_channel: GD203. A send, receive, range or close on a local
 * channel variable declared `var ch chan T` and assigned on no path before
 * the operation (it blocks forever; close panics); a select all of whose
 * cases are such operations; `select {}` outside package main (low).
 * How: per function, on its CFG: for each uninitialised chan variable, a
 * walk from its declaration stopped by assignments marks the operations it
 * may reach nil, a walk from every assignment (stopped by the declaration)
 * marks those it may reach assigned; nil on every path = first and not
 * second. Variables whose address is taken or that a func literal assigns
 * are skipped; operations inside func literals are not judged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chanlib.h"

struct nv {
    struct rule_ctx *ctx;
    nid name;      /* declaring identifier */
    nid decl_ev;   /* the var declaration event */
    bool from_decl; /* which walk */
    VEC(nid) nil_ops, set_ops;
};

/* Does identifier k denote the variable? */
static bool is_var(struct nv *v, nid k)
{
    const struct gofile *f = v->ctx->f;
    nid d, nm;
    k = ast_unparen(f, k);
    return ast_kind(f, k) == N_IDENTIFIER && str_eqs(ast_text(f, k), ast_text(f, v->name)) &&
           model_resolve_local(v->ctx->pkg, v->ctx->fi, k, &d, &nm) && nm == v->name;
}

/* Is the variable written in [from, to) (an assignment target, a receive
 * or range target, a := name)? Func literals included. */
static bool writes_var(struct nv *v, nid from, nid to)
{
    const struct gofile *f = v->ctx->f;
    for (nid k = from; k < to; k++)
        if (ast_kind(f, k) == N_IDENTIFIER && k != v->name && is_var(v, k) && rl_ident_is_written(f, k))
            return true;
    return false;
}

static enum chan_walk_class classify(void *ud, nid ev)
{
    struct nv *v = ud;
    const struct gofile *f = v->ctx->f;
    if (v->from_decl ? writes_var(v, ev, f->nodes[ev].end) : ev == v->decl_ev) return CW_KILL;
    for (nid k = ev; k < f->nodes[ev].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        nid ch;
        if (chan_op_of(v->ctx->pkg, v->ctx->fi, k, &ch) != CH_NONE && is_var(v, ch)) {
            if (v->from_decl) vec_push(&v->nil_ops, k);
            else vec_push(&v->set_ops, k);
        }
    }
    return CW_NONE;
}

static bool in_vec(const nid *items, size_t n, nid x)
{
    for (size_t i = 0; i < n; i++)
        if (items[i] == x) return true;
    return false;
}

/* The channel ops nil on every path, collected over the function's vars. */
struct found {
    VEC(nid) ops;
    VEC(nid) names; /* declaring identifier of each op's variable */
};

static void check_var(struct rule_ctx *ctx, const struct cfg *g, nid spec, nid name, int db, int de,
                      struct found *out)
{
    const struct gofile *f = ctx->f;
    nid fn = g->fn;
    struct nv v = {ctx, name, g->blocks[db].events[de], true, {0}, {0}};
    /* address taken, or assigned inside a func literal: not followed */
    for (nid k = ast_child(f, fn, F_BODY); k < f->nodes[fn].end; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER || k == name || !is_var(&v, k)) continue;
        nid par = ast_parent(f, k);
        if (ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND) return;
        if (rl_ident_is_written(f, k) && model_enclosing_func(f, k) != fn) return;
        if (cfg_block_of(g, k) < 0 && model_enclosing_func(f, k) == fn) return; /* not followable */
    }
    (void)spec;
    struct chan_walk w = {g, classify, &v, false, false, false, false, false};
    chan_walk_run(&w, db, de);
    if (!v.nil_ops.len) goto done;
    v.from_decl = false;
    for (int b = 0; b < g->nblocks; b++) {
        if (!cfg_reachable(g, b)) continue;
        for (int e = 0; e < g->blocks[b].nevents; e++) {
            nid ev = g->blocks[b].events[e];
            if (!writes_var(&v, ev, f->nodes[ev].end)) continue;
            struct chan_walk w2 = {g, classify, &v, false, false, false, false, false};
            chan_walk_run(&w2, b, e);
        }
    }
    for (size_t i = 0; i < v.nil_ops.len; i++) {
        nid op = v.nil_ops.items[i];
        if (in_vec(v.set_ops.items, v.set_ops.len, op) || in_vec(out->ops.items, out->ops.len, op)) continue;
        vec_push(&out->ops, op);
        vec_push(&out->names, name);
    }
done:
    vec_free(&v.nil_ops);
    vec_free(&v.set_ops);
}

/* Is the type expression a channel type (directly or a named chan type of
 * this package)? */
static bool is_chan_type(struct rule_ctx *ctx, nid t)
{
    if (!t) return false;
    if (ast_kind(ctx->f, t) == N_CHANNEL_TYPE) return true;
    struct ltype *lt = model_underlying(ctx->pkg, model_type_from_expr(ctx->pkg, ctx->fi, t));
    return lt && lt->kind == LT_CHAN;
}

/* The select statement whose communication is (or contains) op, or 0. */
static nid select_of(const struct gofile *f, nid op)
{
    for (nid a = op; a; a = ast_parent(f, a)) {
        if (f->nodes[a].field == F_COMMUNICATION && ast_kind(f, ast_parent(f, a)) == N_COMMUNICATION_CASE)
            return ast_parent(f, ast_parent(f, a));
        if (rl_is_stmt_kind(ast_kind(f, a)) || ast_kind(f, a) == N_FUNC_LITERAL) return 0;
    }
    return 0;
}

static void report_op(struct rule_ctx *ctx, nid op, nid name)
{
    const struct gofile *f = ctx->f;
    nid ch;
    enum chan_op k = chan_op_of(ctx->pkg, ctx->fi, op, &ch);
    struct str nm = ast_text(f, name);
    const char *what = k == CH_SEND    ? "send on %.*s blocks forever"
                       : k == CH_RECV  ? "receive from %.*s blocks forever"
                       : k == CH_RANGE ? "range over %.*s blocks forever"
                                       : "close(%.*s) panics";
    char head[160];
    snprintf(head, sizeof head, what, (int)nm.n, nm.p);
    struct finding *fd = rule_report(ctx, op,
                                     "%s: %.*s is a nil channel here (declared at line %u without make and "
                                     "assigned on no path before this)",
                                     head, (int)nm.n, nm.p, f->nodes[name].line);
    if (fd) {
        rule_related(ctx, fd, name, "%.*s is declared here", (int)nm.n, nm.p);
        fd->fix = xasprintf("make the channel before using it: %.*s := make(chan ...)", (int)nm.n, nm.p);
    }
}

static void check_function(struct rule_ctx *ctx, nid fn)
{
    const struct gofile *f = ctx->f;
    nid body = ast_child(f, fn, F_BODY);
    if (!body || (f->nodes[fn].flags & NF_HAS_ERROR)) return;
    /* cheap pre-check: an uninitialised chan var declared in this function */
    bool any = false;
    for (nid k = body; k < f->nodes[body].end && !any; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        any = ast_kind(f, k) == N_VAR_SPEC && !ast_child(f, k, F_VALUE) && is_chan_type(ctx, ast_child(f, k, F_TYPE));
    }
    if (!any) return;
    struct cfg *g = cfg_build(ctx->pkg, ctx->fi, fn);
    struct found out = {{0}, {0}};
    for (int b = 0; b < g->nblocks; b++) {
        if (!cfg_reachable(g, b)) continue;
        for (int e = 0; e < g->blocks[b].nevents; e++) {
            nid ev = g->blocks[b].events[e];
            if (ast_kind(f, ev) != N_VAR_DECLARATION) continue;
            for (nid k = ev; k < f->nodes[ev].end; k++) {
                if (ast_kind(f, k) != N_VAR_SPEC || ast_child(f, k, F_VALUE) ||
                    !is_chan_type(ctx, ast_child(f, k, F_TYPE)))
                    continue;
                AST_FOR_CHILDREN(f, k, c)
                if (f->nodes[c].field == F_NAME && ast_kind(f, c) == N_IDENTIFIER && !ast_text_is(f, c, "_"))
                    check_var(ctx, g, k, c, b, e, &out);
            }
        }
    }
    /* report: an op in a select only when every case of the select is one */
    for (size_t i = 0; i < out.ops.len; i++) {
        nid op = out.ops.items[i], sel = select_of(f, op);
        if (!sel) {
            report_op(ctx, op, out.names.items[i]);
            continue;
        }
        bool all = true;
        nid first = 0;
        AST_FOR_CHILDREN(f, sel, cc)
        {
            if (ast_kind(f, cc) == N_DEFAULT_CASE) all = false;
            if (ast_kind(f, cc) != N_COMMUNICATION_CASE) continue;
            nid comm = ast_child(f, cc, F_COMMUNICATION), hit = 0;
            for (size_t j = 0; j < out.ops.len && !hit; j++)
                if (ast_contains(f, comm, out.ops.items[j])) hit = out.ops.items[j];
            if (!hit) all = false;
            if (!first) first = hit;
        }
        if (!all || first != op) continue; /* reported once, at the first case */
        struct finding *fd = rule_report(ctx, sel,
                                         "every case of this select is on a nil channel (%.*s, declared at line %u "
                                         "and never assigned before): the select blocks forever",
                                         (int)ast_text(f, out.names.items[i]).n, ast_text(f, out.names.items[i]).p,
                                         f->nodes[out.names.items[i]].line);
        if (fd) rule_related(ctx, fd, out.names.items[i], "declared here");
    }
    vec_free(&out.ops);
    vec_free(&out.names);
    cfg_free(g);
}

/* `select {}` outside package main: a library that blocks its caller's
 * goroutine forever. Low confidence: it is sometimes meant. */
static void empty_select(struct rule_ctx *ctx, nid sel)
{
    const struct gofile *f = ctx->f;
    if (ast_first_child(f, sel)) return;
    if (ctx->pkg->name && !strcmp(ctx->pkg->name, "main")) return;
    if (rl_is_test_file(f)) return;
    rule_report_conf(ctx, sel, CONF_LOW,
                     "select {} blocks this goroutine forever: outside package main that is a leak (return, or "
                     "wait on a done channel or context)");
}

static void visit(struct rule_ctx *ctx, nid n)
{
    if (ast_kind(ctx->f, n) == N_SELECT_STATEMENT) empty_select(ctx, n);
    else check_function(ctx, n);
}

const struct rule rule_nil_channel = {
    .id = "GD203",
    .name = "nil-channel",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "A send, receive, range or close on a channel variable that is still nil, or select {} in a library.",
    .why = "A channel declared with `var ch chan T` is nil until it is assigned a `make(chan T)`. A send or "
           "receive on a nil channel blocks forever (the goroutine leaks, or the program deadlocks), ranging "
           "over it never ends, and closing it panics. godark follows the control flow of the function: an "
           "operation on a local channel variable that no path assigns before it is reported. A nil channel "
           "in one case of a `select` is the idiom to disable that case and is not reported, unless every "
           "case of the select is on a nil channel (then the select blocks forever). Variables assigned in a "
           "branch, through a pointer or by a closure are not judged. `select {}` blocks forever: in a main "
           "package it is the idiom to park main, anywhere else it is reported at low confidence.",
    .bad = "package p\n\nfunc results(jobs []int) []int {\n\tvar out chan int\n\tfor _, j := range jobs {\n"
           "\t\tgo func(j int) { out <- j * 2 }(j)\n\t}\n\tvar res []int\n\tfor range jobs {\n"
           "\t\tres = append(res, <-out)\n\t}\n\treturn res\n}\n",
    .good = "package p\n\nfunc results(jobs []int) []int {\n\tout := make(chan int, len(jobs))\n"
            "\tfor _, j := range jobs {\n\t\tgo func(j int) { out <- j * 2 }(j)\n\t}\n\tvar res []int\n"
            "\tfor range jobs {\n\t\tres = append(res, <-out)\n\t}\n\treturn res\n}\n",
    .fix_safety = NULL,
    .kinds = {N_FUNCTION_DECLARATION, N_METHOD_DECLARATION, N_FUNC_LITERAL, N_SELECT_STATEMENT},
    .visit = visit,
};
