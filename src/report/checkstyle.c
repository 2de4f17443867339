/* report/checkstyle: Checkstyle XML, which Jenkins' warnings plugin,
 * reviewdog, SonarQube and GitLab importers read: one <file> per file, one
 * <error> per finding, the rule as the source. */
#include "report.h"

bool report_write_checkstyle(FILE *out, const struct finding_list *l, const struct report_opts *o)
{
    (void)o;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n", out);
    const char *open = NULL;
    for (size_t i = 0; i < l->len; i++) {
        const struct finding *f = &l->items[i];
        const char *file = f->file && *f->file ? f->file : "-";
        if (!open || strcmp(open, file)) {
            if (open) fputs("  </file>\n", out);
            fputs("  <file name=\"", out);
            xml_put_string(out, file);
            fputs("\">\n", out);
            open = file;
        }
        fprintf(out, "    <error line=\"%d\"", f->line > 0 ? f->line : 0);
        if (f->col > 0) fprintf(out, " column=\"%d\"", f->col);
        fprintf(out, " severity=\"%s\" message=\"", f->severity == SEV_INFO ? "info" : severity_name(f->severity));
        xml_put_string(out, f->message ? f->message : "");
        if (f->confidence == CONF_LOW) fputs(" [low confidence]", out);
        fputs("\" source=\"godark.", out);
        xml_put_string(out, f->rule_id ? f->rule_id : "");
        fputs("\"/>\n", out);
    }
    if (open) fputs("  </file>\n", out);
    fputs("</checkstyle>\n", out);
    return fflush(out) == 0 && !ferror(out);
}
