/* syntax/source: the parts of reading a Go file that do not depend on how
 * the tree is built (source.h). */
#include "source.h"

#include <stdlib.h>

void source_error(struct gofile *f, uint32_t byte, char *msg)
{
    uint32_t line, col;
    ast_pos(f, byte, &line, &col);
    if (f->has_error && (f->err_line < line || (f->err_line == line && f->err_col <= col))) {
        free(msg);
        return; /* keep the earliest */
    }
    f->has_error = true;
    f->err_line = line;
    f->err_col = col;
    free(f->err_msg);
    f->err_msg = msg;
}

static void build_lines(struct gofile *f)
{
    uint32_t n = 1;
    const char *s = f->src, *e = s + f->len;
    for (const char *q = s; (q = memchr(q, '\n', (size_t)(e - q))) != NULL; q++) n++;
    f->lines = xmalloc(n * sizeof(*f->lines));
    f->lines[0] = 0;
    uint32_t k = 1;
    for (const char *q = s; k < n && (q = memchr(q, '\n', (size_t)(e - q))) != NULL; q++) f->lines[k++] = (uint32_t)(q - s + 1);
    f->nlines = k;
}

/* The byte offset of the first invalid UTF-8 sequence, or -1. */
static long first_bad_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) { i++; continue; }
        size_t k;
        unsigned min;
        if ((c & 0xE0) == 0xC0) k = 1, min = 0x80;
        else if ((c & 0xF0) == 0xE0) k = 2, min = 0x800;
        else if ((c & 0xF8) == 0xF0) k = 3, min = 0x10000;
        else return (long)i;
        unsigned cp = c & (0x3F >> k);
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n || (s[i + j] & 0xC0) != 0x80) return (long)i;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return (long)i;
        i += k + 1;
    }
    return -1;
}

bool source_init(struct gofile *f, const char *path, char *src, size_t len)
{
    memset(f, 0, sizeof(*f));
    arena_init(&f->arena);
    f->path = xstrdup(path);
    bool add_nl = len == 0 || src[len - 1] != '\n';
    src = xrealloc(src, len + 2);
    if (add_nl) src[len] = '\n';
    src[len + add_nl] = 0;
    f->src = src;
    f->len = len;
    build_lines(f);
    f->nodes = xcalloc(1, sizeof(struct node));
    f->nnodes = 1;
    const char *nul = memchr(src, 0, len);
    if (nul) {
        source_error(f, (uint32_t)(nul - src), xstrdup("binary file: NUL byte in source"));
        return false;
    }
    if (len > UINT32_MAX / 2) {
        source_error(f, 0, xstrdup("file too large to parse (over 2 GiB)"));
        return false;
    }
    long bad = first_bad_utf8((const unsigned char *)src, len);
    if (bad >= 0) source_error(f, (uint32_t)bad, xstrdup("invalid UTF-8 encoding"));
    return true;
}

static bool is_generated_comment(struct str t)
{
    /* go/ast.IsGenerated: ^// Code generated .* DO NOT EDIT\.$ */
    while (t.n && (t.p[t.n - 1] == '\r' || t.p[t.n - 1] == ' ')) t.n--;
    return str_has_prefix(t, "// Code generated ") && str_has_suffix(t, " DO NOT EDIT.");
}

void source_finish(struct gofile *f)
{
    nid package_clause = 0;
    for (nid n = 1; n < f->nnodes && !package_clause; n++)
        if (f->nodes[n].kind == N_PACKAGE_CLAUSE) package_clause = n;
    if (!package_clause && !f->has_error) source_error(f, 0, xstrdup("no package clause: a Go file must start with `package name`"));
    uint32_t pc_start = package_clause ? f->nodes[package_clause].start_byte : (uint32_t)f->len;
    for (uint32_t i = 0; i < f->ncomments && f->comments[i].start_byte < pc_start; i++)
        if (is_generated_comment(ast_comment_text(f, &f->comments[i]))) f->generated = true;
}
