#!/usr/bin/env python3
"""tests/fix/sarif-apply.py SARIF IN WANT: applies the `fixes` of every
result in the SARIF log to the text of IN and compares with WANT.

Checks the shape SARIF 2.1.0 gives a fix (fixes[].artifactChanges[] with
an artifactLocation and replacements[], each with a deletedRegion by
startLine/startColumn/endLine/endColumn, columns in the run's columnKind,
unicodeCodePoints, end exclusive, and an optional insertedContent.text),
then applies them the way a SARIF consumer would: regions resolved
against IN, identical replacements from several results applied once.
Exit 0 when the result equals WANT byte for byte, 1 with a reason.
"""
import json
import sys


def offset(lines, line, col):
    """Character offset of 1-based line/column (code points) in the text."""
    if line < 1 or line > len(lines) + 1 or col < 1:
        raise ValueError(f"region {line}:{col} outside the file")
    before = sum(len(l) for l in lines[: line - 1])
    if line == len(lines) + 1:
        if col != 1:
            raise ValueError(f"region {line}:{col} outside the file")
        return before
    if col - 1 > len(lines[line - 1]):
        raise ValueError(f"column {col} beyond line {line}")
    return before + col - 1


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    log = json.load(open(argv[1], encoding="utf-8"))
    text = open(argv[2], encoding="utf-8").read()
    want = open(argv[3], encoding="utf-8").read()
    lines = text.splitlines(keepends=True)
    run = log["runs"][0]
    if run.get("columnKind") != "unicodeCodePoints":
        print("columnKind is not unicodeCodePoints")
        return 1
    reps = []
    for r in run.get("results", []):
        for fx in r.get("fixes", []):
            changes = fx["artifactChanges"]
            if not isinstance(changes, list) or not changes:
                print("a fix without artifactChanges")
                return 1
            for ch in changes:
                uri = ch["artifactLocation"]["uri"]
                if not uri.endswith("main.go"):
                    print(f"an artifactChange on {uri}")
                    return 1
                if not ch["replacements"]:
                    print("an artifactChange without replacements")
                    return 1
                for rep in ch["replacements"]:
                    d = rep["deletedRegion"]
                    for k in ("startLine", "startColumn", "endLine", "endColumn"):
                        if not isinstance(d.get(k), int) or d[k] < 1:
                            print(f"deletedRegion.{k} missing or < 1: {d}")
                            return 1
                    ins = rep.get("insertedContent", {"text": ""})["text"]
                    s = offset(lines, d["startLine"], d["startColumn"])
                    e = offset(lines, d["endLine"], d["endColumn"])
                    if e < s:
                        print(f"region ends before it starts: {d}")
                        return 1
                    if (s, e, ins) not in reps:
                        reps.append((s, e, ins))
    reps.sort(key=lambda x: (x[0], x[1]))
    for a, b in zip(reps, reps[1:]):
        if b[0] < a[1] or (a[0] == a[1] == b[0] == b[1]):
            print(f"overlapping replacements {a} {b}")
            return 1
    out, at = [], 0
    for s, e, ins in reps:
        out.append(text[at:s])
        out.append(ins)
        at = e
    out.append(text[at:])
    got = "".join(out)
    if got != want:
        import difflib
        print("".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "want", "sarif"))[:600])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
