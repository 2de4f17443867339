/* rules/locklib: see locklib.h. */
#include "locklib.h"

void locklib_report(struct rule_ctx *ctx, unsigned kinds,
                    void (*report)(struct rule_ctx *ctx, const struct lock_issue *li))
{
    int n;
    const struct lock_issue *all = model_lock_issues(ctx->pkg, &n);
    for (int i = 0; i < n; i++)
        if (all[i].fi == ctx->fi && (kinds & (1u << all[i].kind))) report(ctx, &all[i]);
}

const char *locklib_at_line(struct rule_ctx *ctx, const char *verb, uint32_t line)
{
    if (!line) return "";
    return arena_printf(&ctx->pkg->arena, " (%s at line %u)", verb, line);
}

const char *locklib_base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int locklib_lock_stmt(struct rule_ctx *ctx, nid s, nid *x)
{
    static const char *const names[] = {"Lock", "RLock", "Unlock", "RUnlock"};
    const struct gofile *f = ctx->f;
    enum node_kind k = ast_kind(f, s);
    if (k != N_EXPRESSION_STATEMENT && k != N_DEFER_STATEMENT) return -1;
    nid call = ast_unparen(f, ast_first_child(f, s));
    if (ast_kind(f, call) != N_CALL_EXPRESSION || ast_child_count(f, ast_child(f, call, F_ARGUMENTS)) != 0) return -1;
    nid callee = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, callee) != N_SELECTOR_EXPRESSION) return -1;
    nid fld = ast_child(f, callee, F_FIELD);
    int m = -1;
    for (int i = 0; i < (int)GD_ARRAY_LEN(names); i++)
        if (ast_text_is(f, fld, names[i])) m = i;
    if (m < 0) return -1;
    nid op = ast_child(f, callee, F_OPERAND);
    /* pkg.Lock(): a package's function, not a lock's method */
    nid opu = ast_unparen(f, op);
    if (ast_kind(f, opu) == N_IDENTIFIER && model_import_path(ctx->pkg, ctx->fi, ast_text(f, opu))) {
        nid d, nm;
        if (!model_resolve_local(ctx->pkg, ctx->fi, opu, &d, &nm)) return -1;
    }
    struct ltype *t = model_type_of(ctx->pkg, ctx->fi, op);
    if (t && t->kind == LT_POINTER) t = t->elem;
    if (t && t->kind == LT_NAMED && !strcmp(t->pkgpath, "")) {
        /* the package's own type: its declared method must look like a lock's */
        const struct pkg_decl *md = pkg_lookup_method(ctx->pkg, t->name, ast_text(f, fld));
        if (md) {
            const struct gofile *mf = &ctx->pkg->files[md->file];
            nid params = ast_child(mf, md->node, F_PARAMETERS);
            if (ast_child_count(mf, params) != 0 || ast_child(mf, md->node, F_RESULT)) return -1;
        }
    }
    *x = op;
    return m;
}
