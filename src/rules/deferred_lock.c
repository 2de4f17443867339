/* rules/deferred_lock: GD411 deferred-lock (staticcheck SA2003). `defer
 * mu.Lock()` right after `mu.Lock()`: a typo for `defer mu.Unlock()`; the
 * deferred Lock blocks forever when the function returns. How: defer
 * statements whose call is a Lock or RLock (locklib_lock_stmt) and whose
 * previous statement takes the same lock the same way, by text. */
#include "locklib.h"
#include "rulelib.h"

/* The statement before s in its statement list (empty statements
 * skipped), or 0. */
static nid prev_stmt(const struct gofile *f, nid s)
{
    nid prev = 0;
    AST_FOR_CHILDREN(f, ast_parent(f, s), c)
    {
        if (c == s) return prev;
        if (ast_kind(f, c) != N_EMPTY_STATEMENT) prev = c;
    }
    return 0;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    nid x, y;
    int m = locklib_lock_stmt(ctx, n, &x);
    if (m != 0 && m != 1) return;
    nid prev = prev_stmt(f, n);
    if (ast_kind(f, prev) != N_EXPRESSION_STATEMENT || locklib_lock_stmt(ctx, prev, &y) != m) return;
    if (!rl_same_text(f, x, y)) return;
    struct str xs = ast_text(f, x);
    if (xs.n > 60) xs.n = 60;
    const char *lk = m == 0 ? "Lock" : "RLock", *un = m == 0 ? "Unlock" : "RUnlock";
    struct finding *fd = rule_report(ctx, n,
                                     "defer %.*s.%s() right after %.*s.%s(): the deferred call locks again when "
                                     "the function returns instead of releasing (did you mean defer %.*s.%s()?)",
                                     (int)xs.n, xs.p, lk, (int)xs.n, xs.p, lk, (int)xs.n, xs.p, un);
    rule_related(ctx, fd, prev, "locked here");
    fd->fix = xasprintf("defer %.*s.%s()", (int)xs.n, xs.p, un);
    /* the method name of the deferred call, replaced: certainly what was meant */
    nid call = ast_unparen(f, ast_first_child(f, n));
    nid fld = ast_child(f, ast_unparen(f, ast_child(f, call, F_FUNCTION)), F_FIELD);
    if (rule_can_edit(ctx, ctx->fi)) rule_edit(ctx, fd, ctx->fi, f->nodes[fld].start_byte, f->nodes[fld].end_byte, un);
}

const struct rule rule_deferred_lock = {
    .id = "GD411",
    .name = "deferred-lock",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "defer mu.Lock() right after mu.Lock(): a typo for defer mu.Unlock(); the deferred Lock deadlocks.",
    .why = "`mu.Lock()` followed by `defer mu.Lock()` takes the lock, and when the function returns takes it "
           "again instead of releasing it. A sync.Mutex is not reentrant, so the deferred Lock blocks the "
           "goroutine forever, and every other goroutine that needs the lock blocks behind it. The same holds "
           "for `RLock` followed by `defer RLock` (a pending writer makes the second RLock wait for ever, and "
           "the read lock is never released). It is always a typo for `defer mu.Unlock()`. godark compares the "
           "two receivers by their text, as staticcheck does. Covers staticcheck SA2003.",
    .bad = "package store\n\n"
           "import \"sync\"\n\n"
           "type Store struct {\n"
           "\tmu sync.Mutex\n"
           "\tn  int\n"
           "}\n\n"
           "func (s *Store) Inc() {\n"
           "\ts.mu.Lock()\n"
           "\tdefer s.mu.Lock()\n"
           "\ts.n++\n"
           "}\n",
    .good = "package store\n\n"
            "import \"sync\"\n\n"
            "type Store struct {\n"
            "\tmu sync.Mutex\n"
            "\tn  int\n"
            "}\n\n"
            "func (s *Store) Inc() {\n"
            "\ts.mu.Lock()\n"
            "\tdefer s.mu.Unlock()\n"
            "\ts.n++\n"
            "}\n",
    .fix_safety = "The safe fix renames the deferred method: `defer mu.Lock()` becomes `defer mu.Unlock()` (RLock: "
                  "RUnlock), which is what the code meant; `godark check --fix` applies it.",
    .kinds = {N_DEFER_STATEMENT},
    .visit = visit,
};
