/* tests/fuzz/fuzz_traceback: arbitrary bytes into the text goroutine dump parser (debug=2, runtime.Stack, panics, SIGQUIT, test timeouts),
 * called directly (no format detection), then grouping, analysis, suspects,
 * diff and the JSON model. */
#include "profile_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct profile p;
    profile_init(&p);
    p.name = xstrdup("fuzz");
    struct lreader r;
    lr_init_mem(&r, (const char *)data, size);
    struct profile_diag d = {{0}};
    if (prof_parse_traceback(&p, &r, &d)) fuzz_profile_rest(&p);
    lr_free(&r);
    profile_free(&p);
    return 0;
}
