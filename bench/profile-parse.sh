#!/usr/bin/env bash
# bench/profile-parse.sh [GODARK] [N]: times `godark goroutines` on a
# synthetic N-goroutine debug=2 dump (bench/gen-dump.sh) against `wc -l` on
# the same file, and reports peak memory of both (GNU time's max RSS).
# Also checks that memory follows distinct stacks, not goroutines: a dump 4x
# larger must not need much more memory.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
GODARK=${1:-$HERE/../build/godark}
N=${2:-100000}
TMP=${TMPDIR:-/tmp}/godark-bench.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
"$HERE/gen-dump.sh" "$N" >"$TMP/dump.txt"
"$HERE/gen-dump.sh" "$((N * 4))" >"$TMP/dump4.txt"
size=$(wc -c <"$TMP/dump.txt")
lines=$(wc -l <"$TMP/dump.txt")
echo "dump: $N goroutines, $lines lines, $((size / 1048576)) MiB"
cat "$TMP/dump.txt" "$TMP/dump4.txt" >/dev/null # warm the page cache

best() { # command...: best wall time of 5 runs (s) and max RSS (KiB)
    local b=999 t s e rss
    for _ in 1 2 3 4 5; do
        s=$EPOCHREALTIME
        "$@" >/dev/null 2>&1 || true
        e=$EPOCHREALTIME
        t=$(awk -v s="$s" -v e="$e" 'BEGIN{printf "%.4f", e - s}')
        b=$(awk -v a="$t" -v b="$b" 'BEGIN{print (a<b)?a:b}')
    done
    /usr/bin/time -f '%M' -o "$TMP/t" "$@" >/dev/null 2>&1 || true
    rss=$(tail -1 "$TMP/t")
    echo "$b $rss"
}
cpu() { # command...: mean user+sys CPU seconds of 10 runs; on a shared
    # machine wall time mostly measures the other people's load
    /usr/bin/time -f '%U %S' -o "$TMP/c" bash -c 'for i in 1 2 3 4 5 6 7 8 9 10; do "$@" >/dev/null 2>&1; done' _ "$@" || true
    tail -1 "$TMP/c" | awk '{printf "%.4f", ($1 + $2) / 10}'
}
read -r wt wr < <(best wc -l "$TMP/dump.txt")
read -r gt gr < <(best "$GODARK" goroutines --format json "$TMP/dump.txt")
read -r g4t g4r < <(best "$GODARK" goroutines --format json "$TMP/dump4.txt")
echo "wc -l:              ${wt}s  max RSS ${wr} KiB"
echo "godark goroutines:  ${gt}s  max RSS ${gr} KiB  ($(awk -v a="$gt" -v b="$wt" 'BEGIN{ if (b>0) printf "%.1fx", a/b; else print "n/a (wc below timer resolution)"}') wc -l time)"
echo "4x goroutines:      ${g4t}s  max RSS ${g4r} KiB (memory ratio $(awk -v a="$g4r" -v b="$gr" 'BEGIN{printf "%.2f", a/b}'))"
wc_cpu=$(cpu wc -l "$TMP/dump.txt")
gd_cpu=$(cpu "$GODARK" goroutines --format json "$TMP/dump.txt")
echo "CPU (user+sys):     wc -l ${wc_cpu}s, godark ${gd_cpu}s ($(awk -v a="$gd_cpu" -v b="$wc_cpu" 'BEGIN{ if (b>0) printf "%.1fx", a/b; else print "n/a"}') wc -l)"
"$GODARK" goroutines --no-color "$TMP/dump.txt" | head -3
