/* rules/dispatch: runs the enabled rules over one file of a package in a
 * single pre-order walk, each node kind going to the rules that asked. */
#ifndef GODARK_DISPATCH_H
#define GODARK_DISPATCH_H

#include "rule.h"

/* enabled: indexed like all_rules[], NULL = all. */
void rules_run_file(struct pkg *p, int fi, const struct check_opts *o, const bool *enabled,
                    struct finding_list *out);

#endif
