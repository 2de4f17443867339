/* check/baseline: adopting godark on an old codebase. A baseline file
 * lists the findings a team has accepted (`--write-baseline FILE`); a
 * later run with `--baseline FILE` hides them, matched by rule, file and
 * fingerprint (finding_fingerprint: the code of the line, so they survive
 * line shifts), each entry hiding one finding. `--new-from-rev REV` keeps
 * only findings on lines changed since the git revision REV (and in files
 * git does not track yet).
 *
 * Files are named relative to root (the repository root or
 * --path-prefix), so a baseline written from one directory serves every
 * other. */
#ifndef GODARK_BASELINE_H
#define GODARK_BASELINE_H

#include "../report/finding.h"

/* Writes the findings of l to path atomically (a temporary file renamed).
 * Returns false with a one-line error on stderr. */
bool baseline_write(const char *path, const struct finding_list *l, const char *root);

/* Removes from l the findings path's entries match. Returns the number
 * removed, or -1 with a one-line error on stderr naming the file and the
 * line of a bad entry. */
long baseline_apply(const char *path, struct finding_list *l, const char *root);

/* Removes from l the findings outside the lines changed since rev
 * (`git diff REV`, run in root) and outside untracked files. Returns the
 * number removed, or -1 with a one-line error (git missing, bad rev). */
long baseline_new_from_rev(const char *rev, struct finding_list *l, const char *root);

#endif
