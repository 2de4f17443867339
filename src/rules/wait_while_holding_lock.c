/* rules/wait_while_holding_lock: GD406. A receive, a range over a channel
 * or a WaitGroup.Wait performed while holding a lock that the goroutine on
 * the other side (the one that sends, closes or calls Done) must take
 * before it gets there: neither can proceed.
 * How: the lock dataflow records blocking operations (not in a select)
 * with the locks held on every path, and the send/close/Done operations of
 * each function with the locks taken before them on every path; matched
 * by channel and lock class, where the other function is started by a `go`
 * statement of the package. */
#include "locklib.h"

static const char *op_words(uint8_t op)
{
    switch (op) {
    case WO_RANGE: return "this range over";
    case WO_WAIT: return "this Wait on";
    case WO_SEND: return "this send on";
    default: return "this receive from";
    }
}

static const char *via_verb(uint8_t op)
{
    switch (op) {
    case WO_RANGE: return "ranges over";
    case WO_WAIT: return "waits on";
    case WO_SEND: return "sends on";
    default: return "receives from";
    }
}

static const char *rel_words(uint8_t op)
{
    switch (op) {
    case WO_SEND: return "sends on it";
    case WO_CLOSE: return "closes it";
    case WO_DONE: return "calls Done";
    default: return "receives from it";
    }
}

/* The called function of call as written (`sess.release`), shortened. */
static struct str callee_text(const struct gofile *f, nid call)
{
    if (ast_kind(f, call) == N_DEFER_STATEMENT) call = ast_unparen(f, ast_first_child(f, call));
    struct str s = ast_text(f, ast_child(f, call, F_FUNCTION));
    if (s.n > 40) s.n = 40;
    return s;
}

static void report(struct rule_ctx *ctx, const struct lock_issue *li)
{
    const struct wait_detail *w = li->wait;
    const struct gofile *of = &ctx->pkg->files[li->rel_fi];
    struct arena *ar = &ctx->pkg->arena;
    const char *head;
    if (w->via_at) {
        const struct gofile *vf = &ctx->pkg->files[w->via_fi];
        struct str cn = callee_text(ctx->f, li->at);
        head = arena_printf(ar, "this call of %.*s %s %s (%s:%u) and waits", (int)cn.n, cn.p, via_verb(w->op), li->other,
                            locklib_base(vf->path), vf->nodes[w->via_at].line);
    } else {
        head = arena_printf(ar, "%s %s waits", op_words(w->op), li->other);
    }
    if (w->out_decl >= 0) {
        const struct pkg_decl *out = &ctx->pkg->decls[w->out_decl];
        const struct gofile *df = &ctx->pkg->files[out->file];
        nid lfn = model_enclosing_func(of, li->rel_at);
        struct str ln = lfn ? ast_text(of, ast_child(of, lfn, F_NAME)) : (struct str){"?", 1};
        struct finding *fd = rule_report_conf(
            ctx, li->at, CONF_LOW,
            "%s while holding %s%s, but its receivers get the channel from %s (%s:%u): one that calls %.*s "
            "(%s:%u, locks %s) instead of receiving blocks on the lock, and this send blocks forever",
            head, li->what, locklib_at_line(ctx, "locked", li->related_line), out->name, locklib_base(df->path),
            df->nodes[out->node].line, (int)ln.n, ln.p, locklib_base(of->path), of->nodes[li->rel_at].line, li->other2);
        rule_related_in(ctx, fd, out->file, out->node, "hands the channel out");
        rule_related_in(ctx, fd, li->rel_fi, li->rel_at, "locks %s", li->other2);
        fd->fix = xasprintf("send after unlocking %s, or in a select that also watches a done channel closed "
                            "without the lock", li->what);
        return;
    }
    const char *first = "first";
    if (w->some) {
        nid fn = model_enclosing_func(of, li->rel_at), loop = ast_ancestor(of, li->rel_at, N_FOR_STATEMENT);
        first = loop && (!fn || ast_contains(of, fn, loop)) ? "first on some paths (or in an earlier iteration)"
                                                            : "first on some paths";
    }
    const char *rel_via = "";
    if (w->rel_via_at) {
        struct str cn = callee_text(of, li->rel_at);
        rel_via = arena_printf(ar, ", in %.*s", (int)cn.n, cn.p);
    }
    enum confidence conf = li->conf == LI_LOW ? CONF_LOW : li->conf == LI_MEDIUM ? CONF_MEDIUM : CONF_HIGH;
    const char *who = "goroutine";
    if (w->handed_to) {
        struct str cn = callee_text(of, w->handed_to);
        who = arena_printf(ar, "callback handed to %.*s", (int)cn.n, cn.p);
    }
    struct finding *fd = rule_report_conf(ctx, li->at, conf,
                                          "%s while holding %s%s, but the %s that %s (%s:%u%s) must lock "
                                          "%s %s: neither can proceed, so both block forever",
                                          head, li->what, locklib_at_line(ctx, "locked", li->related_line), who,
                                          rel_words(w->rel_op), locklib_base(of->path), of->nodes[li->rel_at].line,
                                          rel_via, li->other2, first);
    if (w->via_at) rule_related_in(ctx, fd, w->via_fi, w->via_at, "the operation that waits");
    rule_related_in(ctx, fd, li->rel_fi, li->rel_at, "reached only after locking %s", li->other2);
    if (w->rel_via_at) rule_related_in(ctx, fd, w->rel_via_fi, w->rel_via_at, "the counterpart operation");
    fd->fix = xasprintf("unlock %s before waiting, or let the other goroutine reach its operation without taking it",
                        li->what);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    locklib_report(ctx, 1u << LI_BLOCKED_LOCKED, report);
}

const struct rule rule_wait_while_holding_lock = {
    .id = "GD406",
    .name = "wait-while-holding-lock",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "A receive, send or WaitGroup.Wait (or a call that makes one) holds a lock that the goroutine it "
               "waits for must take first.",
    .why = "Waiting for another goroutine while holding a mutex is safe only if that goroutine never needs the "
           "mutex before it delivers. A Stop method that locks `s.mu` and then waits on `<-s.done`, while the "
           "worker locks `s.mu` once more before it closes `s.done`, deadlocks: the worker waits for the lock, "
           "Stop waits for the worker. The same holds for `wg.Wait()` under a lock the workers take before "
           "their Done, and for a send under a lock the receiver takes after each receive (before its next "
           "one). godark reports a receive, a range over a channel, a send on an unbuffered channel or a Wait "
           "(not inside a select, or in one whose other cases only wait for shutdown: receives from field "
           "channels that only functions named Stop, Close, Shutdown, Quit or Terminate close or send on, "
           "which do not end the wait while the program runs; medium at most, and not against the function "
           "that gives that signal) made while a lock is held on every path, when a goroutine of the package "
           "(started by a `go` statement, or a function such a goroutine calls) reaches the matching send, "
           "close, Done or receive only after taking the same lock. Both sides are followed through "
           "same-package calls at any depth: the wait may be in a callee (`s.release()` receiving from "
           "`s.dead`), the lock may be taken in a callee of the goroutine (an error handler), and the "
           "goroutine's operation may be in a helper, a deferred call or a func literal called where it is "
           "written (`func() { s.mu.Lock(); defer s.mu.Unlock(); ... }()`). Channels and WaitGroups are matched "
           "by class (field `f` of type `T`; a local `wg := &x.f` is `T.f`). The other side may also be a "
           "func literal handed to code godark does not follow: `time.AfterFunc` or a `Go` method run it in "
           "a new goroutine; a hook registered by name (`On...`, `Register...`, `Subscribe...`, "
           "`Handle...`, `Watch...`, `Notify...`, `Set...`, `Add...Hook/Callback/Listener/Handler`) is "
           "called later from another goroutine (medium); any other call may run it at once (low). A "
           "goroutine that reaches the lock through a TryLock, which may give up, is low. A wait in a function "
           "called through a function value (a hook field, a func parameter, `godark dump-callees`) counts "
           "as the caller's when the value holds one function; when it may hold several, low. Medium confidence "
           "when the "
           "goroutine takes the lock on some paths only, or in an earlier iteration of a loop around its "
           "operation (a receiver that locks after each receive, or in a select's default), or in a func "
           "literal the package passes it for a func-typed parameter it calls (errgroup's Go). Low: a fan-out "
           "under a lock to unbuffered channels the package hands out (a subscriber that calls Close, which "
           "takes the lock, instead of draining deadlocks with it). Not reported: a goroutine that takes the "
           "lock for its own wg.Add (directly or in a callee) and no longer holds it at its Done (a waiter "
           "that holds the lock and sees the count saw it after that Add); a lock that the spawner of the "
           "waiting goroutine took and released before its go statement, or an operation it performs before "
           "it; a channel used as a semaphore whose holder received the token after taking the lock (also "
           "through acquire/release helpers); a receive guarded by `len(ch)`; a callee that releases the "
           "caller's lock before it waits (a hand-off by contract); a lock taken only when a bool parameter "
           "says so; a lock of a loop-local object taken in an earlier iteration; TryLock. Low confidence: a "
           "goroutine that performs the same operation before it takes the lock (a start barrier), a "
           "handshake (the other side writes a request field that the waiter's `if` reads and clears) or a "
           "flag the other side sets before it delivers (`if w.done { <-w.result }`), a goroutine literal "
           "that locks through another variable than the waiter (`root.mu` held, `dir.mu` locked), a channel "
           "handed to code we do not follow (others may deliver), and a goroutine started only by the "
           "package's tests. A deferred operation counts where it runs, at the function's exit.",
    .bad = "package p\n\nimport \"sync\"\n\ntype Worker struct {\n\tmu    sync.Mutex\n\tstop  chan struct{}\n"
           "\tdone  chan struct{}\n\tcount int\n}\n\nfunc (w *Worker) Start() {\n\tgo w.run()\n}\n\n"
           "func (w *Worker) run() {\n\t<-w.stop\n\tw.mu.Lock()\n\tw.count = 0\n\tw.mu.Unlock()\n"
           "\tclose(w.done)\n}\n\nfunc (w *Worker) Stop() {\n\tw.mu.Lock()\n\tdefer w.mu.Unlock()\n"
           "\tclose(w.stop)\n\t<-w.done\n}\n",
    .good = "package p\n\nimport \"sync\"\n\ntype Worker struct {\n\tmu    sync.Mutex\n\tstop  chan struct{}\n"
            "\tdone  chan struct{}\n\tcount int\n}\n\nfunc (w *Worker) Start() {\n\tgo w.run()\n}\n\n"
            "func (w *Worker) run() {\n\t<-w.stop\n\tw.mu.Lock()\n\tw.count = 0\n\tw.mu.Unlock()\n"
            "\tclose(w.done)\n}\n\nfunc (w *Worker) Stop() {\n\tclose(w.stop)\n\t<-w.done\n\tw.mu.Lock()\n"
            "\tdefer w.mu.Unlock()\n\tw.count = -1\n}\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
