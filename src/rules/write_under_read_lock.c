/* rules/write_under_read_lock: GD606. A write made while only the read lock
 * of the RWMutex that guards it is held: `s.mu.RLock(); s.n++`, `s.m[k] =
 * v`, `delete(s.m, k)`, `s.items = append(s.items, x)`, or a package
 * variable written under a package RWMutex's RLock. Readers hold the read
 * lock together, so two of them race on the write.
 * How: in each function or func literal that calls RLock, the write
 * targets whose base is the object of a read-held RWMutex (the lock's text
 * is the base's field, or the base itself for an embedded one) or a
 * package variable under a package RWMutex, with the locks held on every
 * path at each (model_locks_held_at_each); silent when any lock is
 * write-held there. Low when the package write-locks the RWMutex only in
 * Close/Stop-like functions (a close guard) or never, or a comment says
 * the code is not run concurrently. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rulelib.h"
#include "../model/summary.h"

#define MAX_WRITES 64
#define MAX_HELD 6

enum how {
    W_SET,  /* s.f = v, s.f++, s.f += v */
    W_ELEM, /* s.f[i] = v: a slice or array element (or unknown) */
    W_MAP,  /* s.m[k] = v, delete(s.m, k), clear(s.m) */
};

struct wr {
    nid at;   /* the statement or call: where to report, and the event asked about */
    nid path; /* the written variable or field (`s.f`, `count`) */
    uint8_t how;
};

/* Is identifier id a local declared in fn from a fresh value (a composite
 * literal, &T{...}, new(T), make, a New.../new... call, or `var x T`): a
 * value no other goroutine can see yet? */
static bool fresh_local(struct rule_ctx *ctx, nid fn, nid id)
{
    const struct gofile *f = ctx->f;
    nid decl, name;
    if (!model_resolve_local(ctx->pkg, ctx->fi, id, &decl, &name) || !ast_contains(f, fn, decl)) return false;
    enum node_kind dk = ast_kind(f, decl);
    if (dk != N_SHORT_VAR_DECLARATION && dk != N_VAR_SPEC) return false;
    bool bare;
    nid v = model_decl_value(f, decl, name, &bare);
    if (bare) return true;
    v = ast_unparen(f, v);
    if (!v) return false;
    if (ast_kind(f, v) == N_UNARY_EXPRESSION && f->nodes[v].op == OP_AND)
        v = ast_unparen(f, ast_child(f, v, F_OPERAND));
    if (ast_kind(f, v) == N_COMPOSITE_LITERAL) return true;
    if (ast_kind(f, v) != N_CALL_EXPRESSION) return false;
    if (model_is_builtin_call(ctx->pkg, ctx->fi, v, "new") || model_is_builtin_call(ctx->pkg, ctx->fi, v, "make"))
        return true;
    struct str cn = rl_call_name(f, v);
    return cn.n > 3 && (!strncmp(cn.p, "New", 3) || !strncmp(cn.p, "new", 3));
}

/* Is the type of e a sync or sync/atomic type (itself synchronised)? */
static bool sync_typed(struct rule_ctx *ctx, nid e)
{
    const struct ltype *t = model_type_of(ctx->pkg, ctx->fi, e);
    if (t && t->kind == LT_POINTER) t = t->elem;
    return t && t->kind == LT_NAMED && (!strcmp(t->pkgpath, "sync") || !strcmp(t->pkgpath, "sync/atomic"));
}

/* Adds the write of target expression e (a left side, or delete's map) at
 * statement at. */
static void add_target(struct rule_ctx *ctx, nid at, nid e, bool map, struct wr *out, int *n)
{
    const struct gofile *f = ctx->f;
    e = ast_unparen(f, e);
    uint8_t how = map ? W_MAP : W_SET;
    if (!map && ast_kind(f, e) == N_INDEX_EXPRESSION) {
        e = ast_unparen(f, ast_child(f, e, F_OPERAND));
        const struct ltype *t = model_type_of(ctx->pkg, ctx->fi, e);
        t = t ? model_underlying(ctx->pkg, (struct ltype *)t) : NULL;
        how = t && t->kind == LT_MAP ? W_MAP : W_ELEM;
    }
    if (!rl_is_path(f, e) || *n >= MAX_WRITES) return;
    if (ast_kind(f, e) == N_IDENTIFIER && str_eq(ast_text(f, e), "_")) return;
    out[(*n)++] = (struct wr){at, e, how};
}

/* The writes of fn's own body (not of its func literals). */
static int collect_writes(struct rule_ctx *ctx, nid fn, struct wr *out)
{
    const struct gofile *f = ctx->f;
    nid body = ast_child(f, fn, F_BODY);
    int n = 0;
    for (nid k = body + 1; k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk == N_ASSIGNMENT_STATEMENT) {
            nid left = ast_child(f, k, F_LEFT);
            if (ast_kind(f, left) == N_EXPRESSION_LIST) {
                AST_FOR_CHILDREN(f, left, c) add_target(ctx, k, c, false, out, &n);
            } else
                add_target(ctx, k, left, false, out, &n);
        } else if (kk == N_INC_STATEMENT || kk == N_DEC_STATEMENT) {
            add_target(ctx, k, ast_first_child(f, k), false, out, &n);
        } else if (kk == N_CALL_EXPRESSION && (model_is_builtin_call(ctx->pkg, ctx->fi, k, "delete") ||
                                               model_is_builtin_call(ctx->pkg, ctx->fi, k, "clear"))) {
            nid args = ast_child(f, k, F_ARGUMENTS);
            nid m = args ? ast_first_child(f, args) : 0;
            if (m) add_target(ctx, k, m, true, out, &n);
        }
    }
    return n;
}

/* The read-held lock of hl[0..nh) that guards path: a lock of the object
 * path is a field of (`s.mu` for `s.f`, `s` itself for an embedded
 * RWMutex), through fields that hold structs by value (`s.mu` for
 * `s.st.f`); for a package variable, a package RWMutex. *base is the object. */
static const struct held_lock *guarding(struct rule_ctx *ctx, nid fn, nid path, const struct held_lock *hl, int nh,
                                        nid *base)
{
    const struct gofile *f = ctx->f;
    if (ast_kind(f, path) == N_IDENTIFIER) {
        nid d, nm;
        if (model_resolve_local(ctx->pkg, ctx->fi, path, &d, &nm)) return NULL;
        const struct pkg_decl *pd = pkg_lookup(ctx->pkg, ast_text(f, path), PD_VAR);
        if (!pd) return NULL;
        for (int i = 0; i < nh; i++)
            if (!hl[i].write && hl[i].cls && !strncmp(hl[i].cls, "G:", 2) && !strchr(hl[i].cls + 2, '.')) {
                *base = path;
                return &hl[i];
            }
        return NULL;
    }
    for (nid sel = path; ast_kind(f, sel) == N_SELECTOR_EXPRESSION;) {
        nid b = ast_unparen(f, ast_child(f, sel, F_OPERAND));
        struct str bt = ast_text(f, b);
        for (int i = 0; i < nh; i++) {
            if (hl[i].write || !hl[i].cls || !hl[i].text) continue;
            const char *t = hl[i].text;
            size_t tn = strlen(t);
            bool field = tn > bt.n + 1 && !strncmp(t, bt.p, bt.n) && t[bt.n] == '.' && !strchr(t + bt.n + 1, '.');
            bool embedded = tn == bt.n && !strncmp(t, bt.p, bt.n);
            if (!field && !embedded) continue;
            nid root = rl_path_root(f, b);
            if (root && fresh_local(ctx, fn, root)) return NULL;
            *base = b;
            return &hl[i];
        }
        /* further out only through a struct held by value */
        const struct ltype *bty = model_type_of(ctx->pkg, ctx->fi, b);
        if (!bty || (bty->kind != LT_NAMED && bty->kind != LT_STRUCT) || ast_kind(f, b) != N_SELECTOR_EXPRESSION)
            return NULL;
        const struct ltype *u = model_underlying(ctx->pkg, (struct ltype *)bty);
        if (!u || u->kind != LT_STRUCT) return NULL;
        sel = b;
    }
    return NULL;
}

/* Does the comment block ending on the line above `line` (or a comment on
 * `line` itself, after a field) say the code is not run concurrently
 * ("externally synchronized", "no concurrent ... calls")? */
static bool doc_says_serial(const struct gofile *f, uint32_t line)
{
    static const char *const words[] = {"externally synchron", "no concurrent", "not concurrent", "only rlock",
                                        "single goroutine", "one goroutine"};
    uint32_t top = line;
    for (uint32_t i = f->ncomments; i-- > 0;) {
        const struct comment *c = &f->comments[i];
        bool above = c->end_line + 1 == top, same = c->line == line;
        if (!above && !same) {
            if (c->end_line < line) break;
            continue;
        }
        if (above) top = c->line;
        struct str t = ast_comment_text(f, c);
        for (size_t w = 0; w < GD_ARRAY_LEN(words); w++)
            for (size_t q = 0; q + strlen(words[w]) <= t.n; q++)
                if (!strncasecmp(t.p + q, words[w], strlen(words[w]))) return true;
    }
    return false;
}

/* The line of the declaration of field `name` in package struct type
 * `type`, and its file, or 0. */
static uint32_t field_line(struct rule_ctx *ctx, struct str type, struct str name, int *fi)
{
    const struct pkg_decl *pd = pkg_lookup(ctx->pkg, type, PD_TYPE);
    if (!pd) return 0;
    const struct gofile *f = &ctx->pkg->files[pd->file];
    nid st = ast_child(f, pd->node, F_TYPE);
    if (ast_kind(f, st) != N_STRUCT_TYPE) return 0;
    for (nid k = st + 1; k < f->nodes[st].end; k++)
        if (ast_kind(f, k) == N_FIELD_DECLARATION && ast_parent(f, ast_parent(f, k)) == st)
            AST_FOR_CHILDREN(f, k, c)
            if (f->nodes[c].field == F_NAME && str_eqs(ast_text(f, c), name)) {
                *fi = pd->file;
                return f->nodes[k].line;
            }
    return 0;
}

static bool closing_name(struct str n)
{
    static const char *const words[] = {"close", "Close", "stop", "Stop", "shutdown", "Shutdown", "terminate",
                                        "Terminate", "destroy", "Destroy"};
    return rl_name_has_word(n, words, GD_ARRAY_LEN(words));
}

/* Is write lock class cls taken (Lock) in the package, and only in
 * functions that close or stop the value (a close guard: the read lock
 * only keeps Close out, not other readers)? *any: some Lock was seen. */
static bool only_closers_lock(struct rule_ctx *ctx, const char *cls, bool *any)
{
    struct pkg *p = ctx->pkg;
    *any = false;
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        if (!memmem(f->src, f->len, "Lock()", 6)) continue;
        for (nid k = 1; k < f->nnodes; k++) {
            if (ast_kind(f, k) != N_CALL_EXPRESSION || !str_eq(rl_call_name(f, k), "Lock")) continue;
            nid fn = model_enclosing_func(f, k);
            const char *c;
            bool acq;
            if (!fn || !model_lock_call_class(p, fi, fn, k, &c, &acq) || !acq || !c || strcmp(c, cls)) continue;
            *any = true;
            nid d = model_enclosing_decl(f, k);
            nid name = d ? ast_child(f, d, F_NAME) : 0;
            if (!name || !closing_name(ast_text(f, name))) return false;
        }
    }
    return *any;
}

/* Does the comment of the struct field written (the field of base's
 * type that path goes through) say it is not accessed concurrently? */
static bool serial_field(struct rule_ctx *ctx, const struct held_lock *h, nid base, nid path)
{
    const struct gofile *f = ctx->f;
    const char *dot = h->cls ? strchr(h->cls, '.') : NULL;
    if (!dot || ast_kind(f, path) != N_SELECTOR_EXPRESSION) return false;
    nid sel = path;
    while (ast_unparen(f, ast_child(f, sel, F_OPERAND)) != base) {
        sel = ast_unparen(f, ast_child(f, sel, F_OPERAND));
        if (ast_kind(f, sel) != N_SELECTOR_EXPRESSION) return false;
    }
    int fi;
    struct str type = str_make(h->cls, (size_t)(dot - h->cls));
    uint32_t line = field_line(ctx, type, ast_text(f, ast_child(f, sel, F_FIELD)), &fi);
    return line && doc_says_serial(&ctx->pkg->files[fi], line);
}

/* The RLock call of fn on line `line` (for a related location), or 0. */
static nid rlock_on_line(struct rule_ctx *ctx, nid fn, uint32_t line)
{
    const struct gofile *f = ctx->f;
    for (nid k = fn; line && k < f->nodes[fn].end; k++)
        if (ast_kind(f, k) == N_CALL_EXPRESSION && f->nodes[k].line == line) return k;
    return 0;
}

static void visit(struct rule_ctx *ctx, nid fn)
{
    const struct gofile *f = ctx->f;
    nid body = ast_child(f, fn, F_BODY);
    if (!body || (f->nodes[fn].flags & NF_HAS_ERROR)) return;
    struct str bt = ast_text(f, body);
    if (!memmem(bt.p, bt.n, "RLock()", 7)) return;
    struct wr w[MAX_WRITES];
    int nw = collect_writes(ctx, fn, w);
    if (!nw) return;
    nid at[MAX_WRITES];
    int cnt[MAX_WRITES];
    struct held_lock hl[MAX_WRITES][MAX_HELD];
    for (int i = 0; i < nw; i++) at[i] = w[i].at;
    model_locks_held_at_each(ctx->pkg, ctx->fi, fn, at, nw, &hl[0][0], MAX_HELD, cnt);
    for (int i = 0; i < nw; i++) {
        bool any_write = false, any_read = false;
        for (int j = 0; j < cnt[i]; j++) {
            any_write |= hl[i][j].write;
            any_read |= !hl[i][j].write;
        }
        /* a write lock held too (a two-level scheme, an upgrade) guards it */
        if (!any_read || any_write) continue;
        nid base;
        const struct held_lock *h = guarding(ctx, fn, w[i].path, hl[i], cnt[i], &base);
        if (!h || sync_typed(ctx, w[i].path)) continue;
        struct str pt = ast_text(f, w[i].path);
        if (pt.n > 60) pt.n = 60;
        /* low: the code says it is not run concurrently, or the write lock
         * is taken only to close (the read lock keeps Close out, the
         * value has one user), or never in the package */
        enum confidence conf = CONF_HIGH;
        const char *note = "";
        bool any;
        if (only_closers_lock(ctx, h->cls, &any))
            conf = CONF_LOW, note = " (its write lock is taken only to close or stop: it may only keep Close out)";
        else if (!any)
            conf = CONF_LOW, note = " (its write lock is never taken in this package)";
        else if (doc_says_serial(f, f->nodes[fn].line) || serial_field(ctx, h, base, w[i].path))
            conf = CONF_LOW, note = " (a comment says the code is not run concurrently)";
        else if (rl_is_test_file(f))
            /* a test's fake: its callbacks mostly run on the test's own
             * goroutine, and the race detector runs this code */
            conf = CONF_LOW, note = " (in a test file)";
        char where[48] = "on every path";
        if (h->line) snprintf(where, sizeof where, "at line %u", h->line);
        const char *what = w[i].how == W_MAP ? "map " : "";
        const char *verb = w[i].how == W_ELEM ? "has an element written" : "is written";
        const char *harm = w[i].how == W_MAP
                               ? "other readers hold it at the same time, and concurrent map writes abort the "
                                 "program (\"fatal error: concurrent map writes\")"
                               : "other readers hold it at the same time, so their writes race";
        struct finding *fd = rule_report_conf(ctx, w[i].at, conf,
                                              "%s%.*s %s while only the read lock %s is held (RLock %s)%s: %s", what,
                                              (int)pt.n, pt.p, verb, h->text, where, note, harm);
        nid rl = rlock_on_line(ctx, fn, h->line);
        if (rl) rule_related(ctx, fd, rl, "%s read-locked here", h->text);
        fd->fix = xasprintf("take the write lock (%s.Lock()) around the write, or make %.*s atomic", h->text,
                            (int)pt.n, pt.p);
    }
}

const struct rule rule_write_under_read_lock = {
    .id = "GD606",
    .name = "write-under-read-lock",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A field or package variable is written while only the read lock (RLock) of the RWMutex that guards it "
               "is held.",
    .why = "A sync.RWMutex lets any number of readers hold its read lock at once: that is its point. A write "
           "made under RLock (`s.n++`, `s.m[k] = v`, `delete(s.m, k)`, `s.items = append(s.items, x)`) is therefore "
           "not alone: every other goroutine inside an RLock section of the same value runs with it, and two "
           "callers of the method race on the write. Counters lose increments, slices lose appends, and a map "
           "written by two readers aborts the program with \"fatal error: concurrent map writes\", which recover "
           "cannot catch. The race detector sees it only when a test runs two readers at once. godark reports a "
           "write to a field of the value whose RWMutex is read-held on every path here (a field `mu` of the same "
           "struct, an embedded RWMutex, through fields held by value) and not write-held, and a package variable "
           "written under a package RWMutex's read lock. It stays silent when a write lock is also held (a "
           "two-level scheme: the read lock for the table, a plain mutex for the entry), for sync and atomic "
           "types, channel sends, locals and values made in the function, writes inside func literals such as "
           "once.Do, and the double-checked upgrade (RUnlock, Lock, check again, write). Low confidence: the "
           "write lock is taken in the package only by Close or Stop (the read lock then only keeps Close out of "
           "a value with one user, as database/sql's Rows and iterators do), never at all, or a comment on the "
           "function or field says it is not run concurrently (\"externally synchronized\"), or the write is in "
           "a test file (a test's fake, whose callbacks mostly run on the test's own goroutine).",
    .bad = "package p\n\nimport \"sync\"\n\ntype Cache struct {\n\tmu    sync.RWMutex\n"
           "\titems map[string]string\n\thits  int\n}\n\nfunc (c *Cache) Get(k string) (string, bool) {\n"
           "\tc.mu.RLock()\n\tdefer c.mu.RUnlock()\n\tv, ok := c.items[k]\n\tif ok {\n\t\tc.hits++\n\t}\n"
           "\treturn v, ok\n}\n\nfunc (c *Cache) Put(k, v string) {\n\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n"
           "\tc.items[k] = v\n}\n",
    .good = "package p\n\nimport (\n\t\"sync\"\n\t\"sync/atomic\"\n)\n\ntype Cache struct {\n"
            "\tmu    sync.RWMutex\n\titems map[string]string\n\thits  atomic.Int64\n}\n\n"
            "func (c *Cache) Get(k string) (string, bool) {\n\tc.mu.RLock()\n\tdefer c.mu.RUnlock()\n"
            "\tv, ok := c.items[k]\n\tif ok {\n\t\tc.hits.Add(1)\n\t}\n\treturn v, ok\n}\n\n"
            "func (c *Cache) Put(k, v string) {\n\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n\tc.items[k] = v\n}\n",
    .fix_safety = "Taking Lock instead of RLock serialises the readers of that method; when the write is a counter "
                  "or a flag, an atomic field keeps the read path shared.",
    .kinds = {N_FUNCTION_DECLARATION, N_METHOD_DECLARATION, N_FUNC_LITERAL},
    .visit = visit,
};
