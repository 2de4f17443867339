/* main: argument parsing, sub-command dispatch and exit codes. Only main()
 * decides the exit status: 0 clean, 1 findings, 2 usage or input, 3 internal. */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/baseline.h"
#include "check/cache.h"
#include "check/check.h"
#include "fix/fix.h"
#include "profile/profile.h"
#include "report/paths.h"
#include "report/report.h"
#include "rules/docs.h"
#include "rules/rule.h"
#include "syntax/parse.h"
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
            "  godark version\n"
            "\n"
            "check flags:\n"
            "  --format FORMAT                   text (default), json, sarif, github, checkstyle, junit\n"
            "  -o FILE                           write the report to FILE\n"
            "  --no-color                        no ANSI colour (colour is used only on a terminal)\n"
            "  --jobs N, -j N                    worker threads (default: online cores)\n"
            "  --tests=false                     leave out _test.go files\n"
            "  --generated                       also report in generated files\n"
            "  --enable IDS, --disable IDS       rule ids or names, comma separated\n"
            "  --confidence high|medium|low      lowest confidence shown (default medium)\n"
            "  --max-chan-buffer N               GD201 threshold (default 65536)\n"
            "  --strict-ignores                  report //godark:ignore without a reason\n"
            "  --stats                           print files, lines and packages checked to stderr\n"
            "  --no-cache                        neither read nor write the result cache\n"
            "  --stdin-filename PATH             with `-` as the input: the Go file on stdin is PATH (editors)\n"
            "  --goos OS, --goarch ARCH          the build variant analysed (default $GOOS/$GOARCH, else the host)\n"
            "  --tags TAG,...                    extra build tags, as go build -tags\n"
            "  --write-baseline FILE             write the findings to FILE (accepted as they are), report none\n"
            "  --baseline FILE                   hide the findings FILE lists (matched by rule, file and the\n"
            "                                    code of the line, so they survive line shifts)\n"
            "  --new-from-rev REV                report only findings on lines changed since git REV\n"
            "  --path-prefix DIR                 SARIF and github paths relative to DIR (default: the\n"
            "                                    git repository root, else the current directory)\n"
            "  --fix                             apply the safe fixes of the findings, report what remains\n"
            "  --diff                            print the safe fixes as a unified diff instead of a report\n"
            "  --cache-dir DIR                   result cache directory (default $GODARK_CACHE,\n"
            "                                    else $XDG_CACHE_HOME/godark, else ~/.cache/godark;\n"
            "                                    GODARK_CACHE=off turns the cache off)\n"
            "\n"
            "exit status: 0 no findings, 1 findings, 2 usage or input error, 3 internal error\n");
}

/* Matches --name=value, --name value, or -n value. On a match *val is set
 * and *i advanced past a separate value. */
static bool opt_val(int argc, char **argv, int *i, const char *longname, const char *shortname, const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(longname);
    if (!strncmp(a, longname, n) && a[n] == '=') {
        *val = a + n + 1;
        return true;
    }
    if (!strcmp(a, longname) || (shortname && !strcmp(a, shortname))) {
        if (*i + 1 >= argc) {
            fprintf(stderr, "godark: flag %s needs a value\n", a);
            *val = NULL;
            return true;
        }
        *val = argv[++*i];
        return true;
    }
    return false;
}

static bool parse_bool(const char *s, bool *out)
{
    if (!strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "yes")) *out = true;
    else if (!strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "no")) *out = false;
    else return false;
    return true;
}

static bool set_rules(bool *enabled, const char *list, bool value, bool exclusive)
{
    if (exclusive)
        for (size_t i = 0; i < all_rules_count; i++) enabled[i] = false;
    char *dup = xstrdup(list), *save = NULL;
    bool ok = true;
    for (char *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ') tok++;
        const struct rule *r = rule_find(tok);
        if (!r) {
            fprintf(stderr, "godark: unknown rule %s (see `godark rules`)\n", tok);
            ok = false;
            continue;
        }
        for (size_t i = 0; i < all_rules_count; i++)
            if (all_rules[i] == r) enabled[i] = value;
    }
    free(dup);
    return ok;
}

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

static int cmd_check(int argc, char **argv)
{
    struct check_opts o;
    check_opts_default(&o);
    o.cache = true;
    struct report_opts ro = {FMT_TEXT, isatty(STDOUT_FILENO), "godark", GODARK_VERSION, "check", NULL};
    bool no_color = false, stats = false, fix = false, diff = false;
    const char *outpath = NULL;
    char *root = NULL; /* --path-prefix, made absolute */
    struct narrowing narrowing = {0};
    const char *stdin_name = NULL; /* check -: the buffer's file name */
    bool *enabled = xcalloc(all_rules_count, sizeof(bool));
    for (size_t i = 0; i < all_rules_count; i++) enabled[i] = true;
    bool enable_seen = false;
    char **pats = xcalloc((size_t)argc + 1, sizeof(char *));
    int npats = 0, rc = EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL, *a = argv[i];
        if (!strcmp(a, "--")) {
            while (++i < argc) pats[npats++] = argv[i];
            break;
        }
        if (a[0] != '-' || !strcmp(a, "-")) {
            pats[npats++] = argv[i];
        } else if (opt_val(argc, argv, &i, "--format", "-f", &v)) {
            if (!v) goto out;
            if (!report_format_parse(v, &ro.format)) {
                fprintf(stderr, "godark: unknown format %s (text, json, sarif, github, checkstyle, junit)\n", v);
                goto out;
            }
        } else if (opt_val(argc, argv, &i, "--output", "-o", &v)) {
            if (!v) goto out;
            outpath = v;
        } else if (!strcmp(a, "--no-color")) {
            no_color = true;
        } else if (opt_val(argc, argv, &i, "--jobs", "-j", &v)) {
            if (!v) goto out;
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 1024) {
                fprintf(stderr, "godark: --jobs takes a number from 1 to 1024\n");
                goto out;
            }
            o.jobs = (int)n;
        } else if (!strcmp(a, "--tests")) {
            o.tests = true;
        } else if (!strncmp(a, "--tests=", 8)) {
            if (!parse_bool(a + 8, &o.tests)) {
                fprintf(stderr, "godark: --tests takes true or false\n");
                goto out;
            }
        } else if (!strcmp(a, "--generated")) {
            o.generated = true;
        } else if (!strcmp(a, "--strict-ignores")) {
            o.strict_ignores = true;
        } else if (!strcmp(a, "--stats")) {
            stats = true;
        } else if (!strcmp(a, "--no-cache")) {
            o.cache = false;
        } else if (!strcmp(a, "--fix") || !strcmp(a, "--diff")) {
            if (a[2] == 'f') fix = true;
            else diff = true;
        } else if (opt_val(argc, argv, &i, "--baseline", NULL, &v)) {
            if (!v) goto out;
            narrowing.baseline = v;
        } else if (opt_val(argc, argv, &i, "--write-baseline", NULL, &v)) {
            if (!v) goto out;
            narrowing.write_baseline = v;
        } else if (opt_val(argc, argv, &i, "--new-from-rev", NULL, &v)) {
            if (!v) goto out;
            if (!*v || v[0] == '-') {
                fprintf(stderr, "godark: --new-from-rev needs a git revision\n");
                goto out;
            }
            narrowing.new_from_rev = v;
        } else if (opt_val(argc, argv, &i, "--stdin-filename", NULL, &v)) {
            if (!v) goto out;
            stdin_name = v;
        } else if (opt_val(argc, argv, &i, "--goos", NULL, &v)) {
            if (!v) goto out;
            o.goos = v;
        } else if (opt_val(argc, argv, &i, "--goarch", NULL, &v)) {
            if (!v) goto out;
            o.goarch = v;
        } else if (opt_val(argc, argv, &i, "--tags", NULL, &v)) {
            if (!v) goto out;
            o.tags = v;
        } else if (opt_val(argc, argv, &i, "--path-prefix", NULL, &v)) {
            if (!v) goto out;
            struct stat st;
            if (stat(v, &st) != 0 || !S_ISDIR(st.st_mode)) {
                fprintf(stderr, "godark: --path-prefix %s: not a directory\n", v);
                goto out;
            }
            free(root);
            ro.root = root = path_abs(v);
        } else if (opt_val(argc, argv, &i, "--cache-dir", NULL, &v)) {
            if (!v) goto out;
            if (!*v) {
                fprintf(stderr, "godark: --cache-dir needs a directory\n");
                goto out;
            }
            o.cache_dir = v;
        } else if (opt_val(argc, argv, &i, "--enable", NULL, &v)) {
            if (!v || !set_rules(enabled, v, true, !enable_seen)) goto out;
            enable_seen = true;
        } else if (opt_val(argc, argv, &i, "--disable", NULL, &v)) {
            if (!v || !set_rules(enabled, v, false, false)) goto out;
        } else if (opt_val(argc, argv, &i, "--confidence", NULL, &v)) {
            if (!v) goto out;
            if (!confidence_parse(v, &o.min_confidence)) {
                fprintf(stderr, "godark: --confidence takes high, medium or low\n");
                goto out;
            }
        } else if (opt_val(argc, argv, &i, "--max-chan-buffer", NULL, &v)) {
            if (!v) goto out;
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 0) {
                fprintf(stderr, "godark: --max-chan-buffer takes a non-negative number\n");
                goto out;
            }
            o.max_chan_buffer = n;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            rc = EXIT_CLEAN;
            goto out;
        } else {
            fprintf(stderr, "godark: unknown flag %s (see `godark check --help`)\n", a);
            goto out;
        }
    }
    o.enabled = enabled;
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
    if (no_color) ro.color = false;
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
    free(pats);
    free(enabled);
    free(root);
    return rc;
}

/* cache dir|clean [--cache-dir DIR] */
static int cmd_cache(int argc, char **argv)
{
    const char *override = NULL;
    if (argc == 4 && !strcmp(argv[2], "--cache-dir")) override = argv[3];
    else if (argc == 3 && !strncmp(argv[2], "--cache-dir=", 12)) override = argv[2] + 12;
    if ((argc != 2 && !override) || (strcmp(argv[1], "dir") && strcmp(argv[1], "clean"))) {
        fprintf(stderr, "godark: usage: godark cache dir|clean [--cache-dir DIR]\n");
        return EXIT_USAGE;
    }
    char *dir = check_cache_dir(override);
    if (!dir) {
        fprintf(stderr, "godark: the cache is off (GODARK_CACHE=off, or no HOME or XDG_CACHE_HOME)\n");
        return EXIT_USAGE;
    }
    int rc = EXIT_CLEAN;
    if (!strcmp(argv[1], "dir")) {
        printf("%s\n", dir);
    } else if (!check_cache_clean(dir)) {
        fprintf(stderr, "godark: %s: cannot remove every entry: %s\n", dir, strerror(errno));
        rc = EXIT_INTERNAL;
    }
    free(dir);
    return rc;
}

static int cmd_rules(void)
{
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
    if (argc != 2) {
        fprintf(stderr, "godark: usage: godark explain ID|NAME\n");
        return EXIT_USAGE;
    }
    const struct rule *r = rule_find(argv[1]);
    if (!r) {
        fprintf(stderr, "godark: unknown rule %s (see `godark rules`)\n", argv[1]);
        return EXIT_USAGE;
    }
    struct buf b = {0};
    docs_rule_page(&b, r);
    fputs(b.data, stdout);
    buf_free(&b);
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
static int cmd_docs_man(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) return EXIT_INTERNAL;
    usage(m);
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

/* dump-chans FILE...: the channels made in one package (the files given),
 * their buffer, escape and operations per goroutine (model/chan.h). */
static int cmd_dump_chans(int argc, char **argv)
{
    struct dev_pkg d;
    if (!dev_pkg_load(argc, argv, 0, "dump-chans FILE.go...", &d)) return EXIT_USAGE;
    struct buf out = {0};
    chan_dump(&d.p, &out);
    if (out.len) fwrite(out.data, 1, out.len, stdout);
    buf_free(&out);
    dev_pkg_free(&d);
    return EXIT_CLEAN;
}

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

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "check")) return cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "goroutines") || !strcmp(cmd, "diff")) {
        int (*fn)(int, char **) = !strcmp(cmd, "diff") ? profile_cmd_diff : profile_cmd_goroutines;
        int rc = fn(argc - 1, argv + 1);
        return rc >= 0 && rc <= 3 ? rc : EXIT_INTERNAL;
    }
    if (!strcmp(cmd, "watch") || !strcmp(cmd, "report")) {
        int rc = !strcmp(cmd, "watch") ? watch_cmd_watch(argc - 1, argv + 1) : watch_cmd_report(argc - 1, argv + 1);
        return rc >= 0 && rc <= 3 ? rc : EXIT_INTERNAL;
    }
    if (!strcmp(cmd, "rules")) return cmd_rules();
    if (!strcmp(cmd, "cache")) return cmd_cache(argc - 1, argv + 1);
    if (!strcmp(cmd, "explain")) return cmd_explain(argc - 1, argv + 1);
    if (!strcmp(cmd, "docs-gen")) return cmd_docs_gen(argc - 1, argv + 1);
    if (!strcmp(cmd, "docs-man")) return cmd_docs_man();
    if (!strcmp(cmd, "dump-ast")) return cmd_dump_ast(argc - 1, argv + 1);
    if (!strcmp(cmd, "dump-cfg")) return cmd_dump_cfg(argc - 1, argv + 1);
    if (!strcmp(cmd, "dump-chans")) return cmd_dump_chans(argc - 1, argv + 1);
    if (!strcmp(cmd, "dump-objects")) return cmd_dump_objects(argc - 1, argv + 1);
    if (!strcmp(cmd, "dump-summaries")) return cmd_dump_summaries(argc - 1, argv + 1);
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("godark %s\n", GODARK_VERSION);
        return EXIT_CLEAN;
    }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
        usage(stdout);
        return EXIT_CLEAN;
    }
    fprintf(stderr, "godark: unknown command %s\n", cmd);
    usage(stderr);
    return EXIT_USAGE;
}
