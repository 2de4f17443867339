/* rules/ignore_without_reason: GD001. Not a visitor: with --strict-ignores
 * the check pipeline reports a //godark:ignore comment that gives no reason. */
#include "rule.h"

const struct rule rule_ignore_without_reason = {
    .id = "GD001",
    .name = "ignore-without-reason",
    .severity = SEV_INFO,
    .confidence = CONF_HIGH,
    .summary = "A //godark:ignore comment gives no reason (reported only with --strict-ignores).",
    .why = "A suppression silences a finding for every later reader. Without a reason nobody can tell "
           "whether the finding was a false alarm or a known bug left for later, and the comment outlives "
           "the code it was written for. The suppression still works; --strict-ignores asks for the reason.",
    .bad = "package p\n\nimport \"sync\"\n\nfunc f(wg sync.WaitGroup) { //godark:ignore GD401\n\t_ = &wg\n}\n",
    .good = "package p\n\nimport \"sync\"\n\n// f only reads the counter of a copy on purpose.\nfunc f(wg sync.WaitGroup) { //godark:ignore GD401 copy is intended: a snapshot for tests\n\t_ = &wg\n}\n",
    .fix_safety = NULL,
    .kinds = {0},
    .visit = NULL,
};
