/* base/args: getopt_long driven by a per-command option table, with typed
 * values checked alike for every command and the help built from the table. */
#include "args.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <strings.h>

/* getopt_long's val for a long option: LONG_BASE + index in the table;
 * NEG_BASE + index for the --no-x form of a boolean. Above any char. */
enum { LONG_BASE = 1 << 12, NEG_BASE = 2 << 12, HELP_VAL = 3 << 12 };

static size_t count_opts(const struct arg_opt *o)
{
    size_t n = 0;
    while (o && o[n].id) n++;
    return n;
}

void args_start(struct args *a, const struct args_cmd *cmd, int argc, char **argv)
{
    memset(a, 0, sizeof(*a));
    a->cmd = cmd;
    a->argc = argc;
    a->argv = argv;
    size_t n = count_opts(cmd->opts);
    struct option *lo = xcalloc(2 * n + 2, sizeof(*lo));
    size_t k = 0, s = 0;
    a->shortopts[s++] = ':'; /* a missing value is ':', not '?' */
    for (size_t i = 0; i < n; i++) {
        const struct arg_opt *o = &cmd->opts[i];
        int has = o->kind == ARG_FLAG ? no_argument : o->kind == ARG_BOOL ? optional_argument : required_argument;
        lo[k++] = (struct option){o->name, has, NULL, LONG_BASE + (int)i};
        if (o->kind == ARG_BOOL) {
            /* "no-tests", freed by args_end */
            lo[k++] = (struct option){xasprintf("no-%s", o->name), no_argument, NULL, NEG_BASE + (int)i};
        }
        if (o->short_name && s + 3 < sizeof(a->shortopts)) {
            a->shortopts[s++] = o->short_name;
            if (has == required_argument) a->shortopts[s++] = ':';
        }
    }
    lo[k++] = (struct option){"help", no_argument, NULL, HELP_VAL};
    a->shortopts[s++] = 'h';
    a->shortopts[s] = 0;
    a->longopts = lo;
    optind = 0; /* full re-initialisation of GNU getopt */
    opterr = 0;
}

void args_end(struct args *a)
{
    struct option *lo = a->longopts;
    for (size_t i = 0; lo && lo[i].name; i++)
        if (lo[i].val >= NEG_BASE && lo[i].val < HELP_VAL) free((char *)lo[i].name);
    free(a->longopts);
    a->longopts = NULL;
}

bool args_fail(struct args *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "godark: %s: ", a->cmd->name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    a->stop = true;
    a->rc = 2;
    return false;
}

bool args_parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"}, *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < GD_ARRAY_LEN(yes); i++) {
        if (!strcasecmp(s, yes[i])) return *out = true, true;
        if (!strcasecmp(s, no[i])) return *out = false, true;
    }
    return false;
}

bool args_parse_duration(const char *s, int64_t *ms)
{
    char *e;
    errno = 0;
    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ') return false;
    double v = strtod(s, &e);
    if (errno || e == s || !(v >= 0)) return false;
    double mul;
    if (!*e || !strcmp(e, "s")) mul = 1000;
    else if (!strcmp(e, "ms")) mul = 1;
    else if (!strcmp(e, "m")) mul = 60000;
    else if (!strcmp(e, "h")) mul = 3600000;
    else return false;
    double r = v * mul;
    if (!(r >= 1) || r > 366.0 * 86400000) return false;
    *ms = (int64_t)(r + 0.5);
    return true;
}

void args_format_duration(int64_t ms, char *out, size_t n)
{
    if (ms % 3600000 == 0) snprintf(out, n, "%lldh", (long long)(ms / 3600000));
    else if (ms % 60000 == 0) snprintf(out, n, "%lldm", (long long)(ms / 60000));
    else if (ms % 1000 == 0) snprintf(out, n, "%llds", (long long)(ms / 1000));
    else snprintf(out, n, "%lldms", (long long)ms);
}

bool args_color_allowed(bool no_color_flag)
{
    const char *e = getenv("NO_COLOR");
    return !no_color_flag && !(e && *e);
}

/* "a, b or c" */
static void choices_text(const char *const *c, char *out, size_t n)
{
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; c[i] && len < n; i++)
        len += (size_t)snprintf(out + len, n - len, "%s%s", i == 0 ? "" : c[i + 1] ? ", " : " or ", c[i]);
}

/* Checks and converts a value; false after the error message. */
static bool typed(struct args *a, const struct arg_opt *o, const char *s, struct arg_val *v)
{
    v->str = s;
    switch (o->kind) {
    case ARG_FLAG: return true;
    case ARG_BOOL:
        if (!s) return v->on = true, true;
        if (!args_parse_bool(s, &v->on))
            return args_fail(a, "--%s wants true or false (or --no-%s), got %s", o->name, o->name, s);
        return true;
    case ARG_STR:
        if (!*s) return args_fail(a, "--%s wants a value, got an empty string", o->name);
        return true;
    case ARG_INT: {
        char *e;
        errno = 0;
        long long n = strtoll(s, &e, 10);
        if (errno || e == s || *e || *s == ' ' || n < o->min || n > o->max)
            return args_fail(a, "--%s wants a number from %lld to %lld, got %s", o->name, o->min, o->max, s);
        v->num = n;
        return true;
    }
    case ARG_DURATION: {
        int64_t ms;
        char lo[32], hi[32];
        args_format_duration(o->min, lo, sizeof(lo));
        args_format_duration(o->max, hi, sizeof(hi));
        if (!args_parse_duration(s, &ms) || ms < o->min || ms > o->max)
            return args_fail(a, "--%s wants a duration like 500ms, 10s or 1m, from %s to %s, got %s", o->name, lo, hi,
                             s);
        v->ms = ms;
        return true;
    }
    case ARG_ENUM:
        for (int i = 0; o->choices[i]; i++)
            if (!strcmp(o->choices[i], s)) return v->choice = i, true;
        char c[256];
        choices_text(o->choices, c, sizeof(c));
        return args_fail(a, "--%s wants %s, got %s", o->name, c, s);
    }
    return true;
}

static const struct arg_opt *opt_by_val(const struct args *a, int val)
{
    const struct arg_opt *t = a->cmd->opts;
    if (val >= NEG_BASE && val < HELP_VAL) return &t[val - NEG_BASE];
    if (val >= LONG_BASE && val < NEG_BASE) return &t[val - LONG_BASE];
    for (size_t i = 0; t && t[i].id; i++)
        if (t[i].short_name == val) return &t[i];
    return NULL;
}

int args_next(struct args *a, struct arg_val *v)
{
    if (a->stop) return 0;
    memset(v, 0, sizeof(*v));
    int c = getopt_long(a->argc, a->argv, a->shortopts, a->longopts, NULL);
    if (c == -1) {
        a->pos = a->argv + optind;
        a->npos = a->argc - optind;
        return 0;
    }
    const char *arg = optind > 0 && optind <= a->argc ? a->argv[optind - 1] : "?";
    if (c == 'h' || c == HELP_VAL) {
        args_usage(stdout, a->cmd);
        a->stop = true;
        a->rc = 0;
        return 0;
    }
    if (c == ':') {
        const struct arg_opt *o = opt_by_val(a, optopt);
        if (o) return args_fail(a, "flag %s%s needs a value", o->short_name == optopt ? "-" : "--",
                                o->short_name == optopt ? (char[2]){o->short_name, 0} : o->name), 0;
        return args_fail(a, "flag %s needs a value", arg), 0;
    }
    if (c == '?') {
        const struct arg_opt *o = optopt ? opt_by_val(a, optopt) : NULL;
        if (o && optopt >= LONG_BASE) return args_fail(a, "flag --%s takes no value, got %s", o->name, arg), 0;
        if (optopt == HELP_VAL) return args_fail(a, "flag --help takes no value"), 0;
        if (optopt && optopt < LONG_BASE) return args_fail(a, "unknown flag -%c (see godark %s --help)", optopt, a->cmd->name), 0;
        return args_fail(a, "unknown flag %s (see godark %s --help)", arg, a->cmd->name), 0;
    }
    const struct arg_opt *o = opt_by_val(a, c);
    if (!o) return args_fail(a, "unknown flag %s (see godark %s --help)", arg, a->cmd->name), 0;
    if (c >= NEG_BASE) {
        v->on = false;
        return o->id;
    }
    if (o->kind == ARG_BOOL && !optarg && optind < a->argc) {
        /* `--tests false` would take "false" as a path: say how to write it */
        const char *next = a->argv[optind];
        bool b = !strcmp(next, "true");
        if (b || !strcmp(next, "false")) {
            if (b) return args_fail(a, "--%s is a boolean flag: write --%s or --%s=true", o->name, o->name, o->name), 0;
            return args_fail(a, "--%s is a boolean flag: write --%s=false or --no-%s", o->name, o->name, o->name), 0;
        }
    }
    if (!typed(a, o, optarg, v)) return 0;
    return o->id;
}

/* ---- help ---- */

void args_usage(FILE *out, const struct args_cmd *cmd)
{
    fprintf(out, "usage: godark %s %s\n", cmd->name, cmd->synopsis);
    if (cmd->about) fprintf(out, "%s\n", cmd->about);
    size_t n = count_opts(cmd->opts);
    fputs("flags:\n", out);
    for (size_t i = 0; i <= n; i++) {
        char left[128];
        const char *help;
        if (i == n) {
            snprintf(left, sizeof(left), "  -h, --help");
            help = "this help";
        } else {
            const struct arg_opt *o = &cmd->opts[i];
            char sh[8] = "    ";
            if (o->short_name) snprintf(sh, sizeof(sh), "-%c, ", o->short_name);
            const char *mv = o->metavar ? o->metavar : "VALUE";
            if (o->kind == ARG_FLAG) snprintf(left, sizeof(left), "  %s--%s", sh, o->name);
            else if (o->kind == ARG_BOOL) snprintf(left, sizeof(left), "  %s--%s[=false], --no-%s", sh, o->name, o->name);
            else snprintf(left, sizeof(left), "  %s--%s %s", sh, o->name, mv);
            help = o->help ? o->help : "";
        }
        const int w = 36;
        if ((int)strlen(left) >= w) fprintf(out, "%s\n%*s", left, w, "");
        else fprintf(out, "%-*s", w, left);
        for (const char *p = help; *p;) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            fprintf(out, "%.*s\n", (int)len, p);
            if (!nl) break;
            p = nl + 1;
            fprintf(out, "%*s", w, "");
        }
        if (!*help) fputc('\n', out);
    }
    if (cmd->footer) fprintf(out, "%s\n", cmd->footer);
}
