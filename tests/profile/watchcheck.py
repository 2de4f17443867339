#!/usr/bin/env python3
"""tests/profile/watchcheck.py: checks of `godark watch` samples files and
summaries for tests/profile/watch.sh. Each sub-command exits 0 when the check
holds, else prints why (one line) and exits 1.

  jsonl FILE [--min-samples N] [--leak FUNC:LINE] [--partial-ok]
      every line parses (a last line cut short only with --partial-ok), the
      first is the header, sample times strictly increase, at least N
      samples, and the leak site's count rises (last >= first + 10)
  growing SUMMARY.json FUNC LINE
      the JSON summary names exactly one growing site: FUNC at line LINE
  faults FILE SERVERLOG
      the fault run: the server's checks all passed, one sample per good
      dump served, every fault's error recorded, exactly one restart
"""
import json
import re
import sys


def die(msg):
    print(msg)
    sys.exit(1)


def load(path, partial_ok=False):
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    cut = False
    if lines[-1] == "":
        lines.pop()
    elif partial_ok:
        lines.pop()
        cut = True
    objs = []
    for i, l in enumerate(lines):
        try:
            objs.append(json.loads(l))
        except ValueError as e:
            die("%s:%d: does not parse: %s" % (path, i + 1, e))
    if not objs or objs[0].get("godark_watch") != 1:
        die("%s: no header line" % path)
    return objs[0], objs[1:], cut


def cmd_jsonl(args):
    path = args[0]
    min_samples, leak, partial_ok = 1, None, False
    i = 1
    while i < len(args):
        if args[i] == "--min-samples":
            min_samples = int(args[i + 1]); i += 2
        elif args[i] == "--leak":
            leak = args[i + 1]; i += 2
        elif args[i] == "--partial-ok":
            partial_ok = True; i += 1
        else:
            die("unknown option " + args[i])
    head, samples, _ = load(path, partial_ok)
    for k in ("url", "every_ms", "started"):
        if k not in head:
            die("header has no %s" % k)
    if len(samples) < min_samples:
        die("%d samples, want at least %d" % (len(samples), min_samples))
    ts = [s["t"] for s in samples]
    if any(b <= a for a, b in zip(ts, ts[1:])):
        die("sample times do not increase: %s" % ts[:10])
    for s in samples:
        for k in ("t", "total", "sites", "error", "restart"):
            if k not in s:
                die("sample without %s: %s" % (k, str(s)[:200]))
        if s["error"] is None:
            if s["total"] != sum(x["count"] for x in s["sites"]) + s.get("other", 0):
                die("sample total %s is not the sum of its sites" % s["total"])
    if leak:
        func, line = leak.rsplit(":", 1)
        counts = []
        for s in samples:
            if s["error"] is not None:
                continue
            counts.append(sum(x["count"] for x in s["sites"] if x["func"] == func and x["line"] == int(line)))
        if not counts or counts[-1] < counts[0] + 10:
            die("the leak %s does not rise: %s" % (leak, counts))


def cmd_growing(args):
    path, func, line = args[0], args[1], int(args[2])
    s = json.load(open(path))
    g = s.get("growing", [])
    names = ["%s:%d" % (x["func"], x["line"]) for x in g]
    if len(g) != 1 or g[0]["func"] != func or g[0]["line"] != line:
        die("growing sites %s, want only %s:%d" % (names, func, line))
    if not g[0]["slope_per_s"] > 0 or not g[0]["mann_kendall"]["p"] < 0.01 or not g[0]["stack"]:
        die("growing site without a positive slope, a small p or a stack: %s" % json.dumps(g[0])[:300])


def cmd_faults(args):
    path, log = args
    _, samples, _ = load(path)
    lines = open(log).read().split("\n")
    bad = [l for l in lines if l.startswith("CHECK BAD")]
    if bad:
        die(bad[0])
    served = [l.split()[2] for l in lines if l.startswith("SERVED ")]
    if "DONE" not in lines:
        die("the server did not reach the end of its script (served %s)" % served)
    checks = [l for l in lines if l.startswith("CHECK ok after")]
    faults = [x.split(":")[0] for x in served if x.split(":")[0] in ("slow", "500", "html", "truncgz", "big", "down")]
    for f in faults:
        if not any(l.startswith("CHECK ok after " + f) for l in checks):
            die("no check after the fault %s" % f)
    good = sum(1 for s in samples if s["error"] is None)
    want_good = sum(1 for x in served if x.split(":")[0] in ("good", "restart"))
    # the request being answered when watch was stopped may not have its sample
    if not (want_good - 1 <= good <= want_good):
        die("%d good samples, the server served %d good dumps" % (good, want_good))
    errors = [s["error"] for s in samples if s["error"] is not None]
    if len(errors) < len(faults):
        die("%d error samples for %d faults" % (len(errors), len(faults)))
    pats = {"slow": r"timed out|Timeout", "500": r"HTTP status 500", "html": r"not a goroutine dump",
            "truncgz": r"truncated gzip", "big": r"larger than", "down": r"Empty reply|refused|connect|reset|Recv"}
    for f in set(faults):
        if not any(re.search(pats[f], e) for e in errors):
            die("no error sample for %s among %s" % (f, errors))
    restarts = sum(1 for s in samples if s["restart"])
    if restarts != served.count("restart"):
        die("%d samples marked restart, the server restarted %d times" % (restarts, served.count("restart")))


def main():
    if len(sys.argv) < 2:
        die(__doc__)
    cmd = {"jsonl": cmd_jsonl, "growing": cmd_growing, "faults": cmd_faults}.get(sys.argv[1])
    if not cmd:
        die("unknown command " + sys.argv[1])
    cmd(sys.argv[2:])


if __name__ == "__main__":
    main()
