#!/usr/bin/env bash
# bench/peers.sh [--goroot DIR] GODARK [GODARK...]: godark next to its peers,
# one after the other in one run, on one corpus: the standard library (the
# `std` module: GOROOT/src/... without cmd/, vendor/ and testdata/) of the Go
# installation DIR (default /usr/lib/go-1.19, Debian's Go 1.19).
#
#   go vet ./...        DIR's own go command (so vet, its analyzers and the
#                       std it type-checks are DIR's); cold = empty GOCACHE,
#                       warm = the same GOCACHE again
#   staticcheck ./...   the staticcheck on PATH, with DIR/bin first on PATH so
#                       that its `go list` resolves DIR's std; cold = empty
#                       XDG_CACHE_HOME (its own cache) and GOCACHE, warm = the
#                       same again
#   GODARK check        each binary given, on the same directories (one
#                       DIR/src/TOP/... pattern per top-level directory but
#                       cmd); cold = `--no-cache` when `check --help` lists it,
#                       else a plain run; warm = a second run with an
#                       XDG_CACHE_HOME filled by a first run (for a binary
#                       without a cache this is just a second run)
#
# All tools use their default parallelism (all cores) and include _test.go
# files (their default). Wall time and peak RSS come from GNU time ('%e %M').
# Peak RSS is the largest single process: go vet runs its compile and vet
# processes side by side, so its real footprint can be larger.
# The page cache is warmed first: cold means cold tool caches, not cold disk.
# Prints a markdown table on stdout; details go to stderr. Times are reported,
# never checked.
set -euo pipefail
ROOT=/usr/lib/go-1.19
if [ "${1:-}" = --goroot ]; then
    ROOT=${2:?--goroot needs a directory}
    shift 2
fi
[ $# -ge 1 ] || { echo "usage: bench/peers.sh [--goroot DIR] GODARK [GODARK...]" >&2; exit 2; }
[ -x "$ROOT/bin/go" ] || { echo "no go command at $ROOT/bin/go" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
command -v staticcheck >/dev/null || { echo "needs staticcheck on PATH (see docs/benchmarks.md)" >&2; exit 2; }
for g in "$@"; do [ -x "$g" ] || { echo "no godark binary at $g" >&2; exit 2; }; done
SRC=$(cd "$ROOT/src" && pwd -P)
VER=$(head -1 "$ROOT/VERSION")
CORPUS="$VER std"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
export GOTOOLCHAIN=local GOWORK=off

# the corpus: what each tool sees of it
(cd "$SRC" && find . -name '*.go' -not -path './cmd/*' -not -path '*/testdata/*' -not -path '*/vendor/*' -not -path '*/[._]*') >"$TMP/files"
(cd "$SRC" && xargs cat <"$TMP/files" >/dev/null) # warm the page cache
pkgs=$(cd "$SRC" && "$ROOT/bin/go" list ./... | wc -l)
gofiles=$(cd "$SRC" && "$ROOT/bin/go" list -f '{{len .GoFiles}} {{len .CgoFiles}} {{len .TestGoFiles}} {{len .XTestGoFiles}}' ./... |
    awk '{n += $1 + $2 + $3 + $4} END {print n}')
echo "corpus: $SRC ($CORPUS): $pkgs packages for go ./..., $gofiles files for this GOOS/GOARCH;" \
    "$(wc -l <"$TMP/files") .go files in all, $(cd "$SRC" && xargs cat <"$TMP/files" | wc -l) lines" >&2
patterns=()
for d in "$SRC"/*/; do
    case $(basename "$d") in cmd | vendor | testdata | .* | _*) continue ;; esac
    patterns+=("${d%/}/...")
done

ROWS=()
# measure LABEL DIR CMD...: runs CMD in DIR under GNU time (env already set
# by the caller through `env`); leaves "s MiB" in $TMP/last. Exit status 0
# and 1 (findings) are fine; anything else stops the bench.
measure() {
    local label=$1 dir=$2 r=0
    shift 2
    (cd "$dir" && /usr/bin/time -f '%e %M' -o "$TMP/time" "$@" >"$TMP/out" 2>"$TMP/err") || r=$?
    if [ "$r" -gt 1 ]; then
        echo "$label: exit status $r" >&2
        tail -5 "$TMP/err" >&2
        exit 1
    fi
    read -r s k < <(tail -1 "$TMP/time")
    echo "$s $((k / 1024))" >"$TMP/last"
    echo "  $label: $s s, $((k / 1024)) MiB peak RSS, exit $r, $(cat "$TMP/out" "$TMP/err" | wc -l) output lines" >&2
}
# row TOOL COLD_FILE WARM_FILE: one table row from two "s MiB" results
row() {
    read -r cs cm <"$2"
    read -r ws wm <"$3"
    ROWS+=("| $1 | $CORPUS | $cs | $ws | $((cm > wm ? cm : wm)) |")
}

echo "go vet ($("$ROOT/bin/go" version | awk '{print $3}'))" >&2
C=$TMP/vet; mkdir -p "$C/gocache"
measure "go vet cold" "$SRC" env GOROOT="$ROOT" GOCACHE="$C/gocache" "$ROOT/bin/go" vet ./...
cp "$TMP/last" "$TMP/vet.cold"
measure "go vet warm" "$SRC" env GOROOT="$ROOT" GOCACHE="$C/gocache" "$ROOT/bin/go" vet ./...
row "go vet ($VER)" "$TMP/vet.cold" "$TMP/last"

scver=$(staticcheck -version | awk '{print $2}')
echo "staticcheck $scver" >&2
C=$TMP/sc; mkdir -p "$C/xdg" "$C/gocache"
measure "staticcheck cold" "$SRC" env PATH="$ROOT/bin:$PATH" GOROOT="$ROOT" XDG_CACHE_HOME="$C/xdg" GOCACHE="$C/gocache" staticcheck ./...
cp "$TMP/last" "$TMP/sc.cold"
measure "staticcheck warm" "$SRC" env PATH="$ROOT/bin:$PATH" GOROOT="$ROOT" XDG_CACHE_HOME="$C/xdg" GOCACHE="$C/gocache" staticcheck ./...
row "staticcheck $scver" "$TMP/sc.cold" "$TMP/last"

i=0
for g in "$@"; do
    i=$((i + 1))
    G=$(cd "$(dirname "$g")" && pwd)/$(basename "$g")
    name="godark check ($g)"
    nc=()
    "$G" check --help 2>&1 | grep -q -- --no-cache && nc=(--no-cache)
    echo "$name, ${nc[*]:-no --no-cache}" >&2
    C=$TMP/godark$i; mkdir -p "$C/xdg"
    measure "godark cold" "$SRC" env XDG_CACHE_HOME="$C/xdg" "$G" check --stats "${nc[@]}" "${patterns[@]}"
    grep '^godark:' "$TMP/err" | sed 's/^/    /' >&2 || true
    cp "$TMP/last" "$TMP/g$i.cold"
    label="$name"
    if [ ${#nc[@]} -gt 0 ]; then
        measure "godark fill (empty cache)" "$SRC" env XDG_CACHE_HOME="$C/xdg" "$G" check "${patterns[@]}"
        read -r fs _ <"$TMP/last"
        label="$name (cache filled in $fs s)"
    else
        label="$name (no cache)"
    fi
    measure "godark warm" "$SRC" env XDG_CACHE_HOME="$C/xdg" "$G" check "${patterns[@]}"
    row "$label" "$TMP/g$i.cold" "$TMP/last"
done

echo "| tool | corpus | cold s | warm s | peak MiB |"
echo "|---|---|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
