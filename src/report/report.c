/* report: picks the writer for an output format, and the JSON string escaper
 * every JSON-producing writer (json, sarif, profile/) shares. */
#include "report.h"

#include <stdlib.h>

#include "paths.h"

bool report_format_parse(const char *s, enum report_format *out)
{
    static const struct {
        const char *name;
        enum report_format fmt;
    } formats[] = {
        {"text", FMT_TEXT},
        {"json", FMT_JSON},
        {"sarif", FMT_SARIF},
        {"github", FMT_GITHUB},
        {"checkstyle", FMT_CHECKSTYLE},
        {"junit", FMT_JUNIT},
    };
    for (size_t i = 0; s && i < GD_ARRAY_LEN(formats); i++) {
        if (!strcmp(s, formats[i].name)) {
            *out = formats[i].fmt;
            return true;
        }
    }
    return false;
}

/* A copy of l (sharing every string but the paths) whose files are
 * printed in one style: path_display. Free with displayed_free. */
static struct finding_list displayed(const struct finding_list *l)
{
    struct finding_list d = {0};
    d.items = xcalloc(l->len + 1, sizeof *d.items);
    d.len = d.cap = l->len;
    for (size_t i = 0; i < l->len; i++) {
        struct finding *f = &d.items[i];
        *f = l->items[i];
        f->file = path_display(f->file);
        if (f->nrelated) {
            f->related = xcalloc(f->nrelated, sizeof *f->related);
            for (size_t k = 0; k < f->nrelated; k++) {
                f->related[k] = l->items[i].related[k];
                f->related[k].file = path_display(f->related[k].file);
            }
        }
    }
    return d;
}

static void displayed_free(struct finding_list *d)
{
    for (size_t i = 0; i < d->len; i++) {
        struct finding *f = &d->items[i];
        free(f->file);
        for (size_t k = 0; k < f->nrelated; k++) free(f->related[k].file);
        if (f->nrelated) free(f->related);
    }
    free(d->items);
}

bool report_write(FILE *out, const struct finding_list *l, const struct report_opts *o)
{
    /* check's paths come from the arguments (`./cmd/...`, absolute ones);
     * the runtime side names paths as the dump or --source gives them */
    bool check = o->command && !strcmp(o->command, "check");
    struct finding_list d = check ? displayed(l) : *l;
    struct report_opts ro = *o;
    char *root = NULL;
    if (!ro.root) ro.root = root = path_repo_root();
    if (!ro.root) ro.root = root = path_abs(".");
    bool ok = false;
    switch (o->format) {
    case FMT_TEXT: ok = report_write_text(out, &d, &ro); break;
    case FMT_JSON: ok = report_write_json(out, &d, &ro); break;
    case FMT_SARIF: ok = report_write_sarif(out, &d, &ro); break;
    case FMT_GITHUB: ok = report_write_github(out, &d, &ro); break;
    case FMT_CHECKSTYLE: ok = report_write_checkstyle(out, &d, &ro); break;
    case FMT_JUNIT: ok = report_write_junit(out, &d, &ro); break;
    }
    if (check) displayed_free(&d);
    free(root);
    return ok;
}

/* Length of the well-formed UTF-8 sequence at s (1..4), or 0 when s starts
 * an ill-formed one; *bad is then the length of its maximal subpart, which
 * is replaced by a single U+FFFD (Unicode's recommended practice, also what
 * WHATWG decoders do). The NUL terminator is never a continuation byte, so
 * reading ahead stops at the end of the string. */
size_t report_utf8_seq(const unsigned char *s, size_t *bad)
{
    unsigned char c = s[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;      /* no overlongs */
        else if (c == 0xED) hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;      /* no overlongs */
        else if (c == 0xF4) hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        *bad = 1; /* stray continuation byte, C0, C1 or F5..FF */
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        unsigned char min = i == 1 ? lo : 0x80, max = i == 1 ? hi : 0xBF;
        if (s[i] < min || s[i] > max) {
            *bad = i;
            return 0;
        }
    }
    return n;
}

/* Writes the bytes of s, each ASCII one through ascii (its escape), the
 * well-formed UTF-8 sequences as they are and each ill-formed one as a
 * single U+FFFD (report_utf8_seq). */
static void put_utf8(FILE *out, const unsigned char *p, void (*ascii)(FILE *out, unsigned char c))
{
    while (*p) {
        if (*p < 0x80) {
            ascii(out, *p++);
            continue;
        }
        size_t bad = 0, n = report_utf8_seq(p, &bad);
        if (n) {
            fwrite(p, 1, n, out);
            p += n;
        } else {
            fputs("\xEF\xBF\xBD", out); /* U+FFFD */
            p += bad;
        }
    }
}

static void json_ascii(FILE *out, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    switch (c) {
    case '"': fputs("\\\"", out); break;
    case '\\': fputs("\\\\", out); break;
    case '\b': fputs("\\b", out); break;
    case '\f': fputs("\\f", out); break;
    case '\n': fputs("\\n", out); break;
    case '\r': fputs("\\r", out); break;
    case '\t': fputs("\\t", out); break;
    default:
        if (c < 0x20) {
            fputs("\\u00", out);
            fputc(hex[c >> 4], out);
            fputc(hex[c & 15], out);
        } else {
            fputc(c, out);
        }
    }
}

void json_put_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    put_utf8(out, (const unsigned char *)s, json_ascii);
    fputc('"', out);
}

static void xml_ascii(FILE *out, unsigned char c)
{
    switch (c) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs("&quot;", out); break;
    case '\'': fputs("&apos;", out); break;
    case '\n': fputs("&#10;", out); break; /* kept inside attributes too */
    case '\t': fputs("&#9;", out); break;
    case '\r': fputs("&#13;", out); break;
    default:
        if (c < 0x20) fputs("\xEF\xBF\xBD", out); /* U+FFFD */
        else fputc(c, out);
    }
}

void xml_put_string(FILE *out, const char *s) { put_utf8(out, (const unsigned char *)(s ? s : ""), xml_ascii); }
