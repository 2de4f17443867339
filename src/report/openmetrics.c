/* report/openmetrics: the Prometheus text exposition format and OpenMetrics
 * text, for goroutines per block site (see openmetrics.h). */
#include "openmetrics.h"

#include <math.h>
#include <stdlib.h>

#include "report.h"

void om_escape_label(struct buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        unsigned char c = *p;
        if (c < 0x80) {
            if (c == '\\') buf_puts(b, "\\\\");
            else if (c == '"') buf_puts(b, "\\\"");
            else if (c == '\n') buf_puts(b, "\\n");
            else buf_putc(b, (char)c);
            p++;
            continue;
        }
        size_t bad = 0, n = report_utf8_seq(p, &bad);
        if (n) {
            buf_append(b, (const char *)p, n);
            p += n;
        } else {
            buf_puts(b, "\xEF\xBF\xBD");
            p += bad;
        }
    }
}

static void put_value(struct buf *b, double v)
{
    if (isnan(v)) buf_puts(b, "NaN");
    else if (isinf(v)) buf_puts(b, v > 0 ? "+Inf" : "-Inf");
    else if (v == floor(v) && fabs(v) < 9e15) buf_printf(b, "%.0f", v);
    else if (fabs(v) >= 1e6) buf_printf(b, "%.3f", v); /* a Unix time keeps its milliseconds */
    else buf_printf(b, "%.9g", v);
}

/* HELP text: the text format escapes \\ and \n, OpenMetrics " too. */
static void put_help(struct om_writer *w, const char *help)
{
    for (const char *p = help; *p; p++) {
        if (*p == '\\') buf_puts(w->b, "\\\\");
        else if (*p == '\n') buf_puts(w->b, "\\n");
        else if (*p == '"' && w->openmetrics) buf_puts(w->b, "\\\"");
        else buf_putc(w->b, *p);
    }
}

static void family(struct om_writer *w, const char *name, const char *type, const char *help)
{
    /* the text format names a counter by its sample (x_total), OpenMetrics
     * by its family (x) */
    const char *suffix = !strcmp(type, "counter") && !w->openmetrics ? "_total" : "";
    buf_printf(w->b, "# HELP %s%s ", name, suffix);
    put_help(w, help);
    buf_printf(w->b, "\n# TYPE %s%s %s\n", name, suffix, type);
}

void om_gauge(struct om_writer *w, const char *name, const char *help, double v)
{
    family(w, name, "gauge", help);
    buf_printf(w->b, "%s ", name);
    put_value(w->b, v);
    buf_putc(w->b, '\n');
}

void om_counter(struct om_writer *w, const char *name, const char *help, double v)
{
    family(w, name, "counter", help);
    buf_printf(w->b, "%s_total ", name);
    put_value(w->b, v);
    buf_putc(w->b, '\n');
}

void om_end(struct om_writer *w)
{
    if (w->openmetrics) buf_puts(w->b, "# EOF\n");
}

static bool flagged(const struct om_site *s) { return s->growing > 0 || s->suspect > 0; }

static int cmp_site(const void *pa, const void *pb)
{
    const struct om_site *a = pa, *b = pb;
    if (flagged(a) != flagged(b)) return flagged(a) ? -1 : 1;
    if (a->goroutines != b->goroutines) return a->goroutines > b->goroutines ? -1 : 1;
    int c = strcmp(a->func, b->func);
    if (c) return c;
    c = strcmp(a->file, b->file);
    if (c) return c;
    return a->line < b->line ? -1 : a->line > b->line;
}

static void labels(struct buf *b, const struct om_site *s)
{
    buf_puts(b, "{site=\"");
    if (!s) {
        buf_puts(b, "other\"}");
        return;
    }
    if (!s->func[0] && !s->file[0]) {
        om_escape_label(b, "(runtime only)");
    } else {
        om_escape_label(b, s->func);
        buf_putc(b, ' ');
        om_escape_label(b, s->file);
        buf_printf(b, ":%d", s->line);
    }
    buf_puts(b, "\",func=\"");
    om_escape_label(b, s->func);
    buf_puts(b, "\",file=\"");
    om_escape_label(b, s->file);
    buf_printf(b, "\",line=\"%d\",state=\"", s->line);
    om_escape_label(b, s->state);
    buf_puts(b, "\"}");
}

enum { COL_GOROUTINES, COL_GROWING, COL_SUSPECT, COL_SLOPE };

static bool has_col(const struct om_site *s, int col)
{
    return col == COL_GOROUTINES || (col == COL_GROWING && s->growing >= 0) ||
           (col == COL_SUSPECT && s->suspect >= 0) || (col == COL_SLOPE && s->has_slope);
}

static double col_value(const struct om_site *s, int col)
{
    switch (col) {
    case COL_GOROUTINES: return (double)s->goroutines;
    case COL_GROWING: return s->growing;
    case COL_SUSPECT: return s->suspect;
    default: return s->slope;
    }
}

void om_sites_order(struct om_site *sites, size_t n)
{
    if (n > 1) qsort(sites, n, sizeof(*sites), cmp_site);
}

void om_sites(struct om_writer *w, struct om_site *sites, size_t n, size_t top)
{
    om_sites_order(sites, n);
    size_t shown = n < top ? n : top;
    static const struct {
        const char *name, *help;
    } cols[] = {
        {"godark_site_goroutines", "Goroutines blocked at a block site (the top sites by name, the rest summed as site=other)."},
        {"godark_site_growing", "1 when the site's count is growing (Mann-Kendall trend and a lasting rise), else 0."},
        {"godark_site_suspect", "1 when the site is a leak suspect in this dump (GD901-GD903), else 0."},
        {"godark_site_slope_per_second", "Theil-Sen slope of the site's count since the last restart, per second."},
    };
    for (int col = 0; col < (int)GD_ARRAY_LEN(cols); col++) {
        bool any = col == COL_GOROUTINES;
        for (size_t i = 0; i < n && !any; i++) any = has_col(&sites[i], col);
        if (!any) continue;
        family(w, cols[col].name, "gauge", cols[col].help);
        for (size_t i = 0; i < shown; i++) {
            if (!has_col(&sites[i], col)) continue;
            buf_puts(w->b, cols[col].name);
            labels(w->b, &sites[i]);
            buf_putc(w->b, ' ');
            put_value(w->b, col_value(&sites[i], col));
            buf_putc(w->b, '\n');
        }
        if (col == COL_SLOPE) continue; /* a sum of slopes means nothing */
        double other = 0;
        for (size_t i = shown; i < n; i++) {
            if (!has_col(&sites[i], col)) continue;
            double v = col_value(&sites[i], col);
            if (col == COL_GOROUTINES) other += v;
            else if (v > other) other = v; /* a flag: any of them */
        }
        buf_puts(w->b, cols[col].name);
        labels(w->b, NULL);
        buf_putc(w->b, ' ');
        put_value(w->b, other);
        buf_putc(w->b, '\n');
    }
    family(w, "godark_sites", "gauge", "Distinct block sites, including those summed as site=other.");
    buf_printf(w->b, "godark_sites %zu\n", n);
}
