/* syntax/parse: the front end. Turns Go source bytes into a struct gofile.
 * Today it uses tree-sitter; nothing else in godark knows that. */
#ifndef GODARK_PARSE_H
#define GODARK_PARSE_H

#include "ast.h"

/* One parser per thread. */
struct syntax_parser;
struct syntax_parser *syntax_parser_new(void);
void syntax_parser_free(struct syntax_parser *p);

/* Parses `src` (len bytes, malloc'd; ownership passes to the gofile, which
 * may realloc it). Never fails for any bytes: syntax errors set has_error
 * and the tree holds ERROR nodes where the source was not understood.
 * Binary input (NUL bytes) and invalid UTF-8 also set has_error with a
 * message. The caller frees the result with gofile_free. */
void syntax_parse(struct syntax_parser *p, const char *path, char *src, size_t len, struct gofile *out);

#endif
