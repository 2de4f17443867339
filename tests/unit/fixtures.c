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

struct want {
    char *file;
    int line;
    char *re_text;
    regex_t re;
    bool matched;
};

struct wantvec {
    struct want *items;
    size_t len, cap;
};

/* Parses a Go string literal at s (interpreted "..." or raw `...`) into a
 * new string; *end past it. NULL on malformed. */
static char *go_string(const char *s, const char *lim, const char **end)
{
    if (s >= lim) return NULL;
    if (*s == '`') {
        const char *e = memchr(s + 1, '`', (size_t)(lim - s - 1));
        if (!e) return NULL;
        *end = e + 1;
        return xstrndup(s + 1, (size_t)(e - s - 1));
    }
    if (*s != '"') return NULL;
    struct buf b = {0};
    buf_append(&b, "", 0);
    for (const char *p = s + 1; p < lim; p++) {
        if (*p == '"') {
            *end = p + 1;
            return b.data;
        }
        if (*p == '\\' && p + 1 < lim) {
            p++;
            switch (*p) {
            case 'n': buf_putc(&b, '\n'); break;
            case 't': buf_putc(&b, '\t'); break;
            case '\\': buf_putc(&b, '\\'); break;
            case '"': buf_putc(&b, '"'); break;
            default: buf_putc(&b, '\\'), buf_putc(&b, *p); break;
            }
            continue;
        }
        buf_putc(&b, *p);
    }
    buf_free(&b);
    return NULL;
}

/* Reads the wants of one parsed file. Returns false with *err on a
 * malformed want comment. */
static bool read_wants(const struct gofile *f, struct wantvec *out, char **err)
{
    for (uint32_t i = 0; i < f->ncomments; i++) {
        struct str t = ast_comment_text(f, &f->comments[i]);
        if (!str_has_prefix(t, "//")) continue;
        const char *p = t.p + 2, *lim = t.p + t.n;
        while (p < lim && *p == ' ') p++;
        if (lim - p < 5 || strncmp(p, "want ", 5)) continue;
        p += 5;
        int line = (int)f->comments[i].line;
        while (p < lim && *p == ' ') p++;
        if (p < lim && *p == '+') {
            line += atoi(p + 1);
            while (p < lim && *p != ' ') p++;
        }
        int n = 0;
        for (;;) {
            while (p < lim && (*p == ' ' || *p == '\t')) p++;
            if (p >= lim || *p == '\r') break;
            const char *end;
            char *re = go_string(p, lim, &end);
            if (!re) {
                *err = xasprintf("%s:%u: malformed want comment", f->path, f->comments[i].line);
                return false;
            }
            struct want w = {0};
            w.file = xstrdup(f->path);
            w.line = line;
            w.re_text = re;
            if (regcomp(&w.re, re, REG_EXTENDED | REG_NOSUB) != 0) {
                *err = xasprintf("%s:%u: bad regexp %s", f->path, f->comments[i].line, re);
                free(w.file);
                free(re);
                return false;
            }
            vec_push(out, w);
            n++;
            p = end;
        }
        if (!n) {
            *err = xasprintf("%s:%u: want comment without a pattern", f->path, f->comments[i].line);
            return false;
        }
    }
    return true;
}

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
            read_wants(&f, &wants, &err);
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
    for (size_t k = 0; k < wants.len; k++) {
        regfree(&wants.items[k].re);
        free(wants.items[k].file);
        free(wants.items[k].re_text);
    }
    vec_free(&wants);
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
