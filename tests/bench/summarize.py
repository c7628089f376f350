#!/usr/bin/env python3
"""Markdown tables from bench_send_receive.sh raw rows.

Every cell is the median over the repetitions, with the min-max spread in
brackets when there is more than one.
"""
import collections
import statistics
import sys

NAMES = {"mcast": "mcast-tools", "base": "mcast-tools (base)", "iperf2": "iperf2"}


def load(path):
    rows = collections.defaultdict(list)
    order = []
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            section, tool, rate = parts[0], parts[1], float(parts[2])
            fields = dict(p.split("=", 1) for p in parts[4:] if "=" in p)
            fields["rep"] = parts[3]
            key = (section, tool, rate)
            if key not in rows:
                order.append(key)
            rows[key].append(fields)
    return rows, order


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def cell(values, fmt="{:.0f}"):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    med = fmt.format(statistics.median(values))
    if len(values) == 1:
        return med
    return f"{med} [{fmt.format(min(values))}-{fmt.format(max(values))}]"


def col(fields, key, f=lambda x: x):
    out = []
    for r in fields:
        v = num(r.get(key))
        out.append(None if v is None else f(v))
    return out


def main():
    rows, order = load(sys.argv[1])
    tools = []
    for _, tool, _ in order:
        if tool not in tools:
            tools.append(tool)
    n = len({f["rep"] for v in rows.values() for f in v})
    print(f"Median of {n} runs, [min-max] in brackets.\n")

    send = [(t, rows[("send", t, 1e6)]) for t in tools if ("send", t, 1e6) in rows]
    if send:
        print("### Send alone (1M pps offered, no receiver), 200-byte datagrams\n")
        print("| tool | packets/s sent |")
        print("|---|---|")
        for t, r in send:
            print(f"| {NAMES.get(t, t)} | {cell(col(r, 'achieved'))} |")
        print()

    maxes = [(t, rate, r) for (s, t, rate), r in rows.items() if s == "max"]
    if maxes:
        by_tool = collections.defaultdict(list)
        for t, rate, r in maxes:
            for f in r:
                by_tool[t].append((rate, num(f.get("achieved"))))
        print("### Highest offered rate with 0 loss and 0 socket drops, 200-byte datagrams\n")
        print("| tool | offered pps | sent pps at that rate |")
        print("|---|---|---|")
        for t in tools:
            if t in by_tool:
                v = by_tool[t]
                print(f"| {NAMES.get(t, t)} | {cell([x[0] for x in v])} |"
                      f" {cell([x[1] for x in v])} |")
        print()

    rates = sorted({rate for (s, _, rate) in rows if s == "pacing"})
    if rates:
        print("### Pacing accuracy\n")
        print("Sender = the tool's own figure; wire = (n-1)/(last-first) from the capture on the"
              " sender's veth; gap error = |gap - 1/target| between consecutive departures.\n")
        print("| target pps | tool | sender pps (error) | wire pps error | received / sent |"
              " gap error p50 µs | p99 µs | max µs |")
        print("|---|---|---|---|---|---|---|---|")
        for rate in rates:
            for t in tools:
                r = rows.get(("pacing", t, rate))
                if not r:
                    continue
                pct = lambda v: (v / rate - 1) * 100
                ach = col(r, "achieved")
                recv = [f"{f.get('received')}/{f.get('sent')}" for f in r]
                print(f"| {rate:g} | {NAMES.get(t, t)} | {cell(ach, '{:.2f}')}"
                      f" ({cell([pct(a) for a in ach if a is not None], '{:+.3f}')} %) |"
                      f" {cell(col(r, 'wire_pps', pct), '{:+.3f}')} % |"
                      f" {', '.join(recv)} |"
                      f" {cell(col(r, 'gap_err_p50_us'), '{:.1f}')} |"
                      f" {cell(col(r, 'gap_err_p99_us'), '{:.1f}')} |"
                      f" {cell(col(r, 'gap_err_max_us'), '{:.0f}')} |")
        print()

    rates = sorted({rate for (s, _, rate) in rows if s == "cost"})
    if rates:
        print("### Sender cost: CPU seconds for a 5 s run, receiver running, no capture\n")
        print("| target pps | tool | sender pps (error) | received / sent | socket drops |"
              " sender CPU s (user+sys) |")
        print("|---|---|---|---|---|---|")
        for rate in rates:
            for t in tools:
                r = rows.get(("cost", t, rate))
                if not r:
                    continue
                ach = col(r, "achieved")
                cpu = [num(f.get("user")) + num(f.get("sys"))
                       if num(f.get("user")) is not None and num(f.get("sys")) is not None
                       else None for f in r]
                recv = [f"{f.get('received')}/{f.get('sent')}" for f in r]
                print(f"| {rate:g} | {NAMES.get(t, t)} | {cell(ach, '{:.0f}')}"
                      f" ({cell([(a / rate - 1) * 100 for a in ach if a is not None], '{:+.2f}')} %) |"
                      f" {', '.join(recv)} | {', '.join(f.get('drops', '') for f in r)} |"
                      f" {cell(cpu, '{:.2f}')} |")
        print()


if __name__ == "__main__":
    main()
