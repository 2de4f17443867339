/* tests/unit: the unit test binary's shared helpers. Every test prints one
 * line, `PASS name` or `FAIL name: why`; tests/run.sh counts them. */
#ifndef GODARK_UNIT_H
#define GODARK_UNIT_H

#include <stdio.h>

#include "../../src/base/base.h"

struct tally {
    int passed, failed;
};

void unit_pass(struct tally *t, const char *name);
void unit_fail(struct tally *t, const char *name, const char *fmt, ...) GD_PRINTF(3, 4);
/* Passes when got (NULL counts as empty) equals want; else fails naming
 * the first line that differs, with got. */
void unit_expect_text(struct tally *t, const char *name, const char *got, const char *want);

/* Each suite; defined in its own file. */
void test_fixtures_all(struct tally *t, const char *rules_dir);
void test_docs_examples_all(struct tally *t);
void test_syntax_all(struct tally *t);
void test_model_all(struct tally *t);
void test_types_all(struct tally *t);
void test_cfg_all(struct tally *t);

#endif
