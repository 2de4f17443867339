/* tests/unit/test_cfg_paths: cfg_reach_avoiding and cfg_event_pos, the
 * "is there a path from here to EXIT that avoids these events" helper. */
#include <stdlib.h>
#include <string.h>

#include "../../src/model/cfg.h"
#include "../../src/syntax/parse.h"
#include "unit.h"

void test_cfg_paths_all(struct tally *t);

static const char *SRC = "package p\n"
                         "\n"
                         "func done()\n"
                         "func work() bool\n"
                         "\n"
                         "func a(err error) {\n"
                         "\tstart()\n"
                         "\tif err != nil {\n"
                         "\t\treturn\n"
                         "\t}\n"
                         "\tdone()\n"
                         "}\n"
                         "\n"
                         "func b(err error) {\n"
                         "\tstart()\n"
                         "\tif err != nil {\n"
                         "\t\tdone()\n"
                         "\t\treturn\n"
                         "\t}\n"
                         "\tdone()\n"
                         "}\n"
                         "\n"
                         "func c(err error) {\n"
                         "\tstart()\n"
                         "\tif err != nil {\n"
                         "\t\tpanic(err)\n"
                         "\t}\n"
                         "\tfor work() {\n"
                         "\t}\n"
                         "\tdone()\n"
                         "}\n"
                         "\n"
                         "func d() {\n"
                         "\tfor {\n"
                         "\t\tstart()\n"
                         "\t\tif work() {\n"
                         "\t\t\tcontinue\n"
                         "\t\t}\n"
                         "\t\tdone()\n"
                         "\t}\n"
                         "}\n"
                         "\n"
                         "func e() {\n"
                         "\tstart()\n"
                         "\treturn\n"
                         "}\n";

/* stop at events that call done() */
static bool is_done(void *ud, nid ev)
{
    const struct gofile *f = ud;
    for (nid k = ev; k < f->nodes[ev].end; k++)
        if (ast_kind(f, k) == N_CALL_EXPRESSION && ast_text_is(f, ast_child(f, k, F_FUNCTION), "done")) return true;
    return false;
}

static nid func_named(const struct gofile *f, const char *name)
{
    for (nid n = 1; n < f->nnodes; n++)
        if (ast_kind(f, n) == N_FUNCTION_DECLARATION && ast_text_is(f, ast_child(f, n, F_NAME), name)) return n;
    return 0;
}

static nid call_in(const struct gofile *f, nid fn, const char *callee)
{
    for (nid n = fn; n < f->nodes[fn].end; n++)
        if (ast_kind(f, n) == N_CALL_EXPRESSION && ast_text_is(f, ast_child(f, n, F_FUNCTION), callee)) return n;
    return 0;
}

/* Is EXIT reachable from the start() call of function name avoiding done()? */
static int exit_avoiding(struct pkg *p, const char *name, int *n_through_preds)
{
    const struct gofile *f = &p->files[0];
    nid fn = func_named(f, name);
    struct cfg *g = cfg_build(p, 0, fn);
    int b = -1, e = -1;
    if (!cfg_event_pos(g, call_in(f, fn, "start"), &b, &e)) {
        cfg_free(g);
        return -1;
    }
    uint8_t *out = xcalloc((size_t)g->nblocks, 1);
    cfg_reach_avoiding(g, b, e, is_done, (void *)f, out);
    int preds = 0;
    for (int i = 0; i < g->blocks[g->exit].npreds; i++)
        if (out[g->blocks[g->exit].preds[i]] & CFG_REACH_THROUGH) preds++;
    *n_through_preds = preds;
    int entered_noreturn = (out[g->noreturn] & CFG_REACH_ENTERED) != 0;
    free(out);
    cfg_free(g);
    return entered_noreturn;
}

static void expect(struct tally *t, const char *name, bool ok, const char *why)
{
    if (ok) unit_pass(t, name);
    else unit_fail(t, name, "%s", why);
}

void test_cfg_paths_all(struct tally *t)
{
    struct syntax_parser *sp = syntax_parser_new();
    struct gofile *files = xcalloc(1, sizeof(*files));
    syntax_parse(sp, "paths.go", xstrdup(SRC), strlen(SRC), &files[0]);
    struct pkg p;
    pkg_init(&p, ".", files, 1);

    int preds = 0, nr;
    nr = exit_avoiding(&p, "a", &preds);
    expect(t, "cfg paths: early return skips done", nr == 0 && preds == 1, "want one return path to EXIT without done");
    nr = exit_avoiding(&p, "b", &preds);
    expect(t, "cfg paths: done on every path", nr == 0 && preds == 0, "want no path to EXIT without done");
    nr = exit_avoiding(&p, "c", &preds);
    expect(t, "cfg paths: panic path goes to NORETURN, loop passes", nr == 1 && preds == 0,
           "want NORETURN entered and no EXIT path");
    nr = exit_avoiding(&p, "d", &preds);
    expect(t, "cfg paths: infinite loop never exits", nr == 0 && preds == 0, "want no EXIT path");

    /* the start block itself is re-entered through the loop's continue */
    {
        const struct gofile *f = &files[0];
        nid fn = func_named(f, "d");
        struct cfg *g = cfg_build(&p, 0, fn);
        int b = -1, e = -1;
        cfg_event_pos(g, call_in(f, fn, "start"), &b, &e);
        uint8_t *out = xcalloc((size_t)g->nblocks, 1);
        cfg_reach_avoiding(g, b, e, is_done, (void *)f, out);
        int head = g->blocks[b].preds[0];
        /* the loop head is entered again after `continue` */
        expect(t, "cfg paths: loop back edge re-enters", b >= 0 && (out[head] & CFG_REACH_ENTERED),
               "want the loop head re-entered via continue");
        free(out);
        cfg_free(g);
    }

    /* from the middle of a block that returns directly: EXIT is entered */
    {
        const struct gofile *f = &files[0];
        nid fn = func_named(f, "e");
        struct cfg *g = cfg_build(&p, 0, fn);
        int b = -1, e = -1;
        cfg_event_pos(g, call_in(f, fn, "start"), &b, &e);
        uint8_t *out = xcalloc((size_t)g->nblocks, 1);
        cfg_reach_avoiding(g, b, e, is_done, (void *)f, out);
        expect(t, "cfg paths: EXIT entered from mid-block", (out[g->exit] & CFG_REACH_ENTERED) != 0,
               "want EXIT entered right after start()");
        free(out);
        cfg_free(g);
    }

    pkg_free(&p);
    gofile_free(&files[0]);
    free(files);
    syntax_parser_free(sp);
}
