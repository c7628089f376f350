#!/usr/bin/env python3
"""Ground-truth injector for streams_decode_test.sh: RTP and MoldUDP64 to a
group on lo with a known pattern, from fixed source ports.

usage: stream_inject.py GROUP RTP_PORT MOLD_PORT
RTP (from port 40000): SSRC 0x1111 seq 0..99 without 10, 20, 30 (3 lost),
40 twice (1 duplicate), 51 before 50 (1 reordered); then SSRC 0x2222 seq
1000..1049 (1 restart). 148 datagrams.
MoldUDP64 (from port 40001), session SESSION001: (seq, count) 1/3, 4/2,
6/0 (heartbeat), 9/1 (messages 6..8 missing: 3 lost), 10/0 (heartbeat),
10/2. 6 datagrams, 2 heartbeats.
"""
import socket
import struct
import sys
import time

group, rtp_port, mold_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def sock(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                 socket.inet_aton("127.0.0.1"))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    s.bind(("127.0.0.1", port))
    return s


rtp = sock(40000)
seqs = [s for s in range(100) if s not in (10, 20, 30)]
seqs.insert(seqs.index(40) + 1, 40)
i = seqs.index(50)
seqs[i], seqs[i + 1] = seqs[i + 1], seqs[i]
order = [(0x1111, s) for s in seqs] + [(0x2222, s) for s in range(1000, 1050)]
for ssrc, s in order:
    hdr = struct.pack("!BBHII", 0x80, 96, s & 0xFFFF, s * 3000 & 0xFFFFFFFF,
                      ssrc)
    rtp.sendto(hdr + bytes(172), (group, rtp_port))
    time.sleep(0.002)

mold = sock(40001)
for seq, count in [(1, 3), (4, 2), (6, 0), (9, 1), (10, 0), (10, 2)]:
    msgs = b"".join(struct.pack("!H", 4) + b"MSG%d" % (k % 10)
                    for k in range(count))
    mold.sendto(b"SESSION001" + struct.pack("!QH", seq, count) + msgs,
                (group, mold_port))
    time.sleep(0.002)
