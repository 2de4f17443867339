/* tests/unit/wants: the `// want "re"` comment parser of the fixture
 * harness, on its own so the fuzz target tests/fuzz/fuzz_wants.c can use it. */
#ifndef GODARK_WANTS_H
#define GODARK_WANTS_H

#include <regex.h>

#include "../../src/syntax/ast.h"

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

/* Appends the wants of one parsed file to *out. Returns false with *err
 * (malloc'd, caller frees) on a malformed want comment; wants read before
 * it stay in *out. */
bool wants_read(const struct gofile *f, struct wantvec *out, char **err);

/* Frees every want and the vector. */
void wants_free(struct wantvec *w);

#endif
