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
