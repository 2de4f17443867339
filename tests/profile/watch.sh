#!/usr/bin/env bash
# tests/profile/watch.sh: tests of `godark watch` and `godark report`, called
# by tests/profile/run.sh (same PASS/FAIL/SKIP lines, same $GODARK/$BUILD).
#
#  1. acceptance (issue 16, item 4): tests/profile/programs/watched, built
#     with the Go on PATH and with Debian's Go 1.19, leaks a goroutine per
#     200 ms at one line beside a worker pool, idle keep-alive connections
#     and a burst that rises and falls; `watch --every 200ms --for 8s` must
#     name that line as the one growing site, and the JSONL must hold;
#  2. faults (item 7): tests/profile/faultserver.py serves a script of good
#     dumps and every fault; the server checks the samples file before each
#     answer, and the file, the summary and `report` are checked after;
#  3. a SIGKILLed watch leaves a readable file; a file cut mid-line; usage
#     and input errors.
# Everything runs on 127.0.0.1 and is bounded: programs and servers exit by
# themselves and are killed on exit.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT" || exit 1
GODARK=${GODARK:-build/godark}
case $GODARK in /*) ;; *) GODARK=$ROOT/$GODARK ;; esac
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
W=$BUILD/watch-test
rm -rf "$W"
mkdir -p "$W"
WCHECK="python3 $HERE/watchcheck.py"
FAILS=0
PIDS=()

pass() { echo "PASS watch/$1"; }
fail() { echo "FAIL watch/$1: $2"; FAILS=$((FAILS + 1)); }
skip() { echo "SKIP watch/$1: $2"; }
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
}
trap cleanup EXIT

# port_of LOG PID: waits for a "PORT n" line; sets PORT.
port_of() {
    PORT=
    for _ in $(seq 1 300); do
        PORT=$(awk '/^PORT /{print $2; exit}' "$1" 2>/dev/null)
        [ -n "$PORT" ] && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# ---------------------------------------------------------------- 1. acceptance
accept() { # GO TAG
    local go=$1 tag=$2 d=$W/$1
    d=$W/$tag
    mkdir -p "$d"
    if ! (cd "$HERE/programs/watched" && env GOCACHE="$BUILD/gocache-$tag" GOFLAGS=-mod=mod GOTOOLCHAIN=local \
        GOPROXY=off "$go" build -o "$d/watched" .) >"$d/build.log" 2>&1; then
        fail "$tag/build watched" "$(tail -3 "$d/build.log" | tr '\n' ' ')"
        return
    fi
    "$d/watched" -lifetime 40s >"$d/prog.log" 2>"$d/prog.err" &
    local pid=$!
    PIDS+=("$pid")
    if ! port_of "$d/prog.log" "$pid"; then
        fail "$tag/start watched" "no PORT line: $(head -c 200 "$d/prog.err")"
        return
    fi
    local url=http://127.0.0.1:$PORT/debug/pprof/goroutine
    timeout 60 "$GODARK" watch --every 200ms --for 8s --out "$d/run.jsonl" --format json "$url" \
        >"$d/summary.json" 2>"$d/watch.err"
    local rc=$?
    kill "$pid" 2>/dev/null
    local line why
    line=$(grep -n '<-ch // LEAK:watch' "$HERE/programs/watched/main.go" | cut -d: -f1)
    if [ "$rc" != 1 ]; then
        fail "$tag/a leak among a pool and idle connections is the one growing site" \
            "exit $rc, want 1: $(head -c 300 "$d/watch.err") $(head -c 300 "$d/summary.json")"
    elif why=$($WCHECK growing "$d/summary.json" main.leak "$line" 2>&1); then
        pass "$tag/a leak among a pool and idle connections is the one growing site"
    else
        fail "$tag/a leak among a pool and idle connections is the one growing site" "$why"
    fi
    if why=$($WCHECK jsonl "$d/run.jsonl" --min-samples 20 --leak "main.leak:$line" 2>&1); then
        pass "$tag/samples file: parses, times increase, the leak's counts rise"
    else
        fail "$tag/samples file: parses, times increase, the leak's counts rise" "$why"
    fi
    if grep -q "writing samples to $d/run.jsonl" "$d/watch.err"; then pass "$tag/says where the samples go"
    else fail "$tag/says where the samples go" "$(head -c 200 "$d/watch.err")"; fi
    "$GODARK" report --format json "$d/run.jsonl" >"$d/report.json" 2>"$d/report.err"
    rc=$?
    if [ "$rc" = 1 ] && cmp -s "$d/summary.json" "$d/report.json"; then
        pass "$tag/report from the file alone = watch's summary"
    else
        fail "$tag/report from the file alone = watch's summary" "exit $rc: $(diff "$d/summary.json" "$d/report.json" | head -3 | tr '\n' '|')"
    fi
}

GO126=$(command -v go || true)
GO119=/usr/lib/go-1.19/bin/go
if [ -n "$GO126" ]; then
    accept "$GO126" "go$("$GO126" env GOVERSION | sed 's/^go//; s/\.[0-9]*$//')"
else
    skip "go/acceptance" "no go on PATH"
fi
if [ -x "$GO119" ]; then
    accept "$GO119" go1.19
else
    skip "go1.19/acceptance" "golang-1.19-go is not installed (tests/profile/run.sh installs it when it can)"
fi

# ---------------------------------------------------------------- 2. faults
F=$W/faults
mkdir -p "$F"
SCRIPT=good,good,good,good,good,good,500,good,html,good,truncgz,good,big,good,slow,good,good,down:1,restart,good,good,good,good,good,good,good,good,good
python3 "$HERE/faultserver.py" --script "$SCRIPT" --log "$F/server.log" --jsonl "$F/run.jsonl" --lifetime 60 \
    --slow 3 --big 1000000 >"$F/server.out" 2>"$F/server.err" &
SPID=$!
PIDS+=("$SPID")
if ! port_of "$F/server.out" "$SPID"; then
    fail "faults/server" "the fault server did not start: $(head -c 300 "$F/server.err")"
else
    URL=http://127.0.0.1:$PORT/debug/pprof/goroutine
    # no --for: stopped with SIGINT once the server has served its script
    # --foreground: timeout forwards the SIGINT to watch only, not a second time to
    # its process group (a second SIGINT ends watch at once, by design)
    timeout --foreground 90 "$GODARK" watch --every 200ms --timeout 1s --max-bytes 1000000 --header 'X-Test: yes' \
        --out "$F/run.jsonl" "$URL" >"$F/watch.out" 2>"$F/watch.err" &
    WPID=$!
    PIDS+=("$WPID")
    for _ in $(seq 1 400); do
        grep -q '^DONE' "$F/server.log" 2>/dev/null && break
        kill -0 "$WPID" 2>/dev/null || break
        sleep 0.1
    done
    sleep 0.5
    kill -INT "$WPID" 2>/dev/null
    wait "$WPID"
    rc=$?
    if [ "$rc" = 1 ] && grep -q '^growing block sites: 1' "$F/watch.out" && grep -q 'main.leak  /app/main.go:20' "$F/watch.out"; then
        pass "faults/SIGINT: clean summary, the growing leak, exit 1"
    else
        fail "faults/SIGINT: clean summary, the growing leak, exit 1" "exit $rc: $(grep -v '^+' "$F/watch.out" | head -5 | tr '\n' '|')"
    fi
    if why=$($WCHECK faults "$F/run.jsonl" "$F/server.log" 2>&1); then
        pass "faults/every fault a gap, every good dump a sample, the file checked after each"
    else
        fail "faults/every fault a gap, every good dump a sample, the file checked after each" "$why"
    fi
    if why=$($WCHECK jsonl "$F/run.jsonl" --min-samples 25 2>&1); then pass "faults/samples file intact"
    else fail "faults/samples file intact" "$why"; fi
    if grep -q '^restart detected at' "$F/watch.out" && grep -q ', 1 restart$' "$F/watch.out" &&
        grep -q '^endpoint errors: ' "$F/watch.out"; then
        pass "faults/summary reports the restart and the endpoint errors"
    else
        fail "faults/summary reports the restart and the endpoint errors" "$(grep -v '^+' "$F/watch.out" | tr '\n' '|' | head -c 400)"
    fi
    # one plain line per sample when stdout is not a terminal
    nlines=$(grep -c '^+[0-9.]*s sample [0-9]*: ' "$F/watch.out")
    nsamples=$(($(wc -l <"$F/run.jsonl") - 1))
    if [ "$nlines" = "$nsamples" ]; then pass "faults/one plain line per sample"
    else fail "faults/one plain line per sample" "$nlines lines for $nsamples samples"; fi
    grep -v '^+[0-9.]*s sample ' "$F/watch.out" >"$F/summary.txt"
    "$GODARK" report --no-color "$F/run.jsonl" >"$F/report.txt" 2>"$F/report.err"
    rc=$?
    if [ "$rc" = 1 ] && cmp -s "$F/summary.txt" "$F/report.txt"; then
        pass "faults/report prints the summary watch printed"
    else
        fail "faults/report prints the summary watch printed" "exit $rc: $(diff "$F/summary.txt" "$F/report.txt" | head -4 | tr '\n' '|')"
    fi
    kill "$SPID" 2>/dev/null
fi

# ---------------------------------------------------------------- 3. kill, cuts, errors
K=$W/kill
mkdir -p "$K"
python3 "$HERE/faultserver.py" --script good --log "$K/server.log" --lifetime 30 >"$K/server.out" 2>"$K/server.err" &
SPID=$!
PIDS+=("$SPID")
if port_of "$K/server.out" "$SPID"; then
    "$GODARK" watch --every 100ms --out "$K/run.jsonl" "http://127.0.0.1:$PORT/x" >"$K/watch.out" 2>&1 &
    WPID=$!
    PIDS+=("$WPID")
    sleep 2
    kill -KILL "$WPID"
    wait "$WPID" 2>/dev/null
    n=$(grep -c '^SERVED' "$K/server.log")
    if why=$($WCHECK jsonl "$K/run.jsonl" --min-samples 5 --partial-ok 2>&1) &&
        [ "$(($(wc -l <"$K/run.jsonl") - 1))" -ge $((n - 1)) ]; then
        pass "kill -9 leaves every written sample readable"
    else
        fail "kill -9 leaves every written sample readable" "${why:-} ($n served, $(wc -l <"$K/run.jsonl") lines)"
    fi
    "$GODARK" report "$K/run.jsonl" >"$K/report.txt" 2>"$K/report.err"
    rc=$?
    if [ "$rc" -le 1 ] && grep -q '^samples: ' "$K/report.txt"; then pass "report on a killed run's file"
    else fail "report on a killed run's file" "exit $rc: $(head -c 200 "$K/report.err")"; fi
    # a file cut in the middle of its last line: that line is ignored, said once
    size=$(wc -c <"$K/run.jsonl")
    head -c $((size - 20)) "$K/run.jsonl" >"$K/cut.jsonl"
    "$GODARK" report "$K/cut.jsonl" >"$K/cut.txt" 2>"$K/cut.err"
    rc=$?
    if [ "$rc" -le 1 ] && grep -q 'ignored a last line cut short' "$K/cut.err" && [ "$(wc -l <"$K/cut.err")" = 1 ]; then
        pass "report on a file cut mid-line"
    else
        fail "report on a file cut mid-line" "exit $rc: $(head -c 200 "$K/cut.err")"
    fi
    kill "$SPID" 2>/dev/null
else
    fail "kill/server" "the fault server did not start"
fi

E=$W/errors
mkdir -p "$E"
# err NAME WANT_RC PATTERN args...: exit WANT_RC and a one-line error
err() {
    local name=$1 want=$2 pat=$3
    shift 3
    timeout 30 "$GODARK" "$@" >"$E/out" 2>"$E/err"
    local rc=$?
    if [ "$rc" != "$want" ]; then fail "errors/$name" "exit $rc, want $want: $(head -c 200 "$E/err")"
    elif ! grep -qE -e "$pat" "$E/err"; then fail "errors/$name" "stderr does not match /$pat/: $(head -c 200 "$E/err")"
    elif [ "$(grep -vc '^godark: watch: \(writing samples\|[0-9]* samples\? in\)' "$E/err")" != 1 ]; then
        fail "errors/$name" "not one line: $(head -c 300 "$E/err" | tr '\n' '|')"
    else pass "errors/$name"; fi
}
cd "$E" || exit 1
err "no URL" 2 "needs the URL" watch
err "malformed URL" 2 "no host in the URL" watch http:///debug/pprof/goroutine
err "not a URL" 2 "not an http" watch /tmp/dump.txt
err "bad port" 2 "bad port" watch http://127.0.0.1:80x/
err "bad --every" 2 "duration like 500ms" watch --every 10 --every fast http://127.0.0.1:1/
err "unknown flag" 2 "unknown flag --bogus" watch --bogus http://127.0.0.1:1/
err "flag without value" 2 "needs a value" watch http://127.0.0.1:1/ --for
err "bad header" 2 "--header wants" watch --header nocolon http://127.0.0.1:1/
err "unwritable --out" 2 "No such file" watch --out /nonexistent/x.jsonl http://127.0.0.1:1/
# an unreachable endpoint is not a usage error: watch keeps trying until --for ends
err "unreachable: keeps trying, then no good sample" 2 "no good sample: fetch failed" \
    watch --every 200ms --for 1500ms --timeout 1 --out "$E/unreach.jsonl" http://127.0.0.1:1/debug/pprof/goroutine
if [ "$(($(wc -l <"$E/unreach.jsonl") - 1))" -ge 3 ]; then pass "errors/unreachable endpoint polled until --for ends"
else fail "errors/unreachable endpoint polled until --for ends" "$(wc -l <"$E/unreach.jsonl") lines"; fi
timeout 30 "$GODARK" watch --every 100ms --for 300ms --timeout 1 http://127.0.0.1:1/ >"$E/out" 2>"$E/err"
def=$(sed -n 's/^godark: watch: writing samples to //p' "$E/err")
[ -n "$def" ] && [ -s "$E/$def" ] && ls "$E"/godark-watch-*.jsonl >/dev/null 2>&1 && pass "errors/default --out is godark-watch-<pid>.jsonl here" ||
    fail "errors/default --out is godark-watch-<pid>.jsonl here" "no such file in $E"
err "report: missing file" 2 "No such file" report "$E/nope.jsonl"
printf '{"a":1}\n' >"$E/notwatch.jsonl"
err "report: not a watch file" 2 "not a godark watch file" report "$E/notwatch.jsonl"
printf '{"godark_watch":1,"url":"u","every_ms":1,"started":0}\n{"t":1,"total":1,"sites":[],"error":null,"restart":false}\nnot json\n{"t":3,"total":1,"sites":[],"error":null,"restart":false}\n' >"$E/garbled.jsonl"
err "report: a garbled line" 2 "garbled.jsonl:3: not JSON" report "$E/garbled.jsonl"
: >"$E/empty.jsonl"
err "report: empty file" 2 "empty: not a godark watch file" report "$E/empty.jsonl"
err "report: bad --format" 2 "text or json" report --format xml "$E/garbled.jsonl"
cd "$ROOT" || exit 1

[ "$FAILS" -eq 0 ]
