#!/usr/bin/env python3
"""Inter-departure gaps from a nanosecond pcap taken on the sender's veth.

Usage: gaps.py FILE TARGET_PPS TOOL
Prints space-separated key=value figures: packets captured, the rate on the
wire ((n-1) / (last - first)), and |gap - 1/target| at p50, p99 and max in
microseconds. iperf2's end-of-test datagrams (negative sequence number) are
not part of the paced stream and are left out.
"""
import struct
import sys


def packets(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic == 0xA1B23C4D:
        endian, scale = "<", 1
    elif magic == 0x4D3CB2A1:
        endian, scale = ">", 1
    elif magic == 0xA1B2C3D4:
        endian, scale = "<", 1000
    else:
        raise SystemExit(f"{path}: not a pcap file")
    off = 24
    while off + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        yield sec * 1_000_000_000 + frac * scale, data[off + 16:off + 16 + caplen]
        off += 16 + caplen


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[k]


def main():
    path, target, tool = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    times = []
    for t, frame in packets(path):
        ihl = (frame[14] & 0x0F) * 4
        payload = frame[14 + ihl + 8:]
        if tool == "iperf2" and len(payload) >= 4:
            if struct.unpack(">i", payload[:4])[0] < 0:
                continue
        times.append(t)
    n = len(times)
    target_gap = 1e9 / target
    errors = sorted(abs((b - a) - target_gap) / 1e3
                    for a, b in zip(times, times[1:]))
    wire = (n - 1) * 1e9 / (times[-1] - times[0]) if n > 1 else float("nan")
    print(f"captured={n} wire_pps={wire:.3f} gap_err_p50_us={percentile(errors, 0.5):.1f}"
          f" gap_err_p99_us={percentile(errors, 0.99):.1f}"
          f" gap_err_max_us={errors[-1] if errors else float('nan'):.1f}")


if __name__ == "__main__":
    main()
