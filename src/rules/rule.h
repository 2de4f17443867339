/* rules/rule: the shape of a rule (its docs are data) and the context a
 * rule's visitor gets. Rules are listed once, in rules.def. */
#ifndef GODARK_RULE_H
#define GODARK_RULE_H

#include "../model/model.h"
#include "../report/finding.h"

struct check_opts;

struct rule_ctx {
    struct pkg *pkg;
    int fi;                 /* index of the file in pkg->files */
    const struct gofile *f; /* == &pkg->files[fi] */
    const struct rule *rule;
    const struct check_opts *opts;
    struct finding_list *out;
};

#define RULE_MAX_KINDS 10

struct rule {
    const char *id;      /* "GD301" */
    const char *name;    /* kebab-case, names the bad pattern */
    enum severity severity;
    enum confidence confidence; /* default confidence of its findings */
    const char *summary; /* one line */
    const char *why;     /* why it is bad: a paragraph */
    const char *bad;     /* a bad Go example: a whole file that must trigger the rule */
    const char *good;    /* a good Go example: a whole file that must stay silent */
    const char *fix_safety; /* what a suggested fix changes, or NULL */
    /* findings in _test.go files are low confidence: on modules godark was
     * not tuned on, the rule's findings in test code held too rarely (the
     * test run and the race detector exercise that code anyway) */
    bool tests_low;
    /* Node kinds the visitor wants, 0-terminated. Empty for rules that
     * report from goroutine dumps (GD9xx) and have no visitor. */
    uint8_t kinds[RULE_MAX_KINDS];
    void (*visit)(struct rule_ctx *ctx, nid n);
};

/* Reports a finding at node n (its start and end) with the rule's default
 * confidence. Returns the finding so the caller may add a fix or related
 * locations before the next report. */
struct finding *rule_report(struct rule_ctx *ctx, nid n, const char *fmt, ...) GD_PRINTF(3, 4);
struct finding *rule_report_conf(struct rule_ctx *ctx, nid n, enum confidence conf, const char *fmt, ...)
    GD_PRINTF(4, 5);
/* Adds a related location at node n of the same file. */
void rule_related(struct rule_ctx *ctx, struct finding *fd, nid n, const char *fmt, ...) GD_PRINTF(4, 5);
/* Adds a related location at node n of file fi of the same package. */
void rule_related_in(struct rule_ctx *ctx, struct finding *fd, int fi, nid n, const char *fmt, ...) GD_PRINTF(5, 6);

/* Machine-applicable fixes (finding.h, struct edit). A rule attaches edits
 * only when its fix is certainly correct, and all the edits of one fix or
 * none: it asks rule_can_edit first. The check pipeline applies nothing;
 * `check --fix` does (src/fix/). */
/* Can file fi of the package take machine edits: it parsed, is not
 * generated, and has no carriage returns (our insertions end lines with
 * \n)? */
bool rule_can_edit(const struct rule_ctx *ctx, int fi);
/* Attaches to fd the edit replacing bytes [start, end) of file fi with
 * text (copied). */
void rule_edit(struct rule_ctx *ctx, struct finding *fd, int fi, uint32_t start, uint32_t end, const char *text);

/* The registry, expanded from rules.def. */
#define RULE(sym) extern const struct rule rule_##sym;
#include "rules.def"
#undef RULE
extern const struct rule *const all_rules[];
extern const size_t all_rules_count;

/* Finds a rule by id ("GD301", case-insensitive) or name. */
const struct rule *rule_find(const char *id_or_name);

#endif
