/* syntax/parse_ts: the tree-sitter front end (lower_ts.c), the differential
 * test oracle of our own parser. Built only for `make parser-diff`; the same
 * contract as syntax_parse. */
#ifndef GODARK_PARSE_TS_H
#define GODARK_PARSE_TS_H

#include "ast.h"

struct syntax_ts_parser;
struct syntax_ts_parser *syntax_ts_parser_new(void);
void syntax_ts_parser_free(struct syntax_ts_parser *p);
void syntax_ts_parse(struct syntax_ts_parser *p, const char *path, char *src, size_t len, struct gofile *out);

#endif
