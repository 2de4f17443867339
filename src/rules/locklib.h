/* rules/locklib: what the lock rules (GD402-GD404) share: reporting the
 * package's lock issues (model/summary.h) of one kind for one file. */
#ifndef GODARK_LOCKLIB_H
#define GODARK_LOCKLIB_H

#include "../model/summary.h"
#include "rule.h"

/* Calls report(ctx, issue) for every lock issue of file ctx->fi whose kind
 * is in the 0-terminated... kinds mask (1 << enum lock_issue_kind). */
void locklib_report(struct rule_ctx *ctx, unsigned kinds,
                    void (*report)(struct rule_ctx *ctx, const struct lock_issue *li));
/* " (locked at line 12)" or "" : an arena string of the package. */
const char *locklib_at_line(struct rule_ctx *ctx, const char *verb, uint32_t line);

/* The file name of path without its directories: the other site of a
 * finding is in the same package, so its base name names it, and message
 * text carries no absolute path (the full location goes in `related`). */
const char *locklib_base(const char *path);

/* When statement s (an expression statement, or the call of a defer
 * statement when s is one) is a call `X.M()` with no arguments and M one of
 * Lock, RLock, Unlock, RUnlock: M's index in that order (0..3), with *x the
 * operand X; -1 otherwise. A method of the package's own type X whose
 * declaration takes parameters or returns results is no lock method (-1). */
int locklib_lock_stmt(struct rule_ctx *ctx, nid s, nid *x);

#endif
