/* profile/diff: two snapshots compared per block site and per stack: counts
 * in both, growth, new and vanished stacks; growth of blocked goroutines at a
 * user site is a suspect (GD902). Frames match by content, not by id. */
#include "profile_p.h"

#include <stdlib.h>

#include "../rules/rule.h"

extern const struct rule rule_runtime_goroutine_growth;

struct keyed {
    uint64_t key;
    uint32_t idx;
};
static int cmp_keyed(const void *a, const void *b)
{
    uint64_t x = ((const struct keyed *)a)->key, y = ((const struct keyed *)b)->key;
    return x < y ? -1 : x > y;
}

static bool frame_eq(const struct profile_frame *a, const struct profile_frame *b)
{
    return a->hash == b->hash && a->line == b->line && !strcmp(a->func, b->func) && !strcmp(a->file, b->file);
}

static uint64_t site_key(const struct profile *p, uint32_t frame)
{
    return frame == PROFILE_NONE ? 0 : p->frames.items[frame].hash | 1;
}

static uint64_t stack_key(const struct profile *p, const struct profile_group *g)
{
    uint64_t h = 0x51ed;
    for (uint32_t i = 0; i < g->nframes; i++) h = (h ^ p->frames.items[g->frames[i]].hash) * 0x100000001b3ull;
    return h;
}

static bool stack_eq(const struct profile *pa, const struct profile_group *a, const struct profile *pb,
                     const struct profile_group *b)
{
    if (a->nframes != b->nframes) return false;
    for (uint32_t i = 0; i < a->nframes; i++)
        if (!frame_eq(&pa->frames.items[a->frames[i]], &pb->frames.items[b->frames[i]])) return false;
    return true;
}

static enum profile_class site_class(const struct profile_site *s)
{
    for (int c = PCLASS_PERMANENT; c > PCLASS_RUNTIME; c--)
        if (s->by_class[c]) return (enum profile_class)c;
    return PCLASS_RUNTIME;
}

static int cmp_row(const void *pa, const void *pb)
{
    const struct profile_diff_row *a = pa, *b = pb;
    long ga = a->after - a->before, gb = b->after - b->before;
    if (ga != gb) return ga > gb ? -1 : 1;
    if (a->after != b->after) return a->after > b->after ? -1 : 1;
    const struct profile_frame *fa = a->frame, *fb = b->frame;
    if (!fa || !fb) return fa ? -1 : fb ? 1 : 0;
    int c = strcmp(fa->file, fb->file);
    if (c) return c;
    if (fa->line != fb->line) return fa->line < fb->line ? -1 : 1;
    return strcmp(fa->func, fb->func);
}

void profile_diff_compute(const struct profile *before, const struct profile *after, struct profile_diff *out)
{
    memset(out, 0, sizeof(*out));
    /* sites */
    struct keyed *bk = xmalloc((before->sites.len + 1) * sizeof(*bk));
    bool *used = xcalloc(before->sites.len + 1, 1);
    for (size_t i = 0; i < before->sites.len; i++)
        bk[i].key = site_key(before, before->sites.items[i].frame), bk[i].idx = (uint32_t)i;
    qsort(bk, before->sites.len, sizeof(*bk), cmp_keyed);
    for (size_t i = 0; i < after->sites.len; i++) {
        const struct profile_site *sa = &after->sites.items[i];
        struct profile_diff_row r = {0};
        r.sa = sa;
        r.after = (long)sa->count;
        r.frame = sa->frame != PROFILE_NONE ? &after->frames.items[sa->frame] : NULL;
        r.cls = site_class(sa);
        r.state = sa->main_state;
        r.state_prof = after;
        struct keyed k = {site_key(after, sa->frame), 0};
        struct keyed *hit = bsearch(&k, bk, before->sites.len, sizeof(*bk), cmp_keyed);
        if (hit) {
            while (hit > bk && hit[-1].key == k.key) hit--;
            for (; hit < bk + before->sites.len && hit->key == k.key; hit++) {
                const struct profile_site *sb = &before->sites.items[hit->idx];
                bool same = (sb->frame == PROFILE_NONE && sa->frame == PROFILE_NONE) ||
                            (sb->frame != PROFILE_NONE && sa->frame != PROFILE_NONE &&
                             frame_eq(&before->frames.items[sb->frame], &after->frames.items[sa->frame]));
                if (same && !used[hit->idx]) {
                    used[hit->idx] = true;
                    r.sb = sb;
                    r.before = (long)sb->count;
                    break;
                }
            }
        }
        vec_push(&out->sites, r);
    }
    for (size_t i = 0; i < before->sites.len; i++) {
        if (used[i]) continue;
        const struct profile_site *sb = &before->sites.items[i];
        struct profile_diff_row r = {0};
        r.sb = sb;
        r.before = (long)sb->count;
        r.frame = sb->frame != PROFILE_NONE ? &before->frames.items[sb->frame] : NULL;
        r.cls = site_class(sb);
        r.state = sb->main_state;
        r.state_prof = before;
        vec_push(&out->sites, r);
    }
    free(bk);
    free(used);

    /* stacks */
    bk = xmalloc((before->groups.len + 1) * sizeof(*bk));
    used = xcalloc(before->groups.len + 1, 1);
    for (size_t i = 0; i < before->groups.len; i++)
        bk[i].key = stack_key(before, &before->groups.items[i]), bk[i].idx = (uint32_t)i;
    qsort(bk, before->groups.len, sizeof(*bk), cmp_keyed);
    for (size_t i = 0; i < after->groups.len; i++) {
        const struct profile_group *ga = &after->groups.items[i];
        struct profile_diff_row r = {0};
        r.ga = ga;
        r.after = (long)ga->count;
        r.frame = ga->site != PROFILE_NONE ? &after->frames.items[ga->site] : NULL;
        r.cls = ga->cls;
        r.state = ga->main_state;
        r.state_prof = after;
        struct keyed k = {stack_key(after, ga), 0};
        struct keyed *hit = bsearch(&k, bk, before->groups.len, sizeof(*bk), cmp_keyed);
        if (hit) {
            while (hit > bk && hit[-1].key == k.key) hit--;
            for (; hit < bk + before->groups.len && hit->key == k.key; hit++) {
                const struct profile_group *gb = &before->groups.items[hit->idx];
                if (!used[hit->idx] && stack_eq(before, gb, after, ga)) {
                    used[hit->idx] = true;
                    r.gb = gb;
                    r.before = (long)gb->count;
                    break;
                }
            }
        }
        vec_push(&out->stacks, r);
    }
    for (size_t i = 0; i < before->groups.len; i++) {
        if (used[i]) continue;
        const struct profile_group *gb = &before->groups.items[i];
        struct profile_diff_row r = {0};
        r.gb = gb;
        r.before = (long)gb->count;
        r.frame = gb->site != PROFILE_NONE ? &before->frames.items[gb->site] : NULL;
        r.cls = gb->cls;
        r.state = gb->main_state;
        r.state_prof = before;
        vec_push(&out->stacks, r);
    }
    free(bk);
    free(used);
    if (out->sites.len > 1) qsort(out->sites.items, out->sites.len, sizeof(*out->sites.items), cmp_row);
    if (out->stacks.len > 1) qsort(out->stacks.items, out->stacks.len, sizeof(*out->stacks.items), cmp_row);
}

void profile_diff_free(struct profile_diff *d)
{
    vec_free(&d->sites);
    vec_free(&d->stacks);
}

static size_t blocked(const struct profile_site *s)
{
    return s ? s->by_class[PCLASS_CANDIDATE] + s->by_class[PCLASS_PERMANENT] : 0;
}

size_t profile_diff_suspects(const struct profile *before, const struct profile *after, const struct profile_diff *d,
                             const struct profile_opts *o, struct finding_list *out)
{
    (void)before;
    size_t added = 0;
    for (size_t i = 0; i < d->sites.len; i++) {
        const struct profile_diff_row *r = &d->sites.items[i];
        if (!r->sa) continue;
        size_t b = blocked(r->sb), a = blocked(r->sa);
        if (a <= b || a - b < o->min_growth || o->min_growth == 0) continue;
        const struct profile_site *sa = r->sa;
        const struct profile_frame *site = sa->frame != PROFILE_NONE ? &after->frames.items[sa->frame] : NULL;
        bool site_user = site && (site->flags & PF_USER);
        const struct profile_frame *loc = site_user ? site
                                          : sa->user_frame != PROFILE_NONE ? &after->frames.items[sa->user_frame]
                                                                           : NULL;
        if (!loc) continue;
        enum confidence conf = site_user ? rule_runtime_goroutine_growth.confidence : CONF_MEDIUM;
        if (conf > o->min_confidence) continue;
        const char *state = sa->main_state != PROFILE_NONE ? after->states.items[sa->main_state] : "?";
        struct finding *f = finding_list_push(out);
        f->rule_id = rule_runtime_goroutine_growth.id;
        f->rule_name = rule_runtime_goroutine_growth.name;
        f->severity = rule_runtime_goroutine_growth.severity;
        f->confidence = conf;
        prof_fill_location(f, o, loc);
        f->message = xasprintf("goroutines blocked in %s in %s grew from %zu to %zu (+%zu)%s%s", state, loc->func, b, a,
                               a - b, site && site != loc ? " inside " : "", site && site != loc ? site->func : "");
        prof_add_prediction(f, o, loc);
        if (sa->creator != PROFILE_NONE) {
            const struct profile_frame *c = &after->frames.items[sa->creator];
            char *m = xasprintf("created by %s", c->func);
            finding_add_related(f, c->file, c->line > 0 ? c->line : 1, 1, m);
            free(m);
        }
        added++;
    }
    return added;
}
