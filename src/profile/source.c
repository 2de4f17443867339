/* profile/source: --source DIR. Maps a frame's file (a path on the machine
 * that built the binary) to a file under DIR by the longest path suffix that
 * exists there, and returns the text of a line. Files are read once.
 * Also the cross-check of the two halves: the static leak and lock rules run
 * on the package directory of a mapped file (once per directory), and a
 * static finding at or near a suspect's blocked line is named on it. */
#include "profile_p.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "../check/check.h"
#include "../rules/rule.h"

struct src_file {
    char *key;    /* dir + "\n" + original path */
    char *mapped; /* path under dir, or NULL if none */
    char *data;
    size_t len;
};

static VEC(struct src_file) cache;
static char *last_line;

static struct src_file *lookup(const char *dir, const char *file)
{
    char *key = xasprintf("%s\n%s", dir, file);
    for (size_t i = 0; i < cache.len; i++)
        if (!strcmp(cache.items[i].key, key)) {
            free(key);
            return &cache.items[i];
        }
    struct src_file sf = {key, NULL, NULL, 0};
    /* try "a/b/c.go", then "b/c.go", then "c.go" under dir */
    const char *s = file;
    while (*s == '/') s++;
    while (s && *s) {
        char *cand = xasprintf("%s/%s", dir, s);
        struct stat st;
        if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
            const char *err;
            if (read_file_all(cand, &sf.data, &sf.len, &err)) {
                sf.mapped = cand;
                break;
            }
        }
        free(cand);
        s = strchr(s, '/');
        if (s) s++;
    }
    vec_push(&cache, sf);
    return &cache.items[cache.len - 1];
}

const char *prof_source_line(const char *dir, const char *file, int line, const char **mapped)
{
    if (!dir || !file || !*file || line <= 0) return NULL;
    struct src_file *sf = lookup(dir, file);
    if (!sf->data) return NULL;
    const char *p = sf->data, *e = sf->data + sf->len;
    for (int l = 1; l < line && p < e; l++) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        if (!nl) return NULL;
        p = nl + 1;
    }
    if (p >= e) return NULL;
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p);
    if (n && p[n - 1] == '\r') n--;
    free(last_line);
    last_line = xstrndup(p, n);
    *mapped = sf->mapped;
    return last_line;
}

/* ---- predictions: static findings at a suspect's line ---- */

/* The static rules whose finding at a blocked line predicts what a dump
 * shows: leaks, blocking channel operations, WaitGroup and lock mistakes,
 * timers that keep goroutines or memory alive. */
static const char *const predicting_rules[] = {
    "GD103", "GD104", "GD105", "GD203", "GD204", "GD302", "GD303", "GD304", "GD305", "GD306",
    "GD402", "GD403", "GD404", "GD405", "GD406", "GD501", "GD502", "GD503",
};

/* A static finding this near the blocked line (in lines) counts: rules
 * report a multi-line statement at its first line, a dump at the line of
 * the blocking call. */
#define PREDICT_SLACK 2

struct pkg_findings {
    char *dir;
    struct finding_list fl;
};
static VEC(struct pkg_findings) pkgs;

static const struct finding_list *static_findings(const char *dir)
{
    for (size_t i = 0; i < pkgs.len; i++)
        if (!strcmp(pkgs.items[i].dir, dir)) return &pkgs.items[i].fl;
    struct pkg_findings pf = {xstrdup(dir), {0}};
    bool *enabled = xcalloc(all_rules_count, sizeof(bool));
    for (size_t i = 0; i < all_rules_count; i++)
        for (size_t k = 0; k < GD_ARRAY_LEN(predicting_rules); k++)
            if (!strcmp(all_rules[i]->id, predicting_rules[k])) enabled[i] = true;
    struct check_opts co;
    check_opts_default(&co);
    co.jobs = 1;
    co.min_confidence = CONF_LOW; /* a runtime observation confirms a cautious static guess */
    co.enabled = enabled;
    struct check_stats st = {0};
    char *pattern = pf.dir;
    check_run(&co, &pattern, 1, &pf.fl, &st);
    free(enabled);
    vec_push(&pkgs, pf);
    return &pkgs.items[pkgs.len - 1].fl;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int line_dist(int a, int b) { return a > b ? a - b : b - a; }

const char *prof_display_path(const struct profile_opts *o, const struct profile_frame *fr)
{
    if (!o || !o->source_dir || !o->source_paths || !fr->file || !*fr->file) return fr->file;
    struct src_file *sf = lookup(o->source_dir, fr->file);
    return sf->mapped ? sf->mapped : fr->file;
}

bool prof_source_maps(const char *dir, const char *file)
{
    if (!dir || !file || !*file) return false;
    return lookup(dir, file)->mapped != NULL;
}

int prof_add_prediction(struct finding *f, const struct profile_opts *o, const struct profile_frame *fr)
{
    if (!o || !o->source_dir || !fr->file || !*fr->file || fr->line <= 0) return -1;
    struct src_file *sf = lookup(o->source_dir, fr->file);
    if (!sf->mapped) return -1;
    const char *slash = strrchr(sf->mapped, '/');
    char *dir = slash ? xstrndup(sf->mapped, (size_t)(slash - sf->mapped)) : xstrdup(".");
    const struct finding_list *fl = static_findings(dir);
    free(dir);
    /* every static finding of that file near the line, the nearest named in
     * the message (ties: the list's order, which is by line and rule id) */
    const struct finding *best = NULL;
    int strongest = CONF_LOW;
    for (size_t i = 0; i < fl->len; i++) {
        const struct finding *s = &fl->items[i];
        if (!s->file || strcmp(base_name(s->file), base_name(sf->mapped))) continue;
        if (line_dist(s->line, fr->line) > PREDICT_SLACK) continue;
        char *msg = xasprintf("predicted by %s %s%s: %s", s->rule_id, s->rule_name,
                              s->confidence == CONF_LOW ? " (low confidence)" : "", s->message);
        /* the static finding is in the mapped file: shown in the output's one path style */
        finding_add_related(f, o->source_paths ? s->file : fr->file, s->line, s->col, msg);
        free(msg);
        if (!best || line_dist(s->line, fr->line) < line_dist(best->line, fr->line)) best = s;
        if ((int)s->confidence < strongest) strongest = (int)s->confidence;
    }
    if (!best) return -1;
    char *m = xasprintf("%s; this leak was predicted by %s %s (%s:%d%s)", f->message ? f->message : "", best->rule_id,
                        best->rule_name, base_name(best->file), best->line,
                        best->confidence == CONF_LOW ? ", low confidence" : "");
    free(f->message);
    f->message = m;
    return strongest;
}

void prof_source_cache_free(void)
{
    for (size_t i = 0; i < pkgs.len; i++) {
        free(pkgs.items[i].dir);
        finding_list_free(&pkgs.items[i].fl);
    }
    vec_free(&pkgs);
    for (size_t i = 0; i < cache.len; i++) {
        free(cache.items[i].key);
        free(cache.items[i].mapped);
        free(cache.items[i].data);
    }
    vec_free(&cache);
    free(last_line);
    last_line = NULL;
    prof_healthy_free();
}
