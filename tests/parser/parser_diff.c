/* tests/parser/parser_diff: our parser (syntax_parse) against the
 * tree-sitter front end (syntax_ts_parse) on the same files. For each file
 * both node arrays must be identical: kind, role, operator, flags, links,
 * byte range, line and column of every node, and the comments. Files
 * tree-sitter rejects are listed apart (tree-sitter-go predates some Go).
 *
 *   parser-diff [--quiet] FILE... | --list FILE   compare; exit 1 on a mismatch
 *   parser-diff --time FILE... | --list FILE      parse all with each parser, one
 *                                                 thread, and print the times
 *   parser-diff --dump[-ts] FILE                  print one parser's tree
 *   parser-diff --errors FILE... | --list FILE    our parser only: one line
 *                                                 `path:line:col: message` per
 *                                                 file it rejects
 *   parser-diff --keep ts|godark --list FILE      parse every file with one
 *                                                 parser keeping all trees, then
 *                                                 print `nodes N` (peak memory
 *                                                 per node, bench/parser-speed.sh)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../../src/syntax/parse.h"

static char *slurp(const char *path, size_t *len)
{
    char *src;
    const char *err;
    if (!read_file_all(path, &src, len, &err)) {
        fprintf(stderr, "parser-diff: %s: %s\n", path, err);
        return NULL;
    }
    return src;
}

static bool same_local(const struct node *a, const struct node *b)
{
    return a->kind == b->kind && a->field == b->field && a->op == b->op &&
           (a->flags & ~NF_HAS_ERROR) == (b->flags & ~NF_HAS_ERROR) && a->start_byte == b->start_byte &&
           a->end_byte == b->end_byte && a->line == b->line && a->col == b->col;
}

static bool same_node(const struct node *a, const struct node *b)
{
    return same_local(a, b) && a->parent == b->parent && a->next == b->next && a->end == b->end;
}

/* 0 same, 1 differ (printed unless quiet) */
static int compare(const char *path, const struct gofile *ts, const struct gofile *me, bool quiet)
{
    nid n = 1, lim = ts->nnodes < me->nnodes ? ts->nnodes : me->nnodes;
    while (n < lim && same_node(&ts->nodes[n], &me->nodes[n])) n++;
    if (n == lim && ts->nnodes == me->nnodes) {
        for (uint32_t i = 0; i < ts->ncomments || i < me->ncomments; i++) {
            if (i >= ts->ncomments || i >= me->ncomments || ts->comments[i].start_byte != me->comments[i].start_byte ||
                ts->comments[i].end_byte != me->comments[i].end_byte || ts->comments[i].end_line != me->comments[i].end_line) {
                if (!quiet) printf("DIFF %s: comment %u differs\n", path, i);
                return 1;
            }
        }
        return 0;
    }
    if (quiet) return 1;
    /* report the first node that differs in itself, not by its links */
    for (nid k = 1; k < lim; k++)
        if (!same_local(&ts->nodes[k], &me->nodes[k])) {
            n = k;
            break;
        }
    /* show the parent of the first difference, in both trees */
    nid at = n < ts->nnodes ? n : me->nnodes > n ? n : lim - 1;
    nid p = at < ts->nnodes ? ts->nodes[at].parent : 0;
    if (!p && at < me->nnodes) p = me->nodes[at].parent;
    uint32_t line = at < ts->nnodes ? ts->nodes[at].line : me->nodes[at].line;
    printf("DIFF %s:%u: node %u differs\n", path, line, at);
    for (int w = 0; w < 2; w++) {
        const struct gofile *g = w ? me : ts;
        if (at >= g->nnodes) continue;
        const struct node *x = &g->nodes[at];
        printf("  %s: %s field=%s op=%s flags=%u parent=%u next=%u end=%u bytes=%u-%u at %u:%u\n", w ? "ours" : "ts  ",
               ast_kind_name(x->kind), ast_field_name(x->field), ast_op_text(x->op), x->flags, x->parent, x->next, x->end,
               x->start_byte, x->end_byte, x->line, x->col);
    }
    printf("--- tree-sitter\n");
    if (p && p < ts->nnodes && ts->nodes[p].end - p < 200) ast_dump(ts, p, stdout);
    else if (at < ts->nnodes) ast_dump(ts, at, stdout);
    printf("--- ours\n");
    if (p && p < me->nnodes && me->nodes[p].end - p < 200) ast_dump(me, p, stdout);
    else if (at < me->nnodes) ast_dump(me, at, stdout);
    return 1;
}

/* tree-sitter-go ignores Go's rule that a composite literal of a bare type
 * name in an if/for/switch header needs parentheses: `if x.Ok {` followed by
 * a block then reads as the literal x.Ok{...}. Such a tree is wrong, and we
 * do not copy it: the line of the first one, or 0. */
static uint32_t ts_header_complit(const struct gofile *ts)
{
    for (nid n = 1; n < ts->nnodes; n++) {
        if (ts->nodes[n].kind != N_COMPOSITE_LITERAL) continue;
        enum node_kind tk = ast_kind(ts, ast_child(ts, n, F_TYPE));
        if (tk != N_TYPE_IDENTIFIER && tk != N_QUALIFIED_TYPE && tk != N_GENERIC_TYPE) continue;
        for (nid a = ts->nodes[n].parent; a; a = ts->nodes[a].parent) {
            enum node_kind k = ts->nodes[a].kind;
            if (k == N_PARENTHESIZED_EXPRESSION || k == N_ARGUMENT_LIST || k == N_LITERAL_VALUE || k == N_BLOCK ||
                k == N_FUNC_LITERAL || k == N_INDEX_EXPRESSION || k == N_SLICE_EXPRESSION || k == N_TYPE_ARGUMENTS)
                break;
            if (k == N_IF_STATEMENT || k == N_FOR_STATEMENT || k == N_EXPRESSION_SWITCH_STATEMENT || k == N_TYPE_SWITCH_STATEMENT)
                return ts->nodes[n].line;
        }
    }
    return 0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

typedef VEC(char *) pathvec;

static void read_list(const char *list, pathvec *out)
{
    FILE *fp = strcmp(list, "-") ? fopen(list, "r") : stdin;
    if (!fp) {
        perror(list);
        exit(2);
    }
    char line[4096];
    while (fgets(line, sizeof line, fp)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        if (n) vec_push(out, xstrdup(line));
    }
    if (fp != stdin) fclose(fp);
}

int main(int argc, char **argv)
{
    bool quiet = false, timing = false, errors = false;
    const char *dump = NULL, *keep = NULL;
    pathvec files = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quiet")) quiet = true;
        else if (!strcmp(argv[i], "--time")) timing = true;
        else if (!strcmp(argv[i], "--dump") || !strcmp(argv[i], "--dump-ts")) dump = argv[i];
        else if (!strcmp(argv[i], "--errors")) errors = true;
        else if (!strcmp(argv[i], "--keep") && i + 1 < argc) keep = argv[++i];
        else if (!strcmp(argv[i], "--list") && i + 1 < argc) read_list(argv[++i], &files);
        else vec_push(&files, xstrdup(argv[i]));
    }
    struct syntax_parser *me = syntax_parser_new();
    struct syntax_ts_parser *ts = syntax_ts_parser_new();
    int rc = 0;
    if (dump) {
        for (size_t i = 0; i < files.len; i++) {
            size_t len;
            char *src = slurp(files.items[i], &len);
            if (!src) return 2;
            struct gofile f;
            if (!strcmp(dump, "--dump")) syntax_parse(me, files.items[i], src, len, &f);
            else syntax_ts_parse(ts, files.items[i], src, len, &f);
            ast_dump(&f, 0, stdout);
            if (f.has_error) printf("error %u:%u %s\n", f.err_line, f.err_col, f.err_msg);
            gofile_free(&f);
        }
        return 0;
    }
    if (errors) {
        for (size_t i = 0; i < files.len; i++) {
            size_t len;
            char *src = slurp(files.items[i], &len);
            if (!src) continue;
            struct gofile f;
            syntax_parse(me, files.items[i], src, len, &f);
            if (f.has_error) printf("%s:%u:%u: %s\n", files.items[i], f.err_line, f.err_col, f.err_msg);
            gofile_free(&f);
        }
        return 0;
    }
    if (keep) {
        /* every tree stays alive: the process's peak memory is the parser's */
        bool use_ts = !strcmp(keep, "ts");
        struct gofile *all = xcalloc(files.len ? files.len : 1, sizeof(*all));
        size_t nodes = 0, bytes = 0;
        for (size_t i = 0; i < files.len; i++) {
            size_t len;
            char *src = slurp(files.items[i], &len);
            if (!src) continue;
            bytes += len;
            if (use_ts) syntax_ts_parse(ts, files.items[i], src, len, &all[i]);
            else syntax_parse(me, files.items[i], src, len, &all[i]);
            nodes += all[i].nnodes - 1;
        }
        printf("nodes %zu\nbytes %zu\n", nodes, bytes);
        return 0;
    }
    if (timing) {
        /* each parser over all files, sources read beforehand */
        VEC(char *) srcs = {0};
        VEC(size_t) lens = {0};
        size_t bytes = 0;
        for (size_t i = 0; i < files.len; i++) {
            size_t len;
            char *s = slurp(files.items[i], &len);
            if (!s) continue;
            vec_push(&srcs, s);
            vec_push(&lens, len);
            bytes += len;
        }
        for (int which = 0; which < 2; which++) {
            double t0 = now();
            size_t nodes = 0;
            for (size_t i = 0; i < srcs.len; i++) {
                struct gofile f;
                char *copy = xmalloc(lens.items[i] + 1);
                memcpy(copy, srcs.items[i], lens.items[i]);
                if (which == 0) syntax_ts_parse(ts, "x.go", copy, lens.items[i], &f);
                else syntax_parse(me, "x.go", copy, lens.items[i], &f);
                nodes += f.nnodes - 1;
                gofile_free(&f);
            }
            double dt = now() - t0;
            printf("%-12s %zu files %.1f MB %zu nodes %.3f s %.1f MB/s\n", which == 0 ? "tree-sitter" : "godark", srcs.len,
                   bytes / 1e6, nodes, dt, bytes / 1e6 / dt);
        }
        return 0;
    }
    size_t same = 0, differ = 0, ts_rejects = 0, both_reject = 0, we_reject = 0, ts_misparse = 0;
    for (size_t i = 0; i < files.len; i++) {
        size_t len;
        char *src = slurp(files.items[i], &len);
        if (!src) {
            rc = 2;
            continue;
        }
        char *copy = xmalloc(len + 1);
        memcpy(copy, src, len);
        struct gofile a, b;
        syntax_ts_parse(ts, files.items[i], src, len, &a);
        syntax_parse(me, files.items[i], copy, len, &b);
        if (a.has_error && b.has_error) {
            both_reject++;
        } else if (a.has_error) {
            ts_rejects++;
            printf("TS-ERROR %s:%u:%u: %s (ours parses)\n", files.items[i], a.err_line, a.err_col, a.err_msg);
        } else if (b.has_error) {
            we_reject++;
            rc = 1;
            printf("OURS-ERROR %s:%u:%u: %s\n", files.items[i], b.err_line, b.err_col, b.err_msg);
        } else if (compare(files.items[i], &a, &b, true) && ts_header_complit(&a)) {
            ts_misparse++;
            printf("TS-MISPARSE %s:%u: tree-sitter reads a composite literal in a control clause header\n", files.items[i],
                   ts_header_complit(&a));
        } else if (compare(files.items[i], &a, &b, quiet)) {
            differ++;
            rc = 1;
        } else {
            same++;
        }
        gofile_free(&a);
        gofile_free(&b);
    }
    printf("parser-diff: %zu files: %zu identical, %zu differ, %zu rejected by ours only, %zu by tree-sitter only, %zu by both, "
           "%zu misread by tree-sitter\n",
           files.len, same, differ, we_reject, ts_rejects, both_reject, ts_misparse);
    syntax_parser_free(me);
    syntax_ts_parser_free(ts);
    return rc;
}
