#!/usr/bin/env python3
"""Sends a real probe flow with known drops plus forged datagrams that carry
the same source address and sender id but far-off sequence numbers.

Test-only (issue 10): run it inside a network namespace, never on the host's
real interfaces. Packets follow README.md "Packet format" (32-byte big-endian
header, magic MCAS, version 1, padding 0xA5), as tests/lab/mcast_inject.py.

  hostile_inject.py --group 239.1.1.1 --source 127.0.0.1 --count 300 \\
      --drop-every 10 --forge 100:+2**63 --forge 150:+2**62 --forge 200:-2**62

Numbers n with n % drop-every == 3 are not sent (the real drops). After
sending number A of the real flow, --forge A:OFFSET sends one datagram with
sequence (A + OFFSET) mod 2^64 and a timestamp 2^63 away from the real one.
"""
import argparse
import socket
import struct
import time

HEADER = struct.Struct(">4sBBBBIQQI")  # 32 bytes, network byte order
FLAG_LAST = 0x01
MASK = (1 << 64) - 1


def parse_forge(text):
    after, offset = text.split(":", 1)
    sign = -1 if offset.startswith("-") else 1
    value = offset.lstrip("+-")
    base, _, exp = value.partition("**")
    number = int(base) ** int(exp) if exp else int(base)
    return int(after), sign * number


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--group", required=True)
    ap.add_argument("--port", type=int, default=19779)
    ap.add_argument("--source", required=True)
    ap.add_argument("--sender-id", type=lambda s: int(s, 0), default=0x5EC0FFEE)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--drop-every", type=int, default=10)
    ap.add_argument("--interval-ms", type=float, default=2.0)
    ap.add_argument("--forge", action="append", type=parse_forge, default=[])
    args = ap.parse_args()

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((args.source, 0))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(args.source))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    padding = bytes([0xA5]) * (200 - HEADER.size)
    interval_us = int(args.interval_ms * 1000)
    forged = {}
    for after, offset in args.forge:
        forged.setdefault(after, []).append(offset)

    def send(seq, stamp, flags=0):
        header = HEADER.pack(b"MCAS", 1, flags, 1, 0, args.sender_id, seq & MASK,
                             stamp & MASK, interval_us)
        s.sendto(header + padding, (args.group, args.port))

    start = time.monotonic()
    sent = 0
    for n in range(args.count):
        delay = start + n * args.interval_ms / 1000 - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if n % args.drop_every != 3:
            last = FLAG_LAST if n == args.count - 1 else 0
            send(n, time.monotonic_ns(), last)
            sent += 1
        for offset in forged.get(n, []):
            send(n + offset, time.monotonic_ns() + (1 << 63))
    print(f"real {sent} dropped {args.count - sent} forged {len(args.forge)}")


if __name__ == "__main__":
    main()
