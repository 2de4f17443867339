/* syntax/source: what every front end does to a file before and after it
 * builds the tree: the line table, the binary and UTF-8 checks, the first
 * error, the "Code generated" mark. Internal to src/syntax/. */
#ifndef GODARK_SOURCE_H
#define GODARK_SOURCE_H

#include "ast.h"

/* Fills f from the bytes (taking ownership of src, which gets two spare
 * bytes: an appended newline when the last line has none, and a NUL) and
 * builds the line table; node 0 is pushed. Returns false when the bytes
 * cannot be Go at all (NUL bytes, over 2 GiB): f then holds that error and
 * an empty tree. Invalid UTF-8 is recorded as an error but parsing goes on. */
bool source_init(struct gofile *f, const char *path, char *src, size_t len);

/* Records a syntax error at a byte offset; the earliest one is kept. Takes
 * ownership of msg. */
void source_error(struct gofile *f, uint32_t byte, char *msg);

/* After the tree is built: the no-package-clause error and the generated
 * mark (a "// Code generated ... DO NOT EDIT." comment before the package
 * clause). */
void source_finish(struct gofile *f);

#endif
