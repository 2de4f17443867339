/* tests/unit/test_profile: the profile module's parsers and model on small
 * inputs: every traceback header variation, normalisation, classification,
 * protobuf packed and unpacked fields, labels, truncation and garbage. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#include "../../src/profile/profile.h"

static int *g_passed, *g_failed;

static void ok(const char *name) { printf("PASS profile/%s\n", name), (*g_passed)++; }
static void bad(const char *name, const char *fmt, ...) GD_PRINTF(2, 3);
static void bad(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL profile/%s: ", name);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    (*g_failed)++;
}

static bool parse(struct profile *p, const char *text, size_t n, struct profile_diag *d)
{
    profile_init(p);
    memset(d, 0, sizeof(*d));
    bool r = profile_parse_buffer(p, text, n, "t", d);
    if (r) {
        struct profile_opts o;
        profile_opts_default(&o);
        profile_analyze(p, &o);
    }
    return r;
}

static const struct profile_group *group_with(const struct profile *p, const char *func)
{
    for (size_t i = 0; i < p->groups.len; i++)
        for (uint32_t k = 0; k < p->groups.items[i].nframes; k++)
            if (!strcmp(p->frames.items[p->groups.items[i].frames[k]].func, func)) return &p->groups.items[i];
    return NULL;
}

static const char *gstate(const struct profile *p, const struct profile_group *g)
{
    return g && g->main_state != PROFILE_NONE ? p->states.items[g->main_state] : "";
}

/* Every header form Go 1.19..1.27 prints, in one dump. */
static const char *headers =
    "goroutine 1 [running]:\n"
    "main.main()\n\t/x/main.go:10 +0x1d\n\n"
    "goroutine 7 [chan receive, 3 minutes, locked to thread]:\n"
    "main.a(0xc000010000)\n\t/x/main.go:20 +0x25\ncreated by main.main in goroutine 1\n\t/x/main.go:11 +0x6a\n\n"
    "goroutine 8 gp=0xc000007c00 m=nil [select (no cases) (leaked), 12 minutes]:\n"
    "main.b()\n\t/x/main.go:30 +0x17 fp=0xc0000 sp=0xc0001 pc=0x4711\n"
    "created by main.main in goroutine 1\n\t/x/main.go:12 +0x85\n\n"
    "goroutine 9 gp=0xc000008000 m=3 mp=0xc000100008 [syscall, synctest bubble 4]:\n"
    "syscall.Syscall(0x0, 0x1, 0x2)\n\t/go/src/syscall/syscall_linux.go:73 +0x25\n\n"
    "goroutine 10 [chan send (durable), synctest bubble 2 labels:{\"k\": \"v,]\", \"a\": \"b\"}]:\n"
    "main.c[...](...)\n\t/x/main.go:40\nmain.d[go.shape.int]({0x1, 0x2})\n\t/x/main.go:41 +0x1\n\n"
    "goroutine 11 [sync.Mutex.Lock (scan), 1 minutes]:\n"
    "internal/sync.runtime_SemacquireMutex(0x0?)\n\t/go/src/runtime/sema.go:95 +0x25\n"
    "sync.(*Mutex).Lock(...)\n\t/go/src/sync/mutex.go:46\n"
    "main.e()\n\t/x/main.go:50 +0x2\n"
    "...3 frames elided...\n"
    "main.f()\n\t/x/main.go:60 +0x2\n"
    "[originating from goroutine 1]:\nmain.main(...)\n\t/x/main.go:13 +0x1\n\n";

static void test_headers(void)
{
    struct profile p;
    struct profile_diag d;
    if (!parse(&p, headers, strlen(headers), &d)) {
        bad("headers", "parse failed: %s", d.msg);
        return;
    }
    const struct profile_group *a = group_with(&p, "main.a"), *b = group_with(&p, "main.b"),
                               *c = group_with(&p, "main.c[...]"), *e = group_with(&p, "main.e"),
                               *s = group_with(&p, "syscall.Syscall");
    if (p.total != 6) bad("headers total", "%zu goroutines, want 6", p.total);
    else ok("headers total");
    if (!a || strcmp(gstate(&p, a), "chan receive") || a->max_wait != 3 || a->creator == PROFILE_NONE ||
        strcmp(p.frames.items[a->creator].func, "main.main"))
        bad("header minutes, locked, created by in goroutine", "state '%s' wait %d", gstate(&p, a), a ? a->max_wait : -9);
    else ok("header minutes, locked, created by in goroutine");
    if (!b || !b->leaked || b->cls != PCLASS_PERMANENT || b->max_wait != 12 || b->first_goid != 8)
        bad("header gp= m= (leaked) and fp/sp/pc frames", "state '%s'", gstate(&p, b));
    else ok("header gp= m= (leaked) and fp/sp/pc frames");
    if (!s || strcmp(gstate(&p, s), "syscall") || s->cls != PCLASS_NORMAL) bad("header mp= synctest bubble", "state '%s'", gstate(&p, s));
    else ok("header mp= synctest bubble");
    if (!c || c->labels.len != 1 || strcmp(p.labels.items[c->labels.items[0].labels], "a=b, k=v,]") ||
        !group_with(&p, "main.d[...]") || strcmp(gstate(&p, c), "chan send (durable)"))
        bad("header labels, generics, inlined frame", "labels %s", c && c->labels.len ? p.labels.items[c->labels.items[0].labels] : "none");
    else ok("header labels, generics, inlined frame");
    if (!e || strcmp(gstate(&p, e), "sync.Mutex.Lock") || !e->elided || e->max_wait != 1 ||
        p.frames.items[e->site].line != 50 || group_with(&p, "main.main") == e)
        bad("(scan) dropped, elided frames, ancestors skipped", "state '%s' elided %d", gstate(&p, e), e ? e->elided : 0);
    else ok("(scan) dropped, elided frames, ancestors skipped");
    profile_free(&p);
}

static void test_classify(void)
{
    static const struct {
        const char *s;
        enum profile_class c;
    } cases[] = {
        {"chan send (nil chan)", PCLASS_PERMANENT}, {"chan receive (nil chan)", PCLASS_PERMANENT},
        {"select (no cases)", PCLASS_PERMANENT},    {"chan send (leaked)", PCLASS_PERMANENT},
        {"chan send", PCLASS_CANDIDATE},            {"chan receive", PCLASS_CANDIDATE},
        {"select", PCLASS_CANDIDATE},               {"sync.WaitGroup.Wait", PCLASS_CANDIDATE},
        {"sync.RWMutex.RLock", PCLASS_CANDIDATE},   {"semacquire", PCLASS_CANDIDATE},
        {"coroutine", PCLASS_CANDIDATE},            {"sync.Cond.Wait", PCLASS_CANDIDATE},
        {"IO wait", PCLASS_NORMAL},                 {"sleep", PCLASS_NORMAL},
        {"syscall", PCLASS_NORMAL},                 {"running", PCLASS_NORMAL},
        {"synctest.Wait", PCLASS_NORMAL},           {"something new", PCLASS_NORMAL},
        {"GC worker (idle)", PCLASS_RUNTIME},       {"finalizer wait", PCLASS_RUNTIME},
        {"force gc (idle)", PCLASS_RUNTIME},        {"GC sweep wait", PCLASS_RUNTIME},
    };
    for (size_t i = 0; i < GD_ARRAY_LEN(cases); i++) {
        enum profile_class c = profile_classify_state(cases[i].s, false);
        if (c != cases[i].c) {
            bad("classify", "'%s' is %s, want %s", cases[i].s, profile_class_name(c), profile_class_name(cases[i].c));
            return;
        }
    }
    ok("classify wait reasons");
}

/* Suspects: the main goroutine in select{} is not one; stdlib-only stacks
 * are not; a user site with enough goroutines is. */
static void test_suspects(void)
{
    struct buf b = {0};
    buf_puts(&b, "goroutine 1 [select (no cases)]:\nmain.main()\n\t/x/main.go:9 +0x1\n\n");
    for (int i = 0; i < 4; i++)
        buf_printf(&b, "goroutine %d [select]:\nnet/http.(*persistConn).writeLoop(0x1)\n\t/go/src/net/http/transport.go:2421 +0xe5\n"
                       "created by net/http.(*Transport).dialConn in goroutine 5\n\t/go/src/net/http/transport.go:1777 +0x16f1\n\n", 10 + i);
    for (int i = 0; i < 3; i++)
        buf_printf(&b, "goroutine %d [chan receive, 20 minutes]:\nexample.com/x/w.(*W).loop(0x1)\n\t/src/w/w.go:33 +0x1\n\n", 20 + i);
    for (int i = 0; i < 2; i++)
        buf_printf(&b, "goroutine %d [chan receive]:\nmain.idle()\n\t/x/main.go:40 +0x1\n\n", 30 + i);
    struct profile p;
    struct profile_diag d;
    if (!parse(&p, b.data, b.len, &d)) {
        bad("suspects", "%s", d.msg);
        buf_free(&b);
        return;
    }
    struct profile_opts o;
    profile_opts_default(&o);
    struct finding_list fl = {0};
    profile_suspects(&p, &o, &fl);
    if (fl.len != 1 || strcmp(fl.items[0].file, "/src/w/w.go") || fl.items[0].line != 33 ||
        fl.items[0].confidence != CONF_HIGH || strncmp(fl.items[0].message, "3 goroutines", 12))
        bad("suspects: only the user site with enough goroutines", "%zu findings, first %s", fl.len,
            fl.len ? fl.items[0].message : "-");
    else ok("suspects: only the user site with enough goroutines");
    finding_list_free(&fl);
    o.nmodules = 1;
    const char *mods[] = {"example.org/other"};
    o.modules = mods;
    profile_analyze(&p, &o);
    profile_suspects(&p, &o, &fl);
    if (fl.len != 0) bad("--module restricts user code", "%zu findings", fl.len);
    else ok("--module restricts user code");
    finding_list_free(&fl);
    o.nmodules = 0;
    o.min_count = 2;
    o.min_confidence = CONF_LOW;
    profile_analyze(&p, &o);
    profile_suspects(&p, &o, &fl);
    if (fl.len != 2) bad("--min-count 2 finds the pair", "%zu findings", fl.len);
    else ok("--min-count 2 finds the pair");
    finding_list_free(&fl);
    profile_free(&p);
    buf_free(&b);
}

static void test_debug1(void)
{
    const char *t = "goroutine profile: total 9\n"
                    "5 @ 0x43b256 0x40708c 0x406c3d 0x67113b 0x46b221\n"
                    "#\t0x67113a\tmain.leakSend+0x3a\t/app/main.go:22\n\n"
                    "3 @ 0x43b256 0x44c11e 0x4672c5 0x472f92 0x46b221\n"
                    "# labels: {\"b\":\"2\", \"a\":\"1\"}\n"
                    "#\t0x4672c4\tsync.runtime_Semacquire+0x24\t\t/go/src/runtime/sema.go:62\n"
                    "#\t0x472f91\tsync.(*WaitGroup).Wait+0x51\t\t/go/src/sync/waitgroup.go:139\n\n"
                    "1 @ 0x477f27 0x46b221\n"
                    "#\t0x477f26\tmain.spin+0x26\t/app/main.go:68\n";
    struct profile p;
    struct profile_diag d;
    if (!parse(&p, t, strlen(t), &d)) {
        bad("debug=1", "%s", d.msg);
        return;
    }
    const struct profile_group *s = group_with(&p, "main.leakSend"), *w = group_with(&p, "sync.(*WaitGroup).Wait"),
                               *r = group_with(&p, "main.spin");
    if (p.total != 9 || !s || s->count != 5 || strcmp(gstate(&p, s), "chan/select") || strcmp(gstate(&p, w), "sync.WaitGroup.Wait") ||
        strcmp(gstate(&p, r), "running") || w->labels.len != 1 || strcmp(p.labels.items[w->labels.items[0].labels], "a=1, b=2"))
        bad("debug=1 parked-pc calibration and labels", "states %s/%s/%s", gstate(&p, s), gstate(&p, w), gstate(&p, r));
    else ok("debug=1 parked-pc calibration and labels");
    profile_free(&p);
    /* header total not reached: truncated */
    char *cut = xstrndup(t, strlen(t) - 60);
    if (!parse(&p, cut, strlen(cut), &d) || !p.truncated) bad("debug=1 truncated", "%s", d.msg);
    else ok("debug=1 truncated");
    profile_free(&p);
    free(cut);
}

/* protobuf writer for tests */
static void pv(struct buf *b, uint64_t v)
{
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        if (v) c |= 0x80;
        buf_putc(b, (char)c);
    } while (v);
}
static void pkey(struct buf *b, int f, int wt) { pv(b, (uint64_t)(f << 3 | wt)); }
static void pbytes(struct buf *b, int f, const struct buf *m)
{
    pkey(b, f, 2);
    pv(b, m->len);
    buf_append(b, m->data ? m->data : "", m->len);
}
static void pstr(struct buf *b, int f, const char *s)
{
    struct buf m = {0};
    buf_puts(&m, s);
    pbytes(b, f, &m);
    buf_free(&m);
}

static void build_proto(struct buf *out, bool packed)
{
    /* strings: 0 "", 1 goroutine, 2 count, 3 runtime.gopark, 4 runtime.chanrecv1, 5 main.w, 6 /x/m.go,
     * 7 proc.go, 8 k, 9 v */
    const char *strs[] = {"", "goroutine", "count", "runtime.gopark", "runtime.chanrecv1", "main.w", "/x/m.go", "proc.go", "k", "v"};
    struct buf m = {0};
    pkey(&m, 1, 0), pv(&m, 1), pkey(&m, 2, 0), pv(&m, 2);
    pbytes(out, 1, &m); /* sample_type */
    m.len = 0;
    if (packed) {
        struct buf l = {0};
        pv(&l, 1), pv(&l, 2), pv(&l, 3);
        pbytes(&m, 1, &l);
        l.len = 0;
        pv(&l, 7);
        pbytes(&m, 2, &l);
        buf_free(&l);
    } else {
        pkey(&m, 1, 0), pv(&m, 1), pkey(&m, 1, 0), pv(&m, 2), pkey(&m, 1, 0), pv(&m, 3);
        pkey(&m, 2, 0), pv(&m, 7);
    }
    struct buf lab = {0};
    pkey(&lab, 1, 0), pv(&lab, 8), pkey(&lab, 2, 0), pv(&lab, 9);
    pbytes(&m, 3, &lab);
    buf_free(&lab);
    pbytes(out, 2, &m); /* sample */
    int fn_of_loc[] = {0, 1, 2, 3};
    for (int loc = 1; loc <= 3; loc++) {
        m.len = 0;
        pkey(&m, 1, 0), pv(&m, (uint64_t)loc);
        struct buf ln = {0};
        pkey(&ln, 1, 0), pv(&ln, (uint64_t)fn_of_loc[loc]), pkey(&ln, 2, 0), pv(&ln, (uint64_t)(10 * loc));
        pbytes(&m, 4, &ln);
        buf_free(&ln);
        pbytes(out, 4, &m);
    }
    int names[] = {0, 3, 4, 5}, files[] = {0, 7, 7, 6};
    for (int f = 1; f <= 3; f++) {
        m.len = 0;
        pkey(&m, 1, 0), pv(&m, (uint64_t)f), pkey(&m, 2, 0), pv(&m, (uint64_t)names[f]), pkey(&m, 4, 0), pv(&m, (uint64_t)files[f]);
        pbytes(out, 5, &m);
    }
    for (size_t i = 0; i < GD_ARRAY_LEN(strs); i++) pstr(out, 6, strs[i]);
    buf_free(&m);
}

static void test_proto(void)
{
    for (int packed = 0; packed < 2; packed++) {
        struct buf raw = {0};
        build_proto(&raw, packed);
        /* gzip it */
        uLongf cap = compressBound(raw.len) + 64;
        unsigned char *gz = xmalloc(cap);
        z_stream zs;
        memset(&zs, 0, sizeof(zs));
        deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
        zs.next_in = (unsigned char *)raw.data;
        zs.avail_in = (uInt)raw.len;
        zs.next_out = gz;
        zs.avail_out = (uInt)cap;
        deflate(&zs, Z_FINISH);
        size_t gzn = zs.total_out;
        deflateEnd(&zs);
        const char *name = packed ? "proto packed fields, gzipped" : "proto unpacked fields, gzipped";
        struct profile p;
        struct profile_diag d;
        if (!parse(&p, (const char *)gz, gzn, &d)) {
            bad(name, "%s", d.msg);
        } else {
            const struct profile_group *g = group_with(&p, "main.w");
            if (p.format != PROF_FMT_PROTO || p.total != 7 || !g || g->nframes != 1 || strcmp(gstate(&p, g), "chan receive") ||
                g->labels.len != 1 || strcmp(p.labels.items[g->labels.items[0].labels], "k=v"))
                bad(name, "total %zu state %s", p.total, gstate(&p, g));
            else ok(name);
            profile_free(&p);
        }
        /* the raw (not gzipped) proto too */
        if (!parse(&p, raw.data, raw.len, &d) || p.total != 7) bad("raw proto", "%s", d.msg);
        else if (packed) ok("raw proto");
        profile_free(&p);
        /* every truncation of the gzip: an error or a result, never a crash */
        bool crash_free = true;
        for (size_t n = 0; n < gzn; n++) {
            if (parse(&p, (const char *)gz, n, &d) && p.total > 7) crash_free = false;
            profile_free(&p);
        }
        /* every truncation of the raw protobuf */
        for (size_t n = 1; n < raw.len; n++) {
            if (parse(&p, raw.data, n, &d) && p.total > 7) crash_free = false;
            profile_free(&p);
        }
        if (packed) {
            if (crash_free) ok("proto truncations");
            else bad("proto truncations", "more goroutines than written");
        }
        free(gz);
        buf_free(&raw);
    }
}

static void test_errors(void)
{
    struct {
        const char *name, *in;
        const char *want;
    } cases[] = {
        {"empty input", "", "empty input"},
        {"blank input", "\n\n  \n", "not a goroutine dump"},
        {"text without goroutines", "hello\nworld\n", "not a goroutine dump"},
        {"frames without a header", "hello\nmain.f()\n\t/x.go:1 +0x1\n", "garbled"},
        {"garbled frame", "goroutine 1 [running]:\nmain.f()\n@@@\n\t/x.go:1\n", "garbled"},
        {"threadcreate profile", "threadcreate profile: total 3\n3 @\n", "not a goroutine profile"},
        {"binary", "\x01\x02\x03\x00zz", "not a goroutine dump"},
    };
    for (size_t i = 0; i < GD_ARRAY_LEN(cases); i++) {
        struct profile p;
        struct profile_diag d;
        /* the binary case has a NUL inside: its length is that of the literal */
        size_t n = cases[i].in[0] == 1 ? 6 : strlen(cases[i].in);
        bool r = parse(&p, cases[i].in, n, &d);
        if (r || !strstr(d.msg, cases[i].want)) bad(cases[i].name, "parsed=%d msg '%s'", r, d.msg);
        else ok(cases[i].name);
        profile_free(&p);
    }
    /* a dump cut inside a line still reports what it read */
    const char *t = "goroutine 1 [chan send]:\nmain.f()\n\t/x.go:1 +0x1\n\ngoroutine 2 [chan send]:\nmain.g()\n\t/x.g";
    struct profile p;
    struct profile_diag d;
    if (!parse(&p, t, strlen(t), &d) || !p.truncated || p.total != 2) bad("cut inside a line", "%s total %zu", d.msg, p.total);
    else ok("cut inside a line");
    profile_free(&p);
    /* every prefix of the header dump parses or fails cleanly */
    size_t n = strlen(headers), worst = 0;
    for (size_t k = 0; k <= n; k++) {
        if (parse(&p, headers, k, &d) && p.total > worst) worst = p.total;
        profile_free(&p);
    }
    if (worst > 6) bad("every prefix of a dump", "%zu goroutines", worst);
    else ok("every prefix of a dump");
}

static void test_url(void)
{
    struct {
        const char *in, *want;
    } c[] = {
        {"http://h/debug/pprof/goroutine", "http://h/debug/pprof/goroutine?debug=2"},
        {"http://h/debug/pprof/goroutine?x=1", "http://h/debug/pprof/goroutine?x=1&debug=2"},
        {"http://h/debug/pprof/goroutine?debug=1", "http://h/debug/pprof/goroutine?debug=1"},
        {"http://h/p?a=1&debug=0", "http://h/p?a=1&debug=0"},
    };
    for (size_t i = 0; i < GD_ARRAY_LEN(c); i++) {
        char *u = profile_url_with_debug(c[i].in, 2);
        if (strcmp(u, c[i].want)) {
            bad("url debug parameter", "%s -> %s", c[i].in, u);
            free(u);
            return;
        }
        free(u);
    }
    ok("url debug parameter");
}

static void test_diff(void)
{
    const char *a = "goroutine 1 [chan send]:\nmain.f()\n\t/x/m.go:5 +0x1\n\n";
    struct buf b = {0};
    for (int i = 0; i < 5; i++) buf_printf(&b, "goroutine %d [chan send]:\nmain.f()\n\t/x/m.go:5 +0x1\n\n", i + 1);
    buf_puts(&b, "goroutine 9 [IO wait]:\nmain.g()\n\t/x/m.go:9 +0x1\n\n");
    struct profile pa, pb;
    struct profile_diag d;
    if (!parse(&pa, a, strlen(a), &d) || !parse(&pb, b.data, b.len, &d)) {
        bad("diff", "%s", d.msg);
        return;
    }
    struct profile_diff df;
    profile_diff_compute(&pa, &pb, &df);
    struct profile_opts o;
    profile_opts_default(&o);
    struct finding_list fl = {0};
    profile_diff_suspects(&pa, &pb, &df, &o, &fl);
    if (df.sites.len != 2 || df.sites.items[0].after - df.sites.items[0].before != 4 || fl.len != 1 ||
        strcmp(fl.items[0].rule_id, "GD902") || !strstr(fl.items[0].message, "(+4)"))
        bad("diff growth", "%zu rows %zu findings", df.sites.len, fl.len);
    else ok("diff growth");
    finding_list_free(&fl);
    profile_diff_free(&df);
    profile_free(&pa);
    profile_free(&pb);
    buf_free(&b);
}

void test_profile_all(int *passed, int *failed);
void test_profile_all(int *passed, int *failed)
{
    g_passed = passed;
    g_failed = failed;
    test_headers();
    test_classify();
    test_suspects();
    test_debug1();
    test_proto();
    test_errors();
    test_url();
    test_diff();
}
