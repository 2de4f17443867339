/* report/paths: one path style per output (paths.h). Lexical only: no
 * symlink is resolved, so a path prints as the user's tree names it. */
#include "paths.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

char *path_clean(const char *p)
{
    bool abs = p[0] == '/';
    size_t n = strlen(p);
    char *out = xmalloc(n + 2);
    /* component stack in out: positions of each component's start */
    size_t *starts = xmalloc(sizeof(size_t) * (n / 2 + 2));
    size_t ns = 0, o = 0, ups = 0; /* ups: leading ".." of a relative path */
    if (abs) out[o++] = '/';
    for (size_t i = 0; i < n;) {
        while (i < n && p[i] == '/') i++;
        size_t j = i;
        while (j < n && p[j] != '/') j++;
        size_t len = j - i;
        if (len == 0 || (len == 1 && p[i] == '.')) {
        } else if (len == 2 && p[i] == '.' && p[i + 1] == '.') {
            if (ns > ups) { /* drop the last real component */
                o = starts[--ns];
                if (o > (abs ? 1u : 0u)) o--; /* its separator */
            } else if (!abs) {
                if (o > 0) out[o++] = '/';
                starts[ns++] = o;
                memcpy(out + o, "..", 2);
                o += 2;
                ups++;
            }
        } else {
            if (o > (abs ? 1u : 0u)) out[o++] = '/';
            starts[ns++] = o;
            memcpy(out + o, p + i, len);
            o += len;
        }
        i = j;
    }
    if (o == 0) out[o++] = '.';
    out[o] = 0;
    free(starts);
    return out;
}

char *path_abs(const char *p)
{
    if (p[0] == '/') return path_clean(p);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return path_clean(p);
    char *j = xasprintf("%s/%s", cwd, p);
    char *c = path_clean(j);
    free(j);
    return c;
}

/* Is clean absolute path a inside clean absolute directory base (or base
 * itself)? Then *rest is the part after it ("" for base). */
static bool under(const char *a, const char *base, const char **rest)
{
    size_t n = strlen(base);
    if (!strcmp(base, "/")) {
        *rest = a + 1;
        return true;
    }
    if (strncmp(a, base, n) || (a[n] != '/' && a[n] != 0)) return false;
    *rest = a[n] ? a + n + 1 : a + n;
    return true;
}

char *path_rel(const char *abs, const char *base)
{
    const char *rest;
    if (under(abs, base, &rest)) return xstrdup(*rest ? rest : ".");
    /* climb from base while it is not a prefix; keep it absolute when only
     * the root is shared */
    char *b = xstrdup(base);
    int ups = 0;
    while (strcmp(b, "/")) {
        char *slash = strrchr(b, '/');
        if (slash == b) b[1] = 0;
        else *slash = 0;
        ups++;
        if (under(abs, b, &rest) && strcmp(b, "/")) {
            struct buf r = {0};
            buf_puts(&r, "");
            for (int i = 0; i < ups; i++) buf_puts(&r, i ? "/.." : "..");
            if (*rest) buf_printf(&r, "/%s", rest);
            free(b);
            return r.data;
        }
    }
    free(b);
    return xstrdup(abs);
}

char *path_display(const char *p)
{
    if (!p || !*p) return xstrdup(p ? p : "");
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return path_clean(p);
    char *a = path_abs(p), *c = path_clean(cwd);
    char *r = path_rel(a, c);
    free(a);
    free(c);
    return r;
}

char *path_repo_root(void)
{
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return NULL;
    char *d = path_clean(cwd);
    for (;;) {
        char *g = xasprintf("%s/.git", strcmp(d, "/") ? d : "");
        struct stat st;
        bool found = stat(g, &st) == 0;
        free(g);
        if (found) return d;
        if (!strcmp(d, "/")) break;
        char *slash = strrchr(d, '/');
        if (slash == d) d[1] = 0;
        else *slash = 0;
    }
    free(d);
    return NULL;
}

char *path_under_root(const char *file, const char *root)
{
    char *a = path_abs(file);
    char *r = root ? path_rel(a, root) : xstrdup(a);
    if (r[0] == '.' && r[1] == '.' && (r[2] == '/' || !r[2])) { /* outside the root */
        free(r);
        return a;
    }
    free(a);
    return r;
}
