/* report/finding: owning list of findings, their deterministic order and the
 * names of severities and confidences. */
#include "finding.h"

#include <stdlib.h>

const char *severity_name(enum severity s)
{
    switch (s) {
    case SEV_ERROR: return "error";
    case SEV_WARNING: return "warning";
    case SEV_INFO: return "info";
    }
    return "warning";
}

const char *confidence_name(enum confidence c)
{
    switch (c) {
    case CONF_HIGH: return "high";
    case CONF_MEDIUM: return "medium";
    case CONF_LOW: return "low";
    }
    return "high";
}

bool confidence_parse(const char *s, enum confidence *out)
{
    if (!strcmp(s, "high")) *out = CONF_HIGH;
    else if (!strcmp(s, "medium")) *out = CONF_MEDIUM;
    else if (!strcmp(s, "low")) *out = CONF_LOW;
    else return false;
    return true;
}

struct finding *finding_list_push(struct finding_list *l)
{
    vec_reserve(l, 1);
    struct finding *f = &l->items[l->len++];
    memset(f, 0, sizeof(*f));
    return f;
}

void finding_add_related(struct finding *f, const char *file, int line, int col, const char *msg)
{
    f->related = xrealloc(f->related, (f->nrelated + 1) * sizeof(*f->related));
    struct related *r = &f->related[f->nrelated++];
    r->file = xstrdup(file ? file : "");
    r->line = line;
    r->col = col;
    r->message = xstrdup(msg ? msg : "");
}

void finding_add_edit(struct finding *f, const struct edit *e)
{
    f->edits = xrealloc(f->edits, (f->nedits + 1) * sizeof(*f->edits));
    struct edit *d = &f->edits[f->nedits++];
    *d = *e;
    d->file = xstrdup(e->file ? e->file : "");
    d->text = xstrdup(e->text ? e->text : "");
}

void finding_list_move(struct finding_list *dst, struct finding_list *src)
{
    vec_reserve(dst, src->len);
    if (src->len) memcpy(dst->items + dst->len, src->items, src->len * sizeof(*src->items));
    dst->len += src->len;
    vec_free(src);
}

static int cmp_finding(const void *pa, const void *pb)
{
    const struct finding *a = pa, *b = pb;
    int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
    if (c) return c;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->col != b->col) return a->col < b->col ? -1 : 1;
    c = strcmp(a->rule_id, b->rule_id);
    if (c) return c;
    return strcmp(a->message ? a->message : "", b->message ? b->message : "");
}

void finding_list_sort(struct finding_list *l)
{
    if (l->len > 1) qsort(l->items, l->len, sizeof(*l->items), cmp_finding);
}

void finding_clear(struct finding *f)
{
    free(f->file);
    free(f->message);
    free(f->fix);
    free(f->source_line);
    for (size_t j = 0; j < f->nrelated; j++) {
        free(f->related[j].file);
        free(f->related[j].message);
    }
    free(f->related);
    for (size_t j = 0; j < f->nedits; j++) {
        free(f->edits[j].file);
        free(f->edits[j].text);
    }
    free(f->edits);
    memset(f, 0, sizeof(*f));
}

void finding_list_free(struct finding_list *l)
{
    for (size_t i = 0; i < l->len; i++) finding_clear(&l->items[i]);
    vec_free(l);
}

uint64_t finding_fingerprint(const struct finding *f, const char *path)
{
    uint64_t h = 1469598103934665603ull;
#define MIX(c) (h = (h ^ (uint8_t)(c)) * 1099511628211ull)
    for (const char *p = f->rule_id ? f->rule_id : ""; *p; p++) MIX(*p);
    MIX(0);
    for (const char *p = path ? path : ""; *p; p++) MIX(*p);
    MIX(0);
    /* the code, blanks dropped (reindenting keeps it); else the message,
     * digits dropped (the line numbers it names shift) */
    const char *text = f->source_line && *f->source_line ? f->source_line : f->message;
    bool code = text == f->source_line;
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\r') continue;
        if (!code && *p >= '0' && *p <= '9') continue;
        MIX(*p);
    }
#undef MIX
    return h;
}
