/* watch/html: `--html report.html` for watch and report: one self-contained
 * page (inline CSS and SVG drawn here, no script, nothing fetched) with the
 * total over time and one chart per growing site. */
#include "watch_p.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../report/report.h"

#ifndef GODARK_VERSION
#define GODARK_VERSION "dev"
#endif

/* Colours the test looks for in the screenshot: keep them in step with
 * tests/profile/html.py. */
#define COL_TOTAL "#1f77b4"
#define COL_SITE "#d62728"
#define COL_RESTART "#7b2cbf"
#define COL_GAP "#ff7f0e"
#define COL_BAND "#fde3e1"

#define CHART_W 960
#define M_LEFT 60
#define M_RIGHT 14
#define M_TOP 12
#define M_BOTTOM 30

static void esc(FILE *out, const char *s) { xml_put_string(out, s ? s : ""); }

/* ---- source lines, from the dump's paths when they are .go files here ---- */

struct srcfile {
    char *path, *data; /* data NULL: unreadable */
    size_t len;
};
struct srccache {
    VEC(struct srcfile) files;
};

static const char *src_line(struct srccache *c, const char *path, int line, size_t *n)
{
    size_t pl = path ? strlen(path) : 0;
    /* only Go source: a dump names the file, and a page must not show
     * lines of whatever else a hostile dump could name */
    if (line <= 0 || pl < 4 || strcmp(path + pl - 3, ".go")) return NULL;
    struct srcfile *f = NULL;
    for (size_t i = 0; i < c->files.len && !f; i++)
        if (!strcmp(c->files.items[i].path, path)) f = &c->files.items[i];
    if (!f) {
        struct srcfile nf = {xstrdup(path), NULL, 0};
        struct stat st;
        const char *err;
        if (c->files.len < 256 && stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < (8 << 20) &&
            !read_file_all(path, &nf.data, &nf.len, &err))
            nf.data = NULL;
        if (!nf.data) nf.len = 0;
        vec_push(&c->files, nf);
        f = &c->files.items[c->files.len - 1];
    }
    if (!f->data) return NULL;
    const char *p = f->data, *e = f->data + f->len;
    for (int l = 1; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        if (!nl) return NULL;
        p = nl + 1;
    }
    if (p >= e) return NULL;
    while (p < e && (*p == ' ' || *p == '\t')) p++;
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    *n = nl ? (size_t)(nl - p) : (size_t)(e - p);
    if (*n && p[*n - 1] == '\r') (*n)--;
    if (*n > 300) *n = 300;
    return p;
}

static void src_free(struct srccache *c)
{
    for (size_t i = 0; i < c->files.len; i++) {
        free(c->files.items[i].path);
        free(c->files.items[i].data);
    }
    vec_free(&c->files);
}

static void put_src(FILE *out, struct srccache *c, const char *file, int line, const char *cls)
{
    size_t n;
    const char *p = src_line(c, file, line, &n);
    if (!p) return;
    char *s = xstrndup(p, n);
    fprintf(out, "<pre class=\"%s\">", cls);
    esc(out, s);
    fputs("</pre>", out);
    free(s);
}

/* ---- charts ---- */

static double nice_max(double v)
{
    if (v < 1) return 1;
    double p = 1;
    while (p * 10 <= v) p *= 10;
    for (int k = 0; k < 3; k++) {
        static const double m[3] = {1, 2, 5};
        if (m[k] * p >= v) return m[k] * p;
    }
    return 10 * p;
}

static void fmt_secs(char *b, size_t n, double s)
{
    if (s < 120) snprintf(b, n, "+%.3g s", s);
    else if (s < 7200) snprintf(b, n, "+%.3g min", s / 60);
    else snprintf(b, n, "+%.3g h", s / 3600);
}

struct axis {
    int64_t t0, t1;
    double ymax;
    int h, pw, ph;
};

static double ax_x(const struct axis *a, int64_t t) { return M_LEFT + (double)(t - a->t0) / (double)(a->t1 - a->t0) * a->pw; }
static double ax_y(const struct axis *a, double v) { return M_TOP + a->ph - v / a->ymax * a->ph; }

/* vals[i] per good sample; one polyline per run of good samples without a
 * restart or a gap between them, at most two points (min, max) per pixel
 * column; restarts and gaps as vertical marks; [band_from, band_to) shaded. */
static void chart(FILE *out, const struct watch_series *s, const uint32_t *vals, const char *cls, const char *color,
                  int height, size_t band_from, size_t band_to, const char *title)
{
    size_t n = s->t.len;
    struct axis a = {s->first_t, s->last_t > s->first_t ? s->last_t : s->first_t + 1, 1, height,
                     CHART_W - M_LEFT - M_RIGHT, height - M_TOP - M_BOTTOM};
    double mx = 0;
    for (size_t i = 0; i < n; i++)
        if (vals[i] > mx) mx = vals[i];
    a.ymax = nice_max(mx);
    fprintf(out, "<svg class=\"chart %s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
            cls, CHART_W, height, CHART_W, height);
    esc(out, title);
    fputs("\">\n<title>", out);
    esc(out, title);
    fputs("</title>\n", out);
    fprintf(out, "<rect class=\"plot\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#ffffff\" stroke=\"#cccccc\"/>\n",
            M_LEFT, M_TOP, a.pw, a.ph);
    if (band_to > band_from && band_to <= n) {
        double x0 = ax_x(&a, s->t.items[band_from]), x1 = ax_x(&a, s->t.items[band_to - 1]);
        fprintf(out, "<rect class=\"judged\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>samples judged growing</title></rect>\n",
                x0, M_TOP, x1 - x0 > 1 ? x1 - x0 : 1, a.ph, COL_BAND);
    }
    for (int k = 0; k <= 2; k++) { /* grid and y labels */
        double v = a.ymax * k / 2, y = ax_y(&a, v);
        if (k) fprintf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e6e6e6\"/>", M_LEFT, y, M_LEFT + a.pw, y);
        fprintf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n", M_LEFT - 6, y + 4, v);
    }
    for (int k = 0; k <= 4; k++) { /* x labels */
        char b[32];
        fmt_secs(b, sizeof(b), (double)(a.t1 - a.t0) / 1000.0 * k / 4);
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>", M_LEFT + a.pw * k / 4.0, height - 10,
                k == 0 ? "start" : k == 4 ? "end" : "middle", b);
    }
    fputc('\n', out);
    /* gaps: one mark per pixel column */
    int lastcol = -1;
    for (size_t i = 0; i < s->errors.len; i++) {
        const struct watch_event *e = &s->errors.items[i];
        double x = ax_x(&a, e->t_ms);
        if ((int)x == lastcol) continue;
        lastcol = (int)x;
        fprintf(out, "<line class=\"gap\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"><title>gap at +%.1f s: ",
                x, M_TOP, x, M_TOP + a.ph, COL_GAP, (double)(e->t_ms - a.t0) / 1000.0);
        esc(out, e->msg);
        fputs("</title></line>\n", out);
    }
    for (size_t i = 0; i < s->restarts.len; i++) {
        double x = ax_x(&a, s->restarts.items[i]);
        fprintf(out, "<line class=\"restart\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\" stroke-dasharray=\"6 4\"><title>restart at +%.1f s</title></line>\n",
                x, M_TOP, x, M_TOP + a.ph, COL_RESTART, (double)(s->restarts.items[i] - a.t0) / 1000.0);
    }
    /* the series */
    size_t ei = 0; /* errors are in time order */
    for (size_t from = 0; from < n;) {
        size_t to = from + 1;
        while (to < n && s->segment.items[to] == s->segment.items[from]) {
            while (ei < s->errors.len && s->errors.items[ei].t_ms <= s->t.items[to - 1]) ei++;
            if (ei < s->errors.len && s->errors.items[ei].t_ms < s->t.items[to]) break; /* a gap before `to` */
            to++;
        }
        fprintf(out, "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" stroke-linejoin=\"round\" points=\"", color);
        for (size_t i = from; i < to;) {
            int col = (int)ax_x(&a, s->t.items[i]);
            size_t j = i, imin = i, imax = i;
            while (j < to && (int)ax_x(&a, s->t.items[j]) == col) {
                if (vals[j] < vals[imin]) imin = j;
                if (vals[j] > vals[imax]) imax = j;
                j++;
            }
            size_t first = imin < imax ? imin : imax, second = imin < imax ? imax : imin;
            fprintf(out, "%.1f,%.1f ", ax_x(&a, s->t.items[first]), ax_y(&a, vals[first]));
            if (second != first) fprintf(out, "%.1f,%.1f ", ax_x(&a, s->t.items[second]), ax_y(&a, vals[second]));
            i = j;
        }
        fputs("\"/>\n", out);
        if (to - from == 1) /* a lone point still shows */
            fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", ax_x(&a, s->t.items[from]),
                    ax_y(&a, vals[from]), color);
        from = to;
    }
    fputs("</svg>\n", out);
}

/* ---- the page ---- */

static const char *const css =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#222;margin:24px auto;max-width:1000px;padding:0 12px}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:0 0 6px;word-break:break-all}"
    "code,pre{font:12.5px/1.4 ui-monospace,'DejaVu Sans Mono',monospace}pre{margin:2px 0 6px;white-space:pre-wrap;word-break:break-all}"
    ".meta{color:#555;margin:2px 0}.site{border:1px solid #e3e3e3;border-radius:6px;padding:12px 14px;margin:14px 0}"
    "svg.chart{display:block;max-width:100%;height:auto}svg text{font:11px sans-serif;fill:#555}"
    "table{border-collapse:collapse;margin:6px 0}td,th{padding:2px 10px 2px 0;text-align:left;vertical-align:top}"
    "th{font-weight:600;color:#444}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".src{background:#f6f8fa;border-left:3px solid " COL_SITE ";padding:4px 8px}.fsrc{background:#f6f8fa;padding:2px 8px;color:#333}"
    "ol.stack{margin:4px 0;padding-left:28px}ol.stack li{margin:2px 0}.loc{color:#555}"
    ".legend span{display:inline-block;margin-right:16px;color:#555}.legend i{display:inline-block;width:18px;height:3px;vertical-align:middle;margin-right:5px}"
    ".none{color:#2e7d32;font-weight:600}.growing{color:" COL_SITE ";font-weight:600}";

static void put_time(FILE *out, int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    char b[64];
    if (ms > 0 && gmtime_r(&t, &tm) && strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%S UTC", &tm)) fputs(b, out);
    else fputs("?", out);
}

static void put_frame(FILE *out, const struct watch_frame *f)
{
    fputs("<code>", out);
    esc(out, f->func && f->func[0] ? f->func : "?");
    fputs("</code> <span class=\"loc\">", out);
    esc(out, f->file);
    fprintf(out, ":%d</span>", f->line);
}

static void legend(FILE *out, const char *color, const char *what, const struct watch_series *s, bool band)
{
    fprintf(out, "<p class=\"legend\"><span><i style=\"background:%s\"></i>%s</span>", color, what);
    if (band) fputs("<span><i style=\"background:" COL_BAND ";height:10px\"></i>samples judged</span>", out);
    if (s->restarts.len) fputs("<span><i style=\"background:" COL_RESTART "\"></i>restart</span>", out);
    if (s->errors.len) fputs("<span><i style=\"background:" COL_GAP "\"></i>gap (endpoint error)</span>", out);
    fputs("</p>\n", out);
}

static int cmp_last(const void *pa, const void *pb, void *ctx)
{
    const struct watch_series *s = ctx;
    size_t k = s->t.len - 1, a = *(const size_t *)pa, b = *(const size_t *)pb;
    uint32_t x = s->sites.items[a].counts.items[k], y = s->sites.items[b].counts.items[k];
    return x != y ? (x > y ? -1 : 1) : (a < b ? -1 : 1);
}

static void page(FILE *out, const struct watch_series *s, const struct watch_verdicts *v)
{
    struct srccache sc = {{0}};
    size_t good = s->t.len;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
          "<meta name=\"viewport\" content=\"width=device-width\">\n<title>godark watch: ",
          out);
    esc(out, s->url);
    fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>godark watch</h1>\n<p class=\"meta\"><code>", css);
    esc(out, s->url);
    fputs("</code></p>\n<p class=\"meta\">", out);
    put_time(out, s->first_t);
    fputs(" to ", out);
    put_time(out, s->last_t);
    fprintf(out, " &middot; %zu samples (every %lld ms): %zu good, %zu error%s, %zu restart%s &middot; godark %s</p>\n",
            s->nsamples, (long long)s->every_ms, good, s->errors.len, s->errors.len == 1 ? "" : "s", s->restarts.len,
            s->restarts.len == 1 ? "" : "s", GODARK_VERSION);
    if (!good) {
        fputs("<p>No good sample: the endpoint never answered with a goroutine dump.</p>\n", out);
    } else {
        fprintf(out, "<section class=\"total\">\n<h2>Goroutines: %u &rarr; %u</h2>\n", s->total.items[0],
                s->total.items[good - 1]);
        chart(out, s, s->total.items, "total-chart", COL_TOTAL, 240, 0, 0, "goroutines over time");
        legend(out, COL_TOTAL, "goroutines", s, false);
        fputs("</section>\n", out);
    }
    if (v->len) fprintf(out, "<h2 class=\"growing\">Growing block sites: %zu</h2>\n", v->len);
    else if (good) fputs("<p class=\"none\">Nothing growing.</p>\n", out);
    for (size_t i = 0; i < v->len; i++) {
        const struct watch_growth *g = &v->items[i];
        const struct watch_series_site *ss = &s->sites.items[g->site];
        fprintf(out, "<section class=\"site\" id=\"site-%zu\">\n<h3><code class=\"func\">", i + 1);
        esc(out, ss->func[0] || ss->file[0] ? ss->func : "(runtime only)");
        fputs("</code> <span class=\"loc\">", out);
        esc(out, ss->file);
        fprintf(out, ":%d</span></h3>\n<p class=\"meta\">", ss->line);
        esc(out, ss->state);
        fputs(" &middot; ", out);
        esc(out, ss->cls);
        fprintf(out, " &middot; now %u, max %u</p>\n", ss->counts.items[good - 1], ss->max);
        put_src(out, &sc, ss->file, ss->line, "src");
        fprintf(out,
                "<table class=\"trend\"><tr><th>first &rarr; last</th><th>slope</th><th>Mann-Kendall</th>"
                "<th>quarter medians</th><th>samples judged</th></tr>\n<tr><td class=\"n\">%g &rarr; %g</td>"
                "<td class=\"n\">%+.3g/s</td><td class=\"n\">S=%g, p=%.2g</td><td class=\"n\">%g &rarr; %g</td>"
                "<td class=\"n\">%zu from +%.1f s</td></tr></table>\n",
                g->tr.first, g->tr.last, g->tr.slope, g->tr.mk.s, g->tr.mk.p_up, g->tr.first_q, g->tr.last_q,
                g->to - g->from, (double)(s->t.items[g->from] - s->first_t) / 1000.0);
        char title[64];
        snprintf(title, sizeof(title), "growing site %zu over time", i + 1);
        chart(out, s, ss->counts.items, "site-chart", COL_SITE, 200, g->from, g->to, title);
        legend(out, COL_SITE, "goroutines at this site", s, true);
        if (ss->nstack) {
            fputs("<h4>Stack</h4>\n<ol class=\"stack\">\n", out);
            for (size_t k = 0; k < ss->nstack; k++) {
                fputs("<li>", out);
                put_frame(out, &ss->stack[k]);
                put_src(out, &sc, ss->stack[k].file, ss->stack[k].line, "fsrc");
                fputs("</li>\n", out);
            }
            fputs("</ol>\n", out);
        }
        if (ss->creator.func) {
            fputs("<p class=\"creator\">created by ", out);
            put_frame(out, &ss->creator);
            fputs("</p>\n", out);
            put_src(out, &sc, ss->creator.file, ss->creator.line, "fsrc");
        }
        fputs("</section>\n", out);
    }
    if (good && s->sites.len) {
        size_t n = s->sites.len, *idx = xmalloc(n * sizeof(size_t));
        for (size_t i = 0; i < n; i++) idx[i] = i;
        qsort_r(idx, n, sizeof(size_t), cmp_last, (void *)s);
        fputs("<h2>Largest block sites at the last sample</h2>\n<table class=\"sites\"><tr><th>count</th><th>max</th>"
              "<th>state</th><th>site</th></tr>\n",
              out);
        for (size_t i = 0; i < n && i < 15; i++) {
            const struct watch_series_site *ss = &s->sites.items[idx[i]];
            fprintf(out, "<tr><td class=\"n\">%u</td><td class=\"n\">%u</td><td>", ss->counts.items[good - 1], ss->max);
            esc(out, ss->state);
            fputs("</td><td>", out);
            struct watch_frame f = {ss->func[0] || ss->file[0] ? ss->func : "(runtime only)", ss->file, ss->line};
            put_frame(out, &f);
            fputs("</td></tr>\n", out);
        }
        fputs("</table>\n", out);
        if (n > 15) fprintf(out, "<p class=\"meta\">and %zu more</p>\n", n - 15);
        free(idx);
    }
    if (s->errors.len) {
        fprintf(out, "<h2>Endpoint errors: %zu</h2>\n<ul class=\"gaps\">\n", s->errors.len);
        for (size_t i = 0; i < s->errors.len; i++) {
            if (s->errors.len > 20 && i == 10) {
                fprintf(out, "<li>&hellip; %zu more</li>\n", s->errors.len - 20);
                i = s->errors.len - 10;
            }
            fprintf(out, "<li>+%.1f s: ", (double)(s->errors.items[i].t_ms - s->first_t) / 1000.0);
            esc(out, s->errors.items[i].msg);
            fputs("</li>\n", out);
        }
        fputs("</ul>\n", out);
    }
    for (size_t i = 0; i < s->restarts.len; i++)
        fprintf(out, "<p class=\"restart\">Restart detected at +%.1f s (goroutine ids went back or the total reset).</p>\n",
                (double)(s->restarts.items[i] - s->first_t) / 1000.0);
    fputs("</body>\n</html>\n", out);
    src_free(&sc);
}

bool watch_html_write(const char *path, const struct watch_series *s, const struct watch_verdicts *v,
                      struct profile_diag *d)
{
    char *tmp = xasprintf("%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(d->msg, sizeof(d->msg), "%s: %s", path, strerror(errno));
        free(tmp);
        return false;
    }
    fchmod(fd, 0644);
    FILE *out = fdopen(fd, "w");
    if (!out) {
        snprintf(d->msg, sizeof(d->msg), "%s: %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        free(tmp);
        return false;
    }
    page(out, s, v);
    bool ok = fflush(out) == 0 && !ferror(out) && fsync(fd) == 0;
    int e = errno;
    if (fclose(out) != 0 && ok) ok = false, e = errno;
    if (ok && rename(tmp, path) != 0) ok = false, e = errno;
    if (!ok) {
        snprintf(d->msg, sizeof(d->msg), "%s: write error: %s", path, strerror(e));
        unlink(tmp);
    }
    free(tmp);
    return ok;
}
