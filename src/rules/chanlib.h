/* rules/chanlib: channel operations on a path (send, receive, range, close)
 * and a forward walk over a function's CFG that tells whether some or every
 * path from a point reaches a target event. Used by GD202, GD203, GD204. */
#ifndef GODARK_CHANLIB_H
#define GODARK_CHANLIB_H

#include "../model/cfg.h"
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

#endif
