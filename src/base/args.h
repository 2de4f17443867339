/* base/args: the one command-line parser (getopt_long) every sub-command
 * uses: a table of options per command, typed values checked the same way
 * everywhere (ranges, durations, enums, booleans), and help from the table.
 *
 * A command declares `static const struct arg_opt opts[]` (ended by an
 * entry with id 0) and a `struct args_cmd`, then loops:
 *
 *     struct args a;
 *     args_start(&a, &cmd, argc, argv);
 *     struct arg_val v;
 *     for (int id; (id = args_next(&a, &v)) > 0;)
 *         switch (id) { case O_JOBS: o.jobs = (int)v.num; break; ... }
 *     if (a.stop) return a.rc;          // --help (0) or an error (2), printed
 *     ... a.pos[0 .. a.npos-1] are the positional arguments ...
 *
 * Accepted: `--flag=value`, `--flag value`, `-j2`, `-j 2`, flags and
 * arguments in any order, `--` before arguments that start with `-`, `-h`
 * and `--help`. A boolean flag (ARG_BOOL) is `--tests`, `--tests=false`,
 * `--tests=true` or `--no-tests`. */
#ifndef GODARK_ARGS_H
#define GODARK_ARGS_H

#include <stdio.h>

#include "base.h"

enum arg_kind {
    ARG_FLAG,     /* no value */
    ARG_BOOL,     /* --x, --x=true|false, --no-x: v.on */
    ARG_STR,      /* a non-empty string: v.str */
    ARG_INT,      /* a decimal integer in [min, max]: v.num */
    ARG_DURATION, /* 500ms, 10s, 1m, 2h, or bare seconds, in [min, max] milliseconds: v.ms */
    ARG_ENUM,     /* one of choices: v.choice (its index) and v.str */
};

struct arg_opt {
    int id;           /* > 0, returned by args_next; 0 ends the table */
    const char *name; /* long name without "--" */
    char short_name;  /* 'o' for -o, or 0 */
    enum arg_kind kind;
    const char *metavar; /* shown in the help: FILE, N, DURATION */
    const char *help;    /* one line; "\n" starts a continuation line */
    long long min, max;  /* ARG_INT, ARG_DURATION (ms) */
    const char *const *choices; /* ARG_ENUM: NULL-terminated */
};

struct args_cmd {
    const char *name;     /* "check": messages say "godark: check: ..." */
    const char *synopsis; /* after "usage: godark NAME ": "[flags] FILE|URL|-" */
    const char *about;    /* what the command does, a few lines */
    const struct arg_opt *opts;
    const char *footer;   /* after the flags: exit status, notes */
};

struct arg_val {
    const char *str; /* the value as written (NULL for ARG_FLAG) */
    long long num;
    int64_t ms;
    int choice;
    bool on;
};

struct args {
    const struct args_cmd *cmd;
    int argc;
    char **argv;
    void *longopts; /* struct option[], malloc'd */
    char shortopts[80];
    bool stop; /* args_next returned 0 because of --help or an error */
    int rc;    /* when stop: 0 after --help, 2 after an error (printed) */
    char **pos; /* positional arguments, pointing into argv */
    int npos;
};

void args_start(struct args *a, const struct args_cmd *cmd, int argc, char **argv);
/* The next option's id with its value in *v, or 0 when done (positional
 * arguments in a->pos) or stopped (a->stop; a->rc is the exit code). */
int args_next(struct args *a, struct arg_val *v);
/* Frees what args_start allocated; a->pos stays valid (it points into argv). */
void args_end(struct args *a);
/* Prints "godark: CMD: <message>", sets a->stop and a->rc = 2; returns false. */
bool args_fail(struct args *a, const char *fmt, ...) GD_PRINTF(2, 3);
/* The command's help: usage line, about, the flags table, the footer. */
void args_usage(FILE *out, const struct args_cmd *cmd);

/* Colour is allowed: no --no-color flag and NO_COLOR unset or empty
 * (https://no-color.org). The caller still checks for a terminal. */
bool args_color_allowed(bool no_color_flag);
/* "500ms", "10s", "1.5m", "2h", or a bare number of seconds, to
 * milliseconds; at least 1 ms, at most 366 days. */
bool args_parse_duration(const char *s, int64_t *ms);
/* A duration in milliseconds as the shortest of "500ms", "10s", "5m", "24h". */
void args_format_duration(int64_t ms, char *out, size_t n);
/* true, false, yes, no, on, off, 1, 0. */
bool args_parse_bool(const char *s, bool *out);

#endif
