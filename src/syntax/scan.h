/* syntax/scan: the Go scanner. Turns a file's bytes into one array of
 * tokens with Go's automatic semicolons (go.dev/ref/spec#Semicolons), and
 * collects the comments into the gofile. Internal to src/syntax/. */
#ifndef GODARK_SCAN_H
#define GODARK_SCAN_H

#include "ast.h"

enum tok {
    T_EOF = 0,
    T_ILLEGAL,
    T_IDENT,
    T_INT,
    T_FLOAT,
    T_IMAG,
    T_CHAR,
    T_STRING,
    T_RAW_STRING,
    /* operators with an enum node_op, in ops.def order from T_ADD */
#define OP(e, s) T_##e,
#include "ops.def"
#undef OP
    T_ELLIPSIS,
    T_LPAREN,
    T_LBRACK,
    T_LBRACE,
    T_COMMA,
    T_PERIOD,
    T_RPAREN,
    T_RBRACK,
    T_RBRACE,
    T_SEMI,
    T_COLON,
    /* keywords */
    T_BREAK,
    T_CASE,
    T_CHAN,
    T_CONST,
    T_CONTINUE,
    T_DEFAULT,
    T_DEFER,
    T_ELSE,
    T_FALLTHROUGH,
    T_FOR,
    T_FUNC,
    T_GO,
    T_GOTO,
    T_IF,
    T_IMPORT,
    T_INTERFACE,
    T_MAP,
    T_PACKAGE,
    T_RANGE,
    T_RETURN,
    T_SELECT,
    T_STRUCT,
    T_SWITCH,
    T_TYPE,
    T_VAR,
    T__COUNT
};

/* The node_op of an operator token (T_ADD..T_DEC), else OP_NONE. */
static inline enum node_op tok_op(enum tok t)
{
    return t >= T_ADD && t <= T_DEC ? (enum node_op)(t - T_ADD + OP_ADD) : OP_NONE;
}

struct token {
    uint8_t kind;  /* enum tok */
    uint8_t nl;    /* T_SEMI: inserted at a newline or at the end of the file */
    uint32_t start, end;
};

/* Scans f->src[0..f->len) into *toks (malloc'd, ending with one T_EOF) and
 * appends the comments to f->comments. Lexical errors (an unterminated
 * string, an illegal character) are recorded with source_error and give a
 * T_ILLEGAL token. */
struct token *scan_file(struct gofile *f, uint32_t *ntoks);

/* How a token reads in an error message, as go/parser says it: 'else',
 * newline, a literal's text. Returns a pointer into buf or a constant. */
const char *tok_describe(const struct gofile *f, const struct token *t, char *buf, size_t n);
/* The fixed text of a token kind ("else", "(", "IDENT"). */
const char *tok_text(enum tok t);

#endif
