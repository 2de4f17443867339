/* check/baseline: accepted findings and new-only runs (baseline.h). */
#include "baseline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../report/paths.h"

#define HEADER "# godark baseline v1: rule<TAB>file<TAB>fingerprint<TAB>line<TAB>message"

/* The key of finding f: its file relative to root (malloc'd) and print. */
static char *key_of(const struct finding *f, const char *root, uint64_t *print)
{
    char *rp = f->file && *f->file ? path_under_root(f->file, root) : xstrdup("");
    *print = finding_fingerprint(f, rp);
    return rp;
}

/* s with tabs and line breaks as spaces, for one TSV field. */
static void put_field(FILE *out, const char *s)
{
    for (; s && *s; s++) fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, out);
}

bool baseline_write(const char *path, const struct finding_list *l, const char *root)
{
    char *tmp = xasprintf("%s.tmp.%d", path, (int)getpid());
    FILE *out = fopen(tmp, "w");
    if (!out) {
        fprintf(stderr, "godark: %s: cannot write: %s\n", path, strerror(errno));
        free(tmp);
        return false;
    }
    fprintf(out, "%s\n", HEADER);
    for (size_t i = 0; i < l->len; i++) {
        const struct finding *f = &l->items[i];
        uint64_t print;
        char *rp = key_of(f, root, &print);
        put_field(out, f->rule_id);
        fputc('\t', out);
        put_field(out, rp);
        fprintf(out, "\t%016llx\t%d\t", (unsigned long long)print, f->line);
        put_field(out, f->message);
        fputc('\n', out);
        free(rp);
    }
    bool ok = fflush(out) == 0 && !ferror(out);
    ok = fclose(out) == 0 && ok;
    if (ok && rename(tmp, path) != 0) ok = false;
    if (!ok) {
        fprintf(stderr, "godark: %s: write failed\n", path);
        unlink(tmp);
    }
    free(tmp);
    return ok;
}

struct entry {
    char *rule, *file;
    uint64_t print;
    bool used;
};

/* Drops the findings whose keep[i] is false; returns how many. */
static long compact(struct finding_list *l, const bool *keep)
{
    size_t k = 0;
    for (size_t i = 0; i < l->len; i++) {
        if (keep[i]) {
            l->items[k++] = l->items[i];
        } else {
            finding_clear(&l->items[i]);
        }
    }
    long removed = (long)(l->len - k);
    l->len = k;
    return removed;
}

long baseline_apply(const char *path, struct finding_list *l, const char *root)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        fprintf(stderr, "godark: %s: cannot read the baseline: %s\n", path, strerror(errno));
        return -1;
    }
    VEC(struct entry) es = {0};
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0, rc = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, in)) >= 0) {
        lineno++;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        if (!n || line[0] == '#') continue;
        char *save = NULL, *rule = strtok_r(line, "\t", &save), *file = strtok_r(NULL, "\t", &save),
             *fp = strtok_r(NULL, "\t", &save);
        char *end = NULL;
        unsigned long long print = fp ? strtoull(fp, &end, 16) : 0;
        if (!rule || !file || !fp || strlen(fp) != 16 || *end) {
            fprintf(stderr, "godark: %s:%ld: bad baseline entry (want rule, file and a 16-digit fingerprint, "
                            "tab separated)\n", path, lineno);
            rc = -1;
            break;
        }
        struct entry e = {xstrdup(rule), xstrdup(file), print, false};
        vec_push(&es, e);
    }
    free(line);
    if (rc == 0 && ferror(in)) {
        fprintf(stderr, "godark: %s: read error\n", path);
        rc = -1;
    }
    fclose(in);
    if (rc == 0) {
        bool *keep = xcalloc(l->len + 1, sizeof *keep);
        for (size_t i = 0; i < l->len; i++) {
            uint64_t print;
            char *rp = key_of(&l->items[i], root, &print);
            keep[i] = true;
            for (size_t k = 0; k < es.len && keep[i]; k++) {
                struct entry *e = &es.items[k];
                if (!e->used && e->print == print && !strcmp(e->file, rp) && l->items[i].rule_id &&
                    !strcmp(e->rule, l->items[i].rule_id))
                    e->used = true, keep[i] = false;
            }
            free(rp);
        }
        rc = compact(l, keep);
        free(keep);
    }
    for (size_t k = 0; k < es.len; k++) {
        free(es.items[k].rule);
        free(es.items[k].file);
    }
    vec_free(&es);
    return rc;
}

/* Runs argv (no shell) in directory dir; its stdout into *out. Returns
 * its exit status, or -1 when it could not run. */
static int run_capture(const char *dir, char *const argv[], struct buf *out)
{
    int fd[2];
    if (pipe(fd) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fd[1], STDOUT_FILENO);
        close(fd[0]);
        close(fd[1]);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) dup2(devnull, STDERR_FILENO);
        if (chdir(dir) != 0) _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fd[1]);
    char chunk[8192];
    ssize_t r;
    buf_puts(out, "");
    while ((r = read(fd[0], chunk, sizeof chunk)) != 0) {
        if (r < 0) {
            if (errno == EINTR) continue;
            break;
        }
        buf_append(out, chunk, (size_t)r);
    }
    close(fd[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Changed lines of one file: ranges [lo, hi], or whole (untracked). */
struct changed {
    char *file;
    bool whole;
    VEC(long) ranges; /* lo, hi pairs */
};
typedef VEC(struct changed) changed_vec;

static struct changed *changed_for(changed_vec *cs, const char *file)
{
    for (size_t i = 0; i < cs->len; i++)
        if (!strcmp(cs->items[i].file, file)) return &cs->items[i];
    struct changed c = {xstrdup(file), false, {0}};
    vec_push(cs, c);
    return &cs->items[cs->len - 1];
}

long baseline_new_from_rev(const char *rev, struct finding_list *l, const char *root)
{
    struct buf out = {0};
    char *spec = xasprintf("%s^{commit}", rev);
    char *verify[] = {"git", "rev-parse", "--verify", "--quiet", spec, NULL};
    int st = run_capture(root, verify, &out);
    free(spec);
    buf_free(&out);
    if (st != 0) {
        if (st < 0 || st == 127) fprintf(stderr, "godark: --new-from-rev: git could not be run in %s\n", root);
        else fprintf(stderr, "godark: --new-from-rev %s: not a revision of the git repository at %s\n", rev, root);
        return -1;
    }
    changed_vec cs = {0};
    char *diff[] = {"git", "diff", "--no-color", "--no-ext-diff", "--unified=0", (char *)rev, "--", NULL};
    char *others[] = {"git", "ls-files", "--others", "--exclude-standard", NULL};
    struct buf d = {0}, u = {0};
    long rc = 0;
    if (run_capture(root, diff, &d) != 0 || run_capture(root, others, &u) != 0) {
        fprintf(stderr, "godark: --new-from-rev %s: git diff failed in %s\n", rev, root);
        rc = -1;
    }
    struct changed *cur = NULL;
    for (char *p = d.data, *nl; rc == 0 && p && *p; p = nl ? nl + 1 : NULL) {
        nl = strchr(p, '\n');
        if (nl) *nl = 0;
        if (!strncmp(p, "+++ ", 4)) {
            cur = strncmp(p + 4, "b/", 2) ? NULL : changed_for(&cs, p + 6); /* /dev/null: a deletion */
        } else if (cur && !strncmp(p, "@@ ", 3)) {
            char *plus = strchr(p, '+');
            if (!plus) continue;
            char *end;
            long start = strtol(plus + 1, &end, 10), count = 1;
            if (*end == ',') count = strtol(end + 1, NULL, 10);
            if (count > 0) {
                vec_push(&cur->ranges, start);
                vec_push(&cur->ranges, start + count - 1);
            }
        }
    }
    for (char *p = u.data, *nl; rc == 0 && p && *p; p = nl ? nl + 1 : NULL) {
        nl = strchr(p, '\n');
        if (nl) *nl = 0;
        if (*p) changed_for(&cs, p)->whole = true;
    }
    if (rc == 0) {
        bool *keep = xcalloc(l->len + 1, sizeof *keep);
        for (size_t i = 0; i < l->len; i++) {
            const struct finding *f = &l->items[i];
            uint64_t print;
            char *rp = key_of(f, root, &print);
            for (size_t k = 0; k < cs.len && !keep[i]; k++) {
                const struct changed *c = &cs.items[k];
                if (strcmp(c->file, rp)) continue;
                keep[i] = c->whole;
                for (size_t r = 0; r + 1 < c->ranges.len && !keep[i]; r += 2)
                    keep[i] = f->line >= c->ranges.items[r] && f->line <= c->ranges.items[r + 1];
            }
            free(rp);
        }
        rc = compact(l, keep);
        free(keep);
    }
    for (size_t k = 0; k < cs.len; k++) {
        free(cs.items[k].file);
        vec_free(&cs.items[k].ranges);
    }
    vec_free(&cs);
    buf_free(&d);
    buf_free(&u);
    return rc;
}
