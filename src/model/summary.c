/* model/summary: object keys, static callees, call summaries and the lock
 * dataflow (see summary.h).
 *
 * The lock dataflow runs per function over its CFG. Each tracked lock has
 * a set of "may" bits, joined by OR at merges:
 *   H_ENTRY  as on entry (held or not: the caller decides)
 *   H_NO     released by this function
 *   H_W, H_R write- / read-held, acquired by this function
 *   H_R2     read-held twice (a recursive RLock, itself reported)
 *   D_YES, D_NO  a deferred release is / is not registered
 *   NF       some path got here without taking the lock (for EF_ALL_PATHS)
 * "Must be held" is (bits & H_ANY) == H_W (or H_R). A finding needs a must
 * fact, so correlated branches (`if c { Lock }` ... `if c { Unlock }`)
 * stay silent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "callees.h"
#include "cfg.h"
#include "objects.h"
#include "summary.h"

#define MAX_KEYS 48
#define MAX_OPS_PER_EVENT 16

enum {
    H_ENTRY = 1,
    H_NO = 2,
    H_W = 4,
    H_R = 8,
    H_R2 = 64, /* read-locked twice (after a recursive RLock) */
    H_ANY = 15 | 64,
    D_YES = 16,
    D_NO = 32,
    D_ANY = 48,
    NF = 128, /* no lock (direct, or a callee's lock on all its paths) on some path so far */
    TK = 256, /* some path so far took the lock (directly or in a callee, on some of its paths) */
};

/* The state of one lock at one point: the bits above. */
typedef uint16_t hstate;

/* Lock-order edge: a function holds `held` (on every path) while taking
 * `taken`. */
struct order_edge {
    const char *held, *taken;          /* classes */
    const char *held_text, *taken_text; /* as written */
    bool held_w, taken_w;              /* write (exclusive) modes */
    int fi;
    nid at;             /* the Lock (or the call that locks) */
    uint32_t held_line; /* where `held` was locked, or 0 */
    nid fn;             /* the function or func literal taking them */
};

/* A channel or WaitGroup operation with the locks around it. */
enum chan_op { CO_SEND = WO_SEND, CO_RECV = WO_RECV, CO_RANGE = WO_RANGE, CO_CLOSE = WO_CLOSE, CO_WAIT = WO_WAIT,
               CO_DONE = WO_DONE, CO_ADD };
struct chan_fact {
    const char *chan;     /* class */
    const char *chan_text;
    uint8_t op;           /* enum chan_op */
    const char *lock;     /* class: held here (blocking facts) or taken before (counterpart facts) */
    const char *lock_text;
    int fi;
    nid at, fn;
    uint32_t lock_line;
    bool held; /* the lock is held at the operation itself */
    /* counterpart facts: the lock is taken before on some paths only (or
     * in an earlier iteration of a loop around the operation) */
    bool some;
    /* `at` is a call of a same-package function that performs the
     * operation (at any depth): where it does, and the callee's name */
    int via_fi;
    nid via_at;
    /* reached through a call of a function value that may call another
     * function (op.may): the finding is a guess (low) */
    uint8_t may;
};

/* Struct types of the package with mutex fields, for guarded-by inference. */
struct lock_type {
    const char *name;
    const char *locks[4]; /* field names: "mu", or "Mutex" for an embedded one */
    int nlocks;
    int fi;
    nid st; /* struct_type node */
};

/* An access to field `field` of a value of lock_type `lt`, with which of
 * the type's locks (of the same object) are held on every path. */
struct field_fact {
    int lt;
    const char *field;
    bool write;
    bool report_ok; /* not in a constructor, a *Locked function, a test */
    uint8_t held;   /* bit i: lock_types[lt].locks[i] held */
    int fi;
    nid at, fn;
    int fn_decl; /* decl index of the enclosing function, or -1 */
};

/* A call of a method of a lock_type: which of the receiver's locks are
 * held at the call. */
struct call_fact {
    int decl;
    uint8_t held;
};

/* A write Lock of a lock class, and the function taking it. */
struct lock_writer {
    const char *cls;
    int fi;
    nid fn;
};

/* What runs after a goroutine starts at s (file sfi), without waiting
 * first (model_spawner_goes_on): stretches of the spawner and its callers,
 * and the functions called there (two calls deep), by decl index. */
struct goes_on_range {
    int fi;
    nid fn, from, to;
};
struct goes_on {
    int sfi;
    nid s;
    uint8_t *reached; /* bitset by decl index */
    struct goes_on_range r[16];
    int nr;
};

struct lit_summary {
    int fi;
    nid lit;
    bool busy;
    const struct func_summary *s;
};

struct pkg_analysis {
    const struct func_summary **sums; /* by decl index; NULL not computed yet */
    uint8_t *state;                   /* by decl: 0 not started, 1 in progress, 2 done,
                                         3 done but provisional (in a recursive cycle
                                         whose first function is still in progress) */
    /* summary_of's recursion (Tarjan's strongly connected components, on
     * demand): the functions in progress, each one's depth on that stack,
     * and the lowest depth it reaches back to */
    VEC(int) stack;
    int *depth, *low;
    bool *reentered; /* by decl: called again while in progress (this round) */
    VEC(int) provisional; /* state-3 functions, in the order they finished */
    bool issues_done;
    VEC(struct lock_issue) issues;
    VEC(struct order_edge) edges;
    VEC(struct chan_fact) blocking; /* waits while holding a lock */
    VEC(struct chan_fact) counter;  /* operations reached only after taking a lock */
    VEC(struct chan_fact) adds;     /* WaitGroup Adds made after taking a lock */
    bool lock_types_done;
    VEC(struct lock_type) lock_types;
    VEC(struct str) lt_names; /* field and method names of the lock types: a cheap filter */
    VEC(struct field_fact) fields;
    VEC(struct call_fact) calls;
    VEC(struct lock_writer) writers;
    /* deep channel summaries (chan_summary_of): by decl index */
    const struct func_summary **chans;
    uint8_t *chan_state;
    bool *entry_release; /* by decl: the function releases a lock its caller may hold */
    nid *after_func;     /* by decl: a time.AfterFunc that runs it (after_func_site), or 0 */
    VEC(struct goes_on) goes_on; /* model_spawner_goes_on, by go statement */
    /* summaries of func literals stored in or passed as function values
     * (literal_summary): busy while being computed */
    VEC(struct lit_summary) lits;
    unsigned unfinished_hits; /* summary_of returned a summary still being solved */
    int *after_func_fi;
};

static const struct func_summary empty_summary = {NULL, 0};

static struct pkg_analysis *analysis(struct pkg *p)
{
    if (!p->analysis) {
        struct pkg_analysis *a = xcalloc(1, sizeof *a);
        a->sums = xcalloc((size_t)p->ndecls + 1, sizeof *a->sums);
        a->state = xcalloc((size_t)p->ndecls + 1, 1);
        a->depth = xcalloc((size_t)p->ndecls + 1, sizeof(int));
        a->low = xcalloc((size_t)p->ndecls + 1, sizeof(int));
        a->reentered = xcalloc((size_t)p->ndecls + 1, sizeof(bool));
        a->chans = xcalloc((size_t)p->ndecls + 1, sizeof *a->chans);
        a->chan_state = xcalloc((size_t)p->ndecls + 1, 1);
        a->entry_release = xcalloc((size_t)p->ndecls + 1, sizeof(bool));
        p->analysis = a;
    }
    return p->analysis;
}

void model_analysis_free(struct pkg *p)
{
    struct pkg_analysis *a = p->analysis;
    if (!a) return;
    free(a->sums);
    free(a->state);
    free(a->depth);
    free(a->low);
    free(a->reentered);
    vec_free(&a->stack);
    vec_free(&a->provisional);
    free(a->chans);
    free(a->chan_state);
    free(a->entry_release);
    free(a->after_func);
    free(a->after_func_fi);
    for (size_t i = 0; i < a->goes_on.len; i++) free(a->goes_on.items[i].reached);
    vec_free(&a->goes_on);
    vec_free(&a->lits);
    vec_free(&a->issues);
    vec_free(&a->edges);
    vec_free(&a->blocking);
    vec_free(&a->counter);
    vec_free(&a->adds);
    vec_free(&a->lock_types);
    vec_free(&a->lt_names);
    vec_free(&a->fields);
    vec_free(&a->calls);
    vec_free(&a->writers);
    free(a);
    p->analysis = NULL;
}

/* ---- keys ---- */

/* The root part of a key for identifier id used inside function fn. */
static bool root_key(struct pkg *p, int fi, nid fn, nid id, struct buf *out)
{
    const struct gofile *f = &p->files[fi];
    nid decl, name;
    if (model_resolve_local(p, fi, id, &decl, &name)) {
        enum node_kind dk = ast_kind(f, decl);
        if ((dk == N_PARAMETER_DECLARATION || dk == N_VARIADIC_PARAMETER_DECLARATION) && fn &&
            ast_parent(f, ast_parent(f, decl)) == fn) {
            nid list = ast_parent(f, decl);
            if (f->nodes[list].field == F_RECEIVER) {
                buf_puts(out, "R");
                return true;
            }
            int idx = 0;
            AST_FOR_CHILDREN(f, list, pd)
            {
                AST_FOR_CHILDREN(f, pd, nm)
                {
                    if (f->nodes[nm].field != F_NAME) continue;
                    if (nm == name) {
                        buf_printf(out, "P%d", idx);
                        return true;
                    }
                    idx++;
                }
            }
            return false;
        }
        buf_printf(out, "L%u", name);
        return true;
    }
    struct str s = ast_text(f, id);
    const struct pkg_decl *d = pkg_lookup(p, s, PD_VAR);
    if (!d || pkg_decl_count(p, s, PD_VAR) != 1) return false;
    buf_printf(out, "G%.*s", (int)s.n, s.p);
    return true;
}

/* Key of path expression e (identifier or selector chain, with & * and
 * parentheses stripped), or NULL. */
static const char *expr_key(struct pkg *p, int fi, nid fn, nid e)
{
    const struct gofile *f = &p->files[fi];
    nid fields[16];
    int nf = 0;
    for (;;) {
        e = ast_unparen(f, e);
        enum node_kind k = ast_kind(f, e);
        if (k == N_UNARY_EXPRESSION && (f->nodes[e].op == OP_AND || f->nodes[e].op == OP_MUL)) {
            e = ast_child(f, e, F_OPERAND);
            continue;
        }
        if (k == N_SELECTOR_EXPRESSION) {
            if (nf == (int)GD_ARRAY_LEN(fields)) return NULL;
            fields[nf++] = ast_child(f, e, F_FIELD);
            e = ast_child(f, e, F_OPERAND);
            continue;
        }
        if (k != N_IDENTIFIER) return NULL;
        break;
    }
    if (nf && model_import_path(p, fi, ast_text(f, e))) {
        nid d, nm;
        if (!model_resolve_local(p, fi, e, &d, &nm)) return NULL; /* otherpkg.Var */
    }
    struct buf b = {0};
    const char *r = NULL;
    if (root_key(p, fi, fn, e, &b)) {
        for (int i = nf; i-- > 0;) {
            struct str s = ast_text(f, fields[i]);
            buf_printf(&b, ".%.*s", (int)s.n, s.p);
        }
        r = arena_strndup(&p->arena, b.data, strlen(b.data));
    }
    buf_free(&b);
    return r;
}

/* The root identifier of a path expression, or 0. */
static nid path_root(const struct gofile *f, nid e)
{
    for (;;) {
        e = ast_unparen(f, e);
        enum node_kind k = ast_kind(f, e);
        if (k == N_UNARY_EXPRESSION) e = ast_child(f, e, F_OPERAND);
        else if (k == N_SELECTOR_EXPRESSION) e = ast_child(f, e, F_OPERAND);
        else return k == N_IDENTIFIER ? e : 0;
    }
}

/* The class of an object expression, the same in every function of the
 * package: "T.f" for field f of a value of named type T, "G:name" for a
 * package variable, "L<file>:<nid>" for a local (a closure sees its
 * enclosing function's locals by the same declaration), with ".suffix"
 * for an embedded lock. NULL when unknown (a parameter of unknown
 * provenance, an index expression...). Lock order and blocking-while-locked
 * match objects across functions by class. */
static const char *obj_class(struct pkg *p, int fi, nid e, const char *suffix)
{
    const struct gofile *f = &p->files[fi];
    for (;;) {
        e = ast_unparen(f, e);
        if (ast_kind(f, e) == N_UNARY_EXPRESSION && (f->nodes[e].op == OP_AND || f->nodes[e].op == OP_MUL))
            e = ast_child(f, e, F_OPERAND);
        else
            break;
    }
    const char *sfx = suffix ? suffix : "";
    const char *dot = suffix ? "." : "";
    if (suffix) {
        /* an embedded lock: the class of the embedding type */
        struct ltype *t = model_type_of(p, fi, e);
        if (t && t->kind == LT_POINTER) t = t->elem;
        if (!t || t->kind != LT_NAMED) return NULL;
        return arena_printf(&p->arena, "%s%s%s.%s", t->pkgpath, *t->pkgpath ? "." : "", t->name, suffix);
    }
    if (ast_kind(f, e) == N_SELECTOR_EXPRESSION) {
        nid o = ast_child(f, e, F_OPERAND);
        struct str fld = ast_text(f, ast_child(f, e, F_FIELD));
        if (ast_kind(f, ast_unparen(f, o)) == N_IDENTIFIER && model_import_path(p, fi, ast_text(f, ast_unparen(f, o)))) {
            nid d, nm;
            if (!model_resolve_local(p, fi, ast_unparen(f, o), &d, &nm)) return NULL; /* otherpkg.Var */
        }
        struct ltype *t = model_type_of(p, fi, o);
        if (t && t->kind == LT_POINTER) t = t->elem;
        if (!t || t->kind != LT_NAMED || !strcmp(t->pkgpath, "?")) return NULL;
        return arena_printf(&p->arena, "%s%s%s.%.*s%s%s", t->pkgpath, *t->pkgpath ? "." : "", t->name, (int)fld.n,
                            fld.p, dot, sfx);
    }
    if (ast_kind(f, e) != N_IDENTIFIER) return NULL;
    nid decl, name;
    if (model_resolve_local(p, fi, e, &decl, &name)) {
        enum node_kind dk = ast_kind(f, decl);
        if (dk == N_PARAMETER_DECLARATION || dk == N_VARIADIC_PARAMETER_DECLARATION) return NULL;
        return arena_printf(&p->arena, "L%d:%u", fi, name);
    }
    struct str s = ast_text(f, e);
    if (pkg_decl_count(p, s, PD_VAR) != 1) return NULL;
    return arena_printf(&p->arena, "G:%.*s", (int)s.n, s.p);
}

/* ---- lock operations ---- */

static const char *const lock_methods[] = {"Lock", "RLock", "Unlock", "RUnlock", "TryLock", "TryRLock"};
enum { M_LOCK, M_RLOCK, M_UNLOCK, M_RUNLOCK, M_TRYLOCK, M_TRYRLOCK, M_NONE };

/* The embedded sync.Mutex / sync.RWMutex field name of the struct type
 * declared at node st of file fi, or NULL. */
static const char *struct_embedded_lock(struct pkg *p, int fi, nid st)
{
    const struct gofile *f = &p->files[fi];
    for (nid k = st + 1; k < f->nodes[st].end; k++) {
        if (ast_kind(f, k) != N_FIELD_DECLARATION || ast_parent(f, ast_parent(f, k)) != st) continue;
        if (ast_child(f, k, F_NAME)) continue;
        nid ty = ast_child(f, k, F_TYPE);
        if (f->nodes[k].op == OP_MUL) continue; /* *sync.Mutex embedded: nil unless set; skip */
        if (model_is_ref(p, fi, ty, "sync", "Mutex")) return "Mutex";
        if (model_is_ref(p, fi, ty, "sync", "RWMutex")) return "RWMutex";
    }
    return NULL;
}

/* The embedded sync.Mutex / sync.RWMutex field name of struct-typed t (of
 * this package), or NULL. *anon is set when t is an unnamed struct type
 * (`mu struct{ sync.Mutex; n int }`): the lock is then the object itself. */
static const char *embedded_lock(struct pkg *p, struct ltype *t, bool *anon)
{
    if (t && t->kind == LT_POINTER) t = t->elem;
    *anon = t && t->kind == LT_STRUCT;
    if (*anon) return t->decl_file >= 0 ? struct_embedded_lock(p, t->decl_file, t->decl) : NULL;
    if (!t || t->kind != LT_NAMED || strcmp(t->pkgpath, "")) return NULL;
    struct ltype *u = model_underlying(p, t);
    if (!u || u->kind != LT_STRUCT || u->decl_file < 0) return NULL;
    if (pkg_decl_count(p, str_make(t->name, strlen(t->name)), PD_TYPE) != 1) return NULL;
    return struct_embedded_lock(p, u->decl_file, u->decl);
}

/* Is call X.M() a sync.Mutex/RWMutex method call? Fills *method, the key,
 * and whether the lock is an RWMutex. */
static bool lock_call(struct pkg *p, int fi, nid fn, nid call, int *method, const char **key, bool *rw,
                      const char **text, const char **cls)
{
    const struct gofile *f = &p->files[fi];
    nid callee = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, callee) != N_SELECTOR_EXPRESSION) return false;
    nid fld = ast_child(f, callee, F_FIELD);
    int m = M_NONE;
    for (int i = 0; i < (int)GD_ARRAY_LEN(lock_methods); i++)
        if (ast_text_is(f, fld, lock_methods[i])) m = i;
    if (m == M_NONE) return false;
    nid x = ast_child(f, callee, F_OPERAND);
    struct ltype *t = model_type_of(p, fi, x);
    if (!t) return false;
    const char *suffix = NULL;
    if (ltype_is(t, "sync", "Mutex", true)) *rw = false;
    else if (ltype_is(t, "sync", "RWMutex", true)) *rw = true;
    else {
        struct ltype *b = t->kind == LT_POINTER ? t->elem : t;
        if (b && b->kind == LT_NAMED && pkg_lookup_method(p, b->name, ast_text(f, fld))) return false;
        bool anon;
        suffix = embedded_lock(p, t, &anon);
        if (!suffix) return false;
        *rw = suffix[0] == 'R';
        /* a lock embedded in an unnamed struct is named by the object that
         * holds it: `s.mu` of `mu struct{ sync.Mutex; ... }` is "R.mu", class
         * "S.mu", as a plain sync.Mutex field would be */
        if (anon) suffix = NULL;
    }
    const char *k = expr_key(p, fi, fn, x);
    if (!k) {
        /* an element or a call's result on the way (`s.m[k].mu`,
         * `s.get(k).mu`): known by its class only, keyed by its text */
        bool element = false;
        for (nid e = ast_unparen(f, x); e && !element;) {
            enum node_kind ek = ast_kind(f, e);
            element = ek == N_INDEX_EXPRESSION || ek == N_CALL_EXPRESSION;
            e = ek == N_SELECTOR_EXPRESSION || ek == N_UNARY_EXPRESSION ? ast_unparen(f, ast_child(f, e, F_OPERAND)) : 0;
        }
        if (!element || !obj_class(p, fi, x, suffix)) return false;
        struct str s = ast_text(f, x);
        k = arena_printf(&p->arena, "X%.*s", (int)s.n, s.p);
    }
    if (suffix) k = arena_printf(&p->arena, "%s.%s", k, suffix);
    *key = k;
    if (text) {
        struct str s = ast_text(f, x);
        if (s.n > 60) s.n = 60;
        *text = suffix ? arena_printf(&p->arena, "%.*s.%s", (int)s.n, s.p, suffix) : arena_strndup(&p->arena, s.p, s.n);
    }
    if (cls) *cls = obj_class(p, fi, x, suffix);
    *method = m;
    return true;
}

const char *model_obj_class(struct pkg *p, int fi, nid e) { return obj_class(p, fi, e, NULL); }

bool model_lock_call_class(struct pkg *p, int fi, nid fn, nid call, const char **cls, bool *acquire)
{
    int m;
    bool rw;
    const char *key, *text;
    *cls = NULL;
    if (!lock_call(p, fi, fn, call, &m, &key, &rw, &text, cls)) return false;
    if (m != M_LOCK && m != M_RLOCK && m != M_UNLOCK && m != M_RUNLOCK) return false;
    *acquire = m == M_LOCK || m == M_RLOCK;
    return true;
}

/* ---- callees ---- */

/* model_callee, and when the call goes through a function value, its set
 * in *cs with *value set. */
static int resolve_callee(struct pkg *p, int fi, nid call, struct callee_set *cs, bool *value)
{
    const struct gofile *f = &p->files[fi];
    *value = false;
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return -1;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    const struct pkg_decl *d = NULL;
    if (ast_kind(f, fe) == N_IDENTIFIER) {
        nid dn, nm;
        if (model_resolve_local(p, fi, fe, &dn, &nm)) {
            /* a local or parameter holding one function (callees.h) */
            *value = model_callees(p, fi, call, cs);
            return *value ? callee_set_sole(cs) : -1;
        }
        struct str s = ast_text(f, fe);
        if (pkg_decl_count(p, s, PD_FUNC) != 1) return -1;
        d = pkg_lookup(p, s, PD_FUNC);
    } else if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION) {
        nid x = ast_child(f, fe, F_OPERAND);
        struct ltype *t = model_type_of(p, fi, x);
        if (t && t->kind == LT_POINTER) t = t->elem;
        if (!t || t->kind != LT_NAMED || strcmp(t->pkgpath, "")) return -1;
        if (pkg_decl_count(p, str_make(t->name, strlen(t->name)), PD_TYPE) != 1) return -1;
        struct str m = ast_text(f, ast_child(f, fe, F_FIELD));
        d = pkg_lookup_method(p, t->name, m);
        /* a method of a package interface that only package types can
         * implement, and one of them does */
        if (!d && pkg_interface_closed(p, t->name)) d = pkg_sole_implementation(p, t->name, m);
        /* a func-typed field the package always sets to one function */
        if (!d) {
            *value = model_callees(p, fi, call, cs);
            return *value ? callee_set_sole(cs) : -1;
        }
    } else if (ast_kind(f, fe) == N_INDEX_EXPRESSION) {
        *value = model_callees(p, fi, call, cs);
        return *value ? callee_set_sole(cs) : -1;
    }
    if (!d) return -1;
    return (int)(d - p->decls);
}

int model_callee(struct pkg *p, int fi, nid call)
{
    struct callee_set cs;
    bool value;
    return resolve_callee(p, fi, call, &cs, &value);
}

/* The composite literal that expression e (file fi) is: `T{...}`,
 * `&T{...}`, or a local of function fn defined by one and never assigned
 * again; else 0. */
static nid struct_literal(struct pkg *p, int fi, nid fn, nid e)
{
    const struct gofile *f = &p->files[fi];
    e = ast_unparen(f, e);
    if (ast_kind(f, e) == N_UNARY_EXPRESSION && f->nodes[e].op == OP_AND) e = ast_unparen(f, ast_child(f, e, F_OPERAND));
    if (ast_kind(f, e) == N_COMPOSITE_LITERAL) return e;
    nid decl, name;
    if (ast_kind(f, e) != N_IDENTIFIER || !fn || !model_resolve_local(p, fi, e, &decl, &name)) return 0;
    if (ast_kind(f, decl) != N_SHORT_VAR_DECLARATION && ast_kind(f, decl) != N_VAR_SPEC) return 0;
    nid val = model_decl_value(f, decl, name, NULL);
    nid lit = val ? struct_literal(p, fi, 0, val) : 0;
    if (!lit) return 0;
    /* assigned again (x = ..., x.f = ...): the literal may not be what it holds */
    struct str nm = ast_text(f, name);
    for (nid k = fn; k < f->nodes[fn].end; k++) {
        if (ast_kind(f, k) != N_ASSIGNMENT_STATEMENT) continue;
        nid l = ast_child(f, k, F_LEFT);
        for (nid q = l; q < f->nodes[l].end; q++)
            if (ast_kind(f, q) == N_IDENTIFIER && str_eqs(ast_text(f, q), nm)) return 0;
    }
    return lit;
}

/* The value composite literal lit (file fi) gives field `name` of its
 * struct type (keyed, or by position in the package's struct
 * declaration), or 0. */
static nid literal_field_value(struct pkg *p, int fi, nid lit, struct str name)
{
    const struct gofile *f = &p->files[fi];
    nid body = ast_child(f, lit, F_BODY);
    struct ltype *t = model_type_from_expr(p, fi, ast_child(f, lit, F_TYPE));
    struct ltype *u = model_underlying(p, t);
    if (!body || !u || u->kind != LT_STRUCT) return 0;
    const struct gofile *sf = &p->files[u->decl_file];
    nid list = ast_first_child(sf, u->decl);
    unsigned pos = 0;
    AST_FOR_CHILDREN(f, body, el)
    {
        if (ast_kind(f, el) == N_KEYED_ELEMENT) {
            nid key = ast_first_child(f, ast_child(f, el, F_KEY));
            if (ast_kind(f, key) == N_IDENTIFIER && str_eqs(ast_text(f, key), name))
                return ast_first_child(f, ast_child(f, el, F_VALUE));
            continue;
        }
        /* positional: the pos-th field name of the declaration */
        unsigned i = 0;
        AST_FOR_CHILDREN(sf, list, fd)
        {
            if (ast_kind(sf, fd) != N_FIELD_DECLARATION) continue;
            AST_FOR_CHILDREN(sf, fd, c)
            {
                if (sf->nodes[c].field != F_NAME) continue;
                if (i++ == pos && str_eqs(ast_text(sf, c), name)) return ast_first_child(f, el);
            }
            if (!ast_child(sf, fd, F_NAME)) i++; /* embedded */
        }
        pos++;
    }
    return 0;
}

/* The caller-side key for callee key `ck` at call (receiver / arguments);
 * recv, when not 0, is the expression the callee's receiver is bound to
 * (a method reached through a function value), else the call's operand. */
static const char *map_key_recv(struct pkg *p, int fi, nid fn, nid call, nid recv, const char *ck, const char **text,
                                const char **cls)
{
    const struct gofile *f = &p->files[fi];
    const char *rest = ck + 1;
    while (*rest && *rest != '.') rest++;
    nid base = 0;
    *cls = NULL;
    if (ck[0] == 'C') {
        /* a callee's lock known by its class only */
        *text = ck + 2;
        *cls = ck + 2;
        return ck;
    }
    if (ck[0] == 'G') {
        *text = ck + 1;
        *cls = arena_printf(&p->arena, "G:%s", ck + 1);
        return ck;
    }
    if (ck[0] == 'R') {
        nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
        if (recv) base = recv;
        else if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) return NULL;
        else base = ast_child(f, fe, F_OPERAND);
    } else if (ck[0] == 'P') {
        int idx = atoi(ck + 1);
        nid args = ast_child(f, call, F_ARGUMENTS);
        base = ast_nth_child(f, args, (unsigned)idx);
        if (!base || ast_kind(f, base) == N_VARIADIC_ARGUMENT) return NULL;
    } else {
        return NULL;
    }
    /* through a struct literal that wraps the object (`&wrapper{s}` where
     * the callee locks .s.mu): the object the literal's field holds */
    for (int hop = 0; hop < 4 && *rest; hop++) {
        nid lit = struct_literal(p, fi, fn, base);
        const char *dot = strchr(rest + 1, '.');
        size_t n = dot ? (size_t)(dot - rest - 1) : strlen(rest + 1);
        nid v = lit ? literal_field_value(p, fi, lit, str_make(rest + 1, n)) : 0;
        if (!v || !expr_key(p, fi, fn, v)) break;
        base = v;
        rest = dot ? dot : rest + 1 + n;
    }
    const char *bk = expr_key(p, fi, fn, base);
    if (!bk) return NULL;
    struct str bt = ast_text(f, ast_unparen(f, base));
    if (bt.n && bt.p[0] == '&') bt.p++, bt.n--;
    *text = arena_printf(&p->arena, "%.*s%s", (int)(bt.n > 60 ? 60 : bt.n), bt.p, rest);
    if (!*rest) {
        *cls = obj_class(p, fi, base, NULL);
    } else {
        struct ltype *t = model_type_of(p, fi, ast_unparen(f, base));
        if (t && t->kind == LT_POINTER) t = t->elem;
        const char *tname = t && t->kind == LT_NAMED ? t->name : NULL;
        if (ck[0] == 'R' && tname && !*t->pkgpath && pkg_interface_closed(p, tname)) {
            /* a call through a package interface: the receiver's fields
             * are those of the one type that implements it (their types
             * are not followed further) */
            int d = model_callee(p, fi, call);
            tname = d >= 0 ? p->decls[d].recv_type : NULL;
            t = NULL;
        }
        /* a path through fields (`.rep.mu`): the class is the last field
         * of the type of the one before it */
        const char *last = rest;
        for (const char *dot; tname && (dot = strchr(last + 1, '.')); last = dot) {
            t = t && !*t->pkgpath ? model_field_type(p, t, str_make(last + 1, (size_t)(dot - last - 1))) : NULL;
            if (t && t->kind == LT_POINTER) t = t->elem;
            tname = t && t->kind == LT_NAMED ? t->name : NULL;
        }
        if (tname && (!t || strcmp(t->pkgpath, "?")))
            *cls = arena_printf(&p->arena, "%s%s%s%s", t ? t->pkgpath : "", t && *t->pkgpath ? "." : "", tname, last);
    }
    return *rest ? arena_printf(&p->arena, "%s%s", bk, rest) : bk;
}

static const char *map_key(struct pkg *p, int fi, nid fn, nid call, const char *ck, const char **text,
                           const char **cls)
{
    return map_key_recv(p, fi, fn, call, 0, ck, text, cls);
}

/* ---- the per-function analysis ---- */

enum op_kind { OP_LOCKW, OP_LOCKR, OP_UNLOCKW, OP_UNLOCKR, OP_DEFER_RELEASE, OP_CHECK_FRESH, OP_RELOCK, OP_DEFER_LOCK,
               OP_CHAN, OP_FIELD, OP_CALLSITE };

struct op {
    uint8_t kind;
    uint8_t key;
    bool via_call;  /* from a callee's summary */
    bool all_paths; /* OP_CHECK_FRESH / via call: the callee locks on every path */
    bool read;      /* OP_CHECK_FRESH, OP_RELOCK, OP_DEFER_LOCK: the callee read-locks */
    nid node;       /* the call (or defer statement) */
    uint8_t chan_op; /* OP_CHAN: enum chan_op */
    bool in_select;  /* OP_CHAN: a select case (may not block) */
    const char *chan, *chan_text; /* OP_CHAN: class and text */
    /* OP_FIELD / OP_CALLSITE: the lock type, the object's key ("R"), the
     * field, whether it is written; the callee decl */
    int lt, decl;
    const char *obj, *field;
    bool write; /* OP_FIELD: the access writes */
    /* OP_CHAN from a callee's deep channel summary: the operation itself,
     * and the effect, mapped to the caller (chan, chan_text) only when a
     * fact is recorded (map_key is the costly part) */
    int via_fi;
    nid via_at;
    const struct effect *eff;
    /* OP_CHECK_FRESH: the keys (bit i for key i) that the callee releases
     * while its caller holds them, before or after it takes this lock:
     * holding them at the call orders nothing before this lock */
    uint64_t released;
    /* OP_CHECK_FRESH: reached through a function value (effect.may) */
    uint8_t may;
    /* OP_CHECK_FRESH of a func literal or of a may-call: orders no locks
     * (no lock-order edge is drawn from a guess about what a value calls) */
    bool no_order;
    /* OP_CHAN from a callee reached through a function value: the object
     * its receiver is bound to (map_key_recv), or 0 */
    nid recv;
};

struct keyinfo {
    const char *key;
    const char *text; /* as written */
    const char *cls;  /* obj_class: the same lock in other functions, or NULL */
    bool rw, escaped, released_somewhere, acquired_somewhere;
    bool direct_acquire, direct_release; /* by a Lock/Unlock call in this function itself */
    bool fresh, fresh_r, fresh_all;        /* locked while still as on entry (replay_facts) */
    uint8_t fresh_sure;                    /* 1 + the least effect.may of those locks, 0 none yet */
    bool once;                             /* a sync.Once: "held" while its Do runs the function */
    bool entry_release_may, entry_release_must; /* unlocked while the caller may / must hold it */
    bool relock; /* a callee releases and retakes it while it is as on entry (replay_facts) */
    /* known by class only ("X..." an element of a map or slice, or a call's
     * result: `s.m[k].mu`; "C:..." a callee's lock of one of its locals):
     * it orders locks and waits, but which object it is is a guess, so no
     * lock-state finding (double Lock, missing Unlock) is made on it */
    bool class_only;
    int guard;      /* -2 no lock op seen yet, -1 unguarded, else the parameter index guarding every Lock */
    bool guard_val; /* the value that parameter must have */
};

struct fa {
    struct pkg *p;
    int fi;
    const struct gofile *f;
    nid fn;
    struct cfg *g;
    struct keyinfo keys[MAX_KEYS];
    int nkeys;
    VEC(struct op) ops;
    int *ev_first;  /* per block: index of its first op; ops of block b are ev_first[b]..ev_first[b+1]-1 */
    hstate *in;     /* nblocks * nkeys */
    uint32_t *site; /* nblocks * nkeys: line of the last lock/unlock op, 0 when paths disagree */
    bool want_issues;
    bool exempt;   /* lock_context_exempt: field accesses are not judged */
    int decl;      /* index in p->decls of fn (pkg_decl_index), or -1 for a func literal */
    size_t issue_base; /* this function's issues are pa->issues[issue_base..] */
    VEC(struct effect) effects;
    /* while callee_ops adds a callee's lock: the caller's bool parameter
     * that the callee's guard is passed (`f(x, needLock)`), else -1 */
    int via_guard;
    bool via_guard_val;
};

static int key_index(struct fa *a, const char *key, const char *text, bool rw, const char *cls)
{
    for (int i = 0; i < a->nkeys; i++)
        if (!strcmp(a->keys[i].key, key)) return i;
    if (a->nkeys == MAX_KEYS) return -1;
    struct keyinfo *k = &a->keys[a->nkeys];
    memset(k, 0, sizeof *k);
    k->key = key;
    k->text = text;
    k->cls = cls;
    k->rw = rw;
    k->guard = -2;
    k->class_only = key[0] == 'X' || key[0] == 'C';
    return a->nkeys++;
}

/* The bool parameter that guards node n: the innermost `if pN` / `if !pN`
 * (N the parameter's index) whose branch holds n; -1 when none. *val is
 * the value the parameter has on that branch. */
static int param_guard(struct fa *a, nid n, bool *val)
{
    const struct gofile *f = a->f;
    for (nid c = n, up = ast_parent(f, n); up && up != a->fn; c = up, up = ast_parent(f, up)) {
        if (ast_kind(f, up) == N_FUNC_LITERAL) return -1;
        if (ast_kind(f, up) != N_IF_STATEMENT) continue;
        bool branch;
        if (f->nodes[c].field == F_CONSEQUENCE) branch = true;
        else if (f->nodes[c].field == F_ALTERNATIVE) branch = false;
        else continue;
        nid cond = ast_unparen(f, ast_child(f, up, F_CONDITION));
        if (ast_kind(f, cond) == N_UNARY_EXPRESSION && f->nodes[cond].op == OP_NOT) {
            branch = !branch;
            cond = ast_unparen(f, ast_child(f, cond, F_OPERAND));
        }
        if (ast_kind(f, cond) != N_IDENTIFIER) continue;
        struct buf b = {0};
        int idx = -1;
        if (root_key(a->p, a->fi, a->fn, cond, &b) && b.data[0] == 'P') idx = atoi(b.data + 1);
        buf_free(&b);
        if (idx >= 0 && idx < 250) {
            *val = branch;
            return idx;
        }
    }
    return -1;
}

static void add_op(struct fa *a, uint8_t kind, int key, bool via, bool all, nid node)
{
    if (key < 0) return;
    if (kind == OP_LOCKW || kind == OP_LOCKR || kind == OP_CHECK_FRESH) {
        struct keyinfo *k = &a->keys[key];
        bool v = false;
        int g = via ? a->via_guard : param_guard(a, node, &v);
        if (via) v = a->via_guard_val;
        if (k->guard == -2) k->guard = g, k->guard_val = v;
        else if (k->guard != g || (g >= 0 && k->guard_val != v)) k->guard = -1;
    }
    struct op o = {kind, (uint8_t)key, via, all, false, node, 0, false, NULL, NULL, -1, -1, NULL, NULL, false, 0, 0, NULL, 0, 0, false, 0};
    vec_push(&a->ops, o);
    if (kind == OP_UNLOCKW || kind == OP_UNLOCKR || kind == OP_DEFER_RELEASE) a->keys[key].released_somewhere = true;
    if (kind == OP_LOCKW || kind == OP_LOCKR) a->keys[key].acquired_somewhere = true;
    if (!via && (kind == OP_LOCKW || kind == OP_LOCKR)) a->keys[key].direct_acquire = true;
    if (!via && (kind == OP_UNLOCKW || kind == OP_UNLOCKR || kind == OP_DEFER_RELEASE)) a->keys[key].direct_release = true;
}

static const struct func_summary *summary_of(struct pkg *p, int decl);
static bool contract_returns_locked(struct fa *a);

/* Can the guard of lock effect e (taken only when a bool parameter has a
 * value) hold at call? Not when the argument is the other constant:
 * `f(x, false)` of `func f(x T, needLock bool) { if needLock { mu.Lock() } }`. */
static bool guard_may_hold(struct fa *a, nid call, const struct effect *e)
{
    const struct gofile *f = a->f;
    nid arg = ast_unparen(f, ast_nth_child(f, ast_child(f, call, F_ARGUMENTS), (unsigned)(e->guard - 1)));
    if (!arg || ast_kind(f, arg) == N_VARIADIC_ARGUMENT) return true;
    bool v;
    if (ast_kind(f, arg) == N_TRUE) v = true;
    else if (ast_kind(f, arg) == N_FALSE) v = false;
    else return true;
    return v == e->guard_val;
}

/* Does call pass the constant its guarded effect e needs (`Txn(true)`)?
 * Stricter than guard_may_hold: a lock still held on return is followed
 * only when the call says so. */
static bool guard_holds(struct fa *a, nid call, const struct effect *e)
{
    const struct gofile *f = a->f;
    nid arg = ast_unparen(f, ast_nth_child(f, ast_child(f, call, F_ARGUMENTS), (unsigned)(e->guard - 1)));
    enum node_kind k = ast_kind(f, arg);
    return (k == N_TRUE && e->guard_val) || (k == N_FALSE && !e->guard_val);
}

static const struct func_summary *chan_summary_of(struct pkg *p, int decl);

/* The enum chan_op of a deep channel effect. */
static uint8_t effect_chan_op(uint8_t kind)
{
    switch (kind) {
    case EFF_SEND: return CO_SEND;
    case EFF_RECV: return CO_RECV;
    case EFF_CLOSE: return CO_CLOSE;
    case EFF_WG_DONE: return CO_DONE;
    case EFF_WG_WAIT: return CO_WAIT;
    default: return 0xff;
    }
}

/* Channel and WaitGroup operations that callee d performs (at any depth)
 * on the caller's objects, as OP_CHAN ops at the call, placed before the
 * callee's own lock ops: a summary does not say whether the callee locks
 * before or after its operation, so its locks never count as "taken
 * first". An operation the callee may reach after releasing a lock its
 * caller holds (EF_UNLOCKS_CALLER) does not block under that lock. */
static void callee_chan_ops(struct fa *a, nid call, int d, nid recv, uint8_t may)
{
    const struct func_summary *cs = chan_summary_of(a->p, d);
    for (int i = 0; cs && i < cs->neffects; i++) {
        const struct effect *e = &cs->effects[i];
        uint8_t op = effect_chan_op(e->kind);
        if (op == 0xff) continue;
        bool nonblocking = (e->flags & (EF_IN_SELECT | EF_UNLOCKS_CALLER)) != 0;
        struct op o = {OP_CHAN, 0, false, false, false, call, op, nonblocking, NULL, NULL, -1, -1, NULL, NULL, false,
                       e->fi, e->site, e, 0, may, false, recv};
        vec_push(&a->ops, o);
    }
}

/* When lock effect e of the callee at call is guarded by a bool parameter
 * and the caller passes its own bool parameter there (`f(x, needLock)`):
 * that parameter's index (with *val the value it must have), else -1. */
static int forwarded_guard(struct fa *a, nid call, const struct effect *e, bool *val)
{
    const struct gofile *f = a->f;
    if (!e->guard) return -1;
    nid arg = ast_unparen(f, ast_nth_child(f, ast_child(f, call, F_ARGUMENTS), (unsigned)(e->guard - 1)));
    if (!arg || ast_kind(f, arg) != N_IDENTIFIER) return -1;
    struct buf b = {0};
    int idx = -1;
    if (root_key(a->p, a->fi, a->fn, arg, &b) && b.data[0] == 'P') idx = atoi(b.data + 1);
    buf_free(&b);
    *val = e->guard_val;
    return idx < 250 ? idx : -1;
}

/* Ops of a call to same-package function d, from its summary; recv as
 * for map_key_recv. */
static void callee_effect_ops(struct fa *a, nid call, int d, nid recv, bool deferred)
{
    const struct func_summary *s = summary_of(a->p, d);
    if (!s) return;
    if (!deferred && a->want_issues) callee_chan_ops(a, call, d, recv, 0);
    /* the caller's locks that the callee releases (and may retake): the
     * locks it takes fresh are not ordered after them */
    uint64_t released = 0;
    for (int i = 0; i < s->neffects && !deferred; i++) {
        const struct effect *e = &s->effects[i];
        bool rel = (e->flags & EF_RELOCK) || ((e->kind == EFF_UNLOCK || e->kind == EFF_RUNLOCK) && (e->flags & EF_NET));
        if (!rel || (e->guard && !guard_may_hold(a, call, e))) continue;
        const char *text = NULL, *cls = NULL;
        const char *k = map_key_recv(a->p, a->fi, a->fn, call, recv, e->key, &text, &cls);
        int ki = k ? key_index(a, k, text, e->kind == EFF_RLOCK || e->kind == EFF_RUNLOCK, cls) : -1;
        if (ki >= 0) released |= 1ull << ki;
    }
    for (int i = 0; i < s->neffects; i++) {
        const struct effect *e = &s->effects[i];
        if (e->kind == EFF_WG_ADD && !deferred && a->want_issues && !(e->flags & EF_DEFERRED)) {
            /* an Add inside the callee, after the locks it takes (GD406) */
            const char *text = NULL, *cls = NULL;
            if (map_key_recv(a->p, a->fi, a->fn, call, recv, e->key, &text, &cls) && cls) {
                struct op o = {OP_CHAN, 0, false, false, false, call, CO_ADD, false, cls, text, -1, -1, NULL, NULL, false, 0, 0, NULL, 0, 0, false, 0};
                vec_push(&a->ops, o);
            }
            continue;
        }
        if (e->kind > EFF_RUNLOCK) continue;
        if (e->guard && !guard_may_hold(a, call, e)) continue;
        if (e->guard && (e->flags & EF_NET) && !guard_holds(a, call, e)) continue;
        const char *text = NULL, *cls = NULL;
        const char *k = map_key_recv(a->p, a->fi, a->fn, call, recv, e->key, &text, &cls);
        if (!k) continue;
        bool is_unlock = e->kind == EFF_UNLOCK || e->kind == EFF_RUNLOCK;
        int ki = key_index(a, k, text, e->kind == EFF_RLOCK || e->kind == EFF_RUNLOCK, cls);
        if (ki < 0) continue;
        if (e->flags & EF_ONCE) a->keys[ki].once = true;
        a->via_guard = forwarded_guard(a, call, e, &a->via_guard_val);
        if (deferred) {
            if (is_unlock) add_op(a, OP_DEFER_RELEASE, ki, true, false, call);
            /* `defer s.note()` where note locks: it runs at the exit, under
             * the locks whose deferred release was registered before it */
            else if ((e->flags & EF_FRESH) && a->want_issues) {
                add_op(a, OP_DEFER_LOCK, ki, true, false, call);
                a->ops.items[a->ops.len - 1].read = e->kind == EFF_RLOCK;
            }
            continue;
        }
        if (!is_unlock && (e->flags & EF_FRESH)) {
            add_op(a, OP_CHECK_FRESH, ki, true, (e->flags & EF_ALL_PATHS) != 0, call);
            a->ops.items[a->ops.len - 1].read = e->kind == EFF_RLOCK;
            a->ops.items[a->ops.len - 1].released = released;
            a->ops.items[a->ops.len - 1].may = e->may;
        }
        if (!is_unlock && (e->flags & EF_RELOCK)) {
            add_op(a, OP_RELOCK, ki, true, false, call);
            a->ops.items[a->ops.len - 1].read = e->kind == EFF_RLOCK;
        }
        if (!is_unlock && (e->flags & EF_NET)) {
            add_op(a, e->kind == EFF_RLOCK ? OP_LOCKR : OP_LOCKW, ki, true, true, call);
            /* held by a handle the callee returned (a transaction), whose
             * release we may not see (`if t.write { Unlock }`): it orders
             * locks, nothing more */
            if (e->guard) a->keys[ki].class_only = true;
        }
        if (is_unlock && (e->flags & EF_NET)) add_op(a, e->kind == EFF_RUNLOCK ? OP_UNLOCKR : OP_UNLOCKW, ki, true, true, call);
    }
    a->via_guard = -1;
}

/* The may level of a lock a call through a function value takes (effect
 * e, mapped to key ki): the call's, or the effect's when higher; at least
 * 1 for a lock known by its class only, which step compares with the held
 * locks of that class (a guess: low). */
static uint8_t class_may(struct fa *a, int ki, const struct effect *e, uint8_t may)
{
    uint8_t m = e->may > may ? e->may : may;
    if (a->keys[ki].class_only && m < 1) m = 1;
    return m;
}

/* A call through a function value that may reach several functions
 * (callees.h): each member's fresh locks, as OP_CHECK_FRESH ops marked
 * may (a double lock through a callback), nothing that assumes the call
 * happens (held or released locks on return). */
/* Is effect e of a callee reached at call a fresh Lock or RLock that may
 * be taken there (its bool guard not ruled out by the argument)? */
static bool may_take_fresh(struct fa *a, nid call, const struct effect *e)
{
    if ((e->kind != EFF_LOCK && e->kind != EFF_RLOCK) || !(e->flags & EF_FRESH)) return false;
    return !e->guard || guard_may_hold(a, call, e);
}

/* The OP_CHECK_FRESH at node at for fresh lock effect e of a may-callee,
 * mapped to the caller's key k (text, cls); no key: nothing. */
static void add_may_fresh(struct fa *a, nid at, const struct effect *e, uint8_t may, const char *k, const char *text,
                          const char *cls)
{
    int ki = k ? key_index(a, k, text, e->kind == EFF_RLOCK, cls) : -1;
    if (ki < 0) return;
    if (e->flags & EF_ONCE) a->keys[ki].once = true;
    add_op(a, OP_CHECK_FRESH, ki, true, (e->flags & EF_ALL_PATHS) != 0, at);
    struct op *o = &a->ops.items[a->ops.len - 1];
    o->read = e->kind == EFF_RLOCK;
    o->may = class_may(a, ki, e, may);
    o->no_order = true;
}

static void may_callee_ops(struct fa *a, nid call, int d, nid recv, uint8_t may)
{
    const struct func_summary *s = summary_of(a->p, d);
    for (int i = 0; s && i < s->neffects; i++) {
        const struct effect *e = &s->effects[i];
        if (!may_take_fresh(a, call, e)) continue;
        const char *text = NULL, *cls = NULL;
        const char *k = map_key_recv(a->p, a->fi, a->fn, call, recv, e->key, &text, &cls);
        add_may_fresh(a, call, e, may, k, text, cls);
    }
}

static const struct func_summary *analyse(struct pkg *p, int fi, nid fn, bool want_issues, bool want_summary);

/* The summary of func literal lit (file fi), or NULL while it is being
 * computed (a literal that reaches itself through function values). */
static const struct func_summary *literal_summary(struct pkg *p, int fi, nid lit)
{
    struct pkg_analysis *pa = analysis(p);
    for (size_t i = 0; i < pa->lits.len; i++)
        if (pa->lits.items[i].fi == fi && pa->lits.items[i].lit == lit) return pa->lits.items[i].busy ? NULL : pa->lits.items[i].s;
    /* a literal whose callees reached a summary still being solved (a
     * recursive cycle in its first rounds) is not kept */
    unsigned hits = pa->unfinished_hits;
    struct lit_summary ls = {fi, lit, true, NULL};
    vec_push(&pa->lits, ls);
    size_t at = pa->lits.len - 1;
    const struct func_summary *s = analyse(p, fi, lit, false, true);
    bool keep = pa->unfinished_hits == hits;
    if (keep) {
        pa->lits.items[at].s = s;
        pa->lits.items[at].busy = false;
    } else {
        pa->lits.items[at] = pa->lits.items[pa->lits.len - 1];
        pa->lits.len--;
    }
    return s;
}

/* A call that may run func literal m (callees.h): the fresh locks of its
 * summary on the variables it captures, mapped to the caller. */
static void may_literal_ops(struct fa *a, nid call, const struct callee_member *m, nid holder, uint8_t may)
{
    const struct func_summary *s = literal_summary(a->p, m->fi, m->lit);
    for (int i = 0; s && i < s->neffects; i++) {
        const struct effect *e = &s->effects[i];
        if (!may_take_fresh(a, call, e)) continue;
        char *rest = NULL;
        nid name = e->key[0] == 'L' ? (nid)strtoul(e->key + 1, &rest, 10) : 0;
        const char *text = NULL, *cls = NULL, *k = NULL;
        if (e->key[0] == 'G' || e->key[0] == 'P' || e->key[0] == 'C') {
            /* a package variable; the literal's own parameter: the call's
             * argument; a lock known by its class only */
            k = map_key(a->p, a->fi, a->fn, call, e->key, &text, &cls);
        } else if (!name) {
            continue;
        } else if (m->bind == CM_HOLDER && name == m->root && holder) {
            k = map_key_recv(a->p, a->fi, a->fn, call, holder, arena_printf(&a->p->arena, "R%s", rest), &text, &cls);
        } else if (m->bind == CM_CAPTURE && m->fi == a->fi && name < a->f->nnodes) {
            /* the captured variable is the caller's own: named by its
             * declaring identifier */
            k = map_key_recv(a->p, a->fi, a->fn, call, name, arena_printf(&a->p->arena, "R%s", rest), &text, &cls);
        }
        /* a literal written as the argument (`once.Do(func() {...})`): the
         * finding goes to its call (or Lock) that takes the lock */
        nid at = call;
        if (m->bind == CM_CAPTURE && e->fi == a->fi && m->lit > call && m->lit < a->f->nodes[call].end && e->site > m->lit &&
            e->site < a->f->nodes[m->lit].end)
            at = e->site;
        add_may_fresh(a, at, e, may, k, text, cls);
    }
}

/* Ops of a call through a function value, from its possible callees':
 * a sole callee as an ordinary call, else each member's fresh locks (and
 * channel operations) as may-ops. */
static void value_ops(struct fa *a, nid call, const struct callee_set *cs, bool deferred)
{
    int sole = callee_set_sole(cs);
    if (sole >= 0) {
        callee_effect_ops(a, call, sole, cs->m[0].bind == CM_HOLDER ? cs->holder : 0, deferred);
        return;
    }
    if (deferred) return;
    /* one member (a literal) is a sure edge too */
    uint8_t may = cs->open || cs->unknown ? 2 : cs->n > 1;
    for (int i = 0; i < cs->n; i++) {
        const struct callee_member *m = &cs->m[i];
        if (m->decl < 0) {
            may_literal_ops(a, call, m, cs->holder, may);
            continue;
        }
        if (m->bind == CM_OTHER) continue;
        nid recv = m->bind == CM_HOLDER ? cs->holder : 0;
        may_callee_ops(a, call, m->decl, recv, may);
        /* its channel and WaitGroup operations, as a guess (GD406: low) */
        if (a->want_issues) callee_chan_ops(a, call, m->decl, recv, may ? may : 1);
    }
}

/* Ops of a call to a same-package function, from its summary, or of a
 * call through a function value (value_ops). */
static void callee_ops(struct fa *a, nid call, bool deferred)
{
    struct callee_set cs;
    bool value;
    int d = resolve_callee(a->p, a->fi, call, &cs, &value);
    /* a func literal called where it is written (`func(id T) { x.mu.Lock();
     * defer x.mu.Unlock(); ... }(id)`): it runs here, once */
    nid fe = ast_unparen(a->f, ast_child(a->f, call, F_FUNCTION));
    if (!deferred && ast_kind(a->f, fe) == N_FUNC_LITERAL && model_value_callees(a->p, a->fi, fe, &cs)) {
        value_ops(a, call, &cs, false);
        return;
    }
    if (value) value_ops(a, call, &cs, deferred);
    else if (d >= 0) callee_effect_ops(a, call, d, 0, deferred);
}

/* Standard functions that call their func argument before they return
 * (in this goroutine): the argument's locks are taken under the caller's. */
static const struct sync_runner {
    const char *pkg, *name;
    unsigned arg;
} sync_runners[] = {
    {"sort", "Slice", 1},         {"sort", "SliceStable", 1},   {"sort", "Search", 1},
    {"slices", "SortFunc", 1},    {"slices", "SortStableFunc", 1}, {"slices", "IndexFunc", 1},
    {"slices", "ContainsFunc", 1}, {"slices", "DeleteFunc", 1}, {"strings", "FieldsFunc", 1},
    {"path/filepath", "Walk", 1}, {"path/filepath", "WalkDir", 1}, {"io/fs", "WalkDir", 2},
};

/* The func argument that call runs before returning: a function of
 * sync_runners, or a sync.Map's Range; else 0. */
static nid sync_runner_arg(struct fa *a, nid call)
{
    const struct gofile *f = a->f;
    nid args = ast_child(f, call, F_ARGUMENTS);
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) return 0;
    if (ast_text_is(f, ast_child(f, fe, F_FIELD), "Range") &&
        ltype_is(model_type_of(a->p, a->fi, ast_child(f, fe, F_OPERAND)), "sync", "Map", true))
        return ast_nth_child(f, args, 0);
    for (size_t i = 0; i < GD_ARRAY_LEN(sync_runners); i++)
        if (ast_text_is(f, ast_child(f, fe, F_FIELD), sync_runners[i].name) &&
            model_is_call(a->p, a->fi, call, sync_runners[i].pkg, sync_runners[i].name))
            return ast_nth_child(f, args, sync_runners[i].arg);
    return 0;
}

/* Is call `x.Do(arg)` of a sync.Once x? */
static bool once_do(struct fa *a, nid call, nid *x, nid *arg)
{
    const struct gofile *f = a->f;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, fe, F_FIELD), "Do")) return false;
    *x = ast_child(f, fe, F_OPERAND);
    *arg = ast_first_child(f, ast_child(f, call, F_ARGUMENTS));
    return ltype_is(model_type_of(a->p, a->fi, *x), "sync", "Once", true);
}

/* `once.Do(f)` of a sync.Once: the Once is held while f runs (f's locks
 * are taken under it, and f calling Do on it again blocks forever).
 * Returns whether call is one. */
static bool once_do_ops(struct fa *a, nid call)
{
    const struct gofile *f = a->f;
    nid x, arg;
    if (!once_do(a, call, &x, &arg)) return false;
    const char *key = expr_key(a->p, a->fi, a->fn, x);
    if (!key || !arg) return true;
    struct str t = ast_text(f, ast_unparen(f, x));
    int ki = key_index(a, key, arena_strndup(&a->p->arena, t.p, t.n > 60 ? 60 : t.n), false, obj_class(a->p, a->fi, x, NULL));
    if (ki < 0) return true;
    a->keys[ki].once = true;
    add_op(a, OP_LOCKW, ki, false, true, call);
    struct callee_set cs;
    if (model_value_callees(a->p, a->fi, arg, &cs)) value_ops(a, call, &cs, false);
    add_op(a, OP_UNLOCKW, ki, false, true, call);
    return true;
}

/* The lock classes that func literal lit (file fi) takes: directly, or in
 * same-package callees (fresh locks of their summaries); with the text
 * of the first one. Adds OP_CHECK_FRESH ops (some paths) at call in a. */
static void literal_lock_ops(struct fa *a, nid call, int fi, nid lit)
{
    const struct gofile *f = &a->p->files[fi];
    for (nid k = lit + 1; k < f->nodes[lit].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        const char *text = NULL, *cls = NULL, *key;
        int m;
        bool rw, read = false;
        if (lock_call(a->p, fi, lit, k, &m, &key, &rw, &text, &cls)) {
            if (m != M_LOCK && m != M_RLOCK) continue;
            read = m == M_RLOCK;
        } else {
            int d = model_callee(a->p, fi, k);
            const struct func_summary *s = d >= 0 ? summary_of(a->p, d) : NULL;
            for (int i = 0; s && i < s->neffects && !cls; i++) {
                const struct effect *e = &s->effects[i];
                if ((e->kind != EFF_LOCK && e->kind != EFF_RLOCK) || !(e->flags & EF_FRESH)) continue;
                if (!map_key(a->p, fi, lit, k, e->key, &text, &cls)) cls = NULL;
                read = e->kind == EFF_RLOCK;
            }
        }
        if (!cls) continue;
        int ki = key_index(a, arena_printf(&a->p->arena, "F%s", cls), text, false, cls);
        if (ki < 0) continue;
        add_op(a, OP_CHECK_FRESH, ki, true, false, call);
        a->ops.items[a->ops.len - 1].read = read;
    }
}

/* A call of a func-typed parameter of the function declaration around the
 * func literal a->fn (`go func() { defer wg.Done(); f() }()` inside
 * `Go(f func() error)`): the locks that the func literals the package
 * passes for that parameter take, on some paths (errgroup#6: the function
 * given to Go calls Go, which locks the group). */
static void param_func_ops(struct fa *a, nid call)
{
    const struct gofile *f = a->f;
    /* only a literal started by go: `go func() {...}()` */
    if (ast_kind(f, a->fn) != N_FUNC_LITERAL || ast_kind(f, ast_parent(f, ast_parent(f, a->fn))) != N_GO_STATEMENT) return;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION)), decl, name;
    if (ast_kind(f, fe) != N_IDENTIFIER || !model_resolve_local(a->p, a->fi, fe, &decl, &name)) return;
    if (ast_kind(f, decl) != N_PARAMETER_DECLARATION) return;
    nid list = ast_parent(f, decl), outer = ast_parent(f, list);
    if (f->nodes[list].field == F_RECEIVER ||
        (ast_kind(f, outer) != N_FUNCTION_DECLARATION && ast_kind(f, outer) != N_METHOD_DECLARATION))
        return;
    int d = pkg_decl_index(a->p, a->fi, outer), idx = 0, pidx = -1;
    if (d < 0) return;
    AST_FOR_CHILDREN(f, list, pd)
    {
        AST_FOR_CHILDREN(f, pd, nm)
        {
            if (f->nodes[nm].field != F_NAME) continue;
            if (nm == name) pidx = idx;
            idx++;
        }
    }
    if (pidx < 0) return;
    struct str dn = str_make(a->p->decls[d].name, strlen(a->p->decls[d].name));
    for (int fi = 0; fi < a->p->nfiles; fi++) {
        const struct gofile *g = &a->p->files[fi];
        if (!memmem(g->src, g->len, dn.p, dn.n)) continue;
        for (nid k = 1; k < g->nnodes; k++) {
            if (ast_kind(g, k) != N_CALL_EXPRESSION) continue;
            nid arg = ast_unparen(g, ast_nth_child(g, ast_child(g, k, F_ARGUMENTS), (unsigned)pidx));
            if (!arg || ast_kind(g, arg) != N_FUNC_LITERAL || model_callee(a->p, fi, k) != d) continue;
            literal_lock_ops(a, call, fi, arg);
        }
    }
}

struct ev_ctx {
    struct fa *a;
};

static bool on_call(void *ud, nid call)
{
    struct fa *a = ((struct ev_ctx *)ud)->a;
    int m;
    const char *key, *text, *cls;
    bool rw;
    if (lock_call(a->p, a->fi, a->fn, call, &m, &key, &rw, &text, &cls)) {
        int ki = key_index(a, key, text, rw, cls);
        if (ki < 0) return true;
        if (rw) a->keys[ki].rw = true;
        switch (m) {
        case M_LOCK: add_op(a, OP_LOCKW, ki, false, true, call); break;
        case M_RLOCK: add_op(a, OP_LOCKR, ki, false, true, call); break;
        case M_UNLOCK: add_op(a, OP_UNLOCKW, ki, false, true, call); break;
        case M_RUNLOCK: add_op(a, OP_UNLOCKR, ki, false, true, call); break;
        default: a->keys[ki].escaped = true; /* TryLock: held only on one branch */
        }
        return true;
    }
    if (once_do_ops(a, call)) return true;
    nid run = sync_runner_arg(a, call);
    struct callee_set rs;
    if (run && model_value_callees(a->p, a->fi, run, &rs)) value_ops(a, call, &rs, false);
    if (a->want_issues) param_func_ops(a, call);
    callee_ops(a, call, false);
    return true;
}

/* A lock call inside a deferred call (at defer statement st): a release
 * is a deferred release; anything else makes the lock unknown here.
 * Returns whether call is a sync lock method call at all. */
static bool deferred_lock_call(struct fa *a, nid st, nid call)
{
    int m;
    const char *key, *text, *cls;
    bool rw;
    if (!lock_call(a->p, a->fi, a->fn, call, &m, &key, &rw, &text, &cls)) return false;
    int ki = key_index(a, key, text, rw, cls);
    if (ki < 0) return true;
    if (m == M_UNLOCK || m == M_RUNLOCK) add_op(a, OP_DEFER_RELEASE, ki, false, false, st);
    else a->keys[ki].escaped = true;
    return true;
}

/* A deferred call: X.Unlock(), a same-package function, or a func literal
 * whose body releases locks (each release counts as deferred). */
static void defer_ops(struct fa *a, nid st)
{
    const struct gofile *f = a->f;
    nid call = ast_unparen(f, ast_first_child(f, st));
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) == N_FUNC_LITERAL) {
        for (nid k = fe; k < f->nodes[fe].end; k++)
            if (ast_kind(f, k) == N_CALL_EXPRESSION) deferred_lock_call(a, st, k);
        return;
    }
    if (!deferred_lock_call(a, st, call)) callee_ops(a, call, true);
}

/* Locks used in func literals of this function (other than deferred
 * ones, handled as defers): a literal that releases one may run at any time,
 * so the enclosing function's facts about it are unknown. Also `&lock`
 * and the lock passed as a value anywhere but as a method receiver. */
static void mark_escapes(struct fa *a)
{
    const struct gofile *f = a->f;
    nid body = a->g->body;
    if (!body) return;
    for (int li = 0; li < a->g->nliterals; li++) {
        nid lit = a->g->literals[li];
        nid par = ast_parent(f, ast_parent(f, lit));
        if (ast_kind(f, par) == N_DEFER_STATEMENT) continue;
        /* a literal that unlocks a lock without locking it releases the
         * enclosing function's lock (a hand-off); lock+unlock is balanced */
        bool locks[MAX_KEYS] = {0}, unlocks[MAX_KEYS] = {0};
        for (nid k = lit; k < f->nodes[lit].end; k++) {
            if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
            int m;
            const char *key, *text, *cls;
            bool rw;
            if (!lock_call(a->p, a->fi, a->fn, k, &m, &key, &rw, &text, &cls)) continue;
            for (int i = 0; i < a->nkeys; i++)
                if (!strcmp(a->keys[i].key, key)) {
                    if (m == M_UNLOCK || m == M_RUNLOCK) unlocks[i] = true;
                    else locks[i] = true;
                }
        }
        for (int i = 0; i < a->nkeys; i++)
            if (unlocks[i] && !locks[i]) a->keys[i].escaped = true;
    }
    /* a method value `x.mu.Unlock` (`unlock := sync.OnceFunc(x.mu.Unlock)`,
     * `defer cleanup(x.mu.Unlock)`): it releases the lock whenever it is
     * called, so the function's facts about the lock are unknown */
    for (nid k = body; k < f->nodes[body].end; k++) {
        if (ast_kind(f, k) != N_SELECTOR_EXPRESSION) continue;
        nid fld = ast_child(f, k, F_FIELD);
        if (!ast_text_is(f, fld, "Unlock") && !ast_text_is(f, fld, "RUnlock")) continue;
        nid par = ast_parent(f, k);
        if (ast_kind(f, par) == N_CALL_EXPRESSION && f->nodes[k].field == F_FUNCTION) continue;
        const char *xk = expr_key(a->p, a->fi, a->fn, ast_child(f, k, F_OPERAND));
        if (!xk) continue;
        size_t n = strlen(xk);
        for (int i = 0; i < a->nkeys; i++)
            if (!strncmp(a->keys[i].key, xk, n) &&
                (!a->keys[i].key[n] || !strcmp(a->keys[i].key + n, ".Mutex") || !strcmp(a->keys[i].key + n, ".RWMutex")))
                a->keys[i].escaped = true;
    }
    /* a root variable assigned in the function may name another object */
    for (nid k = body; k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk != N_ASSIGNMENT_STATEMENT) continue;
        nid left = ast_child(f, k, F_LEFT);
        AST_FOR_CHILDREN(f, left, l)
        {
            if (ast_kind(f, l) != N_IDENTIFIER) continue;
            struct buf rb = {0};
            if (root_key(a->p, a->fi, a->fn, l, &rb)) {
                size_t n = strlen(rb.data);
                for (int i = 0; i < a->nkeys; i++)
                    if (!strncmp(a->keys[i].key, rb.data, n) && (a->keys[i].key[n] == '.' || !a->keys[i].key[n]))
                        a->keys[i].escaped = true;
            }
            buf_free(&rb);
        }
    }
    /* &x.mu, or x.mu given as an argument or assigned */
    for (nid k = body; k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk != N_SELECTOR_EXPRESSION && kk != N_IDENTIFIER) continue;
        nid par = ast_parent(f, k);
        if (ast_kind(f, par) == N_SELECTOR_EXPRESSION && f->nodes[k].field == F_OPERAND) continue;
        if (ast_kind(f, par) == N_SELECTOR_EXPRESSION) continue; /* a field name */
        bool amp = ast_kind(f, par) == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND;
        bool arg = ast_kind(f, par) == N_ARGUMENT_LIST || ast_kind(f, par) == N_EXPRESSION_LIST;
        if (!amp && !arg) continue;
        /* an argument of a same-package call: its summary says what happens */
        nid list = amp ? ast_parent(f, par) : par;
        if (ast_kind(f, list) == N_ARGUMENT_LIST && model_callee(a->p, a->fi, ast_parent(f, list)) >= 0) continue;
        struct str t = ast_text(f, k);
        for (int i = 0; i < a->nkeys; i++) {
            struct str kt = str_make(a->keys[i].text, strlen(a->keys[i].text));
            if (str_eqs(t, kt)) a->keys[i].escaped = true;
        }
        /* an embedded lock escapes with &s (s.Mutex is inside it) */
        if (amp)
            for (int i = 0; i < a->nkeys; i++) {
                size_t n = strlen(a->keys[i].text);
                if (t.n == n && !memcmp(t.p, a->keys[i].text, n)) a->keys[i].escaped = true;
            }
    }
}

/* A goroutine started on a same-package function that releases a lock its
 * caller holds (`go ac.resetTransportAndUnlock()`) takes the lock over:
 * the lock escapes, as with a func literal that unlocks it. */
static void go_handoffs(struct fa *a)
{
    const struct gofile *f = a->f;
    nid body = a->g->body;
    if (!body) return;
    for (nid k = body; k < f->nodes[body].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) k = f->nodes[k].end - 1;
        if (ast_kind(f, k) != N_GO_STATEMENT) continue;
        nid call = ast_unparen(f, ast_first_child(f, k));
        int d = ast_kind(f, call) == N_CALL_EXPRESSION ? model_callee(a->p, a->fi, call) : -1;
        const struct func_summary *s = d >= 0 ? summary_of(a->p, d) : NULL;
        for (int e = 0; s && e < s->neffects; e++) {
            const struct effect *ef = &s->effects[e];
            if (ef->kind != EFF_UNLOCK && ef->kind != EFF_RUNLOCK) continue;
            const char *text = NULL, *cls = NULL;
            const char *ck = map_key(a->p, a->fi, a->fn, call, ef->key, &text, &cls);
            for (int i = 0; ck && i < a->nkeys; i++)
                if (!strcmp(a->keys[i].key, ck)) a->keys[i].escaped = true;
        }
    }
}

/* The WaitGroup method call X.name() (X of type sync.WaitGroup), or 0. */
static nid wg_call(struct fa *a, nid call, const char *name)
{
    const struct gofile *f = a->f;
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return 0;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, fe, F_FIELD), name)) return 0;
    nid x = ast_child(f, fe, F_OPERAND);
    return ltype_is(model_type_of(a->p, a->fi, x), "sync", "WaitGroup", true) ? x : 0;
}

/* The class of a channel or WaitGroup operand: a local declared as
 * `wg := &x.f` (or `ch := x.f`) and never assigned again in the function
 * names the field, so it has x.f's class (jaeger's `wg :=
 * &c.partitionIDToState[p].wg` is the WaitGroup that Close waits on). */
static const char *chan_obj_class(struct fa *a, nid obj)
{
    const struct gofile *f = a->f;
    nid e = ast_unparen(f, obj), decl, name;
    /* `for _, c := range x.f` over a field holding channels (a slice or
     * map of them): each c is an element of T.f, class "T.f[]" */
    if (ast_kind(f, e) == N_IDENTIFIER && model_resolve_local(a->p, a->fi, e, &decl, &name) &&
        ast_kind(f, decl) == N_RANGE_CLAUSE) {
        nid left = ast_child(f, decl, F_LEFT), r = ast_unparen(f, ast_child(f, decl, F_RIGHT));
        struct ltype *t = ast_kind(f, r) == N_SELECTOR_EXPRESSION ? model_underlying(a->p, model_type_of(a->p, a->fi, r)) : NULL;
        struct ltype *el = t && (t->kind == LT_SLICE || t->kind == LT_MAP || t->kind == LT_ARRAY) ? model_underlying(a->p, t->elem) : NULL;
        if (el && el->kind == LT_CHAN && ast_nth_child(f, left, 1) == name) {
            const char *fc = obj_class(a->p, a->fi, r, NULL);
            return fc ? arena_printf(&a->p->arena, "%s[]", fc) : NULL;
        }
        return obj_class(a->p, a->fi, obj, NULL);
    }
    if (ast_kind(f, e) == N_IDENTIFIER && model_resolve_local(a->p, a->fi, e, &decl, &name) &&
        ast_kind(f, decl) == N_SHORT_VAR_DECLARATION) {
        nid left = ast_child(f, decl, F_LEFT), right = ast_child(f, decl, F_RIGHT);
        nid r = ast_unparen(f, ast_first_child(f, right));
        if (r && ast_kind(f, r) == N_UNARY_EXPRESSION && f->nodes[r].op == OP_AND) r = ast_unparen(f, ast_child(f, r, F_OPERAND));
        if (!ast_nth_child(f, left, 1) && !ast_nth_child(f, right, 1) && ast_kind(f, r) == N_SELECTOR_EXPRESSION) {
            struct str nm = ast_text(f, name);
            bool again = false;
            for (nid k = a->fn; k < f->nodes[a->fn].end && !again; k++) {
                if (ast_kind(f, k) != N_ASSIGNMENT_STATEMENT) continue;
                AST_FOR_CHILDREN(f, ast_child(f, k, F_LEFT), l)
                if (str_eqs(ast_text(f, ast_unparen(f, l)), nm)) again = true;
            }
            if (!again) return obj_class(a->p, a->fi, r, NULL);
        }
    }
    return obj_class(a->p, a->fi, obj, NULL);
}

/* Is receive k (of channel expression obj) inside an `if` or `for` whose
 * condition reads len(obj): `for len(ch) > 0 { <-ch }` drains what is
 * buffered and does not wait. */
static bool len_guarded(const struct gofile *f, nid k, nid obj)
{
    struct str t = ast_text(f, ast_unparen(f, obj));
    for (nid up = ast_parent(f, k); up; up = ast_parent(f, up)) {
        enum node_kind u = ast_kind(f, up);
        if (u == N_FUNC_LITERAL || u == N_FUNCTION_DECLARATION || u == N_METHOD_DECLARATION) return false;
        /* an if's condition; a for's header: its children but the body */
        nid cond = u == N_IF_STATEMENT ? ast_child(f, up, F_CONDITION) : u == N_FOR_STATEMENT ? up : 0;
        if (!cond) continue;
        nid body = u == N_FOR_STATEMENT ? ast_child(f, up, F_BODY) : 0;
        for (nid c = cond; c < f->nodes[cond].end; c++) {
            if (c == body) {
                c = f->nodes[body].end - 1;
                continue;
            }
            if (ast_kind(f, c) != N_CALL_EXPRESSION || !ast_text_is(f, ast_child(f, c, F_FUNCTION), "len")) continue;
            nid arg = ast_unparen(f, ast_first_child(f, ast_child(f, c, F_ARGUMENTS)));
            if (arg && str_eqs(ast_text(f, arg), t)) return true;
        }
    }
    return false;
}

static void add_chan_op(struct fa *a, uint8_t op, nid obj, nid at, bool in_select)
{
    const char *cls = chan_obj_class(a, obj);
    if (!cls) return;
    struct str t = ast_text(a->f, ast_unparen(a->f, obj));
    if (t.n > 60) t.n = 60;
    struct op o = {OP_CHAN, 0,  false, false, false, at, op, in_select, cls, arena_strndup(&a->p->arena, t.p, t.n),
                   -1,      -1, NULL,  NULL,  false, 0, 0, NULL, 0, 0, false, 0};
    vec_push(&a->ops, o);
}

/* Is function declaration decl (file fi) named for shutting down: Stop,
 * Close, Shutdown, Quit, Terminate (any case, a prefix: stopLocked)? */
static bool shutdown_named(const struct gofile *f, nid decl)
{
    struct str n = ast_text(f, ast_child(f, decl, F_NAME));
    static const char *const words[] = {"stop", "close", "shutdown", "quit", "terminate"};
    for (size_t i = 0; i < GD_ARRAY_LEN(words); i++) {
        size_t w = strlen(words[i]);
        if (n.n >= w && !strncasecmp(n.p, words[i], w)) return true;
    }
    return false;
}

/* Is node k (a send, a receive) the communication of a select case whose
 * select has no default and whose other cases all receive from shutdown
 * channels: field channels that only functions named for shutting down
 * close or send on (`case <-s.quit:` with close(s.quit) in Stop)? Such a
 * select blocks like a plain operation while the program runs normally
 * (lnd#3980). */
static bool shutdown_select(struct pkg *p, int fi, nid k)
{
    const struct gofile *f = &p->files[fi];
    nid cc = ast_ancestor(f, k, N_COMMUNICATION_CASE);
    if (!cc || !ast_contains(f, ast_child(f, cc, F_COMMUNICATION), k)) return false;
    nid sel = ast_parent(f, cc);
    if (ast_kind(f, sel) != N_SELECT_STATEMENT) return false;
    const struct obj_model *m = NULL;
    int others = 0;
    AST_FOR_CHILDREN(f, sel, c)
    {
        if (c == cc) continue;
        if (ast_kind(f, c) != N_COMMUNICATION_CASE) return false; /* a default */
        nid comm = ast_child(f, c, F_COMMUNICATION);
        if (ast_kind(f, comm) != N_RECEIVE_STATEMENT) return false;
        nid r = ast_unparen(f, ast_child(f, comm, F_RIGHT));
        if (ast_kind(f, r) != N_UNARY_EXPRESSION || f->nodes[r].op != OP_ARROW) return false;
        nid x = ast_unparen(f, ast_child(f, r, F_OPERAND));
        if (ast_kind(f, x) != N_SELECTOR_EXPRESSION) return false;
        if (!m) m = objects_of(p);
        const struct obj_class *q = objects_class_at(m, fi, x);
        if (!q || q->kind != OBJ_CHAN || q->open) return false;
        int signals = 0;
        for (int j = 0; j < q->nuses; j++) {
            const struct obj_use *w = &q->uses[j];
            if (w->op != OO_CLOSE && w->op != OO_SEND) continue;
            if (!w->decl || !shutdown_named(&p->files[w->fi], w->decl)) return false;
            signals++;
        }
        if (!signals) return false;
        others++;
    }
    return others > 0;
}

/* Channel and WaitGroup operations of event ev (not in func literals; a
 * defer's own call runs at exit and is handled by deferred_chan_facts). */
static void chan_ops(struct fa *a, nid ev)
{
    const struct gofile *f = a->f;
    if (ast_kind(f, ev) == N_GO_STATEMENT || ast_kind(f, ev) == N_DEFER_STATEMENT) return;
    /* a select case may not block, unless its select waits otherwise only
     * for shutdown */
    bool in_select = ast_kind(f, ast_parent(f, ev)) == N_COMMUNICATION_CASE;
    for (nid k = ev; k < f->nodes[ev].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk == N_SEND_STATEMENT)
            add_chan_op(a, CO_SEND, ast_child(f, k, F_CHANNEL), k, in_select && !shutdown_select(a->p, a->fi, k));
        else if (kk == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW)
            add_chan_op(a, CO_RECV, ast_child(f, k, F_OPERAND), k,
                        (in_select && !shutdown_select(a->p, a->fi, k)) || len_guarded(f, k, ast_child(f, k, F_OPERAND)));
        else if (kk == N_RANGE_CLAUSE) {
            nid r = ast_child(f, k, F_RIGHT);
            struct ltype *t = model_underlying(a->p, model_type_of(a->p, a->fi, r));
            if (t && t->kind == LT_CHAN) add_chan_op(a, CO_RANGE, r, k, false);
        } else if (kk == N_CALL_EXPRESSION) {
            nid x;
            if (model_is_builtin_call(a->p, a->fi, k, "close"))
                add_chan_op(a, CO_CLOSE, ast_first_child(f, ast_child(f, k, F_ARGUMENTS)), k, false);
            else if ((x = wg_call(a, k, "Wait")))
                add_chan_op(a, CO_WAIT, x, k, false);
            else if ((x = wg_call(a, k, "Done")))
                add_chan_op(a, CO_DONE, x, k, false);
            else if ((x = wg_call(a, k, "Add")))
                add_chan_op(a, CO_ADD, x, k, false);
        }
    }
}

static void find_lock_types(struct pkg *p);

/* The lock_type index of named type t (or *t) of this package, or -1. */
static int lock_type_of(struct pkg *p, struct ltype *t)
{
    if (t && t->kind == LT_POINTER) t = t->elem;
    if (!t || t->kind != LT_NAMED || strcmp(t->pkgpath, "")) return -1;
    struct pkg_analysis *pa = analysis(p);
    for (size_t i = 0; i < pa->lock_types.len; i++)
        if (!strcmp(pa->lock_types.items[i].name, t->name)) return (int)i;
    return -1;
}

/* Is `name` a field or method name of some lock type (before asking for
 * any type)? */
static bool lt_name(struct pkg *p, struct str name)
{
    struct pkg_analysis *pa = analysis(p);
    for (size_t i = 0; i < pa->lt_names.len; i++)
        if (str_eqs(pa->lt_names.items[i], name)) return true;
    return false;
}

/* Is `name` a (non-lock) field declared in lock_type lt's struct? */
static bool is_plain_field(struct pkg *p, int lt, struct str name)
{
    struct lock_type *L = &analysis(p)->lock_types.items[lt];
    for (int i = 0; i < L->nlocks; i++)
        if (str_eq(name, L->locks[i])) return false;
    const struct gofile *f = &p->files[L->fi];
    for (nid k = L->st + 1; k < f->nodes[L->st].end; k++) {
        if (ast_kind(f, k) != N_FIELD_DECLARATION || ast_parent(f, ast_parent(f, k)) != L->st) continue;
        AST_FOR_CHILDREN(f, k, c)
        if (f->nodes[c].field == F_NAME && str_eqs(ast_text(f, c), name)) return true;
    }
    return false;
}


/* Field accesses and method calls on values of lock types in event ev. */
static void field_ops(struct fa *a, nid ev)
{
    const struct gofile *f = a->f;
    if (!analysis(a->p)->lock_types.len) return;
    if (ast_kind(f, ev) == N_GO_STATEMENT || ast_kind(f, ev) == N_DEFER_STATEMENT) return;
    for (nid k = ev; k < f->nodes[ev].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk == N_CALL_EXPRESSION) {
            nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
            if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION || !lt_name(a->p, ast_text(f, ast_child(f, fe, F_FIELD))))
                continue;
            int d = model_callee(a->p, a->fi, k);
            if (d < 0 || a->p->decls[d].what != PD_METHOD) continue;
            nid x = ast_child(f, fe, F_OPERAND);
            int lt = lock_type_of(a->p, model_type_of(a->p, a->fi, x));
            const char *obj = lt >= 0 ? expr_key(a->p, a->fi, a->fn, x) : NULL;
            if (!obj) continue;
            struct op o = {OP_CALLSITE, 0, false, false, false, k, 0, false, NULL, NULL, lt, d, obj, NULL, false, 0, 0, NULL, 0, 0, false, 0};
            vec_push(&a->ops, o);
            continue;
        }
        if (kk != N_SELECTOR_EXPRESSION) continue;
        nid x = ast_child(f, k, F_OPERAND);
        struct str fld = ast_text(f, ast_child(f, k, F_FIELD));
        /* a method value or call is not a field access */
        if (ast_kind(f, ast_parent(f, k)) == N_CALL_EXPRESSION && f->nodes[k].field == F_FUNCTION) continue;
        if (!lt_name(a->p, fld)) continue;
        int lt = lock_type_of(a->p, model_type_of(a->p, a->fi, x));
        if (lt < 0 || !is_plain_field(a->p, lt, fld)) continue;
        const char *obj = expr_key(a->p, a->fi, a->fn, x);
        if (!obj || (obj[0] != 'R' && obj[0] != 'P' && obj[0] != 'G')) continue;
        struct op o = {OP_FIELD, 0,  false, false, false, k, 0, false, NULL, NULL, lt, -1, obj,
                       arena_strndup(&a->p->arena, fld.p, fld.n), model_is_write_access(f, k), 0, 0, NULL, 0, 0, false, 0};
        vec_push(&a->ops, o);
    }
}

static void collect_ops(struct fa *a)
{
    struct cfg *g = a->g;
    a->ev_first = xcalloc((size_t)g->nblocks + 1, sizeof(int));
    struct ev_ctx c = {a};
    for (int b = 0; b < g->nblocks; b++) {
        a->ev_first[b] = (int)a->ops.len;
        if (!cfg_reachable(g, b)) continue;
        for (int e = 0; e < g->blocks[b].nevents; e++) {
            nid ev = g->blocks[b].events[e];
            cfg_event_calls(a->f, ev, on_call, &c);
            if (ast_kind(a->f, ev) == N_DEFER_STATEMENT) defer_ops(a, ev);
            if (a->want_issues) chan_ops(a, ev);
            if (a->want_issues) field_ops(a, ev);
        }
    }
    a->ev_first[g->nblocks] = (int)a->ops.len;
}

static uint32_t line_of(struct fa *a, nid n) { return n ? a->f->nodes[n].line : 0; }

/* Transfer of one op on key state s; reports when a->want_issues and
 * `report` is set. */
static bool report_issue(struct fa *a, int kind, int conf, nid at, uint32_t rel, const char *what, const char *detail)
{
    struct pkg_analysis *pa = analysis(a->p);
    /* one report per held lock: the first call or Lock under it speaks for
     * the others */
    if (kind == LI_DOUBLE_LOCK || kind == LI_RECURSIVE_RLOCK || kind == LI_LOOP_RELOCK)
        for (size_t i = a->issue_base; i < pa->issues.len; i++) {
            const struct lock_issue *o = &pa->issues.items[i];
            if ((o->kind == LI_DOUBLE_LOCK || o->kind == LI_RECURSIVE_RLOCK || o->kind == LI_LOOP_RELOCK) &&
                o->fi == a->fi && o->related_line == rel && !strcmp(o->what, what) &&
                (rel || o->at == at))
                return false;
        }
    struct lock_issue li = {(uint8_t)kind, (uint8_t)conf, a->fi, at, rel, what, detail, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, 0};
    vec_push(&pa->issues, li);
    return true;
}

static bool once_do(struct fa *a, nid call, nid *x, nid *arg);

static const char *callee_name(struct fa *a, nid call)
{
    struct str s = ast_text(a->f, ast_child(a->f, call, F_FUNCTION));
    if (s.n > 60) s.n = 60;
    /* through a function value that holds one function: name it too */
    struct callee_set cs;
    nid x, arg;
    bool value = model_callees(a->p, a->fi, call, &cs) ||
                 (once_do(a, call, &x, &arg) && arg && model_value_callees(a->p, a->fi, arg, &cs) && cs.n == 1 && cs.m[0].decl >= 0);
    int d = value ? callee_set_sole(&cs) : -1;
    if (value && d < 0 && cs.n == 1 && cs.m[0].decl < 0 && !cs.open && !cs.unknown)
        return arena_printf(&a->p->arena, "%.*s (the func literal at line %u)", (int)s.n, s.p,
                            a->p->files[cs.m[0].fi].nodes[cs.m[0].lit].line);
    if (d >= 0) {
        const struct pkg_decl *pd = &a->p->decls[d];
        return arena_printf(&a->p->arena, "%.*s (%s%s%s)", (int)s.n, s.p, pd->recv_type ? pd->recv_type : "",
                            pd->recv_type ? "." : "", pd->name);
    }
    return arena_strndup(&a->p->arena, s.p, s.n);
}

static bool held_bits(uint8_t h) { return h == H_W || h == H_R || h == H_R2; }

/* Lock-order edges at a lock op: every other lock held on every path. */
static void record_edges(struct fa *a, const struct op *o, const hstate *st, const uint32_t *site)
{
    struct keyinfo *k = &a->keys[o->key];
    if (!k->cls || k->escaped || k->once) return;
    struct pkg_analysis *pa = analysis(a->p);
    for (int j = 0; j < a->nkeys; j++) {
        struct keyinfo *kj = &a->keys[j];
        uint8_t hj = st[j] & H_ANY;
        if (j == o->key || !held_bits(hj) || !kj->cls || kj->escaped || kj->once || !strcmp(kj->cls, k->cls)) continue;
        if (o->released & (1ull << j)) continue;
        /* a deferred call runs before the deferred releases registered
         * after it: only a lock whose release was deferred already is held */
        if (o->kind == OP_DEFER_LOCK && (st[j] & D_ANY) != D_YES) continue;
        struct order_edge e = {kj->cls,
                               k->cls,
                               kj->text,
                               k->text,
                               hj == H_W,
                               o->kind == OP_LOCKW || (o->kind != OP_LOCKR && !o->read),
                               a->fi,
                               o->node,
                               site[j],
                               a->fn};
        vec_push(&pa->edges, e);
    }
}

/* Is key's root a local declared inside a loop of the function (`w :=
 * q.popFront()` in a for body)? Each iteration has its own object, so a
 * lock an earlier iteration took is not this one. */
static bool loop_local(struct fa *a, const char *key)
{
    if (key[0] != 'L') return false;
    nid name = (nid)strtoul(key + 1, NULL, 10);
    if (!name || name >= (nid)a->f->nnodes) return false;
    for (nid up = ast_parent(a->f, name); up && up != a->fn; up = ast_parent(a->f, up))
        if (ast_kind(a->f, up) == N_FOR_STATEMENT) return true;
    return false;
}

/* Facts at a channel/WaitGroup op: locks held (for a blocking receive or
 * Wait) and locks taken before on every path (for the counterpart side). */
static void record_chan_facts(struct fa *a, const struct op *o, const hstate *st, const uint32_t *site)
{
    struct pkg_analysis *pa = analysis(a->p);
    struct op mapped;
    if (o->eff && !o->chan) {
        /* a callee's operation: the caller's names for its object */
        const char *text = NULL, *cls = NULL;
        if (!map_key_recv(a->p, a->fi, a->fn, o->node, o->recv, o->eff->key, &text, &cls) || !cls) return;
        mapped = *o;
        mapped.chan = cls;
        mapped.chan_text = text;
        o = &mapped;
    }
    bool blocking =
        (o->chan_op == CO_RECV || o->chan_op == CO_RANGE || o->chan_op == CO_WAIT || o->chan_op == CO_SEND) &&
        !o->in_select;
    for (int j = 0; j < a->nkeys; j++) {
        struct keyinfo *kj = &a->keys[j];
        /* a lock known by class only orders locks, but which object a
         * waiter holds is too much of a guess for GD406 */
        if (!kj->cls || kj->escaped || kj->class_only || !st[j]) continue;
        struct chan_fact cf = {o->chan, o->chan_text, o->chan_op, kj->cls, kj->text, a->fi, o->node, a->fn, site[j],
                               held_bits(st[j] & H_ANY), false, o->via_fi, o->via_at, o->may};
        if (o->chan_op == CO_ADD) {
            if (!(st[j] & NF)) vec_push(&pa->adds, cf);
            continue;
        }
        if (blocking && held_bits(st[j] & H_ANY)) vec_push(&pa->blocking, cf);
        if (o->chan_op == CO_WAIT) continue;
        if (!(st[j] & NF)) vec_push(&pa->counter, cf);
        /* taken on some paths only, or in an earlier iteration of a loop
         * (a receiver that locks after each receive, or in a select's
         * default): not when a bool parameter decides (the caller's choice) */
        else if ((st[j] & TK) && kj->guard == -1 && !loop_local(a, kj->key)) {
            cf.some = true;
            vec_push(&pa->counter, cf);
        }
    }
}

/* Which of the lock type's locks of the same object are held on every
 * path (bit i for lock i); st may be NULL (no lock tracked here). */
static uint8_t held_locks(struct fa *a, const struct op *o, const hstate *st)
{
    if (!st) return 0;
    struct lock_type *L = &analysis(a->p)->lock_types.items[o->lt];
    uint8_t held = 0;
    for (int i = 0; i < L->nlocks; i++) {
        size_t n = strlen(o->obj);
        for (int k = 0; k < a->nkeys; k++) {
            const char *key = a->keys[k].key;
            if (strncmp(key, o->obj, n) || key[n] != '.' || strcmp(key + n + 1, L->locks[i])) continue;
            if (held_bits(st[k] & H_ANY)) held |= (uint8_t)(1u << i);
        }
    }
    return held;
}

/* Does the function's name or doc say its caller holds the lock, or is it
 * a constructor or init? Accesses there are not judged. */
static bool lock_context_exempt(struct fa *a)
{
    const struct gofile *f = a->f;
    if (pkg_is_test_file(f)) return true;
    nid name = ast_child(f, a->fn, F_NAME);
    if (name) {
        struct str s = ast_text(f, name);
        if ((s.n >= 4 && !strncmp(s.p, "init", 4)) || (s.n >= 3 && !strncasecmp(s.p, "new", 3))) return true;
    }
    return contract_returns_locked(a);
}

static void record_field_fact(struct fa *a, const struct op *o, const hstate *st)
{
    struct pkg_analysis *pa = analysis(a->p);
    uint8_t held = held_locks(a, o, st);
    if (o->kind == OP_CALLSITE) {
        struct call_fact c = {o->decl, held};
        vec_push(&pa->calls, c);
        return;
    }
    struct field_fact ff = {o->lt, o->field, o->write, !a->exempt, held, a->fi, o->node, a->fn, a->decl};
    vec_push(&pa->fields, ff);
}

/* Remembers the lock class of the recursive RLock just reported, so the
 * package pass can raise it when a writer exists elsewhere. */
static void rwr_class(struct fa *a, const struct keyinfo *k)
{
    struct pkg_analysis *pa = analysis(a->p);
    struct lock_issue *li = &pa->issues.items[pa->issues.len - 1];
    li->rel_line2 = !k->direct_acquire;
    li->other2 = k->cls;
    li->rel_at = a->fn;
    li->rel_fi = a->fi;
}

static void step(struct fa *a, const struct op *o, hstate *st, uint32_t *site, bool report)
{
    if (o->kind == OP_CHAN) {
        if (report && a->want_issues) record_chan_facts(a, o, st, site);
        return;
    }
    if (o->kind == OP_FIELD || o->kind == OP_CALLSITE) {
        if (report && a->want_issues) record_field_fact(a, o, st);
        return;
    }
    if (report && a->want_issues && !o->may && !o->no_order &&
        ((o->kind == OP_LOCKW || o->kind == OP_LOCKR) ? !o->via_call
                                                     : o->kind == OP_CHECK_FRESH || o->kind == OP_RELOCK ||
                                                           o->kind == OP_DEFER_LOCK))
        record_edges(a, o, st, site);
    /* a callee released the lock and took it again: held as before; a
     * deferred call's lock is taken and released at the exit */
    if (o->kind == OP_RELOCK || o->kind == OP_DEFER_LOCK) return;
    hstate s = st[o->key];
    uint8_t h = s & H_ANY;
    struct keyinfo *k = &a->keys[o->key];
    bool rep = report && a->want_issues && !k->escaped && !k->class_only;
    uint32_t ln = line_of(a, o->node);
    switch (o->kind) {
    case OP_CHECK_FRESH:
        st[o->key] = (hstate)((o->all_paths ? s & ~NF : s) | TK);
        if (report && a->want_issues && o->may && k->class_only && k->cls && !o->read && !k->once) {
            /* through a function value, a lock known by its class only: a
             * held lock of the same class may be the same one (low) */
            for (int j = 0; j < a->nkeys; j++) {
                struct keyinfo *kj = &a->keys[j];
                if (j == o->key || kj->class_only || kj->escaped || kj->once || !kj->cls || strcmp(kj->cls, k->cls)) continue;
                if (!held_bits(st[j] & H_ANY)) continue;
                report_issue(a, LI_DOUBLE_LOCK, LI_LOW, o->node, site[j], kj->text,
                             arena_printf(&a->p->arena, "%s may lock it again (through a function value it may reach a Lock of %s, perhaps this one)",
                                          callee_name(a, o->node), k->text));
                break;
            }
        }
        if (rep && (h == H_W || h == H_R || h == H_R2)) {
            const char *name = callee_name(a, o->node);
            if (o->read && h != H_W) {
                if (report_issue(a, LI_RECURSIVE_RLOCK, LI_LOW, o->node, site[o->key], k->text,
                                 arena_printf(&a->p->arena, "%s read-locks it again%s", name,
                                              o->may ? " (one of the functions this value may hold)" : ""))) {
                    rwr_class(a, k);
                    /* through a may-call: a guess about the callee, kept low */
                    if (o->may) analysis(a->p)->issues.items[analysis(a->p)->issues.len - 1].rel_line2 = 1;
                }
            } else {
                bool high = o->all_paths && k->released_somewhere;
                /* a callee named ...Locked is called with the lock held by
                 * contract: taking it on any of its paths is the bug */
                size_t nl = strlen(name);
                bool contract = nl > 6 && !strcmp(name + nl - 6, "Locked") && k->released_somewhere;
                int conf = high ? LI_HIGH : contract ? LI_MEDIUM : LI_LOW;
                if (k->once) {
                    /* Do runs f on every path once called: a nested Do blocks */
                    if (o->may == 1 && conf == LI_HIGH) conf = LI_MEDIUM;
                    else if (o->may >= 2) conf = LI_LOW;
                    report_issue(a, LI_DOUBLE_LOCK, conf, o->node, site[o->key], k->text,
                                 arena_printf(&a->p->arena, "%s calls %s.Do again while the Do that runs it has not returned%s",
                                              name, k->text, o->may ? " (one of the functions this value may hold)" : ""));
                    return;
                }
                /* through a function value that may call something else:
                 * medium at most, low when outside code may set it */
                if (o->may == 1 && conf == LI_HIGH) conf = LI_MEDIUM;
                else if (o->may >= 2) conf = LI_LOW;
                report_issue(a, LI_DOUBLE_LOCK, conf, o->node, site[o->key], k->text,
                             arena_printf(&a->p->arena, "%s %s it again%s", name, o->read ? "read-locks" : "locks",
                                          o->may ? " (one of the functions this value may hold)" : ""));
            }
        }
        return;
    case OP_LOCKW:
    case OP_LOCKR:
        if (rep && !o->via_call) {
            int conf = k->released_somewhere ? LI_HIGH : LI_LOW; /* else maybe another goroutine unlocks */
            if (k->once && h == H_W)
                report_issue(a, LI_DOUBLE_LOCK, LI_HIGH, o->node, site[o->key], k->text,
                             arena_printf(&a->p->arena, "%s.Do is called again while the Do that runs it has not returned", k->text));
            else if (o->kind == OP_LOCKW && (h == H_W || h == H_R))
                report_issue(a, LI_DOUBLE_LOCK, conf, o->node, site[o->key], k->text,
                             h == H_R ? "held for reading" : NULL);
            else if (o->kind == OP_LOCKR && h == H_W)
                report_issue(a, LI_DOUBLE_LOCK, conf, o->node, site[o->key], k->text, "RLock while write-locked");
            else if (o->kind == OP_LOCKR && h == H_R) {
                if (report_issue(a, LI_RECURSIVE_RLOCK, LI_LOW, o->node, site[o->key], k->text, NULL)) rwr_class(a, k);
            }
        }
        if (report && a->want_issues && !o->via_call && o->kind == OP_LOCKW && k->cls) {
            struct lock_writer w = {k->cls, a->fi, a->fn};
            vec_push(&analysis(a->p)->writers, w);
        }
        if (o->kind == OP_LOCKW) st[o->key] = (hstate)((s & D_ANY) | H_W | TK);
        else st[o->key] = (hstate)((s & D_ANY) | TK | (h & (H_R | H_R2) ? H_R2 : 0) | (h & ~(H_R | H_R2) ? H_R : 0));
        site[o->key] = ln;
        return;
    case OP_UNLOCKW:
    case OP_UNLOCKR:
        if (rep && !o->via_call) {
            if (h == H_NO)
                report_issue(a, LI_UNLOCK_UNLOCKED, LI_HIGH, o->node, site[o->key], k->text, NULL);
            else if (o->kind == OP_UNLOCKW && h == H_R && k->rw)
                report_issue(a, LI_UNLOCK_UNLOCKED, LI_HIGH, o->node, site[o->key], k->text, "Unlock of a read lock");
            else if (o->kind == OP_UNLOCKR && h == H_W)
                report_issue(a, LI_UNLOCK_UNLOCKED, LI_HIGH, o->node, site[o->key], k->text, "RUnlock of a write lock");
        }
        if (o->kind == OP_UNLOCKR)
            st[o->key] = (hstate)((s & (D_ANY | NF | TK)) | (h & H_R2 ? H_R : 0) | (h & ~H_R2 ? H_NO : 0));
        else st[o->key] = (hstate)((s & (D_ANY | NF | TK)) | H_NO);
        site[o->key] = ln;
        return;
    case OP_DEFER_RELEASE:
        st[o->key] = (hstate)((s & (H_ANY | NF | TK)) | D_YES);
        return;
    }
}

static void run_block(struct fa *a, int b, hstate *st, uint32_t *site, bool report)
{
    for (int i = a->ev_first[b]; i < a->ev_first[b + 1]; i++) step(a, &a->ops.items[i], st, site, report);
}

static void solve(struct fa *a)
{
    struct cfg *g = a->g;
    int nk = a->nkeys, nb = g->nblocks;
    a->in = xcalloc((size_t)nb * (size_t)nk + 1, sizeof(hstate));
    a->site = xcalloc((size_t)nb * (size_t)nk + 1, sizeof(uint32_t));
    for (int k = 0; k < nk; k++) a->in[(size_t)g->entry * nk + k] = H_ENTRY | D_NO | NF;
    hstate *st = xmalloc(sizeof(hstate) * ((size_t)nk + 1));
    uint32_t *site = xmalloc(sizeof(uint32_t) * ((size_t)nk + 1));
    int nrpo;
    const int *rpo = cfg_rpo(g, &nrpo);
    bool changed = true;
    for (int round = 0; changed && round < 100; round++) {
        changed = false;
        for (int i = 0; i < nrpo; i++) {
            int b = rpo[i];
            memcpy(st, a->in + (size_t)b * nk, sizeof(hstate) * (size_t)nk);
            memcpy(site, a->site + (size_t)b * nk, sizeof(uint32_t) * (size_t)nk);
            run_block(a, b, st, site, false);
            for (int s = 0; s < g->blocks[b].nsuccs; s++) {
                int to = g->blocks[b].succs[s].to;
                hstate *in = a->in + (size_t)to * nk;
                uint32_t *ts = a->site + (size_t)to * nk;
                for (int k = 0; k < nk; k++) {
                    hstate was = in[k];
                    uint32_t wsite = ts[k];
                    if (!was) ts[k] = site[k];
                    else if (ts[k] != site[k]) ts[k] = 0;
                    in[k] |= st[k];
                    if (in[k] != was || ts[k] != wsite) changed = true;
                }
            }
        }
    }
    free(st);
    free(site);
}

/* The pred of EXIT that is the function's last statement (fall-off end or
 * the lexically last return), or -1. */
static int main_exit(struct fa *a)
{
    struct cfg *g = a->g;
    const struct cfg_block *ex = &g->blocks[g->exit];
    int best = -1;
    uint32_t best_pos = 0;
    for (int i = 0; i < ex->npreds; i++) {
        int b = ex->preds[i];
        const struct cfg_block *pb = &g->blocks[b];
        nid last = pb->nevents ? pb->events[pb->nevents - 1] : 0;
        uint32_t pos = ast_kind(a->f, last) == N_RETURN_STATEMENT ? a->f->nodes[last].start_byte : UINT32_MAX;
        if (best < 0 || pos >= best_pos) {
            best = b;
            best_pos = pos;
        }
    }
    return best;
}

/* Does a function name mention "lock"? Strictly: as a verb or state of its
 * own (lockX, xLocked, acquireLock, rLock), not in Unlock, Block, clock or
 * flock. */
static bool name_says_lock(struct str s, bool strict)
{
    for (size_t i = 0; i + 4 <= s.n; i++) {
        if (strncasecmp(s.p + i, "lock", 4)) continue;
        if (!strict) return true;
        char b = i ? (char)(s.p[i - 1] | 32) : 0;
        if (b == 'b' || b == 'c' || b == 'f') continue; /* block, clock, flock */
        if (i >= 2 && !strncasecmp(s.p + i - 2, "un", 2)) continue;
        return true;
    }
    return false;
}

/* Does the function's name or doc comment say it returns holding a lock? */
static bool contract_returns_locked(struct fa *a)
{
    const struct gofile *f = a->f;
    nid name = ast_child(f, a->fn, F_NAME);
    if (name && name_says_lock(ast_text(f, name), false)) return true;
    uint32_t line = f->nodes[a->fn].line;
    for (uint32_t i = 0; i < f->ncomments; i++) {
        const struct comment *c = &f->comments[i];
        if (c->end_line + 1 < line || c->line >= line) continue;
        /* a comment block ending right above the function */
        uint32_t j = i;
        while (j + 1 < f->ncomments && f->comments[j + 1].line < line) j++;
        if (f->comments[j].end_line + 1 != line) continue;
        for (uint32_t k = i; k <= j; k++) {
            struct str t = ast_comment_text(f, &f->comments[k]);
            static const char *const words[] = {"held", "holding", "locked", "acquire"};
            for (size_t w = 0; w < GD_ARRAY_LEN(words); w++)
                for (size_t q = 0; q + strlen(words[w]) <= t.n; q++)
                    if (!strncasecmp(t.p + q, words[w], strlen(words[w]))) return true;
        }
        break;
    }
    return false;
}

/* Is node n in a branch that never runs: `if false { n }`, `if true {}
 * else { n }` (a guard kept only to please a linter)? */
static bool dead_branch(struct fa *a, nid n)
{
    const struct gofile *f = a->f;
    for (nid c = n, up = ast_parent(f, n); up && up != a->fn; c = up, up = ast_parent(f, up)) {
        if (ast_kind(f, up) != N_IF_STATEMENT) continue;
        enum node_kind ck = ast_kind(f, ast_unparen(f, ast_child(f, up, F_CONDITION)));
        if (f->nodes[c].field == F_CONSEQUENCE && ck == N_FALSE) return true;
        if (f->nodes[c].field == F_ALTERNATIVE && ck == N_TRUE) return true;
    }
    return false;
}

/* Does comment text t say that the function returns with a lock held
 * (or that its caller releases it)? Mentioning a lock is not enough:
 * "early return while holding the lock", "takes the lock" are not
 * contracts. */
static bool says_returns_held(struct str t)
{
    char low[2048];
    size_t n = 0;
    for (size_t i = 0; i < t.n && n < sizeof low - 1; i++) {
        char c = t.p[i];
        c = (char)((c >= 'A' && c <= 'Z') ? c + 32 : (c == '\n' || c == '\t' || c == '/' || c == '*') ? ' ' : c);
        if (c == ' ' && n && low[n - 1] == ' ') continue; /* "the caller\n// must unlock" */
        low[n++] = c;
    }
    low[n] = 0;
    /* phrases naming the caller's release */
    static const char *const caller[] = {"caller must unlock", "caller must release", "caller should unlock",
                                         "caller should release", "callers must unlock", "callers must release",
                                         "caller is responsible for unlocking", "caller is responsible for releasing",
                                         "unlocked by the caller", "released by the caller", "caller unlocks",
                                         "caller releases", "must be unlocked by", "must be released by",
                                         "leaves it locked", "leaves the lock held", "lock held on return",
                                         "locked on return", "held on return", "held upon return",
                                         "locked upon return", "returns locked", "returns holding",
                                         "return holding", "returns with", "returning with", "remains locked",
                                         "remains held", "still held when it returns", "keeps it locked"};
    for (size_t i = 0; i < GD_ARRAY_LEN(caller); i++) {
        const char *m = strstr(low, caller[i]);
        if (!m) continue;
        /* "returns with"/"returning with" must go on about a lock held */
        if (!strcmp(caller[i], "returns with") || !strcmp(caller[i], "returning with")) {
            char win[96];
            snprintf(win, sizeof win, "%.80s", m);
            if (!strstr(win, "held") && !strstr(win, "locked") && !strstr(win, "lock")) continue;
        }
        return true;
    }
    return false;
}

/* GD402's contract: the function's name says it locks (lockX, xLocked,
 * acquireLock, rLock; not Unlock, Block, clock), or its doc comment says it
 * returns with the lock held. */
static bool contract_returns_held(struct fa *a)
{
    const struct gofile *f = a->f;
    nid name = ast_child(f, a->fn, F_NAME);
    if (name && name_says_lock(ast_text(f, name), true)) return true;
    /* the doc comment: the run of comment lines ending right above the
     * function, read as one text (a phrase may wrap) */
    uint32_t line = f->nodes[a->fn].line;
    uint32_t lo = 0, hi = f->ncomments; /* comments are in source order: the first at or below line */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->comments[mid].line < line) lo = mid + 1;
        else hi = mid;
    }
    if (!lo || f->comments[lo - 1].end_line + 1 != line) return false;
    uint32_t j = lo - 1, i = j;
    while (i > 0 && f->comments[i - 1].end_line + 1 == f->comments[i].line) i--;
    struct buf doc = {0};
    for (uint32_t k = i; k <= j; k++) {
        struct str t = ast_comment_text(f, &f->comments[k]);
        buf_printf(&doc, "%.*s ", (int)t.n, t.p);
    }
    bool r = doc.data && says_returns_held(str_make(doc.data, strlen(doc.data)));
    buf_free(&doc);
    return r;
}

/* Does state s leave lock k held where the function gives up control
 * (must-held, no deferred release), the function releasing it elsewhere,
 * and not a lock its caller holds (a function that drops and retakes it)? */
static bool left_held(struct fa *a, int k, hstate s)
{
    const struct keyinfo *ki = &a->keys[k];
    uint8_t h = s & H_ANY;
    return !ki->escaped && !ki->class_only && (h == H_W || h == H_R || h == H_R2) && (s & D_ANY) == D_NO &&
           ki->released_somewhere &&
           !ki->entry_release_may;
}

static void check_exits(struct fa *a)
{
    struct cfg *g = a->g;
    int nk = a->nkeys;
    const struct cfg_block *ex = &g->blocks[g->exit];
    int mainb = main_exit(a);
    if (mainb < 0) return;
    hstate *st = xmalloc(sizeof(hstate) * ((size_t)nk + 1)), *mst = xmalloc(sizeof(hstate) * ((size_t)nk + 1));
    uint32_t *site = xmalloc(sizeof(uint32_t) * ((size_t)nk + 1));
    memcpy(mst, a->in + (size_t)mainb * nk, sizeof(hstate) * (size_t)nk);
    memcpy(site, a->site + (size_t)mainb * nk, sizeof(uint32_t) * (size_t)nk);
    run_block(a, mainb, mst, site, false);
    bool contract = contract_returns_held(a);
    for (int i = 0; i < ex->npreds; i++) {
        int b = ex->preds[i];
        if (!cfg_reachable(g, b)) continue;
        memcpy(st, a->in + (size_t)b * nk, sizeof(hstate) * (size_t)nk);
        memcpy(site, a->site + (size_t)b * nk, sizeof(uint32_t) * (size_t)nk);
        run_block(a, b, st, site, false);
        const struct cfg_block *pb = &g->blocks[b];
        nid last = pb->nevents ? pb->events[pb->nevents - 1] : 0;
        for (int k = 0; k < nk; k++) {
            struct keyinfo *ki = &a->keys[k];
            if (ki->escaped || ki->class_only) continue;
            uint8_t h = st[k] & H_ANY, d = st[k] & D_ANY;
            /* deferred Unlock after an explicit one on every path */
            if (h == H_NO && d == D_YES && site[k]) {
                for (int di = 0; di < g->ndefers; di++) {
                    nid ds = g->defers[di];
                    for (int oi = 0; oi < (int)a->ops.len; oi++) {
                        struct op *o = &a->ops.items[oi];
                        if (o->node == ds && o->key == k && o->kind == OP_DEFER_RELEASE && !o->via_call &&
                            ast_kind(a->f, ast_unparen(a->f, ast_first_child(a->f, ds))) == N_CALL_EXPRESSION &&
                            ast_kind(a->f, ast_child(a->f, ast_unparen(a->f, ast_first_child(a->f, ds)), F_FUNCTION)) !=
                                N_FUNC_LITERAL) {
                            bool dup = false;
                            struct pkg_analysis *pa = analysis(a->p);
                            for (size_t q = 0; q < pa->issues.len && !dup; q++)
                                dup = pa->issues.items[q].at == ds && pa->issues.items[q].fi == a->fi;
                            if (!dup && a->want_issues)
                                report_issue(a, LI_UNLOCK_UNLOCKED, LI_HIGH, ds, site[k], ki->text,
                                             "deferred unlock runs after the explicit unlock");
                        }
                    }
                }
            }
            if (!a->want_issues || ast_kind(a->f, last) != N_RETURN_STATEMENT || b == mainb) continue;
            if (dead_branch(a, last) || contract || !left_held(a, k, st[k])) continue;
            uint8_t mh = mst[k] & H_ANY;
            /* the main path returns holding it too: a conditional acquire */
            if ((mh & (H_W | H_R | H_R2)) && (mst[k] & D_ANY) != D_YES) continue;
            /* acquired and released by helper calls: a protocol we see only in part */
            /* detail holds the key until callers_release() has looked at the callers */
            report_issue(a, LI_MISSING_UNLOCK, ki->direct_acquire && ki->direct_release ? LI_HIGH : LI_LOW, last,
                         site[k], ki->text, ki->key);
        }
    }
    free(st);
    free(mst);
    free(site);
}

/* Does jump statement j (a break or goto of fn) leave a for loop? A break
 * leaves the loop, switch or select it names or is innermost in; a goto
 * leaves every loop around it that does not hold its label. */
static bool jump_leaves_loop(const struct gofile *f, nid fn, nid j)
{
    nid lbl = ast_first_child(f, j);
    if (ast_kind(f, lbl) != N_LABEL_NAME) lbl = 0;
    struct str name = lbl ? ast_text(f, lbl) : (struct str){0};
    if (ast_kind(f, j) == N_BREAK_STATEMENT) {
        for (nid up = ast_parent(f, j); up && up != fn; up = ast_parent(f, up)) {
            enum node_kind k = ast_kind(f, up);
            if (k == N_FUNC_LITERAL) return false;
            if (lbl) {
                if (k != N_LABELED_STATEMENT || !str_eqs(ast_text(f, ast_child(f, up, F_LABEL)), name)) continue;
                AST_FOR_CHILDREN(f, up, c)
                if (ast_kind(f, c) != N_LABEL_NAME) return ast_kind(f, c) == N_FOR_STATEMENT;
                return false;
            }
            if (k == N_FOR_STATEMENT) return true;
            if (k == N_EXPRESSION_SWITCH_STATEMENT || k == N_TYPE_SWITCH_STATEMENT || k == N_SELECT_STATEMENT)
                return false;
        }
        return false;
    }
    if (ast_kind(f, j) != N_GOTO_STATEMENT || !lbl) return false;
    nid target = 0;
    for (nid k = fn + 1; k < f->nodes[fn].end && !target; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) k = f->nodes[k].end - 1;
        else if (ast_kind(f, k) == N_LABELED_STATEMENT && str_eqs(ast_text(f, ast_child(f, k, F_LABEL)), name))
            target = k;
    }
    if (!target) return false;
    for (nid up = ast_parent(f, j); up && up != fn; up = ast_parent(f, up))
        if (ast_kind(f, up) == N_FOR_STATEMENT && !ast_contains(f, up, target)) return true;
    return false;
}

/* Does every path from the end of block `from` that reaches EXIT get there
 * without an operation on lock k, and does one? Any Lock, Unlock or
 * deferred release of k on the way (a release after the loop, even on some
 * paths only, or the loop's own Lock again) says no. */
static bool reaches_exit_untouched(struct fa *a, int from, int k)
{
    struct cfg *g = a->g;
    uint8_t *seen = xcalloc((size_t)g->nblocks + 1, 1);
    int *queue = xmalloc(sizeof(int) * ((size_t)g->nblocks + 1));
    int qh = 0, qt = 0;
    bool exit = false, touched = false;
    queue[qt++] = from;
    seen[from] = 1;
    while (qh < qt && !touched) {
        int v = queue[qh++];
        if (v == g->exit) {
            exit = true;
            continue;
        }
        if (v == g->noreturn) continue;
        for (int i = a->ev_first[v]; v != from && i < a->ev_first[v + 1] && !touched; i++) {
            const struct op *o = &a->ops.items[i];
            touched = o->key == k && (o->kind == OP_LOCKW || o->kind == OP_LOCKR || o->kind == OP_UNLOCKW ||
                                      o->kind == OP_UNLOCKR || o->kind == OP_DEFER_RELEASE || o->kind == OP_CHECK_FRESH);
        }
        for (int s = 0; s < g->blocks[v].nsuccs; s++) {
            int to = g->blocks[v].succs[s].to;
            if (!seen[to]) {
                seen[to] = 1;
                queue[qt++] = to;
            }
        }
    }
    free(seen);
    free(queue);
    return exit && !touched;
}

/* GD402 where no return is: a break or goto that leaves a loop holding a
 * lock that no path from there to the function's end releases, and the
 * end of the body reached holding it (the function falls off its closing
 * brace), when other paths leave the function with the lock released. */
static void check_ends(struct fa *a)
{
    struct cfg *g = a->g;
    const struct gofile *f = a->f;
    int nk = a->nkeys;
    if (!a->want_issues || contract_returns_held(a)) return;
    hstate *st = xmalloc(sizeof(hstate) * ((size_t)nk + 1));
    uint32_t *site = xmalloc(sizeof(uint32_t) * ((size_t)nk + 1));
    bool reported[MAX_KEYS] = {false};
    const hstate *at_exit = a->in + (size_t)g->exit * nk;
    for (int b = 0; b <= g->nblocks; b++) {
        /* the jumps first, then (b == nblocks) the fall-off end */
        int blk = b < g->nblocks ? b : g->falloff;
        nid j = b < g->nblocks ? g->blocks[b].jump : 0;
        if (b < g->nblocks && (!j || !jump_leaves_loop(f, a->fn, j) || dead_branch(a, j))) continue;
        if (blk < 0 || !cfg_reachable(g, blk)) continue;
        memcpy(st, a->in + (size_t)blk * nk, sizeof(hstate) * (size_t)nk);
        memcpy(site, a->site + (size_t)blk * nk, sizeof(uint32_t) * (size_t)nk);
        run_block(a, blk, st, site, false);
        for (int k = 0; k < nk; k++) {
            struct keyinfo *ki = &a->keys[k];
            /* released on the way out by another path */
            if (reported[k] || !left_held(a, k, st[k]) || !(at_exit[k] & H_NO)) continue;
            nid at = j;
            uint32_t end_line = 0, col;
            if (!j) {
                /* at the last statement of the body, naming the brace */
                nid list = ast_first_child(f, g->body);
                for (nid c = list; c; c = ast_next(f, c)) at = c;
                if (ast_kind(f, at) == N_STATEMENT_LIST)
                    for (nid c = ast_first_child(f, at); c; c = ast_next(f, c)) at = c;
                if (!at || ast_kind(f, at) == N_STATEMENT_LIST) continue;
                ast_pos(f, f->nodes[g->body].end_byte - 1, &end_line, &col);
            } else if (!reaches_exit_untouched(a, blk, k)) {
                continue;
            }
            reported[k] = true;
            report_issue(a, LI_MISSING_UNLOCK, ki->direct_acquire && ki->direct_release ? LI_HIGH : LI_LOW, at,
                         site[k], ki->text, ki->key);
            analysis(a->p)->issues.items[analysis(a->p)->issues.len - 1].rel_line2 = end_line;
        }
    }
    free(st);
    free(site);
}

/* Lock ops that are direct children of a loop body: can an iteration come
 * back to them without releasing the lock? */
static void check_loops(struct fa *a)
{
    struct cfg *g = a->g;
    const struct gofile *f = a->f;
    int nb = g->nblocks;
    /* the search state is (block, what the loop condition is known to be:
     * 0 unknown, 1 false, 2 true) */
    int *queue = xmalloc(sizeof(int) * (3 * (size_t)nb + 1));
    uint8_t *seen = xmalloc(3 * (size_t)nb + 1);
    for (int b = 0; b < nb; b++) {
        for (int i = a->ev_first[b]; i < a->ev_first[b + 1]; i++) {
            struct op *o = &a->ops.items[i];
            if ((o->kind != OP_LOCKW && o->kind != OP_LOCKR) || o->via_call || a->keys[o->key].escaped ||
                a->keys[o->key].class_only)
                continue;
            nid stmt = ast_parent(f, o->node);
            if (ast_kind(f, stmt) != N_EXPRESSION_STATEMENT) continue;
            nid list = ast_parent(f, stmt), body = ast_parent(f, list);
            if (ast_kind(f, body) != N_BLOCK || ast_kind(f, ast_parent(f, body)) != N_FOR_STATEMENT) continue;
            /* a root declared in the loop (range variable, := in the body)
             * names another object on each iteration */
            nid loop = ast_parent(f, body);
            nid callee = ast_unparen(f, ast_child(f, o->node, F_FUNCTION));
            nid root = path_root(f, ast_child(f, callee, F_OPERAND));
            nid dn, nm;
            if (!root || (model_resolve_local(a->p, a->fi, root, &dn, &nm) && ast_contains(f, loop, nm))) continue;
            /* already a must double lock? then the dataflow reported it */
            uint8_t h = a->in[(size_t)b * a->nkeys + o->key] & H_ANY;
            if (h == H_W || h == H_R) continue;
            /* release later in the same block? */
            bool released = false;
            for (int j = i + 1; j < a->ev_first[b + 1] && !released; j++) {
                struct op *q = &a->ops.items[j];
                released = q->key == o->key && (q->kind == OP_UNLOCKW || q->kind == OP_UNLOCKR);
            }
            if (released) continue;
            /* the loop condition: an `if` on the same condition in the body
             * decides whether the loop comes back (`for !done { ...; if
             * !done { mu.Unlock() } }`) */
            nid lcond = 0;
            AST_FOR_CHILDREN(f, loop, c)
            {
                if (ast_kind(f, c) == N_FOR_CLAUSE) lcond = ast_child(f, c, F_CONDITION);
                else if (c != body && ast_kind(f, c) != N_RANGE_CLAUSE) lcond = c;
            }
            struct str ltext = lcond ? ast_text(f, lcond) : (struct str){0};
            memset(seen, 0, 3 * (size_t)nb);
            int qh = 0, qt = 0;
            /* the Lock's own block is searched from the op on: its branch
             * (the body's `if` on the loop condition) counts too */
            queue[qt++] = b * 3;
            bool back = false, first = true;
            while (qh < qt && !back) {
                int v = queue[qh] / 3, known = queue[qh] % 3;
                qh++;
                if (v == g->exit || v == g->noreturn) continue;
                bool stop = false;
                for (int j = first ? i + 1 : a->ev_first[v]; j < a->ev_first[v + 1]; j++) {
                    struct op *q = &a->ops.items[j];
                    if (q->key != o->key) continue;
                    if (q == o) {
                        back = true;
                        break;
                    }
                    if (q->kind == OP_UNLOCKW || q->kind == OP_UNLOCKR || q->kind == OP_LOCKW || q->kind == OP_LOCKR) {
                        stop = true;
                        break;
                    }
                }
                first = false;
                if (back || stop) continue;
                /* an assignment in the block may change the condition */
                if (known && lcond)
                    for (int e = 0; e < g->blocks[v].nevents && known; e++) {
                        nid ev = g->blocks[v].events[e];
                        for (nid k = ev; k < f->nodes[ev].end && known; k++) {
                            enum node_kind kk = ast_kind(f, k);
                            if (kk != N_ASSIGNMENT_STATEMENT && kk != N_SHORT_VAR_DECLARATION &&
                                kk != N_INC_STATEMENT && kk != N_DEC_STATEMENT)
                                continue;
                            nid left = ast_first_child(f, k);
                            for (nid l = left; l < f->nodes[left].end; l++)
                                if (ast_kind(f, l) == N_IDENTIFIER) {
                                    struct str lt = ast_text(f, l);
                                    for (size_t c = 0; c + lt.n <= ltext.n; c++)
                                        if (!memcmp(ltext.p + c, lt.p, lt.n)) known = 0;
                                }
                        }
                    }
                nid vc = g->blocks[v].cond;
                bool same = lcond && vc && str_eqs(ast_text(f, vc), ltext);
                for (int s = 0; s < g->blocks[v].nsuccs; s++) {
                    const struct cfg_edge *ed = &g->blocks[v].succs[s];
                    int nk = known;
                    if (same && ed->kind != CE_ALWAYS) {
                        int ek = ed->kind == CE_TRUE ? 2 : 1;
                        if (known && known != ek) continue; /* that edge is not taken */
                        nk = ek;
                    }
                    int st = ed->to * 3 + nk;
                    if (!seen[st]) {
                        seen[st] = 1;
                        queue[qt++] = st;
                    }
                }
            }
            if (!back || !a->want_issues) continue;
            if (o->kind == OP_LOCKR) {
                /* a read lock taken again: blocks only when a writer queues */
                if (report_issue(a, LI_RECURSIVE_RLOCK, LI_LOW, o->node, 0, a->keys[o->key].text,
                                 "on the next iteration of the loop"))
                    rwr_class(a, &a->keys[o->key]);
            } else
                report_issue(a, LI_LOOP_RELOCK, a->keys[o->key].direct_release ? LI_HIGH : LI_LOW, o->node, 0,
                             a->keys[o->key].text, NULL);
        }
    }
    free(queue);
    free(seen);
}

/* Facts found by replaying each block from its solved in-state: locks
 * taken while the state was still "as on entry" (fresh), and releases of a
 * lock the caller may hold (entry releases). */
static void replay_facts(struct fa *a)
{
    struct cfg *g = a->g;
    int nk = a->nkeys;
    hstate st[MAX_KEYS];
    uint32_t site[MAX_KEYS];
    for (int b = 0; b < g->nblocks; b++) {
        if (!cfg_reachable(g, b)) continue;
        memcpy(st, a->in + (size_t)b * nk, sizeof(hstate) * (size_t)nk);
        memcpy(site, a->site + (size_t)b * nk, sizeof(uint32_t) * (size_t)nk);
        for (int i = a->ev_first[b]; i < a->ev_first[b + 1]; i++) {
            struct op *o = &a->ops.items[i];
            struct keyinfo *ki = &a->keys[o->key];
            uint8_t h = st[o->key] & H_ANY;
            bool is_lock = o->kind == OP_LOCKW || o->kind == OP_LOCKR || o->kind == OP_CHECK_FRESH;
            bool is_unlock = o->kind == OP_UNLOCKW || o->kind == OP_UNLOCKR;
            if (is_lock && h == H_ENTRY) {
                ki->fresh = true;
                uint8_t m = (uint8_t)(1 + (o->kind == OP_CHECK_FRESH ? o->may : 0));
                if (!ki->fresh_sure || m < ki->fresh_sure) ki->fresh_sure = m;
                if (o->kind == OP_LOCKR || (o->kind == OP_CHECK_FRESH && o->read)) ki->fresh_r = true;
                if (o->all_paths) ki->fresh_all = true;
            }
            if (is_unlock && (h & H_ENTRY)) ki->entry_release_may = true;
            if (is_unlock && h == H_ENTRY) ki->entry_release_must = true;
            if (o->kind == OP_RELOCK && (h & H_ENTRY)) ki->relock = true;
            step(a, o, st, site, false);
        }
    }
}

/* The first Lock (or call that locks) of key k in the function, or 0. */
static nid first_acquire(struct fa *a, int k)
{
    for (size_t i = 0; i < a->ops.len; i++) {
        const struct op *o = &a->ops.items[i];
        if (o->key == k && (o->kind == OP_LOCKW || o->kind == OP_LOCKR || o->kind == OP_CHECK_FRESH)) return o->node;
    }
    return 0;
}

/* Is the local whose key is `key` ("L<nid>...", nid its declaring
 * identifier) an object of the function's own making: declared without a
 * value, or from a composite literal, new(T) or a New.../new... call? */
static bool own_object(struct fa *a, const char *key)
{
    const struct gofile *f = a->f;
    nid name = (nid)strtoul(key + 1, NULL, 10);
    if (!name || name >= f->nnodes || ast_kind(f, name) != N_IDENTIFIER) return false;
    nid decl = ast_parent(f, name);
    if (ast_kind(f, decl) != N_VAR_SPEC) {
        if (ast_kind(f, ast_parent(f, decl)) != N_SHORT_VAR_DECLARATION || f->nodes[decl].field != F_LEFT) return false;
        decl = ast_parent(f, decl);
    }
    bool bare;
    nid v = ast_unparen(f, model_decl_value(f, decl, name, &bare));
    if (bare) return true;
    if (ast_kind(f, v) == N_UNARY_EXPRESSION && f->nodes[v].op == OP_AND) v = ast_unparen(f, ast_child(f, v, F_OPERAND));
    if (ast_kind(f, v) == N_COMPOSITE_LITERAL) return true;
    if (ast_kind(f, v) != N_CALL_EXPRESSION) return false;
    nid fe = ast_unparen(f, ast_child(f, v, F_FUNCTION));
    struct str n = ast_text(f, ast_kind(f, fe) == N_SELECTOR_EXPRESSION ? ast_child(f, fe, F_FIELD) : fe);
    return n.n >= 3 && (!memcmp(n.p, "new", 3) || !memcmp(n.p, "New", 3));
}

/* Is local key `key` ("L<name>...") of func literal a->fn a variable
 * declared outside it (captured)? */
static bool lit_captured(struct fa *a, const char *key)
{
    nid name = (nid)strtoul(key + 1, NULL, 10);
    return name && (name < a->fn || name >= a->f->nodes[a->fn].end);
}

/* Class effects: the locks the function takes of objects reached through
 * its locals, map or slice elements and calls' results (or that callees
 * take so), as "C:<class>" fresh locks, which order the caller's held locks
 * before them. Not for objects of its own making (no one else holds them
 * yet) or of a local class. */
static void class_effects(struct fa *a)
{
    for (int k = 0; k < a->nkeys; k++) {
        struct keyinfo *ki = &a->keys[k];
        char root = ki->key[0];
        if ((root != 'L' && root != 'X' && root != 'C') || !ki->cls || ki->escaped || !ki->fresh) continue;
        if (ki->cls[0] == 'L' && ki->cls[1] >= '0' && ki->cls[1] <= '9') continue;
        /* (a func literal's captured variable is not: the literal runs later) */
        if (root == 'L' && own_object(a, ki->key) && !(a->decl < 0 && lit_captured(a, ki->key))) continue;
        const char *key = root == 'C' ? ki->key : arena_printf(&a->p->arena, "C:%s", ki->cls);
        bool dup = false;
        for (size_t i = 0; i < a->effects.len && !dup; i++) dup = !strcmp(a->effects.items[i].key, key);
        if (dup) continue;
        struct effect e = {ki->fresh_r ? EFF_RLOCK : EFF_LOCK, (uint8_t)(EF_FRESH | (ki->once ? EF_ONCE : 0)), key, a->fi, first_acquire(a, k), 0, false,
                           (uint8_t)(ki->fresh_sure ? ki->fresh_sure - 1 : 0)};
        vec_push(&a->effects, e);
    }
}

/* The fresh lock effect of key k, whose state at EXIT is ex: on every
 * path when every path to EXIT passed a lock (the exit state has no
 * H_ENTRY); its guard, Once and may level. */
static void push_fresh_effect(struct fa *a, int k, hstate ex)
{
    const struct keyinfo *ki = &a->keys[k];
    uint8_t fl = EF_FRESH | (ki->once ? EF_ONCE : 0);
    if (ki->fresh_all && !(ex & NF) && (ex & H_ANY)) fl |= EF_ALL_PATHS;
    struct effect e = {ki->fresh_r ? EFF_RLOCK : EFF_LOCK, fl, ki->key, a->fi, first_acquire(a, k), 0, false,
                       (uint8_t)(ki->fresh_sure ? ki->fresh_sure - 1 : 0)};
    if (ki->guard >= 0) e.guard = (uint8_t)(ki->guard + 1), e.guard_val = ki->guard_val;
    vec_push(&a->effects, e);
}

/* Builds the summary from the solved dataflow. */
static void summarise(struct fa *a)
{
    struct cfg *g = a->g;
    int nk = a->nkeys;
    hstate *at_exit = a->in + (size_t)g->exit * nk;
    for (int k = 0; k < nk; k++) {
        struct keyinfo *ki = &a->keys[k];
        char root = ki->key[0];
        if (root == 'L' && a->decl < 0 && lit_captured(a, ki->key)) {
            /* a func literal's lock of a variable it captures: its callers
             * through function values name that variable (may_literal_ops) */
            if (ki->fresh && !ki->escaped) push_fresh_effect(a, k, at_exit[k]);
            continue;
        }
        if (root != 'R' && root != 'P' && root != 'G') continue;
        if (ki->entry_release_may && a->decl >= 0) analysis(a->p)->entry_release[a->decl] = true;
        if (ki->escaped) continue;
        uint8_t h = at_exit[k] & H_ANY, d = at_exit[k] & D_ANY;
        /* the state after the deferred releases ran */
        uint8_t eh = d == D_YES ? H_NO : h;
        if (ki->fresh) push_fresh_effect(a, k, at_exit[k]);
        if (ki->class_only) continue; /* held or not on return is a guess */
        if ((eh == H_W || eh == H_R) && d == D_NO && !ki->entry_release_may) {
            struct effect e = {eh == H_R ? EFF_RLOCK : EFF_LOCK, EF_NET | EF_ALL_PATHS, ki->key, a->fi, first_acquire(a, k), 0, false, 0};
            vec_push(&a->effects, e);
        } else if (ki->guard >= 0 && (eh == (H_ENTRY | H_W) || eh == (H_ENTRY | H_R)) && d == D_NO &&
                   !ki->released_somewhere && !ki->entry_release_may) {
            /* taken only when a bool parameter says so, and then kept: held
             * on return when the caller passes that value (go-memdb's
             * Txn(true), which returns holding the writer lock) */
            struct effect e = {eh & H_R ? EFF_RLOCK : EFF_LOCK, EF_NET | EF_ALL_PATHS, ki->key, a->fi,
                               first_acquire(a, k), (uint8_t)(ki->guard + 1), ki->guard_val, 0};
            vec_push(&a->effects, e);
        }
        /* released while the caller holds it and taken again: held (or as
         * on entry) at every exit, never left released */
        if ((ki->relock || (ki->entry_release_may && (eh & (H_W | H_R)))) && !(eh & H_NO) && d == D_NO) {
            struct effect e = {ki->rw && !(eh & H_W) ? EFF_RLOCK : EFF_LOCK, EF_RELOCK, ki->key, a->fi, 0, 0, false, 0};
            if (ki->guard >= 0) e.guard = (uint8_t)(ki->guard + 1), e.guard_val = ki->guard_val;
            vec_push(&a->effects, e);
        }
        /* released on every path, having been held by the caller */
        if (eh == H_NO && ki->entry_release_must) {
            struct effect e = {ki->rw ? EFF_RUNLOCK : EFF_UNLOCK, EF_NET | EF_ALL_PATHS, ki->key, a->fi, 0, 0, false, 0};
            /* an RWMutex released by Unlock is a write release */
            for (int i = 0; i < (int)a->ops.len; i++)
                if (a->ops.items[i].key == k && a->ops.items[i].kind == OP_UNLOCKW) e.kind = EFF_UNLOCK;
            vec_push(&a->effects, e);
        }
    }
    class_effects(a);
}

/* Channel and WaitGroup effects on receiver/parameter/package objects:
 * recorded (with EF_DEFERRED) for the leak and WaitGroup rules. */
static void other_effects(struct fa *a)
{
    const struct gofile *f = a->f;
    nid body = a->g->body;
    if (!body) return;
    for (nid k = body; k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        uint8_t kind = 255;
        nid obj = 0;
        if (kk == N_CALL_EXPRESSION) {
            nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
            if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION) {
                nid x = ast_child(f, fe, F_OPERAND), fld = ast_child(f, fe, F_FIELD);
                uint8_t wk = ast_text_is(f, fld, "Add") ? EFF_WG_ADD : ast_text_is(f, fld, "Done") ? EFF_WG_DONE
                           : ast_text_is(f, fld, "Wait") ? EFF_WG_WAIT : 255;
                if (wk != 255 && ltype_is(model_type_of(a->p, a->fi, x), "sync", "WaitGroup", true)) {
                    kind = wk;
                    obj = x;
                }
            } else if (model_is_builtin_call(a->p, a->fi, k, "close")) {
                kind = EFF_CLOSE;
                obj = ast_first_child(f, ast_child(f, k, F_ARGUMENTS));
            }
        } else if (kk == N_SEND_STATEMENT) {
            kind = EFF_SEND;
            obj = ast_child(f, k, F_CHANNEL);
        } else if (kk == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW) {
            kind = EFF_RECV;
            obj = ast_child(f, k, F_OPERAND);
        }
        if (kind == 255 || !obj) continue;
        const char *key = expr_key(a->p, a->fi, a->fn, obj);
        if (!key || (key[0] != 'R' && key[0] != 'P' && key[0] != 'G')) continue;
        uint8_t fl = ast_ancestor(f, k, N_DEFER_STATEMENT) && ast_contains(f, body, ast_ancestor(f, k, N_DEFER_STATEMENT))
                         ? EF_DEFERRED
                         : 0;
        struct effect e = {kind, fl, key, a->fi, k, 0, false, 0};
        vec_push(&a->effects, e);
    }
}

static void fa_free(struct fa *a)
{
    vec_free(&a->ops);
    vec_free(&a->effects);
    free(a->ev_first);
    free(a->in);
    free(a->site);
    cfg_free(a->g);
}

/* `defer wg.Done()` and `defer close(ch)` run at the exit: the locks taken
 * before them are those taken on every path to EXIT. */
static void deferred_chan_facts(struct fa *a)
{
    struct cfg *g = a->g;
    const struct gofile *f = a->f;
    if (!cfg_reachable(g, g->exit)) return;
    const hstate *st = a->in + (size_t)g->exit * a->nkeys;
    const uint32_t *site = a->site + (size_t)g->exit * a->nkeys;
    for (int i = 0; i < g->ndefers; i++) {
        nid call = ast_unparen(f, ast_first_child(f, g->defers[i]));
        nid x = 0;
        uint8_t op;
        if ((x = wg_call(a, call, "Done"))) op = CO_DONE;
        else if (model_is_builtin_call(a->p, a->fi, call, "close")) {
            op = CO_CLOSE;
            x = ast_first_child(f, ast_child(f, call, F_ARGUMENTS));
        } else {
            /* `defer s.cleanup()`: what the callee closes or marks done */
            int d = ast_kind(f, call) == N_CALL_EXPRESSION ? model_callee(a->p, a->fi, call) : -1;
            if (d < 0) continue;
            size_t before = a->ops.len;
            callee_chan_ops(a, call, d, 0, 0);
            for (size_t i2 = before; i2 < a->ops.len; i2++) {
                struct op o = a->ops.items[i2];
                if (o.chan_op != CO_CLOSE && o.chan_op != CO_DONE) continue;
                const char *text = NULL, *cls = NULL;
                if (!map_key(a->p, a->fi, a->fn, call, o.eff->key, &text, &cls) || !cls) continue;
                o.chan = cls;
                o.chan_text = text;
                o.node = g->defers[i];
                record_chan_facts(a, &o, st, site);
            }
            a->ops.len = before;
            continue;
        }
        size_t before = a->ops.len;
        add_chan_op(a, op, x, g->defers[i], false);
        if (a->ops.len == before) continue;
        struct op o = a->ops.items[--a->ops.len];
        record_chan_facts(a, &o, st, site);
    }
}

/* Analyses function fn of file fi: issues (when want_issues) and, for a
 * package-level function, its summary. */
static const struct func_summary *analyse(struct pkg *p, int fi, nid fn, bool want_issues, bool want_summary)
{
    struct fa a;
    memset(&a, 0, sizeof a);
    a.p = p;
    a.fi = fi;
    a.f = &p->files[fi];
    a.fn = fn;
    a.decl = pkg_decl_index(p, fi, fn);
    a.via_guard = -1;
    a.want_issues = want_issues;
    a.issue_base = analysis(p)->issues.len;
    a.g = cfg_build(p, fi, fn);
    if (want_issues) a.exempt = lock_context_exempt(&a);
    collect_ops(&a);
    const struct func_summary *res = NULL;
    if (!a.nkeys && want_issues)
        for (size_t i = 0; i < a.ops.len; i++)
            if (a.ops.items[i].kind == OP_FIELD || a.ops.items[i].kind == OP_CALLSITE)
                record_field_fact(&a, &a.ops.items[i], NULL);
    if (a.nkeys) {
        mark_escapes(&a);
        go_handoffs(&a);
        solve(&a);
        replay_facts(&a);
        if (want_issues) {
            /* the final pass with reports */
            int nk = a.nkeys;
            hstate *st = xmalloc(sizeof(hstate) * ((size_t)nk + 1));
            uint32_t *site = xmalloc(sizeof(uint32_t) * ((size_t)nk + 1));
            int nrpo;
            const int *rpo = cfg_rpo(a.g, &nrpo);
            for (int i = 0; i < nrpo; i++) {
                int b = rpo[i];
                memcpy(st, a.in + (size_t)b * nk, sizeof(hstate) * (size_t)nk);
                memcpy(site, a.site + (size_t)b * nk, sizeof(uint32_t) * (size_t)nk);
                run_block(&a, b, st, site, true);
            }
            free(st);
            free(site);
            check_exits(&a);
            check_ends(&a);
            check_loops(&a);
            deferred_chan_facts(&a);
        }
        if (want_summary) summarise(&a);
    }
    if (want_summary) {
        other_effects(&a);
        if (a.effects.len) {
            struct func_summary *s = arena_alloc(&p->arena, sizeof *s);
            s->neffects = (int)a.effects.len;
            s->effects = arena_alloc(&p->arena, sizeof(struct effect) * a.effects.len);
            memcpy(s->effects, a.effects.items, sizeof(struct effect) * a.effects.len);
            res = s;
        } else {
            res = &empty_summary;
        }
    }
    fa_free(&a);
    return res;
}

void model_locks_held_at_each(struct pkg *p, int fi, nid fn, const nid *at, int nat, struct held_lock *out, int max,
                              int *count)
{
    struct fa a;
    memset(&a, 0, sizeof a);
    a.p = p;
    a.fi = fi;
    a.f = &p->files[fi];
    a.fn = fn;
    a.decl = pkg_decl_index(p, fi, fn);
    a.via_guard = -1;
    a.g = cfg_build(p, fi, fn);
    for (int i = 0; i < nat; i++) count[i] = 0;
    collect_ops(&a);
    if (a.nkeys) solve(&a);
    for (int q = 0; q < nat && a.nkeys; q++) {
        int b, ev, n = 0;
        if (!cfg_event_pos(a.g, at[q], &b, &ev) || !cfg_reachable(a.g, b)) continue;
        int nk = a.nkeys;
        hstate st[MAX_KEYS];
        uint32_t site[MAX_KEYS];
        memcpy(st, a.in + (size_t)b * nk, sizeof(hstate) * (size_t)nk);
        memcpy(site, a.site + (size_t)b * nk, sizeof(uint32_t) * (size_t)nk);
        const struct cfg_block *cb = &a.g->blocks[b];
        for (int i = a.ev_first[b]; i < a.ev_first[b + 1]; i++) {
            const struct op *o = &a.ops.items[i];
            /* ops come in event order: stop at the first op of `at`'s event or later */
            bool before = false;
            for (int e = 0; e < ev && !before; e++) before = ast_contains(a.f, cb->events[e], o->node);
            if (!before) break;
            step(&a, o, st, site, false);
        }
        struct held_lock *o = out + (size_t)q * (size_t)max;
        for (int k = 0; k < nk && n < max; k++) {
            uint8_t h = st[k] & H_ANY;
            if (!held_bits(h)) continue;
            o[n].cls = a.keys[k].cls;
            o[n].text = a.keys[k].text;
            o[n].write = h == H_W;
            o[n].line = site[k];
            n++;
        }
        count[q] = n;
    }
    fa_free(&a);
}

int model_locks_held_at(struct pkg *p, int fi, nid fn, nid at, struct held_lock *out, int max)
{
    int n;
    model_locks_held_at_each(p, fi, fn, &at, 1, out, max, &n);
    return n;
}

static bool same_summary(const struct func_summary *x, const struct func_summary *y)
{
    int nx = x ? x->neffects : 0, ny = y ? y->neffects : 0;
    if (nx != ny) return false;
    for (int i = 0; i < nx; i++) {
        const struct effect *e = &x->effects[i], *f = &y->effects[i];
        if (e->kind != f->kind || e->flags != f->flags || e->guard != f->guard || e->guard_val != f->guard_val || e->may != f->may ||
            strcmp(e->key, f->key))
            return false;
    }
    return true;
}

/* Rounds over a recursive cycle's summaries beyond the first. */
#define MAX_CYCLE_ROUNDS 4

/* A function in a recursive cycle is solved with its callees: the call
 * that closes the cycle sees the summary of the last round (none in the
 * first), and the first function of the cycle to start (the head) reruns
 * the cycle until no summary in it changes, or MAX_CYCLE_ROUNDS. The
 * other functions of the cycle stay provisional (state 3) until then. */
static const struct func_summary *summary_of(struct pkg *p, int decl)
{
    struct pkg_analysis *pa = analysis(p);
    if (decl < 0 || decl >= p->ndecls) return NULL;
    const struct pkg_decl *d = &p->decls[decl];
    if (d->what != PD_FUNC && d->what != PD_METHOD) return NULL;
    int top = pa->stack.len ? pa->stack.items[pa->stack.len - 1] : -1;
    if (pa->state[decl] == 2) return pa->sums[decl];
    if (pa->state[decl] == 1 || pa->state[decl] == 3) {
        /* a call that closes a cycle (or reaches a function of a cycle
         * still being solved): the caller is in that cycle too */
        int l = pa->state[decl] == 1 ? pa->depth[decl] : pa->low[decl];
        pa->unfinished_hits++;
        if (pa->state[decl] == 1) pa->reentered[decl] = true;
        if (top >= 0 && l < pa->low[top]) pa->low[top] = l;
        return pa->sums[decl];
    }
    const struct gofile *f = &p->files[d->file];
    if (!ast_child(f, d->node, F_BODY)) {
        pa->state[decl] = 2;
        return NULL;
    }
    size_t first_prov = pa->provisional.len;
    pa->depth[decl] = pa->low[decl] = (int)pa->stack.len;
    vec_push(&pa->stack, decl);
    /* the cycle's provisional summaries of the previous round */
    struct prev_sum {
        int decl;
        const struct func_summary *s;
    };
    VEC(struct prev_sum) prev = {0};
    for (int round = 0;; round++) {
        const struct func_summary *was = pa->sums[decl];
        pa->state[decl] = 1;
        pa->reentered[decl] = false;
        pa->sums[decl] = analyse(p, d->file, d->node, false, true);
        if (pa->low[decl] < pa->depth[decl]) break; /* not the head: it decides */
        size_t nprov = pa->provisional.len - first_prov;
        if ((!pa->reentered[decl] && !nprov) || round == MAX_CYCLE_ROUNDS) break;
        bool same = round > 0 && same_summary(was, pa->sums[decl]) && nprov == prev.len;
        for (size_t i = 0; same && i < nprov; i++) {
            int m = pa->provisional.items[first_prov + i];
            bool found = false;
            for (size_t j = 0; j < prev.len && !found; j++)
                if (prev.items[j].decl == m) found = true, same = same_summary(prev.items[j].s, pa->sums[m]);
            same = same && found;
        }
        if (same) break;
        /* again: the cycle's other functions are solved anew, and a call
         * that closes the cycle sees this round's summary */
        prev.len = 0;
        for (size_t i = 0; i < nprov; i++) {
            int m = pa->provisional.items[first_prov + i];
            struct prev_sum ps = {m, pa->sums[m]};
            vec_push(&prev, ps);
            pa->state[m] = 0;
        }
        pa->provisional.len = first_prov;
    }
    vec_free(&prev);
    pa->stack.len--;
    if (pa->low[decl] < pa->depth[decl]) {
        /* in a cycle whose head is still in progress */
        pa->state[decl] = 3;
        vec_push(&pa->provisional, decl);
        if (top >= 0 && pa->low[decl] < pa->low[top]) pa->low[top] = pa->low[decl];
    } else {
        for (size_t i = first_prov; i < pa->provisional.len; i++) pa->state[pa->provisional.items[i]] = 2;
        pa->provisional.len = first_prov;
        pa->state[decl] = 2;
    }
    return pa->sums[decl];
}

const struct func_summary *model_func_summary(struct pkg *p, int decl) { return summary_of(p, decl); }

/* ---- deep channel summaries (GD406 across calls) ---- */

/* Is node k (a send, a receive) the communication of a select case? */
static bool in_select_comm(const struct gofile *f, nid k)
{
    for (nid x = k, up = ast_parent(f, k); up; x = up, up = ast_parent(f, up)) {
        enum node_kind u = ast_kind(f, up);
        if (u == N_COMMUNICATION_CASE) return f->nodes[x].field == F_COMMUNICATION;
        if (u == N_BLOCK || u == N_STATEMENT_LIST || u == N_FUNC_LITERAL || u == N_FUNCTION_DECLARATION ||
            u == N_METHOD_DECLARATION)
            return false;
    }
    return false;
}

#define MAX_CHAN_EFFECTS 32

typedef VEC(struct effect) effect_vec;

static void push_chan_effect(effect_vec *v, const struct effect *e)
{
    for (size_t i = 0; i < v->len; i++) {
        struct effect *o = &v->items[i];
        if (o->kind == e->kind && !strcmp(o->key, e->key) &&
            (o->flags & (EF_IN_SELECT | EF_DEFERRED)) == (e->flags & (EF_IN_SELECT | EF_DEFERRED))) {
            /* the same operation: it counts as releasing the caller's lock
             * first only when every way to it does */
            if (!(e->flags & EF_UNLOCKS_CALLER)) o->flags &= (uint8_t)~EF_UNLOCKS_CALLER;
            return;
        }
    }
    if (v->len < MAX_CHAN_EFFECTS) vec_push(v, *e);
}

static const struct func_summary *chan_summary_of(struct pkg *p, int decl);

/* The channel and WaitGroup operations (send, receive or range, close,
 * Done, Wait) a function performs on objects reachable from its receiver,
 * parameters and package variables, itself or through same-package calls
 * at any depth (not in func literals or go statements): `site` is the
 * operation itself, in file `fi`. Memoised; a recursive cycle is cut. */
static const struct func_summary *chan_summary_of(struct pkg *p, int decl)
{
    struct pkg_analysis *pa = analysis(p);
    if (decl < 0 || decl >= p->ndecls) return NULL;
    const struct pkg_decl *d = &p->decls[decl];
    if (d->what != PD_FUNC && d->what != PD_METHOD) return NULL;
    if (pa->chan_state[decl] == 2) return pa->chans[decl];
    if (pa->chan_state[decl] == 1) return NULL;
    pa->chan_state[decl] = 1;
    int fi = d->file;
    const struct gofile *f = &p->files[fi];
    nid fn = d->node, body = ast_child(f, fn, F_BODY);
    /* does it release a lock its caller may hold (unlock, wait, relock)?
     * Only a body that mentions an unlock can (the lock dataflow decides) */
    bool unlocks = false;
    if (body && memmem(f->src + f->nodes[body].start_byte, f->nodes[body].end_byte - f->nodes[body].start_byte, "nlock", 5)) {
        summary_of(p, decl);
        unlocks = pa->entry_release[decl];
    }
    effect_vec v = {0};
    for (nid k = body; body && k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL || kk == N_GO_STATEMENT) {
            k = f->nodes[k].end - 1;
            continue;
        }
        uint8_t kind = 255;
        nid obj = 0;
        if (kk == N_SEND_STATEMENT) kind = EFF_SEND, obj = ast_child(f, k, F_CHANNEL);
        else if (kk == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW) kind = EFF_RECV, obj = ast_child(f, k, F_OPERAND);
        else if (kk == N_RANGE_CLAUSE) {
            nid r = ast_child(f, k, F_RIGHT);
            struct ltype *t = model_underlying(p, model_type_of(p, fi, r));
            if (t && t->kind == LT_CHAN) kind = EFF_RECV, obj = r;
        } else if (kk == N_CALL_EXPRESSION) {
            nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
            if (model_is_builtin_call(p, fi, k, "close")) {
                kind = EFF_CLOSE;
                obj = ast_first_child(f, ast_child(f, k, F_ARGUMENTS));
            } else if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION &&
                       (ast_text_is(f, ast_child(f, fe, F_FIELD), "Done") ||
                        ast_text_is(f, ast_child(f, fe, F_FIELD), "Wait")) &&
                       ltype_is(model_type_of(p, fi, ast_child(f, fe, F_OPERAND)), "sync", "WaitGroup", true)) {
                kind = ast_text_is(f, ast_child(f, fe, F_FIELD), "Done") ? EFF_WG_DONE : EFF_WG_WAIT;
                obj = ast_child(f, fe, F_OPERAND);
            } else {
                int cd = model_callee(p, fi, k);
                const struct func_summary *cs = cd >= 0 ? chan_summary_of(p, cd) : NULL;
                bool deferred = ast_kind(f, ast_parent(f, k)) == N_DEFER_STATEMENT;
                for (int i = 0; cs && i < cs->neffects; i++) {
                    const struct effect *e = &cs->effects[i];
                    const char *text = NULL, *cls = NULL;
                    const char *key = map_key(p, fi, fn, k, e->key, &text, &cls);
                    if (!key || (key[0] != 'R' && key[0] != 'P' && key[0] != 'G')) continue;
                    struct effect ne = *e;
                    ne.key = key;
                    ne.flags = (uint8_t)((e->flags & (EF_IN_SELECT | EF_UNLOCKS_CALLER)) | (deferred ? EF_DEFERRED : 0) |
                                         (unlocks ? EF_UNLOCKS_CALLER : 0));
                    push_chan_effect(&v, &ne);
                }
                continue;
            }
        }
        if (kind == 255 || !obj) continue;
        const char *key = expr_key(p, fi, fn, obj);
        if (!key || (key[0] != 'R' && key[0] != 'P' && key[0] != 'G')) continue;
        uint8_t fl = unlocks ? EF_UNLOCKS_CALLER : 0;
        if ((kind == EFF_SEND || kind == EFF_RECV) && in_select_comm(f, k) && !shutdown_select(p, fi, k)) fl |= EF_IN_SELECT;
        if (kind == EFF_RECV && len_guarded(f, k, obj)) fl |= EF_IN_SELECT;
        nid ds = ast_ancestor(f, k, N_DEFER_STATEMENT);
        if (ds && ast_contains(f, body, ds)) fl |= EF_DEFERRED;
        struct effect e = {kind, fl, key, fi, k, 0, false, 0};
        push_chan_effect(&v, &e);
    }
    const struct func_summary *res = &empty_summary;
    if (v.len) {
        struct func_summary *sm = arena_alloc(&p->arena, sizeof *sm);
        sm->neffects = (int)v.len;
        sm->effects = arena_alloc(&p->arena, sizeof(struct effect) * v.len);
        memcpy(sm->effects, v.items, sizeof(struct effect) * v.len);
        res = sm;
    }
    vec_free(&v);
    pa->chans[decl] = res;
    pa->chan_state[decl] = 2;
    return res;
}

/* Functions that run as goroutines: func literals and package functions
 * started by a `go` statement anywhere in the package. */
struct go_entry {
    int fi;
    nid fn;
    int go_fi; /* the go statement */
    nid go;
};
typedef VEC(struct go_entry) go_entry_vec;

static void go_entries(struct pkg *p, go_entry_vec *out)
{
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        if (!memmem(f->src, f->len, "go ", 3)) continue;
        for (nid k = 1; k < f->nnodes; k++) {
            if (ast_kind(f, k) != N_GO_STATEMENT) continue;
            nid call = ast_unparen(f, ast_first_child(f, k));
            nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
            struct go_entry e = {fi, 0, fi, k};
            if (ast_kind(f, fe) == N_FUNC_LITERAL) e.fn = fe;
            else {
                int d = model_callee(p, fi, call);
                if (d < 0) continue;
                e.fi = p->decls[d].file;
                e.fn = p->decls[d].node;
            }
            vec_push(out, e);
        }
    }
}

/* The package's go statements, and by decl index which functions they
 * run: GO_PROD / GO_TEST when a go statement of a non-test / test file
 * starts the function or a function it starts calls it directly. Built
 * once per package pass (by_decl on first use). */
enum { GO_PROD = 1, GO_TEST = 2 };
struct go_info {
    go_entry_vec gos;
    uint8_t *by_decl;
};

static const uint8_t *go_by_decl(struct pkg *p, struct go_info *gi)
{
    if (gi->by_decl) return gi->by_decl;
    gi->by_decl = xcalloc((size_t)p->ndecls + 1, 1);
    for (size_t g = 0; g < gi->gos.len; g++) {
        const struct go_entry *e = &gi->gos.items[g];
        uint8_t bit = pkg_is_test_file(&p->files[e->go_fi]) ? GO_TEST : GO_PROD;
        int d = pkg_decl_index(p, e->fi, e->fn);
        if (d >= 0) gi->by_decl[d] |= bit;
        const struct gofile *f = &p->files[e->fi];
        for (nid k = e->fn; k < f->nodes[e->fn].end; k++) {
            if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
            int c = model_callee(p, e->fi, k);
            if (c >= 0) gi->by_decl[c] |= bit;
        }
    }
    return gi->by_decl;
}

/* How function fn runs as a goroutine: GO_PROD | GO_TEST bits (a func
 * literal: the go statements that start it; a declaration: go_by_decl). */
static uint8_t go_bits(struct pkg *p, struct go_info *gi, int fi, nid fn)
{
    int decl = pkg_decl_index(p, fi, fn);
    if (decl >= 0) return go_by_decl(p, gi)[decl];
    uint8_t bits = 0;
    for (size_t g = 0; g < gi->gos.len; g++) {
        const struct go_entry *e = &gi->gos.items[g];
        if (e->fi == fi && e->fn == fn) bits |= pkg_is_test_file(&p->files[e->go_fi]) ? GO_TEST : GO_PROD;
    }
    return bits;
}

/* Does function fn run in a goroutine of its own: started by a go
 * statement, or called directly from a function that is? */
static bool runs_in_goroutine(struct pkg *p, struct go_info *gi, int fi, nid fn) { return go_bits(p, gi, fi, fn) != 0; }

static bool conflicting(bool w1, bool w2) { return w1 || w2; }

static bool counterpart(uint8_t blocked, uint8_t other)
{
    if (blocked == CO_RECV || blocked == CO_RANGE) return other == CO_SEND || other == CO_CLOSE;
    if (blocked == CO_SEND) return other == CO_RECV || other == CO_RANGE;
    if (blocked == CO_WAIT) return other == CO_DONE;
    return false;
}

/* The channel/WaitGroup operation at node k of file fi (CO_SEND, CO_RECV,
 * CO_CLOSE, CO_DONE), or 0xff; *obj: the channel or WaitGroup. */
static uint8_t node_chan_op(struct pkg *p, int fi, nid k, nid *obj)
{
    const struct gofile *f = &p->files[fi];
    enum node_kind kk = ast_kind(f, k);
    if (kk == N_SEND_STATEMENT) return *obj = ast_child(f, k, F_CHANNEL), CO_SEND;
    if (kk == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW) return *obj = ast_child(f, k, F_OPERAND), CO_RECV;
    if (kk != N_CALL_EXPRESSION) return 0xff;
    if (model_is_builtin_call(p, fi, k, "close"))
        return *obj = ast_first_child(f, ast_child(f, k, F_ARGUMENTS)), CO_CLOSE;
    nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, fe, F_FIELD), "Done")) return 0xff;
    nid x = ast_child(f, fe, F_OPERAND);
    if (!ltype_is(model_type_of(p, fi, x), "sync", "WaitGroup", true)) return 0xff;
    return *obj = x, CO_DONE;
}

/* Is node k of function fn reached on every path from its entry: no
 * branch, loop, select or func literal between them? */
static bool straight_line(const struct gofile *f, nid fn, nid k)
{
    for (nid up = ast_parent(f, k); up && up != fn; up = ast_parent(f, up)) {
        enum node_kind u = ast_kind(f, up);
        if (u == N_IF_STATEMENT || u == N_FOR_STATEMENT || u == N_EXPRESSION_SWITCH_STATEMENT ||
            u == N_TYPE_SWITCH_STATEMENT || u == N_SELECT_STATEMENT || u == N_FUNC_LITERAL)
            return false;
    }
    return true;
}

/* Does call (in function fn of file fi) perform channel op `want` on an
 * object of class cls, in its callee at some depth? */
static bool callee_does(struct pkg *p, int fi, nid fn, nid call, const char *cls, uint8_t want)
{
    int d = model_callee(p, fi, call);
    const struct func_summary *cs = d >= 0 ? chan_summary_of(p, d) : NULL;
    for (int i = 0; cs && i < cs->neffects; i++) {
        const struct effect *e = &cs->effects[i];
        uint8_t op = effect_chan_op(e->kind);
        if (op != want && !(want == CO_RECV && op == CO_RANGE)) continue;
        const char *text = NULL, *c = NULL;
        if (map_key(p, fi, fn, call, e->key, &text, &c) && c && !strcmp(c, cls)) return true;
    }
    return false;
}

/* A channel op `want` on an object of class cls in function fn (not in
 * its func literals), on a line in [lo, hi) and before node `before` (0:
 * any); with straight set, only one reached on every path. */
static bool has_chan_op(struct pkg *p, int fi, nid fn, const char *cls, uint8_t want, uint32_t lo, uint32_t hi,
                        nid before, bool straight)
{
    const struct gofile *f = &p->files[fi];
    nid end = before ? before : f->nodes[fn].end;
    for (nid k = fn + 1; k < end; k++) {
        /* a deferred operation runs at the exit, not where it is written */
        if (ast_kind(f, k) == N_FUNC_LITERAL || ast_kind(f, k) == N_DEFER_STATEMENT) {
            k = f->nodes[k].end - 1;
            continue;
        }
        uint32_t ln = f->nodes[k].line;
        if (ln < lo || ln >= hi) continue;
        if (ast_kind(f, k) == N_CALL_EXPRESSION && (!straight || straight_line(f, fn, k)) &&
            callee_does(p, fi, fn, k, cls, want))
            return true;
        nid obj = 0;
        if (node_chan_op(p, fi, k, &obj) != want || !obj) continue;
        if (straight && !straight_line(f, fn, k)) continue;
        const char *c = obj_class(p, fi, obj, NULL);
        if (c && !strcmp(c, cls)) return true;
    }
    return false;
}

/* Does function fn of file fi assign field `name` of some value (x.name
 * = ...) outside its func literals? */
static bool assigns_field(const struct gofile *f, nid fn, struct str name)
{
    for (nid k = fn; k < f->nodes[fn].end; k++) {
        if (k != fn && ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (ast_kind(f, k) != N_ASSIGNMENT_STATEMENT) continue;
        nid l = ast_child(f, k, F_LEFT);
        for (nid e = ast_first_child(f, l); e; e = ast_next(f, e)) {
            e = ast_unparen(f, e);
            if (ast_kind(f, e) != N_SELECTOR_EXPRESSION) continue;
            struct str t = ast_text(f, ast_child(f, e, F_FIELD));
            if (t.n == name.n && !memcmp(t.p, name.p, t.n)) return true;
        }
    }
    return false;
}

/* The blocking operation b is inside an `if` whose condition reads a field
 * that the if's body writes back and that the counterpart writes (itself,
 * or in a same-package function it calls) before its operation, which it
 * reaches no longer holding the lock: a handshake (the counterpart posts a
 * request under the lock, then waits; the waiter delivers only once it
 * sees the request, and clears it), as in vitess's ExpectQueries and
 * waitForNotification. */
static bool handshake(struct pkg *p, const struct chan_fact *b, const struct chan_fact *c)
{
    if (c->held) return false;
    const struct gofile *bf = &p->files[b->fi], *cf = &p->files[c->fi];
    nid cond = 0, ifn = 0;
    for (nid up = ast_parent(bf, b->at); up && up != b->fn && !cond; up = ast_parent(bf, up))
        if (ast_kind(bf, up) == N_IF_STATEMENT) cond = ast_child(bf, (ifn = up), F_CONDITION);
    if (!cond) return false;
    for (nid k = cond; k < bf->nodes[cond].end; k++) {
        if (ast_kind(bf, k) != N_SELECTOR_EXPRESSION) continue;
        struct str name = ast_text(bf, ast_child(bf, k, F_FIELD));
        /* the waiter clears the request once it delivered */
        if (!assigns_field(bf, ifn, name)) continue;
        for (nid q = c->fn + 1; q < c->at; q++) {
            if (ast_kind(cf, q) == N_ASSIGNMENT_STATEMENT && assigns_field(cf, q, name)) return true;
            /* not the goroutine's own body */
            if (ast_kind(cf, q) != N_CALL_EXPRESSION || ast_kind(cf, ast_parent(cf, q)) == N_GO_STATEMENT) continue;
            int d = model_callee(p, c->fi, q);
            if (d < 0 || (p->decls[d].file == b->fi && p->decls[d].node == b->fn)) continue;
            const struct gofile *df = &p->files[p->decls[d].file];
            if (assigns_field(df, p->decls[d].node, name)) return true;
        }
    }
    return false;
}

/* The blocking operation b is inside an `if` whose condition reads a field
 * that the counterpart's function (or the callee it performs the operation
 * in) writes: a flag that says the value is there already (net/http's
 * `if w.done { <-w.result }`, where tryDeliver sets done and fills the
 * buffer under the same lock). */
static bool flag_guarded(struct pkg *p, const struct chan_fact *b, const struct chan_fact *c)
{
    const struct gofile *bf = &p->files[b->fi], *cf = &p->files[c->fi];
    nid cond = 0;
    for (nid x = b->at, up = ast_parent(bf, b->at); up && up != b->fn && !cond; x = up, up = ast_parent(bf, up))
        if (ast_kind(bf, up) == N_IF_STATEMENT && bf->nodes[x].field == F_CONSEQUENCE) cond = ast_child(bf, up, F_CONDITION);
    if (!cond) return false;
    int d = c->via_at ? model_callee(p, c->fi, c->at) : -1;
    for (nid k = cond; k < bf->nodes[cond].end; k++) {
        if (ast_kind(bf, k) != N_SELECTOR_EXPRESSION) continue;
        struct str name = ast_text(bf, ast_child(bf, k, F_FIELD));
        if (assigns_field(cf, c->fn, name)) return true;
        if (d >= 0 && assigns_field(&p->files[p->decls[d].file], p->decls[d].node, name)) return true;
    }
    return false;
}

/* Is every `make(chan T[, n])` stored into objects of class cls
 * unbuffered (no size, or a literal 0), and is there at least one? */
static bool unbuffered_class(struct pkg *p, const char *cls)
{
    int made = 0;
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            if (ast_kind(f, k) != N_CALL_EXPRESSION || !model_is_builtin_call(p, fi, k, "make")) continue;
            nid args = ast_child(f, k, F_ARGUMENTS);
            nid ty = ast_first_child(f, args);
            if (ast_kind(f, ty) != N_CHANNEL_TYPE) continue;
            /* where it is stored: x = make(...), x := make(...), field: make(...) */
            nid par = ast_parent(f, k), target = 0;
            if (ast_kind(f, par) == N_EXPRESSION_LIST && f->nodes[par].field == F_RIGHT) {
                unsigned idx = 0;
                AST_FOR_CHILDREN(f, par, c)
                {
                    if (c == k) break;
                    idx++;
                }
                target = ast_nth_child(f, ast_child(f, ast_parent(f, par), F_LEFT), idx);
            } else if (ast_kind(f, par) == N_LITERAL_ELEMENT && ast_kind(f, ast_parent(f, par)) == N_KEYED_ELEMENT) {
                nid key = ast_first_child(f, ast_first_child(f, ast_parent(f, par)));
                nid lit = ast_ancestor(f, par, N_COMPOSITE_LITERAL);
                struct ltype *t = lit ? model_type_of(p, fi, lit) : NULL;
                if (t && t->kind == LT_POINTER) t = t->elem;
                if (t && t->kind == LT_NAMED && key) {
                    struct str kt = ast_text(f, key);
                    const char *c2 =
                        arena_printf(&p->arena, "%s%s%s.%.*s", t->pkgpath, *t->pkgpath ? "." : "", t->name, (int)kt.n, kt.p);
                    if (!strcmp(c2, cls)) {
                        nid size = ast_next(f, ty);
                        if (size && !ast_text_is(f, size, "0")) return false;
                        made++;
                    }
                }
                continue;
            }
            if (!target) continue;
            const char *c = obj_class(p, fi, target, NULL);
            if (!c || strcmp(c, cls)) continue;
            nid size = ast_next(f, ty);
            if (size && !ast_text_is(f, size, "0")) return false;
            made++;
        }
    }
    return made > 0;
}

static bool added_after_lock(struct pkg_analysis *pa, const struct chan_fact *c)
{
    for (size_t i = 0; i < pa->adds.len; i++) {
        const struct chan_fact *x = &pa->adds.items[i];
        if (x->fn == c->fn && x->fi == c->fi && !strcmp(x->chan, c->chan) && !strcmp(x->lock, c->lock)) return true;
    }
    return false;
}

/* Does function fn (file fi) release lock `text` after node `after`, or
 * in a deferred call anywhere? */
static bool releases_after(struct pkg *p, int fi, nid fn, nid after, const char *text)
{
    const struct gofile *f = &p->files[fi];
    size_t tn = strlen(text);
    for (nid k = fn; k < f->nodes[fn].end; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
        if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) continue;
        nid fld = ast_child(f, fe, F_FIELD);
        if (!ast_text_is(f, fld, "Unlock") && !ast_text_is(f, fld, "RUnlock")) continue;
        struct str x = ast_text(f, ast_unparen(f, ast_child(f, fe, F_OPERAND)));
        if (x.n != tn || memcmp(x.p, text, tn)) continue;
        if (k > after || ast_ancestor(f, k, N_DEFER_STATEMENT)) return true;
    }
    return false;
}

/* GD402's third contract: a function that returns holding the lock on a
 * path is not reported when every same-package caller releases the lock
 * after the call (or defers its release): returning locked is then the
 * protocol. Clears the key kept in detail. */
static void callers_release(struct pkg *p)
{
    struct pkg_analysis *pa = analysis(p);
    size_t kept = 0;
    for (size_t i = 0; i < pa->issues.len; i++) {
        struct lock_issue *li = &pa->issues.items[i];
        if (li->kind == LI_MISSING_UNLOCK) {
            const char *key = li->detail;
            li->detail = NULL;
            const struct gofile *lf = &p->files[li->fi];
            nid fn = model_enclosing_func(lf, li->at);
            int decl = fn ? pkg_decl_index(p, li->fi, fn) : -1;
            if (decl >= 0 && key) {
                struct str name = str_make(p->decls[decl].name, strlen(p->decls[decl].name));
                int calls = 0, released = 0;
                for (int fi = 0; fi < p->nfiles; fi++) {
                    const struct gofile *f = &p->files[fi];
                    if (!memmem(f->src, f->len, name.p, name.n)) continue;
                    for (nid k = 1; k < f->nnodes; k++) {
                        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
                        nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
                        nid nm = ast_kind(f, fe) == N_SELECTOR_EXPRESSION ? ast_child(f, fe, F_FIELD) : fe;
                        if (!str_eqs(ast_text(f, nm), name) || model_callee(p, fi, k) != decl) continue;
                        calls++;
                        nid cfn = model_enclosing_func(f, k);
                        const char *text = NULL, *cls = NULL;
                        if (cfn && map_key(p, fi, cfn, k, key, &text, &cls) && text &&
                            releases_after(p, fi, cfn, k, text))
                            released++;
                    }
                }
                if (calls && released == calls) continue;
            }
        }
        pa->issues.items[kept++] = *li;
    }
    pa->issues.len = kept;
}

/* Lock-order inversions between functions, and receives/Waits under a
 * lock that the goroutine on the other side must take first. */
/* The counterpart is a func literal inside the waiter's function and
 * takes the lock through another variable than the one the waiter holds it
 * through (`root.mu` held, the goroutine locks `dir.mu`): the classes match
 * (both Dir.mu) but the objects are most likely two. rclone's vfs test. */
static bool other_local_object(struct pkg *p, const struct chan_fact *b, const struct chan_fact *c)
{
    if (b->fi != c->fi || !b->lock_text || !c->lock_text) return false;
    const struct gofile *f = &p->files[b->fi];
    if (ast_kind(f, c->fn) != N_FUNC_LITERAL || !ast_contains(f, b->fn, c->fn)) return false;
    const char *d1 = strchr(b->lock_text, '.'), *d2 = strchr(c->lock_text, '.');
    if (!d1 || !d2) return false;
    size_t n1 = (size_t)(d1 - b->lock_text), n2 = (size_t)(d2 - c->lock_text);
    return n1 != n2 || memcmp(b->lock_text, c->lock_text, n1) != 0;
}

/* Is the channel class cls ("T.f") open in the object model: handed to
 * code we do not follow, or set from elsewhere? */
static bool chan_class_open(struct pkg *p, const char *cls)
{
    const char *dot = strrchr(cls, '.');
    if (!dot) return false;
    const struct obj_model *m = objects_of(p);
    for (int i = 0; i < m->n; i++) {
        const struct obj_class *c = &m->classes[i];
        if (c->kind != OBJ_CHAN || !c->open) continue;
        size_t tn = strlen(c->type);
        if ((size_t)(dot - cls) == tn && !memcmp(cls, c->type, tn) && str_eqs(c->field, str_make(dot + 1, strlen(dot + 1))))
            return true;
    }
    return false;
}

static bool started_by_go(const go_entry_vec *gos, int fi, nid fn)
{
    for (size_t g = 0; g < gos->len; g++)
        if (gos->items[g].fi == fi && gos->items[g].fn == fn) return true;
    return false;
}

/* Is function fn started as a goroutine (by a go statement, or called
 * directly by a goroutine's function) only from _test.go files? */
static bool spawned_only_in_tests(struct pkg *p, struct go_info *gi, int fi, nid fn)
{
    return go_bits(p, gi, fi, fn) == GO_TEST;
}

/* A package function that makes a channel, stores it in a field of class
 * fcls (`x.subs = append(x.subs, c)`, `x.subs[k] = c`) and returns it: it
 * hands the elements of the field out. Its decl index, or -1. */
static int hands_out(struct pkg *p, const char *fcls)
{
    for (int d = 0; d < p->ndecls; d++) {
        const struct pkg_decl *pd = &p->decls[d];
        if (pd->what != PD_FUNC && pd->what != PD_METHOD) continue;
        const struct gofile *f = &p->files[pd->file];
        nid body = ast_child(f, pd->node, F_BODY);
        if (!body) continue;
        bool stores = false, returns = false;
        for (nid k = body; k < f->nodes[body].end; k++) {
            enum node_kind kk = ast_kind(f, k);
            if (kk == N_FUNC_LITERAL) {
                k = f->nodes[k].end - 1;
                continue;
            }
            if (kk == N_SELECTOR_EXPRESSION && !stores && model_is_write_access(f, k)) {
                const char *c = obj_class(p, pd->file, k, NULL);
                stores = c && !strcmp(c, fcls);
            }
            if (kk != N_RETURN_STATEMENT || returns) continue;
            nid r = ast_unparen(f, ast_first_child(f, ast_first_child(f, k)));
            if (!r) r = ast_unparen(f, ast_first_child(f, k));
            nid decl, name;
            if (ast_kind(f, r) != N_IDENTIFIER || !model_resolve_local(p, pd->file, r, &decl, &name) ||
                ast_kind(f, decl) != N_SHORT_VAR_DECLARATION)
                continue;
            nid mk = ast_unparen(f, ast_first_child(f, ast_child(f, decl, F_RIGHT)));
            /* unbuffered: a buffered one (singleflight's DoChan, one
             * result each) takes its send without a receiver */
            nid ty = mk ? ast_first_child(f, ast_child(f, mk, F_ARGUMENTS)) : 0;
            returns = mk && model_is_builtin_call(p, pd->file, mk, "make") && ast_kind(f, ty) == N_CHANNEL_TYPE &&
                      (!ast_next(f, ty) || ast_text_is(f, ast_next(f, ty), "0"));
        }
        if (stores && returns) return d;
    }
    return -1;
}

/* The wait of blocking fact b is in a select whose other cases wait for
 * shutdown (shutdown_select): does function sfn (file sfi) give that
 * signal (close or send on one of their channels)? Then it ends the wait
 * itself, and is no counterpart that blocks it (a Close that closes done
 * before it takes the lock). */
static bool signals_wait_select(struct pkg *p, const struct chan_fact *b, int sfi, nid sfn)
{
    int fi = b->via_at ? b->via_fi : b->fi;
    nid at = b->via_at ? b->via_at : b->at;
    const struct gofile *f = &p->files[fi];
    if (!in_select_comm(f, at)) return false;
    nid cc = ast_ancestor(f, at, N_COMMUNICATION_CASE);
    nid sel = cc ? ast_parent(f, cc) : 0;
    if (ast_kind(f, sel) != N_SELECT_STATEMENT) return false;
    const struct obj_model *m = objects_of(p);
    AST_FOR_CHILDREN(f, sel, c)
    {
        if (c == cc || ast_kind(f, c) != N_COMMUNICATION_CASE) continue;
        nid comm = ast_child(f, c, F_COMMUNICATION);
        for (nid x = comm; x < f->nodes[comm].end; x++) {
            if (ast_kind(f, x) != N_SELECTOR_EXPRESSION) continue;
            const struct obj_class *q = objects_class_at(m, fi, x);
            if (!q || q->kind != OBJ_CHAN) continue;
            for (int j = 0; j < q->nuses; j++) {
                const struct obj_use *w = &q->uses[j];
                if ((w->op == OO_CLOSE || w->op == OO_SEND) && w->fi == sfi && (w->decl == sfn || w->fn == sfn)) return true;
            }
            break;
        }
    }
    return false;
}

/* A blocking send, under a lock, on an element of a field of channels
 * (`for _, c := range r.subs { c <- ev }`) that the package hands out to
 * its callers, while an exported function of the package write-locks the
 * same lock: a receiver that calls it (Close, Unsubscribe) instead of
 * draining deadlocks with the sender (goadesign/pulse#77). Low: whether a
 * receiver ever does is the callers' code. */
static bool match_handed_out(struct pkg *p, const struct chan_fact *b)
{
    struct pkg_analysis *pa = analysis(p);
    size_t n = strlen(b->chan);
    if (b->op != CO_SEND || n < 3 || strcmp(b->chan + n - 2, "[]")) return false;
    char *fcls = arena_strndup(&p->arena, b->chan, n - 2);
    int out = hands_out(p, fcls);
    if (out < 0) return false;
    for (size_t w = 0; w < pa->writers.len; w++) {
        const struct lock_writer *lw = &pa->writers.items[w];
        if (strcmp(lw->cls, b->lock) || (lw->fi == b->fi && lw->fn == b->fn)) continue;
        /* not the function that hands the channel out: a receiver calls
         * that before it has the channel */
        if (lw->fi == p->decls[out].file && lw->fn == p->decls[out].node) continue;
        const struct gofile *f = &p->files[lw->fi];
        nid name = ast_child(f, lw->fn, F_NAME);
        if (!name || ast_kind(f, lw->fn) == N_FUNC_LITERAL) continue;
        struct str nm = ast_text(f, name);
        if (!nm.n || nm.p[0] < 'A' || nm.p[0] > 'Z' || pkg_is_test_file(f)) continue;
        if (signals_wait_select(p, b, lw->fi, lw->fn)) continue;
        /* the Lock in the exported function */
        nid at = lw->fn;
        for (nid k = lw->fn; k < f->nodes[lw->fn].end && at == lw->fn; k++) {
            const char *cls;
            bool acq;
            if (ast_kind(f, k) == N_CALL_EXPRESSION && model_lock_call_class(p, lw->fi, lw->fn, k, &cls, &acq) && acq &&
                cls && !strcmp(cls, b->lock))
                at = k;
        }
        struct wait_detail *wd = arena_alloc(&p->arena, sizeof *wd);
        wd->op = CO_SEND;
        wd->rel_op = CO_RECV;
        wd->out_decl = out;
        struct lock_issue li = {LI_BLOCKED_LOCKED, LI_LOW, b->fi, b->at, b->lock_line, b->lock_text,
                                NULL, lw->fi, at, 0, b->chan_text, b->lock_text, wd, NULL, NULL, 0, 0};
        vec_push(&pa->issues, li);
        return true;
    }
    return false;
}

/* Does the counterpart's function try a lock (TryLock, which may fail and
 * give up), itself or in a function it calls? Whether it ever waits for
 * the lock then depends on a protocol the dataflow does not model
 * (consul's TryLock(ctx) of the agent's state lock, whose failure returns
 * once the waiter cancels). */
static bool tries_lock_on_the_way(struct pkg *p, const struct chan_fact *c)
{
    const struct gofile *f = &p->files[c->fi];
    nid fn = c->fn;
    if (memmem(f->src + f->nodes[fn].start_byte, f->nodes[fn].end_byte - f->nodes[fn].start_byte, "TryLock(", 8))
        return true;
    for (nid k = fn; k < f->nodes[fn].end; k++) {
        int d = ast_kind(f, k) == N_CALL_EXPRESSION ? model_callee(p, c->fi, k) : -1;
        if (d < 0) continue;
        const struct gofile *g = &p->files[p->decls[d].file];
        nid n = p->decls[d].node;
        if (memmem(g->src + g->nodes[n].start_byte, g->nodes[n].end_byte - g->nodes[n].start_byte, "TryLock(", 8))
            return true;
    }
    return false;
}

/* When `at` (in function fn of file fi) is a call of a same-package
 * function that takes lock class cls (directly or deeper): the calls down
 * to the Lock, up to max steps into out; returns the count (0 when `at` is
 * the Lock itself or the chain is not known). */
static int lock_path(struct pkg *p, int fi, nid fn, nid at, const char *cls, struct lock_step *out, int max)
{
    int n = 0;
    while (n < max && ast_kind(&p->files[fi], at) == N_CALL_EXPRESSION) {
        const char *c;
        bool acquire;
        if (model_lock_call_class(p, fi, fn, at, &c, &acquire)) break;
        int d = model_callee(p, fi, at);
        const struct func_summary *s = d >= 0 ? summary_of(p, d) : NULL;
        const struct effect *hit = NULL;
        for (int i = 0; s && i < s->neffects && !hit; i++) {
            const struct effect *e = &s->effects[i];
            const char *text, *ec = NULL;
            if ((e->kind == EFF_LOCK || e->kind == EFF_RLOCK) && !(e->flags & EF_DEFERRED) && e->site &&
                map_key(p, fi, fn, at, e->key, &text, &ec) && ec && !strcmp(ec, cls))
                hit = e;
        }
        if (!hit) break;
        out[n++] = (struct lock_step){d, hit->fi, hit->site};
        fi = hit->fi;
        fn = p->decls[d].node;
        at = hit->site;
    }
    return n;
}

/* An index of facts by a pair of strings (lock classes, or a channel and
 * a lock): chains of indices in ascending order, so a walk finds the
 * first match first, as a scan would. */
struct pair_index {
    int *head, *next;
    uint32_t mask;
};

static uint32_t pair_hash(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ull;
    for (; *a; a++) h = (h ^ (uint8_t)*a) * 1099511628211ull;
    h = (h ^ 0xffu) * 1099511628211ull;
    for (; *b; b++) h = (h ^ (uint8_t)*b) * 1099511628211ull;
    return hash_fold32(h);
}

/* Indexes n facts; key(i) gives fact i's two strings. */
static void pair_index_build(struct pair_index *x, size_t n, void (*key)(const void *, size_t, const char **, const char **),
                             const void *facts)
{
    uint32_t size = 16;
    while (size < n * 2) size <<= 1;
    x->mask = size - 1;
    x->head = xmalloc(sizeof(int) * size);
    x->next = xmalloc(sizeof(int) * (n + 1));
    for (uint32_t i = 0; i < size; i++) x->head[i] = -1;
    for (size_t i = n; i-- > 0;) {
        const char *a, *b;
        key(facts, i, &a, &b);
        uint32_t h = pair_hash(a, b) & x->mask;
        x->next[i] = x->head[h];
        x->head[h] = (int)i;
    }
}

static int pair_first(const struct pair_index *x, const char *a, const char *b) { return x->head[pair_hash(a, b) & x->mask]; }

static void pair_index_free(struct pair_index *x)
{
    free(x->head);
    free(x->next);
}

static void edge_key(const void *v, size_t i, const char **a, const char **b)
{
    const struct order_edge *e = &((const struct order_edge *)v)[i];
    *a = e->held;
    *b = e->taken;
}

static void counter_key(const void *v, size_t i, const char **a, const char **b)
{
    const struct chan_fact *c = &((const struct chan_fact *)v)[i];
    *a = c->chan;
    *b = c->lock;
}

/* Do both orders hold a third lock, write-locked, when they take their
 * second lock (a gate: amqp091's destructorM, taken first by both)? Then
 * they cannot interleave. */
static bool gated(struct pkg_analysis *pa, const struct order_edge *e1, const struct order_edge *e2)
{
    for (size_t i = 0; i < pa->edges.len; i++) {
        const struct order_edge *g1 = &pa->edges.items[i];
        if (g1->fi != e1->fi || g1->at != e1->at || !g1->held_w || strcmp(g1->taken, e1->taken) ||
            !strcmp(g1->held, e1->held) || !strcmp(g1->held, e2->held))
            continue;
        for (size_t j = 0; j < pa->edges.len; j++) {
            const struct order_edge *g2 = &pa->edges.items[j];
            if (g2->fi == e2->fi && g2->at == e2->at && g2->held_w && !strcmp(g2->taken, e2->taken) &&
                !strcmp(g2->held, g1->held))
                return true;
        }
    }
    return false;
}

/* The time.AfterFunc call that runs package function or method fn (a
 * declaration of file fi) as a value (`time.AfterFunc(d, o.expire)`), or
 * 0; *sfi its file. */
static nid after_func_site(struct pkg *p, int fi, nid fn, int *sfi)
{
    int di = pkg_decl_index(p, fi, fn);
    if (di < 0) return 0;
    struct pkg_analysis *pa = analysis(p);
    if (!pa->after_func) {
        /* one scan of the package: every time.AfterFunc of a package
         * function or method value, by the callee's decl index */
        pa->after_func = xcalloc((size_t)p->ndecls + 1, sizeof *pa->after_func);
        pa->after_func_fi = xcalloc((size_t)p->ndecls + 1, sizeof *pa->after_func_fi);
        for (int g = 0; g < p->nfiles; g++) {
            const struct gofile *f = &p->files[g];
            if (!memmem(f->src, f->len, "AfterFunc", 9)) continue;
            for (nid k = 1; k < f->nnodes; k++) {
                if (ast_kind(f, k) != N_CALL_EXPRESSION || !model_is_call(p, g, k, "time", "AfterFunc")) continue;
                nid v = ast_nth_child(f, ast_child(f, k, F_ARGUMENTS), 1);
                const struct pkg_decl *d = v ? objects_func_value(p, g, v) : NULL;
                int c = d ? (int)(d - p->decls) : -1;
                if (c >= 0 && !pa->after_func[c]) {
                    pa->after_func[c] = k;
                    pa->after_func_fi[c] = g;
                }
            }
        }
    }
    *sfi = pa->after_func_fi[di];
    return pa->after_func[di];
}

nid model_start_site(struct pkg *p, int fi, nid fn, int *sfi)
{
    nid s = objects_spawn_site(p, fi, fn, sfi);
    if (!s && ast_kind(&p->files[fi], fn) != N_FUNC_LITERAL) s = after_func_site(p, fi, fn, sfi);
    return s;
}

/* Does the function that starts a goroutine at s (file sfi) go on, after
 * s and without first waiting, to reach node `at` of function fn (file
 * fi): in its own body, or in a function it calls (up to two calls deep),
 * or (up > 0) does a caller of it go on so after the call? The spawner and
 * its goroutine then run at the same time (vault's handler against the
 * upsert goroutine, nats' consumer timer against the meta loop). */
/* Marks in g what runs after s (file sfi) in its function without a wait
 * first: that stretch of the function, the functions it calls there and
 * theirs; with up, the same for every caller of the function after its
 * call. */
static void goes_on_from(struct pkg *p, struct goes_on *g, int sfi, nid s, bool up)
{
    const struct gofile *f = &p->files[sfi];
    nid fn = model_enclosing_func(f, s);
    if (!fn) return;
    nid after = f->nodes[s].end, stop = after;
    while (stop < f->nodes[fn].end && !model_waits_between(f, stop, stop + 1)) stop++;
    if (g->nr < (int)GD_ARRAY_LEN(g->r)) g->r[g->nr++] = (struct goes_on_range){sfi, fn, after, stop};
    for (nid k = after; k < stop; k++) {
        int d = ast_kind(f, k) == N_CALL_EXPRESSION ? model_callee(p, sfi, k) : -1;
        if (d < 0) continue;
        g->reached[d / 8] |= (uint8_t)(1u << (d % 8));
        const struct gofile *df = &p->files[p->decls[d].file];
        nid dn = p->decls[d].node;
        for (nid q = dn; q < df->nodes[dn].end; q++) {
            int d2 = ast_kind(df, q) == N_CALL_EXPRESSION ? model_callee(p, p->decls[d].file, q) : -1;
            if (d2 >= 0) g->reached[d2 / 8] |= (uint8_t)(1u << (d2 % 8));
        }
    }
    int fd = up && ast_kind(f, fn) != N_FUNC_LITERAL ? pkg_decl_index(p, sfi, fn) : -1;
    for (int c = 0; fd >= 0 && c < p->nfiles; c++) {
        const struct gofile *cf = &p->files[c];
        if (!memmem(cf->src, cf->len, p->decls[fd].name, strlen(p->decls[fd].name))) continue;
        for (nid k = 1; k < cf->nnodes; k++)
            if (ast_kind(cf, k) == N_CALL_EXPRESSION && model_callee(p, c, k) == fd) goes_on_from(p, g, c, k, false);
    }
}

bool model_spawner_goes_on(struct pkg *p, int sfi, nid s, int fi, nid fn, nid at)
{
    struct pkg_analysis *pa = analysis(p);
    struct goes_on *g = NULL;
    for (size_t i = 0; i < pa->goes_on.len && !g; i++)
        if (pa->goes_on.items[i].sfi == sfi && pa->goes_on.items[i].s == s) g = &pa->goes_on.items[i];
    if (!g) {
        struct goes_on ng = {sfi, s, xcalloc((size_t)p->ndecls / 8 + 1, 1), {{0}}, 0};
        goes_on_from(p, &ng, sfi, s, true);
        vec_push(&pa->goes_on, ng);
        g = &pa->goes_on.items[pa->goes_on.len - 1];
    }
    /* in the spawner (or a caller) itself: after the start, before a wait */
    bool own = false;
    for (int i = 0; i < g->nr; i++) {
        if (g->r[i].fi != fi || g->r[i].fn != fn) continue;
        own = true;
        if (at >= g->r[i].from && at < g->r[i].to) return true;
    }
    if (own || ast_kind(&p->files[fi], fn) == N_FUNC_LITERAL) return false;
    int d = pkg_decl_index(p, fi, fn);
    return d >= 0 && (g->reached[d / 8] & (1u << (d % 8)));
}

/* Can the two orders of a lock-order inversion run at the same time, as
 * far as the goroutine contexts tell: the functions run in goroutines of
 * two go statements (or of one go statement in a loop), or the function
 * that starts one order's goroutine (or a caller of it) goes on to the
 * other order without waiting first. */
static bool orders_concurrent(struct pkg *p, const struct order_edge *e1, const struct order_edge *e2)
{
    int g1, g2;
    nid s1 = model_start_site(p, e1->fi, e1->fn, &g1), s2 = model_start_site(p, e2->fi, e2->fn, &g2);
    if (s1 && s2) {
        if (s1 != s2 || g1 != g2) return true;
        const struct gofile *f = &p->files[g1];
        for (nid up = ast_parent(f, s1); up; up = ast_parent(f, up))
            if (ast_kind(f, up) == N_FOR_STATEMENT) return true;
        return false;
    }
    /* a goroutine against exported API that no goroutine calls is not
     * enough: on the corpus such pairs were shutdown paths (a snapshot
     * taken in Close after the loops stopped), so they stay low */
    return (s1 && model_spawner_goes_on(p, g1, s1, e2->fi, e2->fn, e2->at)) ||
           (s2 && model_spawner_goes_on(p, g2, s2, e1->fi, e1->fn, e1->at));
}

/* How a func literal fn (file fi) handed to another function runs: 0 not
 * handed (or handed to a function of the package, whose summary is
 * followed), CB_ASYNC when the callee is known to run it in another
 * goroutine (time.AfterFunc, context.AfterFunc, a Go method, an HTTP
 * handler), CB_HOOK when code we do not follow keeps it to call later
 * (a name that registers: On..., Register..., Subscribe..., Handle...,
 * Watch..., Notify..., Add...Hook/Callback/Listener/Handler), CB_UNKNOWN
 * otherwise (it may run at once, in the caller's goroutine: sort.Slice,
 * Once.Do, t.Run, Range). */
enum { CB_NONE, CB_ASYNC, CB_HOOK, CB_UNKNOWN };
static int handed_callback(struct pkg *p, int fi, nid fn)
{
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, fn) != N_FUNC_LITERAL) return CB_NONE;
    nid args = ast_parent(f, fn), call = ast_parent(f, args);
    if (ast_kind(f, args) != N_ARGUMENT_LIST || ast_kind(f, call) != N_CALL_EXPRESSION) return CB_NONE;
    if (ast_kind(f, ast_parent(f, call)) == N_GO_STATEMENT || ast_kind(f, ast_parent(f, call)) == N_DEFER_STATEMENT)
        return CB_NONE;
    if (model_callee(p, fi, call) >= 0) return CB_NONE;
    if (model_is_call(p, fi, call, "time", "AfterFunc") || model_is_call(p, fi, call, "context", "AfterFunc") ||
        model_is_call(p, fi, call, "net/http", "HandleFunc"))
        return CB_ASYNC;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    struct str name = ast_text(f, ast_kind(f, fe) == N_SELECTOR_EXPRESSION ? ast_child(f, fe, F_FIELD) : fe);
    if (str_eq(name, "Go") || str_eq(name, "HandleFunc") || str_eq(name, "AfterFunc")) return CB_ASYNC;
    static const char *const hook_prefix[] = {"On", "Register", "Subscribe", "Handle", "Watch", "Notify", "Set"};
    for (size_t i = 0; i < GD_ARRAY_LEN(hook_prefix); i++) {
        size_t n = strlen(hook_prefix[i]);
        if (name.n >= n && !memcmp(name.p, hook_prefix[i], n) && (name.n == n || (name.p[n] >= 'A' && name.p[n] <= 'Z')))
            return CB_HOOK;
    }
    static const char *const hook_word[] = {"Hook", "Callback", "Listener", "Handler"};
    for (size_t i = 0; i < GD_ARRAY_LEN(hook_word); i++)
        if (name.n >= 3 && !memcmp(name.p, "Add", 3) && memmem(name.p, name.n, hook_word[i], strlen(hook_word[i])))
            return CB_HOOK;
    return CB_UNKNOWN;
}

/* Is fn (file fi) exported API of the package's own code: an exported
 * function or method outside test files, not a constructor (which locks
 * an object nobody else has yet)? Its users call it from goroutines of
 * their own. */
static bool exported_api_fn(struct pkg *p, int fi, nid fn)
{
    const struct gofile *f = &p->files[fi];
    if (!fn || pkg_is_test_file(f)) return false;
    enum node_kind k = ast_kind(f, fn);
    if (k != N_FUNCTION_DECLARATION && k != N_METHOD_DECLARATION) return false;
    struct str n = ast_text(f, ast_child(f, fn, F_NAME));
    if (n.n >= 3 && !strncmp(n.p, "New", 3)) return false;
    return n.n && n.p[0] >= 'A' && n.p[0] <= 'Z';
}

static bool exported_writer(struct pkg *p, const struct lock_writer *lw) { return exported_api_fn(p, lw->fi, lw->fn); }

static void match_lock_facts(struct pkg *p)
{
    struct pkg_analysis *pa = analysis(p);
    /* a recursive RLock deadlocks once a writer queues between the two
     * RLocks: medium confidence when a goroutine of the package (a function
     * started by `go`, or one it calls) write-locks the same lock class */
    struct go_info gi = {{0}, NULL};
    go_entries(p, &gi.gos);
    const go_entry_vec gos = gi.gos;
    /* with no write Lock of the class anywhere in the package, nothing can
     * queue between the two read locks: not reported */
    size_t kept = 0;
    for (size_t i = 0; i < pa->issues.len; i++) {
        struct lock_issue *li = &pa->issues.items[i];
        if (li->kind == LI_RECURSIVE_RLOCK) {
            bool writer = false;
            bool reader_go = li->other2 && !pkg_is_test_file(&p->files[li->rel_fi]) &&
                             (go_bits(p, &gi, li->rel_fi, li->rel_at) & GO_PROD);
            for (size_t w = 0; li->other2 && w < pa->writers.len && li->conf != LI_MEDIUM; w++) {
                struct lock_writer *lw = &pa->writers.items[w];
                if (strcmp(lw->cls, li->other2)) continue;
                writer = true;
                if (lw->fi == li->rel_fi && lw->fn == li->rel_at) continue;
                if (!li->rel_line2 && runs_in_goroutine(p, &gi, lw->fi, lw->fn)) li->conf = LI_MEDIUM;
                /* or the re-reader is the goroutine (started by the package's
                 * own code) and the writer is exported API, which its users
                 * call from their own goroutines (prometheus#1432: the
                 * scraper against a config reload's Update) */
                if (!li->rel_line2 && reader_go && exported_writer(p, lw)) li->conf = LI_MEDIUM;
                /* or both are exported API: users call the reader and the
                 * writer from goroutines of their own (weaviate#4957's
                 * ClassInfo against an exported schema update) */
                if (!li->rel_line2 && exported_api_fn(p, li->rel_fi, li->rel_at) && exported_writer(p, lw))
                    li->conf = LI_MEDIUM;
            }
            li->other2 = NULL;
            li->rel_at = 0;
            li->rel_fi = 0;
            li->rel_line2 = 0;
            if (!writer && li->conf != LI_MEDIUM) continue;
        }
        pa->issues.items[kept++] = *li;
    }
    pa->issues.len = kept;
    struct pair_index by_pair;
    pair_index_build(&by_pair, pa->edges.len, edge_key, pa->edges.items);
    const char *pairs[128]; /* the reversed orders reported: held, taken */
    size_t npairs = 0;
    for (size_t i = 0; i < pa->edges.len; i++) {
        struct order_edge *e1 = &pa->edges.items[i];
        bool done = false;
        /* a pair already reported from an earlier edge of the same
         * order, or found as the other order of an earlier report */
        for (int q = pair_first(&by_pair, e1->held, e1->taken); q >= 0 && (size_t)q < i && !done; q = by_pair.next[q]) {
            struct order_edge *e0 = &pa->edges.items[q];
            done = !strcmp(e0->held, e1->held) && !strcmp(e0->taken, e1->taken);
        }
        for (size_t q = 0; q + 1 < npairs && !done; q += 2)
            done = !strcmp(pairs[q], e1->held) && !strcmp(pairs[q + 1], e1->taken);
        for (int jj = pair_first(&by_pair, e1->taken, e1->held); jj >= 0 && !done; jj = by_pair.next[jj]) {
            size_t j = (size_t)jj;
            if (j <= i) continue;
            struct order_edge *e2 = &pa->edges.items[j];
            if (strcmp(e1->held, e2->taken) || strcmp(e1->taken, e2->held)) continue;
            if (!conflicting(e1->taken_w, e2->held_w) || !conflicting(e2->taken_w, e1->held_w)) continue;
            if (gated(pa, e1, e2)) continue;
            /* a test helper that takes the locks in the other order than
             * the package's own code usually inspects an idle object: low */
            bool t1 = pkg_is_test_file(&p->files[e1->fi]), t2 = pkg_is_test_file(&p->files[e2->fi]);
            /* reported in the package's own code, the test's order related */
            struct order_edge *r1 = t1 && !t2 ? e2 : e1, *r2 = t1 && !t2 ? e1 : e2;
            /* low unless the goroutine contexts say both orders can run
             * at once: two orders taken by one goroutine in turn (a run
             * loop) never deadlock */
            uint8_t conf = !t1 && !t2 && orders_concurrent(p, r1, r2) ? LI_MEDIUM : LI_LOW;
            struct lock_issue li = {LI_ORDER_INVERSION, conf, r1->fi, r1->at, r1->held_line,
                                    r1->taken_text, r1->held_text, r2->fi, r2->at, r2->held_line, NULL, NULL, NULL, NULL, NULL, 0, 0};
            li.other = r2->held_text;
            li.other2 = r2->taken_text;
            enum { MAX_STEPS = 6 };
            struct lock_step *path = arena_alloc(&p->arena, 2 * MAX_STEPS * sizeof *path);
            li.path = path;
            li.npath = lock_path(p, r1->fi, r1->fn, r1->at, r1->taken, path, MAX_STEPS);
            li.rel_path = path + MAX_STEPS;
            li.nrel_path = lock_path(p, r2->fi, r2->fn, r2->at, r2->taken, path + MAX_STEPS, MAX_STEPS);
            vec_push(&pa->issues, li);
            if (npairs + 2 <= GD_ARRAY_LEN(pairs)) {
                pairs[npairs++] = e1->taken;
                pairs[npairs++] = e1->held;
            }
            done = true;
        }
    }
    pair_index_free(&by_pair);
    if (!pa->blocking.len) {
        vec_free(&gi.gos);
        free(gi.by_decl);
        return;
    }
    struct pair_index by_chan;
    pair_index_build(&by_chan, pa->counter.len, counter_key, pa->counter.items);
    uint8_t *c_ctx = xcalloc(pa->counter.len + 1, 1); /* 0 not known yet, 1 a goroutine, 2 + CB_* */
    for (size_t i = 0; i < pa->blocking.len; i++) {
        struct chan_fact *b = &pa->blocking.items[i];
        bool dup = false;
        for (size_t q = 0; q < i && !dup; q++) dup = pa->blocking.items[q].at == b->at && pa->blocking.items[q].fi == b->fi;
        if (!dup) dup = match_handed_out(p, b);
        bool b_started = !dup && started_by_go(&gos, b->fi, b->fn);
        int b_unbuffered = -1; /* computed on first need: a scan of the package */
        for (int j = pair_first(&by_chan, b->chan, b->lock); j >= 0 && !dup; j = by_chan.next[j]) {
            struct chan_fact *c = &pa->counter.items[j];
            if (strcmp(b->chan, c->chan) || strcmp(b->lock, c->lock) || !counterpart(b->op, c->op)) continue;
            if (c->fn == b->fn && c->fi == b->fi) continue;
            if (signals_wait_select(p, b, c->fi, c->fn)) continue;
            /* the goroutine took the lock before its own Add: a waiter that
             * holds the lock and sees the count saw it after that, and the
             * Done needs the lock no more (unless it is held at the Done) */
            if (c->op == CO_DONE && !c->held && added_after_lock(pa, c)) continue;
            /* the two sides run in different goroutines: one of them is
             * started by a go statement */
            if (!c_ctx[j]) {
                /* started by a go statement, a function called directly by
                 * a goroutine's function, or (the object model's goroutine
                 * context) at any depth; else a func literal handed to code
                 * we do not follow, which may call it from another
                 * goroutine (a hook, a timer): memoised per fact */
                bool g = started_by_go(&gos, c->fi, c->fn) || runs_in_goroutine(p, &gi, c->fi, c->fn) ||
                         objects_in_goroutine(p, objects_of(p), c->fi, c->at);
                c_ctx[j] = g ? 1 : (uint8_t)(2 + handed_callback(p, c->fi, c->fn));
            }
            bool is_goroutine = b_started || c_ctx[j] == 1;
            int cb = is_goroutine ? CB_NONE : c_ctx[j] - 2;
            if (!is_goroutine && cb == CB_NONE) continue;
            /* the counterpart is the spawner of the blocked goroutine and
             * took (and released) the lock before its go statement: the
             * goroutine did not exist yet, so that lock is not "taken first" */
            bool before_go = false;
            const struct gofile *cf = &p->files[c->fi];
            for (size_t g = 0; g < gos.len && !before_go && c->lock_line; g++) {
                const struct go_entry *ge = &gos.items[g];
                if (ge->fi != b->fi || ge->fn != b->fn || ge->go_fi != c->fi || !ast_contains(cf, c->fn, ge->go))
                    continue;
                uint32_t gl = cf->nodes[ge->go].line;
                before_go = c->lock_line < gl && gl <= cf->nodes[c->at].line && !c->held;
            }
            if (before_go) continue;
            /* the counterpart is the spawner of the blocked goroutine and
             * performs its operation before the go statement (not in a loop
             * around both): done before the goroutine exists */
            bool done_before = false;
            for (size_t g = 0; g < gos.len && !done_before; g++) {
                const struct go_entry *ge = &gos.items[g];
                if (ge->fi != b->fi || ge->fn != b->fn || ge->go_fi != c->fi || !ast_contains(cf, c->fn, ge->go) ||
                    ge->go <= c->at)
                    continue;
                done_before = true;
                for (nid up = ast_parent(cf, c->at); up && up != c->fn && done_before; up = ast_parent(cf, up))
                    if (ast_kind(cf, up) == N_FOR_STATEMENT && ast_contains(cf, up, ge->go)) done_before = false;
            }
            if (done_before) continue;
            /* a channel used as a semaphore: the counterpart received the
             * token after taking the lock and sends it back, so whoever
             * holds the token already holds the lock (geth's commsLock) */
            if (c->op == CO_SEND && c->lock_line &&
                has_chan_op(p, c->fi, c->fn, c->chan, CO_RECV, c->lock_line, UINT32_MAX, c->at, false))
                continue;
            /* ... or in the same call that gives it back (acquire and
             * release in one helper) */
            if (c->op == CO_SEND && c->via_at && callee_does(p, c->fi, c->fn, c->at, c->chan, CO_RECV)) continue;
            /* a send blocks only on an unbuffered channel */
            if (b->op == CO_SEND && b_unbuffered < 0) b_unbuffered = unbuffered_class(p, b->chan);
            if (b->op == CO_SEND && !b_unbuffered) continue;
            /* the goroutine performs the same operation before it takes the
             * lock, on every path (a start barrier: Done, then RLock): that
             * one may be all the waiter needs: low */
            uint8_t conf = c->some ? LI_MEDIUM : LI_HIGH;
            if (c->lock_line && has_chan_op(p, c->fi, c->fn, c->chan, c->op, 0, c->lock_line, 0, true)) conf = LI_LOW;
            if (handshake(p, b, c) || flag_guarded(p, b, c)) conf = LI_LOW;
            if (other_local_object(p, b, c) || tries_lock_on_the_way(p, c) || cb == CB_UNKNOWN) conf = LI_LOW;
            if (cb == CB_HOOK && conf == LI_HIGH) conf = LI_MEDIUM;
            if (b->may || c->may) conf = LI_LOW; /* through a function value that may call something else */
            /* the wait is a select that a shutdown also ends (shutdown_select):
             * it blocks until Stop, a step further from "forever": medium */
            {
                int wfi = b->via_at ? b->via_fi : b->fi;
                nid wat = b->via_at ? b->via_at : b->at;
                if (conf == LI_HIGH && in_select_comm(&p->files[wfi], wat)) conf = LI_MEDIUM;
            }
            /* a channel that code we do not follow may send on or close
             * (handed out, set from elsewhere): another sender may serve
             * the waiter */
            if ((b->op == CO_RECV || b->op == CO_RANGE) && chan_class_open(p, b->chan)) conf = LI_LOW;
            /* the counterpart runs as a goroutine only in the package's
             * tests, while the waiter is the package's own code */
            if (!pkg_is_test_file(&p->files[b->fi]) && !started_by_go(&gos, b->fi, b->fn) &&
                spawned_only_in_tests(p, &gi, c->fi, c->fn))
                conf = LI_LOW;
            struct wait_detail *w = arena_alloc(&p->arena, sizeof *w);
            w->op = b->op;
            w->rel_op = c->op;
            w->some = c->some;
            w->via_fi = b->via_fi;
            w->via_at = b->via_at;
            w->rel_via_fi = c->via_fi;
            w->rel_via_at = c->via_at;
            w->out_decl = -1;
            w->handed_to = cb != CB_NONE ? ast_parent(&p->files[c->fi], ast_parent(&p->files[c->fi], c->fn)) : 0;
            struct lock_issue li = {LI_BLOCKED_LOCKED, conf, b->fi, b->at, b->lock_line, b->lock_text,
                                    NULL, c->fi, c->at, c->lock_line, b->chan_text, c->lock_text, w, NULL, NULL, 0, 0};
            vec_push(&pa->issues, li);
            dup = true;
        }
    }
    pair_index_free(&by_chan);
    free(c_ctx);
    vec_free(&gi.gos);
    free(gi.by_decl);
}

static void find_lock_types(struct pkg *p)
{
    struct pkg_analysis *pa = analysis(p);
    if (pa->lock_types_done) return;
    pa->lock_types_done = true;
    for (int d = 0; d < p->ndecls; d++) {
        const struct pkg_decl *pd = &p->decls[d];
        if (pd->what != PD_TYPE) continue;
        const struct gofile *f = &p->files[pd->file];
        nid st = ast_child(f, pd->node, F_TYPE);
        if (ast_kind(f, st) != N_STRUCT_TYPE) continue;
        if (pkg_decl_count(p, str_make(pd->name, strlen(pd->name)), PD_TYPE) != 1) continue;
        struct lock_type L = {pd->name, {0}, 0, pd->file, st};
        for (nid k = st + 1; k < f->nodes[st].end; k++) {
            if (ast_kind(f, k) != N_FIELD_DECLARATION || ast_parent(f, ast_parent(f, k)) != st) continue;
            nid ty = ast_child(f, k, F_TYPE);
            bool mu = model_is_ref(p, pd->file, ty, "sync", "Mutex"), rw = model_is_ref(p, pd->file, ty, "sync", "RWMutex");
            if ((!mu && !rw) || f->nodes[k].op == OP_MUL) continue;
            nid nm = ast_child(f, k, F_NAME);
            if (!nm && L.nlocks < 4) L.locks[L.nlocks++] = mu ? "Mutex" : "RWMutex";
            for (; nm && L.nlocks < 4; nm = ast_next(f, nm))
                if (f->nodes[nm].field == F_NAME) {
                    struct str t = ast_text(f, nm);
                    L.locks[L.nlocks++] = arena_strndup(&p->arena, t.p, t.n);
                }
        }
        if (!L.nlocks) continue;
        vec_push(&pa->lock_types, L);
        for (nid k = st + 1; k < f->nodes[st].end; k++)
            if (ast_kind(f, k) == N_FIELD_DECLARATION && ast_parent(f, ast_parent(f, k)) == st)
                AST_FOR_CHILDREN(f, k, c)
                if (f->nodes[c].field == F_NAME) vec_push(&pa->lt_names, ast_text(f, c));
        for (int m = 0; m < p->ndecls; m++)
            if (p->decls[m].what == PD_METHOD && !strcmp(p->decls[m].recv_type, pd->name)) {
                struct str mn = str_make(p->decls[m].name, strlen(p->decls[m].name));
                vec_push(&pa->lt_names, mn);
            }
    }
}

/* A function of a file that never mentions a lock method: no lock can be
 * held there (short of a helper that returns locked), so its accesses to
 * lock-type fields are recorded as unguarded without building its graph. */
static void light_field_scan(struct pkg *p, int fi, nid fn)
{
    struct fa a;
    memset(&a, 0, sizeof a);
    a.p = p;
    a.fi = fi;
    a.f = &p->files[fi];
    a.fn = fn;
    a.decl = pkg_decl_index(p, fi, fn);
    a.want_issues = true;
    a.exempt = lock_context_exempt(&a);
    field_ops(&a, ast_child(a.f, fn, F_BODY));
    for (size_t i = 0; i < a.ops.len; i++) record_field_fact(&a, &a.ops.items[i], NULL);
    vec_free(&a.ops);
}

/* Guarded-by inference: a field accessed with lock i of the same object
 * held at >= 3 accesses and >= 75 % of them, and written under it at least
 * once outside constructors, is guarded by lock i; an access without it in
 * a function whose callers do not all hold it is reported. */
static void match_field_facts(struct pkg *p)
{
    struct pkg_analysis *pa = analysis(p);
    size_t n = pa->fields.len;
    uint8_t *seen = xcalloc(n + 1, 1);
    for (size_t i = 0; i < n; i++) {
        if (seen[i]) continue;
        struct field_fact *fi0 = &pa->fields.items[i];
        struct lock_type *L = &pa->lock_types.items[fi0->lt];
        int total = 0, guarded[4] = {0}, wguarded[4] = {0};
        for (size_t j = i; j < n; j++) {
            struct field_fact *x = &pa->fields.items[j];
            if (x->lt != fi0->lt || strcmp(x->field, fi0->field)) continue;
            seen[j] = 1;
            if (!x->report_ok) continue;
            total++;
            for (int l = 0; l < L->nlocks; l++)
                if (x->held & (1u << l)) {
                    guarded[l]++;
                    if (x->write) wguarded[l]++;
                }
        }
        int best = -1;
        for (int l = 0; l < L->nlocks; l++)
            if (guarded[l] >= 3 && guarded[l] * 4 >= total * 3 && wguarded[l] > 0 && (best < 0 || guarded[l] > guarded[best]))
                best = l;
        if (best < 0 || guarded[best] == total) continue;
        for (size_t j = i; j < n; j++) {
            struct field_fact *x = &pa->fields.items[j];
            if (x->lt != fi0->lt || strcmp(x->field, fi0->field) || !x->report_ok || (x->held & (1u << best))) continue;
            /* every same-package call of this method holds the lock */
            if (x->fn_decl >= 0) {
                int calls = 0, held = 0;
                for (size_t c = 0; c < pa->calls.len; c++)
                    if (pa->calls.items[c].decl == x->fn_decl) {
                        calls++;
                        if (pa->calls.items[c].held & (1u << best)) held++;
                    }
                if (calls && held == calls) continue;
            }
            const struct gofile *f = &p->files[x->fi];
            /* low confidence: on real code most unguarded accesses are
             * initialisation before the value is shared (Start, reset,
             * once.Do) or helpers whose callers hold the lock */
            struct lock_issue li = {LI_UNGUARDED_FIELD, LI_LOW, x->fi, x->at, 0, L->locks[best], x->field,
                                    0, 0, (uint32_t)guarded[best], NULL, NULL, NULL, NULL, NULL, 0, 0};
            li.other = arena_printf(&p->arena, "%d", total);
            li.other2 = x->write ? "written" : "read";
            (void)f;
            vec_push(&pa->issues, li);
        }
    }
    free(seen);
}

const struct lock_issue *model_lock_issues(struct pkg *p, int *n)
{
    struct pkg_analysis *pa = analysis(p);
    if (!pa->issues_done) {
        pa->issues_done = true;
        find_lock_types(p);
        for (int fi = 0; fi < p->nfiles; fi++) {
            const struct gofile *f = &p->files[fi];
            /* files that mention a lock method get the full analysis; the
             * others only a field-access scan when the package has struct
             * types with mutexes (for the guarded-by inference) */
            bool locks = memmem(f->src, f->len, "Lock()", 6) != NULL;
            if (!locks && !pa->lock_types.len) continue;
            for (nid k = 1; k < f->nnodes; k++) {
                enum node_kind kk = ast_kind(f, k);
                if (kk != N_FUNCTION_DECLARATION && kk != N_METHOD_DECLARATION && kk != N_FUNC_LITERAL) continue;
                if (!ast_child(f, k, F_BODY)) continue;
                if (f->nodes[k].flags & NF_HAS_ERROR) continue;
                /* the issues pass is separate from the summary pass: merging
                 * them would put the function "in progress" while its issues
                 * are found, which changes what a recursive callee sees */
                if (locks) analyse(p, fi, k, true, false);
                else light_field_scan(p, fi, k);
            }
        }
        match_lock_facts(p);
        callers_release(p);
        match_field_facts(p);
    }
    *n = (int)pa->issues.len;
    return pa->issues.items;
}
