/* check: pattern expansion, the package work queue and worker threads,
 * GD000 parse errors, suppression comments, and the final ordering. */
#include "check.h"

#include "buildtags.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "cache.h"
#include "../model/model.h"
#include "../report/paths.h"
#include "../rules/dispatch.h"
#include "../rules/rule.h"
#include "../syntax/parse.h"

void check_opts_default(struct check_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->jobs = 0;
    o->tests = true;
    o->max_chan_buffer = 65536;
    o->min_confidence = CONF_MEDIUM;
    o->go_major = 1;
    o->go_minor = -1;
}

/* ---- excludes ---- */

/* Does pattern segments ps[0..np) match path components cs[0..nc)? "**"
 * matches any number of components, other segments one (fnmatch). */
static bool match_segs(char **ps, int np, char **cs, int nc)
{
    if (np == 0) return nc == 0;
    if (!strcmp(ps[0], "**")) {
        for (int k = 0; k <= nc; k++)
            if (match_segs(ps + 1, np - 1, cs + k, nc - k)) return true;
        return false;
    }
    return nc > 0 && fnmatch(ps[0], cs[0], 0) == 0 && match_segs(ps + 1, np - 1, cs + 1, nc - 1);
}

/* Splits s (modified) at '/' into at most max non-empty parts. */
static int split_path(char *s, char **parts, int max)
{
    int n = 0;
    for (char *save = NULL, *t = strtok_r(s, "/", &save); t && n < max; t = strtok_r(NULL, "/", &save)) parts[n++] = t;
    return n;
}

bool check_path_excluded(const struct check_opts *o, const char *path)
{
    if (!o->nexclude || !o->exclude_root) return false;
    char *abs = path_abs(path);
    size_t rl = strlen(o->exclude_root);
    bool under = !strcmp(o->exclude_root, "/") ? abs[0] == '/' && abs[1]
                                               : !strncmp(abs, o->exclude_root, rl) && abs[rl] == '/';
    bool hit = false;
    if (under) {
        char *rel = abs + (strcmp(o->exclude_root, "/") ? rl + 1 : 1);
        char *cs[256], *ps[256];
        int nc = split_path(rel, cs, 256);
        for (size_t i = 0; i < o->nexclude && !hit; i++) {
            char *pat = xstrdup(o->exclude[i]);
            if (!strchr(pat, '/')) {
                for (int k = 0; k < nc && !hit; k++) hit = fnmatch(pat, cs[k], 0) == 0;
            } else {
                int np = split_path(pat, ps, 256);
                for (int k = 1; k <= nc && !hit; k++) hit = match_segs(ps, np, cs, k);
            }
            free(pat);
        }
    }
    free(abs);
    return hit;
}

struct strvec {
    char **items;
    size_t len, cap;
};

/* One directory's worth of files: becomes one or more packages. */
struct job {
    char *dir;
    struct strvec files;
};

struct queue {
    VEC(struct job) jobs;
    atomic_size_t next;
    const struct check_opts *opts;
    struct build_ctx build; /* the files of the build variant analysed */
    /* check -: the file whose text comes from stdin (an editor's buffer) */
    const char *stdin_path;
    const char *stdin_src;
    size_t stdin_len;
    pthread_mutex_t mu; /* guards input_errors and the merge */
    struct finding_list all;
    struct check_stats *stats;
    struct check_cache *cache; /* NULL: no cache */
};

static bool has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static char *path_join(const char *dir, const char *name)
{
    if (!strcmp(dir, ".")) return xstrdup(name);
    size_t n = strlen(dir);
    return xasprintf("%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

static bool wanted_go_file(const char *name, bool tests)
{
    if (name[0] == '.' || name[0] == '_') return false;
    if (!has_suffix(name, ".go")) return false;
    if (!tests && has_suffix(name, "_test.go")) return false;
    return true;
}

static void input_error(struct check_stats *st, const char *path, const char *what)
{
    fprintf(stderr, "godark: %s: %s\n", path, what);
    st->input_errors++;
}

/* Does the go tool build file path (its name and the lines before its
 * package clause) for variant b? An unreadable file is kept: reading it
 * again reports the error. */
static bool built(const struct build_ctx *b, const char *path, const char *name)
{
    char head[8192];
    FILE *f = fopen(path, "r");
    size_t n = 0;
    if (f) {
        n = fread(head, 1, sizeof head, f);
        fclose(f);
    }
    return build_file_matches(b, name, head, n);
}

/* Does directory dir hold a go.mod: the root of another module? */
static bool module_root(const char *dir)
{
    char *gm = path_join(dir, "go.mod");
    struct stat sb;
    bool yes = stat(gm, &sb) == 0 && S_ISREG(sb.st_mode);
    free(gm);
    return yes;
}

/* Is dir, or a directory above it, the root of a module? */
/* The nearest directory at or above dir (below the file system's root)
 * holding a go.mod, absolute and cleaned, or NULL. malloc'd. */
static char *module_root_above(const char *dir)
{
    char *d = path_abs(dir);
    for (;;) {
        if (module_root(d)) return d;
        char *slash = strrchr(d, '/');
        if (!slash || slash == d) break;
        *slash = 0;
    }
    free(d);
    return NULL;
}

static bool in_module(const char *dir)
{
    char *root = module_root_above(dir);
    free(root);
    return root != NULL;
}

/* Lists the Go files of one directory (sorted) that the build variant b
 * builds into job; subdirectories into *subdirs when non-NULL, except,
 * when dir lies in a module (in_mod), those of other modules (a go.mod of
 * their own), like the go tool's `./...`. */
static void scan_dir(const char *dir, const struct check_opts *o, const struct build_ctx *b, bool in_mod,
                     struct job *job, struct strvec *subdirs, struct check_stats *st)
{
    DIR *d = opendir(dir);
    if (!d) {
        input_error(st, dir, strerror(errno));
        return;
    }
    struct strvec names = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        vec_push(&names, xstrdup(e->d_name));
    }
    closedir(d);
    if (names.len) qsort(names.items, names.len, sizeof(char *), cmp_str);
    for (size_t i = 0; i < names.len; i++) {
        char *name = names.items[i];
        char *full = path_join(dir, name);
        struct stat sb;
        if (lstat(full, &sb) != 0) {
            input_error(st, full, strerror(errno));
            free(full);
        } else if (S_ISDIR(sb.st_mode)) {
            /* like the go tool: skip vendor, testdata, dot and underscore dirs;
             * symlinks are not followed, so loops cannot happen */
            if (subdirs && name[0] != '.' && name[0] != '_' && strcmp(name, "vendor") && strcmp(name, "testdata") &&
                !(in_mod && module_root(full)) && !check_path_excluded(o, full))
                vec_push(subdirs, full);
            else
                free(full);
        } else if (wanted_go_file(name, o->tests) && (S_ISREG(sb.st_mode) || S_ISLNK(sb.st_mode)) &&
                   built(b, full, name)) {
            vec_push(&job->files, full);
        } else {
            free(full);
        }
        free(name);
    }
    vec_free(&names);
}

static void add_job(struct queue *q, struct job *j)
{
    if (j->files.len) vec_push(&q->jobs, *j);
    else {
        free(j->dir);
        vec_free(&j->files);
    }
}

/* The directory of import path pat when it lies in the module of the
 * current directory (the nearest go.mod at or above it says `module M`
 * and pat is M or M/sub), else NULL. malloc'd. */
static char *module_dir(const char *pat)
{
    if (pat[0] == '.' || pat[0] == '/') return NULL;
    char *dir = module_root_above("."), *found = NULL;
    char *gm = dir ? path_join(dir, "go.mod") : NULL;
    FILE *f = gm ? fopen(gm, "r") : NULL;
    free(gm);
    if (f) {
        char line[1024];
        while (fgets(line, sizeof line, f)) {
            char *p = line;
            while (*p == ' ' || *p == '\t') p++;
            if (strncmp(p, "module", 6) || (p[6] != ' ' && p[6] != '\t')) continue;
            p += 6;
            while (*p == ' ' || *p == '\t' || *p == '"') p++;
            size_t n = strcspn(p, " \t\r\n\"");
            if (n && !strncmp(pat, p, n) && (pat[n] == 0 || pat[n] == '/'))
                found = pat[n] ? path_join(dir, pat + n + 1) : xstrdup(dir);
            break;
        }
        fclose(f);
    }
    free(dir);
    if (!found) return NULL;
    /* as the user's tree names it: relative to the current directory */
    char *shown = path_display(found);
    free(found);
    return shown;
}

static void expand_pattern(struct queue *q, const char *pat, struct check_stats *st)
{
    const struct check_opts *o = q->opts;
    size_t n = strlen(pat);
    bool recursive = false;
    char *root;
    if (!strcmp(pat, "...")) {
        root = xstrdup(".");
        recursive = true;
    } else if (n >= 4 && !strcmp(pat + n - 4, "/...")) {
        root = xstrndup(pat, n - 4);
        if (!*root) {
            free(root);
            root = xstrdup("/");
        }
        recursive = true;
    } else {
        root = xstrdup(pat);
    }
    struct stat sb;
    if (stat(root, &sb) != 0) {
        /* an import path of the current module: example.com/m/pkg */
        char *dir = errno == ENOENT ? module_dir(root) : NULL;
        if (!dir || stat(dir, &sb) != 0) {
            input_error(st, root, errno == ENOENT ? "no such file or directory" : strerror(errno));
            free(dir);
            free(root);
            return;
        }
        free(root);
        root = dir;
    }
    if (!S_ISDIR(sb.st_mode)) {
        if (recursive) {
            input_error(st, root, "not a directory");
            free(root);
            return;
        }
        if (!has_suffix(root, ".go")) {
            input_error(st, root, "not a Go file (name a .go file, a directory or DIR/...)");
            free(root);
            return;
        }
        /* a single file: its directory's package, this file only */
        const char *slash = strrchr(root, '/');
        struct job j = {0};
        j.dir = slash ? xstrndup(root, (size_t)(slash - root)) : xstrdup(".");
        vec_push(&j.files, root);
        add_job(q, &j);
        return;
    }
    size_t before = q->jobs.len;
    if (!recursive) {
        struct job j = {0};
        j.dir = root;
        scan_dir(root, o, &q->build, false, &j, NULL, st);
        add_job(q, &j);
    } else {
        /* each directory with whether it lies in a module: below a
         * module, a go.mod starts another one, which `./...` leaves out;
         * outside any, each module found is checked */
        struct strvec stack = {0};
        VEC(bool) mods = {0};
        vec_push(&stack, root);
        vec_push(&mods, in_module(root));
        while (stack.len) {
            char *dir = stack.items[--stack.len];
            bool mod = mods.items[--mods.len];
            struct job j = {0};
            j.dir = dir;
            struct strvec subs = {0};
            scan_dir(dir, o, &q->build, mod, &j, &subs, st);
            add_job(q, &j);
            /* push in reverse so directories come out in sorted order */
            for (size_t i = subs.len; i-- > 0;) {
                vec_push(&stack, subs.items[i]);
                vec_push(&mods, mod || module_root(subs.items[i]));
            }
            vec_free(&subs);
        }
        vec_free(&stack);
        vec_free(&mods);
    }
    if (q->jobs.len == before) fprintf(stderr, "godark: warning: %s matched no Go files\n", pat);
}

/* ---- suppression ---- */

static bool is_space(char c) { return c == ' ' || c == '\t'; }

/* Does list (comma separated ids or names) name rule r? */
static bool list_names_rule(struct str list, const struct rule *r)
{
    size_t i = 0;
    while (i < list.n) {
        size_t j = i;
        while (j < list.n && list.p[j] != ',') j++;
        struct str item = str_make(list.p + i, j - i);
        if (str_eq(item, r->id) || str_eq(item, r->name) || str_eq(item, "all")) return true;
        i = j + 1;
    }
    return false;
}

enum sup_kind { SUP_NONE, SUP_GODARK, SUP_NOLINT };
struct suppression {
    enum sup_kind kind;
    struct str list;   /* rule list: empty = all */
    struct str reason; /* godark:ignore only */
};

static struct suppression parse_suppression(struct str t)
{
    struct suppression s = {0};
    if (!str_has_prefix(t, "//")) return s;
    t.p += 2, t.n -= 2;
    if (str_has_prefix(t, "godark:ignore")) {
        t.p += 13, t.n -= 13;
        if (t.n && !is_space(t.p[0])) return s;
        while (t.n && is_space(t.p[0])) t.p++, t.n--;
        size_t k = 0;
        while (k < t.n && !is_space(t.p[k])) k++;
        s.kind = SUP_GODARK;
        s.list = str_make(t.p, k);
        t.p += k, t.n -= k;
        while (t.n && is_space(t.p[0])) t.p++, t.n--;
        while (t.n && (is_space(t.p[t.n - 1]) || t.p[t.n - 1] == '\r')) t.n--;
        s.reason = t;
        return s;
    }
    if (str_has_prefix(t, "nolint")) {
        t.p += 6, t.n -= 6;
        if (t.n == 0 || is_space(t.p[0]) || t.p[0] == '\r') {
            s.kind = SUP_NOLINT; /* bare //nolint: every linter */
            return s;
        }
        if (t.p[0] != ':') return s;
        t.p++, t.n--;
        size_t k = 0;
        while (k < t.n && !is_space(t.p[k]) && t.p[k] != '/' && t.p[k] != '\r') k++;
        struct str list = str_make(t.p, k);
        size_t i = 0;
        while (i < list.n) {
            size_t j = i;
            while (j < list.n && list.p[j] != ',') j++;
            struct str item = str_make(list.p + i, j - i);
            if (str_eq(item, "godark") || str_eq(item, "all")) s.kind = SUP_NOLINT;
            i = j + 1;
        }
    }
    return s;
}

/* Does a comment starting on `line` or ending on the line above silence
 * finding fd? Comments are sorted by position. */
static bool suppressed(const struct gofile *f, const struct finding *fd)
{
    const struct rule *r = rule_find(fd->rule_id);
    for (uint32_t i = 0; i < f->ncomments; i++) {
        const struct comment *c = &f->comments[i];
        if (c->line > (uint32_t)fd->line) break;
        if (!(c->line == (uint32_t)fd->line || c->end_line + 1 == (uint32_t)fd->line)) continue;
        struct suppression s = parse_suppression(ast_comment_text(f, c));
        if (s.kind == SUP_NOLINT) return true;
        if (s.kind == SUP_GODARK && (s.list.n == 0 || (r && list_names_rule(s.list, r)))) return true;
    }
    return false;
}

static void strict_ignores(const struct gofile *f, struct finding_list *out)
{
    for (uint32_t i = 0; i < f->ncomments; i++) {
        const struct comment *c = &f->comments[i];
        struct suppression s = parse_suppression(ast_comment_text(f, c));
        if (s.kind != SUP_GODARK) continue;
        const char *what = NULL;
        char *unknown = NULL;
        /* every listed rule must exist */
        size_t k = 0;
        while (k < s.list.n) {
            size_t j = k;
            while (j < s.list.n && s.list.p[j] != ',') j++;
            char *item = xstrndup(s.list.p + k, j - k);
            if (strcmp(item, "all") && !rule_find(item) && !unknown) unknown = xstrdup(item);
            free(item);
            k = j + 1;
        }
        if (s.reason.n == 0) what = "//godark:ignore without a reason: say why the finding does not apply";
        if (!what && !unknown) continue;
        struct finding *fd = finding_list_push(out);
        fd->rule_id = rule_ignore_without_reason.id;
        fd->rule_name = rule_ignore_without_reason.name;
        fd->severity = rule_ignore_without_reason.severity;
        fd->confidence = CONF_HIGH;
        fd->file = xstrdup(f->path);
        fd->line = fd->end_line = (int)c->line;
        fd->col = (int)c->col;
        fd->end_col = (int)(c->col + (c->end_byte - c->start_byte));
        fd->message = unknown ? xasprintf("//godark:ignore names unknown rule %s", unknown) : xstrdup(what);
        struct str l = ast_line_text(f, c->line);
        fd->source_line = xstrndup(l.p, l.n);
        free(unknown);
    }
}

static void parse_error_finding(const struct gofile *f, struct finding_list *out)
{
    struct finding *fd = finding_list_push(out);
    fd->rule_id = rule_parse_error.id;
    fd->rule_name = rule_parse_error.name;
    fd->severity = rule_parse_error.severity;
    fd->confidence = CONF_HIGH;
    fd->file = xstrdup(f->path);
    fd->line = fd->end_line = (int)f->err_line;
    fd->col = fd->end_col = (int)f->err_col;
    fd->message = xstrdup(f->err_msg ? f->err_msg : "cannot parse");
    struct str l = ast_line_text(f, f->err_line);
    if (l.n < 4096) fd->source_line = xstrndup(l.p, l.n);
}

static bool rule_enabled(const struct check_opts *o, const struct rule *r)
{
    if (!o->enabled) return true;
    for (size_t i = 0; i < all_rules_count; i++)
        if (all_rules[i] == r) return o->enabled[i];
    return true;
}

/* Package clause name of a parsed file, or "" */
static struct str package_name(const struct gofile *f)
{
    if (f->nnodes < 2) return str_make("", 0);
    AST_FOR_CHILDREN(f, 1, c) if (ast_kind(f, c) == N_PACKAGE_CLAUSE) {
        AST_FOR_CHILDREN(f, c, k) if (ast_kind(f, k) == N_PACKAGE_IDENTIFIER) return ast_text(f, k);
    }
    return str_make("", 0);
}

/* Analyses parsed files of one directory: splits them by package clause,
 * runs the rules, filters suppressions; findings appended to out. Frees the
 * files. */
static void analyse_files(const struct check_opts *o, const char *dir, struct gofile *files, int n,
                          struct finding_list *out)
{
    bool *done = xcalloc((size_t)n + 1, 1);
    struct gofile *group = xmalloc(sizeof(*group) * ((size_t)n + 1));
    for (int i = 0; i < n; i++) {
        if (done[i]) continue;
        struct str name = package_name(&files[i]);
        int g = 0;
        for (int j = i; j < n; j++) {
            if (done[j]) continue;
            struct str nj = package_name(&files[j]);
            /* files without a package clause (broken) join the first group */
            if (j == i || str_eqs(nj, name) || nj.n == 0) {
                group[g++] = files[j];
                done[j] = true;
            }
        }
        struct pkg p;
        pkg_init(&p, dir, group, g);
        if (o->go_minor >= 0) { /* the configuration's override of go.mod */
            p.go_major = o->go_major;
            p.go_minor = o->go_minor;
            p.go_file = o->go_from ? o->go_from : "--go";
        }
        for (int k = 0; k < g; k++) {
            struct gofile *f = &group[k];
            if (f->generated && !o->generated) continue;
            struct finding_list local = {0};
            if (f->has_error && rule_enabled(o, &rule_parse_error)) parse_error_finding(f, &local);
            rules_run_file(&p, k, o, o->enabled, &local);
            if (o->strict_ignores && rule_enabled(o, &rule_ignore_without_reason)) strict_ignores(f, &local);
            for (size_t m = 0; m < local.len; m++) {
                struct finding *fd = &local.items[m];
                bool drop = fd->confidence > o->min_confidence;
                if (!drop && fd->rule_id != rule_parse_error.id && fd->rule_id != rule_ignore_without_reason.id)
                    drop = suppressed(f, fd);
                if (drop) {
                    finding_clear(fd);
                    continue;
                }
                *finding_list_push(out) = *fd;
            }
            vec_free(&local);
        }
        pkg_free(&p);
        for (int k = 0; k < g; k++) gofile_free(&group[k]);
    }
    free(group);
    free(done);
}

/* Reads, parses and analyses one directory job into *out, or takes its
 * findings from the cache when the job's key is there. */
static void run_job(struct queue *q, struct syntax_parser *parser, struct job *j, struct finding_list *out,
                    size_t *files, size_t *bytes, size_t *lines, size_t *pkgs, size_t *errors, size_t *hits)
{
    size_t nf = j->files.len;
    char **srcs = xcalloc(nf + 1, sizeof *srcs);
    char **paths = xcalloc(nf + 1, sizeof *paths);
    size_t *lens = xcalloc(nf + 1, sizeof *lens);
    int n = 0;
    size_t job_bytes = 0;
    for (size_t k = 0; k < nf; k++) {
        const char *err;
        if (q->stdin_path && !strcmp(j->files.items[k], q->stdin_path)) {
            srcs[n] = xstrndup(q->stdin_src, q->stdin_len);
            lens[n] = q->stdin_len;
        } else if (!read_file_all(j->files.items[k], &srcs[n], &lens[n], &err)) {
            pthread_mutex_lock(&q->mu);
            fprintf(stderr, "godark: %s: cannot read: %s\n", j->files.items[k], err);
            pthread_mutex_unlock(&q->mu);
            (*errors)++;
            continue;
        }
        paths[n] = j->files.items[k];
        job_bytes += lens[n];
        n++;
    }
    /* a job with an unreadable file is not cached: its error must be
     * printed each time, and a later run may read the file */
    bool cacheable = q->cache && n && (size_t)n == nf;
    struct cache_key key;
    if (cacheable) {
        check_cache_key(q->cache, j->dir, paths, srcs, lens, n, &key);
        size_t job_lines;
        if (check_cache_get(q->cache, &key, out, &job_lines)) {
            for (int k = 0; k < n; k++) free(srcs[k]);
            *files += (size_t)n, *bytes += job_bytes, *lines += job_lines;
            (*pkgs)++, (*hits)++;
            goto done;
        }
    }
    if (n) {
        struct gofile *gf = xcalloc((size_t)n + 1, sizeof(*gf));
        size_t job_lines = 0;
        for (int k = 0; k < n; k++) {
            syntax_parse(parser, paths[k], srcs[k], lens[k], &gf[k]);
            job_lines += gf[k].nlines;
        }
        struct finding_list mine = {0};
        analyse_files(q->opts, j->dir, gf, n, &mine);
        free(gf);
        if (cacheable) check_cache_put(q->cache, &key, &mine, job_lines);
        finding_list_move(out, &mine);
        *files += (size_t)n, *bytes += job_bytes, *lines += job_lines;
        (*pkgs)++;
    }
done:
    free(srcs);
    free(paths);
    free(lens);
}

static void *worker(void *arg)
{
    struct queue *q = arg;
    struct syntax_parser *parser = syntax_parser_new();
    struct finding_list mine = {0};
    size_t files = 0, bytes = 0, lines = 0, pkgs = 0, errors = 0, hits = 0;
    for (;;) {
        size_t i = atomic_fetch_add(&q->next, 1);
        if (i >= q->jobs.len) break;
        run_job(q, parser, &q->jobs.items[i], &mine, &files, &bytes, &lines, &pkgs, &errors, &hits);
    }
    syntax_parser_free(parser);
    pthread_mutex_lock(&q->mu);
    finding_list_move(&q->all, &mine);
    q->stats->files += files;
    q->stats->bytes += bytes;
    q->stats->lines += lines;
    q->stats->packages += pkgs;
    q->stats->input_errors += errors;
    q->stats->cache_hits += hits;
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

static void run_queue(struct queue *q, struct finding_list *out)
{
    q->cache = q->opts->cache && q->jobs.len ? check_cache_open(q->opts) : NULL;
    q->stats->cache_used = q->cache != NULL;
    int nthreads = q->opts->jobs > 0 ? q->opts->jobs : cpu_count();
    if ((size_t)nthreads > q->jobs.len) nthreads = q->jobs.len ? (int)q->jobs.len : 1;
    if (nthreads <= 1) {
        worker(q);
    } else {
        pthread_t *th = xmalloc(sizeof(pthread_t) * (size_t)nthreads);
        int started = 0;
        for (int i = 0; i < nthreads; i++)
            if (pthread_create(&th[i], NULL, worker, q) == 0) started++;
            else break;
        if (started == 0) worker(q);
        for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
        free(th);
    }
    check_cache_close(q->cache);
    q->cache = NULL;
    finding_list_sort(&q->all);
    finding_list_move(out, &q->all);
    for (size_t i = 0; i < q->jobs.len; i++) {
        free(q->jobs.items[i].dir);
        for (size_t k = 0; k < q->jobs.items[i].files.len; k++) free(q->jobs.items[i].files.items[k]);
        vec_free(&q->jobs.items[i].files);
    }
    vec_free(&q->jobs);
}

bool check_run(const struct check_opts *o, char *const *patterns, int npatterns, struct finding_list *out,
               struct check_stats *stats)
{
    struct queue q;
    memset(&q, 0, sizeof(q));
    q.opts = o;
    q.stats = stats;
    build_ctx_init(&q.build, o->goos, o->goarch, o->tags);
    pthread_mutex_init(&q.mu, NULL);
    static char *const def[] = {"./..."};
    if (npatterns == 0) patterns = def, npatterns = 1;
    for (int i = 0; i < npatterns; i++) expand_pattern(&q, patterns[i], stats);
    /* files named one by one in the same directory form one package */
    for (size_t i = 0; i < q.jobs.len; i++)
        for (size_t j = i + 1; j < q.jobs.len;) {
            if (!strcmp(q.jobs.items[i].dir, q.jobs.items[j].dir)) {
                struct job *b = &q.jobs.items[j];
                for (size_t k = 0; k < b->files.len; k++) {
                    bool dup = false;
                    for (size_t m = 0; m < q.jobs.items[i].files.len; m++)
                        if (!strcmp(q.jobs.items[i].files.items[m], b->files.items[k])) dup = true;
                    if (dup) free(b->files.items[k]);
                    else vec_push(&q.jobs.items[i].files, b->files.items[k]);
                }
                free(b->dir);
                vec_free(&b->files);
                q.jobs.items[j] = q.jobs.items[--q.jobs.len];
            } else {
                j++;
            }
        }
    run_queue(&q, out);
    pthread_mutex_destroy(&q.mu);
    build_ctx_free(&q.build);
    if (o->nexclude) { /* excluded files were analysed with their package, never reported */
        size_t k = 0;
        for (size_t i = 0; i < out->len; i++) {
            if (out->items[i].file && *out->items[i].file && check_path_excluded(o, out->items[i].file))
                finding_clear(&out->items[i]);
            else
                out->items[k++] = out->items[i];
        }
        out->len = k;
    }
    return true;
}

void check_files(const struct check_opts *o, const char *dir, char *const *paths, int npaths,
                 struct finding_list *out, struct check_stats *stats)
{
    struct queue q;
    memset(&q, 0, sizeof(q));
    q.opts = o;
    q.stats = stats;
    pthread_mutex_init(&q.mu, NULL);
    struct job j = {0};
    j.dir = xstrdup(dir);
    for (int i = 0; i < npaths; i++) vec_push(&j.files, xstrdup(paths[i]));
    add_job(&q, &j);
    run_queue(&q, out);
    pthread_mutex_destroy(&q.mu);
}

void check_source(const struct check_opts *o, const char *path, const char *src, size_t len, struct finding_list *out)
{
    struct syntax_parser *parser = syntax_parser_new();
    struct gofile *gf = xcalloc(1, sizeof(*gf));
    syntax_parse(parser, path, xstrndup(src, len), len, gf);
    struct finding_list mine = {0};
    analyse_files(o, ".", gf, 1, &mine);
    free(gf);
    syntax_parser_free(parser);
    finding_list_sort(&mine);
    finding_list_move(out, &mine);
}

bool check_stdin(const struct check_opts *o, const char *path, const char *src, size_t len, struct finding_list *out,
                 struct check_stats *stats)
{
    struct queue q;
    memset(&q, 0, sizeof(q));
    q.opts = o;
    q.stats = stats;
    q.stdin_path = path;
    q.stdin_src = src;
    q.stdin_len = len;
    build_ctx_init(&q.build, o->goos, o->goarch, o->tags);
    pthread_mutex_init(&q.mu, NULL);
    /* the package of the file's directory, with the buffer as the file
     * (which need not exist on disk yet) */
    const char *slash = strrchr(path, '/');
    struct job j = {0};
    j.dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
    if (!*j.dir) {
        free(j.dir);
        j.dir = xstrdup("/");
    }
    struct stat sb;
    if (stat(j.dir, &sb) == 0 && S_ISDIR(sb.st_mode)) scan_dir(j.dir, o, &q.build, false, &j, NULL, stats);
    bool listed = false;
    for (size_t k = 0; k < j.files.len; k++) {
        char *c = path_clean(j.files.items[k]), *want = path_clean(path);
        if (!strcmp(c, want)) {
            free(j.files.items[k]);
            j.files.items[k] = xstrdup(path);
            listed = true;
        }
        free(c);
        free(want);
    }
    if (!listed) vec_push(&j.files, xstrdup(path));
    /* the package's other files only give context: no cache, no findings */
    struct check_opts no_cache = *o;
    no_cache.cache = false;
    q.opts = &no_cache;
    add_job(&q, &j);
    struct finding_list all = {0};
    run_queue(&q, &all);
    pthread_mutex_destroy(&q.mu);
    build_ctx_free(&q.build);
    for (size_t i = 0; i < all.len; i++) {
        struct finding *f = &all.items[i];
        if (f->file && !strcmp(f->file, path)) {
            *finding_list_push(out) = *f;
        } else {
            finding_clear(f);
        }
    }
    free(all.items);
    finding_list_sort(out);
    return true;
}
