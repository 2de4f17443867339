/* tests/fuzz/profile_common.h: after a profile parser ran, the rest of the
 * `godark goroutines` / `godark diff` pipeline over what it read. */
#ifndef GODARK_FUZZ_PROFILE_H
#define GODARK_FUZZ_PROFILE_H

#include "../../src/profile/profile.h"
#include "../../src/profile/profile_p.h"
#include "../../src/report/report.h"
#include "fuzz.h"

static inline void fuzz_profile_rest(struct profile *p)
{
    struct profile_opts o;
    profile_opts_default(&o);
    o.min_confidence = CONF_LOW;
    o.min_count = 1;
    profile_analyze(p, &o);
    struct finding_list fl = {0};
    profile_suspects(p, &o, &fl);
    profile_write_model_json(fuzz_sink(), p);
    struct profile_diff d = {0};
    profile_diff_compute(p, p, &d);
    profile_diff_suspects(p, p, &d, &o, &fl);
    profile_diff_free(&d);
    struct report_opts ro = {FMT_SARIF, false, "godark", "fuzz", "goroutines"};
    report_write(fuzz_sink(), &fl, &ro);
    finding_list_free(&fl);
}

/* One text parser (prof_parse_traceback, prof_parse_debug1) run directly
 * on the bytes (no format detection), then the rest of the pipeline. */
static inline int fuzz_text_parser(const uint8_t *data, size_t size,
                                   bool (*parse)(struct profile *, struct lreader *, struct profile_diag *))
{
    struct profile p;
    profile_init(&p);
    p.name = xstrdup("fuzz");
    struct lreader r;
    lr_init_mem(&r, (const char *)data, size);
    struct profile_diag d = {{0}};
    if (parse(&p, &r, &d)) fuzz_profile_rest(&p);
    lr_free(&r);
    profile_free(&p);
    return 0;
}

#endif
