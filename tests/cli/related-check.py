#!/usr/bin/env python3
"""tests/cli/related-check.py JSON SARIF: the leak findings on
tests/cli/cases/related carry their related locations (issue 13): the go
statement of the goroutine that blocks, and the return or select case that
gave up on it (GD103, GD104), or the make and the go statement (GD108), or
the operation and the exit of the loop that gives up and its go statement
(GD109), in JSON
and in SARIF's relatedLocations. Prints nothing and exits 0 when they do."""
import json, os, sys

js, sarif = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
# (rule, file, line) -> the related (file, line, message prefix) it must carry
WANT = {
    ("GD103", "related.go", 14): [("related.go", 13, "the goroutine that blocks is started here"),
                                  ("related.go", 20, "the return that abandons ch")],
    ("GD103", "related.go", 28): [("related.go", 27, "the goroutine that blocks is started here"),
                                  ("related.go", 32, "this case gives up on errCh")],
    ("GD104", "related.go", 40): [("related.go", 39, "the goroutine that blocks is started here"),
                                  ("related.go", 46, "the return that abandons ch")],
    ("GD108", "worker.go", 9): [("start.go", 4, "stop is made here"),
                                ("start.go", 5, "the goroutine that blocks is started here")],
    ("GD109", "loop.go", 25): [("loop.go", 18, "it receives here"), ("loop.go", 20, "gives up here"),
                               ("loop.go", 11, "the goroutine that gives up is started here")],
}
got_json = {(f["rule"], os.path.basename(f["file"]), f["line"]):
            [(os.path.basename(r["file"]), r["line"], r["message"]) for r in f.get("related", [])]
            for f in js["findings"]}
got_sarif = {}
for r in sarif["runs"][0]["results"]:
    loc = r["locations"][0]["physicalLocation"]
    key = (r["ruleId"], os.path.basename(loc["artifactLocation"]["uri"]), loc["region"]["startLine"])
    got_sarif[key] = [(os.path.basename(l["physicalLocation"]["artifactLocation"]["uri"]),
                       l["physicalLocation"]["region"]["startLine"], l["message"]["text"])
                      for l in r.get("relatedLocations", [])]
bad = []
for fmt, got in (("json", got_json), ("sarif", got_sarif)):
    if set(got) != set(WANT):
        bad.append(f"{fmt}: findings {sorted(got)}, want {sorted(WANT)}")
        continue
    for key, want in WANT.items():
        for wf, wl, wm in want:
            if not any(f == wf and l == wl and m.startswith(wm) for f, l, m in got[key]):
                bad.append(f"{fmt}: {key} lacks related {wf}:{wl} {wm!r}; has {got[key]}")
if bad:
    print("\n".join(bad))
    sys.exit(1)
