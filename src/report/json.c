/* report/json: godark's own stable JSON document, for scripts. Field names
 * and order are an interface: add fields, never rename or reorder them. */
#include "report.h"

#include <stdlib.h>

#include "paths.h"

/* A pretty printer with the layout of Python's json.dumps(indent=2): one
 * member per line, two-space indent, `[]`/`{}` when empty. */
struct jw {
    FILE *out;
    int depth;
    bool first;     /* nothing written yet in the innermost container */
    bool after_key; /* the next value follows `"key": ` on the same line */
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

static void jw_str(struct jw *w, const char *k, const char *v)
{
    jw_key(w, k);
    jw_prefix(w);
    json_put_string(w->out, v);
}

static void jw_int(struct jw *w, const char *k, int v)
{
    jw_key(w, k);
    jw_prefix(w);
    fprintf(w->out, "%d", v);
}

static void put_finding(struct jw *w, const struct finding *f)
{
    jw_open(w, '{');
    jw_str(w, "rule", f->rule_id);
    jw_str(w, "name", f->rule_name);
    jw_str(w, "severity", severity_name(f->severity));
    jw_str(w, "confidence", confidence_name(f->confidence));
    jw_str(w, "file", f->file ? f->file : "");
    jw_int(w, "line", f->line);
    jw_int(w, "column", f->col);
    jw_int(w, "end_line", f->end_line);
    jw_int(w, "end_column", f->end_col);
    jw_str(w, "message", f->message ? f->message : "");
    if (f->fix) jw_str(w, "fix", f->fix);
    jw_key(w, "related");
    jw_open(w, '[');
    for (size_t i = 0; i < f->nrelated; i++) {
        const struct related *r = &f->related[i];
        jw_open(w, '{');
        jw_str(w, "file", r->file ? r->file : "");
        jw_int(w, "line", r->line);
        jw_int(w, "column", r->col);
        jw_str(w, "message", r->message ? r->message : "");
        jw_close(w, '}');
    }
    jw_close(w, ']');
    if (f->nedits) {
        /* the safe fix as machine edits (byte offsets into the file as it
         * was analysed, end exclusive; lines and columns 1-based) */
        jw_key(w, "edits");
        jw_open(w, '[');
        for (size_t i = 0; i < f->nedits; i++) {
            const struct edit *e = &f->edits[i];
            char *file = path_display(e->file);
            jw_open(w, '{');
            jw_str(w, "file", file);
            jw_int(w, "start_byte", (int)e->start);
            jw_int(w, "end_byte", (int)e->end);
            jw_int(w, "line", e->line);
            jw_int(w, "column", e->col);
            jw_int(w, "end_line", e->end_line);
            jw_int(w, "end_column", e->end_col);
            jw_str(w, "text", e->text ? e->text : "");
            jw_close(w, '}');
            free(file);
        }
        jw_close(w, ']');
    }
    jw_close(w, '}');
}

bool report_write_json(FILE *out, const struct finding_list *l, const struct report_opts *o)
{
    struct jw w = {out, 0, true, false};
    jw_open(&w, '{');
    jw_str(&w, "tool", o && o->tool_name ? o->tool_name : "godark");
    jw_str(&w, "version", o ? o->version : NULL); /* null when unknown */
    jw_str(&w, "command", o ? o->command : NULL);
    jw_key(&w, "findings");
    jw_open(&w, '[');
    for (size_t i = 0; i < l->len; i++) put_finding(&w, &l->items[i]);
    jw_close(&w, ']');
    jw_close(&w, '}');
    fputc('\n', out);
    return fflush(out) == 0 && !ferror(out);
}
