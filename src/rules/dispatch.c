/* rules/dispatch: one linear walk over the pre-order node array per file;
 * every node goes to the rules registered for its kind. Nodes inside a
 * syntax error region are skipped so a broken file gives no false alarms. */
#include "dispatch.h"

#include <pthread.h>

/* kind -> list of rule indexes, built once */
static uint8_t by_kind[N__COUNT][32];
static uint8_t by_kind_n[N__COUNT];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void build_table(void)
{
    for (size_t r = 0; r < all_rules_count; r++) {
        const struct rule *ru = all_rules[r];
        if (!ru->visit) continue;
        for (int k = 0; k < RULE_MAX_KINDS && ru->kinds[k]; k++) {
            uint8_t kind = ru->kinds[k];
            if (by_kind_n[kind] < GD_ARRAY_LEN(by_kind[kind])) by_kind[kind][by_kind_n[kind]++] = (uint8_t)r;
        }
    }
}

void rules_run_file(struct pkg *p, int fi, const struct check_opts *o, const bool *enabled, struct finding_list *out)
{
    pthread_once(&table_once, build_table);
    const struct gofile *f = &p->files[fi];
    struct rule_ctx ctx = {.pkg = p, .fi = fi, .f = f, .opts = o, .out = out};
    for (nid n = 1; n < f->nnodes;) {
        const struct node *x = &f->nodes[n];
        if (x->kind == N_ERROR) { /* skip the unparsed region */
            n = x->end;
            continue;
        }
        for (unsigned i = 0; i < by_kind_n[x->kind]; i++) {
            size_t r = by_kind[x->kind][i];
            if (enabled && !enabled[r]) continue;
            ctx.rule = all_rules[r];
            ctx.rule->visit(&ctx, n);
        }
        n++;
    }
}
