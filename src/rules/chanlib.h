/* rules/chanlib: channel operations on a path (send, receive, range, close)
 * and a forward walk over a function's CFG that tells whether some or every
 * path from a point reaches a target event. Used by GD202, GD203, GD204;
 * the leak helpers at the end by GD103 and GD104. */
#ifndef GODARK_CHANLIB_H
#define GODARK_CHANLIB_H

#include "../model/cfg.h"
#include "../model/chan.h"
#include "rulelib.h"

enum chan_op { CH_NONE = 0, CH_SEND = 1, CH_RECV = 2, CH_RANGE = 4, CH_CLOSE = 8 };

/* The channel operation node k performs, or CH_NONE: a send statement (also
 * a select send case), a receive `<-x`, a range clause (over anything: the
 * caller checks the type), a call of the builtin close with one argument.
 * *chan gets the channel expression (unparenthesised). */
enum chan_op chan_op_of(const struct pkg *p, int fi, nid k, nid *chan);

/* Could the nodes in [from, to) change what `path` denotes? An assignment
 * or declaration whose target names the path's root, an address taken of
 * it, and, when the path is not a plain local variable, any call other
 * than a builtin (pkg_calls_only: only calls of functions of the package
 * and calls through the path's root, `s.reset()`). Func literals count (a
 * closure may reassign it). */
bool chan_path_may_change(struct pkg *p, int fi, nid path, nid from, nid to, bool pkg_calls_only);

/* Does the function containing n (or any function around it) call
 * recover()? Then panics are expected (tests of close semantics). */
bool chan_func_recovers(const struct pkg *p, int fi, nid n);

enum chan_walk_class { CW_NONE, CW_TARGET, CW_KILL };

struct chan_walk {
    const struct cfg *g;
    /* Classifies an event: CW_TARGET (the walk found what it looks for and
     * stops there), CW_KILL (the path ends without a finding: the channel
     * was re-made), CW_NONE (go on). Called at most twice per event. */
    enum chan_walk_class (*classify)(void *ud, nid ev);
    void *ud;
    /* A block that branches into a select counts as reaching a target when
     * one of the select's communications is a target (a ready send case on
     * a closed channel may be chosen). */
    bool select_case_hits;
    /* results */
    bool exit;    /* some path reaches a normal exit avoiding targets and kills */
    bool target;  /* some path reaches a target */
    bool kill;    /* some path reaches a kill */
    bool cycle;   /* some path loops forever avoiding targets and kills */
};

/* Walks forward from right after event from_ev of block `from`. */
void chan_walk_run(struct chan_walk *w, int from, int from_ev);
/* Is a target reached on every path (that does not panic) and nothing
 * re-made the channel on the way? */
bool chan_walk_must(const struct chan_walk *w);

/* --- Shared by the leak rules GD103 (abandoned-sender) and GD104
 * (abandoned-receiver), over model/chan's tracked channels. --- */

/* The part of a leak rule's walk over the creator's CFG that
 * chan_leak_stop reads (rules embed it in their own state). */
struct chan_leak_stop {
    const struct chan_info *c;
    const struct gofile *f; /* the creator's file */
    struct pkg *p;
    int fi;
    unsigned loop_kinds; /* the creator's ops (mask of 1 << CHOP_*) that loops_too looks for */
    bool test_fail;      /* also stop at events that fail the test */
    bool loops_too;      /* also stop in loops (not around go) that hold an op of loop_kinds */
    nid go;              /* with loops_too: the go statement */
};
/* Does event ev (a send or receive statement, or a select case's
 * communication) operate on a local channel made in its function that
 * nothing ever serves: a send on an unbuffered channel nobody receives
 * from, a receive from a channel nobody sends on or closes (and that does
 * not escape)? Such an operation blocks forever: a select never picks it
 * while another case can proceed. */
bool chan_op_never_proceeds(struct pkg *p, int fi, nid ev);
/* Does creator event ev end an abandoning path, whatever the rule: it
 * makes the channel again, it fails the test (test_fail), or (loops_too)
 * it is in the body of a loop, not one around go, holding an op of the
 * creator of a kind in loop_kinds (not deferred), and not in a select on
 * the channel? */
bool chan_leak_stop(const struct chan_leak_stop *s, nid ev);
/* Is ev in the header of a loop around node site (its condition or post
 * statement, not its body)? The graph cannot tell how often it runs. */
bool chan_in_loop_header(const struct gofile *f, nid site, nid ev);
/* "Run returns at line 12 when `err != nil`": the name of c's creator (or
 * "the function"), "returns" for the end of its body or "returns at line
 * N" for return statement exit, and chan_exit_why's words when there are
 * any. Arena string of p. */
const char *chan_leak_when(struct pkg *p, const struct chan_info *c, nid exit);
/* Adds to leak finding fd its related locations: go statement go (the
 * goroutine that blocks) and exit, the creator's return ("the return that
 * abandons ch") or the end of its body ("Run ends without <doing> ch"). */
void chan_leak_relate(struct rule_ctx *ctx, struct finding *fd, const struct chan_info *c, nid go, nid exit,
                      const char *doing);

/* Is c made in func main of package main? Its returns end the process:
 * no goroutine outlives them, so nothing leaks when main returns. */
bool chan_creator_is_main(const struct pkg *p, const struct chan_info *c);
#endif
