#!/usr/bin/env python3
"""Send lateness of mcast-tools probe flows, seen from outside the sender.

  lateness_observer.py SECONDS PORT INTERVAL_MS GROUP...

Joins each GROUP on lo (one socket per group: no per-socket membership
limit), reads every probe datagram for SECONDS with its kernel receive
timestamp (SO_TIMESTAMPNS: on lo the receive runs in the sender's context,
so it is the send time) and the sequence number from the probe header
(bytes 12..20, big-endian). A packet's lateness is its arrival minus its
schedule, (t - t0) - (seq - seq0) * INTERVAL, taken relative to the flow's
earliest packet in the window (the smallest such offset), so 0 = on time.
Prints one JSON object: packets, gaps (sequence numbers missing), p50,
p99, p999 and max lateness in ms over all flows.

Python 3 standard library only. A bench helper: asserts nothing.
"""
import json
import selectors
import socket
import struct
import sys
import time

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)


def main(argv):
    seconds, port, interval_ms = float(argv[1]), int(argv[2]), float(argv[3])
    groups = argv[4:]
    sel = selectors.DefaultSelector()
    for g in groups:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        s.bind((g, port))
        mreq = socket.inet_aton(g) + socket.inet_aton("127.0.0.1")
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, g)
    flows = {g: [] for g in groups}  # (seq, arrival ns)
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        for key, _ in sel.select(left):
            while True:
                try:
                    data, anc, _, _ = key.fileobj.recvmsg(2048, 64)
                except BlockingIOError:
                    break
                if len(data) < 32 or data[:4] != b"MCAS":
                    continue
                ns = None
                for level, kind, value in anc:
                    if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                        sec, nsec = struct.unpack("qq", value[:16])
                        ns = sec * 1_000_000_000 + nsec
                if ns is not None:
                    flows[key.data].append((struct.unpack(">Q", data[12:20])[0], ns))
    interval_ns = interval_ms * 1e6
    late, gaps = [], 0
    for packets in flows.values():
        if len(packets) < 2:
            continue
        seq0, t0 = packets[0]
        offsets = [(t - t0) - (seq - seq0) * interval_ns for seq, t in packets]
        base = min(offsets)
        late += [(o - base) / 1e6 for o in offsets]
        seqs = sorted({seq for seq, _ in packets})
        gaps += seqs[-1] - seqs[0] + 1 - len(seqs)
    late.sort()
    pick = lambda q: round(late[min(len(late) - 1, int(q * len(late)))], 3) if late else None
    print(json.dumps({"packets": len(late), "gaps": gaps, "p50": pick(0.5),
                      "p99": pick(0.99), "p999": pick(0.999),
                      "max": round(late[-1], 3) if late else None}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
