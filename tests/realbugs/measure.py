#!/usr/bin/env python3
"""Run godark on every tests/realbugs/<dir> and <dir>/fixed.

Prints one TSV line per program: dir, found-now (a finding of a blocking
rule in bug.go within 3 lines of the `// BUG:` line), fixed-silent (no
finding at all in fixed/fixed.go), blocking rules near the line, other
bug.go findings (rule@line) and fixed.go findings (rule@line). Usage (from the repo root, after `make`):
    python3 tests/realbugs/measure.py [path/to/godark]
"""
import json, os, re, subprocess, sys

root = os.path.dirname(os.path.abspath(__file__))
godark = sys.argv[1] if len(sys.argv) > 1 else "build/godark"

def findings(path, fname):
    out = subprocess.run([godark, "check", "--confidence", "low", "--format", "json", path],
                         capture_output=True, text=True).stdout
    try:
        fs = json.loads(out).get("findings", [])
    except json.JSONDecodeError:
        return None
    return [f for f in fs if os.path.basename(f.get("file", "")) == fname]

# Rules that report a blocked or leaked goroutine (the class of these bugs).
BLOCKING = {"GD103", "GD104", "GD105", "GD108", "GD203", "GD302", "GD304",
            "GD306", "GD402", "GD403", "GD405", "GD406", "GD408"}

def rid(f):
    return f.get("rule", "?")

rows, found, silent = [], 0, 0
dirs = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
for d in dirs:
    bug = os.path.join(root, d, "bug.go")
    lines = open(bug).read().splitlines()
    bugline = next(i + 1 for i, l in enumerate(lines) if re.search(r"//\s*BUG:", l))
    fb = findings(os.path.join(root, d), "bug.go") or []
    ff = findings(os.path.join(root, d, "fixed"), "fixed.go") or []
    near = [f for f in fb if abs(int(f.get("line", 0)) - bugline) <= 3 and rid(f) in BLOCKING]
    ok, quiet = bool(near), not ff
    found += ok
    silent += quiet
    rules = ",".join(sorted({rid(f) for f in near})) or "-"
    other = ",".join(sorted({f"{f.get('rule', f.get('id', '?'))}@{f.get('line')}" for f in fb if f not in near})) or "-"
    fixed_rules = ",".join(sorted({f"{f.get('rule', f.get('id', '?'))}@{f.get('line')}" for f in ff})) or "-"
    print(f"{d}\t{'yes' if ok else 'no'}\t{'yes' if quiet else 'no'}\t{rules}\t{other}\t{fixed_rules}")
print(f"# found {found}/{len(dirs)}, fixed silent {silent}/{len(dirs)}")
