#!/usr/bin/env bash
# Link events: one exporter sends (tx namespace), another receives (rx
# namespace). The link goes down and up, then is deleted and re-created
# with new indexes: the receiver re-joins and counts again, the sender
# resumes, and neither service is restarted. Each re-join (link back,
# interface re-created) is timed: the join latency histogram's count grows
# by exactly one each time. An mcast-receive on the same interface follows
# the same way: 3 joins, each answered by a packet.
# families: 4 6
source "$(dirname "$0")/lib.sh"
require_root
require_cmd curl

tx=${P}tx
rx=${P}rx
topo_pair "$tx" "$rx" 10.94.0
G=$(by_family 239.11.0.1 ff15::11:0:1)
cat >"$WORK/tx.toml" <<TOML
[exporter]
listen = "127.0.0.1:0"
[[sender]]
name = "tx"
group = "$G"
interface = "${P}a"
rate = "200pps"
TOML
cat >"$WORK/rx.toml" <<TOML
[exporter]
listen = "127.0.0.1:0"
[[receiver]]
name = "rx"
group = "$G"
interface = "${P}b"
stall_timeout = "1s"
TOML
ip netns exec "$tx" "$BIN/mcast-exporter" --config "$WORK/tx.toml" 2>"$WORK/tx.log" &
track $!
start_exporter "$rx" "$WORK/rx.toml"
l='probe="rx"'
start_receiver cli "$rx" "$G" -i "${P}b"

packets() { scrape p.txt; metric p.txt mcast_rx_packets_total "$l"; }
wait_growing() {  # the receive counter grows by at least 100 within 5 s
  local before after end=$((SECONDS + 5))
  before=$(packets); before=${before:-0}
  while :; do
    after=$(packets); after=${after:-0}
    ((after >= before + 100)) && { echo "ok: receiving again ($before -> $after)"; return 0; }
    ((SECONDS < end)) || { cat "$WORK/exporter.log"; fail "$1: packets stuck at $after"; }
    sleep 0.2
  done
}

# joins_timed: answered joins so far (mcast_rx_join_latency_seconds_count).
joins_timed() { scrape j.txt; metric j.txt mcast_rx_join_latency_seconds_count "$l"; }
wait_metric 5 mcast_rx_joined "$l" 1
wait_growing "start"
wait_metric 1 mcast_interface_up "interface=\"${P}b\"" 1
joins=$(joins_timed)
expect_eq "joins timed at start" "$joins" 1

log "link down"
ip -n "$rx" link set "${P}b" down
wait_metric 5 mcast_interface_up "interface=\"${P}b\"" 0
wait_metric 5 mcast_rx_state "state=\"stalled\"" 1
log "link up"
ip -n "$rx" link set "${P}b" up
wait_metric 5 mcast_interface_up "interface=\"${P}b\"" 1
wait_growing "after link up"
wait_metric 5 mcast_rx_joined "$l" 1
wait_metric 1 mcast_rx_state "state=\"receiving\"" 1
expect_eq "joins timed after link up (one re-join)" "$(joins_timed)" $((joins + 1))
joins=$((joins + 1))

log "delete and re-create the veth pair (new indexes)"
old_index=$(ip -n "$rx" -o link show "${P}b" | cut -d: -f1)
ip -n "$rx" link del "${P}b"
wait_metric 5 mcast_interface_up "interface=\"${P}b\"" 0
wait_metric 5 mcast_rx_state "state=\"stalled\"" 1
veth_pair "$tx" "${P}a" 10.94.0.1 "$rx" "${P}b" 10.94.0.2
new_index=$(ip -n "$rx" -o link show "${P}b" | cut -d: -f1)
[[ "$old_index" != "$new_index" ]] || fail "the interface kept its index $old_index"
echo "ok: ${P}b index $old_index -> $new_index"
wait_metric 5 mcast_rx_joined "$l" 1
wait_for 5 _joined_more "$rx" "$G" 1 ||
  fail "the kernel lists $(group_users "$rx" "$G") joins of $G after re-creation, not 2 (exporter, mcast-receive)"
wait_growing "after re-creation"
wait_metric 1 mcast_rx_sender_restarts_total "$l" 0
expect_eq "joins timed after re-creation (one re-join)" "$(joins_timed)" $((joins + 1))
sleep 0.5  # mcast-receive's first packet after its re-join.
stop_receiver cli
expect_eq "mcast-receive: joins" "$(rx cli .join.joins)" 3
expect_eq "mcast-receive: joins answered" "$(rx cli .join.answered)" 3
grep -q "interface ${P}b (index $new_index) added" "$WORK/exporter.log" ||
  { cat "$WORK/exporter.log"; fail "no log line for the re-created interface"; }
kill -0 "$EXPORTER_PID" || fail "receiver exporter died"
pass "probes (exporter and mcast-receive) survive link down/up and interface re-creation, each re-join timed ($(by_family IPv4 IPv6))"
