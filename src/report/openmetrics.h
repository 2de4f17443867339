/* report/openmetrics: goroutines per block site as Prometheus metrics, in the
 * text exposition format 0.0.4 or OpenMetrics 1.0 text, for `watch --listen`
 * (/metrics) and `goroutines --format openmetrics` (a .prom file for the
 * node exporter's textfile collector).
 *
 * Label cardinality is bounded: of all sites, the flagged ones (growing or
 * suspect) and then the largest are written, at most `top`; the rest are
 * summed in one series with site="other". Label values are escaped per the
 * format (\\ \" \n) and ill-formed UTF-8 becomes U+FFFD. */
#ifndef GODARK_OPENMETRICS_H
#define GODARK_OPENMETRICS_H

#include "../base/base.h"

/* One block site. Strings are the caller's. */
struct om_site {
    const char *func, *file; /* "" and "" for a site with no frame */
    int line;
    const char *state;       /* wait reason, "" if none */
    uint64_t goroutines;
    int growing;             /* 1 or 0; -1: not judged (a single dump) */
    int suspect;             /* 1 or 0; -1: not judged (a series) */
    double slope;            /* Theil-Sen, goroutines per second */
    bool has_slope;
    size_t ref;              /* the caller's */
};

struct om_writer {
    struct buf *b;
    bool openmetrics; /* OpenMetrics 1.0 (counters' families without _total, # EOF) */
};

/* Content types of the two formats. */
#define OM_CONTENT_TYPE_TEXT "text/plain; version=0.0.4; charset=utf-8"
#define OM_CONTENT_TYPE_OPENMETRICS "application/openmetrics-text; version=1.0.0; charset=utf-8"

/* Appends s escaped as a label value (without the quotes). */
void om_escape_label(struct buf *b, const char *s);
/* A metric without labels: HELP and TYPE lines and one sample. For a
 * counter, name is the family (the sample is name_total). */
void om_gauge(struct om_writer *w, const char *name, const char *help, double v);
void om_counter(struct om_writer *w, const char *name, const char *help, double v);
/* Orders sites as om_sites writes them: flagged (growing or suspect) first,
 * then by count, largest first; the first `top` are written by name. */
void om_sites_order(struct om_site *sites, size_t n);
/* The per-site families godark_site_goroutines, godark_site_growing (when
 * judged), godark_site_suspect (when judged), godark_site_slope_per_second
 * (sites with a slope) and godark_sites (how many there are). Reorders
 * sites[0..n). top >= 1. */
void om_sites(struct om_writer *w, struct om_site *sites, size_t n, size_t top);
/* "# EOF" for OpenMetrics; nothing for the text format. */
void om_end(struct om_writer *w);

#endif
