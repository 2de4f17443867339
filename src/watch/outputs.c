/* watch/outputs: the flags of watch's and report's extra outputs (--html,
 * --listen, --metrics-top) and when each is made: the server before the
 * first poll and after every sample, the HTML at the end. */
#include "watch_p.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

bool watch_outputs_flag(struct watch_outputs *o, int opt, const char *v, const char *cmd)
{
    if (opt == WATCH_O_HTML) {
        if (!*v) {
            fprintf(stderr, "godark: %s: --html wants a file name\n", cmd);
            return false;
        }
        o->html = v;
        return true;
    }
    if (strcmp(cmd, "watch")) {
        fprintf(stderr, "godark: %s: --%s is for godark watch\n", cmd, opt == WATCH_O_LISTEN ? "listen" : "metrics-top");
        return false;
    }
    if (opt == WATCH_O_LISTEN) {
        char host[256];
        int port;
        const char *why;
        if (!watch_listen_parse(v, host, sizeof(host), &port, &why)) {
            fprintf(stderr, "godark: %s: --listen %s: %s\n", cmd, v, why);
            return false;
        }
        o->listen = v;
        return true;
    }
    char *e;
    errno = 0;
    unsigned long long n = strtoull(v, &e, 10);
    if (!*v || *v == '-' || *e || errno || !n || n > 100000) {
        fprintf(stderr, "godark: %s: --metrics-top wants a number from 1 to 100000, got %s\n", cmd, v);
        return false;
    }
    o->metrics_top = (size_t)n;
    return true;
}

bool watch_outputs_start(struct watch_outputs *o, const char *cmd)
{
    if (o->html) { /* found out now, not after a long watch */
        char *probe = xasprintf("%s.tmp.XXXXXX", o->html);
        int fd = mkstemp(probe);
        if (fd < 0) {
            fprintf(stderr, "godark: %s: --html %s: %s\n", cmd, o->html, strerror(errno));
            free(probe);
            return false;
        }
        close(fd);
        unlink(probe);
        free(probe);
    }
    if (!o->listen) return true;
    char err[512];
    o->server = watch_metrics_start(o->listen, o->metrics_top ? o->metrics_top : 20, err, sizeof(err));
    if (!o->server) {
        fprintf(stderr, "godark: %s: %s\n", cmd, err);
        return false;
    }
    char host[256];
    int port;
    const char *why;
    watch_listen_parse(o->listen, host, sizeof(host), &port, &why);
    bool v6 = strchr(host, ':') != NULL;
    fprintf(stderr, "godark: %s: serving metrics at http://%s%s%s:%d/metrics\n", cmd, v6 ? "[" : "",
            host[0] ? host : "0.0.0.0", v6 ? "]" : "", watch_metrics_port(o->server));
    return true;
}

void watch_outputs_sample(struct watch_outputs *o, const struct watch_series *s, const struct watch_verdicts *v)
{
    if (o->server) watch_metrics_update(o->server, s, v);
}

bool watch_outputs_finish(struct watch_outputs *o, const struct watch_series *s, const struct watch_verdicts *v,
                          const char *cmd)
{
    watch_metrics_stop(o->server);
    o->server = NULL;
    if (!o->html) return true;
    struct profile_diag d = {{0}};
    if (!watch_html_write(o->html, s, v, &d)) {
        fprintf(stderr, "godark: %s: %s\n", cmd, d.msg);
        return false;
    }
    return true;
}
