/* rules/chanlib: channel operations on a path and a forward CFG walk that
 * answers "some path" / "every path" questions for the channel rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/summary.h"
#include "chanlib.h"

enum chan_op chan_op_of(const struct pkg *p, int fi, nid k, nid *chan)
{
    const struct gofile *f = &p->files[fi];
    nid c = 0;
    enum chan_op op = CH_NONE;
    switch (ast_kind(f, k)) {
    case N_SEND_STATEMENT:
        c = ast_child(f, k, F_CHANNEL);
        op = CH_SEND;
        break;
    case N_UNARY_EXPRESSION:
        if (f->nodes[k].op != OP_ARROW) return CH_NONE;
        c = ast_child(f, k, F_OPERAND);
        op = CH_RECV;
        break;
    case N_RANGE_CLAUSE:
        c = ast_child(f, k, F_RIGHT);
        op = CH_RANGE;
        break;
    case N_CALL_EXPRESSION: {
        if (!model_is_builtin_call(p, fi, k, "close")) return CH_NONE;
        nid args = ast_child(f, k, F_ARGUMENTS);
        if (ast_child_count(f, args) != 1) return CH_NONE;
        c = ast_first_child(f, args);
        op = CH_CLOSE;
        break;
    }
    default:
        return CH_NONE;
    }
    if (!c) return CH_NONE;
    *chan = ast_unparen(f, c);
    return op;
}

static bool is_builtin_name(struct str s)
{
    static const char *const b[] = {"close", "len", "cap", "print", "println", "append", "make", "new", "copy",
                                    "delete", "min", "max", "clear", "complex", "real", "imag"};
    for (size_t i = 0; i < GD_ARRAY_LEN(b); i++)
        if (str_eq(s, b[i])) return true;
    return false;
}

bool chan_path_may_change(struct pkg *p, int fi, nid path, nid from, nid to, bool pkg_calls_only)
{
    const struct gofile *f = &p->files[fi];
    nid root = rl_path_root(f, path), d, nm;
    struct str rname = ast_text(f, root);
    bool local_var = ast_kind(f, ast_unparen(f, path)) == N_IDENTIFIER && model_resolve_local(p, fi, root, &d, &nm);
    for (nid k = from; k < to; k++) {
        switch (ast_kind(f, k)) {
        case N_ASSIGNMENT_STATEMENT:
        case N_SHORT_VAR_DECLARATION:
        case N_RANGE_CLAUSE:
        case N_RECEIVE_STATEMENT: {
            nid left = ast_child(f, k, F_LEFT);
            if (!left) break;
            for (nid l = left; l < f->nodes[left].end; l++)
                if (ast_kind(f, l) == N_IDENTIFIER && str_eqs(ast_text(f, l), rname)) return true;
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
                if (ast_kind(f, fn) == N_IDENTIFIER && is_builtin_name(ast_text(f, fn))) break;
                if (!pkg_calls_only || model_callee(p, fi, k) >= 0) return true;
                if (ast_kind(f, fn) == N_SELECTOR_EXPRESSION) {
                    nid r = rl_path_root(f, ast_child(f, fn, F_OPERAND));
                    if (r && str_eqs(ast_text(f, r), rname)) return true;
                }
            }
            break;
        default:
            break;
        }
    }
    return false;
}

bool chan_func_recovers(const struct pkg *p, int fi, nid n)
{
    const struct gofile *f = &p->files[fi];
    nid fn = model_enclosing_func(f, n);
    for (nid a = fn; a; a = model_enclosing_func(f, a)) fn = a; /* the outermost function */
    if (!fn) return true;
    for (nid k = fn; k < f->nodes[fn].end; k++)
        if (ast_kind(f, k) == N_CALL_EXPRESSION && model_is_builtin_call(p, fi, k, "recover")) return true;
    return false;
}

/* Scans events [start, nevents) of block b; false when a target or kill
 * stops the path. */
static bool scan(struct chan_walk *w, int b, int start)
{
    const struct cfg_block *cb = &w->g->blocks[b];
    for (int e = start; e < cb->nevents; e++) {
        enum chan_walk_class c = w->classify(w->ud, cb->events[e]);
        if (c == CW_TARGET) w->target = true;
        if (c == CW_KILL) w->kill = true;
        if (c != CW_NONE) return false;
    }
    return true;
}

/* Is block b a select case whose communication is a target? */
static bool select_case_target(struct chan_walk *w, int b)
{
    const struct gofile *f = w->g->f;
    const struct cfg_block *cb = &w->g->blocks[b];
    if (!cb->nevents) return false;
    nid ev = cb->events[0];
    if (f->nodes[ev].field != F_COMMUNICATION || ast_kind(f, ast_parent(f, ev)) != N_COMMUNICATION_CASE) return false;
    return w->classify(w->ud, ev) == CW_TARGET;
}

void chan_walk_run(struct chan_walk *w, int from, int from_ev)
{
    const struct cfg *g = w->g;
    int n = g->nblocks;
    uint8_t *entered = xcalloc((size_t)n + 1, 1), *through = xcalloc((size_t)n + 1, 1);
    int *work = xmalloc(sizeof(int) * ((size_t)n + 1)), nw = 0;
    int cur = from;
    bool ok = scan(w, from, from_ev + 1);
    for (;;) {
        if (ok) {
            const struct cfg_block *cb = &g->blocks[cur];
            bool hit = false;
            for (int s = 0; s < cb->nsuccs && w->select_case_hits && !hit; s++)
                hit = select_case_target(w, cb->succs[s].to);
            if (hit) {
                w->target = true;
            } else {
                for (int s = 0; s < cb->nsuccs; s++) {
                    int to = cb->succs[s].to;
                    if (!entered[to]) {
                        entered[to] = 1;
                        work[nw++] = to;
                    }
                }
            }
        }
        if (!nw) break;
        cur = work[--nw];
        if (cur == g->exit) {
            w->exit = true;
            ok = false;
            continue;
        }
        if (cur == g->noreturn) {
            ok = false;
            continue;
        }
        ok = scan(w, cur, 0);
        if (ok) through[cur] = 1;
    }
    /* a cycle among the blocks gone through: a path that loops forever
     * without meeting a target (Kahn's algorithm on that subgraph) */
    int *indeg = xcalloc((size_t)n + 1, sizeof(int)), left = 0;
    for (int b = 0; b < n; b++) {
        if (!through[b]) continue;
        left++;
        for (int s = 0; s < g->blocks[b].nsuccs; s++)
            if (through[g->blocks[b].succs[s].to]) indeg[g->blocks[b].succs[s].to]++;
    }
    nw = 0;
    for (int b = 0; b < n; b++)
        if (through[b] && !indeg[b]) work[nw++] = b;
    while (nw) {
        int b = work[--nw];
        left--;
        for (int s = 0; s < g->blocks[b].nsuccs; s++) {
            int to = g->blocks[b].succs[s].to;
            if (through[to] && --indeg[to] == 0) work[nw++] = to;
        }
    }
    w->cycle = left > 0;
    free(indeg);
    free(work);
    free(entered);
    free(through);
}

bool chan_walk_must(const struct chan_walk *w)
{
    return w->target && !w->exit && !w->kill && !w->cycle;
}

bool chan_op_never_proceeds(struct pkg *p, int fi, nid ev)
{
    const struct gofile *f = &p->files[fi];
    nid op = ev;
    if (ast_kind(f, op) == N_EXPRESSION_STATEMENT) op = ast_unparen(f, ast_first_child(f, op));
    else if (ast_kind(f, op) == N_RECEIVE_STATEMENT) op = ast_unparen(f, ast_child(f, op, F_RIGHT));
    nid ch = 0;
    enum chan_op k = chan_op_of(p, fi, op, &ch);
    if (k != CH_SEND && k != CH_RECV) return false;
    nid m = chan_make_of_local(p, fi, ch);
    if (!m) return false;
    struct chan_info c;
    if (!chan_track(p, fi, m, &c)) return false;
    bool dead = !c.escapes && (k == CH_RECV || c.buf == 0);
    for (int i = 0; i < c.nops && dead; i++) {
        uint8_t o = c.ops[i].kind;
        if (o == CHOP_CALL) dead = false;
        else if (k == CH_SEND && (o == CHOP_RECV || o == CHOP_RANGE)) dead = false;
        else if (k == CH_RECV && (o == CHOP_SEND || o == CHOP_CLOSE)) dead = false;
    }
    chan_info_free(&c);
    return dead;
}

bool chan_leak_stop(const struct chan_leak_stop *s, nid ev)
{
    const struct chan_info *c = s->c;
    if (ast_contains(s->f, ev, c->make)) return true;
    /* a select case (or statement) on another channel that nobody serves:
     * the path blocks there, so it never reaches the return */
    if (chan_op_never_proceeds(s->p, s->fi, ev)) return true;
    if (s->test_fail && chan_event_fails_test(s->p, s->fi, ev)) return true;
    if (!s->loops_too) return false;
    for (int i = 0; i < c->nops; i++) {
        const struct chop *o = &c->ops[i];
        if (o->go || o->deferred || !(s->loop_kinds & (1u << o->kind))) continue;
        for (nid l = chan_enclosing_loop(s->f, o->site); l; l = chan_enclosing_loop(s->f, l))
            if (ast_contains(s->f, ast_child(s->f, l, F_BODY), ev) && !ast_contains(s->f, l, s->go) &&
                !chan_in_select_with(c, s->f, ev))
                return true;
    }
    return false;
}

bool chan_in_loop_header(const struct gofile *f, nid site, nid ev)
{
    for (nid l = chan_enclosing_loop(f, site); l; l = chan_enclosing_loop(f, l))
        if (ast_contains(f, l, ev) && !ast_contains(f, ast_child(f, l, F_BODY), ev)) return true;
    return false;
}

/* The name of c's creator, or "the function" for a func literal. */
static const char *creator_name(struct pkg *p, const struct chan_info *c)
{
    const struct gofile *f = &p->files[c->fi];
    nid nm = ast_child(f, c->creator, F_NAME);
    if (!nm) return "the function";
    struct str s = ast_text(f, nm);
    return arena_strndup(&p->arena, s.p, s.n);
}

const char *chan_leak_when(struct pkg *p, const struct chan_info *c, nid exit)
{
    const struct gofile *f = &p->files[c->fi];
    const char *why = chan_exit_why(p, c->fi, c->creator, exit);
    char where[64];
    if (exit == ast_child(f, c->creator, F_BODY)) snprintf(where, sizeof where, "returns");
    else snprintf(where, sizeof where, "returns at line %u", f->nodes[exit].line);
    return arena_printf(&p->arena, "%s %s%s%s", creator_name(p, c), where, why ? " " : "", why ? why : "");
}

void chan_leak_relate(struct rule_ctx *ctx, struct finding *fd, const struct chan_info *c, nid go, nid exit,
                      const char *doing)
{
    const struct gofile *f = &ctx->pkg->files[c->fi];
    struct str ch = ast_text(f, c->name);
    rule_related(ctx, fd, go, "the goroutine that blocks is started here");
    if (exit != ast_child(f, c->creator, F_BODY)) {
        rule_related(ctx, fd, exit, "the return that abandons %.*s", (int)ch.n, ch.p);
        return;
    }
    rule_related(ctx, fd, exit, "%s ends without %s %.*s", creator_name(ctx->pkg, c), doing, (int)ch.n, ch.p);
}

bool chan_creator_is_main(const struct pkg *p, const struct chan_info *c)
{
    const struct gofile *f = &p->files[c->fi];
    if (strcmp(p->name, "main") || ast_kind(f, c->creator) != N_FUNCTION_DECLARATION) return false;
    return ast_text_is(f, ast_child(f, c->creator, F_NAME), "main");
}
