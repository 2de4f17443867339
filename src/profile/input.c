/* profile/input: a line reader over a FILE or memory, format detection from
 * the first bytes, and loading from a path, "-" (stdin) or a URL. */
#include "profile_p.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define LR_CHUNK ((size_t)1 << 20)
#define LR_MAX_LINE ((size_t)64 << 20)

void lr_init_file(struct lreader *r, FILE *f)
{
    memset(r, 0, sizeof(*r));
    r->f = f;
    r->cap = LR_CHUNK;
    r->buf = xmalloc(r->cap + 1);
    r->max_line = LR_MAX_LINE;
}

void lr_init_mem(struct lreader *r, const char *p, size_t n)
{
    memset(r, 0, sizeof(*r));
    r->mem = p;
    r->memlen = n;
    r->end = n;
    r->eof = true;
    r->max_line = (size_t)-1;
}

void lr_free(struct lreader *r)
{
    free(r->buf);
    r->buf = NULL;
}

static const char *lr_data(const struct lreader *r) { return r->mem ? r->mem : r->buf; }

/* Reads more from the file, keeping buf[pos..end). Returns false at EOF. */
static bool lr_fill(struct lreader *r)
{
    if (r->eof || !r->f) return false;
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->end - r->pos);
        r->end -= r->pos;
        r->pos = 0;
    }
    if (r->end == r->cap) {
        if (r->cap >= r->max_line) return false;
        r->cap *= 2;
        r->buf = xrealloc(r->buf, r->cap + 1);
    }
    size_t got = fread(r->buf + r->end, 1, r->cap - r->end, r->f);
    r->end += got;
    if (got == 0) {
        if (ferror(r->f)) r->error = true;
        r->eof = true;
        return false;
    }
    return true;
}

const char *lr_peek(struct lreader *r, size_t want, size_t *n)
{
    while (r->end - r->pos < want && lr_fill(r)) {}
    *n = r->end - r->pos;
    return lr_data(r) + r->pos;
}

void lr_release(struct lreader *r)
{
    long pg = sysconf(_SC_PAGESIZE);
    size_t page = pg > 0 ? (size_t)pg : 4096;
    size_t upto = r->prev_start / page * page;
    if (upto > r->released) {
        munmap((char *)r->mem + r->released, upto - r->released);
        r->released = upto;
    }
}

bool lr_next(struct lreader *r, struct str *line)
{
    size_t searched = 0; /* bytes after pos already searched */
    for (;;) {
        const char *d = lr_data(r);
        size_t have = r->end - r->pos;
        const char *nl = have > searched ? memchr(d + r->pos + searched, '\n', have - searched) : NULL;
        if (nl) {
            size_t len = (size_t)(nl - (d + r->pos));
            if (len > r->max_line) { /* memory mode: the same limit as files */
                r->too_long = true;
                r->error = true;
                return false;
            }
            line->p = d + r->pos;
            r->prev_start = r->cur_start;
            r->cur_start = r->pos;
            if (r->mapped && r->prev_start - r->released >= LR_RELEASE_STEP) lr_release(r);
            if (len && line->p[len - 1] == '\r') len--;
            line->n = len;
            r->pos = (size_t)(nl - d) + 1;
            r->lineno++;
            r->last_unterminated = false;
            return true;
        }
        searched = have;
        if (r->mem || r->eof) {
            if (!have) return false;
            if (r->mem && have > r->max_line) {
                r->too_long = true;
                r->error = true;
                return false;
            }
            line->p = d + r->pos;
            r->prev_start = r->cur_start;
            r->cur_start = r->pos;
            line->n = have;
            if (line->n && line->p[line->n - 1] == '\r') line->n--;
            r->pos = r->end;
            r->lineno++;
            r->last_unterminated = true;
            return true;
        }
        if (!lr_fill(r)) {
            if (r->error) return false;
            if (!r->eof) { /* a line longer than max_line */
                r->too_long = true;
                r->error = true;
                return false;
            }
        }
    }
}

bool lr_slurp(struct lreader *r, size_t max, char **out, size_t *n)
{
    struct buf b = {0};
    size_t have;
    const char *p = lr_peek(r, 1, &have);
    buf_append(&b, p, have);
    r->pos = r->end;
    if (r->f) {
        char tmp[65536];
        size_t got;
        while (b.len <= max && (got = fread(tmp, 1, sizeof(tmp), r->f)) > 0) buf_append(&b, tmp, got);
        if (ferror(r->f)) r->error = true;
    }
    if (!b.data) buf_append(&b, "", 0);
    *out = b.data;
    *n = b.len;
    return b.len <= max && !r->error;
}

/* ---- detection ---- */

static bool is_debug1_header(const char *p, size_t n)
{
    /* "<name> profile: total N" (goroutine, goroutineleak, threadcreate) or
     * "heap profile: ..." and friends: one word, then " profile: " */
    const char *e = memchr(p, '\n', n);
    size_t len = e ? (size_t)(e - p) : n;
    for (size_t i = 0; i + 10 <= len; i++) {
        if (p[i] == ' ') return i > 0 && !memcmp(p + i, " profile: ", 10);
        if (p[i] == '\t' || p[i] == ':') return false;
    }
    return false;
}

enum profile_format profile_detect(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) return PROF_FMT_PROTO;
    /* Raw profile.proto starts with field 1 (sample_type) or another small
     * length-delimited field; text never has control bytes. */
    if (n && (p[0] == 0x0a || p[0] == 0x12 || p[0] == 0x22 || p[0] == 0x2a)) {
        size_t ctl = 0;
        for (size_t k = 0; k < n && k < 64; k++)
            if (p[k] < 0x09 || (p[k] > 0x0d && p[k] < 0x20)) ctl++;
        if (ctl) return PROF_FMT_PROTO;
    }
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t')) i++;
    if (i == n) return PROF_FMT_UNKNOWN;
    if (is_debug1_header((const char *)p + i, n - i)) return PROF_FMT_DEBUG1;
    return PROF_FMT_TRACEBACK;
}

void prof_diagf(struct profile_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
    va_end(ap);
}

static bool looks_binary(const unsigned char *p, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n && i < 4096; i++)
        if (p[i] == 0 || (p[i] < 0x09) || (p[i] > 0x0d && p[i] < 0x20)) bad++;
    return bad > 0;
}

static bool parse_reader(struct profile *p, struct lreader *r, const char *name, size_t max_bytes,
                         struct profile_diag *d)
{
    free(p->name);
    p->name = xstrdup(name);
    size_t n;
    const unsigned char *head = (const unsigned char *)lr_peek(r, 4096, &n);
    if (r->error) {
        prof_diagf(d, "read error: %s", strerror(errno ? errno : EIO));
        return false;
    }
    if (n == 0) {
        prof_diagf(d, "empty input: not a goroutine dump");
        return false;
    }
    enum profile_format f = profile_detect(head, n);
    p->format = f;
    switch (f) {
    case PROF_FMT_UNKNOWN: prof_diagf(d, "input has only white space: not a goroutine dump"); return false;
    case PROF_FMT_PROTO: {
        char *all = NULL;
        size_t len = 0;
        if (!max_bytes) max_bytes = PROFILE_DEFAULT_MAX_BYTES;
        if (!lr_slurp(r, max_bytes, &all, &len)) {
            free(all);
            if (r->error) prof_diagf(d, "read error");
            else prof_diagf(d, "profile is larger than %zu bytes (--max-bytes)", max_bytes);
            return false;
        }
        bool ok = prof_parse_proto(p, (const unsigned char *)all, len, max_bytes, d);
        free(all);
        return ok;
    }
    case PROF_FMT_DEBUG1: return prof_parse_debug1(p, r, d);
    case PROF_FMT_TRACEBACK:
        if (looks_binary(head, n)) {
            prof_diagf(d, "binary data that is not a gzipped profile: not a goroutine dump");
            return false;
        }
        return prof_parse_traceback(p, r, d);
    }
    return false;
}

bool profile_parse_file(struct profile *p, FILE *f, const char *name, struct profile_diag *d)
{
    struct lreader r;
    lr_init_file(&r, f);
    bool ok = parse_reader(p, &r, name, 0, d);
    lr_free(&r);
    return ok;
}

bool profile_parse_buffer(struct profile *p, const char *data, size_t n, const char *name, struct profile_diag *d)
{
    struct lreader r;
    lr_init_mem(&r, data, n);
    return parse_reader(p, &r, name, 0, d);
}

bool profile_is_url(const char *src) { return !strncmp(src, "http://", 7) || !strncmp(src, "https://", 8); }

/* Parses an open stream. A regular file read from its start is mapped into
 * memory instead of read: no copy into a buffer, and the parsers see every
 * line at a stable address (memory mode). A file that shrinks while mapped
 * would fault; dumps are written once and then read, so that is accepted for
 * the speed (the copy was a sixth of the parse time). The reader unmaps
 * what it has passed (lr_release), so resident memory stays small. Pipes,
 * sockets and terminals are read in chunks. */
static bool parse_stream(struct profile *p, FILE *f, const char *name, size_t max, struct profile_diag *d)
{
    struct lreader r;
    struct stat st;
    int fd = fileno(f);
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uint64_t)st.st_size <= (uint64_t)SIZE_MAX && lseek(fd, 0, SEEK_CUR) == 0) {
        size_t len = (size_t)st.st_size;
        void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            madvise(m, len, MADV_SEQUENTIAL);
            lr_init_mem(&r, m, len);
            r.max_line = LR_MAX_LINE;
            r.mapped = true;
            bool ok = parse_reader(p, &r, name, max, d);
            munmap(m, len);
            return ok;
        }
    }
    lr_init_file(&r, f);
    bool ok = parse_reader(p, &r, name, max, d);
    lr_free(&r);
    return ok;
}

bool profile_parse_stream(struct profile *p, FILE *f, const char *name, size_t max_bytes, struct profile_diag *d)
{
    return parse_stream(p, f, name, max_bytes ? max_bytes : PROFILE_DEFAULT_MAX_BYTES, d);
}

bool profile_load(struct profile *p, const char *src, const struct profile_load_opts *o, struct profile_diag *d)
{
    size_t max = o && o->max_bytes ? o->max_bytes : PROFILE_DEFAULT_MAX_BYTES;
    if (profile_is_url(src)) {
        FILE *tmp = tmpfile();
        if (!tmp) {
            prof_diagf(d, "cannot create a temporary file: %s", strerror(errno));
            return false;
        }
        char *url = profile_url_with_debug(src, 2);
        bool ok = profile_fetch(url, o, tmp, d);
        free(url);
        if (ok) {
            rewind(tmp);
            ok = parse_stream(p, tmp, src, max, d);
        }
        fclose(tmp);
        return ok;
    }
    FILE *f = strcmp(src, "-") ? fopen(src, "rb") : stdin;
    if (!f) {
        prof_diagf(d, "%s", strerror(errno));
        return false;
    }
    bool ok = parse_stream(p, f, strcmp(src, "-") ? src : "<stdin>", max, d);
    if (f != stdin) fclose(f);
    return ok;
}
