/* rules/parse_error: GD000. Not a visitor: the check pipeline reports a file
 * the front end could not parse cleanly, once, at the first error. */
#include "rule.h"

const struct rule rule_parse_error = {
    .id = "GD000",
    .name = "parse-error",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "godark could not parse the file as Go source.",
    .why = "godark reports the first place it could not parse a file once, and still checks the parts of "
           "the file it could parse. Findings inside the broken region are not reported, so such a file may "
           "hide real problems. Most often the file really has a syntax error (`gofmt -l` shows it). godark "
           "reads the Go 1.26 language, `new(expr)` and called variables named `make` or `new` included; "
           "if `gofmt -l` accepts a file that godark reports here, that is a godark bug: silence it with "
           "--disable GD000 meanwhile.",
    .bad = "package p\n\nfunc f() {\n\tx := \n}\n",
    .good = "package p\n\nfunc f() int {\n\tx := 1\n\treturn x\n}\n",
    .fix_safety = NULL,
    .kinds = {0},
    .visit = NULL,
};
