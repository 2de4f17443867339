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
    f->file = xstrdup(fr->file);
    f->line = fr->line > 0 ? fr->line : 1;
    f->end_line = f->line;
    if (o && o->source_dir) {
        const char *mapped = NULL;
        const char *src = prof_source_line(o->source_dir, fr->file, fr->line, &mapped);
        if (src) {
            int col = 1;
            while (src[col - 1] == ' ' || src[col - 1] == '\t') col++;
            f->source_line = xstrdup(src);
            free(f->file);
            f->file = xstrdup(mapped);
            f->col = col;
            f->end_col = (int)strlen(src) + 1;
        }
    }
}

static void add_creator(struct finding *f, const struct profile *p, uint32_t creator)
{
    if (creator == PROFILE_NONE) return;
    const struct profile_frame *c = &p->frames.items[creator];
    char *msg = xasprintf("created by %s", c->func);
    finding_add_related(f, c->file, c->line > 0 ? c->line : 1, 1, msg);
    free(msg);
}

static char *wait_text(int max_wait)
{
    if (max_wait >= 1) return xasprintf(", waiting up to %d minute%s", max_wait, max_wait == 1 ? "" : "s");
    return xstrdup("");
}

size_t profile_suspects(const struct profile *p, const struct profile_opts *o, struct finding_list *out)
{
    size_t added = 0;
    for (size_t si = 0; si < p->sites.len; si++) {
        const struct profile_site *s = &p->sites.items[si];
        size_t perm = s->by_class[PCLASS_PERMANENT], cand = s->by_class[PCLASS_CANDIDATE];
        if (!perm && !cand) continue;
        const struct profile_frame *site = s->frame != PROFILE_NONE ? &p->frames.items[s->frame] : NULL;
        bool site_user = site && (site->flags & PF_USER);
        const struct profile_frame *loc = site_user ? site
                                          : s->user_frame != PROFILE_NONE ? &p->frames.items[s->user_frame]
                                                                          : NULL;
        const char *state = s->main_state != PROFILE_NONE ? p->states.items[s->main_state] : "?";
        const char *where = site ? site->func : "?";
        char *wt = wait_text(s->max_wait);
        char *inside = NULL;
        if (site && loc && loc != site) inside = xasprintf(" inside %s", site->func);
        /* permanent: nil channel, select {}, or the runtime's own verdict */
        bool runtime_verdict = p->leak_profile || strstr(state, "(leaked)") != NULL;
        if (perm && (loc || (runtime_verdict && site))) {
            enum confidence conf = rule_runtime_permanently_blocked.confidence;
            if (!site_user && !runtime_verdict) conf = lower(conf);
            if (conf <= o->min_confidence) {
                const struct profile_frame *at = loc ? loc : site;
                struct finding *f = finding_list_push(out);
                f->rule_id = rule_runtime_permanently_blocked.id;
                f->rule_name = rule_runtime_permanently_blocked.name;
                f->severity = rule_runtime_permanently_blocked.severity;
                f->confidence = conf;
                prof_fill_location(f, o, at);
                f->message = xasprintf("%zu goroutine%s blocked forever (%s) in %s%s%s%s", perm, perm == 1 ? "" : "s",
                                       state, loc ? loc->func : where, inside ? inside : "", wt,
                                       runtime_verdict ? "; the runtime's leak detector marked them leaked" : "");
                prof_add_prediction(f, o, at);
                add_creator(f, p, s->creator);
                added++;
            }
        }
        if (cand && loc && !p->leak_profile) {
            /* 0 high, 1 medium, 2 low, 3 not a suspect */
            bool long_wait = o->min_wait > 0 && s->max_wait >= o->min_wait;
            int c = cand >= o->min_count ? (long_wait ? 0 : 1) : long_wait ? 2 : 3;
            if (!site_user && c < 3) c++;
            enum confidence conf = (enum confidence)(c > 2 ? 2 : c);
            if (c <= 2 && conf <= o->min_confidence) {
                struct finding *f = finding_list_push(out);
                f->rule_id = rule_runtime_leak_suspect.id;
                f->rule_name = rule_runtime_leak_suspect.name;
                f->severity = rule_runtime_leak_suspect.severity;
                f->confidence = conf;
                prof_fill_location(f, o, loc);
                f->message = xasprintf("%zu goroutine%s blocked in %s in %s%s%s", cand, cand == 1 ? "" : "s", state,
                                       loc->func, inside ? inside : "", wt);
                prof_add_prediction(f, o, loc);
                add_creator(f, p, s->creator);
                added++;
            }
        }
        free(wt);
        free(inside);
    }
    return added;
}
