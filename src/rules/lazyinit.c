/* rules/lazyinit: a package variable initialised lazily with no lock or
 * sync.Once (racelib.h, race_report_lazy_init): `if v == nil { v = make()
 * }` in a function that exported API reaches. Two first calls at once race
 * on v: one reads it while the other writes it (go-defaults' SetDefaults,
 * called from concurrent web requests). */
#include <string.h>

#include "../model/summary.h"
#include "racelib.h"

/* The package variable that identifier id names, or NULL. */
static const struct pkg_decl *pkg_var(struct pkg *p, int fi, nid id)
{
    const struct gofile *f = &p->files[fi];
    nid d, nm;
    if (ast_kind(f, id) != N_IDENTIFIER || model_resolve_local(p, fi, id, &d, &nm)) return NULL;
    struct str s = ast_text(f, id);
    if (pkg_decl_count(p, s, PD_VAR) != 1) return NULL;
    return pkg_lookup(p, s, PD_VAR);
}

/* Is decl d exported, or called from an exported function or method of
 * the package? */
static bool reached_from_api(struct pkg *p, int d)
{
    const struct pkg_decl *x = &p->decls[d];
    if (pkg_is_exported_api(p, x->file, x->node)) return true;
    for (int i = 0; i < p->ndecls; i++) {
        const struct pkg_decl *c = &p->decls[i];
        if ((c->what != PD_FUNC && c->what != PD_METHOD) || !pkg_is_exported_api(p, c->file, c->node)) continue;
        const struct gofile *cf = &p->files[c->file];
        if (!memmem(cf->src + cf->nodes[c->node].start_byte,
                    cf->nodes[c->node].end_byte - cf->nodes[c->node].start_byte, x->name, strlen(x->name)))
            continue;
        for (nid k = c->node; k < cf->nodes[c->node].end; k++)
            if (ast_kind(cf, k) == N_CALL_EXPRESSION && model_callee(p, c->file, k) == d) return true;
    }
    return false;
}

void race_report_lazy_init(struct rule_ctx *ctx, nid ifs)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    if (rl_is_test_file(f) || ast_child(f, ifs, F_INITIALIZER)) return;
    nid c = ast_unparen(f, ast_child(f, ifs, F_CONDITION));
    if (ast_kind(f, c) != N_BINARY_EXPRESSION || f->nodes[c].op != OP_EQL) return;
    nid l = ast_unparen(f, ast_child(f, c, F_LEFT)), r = ast_unparen(f, ast_child(f, c, F_RIGHT));
    if (!ast_text_is(f, r, "nil")) return;
    const struct pkg_decl *v = pkg_var(p, ctx->fi, l);
    if (!v) return;
    nid fn = model_enclosing_func(f, ifs);
    if (!fn || ast_kind(f, fn) == N_FUNC_LITERAL || rl_in_once_do(f, ifs)) return;
    nid name = ast_child(f, fn, F_NAME);
    if (name && (ast_text_is(f, name, "init") || model_name_says_locked(ast_text(f, name)))) return;
    int d = pkg_decl_index(p, ctx->fi, fn);
    if (d < 0) return;
    /* the assignment `v = ...` in the if's body */
    nid body = ast_child(f, ifs, F_CONSEQUENCE), at = 0;
    for (nid k = body; body && k < f->nodes[body].end && !at; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        nid par = ast_parent(f, k);
        if (ast_kind(f, k) == N_IDENTIFIER && ast_kind(f, par) == N_EXPRESSION_LIST && f->nodes[par].field == F_LEFT &&
            ast_kind(f, ast_parent(f, par)) == N_ASSIGNMENT_STATEMENT && pkg_var(p, ctx->fi, k) == v)
            at = k;
    }
    if (!at) return;
    struct held_lock hl[2];
    if (model_locks_held_at(p, ctx->fi, fn, ifs, hl, 2)) return;
    if (rl_locks_before(f, fn, ifs)) return; /* a helper's lock, a TryLock */
    if (!reached_from_api(p, d)) return;
    struct str vn = ast_text(f, at);
    struct finding *fd = rule_report_conf(
        ctx, at, CONF_LOW,
        "package variable %.*s is initialised lazily here with no lock or sync.Once, in a function that exported "
        "API reaches: two first calls at once race on it (one reads nil while the other writes it)",
        (int)vn.n, vn.p);
    rule_related(ctx, fd, c, "the unsynchronised check");
    fd->fix = xasprintf("initialise %.*s in a sync.Once (or sync.OnceValue), or at package initialisation", (int)vn.n,
                        vn.p);
}
