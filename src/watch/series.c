/* watch/series: samples gathered into one count series per block site,
 * judged by trend.c per segment (the runs between restarts), and the end
 * summary that watch and report print (text or JSON). */
#include "watch_p.h"

#include <stdlib.h>

void watch_series_init(struct watch_series *s)
{
    memset(s, 0, sizeof(*s));
    arena_init(&s->arena);
    s->url = "";
}

void watch_series_free(struct watch_series *s)
{
    for (size_t i = 0; i < s->sites.len; i++) vec_free(&s->sites.items[i].counts);
    vec_free(&s->sites);
    vec_free(&s->t);
    vec_free(&s->total);
    vec_free(&s->segment);
    vec_free(&s->errors);
    vec_free(&s->restarts);
    free(s->tab);
    arena_free(&s->arena);
    memset(s, 0, sizeof(*s));
}

static uint64_t site_hash(const char *func, const char *file, int line)
{
    uint64_t h = hash_bytes(func, strlen(func));
    h ^= hash_bytes(file, strlen(file)) * 31;
    return h ^ ((uint64_t)(unsigned)line * 0x9E3779B97F4A7C15ull);
}

size_t watch_series_find(const struct watch_series *s, const char *func, const char *file, int line)
{
    if (!s->tab_cap) return (size_t)-1;
    size_t mask = s->tab_cap - 1;
    for (size_t j = site_hash(func, file, line) & mask;; j = (j + 1) & mask) {
        uint32_t id = s->tab[j];
        if (id == UINT32_MAX) return (size_t)-1;
        const struct watch_series_site *x = &s->sites.items[id];
        if (x->line == line && !strcmp(x->func, func) && !strcmp(x->file, file)) return id;
    }
}

static void tab_insert(struct watch_series *s, uint32_t id)
{
    const struct watch_series_site *x = &s->sites.items[id];
    size_t mask = s->tab_cap - 1;
    size_t j = site_hash(x->func, x->file, x->line) & mask;
    while (s->tab[j] != UINT32_MAX) j = (j + 1) & mask;
    s->tab[j] = id;
}

static struct watch_frame *copy_frames(struct arena *a, const struct watch_frame *f, size_t n)
{
    struct watch_frame *r = arena_alloc(a, (n ? n : 1) * sizeof(*r));
    for (size_t i = 0; i < n; i++) {
        r[i].func = arena_strndup(a, f[i].func, strlen(f[i].func));
        r[i].file = arena_strndup(a, f[i].file, strlen(f[i].file));
        r[i].line = f[i].line;
    }
    return r;
}

static const char *intern(struct watch_series *s, const char *old, const char *v)
{
    if (!v) v = "";
    if (old && !strcmp(old, v)) return old;
    return arena_strndup(&s->arena, v, strlen(v));
}

void watch_series_add(struct watch_series *s, const struct watch_sample *x)
{
    if (!s->nsamples || x->t_ms < s->first_t) s->first_t = x->t_ms;
    if (!s->nsamples || x->t_ms > s->last_t) s->last_t = x->t_ms;
    s->nsamples++;
    if (x->error) {
        struct watch_event e = {x->t_ms, arena_strndup(&s->arena, x->error, strlen(x->error))};
        vec_push(&s->errors, e);
        return;
    }
    size_t k = s->t.len; /* this good sample's index */
    if (x->restart && k) vec_push(&s->restarts, x->t_ms);
    uint32_t seg = k ? s->segment.items[k - 1] + (x->restart ? 1 : 0) : 0;
    vec_push(&s->segment, seg);
    vec_push(&s->t, x->t_ms);
    vec_push(&s->total, (uint32_t)(x->total > UINT32_MAX ? UINT32_MAX : x->total));
    for (size_t i = 0; i < x->nsites; i++) {
        const struct watch_sample_site *w = &x->sites[i];
        size_t id = watch_series_find(s, w->func, w->file, w->line);
        if (id == (size_t)-1) {
            if ((s->sites.len + 1) * 2 > s->tab_cap) {
                size_t cap = s->tab_cap ? s->tab_cap * 2 : 64;
                free(s->tab);
                s->tab = xmalloc(cap * sizeof(uint32_t));
                memset(s->tab, 0xff, cap * sizeof(uint32_t));
                s->tab_cap = cap;
                for (size_t j = 0; j < s->sites.len; j++) tab_insert(s, (uint32_t)j);
            }
            struct watch_series_site n = {0};
            n.func = intern(s, NULL, w->func);
            n.file = intern(s, NULL, w->file);
            n.line = w->line;
            id = s->sites.len;
            vec_push(&s->sites, n);
            tab_insert(s, (uint32_t)id);
        }
        struct watch_series_site *ss = &s->sites.items[id];
        ss->state = intern(s, ss->state, w->state);
        ss->cls = intern(s, ss->cls, w->cls);
        if (!ss->nstack && w->nstack) {
            ss->stack = copy_frames(&s->arena, w->stack, w->nstack);
            ss->nstack = w->nstack;
        }
        if (!ss->creator.func && w->creator.func) ss->creator = *copy_frames(&s->arena, &w->creator, 1);
        while (ss->counts.len < k) vec_push(&ss->counts, 0u); /* absent before: 0 */
        uint32_t c = (uint32_t)(w->count > UINT32_MAX ? UINT32_MAX : w->count);
        if (ss->counts.len == k) vec_push(&ss->counts, c);
        else ss->counts.items[k] += c; /* the same site twice in one sample */
        if (ss->counts.items[k] > ss->max) ss->max = ss->counts.items[k];
    }
    for (size_t i = 0; i < s->sites.len; i++) /* absent now: 0 */
        while (s->sites.items[i].counts.len <= k) vec_push(&s->sites.items[i].counts, 0u);
}

/* ---- verdicts ---- */

static int cmp_growth(const void *pa, const void *pb)
{
    const struct watch_growth *a = pa, *b = pb;
    double ra = a->tr.last_q - a->tr.first_q, rb = b->tr.last_q - b->tr.first_q;
    if (ra != rb) return ra > rb ? -1 : 1;
    return a->site < b->site ? -1 : a->site > b->site;
}

void watch_series_judge(const struct watch_series *s, const struct trend_opts *o, struct watch_verdicts *out)
{
    memset(out, 0, sizeof(*out));
    struct trend_opts def;
    if (!o) {
        trend_opts_default(&def);
        o = &def;
    }
    size_t n = s->t.len;
    if (!n) return;
    double *x = xmalloc(n * sizeof(double)), *y = xmalloc(n * sizeof(double));
    size_t *latest = xmalloc((s->sites.len + 1) * sizeof(size_t)); /* site -> index in out, or -1 */
    for (size_t i = 0; i < s->sites.len; i++) latest[i] = (size_t)-1;
    for (size_t from = 0; from < n;) {
        size_t to = from + 1;
        while (to < n && s->segment.items[to] == s->segment.items[from]) to++;
        size_t m = to - from;
        if (m >= o->min_n) {
            for (size_t i = 0; i < m; i++) x[i] = (double)(s->t.items[from + i] - s->t.items[from]) / 1000.0;
            for (size_t si = 0; si < s->sites.len; si++) {
                const struct watch_series_site *ss = &s->sites.items[si];
                /* cannot rise by min_rise: skip the quadratic tests */
                if ((double)ss->max < o->min_rise) continue;
                for (size_t i = 0; i < m; i++) y[i] = ss->counts.items[from + i];
                struct trend_result tr;
                if (trend_judge(x, y, m, o, &tr) != TREND_GROWING) continue;
                struct watch_growth g = {si, from, to, tr};
                if (latest[si] != (size_t)-1) {
                    out->items[latest[si]] = g; /* a later segment wins */
                } else {
                    latest[si] = out->len;
                    vec_push(out, g);
                }
            }
        }
        from = to;
    }
    free(x);
    free(y);
    free(latest);
    if (out->len > 1) qsort(out->items, out->len, sizeof(*out->items), cmp_growth);
}

void watch_verdicts_free(struct watch_verdicts *v) { vec_free(v); }

/* ---- output ---- */

void watch_sparkline(struct buf *b, const uint32_t *v, size_t n, size_t width)
{
    static const char *const bars[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                        "\u2585", "\u2586", "\u2587", "\u2588"};
    if (!n || !width) return;
    size_t cols = n < width ? n : width;
    double maxv = 0;
    double *col = xmalloc(cols * sizeof(double));
    for (size_t c = 0; c < cols; c++) {
        size_t lo = c * n / cols, hi = (c + 1) * n / cols;
        double sum = 0;
        for (size_t i = lo; i < hi; i++) sum += v[i];
        col[c] = sum / (double)(hi - lo);
        if (col[c] > maxv) maxv = col[c];
    }
    for (size_t c = 0; c < cols; c++) {
        int k = maxv > 0 ? (int)(col[c] / maxv * 7.0 + 0.5) : 0;
        buf_puts(b, bars[k < 0 ? 0 : k > 7 ? 7 : k]);
    }
    free(col);
}

static void put_clean(FILE *out, const char *s)
{
    for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
        if ((*q < 0x20 && *q != '\t') || *q == 0x7f) fprintf(out, "\\x%02x", *q);
        else fputc(*q, out);
    }
}

static void put_site(FILE *out, const struct watch_series_site *ss)
{
    if (!ss->func[0] && !ss->file[0]) {
        fputs("(runtime only)", out);
        return;
    }
    put_clean(out, ss->func);
    fputs("  ", out);
    put_clean(out, ss->file);
    fprintf(out, ":%d", ss->line);
}

static void totals(const struct watch_series *s, uint32_t *mn, uint32_t *mx)
{
    *mn = *mx = 0;
    for (size_t i = 0; i < s->total.len; i++) {
        uint32_t v = s->total.items[i];
        if (!i || v < *mn) *mn = v;
        if (v > *mx) *mx = v;
    }
}

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"

void watch_summary_text(FILE *out, const struct watch_series *s, const struct watch_verdicts *v, bool color)
{
    size_t good = s->t.len, bad = s->errors.len;
    double secs = s->nsamples ? (double)(s->last_t - s->first_t) / 1000.0 : 0;
    fprintf(out, "%sgodark watch%s: ", color ? C_BOLD : "", color ? C_RESET : "");
    put_clean(out, s->url);
    fputc('\n', out);
    fprintf(out, "samples: %zu over %.1f s (every %lld ms): %zu good, %zu error%s, %zu restart%s\n", s->nsamples, secs,
            (long long)s->every_ms, good, bad, bad == 1 ? "" : "s", s->restarts.len, s->restarts.len == 1 ? "" : "s");
    if (!good) {
        fputs("no good sample: the endpoint never answered with a goroutine dump\n", out);
    } else {
        uint32_t mn, mx;
        totals(s, &mn, &mx);
        struct buf sp = {0};
        watch_sparkline(&sp, s->total.items, s->total.len, 40);
        fprintf(out, "goroutines: %u -> %u (min %u, max %u)  %s\n", s->total.items[0], s->total.items[good - 1], mn, mx,
                sp.data ? sp.data : "");
        buf_free(&sp);
    }
    if (v->len) fprintf(out, "%sgrowing block sites: %zu%s\n", color ? C_RED : "", v->len, color ? C_RESET : "");
    for (size_t i = 0; i < v->len; i++) {
        const struct watch_growth *g = &v->items[i];
        const struct watch_series_site *ss = &s->sites.items[g->site];
        struct buf sp = {0};
        watch_sparkline(&sp, ss->counts.items + g->from, g->to - g->from, 30);
        fprintf(out, "  %g -> %g (%+.2f/s)  ", g->tr.first, g->tr.last, g->tr.slope);
        put_clean(out, ss->state);
        fputs("  ", out);
        put_site(out, ss);
        fprintf(out, "  %s\n", sp.data ? sp.data : "");
        buf_free(&sp);
        fprintf(out, "      Mann-Kendall S=%g p=%.2g; quarter medians %g -> %g; %zu samples", g->tr.mk.s, g->tr.mk.p_up,
                g->tr.first_q, g->tr.last_q, g->to - g->from);
        if (s->restarts.len) fprintf(out, " since +%.1f s", (double)(s->t.items[g->from] - s->first_t) / 1000.0);
        fputc('\n', out);
        if (ss->creator.func) {
            fputs("      created by ", out);
            put_clean(out, ss->creator.func);
            fputs(" (", out);
            put_clean(out, ss->creator.file);
            fprintf(out, ":%d)\n", ss->creator.line);
        }
    }
    if (bad) {
        fprintf(out, "endpoint errors: %zu\n", bad);
        for (size_t i = 0; i < bad; i++) {
            if (bad > 6 && i == 3) {
                fprintf(out, "  ... %zu more\n", bad - 6);
                i = bad - 3;
            }
            fprintf(out, "  +%.1f s  ", (double)(s->errors.items[i].t_ms - s->first_t) / 1000.0);
            put_clean(out, s->errors.items[i].msg);
            fputc('\n', out);
        }
    }
    for (size_t i = 0; i < s->restarts.len; i++)
        fprintf(out, "restart detected at +%.1f s (goroutine ids went back or the total reset)\n",
                (double)(s->restarts.items[i] - s->first_t) / 1000.0);
    if (!v->len) fputs("nothing growing\n", out);
}

static void jframe(FILE *out, const struct watch_frame *f)
{
    struct buf b = {0};
    buf_puts(&b, "{\"func\":");
    json_put_str(&b, f->func);
    buf_puts(&b, ",\"file\":");
    json_put_str(&b, f->file);
    buf_printf(&b, ",\"line\":%d}", f->line);
    fputs(b.data, out);
    buf_free(&b);
}

static void jstr(FILE *out, const char *s)
{
    struct buf b = {0};
    json_put_str(&b, s);
    fputs(b.data, out);
    buf_free(&b);
}

/* JSON has no NaN or infinity */
static double finite(double d) { return d == d && d < 1e300 && d > -1e300 ? d : 0; }

void watch_summary_json(FILE *out, const struct watch_series *s, const struct watch_verdicts *v)
{
    fputs("{\"url\":", out);
    jstr(out, s->url);
    size_t good = s->t.len;
    fprintf(out, ",\"every_ms\":%lld,\"started\":%lld,\"samples\":%zu,\"good\":%zu,\"errors\":%zu,\"restarts\":%zu",
            (long long)s->every_ms, (long long)s->started_ms, s->nsamples, good, s->errors.len, s->restarts.len);
    fprintf(out, ",\"first_t\":%lld,\"last_t\":%lld", (long long)s->first_t, (long long)s->last_t);
    if (good) {
        uint32_t mn, mx;
        totals(s, &mn, &mx);
        fprintf(out, ",\"total\":{\"first\":%u,\"last\":%u,\"min\":%u,\"max\":%u}", s->total.items[0],
                s->total.items[good - 1], mn, mx);
    } else {
        fputs(",\"total\":null", out);
    }
    fputs(",\"growing\":[", out);
    for (size_t i = 0; i < v->len; i++) {
        const struct watch_growth *g = &v->items[i];
        const struct watch_series_site *ss = &s->sites.items[g->site];
        if (i) fputc(',', out);
        fputs("\n {\"func\":", out);
        jstr(out, ss->func);
        fputs(",\"file\":", out);
        jstr(out, ss->file);
        fprintf(out, ",\"line\":%d,\"state\":", ss->line);
        jstr(out, ss->state);
        fputs(",\"class\":", out);
        jstr(out, ss->cls);
        fprintf(out,
                ",\"first\":%g,\"last\":%g,\"first_quarter_median\":%g,\"last_quarter_median\":%g,\"slope_per_s\":%.6g,"
                "\"mann_kendall\":{\"s\":%g,\"var\":%.6g,\"z\":%.6g,\"p\":%.6g},\"samples\":%zu,\"from_t\":%lld,\"to_t\":%lld",
                finite(g->tr.first), finite(g->tr.last), finite(g->tr.first_q), finite(g->tr.last_q),
                finite(g->tr.slope), finite(g->tr.mk.s), finite(g->tr.mk.var), finite(g->tr.mk.z),
                finite(g->tr.mk.p_up), g->to - g->from, (long long)s->t.items[g->from],
                (long long)s->t.items[g->to - 1]);
        fputs(",\"creator\":", out);
        if (ss->creator.func) jframe(out, &ss->creator);
        else fputs("null", out);
        fputs(",\"stack\":[", out);
        for (size_t k = 0; k < ss->nstack; k++) {
            if (k) fputc(',', out);
            jframe(out, &ss->stack[k]);
        }
        fputs("]}", out);
    }
    fputs("],\"gaps\":[", out);
    for (size_t i = 0; i < s->errors.len; i++) {
        if (i) fputc(',', out);
        fprintf(out, "\n {\"t\":%lld,\"error\":", (long long)s->errors.items[i].t_ms);
        jstr(out, s->errors.items[i].msg);
        fputc('}', out);
    }
    fputs("],\"restart_times\":[", out);
    for (size_t i = 0; i < s->restarts.len; i++) fprintf(out, "%s%lld", i ? "," : "", (long long)s->restarts.items[i]);
    fputs("]}\n", out);
}
