/* rules/cancel_forwarder_ignores_done: GD507. A goroutine started to cancel
 * a context when something else ends (`<-root.Done(); cancel()`) that waits
 * only for that other thing, while the context can end first: its cancel is
 * also deferred, called, returned or stored, or it has a deadline. Once the
 * context ends first, the goroutine has nothing left to do, yet it stays
 * blocked until the other signal comes; for a long-lived parent context or
 * a server's quit channel, that is the life of the process, one goroutine
 * per call (vanadium/core#214, hashicorp/vault#5505).
 * How: go statements of a func literal. In the literal's own body: a call
 * of `cancel` that resolves to the second name of `c, cancel :=
 * context.WithCancel(...)` (or a sibling) declared outside the literal; no
 * loop and no send; every blocking receive (plain, or in a select without
 * default) is from a foreign signal: the Done() of a context that is not c
 * nor assigned from it, or a parameter, receiver-field or package channel
 * that the declaring function neither closes nor sends on. Any other wait
 * (a local channel, time.After, c.Done() itself) keeps the rule silent. */
#include "../model/chan.h"
#include "rule.h"
#include "rulelib.h"

/* The forwarder being examined. */
struct fwd {
    struct pkg *p;
    int fi;
    const struct gofile *f;
    nid lit;         /* the func literal started by go */
    nid scope;       /* the function that declares cancel */
    nid decl;        /* `c, cancel := context.WithCancel(...)` */
    nid call;        /* the context.With... call */
    nid cancel_name; /* the declaring identifier of cancel */
    struct str child; /* c */
    nid waits[8];    /* what the goroutine receives from */
    int nwaits;
};

/* May path x be the child context or one made from it: its root is spelled
 * like c, or an assignment in the declaring function gives a value that
 * mentions c to something rooted like x (`d, _ := context.WithTimeout(c,
 * ...)`, `s.ctx = c`)? */
static bool tied_to_child(const struct fwd *w, nid x)
{
    const struct gofile *f = w->f;
    nid r = rl_path_root(f, x);
    if (!r) return true;
    struct str rn = ast_text(f, r);
    if (str_eqs(rn, w->child)) return true;
    for (nid k = w->scope; k < f->nodes[w->scope].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk != N_ASSIGNMENT_STATEMENT && kk != N_SHORT_VAR_DECLARATION && kk != N_VAR_SPEC) continue;
        bool to_x = false, from_c = false;
        AST_FOR_CHILDREN(f, k, part)
        {
            enum node_field role = (enum node_field)f->nodes[part].field;
            if (role == F_LEFT) {
                AST_FOR_CHILDREN(f, part, e)
                {
                    nid er = rl_path_root(f, e);
                    if (er && str_eqs(ast_text(f, er), rn)) to_x = true;
                }
            } else if (role == F_NAME) {
                if (str_eqs(ast_text(f, part), rn)) to_x = true;
            } else if (role == F_RIGHT || role == F_VALUE) {
                if (rl_mentions(f, part, w->child, false)) from_c = true;
            }
        }
        if (to_x && from_c) return true;
    }
    return false;
}

/* Does the declaring function close path x or send on it (outside the
 * goroutine too: it may end the wait itself)? */
static bool scope_ends(const struct fwd *w, nid x)
{
    const struct gofile *f = w->f;
    for (nid k = w->scope; k < f->nodes[w->scope].end; k++) {
        nid ch = 0;
        if (ast_kind(f, k) == N_SEND_STATEMENT) ch = ast_child(f, k, F_CHANNEL);
        else if (ast_kind(f, k) == N_CALL_EXPRESSION && model_is_builtin_call(w->p, w->fi, k, "close"))
            ch = ast_first_child(f, ast_child(f, k, F_ARGUMENTS));
        if (ch && rl_same_path(w->p, w->fi, ast_unparen(f, ch), x)) return true;
    }
    return false;
}

/* Is x a local context made by a context.With... call whose cancel the
 * declaring function defers (`inner, cancel := context.WithCancel(ctx);
 * defer cancel()`)? It is done when that function returns. */
static bool cancel_deferred(const struct fwd *w, nid x)
{
    const struct gofile *f = w->f;
    nid d, nm;
    if (ast_kind(f, x) != N_IDENTIFIER || !model_resolve_local(w->p, w->fi, x, &d, &nm)) return false;
    nid v = ast_unparen(f, model_decl_value(f, d, nm, NULL));
    if (!v || ast_kind(f, v) != N_CALL_EXPRESSION || !rl_ctx_cancel_call(w->p, w->fi, v)) return false;
    nid st = 0, cancel = rl_second_assigned(f, v, &st);
    if (!cancel || ast_kind(f, cancel) != N_IDENTIFIER) return false;
    for (nid k = w->scope; k < f->nodes[w->scope].end; k++) {
        if (ast_kind(f, k) != N_DEFER_STATEMENT) continue;
        nid c = ast_unparen(f, ast_first_child(f, k));
        if (ast_kind(f, c) == N_CALL_EXPRESSION && rl_same_text(f, ast_child(f, c, F_FUNCTION), cancel)) return true;
    }
    return false;
}

/* Is the receive from e a signal foreign to the child context: something
 * that neither ends with it nor with the declaring function? */
static bool foreign(const struct fwd *w, nid e)
{
    const struct gofile *f = w->f;
    e = ast_unparen(f, e);
    if (ast_kind(f, e) == N_CALL_EXPRESSION) {
        /* x.Done() of a context that is not c */
        nid fn = ast_child(f, e, F_FUNCTION);
        if (ast_kind(f, fn) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, fn, F_FIELD), "Done") ||
            ast_child_count(f, ast_child(f, e, F_ARGUMENTS)) != 0)
            return false;
        nid x = ast_child(f, fn, F_OPERAND);
        return rl_is_path(f, x) && !tied_to_child(w, x) && !cancel_deferred(w, ast_unparen(f, x));
    }
    if (!rl_is_path(f, e) || tied_to_child(w, e) || scope_ends(w, e)) return false;
    /* a parameter (or receiver) channel, a field of one, or a package
     * variable: not a channel the function made and may close */
    nid d, nm;
    if (!model_resolve_local(w->p, w->fi, rl_path_root(f, e), &d, &nm)) return true;
    return ast_kind(f, d) == N_PARAMETER_DECLARATION || ast_kind(f, d) == N_VARIADIC_PARAMETER_DECLARATION;
}

/* Is call k a call of the cancel func of a context.With... declared outside
 * the literal? Fills w's decl, call, cancel_name, child and scope. */
static bool cancel_call(struct fwd *w, nid k)
{
    const struct gofile *f = w->f;
    nid fn = ast_unparen(f, ast_child(f, k, F_FUNCTION));
    nid d, nm;
    if (ast_kind(f, fn) != N_IDENTIFIER || !model_resolve_local(w->p, w->fi, fn, &d, &nm) || ast_contains(f, w->lit, d))
        return false;
    if (ast_kind(f, d) != N_SHORT_VAR_DECLARATION) return false;
    nid left = ast_child(f, d, F_LEFT), right = ast_child(f, d, F_RIGHT);
    if (ast_child_count(f, left) != 2 || ast_child_count(f, right) != 1) return false;
    nid c = ast_first_child(f, left), call = ast_unparen(f, ast_first_child(f, right));
    if (ast_nth_child(f, left, 1) != nm) return false;
    if (ast_kind(f, c) != N_IDENTIFIER || ast_text_is(f, c, "_") || !rl_ctx_cancel_call(w->p, w->fi, call))
        return false;
    w->decl = d;
    w->call = call;
    w->cancel_name = ast_nth_child(f, left, 1);
    w->child = ast_text(f, c);
    w->scope = model_enclosing_func(f, d);
    return w->scope != 0;
}

/* Does the declaring function end only after one of the goroutine's
 * signals: every return of its own is in a select case receiving from one
 * of them, and the end of its body is not reached? Then a deferred cancel
 * never runs before the signal (cilium's hubble PeerManager). */
static bool exits_after_signal(const struct fwd *w)
{
    const struct gofile *f = w->f;
    nid body = ast_child(f, w->scope, F_BODY);
    if (!body || !rl_terminates(w->p, w->fi, body)) return false;
    for (nid k = body; k < f->nodes[body].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (ast_kind(f, k) != N_RETURN_STATEMENT) continue;
        nid cc = ast_ancestor(f, k, N_COMMUNICATION_CASE);
        if (!cc || !ast_contains(f, body, cc)) return false;
        nid comm = ast_child(f, cc, F_COMMUNICATION);
        if (ast_kind(f, comm) == N_RECEIVE_STATEMENT) comm = ast_child(f, comm, F_RIGHT);
        else if (ast_kind(f, comm) == N_EXPRESSION_STATEMENT) comm = ast_first_child(f, comm);
        if (ast_kind(f, comm) != N_UNARY_EXPRESSION || f->nodes[comm].op != OP_ARROW) return false;
        nid e = ast_unparen(f, ast_first_child(f, comm));
        bool same = false;
        for (int i = 0; i < w->nwaits && !same; i++) {
            struct str a = ast_text(f, e), b = ast_text(f, w->waits[i]);
            same = a.n == b.n && !memcmp(a.p, b.p, a.n);
        }
        if (!same) return false;
    }
    return true;
}

/* Can cancel's use k, before the go statement g, run after the goroutine
 * starts: deferred, in a func literal, or in a loop around g? A plain call
 * before g is an early exit (`if err != nil { cancel(); return }`). */
static bool runs_later(const struct fwd *w, nid k, nid g)
{
    const struct gofile *f = w->f;
    for (nid a = ast_parent(f, k); a && a != w->scope; a = ast_parent(f, a)) {
        enum node_kind ak = ast_kind(f, a);
        if (ak == N_DEFER_STATEMENT || ak == N_FUNC_LITERAL) return true;
        if (ak == N_FOR_STATEMENT && ast_contains(f, a, g)) return true;
    }
    return false;
}

/* How else the child context can end, or NULL: its deadline, or a use of
 * its cancel outside the goroutine (sets *at). */
static const char *other_end(const struct fwd *w, const char *with, nid *at)
{
    const struct gofile *f = w->f;
    *at = w->call;
    if (strstr(with, "Timeout") || strstr(with, "Deadline")) return "it has a deadline";
    struct str nm = ast_text(f, w->cancel_name);
    for (nid k = w->scope + 1; k < f->nodes[w->scope].end; k++) {
        if (k == w->lit) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (k == w->cancel_name || ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), nm) ||
            f->nodes[k].start_byte < f->nodes[w->decl].start_byte || rl_ident_is_written(f, k) ||
            rl_ident_is_decl_name(f, k))
            continue;
        nid g = ast_parent(f, ast_parent(f, w->lit));
        if (f->nodes[k].start_byte < f->nodes[g].start_byte && !runs_later(w, k, g)) continue;
        bool deferred = false;
        for (nid a = ast_parent(f, k); a && a != w->scope; a = ast_parent(f, a))
            if (ast_kind(f, a) == N_DEFER_STATEMENT) deferred = true;
        if (deferred && exits_after_signal(w)) continue;
        *at = k;
        for (nid a = ast_parent(f, k); a && a != w->scope; a = ast_parent(f, a)) {
            if (ast_kind(f, a) == N_DEFER_STATEMENT) return "its cancel is also deferred";
            if (ast_kind(f, a) == N_RETURN_STATEMENT) return "its cancel is also returned";
        }
        nid par = ast_parent(f, k);
        if (ast_kind(f, par) == N_CALL_EXPRESSION && f->nodes[k].field == F_FUNCTION)
            return "its cancel is also called";
        return "its cancel is also handed on";
    }
    return NULL;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    nid call = ast_first_child(f, n);
    nid lit = ast_kind(f, call) == N_CALL_EXPRESSION ? ast_unparen(f, ast_child(f, call, F_FUNCTION)) : 0;
    if (ast_kind(f, lit) != N_FUNC_LITERAL || (f->nodes[lit].flags & NF_HAS_ERROR)) return;
    struct fwd w = {.p = ctx->pkg, .fi = ctx->fi, .f = f, .lit = lit};
    nid wait = 0, cancel_at = 0;
    for (nid k = lit + 1; k < f->nodes[lit].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        /* a loop is a worker, not a one-shot forwarder; a send is a wait we do not judge */
        if (kk == N_FOR_STATEMENT || kk == N_SEND_STATEMENT || kk == N_GOTO_STATEMENT) return;
        if (kk == N_CALL_EXPRESSION && !cancel_at && cancel_call(&w, k)) cancel_at = k;
        if (kk != N_UNARY_EXPRESSION || f->nodes[k].op != OP_ARROW) continue;
        uint8_t sel = chan_select_of(f, k);
        if (sel == CHSEL_DEFAULT) continue;
        if (!wait) wait = sel == CHSEL_NONE ? k : ast_ancestor(f, k, N_SELECT_STATEMENT);
    }
    if (!wait || !cancel_at || f->nodes[cancel_at].start_byte < f->nodes[wait].start_byte) return;
    /* every blocking receive is from a foreign signal; collect their texts */
    struct buf what = {0};
    int nwhat = 0;
    bool ok = true;
    for (nid k = lit + 1; ok && k < f->nodes[lit].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (ast_kind(f, k) != N_UNARY_EXPRESSION || f->nodes[k].op != OP_ARROW || chan_select_of(f, k) == CHSEL_DEFAULT)
            continue;
        nid e = ast_first_child(f, k);
        if (!foreign(&w, e)) ok = false;
        if (w.nwaits < (int)GD_ARRAY_LEN(w.waits)) w.waits[w.nwaits++] = ast_unparen(f, e);
        struct str t = ast_text(f, ast_unparen(f, e));
        if (nwhat < 3) buf_printf(&what, "%s%.*s", nwhat ? " or " : "", (int)t.n, t.p);
        nwhat++;
    }
    nid other = 0;
    const char *with = rl_ctx_cancel_call(w.p, w.fi, w.call);
    const char *how = ok ? other_end(&w, with, &other) : NULL;
    if (!how) {
        buf_free(&what);
        return;
    }
    struct str callee = ast_text(f, ast_child(f, w.call, F_FUNCTION)), cn = ast_text(f, w.cancel_name);
    enum confidence conf = rl_is_test_file(f) ? CONF_LOW : ctx->rule->confidence;
    struct finding *fd = rule_report_conf(
        ctx, wait, conf,
        "this goroutine waits only for %s%s before it calls %.*s, never for %.*s.Done(): %s, and when %.*s ends "
        "first the goroutine stays blocked until %s fires",
        what.data, nwhat > 3 ? " (and more)" : "", (int)cn.n, cn.p, (int)w.child.n, w.child.p, how, (int)w.child.n,
        w.child.p, nwhat > 1 ? "one of those" : what.data);
    if (fd) {
        rule_related(ctx, fd, w.call, "%.*s is made by %.*s here", (int)w.child.n, w.child.p, (int)callee.n, callee.p);
        if (other != w.call) rule_related(ctx, fd, other, "%.*s is used here too", (int)cn.n, cn.p);
        fd->fix = xasprintf("wait in a select that also has `case <-%.*s.Done():`", (int)w.child.n, w.child.p);
    }
    buf_free(&what);
}

const struct rule rule_cancel_forwarder_ignores_done = {
    .id = "GD507",
    .name = "cancel-forwarder-ignores-done",
    .severity = SEV_WARNING,
    .confidence = CONF_MEDIUM,
    .summary = "A goroutine that cancels a context when another signal fires does not also stop when that "
               "context ends first.",
    .why = "A common way to tie a context to something else is a goroutine that waits for the other signal and "
           "then cancels: `go func() { <-root.Done(); cancel() }()`. If the context can also end another way "
           "(its cancel is deferred, called or returned to the caller, or it has a deadline), the goroutine "
           "must watch for that too: once the context is done, cancelling it again is pointless, but the "
           "goroutine keeps waiting for the other signal. When that signal is a long-lived parent context or "
           "a server's quit channel, it waits for the life of the process, and the function that starts it "
           "leaks one goroutine per call (vanadium/core#214, hashicorp/vault#5505). godark reports a go "
           "statement of a func literal that calls the cancel of a `context.WithCancel`, `WithTimeout` or "
           "`WithDeadline` (or a `...Cause` variant) made outside it, has no loop and no send, and whose every "
           "blocking receive is from the `Done()` of another context (one not assigned from the child) or "
           "from a parameter, field or package channel the function neither closes nor sends on, never from "
           "the child's own `Done()`. A wait on a local channel, a timer or the child itself keeps it silent, "
           "and so does a cancel used only by the goroutine (the context then lives exactly as long as the "
           "goroutine, a deliberate adapter). Findings in test files are low confidence. The fix is one more "
           "select case, `case <-ctx.Done():`; on Go 1.21 `context.AfterFunc(root, cancel)` does the same "
           "without a goroutine. A wait on a context whose cancel the declaring function defers (`inner, cancel := context.WithCancel(ctx); defer cancel()`) ends with that function, so it counts as the scope ending.",
    .bad = "package rootctx\n\n"
           "import \"context\"\n\n"
           "// WithRoot returns a child of parent that is also cancelled when root is.\n"
           "func WithRoot(parent, root context.Context) (context.Context, context.CancelFunc) {\n"
           "\tctx, cancel := context.WithCancel(parent)\n"
           "\tgo func() {\n"
           "\t\t<-root.Done()\n"
           "\t\tcancel()\n"
           "\t}()\n"
           "\treturn ctx, cancel\n"
           "}\n",
    .good = "package rootctx\n\n"
            "import \"context\"\n\n"
            "// WithRoot returns a child of parent that is also cancelled when root is.\n"
            "func WithRoot(parent, root context.Context) (context.Context, context.CancelFunc) {\n"
            "\tctx, cancel := context.WithCancel(parent)\n"
            "\tgo func() {\n"
            "\t\tselect {\n"
            "\t\tcase <-root.Done():\n"
            "\t\t\tcancel()\n"
            "\t\tcase <-ctx.Done():\n"
            "\t\t}\n"
            "\t}()\n"
            "\treturn ctx, cancel\n"
            "}\n",
    .fix_safety = NULL,
    .kinds = {N_GO_STATEMENT},
    .visit = visit,
};
