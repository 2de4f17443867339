/* tests/fuzz/fuzz_traceback: arbitrary bytes into the text goroutine dump parser (debug=2, runtime.Stack, panics, SIGQUIT, test timeouts),
 * called directly (no format detection), then grouping, analysis, suspects,
 * diff and the JSON model. */
#include "profile_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fuzz_text_parser(data, size, prof_parse_traceback); }
