/* rules/feeder_not_started: GD117. A blocking receive (or range) on a
 * struct field channel in an exported method, whose every send and close
 * runs in a goroutine the package starts only on some paths: after an
 * error check that returns (`if err := s.start(c); err != nil { return err
 * }; go s.wait(c)`) or under a flag (`if conf.AutoCommit { go om.loop() }`).
 * On the other path nothing will ever complete the receive.
 * How: the object model (model/objects.h) lists the class's uses; each
 * feeder's function is followed back through its same-package callers to
 * the go statements that start it, and each of those must be skipped on a
 * path that leaves the object alive. */
#include <string.h>

#include "../model/chan.h"
#include "../model/objects.h"
#include "rule.h"
#include "rulelib.h"

#define MAX_DEPTH 3

/* Why a go statement may be skipped: the if that skips it. */
struct skip {
    int fi;
    nid go;   /* the go statement */
    nid cond; /* the condition: a flag (`conf.AutoCommit`) or `err != nil` */
    bool flag;
};

/* Is local identifier id made fresh in its function (`x := &T{}`, `T{}`,
 * `new(T)`, `make(...)`): an object nobody else holds yet? */
static bool fresh_local(struct pkg *p, int fi, nid id)
{
    const struct gofile *f = &p->files[fi];
    nid decl, name;
    if (!model_resolve_local(p, fi, id, &decl, &name)) return false;
    enum node_kind dk = ast_kind(f, decl);
    if (dk != N_SHORT_VAR_DECLARATION && dk != N_VAR_SPEC) return false;
    nid v = ast_child(f, decl, dk == N_VAR_SPEC ? F_VALUE : F_RIGHT);
    if (!v) return dk == N_VAR_SPEC; /* var x T: a zero value of its own */
    nid e = ast_unparen(f, ast_first_child(f, v));
    if (ast_kind(f, e) == N_UNARY_EXPRESSION && f->nodes[e].op == OP_AND) e = ast_child(f, e, F_OPERAND);
    if (ast_kind(f, e) == N_COMPOSITE_LITERAL) return true;
    return ast_kind(f, e) == N_CALL_EXPRESSION &&
           (model_is_builtin_call(p, fi, e, "new") || model_is_builtin_call(p, fi, e, "make"));
}

/* Is the if statement's condition `err != nil` (any name holding "err")
 * and does its consequence end in a return: a failure that leaves early? */
static bool error_return(const struct gofile *f, nid st)
{
    if (ast_kind(f, st) != N_IF_STATEMENT || ast_child(f, st, F_ALTERNATIVE)) return false;
    nid c = ast_unparen(f, ast_child(f, st, F_CONDITION));
    if (ast_kind(f, c) != N_BINARY_EXPRESSION || f->nodes[c].op != OP_NEQ) return false;
    nid l = ast_child(f, c, F_LEFT), r = ast_child(f, c, F_RIGHT);
    struct str ln = ast_text(f, l);
    if (ast_kind(f, l) != N_IDENTIFIER || !ast_text_is(f, r, "nil") || !memmem(ln.p, ln.n, "rr", 2)) return false;
    nid last = 0;
    for (nid s = rl_first_stmt(f, ast_child(f, st, F_CONSEQUENCE)); s; s = ast_next(f, s)) last = s;
    return last && ast_kind(f, last) == N_RETURN_STATEMENT;
}

/* Is go statement g (file fi) skipped on a path that leaves the objects
 * it works on alive: under an if on a flag (a field, `conf.AutoCommit`),
 * or after an `if err != nil { return }` in its function when the go call's
 * receiver and arguments are not made fresh there (or that return hands
 * them back)? Fills *sk. */
static bool skippable_go(struct pkg *p, int fi, nid g, struct skip *sk)
{
    const struct gofile *f = &p->files[fi];
    nid fn = model_enclosing_func(f, g);
    if (!fn || ast_kind(f, fn) == N_FUNC_LITERAL) return false;
    sk->fi = fi, sk->go = g;
    for (nid a = ast_parent(f, g); a && a != fn; a = ast_parent(f, a)) {
        if (ast_kind(f, a) != N_IF_STATEMENT) continue;
        nid c = ast_unparen(f, ast_child(f, a, F_CONDITION));
        if (ast_kind(f, c) == N_SELECTOR_EXPRESSION && ast_contains(f, ast_child(f, a, F_CONSEQUENCE), g)) {
            sk->cond = c, sk->flag = true;
            return true;
        }
    }
    nid call = ast_first_child(f, g);
    for (nid s = g; s && s != fn; s = ast_parent(f, s)) {
        if (ast_kind(f, ast_parent(f, s)) != N_STATEMENT_LIST) continue;
        for (nid b = rl_first_stmt(f, ast_parent(f, s)); b && b != s; b = ast_next(f, b)) {
            if (!error_return(f, b)) continue;
            /* the objects of the go call must outlive the early return */
            nid ret = 0;
            for (nid x = rl_first_stmt(f, ast_child(f, b, F_CONSEQUENCE)); x; x = ast_next(f, x)) ret = x;
            bool ok = true;
            for (nid k = call; k < f->nodes[call].end && ok; k++) {
                if (ast_kind(f, k) == N_FUNC_LITERAL) return false;
                if (ast_kind(f, k) == N_IDENTIFIER && fresh_local(p, fi, k) && !rl_mentions(f, ret, ast_text(f, k), true))
                    ok = false;
            }
            if (!ok) return false;
            sk->cond = ast_child(f, b, F_CONDITION), sk->flag = false;
            return true;
        }
    }
    return false;
}

/* Does a goroutine started only by skippable go statements run all of
 * function decl (file fi), and no other code call it? Fills *sk with the
 * first such go statement. */
static bool only_skippable(struct pkg *p, int fi, nid decl, int depth, struct skip *sk)
{
    const struct gofile *f = &p->files[fi];
    if (depth > MAX_DEPTH || (ast_kind(f, decl) != N_METHOD_DECLARATION && ast_kind(f, decl) != N_FUNCTION_DECLARATION))
        return false;
    struct str name = ast_text(f, ast_child(f, decl, F_NAME));
    if (!name.n || model_is_exported(name)) return false; /* other packages may call it */
    const char *rt = NULL;
    if (ast_kind(f, decl) == N_METHOD_DECLARATION) {
        int di = pkg_decl_index(p, fi, decl);
        if (di < 0 || !(rt = p->decls[di].recv_type)) return false;
    }
    int calls = 0;
    for (int gi = 0; gi < p->nfiles; gi++) {
        const struct gofile *g = &p->files[gi];
        for (nid k = 1; k < g->nnodes; k++) {
            enum node_kind kk = g->nodes[k].kind;
            if ((kk != N_IDENTIFIER && kk != N_FIELD_IDENTIFIER) || !str_eqs(ast_text(g, k), name)) continue;
            if (gi == fi && k == ast_child(f, decl, F_NAME)) continue;
            nid ref = k;
            if (rt) {
                nid s = ast_parent(g, k);
                if (kk != N_FIELD_IDENTIFIER || ast_kind(g, s) != N_SELECTOR_EXPRESSION) continue;
                const char *tn = ltype_own_name(model_type_of(p, gi, ast_child(g, s, F_OPERAND)));
                if (!tn) return false; /* a call we cannot place */
                if (strcmp(tn, rt)) continue;
                ref = s;
            } else if (kk != N_IDENTIFIER) {
                continue;
            }
            nid call = ast_parent(g, ref);
            if (ast_kind(g, call) != N_CALL_EXPRESSION || ast_child(g, call, F_FUNCTION) != ref) return false;
            calls++;
            struct skip s2;
            if (ast_kind(g, ast_parent(g, call)) == N_GO_STATEMENT) {
                if (!skippable_go(p, gi, ast_parent(g, call), &s2)) return false;
            } else {
                nid lit = ast_ancestor(g, call, N_FUNC_LITERAL);
                if (lit && ast_kind(g, ast_parent(g, lit)) == N_CALL_EXPRESSION &&
                    ast_kind(g, ast_parent(g, ast_parent(g, lit))) == N_GO_STATEMENT) {
                    if (!skippable_go(p, gi, ast_parent(g, ast_parent(g, lit)), &s2)) return false;
                } else {
                    nid d2 = model_enclosing_decl(g, call);
                    if (!d2) return false;
                    if (gi == fi && d2 == decl) continue; /* recursion */
                    if (!only_skippable(p, gi, d2, depth + 1, &s2)) return false;
                }
            }
            if (calls == 1) *sk = s2;
        }
    }
    return calls > 0;
}

/* Is feeder use w started only by skippable go statements? */
static bool feeder_skippable(struct pkg *p, const struct obj_use *w, struct skip *sk)
{
    if (w->ctx & OCTX_GO_LITERAL) {
        int gfi;
        nid g = objects_spawn_site(p, w->fi, w->node, &gfi);
        return g && skippable_go(p, gfi, g, sk);
    }
    if (!(w->ctx & (OCTX_GO_METHOD | OCTX_GO_CALLEE)) || w->fn != w->decl) return false;
    return only_skippable(p, w->fi, w->decl, 0, sk);
}

/* Does the waiting function guard itself with the condition that skips
 * the feeder: an if before the wait naming the flag's field, or a field
 * the spawning function sets once past the error check? */
static bool guarded(struct pkg *p, const struct gofile *f, const struct obj_use *u, const struct skip *sk)
{
    const struct gofile *sf = &p->files[sk->fi];
    struct str names[16];
    int n = 0;
    if (sk->flag) {
        names[n++] = ast_text(sf, ast_child(sf, sk->cond, F_FIELD));
    } else {
        /* `x.started = true` in the spawning function */
        nid fn = model_enclosing_func(sf, sk->go);
        for (nid k = fn; k < sf->nodes[fn].end && n < 16; k++) {
            if (ast_kind(sf, k) != N_ASSIGNMENT_STATEMENT) continue;
            nid l = ast_first_child(sf, ast_child(sf, k, F_LEFT));
            if (ast_kind(sf, l) == N_SELECTOR_EXPRESSION) names[n++] = ast_text(sf, ast_child(sf, l, F_FIELD));
        }
    }
    for (nid k = u->decl; k < u->node; k++) {
        nid c = 0;
        if (ast_kind(f, k) == N_IF_STATEMENT) c = ast_child(f, k, F_CONDITION);
        else if (ast_kind(f, k) == N_EXPRESSION_SWITCH_STATEMENT) c = ast_child(f, k, F_VALUE);
        for (int i = 0; c && i < n; i++)
            if (rl_mentions(f, c, names[i], true)) return true;
    }
    return false;
}

/* Is w in the function of some send or close of class c? */
static bool in_a_feeder(const struct obj_class *c, const struct obj_use *w)
{
    for (int i = 0; i < c->nuses; i++) {
        const struct obj_use *x = &c->uses[i];
        if ((x->op == OO_SEND || x->op == OO_CLOSE) && x->fi == w->fi && x->decl == w->decl) return true;
    }
    return false;
}

/* Does the waiting function hand the feeder its request first, over an
 * unbuffered field channel that only a feeder's function receives from
 * (`select { case v.reqs <- r: case <-v.quit: return }; return <-r.resp`,
 * lnd's chain views)? Past that send the feeder is running and has the
 * request: the wait is answered. */
static bool handed_off(struct pkg *p, const struct gofile *f, const struct obj_use *u, const struct obj_class *c)
{
    const struct obj_model *m = objects_of(p);
    for (nid k = u->fn; k < u->node; k++) {
        if (ast_kind(f, k) != N_SEND_STATEMENT) continue;
        nid ch = ast_unparen(f, ast_child(f, k, F_CHANNEL));
        if (ast_kind(f, ch) != N_SELECTOR_EXPRESSION) continue;
        const struct obj_class *q = objects_class_at(m, u->fi, ch);
        if (!q || q->open || q->buf != 0) continue;
        int recvs = 0;
        bool only_feeder = true;
        for (int j = 0; j < q->nuses && only_feeder; j++) {
            const struct obj_use *w = &q->uses[j];
            if (w->op != OO_RECV && w->op != OO_RANGE) continue;
            recvs++;
            only_feeder = in_a_feeder(c, w);
        }
        if (recvs && only_feeder) return true;
    }
    return false;
}

static void check_class(struct rule_ctx *ctx, const struct obj_class *c)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    for (int i = 0; i < c->nuses; i++) {
        const struct obj_use *u = &c->uses[i];
        bool plain = obj_use_blocks(u);
        if (u->fi != ctx->fi || !u->decl || u->fn != u->decl || !(u->ctx & OCTX_EXPORTED) || (u->ctx & OCTX_TEST))
            continue;
        if (!((u->op == OO_RECV && plain) || u->op == OO_RANGE)) continue;
        struct skip sk = {0};
        const struct obj_use *feeder = NULL;
        bool ok = true;
        for (int j = 0; j < c->nuses && ok; j++) {
            const struct obj_use *w = &c->uses[j];
            if (w->op != OO_SEND && w->op != OO_CLOSE) continue;
            /* in the waiting function, after the wait: it cannot complete it */
            if (w->fi == u->fi && w->decl == u->decl && w->node > u->node && !rl_enclosing_loop(f, u->node)) continue;
            struct skip s2;
            if (!feeder_skippable(p, w, &s2)) ok = false;
            else if (!feeder) feeder = w, sk = s2;
        }
        if (!ok || !feeder || guarded(p, f, u, &sk) || handed_off(p, f, u, c)) continue;
        const struct gofile *sf = &p->files[sk.fi];
        struct str cond = ast_text(sf, sk.cond), x = ast_text(f, u->node);
        struct str spawner = ast_text(sf, ast_child(sf, model_enclosing_decl(sf, sk.go), F_NAME));
        nid o = ast_parent(f, u->node);
        struct finding *fd = rule_report(
            ctx, u->op == OO_RANGE ? ast_parent(f, o) : o,
            "the %s %.*s blocks forever when %.*s %s: only a goroutine it starts at %s%s%u %s %s.%.*s",
            u->op == OO_RANGE ? "range over" : "receive from", (int)x.n, x.p, (int)spawner.n, spawner.p,
            sk.flag ? arena_printf(&p->arena, "runs with `%.*s` false", (int)cond.n, cond.p)
                    : arena_printf(&p->arena, "returns early on `%.*s`", (int)cond.n, cond.p),
            sk.fi == ctx->fi ? "" : sf->path, sk.fi == ctx->fi ? "line " : ":", sf->nodes[sk.go].line,
            feeder->op == OO_CLOSE ? "closes" : "sends on", c->type, (int)c->field.n, c->field.p);
        if (!fd) continue;
        const struct gofile *ff = &p->files[feeder->fi];
        rule_related_in(ctx, fd, feeder->fi, feeder->op == OO_CLOSE ? ast_parent(ff, ast_parent(ff, feeder->node)) : ast_parent(ff, feeder->node),
                        "%s here", feeder->op == OO_CLOSE ? "it closes" : "it sends");
        rule_related_in(ctx, fd, sk.fi, sk.go, "the goroutine is started here, only when the condition allows");
        rule_related_in(ctx, fd, sk.fi, sk.cond, "the condition that skips it");
        fd->fix = xasprintf("on the path that does not start the goroutine, %s %s.%.*s too (or have the wait give up)",
                            u->op == OO_RANGE ? "close" : "send on or close", c->type, (int)c->field.n, c->field.p);
    }
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    rl_each_private_class(ctx, OBJ_CHAN, check_class);
}

const struct rule rule_feeder_not_started = {
    .id = "GD117",
    .name = "feeder-not-started",
    .severity = SEV_WARNING,
    .confidence = CONF_LOW,
    .summary = "A blocking receive (or range) on a struct field channel whose every send and close runs in a "
               "goroutine started only on some paths (after an error check that returns, or under a flag): on "
               "the other path it blocks forever.",
    .why = "A service often answers a `Wait` or `Close` from a goroutine that another method starts: `Start` "
           "launches the goroutine that will send the exit status, a constructor starts the loop that closes "
           "the error channels. When that go statement is skipped (`Start` returns early because starting "
           "failed, the constructor runs with the feature turned off), the object lives on, but nothing will "
           "ever send on its channel or close it, and the `Wait` or `Close` that receives from it blocks "
           "forever. The fix is to complete the channel on the other path too (send a status, close it), or "
           "to let the wait give up. "
           "godark follows the field with the object model: the channel must be unexported and never handed "
           "on; every send and close of it (other than one after the wait in the waiting method) must run in a "
           "goroutine whose function the package calls only through go statements (directly or through "
           "unexported same-package callers), and each of those go statements must be skippable: inside an "
           "`if` on a field (`if conf.AutoCommit { go m.loop() }`), or after an `if err != nil { ... return }` "
           "in its function when the objects the goroutine works on were not made there (a constructor that "
           "fails before it hands its object out strands nobody). The wait must be in an exported method (an "
           "entry point its callers use whether or not the goroutine runs) and must not check the flag, or a "
           "field the starting function sets, before it waits, and must not hand the request to the goroutine "
           "first over an unbuffered field channel that only a feeder receives from (past that send the feeder "
           "runs and has the request). An early return that is not on an error "
           "(`if s.running { return }`) is not a skip: the goroutine is already running. For now every "
           "finding is low confidence: on modules godark had not been tuned on, none of 4 held (a start that "
           "cannot fail in fact, a wallet never used after its start failed), and whether the object outlives "
           "the failed start is rarely visible.",
    .bad = "package svc\n\ntype Task struct {\n\texitCh chan int\n}\n\n"
           "type Service struct {\n\ttasks map[string]*Task\n\tstart func(*Task) error\n}\n\n"
           "func (s *Service) Create(id string) { s.tasks[id] = &Task{exitCh: make(chan int, 1)} }\n\n"
           "func (s *Service) Start(id string) error {\n\tt := s.tasks[id]\n"
           "\tif err := s.start(t); err != nil {\n\t\treturn err\n\t}\n\tgo s.wait(t)\n\treturn nil\n}\n\n"
           "func (s *Service) wait(t *Task) { t.exitCh <- 0 }\n\n"
           "// Wait blocks forever when Start failed.\n"
           "func (s *Service) Wait(id string) int { return <-s.tasks[id].exitCh }\n",
    .good = "package svc\n\ntype Task struct {\n\texitCh chan int\n}\n\n"
            "type Service struct {\n\ttasks map[string]*Task\n\tstart func(*Task) error\n}\n\n"
            "func (s *Service) Create(id string) { s.tasks[id] = &Task{exitCh: make(chan int, 1)} }\n\n"
            "func (s *Service) Start(id string) error {\n\tt := s.tasks[id]\n"
            "\tif err := s.start(t); err != nil {\n\t\tt.exitCh <- 255 // Wait returns a failure status\n"
            "\t\treturn err\n\t}\n\tgo s.wait(t)\n\treturn nil\n}\n\n"
            "func (s *Service) wait(t *Task) { t.exitCh <- 0 }\n\n"
            "func (s *Service) Wait(id string) int { return <-s.tasks[id].exitCh }\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
