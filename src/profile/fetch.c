/* profile/fetch: HTTP(S) input with libcurl: timeouts, extra headers (auth),
 * a size cap, and ?debug=2 added to URLs that name no debug level. Kept
 * apart so `watch` can poll endpoints with the same code.
 * libcurl is loaded with dlopen on the first fetch, not linked: loading it
 * and its ~30 dependent libraries cost about 5 ms of CPU at every start,
 * half of what `wc -l` needs for a 100,000-goroutine dump, and most runs
 * (check, file input) never fetch. */
#include "profile_p.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    char error[256]; /* why libcurl could not be loaded; "" when it was */
} curl;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void)
{
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h) h = dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(curl.error, sizeof(curl.error), "URL input needs libcurl (libcurl.so.4): %s", e ? e : "not found");
        return;
    }
    /* POSIX: a function pointer from dlsym is obtained through a data pointer */
#define SYM(field, name) *(void **)&curl.field = dlsym(h, name)
    SYM(global_init, "curl_global_init");
    SYM(easy_init, "curl_easy_init");
    SYM(easy_setopt, "curl_easy_setopt");
    SYM(easy_perform, "curl_easy_perform");
    SYM(easy_getinfo, "curl_easy_getinfo");
    SYM(easy_cleanup, "curl_easy_cleanup");
    SYM(easy_strerror, "curl_easy_strerror");
    SYM(slist_append, "curl_slist_append");
    SYM(slist_free_all, "curl_slist_free_all");
#undef SYM
    if (!curl.global_init || !curl.easy_init || !curl.easy_setopt || !curl.easy_perform || !curl.easy_getinfo ||
        !curl.easy_cleanup || !curl.easy_strerror || !curl.slist_append || !curl.slist_free_all) {
        snprintf(curl.error, sizeof(curl.error), "URL input needs libcurl: a function is missing from libcurl.so.4");
        return;
    }
    curl.global_init(CURL_GLOBAL_DEFAULT);
}

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
    if (curl.error[0]) {
        snprintf(d->msg, sizeof(d->msg), "%s", curl.error);
        return false;
    }
    CURL *c = curl.easy_init();
    if (!c) {
        snprintf(d->msg, sizeof(d->msg), "cannot initialise libcurl");
        return false;
    }
    struct sink s = {out, 0, o && o->max_bytes ? o->max_bytes : PROFILE_DEFAULT_MAX_BYTES, false, false};
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *hdrs = NULL;
    for (size_t i = 0; o && i < o->nheaders; i++) hdrs = curl.slist_append(hdrs, o->headers[i]);
    long timeout = o && o->timeout_s > 0 ? o->timeout_s : 30;
    curl.easy_setopt(c, CURLOPT_URL, url);
    curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl.easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl.easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl.easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl.easy_setopt(c, CURLOPT_TIMEOUT, timeout);
    curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout < 10 ? timeout : 10L);
    curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(c, CURLOPT_USERAGENT, "godark");
    curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    if (hdrs) curl.easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    CURLcode rc = curl.easy_perform(c);
    long status = 0;
    curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    bool ok = false;
    if (s.over) snprintf(d->msg, sizeof(d->msg), "response larger than %zu bytes (--max-bytes)", s.max);
    else if (s.write_err) snprintf(d->msg, sizeof(d->msg), "cannot write the downloaded profile to a temporary file");
    else if (rc != CURLE_OK)
        snprintf(d->msg, sizeof(d->msg), "fetch failed: %s", errbuf[0] ? errbuf : curl.easy_strerror(rc));
    else if (status < 200 || status > 299) snprintf(d->msg, sizeof(d->msg), "fetch failed: HTTP status %ld", status);
    else ok = true;
    if (ok && fflush(out) != 0) {
        snprintf(d->msg, sizeof(d->msg), "cannot write the downloaded profile to a temporary file");
        ok = false;
    }
    curl.slist_free_all(hdrs);
    curl.easy_cleanup(c);
    return ok;
}
