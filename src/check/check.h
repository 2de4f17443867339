/* check: the `godark check` pipeline. Finds packages from the patterns,
 * parses and analyses them on worker threads, applies suppressions, and
 * returns the findings in a deterministic order. */
#ifndef GODARK_CHECK_H
#define GODARK_CHECK_H

#include "../report/finding.h"

struct check_opts {
    int jobs;              /* worker threads; <= 0 means online cores */
    bool tests;            /* include _test.go files */
    bool generated;        /* report in generated files too */
    bool strict_ignores;   /* report //godark:ignore without a reason */
    long max_chan_buffer;  /* GD201 threshold */
    enum confidence min_confidence; /* hide findings below this */
    const bool *enabled;   /* indexed like all_rules[]; NULL = all */
    /* The language version of every package when go_minor >= 0 (go 1.21
     * in .godark.yml, --go), instead of go.mod's; go_from names where it
     * came from in messages ("--go", ".godark.yml"). Per-file //go:build
     * go1.N lines still apply (model_go_version). */
    int go_major, go_minor;
    const char *go_from;
    /* Paths left out (config exclude:, --exclude): globs matched against
     * paths relative to exclude_root (absolute). Directories that match
     * are not walked; files that match are analysed with their package
     * but not reported. Applied after the cache, so not in its key. */
    char *const *exclude;
    size_t nexclude;
    const char *exclude_root;
    /* The result cache (cache.h): off unless set; cache_dir NULL means
     * GODARK_CACHE, $XDG_CACHE_HOME/godark or ~/.cache/godark. Every other
     * field above that changes findings is part of the cache key
     * (options_digest in cache.c). */
    bool cache;
    const char *cache_dir;
    /* The build variant analysed (buildtags.h): GOOS, GOARCH and extra
     * tags (comma separated); NULL means the host's ($GOOS, $GOARCH). They
     * choose the files, which the cache key hashes. */
    const char *goos, *goarch, *tags;
};

void check_opts_default(struct check_opts *o);

/* Is path (relative to the current directory, or absolute) left out by
 * o's exclude globs? A glob without '/' matches any one path component
 * (`*_gen.go`, `vendor`); one with '/' matches from exclude_root
 * (`internal/legacy`; a `**` segment spans directories); a match of a
 * directory leaves out everything below it. */
bool check_path_excluded(const struct check_opts *o, const char *path);

struct check_stats {
    size_t packages, files, bytes, lines;
    size_t input_errors; /* unreadable paths and patterns that do not exist */
    size_t cache_hits;   /* packages (directories) whose findings came from the cache */
    bool cache_used;     /* the cache was opened (it can be unusable: then false) */
};

/* Runs the pipeline over the patterns (DIR, DIR/..., FILE.go; none means
 * "./..."). Findings go to *out (sorted). Input errors are printed to
 * stderr as one line each and counted in stats. Returns false only on an
 * internal error. */
bool check_run(const struct check_opts *o, char *const *patterns, int npatterns, struct finding_list *out,
               struct check_stats *stats);

/* Checks one in-memory file as a package of its own (used by the rule docs
 * tests and the fixture harness). Findings go to *out, sorted. */
void check_source(const struct check_opts *o, const char *path, const char *src, size_t len,
                  struct finding_list *out);

/* Checks the given files of one directory as that directory's package(s). */
/* check - (an editor's buffer): the file `path`, whose text is src (it
 * need not exist on disk), analysed in the package of its directory;
 * only its own findings go to *out. No cache. */
bool check_stdin(const struct check_opts *o, const char *path, const char *src, size_t len, struct finding_list *out,
                 struct check_stats *stats);
void check_files(const struct check_opts *o, const char *dir, char *const *paths, int npaths,
                 struct finding_list *out, struct check_stats *stats);

#endif
