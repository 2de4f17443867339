/* rules/inconsistent_field_locking: GD604. A struct field that is accessed
 * with the struct's mutex held almost everywhere (guarded-by inferred: at
 * least 3 accesses and 75 % of them hold the same lock of the same value,
 * and it is written under it at least once) is accessed here without it.
 * How: the lock dataflow records every access to a field of a struct type
 * with mutex fields, with the locks of the same object held on every path
 * (model/summary.c, match_field_facts). Constructors (New*, init), tests,
 * functions whose name or doc says the caller holds the lock, and methods
 * whose every call in the package holds it are not judged (all low).
 * Also, at default confidence: a ...Locked method called from a goroutine
 * that holds no lock there. */
#include <string.h>

#include "locklib.h"
#include "rulelib.h"

static void report(struct rule_ctx *ctx, const struct lock_issue *li)
{
    const struct gofile *f = ctx->f;
    struct str obj = ast_text(f, ast_child(f, li->at, F_OPERAND));
    if (obj.n > 40) obj.n = 40;
    /* inferred guards: low (see .why), whatever the dataflow's own grade */
    struct finding *fd = rule_report_conf(ctx, li->at, CONF_LOW,
                                     "%.*s.%s is %s here without holding %.*s.%s, which is held at %u of the %s "
                                     "accesses to it in the package (guarded-by inferred): this access races "
                                     "with the locked ones",
                                     (int)obj.n, obj.p, li->detail, li->other2, (int)obj.n, obj.p, li->what,
                                     li->rel_line2, li->other);
    fd->fix = xasprintf("lock %.*s.%s around this access, or document that the caller holds it (name the function "
                        "...Locked)",
                        (int)obj.n, obj.p, li->what);
}

/* A method named ...Locked (its caller holds the receiver's lock, by
 * contract) called from a goroutine that holds no lock: the body of a
 * `go func(){...}()` or a function the package starts with go. */
static void check_locked_call(struct rule_ctx *ctx, nid call)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION || !model_name_says_locked(ast_text(f, ast_child(f, fe, F_FIELD))))
        return;
    int d = model_callee(p, ctx->fi, call);
    if (d < 0 || p->decls[d].what != PD_METHOD) return;
    struct ltype *rt = model_type_of(p, ctx->fi, ast_child(f, fe, F_OPERAND));
    const char *lock = rl_lock_in_type(p, rt && rt->kind == LT_POINTER ? rt->elem : rt);
    if (!lock || (strcmp(lock, "sync.Mutex") && strcmp(lock, "sync.RWMutex"))) return;
    nid fn = model_enclosing_func(f, call);
    if (!fn) return;
    int go_fi = ctx->fi;
    nid go = 0;
    if (ast_kind(f, fn) == N_FUNC_LITERAL) {
        nid c = ast_parent(f, fn);
        if (ast_kind(f, c) == N_CALL_EXPRESSION && ast_kind(f, ast_parent(f, c)) == N_GO_STATEMENT) go = ast_parent(f, c);
    } else {
        /* a function the package starts with `go x.fn(...)` (its own
         * contract, when named ...Locked, puts the lock on its caller) */
        nid name = ast_child(f, fn, F_NAME);
        if (name && model_name_says_locked(ast_text(f, name))) return;
        go = model_start_site(p, ctx->fi, fn, &go_fi);
        const struct gofile *gf = &p->files[go_fi];
        nid gc = go && ast_kind(gf, go) == N_GO_STATEMENT ? ast_unparen(gf, ast_first_child(gf, go)) : 0;
        if (!gc || ast_kind(gf, gc) != N_CALL_EXPRESSION || model_callee(p, go_fi, gc) != pkg_decl_index(p, ctx->fi, fn))
            return;
    }
    if (!go) return;
    struct held_lock hl[4];
    if (model_locks_held_at(p, ctx->fi, fn, call, hl, 4) || rl_locks_before(f, fn, call)) return;
    struct str callee = ast_text(f, fe);
    if (callee.n > 60) callee.n = 60;
    struct finding *fd = rule_report_conf(ctx, call, CONF_HIGH,
                                          "%.*s is called from a goroutine that holds no lock, but its name says its "
                                          "caller holds the receiver's %s: the fields it reads and writes race with "
                                          "the methods that change them under that lock",
                                          (int)callee.n, callee.p, lock);
    rule_related_in(ctx, fd, p->decls[d].file, p->decls[d].node, "%s expects the lock held", p->decls[d].name);
    rule_related_in(ctx, fd, go_fi, go, "the goroutine starts here");
    fd->fix = xasprintf("take the lock around the call, or call the method's locking variant");
}

static void visit(struct rule_ctx *ctx, nid n)
{
    if (ast_kind(ctx->f, n) == N_CALL_EXPRESSION) {
        check_locked_call(ctx, n);
        return;
    }
    locklib_report(ctx, 1u << LI_UNGUARDED_FIELD, report);
}

const struct rule rule_inconsistent_field_locking = {
    .id = "GD604",
    .name = "inconsistent-field-locking",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A field guarded by a mutex almost everywhere is accessed without it here.",
    .why = "When a struct's field is read and written with the struct's mutex held in nearly every method, "
           "the mutex is what keeps those accesses from racing. One method that touches the field without the "
           "lock (often added later, or a getter thought harmless) races with all the others: reads can see "
           "torn or stale values, and maps or slices can be corrupted. The race detector finds it only when a "
           "test happens to run both at once. godark infers which lock guards a field from the package's own "
           "code: at least three accesses, at least 75 % of them with the same lock of the same value held on "
           "every path, and at least one write under it. It reports the other accesses, except in "
           "constructors (New*, init*), tests, functions named ...Locked or documented as called with the lock "
           "held, and methods that every caller in the package calls with the lock held. Its findings have low "
           "confidence (shown with --confidence low): on real code, most unguarded accesses turned out to be "
           "initialisation before the value is shared (Start methods, reset, once.Do) or readers that are "
           "the field's only writer, which a syntactic view cannot tell apart from races. One shape is "
           "certain and reported at default confidence: a method named ...Locked (by Go convention its caller "
           "holds the receiver's mutex) called from a goroutine, a `go func(){...}()` or a function the "
           "package starts with go, that holds no lock at the call: nothing can hold the lock for it, so "
           "every field the method touches races with the methods that change it under the lock.",
    .bad = "package p\n\nimport \"sync\"\n\ntype Stats struct {\n\tmu    sync.Mutex\n\thits  int\n\tmisses int\n}\n\n"
           "func (s *Stats) Hit() {\n\ts.mu.Lock()\n\ts.hits++\n\ts.mu.Unlock()\n}\n\n"
           "func (s *Stats) Miss() {\n\ts.mu.Lock()\n\ts.misses++\n\ts.mu.Unlock()\n}\n\n"
           "func (s *Stats) Reset() {\n\ts.mu.Lock()\n\ts.hits = 0\n\ts.misses = 0\n\ts.mu.Unlock()\n}\n\n"
           "func (s *Stats) Ratio() float64 {\n\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n"
           "\treturn float64(s.hits) / float64(s.hits+s.misses+1)\n}\n\n"
           "func (s *Stats) Clear() {\n\ts.hits = 0\n}\n",
    .good = "package p\n\nimport \"sync\"\n\ntype Stats struct {\n\tmu    sync.Mutex\n\thits  int\n\tmisses int\n}\n\n"
            "func (s *Stats) Hit() {\n\ts.mu.Lock()\n\ts.hits++\n\ts.mu.Unlock()\n}\n\n"
            "func (s *Stats) Miss() {\n\ts.mu.Lock()\n\ts.misses++\n\ts.mu.Unlock()\n}\n\n"
            "func (s *Stats) Reset() {\n\ts.mu.Lock()\n\ts.hits = 0\n\ts.misses = 0\n\ts.mu.Unlock()\n}\n\n"
            "func (s *Stats) Ratio() float64 {\n\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n"
            "\treturn float64(s.hits) / float64(s.hits+s.misses+1)\n}\n\n"
            "func (s *Stats) Clear() {\n\ts.mu.Lock()\n\ts.hits = 0\n\ts.mu.Unlock()\n}\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE, N_CALL_EXPRESSION},
    .visit = visit,
};
