/* rules/docs: one rule's documentation page, and the rule table, rendered
 * from the rule registry for `godark explain`, docs/rules/ and README. */
#ifndef GODARK_DOCS_H
#define GODARK_DOCS_H

#include "rule.h"

/* Appends the Markdown page of rule r to b. */
void docs_rule_page(struct buf *b, const struct rule *r);
/* Appends the Markdown rule table (id, name, severity, summary) to b. */
void docs_rule_table(struct buf *b, bool links);
/* "GD301-waitgroup-add-in-goroutine.md" (static buffer per call: copy it). */
const char *docs_rule_filename(const struct rule *r, char *out, size_t n);

/* The man page godark(1), in roff: the usage text given, the rule table,
 * exit status (make install writes it). */
void docs_man_page(struct buf *b, const char *usage, const char *version);

#endif
