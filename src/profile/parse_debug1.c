/* profile/parse_debug1: the ?debug=1 aggregated text of the goroutine and
 * goroutineleak profiles: "N @ pcs", "# labels: {...}", "#\tpc\tfunc+off\tfile:line".
 * The runtime frames above the first shown one are hidden; which goroutines
 * are parked is told by the first PC, calibrated on stacks whose top is a
 * known parking function. */
#include "profile_p.h"

#include <stdarg.h>
#include <stdlib.h>



static bool parse_u64(const char **pp, const char *end, uint64_t *out, int base)
{
    const char *p = *pp;
    if (base == 16) {
        if (end - p < 3 || p[0] != '0' || (p[1] != 'x' && p[1] != 'X')) return false;
        p += 2;
    }
    uint64_t v = 0;
    const char *s = p;
    while (p < end) {
        int c = (unsigned char)*p, dv;
        if (c >= '0' && c <= '9') dv = c - '0';
        else if (base == 16 && c >= 'a' && c <= 'f') dv = c - 'a' + 10;
        else if (base == 16 && c >= 'A' && c <= 'F') dv = c - 'A' + 10;
        else break;
        v = v * (uint64_t)base + (uint64_t)dv;
        p++;
    }
    if (p == s) return false;
    *out = v;
    *pp = p;
    return true;
}

/* One "N @ ..." record, kept until the end so the parked-PC calibration can
 * see every record. Records are distinct stacks, so this is bounded by them. */
struct rec {
    uint32_t *frames;
    uint32_t nframes;
    size_t count;
    uint64_t first_pc;
    int hidden;
    uint32_t labels;
};

static const char *const parking_tops[] = {
    "sync.runtime_Semacquire", "sync.runtime_SemacquireMutex", "sync.runtime_SemacquireWaitGroup",
    "sync.runtime_SemacquireRWMutexR", "sync.runtime_SemacquireRWMutex", "internal/sync.runtime_SemacquireMutex",
    "sync.runtime_notifyListWait", "internal/poll.runtime_pollWait", "time.Sleep",
};

bool prof_parse_debug1(struct profile *p, struct lreader *r, struct profile_diag *d)
{
    struct str l = {0}; /* stays empty when the input has no line at all */
    /* header */
    while (lr_next(r, &l) && l.n == 0) {}
    const char *colon = l.n ? memchr(l.p, ' ', l.n) : NULL;
    if (!colon) {
        prof_diagf(d, "not a goroutine profile");
        return false;
    }
    struct str name = str_make(l.p, (size_t)(colon - l.p));
    if (str_eq(name, "goroutineleak")) p->leak_profile = true;
    else if (!str_eq(name, "goroutine")) {
        prof_diagf(d, "not a goroutine profile: this is a %.*s profile", (int)(name.n > 40 ? 40 : name.n), name.p);
        return false;
    }
    const char *t = memchr(l.p, ':', l.n);
    if (t && l.n - (size_t)(t - l.p) > 8 && !memcmp(t, ": total ", 8)) {
        const char *q = t + 8;
        uint64_t v;
        if (parse_u64(&q, l.p + l.n, &v, 10)) p->header_total = (long)v;
    }

    VEC(struct rec) recs = {0};
    VEC(uint64_t) pcs = {0};
    struct prof_gor g = {0};
    prof_gor_reset(&g);
    bool in_rec = false, bad = false;
    long bad_line = 0;
    size_t count = 0, sum = 0;
    uint64_t shown_pc0 = 0;
    bool have_shown = false;
    uint32_t labels = PROFILE_NONE;

#define FLUSH()                                                                                 \
    do {                                                                                        \
        if (in_rec) {                                                                           \
            struct rec rc = {0};                                                                \
            rc.nframes = (uint32_t)g.raw.len;                                                   \
            rc.frames = arena_alloc(&p->arena, (g.raw.len + 1) * sizeof(uint32_t));             \
            if (g.raw.len) memcpy(rc.frames, g.raw.items, g.raw.len * sizeof(uint32_t));        \
            rc.count = count;                                                                   \
            rc.first_pc = pcs.len ? pcs.items[0] : 0;                                           \
            rc.hidden = 0;                                                                      \
            if (have_shown)                                                                     \
                for (size_t k_ = 0; k_ < pcs.len; k_++)                                         \
                    if (pcs.items[k_] == shown_pc0 || pcs.items[k_] == shown_pc0 + 1) {         \
                        rc.hidden = (int)k_;                                                    \
                        break;                                                                  \
                    }                                                                           \
            rc.labels = labels;                                                                 \
            vec_push(&recs, rc);                                                                \
            sum += count;                                                                       \
        }                                                                                       \
        in_rec = false;                                                                         \
        prof_gor_reset(&g);                                                                     \
        pcs.len = 0;                                                                            \
        have_shown = false;                                                                     \
        labels = PROFILE_NONE;                                                                  \
    } while (0)

    while (lr_next(r, &l)) {
        if (r->last_unterminated) {
            if (!p->truncated) {
                p->truncated = true;
                p->truncated_msg = xasprintf("input ends in the middle of line %ld", r->lineno);
            }
            break;
        }
        if (l.n == 0) {
            FLUSH();
            continue;
        }
        if (l.p[0] >= '0' && l.p[0] <= '9') {
            FLUSH();
            const char *q = l.p, *e = l.p + l.n;
            uint64_t n;
            if (!parse_u64(&q, e, &n, 10) || e - q < 2 || q[0] != ' ' || q[1] != '@') {
                bad = true, bad_line = r->lineno;
                break;
            }
            q += 2;
            count = (size_t)n;
            while (q < e) {
                while (q < e && *q == ' ') q++;
                if (q >= e) break;
                uint64_t pc;
                if (!parse_u64(&q, e, &pc, 16)) {
                    bad = true, bad_line = r->lineno;
                    break;
                }
                vec_push(&pcs, pc);
            }
            if (bad) break;
            in_rec = true;
            continue;
        }
        if (!in_rec || l.p[0] != '#') {
            bad = true, bad_line = r->lineno;
            break;
        }
        if (str_has_prefix(l, "# labels: ")) {
            labels = prof_parse_label_set(p, l.p + 10, l.n - 10);
            continue;
        }
        /* "#\t0xPC\tfunc+0xOFF\tfile:line", fields separated by runs of tabs */
        const char *q = l.p + 1, *e = l.p + l.n;
        while (q < e && (*q == '\t' || *q == ' ')) q++;
        uint64_t pc;
        if (!parse_u64(&q, e, &pc, 16)) {
            bad = true, bad_line = r->lineno;
            break;
        }
        while (q < e && (*q == '\t' || *q == ' ')) q++;
        const char *fs = q;
        while (q < e && *q != '\t') q++;
        const char *fe = q;
        /* strip "+0xOFF" */
        for (const char *k = fe; k > fs; k--)
            if (k[-1] == '+') {
                fe = k - 1;
                break;
            }
        while (q < e && (*q == '\t' || *q == ' ')) q++;
        const char *file = q;
        size_t filen = (size_t)(e - q);
        int line = 0;
        const char *c = e;
        while (c > file && c[-1] != ':') c--;
        if (c > file) {
            const char *cq = c;
            uint64_t v;
            if (parse_u64(&cq, e, &v, 10) && cq == e) {
                line = (int)v;
                filen = (size_t)(c - 1 - file);
            }
        }
        if (fe == fs) fs = "?", fe = fs + 1;
        uint32_t fid = prof_intern_frame(p, fs, (size_t)(fe - fs), file, filen, line);
        if (!have_shown) shown_pc0 = pc, have_shown = true;
        vec_push(&g.raw, fid);
    }
    if (r->error && !bad) {
        prof_diagf(d, r->too_long ? "line %ld is too long: not a goroutine profile" : "read error after line %ld",
              r->lineno);
        bad = true;
        bad_line = -1;
    }
    if (!bad) FLUSH();
#undef FLUSH
    if (bad) {
        if (bad_line >= 0) prof_diagf(d, "garbled goroutine profile: line %ld is not part of the debug=1 format", bad_line);
        vec_free(&recs);
        vec_free(&pcs);
        prof_gor_free(&g);
        return false;
    }
    /* Calibrate runtime.gopark's return PC on stacks with a known parking top. */
    uint64_t park_pc = 0;
    size_t best = 0;
    for (size_t i = 0; i < recs.len; i++) {
        const struct rec *rc = &recs.items[i];
        if (!rc->hidden || !rc->nframes) continue;
        const char *top = p->frames.items[rc->frames[0]].func;
        bool known = false;
        for (size_t k = 0; k < GD_ARRAY_LEN(parking_tops); k++)
            if (!strcmp(top, parking_tops[k])) known = true;
        if (!known) continue;
        size_t votes = 0;
        for (size_t j = 0; j < recs.len; j++)
            if (recs.items[j].first_pc == rc->first_pc && recs.items[j].hidden) votes++;
        if (votes > best) best = votes, park_pc = rc->first_pc;
    }
    for (size_t i = 0; i < recs.len; i++) {
        const struct rec *rc = &recs.items[i];
        prof_gor_reset(&g);
        for (uint32_t k = 0; k < rc->nframes; k++) vec_push(&g.raw, rc->frames[k]);
        bool parked = park_pc && rc->first_pc == park_pc;
        g.state = prof_infer_state(p, rc->frames, rc->nframes, rc->hidden, parked, false);
        if (p->leak_profile) {
            char buf[200];
            int n = snprintf(buf, sizeof(buf), "%s (leaked)", p->states.items[g.state]);
            g.state = prof_intern_state(p, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
            g.leaked = true;
        }
        g.labels = rc->labels;
        prof_add(p, &g, rc->count);
    }
    size_t nrecs = recs.len;
    if (p->header_total >= 0 && (long)sum < p->header_total && !p->truncated) {
        p->truncated = true;
        p->truncated_msg = xasprintf("header says %ld goroutines but the records hold %zu", p->header_total, sum);
    }
    vec_free(&recs);
    vec_free(&pcs);
    prof_gor_free(&g);
    if (nrecs == 0 && p->header_total != 0) {
        prof_diagf(d, "%s goroutine profile: no record after the header",
              p->truncated ? "truncated" : "empty");
        return false;
    }
    return true;
}
