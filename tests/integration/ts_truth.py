#!/usr/bin/env python3
"""Receives an MPEG-TS stream on a group and counts what arrived.

Test-only ground truth for the MPEG-TS analyser: a second, independent
receiver (Python sockets, its own TS parser written from ISO/IEC 13818-1
2.4.3 and RFC 3550 5.1) joined to the same group, so the kernel hands it the
same datagrams after any nftables impairment. Run it inside a network
namespace whose loopback carries multicast.

  ts_truth.py --group 239.1.1.1 --port 5000 [--rtp] [--idle-ms 1000]

Prints JSON: datagrams, ts_packets, sync_byte_errors, transport_errors,
continuity_count_errors (a packet with payload whose counter is neither the
previous + 1 nor a first repeat of it; adaptation-only packets and the null
PID are not checked; discontinuity_indicator resets), duplicate_packets,
per-PID packet counts, with --simulate-drop-every the same counts for the
stream minus every Nth datagram, pat_errors (no PAT section start for more than
0.5 s, once per gap), and the RTP sequence numbers missing (with --rtp).
"""
import argparse
import json
import select
import socket
import struct
import sys
import time


def rtp_payload(d):
    if len(d) < 12 or d[0] >> 6 != 2:
        return None, None
    h = 12 + 4 * (d[0] & 0x0F)
    if d[0] & 0x10:
        if len(d) < h + 4:
            return None, None
        h += 4 + 4 * struct.unpack(">H", d[h + 2:h + 4])[0]
    end = len(d) - (d[-1] if d[0] & 0x20 else 0)
    if h > end:
        return None, None
    return struct.unpack(">H", d[2:4])[0], d[h:end]


class Counter:
    def __init__(self):
        self.c = {"datagrams": 0, "ts_packets": 0, "sync_byte_errors": 0,
                  "transport_errors": 0, "continuity_count_errors": 0,
                  "duplicate_packets": 0, "rtp_lost": 0, "pat_errors": 0}
        self.last = {}  # pid -> (counter, repeated)
        self.pids = {}
        self.rtp_next = None
        self.last_pat = None  # arrival of the last PAT section start
        self.pat_reported = False
        self.saw_pat = False

    def packet(self, p):
        c = self.c
        c["ts_packets"] += 1
        if p[0] != 0x47:
            c["sync_byte_errors"] += 1
            return
        if p[1] & 0x80:
            c["transport_errors"] += 1
        pid = (p[1] & 0x1F) << 8 | p[2]
        if pid == 0x1FFF:
            return
        self.pids[pid] = self.pids.get(pid, 0) + 1
        if pid == 0 and p[1] & 0x40 and not p[1] & 0x80:
            start = 4 + (1 + p[4] if p[3] & 0x20 else 0)
            if start < 188 and start + 1 + p[start] < 188:
                self.saw_pat |= p[start + 1 + p[start]] == 0
        afc = (p[3] >> 4) & 3
        cc = p[3] & 0x0F
        if afc in (2, 3) and p[4] > 0 and p[5] & 0x80:
            self.last.pop(pid, None)
        if afc not in (1, 3):
            return
        prev = self.last.get(pid)
        if prev is None or cc == (prev[0] + 1) % 16:
            self.last[pid] = (cc, False)
        elif cc == prev[0] and not prev[1]:
            c["duplicate_packets"] += 1
            self.last[pid] = (cc, True)
        elif cc == prev[0]:
            c["continuity_count_errors"] += 1
        else:
            c["continuity_count_errors"] += 1
            self.last[pid] = (cc, False)

    def datagram(self, d, rtp, now):
        self.c["datagrams"] += 1
        # TR 101 290 1.3a: no PAT for more than 0.5 s, once per gap.
        if self.last_pat is None:
            self.last_pat = now
        elif now - self.last_pat > 0.5 and not self.pat_reported:
            self.c["pat_errors"] += 1
            self.pat_reported = True
        self.saw_pat = False
        self._datagram(d, rtp)
        if self.saw_pat:
            self.last_pat, self.pat_reported = now, False

    def _datagram(self, d, rtp):
        if rtp:
            seq, d = rtp_payload(d)
            if d is None:
                return
            if self.rtp_next is not None:
                self.c["rtp_lost"] += (seq - self.rtp_next) & 0xFFFF
            self.rtp_next = (seq + 1) & 0xFFFF
        for i in range(0, len(d) - 187, 188):
            self.packet(d[i:i + 188])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--group", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--rtp", action="store_true")
    ap.add_argument("--idle-ms", type=int, default=1000)
    ap.add_argument("--max-seconds", type=float, default=30)
    ap.add_argument("--simulate-drop-every", type=int, default=0, metavar="N",
                    help="also count the stream as it would arrive with every "
                    "Nth datagram (the Nth, 2Nth, ...) dropped: nft's "
                    "'numgen inc mod N == N-1 drop' on a copy of this stream")
    args = ap.parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((args.group, args.port))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                 socket.inet_aton(args.group) + socket.inet_aton("127.0.0.1"))
    counter = Counter()
    simulated = Counter()
    n = args.simulate_drop_every
    end = time.monotonic() + args.max_seconds
    got = False
    while time.monotonic() < end:
        r, _, _ = select.select([s], [], [], args.idle_ms / 1000 if got else 0.2)
        if not r:
            if got:
                break
            continue
        d = s.recv(65536)
        now = time.monotonic()
        if n and counter.c["datagrams"] % n != n - 1:
            simulated.datagram(d, args.rtp, now)
        counter.datagram(d, args.rtp, now)
        got = True
    out = dict(counter.c)
    out["pids"] = {str(k): v for k, v in sorted(counter.pids.items())}
    if n:
        out["simulated_drop"] = simulated.c
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
