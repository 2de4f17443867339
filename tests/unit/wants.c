/* tests/unit/wants: reads `// want "re"` comments (analysistest syntax:
 * `// want "re" "re2"`, `// want +N "re"`) from a parsed file's comments. */
#include "wants.h"

#include <stdlib.h>
#include <string.h>

/* Parses a Go string literal at s (interpreted "..." or raw `...`) into a
 * new string; *end past it. NULL on malformed. */
static char *go_string(const char *s, const char *lim, const char **end)
{
    if (s >= lim) return NULL;
    if (*s == '`') {
        const char *e = memchr(s + 1, '`', (size_t)(lim - s - 1));
        if (!e) return NULL;
        *end = e + 1;
        return xstrndup(s + 1, (size_t)(e - s - 1));
    }
    if (*s != '"') return NULL;
    struct buf b = {0};
    buf_append(&b, "", 0);
    for (const char *p = s + 1; p < lim; p++) {
        if (*p == '"') {
            *end = p + 1;
            return b.data;
        }
        if (*p == '\\' && p + 1 < lim) {
            p++;
            switch (*p) {
            case 'n': buf_putc(&b, '\n'); break;
            case 't': buf_putc(&b, '\t'); break;
            case '\\': buf_putc(&b, '\\'); break;
            case '"': buf_putc(&b, '"'); break;
            default: buf_putc(&b, '\\'), buf_putc(&b, *p); break;
            }
            continue;
        }
        buf_putc(&b, *p);
    }
    buf_free(&b);
    return NULL;
}

/* Reads the wants of one parsed file. Returns false with *err on a
 * malformed want comment. */
bool wants_read(const struct gofile *f, struct wantvec *out, char **err)
{
    for (uint32_t i = 0; i < f->ncomments; i++) {
        struct str t = ast_comment_text(f, &f->comments[i]);
        if (!str_has_prefix(t, "//")) continue;
        const char *p = t.p + 2, *lim = t.p + t.n;
        while (p < lim && *p == ' ') p++;
        if (lim - p < 5 || strncmp(p, "want ", 5)) continue;
        p += 5;
        int line = (int)f->comments[i].line;
        while (p < lim && *p == ' ') p++;
        if (p < lim && *p == '+') {
            /* +N: clamped, so a huge N cannot overflow the line number */
            long off = 0;
            for (p++; p < lim && *p >= '0' && *p <= '9'; p++)
                if (off < 1000000) off = off * 10 + (*p - '0');
            line += (int)off;
            while (p < lim && *p != ' ') p++;
        }
        int n = 0;
        for (;;) {
            while (p < lim && (*p == ' ' || *p == '\t')) p++;
            if (p >= lim || *p == '\r') break;
            const char *end;
            char *re = go_string(p, lim, &end);
            if (!re) {
                *err = xasprintf("%s:%u: malformed want comment", f->path, f->comments[i].line);
                return false;
            }
            struct want w = {0};
            w.file = xstrdup(f->path);
            w.line = line;
            w.re_text = re;
            if (regcomp(&w.re, re, REG_EXTENDED | REG_NOSUB) != 0) {
                *err = xasprintf("%s:%u: bad regexp %s", f->path, f->comments[i].line, re);
                free(w.file);
                free(re);
                return false;
            }
            vec_push(out, w);
            n++;
            p = end;
        }
        if (!n) {
            *err = xasprintf("%s:%u: want comment without a pattern", f->path, f->comments[i].line);
            return false;
        }
    }
    return true;
}

void wants_free(struct wantvec *w)
{
    for (size_t k = 0; k < w->len; k++) {
        regfree(&w->items[k].re);
        free(w->items[k].file);
        free(w->items[k].re_text);
    }
    vec_free(w);
}
