/* rules/cond_state_changed_unlocked: GD408 cond-state-changed-unlocked. A
 * lost wake-up on a sync.Cond: a goroutine waits `for !pred { c.Wait() }`
 * under c.L, while another function changes what pred reads without holding
 * c.L and then calls Signal or Broadcast; a waiter that has checked pred but
 * not yet reached Wait misses the wake-up. Also a Wait that re-checks no
 * condition at all, after its function, holding c.L, has handed out a func
 * literal that signals without c.L (ochinchina/supervisord#223).
 * How: the cond is a field class of the object model (model/objects.h) or a
 * local; its L is the class of sync.NewCond's argument (model_obj_class);
 * "holds L" is the lock dataflow (model_locks_held_at) or `c.L.Lock()`
 * calls, through func literals run in place or by Once.Do, and through the
 * package's callers of the signalling function. */
#include "../model/objects.h"
#include "../model/summary.h"
#include "locklib.h"
#include "rule.h"
#include "rulelib.h"

enum { MAX_STATE = 16, MAX_HELD = 8, MAX_DEPTH = 2 };

/* A cond: a field class of the object model, or a local variable. */
struct cond {
    const struct obj_class *c; /* a field class, or NULL */
    int fi;                    /* a local: its file and declaring identifier */
    nid local;
    const char *lcls;  /* the class of its L (model_obj_class), NULL when unknown */
    const char *wcls;  /* the one lock the waiter holds at Wait, by the lock dataflow: L under
                          another name (`lock: &mu, cond: sync.NewCond(&mu)`), or NULL */
    struct str ltext;  /* its L as written at sync.NewCond (`q.mu`), or empty */
    const char *wtext; /* wcls as the waiter writes it */
};

/* What a waiter's condition reads: fields of the struct that holds the
 * cond, or locals (by declaring identifier, in the waiter's file). */
struct state {
    struct str fields[MAX_STATE];
    int nf;
    nid locals[MAX_STATE];
    int nl;
};

struct an {
    struct rule_ctx *ctx;
    struct pkg *p;
    const struct obj_model *m;
    struct cond cd;
};

/* Is call `x.Wait()`, `x.Signal()` or `x.Broadcast()` on a sync.Cond?
 * Returns the method name (static) and fills *x. */
static const char *cond_method(struct pkg *p, int fi, nid call, nid *x)
{
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return NULL;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) return NULL;
    static const char *const names[] = {"Wait", "Signal", "Broadcast"};
    const char *name = NULL;
    for (unsigned i = 0; i < GD_ARRAY_LEN(names); i++)
        if (ast_text_is(f, ast_child(f, fe, F_FIELD), names[i])) name = names[i];
    if (!name) return NULL;
    *x = ast_unparen(f, ast_child(f, fe, F_OPERAND));
    if (!ltype_is(model_type_of(p, fi, *x), "sync", "Cond", true)) return NULL;
    return name;
}

/* Does expression x of file fi denote cond cd? */
static bool is_cond(const struct an *a, int fi, nid x)
{
    const struct gofile *f = &a->p->files[fi];
    x = ast_unparen(f, x);
    if (a->cd.c) return ast_kind(f, x) == N_SELECTOR_EXPRESSION && objects_class_at(a->m, fi, x) == a->cd.c;
    nid d, nm;
    return ast_kind(f, x) == N_IDENTIFIER && fi == a->cd.fi && model_resolve_local(a->p, fi, x, &d, &nm) &&
           nm == a->cd.local;
}

/* The value assigned to `left`, an element of the left list of an
 * assignment or := (one to one), or 0. */
static nid assigned(const struct gofile *f, nid left)
{
    nid list = ast_parent(f, left), st = ast_parent(f, list);
    if (ast_kind(f, list) != N_EXPRESSION_LIST || f->nodes[list].field != F_LEFT) return 0;
    if (ast_kind(f, st) != N_ASSIGNMENT_STATEMENT && ast_kind(f, st) != N_SHORT_VAR_DECLARATION) return 0;
    if (f->nodes[st].op != OP_ASSIGN && f->nodes[st].op != OP_DEFINE) return 0;
    nid right = ast_child(f, st, F_RIGHT);
    unsigned at = 0, k = 0;
    AST_FOR_CHILDREN(f, list, e)
    {
        if (e == left) at = k;
        k++;
    }
    return ast_child_count(f, right) == k ? ast_nth_child(f, right, at) : 0;
}

/* Records the lock `v` (sync.NewCond's argument, or what is assigned to
 * c.L) as the cond's L; false when it disagrees with one seen before. */
static bool note_l(struct an *a, int fi, nid v, bool is_newcond)
{
    const struct gofile *f = &a->p->files[fi];
    v = ast_unparen(f, v);
    if (is_newcond) {
        if (ast_kind(f, v) != N_CALL_EXPRESSION || !model_is_call(a->p, fi, v, "sync", "NewCond")) return false;
        v = ast_first_child(f, ast_child(f, v, F_ARGUMENTS));
    }
    if (!v) return false;
    const char *cls = model_obj_class(a->p, fi, v);
    if (!cls) return true; /* `&sync.Mutex{}`: only c.L.Lock() can hold it */
    if (a->cd.lcls && strcmp(a->cd.lcls, cls)) return false;
    a->cd.lcls = cls;
    struct str t = ast_text(f, v);
    if (t.n && t.p[0] == '&') t.p++, t.n--;
    a->cd.ltext = t;
    return true;
}

/* Finds the cond's L. False when its makes disagree. */
static bool find_l(struct an *a)
{
    if (!a->cd.c) {
        const struct gofile *f = &a->p->files[a->cd.fi];
        nid v = assigned(f, a->cd.local);
        if (ast_kind(f, ast_parent(f, a->cd.local)) == N_VAR_SPEC) {
            nid vals = ast_child(f, ast_parent(f, a->cd.local), F_VALUE);
            v = ast_child_count(f, vals) == 1 ? ast_first_child(f, vals) : 0;
        }
        return v && note_l(a, a->cd.fi, v, true);
    }
    const struct obj_class *c = a->cd.c;
    for (int k = 0; k < c->nuses; k++) {
        const struct obj_use *u = &c->uses[k];
        const struct gofile *f = &a->p->files[u->fi];
        nid par = ast_parent(f, u->node);
        if (u->op == OO_MAKE) {
            nid v = assigned(f, u->node);
            if (!v && ast_kind(f, par) == N_LITERAL_ELEMENT) /* T{f: sync.NewCond(...)} */
                v = ast_first_child(f, ast_child(f, ast_parent(f, par), F_VALUE));
            if (!v || !note_l(a, u->fi, v, true)) return false;
        } else if (u->op == OO_NEUTRAL && ast_kind(f, par) == N_SELECTOR_EXPRESSION &&
                   ast_text_is(f, ast_child(f, par, F_FIELD), "L")) {
            nid v = assigned(f, par); /* x.f.L = &mu */
            if (v && !note_l(a, u->fi, v, false)) return false;
        }
    }
    return true;
}

/* Is call `x.L.Lock()` / `x.L.Unlock()` on the cond? 1 lock, -1 unlock, 0 no. */
static int cond_l_call(const struct an *a, int fi, nid call)
{
    const struct gofile *f = &a->p->files[fi];
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) return 0;
    nid l = ast_unparen(f, ast_child(f, fe, F_OPERAND));
    if (ast_kind(f, l) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, l, F_FIELD), "L")) return 0;
    if (!is_cond(a, fi, ast_child(f, l, F_OPERAND))) return 0;
    nid m = ast_child(f, fe, F_FIELD);
    return ast_text_is(f, m, "Lock") ? 1 : ast_text_is(f, m, "Unlock") ? -1 : 0;
}

/* Is lock class cls the cond's L? */
static bool is_l(const struct an *a, const char *cls)
{
    return cls && ((a->cd.lcls && !strcmp(cls, a->cd.lcls)) || (a->cd.wcls && !strcmp(cls, a->cd.wcls)));
}

/* What call does to the cond's L: 1 takes it (L's Lock/RLock, c.L.Lock()),
 * -1 releases it, 0 neither. */
static int l_call(const struct an *a, int fi, nid fn, nid call)
{
    int s = cond_l_call(a, fi, call);
    if (s) return s;
    const char *cls;
    bool acq;
    if (model_lock_call_class(a->p, fi, fn, call, &cls, &acq) && is_l(a, cls)) return acq ? 1 : -1;
    return 0;
}

/* What a call of a package function does to L, from its body (calls of
 * its own, not deeper): 1 when it takes L and does not release it after,
 * -1 when it only releases it, 0 otherwise. The lock dataflow does not
 * judge a lock handed to sync.NewCond (`func (c *conn) lock() {
 * c.mu.Lock(); if c.cond == nil { c.cond = sync.NewCond(&c.mu) } }`). */
static int callee_l(const struct an *a, int cfi, nid call)
{
    int d = model_callee(a->p, cfi, call);
    if (d < 0) return 0;
    const struct pkg_decl *pd = &a->p->decls[d];
    const struct gofile *f = &a->p->files[pd->file];
    int last = 0;
    for (nid k = pd->node; k < f->nodes[pd->node].end; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION || model_enclosing_func(f, k) != pd->node) continue;
        if (ast_kind(f, ast_parent(f, k)) == N_DEFER_STATEMENT) continue;
        int s = l_call(a, pd->file, pd->node, k);
        if (s) last = s;
    }
    return last;
}

/* Does call acquire the cond's L? */
static bool acquires_l(const struct an *a, int fi, nid fn, nid call)
{
    return l_call(a, fi, fn, call) == 1 || callee_l(a, fi, call) == 1;
}

static bool caller_holds(const struct an *a, int fi, nid fn, int depth);

/* Is node k, before `at`, in a block that does not hold `at` and ends in a
 * return (or another terminating statement): a branch that never reaches
 * `at` (`if done { c.L.Unlock(); return }`)? */
static bool off_path(const struct pkg *p, int fi, nid k, nid at)
{
    const struct gofile *f = &p->files[fi];
    for (nid b = ast_parent(f, k); b && !ast_contains(f, b, at); b = ast_parent(f, b)) {
        enum node_kind bk = ast_kind(f, b);
        if (bk == N_FUNC_LITERAL) return false;
        if ((bk == N_BLOCK || bk == N_EXPRESSION_CASE || bk == N_DEFAULT_CASE || bk == N_COMMUNICATION_CASE ||
             bk == N_TYPE_CASE) &&
            rl_terminates(p, fi, b))
            return true;
    }
    return false;
}

/* Does function fn (of file fi) hold the cond's L when it reaches node at:
 * by the lock dataflow, by an earlier c.L.Lock() not undone, or, for a func
 * literal run in place or by sync.Once.Do, where it is written; a named
 * function when one of the package's calls of it holds L. */
static bool holds_l(const struct an *a, int fi, nid fn, nid at, int depth)
{
    const struct gofile *f = &a->p->files[fi];
    if (a->cd.lcls || a->cd.wcls) {
        struct held_lock hl[MAX_HELD];
        int n = model_locks_held_at(a->p, fi, fn, at, hl, MAX_HELD);
        for (int i = 0; i < n; i++)
            if (is_l(a, hl[i].cls)) return true;
    }
    /* the calls before `at`, in source order: the last one that takes or
     * releases L says (a may-hold: precision first) */
    int state = 0;
    for (nid k = fn; k < at; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION || model_enclosing_func(f, k) != fn) continue;
        if (ast_kind(f, ast_parent(f, k)) == N_DEFER_STATEMENT || off_path(a->p, fi, k, at)) continue;
        int s = l_call(a, fi, fn, k);
        if (!s) s = callee_l(a, fi, k);
        if (s) state = s;
    }
    if (state == 1) return true;
    if (depth >= MAX_DEPTH) return false;
    if (ast_kind(f, fn) == N_FUNC_LITERAL) {
        nid e = fn, par = ast_parent(f, fn);
        while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) e = par, par = ast_parent(f, par);
        bool run_here = false;
        if (ast_kind(f, par) == N_CALL_EXPRESSION && ast_child(f, par, F_FUNCTION) == e)
            run_here = ast_kind(f, ast_parent(f, par)) != N_GO_STATEMENT; /* func(){...}() */
        else if (ast_kind(f, par) == N_ARGUMENT_LIST) {                   /* once.Do(func(){...}) */
            nid call = ast_parent(f, par), ce = ast_unparen(f, ast_child(f, call, F_FUNCTION));
            run_here = ast_kind(f, ce) == N_SELECTOR_EXPRESSION && ast_text_is(f, ast_child(f, ce, F_FIELD), "Do") &&
                       ltype_is(model_type_of(a->p, fi, ast_child(f, ce, F_OPERAND)), "sync", "Once", true);
        }
        nid outer = model_enclosing_func(f, par);
        return run_here && outer && holds_l(a, fi, outer, fn, depth + 1);
    }
    return caller_holds(a, fi, fn, depth + 1);
}

/* Is named function fn perhaps called with L held: named ...Locked, one of
 * the package's calls of it holds L, or it is unexported and never called
 * by name (a method value or interface call we do not follow)? */
static bool caller_holds(const struct an *a, int fi, nid fn, int depth)
{
    const struct gofile *f = &a->p->files[fi];
    int di = pkg_decl_index(a->p, fi, fn);
    if (di < 0) return true;
    struct str name = ast_text(f, ast_child(f, fn, F_NAME));
    if (model_name_says_locked(name)) return true;
    int calls = 0;
    for (int cfi = 0; cfi < a->p->nfiles; cfi++) {
        const struct gofile *cf = &a->p->files[cfi];
        for (nid k = 1; k < cf->nnodes; k++) {
            if (cf->nodes[k].kind != N_CALL_EXPRESSION || model_callee(a->p, cfi, k) != di) continue;
            calls++;
            nid cfn = model_enclosing_func(cf, k);
            if (cfn && holds_l(a, cfi, cfn, k, depth)) return true;
        }
    }
    return !calls && !model_is_exported(name);
}

static void add_field(struct state *s, struct str name)
{
    for (int i = 0; i < s->nf; i++)
        if (str_eqs(s->fields[i], name)) return;
    if (s->nf < MAX_STATE) s->fields[s->nf++] = name;
}

static void add_local(struct state *s, nid nm)
{
    for (int i = 0; i < s->nl; i++)
        if (s->locals[i] == nm) return;
    if (s->nl < MAX_STATE) s->locals[s->nl++] = nm;
}

/* What nodes [from, to) of the waiter read: fields of holder h (a path, or
 * 0 for a local cond), and locals that are not the root of a selector. */
static void read_state(const struct an *a, nid h, nid fn, nid from, nid to, struct state *s)
{
    const struct gofile *f = a->ctx->f;
    for (nid k = from; k < to; k++) {
        if (model_enclosing_func(f, k) != fn) continue;
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_SELECTOR_EXPRESSION && h && rl_same_path(a->p, a->ctx->fi, ast_child(f, k, F_OPERAND), h))
            add_field(s, ast_text(f, ast_child(f, k, F_FIELD)));
        if (kk != N_IDENTIFIER) continue;
        nid par = ast_parent(f, k);
        if (ast_kind(f, par) == N_SELECTOR_EXPRESSION && f->nodes[k].field == F_OPERAND) continue;
        if (ast_kind(f, par) == N_CALL_EXPRESSION && f->nodes[k].field == F_FUNCTION) continue;
        nid d, nm;
        if (model_resolve_local(a->p, a->ctx->fi, k, &d, &nm)) add_local(s, nm);
    }
}

/* The waiter's condition: the loop around the Wait (its header and the if
 * conditions in its body), else the if whose branch holds it. Returns false
 * when the Wait re-checks no condition: no if around it and a loop with no
 * header and no if. */
static bool wait_state(const struct an *a, nid wait, nid x, struct state *s)
{
    const struct gofile *f = a->ctx->f;
    nid fn = model_enclosing_func(f, wait);
    nid h = a->cd.c ? ast_unparen(f, ast_child(f, x, F_OPERAND)) : 0;
    nid loop = rl_enclosing_loop(f, wait);
    bool any = false;
    if (loop) {
        nid body = rl_for_body(f, loop);
        if (body > loop + 1) any = true, read_state(a, h, fn, loop + 1, body, s);
        for (nid k = body; k < f->nodes[body].end; k++) {
            if (ast_kind(f, k) != N_IF_STATEMENT || model_enclosing_func(f, k) != fn) continue;
            any = true;
            read_state(a, h, fn, k + 1, ast_child(f, k, F_CONSEQUENCE), s);
        }
        return any;
    }
    for (nid k = ast_parent(f, wait); k && k != fn; k = ast_parent(f, k)) {
        if (ast_kind(f, k) != N_IF_STATEMENT) continue;
        nid cons = ast_child(f, k, F_CONSEQUENCE);
        if (!ast_contains(f, cons, wait)) continue;
        read_state(a, h, fn, k + 1, cons, s);
        return true;
    }
    return false;
}

/* Is node k of function fn (file fi) a write of the waiter's state? */
static bool state_write(const struct an *a, int fi, nid k, const struct state *s)
{
    const struct gofile *f = &a->p->files[fi];
    enum node_kind kk = ast_kind(f, k);
    if (kk == N_SELECTOR_EXPRESSION && a->cd.c) {
        struct str fld = ast_text(f, ast_child(f, k, F_FIELD));
        bool in = false;
        for (int i = 0; i < s->nf && !in; i++) in = str_eqs(s->fields[i], fld);
        if (!in) return false;
        const char *tn = ltype_own_name(model_type_of(a->p, fi, ast_child(f, k, F_OPERAND)));
        return tn && !strcmp(tn, a->cd.c->type) && rl_expr_written(a->p, fi, k);
    }
    if (kk == N_IDENTIFIER && s->nl && fi == a->ctx->fi) {
        nid d, nm;
        if (!model_resolve_local(a->p, fi, k, &d, &nm)) return false;
        for (int i = 0; i < s->nl; i++)
            if (s->locals[i] == nm) return rl_expr_written(a->p, fi, k);
    }
    return false;
}

/* A site that wakes the cond: a Signal or Broadcast call, in function fn of file fi. */
struct wake {
    int fi;
    nid call, fn;
    const char *method;
};

static int wakes_of(const struct an *a, struct wake *out, int max)
{
    int n = 0;
    if (a->cd.c) {
        const struct obj_class *c = a->cd.c;
        for (int k = 0; k < c->nuses && n < max; k++) {
            const struct obj_use *u = &c->uses[k];
            if (u->op != OO_SIGNAL && u->op != OO_BROADCAST) continue;
            const struct gofile *f = &a->p->files[u->fi];
            out[n++] = (struct wake){u->fi, ast_parent(f, ast_parent(f, u->node)), u->fn,
                                     u->op == OO_SIGNAL ? "Signal" : "Broadcast"};
        }
        return n;
    }
    const struct gofile *f = &a->p->files[a->cd.fi];
    nid decl = model_enclosing_decl(f, a->cd.local);
    for (nid k = decl; decl && k < f->nodes[decl].end && n < max; k++) {
        nid x;
        const char *m = cond_method(a->p, a->cd.fi, k, &x);
        if (!m || m[0] == 'W' || !is_cond(a, a->cd.fi, x)) continue;
        out[n++] = (struct wake){a->cd.fi, k, model_enclosing_func(f, k), m};
    }
    return n;
}

/* Does fn take L in (from, to)? */
static bool locks_between(const struct an *a, int fi, nid fn, nid from, nid to)
{
    const struct gofile *f = &a->p->files[fi];
    for (nid k = from + 1; k < to; k++)
        if (ast_kind(f, k) == N_CALL_EXPRESSION && model_enclosing_func(f, k) == fn && acquires_l(a, fi, fn, k))
            return true;
    return false;
}

static const char *l_text(const struct an *a, struct str cond)
{
    if (a->cd.wcls && a->cd.wtext) return a->cd.wtext;
    if (a->cd.ltext.n) return arena_printf(&a->p->arena, "%.*s", (int)a->cd.ltext.n, a->cd.ltext.p);
    return arena_printf(&a->p->arena, "%.*s.L", (int)cond.n, cond.p);
}

static const char *func_name(const struct gofile *f, nid fn, struct pkg *p)
{
    nid decl = ast_kind(f, fn) == N_FUNC_LITERAL ? model_enclosing_decl(f, fn) : fn;
    struct str s = decl ? ast_text(f, ast_child(f, decl, F_NAME)) : str_make("?", 1);
    return arena_printf(&p->arena, "%s%.*s", ast_kind(f, fn) == N_FUNC_LITERAL ? "a func literal in " : "", (int)s.n, s.p);
}

static void visit(struct rule_ctx *ctx, nid call)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    nid x;
    const char *m = cond_method(p, ctx->fi, call, &x);
    if (!m || m[0] != 'W' || rl_pkg_has_error(p)) return;
    struct an a = {ctx, p, objects_of(p), {0}};
    if (ast_kind(f, x) == N_SELECTOR_EXPRESSION) {
        a.cd.c = objects_class_at(a.m, ctx->fi, x);
        if (!a.cd.c || a.cd.c->kind != OBJ_COND) return;
    } else {
        nid d, nm;
        if (ast_kind(f, x) != N_IDENTIFIER || !model_resolve_local(p, ctx->fi, x, &d, &nm)) return;
        if (ast_kind(f, d) == N_PARAMETER_DECLARATION || ast_kind(f, d) == N_VARIADIC_PARAMETER_DECLARATION) return;
        a.cd.fi = ctx->fi;
        a.cd.local = nm;
    }
    if (!find_l(&a)) return;
    nid fn = model_enclosing_func(f, call);
    if (!fn) return;
    struct held_lock hl[MAX_HELD];
    if (model_locks_held_at(p, ctx->fi, fn, call, hl, MAX_HELD) == 1) a.cd.wcls = hl[0].cls, a.cd.wtext = hl[0].text;
    struct wake w[32];
    int nw = wakes_of(&a, w, 32);
    if (!nw) return; /* GD407's case */
    /* the waiter must be seen holding L: else we do not know which lock it is */
    if (!holds_l(&a, ctx->fi, fn, call, MAX_DEPTH)) return;
    struct state s = {0};
    bool has_cond = wait_state(&a, call, x, &s);
    struct str xt = ast_text(f, x);
    if (xt.n > 60) xt.n = 60;
    enum confidence conf = rl_is_test_file(f) ? CONF_LOW : ctx->rule->confidence;
    if (!has_cond) {
        /* no condition to re-check: any Signal that L does not order after
         * this Wait is lost; a goto may be the loop (ants: `goto retry`) */
        for (nid k = fn; k < f->nodes[fn].end; k++)
            if (ast_kind(f, k) == N_GOTO_STATEMENT) return;
        for (int i = 0; i < nw; i++) {
            const struct gofile *wf = &p->files[w[i].fi];
            /* only a wake-up the waiter itself hands out while it holds L, before
             * its Wait: a func literal it starts or passes on (a callback) */
            if (w[i].fi != ctx->fi || ast_kind(f, w[i].fn) != N_FUNC_LITERAL || !ast_contains(f, fn, w[i].fn) ||
                w[i].fn > call || !holds_l(&a, ctx->fi, fn, w[i].fn, MAX_DEPTH))
                continue;
            if (holds_l(&a, w[i].fi, w[i].fn, w[i].call, 0)) continue;
            struct finding *fd = rule_report_conf(
                ctx, call, conf,
                "%.*s.Wait can sleep forever: it re-checks no condition, and the %s in %s (%s:%u) is made without "
                "holding %s, so a wake-up sent before this Wait is lost",
                (int)xt.n, xt.p, w[i].method, func_name(wf, w[i].fn, p), locklib_base(wf->path),
                wf->nodes[w[i].call].line, l_text(&a, xt));
            if (fd) {
                fd->fix = xasprintf("wait in a loop on a condition (`for !done { %.*s.Wait() }`) that the other "
                                    "side sets while holding %s, before its %s",
                                    (int)xt.n, xt.p, l_text(&a, xt), w[i].method);
                rule_related_in(ctx, fd, w[i].fi, w[i].call, "the %s, without the lock", w[i].method);
            }
            return;
        }
        return;
    }
    if (!s.nf && !s.nl) return;
    for (int i = 0; i < nw; i++) {
        const struct gofile *wf = &p->files[w[i].fi];
        for (nid k = w[i].fn; k < w[i].call; k++) {
            if (model_enclosing_func(wf, k) != w[i].fn || !state_write(&a, w[i].fi, k, &s)) continue;
            if (off_path(p, w[i].fi, k, w[i].call)) continue; /* `if x { q.done = true; return }` */
            if (holds_l(&a, w[i].fi, w[i].fn, k, 0) || locks_between(&a, w[i].fi, w[i].fn, k, w[i].call)) continue;
            struct str wt = ast_text(wf, k);
            if (wt.n > 60) wt.n = 60;
            struct finding *fd = rule_report_conf(
                ctx, call, conf,
                "%.*s.Wait can sleep forever: %s changes %.*s, which the waiter's condition reads, without holding "
                "%s, then calls %s (%s:%u); a waiter that has checked the condition but not yet reached Wait "
                "misses the wake-up",
                (int)xt.n, xt.p, func_name(wf, w[i].fn, p), (int)wt.n, wt.p, l_text(&a, xt), w[i].method,
                locklib_base(wf->path), wf->nodes[w[i].call].line);
            if (fd) {
                fd->fix = xasprintf("change %.*s while holding %s (Lock, write, Unlock, then %s)", (int)wt.n, wt.p,
                                    l_text(&a, xt), w[i].method);
                rule_related_in(ctx, fd, w[i].fi, k, "the write, without the lock");
                rule_related_in(ctx, fd, w[i].fi, w[i].call, "the %s", w[i].method);
            }
            return;
        }
    }
}

const struct rule rule_cond_state_changed_unlocked = {
    .id = "GD408",
    .name = "cond-state-changed-unlocked",
    .severity = SEV_WARNING,
    .confidence = CONF_MEDIUM,
    .summary = "A sync.Cond waiter's condition is changed without holding the cond's lock before Signal or "
               "Broadcast: a waiter between its check and its Wait misses the wake-up.",
    .why = "`c.Wait` is safe only because the waiter checks its condition and enters `Wait` while holding "
           "`c.L`: whoever changes the condition must hold `c.L` too, so the change happens either before the "
           "waiter's check or after it sleeps. Signal and Broadcast may be called without the lock, but the "
           "*write of the state the condition reads* may not: a goroutine that has read `closed == false` "
           "under the lock and not yet called `Wait` misses a `closed = true; c.Broadcast()` made without the "
           "lock, and sleeps until someone wakes it again, which after a Close may be never "
           "(livekit/livekit#3625, with an `atomic.Bool` flag: atomics do not help). A `Wait` that re-checks no "
           "condition at all loses every Signal made before it, and only the lock orders a Signal after it: "
           "a function that holds `c.L`, starts a goroutine or hands out a callback that signals without "
           "`c.L`, then calls `Wait` with nothing to re-check is reported too (ochinchina/supervisord#223). "
           "godark finds the condition of each `Wait` (the loop around it, the "
           "if conditions in that loop, or the if around it), the fields of the cond's holder and the locals "
           "it reads, and each function that calls Signal or Broadcast on the same cond (a struct field, by "
           "the package's object model, or a local). A write of that state before the wake-up, made while "
           "the function does not hold the cond's L (the argument of `sync.NewCond`, or the one lock the "
           "waiter holds at `Wait`) and takes it nowhere between the write and the wake-up, is reported at the "
           "`Wait`. The function is given the benefit of the doubt when a call before the write may take L, "
           "when a caller in the package holds L, when it is named `...Locked`, or when it is unexported and "
           "never called by name. The waiter must be seen holding L (a custom Locker makes the rule silent). "
           "In test files the confidence is low.",
    .bad = "package queue\n\nimport \"sync\"\n\n"
           "type Queue struct {\n\tmu     sync.Mutex\n\tready  *sync.Cond\n\titems  []string\n\tclosed bool\n}\n\n"
           "func New() *Queue {\n\tq := &Queue{}\n\tq.ready = sync.NewCond(&q.mu)\n\treturn q\n}\n\n"
           "// Close sets closed without q.mu: a Get between its check and its Wait\n"
           "// misses the Broadcast and sleeps for good.\n"
           "func (q *Queue) Close() {\n\tq.closed = true\n\tq.ready.Broadcast()\n}\n\n"
           "func (q *Queue) Get() (string, bool) {\n\tq.mu.Lock()\n\tdefer q.mu.Unlock()\n"
           "\tfor len(q.items) == 0 && !q.closed {\n\t\tq.ready.Wait()\n\t}\n"
           "\tif len(q.items) == 0 {\n\t\treturn \"\", false\n\t}\n"
           "\ts := q.items[0]\n\tq.items = q.items[1:]\n\treturn s, true\n}\n",
    .good = "package queue\n\nimport \"sync\"\n\n"
            "type Queue struct {\n\tmu     sync.Mutex\n\tready  *sync.Cond\n\titems  []string\n\tclosed bool\n}\n\n"
            "func New() *Queue {\n\tq := &Queue{}\n\tq.ready = sync.NewCond(&q.mu)\n\treturn q\n}\n\n"
            "func (q *Queue) Close() {\n\tq.mu.Lock()\n\tq.closed = true\n\tq.mu.Unlock()\n\tq.ready.Broadcast()\n}\n\n"
            "func (q *Queue) Get() (string, bool) {\n\tq.mu.Lock()\n\tdefer q.mu.Unlock()\n"
            "\tfor len(q.items) == 0 && !q.closed {\n\t\tq.ready.Wait()\n\t}\n"
            "\tif len(q.items) == 0 {\n\t\treturn \"\", false\n\t}\n"
            "\ts := q.items[0]\n\tq.items = q.items[1:]\n\treturn s, true\n}\n",
    .fix_safety = NULL,
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
