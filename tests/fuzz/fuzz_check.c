/* tests/fuzz/fuzz_check: arbitrary bytes as a one-file Go package through
 * the path `godark check` takes (syntax_parse, pkg_init, every rule in one
 * dispatch walk, suppressions, strict ignores), every confidence kept, then
 * every report format written to /dev/null. */
#include "../../src/check/check.h"
#include "../../src/report/report.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct check_opts o;
    check_opts_default(&o);
    o.jobs = 1;
    o.min_confidence = CONF_LOW;
    o.generated = true;
    o.strict_ignores = true;
    struct finding_list l = {0};
    check_source(&o, "fuzz.go", (const char *)data, size, &l);
    static const enum report_format fmts[] = {FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_GITHUB};
    for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
        struct report_opts ro = {fmts[i], i == 0, "godark", "fuzz", "check"};
        report_write(fuzz_sink(), &l, &ro);
    }
    finding_list_free(&l);
    return 0;
}
