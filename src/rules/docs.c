/* rules/docs: renders rule docs (data in each rule file) as Markdown, for
 * `godark explain`, the generated docs/rules/ pages and the README table. */
#include "docs.h"

#include <stdio.h>

static const char *conf_words(enum confidence c)
{
    switch (c) {
    case CONF_HIGH: return "high (shown by default)";
    case CONF_MEDIUM: return "medium (shown by default)";
    case CONF_LOW: return "low (hidden unless `--confidence=low`)";
    }
    return "";
}

void docs_rule_page(struct buf *b, const struct rule *r)
{
    buf_printf(b, "# %s %s\n\n", r->id, r->name);
    buf_printf(b, "%s\n\n", r->summary);
    buf_printf(b, "- Severity: %s\n", severity_name(r->severity));
    buf_printf(b, "- Confidence: %s\n", conf_words(r->confidence));
    buf_printf(b, "- Source: %s\n\n", r->visit ? "static analysis (`godark check`)"
                                      : r->id[2] == '9' ? "goroutine dumps (`godark goroutines`, `godark diff`)"
                                                        : "the check pipeline (`godark check`)");
    buf_printf(b, "## Why it is bad\n\n%s\n\n", r->why);
    if (r->bad) buf_printf(b, "## Bad\n\n```go\n%s```\n\n", r->bad);
    if (r->good) buf_printf(b, "## Good\n\n```go\n%s```\n\n", r->good);
    if (r->fix_safety) buf_printf(b, "## Suggested fix\n\n%s\n\n", r->fix_safety);
    buf_printf(b, "## Silence it\n\n`//godark:ignore %s reason` on the line or the line above.\n", r->id);
}

void docs_rule_table(struct buf *b, bool links)
{
    buf_puts(b, "| ID | Name | Severity | Summary |\n|---|---|---|---|\n");
    for (size_t i = 0; i < all_rules_count; i++) {
        const struct rule *r = all_rules[i];
        char fn[128];
        if (links)
            buf_printf(b, "| [%s](docs/rules/%s) | %s | %s | %s |\n", r->id, docs_rule_filename(r, fn, sizeof fn),
                       r->name, severity_name(r->severity), r->summary);
        else
            buf_printf(b, "| %s | %s | %s | %s |\n", r->id, r->name, severity_name(r->severity), r->summary);
    }
}

const char *docs_rule_filename(const struct rule *r, char *out, size_t n)
{
    snprintf(out, n, "%s-%s.md", r->id, r->name);
    return out;
}
