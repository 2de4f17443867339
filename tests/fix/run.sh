#!/usr/bin/env bash
# tests/fix/run.sh: `godark check --fix` and `--diff` against golden files.
# Each tests/fix/<case>/ holds in.go (gofmt-clean input), want.go (the
# expected output of --fix, byte for byte) and optionally rc (the exit
# status after fixing; default 0). For each case, on a copy: --fix gives
# want.go and says what it fixed, a second --fix changes nothing, gofmt -l
# is clean, `--diff | patch -p1` gives the same bytes, --diff touches
# nothing, and the SARIF `fixes` applied by tests/fix/sarif-apply.py and
# the JSON `edits` (byte ranges) give the same bytes too. One PASS/FAIL line each.
set -u
cd "$(dirname "$0")/../.."
G=$(realpath "${GODARK:-build/godark}")
here=$(pwd)
tmp=$(mktemp -d); trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/xdg"; unset GODARK_CACHE
pass() { echo "PASS fix $1"; }
fail() { echo "FAIL fix $1: $2"; }
have_gofmt=1; command -v gofmt >/dev/null || have_gofmt=0
have_patch=1; command -v patch >/dev/null || have_patch=0
[ $have_gofmt = 1 ] || echo "SKIP fix gofmt: no gofmt on PATH"
[ $have_patch = 1 ] || echo "SKIP fix patch: no patch on PATH"

for dir in tests/fix/*/; do
    c=$(basename "$dir")
    in=$dir/in.go want=$dir/want.go
    [ -f "$in" ] && [ -f "$want" ] || continue
    wantrc=0; [ -f "$dir/rc" ] && wantrc=$(cat "$dir/rc")
    if [ $have_gofmt = 1 ] && [ -n "$(gofmt -l "$in" "$want")" ]; then
        fail "$c golden files" "not gofmt-clean: $(gofmt -l "$in" "$want")"; continue
    fi
    w=$tmp/$c; mkdir -p "$w/fix/pkg" "$w/diff/pkg" "$w/patch/pkg"
    cp "$in" "$w/fix/pkg/main.go"; cp "$in" "$w/diff/pkg/main.go"; cp "$in" "$w/patch/pkg/main.go"

    # --diff prints the edits and changes nothing
    (cd "$w/diff" && "$G" check --diff ./... >"$w/d.patch" 2>"$w/d.err"); drc=$?
    if ! cmp -s "$in" "$w/diff/pkg/main.go"; then fail "$c --diff" "it changed the file"
    elif cmp -s "$in" "$want" && [ -s "$w/d.patch" ]; then fail "$c --diff" "a diff where nothing is fixable: $(head -c 300 "$w/d.patch")"
    elif ! cmp -s "$in" "$want" && ! grep -q '^--- a/pkg/main.go$' "$w/d.patch"; then fail "$c --diff" "no a/pkg/main.go header: $(head -c 300 "$w/d.patch")"
    elif [ $drc -gt 1 ]; then fail "$c --diff" "exit $drc: $(cat "$w/d.err")"
    else pass "$c --diff"; fi
    # warm cache: the same diff from the cached findings
    (cd "$w/diff" && "$G" check --diff ./... >"$w/d2.patch" 2>/dev/null)
    cmp -s "$w/d.patch" "$w/d2.patch" && pass "$c --diff from the cache" ||
        fail "$c --diff from the cache" "differs: $(diff "$w/d.patch" "$w/d2.patch" | head -c 300)"

    # --diff | patch -p1
    if [ $have_patch = 1 ]; then
        if (cd "$w/patch" && patch -s -p1 <"$w/d.patch" >"$w/p.out" 2>&1) && cmp -s "$want" "$w/patch/pkg/main.go"; then
            pass "$c --diff | patch -p1"
        else
            fail "$c --diff | patch -p1" "$(cat "$w/p.out"; diff "$want" "$w/patch/pkg/main.go" | head -20)"
        fi
    fi

    # --fix
    (cd "$w/fix" && "$G" check --fix ./... >"$w/f.out" 2>"$w/f.err"); frc=$?
    if ! cmp -s "$want" "$w/fix/pkg/main.go"; then
        fail "$c --fix" "output differs from want.go: $(diff "$want" "$w/fix/pkg/main.go" | head -20)"
    elif [ $frc -ne "$wantrc" ]; then
        fail "$c --fix" "exit $frc, want $wantrc; stdout: $(head -c 300 "$w/f.out")"
    elif ! cmp -s "$in" "$want" && ! grep -q '^godark: fixed pkg/main.go:[0-9]*: GD' "$w/f.err"; then
        fail "$c --fix" "stderr does not say what it fixed: $(cat "$w/f.err")"
    elif ls -a "$w/fix/pkg" | grep -q godark-fix; then
        fail "$c --fix" "a temporary file was left: $(ls -a "$w/fix/pkg")"
    else
        pass "$c --fix"
    fi
    if [ $have_gofmt = 1 ]; then
        [ -z "$(gofmt -l "$w/fix/pkg/main.go")" ] && pass "$c gofmt-clean after --fix" ||
            fail "$c gofmt-clean after --fix" "$(gofmt -d "$w/fix/pkg/main.go" | head -20)"
    fi
    # the fixed findings are not reported; --fix again is a no-op
    cp "$w/fix/pkg/main.go" "$w/once.go"
    (cd "$w/fix" && "$G" check --fix ./... >"$w/f2.out" 2>"$w/f2.err"); f2rc=$?
    if cmp -s "$w/once.go" "$w/fix/pkg/main.go" && [ $f2rc -eq "$wantrc" ] && ! grep -q 'fixed' "$w/f2.err" &&
        cmp -s "$w/f.out" "$w/f2.out"; then
        pass "$c --fix twice is a no-op"
    else
        fail "$c --fix twice is a no-op" "exit $f2rc; stderr: $(cat "$w/f2.err"); $(diff "$w/once.go" "$w/fix/pkg/main.go" | head)"
    fi

    # SARIF carries the same edits
    (cd "$w/diff" && "$G" check --format sarif ./... >"$w/s.sarif" 2>/dev/null)
    if python3 "$here/tests/cli/sarif-check.py" "$w/s.sarif" >"$w/sc.out" 2>&1 &&
        python3 "$here/tests/fix/sarif-apply.py" "$w/s.sarif" "$in" "$want" >"$w/sa.out" 2>&1; then
        pass "$c SARIF fixes"
    else
        fail "$c SARIF fixes" "$(cat "$w/sc.out" "$w/sa.out" | head -c 400)"
    fi
    # JSON carries them too, as byte ranges of the analysed file
    (cd "$w/diff" && "$G" check --format json ./... >"$w/j.json" 2>/dev/null)
    if python3 - "$w/j.json" "$in" "$want" >"$w/ja.out" 2>&1 <<'PY'; then
import json, sys
findings = json.load(open(sys.argv[1]))["findings"]
src = open(sys.argv[2], "rb").read()
edits = sorted({(e["start_byte"], e["end_byte"], e["text"]) for f in findings for e in f.get("edits", [])}, reverse=True)
for start, end, text in edits:
    src = src[:start] + text.encode() + src[end:]
want = open(sys.argv[3], "rb").read()
assert src == want, (src[:300], want[:300])
PY
        pass "$c JSON edits"
    else
        fail "$c JSON edits" "$(head -c 400 "$w/ja.out")"
    fi
done

# A read-only file: --fix says it cannot write, exits 2, and leaves it alone.
w=$tmp/ro; mkdir -p "$w/pkg"; cp tests/fix/waitgroup-add/in.go "$w/pkg/main.go"; chmod a-w "$w/pkg"
if [ "$(id -u)" != 0 ]; then
    (cd "$w" && "$G" check --fix ./... >/dev/null 2>"$w.err"); rc=$?
    if [ $rc -eq 2 ] && grep -q 'cannot write the fix' "$w.err" && cmp -s tests/fix/waitgroup-add/in.go "$w/pkg/main.go"; then
        pass "unwritable directory: exit 2, file unchanged"
    else
        fail "unwritable directory: exit 2, file unchanged" "exit $rc: $(cat "$w.err")"
    fi
else
    echo "SKIP fix unwritable directory: running as root"
fi
chmod u+w "$w/pkg"

# --fix, --diff and --write-baseline exclude each other
"$G" check --fix --diff tests/fix/no-fix >/dev/null 2>"$tmp/x.err"; rc=$?
[ $rc -eq 2 ] && grep -q 'exclude each other' "$tmp/x.err" && pass "--fix with --diff: exit 2" ||
    fail "--fix with --diff: exit 2" "exit $rc: $(cat "$tmp/x.err")"

# a symbolic link to the file: its target is fixed, the link stays a link
w=$tmp/link; mkdir -p "$w/pkg" "$w/real"; cp tests/fix/waitgroup-add/in.go "$w/real/x.go"; ln -s ../real/x.go "$w/pkg/main.go"
(cd "$w" && "$G" check --fix pkg >/dev/null 2>&1)
[ -L "$w/pkg/main.go" ] && cmp -s tests/fix/waitgroup-add/want.go "$w/real/x.go" && pass "symlink: target fixed, link kept" ||
    fail "symlink: target fixed, link kept" "$(ls -l "$w/pkg")"

# --diff of files outside the current directory: paths relative to the
# nearest directory above that holds them (said on stderr), so that
# `patch -p1 -d DIR` applies it (patch refuses `..` and absolute names)
w=$tmp/outside; mkdir -p "$w/work" "$w/other"; cp tests/fix/waitgroup-add/in.go "$w/other/main.go"
(cd "$w/work" && "$G" check --diff ../other >"$w/d.patch" 2>"$w/d.err")
if grep -q '^--- a/other/main.go$' "$w/d.patch" && grep -q "relative to $w (apply with \`patch -p1 -d $w\`)" "$w/d.err" &&
    { [ $have_patch = 0 ] || { patch -s -p1 -d "$w" <"$w/d.patch" && cmp -s tests/fix/waitgroup-add/want.go "$w/other/main.go"; }; }; then
    pass "--diff outside the current directory applies with patch -p1 -d"
else
    fail "--diff outside the current directory applies with patch -p1 -d" "$(head -3 "$w/d.patch"; cat "$w/d.err")"
fi
