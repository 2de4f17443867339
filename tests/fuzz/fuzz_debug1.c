/* tests/fuzz/fuzz_debug1: arbitrary bytes into the ?debug=1 aggregated text profile parser,
 * called directly (no format detection), then grouping, analysis, suspects,
 * diff and the JSON model. */
#include "profile_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fuzz_text_parser(data, size, prof_parse_debug1); }
