#!/usr/bin/env bash
# bench/parser-speed.sh [PARSER_DIFF] [TREE]: tree-sitter-go against godark's
# own parser, one thread each, on every .go file of a Go source tree (default:
# the Go 1.19 standard library /usr/lib/go-1.19/src, tests included, testdata
# left out), with build/parser-diff (tests/parser/parser_diff.c).
#
# Speed: `parser-diff --time --list LIST` reads every file, then parses all of
# them with each parser in turn and prints one line per parser
#   tree-sitter  N files X MB Y nodes T s R MB/s
#   godark       N files X MB Y nodes T s R MB/s
# best of $RUNS (3) runs per parser; the ratio is tree-sitter time / godark
# time (above 1: ours is faster).
#
# Memory per node: `parser-diff --keep ts|godark --list LIST` reads and parses
# every file with one parser, keeps every tree (and its source) alive until
# exit and prints `nodes N` and `bytes B`. Bytes per node =
# (peak RSS - baseline) / N, peak RSS from GNU time, baseline = the peak RSS of
# the same command on an empty list plus B (the kept sources). The tree-sitter
# front end lowers each file's tree into godark's node array and frees the
# tree-sitter tree, so its figure is that array plus what parsing left behind
# (fragmentation), not tree-sitter's own tree. Skipped, with a note, when
# parser-diff has no --keep.
# Peak memory per node while parsing one large file: the same --keep on the
# tree's longest file (most lines) and on a generated 10 MB file of 5 million list
# elements (the CLI test's). Here tree-sitter's own tree is alive at the peak
# (it is freed only after lowering), so this is the figure that compares the
# two front ends.
# Times are reported, never checked.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
P=${1:-$HERE/../build/parser-diff}
T=${2:-/usr/lib/go-1.19/src}
RUNS=${RUNS:-3}
[ -x "$P" ] || { echo "no parser-diff at $P (make build/parser-diff); pass one as the first argument" >&2; exit 2; }
[ -d "$T" ] || { echo "no Go source tree at $T; pass one as the second argument" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
T=$(cd "$T" && pwd -P)
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

find "$T" -name '*.go' -not -path '*/testdata/*' | sort >"$TMP/list"
echo "tree: $T ($(wc -l <"$TMP/list") files, $(xargs cat <"$TMP/list" | wc -c) bytes)"
xargs cat <"$TMP/list" >/dev/null # warm the page cache

# speed: keep each parser's best line of $RUNS runs
for _ in $(seq "$RUNS"); do
    "$P" --time --list "$TMP/list" >>"$TMP/time"
done
best() { awk -v p="$1" '$1 == p && (b == "" || $8 < bt) {b = $0; bt = $8} END {print b}' "$TMP/time"; }
ts=$(best tree-sitter)
gd=$(best godark)
[ -n "$ts" ] && [ -n "$gd" ] || { echo "parser-diff --time printed no tree-sitter/godark lines:" >&2; cat "$TMP/time" >&2; exit 1; }
echo "$ts"
echo "$gd"
awk -v a="$ts" -v b="$gd" -v r="$RUNS" 'BEGIN {
    split(a, x); split(b, y)
    printf "speed  %.2f x  (tree-sitter %.3f s / godark %.3f s, best of %d)\n", x[8] / y[8], x[8], y[8], r
    if (x[6] != y[6]) printf "note: node counts differ (tree-sitter %s, godark %s)\n", x[6], y[6]
}'

# memory: peak RSS per kept node
keep() { # MODE LIST: "peak-RSS-KiB nodes bytes" of one --keep run
    /usr/bin/time -f '%M' -o "$TMP/rss" "$P" --keep "$1" --list "$2" >"$TMP/keep" 2>"$TMP/err" || return 1
    grep -q '^nodes ' "$TMP/keep" || return 1
    echo "$(tail -1 "$TMP/rss") $(awk '$1 == "nodes" {n = $2} $1 == "bytes" {b = $2} END {print n + 0, b + 0}' "$TMP/keep")"
}
if ! read -r empty _ < <(keep godark /dev/null); then
    echo "memory: skipped, parser-diff has no --keep ts|godark ($(head -1 "$TMP/err"))"
    exit 0
fi
for mode in ts godark; do
    read -r k n b < <(keep "$mode" "$TMP/list") || { echo "parser-diff --keep $mode failed: $(head -3 "$TMP/err")" >&2; exit 1; }
    [ "$b" -gt 0 ] || b=$(xargs cat <"$TMP/list" | wc -c) # no `bytes` line: the list's size
    awk -v m="$mode" -v k="$k" -v e="$empty" -v n="$n" -v b="$b" 'BEGIN {
        base = e * 1024 + b
        printf "memory %-7s %d nodes, peak %d MiB, baseline %d MiB (empty list %d MiB + sources): %.1f bytes/node\n",
            m, n, k / 1024, base / 1048576, e / 1024, (k * 1024 - base) / n
    }'
done

# memory: peak per node while one large file is parsed
largest=$(xargs wc -l <"$TMP/list" | awk '$2 != "total" && $1 > m {m = $1; f = $2} END {print f}') # the most lines
python3 -c 'import sys; sys.stdout.write("package big\nvar x = []int{" + "1," * 5000000 + "}\n")' >"$TMP/big.go"
for f in "$largest" "$TMP/big.go"; do
    echo "$f" >"$TMP/one"
    for mode in ts godark; do
        read -r k n b < <(keep "$mode" "$TMP/one") || { echo "parser-diff --keep $mode failed on $f" >&2; exit 1; }
        awk -v m="$mode" -v k="$k" -v e="$empty" -v n="$n" -v b="$b" -v f="$(basename "$f")" 'BEGIN {
            printf "one file %-16s %-7s %d nodes, peak %d MiB: %.1f bytes/node\n", f, m, n, k / 1024, (k * 1024 - e * 1024 - b) / n
        }'
    done
done
