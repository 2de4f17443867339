/* rules/chan_buffer_overfilled: GD111 chan-buffer-overfilled. A local
 * channel made with a constant buffer N gets more than N sends in a row
 * from the goroutine that made it, before any other goroutine can hold it:
 * the send past the buffer (any send, when N is 0) blocks forever.
 * How: from each `ch := make(chan T, N)` (model/chan.h gives N, also a
 * named constant), the statements after it in its own block, in order:
 * plain sends on ch count one, a loop of a constant trip count (`for i :=
 * 0; i < 3; i++`, `for range n` with a named constant n) whose body sends on ch at its top level
 * and cannot leave early counts its sends times its trips; any other
 * statement that mentions ch (a go statement, a receive, a call, a select,
 * an assignment), a label, or a statement that leaves the block ends the
 * walk. Until then no goroutine but the creator has the channel. */
#include "../model/chan.h"
#include "rule.h"
#include "rulelib.h"

/* Is statement s a plain send on the channel named `name` whose value
 * does not mention it? */
static bool send_on(const struct gofile *f, nid s, struct str name)
{
    if (ast_kind(f, s) != N_SEND_STATEMENT) return false;
    nid ch = ast_unparen(f, ast_child(f, s, F_CHANNEL)), v = ast_child(f, s, F_VALUE);
    return ast_kind(f, ch) == N_IDENTIFIER && str_eqs(ast_text(f, ch), name) && (!v || !rl_mentions(f, v, name, false));
}

/* Can subtree n leave the straight line: a return, break, continue, goto,
 * label, fallthrough, or a call that does not return (panic, log.Fatal,
 * t.Fatal...)? Func literals are skipped: their bodies run elsewhere. */
static bool may_leave(struct pkg *p, int fi, nid n)
{
    const struct gofile *f = &p->files[fi];
    for (nid k = n; k < f->nodes[n].end; k++) {
        switch (ast_kind(f, k)) {
        case N_FUNC_LITERAL: k = f->nodes[k].end - 1; break;
        case N_RETURN_STATEMENT:
        case N_BREAK_STATEMENT:
        case N_CONTINUE_STATEMENT:
        case N_GOTO_STATEMENT:
        case N_LABELED_STATEMENT:
        case N_FALLTHROUGH_STATEMENT: return true;
        case N_CALL_EXPRESSION:
            if (model_is_noreturn_call(p, fi, k)) return true;
            break;
        default: break;
        }
    }
    return false;
}

/* The sends of loop `loop` on `name` per iteration when every mention of
 * the channel in its body is such a send at the body's top level and the
 * body cannot leave early; -1 otherwise. *first gets the first send. */
static long loop_sends(struct pkg *p, int fi, nid loop, struct str name, nid *first)
{
    const struct gofile *f = &p->files[fi];
    nid body = rl_for_body(f, loop);
    if (!body || may_leave(p, fi, body)) return -1;
    long k = 0;
    nid list = ast_first_child(f, body);
    if (ast_kind(f, list) != N_STATEMENT_LIST) return rl_mentions(f, loop, name, false) ? -1 : 0;
    AST_FOR_CHILDREN(f, list, s)
    {
        if (send_on(f, s, name)) {
            if (!k) *first = s;
            k++;
        } else if (rl_mentions(f, s, name, false)) {
            return -1;
        }
    }
    /* the loop variable must not be changed in the body (`i++` there
     * skips trips) */
    nid clause = ast_first_child(f, loop);
    if (ast_kind(f, clause) == N_FOR_CLAUSE) {
        nid iv = ast_first_child(f, ast_child(f, ast_child(f, clause, F_INITIALIZER), F_LEFT));
        struct str ivn = ast_text(f, iv);
        for (nid k = body; k < f->nodes[body].end; k++) {
            if (ast_kind(f, k) != N_IDENTIFIER || !str_eqs(ast_text(f, k), ivn)) continue;
            nid par = ast_parent(f, k);
            enum node_kind pk = ast_kind(f, par);
            if (rl_ident_is_written(f, k) || pk == N_INC_STATEMENT || pk == N_DEC_STATEMENT ||
                (pk == N_EXPRESSION_LIST && f->nodes[par].field == F_LEFT) ||
                (pk == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND))
                return -1;
        }
    }
    /* the loop header must not mention it either */
    for (nid c = ast_first_child(f, loop); c; c = ast_next(f, c))
        if (c != body && rl_mentions(f, c, name, false)) return -1;
    return k;
}

static const char *ordinal(long n)
{
    if (n % 100 >= 11 && n % 100 <= 13) return "th";
    return n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
}

static void report(struct rule_ctx *ctx, const struct chan_info *c, nid at, long nth, bool in_loop)
{
    const struct gofile *f = ctx->f;
    struct str name = ast_text(f, c->name);
    struct finding *fd;
    if (c->buf == 0)
        fd = rule_report(ctx, at,
                         "this send on the unbuffered %.*s blocks forever: no other goroutine has the channel yet, so "
                         "nobody can receive",
                         (int)name.n, name.p);
    else
        fd = rule_report(ctx, at,
                         "the %ld%s send on %.*s%s blocks forever: its buffer holds %ld and no other goroutine has the "
                         "channel yet, so nobody can receive",
                         nth, ordinal(nth), (int)name.n, name.p, in_loop ? " (in this loop)" : "", c->buf);
    if (!fd) return;
    rule_related(ctx, fd, c->make, "%.*s made here", (int)name.n, name.p);
    fd->fix = xasprintf("start the receiver before sending, or make the buffer hold every value sent before it runs");
}

static void visit(struct rule_ctx *ctx, nid n)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    if (!chan_is_make(p, ctx->fi, n)) return;
    struct chan_info c;
    if (!chan_track(p, ctx->fi, n, &c)) return;
    long buf = c.buf;
    struct str name = ast_text(f, c.name);
    /* the statement declaring it, in a statement list */
    nid st = n;
    while (st && ast_kind(f, ast_parent(f, st)) != N_STATEMENT_LIST) st = ast_parent(f, st);
    if (buf < 0 || !st || (ast_kind(f, st) != N_SHORT_VAR_DECLARATION && ast_kind(f, st) != N_VAR_DECLARATION)) {
        chan_info_free(&c);
        return;
    }
    long sent = 0;
    for (nid s = ast_next(f, st); s; s = ast_next(f, s)) {
        if (send_on(f, s, name)) {
            if (++sent > buf) {
                report(ctx, &c, s, sent, false);
                break;
            }
            continue;
        }
        if (ast_kind(f, s) == N_FOR_STATEMENT) {
            long trips = chan_loop_trips_const(p, ctx->fi, s);
            nid first = 0;
            long k = trips > 0 ? loop_sends(p, ctx->fi, s, name, &first) : -1;
            if (k < 0) break;
            if (k == 0) continue;
            if (sent + trips * k > buf) {
                report(ctx, &c, first, buf + 1, true);
                break;
            }
            sent += trips * k;
            continue;
        }
        /* a statement that ends the straight line (return, panic, a
         * jump or a label that a goto may reach) ends the walk; one that
         * only may leave (`if err != nil { return }`) does not: the sends
         * after it are reached through it */
        enum node_kind sk = ast_kind(f, s);
        if (rl_mentions(f, s, name, false) || sk == N_LABELED_STATEMENT || sk == N_BREAK_STATEMENT ||
            sk == N_CONTINUE_STATEMENT || sk == N_FALLTHROUGH_STATEMENT || rl_terminates(p, ctx->fi, s))
            break;
    }
    chan_info_free(&c);
}

const struct rule rule_chan_buffer_overfilled = {
    .id = "GD111",
    .name = "chan-buffer-overfilled",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "A local channel gets more sends than its buffer holds before any other goroutine can receive "
               "from it: the send past the buffer blocks forever.",
    .why = "A send on a channel whose buffer is full (any send, on an unbuffered channel) waits for a receiver. "
           "Right after `ch := make(chan T, N)` only the goroutine that made the channel has it; until it starts "
           "a receiver (`go consume(ch)`), receives itself, or hands the channel on, nobody else can receive, so "
           "the send that finds the buffer full waits forever: a deadlock in `main` or a test, a leaked "
           "goroutine anywhere else. It happens when a producer loop is written before the consumer is "
           "started, when the buffer was sized for fewer results than are sent (`make(chan error, 2)` for three "
           "tasks), or when a value is sent on an unbuffered channel before its reader runs. godark follows the "
           "statements after the `make` in its block, in order: plain sends count one each; a loop with a "
           "constant trip count (`for i := 0; i < 4; i++`, `for range n` with `const n = 4`) whose body sends at its top level and "
           "cannot leave early counts its sends times its trips; a statement that only may return (`if err != "
           "nil { return err }`) does not matter, since the sends after it are reached through it. Anything else "
           "that mentions the channel (a go statement, a receive, a call, a select, an assignment, a func "
           "literal), a label, or a statement that ends the straight line stops the count. The buffer must be a "
           "constant (a literal or a named constant).",
    .bad = "package fanout\n\n"
           "func Results(tasks [3]func() error) []error {\n\terrs := make(chan error, 2)\n"
           "\tfor i := 0; i < 3; i++ {\n\t\terrs <- tasks[i]() // the third send finds the buffer full\n\t}\n"
           "\tclose(errs)\n\tvar out []error\n\tfor err := range errs {\n\t\tout = append(out, err)\n\t}\n"
           "\treturn out\n}\n",
    .good = "package fanout\n\n"
            "func Results(tasks [3]func() error) []error {\n\terrs := make(chan error, len(tasks))\n"
            "\tfor i := 0; i < 3; i++ {\n\t\terrs <- tasks[i]()\n\t}\n"
            "\tclose(errs)\n\tvar out []error\n\tfor err := range errs {\n\t\tout = append(out, err)\n\t}\n"
            "\treturn out\n}\n",
    .tests_low = true,
    .fix_safety = NULL,
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
