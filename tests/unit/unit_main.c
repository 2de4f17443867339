/* tests/unit/unit_main: runs every C-level suite: syntax and model unit
 * tests, the rule fixtures (analysistest `// want` semantics), the rule
 * docs' bad/good examples, and the report and profile suites. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

/* Suites of the report and profile modules. */
void test_report_all(int *passed, int *failed);
void test_profile_all(int *passed, int *failed);
void test_cfg_paths_all(struct tally *t);
void test_summary_all(struct tally *t);
void test_package_all(struct tally *t);
void test_objects_all(struct tally *t);
void test_callees_all(struct tally *t);
void test_trend_all(struct tally *t);
void test_fix_all(struct tally *t);

void unit_pass(struct tally *t, const char *name)
{
    printf("PASS %s\n", name);
    t->passed++;
}

void unit_fail(struct tally *t, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL %s: ", name);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    t->failed++;
}

void unit_expect_text(struct tally *t, const char *name, const char *got, const char *want)
{
    if (!got) got = "";
    /* the first line that differs */
    const char *g = got, *w = want;
    int line = 1;
    while (*g && *g == *w) {
        if (*g == '\n') line++;
        g++, w++;
    }
    if (!*g && !*w) unit_pass(t, name);
    else unit_fail(t, name, "line %d differs; got:\n%s", line, got);
}

int main(int argc, char **argv)
{
    struct tally t = {0, 0};
    const char *only = argc > 1 ? argv[1] : NULL; /* suite name filter */
    const char *rules_dir = getenv("GODARK_RULES_DIR") ? getenv("GODARK_RULES_DIR") : "tests/rules";
    if (!only || !strcmp(only, "syntax")) test_syntax_all(&t);
    if (!only || !strcmp(only, "model")) {
        test_model_all(&t);
        test_types_all(&t);
        test_cfg_all(&t);
        test_summary_all(&t);
        test_package_all(&t);
        test_objects_all(&t);
        test_callees_all(&t);
    }
    if (!only || !strcmp(only, "cfg_paths")) test_cfg_paths_all(&t);
    if (!only || !strcmp(only, "fixtures")) test_fixtures_all(&t, rules_dir);
    if (!only || !strcmp(only, "docs")) test_docs_examples_all(&t);
    if (!only || !strcmp(only, "report")) test_report_all(&t.passed, &t.failed);
    if (!only || !strcmp(only, "profile")) test_profile_all(&t.passed, &t.failed);
    if (!only || !strcmp(only, "trend")) test_trend_all(&t);
    if (!only || !strcmp(only, "fix")) test_fix_all(&t);
    fflush(stdout);
    return t.failed ? 1 : 0;
}
