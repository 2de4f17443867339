/* syntax/scan: the Go scanner (scan.h). One pass over the bytes, no
 * backtracking; every loop advances. */
#include "scan.h"

#include <stdio.h>
#include <stdlib.h>

#include "source.h"

static const char *const tok_texts[T__COUNT] = {
    [T_EOF] = "EOF", [T_ILLEGAL] = "ILLEGAL", [T_IDENT] = "IDENT", [T_INT] = "INT", [T_FLOAT] = "FLOAT",
    [T_IMAG] = "IMAG", [T_CHAR] = "CHAR", [T_STRING] = "STRING", [T_RAW_STRING] = "STRING",
#define OP(e, s) [T_##e] = s,
#include "ops.def"
#undef OP
    [T_ELLIPSIS] = "...", [T_LPAREN] = "(", [T_LBRACK] = "[", [T_LBRACE] = "{", [T_COMMA] = ",", [T_PERIOD] = ".",
    [T_RPAREN] = ")", [T_RBRACK] = "]", [T_RBRACE] = "}", [T_SEMI] = ";", [T_COLON] = ":",
    [T_BREAK] = "break", [T_CASE] = "case", [T_CHAN] = "chan", [T_CONST] = "const", [T_CONTINUE] = "continue",
    [T_DEFAULT] = "default", [T_DEFER] = "defer", [T_ELSE] = "else", [T_FALLTHROUGH] = "fallthrough",
    [T_FOR] = "for", [T_FUNC] = "func", [T_GO] = "go", [T_GOTO] = "goto", [T_IF] = "if", [T_IMPORT] = "import",
    [T_INTERFACE] = "interface", [T_MAP] = "map", [T_PACKAGE] = "package", [T_RANGE] = "range",
    [T_RETURN] = "return", [T_SELECT] = "select", [T_STRUCT] = "struct", [T_SWITCH] = "switch", [T_TYPE] = "type",
    [T_VAR] = "var",
};

const char *tok_text(enum tok t) { return t < T__COUNT && tok_texts[t] ? tok_texts[t] : "?"; }

const char *tok_describe(const struct gofile *f, const struct token *t, char *buf, size_t n)
{
    if (t->kind == T_SEMI && t->nl) return t->start >= f->len ? "EOF" : "newline";
    if (t->kind == T_IDENT || (t->kind >= T_INT && t->kind <= T_RAW_STRING) || t->kind == T_ILLEGAL) {
        uint32_t w = t->end - t->start;
        snprintf(buf, n, "%.*s%s", (int)(w > 40 ? 40 : w), f->src + t->start, w > 40 ? "..." : "");
        return buf;
    }
    snprintf(buf, n, "'%s'", tok_text((enum tok)t->kind));
    return buf;
}

/* keywords by length and text */
static enum tok keyword(const char *s, uint32_t n)
{
    static const struct { const char *w; enum tok t; } kw[] = {
        {"break", T_BREAK}, {"case", T_CASE}, {"chan", T_CHAN}, {"const", T_CONST}, {"continue", T_CONTINUE},
        {"default", T_DEFAULT}, {"defer", T_DEFER}, {"else", T_ELSE}, {"fallthrough", T_FALLTHROUGH},
        {"for", T_FOR}, {"func", T_FUNC}, {"go", T_GO}, {"goto", T_GOTO}, {"if", T_IF}, {"import", T_IMPORT},
        {"interface", T_INTERFACE}, {"map", T_MAP}, {"package", T_PACKAGE}, {"range", T_RANGE},
        {"return", T_RETURN}, {"select", T_SELECT}, {"struct", T_STRUCT}, {"switch", T_SWITCH}, {"type", T_TYPE},
        {"var", T_VAR},
    };
    if (n < 2 || n > 11 || s[0] < 'b' || s[0] > 'v') return T_IDENT;
    for (unsigned i = 0; i < GD_ARRAY_LEN(kw); i++)
        if (kw[i].w[0] == s[0] && strlen(kw[i].w) == n && !memcmp(kw[i].w, s, n)) return kw[i].t;
    return T_IDENT;
}

static bool is_letter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? true : c == '_' || c >= 0x80; }
static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_hex(unsigned char c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

/* Does a line ending after token kind t get a semicolon? */
static bool needs_semi(enum tok t)
{
    switch (t) {
    case T_IDENT: case T_INT: case T_FLOAT: case T_IMAG: case T_CHAR: case T_STRING: case T_RAW_STRING:
    case T_BREAK: case T_CONTINUE: case T_FALLTHROUGH: case T_RETURN: case T_INC: case T_DEC:
    case T_RPAREN: case T_RBRACK: case T_RBRACE:
        return true;
    default:
        return false;
    }
}

/* The code point of the UTF-8 sequence at s (n bytes left); an invalid
 * sequence (source_init reported it) reads as one byte, U+FFFD. */
static uint32_t decode(const unsigned char *s, uint32_t n, uint32_t *w)
{
    uint32_t k = s[0] < 0xC0 ? 0 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : s[0] < 0xF8 ? 4 : 0;
    for (uint32_t i = 1; i < k; i++)
        if (i >= n || (s[i] & 0xC0) != 0x80) k = 0;
    if (!k) {
        *w = 1;
        return 0xFFFD;
    }
    if (s[0] < 0xE0) { *w = 2; return ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu); }
    if (s[0] < 0xF0) { *w = 3; return ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu); }
    *w = 4;
    return ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
}

/* Non-ASCII code points that are certainly neither letters nor digits
 * (punctuation, symbols, arrows, math, box drawing, dingbats, emoji): an
 * approximation of Unicode's categories; the rest count as letters. */
static bool non_letter(uint32_t c)
{
    return (c >= 0x80 && c <= 0xBF && c != 0xAA && c != 0xB5 && c != 0xBA) || c == 0xD7 || c == 0xF7 ||
           (c >= 0x2000 && c <= 0x206F) || (c >= 0x20A0 && c <= 0x20FF) || (c >= 0x2190 && c <= 0x2BFF) ||
           (c >= 0x3000 && c <= 0x3004) || (c >= 0x3008 && c <= 0x3020) || c == 0xFEFF ||
           (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0x1F000 && c <= 0x1FAFF);
}

/* Unicode decimal digits (category Nd) outside ASCII, in the Basic
 * Multilingual Plane: each block is ten code points from its start. */
static bool unicode_digit(uint32_t c)
{
    static const uint16_t starts[] = {
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
        0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
        0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    };
    for (unsigned i = 0; i < GD_ARRAY_LEN(starts); i++)
        if (c >= starts[i] && c < starts[i] + 10u) return true;
    return false;
}

typedef VEC(struct token) tokvec;
typedef VEC(struct comment) comvec;

struct scanner {
    struct gofile *f;
    const unsigned char *s;
    uint32_t n, i, line;
    tokvec toks;
    comvec comments;
    bool blank_since_semi; /* only blanks since the last token */
    bool pending_semi;     /* a comment spanning lines since the last token */
    uint32_t pending_at;
};

static void push(struct scanner *sc, enum tok k, uint32_t start, uint32_t end)
{
    sc->blank_since_semi = false;
    if (sc->pending_semi) {
        sc->pending_semi = false;
        if (sc->toks.len && needs_semi((enum tok)sc->toks.items[sc->toks.len - 1].kind)) {
            struct token t = {T_SEMI, 1, sc->pending_at, sc->pending_at + 1};
            vec_push(&sc->toks, t);
        }
    }
    struct token t = {(uint8_t)k, 0, start, end};
    vec_push(&sc->toks, t);
}

static void lex_error(struct scanner *sc, uint32_t at, const char *msg) { source_error(sc->f, at, xstrdup(msg)); }

/* A newline (or the end) at byte `at`: the automatic semicolon. */
static void newline_semi(struct scanner *sc, uint32_t at)
{
    if (sc->toks.len && needs_semi((enum tok)sc->toks.items[sc->toks.len - 1].kind)) {
        struct token t = {T_SEMI, 1, at, at + 1};
        vec_push(&sc->toks, t);
    }
}

static uint32_t count_nl(const unsigned char *s, uint32_t a, uint32_t b)
{
    uint32_t k = 0;
    for (const unsigned char *p = s + a, *e = s + b; (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++) k++;
    return k;
}

/* The escape sequence at s[i] (a backslash) inside a quote q; records a
 * lexical error as go/scanner words it. Returns the bytes it spans. */
static uint32_t scan_escape(struct scanner *sc, uint32_t i, unsigned char q)
{
    const unsigned char *s = sc->s;
    uint32_t n = sc->n;
    if (i + 1 >= n) return 1;
    unsigned char c = s[i + 1];
    unsigned k = 0, base = 0;
    uint32_t max = 0;
    switch (c) {
    case 'a': case 'b': case 'f': case 'n': case 'r': case 't': case 'v': case '\\':
        return 2;
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
        k = 3, base = 8, max = 255;
        break;
    case 'x': k = 2, base = 16, max = 255; break;
    case 'u': k = 4, base = 16, max = 0x10FFFF; break;
    case 'U': k = 8, base = 16, max = 0x10FFFF; break;
    default:
        if (c == q) return 2;
        if (c != '\n') lex_error(sc, i + 1, "unknown escape sequence");
        return c == '\n' ? 1 : 2;
    }
    uint32_t j = i + 1 + (base == 16), v = 0;
    for (unsigned d = 0; d < k; d++, j++) {
        unsigned x = j < n ? s[j] : 0;
        unsigned dv = x >= '0' && x <= '9' ? x - '0' : (x | 0x20) >= 'a' && (x | 0x20) <= 'f' ? (x | 0x20) - 'a' + 10 : 99;
        if (dv >= base) {
            char msg[64];
            if (x >= 0x20 && x < 0x7f) snprintf(msg, sizeof msg, "illegal character U+%04X '%c' in escape sequence", x, x);
            else snprintf(msg, sizeof msg, "illegal character U+%04X in escape sequence", x);
            lex_error(sc, j, j >= n || x == '\n' ? "escape sequence not terminated" : msg);
            return j - i;
        }
        v = v * base + dv;
    }
    if (v > max || (v >= 0xD800 && v < 0xE000)) lex_error(sc, i + 1, "escape sequence is invalid Unicode code point");
    return j - i;
}

/* digits with `_` separators: a `_` must sit between digits (or after the
 * base prefix); records go/scanner's error */
static void check_separators(struct scanner *sc, uint32_t start, uint32_t end)
{
    const unsigned char *s = sc->s;
    if (!memchr(s + start, '_', end - start)) return;
    uint32_t i = start;
    if (s[i] == '0' && i + 1 < end && strchr("xXbBoO", s[i + 1])) i += 2; /* a _ may follow the prefix */
    else if (s[i] == '_') { lex_error(sc, start, "'_' must separate successive digits"); return; }
    for (uint32_t j = i; j < end; j++) {
        if (s[j] != '_') continue;
        bool before = j > i ? is_hex(s[j - 1]) : j == i && i > start;
        bool after = j + 1 < end && is_hex(s[j + 1]);
        if (!before || !after) {
            lex_error(sc, j, "'_' must separate successive digits");
            return;
        }
    }
}

static void scan_number(struct scanner *sc)
{
    const unsigned char *s = sc->s;
    uint32_t i = sc->i, n = sc->n, start = i;
    enum tok kind = T_INT;
    if (s[i] == '0' && i + 1 < n && (s[i + 1] | 0x20) == 'x') {
        i += 2;
        while (i < n && (is_hex(s[i]) || s[i] == '_')) i++;
        if (i < n && s[i] == '.') {
            kind = T_FLOAT;
            for (i++; i < n && (is_hex(s[i]) || s[i] == '_'); i++) {}
        }
        if (i < n && (s[i] | 0x20) == 'p') {
            kind = T_FLOAT;
            i++;
            if (i < n && (s[i] == '+' || s[i] == '-')) i++;
            while (i < n && (is_digit(s[i]) || s[i] == '_')) i++;
        }
    } else if (s[i] == '0' && i + 1 < n && ((s[i + 1] | 0x20) == 'b' || (s[i + 1] | 0x20) == 'o')) {
        i += 2;
        while (i < n && (is_digit(s[i]) || s[i] == '_')) i++;
    } else {
        while (i < n && (is_digit(s[i]) || s[i] == '_')) i++;
        if (i < n && s[i] == '.') {
            kind = T_FLOAT;
            for (i++; i < n && (is_digit(s[i]) || s[i] == '_'); i++) {}
        }
        if (i < n && (s[i] | 0x20) == 'e') {
            kind = T_FLOAT;
            i++;
            if (i < n && (s[i] == '+' || s[i] == '-')) i++;
            if (i >= n || !is_digit(s[i])) lex_error(sc, start, "exponent has no digits");
            while (i < n && (is_digit(s[i]) || s[i] == '_')) i++;
        }
    }
    check_separators(sc, start, i);
    if (i < n && s[i] == 'i') kind = T_IMAG, i++;
    if (i < n && (is_letter(s[i]) || is_digit(s[i]))) {
        lex_error(sc, i, "invalid digit in numeric literal");
        while (i < n && (is_letter(s[i]) || is_digit(s[i]))) i++;
    }
    push(sc, kind, start, i);
    sc->i = i;
}

struct token *scan_file(struct gofile *f, uint32_t *ntoks)
{
    struct scanner sc = {0};
    sc.f = f;
    sc.s = (const unsigned char *)f->src;
    sc.n = (uint32_t)f->len;
    sc.line = 1;
    vec_reserve(&sc.toks, f->len / 4 + 16);
    const unsigned char *s = sc.s;
    uint32_t n = sc.n;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) sc.i = 3; /* a leading byte order mark */
    while (sc.i < n) {
        uint32_t i = sc.i;
        unsigned char c = s[i];
        if (c == '\n') {
            sc.pending_semi = false;
            struct token *lt = sc.toks.len ? &sc.toks.items[sc.toks.len - 1] : NULL;
            if (lt && lt->kind == T_SEMI && lt->nl && sc.blank_since_semi) {
                /* tree-sitter's terminator is the last newline of the blank run */
                lt->start = i, lt->end = i + 1;
            } else {
                size_t before = sc.toks.len;
                newline_semi(&sc, i);
                if (sc.toks.len > before) sc.blank_since_semi = true;
            }
            sc.line++;
            sc.i++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            sc.i++;
            continue;
        }
        if (is_letter(c)) {
            uint32_t j = i;
            while (j < n && (is_letter(s[j]) || is_digit(s[j]))) {
                if (s[j] < 0x80) {
                    j++;
                    continue;
                }
                uint32_t w, cp = decode(s + j, n - j, &w);
                if (cp == 0xFEFF || non_letter(cp) || (j == i && unicode_digit(cp))) {
                    char msg[64];
                    if (cp == 0xFEFF) snprintf(msg, sizeof msg, "illegal byte order mark");
                    else if (unicode_digit(cp)) snprintf(msg, sizeof msg, "identifier cannot begin with digit U+%04X", cp);
                    else snprintf(msg, sizeof msg, "invalid character U+%04X", cp);
                    lex_error(&sc, j, msg);
                    if (j == i) { /* not an identifier at all: skip the character */
                        push(&sc, T_ILLEGAL, i, i + w);
                        j = i + w;
                        goto next;
                    }
                    break;
                }
                j += w;
            }
            push(&sc, keyword((const char *)s + i, j - i), i, j);
        next:
            sc.i = j;
            continue;
        }
        if (is_digit(c) || (c == '.' && i + 1 < n && is_digit(s[i + 1]))) {
            scan_number(&sc);
            continue;
        }
        if (c == '/' && i + 1 < n && (s[i + 1] == '/' || s[i + 1] == '*')) {
            struct comment cm = {i, 0, sc.line, i - f->lines[sc.line - 1] + 1, sc.line};
            uint32_t j;
            if (s[i + 1] == '/') {
                const unsigned char *e = memchr(s + i, '\n', n - i);
                j = e ? (uint32_t)(e - s) : n;
            } else {
                const unsigned char *e = i + 2 < n ? memmem(s + i + 2, n - i - 2, "*/", 2) : NULL;
                if (!e) {
                    lex_error(&sc, i, "comment not terminated");
                    j = n;
                } else {
                    j = (uint32_t)(e - s) + 2;
                }
                uint32_t nl = count_nl(s, i, j);
                if (nl) {
                    /* a comment spanning lines acts like a newline: its
                     * semicolon goes at the next newline (where tree-sitter
                     * has it), or before the next token on the line */
                    sc.pending_semi = true;
                    sc.pending_at = i;
                    sc.line += nl;
                }
            }
            cm.end_byte = j;
            cm.end_line = sc.line;
            sc.blank_since_semi = false;
            vec_push(&sc.comments, cm);
            sc.i = j;
            continue;
        }
        if (c == '"') {
            uint32_t j = i + 1;
            while (j < n && s[j] != '"' && s[j] != '\n') j += s[j] == '\\' ? scan_escape(&sc, j, '"') : 1;
            if (j >= n || s[j] != '"') {
                lex_error(&sc, i, "string literal not terminated");
                push(&sc, T_ILLEGAL, i, j);
            } else {
                push(&sc, T_STRING, i, j + 1);
                j++;
            }
            sc.i = j;
            continue;
        }
        if (c == '`') {
            const unsigned char *e = i + 1 < n ? memchr(s + i + 1, '`', n - i - 1) : NULL;
            uint32_t j = e ? (uint32_t)(e - s) + 1 : n;
            if (!e) lex_error(&sc, i, "raw string literal not terminated");
            push(&sc, e ? T_RAW_STRING : T_ILLEGAL, i, j);
            sc.line += count_nl(s, i, j);
            sc.i = j;
            continue;
        }
        if (c == '\'') {
            uint32_t j = i + 1, chars = 0;
            while (j < n && s[j] != '\'' && s[j] != '\n') {
                chars++;
                if (s[j] == '\\') j += scan_escape(&sc, j, '\'');
                else for (j++; j < n && (s[j] & 0xC0) == 0x80; j++) {}
            }
            if (j < n && s[j] == '\'' && chars > 1) lex_error(&sc, i, "illegal rune literal");
            if (j >= n || s[j] != '\'' || j == i + 1) {
                lex_error(&sc, i, "rune literal not terminated");
                push(&sc, T_ILLEGAL, i, j < n && s[j] == '\'' ? j + 1 : j);
                sc.i = j < n && s[j] == '\'' ? j + 1 : j;
            } else {
                push(&sc, T_CHAR, i, j + 1);
                sc.i = j + 1;
            }
            continue;
        }
        /* operators and punctuation */
        unsigned char d = i + 1 < n ? s[i + 1] : 0, e2 = i + 2 < n ? s[i + 2] : 0;
        enum tok k = T_ILLEGAL;
        uint32_t w = 1;
#define T2(ch, t) if (d == (ch)) { k = (t); w = 2; break; }
        switch (c) {
        case '+': T2('+', T_INC) T2('=', T_ADD_ASSIGN) k = T_ADD; break;
        case '-': T2('-', T_DEC) T2('=', T_SUB_ASSIGN) k = T_SUB; break;
        case '*': T2('=', T_MUL_ASSIGN) k = T_MUL; break;
        case '/': T2('=', T_QUO_ASSIGN) k = T_QUO; break;
        case '%': T2('=', T_REM_ASSIGN) k = T_REM; break;
        case '&':
            if (d == '^') { k = e2 == '=' ? T_AND_NOT_ASSIGN : T_AND_NOT; w = e2 == '=' ? 3 : 2; break; }
            T2('&', T_LAND) T2('=', T_AND_ASSIGN) k = T_AND; break;
        case '|': T2('|', T_LOR) T2('=', T_OR_ASSIGN) k = T_OR; break;
        case '^': T2('=', T_XOR_ASSIGN) k = T_XOR; break;
        case '<':
            if (d == '<') { k = e2 == '=' ? T_SHL_ASSIGN : T_SHL; w = e2 == '=' ? 3 : 2; break; }
            T2('-', T_ARROW) T2('=', T_LEQ) k = T_LSS; break;
        case '>':
            if (d == '>') { k = e2 == '=' ? T_SHR_ASSIGN : T_SHR; w = e2 == '=' ? 3 : 2; break; }
            T2('=', T_GEQ) k = T_GTR; break;
        case '=': T2('=', T_EQL) k = T_ASSIGN; break;
        case '!': T2('=', T_NEQ) k = T_NOT; break;
        case ':': T2('=', T_DEFINE) k = T_COLON; break;
        case '.':
            if (d == '.' && e2 == '.') { k = T_ELLIPSIS; w = 3; break; }
            k = T_PERIOD; break;
        case '~': k = T_TILDE; break;
        case '(': k = T_LPAREN; break;
        case ')': k = T_RPAREN; break;
        case '[': k = T_LBRACK; break;
        case ']': k = T_RBRACK; break;
        case '{': k = T_LBRACE; break;
        case '}': k = T_RBRACE; break;
        case ',': k = T_COMMA; break;
        case ';': k = T_SEMI; break;
        default: break;
        }
#undef T2
        if (k == T_ILLEGAL) {
            char msg[64];
            if (c < 0x80) snprintf(msg, sizeof msg, "invalid character %#04x '%c'", c, c >= 0x20 && c < 0x7f ? c : '?');
            else snprintf(msg, sizeof msg, "invalid character");
            lex_error(&sc, i, msg);
        }
        push(&sc, k, i, i + w);
        sc.i = i + w;
    }
    newline_semi(&sc, n);
    push(&sc, T_EOF, n, n);
    f->comments = sc.comments.items;
    f->ncomments = (uint32_t)sc.comments.len;
    *ntoks = (uint32_t)sc.toks.len;
    return sc.toks.items;
}
