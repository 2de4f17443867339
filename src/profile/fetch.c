/* profile/fetch: HTTP(S) input with libcurl: timeouts, extra headers (auth),
 * a size cap, and ?debug=2 added to URLs that name no debug level. Kept
 * apart so `watch` can poll endpoints with the same code. */
#include "profile_p.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

char *profile_url_with_debug(const char *url, int debug)
{
    const char *q = strchr(url, '?');
    const char *hash = strchr(url, '#');
    size_t base = hash ? (size_t)(hash - url) : strlen(url);
    if (q && (!hash || q < hash)) {
        /* a debug parameter already there? */
        for (const char *s = q + 1; s && s < url + base; s = strchr(s, '&'), s = s ? s + 1 : NULL)
            if (!strncmp(s, "debug=", 6)) return xstrdup(url);
        return xasprintf("%.*s&debug=%d%s", (int)base, url, debug, url + base);
    }
    return xasprintf("%.*s?debug=%d%s", (int)base, url, debug, url + base);
}

struct sink {
    FILE *out;
    size_t got, max;
    bool over, write_err;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ud)
{
    struct sink *s = ud;
    size_t n = size * nmemb;
    if (s->got + n > s->max) {
        s->over = true;
        return 0;
    }
    if (fwrite(ptr, 1, n, s->out) != n) {
        s->write_err = true;
        return 0;
    }
    s->got += n;
    return n;
}

bool profile_fetch(const char *url, const struct profile_load_opts *o, FILE *out, struct profile_diag *d)
{
    pthread_once(&curl_once, curl_init_once);
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(d->msg, sizeof(d->msg), "cannot initialise libcurl");
        return false;
    }
    struct sink s = {out, 0, o && o->max_bytes ? o->max_bytes : PROFILE_DEFAULT_MAX_BYTES, false, false};
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *hdrs = NULL;
    for (size_t i = 0; o && i < o->nheaders; i++) hdrs = curl_slist_append(hdrs, o->headers[i]);
    long timeout = o && o->timeout_s > 0 ? o->timeout_s : 30;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout < 10 ? timeout : 10L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "godark");
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    if (hdrs) curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    bool ok = false;
    if (s.over) snprintf(d->msg, sizeof(d->msg), "response larger than %zu bytes (--max-bytes)", s.max);
    else if (s.write_err) snprintf(d->msg, sizeof(d->msg), "cannot write the downloaded profile to a temporary file");
    else if (rc != CURLE_OK)
        snprintf(d->msg, sizeof(d->msg), "fetch failed: %s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    else if (status < 200 || status > 299) snprintf(d->msg, sizeof(d->msg), "fetch failed: HTTP status %ld", status);
    else ok = true;
    if (ok && fflush(out) != 0) {
        snprintf(d->msg, sizeof(d->msg), "cannot write the downloaded profile to a temporary file");
        ok = false;
    }
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    return ok;
}
