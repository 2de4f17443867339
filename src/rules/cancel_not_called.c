/* rules/cancel_not_called: GD504 cancel-not-called. The cancel function of
 * context.WithCancel/WithTimeout/WithDeadline (and the ...Cause variants)
 * discarded with `_`, kept in a local variable that is never used, or
 * stored in a struct field that nothing in the package calls (objects.h),
 * by assignment or through a composite literal `T{f: cancel}`.
 * How: call_expression nodes that model_is_call("context", ...) accepts;
 * the second name on the left of the assignment; every identifier of that
 * name in the declaring function (any read of it counts as a use, so a
 * shadowing variable only makes the rule quieter). Not path-sensitive:
 * go vet's lostcancel finds a cancel that is missed on some paths. */
#include <stdlib.h>

#include "../model/objects.h"
#include "fixlib.h"
#include "rule.h"
#include "rulelib.h"

/* What leaks, in the words of the context package's documentation. */
static const char *consequence(const char *fn)
{
    if (!strcmp(fn, "WithCancel") || !strcmp(fn, "WithCancelCause"))
        return "the child context and its children leak until the parent is cancelled";
    return "the child context, its children and its timer leak until the deadline passes or the parent is "
           "cancelled";
}

/* Has the author acknowledged the leak: a `//nolint` comment (bare, or
 * naming govet or lostcancel, go vet's check of this) on the call's line or
 * the three lines above it? */
static bool nolint_near(const struct gofile *f, nid n)
{
    uint32_t line = f->nodes[n].line;
    for (uint32_t i = 0; i < f->ncomments; i++) {
        const struct comment *c = &f->comments[i];
        if (c->line > line || c->line + 3 < line) continue;
        struct str t = str_make(f->src + c->start_byte, c->end_byte - c->start_byte);
        const char *nl = memmem(t.p, t.n, "nolint", 6);
        if (!nl) continue;
        size_t rest = t.n - (size_t)(nl - t.p);
        if (rest <= 6 || nl[6] != ':' || memmem(nl, rest, "govet", 5) || memmem(nl, rest, "lostcancel", 10))
            return true;
    }
    return false;
}

/* Test files are short-lived processes, and a leak the author marked with
 * //nolint is deliberate: low confidence for both. */
static enum confidence confidence_of(const struct gofile *f, nid n)
{
    return rl_is_test_file(f) || nolint_near(f, n) ? CONF_LOW : CONF_HIGH;
}

enum reads { READ_NONE, READ_BLANK_ONLY, READ_EARLIER_ONLY, READ_USED };

/* Can the value that statement `st` assigns to `name` be read? Any
 * identifier of that name in `scope` counts as a read of it (a shadowing
 * variable only makes us quieter) when it comes after st, is in another
 * function (a closure reads the variable when it runs), or comes before st
 * inside a loop around st. `_ = name` and plain assignments are no reads.
 * A goto makes every read count. */
static enum reads reads_of(const struct gofile *f, nid scope, nid st, nid name)
{
    struct str nm = ast_text(f, name);
    nid st_fn = model_enclosing_func(f, st);
    /* st in a func literal that may run again (a callback: not called where
     * it is written) and the variable declared outside it: a read before st
     * in the literal reads this value on the next run (consul's
     * `cancel(); ctx, cancel = context.WithCancel(ctx)` retry callback) */
    bool reruns = st_fn != scope && ast_kind(f, st_fn) == N_FUNC_LITERAL && !rl_literal_called_in_place(f, st_fn);
    enum reads r = READ_NONE;
    for (nid k = scope + 1; k < f->nodes[scope].end; k++) {
        if (ast_kind(f, k) == N_GOTO_STATEMENT) return READ_USED;
        if (k == name || ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), nm)) continue;
        if (rl_ident_is_written(f, k) || rl_ident_is_decl_name(f, k)) continue;
        if (rl_ident_is_blank_assigned(f, k)) {
            if (r == READ_NONE) r = READ_BLANK_ONLY;
            continue;
        }
        if (model_enclosing_func(f, k) != st_fn || f->nodes[k].start_byte >= f->nodes[st].end_byte) return READ_USED;
        if (reruns) return READ_USED;
        for (nid a = ast_parent(f, st); a && a != scope; a = ast_parent(f, a))
            if (ast_kind(f, a) == N_FOR_STATEMENT && ast_contains(f, a, k)) return READ_USED;
        r = READ_EARLIER_ONLY;
    }
    return r;
}

/* cancel stored in field x.f (class T.f of the object model; sel is the
 * selector x.f, or the key f of `T{f: cancel}`): reported when the field is
 * unexported and nothing in the package ever calls it, hands it on, or sets
 * it from anything but a context constructor. Returns whether it is such a
 * field. */
static bool field_never_called(struct rule_ctx *ctx, nid n, nid sel, struct str callee, const char *fn)
{
    const struct gofile *f = ctx->f;
    const struct obj_use *dead = NULL;
    const struct obj_class *c = rl_idle_cancel_field(ctx->pkg, ctx->fi, sel, &dead);
    if (!c) return false;
    enum confidence conf = confidence_of(f, n) == CONF_LOW ? CONF_LOW : CONF_MEDIUM;
    if (dead) {
        const struct gofile *df = &ctx->pkg->files[dead->fi];
        struct str dn = ast_text(df, ast_child(df, dead->decl, F_NAME));
        struct finding *fd = rule_report_conf(
            ctx, n, conf,
            "the cancel function of %.*s is stored in %s.%.*s, which only %.*s calls, and nothing in the package "
            "calls %.*s: %s",
            (int)callee.n, callee.p, c->type, (int)c->field.n, c->field.p, (int)dn.n, dn.p, (int)dn.n, dn.p,
            consequence(fn));
        if (fd) rule_related_in(ctx, fd, dead->fi, dead->node, "the only call, in %.*s", (int)dn.n, dn.p);
        return true;
    }
    rule_report_conf(ctx, n, conf,
                     "the cancel function of %.*s is stored in %s.%.*s, which nothing in the package ever calls: %s",
                     (int)callee.n, callee.p, c->type, (int)c->field.n, c->field.p, consequence(fn));
    return true;
}

/* Is result type node t one that cannot carry a context out of the
 * function: error or a predeclared number, string or bool? */
static bool plain_result_type(const struct gofile *f, nid t)
{
    static const char *const ok[] = {"error", "bool", "string", "int", "int8", "int16", "int32", "int64", "uint",
                                     "uint8", "uint16", "uint32", "uint64", "uintptr", "byte", "rune", "float32",
                                     "float64"};
    if (ast_kind(f, t) != N_TYPE_IDENTIFIER) return false;
    for (size_t i = 0; i < GD_ARRAY_LEN(ok); i++)
        if (ast_text_is(f, t, ok[i])) return true;
    return false;
}

/* Can the context that statement st of function fn assigns to ctx_id (an
 * identifier, or 0 for `_`) outlive fn? Conservatively yes unless: fn
 * starts no goroutine, has no func literal and no goto, returns nothing
 * but plain values (plain_result_type), and every other mention of the
 * context's name is a call argument, the receiver of a method call
 * (`ctx.Done()`) or a new assignment to it. A callee that keeps the
 * context after it returns is the one case this cannot see. */
static bool ctx_may_outlive(const struct gofile *f, nid fn, nid ctx_id)
{
    nid res = ast_child(f, fn, F_RESULT);
    if (res && ast_kind(f, res) == N_PARAMETER_LIST) {
        AST_FOR_CHILDREN(f, res, pd)
        if (ast_kind(f, pd) != N_PARAMETER_DECLARATION || !plain_result_type(f, ast_child(f, pd, F_TYPE))) return true;
    } else if (res && !plain_result_type(f, res)) {
        return true;
    }
    nid body = ast_child(f, fn, F_BODY);
    if (!body) return true;
    for (nid k = body; k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_GO_STATEMENT || kk == N_FUNC_LITERAL || kk == N_GOTO_STATEMENT) return true;
        if (!ctx_id || k == ctx_id || kk != N_IDENTIFIER || !str_eqs(ast_text(f, k), ast_text(f, ctx_id))) continue;
        if (rl_ident_is_written(f, k) || rl_ident_is_decl_name(f, k)) continue;
        nid up = ast_parent(f, k);
        if (ast_kind(f, up) == N_ARGUMENT_LIST) continue;
        if (ast_kind(f, up) == N_SELECTOR_EXPRESSION && f->nodes[k].field == F_OPERAND &&
            ast_kind(f, ast_parent(f, up)) == N_CALL_EXPRESSION && f->nodes[up].field == F_FUNCTION)
            continue;
        return true;
    }
    return false;
}

/* The safe fix of a cancel function that is lost: `defer cancel()` on a
 * new line right after statement st (`ctx, cancel := context.WithX(...)`
 * or `ctx, cancel = ...`; with `ctx, _ := ...` the `_` becomes `cancel`
 * when no identifier of that name is in the function). Only for
 * WithCancel, WithTimeout and WithDeadline (WithCancelCause's function
 * takes an argument), st alone on its lines in a statement list, not in a
 * loop (each defer would wait for the function's end), and when the
 * context cannot outlive the function (ctx_may_outlive): then cancelling
 * it at return only frees what the leak kept. */
static void attach_fix(struct rule_ctx *ctx, struct finding *fd, const char *fn, nid st, nid cancel)
{
    const struct gofile *f = ctx->f;
    if (!fd || (strcmp(fn, "WithCancel") && strcmp(fn, "WithTimeout") && strcmp(fn, "WithDeadline"))) return;
    enum node_kind sk = ast_kind(f, st);
    if (sk != N_SHORT_VAR_DECLARATION && !(sk == N_ASSIGNMENT_STATEMENT && f->nodes[st].op == OP_ASSIGN)) return;
    nid left = ast_child(f, st, F_LEFT);
    if (ast_child_count(f, left) != 2 || ast_nth_child(f, left, 1) != cancel) return;
    nid ctx_id = ast_first_child(f, left);
    if (ast_kind(f, ctx_id) != N_IDENTIFIER) return;
    if (ast_text_is(f, ctx_id, "_")) ctx_id = 0;
    bool blank = ast_text_is(f, cancel, "_");
    if (blank && sk != N_SHORT_VAR_DECLARATION) return;
    nid fnode = model_enclosing_func(f, st);
    struct str ind;
    if (!fnode || !rule_can_edit(ctx, ctx->fi) || !fx_in_stmt_list(f, st) || !fx_alone(f, st, true) ||
        !fx_indent(f, st, &ind) || rl_enclosing_loop(f, st) || ctx_may_outlive(f, fnode, ctx_id))
        return;
    if (blank && fx_name_used(f, fnode, "cancel")) return;
    /* a context variable of an enclosing function may be used after fn */
    nid cdecl, cname;
    if (ctx_id && (!model_resolve_local(ctx->pkg, ctx->fi, ctx_id, &cdecl, &cname) || !ast_contains(f, fnode, cdecl)))
        return;
    struct str nm = blank ? str_make("cancel", 6) : ast_text(f, cancel);
    char *line = xasprintf("%.*sdefer %.*s()\n", (int)ind.n, ind.p, (int)nm.n, nm.p);
    if (blank) rule_edit(ctx, fd, ctx->fi, f->nodes[cancel].start_byte, f->nodes[cancel].end_byte, "cancel");
    uint32_t at = fx_line_end(f, f->nodes[st].end_byte);
    rule_edit(ctx, fd, ctx->fi, at, at, line);
    free(line);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    const char *fn = rl_ctx_cancel_call(ctx->pkg, ctx->fi, n);
    if (!fn) return;
    struct str callee = ast_text(f, ast_child(f, n, F_FUNCTION));
    /* a nil parent panics: no context is made */
    nid args = ast_child(f, n, F_ARGUMENTS), a0 = ast_first_child(f, args);
    if (ast_kind(f, ast_unparen(f, a0)) == N_NIL) return;
    /* a timeout <= 0: the context is done when made, and holds no timer */
    nid a1 = ast_unparen(f, ast_next(f, a0));
    if (!strncmp(fn, "WithTimeout", 11) && a1 &&
        ((ast_kind(f, a1) == N_INT_LITERAL && ast_text_is(f, a1, "0")) ||
         (ast_kind(f, a1) == N_UNARY_EXPRESSION && f->nodes[a1].op == OP_SUB)))
        return;

    nid par = ast_parent(f, n);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) par = ast_parent(f, par);
    if (ast_kind(f, par) == N_EXPRESSION_STATEMENT) {
        rule_report_conf(ctx, n, confidence_of(f, n), "%.*s's results are discarded, so its cancel function is never called: %s",
                    (int)callee.n, callee.p, consequence(fn));
        return;
    }
    nid st = 0, cancel = rl_second_assigned(f, n, &st);
    if (!cancel) return; /* returned, passed on (f(context.WithCancel(ctx))), ... */
    enum node_kind sk = ast_kind(f, st);
    cancel = ast_unparen(f, cancel);
    if (ast_kind(f, cancel) == N_SELECTOR_EXPRESSION) {
        (void)field_never_called(ctx, n, cancel, callee, fn);
        return;
    }
    if (ast_kind(f, cancel) != N_IDENTIFIER) return; /* stored in a map or slice */
    if (ast_text_is(f, cancel, "_")) {
        struct finding *fd = rule_report_conf(ctx, n, confidence_of(f, n), "the cancel function of %.*s is discarded with _: %s",
                                         (int)callee.n, callee.p, consequence(fn));
        if (fd && sk == N_SHORT_VAR_DECLARATION)
            fd->fix = xasprintf("replace _ with cancel and add `defer cancel()` after this line");
        attach_fix(ctx, fd, fn, st, cancel);
        return;
    }
    nid decl, decl_name;
    if (!model_resolve_local(ctx->pkg, ctx->fi, cancel, &decl, &decl_name)) return; /* a package variable */
    enum node_kind dk = ast_kind(f, decl);
    if (dk == N_PARAMETER_DECLARATION || dk == N_VARIADIC_PARAMETER_DECLARATION) return; /* maybe a result */
    nid scope = model_enclosing_func(f, decl);
    if (!scope || (f->nodes[scope].flags & NF_HAS_ERROR)) return;
    enum reads r = reads_of(f, scope, st, cancel);
    if (r == READ_USED) {
        /* `ctx, cancel := ...; x := &T{f: cancel}` and nothing calls x.f */
        nid key = sk == N_SHORT_VAR_DECLARATION ? rl_literal_key_of(f, scope, decl_name) : 0;
        if (key) field_never_called(ctx, n, key, callee, fn);
        return;
    }
    struct str nm = ast_text(f, cancel);
    const char *how = r == READ_BLANK_ONLY      ? "is only assigned to _"
                      : r == READ_EARLIER_ONLY ? "is never used after this assignment (earlier uses, such as a "
                                                 "defer, took the previous value)"
                                               : "is never called, deferred, returned or stored";
    struct finding *fd = rule_report_conf(ctx, n, confidence_of(f, n), "%.*s from %.*s %s: %s", (int)nm.n, nm.p, (int)callee.n, callee.p, how,
                                     consequence(fn));
    if (fd) fd->fix = xasprintf("defer %.*s()", (int)nm.n, nm.p);
    attach_fix(ctx, fd, fn, st, cancel);
}

const struct rule rule_cancel_not_called = {
    .id = "GD504",
    .name = "cancel-not-called",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "The cancel function of context.WithCancel, WithTimeout or WithDeadline is discarded or never "
               "used.",
    .why = "`context.WithCancel`, `WithTimeout`, `WithDeadline` and their `...Cause` variants return a child "
           "context and the function that cancels it. Until that function is called, the child stays "
           "registered in a cancellable parent (so it cannot be garbage collected while the parent lives), "
           "a `WithTimeout` or `WithDeadline` child keeps its timer until the deadline, and every goroutine "
           "waiting on the child's `Done` keeps waiting. The context package documents that failing to call "
           "the cancel function leaks the child and its children until the parent is cancelled or the timer "
           "fires; `go vet`'s lostcancel check reports it too. godark reports a cancel function discarded "
           "with `_` (or with the whole result) and one kept in a local variable that is never called, "
           "deferred, returned, stored, passed on or mentioned by a func literal anywhere in the function, and "
           "one stored in an unexported struct field (by assignment, or as `T{f: cancel}` of a local used "
           "nowhere else) that nothing in the package ever calls, returns or hands on (medium confidence: "
           "the package model of issue 13, `godark dump-objects`). It "
           "is not path-sensitive: a cancel called on some paths only is GD505's finding. Call it with "
           "`defer cancel()` right after the call, or pass it to whoever ends the work. A cancel assigned "
           "in a callback (a func literal not called where it is written) and called earlier in that "
           "callback counts as used: the next run cancels it. Findings in test files (a short-lived "
           "process) and next to a `//nolint` comment for govet or lostcancel are low confidence. Where the context "
           "cannot outlive the function, the finding carries `defer cancel()` as a safe fix: `godark check "
           "--fix` applies it, `--diff` shows it, SARIF lists it under `fixes`.",
    .bad = "package fetch\n\n"
           "import (\n\t\"context\"\n\t\"net/http\"\n\t\"time\"\n)\n\n"
           "func Get(ctx context.Context, url string) (*http.Response, error) {\n"
           "\tctx, _ = context.WithTimeout(ctx, 5*time.Second)\n"
           "\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)\n"
           "\tif err != nil {\n"
           "\t\treturn nil, err\n"
           "\t}\n"
           "\treturn http.DefaultClient.Do(req)\n"
           "}\n",
    .good = "package fetch\n\n"
            "import (\n\t\"context\"\n\t\"io\"\n\t\"net/http\"\n\t\"time\"\n)\n\n"
            "func Get(ctx context.Context, url string) ([]byte, error) {\n"
            "\tctx, cancel := context.WithTimeout(ctx, 5*time.Second)\n"
            "\tdefer cancel()\n"
            "\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)\n"
            "\tif err != nil {\n"
            "\t\treturn nil, err\n"
            "\t}\n"
            "\tresp, err := http.DefaultClient.Do(req)\n"
            "\tif err != nil {\n"
            "\t\treturn nil, err\n"
            "\t}\n"
            "\tdefer resp.Body.Close()\n"
            "\treturn io.ReadAll(resp.Body)\n"
            "}\n",
    .fix_safety = "The suggested `defer cancel()` cancels the context when the function returns; that is wrong "
                  "only if the context is meant to outlive the function (then hand the cancel function to its "
                  "owner instead). `godark check --fix` adds `defer cancel()` on the line after the call itself "
                  "(a safe fix; `ctx, _ :=` becomes `ctx, cancel :=` when nothing in the function is named cancel) "
                  "only for WithCancel, WithTimeout and WithDeadline, outside any loop, and only when the context "
                  "cannot leave the function: it starts no goroutine, has no func literal and no goto, returns "
                  "nothing but error, bool, string or numbers, and uses the context only as a call argument or "
                  "the receiver of a method call. A callee that keeps the context after it returns would then see "
                  "it cancelled, which is what the context package asks for.",
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
