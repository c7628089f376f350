#!/usr/bin/env python3
"""Every flow's pacing on the wire, from a nanosecond pcap of many flows.

Usage: per_flow_rate.py FILE TARGET_PPS
A flow is a destination address (one group per sender). Per flow:
  wire rate      (n - 1) / (last - first), like gaps.py's: one late first
                 or last packet moves it by lateness / capture length;
  schedule rate  the slope of the on-time packets: offset(k) = t(k) -
                 seq(k) / target is the packet's lateness plus a constant,
                 so the least offset of the first and of the last fifth of
                 the capture give the rate the deadlines keep, whatever the
                 scheduling noise of the packets in between;
  lateness       offset(k) - least offset of the flow.
The sequence number is the probe header's (UDP payload offset 12), so a
packet missing from the capture moves nothing.
Prints space-separated key=value figures: flows (with at least 10 packets),
packets, the median and largest |wire rate error| and |schedule rate error|
in percent, and the lateness p99 and max in ms over all packets.
"""
import statistics
import struct
import sys

# Where the IPv4 header starts, per pcap link type.
IP_OFFSET = {1: 14, 113: 16, 276: 20, 101: 0}


def packets(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic == 0xA1B23C4D:
        endian, scale = "<", 1
    elif magic == 0xA1B2C3D4:
        endian, scale = "<", 1000
    else:
        raise SystemExit(f"{path}: not a little-endian pcap file")
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    ip = IP_OFFSET.get(linktype)
    if ip is None:
        raise SystemExit(f"{path}: link type {linktype} not handled")
    off = 24
    while off + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        frame = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        if len(frame) < ip + 20 or frame[ip] >> 4 != 4:
            continue
        payload = ip + (frame[ip] & 0xF) * 4 + 8
        if len(frame) < payload + 20 or frame[payload:payload + 4] != b"MCAS":
            continue
        seq = struct.unpack(">Q", frame[payload + 12:payload + 20])[0]
        yield sec * 1_000_000_000 + frac * scale, frame[ip + 16:ip + 20], seq


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main():
    path, target = sys.argv[1], float(sys.argv[2])
    interval = 1e9 / target
    flows = {}
    for t, dst, seq in packets(path):
        flows.setdefault(dst, []).append((t, seq))
    wire, schedule, late = [], [], []
    count = 0
    for pkts in flows.values():
        count += len(pkts)
        if len(pkts) < 10:
            continue
        (t0, s0), (t1, s1) = pkts[0], pkts[-1]
        wire.append(abs((s1 - s0) * 1e9 / (t1 - t0) / target - 1) * 100)
        offsets = [(t - seq * interval, seq) for t, seq in pkts]
        fifth = len(offsets) // 5
        a = min(offsets[:fifth])
        b = min(offsets[-fifth:])
        # Offsets grow by interval * error per packet.
        schedule.append(abs((b[0] - a[0]) / ((b[1] - a[1]) * interval)) * 100)
        least = min(o for o, _ in offsets)
        late.extend((o - least) / 1e6 for o, _ in offsets)
    if not wire:
        print("flows=0")
        return
    print(f"flows={len(wire)} packets={count} "
          f"wire_err_pct_median={statistics.median(wire):.4f} "
          f"wire_err_pct_max={max(wire):.4f} "
          f"schedule_err_pct_median={statistics.median(schedule):.4f} "
          f"schedule_err_pct_max={max(schedule):.4f} "
          f"late_ms_p99={percentile(late, 0.99):.2f} late_ms_max={max(late):.2f}")


if __name__ == "__main__":
    main()
