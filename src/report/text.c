/* report/text: findings for people, in the compiler style editors and
 * terminals understand: `file:line:col: warning: message`, source and caret. */
#include "report.h"

/* ANSI sequences, in the colours clang uses for the same parts. */
#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_MAGENTA "\033[1;35m"
#define C_CYAN "\033[1;36m"
#define C_GREEN "\033[1;32m"

static const char *sev_color(enum severity s)
{
    switch (s) {
    case SEV_ERROR: return C_RED;
    case SEV_WARNING: return C_MAGENTA;
    case SEV_INFO: return C_CYAN;
    }
    return C_BOLD;
}

static bool is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

static bool is_ctl(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

/* Text from findings may come from goroutine dumps or odd source files; a
 * control character in it could end the line early or drive the terminal
 * (an ESC sequence), so it is shown escaped, `\x1b`, instead. */
static void put_clean(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (is_ctl(*p)) fprintf(out, "\\x%02x", *p);
        else fputc(*p, out);
    }
}

/* `file:line:col: ` with the parts that are known; nothing for "". */
static void put_location(FILE *out, const char *file, int line, int col, bool color)
{
    if (!file || !*file) return;
    if (color) fputs(C_BOLD, out);
    put_clean(out, file);
    if (line > 0) {
        fprintf(out, ":%d", line);
        if (col > 0) fprintf(out, ":%d", col);
    }
    fputs(": ", out);
    if (color) fputs(C_RESET, out);
}

/* The source line, then a caret under byte column `col`. The caret line's
 * prefix repeats the source's tabs and has one space per code point
 * otherwise, so the caret lines up however wide the terminal's tab stops
 * are (what gcc and clang do). A span on the same line is underlined with
 * `~`; one that runs onto later lines is underlined to the end of this one. */
static void put_caret(FILE *out, const struct finding *f, bool color)
{
    const char *src = f->source_line;
    size_t len = strlen(src);
    if (len && src[len - 1] == '\r') len--; /* CRLF files */
    /* Controls other than tab become '?', one column, as in the caret line. */
    for (size_t i = 0; i < len; i++) fputc(is_ctl((unsigned char)src[i]) ? '?' : src[i], out);
    fputc('\n', out);
    if (f->col <= 0) return;

    size_t start = (size_t)f->col - 1, i;
    for (i = 0; i < start && i < len; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == '\t') fputc('\t', out);
        else if (!is_cont(c)) fputc(' ', out);
    }
    for (; i < start; i++) fputc(' ', out); /* column past the end of the line */

    size_t end = start; /* exclusive byte end of the underline */
    if (f->end_line == f->line && f->end_col > f->col) end = (size_t)f->end_col - 1;
    else if (f->end_line > f->line) end = len;
    if (end > len) end = len;

    if (color) fputs(C_GREEN, out);
    fputc('^', out);
    /* One `~` per code point after the first of the span. */
    for (i = start < len ? start + 1 : len; i < end; i++)
        if (!is_cont((unsigned char)src[i])) fputc('~', out);
    if (color) fputs(C_RESET, out);
    fputc('\n', out);
}

static void put_finding(FILE *out, const struct finding *f, bool color)
{
    put_location(out, f->file, f->line, f->col, color);
    /* The plain form is the contract, `file:line:col: message (ID name)`,
     * which editors and CI parse; on a terminal the severity word is added. */
    if (color) fprintf(out, "%s%s:%s ", sev_color(f->severity), severity_name(f->severity), C_RESET);
    if (color) fputs(C_BOLD, out);
    put_clean(out, f->message);
    if (color) fputs(C_RESET, out);
    if (f->confidence == CONF_LOW) fputs(" [low confidence]", out);
    fprintf(out, " (%s %s)\n", f->rule_id ? f->rule_id : "?", f->rule_name ? f->rule_name : "?");

    if (f->source_line) put_caret(out, f, color);
    if (f->fix) {
        fputs("    ", out);
        if (color) fputs(C_GREEN, out);
        fputs("fix:", out);
        if (color) fputs(C_RESET, out);
        fputc(' ', out);
        put_clean(out, f->fix);
        fputc('\n', out);
    }
    for (size_t i = 0; i < f->nrelated; i++) {
        const struct related *r = &f->related[i];
        fputs("    ", out);
        put_location(out, r->file, r->line, r->col, color);
        if (color) fputs(C_BOLD "note:" C_RESET " ", out);
        else fputs("note: ", out);
        put_clean(out, r->message);
        fputc('\n', out);
    }
}

bool report_write_text(FILE *out, const struct finding_list *l, const struct report_opts *o)
{
    for (size_t i = 0; i < l->len; i++) put_finding(out, &l->items[i], o && o->color);
    return fflush(out) == 0 && !ferror(out);
}
