#!/usr/bin/env bash
# tests/profile/outputs.sh: watch's HTML report and Prometheus metrics (issue
# 16, items 5 and 6), called by tests/profile/run.sh after watch.sh (whose
# acceptance run's samples file it renders); same PASS/FAIL/SKIP lines.
#
#  1. --html: a constructed samples file (two sites growing after a restart,
#     gaps, hostile names) and the acceptance run's file are rendered by
#     `report --html`; tests/profile/outputs.py checks the page's structure
#     with html.parser (a chart per growing site, the site named, escaping,
#     no external reference), then Debian's headless chromium (installed with
#     apt-get once when missing) screenshots it and the PNG is decoded with
#     zlib: the chart lines' colours must be there;
#  2. --listen: `watch --listen 127.0.0.1:0 --metrics-top 1` on the leaking
#     service (tests/profile/programs/watched); /metrics is scraped in both
#     formats and parsed: the leak site's gauge, growing flag and slope,
#     site="other", the counters; SIGINT stops watch and its server;
#  3. `goroutines --format openmetrics` on a case dump and on a dump with
#     quotes, backslashes and bad UTF-8 in its names; usage errors.
# Everything runs on 127.0.0.1, bounded; programs are killed on exit.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT" || exit 1
GODARK=${GODARK:-build/godark}
case $GODARK in /*) ;; *) GODARK=$ROOT/$GODARK ;; esac
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
O=$BUILD/outputs-test
rm -rf "$O"
mkdir -p "$O"
PY="python3 $HERE/outputs.py"
FAILS=0
PIDS=()

pass() { echo "PASS outputs/$1"; }
fail() { echo "FAIL outputs/$1: $2"; FAILS=$((FAILS + 1)); }
skip() { echo "SKIP outputs/$1: $2"; }
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
}
trap cleanup EXIT

# ---------------------------------------------------------------- chromium
CHROMIUM=$(command -v chromium || true)
if [ -z "$CHROMIUM" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "   (installing chromium with apt-get, once)"
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q chromium >"$O/apt.log" 2>&1 ||
        { timeout 120 apt-get update -q >>"$O/apt.log" 2>&1 &&
          DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q chromium >>"$O/apt.log" 2>&1; }
    CHROMIUM=$(command -v chromium || true)
fi

# shot NAME HTML: screenshots HTML and checks the charts rendered
shot() {
    local name=$1 page=$2 png=$O/$1.png why
    if [ -z "$CHROMIUM" ]; then
        skip "$name: screenshot" "no chromium (apt-get install chromium failed or not root: $(tail -1 "$O/apt.log" 2>/dev/null))"
        return
    fi
    # a profile of its own, no network: the page is a local file
    HOME=$O/chromium-home timeout 60 "$CHROMIUM" --headless --disable-gpu --no-sandbox --no-first-run \
        --user-data-dir="$O/chromium-$name" --proxy-server='127.0.0.1:9' --screenshot="$png" \
        --window-size=1200,2000 "file://$page" >"$O/$name.chromium.log" 2>&1
    if [ ! -s "$png" ]; then
        fail "$name: screenshot" "chromium wrote no PNG: $(grep -v dbus "$O/$name.chromium.log" | tail -2 | tr '\n' ' ')"
    elif why=$($PY png "$png" 1200 2000 2>&1); then
        pass "$name: screenshot 1200x2000 shows the total and site charts"
    else
        fail "$name: screenshot 1200x2000 shows the total and site charts" "$why"
    fi
}

# ---------------------------------------------------------------- 1. --html
$PY mkjsonl "$O/made.jsonl"
"$GODARK" report --format json --html "$O/made.html" "$O/made.jsonl" >"$O/made.json" 2>"$O/made.err"
rc=$?
if [ "$rc" = 1 ] && [ -s "$O/made.html" ] && ! ls "$O"/made.html.tmp.* >/dev/null 2>&1; then
    pass "html: report --html writes the page (no temporary file left)"
else
    fail "html: report --html writes the page (no temporary file left)" "exit $rc: $(head -c 200 "$O/made.err")"
fi
if why=$($PY html "$O/made.html" "$O/made.json" --hostile 2>&1); then
    pass "html: a chart per growing site, stacks, trend numbers, escaped names, no external reference"
else
    fail "html: a chart per growing site, stacks, trend numbers, escaped names, no external reference" "$why"
fi
shot made "$O/made.html"

ACC=
for f in "$BUILD"/watch-test/go*/run.jsonl; do [ -s "$f" ] && ACC=$f && break; done
if [ -n "$ACC" ]; then
    "$GODARK" report --format json --html "$O/acc.html" "$ACC" >"$O/acc.json" 2>"$O/acc.err"
    rc=$?
    if [ "$rc" = 1 ] && why=$($PY html "$O/acc.html" "$O/acc.json" 2>&1) && grep -q '<code class="func">main.leak</code>' "$O/acc.html"; then
        pass "html: the acceptance run's page names the leak"
    else
        fail "html: the acceptance run's page names the leak" "exit $rc ${why:-}"
    fi
    if grep -q '<pre class="src">&lt;-ch // LEAK:watch</pre>' "$O/acc.html"; then pass "html: the leak's source line"
    else fail "html: the leak's source line" "$(grep -o '<pre class="src">[^<]*' "$O/acc.html" | head -2)"; fi
    shot acceptance "$O/acc.html"
else
    skip "html: acceptance run" "watch.sh left no samples file (no Go)"
fi
mkdir -p "$O/ro"
"$GODARK" report --html "$O/nodir/x.html" "$O/made.jsonl" >/dev/null 2>"$O/err"
rc=$?
if [ "$rc" = 2 ] && [ "$(wc -l <"$O/err")" = 1 ] && grep -q 'nodir/x.html: No such file' "$O/err"; then
    pass "html: unwritable --html is exit 2 and one line"
else
    fail "html: unwritable --html is exit 2 and one line" "exit $rc: $(head -c 200 "$O/err")"
fi

# ---------------------------------------------------------------- 2. --listen
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
WATCHED=
for b in "$BUILD"/watch-test/go*/watched; do [ -x "$b" ] && WATCHED=$b && break; done
GO=$(command -v go || echo /usr/lib/go-1.19/bin/go)
if [ -z "$WATCHED" ] && [ -x "$GO" ]; then
    WATCHED=$O/watched
    (cd "$HERE/programs/watched" && env GOCACHE="$BUILD/gocache-outputs" GOFLAGS=-mod=mod GOTOOLCHAIN=local \
        GOPROXY=off "$GO" build -o "$WATCHED" .) >"$O/build.log" 2>&1 || WATCHED=
fi
M=$O/metrics
mkdir -p "$M"
if [ -z "$WATCHED" ]; then
    skip "metrics: live /metrics" "no Go to build programs/watched"
else
    "$WATCHED" -lifetime 40s >"$M/prog.log" 2>"$M/prog.err" &
    SPID=$!
    PIDS+=("$SPID")
    if ! port_of "$M/prog.log" "$SPID"; then
        fail "metrics: start watched" "no PORT line: $(head -c 200 "$M/prog.err")"
    else
        URL=http://127.0.0.1:$PORT/debug/pprof/goroutine
        # no --for: stopped by SIGINT, which must also stop the server
        # --foreground: timeout sends a SIGINT it gets both to the child and to its
        # process group, and a second SIGINT ends watch at once (no summary)
        timeout --foreground 60 "$GODARK" watch --every 200ms --listen 127.0.0.1:0 --metrics-top 1 --html "$M/live.html" \
            --out "$M/run.jsonl" --format json "$URL" >"$M/summary.json" 2>"$M/watch.err" &
        WPID=$!
        PIDS+=("$WPID")
        MURL=
        for _ in $(seq 1 100); do
            MURL=$(sed -n 's/^godark: watch: serving metrics at //p' "$M/watch.err")
            [ -n "$MURL" ] && break
            sleep 0.1
        done
        case $MURL in http://127.0.0.1:[1-9]*/metrics) pass "metrics: serves on the port it was given (0: a free one) and says where" ;;
            *) fail "metrics: serves on the port it was given and says where" "'$MURL': $(head -c 200 "$M/watch.err")" ;; esac
        # scrape until the leak is flagged growing (at most 12 s)
        got=
        for _ in $(seq 1 24); do
            sleep 0.5
            curl -sS --max-time 5 -o "$M/page.txt" -D "$M/page.hdr" "$MURL" 2>/dev/null || continue
            if grep -q '^godark_site_growing{site="main.leak .*} 1$' "$M/page.txt"; then got=1; break; fi
        done
        curl -sS --max-time 5 -H 'Accept: application/openmetrics-text; version=1.0.0,text/plain;q=0.5' \
            -o "$M/page.om" -D "$M/page.om.hdr" "$MURL" 2>/dev/null
        code404=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "${MURL%/metrics}/nope" 2>/dev/null)
        code405=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' -X POST -d x=1 "$MURL" 2>/dev/null)
        line=$(grep -n '<-ch // LEAK:watch' "$HERE/programs/watched/main.go" | cut -d: -f1)
        if [ -z "$got" ]; then
            fail "metrics: the leak's growing flag" "not set within 12 s: $(grep '^godark_site_growing' "$M/page.txt" | head -3 | tr '\n' '|')"
        elif why=$($PY metrics "$M/page.txt" --leak "main.leak:$line" --top 1 --growing --counters 2>&1); then
            pass "metrics: text format: leak gauge, growing flag, slope, site=\"other\", counters (top 1)"
        else
            fail "metrics: text format: leak gauge, growing flag, slope, site=\"other\", counters (top 1)" "$why"
        fi
        if grep -qi '^content-type: text/plain; version=0.0.4' "$M/page.hdr"; then pass "metrics: text format content type"
        else fail "metrics: text format content type" "$(grep -i content-type "$M/page.hdr")"; fi
        if grep -qi '^content-type: application/openmetrics-text; version=1.0.0' "$M/page.om.hdr" &&
            why=$($PY metrics "$M/page.om" --leak "main.leak:$line" --top 1 --growing --counters --openmetrics 2>&1); then
            pass "metrics: OpenMetrics when asked (Accept), ending # EOF"
        else
            fail "metrics: OpenMetrics when asked (Accept), ending # EOF" "${why:-} $(grep -i content-type "$M/page.om.hdr")"
        fi
        if [ "$code404" = 404 ] && [ "$code405" = 405 ]; then pass "metrics: 404 elsewhere, 405 for POST"
        else fail "metrics: 404 elsewhere, 405 for POST" "$code404 $code405"; fi
        kill -INT "$WPID" 2>/dev/null
        stopped=
        for _ in $(seq 1 50); do kill -0 "$WPID" 2>/dev/null || { stopped=1; break; }; sleep 0.1; done
        wait "$WPID"
        rc=$?
        if [ -n "$stopped" ] && [ "$rc" = 1 ] && ! curl -s --max-time 2 -o /dev/null "$MURL" 2>/dev/null; then
            pass "metrics: SIGINT stops watch and its server within 5 s"
        else
            fail "metrics: SIGINT stops watch and its server within 5 s" "stopped=${stopped:-no} exit $rc"
        fi
        if why=$($PY html "$M/live.html" "$M/summary.json" 2>&1) && grep -q '<code class="func">main.leak</code>' "$M/live.html"; then
            pass "metrics: watch --html at the end names the leak"
        else
            fail "metrics: watch --html at the end names the leak" "${why:-no main.leak}"
        fi
    fi
    kill "$SPID" 2>/dev/null
fi

# ---------------------------------------------------------------- 3. goroutines --format openmetrics
CASE=$HERE/cases/go1.22-dotless-module-no-goroot/input.txt
"$GODARK" goroutines --format openmetrics --top 1 -o "$O/case.prom" "$CASE" >/dev/null 2>"$O/case.err"
rc=$?
if [ "$rc" = 1 ] && why=$($PY metrics "$O/case.prom" --openmetrics --top 1 --leak 'myservice/queue.(*Q).Push:21' 2>&1) &&
    grep -q '^godark_site_goroutines{site="other"} 8$' "$O/case.prom" &&
    grep -q '^godark_site_suspect{site="myservice/queue.(\*Q).Push .*} 1$' "$O/case.prom"; then
    pass "openmetrics: a dump's sites, suspect flag and other, # EOF (textfile collector)"
else
    fail "openmetrics: a dump's sites, suspect flag and other, # EOF" "exit $rc ${why:-} $(head -c 200 "$O/case.err")"
fi
"$GODARK" goroutines --format openmetrics "$CASE" >"$O/case20.prom" 2>/dev/null
if [ "$(grep -c '^godark_site_goroutines{' "$O/case20.prom")" = 5 ]; then pass "openmetrics: default top 20 names every site of a small dump"
else fail "openmetrics: default top 20 names every site of a small dump" "$(grep -c '^godark_site_goroutines{' "$O/case20.prom") series"; fi
# names with quotes, backslashes, a newline escape and bad UTF-8
printf 'goroutine 7 [chan receive]:\nmain.(*T[\\"x\\\\y\\"]).f\xff(...)\n\t/app/we"ird\\dir/a.go:10 +0x1\ncreated by main.main in goroutine 1\n\t/app/main.go:5 +0x2\n\ngoroutine 8 [chan receive]:\nmain.(*T[\\"x\\\\y\\"]).f\xff(...)\n\t/app/we"ird\\dir/a.go:10 +0x1\ncreated by main.main in goroutine 1\n\t/app/main.go:5 +0x2\n' >"$O/hostile.txt"
"$GODARK" goroutines --format openmetrics "$O/hostile.txt" >"$O/hostile.prom" 2>"$O/hostile.err"
rc=$?
if [ "$rc" -le 1 ] && why=$($PY parse "$O/hostile.prom" --openmetrics 2>&1) &&
    grep -q 'file="/app/we\\"ird\\\\dir/a.go"' "$O/hostile.prom" && grep -q $'\xef\xbf\xbd' "$O/hostile.prom"; then
    pass "openmetrics: quotes, backslashes and bad UTF-8 in names escaped"
else
    fail "openmetrics: quotes, backslashes and bad UTF-8 in names escaped" "exit $rc ${why:-} $(grep -m1 '^godark_site_goroutines{' "$O/hostile.prom")"
fi

# usage errors: exit 2, one line
err() { # NAME PATTERN args...
    local name=$1 pat=$2
    shift 2
    timeout 20 "$GODARK" "$@" >"$O/out" 2>"$O/err"
    local rc=$?
    if [ "$rc" = 2 ] && grep -qE -e "$pat" "$O/err" &&
        [ "$(grep -vc '^godark: watch: writing samples' "$O/err")" = 1 ]; then
        pass "errors: $name"
    else
        fail "errors: $name" "exit $rc: $(head -c 200 "$O/err" | tr '\n' '|')"
    fi
}
cd "$O" || exit 1
err "--listen without a port" "--listen 127.0.0.1: wants HOST:PORT" watch --listen 127.0.0.1 http://127.0.0.1:1/
err "--listen bad port" "port out of range" watch --listen 127.0.0.1:70000 http://127.0.0.1:1/
err "--listen unknown host" "--listen nosuch.invalid:0" watch --listen nosuch.invalid:0 http://127.0.0.1:1/
python3 -c 'import socket,time,sys
s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(1); print(s.getsockname()[1], flush=True); time.sleep(15)' >"$O/busy.port" &
BPID=$!
PIDS+=("$BPID")
for _ in $(seq 1 50); do [ -s "$O/busy.port" ] && break; sleep 0.1; done
err "--listen on a busy port" "cannot serve" watch --for 1s --listen "127.0.0.1:$(cat "$O/busy.port")" --out "$O/busy.jsonl" http://127.0.0.1:1/
kill "$BPID" 2>/dev/null
err "watch --html in a missing directory (before polling)" "--html $O/nodir/x.html: No such file" watch --html "$O/nodir/x.html" http://127.0.0.1:1/
err "--metrics-top 0" "--metrics-top wants a number" watch --metrics-top 0 http://127.0.0.1:1/
err "report --listen" "--listen is for godark watch" report --listen 127.0.0.1:0 "$O/made.jsonl"
err "diff --format openmetrics" "--format openmetrics is for goroutines, not diff" diff --format openmetrics "$CASE" "$CASE"
cd "$ROOT" || exit 1

[ "$FAILS" -eq 0 ]
