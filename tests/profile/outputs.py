#!/usr/bin/env python3
"""Checks of watch's HTML report and Prometheus metrics (tests/profile/outputs.sh).

  outputs.py mkjsonl OUT               a constructed samples file: two sites growing
                                       after a restart, a steady pool, a sawtooth, two
                                       gaps, hostile names (<, &, quotes) everywhere
  outputs.py html FILE SUMMARY.json [--hostile]
                                       the page's structure: one chart per growing site
                                       (from the JSON summary), each named, a total chart,
                                       no external URL in any src/href, no script, text
                                       escaped (the hostile names come back intact)
  outputs.py png FILE W H              the screenshot: size W x H, and pixels of the total
                                       chart's and the site charts' colours present
  outputs.py metrics FILE --leak FUNC:LINE [--top N] [--openmetrics] [--growing]
                                       the exposition format: parses every line, escapes,
                                       the leak site's gauge, site="other", at most N
                                       named sites, the growing flag
Prints nothing and exits 0 on success; one line and exit 1 on failure.
"""
import html.parser
import json
import re
import struct
import sys
import zlib

# keep in step with src/watch/html.c
COL_TOTAL = (0x1F, 0x77, 0xB4)
COL_SITE = (0xD6, 0x27, 0x28)

HOSTILE_FUNC = 'main.(*Q[<b>&"x\'y"]).leak'
HOSTILE_FILE = '/app/<img src=http://evil.example/x>&.go'
HOSTILE_ERR = 'connection refused <script>alert(1)</script> & "more"'


def die(msg):
    print(msg)
    sys.exit(1)


# ---------------------------------------------------------------- mkjsonl
def mkjsonl(out):
    t0 = 1700000000000
    lines = [{"godark_watch": 1, "version": "test", "url": "http://127.0.0.1:1/debug/pprof/goroutine?a=<x>&b=\"q\"",
              "every_ms": 1000, "started": t0}]
    seen = set()

    def site(func, file, line, state, count, stack=None, creator=None):
        d = {"func": func, "file": file, "line": line, "state": state, "class": "leak-candidate", "count": count}
        if (func, file, line) not in seen:
            seen.add((func, file, line))
            d["stack"] = stack or [{"func": func, "file": file, "line": line}]
            if creator:
                d["creator"] = creator
        return d

    for i in range(60):
        t = t0 + i * 1000
        if i in (20, 21):
            lines.append({"t": t, "total": None, "format": None, "sites": [], "other": 0,
                          "error": HOSTILE_ERR, "restart": False})
            continue
        k = i - 40 if i >= 40 else i
        a = 1 + k
        dd = k // 2 + 1
        sites = [
            site(HOSTILE_FUNC, HOSTILE_FILE, 20, "chan receive", a,
                 stack=[{"func": HOSTILE_FUNC, "file": HOSTILE_FILE, "line": 20},
                        {"func": "main.main.func1", "file": "/app/main.go", "line": 33}],
                 creator={"func": "main.main", "file": "/app/main.go", "line": 30}),
            site("main.spawnLeak", "/app/spawn.go", 7, "select", dd),
            site("main.worker", "/app/pool.go", 12, "chan receive", 4),
            site("main.burst", "/app/burst.go", 9, "select", 3 + i % 5),
        ]
        lines.append({"t": t, "total": sum(s["count"] for s in sites) + 5, "format": "traceback", "sites": sites,
                      "other": 0, "error": None, "restart": i == 40})
    with open(out, "w") as f:
        for l in lines:
            f.write(json.dumps(l) + "\n")


# ---------------------------------------------------------------- html
class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []          # open elements: (tag, attrs)
        self.sections = []       # {"cls", "charts", "text", "polylines", "func"}
        self.total_charts = 0
        self.urls = []
        self.scripts = 0
        self.text = []
        self.errors = []
        self.polyline_strokes = []

    def cur_section(self):
        for tag, attrs in reversed(self.stack):
            if tag == "section":
                return attrs.get("_sec")
        return None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k, v in attrs:
            if v and k in ("src", "href", "xlink:href", "action", "srcset", "poster", "data") and \
                    re.search(r"(?i)^\s*(https?:)?//", v):
                self.urls.append((tag, k, v))
            if v and k == "style" and re.search(r"(?i)url\(", v):
                self.urls.append((tag, k, v))
        if tag in ("script", "iframe", "object", "embed", "link", "img"):
            self.scripts += 1
        sec = self.cur_section()
        if tag == "section":
            s = {"cls": a.get("class", ""), "charts": 0, "polylines": 0, "func": None, "text": []}
            self.sections.append(s)
            a["_sec"] = s
        if tag == "svg" and "chart" in a.get("class", "").split():
            if sec is not None:
                sec["charts"] += 1
        if tag == "polyline":
            self.polyline_strokes.append(a.get("stroke", ""))
            if sec is not None:
                sec["polylines"] += 1
        if tag in ("meta", "br", "hr", "polyline", "line", "rect", "circle"):
            return  # void elements, or self-closed in SVG
        self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in ("polyline", "line", "rect", "circle"):
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return
        self.errors.append("stray </%s>" % tag)

    def handle_data(self, data):
        self.text.append(data)
        sec = self.cur_section()
        if sec is not None:
            sec["text"].append(data)
            if self.stack and self.stack[-1][0] == "code" and "func" in self.stack[-1][1].get("class", "") \
                    and sec["func"] is None:
                sec["func"] = data


def check_html(path, summary, hostile):
    with open(path, encoding="utf-8") as f:
        src = f.read()
    with open(summary) as f:
        summ = json.load(f)
    p = Page()
    p.feed(src)
    p.close()
    if not src.startswith("<!DOCTYPE html>"):
        die("no doctype")
    if p.errors:
        die("malformed: %s" % p.errors[:3])
    if p.urls:
        die("external references: %s" % p.urls[:3])
    if p.scripts:
        die("scripts, frames or images that could fetch: %d" % p.scripts)
    if "Content-Security-Policy" not in src or "default-src 'none'" not in src:
        die("no CSP forbidding fetches")
    growing = summ["growing"]
    sites = [s for s in p.sections if "site" in s["cls"].split()]
    totals = [s for s in p.sections if "total" in s["cls"].split()]
    if len(totals) != 1 or totals[0]["charts"] != 1:
        die("want one total chart, got %s" % [(s["cls"], s["charts"]) for s in totals])
    if len(sites) != len(growing):
        die("%d site sections for %d growing sites" % (len(sites), len(growing)))
    for s, g in zip(sites, growing):
        if s["charts"] != 1 or s["polylines"] < 1:
            die("site %s: %d charts, %d polylines" % (g["func"], s["charts"], s["polylines"]))
        if s["func"] != g["func"]:
            die("site section names %r, want %r (same order as the summary)" % (s["func"], g["func"]))
        txt = "".join(s["text"])
        if "%s:%d" % (g["file"], g["line"]) not in txt:
            die("site %s: no file:line %s:%d in its section" % (g["func"], g["file"], g["line"]))
        for want in ("Mann-Kendall", "p=", "/s"):
            if want not in txt:
                die("site %s: no %r in its trend numbers" % (g["func"], want))
        for fr in g["stack"]:
            if fr["func"] not in txt:
                die("site %s: stack frame %s missing" % (g["func"], fr["func"]))
    strokes = set(s.lower() for s in p.polyline_strokes)
    if "#%02x%02x%02x" % COL_TOTAL not in strokes or (growing and "#%02x%02x%02x" % COL_SITE not in strokes):
        die("polyline colours %s" % strokes)
    if hostile:
        alltext = "".join(p.text)
        for s in (HOSTILE_FUNC, HOSTILE_FILE, HOSTILE_ERR):
            if s not in alltext:
                die("hostile string not shown as text: %r" % s)
        for raw in ("<b>", "<img", "<script"):
            if raw in src:
                die("unescaped %r in the page" % raw)
        if "class=\"restart\"" not in src or "class=\"gap\"" not in src:
            die("no restart or gap marks")


# ---------------------------------------------------------------- png
def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        die("not a PNG")
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        n, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if typ == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif typ == b"IDAT":
            idat.append(body)
        elif typ == b"IEND":
            break
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        die("unsupported PNG: depth %d colour type %d interlace %d" % (depth, ctype, interlace))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    rows, prev, pos = [], bytearray(stride), 0
    for _ in range(h):
        ft = raw[pos]
        line = bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        if ft == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif ft == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 255
        elif ft == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif ft == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def check_png(path, w_want, h_want):
    w, h, bpp, rows = read_png(path)
    if (w, h) != (w_want, h_want):
        die("screenshot is %dx%d, want %dx%d" % (w, h, w_want, h_want))
    counts = {COL_TOTAL: 0, COL_SITE: 0}
    nonwhite = 0
    for line in rows:
        for i in range(0, len(line), bpp):
            px = (line[i], line[i + 1], line[i + 2])
            if px != (255, 255, 255):
                nonwhite += 1
            for c in counts:
                if abs(px[0] - c[0]) <= 12 and abs(px[1] - c[1]) <= 12 and abs(px[2] - c[2]) <= 12:
                    counts[c] += 1
    if counts[COL_TOTAL] < 200:
        die("the total chart's line did not render: %d pixels of its colour" % counts[COL_TOTAL])
    if counts[COL_SITE] < 200:
        die("the site charts' lines did not render: %d pixels of their colour" % counts[COL_SITE])
    if nonwhite < 5000:
        die("the page is almost blank: %d non-white pixels" % nonwhite)


# ---------------------------------------------------------------- metrics
LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"')
NAME_RE = re.compile(r'[a-zA-Z_:][a-zA-Z0-9_:]*')


def unescape(v):
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "\\": "\\", '"': '"'}[m.group(1)], v)


def parse_expo(text, openmetrics):
    """A small parser of the text exposition format / OpenMetrics text:
    returns {family: {"type", "help", "samples": [(name, labels, value)]}}."""
    fams, order = {}, []
    lines = text.split("\n")
    if lines[-1] != "":
        die("no newline at the end")
    lines = lines[:-1]
    if openmetrics:
        if not lines or lines[-1] != "# EOF":
            die("OpenMetrics page does not end with # EOF")
        lines = lines[:-1]
    elif lines and lines[-1] == "# EOF":
        die("# EOF in the text format")
    cur = None
    for n, line in enumerate(lines, 1):
        if line.startswith("# "):
            parts = line.split(" ", 3)
            if parts[1] not in ("HELP", "TYPE", "UNIT") or len(parts) < 4:
                die("line %d: bad comment %r" % (n, line))
            name = parts[2]
            if not NAME_RE.fullmatch(name):
                die("line %d: bad name %r" % (n, name))
            f = fams.setdefault(name, {"type": None, "help": None, "samples": []})
            if name not in order:
                order.append(name)
            if parts[1] == "TYPE":
                if parts[3] not in ("gauge", "counter"):
                    die("line %d: type %s" % (n, parts[3]))
                f["type"] = parts[3]
            elif parts[1] == "HELP":
                f["help"] = parts[3]
            cur = name
            continue
        if not line or line.startswith("#"):
            die("line %d: %r" % (n, line))
        m = NAME_RE.match(line)
        name = m.group(0)
        rest = line[m.end():]
        labels = {}
        if rest.startswith("{"):
            end = 1
            while True:
                lm = LABEL_RE.match(rest, end)
                if not lm:
                    break
                if lm.group(1) in labels:
                    die("line %d: label %s twice" % (n, lm.group(1)))
                labels[lm.group(1)] = unescape(lm.group(2))
                end = lm.end()
                if rest[end:end + 1] == ",":
                    end += 1
            if rest[end:end + 1] != "}":
                die("line %d: bad labels: %r" % (n, rest[:80]))
            rest = rest[end + 1:]
        if not rest.startswith(" "):
            die("line %d: no value: %r" % (n, line))
        fields = rest[1:].split(" ")
        try:
            value = float(fields[0])
        except ValueError:
            die("line %d: bad value %r" % (n, fields[0]))
        fam = cur
        f = fams.get(fam)
        ok = f and (name == fam or (f["type"] == "counter" and openmetrics and name == fam + "_total"))
        if not ok:
            die("line %d: sample %s outside its family (%s)" % (n, name, fam))
        if f["type"] == "counter" and not name.endswith("_total"):
            die("line %d: counter sample %s without _total" % (n, name))
        key = (name, tuple(sorted(labels.items())))
        if any((s[0], tuple(sorted(s[1].items()))) == key for s in f["samples"]):
            die("line %d: duplicate series %s" % (n, key))
        f["samples"].append((name, labels, value))
    for name, f in fams.items():
        if f["type"] is None or f["help"] is None:
            die("family %s without TYPE or HELP" % name)
    return fams


def check_metrics(path, leak, top, openmetrics, growing, counters):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    fams = parse_expo(text, openmetrics)
    g = fams.get("godark_site_goroutines")
    if not g:
        die("no godark_site_goroutines")
    named = [s for s in g["samples"] if s[1].get("site") != "other"]
    other = [s for s in g["samples"] if s[1].get("site") == "other"]
    if len(other) != 1:
        die("want one site=\"other\" series, got %d" % len(other))
    if top is not None and len(named) > top:
        die("%d named sites, more than --top %d" % (len(named), top))
    total = fams.get("godark_goroutines")
    sites = fams.get("godark_sites")
    if not total or not sites:
        die("no godark_goroutines or godark_sites")
    nsites = sites["samples"][0][2]
    if top is not None and nsites > top and other[0][2] <= 0:
        die("%d sites, top %d, but site=\"other\" is %s" % (nsites, top, other[0][2]))
    s = sum(x[2] for x in g["samples"])
    if s != total["samples"][0][2]:
        die("sites sum to %s, total is %s" % (s, total["samples"][0][2]))
    func, line = leak.rsplit(":", 1)
    hit = [x for x in named if x[1].get("func") == func and x[1].get("line") == line]
    if len(hit) != 1 or hit[0][2] < 1:
        die("the leak site %s: %s" % (leak, hit))
    lbl = hit[0][1]
    if lbl["site"] != "%s %s:%s" % (func, lbl["file"], line) or not lbl.get("state"):
        die("leak site labels %s" % lbl)
    if growing:
        gr = fams.get("godark_site_growing")
        if not gr:
            die("no godark_site_growing")
        flag = [x for x in gr["samples"] if x[1] == lbl]
        if len(flag) != 1 or flag[0][2] != 1:
            die("the leak site's growing flag: %s" % flag)
        others = [x for x in gr["samples"] if x[1] != lbl and x[1].get("site") != "other" and x[2] != 0]
        if others:
            die("other sites flagged growing: %s" % [x[1]["site"] for x in others])
        sl = fams.get("godark_site_slope_per_second")
        slope = [x for x in (sl["samples"] if sl else []) if x[1] == lbl]
        if len(slope) != 1 or slope[0][2] <= 0:
            die("the leak site's slope: %s" % slope)
    if counters:
        for c in ("godark_watch_samples", "godark_watch_errors", "godark_watch_restarts"):
            fam = c if openmetrics else c + "_total"
            if fam not in fams or fams[fam]["type"] != "counter":
                die("no counter %s" % fam)
        if fams[("godark_watch_samples" if openmetrics else "godark_watch_samples_total")]["samples"][0][2] < 1:
            die("no sample counted")
        if "godark_watch_last_sample_timestamp_seconds" not in fams:
            die("no last sample time")


def main():
    a = sys.argv[1:]
    if not a:
        die(__doc__)
    cmd = a[0]
    if cmd == "mkjsonl":
        mkjsonl(a[1])
    elif cmd == "html":
        check_html(a[1], a[2], "--hostile" in a)
    elif cmd == "png":
        check_png(a[1], int(a[2]), int(a[3]))
    elif cmd == "metrics":
        leak = a[a.index("--leak") + 1]
        top = int(a[a.index("--top") + 1]) if "--top" in a else None
        check_metrics(a[1], leak, top, "--openmetrics" in a, "--growing" in a, "--counters" in a)
    elif cmd == "parse":  # just the format
        with open(a[1], encoding="utf-8") as f:
            parse_expo(f.read(), "--openmetrics" in a)
    else:
        die("unknown command " + cmd)


if __name__ == "__main__":
    main()
