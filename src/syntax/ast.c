/* syntax/ast: navigation helpers over the pre-order node array, and names
 * of kinds, fields and operators. */
#include "ast.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const kind_names[] = {
    "none",
#define KIND(e, s) s,
#include "kinds.def"
#undef KIND
};
static const char *const field_names[] = {
    "",
#define FIELD(e, s) s,
#include "fields.def"
#undef FIELD
};
static const char *const op_texts[] = {
    "",
#define OP(e, s) s,
#include "ops.def"
#undef OP
};

const char *ast_kind_name(enum node_kind k) { return k < N__COUNT ? kind_names[k] : "?"; }
const char *ast_field_name(enum node_field f) { return f < F__COUNT ? field_names[f] : "?"; }
const char *ast_op_text(enum node_op o) { return o < OP__COUNT ? op_texts[o] : "?"; }

nid ast_child(const struct gofile *f, nid n, enum node_field field)
{
    AST_FOR_CHILDREN(f, n, c) if (f->nodes[c].field == field) return c;
    return 0;
}

nid ast_nth_child(const struct gofile *f, nid n, unsigned i)
{
    AST_FOR_CHILDREN(f, n, c) if (i-- == 0) return c;
    return 0;
}

unsigned ast_child_count(const struct gofile *f, nid n)
{
    unsigned k = 0;
    AST_FOR_CHILDREN(f, n, c) k++;
    return k;
}

nid ast_ancestor(const struct gofile *f, nid n, enum node_kind k)
{
    for (nid p = ast_parent(f, n); p; p = ast_parent(f, p))
        if (f->nodes[p].kind == k) return p;
    return 0;
}

struct str ast_text(const struct gofile *f, nid n)
{
    if (!n) return str_make("", 0);
    const struct node *x = &f->nodes[n];
    return str_make(f->src + x->start_byte, x->end_byte - x->start_byte);
}

bool ast_text_is(const struct gofile *f, nid n, const char *s) { return n && str_eq(ast_text(f, n), s); }

nid ast_unparen(const struct gofile *f, nid n)
{
    while (n && f->nodes[n].kind == N_PARENTHESIZED_EXPRESSION) n = ast_first_child(f, n);
    return n;
}

void ast_pos(const struct gofile *f, uint32_t byte, uint32_t *line, uint32_t *col)
{
    uint32_t lo = 0, hi = f->nlines; /* find last line start <= byte */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->lines[mid] <= byte) lo = mid;
        else hi = mid;
    }
    *line = lo + 1;
    *col = byte - (f->nlines ? f->lines[lo] : 0) + 1;
}

struct str ast_line_text(const struct gofile *f, uint32_t line)
{
    if (line == 0 || line > f->nlines) return str_make("", 0);
    uint32_t s = f->lines[line - 1], e = s;
    while (e < f->len && f->src[e] != '\n') e++;
    if (e > s && f->src[e - 1] == '\r') e--;
    return str_make(f->src + s, e - s);
}

struct str ast_comment_text(const struct gofile *f, const struct comment *c)
{
    return str_make(f->src + c->start_byte, c->end_byte - c->start_byte);
}

void gofile_free(struct gofile *f)
{
    free(f->path);
    free(f->src);
    free(f->lines);
    free(f->nodes);
    free(f->comments);
    free(f->err_msg);
    arena_free(&f->arena);
    memset(f, 0, sizeof(*f));
}

void ast_dump(const struct gofile *f, nid n, FILE *out)
{
    nid from = n ? n : 1, to = n ? f->nodes[n].end : f->nnodes;
    int base = 0;
    for (nid a = f->nodes[from].parent; a; a = f->nodes[a].parent) base++;
    for (nid k = from; k < to; k++) {
        int depth = -base;
        for (nid a = f->nodes[k].parent; a; a = f->nodes[a].parent) depth++;
        const struct node *x = &f->nodes[k];
        fprintf(out, "%*s%s", depth * 2, "", ast_kind_name(x->kind));
        if (x->field) fprintf(out, " [%s]", ast_field_name(x->field));
        if (x->op) fprintf(out, " op=%s", ast_op_text(x->op));
        if (x->flags & (NF_CHAN_SEND | NF_CHAN_RECV)) fprintf(out, " dir=%s", x->flags & NF_CHAN_SEND ? "send" : "recv");
        fprintf(out, " %u:%u", x->line, x->col);
        if (x->end == k + 1) {
            struct str t = ast_text(f, k);
            fprintf(out, " \"%.*s\"", (int)(t.n > 40 ? 40 : t.n), t.p);
        }
        fputc('\n', out);
    }
}
