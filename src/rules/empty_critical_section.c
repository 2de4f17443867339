/* rules/empty_critical_section: GD410 empty-critical-section (staticcheck
 * SA2001). `mu.Lock()` directly followed by `mu.Unlock()` (or RLock,
 * RUnlock): nothing runs under the lock, most often a typo for `defer
 * mu.Unlock()`. How: expression statements that are a Lock or RLock call
 * (locklib_lock_stmt) whose next statement releases the same operand, by
 * text. Low when a comment, a test file or the function's name says it
 * waits on purpose; high when the owner's other fields are used after it. */
#include <ctype.h>
#include <string.h>

#include "locklib.h"
#include "rulelib.h"

/* Does text t contain one of the lower-case words, ignoring case (the
 * first 511 bytes)? */
static bool mentions(struct str t, const char *const *words, size_t nwords)
{
    char low[512];
    size_t n = t.n < sizeof low - 1 ? t.n : sizeof low - 1;
    for (size_t k = 0; k < n; k++) low[k] = (char)tolower((unsigned char)t.p[k]);
    low[n] = 0;
    for (size_t w = 0; w < nwords; w++)
        if (strstr(low, words[w])) return true;
    return false;
}

/* Does a comment on the lines from..to, or the block of comment lines
 * just above from (one blank line allowed), say the pair is meant: a
 * barrier, a wait for the holder, a synchronisation, a silenced linter? */
static bool comment_says_deliberate(const struct gofile *f, uint32_t from, uint32_t to)
{
    static const char *const words[] = {"barrier", "wait", "synchron", "sync with", "make sure", "ensure",
                                        "in-flight", "in flight", "finish", "drain", "flush", "block until",
                                        "blocks until", "pending", "complete", "acquire", "release",
                                        "lint:ignore", "nolint"};
    uint32_t top = from;
    for (uint32_t i = f->ncomments; i-- > 0;) {
        const struct comment *c = &f->comments[i];
        if (c->line >= top) continue;
        if (c->end_line + 2 < top) break;
        top = c->line;
    }
    for (uint32_t i = 0; i < f->ncomments; i++) {
        const struct comment *c = &f->comments[i];
        if (c->end_line < top || c->line > to) continue;
        if (mentions(ast_comment_text(f, c), words, GD_ARRAY_LEN(words))) return true;
    }
    return false;
}

/* Does the enclosing function's name say it deals with the lock itself
 * (ProbeLocks, waitForWriters, barrier, drain): the pair is its purpose? */
static bool func_name_says_deliberate(const struct gofile *f, nid n)
{
    static const char *const words[] = {"probe", "lock", "wait", "barrier", "sync", "drain", "flush", "quiesce"};
    nid fn = model_enclosing_decl(f, n);
    nid name = fn ? ast_child(f, fn, F_NAME) : 0;
    if (!name) return false;
    return mentions(ast_text(f, name), words, GD_ARRAY_LEN(words));
}

/* Is selector sel the operand of a lock method call (`o.other.Lock()`)? */
static bool is_lock_operand(const struct gofile *f, nid sel)
{
    nid up = ast_parent(f, sel);
    if (ast_kind(f, up) != N_SELECTOR_EXPRESSION || f->nodes[sel].field != F_OPERAND) return false;
    struct str m = ast_text(f, ast_child(f, up, F_FIELD));
    return m.n >= 4 && (!memcmp(m.p + m.n - 4, "Lock", 4) || !memcmp(m.p + m.n - 4, "lock", 4));
}

/* The typo's shape: the mutex is a field `O.f` and a statement after the
 * pair, in the same block, uses another field `O.g` of the same owner (not
 * to lock it): state the lock was meant to guard. That use, or 0. */
static nid guarded_use_after(const struct gofile *f, nid x, nid after)
{
    x = ast_unparen(f, x);
    if (ast_kind(f, x) != N_SELECTOR_EXPRESSION) return 0;
    nid owner = ast_unparen(f, ast_child(f, x, F_OPERAND));
    struct str fld = ast_text(f, ast_child(f, x, F_FIELD));
    for (nid s = ast_next(f, after); s; s = ast_next(f, s)) {
        for (nid k = s; k < f->nodes[s].end; k++) {
            if (ast_kind(f, k) == N_FUNC_LITERAL) {
                k = f->nodes[k].end - 1;
                continue;
            }
            if (ast_kind(f, k) != N_SELECTOR_EXPRESSION) continue;
            nid o = ast_unparen(f, ast_child(f, k, F_OPERAND));
            if (!rl_same_text(f, o, owner) || str_eqs(ast_text(f, ast_child(f, k, F_FIELD)), fld)) continue;
            if (is_lock_operand(f, k)) continue;
            /* o.method(): a call may take the lock itself */
            nid up = ast_parent(f, k);
            if (ast_kind(f, up) == N_CALL_EXPRESSION && f->nodes[k].field == F_FUNCTION) continue;
            return k;
        }
    }
    return 0;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    nid x, y;
    int m = locklib_lock_stmt(ctx, n, &x);
    if (ast_kind(f, n) != N_EXPRESSION_STATEMENT || (m != 0 && m != 1)) return;
    nid next = ast_next(f, n);
    while (ast_kind(f, next) == N_EMPTY_STATEMENT) next = ast_next(f, next);
    if (ast_kind(f, next) != N_EXPRESSION_STATEMENT || locklib_lock_stmt(ctx, next, &y) != m + 2) return;
    if (!rl_same_text(f, x, y)) return;
    struct str xs = ast_text(f, x);
    if (xs.n > 60) xs.n = 60;
    const char *lk = m == 0 ? "Lock" : "RLock", *un = m == 0 ? "Unlock" : "RUnlock";
    /* Empty critical sections are mostly deliberate waits for the holder
     * (lock probes, barriers, tests of the lock itself): the finding is
     * shown by default only in the typo's shape. */
    const char *why = NULL;
    nid use = 0;
    if (comment_says_deliberate(f, f->nodes[n].line, f->nodes[next].line))
        why = " (a comment says it waits for the holder on purpose)";
    else if (rl_is_test_file(f))
        why = " (in a test, where it is mostly a deliberate wait)";
    else if (func_name_says_deliberate(f, n))
        why = " (the function's name says it deals with the lock itself)";
    else
        use = guarded_use_after(f, x, next);
    /* uncommented and unexplained: medium, high when the owner's state is
     * used right after it (the typo's shape) */
    enum confidence conf = why ? CONF_LOW : use ? ctx->rule->confidence : CONF_MEDIUM;
    struct str us = use ? ast_text(f, use) : str_make("", 0);
    if (us.n > 60) us.n = 60;
    struct finding *fd = rule_report_conf(
        ctx, next, conf,
        "empty critical section: %.*s.%s() directly follows %.*s.%s(), so nothing runs under the lock%s%s%.*s%s",
        (int)xs.n, xs.p, un, (int)xs.n, xs.p, lk, why ? why : "; did you mean to defer the unlock?",
        use ? " (" : "", (int)us.n, us.p, use ? " is used after it without the lock)" : "");
    rule_related(ctx, fd, n, "locked here");
    if (use) rule_related(ctx, fd, use, "used without the lock");
    fd->fix = xasprintf("write `defer %.*s.%s()` and put the work the lock protects between them; if the pair "
                        "only waits for the lock's current holder, say so in a comment",
                        (int)xs.n, xs.p, un);
}

const struct rule rule_empty_critical_section = {
    .id = "GD410",
    .name = "empty-critical-section",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "mu.Lock() directly followed by mu.Unlock(): an empty critical section, usually a typo for defer "
               "mu.Unlock().",
    .why = "A lock protects the statements between its Lock and its Unlock. When `mu.Unlock()` comes right after "
           "`mu.Lock()` nothing is protected: the code that follows reads and writes the shared state without "
           "the lock, a data race that the author believed was guarded. Then the intent was `defer "
           "mu.Unlock()`, and the `defer` was forgotten. But an empty critical section is also written on "
           "purpose, to wait until the goroutine holding the lock has released it: a barrier, a probe that "
           "the lock is not stuck, a test of the lock itself. On real code those are the common case, and "
           "they are commented or named so; godark reports them at low confidence, with the reason: a "
           "comment at the pair that speaks of a barrier, waiting, synchronising, acquiring and releasing "
           "(or silences a linter); a test file; a function named for the lock (ProbeLocks, "
           "waitForWriters). An unexplained pair is medium, and high in the typo's shape: the lock is a "
           "field `o.mu` and the statements after the pair use another field of the same `o` (not to lock "
           "it). The receiver is compared by "
           "its text (`s.mu`, `x.m()`), as staticcheck does; a method of the package's own type named Lock "
           "that takes arguments or returns results is no lock. Covers staticcheck SA2001.",
    .bad = "package cache\n\n"
           "import \"sync\"\n\n"
           "type Cache struct {\n"
           "\tmu sync.Mutex\n"
           "\tm  map[string]string\n"
           "}\n\n"
           "func (c *Cache) Put(k, v string) {\n"
           "\tc.mu.Lock()\n"
           "\tc.mu.Unlock()\n"
           "\tc.m[k] = v\n"
           "}\n",
    .good = "package cache\n\n"
            "import \"sync\"\n\n"
            "type Cache struct {\n"
            "\tmu sync.Mutex\n"
            "\tm  map[string]string\n"
            "}\n\n"
            "func (c *Cache) Put(k, v string) {\n"
            "\tc.mu.Lock()\n"
            "\tdefer c.mu.Unlock()\n"
            "\tc.m[k] = v\n"
            "}\n",
    .fix_safety = "None is applied: whether the following statements belong under the lock, or the pair is a "
                  "deliberate wait, needs a reader.",
    .kinds = {N_EXPRESSION_STATEMENT},
    .visit = visit,
};
