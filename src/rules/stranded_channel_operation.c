/* rules/stranded_channel_operation: GD109. One side of a struct field
 * channel can give up, the other cannot: a loop goroutine that stops
 * receiving when it is told to quit (or on an error), while another method
 * sends to it with a plain send; or a goroutine that sends in a select it
 * can leave, while another function receives with a plain receive. Once the
 * giving-up side has gone, the plain operation blocks forever.
 * How: the object model (model/objects.h) lists every use of the class T.f
 * across the package. The class must be private (unexported, never handed
 * on). Every use on one side (all receives, or all sends) must be able to
 * give up: a case of a select whose other case leaves (returns, or breaks
 * out of the loop around it; any other case when no loop), or an operation
 * in a loop that holds a return or break elsewhere. A use on the other side
 * that is a plain operation (no select, or a select of one case) in
 * another function is reported; a receive only when nothing closes the
 * channel and it is unbuffered, a send when it is unbuffered (or, at low
 * confidence, buffered and in a loop). A select (no default) is reported
 * when each case is such a stranded operation or can never fire (a receive
 * from a private field channel nothing feeds, or from a local that is nil
 * on some path to it), at least one stranded. */
#include <string.h>

#include "../check/check.h"
#include "../model/chan.h"
#include "../model/objects.h"
#include "rule.h"
#include "rulelib.h"

static struct str clip(struct str s, size_t n)
{
    if (s.n > n) s.n = n;
    return s;
}

/* The operation node of use u: the send statement or the `<-` expression
 * (a range clause for OO_RANGE). */
static nid op_node(const struct gofile *f, const struct obj_use *u) { return ast_parent(f, u->node); }

/* Is the case clause a receive from class c (`case v, ok := <-x.f`)? Its
 * exits come from the channel's own close. */
static bool case_on_class(const struct gofile *f, nid cc, const struct obj_class *c, int fi)
{
    nid comm = ast_child(f, cc, F_COMMUNICATION);
    for (int k = 0; k < c->nuses; k++)
        if (c->uses[k].fi == fi && comm && ast_contains(f, comm, c->uses[k].node)) return true;
    return false;
}

/* The names the operation at o exchanges: the identifiers of a send's
 * value, the variables a receive or range assigns. Up to max. */
static int exchanged_names(const struct gofile *f, const struct obj_use *u, nid o, struct str *out, int max)
{
    nid from = 0;
    if (u->op == OO_SEND) from = ast_child(f, o, F_VALUE);
    else if (u->op == OO_RANGE) from = ast_child(f, o, F_LEFT);
    else {
        nid st = ast_parent(f, o);
        enum node_kind sk = ast_kind(f, st);
        if (sk == N_EXPRESSION_LIST) st = ast_parent(f, st), sk = ast_kind(f, st);
        if (sk == N_RECEIVE_STATEMENT || sk == N_SHORT_VAR_DECLARATION || sk == N_ASSIGNMENT_STATEMENT)
            from = ast_child(f, st, F_LEFT);
    }
    int n = 0;
    if (!from) return 0;
    for (nid k = from; k < f->nodes[from].end && n < max; k++)
        if (ast_kind(f, k) == N_IDENTIFIER && !ast_text_is(f, k, "_")) out[n++] = ast_text(f, k);
    /* and the variables a select case copies them to (`case s := <-ch:
     * state = s`) */
    nid cc = ast_ancestor(f, o, N_COMMUNICATION_CASE);
    for (nid st = cc ? rl_first_stmt(f, cc) : 0; st && n < max; st = ast_next(f, st)) {
        if (ast_kind(f, st) != N_ASSIGNMENT_STATEMENT) continue;
        nid l = ast_child(f, st, F_LEFT), r = ast_child(f, st, F_RIGHT);
        bool uses = false;
        for (nid k = r; k && k < f->nodes[r].end; k++)
            for (int i = 0; i < n && !uses; i++) uses = ast_kind(f, k) == N_IDENTIFIER && str_eqs(ast_text(f, k), out[i]);
        for (nid k = l; uses && k < f->nodes[l].end && n < max; k++)
            if (ast_kind(f, k) == N_IDENTIFIER) out[n++] = ast_text(f, k);
    }
    return n;
}

/* Is exit k (after the operation) taken on the exchanged data: an if or
 * switch around it, inside loop, whose condition names one of names? */
static bool exit_on_data(const struct gofile *f, nid k, nid loop, const struct str *names, int nn)
{
    for (nid a = ast_parent(f, k); a && a != loop; a = ast_parent(f, a)) {
        enum node_kind ak = ast_kind(f, a);
        nid cond = ak == N_IF_STATEMENT ? ast_child(f, a, F_CONDITION)
                   : ak == N_EXPRESSION_SWITCH_STATEMENT ? ast_child(f, a, F_VALUE) : 0;
        if (!cond) continue;
        for (nid x = cond; x < f->nodes[cond].end; x++)
            if (ast_kind(f, x) == N_IDENTIFIER)
                for (int i = 0; i < nn; i++)
                    if (str_eqs(ast_text(f, x), names[i])) return true;
    }
    return false;
}

/* Is select case cc a receive from a field channel Q whose every close
 * and send is in a function that calls function `name` (the stranded
 * operation's), or in it: the stranded side itself signals the give-up,
 * after it is done (`defer close(c.done); c.run()`)? */
static bool calls_or_restarts(const struct gofile *wf, nid decl, struct str name, struct str giver)
{
    if (str_eqs(ast_text(wf, ast_child(wf, decl, F_NAME)), name) || rl_calls_named(wf, decl, name)) return true;
    for (nid x = decl; x < wf->nodes[decl].end; x++)
        if (ast_kind(wf, x) == N_GO_STATEMENT && str_eqs(rl_call_name(wf, ast_first_child(wf, x)), giver)) return true;
    return false;
}

static bool quit_signalled_by(struct pkg *p, int fi, nid cc, struct str name, struct str giver)
{
    const struct gofile *f = &p->files[fi];
    nid comm = ast_child(f, cc, F_COMMUNICATION);
    const struct obj_model *m = objects_of(p);
    for (nid k = comm; k < f->nodes[comm].end; k++) {
        if (ast_kind(f, k) != N_SELECTOR_EXPRESSION) continue;
        const struct obj_class *q = objects_class_at(m, fi, k);
        if (!q || q->kind != OBJ_CHAN) continue;
        int signals = 0;
        for (int j = 0; j < q->nuses; j++) {
            const struct obj_use *w = &q->uses[j];
            if (w->op != OO_CLOSE && w->op != OO_SEND) continue;
            const struct gofile *wf = &p->files[w->fi];
            if (!w->decl || !calls_or_restarts(wf, w->decl, name, giver)) return false;
            signals++;
        }
        return signals > 0;
    }
    return false;
}

/* Where use u can give up while the stranded side (its top-level function
 * named `strand`) still counts on it: a statement (or select case) from
 * which its function goes on without completing u again; 0 if none. */
/* Does the statement before exit k call something that ends the process
 * (`s.panicFunc(p); return // for tests`, `log.Fatalf(...)`)? */
static bool after_crash(const struct gofile *f, nid k)
{
    nid prev = 0;
    for (nid st = rl_first_stmt(f, ast_parent(f, k)); st && st != k; st = ast_next(f, st)) prev = st;
    if (ast_kind(f, prev) != N_EXPRESSION_STATEMENT) return false;
    nid call = ast_first_child(f, prev);
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return false;
    static const char *const words[] = {"panic", "Panic", "Fatal", "fatal", "Exit", "exit", "abort", "Abort"};
    return rl_name_has_word(rl_call_name(f, call), words, GD_ARRAY_LEN(words));
}

/* Is exit k taken once a count reaches zero (`if active == 0 { return }`,
 * `n <= 0`): the loop leaves when the work it serves is all done, so no
 * operation of it is left to strand? */
static bool exit_when_drained(const struct gofile *f, nid k, nid loop)
{
    for (nid a = ast_parent(f, k); a && a != loop; a = ast_parent(f, a)) {
        if (ast_kind(f, a) != N_IF_STATEMENT) continue;
        nid cond = ast_child(f, a, F_CONDITION);
        for (nid x = cond; x < f->nodes[cond].end; x++) {
            if (ast_kind(f, x) != N_BINARY_EXPRESSION || (f->nodes[x].op != OP_EQL && f->nodes[x].op != OP_LEQ)) continue;
            nid r = ast_unparen(f, ast_child(f, x, F_RIGHT));
            if (ast_kind(f, r) == N_INT_LITERAL && ast_text_is(f, r, "0")) return true;
        }
    }
    return false;
}

/* The side of the operation: 0 for a receive or range, 1 for a send. */
static int side_of(const struct obj_use *u) { return u->op == OO_SEND; }

/* Does region hold a use of class c on the giver's side (side 0: a
 * receive, 1: a send)? A loop that drains the channel before it leaves
 * (`case <-quit: for ; n > 0; n-- { <-x.done }; return`) strands nobody. */
static bool drains(const struct obj_class *c, int fi, const struct gofile *f, nid region, int side)
{
    for (int k = 0; k < c->nuses; k++) {
        const struct obj_use *v = &c->uses[k];
        if (v->op != OO_SEND && v->op != OO_RECV && v->op != OO_RANGE) continue;
        if (side_of(v) == side && v->fi == fi && ast_contains(f, region, v->node)) return true;
    }
    return false;
}

static nid give_up_at(struct pkg *p, const struct obj_class *c, const struct obj_use *u, struct str strand, bool fresh)
{
    const struct gofile *f = &p->files[u->fi];
    nid o = op_node(f, u);
    nid cc = u->op == OO_RANGE ? 0 : rl_comm_case(f, o);
    nid sel = cc ? ast_parent(f, cc) : 0;
    /* the outermost loop of the function: leaving an inner one to come
     * back to it gives nothing up */
    nid loop = u->op == OO_RANGE ? ast_parent(f, o) : rl_enclosing_loop(f, sel ? sel : o);
    for (nid l = loop; l; l = rl_enclosing_loop(f, l)) loop = l;
    struct str gname = u->decl ? ast_text(f, ast_child(f, u->decl, F_NAME)) : str_make("", 0);
    /* a plain operation in the body of a select case answers what that case
     * received (`case r := <-x.req: r.reply <- v`): the loop cannot leave
     * between the request and the answer */
    nid outer = ast_ancestor(f, o, N_COMMUNICATION_CASE);
    if (!sel && outer && loop && ast_contains(f, loop, outer)) return 0;
    if (sel && u->select == CHSEL_OTHERS) {
        AST_FOR_CHILDREN(f, sel, k)
        {
            if (k == cc || ast_kind(f, k) != N_COMMUNICATION_CASE || case_on_class(f, k, c, u->fi)) continue;
            if (quit_signalled_by(p, u->fi, k, strand, gname) || drains(c, u->fi, f, k, side_of(u))) continue;
            if (!loop) return k;
            nid at = rl_leaving_stmt(f, k, loop);
            if (at && !after_crash(f, at) && !exit_when_drained(f, at, loop)) return at;
        }
    }
    /* a channel made afresh by each call of the stranded side reaches this
     * use only with the request that carries it: the loop cannot leave in
     * between unless this very operation offers to */
    if (!loop || fresh) return 0;
    /* the loop leaves elsewhere (not in another case of u's select, seen
     * above; not in a case on the same channel, which its close ends). An
     * exit after the operation taken on the data it exchanged is the
     * protocol's (the value said stop), not a give-up. */
    struct str names[16];
    int nn = exchanged_names(f, u, o, names, 16);
    nid body = u->op == OO_RANGE ? rl_for_body(f, loop) : loop;
    for (nid k = body; k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        bool other_case = sel && (kk == N_COMMUNICATION_CASE || kk == N_DEFAULT_CASE) && ast_parent(f, k) == sel && k != cc;
        if (kk == N_FUNC_LITERAL || other_case) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (!rl_leaves_loop(f, k, loop)) continue;
        nid acc = ast_ancestor(f, k, N_COMMUNICATION_CASE);
        if (acc && ast_contains(f, loop, acc) && case_on_class(f, acc, c, u->fi)) continue;
        if (k > o && exit_on_data(f, k, loop, names, nn)) continue;
        if (after_crash(f, k) || exit_when_drained(f, k, loop)) continue;
        nid cl = ast_ancestor(f, k, N_COMMUNICATION_CASE);
        if (cl && ast_contains(f, loop, cl) && drains(c, u->fi, f, cl, side_of(u))) continue;
        return k;
    }
    return 0;
}

static bool is_giver(const struct obj_use *v, int side)
{
    return side == 0 ? (v->op == OO_RECV || v->op == OO_RANGE) : v->op == OO_SEND;
}

/* Is class q a private field channel that nothing sends on or closes: a
 * receive from it never fires? */
static bool dead_class(const struct obj_class *q)
{
    if (!rl_private_class(q, OBJ_CHAN)) return false;
    for (int j = 0; j < q->nuses; j++)
        if (q->uses[j].op == OO_SEND || q->uses[j].op == OO_CLOSE) return false;
    return true;
}

/* Does giver v give up at w only in a select case that receives from a
 * dead channel (a quit channel nothing closes): then it never does. */
static bool gives_up_on_dead(struct pkg *p, const struct obj_use *v, nid w)
{
    const struct gofile *gf = &p->files[v->fi];
    nid cc = ast_kind(gf, w) == N_COMMUNICATION_CASE ? w : ast_ancestor(gf, w, N_COMMUNICATION_CASE);
    if (!cc || model_enclosing_func(gf, cc) != v->fn) return false;
    nid comm = ast_child(gf, cc, F_COMMUNICATION);
    const struct obj_model *m = objects_of(p);
    for (nid k = comm; k && k < gf->nodes[comm].end; k++) {
        if (ast_kind(gf, k) != N_SELECTOR_EXPRESSION) continue;
        const struct obj_class *q = objects_class_at(m, v->fi, k);
        if (q && q->kind == OBJ_CHAN) return dead_class(q);
    }
    return false;
}

/* When every use of the other side of c than use u (side 0: u sends, 1:
 * u receives) can give up, the first of them (and in *at where it gives
 * up); else NULL. */
static const struct obj_use *stranding_giver(struct pkg *p, const struct obj_class *c, const struct obj_use *u,
                                             int side, nid *at)
{
    const struct gofile *f = &p->files[u->fi];
    struct str strand = ast_text(f, ast_child(f, u->decl, F_NAME));
    bool fresh = false;
    for (int j = 0; j < c->nuses; j++)
        fresh |= c->uses[j].op == OO_MAKE && c->uses[j].fi == u->fi && c->uses[j].fn == u->fn;
    const struct obj_use *g = NULL;
    for (int j = 0; j < c->nuses; j++) {
        const struct obj_use *v = &c->uses[j];
        if (!is_giver(v, side)) continue;
        if (v->fi == u->fi && v->fn == u->fn) return NULL; /* the same function does both */
        nid w = give_up_at(p, c, v, strand, fresh);
        if (!w) return NULL; /* this one stays: it can complete u */
        if (gives_up_on_dead(p, v, w)) return NULL;
        if (!g) g = v, *at = w;
    }
    return g;
}

/* The confidence of a report on stranded use u whose giver is g. */
static enum confidence stranded_conf(const struct gofile *f, const struct obj_class *c, const struct obj_use *u,
                                     const struct obj_use *g)
{
    /* the two sides in different goroutines: one is started by go */
    unsigned gos = OCTX_GO_LITERAL | OCTX_GO_METHOD | OCTX_GO_CALLEE;
    enum confidence conf = (g->ctx & gos) || (u->ctx & gos) ? CONF_MEDIUM : CONF_LOW;
    /* inside the case of a select that handed a request over: the side
     * that gave the request knows the loop may stop (`case x.req <- r:
     * return <-x.reply; case <-x.quit:`), what is left is a narrower race */
    nid ucase = ast_ancestor(f, u->node, N_COMMUNICATION_CASE);
    bool after_request = ucase && model_enclosing_func(f, ucase) == u->fn &&
                         ast_kind(f, ast_child(f, ucase, F_COMMUNICATION)) == N_SEND_STATEMENT;
    /* a buffered channel strands a send in a loop only once the buffer is
     * full: not measured precise enough for the default */
    if (rl_is_test_file(f) || after_request || c->buf > 0) conf = CONF_LOW;
    return conf;
}

/* Why giver g (of file gf) gives up at `at`: an arena string or NULL. */
static const char *give_up_why(struct pkg *p, const struct obj_use *g, nid at)
{
    const struct gofile *gf = &p->files[g->fi];
    if (ast_kind(gf, at) == N_COMMUNICATION_CASE) {
        struct str cm = clip(ast_text(gf, ast_child(gf, at, F_COMMUNICATION)), 50);
        return arena_printf(&p->arena, "when it takes the `%.*s` case", (int)cm.n, cm.p);
    }
    return chan_exit_why(p, g->fi, g->fn, at);
}

/* Is call c (file f) a call of decl: its name, not a go statement, a
 * method's call on a receiver of the method's type (or one the model does
 * not know)? */
static bool calls_decl(struct pkg *p, int k, nid c, struct str name, const char *recv)
{
    const struct gofile *f = &p->files[k];
    if (ast_kind(f, c) != N_CALL_EXPRESSION || !str_eqs(rl_call_name(f, c), name)) return false;
    if (ast_kind(f, ast_parent(f, c)) == N_GO_STATEMENT) return false;
    nid fe = ast_unparen(f, ast_child(f, c, F_FUNCTION));
    if ((ast_kind(f, fe) == N_SELECTOR_EXPRESSION) != (recv != NULL)) return false;
    if (recv) {
        struct ltype *t = model_type_of(p, k, ast_child(f, fe, F_OPERAND));
        const char *tn = ltype_own_name(t);
        if (t && (!tn || strcmp(tn, recv))) return false;
    }
    return true;
}

static const char *decl_recv(struct pkg *p, int fi, nid decl)
{
    int di = pkg_decl_index(p, fi, decl);
    return di >= 0 && p->decls[di].what == PD_METHOD ? p->decls[di].recv_type : NULL;
}

/* Calls each(ud, file, call) for every call of decl in the package (see
 * calls_decl) until it returns false; returns the number of calls seen,
 * or -1 when each stopped the walk. */
static int each_call(struct pkg *p, int fi, nid decl, bool (*each)(void *ud, int k, nid c), void *ud)
{
    const struct gofile *df = &p->files[fi];
    struct str name = ast_text(df, ast_child(df, decl, F_NAME));
    const char *recv = decl_recv(p, fi, decl);
    int n = 0;
    for (int k = 0; k < p->nfiles; k++) {
        const struct gofile *f = &p->files[k];
        for (nid c = 1; c < f->nnodes; c++) {
            if (!calls_decl(p, k, c, name, recv)) continue;
            n++;
            if (!each(ud, k, c)) return -1;
        }
    }
    return n;
}

struct call_walk {
    struct pkg *p;
    nid decl;
    int depth;
    int in_tests;
};

static bool count_in_tests(void *ud, int k, nid c)
{
    struct call_walk *w = ud;
    (void)c;
    if (rl_is_test_file(&w->p->files[k])) w->in_tests++;
    return true;
}

/* How many calls of function or method decl (file fi) the package makes
 * (see calls_decl), and how many of them are in test files. */
static int calls_of(struct pkg *p, int fi, nid decl, int *in_tests)
{
    struct call_walk w = {p, decl, 0, 0};
    int n = each_call(p, fi, decl, count_in_tests, &w);
    *in_tests = w.in_tests;
    return n;
}

static bool only_tests_reach(struct pkg *p, int fi, nid decl, int depth);

/* A call in a test file, or in a function only tests reach. */
static bool reached_by_tests(void *ud, int k, nid c)
{
    struct call_walk *w = ud;
    const struct gofile *f = &w->p->files[k];
    if (rl_is_test_file(f)) return true;
    nid caller = model_enclosing_func(f, c);
    while (caller && ast_kind(f, caller) == N_FUNC_LITERAL) caller = model_enclosing_func(f, caller);
    return caller && caller != w->decl && only_tests_reach(w->p, k, caller, w->depth + 1);
}

/* Do only tests reach decl: every call of it in the package is in a test
 * file, or in an unexported function (not Close, Stop or Shutdown) that
 * only tests reach, up to a few calls up (pulsar's handler.close, called
 * by the client's close, called by one test)? */
static bool only_tests_reach(struct pkg *p, int fi, nid decl, int depth)
{
    const struct gofile *df = &p->files[fi];
    struct str name = ast_text(df, ast_child(df, decl, F_NAME));
    /* the methods of the lifecycle interfaces (io.Closer, a plugin's),
     * which other packages call */
    if (str_eq(name, "Close") || str_eq(name, "Stop") || str_eq(name, "Shutdown")) return false;
    if (depth > 0 && name.n && name.p[0] >= 'A' && name.p[0] <= 'Z') return false;
    if (depth > 3) return false;
    struct call_walk w = {p, decl, depth, 0};
    return each_call(p, fi, decl, reached_by_tests, &w) > 0;
}

/* The select case where giver g gives up at `at`: `at` itself, the case
 * around it, or, for an exit taken on a local flag (`if exit { break }`),
 * a case of g's function that sets the flag (`case <-c.StopChan: exit =
 * true`); 0 if none. */
static nid give_up_case(const struct gofile *gf, const struct obj_use *g, nid at)
{
    if (ast_kind(gf, at) == N_COMMUNICATION_CASE) return at;
    nid cc = ast_ancestor(gf, at, N_COMMUNICATION_CASE);
    if (cc && ast_contains(gf, g->fn, cc)) return cc;
    nid ifs = ast_ancestor(gf, at, N_IF_STATEMENT);
    nid cond = ifs ? ast_unparen(gf, ast_child(gf, ifs, F_CONDITION)) : 0;
    if (!cond || ast_kind(gf, cond) != N_IDENTIFIER) return 0;
    struct str flag = ast_text(gf, cond);
    for (nid k = g->fn; k < gf->nodes[g->fn].end; k++) {
        if (ast_kind(gf, k) != N_ASSIGNMENT_STATEMENT) continue;
        nid l = ast_child(gf, k, F_LEFT), r = ast_child(gf, k, F_RIGHT);
        if (!str_eqs(ast_text(gf, l), flag) || !ast_text_is(gf, r, "true")) continue;
        if ((cc = ast_ancestor(gf, k, N_COMMUNICATION_CASE))) return cc;
    }
    return 0;
}

/* The channel expression a select case receives from, or 0. */
static nid case_recv_chan(const struct gofile *f, nid cc)
{
    nid comm = ast_child(f, cc, F_COMMUNICATION);
    if (!comm || ast_kind(f, comm) == N_SEND_STATEMENT) return 0;
    for (nid k = comm; k < f->nodes[comm].end; k++)
        if (ast_kind(f, k) == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW)
            return ast_unparen(f, ast_child(f, k, F_OPERAND));
    return 0;
}

static const char *const stop_words[] = {"Stop", "stop", "Close", "close", "Shutdown", "shutdown", "Quit", "quit",
                                         "Terminate", "terminate", "Exit", "exit", "Done", "done", "Cancel", "cancel"};

/* Does the stranded function, before operation o, return when a flag
 * field with a stop word in its name is set (`if err != nil &&
 * e.inShutdown.Load() { return }`, `if s.closed { return }`)? The author
 * has ordered the sender after the stop. */
static bool checks_stop_flag(const struct gofile *f, nid fn, nid o)
{
    static const char *const flags[] = {"hutdown", "losed", "losing", "topped", "topping", "uit", "erminat",
                                        "xited", "xiting"};
    for (nid k = fn; k < o; k++) {
        if (ast_kind(f, k) != N_IF_STATEMENT || ast_contains(f, k, o)) continue;
        nid cond = ast_child(f, k, F_CONDITION), body = ast_child(f, k, F_CONSEQUENCE);
        bool flag = false, leaves = false;
        for (nid x = cond; x && x < f->nodes[cond].end && !flag; x++)
            flag = ast_kind(f, x) == N_SELECTOR_EXPRESSION &&
                   rl_name_has_word(ast_text(f, ast_child(f, x, F_FIELD)), flags, GD_ARRAY_LEN(flags));
        for (nid x = body; x && x < f->nodes[body].end && !leaves; x++)
            leaves = ast_kind(f, x) == N_RETURN_STATEMENT;
        if (flag && leaves) return true;
    }
    return false;
}

/* Why the give-up of giver g at `at` stranding use u (side 0: a send) is
 * too weak to report at the default confidence, or NULL:
 * - the give-up case receives from a private quit channel whose every
 *   close (or send) is in functions only tests reach (called from test
 *   files, or from unexported functions only tests reach, a few calls up;
 *   not Close, Stop or Shutdown: other packages call those through
 *   interfaces);
 * - the give-up case receives from another object's done channel
 *   (`x.c.StopChan`) and the giver's loop itself stops that object
 *   (`x.c.Stop()`) in another case: the give-up follows the loop's own
 *   stop, which the reader of the other case has to judge;
 * - the stranded function returns on a stop flag before the operation;
 * - the giver is a helper the package calls from several places (each
 *   call is a new receiver) and the stranded function closes the channel
 *   after its one send (`defer close(x.errc)`). */
static const char *weak_give_up(struct pkg *p, const struct obj_class *c, const struct obj_use *u,
                                const struct obj_use *g, nid at, int side, int *ncalls)
{
    const struct gofile *f = &p->files[u->fi], *gf = &p->files[g->fi];
    int in_tests = 0;
    *ncalls = g->decl && g->decl == g->fn ? calls_of(p, g->fi, g->decl, &in_tests) : 0;
    nid cc = give_up_case(gf, g, at);
    nid ch = cc ? case_recv_chan(gf, cc) : 0;
    const struct obj_model *m = objects_of(p);
    const struct obj_class *q = ch && ast_kind(gf, ch) == N_SELECTOR_EXPRESSION ? objects_class_at(m, g->fi, ch) : NULL;
    if (q && q != c && rl_private_class(q, OBJ_CHAN)) {
        int closers = 0, tested_only = 0;
        for (int j = 0; j < q->nuses; j++) {
            const struct obj_use *w = &q->uses[j];
            if (w->op != OO_CLOSE && w->op != OO_SEND) continue;
            closers++;
            if (!w->decl || w->decl != w->fn) continue;
            if (only_tests_reach(p, w->fi, w->decl, 0)) tested_only++;
        }
        if (closers && closers == tested_only)
            return arena_printf(&p->arena, "(only tests call what closes %s.%.*s)", q->type, (int)q->field.n,
                                q->field.p);
    }
    if (ch && !(q && rl_private_class(q, OBJ_CHAN)) && ast_kind(gf, ch) == N_SELECTOR_EXPRESSION) {
        nid obj = ast_unparen(gf, ast_child(gf, ch, F_OPERAND));
        nid loop = rl_enclosing_loop(gf, cc);
        for (nid k = loop; loop && k < gf->nodes[loop].end; k++) {
            if (ast_kind(gf, k) != N_CALL_EXPRESSION || ast_contains(gf, cc, k)) continue;
            nid fe = ast_unparen(gf, ast_child(gf, k, F_FUNCTION));
            if (ast_kind(gf, fe) != N_SELECTOR_EXPRESSION || !rl_same_text(gf, ast_child(gf, fe, F_OPERAND), obj))
                continue;
            if (!rl_name_has_word(ast_text(gf, ast_child(gf, fe, F_FIELD)), stop_words, GD_ARRAY_LEN(stop_words)))
                continue;
            struct str on = clip(ast_text(gf, obj), 40);
            return arena_printf(&p->arena, "(the loop stops %.*s itself, line %u)", (int)on.n, on.p,
                                gf->nodes[k].line);
        }
    }
    if (checks_stop_flag(f, u->fn, op_node(f, u))) return "(the sender returns on a stop flag before it)";
    if (side == 0 && *ncalls >= 2) {
        for (int j = 0; j < c->nuses; j++)
            if (c->uses[j].op == OO_CLOSE && c->uses[j].fi == u->fi && c->uses[j].fn == u->fn)
                return "(each call of it receives anew, and the sender closes the channel after its send)";
    }
    return NULL;
}

/* Reports stranded use u (side 0: a plain send, 1: a plain receive or
 * range) when every use of the other side of c can give up. */
static void report_if_stranded(struct rule_ctx *ctx, const struct obj_class *c, const struct obj_use *u, int side)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    nid at = 0;
    const struct obj_use *g = stranding_giver(p, c, u, side, &at);
    if (!g) return;
    const struct gofile *gf = &p->files[g->fi];
    /* the same goroutine (one go statement, not in a loop) blocks and gives
     * up: it cannot give up first; a send to itself is GD110's */
    int ufi, gfi;
    nid us = objects_spawn_site(p, ctx->fi, u->node, &ufi), gs = objects_spawn_site(p, g->fi, g->node, &gfi);
    if (us && us == gs && ufi == gfi && !rl_enclosing_loop(&p->files[ufi], us)) return;
    enum confidence conf = stranded_conf(f, c, u, g);
    int ncalls = 0;
    const char *weak = weak_give_up(p, c, u, g, at, side, &ncalls);
    if (weak) conf = CONF_LOW;
    nid o = op_node(f, u);
    struct str gname = g->decl ? ast_text(gf, ast_child(gf, g->decl, F_NAME)) : str_make("a func literal", 14);
    const char *why = give_up_why(p, g, at);
    struct str x = clip(ast_text(f, u->node), 60);
    /* a giver called from several places is several receivers (senders):
     * "nothing else" would be wrong */
    const char *others = ncalls >= 2 ? arena_printf(&p->arena, "nothing but the %d calls of %.*s", ncalls, (int)gname.n,
                                                   gname.p)
                                     : "nothing else";
    struct finding *fd = rule_report_conf(
        ctx, u->op == OO_RANGE ? ast_parent(f, o) : o, conf,
        side == 0 ? "the send on %.*s blocks forever once %.*s stops receiving: it gives up at %s%s%u%s%s, and "
                    "%s receives from %s.%.*s%s%s"
                  : "the receive from %.*s blocks forever once %.*s stops sending: it gives up at %s%s%u%s%s, "
                    "%s sends on %s.%.*s and nothing closes it%s%s",
        (int)x.n, x.p, (int)gname.n, gname.p, g->fi == ctx->fi ? "" : gf->path, g->fi == ctx->fi ? "line " : ":",
        gf->nodes[at].line, why ? " " : "", why ? why : "", others, c->type, (int)c->field.n, c->field.p,
        weak ? " " : "", weak ? weak : "");
    if (!fd) return;
    rule_related_in(ctx, fd, g->fi, op_node(gf, g), "%s here", side == 0 ? "it receives" : "it sends");
    rule_related_in(ctx, fd, g->fi, at, "gives up here");
    /* the go statement of the goroutine that blocks (the stranded side), or
     * else of the one that gives up */
    int sfi;
    nid spawn = objects_spawn_site(p, ctx->fi, u->node, &sfi);
    if (spawn) rule_related_in(ctx, fd, sfi, spawn, "the goroutine that blocks is started here");
    else if ((spawn = objects_spawn_site(p, g->fi, g->node, &sfi)))
        rule_related_in(ctx, fd, sfi, spawn, "the goroutine that gives up is started here");
    fd->fix = xasprintf(side == 0 ? "send in a select with a case on the signal that stops %.*s (a quit or done "
                                    "channel it closes, or its context's Done())"
                                  : "receive in a select with a case on the signal that stops %.*s (a quit or "
                                    "done channel, or its context's Done()), or close %s.%.*s when it stops",
                        (int)gname.n, gname.p, c->type, (int)c->field.n, c->field.p);
}

/* Is the receive `<-x` from local x (identifier id, in file f of p) one
 * that finds x nil on some path: x is declared `var x chan T` (or `<-chan
 * T`) with no value, and every write to it is inside an if statement with
 * no else, between the declaration and the statement (of the same block)
 * holding sel (`var tc <-chan time.Time; if d > 0 { tc = time.After(d) }`)?
 * Sets *cond to the condition of the first such if (0 when never set). */
static bool nil_on_some_path(struct pkg *p, int fi, nid id, nid sel, nid *cond)
{
    const struct gofile *f = &p->files[fi];
    nid decl, name;
    *cond = 0;
    if (!model_resolve_local(p, fi, id, &decl, &name) || ast_kind(f, decl) != N_VAR_SPEC) return false;
    nid ty = ast_child(f, decl, F_TYPE);
    if (ast_kind(f, ty) != N_CHANNEL_TYPE || ast_child(f, decl, F_VALUE)) return false;
    nid vd = ast_parent(f, decl), list = ast_parent(f, vd);
    if (ast_kind(f, vd) != N_VAR_DECLARATION || ast_kind(f, list) != N_STATEMENT_LIST) return false;
    /* the statement of the same block that holds the select */
    nid top = sel;
    while (top && ast_parent(f, top) != list) top = ast_parent(f, top);
    if (!top || top < vd) return false;
    nid fn = model_enclosing_func(f, vd);
    struct str nm = ast_text(f, name);
    for (nid k = fn; k < f->nodes[fn].end; k++) {
        if (k == name || ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), nm)) continue;
        nid d, n2;
        if (!model_resolve_local(p, fi, k, &d, &n2) || n2 != name) continue;
        nid par = ast_parent(f, k);
        if (ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND) return false; /* &x */
        if (!rl_ident_is_written(f, k)) continue;
        nid st = k;
        while (st && ast_parent(f, st) != list) st = ast_parent(f, st);
        if (!st || st <= vd || st >= top || ast_kind(f, st) != N_IF_STATEMENT || ast_child(f, st, F_ALTERNATIVE))
            return false;
        if (!*cond) *cond = ast_child(f, st, F_CONDITION);
    }
    return true;
}

/* The use of class q at selector node x of file fi, or NULL. */
static const struct obj_use *use_at(const struct obj_class *q, int fi, nid x)
{
    for (int k = 0; k < q->nuses; k++)
        if (q->uses[k].fi == fi && q->uses[k].node == x) return &q->uses[k];
    return NULL;
}

/* A select (no default) whose every case is stranded or cannot fire: a
 * receive from a private field channel nothing sends on or closes, or from
 * a local that is nil on some path. Reported once, at the first stranded
 * case, which u must be. */
static void check_select(struct rule_ctx *ctx, const struct obj_use *u)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    const struct obj_model *m = objects_of(p);
    nid cc = rl_comm_case(f, op_node(f, u));
    if (!cc) return;
    nid sel = ast_parent(f, cc);
    const struct obj_use *first = NULL, *g = NULL;
    const struct obj_class *fc = NULL;
    nid at = 0;
    struct buf dead = {0};
    AST_FOR_CHILDREN(f, sel, k)
    {
        if (ast_kind(f, k) == N_DEFAULT_CASE) goto out;
        if (ast_kind(f, k) != N_COMMUNICATION_CASE) continue;
        nid comm = ast_child(f, k, F_COMMUNICATION);
        nid opn = ast_kind(f, comm) == N_SEND_STATEMENT ? comm : ast_child(f, comm, F_RIGHT);
        nid ch = ast_kind(f, comm) == N_SEND_STATEMENT ? ast_child(f, comm, F_CHANNEL)
                 : ast_kind(f, opn) == N_UNARY_EXPRESSION && f->nodes[opn].op == OP_ARROW ? ast_child(f, opn, F_OPERAND)
                                                                                         : 0;
        ch = ch ? ast_unparen(f, ch) : 0;
        if (!ch) goto out;
        if (ast_kind(f, ch) == N_IDENTIFIER && comm != opn) {
            nid cond;
            if (!nil_on_some_path(p, ctx->fi, ch, sel, &cond)) goto out;
            struct str cn = ast_text(f, ch), ct = cond ? clip(ast_text(f, cond), 40) : str_make("", 0);
            buf_printf(&dead, "%s%.*s is nil %s%.*s%s", dead.len ? ", " : "", (int)cn.n, cn.p,
                       cond ? "when `" : "", (int)ct.n, ct.p, cond ? "` is false" : "");
            continue;
        }
        const struct obj_class *q = ast_kind(f, ch) == N_SELECTOR_EXPRESSION ? objects_class_at(m, ctx->fi, ch) : NULL;
        const struct obj_use *qu = q ? use_at(q, ctx->fi, ch) : NULL;
        if (!qu || !rl_private_class(q, OBJ_CHAN) || q->buf != 0 || (qu->op != OO_SEND && qu->op != OO_RECV)) goto out;
        bool sends = false, closed = false;
        for (int j = 0; j < q->nuses; j++) {
            sends |= q->uses[j].op == OO_SEND;
            closed |= q->uses[j].op == OO_CLOSE;
        }
        if (qu->op == OO_RECV && dead_class(q)) {
            buf_printf(&dead, "%snothing sends on %s.%.*s or closes it", dead.len ? ", " : "", q->type, (int)q->field.n,
                       q->field.p);
            continue;
        }
        int side = qu->op == OO_RECV;
        if (side == 1 && closed) goto out; /* a close wakes it */
        nid w = 0;
        const struct obj_use *v = stranding_giver(p, q, qu, side, &w);
        if (!v) goto out;
        if (!first) first = qu, g = v, fc = q, at = w;
    }
    if (first != u) goto out;
    bool none_dead = !dead.len;
    if (none_dead) buf_puts(&dead, "its other cases are stranded the same way");
    const struct gofile *gf = &p->files[g->fi];
    struct str gname = g->decl ? ast_text(gf, ast_child(gf, g->decl, F_NAME)) : str_make("a func literal", 14);
    const char *why = give_up_why(p, g, at);
    struct str x = clip(ast_text(f, u->node), 60);
    int ncalls = 0;
    const char *weak = weak_give_up(p, fc, u, g, at, u->op == OO_RECV, &ncalls);
    struct finding *fd = rule_report_conf(
        ctx, sel, weak ? CONF_LOW : stranded_conf(f, fc, u, g),
        "this select blocks forever once %.*s stops %s %.*s (it gives up at %s%s%u%s%s)%s%s%s%s",
        (int)gname.n, gname.p, u->op == OO_SEND ? "receiving from" : "sending on", (int)x.n, x.p,
        g->fi == ctx->fi ? "" : gf->path, g->fi == ctx->fi ? "line " : ":", gf->nodes[at].line, why ? " " : "",
        why ? why : "", none_dead ? " and " : " and no other case can fire: ", dead.data, weak ? " " : "",
        weak ? weak : "");
    if (!fd) goto out;
    rule_related_in(ctx, fd, g->fi, op_node(gf, g), "%s here", u->op == OO_SEND ? "it receives" : "it sends");
    rule_related_in(ctx, fd, g->fi, at, "gives up here");
    int sfi;
    nid spawn = objects_spawn_site(p, g->fi, g->node, &sfi);
    if (spawn) rule_related_in(ctx, fd, sfi, spawn, "the goroutine that gives up is started here");
    fd->fix = xasprintf("add a case on the signal that stops %.*s (a quit or done channel, or its context's Done())",
                        (int)gname.n, gname.p);
out:
    buf_free(&dead);
}

/* Is the send u, the only send of class c, on a channel of an object
 * bound afresh by each trip of the loop around it (`for _, r := range
 * batch { r.resp <- v }`, `r := <-x.reqs; r.reply <- v`): each trip sends
 * once on another channel, so a buffer of one never fills from this loop? */
static bool fresh_per_trip(struct pkg *p, int fi, const struct obj_class *c, const struct obj_use *u)
{
    const struct gofile *f = &p->files[fi];
    for (int j = 0; j < c->nuses; j++)
        if (c->uses[j].op == OO_SEND && &c->uses[j] != u) return false;
    nid loop = rl_enclosing_loop(f, u->node);
    nid root = rl_path_root(f, u->node);
    nid decl, name;
    if (!loop || !root || root == u->node || !model_resolve_local(p, fi, root, &decl, &name)) return false;
    if (!ast_contains(f, loop, decl)) return false;
    /* one send of the class in that loop */
    nid o = op_node(f, u);
    for (nid k = loop; k < f->nodes[loop].end; k++)
        if (k != o && ast_kind(f, k) == N_SEND_STATEMENT && rl_same_text(f, ast_child(f, k, F_CHANNEL), u->node))
            return false;
    return true;
}

static void check_class(struct rule_ctx *ctx, const struct obj_class *c)
{
    bool closed = false, sends = false, recvs = false;
    for (int k = 0; k < c->nuses; k++) {
        closed |= c->uses[k].op == OO_CLOSE;
        sends |= c->uses[k].op == OO_SEND;
        recvs |= c->uses[k].op == OO_RECV || c->uses[k].op == OO_RANGE;
    }
    if (!sends || !recvs) return; /* GD108's */
    /* side 0: the receivers give up, plain sends are stranded; side 1: the
     * senders give up, plain receives are stranded */
    for (int side = 0; side < 2; side++) {
        /* buffered: a receive may take a value sent before (a semaphore's
         * release), a send may still fit unless it runs in a loop */
        if (c->buf != 0 && (side == 1 || c->buf < 0)) continue;
        if (side == 1 && closed) continue;      /* a close wakes every receiver */
        for (int k = 0; k < c->nuses; k++) {
            const struct obj_use *u = &c->uses[k];
            bool plain = obj_use_blocks(u);
            bool stranded = side == 0 ? u->op == OO_SEND : (u->op == OO_RECV || u->op == OO_RANGE);
            if (!stranded || u->fi != ctx->fi || (u->op != OO_RANGE && !plain) || !u->decl) continue;
            if (c->buf > 0 && (!rl_enclosing_loop(ctx->f, u->node) || fresh_per_trip(ctx->pkg, ctx->fi, c, u)))
                continue;
            report_if_stranded(ctx, c, u, side);
        }
    }
    for (int k = 0; k < c->nuses; k++) {
        const struct obj_use *u = &c->uses[k];
        if (u->select == CHSEL_OTHERS && u->fi == ctx->fi && u->decl && (u->op == OO_SEND || u->op == OO_RECV))
            check_select(ctx, u);
    }
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    rl_each_private_class(ctx, OBJ_CHAN, check_class);
}

const struct rule rule_stranded_channel_operation = {
    .id = "GD109",
    .name = "stranded-channel-operation",
    .severity = SEV_WARNING,
    .confidence = CONF_MEDIUM,
    .summary = "A plain send or receive on a struct field channel whose other side can give up (a loop that stops "
               "on a quit signal or an error): once it has, the operation blocks forever.",
    .why = "A service type often runs a loop goroutine that serves a channel kept in a struct field, and stops "
           "when it is told to (a quit channel, its context) or on an error. Once it has returned, nothing "
           "receives from that channel any more. A method that sends to the loop with a plain `x.ch <- v` (or "
           "a select with no other case) then blocks forever: a `Lookup` or `Stop` called after `Close`, a "
           "handler still running at shutdown. The mirror image is a goroutine that sends in a select it can "
           "leave, while another function receives with a plain `<-x.ch` from a channel nobody closes. The "
           "fix is to let the stranded side give up too: select on the signal that stops the loop (a channel "
           "the loop closes when it returns, or the same context), or close the channel when the sender stops. "
           "godark follows the field across the package with the object model: the channel must be "
           "unexported, unbuffered (for a send in a loop, a buffered one counts too, at low confidence) and never "
           "handed on; every operation of the other side must be able to give "
           "up (a select case next to one that returns or leaves the loop, or a loop that returns before the "
           "operation). A select with no default is stranded the same way when each of its cases is either "
           "such an operation or one that can never fire: a receive from a private field channel nothing sends "
           "on or closes, or from a local declared `var c <-chan T` and set only inside an if with no else "
           "before the select (`if timeout > 0 { c = time.After(timeout) }`: nil when there is no timeout). "
           "Not a give-up: a select case on a quit channel nothing closes, an exit taken on the value just exchanged (the protocol's stop), a loop "
           "that drains the channel before it returns, an answer sent in the case that took the request, a "
           "quit signalled by the stranded side's own caller once it is done, a loop restarted by the signal's "
           "sender, and an exit right after a call that ends the process. Not stranded either: the one send of "
           "a channel with a buffer, on an object bound afresh by each trip of the loop (`for _, r := range "
           "batch { r.resp <- v }` with `resp: make(chan T, 1)`): each trip fills another empty buffer. "
           "Reported at medium confidence; low "
           "when neither side is started by a go statement, in test files, or right after handing a request "
           "to the loop in a select; low too when the give-up is weak: the quit channel it takes is closed only "
           "by functions that only tests reach (called from test files, or only by unexported functions that "
           "only tests reach; not Close, Stop or Shutdown, which other packages call through interfaces); it takes another object's done channel (`<-x.c.StopChan`) that "
           "the loop closes itself by stopping that object (`x.c.Stop()`) in another case; the stranded "
           "function returns on a stop flag before the operation (`if e.inShutdown.Load() { return }`), the "
           "stop having set it first; or the giving-up side is a helper the package calls from several places "
           "(each call is a new receiver) while the sender closes the channel after its one send (`defer "
           "close(m.errc)`). The message then counts those calls rather than saying nothing else receives. The operation is not reported when the goroutine that would give up is the very one that blocks (one go statement, not in a loop): it cannot stop receiving before its own send, and a goroutine sending to itself is GD110's.",
    .bad = "package index\n\n"
           "type query struct {\n\tkey   string\n\treply chan int\n}\n\n"
           "type Index struct {\n\tqueries chan query\n\tquit    chan struct{}\n}\n\n"
           "func New() *Index {\n\tix := &Index{queries: make(chan query), quit: make(chan struct{})}\n"
           "\tgo ix.serve()\n\treturn ix\n}\n\n"
           "func (ix *Index) serve() {\n\tfor {\n\t\tselect {\n\t\tcase q := <-ix.queries:\n"
           "\t\t\tq.reply <- len(q.key)\n\t\tcase <-ix.quit:\n\t\t\treturn\n\t\t}\n\t}\n}\n\n"
           "// Lookup blocks forever once Close has stopped serve.\n"
           "func (ix *Index) Lookup(k string) int {\n\tq := query{k, make(chan int, 1)}\n"
           "\tix.queries <- q\n\treturn <-q.reply\n}\n\n"
           "func (ix *Index) Close() { close(ix.quit) }\n",
    .good = "package index\n\n"
            "type query struct {\n\tkey   string\n\treply chan int\n}\n\n"
            "type Index struct {\n\tqueries chan query\n\tquit    chan struct{}\n\tstopped chan struct{}\n}\n\n"
            "func New() *Index {\n\tix := &Index{queries: make(chan query), quit: make(chan struct{}), stopped: "
            "make(chan struct{})}\n\tgo ix.serve()\n\treturn ix\n}\n\n"
            "func (ix *Index) serve() {\n\tdefer close(ix.stopped)\n\tfor {\n\t\tselect {\n"
            "\t\tcase q := <-ix.queries:\n\t\t\tq.reply <- len(q.key)\n\t\tcase <-ix.quit:\n\t\t\treturn\n"
            "\t\t}\n\t}\n}\n\n"
            "// Lookup gives up when serve has stopped.\n"
            "func (ix *Index) Lookup(k string) (int, bool) {\n\tq := query{k, make(chan int, 1)}\n"
            "\tselect {\n\tcase ix.queries <- q:\n\tcase <-ix.stopped:\n\t\treturn 0, false\n\t}\n"
            "\treturn <-q.reply, true\n}\n\n"
            "func (ix *Index) Close() { close(ix.quit) }\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
