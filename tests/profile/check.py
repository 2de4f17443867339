#!/usr/bin/env python3
"""Assertions for tests/profile/run.sh on godark's JSON outputs.

Expectations come from the marker comments in the Go test program
(`// LEAK:<name> count=<n> [reachable]`, `// NORMAL:<name>`), never from
hard-coded results. Each sub-command prints nothing and exits 0 on success,
or prints one line saying what is wrong and exits 1.

  suspects MAIN.GO FINDINGS.JSON MODEL.JSON MODE
      MODE full: every LEAK site (count>0) is a suspect with its exact count,
                 nothing else is a suspect; reasons checked when the format
                 prints them (traceback).
      MODE leak2: debug=2 of the goroutineleak endpoint: the LEAK sites the
                 runtime marked (leaked) (not `reachable`) are GD903 suspects;
                 the others are not suspects (the mark is the ground truth).
      MODE testend: as full, for a dump written when the tests ended; a
                 marker's test=TestX must be named "(started by TestX)", and
                 no test named when the marker has none.
      MODE leak: goroutineleak profile: the LEAK sites not marked
                 `reachable` are GD903 suspects with exact counts; nothing else.
  formats MODEL.JSON...   same groups (normalised stacks) and counts in all
  diff MAIN.GO FINDINGS.JSON DIFF-MODEL.JSON GROWN  growth exactly at the grow site
  predicted MAIN.GO FINDINGS.JSON SARIF.JSON   with --source: a suspect says
      "predicted by GDxxx" (message and related location, in JSON and SARIF)
      exactly when its LEAK marker has predicted=GDxxx
  total MODEL.JSON N       the model holds N goroutines
  labels MODEL.JSON MAIN.GO NAME K=V   the group at marker NAME carries label K=V
"""
import json
import re
import sys


def markers(path):
    out = {}
    with open(path) as f:
        for i, line in enumerate(f, 1):
            m = re.search(r'//\s*(LEAK|NORMAL):(\w+)(.*)$', line)
            if not m:
                continue
            kind, name, rest = m.groups()
            c = re.search(r'count=(\d+)', rest)
            p = re.search(r'predicted=(GD\d+)', rest)
            t = re.search(r'test=(\w+)', rest)
            out[name] = {'kind': kind, 'line': i, 'count': int(c.group(1)) if c else 0,
                         'reachable': 'reachable' in rest, 'predicted': p.group(1) if p else None,
                         'test': t.group(1) if t else None}
    return out


def load(p):
    with open(p) as f:
        return json.load(f)


def fail(msg):
    print(msg)
    sys.exit(1)


def site_at(model, base, line):
    for s in model['sites']:
        fr = s.get('site')
        if fr and ('/' + fr['file']).endswith(base) and fr['line'] == line:
            return s
    return None


def cmd_suspects(main_go, findings_p, model_p, mode):
    mk = markers(main_go)
    base = '/' + '/'.join(main_go.split('/')[-2:])
    findings = load(findings_p)['findings']
    model = load(model_p)
    fmt = model['format']
    want = {}
    for name, m in mk.items():
        if m['kind'] != 'LEAK' or m['count'] == 0:
            continue
        # the goroutineleak endpoint: the runtime's (leaked) mark is the
        # ground truth; what it proved reachable is no suspect by default
        if mode in ('leak', 'leak2') and m['reachable']:
            continue
        want[m['line']] = (name, m)
    seen = set()
    for f in findings:
        if not ('/' + f['file']).endswith(base):
            fail('suspect outside the program: %s:%s %s' % (f['file'], f['line'], f['message']))
        if f['line'] not in want:
            names = [n for n, m in mk.items() if m['line'] == f['line']]
            fail('false suspect at line %d %s: %s' % (f['line'], names, f['message']))
        name, m = want[f['line']]
        n = int(re.match(r'(\d+) goroutine', f['message']).group(1)) if re.match(r'\d+ goroutine', f['message']) else -1
        if n != m['count']:
            fail('suspect %s: message says %d goroutines, the program leaks %d: %s' % (name, n, m['count'], f['message']))
        s = site_at(model, base, f['line'])
        if not s:
            fail('suspect %s has no block site in the model' % name)
        if s['permanent'] + s['leak_candidate'] != m['count']:
            fail('site %s: %d blocked goroutines in the model, want %d' % (name, s['permanent'] + s['leak_candidate'], m['count']))
        if mode == 'testend':
            # a dump at the end of the tests: the test that started them is
            # named exactly when the dump shows it
            named = re.search(r'\(started by ([\w, ]+)\)', f['message'])
            if m['test'] and (not named or m['test'] not in named.group(1).split(', ')):
                fail('suspect %s: message does not name %s: %s' % (name, m['test'], f['message']))
            if not m['test'] and named:
                fail('suspect %s: names a test the dump does not show: %s' % (name, f['message']))
        if mode == 'leak':
            if f['rule'] != 'GD903':
                fail('goroutineleak suspect %s is %s, want GD903' % (name, f['rule']))
        elif mode == 'leak2':
            # debug=2 of the goroutineleak endpoint: all goroutines, the
            # unreachable ones marked (leaked)
            if f['rule'] != 'GD903':
                fail('suspect %s reported as %s' % (name, f['rule']))
        elif fmt == 'traceback':
            permanent = name in ('nilchan', 'nocases')
            if permanent != (f['rule'] == 'GD903'):
                fail('suspect %s reported as %s' % (name, f['rule']))
        if f['line'] in seen:
            fail('two suspects at line %d' % f['line'])
        seen.add(f['line'])
    missing = [want[l][0] for l in want if l not in seen]
    if missing:
        fail('leaks not reported: %s' % ', '.join(sorted(missing)))
    # the normal goroutines are in the dump (they are not suspects: checked
    # above); the goroutineleak profile holds only leaked goroutines
    if mode == 'leak':
        return
    for name, m in mk.items():
        if m['kind'] != 'NORMAL':
            continue
        found = [g for g in model['groups']
                 if any(('/' + f['file']).endswith(base) and f['line'] == m['line'] for f in g['frames'])]
        if not found:
            fail('normal goroutines %s (line %d) not found in the dump' % (name, m['line']))
        if any(g['class'] == 'permanent' for g in found):
            fail('normal goroutines %s classified permanent' % name)


def stack_key(g):
    return tuple((f['func'], f['file'].split('/')[-1], f['line']) for f in g['frames'])


def comparable(g):
    if not g['frames']:
        return False  # a goroutine caught with no stack yet
    # the handler that writes the profile and the HTTP connections differ
    # between requests; everything else must match exactly
    for f in g['frames']:
        if f['func'].startswith(('runtime/pprof.', 'net/http.', 'syscall.', 'internal/poll.', 'net.')):
            return False
    return True


def cmd_formats(paths):
    ref = None
    for p in paths:
        m = load(p)
        groups = {}
        for g in m['groups']:
            if comparable(g):
                k = stack_key(g)
                groups[k] = groups.get(k, 0) + g['count']
        if ref is None:
            ref = (p, groups)
            continue
        if groups != ref[1]:
            a, b = ref[1], groups
            diffs = [k for k in set(a) | set(b) if a.get(k) != b.get(k)]
            k = sorted(diffs)[0]
            fail('%s and %s differ at stack %s: %s vs %s (%d stacks differ)' % (
                ref[0].split('/')[-1], p.split('/')[-1], k[0] if k else k, a.get(k), b.get(k), len(diffs)))


def cmd_diff(main_go, findings_p, model_p, grown):
    mk = markers(main_go)
    base = '/' + '/'.join(main_go.split('/')[-2:])
    grow = mk['grow']['line']
    d = load(model_p)
    rows = [r for r in d['sites'] if r['site'] and r['site']['file'].endswith(base)]
    g = [r for r in rows if r['site']['line'] == grow]
    if not g or g[0]['growth'] != grown:
        fail('growth at the grow site: %s, want %d' % (g[0]['growth'] if g else 'no row', grown))
    for r in rows:
        if r['site']['line'] != grow and r['growth'] != 0:
            fail('site %s:%d grew by %d' % (r['site']['func'], r['site']['line'], r['growth']))
    f = load(findings_p)['findings']
    if len(f) != 1 or f[0]['rule'] != 'GD902' or f[0]['line'] != grow or not f[0]['file'].endswith(base):
        fail('diff findings: %s' % [(x['rule'], x['line'], x['message']) for x in f])
    if '(+%d)' % grown not in f[0]['message']:
        fail('diff message lacks (+%d): %s' % (grown, f[0]['message']))


def cmd_predicted(main_go, findings_p, sarif_p):
    mk = markers(main_go)
    base = '/' + '/'.join(main_go.split('/')[-2:])
    by_line = {m['line']: (n, m) for n, m in mk.items() if m['kind'] == 'LEAK' and m['count'] > 0}
    seen = set()
    for f in load(findings_p)['findings']:
        if f['line'] not in by_line:
            continue
        name, m = by_line[f['line']]
        rel = [r for r in f['related'] if r['message'].startswith('predicted by ')]
        if m['predicted']:
            want = 'this leak was predicted by %s ' % m['predicted']
            if want not in f['message']:
                fail('suspect %s: message lacks "%s": %s' % (name, want.strip(), f['message']))
            if not any(r['message'].startswith('predicted by %s ' % m['predicted']) and r['file'].endswith(base)
                       and abs(r['line'] - m['line']) <= 2 for r in rel):
                fail('suspect %s: no related location "predicted by %s" near line %d: %s' % (
                    name, m['predicted'], m['line'], f['related']))
            seen.add(name)
        elif rel or 'predicted by' in f['message']:
            fail('suspect %s is not found by any static rule, yet: %s' % (name, f['message']))
    missing = [n for n, m in mk.items() if m['kind'] == 'LEAK' and m['predicted'] and m['count'] > 0 and n not in seen]
    if missing:
        fail('no suspect for the predicted leaks %s' % ', '.join(sorted(missing)))
    # SARIF: the same as relatedLocations of the results
    got = set()
    for r in load(sarif_p)['runs'][0]['results']:
        for rl in r.get('relatedLocations', []):
            t = rl['message']['text']
            if t.startswith('predicted by '):
                got.add((t.split()[2], r['locations'][0]['physicalLocation']['region']['startLine']))
    want = {(m['predicted'], m['line']) for m in mk.values() if m['kind'] == 'LEAK' and m['predicted'] and m['count'] > 0}
    if got != want:
        fail('SARIF predictions %s, want %s' % (sorted(got), sorted(want)))


def cmd_labels(model_p, main_go, name, kv):
    mk = markers(main_go)
    line = mk[name]['line']
    m = load(model_p)
    for g in m['groups']:
        if g['site'] and g['site']['line'] == line:
            if kv not in g['labels']:
                fail('group at %s has labels %s, want %s' % (name, g['labels'], kv))
            if g['labels'][kv] != g['count']:
                fail('label %s on %d of %d goroutines' % (kv, g['labels'][kv], g['count']))
            return
    fail('no group at %s' % name)


def main():
    a = sys.argv[1:]
    if a[0] == 'suspects':
        cmd_suspects(*a[1:5])
    elif a[0] == 'formats':
        cmd_formats(a[1:])
    elif a[0] == 'diff':
        cmd_diff(a[1], a[2], a[3], int(a[4]))
    elif a[0] == 'predicted':
        cmd_predicted(*a[1:4])
    elif a[0] == 'total':
        t = load(a[1])['total']
        if t != int(a[2]):
            fail('total %d, want %s' % (t, a[2]))
    elif a[0] == 'labels':
        cmd_labels(*a[1:5])
    else:
        fail('unknown check ' + a[0])


if __name__ == '__main__':
    main()
