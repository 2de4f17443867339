/* syntax/ast: godark's own compact Go syntax tree. Nodes live in one array
 * per file in pre-order, so a whole-tree walk is a loop, never recursion. */
#ifndef GODARK_AST_H
#define GODARK_AST_H

#include <stdio.h>

#include "../base/base.h"

enum node_kind {
    N_NONE = 0,
#define KIND(e, s) N_##e,
#include "kinds.def"
#undef KIND
    N__COUNT
};

enum node_field {
    F_NONE = 0,
#define FIELD(e, s) F_##e,
#include "fields.def"
#undef FIELD
    F__COUNT
};

enum node_op {
    OP_NONE = 0,
#define OP(e, s) OP_##e,
#include "ops.def"
#undef OP
    OP__COUNT
};

/* flags on a node */
enum {
    NF_CHAN_SEND = 1, /* channel_type: chan<- T */
    NF_CHAN_RECV = 2, /* channel_type: <-chan T */
    NF_HAS_ERROR = 4, /* an ERROR or MISSING node is inside this subtree */
};

/* Node ids index gofile.nodes; 0 is "no node", the root is 1. Children of
 * node i are i+1 .. end-1 in pre-order; `next` links siblings. */
typedef uint32_t nid;

struct node {
    uint8_t kind;  /* enum node_kind */
    uint8_t field; /* enum node_field: role in the parent */
    uint8_t op;    /* enum node_op */
    uint8_t flags;
    nid parent, next, end;
    uint32_t start_byte, end_byte;
    uint32_t line, col; /* 1-based; col in bytes */
};

/* A comment, kept outside the tree. text is a slice of the source. */
struct comment {
    uint32_t start_byte, end_byte;
    uint32_t line, col, end_line;
};

/* One parsed Go file. Everything is owned by `arena` and `src` and is freed
 * by gofile_free. */
struct gofile {
    char *path;       /* as given to syntax_parse, for messages */
    char *src;        /* the bytes, NUL-terminated */
    size_t len;       /* source length without the newline we may append */
    uint32_t *lines;  /* byte offset of each line start */
    uint32_t nlines;
    struct node *nodes;
    uint32_t nnodes;  /* including the unused node 0 */
    struct comment *comments;
    uint32_t ncomments;
    bool has_error;               /* tree-sitter found a syntax error */
    uint32_t err_line, err_col;   /* first error, when has_error */
    char *err_msg;                /* what was wrong there */
    bool generated;               /* "// Code generated ... DO NOT EDIT." */
    struct arena arena;
};

const char *ast_kind_name(enum node_kind k);
const char *ast_field_name(enum node_field f);
const char *ast_op_text(enum node_op o);

static inline const struct node *ast_node(const struct gofile *f, nid n) { return &f->nodes[n]; }
static inline enum node_kind ast_kind(const struct gofile *f, nid n) { return n ? (enum node_kind)f->nodes[n].kind : N_NONE; }
static inline nid ast_parent(const struct gofile *f, nid n) { return n ? f->nodes[n].parent : 0; }
static inline nid ast_next(const struct gofile *f, nid n) { return n ? f->nodes[n].next : 0; }
static inline nid ast_first_child(const struct gofile *f, nid n) { return n && f->nodes[n].end > n + 1 ? n + 1 : 0; }
/* The first child playing role `field`, or 0. */
nid ast_child(const struct gofile *f, nid n, enum node_field field);
/* The i-th (0-based) child, or 0. */
nid ast_nth_child(const struct gofile *f, nid n, unsigned i);
unsigned ast_child_count(const struct gofile *f, nid n);
/* Is `inner` n itself or inside n's subtree? */
static inline bool ast_contains(const struct gofile *f, nid n, nid inner) { return inner >= n && inner < f->nodes[n].end; }
/* The nearest ancestor (not n itself) of kind k, or 0. */
nid ast_ancestor(const struct gofile *f, nid n, enum node_kind k);
/* The node's source text (a slice of f->src). */
struct str ast_text(const struct gofile *f, nid n);
bool ast_text_is(const struct gofile *f, nid n, const char *s);
/* Strips parentheses: (x) -> x. */
nid ast_unparen(const struct gofile *f, nid n);
/* Line/column (1-based) of a byte offset. */
void ast_pos(const struct gofile *f, uint32_t byte, uint32_t *line, uint32_t *col);
/* The text of 1-based line `line` without its line ending. */
struct str ast_line_text(const struct gofile *f, uint32_t line);
struct str ast_comment_text(const struct gofile *f, const struct comment *c);

/* Iterate the children of n: for (nid c = ast_first_child(f, n); c; c = ast_next(f, c)) */
#define AST_FOR_CHILDREN(f, n, c) for (nid c = ast_first_child((f), (n)); c; c = ast_next((f), c))

/* Prints node n's subtree (the whole tree for n = 0), one node per line:
 * kind, role, operator, channel direction, line:col, and a leaf's text. */
void ast_dump(const struct gofile *f, nid n, FILE *out);

void gofile_free(struct gofile *f);

#endif
