#!/usr/bin/env python3
"""Run godark on every tests/realbugs/<dir> and <dir>/fixed: the recall table,
and the test `make test` runs.

Each bug.go declares in its header what godark must say about it:
    // Want: GD103                  these blocking rules (comma separated)
                                    report it within 3 lines of `// BUG:`
    // Want: none (why: REASON)     not found yet, and why
The blocking rules near the BUG line must be exactly the declared ones, so
a rule that starts (or stops) finding a program fails the test until its
Want line is updated and the recall table stays honest. fixed/fixed.go must
have no finding of a blocking rule at any confidence; findings of other
rules there are listed, not failed.

Usage (from the repo root, after `make`):
    python3 tests/realbugs/measure.py [GODARK]        TSV table and summary
    python3 tests/realbugs/measure.py --test [GODARK] one PASS/FAIL line per
        program and one for README.md's table; exit 1 on a failure
    python3 tests/realbugs/measure.py --write-readme [GODARK]
        rewrite the found/fixed columns and the summary of README.md
"""
import json, os, re, subprocess, sys

root = os.path.dirname(os.path.abspath(__file__))
args = [a for a in sys.argv[1:] if not a.startswith("--")]
flags = {a for a in sys.argv[1:] if a.startswith("--")}
godark = args[0] if args else "build/godark"
if flags - {"--test", "--write-readme"}:
    sys.exit(f"measure.py: unknown flag {' '.join(sorted(flags))}; see the docstring")

# Rules that report a blocked or leaked goroutine (the class of these bugs).
# The one place to add a rule id: the Want lines, the test and the README
# all read this set.
BLOCKING = {"GD103", "GD104", "GD105", "GD108", "GD109", "GD110", "GD111",
            "GD203", "GD204", "GD302", "GD304", "GD306", "GD307", "GD402",
            "GD403", "GD405", "GD406", "GD407", "GD408", "GD409", "GD112", "GD113", "GD114",
            "GD115", "GD116", "GD117",
            "GD507", "GD508"}
NEAR = 3  # lines either side of the `// BUG:` line


def findings(path, fname):
    """Findings of godark at every confidence in file fname under path;
    None (with the reason) when godark failed."""
    r = subprocess.run([godark, "check", "--confidence", "low", "--format", "json", path],
                       capture_output=True, text=True)
    if r.returncode > 1:
        return None, f"godark exited {r.returncode}: {r.stderr.strip()[:200]}"
    try:
        fs = json.loads(r.stdout).get("findings", [])
    except json.JSONDecodeError as e:
        return None, f"bad JSON from godark: {e}"
    return [f for f in fs if os.path.basename(f.get("file", "")) == fname], None


def rid(f):
    return f.get("rule", "?")


def at(fs):
    return ",".join(sorted({f"{rid(f)}@{f.get('line')}" for f in fs}, key=lambda s: (int(s.split("@")[1]), s))) or "-"


def want_of(lines):
    """(set of rule ids, reason) from the `// Want:` header line; a set
    with None when the line is missing or malformed."""
    for l in lines:
        m = re.match(r"//\s*Want:\s*(.*?)\s*$", l)
        if not m:
            continue
        w = m.group(1)
        n = re.fullmatch(r"none \(why: (.+)\)", w)
        if n:
            return set(), n.group(1)
        ids = [x.strip() for x in w.split(",")]
        if ids and all(re.fullmatch(r"GD\d{3}", x) for x in ids):
            return set(ids), None
        return None, f"malformed Want line: {w!r}"
    return None, "no `// Want:` line in the header"


def measure(d):
    """One program's row: dict with found, want, fixed findings, problems."""
    bug = os.path.join(root, d, "bug.go")
    lines = open(bug).read().splitlines()
    buglines = [i + 1 for i, l in enumerate(lines) if re.search(r"//\s*BUG:", l)]
    row = {"dir": d, "problems": []}
    want, why = want_of(lines)
    row["want"], row["why"] = want, why
    if want is None:
        row["problems"].append(why)
    if len(buglines) != 1:
        row["problems"].append(f"{len(buglines)} `// BUG:` lines, want 1")
    fb, err = findings(os.path.join(root, d), "bug.go")
    if fb is None:
        row["problems"].append(f"bug.go: {err}")
        fb = []
    ff, err = findings(os.path.join(root, d, "fixed"), "fixed.go")
    if ff is None:
        row["problems"].append(f"fixed.go: {err}")
        ff = []
    bl = buglines[0] if buglines else -10**9
    near = [f for f in fb if abs(int(f.get("line", 0)) - bl) <= NEAR and rid(f) in BLOCKING]
    row["near"] = near
    row["rules"] = {rid(f) for f in near}
    row["other"] = [f for f in fb if f not in near]
    row["fixed_blocking"] = [f for f in ff if rid(f) in BLOCKING]
    row["fixed_other"] = [f for f in ff if rid(f) not in BLOCKING]
    return row


def verdict(row):
    """(ok, message) of the test line for one program."""
    probs = list(row["problems"])
    want, got = row["want"], row["rules"]
    if want is not None:
        missing, extra = want - got, got - want
        if missing:
            probs.append(f"bug.go: {','.join(sorted(missing))} declared in `// Want:` but not reported "
                         f"within {NEAR} lines of the BUG line")
        if extra and not want:
            probs.append(f"bug.go: now reported by {','.join(sorted(extra))} ({at(row['near'])}): "
                         f"change `// Want: none` to `// Want: {','.join(sorted(got))}`")
        elif extra:
            probs.append(f"bug.go: also reported by {','.join(sorted(extra))}: add it to the `// Want:` line")
    if row["fixed_blocking"]:
        probs.append(f"fixed/fixed.go: blocking finding {at(row['fixed_blocking'])}")
    if probs:
        return False, "; ".join(probs)
    msg = f"found by {','.join(sorted(got))}" if got else "not found yet, as declared"
    if row["fixed_other"]:
        msg += f"; fixed.go has non-blocking {at(row['fixed_other'])}"
    return True, msg


# ---- README.md: the found/fixed columns and the summary line ----

README = os.path.join(root, "README.md")


def found_cell(row):
    if row["rules"]:
        return f"yes ({','.join(sorted(row['rules']))})"
    other = [f for f in row["other"] if rid(f) in BLOCKING]
    return f"no (elsewhere: {at(other)})" if other else "no"


def fixed_cell(row):
    if row["fixed_blocking"]:
        return f"**no** ({at(row['fixed_blocking'])})"
    if row["fixed_other"]:
        return f"yes (non-blocking: {at(row['fixed_other'])})"
    return "yes"


def summary_line(rows):
    n = len(rows)
    found = sum(bool(r["rules"]) for r in rows)
    silent = sum(not r["fixed_blocking"] for r in rows)
    quiet = sum(not r["fixed_blocking"] and not r["fixed_other"] for r in rows)
    return (f"Summary (`--confidence low`): **{found} of {n}** bugs reported at the blocking line "
            f"(recall {round(100 * found / n)}%); {silent}/{n} fixed versions without a blocking finding, "
            f"{quiet}/{n} without any finding.")


def readme_text(rows):
    """README.md with the measured columns and summary filled in."""
    by = {r["dir"]: r for r in rows}
    out = []
    for l in open(README).read().splitlines():
        m = re.match(r"\| `([^`]+)` \|", l)
        if m and m.group(1) in by:
            cells = l.split(" | ")
            cells[-2] = found_cell(by[m.group(1)])
            cells[-1] = fixed_cell(by[m.group(1)]) + " |"
            l = " | ".join(cells)
        elif l.startswith("Summary ("):
            l = summary_line(rows)
        out.append(l)
    return "\n".join(out) + "\n"


def main():
    dirs = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    rows = [measure(d) for d in dirs]
    if "--write-readme" in flags:
        text = readme_text(rows)  # read before open(..., "w") truncates it
        with open(README, "w") as f:
            f.write(text)
    if "--test" in flags:
        failed = 0
        for r in rows:
            ok, msg = verdict(r)
            failed += not ok
            print(f"{'PASS' if ok else 'FAIL'} realbugs {r['dir']}: {msg}")
        listed = set(re.findall(r"^\| `([^`]+)` \|", open(README).read(), re.M))
        if listed != set(dirs):
            failed += 1
            print(f"FAIL realbugs README.md: table rows differ from the directories: "
                  f"{', '.join(sorted(listed ^ set(dirs)))}")
        elif readme_text(rows) != open(README).read():
            failed += 1
            print("FAIL realbugs README.md: table or summary differ from the measurement "
                  "(python3 tests/realbugs/measure.py --write-readme, then check the diff)")
        else:
            print("PASS realbugs README.md table")
        print(f"# {summary_line(rows)}")
        return 1 if failed else 0
    if "--write-readme" in flags:
        return 0
    for r in rows:
        print(f"{r['dir']}\t{'yes' if r['rules'] else 'no'}\t{'no' if r['fixed_blocking'] else 'yes'}\t"
              f"{','.join(sorted(r['rules'])) or '-'}\t{at(r['other'])}\t{at(r['fixed_blocking'] + r['fixed_other'])}")
    print(f"# {summary_line(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
