/* rules/lock_order_inversion: GD405. Two functions of the package take the
 * same two locks in opposite orders (A then B, B then A): run at the same
 * time, each can hold one and wait for the other forever.
 * How: the lock dataflow records, at every Lock (direct, or a same-package
 * call whose summary locks), the other locks held on every path; locks are
 * matched across functions by class (field f of named type T, package
 * variable, captured local). Read-read pairs of RWMutexes do not block each
 * other and are skipped. Reported once per pair of locks, at the first
 * function's second Lock, with the other order as a related location. */
#include "locklib.h"

/* Is the lock taken at call `at` a read lock: X.RLock(), or a call of a
 * same-package function whose lock effects are all read locks? Then the
 * message says "read-locked", as written. */
static bool read_lock_at(struct rule_ctx *ctx, nid at)
{
    const struct gofile *f = ctx->f;
    if (ast_kind(f, at) != N_CALL_EXPRESSION) return false;
    nid fe = ast_unparen(f, ast_child(f, at, F_FUNCTION));
    if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION && ast_text_is(f, ast_child(f, fe, F_FIELD), "RLock")) return true;
    int d = model_callee(ctx->pkg, ctx->fi, at);
    const struct func_summary *s = d >= 0 ? model_func_summary(ctx->pkg, d) : NULL;
    if (!s) return false;
    bool r = false;
    for (int i = 0; i < s->neffects; i++) {
        if (s->effects[i].kind == EFF_LOCK) return false;
        if (s->effects[i].kind == EFF_RLOCK) r = true;
    }
    return r;
}

static void report(struct rule_ctx *ctx, const struct lock_issue *li)
{
    const struct gofile *of = &ctx->pkg->files[li->rel_fi];
    /* Low confidence throughout (see .why): without goroutine contexts the
     * rule cannot tell two orders that can overlap from two that one
     * goroutine runs in turn; on the ecosystem corpus 3 in 5 were real. */
    struct finding *fd = rule_report_conf(ctx, li->at, CONF_LOW,
                                     "%s is %s here while %s is held%s, but %s:%u locks them in the opposite "
                                     "order (%s, then %s): if both run at the same time, each holds one lock and "
                                     "waits for the other forever",
                                     li->what, read_lock_at(ctx, li->at) ? "read-locked" : "locked", li->detail,
                                     locklib_at_line(ctx, "locked", li->related_line),
                                     locklib_base(of->path), of->nodes[li->rel_at].line, li->other, li->other2);
    rule_related_in(ctx, fd, li->rel_fi, li->rel_at, "%s is locked here while %s is held", li->other2, li->other);
    fd->fix = xasprintf("take the two locks in one global order everywhere (for example always %s before %s), or "
                        "release one before taking the other",
                        li->detail, li->what);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    locklib_report(ctx, 1u << LI_ORDER_INVERSION, report);
}

const struct rule rule_lock_order_inversion = {
    .id = "GD405",
    .name = "lock-order-inversion",
    .severity = SEV_ERROR,
    .confidence = CONF_LOW,
    .summary = "Two functions take the same two locks in opposite orders (A then B, B then A).",
    .why = "When one goroutine locks A then B and another locks B then A, a bad interleaving leaves each "
           "holding its first lock and waiting for the other's: both block forever, and with them every "
           "goroutine that later needs A or B. Such a deadlock appears only under load, and a goroutine dump "
           "shows it as goroutines stuck in sync.(*Mutex).Lock. The fix is a global lock order. godark follows "
           "every path of every function of the package, including the locks taken inside the package's own "
           "functions and methods it calls, and records which locks are held on every path when another is "
           "taken. Locks are compared by what they are: field `mu` of type `Store`, a package variable, a "
           "captured local. Two read locks of RWMutexes do not block each other and are not reported. When "
           "one of the two orders is only in a _test.go file (a test helper inspecting an object that is "
           "usually idle), the finding is low confidence. The other site is named by its file's base name "
           "in the message (the same package), with its full location as a related location. "
           "Confidence: low (shown with --confidence low) until godark knows which goroutines run each "
           "function: on the large public projects of `make ecosystem`, 3 of 5 inversions were real "
           "deadlocks (two in docker's bridge driver, one in yamux's Stream), while the other two orders "
           "were taken only by one goroutine in turn (a connection's run loop, a receive loop that Close "
           "waits for), which the rule cannot see yet.",
    .bad = "package p\n\nimport \"sync\"\n\ntype Account struct {\n\tmu      sync.Mutex\n\tbalance int\n}\n\n"
           "type Ledger struct {\n\tmu      sync.Mutex\n\tentries []int\n}\n\n"
           "func (l *Ledger) Record(a *Account, n int) {\n\tl.mu.Lock()\n\tdefer l.mu.Unlock()\n\ta.mu.Lock()\n"
           "\ta.balance += n\n\ta.mu.Unlock()\n\tl.entries = append(l.entries, n)\n}\n\n"
           "func (a *Account) Close(l *Ledger) {\n\ta.mu.Lock()\n\tdefer a.mu.Unlock()\n\tl.mu.Lock()\n"
           "\tl.entries = append(l.entries, -a.balance)\n\tl.mu.Unlock()\n\ta.balance = 0\n}\n",
    .good = "package p\n\nimport \"sync\"\n\ntype Account struct {\n\tmu      sync.Mutex\n\tbalance int\n}\n\n"
            "type Ledger struct {\n\tmu      sync.Mutex\n\tentries []int\n}\n\n"
            "func (l *Ledger) Record(a *Account, n int) {\n\tl.mu.Lock()\n\tdefer l.mu.Unlock()\n\ta.mu.Lock()\n"
            "\ta.balance += n\n\ta.mu.Unlock()\n\tl.entries = append(l.entries, n)\n}\n\n"
            "func (a *Account) Close(l *Ledger) {\n\tl.mu.Lock()\n\tdefer l.mu.Unlock()\n\ta.mu.Lock()\n"
            "\tl.entries = append(l.entries, -a.balance)\n\ta.balance = 0\n\ta.mu.Unlock()\n}\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
