/* tests/unit/test_model: scopes, imports and light types. */
#include <stdlib.h>
#include <string.h>

#include "../../src/model/model.h"
#include "../../src/syntax/parse.h"
#include "unit.h"

/* the n-th (0-based) identifier node whose text is s */
static nid ident(const struct gofile *f, const char *s, int nth)
{
    for (nid n = 1; n < f->nnodes; n++)
        if (f->nodes[n].kind == N_IDENTIFIER && ast_text_is(f, n, s) && nth-- == 0) return n;
    return 0;
}

static const char *SRC =
    "package p\n"
    "\n"
    "import (\n"
    "\tctxpkg \"context\"\n"
    "\ts \"sync\"\n"
    "\t\"time\"\n"
    ")\n"
    "\n"
    "type inner struct{ mu s.Mutex }\n"
    "type T struct {\n"
    "\tinner\n"
    "\twg  *s.WaitGroup\n"
    "\tch  chan int\n"
    "\tbuf [4]int64\n"
    "}\n"
    "\n"
    "type WaitGroup struct{}\n"
    "\n"
    "func (t *T) get() *T { return t }\n"
    "\n"
    "func f(t *T, local WaitGroup) {\n"
    "\tctx, cancel := ctxpkg.WithCancel(ctxpkg.Background())\n"
    "\ttk := time.NewTicker(time.Second)\n"
    "\tx := t.get().wg\n"
    "\tm := t.mu\n"
    "\tfor i, v := range []string{} {\n"
    "\t\t_, _ = i, v\n"
    "\t}\n"
    "\tif x := 1; x > 0 {\n"
    "\t\t_ = x\n"
    "\t}\n"
    "\t_, _, _, _, _, _ = ctx, cancel, tk, x, m, local\n"
    "\tc := make(chan<- T, 3)\n"
    "\t_ = c\n"
    "}\n";

static void expect_type(struct tally *t, struct pkg *p, nid e, const char *want, const char *name)
{
    struct ltype *lt = model_type_of(p, 0, e);
    const char *got = lt ? ltype_str(p, lt) : "(unknown)";
    if (!e) unit_fail(t, name, "identifier not found");
    else if (strcmp(got, want)) unit_fail(t, name, "type %s, want %s", got, want);
    else unit_pass(t, name);
}

void test_model_all(struct tally *t)
{
    struct syntax_parser *sp = syntax_parser_new();
    struct gofile *files = xcalloc(1, sizeof(*files));
    syntax_parse(sp, "m.go", xstrdup(SRC), strlen(SRC), &files[0]);
    struct pkg p;
    pkg_init(&p, ".", files, 1);

    const struct gofile *f = &files[0];
    /* uses in the final `_, _, ... = ctx, cancel, ...` line: the 2nd occurrence */
    expect_type(t, &p, ident(f, "ctx", 1), "context.Context", "model type ctx from WithCancel via alias");
    expect_type(t, &p, ident(f, "cancel", 1), "context.CancelFunc", "model type cancel");
    expect_type(t, &p, ident(f, "tk", 1), "*time.Ticker", "model type NewTicker");
    expect_type(t, &p, ident(f, "x", 4), "*sync.WaitGroup", "model type field via method result");
    expect_type(t, &p, ident(f, "m", 1), "sync.Mutex", "model type promoted field of embedded struct");
    expect_type(t, &p, ident(f, "v", 1), "string", "model type range value");
    expect_type(t, &p, ident(f, "local", 1), "WaitGroup", "model type local WaitGroup is not sync's");
    expect_type(t, &p, ident(f, "c", 0), "chan<- T", "model type make chan");

    /* `x` inside the if refers to the if's x (int), not the outer *WaitGroup */
    expect_type(t, &p, ident(f, "x", 2), "int", "model scope if initializer shadows");

    struct ltype *tt = model_type_from_expr(&p, 0, ast_child(f, ast_parent(f, ident(f, "t", 2)), F_TYPE));
    if (!model_contains_by_value(&p, tt->elem, "sync", "Mutex")) unit_fail(t, "model contains mutex by value", "T embeds inner{mu sync.Mutex}");
    else if (model_contains_by_value(&p, tt->elem, "sync", "WaitGroup")) unit_fail(t, "model contains mutex by value", "*WaitGroup field is not by value");
    else unit_pass(t, "model contains mutex by value");

    long sz = model_sizeof(&p, model_type_from_expr(&p, 0, ast_child(f, ast_parent(f, ident(f, "t", 2)), F_TYPE))->elem);
    if (sz != -1) unit_fail(t, "model sizeof unknown", "T holds sync.Mutex of unknown size, got %ld", sz);
    else unit_pass(t, "model sizeof unknown");

    pkg_free(&p);
    gofile_free(&files[0]);
    free(files);
    syntax_parser_free(sp);
}
