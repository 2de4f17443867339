/* model/summary: what functions do to locks, WaitGroups and channels.
 *
 * Objects are named by keys relative to the function analysed: "R.mu" (a
 * field of the receiver), "P1" (the second parameter), "Gmu" (package
 * variable mu), "L<nid>.done" (a local, by its declaring identifier).
 * Paths through pointers and values are written alike (`s.mu` and `(*s).mu`).
 *
 * A call summary lists a function's effects on objects reachable from its
 * receiver, parameters and package variables, computed bottom-up over the
 * package's call graph (callees first, on demand, memoised). The
 * functions of a recursive cycle are solved together: the call that closes
 * the cycle sees the summary of the previous round (none in the first),
 * and the cycle is rerun until its summaries stop changing (at most 5
 * rounds). A lock a callee takes only when a bool parameter has a value
 * keeps that guard through a caller that passes its own parameter on.
 * Calls through function values are unknown, but for an unexported
 * func-typed field that the package always sets to one function or to one
 * method of the same object (callees.h), and so are calls through
 * interfaces, except an interface that only the package's types can
 * implement (pkg_interface_closed) and one does. A callee's effect on a
 * field path of its receiver or parameter (`.rep.mu`) is named at the
 * caller by the type of the last field but one, following struct literals
 * that wrap the caller's objects (`&view{s}`). Locks of objects reached
 * through locals, map or slice elements and calls' results are known by
 * class only ("C:T.mu" in a summary, "X<text>" in the function): they
 * order the locks held around them, but no double Lock or missing Unlock
 * is judged on them.
 *
 * The same lock dataflow that computes a summary also finds the lock bugs
 * of each function and func literal (model_lock_issues), which the GD402-
 * GD405 rules report.
 */
#ifndef GODARK_SUMMARY_H
#define GODARK_SUMMARY_H

#include "model.h"

enum effect_kind {
    EFF_LOCK,    /* Lock (write) */
    EFF_RLOCK,
    EFF_UNLOCK,
    EFF_RUNLOCK,
    EFF_WG_ADD,
    EFF_WG_DONE,
    EFF_WG_WAIT,
    EFF_SEND,
    EFF_RECV,
    EFF_CLOSE,
};

enum {
    EF_DEFERRED = 1,  /* in a deferred call: happens at exit */
    EF_NET = 2,       /* locks: still held at every normal exit (lock), or
                         released at every exit having been held on entry (unlock) */
    EF_FRESH = 4,     /* lock taken while the function had not released it
                         before: deadlocks if the caller already holds it */
    EF_ALL_PATHS = 8, /* happens on every path from entry to a normal exit */
    /* deep channel summaries (GD406) only: */
    EF_IN_SELECT = 16,     /* a communication of a select case: may not block */
    EF_UNLOCKS_CALLER = 32, /* the function (or a callee on the way) may release a
                               lock its caller holds before it gets there */
    /* locks: */
    EF_RELOCK = 64, /* released while the caller holds it, then taken again
                       (held at every normal exit): the caller's other
                       locks are held while it is taken */
    /* locks: the "lock" is a sync.Once, held while its Do runs the
     * function (a nested Do on the same Once blocks forever) */
    EF_ONCE = 128,
};

struct effect {
    uint8_t kind;  /* enum effect_kind */
    uint8_t flags;
    const char *key; /* "R.mu", "P0", "Gname.mu" */
    int fi;          /* where (first site), for messages */
    nid site;
    /* locks: taken only under `if pN` (or `if !pN`) of a bool parameter:
     * N+1 (0 = unconditional), and the value pN must have */
    uint8_t guard;
    bool guard_val;
    /* a fresh lock taken only through calls of function values (callees.h):
     * 0 sure, 1 through a closed set of several members, 2 through an
     * open or partly unknown set */
    uint8_t may;
};

struct func_summary {
    struct effect *effects;
    int neffects;
};

/* The summary of package-level function or method decl (index into
 * p->decls), or NULL when decl is not a function with a body. */
const struct func_summary *model_func_summary(struct pkg *p, int decl);
/* The package-level function or method that `call` statically calls
 * (index into p->decls): also the one implementation of a closed package
 * interface whose method it calls; or -1: a local function value, another
 * interface method, another package, a builtin. */
int model_callee(struct pkg *p, int fi, nid call);

enum lock_issue_kind {
    LI_MISSING_UNLOCK,   /* a return, a break or goto out of a loop, or the end of the body, that leaves a
                            lock held that the function releases elsewhere */
    LI_DOUBLE_LOCK,      /* Lock of a lock held on every path here */
    LI_LOOP_RELOCK,      /* a loop iteration comes back to the Lock without releasing it */
    LI_RECURSIVE_RLOCK,  /* RLock while holding RLock: deadlocks if a writer queues in between */
    LI_UNLOCK_UNLOCKED,  /* Unlock of a lock released on every path here, or deferred unlock after explicit unlock */
    LI_ORDER_INVERSION,  /* two locks taken in opposite orders by two functions */
    LI_BLOCKED_LOCKED,   /* a receive or Wait while holding a lock its counterpart goroutine must take first */
    LI_UNGUARDED_FIELD,  /* a field accessed without the lock that guards most of its accesses */
};

enum { LI_HIGH, LI_LOW, LI_MEDIUM };

struct lock_issue {
    uint8_t kind;   /* enum lock_issue_kind */
    uint8_t conf;   /* LI_HIGH, LI_MEDIUM or LI_LOW */
    int fi;
    nid at;         /* where to report */
    uint32_t related_line; /* the earlier Lock/Unlock, or 0 */
    const char *what;      /* the lock as written: "s.mu" */
    const char *detail;    /* extra words for the message, or NULL */
    /* LI_ORDER_INVERSION: the other order's Lock; LI_BLOCKED_LOCKED: the
     * counterpart operation. rel_line2: the other function's earlier Lock;
     * while the package pass runs, 1 on an LI_RECURSIVE_RLOCK whose first
     * read lock came from a callee that returns holding it (a transaction
     * handle: a protocol seen only in part, kept low). LI_MISSING_UNLOCK:
     * `at` is a return, a break or goto leaving a loop, or (rel_line2 the
     * closing brace's line, else 0) the last statement of a body whose end
     * is reached holding the lock. */
    int rel_fi;
    nid rel_at;
    uint32_t rel_line2;
    const char *other; /* the second lock (inversion) or the channel (blocked) as written */
    const char *other2; /* inversion: the other function's names for the locks, "b.mu, a.mu" */
    const struct wait_detail *wait; /* LI_BLOCKED_LOCKED: what waits for what; else NULL */
    /* LI_ORDER_INVERSION: when `at` (rel_at) is a call of a same-package
     * function that takes the second lock deeper, the calls down to its
     * Lock */
    const struct lock_step *path, *rel_path;
    int npath, nrel_path;
};

/* One call on the way to a lock that a callee takes: the callee (decl
 * index) and, in it, the Lock or the next call that takes the lock. */
struct lock_step {
    int decl;
    int fi;
    nid at;
};

/* The two sides of an LI_BLOCKED_LOCKED issue. */
enum wait_op { WO_SEND, WO_RECV, WO_RANGE, WO_CLOSE, WO_WAIT, WO_DONE };
struct wait_detail {
    uint8_t op, rel_op; /* enum wait_op: the blocked operation, the counterpart's */
    bool some;          /* the counterpart takes the lock first on some paths only, or
                           in an earlier iteration of a loop around its operation */
    /* when `at` (rel_at) is a call of a same-package function that
     * performs the operation at some depth: the operation (else via_at 0) */
    int via_fi, rel_via_fi;
    nid via_at, rel_via_at;
    /* the channel is an element of a field that a function of the package
     * hands out (returns) to code we do not follow, whose receivers may
     * call the function at rel_at, which takes the lock, instead of
     * receiving: that function (decl index), else -1 */
    int out_decl;
    /* the counterpart is a func literal handed to code we do not follow
     * (a hook, a timer), not a goroutine the package starts: that call */
    nid handed_to;
};

/* Every lock issue of the package (all files, all functions and func
 * literals), computed once and cached in p. */
const struct lock_issue *model_lock_issues(struct pkg *p, int *n);

/* A lock held at a point of a function (model_locks_held_at). */
struct held_lock {
    const char *cls;  /* the lock's class ("T.mu", "G:mu", a local): the same
                         lock in other functions; NULL when unknown */
    const char *text; /* as written: "s.mu" */
    bool write;       /* write-held (Lock); else read-held (RLock) */
    uint32_t line;    /* the line of the Lock or RLock (or of the call that
                         took it) when every path took it there; else 0 */
};

/* The locks that function fn (a declaration or func literal of file fi)
 * holds on every path when control reaches the event containing node `at`,
 * before that event runs: taken by fn itself or by same-package callees
 * whose summaries say so. Locks the caller may hold are not listed. Locks
 * that escape (handed to unknown code, TryLock) are listed all the same.
 * Up to max into out (strings are arena strings of p); returns the count,
 * 0 when `at` is in no event of fn. Builds fn's graph and dataflow anew on
 * each call. */
int model_locks_held_at(struct pkg *p, int fi, nid fn, nid at, struct held_lock *out, int max);
/* model_locks_held_at for each of the nat nodes at[i] of fn, on one graph
 * and one dataflow: the locks held at at[i] go to out + i*max, their count
 * to count[i]. */
void model_locks_held_at_each(struct pkg *p, int fi, nid fn, const nid *at, int nat, struct held_lock *out, int max,
                              int *count);

/* The class of object expression e (`&q.mu`, `q.mu`, a local, a package
 * variable) as the lock dataflow names it ("T.mu", "G:mu", "L<file>:<nid>"),
 * the same in every function of the package; NULL when unknown. An arena
 * string of p. */
const char *model_obj_class(struct pkg *p, int fi, nid e);
/* When call is X.Lock(), RLock(), Unlock() or RUnlock() of a sync.Mutex or
 * RWMutex (embedded ones too; one embedded in an unnamed struct field,
 * `mu struct{ sync.Mutex; n int }`, is the field's lock "T.mu"): the
 * lock's class (NULL when unknown, as model_obj_class), with *acquire true for Lock/RLock. Returns false for
 * any other call. */
bool model_lock_call_class(struct pkg *p, int fi, nid fn, nid call, const char **cls, bool *acquire);

/* Where the goroutine running function fn (a declaration or func literal
 * of file fi) starts: a go statement (objects_spawn_site) or a
 * time.AfterFunc of a method or function value; 0 when none is known.
 * *sfi gets its file. */
nid model_start_site(struct pkg *p, int fi, nid fn, int *sfi);
/* Does the function that starts a goroutine at s (file sfi), or a caller
 * of it, go on after s and without first receiving or waiting to reach
 * node `at` of function fn (file fi): in its own body, or in a function it
 * calls up to two calls deep? Then that node runs while the goroutine
 * does. */
bool model_spawner_goes_on(struct pkg *p, int sfi, nid s, int fi, nid fn, nid at);

/* Frees the package's analysis cache (called by pkg_free). */
void model_analysis_free(struct pkg *p);

#endif
