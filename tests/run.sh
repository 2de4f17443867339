#!/usr/bin/env bash
# tests/run.sh: runs every test suite and ends with one line
# `N passed, N failed`. Suites print `PASS name`, `FAIL name: why` and
# `SKIP name: why` lines; this script counts them.
set -u
cd "$(dirname "$0")/.."
GODARK=${GODARK:-build/godark}
GODARK_UNIT=${GODARK_UNIT:-build/godark-unit}
export GODARK GODARK_UNIT BUILD=${BUILD:-build}
log=$(mktemp)
# godark check's result cache goes to a temporary directory, never ~/.cache
XDG_CACHE_HOME=$(mktemp -d); export XDG_CACHE_HOME; unset GODARK_CACHE
trap 'rm -f "$log"; rm -rf "$XDG_CACHE_HOME"' EXIT
run_suite() { # name command...
    local name=$1; shift
    echo "== $name"
    "$@" 2>&1 | tee -a "$log" | grep -E '^(FAIL|SKIP)|^    ' || true
    local rc=${PIPESTATUS[0]}
    if [ "$rc" -gt 1 ]; then echo "FAIL suite $name: exited $rc (crash?)" | tee -a "$log"; fi
}
run_suite unit "$GODARK_UNIT"
run_suite cli tests/cli/run.sh
[ -x tests/profile/run.sh ] && run_suite profile tests/profile/run.sh
run_suite hostile tests/hostile/run.sh
# check --fix and --diff against golden files (tests/fix/<case>/in.go, want.go)
run_suite fix tests/fix/run.sh
# programs modelled on real blocking bugs: found as declared, fixes silent
if command -v python3 >/dev/null; then run_suite realbugs python3 tests/realbugs/measure.py --test "$GODARK"
else echo "SKIP realbugs: no python3" | tee -a "$log"; fi
[ -n "${FUZZ_BIN:-}" ] && run_suite fuzz-replay tests/fuzz/run.sh
passed=$(grep -c '^PASS ' "$log")
failed=$(grep -c '^FAIL ' "$log")
skipped=$(grep -c '^SKIP ' "$log")
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
