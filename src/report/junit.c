/* report/junit: JUnit XML, which CI systems (GitLab, Jenkins, Azure
 * Pipelines, CircleCI) show as test results: one test suite, one failed
 * test case per finding, named by rule and place; a clean run is one
 * passing case so the report is never empty. */
#include "report.h"

bool report_write_junit(FILE *out, const struct finding_list *l, const struct report_opts *o)
{
    const char *tool = o && o->tool_name ? o->tool_name : "godark";
    size_t n = l->len ? l->len : 1;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out, "<testsuites name=\"%s\" tests=\"%zu\" failures=\"%zu\">\n", tool, n, l->len);
    fprintf(out, "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", tool, n, l->len);
    if (!l->len) fprintf(out, "    <testcase name=\"no findings\" classname=\"%s\"/>\n", tool);
    for (size_t i = 0; i < l->len; i++) {
        const struct finding *f = &l->items[i];
        const char *file = f->file && *f->file ? f->file : "-";
        fputs("    <testcase name=\"", out);
        xml_put_string(out, f->rule_id ? f->rule_id : "");
        fprintf(out, " %s", f->rule_name ? f->rule_name : "");
        fputs(" at ", out);
        xml_put_string(out, file);
        fprintf(out, ":%d:%d\" classname=\"", f->line, f->col);
        xml_put_string(out, file);
        fputs("\">\n      <failure message=\"", out);
        xml_put_string(out, f->message ? f->message : "");
        fputs("\" type=\"", out);
        xml_put_string(out, f->rule_id ? f->rule_id : "");
        fputs("\">", out);
        xml_put_string(out, file);
        fprintf(out, ":%d:%d: ", f->line, f->col);
        xml_put_string(out, f->message ? f->message : "");
        fprintf(out, " (%s, %s confidence)", severity_name(f->severity), confidence_name(f->confidence));
        if (f->fix) {
            fputs("\nfix: ", out);
            xml_put_string(out, f->fix);
        }
        for (size_t k = 0; k < f->nrelated; k++) {
            const struct related *r = &f->related[k];
            fputc('\n', out);
            if (r->file && *r->file) {
                xml_put_string(out, r->file);
                fprintf(out, ":%d:%d: ", r->line, r->col);
            }
            fputs("note: ", out);
            xml_put_string(out, r->message ? r->message : "");
        }
        fputs("</failure>\n    </testcase>\n", out);
    }
    fputs("  </testsuite>\n</testsuites>\n", out);
    return fflush(out) == 0 && !ferror(out);
}
