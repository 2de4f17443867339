/* syntax/parse: the front end. Turns Go source bytes into a struct gofile
 * with our own scanner and parser (scan.c, parse.c). */
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

/* The tree-sitter front end (lower_ts.c), the differential-test oracle of
 * the parser above, with the same contract. Linked only into `make
 * parser-diff`'s tool, never into godark. */
struct syntax_ts_parser;
struct syntax_ts_parser *syntax_ts_parser_new(void);
void syntax_ts_parser_free(struct syntax_ts_parser *p);
void syntax_ts_parse(struct syntax_ts_parser *p, const char *path, char *src, size_t len, struct gofile *out);

#endif
