/* watch_p: what the watch files share: a small JSON reader for the JSONL
 * file (json.c) and JSON string output. */
#ifndef GODARK_WATCH_P_H
#define GODARK_WATCH_P_H

#include "watch.h"

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUM, JSON_STR, JSON_ARR, JSON_OBJ };

/* A parsed JSON value; every part lives in the arena given to json_parse. */
struct json {
    enum json_type type;
    bool b;
    double num;
    const char *str;     /* JSON_STR: NUL-terminated, UTF-8 (may hold NUL as \u0000: cut there) */
    size_t len;          /* items of an array or object */
    struct json *items;  /* array elements or object values */
    const char **keys;   /* object keys */
};

/* Parses exactly one JSON value (white space around it allowed) from
 * s[0..n). Returns NULL with err set ("offset N: why") on bad input; nesting
 * deeper than 64 is an error. */
struct json *json_parse(struct arena *a, const char *s, size_t n, char *err, size_t errlen);
/* The value of key in an object, or NULL (also when obj is not an object). */
const struct json *json_get(const struct json *obj, const char *key);

/* Appends s as a JSON string literal: escapes, and invalid UTF-8 as U+FFFD. */
void json_put_str(struct buf *b, const char *s);

#endif
