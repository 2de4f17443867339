/* tests/unit/test_trend: the growth statistics of `godark watch` (Mann-Kendall,
 * Theil-Sen, quarter medians) on constructed series, and the watch module's
 * pieces that need no network: durations, the JSON reader, restart
 * detection, the series and a JSONL round trip. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../src/profile/trend.h"
#include "../../src/watch/watch_p.h"
#include "unit.h"

#define N 40

static void xs(double *x, size_t n)
{
    for (size_t i = 0; i < n; i++) x[i] = (double)i * 0.5; /* every 500 ms */
}

static void expect_verdict(struct tally *t, const char *name, const double *y, size_t n, enum trend_verdict want)
{
    double x[512];
    xs(x, n);
    struct trend_result r;
    enum trend_verdict got = trend_judge(x, y, n, NULL, &r);
    if (got == want) unit_pass(t, name);
    else
        unit_fail(t, name, "verdict %s, want %s (p=%g slope=%g quarters %g -> %g)", trend_verdict_name(got),
                  trend_verdict_name(want), r.mk.p_up, r.slope, r.first_q, r.last_q);
}

static void test_stats(struct tally *t)
{
    /* Mann-Kendall by hand: 1 2 3 4 5: S = 10, var = 5*4*15/18 = 16.67 */
    double a[5] = {1, 2, 3, 4, 5};
    struct trend_mk mk;
    trend_mann_kendall(a, 5, &mk);
    if (mk.s == 10 && fabs(mk.var - 50.0 / 3) < 1e-9 && fabs(mk.z - 9 / sqrt(50.0 / 3)) < 1e-9 && mk.p_up < 0.02)
        unit_pass(t, "trend/mann-kendall S and variance");
    else unit_fail(t, "trend/mann-kendall S and variance", "S=%g var=%g z=%g p=%g", mk.s, mk.var, mk.z, mk.p_up);
    /* ties: 1 1 2 2 2: S = 6 (every 1 before every 2), var = (5*4*15 - 2*1*9 - 3*2*11)/18 = 12 */
    double b[5] = {1, 1, 2, 2, 2};
    trend_mann_kendall(b, 5, &mk);
    if (mk.s == 6 && fabs(mk.var - 12) < 1e-9) unit_pass(t, "trend/mann-kendall tie correction");
    else unit_fail(t, "trend/mann-kendall tie correction", "S=%g var=%g", mk.s, mk.var);
    double c[6] = {3, 3, 3, 3, 3, 3};
    trend_mann_kendall(c, 6, &mk);
    if (mk.s == 0 && mk.var == 0 && mk.p_up == 1) unit_pass(t, "trend/mann-kendall all equal");
    else unit_fail(t, "trend/mann-kendall all equal", "S=%g var=%g p=%g", mk.s, mk.var, mk.p_up);
    /* Theil-Sen ignores one outlier: y = 2x with y[3] = 100 */
    double x[7] = {0, 1, 2, 3, 4, 5, 6}, y[7] = {0, 2, 4, 100, 8, 10, 12};
    double s = trend_theil_sen(x, y, 7);
    if (fabs(s - 2) < 1e-9) unit_pass(t, "trend/theil-sen robust slope");
    else unit_fail(t, "trend/theil-sen robust slope", "slope %g, want 2", s);
    double m[4] = {4, 1, 3, 2};
    if (trend_median(m, 4) == 2.5 && trend_median(m, 3) == 3 && m[0] == 4) unit_pass(t, "trend/median");
    else unit_fail(t, "trend/median", "%g %g", trend_median(m, 4), trend_median(m, 3));
    if (fabs(trend_normal_sf(0) - 0.5) < 1e-12 && fabs(trend_normal_sf(2.326348) - 0.01) < 1e-6)
        unit_pass(t, "trend/normal tail");
    else unit_fail(t, "trend/normal tail", "%g %g", trend_normal_sf(0), trend_normal_sf(2.326348));
}

static void test_verdicts(struct tally *t)
{
    double y[512];
    for (int i = 0; i < N; i++) y[i] = 10 + i;
    expect_verdict(t, "trend/monotone rise is growing", y, N, TREND_GROWING);
    /* noisy rise: +0.5 per point under +-4 of deterministic noise */
    unsigned seed = 12345;
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        y[i] = 20 + 0.5 * i + (double)((seed >> 16) % 9) - 4;
    }
    expect_verdict(t, "trend/noisy rise is growing", y, N, TREND_GROWING);
    /* sawtooth: load that rises and falls, four teeth */
    for (int i = 0; i < N; i++) y[i] = 5 + (i % 10) * 3;
    expect_verdict(t, "trend/sawtooth stays quiet", y, N, TREND_FLAT);
    /* one slow wave up and down */
    for (int i = 0; i < N; i++) y[i] = 20 + 15 * sin(3.14159265 * i / (N - 1));
    expect_verdict(t, "trend/wave up and down stays quiet", y, N, TREND_FLAT);
    for (int i = 0; i < N; i++) y[i] = 7;
    expect_verdict(t, "trend/flat stays quiet", y, N, TREND_FLAT);
    /* pure noise around a level */
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        y[i] = 30 + (double)((seed >> 16) % 11) - 5;
    }
    expect_verdict(t, "trend/noise stays quiet", y, N, TREND_FLAT);
    /* a tiny rise (1 -> 2): significant but not `well above its start` */
    for (int i = 0; i < N; i++) y[i] = i < N / 2 ? 1 : 2;
    expect_verdict(t, "trend/step of one stays quiet", y, N, TREND_FLAT);
    for (int i = 0; i < 5; i++) y[i] = i * 10;
    expect_verdict(t, "trend/too short", y, 5, TREND_TOO_SHORT);
    /* a level shift that happened early and stayed: rises, then flat */
    for (int i = 0; i < N; i++) y[i] = i < 4 ? 2 + 8 * i : 34;
    expect_verdict(t, "trend/one early jump then flat stays quiet", y, N, TREND_FLAT);
    /* long series are averaged down: 20,000 points of a slow leak */
    double *lx = malloc(20000 * sizeof(double)), *ly = malloc(20000 * sizeof(double));
    for (int i = 0; i < 20000; i++) lx[i] = i, ly[i] = 100 + i / 100 + (i % 7);
    struct trend_result r;
    if (trend_judge(lx, ly, 20000, NULL, &r) == TREND_GROWING && r.n == 512)
        unit_pass(t, "trend/long series averaged down, still growing");
    else unit_fail(t, "trend/long series averaged down, still growing", "%s n=%zu", trend_verdict_name(r.verdict), r.n);
    free(lx);
    free(ly);
}

static void test_duration(struct tally *t)
{
    struct { const char *s; int64_t ms; } ok[] = {{"500ms", 500}, {"10s", 10000}, {"1m", 60000}, {"1.5s", 1500},
                                                  {"2", 2000}, {"1h", 3600000}};
    const char *bad[] = {"", "0", "-1s", "10x", "s", "0.1ms", " 1s", "1 s", "nan", "inf"};
    bool all = true;
    for (size_t i = 0; i < GD_ARRAY_LEN(ok); i++) {
        int64_t ms = 0;
        if (!watch_parse_duration(ok[i].s, &ms) || ms != ok[i].ms) {
            unit_fail(t, "watch/durations", "%s -> %lld", ok[i].s, (long long)ms);
            all = false;
        }
    }
    for (size_t i = 0; i < GD_ARRAY_LEN(bad); i++) {
        int64_t ms = 0;
        if (watch_parse_duration(bad[i], &ms)) {
            unit_fail(t, "watch/durations", "%s accepted (%lld)", bad[i], (long long)ms);
            all = false;
        }
    }
    if (all) unit_pass(t, "watch/durations");
}

static void test_json(struct tally *t)
{
    struct arena a;
    arena_init(&a);
    char err[128];
    const char *good = " {\"a\":[1,-2.5e3,true,false,null],\"s\":\"x\\\"\\u00e9\\ud83d\\ude00\\n\",\"o\":{}} ";
    struct json *v = json_parse(&a, good, strlen(good), err, sizeof(err));
    const struct json *arr = json_get(v, "a"), *s = json_get(v, "s");
    if (v && arr && arr->len == 5 && arr->items[1].num == -2500 && arr->items[2].b && arr->items[4].type == JSON_NULL &&
        s && !strcmp(s->str, "x\"\xc3\xa9\xf0\x9f\x98\x80\n") && json_get(v, "o")->len == 0)
        unit_pass(t, "watch/json reads values");
    else unit_fail(t, "watch/json reads values", "%s", v ? "wrong values" : err);
    const char *bad[] = {"", "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "\"abc", "tru", "1 2", "{\"a\":\"\x01\"}",
                         "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
                         "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"};
    bool all = true;
    for (size_t i = 0; i < GD_ARRAY_LEN(bad); i++)
        if (json_parse(&a, bad[i], strlen(bad[i]), err, sizeof(err))) {
            unit_fail(t, "watch/json rejects bad input", "accepted %s", bad[i]);
            all = false;
        }
    if (all) unit_pass(t, "watch/json rejects bad input");
    struct buf b = {0};
    json_put_str(&b, "a\"\\\n\x01\xff\xc3\xa9");
    if (b.data && !strcmp(b.data, "\"a\\\"\\\\\\n\\u0001\\ufffd\xc3\xa9\"")) unit_pass(t, "watch/json string output");
    else unit_fail(t, "watch/json string output", "%s", b.data ? b.data : "");
    buf_free(&b);
    arena_free(&a);
}

static void ids_of(struct watch_ids *w, int64_t *v, size_t n)
{
    w->ids = v;
    w->n = n;
}

static void test_restart(struct tally *t)
{
    int64_t prev[40], same[41], fresh[25], few[6], live[44];
    size_t np = 0;
    /* the old process: main, 4 pool workers, 35 leaked goroutines up to id 900 */
    prev[np++] = 1;
    for (int i = 0; i < 4; i++) prev[np++] = 20 + i;
    for (int i = 0; i < 35; i++) prev[np++] = 200 + i * 20;
    struct watch_ids a, b;
    ids_of(&a, prev, np);
    /* the same process a moment later: one more, numbered higher */
    memcpy(same, prev, sizeof(prev));
    same[40] = 950;
    ids_of(&b, same, 41);
    bool r1 = watch_restart_detect(&a, 40, &b, 41);
    /* a new process: the same low ids for main and the pool, 20 new goroutines numbered 30.. */
    size_t nf = 0;
    fresh[nf++] = 1;
    for (int i = 0; i < 4; i++) fresh[nf++] = 20 + i;
    for (int i = 0; i < 20; i++) fresh[nf++] = 30 + i;
    ids_of(&b, fresh, nf);
    bool r2 = watch_restart_detect(&a, 40, &b, nf);
    /* a new process that has started only a few goroutines: the maximum fell from 880 to 35 */
    int64_t f2[] = {1, 20, 21, 22, 23, 35};
    memcpy(few, f2, sizeof(f2));
    ids_of(&b, few, 6);
    bool r3 = watch_restart_detect(&a, 40, &b, 6);
    /* a live process whose newest goroutines ended and a few from a P's cached ids appeared */
    size_t nl = 0;
    for (size_t i = 0; i < 30; i++) live[nl++] = prev[i];
    for (int i = 0; i < 3; i++) live[nl++] = 150 + i;
    for (int i = 0; i < 11; i++) live[nl++] = 1000 + i;
    ids_of(&b, live, nl);
    bool r4 = watch_restart_detect(&a, 40, &b, nl);
    /* no ids (proto): a total that collapses; a total that only halves */
    bool r5 = watch_restart_detect(NULL, 400, NULL, 30), r6 = watch_restart_detect(NULL, 400, NULL, 200);
    if (!r1 && r2 && r3 && !r4 && r5 && !r6) unit_pass(t, "watch/restart detection");
    else unit_fail(t, "watch/restart detection", "same=%d new=%d few=%d live=%d collapse=%d halve=%d", r1, r2, r3, r4, r5, r6);
}

static void add(struct watch_series *s, int64_t t, const char *err, bool restart, size_t leak, size_t pool)
{
    struct watch_sample x;
    memset(&x, 0, sizeof(x));
    struct watch_sample_site sites[2] = {
        {"main.leak", "/x/main.go", 10, "chan receive", "leak-candidate", leak, NULL, 0, {NULL, NULL, 0}},
        {"main.worker", "/x/main.go", 20, "chan receive", "leak-candidate", pool, NULL, 0, {NULL, NULL, 0}}};
    x.t_ms = t;
    x.error = err;
    x.restart = restart;
    x.total = leak + pool;
    x.format = "traceback";
    x.sites = sites;
    x.nsites = leak ? 2 : 1;
    if (!leak) x.sites = sites + 1;
    watch_series_add(s, &x);
}

static void test_series(struct tally *t)
{
    struct watch_series s;
    watch_series_init(&s);
    s.url = "http://x/";
    int64_t t0 = 1700000000000;
    for (int i = 0; i < 20; i++) add(&s, t0 + i * 500, NULL, false, (size_t)i * 2, 4);
    add(&s, t0 + 20 * 500, "fetch failed: HTTP status 500", false, 0, 0);
    for (int i = 0; i < 20; i++) add(&s, t0 + (21 + i) * 500, NULL, i == 0, i % 2 ? 0 : 3, 4);
    struct watch_verdicts v;
    watch_series_judge(&s, NULL, &v);
    size_t leak = watch_series_find(&s, "main.leak", "/x/main.go", 10);
    if (s.nsamples == 41 && s.t.len == 40 && s.errors.len == 1 && s.restarts.len == 1 && leak != (size_t)-1 &&
        s.sites.items[leak].counts.len == 40 && s.sites.items[leak].counts.items[21] == 0 && v.len == 1 &&
        v.items[0].site == leak && v.items[0].from == 0 && v.items[0].to == 20)
        unit_pass(t, "watch/series: gaps, restarts, absent sites, growth judged before the restart");
    else
        unit_fail(t, "watch/series: gaps, restarts, absent sites, growth judged before the restart",
                  "samples %zu good %zu errors %zu restarts %zu growing %zu", s.nsamples, s.t.len, s.errors.len,
                  s.restarts.len, v.len);
    /* JSONL round trip, with a last line cut short */
    char path[] = "/tmp/godark-unit-XXXXXX";
    int fd = mkstemp(path);
    struct buf b = {0};
    watch_jsonl_header(&b, "http://x/", 500, t0);
    for (int i = 0; i < 12; i++) {
        struct watch_sample x;
        memset(&x, 0, sizeof(x));
        struct watch_frame st[1] = {{"main.leak", "/x/main.go", 10}};
        struct watch_sample_site site = {"main.leak", "/x/ma\"in.go", 10, "chan receive", "leak-candidate",
                                         (size_t)i * 3, st, 1, {"main.main", "/x/main.go", 5}};
        x.t_ms = t0 + i * 500;
        x.total = (size_t)i * 3 + 1;
        x.format = "traceback";
        x.sites = &site;
        x.nsites = 1;
        if (i == 6) x.error = "fetch failed: Operation timed out", x.nsites = 0;
        watch_jsonl_sample(&b, &x);
    }
    buf_puts(&b, "{\"t\":1700000009000,\"total\":3,\"si");
    bool wrote = fd >= 0 && write(fd, b.data, b.len) == (ssize_t)b.len;
    if (fd >= 0) close(fd);
    struct watch_series r;
    watch_series_init(&r);
    struct profile_diag d = {{0}};
    size_t partial = 0;
    bool ok = wrote && watch_jsonl_read(path, &r, &partial, &d);
    struct watch_verdicts rv;
    watch_series_judge(&r, NULL, &rv);
    size_t site = watch_series_find(&r, "main.leak", "/x/ma\"in.go", 10);
    if (ok && partial == 1 && r.nsamples == 12 && r.t.len == 11 && r.errors.len == 1 && r.every_ms == 500 &&
        !strcmp(r.url, "http://x/") && site != (size_t)-1 && r.sites.items[site].nstack == 1 &&
        r.sites.items[site].creator.func && !strcmp(r.sites.items[site].creator.func, "main.main") && rv.len == 1)
        unit_pass(t, "watch/jsonl round trip, partial last line ignored");
    else
        unit_fail(t, "watch/jsonl round trip, partial last line ignored", "ok=%d %s partial=%zu samples=%zu good=%zu",
                  ok, d.msg, partial, r.nsamples, r.t.len);
    /* a broken line in the middle is an error naming the line */
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("{\"godark_watch\":1,\"url\":\"u\",\"every_ms\":1,\"started\":0}\n{\"t\":1,\"total\":2}\nnot json\n{\"t\":2}\n", f);
        fclose(f);
    }
    struct watch_series e;
    watch_series_init(&e);
    if (!watch_jsonl_read(path, &e, &partial, &d) && strstr(d.msg, ":2: not a watch sample"))
        unit_pass(t, "watch/jsonl bad line is an error with its number");
    else unit_fail(t, "watch/jsonl bad line is an error with its number", "%s", d.msg);
    unlink(path);
    buf_free(&b);
    watch_verdicts_free(&v);
    watch_verdicts_free(&rv);
    watch_series_free(&s);
    watch_series_free(&r);
    watch_series_free(&e);
}

static void test_sparkline(struct tally *t)
{
    uint32_t v[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    struct buf b = {0};
    watch_sparkline(&b, v, 8, 8);
    if (b.data && !strcmp(b.data, "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588")) unit_pass(t, "watch/sparkline");
    else unit_fail(t, "watch/sparkline", "%s", b.data ? b.data : "(empty)");
    buf_free(&b);
}

void test_trend_all(struct tally *t);
void test_trend_all(struct tally *t)
{
    test_stats(t);
    test_verdicts(t);
    test_duration(t);
    test_json(t);
    test_restart(t);
    test_series(t);
    test_sparkline(t);
}
