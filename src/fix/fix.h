/* fix: `godark check --fix` and `--diff`. The machine edits rules attach
 * to findings (finding.h, struct edit) applied to the files atomically, or
 * printed as one unified diff that `patch -p1` applies. */
#ifndef GODARK_FIX_H
#define GODARK_FIX_H

#include <stdio.h>

#include "../report/finding.h"

struct fix_stats {
    size_t findings; /* findings whose edits were applied (or are in the diff) */
    size_t files;    /* files changed (or in the diff) */
    size_t skipped;  /* findings left alone: their edits overlap earlier ones */
    size_t errors;   /* files that could not be read, had changed, or could not be written */
};

/* Chooses the edits of l's findings, in l's order: a finding's edits all
 * apply or none do; a finding with an edit that overlaps one already
 * chosen (two insertions at one place included) is skipped and said on
 * log, and an edit equal to one already chosen counts as made. Then, file
 * by file: with diff == NULL the new text is written through a temporary
 * file in the same directory, fsync and rename (a symbolic link's target
 * is what changes, with its mode kept) and each fixed finding is said on
 * log; otherwise a unified diff (`--- a/F`, `+++ b/F`, F relative to the
 * current directory, or, when a file lies outside it, to the nearest
 * directory above that holds them all, said on log; 3 lines of context)
 * goes to diff and no file
 * changes. A file that changed since it was analysed (an edit beyond its
 * end or off its line) is left alone and counted in errors. Returns false
 * only when writing to diff failed. */
bool fix_run(const struct finding_list *l, FILE *diff, FILE *log, struct fix_stats *st);

/* The unified diff of old (n bytes) against new (m bytes), both labelled
 * label (`a/label`, `b/label`), with 3 lines of context; nothing when equal.
 * Exposed for the unit tests. */
void fix_write_unified(FILE *out, const char *label, const char *old, size_t n, const char *new_text, size_t m);

#endif
