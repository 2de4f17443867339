#!/usr/bin/env bash
# tests/parser/run.sh: `make parser-diff [DIFF_ARGS=--no-ecosystem]`.
#
# 1. Our parser against tree-sitter-go (lower_ts.c, the oracle) on every .go
#    file outside testdata of the Go 1.19 standard library, of the standard
#    library of the `go` on PATH (Go 1.26 here) and of the ecosystem corpus
#    (tests/ecosystem/modules.tsv, fetched into $GODARK_ECO_CACHE or
#    ~/.cache/godark-ecosystem): the node arrays must be identical, except on
#    files tree-sitter rejects or misreads (listed, not failures).
# 2. Agreement with gofmt (go/parser): every file gofmt accepts parses
#    without error and every file it rejects gets one; over the same files
#    plus the Go distribution's test/ directory and the standard library's
#    testdata, where gofmt's rejects are.
# The Go runtime's own testdata is left out (held out for evaluation).
# Exit 1 on any disagreement.
set -u
cd "$(dirname "$0")/../.."
B=${BUILD:-build}
D=$B/parser-diff
eco=1
for a in "$@"; do
    case $a in
    --no-ecosystem) eco=0 ;;
    *) echo "usage: tests/parser/run.sh [--no-ecosystem]" >&2; exit 2 ;;
    esac
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
GO119=${GO119:-/usr/lib/go-1.19}
[ -d "$GO119/src" ] || tools/need-pkgs.sh golang-1.19-go || exit 2
command -v go >/dev/null && command -v gofmt >/dev/null || { echo "parser-diff: needs go and gofmt on PATH" >&2; exit 2; }
GOROOT=$(go env GOROOT)

gofiles() { find -L "$@" -type f -name '*.go' -not -path '*/testdata/*' 2>/dev/null | sort; }
gofiles "$GO119/src" >"$tmp/std119"
gofiles "$GOROOT/src" >"$tmp/std"
: >"$tmp/eco"
if [ $eco = 1 ]; then
    tests/ecosystem/run.py --dirs >"$tmp/dirs" || { echo "parser-diff: fetching the ecosystem corpus failed" >&2; exit 2; }
    while IFS=$'\t' read -r key dir; do
        [ "$key" = std ] || gofiles "$dir"
    done <"$tmp/dirs" >"$tmp/eco"
fi

rc=0
for l in std119 std eco; do
    [ -s "$tmp/$l" ] || continue
    case $l in std119) what="Go 1.19 standard library" ;; std) what="$(go env GOVERSION) standard library" ;; eco) what="ecosystem corpus" ;; esac
    echo "== tree-sitter vs ours: $what"
    "$D" --quiet --list "$tmp/$l" >"$tmp/$l.out"; r=$?
    grep -v '^parser-diff:' "$tmp/$l.out" | head -n 40
    tail -n1 "$tmp/$l.out"
    [ $r -ne 0 ] && rc=1
done

echo "== gofmt vs ours"
{ cat "$tmp/std119" "$tmp/std" "$tmp/eco"
  find "$GOROOT/test" -type f -name '*.go' 2>/dev/null
  find "$GOROOT/src" -type f -name '*.go' -path '*/testdata/*' -not -path "$GOROOT/src/runtime/*" 2>/dev/null; } | sort -u >"$tmp/all"
"$D" --errors --list "$tmp/all" >"$tmp/ours" 2>/dev/null
tr '\n' '\0' <"$tmp/all" | xargs -0 gofmt -l -e >/dev/null 2>"$tmp/gofmt"
python3 - "$tmp/all" "$tmp/ours" "$tmp/gofmt" <<'PY' || rc=1
import re, sys
files = [l.rstrip("\n") for l in open(sys.argv[1])]
def rejects(path):
    out = {}
    for l in open(path, errors="replace"):
        m = re.match(r"(.*?\.go):(\d+)(?::(\d+))?: (.*)", l.rstrip("\n"))
        if m and m.group(1) not in out:
            out[m.group(1)] = "%s:%s: %s" % (m.group(2), m.group(3) or "?", m.group(4))
    return out
ours, gofmt = rejects(sys.argv[2]), rejects(sys.argv[3])
bad = 0
for f in files:
    if (f in ours) != (f in gofmt):
        bad += 1
        if bad <= 40:
            print("DISAGREE %s: gofmt %s, ours %s" % (f, gofmt.get(f, "accepts"), ours.get(f, "accepts")))
both = [f for f in gofmt if f in ours]
pos = sum(1 for f in both if ours[f].split(": ")[0] == gofmt[f].split(": ")[0])
same = sum(1 for f in both if ours[f] == gofmt[f])
print("gofmt: %d files: gofmt rejects %d, we reject %d, %d disagreements; first error at the same place in %d of %d, "
      "in the same words too in %d" % (len(files), len(gofmt), len(ours), bad, pos, len(both), same))
sys.exit(1 if bad else 0)
PY
[ $rc -eq 0 ] && echo "parser-diff: passed" || echo "parser-diff: FAILED"
exit $rc
