/* rules/double_lock: GD403. Locking a mutex this goroutine already holds:
 * directly, through a same-package call whose summary locks the same lock
 * of the same receiver or argument, or on the next iteration of a loop whose
 * body has a path back to the Lock without the Unlock. An RLock while
 * already read-locked (the RWR deadlock) is reported at low confidence.
 * How: the lock dataflow and call summaries of model/summary.c. */
#include "locklib.h"

static void report(struct rule_ctx *ctx, const struct lock_issue *li)
{
    const char *at = locklib_at_line(ctx, "locked", li->related_line);
    enum confidence conf = li->conf == LI_LOW ? CONF_LOW : li->conf == LI_MEDIUM ? CONF_MEDIUM : CONF_HIGH;
    switch (li->kind) {
    case LI_LOOP_RELOCK:
        rule_report_conf(ctx, li->at, conf,
                         "%s may still be held when the loop comes back to this Lock: a path through the loop "
                         "body skips the Unlock, and the next iteration blocks forever",
                         li->what);
        return;
    case LI_RECURSIVE_RLOCK:
        if (li->detail && !strcmp(li->detail, "on the next iteration of the loop")) {
            rule_report_conf(ctx, li->at, conf,
                             "%s may still be read-locked when the loop comes back to this RLock: a path through "
                             "the loop body skips the RUnlock, and if a writer calls Lock in between, the writer "
                             "waits for the first RLock and this RLock waits for the writer, so both block forever",
                             li->what);
            return;
        }
        rule_report_conf(ctx, li->at, conf,
                         "%s%s%s is read-locked again while this goroutine holds a read lock%s: if a writer calls "
                         "Lock in between, the writer waits for the first RLock and this RLock waits for the "
                         "writer, so both block forever",
                         li->detail ? li->detail : "", li->detail ? ": " : "", li->what, at);
        return;
    default:
        if (li->detail && strstr(li->detail, ".Do again"))
            rule_report_conf(ctx, li->at, conf,
                             "%s%s: sync.Once.Do holds the Once's mutex until the function it runs returns, so "
                             "this nested Do waits for itself and blocks forever",
                             li->detail, at);
        else if (li->detail && strstr(li->detail, "it again"))
            rule_report_conf(ctx, li->at, conf,
                             "%s, and %s is already held here%s: Go mutexes are not reentrant, so this call "
                             "blocks forever",
                             li->detail, li->what, at);
        else if (li->detail && !strcmp(li->detail, "RLock while write-locked"))
            rule_report_conf(ctx, li->at, conf,
                             "%s is read-locked while this goroutine holds its write lock%s: RLock waits for "
                             "the writer, which is this goroutine, so it blocks forever",
                             li->what, at);
        else if (li->detail)
            rule_report_conf(ctx, li->at, conf,
                             "%s is write-locked while this goroutine holds a read lock%s: Lock waits for all "
                             "readers, including this one, so it blocks forever",
                             li->what, at);
        else
            rule_report_conf(ctx, li->at, conf,
                             "%s is locked again while this goroutine already holds it%s: Go mutexes are not "
                             "reentrant, so this Lock blocks forever",
                             li->what, at);
    }
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    locklib_report(ctx, 1u << LI_DOUBLE_LOCK | 1u << LI_LOOP_RELOCK | 1u << LI_RECURSIVE_RLOCK, report);
}

const struct rule rule_double_lock = {
    .id = "GD403",
    .name = "double-lock",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "A mutex is locked again by the goroutine that already holds it.",
    .why = "sync.Mutex and sync.RWMutex are not reentrant: a goroutine that calls Lock on a mutex it already "
           "holds waits for itself for ever. The usual shape is indirect: a method takes the lock and calls "
           "another method of the same value that takes it again, or a loop body that skips its Unlock on a "
           "`continue`. With RWMutex, Lock while holding RLock and RLock while holding Lock block the same "
           "way; and a second RLock by a goroutine that already holds one blocks too as soon as a writer is "
           "waiting between the two (a waiting writer stops new readers), which is why recursive read locking "
           "is forbidden by the sync documentation. godark follows every path of the function and the "
           "summaries of the package's own functions and methods: it reports a Lock when the same lock of the "
           "same receiver, argument or variable is held on every path reaching it. A callee that locks only "
           "under a bool parameter (`if needLock { mu.Lock() }`) is judged with the constant argument of the "
           "call; a lock whose Unlock is bound to a func value (`unlock := sync.OnceFunc(mu.Unlock)`) is not "
           "judged; a loop that comes back only on the branch that unlocks (`for !done { ...; if !done { "
           "mu.Unlock() } }`) is not reported; several calls under one held lock are one report. A callee that "
           "locks on some of its paths only is low confidence (the caller may never take that path with the "
           "lock held), medium when its name ends in `Locked` (called with the lock held by contract, so "
           "any path that takes it is the bug). Locks reached through map elements, calls' results and "
           "transaction handles are known by class only and not judged here. A recursive "
           "RLock (also on the next iteration of a loop) is reported only when the package write-locks the "
           "same lock somewhere: at medium confidence when a goroutine of the package does (a writer can "
           "queue in between), or when the reader is a goroutine the package starts and the writer is an "
           "exported function or method other than a constructor (its users call it from their own "
           "goroutines: a config reload against a scraper loop), or when both the reader and such a writer "
           "are exported API (users call both from goroutines of their own), at low confidence otherwise, and when the first read lock comes from a callee "
           "that returns holding it (a transaction handle). Calls through function values are followed "
           "(`godark dump-callees` prints the sets): a func field, a map or slice of funcs, a func parameter "
           "of an unexported function, a local holding a method value or a func literal. When the package "
           "stores exactly one function there, the call is a call of it; when it stores several, a callee "
           "that locks makes a medium finding at most; when code outside the package may store others (an "
           "exported field, an exported function's parameter), low; a callback that locks a lock of the same "
           "type as a held one, which may be another value's, low. `once.Do(f)` holds the Once while f runs: "
           "f (or a function it calls) calling Do on the same Once waits for itself. The function given to "
           "a sync.Map's Range, sort.Slice, slices.SortFunc and the like runs before they return, under the "
           "caller's locks, and so does a func literal called where it is written (`func() { ... }()`).",
    .bad = "package p\n\nimport \"sync\"\n\ntype Cache struct {\n\tmu sync.Mutex\n\tm  map[string]int\n}\n\n"
           "func (c *Cache) Len() int {\n\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n\treturn len(c.m)\n}\n\n"
           "func (c *Cache) Add(k string, v int) {\n\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n\tif c.Len() > 100 "
           "{\n\t\tc.m = map[string]int{}\n\t}\n\tc.m[k] = v\n}\n",
    .good = "package p\n\nimport \"sync\"\n\ntype Cache struct {\n\tmu sync.Mutex\n\tm  map[string]int\n}\n\n"
            "func (c *Cache) Len() int {\n\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n\treturn len(c.m)\n}\n\n"
            "func (c *Cache) Add(k string, v int) {\n\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n\tif len(c.m) > 100 "
            "{\n\t\tc.m = map[string]int{}\n\t}\n\tc.m[k] = v\n}\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
