#!/usr/bin/env bash
# tests/fuzz/fuzz.sh BUILD SECONDS TARGET...: runs each libFuzzer binary
# BUILD/fuzz/fuzz-TARGET for SECONDS, one after the other (niced), seeded
# with the committed corpus. New coverage goes to BUILD/corpus/TARGET,
# crashes to BUILD/crashes/TARGET-*. Prints one summary line per target
# (executions, exec/s, coverage) and appends them to BUILD/fuzz-log.txt.
# Exits 1 when any target found a crash.
set -u
cd "$(dirname "$0")/../.."
. tests/fuzz/seeds.sh
B=$1 S=$2; shift 2
mkdir -p "$B/crashes"
found=0
for t in "$@"; do
    exe=$B/fuzz/fuzz-$t
    mkdir -p "$B/corpus/$t"
    mapfile -t dirs < <(seeds "$t")
    log=$B/fuzz-$t.log
    echo "== fuzz $t: ${S}s"
    # -max_len: large enough for real fixtures and dumps, small enough to stay fast
    nice -n 10 "$exe" -max_total_time="$S" -timeout=25 -rss_limit_mb=2560 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$B/crashes/$t-" "$B/corpus/$t" "${dirs[@]}" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n1)
    line="$(date -u +%FT%TZ) $t ${S}s executions=${execs:-?} exec/s=${speed:-?} ${cov:-} exit=$rc"
    if [ "$rc" -ne 0 ]; then
        found=1
        line="$line CRASH: $(grep -oE "Test unit written to .*" "$log" | tail -n1)"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -n 5
    fi
    echo "$line"
    echo "$line" >>"$B/fuzz-log.txt"
done
exit $found
