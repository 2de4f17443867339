#!/usr/bin/env bash
# bench/analysis-vs-parse.sh [GODARK] [TREE]: what the analysis costs on top
# of parsing. Times `godark check --jobs 1` on a Go tree (default: the Go 1.19
# standard library, or GOROOT/src) twice:
#   parse   every rule disabled except GD000 (parse + package model only)
#   full    every default rule, --confidence low
# each the best of 3 runs, and prints both wall times, the ratio and the peak
# RSS (GNU time's max RSS). Issue 3 asked the ratio to stay within 2x of the
# tree-sitter parse; our own parser (issue 12) is about 14x faster, so the
# comparison that matters now is bench/check-vs-parse.sh's.
set -euo pipefail
export GODARK_CACHE=off # time the analysis, not reads of the result cache
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
G=${1:-$HERE/../build/godark}
T=${2:-}
RUNS=${RUNS:-3}
if [ -z "$T" ]; then
    for c in /usr/share/go-1.19/src "$(go env GOROOT 2>/dev/null)/src"; do [ -d "$c" ] && { T=$c; break; }; done
fi
[ -x "$G" ] || { echo "no godark binary at $G; pass one as the first argument" >&2; exit 2; }
[ -d "$T" ] || { echo "no Go source tree found; pass one as the second argument" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

find "$T" -name '*.go' -not -path '*/testdata/*' -not -path '*/vendor/*' >"$TMP/files"
echo "tree: $T ($(wc -l <"$TMP/files") files, $(xargs cat <"$TMP/files" | wc -l) lines)"
xargs cat <"$TMP/files" >/dev/null # warm the page cache
"$G" check --jobs 1 --stats --enable GD000 "$T/..." 2>&1 >/dev/null | grep '^godark:' || true

# best NAME ARGS...: best wall time (s) of $RUNS runs and the peak RSS (KiB)
# of the slowest-memory run; "$NAME.t" and "$NAME.rss" are left in $TMP.
# Exit status 0 (no findings) and 1 (findings) are fine; anything else is a
# crash or an internal error and stops the bench.
best() {
    local name=$1 b=999999 rss=0 t m
    shift
    for _ in $(seq "$RUNS"); do
        t=$(timed "$name" /usr/bin/time -f '%M' -o "$TMP/rss" "$G" check --jobs 1 "$@" "$T/...")
        b=$(min "$t" "$b")
        m=$(tail -1 "$TMP/rss")
        [ "$m" -gt "$rss" ] && rss=$m
    done
    echo "$b" >"$TMP/$name.t"
    echo "$rss" >"$TMP/$name.rss"
    printf '%-6s %8.3f s  %7d MiB peak RSS   (godark check --jobs 1 %s)\n' "$name" "$b" "$((rss / 1024))" "$*"
}

best parse --enable GD000
best full --confidence low
awk -v p="$(cat "$TMP/parse.t")" -v f="$(cat "$TMP/full.t")" \
    'BEGIN{printf "ratio  %8.2f x  (full / parse with our parser; the 2x aim was against tree-sitter'"'"'s parse: bench/check-vs-parse.sh)\n", f / p}'
