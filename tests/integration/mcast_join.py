#!/usr/bin/env python3
"""Joins multicast groups and holds the memberships until killed.

Test helper for the network-namespace tests and for capturing the /proc
fixtures: run it inside a namespace, never on the host's real interfaces.

Each argument is one membership, held on its own socket:
  IFADDR,GROUP            IPv4 any-source join (IP_ADD_MEMBERSHIP)
  IFADDR,GROUP,SOURCE     IPv4 source-specific join (IP_ADD_SOURCE_MEMBERSHIP)
  IFADDR,GROUP,-SOURCE    IPv4 any-source join, then block SOURCE (exclude mode)
  IFNAME,GROUP6           IPv6 join (IPV6_JOIN_GROUP) on the named interface
  IFNAME,GROUP6,SOURCE6   IPv6 source-specific join (MCAST_JOIN_SOURCE_GROUP)
  IFNAME,GROUP6,-SOURCE6  IPv6 any-source join, then block SOURCE6
                          (MCAST_BLOCK_SOURCE: exclude mode)
Prints "ready" once every join succeeded, then sleeps.
"""
import socket
import struct
import sys
import time

# Linux values; older Pythons lack the names.
IP_BLOCK_SOURCE = 38
IP_ADD_SOURCE_MEMBERSHIP = 39
MCAST_BLOCK_SOURCE = 43
MCAST_JOIN_SOURCE_GROUP = 46


def sockaddr_storage6(address):
    """struct sockaddr_in6 padded to a struct sockaddr_storage (128 bytes)."""
    sin6 = struct.pack("@H", socket.AF_INET6) + b"\0" * 6 + socket.inet_pton(
        socket.AF_INET6, address) + b"\0" * 4
    return sin6 + b"\0" * (128 - len(sin6))


def group_source_req(ifindex, group, source):
    # uint32 interface, padding to the 8-byte alignment of sockaddr_storage.
    return (struct.pack("@I", ifindex) + b"\0" * 4 + sockaddr_storage6(group) +
            sockaddr_storage6(source))


def join(spec):
    parts = spec.split(",")
    if ":" in parts[1]:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        ifindex = socket.if_nametoindex(parts[0])
        if len(parts) == 3 and not parts[2].startswith("-"):
            s.setsockopt(socket.IPPROTO_IPV6, MCAST_JOIN_SOURCE_GROUP,
                         group_source_req(ifindex, parts[1], parts[2]))
            return s
        mreq = socket.inet_pton(socket.AF_INET6, parts[1]) + struct.pack(
            "@I", ifindex)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
        if len(parts) == 3:
            s.setsockopt(socket.IPPROTO_IPV6, MCAST_BLOCK_SOURCE,
                         group_source_req(ifindex, parts[1], parts[2][1:]))
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
