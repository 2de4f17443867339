/* rules/huge_chan_buffer: GD201 huge-chan-buffer. TODO: one line on what it finds.
 * TODO: one line on how (which nodes, which model facts). */
#include "rule.h"

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)ctx, (void)n;
}

const struct rule rule_huge_chan_buffer = {
    .id = "GD201",
    .name = "huge-chan-buffer",
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
