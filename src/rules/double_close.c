/* rules/double_close: GD202 double-close. TODO: one line on what it finds.
 * TODO: one line on how (which nodes, which model facts). */
#include "rule.h"

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)ctx, (void)n;
}

const struct rule rule_double_close = {
    .id = "GD202",
    .name = "double-close",
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
