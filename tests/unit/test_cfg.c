/* tests/unit/test_cfg: control flow graph shapes for every statement form,
 * asserted through the cfg API (reachability, successors, EXIT/NORETURN). */
#include <stdlib.h>
#include <string.h>

#include "../../src/model/cfg.h"
#include "../../src/syntax/parse.h"
#include "unit.h"

/* Marker calls a() b() c()... are package functions with no effect; a
 * test finds the block holding a marker and asks the graph about it. */
static const char *SRC =
    "package p\n"
    "\n"
    "import (\n"
    "\t\"log\"\n"
    "\t\"os\"\n"
    "\t\"testing\"\n"
    ")\n"
    "\n"
    "func a()             {}\n"
    "func b()             {}\n"
    "func c()             {}\n"
    "func d()             {}\n"
    "func e()             {}\n"
    "func g(int) int      { return 0 }\n"
    "func h() int         { return 0 }\n"
    "func k(int, int) int { return 0 }\n"
    "\n"
    "func ifElse(x int) {\n"
    "\ta()\n"
    "\tif x > 0 {\n"
    "\t\tb()\n"
    "\t} else if x < 0 {\n"
    "\t\tc()\n"
    "\t} else {\n"
    "\t\td()\n"
    "\t}\n"
    "\te()\n"
    "}\n"
    "\n"
    "func forClause(n int) {\n"
    "\tfor i := 0; i < n; i++ {\n"
    "\t\tb()\n"
    "\t}\n"
    "\tc()\n"
    "}\n"
    "\n"
    "func forCond(x int) {\n"
    "\tfor x > 0 {\n"
    "\t\tb()\n"
    "\t}\n"
    "\tc()\n"
    "}\n"
    "\n"
    "func forever() {\n"
    "\tfor {\n"
    "\t\tb()\n"
    "\t}\n"
    "\tc()\n"
    "}\n"
    "\n"
    "func foreverBreak(x bool) {\n"
    "\tfor {\n"
    "\t\tif x {\n"
    "\t\t\ta()\n"
    "\t\t\tbreak\n"
    "\t\t}\n"
    "\t\tb()\n"
    "\t}\n"
    "\tc()\n"
    "}\n"
    "\n"
    "func rangeLoop(xs []int) {\n"
    "\tfor _, v := range xs {\n"
    "\t\tif v > 0 {\n"
    "\t\t\ta()\n"
    "\t\t\tcontinue\n"
    "\t\t}\n"
    "\t\tb()\n"
    "\t}\n"
    "\tc()\n"
    "}\n"
    "\n"
    "func switchDefault(x int) {\n"
    "\tswitch x {\n"
    "\tcase 1:\n"
    "\t\ta()\n"
    "\tcase 2, 3:\n"
    "\t\tb()\n"
    "\tdefault:\n"
    "\t\tc()\n"
    "\t}\n"
    "\te()\n"
    "}\n"
    "\n"
    "func switchNoDefault(x int) {\n"
    "\tswitch y := x; {\n"
    "\tcase y > g(1):\n"
    "\t\ta()\n"
    "\t\tfallthrough\n"
    "\tcase y > 0:\n"
    "\t\tb()\n"
    "\t}\n"
    "\te()\n"
    "}\n"
    "\n"
    "func typeSwitch(x interface{}) {\n"
    "\tswitch v := x.(type) {\n"
    "\tcase int:\n"
    "\t\ta()\n"
    "\tcase string, error:\n"
    "\t\tb()\n"
    "\t\t_ = v\n"
    "\t}\n"
    "\te()\n"
    "}\n"
    "\n"
    "func selectDefault(ch chan int, out chan int) {\n"
    "\tselect {\n"
    "\tcase v := <-ch:\n"
    "\t\ta()\n"
    "\t\t_ = v\n"
    "\tcase out <- g(1):\n"
    "\t\tb()\n"
    "\tdefault:\n"
    "\t\tc()\n"
    "\t}\n"
    "\te()\n"
    "}\n"
    "\n"
    "func selectNoDefault(ch chan int) {\n"
    "\tselect {\n"
    "\tcase <-ch:\n"
    "\t\ta()\n"
    "\t\treturn\n"
    "\tcase ch <- 1:\n"
    "\t\tb()\n"
    "\t}\n"
    "\te()\n"
    "}\n"
    "\n"
    "func selectEmpty() {\n"
    "\ta()\n"
    "\tselect {}\n"
    "\tb()\n"
    "}\n"
    "\n"
    "func labelled(xs [][]int) {\n"
    "outer:\n"
    "\tfor i := 0; i < len(xs); i++ {\n"
    "\t\tfor _, x := range xs[i] {\n"
    "\t\t\tswitch {\n"
    "\t\t\tcase x == 0:\n"
    "\t\t\t\ta()\n"
    "\t\t\t\tcontinue outer\n"
    "\t\t\tcase x < 0:\n"
    "\t\t\t\tb()\n"
    "\t\t\t\tbreak outer\n"
    "\t\t\tcase x > 9:\n"
    "\t\t\t\td()\n"
    "\t\t\t\tbreak\n"
    "\t\t\t}\n"
    "\t\t\tc()\n"
    "\t\t}\n"
    "\t}\n"
    "\te()\n"
    "}\n"
    "\n"
    "func gotoBack(x int) {\n"
    "again:\n"
    "\ta()\n"
    "\tif x > 0 {\n"
    "\t\tx--\n"
    "\t\tb()\n"
    "\t\tgoto again\n"
    "\t}\n"
    "\tc()\n"
    "}\n"
    "\n"
    "func gotoForward() {\n"
    "\ta()\n"
    "\tgoto done\n"
    "\tb()\n"
    "done:\n"
    "\tc()\n"
    "}\n"
    "\n"
    "func returns(x int) int {\n"
    "\tif x > 0 {\n"
    "\t\ta()\n"
    "\t\treturn g(x)\n"
    "\t\tb()\n"
    "\t}\n"
    "\tc()\n"
    "\treturn 0\n"
    "\td()\n"
    "}\n"
    "\n"
    "func defers(x int) {\n"
    "\tdefer a()\n"
    "\tif x > 0 {\n"
    "\t\tdefer b()\n"
    "\t}\n"
    "\tfunc() {\n"
    "\t\tdefer c()\n"
    "\t}()\n"
    "\tdefer func() { d() }()\n"
    "}\n"
    "\n"
    "func goes(x int) {\n"
    "\tgo k(g(x), h())\n"
    "\tdefer k(h(), g(x))\n"
    "\tk(g(x), h())\n"
    "\tfunc() { a() }()\n"
    "}\n"
    "\n"
    "func noreturns(t *testing.T, x int) {\n"
    "\tif x == 1 {\n"
    "\t\ta()\n"
    "\t\tpanic(\"x\")\n"
    "\t}\n"
    "\tif x == 2 {\n"
    "\t\tb()\n"
    "\t\tos.Exit(2)\n"
    "\t}\n"
    "\tif x == 3 {\n"
    "\t\tc()\n"
    "\t\tlog.Fatalf(\"%d\", x)\n"
    "\t\tg(1)\n"
    "\t}\n"
    "\tif x == 4 {\n"
    "\t\td()\n"
    "\t\tt.Fatal(x)\n"
    "\t}\n"
    "\te()\n"
    "}\n"
    "\n"
    "func onlyPanics() {\n"
    "\ta()\n"
    "\tpanic(\"never\")\n"
    "}\n"
    "\n"
    "func literals(x int) func() int {\n"
    "\ty := 2\n"
    "\tfn := func() {\n"
    "\t\tz := x\n"
    "\t\ta()\n"
    "\t\tgo func() { _ = y + z }()\n"
    "\t\treturn\n"
    "\t}\n"
    "\tfn()\n"
    "\treturn func() int { b(); return x }\n"
    "}\n"
    "\n"
    "func selectInFor(ch chan int, quit chan bool) {\n"
    "loop:\n"
    "\tfor {\n"
    "\t\tselect {\n"
    "\t\tcase <-ch:\n"
    "\t\t\ta()\n"
    "\t\t\tbreak\n"
    "\t\tcase <-quit:\n"
    "\t\t\tb()\n"
    "\t\t\tbreak loop\n"
    "\t\t}\n"
    "\t\tc()\n"
    "\t}\n"
    "\te()\n"
    "}\n"
    "\n"
    "func empty() {}\n"
    "\n"
        "type T struct{ n int }\n"
    "\n"
    "func (t *T) method() {\n"
    "\tfor t.n > 0 {\n"
    "\t\tt.n--\n"
    "\t}\n"
    "\ta()\n"
    "}\n";

struct snip {
    struct syntax_parser *sp;
    struct gofile *files;
    struct pkg p;
};

static void snip_init(struct snip *s, const char *src)
{
    s->sp = syntax_parser_new();
    s->files = xcalloc(1, sizeof(*s->files));
    syntax_parse(s->sp, "c.go", xstrdup(src), strlen(src), &s->files[0]);
    pkg_init(&s->p, ".", s->files, 1);
}

static void snip_free(struct snip *s)
{
    pkg_free(&s->p);
    gofile_free(&s->files[0]);
    free(s->files);
    syntax_parser_free(s->sp);
}

/* the function or method declaration called name */
static nid func_named(const struct gofile *f, const char *name)
{
    for (nid n = 1; n < f->nnodes; n++) {
        enum node_kind k = ast_kind(f, n);
        if ((k == N_FUNCTION_DECLARATION || k == N_METHOD_DECLARATION) && ast_text_is(f, ast_child(f, n, F_NAME), name))
            return n;
    }
    return 0;
}

/* the nth node of kind k inside `within` whose text is `text` */
static nid find_text(const struct gofile *f, nid within, enum node_kind k, const char *text, int nth)
{
    for (nid n = within; n < f->nodes[within].end; n++)
        if (ast_kind(f, n) == k && ast_text_is(f, n, text) && nth-- == 0) return n;
    return 0;
}

static nid find_kind(const struct gofile *f, nid within, enum node_kind k, int nth)
{
    for (nid n = within; n < f->nodes[within].end; n++)
        if (ast_kind(f, n) == k && nth-- == 0) return n;
    return 0;
}

/* A test case: a graph of one function and a failure message (first wins). */
struct tc {
    struct tally *t;
    const char *name;
    struct snip *s;
    const struct gofile *f;
    struct cfg *g;
    char why[512];
};

static void tc_begin(struct tc *c, struct tally *t, struct snip *s, const char *name, const char *fn)
{
    memset(c, 0, sizeof *c);
    c->t = t;
    c->name = name;
    c->s = s;
    c->f = &s->files[0];
    nid d = func_named(c->f, fn);
    if (!d) {
        snprintf(c->why, sizeof c->why, "function %s not found", fn);
        return;
    }
    c->g = cfg_build(&s->p, 0, d);
}

static void tc_end(struct tc *c)
{
    if (c->why[0]) {
        struct buf b = {0};
        if (c->g) cfg_dump(c->g, &b);
        unit_fail(c->t, c->name, "%s\n%.*s", c->why, (int)b.len, b.data ? b.data : "");
        buf_free(&b);
    } else {
        unit_pass(c->t, c->name);
    }
    cfg_free(c->g);
}

#define EXPECT(c, cond, ...)                                                                                          \
    do {                                                                                                               \
        if (!(c)->why[0] && !(cond)) snprintf((c)->why, sizeof (c)->why, __VA_ARGS__);                                 \
    } while (0)

/* the block holding the marker call `text` (e.g. "a()") in c's function */
static int blk_nth(struct tc *c, const char *text, int nth)
{
    if (!c->g) return -1;
    nid n = find_text(c->f, c->g->fn, N_CALL_EXPRESSION, text, nth);
    if (!n) {
        EXPECT(c, false, "call %s not found", text);
        return -1;
    }
    int b = cfg_block_of(c->g, n);
    EXPECT(c, b >= 0, "call %s in no block", text);
    return b;
}
static int blk(struct tc *c, const char *text) { return blk_nth(c, text, 0); }

/* the block holding the first node of kind k */
static int blk_kind(struct tc *c, enum node_kind k, int nth)
{
    if (!c->g) return -1;
    nid n = find_kind(c->f, c->g->fn, k, nth);
    int b = n ? cfg_block_of(c->g, n) : -1;
    EXPECT(c, b >= 0, "no block for %s #%d", ast_kind_name(k), nth);
    return b;
}

/* Is there a path of one edge or more from `from` to `to` that avoids block
 * `avoid` (-1: none)? */
static bool path_avoiding(const struct cfg *g, int from, int to, int avoid)
{
    if (!g || from < 0 || to < 0) return false;
    char *seen = xcalloc((size_t)g->nblocks, 1);
    int *stack = xmalloc(sizeof(int) * (size_t)(g->nblocks + 1)), sp = 0;
    bool found = false;
    stack[sp++] = from;
    while (sp && !found) {
        int v = stack[--sp];
        for (int i = 0; i < g->blocks[v].nsuccs; i++) {
            int w = g->blocks[v].succs[i].to;
            if (w == to) {
                found = true;
                break;
            }
            if (w == avoid || seen[w]) continue;
            seen[w] = 1;
            stack[sp++] = w;
        }
    }
    free(seen);
    free(stack);
    return found;
}
static bool reaches(const struct cfg *g, int from, int to) { return path_avoiding(g, from, to, -1); }

/* Is `to` a direct successor of `from`, by an edge of kind `kind` (-1: any)? */
static bool succ(const struct cfg *g, int from, int to, int kind)
{
    if (!g || from < 0 || to < 0) return false;
    for (int i = 0; i < g->blocks[from].nsuccs; i++)
        if (g->blocks[from].succs[i].to == to && (kind < 0 || g->blocks[from].succs[i].kind == kind)) return true;
    return false;
}

/* the successor of `from` along an edge of kind `kind`, or -1 */
static int succ_of(const struct cfg *g, int from, int kind)
{
    if (!g || from < 0) return -1;
    for (int i = 0; i < g->blocks[from].nsuccs; i++)
        if (g->blocks[from].succs[i].kind == kind) return g->blocks[from].succs[i].to;
    return -1;
}

static int nsuccs(const struct cfg *g, int b) { return g && b >= 0 ? g->blocks[b].nsuccs : -1; }

/* predecessors agree with successors, rpo lists exactly the reachable
 * blocks with ENTRY first */
static void check_invariants(struct tc *c)
{
    const struct cfg *g = c->g;
    if (!g) return;
    for (int i = 0; i < g->nblocks; i++)
        for (int s = 0; s < g->blocks[i].nsuccs; s++) {
            int to = g->blocks[i].succs[s].to, found = 0;
            for (int p = 0; p < g->blocks[to].npreds; p++) found |= g->blocks[to].preds[p] == i;
            EXPECT(c, found, "b%d -> b%d missing from preds", i, to);
        }
    int n;
    const int *rpo = cfg_rpo(g, &n);
    int nreach = 0;
    for (int i = 0; i < g->nblocks; i++) nreach += cfg_reachable(g, i);
    EXPECT(c, n == nreach && n > 0 && rpo[0] == g->entry, "rpo has %d blocks, %d reachable", n, nreach);
    EXPECT(c, g->blocks[g->exit].nsuccs == 0 && g->blocks[g->noreturn].nsuccs == 0, "EXIT/NORETURN have successors");
}

static void test_if_else(struct tally *t, struct snip *s)
{
    struct tc c;
    tc_begin(&c, t, s, "cfg if/else if/else", "ifElse");
    int A = blk(&c, "a()"), B = blk(&c, "b()"), C = blk(&c, "c()"), D = blk(&c, "d()"), E = blk(&c, "e()");
    if (c.g) {
        EXPECT(&c, c.g->blocks[A].cond && ast_text_is(c.f, c.g->blocks[A].cond, "x > 0"), "a()'s block does not end on x > 0");
        EXPECT(&c, succ(c.g, A, B, CE_TRUE), "x > 0 true does not go to b()");
        int elif = succ_of(c.g, A, CE_FALSE);
        EXPECT(&c, elif >= 0 && c.g->blocks[elif].cond && ast_text_is(c.f, c.g->blocks[elif].cond, "x < 0"),
               "x > 0 false does not go to the else-if condition");
        EXPECT(&c, succ(c.g, elif, C, CE_TRUE) && succ(c.g, elif, D, CE_FALSE), "else-if branches wrong");
        EXPECT(&c, reaches(c.g, B, E) && reaches(c.g, C, E) && reaches(c.g, D, E), "branches do not join at e()");
        EXPECT(&c, !reaches(c.g, B, C) && !reaches(c.g, C, D) && !reaches(c.g, B, D), "branches reach each other");
        EXPECT(&c, reaches(c.g, E, c.g->exit) && !reaches(c.g, c.g->entry, c.g->noreturn), "exit/noreturn reachability");
        EXPECT(&c, !path_avoiding(c.g, c.g->entry, c.g->exit, E), "a path to EXIT skips e()");
    }
    check_invariants(&c);
    tc_end(&c);
}

static void test_for_clause(struct tally *t, struct snip *s)
{
    struct tc c;
    tc_begin(&c, t, s, "cfg for with clause", "forClause");
    int B = blk(&c, "b()"), C = blk(&c, "c()");
    int init = blk_kind(&c, N_SHORT_VAR_DECLARATION, 0), post = blk_kind(&c, N_INC_STATEMENT, 0);
    int head = blk_kind(&c, N_BINARY_EXPRESSION, 0);
    if (c.g) {
        EXPECT(&c, init != head && head != B && post != head && post != B, "init, head, body, post not distinct");
        EXPECT(&c, succ(c.g, head, B, CE_TRUE) && succ(c.g, head, C, CE_FALSE), "condition edges wrong");
        EXPECT(&c, succ(c.g, B, post, -1) && succ(c.g, post, head, -1), "body -> post -> head missing");
        EXPECT(&c, reaches(c.g, B, B) && !reaches(c.g, head, init), "loop shape wrong");
        EXPECT(&c, path_avoiding(c.g, c.g->entry, c.g->exit, B), "zero iterations impossible");
    }
    check_invariants(&c);
    tc_end(&c);
}

static void test_for_cond(struct tally *t, struct snip *s)
{
    struct tc c;
    tc_begin(&c, t, s, "cfg for with bare condition", "forCond");
    int B = blk(&c, "b()"), C = blk(&c, "c()"), head = blk_kind(&c, N_BINARY_EXPRESSION, 0);
    if (c.g) {
        EXPECT(&c, succ(c.g, head, B, CE_TRUE) && succ(c.g, head, C, CE_FALSE), "condition edges wrong");
        EXPECT(&c, succ(c.g, B, head, CE_ALWAYS), "body does not loop back to the condition");
        EXPECT(&c, reaches(c.g, C, c.g->exit), "no exit");
        EXPECT(&c, c.g->falloff == C && succ(c.g, C, c.g->exit, CE_ALWAYS), "c() is not the fall-off end");
    }
    check_invariants(&c);
    tc_end(&c);
}

static void test_forever(struct tally *t, struct snip *s)
{
    struct tc c;
    tc_begin(&c, t, s, "cfg infinite for", "forever");
    int B = blk(&c, "b()"), C = blk(&c, "c()");
    if (c.g) {
        EXPECT(&c, reaches(c.g, B, B), "no loop");
        EXPECT(&c, !cfg_reachable(c.g, C), "code after for {} is reachable");
        EXPECT(&c, !cfg_reachable(c.g, c.g->exit) && !cfg_reachable(c.g, c.g->noreturn), "EXIT reachable");
    }
    check_invariants(&c);
    tc_end(&c);

    tc_begin(&c, t, s, "cfg infinite for with break", "foreverBreak");
    int A = blk(&c, "a()");
    B = blk(&c, "b()");
    C = blk(&c, "c()");
    if (c.g) {
        EXPECT(&c, succ(c.g, A, C, CE_ALWAYS), "break does not go after the loop");
        EXPECT(&c, reaches(c.g, B, B) && reaches(c.g, B, A), "loop shape wrong");
        EXPECT(&c, cfg_reachable(c.g, c.g->exit) && !path_avoiding(c.g, c.g->entry, c.g->exit, A),
               "EXIT only through the break");
    }
    check_invariants(&c);
    tc_end(&c);
}

static void test_range(struct tally *t, struct snip *s)
{
    struct tc c;
    tc_begin(&c, t, s, "cfg range with continue", "rangeLoop");
    int A = blk(&c, "a()"), B = blk(&c, "b()"), C = blk(&c, "c()"), head = blk_kind(&c, N_RANGE_CLAUSE, 0);
    if (c.g) {
        EXPECT(&c, nsuccs(c.g, head) == 2 && succ(c.g, head, C, -1), "range head does not branch to the body and out");
        EXPECT(&c, succ(c.g, A, head, CE_ALWAYS), "continue does not go to the range head");
        EXPECT(&c, succ(c.g, B, head, CE_ALWAYS), "body end does not go to the range head");
        EXPECT(&c, !path_avoiding(c.g, A, B, head), "continue falls into b()");
    }
    check_invariants(&c);
    tc_end(&c);
}

static void test_switch(struct tally *t, struct snip *s)
{
    struct tc c;
    tc_begin(&c, t, s, "cfg switch with default", "switchDefault");
    int A = blk(&c, "a()"), B = blk(&c, "b()"), C = blk(&c, "c()"), E = blk(&c, "e()");
    int head = c.g ? cfg_block_of(c.g, find_text(c.f, c.g->fn, N_IDENTIFIER, "x", 1)) : -1;
    if (c.g) {
        EXPECT(&c, nsuccs(c.g, head) == 3 && succ(c.g, head, A, -1) && succ(c.g, head, B, -1) && succ(c.g, head, C, -1),
               "switch header does not branch to the three cases only");
        EXPECT(&c, !succ(c.g, head, E, -1), "switch with default skips to after it");
        EXPECT(&c, !reaches(c.g, A, B) && !reaches(c.g, B, C), "cases fall through without fallthrough");
        EXPECT(&c, succ(c.g, A, E, -1) && succ(c.g, B, E, -1) && succ(c.g, C, E, -1), "cases do not join");
    }
    check_invariants(&c);
    tc_end(&c);

    tc_begin(&c, t, s, "cfg switch without default, fallthrough", "switchNoDefault");
    A = blk(&c, "a()");
    B = blk(&c, "b()");
    E = blk(&c, "e()");
    head = blk_kind(&c, N_SHORT_VAR_DECLARATION, 0);
    if (c.g) {
        EXPECT(&c, succ(c.g, head, E, -1), "no default: the header does not skip to after the switch");
        EXPECT(&c, succ(c.g, A, B, CE_ALWAYS) && !succ(c.g, A, E, -1), "fallthrough does not go to the next case only");
        EXPECT(&c, succ(c.g, head, A, -1) && succ(c.g, head, B, -1), "header does not branch to both cases");
        EXPECT(&c, blk(&c, "g(1)") == A && c.g->blocks[A].nevents == 2, "a case's value is not the first event of its block");
    }
    check_invariants(&c);
    tc_end(&c);

    tc_begin(&c, t, s, "cfg type switch", "typeSwitch");
    A = blk(&c, "a()");
    B = blk(&c, "b()");
    E = blk(&c, "e()");
    head = c.g ? cfg_block_of(c.g, find_text(c.f, c.g->fn, N_IDENTIFIER, "x", 1)) : -1;
    if (c.g) {
        EXPECT(&c, nsuccs(c.g, head) == 3 && succ(c.g, head, A, -1) && succ(c.g, head, B, -1) && succ(c.g, head, E, -1),
               "type switch header: two cases and the implicit default");
        EXPECT(&c, !reaches(c.g, A, B), "type cases fall through");
    }
    check_invariants(&c);
    tc_end(&c);
}

static void test_select(struct tally *t, struct snip *s)
{
    struct tc c;
    tc_begin(&c, t, s, "cfg select with default", "selectDefault");
    int A = blk(&c, "a()"), B = blk(&c, "b()"), C = blk(&c, "c()"), E = blk(&c, "e()");
    int recv = blk_kind(&c, N_RECEIVE_STATEMENT, 0), send = blk_kind(&c, N_SEND_STATEMENT, 0);
    int G = blk(&c, "g(1)");
    if (c.g) {
        EXPECT(&c, recv == A && send == B && G == B, "a case's communication is not the first event of its block");
        int head = c.g->blocks[A].npreds == 1 ? c.g->blocks[A].preds[0] : -1;
        EXPECT(&c, head >= 0 && nsuccs(c.g, head) == 3 && succ(c.g, head, C, -1) && !succ(c.g, head, E, -1),
               "select header: three cases, never straight out");
        EXPECT(&c, succ(c.g, A, E, -1) && succ(c.g, B, E, -1) && succ(c.g, C, E, -1), "cases do not join");
    }
    check_invariants(&c);
    tc_end(&c);

    tc_begin(&c, t, s, "cfg select without default", "selectNoDefault");
    A = blk(&c, "a()");
    B = blk(&c, "b()");
    E = blk(&c, "e()");
    if (c.g) {
        int head = c.g->blocks[A].npreds == 1 ? c.g->blocks[A].preds[0] : -1;
        EXPECT(&c, head >= 0 && nsuccs(c.g, head) == 2 && succ(c.g, head, B, -1) && !succ(c.g, head, E, -1),
               "select without default must wait for a case");
        EXPECT(&c, succ(c.g, A, c.g->exit, -1) && !reaches(c.g, A, E), "return in a case");
        EXPECT(&c, !path_avoiding(c.g, c.g->entry, E, B), "e() reachable without the send case");
    }
    check_invariants(&c);
    tc_end(&c);

    tc_begin(&c, t, s, "cfg select {} never returns", "selectEmpty");
    A = blk(&c, "a()");
    B = blk(&c, "b()");
    if (c.g) {
        EXPECT(&c, reaches(c.g, A, c.g->noreturn) && !cfg_reachable(c.g, c.g->exit), "select {} does not block forever");
        EXPECT(&c, !cfg_reachable(c.g, B), "code after select {} reachable");
    }
    check_invariants(&c);
    tc_end(&c);
}

static void test_labelled(struct tally *t, struct snip *s)
{
    struct tc c;
    tc_begin(&c, t, s, "cfg labelled break and continue", "labelled");
    int A = blk(&c, "a()"), B = blk(&c, "b()"), C = blk(&c, "c()"), D = blk(&c, "d()"), E = blk(&c, "e()");
    int post = blk_kind(&c, N_INC_STATEMENT, 0), inner = blk_kind(&c, N_RANGE_CLAUSE, 0);
    if (c.g) {
        EXPECT(&c, succ(c.g, A, post, CE_ALWAYS) && nsuccs(c.g, A) == 1, "continue outer does not go to the outer post");
        EXPECT(&c, succ(c.g, B, E, CE_ALWAYS) && nsuccs(c.g, B) == 1, "break outer does not leave both loops");
        EXPECT(&c, succ(c.g, D, C, CE_ALWAYS) && nsuccs(c.g, D) == 1, "plain break in a switch does not leave the switch");
        EXPECT(&c, succ(c.g, C, inner, CE_ALWAYS), "inner body does not loop back to the range head");
        EXPECT(&c, !path_avoiding(c.g, A, C, inner), "continue outer reaches c() without a new iteration");
        EXPECT(&c, ast_kind(c.f, c.g->blocks[A].jump) == N_CONTINUE_STATEMENT &&
                       ast_kind(c.f, c.g->blocks[B].jump) == N_BREAK_STATEMENT &&
                       ast_kind(c.f, c.g->blocks[D].jump) == N_BREAK_STATEMENT && !c.g->blocks[C].jump,
               "blocks do not record the jump that ends them");
    }
    check_invariants(&c);
    tc_end(&c);
}

static void test_select_in_for(struct tally *t, struct snip *s)
{
    struct tc c;
    tc_begin(&c, t, s, "cfg break in select inside for", "selectInFor");
    int A = blk(&c, "a()"), B = blk(&c, "b()"), C = blk(&c, "c()"), E = blk(&c, "e()");
    if (c.g) {
        EXPECT(&c, succ(c.g, A, C, CE_ALWAYS) && nsuccs(c.g, A) == 1, "plain break leaves the select, not the for");
        EXPECT(&c, succ(c.g, B, E, CE_ALWAYS) && nsuccs(c.g, B) == 1, "break loop does not leave the for");
        EXPECT(&c, reaches(c.g, C, A) && !path_avoiding(c.g, c.g->entry, c.g->exit, B), "EXIT only via break loop");
    }
    check_invariants(&c);
    tc_end(&c);

    tc_begin(&c, t, s, "cfg empty body", "empty");
    if (c.g) EXPECT(&c, succ(c.g, c.g->entry, c.g->exit, -1) && c.g->blocks[c.g->entry].nevents == 0, "ENTRY -> EXIT");
    check_invariants(&c);
    tc_end(&c);
}

static void test_goto(struct tally *t, struct snip *s)
{
    struct tc c;
    tc_begin(&c, t, s, "cfg goto backward", "gotoBack");
    int A = blk(&c, "a()"), B = blk(&c, "b()"), C = blk(&c, "c()");
    if (c.g) {
        EXPECT(&c, c.g->has_goto, "has_goto not set");
        EXPECT(&c, succ(c.g, B, A, CE_ALWAYS) && nsuccs(c.g, B) == 1, "goto again does not jump to the label only");
        EXPECT(&c, reaches(c.g, A, A) && reaches(c.g, A, C), "loop through goto");
    }
    check_invariants(&c);
    tc_end(&c);

    tc_begin(&c, t, s, "cfg goto forward skips code", "gotoForward");
    A = blk(&c, "a()");
    B = blk(&c, "b()");
    C = blk(&c, "c()");
    if (c.g) {
        EXPECT(&c, succ(c.g, A, C, CE_ALWAYS) && nsuccs(c.g, A) == 1, "goto done does not jump to the label");
        EXPECT(&c, ast_kind(c.f, c.g->blocks[A].jump) == N_GOTO_STATEMENT, "the goto's block does not record it");
        EXPECT(&c, !cfg_reachable(c.g, B) && cfg_reachable(c.g, C), "code between goto and label reachable");
        EXPECT(&c, reaches(c.g, C, c.g->exit), "label block does not reach EXIT");
    }
    check_invariants(&c);
    tc_end(&c);
}

static void test_return(struct tally *t, struct snip *s)
{
    struct tc c;
    tc_begin(&c, t, s, "cfg return and unreachable code", "returns");
    int A = blk(&c, "a()"), B = blk(&c, "b()"), C = blk(&c, "c()"), D = blk(&c, "d()");
    int G = blk(&c, "g(x)");
    if (c.g) {
        EXPECT(&c, G == A && succ(c.g, A, c.g->exit, CE_ALWAYS) && nsuccs(c.g, A) == 1, "return does not go to EXIT");
        EXPECT(&c, !cfg_reachable(c.g, B) && !cfg_reachable(c.g, D), "code after return reachable");
        EXPECT(&c, cfg_reachable(c.g, C) && succ(c.g, C, c.g->exit, -1), "second return");
        EXPECT(&c, c.g->blocks[c.g->exit].npreds >= 2, "EXIT has fewer than two predecessors");
        EXPECT(&c, c.g->falloff < 0 || !cfg_reachable(c.g, c.g->falloff), "a function ending in return falls off");
    }
    check_invariants(&c);
    tc_end(&c);
}

static void test_defer(struct tally *t, struct snip *s)
{
    struct tc c;
    tc_begin(&c, t, s, "cfg defers listed", "defers");
    int A = blk(&c, "a()"), B = blk(&c, "b()");
    if (c.g) {
        EXPECT(&c, c.g->ndefers == 3, "%d defers, want 3 (not the one inside the literal)", c.g->ndefers);
        if (c.g->ndefers == 3) {
            EXPECT(&c, ast_kind(c.f, c.g->defers[0]) == N_DEFER_STATEMENT && ast_contains(c.f, c.g->defers[0], find_text(c.f, c.g->fn, N_CALL_EXPRESSION, "a()", 0)),
                   "first defer is not defer a()");
            EXPECT(&c, ast_contains(c.f, c.g->defers[1], find_text(c.f, c.g->fn, N_CALL_EXPRESSION, "b()", 0)), "second defer is not defer b()");
        }
        EXPECT(&c, A == c.g->entry && B != A, "defer events are not where they are registered");
        EXPECT(&c, cfg_block_of(c.g, find_text(c.f, c.g->fn, N_CALL_EXPRESSION, "c()", 0)) >= 0, "a literal inside an event is contained by it");
        EXPECT(&c, c.g->nliterals == 2, "%d literals, want 2", c.g->nliterals);
        EXPECT(&c, path_avoiding(c.g, c.g->entry, c.g->exit, B), "conditional defer is on every path");
    }
    check_invariants(&c);
    tc_end(&c);
}

struct calls {
    const struct gofile *f;
    char text[256];
};

static bool collect(void *ud, nid call)
{
    struct calls *cl = ud;
    nid fn = ast_child(cl->f, call, F_FUNCTION);
    struct str s = ast_text(cl->f, fn);
    size_t len = strlen(cl->text);
    if (len + s.n + 2 < sizeof cl->text) {
        if (len) cl->text[len++] = ' ';
        memcpy(cl->text + len, s.p, s.n);
        cl->text[len + s.n] = 0;
    }
    return true;
}

static bool stop_first(void *ud, nid call)
{
    collect(ud, call);
    return false;
}

static const char *event_calls(struct tc *c, enum node_kind k, int nth, struct calls *cl, bool (*cb)(void *, nid))
{
    memset(cl, 0, sizeof *cl);
    cl->f = c->f;
    nid ev = c->g ? find_kind(c->f, c->g->fn, k, nth) : 0;
    if (ev) cfg_event_calls(c->f, ev, cb, cl);
    return cl->text;
}

static void test_go_and_calls(struct tally *t, struct snip *s)
{
    struct tc c;
    struct calls cl;
    tc_begin(&c, t, s, "cfg go statement and cfg_event_calls order", "goes");
    if (c.g) {
        const char *got = event_calls(&c, N_GO_STATEMENT, 0, &cl, collect);
        EXPECT(&c, !strcmp(got, "g h"), "go k(g(x), h()): calls %s, want g h", got);
        got = event_calls(&c, N_DEFER_STATEMENT, 0, &cl, collect);
        EXPECT(&c, !strcmp(got, "h g"), "defer k(h(), g(x)): calls %s, want h g", got);
        got = event_calls(&c, N_EXPRESSION_STATEMENT, 0, &cl, collect);
        EXPECT(&c, !strcmp(got, "g h k"), "k(g(x), h()): calls %s, want g h k", got);
        got = event_calls(&c, N_EXPRESSION_STATEMENT, 0, &cl, stop_first);
        EXPECT(&c, !strcmp(got, "g"), "stopping early: calls %s, want g", got);
        got = event_calls(&c, N_EXPRESSION_STATEMENT, 1, &cl, collect);
        EXPECT(&c, !strcmp(got, "func() { a() }"), "func literal call: calls %s, want only the literal's call", got);
        EXPECT(&c, nsuccs(c.g, c.g->entry) == 1 && succ(c.g, c.g->entry, c.g->exit, -1), "go/defer split the block");
        EXPECT(&c, c.g->ndefers == 1, "defers");
    }
    check_invariants(&c);
    tc_end(&c);
}

static void test_noreturn(struct tally *t, struct snip *s)
{
    struct tc c;
    tc_begin(&c, t, s, "cfg panic, os.Exit, log.Fatal, t.Fatal never return", "noreturns");
    int A = blk(&c, "a()"), B = blk(&c, "b()"), C = blk(&c, "c()"), D = blk(&c, "d()"), E = blk(&c, "e()");
    int G = blk(&c, "g(1)");
    if (c.g) {
        int nr = c.g->noreturn;
        EXPECT(&c, succ(c.g, A, nr, -1) && nsuccs(c.g, A) == 1, "panic does not go to NORETURN");
        EXPECT(&c, succ(c.g, B, nr, -1) && nsuccs(c.g, B) == 1, "os.Exit does not go to NORETURN");
        EXPECT(&c, succ(c.g, C, nr, -1) && nsuccs(c.g, C) == 1, "log.Fatalf does not go to NORETURN");
        EXPECT(&c, succ(c.g, D, nr, -1) && nsuccs(c.g, D) == 1, "t.Fatal does not go to NORETURN");
        EXPECT(&c, !cfg_reachable(c.g, G), "code after log.Fatalf reachable");
        EXPECT(&c, reaches(c.g, E, c.g->exit) && !reaches(c.g, A, c.g->exit), "EXIT reachability");
    }
    check_invariants(&c);
    tc_end(&c);

    tc_begin(&c, t, s, "cfg function that only panics", "onlyPanics");
    if (c.g) {
        EXPECT(&c, !cfg_reachable(c.g, c.g->exit) && cfg_reachable(c.g, c.g->noreturn), "EXIT reachable");
    }
    check_invariants(&c);
    tc_end(&c);
}

static bool has_name(const struct gofile *f, nid *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (ast_text_is(f, names[i], s)) return true;
    return false;
}

static void test_literals(struct tally *t, struct snip *s)
{
    struct tc c;
    tc_begin(&c, t, s, "cfg func literals: own graph and captures", "literals");
    if (c.g) {
        const struct gofile *f = c.f;
        EXPECT(&c, c.g->nliterals == 2, "%d literals directly inside, want 2 (not the nested go func)", c.g->nliterals);
        nid litret = find_text(f, c.g->fn, N_RETURN_STATEMENT, "return", 0);
        for (int i = 0; i < c.g->nblocks; i++)
            for (int e = 0; e < c.g->blocks[i].nevents; e++)
                EXPECT(&c, c.g->blocks[i].events[e] != litret && ast_kind(f, c.g->blocks[i].events[e]) != N_GO_STATEMENT,
                       "a statement of the literal is an event of the outer graph");
        EXPECT(&c, c.g->blocks[c.g->entry].nsuccs == 1 && succ(c.g, c.g->entry, c.g->exit, -1),
               "the literal's return split the outer graph");
        if (c.g->nliterals == 2) {
            nid lit = c.g->literals[0];
            struct cfg *lg = cfg_build(&s->p, 0, lit);
            nid acall = find_text(f, lit, N_CALL_EXPRESSION, "a()", 0);
            int la = cfg_block_of(lg, acall);
            EXPECT(&c, la == lg->entry && succ(lg, la, lg->exit, -1), "literal graph: a() then return");
            EXPECT(&c, lg->nliterals == 1, "literal graph lists %d nested literals, want 1", lg->nliterals);
            nid *names = NULL;
            int n = cfg_captures(&s->p, 0, lit, &names);
            EXPECT(&c, n == 2 && has_name(f, names, n, "x") && has_name(f, names, n, "y"),
                   "captures of fn: %d names, want x and y (z is its own)", n);
            for (int i = 0; i < n; i++)
                EXPECT(&c, ast_contains(f, c.g->fn, names[i]) && !ast_contains(f, lit, names[i]),
                       "capture is not a declaring name outside the literal");
            free(names);
            nid inner = lg->nliterals ? lg->literals[0] : 0;
            n = inner ? cfg_captures(&s->p, 0, inner, &names) : 0;
            EXPECT(&c, n == 2 && has_name(f, names, n, "y") && has_name(f, names, n, "z"), "nested literal captures %d, want y z", n);
            if (inner) free(names);
            cfg_free(lg);

            lg = cfg_build(&s->p, 0, c.g->literals[1]);
            int lb = cfg_block_of(lg, find_text(f, c.g->literals[1], N_CALL_EXPRESSION, "b()", 0));
            EXPECT(&c, lb == lg->entry && succ(lg, lb, lg->exit, -1), "second literal graph");
            n = cfg_captures(&s->p, 0, c.g->literals[1], &names);
            EXPECT(&c, n == 1 && has_name(f, names, n, "x"), "second literal captures %d, want x", n);
            free(names);
            cfg_free(lg);
        }
    }
    check_invariants(&c);
    tc_end(&c);
}

static void test_method(struct tally *t, struct snip *s)
{
    struct tc c;
    tc_begin(&c, t, s, "cfg method declaration", "method");
    int A = blk(&c, "a()"), head = blk_kind(&c, N_BINARY_EXPRESSION, 0);
    if (c.g) {
        EXPECT(&c, succ(c.g, head, A, CE_FALSE) && reaches(c.g, A, c.g->exit), "method loop shape");
    }
    check_invariants(&c);
    tc_end(&c);
}

/* A declaration without body: ENTRY -> EXIT. */
static void test_no_body(struct tally *t)
{
    struct snip s;
    snip_init(&s, "package p\n\nfunc ext(x int) int\n");
    struct tc c;
    tc_begin(&c, t, &s, "cfg function without body", "ext");
    if (c.g) EXPECT(&c, c.g->body == 0 && succ(c.g, c.g->entry, c.g->exit, -1), "ENTRY -> EXIT missing");
    check_invariants(&c);
    tc_end(&c);
    snip_free(&s);
}

void test_cfg_all(struct tally *t)
{
    struct snip s;
    snip_init(&s, SRC);
    if (s.files[0].has_error) {
        unit_fail(t, "cfg snippet parses", "%u:%u: %s", s.files[0].err_line, s.files[0].err_col, s.files[0].err_msg);
    }
    test_if_else(t, &s);
    test_for_clause(t, &s);
    test_for_cond(t, &s);
    test_forever(t, &s);
    test_range(t, &s);
    test_switch(t, &s);
    test_select(t, &s);
    test_labelled(t, &s);
    test_select_in_for(t, &s);
    test_goto(t, &s);
    test_return(t, &s);
    test_defer(t, &s);
    test_go_and_calls(t, &s);
    test_noreturn(t, &s);
    test_literals(t, &s);
    test_method(t, &s);
    snip_free(&s);
    test_no_body(t);
}
