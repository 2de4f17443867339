/* watch/metrics: `godark watch --listen HOST:PORT`: /metrics for Prometheus,
 * served by libmicrohttpd on its own thread. The polling loop renders each
 * sample's page (both formats) and swaps it in under a mutex; the server
 * only copies the current page out, so every scrape sees one whole sample.
 * libmicrohttpd is loaded with dlopen when --listen is used, like libcurl
 * (profile/fetch.c): linked, it and gnutls's nine libraries cost every
 * start of godark, `check` included, more than a millisecond of CPU. */
#include "watch_p.h"

#include <dlfcn.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "../report/openmetrics.h"

struct watch_metrics {
    struct MHD_Daemon *daemon;
    pthread_mutex_t mu;
    char *page[2]; /* [0] text format 0.0.4, [1] OpenMetrics; malloc'd */
    size_t len[2];
    size_t top;
    int port;
    char log[256]; /* libmicrohttpd's last message while starting */
    bool started;
};

static struct {
    struct MHD_Daemon *(*start_daemon)(unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *,
                                       MHD_AccessHandlerCallback, void *, ...);
    void (*stop_daemon)(struct MHD_Daemon *);
    const union MHD_DaemonInfo *(*get_daemon_info)(struct MHD_Daemon *, enum MHD_DaemonInfoType, ...);
    struct MHD_Response *(*create_response_from_buffer)(size_t, void *, enum MHD_ResponseMemoryMode);
    enum MHD_Result (*add_response_header)(struct MHD_Response *, const char *, const char *);
    enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
    void (*destroy_response)(struct MHD_Response *);
    const char *(*lookup_connection_value)(struct MHD_Connection *, enum MHD_ValueKind, const char *);
    char error[256]; /* why it could not be loaded; "" when it was */
} mhd;

static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;
static void mhd_init_once(void)
{
    void *h = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);
    if (!h) h = dlopen("libmicrohttpd.so", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(mhd.error, sizeof(mhd.error), "--listen needs libmicrohttpd (libmicrohttpd.so.12): %s",
                 e ? e : "not found");
        return;
    }
    /* POSIX: a function pointer from dlsym is obtained through a data pointer */
#define SYM(field, name) *(void **)&mhd.field = dlsym(h, name)
    SYM(start_daemon, "MHD_start_daemon");
    SYM(stop_daemon, "MHD_stop_daemon");
    SYM(get_daemon_info, "MHD_get_daemon_info");
    SYM(create_response_from_buffer, "MHD_create_response_from_buffer");
    SYM(add_response_header, "MHD_add_response_header");
    SYM(queue_response, "MHD_queue_response");
    SYM(destroy_response, "MHD_destroy_response");
    SYM(lookup_connection_value, "MHD_lookup_connection_value");
#undef SYM
    if (!mhd.start_daemon || !mhd.stop_daemon || !mhd.get_daemon_info || !mhd.create_response_from_buffer ||
        !mhd.add_response_header || !mhd.queue_response || !mhd.destroy_response || !mhd.lookup_connection_value)
        snprintf(mhd.error, sizeof(mhd.error), "--listen needs libmicrohttpd: a function is missing from it");
}

/* ---- the page ---- */

/* Theil-Sen slope of counts[from..to) over time, averaged down to at most
 * 128 buckets (the slope is quadratic in its points). */
static double site_slope(const struct watch_series *s, const uint32_t *counts, size_t from, size_t to)
{
    size_t m = to - from;
    if (m < 2) return 0;
    size_t k = m < 128 ? m : 128;
    double *x = xmalloc(k * sizeof(double)), *y = xmalloc(k * sizeof(double));
    for (size_t c = 0; c < k; c++) {
        size_t lo = from + c * m / k, hi = from + (c + 1) * m / k;
        double sx = 0, sy = 0;
        for (size_t i = lo; i < hi; i++) {
            sx += (double)(s->t.items[i] - s->t.items[from]) / 1000.0;
            sy += counts[i];
        }
        x[c] = sx / (double)(hi - lo);
        y[c] = sy / (double)(hi - lo);
    }
    double r = trend_theil_sen(x, y, k);
    free(x);
    free(y);
    return r;
}

void watch_metrics_render(struct buf *b, const struct watch_series *s, const struct watch_verdicts *v, size_t top,
                          bool openmetrics)
{
    struct om_writer w = {b, openmetrics};
    size_t good = s->t.len;
    if (good) om_gauge(&w, "godark_goroutines", "Goroutines in the last good sample.", s->total.items[good - 1]);
    om_counter(&w, "godark_watch_samples", "Polls of the endpoint, good and failed.", (double)s->nsamples);
    om_counter(&w, "godark_watch_errors", "Polls that failed (gaps: endpoint down, slow, HTTP error, not a dump).",
               (double)s->errors.len);
    om_counter(&w, "godark_watch_restarts", "Restarts of the watched service detected.", (double)s->restarts.len);
    if (good) {
        om_gauge(&w, "godark_watch_last_sample_timestamp_seconds", "Unix time of the last good sample.",
                 (double)s->t.items[good - 1] / 1000.0);
        om_gauge(&w, "godark_watch_endpoint_up", "1 when the last poll gave a goroutine dump, else 0.",
                 s->t.items[good - 1] == s->last_t ? 1 : 0);
    }
    om_gauge(&w, "godark_watch_growing_sites", "Block sites whose count is growing.", (double)v->len);
    size_t n = good ? s->sites.len : 0;
    struct om_site *rows = xcalloc(n + 1, sizeof(*rows));
    size_t *growth = xmalloc((n + 1) * sizeof(size_t)); /* site -> verdict, or -1 */
    for (size_t i = 0; i < n; i++) growth[i] = (size_t)-1;
    for (size_t i = 0; i < v->len; i++)
        if (v->items[i].site < n) growth[v->items[i].site] = i;
    for (size_t i = 0; i < n; i++) {
        const struct watch_series_site *ss = &s->sites.items[i];
        struct om_site *r = &rows[i];
        r->func = ss->func;
        r->file = ss->file;
        r->line = ss->line;
        r->state = ss->state ? ss->state : "";
        r->goroutines = ss->counts.items[good - 1];
        r->growing = growth[i] != (size_t)-1;
        r->suspect = -1;
        r->ref = i;
    }
    /* slopes only for the sites written by name */
    om_sites_order(rows, n);
    size_t from = good; /* the latest segment */
    while (from > 0 && s->segment.items[from - 1] == s->segment.items[good - 1]) from--;
    for (size_t i = 0; i < n && i < top; i++) {
        size_t si = rows[i].ref;
        rows[i].has_slope = true;
        rows[i].slope = growth[si] != (size_t)-1 ? v->items[growth[si]].tr.slope
                                                 : site_slope(s, s->sites.items[si].counts.items, from, good);
    }
    om_sites(&w, rows, n, top);
    om_end(&w);
    free(rows);
    free(growth);
}

/* ---- the server ---- */

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    struct watch_metrics *m = cls;
    if (m->started) return; /* per-connection noise once serving */
    vsnprintf(m->log, sizeof(m->log), fmt, ap);
    size_t n = strlen(m->log);
    while (n && (m->log[n - 1] == '\n' || m->log[n - 1] == '.')) m->log[--n] = 0;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, char *body, size_t len, const char *type)
{
    struct MHD_Response *r = mhd.create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) mhd.add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ok = mhd.queue_response(c, status, r);
    mhd.destroy_response(r);
    return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **state)
{
    (void)version;
    (void)upload;
    struct watch_metrics *m = cls;
    if (!*state) { /* first call: headers only; answer on the next */
        static int marker;
        *state = &marker;
        return MHD_YES;
    }
    if (*upload_size) { /* a body is not wanted: drop it */
        *upload_size = 0;
        return MHD_YES;
    }
    const char *plain = "text/plain; charset=utf-8";
    if (strcmp(method, "GET") && strcmp(method, "HEAD"))
        return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, xstrdup("only GET and HEAD\n"), 17, plain);
    if (strcmp(url, "/metrics")) {
        char *b = xstrdup("godark watch: the metrics are at /metrics\n");
        return reply(c, MHD_HTTP_NOT_FOUND, b, strlen(b), plain);
    }
    const char *accept = mhd.lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    int f = accept && strstr(accept, "application/openmetrics-text") ? 1 : 0;
    pthread_mutex_lock(&m->mu);
    size_t len = m->len[f];
    char *body = xmalloc(len + 1);
    memcpy(body, m->page[f], len);
    pthread_mutex_unlock(&m->mu);
    return reply(c, MHD_HTTP_OK, body, len, f ? OM_CONTENT_TYPE_OPENMETRICS : OM_CONTENT_TYPE_TEXT);
}

bool watch_listen_parse(const char *spec, char *host, size_t hostlen, int *port, const char **why)
{
    const char *colon;
    if (spec[0] == '[') {
        const char *rb = strchr(spec, ']');
        if (!rb || rb[1] != ':') return *why = "wants [IPv6]:PORT", false;
        if ((size_t)(rb - spec - 1) >= hostlen) return *why = "host too long", false;
        memcpy(host, spec + 1, (size_t)(rb - spec - 1));
        host[rb - spec - 1] = 0;
        colon = rb + 1;
    } else {
        colon = strrchr(spec, ':');
        if (!colon) return *why = "wants HOST:PORT, e.g. 127.0.0.1:9100", false;
        if ((size_t)(colon - spec) >= hostlen) return *why = "host too long", false;
        memcpy(host, spec, (size_t)(colon - spec));
        host[colon - spec] = 0;
        if (strchr(host, ':')) return *why = "an IPv6 address goes in brackets: [::1]:PORT", false;
    }
    const char *q = colon + 1;
    if (!*q) return *why = "no port", false;
    long p = 0;
    for (; *q; q++) {
        if (*q < '0' || *q > '9') return *why = "bad port", false;
        p = p * 10 + (*q - '0');
        if (p > 65535) return *why = "port out of range", false;
    }
    *port = (int)p;
    return true;
}

struct watch_metrics *watch_metrics_start(const char *spec, size_t top, char *err, size_t errlen)
{
    char host[256], portstr[16];
    int port;
    const char *why;
    if (!watch_listen_parse(spec, host, sizeof(host), &port, &why)) {
        snprintf(err, errlen, "--listen %s: %s", spec, why);
        return NULL;
    }
    pthread_once(&mhd_once, mhd_init_once);
    if (mhd.error[0]) {
        snprintf(err, errlen, "%s", mhd.error);
        return NULL;
    }
    snprintf(portstr, sizeof(portstr), "%d", port);
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int g = getaddrinfo(host[0] ? host : NULL, portstr, &hints, &ai);
    if (g != 0 || !ai) {
        snprintf(err, errlen, "--listen %s: %s", spec, g ? gai_strerror(g) : "no address");
        return NULL;
    }
    struct watch_metrics *m = xcalloc(1, sizeof(*m));
    pthread_mutex_init(&m->mu, NULL);
    m->top = top ? top : 1;
    struct watch_series empty;
    watch_series_init(&empty);
    watch_metrics_update(m, &empty, &(struct watch_verdicts){0});
    watch_series_free(&empty);
    /* the server's thread must not take SIGINT/SIGTERM: the polling loop's
     * sleep is what they interrupt */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
    if (ai->ai_family == AF_INET6) flags |= MHD_USE_IPv6;
    errno = 0;
    m->daemon = mhd.start_daemon(flags, (uint16_t)port, NULL, NULL, handle, m, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
                                 MHD_OPTION_EXTERNAL_LOGGER, mhd_log, m, MHD_OPTION_CONNECTION_LIMIT, 64u,
                                 MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
    int e = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    freeaddrinfo(ai);
    if (!m->daemon) {
        snprintf(err, errlen, "--listen %s: cannot serve: %s", spec,
                 m->log[0] ? m->log : e ? strerror(e) : "libmicrohttpd failed to start");
        watch_metrics_stop(m);
        return NULL;
    }
    m->started = true;
    const union MHD_DaemonInfo *info = mhd.get_daemon_info(m->daemon, MHD_DAEMON_INFO_BIND_PORT);
    m->port = info ? info->port : port;
    return m;
}

int watch_metrics_port(const struct watch_metrics *m) { return m->port; }

void watch_metrics_update(struct watch_metrics *m, const struct watch_series *s, const struct watch_verdicts *v)
{
    struct buf b[2] = {{0}, {0}};
    for (int f = 0; f < 2; f++) {
        watch_metrics_render(&b[f], s, v, m->top, f == 1);
        if (!b[f].data) b[f].data = xstrdup("");
    }
    pthread_mutex_lock(&m->mu);
    for (int f = 0; f < 2; f++) {
        free(m->page[f]);
        m->page[f] = b[f].data;
        m->len[f] = b[f].len;
    }
    pthread_mutex_unlock(&m->mu);
}

void watch_metrics_stop(struct watch_metrics *m)
{
    if (!m) return;
    if (m->daemon) mhd.stop_daemon(m->daemon); /* joins the server's thread */
    pthread_mutex_destroy(&m->mu);
    free(m->page[0]);
    free(m->page[1]);
    free(m);
}
