#!/usr/bin/env bash
# Join ("zap") time on the routed lab with static (S,G) routes: the routers
# forward from the first packet, so a join's first packet is the next one
# the sender sends: within one packet interval (10 ms at 100 pps) plus a
# small bound. `--zap 10` leaves and re-joins 10 times; every join is
# answered. Checked against the sender's header timestamps (--clock
# realtime, one host clock): each first packet was sent after its join
# (less the path's flight time) and at most one interval + bound after it.
source "$(dirname "$0")/lab.sh"
require_root
require_cmd jq smcrouted
lab_test_up twohop
G=$LAB_GROUP_SSM
BOUND_MS=40   # Scheduling slack on a loaded 2-core VM.

# The exporter re-joins every second (rejoin_interval): its histogram
# samples each join.
cat >"$WORK/exporter.toml" <<EOF
[[receiver]]
name = "zap"
group = "$G"
source = "$LAB_SRC1"
interface = "rcv-eth0"
rejoin_interval = "1s"
EOF
start_exporter "$LAB_RCV" "$WORK/exporter.toml" --state-dir ''

lab_send "$G" 8 64 --rate 100pps -i snd-eth0 --source "$LAB_SRC1" --clock realtime --quiet &
track $!
sleep 0.3
in_ns "$LAB_RCV" "$BIN/mcast-receive" "$G" "$LAB_SRC1" -i rcv-eth0 --zap 10 \
  --zap-interval 0.2 --stall-timeout 1 --json >"$WORK/zap.json" 2>"$WORK/zap.err" ||
  { cat "$WORK/zap.err" >&2; fail "mcast-receive --zap failed"; }
z() { jq -r "$1" "$WORK/zap.json"; }
expect_eq "zap joins" "$(z .zap.joins)" 10
expect_eq "zap answered" "$(z .zap.answered)" 10
expect_eq "zap missed" "$(z .zap.missed)" 0
expect_eq "samples" "$(z '.zap.samples | length')" 10
expect_eq "join count" "$(z .join.joins)" 10
z '.zap | "min \(.min_seconds) median \(.median_seconds) p95 \(.p95_seconds) max \(.max_seconds)"'
limit_ns=$(((10 + BOUND_MS) * 1000000))
jq -e --argjson limit "$limit_ns" '[.zap.samples[] |
    (.first_packet_unix_ns - .join_unix_ns) <= $limit and
    .first_packet_sender_realtime and
    (.first_packet_sender_timestamp_ns - .join_unix_ns) > -5000000 and
    (.first_packet_sender_timestamp_ns - .join_unix_ns) <= $limit and
    .first_packet_unix_ns >= .first_packet_sender_timestamp_ns] | all' \
  "$WORK/zap.json" >/dev/null ||
  { jq .zap.samples "$WORK/zap.json" >&2; fail "a join's first packet is outside one interval + ${BOUND_MS} ms"; }
jq -e '.zap.max_seconds <= 0.05 and .zap.min_seconds <= .zap.median_seconds and
       .zap.median_seconds <= .zap.p95_seconds and .zap.p95_seconds <= .zap.max_seconds' \
  "$WORK/zap.json" >/dev/null || fail "summary out of order or too slow"
scrape m.txt
count=$(metric m.txt mcast_rx_join_latency_seconds_count 'probe="zap"')
sum=$(metric m.txt mcast_rx_join_latency_seconds_sum 'probe="zap"')
echo "exporter: $count joins timed, sum $sum s"
((count >= 2)) || fail "exporter timed $count joins with rejoin_interval 1s"
# Its first join came before the sender started; every re-join is fast.
fast=$(metric m.txt mcast_rx_join_latency_seconds_bucket 'le="0.05"')
((fast >= count - 1)) || fail "exporter: only $fast of $count joins within 50 ms"
stop_exporter
pass "static (S,G): every re-join gets its first packet within one interval + ${BOUND_MS} ms"
