#!/usr/bin/env python3
"""bench/ecosystem-speed.py [--modules K,..] [--runs N] GODARK [GODARK...]

Single-thread speed of one or more godark binaries on the ecosystem corpus
(tests/ecosystem/modules.tsv, fetched as `make ecosystem` does), side by side
in one run: per module, the parse-only time (`--enable GD000`) of the first
binary and, for each binary, all rules at `--confidence low`, each the best
of N runs (alternating binaries, so machine load hits them alike), and the
ratio to parsing. Issue 11 asked every module within 2x of its parse time
with tree-sitter; since our own parser (issue 12) parses about 14x faster,
the ratio to our parse is higher while every time fell (docs/benchmarks.md).
"""
import argparse
import os
import subprocess
import sys
import time

os.environ["GODARK_CACHE"] = "off"  # time the analysis, not cache reads

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "ecosystem"))
import run as eco  # noqa: E402


def timed(cmd, cwd):
    t0 = time.monotonic()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True)
    if r.returncode not in (0, 1):
        sys.exit("bench: %s exited %d in %s" % (" ".join(cmd), r.returncode, cwd))
    return time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("godark", nargs="+")
    ap.add_argument("--modules", default="")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--cache", default=os.environ.get("GODARK_ECO_CACHE", os.path.expanduser("~/.cache/godark-ecosystem")))
    a = ap.parse_args()
    bins = [os.path.abspath(g) for g in a.godark]
    mods = eco.read_modules(os.path.join(HERE, "..", "tests", "ecosystem", "modules.tsv"))
    if a.modules:
        mods = [m for m in mods if m[0] in a.modules.split(",")]
    os.makedirs(a.cache, exist_ok=True)
    print("| module | parse (s) | " + " | ".join("%s (s) | ratio" % g for g in a.godark) + " |")
    print("|---|---:|" + "---:|---:|" * len(bins))
    for key, spec in mods:
        d, _ = eco.module_dir(spec, a.cache)
        parse = min(timed([bins[0], "check", "--jobs", "1", "--enable", "GD000", "./..."], d) for _ in range(a.runs))
        best = [None] * len(bins)
        for _ in range(a.runs):
            for i, b in enumerate(bins):
                t = timed([b, "check", "--jobs", "1", "--confidence", "low", "./..."], d)
                best[i] = t if best[i] is None else min(best[i], t)
        print("| %s | %.2f | %s |" % (key, parse, " | ".join("%.2f | %.2fx" % (t, t / parse) for t in best)), flush=True)


if __name__ == "__main__":
    main()
