/* model/cfg: per-function control flow graphs over the syntax tree.
 *
 * A graph has basic blocks; each block holds, in execution order, the
 * "events" it evaluates: simple statements (expression, send, inc/dec,
 * assignment, :=, var/const declarations, go, defer, return, receive in a
 * select case), and the header expressions of compound statements (an if's
 * condition, a for's condition and post statement, a range clause, a switch
 * value, a type switch guard; an expression case's values start the case's
 * block). Compound statements themselves never appear.
 * Nothing inside a func literal belongs to the enclosing graph: a literal
 * has its own graph (cfg_build on the func_literal node).
 *
 * Exits: every `return` and falling off the end of the body lead to the
 * single EXIT block. Statements that never return (panic, os.Exit,
 * log.Fatal*, t.Fatal*, runtime.Goexit — see model_is_noreturn_call) and
 * `select {}` lead to the NORETURN block instead, so "paths to a function
 * exit" are paths to EXIT. Deferred calls are not copied into the graph:
 * a defer statement is an event where it is registered, and analyses apply
 * the registered defers when they reach EXIT (and NORETURN, for panics).
 *
 * Blocks with no predecessors other than ENTRY-reachability are unreachable
 * (code after an infinite loop, after a return); cfg_reachable tells.
 */
#ifndef GODARK_CFG_H
#define GODARK_CFG_H

#include "model.h"

enum cfg_block_kind {
    CB_PLAIN,
    CB_ENTRY,
    CB_EXIT,     /* normal return: every return statement and the end of the body */
    CB_NORETURN, /* panics, os.Exit, log.Fatal, t.Fatal, Goexit, select {} */
};

/* Why control enters a block, for the edges out of a condition. */
enum cfg_edge_kind {
    CE_ALWAYS,
    CE_TRUE,  /* the block's `cond` is true */
    CE_FALSE, /* the block's `cond` is false */
};

struct cfg_edge {
    int to;
    uint8_t kind; /* enum cfg_edge_kind */
};

struct cfg_block {
    uint8_t kind;  /* enum cfg_block_kind */
    nid *events;   /* in execution order */
    int nevents;
    struct cfg_edge *succs;
    int nsuccs;
    int *preds;
    int npreds;
    /* The last event when it is a branch condition (if, for): then succs
     * carry CE_TRUE / CE_FALSE. 0 otherwise. */
    nid cond;
    /* The statement this block starts (the body of a case, a loop head...),
     * for dumps and messages; 0 when none. */
    nid stmt;
    /* The break, continue or goto statement that ends this block (its one
     * edge goes to the jump's target), for messages; 0 when none. */
    nid jump;
};

struct cfg {
    const struct gofile *f;
    nid fn;   /* function_declaration, method_declaration or func_literal */
    nid body; /* its block, 0 for a declaration without body */
    struct cfg_block *blocks;
    int nblocks;
    int entry, exit, noreturn;
    int falloff; /* the block that falls off the end of the body into EXIT
                    (no return there), or -1 when no path does */
    nid *defers; /* defer statements of this function (not of nested literals), in source order */
    int ndefers;
    nid *literals; /* func literals directly inside (not nested in another literal) */
    int nliterals;
    bool has_goto;
    /* private: reachability and reverse post-order */
    uint8_t *reach;
    int *rpo, nrpo;
    struct arena arena;
};

/* Builds the graph of function fn (a function_declaration,
 * method_declaration or func_literal) of file fi. Never fails: a function
 * without a body has ENTRY -> EXIT. Free with cfg_free. */
struct cfg *cfg_build(const struct pkg *p, int fi, nid fn);
void cfg_free(struct cfg *g);

/* Is block b reachable from ENTRY? (Computed once, by cfg_build.) */
bool cfg_reachable(const struct cfg *g, int b);
/* Blocks in reverse post-order from ENTRY (reachable ones only); *n gets
 * the count. Owned by g. */
const int *cfg_rpo(const struct cfg *g, int *n);
/* The block holding event node ev (or an event containing it), or -1. */
int cfg_block_of(const struct cfg *g, nid ev);

/* Forward search over paths that avoid "stop" events. Starting right after
 * event index from_ev of block `from` (from_ev = -1: at the block's start),
 * follows edges and sets, for every block b:
 *   out[b] |= CFG_REACH_ENTERED  when control can enter b's start, and
 *   out[b] |= CFG_REACH_THROUGH  when it can also get to b's end,
 * on a path where no event for which stop(ud, ev) is true is evaluated (a
 * stop event blocks the path; the stopped event's block is entered but not
 * gone through). `from` itself is marked ENTERED only when a path comes
 * back to its start. out has g->nblocks bytes; the caller zeroes it.
 * "Is there a path to EXIT avoiding P" is out[g->exit] & CFG_REACH_ENTERED;
 * the exits taken are the predecessors p of g->exit with out[p] &
 * CFG_REACH_THROUGH (plus `from` itself when from_ev >= 0 and it has an
 * edge to EXIT and no stop event after from_ev). */
enum { CFG_REACH_ENTERED = 1, CFG_REACH_THROUGH = 2 };
void cfg_reach_avoiding(const struct cfg *g, int from, int from_ev, bool (*stop)(void *ud, nid ev), void *ud,
                        uint8_t *out);
/* Block and event index of the event that is or contains node n; false
 * when n is in no event of g. */
bool cfg_event_pos(const struct cfg *g, nid n, int *block, int *index);

/* Calls cb for every call_expression inside event ev in evaluation order
 * (arguments before the call), not entering func literals. A `go` or
 * `defer` statement's own call is not visited (it runs later or elsewhere)
 * but its arguments are (they are evaluated now). Stops early when cb
 * returns false. */
void cfg_event_calls(const struct gofile *f, nid ev, bool (*cb)(void *ud, nid call), void *ud);

/* The identifiers a func literal captures: identifiers used inside it that
 * resolve to a local declaration outside it (parameters and locals of the
 * enclosing functions). Each declaration once; name nodes are the
 * declaring identifiers. Caller frees *out with free(). */
int cfg_captures(const struct pkg *p, int fi, nid lit, nid **out_name_nodes);

/* Writes a readable form of the graph (for tests and `godark dump-cfg`):
 * one line per block: "b3 [exit] <- b1 b2 : if@5:3 ..." */
void cfg_dump(const struct cfg *g, struct buf *out);

#endif
