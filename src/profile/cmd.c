/* profile/cmd: `godark goroutines` and `godark diff`: flags, loading, the
 * text summary, the model JSON, and findings through report_write. */
#include "profile_p.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/args.h"
#include "../config/config.h"
#include "../report/report.h"

#ifndef GODARK_VERSION
#define GODARK_VERSION "dev"
#endif

enum { EXIT_OK = 0, EXIT_FOUND = 1, EXIT_BAD = 2, EXIT_INTERNAL_ERR = 3 };

struct cmd {
    const char *name; /* "goroutines" or "diff" */
    enum report_format fmt;
    const char *out_path;
    bool no_color;
    struct profile_opts po;
    VEC(const char *) modules;
    VEC(const char *) headers;
    struct profile_load_opts lo;
    size_t top;
    const char *model_json;
    const char *inputs[2];
    int ninputs;
    bool openmetrics, top_set; /* --format openmetrics (goroutines); --top given */
    struct config cfg; /* the effective configuration (its strings back modules) */
};

enum {
    O_FORMAT = 1, O_OUTPUT, O_NO_COLOR, O_TOP, O_SOURCE, O_AT_TEST_END, O_HEADER, O_TIMEOUT, O_MAX_BYTES, O_MODEL_JSON,
};

static const char *const formats[] = {"text", "json", "sarif", "github", "openmetrics", NULL};

#define PROFILE_INPUTS                                                                                                \
    "  Inputs: ?debug=2 tracebacks, runtime.Stack, panic/SIGQUIT output, go test timeouts,\n"                         \
    "  ?debug=1 text, ?debug=0 profile.proto (gzipped), goroutineleak profiles; a file, an http(s) URL or -."
#define PROFILE_CONFIG "\n  Settings (modules, rules.GD901/GD902 options, confidence) come from the nearest .godark.yml at or\n" \
    "  above the current directory (--config FILE, --no-config); flags win over it."

/* The options goroutines and diff share, then each one's own. */
#define PROFILE_COMMON_OPTIONS                                                                                        \
    {O_FORMAT, "format", 0, ARG_ENUM, "FORMAT",                                                                       \
     "text (default), json, sarif or github; goroutines also\nopenmetrics: gauges per block site (.prom)", 0, 0,    \
     formats},                                                                                                         \
    {O_OUTPUT, "output", 'o', ARG_STR, "FILE", "write the output to FILE", 0, 0, NULL},                              \
    {O_NO_COLOR, "no-color", 0, ARG_FLAG, NULL, "no ANSI colours in text", 0, 0, NULL},                              \
    CONFIG_ARG_MODULE, CONFIG_ARG_CONFIDENCE,                                                                          \
    {O_TOP, "top", 0, ARG_INT, "N", "block sites in the text summary (10; openmetrics 20)", 0, 1000000, NULL},        \
    {O_SOURCE, "source", 0, ARG_STR, "DIR",                                                                           \
     "map frames to files under DIR, print the source line,\nname leak/lock findings of godark check near it (they\n" \
     "raise a suspect to high), and keep a fixed pool, idle range\nreceivers and timer waits at low confidence",      \
     0, 0, NULL},                                                                                                      \
    {O_HEADER, "header", 0, ARG_STR, "'K: V'", "HTTP header for URL input (repeatable)", 0, 0, NULL},                 \
    {O_TIMEOUT, "timeout", 0, ARG_DURATION, "DURATION", "URL fetch timeout: 30s, 2m, 1h or seconds (30s)", 1000,      \
     86400000, NULL},                                                                                                  \
    {O_MAX_BYTES, "max-bytes", 0, ARG_INT, "N", "cap on a downloaded or inflated profile (1 GiB)", 1,                 \
     (long long)1 << 50, NULL},                                                                                        \
    {O_MODEL_JSON, "model-json", 0, ARG_STR, "FILE", "also write every group and site as JSON to FILE", 0, 0, NULL},  \
    CONFIG_ARG_FILE, CONFIG_ARG_NONE

static const struct arg_opt goroutines_options[] = {
    PROFILE_COMMON_OPTIONS,
    CONFIG_ARG_MIN_COUNT,
    CONFIG_ARG_MIN_WAIT,
    {O_AT_TEST_END, "at-test-end", 0, ARG_FLAG, NULL,
     "the dump was taken when the tests ended: every user\ngoroutine blocked on a channel, select, lock, cond or\n"
     "WaitGroup is a suspect (automatic for go test timeouts)",
     0, 0, NULL},
    {0, NULL, 0, 0, NULL, NULL, 0, 0, NULL},
};

static const struct arg_opt diff_options[] = {
    PROFILE_COMMON_OPTIONS,
    CONFIG_ARG_MIN_GROWTH,
    {0, NULL, 0, 0, NULL, NULL, 0, 0, NULL},
};

static const struct args_cmd goroutines_cmd = {
    "goroutines", "[flags] FILE|URL|-",
    "  Summarises a goroutine dump or profile and names leak suspects (GD901, GD903).\n" PROFILE_INPUTS PROFILE_CONFIG,
    goroutines_options, "exit: 0 no suspects, 1 suspects, 2 bad usage or input, 3 internal error"};

static const struct args_cmd diff_cmd = {
    "diff", "[flags] BEFORE AFTER",
    "  Compares two goroutine dumps or profiles per block site and per stack, and names the sites that\n"
    "  grew (GD902). Stdin (-) can be one of the two inputs, not both.\n" PROFILE_INPUTS PROFILE_CONFIG,
    diff_options, "exit: 0 no growth suspects, 1 growth suspects, 2 bad usage or input, 3 internal error"};

/* Returns -1 to go on, else an exit code. */
static int parse_args(struct cmd *c, int argc, char **argv)
{
    bool diff = !strcmp(c->name, "diff");
    struct config fl;
    config_init(&fl);
    struct args a;
    args_start(&a, diff ? &diff_cmd : &goroutines_cmd, argc, argv);
    struct arg_val v;
    for (int id; (id = args_next(&a, &v)) > 0;) {
        switch (id) {
        case O_FORMAT:
            if (strcmp(v.str, "openmetrics")) report_format_parse(v.str, &c->fmt);
            else if (diff) args_fail(&a, "--format openmetrics is for goroutines, not diff");
            else c->openmetrics = true;
            break;
        case O_OUTPUT: c->out_path = v.str; break;
        case O_NO_COLOR: c->no_color = true; break;
        case O_AT_TEST_END: c->po.at_test_end = true; break;
        case O_TOP: c->top = (size_t)v.num, c->top_set = true; break;
        case O_MODEL_JSON: c->model_json = v.str; break;
        case O_TIMEOUT: c->lo.timeout_s = (long)((v.ms + 999) / 1000); break;
        case O_MAX_BYTES: c->lo.max_bytes = (size_t)v.num; break;
        case O_HEADER:
            if (!strchr(v.str, ':') || v.str[0] == ':' || strpbrk(v.str, "\r\n")) {
                args_fail(&a, "--header wants 'Name: value', got %s", v.str);
                break;
            }
            vec_push(&c->headers, v.str);
            break;
        case O_SOURCE: {
            struct stat st;
            if (stat(v.str, &st) != 0 || !S_ISDIR(st.st_mode)) {
                args_fail(&a, "--source %s: %s", v.str, access(v.str, F_OK) == 0 ? "not a directory" : strerror(errno));
                break;
            }
            c->po.source_dir = v.str;
            break;
        }
        default: config_take_flag(&fl, &a, id, &v); break;
        }
    }
    int want = diff ? 2 : 1;
    if (!a.stop && a.npos != want)
        args_fail(&a, "%s", a.npos > want ? (diff ? "takes two inputs: BEFORE AFTER" : "takes one input")
                            : want == 1 ? "needs one input: a file, a URL or - for stdin"
                                        : "needs two inputs: BEFORE AFTER");
    if (!a.stop && diff && !strcmp(a.pos[0], "-") && !strcmp(a.pos[1], "-"))
        args_fail(&a, "stdin (-) can be only one of the two inputs: save one snapshot to a file");
    int rc = -1;
    if (a.stop) {
        rc = a.rc;
    } else if (!config_resolve(&c->cfg, &fl, ".")) {
        rc = EXIT_BAD;
    } else {
        for (int i = 0; i < a.npos; i++) c->inputs[c->ninputs++] = a.pos[i];
        c->po.min_count = (size_t)c->cfg.min_count;
        c->po.min_wait = (int)c->cfg.min_wait;
        c->po.min_growth = (size_t)c->cfg.min_growth;
        c->po.min_confidence = c->cfg.confidence;
        for (size_t i = 0; i < c->cfg.modules.len; i++) vec_push(&c->modules, c->cfg.modules.items[i]);
        c->po.modules = c->modules.items;
        c->po.nmodules = c->modules.len;
        c->lo.headers = c->headers.items;
        c->lo.nheaders = c->headers.len;
    }
    args_end(&a);
    config_free(&fl);
    return rc;
}

static void cmd_free(struct cmd *c)
{
    config_free(&c->cfg);
    vec_free(&c->modules);
    vec_free(&c->headers);
    prof_source_cache_free();
}

/* ---- JSON ---- */

static void jstr(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        default:
            if (*p < 0x20 || *p == 0x7f) fprintf(out, "\\u%04x", *p);
            else fputc(*p, out);
        }
    }
    fputc('"', out);
}

static void jframe(FILE *out, const struct profile *p, uint32_t id)
{
    if (id == PROFILE_NONE) {
        fputs("null", out);
        return;
    }
    const struct profile_frame *f = &p->frames.items[id];
    fputs("{\"func\":", out);
    jstr(out, f->func);
    fputs(",\"file\":", out);
    jstr(out, f->file);
    fprintf(out, ",\"line\":%d,\"user\":%s}", f->line, f->flags & PF_USER ? "true" : "false");
}

static const char *state_name(const struct profile *p, uint32_t s) { return s == PROFILE_NONE ? "" : p->states.items[s]; }

static void state_totals(const struct profile *p, size_t *tot)
{
    memset(tot, 0, p->states.len * sizeof(*tot));
    for (size_t i = 0; i < p->groups.len; i++)
        for (size_t k = 0; k < p->groups.items[i].states.len; k++)
            tot[p->groups.items[i].states.items[k].state] += p->groups.items[i].states.items[k].count;
}

void profile_write_model_json(FILE *out, const struct profile *p)
{
    fputs("{\"source\":", out);
    jstr(out, p->name);
    fprintf(out, ",\"format\":\"%s\",\"leak_profile\":%s,\"test_timeout\":%s,\"total\":%zu,\"truncated\":%s",
            profile_format_name(p->format), p->leak_profile ? "true" : "false", p->test_timeout ? "true" : "false",
            p->total, p->truncated ? "true" : "false");
    if (p->truncated) {
        fputs(",\"truncated_reason\":", out);
        jstr(out, p->truncated_msg);
    }
    size_t *tot = xcalloc(p->states.len + 1, sizeof(size_t));
    state_totals(p, tot);
    fputs(",\"states\":{", out);
    bool first = true;
    for (size_t i = 0; i < p->states.len; i++) {
        if (!tot[i]) continue;
        if (!first) fputc(',', out);
        first = false;
        jstr(out, p->states.items[i]);
        fprintf(out, ":%zu", tot[i]);
    }
    free(tot);
    fputs("},\"sites\":[", out);
    for (size_t i = 0; i < p->sites.len; i++) {
        const struct profile_site *s = &p->sites.items[i];
        if (i) fputc(',', out);
        fputs("\n {\"site\":", out);
        jframe(out, p, s->frame);
        fprintf(out, ",\"count\":%zu,\"state\":", s->count);
        jstr(out, state_name(p, s->main_state));
        fprintf(out, ",\"permanent\":%zu,\"leak_candidate\":%zu,\"normal\":%zu,\"runtime\":%zu,\"max_wait\":%d,\"groups\":%zu",
                s->by_class[PCLASS_PERMANENT], s->by_class[PCLASS_CANDIDATE], s->by_class[PCLASS_NORMAL],
                s->by_class[PCLASS_RUNTIME], s->max_wait, s->ngroups);
        fputs(",\"user_frame\":", out);
        jframe(out, p, s->user_frame);
        fputs(",\"creator\":", out);
        jframe(out, p, s->creator);
        fputc('}', out);
    }
    fputs("],\"groups\":[", out);
    for (size_t i = 0; i < p->groups.len; i++) {
        const struct profile_group *g = &p->groups.items[i];
        if (i) fputc(',', out);
        fprintf(out, "\n {\"count\":%zu,\"state\":", g->count);
        jstr(out, state_name(p, g->main_state));
        fprintf(out, ",\"class\":\"%s\",\"min_wait\":%d,\"max_wait\":%d,\"elided\":%s,\"leaked\":%zu,\"first_goid\":%lld",
                profile_class_name(g->cls), g->min_wait, g->max_wait, g->elided ? "true" : "false", g->leaked,
                (long long)g->first_goid);
        fputs(",\"states\":{", out);
        for (size_t k = 0; k < g->states.len; k++) {
            if (k) fputc(',', out);
            jstr(out, p->states.items[g->states.items[k].state]);
            fprintf(out, ":%zu", g->states.items[k].count);
        }
        fputs("},\"labels\":{", out);
        for (size_t k = 0; k < g->labels.len; k++) {
            if (k) fputc(',', out);
            jstr(out, p->labels.items[g->labels.items[k].labels]);
            fprintf(out, ":%zu", g->labels.items[k].count);
        }
        fputs("},\"site\":", out);
        jframe(out, p, g->site);
        fputs(",\"creator\":", out);
        jframe(out, p, g->creator);
        if (g->test != PROFILE_NONE) {
            struct str t = prof_test_name(p->frames.items[g->test].func);
            fprintf(out, ",\"test\":\"%.*s\"", (int)t.n, t.p);
        }
        fputs(",\"frames\":[", out);
        for (uint32_t k = 0; k < g->nframes; k++) {
            if (k) fputc(',', out);
            jframe(out, p, g->frames[k]);
        }
        fputs("]}", out);
    }
    fputs("]}\n", out);
}

/* ---- text ---- */

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_YEL "\033[1;33m"
#define C_RED "\033[1;31m"

static void put_clean(FILE *out, const char *s)
{
    for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
        if ((*q < 0x20 && *q != '\t') || *q == 0x7f) fprintf(out, "\\x%02x", *q);
        else fputc(*q, out);
    }
}

struct sc {
    uint32_t state;
    size_t n;
};
static int cmp_sc(const void *a, const void *b)
{
    const struct sc *x = a, *y = b;
    return x->n != y->n ? (x->n > y->n ? -1 : 1) : (x->state < y->state ? -1 : 1);
}

static const char *class_color(enum profile_class c)
{
    return c == PCLASS_PERMANENT ? C_RED : c == PCLASS_CANDIDATE ? C_YEL : C_DIM;
}

static enum profile_class site_class(const struct profile_site *s)
{
    for (int c = PCLASS_PERMANENT; c > PCLASS_RUNTIME; c--)
        if (s->by_class[c]) return (enum profile_class)c;
    return PCLASS_RUNTIME;
}

static void write_summary(FILE *out, const struct profile *p, size_t top, bool color, const struct profile_opts *o)
{
    fprintf(out, "%s%s%s: %s, %zu goroutine%s, %zu distinct stack%s, %zu block site%s\n", color ? C_BOLD : "", p->name,
            color ? C_RESET : "", p->leak_profile ? "goroutineleak profile" : profile_format_name(p->format), p->total,
            p->total == 1 ? "" : "s", p->groups.len, p->groups.len == 1 ? "" : "s", p->sites.len,
            p->sites.len == 1 ? "" : "s");
    if (p->truncated) fprintf(out, "warning: the input looks truncated: %s; this is what was read\n", p->truncated_msg);
    if (p->test_timeout || o->at_test_end)
        fprintf(out, "%s: every user goroutine still blocked is a suspect\n",
                p->test_timeout ? "a go test timed out" : "taken at the end of the tests");
    size_t *tot = xcalloc(p->states.len + 1, sizeof(size_t));
    state_totals(p, tot);
    struct sc *sv = xmalloc((p->states.len + 1) * sizeof(*sv));
    size_t ns = 0;
    for (size_t i = 0; i < p->states.len; i++)
        if (tot[i]) sv[ns].state = (uint32_t)i, sv[ns].n = tot[i], ns++;
    qsort(sv, ns, sizeof(*sv), cmp_sc);
    fputs("by state:", out);
    for (size_t i = 0; i < ns; i++) {
        fprintf(out, "%s %zu ", i ? "," : "", sv[i].n);
        put_clean(out, p->states.items[sv[i].state]);
    }
    fputc('\n', out);
    free(sv);
    free(tot);
    size_t cls[4] = {0};
    for (size_t i = 0; i < p->sites.len; i++)
        for (int c = 0; c < 4; c++) cls[c] += p->sites.items[i].by_class[c];
    fprintf(out, "by class: %zu permanent, %zu leak-candidate, %zu normal, %zu runtime\n", cls[PCLASS_PERMANENT],
            cls[PCLASS_CANDIDATE], cls[PCLASS_NORMAL], cls[PCLASS_RUNTIME]);
    size_t shown = p->sites.len < top ? p->sites.len : top;
    if (shown) fprintf(out, "top block sites:\n  %7s  %-22s %-8s %s\n", "COUNT", "STATE", "LONGEST", "SITE");
    for (size_t i = 0; i < shown; i++) {
        const struct profile_site *s = &p->sites.items[i];
        char wait[32] = "-";
        if (s->max_wait >= 1) snprintf(wait, sizeof(wait), "%d min", s->max_wait);
        else if (s->max_wait == 0) snprintf(wait, sizeof(wait), "<1 min");
        enum profile_class c = site_class(s);
        fprintf(out, "  %7zu  %s", s->count, color ? class_color(c) : "");
        char st[64];
        snprintf(st, sizeof(st), "%s", state_name(p, s->main_state));
        fprintf(out, "%-22s%s %-8s ", st, color ? C_RESET : "", wait);
        if (s->frame == PROFILE_NONE) {
            fputs("(runtime only)\n", out);
            continue;
        }
        const struct profile_frame *f = &p->frames.items[s->frame];
        put_clean(out, f->func);
        fputs("  ", out);
        put_clean(out, prof_display_path(o, f));
        fprintf(out, ":%d\n", f->line);
    }
    if (p->sites.len > shown) fprintf(out, "  ... %zu more site%s (--top N)\n", p->sites.len - shown,
                                      p->sites.len - shown == 1 ? "" : "s");
}

static bool use_color(const struct cmd *c, FILE *out)
{
    if (!args_color_allowed(c->no_color)) return false;
    return c->fmt == FMT_TEXT && out == stdout && isatty(fileno(stdout));
}

static FILE *open_out(const struct cmd *c)
{
    if (!c->out_path || !strcmp(c->out_path, "-")) return stdout;
    FILE *f = fopen(c->out_path, "w");
    if (!f) fprintf(stderr, "godark: %s: %s\n", c->out_path, strerror(errno));
    return f;
}

static bool write_model(const struct cmd *c, const struct profile *p, const struct profile *p2,
                        const struct profile_diff *d)
{
    if (!c->model_json) return true;
    FILE *f = fopen(c->model_json, "w");
    if (!f) {
        fprintf(stderr, "godark: %s: %s\n", c->model_json, strerror(errno));
        return false;
    }
    if (!p2) {
        profile_write_model_json(f, p);
    } else {
        fputs("{\"before\":", f);
        profile_write_model_json(f, p);
        fputs(",\"after\":", f);
        profile_write_model_json(f, p2);
        fputs(",\"sites\":[", f);
        for (size_t i = 0; i < d->sites.len; i++) {
            const struct profile_diff_row *r = &d->sites.items[i];
            if (i) fputc(',', f);
            fputs("\n {\"site\":", f);
            if (r->frame) {
                fputs("{\"func\":", f);
                jstr(f, r->frame->func);
                fputs(",\"file\":", f);
                jstr(f, r->frame->file);
                fprintf(f, ",\"line\":%d}", r->frame->line);
            } else {
                fputs("null", f);
            }
            fprintf(f, ",\"before\":%ld,\"after\":%ld,\"growth\":%ld,\"class\":\"%s\"}", r->before, r->after,
                    r->after - r->before, profile_class_name(r->cls));
        }
        size_t nnew = 0, ngone = 0;
        for (size_t i = 0; i < d->stacks.len; i++) {
            if (!d->stacks.items[i].gb) nnew++;
            if (!d->stacks.items[i].ga) ngone++;
        }
        fprintf(f, "],\"new_stacks\":%zu,\"vanished_stacks\":%zu}\n", nnew, ngone);
    }
    bool ok = fclose(f) == 0;
    if (!ok) fprintf(stderr, "godark: %s: write error\n", c->model_json);
    return ok;
}

static bool load(const struct cmd *c, struct profile *p, const char *src)
{
    struct profile_diag d = {{0}};
    if (!profile_load(p, src, &c->lo, &d)) {
        fprintf(stderr, "godark: %s: %s\n", src, d.msg[0] ? d.msg : "cannot read the input");
        return false;
    }
    if (p->truncated) fprintf(stderr, "godark: %s: warning: truncated input: %s; reporting what was read\n", src,
                              p->truncated_msg ? p->truncated_msg : "");
    profile_analyze(p, &c->po);
    return true;
}

/* --source: one path style per output. The program's files are shown under
 * DIR when every suspect's location and user-code creator maps there, else
 * all as in the dump (the source lines are still printed where found). A
 * tree where no frame of the user's code maps is worth a line on stderr. */
static void choose_paths(struct cmd *c, const struct profile *p)
{
    c->po.source_paths = false;
    const char *dir = c->po.source_dir;
    if (!dir) return;
    size_t user = 0, user_mapped = 0;
    for (size_t i = 0; i < p->frames.len; i++) {
        const struct profile_frame *f = &p->frames.items[i];
        if (!(f->flags & PF_USER)) continue;
        user++;
        if (prof_source_maps(dir, f->file)) user_mapped++;
    }
    if (!user_mapped) {
        fprintf(stderr, "godark: %s: --source %s: no frame of %s is a file under it%s\n", c->name, dir, p->name,
                user ? "" : " (the dump shows no user code)");
        return;
    }
    /* the distinct files of the suspects' locations and their creators */
    VEC(const char *) files = {0};
    size_t unmapped = 0;
    const char *first = NULL;
    for (size_t i = 0; i < p->sites.len; i++) {
        const struct profile_site *s = &p->sites.items[i];
        if (!s->by_class[PCLASS_PERMANENT] && !s->by_class[PCLASS_CANDIDATE]) continue;
        uint32_t loc = s->frame != PROFILE_NONE && (p->frames.items[s->frame].flags & PF_USER) ? s->frame : s->user_frame;
        uint32_t ids[2] = {loc, s->creator};
        for (int k = 0; k < 2; k++) {
            if (ids[k] == PROFILE_NONE || !(p->frames.items[ids[k]].flags & PF_USER)) continue;
            const char *file = p->frames.items[ids[k]].file;
            size_t j = 0;
            while (j < files.len && strcmp(files.items[j], file)) j++;
            if (j < files.len) continue;
            vec_push(&files, file);
            if (!prof_source_maps(dir, file)) {
                unmapped++;
                if (!first) first = file;
            }
        }
    }
    if (unmapped)
        fprintf(stderr, "godark: %s: --source %s: %zu of %zu user-code files are not under it (%s%s); paths are shown as in the dump\n",
                c->name, dir, unmapped, files.len, first, unmapped > 1 ? ", ..." : "");
    vec_free(&files);
    c->po.source_paths = unmapped == 0;
}

static int finish(const struct cmd *c, FILE *out, struct finding_list *fl)
{
    int rc = fl->len ? EXIT_FOUND : EXIT_OK;
    if (out != stdout && fclose(out) != 0) {
        fprintf(stderr, "godark: %s: write error\n", c->out_path);
        rc = EXIT_BAD;
    } else if (out == stdout && fflush(stdout) != 0) {
        rc = EXIT_BAD;
    }
    finding_list_free(fl);
    return rc;
}

static void init_cmd(struct cmd *c, const char *name)
{
    memset(c, 0, sizeof(*c));
    c->name = name;
    c->fmt = FMT_TEXT;
    profile_opts_default(&c->po);
    c->top = 10;
    c->lo.timeout_s = 30;
}

int profile_cmd_goroutines(int argc, char **argv)
{
    struct cmd c;
    init_cmd(&c, "goroutines");
    int rc = parse_args(&c, argc, argv);
    if (rc >= 0) {
        cmd_free(&c);
        return rc;
    }
    struct profile p;
    profile_init(&p);
    if (!load(&c, &p, c.inputs[0])) {
        profile_free(&p);
        cmd_free(&c);
        return EXIT_BAD;
    }
    choose_paths(&c, &p);
    struct finding_list fl = {0};
    profile_suspects(&p, &c.po, &fl);
    if (!write_model(&c, &p, NULL, NULL)) {
        finding_list_free(&fl);
        profile_free(&p);
        cmd_free(&c);
        return EXIT_BAD;
    }
    FILE *out = open_out(&c);
    if (!out) {
        finding_list_free(&fl);
        profile_free(&p);
        cmd_free(&c);
        return EXIT_BAD;
    }
    bool color = use_color(&c, out);
    struct report_opts ro = {c.fmt, color, "godark", GODARK_VERSION, "goroutines", NULL, getenv("GODARK_DOCS_URL")};
    if (c.openmetrics) { /* the gauges instead of the findings */
        bool ok = profile_write_openmetrics(out, &p, &c.po, &fl, c.top_set ? c.top : 20);
        rc = ok ? finish(&c, out, &fl) : (finish(&c, out, &fl), EXIT_BAD);
        profile_free(&p);
        cmd_free(&c);
        return rc;
    }
    if (c.fmt == FMT_TEXT) {
        write_summary(out, &p, c.top, color, &c.po);
        if (fl.len) fprintf(out, "%sleak suspects: %zu%s\n", color ? C_BOLD : "", fl.len, color ? C_RESET : "");
        else fputs("no leak suspects\n", out);
    }
    report_write(out, &fl, &ro);
    rc = finish(&c, out, &fl);
    profile_free(&p);
    cmd_free(&c);
    return rc;
}

int profile_cmd_diff(int argc, char **argv)
{
    struct cmd c;
    init_cmd(&c, "diff");
    int rc = parse_args(&c, argc, argv);
    if (rc >= 0) {
        cmd_free(&c);
        return rc;
    }
    struct profile a, b;
    profile_init(&a);
    profile_init(&b);
    if (!load(&c, &a, c.inputs[0]) || !load(&c, &b, c.inputs[1])) {
        profile_free(&a);
        profile_free(&b);
        cmd_free(&c);
        return EXIT_BAD;
    }
    choose_paths(&c, &b);
    struct profile_diff d;
    profile_diff_compute(&a, &b, &d);
    struct finding_list fl = {0};
    profile_diff_suspects(&a, &b, &d, &c.po, &fl);
    FILE *out = NULL;
    if (!write_model(&c, &a, &b, &d) || !(out = open_out(&c))) {
        rc = EXIT_BAD;
        finding_list_free(&fl);
        goto done;
    }
    bool color = use_color(&c, out);
    if (c.fmt == FMT_TEXT) {
        long delta = (long)b.total - (long)a.total;
        fprintf(out, "%s%s%s -> %s%s%s: %zu -> %zu goroutines (%+ld)\n", color ? C_BOLD : "", a.name,
                color ? C_RESET : "", color ? C_BOLD : "", b.name, color ? C_RESET : "", a.total, b.total, delta);
        size_t shown = 0;
        fprintf(out, "block sites by growth:\n  %7s %7s %7s  %-22s %s\n", "BEFORE", "AFTER", "GROWTH", "STATE", "SITE");
        for (size_t i = 0; i < d.sites.len && shown < c.top; i++) {
            const struct profile_diff_row *r = &d.sites.items[i];
            if (r->after == r->before) continue;
            shown++;
            char st[64];
            snprintf(st, sizeof(st), "%s", state_name(r->state_prof, r->state));
            fprintf(out, "  %7ld %7ld %+7ld  %s%-22s%s ", r->before, r->after, r->after - r->before,
                    color ? class_color(r->cls) : "", st, color ? C_RESET : "");
            if (r->frame) {
                put_clean(out, r->frame->func);
                fputs("  ", out);
                put_clean(out, r->frame->file);
                fprintf(out, ":%d\n", r->frame->line);
            } else {
                fputs("(runtime only)\n", out);
            }
        }
        if (!shown) fputs("  (no site changed)\n", out);
        size_t nnew = 0, ngone = 0;
        long gnew = 0, ggone = 0;
        for (size_t i = 0; i < d.stacks.len; i++) {
            if (!d.stacks.items[i].gb) nnew++, gnew += d.stacks.items[i].after;
            if (!d.stacks.items[i].ga) ngone++, ggone += d.stacks.items[i].before;
        }
        fprintf(out, "stacks: %zu new (%ld goroutines), %zu vanished (%ld goroutines)\n", nnew, gnew, ngone, ggone);
        if (fl.len) fprintf(out, "%sgrowth suspects: %zu%s\n", color ? C_BOLD : "", fl.len, color ? C_RESET : "");
        else fputs("no growth suspects\n", out);
    }
    struct report_opts ro = {c.fmt, color, "godark", GODARK_VERSION, "diff", NULL, getenv("GODARK_DOCS_URL")};
    report_write(out, &fl, &ro);
    rc = finish(&c, out, &fl);
done:
    profile_diff_free(&d);
    profile_free(&a);
    profile_free(&b);
    cmd_free(&c);
    return rc;
}
