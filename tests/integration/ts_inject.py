#!/usr/bin/env python3
"""Sends an MPEG-TS stream (over UDP or RTP) with a known pattern of faults.

Test-only injector: run it inside a network namespace, never on the host's
real interfaces. Every datagram carries 7 TS packets (ISO/IEC 13818-1,
188 bytes, sync 0x47), one datagram every --interval-ms:

  slot 0      PAT (PID 0, table_id 0) every 10th datagram, else a null packet
  slots 1-5   PID 0x100 ("video"), continuity counter +1 per packet
  slot 6      PID 0x101 ("audio"), continuity counter +1 per packet

--faults is a comma-separated list of KIND@DATAGRAM (0-based index), each
with exactly the effect on the TR 101 290 counters given here (the test
asserts them; the stream is otherwise error free):

  cc-skip@N        first video packet's counter skips one value: 1 CC error
  repeat@N         second video packet repeats the first (same counter,
                   same bytes): 1 legal duplicate, no error
  double-repeat@N  second and third video packets repeat the first:
                   1 duplicate + 1 CC error
  discontinuity@N  first video packet has discontinuity_indicator set and
                   its counter jumps by 7: 1 discontinuity, no error
  tei@N            first video packet has transport_error_indicator set
                   (counter as normal): 1 transport error
  sync@N           the audio slot is a broken packet (first byte 0x00) that
                   is not part of the audio sequence: 1 sync byte error
  pat-gap@N:MS     no PAT in datagrams N .. N + MS / interval - 1 (nulls
                   instead): 1 PAT error when the gap between the PAT before
                   and the one after exceeds 0.5 s
  drop@N           datagram N is not sent: 1 CC error per PID it carried
                   (video, audio, and PID 0 when it held a PAT)

With --rtp every datagram gets a 12-byte RTP header (version 2, payload type
33 = MP2T, sequence +1 per datagram, 90 kHz timestamp, one SSRC); --csrcs
and --extension-words make the header longer (the analyser must skip it).

At the end a JSON summary of what was sent goes to stdout.
"""
import argparse
import json
import socket
import struct
import sys
import time

TS = 188
PAT_PID, VIDEO_PID, AUDIO_PID, NULL_PID = 0x0000, 0x0100, 0x0101, 0x1FFF


def ts_packet(pid, cc, payload=True, discontinuity=False, tei=False,
              unit_start=False, body=b""):
    """One 188-byte TS packet (2.4.3.2), with an adaptation field only when
    a discontinuity is flagged."""
    b1 = (0x80 if tei else 0) | (0x40 if unit_start else 0) | (pid >> 8)
    afc = (0x20 if discontinuity else 0) | (0x10 if payload else 0)
    head = bytes([0x47, b1, pid & 0xFF, afc | (cc & 0x0F)])
    if discontinuity:
        head += bytes([1, 0x80])  # adaptation_field_length 1, flags
    rest = body + bytes(range(256))
    return (head + rest)[:TS].ljust(TS, b"\xff")


def pat_packet(cc):
    # pointer_field 0, then a PAT section (2.4.4.3): one program 1 -> PMT
    # PID 0x1000 (the CRC is not checked by the analyser).
    section = bytes([0x00, 0xB0, 0x0D, 0x00, 0x01, 0xC1, 0x00, 0x00,
                     0x00, 0x01, 0xF0, 0x00, 0, 0, 0, 0])
    return ts_packet(PAT_PID, cc, unit_start=True, body=b"\x00" + section)


def null_packet():
    return ts_packet(NULL_PID, 0, body=b"\xff" * TS)


def parse_faults(text, interval_ms):
    faults = {}
    pat_gaps = []
    for item in filter(None, (x.strip() for x in (text or "").split(","))):
        kind, _, where = item.partition("@")
        if kind == "pat-gap":
            start, _, ms = where.partition(":")
            n = max(1, round(float(ms) / interval_ms))
            pat_gaps.append(range(int(start), int(start) + n))
            continue
        if kind not in ("cc-skip", "repeat", "double-repeat", "discontinuity",
                        "tei", "sync", "drop"):
            raise ValueError(f"unknown fault {kind!r}")
        faults.setdefault(int(where), []).append(kind)
    return faults, pat_gaps


def build(count, faults, pat_gaps):
    """The datagrams (None for a dropped one) and the expected counts."""
    cc = {PAT_PID: 0, VIDEO_PID: 0, AUDIO_PID: 0}
    out = []
    expect = {"continuity_count_errors": 0, "duplicate_packets": 0,
              "discontinuities": 0, "transport_errors": 0,
              "sync_byte_errors": 0}
    for i in range(count):
        kinds = faults.get(i, [])

        def next_cc(pid):
            v = cc[pid]
            cc[pid] = (v + 1) & 0x0F
            return v

        pkts = []
        has_pat = i % 10 == 0 and not any(i in g for g in pat_gaps)
        pkts.append(pat_packet(next_cc(PAT_PID)) if has_pat else null_packet())
        video = []
        if "cc-skip" in kinds:
            next_cc(VIDEO_PID)
            expect["continuity_count_errors"] += 1
        if "discontinuity" in kinds:
            cc[VIDEO_PID] = (cc[VIDEO_PID] + 7) & 0x0F
            video.append(ts_packet(VIDEO_PID, next_cc(VIDEO_PID),
                                   discontinuity=True))
            expect["discontinuities"] += 1
        elif "tei" in kinds:
            video.append(ts_packet(VIDEO_PID, next_cc(VIDEO_PID), tei=True))
            expect["transport_errors"] += 1
        else:
            video.append(ts_packet(VIDEO_PID, next_cc(VIDEO_PID)))
        repeats = 2 if "double-repeat" in kinds else 1 if "repeat" in kinds else 0
        video.extend([video[0]] * repeats)
        if repeats:
            expect["duplicate_packets"] += 1
            expect["continuity_count_errors"] += repeats - 1
        while len(video) < 5:
            video.append(ts_packet(VIDEO_PID, next_cc(VIDEO_PID)))
        pkts.extend(video)
        if "sync" in kinds:
            pkts.append(b"\x00" + ts_packet(AUDIO_PID, 0)[1:])
            expect["sync_byte_errors"] += 1
        else:
            pkts.append(ts_packet(AUDIO_PID, next_cc(AUDIO_PID)))
        if "drop" in kinds:
            # Each PID's next packet shows a gap.
            expect["continuity_count_errors"] += 2 + (1 if has_pat else 0)
            out.append(None)
            continue
        out.append(b"".join(pkts))
    return out, expect


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--group", required=True)
    ap.add_argument("--port", type=int, default=5000)
    ap.add_argument("--source", default="127.0.0.1",
                    help="local address to bind and send from")
    ap.add_argument("--ttl", type=int, default=1)
    ap.add_argument("--count", type=int, default=200, help="datagrams")
    ap.add_argument("--interval-ms", type=float, default=10.0)
    ap.add_argument("--faults", default="")
    ap.add_argument("--rtp", action="store_true")
    ap.add_argument("--csrcs", type=int, default=0)
    ap.add_argument("--extension-words", type=int, default=-1)
    ap.add_argument("--dump", help="also write the datagrams to this file "
                    "in the fuzz corpus format (tests/fuzz/mpegts_analyzer_fuzz.cc)"
                    " and send nothing")
    args = ap.parse_args()
    faults, pat_gaps = parse_faults(args.faults, args.interval_ms)
    datagrams, expect = build(args.count, faults, pat_gaps)

    def wrap(i, d):
        if not args.rtp:
            return d
        b0 = 0x80 | (0x10 if args.extension_words >= 0 else 0) | args.csrcs
        head = struct.pack(">BBHII", b0, 33, i & 0xFFFF,
                           int(i * args.interval_ms * 90) & 0xFFFFFFFF, 0x5EED0001)
        head += b"\x00\x00\x00\x01" * args.csrcs
        if args.extension_words >= 0:
            head += struct.pack(">HH", 0xBEDE, args.extension_words)
            head += b"\x00" * (4 * args.extension_words)
        return head + d

    if args.dump:
        with open(args.dump, "wb") as f:
            f.write(bytes([(1 if args.rtp else 0) | (7 << 1)]))
            for i, d in enumerate(datagrams):
                if d is None:
                    continue
                d = wrap(i, d)
                f.write(bytes([1]) + struct.pack(">H", len(d)) + d)
        return

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((args.source, 0))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(args.source))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, args.ttl)
    start = time.monotonic()
    sent = 0
    for i, d in enumerate(datagrams):
        delay = start + i * args.interval_ms / 1000 - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if d is None:
            continue
        s.sendto(wrap(i, d), (args.group, args.port))
        sent += 1
    expect["pat_errors"] = 0
    # PAT gaps: the time between the PAT before and after each gap.
    pats = [i for i, d in enumerate(datagrams) if d is not None
            and i % 10 == 0 and not any(i in g for g in pat_gaps)]
    for a, b in zip(pats, pats[1:]):
        if (b - a) * args.interval_ms > 500:
            expect["pat_errors"] += 1
    summary = {"datagrams": sent, "ts_packets": 7 * sent,
               "source_port": s.getsockname()[1], "expect": expect}
    json.dump(summary, sys.stdout)
    print()


if __name__ == "__main__":
    main()
