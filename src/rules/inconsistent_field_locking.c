/* rules/inconsistent_field_locking: GD604. A struct field that is accessed
 * with the struct's mutex held almost everywhere (guarded-by inferred: at
 * least 3 accesses and 75 % of them hold the same lock of the same value,
 * and it is written under it at least once) is accessed here without it.
 * How: the lock dataflow records every access to a field of a struct type
 * with mutex fields, with the locks of the same object held on every path
 * (model/summary.c, match_field_facts). Constructors (New*, init), tests,
 * functions whose name or doc says the caller holds the lock, and methods
 * whose every call in the package holds it are not judged. */
#include "locklib.h"

static void report(struct rule_ctx *ctx, const struct lock_issue *li)
{
    const struct gofile *f = ctx->f;
    struct str obj = ast_text(f, ast_child(f, li->at, F_OPERAND));
    if (obj.n > 40) obj.n = 40;
    struct finding *fd = rule_report_conf(ctx, li->at, li->conf == LI_LOW ? CONF_LOW : CONF_HIGH,
                                     "%.*s.%s is %s here without holding %.*s.%s, which is held at %u of the %s "
                                     "accesses to it in the package (guarded-by inferred): this access races "
                                     "with the locked ones",
                                     (int)obj.n, obj.p, li->detail, li->other2, (int)obj.n, obj.p, li->what,
                                     li->rel_line2, li->other);
    fd->fix = xasprintf("lock %.*s.%s around this access, or document that the caller holds it (name the function "
                        "...Locked)",
                        (int)obj.n, obj.p, li->what);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    locklib_report(ctx, 1u << LI_UNGUARDED_FIELD, report);
}

const struct rule rule_inconsistent_field_locking = {
    .id = "GD604",
    .name = "inconsistent-field-locking",
    .severity = SEV_WARNING,
    .confidence = CONF_LOW,
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
           "the field's only writer, which a syntactic view cannot tell apart from races.",
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
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
