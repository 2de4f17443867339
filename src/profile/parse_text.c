/* profile/parse_text: Go tracebacks as printed by runtime.Stack(all),
 * /debug/pprof/goroutine?debug=2, panics, SIGQUIT and `go test` timeouts, in
 * every header variation of Go 1.19 to 1.27. Streaming, one line at a time. */
#include "profile_p.h"

#include <stdarg.h>
#include <stdlib.h>



static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static long long parse_num(const char *p, size_t n, size_t *used)
{
    long long v = 0;
    size_t i = 0;
    while (i < n && is_digit(p[i]) && i < 18) v = v * 10 + (p[i++] - '0');
    *used = i;
    return v;
}

/* Go-quoted string at p (starting with '"'): appends the unquoted text to b,
 * returns bytes consumed or 0 when it is not a complete quoted string. */
static size_t unquote(const char *p, size_t n, struct buf *b)
{
    if (!n || p[0] != '"') return 0;
    for (size_t i = 1; i < n; i++) {
        if (p[i] == '\\' && i + 1 < n) {
            char c = p[++i];
            buf_putc(b, c == 'n' ? '\n' : c == 't' ? '\t' : c);
        } else if (p[i] == '"') {
            return i + 1;
        } else {
            buf_putc(b, p[i]);
        }
    }
    return 0;
}

struct kv {
    char *k, *v;
};
static int cmp_kv(const void *a, const void *b) { return strcmp(((const struct kv *)a)->k, ((const struct kv *)b)->k); }

/* Parses `{"k": "v", "k2":"v2"}` (traceback and debug=1 forms) into the
 * canonical "k=v, k2=v2" sorted by key; returns the labels id or NONE. */
uint32_t prof_parse_label_set(struct profile *p, const char *s, size_t n)
{
    VEC(struct kv) kvs = {0};
    size_t i = 0;
    while (i < n && s[i] != '{') i++;
    i++;
    bool ok = i <= n;
    while (ok && i < n) {
        while (i < n && (s[i] == ' ' || s[i] == ',')) i++;
        if (i >= n || s[i] == '}') break;
        struct buf k = {0}, v = {0};
        size_t u = unquote(s + i, n - i, &k);
        if (!u) {
            ok = false;
            buf_free(&k);
            break;
        }
        i += u;
        while (i < n && (s[i] == ' ' || s[i] == ':')) i++;
        u = unquote(s + i, n - i, &v);
        if (!u) {
            ok = false;
            buf_free(&k);
            buf_free(&v);
            break;
        }
        i += u;
        struct kv e = {k.data ? k.data : xstrdup(""), v.data ? v.data : xstrdup("")};
        vec_push(&kvs, e);
    }
    uint32_t id = PROFILE_NONE;
    if (kvs.len) {
        qsort(kvs.items, kvs.len, sizeof(*kvs.items), cmp_kv);
        struct buf out = {0};
        for (size_t j = 0; j < kvs.len; j++) buf_printf(&out, "%s%s=%s", j ? ", " : "", kvs.items[j].k, kvs.items[j].v);
        id = prof_intern_labels(p, out.data, out.len);
        buf_free(&out);
    } else if (!ok) {
        id = prof_intern_labels(p, s, n); /* keep what we could not parse, verbatim */
    }
    for (size_t j = 0; j < kvs.len; j++) free(kvs.items[j].k), free(kvs.items[j].v);
    vec_free(&kvs);
    return id;
}

/* "goroutine 18 [chan receive, 2 minutes]:" with optional gp=/m=/mp= fields,
 * `(leaked)`, `(scan)`, `(durable)`, `, locked to thread`, `, synctest bubble
 * N` and ` labels:{...}`. Returns false if the line is not a header. */
static bool parse_header(struct profile *p, struct str l, struct prof_gor *g)
{
    if (!str_has_prefix(l, "goroutine ") || l.n < 14 || !is_digit(l.p[10])) return false;
    if (l.p[l.n - 1] != ':' || l.p[l.n - 2] != ']') return false;
    size_t used;
    long long id = parse_num(l.p + 10, l.n - 10, &used);
    size_t i = 10 + used;
    /* gp=0x... m=N mp=0x... m=nil */
    while (i < l.n && l.p[i] == ' ' && i + 1 < l.n && l.p[i + 1] != '[') {
        i++;
        while (i < l.n && l.p[i] != ' ') i++;
    }
    if (i + 1 >= l.n || l.p[i] != ' ' || l.p[i + 1] != '[') return false;
    const char *b = l.p + i + 2, *e = l.p + l.n - 2; /* inside the brackets */
    /* labels come last: " labels:{...}" */
    const char *lab = NULL;
    for (const char *q = memchr(b, '{', (size_t)(e - b)); q; q = memchr(q + 1, '{', (size_t)(e - q - 1)))
        if (q - b >= 8 && !memcmp(q - 8, " labels:{", 9)) {
            lab = q - 8;
            break;
        }
    const char *end_fields = lab ? lab : e;
    /* the status runs to the first ", " */
    const char *st_end = b;
    while (st_end < end_fields && !(st_end[0] == ',' && st_end + 1 < end_fields && st_end[1] == ' ')) st_end++;
    char status[160];
    size_t sn = (size_t)(st_end - b);
    if (sn >= sizeof(status)) sn = sizeof(status) - 1;
    memcpy(status, b, sn);
    status[sn] = 0;
    /* (scan) is a GC transient, not part of the reason */
    if (memchr(status, '(', sn)) {
        char *scan = strstr(status, " (scan)");
        if (scan) memmove(scan, scan + 7, strlen(scan + 7) + 1), sn -= 7;
        if (strstr(status, "(leaked)")) g->leaked = true;
    }
    g->state = prof_intern_state(p, status, sn);
    g->goid = id;
    const char *q = st_end;
    while (q < end_fields) {
        q += 2; /* ", " */
        const char *f = q;
        while (q < end_fields && !(q[0] == ',' && q + 1 < end_fields && q[1] == ' ')) q++;
        size_t fn = (size_t)(q - f);
        if (fn > 8 && !memcmp(f + fn - 8, " minutes", 8)) {
            size_t u;
            long long m = parse_num(f, fn, &u);
            if (u) g->wait = m > 1000000000 ? 1000000000 : (int)m;
        }
    }
    if (lab) g->labels = prof_parse_label_set(p, lab + 8, (size_t)(e - (lab + 8)));
    return true;
}

/* "\t/path/file.go:22 +0x3b fp=... sp=... pc=..." */
static void parse_fileline(struct str l, const char **file, size_t *filen, int *line)
{
    const char *s = l.p + 1;
    size_t n = l.n - 1;
    while (n && *s == '\t') s++, n--;
    /* the usual shape, read from the end: ":LINE" then the end of the line,
     * " +0x..." or " fp=..." */
    const char *c = memrchr(s, ':', n);
    if (c && c + 1 < s + n && is_digit(c[1])) {
        size_t at = (size_t)(c + 1 - s), u;
        long long v = parse_num(s + at, n - at, &u);
        size_t after = at + u;
        if (after == n || (s[after] == ' ' && ((after + 2 < n && s[after + 1] == '+' && s[after + 2] == '0') ||
                                               (after + 3 < n && !memcmp(s + after, " fp=", 4))))) {
            *file = s;
            *filen = (size_t)(c - s);
            *line = (int)v;
            return;
        }
    }
    size_t end = n;
    for (const char *sp = memchr(s, ' ', n); sp; sp = memchr(sp + 1, ' ', n - (size_t)(sp + 1 - s))) {
        size_t i = (size_t)(sp - s);
        if (i + 2 < n && ((s[i + 1] == '+' && s[i + 2] == '0') || (i + 3 < n && !memcmp(s + i, " fp=", 4)))) {
            end = i;
            break;
        }
        if (i + 1 >= n) break;
    }
    while (end && s[end - 1] == ' ') end--;
    size_t colon = end;
    while (colon > 0 && s[colon - 1] != ':') colon--;
    if (colon > 0 && colon < end && is_digit(s[colon])) {
        size_t u;
        long long v = parse_num(s + colon, end - colon, &u);
        if (colon + u == end) {
            *file = s;
            *filen = colon - 1;
            *line = (int)v;
            return;
        }
    }
    *file = s;
    *filen = end;
    *line = 0;
}

/* A function line: "pkg.f(args)" or "pkg.f(...)"; returns the name length. */
static size_t func_line_name(struct str l)
{
    if (l.n < 3 || l.p[l.n - 1] != ')' || l.p[0] == ' ' || l.p[0] == '\t') return 0;
    const char *open = memrchr(l.p + 1, '(', l.n - 1);
    if (!open) return 0;
    return (size_t)(open - l.p);
}

static bool is_fileline(struct str l) { return l.n > 1 && l.p[0] == '\t'; }

enum { ST_OUT, ST_IN, ST_ANCESTOR };
enum { PEND_NONE, PEND_FRAME, PEND_CREATOR };

static void set_trunc(struct profile *p, const char *fmt, ...) GD_PRINTF(2, 3);
static void set_trunc(struct profile *p, const char *fmt, ...)
{
    if (p->truncated) return;
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) gd_oom(0);
    va_end(ap);
    p->truncated = true;
    p->truncated_msg = s;
}

/* Keeps a function name until its file line comes. Lines of a memory reader
 * stay where they are; a file reader's buffer moves, so those are copied. */
static void set_pending(const struct lreader *r, struct buf *pend, struct str *pname, const char *s, size_t n)
{
    if (r->mem) {
        *pname = str_make(s, n);
        return;
    }
    pend->len = 0;
    buf_append(pend, s, n);
    *pname = str_make(pend->data, n);
}

bool prof_parse_traceback(struct profile *p, struct lreader *r, struct profile_diag *d)
{
    struct prof_gor g = {0};
    prof_gor_reset(&g);
    struct buf pend = {0};   /* file input: a copy of the function name waiting for its file line */
    struct str pname = {0};  /* that name: in pend, or in the input itself (memory input) */
    int pending = PEND_NONE;
    int st = ST_OUT;
    bool prev_funcish = false; /* ST_OUT: previous line looked like a frame */
    long bad_line = 0;
    const char *bad_why = "";
    size_t bad = 0;
    struct str l = {NULL, 0};
    while (lr_next_fast(r, &l)) {
        if (r->last_unterminated && st != ST_OUT) {
            /* the input stops inside this line: do not trust it */
            set_trunc(p, "input ends in the middle of a line in goroutine %lld (line %ld)", (long long)g.goid,
                      r->lineno);
            break;
        }
        if (pending != PEND_NONE) {
            if (is_fileline(l)) {
                const char *file;
                size_t filen;
                int line;
                parse_fileline(l, &file, &filen, &line);
                uint32_t fid = prof_intern_frame(p, pname.p, pname.n, file, filen, line);
                if (st == ST_IN) {
                    if (pending == PEND_FRAME) vec_push(&g.raw, fid);
                    else g.creator = fid;
                }
                pending = PEND_NONE;
                continue;
            }
            /* a function line without its file line: the goroutine is cut */
            pending = PEND_NONE;
            if (st != ST_OUT) {
                prof_add(p, &g, 1);
                prof_gor_reset(&g);
            }
            st = ST_OUT;
            if (!bad_line) bad_line = r->lineno - 1, bad_why = "a function line without its file:line";
            bad++;
        }
        if (l.n >= 14 && l.p[0] == 'g' && str_has_prefix(l, "goroutine ")) {
            if (st != ST_OUT) prof_add(p, &g, 1);
            prof_gor_reset(&g);
            if (parse_header(p, l, &g)) {
                st = ST_IN;
                prev_funcish = false;
                continue;
            }
            prof_gor_reset(&g);
            st = ST_OUT;
        }
        if (st == ST_OUT) {
            /* `go test -timeout`: the dump of a test binary that ran too long */
            if (l.p[0] == 'p' && str_has_prefix(l, "panic: test timed out after")) p->test_timeout = true;
            if (r->last_unterminated && (str_has_prefix(l, "goroutine ") || prev_funcish))
                set_trunc(p, "input ends in the middle of line %ld", r->lineno);
            if (prev_funcish && is_fileline(l)) {
                if (!bad_line) bad_line = r->lineno, bad_why = "a stack frame outside any goroutine";
                bad++;
            }
            prev_funcish = func_line_name(l) > 0;
            p->skipped_lines++;
            continue;
        }
        if (l.n == 0) {
            if (st != ST_OUT) prof_add(p, &g, 1);
            prof_gor_reset(&g);
            st = ST_OUT;
            prev_funcish = false;
            continue;
        }
        if (l.p[0] == 'c' && str_has_prefix(l, "created by ")) {
            const char *f = l.p + 11;
            size_t n = l.n - 11;
            for (const char *sp = memchr(f, ' ', n); sp; sp = memchr(sp + 1, ' ', n - (size_t)(sp + 1 - f)))
                if ((size_t)(f + n - sp) >= 14 && !memcmp(sp, " in goroutine ", 14)) {
                    size_t used, rest = (size_t)(f + n - sp) - 14;
                    long long cg = parse_num(sp + 14, rest, &used);
                    if (used && used == rest && st == ST_IN) g.creator_goid = cg;
                    n = (size_t)(sp - f);
                    break;
                }
            set_pending(r, &pend, &pname, f, n);
            pending = PEND_CREATOR;
            continue;
        }
        if (l.p[0] == '[' && str_has_prefix(l, "[originating from goroutine ")) {
            st = ST_ANCESTOR;
            continue;
        }
        if (l.p[0] == '.' && str_has_prefix(l, "...")) { /* ...N frames elided... / ...additional frames elided... */
            if (st == ST_IN) {
                vec_push(&g.raw, prof_elided_frame(p));
                g.elided = true;
            }
            continue;
        }
        if (l.p[0] == '\t') continue; /* "\tgoroutine running on other thread; stack unavailable" */
        size_t fn = func_line_name(l);
        if (fn) {
            set_pending(r, &pend, &pname, l.p, fn);
            pending = PEND_FRAME;
            continue;
        }
        if (str_has_prefix(l, "goroutine running on other thread") || str_has_prefix(l, "runtime: ") ||
            str_has_prefix(l, "non-Go function"))
            continue;
        /* Anything else ends the goroutine: `exit status 2` after a test
         * timeout, a log line, register dumps. */
        if (st != ST_OUT) prof_add(p, &g, 1);
        prof_gor_reset(&g);
        st = ST_OUT;
        p->skipped_lines++;
        prev_funcish = false;
    }
    if (r->error) {
        if (r->too_long) prof_diagf(d, "line %ld is longer than %zu bytes: not a goroutine dump", r->lineno + 1, r->max_line);
        else prof_diagf(d, "read error after line %ld", r->lineno);
        buf_free(&pend);
        prof_gor_free(&g);
        return false;
    }
    if (pending != PEND_NONE && st == ST_IN)
        set_trunc(p, "input ends after a function line without its file:line in goroutine %lld", (long long)g.goid);
    if (st != ST_OUT) {
        if (!g.raw.len && !p->truncated && r->last_unterminated)
            set_trunc(p, "input ends inside goroutine %lld", (long long)g.goid);
        prof_add(p, &g, 1);
    }
    buf_free(&pend);
    prof_gor_free(&g);
    if (bad) {
        prof_diagf(d, "garbled goroutine dump: line %ld: %s (%zu malformed place%s)", bad_line, bad_why, bad,
              bad == 1 ? "" : "s");
        return false;
    }
    if (p->total == 0) {
        if (r->last_unterminated && r->lineno <= 1 && str_has_prefix(l, "goroutine "))
            prof_diagf(d, "truncated goroutine dump: input ends inside the first goroutine header");
        else
            prof_diagf(d, "not a goroutine dump: no \"goroutine N [state]:\" header in %ld line%s", r->lineno,
                  r->lineno == 1 ? "" : "s");
        return false;
    }
    return true;
}
