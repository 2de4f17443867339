/* rules/missing_unlock: GD402. A return that leaves a mutex locked in a
 * function that unlocks it on its other paths: the early-return bug; also
 * a break or goto out of a loop with no release after it, and a function
 * that falls off its closing brace holding the lock.
 * How: the lock dataflow of model/summary.c (must-held at a return, no
 * deferred unlock registered, the function's last path releases it, the
 * function's name or doc does not say it returns holding the lock). */
#include "locklib.h"

static void report(struct rule_ctx *ctx, const struct lock_issue *li)
{
    enum node_kind k = ast_kind(ctx->f, li->at);
    const char *where = k == N_RETURN_STATEMENT ? "when this return is taken"
                        : k == N_BREAK_STATEMENT ? "when this break leaves the loop, and no path from there to the "
                                                   "function's end releases it"
                        : k == N_GOTO_STATEMENT ? "when this goto leaves the loop, and no path from there to the "
                                                  "function's end releases it"
                                                : arena_printf(&ctx->pkg->arena,
                                                               "when the function ends after this statement (it "
                                                               "falls off its closing brace at line %u)",
                                                               li->rel_line2);
    const char *before = k == N_RETURN_STATEMENT ? "this return"
                         : k == N_BREAK_STATEMENT ? "this break"
                         : k == N_GOTO_STATEMENT ? "this goto"
                                                 : "the end of the function";
    struct finding *fd = rule_report_conf(ctx, li->at, li->conf == LI_LOW ? CONF_LOW : CONF_HIGH,
                                          "%s%s is still held %s: the function unlocks it on its other paths, so the "
                                          "next Lock of %s blocks forever",
                                          li->what, locklib_at_line(ctx, "locked", li->related_line), where, li->what);
    fd->fix = xasprintf("release %s before %s, or defer the unlock right after locking it", li->what, before);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    locklib_report(ctx, 1u << LI_MISSING_UNLOCK, report);
}

const struct rule rule_missing_unlock = {
    .id = "GD402",
    .name = "missing-unlock",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "A return, a break out of a loop or the end of the function leaves a mutex locked that the "
               "function unlocks on its other paths.",
    .why = "A sync.Mutex is not tied to a goroutine and is never released automatically: a function that "
           "returns early (usually on an error) between Lock and Unlock leaves it locked for ever, and the next "
           "Lock anywhere in the program blocks; every goroutine that needs the lock piles up behind it. This "
           "is among the most common blocking bugs in large Go projects, and neither go vet nor staticcheck "
           "looks for it. godark follows every path of the function: it reports a return at which the mutex is "
           "held on every path that reaches it, with no deferred Unlock registered, when the function's last "
           "path does unlock it (so returning locked is not the function's contract). The same holds without a "
           "return: a `break` or `goto` that leaves a loop with the mutex held when no path from there to the "
           "function's end releases it (a release after the loop, even on some paths, is trusted), and the end "
           "of a function body reached with the mutex held on every path while an earlier return releases it "
           "(reported at the last statement). Functions whose name "
           "says they lock (`lockX`, `xLocked`; not `Unlock`, `Block`) or whose doc comment says they return "
           "with the lock held (\"returns with mu held\", \"the caller must unlock\") are skipped; a doc "
           "that only mentions the lock is not a contract; nor are functions whose same-package callers all "
           "release the lock after the call (or defer its release). Locks that escape (`&mu` passed on, unlocked in a "
           "func literal, handed to a goroutine that releases it as in `go s.flushAndUnlock()`, bound to a func "
           "value as in `sync.OnceFunc(mu.Unlock)`, TryLock) are not judged, nor returns under `if false`.",
    .bad = "package p\n\nimport (\n\t\"errors\"\n\t\"sync\"\n)\n\ntype Store struct {\n\tmu   sync.Mutex\n"
           "\tdata map[string]string\n}\n\nfunc (s *Store) Put(k, v string) error {\n\ts.mu.Lock()\n"
           "\tif k == \"\" {\n\t\treturn errors.New(\"empty key\")\n\t}\n\ts.data[k] = v\n\ts.mu.Unlock()\n"
           "\treturn nil\n}\n",
    .good = "package p\n\nimport (\n\t\"errors\"\n\t\"sync\"\n)\n\ntype Store struct {\n\tmu   sync.Mutex\n"
            "\tdata map[string]string\n}\n\nfunc (s *Store) Put(k, v string) error {\n\ts.mu.Lock()\n"
            "\tdefer s.mu.Unlock()\n\tif k == \"\" {\n\t\treturn errors.New(\"empty key\")\n\t}\n"
            "\ts.data[k] = v\n\treturn nil\n}\n",
    .fix_safety = "Adding an Unlock before the return is safe when nothing after it needs the lock. Switching "
                  "to `defer mu.Unlock()` also releases the lock when the function panics, but keeps it held "
                  "until the function returns.",
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
