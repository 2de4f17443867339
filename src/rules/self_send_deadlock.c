/* rules/self_send_deadlock: GD110 self-send-deadlock. The only goroutine
 * that receives from an unbuffered field channel sends on it itself: the
 * send waits for a receiver that is the sender, and blocks forever.
 * How: from the object model (model/objects.h), a class T.f of an
 * unexported, never handed-on channel field whose makes are all
 * unbuffered, and whose receives (and ranges) all sit in one method F of
 * T on F's own receiver (`<-s.done`), F being started by at most one go
 * statement outside any loop (one goroutine per value), or in one func
 * literal started by go outside loops, on one variable it captures. Each
 * plain send on `s.f` in F, or call `s.M()` of a method of T that does one
 * (followed a few calls deep, on the same receiver), is reported: the
 * send runs in the one goroutine that could receive it. */
#include <string.h>

#include "../model/chan.h"
#include "../model/objects.h"
#include "../model/summary.h"
#include "rule.h"
#include "rulelib.h"

enum { MAX_DEPTH = 4 };

/* Is e (an expression of file fi) the receiver `recv` (its name node)? */
static bool is_receiver(struct pkg *p, int fi, nid e, nid recv)
{
    const struct gofile *f = &p->files[fi];
    e = ast_unparen(f, e);
    nid decl, name;
    return recv && ast_kind(f, e) == N_IDENTIFIER && model_resolve_local(p, fi, e, &decl, &name) && name == recv;
}

/* Is selector sel `r.<field>` with r the receiver `recv`? */
static bool receiver_field(struct pkg *p, int fi, nid sel, nid recv, struct str field)
{
    const struct gofile *f = &p->files[fi];
    sel = ast_unparen(f, sel);
    return ast_kind(f, sel) == N_SELECTOR_EXPRESSION && str_eqs(ast_text(f, ast_child(f, sel, F_FIELD)), field) && is_receiver(p, fi, ast_child(f, sel, F_OPERAND), recv);
}

struct send_site {
    int fi;
    nid send;   /* the send statement */
    int decl;   /* the method holding it */
};

/* A plain send on the receiver's field `field` that method decl d runs in
 * its own goroutine: in its body (not in func literals or go statements),
 * or in a method of type T it calls on the same receiver, up to depth
 * calls deep. *at gets the node of d's body that leads to it (the send, or
 * the call); false when none. */
static bool self_send_in(struct pkg *p, int d, const char *type, struct str field, int depth, nid *at,
                         struct send_site *out)
{
    const struct pkg_decl *pd = &p->decls[d];
    if (pd->what != PD_METHOD || !pd->recv_type || strcmp(pd->recv_type, type)) return false;
    const struct gofile *f = &p->files[pd->file];
    nid recv = rl_receiver_name(f, pd->node), body = ast_child(f, pd->node, F_BODY);
    if (!recv || !body) return false;
    for (nid k = body; k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL || kk == N_GO_STATEMENT) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk == N_SEND_STATEMENT) {
            if (!receiver_field(p, pd->file, ast_child(f, k, F_CHANNEL), recv, field)) continue;
            uint8_t sel = chan_select_of(f, k);
            if (sel != CHSEL_NONE && sel != CHSEL_ALONE) continue;
            *at = k;
            out->fi = pd->file;
            out->send = k;
            out->decl = d;
            return true;
        }
        if (kk != N_CALL_EXPRESSION || depth >= MAX_DEPTH) continue;
        nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
        if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION || !is_receiver(p, pd->file, ast_child(f, fe, F_OPERAND), recv)) continue;
        int callee = model_callee(p, pd->file, k);
        nid sub;
        if (callee >= 0 && callee != d && self_send_in(p, callee, type, field, depth + 1, &sub, out)) {
            *at = k;
            return true;
        }
    }
    return false;
}

/* Is call k (of file fi) run by a goroutine of its own: under a go
 * statement, or in a func literal started by one? The go statement, or 0. */
static nid go_of_call(const struct gofile *f, nid k)
{
    if (ast_kind(f, ast_parent(f, k)) == N_GO_STATEMENT) return ast_parent(f, k);
    for (nid fn = model_enclosing_func(f, k); fn && ast_kind(f, fn) == N_FUNC_LITERAL;
         fn = model_enclosing_func(f, ast_parent(f, fn))) {
        nid call = ast_parent(f, fn);
        if (ast_kind(f, call) == N_CALL_EXPRESSION && ast_kind(f, ast_parent(f, call)) == N_GO_STATEMENT)
            return ast_parent(f, call);
    }
    return 0;
}

/* Does method decl d run in one goroutine per value: started by at most
 * one go statement of the package, and that one outside any loop? *ngo
 * gets the number of go statements that start it. */
static bool started_once(struct pkg *p, int d, int *ngo_out)
{
    int ngo = 0;
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            if (ast_kind(f, k) != N_CALL_EXPRESSION || model_callee(p, fi, k) != d) continue;
            nid g = go_of_call(f, k);
            if (!g) continue;
            if (++ngo > 1 || chan_enclosing_loop(f, g) || rl_enclosing_loop(f, g)) return false;
        }
    }
    *ngo_out = ngo;
    return true;
}

/* Is a value of type T (or *T) handed to a function of another package
 * (`grpc.RegisterXServer(srv, t)`, `http.Handle("/", t)`)? Its methods may
 * then be called by code we do not see, in as many goroutines as it likes
 * (a handler per request or stream). */
static bool handed_to_foreign(struct pkg *p, const char *type)
{
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            if (ast_kind(f, k) != N_CALL_EXPRESSION || model_callee(p, fi, k) >= 0) continue;
            AST_FOR_CHILDREN(f, ast_child(f, k, F_ARGUMENTS), a)
            {
                const char *tn = ltype_own_name(model_type_of(p, fi, a));
                if (tn && !strcmp(tn, type)) return true;
            }
        }
    }
    return false;
}

static void check_class(struct rule_ctx *ctx, const struct obj_class *c)
{
    if (c->buf != 0) return; /* unbuffered only */
    struct pkg *p = ctx->pkg;
    /* every receive in one function: a method, on its own receiver, or a
     * func literal started by go, on one variable it captures */
    int rfi = -1;
    nid rfn = 0, root = 0;
    for (int k = 0; k < c->nuses; k++) {
        const struct obj_use *u = &c->uses[k];
        if (u->op == OO_GET) return; /* handed out: others may receive */
        if (u->op != OO_RECV && u->op != OO_RANGE) continue;
        if (rfi >= 0 && (rfi != u->fi || rfn != u->fn)) return;
        const struct gofile *f = &p->files[u->fi];
        nid x = ast_unparen(f, ast_child(f, u->node, F_OPERAND)), decl, name;
        if (u->fn == u->decl) {
            name = rl_receiver_name(f, u->decl);
            if (!name || !is_receiver(p, u->fi, x, name)) return;
        } else {
            /* a variable declared outside the literal */
            if (ast_kind(f, x) != N_IDENTIFIER || !model_resolve_local(p, u->fi, x, &decl, &name) ||
                ast_contains(f, u->fn, name))
                return;
        }
        if (root && root != name) return;
        rfi = u->fi;
        rfn = u->fn;
        root = name;
    }
    if (rfi != ctx->fi) return;
    const struct gofile *f = ctx->f;
    enum confidence conf = rl_is_test_file(f) ? CONF_LOW : CONF_MEDIUM;
    int d = -1;
    const char *fname;
    if (ast_kind(f, rfn) == N_FUNC_LITERAL) {
        /* started by a go statement outside any loop: one goroutine */
        nid call = ast_parent(f, rfn), g = ast_parent(f, call);
        if (ast_kind(f, call) != N_CALL_EXPRESSION || ast_kind(f, g) != N_GO_STATEMENT || rl_enclosing_loop(f, g))
            return;
        fname = arena_printf(&p->arena, "started at line %u", f->nodes[g].line);
    } else {
        d = pkg_decl_index(p, rfi, rfn);
        int ngo = 0;
        if (d < 0 || !started_once(p, d, &ngo)) return;
        /* not started by the package: whoever calls it may run it in
         * several goroutines at once when the value is handed to other
         * packages (a handler per stream); a test fake is often one */
        if (!ngo && handed_to_foreign(p, c->type)) conf = CONF_LOW;
        fname = p->decls[d].name;
    }
    nid recv = root, body = ast_child(f, rfn, F_BODY);
    /* each statement of F's own goroutine that leads to a self-send: walk
     * F's body, reporting each direct send or call of a sending method */
    for (nid k = body; k && k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL || kk == N_GO_STATEMENT) {
            k = f->nodes[k].end - 1;
            continue;
        }
        struct send_site s;
        nid at = 0;
        if (kk == N_SEND_STATEMENT) {
            if (!receiver_field(p, rfi, ast_child(f, k, F_CHANNEL), recv, c->field)) continue;
            uint8_t sel = chan_select_of(f, k);
            if (sel != CHSEL_NONE && sel != CHSEL_ALONE) continue;
            struct str x = ast_text(f, ast_child(f, k, F_CHANNEL));
            struct finding *fd = rule_report_conf(ctx, k, conf,
                                             "this send on %.*s blocks forever: the channel is unbuffered and "
                                             "its only receiver is this goroutine (%s)",
                                             (int)x.n, x.p, fname);
            if (fd) fd->fix = xasprintf("hand the value on without waiting for yourself (a buffered channel, a select "
                                        "with default, or handle it in place)");
            continue;
        }
        if (kk != N_CALL_EXPRESSION) continue;
        nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
        if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION || !is_receiver(p, rfi, ast_child(f, fe, F_OPERAND), recv)) continue;
        int callee = model_callee(p, rfi, k);
        if (callee < 0 || callee == d || !self_send_in(p, callee, c->type, c->field, 1, &at, &s)) continue;
        const struct gofile *sf = &p->files[s.fi];
        struct str call = ast_text(f, k), ch = ast_text(sf, ast_child(sf, s.send, F_CHANNEL));
        if (call.n > 60) call.n = 60;
        struct finding *fd = rule_report_conf(ctx, k, conf,
                                         "%.*s sends on %.*s (%s, line %u), which is unbuffered and received only by "
                                         "this goroutine (%s): the send blocks forever",
                                         (int)call.n, call.p, (int)ch.n, ch.p, p->decls[s.decl].name,
                                         sf->nodes[s.send].line, fname);
        if (fd) {
            rule_related_in(ctx, fd, s.fi, s.send, "the send that waits for %s itself", fname);
            fd->fix = xasprintf("do not call it from %s (return instead), or make the send a select with a default "
                                "case",
                                fname);
        }
    }
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    rl_each_private_class(ctx, OBJ_CHAN, check_class);
}

const struct rule rule_self_send_deadlock = {
    .id = "GD110",
    .name = "self-send-deadlock",
    .severity = SEV_ERROR,
    .confidence = CONF_MEDIUM,
    .summary = "The only goroutine that receives from an unbuffered channel field sends on it itself (directly or "
               "through a method it calls): the send waits for itself forever.",
    .why = "A send on an unbuffered channel completes only when another goroutine receives. When every receive of "
           "a channel field `T.f` is in one method — the loop a constructor starts with `go s.loop()`, or a "
           "`Start` method — and that same method sends on `s.f`, or calls a method of `s` that does (`case "
           "<-s.done: s.Stop()` where `Stop` does `s.done <- struct{}{}`), the send waits for a receiver that "
           "is the goroutine doing the send. It blocks forever: the loop stops serving, everything waiting on it "
           "hangs, and the goroutine leaks. godark follows the field across the package with the object model: "
           "the field must be unexported, never handed on (no getter, no escape), every `make` of it unbuffered, "
           "and every receive or range of it in one method, on that method's own receiver, or in one func "
           "literal, on one variable it captures; the method must be started by at most one go statement, and "
           "the literal by a go statement, outside any loop (several workers sharing a queue can take a job "
           "back from each other). Plain sends count, and a select with a single case; a select with a "
           "default or another case does not. Calls are followed on the same receiver through methods of the "
           "package, a few calls deep; a call in a go statement or a func literal runs elsewhere and does not "
           "count. When nothing in the package starts the method and a value of the type is handed to another "
           "package (a gRPC or HTTP handler, which runs once per stream or request, concurrently), or in test "
           "files, the confidence is low.",
    .bad = "package stats\n\nimport \"time\"\n\n"
           "type Viewer struct {\n\tdone chan struct{}\n}\n\n"
           "func New() *Viewer { return &Viewer{done: make(chan struct{})} }\n\n"
           "// Start runs until Stop is called.\n"
           "func (v *Viewer) Start() {\n\tt := time.NewTicker(time.Second)\n\tdefer t.Stop()\n\tfor {\n\t\tselect {\n"
           "\t\tcase <-t.C:\n\t\t\tcollect()\n\t\tcase <-v.done:\n"
           "\t\t\tv.Stop() // sends on v.done, which only this goroutine receives\n\t\t\treturn\n\t\t}\n\t}\n}\n\n"
           "func (v *Viewer) Stop() { v.done <- struct{}{} }\n\n"
           "func collect() {}\n",
    .good = "package stats\n\nimport \"time\"\n\n"
            "type Viewer struct {\n\tdone chan struct{}\n}\n\n"
            "func New() *Viewer { return &Viewer{done: make(chan struct{})} }\n\n"
            "// Start runs until Stop is called.\n"
            "func (v *Viewer) Start() {\n\tt := time.NewTicker(time.Second)\n\tdefer t.Stop()\n\tfor {\n\t\tselect {\n"
            "\t\tcase <-t.C:\n\t\t\tcollect()\n\t\tcase <-v.done:\n\t\t\treturn\n\t\t}\n\t}\n}\n\n"
            "func (v *Viewer) Stop() { v.done <- struct{}{} }\n\n"
            "func collect() {}\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
