#!/usr/bin/env bash
# tests/cli/cache.sh: godark check's result cache (src/check/cache.c): a warm
# run prints exactly what a run without the cache prints, whatever changed in
# between (file bytes, go.mod, options, the binary) and whatever happened to
# the cache directory (corrupt entries, concurrent runs). One PASS/FAIL line
# each; run by tests/cli/run.sh.
set -u
cd "$(dirname "$0")/../.."
G=${GODARK:-build/godark}
case $G in /*) ;; *) G=$PWD/$G ;; esac
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS cli cache: $1"; }
fail() { echo "FAIL cli cache: $1: $2"; }
unset GODARK_CACHE
export XDG_CACHE_HOME="$tmp/xdg"
CD=$XDG_CACHE_HOME/godark
entries() { find "$CD" -mindepth 2 -type f 2>/dev/null | grep -c .; }

# a tree with findings of many kinds (related locations, fixes, low
# confidence, GD000 with its source line, generated files, tests) in
# several packages; checked from inside it, with relative paths
T=$tmp/tree
mkdir -p "$T"
cp -r examples "$T/examples"
cp -r tests/cli/cases "$T/cases"
cp -r tests/rules/unbounded-goroutine-spawn "$T/low" # low-confidence findings
mkdir -p "$T/loop"
printf 'module example.com/loop\n\ngo 1.21\n' >"$T/loop/go.mod"
cat >"$T/loop/loop.go" <<'EOF'
package loop

func Spawn(xs []int, out chan<- int) {
	for _, x := range xs {
		go func() { out <- x }()
	}
}
EOF
cd "$T" || exit 1

# same NAME ARGS...: a cached run of `check ARGS` must print what a run
# without the cache prints, on stdout and stderr, with the same exit status
same() {
    local name=$1; shift
    "$G" check --no-cache "$@" >"$tmp/want" 2>"$tmp/want.err"; local want=$?
    "$G" check "$@" >"$tmp/got" 2>"$tmp/got.err"; local got=$?
    if [ "$got" -ne "$want" ]; then fail "$name" "exit $got, without the cache $want"; return 1; fi
    if ! cmp -s "$tmp/want" "$tmp/got"; then fail "$name" "output differs: $(diff "$tmp/want" "$tmp/got" | head -c 400)"; return 1; fi
    if ! cmp -s "$tmp/want.err" "$tmp/got.err"; then fail "$name" "stderr differs: $(diff "$tmp/want.err" "$tmp/got.err" | head -c 400)"; return 1; fi
    return 0
}
# hits ARGS...: how many packages `check --stats ARGS` took from the cache
hits() { "$G" check --stats "$@" 2>&1 >/dev/null | sed -n 's/^godark: cache: \([0-9]*\) of .*/\1/p'; }

# --no-cache (and GODARK_CACHE=off) read and write nothing
"$G" check --no-cache ./... >/dev/null 2>&1
GODARK_CACHE=off "$G" check ./... >/dev/null 2>&1
[ ! -e "$CD" ] && pass "--no-cache and GODARK_CACHE=off write nothing" || fail "--no-cache and GODARK_CACHE=off write nothing" "$(find "$CD" | head -5)"

# cold, then warm: the same output in every format, every package a hit
ok=1
for fmt in text json sarif github; do
    same "format $fmt" --format "$fmt" ./... || ok=0
    same "format $fmt (warm)" --format "$fmt" ./... || ok=0
done
n=$("$G" check --no-cache --stats ./... 2>&1 >/dev/null | sed -n 's/.* in \([0-9]*\) packages.*/\1/p')
h=$(hits ./...)
[ "$ok" = 1 ] && [ -n "$n" ] && [ "$h" = "$n" ] && [ "$(entries)" -ge "$n" ] &&
    pass "warm run: same output in every format, $h of $n packages from the cache" ||
    { [ "$ok" = 1 ] && fail "warm run" "$h of $n packages from the cache"; }
[ -f "$CD/CACHEDIR.TAG" ] && pass "CACHEDIR.TAG" || fail "CACHEDIR.TAG" "not written"

# a file's bytes change, its size and mtime do not: the content decides
f=examples/waitgroup_add_in_goroutine.go
cp -p "$f" "$tmp/orig.go"
"$G" check --no-cache ./... >"$tmp/before" 2>&1
python3 - "$f" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("wg.Add(1) // GD301", "_ = 1     // GD301", 1)  # the same length
open(p, "w").write(s)
EOF
touch -r "$tmp/orig.go" "$f"
if [ "$(stat -c %s.%Y "$f")" = "$(stat -c %s.%Y "$tmp/orig.go")" ] && ! cmp -s "$f" "$tmp/orig.go"; then
    if same "changed file, same size and mtime" ./...; then
        cmp -s "$tmp/before" "$tmp/got" && fail "changed file, same size and mtime" "the edit changed no finding" ||
            pass "changed file, same size and mtime"
    fi
else
    fail "changed file, same size and mtime" "could not make the edit in $f"
fi
cp -p "$tmp/orig.go" "$f"
same "file changed back" ./... && pass "file changed back"

# go.mod is outside the package's files, but its go directive changes findings
same "go.mod 1.21" loop && grep -q 'go.mod says go 1.21' "$tmp/got" && pass "go.mod 1.21: loop variable reported" ||
    fail "go.mod 1.21: loop variable reported" "$(cat "$tmp/got")"
sed -i 's/^go 1.21$/go 1.22/' loop/go.mod
same "go.mod 1.22" loop && [ ! -s "$tmp/got" ] && pass "go.mod changed to 1.22: not served from the cache" ||
    fail "go.mod changed to 1.22: not served from the cache" "$(cat "$tmp/got")"
sed -i 's/^go 1.22$/go 1.21/' loop/go.mod

# options that change findings are in the key
ok=1
for opts in "--confidence low" "--confidence high" "--enable GD101" "--disable GD000" "--tests=false" "--generated" \
    "--strict-ignores" "--max-chan-buffer 0"; do
    # shellcheck disable=SC2086
    { same "$opts" $opts ./... && same "$opts (warm)" $opts ./...; } || ok=0
done
[ "$ok" = 1 ] && pass "options are part of the key" || true
# and what differs between the default and --confidence low is really there
"$G" check --format json ./... >"$tmp/d.json" 2>/dev/null
"$G" check --format json --confidence low ./... >"$tmp/l.json" 2>/dev/null
cmp -s "$tmp/d.json" "$tmp/l.json" && fail "low confidence differs" "the tree has no low-confidence finding to tell them apart" ||
    pass "low confidence differs"

# --jobs does not change findings, so it shares the entries
h=$(hits --jobs 1 ./...)
[ "$h" = "$n" ] && pass "--jobs shares entries" || fail "--jobs shares entries" "$h of $n hits"

# another binary (a rebuild keeps the version string) does not read them
cp "$G" "$tmp/godark2"
h=$("$tmp/godark2" check --stats ./... 2>&1 >/dev/null | sed -n 's/^godark: cache: \([0-9]*\) of .*/\1/p')
[ "$h" = 0 ] && pass "another build misses" || fail "another build misses" "$h hits"

# corrupt entries: truncated, garbage, empty, bit-flipped. Each is a miss,
# never a crash or a wrong answer, and is rewritten.
corrupt() { # how
    find "$CD" -mindepth 2 -type f ! -name '.tmp-*' | while read -r e; do
        case $1 in
        truncate) truncate -s $(($(stat -c %s "$e") / 2)) "$e" ;;
        garbage) head -c "$(stat -c %s "$e")" /dev/urandom >"$e" ;;
        empty) : >"$e" ;;
        header) printf 'GDKCACHE\001\000\000\000' | dd of="$e" conv=notrunc status=none ;;
        flip) python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[-1]^=1; open(p,"wb").write(b)' "$e" ;;
        esac
    done
}
for how in truncate garbage empty header flip; do
    same "warm before $how" --format json ./... >/dev/null
    corrupt $how
    if same "corrupt entries ($how)" --format json ./... && [ "$(hits ./...)" = "$n" ]; then
        pass "corrupt entries ($how): a miss, then rewritten"
    else
        fail "corrupt entries ($how): a miss, then rewritten" "stats after the rewrite: $(hits ./...) of $n hits"
    fi
done

# an unusable cache directory: the run goes on without it, silently
"$G" check --no-cache ./... >"$tmp/want" 2>"$tmp/want.err"; want=$?
: >"$tmp/notadir"
XDG_CACHE_HOME=$tmp/notadir "$G" check ./... >"$tmp/got" 2>"$tmp/got.err"; got=$?
[ "$got" = "$want" ] && cmp -s "$tmp/want" "$tmp/got" && cmp -s "$tmp/want.err" "$tmp/got.err" &&
    pass "unusable cache directory: no cache, same output" || fail "unusable cache directory" "exit $got: $(head -c 300 "$tmp/got.err")"
"$G" check --stats --cache-dir "$tmp/notadir/x" ./... 2>&1 >/dev/null | grep -q '^godark: cache: off' &&
    pass "--stats says the cache is off" || fail "--stats says the cache is off" "no such line"

# stderr is not cached away: an unreadable file is reported on every run
ln -s /nonexistent/x.go cases/clean/dangling.go
"$G" check cases/clean >/dev/null 2>"$tmp/e1"; r1=$?
"$G" check cases/clean >/dev/null 2>"$tmp/e2"; r2=$?
[ "$r1" = 2 ] && [ "$r2" = 2 ] && grep -q 'dangling.go: cannot read' "$tmp/e2" && pass "unreadable file reported on every run" ||
    fail "unreadable file reported on every run" "exit $r1, $r2: $(cat "$tmp/e2")"
rm cases/clean/dangling.go

# concurrent runs on an empty cache: all succeed with the full output, and
# leave no temporary file behind
rm -rf "$CD"
"$G" check --no-cache --format json ./... >"$tmp/want" 2>/dev/null; want=$?
for i in 1 2 3 4; do
    "$G" check --format json --jobs 2 ./... >"$tmp/c$i" 2>"$tmp/c$i.err" &
done
ok=1
wait
for i in 1 2 3 4; do
    cmp -s "$tmp/want" "$tmp/c$i" && [ ! -s "$tmp/c$i.err" ] || ok=0
done
same "after concurrent runs" --format json ./... || ok=0
left=$(find "$CD" -name '.tmp-*' | grep -c .)
[ "$ok" = 1 ] && [ "$left" = 0 ] && pass "4 concurrent runs" || fail "4 concurrent runs" "outputs differ or $left temporary files left"
# and the exit status of each
for i in 1 2; do "$G" check --format json ./... >/dev/null 2>&1 & pids[$i]=$!; done
ok=1
for i in 1 2; do wait "${pids[$i]}"; [ $? = "$want" ] || ok=0; done
[ "$ok" = 1 ] && pass "concurrent runs: exit status" || fail "concurrent runs: exit status" "not $want"

# godark cache dir | clean
d=$("$G" cache dir)
[ "$d" = "$CD" ] && pass "cache dir" || fail "cache dir" "$d, want $CD"
[ "$("$G" cache dir --cache-dir /x/y)" = /x/y ] && pass "cache dir --cache-dir" || fail "cache dir --cache-dir" "not /x/y"
mkdir -p "$CD/zz"; : >"$CD/keep.txt"; mkdir -p "$CD/ab"; : >"$CD/ab/not-an-entry"
"$G" cache clean && [ "$(entries)" = 1 ] && [ -e "$CD/keep.txt" ] && [ -e "$CD/ab/not-an-entry" ] && [ -d "$CD/zz" ] && [ "$(hits ./...)" = 0 ] &&
    pass "cache clean removes the entries and nothing else" || fail "cache clean" "$(find "$CD" | head -10)"
GODARK_CACHE=off "$G" cache dir >/dev/null 2>&1; [ $? = 2 ] && pass "cache dir with GODARK_CACHE=off" || fail "cache dir with GODARK_CACHE=off" "not exit 2"
exit 0
