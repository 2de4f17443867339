/* watch/json: just enough JSON to read back the JSONL samples that watch
 * writes (recursive descent, bounded depth, arena memory), and the string
 * escaping that writes them. */
#include "watch_p.h"

#include <stdio.h>
#include <stdlib.h>

#include "../report/report.h"

#define JSON_MAX_DEPTH 64

struct jp {
    struct arena *a;
    const char *s, *e, *p;
    char *err;
    size_t errlen;
    bool failed;
};

static void jfail(struct jp *j, const char *why)
{
    if (j->failed) return;
    j->failed = true;
    snprintf(j->err, j->errlen, "offset %zu: %s", (size_t)(j->p - j->s), why);
}

static void skip_ws(struct jp *j)
{
    while (j->p < j->e && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) j->p++;
}

static bool lit(struct jp *j, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(j->e - j->p) < n || memcmp(j->p, w, n)) return false;
    j->p += n;
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool hex4(struct jp *j, unsigned *out)
{
    if (j->e - j->p < 4) return false;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(j->p[i]);
        if (h < 0) return false;
        v = v * 16 + (unsigned)h;
    }
    j->p += 4;
    *out = v;
    return true;
}

static void put_utf8(struct buf *b, unsigned cp)
{
    char t[4];
    if (cp < 0x80) {
        buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        t[0] = (char)(0xc0 | (cp >> 6)), t[1] = (char)(0x80 | (cp & 0x3f));
        buf_append(b, t, 2);
    } else if (cp < 0x10000) {
        t[0] = (char)(0xe0 | (cp >> 12)), t[1] = (char)(0x80 | ((cp >> 6) & 0x3f)), t[2] = (char)(0x80 | (cp & 0x3f));
        buf_append(b, t, 3);
    } else {
        t[0] = (char)(0xf0 | (cp >> 18)), t[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), t[3] = (char)(0x80 | (cp & 0x3f));
        buf_append(b, t, 4);
    }
}

static const char *parse_string(struct jp *j)
{
    j->p++; /* the opening quote */
    struct buf b = {0};
    while (j->p < j->e && *j->p != '"') {
        unsigned char c = (unsigned char)*j->p;
        if (c < 0x20) {
            jfail(j, "control character in a string");
            break;
        }
        if (c != '\\') {
            buf_putc(&b, (char)c);
            j->p++;
            continue;
        }
        j->p++;
        if (j->p >= j->e) break;
        char esc = *j->p++;
        unsigned cp;
        switch (esc) {
        case '"': buf_putc(&b, '"'); break;
        case '\\': buf_putc(&b, '\\'); break;
        case '/': buf_putc(&b, '/'); break;
        case 'b': buf_putc(&b, '\b'); break;
        case 'f': buf_putc(&b, '\f'); break;
        case 'n': buf_putc(&b, '\n'); break;
        case 'r': buf_putc(&b, '\r'); break;
        case 't': buf_putc(&b, '\t'); break;
        case 'u':
            if (!hex4(j, &cp)) {
                jfail(j, "bad \\u escape");
                break;
            }
            if (cp >= 0xd800 && cp < 0xdc00) { /* a surrogate pair */
                unsigned lo;
                if (j->e - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u') {
                    j->p += 2;
                    if (hex4(j, &lo) && lo >= 0xdc00 && lo < 0xe000) cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    else cp = 0xfffd;
                } else {
                    cp = 0xfffd;
                }
            } else if (cp >= 0xdc00 && cp < 0xe000) {
                cp = 0xfffd;
            }
            put_utf8(&b, cp);
            break;
        default: jfail(j, "bad escape in a string");
        }
        if (j->failed) break;
    }
    if (!j->failed && j->p >= j->e) jfail(j, "unterminated string");
    if (j->failed) {
        buf_free(&b);
        return NULL;
    }
    j->p++; /* the closing quote */
    char *r = arena_strndup(j->a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return r;
}

static bool parse_value(struct jp *j, struct json *v, int depth);

static bool parse_number(struct jp *j, struct json *v)
{
    const char *st = j->p;
    if (j->p < j->e && *j->p == '-') j->p++;
    if (j->p >= j->e || !(*j->p >= '0' && *j->p <= '9')) {
        jfail(j, "unexpected character");
        return false;
    }
    while (j->p < j->e && ((*j->p >= '0' && *j->p <= '9') || *j->p == '.' || *j->p == 'e' || *j->p == 'E' ||
                           *j->p == '+' || *j->p == '-'))
        j->p++;
    char tmp[64];
    size_t n = (size_t)(j->p - st);
    if (n >= sizeof(tmp)) {
        jfail(j, "number too long");
        return false;
    }
    memcpy(tmp, st, n);
    tmp[n] = 0;
    char *end;
    v->type = JSON_NUM;
    v->num = strtod(tmp, &end);
    if (*end) {
        j->p = st;
        jfail(j, "bad number");
        return false;
    }
    return true;
}

/* Elements are collected in a malloc'd vector, then copied to the arena. */
static bool parse_compound(struct jp *j, struct json *v, int depth, bool obj)
{
    char close = obj ? '}' : ']';
    j->p++;
    VEC(struct json) items = {0};
    VEC(const char *) keys = {0};
    skip_ws(j);
    if (j->p < j->e && *j->p == close) {
        j->p++;
    } else {
        for (;;) {
            skip_ws(j);
            if (obj) {
                if (j->p >= j->e || *j->p != '"') {
                    jfail(j, "expected a key");
                    break;
                }
                const char *k = parse_string(j);
                if (!k) break;
                vec_push(&keys, k);
                skip_ws(j);
                if (j->p >= j->e || *j->p != ':') {
                    jfail(j, "expected ':'");
                    break;
                }
                j->p++;
            }
            struct json item;
            if (!parse_value(j, &item, depth + 1)) break;
            vec_push(&items, item);
            skip_ws(j);
            if (j->p < j->e && *j->p == ',') {
                j->p++;
                continue;
            }
            if (j->p < j->e && *j->p == close) {
                j->p++;
                break;
            }
            jfail(j, obj ? "expected ',' or '}'" : "expected ',' or ']'");
            break;
        }
    }
    if (!j->failed) {
        v->type = obj ? JSON_OBJ : JSON_ARR;
        v->len = items.len;
        v->items = arena_alloc(j->a, (items.len ? items.len : 1) * sizeof(struct json));
        if (items.len) memcpy(v->items, items.items, items.len * sizeof(struct json));
        if (obj) {
            v->keys = arena_alloc(j->a, (keys.len ? keys.len : 1) * sizeof(const char *));
            if (keys.len) memcpy(v->keys, keys.items, keys.len * sizeof(const char *));
        }
    }
    vec_free(&items);
    vec_free(&keys);
    return !j->failed;
}

static bool parse_value(struct jp *j, struct json *v, int depth)
{
    memset(v, 0, sizeof(*v));
    if (depth > JSON_MAX_DEPTH) {
        jfail(j, "nested too deeply");
        return false;
    }
    skip_ws(j);
    if (j->p >= j->e) {
        jfail(j, "unexpected end of input");
        return false;
    }
    switch (*j->p) {
    case '{': return parse_compound(j, v, depth, true);
    case '[': return parse_compound(j, v, depth, false);
    case '"':
        v->type = JSON_STR;
        v->str = parse_string(j);
        return v->str != NULL;
    case 't':
    case 'f':
    case 'n':
        if (lit(j, "true")) v->type = JSON_BOOL, v->b = true;
        else if (lit(j, "false")) v->type = JSON_BOOL;
        else if (lit(j, "null")) v->type = JSON_NULL;
        else {
            jfail(j, "unexpected word");
            return false;
        }
        return true;
    default: return parse_number(j, v);
    }
}

struct json *json_parse(struct arena *a, const char *s, size_t n, char *err, size_t errlen)
{
    struct jp j = {a, s, s + n, s, err, errlen, false};
    struct json *v = arena_alloc(a, sizeof(*v));
    if (!parse_value(&j, v, 0)) return NULL;
    skip_ws(&j);
    if (j.p != j.e) {
        jfail(&j, "text after the value");
        return NULL;
    }
    return v;
}

const struct json *json_get(const struct json *obj, const char *key)
{
    if (!obj || obj->type != JSON_OBJ) return NULL;
    for (size_t i = 0; i < obj->len; i++)
        if (!strcmp(obj->keys[i], key)) return &obj->items[i];
    return NULL;
}

void json_put_str(struct buf *b, const char *s)
{
    buf_putc(b, '"');
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        switch (*p) {
        case '"': buf_puts(b, "\\\""); p++; continue;
        case '\\': buf_puts(b, "\\\\"); p++; continue;
        case '\n': buf_puts(b, "\\n"); p++; continue;
        case '\t': buf_puts(b, "\\t"); p++; continue;
        case '\r': buf_puts(b, "\\r"); p++; continue;
        default: break;
        }
        if (*p < 0x20 || *p == 0x7f) {
            buf_printf(b, "\\u%04x", *p);
            p++;
            continue;
        }
        size_t bad, n = *p < 0x80 ? 1 : report_utf8_seq(p, &bad);
        if (!n) { /* one U+FFFD per byte of an ill-formed sequence */
            buf_puts(b, "\\ufffd");
            p++;
            continue;
        }
        buf_append(b, (const char *)p, n);
        p += n;
    }
    buf_putc(b, '"');
}
