/* report/sarif: SARIF 2.1.0 for code-scanning services (GitHub, Azure
 * DevOps) and SARIF viewers; the rule list comes from the rule table. */
#include "report.h"

#include <stdlib.h>

#include "../rules/rule.h"
#include "paths.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
/* The project's home and rule pages: only when the build names them
 * (make GODARK_DOCS_URL=https://.../docs/rules), never a placeholder. */
#ifndef GODARK_DOCS_URL
#define GODARK_DOCS_URL ""
#endif

/* The same pretty printer as json.c (Python's json.dumps(indent=2) layout),
 * with the few extra value kinds SARIF needs. */
struct jw {
    FILE *out;
    int depth;
    bool first;
    bool after_key;
};

static void jw_newline(struct jw *w)
{
    fputc('\n', w->out);
    for (int i = 0; i < w->depth; i++) fputs("  ", w->out);
}

static void jw_prefix(struct jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->first) fputc(',', w->out);
    if (w->depth > 0) jw_newline(w);
    w->first = false;
}

static void jw_open(struct jw *w, char c)
{
    jw_prefix(w);
    fputc(c, w->out);
    w->depth++;
    w->first = true;
}

static void jw_close(struct jw *w, char c)
{
    w->depth--;
    if (!w->first) jw_newline(w);
    fputc(c, w->out);
    w->first = false;
}

static void jw_key(struct jw *w, const char *k)
{
    jw_prefix(w);
    json_put_string(w->out, k);
    fputs(": ", w->out);
    w->after_key = true;
}

/* A string element of an array (k == NULL) or a member. */
static void jw_str(struct jw *w, const char *k, const char *v)
{
    if (k) jw_key(w, k);
    jw_prefix(w);
    json_put_string(w->out, v);
}

static void jw_int(struct jw *w, const char *k, long v)
{
    jw_key(w, k);
    jw_prefix(w);
    fprintf(w->out, "%ld", v);
}

static void jw_bool(struct jw *w, const char *k, bool v)
{
    jw_key(w, k);
    jw_prefix(w);
    fputs(v ? "true" : "false", w->out);
}

/* `"k": {"text": v}`: SARIF's message and multiformatMessageString. */
static void jw_text(struct jw *w, const char *k, const char *v)
{
    jw_key(w, k);
    jw_open(w, '{');
    jw_str(w, "text", v);
    jw_close(w, '}');
}

static const char *sarif_level(enum severity s)
{
    switch (s) {
    case SEV_ERROR: return "error";
    case SEV_WARNING: return "warning";
    case SEV_INFO: return "note";
    }
    return "warning";
}

/* SARIF message text may embed links, `[text](id)`, so literal `[`, `]` and
 * `\` are escaped with a backslash (SARIF 2.1.0, "embedded links"); Go
 * messages are full of them (`m[k]`, `[]int`). Caller frees. */
static char *message_escape(const char *s)
{
    struct buf b = {0};
    buf_puts(&b, "");
    for (; s && *s; s++) {
        if (*s == '[' || *s == ']' || *s == '\\') buf_putc(&b, '\\');
        buf_putc(&b, *s);
    }
    return b.data;
}

static void jw_message(struct jw *w, const char *k, const char *v)
{
    char *e = message_escape(v);
    jw_text(w, k, e);
    free(e);
}

/* A file name as a URI reference (RFC 3986): backslashes become slashes and
 * everything outside the path characters is percent-encoded. Relative paths
 * stay relative, resolved against %SRCROOT% (the analysis root, which
 * code-scanning services map to the checkout); a relative path's ':' is
 * encoded so `c:foo.go` cannot read as a scheme. Absolute paths become
 * file:// URIs. *relative says which. Caller frees. */
static char *path_to_uri(const char *path, bool *relative)
{
    static const char hex[] = "0123456789ABCDEF";
    struct buf b = {0};
    buf_puts(&b, "");
    bool drive = ((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z')) && path[1] == ':' &&
                 (path[2] == '/' || path[2] == '\\');
    *relative = !(path[0] == '/' || path[0] == '\\' || drive);
    if (*relative) {
        while (path[0] == '.' && (path[1] == '/' || path[1] == '\\')) { /* "./a.go" is "a.go" */
            path += 2;
            while (*path == '/' || *path == '\\') path++;
        }
    } else {
        buf_puts(&b, drive ? "file:///" : "file://");
    }
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        if (c == '\\') c = '/';
        bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     strchr("-._~/!$&'()*+,;=@", c) || (c == ':' && !*relative);
        if (plain) {
            buf_putc(&b, (char)c);
        } else {
            buf_putc(&b, '%');
            buf_putc(&b, hex[c >> 4]);
            buf_putc(&b, hex[c & 15]);
        }
    }
    return b.data;
}

/* Columns. Our columns count UTF-8 bytes (go/token's convention). SARIF
 * 2.1.0 measures columns in the units run.columnKind names, either
 * "utf16CodeUnits" or "unicodeCodePoints", and a consumer assumes
 * "unicodeCodePoints" when it is absent; there is no byte unit, so leaving
 * byte columns unlabelled would silently claim code points. We therefore
 * state "unicodeCodePoints" and convert: a byte column becomes 1 + the
 * number of code points before it, counted in the finding's source line.
 * Where we have no text of the line (related locations, an end on a later
 * line, dump findings) the byte column is emitted unchanged; it is exact
 * whenever the line's prefix is ASCII, as nearly all Go code before a
 * diagnostic position is, and off only by the extra bytes of non-ASCII
 * characters otherwise. */
static long codepoint_col(const char *src, int col)
{
    if (!src || col <= 1) return col;
    long cp = 1;
    size_t len = strlen(src);
    for (size_t i = 0; i < (size_t)col - 1; i++)
        if (i >= len || ((unsigned char)src[i] & 0xC0) != 0x80) cp++;
    return cp;
}

/* The artifactLocation of file: relative to %SRCROOT% when it lies under
 * the root, else a file:// URI. */
static void put_artifact(struct jw *w, const char *root, const char *file)
{
    bool relative;
    char *rp = path_under_root(file, root);
    char *uri = path_to_uri(rp, &relative);
    free(rp);
    jw_key(w, "artifactLocation");
    jw_open(w, '{');
    jw_str(w, "uri", uri);
    if (relative) jw_str(w, "uriBaseId", "%SRCROOT%");
    jw_close(w, '}');
    free(uri);
}

/* physicalLocation for file/region; nothing for a finding without a file. */
static void put_physical(struct jw *w, const char *root, const char *file, int line, int col, int end_line,
                         int end_col, const char *src)
{
    jw_key(w, "physicalLocation");
    jw_open(w, '{');
    put_artifact(w, root, file);
    if (line > 0) {
        jw_key(w, "region");
        jw_open(w, '{');
        jw_int(w, "startLine", line);
        if (col > 0) jw_int(w, "startColumn", codepoint_col(src, col));
        /* endColumn is exclusive in SARIF, as our end_col is. An end that
         * would precede the start is dropped: such a region is invalid. */
        if (end_line > line) {
            jw_int(w, "endLine", end_line);
            if (end_col > 0) jw_int(w, "endColumn", end_col); /* no text of that line */
        } else if (end_line == line && end_col > 0 && end_col >= col) {
            jw_int(w, "endLine", end_line);
            jw_int(w, "endColumn", codepoint_col(src, end_col));
        }
        jw_close(w, '}');
    }
    jw_close(w, '}');
}

/* Index of a rule id in all_rules[], or -1. */
static long rule_index(const char *id)
{
    for (size_t i = 0; id && i < all_rules_count; i++)
        if (all_rules[i]->id && !strcmp(all_rules[i]->id, id)) return (long)i;
    return -1;
}

/* Length of s without trailing newlines. */
static int trimmed(const char *s)
{
    size_t n = strlen(s);
    while (n && s[n - 1] == '\n') n--;
    return (int)n;
}

/* A Markdown code fence longer than any backtick run in the code (Go raw
 * strings use backticks). */
static void put_fenced(struct buf *b, const char *code)
{
    size_t run = 0, longest = 0;
    for (const char *p = code; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest) longest = run;
    }
    size_t n = longest >= 3 ? longest + 1 : 3;
    for (size_t i = 0; i < n; i++) buf_putc(b, '`');
    buf_puts(b, "go\n");
    buf_puts(b, code);
    if (*code && code[strlen(code) - 1] != '\n') buf_putc(b, '\n');
    for (size_t i = 0; i < n; i++) buf_putc(b, '`');
    buf_putc(b, '\n');
}

static void put_rule(struct jw *w, const struct rule *r, const struct report_opts *o)
{
    const char *summary = r->summary && *r->summary ? r->summary : r->name;
    struct buf text = {0}, md = {0};
    buf_puts(&text, summary);
    buf_puts(&md, summary);
    if (r->why && *r->why) {
        buf_printf(&text, "\n\n%s", r->why);
        buf_printf(&md, "\n\n%s", r->why);
    }
    if (r->bad && *r->bad) {
        buf_printf(&text, "\n\nBad:\n\n%.*s", trimmed(r->bad), r->bad);
        buf_puts(&md, "\n\n**Bad**\n\n");
        put_fenced(&md, r->bad);
    }
    if (r->good && *r->good) {
        buf_printf(&text, "\n\nGood:\n\n%.*s", trimmed(r->good), r->good);
        buf_puts(&md, r->bad && *r->bad ? "\n**Good**\n\n" : "\n\n**Good**\n\n");
        put_fenced(&md, r->good);
    }

    jw_open(w, '{');
    jw_str(w, "id", r->id);
    jw_str(w, "name", r->name);
    jw_text(w, "shortDescription", summary);
    if (r->why && *r->why) jw_text(w, "fullDescription", r->why);
    if (o->docs_url && *o->docs_url) {
        size_t n = strlen(o->docs_url);
        while (n && o->docs_url[n - 1] == '/') n--;
        char *uri = xasprintf("%.*s/%s-%s.md", (int)n, o->docs_url, r->id, r->name);
        jw_str(w, "helpUri", uri);
        free(uri);
    }
    jw_key(w, "help");
    jw_open(w, '{');
    jw_str(w, "text", text.data);
    jw_str(w, "markdown", md.data);
    jw_close(w, '}');
    jw_key(w, "defaultConfiguration");
    jw_open(w, '{');
    jw_str(w, "level", sarif_level(r->severity));
    jw_close(w, '}');
    jw_key(w, "properties");
    jw_open(w, '{');
    jw_key(w, "tags");
    jw_open(w, '[');
    jw_str(w, NULL, "concurrency");
    jw_close(w, ']');
    jw_str(w, "precision", confidence_name(r->confidence));
    jw_close(w, '}');
    jw_close(w, '}');
    buf_free(&text);
    buf_free(&md);
}

/* The partialFingerprints key of godark's own fingerprint: the rule, the
 * root-relative file and the code of the line (finding_fingerprint), with
 * the number of earlier results of the same print, so that line shifts
 * keep it and code scanning matches results across runs. */
#define FINGERPRINT_KEY "godark/v1"


/* The finding's machine edits as one SARIF fix: an artifactChange per
 * file, in the order the edits first name them, each edit a replacement
 * whose deletedRegion is given by lines and code-point columns (the run's
 * columnKind; an empty region is an insertion point) and whose
 * insertedContent is the new text (absent for a pure deletion). */
static void put_fixes(struct jw *w, const struct finding *f, const char *root)
{
    jw_key(w, "fixes");
    jw_open(w, '[');
    jw_open(w, '{');
    if (f->fix) jw_message(w, "description", f->fix);
    jw_key(w, "artifactChanges");
    jw_open(w, '[');
    for (size_t i = 0; i < f->nedits; i++) {
        const char *file = f->edits[i].file;
        bool seen = false;
        for (size_t k = 0; k < i; k++) seen |= !strcmp(f->edits[k].file, file);
        if (seen) continue;
        jw_open(w, '{');
        put_artifact(w, root, file);
        jw_key(w, "replacements");
        jw_open(w, '[');
        for (size_t k = i; k < f->nedits; k++) {
            const struct edit *e = &f->edits[k];
            if (strcmp(e->file, file)) continue;
            jw_open(w, '{');
            jw_key(w, "deletedRegion");
            jw_open(w, '{');
            jw_int(w, "startLine", e->line);
            jw_int(w, "startColumn", e->col);
            jw_int(w, "endLine", e->end_line);
            jw_int(w, "endColumn", e->end_col);
            jw_close(w, '}');
            if (e->text && *e->text) {
                jw_key(w, "insertedContent");
                jw_open(w, '{');
                jw_str(w, "text", e->text);
                jw_close(w, '}');
            }
            jw_close(w, '}');
        }
        jw_close(w, ']');
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_close(w, '}');
    jw_close(w, ']');
}

static void put_result(struct jw *w, const struct finding *f, const char *root, uint64_t print, int repeat)
{
    jw_open(w, '{');
    jw_str(w, "ruleId", f->rule_id ? f->rule_id : "");
    long idx = rule_index(f->rule_id);
    if (idx >= 0) jw_int(w, "ruleIndex", idx);
    jw_str(w, "level", sarif_level(f->severity));
    jw_message(w, "message", f->message);
    if (f->file && *f->file) {
        jw_key(w, "locations");
        jw_open(w, '[');
        jw_open(w, '{');
        put_physical(w, root, f->file, f->line, f->col, f->end_line, f->end_col, f->source_line);
        jw_close(w, '}');
        jw_close(w, ']');
    }
    if (f->nrelated) {
        jw_key(w, "relatedLocations");
        jw_open(w, '[');
        for (size_t i = 0; i < f->nrelated; i++) {
            const struct related *r = &f->related[i];
            jw_open(w, '{');
            jw_int(w, "id", (long)i + 1);
            if (r->file && *r->file) put_physical(w, root, r->file, r->line, r->col, 0, 0, NULL);
            jw_message(w, "message", r->message);
            jw_close(w, '}');
        }
        jw_close(w, ']');
    }
    jw_key(w, "partialFingerprints");
    jw_open(w, '{');
    char fp[40];
    snprintf(fp, sizeof fp, "%016llx:%d", (unsigned long long)print, repeat);
    jw_str(w, FINGERPRINT_KEY, fp);
    jw_close(w, '}');
    if (f->nedits) put_fixes(w, f, root);
    jw_key(w, "properties");
    jw_open(w, '{');
    jw_str(w, "confidence", confidence_name(f->confidence));
    if (f->fix) jw_str(w, "suggestion", f->fix);
    jw_close(w, '}');
    jw_close(w, '}');
}

bool report_write_sarif(FILE *out, const struct finding_list *l, const struct report_opts *o)
{
    struct jw w = {out, 0, true, false};
    jw_open(&w, '{');
    jw_str(&w, "$schema", SARIF_SCHEMA);
    jw_str(&w, "version", "2.1.0");
    jw_key(&w, "runs");
    jw_open(&w, '[');
    jw_open(&w, '{');

    jw_key(&w, "tool");
    jw_open(&w, '{');
    jw_key(&w, "driver");
    jw_open(&w, '{');
    jw_str(&w, "name", o && o->tool_name ? o->tool_name : "godark");
    if (o && o->version) jw_str(&w, "version", o->version);
    if (*GODARK_DOCS_URL) jw_str(&w, "informationUri", GODARK_DOCS_URL);
    jw_key(&w, "rules");
    jw_open(&w, '[');
    for (size_t i = 0; i < all_rules_count; i++) put_rule(&w, all_rules[i], o);
    jw_close(&w, ']');
    jw_close(&w, '}');
    jw_close(&w, '}');

    jw_key(&w, "invocations");
    jw_open(&w, '[');
    jw_open(&w, '{');
    jw_bool(&w, "executionSuccessful", true);
    if (o && o->command) {
        jw_key(&w, "properties");
        jw_open(&w, '{');
        jw_str(&w, "command", o->command);
        jw_close(&w, '}');
    }
    jw_close(&w, '}');
    jw_close(&w, ']');

    jw_str(&w, "columnKind", "unicodeCodePoints"); /* see codepoint_col */
    const char *root = o ? o->root : NULL;
    if (root) {
        /* where %SRCROOT% is, for consumers that have no checkout mapping */
        jw_key(&w, "originalUriBaseIds");
        jw_open(&w, '{');
        jw_key(&w, "%SRCROOT%");
        jw_open(&w, '{');
        bool rel;
        char *ru = path_to_uri(root, &rel);
        char *dir = xasprintf("%s%s", ru, ru[strlen(ru) - 1] == '/' ? "" : "/");
        jw_str(&w, "uri", dir);
        free(dir);
        free(ru);
        jw_close(&w, '}');
        jw_close(&w, '}');
    }

    jw_key(&w, "results");
    jw_open(&w, '[');
    uint64_t *prints = xcalloc(l->len + 1, sizeof *prints);
    for (size_t i = 0; i < l->len; i++) {
        const struct finding *f = &l->items[i];
        char *rp = f->file && *f->file ? path_under_root(f->file, root) : xstrdup("");
        prints[i] = finding_fingerprint(f, rp);
        free(rp);
        int repeat = 0;
        for (size_t k = 0; k < i; k++) repeat += prints[k] == prints[i];
        put_result(&w, f, root, prints[i], repeat);
    }
    free(prints);
    jw_close(&w, ']');

    jw_close(&w, '}');
    jw_close(&w, ']');
    jw_close(&w, '}');
    fputc('\n', out);
    return fflush(out) == 0 && !ferror(out);
}
