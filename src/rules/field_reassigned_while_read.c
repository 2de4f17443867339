/* rules/field_reassigned_while_read: GD608. A struct field holding a
 * channel, timer or cancel func is read anew in each iteration of a
 * goroutine's loop (`case <-p.halt:`) while another method assigns it
 * (`p.halt = nil`, `p.ticker = time.NewTicker(d)`) with no lock held on
 * both sides and no wait for the goroutine to exit first: a data race.
 * How: from the object model (model/objects.h), each assignment of a class
 * T.f outside a constructor and outside the goroutines, in a function that
 * can run while the goroutine runs (exported, after the go statement, or
 * called by such a function), against a use of T.f in a goroutine context
 * inside a loop; the lock dataflow (model_locks_held_at) decides the lock. */
#include <string.h>

#include "../model/objects.h"
#include "../model/summary.h"
#include "rule.h"
#include "rulelib.h"

enum { MAX_HELD = 8 };

static bool is_go_ctx(uint8_t ctx) { return ctx & (OCTX_GO_LITERAL | OCTX_GO_METHOD | OCTX_GO_CALLEE); }

/* Is the selector sel a target of a plain assignment `sel = v` (not `:=`,
 * not a key of a composite literal)? */
static bool assigned(const struct gofile *f, nid sel)
{
    nid list = ast_parent(f, sel);
    if (ast_kind(f, list) != N_EXPRESSION_LIST || f->nodes[list].field != F_LEFT) return false;
    return ast_kind(f, ast_parent(f, list)) == N_ASSIGNMENT_STATEMENT;
}

/* Does function declaration decl make a T value: type T named anywhere in
 * it outside its receiver (`&T{...}`, `new(T)`, `var t T`, a result *T)?
 * Such a function sets up a value nobody else sees yet. */
static bool makes_type(const struct gofile *f, nid decl, const char *type)
{
    nid recv = ast_child(f, decl, F_RECEIVER);
    for (nid k = decl; k < f->nodes[decl].end; k++) {
        if (recv && k == recv) {
            k = f->nodes[recv].end - 1;
            continue;
        }
        if (ast_kind(f, k) == N_TYPE_IDENTIFIER && ast_text_is(f, k, type)) return true;
    }
    return false;
}

/* Does [from, to) of file fi wait for something before the write: a
 * receive, a Wait call, or a call of a package function whose summary
 * receives or waits (`close(p.halt); <-p.done`, `p.wg.Wait()`, `p.stop()`)?
 * Func literals are skipped: they run elsewhere. */
static bool waits_in(struct pkg *p, int fi, nid from, nid to)
{
    const struct gofile *f = &p->files[fi];
    for (nid k = from; k < to; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (kk == N_FUNC_LITERAL) {
            if (ast_contains(f, k, to)) continue;
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW) return true;
        if (kk == N_RANGE_CLAUSE) return true;
        if (kk != N_CALL_EXPRESSION) continue;
        if (str_eq(rl_call_name(f, k), "Wait")) return true;
        int d = model_callee(p, fi, k);
        const struct func_summary *sm = d >= 0 ? model_func_summary(p, d) : NULL;
        for (int i = 0; sm && i < sm->neffects; i++)
            if (sm->effects[i].kind == EFF_RECV || sm->effects[i].kind == EFF_WG_WAIT) return true;
    }
    return false;
}

/* The go statement that starts the goroutine running use r, with *gfi its
 * file and *root the function it starts (a decl index, -1 for a go func
 * literal): its spawn site, or for a go-callee a go statement that starts a
 * function calling it directly. 0 when none is found. */
static nid read_spawn(struct pkg *p, const struct obj_model *m, const struct obj_use *r, int *gfi, int *root)
{
    int rd = pkg_decl_index(p, r->fi, r->decl);
    nid go = objects_spawn_site(p, r->fi, r->node, gfi);
    *root = go && !(r->ctx & OCTX_GO_LITERAL) ? rd : -1;
    if (go || !(r->ctx & OCTX_GO_CALLEE)) return go;
    for (int i = 0; rd >= 0 && i < m->nspawns; i++) {
        const struct pkg_decl *sd = m->spawns[i].decl;
        const struct gofile *sf = &p->files[sd->file];
        for (nid k = sd->node; k < sf->nodes[sd->node].end; k++)
            if (ast_kind(sf, k) == N_CALL_EXPRESSION && model_callee(p, sd->file, k) == rd) {
                *gfi = m->spawns[i].go_fi;
                *root = (int)(sd - p->decls);
                return m->spawns[i].go;
            }
    }
    return 0;
}

/* How the write at use w can run while the goroutine started by go (file
 * gfi) runs. Returns the node from which the writer's own code runs on
 * before the write (its body, the go statement, or the call in an exported
 * caller), with *wfi its file and *wnode where the write happens in that
 * code; 0 when it cannot. */
struct when {
    int fi;
    nid from, at; /* the writer's path [from, at) before the write */
    const char *who; /* the function that runs it: its name */
};

static bool concurrent(struct pkg *p, const struct obj_class *c, const struct obj_use *w, int gfi, nid go,
                       struct when *out)
{
    const struct gofile *f = &p->files[w->fi];
    nid decl = w->decl;
    struct str name = ast_text(f, ast_child(f, decl, F_NAME));
    out->who = arena_printf(&p->arena, "%.*s", (int)name.n, name.p);
    if (makes_type(f, decl, c->type)) return false;
    if (gfi == w->fi && ast_contains(f, decl, go)) { /* the spawner itself */
        if (w->node < f->nodes[go].end) return false;
        out->fi = w->fi, out->from = go, out->at = w->node;
        return true;
    }
    if (w->ctx & OCTX_EXPORTED) {
        out->fi = w->fi, out->from = decl, out->at = w->node;
        return true;
    }
    /* an unexported helper: an exported caller that is no constructor and
     * calls it after any go statement it holds */
    int wd = pkg_decl_index(p, w->fi, decl);
    for (int i = 0; wd >= 0 && i < p->ndecls; i++) {
        const struct pkg_decl *d = &p->decls[i];
        if (i == wd || (d->what != PD_FUNC && d->what != PD_METHOD) || !model_is_exported(str_make(d->name, strlen(d->name)))) continue;
        const struct gofile *df = &p->files[d->file];
        if (pkg_is_test_file(df) || makes_type(df, d->node, c->type)) continue;
        for (nid k = d->node; k < df->nodes[d->node].end; k++) {
            if (ast_kind(df, k) != N_CALL_EXPRESSION || model_callee(p, d->file, k) != wd) continue;
            if (d->file == gfi && ast_contains(df, d->node, go) && k < go) continue;
            if (ast_ancestor(df, k, N_FUNC_LITERAL) && ast_contains(df, d->node, ast_ancestor(df, k, N_FUNC_LITERAL)))
                continue; /* in a literal: runs who knows when */
            if (waits_in(p, d->file, d->node, k)) continue;
            out->fi = d->file, out->from = d->node, out->at = k;
            out->who = d->name;
            return true;
        }
    }
    return false;
}

/* Does [from, to) of file fi start the goroutine again: hold go statement
 * `go` (file gfi), or a go statement calling function decl `root`, or call
 * (same package, up to depth calls deep) a function that does? Then a
 * write before it sets the field up for the goroutine it starts. */
static bool starts_again(struct pkg *p, int fi, nid from, nid to, int gfi, nid go, int root, int depth)
{
    const struct gofile *f = &p->files[fi];
    for (nid k = from; k < to; k++) {
        if (ast_kind(f, k) == N_GO_STATEMENT) {
            if (fi == gfi && k == go) return true;
            for (nid c = k; root >= 0 && c < f->nodes[k].end; c++)
                if (ast_kind(f, c) == N_CALL_EXPRESSION && model_callee(p, fi, c) == root) return true;
            continue; /* and what it starts, through its calls */
        }
        if (depth <= 0 || ast_kind(f, k) != N_CALL_EXPRESSION) continue;
        int d = model_callee(p, fi, k);
        if (d < 0) continue;
        const struct pkg_decl *pd = &p->decls[d];
        if (starts_again(p, pd->file, pd->node, p->files[pd->file].nodes[pd->node].end, gfi, go, root, depth - 1))
            return true;
    }
    return false;
}

/* Do the lock sets share a class? */
static bool common_lock(const struct held_lock *a, int na, const struct held_lock *b, int nb)
{
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            if (a[i].cls && b[j].cls && !strcmp(a[i].cls, b[j].cls)) return true;
    return false;
}

/* The field name of the lock of call k when it is `x.NAME.Lock()` or
 * RLock() of any type (a wrapper of sync.Mutex the dataflow does not
 * know, as cilium's lock.Mutex); else an empty string. */
static struct str lock_call_field(const struct gofile *f, nid k)
{
    struct str none = {0};
    if (ast_kind(f, k) != N_CALL_EXPRESSION) return none;
    nid fn = ast_unparen(f, ast_child(f, k, F_FUNCTION));
    if (ast_kind(f, fn) != N_SELECTOR_EXPRESSION) return none;
    nid m = ast_child(f, fn, F_FIELD);
    if (!ast_text_is(f, m, "Lock") && !ast_text_is(f, m, "RLock")) return none;
    nid x = ast_unparen(f, ast_child(f, fn, F_OPERAND));
    return ast_kind(f, x) == N_SELECTOR_EXPRESSION ? ast_text(f, ast_child(f, x, F_FIELD)) : none;
}

/* Do the functions of uses w and r both lock a field of the same name
 * (`x.mu.Lock()`) before them? The dataflow knows sync's locks only; a
 * lock of another type on both sides is taken for a guard. */
static bool same_named_lock(struct pkg *p, const struct obj_use *w, const struct obj_use *r)
{
    const struct gofile *wf = &p->files[w->fi], *rf = &p->files[r->fi];
    for (nid k = w->fn; k < w->node; k++) {
        struct str a = lock_call_field(wf, k);
        if (!a.n) continue;
        for (nid j = r->fn; j < r->node; j++)
            if (str_eqs(a, lock_call_field(rf, j))) return true;
    }
    return false;
}

/* Is the value assigned at selector sel the identifier nil? */
static bool assigns_nil(const struct gofile *f, nid sel)
{
    return ast_kind(f, objects_assigned_value(f, sel)) == N_NIL;
}

/* Has the writer's function a use of class c before the write w? */
static bool used_before(const struct obj_class *c, const struct obj_use *w)
{
    for (int i = 0; i < c->nuses; i++) {
        const struct obj_use *u = &c->uses[i];
        if (u->fi == w->fi && u->decl == w->decl && u->node < w->node && u->op != OO_SET && u->op != OO_MAKE &&
            u->op != OO_NEUTRAL)
            return true;
    }
    return false;
}

/* A better read to name: a receive (in a select) over anything else. */
static int read_rank(const struct obj_use *r)
{
    return r->op == OO_RECV ? (r->select != CHSEL_NONE ? 0 : 1) : 2;
}

static void judge_write(struct rule_ctx *ctx, const struct obj_model *m, const struct obj_class *c,
                        const struct obj_use *w)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    if ((w->ctx & OCTX_TEST) || is_go_ctx(w->ctx) || !assigned(f, w->node) || rl_in_once_do(f, w->node)) return;
    nid decl = w->decl;
    if (!decl || (ast_kind(f, decl) != N_METHOD_DECLARATION && ast_kind(f, decl) != N_FUNCTION_DECLARATION)) return;
    struct held_lock wl[MAX_HELD];
    int nwl = -1;
    const struct obj_use *best = NULL;
    struct when bw = {0};
    nid bgo = 0;
    int bgfi = 0, broot = -1;
    for (int i = 0; i < c->nuses; i++) {
        const struct obj_use *r = &c->uses[i];
        if (r->op == OO_SET || r->op == OO_MAKE || !is_go_ctx(r->ctx) || (r->ctx & OCTX_TEST)) continue;
        if (r->fn == w->fn && r->fi == w->fi) continue;
        const struct gofile *rf = &p->files[r->fi];
        if (!rl_enclosing_loop(rf, r->node)) continue;
        if (best && read_rank(r) >= read_rank(best)) continue;
        int gfi, root;
        nid go = read_spawn(p, m, r, &gfi, &root);
        if (!go || pkg_is_test_file(&p->files[gfi])) continue;
        /* the writer is the goroutine's own code */
        const struct gofile *gf = &p->files[gfi];
        if (gfi == w->fi && ast_contains(gf, go, w->node)) continue;
        /* the writer goes on to start the goroutine: a set-up (a restart
         * that closes first is GD113's) */
        if (starts_again(p, w->fi, w->node, f->nodes[decl].end, gfi, go, root, 3)) continue;
        struct when wh;
        if (!concurrent(p, c, w, gfi, go, &wh)) continue;
        if (waits_in(p, wh.fi, wh.from, wh.at)) continue;
        if (wh.fi == w->fi && wh.from != go && waits_in(p, w->fi, decl, w->node)) continue;
        if (nwl < 0) nwl = model_locks_held_at(p, w->fi, w->fn, w->node, wl, MAX_HELD);
        struct held_lock rl[MAX_HELD];
        int nrl = model_locks_held_at(p, r->fi, r->fn, r->node, rl, MAX_HELD);
        if (common_lock(wl, nwl, rl, nrl) || same_named_lock(p, w, r)) continue;
        best = r, bw = wh, bgo = go, bgfi = gfi, broot = root;
    }
    if (!best) return;
    /* only the writer's receiver (or, in the spawner, any value): another
     * T is another object */
    nid root = rl_path_root(f, ast_child(f, w->node, F_OPERAND));
    nid rnn = rl_receiver_name(f, decl);
    struct str rn = rnn ? ast_text(f, rnn) : (struct str){0};
    if (!(bgfi == w->fi && ast_contains(f, decl, bgo)) && (!root || !rn.n || !str_eqs(ast_text(f, root), rn))) return;

    const struct gofile *rf = &p->files[best->fi], *gf = &p->files[bgfi];
    struct str ws = ast_text(f, w->node);
    bool nil = assigns_nil(f, w->node);
    const char *verb = nil ? "set to nil" : "replaced";
    const char *who;
    if (broot < 0)
        who = arena_printf(&p->arena, "the goroutine started at %s:%u", rl_base_name(gf->path), gf->nodes[bgo].line);
    else
        who = arena_printf(&p->arena, "the goroutine running %s (started at %s:%u)", p->decls[broot].name,
                           rl_base_name(gf->path), gf->nodes[bgo].line);
    const char *lock = nwl > 0 ? arena_printf(&p->arena, "%s holds %s but the loop does not take it", bw.who, wl[0].text)
                               : arena_printf(&p->arena, "no lock is held on both sides");
    const char *tail = nil && best->op == OO_RECV ? "; once it is nil, the loop's receive blocks forever" : "";
    /* medium when the write replaces a live object: the writer used it
     * before (closed it, stopped it), clears it, or runs after the go
     * statement; a first assignment in a set-up method (Initialize,
     * Subscribe) called before the goroutine starts is often a protocol */
    bool live = nil || (bgfi == w->fi && ast_contains(f, decl, bgo)) || used_before(c, w);
    enum confidence conf = live && best->op != OO_NEUTRAL ? CONF_MEDIUM : CONF_LOW;
    struct finding *fd = rule_report_conf(
        ctx, w->node, conf,
        "%.*s is %s here while %s reads it in each iteration of its loop (%s:%u): %s, and %s does not wait for the "
        "goroutine to exit first, so the write races with the read%s",
        (int)ws.n, ws.p, verb, who, rl_base_name(rf->path), rf->nodes[best->node].line, lock, bw.who, tail);
    if (!fd) return;
    rule_related_in(ctx, fd, best->fi, best->node, "read in the goroutine's loop");
    rule_related_in(ctx, fd, bgfi, bgo, "the goroutine is started here");
    fd->fix = xasprintf("read %.*s once before the loop and use the copy in it (or pass it to the goroutine), or "
                        "guard the write and every read with the same mutex, or never reassign it (make a new %s)",
                        (int)ws.n, ws.p, c->type);
}

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)n;
    const struct obj_model *m = rl_objects(ctx);
    if (!m) return;
    for (int i = 0; i < m->n; i++) {
        const struct obj_class *c = &m->classes[i];
        for (int k = 0; k < c->nuses; k++) {
            const struct obj_use *w = &c->uses[k];
            if (w->fi == ctx->fi && (w->op == OO_SET || w->op == OO_MAKE)) judge_write(ctx, m, c, w);
        }
    }
}

const struct rule rule_field_reassigned_while_read = {
    .id = "GD608",
    .name = "field-reassigned-while-read",
    .severity = SEV_WARNING,
    .confidence = CONF_MEDIUM,
    .summary = "A struct field that a goroutine reads in each iteration of its loop (a stop channel, a ticker) "
               "is reassigned by another method with no lock on both sides and no wait for the goroutine: a "
               "data race.",
    .why = "A goroutine that selects on `p.halt` in its loop reads the field again in every iteration. When "
           "another method assigns the field (`p.halt = nil` after `close(p.halt)` in Stop, `p.halt = "
           "make(chan struct{})` in Reset, `p.ticker = time.NewTicker(d)` in SetInterval) and nothing orders "
           "the two, the write and the read are a data race: the race detector reports it, the compiler may "
           "keep the old value in a register, and the loop sees the old object, the new one, or (after `= nil`) "
           "a nil channel whose receive never proceeds, so the goroutine blocks forever instead of stopping. "
           "Read the field once before the loop (`halt := p.halt`, or pass it to the goroutine), guard the "
           "write and every read with the same mutex, or never reassign it (make a new value instead). "
           "godark follows the field with the object model: an assignment of a channel, timer or cancel func "
           "field outside a constructor (a function that makes the T value) and outside the goroutine itself, "
           "in a function that can run while the goroutine runs (an exported method, or code after the go "
           "statement, or a helper an exported method calls), and not one that goes on to start the goroutine "
           "(a set-up); against a use of the same field in a goroutine of the package inside a loop. It stays "
           "silent when the lock dataflow finds a lock held at both (or both lock a field of the same name), "
           "when the writer first receives or waits (`<-p.done`, `wg.Wait()`, a call that does) and when the "
           "write runs inside `once.Do`. A first assignment in a set-up method (nothing used the field before "
           "in that method, and it does not clear it) is reported at low confidence: Initialize-then-Start "
           "protocols are common. GD113 (closed-channel-replaced) reports, at the goroutine's receive, that a "
           "close followed by a replacement can be missed; this rule reports the write itself as the race.",
    .bad = "package poller\n\nimport \"time\"\n\n"
           "type Poller struct {\n\thalt chan struct{}\n}\n\n"
           "func New() *Poller { return &Poller{halt: make(chan struct{})} }\n\n"
           "func (p *Poller) Start() { go p.run() }\n\n"
           "func (p *Poller) run() {\n\tfor {\n\t\tselect {\n\t\tcase <-p.halt:\n\t\t\treturn\n"
           "\t\tcase <-time.After(time.Second):\n\t\t}\n\t}\n}\n\n"
           "func (p *Poller) Stop() {\n\tclose(p.halt)\n\tp.halt = nil\n}\n",
    .good = "package poller\n\nimport \"time\"\n\n"
            "type Poller struct {\n\thalt chan struct{}\n}\n\n"
            "func New() *Poller { return &Poller{halt: make(chan struct{})} }\n\n"
            "// Start hands the goroutine its channel once.\n"
            "func (p *Poller) Start() { go p.run(p.halt) }\n\n"
            "func (p *Poller) run(halt chan struct{}) {\n\tfor {\n\t\tselect {\n\t\tcase <-halt:\n\t\t\treturn\n"
            "\t\tcase <-time.After(time.Second):\n\t\t}\n\t}\n}\n\n"
            "func (p *Poller) Stop() {\n\tclose(p.halt)\n\tp.halt = nil\n}\n",
    .fix_safety = NULL,
    .kinds = {N_SOURCE_FILE},
    .visit = visit,
};
