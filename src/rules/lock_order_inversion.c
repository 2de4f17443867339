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

/* The calls down to the Lock of a lock a callee takes, as related
 * locations: "in f: calls g", ..., "in h: locks x here". */
static void related_path(struct rule_ctx *ctx, struct finding *fd, const struct lock_step *path, int n,
                         const char *what)
{
    for (int i = 0; i < n; i++) {
        const struct pkg_decl *d = &ctx->pkg->decls[path[i].decl];
        if (i + 1 < n)
            rule_related_in(ctx, fd, path[i].fi, path[i].at, "in %s: the call on the way to %s", d->name, what);
        else
            rule_related_in(ctx, fd, path[i].fi, path[i].at, "in %s: %s is locked here", d->name, what);
    }
}

static void report(struct rule_ctx *ctx, const struct lock_issue *li)
{
    const struct gofile *of = &ctx->pkg->files[li->rel_fi];
    /* Low unless the goroutine contexts say the two orders can run at the
     * same time (see .why). */
    struct finding *fd = rule_report_conf(ctx, li->at, li->conf == LI_MEDIUM ? CONF_MEDIUM : CONF_LOW,
                                     "%s is %s here while %s is held%s, but %s:%u locks them in the opposite "
                                     "order (%s, then %s): if both run at the same time, each holds one lock and "
                                     "waits for the other forever",
                                     li->what, read_lock_at(ctx, li->at) ? "read-locked" : "locked", li->detail,
                                     locklib_at_line(ctx, "locked", li->related_line),
                                     locklib_base(of->path), of->nodes[li->rel_at].line, li->other, li->other2);
    related_path(ctx, fd, li->path, li->npath, li->what);
    rule_related_in(ctx, fd, li->rel_fi, li->rel_at, "%s is locked here while %s is held", li->other2, li->other);
    related_path(ctx, fd, li->rel_path, li->nrel_path, li->other2);
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
    .confidence = CONF_MEDIUM,
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
           "in the message (the same package), with its full location as a related location; when a lock "
           "is taken in a callee, the calls down to its Lock are related locations too. Calls through a "
           "package interface that only the package's types can implement, and that one type does, are "
           "followed, and so are field paths (`s.rep.mu`) and struct literals that wrap the caller's "
           "object (`&view{s}`). "
           "Confidence: medium when the goroutine contexts say the two orders can run at the same time: "
           "they are taken in goroutines of two different go statements (or of one go statement in a "
           "loop); or the function that starts one order's goroutine (with `go`, or `time.AfterFunc` of a "
           "method value), or a caller of it, goes on to take the other order without first waiting. A "
           "goroutine's order against exported API that no goroutine calls stays low: on real code such "
           "pairs were shutdown paths (a snapshot taken by Close after the loops stopped). Two orders taken while both hold a third lock (a gate) are not "
           "reported. Otherwise low (shown with --confidence low): two orders taken by one "
           "goroutine in turn (a connection's run loop) never deadlock, and without knowing who calls "
           "the functions the rule cannot tell; on the large public projects of `make ecosystem`, 3 of 5 "
           "such inversions were real deadlocks.",
    .bad = "package p\n\nimport \"sync\"\n\ntype Account struct {\n\tmu      sync.Mutex\n\tbalance int\n}\n\n"
           "type Ledger struct {\n\tmu      sync.Mutex\n\tentries []int\n}\n\n"
           "// settle runs in its own goroutine.\nfunc (l *Ledger) settle(a *Account, n int) {\n\tl.mu.Lock()\n\tdefer l.mu.Unlock()\n\ta.mu.Lock()\n"
           "\ta.balance += n\n\ta.mu.Unlock()\n\tl.entries = append(l.entries, n)\n}\n\n"
           "func (l *Ledger) Start(a *Account, in <-chan int) {\n\tgo func() {\n\t\tfor n := range in {\n\t\t\tl.settle(a, n)\n\t\t}\n\t}()\n}\n\n"
           "func (a *Account) Close(l *Ledger) {\n\ta.mu.Lock()\n\tdefer a.mu.Unlock()\n\tl.mu.Lock()\n"
           "\tl.entries = append(l.entries, -a.balance)\n\tl.mu.Unlock()\n\ta.balance = 0\n}\n",
    .good = "package p\n\nimport \"sync\"\n\ntype Account struct {\n\tmu      sync.Mutex\n\tbalance int\n}\n\n"
            "type Ledger struct {\n\tmu      sync.Mutex\n\tentries []int\n}\n\n"
            "// settle runs in its own goroutine.\nfunc (l *Ledger) settle(a *Account, n int) {\n\tl.mu.Lock()\n\tdefer l.mu.Unlock()\n\ta.mu.Lock()\n"
            "\ta.balance += n\n\ta.mu.Unlock()\n\tl.entries = append(l.entries, n)\n}\n\n"
            "func (l *Ledger) Start(a *Account, in <-chan int) {\n\tgo func() {\n\t\tfor n := range in {\n\t\t\tl.settle(a, n)\n\t\t}\n\t}()\n}\n\n"
            "func (a *Account) Close(l *Ledger) {\n\tl.mu.Lock()\n\tdefer l.mu.Unlock()\n\ta.mu.Lock()\n"
            "\tl.entries = append(l.entries, -a.balance)\n\ta.balance = 0\n\ta.mu.Unlock()\n}\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
