/* rules/time_after_in_loop: GD501 time-after-in-loop. TODO: one line on what it finds.
 * TODO: one line on how (which nodes, which model facts). */
#include "rule.h"

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)ctx, (void)n;
}

const struct rule rule_time_after_in_loop = {
    .id = "GD501",
    .name = "time-after-in-loop",
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
