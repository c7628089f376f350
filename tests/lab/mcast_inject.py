#!/usr/bin/env python3
"""Sends mcast-tools probe packets with chosen sequence numbers in a chosen order.

Test-only injector for the lab: run it inside a network namespace, never on
the host's real interfaces. The packets are valid probes (README.md "Packet
format": 32-byte big-endian header, magic MCAS, version 1, padding 0xA5), so
mcast-receive classifies them like packets from mcast-send, and a test that
knows the order knows the exact loss, duplicate and reorder counts.

  mcast_inject.py --group 232.1.1.1 --source 10.0.1.1 --ttl 64 \\
      --order 0-9,12,10,11,13-19 --interval-ms 2
  mcast_inject.py --group ff3e::8000:1 --source fd00:0:1::1 --interface snd-eth0 ...

The family follows the group. For IPv6, --ttl is the hop limit
(IPV6_MULTICAST_HOPS) and --dscp goes into the traffic class (IPV6_TCLASS).

--order is a comma-separated list of sequence numbers or ascending ranges
A-B (inclusive); a number may repeat (a duplicate) or be missing (a loss).
"""
import argparse
import os
import socket
import struct
import sys
import time

MAGIC = b"MCAS"
VERSION = 1
FLAG_LAST = 0x01
HEADER = struct.Struct(">4sBBBBIQQI")  # 32 bytes, network byte order
assert HEADER.size == 32


def parse_order(text):
    out = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        if "-" in item:
            a, b = (int(x) for x in item.split("-", 1))
            if b < a:
                raise ValueError(f"range {item} is not ascending")
            out.extend(range(a, b + 1))
        else:
            out.append(int(item))
    if not out:
        raise ValueError("empty order")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--group", required=True)
    ap.add_argument("--port", type=int, default=19779)
    ap.add_argument("--source", required=True,
                    help="local address to bind and send from (picks the interface)")
    ap.add_argument("--interface",
                    help="outgoing interface (IPv6: required, IPV6_MULTICAST_IF)")
    ap.add_argument("--ttl", type=int, default=64)
    ap.add_argument("--dscp", type=int, default=0)
    ap.add_argument("--order", required=True, type=parse_order)
    ap.add_argument("--interval-ms", type=float, default=2.0)
    ap.add_argument("--size", type=int, default=200)
    ap.add_argument("--sender-id", type=lambda s: int(s, 0), default=0,
                    help="default: random non-zero")
    ap.add_argument("--last", action="store_true",
                    help="set the last-packet flag on the final datagram sent")
    args = ap.parse_args()
    if not 0 <= args.dscp <= 63 or args.size < HEADER.size:
        ap.error("--dscp must be 0-63 and --size at least 32")
    sender_id = args.sender_id
    while sender_id == 0:
        sender_id = struct.unpack(">I", os.urandom(4))[0]

    if ":" in args.group:
        if not args.interface:
            ap.error("an IPv6 group needs --interface")
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.bind((args.source, 0))
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF,
                     socket.if_nametoindex(args.interface))
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, args.ttl)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, args.dscp << 2)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP, 0)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((args.source, 0))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(args.source))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, args.ttl)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, args.dscp << 2)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)

    padding = bytes([0xA5]) * (args.size - HEADER.size)
    interval_us = int(args.interval_ms * 1000)
    start = time.monotonic()
    for i, seq in enumerate(args.order):
        # Absolute deadlines, so the pace does not drift.
        delay = start + i * args.interval_ms / 1000 - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        flags = FLAG_LAST if args.last and i == len(args.order) - 1 else 0
        header = HEADER.pack(MAGIC, VERSION, flags, args.ttl, args.dscp, sender_id,
                             seq, time.monotonic_ns(), interval_us)
        s.sendto(header + padding, (args.group, args.port))
    print(f"sent {len(args.order)} packets, sender id 0x{sender_id:08x}", file=sys.stderr)


if __name__ == "__main__":
    main()
