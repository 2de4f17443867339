/* report/paths: one path style per output. The text, JSON, GitHub,
 * checkstyle and JUnit reports name files relative to the current
 * directory (`cmd/x/f.go`, `../lib/g.go`; absolute only when nothing but
 * the root is shared), whatever the arguments looked like (`./cmd/...`,
 * an absolute path); SARIF names them relative to the repository root
 * (%SRCROOT%). All results are malloc'd. */
#ifndef GODARK_PATHS_H
#define GODARK_PATHS_H

#include "../base/base.h"

/* Lexical cleaning, as Go's filepath.Clean: no "." components, ".."
 * folded where it can be, no doubled or trailing slashes; "" is ".". */
char *path_clean(const char *p);
/* p made absolute against the current directory, cleaned. */
char *path_abs(const char *p);
/* Clean absolute path abs relative to clean absolute directory base: "x/y"
 * under it, "../x" beside it, abs itself when only "/" is shared. */
char *path_rel(const char *abs, const char *base);
/* p as the reports print it: relative to the current directory. */
char *path_display(const char *p);
/* file (relative to the current directory, or absolute) relative to the
 * clean absolute directory root when it lies under it, else absolute:
 * SARIF's URIs and GitHub's annotations name files so. */
char *path_under_root(const char *file, const char *root);
/* The repository root: the nearest directory at or above the current one
 * holding a .git entry, cleaned; NULL when none. */
char *path_repo_root(void);

#endif
