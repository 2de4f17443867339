/* check/buildtags: the go tool's file selection (buildtags.h), after
 * go/build's goodOSArchFile and go/build/constraint. */
#include "buildtags.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>

/* The newest Go release whose go1.N tag is set (the toolchain's tags run
 * from go1.1 to its own version). */
enum { GO_RELEASE_MINOR = 26 };

static const char *const known_os[] = {"aix",   "android", "darwin",  "dragonfly", "freebsd", "hurd",
                                       "illumos", "ios",   "js",      "linux",     "nacl",    "netbsd",
                                       "openbsd", "plan9", "solaris", "wasip1",    "windows", "zos"};
static const char *const unix_os[] = {"aix",   "android", "darwin",  "dragonfly", "freebsd", "hurd",
                                      "illumos", "ios",   "linux",   "netbsd",    "openbsd", "solaris"};
static const char *const known_arch[] = {"386",     "amd64",    "amd64p32",    "arm",     "armbe",  "arm64",
                                         "arm64be", "loong64",  "mips",        "mipsle",  "mips64", "mips64le",
                                         "mips64p32", "mips64p32le", "ppc",    "ppc64",   "ppc64le", "riscv",
                                         "riscv64", "s390",     "s390x",       "sparc",   "sparc64", "wasm"};

static bool in_list(const char *const *list, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && !memcmp(list[i], s, len)) return true;
    return false;
}
#define IN(list, s, len) in_list(list, GD_ARRAY_LEN(list), s, len)

static void set_field(char *dst, size_t cap, const char *v)
{
    snprintf(dst, cap, "%.31s", v);
    for (char *p = dst; *p; p++) *p = (char)tolower((unsigned char)*p);
}

void build_ctx_init(struct build_ctx *b, const char *goos, const char *goarch, const char *tags)
{
    memset(b, 0, sizeof *b);
    struct utsname u;
    bool have_u = uname(&u) == 0;
    const char *os = goos && *goos ? goos : getenv("GOOS");
    if (!os || !*os) os = have_u ? u.sysname : "linux";
    set_field(b->goos, sizeof b->goos, os);
    const char *arch = goarch && *goarch ? goarch : getenv("GOARCH");
    if (!arch || !*arch) {
        const char *m = have_u ? u.machine : "x86_64";
        static const struct {
            const char *machine, *arch;
        } map[] = {{"x86_64", "amd64"}, {"amd64", "amd64"}, {"aarch64", "arm64"}, {"arm64", "arm64"},
                   {"i386", "386"},     {"i686", "386"},    {"armv7l", "arm"},    {"armv6l", "arm"},
                   {"ppc64le", "ppc64le"}, {"s390x", "s390x"}, {"riscv64", "riscv64"}, {"loongarch64", "loong64"}};
        arch = "amd64";
        for (size_t i = 0; i < GD_ARRAY_LEN(map); i++)
            if (!strcmp(m, map[i].machine)) arch = map[i].arch;
    }
    set_field(b->goarch, sizeof b->goarch, arch);
    const char *cgo = getenv("CGO_ENABLED");
    b->cgo = !(cgo && !strcmp(cgo, "0"));
    if (tags && *tags) {
        char *dup = xstrdup(tags), *save = NULL;
        for (char *t = strtok_r(dup, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
            b->tags = xrealloc(b->tags, sizeof(char *) * (size_t)(b->ntags + 1));
            b->tags[b->ntags++] = xstrdup(t);
        }
        free(dup);
    }
}

void build_ctx_free(struct build_ctx *b)
{
    for (int i = 0; i < b->ntags; i++) free(b->tags[i]);
    free(b->tags);
    b->tags = NULL;
    b->ntags = 0;
}

static bool eq(const char *s, size_t n, const char *w) { return strlen(w) == n && !memcmp(s, w, n); }

bool build_tag_set(const struct build_ctx *b, const char *tag, size_t n)
{
    if (eq(tag, n, b->goos) || eq(tag, n, b->goarch) || eq(tag, n, "gc")) return true;
    if (eq(tag, n, "cgo")) return b->cgo;
    if (eq(tag, n, "unix")) return IN(unix_os, b->goos, strlen(b->goos));
    if (eq(tag, n, "linux") && !strcmp(b->goos, "android")) return true;
    if (eq(tag, n, "darwin") && !strcmp(b->goos, "ios")) return true;
    if (eq(tag, n, "solaris") && !strcmp(b->goos, "illumos")) return true;
    if (n > 4 && !memcmp(tag, "go1.", 4)) {
        long minor = 0;
        for (size_t i = 4; i < n; i++) {
            if (tag[i] < '0' || tag[i] > '9' || minor > 1000) return false;
            minor = minor * 10 + (tag[i] - '0');
        }
        return minor >= 1 && minor <= GO_RELEASE_MINOR;
    }
    for (int i = 0; i < b->ntags; i++)
        if (eq(tag, n, b->tags[i])) return true;
    return false;
}

/* ---- //go:build expressions: || of && of unary, with parentheses ---- */

struct expr {
    const struct build_ctx *b;
    const char *p, *end;
    int depth;
    bool bad;
};

static void skip_space(struct expr *e)
{
    while (e->p < e->end && (*e->p == ' ' || *e->p == '\t')) e->p++;
}

static bool parse_or(struct expr *e);

static bool parse_unary(struct expr *e)
{
    skip_space(e);
    if (e->p >= e->end || ++e->depth > 100) {
        e->bad = true;
        return false;
    }
    bool v;
    if (*e->p == '!') {
        e->p++;
        v = !parse_unary(e);
    } else if (*e->p == '(') {
        e->p++;
        v = parse_or(e);
        skip_space(e);
        if (e->p >= e->end || *e->p != ')') e->bad = true;
        else e->p++;
    } else {
        const char *s = e->p;
        while (e->p < e->end && (isalnum((unsigned char)*e->p) || *e->p == '_' || *e->p == '.')) e->p++;
        if (e->p == s) {
            e->bad = true;
            return false;
        }
        v = build_tag_set(e->b, s, (size_t)(e->p - s));
    }
    e->depth--;
    return v;
}

static bool parse_and(struct expr *e)
{
    bool v = parse_unary(e);
    for (;;) {
        skip_space(e);
        if (e->bad || e->end - e->p < 2 || e->p[0] != '&' || e->p[1] != '&') return v;
        e->p += 2;
        bool r = parse_unary(e);
        v = v && r;
    }
}

static bool parse_or(struct expr *e)
{
    bool v = parse_and(e);
    for (;;) {
        skip_space(e);
        if (e->bad || e->end - e->p < 2 || e->p[0] != '|' || e->p[1] != '|') return v;
        e->p += 2;
        bool r = parse_and(e);
        v = v || r;
    }
}

int build_expr_eval(const struct build_ctx *b, const char *expr, size_t len)
{
    struct expr e = {b, expr, expr + len, 0, false};
    bool v = parse_or(&e);
    skip_space(&e);
    if (e.bad || e.p != e.end) return -1;
    return v;
}

/* An old `// +build` line's options (space: or; comma: and; !: not). */
static bool plus_build(const struct build_ctx *b, const char *s, size_t n)
{
    bool any = false;
    for (size_t i = 0; i < n;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '\t') j++;
        if (j == i) break;
        bool all = true;
        for (size_t k = i; k < j;) {
            size_t m = k;
            while (m < j && s[m] != ',') m++;
            bool neg = m > k && s[k] == '!';
            size_t t0 = k + neg;
            bool set = m > t0 && build_tag_set(b, s + t0, m - t0);
            if (neg ? set : !set) all = false;
            k = m + 1;
        }
        if (all) any = true;
        i = j;
    }
    return any;
}

/* Is the name's GOOS/GOARCH suffix (if any) the build's? */
static bool good_os_arch_name(const struct build_ctx *b, const char *name)
{
    size_t n = strlen(name);
    if (n > 3 && !strcmp(name + n - 3, ".go")) n -= 3;
    if (n > 5 && !memcmp(name + n - 5, "_test", 5)) n -= 5;
    /* the elements after the first underscore */
    const char *us = memchr(name, '_', n);
    if (!us) return true;
    const char *last = NULL, *prev = NULL;
    size_t last_n = 0, prev_n = 0;
    for (const char *p = us; p < name + n;) {
        const char *s = p + 1, *q = s;
        while (q < name + n && *q != '_') q++;
        prev = last, prev_n = last_n;
        last = s, last_n = (size_t)(q - s);
        p = q;
    }
    if (prev && IN(known_os, prev, prev_n) && IN(known_arch, last, last_n))
        return build_tag_set(b, prev, prev_n) && build_tag_set(b, last, last_n);
    if (IN(known_os, last, last_n) || IN(known_arch, last, last_n)) return build_tag_set(b, last, last_n);
    return true;
}

bool build_file_matches(const struct build_ctx *b, const char *name, const char *src, size_t len)
{
    if (!good_os_arch_name(b, name)) return false;
    /* the comments before the package clause, line by line */
    bool have_go_build = false, go_build = true, plus = true;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && src[j] != '\n') j++;
        const char *l = src + i;
        size_t ln = j - i;
        while (ln && (l[0] == ' ' || l[0] == '\t' || l[0] == '\r')) l++, ln--;
        while (ln && (l[ln - 1] == ' ' || l[ln - 1] == '\t' || l[ln - 1] == '\r')) ln--;
        if (ln >= 7 && !memcmp(l, "package", 7)) break;
        if (ln >= 10 && !memcmp(l, "//go:build", 10) && (ln == 10 || l[10] == ' ' || l[10] == '\t')) {
            int v = build_expr_eval(b, l + 10, ln - 10);
            have_go_build = true;
            go_build = v != 0; /* -1: does not parse: keep the file */
        } else if (ln >= 9 && !memcmp(l, "// +build", 9) && (ln == 9 || l[9] == ' ')) {
            if (!plus_build(b, l + 9, ln - 9)) plus = false;
        } else if (ln && memcmp(l, "//", 2) && memcmp(l, "/*", 2) && l[0] != '*') {
            break; /* code before any package clause: stop looking */
        }
        i = j + 1;
    }
    return have_go_build ? go_build : plus;
}
