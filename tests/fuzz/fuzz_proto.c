/* tests/fuzz/fuzz_proto: arbitrary bytes into the ?debug=0 reader (gzip,
 * possibly concatenated members, around profile.proto; or raw protobuf),
 * with a small decompression cap, then the rest of the pipeline. */
#include "profile_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct profile p;
    profile_init(&p);
    p.name = xstrdup("fuzz");
    struct profile_diag d = {{0}};
    if (prof_parse_proto(&p, data, size, (size_t)8 << 20, &d)) fuzz_profile_rest(&p);
    profile_free(&p);
    return 0;
}
