/* profile/suspect: from analysed block sites to findings. A site is a
 * suspect when its goroutines wait for good (permanent reasons), or when
 * enough of them wait on a channel, select or sync primitive in user code;
 * long waits raise the confidence. */
#include "profile_p.h"

#include <stdlib.h>

#include "../rules/rule.h"

extern const struct rule rule_runtime_leak_suspect;
extern const struct rule rule_runtime_permanently_blocked;

static enum confidence lower(enum confidence c) { return c == CONF_HIGH ? CONF_MEDIUM : CONF_LOW; }

/* The finding sits at the frame's line; the column is the statement's first
 * byte when --source finds the file, else unknown (0). */
void prof_fill_location(struct finding *f, const struct profile_opts *o, const struct profile_frame *fr)
{
    f->line = fr->line > 0 ? fr->line : 1;
    f->end_line = f->line;
    f->file = xstrdup(prof_display_path(o, fr));
    if (o && o->source_dir) {
        const char *mapped = NULL;
        const char *src = prof_source_line(o->source_dir, fr->file, fr->line, &mapped);
        if (src) {
            int col = 1;
            while (src[col - 1] == ' ' || src[col - 1] == '\t') col++;
            f->source_line = xstrdup(src);
            f->col = col;
            f->end_col = (int)strlen(src) + 1;
        }
    }
}

/* The creator as a related location, its file mapped through --source like
 * the suspect's own. */
static void add_creator(struct finding *f, const struct profile *p, const struct profile_opts *o, uint32_t creator)
{
    if (creator == PROFILE_NONE) return;
    const struct profile_frame *c = &p->frames.items[creator];
    char *msg = xasprintf("created by %s", c->func);
    const char *file = prof_display_path(o, c);
    finding_add_related(f, file, c->line > 0 ? c->line : 1, 1, msg);
    free(msg);
}

static char *wait_text(int max_wait)
{
    if (max_wait >= 1) return xasprintf(", waiting up to %d minute%s", max_wait, max_wait == 1 ? "" : "s");
    return xstrdup("");
}

/* "; still blocked when the test timed out (started by TestA, TestB)" */
static char *test_text(const struct profile *p, const struct profile_site *s)
{
    struct buf b = {0};
    buf_printf(&b, "; still blocked when %s", p->test_timeout ? "the test timed out" : "the tests ended");
    for (size_t k = 0; k < s->ntests; k++) {
        struct str n = prof_test_name(p->frames.items[s->tests[k]].func);
        buf_printf(&b, "%s%.*s", k ? ", " : " (started by ", (int)n.n, n.p);
    }
    if (s->more_tests) buf_printf(&b, " and more");
    if (s->ntests) buf_printf(&b, ")");
    return b.data;
}

/* A site where the testing package waits for its own work (t.Run waiting
 * for a subtest, tRunner for parallel subtests): bookkeeping, not a leak. */
static bool testing_site(const struct profile_frame *site)
{
    if (!site) return false;
    struct str pkg = prof_func_pkg(site->func);
    return str_eq(pkg, "testing") || str_has_prefix(pkg, "testing/");
}

/* Pushes f when its confidence is shown, else frees its strings. */
static bool keep(struct finding *f, const struct profile_opts *o, struct finding_list *out)
{
    if (f->confidence > o->min_confidence) {
        finding_clear(f);
        return false;
    }
    *finding_list_push(out) = *f;
    return true;
}

size_t profile_suspects(const struct profile *p, const struct profile_opts *o, struct finding_list *out)
{
    size_t added = 0;
    /* a dump at the end of a test, or at its timeout: every user goroutine
     * still blocked is a leak (goleak's rule) */
    bool test_mode = o->at_test_end || p->test_timeout;
    for (size_t si = 0; si < p->sites.len; si++) {
        const struct profile_site *s = &p->sites.items[si];
        size_t perm = s->by_class[PCLASS_PERMANENT], cand = s->by_class[PCLASS_CANDIDATE];
        if (!perm && !cand) continue;
        const struct profile_frame *site = s->frame != PROFILE_NONE ? &p->frames.items[s->frame] : NULL;
        if (testing_site(site)) continue;
        bool site_user = site && (site->flags & PF_USER);
        const struct profile_frame *loc = site_user ? site
                                          : s->user_frame != PROFILE_NONE ? &p->frames.items[s->user_frame]
                                                                          : NULL;
        const char *state = s->main_state != PROFILE_NONE ? p->states.items[s->main_state] : "?";
        const char *where = site ? site->func : "?";
        char *wt = wait_text(s->max_wait);
        char *inside = NULL;
        if (site && loc && loc != site) inside = xasprintf(" inside %s", site->func);
        char *tt = test_mode ? test_text(p, s) : xstrdup("");
        /* permanent: nil channel, select {}, or the runtime's own verdict */
        bool runtime_verdict = p->leak_profile || strstr(state, "(leaked)") != NULL;
        if (perm && (loc || (runtime_verdict && site))) {
            enum confidence conf = rule_runtime_permanently_blocked.confidence;
            if (!site_user && !runtime_verdict && !test_mode) conf = lower(conf);
            const struct profile_frame *at = loc ? loc : site;
            struct finding f = {0};
            f.rule_id = rule_runtime_permanently_blocked.id;
            f.rule_name = rule_runtime_permanently_blocked.name;
            f.severity = rule_runtime_permanently_blocked.severity;
            prof_fill_location(&f, o, at);
            f.message = xasprintf("%zu goroutine%s blocked forever (%s) in %s%s%s%s%s", perm, perm == 1 ? "" : "s",
                                  state, loc ? loc->func : where, inside ? inside : "", wt,
                                  runtime_verdict ? "; the runtime's leak detector marked them leaked" : "", tt);
            int pc = prof_add_prediction(&f, o, at);
            if (pc >= 0 && pc != CONF_LOW) conf = CONF_HIGH; /* the source and the dump agree */
            f.confidence = conf;
            add_creator(&f, p, o, s->creator);
            if (keep(&f, o, out)) added++;
        }
        if (cand && loc && !p->leak_profile) {
            /* 0 high, 1 medium, 2 low, 3 not a suspect */
            bool long_wait = o->min_wait > 0 && s->max_wait >= o->min_wait;
            size_t min_count = test_mode ? 1 : o->min_count;
            int c = cand >= min_count ? (long_wait ? 0 : 1) : long_wait ? 2 : 3;
            if (!site_user && !test_mode && c < 3) c++;
            if (c <= 2) {
                struct finding f = {0};
                f.rule_id = rule_runtime_leak_suspect.id;
                f.rule_name = rule_runtime_leak_suspect.name;
                f.severity = rule_runtime_leak_suspect.severity;
                prof_fill_location(&f, o, loc);
                f.message = xasprintf("%zu goroutine%s blocked in %s in %s%s%s%s", cand, cand == 1 ? "" : "s", state,
                                      loc->func, inside ? inside : "", wt, tt);
                /* the source and the dump agree: high; a cautious (low
                 * confidence) static guess is named but proves nothing */
                int pc = prof_add_prediction(&f, o, loc);
                if (pc >= 0 && pc != CONF_LOW) {
                    c = 0;
                } else if (!test_mode) {
                    /* the runtime's leak detector ran and left these alone (an
                     * idle pool, a lock whose holder lives on), or a shape a
                     * healthy program has: low, shown with --confidence low */
                    const char *healthy = p->leak_marks ? "the runtime's leak detector did not mark them leaked"
                                                        : prof_healthy_shape(p, s, cand, o);
                    if (healthy) {
                        char *m = xasprintf("%s; looks healthy: %s", f.message, healthy);
                        free(f.message);
                        f.message = m;
                        c = 2;
                    }
                }
                f.confidence = (enum confidence)c;
                add_creator(&f, p, o, s->creator);
                if (keep(&f, o, out)) added++;
            }
        }
        free(wt);
        free(inside);
        free(tt);
    }
    return added;
}
