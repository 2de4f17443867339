/* main: argument parsing, sub-command dispatch and exit codes. Only main()
 * decides the exit status: 0 clean, 1 findings, 2 usage or input, 3 internal.
 * Every command parses its flags with base/args (one option table each) and
 * reads its settings through config/ (.godark.yml, then the flags). */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/args.h"
#include "check/baseline.h"
#include "check/cache.h"
#include "check/check.h"
#include "config/config.h"
#include "fix/fix.h"
#include "profile/profile.h"
#include "report/paths.h"
#include "report/report.h"
#include "rules/docs.h"
#include "rules/rule.h"
#include "syntax/parse.h"
#include "model/callees.h"
#include "model/cfg.h"
#include "model/summary.h"
#include "model/chan.h"
#include "model/objects.h"
#include "watch/watch.h"

#ifndef GODARK_VERSION
#define GODARK_VERSION "dev"
#endif

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

static void usage(FILE *out)
{
    fprintf(out,
            "godark finds Go concurrency dark patterns, in source and in goroutine dumps.\n"
            "\n"
            "usage:\n"
            "  godark check [flags] [PATH|DIR|DIR/...]...   static analysis (default ./...)\n"
            "  godark goroutines [flags] FILE|URL|-          leak suspects in one goroutine dump or profile\n"
            "  godark diff [flags] BEFORE AFTER              what grew between two snapshots\n"
            "  godark watch [flags] URL                      poll a goroutine endpoint, record samples, report growth\n"
            "  godark report [flags] FILE.jsonl              the summary of a watch samples file\n"
            "  godark rules                                  the rule table\n"
            "  godark explain ID|NAME                        one rule's documentation\n"
            "  godark cache dir|clean                        where check's result cache is; empty it\n"
            "  godark config [flags] [PATH]                  the effective configuration and where each value\n"
            "                                                comes from (default, .godark.yml:LINE, flag)\n"
            "  godark version\n"
            "\n"
            "`godark COMMAND --help` (or `godark help COMMAND`) lists a command's flags.\n"
            "Settings are read from the nearest .godark.yml (see README.md, Configuration); flags win.\n"
            "NO_COLOR set to anything turns colour off, like --no-color.\n"
            "\n"
            "exit status: 0 no findings, 1 findings, 2 usage or input error, 3 internal error\n");
}

/* ---- check ---- */

enum {
    O_FORMAT = 1, O_OUTPUT, O_NO_COLOR, O_JOBS, O_TESTS, O_GENERATED, O_STRICT_IGNORES, O_STATS, O_NO_CACHE,
    O_WRITE_BASELINE, O_BASELINE, O_NEW_FROM_REV, O_PATH_PREFIX, O_CACHE_DIR, O_STDIN_FILENAME, O_GOOS, O_GOARCH,
    O_TAGS, O_FIX, O_DIFF, O_DOCS_URL,
};

static const char *const check_formats[] = {"text", "json", "sarif", "github", "checkstyle", "junit", NULL};

static const struct arg_opt check_options[] = {
    {O_FORMAT, "format", 'f', ARG_ENUM, "FORMAT", "text (default), json, sarif, github, checkstyle, junit", 0, 0,
     check_formats},
    {O_OUTPUT, "output", 'o', ARG_STR, "FILE", "write the report to FILE (whole or not at all)", 0, 0, NULL},
    {O_NO_COLOR, "no-color", 0, ARG_FLAG, NULL, "no ANSI colour (colour is used only on a terminal)", 0, 0, NULL},
    {O_JOBS, "jobs", 'j', ARG_INT, "N", "worker threads, 1 to 1024 (default: online cores)", 1, 1024, NULL},
    {O_TESTS, "tests", 0, ARG_BOOL, NULL, "include _test.go files (default: yes)", 0, 0, NULL},
    {O_GENERATED, "generated", 0, ARG_FLAG, NULL, "also report in generated files", 0, 0, NULL},
    CONFIG_ARG_ENABLE,
    CONFIG_ARG_DISABLE,
    CONFIG_ARG_CONFIDENCE,
    CONFIG_ARG_MAX_CHAN_BUFFER,
    CONFIG_ARG_GO,
    CONFIG_ARG_EXCLUDE,
    {O_STRICT_IGNORES, "strict-ignores", 0, ARG_FLAG, NULL, "report //godark:ignore without a reason", 0, 0, NULL},
    {O_STATS, "stats", 0, ARG_FLAG, NULL, "print files, lines and packages checked to stderr", 0, 0, NULL},
    {O_NO_CACHE, "no-cache", 0, ARG_FLAG, NULL, "neither read nor write the result cache", 0, 0, NULL},
    {O_WRITE_BASELINE, "write-baseline", 0, ARG_STR, "FILE", "write the findings to FILE (accepted as they are), report none",
     0, 0, NULL},
    {O_BASELINE, "baseline", 0, ARG_STR, "FILE",
     "hide the findings FILE lists (matched by rule, file and the\ncode of the line, so they survive line shifts)", 0, 0,
     NULL},
    {O_NEW_FROM_REV, "new-from-rev", 0, ARG_STR, "REV", "report only findings on lines changed since git REV", 0, 0, NULL},
    {O_PATH_PREFIX, "path-prefix", 0, ARG_STR, "DIR",
     "SARIF and github paths relative to DIR (default: the\ngit repository root, else the current directory)", 0, 0, NULL},
    {O_DOCS_URL, "docs-url", 0, ARG_STR, "URL",
     "SARIF: each rule's helpUri is URL/<ID>-<name>.md, the\npublished docs/rules/ pages (default $GODARK_DOCS_URL)", 0, 0, NULL},
    {O_STDIN_FILENAME, "stdin-filename", 0, ARG_STR, "PATH",
     "with `-` as the input: the Go file on stdin is PATH (editors)", 0, 0, NULL},
    {O_GOOS, "goos", 0, ARG_STR, "OS", "the build variant analysed (default $GOOS, else the host's)", 0, 0, NULL},
    {O_GOARCH, "goarch", 0, ARG_STR, "ARCH", "the build variant analysed (default $GOARCH, else the host's)", 0, 0,
     NULL},
    {O_TAGS, "tags", 0, ARG_STR, "TAG,...", "extra build tags, as go build -tags", 0, 0, NULL},
    {O_FIX, "fix", 0, ARG_FLAG, NULL, "apply the safe fixes of the findings, report what remains", 0, 0, NULL},
    {O_DIFF, "diff", 0, ARG_FLAG, NULL, "print the safe fixes as a unified diff instead of a report", 0, 0, NULL},
    {O_CACHE_DIR, "cache-dir", 0, ARG_STR, "DIR",
     "result cache directory (default $GODARK_CACHE, else\n$XDG_CACHE_HOME/godark, else ~/.cache/godark;\n"
     "GODARK_CACHE=off turns the cache off)",
     0, 0, NULL},
    CONFIG_ARG_FILE,
    CONFIG_ARG_NONE,
    {0, NULL, 0, 0, NULL, NULL, 0, 0, NULL},
};

static const struct args_cmd check_cmd = {
    "check", "[flags] [PATH|DIR|DIR/...]...",
    "  Static analysis of Go packages (default ./...). Settings come from the nearest .godark.yml at\n"
    "  or above the first path (--config FILE, --no-config); flags win over it.",
    check_options, "exit status: 0 no findings, 1 findings, 2 usage or input error, 3 internal error"};

/* check's input: the patterns, or with `-` the text on stdin as the file
 * stdin_name (an editor's unsaved buffer). False after a one-line error. */
static bool run_check(const struct check_opts *o, char **pats, int npats, const char *stdin_name,
                      struct finding_list *l, struct check_stats *st)
{
    bool dash = false;
    for (int i = 0; i < npats; i++) dash |= !strcmp(pats[i], "-");
    if (!dash) {
        if (stdin_name) {
            fprintf(stderr, "godark: --stdin-filename needs `-` as the input (godark check --stdin-filename F -)\n");
            return false;
        }
        return check_run(o, pats, npats, l, st);
    }
    if (npats != 1 || !stdin_name) {
        fprintf(stderr, "godark: check - reads one Go file from stdin and needs --stdin-filename PATH (its name "
                        "in the package)\n");
        return false;
    }
    size_t len = strlen(stdin_name);
    if (len < 3 || strcmp(stdin_name + len - 3, ".go")) {
        fprintf(stderr, "godark: --stdin-filename %s: not a Go file\n", stdin_name);
        return false;
    }
    struct buf in = {0};
    char chunk[65536];
    size_t n;
    buf_puts(&in, "");
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
        if (in.len + n > (size_t)256 << 20) {
            fprintf(stderr, "godark: stdin: more than 256 MiB: not a Go file\n");
            buf_free(&in);
            return false;
        }
        buf_append(&in, chunk, n);
    }
    if (ferror(stdin)) {
        fprintf(stderr, "godark: stdin: read error\n");
        buf_free(&in);
        return false;
    }
    bool ok = check_stdin(o, stdin_name, in.data, in.len, l, st);
    buf_free(&in);
    return ok;
}

/* What hides findings a team has accepted (check/baseline.h). */
struct narrowing {
    const char *baseline, *write_baseline, *new_from_rev;
};

/* Applies --new-from-rev and --baseline to l (files relative to root).
 * False after a one-line error (exit 2). */
static bool narrow(struct finding_list *l, const struct narrowing *n, const char *root)
{
    if (n->baseline && n->write_baseline) {
        fprintf(stderr, "godark: --baseline and --write-baseline cannot be used together\n");
        return false;
    }
    if (n->new_from_rev && baseline_new_from_rev(n->new_from_rev, l, root) < 0) return false;
    if (n->baseline && baseline_apply(n->baseline, l, root) < 0) return false;
    return true;
}

/* check_run and narrow; with --fix, the safe edits of what is left are
 * applied (fix/fix.h) and the check runs again, so that the report and the
 * exit status say what remains. */
static bool check_narrow_fix(const struct check_opts *o, char **pats, int npats, const char *stdin_name,
                             const struct narrowing *nw, const char *root, bool fix, struct finding_list *l,
                             struct check_stats *st)
{
    if (fix && stdin_name) {
        fprintf(stderr, "godark: --fix changes files: not with - (stdin); use --diff or --format sarif for the edits\n");
        return false;
    }
    if (!run_check(o, pats, npats, stdin_name, l, st) || !narrow(l, nw, root)) return false;
    struct fix_stats fs = {0};
    if (!fix || (fix_run(l, NULL, stderr, &fs), fs.files == 0)) {
        st->input_errors += fs.errors;
        return true;
    }
    finding_list_free(l);
    *st = (struct check_stats){0};
    check_run(o, pats, npats, l, st);
    st->input_errors += fs.errors;
    return narrow(l, nw, root);
}

/* Where the configuration search starts for check: the first pattern's
 * directory (DIR/... is DIR), else the current directory. */
static const char *check_config_start(char *const *pats, int npats)
{
    return npats > 0 && strcmp(pats[0], "-") ? pats[0] : ".";
}

static int cmd_check(int argc, char **argv)
{
    struct check_opts o;
    check_opts_default(&o);
    o.cache = true;
    struct report_opts ro = {FMT_TEXT, isatty(STDOUT_FILENO), "godark", GODARK_VERSION, "check", NULL, getenv("GODARK_DOCS_URL")};
    bool no_color = false, stats = false, fix = false, diff = false;
    const char *outpath = NULL;
    char *root = NULL; /* --path-prefix, made absolute */
    struct narrowing narrowing = {0};
    const char *stdin_name = NULL; /* check -: the buffer's file name */
    bool *enabled = xcalloc(all_rules_count, sizeof(bool));
    struct config fl, cfg;
    config_init(&fl);
    config_init(&cfg);
    int rc = EXIT_USAGE;

    struct args a;
    args_start(&a, &check_cmd, argc, argv);
    struct arg_val v;
    for (int id; (id = args_next(&a, &v)) > 0;) {
        switch (id) {
        case O_FORMAT: report_format_parse(v.str, &ro.format); break;
        case O_OUTPUT: outpath = v.str; break;
        case O_NO_COLOR: no_color = true; break;
        case O_JOBS: o.jobs = (int)v.num; break;
        case O_TESTS: o.tests = v.on; break;
        case O_GENERATED: o.generated = true; break;
        case O_STRICT_IGNORES: o.strict_ignores = true; break;
        case O_STATS: stats = true; break;
        case O_NO_CACHE: o.cache = false; break;
        case O_BASELINE: narrowing.baseline = v.str; break;
        case O_WRITE_BASELINE: narrowing.write_baseline = v.str; break;
        case O_NEW_FROM_REV:
            if (v.str[0] == '-') args_fail(&a, "--new-from-rev needs a git revision, got %s", v.str);
            narrowing.new_from_rev = v.str;
            break;
        case O_PATH_PREFIX: {
            struct stat st;
            if (stat(v.str, &st) != 0 || !S_ISDIR(st.st_mode)) {
                args_fail(&a, "--path-prefix %s: not a directory", v.str);
                break;
            }
            free(root);
            ro.root = root = path_abs(v.str);
            break;
        }
        case O_CACHE_DIR: o.cache_dir = v.str; break;
        case O_DOCS_URL: ro.docs_url = v.str; break;
        case O_STDIN_FILENAME: stdin_name = v.str; break;
        case O_GOOS: o.goos = v.str; break;
        case O_GOARCH: o.goarch = v.str; break;
        case O_TAGS: o.tags = v.str; break;
        case O_FIX: fix = true; break;
        case O_DIFF: diff = true; break;
        default: config_take_flag(&fl, &a, id, &v); break;
        }
    }
    if (a.stop) {
        rc = a.rc;
        goto out;
    }
    char **pats = a.pos;
    int npats = a.npos;
    if (!config_resolve(&cfg, &fl, check_config_start(pats, npats))) goto out;
    config_enabled_rules(&cfg, enabled);
    o.enabled = enabled;
    o.min_confidence = cfg.confidence;
    o.max_chan_buffer = (long)cfg.max_chan_buffer;
    if (cfg.go_minor >= 0) {
        o.go_major = cfg.go_major;
        o.go_minor = cfg.go_minor;
        o.go_from = cfg.from[CFG_GO].flag ? "--go" : cfg.path;
    }
    o.exclude = cfg.exclude.items;
    o.nexclude = cfg.exclude.len;
    o.exclude_root = cfg.exclude_root;
    ro.color = ro.color && args_color_allowed(no_color);
    if ((fix && diff) || ((fix || diff) && narrowing.write_baseline)) {
        fprintf(stderr, "godark: --fix, --diff and --write-baseline exclude each other\n");
        goto out;
    }
    if (narrowing.write_baseline && outpath) {
        fprintf(stderr, "godark: --write-baseline writes no report: -o has nothing to write\n");
        goto out;
    }
    if (!ro.root) ro.root = root = path_repo_root();
    if (!ro.root) ro.root = root = path_abs(".");
    FILE *out = stdout;
    if (outpath) {
        /* write to a temporary file and rename, so a failed run leaves no half report */
        char *tmp = xasprintf("%s.tmp.%d", outpath, (int)getpid());
        out = fopen(tmp, "w");
        if (!out) {
            fprintf(stderr, "godark: %s: cannot write: %s\n", outpath, strerror(errno));
            free(tmp);
            goto out;
        }
        ro.color = false;
        struct finding_list l = {0};
        struct check_stats st = {0};
        if (!check_narrow_fix(&o, pats, npats, stdin_name, &narrowing, ro.root, fix, &l, &st)) {
            fclose(out);
            unlink(tmp);
            free(tmp);
            finding_list_free(&l);
            goto out;
        }
        bool ok = diff ? fix_run(&l, out, stderr, NULL) : report_write(out, &l, &ro);
        ok = (fclose(out) == 0) && ok;
        if (ok && rename(tmp, outpath) != 0) ok = false;
        if (!ok) {
            fprintf(stderr, "godark: %s: write failed\n", outpath);
            unlink(tmp);
            rc = EXIT_INTERNAL;
        } else {
            rc = st.input_errors ? EXIT_USAGE : l.len ? EXIT_FINDINGS : EXIT_CLEAN;
        }
        free(tmp);
        finding_list_free(&l);
        goto out;
    }
    {
        struct finding_list l = {0};
        struct check_stats st = {0};
        if (!check_narrow_fix(&o, pats, npats, stdin_name, &narrowing, ro.root, fix, &l, &st)) {
            finding_list_free(&l);
            goto out;
        }
        if (narrowing.write_baseline) {
            /* the accepted findings: written, none reported */
            rc = baseline_write(narrowing.write_baseline, &l, ro.root) ? EXIT_CLEAN : EXIT_INTERNAL;
            if (rc == EXIT_CLEAN)
                fprintf(stderr, "godark: wrote %zu finding%s to the baseline %s\n", l.len, l.len == 1 ? "" : "s",
                        narrowing.write_baseline);
            finding_list_free(&l);
            goto out;
        }
        if (stats) {
            fprintf(stderr, "godark: checked %zu files (%zu lines, %.1f MB) in %zu packages: %zu findings\n", st.files,
                    st.lines, st.bytes / 1e6, st.packages, l.len);
            char *dir = st.cache_used ? check_cache_dir(o.cache_dir) : NULL;
            if (dir) fprintf(stderr, "godark: cache: %zu of %zu packages from %s\n", st.cache_hits, st.packages, dir);
            else fprintf(stderr, "godark: cache: off\n");
            free(dir);
        }
        if (!(diff ? fix_run(&l, stdout, stderr, NULL) : report_write(stdout, &l, &ro))) rc = EXIT_INTERNAL;
        else rc = st.input_errors ? EXIT_USAGE : l.len ? EXIT_FINDINGS : EXIT_CLEAN;
        if (fflush(stdout) != 0) rc = EXIT_INTERNAL;
        finding_list_free(&l);
    }
out:
    args_end(&a);
    config_free(&fl);
    config_free(&cfg);
    free(enabled);
    free(root);
    return rc;
}

/* ---- config ---- */

static const struct arg_opt config_options[] = {
    CONFIG_ARG_ENABLE,    CONFIG_ARG_DISABLE,   CONFIG_ARG_CONFIDENCE, CONFIG_ARG_EXCLUDE,
    CONFIG_ARG_GO,        CONFIG_ARG_MODULE,    CONFIG_ARG_MAX_CHAN_BUFFER, CONFIG_ARG_MIN_COUNT,
    CONFIG_ARG_MIN_WAIT,  CONFIG_ARG_MIN_GROWTH, CONFIG_ARG_FILE,      CONFIG_ARG_NONE,
    {0, NULL, 0, 0, NULL, NULL, 0, 0, NULL},
};

static const struct args_cmd config_cmd = {
    "config", "[flags] [PATH]",
    "  Prints the configuration godark check PATH (default: the current directory) would use: every\n"
    "  setting, its value, and where it comes from: default, FILE:LINE of the nearest .godark.yml at or\n"
    "  above PATH, or a flag (the same flags as check and goroutines; flags win over the file).",
    config_options, "exit status: 0, or 2 for a bad flag or configuration file"};

static int cmd_config(int argc, char **argv)
{
    struct config fl, cfg;
    config_init(&fl);
    config_init(&cfg);
    struct args a;
    args_start(&a, &config_cmd, argc, argv);
    struct arg_val v;
    for (int id; (id = args_next(&a, &v)) > 0;) config_take_flag(&fl, &a, id, &v);
    int rc = a.rc;
    if (!a.stop && a.npos > 1) args_fail(&a, "takes at most one PATH, got %d", a.npos);
    if (a.stop) rc = a.rc;
    if (!a.stop) {
        rc = EXIT_USAGE;
        if (config_resolve(&cfg, &fl, a.npos ? a.pos[0] : ".")) {
            config_print(stdout, &cfg);
            rc = fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_INTERNAL;
        }
    }
    args_end(&a);
    config_free(&fl);
    config_free(&cfg);
    return rc;
}

/* ---- cache, rules, explain, version ---- */

static const struct arg_opt cache_options[] = {
    {O_CACHE_DIR, "cache-dir", 0, ARG_STR, "DIR", "the cache directory (default as for godark check)", 0, 0, NULL},
    {0, NULL, 0, 0, NULL, NULL, 0, 0, NULL},
};
static const struct args_cmd cache_cmd = {
    "cache", "[--cache-dir DIR] dir|clean",
    "  dir: prints where godark check keeps its result cache; clean: empties it.", cache_options,
    "exit status: 0, 2 usage error or no cache, 3 the cache could not be emptied"};

static int cmd_cache(int argc, char **argv)
{
    const char *override = NULL;
    struct args a;
    args_start(&a, &cache_cmd, argc, argv);
    struct arg_val v;
    for (int id; (id = args_next(&a, &v)) > 0;)
        if (id == O_CACHE_DIR) override = v.str;
    if (!a.stop && (a.npos != 1 || (strcmp(a.pos[0], "dir") && strcmp(a.pos[0], "clean"))))
        args_fail(&a, "wants dir or clean (usage: godark cache [--cache-dir DIR] dir|clean)");
    args_end(&a);
    if (a.stop) return a.rc;
    const char *what = a.pos[0];
    char *dir = check_cache_dir(override);
    if (!dir) {
        fprintf(stderr, "godark: the cache is off (GODARK_CACHE=off, or no HOME or XDG_CACHE_HOME)\n");
        return EXIT_USAGE;
    }
    int rc = EXIT_CLEAN;
    if (!strcmp(what, "dir")) {
        printf("%s\n", dir);
    } else if (!check_cache_clean(dir)) {
        fprintf(stderr, "godark: %s: cannot remove every entry: %s\n", dir, strerror(errno));
        rc = EXIT_INTERNAL;
    }
    free(dir);
    return rc;
}

static const struct arg_opt no_options[] = {{0, NULL, 0, 0, NULL, NULL, 0, 0, NULL}};
static const struct args_cmd rules_cmd = {"rules", "", "  The rule table: id, name, severity, summary.", no_options,
                                          NULL};
static const struct args_cmd explain_cmd = {
    "explain", "ID|NAME",
    "  One rule's documentation: why the pattern is bad, a bad and a good example, the fix.", no_options,
    "exit status: 0, or 2 for an unknown rule"};
static const struct args_cmd version_cmd = {"version", "", "  Prints godark's version.", no_options, NULL};

/* Parses a command that has no flags but --help; false with *rc set when
 * it should stop. */
static bool no_flags(const struct args_cmd *cmd, int argc, char **argv, int min_pos, int max_pos, char ***pos,
                     int *rc)
{
    struct args a;
    args_start(&a, cmd, argc, argv);
    struct arg_val v;
    while (args_next(&a, &v) > 0) {}
    if (!a.stop && (a.npos < min_pos || a.npos > max_pos)) {
        if (max_pos == 0) args_fail(&a, "takes no arguments, got %s", a.pos[0]);
        else args_fail(&a, "wants %s (usage: godark %s %s)", cmd->synopsis, cmd->name, cmd->synopsis);
    }
    args_end(&a);
    *pos = a.pos;
    *rc = a.rc;
    return !a.stop;
}

static int cmd_rules(int argc, char **argv)
{
    char **pos;
    int rc;
    if (!no_flags(&rules_cmd, argc, argv, 0, 0, &pos, &rc)) return rc;
    int w = 4; /* the NAME column fits the longest name */
    for (size_t i = 0; i < all_rules_count; i++)
        if ((int)strlen(all_rules[i]->name) > w) w = (int)strlen(all_rules[i]->name);
    printf("%-6s %-*s %-8s %s\n", "ID", w, "NAME", "SEVERITY", "SUMMARY");
    for (size_t i = 0; i < all_rules_count; i++) {
        const struct rule *r = all_rules[i];
        printf("%-6s %-*s %-8s %s\n", r->id, w, r->name, severity_name(r->severity), r->summary);
    }
    return EXIT_CLEAN;
}

static int cmd_explain(int argc, char **argv)
{
    char **pos;
    int rc;
    if (!no_flags(&explain_cmd, argc, argv, 1, 1, &pos, &rc)) return rc;
    const struct rule *r = rule_find(pos[0]);
    if (!r) {
        fprintf(stderr, "godark: unknown rule %s (see `godark rules`)\n", pos[0]);
        return EXIT_USAGE;
    }
    struct buf b = {0};
    docs_rule_page(&b, r);
    fputs(b.data, stdout);
    buf_free(&b);
    return EXIT_CLEAN;
}

static int cmd_version(int argc, char **argv)
{
    char **pos;
    int rc;
    if (!no_flags(&version_cmd, argc, argv, 0, 0, &pos, &rc)) return rc;
    printf("godark %s\n", GODARK_VERSION);
    return EXIT_CLEAN;
}

static bool write_file_atomic(const char *path, const char *data, size_t n)
{
    char *tmp = xasprintf("%s.tmp.%d", path, (int)getpid());
    FILE *f = fopen(tmp, "w");
    bool ok = f && fwrite(data, 1, n, f) == n;
    if (f && fclose(f) != 0) ok = false;
    if (ok && rename(tmp, path) != 0) ok = false;
    if (!ok) unlink(tmp);
    free(tmp);
    return ok;
}

/* docs-man: writes the man page godark(1) to stdout (make install). */
static int cmd_docs_man(int argc, char **argv)
{
    (void)argc, (void)argv;
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) return EXIT_INTERNAL;
    usage(m);
    fputc('\n', m);
    args_usage(m, &check_cmd);
    fclose(m);
    struct buf b = {0};
    docs_man_page(&b, text, GODARK_VERSION);
    free(text);
    bool ok = fwrite(b.data, 1, b.len, stdout) == b.len && fflush(stdout) == 0;
    buf_free(&b);
    return ok ? EXIT_CLEAN : EXIT_INTERNAL;
}

/* docs-gen DIR README: writes DIR/<ID>-<name>.md for every rule and the
 * table between the README's rule-table markers. */
static int cmd_docs_gen(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "godark: usage: godark docs-gen DIR README.md\n");
        return EXIT_USAGE;
    }
    mkdir(argv[1], 0777);
    for (size_t i = 0; i < all_rules_count; i++) {
        struct buf b = {0};
        docs_rule_page(&b, all_rules[i]);
        char fn[128];
        char *path = xasprintf("%s/%s", argv[1], docs_rule_filename(all_rules[i], fn, sizeof fn));
        bool ok = write_file_atomic(path, b.data, b.len);
        if (!ok) fprintf(stderr, "godark: %s: cannot write\n", path);
        free(path);
        buf_free(&b);
        if (!ok) return EXIT_INTERNAL;
    }
    char *src;
    size_t len;
    const char *err;
    if (!read_file_all(argv[2], &src, &len, &err)) {
        fprintf(stderr, "godark: %s: %s\n", argv[2], err);
        return EXIT_USAGE;
    }
    const char *begin_mark = "<!-- rules:begin -->\n", *end_mark = "<!-- rules:end -->";
    char *b0 = strstr(src, begin_mark), *e0 = b0 ? strstr(b0, end_mark) : NULL;
    if (!b0 || !e0) {
        fprintf(stderr, "godark: %s: no rule table markers\n", argv[2]);
        free(src);
        return EXIT_USAGE;
    }
    struct buf out = {0};
    buf_append(&out, src, (size_t)(b0 - src) + strlen(begin_mark));
    docs_rule_table(&out, true);
    buf_puts(&out, e0);
    bool ok = write_file_atomic(argv[2], out.data, out.len);
    buf_free(&out);
    free(src);
    return ok ? EXIT_CLEAN : EXIT_INTERNAL;
}

/* The developer commands (dump-*) load the Go files named on the command
 * line into one package. */
struct dev_pkg {
    struct syntax_parser *sp;
    struct gofile *files;
    int n;
    struct pkg p;
};

/* Loads argv[1..argc-1]; prints the usage line or the read error and
 * returns false on failure. max_files 0 means any number. */
static bool dev_pkg_load(int argc, char **argv, int max_files, const char *usage, struct dev_pkg *d)
{
    memset(d, 0, sizeof *d);
    if (argc < 2 || (max_files && argc - 1 > max_files)) {
        fprintf(stderr, "godark: usage: godark %s\n", usage);
        return false;
    }
    d->files = xcalloc((size_t)argc - 1, sizeof *d->files);
    d->sp = syntax_parser_new();
    for (int i = 1; i < argc; i++) {
        char *src;
        size_t len;
        const char *err;
        if (!read_file_all(argv[i], &src, &len, &err)) {
            fprintf(stderr, "godark: %s: %s\n", argv[i], err);
            for (int k = 0; k < d->n; k++) gofile_free(&d->files[k]);
            free(d->files);
            syntax_parser_free(d->sp);
            return false;
        }
        syntax_parse(d->sp, argv[i], src, len, &d->files[d->n++]);
    }
    pkg_init(&d->p, ".", d->files, d->n);
    return true;
}

static void dev_pkg_free(struct dev_pkg *d)
{
    pkg_free(&d->p);
    for (int i = 0; i < d->n; i++) gofile_free(&d->files[i]);
    free(d->files);
    syntax_parser_free(d->sp);
}

/* dump-summaries FILE...: the call summaries of the functions and methods
 * of one package (the files given), for rule writers and the unit tests. */
static int cmd_dump_summaries(int argc, char **argv)
{
    struct dev_pkg d;
    if (!dev_pkg_load(argc, argv, 0, "dump-summaries FILE.go...", &d)) return EXIT_USAGE;
    static const char *const kinds[] = {"lock", "rlock", "unlock", "runlock", "wg.add", "wg.done", "wg.wait",
                                        "send", "recv", "close"};
    for (int i = 0; i < d.p.ndecls; i++) {
        const struct func_summary *s = model_func_summary(&d.p, i);
        if (!s || !s->neffects) continue;
        const struct pkg_decl *pd = &d.p.decls[i];
        printf("%s%s%s:", pd->recv_type ? pd->recv_type : "", pd->recv_type ? "." : "", pd->name);
        for (int e = 0; e < s->neffects; e++) {
            const struct effect *ef = &s->effects[e];
            printf(" %s(%s)", kinds[ef->kind], ef->key);
            if (ef->flags & EF_NET) printf("+net");
            if (ef->flags & EF_FRESH) printf("+fresh");
            if (ef->flags & EF_ALL_PATHS) printf("+all");
            if (ef->flags & EF_DEFERRED) printf("+deferred");
            if (ef->flags & EF_RELOCK) printf("+relock");
        }
        putchar('\n');
    }
    dev_pkg_free(&d);
    return EXIT_CLEAN;
}

/* dump-objects FILE...: the channels, conds, WaitGroups, cancel funcs and
 * timers held in struct fields of one package (the files given), by class,
 * with every use. */
static int cmd_dump_objects(int argc, char **argv)
{
    struct dev_pkg d;
    if (!dev_pkg_load(argc, argv, 0, "dump-objects FILE.go...", &d)) return EXIT_USAGE;
    struct obj_model m;
    objects_build(&d.p, &m);
    struct buf out = {0};
    objects_dump(&d.p, &m, &out);
    if (out.len) fwrite(out.data, 1, out.len, stdout);
    buf_free(&out);
    dev_pkg_free(&d);
    return EXIT_CLEAN;
}

/* A dump-* command whose listing is one function of the package: loads
 * the files, prints what dump writes, frees. */
static int dev_dump(int argc, char **argv, const char *usage, void (*dump)(struct pkg *, struct buf *))
{
    struct dev_pkg d;
    if (!dev_pkg_load(argc, argv, 0, usage, &d)) return EXIT_USAGE;
    struct buf out = {0};
    dump(&d.p, &out);
    if (out.len) fwrite(out.data, 1, out.len, stdout);
    buf_free(&out);
    dev_pkg_free(&d);
    return EXIT_CLEAN;
}

/* dump-callees FILE...: every call through a function value of one
 * package (the files given) with the functions it may call
 * (model/callees.h). */
static int cmd_dump_callees(int argc, char **argv) { return dev_dump(argc, argv, "dump-callees FILE.go...", callees_dump); }

/* dump-chans FILE...: the channels made in one package (the files given),
 * their buffer, escape and operations per goroutine (model/chan.h). */
static int cmd_dump_chans(int argc, char **argv) { return dev_dump(argc, argv, "dump-chans FILE.go...", chan_dump); }

/* dump-cfg FILE: prints the control flow graph of every function and func
 * literal of one file, for rule writers and the CFG unit tests. */
static int cmd_dump_cfg(int argc, char **argv)
{
    struct dev_pkg d;
    if (!dev_pkg_load(argc, argv, 1, "dump-cfg FILE.go", &d)) return EXIT_USAGE;
    const struct gofile *f = &d.files[0];
    struct buf out = {0};
    for (nid n = 1; n < f->nnodes; n++) {
        enum node_kind k = ast_kind(f, n);
        if (k != N_FUNCTION_DECLARATION && k != N_METHOD_DECLARATION && k != N_FUNC_LITERAL) continue;
        nid name = ast_child(f, n, F_NAME);
        struct str t = name ? ast_text(f, name) : str_make("func", 4);
        buf_printf(&out, "%.*s@%u:\n", (int)t.n, t.p, f->nodes[n].line);
        struct cfg *g = cfg_build(&d.p, 0, n);
        cfg_dump(g, &out);
        cfg_free(g);
    }
    fputs(out.data ? out.data : "", stdout);
    buf_free(&out);
    dev_pkg_free(&d);
    return EXIT_CLEAN;
}

/* dump-ast FILE: prints godark's syntax tree, for rule writers. */
static int cmd_dump_ast(int argc, char **argv)
{
    struct dev_pkg d;
    if (!dev_pkg_load(argc, argv, 1, "dump-ast FILE.go", &d)) return EXIT_USAGE;
    struct gofile f = d.files[0];
    ast_dump(&f, 0, stdout);
    for (uint32_t i = 0; i < f.ncomments; i++) {
        struct str t = ast_comment_text(&f, &f.comments[i]);
        printf("comment %u:%u %.*s\n", f.comments[i].line, f.comments[i].col, (int)t.n, t.p);
    }
    if (f.has_error) printf("error %u:%u %s\n", f.err_line, f.err_col, f.err_msg);
    dev_pkg_free(&d);
    return EXIT_CLEAN;
}

/* The user commands; the dump-* and docs-gen developer commands follow. */
static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"check", cmd_check},
    {"goroutines", profile_cmd_goroutines},
    {"diff", profile_cmd_diff},
    {"watch", watch_cmd_watch},
    {"report", watch_cmd_report},
    {"rules", cmd_rules},
    {"explain", cmd_explain},
    {"cache", cmd_cache},
    {"config", cmd_config},
    {"version", cmd_version},
    {"docs-gen", cmd_docs_gen},
    {"docs-man", cmd_docs_man},
    {"dump-ast", cmd_dump_ast},
    {"dump-cfg", cmd_dump_cfg},
    {"dump-callees", cmd_dump_callees},
    {"dump-chans", cmd_dump_chans},
    {"dump-objects", cmd_dump_objects},
    {"dump-summaries", cmd_dump_summaries},
};

static int run_command(const char *cmd, int argc, char **argv)
{
    for (size_t i = 0; i < GD_ARRAY_LEN(commands); i++) {
        if (strcmp(cmd, commands[i].name)) continue;
        int rc = commands[i].run(argc, argv);
        return rc >= 0 && rc <= 3 ? rc : EXIT_INTERNAL;
    }
    fprintf(stderr, "godark: unknown command %s\n", cmd);
    usage(stderr);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version")) return cmd_version(1, argv + 1);
    if (!strcmp(cmd, "help") || !strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
        if (argc == 3 && argv[2][0] != '-') {
            /* godark help CMD: that command's --help */
            char *sub[] = {argv[2], "--help", NULL};
            return run_command(argv[2], 2, sub);
        }
        usage(stdout);
        return EXIT_CLEAN;
    }
    return run_command(cmd, argc - 1, argv + 1);
}
