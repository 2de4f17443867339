/* tests/unit/test_fix: the fix module's choices on constructed findings
 * (overlapping edits skipped, equal edits made once, a file changed since
 * analysis left alone) and its unified diff (hunks, context, a last line
 * without a newline). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../src/fix/fix.h"
#include "unit.h"

static char *slurp_stream(FILE *f)
{
    fflush(f);
    long n = ftell(f);
    rewind(f);
    char *s = xcalloc((size_t)n + 1, 1);
    if (n > 0 && fread(s, 1, (size_t)n, f) != (size_t)n) s[0] = 0;
    return s;
}

static void add(struct finding_list *l, const char *file, int line, size_t s, size_t e, int el, const char *text)
{
    struct finding *f = finding_list_push(l);
    f->rule_id = "GD301";
    f->rule_name = "waitgroup-add-in-goroutine";
    f->file = xstrdup(file);
    f->line = line;
    f->message = xstrdup("m");
    struct edit ed = {(char *)file, s, e, line, 1, el, 1, (char *)text};
    finding_add_edit(f, &ed);
}

static void test_plan(struct tally *t)
{
    char dir[] = "/tmp/godark-fix-unit-XXXXXX";
    if (!mkdtemp(dir)) {
        unit_fail(t, "fix/plan", "mkdtemp");
        return;
    }
    char *path = xasprintf("%s/a.go", dir);
    FILE *w = fopen(path, "w");
    fputs("one\ntwo\nthree\n", w);
    fclose(w);
    char *other = xasprintf("%s/b.go", dir);
    w = fopen(other, "w");
    fputs("short\n", w);
    fclose(w);
    struct finding_list l = {0};
    add(&l, path, 2, 4, 4, 2, "X\n");     /* insert before "two" */
    add(&l, path, 2, 4, 4, 2, "Y\n");     /* a second insertion there: skipped */
    add(&l, path, 3, 8, 14, 4, "3\n");    /* replace "three\n" */
    add(&l, path, 3, 8, 14, 4, "3\n");    /* the same edit again: made once, both fixed */
    add(&l, other, 1, 0, 0, 1, "// x\n"); /* b.go changed since: left alone ... */
    add(&l, other, 9, 100, 101, 9, "");    /* ... as this edit beyond its end shows */
    FILE *log = tmpfile();
    struct fix_stats st;
    fix_run(&l, NULL, log, &st);
    char *said = slurp_stream(log);
    fclose(log);
    char *got;
    size_t n;
    const char *err;
    bool ok = read_file_all(path, &got, &n, &err);
    char *gb = NULL;
    size_t nb;
    bool okb = read_file_all(other, &gb, &nb, &err) && !strcmp(gb, "short\n");
    free(gb);
    if (ok && okb && !strcmp(got, "one\nX\ntwo\n3\n") && st.skipped == 1 && st.findings == 3 && st.files == 1 &&
        st.errors == 1 && strstr(said, "overlaps the fix of GD301 at line 2"))
        unit_pass(t, "fix/plan: overlap skipped, equal edits once, changed file left alone");
    else
        unit_fail(t, "fix/plan: overlap skipped, equal edits once, changed file left alone",
                  "file %s, skipped %zu, findings %zu, files %zu, errors %zu, log %s", ok ? got : "?", st.skipped,
                  st.findings, st.files, st.errors, said);
    if (ok) free(got);
    free(said);
    finding_list_free(&l);
    unlink(path);
    unlink(other);
    rmdir(dir);
    free(path);
    free(other);
}

static void expect_diff(struct tally *t, const char *name, const char *old, const char *nw, const char *want)
{
    FILE *f = tmpfile();
    fix_write_unified(f, "x.go", old, strlen(old), nw, strlen(nw));
    char *got = slurp_stream(f);
    fclose(f);
    if (!strcmp(got, want)) unit_pass(t, name);
    else unit_fail(t, name, "got\n%s\nwant\n%s", got, want);
    free(got);
}

static void test_diff(struct tally *t)
{
    expect_diff(t, "fix/diff: equal texts give nothing", "a\nb\n", "a\nb\n", "");
    expect_diff(t, "fix/diff: one changed line with context", "1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4x\n5\n6\n7\n8\n",
                "--- a/x.go\n+++ b/x.go\n@@ -1,7 +1,7 @@\n 1\n 2\n 3\n-4\n+4x\n 5\n 6\n 7\n");
    expect_diff(t, "fix/diff: two hunks far apart",
                "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n",
                "--- a/x.go\n+++ b/x.go\n@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n"
                "@@ -9,4 +10,3 @@\n 9\n 10\n 11\n-12\n");
    expect_diff(t, "fix/diff: last line without a newline", "a\nb", "a\nc",
                "--- a/x.go\n+++ b/x.go\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n"
                "\\ No newline at end of file\n");
}

void test_fix_all(struct tally *t)
{
    test_plan(t);
    test_diff(t);
}
