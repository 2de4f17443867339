/* tests/fuzz/fuzz_wants: arbitrary bytes as a Go file whose comments the
 * fixture harness reads for `// want "re"` (tests/unit/wants.c). */
#include <stdlib.h>
#include <string.h>

#include "../../src/syntax/parse.h"
#include "../unit/wants.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct syntax_parser *parser;
    if (!parser) parser = syntax_parser_new();
    char *src = xmalloc(size + 1);
    memcpy(src, data, size);
    struct gofile f;
    syntax_parse(parser, "fuzz.go", src, size, &f);
    struct wantvec w = {0};
    char *err = NULL;
    wants_read(&f, &w, &err);
    free(err);
    wants_free(&w);
    gofile_free(&f);
    return 0;
}
