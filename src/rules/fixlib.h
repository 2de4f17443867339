/* rules/fixlib: what the rules that attach machine edits (rule_edit) share:
 * where a statement's lines begin and end, its indentation, whether it is
 * alone on its lines, and whether a name is free in a function. */
#ifndef GODARK_FIXLIB_H
#define GODARK_FIXLIB_H

#include "rule.h"

/* Byte offset of the start of the line holding byte `at`. */
uint32_t fx_line_start(const struct gofile *f, uint32_t at);
/* Byte offset just after the newline ending the line holding byte `at`
 * (the file's length on a last line without one). */
uint32_t fx_line_end(const struct gofile *f, uint32_t at);
/* The blanks before node n on its first line, when nothing else precedes
 * it there; false otherwise. */
bool fx_indent(const struct gofile *f, nid n, struct str *indent);
/* Is node n alone on its lines: only blanks before it on its first line,
 * and after it on its last line only blanks or, with comment_ok, a `//`
 * comment? */
bool fx_alone(const struct gofile *f, nid n, bool comment_ok);
/* Is statement st directly in a statement list or a switch or select
 * clause's statements (not an if/for/switch header, not labelled)? */
bool fx_in_stmt_list(const struct gofile *f, nid st);
/* Does any identifier spelled `name` occur in node n's subtree? */
bool fx_name_used(const struct gofile *f, nid n, const char *name);

#endif
