/* fix: applies the machine edits of findings (`check --fix`) atomically
 * per file, or prints them as a unified diff (`check --diff`). */
#include "fix.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../report/paths.h"

#define CONTEXT 3

/* An edit chosen to apply, with the finding it came from. */
struct chosen {
    const struct edit *e;
    const struct finding *fd;
};

struct file_fix {
    const char *path; /* as the findings name it */
    VEC(struct chosen) edits;
    char *src;
    size_t len;
    bool loaded, bad;
};

struct plan {
    VEC(struct file_fix) files;
};

static struct file_fix *plan_file(struct plan *p, const char *path)
{
    for (size_t i = 0; i < p->files.len; i++)
        if (!strcmp(p->files.items[i].path, path)) return &p->files.items[i];
    vec_reserve(&p->files, 1);
    struct file_fix *ff = &p->files.items[p->files.len++];
    memset(ff, 0, sizeof *ff);
    ff->path = path;
    return ff;
}

/* Line (1-based) of byte offset off in src. */
static int line_of(const char *src, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off; i++) line += src[i] == '\n';
    return line;
}

/* Reads ff once; false (said on log) when it cannot be read. */
static bool load(struct file_fix *ff, FILE *log, struct fix_stats *st)
{
    if (ff->loaded) return !ff->bad;
    ff->loaded = true;
    const char *err;
    if (!read_file_all(ff->path, &ff->src, &ff->len, &err)) {
        if (log) fprintf(log, "godark: %s: cannot read to fix: %s\n", ff->path, err);
        ff->bad = true;
        st->errors++;
    }
    return !ff->bad;
}

/* Is e still where it was when the file was analysed: inside the file,
 * on the lines it names? */
static bool still_fits(const struct file_fix *ff, const struct edit *e)
{
    if (e->start > e->end || e->end > ff->len) return false;
    return line_of(ff->src, e->start) == e->line && line_of(ff->src, e->end) == e->end_line;
}

static bool same_edit(const struct edit *a, const struct edit *b)
{
    return a->start == b->start && a->end == b->end && !strcmp(a->text, b->text);
}

/* Do a and b (of one file) touch the same text, so that the order of
 * applying them matters? Two insertions at one place do. */
static bool overlap(const struct edit *a, const struct edit *b)
{
    if (a->start == a->end && b->start == b->end) return a->start == b->start;
    if (a->start == a->end) return a->start > b->start && a->start < b->end;
    if (b->start == b->end) return b->start > a->start && b->start < a->end;
    return a->start < b->end && b->start < a->end;
}

static int cmp_chosen(const void *pa, const void *pb)
{
    const struct edit *a = ((const struct chosen *)pa)->e, *b = ((const struct chosen *)pb)->e;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->end != b->end) return a->end < b->end ? -1 : 1; /* an insertion before a replacement at one place */
    return 0;
}

static const char *plural(size_t n) { return n == 1 ? "" : "s"; }

/* ---- the unified diff ---- */

/* Line starts of s (n bytes): starts[i] for i < count, starts[count] = n. */
static size_t *line_starts(const char *s, size_t n, size_t *count)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += s[i] == '\n';
    if (n && s[n - 1] != '\n') c++;
    size_t *st = xmalloc((c + 1) * sizeof *st);
    size_t k = 0;
    if (n) st[k++] = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n' && i + 1 < n) st[k++] = i + 1;
    st[c] = n;
    *count = c;
    return st;
}

static void put_line(FILE *out, char tag, const char *s, const size_t *starts, size_t i)
{
    size_t a = starts[i], b = starts[i + 1];
    fputc(tag, out);
    fwrite(s + a, 1, b - a, out);
    if (b == a || s[b - 1] != '\n') fputs("\n\\ No newline at end of file\n", out);
}

static void put_range(FILE *out, size_t start, size_t count)
{
    /* an empty range names the line before it, as diff does */
    if (count == 0) fprintf(out, "%zu,0", start ? start - 1 : 0);
    else if (count == 1) fprintf(out, "%zu", start);
    else fprintf(out, "%zu,%zu", start, count);
}

void fix_write_unified(FILE *out, const char *label, const char *old, size_t n, const char *nw, size_t m)
{
    size_t no, nn;
    size_t *os = line_starts(old, n, &no), *ns = line_starts(nw, m, &nn);
    /* the changed region: the longest common prefix and suffix of lines
     * are context; everything between them is one change. Edits close
     * together share their context anyway, and edits far apart become
     * separate hunks below by comparing lines within the middle. */
    size_t pre = 0;
    while (pre < no && pre < nn && os[pre + 1] - os[pre] == ns[pre + 1] - ns[pre] &&
           !memcmp(old + os[pre], nw + ns[pre], os[pre + 1] - os[pre]))
        pre++;
    if (pre == no && pre == nn) {
        free(os);
        free(ns);
        return;
    }
    size_t suf = 0;
    while (suf < no - pre && suf < nn - pre) {
        size_t oi = no - 1 - suf, ni = nn - 1 - suf;
        if (os[oi + 1] - os[oi] != ns[ni + 1] - ns[ni] || memcmp(old + os[oi], nw + ns[ni], os[oi + 1] - os[oi]))
            break;
        suf++;
    }
    fprintf(out, "--- a/%s\n+++ b/%s\n", label, label);
    /* Split the middle into change blocks: runs of lines that differ, with
     * equal runs between them, found by a simple alignment. The middles
     * fix produces are small (a few lines per edit), and equal lines
     * between edits keep their offset, so walk both sides with a greedy
     * match: a line equal on both sides at the same distance from the
     * last change is context. */
    size_t o0 = pre, o1 = no - suf, n0 = pre, n1 = nn - suf;
    /* blocks as (old start, old end, new start, new end) */
    VEC(size_t) bl = {0};
    size_t oi = o0, ni = n0;
    while (oi < o1 || ni < n1) {
        /* skip equal lines */
        while (oi < o1 && ni < n1 && os[oi + 1] - os[oi] == ns[ni + 1] - ns[ni] &&
               !memcmp(old + os[oi], nw + ns[ni], os[oi + 1] - os[oi]))
            oi++, ni++;
        if (oi >= o1 && ni >= n1) break;
        /* a change starts here: find the nearest resynchronisation, the
         * pair (a, b) with the smallest a+b such that the next line of
         * each side matches for at least one line (or the ends) */
        size_t bo = o1, bn = n1, best = (o1 - oi) + (n1 - ni);
        for (size_t a = oi; a <= o1 && a - oi < best; a++)
            for (size_t b = ni; b <= n1 && (a - oi) + (b - ni) < best; b++) {
                if (a == oi && b == ni) continue;
                bool endpair = a == o1 && b == n1;
                bool match = a < o1 && b < n1 && os[a + 1] - os[a] == ns[b + 1] - ns[b] &&
                             !memcmp(old + os[a], nw + ns[b], os[a + 1] - os[a]);
                if (endpair || match) {
                    best = (a - oi) + (b - ni);
                    bo = a, bn = b;
                }
            }
        vec_push(&bl, oi);
        vec_push(&bl, bo);
        vec_push(&bl, ni);
        vec_push(&bl, bn);
        oi = bo, ni = bn;
    }
    /* hunks: blocks whose contexts meet are one hunk */
    size_t nb = bl.len / 4;
    for (size_t i = 0; i < nb;) {
        size_t j = i;
        while (j + 1 < nb && bl.items[4 * (j + 1)] - bl.items[4 * j + 1] <= 2 * CONTEXT) j++;
        size_t os0 = bl.items[4 * i], ns0 = bl.items[4 * i + 2];
        size_t ctx0 = os0 < CONTEXT ? os0 : CONTEXT;
        size_t oe = bl.items[4 * j + 1], ne = bl.items[4 * j + 3];
        size_t ctx1 = no - oe < CONTEXT ? no - oe : CONTEXT;
        size_t hs_o = os0 - ctx0, hs_n = ns0 - ctx0;
        size_t he_o = oe + ctx1, he_n = ne + ctx1;
        fputs("@@ -", out);
        put_range(out, hs_o + 1, he_o - hs_o);
        fputs(" +", out);
        put_range(out, hs_n + 1, he_n - hs_n);
        fputs(" @@\n", out);
        size_t co = hs_o;
        for (size_t k = i; k <= j; k++) {
            size_t a0 = bl.items[4 * k], a1 = bl.items[4 * k + 1], b0 = bl.items[4 * k + 2], b1 = bl.items[4 * k + 3];
            for (; co < a0; co++) put_line(out, ' ', old, os, co);
            for (size_t x = a0; x < a1; x++) put_line(out, '-', old, os, x);
            for (size_t x = b0; x < b1; x++) put_line(out, '+', nw, ns, x);
            co = a1;
        }
        for (; co < he_o; co++) put_line(out, ' ', old, os, co);
        i = j + 1;
    }
    vec_free(&bl);
    free(os);
    free(ns);
}

/* ---- writing a file ---- */

/* Replaces path's contents with data: a temporary file in the same
 * directory, the mode of the old one, fsync, rename, fsync of the
 * directory. A symbolic link stays a link: its target changes. False with
 * errno set on failure; the old file is then untouched. */
static bool replace_file(const char *path, const char *data, size_t n)
{
    char *real = realpath(path, NULL);
    if (!real) return false;
    struct stat st;
    if (stat(real, &st) != 0) {
        free(real);
        return false;
    }
    char *slash = strrchr(real, '/');
    char *dir = slash == real ? xstrdup("/") : xstrndup(real, (size_t)(slash - real));
    char *tmp = xasprintf("%s/.%s.godark-fix-XXXXXX", dir, slash + 1);
    int fd = mkstemp(tmp);
    bool ok = fd >= 0;
    if (ok) {
        ok = write_fd_all(fd, data, n) && fchmod(fd, st.st_mode & 07777) == 0 && fsync(fd) == 0;
        int e = errno;
        ok = close(fd) == 0 && ok;
        if (ok) ok = rename(tmp, real) == 0;
        if (!ok) {
            e = errno;
            unlink(tmp);
            errno = e;
        }
    }
    if (ok) {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
    }
    free(tmp);
    free(dir);
    free(real);
    return ok;
}

/* ---- the plan ---- */

/* The directory the diff's paths are relative to: the current one, or,
 * when a file to change lies outside it, the nearest directory holding it
 * and every such file (said on log, with how to apply the diff), so that
 * no path has a `..` or is absolute, which patch refuses. */
static char *diff_base(const struct plan *p, FILE *log)
{
    char cwd[PATH_MAX];
    char *base = path_clean(getcwd(cwd, sizeof cwd) ? cwd : ".");
    bool moved = false;
    for (size_t i = 0; i < p->files.len; i++) {
        const struct file_fix *ff = &p->files.items[i];
        if (ff->bad || !ff->edits.len) continue;
        char *abs = path_abs(ff->path);
        for (;;) {
            size_t n = strlen(base);
            if (!strcmp(base, "/") || (!strncmp(abs, base, n) && abs[n] == '/')) break;
            char *slash = strrchr(base, '/');
            if (slash == base) slash[1] = 0;
            else *slash = 0;
            moved = true;
        }
        free(abs);
    }
    if (moved && log)
        fprintf(log, "godark: --diff: files outside the current directory: paths are relative to %s (apply with `patch -p1 -d %s`)\n",
                base, base);
    return base;
}

bool fix_run(const struct finding_list *l, FILE *diff, FILE *log, struct fix_stats *stp)
{
    struct fix_stats dummy = {0}, *st = stp ? stp : &dummy;
    memset(st, 0, sizeof *st);
    struct plan p = {0};
    bool *fixed = xcalloc(l->len + 1, sizeof *fixed);
    for (size_t i = 0; i < l->len; i++) {
        const struct finding *fd = &l->items[i];
        if (!fd->nedits) continue;
        bool ok = true;
        const struct finding *clash = NULL;
        for (size_t k = 0; k < fd->nedits && ok; k++) {
            const struct edit *e = &fd->edits[k];
            struct file_fix *ff = plan_file(&p, e->file);
            if (!load(ff, log, st)) {
                ok = false;
                break;
            }
            if (!still_fits(ff, e)) {
                if (log) fprintf(log, "godark: %s: changed since it was analysed; not fixed\n", ff->path);
                if (!ff->bad) st->errors++;
                ff->bad = true;
                ok = false;
                break;
            }
            for (size_t m = 0; m < fd->nedits && ok; m++)
                if (m != k && !strcmp(fd->edits[m].file, e->file) && overlap(e, &fd->edits[m])) ok = false;
            for (size_t c = 0; c < ff->edits.len && ok; c++)
                if (!same_edit(ff->edits.items[c].e, e) && overlap(ff->edits.items[c].e, e)) {
                    ok = false;
                    clash = ff->edits.items[c].fd;
                }
        }
        if (!ok) {
            if (clash) {
                st->skipped++;
                if (log)
                    fprintf(log,
                            "godark: %s:%d: %s fix not applied: it overlaps the fix of %s at line %d (run again "
                            "to fix it)\n",
                            fd->file, fd->line, fd->rule_id, clash->rule_id, clash->line);
            }
            continue;
        }
        for (size_t k = 0; k < fd->nedits; k++) {
            const struct edit *e = &fd->edits[k];
            struct file_fix *ff = plan_file(&p, e->file);
            bool dup = false;
            for (size_t c = 0; c < ff->edits.len; c++) dup |= same_edit(ff->edits.items[c].e, e);
            if (!dup) vec_push(&ff->edits, ((struct chosen){e, fd}));
        }
        fixed[i] = true;
    }
    /* file by file, in name order for a stable diff */
    for (size_t i = 1; i < p.files.len; i++)
        for (size_t j = i; j > 0 && strcmp(p.files.items[j - 1].path, p.files.items[j].path) > 0; j--) {
            struct file_fix t = p.files.items[j];
            p.files.items[j] = p.files.items[j - 1];
            p.files.items[j - 1] = t;
        }
    bool out_ok = true;
    char *base = diff ? diff_base(&p, log) : NULL;
    for (size_t i = 0; i < p.files.len; i++) {
        struct file_fix *ff = &p.files.items[i];
        if (ff->bad || !ff->edits.len) continue;
        qsort(ff->edits.items, ff->edits.len, sizeof *ff->edits.items, cmp_chosen);
        struct buf b = {0};
        buf_puts(&b, "");
        size_t at = 0;
        for (size_t k = 0; k < ff->edits.len; k++) {
            const struct edit *e = ff->edits.items[k].e;
            buf_append(&b, ff->src + at, e->start - at);
            buf_puts(&b, e->text);
            at = e->end;
        }
        buf_append(&b, ff->src + at, ff->len - at);
        if (b.len == ff->len && !memcmp(b.data, ff->src, b.len)) {
            buf_free(&b);
            continue;
        }
        if (diff) {
            char *abs = path_abs(ff->path);
            char *label = path_rel(abs, base);
            fix_write_unified(diff, label, ff->src, ff->len, b.data, b.len);
            free(label);
            free(abs);
            st->files++;
        } else if (!replace_file(ff->path, b.data, b.len)) {
            if (log) fprintf(log, "godark: %s: cannot write the fix: %s\n", ff->path, strerror(errno));
            st->errors++;
            ff->bad = true;
        } else {
            st->files++;
        }
        buf_free(&b);
    }
    /* what was fixed, per finding, in the report's order */
    for (size_t i = 0; i < l->len; i++) {
        if (!fixed[i]) continue;
        const struct finding *fd = &l->items[i];
        bool bad = false;
        for (size_t k = 0; k < fd->nedits; k++) bad |= plan_file(&p, fd->edits[k].file)->bad;
        if (bad) continue;
        st->findings++;
        if (log && !diff) {
            char *shown = path_display(fd->file);
            fprintf(log, "godark: fixed %s:%d: %s %s\n", shown, fd->line, fd->rule_id, fd->rule_name);
            free(shown);
        }
    }
    if (log && st->findings)
        fprintf(log, "godark: %s %zu finding%s in %zu file%s\n", diff ? "the diff fixes" : "fixed", st->findings,
                plural(st->findings), st->files, plural(st->files));
    if (diff) out_ok = fflush(diff) == 0 && !ferror(diff);
    for (size_t i = 0; i < p.files.len; i++) {
        free(p.files.items[i].src);
        vec_free(&p.files.items[i].edits);
    }
    vec_free(&p.files);
    free(fixed);
    free(base);
    return out_ok;
}
