#!/usr/bin/env bash
# tests/cli/run.sh: the command line as users see it: exit codes, every
# output format, -o, flags, bad input, docs drift. One PASS/FAIL line each.
set -u
cd "$(dirname "$0")/../.."
G=${GODARK:-build/godark}
C=tests/cli/cases
tmp=$(mktemp -d); trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
# the result cache lives in $tmp (tests/run.sh sets one too; this keeps a
# direct run of this script out of ~/.cache)
export XDG_CACHE_HOME="$tmp/xdg"; unset GODARK_CACHE
pass() { echo "PASS cli $1"; }
fail() { echo "FAIL cli $1: $2"; }
# expect_rc NAME WANT_RC CMD...: runs CMD, output in $tmp/out and $tmp/err
expect_rc() {
    local name=$1 want=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
    if [ "$rc" -ne "$want" ]; then fail "$name" "exit $rc, want $want; stderr: $(head -c 300 "$tmp/err")"; return 1; fi
    return 0
}
has() { grep -aqE -- "$2" "$1"; }

expect_rc "clean exit 0" 0 "$G" check "$C/clean" && { [ -s "$tmp/out" ] && fail "clean exit 0" "output on a clean package: $(head -c 200 "$tmp/out")" || pass "clean exit 0"; }

expect_rc "parse error exit 1" 1 "$G" check --no-color "$C/broken" &&
    { has "$tmp/out" '^tests/cli/cases/broken/broken.go:[0-9]+:[0-9]+: .*\(GD000 parse-error\)$' && has "$tmp/out" '^[[:space:]]*\^$' &&
      pass "parse error exit 1" || fail "parse error exit 1" "text format: $(cat "$tmp/out")"; }

expect_rc "recursive pattern" 1 "$G" check "$C/mixed/..." &&
    { has "$tmp/out" 'sub/bad.go' && pass "recursive pattern" || fail "recursive pattern" "sub-package not checked"; }
expect_rc "non-recursive dir" 0 "$G" check "$C/mixed" && pass "non-recursive dir"
expect_rc "single file" 1 "$G" check "$C/mixed/sub/bad.go" && pass "single file"

expect_rc "missing path exit 2" 2 "$G" check "$C/does-not-exist" &&
    { has "$tmp/err" "does-not-exist: no such file or directory" && pass "missing path exit 2" || fail "missing path exit 2" "message: $(cat "$tmp/err")"; }
expect_rc "unknown flag exit 2" 2 "$G" check --bogus && pass "unknown flag exit 2"
expect_rc "unknown format exit 2" 2 "$G" check --format xml "$C/clean" && pass "unknown format exit 2"
expect_rc "unknown rule exit 2" 2 "$G" check --enable GD999 "$C/clean" && pass "unknown rule exit 2"
expect_rc "unknown command exit 2" 2 "$G" frobnicate && pass "unknown command exit 2"
expect_rc "no args exit 2" 2 "$G" && pass "no args exit 2"

# formats
expect_rc "json format" 1 "$G" check --format json "$C/broken" &&
    { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); f=d["findings"]; assert len(f)==1 and f[0]["rule"]=="GD000" and f[0]["line"]>=3, f' "$tmp/out" 2>"$tmp/py" &&
      pass "json format" || fail "json format" "$(cat "$tmp/py")"; }
# SARIF: the structural checks of sarif-check.py and the official SARIF
# 2.1.0 JSON schema (tests/cli/sarif-schema-2.1.0.json, OASIS; see
# tests/cli/README.md), which needs python3's jsonschema (.ci/run installs it)
SCHEMA=tests/cli/sarif-schema-2.1.0.json
expect_rc "sarif format" 1 "$G" check --format sarif "$C/broken" &&
    { python3 tests/cli/sarif-check.py "$tmp/out" --schema "$SCHEMA" >"$tmp/py" 2>&1 && pass "sarif format (schema)" || fail "sarif format (schema)" "$(cat "$tmp/py")"; }
"$G" check --format sarif tests/fix/defer-loop tests/fix/waitgroup-add >"$tmp/fix.sarif" 2>/dev/null
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"]; assert any(x.get("fixes") for x in r), "no fixes"' "$tmp/fix.sarif" 2>"$tmp/py" &&
    python3 tests/cli/sarif-check.py "$tmp/fix.sarif" --schema "$SCHEMA" >>"$tmp/py" 2>&1 &&
    pass "sarif with fixes (schema)" || fail "sarif with fixes (schema)" "$(cat "$tmp/py")"
# helpUri: only with --docs-url (or $GODARK_DOCS_URL), to URL/<ID>-<name>.md
"$G" check --format sarif --docs-url https://docs.example.org/godark/rules/ "$C/broken" >"$tmp/help.sarif" 2>/dev/null
GODARK_DOCS_URL=https://docs.example.org/r "$G" check --format sarif "$C/broken" >"$tmp/help2.sarif" 2>/dev/null
python3 - "$tmp/help.sarif" "$tmp/help2.sarif" "$tmp/fix.sarif" >"$tmp/py" 2>&1 <<'PY' &&
import json, sys
rules = lambda p: {r["id"]: r for r in json.load(open(p))["runs"][0]["tool"]["driver"]["rules"]}
r = rules(sys.argv[1])["GD403"]
assert r["helpUri"] == "https://docs.example.org/godark/rules/GD403-double-lock.md", r.get("helpUri")
assert rules(sys.argv[2])["GD000"]["helpUri"] == "https://docs.example.org/r/GD000-parse-error.md"
assert all("helpUri" not in r for r in rules(sys.argv[3]).values()), "helpUri without --docs-url"
PY
    python3 tests/cli/sarif-check.py "$tmp/help.sarif" --schema "$SCHEMA" >>"$tmp/py" 2>&1 &&
    pass "sarif helpUri from --docs-url and GODARK_DOCS_URL, none without" ||
    fail "sarif helpUri from --docs-url and GODARK_DOCS_URL, none without" "$(cat "$tmp/py")"
# the schema check itself rejects what the schema forbids
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["bogus"]=1; json.dump(d, open(sys.argv[2], "w"))' "$tmp/fix.sarif" "$tmp/bad.sarif" &&
    ! python3 tests/cli/sarif-check.py "$tmp/bad.sarif" --schema "$SCHEMA" >/dev/null 2>&1 &&
    pass "sarif schema rejects a property SARIF does not define" || fail "sarif schema rejects a property SARIF does not define" "accepted"

expect_rc "github format" 1 "$G" check --format github "$C/broken" &&
    { has "$tmp/out" '^::error file=tests/cli/cases/broken/broken.go,line=[0-9]+,col=[0-9]+.*title=GD000 parse-error::' && pass "github format" || fail "github format" "$(cat "$tmp/out")"; }

# -o writes the report atomically and nothing to stdout
expect_rc "-o file" 1 "$G" check --format json -o "$tmp/report.json" "$C/broken" &&
    { [ ! -s "$tmp/out" ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/report.json" && ! ls "$tmp"/report.json.tmp.* >/dev/null 2>&1 &&
      pass "-o file" || fail "-o file" "report not written cleanly"; }
expect_rc "-o unwritable" 2 "$G" check -o "$tmp/no/such/dir/r.txt" "$C/broken" && pass "-o unwritable"

# --disable removes the finding; --enable keeps only the named rules
expect_rc "disable rule" 0 "$G" check --disable parse-error "$C/broken" && pass "disable rule"
expect_rc "enable other rule" 0 "$G" check --enable GD101 "$C/broken" && pass "enable other rule"

# ignores: strict mode reports a missing reason and an unknown rule, not a reasoned ignore
expect_rc "strict ignores" 1 "$G" check --strict-ignores "$C/ignores" &&
    { n=$(grep -c 'GD001' "$tmp/out"); has "$tmp/out" 'ignores.go:6:1: //godark:ignore without a reason' && has "$tmp/out" 'ignores.go:9:1: .*unknown rule GD999' && [ "$n" -eq 2 ] &&
      pass "strict ignores" || fail "strict ignores" "$(cat "$tmp/out")"; }
expect_rc "ignores not strict" 0 "$G" check "$C/ignores" && pass "ignores not strict"

# determinism: the same output whatever the thread count
"$G" check --no-cache --format json --jobs 1 "$C/.." >"$tmp/j1" 2>/dev/null
"$G" check --no-cache --format json --jobs 4 "$C/.." >"$tmp/j4" 2>/dev/null
cmp -s "$tmp/j1" "$tmp/j4" && [ -s "$tmp/j1" ] && pass "deterministic across --jobs" || fail "deterministic across --jobs" "outputs differ"

# hostile files: binary, empty, invalid UTF-8, unreadable: clear results, no crash
mkdir -p "$tmp/h"
printf 'package h\n\x00\x01\x02' >"$tmp/h/bin.go"
: >"$tmp/h/empty.go"
printf 'package h\n\nvar s = "\xff"\n' >"$tmp/h/utf.go"
expect_rc "hostile files" 1 "$G" check "$tmp/h" &&
    { has "$tmp/out" 'bin.go:2:1: binary file' && has "$tmp/out" 'utf.go:3:10: invalid UTF-8' && has "$tmp/out" 'empty.go:1:1: ' &&
      pass "hostile files" || fail "hostile files" "$(cat "$tmp/out")"; }
if [ "$(id -u)" != 0 ]; then
    printf 'package u\n' >"$tmp/h/unreadable.go"; chmod 000 "$tmp/h/unreadable.go"
    expect_rc "unreadable file" 2 "$G" check "$tmp/h" && { has "$tmp/err" 'unreadable.go: cannot read' && pass "unreadable file" || fail "unreadable file" "$(cat "$tmp/err")"; }
else
    echo "SKIP cli unreadable file: running as root, permissions do not deny reads"
fi
# a dangling symlink is an unreadable file (exit 2, named); a symlink loop is not followed
mkdir -p "$tmp/l"; printf 'package l\n' >"$tmp/l/ok.go"; ln -s /nonexistent/x.go "$tmp/l/dangling.go"; ln -s .. "$tmp/l/loop"
expect_rc "dangling symlink" 2 "$G" check "$tmp/l/..." && { has "$tmp/err" 'dangling.go: cannot read: No such file' && pass "dangling symlink" || fail "dangling symlink" "$(cat "$tmp/err")"; }
# a 10 MB one-line file
python3 -c 'import sys; sys.stdout.write("package big\nvar x = []int{" + "1," * 5000000 + "}\n")' >"$tmp/big.go"
expect_rc "10 MB one-line file" 0 "$G" check "$tmp/big.go" && pass "10 MB one-line file"

# generated files are analysed but not reported unless --generated
expect_rc "generated skipped" 0 "$G" check "$C/gen" && pass "generated skipped"
expect_rc "generated reported" 1 "$G" check --generated "$C/gen" && pass "generated reported"
# _test.go files are included unless --tests=false
expect_rc "tests included" 1 "$G" check "$C/testsonly" && { has "$tmp/out" 'a_test.go' && pass "tests included" || fail "tests included" "no finding in a_test.go"; }
expect_rc "tests=false" 0 "$G" check --tests=false "$C/testsonly" && pass "tests=false"

# rules, explain
expect_rc "rules" 0 "$G" rules && { has "$tmp/out" '^GD301 +waitgroup-add-in-goroutine' && pass "rules" || fail "rules" "table lacks GD301"; }
expect_rc "explain" 0 "$G" explain GD000 && { has "$tmp/out" '^# GD000 parse-error' && has "$tmp/out" '## Bad' && pass "explain" || fail "explain" "page incomplete"; }
expect_rc "explain by name" 0 "$G" explain parse-error && pass "explain by name"
expect_rc "explain unknown" 2 "$G" explain GD999 && pass "explain unknown"

# docs drift: regenerating the docs must not change the committed ones
mkdir -p "$tmp/docs"; cp README.md "$tmp/README.md"
if "$G" docs-gen "$tmp/docs" "$tmp/README.md" >/dev/null 2>&1 && diff -r "$tmp/docs" docs/rules >"$tmp/d" 2>&1 && diff "$tmp/README.md" README.md >>"$tmp/d" 2>&1; then
    pass "docs in sync with the rule table"
else
    fail "docs in sync with the rule table" "run make docs: $(head -c 400 "$tmp/d")"
fi

# make ecosystem's comparison, offline: the examples module as the corpus, two
# verdicts that match findings and one whose finding does not exist
"$G" check --format json examples/... >"$tmp/ex.json" 2>/dev/null
printf 'ex\texamples\n' >"$tmp/mods.tsv"
python3 - "$tmp/ex.json" >"$tmp/verdicts.tsv" <<'PY'
import json, sys
fs = [f for f in json.load(open(sys.argv[1]))["findings"] if f["confidence"] != "low"]
f0, f1 = fs[0], fs[1]
print("%s\tex\t%s:%d\ttrue\tread" % (f0["rule"], f0["file"].replace("examples/", "", 1), f0["line"]))
print("%s\tex\t%s:%d\tfalse\tread" % (f1["rule"], f1["file"].replace("examples/", "", 1), f1["line"]))
print("GD101\tex\tnowhere.go:1\tdebatable\tgone")
print(len(fs))
PY
ndefault=$(tail -1 "$tmp/verdicts.tsv"); sed -i '$d' "$tmp/verdicts.tsv"
if python3 tests/ecosystem/run.py --godark "$G" --modules-file "$tmp/mods.tsv" --verdicts "$tmp/verdicts.tsv" \
       --findings "$tmp/eco.tsv" >"$tmp/eco.out" 2>"$tmp/eco.err" &&
   has "$tmp/eco.out" "^## Default findings without a verdict \($((ndefault - 2))\)" &&
   has "$tmp/eco.out" '^- gone: GD101 ex nowhere.go:1 \(was debatable: gone\)' &&
   has "$tmp/eco.out" '^\| \*\*all\*\* \| \| '"$ndefault"' \| 1 \| 1 \| 0 \| '"$((ndefault - 2))"' \| \*\*50 %\*\*' &&
   [ "$(grep -c . "$tmp/eco.tsv")" -ge "$ndefault" ]; then
    pass "ecosystem comparison"
else
    fail "ecosystem comparison" "$(head -c 300 "$tmp/eco.err") $(grep -E '^(\| \*\*all|## Default|- gone)' "$tmp/eco.out" | head -c 600)"
fi
python3 tests/ecosystem/run.py --godark "$G" --modules-file "$tmp/mods.tsv" --verdicts "$tmp/verdicts.tsv" --strict >/dev/null 2>&1
[ $? -eq 1 ] && pass "ecosystem --strict fails on unjudged findings" || fail "ecosystem --strict fails on unjudged findings" "exit status not 1"

# the examples are fixtures too: every `// GDxxx` marker has its finding
# at default confidence, and no finding is unmarked
"$G" check --format json examples/... >"$tmp/examples.json" 2>"$tmp/err"
"$G" check --confidence low --format json examples/... >"$tmp/examples-low.json" 2>"$tmp/err"
python3 tests/cli/examples-check.py "$tmp/examples.json" examples "$tmp/examples-low.json"

# leak findings carry the goroutine's go statement and what gave up on it
# as related locations, in JSON and SARIF (issue 13)
"$G" check --format json "$C/related" >"$tmp/rel.json" 2>/dev/null
"$G" check --format sarif "$C/related" >"$tmp/rel.sarif" 2>/dev/null
python3 tests/cli/related-check.py "$tmp/rel.json" "$tmp/rel.sarif" >"$tmp/py" 2>&1 &&
    pass "related locations of leak findings" || fail "related locations of leak findings" "$(head -c 600 "$tmp/py")"

# one path style (issue 17): check names files relative to the current
# directory whatever the arguments look like; SARIF relative to the
# repository root (%SRCROOT%), with a fingerprint per result
( cd "$C/mixed" && "$OLDPWD/$G" check --no-color ./sub/... ) >"$tmp/p1" 2>/dev/null
( cd "$C/mixed" && "$OLDPWD/$G" check --no-color ./... ) >"$tmp/p2" 2>/dev/null
( cd "$C/mixed" && "$OLDPWD/$G" check --no-color "$PWD/sub" ) >"$tmp/p3" 2>/dev/null
( cd "$C/mixed/sub" && "$OLDPWD/$G" check --no-color ../... ) >"$tmp/p4" 2>/dev/null
if has "$tmp/p1" '^sub/bad\.go:' && has "$tmp/p2" '^sub/bad\.go:' && has "$tmp/p3" '^sub/bad\.go:' &&
    has "$tmp/p4" '^bad\.go:' && ! grep -q '^\./\|^/' "$tmp/p1" "$tmp/p2" "$tmp/p3" "$tmp/p4"; then
    pass "one path style for ./x/..., ./..., absolute and parent arguments"
else
    fail "one path style for ./x/..., ./..., absolute and parent arguments" "$(head -n1 "$tmp/p1" "$tmp/p2" "$tmp/p3" "$tmp/p4" | cut -c1-120)"
fi
( cd "$C/mixed/sub" && "$OLDPWD/$G" check --format sarif . ) >"$tmp/sub.sarif" 2>/dev/null
"$G" check --format sarif "$PWD/$C/mixed/sub" >"$tmp/abs.sarif" 2>/dev/null
python3 - "$tmp/sub.sarif" "$tmp/abs.sarif" "$C/mixed/sub/bad.go" >"$tmp/py" 2>&1 <<'PY' &&
import json, sys
for path in sys.argv[1:3]:
    run = json.load(open(path))["runs"][0]
    root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root.startswith("file:///") and root.endswith("/"), root
    res = run["results"]
    assert res, path
    for r in res:
        loc = r["locations"][0]["physicalLocation"]["artifactLocation"]
        assert loc == {"uri": sys.argv[3], "uriBaseId": "%SRCROOT%"}, loc
        fp = r["partialFingerprints"]["godark/v1"]
        assert len(fp.split(":")[0]) == 16, fp
    assert "informationUri" not in run["tool"]["driver"], "placeholder informationUri"
PY
    python3 tests/cli/sarif-check.py "$tmp/sub.sarif" --schema "$SCHEMA" >>"$tmp/py" 2>&1 &&
    python3 tests/cli/sarif-check.py "$tmp/abs.sarif" --schema "$SCHEMA" >>"$tmp/py" 2>&1 &&
    pass "SARIF paths relative to the repository root, from a subdirectory and absolute" ||
    fail "SARIF paths relative to the repository root, from a subdirectory and absolute" "$(tail -c 400 "$tmp/py")"

# package semantics like the go tool (issue 17): ./... stops at nested
# modules (checked when named), files the host's build leaves out are not
# analysed (GOOS/GOARCH suffixes, //go:build, // +build, ignore), --goos
# and --tags choose another variant, import paths of the current module
# are accepted, a non-.go file argument is an error
S=$C/semantics
sem() { "$G" check --no-color "$@" 2>/dev/null | grep -E '\(GD[0-9]+ ' | grep -oE '^[^:]+\.go' | sort | tr '\n' ' '; }
got=$(GOOS= GOARCH= sem "$S/...")
[ "$got" = "$S/pkg/pkg.go " ] && pass "./... skips nested modules and files the build leaves out" ||
    fail "./... skips nested modules and files the build leaves out" "got: $got"
got=$(sem --goos windows "$S/...")
[ "$got" = "$S/pkg/pkg.go $S/race_windows.go " ] && pass "--goos windows" || fail "--goos windows" "got: $got"
got=$(sem --tags foo "$S/...")
[ "$got" = "$S/oldstyle.go $S/pkg/pkg.go $S/tagged.go " ] && pass "--tags with //go:build and // +build" || fail "--tags with //go:build and // +build" "got: $got"
got=$(sem --tags foo,bar "$S/...")
[ "$got" = "$S/oldstyle.go $S/pkg/pkg.go " ] && pass "--tags: a negated tag" || fail "--tags: a negated tag" "got: $got"
got=$(sem "$S/nested")
[ "$got" = "$S/nested/nested.go " ] && pass "a nested module named explicitly is checked" || fail "a nested module named explicitly is checked" "got: $got"
got=$( cd "$S" && "$OLDPWD/$G" check --no-color example.com/semantics/pkg 2>&1 | grep -E '\(GD[0-9]+ ' | grep -oE '^[^:]+\.go' | tr '\n' ' ')
[ "$got" = "pkg/pkg.go " ] && pass "an import path of the current module" || fail "an import path of the current module" "got: $got"
expect_rc "non-.go file argument exit 2" 2 "$G" check "$S/notes.txt" &&
    { has "$tmp/err" "notes.txt: not a Go file" && pass "non-.go file argument exit 2" || fail "non-.go file argument exit 2" "$(cat "$tmp/err")"; }

# check - (editors): the buffer on stdin stands for the named file, in the
# package of its directory; only that file's findings
"$G" check --no-color --stdin-filename examples/concurrent_map.go - <examples/concurrent_map.go >"$tmp/in.out" 2>&1
rc=$?
[ $rc -eq 1 ] && has "$tmp/in.out" '^examples/concurrent_map\.go:18:4: .*GD602' && [ "$(grep -c '(GD[0-9]* ' "$tmp/in.out")" = 1 ] &&
    pass "check - with --stdin-filename" || fail "check - with --stdin-filename" "exit $rc: $(head -c 300 "$tmp/in.out")"
printf 'package darkpatterns\n\nfunc Ok() {}\n' | "$G" check --stdin-filename examples/concurrent_map.go - >"$tmp/in.out" 2>&1
[ $? -eq 0 ] && [ ! -s "$tmp/in.out" ] && pass "check - sees the buffer, not the file on disk" ||
    fail "check - sees the buffer, not the file on disk" "$(head -c 300 "$tmp/in.out")"
expect_rc "check - without --stdin-filename exit 2" 2 "$G" check - </dev/null &&
    { has "$tmp/err" "needs --stdin-filename" && pass "check - without --stdin-filename exit 2" || fail "check - without --stdin-filename exit 2" "$(cat "$tmp/err")"; }

# make install: the binary and a man page that man renders without
# warnings, listing every rule
rm -rf "$tmp/inst"
if make -s install DESTDIR="$tmp/inst" PREFIX=/usr BUILD="$(dirname "$G")" >"$tmp/inst.log" 2>&1 &&
    [ -x "$tmp/inst/usr/bin/godark" ] && [ -f "$tmp/inst/usr/share/man/man1/godark.1" ]; then
    MANWIDTH=100 man --warnings -l "$tmp/inst/usr/share/man/man1/godark.1" >"$tmp/man.txt" 2>"$tmp/man.err"
    nrules=$("$G" rules | grep -c '^GD[0-9]')
    if [ ! -s "$tmp/man.err" ] && [ "$(grep -cE '^ *GD[0-9]+ [a-z-]+$' "$tmp/man.txt")" = "$nrules" ]; then
        pass "make install: binary and man page"
    else
        fail "make install: binary and man page" "$(head -c 300 "$tmp/man.err") rules in page: $(grep -cE '^ *GD[0-9]+ [a-z-]+$' "$tmp/man.txt") of $nrules"
    fi
else
    fail "make install: binary and man page" "$(tail -c 300 "$tmp/inst.log")"
fi

# checkstyle and junit: well-formed XML with one entry per finding
"$G" check --format json examples/ >"$tmp/ex.json" 2>/dev/null
"$G" check --format checkstyle examples/ >"$tmp/ex.cs.xml" 2>/dev/null
"$G" check --format junit examples/ >"$tmp/ex.ju.xml" 2>/dev/null
"$G" check --format junit "$C/clean" >"$tmp/clean.ju.xml" 2>/dev/null
python3 - "$tmp/ex.json" "$tmp/ex.cs.xml" "$tmp/ex.ju.xml" "$tmp/clean.ju.xml" >"$tmp/py" 2>&1 <<'PY' &&
import json, sys, xml.etree.ElementTree as ET
want = json.load(open(sys.argv[1]))["findings"]
assert want
cs = ET.parse(sys.argv[2]).getroot()
assert cs.tag == "checkstyle"
errs = [(f.get("name"), int(e.get("line")), e.get("source")) for f in cs for e in f]
assert sorted(errs) == sorted((w["file"], w["line"], "godark." + w["rule"]) for w in want), (errs[:3], want[:1])
ju = ET.parse(sys.argv[3]).getroot()
cases = ju.findall("./testsuite/testcase")
assert len(cases) == len(want) and all(c.find("failure") is not None for c in cases)
assert ju.get("failures") == str(len(want))
clean = ET.parse(sys.argv[4]).getroot()
assert clean.get("failures") == "0" and len(clean.findall("./testsuite/testcase")) == 1
PY
    pass "checkstyle and junit formats" || fail "checkstyle and junit formats" "$(tail -c 400 "$tmp/py")"

# baselines and new-only runs (issue 17), in a scratch git repository
bl=$tmp/bl
mkdir -p "$bl/pkg" && cp examples/concurrent_map.go "$bl/pkg/" &&
    git -C "$bl" init -q && git -C "$bl" add -A && git -C "$bl" -c user.email=t@t -c user.name=t commit -qm init
Gabs=$PWD/$G
( cd "$bl" && "$Gabs" check --write-baseline base.tsv ./... ) >"$tmp/bl.out" 2>"$tmp/bl.err"
blrc=$?
if [ $blrc -eq 0 ] && [ ! -s "$tmp/bl.out" ] && grep -q $'^GD602\tpkg/concurrent_map.go\t[0-9a-f]\{16\}\t' "$bl/base.tsv"; then
    pass "--write-baseline writes the findings, reports none"
else
    fail "--write-baseline writes the findings, reports none" "exit $blrc; $(cat "$tmp/bl.err" "$bl/base.tsv" | head -c 300)"
fi
printf '// moved\n\n\n' | cat - "$bl/pkg/concurrent_map.go" >"$tmp/cm.go" && mv "$tmp/cm.go" "$bl/pkg/concurrent_map.go"
( cd "$bl/pkg" && "$Gabs" check --no-color --baseline ../base.tsv . ) >"$tmp/bl.out" 2>&1
blrc=$?
[ $blrc -eq 0 ] && [ ! -s "$tmp/bl.out" ] && pass "--baseline hides known findings after line shifts, from another directory" ||
    fail "--baseline hides known findings after line shifts, from another directory" "exit $blrc: $(head -c 300 "$tmp/bl.out")"
cp examples/busy_select_default.go "$bl/pkg/"
( cd "$bl" && "$Gabs" check --no-color --baseline base.tsv ./... ) >"$tmp/bl.out" 2>&1
blrc=$?
if [ $blrc -eq 1 ] && [ "$(grep -c '(GD[0-9]* ' "$tmp/bl.out")" = 1 ] && grep -q '^pkg/busy_select_default.go:.*(GD101 busy-loop)' "$tmp/bl.out"; then
    pass "--baseline reports exactly the new bug"
else
    fail "--baseline reports exactly the new bug" "exit $blrc: $(head -c 300 "$tmp/bl.out")"
fi
( cd "$bl" && "$Gabs" check --no-color --new-from-rev HEAD ./... ) >"$tmp/bl.out" 2>&1
blrc=$?
if [ $blrc -eq 1 ] && [ "$(grep -c '(GD[0-9]* ' "$tmp/bl.out")" = 1 ] && grep -q 'busy_select_default.go' "$tmp/bl.out"; then
    pass "--new-from-rev keeps changed lines and new files only"
else
    fail "--new-from-rev keeps changed lines and new files only" "exit $blrc: $(head -c 300 "$tmp/bl.out")"
fi
printf 'GD602\tpkg/x.go\tnothex\n' >"$tmp/bad.tsv"
expect_rc "bad baseline entry exit 2" 2 "$G" check --baseline "$tmp/bad.tsv" "$C/clean" &&
    { has "$tmp/err" "bad.tsv:1: bad baseline entry" && pass "bad baseline entry exit 2" || fail "bad baseline entry exit 2" "$(cat "$tmp/err")"; }
( cd "$bl" && "$Gabs" check --new-from-rev no-such-rev ./... ) >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && has "$tmp/err" "no-such-rev: not a revision" && pass "--new-from-rev with a bad revision exit 2" ||
    fail "--new-from-rev with a bad revision exit 2" "$(cat "$tmp/err")"

# ---- configuration (.godark.yml) and the argument parser (issue 17, items 1 and 6)
# one_line FILE: exactly one line
one_line() { [ "$(wc -l <"$1")" = 1 ]; }
cf=$tmp/cfg
mkdir -p "$cf/pkg" "$cf/gen" "$cf/deep/skip"
printf 'module example.com/cfg\n\ngo 1.22\n' >"$cf/go.mod"
cat >"$cf/pkg/loop.go" <<'GO'
package pkg

import "fmt"

func Loop(xs []int) {
	for _, x := range xs {
		go func() {
			fmt.Println(x)
		}()
	}
}
GO
sed 's/^package pkg/package gen/' "$cf/pkg/loop.go" >"$cf/gen/loop.go"
sed 's/^package pkg/package skip/' "$cf/pkg/loop.go" >"$cf/deep/skip/loop_gen.go"
Gabs=$PWD/$G
# the go override reaches the model: go.mod says 1.22 (no GD605), .godark.yml says 1.21
( cd "$cf" && "$Gabs" check --no-color ./... ) >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] && [ ! -s "$tmp/out" ] && pass "config: go.mod 1.22 gives no GD605" || fail "config: go.mod 1.22 gives no GD605" "$(head -c 300 "$tmp/out")"
printf '# settings for godark\ngo: "1.21"\n' >"$cf/.godark.yml"
( cd "$cf" && "$Gabs" check --no-color ./... ) >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && [ "$(grep -c '(GD605 loop-var-captured)' "$tmp/out")" = 3 ] && has "$tmp/out" 'before Go 1.22 \(\.godark\.yml says go 1\.21\)'; then
    pass "config: go: \"1.21\" makes GD605 appear (and the cache keys on it)"
else
    fail "config: go: \"1.21\" makes GD605 appear (and the cache keys on it)" "exit $rc: $(head -c 300 "$tmp/out") $(head -c 200 "$tmp/err")"
fi
# found upward from the first pattern's directory, not from the current one
"$G" check --no-color "$cf/pkg" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && has "$tmp/out" 'GD605' && pass "config: found upward from the checked path" || fail "config: found upward from the checked path" "$(head -c 300 "$tmp/err")"
# flags win over the file; --no-config ignores it; --config names one
( cd "$cf" && "$Gabs" check --go 1.22 ./... ) >"$tmp/out" 2>&1
[ $? -eq 0 ] && pass "config: --go wins over go: in the file" || fail "config: --go wins over go: in the file" "$(head -c 300 "$tmp/out")"
( cd "$cf" && "$Gabs" check --no-config ./... ) >"$tmp/out" 2>&1
[ $? -eq 0 ] && pass "config: --no-config" || fail "config: --no-config" "$(head -c 300 "$tmp/out")"
printf 'go: "1.20"\n' >"$tmp/other.yml"
"$G" check --no-color --config "$tmp/other.yml" "$cf/pkg" >"$tmp/out" 2>&1
[ $? -eq 1 ] && has "$tmp/out" 'other\.yml says go 1\.20' && pass "config: --config FILE" || fail "config: --config FILE" "$(head -c 300 "$tmp/out")"
expect_rc "config: --config of a missing file exit 2" 2 "$G" check --config "$tmp/nope.yml" "$cf/pkg" &&
    { has "$tmp/err" 'nope\.yml: No such file' && pass "config: --config of a missing file exit 2" || fail "config: --config of a missing file exit 2" "$(cat "$tmp/err")"; }
printf 'go: "1.21"\ndisable: [loop-var-captured]\n' >"$cf/.godark.yml"
( cd "$cf" && "$Gabs" check ./... ) >"$tmp/out" 2>&1
rc1=$?
( cd "$cf" && "$Gabs" check --enable GD605 ./... ) >"$tmp/out2" 2>&1
rc2=$?
[ $rc1 -eq 0 ] && [ $rc2 -eq 1 ] && has "$tmp/out2" GD605 && pass "config: disable: in the file, --enable on the command line wins" ||
    fail "config: disable: in the file, --enable on the command line wins" "exit $rc1, $rc2"
# exclude: a directory glob is not walked, a file glob is not reported, relative to the file's directory
printf 'go: "1.21"\nexclude:\n  - gen\n  - "deep/**/*_gen.go"\n' >"$cf/.godark.yml"
( cd "$cf/pkg" && "$Gabs" check --no-color --format json ../... ) >"$tmp/out" 2>"$tmp/err"
python3 - "$tmp/out" >"$tmp/py" 2>&1 <<'PY' &&
import json, sys
files = sorted({f["file"] for f in json.load(open(sys.argv[1]))["findings"]})
assert files == ["loop.go"], files
PY
    pass "config: exclude globs (a directory, deep/**/*_gen.go) relative to the config file" ||
    fail "config: exclude globs (a directory, deep/**/*_gen.go) relative to the config file" "$(cat "$tmp/py" "$tmp/err" | head -c 400)"
( cd "$cf" && "$Gabs" check --exclude 'pkg' --exclude gen ./... ) >"$tmp/out" 2>&1
[ $? -eq 1 ] && has "$tmp/out" 'deep/skip/loop_gen.go' && ! has "$tmp/out" '^(pkg|gen)/' && pass "config: --exclude replaces the file's exclude" ||
    fail "config: --exclude replaces the file's exclude" "$(head -c 300 "$tmp/out")"
# godark config: every key, its value and where it came from
printf '# team settings\nconfidence: low\nrules:\n  GD201:\n    max-chan-buffer: 1024\nmodules: [example.com/cfg]\n' >"$cf/.godark.yml"
( cd "$cf/pkg" && "$Gabs" config --confidence high ) >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ] && has "$tmp/out" '^file: \.\./\.godark\.yml$' && has "$tmp/out" '^confidence +high +flag --confidence$' &&
    has "$tmp/out" '^rules\.GD201\.max-chan-buffer +1024 +\.\./\.godark\.yml:5$' && has "$tmp/out" '^modules +example\.com/cfg +\.\./\.godark\.yml:6$' &&
    has "$tmp/out" '^rules\.GD901\.min-count +3 +default$' && has "$tmp/out" '^go +each package'; then
    pass "godark config: values and where they came from (default, file:line, flag)"
else
    fail "godark config: values and where they came from (default, file:line, flag)" "exit $rc: $(head -c 600 "$tmp/out") $(cat "$tmp/err")"
fi
# configuration errors: one line with the file and line, exit 2
cfg_err() { # NAME YAML PATTERN
    printf -- "$2" >"$cf/.godark.yml"
    ( cd "$cf" && "$Gabs" check ./... ) >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ $rc -eq 2 ] && has "$tmp/err" "$3" && one_line "$tmp/err" && [ ! -s "$tmp/out" ]; then pass "config error: $1"
    else fail "config error: $1" "exit $rc: $(head -c 300 "$tmp/err")"; fi
}
cfg_err "unknown key, with a suggestion" 'confidence: low\n\nenabel: [GD101]\n' '^godark: \.godark\.yml:3: unknown key "enabel" \(did you mean "enable"\?\)$'
cfg_err "unknown rule option" 'rules:\n  GD201:\n    max-chan-bufer: 3\n' '^godark: \.godark\.yml:3: rules\.GD201: unknown option "max-chan-bufer" \(did you mean "max-chan-buffer"\?\)'
cfg_err "value out of range" 'rules:\n  huge-chan-buffer:\n    max-chan-buffer: -1\n' '^godark: \.godark\.yml:3: rules\.GD201\.max-chan-buffer wants a number from 0 to '
cfg_err "bad confidence" 'confidence: lowish\n' '^godark: \.godark\.yml:1: confidence wants high, medium or low, got lowish$'
cfg_err "bad go version" 'go: "2.x"\n' '^godark: \.godark\.yml:1: go wants a Go version'
cfg_err "unknown rule" 'disable: [GD101, GD999]\n' '^godark: \.godark\.yml:1: disable: unknown rule GD999'
cfg_err "runtime rule in enable" 'enable:\n  - GD901\n' '^godark: \.godark\.yml:2: enable: GD901 .*runtime rule'
cfg_err "duplicate key" 'go: "1.21"\ngo: "1.20"\n' '^godark: \.godark\.yml:2: duplicate key "go" \(first on line 1\)$'
cfg_err "not YAML" 'exclude: [a,\n' '^godark: \.godark\.yml:[0-9]+: not YAML: '
cfg_err "not a mapping" '- a\n- b\n' '^godark: \.godark\.yml:1: the configuration must be a mapping'
rm -f "$cf/.godark.yml"
# the runtime side reads .godark.yml from the current directory; flags win
dump=$PWD/tests/profile/cases/go1.22-dotless-module-no-goroot/input.txt
printf 'rules:\n  GD901: {min-count: 25, min-wait: 0}\n' >"$cf/.godark.yml"
( cd "$cf" && "$Gabs" goroutines --no-color "$dump" ) >"$tmp/out" 2>"$tmp/err"
rc1=$?
( cd "$cf" && "$Gabs" goroutines --no-color --min-count 4 "$dump" ) >"$tmp/out2" 2>"$tmp/err"
rc2=$?
if [ $rc1 -eq 0 ] && has "$tmp/out" '^no leak suspects' && [ $rc2 -eq 1 ] && has "$tmp/out2" '^leak suspects: 2$'; then
    pass "config: goroutines reads rules.GD901 options from the current directory, --min-count wins"
else
    fail "config: goroutines reads rules.GD901 options from the current directory, --min-count wins" "exit $rc1, $rc2: $(grep suspects "$tmp/out" "$tmp/out2")"
fi
printf 'rules:\n  GD901: {min-cont: 25}\n' >"$cf/.godark.yml"
( cd "$cf" && "$Gabs" goroutines "$dump" ) >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && has "$tmp/err" '^godark: \.godark\.yml:2: rules\.GD901: unknown option "min-cont" \(did you mean "min-count"\?\)' &&
    pass "config error: goroutines too" || fail "config error: goroutines too" "$(cat "$tmp/err")"
rm -f "$cf/.godark.yml"

# the parser: short options with attached or separate values, --flag=value
for form in "-j2" "-j 2" "--jobs=2" "--jobs 2"; do
    # shellcheck disable=SC2086
    expect_rc "flags: $form" 1 "$G" check $form --format=json --output="$tmp/o.json" "$C/broken" &&
        { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/o.json" 2>/dev/null && pass "flags: $form" || fail "flags: $form" "no JSON report"; }
done
expect_rc "flags: after the path" 1 "$G" check "$C/broken" -f json && { has "$tmp/out" '"GD000"' && pass "flags: after the path" || fail "flags: after the path" "$(head -c 200 "$tmp/out")"; }
# --help everywhere, each command its own
for c in check goroutines diff watch report rules explain cache config version; do
    "$G" "$c" --help >"$tmp/h.$c" 2>"$tmp/err"; rc=$?
    if [ $rc -eq 0 ] && has "$tmp/h.$c" "^usage: godark $c( |\$)" && has "$tmp/h.$c" '^  -h, --help' && [ ! -s "$tmp/err" ]; then pass "--help: $c"
    else fail "--help: $c" "exit $rc: $(head -c 200 "$tmp/h.$c") $(head -c 200 "$tmp/err")"; fi
done
"$G" help diff >"$tmp/out" 2>&1 && cmp -s "$tmp/out" "$tmp/h.diff" && ! cmp -s "$tmp/h.goroutines" "$tmp/h.diff" &&
    has "$tmp/h.diff" 'min-growth N' && ! has "$tmp/h.goroutines" 'min-growth' && has "$tmp/h.goroutines" 'at-test-end' &&
    pass "--help: goroutines and diff differ; godark help CMD" || fail "--help: goroutines and diff differ; godark help CMD" "same text"
has "$tmp/h.check" '^  -o, --output FILE' && pass "--help: --output is the long form of -o" || fail "--help: --output is the long form of -o" "$(grep -- -o "$tmp/h.check")"
# bad values: exit 2, one line naming the flag and the accepted range
bad_val() { # NAME PATTERN ARGS...
    local name=$1 pat=$2; shift 2
    "$G" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
    if [ $rc -eq 2 ] && has "$tmp/err" "$pat" && one_line "$tmp/err"; then pass "bad value: $name"
    else fail "bad value: $name" "exit $rc: $(head -c 300 "$tmp/err")"; fi
}
bad_val "goroutines --timeout 0" '^godark: goroutines: --timeout wants a duration like 500ms, 10s or 1m, from 1s to 24h, got 0$' goroutines --timeout 0 "$dump"
bad_val "goroutines --min-count 0" '^godark: goroutines: --min-count wants a number from 1 to [0-9]+, got 0$' goroutines --min-count 0 "$dump"
bad_val "goroutines --max-bytes 0" '^godark: goroutines: --max-bytes wants a number from 1 to [0-9]+, got 0$' goroutines --max-bytes=0 "$dump"
bad_val "diff --min-growth 0" '^godark: diff: --min-growth wants a number from 1 to ' diff --min-growth 0 "$dump" "$dump"
bad_val "watch --max-sites 0" '^godark: watch: --max-sites wants a number from 1 to ' watch --max-sites 0 http://127.0.0.1:1/
bad_val "check -j0" '^godark: check: --jobs wants a number from 1 to 1024, got 0$' check -j0 "$C/clean"
bad_val "check --jobs x" '^godark: check: --jobs wants a number from 1 to 1024, got x$' check --jobs x "$C/clean"
bad_val "check --format xml" '^godark: check: --format wants text, json, sarif, github, checkstyle or junit, got xml$' check --format xml "$C/clean"
bad_val "check --confidence" '^godark: check: --confidence wants high, medium or low, got maybe$' check --confidence maybe "$C/clean"
bad_val "check --go" '^godark: check: --go wants a Go version like 1.21, got 1.x$' check --go 1.x "$C/clean"
bad_val "flag without a value" '^godark: check: flag --baseline needs a value$' check "$C/clean" --baseline
bad_val "flag that takes none" '^godark: check: flag --stats takes no value' check --stats=yes "$C/clean"
bad_val "explain --bogus" '^godark: explain: unknown flag --bogus' explain --bogus
bad_val "rules with an argument" '^godark: rules: takes no arguments' rules GD101
bad_val "cache without dir|clean" '^godark: cache: wants dir or clean' cache
bad_val "--tests false" '^godark: check: --tests is a boolean flag: write --tests=false or --no-tests$' check --tests false "$C/testsonly"
bad_val "--tests=maybe" '^godark: check: --tests wants true or false' check --tests=maybe "$C/testsonly"
bad_val "check --enable GD901" '^godark: check: --enable GD901: GD901 .*is a runtime rule' check --enable GD901 "$C/clean"
bad_val "diff - -" '^godark: diff: stdin \(-\) can be only one of the two inputs' diff - -
expect_rc "--tests=true" 1 "$G" check --tests=true "$C/testsonly" && pass "--tests=true"
expect_rc "--no-tests" 0 "$G" check --no-tests "$C/testsonly" && pass "--no-tests"
expect_rc "--tests" 1 "$G" check --tests "$C/testsonly" && pass "--tests"
expect_rc "explain --help is help" 0 "$G" explain --help && { has "$tmp/out" '^usage: godark explain ID\|NAME' && pass "explain --help is help" || fail "explain --help is help" "$(head -c 200 "$tmp/out")"; }
expect_rc "cache --cache-dir DIR dir" 0 "$G" cache --cache-dir "$tmp/cd" dir && { has "$tmp/out" "^$tmp/cd\$" && pass "cache --cache-dir DIR dir" || fail "cache --cache-dir DIR dir" "$(cat "$tmp/out")"; }
# NO_COLOR (any non-empty value) turns colour off on a terminal, like --no-color
python3 - "$G" "$C/broken" >"$tmp/py" 2>&1 <<'PY' &&
import os, pty, subprocess, sys
def run(extra, args=()):
    env = dict(os.environ); env.pop("NO_COLOR", None); env.update(extra)
    m, s = pty.openpty()
    p = subprocess.Popen([sys.argv[1], "check", *args, sys.argv[2]], stdout=s, stderr=subprocess.DEVNULL, env=env)
    os.close(s)
    out = b""
    while True:
        try:
            d = os.read(m, 65536)
        except OSError:
            break
        if not d:
            break
        out += d
    p.wait(); os.close(m)
    return out
assert b"\x1b[" in run({}), "no colour on a terminal"
assert b"\x1b[" in run({"NO_COLOR": ""}), "an empty NO_COLOR turned colour off"
assert b"\x1b[" not in run({"NO_COLOR": "1"}), "NO_COLOR=1 left colour on"
assert b"\x1b[" not in run({}, ["--no-color"]), "--no-color left colour on"
PY
    pass "NO_COLOR and --no-color turn colour off on a terminal" || fail "NO_COLOR and --no-color turn colour off on a terminal" "$(tail -c 300 "$tmp/py")"

# the result cache
tests/cli/cache.sh
exit 0
