#!/usr/bin/env python3
"""Receives IPv6 multicast and reports each packet's hop limit and traffic class.

Test-only stand-in receiver for the lab, independent of mcast-receive: it
checks what the network delivers (the routers' hop limit decrement and any
traffic class rewrite) with the kernel's own per-packet ancillary data
(IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS). Run it inside a network namespace.

  mcast_listen.py --group ff3e::8000:1 --source fd00:0:1::1 --interface rcv-eth0 \\
      --count 200

Joins (SOURCE, GROUP) on INTERFACE (MCAST_JOIN_SOURCE_GROUP), or GROUP from
any source without --source, prints "ready" on stderr once joined, and ends
after COUNT packets, or when no packet came for TIMEOUT seconds (the first
for FIRST_TIMEOUT, so a slow sender start on a busy machine is no loss). Prints one JSON object:
{"packets": N, "hop_limit": {"62": N}, "tclass": {"184": N},
 "sources": {"fd00:0:1::1": N}, "sequences": [first, last] or null}.
Sequence numbers are read from the probe header (bytes 12-19) when the
payload starts with the probe magic.
"""
import argparse
import json
import select
import socket
import struct
import sys

# Linux value; Python has no name for it.
MCAST_JOIN_SOURCE_GROUP = 46
MAGIC = b"MCAS"


def sockaddr_in6(addr):
    """A struct sockaddr_storage holding an IPv6 address (port 0)."""
    raw = struct.pack("@HHI16sI", socket.AF_INET6, 0, 0,
                      socket.inet_pton(socket.AF_INET6, addr), 0)
    return raw + bytes(128 - len(raw))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--group", required=True)
    ap.add_argument("--source")
    ap.add_argument("--interface", required=True)
    ap.add_argument("--port", type=int, default=19779)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--timeout", type=float, default=2.0)
    ap.add_argument("--first-timeout", type=float, default=15.0)
    args = ap.parse_args()

    ifindex = socket.if_nametoindex(args.interface)
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((args.group, args.port, 0, ifindex))
    if args.source:
        # struct group_source_req: uint32 interface, then two
        # sockaddr_storage aligned to 8 (4 bytes of padding on 64-bit).
        gsr = struct.pack("@I4x", ifindex) + sockaddr_in6(args.group) + sockaddr_in6(args.source)
        s.setsockopt(socket.IPPROTO_IPV6, MCAST_JOIN_SOURCE_GROUP, gsr)
    else:
        mreq = socket.inet_pton(socket.AF_INET6, args.group) + struct.pack("@I", ifindex)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVTCLASS, 1)
    print("ready", file=sys.stderr, flush=True)

    hop_limit, tclass, sources = {}, {}, {}
    first = last = None
    packets = 0
    space = socket.CMSG_SPACE(4) * 2
    while packets < args.count:
        wait = args.timeout if packets else args.first_timeout
        ready, _, _ = select.select([s], [], [], wait)
        if not ready:
            break
        data, ancillary, _, addr = s.recvmsg(2048, space)
        packets += 1
        sources[addr[0]] = sources.get(addr[0], 0) + 1
        for level, kind, value in ancillary:
            if level != socket.IPPROTO_IPV6:
                continue
            (number,) = struct.unpack("@i", value[:4])
            if kind == socket.IPV6_HOPLIMIT:
                hop_limit[str(number)] = hop_limit.get(str(number), 0) + 1
            elif kind == socket.IPV6_TCLASS:
                tclass[str(number)] = tclass.get(str(number), 0) + 1
        if len(data) >= 20 and data[:4] == MAGIC:
            (seq,) = struct.unpack(">Q", data[12:20])
            first = seq if first is None else first
            last = seq
    print(json.dumps({"packets": packets, "hop_limit": hop_limit, "tclass": tclass,
                      "sources": sources,
                      "sequences": None if first is None else [first, last]}))


if __name__ == "__main__":
    main()
