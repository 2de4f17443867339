/* Unit tests for report/: every writer's output checked byte for byte where
 * the layout is an interface, and JSON outputs parsed by a strict checker. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../src/report/paths.h"
#include "../../src/report/report.h"
#include "../../src/rules/rule.h"

struct tctx {
    bool failed;
    char why[1024];
};

static void tfail(struct tctx *t, const char *fmt, ...) GD_PRINTF(2, 3);
static void tfail(struct tctx *t, const char *fmt, ...)
{
    if (t->failed) return; /* keep the first, most telling failure */
    t->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->why, sizeof(t->why), fmt, ap);
    va_end(ap);
}

/* s with C escapes, truncated, for failure messages. Caller frees. */
static char *show(const char *s)
{
    struct buf b = {0};
    buf_puts(&b, "\"");
    for (const unsigned char *p = (const unsigned char *)(s ? s : "(null)"); *p && b.len < 300; p++) {
        if (*p == '\n') buf_puts(&b, "\\n");
        else if (*p == '\t') buf_puts(&b, "\\t");
        else if (*p == '"' || *p == '\\') buf_printf(&b, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f) buf_printf(&b, "\\x%02x", *p);
        else buf_putc(&b, (char)*p);
    }
    buf_puts(&b, "\"");
    return b.data;
}

static void expect_eq(struct tctx *t, const char *what, const char *got, const char *want)
{
    if (got && want && !strcmp(got, want)) return;
    /* Point at the first difference: long outputs are unreadable whole. */
    size_t i = 0;
    while (got && want && got[i] && got[i] == want[i]) i++;
    size_t from = i > 40 ? i - 40 : 0;
    char *g = show(got ? got + (from < strlen(got) ? from : 0) : NULL);
    char *w = show(want ? want + from : NULL);
    tfail(t, "%s: differs at byte %zu: got %s, want %s", what, i, g, w);
    free(g);
    free(w);
}

static void expect_has(struct tctx *t, const char *what, const char *hay, const char *needle)
{
    if (hay && strstr(hay, needle)) return;
    char *n = show(needle), *h = show(hay);
    tfail(t, "%s: %s not found in %s", what, n, h);
    free(n);
    free(h);
}

static void expect_lacks(struct tctx *t, const char *what, const char *hay, const char *needle)
{
    if (!hay || !strstr(hay, needle)) return;
    char *n = show(needle);
    tfail(t, "%s: %s should not appear", what, n);
    free(n);
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

/* ---- a strict JSON checker (RFC 8259, UTF-8 only) ---- */

struct jp {
    const unsigned char *p;
    const char *err;
};

static void jp_ws(struct jp *j)
{
    while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r') j->p++;
}

static bool jp_fail(struct jp *j, const char *why)
{
    if (!j->err) j->err = why;
    return false;
}

/* One well-formed UTF-8 sequence of 2..4 bytes. */
static bool jp_utf8(struct jp *j)
{
    unsigned char c = *j->p, lo = 0x80, hi = 0xBF;
    int n;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4) n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else return jp_fail(j, "invalid UTF-8 lead byte");
    for (int i = 1; i < n; i++) {
        unsigned char min = i == 1 ? lo : 0x80, max = i == 1 ? hi : 0xBF;
        if (j->p[i] < min || j->p[i] > max) return jp_fail(j, "invalid UTF-8 sequence");
    }
    j->p += n;
    return true;
}

static bool jp_string(struct jp *j)
{
    if (*j->p != '"') return jp_fail(j, "expected string");
    j->p++;
    for (;;) {
        unsigned char c = *j->p;
        if (c == '"') {
            j->p++;
            return true;
        }
        if (c == 0) return jp_fail(j, "unterminated string");
        if (c < 0x20) return jp_fail(j, "raw control character in string");
        if (c == '\\') {
            c = *++j->p;
            if (c == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (!strchr("0123456789abcdefABCDEF", j->p[i]) || !j->p[i]) return jp_fail(j, "bad \\u escape");
                j->p += 5;
            } else if (c && strchr("\"\\/bfnrt", c)) {
                j->p++;
            } else {
                return jp_fail(j, "bad escape");
            }
        } else if (c >= 0x80) {
            if (!jp_utf8(j)) return false;
        } else {
            j->p++;
        }
    }
}

static bool jp_digits(struct jp *j)
{
    if (*j->p < '0' || *j->p > '9') return jp_fail(j, "expected digit");
    while (*j->p >= '0' && *j->p <= '9') j->p++;
    return true;
}

static bool jp_value(struct jp *j, int depth)
{
    if (depth > 64) return jp_fail(j, "too deep");
    jp_ws(j);
    unsigned char c = *j->p;
    if (c == '{' || c == '[') {
        unsigned char close = c == '{' ? '}' : ']';
        j->p++;
        jp_ws(j);
        if (*j->p == close) {
            j->p++;
            return true;
        }
        for (;;) {
            if (c == '{') {
                jp_ws(j);
                if (!jp_string(j)) return false;
                jp_ws(j);
                if (*j->p++ != ':') return jp_fail(j, "expected ':'");
            }
            if (!jp_value(j, depth + 1)) return false;
            jp_ws(j);
            if (*j->p == ',') {
                j->p++;
                continue;
            }
            if (*j->p == close) {
                j->p++;
                return true;
            }
            return jp_fail(j, "expected ',' or close");
        }
    }
    if (c == '"') return jp_string(j);
    if (!strncmp((const char *)j->p, "true", 4)) return j->p += 4, true;
    if (!strncmp((const char *)j->p, "false", 5)) return j->p += 5, true;
    if (!strncmp((const char *)j->p, "null", 4)) return j->p += 4, true;
    if (c == '-' || (c >= '0' && c <= '9')) {
        if (c == '-') j->p++;
        if (*j->p == '0') j->p++;
        else if (!jp_digits(j)) return false;
        if (*j->p == '.') {
            j->p++;
            if (!jp_digits(j)) return false;
        }
        if (*j->p == 'e' || *j->p == 'E') {
            j->p++;
            if (*j->p == '+' || *j->p == '-') j->p++;
            if (!jp_digits(j)) return false;
        }
        return true;
    }
    return jp_fail(j, "unexpected character");
}

static void expect_valid_json(struct tctx *t, const char *what, const char *doc)
{
    struct jp j = {(const unsigned char *)doc, NULL};
    bool ok = jp_value(&j, 0);
    jp_ws(&j);
    if (ok && *j.p) ok = jp_fail(&j, "trailing data");
    if (!ok) {
        char *at = show((const char *)j.p);
        tfail(t, "%s: invalid JSON (%s) at byte %zu: %s", what, j.err, (size_t)(j.p - (const unsigned char *)doc), at);
        free(at);
    }
}

/* ---- fixtures ---- */

static struct finding *add(struct finding_list *l, const char *id, const char *name, enum severity sev,
                           enum confidence conf, const char *file, int line, int col, int end_line, int end_col,
                           const char *msg)
{
    struct finding *f = finding_list_push(l);
    f->rule_id = id;
    f->rule_name = name;
    f->severity = sev;
    f->confidence = conf;
    f->file = xstrdup(file);
    f->line = line, f->col = col, f->end_line = end_line, f->end_col = end_col;
    f->message = xstrdup(msg);
    return f;
}

static const struct report_opts opts_plain = {FMT_TEXT, false, "godark", "1.2.3", "check", NULL, NULL};

typedef bool (*writer_fn)(FILE *, const struct finding_list *, const struct report_opts *);

/* Runs a writer into memory. Caller frees. */
static char *capture(struct tctx *t, writer_fn fn, const struct finding_list *l, const struct report_opts *o)
{
    char *data = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&data, &len);
    if (!f) {
        tfail(t, "open_memstream failed");
        return xstrdup("");
    }
    if (!fn(f, l, o)) tfail(t, "writer reported a write error");
    fclose(f);
    if (strlen(data) != len) tfail(t, "output contains a NUL byte");
    return data;
}

/* What escaper put writes for s. Caller frees. */
static char *escaped_by(void (*put)(FILE *, const char *), const char *s)
{
    char *data = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&data, &len);
    put(f, s);
    fclose(f);
    return data;
}

static char *json_string_of(const char *s) { return escaped_by(json_put_string, s); }

/* ---- tests ---- */

static void t_format_parse(struct tctx *t)
{
    static const struct {
        const char *s;
        enum report_format f;
    } ok[] = {{"text", FMT_TEXT}, {"json", FMT_JSON}, {"sarif", FMT_SARIF}, {"github", FMT_GITHUB}};
    for (size_t i = 0; i < GD_ARRAY_LEN(ok); i++) {
        enum report_format f = FMT_TEXT;
        if (!report_format_parse(ok[i].s, &f) || f != ok[i].f) tfail(t, "%s not parsed", ok[i].s);
    }
    enum report_format f;
    const char *bad[] = {"", "xml", "jsonx", "sari", "TEXT2"};
    for (size_t i = 0; i < GD_ARRAY_LEN(bad); i++)
        if (report_format_parse(bad[i], &f)) tfail(t, "%s accepted", bad[i]);
}

static void t_json_string_escapes(struct tctx *t)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"plain", "\"plain\""},
        {"", "\"\""},
        {"q\"b\\s/", "\"q\\\"b\\\\s/\""},
        {"\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\""},
        {"\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\""},
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""}, /* é € 😀 */
        {"a\xff" "b", "\"a\xef\xbf\xbd" "b\""},          /* byte never valid in UTF-8 */
        {"\x80x", "\"\xef\xbf\xbdx\""},                  /* stray continuation */
        {"\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\""},    /* overlong '/': C0 is never valid */
        {"\xe0\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""}, /* overlong 3-byte */
        {"\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""}, /* UTF-16 surrogate */
        {"\xf4\x90\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""}, /* > U+10FFFF */
        {"\xe2\x82", "\"\xef\xbf\xbd\""},                /* truncated at the end: one maximal subpart */
        {"\xe2\x82x", "\"\xef\xbf\xbdx\""},              /* truncated before ASCII */
        {"\xf0\x9f\x98", "\"\xef\xbf\xbd\""},
    };
    for (size_t i = 0; i < GD_ARRAY_LEN(cases); i++) {
        char *got = json_string_of(cases[i].in);
        char what[32];
        snprintf(what, sizeof(what), "case %zu", i);
        expect_eq(t, what, got, cases[i].want);
        expect_valid_json(t, what, got);
        free(got);
    }
    char *n = json_string_of(NULL);
    expect_eq(t, "NULL", n, "null");
    free(n);
}

static void t_text_basic(struct tctx *t)
{
    struct finding_list l = {0};
    add(&l, "GD301", "waitgroup-add-in-goroutine", SEV_WARNING, CONF_HIGH, "pkg/a.go", 12, 3, 12, 9,
        "wg.Add called inside the goroutine it counts");
    add(&l, "GD101", "goroutine-leak", SEV_ERROR, CONF_MEDIUM, "b.go", 4, 0, 0, 0, "no column");
    add(&l, "GD501", "x", SEV_INFO, CONF_HIGH, "c.go", 0, 0, 0, 0, "no line");
    char *out = capture(t, report_write_text, &l, &opts_plain);
    expect_eq(t, "text", out,
              "pkg/a.go:12:3: wg.Add called inside the goroutine it counts (GD301 waitgroup-add-in-goroutine)\n"
              "b.go:4: no column (GD101 goroutine-leak)\n"
              "c.go: no line (GD501 x)\n");
    expect_lacks(t, "no colour", out, "\033[");
    free(out);
    finding_list_free(&l);
}

static void t_text_caret_tabs(struct tctx *t)
{
    struct finding_list l = {0};
    struct finding *f = add(&l, "GD301", "r", SEV_WARNING, CONF_HIGH, "a.go", 7, 3, 7, 9, "m");
    f->source_line = xstrdup("\t\twg.Add(1)");
    f = add(&l, "GD301", "r", SEV_WARNING, CONF_HIGH, "a.go", 8, 4, 8, 5, "one byte span");
    f->source_line = xstrdup("\tx\t:= 1");
    char *out = capture(t, report_write_text, &l, &opts_plain);
    /* Tabs in the source reappear in the caret prefix; the span `wg.Add`
     * (bytes 3..8) is one caret and five tildes. */
    expect_eq(t, "tabs", out,
              "a.go:7:3: m (GD301 r)\n"
              "\t\twg.Add(1)\n"
              "\t\t^~~~~~\n"
              "a.go:8:4: one byte span (GD301 r)\n"
              "\tx\t:= 1\n"
              "\t \t^\n");
    free(out);
    finding_list_free(&l);
}

static void t_text_caret_unicode(struct tctx *t)
{
    struct finding_list l = {0};
    /* Column 17 is the byte column of `go`; "é" is two bytes but one
     * column on screen, so the caret has 14 spaces after the tab, not 15. */
    struct finding *f = add(&l, "GD101", "r", SEV_WARNING, CONF_HIGH, "u.go", 1, 17, 1, 19, "m");
    f->source_line = xstrdup("\tx := \"h\xc3\xa9llo\"; go f()");
    /* A span onto a later line is underlined to the end of this one; a
     * column past the end of the line still gets its caret. */
    f = add(&l, "GD101", "r", SEV_WARNING, CONF_HIGH, "u.go", 2, 1, 4, 2, "multi");
    f->source_line = xstrdup("go func() {\r");
    f = add(&l, "GD101", "r", SEV_WARNING, CONF_HIGH, "u.go", 3, 4, 0, 0, "past end");
    f->source_line = xstrdup("ab");
    f = add(&l, "GD101", "r", SEV_WARNING, CONF_HIGH, "u.go", 4, 0, 0, 0, "no column, no caret");
    f->source_line = xstrdup("xyz");
    char *out = capture(t, report_write_text, &l, &opts_plain);
    expect_eq(t, "unicode", out,
              "u.go:1:17: m (GD101 r)\n"
              "\tx := \"h\xc3\xa9llo\"; go f()\n"
              "\t              ^~\n"
              "u.go:2:1: multi (GD101 r)\n"
              "go func() {\n"
              "^~~~~~~~~~~\n"
              "u.go:3:4: past end (GD101 r)\n"
              "ab\n"
              "   ^\n"
              "u.go:4: no column, no caret (GD101 r)\n"
              "xyz\n");
    free(out);
    finding_list_free(&l);
}

static void t_text_extras(struct tctx *t)
{
    struct finding_list l = {0};
    struct finding *f = add(&l, "GD201", "send-on-maybe-closed", SEV_WARNING, CONF_LOW, "a.go", 5, 2, 5, 4,
                            "send on ch may follow close");
    f->source_line = xstrdup(" ch <- v");
    f->fix = xstrdup("close the channel only in the sender");
    finding_add_related(f, "a.go", 3, 2, "closed here");
    finding_add_related(f, "", 0, 0, "somewhere unknown");
    add(&l, "GD901", "goroutines-blocked", SEV_WARNING, CONF_HIGH, "", 0, 0, 0, 0,
        "120 goroutines blocked in chan send");
    char *out = capture(t, report_write_text, &l, &opts_plain);
    expect_eq(t, "extras", out,
              "a.go:5:2: send on ch may follow close [low confidence] (GD201 send-on-maybe-closed)\n"
              " ch <- v\n"
              " ^~\n"
              "    fix: close the channel only in the sender\n"
              "    a.go:3:2: note: closed here\n"
              "    note: somewhere unknown\n"
              "120 goroutines blocked in chan send (GD901 goroutines-blocked)\n");
    free(out);
    finding_list_free(&l);
}

static void t_text_control_chars(struct tctx *t)
{
    struct finding_list l = {0};
    struct finding *f = add(&l, "GD901", "r", SEV_WARNING, CONF_HIGH, "a\x1b.go", 1, 3, 1, 4,
                            "red \x1b[31mtext\nsecond line\x7f");
    f->source_line = xstrdup("\x01\tx\x02y");
    f->fix = xstrdup("f\r");
    finding_add_related(f, "b.go", 1, 1, "n\x1b");
    char *out = capture(t, report_write_text, &l, &opts_plain);
    /* No raw control byte but tab and the line ends reaches the terminal;
     * the caret still sits under `x` (the '?' is one column). */
    expect_eq(t, "controls", out,
              "a\\x1b.go:1:3: red \\x1b[31mtext\\x0asecond line\\x7f (GD901 r)\n"
              "?\tx?y\n"
              " \t^\n"
              "    fix: f\\x0d\n"
              "    b.go:1:1: note: n\\x1b\n");
    free(out);
    finding_list_free(&l);
}

static void t_text_color(struct tctx *t)
{
    struct finding_list l = {0};
    struct finding *f = add(&l, "GD301", "r", SEV_ERROR, CONF_HIGH, "a.go", 1, 1, 1, 2, "boom");
    f->source_line = xstrdup("x");
    finding_add_related(f, "b.go", 2, 3, "see");
    struct report_opts o = opts_plain;
    o.color = true;
    char *out = capture(t, report_write_text, &l, &o);
    expect_has(t, "bold location", out, "\033[1ma.go:1:1: \033[0m");
    expect_has(t, "red error", out, "\033[1;31merror:\033[0m ");
    expect_has(t, "bold message", out, "\033[1mboom\033[0m (GD301 r)\n");
    expect_has(t, "green caret", out, "\n\033[1;32m^\033[0m\n");
    expect_has(t, "note", out, "    \033[1mb.go:2:3: \033[0m\033[1mnote:\033[0m see\n");
    free(out);
    finding_list_free(&l);
}

static void t_json_layout(struct tctx *t)
{
    struct finding_list l = {0};
    struct finding *f = add(&l, "GD301", "waitgroup-add-in-goroutine", SEV_WARNING, CONF_HIGH, "a.go", 3, 5, 3, 9,
                            "wg.Add called inside the goroutine");
    f->fix = xstrdup("move wg.Add(1) before the go statement");
    f->source_line = xstrdup("not emitted");
    finding_add_related(f, "a.go", 2, 2, "goroutine started here");
    add(&l, "GD901", "goroutines-blocked", SEV_INFO, CONF_LOW, "", 0, 0, 0, 0, "no location");
    char *out = capture(t, report_write_json, &l, &opts_plain);
    expect_eq(t, "json", out,
              "{\n"
              "  \"tool\": \"godark\",\n"
              "  \"version\": \"1.2.3\",\n"
              "  \"command\": \"check\",\n"
              "  \"findings\": [\n"
              "    {\n"
              "      \"rule\": \"GD301\",\n"
              "      \"name\": \"waitgroup-add-in-goroutine\",\n"
              "      \"severity\": \"warning\",\n"
              "      \"confidence\": \"high\",\n"
              "      \"file\": \"a.go\",\n"
              "      \"line\": 3,\n"
              "      \"column\": 5,\n"
              "      \"end_line\": 3,\n"
              "      \"end_column\": 9,\n"
              "      \"message\": \"wg.Add called inside the goroutine\",\n"
              "      \"fix\": \"move wg.Add(1) before the go statement\",\n"
              "      \"related\": [\n"
              "        {\n"
              "          \"file\": \"a.go\",\n"
              "          \"line\": 2,\n"
              "          \"column\": 2,\n"
              "          \"message\": \"goroutine started here\"\n"
              "        }\n"
              "      ]\n"
              "    },\n"
              "    {\n"
              "      \"rule\": \"GD901\",\n"
              "      \"name\": \"goroutines-blocked\",\n"
              "      \"severity\": \"info\",\n"
              "      \"confidence\": \"low\",\n"
              "      \"file\": \"\",\n"
              "      \"line\": 0,\n"
              "      \"column\": 0,\n"
              "      \"end_line\": 0,\n"
              "      \"end_column\": 0,\n"
              "      \"message\": \"no location\",\n"
              "      \"related\": []\n"
              "    }\n"
              "  ]\n"
              "}\n");
    expect_valid_json(t, "json", out);
    free(out);
    finding_list_free(&l);

    struct finding_list empty = {0};
    struct report_opts o = opts_plain;
    o.version = NULL;
    out = capture(t, report_write_json, &empty, &o);
    expect_eq(t, "empty", out,
              "{\n  \"tool\": \"godark\",\n  \"version\": null,\n  \"command\": \"check\",\n  \"findings\": []\n}\n");
    free(out);
}

static void t_json_hostile_strings(struct tctx *t)
{
    struct finding_list l = {0};
    struct finding *f = add(&l, "GD601", "r", SEV_WARNING, CONF_HIGH, "dir \"q\"/\xe6\x97\xa5.go", 1, 1, 1, 1,
                            "say \"hi\"\\ \x01\x1b[31m\t\n caf\xc3\xa9 bad\xff\xfe end");
    finding_add_related(f, "x\\y.go", 1, 1, "\x7f\x1f");
    char *out = capture(t, report_write_json, &l, &opts_plain);
    expect_valid_json(t, "json", out);
    expect_has(t, "message", out,
               "\"message\": \"say \\\"hi\\\"\\\\ \\u0001\\u001b[31m\\t\\n caf\xc3\xa9 bad\xef\xbf\xbd\xef\xbf\xbd end\"");
    expect_has(t, "file", out, "\"file\": \"dir \\\"q\\\"/\xe6\x97\xa5.go\"");
    expect_has(t, "related", out, "\"file\": \"x\\\\y.go\"");
    expect_has(t, "related message", out, "\"message\": \"\x7f\\u001f\"");
    free(out);
    finding_list_free(&l);
}

static void t_sarif(struct tctx *t)
{
    struct finding_list l = {0};
    const char *known = all_rules_count ? all_rules[all_rules_count - 1]->id : "GD000";
    struct finding *f = add(&l, known, "r", SEV_WARNING, CONF_MEDIUM, "./dir with space/a.go", 1, 17, 1, 19,
                            "write to m[k] races with \\ read");
    f->source_line = xstrdup("\tx := \"h\xc3\xa9llo\"; go f()");
    f->fix = xstrdup("guard m with a mutex");
    finding_add_related(f, "/abs/b.go", 4, 2, "other access [here]");
    finding_add_related(f, "", 0, 0, "unknown place");
    add(&l, "GD999X", "not-a-rule", SEV_INFO, CONF_LOW, "", 0, 0, 0, 0, "from a dump \x01");
    add(&l, "GD999X", "not-a-rule", SEV_ERROR, CONF_HIGH, "c:x.go", 5, 9, 3, 1, "end before start");
    f = add(&l, "GD999X", "not-a-rule", SEV_ERROR, CONF_HIGH, "m.go", 5, 9, 7, 4, "multi-line");
    f->source_line = xstrdup("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 x");

    struct report_opts o = opts_plain;
    o.format = FMT_SARIF;
    char *out = capture(t, report_write, &l, &o);
    expect_valid_json(t, "sarif", out);
    expect_has(t, "schema", out, "\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\"");
    expect_has(t, "version", out, "\"version\": \"2.1.0\"");
    /* no placeholder home page: only a build that names one gets it */
    expect_has(t, "driver", out, "\"name\": \"godark\",\n          \"version\": \"1.2.3\",\n"
                                 "          \"rules\": [");
    expect_lacks(t, "no placeholder informationUri", out, "informationUri");
    /* %SRCROOT% is told; every result has godark's fingerprint */
    expect_has(t, "originalUriBaseIds", out, "\"originalUriBaseIds\": {\n        \"%SRCROOT%\": {\n          \"uri\": \"file:///");
    if (count_of(out, "\"godark/v1\": ") != 4) tfail(t, "%zu fingerprints, want 4", count_of(out, "\"godark/v1\": "));
    expect_has(t, "columnKind", out, "\"columnKind\": \"unicodeCodePoints\"");
    expect_has(t, "invocation", out, "\"executionSuccessful\": true");
    /* One reportingDescriptor per rule in the table. */
    if (count_of(out, "\"shortDescription\"") != all_rules_count)
        tfail(t, "%zu rules in SARIF, %zu in the table", count_of(out, "\"shortDescription\""), all_rules_count);
    if (all_rules_count) {
        char want[64];
        snprintf(want, sizeof(want), "\"ruleIndex\": %zu,", all_rules_count - 1);
        expect_has(t, "ruleIndex", out, want);
    }
    if (count_of(out, "\"ruleIndex\"") != (all_rules_count ? 1u : 0u)) tfail(t, "ruleIndex given for an unknown rule");
    /* Relative path: ./ dropped, space encoded, resolved against %SRCROOT%. */
    expect_has(t, "uri", out, "\"uri\": \"dir%20with%20space/a.go\",\n");
    expect_has(t, "uriBaseId", out, "\"uriBaseId\": \"%SRCROOT%\"");
    expect_has(t, "absolute uri", out, "\"uri\": \"file:///abs/b.go\"\n");
    expect_has(t, "colon in relative uri", out, "\"uri\": \"c%3Ax.go\"");
    /* Byte column 17 after a two-byte "é" is code point column 16. */
    expect_has(t, "region", out,
               "\"startLine\": 1,\n                  \"startColumn\": 16,\n"
               "                  \"endLine\": 1,\n                  \"endColumn\": 18\n");
    expect_has(t, "end before start dropped", out, "\"startLine\": 5,\n                  \"startColumn\": 9\n");
    /* Four two-byte characters: byte 9 is code point 5; the end line's
     * text is unknown, so its column stays as given. */
    expect_has(t, "multi-line", out,
               "\"startLine\": 5,\n                  \"startColumn\": 5,\n"
               "                  \"endLine\": 7,\n                  \"endColumn\": 4\n");
    expect_has(t, "message brackets escaped", out, "\"text\": \"write to m\\\\[k\\\\] races with \\\\\\\\ read\"");
    expect_has(t, "related id", out, "\"id\": 1,");
    expect_has(t, "related message", out, "\"text\": \"other access \\\\[here\\\\]\"");
    expect_has(t, "related without file", out, "\"id\": 2,\n              \"message\": {");
    expect_has(t, "suggestion", out, "\"suggestion\": \"guard m with a mutex\"");
    expect_has(t, "confidence", out, "\"confidence\": \"medium\"");
    expect_has(t, "note level", out, "\"level\": \"note\"");
    expect_lacks(t, "no fixes", out, "\"fixes\"");
    /* The located results have one locations array each; the dump finding has none. */
    if (count_of(out, "\"locations\"") != 3) tfail(t, "%zu locations arrays, want 3", count_of(out, "\"locations\""));
    free(out);
    finding_list_free(&l);
}

static void t_sarif_rules(struct tctx *t)
{
    struct finding_list l = {0};
    struct report_opts o = opts_plain;
    o.version = NULL;
    char *out = capture(t, report_write_sarif, &l, &o);
    expect_valid_json(t, "sarif", out);
    expect_has(t, "empty results", out, "\"results\": []");
    expect_lacks(t, "no version when unknown", out, "\"version\": null");
    for (size_t i = 0; i < all_rules_count; i++) {
        const struct rule *r = all_rules[i];
        char want[256];
        snprintf(want, sizeof(want), "\"id\": \"%s\",\n              \"name\": \"%s\",", r->id, r->name);
        expect_has(t, "rule id and name", out, want);
        snprintf(want, sizeof(want), "\"level\": \"%s\"",
                 r->severity == SEV_ERROR ? "error" : r->severity == SEV_INFO ? "note" : "warning");
        expect_has(t, "level", out, want);
    }
    if (all_rules_count) {
        expect_has(t, "tags", out, "\"tags\": [\n                  \"concurrency\"\n                ]");
        expect_has(t, "precision", out, "\"precision\": \"");
        expect_has(t, "markdown", out, "\"markdown\": \"");
    }
    free(out);
}

static void t_github(struct tctx *t)
{
    struct finding_list l = {0};
    struct finding *f = add(&l, "GD301", "waitgroup-add-in-goroutine", SEV_WARNING, CONF_HIGH, "a,b:c%.go", 3, 5, 3,
                            9, "50% done\r\nnext: a, b");
    f->fix = xstrdup("move it");
    finding_add_related(f, "x.go", 1, 2, "spawned");
    add(&l, "GD101", "goroutine-leak", SEV_ERROR, CONF_LOW, "b.go", 7, 0, 0, 0, "leak");
    add(&l, "GD901", "goroutines-blocked", SEV_INFO, CONF_HIGH, "", 0, 0, 0, 0, "dump finding");
    add(&l, "GD102", "r", SEV_WARNING, CONF_HIGH, "d.go", 2, 4, 5, 1, "multi");
    struct report_opts o = opts_plain;
    o.format = FMT_GITHUB;
    char *out = capture(t, report_write, &l, &o);
    expect_eq(t, "github", out,
              "::warning file=a%2Cb%3Ac%25.go,line=3,col=5,endLine=3,endColumn=9,"
              "title=GD301 waitgroup-add-in-goroutine::50%25 done%0D%0Anext: a, b%0Afix: move it%0Ax.go:1:2: note: spawned\n"
              "::error file=b.go,line=7,title=GD101 goroutine-leak::leak [low confidence]\n"
              "::notice title=GD901 goroutines-blocked::dump finding\n"
              "::warning file=d.go,line=2,col=4,endLine=5,endColumn=1,title=GD102 r::multi\n");
    free(out);
    finding_list_free(&l);
}

/* XML escaping: the five entities, kept line breaks and tabs, U+FFFD for
 * what XML 1.0 cannot hold. */
static void t_xml_escapes(struct tctx *t)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"m[k] <- v && a > b", "m[k] &lt;- v &amp;&amp; a &gt; b"},
        {"say \"hi\" 'x'", "say &quot;hi&quot; &apos;x&apos;"},
        {"a\nb\tc\r", "a&#10;b&#9;c&#13;"},
        {"\x01\x1f", "\xef\xbf\xbd\xef\xbf\xbd"},
        {"caf\xc3\xa9", "caf\xc3\xa9"},
        {"a\xff", "a\xef\xbf\xbd"},
    };
    for (size_t i = 0; i < GD_ARRAY_LEN(cases); i++) {
        char *got = escaped_by(xml_put_string, cases[i].in);
        char what[32];
        snprintf(what, sizeof(what), "xml case %zu", i);
        expect_eq(t, what, got, cases[i].want);
        free(got);
    }
}

/* One path style: lexical cleaning and relative paths (Go's Clean/Rel). */
static void t_paths(struct tctx *t)
{
    static const struct {
        const char *in, *want;
    } clean[] = {
        {"", "."},           {".", "."},           {"./a.go", "a.go"},     {"a//b/./c/", "a/b/c"},
        {"a/../b", "b"},     {"../a/../../b", "../../b"}, {"/../a", "/a"},  {"/a/b/../..", "/"},
        {"./cmd/x/f.go", "cmd/x/f.go"}, {"a/..", "."},
    };
    for (size_t i = 0; i < GD_ARRAY_LEN(clean); i++) {
        char *c = path_clean(clean[i].in);
        if (strcmp(c, clean[i].want)) tfail(t, "clean(%s) = %s, want %s", clean[i].in, c, clean[i].want);
        free(c);
    }
    static const struct {
        const char *abs, *base, *want;
    } rel[] = {
        {"/r/cmd/x/f.go", "/r", "cmd/x/f.go"},
        {"/r/lib/g.go", "/r/cmd", "../lib/g.go"},
        {"/r", "/r", "."},
        {"/other/h.go", "/r/cmd", "/other/h.go"}, /* only "/" shared: absolute */
        {"/rx/a.go", "/r", "/rx/a.go"},           /* a name prefix is no directory prefix */
        {"/a.go", "/", "a.go"},
    };
    for (size_t i = 0; i < GD_ARRAY_LEN(rel); i++) {
        char *r = path_rel(rel[i].abs, rel[i].base);
        if (strcmp(r, rel[i].want)) tfail(t, "rel(%s, %s) = %s, want %s", rel[i].abs, rel[i].base, r, rel[i].want);
        free(r);
    }
}

/* Fingerprints survive line shifts and reindenting, not other code. */
static void t_fingerprint(struct tctx *t)
{
    struct finding a = {0}, b = {0};
    a.rule_id = b.rule_id = "GD301";
    a.line = 10;
    b.line = 42;
    a.source_line = "\tgo func() { wg.Add(1) }()";
    b.source_line = "        go func() {   wg.Add(1) }()";
    a.message = "wg.Add at line 9";
    b.message = "wg.Add at line 41";
    if (finding_fingerprint(&a, "p/a.go") != finding_fingerprint(&b, "p/a.go")) tfail(t, "moved line, new print");
    if (finding_fingerprint(&a, "p/a.go") == finding_fingerprint(&a, "p/b.go")) tfail(t, "other file, same print");
    b.source_line = "\tgo func() { wg.Add(2) }()";
    if (finding_fingerprint(&a, "p/a.go") == finding_fingerprint(&b, "p/a.go")) tfail(t, "other code, same print");
    b.rule_id = "GD302";
    b.source_line = a.source_line;
    if (finding_fingerprint(&a, "p/a.go") == finding_fingerprint(&b, "p/a.go")) tfail(t, "other rule, same print");
    /* a dump finding: its message without the digits */
    struct finding d1 = {0}, d2 = {0};
    d1.rule_id = d2.rule_id = "GD901";
    d1.message = "5 goroutines blocked in chan send in main.f";
    d2.message = "17 goroutines blocked in chan send in main.f";
    if (finding_fingerprint(&d1, "") != finding_fingerprint(&d2, "")) tfail(t, "dump finding, count changed the print");
}

static void t_write_error(struct tctx *t)
{
    /* A stream opened read-only fails every write; writers must say so. */
    FILE *f = tmpfile();
    if (!f) {
        tfail(t, "tmpfile failed");
        return;
    }
    FILE *ro = fdopen(dup(fileno(f)), "r");
    fclose(f);
    if (!ro) {
        tfail(t, "fdopen failed");
        return;
    }
    struct finding_list l = {0};
    add(&l, "GD301", "r", SEV_WARNING, CONF_HIGH, "a.go", 1, 1, 1, 1, "m");
    writer_fn fns[] = {report_write_text, report_write_json, report_write_sarif, report_write_github};
    for (size_t i = 0; i < GD_ARRAY_LEN(fns); i++) {
        clearerr(ro);
        if (fns[i](ro, &l, &opts_plain)) tfail(t, "writer %zu reported success on a read-only stream", i);
    }
    fclose(ro);
    finding_list_free(&l);
}

void test_report_all(int *passed, int *failed)
{
    static const struct {
        const char *name;
        void (*fn)(struct tctx *);
    } tests[] = {
        {"report_format_parse", t_format_parse},
        {"report_json_string_escapes", t_json_string_escapes},
        {"report_text_basic", t_text_basic},
        {"report_text_caret_tabs", t_text_caret_tabs},
        {"report_text_caret_unicode", t_text_caret_unicode},
        {"report_text_fix_related_nofile", t_text_extras},
        {"report_text_control_chars", t_text_control_chars},
        {"report_text_color", t_text_color},
        {"report_json_layout", t_json_layout},
        {"report_json_hostile_strings", t_json_hostile_strings},
        {"report_sarif_results", t_sarif},
        {"report_sarif_rules", t_sarif_rules},
        {"report_github", t_github},
        {"report_write_error", t_write_error},
        {"report_paths", t_paths},
        {"report_xml_escapes", t_xml_escapes},
        {"report_fingerprint", t_fingerprint},
    };
    for (size_t i = 0; i < GD_ARRAY_LEN(tests); i++) {
        struct tctx t = {0};
        tests[i].fn(&t);
        if (t.failed) {
            printf("FAIL %s: %s\n", tests[i].name, t.why);
            (*failed)++;
        } else {
            printf("PASS %s\n", tests[i].name);
            (*passed)++;
        }
    }
}
