#!/usr/bin/env bash
# bench/check-throughput.sh [GODARK] [TREE]: times `godark check` on a large
# Go tree (default: the Go 1.19 standard library, or GOROOT/src) with 1 and
# all threads, next to `wc -l` and `cat` on the same files for scale.
set -euo pipefail
export GODARK_CACHE=off # time the analysis, not reads of the result cache
G=${1:-build/godark}
T=${2:-}
if [ -z "$T" ]; then
    for c in /usr/share/go-1.19/src "$(go env GOROOT 2>/dev/null)/src"; do [ -d "$c" ] && { T=$c; break; }; done
fi
[ -d "$T" ] || { echo "no Go source tree found; pass one as the second argument" >&2; exit 2; }
files=$(mktemp); trap 'rm -f "$files"' EXIT
find "$T" -name '*.go' -not -path '*/testdata/*' -not -path '*/vendor/*' >"$files"
echo "tree: $T ($(wc -l <"$files") files, $(xargs cat <"$files" | wc -c) bytes)"
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); printf '%-40s %6.2f s\n' "$*" "$(echo "$e - $s" | bc)"; }
t xargs cat <"$files"
echo "lines: $(xargs cat <"$files" | wc -l)"
t "$G" check --jobs 1 "$T/..."
t "$G" check --jobs "$(nproc)" "$T/..."
/usr/bin/time -v "$G" check --jobs "$(nproc)" --stats "$T/..." 2>&1 >/dev/null | grep -E 'godark:|Maximum resident|Elapsed' || true
