/* model/objects: concurrency objects in struct fields, by class (objects.h). */
#include "objects.h"

#include <stdio.h>
#include <stdlib.h>

#include "chan.h"
#include "spawn.h"

enum { MAX_CLASSES = 512, MAX_GO_CALLEES = 256 };

struct builder {
    struct pkg *p;
    struct obj_class *c;
    int n;
    VEC(struct obj_use) *uses; /* per class, grown then copied to the arena */
    /* methods T.m started by a go statement: (type, name) */
    VEC(struct obj_spawn) spawns;
    /* declarations a goroutine of the package runs through calls */
    const struct pkg_decl *callee[MAX_GO_CALLEES];
    int ncallee;
};

/* The kind of object a field type is, or -1. */
static int field_kind(struct pkg *p, int fi, nid t)
{
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, t) == N_CHANNEL_TYPE) return OBJ_CHAN;
    struct ltype *lt = model_type_from_expr(p, fi, t);
    if (!lt) return -1;
    if (ltype_is(lt, "sync", "Cond", true)) return OBJ_COND;
    if (ltype_is(lt, "sync", "WaitGroup", true)) return OBJ_WAITGROUP;
    if (ltype_is(lt, "context", "CancelFunc", false) || ltype_is(lt, "context", "CancelCauseFunc", false)) return OBJ_CANCEL;
    if (lt->kind == LT_POINTER && (ltype_is(lt, "time", "Timer", true) || ltype_is(lt, "time", "Ticker", true))) return OBJ_TIMER;
    return -1;
}

/* The classes: fields of the package's named struct types. */
static void find_classes(struct builder *b)
{
    struct pkg *p = b->p;
    for (int d = 0; d < p->ndecls; d++) {
        const struct pkg_decl *pd = &p->decls[d];
        if (pd->what != PD_TYPE) continue;
        const struct gofile *f = &p->files[pd->file];
        nid t = ast_child(f, pd->node, F_TYPE);
        while (ast_kind(f, t) == N_PARENTHESIZED_TYPE) t = ast_first_child(f, t);
        if (ast_kind(f, t) != N_STRUCT_TYPE) continue;
        nid list = ast_first_child(f, t);
        AST_FOR_CHILDREN(f, list, fd)
        {
            nid ft = ast_child(f, fd, F_TYPE);
            int k = field_kind(p, pd->file, ft);
            if (k < 0) continue;
            AST_FOR_CHILDREN(f, fd, nm)
            {
                if (f->nodes[nm].field != F_NAME || b->n >= MAX_CLASSES) continue;
                struct obj_class *c = &b->c[b->n++];
                memset(c, 0, sizeof(*c));
                c->kind = (enum obj_kind)k;
                c->type = pd->name;
                c->field = ast_text(f, nm);
                c->fi = pd->file;
                c->field_node = nm;
                c->buf = -2; /* no make seen yet */
            }
        }
    }
}

/* The class of selector sel (x.f with x a T or *T), or -1. */
/* Does named type tn of the package embed named type en, directly or
 * through embedded structs of the package (`type Server struct{ base }`)? */
static bool embeds(struct pkg *p, const char *tn, const char *en, int depth)
{
    struct str s = str_make(tn, strlen(tn));
    if (depth > 4 || pkg_decl_count(p, s, PD_TYPE) != 1) return false;
    const struct pkg_decl *d = pkg_lookup(p, s, PD_TYPE);
    const struct gofile *f = &p->files[d->file];
    nid t = ast_child(f, d->node, F_TYPE);
    while (ast_kind(f, t) == N_PARENTHESIZED_TYPE) t = ast_first_child(f, t);
    if (ast_kind(f, t) != N_STRUCT_TYPE) return false;
    nid list = ast_first_child(f, t);
    AST_FOR_CHILDREN(f, list, fd)
    {
        if (ast_kind(f, fd) != N_FIELD_DECLARATION || ast_child(f, fd, F_NAME)) continue;
        nid et = ast_child(f, fd, F_TYPE);
        if (ast_kind(f, et) != N_TYPE_IDENTIFIER) continue;
        struct str e = ast_text(f, et);
        if (str_eq(e, en)) return true;
        char name[128];
        if (e.n >= sizeof name) continue;
        memcpy(name, e.p, e.n);
        name[e.n] = 0;
        if (embeds(p, name, en, depth + 1)) return true;
    }
    return false;
}

enum { CLASS_NONE = -1, CLASS_UNKNOWN = -2 };

/* The class of selector sel (x.f with x a T or *T, or a type embedding T),
 * CLASS_NONE when it is no class's, CLASS_UNKNOWN when x's type is not
 * known and some class has a field named f (that class is then open: it
 * may be this use). */
static int class_of(struct builder *b, int fi, nid sel)
{
    const struct gofile *f = &b->p->files[fi];
    struct str name = ast_text(f, ast_child(f, sel, F_FIELD));
    int cand = -1;
    for (int i = 0; i < b->n; i++)
        if (str_eqs(b->c[i].field, name)) {
            cand = i;
            break;
        }
    if (cand < 0) return CLASS_NONE;
    struct ltype *t = model_type_of(b->p, fi, ast_child(f, sel, F_OPERAND));
    const char *tn = ltype_own_name(t);
    if (!tn) {
        if (t && t->kind == LT_POINTER) t = t->elem;
        /* another package's type has no field of ours; a package name
         * (`pkg.f`) neither */
        bool foreign = t && t->kind == LT_NAMED && t->pkgpath && t->pkgpath[0] && strcmp(t->pkgpath, "?");
        nid x = ast_child(f, sel, F_OPERAND);
        bool pkgname = ast_kind(f, x) == N_IDENTIFIER && model_import_path(b->p, fi, ast_text(f, x));
        return foreign || pkgname || (t && t->kind != LT_NAMED) ? CLASS_NONE : CLASS_UNKNOWN;
    }
    for (int i = cand; i < b->n; i++)
        if (str_eqs(b->c[i].field, name) && !strcmp(b->c[i].type, tn)) return i;
    for (int i = cand; i < b->n; i++)
        if (str_eqs(b->c[i].field, name) && embeds(b->p, tn, b->c[i].type, 0)) return i;
    return CLASS_NONE;
}

/* Does call v make a new object of kind k (make(chan), sync.NewCond,
 * context.WithCancel..., time.NewTimer...)? */
static bool is_maker(struct pkg *p, int fi, nid v, enum obj_kind k)
{
    switch (k) {
    case OBJ_CHAN: return model_is_builtin_call(p, fi, v, "make");
    case OBJ_COND: return model_is_call(p, fi, v, "sync", "NewCond");
    case OBJ_CANCEL:
        return model_is_call(p, fi, v, "context", "WithCancel") || model_is_call(p, fi, v, "context", "WithTimeout") ||
               model_is_call(p, fi, v, "context", "WithDeadline") || model_is_call(p, fi, v, "context", "WithCancelCause");
    case OBJ_TIMER:
        return model_is_call(p, fi, v, "time", "NewTimer") || model_is_call(p, fi, v, "time", "NewTicker") ||
               model_is_call(p, fi, v, "time", "AfterFunc");
    default: return false;
    }
}

/* The value assigned to sel, an element of an assignment's left list: its
 * partner on the right (one to one), or the one call on the right
 * (`ctx, x.cancel = context.WithCancel(ctx)`); else 0. */
nid objects_assigned_value(const struct gofile *f, nid sel)
{
    nid left = ast_parent(f, sel), right = ast_child(f, ast_parent(f, left), F_RIGHT);
    unsigned k = 0, at = 0;
    AST_FOR_CHILDREN(f, left, e)
    {
        if (e == sel) at = k;
        k++;
    }
    unsigned nr = ast_child_count(f, right);
    return nr == k ? ast_nth_child(f, right, at) : nr == 1 ? ast_first_child(f, right) : 0;
}

/* What is done to the object at selector sel. */
static enum obj_op use_of(struct builder *b, int fi, nid sel, const struct obj_class *c)
{
    const struct gofile *f = &b->p->files[fi];
    nid par = ast_parent(f, sel);
    enum node_kind pk = ast_kind(f, par);
    enum node_field role = (enum node_field)f->nodes[sel].field;
    if (pk == N_SEND_STATEMENT && role == F_CHANNEL) return OO_SEND;
    if (pk == N_UNARY_EXPRESSION && f->nodes[par].op == OP_ARROW) return OO_RECV;
    if (pk == N_RANGE_CLAUSE && role == F_RIGHT) return OO_RANGE;
    if (pk == N_PARENTHESIZED_EXPRESSION) return OO_ESCAPE;
    if (pk == N_ARGUMENT_LIST) {
        nid call = ast_parent(f, par);
        if (model_is_builtin_call(b->p, fi, call, "close")) return OO_CLOSE;
        if (model_is_builtin_call(b->p, fi, call, "len") || model_is_builtin_call(b->p, fi, call, "cap")) return OO_NEUTRAL;
        return OO_ESCAPE;
    }
    if (pk == N_CALL_EXPRESSION && role == F_FUNCTION) return c->kind == OBJ_CANCEL ? OO_CANCEL : OO_ESCAPE;
    if (pk == N_SELECTOR_EXPRESSION && role == F_OPERAND) {
        nid call = ast_parent(f, par);
        /* a Cond's L: set it, lock it, unlock it; no hand-off of the cond */
        if (c->kind == OBJ_COND && ast_text_is(f, ast_child(f, par, F_FIELD), "L")) return OO_NEUTRAL;
        if (ast_kind(f, call) != N_CALL_EXPRESSION || f->nodes[par].field != F_FUNCTION) return OO_ESCAPE;
        struct str m = ast_text(f, ast_child(f, par, F_FIELD));
        static const struct { const char *name; enum obj_op op; } methods[] = {
            {"Wait", OO_WAIT}, {"Signal", OO_SIGNAL}, {"Broadcast", OO_BROADCAST}, {"Add", OO_ADD},
            {"Done", OO_DONE}, {"Stop", OO_STOP}, {"Reset", OO_RESET},
        };
        for (unsigned i = 0; i < GD_ARRAY_LEN(methods); i++)
            if (str_eq(m, methods[i].name)) return methods[i].op;
        /* WaitGroup.Go (Go 1.25) adds and marks done itself */
        if (c->kind == OBJ_WAITGROUP && str_eq(m, "Go")) return OO_DONE;
        return OO_NEUTRAL; /* another method of the object (a Cond's L.Lock, Go's): no hand-off */
    }
    if (pk == N_BINARY_EXPRESSION && (f->nodes[par].op == OP_EQL || f->nodes[par].op == OP_NEQ)) return OO_NEUTRAL;
    if (pk == N_EXPRESSION_LIST) {
        nid st = ast_parent(f, par);
        enum node_kind sk = ast_kind(f, st);
        if ((sk == N_ASSIGNMENT_STATEMENT || sk == N_SHORT_VAR_DECLARATION) && f->nodes[par].field == F_LEFT) {
            /* x.f = make(...), else set from elsewhere */
            nid v = objects_assigned_value(f, sel);
            return ast_kind(f, v) == N_CALL_EXPRESSION && is_maker(b->p, fi, v, c->kind) ? OO_MAKE : OO_SET;
        }
        if (sk == N_RETURN_STATEMENT) return OO_GET;
    }
    return OO_ESCAPE;
}

/* The buffer of make call `mk` (make(chan T[, n])): n, 0, or -1. */
static long make_buf(const struct gofile *f, nid mk)
{
    nid args = ast_child(f, mk, F_ARGUMENTS);
    nid n = ast_nth_child(f, args, 1);
    if (!n) return 0;
    long v;
    return model_decimal_literal(ast_text(f, ast_unparen(f, n)), 9, &v) ? v : -1;
}

static void merge_buf(struct obj_class *c, long buf)
{
    if (c->buf == -2) c->buf = buf;
    else if (c->buf != buf) c->buf = -1;
}

static struct obj_use new_use(struct builder *b, int fi, nid node);

/* `f: cancel` in a T literal, where cancel is the local that
 * `ctx, cancel := context.WithCancel(...)` (or a sibling) declared and that
 * nothing else in the function mentions: the literal holds the object the
 * call made, as `x.f = ...` on the call's own line would (ratelimit's
 * `&Limiter{cancelFunc: cancel}`). A cancel also called, deferred or passed
 * on is a use we do not follow here, so it stays a set. */
static bool literal_local_cancel(struct pkg *p, int fi, nid key, nid val)
{
    const struct gofile *f = &p->files[fi];
    nid decl, name;
    if (ast_kind(f, val) != N_IDENTIFIER || !model_resolve_local(p, fi, val, &decl, &name) ||
        ast_kind(f, decl) != N_SHORT_VAR_DECLARATION)
        return false;
    nid left = ast_child(f, decl, F_LEFT), right = ast_child(f, decl, F_RIGHT);
    if (ast_child_count(f, left) != 2 || ast_nth_child(f, left, 1) != name || ast_child_count(f, right) != 1)
        return false;
    nid call = ast_unparen(f, ast_first_child(f, right));
    if (ast_kind(f, call) != N_CALL_EXPRESSION || !is_maker(p, fi, call, OBJ_CANCEL)) return false;
    nid fn = model_enclosing_func(f, decl);
    if (!fn) return false;
    struct str nm = ast_text(f, val);
    for (nid k = fn + 1; k < f->nodes[fn].end; k++)
        if (k != val && k != name && k != key && ast_kind(f, k) == N_IDENTIFIER && str_eqs(ast_text(f, k), nm))
            return false;
    return true;
}

/* f: make(...) in a composite literal of T: the keyed element's key is the
 * field name */
static void literal_makes(struct builder *b, int fi)
{
    const struct gofile *f = &b->p->files[fi];
    for (nid n = 1; n < f->nnodes; n++) {
        if (f->nodes[n].kind != N_KEYED_ELEMENT) continue;
        nid key = ast_first_child(f, ast_child(f, n, F_KEY));
        nid val = ast_first_child(f, ast_child(f, n, F_VALUE));
        if (ast_kind(f, key) != N_IDENTIFIER) continue;
        nid lit = ast_ancestor(f, n, N_COMPOSITE_LITERAL);
        const char *tn = lit ? ltype_own_name(model_type_from_expr(b->p, fi, ast_child(f, lit, F_TYPE))) : NULL;
        if (!tn) continue;
        struct str name = ast_text(f, key);
        for (int i = 0; i < b->n; i++) {
            struct obj_class *c = &b->c[i];
            if (!str_eqs(c->field, name) || strcmp(c->type, tn)) continue;
            struct obj_use u = new_use(b, fi, key);
            if (ast_kind(f, val) == N_CALL_EXPRESSION && is_maker(b->p, fi, val, c->kind)) {
                u.op = OO_MAKE;
                if (c->kind == OBJ_CHAN) merge_buf(c, make_buf(f, val));
            } else if (c->kind == OBJ_CANCEL && literal_local_cancel(b->p, fi, key, val)) {
                u.op = OO_MAKE;
            } else {
                u.op = OO_SET;
                c->open = true;
            }
            vec_push(&b->uses[i], u);
        }
    }
}

/* Does call n of file f run in a goroutine of its own: the call of a go
 * statement, or a call directly in a func literal started by go? Returns
 * that go statement, or 0. */
static nid go_of_call(const struct gofile *f, nid n)
{
    nid g = ast_parent(f, n);
    if (ast_kind(f, g) == N_GO_STATEMENT) return g;
    nid lit = ast_ancestor(f, n, N_FUNC_LITERAL);
    nid lc = lit ? ast_parent(f, lit) : 0;
    if (lc && ast_kind(f, lc) == N_CALL_EXPRESSION && ast_kind(f, ast_parent(f, lc)) == N_GO_STATEMENT &&
        model_enclosing_func(f, n) == lit)
        return ast_parent(f, lc);
    return 0;
}

/* The declaration of the same-package function or method that call
 * (file fi) calls, or NULL; with iface, also the one implementation of a
 * package interface whose method it calls (pkg_sole_implementation). */
static const struct pkg_decl *callee_of(struct pkg *p, int fi, nid call, bool iface)
{
    const struct gofile *f = &p->files[fi];
    nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fn) == N_IDENTIFIER) {
        nid dn, nm;
        return model_resolve_local(p, fi, fn, &dn, &nm) ? NULL : pkg_lookup(p, ast_text(f, fn), PD_FUNC);
    }
    if (ast_kind(f, fn) != N_SELECTOR_EXPRESSION) return NULL;
    const char *tn = ltype_own_name(model_type_of(p, fi, ast_child(f, fn, F_OPERAND)));
    if (!tn) return NULL;
    struct str m = ast_text(f, ast_child(f, fn, F_FIELD));
    const struct pkg_decl *d = pkg_lookup_method(p, tn, m);
    return !d && iface ? pkg_sole_implementation(p, tn, m) : d;
}

const struct pkg_decl *objects_func_value(struct pkg *p, int fi, nid v)
{
    const struct gofile *f = &p->files[fi];
    v = ast_unparen(f, v);
    if (ast_kind(f, v) == N_SELECTOR_EXPRESSION) {
        const char *tn = ltype_own_name(model_type_of(p, fi, ast_child(f, v, F_OPERAND)));
        return tn ? pkg_lookup_method(p, tn, ast_text(f, ast_child(f, v, F_FIELD))) : NULL;
    }
    nid dn, nm;
    if (ast_kind(f, v) != N_IDENTIFIER || model_resolve_local(p, fi, v, &dn, &nm)) return NULL;
    return pkg_lookup(p, ast_text(f, v), PD_FUNC);
}

/* Does function decl d call its parameter k (`k(...)`) in its own body? */
static bool calls_param(struct pkg *p, const struct pkg_decl *d, int k)
{
    const struct gofile *f = &p->files[d->file];
    nid body = ast_child(f, d->node, F_BODY);
    for (nid c = body; body && c < f->nodes[body].end; c++) {
        if (ast_kind(f, c) != N_CALL_EXPRESSION) continue;
        nid fe = ast_unparen(f, ast_child(f, c, F_FUNCTION));
        if (ast_kind(f, fe) == N_IDENTIFIER && model_param_index(p, d->file, d->node, fe) == k) return true;
    }
    return false;
}

static void add_callee(struct builder *b, const struct pkg_decl *d)
{
    if (!d || b->ncallee >= MAX_GO_CALLEES) return;
    for (int i = 0; i < b->ncallee; i++)
        if (b->callee[i] == d) return;
    b->callee[b->ncallee++] = d;
}

/* The same-package functions and methods that the calls in region (file
 * fi; func literals not started by go included) reach: added as callees. */
static void add_calls_in(struct builder *b, int fi, nid region)
{
    struct pkg *p = b->p;
    const struct gofile *f = &p->files[fi];
    for (nid k = region; k < f->nodes[region].end; k++) {
        if (ast_kind(f, k) == N_GO_STATEMENT) { /* another goroutine: seeded by itself */
            k = f->nodes[k].end - 1;
            continue;
        }
        if (ast_kind(f, k) == N_CALL_EXPRESSION) add_callee(b, callee_of(p, fi, k, true));
    }
}

static void add_spawn(struct builder *b, const struct pkg_decl *d, int fi, nid go)
{
    for (size_t i = 0; i < b->spawns.len; i++)
        if (b->spawns.items[i].decl == d) return;
    vec_push(&b->spawns, ((struct obj_spawn){d, fi, go}));
}

/* The spawn table: for each call that a go statement makes (go_of_call),
 * the function or method it calls, with the first such go statement; and
 * the functions and methods handed to that call as values (`go every(d,
 * w.tick)`) that the callee calls through its parameter. */
static void find_spawns(struct builder *b)
{
    struct pkg *p = b->p;
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            if (f->nodes[k].kind != N_CALL_EXPRESSION) continue;
            nid go = go_of_call(f, k);
            const struct pkg_decl *d = go ? callee_of(p, fi, k, false) : NULL;
            if (!d) continue;
            add_spawn(b, d, fi, go);
            int ai = 0;
            AST_FOR_CHILDREN(f, ast_child(f, k, F_ARGUMENTS), a)
            {
                enum node_kind ak = ast_kind(f, ast_unparen(f, a));
                const struct pkg_decl *v =
                    ak == N_SELECTOR_EXPRESSION || ak == N_IDENTIFIER ? objects_func_value(p, fi, a) : NULL;
                if (v && (v->what == PD_FUNC || v->what == PD_METHOD) && calls_param(p, d, ai)) add_spawn(b, v, fi, go);
                ai++;
            }
        }
    }
}

/* The functions a goroutine of the package runs through calls, to a
 * fixpoint: from the bodies of go literals and of the methods and
 * functions go statements start. */
static void find_go_callees(struct builder *b)
{
    struct pkg *p = b->p;
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid g = 1; g < f->nnodes; g++) {
            if (f->nodes[g].kind != N_GO_STATEMENT) continue;
            nid call = ast_first_child(f, g);
            nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
            if (ast_kind(f, fn) == N_FUNC_LITERAL) add_calls_in(b, fi, ast_child(f, fn, F_BODY));
            else add_calls_in(b, fi, call);
        }
    }
    for (int i = 0; i < b->ncallee; i++) {
        const struct pkg_decl *d = b->callee[i];
        const struct gofile *f = &p->files[d->file];
        nid body = ast_child(f, d->node, F_BODY);
        if (body) add_calls_in(b, d->file, body);
    }
}

nid objects_spawn_site(struct pkg *p, int fi, nid n, int *go_fi)
{
    const struct gofile *f = &p->files[fi];
    *go_fi = fi;
    /* n may be a function, method or func literal itself */
    enum node_kind nk = ast_kind(f, n);
    for (nid l = nk == N_FUNC_LITERAL ? n : model_enclosing_func(f, n); l && ast_kind(f, l) == N_FUNC_LITERAL;
         l = model_enclosing_func(f, ast_parent(f, l))) {
        nid call = ast_parent(f, l);
        if (ast_kind(f, call) == N_CALL_EXPRESSION && ast_kind(f, ast_parent(f, call)) == N_GO_STATEMENT)
            return ast_parent(f, call);
    }
    nid decl = nk == N_FUNCTION_DECLARATION || nk == N_METHOD_DECLARATION ? n : model_enclosing_decl(f, n);
    int di = decl ? pkg_decl_index(p, fi, decl) : -1;
    if (di < 0) return 0;
    const struct obj_model *m = objects_of(p);
    for (int i = 0; i < m->nspawns; i++)
        if (m->spawns[i].decl == &p->decls[di]) {
            *go_fi = m->spawns[i].go_fi;
            return m->spawns[i].go;
        }
    return 0;
}

static uint8_t context_of(struct builder *b, int fi, nid fn, nid decl)
{
    const struct gofile *f = &b->p->files[fi];
    uint8_t ctx = pkg_is_test_file(f) ? OCTX_TEST : 0;
    /* a func literal around node started by go (directly, not through a call) */
    for (nid l = fn; l && ast_kind(f, l) == N_FUNC_LITERAL; l = model_enclosing_func(f, ast_parent(f, l))) {
        nid call = ast_parent(f, l);
        if (ast_kind(f, call) == N_CALL_EXPRESSION && ast_kind(f, ast_parent(f, call)) == N_GO_STATEMENT) {
            ctx |= OCTX_GO_LITERAL;
            break;
        }
    }
    if (ast_kind(f, decl) == N_METHOD_DECLARATION || ast_kind(f, decl) == N_FUNCTION_DECLARATION) {
        for (int i = 0; i < b->ncallee; i++)
            if (b->callee[i]->file == fi && b->callee[i]->node == decl) ctx |= OCTX_GO_CALLEE;
        struct str name = ast_text(f, ast_child(f, decl, F_NAME));
        if (model_is_exported(name)) ctx |= OCTX_EXPORTED;
        if (ast_kind(f, decl) == N_METHOD_DECLARATION) {
            /* a method of its type that a go statement starts (by type and
             * name: a method declared for several build tags is any of them) */
            int di = pkg_decl_index(b->p, fi, decl);
            const char *rt = di >= 0 ? b->p->decls[di].recv_type : NULL;
            for (size_t i = 0; rt && i < b->spawns.len; i++) {
                const struct pkg_decl *sd = b->spawns.items[i].decl;
                if (sd->what == PD_METHOD && !strcmp(sd->recv_type, rt) && str_eq(name, sd->name)) ctx |= OCTX_GO_METHOD;
            }
        }
    }
    if (ctx & OCTX_GO_METHOD) ctx &= (uint8_t)~OCTX_GO_CALLEE; /* started by go itself */
    return ctx;
}

/* A use at node of file fi, with its functions and goroutine context (the
 * caller sets op and select). */
static struct obj_use new_use(struct builder *b, int fi, nid node)
{
    const struct gofile *f = &b->p->files[fi];
    struct obj_use u = {0};
    u.fi = fi;
    u.node = node;
    u.fn = model_enclosing_func(f, node);
    u.decl = model_enclosing_decl(f, node);
    u.ctx = context_of(b, fi, u.fn, u.decl);
    return u;
}

static int use_cmp(const void *a, const void *b)
{
    const struct obj_use *x = a, *y = b;
    if (x->fi != y->fi) return x->fi < y->fi ? -1 : 1;
    return x->node < y->node ? -1 : x->node > y->node;
}

void objects_build(struct pkg *p, struct obj_model *out)
{
    struct builder b = {0};
    b.p = p;
    b.c = xcalloc(MAX_CLASSES, sizeof(*b.c));
    find_classes(&b);
    out->classes = NULL;
    out->n = 0;
    out->callees = NULL;
    out->ncallees = 0;
    find_spawns(&b);
    out->nspawns = (int)b.spawns.len;
    out->spawns = arena_alloc(&p->arena, b.spawns.len * sizeof(*out->spawns) + 1);
    if (b.spawns.len) memcpy(out->spawns, b.spawns.items, b.spawns.len * sizeof(*out->spawns));
    if (!b.n) {
        vec_free(&b.spawns);
        free(b.c);
        return;
    }
    b.uses = xcalloc((size_t)b.n, sizeof(*b.uses));
    find_go_callees(&b);
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid n = 1; n < f->nnodes; n++) {
            if (f->nodes[n].kind != N_SELECTOR_EXPRESSION) continue;
            int ci = class_of(&b, fi, n);
            if (ci == CLASS_UNKNOWN) {
                struct str name = ast_text(f, ast_child(f, n, F_FIELD));
                for (int i = 0; i < b.n; i++)
                    if (str_eqs(b.c[i].field, name)) b.c[i].open = true;
            }
            if (ci < 0) continue;
            struct obj_class *c = &b.c[ci];
            struct obj_use u = new_use(&b, fi, n);
            u.op = (uint8_t)use_of(&b, fi, n, c);
            if (u.op == OO_SEND || u.op == OO_RECV) u.select = chan_select_of(f, ast_parent(f, n));
            if (u.op == OO_ESCAPE || u.op == OO_SET) c->open = true;
            if (u.op == OO_MAKE && c->kind == OBJ_CHAN) merge_buf(c, make_buf(f, objects_assigned_value(f, n)));
            vec_push(&b.uses[ci], u);
        }
        literal_makes(&b, fi);
    }
    out->classes = arena_alloc(&p->arena, (size_t)b.n * sizeof(*out->classes));
    for (int i = 0; i < b.n; i++) {
        struct obj_class *c = &out->classes[i];
        *c = b.c[i];
        if (c->buf == -2) c->buf = -1;
        c->nuses = (int)b.uses[i].len;
        if (c->nuses > 1) qsort(b.uses[i].items, b.uses[i].len, sizeof(*b.uses[i].items), use_cmp); /* source order */
        c->uses = arena_alloc(&p->arena, b.uses[i].len * sizeof(*c->uses) + 1);
        if (b.uses[i].len) memcpy(c->uses, b.uses[i].items, b.uses[i].len * sizeof(*c->uses));
        vec_free(&b.uses[i]);
    }
    out->n = b.n;
    out->callees = arena_alloc(&p->arena, (size_t)b.ncallee * sizeof(*out->callees) + 1);
    if (b.ncallee) memcpy(out->callees, b.callee, (size_t)b.ncallee * sizeof(*out->callees));
    out->ncallees = b.ncallee;
    free(b.uses);
    free(b.c);
    vec_free(&b.spawns);
}

void objects_dump(struct pkg *p, const struct obj_model *m, struct buf *out)
{
    static const char *const kinds[] = {"chan", "cond", "waitgroup", "cancel", "timer"};
    static const char *const ops[] = {"make", "send", "recv", "range", "close", "wait", "signal", "broadcast", "add",
                                      "done", "cancel", "stop", "reset", "get", "set", "neutral", "escape"};
    static const char *const sels[] = {"", " +select", " +select-others", " +select-default"};
    char line[512];
    for (int i = 0; i < m->n; i++) {
        const struct obj_class *c = &m->classes[i];
        const struct gofile *cf = &p->files[c->fi];
        snprintf(line, sizeof line, "%s.%.*s %s%s%s at %s:%u\n", c->type, (int)c->field.n, c->field.p, kinds[c->kind],
                 c->kind == OBJ_CHAN ? (c->buf < 0 ? " buf=?" : c->buf ? " buffered" : " unbuffered") : "",
                 c->open ? " open" : "", cf->path, cf->nodes[c->field_node].line);
        buf_puts(out, line);
        for (int k = 0; k < c->nuses; k++) {
            const struct obj_use *u = &c->uses[k];
            const struct gofile *f = &p->files[u->fi];
            struct str in = u->decl ? ast_text(f, ast_child(f, u->decl, F_NAME)) : str_make("", 0);
            snprintf(line, sizeof line, "  %-9s %s:%u:%u in %.*s%s%s%s%s%s%s%s\n", ops[u->op], f->path, f->nodes[u->node].line,
                     f->nodes[u->node].col, (int)in.n, in.p, ast_kind(f, u->fn) == N_FUNC_LITERAL ? " (func literal)" : "",
                     sels[u->select], u->ctx & OCTX_GO_LITERAL ? " go-literal" : "", u->ctx & OCTX_GO_METHOD ? " go-method" : "", u->ctx & OCTX_GO_CALLEE ? " go-callee" : "",
                     u->ctx & OCTX_EXPORTED ? " exported" : "", u->ctx & OCTX_TEST ? " test" : "");
            buf_puts(out, line);
        }
    }
}

const struct obj_model *objects_of(struct pkg *p)
{
    if (p->rule_cache[PKG_CACHE_OBJECTS]) return p->rule_cache[PKG_CACHE_OBJECTS];
    struct obj_model *m = arena_alloc(&p->arena, sizeof(*m));
    objects_build(p, m);
    p->rule_cache[PKG_CACHE_OBJECTS] = m;
    return m;
}

const struct obj_class *objects_class_at(const struct obj_model *m, int fi, nid sel)
{
    for (int i = 0; i < m->n; i++)
        for (int k = 0; k < m->classes[i].nuses; k++)
            if (m->classes[i].uses[k].fi == fi && m->classes[i].uses[k].node == sel) return &m->classes[i];
    return NULL;
}

bool objects_in_goroutine(struct pkg *p, const struct obj_model *m, int fi, nid n)
{
    const struct gofile *f = &p->files[fi];
    int gfi;
    if (objects_spawn_site(p, fi, n, &gfi)) return true;
    enum node_kind nk = ast_kind(f, n);
    nid decl = nk == N_FUNCTION_DECLARATION || nk == N_METHOD_DECLARATION ? n : model_enclosing_decl(f, n);
    for (int i = 0; decl && i < m->ncallees; i++)
        if (m->callees[i]->file == fi && m->callees[i]->node == decl) return true;
    return false;
}
