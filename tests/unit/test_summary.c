/* tests/unit/test_summary: call summaries (model/summary.h) on small
 * packages: lock helpers, deferred releases, conditional locks, parameter
 * and package-variable objects, recursion, WaitGroup and channel effects. */
#include <stdlib.h>
#include <string.h>

#include "../../src/model/summary.h"
#include "../../src/syntax/parse.h"
#include "unit.h"

static const char *SRC =
    "package p\n"
    "\n"
    "import \"sync\"\n"
    "\n"
    "type S struct {\n"
    "\tmu  sync.Mutex\n"
    "\trw  sync.RWMutex\n"
    "\tn   int\n"
    "\tout chan int\n"
    "}\n"
    "\n"
    "var gmu sync.Mutex\n"
    "\n"
    "func (s *S) lock()   { s.mu.Lock() }\n"
    "func (s *S) unlock() { s.mu.Unlock() }\n"
    "func (s *S) withDefer() int {\n"
    "\ts.mu.Lock()\n"
    "\tdefer s.mu.Unlock()\n"
    "\treturn s.n\n"
    "}\n"
    "func (s *S) maybe() {\n"
    "\tif s.n == 0 {\n"
    "\t\treturn\n"
    "\t}\n"
    "\ts.mu.Lock()\n"
    "\ts.mu.Unlock()\n"
    "}\n"
    "func (s *S) dropAndRetake() {\n"
    "\ts.mu.Unlock()\n"
    "\ts.n++\n"
    "\ts.mu.Lock()\n"
    "}\n"
    "func (s *S) viaHelper() { s.lock() }\n"
    "func (s *S) read() int {\n"
    "\ts.rw.RLock()\n"
    "\tdefer s.rw.RUnlock()\n"
    "\treturn s.n\n"
    "}\n"
    "func bump(mu *sync.Mutex) {\n"
    "\tmu.Lock()\n"
    "\tmu.Unlock()\n"
    "}\n"
    "func (s *S) viaParam() { bump(&s.mu) }\n"
    "func global() {\n"
    "\tgmu.Lock()\n"
    "\tdefer gmu.Unlock()\n"
    "}\n"
    "func (s *S) rec(n int) {\n"
    "\tif n > 0 {\n"
    "\t\ts.rec(n - 1)\n"
    "\t}\n"
    "\ts.mu.Lock()\n"
    "\ts.mu.Unlock()\n"
    "}\n"
    "func (s *S) ping(n int) { s.pong(n) }\n"
    "func (s *S) pong(n int) {\n"
    "\tif n > 0 {\n"
    "\t\ts.ping(n - 1)\n"
    "\t}\n"
    "\ts.rw.Lock()\n"
    "\ts.rw.Unlock()\n"
    "}\n"
    "func (s *S) run(wg *sync.WaitGroup, ch chan int) {\n"
    "\tdefer wg.Done()\n"
    "\tch <- 1\n"
    "\tclose(s.out)\n"
    "}\n"
    "func (s *S) walkA(n int) {\n"
    "\tif n > 0 {\n"
    "\t\ts.walkB(n - 1)\n"
    "\t}\n"
    "}\n"
    "func (s *S) walkB(n int) {\n"
    "\ts.mu.Lock()\n"
    "\ts.mu.Unlock()\n"
    "\ts.walkA(n)\n"
    "}\n"
    "func opaque(l sync.Locker) { l.Lock() }\n"
    "func value(f func()) { f() }\n";

static const char *const kinds[] = {"lock", "rlock", "unlock", "runlock", "wg.add", "wg.done", "wg.wait",
                                    "send", "recv", "close"};

static int decl_index(const struct pkg *p, const char *name)
{
    for (int i = 0; i < p->ndecls; i++)
        if (!strcmp(p->decls[i].name, name)) return i;
    return -1;
}

/* "lock(R.mu)+fresh+all ..." or "-" for no summary */
static char *render(struct pkg *p, const char *name)
{
    const struct func_summary *s = model_func_summary(p, decl_index(p, name));
    if (!s) return xstrdup("-");
    struct buf b = {0};
    buf_puts(&b, "");
    for (int i = 0; i < s->neffects; i++) {
        const struct effect *e = &s->effects[i];
        buf_printf(&b, "%s%s(%s)", i ? " " : "", kinds[e->kind], e->key);
        if (e->flags & EF_NET) buf_puts(&b, "+net");
        if (e->flags & EF_FRESH) buf_puts(&b, "+fresh");
        if (e->flags & EF_ALL_PATHS) buf_puts(&b, "+all");
        if (e->flags & EF_DEFERRED) buf_puts(&b, "+deferred");
        if (e->flags & EF_RELOCK) buf_puts(&b, "+relock");
    }
    return b.data;
}

static void expect(struct tally *t, struct pkg *p, const char *name, const char *want)
{
    char *got = render(p, name);
    char tname[128];
    snprintf(tname, sizeof tname, "summary %s", name);
    if (!strcmp(got, want)) unit_pass(t, tname);
    else unit_fail(t, tname, "got \"%s\", want \"%s\"", got, want);
    free(got);
}

void test_summary_all(struct tally *t)
{
    struct syntax_parser *sp = syntax_parser_new();
    struct gofile f;
    char *src = xstrdup(SRC);
    syntax_parse(sp, "summary_test.go", src, strlen(src), &f);
    struct pkg p;
    pkg_init(&p, ".", &f, 1);

    expect(t, &p, "lock", "lock(R.mu)+fresh+all lock(R.mu)+net+all");
    expect(t, &p, "unlock", "unlock(R.mu)+net+all");
    expect(t, &p, "withDefer", "lock(R.mu)+fresh+all");
    expect(t, &p, "maybe", "lock(R.mu)+fresh");
    /* released while the caller holds it, taken again */
    expect(t, &p, "dropAndRetake", "lock(R.mu)+relock");
    expect(t, &p, "viaHelper", "lock(R.mu)+fresh+all lock(R.mu)+net+all");
    expect(t, &p, "read", "rlock(R.rw)+fresh+all");
    expect(t, &p, "bump", "lock(P0)+fresh+all");
    expect(t, &p, "viaParam", "lock(R.mu)+fresh+all");
    expect(t, &p, "global", "lock(Ggmu)+fresh+all");
    expect(t, &p, "rec", "lock(R.mu)+fresh+all");
    /* mutual recursion terminates; the lock is seen from either side */
    expect(t, &p, "ping", "lock(R.rw)+fresh+all");
    /* a cycle is solved to a fixpoint: walkB first, then walkA (which saw
     * walkB in progress) still has walkB's lock */
    expect(t, &p, "walkB", "lock(R.mu)+fresh+all");
    expect(t, &p, "walkA", "lock(R.mu)+fresh");
    expect(t, &p, "run", "wg.done(P0)+deferred send(P1) close(R.out)");
    expect(t, &p, "opaque", "");

    /* model_callee: a method through the receiver's type, a function, and
     * a function value (unknown) */
    int callee_ok = 0;
    for (nid n = 1; n < f.nnodes; n++) {
        if (f.nodes[n].kind != N_CALL_EXPRESSION) continue;
        struct str txt = ast_text(&f, n);
        int d = model_callee(&p, 0, n);
        if (str_eq(txt, "s.lock()") && d == decl_index(&p, "lock")) callee_ok++;
        if (str_eq(txt, "bump(&s.mu)") && d == decl_index(&p, "bump")) callee_ok++;
        if (str_eq(txt, "f()") && d == -1) callee_ok++;
        if (str_eq(txt, "l.Lock()") && d == -1) callee_ok++;
    }
    if (callee_ok == 4) unit_pass(t, "summary model_callee");
    else unit_fail(t, "summary model_callee", "%d of 4 calls resolved as expected", callee_ok);

    pkg_free(&p);
    gofile_free(&f);
    syntax_parser_free(sp);
}
