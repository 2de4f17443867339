/* check/cache: findings per package directory on disk, keyed by a hash of
 * godark's build, the options, the go.mod lookup and the files' bytes. */
#ifndef GODARK_CHECK_CACHE_H
#define GODARK_CHECK_CACHE_H

#include "check.h"

/* A 128-bit key: accidental collisions are out of reach (2^-64 at 2^32
 * entries); it is not a cryptographic hash, and need not be: whoever can
 * write your source tree or cache directory decides your findings anyway. */
struct cache_key {
    uint64_t h[2];
};

/* 128-bit hash of n bytes (an xxHash64-style four-lane core with two
 * finalisations), seeded. */
void cache_hash128(const void *p, size_t n, uint64_t seed, uint64_t out[2]);

/* The cache directory: override if non-NULL, else $GODARK_CACHE, else
 * $XDG_CACHE_HOME/godark, else $HOME/.cache/godark. NULL when none can be
 * named or GODARK_CACHE=off. Caller frees. */
char *check_cache_dir(const char *override);

struct check_cache;

/* Opens (creating it if needed) the cache for one run with options o.
 * Returns NULL when it cannot be used; the run then goes without it. Safe
 * to share between threads. check_cache_close frees it. */
struct check_cache *check_cache_open(const struct check_opts *o);
/* Frees c and, at most once a day, removes entries not used for 30 days. */
void check_cache_close(struct check_cache *c);

/* The key of one directory job: dir, the go version its go.mod lookup
 * gives, and the files in order with their paths as reported and bytes. */
void check_cache_key(const struct check_cache *c, const char *dir, char *const *paths, char *const *srcs,
                     const size_t *lens, int n, struct cache_key *k);

/* On a hit appends the stored findings to out, sets *lines (the line count
 * of the files, for --stats) and returns true. A missing, truncated,
 * corrupt, foreign or other-version entry is a miss. */
bool check_cache_get(struct check_cache *c, const struct cache_key *k, struct finding_list *out, size_t *lines);

/* Stores the findings of one job; atomic (temporary file and rename), so
 * concurrent runs see the old entry, the new one, or none. Failures are
 * silent: the cache is an optimisation. */
void check_cache_put(struct check_cache *c, const struct cache_key *k, const struct finding_list *l, size_t lines);

/* Removes every entry (`godark cache clean`); false with errno on failure. */
bool check_cache_clean(const char *dir);

#endif
