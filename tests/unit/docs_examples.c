/* tests/unit/docs_examples: each rule's documented bad example must make
 * that rule fire and its good example must be clean (jq runs its manual's
 * examples the same way). Dump-side rules (no visitor) need only examples
 * that parse. */
#include <stdlib.h>
#include <string.h>

#include "../../src/check/check.h"
#include "../../src/rules/rule.h"
#include "unit.h"

static size_t count_rule(const struct finding_list *l, const struct rule *r)
{
    size_t n = 0;
    for (size_t i = 0; i < l->len; i++) n += !strcmp(l->items[i].rule_id, r->id);
    return n;
}

void test_docs_examples_all(struct tally *t)
{
    struct check_opts o;
    check_opts_default(&o);
    o.min_confidence = CONF_LOW;
    o.strict_ignores = true;
    o.jobs = 1;
    for (size_t i = 0; i < all_rules_count; i++) {
        const struct rule *r = all_rules[i];
        char *name = xasprintf("docs %s %s examples", r->id, r->name);
        if (!r->bad || !r->good || !r->why || !r->summary) {
            unit_fail(t, name, "the rule table entry lacks summary, why, bad or good");
            free(name);
            continue;
        }
        struct finding_list bad = {0}, good = {0};
        check_source(&o, "bad.go", r->bad, strlen(r->bad), &bad);
        check_source(&o, "good.go", r->good, strlen(r->good), &good);
        size_t nb = count_rule(&bad, r);
        bool dump_rule = !r->visit && r != &rule_parse_error && r != &rule_ignore_without_reason;
        if (dump_rule) {
            if (count_rule(&bad, &rule_parse_error) || count_rule(&good, &rule_parse_error))
                unit_fail(t, name, "an example does not parse");
            else
                unit_pass(t, name);
        } else if (nb == 0) {
            unit_fail(t, name, "the bad example gives no %s finding", r->id);
        } else if (good.len) {
            unit_fail(t, name, "the good example gives a finding: %s:%d: %s (%s)", good.items[0].file,
                      good.items[0].line, good.items[0].message, good.items[0].rule_id);
        } else if (r != &rule_parse_error && count_rule(&bad, &rule_parse_error)) {
            unit_fail(t, name, "the bad example does not parse");
        } else {
            unit_pass(t, name);
        }
        finding_list_free(&bad);
        finding_list_free(&good);
        free(name);
    }
}
