/* profile_p: what the parsers share with the model: interning of frames,
 * states and label sets, and the per-goroutine record a parser fills. */
#ifndef GODARK_PROFILE_P_H
#define GODARK_PROFILE_P_H

#include "profile.h"

/* Default cap on a decompressed or downloaded body. */
#define PROFILE_DEFAULT_MAX_BYTES ((size_t)1 << 30)

/* A fast 64-bit hash of bytes (8 at a time). */
static inline uint64_t prof_hash(const void *data, size_t n, uint64_t seed)
{
    const unsigned char *s = data;
    uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ull);
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, s, 8);
        h = (h ^ v) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    uint64_t v = 0;
    if (n) memcpy(&v, s, n);
    h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    return h;
}

/* Interns a frame. func may carry generic instantiations ("F[go.shape.int]")
 * which are normalised to "[...]"; "runtime.gopanic" becomes "panic". */
uint32_t prof_intern_frame(struct profile *p, const char *func, size_t funclen, const char *file, size_t filelen,
                           int line);
uint32_t prof_intern_state(struct profile *p, const char *s, size_t n);
uint32_t prof_intern_labels(struct profile *p, const char *s, size_t n);
/* The special "...frames elided..." frame. */
uint32_t prof_elided_frame(struct profile *p);

/* One goroutine (or one aggregated record of `count` goroutines) as a parser
 * sees it; reused between goroutines so a parse allocates per stack, not per
 * goroutine. */
struct prof_gor {
    VEC(uint32_t) raw; /* frame ids, leaf first, as printed */
    VEC(uint32_t) norm;
    uint32_t state;    /* PROFILE_NONE: infer from frames */
    int wait;          /* minutes, -1 none */
    int64_t goid;
    int64_t creator_goid; /* "created by ... in goroutine N" (Go 1.21+), -1 if none */
    uint32_t creator;
    uint32_t labels;   /* PROFILE_NONE: no labels */
    bool leaked;
    bool elided;
    int hidden_leading; /* debug=1: runtime frames hidden before the first shown one */
    bool parked;        /* debug=1: first pc is runtime.gopark's */
};
void prof_gor_reset(struct prof_gor *g);
void prof_gor_free(struct prof_gor *g);
/* Normalises g's stack and adds `count` goroutines to its group. Returns
 * the group index. */
uint32_t prof_add(struct profile *p, struct prof_gor *g, size_t count);

/* Infers a wait reason from a raw stack (leaf first) for formats that print
 * none; hidden_leading/parked describe debug=1's hidden runtime frames. */
uint32_t prof_infer_state(struct profile *p, const uint32_t *raw, size_t n, int hidden_leading, bool parked,
                          bool have_runtime_frames);

/* Test runs (testrun.c). prof_find_tests sorts p->goids and fills each
 * group's `test` (the test function that started it, from its stack, its
 * creator frame, or its first goroutine's creators) when the dump is of a
 * go test binary; returns whether it is. prof_goroutine_test follows "in
 * goroutine N" from a goroutine's creator to a test, or PROFILE_NONE. */
bool prof_find_tests(struct profile *p);
uint32_t prof_goroutine_test(const struct profile *p, int64_t creator_goid);
/* The test's name in a test function's frame ("kernel.TestPool.func1" ->
 * "TestPool"), or an empty str when func is no Test, Benchmark or Fuzz. */
struct str prof_test_name(const char *func);

/* Parsers. Each returns false with d set on unusable input. */
struct lreader;
bool prof_parse_traceback(struct profile *p, struct lreader *r, struct profile_diag *d);
bool prof_parse_debug1(struct profile *p, struct lreader *r, struct profile_diag *d);
bool prof_parse_proto(struct profile *p, const unsigned char *data, size_t n, size_t max_bytes,
                      struct profile_diag *d);

/* A line reader over a FILE or a memory buffer. Lines exclude "\n" and a
 * trailing "\r". Memory mode never copies. */
struct lreader {
    FILE *f;
    const char *mem;
    size_t memlen;
    char *buf;
    size_t cap, pos, end; /* buf[pos..end) unread */
    bool eof, error, too_long;
    bool last_unterminated; /* the line just returned had no '\n' (end of input) */
    long lineno;
    size_t max_line;
    /* Mapped files: what lies before the line before the current one is
     * unmapped as the reader passes, so memory stays small however large
     * the dump (a parser may keep the previous line, never older ones). */
    bool mapped;
    size_t cur_start, prev_start, released;
};
/* Unmaps the part of a mapped input before prev_start (input.c). */
void lr_release(struct lreader *r);
#define LR_RELEASE_STEP ((size_t)4 << 20)
void lr_init_file(struct lreader *r, FILE *f);
void lr_init_mem(struct lreader *r, const char *p, size_t n);
void lr_free(struct lreader *r);
/* Next line; false at end of input or on a read error (r->error). */
bool lr_next(struct lreader *r, struct str *line);
/* The same, with the common case inline for the parsers' loops: a line of a
 * memory reader that ends in '\n' within max_line. */
static inline bool lr_next_fast(struct lreader *r, struct str *line)
{
    if (r->mem) {
        const char *p = r->mem + r->pos;
        const char *nl = r->pos < r->end ? memchr(p, '\n', r->end - r->pos) : NULL;
        size_t len = nl ? (size_t)(nl - p) : 0;
        if (nl && len <= r->max_line) {
            if (len && p[len - 1] == '\r') len--;
            line->p = p;
            line->n = len;
            r->prev_start = r->cur_start;
            r->cur_start = r->pos;
            if (r->mapped && r->prev_start - r->released >= LR_RELEASE_STEP) lr_release(r);
            r->pos = (size_t)(nl - r->mem) + 1;
            r->lineno++;
            r->last_unterminated = false;
            return true;
        }
    }
    return lr_next(r, line);
}

/* a[0..n) == b[0..n) for the short strings of frames: word compares
 * inline, no call into libc. */
static inline bool prof_bytes_eq(const char *a, const char *b, size_t n)
{
    uint64_t x, y, d = 0;
    if (n < 8) {
        while (n--) d |= (uint64_t)(unsigned char)(*a++ ^ *b++);
        return d == 0;
    }
    /* the last 8 bytes first (names differ at the end), overlapping the
     * words before them: no byte loop */
    memcpy(&x, a + n - 8, 8);
    memcpy(&y, b + n - 8, 8);
    if (x != y) return false;
    for (size_t i = 0; i + 8 < n; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        d |= x ^ y;
    }
    return d == 0;
}

/* Makes at least `want` bytes (or all the rest) visible; returns them. */
const char *lr_peek(struct lreader *r, size_t want, size_t *n);
/* Reads everything that is left, up to max bytes (error past it). */
bool lr_slurp(struct lreader *r, size_t max, char **out, size_t *n);

/* Source mapping for --source (source.c). Returns the text of line `line`
 * of the file under dir whose path is the longest suffix of `file`, or NULL.
 * *mapped gets the path found (static until the next call). */
const char *prof_source_line(const char *dir, const char *file, int line, const char **mapped);
void prof_source_cache_free(void);
/* --source cross-check: when fr maps to a file under o->source_dir and a
 * static leak or lock rule (godark check, run once per package directory)
 * has a finding within 2 lines of fr's line, appends "this leak was
 * predicted by GDxxx name (file:line)" to f->message (which must be set),
 * adds each such finding as a related location, and returns the strongest
 * confidence among them (enum confidence), or -1 when none. */
int prof_add_prediction(struct finding *f, const struct profile_opts *o, const struct profile_frame *fr);
/* Sets f's file/line (and source line and column with --source) from fr. */
void prof_fill_location(struct finding *f, const struct profile_opts *o, const struct profile_frame *fr);
/* The path shown for fr: its file under --source when o->source_paths and it
 * maps there, else the dump's (static until the source cache is freed). */
const char *prof_display_path(const struct profile_opts *o, const struct profile_frame *fr);
/* Does file (a dump's path) map to a file under dir? */
bool prof_source_maps(const char *dir, const char *file);
/* Healthy shapes a single snapshot shows (healthy.c): why the candidate
 * goroutines of site s look like a healthy pool or timer, or NULL. */
const char *prof_healthy_shape(const struct profile *p, const struct profile_site *s, size_t cand,
                               const struct profile_opts *o);
void prof_healthy_free(void);

/* The standard library's import paths, sorted (stdpkgs.c, generated by
 * tools/gen-stdpkgs.sh), and a binary search in them. */
extern const char *const prof_std_pkgs[];
extern const size_t prof_std_pkgs_count;
bool prof_is_std_pkg(struct str pkg);

/* Package path of a Go function name ("net/http.(*conn).serve" -> "net/http"). */
struct str prof_func_pkg(const char *func);
/* Frame text for messages: "main.leak (main.go:22)". */
const char *prof_short_file(const char *file);

/* Fills d->msg (printf style); shared by the parsers. */
void prof_diagf(struct profile_diag *d, const char *fmt, ...) GD_PRINTF(2, 3);
/* Parses a `{"k":"v", ...}` label set into an interned id (parse_text.c). */
uint32_t prof_parse_label_set(struct profile *p, const char *s, size_t n);

#endif
