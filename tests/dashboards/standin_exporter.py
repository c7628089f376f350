#!/usr/bin/env python3
"""A stand-in for mcast-exporter's /metrics, for prometheus_e2e_test.sh.

Serves, on ADDRESS:PORT/metrics, the metric families of
src/exporter/metric_families.cc (same names, types and labels) for four
receiver probes on lo, with counters that grow with time as a 100 pps flow
would make them:
  healthy   239.255.1.1  receiving, no loss, EF sent and received
  stalled   239.255.1.2  receiving, then stalled from --stall-after seconds
  remarked  239.255.1.3  receiving, sent EF (46), received CS1 (8)
  lossy     239.255.1.4  receiving, 3 % of the packets lost
plus their four sender probes, the lo interface and the exporter's own
series. It proves the Prometheus side (rules, alerts, dashboard queries)
while the real exporter is not built; the e2e test prefers the real one.

  standin_exporter.py ADDRESS PORT [--stall-after SECONDS]
"""
import http.server
import sys
import time

PPS = 100.0
SIZE = 200
START = time.time()
STALL_AFTER = 4.0
VERSION = "0.1.0-standin"

# name, group, sent dscp, received dscp, loss fraction, realtime clock
FLOWS = [
    ("healthy", "239.255.1.1", 46, 46, 0.0, True),
    ("stalled", "239.255.1.2", 46, 46, 0.0, False),
    ("remarked", "239.255.1.3", 46, 8, 0.0, False),
    ("lossy", "239.255.1.4", 46, 46, 0.03, False),
]
DELAY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                 0.05, 0.1, 0.25, 0.5, 1.0]


class Families:
    """Exposition text, grouped by family, in first-use order (as
    prometheus-cpp writes it)."""

    def __init__(self):
        self.order, self.meta, self.lines = [], {}, {}

    def add(self, name, kind, help_text, labels, value, suffix=""):
        if name not in self.meta:
            self.order.append(name)
            self.meta[name] = (kind, help_text)
            self.lines[name] = []
        lab = ",".join(f'{k}="{v}"' for k, v in labels)
        self.lines[name].append(f"{name}{suffix}{{{lab}}} {value}")

    def text(self):
        out = []
        for name in self.order:
            kind, help_text = self.meta[name]
            out.append(f"# HELP {name} {help_text}")
            out.append(f"# TYPE {name} {kind}")
            out.extend(self.lines[name])
        return "\n".join(out) + "\n"


def render(now):
    t = now - START
    f = Families()
    f.add("mcast_exporter_build_info", "gauge", "Always 1; the version label names the running build.",
          [("version", VERSION)], 1)
    f.add("mcast_exporter_config_last_reload_successful", "gauge",
          "1 when the last configuration load or reload succeeded.", [], 1)
    f.add("mcast_exporter_config_last_reload_success_timestamp_seconds", "gauge",
          "Unix time of the last successful configuration load.", [], f"{START:.3f}")
    f.add("mcast_interface_up", "gauge", "1 when an interface used by a probe is up.",
          [("interface", "lo")], 1)
    for name, group, sent, recv, loss, realtime in FLOWS:
        probe = [("probe", name), ("group", group), ("source", "*"), ("interface", "lo")]
        stalled_at = STALL_AFTER if name == "stalled" else None
        active = t if stalled_at is None else min(t, stalled_at)
        stalled = stalled_at is not None and t > stalled_at + 1.0  # stall_timeout 1s
        state = "stalled" if stalled else "receiving"
        sent_pkts = int(active * PPS)
        lost = int(sent_pkts * loss)
        unique = sent_pkts - lost
        for s in ("waiting", "receiving", "stalled"):
            f.add("mcast_rx_state", "gauge", "Receiver flow state.", probe + [("state", s)],
                  1 if s == state else 0)
        f.add("mcast_rx_stalls_total", "counter", "Stalls.", probe, 1 if stalled else 0)
        f.add("mcast_rx_stalled_seconds_total", "counter", "Time spent in stalls.", probe,
              f"{max(0.0, t - stalled_at) if stalled else 0.0:.3f}")
        f.add("mcast_rx_foreign_packets_total", "counter", "Foreign datagrams.", probe, 0)
        f.add("mcast_rx_socket_drops_total", "counter", "Socket buffer drops.", probe, 0)
        f.add("mcast_rx_joined", "gauge", "Membership present.", probe, 1)
        f.add("mcast_rx_igmp_version", "gauge", "IGMP version in effect.", probe, 3)
        f.add("mcast_rx_last_packet_timestamp_seconds", "gauge", "Last valid packet.", probe,
              f"{START + active:.3f}")
        f.add("mcast_rx_senders", "gauge", "Senders tracked.", probe, 1)
        l = probe + [("sender", "127.0.0.1")]
        f.add("mcast_rx_packets_total", "counter", "Valid probe packets received.", l, unique)
        f.add("mcast_rx_bytes_total", "counter", "UDP payload bytes.", l, unique * SIZE)
        f.add("mcast_rx_unique_packets_total", "counter", "First copies.", l, unique)
        f.add("mcast_rx_lost_packets_total", "counter", "Lost.", l, lost)
        f.add("mcast_rx_pending_packets", "gauge", "Pending.", l, 0)
        f.add("mcast_rx_duplicate_packets_total", "counter", "Duplicates.", l, 0)
        f.add("mcast_rx_reordered_packets_total", "counter", "Reordered.", l, 0)
        f.add("mcast_rx_reorder_extent_max", "gauge", "Reorder extent.", l, 0)
        f.add("mcast_rx_late_packets_total", "counter", "Late.", l, 0)
        f.add("mcast_rx_dscp_remarked_packets_total", "counter", "Remarked.", l,
              unique if recv != sent else 0)
        f.add("mcast_rx_hop_changes_total", "counter", "Hop changes.", l, 0)
        f.add("mcast_rx_sender_restarts_total", "counter", "Restarts.", l, 0)
        f.add("mcast_rx_ttl", "gauge", "TTL received.", l, 1)
        f.add("mcast_rx_hops", "gauge", "Hops.", l, 0)
        f.add("mcast_rx_sender_ttl", "gauge", "TTL sent.", l, 1)
        f.add("mcast_rx_dscp", "gauge", "DSCP received.", l, recv)
        f.add("mcast_rx_dscp_remarked", "gauge", "Last packet remarked.", l, 1 if recv != sent else 0)
        f.add("mcast_rx_sender_dscp", "gauge", "DSCP sent.", l, sent)
        f.add("mcast_rx_jitter_seconds", "gauge", "Jitter.", l, "0.000012")
        if realtime:
            n = unique
            for b in DELAY_BUCKETS:
                f.add("mcast_rx_one_way_delay_seconds", "histogram", "One-way delay.",
                      l + [("le", repr(b))], n if b > 0.00025 else int(n * (0.5 if b < 0.00025 else 0.9)),
                      "_bucket")
            f.add("mcast_rx_one_way_delay_seconds", "histogram", "One-way delay.",
                  l + [("le", "+Inf")], n, "_bucket")
            f.add("mcast_rx_one_way_delay_seconds", "histogram", "One-way delay.", l, n, "_count")
            f.add("mcast_rx_one_way_delay_seconds", "histogram", "One-way delay.", l,
                  f"{n * 0.00005:.6f}", "_sum")
    for name, group, sent, _, _, _ in FLOWS:
        l = [("probe", name + "-tx"), ("group", group), ("interface", "lo")]
        pkts = int(t * PPS)
        f.add("mcast_tx_packets_total", "counter", "Probe packets sent.", l, pkts)
        f.add("mcast_tx_bytes_total", "counter", "UDP payload bytes sent.", l, pkts * SIZE)
        f.add("mcast_tx_errors_total", "counter", "Send errors.", l, 0)
        f.add("mcast_tx_target_packets_per_second", "gauge", "Configured send rate.", l, PPS)
        f.add("mcast_tx_ttl", "gauge", "TTL the sender sets.", l, 1)
        f.add("mcast_tx_dscp", "gauge", "DSCP the sender sets.", l, sent)
    return f.text()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.split("?")[0] != "/metrics":
            self.send_error(404)
            return
        body = render(time.time()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main(argv):
    global STALL_AFTER
    if len(argv) not in (3, 5):
        print(__doc__, file=sys.stderr)
        return 2
    if len(argv) == 5 and argv[3] == "--stall-after":
        STALL_AFTER = float(argv[4])
    http.server.HTTPServer((argv[1], int(argv[2])), Handler).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
