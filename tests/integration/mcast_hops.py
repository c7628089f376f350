#!/usr/bin/env python3
"""Receives COUNT datagrams of GROUP:PORT on IFNAME and prints what the
kernel said about them: "COUNT HOPS TCLASS", where HOPS and TCLASS are the
distinct TTL/hop-limit and TOS/traffic-class values seen (comma-joined).

Ground truth for the probe receiver's hops and DSCP, from a plain socket
(IP_RECVTTL/IP_RECVTOS or IPV6_RECVHOPLIMIT/IPV6_RECVTCLASS). Test helper:
run it inside a namespace. Gives up (exit 1) after 10 s of silence.

  mcast_hops.py GROUP PORT IFNAME COUNT
"""
import socket
import struct
import sys

# Linux values; Python lacks IP_RECVTTL.
IP_RECVTTL = 12


def main():
    group, port, ifname, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    index = socket.if_nametoindex(ifname)
    if ":" in group:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((group, port, 0, index))
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                     socket.inet_pton(socket.AF_INET6, group) + struct.pack("@I", index))
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT, 1)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVTCLASS, 1)
        hops_type, class_type = (socket.IPPROTO_IPV6, socket.IPV6_HOPLIMIT), (
            socket.IPPROTO_IPV6, socket.IPV6_TCLASS)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((group, port))
        # struct ip_mreqn: group, local address (any), interface index.
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                     socket.inet_aton(group) + socket.inet_aton("0.0.0.0") +
                     struct.pack("@i", index))
        s.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_RECVTOS, 1)
        hops_type, class_type = (socket.IPPROTO_IP, socket.IP_TTL), (
            socket.IPPROTO_IP, socket.IP_TOS)
    s.settimeout(10)
    hops, tclass = set(), set()
    for _ in range(count):
        _, ancillary, _, _ = s.recvmsg(2048, 256)
        for level, kind, data in ancillary:
            if (level, kind) == hops_type:
                hops.add(int.from_bytes(data[:4], sys.byteorder))
            elif (level, kind) == class_type:
                # IP_TOS is one byte, IPV6_TCLASS an int.
                tclass.add(int.from_bytes(data[:4] if len(data) >= 4 else data,
                                          sys.byteorder))
    print(count, ",".join(map(str, sorted(hops))), ",".join(map(str, sorted(tclass))))


if __name__ == "__main__":
    main()
