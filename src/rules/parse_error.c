/* rules/parse_error: GD000. Not a visitor: the check pipeline reports a file
 * the front end could not parse cleanly, once, at the first error. */
#include "rule.h"

const struct rule rule_parse_error = {
    .id = "GD000",
    .name = "parse-error",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "The file could not be parsed as Go source.",
    .why = "godark reports the first syntax error of a file once, at its position, and still checks the "
           "parts of the file it could parse. Findings inside a broken region are not reported, so a file "
           "that does not parse may hide real problems. `go vet` or `gofmt -l` show the full error list.",
    .bad = "package p\n\nfunc f() {\n\tx := \n}\n",
    .good = "package p\n\nfunc f() int {\n\tx := 1\n\treturn x\n}\n",
    .fix_safety = NULL,
    .kinds = {0},
    .visit = NULL,
};
