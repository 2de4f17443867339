#!/usr/bin/env bash
# tools/new-rule.sh ID kebab-name: creates src/rules/<sym>.c from a
# template, adds RULE(<sym>) to rules.def, and makes the fixture folder
# tests/rules/<kebab-name>/ with a file to fill in. Keeps every rule alike.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: tools/new-rule.sh GDxxx kebab-name" >&2; exit 2; }
id=$1; name=$2; sym=${name//-/_}
cd "$(dirname "$0")/.."
[ -e "src/rules/$sym.c" ] && { echo "src/rules/$sym.c exists" >&2; exit 1; }
cat > "src/rules/$sym.c" <<C
/* rules/$sym: $id $name. TODO: one line on what it finds.
 * TODO: one line on how (which nodes, which model facts). */
#include "rule.h"

static void visit(struct rule_ctx *ctx, nid n)
{
    (void)ctx, (void)n;
}

const struct rule rule_$sym = {
    .id = "$id",
    .name = "$name",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = NULL,
    .why = NULL,
    .bad = NULL,
    .good = NULL,
    .fix_safety = NULL,
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
C
echo "RULE($sym)" >> src/rules/rules.def
mkdir -p "tests/rules/$name"
cat > "tests/rules/$name/$sym.go" <<G
package $sym

// Bad cases carry a want comment; look-alikes that must stay silent do not.
G
echo "created src/rules/$sym.c, tests/rules/$name/, and RULE($sym) in rules.def"
