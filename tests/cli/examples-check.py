#!/usr/bin/env python3
"""tests/cli/examples-check.py FINDINGS.json EXAMPLES_DIR: every `// GDxxx`
marker comment in the examples has a finding of that rule on its line, and
every finding is on a line marked with its rule. Prints PASS/FAIL lines."""
import json, os, re, sys

findings = json.load(open(sys.argv[1]))
if isinstance(findings, dict):
    findings = findings.get("findings", [])
root = sys.argv[2]
want = set()
for name in sorted(os.listdir(root)):
    if not name.endswith(".go"):
        continue
    for i, line in enumerate(open(os.path.join(root, name), encoding="utf-8"), 1):
        for m in re.finditer(r"//.*?\b(GD\d{3})\b", line):
            if not line.lstrip().startswith("//"):
                want.add((name, i, m.group(1)))
got = set()
for f in findings:
    got.add((os.path.basename(f["file"]), f["line"], f["rule"]))
missing = sorted(want - got)
extra = sorted(got - want)
if missing:
    print("FAIL cli examples markers: no finding for " + ", ".join("%s:%d %s" % m for m in missing))
elif extra:
    print("FAIL cli examples markers: unmarked finding " + ", ".join("%s:%d %s" % m for m in extra))
else:
    print("PASS cli examples markers (%d findings)" % len(got))
