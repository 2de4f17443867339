#!/usr/bin/env python3
"""Run godark on every tests/realbugs/<dir> and <dir>/fixed: the recall table,
and the test `make test` runs.

Each bug.go declares in its header its kind and what godark must say:
    // Kind: leak | deadlock | race
    // Want: GD103                  these rules (comma separated) of the
                                    program's class report it within 3
                                    lines of `// BUG:`
    // Want: none (why: REASON)     not found yet, and why
The class is BLOCKING for leaks and deadlocks and RACE for data races (Kind:
race). The rules of the class near the BUG line must be exactly the
declared ones, so a rule that starts (or stops) finding a program fails the
test until its Want line is updated and the recall tables stay honest.
fixed/fixed.go must have no finding of a rule of the class at any
confidence; findings of other rules there are listed, not failed.

Usage (from the repo root, after `make`):
    python3 tests/realbugs/measure.py [GODARK]        TSV table and summary
    python3 tests/realbugs/measure.py --test [GODARK] one PASS/FAIL line per
        program and one for README.md's table; exit 1 on a failure
    python3 tests/realbugs/measure.py --write-readme [GODARK]
        rewrite the found/fixed columns and the summaries of README.md
    python3 tests/realbugs/measure.py --race      (`make realbugs`)
        run `go test -race` on every race program: bug.go must fail with a
        DATA RACE report, fixed/ must pass; one line a program and a count.
        Needs Go with cgo; offline (std only); not part of `make test`.
"""
import json, os, re, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

root = os.path.dirname(os.path.abspath(__file__))
args = [a for a in sys.argv[1:] if not a.startswith("--")]
flags = {a for a in sys.argv[1:] if a.startswith("--")}
godark = args[0] if args else "build/godark"
if flags - {"--test", "--write-readme", "--race"}:
    sys.exit(f"measure.py: unknown flag {' '.join(sorted(flags))}; see the docstring")

# Rules that report a blocked or leaked goroutine (the class of these bugs).
# The one place to add a rule id: the Want lines, the test and the README
# all read this set.
BLOCKING = {"GD103", "GD104", "GD105", "GD108", "GD109", "GD110", "GD111",
            "GD203", "GD204", "GD302", "GD304", "GD306", "GD307", "GD402",
            "GD403", "GD405", "GD406", "GD407", "GD408", "GD409", "GD112", "GD113", "GD114",
            "GD115", "GD116", "GD117",
            "GD507", "GD508"}
# Rules that report a data race (Kind: race programs): the same role for
# the race programs as BLOCKING for the others.
RACE = {"GD401", "GD601", "GD602", "GD603", "GD604", "GD605", "GD606", "GD607", "GD608"}
CLASS = {"race": ("race", RACE)}  # kind -> (class name, rule set); others blocking
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


def kind_of(lines):
    for l in lines:
        m = re.match(r"//\s*Kind:\s*(\w+)", l)
        if m:
            return m.group(1)
    return None


def measure(d):
    """One program's row: dict with found, want, fixed findings, problems."""
    bug = os.path.join(root, d, "bug.go")
    lines = open(bug).read().splitlines()
    buglines = [i + 1 for i, l in enumerate(lines) if re.search(r"//\s*BUG:", l)]
    row = {"dir": d, "problems": [], "kind": kind_of(lines)}
    row["class"], rules = CLASS.get(row["kind"], ("blocking", BLOCKING))
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
    near = [f for f in fb if abs(int(f.get("line", 0)) - bl) <= NEAR and rid(f) in rules]
    row["near"] = near
    row["rules"] = {rid(f) for f in near}
    row["other"] = [f for f in fb if f not in near]
    row["other_class"] = [f for f in row["other"] if rid(f) in rules]
    row["fixed_class"] = [f for f in ff if rid(f) in rules]
    row["fixed_other"] = [f for f in ff if rid(f) not in rules]
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
    if row["fixed_class"]:
        probs.append(f"fixed/fixed.go: {row['class']} finding {at(row['fixed_class'])}")
    if probs:
        return False, "; ".join(probs)
    msg = f"found by {','.join(sorted(got))}" if got else "not found yet, as declared"
    if row["fixed_other"]:
        msg += f"; fixed.go has non-{row['class']} {at(row['fixed_other'])}"
    return True, msg


# ---- README.md: the found/fixed columns and the summary line ----

README = os.path.join(root, "README.md")


def found_cell(row):
    if row["rules"]:
        return f"yes ({','.join(sorted(row['rules']))})"
    return f"no (elsewhere: {at(row['other_class'])})" if row["other_class"] else "no"


def fixed_cell(row):
    if row["fixed_class"]:
        return f"**no** ({at(row['fixed_class'])})"
    if row["fixed_other"]:
        return f"yes (non-{row['class']}: {at(row['fixed_other'])})"
    return "yes"


def summary_line(rows, cls="blocking"):
    """The README line that starts `Summary (` (blocking programs) or
    `Race summary (` (race programs)."""
    rows = [r for r in rows if r["class"] == cls]
    n = max(len(rows), 1)
    found = sum(bool(r["rules"]) for r in rows)
    silent = sum(not r["fixed_class"] for r in rows)
    quiet = sum(not r["fixed_class"] and not r["fixed_other"] for r in rows)
    what = "bugs reported at the blocking line" if cls == "blocking" else "data races reported at the racing line"
    return (f"{'Summary' if cls == 'blocking' else 'Race summary'} (`--confidence low`): "
            f"**{found} of {len(rows)}** {what} "
            f"(recall {round(100 * found / n)}%); {silent}/{len(rows)} fixed versions without a {cls} finding, "
            f"{quiet}/{len(rows)} without any finding.")


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
        elif l.startswith("Race summary ("):
            l = summary_line(rows, "race")
        out.append(l)
    return "\n".join(out) + "\n"


# ---- --race: the race detector on the race programs (`make realbugs`) ----

def go_test(pkg):
    """(exit code, output) of `go test -race -count=1 ./pkg`, offline."""
    env = dict(os.environ, GOPROXY="off", GOTOOLCHAIN="local", CGO_ENABLED="1")
    r = subprocess.run(["go", "test", "-race", "-count=1", "./" + pkg], cwd=root, env=env,
                       capture_output=True, text=True, timeout=300)
    return r.returncode, r.stdout + r.stderr


def race_verdict(d):
    """(ok, message): bug.go's test reports a DATA RACE, fixed/'s passes."""
    (bc, bout), (fc, fout) = go_test(d), go_test(d + "/fixed")
    probs = []
    races = bout.count("WARNING: DATA RACE")
    if bc == 0 or not races:
        probs.append(f"bug: no DATA RACE report (exit {bc}){': ' + bout.strip().splitlines()[-1] if bout.strip() else ''}")
    if fc != 0 or "WARNING: DATA RACE" in fout:
        probs.append(f"fixed: go test -race failed (exit {fc}): {' | '.join(fout.strip().splitlines()[-3:])}")
    return (False, "; ".join(probs)) if probs else (True, f"bug: {races} DATA RACE report(s); fixed: ok")


def race_main(dirs):
    races = [d for d in dirs if kind_of(open(os.path.join(root, d, "bug.go")).read().splitlines()) == "race"]
    with ThreadPoolExecutor(max_workers=4) as ex:
        verdicts = list(ex.map(race_verdict, races))
    for d, (ok, msg) in zip(races, verdicts):
        print(f"{'PASS' if ok else 'FAIL'} race {d}: {msg}")
    failed = sum(not ok for ok, _ in verdicts)
    print(f"{len(races) - failed} passed, {failed} failed")
    return 1 if failed else 0


def main():
    dirs = sorted(d for d in os.listdir(root) if os.path.isfile(os.path.join(root, d, "bug.go")))
    if "--race" in flags:
        return race_main(dirs)
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
        print(f"# {summary_line(rows, 'race')}")
        return 1 if failed else 0
    if "--write-readme" in flags:
        return 0
    for r in rows:
        print(f"{r['dir']}\t{r['class']}\t{'yes' if r['rules'] else 'no'}\t{'no' if r['fixed_class'] else 'yes'}\t"
              f"{','.join(sorted(r['rules'])) or '-'}\t{at(r['other'])}\t{at(r['fixed_class'] + r['fixed_other'])}")
    print(f"# {summary_line(rows)}")
    print(f"# {summary_line(rows, 'race')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
