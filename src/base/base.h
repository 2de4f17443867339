/* base: allocation that aborts on out-of-memory, arenas, growable arrays and
 * byte strings shared by every other module. */
#ifndef GODARK_BASE_H
#define GODARK_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__)
#define GD_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define GD_NORETURN __attribute__((noreturn))
#else
#define GD_PRINTF(a, b)
#define GD_NORETURN
#endif

#define GD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The one place out-of-memory is handled: prints and aborts. */
GD_NORETURN void gd_oom(size_t want);

/* malloc/calloc/realloc/strdup that never return NULL. Caller frees. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string. Caller frees. */
char *xasprintf(const char *fmt, ...) GD_PRINTF(1, 2);

/* An arena: bump allocation in chunks, freed all at once. One per analysed
 * file or package; rule code never frees individual objects. */
struct arena {
    struct arena_chunk *head;
    size_t used_total;
};
void arena_init(struct arena *a);
/* Memory lives until arena_free; zero-filled. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) GD_PRINTF(2, 3);
void arena_free(struct arena *a);

/* Growable array of T: `VEC(int) v = {0};` then vec_push(&v, x). */
#define VEC(T)           \
    struct {             \
        T *items;        \
        size_t len, cap; \
    }
#define vec_reserve(v, n)                                                         \
    do {                                                                          \
        if ((v)->len + (n) > (v)->cap) {                                          \
            size_t nc_ = (v)->cap ? (v)->cap * 2 : 8;                             \
            while (nc_ < (v)->len + (n)) nc_ *= 2;                                \
            (v)->items = xrealloc((v)->items, nc_ * sizeof(*(v)->items));         \
            (v)->cap = nc_;                                                       \
        }                                                                         \
    } while (0)
#define vec_push(v, x)                    \
    do {                                  \
        vec_reserve((v), 1);              \
        (v)->items[(v)->len++] = (x);     \
    } while (0)
#define vec_free(v)              \
    do {                         \
        free((v)->items);        \
        (v)->items = NULL;       \
        (v)->len = (v)->cap = 0; \
    } while (0)

/* A growable NUL-terminated byte buffer. */
struct buf {
    char *data;
    size_t len, cap;
};
void buf_append(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) GD_PRINTF(2, 3);
void buf_free(struct buf *b);

/* A byte slice that does not own its memory. */
struct str {
    const char *p;
    size_t n;
};
static inline struct str str_make(const char *p, size_t n) { struct str s = {p, n}; return s; }
static inline bool str_eq(struct str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n == n && memcmp(s.p, lit, n) == 0;
}
static inline bool str_eqs(struct str a, struct str b) { return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0); }
bool str_has_prefix(struct str s, const char *prefix);
bool str_has_suffix(struct str s, const char *suffix);

/* Whole-file read. Returns false and sets *err (static text) on failure.
 * *out is malloc'd with one spare byte and a NUL terminator; caller frees. */
bool read_file_all(const char *path, char **out, size_t *len, const char **err);
/* Writes all n bytes of p to fd, again after EINTR and short writes.
 * False on an error or a write of nothing (errno says why). */
bool write_fd_all(int fd, const char *p, size_t n);

/* Number of online CPUs, at least 1. */
int cpu_count(void);

/* A small FNV-1a hash. */
static inline uint64_t hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 1099511628211ull;
    return h;
}

/* hash_bytes folded to 32 bits, for masking into a power-of-two table. */
static inline uint32_t hash_fold32(uint64_t h) { return (uint32_t)(h ^ (h >> 32)); }

#endif
