/* rules/unbounded_goroutine_spawn: GD106. A `go` statement inside a loop
 * driven by an unbounded source — every value received from a channel (a
 * range over it, or a receive in the loop), or every element of data taken
 * from an HTTP request — with nothing that limits how many run at once.
 * How: visits go statements; the innermost enclosing loop of the same
 * function decides the source (channel types from the model; timer channels
 * and accept loops are left out); a send, a semaphore Acquire or a bare
 * receive before the go, a send/receive pair on one channel inside the
 * goroutine, or a wait after it count as a limit. Low confidence. */
#include "rulelib.h"

#include <stdio.h>
#include <string.h>

/* Is e a channel that a timer fills (a Ticker's or Timer's C, time.Tick,
 * time.After)? Such loops are paced by time, not driven by requests. */
static bool timer_chan(struct rule_ctx *ctx, nid e)
{
    const struct gofile *f = ctx->f;
    e = ast_unparen(f, e);
    if (ast_kind(f, e) == N_CALL_EXPRESSION)
        return model_is_call(ctx->pkg, ctx->fi, e, "time", "Tick") ||
               model_is_call(ctx->pkg, ctx->fi, e, "time", "After");
    if (ast_kind(f, e) == N_SELECTOR_EXPRESSION && ast_text_is(f, ast_child(f, e, F_FIELD), "C")) {
        const struct ltype *t = model_type_of(ctx->pkg, ctx->fi, ast_child(f, e, F_OPERAND));
        return ltype_is(t, "time", "Ticker", true) || ltype_is(t, "time", "Timer", true);
    }
    return false;
}

/* Is e a channel by the model (not a timer's)? */
static bool data_chan(struct rule_ctx *ctx, nid e)
{
    struct ltype *t = model_type_of(ctx->pkg, ctx->fi, e);
    if (t) t = model_underlying(ctx->pkg, t);
    if (!t || t->kind != LT_CHAN) return false;
    return !timer_chan(ctx, e);
}

/* The operand of a receive `<-x` (parentheses stripped), or 0. */
static nid recv_operand(const struct gofile *f, nid e)
{
    e = ast_unparen(f, e);
    if (ast_kind(f, e) != N_UNARY_EXPRESSION || f->nodes[e].op != OP_ARROW) return 0;
    return ast_unparen(f, ast_first_child(f, e));
}

/* For a statement that binds a received value (`v := <-ch`, `v, ok = <-ch`,
 * a select case `case v := <-ch:`), the channel; else 0. */
static nid binding_receive(const struct gofile *f, nid s)
{
    enum node_kind k = ast_kind(f, s);
    if (k != N_SHORT_VAR_DECLARATION && k != N_ASSIGNMENT_STATEMENT && k != N_RECEIVE_STATEMENT) return 0;
    nid left = ast_child(f, s, F_LEFT), right = ast_child(f, s, F_RIGHT);
    if (!left || !right) return 0;
    if (ast_kind(f, right) == N_EXPRESSION_LIST) {
        if (ast_child_count(f, right) != 1) return 0;
        right = ast_first_child(f, right);
    }
    return recv_operand(f, right);
}

static bool is_case_kind(enum node_kind k)
{
    return k == N_COMMUNICATION_CASE || k == N_EXPRESSION_CASE || k == N_TYPE_CASE || k == N_DEFAULT_CASE;
}

/* Sources. */
enum source { SRC_NONE, SRC_RANGE, SRC_RECV, SRC_REQUEST };

/* The *http.Request parameter of a handler func (w http.ResponseWriter,
 * r *http.Request), as its declaring identifier, or 0. */
static nid request_param(struct rule_ctx *ctx, nid fn)
{
    const struct gofile *f = ctx->f;
    nid params = ast_child(f, fn, F_PARAMETERS);
    if (!params) return 0;
    bool writer = false;
    nid req = 0;
    AST_FOR_CHILDREN(f, params, pd)
    {
        if (ast_kind(f, pd) != N_PARAMETER_DECLARATION) continue;
        nid ty = ast_child(f, pd, F_TYPE);
        if (model_is_ref(ctx->pkg, ctx->fi, ty, "net/http", "ResponseWriter")) writer = true;
        if (ast_kind(f, ty) == N_POINTER_TYPE && model_is_ref(ctx->pkg, ctx->fi, ast_first_child(f, ty), "net/http",
                                                             "Request"))
            req = ast_child(f, pd, F_NAME);
    }
    return writer ? req : 0;
}

/* Does subtree n hold an identifier that resolves to declaring name `decl_name`? */
static bool mentions(struct rule_ctx *ctx, nid n, nid decl_name)
{
    const struct gofile *f = ctx->f;
    for (nid k = n; k < f->nodes[n].end; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER) continue;
        nid dn, nm;
        if (k == decl_name || (model_resolve_local(ctx->pkg, ctx->fi, k, &dn, &nm) && nm == decl_name)) return true;
    }
    return false;
}

/* Does expression e come from the request: it mentions the request
 * parameter, or a local that some statement of the handler fills from the
 * request (`ids := r.URL.Query()["id"]`, `json.NewDecoder(r.Body).Decode(&req)`,
 * `n, _ := strconv.Atoi(r.FormValue("n"))`)? *via gets the identifier. */
static bool from_request(struct rule_ctx *ctx, nid fn, nid req, nid e, nid *via)
{
    const struct gofile *f = ctx->f;
    nid body = ast_child(f, fn, F_BODY);
    for (nid id = e; id < f->nodes[e].end; id++) {
        if (ast_kind(f, id) != N_IDENTIFIER) continue;
        nid dn, nm;
        if (!model_resolve_local(ctx->pkg, ctx->fi, id, &dn, &nm)) continue;
        if (nm == req) {
            *via = id;
            return true;
        }
        for (nid k = body; k < f->nodes[body].end; k++) {
            enum node_kind kk = ast_kind(f, k);
            if (kk == N_FUNC_LITERAL) {
                k = f->nodes[k].end - 1;
                continue;
            }
            if (kk != N_SHORT_VAR_DECLARATION && kk != N_ASSIGNMENT_STATEMENT && kk != N_EXPRESSION_STATEMENT &&
                kk != N_VAR_SPEC)
                continue;
            if (mentions(ctx, k, nm) && mentions(ctx, k, req)) {
                *via = id;
                return true;
            }
        }
    }
    return false;
}

/* What drives loop `loop` for the go statement `go`; *src_expr gets the
 * channel or request data, for the message. */
static enum source loop_source(struct rule_ctx *ctx, nid loop, nid go, nid *src_expr)
{
    const struct gofile *f = ctx->f;
    nid rc = 0, body = rl_for_body(f, loop), header = 0;
    AST_FOR_CHILDREN(f, loop, c)
    {
        if (ast_kind(f, c) == N_RANGE_CLAUSE) rc = c;
        else if (c != body) header = c;
    }
    if (rc) {
        nid x = ast_child(f, rc, F_RIGHT);
        if (ast_child(f, rc, F_LEFT) && data_chan(ctx, x)) {
            *src_expr = x;
            return SRC_RANGE;
        }
        header = x;
    }
    /* a receive that binds a value, in the loop before the go: a select
     * case around it, or a statement earlier in the body */
    for (nid a = ast_parent(f, go); a && a != loop; a = ast_parent(f, a)) {
        if (ast_kind(f, a) != N_COMMUNICATION_CASE) continue;
        nid ch = binding_receive(f, ast_child(f, a, F_COMMUNICATION));
        if (ch && data_chan(ctx, ch)) {
            *src_expr = ch;
            return SRC_RECV;
        }
    }
    for (nid k = body; k && k < go; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL || kk == N_COMMUNICATION_CASE) {
            if (!ast_contains(f, k, go)) k = f->nodes[k].end - 1;
            continue;
        }
        nid ch = binding_receive(f, k);
        if (ch && data_chan(ctx, ch)) {
            *src_expr = ch;
            return SRC_RECV;
        }
    }
    /* a loop over request data in an HTTP handler */
    nid fn = model_enclosing_func(f, go);
    nid req = fn ? request_param(ctx, fn) : 0;
    if (req && header) {
        nid e = header;
        if (ast_kind(f, e) == N_FOR_CLAUSE) e = ast_child(f, e, F_CONDITION);
        nid via = 0;
        if (e && from_request(ctx, fn, req, e, &via)) {
            *src_expr = via;
            return SRC_REQUEST;
        }
    }
    return SRC_NONE;
}

/* Is `call` a method call named one of a limiter's methods (semaphore
 * Acquire, rate limiter Wait, WaitGroup Wait...)? Unknown receivers count:
 * the rule only stays quieter. */
static bool limiter_call(const struct gofile *f, nid call)
{
    static const char *const names[] = {"Acquire", "TryAcquire", "Wait", "WaitN", "Take", "Allow", "Reserve"};
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION) return false;
    nid field = ast_child(f, fe, F_FIELD);
    for (size_t i = 0; i < GD_ARRAY_LEN(names); i++)
        if (ast_text_is(f, field, names[i])) return true;
    return false;
}

/* Does subtree n hold a receive (other than from src) or a limiter call,
 * outside func literals? */
static bool waits_in(struct rule_ctx *ctx, nid n, nid src)
{
    const struct gofile *f = ctx->f;
    for (nid k = n; k < f->nodes[n].end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk == N_CALL_EXPRESSION && limiter_call(f, k)) return true;
        nid op = recv_operand(f, k);
        if (op && !(src && rl_same_path(ctx->pkg, ctx->fi, op, src))) return true;
    }
    return false;
}

/* Is there a limit around the spawn? In the loop body before the go
 * (outside func literals and other select cases): a send (semaphore
 * acquire), a limiter call or a receive that binds nothing (`<-tokens`).
 * After the go, in the statements that follow it: a receive or a wait (one
 * goroutine at a time). Inside the goroutine's literal: a send and a
 * receive on the same channel path (a semaphore taken inside), or a
 * limiter call. */
static bool limited(struct rule_ctx *ctx, nid loop, nid go, nid src)
{
    const struct gofile *f = ctx->f;
    nid body = rl_for_body(f, loop);
    if (!body) return true;
    for (nid k = body; k < go; k++) {
        enum node_kind kk = ast_kind(f, k);
        if ((kk == N_FUNC_LITERAL || is_case_kind(kk)) && !ast_contains(f, k, go)) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk == N_SEND_STATEMENT && f->nodes[k].field != F_COMMUNICATION) return true;
        if (kk == N_CALL_EXPRESSION && limiter_call(f, k)) return true;
        nid op = recv_operand(f, k);
        if (op && ast_kind(f, ast_parent(f, k)) == N_EXPRESSION_STATEMENT &&
            !(src && rl_same_path(ctx->pkg, ctx->fi, op, src)))
            return true;
    }
    /* the statements after the go, up to the loop body */
    for (nid st = go; st && st != body; st = ast_parent(f, st)) {
        if (is_case_kind(ast_kind(f, st))) break; /* other cases are other iterations */
        for (nid n = ast_next(f, st); n; n = ast_next(f, n))
            if (waits_in(ctx, n, src)) return true;
    }
    nid call = ast_first_child(f, go);
    nid lit = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, lit) == N_FUNC_LITERAL) {
        nid lb = ast_child(f, lit, F_BODY);
        for (nid k = lb; k < f->nodes[lb].end; k++) {
            if (ast_kind(f, k) == N_CALL_EXPRESSION && limiter_call(f, k)) return true;
            if (ast_kind(f, k) != N_SEND_STATEMENT) continue;
            nid ch = ast_unparen(f, ast_child(f, k, F_CHANNEL));
            for (nid r = lb; r < f->nodes[lb].end; r++) {
                nid op = recv_operand(f, r);
                if (op && rl_same_path(ctx->pkg, ctx->fi, op, ch)) return true;
            }
        }
    }
    return false;
}

/* Does the go statement run on every iteration that reaches it: between it
 * and the loop body (or the select case that received the value) there are
 * only blocks, no if, switch or inner loop? A conditional spawn (`if
 * len(batch) >= max { go flush() }`) is not one per value. */
static bool unconditional(const struct gofile *f, nid loop, nid go)
{
    nid body = rl_for_body(f, loop);
    for (nid a = ast_parent(f, go); a && a != body; a = ast_parent(f, a)) {
        enum node_kind k = ast_kind(f, a);
        if (k == N_COMMUNICATION_CASE) {
            nid sel = ast_parent(f, a);
            return ast_parent(f, sel) == body || ast_parent(f, ast_parent(f, sel)) == body;
        }
        if (k != N_BLOCK && k != N_STATEMENT_LIST) return false;
    }
    return true;
}

static void visit(struct rule_ctx *ctx, nid go)
{
    const struct gofile *f = ctx->f;
    if (rl_is_test_file(f)) return; /* a test's inputs are bounded by the test */
    nid loop = rl_enclosing_loop(f, go);
    if (!loop || !unconditional(f, loop, go)) return;
    nid src = 0;
    enum source s = loop_source(ctx, loop, go, &src);
    if (s == SRC_NONE) return;
    if (limited(ctx, loop, go, s == SRC_REQUEST ? 0 : src)) return;
    struct str t = ast_text(f, src);
    int tn = t.n > 60 ? 60 : (int)t.n;
    const char *ell = t.n > 60 ? "..." : "";
    struct finding *fd;
    if (s == SRC_REQUEST)
        fd = rule_report(ctx, go,
                         "a goroutine is started in this HTTP handler for every iteration of a loop over request "
                         "data (%.*s%s) with no limit: one request can start any number of goroutines at once; use "
                         "a fixed pool of workers, a semaphore or errgroup.SetLimit",
                         tn, t.p, ell);
    else
        fd = rule_report(ctx, go,
                         "a goroutine is started for every value received from %.*s%s with no limit: a burst of "
                         "values starts as many goroutines at once (memory, scheduler and downstream load grow with "
                         "it); use a fixed pool of workers ranging over the channel, or a semaphore",
                         tn, t.p, ell);
    rule_related(ctx, fd, loop, "the loop that spawns");
    fd->fix = xstrdup("start a fixed number of workers once (`for i := 0; i < n; i++ { go worker(ch) }`, each "
                      "ranging over the channel), or take a slot of a buffered channel `sem <- struct{}{}` before "
                      "the go statement and release it with `defer func() { <-sem }()` in the goroutine");
}

const struct rule rule_unbounded_goroutine_spawn = {
    .id = "GD106",
    .name = "unbounded-goroutine-spawn",
    .severity = SEV_WARNING,
    .confidence = CONF_LOW,
    .summary = "A goroutine is started for every value from a channel or every item of a request, with no limit.",
    .why = "A goroutine costs little, but not nothing: at least a few kilobytes of stack, a scheduler entry, and "
           "whatever it holds while it waits (buffers, connections, locks on a downstream service). A loop that "
           "starts one goroutine per received value or per request item makes the number of goroutines follow "
           "the input instead of the machine: a burst of messages or one large request starts thousands at "
           "once, memory and latency climb, the downstream service is flooded, and nothing pushes back on the "
           "producer. A fixed pool of workers that range over a shared buffered channel keeps the count "
           "constant and lets the channel's buffer absorb bursts and block producers when it is full (in one reported case "
           "this took a data-sync service from ~1000 new goroutines a second to 12 resident workers and its p99 "
           "latency from 420 ms to 23 ms). A semaphore "
           "(a buffered channel taken before the `go` and released when the goroutine ends, "
           "golang.org/x/sync/semaphore, or errgroup.SetLimit) bounds the count as well. "
           "godark reports a `go` whose innermost loop ranges over a channel or receives a value from one, or "
           "loops over data of the request in an HTTP handler, unless something limits it: a send or a bare "
           "receive before the `go`, a semaphore Acquire or rate limiter Wait, a send and receive on one "
           "channel inside the goroutine, or a wait after the `go`. Fixed-count loops (worker pools) are not "
           "reported. Accept loops (`for { c, err := l.Accept(); ...; go serve(c) }`) are deliberately left out: "
           "one goroutine per connection is net/http's own design, the connections are bounded by the listener "
           "backlog and file descriptor limits, and the right limit there is netutil.LimitListener, a policy "
           "decision rather than a bug. Timer-driven loops (a ticker's channel) are left out too. The rule is "
           "low confidence: many programs know their producers are slow or bounded.",
    .bad = "package p\n\ntype SyncTask struct{ Payload []byte }\n\n// Every task gets its own goroutine: a burst "
           "of tasks starts a burst of goroutines.\nfunc dispatch(tasks <-chan *SyncTask, write func([]byte)) {\n"
           "\tfor task := range tasks {\n\t\tgo write(task.Payload)\n\t}\n}\n",
    .good = "package p\n\ntype SyncTask struct{ Payload []byte }\n\n// A fixed pool: 12 long-running workers "
            "consume the shared task queue;\n// the queue's buffer (128) absorbs bursts and blocks producers when "
            "full.\nfunc startWorkers(write func([]byte)) chan<- *SyncTask {\n\ttasks := make(chan *SyncTask, "
            "128)\n\tfor i := 0; i < 12; i++ {\n\t\tgo func() {\n\t\t\tfor task := range tasks {\n"
            "\t\t\t\twrite(task.Payload) // synchronous: no goroutine per task\n\t\t\t}\n\t\t}()\n\t}\n"
            "\treturn tasks\n}\n\n// Producers (HTTP handlers, consumers of other queues) only enqueue.\n"
            "func enqueue(tasks chan<- *SyncTask, payload []byte) {\n\ttasks <- &SyncTask{Payload: payload}\n}\n",
    .fix_safety = "A worker pool or semaphore changes when work starts: producers now block (or queue) when all "
                  "workers are busy, which is the point, but a producer that must never block needs a select "
                  "with a default branch or a bigger buffer.",
    .kinds = {N_GO_STATEMENT},
    .visit = visit,
};
