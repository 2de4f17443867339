/* watch/cmd: `godark watch URL` (the polling loop: schedule, back-off,
 * signals, the JSONL file, the live view) and `godark report FILE.jsonl`. */
#include "watch_p.h"

#include "../base/args.h"
#include "../config/config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_GROWING = 1, EXIT_BAD = 2, EXIT_INTERNAL_ERR = 3 };

bool watch_parse_duration(const char *s, int64_t *ms) { return args_parse_duration(s, ms); }

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static volatile sig_atomic_t g_stop;
static void on_signal(int sig) { g_stop = sig; }

/* Sleeps until the monotonic time `until` or a stop signal. */
static void sleep_until(int64_t until)
{
    while (!g_stop) {
        int64_t left = until - mono_ms();
        if (left <= 0) return;
        struct timespec ts = {(time_t)(left / 1000), (long)(left % 1000) * 1000000L};
        nanosleep(&ts, NULL); /* EINTR on a signal: the loop checks g_stop */
    }
}

/* An http(s) URL with a host: the rest is libcurl's to judge. */
static bool url_ok(const char *u, const char **why)
{
    if (!profile_is_url(u)) return *why = "not an http:// or https:// URL", false;
    for (const char *p = u; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f) return *why = "white space or a control character in the URL", false;
    const char *h = strstr(u, "://") + 3;
    const char *at = h + strcspn(h, "/?#");
    const char *cred = memchr(h, '@', (size_t)(at - h));
    if (cred) h = cred + 1;
    if (h == at || *h == ':') return *why = "no host in the URL", false;
    const char *colon = NULL;
    if (*h == '[') { /* [IPv6] */
        const char *rb = memchr(h, ']', (size_t)(at - h));
        if (!rb) return *why = "unterminated [IPv6] host", false;
        if (rb + 1 < at) colon = rb + 1;
        if (colon && *colon != ':') return *why = "bad host in the URL", false;
    } else {
        colon = memchr(h, ':', (size_t)(at - h));
    }
    if (colon) {
        const char *q = colon + 1;
        if (q == at) return *why = "empty port in the URL", false;
        long port = 0;
        for (; q < at; q++) {
            if (*q < '0' || *q > '9') return *why = "bad port in the URL", false;
            port = port * 10 + (*q - '0');
            if (port > 65535) return *why = "port out of range in the URL", false;
        }
        if (port == 0) return *why = "port 0 in the URL", false;
    }
    return true;
}

struct wopts {
    const char *url;
    int64_t every_ms, for_ms, timeout_ms;
    const char *out_path;
    bool json, no_color;
    size_t max_sites;
    VEC(const char *) headers;
    struct profile_load_opts lo;
    struct watch_outputs outs; /* --html, --listen, --metrics-top (outputs.c) */
    struct config cfg; /* modules: which frames are user code */
};

enum { O_EVERY = 1, O_FOR, O_OUT, O_HEADER, O_TIMEOUT, O_MAXBYTES, O_MAXSITES, O_FORMAT, O_NOCOLOR };

static const char *const summary_formats[] = {"text", "json", NULL};

static const struct arg_opt watch_options[] = {
    {O_EVERY, "every", 0, ARG_DURATION, "DURATION", "time between samples: 500ms, 10s, 1m (10s)", 10, 86400000, NULL},
    {O_FOR, "for", 0, ARG_DURATION, "DURATION", "stop after this long (default: at Ctrl-C, SIGINT or SIGTERM)", 1,
     366LL * 86400000, NULL},
    {O_OUT, "out", 'o', ARG_STR, "FILE", "the samples, one JSON line each (godark-watch-<pid>.jsonl)", 0, 0, NULL},
    {O_HEADER, "header", 0, ARG_STR, "'K: V'", "HTTP header (repeatable), e.g. 'Authorization: Bearer ...'", 0, 0,
     NULL},
    {O_TIMEOUT, "timeout", 0, ARG_DURATION, "DURATION", "per-request timeout, whole seconds (10s)", 1000, 3600000,
     NULL},
    {O_MAXBYTES, "max-bytes", 0, ARG_INT, "N", "cap on a response or an inflated profile (1 GiB)", 1,
     (long long)1 << 50, NULL},
    {O_MAXSITES, "max-sites", 0, ARG_INT, "N", "sites recorded per sample, the largest; the rest are summed (500)", 1,
     1000000, NULL},
    {O_FORMAT, "format", 0, ARG_ENUM, "FORMAT", "the end summary: text (default) or json", 0, 0, summary_formats},
    {O_NOCOLOR, "no-color", 0, ARG_FLAG, NULL, "no ANSI colour", 0, 0, NULL},
    WATCH_OUTPUTS_ARGS,
    CONFIG_ARG_MODULE,
    CONFIG_ARG_FILE,
    CONFIG_ARG_NONE,
    {0, NULL, 0, 0, NULL, NULL, 0, 0, NULL},
};

static const struct args_cmd watch_cmd = {
    "watch", "[flags] URL",
    "  Polls a Go service's goroutine endpoint (/debug/pprof/goroutine; ?debug=2 is added when the\n"
    "  URL names no debug level), counts goroutines per block site in each sample, appends each\n"
    "  sample as one JSON line to a file, and reports the sites whose count keeps growing.\n"
    "  modules: of the nearest .godark.yml at or above the current directory is used (--module wins).",
    watch_options,
    "An endpoint error (down, slow, HTTP error, not a dump, truncated) is recorded as a gap and\n"
    "polling goes on, backing off up to 5 periods (at most 30 s) while errors last.\n"
    "exit: 0 nothing growing, 1 a growing site, 2 bad usage or no good sample, 3 internal error"};

static const struct arg_opt report_options[] = {
    {O_FORMAT, "format", 0, ARG_ENUM, "FORMAT", "the summary: text (default) or json", 0, 0, summary_formats},
    {O_NOCOLOR, "no-color", 0, ARG_FLAG, NULL, "no ANSI colour", 0, 0, NULL},
    WATCH_OUTPUTS_ARGS,
    {0, NULL, 0, 0, NULL, NULL, 0, 0, NULL},
};

static const struct args_cmd report_cmd = {
    "report", "[flags] FILE.jsonl", "  The summary of a `godark watch` samples file, from the file alone.",
    report_options, "exit: 0 nothing growing, 1 a growing site, 2 bad usage or input, 3 internal error"};

/* -1 to go on, else an exit code. */
static int parse_watch_args(struct wopts *o, int argc, char **argv)
{
    struct config fl;
    config_init(&fl);
    struct args a;
    args_start(&a, &watch_cmd, argc, argv);
    struct arg_val v;
    for (int id; (id = args_next(&a, &v)) > 0;) {
        switch (id) {
        case O_EVERY: o->every_ms = v.ms; break;
        case O_FOR: o->for_ms = v.ms; break;
        case O_TIMEOUT: o->timeout_ms = v.ms; break;
        case O_OUT: o->out_path = v.str; break;
        case O_HEADER:
            if (!strchr(v.str, ':') || v.str[0] == ':' || strpbrk(v.str, "\r\n")) {
                args_fail(&a, "--header wants 'Name: value', got %s", v.str);
                break;
            }
            vec_push(&o->headers, v.str);
            break;
        case O_MAXBYTES: o->lo.max_bytes = (size_t)v.num; break;
        case O_MAXSITES: o->max_sites = (size_t)v.num; break;
        case O_FORMAT: o->json = v.choice == 1; break;
        case O_NOCOLOR: o->no_color = true; break;
        case WATCH_O_HTML:
        case WATCH_O_LISTEN:
        case WATCH_O_METRICS_TOP:
            if (!watch_outputs_flag(&o->outs, id, v.str, "watch")) a.stop = true, a.rc = 2; /* it said why */
            break;
        default: config_take_flag(&fl, &a, id, &v); break;
        }
    }
    const char *why;
    if (!a.stop && a.npos != 1)
        args_fail(&a, "%s", a.npos ? "takes one URL" : "needs the URL of a goroutine endpoint, e.g. "
                                                      "http://127.0.0.1:6060/debug/pprof/goroutine");
    else if (!a.stop && !url_ok(a.pos[0], &why))
        args_fail(&a, "%s: %s", a.pos[0], why);
    int rc = -1;
    if (a.stop) {
        rc = a.rc;
    } else if (!config_resolve(&o->cfg, &fl, ".")) {
        rc = EXIT_BAD;
    } else {
        o->url = a.pos[0];
        o->lo.headers = o->headers.items;
        o->lo.nheaders = o->headers.len;
        o->lo.timeout_s = (long)((o->timeout_ms + 999) / 1000);
    }
    args_end(&a);
    config_free(&fl);
    return rc;
}

/* ---- the live view ---- */

struct view {
    bool live;     /* a terminal: redrawn in place */
    int lines;     /* lines drawn last time */
    int cols;
};

static int term_cols(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
    return 80;
}

/* Appends s cut to cols-1 characters (UTF-8 aware) and a newline. */
static void view_line(struct buf *b, const char *s, int cols, int *lines)
{
    int w = 0;
    const char *p = s;
    for (; *p; p++) {
        if (((unsigned char)*p & 0xc0) == 0x80) continue;
        if (w >= cols - 1) break;
        w++;
    }
    buf_append(b, s, (size_t)(p - s));
    buf_putc(b, '\n');
    (*lines)++;
}

static const char *short_file(const char *f)
{
    const char *s = strrchr(f, '/');
    return s ? s + 1 : f;
}

static void site_label(struct buf *b, const struct watch_series_site *ss)
{
    if (!ss->func[0] && !ss->file[0]) buf_puts(b, "(runtime only)");
    else buf_printf(b, "%s %s:%d", ss->func, short_file(ss->file), ss->line);
}

static int cmp_count_desc(const void *a, const void *b, void *ctx)
{
    const struct watch_series *s = ctx;
    size_t k = s->t.len - 1;
    uint32_t x = s->sites.items[*(const size_t *)a].counts.items[k], y = s->sites.items[*(const size_t *)b].counts.items[k];
    return x != y ? (x > y ? -1 : 1) : (*(const size_t *)a < *(const size_t *)b ? -1 : 1);
}

static void view_draw(struct view *vw, const struct watch_series *s, const struct watch_verdicts *v, int64_t t0,
                      const char *url, const struct watch_sample *last)
{
    struct buf b = {0}, l = {0};
    int cols = vw->cols;
    if (vw->lines) buf_printf(&b, "\033[%dF\033[J", vw->lines);
    int lines = 0;
    double el = (double)(s->last_t - t0) / 1000.0;
    buf_printf(&l, "godark watch %s  (Ctrl-C to stop)", url);
    view_line(&b, l.data, cols, &lines);
    l.len = 0;
    buf_printf(&l, "+%.1f s  %zu samples: %zu good, %zu errors, %zu restarts", el, s->nsamples, s->t.len,
               s->errors.len, s->restarts.len);
    view_line(&b, l.data, cols, &lines);
    if (s->t.len) {
        l.len = 0;
        buf_printf(&l, "goroutines %u  ", s->total.items[s->t.len - 1]);
        watch_sparkline(&l, s->total.items, s->t.len, 40);
        view_line(&b, l.data, cols, &lines);
    }
    if (v->len) {
        view_line(&b, "growing:", cols, &lines);
        for (size_t i = 0; i < v->len && i < 5; i++) {
            const struct watch_growth *g = &v->items[i];
            const struct watch_series_site *ss = &s->sites.items[g->site];
            l.len = 0;
            buf_printf(&l, "  %5u  %+.2f/s  ", ss->counts.items[s->t.len - 1], g->tr.slope);
            watch_sparkline(&l, ss->counts.items + g->from, g->to - g->from, 20);
            buf_puts(&l, "  ");
            site_label(&l, ss);
            buf_printf(&l, "  %s", ss->state);
            view_line(&b, l.data, cols, &lines);
        }
    } else if (s->t.len) {
        view_line(&b, "growing: none so far; largest sites:", cols, &lines);
        size_t n = s->sites.len;
        size_t *idx = xmalloc((n + 1) * sizeof(size_t));
        for (size_t i = 0; i < n; i++) idx[i] = i;
        if (n > 1) qsort_r(idx, n, sizeof(size_t), cmp_count_desc, (void *)s);
        for (size_t i = 0; i < n && i < 5; i++) {
            const struct watch_series_site *ss = &s->sites.items[idx[i]];
            l.len = 0;
            buf_printf(&l, "  %5u  ", ss->counts.items[s->t.len - 1]);
            watch_sparkline(&l, ss->counts.items, s->t.len, 20);
            buf_puts(&l, "  ");
            site_label(&l, ss);
            buf_printf(&l, "  %s", ss->state);
            view_line(&b, l.data, cols, &lines);
        }
        free(idx);
    }
    if (last && last->error) {
        l.len = 0;
        buf_printf(&l, "endpoint error: %s", last->error);
        view_line(&b, l.data, cols, &lines);
    } else if (s->errors.len) {
        const struct watch_event *e = &s->errors.items[s->errors.len - 1];
        l.len = 0;
        buf_printf(&l, "last endpoint error (+%.1f s): %s", (double)(e->t_ms - t0) / 1000.0, e->msg);
        view_line(&b, l.data, cols, &lines);
    }
    vw->lines = lines;
    fwrite(b.data, 1, b.len, stdout);
    fflush(stdout);
    buf_free(&b);
    buf_free(&l);
}

/* One plain line per sample when stdout is not a terminal. */
static void plain_line(FILE *out, const struct watch_series *s, const struct watch_verdicts *v,
                       const struct watch_sample *x, int64_t t0)
{
    fprintf(out, "+%.1fs sample %zu: ", (double)(x->t_ms - t0) / 1000.0, s->nsamples);
    if (x->error) {
        fputs("error: ", out);
        for (const unsigned char *q = (const unsigned char *)x->error; *q; q++)
            fputc(*q < 0x20 || *q == 0x7f ? '?' : *q, out);
        fputc('\n', out);
    } else {
        fprintf(out, "%zu goroutines, %zu sites%s, %zu growing", x->total, x->nsites, x->restart ? ", restart" : "", v->len);
        for (size_t i = 0; i < v->len && i < 3; i++) {
            const struct watch_series_site *ss = &s->sites.items[v->items[i].site];
            fprintf(out, "%s %s (%s:%d) %u", i ? ";" : ":", ss->func, short_file(ss->file), ss->line,
                   ss->counts.items[s->t.len - 1]);
        }
        fputc('\n', out);
    }
    fflush(out);
}

/* ---- polling ---- */

struct poller {
    const struct wopts *o;
    char *url; /* with ?debug=2 when none was named */
    struct watch_ids prev_ids;
    size_t prev_total;
    bool have_prev;
};

/* One poll into x (a good sample or a gap). */
static void poll_once(struct poller *pl, const struct watch_series *series, int64_t t, struct watch_sample *x)
{
    struct profile_diag d = {{0}};
    FILE *tmp = tmpfile();
    if (!tmp) {
        char msg[256];
        snprintf(msg, sizeof(msg), "cannot create a temporary file: %s", strerror(errno));
        watch_sample_error(x, t, msg);
        return;
    }
    if (!profile_fetch(pl->url, &pl->o->lo, tmp, &d)) {
        watch_sample_error(x, t, d.msg[0] ? d.msg : "fetch failed");
        fclose(tmp);
        return;
    }
    rewind(tmp);
    struct profile p;
    profile_init(&p);
    if (!profile_parse_stream(&p, tmp, pl->o->url, pl->o->lo.max_bytes, &d)) {
        watch_sample_error(x, t, d.msg[0] ? d.msg : "not a goroutine dump");
    } else if (p.truncated) {
        char msg[600];
        snprintf(msg, sizeof(msg), "truncated response: %s", p.truncated_msg ? p.truncated_msg : "cut short");
        watch_sample_error(x, t, msg);
    } else {
        struct profile_opts po;
        profile_opts_default(&po);
        po.modules = (const char **)pl->o->cfg.modules.items;
        po.nmodules = pl->o->cfg.modules.len;
        profile_analyze(&p, &po);
        watch_sample_from_profile(&p, series, pl->o->max_sites, x);
        x->t_ms = t;
        struct watch_ids ids = {0};
        if (p.format == PROF_FMT_TRACEBACK) watch_ids_read(tmp, &ids);
        if (pl->have_prev) x->restart = watch_restart_detect(&pl->prev_ids, pl->prev_total, &ids, p.total);
        watch_ids_free(&pl->prev_ids);
        pl->prev_ids = ids;
        pl->prev_total = p.total;
        pl->have_prev = true;
        /* the sample's strings point into p: make them the sample's own */
        for (size_t i = 0; i < x->nsites; i++) {
            struct watch_sample_site *w = &x->sites[i];
            w->func = arena_strndup(&x->arena, w->func, strlen(w->func));
            w->file = arena_strndup(&x->arena, w->file, strlen(w->file));
            w->state = arena_strndup(&x->arena, w->state, strlen(w->state));
            struct watch_frame *st = (struct watch_frame *)w->stack;
            for (size_t k = 0; k < w->nstack; k++) {
                st[k].func = arena_strndup(&x->arena, st[k].func, strlen(st[k].func));
                st[k].file = arena_strndup(&x->arena, st[k].file, strlen(st[k].file));
            }
            if (w->creator.func) {
                w->creator.func = arena_strndup(&x->arena, w->creator.func, strlen(w->creator.func));
                w->creator.file = arena_strndup(&x->arena, w->creator.file, strlen(w->creator.file));
            }
        }
    }
    profile_free(&p);
    fclose(tmp);
}

/* Appends one line and makes it durable: a kill after this keeps it. */
static bool put_line(int fd, const struct buf *b)
{
    if (!write_fd_all(fd, b->data, b->len)) return false;
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS) return false; /* pipes and /dev/null cannot fsync */
    return true;
}

int watch_cmd_watch(int argc, char **argv)
{
    struct wopts o;
    memset(&o, 0, sizeof(o));
    o.every_ms = 10000;
    o.timeout_ms = 10000;
    o.max_sites = 500;
    int rc = parse_watch_args(&o, argc, argv);
    if (rc >= 0) {
        vec_free(&o.headers);
        config_free(&o.cfg);
        return rc;
    }
    char defpath[64];
    if (!o.out_path) {
        snprintf(defpath, sizeof(defpath), "godark-watch-%ld.jsonl", (long)getpid());
        o.out_path = defpath;
    }
    int fd = open(o.out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "godark: watch: %s: %s\n", o.out_path, strerror(errno));
        vec_free(&o.headers);
        config_free(&o.cfg);
        return EXIT_BAD;
    }
    fprintf(stderr, "godark: watch: writing samples to %s\n", o.out_path);
    if (!watch_outputs_start(&o.outs, "watch")) {
        close(fd);
        vec_free(&o.headers);
        return EXIT_BAD;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND; /* no SA_RESTART: nanosleep returns; a second Ctrl-C ends at once */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    g_stop = 0;

    struct watch_series s;
    watch_series_init(&s);
    s.url = o.url;
    s.every_ms = o.every_ms;
    int64_t m0 = mono_ms(), w0 = wall_ms();
    s.started_ms = w0;
    struct buf line = {0};
    watch_jsonl_header(&line, o.url, o.every_ms, w0);
    bool io_ok = put_line(fd, &line);
    struct poller pl = {&o, profile_url_with_debug(o.url, 2), {NULL, 0}, 0, false};
    struct view vw = {!o.json && isatty(STDOUT_FILENO) && getenv("TERM") && strcmp(getenv("TERM"), "dumb"), 0, 80};
    if (vw.live) vw.cols = term_cols();
    struct watch_verdicts v = {0};
    int64_t deadline = o.for_ms ? m0 + o.for_ms : INT64_MAX;
    int64_t next = m0;
    int64_t backoff_cap = o.every_ms * 5 < 30000 ? o.every_ms * 5 : 30000;
    if (backoff_cap < o.every_ms) backoff_cap = o.every_ms;
    unsigned errors_in_row = 0;
    while (io_ok && !g_stop) {
        sleep_until(next < deadline ? next : deadline);
        if (g_stop) break;
        int64_t m = mono_ms();
        if (m >= deadline) break;
        int64_t t = w0 + (m - m0); /* monotone wall time */
        struct watch_sample x;
        poll_once(&pl, &s, t, &x);
        line.len = 0;
        watch_jsonl_sample(&line, &x);
        if (!put_line(fd, &line)) {
            fprintf(stderr, "godark: watch: %s: write error: %s\n", o.out_path, strerror(errno));
            io_ok = false;
        }
        watch_series_add(&s, &x);
        watch_verdicts_free(&v);
        watch_series_judge(&s, NULL, &v);
        watch_outputs_sample(&o.outs, &s, &v);
        if (vw.live) view_draw(&vw, &s, &v, w0, o.url, &x);
        else plain_line(o.json ? stderr : stdout, &s, &v, &x, w0); /* stdout: only the JSON */
        int64_t now = mono_ms();
        if (x.error) {
            errors_in_row++;
            int64_t d = o.every_ms;
            for (unsigned k = 1; k < errors_in_row && d < backoff_cap; k++) d *= 2;
            if (d > backoff_cap) d = backoff_cap;
            next = now + d;
        } else {
            errors_in_row = 0;
            next += o.every_ms;
            if (next <= now) next += ((now - next) / o.every_ms + 1) * o.every_ms; /* skip missed ticks */
        }
        watch_sample_free(&x);
    }
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (close(fd) != 0 && io_ok) {
        fprintf(stderr, "godark: watch: %s: write error: %s\n", o.out_path, strerror(errno));
        io_ok = false;
    }
    if (vw.live) fputc('\n', stdout);
    bool color = args_color_allowed(o.no_color) && vw.live;
    if (o.json) watch_summary_json(stdout, &s, &v);
    else watch_summary_text(stdout, &s, &v, color);
    fflush(stdout);
    fprintf(stderr, "godark: watch: %zu sample%s in %s\n", s.nsamples, s.nsamples == 1 ? "" : "s", o.out_path);
    rc = v.len ? EXIT_GROWING : EXIT_OK;
    if (!s.t.len) {
        fprintf(stderr, "godark: watch: %s: no good sample%s%s\n", o.url, s.errors.len ? ": " : "",
                s.errors.len ? s.errors.items[s.errors.len - 1].msg : "");
        rc = EXIT_BAD;
    }
    if (!io_ok) rc = EXIT_BAD;
    if (!watch_outputs_finish(&o.outs, &s, &v, "watch")) rc = EXIT_BAD;
    watch_verdicts_free(&v);
    watch_ids_free(&pl.prev_ids);
    free(pl.url);
    buf_free(&line);
    watch_series_free(&s);
    vec_free(&o.headers);
    config_free(&o.cfg);
    return rc;
}

int watch_cmd_report(int argc, char **argv)
{
    bool json = false, no_color = false;
    struct watch_outputs outs = {0};
    struct args a;
    args_start(&a, &report_cmd, argc, argv);
    struct arg_val av;
    for (int id; (id = args_next(&a, &av)) > 0;) {
        if (id == O_FORMAT) json = av.choice == 1;
        else if (id == O_NOCOLOR) no_color = true;
        else if ((id == WATCH_O_HTML || id == WATCH_O_LISTEN || id == WATCH_O_METRICS_TOP) &&
                 !watch_outputs_flag(&outs, id, av.str, "report"))
            a.stop = true, a.rc = 2; /* it said why */
    }
    if (!a.stop && a.npos != 1) args_fail(&a, "%s", a.npos ? "takes one file" : "needs a samples file written by godark watch");
    args_end(&a);
    if (a.stop) return a.rc;
    const char *path = a.pos[0];
    struct watch_series s;
    watch_series_init(&s);
    struct profile_diag d = {{0}};
    size_t partial = 0;
    if (!watch_jsonl_read(path, &s, &partial, &d)) {
        fprintf(stderr, "godark: report: %s\n", d.msg);
        watch_series_free(&s);
        return EXIT_BAD;
    }
    if (partial) fprintf(stderr, "godark: report: %s: ignored a last line cut short (the writer was stopped)\n", path);
    struct watch_verdicts v;
    watch_series_judge(&s, NULL, &v);
    bool color = args_color_allowed(no_color) && isatty(STDOUT_FILENO);
    if (json) watch_summary_json(stdout, &s, &v);
    else watch_summary_text(stdout, &s, &v, color);
    int rc = v.len ? EXIT_GROWING : EXIT_OK;
    if (!s.t.len) {
        fprintf(stderr, "godark: report: %s: no good sample\n", path);
        rc = EXIT_BAD;
    }
    if (fflush(stdout) != 0) rc = EXIT_BAD;
    if (!watch_outputs_finish(&outs, &s, &v, "report")) rc = EXIT_BAD;
    watch_verdicts_free(&v);
    watch_series_free(&s);
    return rc;
}
