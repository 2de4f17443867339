#!/usr/bin/env python3
"""make ecosystem: godark on pinned public Go modules, compared with verdicts.

Fetches every module of tests/ecosystem/modules.tsv with `go mod download`
(into a cache outside the checkout), runs `godark check --confidence low
--format json ./...` in each, and compares the findings with the verdicts
read from the code (tests/ecosystem/verdicts.tsv). Prints per-module and
per-rule counts, per-rule precision over the judged default-confidence
findings, the default findings without a verdict, and the verdicts whose
finding is gone (or now only at low confidence); writes the same as Markdown
(docs/ecosystem.md for a run over the whole corpus).

Never part of `make test`: it needs the Go module proxy and a few minutes.
Exit status 0, or 1 with --strict when a default finding has no verdict.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import time

# godark check's result cache would turn the timings into cache reads, and
# a verdict run must analyse the code: every godark run here goes without it.
os.environ["GODARK_CACHE"] = "off"

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VERDICTS = ("true", "false", "debatable")
DEFAULT_CONF = ("high", "medium")
# GD000 is the parser's own report (valid code it cannot parse): it is
# counted and judged like a rule, and the totals are given with and without
# it, since the parser is its own issue.
PARSER_RULE = "GD000"


def die(msg):
    print("ecosystem: " + msg, file=sys.stderr)
    sys.exit(2)


def read_tsv(path, ncols, what):
    rows = []
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < ncols:
                die("%s:%d: %s needs %d tab-separated columns, has %d" % (path, no, what, ncols, len(cols)))
            rows.append((no, cols))
    return rows


def read_modules(path):
    mods = []
    for no, cols in read_tsv(path, 2, "a module line"):
        key, spec = cols[0].strip(), cols[1].strip()
        if spec != "std" and "@" not in spec and not os.path.isdir(spec):
            die("%s:%d: %r is not MODULE@VERSION, std, or a directory" % (path, no, spec))
        mods.append((key, spec))
    return mods


def read_verdicts(path):
    """{(rule, key, file, line): (verdict, reason, lineno)}"""
    out = {}
    if not os.path.exists(path):
        return out
    for no, cols in read_tsv(path, 5, "a verdict"):
        rule, key, pos, verdict, reason = (c.strip() for c in cols[:5])
        file, _, line = pos.rpartition(":")
        if not file or not line.isdigit():
            die("%s:%d: %r is not FILE:LINE" % (path, no, pos))
        if verdict not in VERDICTS:
            die("%s:%d: verdict %r is not one of %s" % (path, no, verdict, "/".join(VERDICTS)))
        k = (rule, key, file, int(line))
        if k in out:
            die("%s:%d: a second verdict for %s %s %s (first at line %d)" % (path, no, rule, key, pos, out[k][2]))
        out[k] = (verdict, reason, no)
    return out


def go_env(name):
    return subprocess.run(["go", "env", name], capture_output=True, text=True, check=True).stdout.strip()


def module_dir(spec, cache):
    if spec == "std":
        return os.path.join(go_env("GOROOT"), "src"), go_env("GOVERSION")
    if "@" not in spec:  # a local directory (the tests use one)
        return os.path.abspath(spec), "local"
    env = dict(os.environ, GOMODCACHE=os.path.join(cache, "mod"), GOFLAGS="-mod=mod", GO111MODULE="on")
    r = subprocess.run(["go", "mod", "download", "-json", spec], capture_output=True, text=True, env=env, cwd=cache)
    try:
        info = json.loads(r.stdout)
    except ValueError:
        die("go mod download %s failed: %s" % (spec, (r.stderr or r.stdout).strip()))
    if info.get("Error") or not info.get("Dir"):
        die("go mod download %s: %s" % (spec, info.get("Error", "no directory")))
    return info["Dir"], spec.split("@", 1)[1]


def run_godark(godark, d, extra, jobs):
    cmd = [godark, "check", "--format", "json", "--confidence", "low", "--stats"] + extra
    if jobs:
        cmd += ["--jobs", str(jobs)]
    t0 = time.monotonic()
    r = subprocess.run(cmd + ["./..."], cwd=d, capture_output=True, text=True)
    dt = time.monotonic() - t0
    if r.returncode not in (0, 1):
        die("godark check in %s exited %d: %s" % (d, r.returncode, r.stderr.strip()[-500:]))
    stats = [l for l in r.stderr.splitlines() if l.startswith("godark: checked")]
    return json.loads(r.stdout)["findings"], dt, stats[-1][len("godark: "):] if stats else ""


def parse_time(godark, d):
    """Best of two single-thread parse-only runs (GD000 alone)."""
    best = None
    for _ in range(2):
        t0 = time.monotonic()
        subprocess.run([godark, "check", "--jobs", "1", "--enable", "GD000", "./..."], cwd=d, capture_output=True)
        dt = time.monotonic() - t0
        best = dt if best is None else min(best, dt)
    return best


def history_section(path):
    """Markdown of history.tsv: the verdicts of the default findings that
    each round of rule changes started from, on the modules new to it."""
    rounds = collections.OrderedDict()
    notes = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#round\t"):
                _, rnd, note = line.rstrip("\n").split("\t", 2)
                notes[rnd] = note
                continue
            if line.startswith("#") or not line.strip():
                continue
            rnd, rule, _key, _pos, verdict = line.rstrip("\n").split("\t")[:5]
            rounds.setdefault(rnd, collections.defaultdict(collections.Counter))[rule][verdict] += 1
    out = ["## History: precision before each round of changes", "",
           "Each round judged the default findings of the godark of its start on code its rules had not been "
           "tuned on, then fixed false classes (`tests/ecosystem/history.tsv`).", ""]
    for rnd, note in notes.items():
        out.append("- **%s**: %s" % (rnd, note))
    out.append("")
    allrules = sorted({r for c in rounds.values() for r in c})
    out.append("| rule | " + " | ".join("%s: true / judged" % r for r in rounds) + " |")
    out.append("|---|" + "---:|" * len(rounds))
    for rule in allrules + ["all"]:
        cells = []
        for rnd, c in rounds.items():
            cnt = c[rule] if rule != "all" else sum(c.values(), collections.Counter())
            j = sum(cnt.values())
            cells.append("%d / %d (%s)" % (cnt["true"], j, pct(cnt["true"], j)) if j else "")
        out.append("| %s | %s |" % ("**all**" if rule == "all" else rule, " | ".join(cells)))
    out.append("")
    return out


def pct(n, d):
    return "%.0f %%" % (100.0 * n / d) if d else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--godark", default=os.path.join(ROOT, "build", "godark"))
    ap.add_argument("--cache", default=os.environ.get("GODARK_ECO_CACHE", os.path.expanduser("~/.cache/godark-ecosystem")),
                    help="module cache (GOMODCACHE lives in CACHE/mod)")
    ap.add_argument("--modules", default="", help="comma-separated keys of modules.tsv (default: all)")
    ap.add_argument("--enable", default="", help="rule ids or names, passed to godark check --enable")
    ap.add_argument("--verdicts", default=os.path.join(HERE, "verdicts.tsv"))
    ap.add_argument("--modules-file", default=os.path.join(HERE, "modules.tsv"))
    ap.add_argument("--markdown", default=None,
                    help="write the Markdown report here (default docs/ecosystem.md for a full run, none for a partial one)")
    ap.add_argument("--findings", default=None, help="also write every finding as TSV (for judging)")
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--time", action="store_true",
                    help="also time each module single-threaded: parse only vs all rules (slow)")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a default finding has no verdict")
    ap.add_argument("--dirs", action="store_true",
                    help="only fetch the modules and print `key<TAB>directory` for each (make parser-diff uses it)")
    a = ap.parse_args()

    if a.dirs:
        mods = read_modules(a.modules_file)
        if a.modules:
            mods = [m for m in mods if m[0] in set(a.modules.split(","))]
        os.makedirs(a.cache, exist_ok=True)
        for key, spec in mods:
            print("%s\t%s" % (key, module_dir(spec, a.cache)[0]), flush=True)
        return 0

    a.godark = os.path.abspath(a.godark)
    if not os.access(a.godark, os.X_OK):
        die("no godark binary at %s (make first)" % a.godark)
    mods = read_modules(a.modules_file)
    if a.modules:
        want = set(a.modules.split(","))
        unknown = want - {k for k, _ in mods}
        if unknown:
            die("unknown module key(s): %s" % ", ".join(sorted(unknown)))
        mods = [m for m in mods if m[0] in want]
    partial = bool(a.modules or a.enable) or a.modules_file != os.path.join(HERE, "modules.tsv")
    verdicts = read_verdicts(a.verdicts)
    os.makedirs(a.cache, exist_ok=True)
    extra = ["--enable", a.enable] if a.enable else []
    enabled = None
    if a.enable:
        enabled = set(a.enable.split(","))

    findings = []  # (key, finding)
    modrows = []
    for key, spec in mods:
        d, version = module_dir(spec, a.cache)
        fs, dt, stats = run_godark(a.godark, d, extra, a.jobs)
        row = {"key": key, "spec": spec if spec != "std" else "std (%s)" % version, "time": dt, "stats": stats,
               "default": sum(1 for f in fs if f["confidence"] in DEFAULT_CONF), "low": sum(1 for f in fs if f["confidence"] == "low")}
        if a.time:
            p = parse_time(a.godark, d)
            t0 = time.monotonic()
            subprocess.run([a.godark, "check", "--jobs", "1", "--confidence", "low"] + extra + ["./..."], cwd=d, capture_output=True)
            full = time.monotonic() - t0
            row.update(parse1=p, full1=full)
        modrows.append(row)
        print("%-11s %3d default, %3d low  %6.1f s  %s" % (key, row["default"], row["low"], dt, stats), file=sys.stderr)
        findings += [(key, f) for f in fs]

    # Per-rule counts.
    rules = collections.OrderedDict()
    seen = set()
    names = {}
    for key, f in findings:
        names[f["rule"]] = f.get("name", "")
        r = rules.setdefault(f["rule"], collections.Counter())
        k = (f["rule"], key, f["file"], f["line"])
        if f["confidence"] not in DEFAULT_CONF:
            r["low"] += 1
            continue
        r["default"] += 1
        seen.add(k)
        v = verdicts.get(k)
        if v:
            r[v[0]] += 1
        else:
            r["unjudged"] += 1
    lowkeys = {(f["rule"], key, f["file"], f["line"]) for key, f in findings if f["confidence"] not in DEFAULT_CONF}
    in_scope = {key for key, _ in mods}
    gone, demoted = [], []
    for k, v in sorted(verdicts.items()):
        if k[1] not in in_scope or (enabled and k[0] not in enabled and names.get(k[0]) not in enabled):
            continue
        if k in seen:
            continue
        (demoted if k in lowkeys else gone).append((k, v))
    unjudged = [(key, f) for key, f in findings if f["confidence"] in DEFAULT_CONF
                and (f["rule"], key, f["file"], f["line"]) not in verdicts]

    def totals(skip_parser):
        t = collections.Counter()
        for rid, c in rules.items():
            if skip_parser and rid == PARSER_RULE:
                continue
            t.update(c)
        return t

    lines = []
    out = lines.append
    out("# godark ecosystem check")
    out("")
    out("`make ecosystem` (tests/ecosystem/run.py): `godark check --confidence low` on the pinned modules of "
        "`tests/ecosystem/modules.tsv`, compared with the verdicts of `tests/ecosystem/verdicts.tsv`, each read from "
        "the code. Default confidence = high and medium (what `godark check` shows); precision = true / judged "
        "(debatable counts as not true).")
    out("")
    out("## Modules")
    out("")
    hdr = "| module | version | files, lines | default | low | time (s) |"
    sep = "|---|---|---|---:|---:|---:|"
    if a.time:
        hdr += " parse, 1 thread (s) | all rules, 1 thread (s) | ratio |"
        sep += "---:|---:|---:|"
    out(hdr)
    out(sep)
    for m in modrows:
        s = m["stats"].replace("checked ", "").split(":")[0]
        row = "| %s | %s | %s | %d | %d | %.1f |" % (m["key"], m["spec"], s, m["default"], m["low"], m["time"])
        if a.time:
            row += " %.1f | %.1f | %.2fx |" % (m["parse1"], m["full1"], m["full1"] / m["parse1"] if m["parse1"] else 0)
        out(row)
    out("")
    out("## Rules at the default confidence")
    out("")
    out("| rule | name | default | true | false | debatable | unjudged | precision | low |")
    out("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for rid in sorted(rules):
        c = rules[rid]
        judged = c["true"] + c["false"] + c["debatable"]
        out("| %s | %s | %d | %d | %d | %d | %d | %s | %d |" % (rid, names.get(rid, ""), c["default"], c["true"], c["false"],
                                                               c["debatable"], c["unjudged"], pct(c["true"], judged), c["low"]))
    for label, skip in (("all", False), ("all but GD000", True)):
        t = totals(skip)
        judged = t["true"] + t["false"] + t["debatable"]
        out("| **%s** | | %d | %d | %d | %d | %d | **%s** | %d |" % (label, t["default"], t["true"], t["false"], t["debatable"],
                                                                 t["unjudged"], pct(t["true"], judged), t["low"]))
    out("")
    out("## Default findings without a verdict (%d)" % len(unjudged))
    out("")
    for key, f in unjudged:
        out("- %s %s %s:%d: %s" % (f["rule"], key, f["file"], f["line"], f["message"][:160]))
    out("")
    out("## Verdicts whose finding is gone (%d) or now only at low confidence (%d)" % (len(gone), len(demoted)))
    out("")
    for what, lst in (("gone", gone), ("low", demoted)):
        for (rule, key, file, line), (verdict, reason, _) in lst:
            out("- %s: %s %s %s:%d (was %s: %s)" % (what, rule, key, file, line, verdict, reason))
    out("")
    hist = os.path.join(HERE, "history.tsv")
    if not partial and os.path.exists(hist):
        lines.extend(history_section(hist))
    text = "\n".join(lines)
    print(text)

    md = a.markdown if a.markdown is not None else (None if partial else os.path.join(ROOT, "docs", "ecosystem.md"))
    if md:
        if os.path.exists(md) and not os.path.isfile(md):
            with open(md, "w", encoding="utf-8") as f:  # a device or pipe (/dev/null): never replace it
                f.write(text)
        else:
            with open(md + ".tmp", "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(md + ".tmp", md)
        print("ecosystem: wrote %s" % md, file=sys.stderr)
    if a.findings:
        with open(a.findings, "w", encoding="utf-8") as f:
            for key, x in findings:
                k = (x["rule"], key, x["file"], x["line"])
                v = verdicts.get(k, ("", "", 0))
                f.write("\t".join([x["rule"], key, "%s:%d" % (x["file"], x["line"]), x["confidence"], v[0],
                                   x["message"].replace("\t", " ")]) + "\n")
    return 1 if a.strict and unjudged else 0


if __name__ == "__main__":
    sys.exit(main())
