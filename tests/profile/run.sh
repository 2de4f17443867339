#!/usr/bin/env bash
# tests/profile/run.sh: tests of `godark goroutines` and `godark diff`.
# Prints one line per test, `PASS name`, `FAIL name: why` or `SKIP name:
# why`; exits 0 only if nothing failed. Inputs: $GODARK (the binary), $BUILD
# (the build directory; work files go to $BUILD/profile-test).
#
#  1. hand-written cases in tests/profile/cases/<case>/ (formats no installed
#     Go prints), each compared with its expected output;
#  2. real dumps: tests/profile/programs/leaky is built with the Go on PATH
#     and with Debian's Go 1.19 (/usr/lib/go-1.19/bin/go, installed once with
#     apt-get if missing), run on 127.0.0.1, and its debug=2, debug=1 and
#     debug=0 profiles, a SIGQUIT dump, a go test timeout and (Go 1.26) the
#     goroutineleak profile are checked against the LEAK/NORMAL markers in
#     its source;
#  3. bad input: empty, garbled, truncated, non-dump, oversized, bad URLs;
#  4. `godark watch` and `godark report`: tests/profile/watch.sh;
#  5. their --html and --listen outputs, goroutines --format openmetrics:
#     tests/profile/outputs.sh.
# Everything runs on loopback; every program started here exits by itself
# (-lifetime) and is also killed on exit.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT" || exit 1
GODARK=${GODARK:-build/godark}
case $GODARK in /*) ;; *) GODARK=$ROOT/$GODARK ;; esac
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
WORK=$BUILD/profile-test
rm -rf "$WORK"
mkdir -p "$WORK"
CHECK="python3 $HERE/check.py"
LEAKY_SRC=$HERE/programs/leaky
MAIN_GO=$LEAKY_SRC/main.go
FAILS=0
PIDS=()

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; FAILS=$((FAILS + 1)); }
skip() { echo "SKIP $1: $2"; }
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
}
trap cleanup EXIT

if [ ! -x "$GODARK" ]; then
    fail "profile godark binary" "$GODARK is not executable"
    exit 1
fi
if ! "$GODARK" goroutines --help >/dev/null 2>&1; then
    fail "profile goroutines command" "$GODARK goroutines --help failed (command not built in?)"
    exit 1
fi

# gd OUT ERR args...: runs godark, stdout to OUT, stderr to ERR; sets RC.
gd() {
    local out=$1 err=$2
    shift 2
    "$GODARK" "$@" >"$out" 2>"$err"
    RC=$?
}

# ---------------------------------------------------------------- 1. cases
for dir in "$HERE"/cases/*/; do
    [ -f "$dir/args" ] || continue
    name=case/$(basename "$dir")
    read -r -a args <"$dir/args"
    want_rc=$(cat "$dir/want.rc" 2>/dev/null || echo 0)
    (cd "$dir" && "$GODARK" "${args[@]}" >"$WORK/case.out" 2>"$WORK/case.err")
    rc=$?
    if [ "$rc" != "$want_rc" ]; then
        fail "$name" "exit $rc, want $want_rc ($(head -c 200 "$WORK/case.err"))"
    elif [ -f "$dir/want.stdout" ] && ! cmp -s "$dir/want.stdout" "$WORK/case.out"; then
        fail "$name" "stdout differs: $(diff "$dir/want.stdout" "$WORK/case.out" | head -4 | tr '\n' '|')"
    elif [ -f "$dir/want.stderr" ] && ! cmp -s "$dir/want.stderr" "$WORK/case.err"; then
        fail "$name" "stderr differs: $(diff "$dir/want.stderr" "$WORK/case.err" | head -4 | tr '\n' '|')"
    else
        pass "$name"
    fi
done

# ---------------------------------------------------------------- 2. real Go
GO126=$(command -v go || true)
GO119=/usr/lib/go-1.19/bin/go
if [ ! -x "$GO119" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "   (installing golang-1.19-go with apt-get, once)"
    timeout 300 apt-get install -y -q golang-1.19-go >"$WORK/apt.log" 2>&1 ||
        { timeout 120 apt-get update -q >>"$WORK/apt.log" 2>&1 &&
          timeout 300 apt-get install -y -q golang-1.19-go >>"$WORK/apt.log" 2>&1; }
fi

# build_prog GO TAG DIR OUT [GOEXPERIMENT]
build_prog() {
    local go=$1 tag=$2 dir=$3 out=$4 exp=${5:-}
    (cd "$dir" && env GOCACHE="$BUILD/gocache-$tag" GOFLAGS=-mod=mod GOTOOLCHAIN=local GOPROXY=off \
        GOEXPERIMENT="$exp" "$go" build -o "$out" . ) >"$out.build.log" 2>&1
}

# start_prog BIN LOG ENV...: starts a leaky binary, sets PORT and PID.
start_prog() {
    local bin=$1 log=$2
    shift 2
    PORT=
    env "$@" "$bin" -lifetime 120s >"$log" 2>"$log.err" &
    PID=$!
    PIDS+=("$PID")
    for _ in $(seq 1 300); do
        PORT=$(awk '/^PORT /{print $2; exit}' "$log" 2>/dev/null)
        [ -n "$PORT" ] && return 0
        kill -0 "$PID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

fetch() { curl -sS --max-time 30 -o "$2" -w '%{http_code}' "$1" 2>/dev/null; }

# check_suspects NAME INPUT MODE [flags]: godark goroutines on INPUT and the
# marker checks.
check_suspects() {
    local name=$1 in=$2 mode=$3
    shift 3
    local base=$WORK/$(echo "$name" | tr '/ ' '__')
    gd "$base.json" "$base.err" goroutines --format json --model-json "$base.model.json" "$@" "$in"
    if [ "$RC" != 1 ]; then
        fail "$name" "exit $RC, want 1 (suspects): $(head -c 200 "$base.err")"
        return 1
    fi
    local why
    if why=$($CHECK suspects "$MAIN_GO" "$base.json" "$base.model.json" "$mode" 2>&1); then
        pass "$name"
    else
        fail "$name" "$why"
    fi
}

real_go() { # GO TAG
    local go=$1 tag=$2
    local d=$WORK/$tag
    mkdir -p "$d"
    if ! build_prog "$go" "$tag" "$LEAKY_SRC" "$d/leaky"; then
        fail "$tag/build leaky" "$(tail -3 "$d/leaky.build.log" | tr '\n' ' ')"
        return
    fi
    pass "$tag/build leaky"
    if ! start_prog "$d/leaky" "$d/leaky.log" GODEBUG=tracebacklabels=1; then
        fail "$tag/start leaky" "no PORT line: $(head -c 200 "$d/leaky.log.err")"
        return
    fi
    local url=http://127.0.0.1:$PORT/debug/pprof/goroutine
    local ok=1
    for dbg in 2 1 0; do
        code=$(fetch "$url?debug=$dbg" "$d/debug$dbg")
        [ "$code" = 200 ] || { fail "$tag/fetch debug=$dbg" "HTTP $code"; ok=0; }
    done
    [ $ok = 1 ] || return
    check_suspects "$tag/debug=2 suspects" "$d/debug2" full
    check_suspects "$tag/debug=1 suspects" "$d/debug1" full
    check_suspects "$tag/debug=0 suspects" "$d/debug0" full
    local why
    if why=$($CHECK formats "$WORK/${tag}_debug=2_suspects.model.json" "$WORK/${tag}_debug=1_suspects.model.json" \
        "$WORK/${tag}_debug=0_suspects.model.json" 2>&1); then
        pass "$tag/three formats same groups and counts"
    else
        fail "$tag/three formats same groups and counts" "$why"
    fi
    for f in 1 0; do
        if why=$($CHECK labels "$WORK/${tag}_debug=${f}_suspects.model.json" "$MAIN_GO" recv "leak=recv" 2>&1); then
            pass "$tag/debug=$f labels"
        else
            fail "$tag/debug=$f labels" "$why"
        fi
    done
    if grep -q ' labels:{' "$d/debug2"; then
        if why=$($CHECK labels "$WORK/${tag}_debug=2_suspects.model.json" "$MAIN_GO" recv "leak=recv" 2>&1); then
            pass "$tag/debug=2 labels (GODEBUG=tracebacklabels=1)"
        else
            fail "$tag/debug=2 labels (GODEBUG=tracebacklabels=1)" "$why"
        fi
    else
        skip "$tag/debug=2 labels" "this Go prints no labels in tracebacks"
    fi
    # URL input: godark adds ?debug=2 itself
    check_suspects "$tag/URL input" "$url" full --timeout 20
    if grep -q '"format":"traceback"' "$WORK/${tag}_URL_input.model.json"; then
        pass "$tag/URL input asks for debug=2"
    else
        fail "$tag/URL input asks for debug=2" "model format is not traceback"
    fi
    # stdin
    "$GODARK" goroutines --format json - <"$d/debug2" >"$d/stdin.json" 2>"$d/stdin.err"
    RC=$?
    "$GODARK" goroutines --format json "$d/debug2" >"$d/file.json" 2>/dev/null
    if [ "$RC" = 1 ] && cmp -s <(grep -v '"file"' "$d/stdin.json") <(grep -v '"file"' "$d/file.json"); then
        pass "$tag/stdin input"
    else
        fail "$tag/stdin input" "exit $RC or output differs from the file's"
    fi
    # --source: the frames map to a copy of the source tree
    mkdir -p "$d/srccopy/leaky"
    cp "$MAIN_GO" "$d/srccopy/leaky/main.go"
    gd "$d/source.txt" "$d/source.err" goroutines --no-color --source "$d/srccopy" "$d/debug2"
    local sendline
    sendline=$(grep -n 'LEAK:send' "$MAIN_GO" | cut -d: -f1)
    if grep -q "^$d/srccopy/leaky/main.go:$sendline:[0-9]*: 5 goroutines" "$d/source.txt" &&
        grep -q 'ch <- v // LEAK:send' "$d/source.txt" &&
        grep -q "^    $d/srccopy/leaky/main.go:[0-9]*:1: note: created by main.main" "$d/source.txt" &&
        ! grep -q "^ *$LEAKY_SRC" "$d/source.txt"; then
        pass "$tag/--source maps frames and creators and prints the line, one path style"
    else
        fail "$tag/--source maps frames and prints the line" "$(grep -m1 'LEAK:send\|sendTo' "$d/source.txt")"
    fi
    # a source tree where no frame maps: said on stderr, in one line; not an error
    mkdir -p "$d/emptysrc"
    gd "$d/nomap.txt" "$d/nomap.err" goroutines --no-color --source "$d/emptysrc" "$d/debug2"
    if [ "$RC" = 1 ] && [ "$(wc -l <"$d/nomap.err")" = 1 ] && grep -q "emptysrc: no frame of .* is a file under it" "$d/nomap.err"; then
        pass "$tag/--source tree where no frame maps says so"
    else
        fail "$tag/--source tree where no frame maps says so" "exit $RC: $(head -c 200 "$d/nomap.err")"
    fi
    # --source cross-check: the leaks godark check's static rules also find
    # (predicted=GDxxx markers) say so, in text, JSON and SARIF; no other does
    local abandonline
    abandonline=$(grep -n 'LEAK:abandon' "$MAIN_GO" | cut -d: -f1)
    if grep -q "^$d/srccopy/leaky/main.go:$abandonline:[0-9]*: 3 goroutines .*; this leak was predicted by GD103 abandoned-sender (main.go:$abandonline)" "$d/source.txt" &&
        ! grep -q "^$d/srccopy/leaky/main.go:$sendline:.*predicted" "$d/source.txt"; then
        pass "$tag/--source: leak predicted by GD103 (text)"
    else
        fail "$tag/--source: leak predicted by GD103 (text)" \
            "$(grep -m2 -e "main.go:$abandonline:" -e "main.go:$sendline:" "$d/source.txt" | tr '\n' '|')"
    fi
    gd "$d/source.json" "$d/source.err" goroutines --format json --source "$d/srccopy" "$d/debug2"
    gd "$d/source.sarif" "$d/source.err" goroutines --format sarif --source "$d/srccopy" "$d/debug2"
    if why=$($CHECK predicted "$MAIN_GO" "$d/source.json" "$d/source.sarif" 2>&1); then
        pass "$tag/--source: predicted leaks in JSON and SARIF, and only those"
    else
        fail "$tag/--source: predicted leaks in JSON and SARIF, and only those" "$why"
    fi
    if why=$(python3 tests/cli/sarif-check.py "$d/source.sarif" --schema tests/cli/sarif-schema-2.1.0.json 2>&1); then
        pass "$tag/--source: runtime SARIF valid against the SARIF 2.1.0 schema"
    else
        fail "$tag/--source: runtime SARIF valid against the SARIF 2.1.0 schema" "$why"
    fi
    # diff: a leak that grows between two snapshots, same and mixed formats
    code=$(fetch "http://127.0.0.1:$PORT/grow?n=7" "$d/grow.txt")
    if [ "$code" != 200 ]; then
        fail "$tag/grow" "HTTP $code"
    else
        fetch "$url?debug=2" "$d/after2" >/dev/null
        fetch "$url?debug=1" "$d/after1" >/dev/null
        for pair in "debug2 after2" "debug0 after1"; do
            set -- $pair
            gd "$d/diff-$1.json" "$d/diff-$1.err" diff --format json --model-json "$d/diff-$1.model.json" "$d/$1" "$d/$2"
            if [ "$RC" != 1 ]; then
                fail "$tag/diff $1 -> $2" "exit $RC, want 1: $(head -c 200 "$d/diff-$1.err")"
            elif why=$($CHECK diff "$MAIN_GO" "$d/diff-$1.json" "$d/diff-$1.model.json" 7 2>&1); then
                pass "$tag/diff $1 -> $2"
            else
                fail "$tag/diff $1 -> $2" "$why"
            fi
        done
        gd "$d/diff-same.json" "$d/diff-same.err" diff --format json "$d/debug2" "$d/debug2"
        if [ "$RC" = 0 ]; then pass "$tag/diff of a snapshot with itself is clean"
        else fail "$tag/diff of a snapshot with itself is clean" "exit $RC"; fi
    fi
    # the heap profile is not a goroutine profile
    fetch "http://127.0.0.1:$PORT/debug/pprof/heap?debug=1" "$d/heap1" >/dev/null
    fetch "http://127.0.0.1:$PORT/debug/pprof/heap" "$d/heap0" >/dev/null
    for h in heap1 heap0; do
        gd "$d/$h.out" "$d/$h.err" goroutines "$d/$h"
        if [ "$RC" = 2 ] && grep -q 'not a goroutine profile' "$d/$h.err" && [ "$(wc -l <"$d/$h.err")" = 1 ]; then
            pass "$tag/$h rejected"
        else
            fail "$tag/$h rejected" "exit $RC: $(head -c 200 "$d/$h.err")"
        fi
    done
    gd "$d/404.out" "$d/404.err" goroutines --timeout 10 "http://127.0.0.1:$PORT/debug/pprof/nosuchprofile"
    if [ "$RC" = 2 ] && grep -q 'HTTP status 404' "$d/404.err"; then pass "$tag/URL 404"
    else fail "$tag/URL 404" "exit $RC: $(head -c 200 "$d/404.err")"; fi
    kill "$PID" 2>/dev/null

    # SIGQUIT with GOTRACEBACK=system: runtime frames, fp/sp/pc, registers
    if start_prog "$d/leaky" "$d/quit.log" GOTRACEBACK=system; then
        kill -QUIT "$PID"
        wait "$PID" 2>/dev/null
        if grep -q '^goroutine 1 ' "$d/quit.log.err"; then
            check_suspects "$tag/SIGQUIT GOTRACEBACK=system suspects" "$d/quit.log.err" full
        else
            fail "$tag/SIGQUIT GOTRACEBACK=system suspects" "no dump on stderr"
        fi
    else
        fail "$tag/SIGQUIT GOTRACEBACK=system suspects" "program did not start"
    fi

    # go test -timeout: the panic dump of a stuck test
    local tt=$WORK/$tag-testtimeout
    mkdir -p "$tt"
    (cd "$HERE/programs/testtimeout" && env GOCACHE="$BUILD/gocache-$tag" GOFLAGS=-mod=mod GOTOOLCHAIN=local \
        GOPROXY=off "$go" test -count=1 -timeout 2s . ) >"$tt/out.txt" 2>&1
    if grep -q 'panic: test timed out' "$tt/out.txt"; then
        local n
        n=$(grep -cE '^goroutine [0-9]+ ' "$tt/out.txt")
        gd "$tt/g.json" "$tt/g.err" goroutines --format json --min-count 2 --model-json "$tt/m.json" "$tt/out.txt"
        local helper waiter
        helper=$(grep -n 'go func() { ch <- 1 }' "$HERE/programs/testtimeout/stuck_test.go" | cut -d: -f1)
        waiter=$(grep -n 'return <-ch' "$HERE/programs/testtimeout/stuck_test.go" | cut -d: -f1)
        # test mode (a timeout dump): every blocked user goroutine is a
        # suspect whatever --min-count says, with the test that started it;
        # the testing package's own waits (t.Run) are not
        if [ "$RC" = 1 ] && why=$($CHECK total "$tt/m.json" "$n" 2>&1) &&
            why=$(python3 -c 'import json,sys
f = json.load(open(sys.argv[1]))["findings"]
got = sorted((x["line"], x["message"].split(" goroutine")[0]) for x in f if x["file"].endswith("stuck_test.go"))
want = sorted([(int(sys.argv[2]), "2"), (int(sys.argv[3]), "1")])
if got != want or len(f) != 2: sys.exit("suspects %s, want %s" % ([(x["file"].split("/")[-1], x["line"], x["message"][:40]) for x in f], want))
bad = [x["message"] for x in f if "test timed out (started by TestStuck)" not in x["message"]]
if bad: sys.exit("test not named: %s" % bad)' "$tt/g.json" "$helper" "$waiter" 2>&1); then
            pass "$tag/go test timeout dump"
        else
            fail "$tag/go test timeout dump" "exit $RC ${why:-} $(head -c 300 "$tt/g.json")"
        fi
    else
        fail "$tag/go test timeout dump" "go test did not time out: $(tail -2 "$tt/out.txt" | tr '\n' ' ')"
    fi

    # a service at rest (programs/healthy): with --source, a pool of the
    # loop's constant size, idle range receivers and ticker loops are low
    # (healthy), the leak godark check predicts is high, the other medium
    local ht=$WORK/$tag-healthy
    mkdir -p "$ht/src/healthy"
    cp "$HERE/programs/healthy/main.go" "$ht/src/healthy/main.go"
    if build_prog "$go" "$tag" "$HERE/programs/healthy" "$ht/healthy" && timeout 60 "$ht/healthy" >"$ht/dump.txt" 2>"$ht/err.txt"; then
        MAIN_GO=$ht/src/healthy/main.go check_suspects "$tag/healthy service: only the leaks (--source)" \
            "$ht/dump.txt" full --source "$ht/src"
        gd "$ht/low.json" "$ht/low.err" goroutines --format json --confidence low --source "$ht/src" "$ht/dump.txt"
        if why=$(python3 -c 'import json,re,sys
mk = {}
for i, l in enumerate(open(sys.argv[2]), 1):
    m = re.search(r"//\s*(LEAK|NORMAL):(\w+)", l)
    if m: mk[i] = (m.group(1), m.group(2), "predicted=" in l)
f = json.load(open(sys.argv[1]))["findings"]
for x in f:
    kind, name, pred = mk.get(x["line"], ("?", "?", False))
    want = "low" if kind == "NORMAL" else "high" if pred else "medium"
    if kind == "NORMAL" and "looks healthy" not in x["message"]: sys.exit("%s: %s" % (name, x["message"]))
    if x["confidence"] != want: sys.exit("%s is %s, want %s: %s" % (name, x["confidence"], want, x["message"]))
names = sorted(mk[x["line"]][1] for x in f if x["line"] in mk)
if names != ["abandon", "consumers", "pool", "stuck", "ticker"]: sys.exit("suspects at --confidence low: %s" % names)' \
            "$ht/low.json" "$ht/src/healthy/main.go" 2>&1); then
            pass "$tag/healthy service: pool, consumers, tickers low; predicted leak high"
        else
            fail "$tag/healthy service: pool, consumers, tickers low; predicted leak high" "$why"
        fi
    else
        fail "$tag/healthy service" "did not build or run: $(tail -2 "$ht/err.txt" "$ht/healthy.build.log" 2>/dev/null | tr '\n' ' ')"
    fi

    # the end of the tests: programs/kernel (`module kernel`, no dot) has the
    # TestMain README.md shows; built with -trimpath, its dump has no GOROOT
    # path, so only the std table says whose code `kernel` is
    local kt=$WORK/$tag-kernel
    mkdir -p "$kt"
    (cd "$HERE/programs/kernel" && env GOCACHE="$BUILD/gocache-$tag" GOFLAGS=-mod=mod GOTOOLCHAIN=local \
        GOPROXY=off "$go" test -count=1 -trimpath -v . ) >"$kt/out.txt" 2>&1
    if grep -q '^goroutine 1 \[running\]' "$kt/out.txt"; then
        MAIN_GO=$HERE/programs/kernel/kernel.go check_suspects "$tag/TestMain dump, module kernel, --at-test-end" \
            "$kt/out.txt" testend --at-test-end
        gd "$kt/plain.json" "$kt/plain.err" goroutines --format json "$kt/out.txt"
        if [ "$RC" = 1 ] && ! grep -q 'started by' "$kt/plain.json"; then
            pass "$tag/TestMain dump without --at-test-end: only the --min-count sites"
        else
            fail "$tag/TestMain dump without --at-test-end: only the --min-count sites" "exit $RC"
        fi
    else
        fail "$tag/TestMain dump, module kernel, --at-test-end" "no dump: $(tail -3 "$kt/out.txt" | tr '\n' ' ')"
    fi
}

if [ -n "$GO126" ]; then
    real_go "$GO126" "go$("$GO126" env GOVERSION | sed 's/^go//; s/\.[0-9]*$//')"
else
    skip "go/real dumps" "no go on PATH"
fi
if [ -x "$GO119" ]; then
    real_go "$GO119" go1.19
else
    skip "go1.19/real dumps" "golang-1.19-go is not installed and apt-get could not install it (see $WORK/apt.log)"
fi

# goroutineleak profile (Go 1.26, GOEXPERIMENT=goroutineleakprofile)
leakprof() {
    local go=$1 d=$WORK/goroutineleak
    mkdir -p "$d"
    if ! build_prog "$go" exp "$LEAKY_SRC" "$d/leaky" goroutineleakprofile; then
        skip "goroutineleak profile" "GOEXPERIMENT=goroutineleakprofile does not build with $("$go" version)"
        return
    fi
    if ! start_prog "$d/leaky" "$d/leaky.log"; then
        fail "goroutineleak/start" "no PORT line"
        return
    fi
    local url=http://127.0.0.1:$PORT/debug/pprof/goroutineleak
    local code
    code=$(fetch "$url?debug=1" "$d/leak1")
    if [ "$code" != 200 ] || ! grep -q '^goroutineleak profile' "$d/leak1"; then
        skip "goroutineleak profile" "/debug/pprof/goroutineleak not served (HTTP $code) by $("$go" version)"
        return
    fi
    fetch "$url?debug=0" "$d/leak0" >/dev/null
    fetch "$url?debug=2" "$d/leak2" >/dev/null
    check_suspects "goroutineleak/debug=1" "$d/leak1" leak
    check_suspects "goroutineleak/debug=0" "$d/leak0" leak
    check_suspects "goroutineleak/debug=2 (leaked)" "$d/leak2" leak2
    kill "$PID" 2>/dev/null
}
if [ -n "$GO126" ]; then
    leakprof "$GO126"
else
    skip "goroutineleak profile" "no go on PATH"
fi

# ---------------------------------------------------------------- 3. bad input
E=$WORK/errors
mkdir -p "$E"
# err_case NAME WANT_RC PATTERN FILE [flags]: one-line error matching PATTERN
err_case() {
    local name=$1 want=$2 pat=$3 file=$4
    shift 4
    gd "$E/out" "$E/err" goroutines "$@" "$file"
    if [ "$RC" != "$want" ]; then
        fail "errors/$name" "exit $RC, want $want: $(head -c 200 "$E/err")"
    elif ! grep -qE "$pat" "$E/err"; then
        fail "errors/$name" "stderr does not match /$pat/: $(head -c 200 "$E/err")"
    elif [ "$want" = 2 ] && [ "$(wc -l <"$E/err")" != 1 ]; then
        fail "errors/$name" "error is not one line: $(head -c 300 "$E/err" | tr '\n' '|')"
    else
        pass "errors/$name"
    fi
}
: >"$E/empty"
err_case empty 2 "^godark: .*/empty: empty input" "$E/empty"
printf '\n \n\t\n' >"$E/blank"
err_case blank 2 "^godark: .*: .*not a goroutine dump" "$E/blank"
printf '\001\002\003binary\000\377\376 data' >"$E/binary"
err_case binary 2 "^godark: .*: .*not a goroutine dump" "$E/binary"
err_case "Go source is not a dump" 2 "not a goroutine dump|garbled goroutine dump" "$MAIN_GO"
err_case "missing file" 2 "^godark: $E/nope: No such file" "$E/nope"
err_case "directory" 2 "^godark: " "$E"
err_case "unreachable URL" 2 "^godark: http://127.0.0.1:1/.*fetch failed" "http://127.0.0.1:1/debug/pprof/goroutine" --timeout 5
err_case "--source that does not exist" 2 "^godark: goroutines: --source $E/nosuch: No such file" "$E/empty" --source "$E/nosuch"
err_case "--source that is a file" 2 "^godark: goroutines: --source $E/empty: not a directory" "$E/empty" --source "$E/empty"
gd "$E/out" "$E/err" goroutines --bogus x
[ "$RC" = 2 ] && grep -q 'unknown flag' "$E/err" && pass "errors/unknown flag" || fail "errors/unknown flag" "exit $RC"
gd "$E/out" "$E/err" goroutines
[ "$RC" = 2 ] && grep -q 'needs one input' "$E/err" && pass "errors/no input" || fail "errors/no input" "exit $RC"
gd "$E/out" "$E/err" diff "$E/empty"
[ "$RC" = 2 ] && grep -q 'needs two inputs' "$E/err" && pass "errors/diff needs two" || fail "errors/diff needs two" "exit $RC"

# inputs made from a real dump of this run (Go on PATH, else 1.19)
REAL=
for t in "$WORK"/go*/; do [ -s "$t/debug2" ] && REAL=$t && break; done
if [ -n "$REAL" ]; then
    size=$(wc -c <"$REAL/debug2")
    # cut in the middle of a frame's file line, two thirds in: reports what it read
    python3 -c 'import sys
lines = open(sys.argv[1]).read().split("\n")
i = len(lines) * 2 // 3
while not lines[i].startswith("\t"): i += 1
sys.stdout.write("\n".join(lines[:i]) + "\n" + lines[i][:len(lines[i]) // 2])' "$REAL/debug2" >"$E/cut2"
    gd "$E/out" "$E/err" goroutines --no-color "$E/cut2"
    if [ "$RC" -le 1 ] && grep -q 'truncated' "$E/err" && grep -q 'looks truncated' "$E/out" &&
        [ "$(grep -cE '^goroutine [0-9]+ ' "$E/cut2")" -ge 1 ]; then
        pass "errors/debug=2 cut mid-goroutine reports what it read"
    else
        fail "errors/debug=2 cut mid-goroutine reports what it read" "exit $RC: $(head -c 200 "$E/err")"
    fi
    # cut right after a function line: its file:line is missing
    awk '/^main\.leakRecv\(/ {print; exit} {print}' "$REAL/debug2" >"$E/cutfunc"
    gd "$E/out" "$E/err" goroutines --model-json "$E/m.json" "$E/cutfunc"
    n=$(grep -cE '^goroutine [0-9]+ ' "$E/cutfunc")
    if [ "$RC" -le 1 ] && grep -q 'truncated' "$E/err" && $CHECK total "$E/m.json" "$n" >/dev/null; then
        pass "errors/debug=2 cut after a function line"
    else
        fail "errors/debug=2 cut after a function line" "exit $RC: $(head -c 200 "$E/err")"
    fi
    # garbled: a line of noise between a function and its file:line
    awk '{print} /^main\.leakRecv\(/ && !done {print "@@ noise ##"; done=1}' "$REAL/debug2" >"$E/garbled2"
    err_case "debug=2 garbled" 2 "garbled goroutine dump: line [0-9]+" "$E/garbled2"
    # debug=1 cut: the header's total is not reached
    size=$(wc -c <"$REAL/debug1")
    head -c $((size / 2)) "$REAL/debug1" >"$E/cut1"
    gd "$E/out" "$E/err" goroutines "$E/cut1"
    if [ "$RC" -le 2 ] && grep -q 'truncated' "$E/err"; then pass "errors/debug=1 truncated"
    else fail "errors/debug=1 truncated" "exit $RC: $(head -c 200 "$E/err")"; fi
    sed '3s/^/garbage /' "$REAL/debug1" >"$E/garbled1"
    err_case "debug=1 garbled" 2 "garbled goroutine profile: line 3" "$E/garbled1"
    size=$(wc -c <"$REAL/debug0")
    head -c $((size / 2)) "$REAL/debug0" >"$E/cut0"
    err_case "debug=0 truncated gzip" 2 "truncated gzip data" "$E/cut0"
    printf 'hello, not a profile\n' | gzip >"$E/notproto.gz"
    err_case "gzip of text" 2 "garbled profile.proto|not a pprof profile" "$E/notproto.gz"
    head -c 20000000 /dev/zero | gzip >"$E/bomb.gz"
    err_case "decompression cap" 2 "inflates past 1000000 bytes" "$E/bomb.gz" --max-bytes 1000000
    # never a crash: every prefix length class of every format
    crashed=
    for f in debug2 debug1 debug0; do
        size=$(wc -c <"$REAL/$f")
        for k in 1 2 3 5 7 11 13 17 19 23 29 31 37 41 43 47 53 59 61 67 71 73 79 83 89 97; do
            head -c $((size * k / 100)) "$REAL/$f" >"$E/prefix"
            "$GODARK" goroutines "$E/prefix" >/dev/null 2>&1
            rc=$?
            [ "$rc" -le 2 ] || crashed="$crashed $f@$k%:rc=$rc"
        done
    done
    if [ -z "$crashed" ]; then pass "errors/no crash on any prefix of the three formats"
    else fail "errors/no crash on any prefix of the three formats" "$crashed"; fi
else
    skip "errors/real-dump cuts" "no real dump was captured (no Go)"
fi

# ---------------------------------------------------------------- 4. watch
# `godark watch` on a real leaking service and on a fault-injection server,
# and `godark report` (tests/profile/watch.sh; after 2., which installs Go 1.19)
"$HERE/watch.sh" || FAILS=$((FAILS + 1))
# watch's --html report (headless chromium screenshots) and --listen /metrics,
# goroutines --format openmetrics (tests/profile/outputs.sh; after watch.sh,
# whose samples file it renders)
"$HERE/outputs.sh" || FAILS=$((FAILS + 1))

[ "$FAILS" -eq 0 ]
