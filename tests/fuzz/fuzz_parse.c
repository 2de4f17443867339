/* tests/fuzz/fuzz_parse: arbitrary bytes through our Go parser alone
 * (syntax_parse), then every invariant of the node array the rest of godark
 * relies on: pre-order with `end` bounding each subtree, parent and sibling
 * links that agree with it, byte ranges inside the parent's and the file,
 * line and column matching the byte offset, kinds/roles/operators in range,
 * comments in order. A violated invariant aborts (a crash to libFuzzer). */
#include <stdlib.h>

#include "../../src/syntax/parse.h"
#include "fuzz.h"

#define CHECK(c)                                                                   \
    do {                                                                           \
        if (!(c)) {                                                                \
            fprintf(stderr, "fuzz_parse: invariant failed: %s (line %d)\n", #c, __LINE__); \
            abort();                                                               \
        }                                                                          \
    } while (0)

static void check_tree(const struct gofile *f)
{
    CHECK(f->nnodes >= 1);
    for (nid n = 1; n < f->nnodes; n++) {
        const struct node *x = &f->nodes[n];
        CHECK(x->kind > N_NONE && x->kind < N__COUNT);
        CHECK(x->field < F__COUNT && x->op < OP__COUNT);
        CHECK(x->end > n && x->end <= f->nnodes);
        CHECK(x->start_byte <= x->end_byte && x->end_byte <= f->len);
        uint32_t line, col;
        ast_pos(f, x->start_byte, &line, &col);
        CHECK(line == x->line && col == x->col);
        if (n == 1) {
            CHECK(x->parent == 0 && x->end == f->nnodes && x->kind == N_SOURCE_FILE);
            continue;
        }
        nid p = x->parent;
        CHECK(p && p < n && n < f->nodes[p].end);
        CHECK(f->nodes[p].start_byte <= x->start_byte && x->end_byte <= f->nodes[p].end_byte);
        /* the first child follows its parent; a later one follows its
         * previous sibling's subtree */
        if (n == p + 1) continue;
        nid prev = 0;
        for (nid c = p + 1; c && c < n; c = f->nodes[c].next) prev = c;
        CHECK(prev && f->nodes[prev].next == n && f->nodes[prev].end == n);
        CHECK(f->nodes[prev].end_byte <= x->start_byte);
    }
    for (nid n = 1; n < f->nnodes; n++)
        if (f->nodes[n].next) CHECK(f->nodes[f->nodes[n].next].parent == f->nodes[n].parent);
    for (uint32_t i = 0; i < f->ncomments; i++) {
        const struct comment *c = &f->comments[i];
        CHECK(c->start_byte < c->end_byte && c->end_byte <= f->len);
        CHECK(c->line <= c->end_line);
        if (i) CHECK(f->comments[i - 1].end_byte <= c->start_byte);
    }
    if (f->has_error) CHECK(f->err_msg && f->err_line >= 1 && f->err_col >= 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct syntax_parser *p;
    if (!p) p = syntax_parser_new();
    char *src = malloc(size + 1);
    if (!src) return 0;
    memcpy(src, data, size);
    struct gofile f;
    syntax_parse(p, "fuzz.go", src, size, &f);
    check_tree(&f);
    gofile_free(&f);
    return 0;
}
