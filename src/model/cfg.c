/* model/cfg: building per-function control flow graphs (see cfg.h).
 * One pass over the function's statements with a stack of break/continue
 * targets; gotos are linked at the end. Statement nesting is walked by
 * recursion bounded by MAX_DEPTH (beyond it a statement becomes one opaque
 * event); expressions are never recursed into. */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "summary.h"

#define MAX_DEPTH 400

struct tblock {
    uint8_t kind;
    nid cond, stmt, jump;
    VEC(nid) events;
    VEC(struct cfg_edge) succs;
};

struct target {
    nid stmt;        /* for / switch / select */
    struct str label;
    int brk, cont;   /* cont -1 for switch/select */
    int fall;        /* switch: the next case body for fallthrough, or -1 */
};

struct pending_goto {
    struct str label;
    int from;
};

struct label_block {
    struct str label;
    int block;
};

struct builder {
    const struct pkg *p;
    int fi;
    const struct gofile *f;
    struct cfg *g;
    VEC(struct tblock) blocks;
    int cur; /* -1: dead code (after return, break...) */
    VEC(struct target) targets;
    VEC(struct pending_goto) gotos;
    VEC(struct label_block) labels;
    VEC(nid) defers;
    VEC(nid) literals;
    struct str pending_label; /* label of the statement being built */
};

static int new_block(struct builder *b, uint8_t kind, nid stmt)
{
    struct tblock t = {0};
    t.kind = kind;
    t.stmt = stmt;
    vec_push(&b->blocks, t);
    return (int)b->blocks.len - 1;
}

static void edge(struct builder *b, int from, int to, uint8_t kind)
{
    if (from < 0 || to < 0) return;
    struct cfg_edge e = {to, kind};
    vec_push(&b->blocks.items[from].succs, e);
}

/* The current block, starting an (unreachable) one after dead code. */
static int cur(struct builder *b)
{
    if (b->cur < 0) b->cur = new_block(b, CB_PLAIN, 0);
    return b->cur;
}

static void note_literals(struct builder *b, nid n)
{
    const struct gofile *f = b->f;
    for (nid k = n; k < f->nodes[n].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            vec_push(&b->literals, k);
            k = f->nodes[k].end - 1;
        }
    }
}

static void event(struct builder *b, nid n)
{
    if (!n) return;
    int c = cur(b);
    vec_push(&b->blocks.items[c].events, n);
    note_literals(b, n);
}

/* Ends the current block with a branch on cond; returns the block. */
static int cond_event(struct builder *b, nid cond)
{
    event(b, cond);
    int c = b->cur;
    b->blocks.items[c].cond = cond;
    return c;
}

/* Starts a fresh block fed by the current one (if live). */
static int fresh(struct builder *b, nid stmt)
{
    int nb = new_block(b, CB_PLAIN, stmt);
    edge(b, b->cur, nb, CE_ALWAYS);
    b->cur = nb;
    return nb;
}

static void stmt(struct builder *b, nid n, int depth);

static void stmts(struct builder *b, nid n, int depth)
{
    const struct gofile *f = b->f;
    AST_FOR_CHILDREN(f, n, c)
    {
        enum node_kind k = ast_kind(f, c);
        if (k == N_STATEMENT_LIST || k == N_BLOCK)
            stmts(b, c, depth + 1);
        else
            stmt(b, c, depth + 1);
    }
}

static struct str take_label(struct builder *b)
{
    struct str l = b->pending_label;
    b->pending_label = (struct str){0};
    return l;
}

static struct target *find_target(struct builder *b, nid label_node, bool for_only)
{
    const struct gofile *f = b->f;
    for (size_t i = b->targets.len; i-- > 0;) {
        struct target *t = &b->targets.items[i];
        if (label_node) {
            if (t->label.n && str_eqs(t->label, ast_text(f, label_node))) return t;
            continue;
        }
        if (for_only && t->cont < 0) continue;
        return t;
    }
    return NULL;
}

static void push_target(struct builder *b, nid st, struct str label, int brk, int cont)
{
    struct target t = {st, label, brk, cont, -1};
    vec_push(&b->targets, t);
}

/* A decimal int literal (underscores allowed) that fits in a long. */
static bool small_int(const struct gofile *f, nid e, long *out)
{
    e = ast_unparen(f, e);
    return ast_kind(f, e) == N_INT_LITERAL && model_decimal_literal(ast_text(f, e), 12, out);
}

/* Does a loop certainly run its body at least once: `for range 3`, a range
 * over a composite literal with elements, `for i := 0; i < 3; i++` (the
 * first test of the condition sees only the initialiser's constant)? */
static bool runs_at_least_once(const struct gofile *f, nid range, nid init, nid cond)
{
    long v, w;
    if (range) {
        nid r = ast_unparen(f, ast_child(f, range, F_RIGHT));
        if (small_int(f, r, &v)) return v > 0;
        if (ast_kind(f, r) != N_COMPOSITE_LITERAL) return false;
        nid body = ast_child(f, r, F_BODY);
        return body && ast_first_child(f, body);
    }
    if (!init || !cond || ast_kind(f, init) != N_SHORT_VAR_DECLARATION) return false;
    nid l = ast_child(f, init, F_LEFT), r = ast_child(f, init, F_RIGHT);
    if (ast_child_count(f, l) != 1 || ast_child_count(f, r) != 1) return false;
    if (!small_int(f, ast_first_child(f, r), &v)) return false;
    cond = ast_unparen(f, cond);
    if (ast_kind(f, cond) != N_BINARY_EXPRESSION) return false;
    nid cl = ast_unparen(f, ast_child(f, cond, F_LEFT)), cr = ast_child(f, cond, F_RIGHT);
    if (ast_kind(f, cl) != N_IDENTIFIER || !str_eqs(ast_text(f, cl), ast_text(f, ast_first_child(f, l)))) return false;
    if (!small_int(f, cr, &w)) return false;
    switch (f->nodes[cond].op) {
    case OP_LSS:
        return v < w;
    case OP_LEQ:
        return v <= w;
    case OP_NEQ:
        return v != w;
    default:
        return false;
    }
}

static void for_stmt(struct builder *b, nid n, int depth)
{
    const struct gofile *f = b->f;
    struct str label = take_label(b);
    nid clause = 0, cond = 0, body = ast_child(f, n, F_BODY), range = 0;
    AST_FOR_CHILDREN(f, n, c)
    {
        enum node_kind k = ast_kind(f, c);
        if (k == N_FOR_CLAUSE) clause = c;
        else if (k == N_RANGE_CLAUSE) range = c;
        else if (c != body) cond = c;
    }
    nid init = 0, update = 0;
    if (clause) {
        init = ast_child(f, clause, F_INITIALIZER);
        cond = ast_child(f, clause, F_CONDITION);
        update = ast_child(f, clause, F_UPDATE);
    }
    if (init) event(b, init);
    /* a loop that certainly runs once enters its body first: its head (the
     * condition or range clause) is met only on the way back */
    bool once = runs_at_least_once(f, range, init, cond);
    int entry_from = b->cur;
    int head;
    if (once) {
        head = new_block(b, CB_PLAIN, n);
        b->cur = head;
    } else {
        head = fresh(b, n);
    }
    int after = new_block(b, CB_PLAIN, 0);
    int bodyb = new_block(b, CB_PLAIN, body);
    if (once) edge(b, entry_from, bodyb, CE_ALWAYS);
    int post = update ? new_block(b, CB_PLAIN, update) : head;
    if (range) {
        event(b, range);
        edge(b, head, bodyb, CE_ALWAYS);
        edge(b, head, after, CE_ALWAYS);
    } else if (cond) {
        cond_event(b, cond);
        edge(b, head, bodyb, CE_TRUE);
        edge(b, head, after, CE_FALSE);
    } else {
        edge(b, head, bodyb, CE_ALWAYS);
    }
    push_target(b, n, label, after, post);
    b->cur = bodyb;
    if (body) stmts(b, body, depth);
    b->targets.len--;
    edge(b, b->cur, post, CE_ALWAYS);
    if (update) {
        b->cur = post;
        event(b, update);
        edge(b, post, head, CE_ALWAYS);
    }
    b->cur = after;
}

static bool is_case(enum node_kind k)
{
    return k == N_EXPRESSION_CASE || k == N_TYPE_CASE || k == N_DEFAULT_CASE || k == N_COMMUNICATION_CASE;
}

/* switch, type switch, select: a header block branching to each case. */
static void cases_stmt(struct builder *b, nid n, int depth)
{
    const struct gofile *f = b->f;
    enum node_kind k = ast_kind(f, n);
    struct str label = take_label(b);
    nid init = ast_child(f, n, F_INITIALIZER);
    if (init) event(b, init);
    if (k == N_EXPRESSION_SWITCH_STATEMENT) {
        event(b, ast_child(f, n, F_VALUE));
    } else if (k == N_TYPE_SWITCH_STATEMENT) {
        event(b, ast_child(f, n, F_VALUE));
    }
    int header = cur(b);
    if (!b->blocks.items[header].stmt && b->blocks.items[header].events.len == 0) b->blocks.items[header].stmt = n;
    int after = new_block(b, CB_PLAIN, 0);
    int ncases = 0;
    bool has_default = false;
    AST_FOR_CHILDREN(f, n, c)
    if (is_case(ast_kind(f, c))) {
        ncases++;
        if (ast_kind(f, c) == N_DEFAULT_CASE) has_default = true;
    }
    int first = (int)b->blocks.len;
    AST_FOR_CHILDREN(f, n, c)
    if (is_case(ast_kind(f, c))) {
        int cb = new_block(b, CB_PLAIN, c);
        edge(b, header, cb, CE_ALWAYS);
    }
    if (k == N_SELECT_STATEMENT && ncases == 0) {
        /* select {} blocks forever */
        edge(b, header, b->g->noreturn, CE_ALWAYS);
    } else if (!has_default && k != N_SELECT_STATEMENT) {
        edge(b, header, after, CE_ALWAYS);
    }
    push_target(b, n, label, after, -1);
    int i = 0;
    AST_FOR_CHILDREN(f, n, c)
    {
        if (!is_case(ast_kind(f, c))) continue;
        int cb = first + i;
        b->targets.items[b->targets.len - 1].fall = i + 1 < ncases ? cb + 1 : -1;
        b->cur = cb;
        if (ast_kind(f, c) == N_COMMUNICATION_CASE) event(b, ast_child(f, c, F_COMMUNICATION));
        /* an expression case's values (`case f(x):` calls f) as the case's
         * first events: evaluated on the way to it */
        if (ast_kind(f, c) == N_EXPRESSION_CASE) {
            nid vals = ast_child(f, c, F_VALUE);
            if (vals) AST_FOR_CHILDREN(f, vals, v) event(b, v);
        }
        AST_FOR_CHILDREN(f, c, s)
        {
            enum node_kind sk = ast_kind(f, s);
            if (sk == N_STATEMENT_LIST || sk == N_BLOCK) stmts(b, s, depth);
        }
        edge(b, b->cur, after, CE_ALWAYS);
        i++;
    }
    b->targets.len--;
    b->cur = after;
}

static void stmt(struct builder *b, nid n, int depth)
{
    const struct gofile *f = b->f;
    enum node_kind k = ast_kind(f, n);
    if (depth > MAX_DEPTH) {
        event(b, n);
        return;
    }
    switch (k) {
    case N_EMPTY_STATEMENT:
    case N_TYPE_DECLARATION:
        return;
    case N_BLOCK:
    case N_STATEMENT_LIST:
        stmts(b, n, depth);
        return;
    case N_EXPRESSION_STATEMENT: {
        event(b, n);
        if (model_is_noreturn_call(b->p, b->fi, ast_unparen(f, ast_first_child(f, n)))) {
            edge(b, b->cur, b->g->noreturn, CE_ALWAYS);
            b->cur = -1;
        }
        return;
    }
    case N_RETURN_STATEMENT:
        event(b, n);
        edge(b, b->cur, b->g->exit, CE_ALWAYS);
        b->cur = -1;
        return;
    case N_DEFER_STATEMENT:
        vec_push(&b->defers, n);
        event(b, n);
        return;
    case N_LABELED_STATEMENT: {
        nid lbl = ast_child(f, n, F_LABEL);
        int lb = fresh(b, n);
        struct label_block l = {ast_text(f, lbl), lb};
        vec_push(&b->labels, l);
        AST_FOR_CHILDREN(f, n, c)
        if (c != lbl) {
            b->pending_label = ast_text(f, lbl);
            stmt(b, c, depth + 1);
        }
        b->pending_label = (struct str){0};
        return;
    }
    case N_BREAK_STATEMENT:
    case N_CONTINUE_STATEMENT: {
        nid lbl = ast_first_child(f, n);
        bool is_cont = k == N_CONTINUE_STATEMENT;
        struct target *t = find_target(b, ast_kind(f, lbl) == N_LABEL_NAME ? lbl : 0, is_cont);
        int jb = cur(b); /* before indexing: cur may grow the array */
        b->blocks.items[jb].jump = n;
        if (t) edge(b, b->cur, is_cont ? t->cont : t->brk, CE_ALWAYS);
        b->cur = -1;
        return;
    }
    case N_GOTO_STATEMENT: {
        b->g->has_goto = true;
        struct pending_goto pg = {ast_text(f, ast_first_child(f, n)), cur(b)};
        vec_push(&b->gotos, pg);
        b->blocks.items[pg.from].jump = n;
        b->cur = -1;
        return;
    }
    case N_FALLTHROUGH_STATEMENT: {
        for (size_t i = b->targets.len; i-- > 0;) {
            struct target *t = &b->targets.items[i];
            if (t->cont >= 0) continue;
            if (t->fall >= 0) edge(b, cur(b), t->fall, CE_ALWAYS);
            break;
        }
        b->cur = -1;
        return;
    }
    case N_IF_STATEMENT: {
        b->pending_label = (struct str){0};
        nid init = ast_child(f, n, F_INITIALIZER);
        if (init) event(b, init);
        int cb = cond_event(b, ast_child(f, n, F_CONDITION));
        int after = new_block(b, CB_PLAIN, 0);
        nid cons = ast_child(f, n, F_CONSEQUENCE), alt = ast_child(f, n, F_ALTERNATIVE);
        int tb = new_block(b, CB_PLAIN, cons);
        edge(b, cb, tb, CE_TRUE);
        b->cur = tb;
        if (cons) stmts(b, cons, depth);
        edge(b, b->cur, after, CE_ALWAYS);
        if (alt) {
            int eb = new_block(b, CB_PLAIN, alt);
            edge(b, cb, eb, CE_FALSE);
            b->cur = eb;
            stmt(b, alt, depth + 1);
            edge(b, b->cur, after, CE_ALWAYS);
        } else {
            edge(b, cb, after, CE_FALSE);
        }
        b->cur = after;
        return;
    }
    case N_FOR_STATEMENT:
        for_stmt(b, n, depth);
        return;
    case N_EXPRESSION_SWITCH_STATEMENT:
    case N_TYPE_SWITCH_STATEMENT:
    case N_SELECT_STATEMENT:
        cases_stmt(b, n, depth);
        return;
    default:
        /* simple statements, go, var/const declarations */
        b->pending_label = (struct str){0};
        event(b, n);
        return;
    }
}

static void finish(struct builder *b)
{
    struct cfg *g = b->g;
    const struct gofile *f = b->f;
    for (size_t i = 0; i < b->gotos.len; i++) {
        struct pending_goto *pg = &b->gotos.items[i];
        for (size_t j = 0; j < b->labels.len; j++)
            if (str_eqs(b->labels.items[j].label, pg->label)) {
                edge(b, pg->from, b->labels.items[j].block, CE_ALWAYS);
                break;
            }
    }
    g->nblocks = (int)b->blocks.len;
    g->blocks = arena_alloc(&g->arena, sizeof(struct cfg_block) * (size_t)g->nblocks);
    int *npred = xcalloc((size_t)g->nblocks, sizeof(int));
    for (int i = 0; i < g->nblocks; i++) {
        struct tblock *t = &b->blocks.items[i];
        struct cfg_block *cb = &g->blocks[i];
        cb->kind = t->kind;
        cb->cond = t->cond;
        cb->stmt = t->stmt;
        cb->jump = t->jump;
        cb->nevents = (int)t->events.len;
        cb->events = arena_alloc(&g->arena, sizeof(nid) * (t->events.len + 1));
        if (t->events.len) memcpy(cb->events, t->events.items, sizeof(nid) * t->events.len);
        cb->nsuccs = (int)t->succs.len;
        cb->succs = arena_alloc(&g->arena, sizeof(struct cfg_edge) * (t->succs.len + 1));
        if (t->succs.len) memcpy(cb->succs, t->succs.items, sizeof(struct cfg_edge) * t->succs.len);
        for (int s = 0; s < cb->nsuccs; s++) npred[cb->succs[s].to]++;
        vec_free(&t->events);
        vec_free(&t->succs);
    }
    for (int i = 0; i < g->nblocks; i++) g->blocks[i].preds = arena_alloc(&g->arena, sizeof(int) * (size_t)(npred[i] + 1));
    for (int i = 0; i < g->nblocks; i++)
        for (int s = 0; s < g->blocks[i].nsuccs; s++) {
            struct cfg_block *to = &g->blocks[g->blocks[i].succs[s].to];
            to->preds[to->npreds++] = i;
        }
    free(npred);
    g->ndefers = (int)b->defers.len;
    g->defers = arena_alloc(&g->arena, sizeof(nid) * (b->defers.len + 1));
    if (b->defers.len) memcpy(g->defers, b->defers.items, sizeof(nid) * b->defers.len);
    g->nliterals = (int)b->literals.len;
    g->literals = arena_alloc(&g->arena, sizeof(nid) * (b->literals.len + 1));
    if (b->literals.len) memcpy(g->literals, b->literals.items, sizeof(nid) * b->literals.len);

    /* reverse post-order by an explicit-stack DFS */
    int n = g->nblocks;
    g->rpo = arena_alloc(&g->arena, sizeof(int) * (size_t)(n + 1));
    g->reach = arena_alloc(&g->arena, (size_t)n + 1);
    int *stack = xmalloc(sizeof(int) * (size_t)(n + 1)), *next = xcalloc((size_t)n + 1, sizeof(int));
    int *post = xmalloc(sizeof(int) * (size_t)(n + 1)), npost = 0, sp = 0;
    stack[sp++] = g->entry;
    g->reach[g->entry] = 1;
    while (sp) {
        int v = stack[sp - 1];
        if (next[v] < g->blocks[v].nsuccs) {
            int w = g->blocks[v].succs[next[v]++].to;
            if (!g->reach[w]) {
                g->reach[w] = 1;
                stack[sp++] = w;
            }
        } else {
            post[npost++] = v;
            sp--;
        }
    }
    for (int i = 0; i < npost; i++) g->rpo[i] = post[npost - 1 - i];
    g->nrpo = npost;
    free(stack);
    free(next);
    free(post);
    (void)f;
}

struct cfg *cfg_build(const struct pkg *p, int fi, nid fn)
{
    struct cfg *g = xcalloc(1, sizeof *g);
    arena_init(&g->arena);
    const struct gofile *f = &p->files[fi];
    g->f = f;
    g->fn = fn;
    g->body = ast_child(f, fn, F_BODY);
    struct builder b = {0};
    b.p = p;
    b.fi = fi;
    b.f = f;
    b.g = g;
    g->entry = new_block(&b, CB_ENTRY, fn);
    g->exit = new_block(&b, CB_EXIT, 0);
    g->noreturn = new_block(&b, CB_NORETURN, 0);
    b.cur = g->entry;
    if (g->body) stmts(&b, g->body, 0);
    g->falloff = b.cur;
    edge(&b, b.cur, g->exit, CE_ALWAYS);
    finish(&b);
    vec_free(&b.blocks);
    vec_free(&b.targets);
    vec_free(&b.gotos);
    vec_free(&b.labels);
    vec_free(&b.defers);
    vec_free(&b.literals);
    return g;
}

void cfg_free(struct cfg *g)
{
    if (!g) return;
    arena_free(&g->arena);
    free(g);
}

bool cfg_reachable(const struct cfg *g, int b) { return b >= 0 && b < g->nblocks && g->reach[b]; }

const int *cfg_rpo(const struct cfg *g, int *n)
{
    *n = g->nrpo;
    return g->rpo;
}

int cfg_block_of(const struct cfg *g, nid ev)
{
    for (int i = 0; i < g->nblocks; i++)
        for (int e = 0; e < g->blocks[i].nevents; e++)
            if (ast_contains(g->f, g->blocks[i].events[e], ev)) return i;
    return -1;
}

bool cfg_event_pos(const struct cfg *g, nid n, int *block, int *index)
{
    for (int i = 0; i < g->nblocks; i++)
        for (int e = 0; e < g->blocks[i].nevents; e++)
            if (ast_contains(g->f, g->blocks[i].events[e], n)) {
                *block = i;
                *index = e;
                return true;
            }
    return false;
}

void cfg_reach_avoiding(const struct cfg *g, int from, int from_ev, bool (*stop)(void *ud, nid ev), void *ud,
                        uint8_t *out)
{
    if (from < 0 || from >= g->nblocks) return;
    int *work = xmalloc(sizeof(int) * (size_t)(g->nblocks + 1)), nw = 0;
    /* the partial first block */
    bool through = true;
    const struct cfg_block *fb = &g->blocks[from];
    for (int e = from_ev + 1; e < fb->nevents && through; e++)
        if (stop(ud, fb->events[e])) through = false;
    if (through) {
        if (from_ev < 0) out[from] |= CFG_REACH_ENTERED | CFG_REACH_THROUGH;
        for (int s = 0; s < fb->nsuccs; s++) {
            int to = fb->succs[s].to;
            if (!(out[to] & CFG_REACH_ENTERED)) {
                out[to] |= CFG_REACH_ENTERED;
                work[nw++] = to;
            }
        }
    } else if (from_ev < 0) {
        out[from] |= CFG_REACH_ENTERED;
    }
    while (nw) {
        int b = work[--nw];
        const struct cfg_block *cb = &g->blocks[b];
        bool ok = true;
        for (int e = 0; e < cb->nevents && ok; e++)
            if (stop(ud, cb->events[e])) ok = false;
        if (!ok) continue;
        out[b] |= CFG_REACH_THROUGH;
        for (int s = 0; s < cb->nsuccs; s++) {
            int to = cb->succs[s].to;
            if (!(out[to] & CFG_REACH_ENTERED)) {
                out[to] |= CFG_REACH_ENTERED;
                work[nw++] = to;
            }
        }
    }
    free(work);
}

static int cmp_calls(const void *a, const void *b, const struct gofile *f)
{
    nid x = *(const nid *)a, y = *(const nid *)b;
    if (f->nodes[x].end != f->nodes[y].end) return f->nodes[x].end < f->nodes[y].end ? -1 : 1;
    return x > y ? -1 : x < y;
}

void cfg_event_calls(const struct gofile *f, nid ev, bool (*cb)(void *ud, nid call), void *ud)
{
    nid skip = 0;
    enum node_kind k = ast_kind(f, ev);
    if (k == N_GO_STATEMENT || k == N_DEFER_STATEMENT) skip = ast_unparen(f, ast_first_child(f, ev));
    nid small[32];
    VEC(nid) calls = {0};
    size_t n = 0;
    for (nid i = ev; i < f->nodes[ev].end; i++) {
        enum node_kind ik = ast_kind(f, i);
        if (ik == N_FUNC_LITERAL) {
            i = f->nodes[i].end - 1;
            continue;
        }
        if (ik != N_CALL_EXPRESSION || i == skip) continue;
        if (n < GD_ARRAY_LEN(small) && !calls.items) small[n++] = i;
        else {
            if (!calls.items)
                for (size_t j = 0; j < n; j++) vec_push(&calls, small[j]);
            vec_push(&calls, i);
        }
    }
    nid *arr = calls.items ? calls.items : small;
    size_t len = calls.items ? calls.len : n;
    /* post-order: by subtree end, inner (later-starting) first on ties */
    for (size_t i = 1; i < len; i++) {
        nid x = arr[i];
        size_t j = i;
        while (j > 0 && cmp_calls(&arr[j - 1], &x, f) > 0) {
            arr[j] = arr[j - 1];
            j--;
        }
        arr[j] = x;
    }
    for (size_t i = 0; i < len; i++)
        if (!cb(ud, arr[i])) break;
    vec_free(&calls);
}

int cfg_captures(const struct pkg *p, int fi, nid lit, nid **out)
{
    const struct gofile *f = &p->files[fi];
    VEC(nid) names = {0};
    for (nid k = lit + 1; k < f->nodes[lit].end; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER) continue;
        nid d, nm;
        if (!model_resolve_local(p, fi, k, &d, &nm)) continue;
        if (ast_contains(f, lit, nm)) continue;
        bool seen = false;
        for (size_t i = 0; i < names.len && !seen; i++) seen = names.items[i] == nm;
        if (!seen) vec_push(&names, nm);
    }
    *out = names.items;
    return (int)names.len;
}

static const char *const block_kind_names[] = {"", "entry", "exit", "noreturn"};

void cfg_dump(const struct cfg *g, struct buf *out)
{
    const struct gofile *f = g->f;
    for (int i = 0; i < g->nblocks; i++) {
        const struct cfg_block *b = &g->blocks[i];
        buf_printf(out, "b%d", i);
        if (b->kind != CB_PLAIN) buf_printf(out, " %s", block_kind_names[b->kind]);
        if (!g->reach[i]) buf_puts(out, " unreachable");
        buf_puts(out, ":");
        for (int e = 0; e < b->nevents; e++) {
            nid ev = b->events[e];
            buf_printf(out, " %s@%u", ast_kind_name(ast_kind(f, ev)), f->nodes[ev].line);
        }
        buf_puts(out, " ->");
        for (int s = 0; s < b->nsuccs; s++) {
            const struct cfg_edge *e = &b->succs[s];
            buf_printf(out, " b%d%s", e->to, e->kind == CE_TRUE ? "(T)" : e->kind == CE_FALSE ? "(F)" : "");
        }
        buf_putc(out, '\n');
    }
}

/* ---- same-package functions that never return ---- */

struct name_set {
    const char **names; /* sorted */
    int n;
};

static int cmp_name(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

static bool name_in(const struct name_set *s, struct str name)
{
    int lo = 0, hi = s->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        const char *m = s->names[mid];
        int c = strncmp(m, name.p, name.n);
        if (c == 0) c = m[name.n] ? 1 : 0;
        if (c == 0) return true;
        if (c < 0) lo = mid + 1;
        else hi = mid - 1;
    }
    return false;
}

/* Could statement n be the end of a function that never returns: a call
 * (a known no-return call, or a call of a name the package declares as a
 * function or method), or an if, switch or select one of whose branches
 * ends so? A cheap superset; the graph decides. */
static bool may_end_noreturn(const struct pkg *p, int fi, nid n, const struct name_set *names, int depth)
{
    const struct gofile *f = &p->files[fi];
    if (!n || depth > 32) return false;
    switch (ast_kind(f, n)) {
    case N_EXPRESSION_STATEMENT: {
        nid call = ast_unparen(f, ast_first_child(f, n));
        if (ast_kind(f, call) != N_CALL_EXPRESSION) return false;
        nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
        if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION) fe = ast_child(f, fe, F_FIELD);
        if (ast_kind(f, fe) != N_IDENTIFIER && ast_kind(f, fe) != N_FIELD_IDENTIFIER) return false;
        return name_in(names, ast_text(f, fe)) || model_is_noreturn_call(p, fi, call);
    }
    case N_STATEMENT_LIST: {
        nid last = 0;
        AST_FOR_CHILDREN(f, n, c)
        if (ast_kind(f, c) != N_EMPTY_STATEMENT) last = c;
        return may_end_noreturn(p, fi, last, names, depth + 1);
    }
    case N_BLOCK:
    case N_EXPRESSION_CASE:
    case N_TYPE_CASE:
    case N_DEFAULT_CASE:
    case N_COMMUNICATION_CASE:
    case N_LABELED_STATEMENT: {
        /* the statements, not the case values or communication */
        nid last = 0;
        AST_FOR_CHILDREN(f, n, c)
        if (f->nodes[c].field == F_NONE && ast_kind(f, c) != N_EMPTY_STATEMENT) last = c;
        return may_end_noreturn(p, fi, last, names, depth + 1);
    }
    case N_IF_STATEMENT:
        return may_end_noreturn(p, fi, ast_child(f, n, F_CONSEQUENCE), names, depth + 1) ||
               may_end_noreturn(p, fi, ast_child(f, n, F_ALTERNATIVE), names, depth + 1);
    case N_EXPRESSION_SWITCH_STATEMENT:
    case N_TYPE_SWITCH_STATEMENT:
    case N_SELECT_STATEMENT:
        AST_FOR_CHILDREN(f, n, c)
        if (is_case(ast_kind(f, c)) && may_end_noreturn(p, fi, c, names, depth + 1)) return true;
        return false;
    default:
        return false;
    }
}

/* Does the body of fn hold a return statement (not in a func literal)? */
static bool has_return(const struct gofile *f, nid body)
{
    for (nid k = body; k < f->nodes[body].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) k = f->nodes[k].end - 1;
        else if (ast_kind(f, k) == N_RETURN_STATEMENT) return true;
    }
    return false;
}

static void compute_noreturn(struct pkg *p)
{
    p->noreturn_state = 1;
    struct name_set names = {0};
    names.names = xmalloc(sizeof(char *) * ((size_t)p->ndecls + 1));
    for (int d = 0; d < p->ndecls; d++)
        if (p->decls[d].what == PD_FUNC || p->decls[d].what == PD_METHOD) names.names[names.n++] = p->decls[d].name;
    qsort(names.names, (size_t)names.n, sizeof(char *), cmp_name);
    VEC(int) cand = {0};
    for (int d = 0; d < p->ndecls; d++) {
        const struct pkg_decl *pd = &p->decls[d];
        if (pd->what != PD_FUNC && pd->what != PD_METHOD) continue;
        const struct gofile *f = &p->files[pd->file];
        nid body = ast_child(f, pd->node, F_BODY);
        if (!body || has_return(f, body)) continue;
        if (may_end_noreturn(p, pd->file, body, &names, 0)) vec_push(&cand, d);
    }
    free(names.names);
    p->noreturn_decls = arena_alloc(&p->arena, sizeof(int) * (cand.len + 1));
    /* a fixpoint: each round may find callers of the functions found before */
    bool changed = cand.len > 0;
    for (int round = 0; changed && round < 8; round++) {
        changed = false;
        for (size_t i = 0; i < cand.len; i++) {
            int d = cand.items[i];
            if (d < 0) continue;
            const struct pkg_decl *pd = &p->decls[d];
            struct cfg *g = cfg_build(p, pd->file, pd->node);
            bool never = !cfg_reachable(g, g->exit) && cfg_reachable(g, g->noreturn);
            cfg_free(g);
            if (!never) continue;
            p->noreturn_decls[p->nnoreturn++] = d;
            cand.items[i] = -1;
            changed = true;
        }
    }
    vec_free(&cand);
    p->noreturn_state = 2;
}

bool model_calls_noreturn_func(const struct pkg *cp, int fi, nid call)
{
    struct pkg *p = (struct pkg *)cp; /* the memo lives in the package */
    if (p->noreturn_state == 0) compute_noreturn(p);
    if (!p->nnoreturn) return false;
    const struct gofile *f = &p->files[fi];
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION) fe = ast_child(f, fe, F_FIELD);
    struct str name = ast_text(f, fe);
    bool named = false;
    for (int i = 0; i < p->nnoreturn && !named; i++) named = str_eq(name, p->decls[p->noreturn_decls[i]].name);
    if (!named) return false;
    int d = model_callee(p, fi, call);
    for (int i = 0; i < p->nnoreturn; i++)
        if (p->noreturn_decls[i] == d) return true;
    return false;
}
