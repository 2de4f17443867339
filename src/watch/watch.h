/* watch: a live service's goroutine endpoint polled over time. Each sample is
 * reduced to counts per block site (profile_analyze's sites) and written as
 * one JSON line; the samples make per-site series that trend.c judges.
 *
 * Flow: fetch -> profile_parse_stream -> profile_analyze -> watch_sample
 * (watch_sample_from_profile) -> one JSONL line (watch_jsonl_sample) and
 * watch_series_add -> watch_series_judge -> summary (text or JSON), or the
 * live view. `godark report FILE.jsonl` reads the lines back into the same
 * series (watch_jsonl_read), so a summary never needs the network. Later
 * outputs (HTML, Prometheus) read struct watch_series and the verdicts. */
#ifndef GODARK_WATCH_H
#define GODARK_WATCH_H

#include <stdio.h>

#include "../base/base.h"
#include "../profile/profile.h"
#include "../profile/trend.h"

/* Version of the JSONL format, in the header line {"godark_watch":1,...}. */
#define WATCH_FORMAT_VERSION 1

struct watch_frame {
    const char *func, *file;
    int line;
};

/* One block site in one sample. Strings belong to whoever built the sample
 * (the profile, or the JSON line being read). */
struct watch_sample_site {
    const char *func, *file; /* "" and "" (line 0) for goroutines with no site frame */
    int line;
    const char *state;       /* the site's most common wait reason ("chan receive") */
    const char *cls;         /* worst class at the site: permanent, leak-candidate, normal, runtime */
    size_t count;
    /* Written only on the site's first appearance in a file: the stack of
     * its largest group (leaf first, at most WATCH_MAX_STACK frames) and the
     * `created by` frame (func NULL when none). nstack 0 otherwise. */
    const struct watch_frame *stack;
    size_t nstack;
    struct watch_frame creator;
};
#define WATCH_MAX_STACK 64

/* One sample: a poll of the endpoint at t_ms (Unix ms). error != NULL marks
 * a gap (nothing was counted); restart says the service restarted since the
 * previous good sample (its goroutine ids went back, or its total reset). */
struct watch_sample {
    int64_t t_ms;
    const char *error;  /* one line, or NULL */
    const char *format; /* "traceback", "debug=1", "proto"; NULL for a gap */
    size_t total;
    size_t other;       /* goroutines at sites beyond the --max-sites largest */
    bool restart;
    struct watch_sample_site *sites; /* largest first */
    size_t nsites;
    struct arena arena; /* memory of sites and stacks (watch_sample_free) */
};

/* The goroutine ids of a debug=2 traceback, sorted; for restart detection. */
struct watch_ids {
    int64_t *ids;
    size_t n;
};
/* Reads the ids of every `goroutine N [` line of f (from its start); f is
 * rewound afterwards. Returns false (ids->n == 0) for other formats. */
bool watch_ids_read(FILE *f, struct watch_ids *ids);
void watch_ids_free(struct watch_ids *ids);
/* A restart between two good samples: with ids, the goroutines not in prev
 * are mostly numbered below prev's highest id (a live process only hands
 * out higher ids, apart from up to 16 per P cached earlier) and either there
 * are at least 16 of them or the highest id halved; without ids, the total
 * fell below a quarter of prev's by at least 20. */
bool watch_restart_detect(const struct watch_ids *prev, size_t prev_total, const struct watch_ids *cur,
                          size_t cur_total);

struct watch_series;
/* Builds a sample from an analysed profile: every site (the max_sites
 * largest; the rest counted in `other`; 0 = no cap) with its count, state
 * and class; stacks for the sites `seen` does not hold yet (NULL: all).
 * Strings point into p: keep p until the sample is written. */
void watch_sample_from_profile(const struct profile *p, const struct watch_series *seen, size_t max_sites,
                               struct watch_sample *out);
/* A gap: an error sample at t_ms. msg is copied (first line only). */
void watch_sample_error(struct watch_sample *out, int64_t t_ms, const char *msg);
void watch_sample_free(struct watch_sample *s);

/* JSONL lines (with the trailing newline), appended to b. The header:
 * {"godark_watch":1,"version":"...","url":"...","every_ms":N,"started":MS}.
 * A sample: {"t":MS,"total":N|null,"format":"..."|null,"sites":[{"func":"...",
 * "file":"...","line":N,"state":"...","class":"...","count":N[,"creator":
 * {"func","file","line"}][,"stack":[{"func","file","line"},...]]},...],
 * "other":N,"error":null|"...","restart":false|true}. */
void watch_jsonl_header(struct buf *b, const char *url, int64_t every_ms, int64_t started_ms);
void watch_jsonl_sample(struct buf *b, const struct watch_sample *s);

/* ---- the series ---- */

struct watch_series_site {
    const char *func, *file; /* arena strings */
    int line;
    const char *state, *cls; /* as last seen */
    struct watch_frame *stack; /* first stack seen; arena */
    size_t nstack;
    struct watch_frame creator; /* func NULL when none */
    VEC(uint32_t) counts; /* one per good sample (0 where the site was absent) */
    uint32_t max;
};

struct watch_event {
    int64_t t_ms;
    const char *msg; /* arena */
};

/* Every sample of a run, by site. Good samples are indexed 0..ngood-1. */
struct watch_series {
    struct arena arena;
    const char *url;  /* from the header; arena */
    int64_t every_ms, started_ms;
    size_t nsamples;  /* good and error */
    int64_t first_t, last_t; /* of all samples; 0 when none */
    VEC(int64_t) t;           /* per good sample */
    VEC(uint32_t) total;      /* per good sample */
    VEC(uint32_t) segment;    /* per good sample: restarts before it */
    VEC(struct watch_event) errors;   /* every gap */
    VEC(int64_t) restarts;            /* time of each good sample marked restart */
    VEC(struct watch_series_site) sites;
    uint32_t *tab;  /* site hash table (private) */
    size_t tab_cap;
};
void watch_series_init(struct watch_series *s);
void watch_series_free(struct watch_series *s);
/* Adds a sample (copied). */
void watch_series_add(struct watch_series *s, const struct watch_sample *x);
/* The index of a site in s->sites, or (size_t)-1. */
size_t watch_series_find(const struct watch_series *s, const char *func, const char *file, int line);

/* A verdict on one site: judged on the good samples [from, to) of one
 * segment (the run between restarts). */
struct watch_growth {
    size_t site;      /* index in series.sites */
    size_t from, to;  /* good-sample range judged */
    struct trend_result tr; /* slope per second */
};
struct watch_verdicts {
    struct watch_growth *items; /* growing sites, largest rise first */
    size_t len, cap;
};
/* Judges every site in every segment with at least o->min_n good samples;
 * a site growing in several segments is reported for the latest. o NULL =
 * trend defaults. */
void watch_series_judge(const struct watch_series *s, const struct trend_opts *o, struct watch_verdicts *out);
void watch_verdicts_free(struct watch_verdicts *v);

/* The end summary, as `watch` prints it when it stops and `report` prints it
 * from a file. */
void watch_summary_text(FILE *out, const struct watch_series *s, const struct watch_verdicts *v, bool color);
void watch_summary_json(FILE *out, const struct watch_series *s, const struct watch_verdicts *v);

/* Unicode sparkline (▁..█) of v[0..n) averaged down to at most width
 * columns, scaled from 0 to the maximum. */
void watch_sparkline(struct buf *b, const uint32_t *v, size_t n, size_t width);

/* Reads a JSONL file written by watch into s (initialised by the caller).
 * A last line cut short (a killed writer) is ignored and counted in
 * *partial; any other malformed line is an error "FILE:LINE: why". */
bool watch_jsonl_read(const char *path, struct watch_series *s, size_t *partial, struct profile_diag *d);

/* "500ms", "10s", "1.5s", "1m", "2h", or a bare number of seconds, into
 * milliseconds (> 0). */
bool watch_parse_duration(const char *s, int64_t *ms);

/* ---- HTML report (html.c) ---- */

/* Writes one self-contained HTML page (inline CSS and SVG, no script, no
 * external reference; a CSP forbids fetching anything): the total over time,
 * a chart per growing site with restarts and gaps marked, its trend numbers,
 * stack and source lines (read from the dump's .go paths when they exist
 * here). Every string from the dump is escaped. Written to a temporary file
 * beside path and renamed. False with d set ("PATH: why"). */
bool watch_html_write(const char *path, const struct watch_series *s, const struct watch_verdicts *v,
                      struct profile_diag *d);

/* ---- Prometheus /metrics (metrics.c, libmicrohttpd) ---- */

struct watch_metrics;
/* The page: godark_goroutines, godark_watch_{samples,errors,restarts}_total,
 * godark_watch_last_sample_timestamp_seconds, godark_watch_endpoint_up,
 * godark_watch_growing_sites and the per-site families of
 * report/openmetrics.h (the top sites with growing flag and Theil-Sen slope
 * since the last restart, the rest as site="other"). */
void watch_metrics_render(struct buf *b, const struct watch_series *s, const struct watch_verdicts *v, size_t top,
                          bool openmetrics);
/* "HOST:PORT", "[V6]:PORT" or ":PORT" (every interface); port 0 = any free. */
bool watch_listen_parse(const char *spec, char *host, size_t hostlen, int *port, const char **why);
/* Serves /metrics on its own thread (SIGINT and SIGTERM blocked there);
 * NULL with err set when it cannot. Free with watch_metrics_stop. */
struct watch_metrics *watch_metrics_start(const char *listen, size_t top, char *err, size_t errlen);
int watch_metrics_port(const struct watch_metrics *m); /* the bound port */
/* Renders the page for s and v and swaps it in under the server's mutex. */
void watch_metrics_update(struct watch_metrics *m, const struct watch_series *s, const struct watch_verdicts *v);
/* Stops the server (waits for its thread) and frees m; NULL is fine. */
void watch_metrics_stop(struct watch_metrics *m);

/* ---- the flags of both outputs (outputs.c), for watch and report ---- */

struct watch_outputs {
    const char *html;   /* --html FILE */
    const char *listen; /* --listen HOST:PORT (watch only) */
    size_t metrics_top; /* --metrics-top N; 0 = 20 */
    struct watch_metrics *server;
};
enum { WATCH_O_HTML = 1200, WATCH_O_LISTEN, WATCH_O_METRICS_TOP }; /* above the config ids (1100...) */
/* The three flags as entries of an argument table (base/args.h). */
#define WATCH_OUTPUTS_ARGS                                                                                            \
    {WATCH_O_HTML, "html", 0, ARG_STR, "FILE", "a self-contained HTML report: charts, stacks, trend numbers", 0, 0,   \
     NULL},                                                                                                            \
        {WATCH_O_LISTEN, "listen", 0, ARG_STR, "HOST:PORT",                                                           \
         "serve Prometheus /metrics there while watching (port 0: any free port)", 0, 0, NULL},                       \
        {WATCH_O_METRICS_TOP, "metrics-top", 0, ARG_STR, "N",                                                         \
         "block sites named in /metrics, the rest summed as site=\"other\" (20)", 0, 0, NULL}
/* Takes one of the flags; false after a one-line error (cmd: "watch"). */
bool watch_outputs_flag(struct watch_outputs *o, int opt, const char *v, const char *cmd);
/* Starts the /metrics server when --listen was given and says where on
 * stderr; false after a one-line error. */
bool watch_outputs_start(struct watch_outputs *o, const char *cmd);
/* After each sample: the server's new page. */
void watch_outputs_sample(struct watch_outputs *o, const struct watch_series *s, const struct watch_verdicts *v);
/* At the end: stops the server, writes --html; false after a one-line error. */
bool watch_outputs_finish(struct watch_outputs *o, const struct watch_series *s, const struct watch_verdicts *v,
                          const char *cmd);

/* Commands, called from main.c with argv[0] the sub-command name. Return
 * the exit code: 0 nothing growing, 1 a growing site, 2 usage or input,
 * 3 internal error. */
int watch_cmd_watch(int argc, char **argv);
int watch_cmd_report(int argc, char **argv);

#endif
