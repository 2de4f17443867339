/* rules/unlock_of_unlocked: GD404. Unlocking a mutex that is not held: an
 * Unlock after an Unlock on every path, a deferred Unlock that runs after
 * an explicit one, Unlock of a read lock and RUnlock of a write lock. The
 * runtime stops the program with "fatal error: sync: unlock of unlocked
 * mutex" (not a recoverable panic).
 * How: the lock dataflow of model/summary.c; only locks this function
 * acquired itself (an Unlock of a lock the caller holds is a contract). */
#include "locklib.h"

static void report(struct rule_ctx *ctx, const struct lock_issue *li)
{
    const char *at = locklib_at_line(ctx, "unlocked", li->related_line);
    if (li->detail && strstr(li->detail, "deferred"))
        rule_report(ctx, li->at,
                    "this deferred unlock of %s runs when the function returns, but %s was already unlocked "
                    "on line %u on every path to that return: fatal error: sync: unlock of unlocked mutex",
                    li->what, li->what, li->related_line);
    else if (li->detail && strstr(li->detail, "Unlock of a read lock"))
        rule_report(ctx, li->at,
                    "%s is read-locked here, not write-locked%s: Unlock of a read lock stops the program "
                    "(fatal error: sync: Unlock of unlocked RWMutex); use RUnlock",
                    li->what, locklib_at_line(ctx, "locked", li->related_line));
    else if (li->detail)
        rule_report(ctx, li->at,
                    "%s is write-locked here, not read-locked%s: RUnlock of a write lock stops the program "
                    "(fatal error: sync: RUnlock of unlocked RWMutex); use Unlock",
                    li->what, locklib_at_line(ctx, "locked", li->related_line));
    else
        rule_report(ctx, li->at,
                    "%s is unlocked here but was already unlocked%s on every path reaching this line: fatal "
                    "error: sync: unlock of unlocked mutex",
                    li->what, at);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    locklib_report(ctx, 1u << LI_UNLOCK_UNLOCKED, report);
}

const struct rule rule_unlock_of_unlocked = {
    .id = "GD404",
    .name = "unlock-of-unlocked",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "A mutex is unlocked when it is not locked: the program dies with a fatal error.",
    .why = "Unlocking an unlocked sync.Mutex, calling Unlock on an RWMutex held only for reading, or RUnlock "
           "on one held for writing, is not a panic that recover can catch: the runtime throws \"fatal error: "
           "sync: unlock of unlocked mutex\" and the whole process exits. The usual shapes are an explicit "
           "Unlock added to a function that already has `defer mu.Unlock()`, an Unlock repeated on an error "
           "path after the normal one, and Unlock/RUnlock mixed up on an RWMutex. godark reports these only "
           "for locks the function acquired itself and only when the lock is released on every path reaching "
           "the second Unlock, so helper functions that unlock a lock their caller holds stay silent.",
    .bad = "package p\n\nimport \"sync\"\n\ntype Queue struct {\n\tmu    sync.Mutex\n\titems []int\n}\n\n"
           "func (q *Queue) Pop() (int, bool) {\n\tq.mu.Lock()\n\tdefer q.mu.Unlock()\n\tif len(q.items) == 0 "
           "{\n\t\tq.mu.Unlock()\n\t\treturn 0, false\n\t}\n\tx := q.items[0]\n\tq.items = q.items[1:]\n"
           "\treturn x, true\n}\n",
    .good = "package p\n\nimport \"sync\"\n\ntype Queue struct {\n\tmu    sync.Mutex\n\titems []int\n}\n\n"
            "func (q *Queue) Pop() (int, bool) {\n\tq.mu.Lock()\n\tdefer q.mu.Unlock()\n\tif len(q.items) == 0 "
            "{\n\t\treturn 0, false\n\t}\n\tx := q.items[0]\n\tq.items = q.items[1:]\n\treturn x, true\n}\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
