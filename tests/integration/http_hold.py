#!/usr/bin/env python3
"""Hostile HTTP clients against the exporter, then real scrapes.

Holds HELD connections open to HOST:PORT (a third idle, a third sending a
partial request one byte at a time, a third closing and reconnecting), and
reopens any the server closes, so that HELD stay held while it does SCRAPES
real GETs of PATH one after another. Each scrape must answer 200 with a
body containing NEEDLE. Prints one JSON line: the scrape durations (ms), how
many held connections were open before each scrape, and any failure.
Exit 0 when every scrape succeeded within the per-scrape timeout, 1 if not.

--cafile CA: the scrapes speak TLS, verifying the server against CA (the
held connections stay raw TCP: an idle one is a client that never sends
its ClientHello). --auth USER:PASS adds basic authentication.
"""

import argparse
import base64
import json
import selectors
import socket
import ssl
import sys
import threading
import time

PARTIAL = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: "


class Holder(threading.Thread):
    """Keeps `count` connections of one kind open until stopped."""

    def __init__(self, host, port, count, kind):
        super().__init__(daemon=True)
        self.addr = (host, port)
        self.count = count
        self.kind = kind
        self.stop = threading.Event()
        self.socks = []
        self.lock = threading.Lock()
        self.reopened = 0

    def open_one(self):
        # A server that stops accepting must not end the attack: a failed
        # connect is retried on the next round.
        try:
            s = socket.create_connection(self.addr, timeout=0.5)
            s.setblocking(False)
            if self.kind != "idle":
                s.send(PARTIAL)
        except OSError:
            return [None, time.monotonic()]
        return [s, time.monotonic()]

    def live(self):
        with self.lock:
            return sum(1 for s, _ in self.socks if s is not None)

    def run(self):
        with self.lock:
            self.socks = [self.open_one() for _ in range(self.count)]
        while not self.stop.is_set():
            now = time.monotonic()
            with self.lock:
                for entry in self.socks:
                    s, opened = entry
                    if s is None:
                        entry[:] = self.open_one()
                        continue
                    closed = False
                    try:
                        if s.recv(4096) == b"":
                            closed = True
                    except BlockingIOError:
                        pass
                    except OSError:
                        closed = True
                    if not closed and self.kind == "slow":
                        try:
                            s.send(b"a")
                        except OSError:
                            closed = True
                    if not closed and self.kind == "reconnect" and now - opened > 0.3:
                        closed = True
                    if closed:
                        s.close()
                        entry[:] = self.open_one()
                        self.reopened += 1
            self.stop.wait(0.1)
        with self.lock:
            for s, _ in self.socks:
                if s is not None:
                    s.close()
            self.socks = []


def scrape(host, port, path, timeout, tls=None, auth=None):
    """One GET; returns (status, body, milliseconds)."""
    t0 = time.monotonic()
    s = socket.create_connection((host, port), timeout=timeout)
    s.settimeout(timeout)
    if tls is not None:
        s = tls.wrap_socket(s, server_hostname=host)
    extra = ""
    if auth:
        extra = "Authorization: Basic " + base64.b64encode(auth.encode()).decode() + "\r\n"
    req = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n"
    s.sendall(req.encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
        if b"\r\n\r\n" in data:
            head, _, body = data.partition(b"\r\n\r\n")
            for line in head.split(b"\r\n")[1:]:
                k, _, v = line.partition(b":")
                if k.strip().lower() == b"content-length" and len(body) >= int(v):
                    break
            else:
                continue
            break
    ms = (time.monotonic() - t0) * 1000.0
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1]) if head.startswith(b"HTTP/") else 0
    return status, body, ms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("--path", default="/metrics")
    ap.add_argument("--held", type=int, default=200)
    ap.add_argument("--scrapes", type=int, default=10)
    ap.add_argument("--needle", default="mcast_exporter_build_info")
    ap.add_argument("--timeout", type=float, default=2.0)
    ap.add_argument("--cafile")
    ap.add_argument("--auth")
    a = ap.parse_args()
    tls = ssl.create_default_context(cafile=a.cafile) if a.cafile else None

    third = a.held // 3
    holders = [
        Holder(a.host, a.port, a.held - 2 * third, "idle"),
        Holder(a.host, a.port, third, "slow"),
        Holder(a.host, a.port, third, "reconnect"),
    ]
    for h in holders:
        h.start()
    time.sleep(1.0)
    result = {"held": [], "ms": [], "errors": []}
    for _ in range(a.scrapes):
        result["held"].append(sum(h.live() for h in holders))
        try:
            status, body, ms = scrape(a.host, a.port, a.path, a.timeout, tls, a.auth)
            result["ms"].append(round(ms, 2))
            if status != 200:
                result["errors"].append(f"status {status}")
            elif a.needle.encode() not in body:
                result["errors"].append(f"no {a.needle} in body")
        except OSError as e:
            result["ms"].append(None)
            result["errors"].append(f"{type(e).__name__}: {e}")
        time.sleep(0.2)
    for h in holders:
        h.stop.set()
    for h in holders:
        h.join()
    result["reopened"] = sum(h.reopened for h in holders)
    print(json.dumps(result))
    return 0 if not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
