/* rules/fieldrace: races across methods (racelib.h, race_report_fields).
 * A field class T.f (model/access.h) with an access in a goroutine the
 * package starts and a write elsewhere that can run at the same time: the
 * spawner (or a caller of it) goes on to the write after the go statement,
 * or the write is in exported API of an exported type. Silent when both
 * places hold a lock of the same class, when the writer first receives or
 * waits, when a channel field orders the two (a send or close after one,
 * a receive before the other), and for writes that publish: in a
 * constructor (a function that makes the T), before the go statement,
 * inside sync.Once.Do. The constructor-started medium case is low for
 * methods the package shows run before or apart from the goroutine
 * (setup_only_method). Also here: map fields across exported API and
 * observer callbacks against request handlers (racelib.h). */
#include <stdlib.h>
#include <string.h>

#include "../model/access.h"
#include "../model/objects.h"
#include "../model/summary.h"
#include "racelib.h"

/* Does decl (file fi) make a value of type tn: `T{...}`, `&T{...}`,
 * `new(T)`, or (by_name) is it named new.../New...? Writes there publish. */
static bool makes_type(const struct gofile *f, nid decl, const char *tn, bool by_name)
{
    nid name = ast_child(f, decl, F_NAME);
    struct str n = name ? ast_text(f, name) : (struct str){0};
    if (by_name && n.n >= 3 && (!memcmp(n.p, "new", 3) || !memcmp(n.p, "New", 3))) return true;
    for (nid k = decl; k < f->nodes[decl].end; k++) {
        nid t = 0;
        if (ast_kind(f, k) == N_COMPOSITE_LITERAL) t = ast_child(f, k, F_TYPE);
        else if (ast_kind(f, k) == N_CALL_EXPRESSION && ast_text_is(f, ast_child(f, k, F_FUNCTION), "new"))
            t = ast_first_child(f, ast_child(f, k, F_ARGUMENTS));
        if (t && ast_text_is(f, t, tn)) return true;
    }
    return false;
}

/* Is method decl's receiver a pointer (writes through a value receiver
 * change a copy)? */
static bool pointer_receiver(const struct gofile *f, nid decl)
{
    nid recv = ast_kind(f, decl) == N_METHOD_DECLARATION ? ast_child(f, decl, F_RECEIVER) : 0;
    nid pd = recv ? ast_first_child(f, recv) : 0;
    nid ty = pd ? ast_unparen(f, ast_child(f, pd, F_TYPE)) : 0;
    return ty && ast_kind(f, ty) == N_POINTER_TYPE;
}

/* Does decl (file fi) call Lock or RLock anywhere? */
static bool locks_somewhere(struct pkg *p, int fi, nid decl)
{
    const struct gofile *f = &p->files[fi];
    for (nid k = decl; k < f->nodes[decl].end; k++) {
        const char *cls;
        bool acquire;
        if (ast_kind(f, k) == N_CALL_EXPRESSION && model_lock_call_class(p, fi, decl, k, &cls, &acquire) && acquire)
            return true;
    }
    return false;
}


/* Is expression x (file fi) the receiver of method declaration decl? */
static bool is_receiver(struct pkg *p, int fi, nid x, nid decl)
{
    const struct gofile *f = &p->files[fi];
    nid recv = rl_receiver_name(f, decl), d, name;
    x = ast_unparen(f, x);
    return recv && ast_kind(f, x) == N_IDENTIFIER && model_resolve_local(p, fi, x, &d, &name) && name == recv;
}

/* Is access a made through the receiver of the method around it
 * (`s.f` in `func (s *T) m()`, or in a func literal inside it)? */
static bool on_receiver(struct pkg *p, const struct field_access *a)
{
    return is_receiver(p, a->fi, ast_child(&p->files[a->fi], a->node, F_OPERAND), a->decl);
}

/* Is the goroutine of go statement `go` (file go_fi) started on the
 * receiver of the method around it: `go s.loop()`, or a func literal
 * inside a method (which reaches the object through the receiver)? */
static bool started_on_receiver(struct pkg *p, int go_fi, nid go, const char *tn)
{
    const struct gofile *f = &p->files[go_fi];
    nid decl = model_enclosing_decl(f, go);
    if (!decl) return false;
    nid call = ast_unparen(f, ast_first_child(f, go));
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    /* a constructor starting the new object's goroutine: `go c.loop()`
     * on the T it makes, or a go literal in it */
    if (ast_kind(f, decl) == N_FUNCTION_DECLARATION) {
        if (!makes_type(f, decl, tn, true)) return false;
        if (ast_kind(f, fe) == N_FUNC_LITERAL) return true;
        const char *xt =
            ast_kind(f, fe) == N_SELECTOR_EXPRESSION ? ltype_own_name(model_type_of(p, go_fi, ast_child(f, fe, F_OPERAND))) : NULL;
        return xt && !strcmp(xt, tn);
    }
    if (ast_kind(f, decl) != N_METHOD_DECLARATION) return false;
    if (ast_kind(f, fe) == N_FUNC_LITERAL) return true;
    if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION && is_receiver(p, go_fi, ast_child(f, fe, F_OPERAND), decl)) return true;
    /* go every(d, s.tick): a method value of the receiver handed on */
    AST_FOR_CHILDREN(f, ast_child(f, call, F_ARGUMENTS), a)
    {
        nid v = ast_unparen(f, a);
        if (ast_kind(f, v) == N_SELECTOR_EXPRESSION && is_receiver(p, go_fi, ast_child(f, v, F_OPERAND), decl))
            return true;
    }
    return false;
}

/* Is the function named ...Locked / ...locked: called with a lock held by
 * contract, which the dataflow does not see? */
static bool lock_contract(const struct gofile *f, nid decl)
{
    nid name = ast_child(f, decl, F_NAME);
    return name && model_name_says_locked(ast_text(f, name));
}

enum { MAX_HELD = 8 };

/* The lock classes held at access a: by its function on every path, or
 * (when its function takes none there) at every call of its function in
 * the package, one call up (nats' helpers that run under the caller's
 * mu.Lock). Up to max into out; returns the count. */
static int held_at(struct pkg *p, const struct field_access *a, const char **out, int max)
{
    struct held_lock h[MAX_HELD];
    int n = model_locks_held_at(p, a->fi, a->fn, a->node, h, MAX_HELD), k = 0;
    for (int i = 0; i < n && k < max; i++)
        if (h[i].cls) out[k++] = h[i].cls;
    if (k || a->fn != a->decl) return k;
    int d = pkg_decl_index(p, a->fi, a->decl);
    if (d < 0) return 0;
    const char *name = p->decls[d].name;
    int ncalls = 0;
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        if (!memmem(f->src, f->len, name, strlen(name))) continue;
        for (nid c = 1; c < f->nnodes; c++) {
            if (ast_kind(f, c) != N_CALL_EXPRESSION || model_callee(p, fi, c) != d) continue;
            nid fn = model_enclosing_func(f, c);
            int m = fn ? model_locks_held_at(p, fi, fn, c, h, MAX_HELD) : 0;
            if (ncalls++ == 0) {
                for (int i = 0; i < m && k < max; i++)
                    if (h[i].cls) out[k++] = h[i].cls;
            } else {
                /* keep what every call holds */
                int kept = 0;
                for (int i = 0; i < k; i++) {
                    bool all = false;
                    for (int j = 0; j < m && !all; j++) all = h[j].cls && !strcmp(h[j].cls, out[i]);
                    if (all) out[kept++] = out[i];
                }
                k = kept;
            }
            if (!k) return 0;
        }
    }
    return ncalls ? k : 0;
}

/* Do the locks held at a and b share a class? */
static bool common_lock(struct pkg *p, const struct field_access *a, const struct field_access *b)
{
    const char *ha[MAX_HELD], *hb[MAX_HELD];
    int na = held_at(p, a, ha, MAX_HELD);
    if (!na) return false;
    int nb = held_at(p, b, hb, MAX_HELD);
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            if (!strcmp(ha[i], hb[j])) return true;
    return false;
}

/* Does a channel field of the package order access a before access b:
 * after a, in a's function, a send on it or a close of it, and before b,
 * in b's function, a receive from it or a range over it (`s.x = v; s.kick
 * <- struct{}{}` against `<-s.kick; use(s.x)`)? Positions are compared in
 * source order; a loop around either is not looked at. */
static bool chan_orders(const struct obj_model *m, const struct field_access *a, const struct field_access *b)
{
    for (int c = 0; c < m->n; c++) {
        const struct obj_class *k = &m->classes[c];
        if (k->kind != OBJ_CHAN) continue;
        bool after_a = false, before_b = false;
        for (int u = 0; u < k->nuses && !(after_a && before_b); u++) {
            const struct obj_use *x = &k->uses[u];
            if ((x->op == OO_SEND || x->op == OO_CLOSE) && x->fi == a->fi && x->fn == a->fn && x->node > a->node)
                after_a = true;
            if ((x->op == OO_RECV || x->op == OO_RANGE) && x->fi == b->fi && x->fn == b->fn && x->node < b->node)
                before_b = true;
        }
        if (after_a && before_b) return true;
    }
    return false;
}

/* Is the exported method around access w (file w->fi) one that, as far
 * as the package shows, runs before or apart from the goroutine that the
 * constructor (declaration around go statement `go`, file go_fi) starts:
 * named ...ForTest(ing) (a test hook on whatever value the test made),
 * or, when w writes, a method whose name appears in the package's
 * non-test files only in calls made by the constructor before `go` (the
 * write then happens before the goroutine exists), or only in tests? A
 * method the package never names at all is API for other packages
 * (gouroboros's RegisterProtocol), and a getter polled by other packages
 * while the goroutine writes is left alone. */
static bool setup_only_method(struct pkg *p, const struct field_access *w, int go_fi, nid go)
{
    const struct gofile *wf = &p->files[w->fi];
    nid nm = ast_child(wf, w->decl, F_NAME);
    if (!nm) return false;
    struct str name = ast_text(wf, nm);
    if ((name.n > 7 && !memcmp(name.p + name.n - 7, "ForTest", 7)) ||
        (name.n > 10 && !memcmp(name.p + name.n - 10, "ForTesting", 10)))
        return true;
    if (!w->write) return false;
    const struct gofile *gf = &p->files[go_fi];
    nid sd = model_enclosing_decl(gf, go);
    /* an exported method nothing in the package calls, not even a test, is
     * API for other packages, which call it while the goroutine runs
     * (gouroboros's RegisterProtocol): not setup-only */
    bool used = false;
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        if (!memmem(f->src, f->len, name.p, name.n)) continue;
        bool test = pkg_is_test_file(f);
        for (nid k = 1; k < f->nnodes; k++) {
            enum node_kind kk = ast_kind(f, k);
            if ((kk != N_IDENTIFIER && kk != N_FIELD_IDENTIFIER) || (fi == w->fi && k == nm)) continue;
            if (!str_eqs(ast_text(f, k), name)) continue;
            used = true;
            if (test) break;
            /* a call in the constructor, before its go statement */
            nid sel = ast_parent(f, k), call = sel ? ast_parent(f, sel) : 0;
            bool early = fi == go_fi && sd && ast_contains(f, sd, k) && f->nodes[k].start_byte < f->nodes[go].start_byte &&
                         ast_kind(f, sel) == N_SELECTOR_EXPRESSION && call && ast_kind(f, call) == N_CALL_EXPRESSION &&
                         f->nodes[sel].field == F_FUNCTION && !rl_enclosing_loop(f, k);
            if (!early) return false;
        }
    }
    return used;
}

/* Why write w can run while the goroutine access g does, or NULL. */
static const char *concurrent(struct pkg *p, const struct field_access *w, const struct field_access *g, nid go,
                              int go_fi, const char *type, enum confidence *conf)
{
    *conf = CONF_LOW;
    const struct gofile *wf = &p->files[w->fi];
    if (model_waits_between(wf, w->decl, w->node)) return NULL; /* it may join the goroutine first */
    if (go && model_spawner_goes_on(p, go_fi, go, w->fi, w->fn, w->node)) {
        /* in the spawner or a method it calls: GD601's own race_find
         * reports it, from the go statement */
        const struct gofile *gf = &p->files[go_fi];
        nid sd = model_enclosing_decl(gf, go);
        int wd = pkg_decl_index(p, w->fi, w->decl);
        bool local = go_fi == w->fi && sd == w->decl;
        for (nid k = sd; !local && wd >= 0 && k < gf->nodes[sd].end; k++)
            local = ast_kind(gf, k) == N_CALL_EXPRESSION && model_callee(p, go_fi, k) == wd;
        return local ? NULL : "the function that started the goroutine, or its caller, goes on to this access";
    }
    if (go && go_fi == w->fi && ast_contains(wf, w->decl, go)) return NULL; /* the spawner, before or joined */
    /* exported API of a type that expects concurrent callers: the method
     * takes a lock itself, but not around this access */
    if (!pkg_is_exported_api(p, w->fi, w->decl)) return NULL;
    /* the constructor started the goroutine: every method called on what
     * it returns runs while the goroutine does */
    const struct gofile *gf = &p->files[go_fi];
    nid sd = go ? model_enclosing_decl(gf, go) : 0;
    if (sd && ast_kind(gf, sd) == N_FUNCTION_DECLARATION && makes_type(gf, sd, type, false) && pointer_receiver(wf, w->decl)) {
        struct str cn = ast_text(gf, ast_child(gf, sd, F_NAME));
        /* medium when the write holds no lock at all; one that does
         * may be paired with a goroutine access whose lock a caller
         * further up takes */
        const char *held[MAX_HELD];
        if (!held_at(p, w, held, MAX_HELD) && !setup_only_method(p, w, go_fi, go)) *conf = CONF_MEDIUM;
        return arena_printf(&p->arena, "%.*s starts the goroutine as it makes the %s, so an exported method runs "
                                       "while it does",
                            (int)cn.n, cn.p, type);
    }
    if (locks_somewhere(p, w->fi, w->decl))
        return "an exported method that locks elsewhere in its body can be called while the goroutine runs";
    const char *held[MAX_HELD];
    if (held_at(p, g, held, MAX_HELD))
        return "the goroutine holds a lock at its access, this exported method does not";
    return NULL;
}

/* What one access is, for pairing: on the receiver of its method and
 * not under a lock contract (else not judged), in a goroutine, and the go
 * statement that starts that goroutine on the object (0 when none). */
struct acc_info {
    bool judged, in_go;
    nid go;
    int go_fi;
};

/* Does decl d call decl target, directly or through one function? */
static bool calls_within_two(struct pkg *p, int d, int target)
{
    const struct gofile *f = &p->files[p->decls[d].file];
    nid n = p->decls[d].node;
    for (nid k = n; k < f->nodes[n].end; k++) {
        int c = ast_kind(f, k) == N_CALL_EXPRESSION ? model_callee(p, p->decls[d].file, k) : -1;
        if (c < 0) continue;
        if (c == target) return true;
        const struct gofile *cf = &p->files[p->decls[c].file];
        nid cn = p->decls[c].node;
        for (nid q = cn; q < cf->nodes[cn].end; q++)
            if (ast_kind(cf, q) == N_CALL_EXPRESSION && model_callee(p, p->decls[c].file, q) == target) return true;
    }
    return false;
}

/* The go statement of a function the package starts that reaches access
 * a's method within two calls (a goroutine's helper), or 0. */
static nid deep_spawn(struct pkg *p, const struct obj_model *m, const struct field_access *a, int *go_fi)
{
    if (a->fn != a->decl) return 0;
    int target = pkg_decl_index(p, a->fi, a->decl);
    for (int i = 0; target >= 0 && i < m->nspawns; i++) {
        int d = (int)(m->spawns[i].decl - p->decls);
        if (d == target || calls_within_two(p, d, target)) {
            *go_fi = m->spawns[i].go_fi;
            return m->spawns[i].go;
        }
    }
    return 0;
}

static void access_info(struct pkg *p, const struct obj_model *m, const struct field_access *a, const char *tn,
                        struct acc_info *out)
{
    const struct gofile *f = &p->files[a->fi];
    bool recv = on_receiver(p, a);
    /* a function named ...Locked runs under its caller's lock: not judged
     * where it is the racing access, but a goroutine's access there counts
     * (held_at finds the callers' lock) */
    out->judged = recv && !lock_contract(f, a->decl);
    out->in_go = recv && objects_in_goroutine(p, m, a->fi, a->fn);
    out->go = 0;
    out->go_fi = a->fi;
    if (out->in_go && !pkg_is_test_file(f)) {
        nid go = model_start_site(p, a->fi, a->fn, &out->go_fi);
        if (!go) go = deep_spawn(p, m, a, &out->go_fi);
        if (go && !pkg_is_test_file(&p->files[out->go_fi]) && started_on_receiver(p, out->go_fi, go, tn)) out->go = go;
    }
}

/* The access infos of every class of the package (by class, then
 * access), computed once per package and kept in its rule cache; a class
 * with no goroutine started on the object gets NULL. */
static struct acc_info **package_infos(struct pkg *p, const struct access_table *t, const struct obj_model *m)
{
    if (p->rule_cache[PKG_CACHE_FIELD_RACES]) return p->rule_cache[PKG_CACHE_FIELD_RACES];
    struct acc_info **all = arena_alloc(&p->arena, sizeof(*all) * (size_t)(t->n + 1));
    for (int c = 0; c < t->n; c++) {
        const struct field_class *fc = &t->classes[c];
        struct acc_info *info = arena_alloc(&p->arena, sizeof(*info) * (size_t)fc->nacc);
        bool any_go = false;
        for (int i = 0; i < fc->nacc; i++) {
            access_info(p, m, &fc->acc[i], fc->type, &info[i]);
            any_go |= info[i].go != 0;
        }
        all[c] = any_go ? info : NULL;
    }
    p->rule_cache[PKG_CACHE_FIELD_RACES] = all;
    return all;
}

void race_report_fields(struct rule_ctx *ctx, enum race_kind kind)
{
    struct pkg *p = ctx->pkg;
    if (rl_is_test_file(ctx->f)) return;
    const struct access_table *t = access_of(p);
    const struct obj_model *m = rl_objects(ctx);
    if (!m) return;
    struct acc_info **infos = package_infos(p, t, m);
    for (int c = 0; c < t->n; c++) {
        const struct field_class *fc = &t->classes[c];
        const struct acc_info *info = infos[c];
        bool here = false;
        for (int i = 0; info && i < fc->nacc && !here; i++) here = fc->acc[i].fi == ctx->fi;
        bool done = !here;
        for (int i = 0; i < fc->nacc && !done; i++) {
            const struct field_access *w = &fc->acc[i];
            const struct gofile *wf = &p->files[w->fi];
            if (w->fi != ctx->fi || !info[i].judged || info[i].in_go) continue;
            if (rl_in_once_do(wf, w->node) || makes_type(wf, w->decl, fc->type, true)) continue;
            for (int j = 0; j < fc->nacc && !done; j++) {
                const struct field_access *g = &fc->acc[j];
                if (!info[j].go || (!w->write && !g->write)) continue;
                /* a map's contents on both sides: GD602's; else GD601's */
                if ((kind == RACE_MAP) != (fc->map && w->elem && g->elem)) continue;
                nid go = info[j].go;
                int go_fi = info[j].go_fi;
                enum confidence conf;
                const char *why = concurrent(p, w, g, go, go_fi, fc->type, &conf);
                if (!why || common_lock(p, w, g) || chan_orders(m, w, g) || chan_orders(m, g, w)) continue;
                const struct gofile *gf = &p->files[g->fi];
                struct str wt = ast_text(wf, w->node);
                if (wt.n > 60) wt.n = 60;
                struct finding *fd = rule_report_conf(
                    ctx, w->node, conf,
                    "%s%.*s is %s here while a goroutine of the package %s it (%s:%u), with no lock held at both "
                    "places: %s, so this is %s",
                    kind == RACE_MAP ? "map " : "", (int)wt.n, wt.p, w->write ? "written" : "read",
                    g->write ? "writes" : "reads", rl_base_name(gf->path), gf->nodes[g->node].line, why,
                    kind == RACE_MAP ? "a concurrent map access, which the runtime stops with a fatal error"
                                     : "a data race");
                rule_related_in(ctx, fd, g->fi, g->node, "the goroutine's %s", g->write ? "write" : "read");
                rule_related_in(ctx, fd, go_fi, go, "the goroutine starts here");
                fd->fix = xasprintf("guard %.*s with the mutex the goroutine takes, make it atomic, or hand the new "
                                    "value to the goroutine on a channel",
                                    (int)wt.n, wt.p);
                done = true;
            }
        }
    }
}

/* Is method decl (file fi) API a user of the package can call: an
 * exported method of an exported type, or of a type that an exported
 * function of the package returns (`func New() *store`)? */
static bool api_method(struct pkg *p, int fi, nid decl)
{
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, decl) != N_METHOD_DECLARATION) return false;
    if (pkg_is_exported_api(p, fi, decl)) return true;
    nid name = ast_child(f, decl, F_NAME);
    int d = pkg_decl_index(p, fi, decl);
    const char *recv = d >= 0 ? p->decls[d].recv_type : NULL;
    if (!name || !model_is_exported(ast_text(f, name)) || !recv) return false;
    for (int i = 0; i < p->ndecls; i++) {
        const struct pkg_decl *x = &p->decls[i];
        if (x->what != PD_FUNC || !model_is_exported(str_make(x->name, strlen(x->name)))) continue;
        const struct gofile *xf = &p->files[x->file];
        nid res = ast_child(xf, x->node, F_RESULT);
        for (nid k = res; res && k < xf->nodes[res].end; k++)
            if (ast_kind(xf, k) == N_TYPE_IDENTIFIER && ast_text_is(xf, k, recv)) return true;
    }
    return false;
}

/* The API method of the access's type that locks somewhere (so its
 * callers run it from several goroutines) and is, or reaches within two
 * calls, the method of read access r; -1 when none. */
static int concurrent_reader(struct pkg *p, const struct field_access *r, const char *type)
{
    int rd = pkg_decl_index(p, r->fi, r->decl);
    if (rd < 0) return -1;
    for (int i = 0; i < p->ndecls; i++) {
        const struct pkg_decl *x = &p->decls[i];
        if (x->what != PD_METHOD || !x->recv_type || strcmp(x->recv_type, type)) continue;
        if (!api_method(p, x->file, x->node) || !locks_somewhere(p, x->file, x->node)) continue;
        if (i == rd || calls_within_two(p, i, rd)) return i;
    }
    return -1;
}

/* Calls judge(ctx, class) for each class of the package's access table
 * that is a map (maps) or has an observer callback's write (!maps), and
 * that no goroutine of the package is started on (race_report_fields
 * judges those); not in test files. */
static void for_plain_classes(struct rule_ctx *ctx, bool maps,
                              void (*judge)(struct rule_ctx *ctx, const struct field_class *fc))
{
    if (rl_is_test_file(ctx->f)) return;
    const struct access_table *t = access_of(ctx->pkg);
    const struct obj_model *m = rl_objects(ctx);
    struct acc_info **infos = m ? package_infos(ctx->pkg, t, m) : NULL;
    for (int c = 0; c < t->n; c++)
        if ((maps ? t->classes[c].map : t->classes[c].hook) && !(infos && infos[c])) judge(ctx, &t->classes[c]);
}

/* race_report_api_maps for map class fc: its first write in file ctx->fi
 * that races with a concurrently called reader. */
static void judge_api_map(struct rule_ctx *ctx, const struct field_class *fc)
{
    struct pkg *p = ctx->pkg;
    for (int i = 0; i < fc->nacc; i++) {
        const struct field_access *w = &fc->acc[i];
        const struct gofile *wf = &p->files[w->fi];
        if (w->fi != ctx->fi || !w->write || w->fn != w->decl || !on_receiver(p, w) || lock_contract(wf, w->decl))
            continue;
        if (rl_in_once_do(wf, w->node) || makes_type(wf, w->decl, fc->type, true)) continue;
        if (!api_method(p, w->fi, w->decl) || !pointer_receiver(wf, w->decl)) continue;
        struct ltype *rt = model_type_of(p, w->fi, ast_child(wf, w->node, F_OPERAND));
        const char *lock = rl_lock_in_type(p, rt && rt->kind == LT_POINTER ? rt->elem : rt);
        if (!lock || (strcmp(lock, "sync.Mutex") && strcmp(lock, "sync.RWMutex"))) continue;
        const char *held[MAX_HELD];
        if (held_at(p, w, held, MAX_HELD) || model_waits_between(wf, w->decl, w->node)) continue;
        for (int j = 0; j < fc->nacc; j++) {
            const struct field_access *r = &fc->acc[j];
            if (r->write || r->decl == w->decl || !on_receiver(p, r) || lock_contract(&p->files[r->fi], r->decl))
                continue;
            if (held_at(p, r, held, MAX_HELD)) continue;
            int api = concurrent_reader(p, r, fc->type);
            if (api < 0) continue;
            const struct gofile *rf = &p->files[r->fi];
            struct str wt = ast_text(wf, w->node);
            if (wt.n > 60) wt.n = 60;
            int rd = pkg_decl_index(p, r->fi, r->decl);
            const char *via = rd >= 0 && rd != api ? arena_printf(&p->arena, "through %s, ", p->decls[rd].name) : "";
            struct finding *fd = rule_report_conf(
                ctx, w->node, CONF_LOW,
                "map %.*s is written here with no lock, while %s reads it (%s%s:%u) with none: %s locks the "
                "%s's %s elsewhere, so its callers run it from several goroutines, and a call of this method "
                "meanwhile is a concurrent map read and map write (a fatal error)",
                (int)wt.n, wt.p, p->decls[api].name, via, rl_base_name(rf->path), rf->nodes[r->node].line,
                p->decls[api].name, fc->type, lock);
            rule_related_in(ctx, fd, r->fi, r->node, "the unlocked read");
            rule_related_in(ctx, fd, p->decls[api].file, p->decls[api].node, "%s, called concurrently",
                            p->decls[api].name);
            fd->fix = xasprintf("guard %.*s with the %s's mutex on both sides", (int)wt.n, wt.p, fc->type);
            return;
        }
    }
}

/* Is method decl (file fi) a request handler: exported, with a
 * context.Context first parameter? */
static bool ctx_method(struct pkg *p, int fi, nid decl)
{
    const struct gofile *f = &p->files[fi];
    nid name = ast_child(f, decl, F_NAME);
    if (ast_kind(f, decl) != N_METHOD_DECLARATION || !name || !model_is_exported(ast_text(f, name))) return false;
    return ltype_is(rl_param_type(p, fi, decl, 0), "context", "Context", false);
}

/* race_report_hook_writes for class fc: its first write in file ctx->fi,
 * in an observer callback, that a request handler reads. */
static void judge_hook_writes(struct rule_ctx *ctx, const struct field_class *fc)
{
    struct pkg *p = ctx->pkg;
    for (int i = 0; i < fc->nacc; i++) {
        const struct field_access *w = &fc->acc[i];
        const struct gofile *wf = &p->files[w->fi];
        if (w->fi != ctx->fi || !w->write || w->fn != w->decl || !on_receiver(p, w)) continue;
        nid wname = ast_child(wf, w->decl, F_NAME);
        struct str wn = ast_text(wf, wname);
        if (wn.n < 3 || memcmp(wn.p, "On", 2) || wn.p[2] < 'A' || wn.p[2] > 'Z') continue;
        if (!pointer_receiver(wf, w->decl) || rl_in_once_do(wf, w->node)) continue;
        const char *held[MAX_HELD];
        if (held_at(p, w, held, MAX_HELD)) continue;
        for (int j = 0; j < fc->nacc; j++) {
            const struct field_access *r = &fc->acc[j];
            if (r->write || r->decl == w->decl || !on_receiver(p, r) || !ctx_method(p, r->fi, r->decl)) continue;
            if (held_at(p, r, held, MAX_HELD)) continue;
            const struct gofile *rf = &p->files[r->fi];
            struct str rn = ast_text(rf, ast_child(rf, r->decl, F_NAME));
            struct str wt = ast_text(wf, w->node);
            if (wt.n > 60) wt.n = 60;
            struct finding *fd = rule_report_conf(
                ctx, w->node, CONF_LOW,
                "%.*s is written here, in the callback %.*s (run by whatever goroutine notifies it), while the "
                "request handler %.*s reads it (%s:%u), with no lock at either place: a data race at every "
                "notification that overlaps a request",
                (int)wt.n, wt.p, (int)wn.n, wn.p, (int)rn.n, rn.p, rl_base_name(rf->path), rf->nodes[r->node].line);
            rule_related_in(ctx, fd, r->fi, r->node, "the handler's read");
            fd->fix = xasprintf("guard %.*s with a mutex, or keep it in an atomic.Pointer and Load it once per request",
                                (int)wt.n, wt.p);
            return;
        }
    }
}

void race_report_api_maps(struct rule_ctx *ctx) { for_plain_classes(ctx, true, judge_api_map); }

void race_report_hook_writes(struct rule_ctx *ctx) { for_plain_classes(ctx, false, judge_hook_writes); }
