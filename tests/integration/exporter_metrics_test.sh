#!/usr/bin/env bash
# mcast-exporter in a receiver namespace, senders in another (veth). The
# scraped /metrics must follow injected loss (nftables drops every 10th
# packet), a DSCP remark, a stall (sender ends) and a restart (new sender
# process), and pass `promtool check metrics`.
# families: 4 6
source "$(dirname "$0")/lib.sh"
require_root
require_cmd jq nft curl

tx=${P}tx
rx=${P}rx
topo_pair "$tx" "$rx" 10.95.0
G1=$(by_family 239.10.0.1 ff3e::10:0:1)
G2=$(by_family 239.10.0.2 ff3e::10:0:2)
in_ns "$rx" nft -f - <<NFT
table $NFT_TABLE impair {
  chain pre {
    type filter hook prerouting priority -300;
    $NFT_IP daddr $G1 udp dport 19779 numgen inc mod 10 == 5 counter drop
    $NFT_IP daddr $G2 udp dport 19779 $NFT_IP dscp set cs1
  }
}
NFT
cat >"$WORK/exporter.toml" <<TOML
[exporter]
listen = "127.0.0.1:0"
[defaults]
interface = "${P}b"
stall_timeout = "1s"
reorder_window = "1s"
[[receiver]]
name = "lossy"
group = "$G1"
[[receiver]]
name = "remarked"
group = "$G2"
TOML
start_exporter "$rx" "$WORK/exporter.toml"
lossy='probe="lossy",group="'$G1'",source="*",interface="'${P}b'"'
remarked='probe="remarked"'
wait_metric 5 mcast_rx_joined "$lossy" 1
wait_metric 5 mcast_rx_state "$lossy,state=\"waiting\"" 1

send() { in_ns "$tx" "$BIN/mcast-send" "$@" -i "${P}a" --quiet; }
send "$G1" 1 64 --rate 1000pps
send "$G2" 1 --rate 200pps --dscp ef
s=',sender="'$(fam_addr 10.95.0.1)'"'
wait_metric 5 mcast_rx_lost_packets_total "$lossy$s" 100
wait_metric 1 mcast_rx_packets_total "$lossy$s" 900
expect_eq "nft dropped" "$(nft_counter "$rx" impair pre)" 100
wait_metric 1 mcast_rx_unique_packets_total "$lossy$s" 900
wait_metric 1 mcast_rx_duplicate_packets_total "$lossy$s" 0
wait_metric 1 mcast_rx_reordered_packets_total "$lossy$s" 0
wait_metric 1 mcast_rx_ttl "$lossy$s" 64
wait_metric 1 mcast_rx_hops "$lossy$s" 0
wait_metric 1 mcast_rx_dscp_remarked_packets_total "$remarked" 200
wait_metric 1 mcast_rx_dscp "$remarked" 8
wait_metric 1 mcast_rx_sender_dscp "$remarked" 46
wait_metric 1 mcast_rx_dscp_remarked "$remarked" 1

log "stall: the sender has finished"
wait_metric 3 mcast_rx_state "$lossy,state=\"stalled\"" 1
wait_metric 1 mcast_rx_stalls_total "$lossy" 1

log "restart: a new sender process on the same address"
send "$G1" 1 64 --rate 1000pps
wait_metric 3 mcast_rx_sender_restarts_total "$lossy$s" 1
wait_metric 5 mcast_rx_lost_packets_total "$lossy$s" 200
wait_metric 1 mcast_rx_packets_total "$lossy$s" 1800
wait_metric 3 mcast_rx_stalls_total "$lossy" 2

scrape final.txt
grep -q 'sender_id' "$WORK/final.txt" && fail "sender id leaked into labels"
if command -v promtool >/dev/null; then
  promtool check metrics <"$WORK/final.txt" >"$WORK/promtool.txt" 2>&1 ||
    { cat "$WORK/promtool.txt"; fail "promtool check metrics failed"; }
  [[ -s "$WORK/promtool.txt" ]] && { cat "$WORK/promtool.txt"; fail "promtool complained"; }
  echo "ok: promtool check metrics is silent"
fi
kill -TERM "$EXPORTER_PID"
t0=$SECONDS
wait "$EXPORTER_PID" || fail "exporter exited non-zero on SIGTERM"
((SECONDS - t0 <= 1)) || fail "shutdown took more than 1 s"
pass "exporter metrics follow injected loss, remark, stall and restart ($(by_family IPv4 IPv6))"
