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
    buf_printf(b, "- Confidence: %s%s\n", conf_words(r->confidence),
               r->tests_low ? "; low in `_test.go` files" : "");
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

/* Text for roff: backslashes as \e, a line's leading '.' or '\'' kept
 * literal with \&. */
static void roff_text(struct buf *b, const char *s)
{
    bool bol = true;
    for (; s && *s; s++) {
        if (bol && (*s == '.' || *s == '\'')) buf_puts(b, "\\&");
        if (*s == '\\') buf_puts(b, "\\e");
        else buf_putc(b, *s);
        bol = *s == '\n';
    }
}

void docs_man_page(struct buf *b, const char *usage, const char *version)
{
    buf_printf(b, ".TH GODARK 1 \"\" \"godark %s\" \"User Commands\"\n", version ? version : "");
    buf_puts(b, ".SH NAME\ngodark \\- find Go concurrency dark patterns in source and in goroutine dumps\n");
    buf_puts(b, ".SH SYNOPSIS\n.nf\n");
    roff_text(b, usage);
    buf_puts(b, ".fi\n.SH DESCRIPTION\n");
    buf_puts(b, "godark finds goroutine leaks, WaitGroup and channel misuse, lock bugs, unsynchronised shared state "
                "and lost cancellation: before they ship, by static analysis of Go source (\\fBgodark check\\fR), "
                "and after, in goroutine dumps and pprof profiles of a running service (\\fBgodark goroutines\\fR, "
                "\\fBgodark diff\\fR, \\fBgodark watch\\fR).\n");
    buf_puts(b, ".SH RULES\n");
    for (size_t i = 0; i < all_rules_count; i++) {
        const struct rule *r = all_rules[i];
        buf_printf(b, ".TP\n.B %s %s\n", r->id, r->name);
        roff_text(b, r->summary);
        buf_printf(b, " (%s, %s confidence)\n", severity_name(r->severity), confidence_name(r->confidence));
    }
    buf_puts(b, ".SH EXIT STATUS\n0 no findings, 1 findings, 2 bad usage or input, 3 internal error.\n");
    buf_puts(b, ".SH SEE ALSO\n\\fBgodark explain\\fR \\fIID\\fR prints a rule's full documentation.\n");
}
