/* watch/sample: one poll reduced to counts per block site, restart detection
 * from goroutine ids, and the JSONL lines that store samples: written by
 * watch, read back by report. */
#include "watch_p.h"

#include <errno.h>
#include <stdlib.h>

/* ---- goroutine ids and restarts ---- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

bool watch_ids_read(FILE *f, struct watch_ids *ids)
{
    memset(ids, 0, sizeof(*ids));
    rewind(f);
    VEC(int64_t) v = {0};
    char line[256];
    bool bol = true; /* at the beginning of a line */
    while (fgets(line, sizeof(line), f)) {
        size_t n = strlen(line);
        bool at_start = bol;
        bol = n && line[n - 1] == '\n';
        if (!at_start || strncmp(line, "goroutine ", 10)) continue;
        char *e;
        errno = 0;
        long long id = strtoll(line + 10, &e, 10);
        if (errno || e == line + 10 || *e != ' ' || id < 0) continue;
        vec_push(&v, (int64_t)id);
    }
    rewind(f);
    if (!v.len) {
        vec_free(&v);
        return false;
    }
    qsort(v.items, v.len, sizeof(int64_t), cmp_i64);
    ids->ids = v.items;
    ids->n = v.len;
    return true;
}

void watch_ids_free(struct watch_ids *ids)
{
    free(ids->ids);
    ids->ids = NULL;
    ids->n = 0;
}

static bool has_id(const struct watch_ids *s, int64_t id)
{
    return bsearch(&id, s->ids, s->n, sizeof(int64_t), cmp_i64) != NULL;
}

bool watch_restart_detect(const struct watch_ids *prev, size_t prev_total, const struct watch_ids *cur,
                          size_t cur_total)
{
    if (prev && cur && prev->n && cur->n) {
        int64_t prev_max = prev->ids[prev->n - 1], cur_max = cur->ids[cur->n - 1];
        size_t fresh = 0, lower = 0;
        for (size_t i = 0; i < cur->n; i++) {
            if (has_id(prev, cur->ids[i])) continue;
            fresh++;
            if (cur->ids[i] < prev_max) lower++;
        }
        /* A live process numbers new goroutines above every id it handed
         * out before, except the few each P had cached (16 at a time): so
         * new goroutines numbered below the old maximum, most of them, and
         * many or with the maximum halved, are a new process. */
        return lower && lower * 2 > fresh && (lower >= 16 || cur_max * 2 < prev_max);
    }
    return prev_total >= 20 && cur_total * 4 < prev_total && prev_total - cur_total >= 20;
}

/* ---- samples ---- */

static const char *class_of(const struct profile_site *s)
{
    for (int c = PCLASS_PERMANENT; c > PCLASS_RUNTIME; c--)
        if (s->by_class[c]) return profile_class_name((enum profile_class)c);
    return profile_class_name(PCLASS_RUNTIME);
}

void watch_sample_from_profile(const struct profile *p, const struct watch_series *seen, size_t max_sites,
                               struct watch_sample *out)
{
    memset(out, 0, sizeof(*out));
    arena_init(&out->arena);
    out->format = profile_format_name(p->format);
    out->total = p->total;
    size_t n = p->sites.len;
    if (max_sites && n > max_sites) n = max_sites;
    out->sites = arena_alloc(&out->arena, (n ? n : 1) * sizeof(*out->sites));
    out->nsites = n;
    for (size_t i = n; i < p->sites.len; i++) out->other += p->sites.items[i].count;
    for (size_t i = 0; i < n; i++) {
        const struct profile_site *s = &p->sites.items[i];
        struct watch_sample_site *w = &out->sites[i];
        if (s->frame != PROFILE_NONE) {
            const struct profile_frame *f = &p->frames.items[s->frame];
            w->func = f->func, w->file = f->file, w->line = f->line;
        } else {
            w->func = w->file = "";
        }
        w->state = s->main_state != PROFILE_NONE ? p->states.items[s->main_state] : "";
        w->cls = class_of(s);
        w->count = s->count;
        if (seen && watch_series_find(seen, w->func, w->file, w->line) != (size_t)-1) continue;
        const struct profile_group *g = &p->groups.items[s->first_group];
        size_t k = g->nframes < WATCH_MAX_STACK ? g->nframes : WATCH_MAX_STACK;
        struct watch_frame *st = arena_alloc(&out->arena, (k ? k : 1) * sizeof(*st));
        for (size_t j = 0; j < k; j++) {
            const struct profile_frame *f = &p->frames.items[g->frames[j]];
            st[j].func = f->func, st[j].file = f->file, st[j].line = f->line;
        }
        w->stack = st;
        w->nstack = k;
        if (s->creator != PROFILE_NONE) {
            const struct profile_frame *f = &p->frames.items[s->creator];
            w->creator.func = f->func, w->creator.file = f->file, w->creator.line = f->line;
        }
    }
    return;
}

void watch_sample_error(struct watch_sample *out, int64_t t_ms, const char *msg)
{
    memset(out, 0, sizeof(*out));
    arena_init(&out->arena);
    out->t_ms = t_ms;
    const char *m = msg && *msg ? msg : "error";
    size_t n = strcspn(m, "\r\n");
    out->error = arena_strndup(&out->arena, m, n);
}

void watch_sample_free(struct watch_sample *s)
{
    arena_free(&s->arena);
    memset(s, 0, sizeof(*s));
}

/* ---- writing ---- */

void watch_jsonl_header(struct buf *b, const char *url, int64_t every_ms, int64_t started_ms)
{
    buf_printf(b, "{\"godark_watch\":%d,\"version\":", WATCH_FORMAT_VERSION);
#ifdef GODARK_VERSION
    json_put_str(b, GODARK_VERSION);
#else
    json_put_str(b, "dev");
#endif
    buf_puts(b, ",\"url\":");
    json_put_str(b, url);
    buf_printf(b, ",\"every_ms\":%lld,\"started\":%lld}\n", (long long)every_ms, (long long)started_ms);
}

static void put_frame(struct buf *b, const struct watch_frame *f)
{
    buf_puts(b, "{\"func\":");
    json_put_str(b, f->func);
    buf_puts(b, ",\"file\":");
    json_put_str(b, f->file);
    buf_printf(b, ",\"line\":%d}", f->line);
}

void watch_jsonl_sample(struct buf *b, const struct watch_sample *s)
{
    buf_printf(b, "{\"t\":%lld,", (long long)s->t_ms);
    if (s->error) {
        buf_puts(b, "\"total\":null,\"format\":null,\"sites\":[],\"other\":0,\"error\":");
        json_put_str(b, s->error);
    } else {
        buf_printf(b, "\"total\":%zu,\"format\":", s->total);
        json_put_str(b, s->format ? s->format : "");
        buf_puts(b, ",\"sites\":[");
        for (size_t i = 0; i < s->nsites; i++) {
            const struct watch_sample_site *w = &s->sites[i];
            if (i) buf_putc(b, ',');
            buf_puts(b, "{\"func\":");
            json_put_str(b, w->func);
            buf_puts(b, ",\"file\":");
            json_put_str(b, w->file);
            buf_printf(b, ",\"line\":%d,\"state\":", w->line);
            json_put_str(b, w->state);
            buf_puts(b, ",\"class\":");
            json_put_str(b, w->cls);
            buf_printf(b, ",\"count\":%zu", w->count);
            if (w->creator.func) {
                buf_puts(b, ",\"creator\":");
                put_frame(b, &w->creator);
            }
            if (w->nstack) {
                buf_puts(b, ",\"stack\":[");
                for (size_t k = 0; k < w->nstack; k++) {
                    if (k) buf_putc(b, ',');
                    put_frame(b, &w->stack[k]);
                }
                buf_putc(b, ']');
            }
            buf_putc(b, '}');
        }
        buf_printf(b, "],\"other\":%zu,\"error\":null", s->other);
    }
    buf_printf(b, ",\"restart\":%s}\n", s->restart ? "true" : "false");
}

/* ---- reading ---- */

static bool num_of(const struct json *v, double lo, double hi, double *out)
{
    if (!v || v->type != JSON_NUM || !(v->num >= lo && v->num <= hi)) return false;
    *out = v->num;
    return true;
}

static const char *str_of(const struct json *v) { return v && v->type == JSON_STR ? v->str : NULL; }

static bool frame_of(const struct json *v, struct watch_frame *f)
{
    double line;
    f->func = str_of(json_get(v, "func"));
    f->file = str_of(json_get(v, "file"));
    if (!f->func || !f->file || !num_of(json_get(v, "line"), 0, 1e9, &line)) return false;
    f->line = (int)line;
    return true;
}

/* Fills x from a parsed sample line; strings stay in the line's arena. */
static bool sample_of(const struct json *o, struct watch_sample *x, struct arena *a, const char **why)
{
    double t, total = 0, other = 0;
    memset(x, 0, sizeof(*x));
    if (!o || o->type != JSON_OBJ) return *why = "not a JSON object", false;
    if (!num_of(json_get(o, "t"), 0, 9e15, &t)) return *why = "no time \"t\"", false;
    x->t_ms = (int64_t)t;
    const struct json *err = json_get(o, "error");
    if (err && err->type == JSON_STR) {
        x->error = err->str;
    } else if (err && err->type != JSON_NULL) {
        return *why = "\"error\" is neither null nor a string", false;
    }
    const struct json *r = json_get(o, "restart");
    x->restart = r && r->type == JSON_BOOL && r->b;
    if (x->error) return true;
    if (!num_of(json_get(o, "total"), 0, 1e12, &total)) return *why = "no \"total\"", false;
    x->total = (size_t)total;
    if (json_get(o, "other") && !num_of(json_get(o, "other"), 0, 1e12, &other))
        return *why = "bad \"other\"", false;
    x->other = (size_t)other;
    x->format = str_of(json_get(o, "format"));
    const struct json *sites = json_get(o, "sites");
    if (!sites || sites->type != JSON_ARR) return *why = "no \"sites\" array", false;
    x->nsites = sites->len;
    x->sites = arena_alloc(a, (sites->len ? sites->len : 1) * sizeof(*x->sites));
    for (size_t i = 0; i < sites->len; i++) {
        const struct json *s = &sites->items[i];
        struct watch_sample_site *w = &x->sites[i];
        struct watch_frame f;
        double count;
        if (!frame_of(s, &f) || !num_of(json_get(s, "count"), 0, 1e12, &count))
            return *why = "a site without func, file, line and count", false;
        w->func = f.func, w->file = f.file, w->line = f.line;
        w->count = (size_t)count;
        w->state = str_of(json_get(s, "state"));
        w->cls = str_of(json_get(s, "class"));
        if (!w->state) w->state = "";
        if (!w->cls) w->cls = "";
        const struct json *cr = json_get(s, "creator");
        if (cr && !frame_of(cr, &w->creator)) w->creator.func = NULL;
        const struct json *st = json_get(s, "stack");
        if (st && st->type == JSON_ARR && st->len) {
            size_t k = st->len < WATCH_MAX_STACK ? st->len : WATCH_MAX_STACK;
            struct watch_frame *fr = arena_alloc(a, k * sizeof(*fr));
            size_t m = 0;
            for (size_t j = 0; j < k; j++)
                if (frame_of(&st->items[j], &fr[m])) m++;
            w->stack = fr;
            w->nstack = m;
        }
    }
    return true;
}

bool watch_jsonl_read(const char *path, struct watch_series *s, size_t *partial, struct profile_diag *d)
{
    *partial = 0;
    char *data;
    size_t len;
    const char *err;
    if (!read_file_all(path, &data, &len, &err)) {
        snprintf(d->msg, sizeof(d->msg), "%s: %s", path, err ? err : "cannot read");
        return false;
    }
    bool ok = true, header = false;
    size_t lineno = 0;
    char jerr[128];
    for (size_t pos = 0; pos < len && ok;) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
        const char *line = data + pos;
        pos += n + (nl ? 1 : 0);
        lineno++;
        while (n && (line[n - 1] == '\r' || line[n - 1] == ' ')) n--;
        if (!n) continue;
        struct arena a;
        arena_init(&a);
        struct json *v = json_parse(&a, line, n, jerr, sizeof(jerr));
        if (!v) {
            if (!nl && header) { /* the writer was killed in the middle of its last line */
                (*partial)++;
            } else {
                snprintf(d->msg, sizeof(d->msg), "%s:%zu: not JSON (%s)%s", path, lineno, jerr,
                         header ? "" : ": not a godark watch file");
                ok = false;
            }
            arena_free(&a);
            continue;
        }
        const struct json *ver = json_get(v, "godark_watch");
        if (ver) {
            double every = 0, started = 0;
            if (ver->type != JSON_NUM || ver->num != WATCH_FORMAT_VERSION) {
                snprintf(d->msg, sizeof(d->msg), "%s:%zu: godark watch format %g, this godark reads %d", path, lineno,
                         ver->type == JSON_NUM ? ver->num : -1.0, WATCH_FORMAT_VERSION);
                ok = false;
            } else if (!header) { /* a later header (a second run appended) is skipped */
                header = true;
                const char *url = str_of(json_get(v, "url"));
                s->url = arena_strndup(&s->arena, url ? url : "", url ? strlen(url) : 0);
                num_of(json_get(v, "every_ms"), 0, 1e12, &every);
                num_of(json_get(v, "started"), 0, 9e15, &started);
                s->every_ms = (int64_t)every;
                s->started_ms = (int64_t)started;
            }
            arena_free(&a);
            continue;
        }
        if (!header) {
            snprintf(d->msg, sizeof(d->msg), "%s:%zu: not a godark watch file (no {\"godark_watch\":1,...} header)",
                     path, lineno);
            ok = false;
            arena_free(&a);
            continue;
        }
        struct watch_sample x;
        const char *why = NULL;
        if (!sample_of(v, &x, &a, &why)) {
            snprintf(d->msg, sizeof(d->msg), "%s:%zu: not a watch sample: %s", path, lineno, why);
            ok = false;
        } else {
            watch_series_add(s, &x);
        }
        arena_free(&a);
    }
    if (ok && !header) {
        snprintf(d->msg, sizeof(d->msg), "%s: empty: not a godark watch file", path);
        ok = false;
    }
    free(data);
    return ok;
}
