/* profile/trend: is a series of counts growing? Mann-Kendall's trend test
 * (S, tie-corrected variance, normal approximation), the Theil-Sen slope and
 * quarter medians, used by `godark watch` and `godark report` on the count
 * of goroutines at each block site over time. Pure statistics: no I/O, no
 * allocation kept after a call. */
#ifndef GODARK_TREND_H
#define GODARK_TREND_H

#include <stdbool.h>
#include <stddef.h>

/* Mann-Kendall on y[0..n) in time order. s = sum of sign(y[j]-y[i]) over
 * i<j; var = (n(n-1)(2n+5) - sum over tie groups t(t-1)(2t+5)) / 18;
 * z = (s-1)/sqrt(var) for s>0, (s+1)/sqrt(var) for s<0, 0 otherwise
 * (continuity correction); p_up = P(Z >= z), the one-sided p-value of an
 * upward trend. n < 3 or var == 0 (all equal): s = 0, z = 0, p_up = 1. */
struct trend_mk {
    size_t n;
    double s, var, z, p_up;
};
void trend_mann_kendall(const double *y, size_t n, struct trend_mk *out);

/* Theil-Sen slope: the median of (y[j]-y[i])/(x[j]-x[i]) over i<j with
 * x[j] != x[i]. x must be non-decreasing. 0 when no pair qualifies. */
double trend_theil_sen(const double *x, const double *y, size_t n);

/* Median of v[0..n) (v is not modified); 0 for n == 0. */
double trend_median(const double *v, size_t n);

/* Standard normal upper tail P(Z >= z). */
double trend_normal_sf(double z);

enum trend_verdict {
    TREND_TOO_SHORT, /* fewer than min_n points */
    TREND_FLAT,      /* no significant rise, or one that did not last */
    TREND_GROWING,   /* significant rise that ends well above its start */
};
const char *trend_verdict_name(enum trend_verdict v);

struct trend_opts {
    size_t min_n;        /* points needed for a verdict (8) */
    double alpha;        /* one-sided Mann-Kendall p below this (0.01) */
    double min_rise;     /* last-quarter median >= first-quarter median + */
    double min_rise_rel; /*   max(min_rise, min_rise_rel * first-quarter median) (3, 0.5) */
    size_t max_points;   /* longer series are averaged down to this many buckets first (512) */
    bool full;           /* compute mk and slope even when the quarter medians already say FLAT
                          * (false: skipped, mk.n == 0; the test is O(n^2)) */
};
void trend_opts_default(struct trend_opts *o);

struct trend_result {
    enum trend_verdict verdict;
    struct trend_mk mk;
    double slope;              /* Theil-Sen, y units per x unit */
    double first_q, last_q;    /* medians of the first and last quarter */
    double first, last;        /* y[0], y[n-1] */
    size_t n;                  /* points judged (after averaging down) */
};
/* Judges y over x (x non-decreasing, e.g. seconds): GROWING when the
 * Mann-Kendall p_up < alpha, the Theil-Sen slope > 0 and the last-quarter
 * median ends at least max(min_rise, min_rise_rel * first-quarter median)
 * above the first quarter's. A load that rises and falls (sawtooth, waves)
 * has quarter medians close together and stays FLAT. o NULL = defaults. */
enum trend_verdict trend_judge(const double *x, const double *y, size_t n, const struct trend_opts *o,
                               struct trend_result *r);

#endif
