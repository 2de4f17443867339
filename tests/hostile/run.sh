#!/usr/bin/env bash
# tests/hostile/run.sh: inputs built to break a parser or a walker: deep
# nesting, huge lines, binary and malformed text, awkward trees, huge and
# malformed dumps. Each must end with a clear error or a correct result,
# never a crash or a hang. Everything is generated in a temporary directory
# at test time. `timeout` is only a hang guard; nothing asserts a duration,
# but each PASS line says how long it took and the peak memory.
# One PASS/FAIL/SKIP line per case.
set -u
cd "$(dirname "$0")/../.."
G=${GODARK:-build/godark}
case $G in /*) ;; *) G=$PWD/$G ;; esac
tmp=$(mktemp -d); trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
GUARD=300
pass() { echo "PASS hostile $1${2:+ ($2)}"; }
fail() { echo "FAIL hostile $1: $2"; }
skip() { echo "SKIP hostile $1: $2"; }
has() { grep -aqE -- "$2" "$1"; }

# /usr/bin/time (Debian's `time`) measures time and peak memory when present
if [ -x /usr/bin/time ]; then measure() { /usr/bin/time -f '%e %M' -o "$tmp/time" "$@"; }
else measure() { echo "0 0" >"$tmp/time"; "$@"; }; fi

# run NAME WANT_RC CMD...: runs CMD under the hang guard with stdout in
# $tmp/out, stderr in $tmp/err; FAILs on another exit code (a crash, a
# sanitizer report, the guard firing). Sets $cost to "N.Ns, N MB".
run() {
    local name=$1 want=$2; shift 2
    measure timeout "$GUARD" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    local rc=$?
    cost=$(tail -n1 "$tmp/time" | awk '{printf "%.1fs, %d MB", $1, $2 / 1024}')
    if [ "$rc" -eq 124 ]; then fail "$name" "no result after ${GUARD}s (hang?)"; return 1; fi
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit $rc, want $want; stderr: $(grep -av '^Command exited' "$tmp/err" | head -c 400)"
        return 1
    fi
    return 0
}
# the same, keeping stdin: `run_stdin NAME RC CMD... < <(gen)`
run_stdin() {
    local name=$1 want=$2; shift 2
    measure timeout "$GUARD" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    cost=$(tail -n1 "$tmp/time" | awk '{printf "%.1fs, %d MB", $1, $2 / 1024}')
    if [ "$rc" -eq 124 ]; then fail "$name" "no result after ${GUARD}s (hang?)"; return 1; fi
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit $rc, want $want; stderr: $(grep -av '^Command exited' "$tmp/err" | head -c 400)"
        return 1
    fi
    return 0
}

py() { python3 -c "$@"; }

# ---- Go source ----

# 100,000 levels of nesting: parentheses around a copied WaitGroup (the
# finding must still be found), blocks, composite literals, nested ifs
# around a Lock, nested slice types, func literals (quadratic once: GD204's
# pre-check walked each literal's whole subtree), unary ^ (`--` would be one
# token: `----1` is not Go)
N=100000
py "
n=$N
open('$tmp/parens.go','w').write('package p\n\nimport \"sync\"\n\nfunc f(wg *sync.WaitGroup) {\n\tx := ' + '('*n + '*wg' + ')'*n + '\n\t_ = x\n}\n')
open('$tmp/blocks.go','w').write('package p\n\nfunc f() {\n' + '{'*n + '\n' + '}'*n + '\n}\n')
open('$tmp/ifs.go','w').write('package p\n\nimport \"sync\"\n\nfunc f(mu *sync.Mutex, c bool) {\n' + 'if c {\n'*n + 'mu.Lock()\n' + '}\n'*n + '}\n')
open('$tmp/lits.go','w').write('package p\n\nvar x = ' + '[]any{'*n + '}'*n + '\n')
open('$tmp/types.go','w').write('package p\n\nvar x ' + '[]'*n + 'int\n')
open('$tmp/funcs.go','w').write('package p\n\nvar f = ' + 'func() {'*n + 'close(make(chan int))' + '}'*n + '\n')
open('$tmp/unary.go','w').write('package p\n\nvar x = ' + '^'*n + '1\n')
"
if run "100000-level parens" 1 "$G" check --format json "$tmp/parens.go"; then
    has "$tmp/out" '"rule": *"GD401"' && pass "100000-level parens" "$cost" || fail "100000-level parens" "the copied WaitGroup was not reported: $(head -c 300 "$tmp/out")"
fi
for k in blocks ifs lits types funcs unary; do
    run "100000-level $k" 0 "$G" check "$tmp/$k.go" && pass "100000-level $k" "$cost"
done

# a 50 MB one-line file: one string literal, then a finding after it that
# must keep its line and column
py "
import sys
with open('$tmp/long.go','w') as f:
    f.write('package p\n\nimport \"sync\"\n\nvar s = \"' + 'x' * (50 << 20) + '\"; func g(wg sync.WaitGroup) {}\n')
"
if run "50 MB one-line file" 1 "$G" check --format json "$tmp/long.go"; then
    py "
import json,sys
f=json.load(open('$tmp/out'))['findings']
assert len(f)==1 and f[0]['rule']=='GD401' and f[0]['line']==5 and f[0]['column']==52428820, f
" 2>"$tmp/py" && pass "50 MB one-line file" "$cost" || fail "50 MB one-line file" "$(tail -n1 "$tmp/py")"
fi

# a file of NUL bytes (1 MB): a parse error that says binary, at 1:1
head -c 1048576 /dev/zero >"$tmp/nul.go"
run "file of NUL bytes" 1 "$G" check "$tmp/nul.go" &&
    { has "$tmp/out" 'nul.go:1:1: binary file' && pass "file of NUL bytes" "$cost" || fail "file of NUL bytes" "$(head -c 300 "$tmp/out")"; }

# invalid UTF-8: a stray continuation byte in a comment, an overlong
# encoding in a string, a UTF-16 surrogate in an identifier, a truncated
# sequence at the end of the file; each reported at its line and column
mkdir -p "$tmp/utf"
printf 'package u\n\n// caf\x80\n' >"$tmp/utf/a.go"
printf 'package u\n\nvar s = "\xc0\xaf"\n' >"$tmp/utf/b.go"
printf 'package u\n\nvar x\xed\xa0\x80 = 1\n' >"$tmp/utf/c.go"
printf 'package u\n\nvar y = 1 // \xe2\x82' >"$tmp/utf/d.go"
run "invalid UTF-8" 1 "$G" check "$tmp/utf" &&
    { has "$tmp/out" 'a.go:3:7: invalid UTF-8' && has "$tmp/out" 'b.go:3:10: invalid UTF-8' && has "$tmp/out" 'c.go:3:6: invalid UTF-8' &&
      has "$tmp/out" 'd.go:3:14: invalid UTF-8' && pass "invalid UTF-8" "$cost" || fail "invalid UTF-8" "$(cat "$tmp/out" | head -c 600)"; }

# CRLF line ends and a leading BOM: the same findings, at the same lines and
# columns, as the plain LF file
mkdir -p "$tmp/lf" "$tmp/crlf" "$tmp/bom"
cat >"$tmp/lf/a.go" <<'EOF'
package a

import "sync"

// a comment; //godark:ignore below must still apply on CRLF lines
func run(items []int) {
	var wg sync.WaitGroup
	for range items {
		go func() {
			wg.Add(1)
			defer wg.Done()
		}()
	}
	wg.Wait()
}

func quiet(wg sync.WaitGroup) {} //godark:ignore GD401 fixture for the ignore
EOF
sed 's/$/\r/' "$tmp/lf/a.go" >"$tmp/crlf/a.go"
{ printf '\xef\xbb\xbf'; cat "$tmp/lf/a.go"; } >"$tmp/bom/a.go"
"$G" check --format json "$tmp/lf" >"$tmp/lf.json" 2>/dev/null
for k in crlf bom; do
    if run "$k line ends" 1 "$G" check --format json "$tmp/$k"; then
        py "
import json
def key(p): return [(f['rule'], f['line'], f['column'], f['end_line'], f['end_column'], f['message']) for f in json.load(open(p))['findings']]
a, b = key('$tmp/lf.json'), key('$tmp/out')
assert a and a == b, (a, b)
" 2>"$tmp/py" && pass "$k: same findings as LF" "$cost" || fail "$k: same findings as LF" "$(tail -n1 "$tmp/py" | head -c 400)"
    fi
done

# a tree with symlink loops (a directory link to its parent, a file link to
# itself, two links to each other) and a dangling link: loops are not
# followed, each bad link is one named input error, the good package is
# still checked
mkdir -p "$tmp/tree/a/b"
printf 'package b\n\nimport "sync"\n\nfunc g(wg sync.WaitGroup) {}\n' >"$tmp/tree/a/b/b.go"
ln -s .. "$tmp/tree/a/b/up"
ln -s ../.. "$tmp/tree/a/b/upup"
ln -s self.go "$tmp/tree/a/self.go"
ln -s y.go "$tmp/tree/a/x.go"; ln -s x.go "$tmp/tree/a/y.go"
run "symlink loops" 2 "$G" check "$tmp/tree/..." &&
    { has "$tmp/err" 'self.go: cannot read: Too many levels of symbolic links' && has "$tmp/err" 'x.go: cannot read' &&
      has "$tmp/out" 'b.go:5:8: .*GD401' && [ "$(grep -c 'b.go:5:8' "$tmp/out")" -eq 1 ] &&
      pass "symlink loops" "$cost" || fail "symlink loops" "stderr: $(head -c 300 "$tmp/err"); stdout: $(head -c 300 "$tmp/out")"; }

# unreadable file and unreadable directory in a tree
if [ "$(id -u)" != 0 ]; then
    mkdir -p "$tmp/unr/ok" "$tmp/unr/closed"
    printf 'package ok\n' >"$tmp/unr/ok/ok.go"; printf 'package ok\n' >"$tmp/unr/ok/secret.go"; chmod 000 "$tmp/unr/ok/secret.go"
    printf 'package c\n' >"$tmp/unr/closed/c.go"; chmod 000 "$tmp/unr/closed"
    run "unreadable file and dir" 2 "$G" check "$tmp/unr/..." &&
        { has "$tmp/err" 'secret.go: cannot read' && has "$tmp/err" 'closed: Permission denied' && pass "unreadable file and dir" "$cost" ||
          fail "unreadable file and dir" "$(head -c 300 "$tmp/err")"; }
else
    skip "unreadable file and dir" "running as root, permissions do not deny reads"
fi

# a directory of 100,000 empty .go files: one "empty file" parse error each
mkdir -p "$tmp/many"
(cd "$tmp/many" && seq -f 'f%06g.go' 1 100000 | xargs touch)
if run "100000 empty files" 1 "$G" check "$tmp/many"; then
    n=$(grep -c '(GD000 parse-error)$' "$tmp/out")
    [ "$n" -eq 100000 ] && pass "100000 empty files" "$cost" || fail "100000 empty files" "$n parse errors reported, want 100000"
fi

# ---- goroutine dumps and profiles ----

# a million goroutines, streamed on stdin (about 420 MB): all counted, in
# memory proportional to the distinct stacks
run_stdin "a million goroutines" 1 "$G" goroutines --format json --model-json "$tmp/m.json" - < <(bench/gen-dump.sh 1000000 50) &&
    { py "
import json
m=json.load(open('$tmp/m.json'))
assert m['total']==1000000, m['total']
" 2>"$tmp/py" && pass "a million goroutines" "$cost" || fail "a million goroutines" "$(tail -n1 "$tmp/py")"; }

# protobuf with lengths pointing past the end: at the top level, inside a
# sample, a huge varint length, an 11-byte varint, packed fields cut short;
# raw and gzipped. Each is a clear error (exit 2), or a truncation warning.
py "
import gzip
def varint(n):
    out=b''
    while True:
        b=n&0x7f; n>>=7
        if n: out+=bytes([b|0x80])
        else: return out+bytes([b])
def fld(num, payload): return varint(num<<3|2)+varint(len(payload))+payload
st = fld(1, varint(8)+b'\x01'+varint(16)+b'\x02')   # sample_type {type:1 unit:2}
strs = b''.join(fld(6, s) for s in [b'', b'goroutine', b'count'])
cases = {
  'top-past-end': st + strs + varint(2<<3|2) + varint(1000) + b'\x08\x01',
  'inner-past-end': st + strs + fld(2, varint(1<<3|2) + varint(50) + b'\x01\x02'),
  'huge-length': st + varint(6<<3|2) + b'\xff\xff\xff\xff\xff\xff\xff\xff\x7f' + b'abc',
  'long-varint': st + b'\x08' + b'\xff'*11 + b'\x01',
  'packed-cut': st + strs + fld(2, fld(1, b'\x81\x82\x83') + varint(2<<3|2) + varint(3) + b'\x01'),
  'neg-length': st + varint(6<<3|2) + b'\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01' + b'x',
}
for k, v in cases.items():
    open('$tmp/pb-'+k, 'wb').write(v)
    open('$tmp/pb-'+k+'.gz', 'wb').write(gzip.compress(v))
"
bad=
for f in "$tmp"/pb-*; do
    measure timeout "$GUARD" "$G" goroutines "$f" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    if [ "$rc" -ne 2 ] || ! has "$tmp/err" 'godark: .*pb-'; then bad="$bad $(basename "$f"):exit=$rc:$(head -c 200 "$tmp/err")"; fi
done
[ -z "$bad" ] && pass "protobuf lengths past the end (12 inputs)" || fail "protobuf lengths past the end" "$bad"

# a gzip bomb: 64 concatenated gzip members of 64 MB of zeros each (4 GiB
# inflated from 4 MB) is refused at the decompression cap (--max-bytes; the
# default, 1 GiB, works the same way but would hold 1 GiB for the test)
py "
import zlib
c = zlib.compressobj(9, zlib.DEFLATED, 31)
member = c.compress(b'\0' * (64 << 20)) + c.flush()
open('$tmp/bomb.gz', 'wb').write(member * 64)
"
run "gzip bomb, --max-bytes 10 MB" 2 "$G" goroutines --max-bytes 10000000 "$tmp/bomb.gz" &&
    { has "$tmp/err" 'inflates past 10000000 bytes' && pass "gzip bomb, --max-bytes 10 MB" "$cost" || fail "gzip bomb, --max-bytes 10 MB" "$(head -c 300 "$tmp/err")"; }
exit 0
