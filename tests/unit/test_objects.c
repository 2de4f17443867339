/* tests/unit/test_objects: the package object model (model/objects.h) on
 * the two shapes: a channel reached through a getter, and a loop
 * goroutine that gives up on quit while Lookup cannot (and closes stopped
 * through a helper it calls: a go-callee). The listing of
 * `godark dump-objects` is compared line by line. */
#include "../../src/model/objects.h"
#include "../../src/syntax/parse.h"
#include "unit.h"

static const char SRC[] =
    "package p\n"
    "\n"
    "import (\n"
    "\t\"context\"\n"
    "\t\"sync\"\n"
    ")\n"
    "\n"
    "// 1: reached through a getter; nothing ever closes f.finished\n"
    "type Flusher struct{ finished chan struct{} }\n"
    "\n"
    "func NewFlusher() *Flusher                    { return &Flusher{finished: make(chan struct{})} }\n"
    "func (f *Flusher) Finished() <-chan struct{} { return f.finished }\n"
    "func (f *Flusher) Flush()                    {}\n"
    "func FlushAndWait(f *Flusher)                { go f.Flush(); <-f.Finished() }\n"
    "\n"
    "type query struct {\n"
    "\tk     string\n"
    "\treply chan int\n"
    "}\n"
    "\n"
    "// 2: serve() stops receiving when quit is closed; Lookup cannot give up\n"
    "type Index struct {\n"
    "\tqueries chan query\n"
    "\tquit    chan struct{}\n"
    "\tstopped chan struct{}\n"
    "\tcancel  context.CancelFunc\n"
    "\tmu      sync.Mutex\n"
    "\tcond    *sync.Cond\n"
    "\twg      sync.WaitGroup\n"
    "}\n"
    "\n"
    "func NewIndex() *Index {\n"
    "\tix := &Index{queries: make(chan query), quit: make(chan struct{})}\n"
    "\tix.stopped = make(chan struct{})\n"
    "\tix.cond = sync.NewCond(&ix.mu)\n"
    "\tgo ix.serve()\n"
    "\treturn ix\n"
    "}\n"
    "\n"
    "func (ix *Index) serve() {\n"
    "\tdefer ix.finish()\n"
    "\tfor {\n"
    "\t\tselect {\n"
    "\t\tcase q := <-ix.queries:\n"
    "\t\t\tq.reply <- 1\n"
    "\t\tcase <-ix.quit:\n"
    "\t\t\treturn\n"
    "\t\t}\n"
    "\t}\n"
    "}\n"
    "\n"
    "func (ix *Index) Lookup(k string) int {\n"
    "\tq := query{k, make(chan int, 1)}\n"
    "\tix.queries <- q\n"
    "\treturn <-q.reply\n"
    "}\n"
    "\n"
    "func (ix *Index) Close() { close(ix.quit); ix.wg.Wait(); ix.cond.Broadcast() }\n"
    "\n"
    "// run by serve's goroutine through a call: go-callee\n"
    "func (ix *Index) finish() { close(ix.stopped) }\n"
    "";

static const char WANT[] =
    "Flusher.finished chan unbuffered at obj.go:9\n"
    "  make      obj.go:11:65 in NewFlusher exported\n"
    "  get       obj.go:12:55 in Finished exported\n"
    "query.reply chan buf=? at obj.go:18\n"
    "  send      obj.go:45:4 in serve go-method\n"
    "  recv      obj.go:55:11 in Lookup exported\n"
    "Index.queries chan unbuffered at obj.go:23\n"
    "  make      obj.go:33:15 in NewIndex exported\n"
    "  recv      obj.go:44:15 in serve +select-others go-method\n"
    "  send      obj.go:54:2 in Lookup exported\n"
    "Index.quit chan unbuffered at obj.go:24\n"
    "  make      obj.go:33:42 in NewIndex exported\n"
    "  recv      obj.go:46:10 in serve +select-others go-method\n"
    "  close     obj.go:58:34 in Close exported\n"
    "Index.stopped chan unbuffered at obj.go:25\n"
    "  make      obj.go:34:2 in NewIndex exported\n"
    "  close     obj.go:61:35 in finish go-callee\n"
    "Index.cancel cancel at obj.go:26\n"
    "Index.cond cond at obj.go:28\n"
    "  make      obj.go:35:2 in NewIndex exported\n"
    "  broadcast obj.go:58:58 in Close exported\n"
    "Index.wg waitgroup at obj.go:29\n"
    "  wait      obj.go:58:44 in Close exported\n";

void test_objects_all(struct tally *t)
{
    struct syntax_parser *sp = syntax_parser_new();
    struct gofile f;
    syntax_parse(sp, "obj.go", xstrdup(SRC), strlen(SRC), &f);
    struct pkg p;
    pkg_init(&p, ".", &f, 1);
    struct obj_model m;
    objects_build(&p, &m);
    struct buf b = {0};
    objects_dump(&p, &m, &b);
    unit_expect_text(t, "objects: getter, loop goroutine, cond, waitgroup, cancel", b.data, WANT);
    buf_free(&b);
    pkg_free(&p);
    gofile_free(&f);

    /* a call through an interface with one implementation in the package
     * reaches it (and not when a second type implements it) */
    static const char IFACE[] = "package p\n\ntype runner interface{ step() }\n\n"
                                "type impl struct{ done chan struct{} }\n\nfunc (i *impl) step() { close(i.done) }\n\n"
                                "func start(r runner) { go func() { r.step() }() }\n";
    static const char TWO[] = "\ntype twin struct{}\n\nfunc (twin) step() {}\n";
    for (int two = 0; two < 2; two++) {
        char *src = xasprintf("%s%s", IFACE, two ? TWO : "");
        syntax_parse(sp, "iface.go", src, strlen(src), &f);
        pkg_init(&p, ".", &f, 1);
        const struct pkg_decl *d = pkg_sole_implementation(&p, "runner", str_make("step", 4));
        objects_build(&p, &m);
        bool callee = m.n == 1 && m.classes[0].nuses == 1 && (m.classes[0].uses[0].ctx & OCTX_GO_CALLEE);
        if (two ? !d && !callee : d && !strcmp(d->recv_type, "impl") && callee)
            unit_pass(t, two ? "objects: two implementations, no guess" : "objects: sole implementation is a go-callee");
        else
            unit_fail(t, two ? "objects: two implementations, no guess" : "objects: sole implementation is a go-callee",
                      "impl %s, go-callee %d", d ? d->recv_type : "(none)", callee);
        pkg_free(&p);
        gofile_free(&f);
    }

    /* a field promoted from an embedded struct is the embedded type's
     * class; a selection on a value of unknown type opens the class */
    static const char EMB[] = "package p\n\ntype base struct{ done chan struct{} }\n\n"
                              "type Server struct{ base }\n\n"
                              "func New() *Server { s := &Server{}; s.done = make(chan struct{}); return s }\n\n"
                              "func (s *Server) Stop() { close(s.done) }\n\n"
                              "func (b *base) wait() { <-b.done }\n";
    static const char UNK[] = "\nfunc other(x interface{ Get() any }) { _ = x.Get().(interface{}); _ = unknown().done }\n";
    for (int unk = 0; unk < 2; unk++) {
        char *src = xasprintf("%s%s", EMB, unk ? UNK : "");
        syntax_parse(sp, "emb.go", src, strlen(src), &f);
        pkg_init(&p, ".", &f, 1);
        objects_build(&p, &m);
        int ops = 0;
        for (int k = 0; m.n == 1 && k < m.classes[0].nuses; k++)
            ops |= 1 << m.classes[0].uses[k].op;
        bool ok = m.n == 1 && (ops & (1 << OO_MAKE)) && (ops & (1 << OO_CLOSE)) && (ops & (1 << OO_RECV)) &&
                  m.classes[0].open == (unk == 1);
        const char *name = unk ? "objects: a selection on an unknown type opens the class"
                               : "objects: uses through an embedded struct";
        if (ok) unit_pass(t, name);
        else unit_fail(t, name, "classes %d, ops %#x, open %d", m.n, ops, m.n ? m.classes[0].open : -1);
        pkg_free(&p);
        gofile_free(&f);
    }
    syntax_parser_free(sp);
}
