/* rules/registry: the all_rules[] table expanded from rules.def, lookup by
 * id or name, and the helpers rules use to report findings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule.h"

const struct rule *const all_rules[] = {
#define RULE(sym) &rule_##sym,
#include "rules.def"
#undef RULE
};
const size_t all_rules_count = GD_ARRAY_LEN(all_rules);

const struct rule *rule_find(const char *s)
{
    for (size_t i = 0; i < all_rules_count; i++)
        if (!strcasecmp(all_rules[i]->id, s) || !strcmp(all_rules[i]->name, s)) return all_rules[i];
    return NULL;
}

static struct finding *report_va(struct rule_ctx *ctx, nid n, enum confidence conf, const char *fmt, va_list ap)
{
    const struct gofile *f = ctx->f;
    struct finding *fd = finding_list_push(ctx->out);
    fd->rule_id = ctx->rule->id;
    fd->rule_name = ctx->rule->name;
    fd->severity = ctx->rule->severity;
    fd->confidence = conf;
    fd->file = xstrdup(f->path);
    const struct node *x = ast_node(f, n);
    fd->line = (int)x->line;
    fd->col = (int)x->col;
    uint32_t el, ec;
    ast_pos(f, x->end_byte, &el, &ec);
    fd->end_line = (int)el;
    fd->end_col = (int)ec;
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0) gd_oom(0);
    fd->message = msg;
    struct str line = ast_line_text(f, x->line);
    fd->source_line = xstrndup(line.p, line.n);
    return fd;
}

/* The rule's default confidence, lowered in test files for a tests_low
 * rule. */
static enum confidence rule_conf(const struct rule_ctx *ctx)
{
    const char *path = ctx->f->path;
    size_t n = strlen(path);
    if (ctx->rule->tests_low && n >= 8 && !strcmp(path + n - 8, "_test.go")) return CONF_LOW;
    return ctx->rule->confidence;
}

struct finding *rule_report(struct rule_ctx *ctx, nid n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct finding *fd = report_va(ctx, n, rule_conf(ctx), fmt, ap);
    va_end(ap);
    return fd;
}

struct finding *rule_report_conf(struct rule_ctx *ctx, nid n, enum confidence conf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    /* a rule never reports above its own default confidence */
    enum confidence cap = rule_conf(ctx);
    struct finding *fd = report_va(ctx, n, conf > cap ? conf : cap, fmt, ap);
    va_end(ap);
    return fd;
}

static void related_v(struct rule_ctx *ctx, struct finding *fd, int fi, nid n, const char *fmt, va_list ap)
{
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0) gd_oom(0);
    const struct gofile *f = &ctx->pkg->files[fi];
    const struct node *x = ast_node(f, n);
    finding_add_related(fd, f->path, (int)x->line, (int)x->col, msg);
    free(msg);
}

void rule_related(struct rule_ctx *ctx, struct finding *fd, nid n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    related_v(ctx, fd, ctx->fi, n, fmt, ap);
    va_end(ap);
}

void rule_related_in(struct rule_ctx *ctx, struct finding *fd, int fi, nid n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    related_v(ctx, fd, fi, n, fmt, ap);
    va_end(ap);
}

bool rule_can_edit(const struct rule_ctx *ctx, int fi)
{
    const struct gofile *f = &ctx->pkg->files[fi];
    return !f->has_error && !f->generated && !memchr(f->src, '\r', f->len);
}

/* 1-based line and code-point column of byte offset off of f. */
static void edit_pos(const struct gofile *f, uint32_t off, int *line, int *col)
{
    uint32_t l, c;
    ast_pos(f, off, &l, &c);
    uint32_t start = off - (c - 1);
    int cp = 1;
    for (uint32_t i = start; i < off; i++)
        if (((unsigned char)f->src[i] & 0xC0) != 0x80) cp++;
    *line = (int)l;
    *col = cp;
}

void rule_edit(struct rule_ctx *ctx, struct finding *fd, int fi, uint32_t start, uint32_t end, const char *text)
{
    const struct gofile *f = &ctx->pkg->files[fi];
    if (!fd || start > end || end > f->len) return;
    struct edit e = {0};
    e.file = f->path;
    e.start = start;
    e.end = end;
    e.text = (char *)text;
    edit_pos(f, start, &e.line, &e.col);
    edit_pos(f, end, &e.end_line, &e.end_col);
    finding_add_edit(fd, &e);
}
