#!/usr/bin/env bash
# Issue 10 #3: a flood of forged sender ids (300 addresses, one packet each,
# more than the default max_senders = 256) against a real flow with exact
# loss. Every counter in every scrape must only grow, the real flow keeps
# exact counts and no restart, evictions and receiver totals are exported
# and exact, and the forged series leave /metrics after sender_expiry.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd nft curl python3

tx=${P}tx
rx=${P}rx
topo_pair "$tx" "$rx" 10.95.0
# 300 forged source addresses on the sender's side; the receiver must not
# drop them for want of a route back.
for i in $(seq 0 299); do
  echo "addr add 10.96.$((i / 250)).$((i % 250 + 1))/32 dev ${P}a"
done | ip -n "$tx" -batch -
in_ns "$rx" sysctl -qw net.ipv4.conf.all.rp_filter=0 "net.ipv4.conf.${P}b.rp_filter=0"
# Exact loss of the real flow only: every 10th of its packets.
in_ns "$rx" nft -f - <<NFT
table inet impair {
  chain pre {
    type filter hook prerouting priority -300;
    ip saddr 10.95.0.1 ip daddr 239.10.0.1 udp dport 19779 numgen inc mod 10 == 5 counter drop
  }
}
NFT
cat >"$WORK/exporter.toml" <<TOML
[exporter]
listen = "127.0.0.1:0"
[[receiver]]
name = "flood"
group = "239.10.0.1"
interface = "${P}b"
stall_timeout = "1s"
reorder_window = "1s"
sender_expiry = "4s"
TOML
cat >"$WORK/flood.py" <<'PY'
import socket, struct, sys, time
HEADER = struct.Struct(">4sBBBBIQQI")
group, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    src = "10.96.%d.%d" % (i // 250, i % 250 + 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(src))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 64)
    h = HEADER.pack(b"MCAS", 1, 0, 64, 0, 0x10000000 + i, 5, time.monotonic_ns(), 10000)
    s.sendto(h + bytes([0xA5]) * (200 - HEADER.size), (group, 19779))
    s.close()
PY
start_exporter "$rx" "$WORK/exporter.toml"
l='probe="flood",group="239.10.0.1",source="*",interface="'${P}b'"'
s=',sender="10.95.0.1"'
wait_metric 5 mcast_rx_joined "$l" 1

# Scrape all along, every counter of every scrape is checked at the end.
(
  i=0
  while :; do
    in_ns "$rx" curl -sf "$EXPORTER_URL" >"$WORK/scrapes.$((i++)).txt" || true
    sleep 0.1
  done
) &
track $!
SCRAPER=$!

log "real flow: 1000 packets at 100 pps, every 10th dropped"
in_ns "$tx" "$BIN/mcast-send" 239.10.0.1 10 64 --rate 100pps -i "${P}a" --quiet &
SENDER=$!
track $SENDER
end=$((SECONDS + 5))
until scrape poll.txt; (($(metric poll.txt mcast_rx_packets_total "$l$s" | cut -d. -f1) + 0 >= 90)); do
  ((SECONDS < end)) || fail "the real flow did not start"
  sleep 0.1
done

log "flood: 300 forged ids from 300 addresses, one packet each"
in_ns "$tx" python3 "$WORK/flood.py" 239.10.0.1 300
# 301 runs into a table of 256: 45 evicted, never the real flow's.
wait_metric 3 mcast_rx_evicted_runs_total "$l" 45
wait_metric 1 mcast_rx_evicted_senders_total "$l" 0
wait_metric 1 mcast_rx_sender_restarts_total "$l$s" 0
wait_metric 1 mcast_rx_senders "$l" 301
scrape flood.txt
forged=$(grep -c '^mcast_rx_packets_total{.*sender="10\.96\.' "$WORK/flood.txt")
((forged == 300)) || fail "expected 300 forged series during the flood, got $forged"
# Receiver totals are the sum over the senders, in one scrape.
real=$(metric flood.txt mcast_rx_packets_total "$l$s")
total=$(metric flood.txt mcast_rx_receiver_packets_total "$l")
((total == real + 300)) || fail "receiver packets $total, expected $real + 300"
echo "ok: receiver packets $total = real $real + 300 forged"

log "forged series expire after sender_expiry (4 s); the real flow stays"
wait_metric 8 mcast_rx_expired_senders_total "$l" 300
wait_metric 1 mcast_rx_senders "$l" 1
scrape expired.txt
grep -q 'sender="10\.96\.' "$WORK/expired.txt" && fail "forged series still in /metrics"

wait "$SENDER" || fail "mcast-send failed"
log "the real flow's counts are exact, and so are the receiver totals"
wait_metric 3 mcast_rx_lost_packets_total "$l$s" 100
wait_metric 1 mcast_rx_packets_total "$l$s" 900
wait_metric 1 mcast_rx_unique_packets_total "$l$s" 900
wait_metric 1 mcast_rx_bytes_total "$l$s" $((900 * 200))
wait_metric 1 mcast_rx_sender_restarts_total "$l$s" 0
wait_metric 1 mcast_rx_receiver_packets_total "$l" 1200
wait_metric 1 mcast_rx_receiver_unique_packets_total "$l" 1200
wait_metric 1 mcast_rx_receiver_lost_packets_total "$l" 100
wait_metric 1 mcast_rx_receiver_bytes_total "$l" $((1200 * 200))
wait_metric 1 mcast_rx_receiver_sender_restarts_total "$l" 0
wait_metric 1 mcast_rx_evicted_runs_total "$l" 45
kill "$SCRAPER"
wait "$SCRAPER" 2>/dev/null || true

log "no counter went down between any two scrapes"
python3 - "$WORK" <<'PY' || fail "a counter went down"
import glob, os, re, sys
files = sorted(glob.glob(os.path.join(sys.argv[1], "scrapes.*.txt")),
               key=lambda f: int(f.split(".")[-2]))
last, counters, bad, seen = {}, set(), 0, 0
for f in files:
    text = open(f).read()
    if not text:
        continue
    seen += 1
    for m in re.finditer(r"^# TYPE (\S+) counter$", text, re.M):
        counters.add(m.group(1))
    cur = {}
    for line in text.splitlines():
        if line.startswith("#") or not line:
            continue
        key, value = line.rsplit(" ", 1)
        if key.split("{")[0] in counters:
            cur[key] = float(value)
    for key, v in cur.items():
        if key in last and v < last[key]:
            print(f"{os.path.basename(f)}: {key} went down {last[key]} -> {v}")
            bad += 1
    last = cur
print(f"{seen} scrapes checked, {len(counters)} counter families")
sys.exit(1 if bad or seen < 20 else 0)
PY
kill -TERM "$EXPORTER_PID"
wait "$EXPORTER_PID" || fail "exporter exited non-zero on SIGTERM"
pass "forged-id flood: real flow exact and monotonic, evictions and totals exported, forged series expired"
