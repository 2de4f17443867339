/* rules/waitgroup_add_in_goroutine: GD301 waitgroup-add-in-goroutine. TODO: one line on what it finds.
 * TODO: one line on how (which nodes, which model facts). */
#include "rule.h"

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)ctx, (void)n;
}

const struct rule rule_waitgroup_add_in_goroutine = {
    .id = "GD301",
    .name = "waitgroup-add-in-goroutine",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = NULL,
    .why = NULL,
    .bad = NULL,
    .good = NULL,
    .fix_safety = NULL,
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
