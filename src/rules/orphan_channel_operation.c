/* rules/orphan_channel_operation: GD108. A receive (or range) on a struct
 * field channel that nothing in the package ever sends on or closes, or a
 * send on an unbuffered one that nothing ever receives from: it blocks
 * forever.
 * How: the channel is known by its class, field f of named type T of the
 * package ("T.f", unexported, declared with a chan type). Every mention of
 * a field named f in the package is looked at: a selector on a T value is
 * an operation of the class (send, receive, range, close, `= make(...)`,
 * len/cap, a nil comparison), anything else (passed to a function,
 * returned, assigned elsewhere, its address taken, set from anything but a
 * make) makes the class unknown, and so does a mention on a value whose
 * type is not known to be another type. Only classes whose every value is
 * a make the package can see, used only by operations, are judged. Test
 * files count as package code (a test may send). */
#include <stdlib.h>
#include <string.h>

#include "../check/check.h"
#include "../model/chan.h"
#include "../model/objects.h"
#include "rulelib.h"

#define MAX_CANDS 256

struct cand {
    const char *type;  /* T */
    struct str field;  /* f */
    int tfi;           /* file of T's type_spec */
    nid tspec;         /* T's type_spec */
    bool needed;       /* some file of the package blocks on a field of this name */
    bool taint;        /* some value or use we cannot follow */
    bool buffered;     /* some make has a buffer (or a size we cannot read) */
    int nmake, nsend, nrecv, nclose;
    int make_fi;
    nid make_at;
};

struct scan {
    struct pkg *p;
    struct cand c[MAX_CANDS];
    int n;
    uint64_t names[16]; /* a 1024-bit filter of the candidates' field names */
};

enum use { U_NEUTRAL, U_TAINT, U_SEND, U_RECV, U_RANGE, U_CLOSE, U_MAKE };
enum res { R_OTHER, R_UNKNOWN, R_CAND };

static bool unexported(struct str s)
{
    return s.n && s.p[0] >= 'a' && s.p[0] <= 'z';
}

/* The struct_type of type_spec ts (generic or not), or 0. */
static nid spec_struct(const struct gofile *f, nid ts)
{
    if (ast_kind(f, ts) != N_TYPE_SPEC) return 0;
    nid t = ast_child(f, ts, F_TYPE);
    while (ast_kind(f, t) == N_PARENTHESIZED_TYPE) t = ast_first_child(f, t);
    return ast_kind(f, t) == N_STRUCT_TYPE ? t : 0;
}

static uint32_t name_bit(struct str name)
{
    return hash_fold32(hash_bytes(name.p, name.n)) & 1023;
}

/* The package's unexported chan-typed fields of package-level struct types. */
static void find_candidates(struct scan *s)
{
    struct pkg *p = s->p;
    for (int i = 0; i < p->ndecls && s->n < MAX_CANDS; i++) {
        const struct pkg_decl *d = &p->decls[i];
        if (d->what != PD_TYPE) continue;
        const struct gofile *f = &p->files[d->file];
        nid st = spec_struct(f, d->node);
        if (!st) continue;
        nid list = ast_first_child(f, st);
        int first = s->n;
        AST_FOR_CHILDREN(f, list, fd)
        {
            if (ast_kind(f, fd) != N_FIELD_DECLARATION) continue;
            nid ty = ast_child(f, fd, F_TYPE);
            while (ast_kind(f, ty) == N_PARENTHESIZED_TYPE) ty = ast_first_child(f, ty);
            if (ast_kind(f, ty) != N_CHANNEL_TYPE) continue;
            AST_FOR_CHILDREN(f, fd, nm)
            {
                if (ast_kind(f, nm) != N_FIELD_IDENTIFIER || !unexported(ast_text(f, nm))) continue;
                if (s->n == MAX_CANDS) break;
                struct cand *c = &s->c[s->n++];
                memset(c, 0, sizeof(*c));
                c->type = d->name;
                c->field = ast_text(f, nm);
                c->tfi = d->file;
                c->tspec = d->node;
            }
        }
        if (s->n > first && rl_type_declared_twice(p, d->name)) s->n = first;
    }
    for (int i = 0; i < s->n; i++) {
        uint32_t b = name_bit(s->c[i].field);
        s->names[b >> 6] |= (uint64_t)1 << (b & 63);
    }
}

static bool is_cand_name(const struct scan *s, struct str name)
{
    uint32_t b = name_bit(name);
    if (!(s->names[b >> 6] & ((uint64_t)1 << (b & 63)))) return false;
    for (int i = 0; i < s->n; i++)
        if (str_eqs(s->c[i].field, name)) return true;
    return false;
}

static bool is_needed_name(const struct scan *s, struct str name)
{
    if (!is_cand_name(s, name)) return false;
    for (int i = 0; i < s->n; i++)
        if (s->c[i].needed && str_eqs(s->c[i].field, name)) return true;
    return false;
}

static void taint_name(struct scan *s, struct str name)
{
    for (int i = 0; i < s->n; i++)
        if (str_eqs(s->c[i].field, name)) s->c[i].taint = true;
}

/* Taints the candidates named fld of the types embedded in struct type
 * node st (file sfi), through embedded structs of the package. False when
 * an embedded type is not known well enough to say which. */
static bool taint_embedded(struct scan *s, int sfi, nid st, struct str fld, int depth)
{
    struct pkg *p = s->p;
    const struct gofile *f = &p->files[sfi];
    if (depth > 4) return false;
    nid list = ast_first_child(f, st);
    AST_FOR_CHILDREN(f, list, fd)
    {
        if (ast_kind(f, fd) != N_FIELD_DECLARATION || ast_child(f, fd, F_NAME)) continue;
        struct ltype *e = model_type_from_expr(p, sfi, ast_child(f, fd, F_TYPE));
        if (e && e->kind == LT_POINTER) e = e->elem;
        if (!e || e->kind != LT_NAMED || !strcmp(e->pkgpath, "?")) return false;
        if (strcmp(e->pkgpath, "")) continue; /* another package's type holds no field of ours */
        if (e->decl_file < 0) return false;
        for (int i = 0; i < s->n; i++)
            if (s->c[i].tfi == e->decl_file && s->c[i].tspec == e->decl && str_eqs(s->c[i].field, fld))
                s->c[i].taint = true;
        const struct gofile *g = &p->files[e->decl_file];
        if (ast_kind(g, e->decl) == N_TYPE_SPEC && ast_kind(g, ast_child(g, e->decl, F_TYPE)) == N_INTERFACE_TYPE)
            continue;
        nid est = spec_struct(g, e->decl);
        if (!est || !taint_embedded(s, e->decl_file, est, fld, depth + 1)) return false;
    }
    return true;
}

/* Which field `fld` of a value of type t is: candidate *ci, a field or
 * method of another type (R_OTHER), or maybe a candidate (R_UNKNOWN). */
static enum res resolve_type(struct scan *s, struct ltype *t, struct str fld, int *ci)
{
    struct pkg *p = s->p;
    if (t && t->kind == LT_POINTER) t = t->elem;
    if (!t) return R_UNKNOWN;
    if (t->kind == LT_STRUCT) return R_UNKNOWN; /* a struct literal type converts to T */
    if (t->kind != LT_NAMED) return R_OTHER;
    if (!strcmp(t->pkgpath, "?")) return R_UNKNOWN;
    if (strcmp(t->pkgpath, "")) return R_OTHER; /* another package cannot hold our unexported field */
    if (t->decl_file < 0) return R_UNKNOWN;
    for (int i = 0; i < s->n; i++)
        if (s->c[i].tfi == t->decl_file && s->c[i].tspec == t->decl && str_eqs(s->c[i].field, fld)) {
            *ci = i;
            return R_CAND;
        }
    if (pkg_lookup_method(p, t->name, fld)) return R_OTHER;
    const struct gofile *f = &p->files[t->decl_file];
    nid st = spec_struct(f, t->decl);
    if (!st || rl_type_declared_twice(p, t->name)) return R_UNKNOWN; /* alias, defined type of T... */
    nid list = ast_first_child(f, st);
    AST_FOR_CHILDREN(f, list, fd)
    {
        if (ast_kind(f, fd) != N_FIELD_DECLARATION) continue;
        AST_FOR_CHILDREN(f, fd, nm)
        if (ast_kind(f, nm) == N_FIELD_IDENTIFIER && str_eqs(ast_text(f, nm), fld)) return R_OTHER;
    }
    /* maybe promoted from an embedded struct: that field's class is not
     * followed (conservative) */
    if (!taint_embedded(s, t->decl_file, st, fld, 0)) return R_UNKNOWN;
    return R_OTHER;
}

static long make_buffer(const struct gofile *f, nid make)
{
    nid args = ast_child(f, make, F_ARGUMENTS);
    nid sz = ast_nth_child(f, args, 1);
    if (!sz) return 0;
    sz = ast_unparen(f, sz);
    if (ast_kind(f, sz) == N_INT_LITERAL && ast_text_is(f, sz, "0")) return 0;
    return -1;
}

/* What the use of field selector (or keyed-element value position) x does
 * to the channel; *op: the send statement, receive or range clause. */
static enum use classify_use(struct pkg *p, int fi, nid x, nid *op, nid *make)
{
    const struct gofile *f = &p->files[fi];
    nid e = x, par = ast_parent(f, x);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) {
        e = par;
        par = ast_parent(f, par);
    }
    *op = par;
    switch (ast_kind(f, par)) {
    case N_UNARY_EXPRESSION:
        return f->nodes[par].op == OP_ARROW ? U_RECV : U_TAINT;
    case N_SEND_STATEMENT:
        return ast_child(f, par, F_CHANNEL) == e ? U_SEND : U_TAINT;
    case N_RANGE_CLAUSE:
        return ast_child(f, par, F_RIGHT) == e ? U_RANGE : U_TAINT;
    case N_BINARY_EXPRESSION:
        return f->nodes[par].op == OP_EQL || f->nodes[par].op == OP_NEQ ? U_NEUTRAL : U_TAINT;
    case N_ARGUMENT_LIST: {
        nid call = ast_parent(f, par);
        if (ast_child_count(f, par) == 1 && model_is_builtin_call(p, fi, call, "close")) return U_CLOSE;
        if (model_is_builtin_call(p, fi, call, "len") || model_is_builtin_call(p, fi, call, "cap")) return U_NEUTRAL;
        return U_TAINT;
    }
    case N_EXPRESSION_LIST: {
        nid st = ast_parent(f, par);
        if (ast_kind(f, st) != N_ASSIGNMENT_STATEMENT || f->nodes[st].op != OP_ASSIGN) return U_TAINT;
        if (ast_child(f, st, F_LEFT) != par) return U_TAINT;
        nid right = ast_child(f, st, F_RIGHT);
        if (ast_child_count(f, right) != ast_child_count(f, par)) return U_TAINT;
        unsigned idx = 0;
        AST_FOR_CHILDREN(f, par, c)
        {
            if (c == e) break;
            idx++;
        }
        nid v = ast_unparen(f, ast_nth_child(f, right, idx));
        if (ast_kind(f, v) == N_NIL) return U_NEUTRAL;
        if (chan_is_make(p, fi, v)) {
            *make = v;
            return U_MAKE;
        }
        return U_TAINT;
    }
    default:
        return U_TAINT;
    }
}

/* The type of the values of literal_value lv (elided types of nested
 * literals through slices, arrays, maps and pointers), or NULL. */
static struct ltype *literal_type(struct pkg *p, int fi, nid lv, int depth)
{
    const struct gofile *f = &p->files[fi];
    if (depth > 8) return NULL;
    nid par = ast_parent(f, lv);
    if (ast_kind(f, par) == N_COMPOSITE_LITERAL) return model_type_of(p, fi, par);
    if (ast_kind(f, par) != N_LITERAL_ELEMENT) return NULL;
    nid up = ast_parent(f, par);
    bool is_key = false;
    nid outer = up;
    if (ast_kind(f, up) == N_KEYED_ELEMENT) {
        is_key = ast_child(f, up, F_KEY) == par;
        outer = ast_parent(f, up);
    }
    if (ast_kind(f, outer) != N_LITERAL_VALUE) return NULL;
    struct ltype *t = model_underlying(p, literal_type(p, fi, outer, depth + 1));
    if (!t) return NULL;
    struct ltype *r = NULL;
    if (t->kind == LT_SLICE || t->kind == LT_ARRAY) r = is_key ? NULL : t->elem;
    else if (t->kind == LT_MAP) r = is_key ? t->key : t->elem;
    if (r && r->kind == LT_POINTER) r = r->elem;
    return r;
}

static void count_use(struct scan *s, struct cand *c, enum use u, int fi, nid make)
{
    switch (u) {
    case U_TAINT:
        c->taint = true;
        break;
    case U_SEND:
        c->nsend++;
        break;
    case U_RECV:
    case U_RANGE:
        c->nrecv++;
        break;
    case U_CLOSE:
        c->nclose++;
        break;
    case U_MAKE:
        if (!c->nmake++) {
            c->make_fi = fi;
            c->make_at = make;
        }
        if (make_buffer(&s->p->files[fi], make) != 0) c->buffered = true;
        break;
    case U_NEUTRAL:
        break;
    }
}

/* Every mention of a needed field name in the package. */
static void scan_package(struct scan *s)
{
    struct pkg *p = s->p;
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid n = 1; n < f->nnodes; n++) {
            enum node_kind k = ast_kind(f, n);
            if (k == N_SELECTOR_EXPRESSION) {
                struct str fld = ast_text(f, ast_child(f, n, F_FIELD));
                if (!is_needed_name(s, fld)) continue;
                int ci = -1;
                enum res r = resolve_type(s, model_type_of(p, fi, ast_child(f, n, F_OPERAND)), fld, &ci);
                if (r == R_UNKNOWN) taint_name(s, fld);
                if (r != R_CAND) continue;
                nid op = 0, make = 0;
                enum use u = classify_use(p, fi, n, &op, &make);
                count_use(s, &s->c[ci], u, fi, make);
            } else if (k == N_KEYED_ELEMENT) {
                nid key = ast_child(f, n, F_KEY);
                nid id = ast_first_child(f, key);
                if (ast_kind(f, key) == N_LITERAL_ELEMENT) {
                    if (ast_next(f, id)) continue;
                } else {
                    id = key;
                }
                if (ast_kind(f, id) != N_IDENTIFIER && ast_kind(f, id) != N_FIELD_IDENTIFIER) continue;
                struct str fld = ast_text(f, id);
                if (!is_needed_name(s, fld)) continue;
                int ci = -1;
                enum res r = resolve_type(s, literal_type(p, fi, ast_parent(f, n), 0), fld, &ci);
                if (r == R_UNKNOWN) taint_name(s, fld);
                if (r != R_CAND) continue;
                nid v = ast_child(f, n, F_VALUE);
                if (ast_kind(f, v) == N_LITERAL_ELEMENT) v = ast_first_child(f, v);
                v = ast_unparen(f, v);
                if (ast_kind(f, v) == N_NIL) continue;
                if (chan_is_make(p, fi, v)) count_use(s, &s->c[ci], U_MAKE, fi, v);
                else s->c[ci].taint = true;
            } else if (k == N_LITERAL_VALUE) {
                /* positional T{a, b, make(...)}: which value goes where is not followed */
                nid first = ast_first_child(f, n);
                if (ast_kind(f, first) != N_LITERAL_ELEMENT) continue;
                struct ltype *t = literal_type(p, fi, n, 0);
                if (t && t->kind == LT_POINTER) t = t->elem;
                if (!t) continue; /* a struct literal of unknown type: its keys would be keyed */
                if (t->kind != LT_NAMED || strcmp(t->pkgpath, "")) continue;
                for (int i = 0; i < s->n; i++)
                    if (s->c[i].tfi == t->decl_file && s->c[i].tspec == t->decl) s->c[i].taint = true;
                if (t->decl_file >= 0 && ast_kind(&p->files[t->decl_file], t->decl) == N_TYPE_ALIAS)
                    for (int i = 0; i < s->n; i++) s->c[i].taint = true;
            }
        }
    }
}

static bool judged(const struct cand *c)
{
    return !c->taint && c->nmake > 0;
}

static bool recv_orphan(const struct cand *c) { return judged(c) && !c->nsend && !c->nclose; }
/* A send with nobody to receive: blocks at once when unbuffered, once the
 * buffer is full otherwise (reported as such). */
static bool send_orphan(const struct cand *c) { return judged(c) && !c->nrecv; }

/* The select statement whose communication op is (a send statement or a
 * receive expression), or 0. */
static nid select_of(const struct gofile *f, nid op)
{
    nid par = ast_parent(f, op);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) par = ast_parent(f, par);
    if (ast_kind(f, par) == N_RECEIVE_STATEMENT) {
        if (ast_unparen(f, ast_child(f, par, F_RIGHT)) != op) return 0;
        op = par;
        par = ast_parent(f, par);
    }
    if (ast_kind(f, par) != N_COMMUNICATION_CASE || ast_child(f, par, F_COMMUNICATION) != op) return 0;
    return ast_parent(f, par);
}

/* The channel operation of communication case cc: its channel expression
 * and whether it sends; 0 when not a plain send or receive. */
static nid case_chan(const struct gofile *f, nid cc, bool *send)
{
    nid comm = ast_child(f, cc, F_COMMUNICATION);
    if (ast_kind(f, comm) == N_SEND_STATEMENT) {
        *send = true;
        return ast_unparen(f, ast_child(f, comm, F_CHANNEL));
    }
    if (ast_kind(f, comm) == N_RECEIVE_STATEMENT) comm = ast_unparen(f, ast_child(f, comm, F_RIGHT));
    if (ast_kind(f, comm) != N_UNARY_EXPRESSION || f->nodes[comm].op != OP_ARROW) return 0;
    *send = false;
    return ast_unparen(f, ast_child(f, comm, F_OPERAND));
}

/* Is candidate-class channel expression x (a selector) orphaned in the
 * direction of the op? *ci gets its class. */
static bool orphan_sel(struct scan *s, int fi, nid x, bool send, int *ci)
{
    const struct gofile *f = &s->p->files[fi];
    if (ast_kind(f, x) != N_SELECTOR_EXPRESSION) return false;
    struct str fld = ast_text(f, ast_child(f, x, F_FIELD));
    if (!is_cand_name(s, fld)) return false;
    if (resolve_type(s, model_type_of(s->p, fi, ast_child(f, x, F_OPERAND)), fld, ci) != R_CAND) return false;
    return send ? send_orphan(&s->c[*ci]) : recv_orphan(&s->c[*ci]);
}

/* Can no case of select sel ever proceed (no default, every case an
 * orphaned field channel)? */
static bool select_all_orphan(struct scan *s, int fi, nid sel)
{
    const struct gofile *f = &s->p->files[fi];
    int ncases = 0;
    AST_FOR_CHILDREN(f, sel, cc)
    {
        if (ast_kind(f, cc) == N_DEFAULT_CASE) return false;
        if (ast_kind(f, cc) != N_COMMUNICATION_CASE) continue;
        bool send;
        nid ch = case_chan(f, cc, &send);
        int ci;
        if (!ch || !orphan_sel(s, fi, ch, send, &ci)) return false;
        ncases++;
    }
    return ncases > 0;
}

/* Low without the _test.go files (a test that feeds the channel is not
 * seen) and for an operation nobody can reach (an unused method of a test
 * fake); high otherwise. */
static enum confidence conf_at(struct rule_ctx *ctx, nid op)
{
    if (ctx->opts && !ctx->opts->tests) return CONF_LOW;
    return rl_in_uncalled_func(ctx->pkg, ctx->fi, op) ? CONF_LOW : CONF_HIGH;
}

static void report(struct rule_ctx *ctx, struct scan *s, int ci, nid x, nid op, enum use u, bool in_select)
{
    const struct cand *c = &s->c[ci];
    struct str ch = ast_text(ctx->f, x);
    if (ch.n > 60) ch.n = 60;
    enum confidence conf = conf_at(ctx, op);
    const char *what = u == U_SEND ? "send" : u == U_RANGE ? "range" : "receive";
    const char *sel = in_select ? ", and so does every other case of this select" : "";
    struct finding *fd;
    if (u == U_SEND && c->buffered)
        /* a one-shot send into a buffer of one never blocks: low */
        fd = rule_report_conf(ctx, op, CONF_LOW,
                              "nothing in this package ever receives from %.*s (field %.*s of %s): once its "
                              "buffer is full, this send blocks forever%s",
                              (int)ch.n, ch.p, (int)c->field.n, c->field.p, c->type, sel);
    else if (u == U_SEND)
        fd = rule_report_conf(ctx, op, conf,
                              "nothing in this package ever receives from %.*s (field %.*s of %s) and it has no "
                              "buffer: this send blocks forever%s",
                              (int)ch.n, ch.p, (int)c->field.n, c->field.p, c->type, sel);
    else
        fd = rule_report_conf(ctx, op, conf,
                              "nothing in this package ever sends on or closes %.*s (field %.*s of %s): this %s "
                              "blocks forever%s",
                              (int)ch.n, ch.p, (int)c->field.n, c->field.p, c->type, what, sel);
    rule_related_in(ctx, fd, c->make_fi, c->make_at, "%.*s is made here%s", (int)c->field.n, c->field.p,
                    c->nmake > 1 ? " (and elsewhere)" : "");
    int gfi;
    nid go = objects_spawn_site(ctx->pkg, ctx->fi, op, &gfi);
    if (go) rule_related_in(ctx, fd, gfi, go, "the goroutine that blocks is started here");
    if (u == U_SEND)
        fd->fix = xasprintf("receive from %.*s where its values are meant to go, or remove the send", (int)ch.n,
                            ch.p);
    else
        fd->fix = xasprintf("close %.*s where the work it waits for ends (a Stop or Close method, or a `defer "
                            "close` in the goroutine that does the work), or stop waiting on it",
                            (int)ch.n, ch.p);
}

/* The candidates and their uses across the package, made once per package
 * (not once per file: that was quadratic in the package's size) and kept
 * in its arena. The fields needed are those some file of the package
 * blocks on, by syntax alone. */
static struct scan *package_scan(struct pkg *p)
{
    if (p->rule_cache[PKG_CACHE_ORPHANS]) return p->rule_cache[PKG_CACHE_ORPHANS];
    struct scan *s = arena_alloc(&p->arena, sizeof(*s));
    p->rule_cache[PKG_CACHE_ORPHANS] = s;
    s->p = p;
    find_candidates(s);
    bool any = false;
    for (int fi = 0; s->n && fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            if (ast_kind(f, k) != N_SELECTOR_EXPRESSION) continue;
            struct str fld = ast_text(f, ast_child(f, k, F_FIELD));
            if (!is_cand_name(s, fld)) continue;
            nid op = 0, make = 0;
            enum use u = classify_use(p, fi, k, &op, &make);
            if (u != U_SEND && u != U_RECV && u != U_RANGE) continue;
            for (int i = 0; i < s->n; i++)
                if (str_eqs(s->c[i].field, fld)) s->c[i].needed = any = true;
        }
    }
    if (any) scan_package(s);
    else s->n = 0;
    return s;
}

/* The class of channel field that method `m` (a method_declaration whose
 * body is only `return r.f`) hands out, or NULL. */
static const struct obj_class *getter_class(struct pkg *p, int fi, nid m, const struct obj_model *om)
{
    const struct gofile *f = &p->files[fi];
    nid body = ast_child(f, m, F_BODY), list = ast_first_child(f, body);
    nid ret = ast_first_child(f, list);
    if (!ret || ast_next(f, ret) || ast_kind(f, ret) != N_RETURN_STATEMENT) return NULL;
    nid sel = ast_first_child(f, ast_first_child(f, ret));
    if (ast_kind(f, sel) != N_SELECTOR_EXPRESSION) return NULL;
    const struct obj_class *c = objects_class_at(om, fi, sel);
    return c && c->kind == OBJ_CHAN ? c : NULL;
}

/* <-x.M() or range x.M() where M is a getter of an unexported channel
 * field that nothing in the package sends on or closes: only the getter
 * hands it out, and it hands it out receive-only (or is unexported), so
 * no other package can feed it either. */
static void getter_receives(struct rule_ctx *ctx)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    const struct obj_model *om = NULL;
    for (nid k = 1; k < f->nnodes; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        nid par = ast_parent(f, k);
        bool recv = ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_ARROW;
        bool range = ast_kind(f, par) == N_RANGE_CLAUSE && f->nodes[k].field == F_RIGHT;
        nid fn = ast_child(f, k, F_FUNCTION);
        if ((!recv && !range) || ast_kind(f, fn) != N_SELECTOR_EXPRESSION) continue;
        /* a case of a select with other cases or a default does not block
         * for good (the case is only dead) */
        if (recv && chan_select_of(f, par) != CHSEL_NONE && chan_select_of(f, par) != CHSEL_ALONE) continue;
        const char *tn = ltype_own_name(model_type_of(p, ctx->fi, ast_child(f, fn, F_OPERAND)));
        if (!tn) continue;
        const struct pkg_decl *md = pkg_lookup_method(p, tn, ast_text(f, ast_child(f, fn, F_FIELD)));
        if (!md) continue;
        if (!om) om = objects_of(p);
        const struct obj_class *c = getter_class(p, md->file, md->node, om);
        if (!c || c->open || !c->field.n || !(c->field.p[0] >= 'a' && c->field.p[0] <= 'z')) continue;
        const struct gofile *mf = &p->files[md->file];
        nid res = ast_child(mf, md->node, F_RESULT);
        bool recv_only = ast_kind(mf, res) == N_CHANNEL_TYPE && (mf->nodes[res].flags & NF_CHAN_RECV);
        struct str mname = ast_text(mf, ast_child(mf, md->node, F_NAME));
        if (!recv_only && model_is_exported(mname)) continue;
        bool made = false, fed = false;
        for (int u = 0; u < c->nuses; u++) {
            uint8_t op = c->uses[u].op;
            if (op == OO_MAKE) made = true;
            if (op == OO_SEND || op == OO_CLOSE) fed = true;
            if (op == OO_GET && c->uses[u].decl != md->node) fed = true; /* another getter: we do not follow it */
        }
        if (!made || fed) continue;
        enum confidence conf = conf_at(ctx, k);
        nid at = recv ? par : k;
        struct str call = ast_text(f, k);
        if (call.n > 60) call.n = 60;
        struct finding *fd = rule_report_conf(ctx, at, conf,
                                              "%s on %.*s blocks forever: %.*s returns %s.%.*s, which nothing in the package ever "
                                              "sends on or closes",
                                              recv ? "receive" : "range", (int)call.n, call.p, (int)mname.n, mname.p, c->type,
                                              (int)c->field.n, c->field.p);
        if (fd)
            fd->fix = xasprintf("close %s.%.*s where the work it waits for ends, or stop waiting on it", c->type,
                                (int)c->field.n, c->field.p);
    }
}

/* A local channel that nothing sends on or closes, never handed on: each
 * blocking receive or range on it in its creator's own goroutine waits
 * forever (model/chan.h follows it into same-package callees and
 * goroutines; receives in those goroutines are GD104's). */
static void local_receives(struct rule_ctx *ctx)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    for (nid k = 1; k < f->nnodes; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION || !chan_is_make(p, ctx->fi, k)) continue;
        struct chan_info c;
        if (!chan_track(p, ctx->fi, k, &c)) continue;
        if (!c.escapes && !chan_has_op(&c, 1u << CHOP_SEND | 1u << CHOP_CLOSE, CHAN_ANY_GO)) {
            struct str name = ast_text(f, c.name);
            for (int i = 0; i < c.nops; i++) {
                const struct chop *o = &c.ops[i];
                /* in a goroutine of the creator: GD104's (abandoned receiver) */
                if (o->fi != ctx->fi || o->go || (o->kind != CHOP_RECV && o->kind != CHOP_RANGE)) continue;
                if (o->select != CHSEL_NONE && o->select != CHSEL_ALONE) continue;
                /* the channel's one use: `c := make(chan T); <-c` is the
                 * idiom for blocking on purpose (a test fake that must
                 * hang, a main that waits forever), like `select {}` */
                bool idiom = false;
                if (c.nops == 1 && o->kind == CHOP_RECV) {
                    nid st = ast_parent(f, o->node), mk = c.make;
                    while (mk && !rl_is_stmt_kind(ast_kind(f, mk))) mk = ast_parent(f, mk);
                    idiom = ast_kind(f, st) == N_EXPRESSION_STATEMENT && mk && ast_next(f, mk) == st;
                }
                struct finding *fd = rule_report_conf(
                    ctx, o->node, idiom ? CONF_LOW : conf_at(ctx, o->node),
                    "nothing sends on or closes %.*s, made at line %u and never handed on: this %s blocks forever%s",
                    (int)name.n, name.p, f->nodes[c.make].line, o->kind == CHOP_RANGE ? "range" : "receive",
                    idiom ? " (its only use: if blocking is meant, `select {}` says so)" : "");
                if (!fd) continue;
                rule_related(ctx, fd, c.make, "%.*s is made here", (int)name.n, name.p);
                fd->fix = xasprintf("send on or close %.*s where the value it waits for is ready, or remove the %s",
                                    (int)name.n, name.p, o->kind == CHOP_RANGE ? "range" : "receive");
            }
        }
        chan_info_free(&c);
    }
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    if (rl_pkg_has_error(p)) return;
    getter_receives(ctx);
    local_receives(ctx);
    struct scan *s = package_scan(p);
    if (!s->n) return;
    for (nid k = 1; k < f->nnodes; k++) {
        if (ast_kind(f, k) != N_SELECTOR_EXPRESSION) continue;
        struct str fld = ast_text(f, ast_child(f, k, F_FIELD));
        if (!is_needed_name(s, fld)) continue;
        nid op = 0, make = 0;
        enum use u = classify_use(p, ctx->fi, k, &op, &make);
        if (u != U_SEND && u != U_RECV && u != U_RANGE) continue;
        int ci;
        if (!orphan_sel(s, ctx->fi, k, u == U_SEND, &ci)) continue;
        nid sel = u == U_RANGE ? 0 : select_of(f, op);
        if (sel) {
            /* reported once, at the first case */
            nid first = 0;
            AST_FOR_CHILDREN(f, sel, cc)
            if (ast_kind(f, cc) == N_COMMUNICATION_CASE && !first) first = cc;
            if (!ast_contains(f, first, op) || !select_all_orphan(s, ctx->fi, sel)) continue;
            int ncases = 0;
            AST_FOR_CHILDREN(f, sel, cc) ncases += ast_kind(f, cc) == N_COMMUNICATION_CASE;
            report(ctx, s, ci, k, op, u, ncases > 1);
        } else {
            report(ctx, s, ci, k, op, u, false);
        }
    }
}

const struct rule rule_orphan_channel_operation = {
    .id = "GD108",
    .name = "orphan-channel-operation",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A receive on a struct field channel that nothing in the package sends on or closes (or a send "
               "on an unbuffered one that nothing receives from): it blocks forever.",
    .why = "A channel kept in an unexported struct field (`s.done`, `c.stopCh`, `w.results`) can only be used "
           "by the code of its package. When no function of the package ever sends on it or closes it, a "
           "receive on it can never complete: the goroutine that waits (a `Wait` method, a worker's loop, a "
           "controller's `Run`) is stuck for good, and so is everything waiting for that goroutine. This "
           "happens after refactors that move the `close(s.done)` or the sends elsewhere, or when a "
           "`Stop` method was never written. "
           "godark follows such a field across the whole package, test files included: every value it is "
           "given must be a `make` the package can see, and it must be used only by sends, receives, ranges, "
           "`close`, `len`/`cap` and nil comparisons. When it is passed to a function, returned, stored "
           "elsewhere, set from a parameter, exported, or reached through an embedded struct, godark stays "
           "silent. A receive (or range, or a select without default whose every case is such a channel) on "
           "a field nobody sends on or closes is reported, and so is a send on a field whose every make is "
           "unbuffered when nothing receives from it. In a function the package never names (an unused method of "
           "a test fake, an unexported function nobody calls) the operation is dead code: low confidence. "
           "A receive through a getter (`<-f.Finished()` where `Finished` only returns `f.finished`) is "
           "reported the same way when the getter hands the channel out receive-only or is unexported (so "
           "no other package can feed it) and nothing in the package sends on the field or closes it. A local "
           "channel gets the same treatment: when nothing sends on it or closes it (in its function, the "
           "goroutines it starts and the same-package functions it is passed to) and it is never handed on, a "
           "receive or range on it in its own function blocks forever (at low confidence when the receive is "
           "the channel's only use, right after its make: `c := make(chan T); <-c` is the idiom for blocking on "
           "purpose, like `select {}`). A field channel with a buffer that "
           "nothing receives from blocks its sends once the buffer is full: reported at low confidence, since "
           "one send into a buffer of one never blocks.",
    .bad = "package p\n\ntype Server struct {\n\tdone chan struct{}\n\tjobs chan string\n}\n\n"
           "func NewServer() *Server {\n\treturn &Server{done: make(chan struct{}), jobs: make(chan string, 16)}\n}\n\n"
           "func (s *Server) Run(handle func(string)) {\n\tfor {\n\t\tselect {\n\t\tcase j := <-s.jobs:\n"
           "\t\t\thandle(j)\n\t\tcase <-s.done:\n\t\t\treturn\n\t\t}\n\t}\n}\n\n"
           "func (s *Server) Submit(j string) { s.jobs <- j }\n\n"
           "// Wait waits for Run to return, but nothing ever closes s.done.\nfunc (s *Server) Wait() { <-s.done }\n",
    .good = "package p\n\ntype Server struct {\n\tdone chan struct{}\n\tjobs chan string\n}\n\n"
            "func NewServer() *Server {\n\treturn &Server{done: make(chan struct{}), jobs: make(chan string, 16)}\n}\n\n"
            "func (s *Server) Run(handle func(string)) {\n\tdefer close(s.done)\n\tfor j := range s.jobs {\n"
            "\t\thandle(j)\n\t}\n}\n\n"
            "func (s *Server) Submit(j string) { s.jobs <- j }\n\n"
            "func (s *Server) Stop() { close(s.jobs) }\n\n"
            "func (s *Server) Wait() { <-s.done }\n",
    .tests_low = true,
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
