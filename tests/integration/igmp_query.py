#!/usr/bin/env python3
"""Sends IGMP membership queries, as a querier would (test-only).

Run it inside a network namespace, never on the host's real interfaces:
queries go to 224.0.0.1 with TTL 1 out of the interface that has --from
(IP_MULTICAST_IF), and are looped back to local listeners.

  igmp_query.py --from 127.0.0.1 --version 3 --qqic 125 --qrv 2 \\
      --max-resp-ds 100 --count 1 --interval 1

IGMPv1: 8 octets, Max Resp Code 0; IGMPv2: 8 octets with the code (tenths of
a second); IGMPv3: 12 octets with QRV and QQIC (RFC 3376 4.1; values up to
127 as they are, the floating-point form is not needed here).
Python 3 standard library only.
"""
import argparse
import socket
import struct
import time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def query(version, max_resp_ds, qrv, qqic, group):
    g = socket.inet_aton(group)
    code = 0 if version == 1 else max_resp_ds
    if version in (1, 2):
        m = struct.pack("!BBH4s", 0x11, code, 0, g)
    else:
        m = struct.pack("!BBH4sBBH", 0x11, code, 0, g, qrv & 7, qqic, 0)
    c = checksum(m)
    return m[:2] + struct.pack("!H", c) + m[4:]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--from", dest="source", required=True,
                   help="local address: its interface sends (IP_MULTICAST_IF)")
    p.add_argument("--version", type=int, choices=(1, 2, 3), default=3)
    p.add_argument("--max-resp-ds", type=int, default=100)
    p.add_argument("--qrv", type=int, default=2)
    p.add_argument("--qqic", type=int, default=125)
    p.add_argument("--group", default="0.0.0.0", help="0.0.0.0: general query")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--interval", type=float, default=1.0)
    a = p.parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(a.source))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
    s.bind((a.source, 0))
    m = query(a.version, a.max_resp_ds, a.qrv, a.qqic, a.group)
    for i in range(a.count):
        if i:
            time.sleep(a.interval)
        s.sendto(m, ("224.0.0.1", 0))


if __name__ == "__main__":
    main()
