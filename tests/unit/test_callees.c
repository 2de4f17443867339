/* tests/unit/test_callees: the possible-callee sets of calls through
 * function values (model/callees.h) on one package: a field set to a
 * method and a literal, an exported (open) field, a slice of funcs filled
 * by append (a method bound to another object), a map literal of funcs, a
 * field stored from a parameter (nil arguments are no callee), a local
 * holding a method value, a parameter every caller passes one method, and
 * a parameter of a function used as a value (open). The listing of
 * `godark dump-callees` is compared line by line. */
#include "../../src/model/callees.h"
#include "../../src/syntax/parse.h"
#include "unit.h"

static const char SRC[] =
    "package p\n"
    "\n"
    "import \"sync\"\n"
    "\n"
    "type Bus struct {\n"
    "\tmu      sync.Mutex\n"
    "\tnotify  func()\n"
    "\tOnSend  func()\n"
    "\thooks   []func(int)\n"
    "\tbyName  map[string]func()\n"
    "\tonEvict func(string)\n"
    "\tpeer    *Bus\n"
    "}\n"
    "\n"
    "func newBus(evict func(string)) *Bus {\n"
    "\tb := &Bus{byName: map[string]func(){\"flush\": flush}}\n"
    "\tb.notify = b.count\n"
    "\tif evict == nil {\n"
    "\t\tb.notify = func() {}\n"
    "\t}\n"
    "\tb.OnSend = b.count\n"
    "\tb.hooks = append(b.hooks, show, b.peer.show)\n"
    "\tb.onEvict = evict\n"
    "\tevict(\"a\")\n"
    "\treturn b\n"
    "}\n"
    "\n"
    "func flush()             {}\n"
    "func show(int)           {}\n"
    "func (b *Bus) count()    {}\n"
    "func (b *Bus) show(int)  {}\n"
    "func (b *Bus) drop(string) {}\n"
    "\n"
    "func (b *Bus) fire(k string) {\n"
    "\tb.notify()\n"
    "\tb.OnSend()\n"
    "\tfor _, h := range b.hooks {\n"
    "\t\th(1)\n"
    "\t}\n"
    "\tb.byName[\"flush\"]()\n"
    "\tb.onEvict(k)\n"
    "\tf := b.count\n"
    "\tf()\n"
    "\tb.each(b.drop)\n"
    "}\n"
    "\n"
    "func (b *Bus) each(fn func(string)) { fn(\"x\") }\n"
    "\n"
    "func use() { _ = newBus(nil); _ = newBus(func(string) {}) }\n"
    "\n"
    "func run(g func()) { g() }\n"
    "\n"
    "var Run = run\n";

static const char WANT[] =
    "cb.go:24: evict (param): func@cb.go:49\n"
    "cb.go:35: b.notify (field): Bus.count[holder] func@cb.go:19[holder]\n"
    "cb.go:36: b.OnSend (field): Bus.count[holder] open\n"
    "cb.go:38: h (elem): show Bus.show[other]\n"
    "cb.go:40: b.byName[\"flush\"] (elem): flush sole\n"
    "cb.go:41: b.onEvict (field): func@cb.go:49\n"
    "cb.go:43: f (local): Bus.count[holder] sole\n"
    "cb.go:47: fn (param): Bus.drop[holder] sole\n"
    "cb.go:51: g (param): (none) open\n";

void test_callees_all(struct tally *t)
{
    struct syntax_parser *sp = syntax_parser_new();
    struct gofile f;
    syntax_parse(sp, "cb.go", xstrdup(SRC), strlen(SRC), &f);
    struct pkg p;
    pkg_init(&p, ".", &f, 1);
    struct buf b = {0};
    callees_dump(&p, &b);
    unit_expect_text(t, "callees: fields, elements, parameters, locals", b.data, WANT);
    buf_free(&b);
    pkg_free(&p);
    gofile_free(&f);
    syntax_parser_free(sp);
}
