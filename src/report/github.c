/* report/github: GitHub Actions workflow commands, one `::warning ...::msg`
 * line per finding, which the runner turns into annotations on the diff. */
#include "report.h"

#include <stdlib.h>

#include "paths.h"

/* Workflow-command escaping: the message ("data") escapes % CR LF so one
 * finding stays one line; property values also escape : and , which
 * separate properties. */
static void put_escaped(FILE *out, const char *s, bool property)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '%': fputs("%25", out); break;
        case '\r': fputs("%0D", out); break;
        case '\n': fputs("%0A", out); break;
        case ':':
            if (property) fputs("%3A", out);
            else fputc(':', out);
            break;
        case ',':
            if (property) fputs("%2C", out);
            else fputc(',', out);
            break;
        default: fputc(*s, out);
        }
    }
}

static const char *command_for(enum severity s)
{
    switch (s) {
    case SEV_ERROR: return "error";
    case SEV_WARNING: return "warning";
    case SEV_INFO: return "notice";
    }
    return "warning";
}

static void put_finding(FILE *out, const struct finding *f, const char *root)
{
    fprintf(out, "::%s ", command_for(f->severity));
    if (f->file && *f->file) {
        /* GitHub places annotations by the path from the repository root */
        fputs("file=", out);
        char *rp = path_under_root(f->file, root);
        put_escaped(out, rp, true);
        free(rp);
        if (f->line > 0) {
            fprintf(out, ",line=%d", f->line);
            if (f->col > 0) fprintf(out, ",col=%d", f->col);
            if (f->end_line >= f->line) {
                fprintf(out, ",endLine=%d", f->end_line);
                if (f->end_col > 0 && (f->end_line > f->line || f->end_col >= f->col))
                    fprintf(out, ",endColumn=%d", f->end_col);
            }
        }
        fputc(',', out);
    }
    fputs("title=", out);
    put_escaped(out, f->rule_id ? f->rule_id : "", true);
    fputc(' ', out);
    put_escaped(out, f->rule_name ? f->rule_name : "", true);
    fputs("::", out);

    /* Annotations have no related locations or fixes; they go in the
     * message as further lines, which the annotation shows. */
    put_escaped(out, f->message ? f->message : "", false);
    if (f->confidence == CONF_LOW) fputs(" [low confidence]", out);
    if (f->fix) {
        fputs("%0Afix: ", out);
        put_escaped(out, f->fix, false);
    }
    for (size_t i = 0; i < f->nrelated; i++) {
        const struct related *r = &f->related[i];
        fputs("%0A", out);
        if (r->file && *r->file) {
            put_escaped(out, r->file, false);
            if (r->line > 0) {
                fprintf(out, ":%d", r->line);
                if (r->col > 0) fprintf(out, ":%d", r->col);
            }
            fputs(": ", out);
        }
        fputs("note: ", out);
        put_escaped(out, r->message ? r->message : "", false);
    }
    fputc('\n', out);
}

bool report_write_github(FILE *out, const struct finding_list *l, const struct report_opts *o)
{
    for (size_t i = 0; i < l->len; i++) put_finding(out, &l->items[i], o ? o->root : NULL);
    return fflush(out) == 0 && !ferror(out);
}
