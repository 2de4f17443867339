/* syntax/parse: godark's Go parser. A recursive-descent parser over the
 * scanner's token array (scan.h) that builds godark's node array directly:
 * the kinds, roles and operators of kinds.def/fields.def/ops.def, shaped as
 * tree-sitter-go shaped them (the rules were written against that tree and
 * `make parser-diff` holds the two equal).
 *
 * Nodes are first built as a linked tree in any order (an operand is parsed
 * before the call or selector around it), then laid out in pre-order by one
 * iterative pass. Recursion follows the nesting of the source; a file whose
 * nesting is deeper than the thread's stack allows is parsed on a thread
 * with a stack sized for it, and nesting beyond MAX_DEPTH is an error.
 * Syntax errors: the first one is reported as go/parser words it; the
 * statement or top-level declaration around it becomes an ERROR node and
 * parsing goes on after it. */
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include "parse.h"
#include "scan.h"
#include "source.h"

enum { MAX_DEPTH = 1000000 };

/* A node while the tree is being built: children in a linked list. It
 * shares its memory with the struct node it becomes (union bnode): the
 * layout rewrites each in place and permutes the array into pre-order, so
 * the build tree and the result never coexist. */
struct tnode {
    uint8_t kind, field, op, flags;
    uint32_t first, next, last; /* first child, next sibling, last child (0: none) */
    uint32_t start, end;        /* bytes; the line is found when the tree is laid out */
    int16_t e, t; /* tree-sitter's dynamic precedence read as an expression, as a type (NOPE: cannot) */
    uint32_t spare;
};
union bnode {
    struct tnode t;
    struct node n;
};
_Static_assert(sizeof(union bnode) == sizeof(struct node), "a build node is the size of a node");

/* tree-sitter-go resolves `a[b](c)`, `a[b][c]` and `*(T)(x)` by dynamic
 * precedence: +1 for an index expression and a generic type, +2 for type
 * arguments, -1 for a conversion, an instantiation and a type name read as
 * a type; ties go to the reading as a type. We keep both sums per node. */
enum { NOPE = -30000, DP_MAX = 10000 };
static inline bool ok(int32_t v) { return v > NOPE / 2; }
/* saturating, so that sums fit the nodes' int16_t */
static inline int32_t sum(int32_t a, int32_t b)
{
    if (!ok(a) || !ok(b)) return NOPE;
    int32_t v = a + b;
    return v > DP_MAX ? DP_MAX : v < -DP_MAX ? -DP_MAX : v;
}

struct pentry {
    uint32_t name_tok; /* the leading identifier's token, or UINT32_MAX */
    uint32_t type;     /* the type node, or 0 for a lone identifier */
    uint32_t start_tok;
    uint32_t dots_tok; /* the `...` of a variadic entry */
    bool variadic;
};

typedef VEC(uint32_t) u32vec;

struct syntax_parser {
    VEC(union bnode) t; /* the file's nodes; handed to the gofile */
    u32vec stack;       /* layout: build index -> pre-order id */
    VEC(struct pentry) pent; /* parameter entries of the lists being parsed */
};

struct parser {
    struct gofile *f;
    const char *src;
    struct token *toks;
    uint32_t ntoks, i;
    struct syntax_parser *sp;
    int expr_lev;     /* < 0: in a control clause header, where T{ is a block */
    uint32_t depth, max_depth;
    uint32_t guard;   /* a `.(type)` was just parsed: its operand */
    jmp_buf *recover;
};

#define TN(P, n) (&(P)->sp->t.items[n].t)

static uint32_t push_node(struct parser *P, const struct tnode *x)
{
    union bnode b;
    b.t = *x;
    vec_push(&P->sp->t, b);
    return (uint32_t)P->sp->t.len - 1;
}

/* ---- tokens ---- */

static inline enum tok tk(struct parser *P) { return (enum tok)P->toks[P->i].kind; }
static inline enum tok tk_at(struct parser *P, uint32_t k) { return k < P->ntoks ? (enum tok)P->toks[k].kind : T_EOF; }
static inline enum tok peek(struct parser *P, uint32_t k) { return tk_at(P, P->i + k); }
static inline void adv(struct parser *P)
{
    if (P->i + 1 < P->ntoks) P->i++;
}
static inline bool got(struct parser *P, enum tok k)
{
    if (tk(P) != k) return false;
    adv(P);
    return true;
}

/* Records "expected WHAT, found TOKEN" at the current token. */
static void note_expected(struct parser *P, const char *what)
{
    char buf[96];
    const struct token *t = &P->toks[P->i];
    source_error(P->f, t->start, xasprintf("expected %s, found %s", what, tok_describe(P->f, t, buf, sizeof buf)));
}
/* ... and gives up the statement or declaration (recovery point). */
GD_NORETURN static void fail(struct parser *P, const char *what)
{
    note_expected(P, what);
    longjmp(*P->recover, 1);
}

GD_NORETURN static void fail_msg_at(struct parser *P, uint32_t byte, const char *msg)
{
    source_error(P->f, byte, xstrdup(msg));
    longjmp(*P->recover, 1);
}
GD_NORETURN static void fail_msg(struct parser *P, const char *msg) { fail_msg_at(P, P->toks[P->i].start, msg); }

static void expect(struct parser *P, enum tok k)
{
    if (tk(P) == k) {
        adv(P);
        return;
    }
    char what[24];
    snprintf(what, sizeof what, "'%s'", tok_text(k));
    fail(P, what);
}

/* the closing token of a comma list; at a newline go/parser's message */
static void expect_list_close(struct parser *P, enum tok close, const char *list)
{
    if (tk(P) == T_SEMI && P->toks[P->i].nl && P->toks[P->i].start < P->f->len) {
        char msg[80];
        snprintf(msg, sizeof msg, "missing ',' before newline in %s", list);
        fail_msg(P, msg);
    }
    expect(P, close);
}

/* a `)` or `}` may close a list without the semicolon before it */
static void expect_semi_or_close(struct parser *P, enum tok close)
{
    if (tk(P) == T_SEMI) adv(P);
    else if (tk(P) != close) fail(P, "';'");
}

static inline void enter(struct parser *P)
{
    if (++P->depth > P->max_depth) fail_msg(P, "exceeded max nesting depth");
}
static inline void leave(struct parser *P) { P->depth--; }

/* ---- nodes ---- */

static uint32_t mk_at(struct parser *P, enum node_kind k, uint32_t tok)
{
    struct tnode x = {0};
    x.kind = (uint8_t)k;
    x.t = NOPE;
    x.start = P->toks[tok].start;
    x.end = P->toks[tok].end;
    return push_node(P, &x);
}
static inline uint32_t mk(struct parser *P, enum node_kind k) { return mk_at(P, k, P->i); }
/* a leaf for the current token, consumed */
static uint32_t leaf(struct parser *P, enum node_kind k)
{
    uint32_t n = mk(P, k);
    adv(P);
    return n;
}

static void add(struct parser *P, uint32_t parent, uint32_t child, enum node_field field)
{
    struct tnode *c = TN(P, child), *p = TN(P, parent);
    c->field = (uint8_t)field;
    c->next = 0;
    if (p->last) TN(P, p->last)->next = child;
    else p->first = child;
    p->last = child;
    if (c->end > p->end) p->end = c->end;
}
/* node n ends with the token before the current one */
static inline void fin(struct parser *P, uint32_t n)
{
    uint32_t e = P->toks[P->i ? P->i - 1 : 0].end;
    if (e > TN(P, n)->end) TN(P, n)->end = e;
}
/* the `}` that ends node n, which ends with it */
static uint32_t close_brace(struct parser *P, uint32_t n)
{
    if (tk(P) != T_RBRACE) fail(P, "'}'");
    adv(P);
    fin(P, n);
    return n;
}

/* a new node around child (which starts it) */
static uint32_t wrap(struct parser *P, enum node_kind k, uint32_t child, enum node_field field)
{
    struct tnode x = {0};
    x.kind = (uint8_t)k;
    x.t = NOPE;
    x.start = TN(P, child)->start;
    x.end = TN(P, child)->end;
    uint32_t n = push_node(P, &x);
    add(P, n, child, field);
    return n;
}
static inline enum node_kind kind_of(struct parser *P, uint32_t n) { return n ? (enum node_kind)TN(P, n)->kind : N_NONE; }
static void set_op(struct parser *P, uint32_t n, enum tok t)
{
    if (!TN(P, n)->op) TN(P, n)->op = (uint8_t)tok_op(t);
}

/* ---- forward ---- */
static uint32_t parse_expr(struct parser *P);
static uint32_t parse_type(struct parser *P);
static uint32_t parse_type_or_expr(struct parser *P);
static uint32_t parse_block(struct parser *P);
static uint32_t parse_stmt(struct parser *P);
static uint32_t parse_simple_stmt(struct parser *P, bool range_ok);
static uint32_t parse_param_list(struct parser *P);
static uint32_t parse_literal_value(struct parser *P);
static uint32_t parse_decl(struct parser *P);

static bool is_type_kind(enum node_kind k)
{
    switch (k) {
    case N_TYPE_IDENTIFIER: case N_QUALIFIED_TYPE: case N_POINTER_TYPE: case N_ARRAY_TYPE:
    case N_IMPLICIT_LENGTH_ARRAY_TYPE: case N_SLICE_TYPE: case N_MAP_TYPE: case N_CHANNEL_TYPE:
    case N_FUNCTION_TYPE: case N_STRUCT_TYPE: case N_INTERFACE_TYPE: case N_GENERIC_TYPE:
    case N_PARENTHESIZED_TYPE: case N_NEGATED_TYPE:
        return true;
    default:
        return false;
    }
}

/* Can expression node n be read as a type (identifier, pkg.T, *T, (T), T[A])? */
static bool type_like(struct parser *P, uint32_t n)
{
    for (;;) {
        struct tnode *x = TN(P, n);
        switch (x->kind) {
        case N_IDENTIFIER:
            return true;
        case N_SELECTOR_EXPRESSION:
            return kind_of(P, x->first) == N_IDENTIFIER;
        case N_UNARY_EXPRESSION:
            if (x->op != OP_MUL) return false;
            n = x->first;
            continue;
        case N_PARENTHESIZED_EXPRESSION:
            n = x->first;
            continue;
        case N_INDEX_EXPRESSION: {
            uint32_t o = x->first;
            return (kind_of(P, o) == N_IDENTIFIER || (kind_of(P, o) == N_SELECTOR_EXPRESSION && type_like(P, o))) &&
                   type_like(P, TN(P, o)->next);
        }
        case N_TYPE_INSTANTIATION_EXPRESSION:
            return true;
        default:
            return is_type_kind((enum node_kind)x->kind);
        }
    }
}

static uint32_t to_type(struct parser *P, uint32_t n);

/* type_arguments(type_elem(T)...) from the type-like nodes a, a->next... */
static uint32_t type_args_from(struct parser *P, uint32_t first, uint32_t open_tok_start, uint32_t end)
{
    struct tnode x = {0};
    x.kind = N_TYPE_ARGUMENTS;
    x.start = open_tok_start;
    x.end = end;
    uint32_t ta = push_node(P, &x);
    for (uint32_t a = first; a;) {
        uint32_t nx = TN(P, a)->next;
        uint32_t t = to_type(P, a);
        uint32_t el = wrap(P, N_TYPE_ELEM, t, F_NONE);
        add(P, ta, el, F_NONE);
        a = nx;
    }
    TN(P, ta)->end = end;
    return ta;
}

/* The byte of the '[' that follows operand o (an index or instantiation
 * was parsed after it). */
static uint32_t bracket_after(struct parser *P, uint32_t o)
{
    uint32_t open = TN(P, o)->end;
    while (P->src[open] != '[') open++;
    return open;
}

/* Rewrites a type-like expression subtree as the type tree-sitter gives. */
static uint32_t to_type(struct parser *P, uint32_t n)
{
    struct tnode *x = TN(P, n);
    switch (x->kind) {
    case N_IDENTIFIER: case N_NIL: case N_TRUE: case N_FALSE: case N_IOTA:
        x->kind = N_TYPE_IDENTIFIER;
        return n;
    case N_SELECTOR_EXPRESSION: {
        uint32_t a = x->first, b = TN(P, a)->next;
        x->kind = N_QUALIFIED_TYPE;
        TN(P, a)->kind = N_PACKAGE_IDENTIFIER, TN(P, a)->field = F_PACKAGE;
        TN(P, b)->kind = N_TYPE_IDENTIFIER, TN(P, b)->field = F_NAME;
        return n;
    }
    case N_UNARY_EXPRESSION:
        x->kind = N_POINTER_TYPE;
        x->first = x->last = to_type(P, x->first);
        TN(P, x->first)->field = F_NONE;
        TN(P, x->first)->next = 0;
        return n;
    case N_PARENTHESIZED_EXPRESSION:
        x->kind = N_PARENTHESIZED_TYPE;
        x->first = x->last = to_type(P, x->first);
        TN(P, x->first)->next = 0;
        return n;
    case N_INDEX_EXPRESSION: case N_TYPE_INSTANTIATION_EXPRESSION: {
        uint32_t o = x->first, args = TN(P, o)->next;
        /* the '[' is just after the operand: find it from the operand's end */
        uint32_t open = bracket_after(P, o);
        uint32_t t = to_type(P, o);
        uint32_t ta = type_args_from(P, args, open, x->end);
        x->kind = N_GENERIC_TYPE;
        x->first = x->last = 0;
        add(P, n, t, F_TYPE);
        add(P, n, ta, F_TYPE_ARGUMENTS);
        return n;
    }
    default:
        return n;
    }
}

/* ---- types ---- */

static uint32_t parse_type_name(struct parser *P)
{
    if (tk(P) != T_IDENT) fail(P, "type");
    uint32_t id = leaf(P, N_TYPE_IDENTIFIER);
    uint32_t t = id;
    if (tk(P) == T_PERIOD) {
        adv(P);
        if (tk(P) != T_IDENT) fail(P, "'IDENT'");
        TN(P, id)->kind = N_PACKAGE_IDENTIFIER;
        t = wrap(P, N_QUALIFIED_TYPE, id, F_PACKAGE);
        add(P, t, leaf(P, N_TYPE_IDENTIFIER), F_NAME);
    }
    return t;
}

/* a type, or several joined by |, in a type_elem node */
static uint32_t parse_type_elem(struct parser *P)
{
    uint32_t t = parse_type(P);
    uint32_t el = wrap(P, N_TYPE_ELEM, t, F_NONE);
    while (tk(P) == T_OR) {
        set_op(P, el, T_OR);
        adv(P);
        add(P, el, parse_type(P), F_NONE);
    }
    return el;
}

static uint32_t parse_type_args(struct parser *P)
{
    uint32_t ta = mk(P, N_TYPE_ARGUMENTS);
    expect(P, T_LBRACK);
    P->expr_lev++;
    if (tk(P) == T_RBRACK) fail(P, "type argument list");
    do {
        if (tk(P) == T_RBRACK) break;
        add(P, ta, parse_type_elem(P), F_NONE);
    } while (got(P, T_COMMA));
    P->expr_lev--;
    expect(P, T_RBRACK);
    fin(P, ta);
    return ta;
}

/* T or pkg.T, then [type arguments] when present */
static uint32_t parse_named_type(struct parser *P)
{
    uint32_t t = parse_type_name(P);
    if (tk(P) == T_LBRACK) {
        uint32_t g = wrap(P, N_GENERIC_TYPE, t, F_TYPE);
        add(P, g, parse_type_args(P), F_TYPE_ARGUMENTS);
        return g;
    }
    return t;
}

static uint32_t parse_result(struct parser *P, uint32_t owner)
{
    /* a parenthesized result list, or one (simple) type */
    switch (tk(P)) {
    case T_LPAREN:
        add(P, owner, parse_param_list(P), F_RESULT);
        return 1;
    case T_IDENT: case T_MUL: case T_LBRACK: case T_MAP: case T_CHAN: case T_FUNC: case T_STRUCT: case T_INTERFACE:
    case T_ARROW: case T_TILDE:
        add(P, owner, parse_type(P), F_RESULT);
        return 1;
    default:
        return 0;
    }
}

static uint32_t parse_func_type(struct parser *P)
{
    uint32_t ft = mk(P, N_FUNCTION_TYPE);
    expect(P, T_FUNC);
    add(P, ft, parse_param_list(P), F_PARAMETERS);
    parse_result(P, ft);
    fin(P, ft);
    return ft;
}

static bool starts_type(enum tok t)
{
    switch (t) {
    case T_IDENT: case T_MUL: case T_LBRACK: case T_MAP: case T_CHAN: case T_FUNC: case T_STRUCT: case T_INTERFACE:
    case T_ARROW: case T_LPAREN: case T_TILDE:
        return true;
    default:
        return false;
    }
}

/* the index of the token matching the bracket at k, or ntoks-1 */
static uint32_t match_close(struct parser *P, uint32_t k)
{
    int depth = 0;
    for (uint32_t j = k; j < P->ntoks; j++) {
        enum tok t = tk_at(P, j);
        if (t == T_LPAREN || t == T_LBRACK || t == T_LBRACE) depth++;
        else if (t == T_RPAREN || t == T_RBRACK || t == T_RBRACE) {
            if (--depth == 0) return j;
        } else if (t == T_EOF) return j;
    }
    return P->ntoks - 1;
}

static uint32_t parse_field_decl(struct parser *P)
{
    uint32_t fd = mk(P, N_FIELD_DECLARATION);
    bool named = false;
    if (tk(P) == T_IDENT) {
        enum tok n1 = peek(P, 1);
        if (n1 == T_COMMA) named = true;
        else if (n1 == T_PERIOD || n1 == T_STRING || n1 == T_RAW_STRING || n1 == T_SEMI || n1 == T_RBRACE) named = false;
        else if (n1 == T_LBRACK) {
            /* a [N]T or []T field, or an embedded generic T[A] */
            uint32_t close = match_close(P, P->i + 1);
            named = peek(P, 2) == T_RBRACK || starts_type(tk_at(P, close + 1));
        } else named = true;
    }
    if (named) {
        do {
            if (tk(P) != T_IDENT) fail(P, "'IDENT'");
            add(P, fd, leaf(P, N_FIELD_IDENTIFIER), F_NAME);
        } while (got(P, T_COMMA));
        add(P, fd, parse_type(P), F_TYPE);
    } else {
        if (tk(P) == T_MUL) {
            set_op(P, fd, T_MUL);
            adv(P);
        } else if (tk(P) == T_LPAREN) {
            fail(P, "field name or embedded type");
        }
        add(P, fd, parse_named_type(P), F_TYPE);
    }
    if (tk(P) == T_STRING || tk(P) == T_RAW_STRING)
        add(P, fd, leaf(P, tk(P) == T_STRING ? N_INTERPRETED_STRING_LITERAL : N_RAW_STRING_LITERAL), F_TAG);
    fin(P, fd);
    return fd;
}

static uint32_t parse_struct_type(struct parser *P)
{
    uint32_t st = mk(P, N_STRUCT_TYPE);
    expect(P, T_STRUCT);
    uint32_t fl = mk(P, N_FIELD_DECLARATION_LIST);
    expect(P, T_LBRACE);
    while (tk(P) != T_RBRACE && tk(P) != T_EOF) {
        add(P, fl, parse_field_decl(P), F_NONE);
        expect_semi_or_close(P, T_RBRACE);
    }
    expect(P, T_RBRACE);
    fin(P, fl);
    add(P, st, fl, F_NONE);
    return st;
}

static uint32_t parse_interface_type(struct parser *P)
{
    uint32_t it = mk(P, N_INTERFACE_TYPE);
    expect(P, T_INTERFACE);
    expect(P, T_LBRACE);
    while (tk(P) != T_RBRACE && tk(P) != T_EOF) {
        if (tk(P) == T_IDENT && peek(P, 1) == T_LPAREN) {
            uint32_t me = mk(P, N_METHOD_ELEM);
            add(P, me, leaf(P, N_FIELD_IDENTIFIER), F_NAME);
            add(P, me, parse_param_list(P), F_PARAMETERS);
            parse_result(P, me);
            fin(P, me);
            add(P, it, me, F_NONE);
        } else {
            add(P, it, parse_type_elem(P), F_NONE);
        }
        expect_semi_or_close(P, T_RBRACE);
    }
    expect(P, T_RBRACE);
    fin(P, it);
    return it;
}

static uint32_t parse_chan_type(struct parser *P)
{
    uint32_t ct = mk(P, N_CHANNEL_TYPE);
    if (tk(P) == T_ARROW) {
        adv(P);
        expect(P, T_CHAN);
        TN(P, ct)->flags |= NF_CHAN_RECV;
    } else {
        expect(P, T_CHAN);
        /* chan<- chan T: tree-sitter reads chan (<-chan T) */
        if (tk(P) == T_ARROW && (peek(P, 1) != T_CHAN || peek(P, 2) == T_ARROW)) {
            adv(P);
            TN(P, ct)->flags |= NF_CHAN_SEND;
        }
    }
    add(P, ct, parse_type(P), F_VALUE);
    return ct;
}

/* [N]T, []T, [...]T after the '[' (at P->i) */
static uint32_t parse_array_or_slice(struct parser *P)
{
    uint32_t open = P->i;
    expect(P, T_LBRACK);
    uint32_t n;
    if (got(P, T_RBRACK)) {
        n = mk_at(P, N_SLICE_TYPE, open);
    } else if (tk(P) == T_ELLIPSIS && peek(P, 1) == T_RBRACK) {
        adv(P), adv(P);
        n = mk_at(P, N_IMPLICIT_LENGTH_ARRAY_TYPE, open);
    } else {
        n = mk_at(P, N_ARRAY_TYPE, open);
        P->expr_lev++;
        uint32_t len = parse_expr(P);
        P->expr_lev--;
        expect(P, T_RBRACK);
        add(P, n, len, F_LENGTH);
    }
    add(P, n, parse_type(P), F_ELEMENT);
    return n;
}

/* the dynamic precedence of an explicit type (see NOPE) */
static void type_dp(struct parser *P, uint32_t n)
{
    struct tnode *x = TN(P, n);
    int32_t t = 0;
    switch (x->kind) {
    case N_TYPE_IDENTIFIER: t = -1; break;
    case N_GENERIC_TYPE: {
        t = 3;
        uint32_t ta = TN(P, x->first)->next;
        for (uint32_t el = ta ? TN(P, ta)->first : 0; el; el = TN(P, el)->next)
            for (uint32_t c = TN(P, el)->first; c; c = TN(P, c)->next) t = sum(t, TN(P, c)->t);
        break;
    }
    case N_MAP_TYPE: t = sum(3, sum(TN(P, x->first)->t, TN(P, x->last)->t)); break;
    case N_POINTER_TYPE: case N_SLICE_TYPE: case N_ARRAY_TYPE: case N_IMPLICIT_LENGTH_ARRAY_TYPE: case N_CHANNEL_TYPE:
    case N_PARENTHESIZED_TYPE: case N_NEGATED_TYPE:
        t = TN(P, x->last)->t;
        break;
    default: t = 0; break;
    }
    x->t = t;
    x->e = NOPE;
}

static uint32_t parse_type(struct parser *P)
{
    enter(P);
    uint32_t n;
    switch (tk(P)) {
    case T_IDENT:
        n = parse_named_type(P);
        break;
    case T_MUL:
        n = mk(P, N_POINTER_TYPE);
        set_op(P, n, T_MUL);
        adv(P);
        add(P, n, parse_type(P), F_NONE);
        break;
    case T_LBRACK:
        n = parse_array_or_slice(P);
        break;
    case T_MAP:
        n = mk(P, N_MAP_TYPE);
        adv(P);
        expect(P, T_LBRACK);
        add(P, n, parse_type(P), F_KEY);
        expect(P, T_RBRACK);
        add(P, n, parse_type(P), F_VALUE);
        break;
    case T_CHAN: case T_ARROW:
        n = parse_chan_type(P);
        break;
    case T_FUNC:
        n = parse_func_type(P);
        break;
    case T_STRUCT:
        n = parse_struct_type(P);
        break;
    case T_INTERFACE:
        n = parse_interface_type(P);
        break;
    case T_LPAREN:
        n = mk(P, N_PARENTHESIZED_TYPE);
        adv(P);
        add(P, n, parse_type(P), F_NONE);
        expect(P, T_RPAREN);
        fin(P, n);
        break;
    case T_TILDE:
        n = mk(P, N_NEGATED_TYPE);
        set_op(P, n, T_TILDE);
        adv(P);
        add(P, n, parse_type(P), F_NONE);
        break;
    default:
        fail(P, "type");
    }
    type_dp(P, n);
    leave(P);
    return n;
}

/* ---- parameters ---- */

static uint32_t parse_param_list(struct parser *P)
{
    uint32_t pl = mk(P, N_PARAMETER_LIST);
    expect(P, T_LPAREN);
    P->expr_lev++;
    /* entries of this list: pent[base..]; a longjmp out leaves them to be
     * overwritten (the vector belongs to the syntax_parser) */
    size_t base = P->sp->pent.len;
    bool any_named = false;
    while (tk(P) != T_RPAREN && tk(P) != T_EOF) {
        struct pentry e = {UINT32_MAX, 0, P->i, 0, false};
        if (tk(P) == T_IDENT) {
            enum tok n1 = peek(P, 1);
            bool named;
            if (n1 == T_COMMA || n1 == T_RPAREN) named = false, e.name_tok = P->i;
            else if (n1 == T_PERIOD) named = false;
            else if (n1 == T_LBRACK) {
                uint32_t close = match_close(P, P->i + 1);
                named = peek(P, 2) == T_RBRACK || starts_type(tk_at(P, close + 1)) || tk_at(P, close + 1) == T_ELLIPSIS;
            } else named = true;
            if (e.name_tok == UINT32_MAX && named) {
                e.name_tok = P->i;
                adv(P);
                any_named = true;
                if (tk(P) == T_ELLIPSIS) e.variadic = true, e.dots_tok = P->i, adv(P);
                e.type = parse_type(P);
            } else if (e.name_tok != UINT32_MAX) {
                adv(P); /* a lone identifier: a name or a type, decided below */
            } else {
                e.type = parse_type(P);
            }
        } else if (tk(P) == T_ELLIPSIS) {
            e.variadic = true, e.dots_tok = P->i;
            adv(P);
            e.type = parse_type(P);
        } else {
            e.type = parse_type(P);
        }
        vec_push(&P->sp->pent, e);
        if (!got(P, T_COMMA)) break;
    }
    P->expr_lev--;
    if (tk(P) != T_RPAREN) expect_list_close(P, T_RPAREN, "parameter list");
    uint32_t close = P->i;
    size_t ne = P->sp->pent.len - base;
    struct pentry *es = ne ? P->sp->pent.items + base : NULL; /* nothing below pushes to pent */
    for (size_t k = 0; k < ne; k++) {
        struct pentry *e = &es[k];
        const char *bad = NULL;
        if (e->variadic && k + 1 < ne) bad = "can only use ... with final parameter";
        else if (any_named && e->type && e->name_tok == UINT32_MAX) bad = "missing parameter name";
        if (bad) {
            P->i = e->variadic ? e->dots_tok : e->start_tok;
            fail_msg(P, bad);
        }
    }
    /* group: with names, lone identifiers are names of the next typed entry */
    size_t i = 0;
    while (i < ne) {
        struct pentry *e = &es[i];
        if (!any_named) {
            uint32_t d = mk_at(P, e->variadic ? N_VARIADIC_PARAMETER_DECLARATION : N_PARAMETER_DECLARATION, e->start_tok);
            uint32_t t = e->type ? e->type : mk_at(P, N_TYPE_IDENTIFIER, e->name_tok);
            add(P, d, t, F_TYPE);
            add(P, pl, d, F_NONE);
            i++;
            continue;
        }
        size_t j = i;
        while (j < ne && !es[j].type) j++;
        if (j == ne) {
            P->i = close;
            fail_msg(P, "mixed named and unnamed parameters");
        }
        /* tree-sitter keeps at most nine names in one declaration; lone
         * identifiers before those are declarations of a type each */
        for (; j - i > 8; i++) {
            uint32_t d = mk_at(P, N_PARAMETER_DECLARATION, es[i].start_tok);
            add(P, d, mk_at(P, N_TYPE_IDENTIFIER, es[i].name_tok), F_TYPE);
            add(P, pl, d, F_NONE);
        }
        e = &es[i];
        struct pentry *last = &es[j];
        uint32_t d = mk_at(P, last->variadic ? N_VARIADIC_PARAMETER_DECLARATION : N_PARAMETER_DECLARATION, e->start_tok);
        for (size_t k = i; k <= j; k++)
            if (es[k].name_tok != UINT32_MAX) add(P, d, mk_at(P, N_IDENTIFIER, es[k].name_tok), F_NAME);
        add(P, d, last->type, F_TYPE);
        add(P, pl, d, F_NONE);
        i = j + 1;
    }
    P->sp->pent.len = base;
    adv(P);
    fin(P, pl);
    return pl;
}

static uint32_t parse_type_params(struct parser *P)
{
    uint32_t tl = mk(P, N_TYPE_PARAMETER_LIST);
    expect(P, T_LBRACK);
    P->expr_lev++;
    while (tk(P) != T_RBRACK && tk(P) != T_EOF) {
        uint32_t d = mk(P, N_TYPE_PARAMETER_DECLARATION);
        do {
            if (tk(P) != T_IDENT) fail(P, "'IDENT'");
            add(P, d, leaf(P, N_IDENTIFIER), F_NAME);
        } while (got(P, T_COMMA));
        if (tk(P) == T_RBRACK) fail_msg(P, "missing type constraint");
        uint32_t c = parse_type_elem(P);
        TN(P, c)->kind = N_TYPE_CONSTRAINT;
        add(P, d, c, F_TYPE);
        add(P, tl, d, F_NONE);
        if (!got(P, T_COMMA)) break;
    }
    P->expr_lev--;
    expect(P, T_RBRACK);
    fin(P, tl);
    return tl;
}

/* ---- expressions ---- */

static uint32_t parse_func_lit_or_type(struct parser *P)
{
    uint32_t start = P->i;
    expect(P, T_FUNC);
    uint32_t params = parse_param_list(P);
    uint32_t res = mk_at(P, N_NONE, start); /* scratch owner for the result */
    parse_result(P, res);
    uint32_t n;
    if (tk(P) == T_LBRACE) {
        n = mk_at(P, N_FUNC_LITERAL, start);
        add(P, n, params, F_PARAMETERS);
        if (TN(P, res)->first) add(P, n, TN(P, res)->first, F_RESULT);
        P->expr_lev++;
        uint32_t save = P->expr_lev;
        P->expr_lev = 0;
        add(P, n, parse_block(P), F_BODY);
        P->expr_lev = save - 1;
    } else {
        n = mk_at(P, N_FUNCTION_TYPE, start);
        add(P, n, params, F_PARAMETERS);
        if (TN(P, res)->first) add(P, n, TN(P, res)->first, F_RESULT);
        TN(P, n)->e = NOPE, TN(P, n)->t = 0;
    }
    fin(P, n);
    return n;
}

static uint32_t parse_args(struct parser *P, bool special)
{
    uint32_t al = mk(P, N_ARGUMENT_LIST);
    expect(P, T_LPAREN);
    P->expr_lev++;
    bool first = true;
    while (tk(P) != T_RPAREN && tk(P) != T_EOF) {
        uint32_t a = special && first ? parse_type(P) : parse_type_or_expr(P);
        first = false;
        if (tk(P) == T_ELLIPSIS) {
            a = wrap(P, N_VARIADIC_ARGUMENT, a, F_NONE);
            adv(P);
            fin(P, a);
        }
        add(P, al, a, F_NONE);
        if (!got(P, T_COMMA)) break;
    }
    P->expr_lev--;
    expect_list_close(P, T_RPAREN, "argument list");
    fin(P, al);
    return al;
}

/* new(T) and make(T, ...): the first argument is a type, unless it cannot
 * be one (Go 1.26's new(expr), a variable named make) */
static uint32_t parse_builtin_call(struct parser *P, uint32_t fn)
{
    uint32_t save_i = P->i;
    size_t save_n = P->sp->t.len;
    /* try the type first: it must be followed by ',' or ')' */
    uint32_t k = P->i + 1;
    volatile bool type_first = false;
    if (tk_at(P, k) != T_RPAREN) {
        jmp_buf jb, *outer = P->recover;
        int save_lev = P->expr_lev;
        uint32_t save_depth = P->depth;
        char *save_msg = P->f->err_msg ? xstrdup(P->f->err_msg) : NULL;
        bool save_has = P->f->has_error;
        uint32_t save_line = P->f->err_line, save_col = P->f->err_col;
        if (!setjmp(jb)) {
            P->recover = &jb;
            adv(P);
            parse_type(P);
            type_first = tk(P) == T_COMMA || tk(P) == T_RPAREN;
        }
        P->recover = outer;
        P->expr_lev = save_lev;
        P->depth = save_depth;
        /* a failed attempt leaves no error behind */
        free(P->f->err_msg);
        P->f->err_msg = save_msg;
        P->f->has_error = save_has;
        P->f->err_line = save_line, P->f->err_col = save_col;
        P->i = save_i;
        P->sp->t.len = save_n;
    }
    uint32_t call = wrap(P, N_CALL_EXPRESSION, fn, F_FUNCTION);
    add(P, call, parse_args(P, type_first), F_ARGUMENTS);
    return call;
}

static uint32_t parse_operand(struct parser *P)
{
    uint32_t n;
    switch (tk(P)) {
    case T_IDENT: {
        const char *s = P->src + P->toks[P->i].start;
        uint32_t w = P->toks[P->i].end - P->toks[P->i].start;
        enum node_kind k = N_IDENTIFIER;
        if (w == 3 && !memcmp(s, "nil", 3)) k = N_NIL;
        else if (w == 4 && !memcmp(s, "true", 4)) k = N_TRUE;
        else if (w == 5 && !memcmp(s, "false", 5)) k = N_FALSE;
        else if (w == 4 && !memcmp(s, "iota", 4)) k = N_IOTA;
        n = leaf(P, k);
        bool builtin = (w == 3 && !memcmp(s, "new", 3)) || (w == 4 && !memcmp(s, "make", 4));
        if (k == N_IDENTIFIER && !builtin) TN(P, n)->t = -1; /* new, make: keywords to tree-sitter */
        if (tk(P) == T_LPAREN && builtin) return parse_builtin_call(P, n);
        return n;
    }
    case T_INT: return leaf(P, N_INT_LITERAL);
    case T_FLOAT: return leaf(P, N_FLOAT_LITERAL);
    case T_IMAG: return leaf(P, N_IMAGINARY_LITERAL);
    case T_CHAR: return leaf(P, N_RUNE_LITERAL);
    case T_STRING: return leaf(P, N_INTERPRETED_STRING_LITERAL);
    case T_RAW_STRING: return leaf(P, N_RAW_STRING_LITERAL);
    case T_LPAREN: {
        uint32_t open = P->i;
        adv(P);
        P->expr_lev++;
        uint32_t x = parse_type_or_expr(P);
        P->expr_lev--;
        expect(P, T_RPAREN);
        n = mk_at(P, is_type_kind(kind_of(P, x)) ? N_PARENTHESIZED_TYPE : N_PARENTHESIZED_EXPRESSION, open);
        add(P, n, x, F_NONE);
        fin(P, n);
        TN(P, n)->e = TN(P, x)->e, TN(P, n)->t = TN(P, x)->t;
        return n;
    }
    case T_FUNC:
        return parse_func_lit_or_type(P);
    case T_LBRACK: case T_MAP: case T_CHAN: case T_STRUCT: case T_INTERFACE:
        return parse_type(P);
    case T_ARROW:
        if (peek(P, 1) == T_CHAN) return parse_type(P);
        break;
    default:
        break;
    }
    fail(P, "operand");
}

static bool complit_type_ok(struct parser *P, uint32_t x)
{
    switch (kind_of(P, x)) {
    case N_IDENTIFIER:
        return P->expr_lev >= 0;
    case N_SELECTOR_EXPRESSION:
        return P->expr_lev >= 0 && type_like(P, x);
    case N_INDEX_EXPRESSION: case N_TYPE_INSTANTIATION_EXPRESSION:
        return P->expr_lev >= 0 && type_like(P, x);
    case N_ARRAY_TYPE: case N_SLICE_TYPE: case N_IMPLICIT_LENGTH_ARRAY_TYPE: case N_MAP_TYPE: case N_STRUCT_TYPE:
        return true;
    default:
        return false;
    }
}

static uint32_t parse_element(struct parser *P)
{
    uint32_t v = tk(P) == T_LBRACE ? parse_literal_value(P) : parse_expr(P);
    return wrap(P, N_LITERAL_ELEMENT, v, F_NONE);
}

static uint32_t parse_literal_value(struct parser *P)
{
    enter(P);
    uint32_t lv = mk(P, N_LITERAL_VALUE);
    expect(P, T_LBRACE);
    P->expr_lev++;
    while (tk(P) != T_RBRACE && tk(P) != T_EOF) {
        uint32_t e = parse_element(P);
        if (got(P, T_COLON)) {
            uint32_t kv = wrap(P, N_KEYED_ELEMENT, e, F_KEY);
            add(P, kv, parse_element(P), F_VALUE);
            e = kv;
        }
        add(P, lv, e, F_NONE);
        if (!got(P, T_COMMA)) break;
    }
    P->expr_lev--;
    expect_list_close(P, T_RBRACE, "composite literal");
    fin(P, lv);
    leave(P);
    return lv;
}

/* x[...] after the operand x */
static uint32_t parse_index_suffix(struct parser *P, uint32_t x)
{
    adv(P);
    P->expr_lev++;
    uint32_t first = 0, n;
    if (tk(P) != T_COLON) first = parse_type_or_expr(P);
    if (tk(P) == T_COLON) {
        n = wrap(P, N_SLICE_EXPRESSION, x, F_OPERAND);
        if (first) add(P, n, first, F_START);
        adv(P);
        if (tk(P) != T_RBRACK) {
            add(P, n, parse_expr(P), F_END);
            if (got(P, T_COLON)) add(P, n, parse_expr(P), F_CAPACITY);
        }
    } else {
        /* x[i] is an index or an instantiation; x[a, b] an instantiation */
        bool named = kind_of(P, x) == N_IDENTIFIER || (kind_of(P, x) == N_SELECTOR_EXPRESSION && ok(TN(P, x)->t));
        int32_t targs = TN(P, first)->t;
        int32_t idx = tk(P) == T_COMMA ? NOPE : sum(1, sum(TN(P, x)->e, TN(P, first)->e));
        int32_t inst = sum(-1, sum(TN(P, x)->t, targs));
        if (tk(P) == T_COMMA || (ok(inst) && inst >= idx)) {
            int32_t xt = TN(P, x)->t;
            n = wrap(P, N_TYPE_INSTANTIATION_EXPRESSION, to_type(P, x), F_TYPE);
            add(P, n, to_type(P, first), F_NONE);
            while (got(P, T_COMMA)) {
                if (tk(P) == T_RBRACK) break;
                uint32_t a = parse_type(P);
                targs = sum(targs, TN(P, a)->t);
                add(P, n, a, F_NONE);
            }
            TN(P, n)->e = sum(-1, sum(xt, targs));
        } else {
            n = wrap(P, N_INDEX_EXPRESSION, x, F_OPERAND);
            add(P, n, first, F_INDEX);
            TN(P, n)->e = idx;
        }
        TN(P, n)->t = named ? sum(3, targs) : NOPE;
    }
    P->expr_lev--;
    expect(P, T_RBRACK);
    fin(P, n);
    return n;
}

/* Is the argument list at P->i one plain argument: ( x ) or ( x , )? */
static bool single_arg(struct parser *P)
{
    uint32_t close = match_close(P, P->i);
    if (close <= P->i + 1) return false;
    int depth = 0;
    for (uint32_t j = P->i + 1; j < close; j++) {
        enum tok t = tk_at(P, j);
        if (t == T_LPAREN || t == T_LBRACK || t == T_LBRACE) depth++;
        else if (t == T_RPAREN || t == T_RBRACK || t == T_RBRACE) depth--;
        else if (depth == 0 && t == T_ELLIPSIS) return false;
        else if (depth == 0 && t == T_COMMA) return j + 1 == close;
    }
    return true;
}

/* a type name back to an expression: T -> T, pkg.T -> pkg.T (selector) */
static uint32_t to_expr(struct parser *P, uint32_t n)
{
    struct tnode *x = TN(P, n);
    if (x->kind == N_TYPE_IDENTIFIER) x->kind = N_IDENTIFIER;
    else if (x->kind == N_QUALIFIED_TYPE) {
        uint32_t a = x->first, b = TN(P, a)->next;
        x->kind = N_SELECTOR_EXPRESSION;
        TN(P, a)->kind = N_IDENTIFIER, TN(P, a)->field = F_OPERAND;
        TN(P, b)->kind = N_FIELD_IDENTIFIER, TN(P, b)->field = F_FIELD;
    }
    return n;
}

/* The dynamic precedence of x(args) read as a call, a conversion and a
 * call with type arguments (x[T](args)); returns the best. */
static int32_t call_scores(struct parser *P, uint32_t x, int32_t *c_call, int32_t *c_conv, int32_t *c_targs)
{
    enum node_kind k = kind_of(P, x);
    bool indexed = k == N_INDEX_EXPRESSION || k == N_TYPE_INSTANTIATION_EXPRESSION;
    *c_call = TN(P, x)->e;
    *c_conv = ok(TN(P, x)->t) && single_arg(P) ? sum(-1, TN(P, x)->t) : NOPE;
    *c_targs = NOPE;
    if (indexed) {
        uint32_t o = TN(P, x)->first;
        int32_t t = 2;
        for (uint32_t a = TN(P, o)->next; a; a = TN(P, a)->next) t = sum(t, TN(P, a)->t);
        int32_t oe = k == N_INDEX_EXPRESSION ? TN(P, o)->e
                   : kind_of(P, o) == N_TYPE_IDENTIFIER || kind_of(P, o) == N_QUALIFIED_TYPE ? 0 : NOPE;
        *c_targs = sum(oe, t);
    }
    if (!ok(*c_call) && !ok(*c_conv) && !ok(*c_targs) && is_type_kind(k)) {
        /* []byte(a, b): not Go, but go/parser reads a call (tree-sitter fails) */
        if (single_arg(P)) *c_conv = 0;
        else *c_call = 0;
    }
    int32_t best = *c_call > *c_conv ? *c_call : *c_conv;
    return best > *c_targs ? best : *c_targs;
}

static uint32_t parse_call_suffix(struct parser *P, uint32_t x)
{
    /* a call, a conversion, or a call with type arguments: the reading of
     * highest dynamic precedence, ties to the conversion, then the call */
    int32_t c_call, c_conv, c_targs;
    call_scores(P, x, &c_call, &c_conv, &c_targs);
    if (ok(c_conv) && c_conv >= c_call && c_conv >= c_targs) {
        uint32_t n = wrap(P, N_TYPE_CONVERSION_EXPRESSION, to_type(P, x), F_TYPE);
        expect(P, T_LPAREN);
        P->expr_lev++;
        add(P, n, parse_expr(P), F_OPERAND);
        got(P, T_COMMA);
        P->expr_lev--;
        expect(P, T_RPAREN);
        fin(P, n);
        return n;
    }
    uint32_t call;
    if (ok(c_targs) && !(ok(c_call) && c_call >= c_targs)) {
        uint32_t o = TN(P, x)->first, items = TN(P, o)->next;
        uint32_t open = bracket_after(P, o);
        uint32_t ta = type_args_from(P, items, open, TN(P, x)->end);
        TN(P, o)->next = 0;
        call = wrap(P, N_CALL_EXPRESSION, to_expr(P, o), F_FUNCTION);
        TN(P, call)->start = TN(P, x)->start;
        add(P, call, ta, F_TYPE_ARGUMENTS);
    } else {
        call = wrap(P, N_CALL_EXPRESSION, x, F_FUNCTION);
    }
    add(P, call, parse_args(P, false), F_ARGUMENTS);
    return call;
}

static uint32_t parse_postfix_to(struct parser *P, uint32_t x, bool stop_at_call);
static uint32_t parse_postfix(struct parser *P, uint32_t x) { return parse_postfix_to(P, x, false); }

static uint32_t parse_postfix_to(struct parser *P, uint32_t x, bool stop_at_call)
{
    for (;;) {
        switch (tk(P)) {
        case T_PERIOD:
            adv(P);
            if (tk(P) == T_IDENT) {
                uint32_t o = x;
                x = wrap(P, N_SELECTOR_EXPRESSION, x, F_OPERAND);
                add(P, x, leaf(P, N_FIELD_IDENTIFIER), F_FIELD);
                TN(P, x)->e = TN(P, o)->e;
                TN(P, x)->t = kind_of(P, o) == N_IDENTIFIER && ok(TN(P, o)->t) ? 0 : NOPE;
            } else if (tk(P) == T_LPAREN) {
                adv(P);
                if (tk(P) == T_TYPE) {
                    adv(P);
                    expect(P, T_RPAREN);
                    P->guard = x;
                    return x;
                }
                x = wrap(P, N_TYPE_ASSERTION_EXPRESSION, x, F_OPERAND);
                add(P, x, parse_type(P), F_TYPE);
                expect(P, T_RPAREN);
                fin(P, x);
            } else {
                fail(P, "selector or type assertion");
            }
            break;
        case T_LBRACK:
            x = parse_index_suffix(P, x);
            break;
        case T_LPAREN:
            if (stop_at_call) return x;
            x = parse_call_suffix(P, x);
            break;
        case T_LBRACE:
            if (!complit_type_ok(P, x)) return x;
            {
                uint32_t t = kind_of(P, x) == N_IDENTIFIER || !is_type_kind(kind_of(P, x)) ? to_type(P, x) : x;
                uint32_t cl = wrap(P, N_COMPOSITE_LITERAL, t, F_TYPE);
                add(P, cl, parse_literal_value(P), F_BODY);
                x = cl;
            }
            break;
        default:
            return x;
        }
    }
}

static uint32_t parse_primary(struct parser *P) { return parse_postfix(P, parse_operand(P)); }

static uint32_t parse_unary(struct parser *P)
{
    enter(P);
    uint32_t n;
    switch (tk(P)) {
    case T_ADD: case T_SUB: case T_NOT: case T_XOR: case T_MUL: case T_AND: case T_ARROW: case T_TILDE:
        if (tk(P) == T_ARROW && peek(P, 1) == T_CHAN) {
            n = parse_primary(P);
            break;
        }
        n = mk(P, N_UNARY_EXPRESSION);
        TN(P, n)->op = (uint8_t)tok_op(tk(P));
        adv(P);
        if (TN(P, n)->op == OP_MUL && !tok_op(tk(P))) {
            /* *X(y): tree-sitter reads the pointer type *X converted, when
             * that ties with the best reading of X(y) (*(T)(x), *[]T(x),
             * *pkg.New[K, V](x)) */
            uint32_t x = parse_postfix_to(P, parse_operand(P), true);
            if (tk(P) == T_LPAREN) {
                int32_t a, b, c;
                int32_t inner = call_scores(P, x, &a, &b, &c);
                int32_t ptr = ok(TN(P, x)->t) && single_arg(P) ? sum(-1, TN(P, x)->t) : NOPE;
                if (ok(ptr) && ptr >= inner) {
                    int32_t xt = TN(P, x)->t;
                    TN(P, n)->kind = N_POINTER_TYPE;
                    add(P, n, to_type(P, x), F_NONE);
                    TN(P, n)->e = NOPE, TN(P, n)->t = xt;
                    n = parse_postfix(P, n);
                    break;
                }
                x = parse_postfix(P, x);
            }
            if (is_type_kind(kind_of(P, x))) {
                TN(P, n)->kind = N_POINTER_TYPE;
                add(P, n, x, F_NONE);
                TN(P, n)->e = NOPE;
            } else {
                add(P, n, x, F_OPERAND);
                TN(P, n)->e = TN(P, x)->e;
            }
            TN(P, n)->t = TN(P, x)->t;
            break;
        }
        {
            uint32_t x = parse_unary(P);
            if (TN(P, n)->op == OP_MUL && is_type_kind(kind_of(P, x))) {
                TN(P, n)->kind = N_POINTER_TYPE; /* *[]T, *struct{...}: only a type */
                add(P, n, x, F_NONE);
                TN(P, n)->e = NOPE;
            } else {
                add(P, n, x, F_OPERAND);
                TN(P, n)->e = TN(P, x)->e;
            }
            TN(P, n)->t = TN(P, n)->op == OP_MUL ? TN(P, x)->t : NOPE;
        }
        break;
    default:
        n = parse_primary(P);
    }
    leave(P);
    return n;
}

static int binary_prec(enum tok t)
{
    switch (t) {
    case T_LOR: return 1;
    case T_LAND: return 2;
    case T_EQL: case T_NEQ: case T_LSS: case T_LEQ: case T_GTR: case T_GEQ: return 3;
    case T_ADD: case T_SUB: case T_OR: case T_XOR: return 4;
    case T_MUL: case T_QUO: case T_REM: case T_SHL: case T_SHR: case T_AND: case T_AND_NOT: return 5;
    default: return 0;
    }
}

static uint32_t parse_binary(struct parser *P, int prec1)
{
    enter(P);
    uint32_t x = parse_unary(P);
    for (;;) {
        int p = binary_prec(tk(P));
        if (p < prec1) break;
        uint32_t b = wrap(P, N_BINARY_EXPRESSION, x, F_LEFT);
        TN(P, b)->op = (uint8_t)tok_op(tk(P));
        adv(P);
        add(P, b, parse_binary(P, p + 1), F_RIGHT);
        x = b;
    }
    leave(P);
    return x;
}

static uint32_t parse_expr(struct parser *P) { return parse_binary(P, 1); }

/* in argument lists, parentheses and brackets a type may stand where an
 * expression would: both parse through operands */
static uint32_t parse_type_or_expr(struct parser *P)
{
    /* *T stays a unary expression here (tree-sitter reads (*T) so); only
     * ~T cannot start an expression */
    return tk(P) == T_TILDE ? parse_type(P) : parse_expr(P);
}

/* ---- statements ---- */

static uint32_t expr_list(struct parser *P)
{
    uint32_t l = mk(P, N_EXPRESSION_LIST);
    do add(P, l, parse_expr(P), F_NONE);
    while (got(P, T_COMMA));
    fin(P, l);
    return l;
}

/* a simple statement; with range_ok, also `k, v := range x` / `range x` */
static uint32_t parse_simple_stmt(struct parser *P, bool range_ok)
{
    uint32_t start = P->i;
    if (range_ok && tk(P) == T_RANGE) {
        uint32_t rc = mk(P, N_RANGE_CLAUSE);
        adv(P);
        add(P, rc, parse_expr(P), F_RIGHT);
        return rc;
    }
    uint32_t first = parse_expr(P);
    if (tk(P) != T_COMMA) {
        enum tok t = tk(P);
        switch (t) {
        case T_ARROW: {
            uint32_t s = wrap(P, N_SEND_STATEMENT, first, F_CHANNEL);
            set_op(P, s, t);
            adv(P);
            add(P, s, parse_expr(P), F_VALUE);
            return s;
        }
        case T_INC: case T_DEC: {
            uint32_t s = wrap(P, t == T_INC ? N_INC_STATEMENT : N_DEC_STATEMENT, first, F_NONE);
            set_op(P, s, t);
            adv(P);
            fin(P, s);
            return s;
        }
        case T_COLON:
            if (kind_of(P, first) == N_IDENTIFIER && P->expr_lev >= 0 && !range_ok) {
                /* a label: handled by the caller */
                return first;
            }
            break;
        default:
            break;
        }
        if (!(t == T_DEFINE || (t >= T_ASSIGN && t <= T_AND_NOT_ASSIGN))) return wrap(P, N_EXPRESSION_STATEMENT, first, F_NONE);
    }
    /* a list: left side of an assignment, := or range */
    uint32_t left = wrap(P, N_EXPRESSION_LIST, first, F_NONE);
    while (got(P, T_COMMA)) add(P, left, parse_expr(P), F_NONE);
    enum tok t = tk(P);
    if (t == T_DEFINE || (t >= T_ASSIGN && t <= T_AND_NOT_ASSIGN)) {
        adv(P);
        if (range_ok && tk(P) == T_RANGE && (t == T_DEFINE || t == T_ASSIGN)) {
            uint32_t third = TN(P, left)->first;
            for (int k = 0; k < 2 && third; k++) third = TN(P, third)->next;
            if (third) {
                P->i = start;
                while (P->toks[P->i].start < TN(P, third)->start) P->i++;
                fail_msg(P, "expected at most 2 expressions");
            }
            uint32_t rc = mk_at(P, N_RANGE_CLAUSE, start);
            add(P, rc, left, F_LEFT);
            set_op(P, rc, t);
            adv(P);
            add(P, rc, parse_expr(P), F_RIGHT);
            return rc;
        }
        uint32_t s = mk_at(P, t == T_DEFINE ? N_SHORT_VAR_DECLARATION : N_ASSIGNMENT_STATEMENT, start);
        add(P, s, left, F_LEFT);
        TN(P, s)->op = (uint8_t)tok_op(t);
        add(P, s, expr_list(P), F_RIGHT);
        return s;
    }
    fail(P, "':=' or '=' or comma");
}

/* the statement list of a block or a case clause, up to `}`/case/default */
static uint32_t parse_stmt_list(struct parser *P, bool in_case);

static uint32_t parse_block(struct parser *P)
{
    enter(P);
    uint32_t b = mk(P, N_BLOCK);
    expect(P, T_LBRACE);
    int save = P->expr_lev;
    P->expr_lev = 0;
    uint32_t l = parse_stmt_list(P, false);
    if (l) add(P, b, l, F_NONE);
    P->expr_lev = save;
    close_brace(P, b);
    leave(P);
    return b;
}

/* The expression of an expression statement, where a condition or a
 * switch value must be one. */
static uint32_t unwrap_expr_stmt(struct parser *P, uint32_t s)
{
    enum node_kind k = kind_of(P, s);
    if (k != N_EXPRESSION_STATEMENT) {
        bool assign = k == N_ASSIGNMENT_STATEMENT || k == N_SHORT_VAR_DECLARATION;
        fail_msg_at(P, TN(P, s)->start,
                    assign ? "expected boolean expression, found assignment (missing parentheses around composite literal?)"
                           : "expected boolean expression, found simple statement (missing parentheses around composite literal?)");
    }
    uint32_t e = TN(P, s)->first;
    TN(P, e)->next = 0;
    return e;
}

/* if ... else if ... else: a loop, so a long else-if chain never nests
 * the C stack */
static uint32_t parse_if(struct parser *P)
{
    uint32_t first = 0, prev = 0;
    for (;;) {
        uint32_t n = mk(P, N_IF_STATEMENT);
        expect(P, T_IF);
        int save = P->expr_lev;
        P->expr_lev = -1;
        if (tk(P) == T_LBRACE) fail_msg(P, "missing condition in if statement");
        uint32_t init = 0, cond;
        if (tk(P) != T_SEMI) init = parse_simple_stmt(P, false);
        if (tk(P) == T_SEMI) {
            adv(P);
            if (tk(P) == T_LBRACE) fail_msg(P, "missing condition in if statement");
            cond = unwrap_expr_stmt(P, parse_simple_stmt(P, false));
        } else {
            cond = unwrap_expr_stmt(P, init);
            init = 0;
        }
        P->expr_lev = save;
        if (init) add(P, n, init, F_INITIALIZER);
        add(P, n, cond, F_CONDITION);
        add(P, n, parse_block(P), F_CONSEQUENCE);
        if (prev) add(P, prev, n, F_ALTERNATIVE);
        else first = n;
        if (!got(P, T_ELSE)) break;
        if (tk(P) == T_IF) {
            prev = n;
            continue;
        }
        if (tk(P) != T_LBRACE) fail(P, "if statement or block");
        add(P, n, parse_block(P), F_ALTERNATIVE);
        break;
    }
    /* every if of the chain ends where the last one does */
    uint32_t e = P->toks[P->i - 1].end;
    for (uint32_t x = first; x; x = TN(P, x)->last && kind_of(P, TN(P, x)->last) == N_IF_STATEMENT ? TN(P, x)->last : 0)
        TN(P, x)->end = e;
    return first;
}

static uint32_t parse_for(struct parser *P)
{
    uint32_t n = mk(P, N_FOR_STATEMENT);
    expect(P, T_FOR);
    int save = P->expr_lev;
    P->expr_lev = -1;
    if (tk(P) != T_LBRACE) {
        uint32_t s1 = 0;
        if (tk(P) != T_SEMI) s1 = parse_simple_stmt(P, true);
        if (kind_of(P, s1) == N_RANGE_CLAUSE) {
            fin(P, s1);
            add(P, n, s1, F_NONE);
        } else if (tk(P) == T_SEMI) {
            uint32_t fc = mk(P, N_FOR_CLAUSE);
            if (s1) {
                TN(P, fc)->start = TN(P, s1)->start;
                add(P, fc, s1, F_INITIALIZER);
            }
            adv(P);
            if (tk(P) != T_SEMI) add(P, fc, unwrap_expr_stmt(P, parse_simple_stmt(P, false)), F_CONDITION);
            if (tk(P) != T_SEMI) fail(P, "';'");
            adv(P);
            if (tk(P) != T_LBRACE) add(P, fc, parse_simple_stmt(P, false), F_UPDATE);
            fin(P, fc);
            add(P, n, fc, F_NONE);
        } else {
            add(P, n, unwrap_expr_stmt(P, s1), F_NONE);
        }
    }
    P->expr_lev = save;
    add(P, n, parse_block(P), F_BODY);
    fin(P, n);
    return n;
}

static uint32_t parse_case_body(struct parser *P, uint32_t clause)
{
    expect(P, T_COLON);
    uint32_t l = parse_stmt_list(P, true);
    if (l) add(P, clause, l, F_NONE);
    fin(P, clause);
    return clause;
}

static uint32_t parse_switch(struct parser *P)
{
    uint32_t start = P->i;
    expect(P, T_SWITCH);
    int save = P->expr_lev;
    P->expr_lev = -1;
    uint32_t s1 = 0, s2 = 0;
    P->guard = 0;
    if (tk(P) != T_LBRACE) {
        if (tk(P) != T_SEMI) s1 = parse_simple_stmt(P, false);
        if (tk(P) == T_SEMI) {
            adv(P);
            P->guard = 0;
            if (tk(P) != T_LBRACE) s2 = parse_simple_stmt(P, false);
        } else {
            s2 = s1, s1 = 0;
        }
    }
    P->expr_lev = save;
    bool is_type = s2 && P->guard;
    uint32_t n = mk_at(P, is_type ? N_TYPE_SWITCH_STATEMENT : N_EXPRESSION_SWITCH_STATEMENT, start);
    if (s1) add(P, n, s1, F_INITIALIZER);
    if (is_type) {
        if (kind_of(P, s2) == N_SHORT_VAR_DECLARATION) {
            uint32_t left = TN(P, s2)->first, right = TN(P, left)->next;
            uint32_t v = TN(P, right)->first;
            TN(P, left)->next = 0;
            add(P, n, left, F_ALIAS);
            set_op(P, n, T_DEFINE);
            add(P, n, v, F_VALUE);
        } else if (kind_of(P, s2) == N_EXPRESSION_STATEMENT) {
            add(P, n, unwrap_expr_stmt(P, s2), F_VALUE);
        } else {
            fail_msg(P, "invalid type switch guard");
        }
    } else if (s2) {
        add(P, n, unwrap_expr_stmt(P, s2), F_VALUE);
    }
    P->guard = 0;
    expect(P, T_LBRACE);
    while (tk(P) == T_CASE || tk(P) == T_DEFAULT) {
        uint32_t c;
        if (tk(P) == T_DEFAULT) {
            c = leaf(P, N_DEFAULT_CASE);
        } else if (is_type) {
            c = mk(P, N_TYPE_CASE);
            adv(P);
            do {
                /* nil is a type name to tree-sitter here; go/parser reads
                 * the list as expressions, so accept those too */
                uint32_t t = starts_type(tk(P)) ? parse_type(P) : parse_expr(P);
                add(P, c, t, F_TYPE);
            } while (got(P, T_COMMA));
        } else {
            c = mk(P, N_EXPRESSION_CASE);
            adv(P);
            add(P, c, expr_list(P), F_VALUE);
        }
        add(P, n, parse_case_body(P, c), F_NONE);
    }
    return close_brace(P, n);
}

static uint32_t parse_select(struct parser *P)
{
    uint32_t n = mk(P, N_SELECT_STATEMENT);
    expect(P, T_SELECT);
    expect(P, T_LBRACE);
    while (tk(P) == T_CASE || tk(P) == T_DEFAULT) {
        uint32_t c;
        if (tk(P) == T_DEFAULT) {
            c = leaf(P, N_DEFAULT_CASE);
        } else {
            c = mk(P, N_COMMUNICATION_CASE);
            adv(P);
            uint32_t start = P->i;
            uint32_t first = parse_expr(P);
            uint32_t comm;
            if (tk(P) == T_ARROW) {
                comm = wrap(P, N_SEND_STATEMENT, first, F_CHANNEL);
                set_op(P, comm, T_ARROW);
                adv(P);
                add(P, comm, parse_expr(P), F_VALUE);
            } else if (tk(P) == T_COMMA || tk(P) == T_DEFINE || tk(P) == T_ASSIGN) {
                uint32_t left = wrap(P, N_EXPRESSION_LIST, first, F_NONE);
                while (got(P, T_COMMA)) add(P, left, parse_expr(P), F_NONE);
                if (tk(P) != T_DEFINE && tk(P) != T_ASSIGN) fail(P, "':=' or '='");
                comm = mk_at(P, N_RECEIVE_STATEMENT, start);
                add(P, comm, left, F_LEFT);
                set_op(P, comm, tk(P));
                adv(P);
                add(P, comm, parse_expr(P), F_RIGHT);
            } else {
                comm = wrap(P, N_RECEIVE_STATEMENT, first, F_RIGHT);
            }
            add(P, c, comm, F_COMMUNICATION);
        }
        add(P, n, parse_case_body(P, c), F_NONE);
    }
    return close_brace(P, n);
}

static uint32_t parse_branch(struct parser *P, enum node_kind k, bool label_required)
{
    uint32_t n = mk(P, k);
    adv(P);
    if (tk(P) == T_IDENT) add(P, n, leaf(P, N_LABEL_NAME), F_NONE);
    else if (label_required) fail(P, "'IDENT'");
    fin(P, n);
    return n;
}

static uint32_t parse_stmt(struct parser *P)
{
    enter(P);
    uint32_t n;
    switch (tk(P)) {
    case T_VAR: case T_CONST: case T_TYPE:
        n = parse_decl(P);
        break;
    case T_RETURN:
        n = mk(P, N_RETURN_STATEMENT);
        adv(P);
        if (tk(P) != T_SEMI && tk(P) != T_RBRACE) add(P, n, expr_list(P), F_NONE);
        fin(P, n);
        break;
    case T_GO: case T_DEFER:
        n = mk(P, tk(P) == T_GO ? N_GO_STATEMENT : N_DEFER_STATEMENT);
        {
            const char *what = tk(P) == T_GO ? "expression in go must be function call" : "expression in defer must be function call";
            adv(P);
            uint32_t x = parse_expr(P);
            enum node_kind k = kind_of(P, x);
            if (k != N_CALL_EXPRESSION && k != N_TYPE_CONVERSION_EXPRESSION) fail_msg_at(P, TN(P, x)->end, what); /* at its end, as go/parser */
            add(P, n, x, F_NONE);
        }
        break;
    case T_IF: n = parse_if(P); break;
    case T_FOR: n = parse_for(P); break;
    case T_SWITCH: n = parse_switch(P); break;
    case T_SELECT: n = parse_select(P); break;
    case T_BREAK: n = parse_branch(P, N_BREAK_STATEMENT, false); break;
    case T_CONTINUE: n = parse_branch(P, N_CONTINUE_STATEMENT, false); break;
    case T_GOTO: n = parse_branch(P, N_GOTO_STATEMENT, true); break;
    case T_FALLTHROUGH: n = leaf(P, N_FALLTHROUGH_STATEMENT); break;
    case T_LBRACE: n = parse_block(P); break;
    case T_SEMI:
        n = mk(P, N_EMPTY_STATEMENT);
        break;
    case T_ELSE: case T_CASE: case T_DEFAULT: case T_RPAREN: case T_RBRACK: case T_COLON: case T_COMMA:
    case T_ELLIPSIS: case T_PERIOD: case T_IMPORT: case T_PACKAGE: case T_ASSIGN: case T_DEFINE:
        fail(P, "statement");
    default: {
        n = parse_simple_stmt(P, false);
        if (kind_of(P, n) == N_IDENTIFIER && tk(P) == T_COLON) {
            /* L1: L2: stmt, a loop so that a long chain never nests the C
             * stack; every label of the chain ends where its statement does */
            uint32_t first = 0, prev = 0;
            for (;;) {
                TN(P, n)->kind = N_LABEL_NAME;
                uint32_t ls = wrap(P, N_LABELED_STATEMENT, n, F_LABEL);
                adv(P);
                fin(P, ls);
                if (prev) add(P, prev, ls, F_NONE);
                else first = ls;
                prev = ls;
                /* a label closing a block labels nothing (tree-sitter's empty labeled statement) */
                if (tk(P) == T_RBRACE || tk(P) == T_EOF || (tk(P) == T_SEMI && peek(P, 1) == T_RBRACE)) break;
                if (tk(P) == T_CASE || tk(P) == T_DEFAULT) fail(P, "statement");
                if (tk(P) == T_IDENT && peek(P, 1) == T_COLON) {
                    n = leaf(P, N_IDENTIFIER);
                    continue;
                }
                add(P, ls, parse_stmt(P), F_NONE);
                break;
            }
            uint32_t e = TN(P, prev)->end;
            for (uint32_t x = first; x != prev; x = TN(P, x)->last) TN(P, x)->end = e;
            n = first;
        }
    }
    }
    leave(P);
    return n;
}

/* The first token at or after `from` where a broken statement ends: a `;`
 * at its own nesting level, or the `}` (or case) that closes its list. */
static uint32_t sync_stmt(struct parser *P, uint32_t from, uint32_t err)
{
    int depth = 0;
    uint32_t j = from;
    for (; j < P->ntoks; j++) {
        enum tok t = tk_at(P, j);
        if (t == T_EOF) return j;
        if (t == T_LPAREN || t == T_LBRACK || t == T_LBRACE) depth++;
        else if (t == T_RPAREN || t == T_RBRACK || t == T_RBRACE) {
            if (depth == 0) {
                if (t == T_RBRACE) break;
                continue; /* a stray closer: skip it */
            }
            depth--;
        } else if (depth == 0 && j >= err && (t == T_SEMI || t == T_CASE || t == T_DEFAULT)) break;
    }
    return j;
}

static uint32_t error_node(struct parser *P, uint32_t from, uint32_t to)
{
    uint32_t e = mk_at(P, N_ERROR, from);
    TN(P, e)->flags |= NF_HAS_ERROR;
    if (to > from) TN(P, e)->end = P->toks[to - 1].end;
    return e;
}

static uint32_t parse_stmt_list(struct parser *P, bool in_case)
{
    volatile uint32_t l = 0;
    for (;;) {
        while (tk(P) == T_SEMI && P->toks[P->i].nl) adv(P);
        enum tok t = tk(P);
        if (t == T_RBRACE || t == T_EOF || (in_case && (t == T_CASE || t == T_DEFAULT))) break;
        volatile uint32_t start = P->i;
        size_t save_n = P->sp->t.len;
        int save_lev = P->expr_lev;
        uint32_t save_depth = P->depth;
        jmp_buf jb, *outer = P->recover;
        uint32_t s;
        if (!setjmp(jb)) {
            P->recover = &jb;
            s = parse_stmt(P);
            P->recover = outer;
        } else {
            P->recover = outer;
            uint32_t err = P->i;
            P->sp->t.len = save_n;
            P->expr_lev = save_lev;
            P->depth = save_depth;
            P->guard = 0;
            uint32_t to = sync_stmt(P, start, err);
            if (to == start && tk_at(P, to) != T_RBRACE && tk_at(P, to) != T_EOF) to++;
            s = error_node(P, start, to);
            P->i = to;
        }
        if (!l) l = mk_at(P, N_STATEMENT_LIST, start);
        add(P, l, s, F_NONE);
        if (tk(P) == T_SEMI) {
            adv(P);
            fin(P, l);
        } else if (tk(P) != T_RBRACE && tk(P) != T_EOF && !(in_case && (tk(P) == T_CASE || tk(P) == T_DEFAULT))) {
            /* two statements on one line */
            note_expected(P, "';'");
            uint32_t to = sync_stmt(P, P->i, P->i);
            if (to == P->i) to++;
            add(P, l, error_node(P, P->i, to), F_NONE);
            P->i = to;
            if (tk(P) == T_SEMI) adv(P);
            fin(P, l);
        }
    }
    return l;
}

/* ---- declarations ---- */

static uint32_t parse_spec(struct parser *P, enum tok kw)
{
    if (kw == T_IMPORT) {
        uint32_t s = mk(P, N_IMPORT_SPEC);
        if (tk(P) == T_PERIOD) add(P, s, leaf(P, N_DOT), F_NAME);
        else if (tk(P) == T_IDENT) {
            bool blank = P->toks[P->i].end - P->toks[P->i].start == 1 && P->src[P->toks[P->i].start] == '_';
            add(P, s, leaf(P, blank ? N_BLANK_IDENTIFIER : N_PACKAGE_IDENTIFIER), F_NAME);
        }
        if (tk(P) == T_STRING) add(P, s, leaf(P, N_INTERPRETED_STRING_LITERAL), F_PATH);
        else if (tk(P) == T_RAW_STRING) add(P, s, leaf(P, N_RAW_STRING_LITERAL), F_PATH);
        else if (tk(P) == T_SEMI || tk(P) == T_RPAREN) fail_msg(P, "missing import path");
        else fail_msg(P, "import path must be a string");
        fin(P, s);
        return s;
    }
    if (kw == T_TYPE) {
        uint32_t start = P->i;
        if (tk(P) != T_IDENT) fail(P, "'IDENT'");
        uint32_t name = leaf(P, N_TYPE_IDENTIFIER);
        uint32_t tparams = 0;
        if (tk(P) == T_LBRACK) {
            /* type T[P C] ... (generic) or type T [N]E (array) */
            enum tok a = peek(P, 1), b = peek(P, 2);
            bool generic = false;
            if (a == T_IDENT) {
                if (b == T_IDENT || b == T_INTERFACE || b == T_TILDE || b == T_COMMA || b == T_LBRACK || b == T_FUNC ||
                    b == T_MAP || b == T_CHAN || b == T_STRUCT || b == T_ARROW)
                    generic = true;
                else if (b == T_MUL) {
                    enum tok c = peek(P, 3);
                    generic = c == T_IDENT || c == T_LPAREN || c == T_LBRACK;
                    if (generic && c == T_IDENT) {
                        enum tok d = peek(P, 4);
                        generic = d == T_RBRACK || d == T_COMMA || d == T_PERIOD || d == T_LBRACK || d == T_OR;
                        if (d == T_RBRACK) {
                            /* [P *C] vs [N * M]T: an array length is followed by a type */
                            generic = !starts_type(peek(P, 5));
                        }
                    }
                }
            }
            if (a == T_IDENT && b == T_LPAREN) {
                /* [N (x)]T is an array; [P (C), ...] or [P (C)] T... a parameter list */
                uint32_t close = match_close(P, P->i + 2);
                generic = tk_at(P, close + 1) != T_RBRACK;
            }
            if (generic) tparams = parse_type_params(P);
        }
        bool alias = got(P, T_ASSIGN);
        uint32_t s = mk_at(P, alias ? N_TYPE_ALIAS : N_TYPE_SPEC, start);
        add(P, s, name, F_NAME);
        if (tparams) add(P, s, tparams, F_TYPE_PARAMETERS);
        if (alias) set_op(P, s, T_ASSIGN);
        add(P, s, parse_type(P), F_TYPE);
        return s;
    }
    /* var and const */
    uint32_t s = mk(P, kw == T_VAR ? N_VAR_SPEC : N_CONST_SPEC);
    do {
        if (tk(P) != T_IDENT) fail(P, "'IDENT'");
        add(P, s, leaf(P, N_IDENTIFIER), F_NAME);
    } while (got(P, T_COMMA));
    bool typed = false;
    if (tk(P) != T_ASSIGN && tk(P) != T_SEMI && tk(P) != T_RPAREN) {
        add(P, s, parse_type(P), F_TYPE);
        typed = true;
    }
    if (tk(P) == T_ASSIGN) {
        set_op(P, s, T_ASSIGN);
        adv(P);
        add(P, s, expr_list(P), F_VALUE);
    } else if (kw == T_VAR && !typed) {
        fail(P, "type");
    }
    fin(P, s);
    return s;
}

static uint32_t parse_decl(struct parser *P)
{
    enum tok kw = tk(P);
    enum node_kind k = kw == T_IMPORT ? N_IMPORT_DECLARATION : kw == T_VAR ? N_VAR_DECLARATION
                     : kw == T_CONST ? N_CONST_DECLARATION : N_TYPE_DECLARATION;
    uint32_t d = mk(P, k);
    adv(P);
    if (tk(P) == T_LPAREN) {
        uint32_t list = d;
        if (kw == T_IMPORT) list = mk(P, N_IMPORT_SPEC_LIST);
        else if (kw == T_VAR) list = mk(P, N_VAR_SPEC_LIST);
        adv(P);
        while (tk(P) != T_RPAREN && tk(P) != T_EOF) {
            add(P, list, parse_spec(P, kw), F_NONE);
            expect_semi_or_close(P, T_RPAREN);
        }
        expect(P, T_RPAREN);
        if (list != d) {
            fin(P, list);
            add(P, d, list, F_NONE);
        }
    } else {
        add(P, d, parse_spec(P, kw), F_NONE);
    }
    fin(P, d);
    return d;
}

static uint32_t parse_func_decl(struct parser *P)
{
    uint32_t start = P->i;
    expect(P, T_FUNC);
    uint32_t n;
    if (tk(P) == T_LPAREN) {
        n = mk_at(P, N_METHOD_DECLARATION, start);
        add(P, n, parse_param_list(P), F_RECEIVER);
        if (tk(P) != T_IDENT) fail(P, "'IDENT'");
        add(P, n, leaf(P, N_FIELD_IDENTIFIER), F_NAME);
        if (tk(P) == T_LBRACK) fail_msg(P, "method must have no type parameters");
    } else {
        n = mk_at(P, N_FUNCTION_DECLARATION, start);
        if (tk(P) != T_IDENT) fail(P, "'IDENT'");
        add(P, n, leaf(P, N_IDENTIFIER), F_NAME);
        if (tk(P) == T_LBRACK) add(P, n, parse_type_params(P), F_TYPE_PARAMETERS);
    }
    add(P, n, parse_param_list(P), F_PARAMETERS);
    parse_result(P, n);
    if (tk(P) == T_LBRACE) {
        P->expr_lev = 0;
        add(P, n, parse_block(P), F_BODY);
    }
    fin(P, n);
    return n;
}

/* the first token after `from` that starts a top-level declaration at the
 * start of a line, or EOF */
static uint32_t sync_decl(struct parser *P, uint32_t from)
{
    uint32_t j = from + 1;
    for (; j < P->ntoks; j++) {
        enum tok t = tk_at(P, j);
        if (t == T_EOF) break;
        if ((t == T_FUNC || t == T_TYPE || t == T_VAR || t == T_CONST || t == T_IMPORT) &&
            (P->toks[j].start == 0 || P->src[P->toks[j].start - 1] == '\n'))
            break;
    }
    return j;
}

static void parse_file(struct parser *P, uint32_t root)
{
    if (tk(P) != T_PACKAGE) {
        /* go/parser stops here; we say so and read on for what we can */
        char buf[64];
        source_error(P->f, P->toks[P->i].start,
                     xasprintf("expected 'package', found %s", tok_describe(P->f, &P->toks[P->i], buf, sizeof buf)));
    }
    while (tk(P) != T_EOF) {
        if (tk(P) == T_SEMI) {
            adv(P);
            continue;
        }
        volatile uint32_t start = P->i;
        size_t save_n = P->sp->t.len;
        jmp_buf jb;
        uint32_t d;
        if (!setjmp(jb)) {
            P->recover = &jb;
            P->expr_lev = 0;
            P->depth = 0;
            switch (tk(P)) {
            case T_PACKAGE: {
                d = mk(P, N_PACKAGE_CLAUSE);
                adv(P);
                if (tk(P) != T_IDENT) fail(P, "'IDENT'");
                add(P, d, leaf(P, N_PACKAGE_IDENTIFIER), F_NONE);
                break;
            }
            case T_IMPORT: case T_VAR: case T_CONST: case T_TYPE:
                d = parse_decl(P);
                break;
            case T_FUNC:
                d = parse_func_decl(P);
                break;
            default:
                fail(P, "declaration");
            }
            if (tk(P) != T_SEMI && tk(P) != T_EOF) fail(P, "';'");
        } else {
            P->sp->t.len = save_n;
            uint32_t to = sync_decl(P, start);
            d = error_node(P, start, to);
            P->i = to;
        }
        add(P, root, d, F_NONE);
    }
}

/* ---- layout: the linked tree into the pre-order array ---- */

static void layout(struct parser *P, uint32_t root)
{
    struct gofile *f = P->f;
    union bnode *b = P->sp->t.items;
    uint32_t n = (uint32_t)P->sp->t.len, len = (uint32_t)f->len;
    /* 1. a pre-order walk from the root: each node gets its id (perm) and
     * is rewritten in place as the struct node it will be; its links were
     * read before that (a frame keeps the next child to visit) */
    u32vec *perm = &P->sp->stack;
    perm->len = 0;
    vec_reserve(perm, n);
    memset(perm->items, 0, n * sizeof(uint32_t));
    perm->len = n;
    struct frame { uint32_t old, child, last_old; };
    VEC(struct frame) fr = {0};
    nid next_id = 1;
    uint32_t line = 1, cur = root;
    memset(&b[0], 0, sizeof(b[0]));
    for (;;) {
        if (cur) {
            struct tnode x = b[cur].t;
            nid id = next_id++;
            perm->items[cur] = id;
            struct node y = {0};
            y.kind = x.kind, y.field = x.field, y.op = x.op, y.flags = x.flags;
            y.start_byte = x.start > len ? len : x.start;
            y.end_byte = x.end > len ? len : x.end;
            if (y.start_byte > y.end_byte) y.start_byte = y.end_byte;
            /* starts never decrease in pre-order: the line is a cursor */
            if (y.start_byte < f->lines[line - 1]) ast_pos(f, y.start_byte, &line, &y.col);
            while (line < f->nlines && f->lines[line] <= y.start_byte) line++;
            y.line = line;
            y.col = y.start_byte - f->lines[line - 1] + 1;
            if (fr.len) {
                struct frame *pf = &fr.items[fr.len - 1];
                y.parent = perm->items[pf->old];
                if (pf->last_old) b[pf->last_old].n.next = id;
                pf->last_old = cur;
            }
            b[cur].n = y;
            struct frame nf = {cur, x.first, 0};
            vec_push(&fr, nf);
        }
        /* next: the current frame's next child, or pop */
        for (;;) {
            if (!fr.len) goto done;
            struct frame *top = &fr.items[fr.len - 1];
            if (top->child) {
                cur = top->child;
                top->child = b[cur].t.next; /* read before cur is rewritten */
                break;
            }
            struct node *y = &b[top->old].n;
            y->end = next_id;
            if ((y->flags & NF_HAS_ERROR) && fr.len > 1) b[fr.items[fr.len - 2].old].n.flags |= NF_HAS_ERROR;
            fr.len--;
        }
    }
done:
    vec_free(&fr);
    /* 2. nodes the tree dropped (a failed attempt, a rewritten wrapper) go
     * after the tree; then every node moves to its id, by cycles */
    nid count = next_id;
    for (uint32_t i = 1; i < n; i++)
        if (!perm->items[i]) perm->items[i] = next_id++;
    uint32_t *pm = perm->items;
    for (uint32_t i = 0; i < n; i++) {
        while (pm[i] != i) {
            uint32_t j = pm[i];
            union bnode tmp = b[i];
            b[i] = b[j];
            b[j] = tmp;
            pm[i] = pm[j];
            pm[j] = j;
        }
    }
    /* 3. the array becomes the file's */
    union bnode *kept = xrealloc(b, (size_t)count * sizeof(*b));
    P->sp->t.items = NULL;
    P->sp->t.len = P->sp->t.cap = 0;
    free(f->nodes);
    f->nodes = &kept[0].n;
    f->nnodes = count;
}

/* ---- entry ---- */

struct syntax_parser *syntax_parser_new(void) { return xcalloc(1, sizeof(struct syntax_parser)); }

void syntax_parser_free(struct syntax_parser *p)
{
    if (!p) return;
    vec_free(&p->t);
    vec_free(&p->stack);
    vec_free(&p->pent);
    free(p);
}

static void run_parse(struct parser *P)
{
    struct tnode zero = {0};
    P->sp->t.len = 0;
    vec_reserve(&P->sp->t, P->ntoks + 16); /* about a node per token */
    P->sp->pent.len = 0;
    push_node(P, &zero); /* node 0: none */
    uint32_t root = mk_at(P, N_SOURCE_FILE, 0);
    /* the file node starts at its first token or comment (as tree-sitter's) */
    const char *s = P->f->src;
    uint32_t b = P->f->len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (b < P->f->len && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) b++;
    TN(P, root)->start = b;
    TN(P, root)->end = (uint32_t)P->f->len;

    parse_file(P, root);
    free(P->toks); /* the layout needs only the nodes: a lower peak */
    P->toks = NULL;
    layout(P, root);
}

static void *parse_thread(void *arg)
{
    run_parse(arg);
    return NULL;
}

/* How deep the parse may recurse: the bracket nesting plus the longest run
 * of operator and type-constructor tokens (-x, *T, []T, chan T), over the
 * file. A loose upper bound on the parser's recursion. */
static uint32_t nesting_bound(const struct token *toks, uint32_t n)
{
    uint32_t depth = 0, best = 0, run = 0;
    for (uint32_t i = 0; i < n; i++) {
        enum tok t = (enum tok)toks[i].kind;
        if (t == T_LPAREN || t == T_LBRACK || t == T_LBRACE) depth++;
        else if ((t == T_RPAREN || t == T_RBRACK || t == T_RBRACE) && depth) depth--;
        if (t == T_IDENT || t == T_INT || t == T_STRING || t == T_SEMI) run = 0;
        else run++;
        if (depth + run > best) best = depth + run;
    }
    return best;
}

/* Each level of source nesting costs the parser at most UNITS_PER_LEVEL
 * enter() calls (an element of a composite literal: expression, unary,
 * type, literal value), and one enter() at most FRAME_BYTES of stack. */
enum { FRAME_BYTES = 1024, UNITS_PER_LEVEL = 6, INLINE_DEPTH = 1000 };

void syntax_parse(struct syntax_parser *sp, const char *path, char *src, size_t len, struct gofile *f)
{
    if (!source_init(f, path, src, len)) return;
    struct parser P = {0};
    P.f = f;
    P.src = f->src;
    P.sp = sp;
    P.toks = scan_file(f, &P.ntoks);
    uint64_t units = (uint64_t)(nesting_bound(P.toks, P.ntoks) + 16) * UNITS_PER_LEVEL;
    if (units > MAX_DEPTH) units = MAX_DEPTH;
    bool done = false;
    if (units > INLINE_DEPTH) {
        /* deep nesting: parse on a thread whose stack holds it (only the
         * pages it touches are committed) */
        P.max_depth = (uint32_t)units;
        size_t stack = (size_t)units * FRAME_BYTES + ((size_t)16 << 20);
        pthread_attr_t attr;
        pthread_t th;
        if (!pthread_attr_init(&attr)) {
            if (!pthread_attr_setstacksize(&attr, stack) && !pthread_create(&th, &attr, parse_thread, &P)) {
                pthread_join(th, NULL);
                done = true;
            }
            pthread_attr_destroy(&attr);
        }
    }
    /* the caller's stack (at least 2 MB for our threads, 8 MB for main) */
    if (!done) P.max_depth = INLINE_DEPTH;
    if (!done) run_parse(&P);
    source_finish(f);
}
