#!/usr/bin/env bash
# Join ("zap") time on the routed lab, by the sender's header timestamps
# (--clock realtime, one host clock), in both families.
#  1. (*,G) template (lab_template), cold: the routers hold no (S,G) for
#     the group; the receiver joins, the sender starts 0.5 s later. Its
#     first packet waits in each router's kernel queue while smcrouted
#     installs the (S,G) from the template: it arrives (seq 0: held, not
#     lost) with a longer transit (arrival minus header timestamp) than the
#     first packets of the later joins of the same `--zap 10` run, which
#     find the (S,G) resolved (the median of those 9 is the bound).
#     Afterwards both routers hold the (S,G), resolved.
#  2. Static (S,G) routes: the routers forward from the first packet, so a
#     join's first packet is the next one the sender sends, within one
#     packet interval (10 ms at 100 pps) plus a small bound, and it was sent
#     after its join (less the path's flight time). The exporter
#     (rejoin_interval) times its re-joins too.
# `--zap 10` leaves and re-joins 10 times; every join is answered (and on a
# group with no sender none is: each is counted as missed).
# families: 4 6
source "$(dirname "$0")/lab.sh"
require_root
require_cmd jq smcrouted smcroutectl
lab_test_up twohop
lab_family
G=$LAB_F_GROUP_SSM S=$LAB_F_SRC1 T=$LAB_F_GROUP_TEMPLATE
BOUND_MS=40   # Scheduling slack on a loaded 2-core VM.
# transit FILE: each zap sample's arrival minus its header timestamp (ns).
transit() {
  jq -c '[.zap.samples[] | .first_packet_unix_ns - .first_packet_sender_timestamp_ns]' "$1"
}

log "1. (*,G) template for $T on r1 and r2, cold"
lab_template "$T"
for r in "$LAB_R1" "$LAB_R2"; do
  expect_eq "$r: ($S,$T) before the first packet" "$(lab_mfc "$r" "$S" "$T")" ""
done
in_ns "$LAB_RCV" "$BIN/mcast-receive" "$T" -i rcv-eth0 --zap 10 --zap-interval 0.2 \
  --stall-timeout 2 --json >"$WORK/cold.json" 2>"$WORK/cold.err" &
rcv=$!
track "$rcv"
wait_joined "$LAB_RCV" "$T"
sleep 0.5
lab_send "$T" 4 64 --rate 100pps -i snd-eth0 --source "$S" --clock realtime --quiet &
snd=$!
track "$snd"
# Specific PIDs: a bare `wait` would wait for the lab's smcrouteds too.
wait "$rcv" || { cat "$WORK/cold.err" >&2; fail "mcast-receive --zap (template) failed"; }
wait "$snd" || fail "mcast-send (template) failed"
c() { jq -r "$1" "$WORK/cold.json"; }
expect_eq "template: zap answered" "$(c .zap.answered)" 10
expect_eq "template: zap missed" "$(c .zap.missed)" 0
expect_eq "template: samples" "$(c '.zap.samples | length')" 10
expect_eq "template: the cold join's first packet (held while resolving)" \
  "$(c '.zap.samples[0].first_packet_sequence')" 0
jq -e '.zap.samples[0] | .first_packet_sender_realtime and
    .first_packet_sender_timestamp_ns > .join_unix_ns' "$WORK/cold.json" >/dev/null ||
  fail "template: the cold join's first packet was not sent after the join"
cold=$(transit "$WORK/cold.json")
echo "template transits (ns), the first join cold: $cold"
jq -e '.[0] > (.[1:] | sort | .[length / 2 | floor])' <<<"$cold" >/dev/null ||
  fail "template: the cold join's first packet was not slower than the median of the warm ones"
for r in "$LAB_R1" "$LAB_R2"; do
  expect_eq "$r: ($S,$T) after" "$(lab_mfc "$r" "$S" "$T")" resolved
done

log "2. static (S,G) route for $G"
# The exporter re-joins every second (rejoin_interval): its histogram
# samples each join.
cat >"$WORK/exporter.toml" <<EOF
[[receiver]]
name = "zap"
group = "$G"
source = "$S"
interface = "rcv-eth0"
rejoin_interval = "1s"
EOF
start_exporter "$LAB_RCV" "$WORK/exporter.toml" --state-dir ''

lab_send "$G" 8 64 --rate 100pps -i snd-eth0 --source "$S" --clock realtime --quiet &
track $!
sleep 0.3
in_ns "$LAB_RCV" "$BIN/mcast-receive" "$G" "$S" -i rcv-eth0 --zap 10 \
  --zap-interval 0.2 --stall-timeout 1 --json >"$WORK/zap.json" 2>"$WORK/zap.err" ||
  { cat "$WORK/zap.err" >&2; fail "mcast-receive --zap failed"; }
z() { jq -r "$1" "$WORK/zap.json"; }
expect_eq "zap joins" "$(z .zap.joins)" 10
expect_eq "zap answered" "$(z .zap.answered)" 10
expect_eq "zap missed" "$(z .zap.missed)" 0
expect_eq "samples" "$(z '.zap.samples | length')" 10
expect_eq "join count" "$(z .join.joins)" 10
z '.zap | "min \(.min_seconds) median \(.median_seconds) p95 \(.p95_seconds) max \(.max_seconds)"'
echo "static transits (ns): $(transit "$WORK/zap.json")"
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
# The same in the text output: the Join line (the last join) and the Zap one.
in_ns "$LAB_RCV" "$BIN/mcast-receive" "$G" "$S" -i rcv-eth0 --zap 3 --zap-interval 0.1 \
  --stall-timeout 1 >"$WORK/zap.txt" 2>&1 ||
  { cat "$WORK/zap.txt" >&2; fail "mcast-receive --zap (text) failed"; }
grep -Eq '^Join     [0-9.]+ ms to the first packet \(3 joins\)$' "$WORK/zap.txt" ||
  { cat "$WORK/zap.txt" >&2; fail "text output lacks the Join line"; }
grep -Eq '^Zap      3 joins, 3 answered: min [0-9.]+ ms, median [0-9.]+ ms, p95 [0-9.]+ ms, max [0-9.]+ ms; 0 without a packet within 1 s$' \
  "$WORK/zap.txt" || { cat "$WORK/zap.txt" >&2; fail "text output lacks the Zap line"; }
# A group nobody sends to: every join waits out the stall timeout, unanswered.
in_ns "$LAB_RCV" "$BIN/mcast-receive" "$LAB_F_GROUP_ASM" -i rcv-eth0 --zap 2 --zap-interval 0.1 \
  --stall-timeout 0.3 --json >"$WORK/none.json" 2>"$WORK/none.err" ||
  { cat "$WORK/none.err" >&2; fail "mcast-receive --zap (no sender) failed"; }
expect_eq "no sender: zap answered, missed, median" \
  "$(jq -c '.zap | [.answered, .missed, .median_seconds, (.samples | map(.latency_seconds))]' "$WORK/none.json")" \
  '[0,2,null,[null,null]]'
scrape m.txt
count=$(metric m.txt mcast_rx_join_latency_seconds_count 'probe="zap"')
sum=$(metric m.txt mcast_rx_join_latency_seconds_sum 'probe="zap"')
echo "exporter: $count joins timed, sum $sum s"
((count >= 2)) || fail "exporter timed $count joins with rejoin_interval 1s"
# Its first join came before the sender started; every re-join is fast.
fast=$(metric m.txt mcast_rx_join_latency_seconds_bucket 'le="0.05"')
((fast >= count - 1)) || fail "exporter: only $fast of $count joins within 50 ms"
stop_exporter
pass "IPv$LAB_FAMILY: (*,G) template: the cold join's first packet (seq 0) was held while the routers resolved and was slower than the warm joins'; static (S,G): every re-join's first packet within one interval + ${BOUND_MS} ms"
