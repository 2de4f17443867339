#!/usr/bin/env python3
"""sarif-check: checks that a file is a structurally valid SARIF 2.1.0 log.

Usage: sarif-check.py FILE|- [--schema sarif-schema-2.1.0.json]

Standard library only, unless --schema is given. The checks below encode
the parts of SARIF 2.1.0 (OASIS standard) that consumers such as GitHub code
scanning rely on. With --schema naming the official schema (a copy is
tests/cli/sarif-schema-2.1.0.json), the file is validated against it as
well; that needs the jsonschema module (python3-jsonschema), and its absence
is an error, not a skip.

Exit 0 when valid; 1 with one line naming the first problem (as a JSON path);
2 on usage errors.
"""

import json
import re
import sys

LEVELS = {"none", "note", "warning", "error"}
KINDS = {"notApplicable", "pass", "fail", "review", "open", "informational"}
COLUMN_KINDS = {"utf16CodeUnits", "unicodeCodePoints"}
# RFC 3986 URI-reference characters (percent-escapes checked separately).
URI_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")


class Invalid(Exception):
    pass


def fail(path, msg):
    raise Invalid(f"{path}: {msg}")


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def obj(v, path):
    if not isinstance(v, dict):
        fail(path, f"expected an object, got {type(v).__name__}")
    return v


def arr(v, path):
    if not isinstance(v, list):
        fail(path, f"expected an array, got {type(v).__name__}")
    return v


def string(v, path, nonempty=False):
    if not isinstance(v, str):
        fail(path, f"expected a string, got {type(v).__name__}")
    if nonempty and not v:
        fail(path, "must not be empty")
    return v


def integer(v, path, minimum):
    if not is_int(v):
        fail(path, f"expected an integer, got {v!r}")
    if v < minimum:
        fail(path, f"{v} is less than the minimum {minimum}")
    return v


def opt(o, key, check, path, *args):
    if key in o:
        return check(o[key], f"{path}.{key}", *args)
    return None


def check_properties(v, path):
    p = obj(v, path)
    if "tags" in p:
        tags = arr(p["tags"], path + ".tags")
        for i, t in enumerate(tags):
            string(t, f"{path}.tags[{i}]")
        if len(set(tags)) != len(tags):
            fail(path + ".tags", "items must be unique")
    return p


def check_message(v, path):
    m = obj(v, path)
    if "text" not in m and "id" not in m:
        fail(path, "a message needs 'text' or 'id'")
    opt(m, "text", string, path)
    opt(m, "markdown", string, path)
    opt(m, "id", string, path)
    if "arguments" in m:
        for i, a in enumerate(arr(m["arguments"], path + ".arguments")):
            string(a, f"{path}.arguments[{i}]")
    return m


def check_mfms(v, path):
    """multiformatMessageString: text is required."""
    m = obj(v, path)
    if "text" not in m:
        fail(path, "'text' is required")
    string(m["text"], path + ".text")
    opt(m, "markdown", string, path)
    return m


def check_uri(v, path):
    u = string(v, path)
    if not URI_CHARS.match(u):
        bad = next(c for c in u if not URI_CHARS.match(c))
        fail(path, f"{u!r} is not a valid URI reference (character {bad!r} must be percent-encoded)")
    if re.search(r"%(?![0-9A-Fa-f]{2})", u):
        fail(path, f"{u!r} has a malformed percent-escape")
    return u


def check_artifact_location(v, path):
    a = obj(v, path)
    if "uri" not in a and "index" not in a:
        fail(path, "an artifactLocation needs 'uri' or 'index'")
    opt(a, "uri", check_uri, path)
    opt(a, "uriBaseId", string, path, True)
    opt(a, "index", integer, path, -1)
    return a


def check_region(v, path):
    r = obj(v, path)
    if not any(k in r for k in ("startLine", "charOffset", "byteOffset")):
        fail(path, "a region needs startLine, charOffset or byteOffset")
    for k in ("startLine", "startColumn", "endLine", "endColumn"):
        opt(r, k, integer, path, 1)
    for k in ("charOffset", "byteOffset"):
        opt(r, k, integer, path, -1)
    for k in ("charLength", "byteLength"):
        opt(r, k, integer, path, 0)
    if "startLine" in r:
        start_line = r["startLine"]
        end_line = r.get("endLine", start_line)
        if end_line < start_line:
            fail(path, f"endLine {end_line} is before startLine {start_line}")
        if end_line == start_line and "endColumn" in r:
            start_col = r.get("startColumn", 1)
            if r["endColumn"] < start_col:
                fail(path, f"endColumn {r['endColumn']} is before startColumn {start_col}")
    elif "startColumn" in r or "endLine" in r or "endColumn" in r:
        fail(path, "line/column properties need startLine")
    if "message" in r:
        check_message(r["message"], path + ".message")
    return r


def check_physical_location(v, path):
    p = obj(v, path)
    if "artifactLocation" not in p and "address" not in p:
        fail(path, "a physicalLocation needs 'artifactLocation' or 'address'")
    opt(p, "artifactLocation", check_artifact_location, path)
    opt(p, "region", check_region, path)
    opt(p, "contextRegion", check_region, path)
    if "contextRegion" in p and "region" not in p:
        fail(path, "contextRegion requires region")
    return p


def check_location(v, path):
    loc = obj(v, path)
    opt(loc, "id", integer, path, -1)
    opt(loc, "physicalLocation", check_physical_location, path)
    opt(loc, "message", check_message, path)
    if "logicalLocations" in loc:
        arr(loc["logicalLocations"], path + ".logicalLocations")
    return loc


def check_rule(v, path):
    r = obj(v, path)
    if "id" not in r:
        fail(path, "'id' is required")
    string(r["id"], path + ".id", True)
    opt(r, "name", string, path)
    for k in ("shortDescription", "fullDescription", "help"):
        opt(r, k, check_mfms, path)
    opt(r, "helpUri", check_uri, path)
    if "defaultConfiguration" in r:
        dc = obj(r["defaultConfiguration"], path + ".defaultConfiguration")
        if "level" in dc and dc["level"] not in LEVELS:
            fail(path + ".defaultConfiguration.level", f"{dc['level']!r} is not one of {sorted(LEVELS)}")
        if "enabled" in dc and not isinstance(dc["enabled"], bool):
            fail(path + ".defaultConfiguration.enabled", "expected a boolean")
    opt(r, "properties", check_properties, path)
    return r


def check_driver(v, path):
    d = obj(v, path)
    if "name" not in d:
        fail(path, "'name' is required")
    string(d["name"], path + ".name", True)
    opt(d, "version", string, path)
    opt(d, "informationUri", check_uri, path)
    rules = arr(d.get("rules", []), path + ".rules")
    ids = set()
    for i, r in enumerate(rules):
        check_rule(r, f"{path}.rules[{i}]")
        if r["id"] in ids:
            # Allowed by the spec only for deprecated ids; godark never does it.
            fail(f"{path}.rules[{i}].id", f"duplicate rule id {r['id']!r}")
        ids.add(r["id"])
    return rules


def check_result(v, path, rules):
    r = obj(v, path)
    if "message" not in r:
        fail(path, "'message' is required")
    check_message(r["message"], path + ".message")
    rule_id = opt(r, "ruleId", string, path, True)
    if rule_id is None and "rule" not in r:
        fail(path, "a result needs 'ruleId' or 'rule'")
    if "ruleIndex" in r:
        idx = integer(r["ruleIndex"], path + ".ruleIndex", -1)
        if idx >= 0:
            if idx >= len(rules):
                fail(path + ".ruleIndex", f"{idx} is out of range: the driver has {len(rules)} rules")
            rid = rules[idx]["id"]
            # A ruleId may be hierarchical below the rule's id ("GD301/sub").
            if rule_id is not None and rule_id != rid and not rule_id.startswith(rid + "/"):
                fail(path + ".ruleId", f"{rule_id!r} does not match rules[{idx}].id {rid!r}")
    if "level" in r and r["level"] not in LEVELS:
        fail(path + ".level", f"{r['level']!r} is not one of {sorted(LEVELS)}")
    if "kind" in r and r["kind"] not in KINDS:
        fail(path + ".kind", f"{r['kind']!r} is not one of {sorted(KINDS)}")
    if r.get("kind", "fail") != "fail" and r.get("level", "none") != "none":
        fail(path + ".level", "a result whose kind is not 'fail' must have level 'none'")
    for key in ("locations", "relatedLocations"):
        if key in r:
            ids = set()
            for i, loc in enumerate(arr(r[key], f"{path}.{key}")):
                lp = f"{path}.{key}[{i}]"
                check_location(loc, lp)
                if key == "relatedLocations" and loc.get("id", -1) >= 0:
                    if loc["id"] in ids:
                        fail(lp + ".id", f"duplicate location id {loc['id']}")
                    ids.add(loc["id"])
    if "fixes" in r:
        for i, f in enumerate(arr(r["fixes"], path + ".fixes")):
            fo = obj(f, f"{path}.fixes[{i}]")
            if "artifactChanges" not in fo:
                fail(f"{path}.fixes[{i}]", "'artifactChanges' is required")
    opt(r, "properties", check_properties, path)
    return r


def check_run(v, path):
    run = obj(v, path)
    if "tool" not in run:
        fail(path, "'tool' is required")
    tool = obj(run["tool"], path + ".tool")
    if "driver" not in tool:
        fail(path + ".tool", "'driver' is required")
    rules = check_driver(tool["driver"], path + ".tool.driver")
    if "columnKind" in run and run["columnKind"] not in COLUMN_KINDS:
        fail(path + ".columnKind", f"{run['columnKind']!r} is not one of {sorted(COLUMN_KINDS)}")
    if "invocations" in run:
        for i, inv in enumerate(arr(run["invocations"], path + ".invocations")):
            ip = f"{path}.invocations[{i}]"
            obj(inv, ip)
            if not isinstance(inv.get("executionSuccessful"), bool):
                fail(ip + ".executionSuccessful", "a boolean is required")
    if "originalUriBaseIds" in run:
        obj(run["originalUriBaseIds"], path + ".originalUriBaseIds")
    results = run.get("results")
    if results is not None:  # null means the tool did not run to completion
        for i, r in enumerate(arr(results, path + ".results")):
            check_result(r, f"{path}.results[{i}]", rules)
    opt(run, "properties", check_properties, path)


def check_log(log):
    obj(log, "$")
    if log.get("version") != "2.1.0":
        fail("$.version", f"must be \"2.1.0\", got {log.get('version')!r}")
    opt(log, "$schema", check_uri, "$")
    if "runs" not in log:
        fail("$", "'runs' is required")
    runs = log["runs"]
    if runs is not None:
        for i, run in enumerate(arr(runs, "$.runs")):
            check_run(run, f"$.runs[{i}]")


def load_strict(text):
    def no_dupes(pairs):
        d = {}
        for k, v in pairs:
            if k in d:
                raise ValueError(f"duplicate key {k!r}")
            d[k] = v
        return d

    def no_constants(name):
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, object_pairs_hook=no_dupes, parse_constant=no_constants)


def main(argv):
    args = argv[1:]
    schema = None
    if "--schema" in args:
        i = args.index("--schema")
        if i + 1 >= len(args):
            print(__doc__, file=sys.stderr)
            return 2
        schema = args[i + 1]
        del args[i : i + 2]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    name = args[0]
    try:
        raw = sys.stdin.buffer.read() if name == "-" else open(name, "rb").read()
    except OSError as e:
        print(f"sarif-check: {name}: {e.strerror}", file=sys.stderr)
        return 1
    try:
        log = load_strict(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        print(f"sarif-check: {name}: not UTF-8 at byte {e.start}", file=sys.stderr)
        return 1
    except ValueError as e:
        print(f"sarif-check: {name}: invalid JSON: {e}", file=sys.stderr)
        return 1
    try:
        check_log(log)
    except Invalid as e:
        print(f"sarif-check: {name}: {e}", file=sys.stderr)
        return 1
    if schema:
        try:
            import jsonschema
        except ImportError:
            print("sarif-check: --schema needs the jsonschema module", file=sys.stderr)
            return 2
        with open(schema, encoding="utf-8") as f:
            s = json.load(f)
        validator = jsonschema.validators.validator_for(s)(s)  # the draft the schema names
        errors = sorted(validator.iter_errors(log), key=lambda e: [str(p) for p in e.absolute_path])
        if errors:
            e = errors[0]
            where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e.absolute_path)
            print(f"sarif-check: {name}: {where}: {e.message}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
