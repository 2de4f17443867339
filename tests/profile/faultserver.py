#!/usr/bin/env python3
"""tests/profile/faultserver.py: a fault-injection goroutine endpoint on
127.0.0.1 for `godark watch` (issue 16, item 7).

Each request (any path) gets the next item of --script, a comma-separated
list; after the last item it serves good dumps and writes "DONE" to --log:

  good       a debug=2 dump: main, 4 pool workers, and a leak that grows by
             2 goroutines per good dump (ids ever higher, as a live process)
  restart    a good dump of a new process: the leak starts again at 1 and
             its goroutine ids are low again
  slow       waits --slow seconds (beyond watch's --timeout), then a good dump
  500        HTTP 500
  html       200 with an HTML login page instead of a profile
  truncgz    200 with the first half of a gzipped dump
  big        200 with a dump larger than --big bytes
  down:S     no reply (the connection is closed), then the listening socket is
             closed for S seconds (connection refused), then it comes back on
             the same port

Before it answers, the server checks the samples file watch is writing
(--jsonl): every line parses, there is a sample line for every request
answered before (watch polls one request at a time and writes the sample
before the next request), and the last sample records what the previous
item was: the error of a fault, or restart:true. Results go to --log as
"CHECK ok ..." or "CHECK BAD ..." lines, served items as "SERVED k item".
The server prints "PORT n" and exits by itself after --lifetime seconds.
"""
import argparse
import gzip
import http.server
import json
import os
import re
import socket
import sys
import threading
import time

EXPECT = {  # what the sample of each fault must say
    "slow": r"timed out|Timeout",
    "500": r"HTTP status 500",
    "html": r"not a goroutine dump",
    "truncgz": r"truncated gzip",
    "big": r"larger than \d+ bytes",
    "down": r"Empty reply|Couldn't connect|Failed to connect|refused|reset|Recv failure",
}


class State:
    def __init__(self, args):
        self.args = args
        self.script = [s for s in args.script.split(",") if s]
        self.k = 0          # requests answered or dropped so far
        self.prev = None    # the item served before
        self.leak = 0       # leaked goroutines in the current process
        self.base = 1000    # first id of the leak in this process
        self.next_id = 1000
        self.lock = threading.Lock()
        self.log = open(args.log, "a", buffering=1)
        self.done = False

    def say(self, msg):
        self.log.write(msg + "\n")


def dump(st, grow=True):
    if grow:
        st.leak += 2
    out = ["goroutine 1 [select]:", "main.main()", "\t/app/main.go:50 +0x1d", ""]
    for i in range(4):
        out += ["goroutine %d [chan receive]:" % (20 + i), "main.worker(0xc000010000)", "\t/app/main.go:30 +0x25",
                "created by main.main in goroutine 1", "\t/app/main.go:45 +0x6a", ""]
    # a live process numbers new goroutines ever higher; the leak's oldest
    # goroutines keep their ids
    ids = [st.base + 7 * i for i in range(st.leak)]
    for gid in ids:
        out += ["goroutine %d [chan receive, 1 minutes]:" % gid, "main.leak(0xc000020000)", "\t/app/main.go:20 +0x25",
                "created by main.main in goroutine 1", "\t/app/main.go:46 +0x6a", ""]
    return ("\n".join(out) + "\n").encode()


def check_file(st, item):
    """Checks the samples file before answering request st.k (0-based)."""
    path = st.args.jsonl
    if not path or not os.path.exists(path):
        st.say("CHECK BAD before request %d: no samples file %s" % (st.k, path))
        return
    lines = open(path, encoding="utf-8").read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    try:
        objs = [json.loads(l) for l in lines]
    except ValueError as e:
        st.say("CHECK BAD before request %d: a line does not parse: %s" % (st.k, e))
        return
    if not objs or objs[0].get("godark_watch") != 1:
        st.say("CHECK BAD before request %d: no header line" % st.k)
        return
    samples = objs[1:]
    if len(samples) < st.k:
        st.say("CHECK BAD before request %d: %d samples, want at least %d" % (st.k, len(samples), st.k))
        return
    if st.prev is None:
        st.say("CHECK ok before request %d: %d samples" % (st.k, len(samples)))
        return
    last = samples[-1]
    kind = st.prev.split(":")[0]
    if kind in EXPECT:
        if not last.get("error") or not re.search(EXPECT[kind], last["error"]):
            st.say("CHECK BAD after %s: last sample error is %r" % (st.prev, last.get("error")))
            return
    elif kind == "restart":
        if last.get("error") is not None or last.get("restart") is not True:
            st.say("CHECK BAD after restart: last sample %r" % {k: last.get(k) for k in ("error", "restart", "total")})
            return
    elif kind == "good":
        if last.get("error") is not None or last.get("restart") is not False or last.get("total") != 5 + st.leak:
            st.say("CHECK BAD after good: last sample %r, want total %d" %
                   ({k: last.get(k) for k in ("error", "restart", "total")}, 5 + st.leak))
            return
    st.say("CHECK ok after %s: %d samples" % (st.prev, len(samples)))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send_body(self, code, body, ctype="text/plain; charset=utf-8"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def do_GET(self):
        st = self.server.st
        with st.lock:
            check_file(st, None)
            item = st.script[st.k] if st.k < len(st.script) else "good"
            if st.k == len(st.script) and not st.done:
                st.done = True
                st.say("DONE")
            st.say("SERVED %d %s" % (st.k, item))
            st.k += 1
            st.prev = item
            kind = item.split(":")[0]
            body = None
            if kind == "restart":
                st.leak = 0
                st.base = 30
            if kind in ("good", "restart", "slow"):
                body = dump(st)
            elif kind == "truncgz":
                z = gzip.compress(dump(st, grow=False))
                body = z[: len(z) // 2]
            elif kind == "big":
                body = dump(st, grow=False)
                body += b"\n" * (st.args.big + 1 - len(body)) if len(body) <= st.args.big else b""
        if kind == "slow":
            time.sleep(st.args.slow)
            self.send_body(200, body)
        elif kind == "500":
            self.send_body(500, b"internal error\n")
        elif kind == "html":
            self.send_body(200, b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n"
                                b"<body><h1>Please sign in</h1></body></html>\n", "text/html")
        elif kind == "down":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.server.down_for = float(item.split(":")[1]) if ":" in item else 1.0
            threading.Thread(target=self.server.shutdown, daemon=True).start()
        elif kind in ("truncgz",):
            self.send_body(200, body, "application/octet-stream")
        else:
            self.send_body(200, body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--script", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--jsonl", default="")
    ap.add_argument("--lifetime", type=float, default=60)
    ap.add_argument("--slow", type=float, default=3)
    ap.add_argument("--big", type=int, default=1000000)
    args = ap.parse_args()
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    st = State(args)
    port = 0
    while True:
        http.server.ThreadingHTTPServer.allow_reuse_address = True
        http.server.ThreadingHTTPServer.daemon_threads = True
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        srv.st = st
        srv.down_for = 0
        if not port:
            port = srv.server_address[1]
            print("PORT %d" % port, flush=True)
        srv.serve_forever(poll_interval=0.05)
        srv.server_close()
        if not srv.down_for:
            break
        st.say("DOWN %.1f s" % srv.down_for)
        time.sleep(srv.down_for)
        st.say("UP")


if __name__ == "__main__":
    sys.exit(main())
