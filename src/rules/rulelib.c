/* rules/rulelib: helpers shared by several rules. Every walk here is a
 * loop over the pre-order node array or an ancestor chain, never recursion. */
#include "rulelib.h"

#include <strings.h>

#include "../check/check.h"
#include "../model/objects.h"

bool rl_is_stmt_kind(enum node_kind k)
{
    switch (k) {
    case N_ASSIGNMENT_STATEMENT:
    case N_SHORT_VAR_DECLARATION:
    case N_INC_STATEMENT:
    case N_DEC_STATEMENT:
    case N_EXPRESSION_STATEMENT:
    case N_SEND_STATEMENT:
    case N_RECEIVE_STATEMENT:
    case N_EMPTY_STATEMENT:
    case N_LABELED_STATEMENT:
    case N_BREAK_STATEMENT:
    case N_CONTINUE_STATEMENT:
    case N_GOTO_STATEMENT:
    case N_FALLTHROUGH_STATEMENT:
    case N_RETURN_STATEMENT:
    case N_GO_STATEMENT:
    case N_DEFER_STATEMENT:
    case N_IF_STATEMENT:
    case N_FOR_STATEMENT:
    case N_EXPRESSION_SWITCH_STATEMENT:
    case N_TYPE_SWITCH_STATEMENT:
    case N_SELECT_STATEMENT:
    case N_BLOCK:
    case N_VAR_DECLARATION:
    case N_CONST_DECLARATION:
    case N_TYPE_DECLARATION:
        return true;
    default:
        return false;
    }
}

nid rl_first_stmt(const struct gofile *f, nid n)
{
    switch (ast_kind(f, n)) {
    case N_STATEMENT_LIST:
        return ast_first_child(f, n);
    case N_BLOCK:
    case N_EXPRESSION_CASE:
    case N_TYPE_CASE:
    case N_DEFAULT_CASE:
    case N_COMMUNICATION_CASE:
        AST_FOR_CHILDREN(f, n, c)
        {
            if (ast_kind(f, c) == N_STATEMENT_LIST) return ast_first_child(f, c);
            /* a case clause may hold statements directly */
            if (f->nodes[c].field == F_NONE && rl_is_stmt_kind(ast_kind(f, c)) && ast_kind(f, n) != N_BLOCK)
                return c;
        }
        return 0;
    default:
        return 0;
    }
}

bool rl_stmts_empty(const struct gofile *f, nid n)
{
    for (nid s = rl_first_stmt(f, n); s; s = ast_next(f, s))
        if (ast_kind(f, s) != N_EMPTY_STATEMENT) return false;
    return true;
}

bool rl_is_path(const struct gofile *f, nid e)
{
    for (int guard = 0; e && guard < 64; guard++) {
        e = ast_unparen(f, e);
        switch (ast_kind(f, e)) {
        case N_IDENTIFIER:
            return true;
        case N_SELECTOR_EXPRESSION:
            e = ast_child(f, e, F_OPERAND);
            continue;
        default:
            return false;
        }
    }
    return false;
}

nid rl_path_root(const struct gofile *f, nid e)
{
    for (int guard = 0; e && guard < 64; guard++) {
        e = ast_unparen(f, e);
        switch (ast_kind(f, e)) {
        case N_IDENTIFIER:
            return e;
        case N_SELECTOR_EXPRESSION:
            e = ast_child(f, e, F_OPERAND);
            continue;
        default:
            return 0;
        }
    }
    return 0;
}

/* Same names along two paths; the roots by text. */
static bool path_text_eq(const struct gofile *f, nid a, nid b)
{
    for (int guard = 0; a && b && guard < 64; guard++) {
        a = ast_unparen(f, a), b = ast_unparen(f, b);
        enum node_kind ka = ast_kind(f, a), kb = ast_kind(f, b);
        if (ka != kb) return false;
        if (ka == N_IDENTIFIER) return str_eqs(ast_text(f, a), ast_text(f, b));
        if (ka != N_SELECTOR_EXPRESSION) return false;
        if (!str_eqs(ast_text(f, ast_child(f, a, F_FIELD)), ast_text(f, ast_child(f, b, F_FIELD)))) return false;
        a = ast_child(f, a, F_OPERAND), b = ast_child(f, b, F_OPERAND);
    }
    return false;
}

bool rl_same_path(const struct pkg *p, int fi, nid a, nid b)
{
    const struct gofile *f = &p->files[fi];
    if (!rl_is_path(f, a) || !rl_is_path(f, b) || !path_text_eq(f, a, b)) return false;
    nid ra = rl_path_root(f, a), rb = rl_path_root(f, b);
    nid da = 0, na = 0, db = 0, nb = 0;
    bool la = model_resolve_local(p, fi, ra, &da, &na), lb = model_resolve_local(p, fi, rb, &db, &nb);
    if (la != lb) return false;
    return !la || na == nb;
}

bool rl_path_has_prefix(const struct gofile *f, nid path, nid prefix)
{
    for (int guard = 0; path && guard < 64; guard++) {
        path = ast_unparen(f, path);
        if (path_text_eq(f, path, prefix)) return true;
        if (ast_kind(f, path) != N_SELECTOR_EXPRESSION) return false;
        path = ast_child(f, path, F_OPERAND);
    }
    return false;
}

nid rl_enclosing_loop(const struct gofile *f, nid n)
{
    nid child = n;
    for (nid a = ast_parent(f, n); a; child = a, a = ast_parent(f, a)) {
        switch (ast_kind(f, a)) {
        case N_FUNC_LITERAL:
        case N_FUNCTION_DECLARATION:
        case N_METHOD_DECLARATION:
            return 0;
        case N_FOR_STATEMENT:
            if (f->nodes[child].field == F_BODY) return a;
            break;
        default:
            break;
        }
    }
    return 0;
}

nid rl_for_body(const struct gofile *f, nid loop) { return ast_child(f, loop, F_BODY); }

bool rl_loop_is_infinite(const struct gofile *f, nid loop)
{
    AST_FOR_CHILDREN(f, loop, c)
    {
        if (f->nodes[c].field == F_BODY) continue;
        switch (ast_kind(f, c)) {
        case N_RANGE_CLAUSE:
            return false;
        case N_FOR_CLAUSE:
            if (ast_child(f, c, F_CONDITION)) {
                nid cond = ast_unparen(f, ast_child(f, c, F_CONDITION));
                if (ast_kind(f, cond) != N_TRUE) return false;
            }
            break;
        default: {
            nid cond = ast_unparen(f, c);
            if (ast_kind(f, cond) != N_TRUE) return false;
            /* `true` may be shadowed by a local or package-level name */
            break;
        }
        }
    }
    return true;
}

bool rl_field_is_embedded_ptr(const struct gofile *f, nid fd)
{
    return ast_kind(f, fd) == N_FIELD_DECLARATION && !ast_child(f, fd, F_NAME) && f->nodes[fd].op == OP_MUL;
}

bool rl_type_declared_twice(const struct pkg *p, const char *name)
{
    int n = 0;
    for (int i = 0; i < p->ndecls; i++)
        if (p->decls[i].what == PD_TYPE && !strcmp(p->decls[i].name, name) && ++n > 1) return true;
    return false;
}

static const char *const lock_names[] = {"Mutex", "RWMutex", "WaitGroup", "Once", "Cond"};
static const char *const lock_full[] = {"sync.Mutex", "sync.RWMutex", "sync.WaitGroup", "sync.Once", "sync.Cond"};
/* the sync/atomic types that hold a noCopy (vet's copylocks reports their copies) */
static const char *const atomic_names[] = {"Bool", "Int32", "Int64", "Uint32", "Uint64", "Uintptr", "Pointer"};
static const char *const atomic_full[] = {"atomic.Bool",  "atomic.Int32",   "atomic.Int64",  "atomic.Uint32",
                                          "atomic.Uint64", "atomic.Uintptr", "atomic.Pointer"};

/* Is method `name` of package type `type_name` declared, on a pointer
 * receiver? */
static bool pointer_method(const struct pkg *p, const char *type_name, const char *name)
{
    const struct pkg_decl *d = pkg_lookup_method(p, type_name, (struct str){name, strlen(name)});
    if (!d) return false;
    const struct gofile *f = &p->files[d->file];
    nid recv = ast_child(f, d->node, F_RECEIVER);
    nid pd = recv ? ast_first_child(f, recv) : 0;
    nid ty = pd ? ast_child(f, pd, F_TYPE) : 0;
    return ty && ast_kind(f, ast_unparen(f, ty)) == N_POINTER_TYPE;
}

/* Does struct type st (of this package) hold only references (pointers,
 * interfaces, maps, chans, funcs, slices, strings), and at least one:
 * a Locker whose state lives elsewhere (a file lock holding *os.File)? */
static bool holds_only_references(struct pkg *p, const struct ltype *st)
{
    if (!st || st->kind != LT_STRUCT || st->decl_file < 0) return false;
    const struct gofile *f = &p->files[st->decl_file];
    nid list = ast_first_child(f, st->decl);
    if (!list) return false;
    int n = 0;
    AST_FOR_CHILDREN(f, list, fd)
    {
        if (ast_kind(f, fd) != N_FIELD_DECLARATION) continue;
        n++;
        if (rl_field_is_embedded_ptr(f, fd)) continue;
        nid ty = ast_child(f, fd, F_TYPE);
        struct ltype *ft = model_underlying(p, model_type_from_expr(p, st->decl_file, ty));
        if (!ft) return false;
        switch (ft->kind) {
        case LT_POINTER:
        case LT_SLICE:
        case LT_MAP:
        case LT_CHAN:
        case LT_FUNC:
        case LT_INTERFACE:
            continue;
        case LT_NAMED:
            if (!strcmp(ft->pkgpath, "builtin") && (!strcmp(ft->name, "string") || !strcmp(ft->name, "error")))
                continue;
            return false;
        default:
            return false;
        }
    }
    return n > 0;
}

/* Exported struct types of the standard library that hold a lock, a
 * WaitGroup, Once, Cond, Pool, Map or a typed atomic by value (the first
 * one found, as vet's copylocks names it): copying one (`c := *tlsConfig`)
 * copies that. Computed with go/types over `go list std` of Go 1.26
 * (internal and vendored packages left out); atomic.Value holds no noCopy
 * and is not counted. */
static const struct {
    const char *pkgpath, *name, *lock;
} std_nocopy[] = {
    {"archive/zip", "ReadCloser", "sync.Once"},
    {"archive/zip", "Reader", "sync.Once"},
    {"crypto/tls", "Config", "sync.RWMutex"},
    {"crypto/tls", "Conn", "atomic.Bool"},
    {"database/sql", "Conn", "sync.RWMutex"},
    {"database/sql", "DB", "atomic.Int64"},
    {"database/sql", "Rows", "atomic.Pointer"},
    {"database/sql", "Stmt", "sync.RWMutex"},
    {"database/sql", "Tx", "sync.RWMutex"},
    {"debug/gosym", "LineTable", "sync.Mutex"},
    {"encoding/gob", "Decoder", "sync.Mutex"},
    {"encoding/gob", "Encoder", "sync.Mutex"},
    {"expvar", "Float", "atomic.Uint64"},
    {"expvar", "Int", "atomic.Int64"},
    {"expvar", "Map", "sync.Map"},
    {"go/token", "File", "sync.Mutex"},
    {"go/token", "FileSet", "sync.RWMutex"},
    {"go/types", "Context", "sync.Mutex"},
    {"go/types", "Named", "sync.Mutex"},
    {"io", "PipeReader", "sync.Mutex"},
    {"io", "PipeWriter", "sync.Mutex"},
    {"log", "Logger", "sync.Mutex"},
    {"log/slog", "LevelVar", "atomic.Int64"},
    {"log/syslog", "Writer", "sync.Mutex"},
    {"net", "Resolver", "sync.Mutex"},
    {"net", "UnixListener", "sync.Once"},
    {"net/http", "ClientConn", "sync.Mutex"},
    {"net/http", "CrossOriginProtection", "atomic.Pointer"},
    {"net/http", "ServeMux", "sync.RWMutex"},
    {"net/http", "Server", "atomic.Bool"},
    {"net/http", "Transport", "sync.Mutex"},
    {"net/http/cookiejar", "Jar", "sync.Mutex"},
    {"net/http/httptest", "Server", "sync.WaitGroup"},
    {"net/http/httputil", "ClientConn", "sync.Mutex"},
    {"net/http/httputil", "ServerConn", "sync.Mutex"},
    {"net/rpc", "Client", "sync.Mutex"},
    {"net/rpc", "Server", "sync.Map"},
    {"net/textproto", "Conn", "sync.Mutex"},
    {"net/textproto", "Pipeline", "sync.Mutex"},
    {"os", "Process", "atomic.Uint32"},
    {"runtime/pprof", "Profile", "sync.Mutex"},
    {"runtime/trace", "FlightRecorder", "sync.Mutex"},
    {"strings", "Replacer", "sync.Once"},
    {"testing", "B", "sync.RWMutex"},
    {"testing", "F", "sync.RWMutex"},
    {"testing", "M", "sync.Once"},
    {"testing", "T", "sync.RWMutex"},
};

/* The lock a standard-library type holds by value (std_nocopy), or NULL. */
static const char *std_nocopy_lock(const char *pkgpath, const char *name)
{
    for (size_t i = 0; i < GD_ARRAY_LEN(std_nocopy); i++)
        if (!strcmp(std_nocopy[i].pkgpath, pkgpath) && !strcmp(std_nocopy[i].name, name)) return std_nocopy[i].lock;
    return NULL;
}

static const char *const wide_names[] = {"Pool", "Map"};
static const char *const wide_full[] = {"sync.Pool", "sync.Map"};

static const char *lock_in_type(struct pkg *p, const struct ltype *t, bool wide, bool *weak)
{
    /* breadth-first, fields in declaration order: the message names the
     * outermost lock first */
    const struct ltype *queue[64];
    int qn = 0, qi = 0;
    if (weak) *weak = false;
    if (!t) return NULL;
    queue[qn++] = t;
    while (qi < qn) {
        const struct ltype *x = queue[qi++];
        if (!x) continue;
        switch (x->kind) {
        case LT_NAMED:
            if (!strcmp(x->pkgpath, "sync")) {
                for (size_t i = 0; i < GD_ARRAY_LEN(lock_names); i++)
                    if (!strcmp(x->name, lock_names[i])) return lock_full[i];
                for (size_t i = 0; wide && i < GD_ARRAY_LEN(wide_names); i++)
                    if (!strcmp(x->name, wide_names[i])) return wide_full[i];
                continue;
            }
            if (!strcmp(x->pkgpath, "sync/atomic")) {
                for (size_t i = 0; i < GD_ARRAY_LEN(atomic_names); i++)
                    if (!strcmp(x->name, atomic_names[i])) return atomic_full[i];
                continue;
            }
            if (strcmp(x->pkgpath, "") != 0) {
                const char *l = wide ? std_nocopy_lock(x->pkgpath, x->name) : NULL;
                if (l) return l;
                continue;
            }
            if (rl_type_declared_twice(p, x->name)) return NULL; /* build-tagged variants: unknown */
            {
                struct ltype *u = model_underlying(p, (struct ltype *)x);
                /* vet's convention: Lock and Unlock on *T, not on T (a
                 * noCopy marker, a spin lock); an embedded lock's
                 * promoted methods are found through the fields */
                if (wide && u && u->kind == LT_STRUCT && pointer_method(p, x->name, "Lock") &&
                    pointer_method(p, x->name, "Unlock")) {
                    if (weak) *weak = holds_only_references(p, u);
                    return x->name;
                }
                if (u && u != x && (u->kind != LT_NAMED || strcmp(u->pkgpath, "") != 0) && qn < 64) queue[qn++] = u;
            }
            break;
        case LT_ARRAY:
            if (x->len != 0 && qn < 64) queue[qn++] = x->elem;
            break;
        case LT_STRUCT: {
            if (x->decl_file < 0) continue;
            const struct gofile *f = &p->files[x->decl_file];
            nid list = ast_first_child(f, x->decl);
            if (!list) continue;
            AST_FOR_CHILDREN(f, list, fd)
            {
                if (ast_kind(f, fd) != N_FIELD_DECLARATION) continue;
                if (rl_field_is_embedded_ptr(f, fd)) continue;
                nid ty = ast_child(f, fd, F_TYPE);
                if (!ty) continue;
                struct ltype *ft = model_type_from_expr(p, x->decl_file, ty);
                if (ft && qn < 64) queue[qn++] = ft;
            }
            break;
        }
        default:
            break;
        }
    }
    return NULL;
}

const char *rl_lock_in_type(struct pkg *p, const struct ltype *t) { return lock_in_type(p, t, false, NULL); }

const char *rl_nocopy_in_type(struct pkg *p, const struct ltype *t, bool *weak)
{
    return lock_in_type(p, t, true, weak);
}

/* --- Helpers added with the timer, context and channel-buffer rules
 * (GD501-GD504, GD201). rl_terminates recurses only along nested compound
 * statements and is bounded by TERM_DEPTH. --- */

#define TERM_DEPTH 48

/* The statement an unlabeled break (for_only: continue) at k refers to: the
 * nearest enclosing for (or switch, select), or 0 at a function boundary. */
nid rl_jump_target(const struct gofile *f, nid k, bool for_only)
{
    for (nid a = ast_parent(f, k); a; a = ast_parent(f, a)) {
        switch (ast_kind(f, a)) {
        case N_FOR_STATEMENT:
            return a;
        case N_EXPRESSION_SWITCH_STATEMENT:
        case N_TYPE_SWITCH_STATEMENT:
        case N_SELECT_STATEMENT:
            if (!for_only) return a;
            break;
        case N_FUNC_LITERAL:
        case N_FUNCTION_DECLARATION:
        case N_METHOD_DECLARATION:
            return 0;
        default:
            break;
        }
    }
    return 0;
}

bool rl_has_break_to(const struct gofile *f, nid st)
{
    nid par = ast_parent(f, st);
    nid label = ast_kind(f, par) == N_LABELED_STATEMENT ? ast_child(f, par, F_LABEL) : 0;
    for (nid k = st + 1; k < f->nodes[st].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk != N_BREAK_STATEMENT) continue;
        nid lab = ast_first_child(f, k);
        if (lab) {
            if (label && str_eqs(ast_text(f, lab), ast_text(f, label))) return true;
        } else if (rl_jump_target(f, k, false) == st) {
            return true;
        }
    }
    return false;
}

static bool term(const struct pkg *p, int fi, nid n, int depth);

/* The last statement of a block, statement_list or case clause that is not
 * an empty statement, or 0. */
static nid last_stmt(const struct gofile *f, nid n)
{
    nid last = 0;
    for (nid s = rl_first_stmt(f, n); s; s = ast_next(f, s))
        if (ast_kind(f, s) != N_EMPTY_STATEMENT) last = s;
    return last;
}

static bool list_term(const struct pkg *p, int fi, nid n, int depth)
{
    nid last = last_stmt(&p->files[fi], n);
    return last && term(p, fi, last, depth + 1);
}

static bool term(const struct pkg *p, int fi, nid n, int depth)
{
    const struct gofile *f = &p->files[fi];
    if (depth > TERM_DEPTH) return true;
    switch (ast_kind(f, n)) {
    case N_RETURN_STATEMENT:
    case N_GOTO_STATEMENT:
        return true;
    case N_EXPRESSION_STATEMENT:
        return model_is_noreturn_call(p, fi, ast_unparen(f, ast_first_child(f, n)));
    case N_BLOCK:
    case N_STATEMENT_LIST:
    case N_EXPRESSION_CASE:
    case N_TYPE_CASE:
    case N_DEFAULT_CASE:
    case N_COMMUNICATION_CASE:
        return list_term(p, fi, n, depth);
    case N_LABELED_STATEMENT:
        AST_FOR_CHILDREN(f, n, c)
        if (f->nodes[c].field != F_LABEL) return term(p, fi, c, depth + 1);
        return false;
    case N_IF_STATEMENT: {
        nid cons = ast_child(f, n, F_CONSEQUENCE), alt = ast_child(f, n, F_ALTERNATIVE);
        return cons && alt && term(p, fi, cons, depth + 1) && term(p, fi, alt, depth + 1);
    }
    case N_FOR_STATEMENT: {
        if (rl_has_break_to(f, n)) return false;
        if (rl_loop_is_infinite(f, n)) return true;
        AST_FOR_CHILDREN(f, n, c)
        {
            if (ast_kind(f, c) != N_RANGE_CLAUSE) continue;
            /* a range over a channel ends only when the channel is closed */
            struct ltype *t = model_type_of((struct pkg *)p, fi, ast_child(f, c, F_RIGHT));
            t = model_underlying((struct pkg *)p, t);
            return !t || t->kind == LT_CHAN || (t->kind == LT_NAMED && strcmp(t->pkgpath, "builtin"));
        }
        return false;
    }
    case N_EXPRESSION_SWITCH_STATEMENT:
    case N_TYPE_SWITCH_STATEMENT: {
        if (rl_has_break_to(f, n)) return false;
        bool has_default = false;
        AST_FOR_CHILDREN(f, n, c)
        {
            enum node_kind ck = ast_kind(f, c);
            if (ck != N_EXPRESSION_CASE && ck != N_TYPE_CASE && ck != N_DEFAULT_CASE) continue;
            if (ck == N_DEFAULT_CASE) has_default = true;
            nid last = last_stmt(f, c);
            if (last && ast_kind(f, last) == N_FALLTHROUGH_STATEMENT) continue;
            if (!list_term(p, fi, c, depth)) return false;
        }
        return has_default;
    }
    case N_SELECT_STATEMENT: {
        if (rl_has_break_to(f, n)) return false;
        AST_FOR_CHILDREN(f, n, c)
        {
            enum node_kind ck = ast_kind(f, c);
            if ((ck == N_COMMUNICATION_CASE || ck == N_DEFAULT_CASE) && !list_term(p, fi, c, depth)) return false;
        }
        return true;
    }
    default:
        return false;
    }
}

bool rl_terminates(const struct pkg *p, int fi, nid n) { return term(p, fi, n, 0); }

bool rl_func_can_return_after(const struct pkg *p, int fi, nid fn, nid from)
{
    const struct gofile *f = &p->files[fi];
    nid body = ast_child(f, fn, F_BODY);
    if (!body) return true;
    for (nid k = body + 1; k < f->nodes[body].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk != N_RETURN_STATEMENT) continue;
        if (!from || f->nodes[k].start_byte >= f->nodes[from].end_byte || ast_contains(f, k, from)) return true;
        for (nid a = ast_parent(f, k); a && a != fn; a = ast_parent(f, a))
            if (ast_kind(f, a) == N_FOR_STATEMENT && ast_contains(f, a, from)) return true;
    }
    return !rl_terminates(p, fi, body);
}

bool rl_func_can_return(const struct pkg *p, int fi, nid fn) { return rl_func_can_return_after(p, fi, fn, 0); }

enum rl_timer_regime rl_timer_regime(const struct pkg *p, int fi)
{
    int maj, min;
    model_go_version(p, fi, &maj, &min, NULL);
    if (min < 0) return RL_TIMERS_UNKNOWN;
    if (maj == 1 && min < 23) return RL_TIMERS_OLD;
    if (maj < 1) return RL_TIMERS_OLD;
    return p->name && !strcmp(p->name, "main") ? RL_TIMERS_NEW_MAIN : RL_TIMERS_NEW_LIB;
}

const char *rl_go_version_text(struct pkg *p, int fi)
{
    int maj, min;
    const char *from;
    model_go_version(p, fi, &maj, &min, &from);
    if (min < 0) return "no go.mod, vendor.mod or go.work found";
    if (!strcmp(from, "//go:build")) return arena_printf(&p->arena, "the file's //go:build line says go%d.%d", maj, min);
    return arena_printf(&p->arena, "%s says go %d.%d", from, maj, min);
}

bool rl_ident_is_written(const struct gofile *f, nid id)
{
    nid list = ast_parent(f, id);
    if (ast_kind(f, list) != N_EXPRESSION_LIST || f->nodes[list].field != F_LEFT) return false;
    nid st = ast_parent(f, list);
    enum node_kind k = ast_kind(f, st);
    if (k == N_SHORT_VAR_DECLARATION) return true;
    if (k == N_ASSIGNMENT_STATEMENT) return f->nodes[st].op == OP_ASSIGN;
    if (k == N_RANGE_CLAUSE || k == N_RECEIVE_STATEMENT) return true;
    return false;
}

bool rl_is_test_file(const struct gofile *f)
{
    return pkg_is_test_file(f);
}

bool rl_in_dir(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    for (const char *q = path; (q = strstr(q, dir)) != NULL; q += n)
        if ((q == path || q[-1] == '/') && q[n] == '/') return true;
    return false;
}

bool rl_literal_called_in_place(const struct gofile *f, nid lit)
{
    nid e = lit, par = ast_parent(f, lit);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) e = par, par = ast_parent(f, par);
    return ast_kind(f, par) == N_CALL_EXPRESSION && ast_child(f, par, F_FUNCTION) == e;
}

bool rl_ident_is_decl_name(const struct gofile *f, nid id)
{
    if (f->nodes[id].field != F_NAME) return false;
    enum node_kind k = ast_kind(f, ast_parent(f, id));
    return k == N_VAR_SPEC || k == N_CONST_SPEC || k == N_PARAMETER_DECLARATION ||
           k == N_VARIADIC_PARAMETER_DECLARATION;
}

const char *rl_ctx_cancel_call(const struct pkg *p, int fi, nid call)
{
    static const char *const funcs[] = {
        "WithCancel", "WithTimeout", "WithDeadline", "WithCancelCause", "WithTimeoutCause", "WithDeadlineCause",
    };
    for (size_t i = 0; i < GD_ARRAY_LEN(funcs); i++)
        if (model_is_call(p, fi, call, "context", funcs[i])) return funcs[i];
    return NULL;
}

nid rl_second_assigned(const struct gofile *f, nid call, nid *st)
{
    nid par = ast_parent(f, call);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) par = ast_parent(f, par);
    if (ast_kind(f, par) != N_EXPRESSION_LIST || f->nodes[par].field == F_LEFT || ast_child_count(f, par) != 1)
        return 0;
    *st = ast_parent(f, par);
    enum node_kind sk = ast_kind(f, *st);
    if (sk == N_SHORT_VAR_DECLARATION || (sk == N_ASSIGNMENT_STATEMENT && f->nodes[*st].op == OP_ASSIGN)) {
        nid left = ast_child(f, *st, F_LEFT);
        return ast_child_count(f, left) == 2 ? ast_nth_child(f, left, 1) : 0;
    }
    if (sk != N_VAR_SPEC) return 0;
    unsigned i = 0;
    nid second = 0;
    AST_FOR_CHILDREN(f, *st, c) if (f->nodes[c].field == F_NAME && i++ == 1) second = c;
    return i == 2 ? second : 0;
}

bool rl_ident_is_blank_assigned(const struct gofile *f, nid k)
{
    nid right = ast_parent(f, k);
    if (ast_kind(f, right) != N_EXPRESSION_LIST || f->nodes[right].field != F_RIGHT) return false;
    nid st = ast_parent(f, right);
    if (ast_kind(f, st) != N_ASSIGNMENT_STATEMENT || f->nodes[st].op != OP_ASSIGN) return false;
    unsigned idx = 0;
    AST_FOR_CHILDREN(f, right, c)
    {
        if (c == k) break;
        idx++;
    }
    nid l = ast_nth_child(f, ast_child(f, st, F_LEFT), idx);
    return l && ast_text_is(f, l, "_");
}

bool rl_private_class(const struct obj_class *c, int k)
{
    return (int)c->kind == k && !c->open && c->field.n && c->field.p[0] >= 'a' && c->field.p[0] <= 'z';
}

/* Is the function around op (a declaration, through func literals) dead
 * code: its name appears nowhere else in the package, and nothing outside
 * can call it (unexported, or a method of a test file's fake)? */
bool rl_in_uncalled_func(const struct pkg *p, int fi, nid op)
{
    const struct gofile *f = &p->files[fi];
    nid fn = model_enclosing_decl(f, op);
    if (!fn) return false;
    nid nm = ast_child(f, fn, F_NAME);
    struct str name = ast_text(f, nm);
    if (!name.n || (!(name.p[0] >= 'a' && name.p[0] <= 'z') && !rl_is_test_file(f))) return false;
    for (int i = 0; i < p->nfiles; i++) {
        const struct gofile *g = &p->files[i];
        for (nid k = 1; k < g->nnodes; k++) {
            enum node_kind kk = ast_kind(g, k);
            if (kk != N_IDENTIFIER && kk != N_FIELD_IDENTIFIER) continue;
            if (i == fi && k == nm) continue;
            if (str_eqs(ast_text(g, k), name)) return false;
        }
    }
    return true;
}

const struct obj_class *rl_idle_cancel_field(struct pkg *p, int fi, nid sel, const struct obj_use **dead_call)
{
    const struct obj_model *m = objects_of(p);
    const struct obj_class *c = objects_class_at(m, fi, sel);
    if (dead_call) *dead_call = NULL;
    if (!c || !rl_private_class(c, OBJ_CANCEL)) return NULL;
    for (int k = 0; k < c->nuses; k++) {
        const struct obj_use *u = &c->uses[k];
        /* a call in a function nothing can call (an unexported Close never
         * named anywhere else) runs no more than no call */
        if (u->op == OO_CANCEL && rl_in_uncalled_func(p, u->fi, u->node)) {
            if (dead_call) *dead_call = u;
            continue;
        }
        if (u->op != OO_MAKE && u->op != OO_NEUTRAL) return NULL; /* called, returned, handed on */
    }
    /* `lt := p.lifetime.Swap(nil); lt.cancel()` through a generic
     * atomic.Pointer: the model does not know lt's type */
    for (int gi = 0; gi < p->nfiles; gi++) {
        const struct gofile *g = &p->files[gi];
        for (nid k = 1; k < g->nnodes; k++) {
            if (g->nodes[k].kind != N_SELECTOR_EXPRESSION || !str_eqs(ast_text(g, ast_child(g, k, F_FIELD)), c->field))
                continue;
            if (objects_class_at(m, gi, k) == c) continue;
            if (!ltype_own_name(model_type_of(p, gi, ast_child(g, k, F_OPERAND)))) return NULL;
        }
    }
    return c;
}

nid rl_literal_key_of(const struct gofile *f, nid scope, nid decl_name)
{
    struct str nm = ast_text(f, decl_name);
    nid key = 0;
    for (nid k = scope + 1; k < f->nodes[scope].end; k++) {
        if (k == decl_name || ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), nm)) continue;
        nid el = ast_parent(f, k), ke = ast_parent(f, el);
        if (f->nodes[el].field == F_KEY) continue; /* the key of a literal element, not a read */
        if (key || f->nodes[el].field != F_VALUE || ast_kind(f, ke) != N_KEYED_ELEMENT) return 0;
        key = ast_first_child(f, ast_child(f, ke, F_KEY));
    }
    return key;
}

bool rl_class_use_in_file(const struct rule_ctx *ctx, const struct obj_class *c, int op)
{
    for (int k = 0; k < c->nuses; k++)
        if (c->uses[k].op == op && c->uses[k].fi == ctx->fi) return true;
    return false;
}

void rl_report_class_waits(struct rule_ctx *ctx, const struct obj_class *c, const char *verb, const char *reason,
                           const char *fix_pre, const char *fix_post)
{
    for (int k = 0; k < c->nuses; k++) {
        const struct obj_use *u = &c->uses[k];
        if (u->op != OO_WAIT || u->fi != ctx->fi) continue;
        /* without the test files a test that wakes it is not seen */
        enum confidence conf = rl_is_test_file(ctx->f) || (ctx->opts && !ctx->opts->tests) ? CONF_LOW : CONF_HIGH;
        struct str x = ast_text(ctx->f, u->node);
        if (x.n > 60) x.n = 60;
        struct finding *fd = rule_report_conf(ctx, ast_parent(ctx->f, u->node), conf, "%.*s.Wait %s forever: %s", (int)x.n,
                                              x.p, verb, reason);
        if (fd) fd->fix = xasprintf("%s%.*s%s", fix_pre, (int)x.n, x.p, fix_post);
    }
}

bool rl_pkg_has_error(const struct pkg *p)
{
    for (int i = 0; i < p->nfiles; i++)
        if (p->files[i].has_error) return true;
    return false;
}

const struct obj_model *rl_objects(const struct rule_ctx *ctx)
{
    return rl_pkg_has_error(ctx->pkg) ? NULL : objects_of(ctx->pkg);
}

void rl_each_private_class(struct rule_ctx *ctx, int k, void (*fn)(struct rule_ctx *ctx, const struct obj_class *c))
{
    const struct obj_model *m = rl_objects(ctx);
    for (int i = 0; m && i < m->n; i++) {
        const struct obj_class *c = &m->classes[i];
        if (!rl_private_class(c, k)) continue;
        for (int u = 0; u < c->nuses; u++)
            if (c->uses[u].fi == ctx->fi) {
                fn(ctx, c);
                break;
            }
    }
}

/* The communication case whose communication is op o, or 0. */
nid rl_comm_case(const struct gofile *f, nid o)
{
    nid x = o, par = ast_parent(f, o);
    if (ast_kind(f, par) == N_RECEIVE_STATEMENT || ast_kind(f, par) == N_EXPRESSION_STATEMENT) {
        x = par;
        par = ast_parent(f, par);
    }
    return ast_kind(f, par) == N_COMMUNICATION_CASE && f->nodes[x].field == F_COMMUNICATION ? par : 0;
}

/* The statement a labeled break or continue k jumps to (the labeled
 * statement's statement), or 0. */
static nid label_target(const struct gofile *f, nid k)
{
    nid lab = ast_first_child(f, k);
    for (nid a = ast_parent(f, k); a; a = ast_parent(f, a)) {
        enum node_kind ak = ast_kind(f, a);
        if (ak == N_FUNC_LITERAL || ak == N_FUNCTION_DECLARATION || ak == N_METHOD_DECLARATION) return 0;
        if (ak == N_LABELED_STATEMENT && str_eqs(ast_text(f, ast_child(f, a, F_LABEL)), ast_text(f, lab)))
            return ast_nth_child(f, a, 1);
    }
    return 0;
}

/* Does statement k leave loop `loop`: a return or goto, or a break (or
 * labeled continue) to a statement at or outside the loop? */
bool rl_leaves_loop(const struct gofile *f, nid k, nid loop)
{
    enum node_kind kk = ast_kind(f, k);
    if (kk == N_RETURN_STATEMENT || kk == N_GOTO_STATEMENT) return true;
    if (kk != N_BREAK_STATEMENT && kk != N_CONTINUE_STATEMENT) return false;
    nid t = ast_first_child(f, k) ? label_target(f, k) : kk == N_BREAK_STATEMENT ? rl_jump_target(f, k, false) : 0;
    if (!t) return false;
    return kk == N_CONTINUE_STATEMENT ? (t != loop && ast_contains(f, t, loop)) : ast_contains(f, t, loop);
}

/* The first statement of region (func literals passed over) that leaves
 * loop, or 0. */
nid rl_leaving_stmt(const struct gofile *f, nid region, nid loop)
{
    for (nid k = region; k < f->nodes[region].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (rl_leaves_loop(f, k, loop)) return k;
    }
    return 0;
}

/* Does region (func literals passed over) hold a continue of loop: an
 * unlabeled one whose loop is `loop`, or one labeled with loop's label? */
bool rl_continues_loop(const struct gofile *f, nid region, nid loop)
{
    for (nid k = region; k < f->nodes[region].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (ast_kind(f, k) != N_CONTINUE_STATEMENT) continue;
        nid t = ast_first_child(f, k) ? label_target(f, k) : rl_jump_target(f, k, true);
        if (t == loop) return true;
    }
    return false;
}

/* --- Helpers of the cond rules (GD408, GD409). --- */

static bool is_atomic_mutator(const struct gofile *f, nid m)
{
    static const char *const names[] = {"Store", "Add", "Swap", "CompareAndSwap", "And", "Or"};
    for (unsigned i = 0; i < GD_ARRAY_LEN(names); i++)
        if (ast_text_is(f, m, names[i])) return true;
    return false;
}

bool rl_expr_written(const struct pkg *p, int fi, nid e)
{
    const struct gofile *f = &p->files[fi];
    for (;;) {
        nid par = ast_parent(f, e);
        enum node_kind pk = ast_kind(f, par);
        if (pk == N_SELECTOR_EXPRESSION && f->nodes[e].field == F_OPERAND) {
            nid call = ast_parent(f, par);
            if (ast_kind(f, call) == N_CALL_EXPRESSION && f->nodes[par].field == F_FUNCTION)
                return is_atomic_mutator(f, ast_child(f, par, F_FIELD));
            e = par;
        } else if ((pk == N_INDEX_EXPRESSION && f->nodes[e].field == F_OPERAND) || pk == N_PARENTHESIZED_EXPRESSION) {
            e = par;
        } else {
            break;
        }
    }
    nid par = ast_parent(f, e);
    enum node_kind pk = ast_kind(f, par);
    if (pk == N_INC_STATEMENT || pk == N_DEC_STATEMENT) return true;
    if (pk == N_EXPRESSION_LIST && f->nodes[par].field == F_LEFT)
        return ast_kind(f, ast_parent(f, par)) == N_ASSIGNMENT_STATEMENT;
    if (pk == N_ARGUMENT_LIST && ast_first_child(f, par) == e) {
        nid call = ast_parent(f, par);
        return model_is_builtin_call(p, fi, call, "delete") || model_is_builtin_call(p, fi, call, "clear");
    }
    return false;
}

bool rl_mentions(const struct gofile *f, nid n, struct str name, bool fields)
{
    for (nid k = n; k && k < f->nodes[n].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if ((kk == N_IDENTIFIER || (fields && kk == N_FIELD_IDENTIFIER)) && str_eqs(ast_text(f, k), name)) return true;
    }
    return false;
}

struct str rl_call_name(const struct gofile *f, nid call)
{
    nid fn = ast_child(f, call, F_FUNCTION);
    if (ast_kind(f, fn) == N_SELECTOR_EXPRESSION) fn = ast_child(f, fn, F_FIELD);
    return ast_text(f, fn);
}

bool rl_calls_named(const struct gofile *f, nid n, struct str name)
{
    for (nid k = n; k && k < f->nodes[n].end; k++)
        if (ast_kind(f, k) == N_CALL_EXPRESSION && str_eqs(rl_call_name(f, k), name)) return true;
    return false;
}

bool rl_name_has_word(struct str name, const char *const *words, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (memmem(name.p, name.n, words[i], strlen(words[i]))) return true;
    return false;
}

const char *rl_base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

nid rl_receiver_name(const struct gofile *f, nid fn)
{
    if (ast_kind(f, fn) != N_METHOD_DECLARATION) return 0;
    nid pl = ast_child(f, fn, F_RECEIVER);
    nid pd = pl ? ast_first_child(f, pl) : 0;
    return pd ? ast_child(f, pd, F_NAME) : 0;
}

bool rl_in_once_do(const struct gofile *f, nid n)
{
    for (nid l = ast_ancestor(f, n, N_FUNC_LITERAL); l; l = ast_ancestor(f, l, N_FUNC_LITERAL)) {
        nid args = ast_parent(f, l);
        nid call = ast_kind(f, args) == N_ARGUMENT_LIST ? ast_parent(f, args) : 0;
        if (call && ast_kind(f, call) == N_CALL_EXPRESSION && str_eq(rl_call_name(f, call), "Do")) return true;
    }
    return false;
}

/* Is there a call of a method named ...lock or ...Lock (Lock, RLock,
 * TryLock, a helper's lock()), not ...Unlock, in fn before node at:
 * locking the dataflow may not see? */
bool rl_locks_before(const struct gofile *f, nid fn, nid at)
{
    for (nid k = fn; k < at; k++) {
        if (ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
        if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) continue;
        struct str m = ast_text(f, ast_child(f, fe, F_FIELD));
        if (m.n < 4 || strncasecmp(m.p + m.n - 4, "lock", 4)) continue;
        if (m.n >= 6 && !strncasecmp(m.p + m.n - 6, "unlock", 6)) continue;
        return true;
    }
    return false;
}

struct ltype *rl_param_type(struct pkg *p, int fi, nid fn, int k)
{
    const struct gofile *f = &p->files[fi];
    nid params = ast_child(f, fn, F_PARAMETERS);
    for (nid pd = params ? ast_first_child(f, params) : 0; pd; pd = ast_next(f, pd), k--)
        if (k == 0)
            return ast_kind(f, pd) == N_PARAMETER_DECLARATION ? model_type_from_expr(p, fi, ast_child(f, pd, F_TYPE))
                                                             : NULL;
    return NULL;
}

bool rl_same_text(const struct gofile *f, nid a, nid b)
{
    struct str x = ast_text(f, a), y = ast_text(f, b);
    size_t i = 0, j = 0;
    for (;;) {
        while (i < x.n && (x.p[i] == ' ' || x.p[i] == '\t' || x.p[i] == '\n' || x.p[i] == '\r')) i++;
        while (j < y.n && (y.p[j] == ' ' || y.p[j] == '\t' || y.p[j] == '\n' || y.p[j] == '\r')) j++;
        if (i == x.n || j == y.n) return i == x.n && j == y.n;
        if (x.p[i++] != y.p[j++]) return false;
    }
}

bool rl_comment_near(const struct gofile *f, uint32_t line, uint32_t above, const char *word)
{
    size_t wl = strlen(word);
    for (uint32_t i = 0; i < f->ncomments; i++) {
        const struct comment *c = &f->comments[i];
        if (c->end_line >= line || c->end_line + above < line) continue;
        if (memmem(f->src + c->start_byte, c->end_byte - c->start_byte, word, wl)) return true;
    }
    return false;
}
