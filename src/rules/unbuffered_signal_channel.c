/* rules/unbuffered_signal_channel: GD205 unbuffered-signal-channel
 * (staticcheck SA1017, go vet sigchanyzer). signal.Notify never blocks
 * when it delivers a signal, so on an unbuffered channel a signal that
 * arrives while nobody waits in a receive is lost.
 * How: calls of os/signal.Notify (through aliases, dot-imports, and a local
 * holding signal.Notify); the channel argument is a local, a package
 * variable or a field (`s.sigs`) every value of which, in the function or
 * the package, is a `make(chan T)` without a buffer. Any other value (a
 * buffered make, a parameter, a call) keeps the rule silent. */
#include <string.h>

#include "../model/chan.h"
#include "rulelib.h"

enum { V_NONE, V_UNBUF, V_OTHER };

/* What expression e is as a channel value: an unbuffered make (no size, or
 * the constant 0), or anything else. */
static int value_kind(const struct pkg *p, int fi, nid e)
{
    const struct gofile *f = &p->files[fi];
    e = ast_unparen(f, e);
    if (!chan_is_make(p, fi, e)) return V_OTHER;
    nid args = ast_child(f, e, F_ARGUMENTS);
    unsigned n = ast_child_count(f, args);
    if (n == 1) return V_UNBUF;
    nid sz = ast_unparen(f, ast_nth_child(f, args, 1));
    return n == 2 && ast_kind(f, sz) == N_INT_LITERAL && ast_text_is(f, sz, "0") ? V_UNBUF : V_OTHER;
}

static int join(int a, int b) { return a == V_NONE ? b : b == V_NONE ? a : a == b ? a : V_OTHER; }

/* The value an assignment gives target t (an expression on its left side),
 * paired by position; 0 when not an `=` / `:=` or the sides differ in
 * count (`a, b = f()`). */
static nid assigned_value(const struct gofile *f, nid t)
{
    nid list = ast_parent(f, t);
    if (ast_kind(f, list) != N_EXPRESSION_LIST || f->nodes[list].field != F_LEFT) return 0;
    nid st = ast_parent(f, list);
    if (ast_kind(f, st) == N_ASSIGNMENT_STATEMENT && f->nodes[st].op != OP_ASSIGN) return 0;
    if (ast_kind(f, st) != N_ASSIGNMENT_STATEMENT && ast_kind(f, st) != N_SHORT_VAR_DECLARATION) return 0;
    nid right = ast_child(f, st, F_RIGHT);
    if (ast_child_count(f, right) != ast_child_count(f, list)) return 0;
    unsigned i = 0;
    AST_FOR_CHILDREN(f, list, c)
    {
        if (c == t) return ast_nth_child(f, right, i);
        i++;
    }
    return 0;
}

/* Is identifier k written other than by assignment: its address taken, a
 * range or receive target? (Then its values are unknown.) */
static bool written_oddly(const struct gofile *f, nid k)
{
    nid par = ast_parent(f, k);
    if (ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND) return true;
    return rl_ident_is_written(f, k) && !assigned_value(f, k) && ast_kind(f, ast_parent(f, par)) != N_VAR_SPEC;
}

/* The values of local variable id (its declaration and every assignment in
 * the function that declares it). */
static int local_values(struct rule_ctx *ctx, nid id)
{
    const struct gofile *f = ctx->f;
    nid decl, name;
    if (!model_resolve_local(ctx->pkg, ctx->fi, id, &decl, &name)) return V_NONE;
    enum node_kind dk = ast_kind(f, decl);
    if (dk != N_SHORT_VAR_DECLARATION && dk != N_VAR_SPEC) return V_OTHER; /* a parameter, a range value */
    nid m = chan_make_of_local(ctx->pkg, ctx->fi, name);
    int v = m ? value_kind(ctx->pkg, ctx->fi, m) : V_OTHER;
    nid fn = model_enclosing_decl(f, name);
    if (!fn) return V_OTHER;
    struct str nm = ast_text(f, name);
    for (nid k = fn + 1; k < f->nodes[fn].end && v == V_UNBUF; k++) {
        if (k == name || ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), nm)) continue;
        nid d2, n2;
        if (!model_resolve_local(ctx->pkg, ctx->fi, k, &d2, &n2) || n2 != name) continue;
        if (written_oddly(f, k)) return V_OTHER;
        nid val = assigned_value(f, k);
        if (val) v = join(v, value_kind(ctx->pkg, ctx->fi, val));
    }
    return v;
}

/* The value var spec vs gives its name `name`, or 0. */
static nid spec_value(const struct gofile *f, nid vs, nid name)
{
    bool bare;
    return model_decl_value(f, vs, name, &bare);
}

/* The values of package variable `name` (declaration and every assignment
 * in the package to that name where it is not a local). */
static int pkgvar_values(struct rule_ctx *ctx, struct str name)
{
    const struct pkg *p = ctx->pkg;
    if (pkg_decl_count(p, name, PD_VAR) != 1) return V_OTHER;
    const struct pkg_decl *d = pkg_lookup(p, name, PD_VAR);
    const struct gofile *df = &p->files[d->file];
    nid val = spec_value(df, d->node, d->name_node);
    int v = val ? value_kind(p, d->file, val) : V_OTHER;
    for (int fi = 0; fi < p->nfiles && v == V_UNBUF; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes && v == V_UNBUF; k++) {
            if (ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), name)) continue;
            if (fi == d->file && k == d->name_node) continue;
            nid d2, n2;
            if (model_resolve_local(p, fi, k, &d2, &n2)) continue;
            if (written_oddly(f, k)) return V_OTHER;
            nid a = assigned_value(f, k);
            if (a) v = join(v, value_kind(p, fi, a));
        }
    }
    return v;
}

/* The values of field `fld` of the package's struct type `tname`: every
 * assignment `x.fld = v` with x of that type and every keyed `fld: v` in a
 * literal of that type, across the package. */
static int field_values(struct rule_ctx *ctx, const char *tname, struct str fld)
{
    struct pkg *p = ctx->pkg;
    int v = V_NONE;
    for (int fi = 0; fi < p->nfiles && v != V_OTHER; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes && v != V_OTHER; k++) {
            enum node_kind kk = ast_kind(f, k);
            if (kk == N_FIELD_IDENTIFIER && str_eqs(ast_text(f, k), fld) && f->nodes[k].field == F_FIELD) {
                nid sel = ast_parent(f, k);
                if (ast_kind(f, sel) != N_SELECTOR_EXPRESSION) continue;
                nid par = ast_parent(f, sel);
                bool addr = ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND;
                nid a = assigned_value(f, sel);
                if (!a && !addr && !model_is_write_access(f, sel)) continue;
                struct ltype *t = model_type_of(p, fi, ast_child(f, sel, F_OPERAND));
                const char *own = ltype_own_name(t);
                if (!t) return V_OTHER; /* may be ours */
                if (!own || strcmp(own, tname)) continue;
                if (!a) return V_OTHER;
                v = join(v, value_kind(p, fi, a));
            } else if (kk == N_COMPOSITE_LITERAL) {
                /* T{make(chan os.Signal, 1), ...}: a positional value we do not pair */
                nid body = ast_child(f, k, F_BODY);
                bool positional = false;
                AST_FOR_CHILDREN(f, body, el) if (ast_kind(f, el) == N_LITERAL_ELEMENT) positional = true;
                if (!positional) continue;
                const char *own = ltype_own_name(model_type_of(p, fi, k));
                if (own && !strcmp(own, tname)) return V_OTHER;
            } else if (kk == N_KEYED_ELEMENT) {
                nid key = ast_first_child(f, k), val = ast_next(f, key);
                nid kid = ast_unparen(f, ast_first_child(f, key));
                if (!kid) kid = key;
                if (!str_eqs(ast_text(f, key), fld) && !str_eqs(ast_text(f, kid), fld)) continue;
                nid lit = ast_ancestor(f, k, N_COMPOSITE_LITERAL);
                struct ltype *t = lit ? model_type_of(p, fi, lit) : NULL;
                const char *own = ltype_own_name(t);
                if (!t) return V_OTHER;
                if (!own || strcmp(own, tname)) continue;
                v = join(v, value_kind(p, fi, ast_kind(f, val) == N_LITERAL_ELEMENT ? ast_first_child(f, val) : val));
            }
        }
    }
    return v;
}

/* Is call a call of os/signal.Notify: directly, or through a local that
 * holds signal.Notify (`notify := signal.Notify`)? */
static bool is_notify(struct rule_ctx *ctx, nid call)
{
    const struct gofile *f = ctx->f;
    if (model_is_call(ctx->pkg, ctx->fi, call, "os/signal", "Notify")) return true;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_IDENTIFIER) return false;
    nid decl, name;
    if (!model_resolve_local(ctx->pkg, ctx->fi, fe, &decl, &name)) return false;
    nid v = model_decl_value(f, decl, name, NULL);
    return v && model_is_ref(ctx->pkg, ctx->fi, ast_unparen(f, v), "os/signal", "Notify");
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    if (!is_notify(ctx, n)) return;
    nid arg = ast_unparen(f, ast_first_child(f, ast_child(f, n, F_ARGUMENTS)));
    int v = V_OTHER;
    const char *what = "";
    if (ast_kind(f, arg) == N_IDENTIFIER) {
        nid d, nm;
        if (model_resolve_local(ctx->pkg, ctx->fi, arg, &d, &nm)) v = local_values(ctx, arg), what = "made";
        else v = pkgvar_values(ctx, ast_text(f, arg)), what = "a package variable made";
    } else if (ast_kind(f, arg) == N_SELECTOR_EXPRESSION) {
        struct ltype *t = model_type_of(ctx->pkg, ctx->fi, ast_child(f, arg, F_OPERAND));
        const char *own = ltype_own_name(t);
        struct str fld = ast_text(f, ast_child(f, arg, F_FIELD));
        /* an exported field of an exported type: other packages may set it */
        bool open = own && model_is_exported(fld) && model_is_exported(str_make(own, strlen(own)));
        if (own && !open && pkg_decl_count(ctx->pkg, str_make(own, strlen(own)), PD_TYPE) == 1)
            v = field_values(ctx, own, ast_text(f, ast_child(f, arg, F_FIELD))), what = "a field set";
    }
    /* signal.Notify(make(chan os.Signal), ...): nobody can receive from
     * it, so no signal is awaited (vet's exception) */
    if (v != V_UNBUF) return;
    struct str a = ast_text(f, arg);
    if (a.n > 60) a.n = 60;
    struct finding *fd = rule_report(ctx, n,
                                     "signal.Notify with unbuffered channel %.*s (%s without a buffer): Notify "
                                     "never blocks to deliver, so a signal that arrives while nobody is receiving "
                                     "is lost; give the channel a buffer (make(chan os.Signal, 1))",
                                     (int)a.n, a.p, what);
    fd->fix = xstrdup("make the channel with a buffer of at least 1: make(chan os.Signal, 1)");
}

const struct rule rule_unbuffered_signal_channel = {
    .id = "GD205",
    .name = "unbuffered-signal-channel",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "signal.Notify is given an unbuffered channel: a signal that arrives while nobody receives is "
               "dropped.",
    .why = "The os/signal package delivers a signal with a non-blocking send: if the channel's buffer is full, "
           "or the channel has none and no goroutine is blocked receiving at that moment, the signal is "
           "dropped. With `make(chan os.Signal)` a SIGINT that arrives before the program reaches its receive, "
           "or while it handles the previous signal, is silently lost, and a graceful shutdown never starts. A "
           "channel that waits for one signal needs a buffer of 1. godark follows the channel to its `make`: a "
           "local of the function, a package variable, or a struct field of the package's type, when every "
           "value the package gives it is an unbuffered make; a channel from elsewhere is not judged, and "
           "neither is `signal.Notify(make(chan os.Signal), ...)`, which nothing can receive from. Covers "
           "staticcheck SA1017 and go vet's sigchanyzer.",
    .bad = "package main\n\n"
           "import (\n"
           "\t\"fmt\"\n"
           "\t\"os\"\n"
           "\t\"os/signal\"\n"
           ")\n\n"
           "func main() {\n"
           "\tsigs := make(chan os.Signal)\n"
           "\tsignal.Notify(sigs, os.Interrupt)\n"
           "\tfmt.Println(<-sigs)\n"
           "}\n",
    .good = "package main\n\n"
            "import (\n"
            "\t\"fmt\"\n"
            "\t\"os\"\n"
            "\t\"os/signal\"\n"
            ")\n\n"
            "func main() {\n"
            "\tsigs := make(chan os.Signal, 1)\n"
            "\tsignal.Notify(sigs, os.Interrupt)\n"
            "\tfmt.Println(<-sigs)\n"
            "}\n",
    .fix_safety = "Giving the channel a buffer of 1 changes nothing but the dropped signal: Notify still never "
                  "blocks.",
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
