#!/usr/bin/env bash
# tests/fuzz/run.sh: replays every fuzz target's committed corpus and
# regression crashers (tests/fuzz/corpus, tests/fuzz/regress, and the
# fixtures each target is seeded from) through the replay drivers in
# $FUZZ_BIN (built by `make fuzz-replay` with the build's compiler and
# sanitizers). One PASS/FAIL line per target; a crash or sanitizer report
# is a FAIL with the input that caused it.
set -u
cd "$(dirname "$0")/../.."
. tests/fuzz/seeds.sh
BIN=${FUZZ_BIN:-build/fuzz}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for t in check parse traceback debug1 proto wants; do
    exe=$BIN/replay-$t
    if [ ! -x "$exe" ]; then echo "FAIL fuzz-replay $t: $exe not built (make fuzz-replay)"; continue; fi
    mapfile -t dirs < <(seeds "$t")
    # the hang guard is generous: the whole replay takes seconds
    if FUZZ_REPLAY_VERBOSE=1 timeout 600 "$exe" "${dirs[@]}" >"$tmp/out" 2>"$tmp/err"; then
        echo "PASS fuzz-replay $t ($(tail -n1 "$tmp/out" | sed 's/^replayed //'))"
    else
        rc=$?
        last=$(grep '^replay: ' "$tmp/err" | tail -n1 | sed 's/^replay: //')
        echo "FAIL fuzz-replay $t: exit $rc on $last"
        grep -v '^replay: ' "$tmp/err" | head -n 30 | sed 's/^/    /'
    fi
done
exit 0
