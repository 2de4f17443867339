/* profile/openmetrics: `godark goroutines --format openmetrics`: one dump's
 * goroutines per block site as OpenMetrics gauges (report/openmetrics.h),
 * for the node exporter's textfile collector. */
#include "profile_p.h"

#include <stdlib.h>

#include "../report/openmetrics.h"

/* A site is a suspect when a runtime finding sits where profile_suspects
 * puts it: the site frame when it is user code, else its first user frame. */
static bool is_suspect(const struct profile *p, const struct profile_site *s, const struct profile_opts *o,
                       const struct finding_list *fl)
{
    const struct profile_frame *site = s->frame != PROFILE_NONE ? &p->frames.items[s->frame] : NULL;
    const struct profile_frame *loc = site && (site->flags & PF_USER) ? site
                                      : s->user_frame != PROFILE_NONE ? &p->frames.items[s->user_frame]
                                                                      : site;
    if (!loc) return false;
    const char *file = prof_display_path(o, loc);
    int line = loc->line > 0 ? loc->line : 1;
    for (size_t i = 0; i < fl->len; i++) {
        const struct finding *f = &fl->items[i];
        if (!strncmp(f->rule_id, "GD90", 4) && f->line == line && f->file && !strcmp(f->file, file)) return true;
    }
    return false;
}

bool profile_write_openmetrics(FILE *out, const struct profile *p, const struct profile_opts *o,
                               const struct finding_list *fl, size_t top)
{
    struct buf b = {0};
    struct om_writer w = {&b, true};
    om_gauge(&w, "godark_goroutines", "Goroutines in the dump.", (double)p->total);
    om_gauge(&w, "godark_suspects", "Leak suspects reported for the dump (GD901-GD903).", (double)fl->len);
    struct om_site *sites = xcalloc(p->sites.len + 1, sizeof(*sites));
    for (size_t i = 0; i < p->sites.len; i++) {
        const struct profile_site *s = &p->sites.items[i];
        struct om_site *x = &sites[i];
        const struct profile_frame *f = s->frame != PROFILE_NONE ? &p->frames.items[s->frame] : NULL;
        x->func = f ? f->func : "";
        x->file = f ? prof_display_path(o, f) : "";
        x->line = f ? f->line : 0;
        x->state = s->main_state != PROFILE_NONE ? p->states.items[s->main_state] : "";
        x->goroutines = s->count;
        x->growing = -1;
        x->suspect = is_suspect(p, s, o, fl);
    }
    om_sites(&w, sites, p->sites.len, top ? top : 1);
    om_end(&w);
    free(sites);
    bool ok = fwrite(b.data, 1, b.len, out) == b.len;
    buf_free(&b);
    return ok;
}
