/* tests/unit/test_types: light types of locals from range clauses, type
 * switches and assertions, same-package calls, &T{} and field selectors
 * through embedded fields with pointer auto-deref. */
#include <stdlib.h>
#include <string.h>

#include "../../src/model/model.h"
#include "../../src/syntax/parse.h"
#include "unit.h"

static const char *SRC =
    "package p\n"
    "\n"
    "import (\n"
    "\t\"context\"\n"
    "\t\"sync\"\n"
    ")\n"
    "\n"
    "type Base struct{ ch chan int }\n"
    "type Mid struct {\n"
    "\t*Base\n"
    "\tname string\n"
    "}\n"
    "type Outer struct {\n"
    "\tMid\n"
    "\tctx context.Context\n"
    "\tmu  sync.Mutex\n"
    "}\n"
    "type S struct{ n int }\n"
    "type Names []string\n"
    "\n"
    "func one() *S                       { return nil }\n"
    "func two() (*Outer, error)          { return nil, nil }\n"
    "func named() (o Outer, err error)   { return }\n"
    "func (o *Outer) pair() (int, *Base) { return 0, nil }\n"
    "\n"
    "func f(xs []S, m map[string]*S, ch <-chan Outer, s string, x interface{}, po *Outer, arr *[3]int, ns Names) {\n"
    "\tfor i, v := range xs {\n"
    "\t\tuse(i, v)\n"
    "\t}\n"
    "\tfor k, v2 := range m {\n"
    "\t\tuse(k, v2)\n"
    "\t}\n"
    "\tfor v3 := range ch {\n"
    "\t\tuse(v3)\n"
    "\t}\n"
    "\tfor j, r := range s {\n"
    "\t\tuse(j, r)\n"
    "\t}\n"
    "\tfor _, e := range arr {\n"
    "\t\tuse(e)\n"
    "\t}\n"
    "\tfor _, n := range ns {\n"
    "\t\tuse(n)\n"
    "\t}\n"
    "\tswitch y := x.(type) {\n"
    "\tcase *S:\n"
    "\t\tuse(y)\n"
    "\tcase int, string:\n"
    "\t\tuse(y)\n"
    "\tcase nil:\n"
    "\t\tuse(y)\n"
    "\tdefault:\n"
    "\t\tuse(y)\n"
    "\t}\n"
    "\tz := x.(*Outer)\n"
    "\tz2, ok := x.(S)\n"
    "\tvar z3, ok3 = x.(Names)\n"
    "\tv4, ok4 := <-ch\n"
    "\tv5, ok5 := m[\"k\"]\n"
    "\ta := one()\n"
    "\tb, err := two()\n"
    "\tc, _ := named()\n"
    "\tpn, pb := po.pair()\n"
    "\tp := &S{}\n"
    "\tq := &Outer{}\n"
    "\tbc := po.ch\n"
    "\tbc2 := q.Mid.Base.ch\n"
    "\tnm := po.name\n"
    "\tcx := b.ctx\n"
    "\tmu := &c.mu\n"
    "\tbc3 := c.ch\n"
    "\tuse(z, z2, ok, z3, ok3, v4, ok4, v5, ok5, a, b, err, c, pn, pb, p, q, bc, bc2, nm, cx, mu, bc3)\n"
    "}\n"
    "\n"
    "func use(...interface{}) {}\n";

/* the n-th (0-based) identifier node whose text is s */
static nid ident(const struct gofile *f, const char *s, int nth)
{
    for (nid n = 1; n < f->nnodes; n++)
        if (f->nodes[n].kind == N_IDENTIFIER && ast_text_is(f, n, s) && nth-- == 0) return n;
    return 0;
}

/* the use of `s` in the last use(...) call of f: its last occurrence */
static nid last_ident(const struct gofile *f, const char *s)
{
    nid r = 0;
    for (nid n = 1; n < f->nnodes; n++)
        if (f->nodes[n].kind == N_IDENTIFIER && ast_text_is(f, n, s)) r = n;
    return r;
}

static void expect(struct tally *t, struct pkg *p, nid e, const char *want, const char *name)
{
    struct ltype *lt = e ? model_type_of(p, 0, e) : NULL;
    const char *got = lt ? ltype_str(p, lt) : "(unknown)";
    if (!e) unit_fail(t, name, "identifier not found");
    else if (strcmp(got, want)) unit_fail(t, name, "type %s, want %s", got, want);
    else unit_pass(t, name);
}

void test_types_all(struct tally *t)
{
    struct syntax_parser *sp = syntax_parser_new();
    struct gofile *files = xcalloc(1, sizeof(*files));
    syntax_parse(sp, "t.go", xstrdup(SRC), strlen(SRC), &files[0]);
    struct pkg p;
    pkg_init(&p, ".", files, 1);
    const struct gofile *f = &files[0];
    if (f->has_error) unit_fail(t, "types snippet parses", "%u:%u: %s", f->err_line, f->err_col, f->err_msg);

    expect(t, &p, last_ident(f, "i"), "int", "types range slice index");
    expect(t, &p, last_ident(f, "v"), "S", "types range slice element");
    expect(t, &p, last_ident(f, "k"), "string", "types range map key");
    expect(t, &p, last_ident(f, "v2"), "*S", "types range map value");
    expect(t, &p, last_ident(f, "v3"), "Outer", "types range chan element");
    expect(t, &p, last_ident(f, "j"), "int", "types range string index");
    expect(t, &p, last_ident(f, "r"), "rune", "types range string rune");
    expect(t, &p, last_ident(f, "e"), "int", "types range pointer to array");
    expect(t, &p, last_ident(f, "n"), "string", "types range named slice");

    /* y's uses: 0 is the declaration, then one use per clause */
    expect(t, &p, ident(f, "y", 1), "*S", "types type switch single-type clause");
    expect(t, &p, ident(f, "y", 2), "interface{...}", "types type switch multi-type clause keeps x's type");
    expect(t, &p, ident(f, "y", 3), "interface{...}", "types type switch nil clause keeps x's type");
    expect(t, &p, ident(f, "y", 4), "interface{...}", "types type switch default keeps x's type");

    expect(t, &p, last_ident(f, "z"), "*Outer", "types type assertion");
    expect(t, &p, last_ident(f, "z2"), "S", "types comma-ok type assertion value");
    expect(t, &p, last_ident(f, "ok"), "bool", "types comma-ok type assertion ok");
    expect(t, &p, last_ident(f, "z3"), "Names", "types var comma-ok assertion value");
    expect(t, &p, last_ident(f, "ok3"), "bool", "types var comma-ok assertion ok");
    expect(t, &p, last_ident(f, "v4"), "Outer", "types comma-ok receive value");
    expect(t, &p, last_ident(f, "ok4"), "bool", "types comma-ok receive ok");
    expect(t, &p, last_ident(f, "v5"), "*S", "types comma-ok map index value");
    expect(t, &p, last_ident(f, "ok5"), "bool", "types comma-ok map index ok");

    expect(t, &p, last_ident(f, "a"), "*S", "types same-package call single result");
    expect(t, &p, last_ident(f, "b"), "*Outer", "types same-package call tuple first");
    expect(t, &p, last_ident(f, "err"), "error", "types same-package call tuple second");
    expect(t, &p, last_ident(f, "c"), "Outer", "types same-package call named results");
    expect(t, &p, last_ident(f, "pn"), "int", "types method call tuple first");
    expect(t, &p, last_ident(f, "pb"), "*Base", "types method call tuple second");

    expect(t, &p, last_ident(f, "p"), "*S", "types &T{}");
    expect(t, &p, last_ident(f, "q"), "*Outer", "types &T{} of struct with embedded fields");
    expect(t, &p, last_ident(f, "bc"), "chan int", "types field through embedded value then embedded pointer");
    expect(t, &p, last_ident(f, "bc2"), "chan int", "types explicit embedded field path");
    expect(t, &p, last_ident(f, "nm"), "string", "types promoted field through pointer receiver");
    expect(t, &p, last_ident(f, "cx"), "context.Context", "types field of a call result pointer");
    expect(t, &p, last_ident(f, "mu"), "*sync.Mutex", "types address of a field");
    expect(t, &p, last_ident(f, "bc3"), "chan int", "types promoted field of a value through embedded pointer");

    pkg_free(&p);
    gofile_free(&files[0]);
    free(files);
    syntax_parser_free(sp);
}
