#!/usr/bin/env python3
"""tests/cli/examples-check.py FINDINGS.json EXAMPLES_DIR [LOW.json]: every
`// GDxxx` marker comment in the examples has a finding of that rule on its
line at the default confidence (FINDINGS.json), every such finding is on a
line marked with its rule, and every `// GDxxx (low)` marker has a
low-confidence finding of that rule on its line in LOW.json (a run with
`--confidence low`). Prints PASS/FAIL lines."""
import json, os, re, sys

findings = json.load(open(sys.argv[1]))
if isinstance(findings, dict):
    findings = findings.get("findings", [])
root = sys.argv[2]
want = set()
want_low = set()
for name in sorted(os.listdir(root)):
    if not name.endswith(".go"):
        continue
    for i, line in enumerate(open(os.path.join(root, name), encoding="utf-8"), 1):
        for m in re.finditer(r"//.*?\b(GD\d{3})\b( \(low\))?", line):
            if not line.lstrip().startswith("//"):
                (want_low if m.group(2) else want).add((name, i, m.group(1)))
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
if want_low:
    low = json.load(open(sys.argv[3])) if len(sys.argv) > 3 else []
    if isinstance(low, dict):
        low = low.get("findings", [])
    got_low = {(os.path.basename(f["file"]), f["line"], f["rule"]) for f in low if f.get("confidence") == "low"}
    missing_low = sorted(want_low - got_low)
    if missing_low:
        print("FAIL cli examples low markers: no low-confidence finding for "
              + ", ".join("%s:%d %s" % m for m in missing_low))
    else:
        print("PASS cli examples low markers (%d)" % len(want_low))
