/* tests/unit/fixtures: the rule fixture harness, with the semantics of
 * golang.org/x/tools/go/analysis/analysistest. In tests/rules/<rule-name>/
 * (and each sub-directory, one package each) every `// want "re"` comment
 * expects one finding of that rule on its line whose message matches the
 * POSIX extended regexp (unanchored); several strings expect several
 * findings; `// want +N "re"` expects it N lines below. Any finding without
 * an expectation fails, and so does any expectation without a finding.
 * Wants are read from comment nodes, so "want" inside a string never counts. */
#include <dirent.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../src/check/check.h"
#include "../../src/rules/rule.h"
#include "../../src/syntax/parse.h"
#include "unit.h"
#include "wants.h"

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

struct strvec {
    char **items;
    size_t len, cap;
};

static void list_dir(const char *dir, struct strvec *gofiles, struct strvec *subdirs)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char *full = xasprintf("%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(full, &sb) == 0 && S_ISDIR(sb.st_mode)) vec_push(subdirs, full);
        else if (strlen(e->d_name) > 3 && !strcmp(e->d_name + strlen(e->d_name) - 3, ".go")) vec_push(gofiles, full);
        else free(full);
    }
    closedir(d);
    if (gofiles->len) qsort(gofiles->items, gofiles->len, sizeof(char *), cmp_str);
    if (subdirs->len) qsort(subdirs->items, subdirs->len, sizeof(char *), cmp_str);
}

/* Runs rule r over the package in dir; one PASS/FAIL line. */
static void run_package(struct tally *t, const struct rule *r, const char *dir, struct strvec *files)
{
    struct wantvec wants = {0};
    char *err = NULL;
    struct syntax_parser *parser = syntax_parser_new();
    for (size_t i = 0; i < files->len && !err; i++) {
        char *src;
        size_t len;
        const char *rerr;
        if (!read_file_all(files->items[i], &src, &len, &rerr)) {
            err = xasprintf("%s: %s", files->items[i], rerr);
            break;
        }
        struct gofile f;
        syntax_parse(parser, files->items[i], src, len, &f);
        if (f.has_error && r != &rule_parse_error)
            err = xasprintf("%s:%u:%u: fixture does not parse: %s", f.path, f.err_line, f.err_col, f.err_msg);
        else
            wants_read(&f, &wants, &err);
        gofile_free(&f);
    }
    syntax_parser_free(parser);

    struct buf why = {0};
    if (!err) {
        struct check_opts o;
        check_opts_default(&o);
        o.min_confidence = CONF_LOW;
        o.jobs = 1;
        bool *enabled = xcalloc(all_rules_count, sizeof(bool));
        for (size_t i = 0; i < all_rules_count; i++) enabled[i] = all_rules[i] == r;
        o.enabled = enabled;
        o.strict_ignores = r == &rule_ignore_without_reason;
        struct finding_list l = {0};
        struct check_stats st = {0};
        check_files(&o, dir, files->items, (int)files->len, &l, &st);
        for (size_t i = 0; i < l.len; i++) {
            struct finding *fd = &l.items[i];
            bool ok = false;
            /* a low-confidence finding is matched as "message [low confidence]",
             * so a want can assert the confidence either way (`...\\[low
             * confidence\\]` or `...forever$`) */
            char *shown = xasprintf("%s%s", fd->message, fd->confidence == CONF_LOW ? " [low confidence]" : "");
            for (size_t k = 0; k < wants.len && !ok; k++) {
                struct want *w = &wants.items[k];
                if (w->matched || w->line != fd->line || strcmp(w->file, fd->file)) continue;
                if (regexec(&w->re, shown, 0, NULL, 0) == 0) w->matched = ok = true;
            }
            if (!ok) buf_printf(&why, "\n    unexpected finding %s:%d:%d: %s", fd->file, fd->line, fd->col, shown);
            free(shown);
        }
        for (size_t k = 0; k < wants.len; k++)
            if (!wants.items[k].matched)
                buf_printf(&why, "\n    no finding at %s:%d matching \"%s\"", wants.items[k].file, wants.items[k].line,
                           wants.items[k].re_text);
        finding_list_free(&l);
        free(enabled);
    }
    char *name = xasprintf("fixture %s (%s)", dir, r->id);
    if (err) unit_fail(t, name, "%s", err);
    else if (why.len) unit_fail(t, name, "%zu wants%s", wants.len, why.data);
    else if (wants.len == 0 && !strstr(dir, "silent")) unit_fail(t, name, "no want comments: a fixture package without expectations must be named *silent*");
    else unit_pass(t, name);
    free(name);
    free(err);
    buf_free(&why);
    wants_free(&wants);
}

void test_fixtures_all(struct tally *t, const char *rules_dir)
{
    struct strvec top_files = {0}, rule_dirs = {0};
    list_dir(rules_dir, &top_files, &rule_dirs);
    for (size_t i = 0; i < rule_dirs.len; i++) {
        const char *slash = strrchr(rule_dirs.items[i], '/');
        const char *rname = slash ? slash + 1 : rule_dirs.items[i];
        const struct rule *r = rule_find(rname);
        if (!r) {
            char *name = xasprintf("fixture %s", rule_dirs.items[i]);
            unit_fail(t, name, "directory does not name a rule");
            free(name);
            continue;
        }
        /* the rule dir and every sub-directory with Go files: a package each */
        struct strvec stack = {0};
        vec_push(&stack, xstrdup(rule_dirs.items[i]));
        while (stack.len) {
            char *dir = stack.items[--stack.len];
            struct strvec files = {0}, subs = {0};
            list_dir(dir, &files, &subs);
            if (files.len) run_package(t, r, dir, &files);
            for (size_t k = subs.len; k-- > 0;) vec_push(&stack, subs.items[k]);
            for (size_t k = 0; k < files.len; k++) free(files.items[k]);
            vec_free(&files);
            vec_free(&subs);
            free(dir);
        }
        vec_free(&stack);
    }
    for (size_t i = 0; i < rule_dirs.len; i++) free(rule_dirs.items[i]);
    for (size_t i = 0; i < top_files.len; i++) free(top_files.items[i]);
    vec_free(&rule_dirs);
    vec_free(&top_files);
}
