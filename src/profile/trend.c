/* profile/trend: Mann-Kendall, Theil-Sen and quarter medians: the growth test
 * of `godark watch`. A leak only goes up; load goes up and down again. */
#include "trend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/base.h"

const char *trend_verdict_name(enum trend_verdict v)
{
    switch (v) {
    case TREND_TOO_SHORT: return "too-short";
    case TREND_FLAT: return "flat";
    case TREND_GROWING: return "growing";
    }
    return "flat";
}

void trend_opts_default(struct trend_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->min_n = 8;
    o->alpha = 0.01;
    o->min_rise = 3;
    o->min_rise_rel = 0.5;
    o->max_points = 512;
}

double trend_normal_sf(double z) { return 0.5 * erfc(z / sqrt(2.0)); }

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of v[0..n), reordering v (sorted: at most 130,816 slopes of 512
 * points, and only for series that already rose). */
static double median_inplace(double *v, size_t n)
{
    if (!n) return 0;
    qsort(v, n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double trend_median(const double *v, size_t n)
{
    if (!n) return 0;
    double *c = xmalloc(n * sizeof(double));
    memcpy(c, v, n * sizeof(double));
    double m = median_inplace(c, n);
    free(c);
    return m;
}

void trend_mann_kendall(const double *y, size_t n, struct trend_mk *out)
{
    memset(out, 0, sizeof(*out));
    out->n = n;
    out->p_up = 1;
    if (n < 3) return;
    double s = 0;
    for (size_t i = 0; i + 1 < n; i++)
        for (size_t j = i + 1; j < n; j++) s += (y[j] > y[i]) - (y[j] < y[i]);
    /* tie correction: groups of equal values */
    double *c = xmalloc(n * sizeof(double));
    memcpy(c, y, n * sizeof(double));
    qsort(c, n, sizeof(double), cmp_double);
    double dn = (double)n, ties = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && c[j] == c[i]) j++;
        double t = (double)(j - i);
        if (t > 1) ties += t * (t - 1) * (2 * t + 5);
        i = j;
    }
    free(c);
    double var = (dn * (dn - 1) * (2 * dn + 5) - ties) / 18.0;
    out->s = s;
    out->var = var;
    if (var <= 0) return;
    double z = s > 0 ? (s - 1) / sqrt(var) : s < 0 ? (s + 1) / sqrt(var) : 0;
    out->z = z;
    out->p_up = trend_normal_sf(z);
}

double trend_theil_sen(const double *x, const double *y, size_t n)
{
    if (n < 2) return 0;
    size_t m = 0;
    double *sl = xmalloc((n * (n - 1) / 2 + 1) * sizeof(double));
    for (size_t i = 0; i + 1 < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (x[j] != x[i]) sl[m++] = (y[j] - y[i]) / (x[j] - x[i]);
    double r = m ? median_inplace(sl, m) : 0;
    free(sl);
    return r;
}

enum trend_verdict trend_judge(const double *x, const double *y, size_t n, const struct trend_opts *o,
                               struct trend_result *r)
{
    struct trend_opts def;
    if (!o) {
        trend_opts_default(&def);
        o = &def;
    }
    memset(r, 0, sizeof(*r));
    r->n = n;
    r->mk.p_up = 1;
    if (n) r->first = y[0], r->last = y[n - 1];
    size_t min_n = o->min_n < 3 ? 3 : o->min_n;
    if (n < min_n) return r->verdict = TREND_TOO_SHORT;
    /* a long series is averaged down to max_points buckets: the tests are
     * quadratic, and a day at 10 s is 8,640 points */
    double *bx = NULL, *by = NULL;
    size_t maxp = o->max_points >= min_n ? o->max_points : 512;
    if (n > maxp) {
        bx = xmalloc(maxp * sizeof(double));
        by = xmalloc(maxp * sizeof(double));
        for (size_t b = 0; b < maxp; b++) {
            size_t lo = b * n / maxp, hi = (b + 1) * n / maxp;
            double sx = 0, sy = 0;
            for (size_t i = lo; i < hi; i++) sx += x[i], sy += y[i];
            bx[b] = sx / (double)(hi - lo);
            by[b] = sy / (double)(hi - lo);
        }
        x = bx, y = by, n = maxp;
        r->n = n;
    }
    size_t q = n / 4 ? n / 4 : 1;
    r->first_q = trend_median(y, q);
    r->last_q = trend_median(y + n - q, q);
    double need = o->min_rise_rel * r->first_q;
    if (need < o->min_rise) need = o->min_rise;
    bool rise = r->last_q >= r->first_q + need;
    r->verdict = TREND_FLAT;
    if (rise || o->full) {
        trend_mann_kendall(y, n, &r->mk);
        r->slope = trend_theil_sen(x, y, n);
        if (rise && r->mk.p_up < o->alpha && r->slope > 0) r->verdict = TREND_GROWING;
    }
    free(bx);
    free(by);
    return r->verdict;
}
