/* tests/fuzz/fuzz.h: what every fuzz target shares. Each target defines
 * LLVMFuzzerTestOneInput; built with clang -fsanitize=fuzzer it is a
 * libFuzzer binary, built with replay_main.c (any compiler) it replays the
 * files and directories named on its command line. */
#ifndef GODARK_FUZZ_H
#define GODARK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A write-only sink for the report writers, opened once. */
static inline FILE *fuzz_sink(void)
{
    static FILE *f;
    if (!f) f = fopen("/dev/null", "w");
    return f;
}

#endif
