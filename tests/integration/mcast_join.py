#!/usr/bin/env python3
"""Joins multicast groups and holds the memberships until killed.

Test helper for the network-namespace tests and for capturing the /proc
fixtures: run it inside a namespace, never on the host's real interfaces.

Each argument is one membership, held on its own socket:
  IFADDR,GROUP            IPv4 any-source join (IP_ADD_MEMBERSHIP)
  IFADDR,GROUP,SOURCE     IPv4 source-specific join (IP_ADD_SOURCE_MEMBERSHIP)
  IFADDR,GROUP,-SOURCE    IPv4 any-source join, then block SOURCE (exclude mode)
  IFNAME,GROUP6           IPv6 join (IPV6_JOIN_GROUP) on the named interface
Prints "ready" once every join succeeded, then sleeps.
"""
import socket
import struct
import sys
import time

# Linux values; older Pythons lack the names.
IP_BLOCK_SOURCE = 38
IP_ADD_SOURCE_MEMBERSHIP = 39


def join(spec):
    parts = spec.split(",")
    if ":" in parts[1]:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        mreq = socket.inet_pton(socket.AF_INET6, parts[1]) + struct.pack(
            "@I", socket.if_nametoindex(parts[0]))
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
        return s
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ifaddr = socket.inet_aton(parts[0])
    group = socket.inet_aton(parts[1])
    if len(parts) == 2:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, group + ifaddr)
    elif parts[2].startswith("-"):
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, group + ifaddr)
        # struct ip_mreq_source: multiaddr, interface, sourceaddr.
        s.setsockopt(socket.IPPROTO_IP, IP_BLOCK_SOURCE,
                     group + ifaddr + socket.inet_aton(parts[2][1:]))
    else:
        s.setsockopt(socket.IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP,
                     group + ifaddr + socket.inet_aton(parts[2]))
    return s


def main():
    sockets = [join(spec) for spec in sys.argv[1:]]
    print("ready", flush=True)
    while sockets:
        time.sleep(3600)


if __name__ == "__main__":
    main()
