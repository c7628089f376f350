#!/usr/bin/env bash
# Real streams in the exporter: one receiver with decode = "rtp" and one with
# decode = "mpegts" in the same config, on a namespace's loopback. The
# injectors send a known pattern (stream_inject.py: RTP with 3 drops, a
# duplicate, a reorder and an SSRC change; ts_inject.py: TS over UDP with a
# continuity-counter skip and a legal single repeat); the scraped
# mcast_rx_stream_* series must count it exactly and pass promtool.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd jq curl python3

ns=${P}lo
topo_lo "$ns"
G1=239.255.14.11
G2=239.255.14.12
cat >"$WORK/exporter.toml" <<TOML
[exporter]
listen = "127.0.0.1:0"
[defaults]
interface = "lo"
stall_timeout = "1s"
reorder_window = "1s"
[[receiver]]
name = "rtp"
group = "$G1"
port = 5004
decode = "rtp"
rtp_clock_rate = 90000
[[receiver]]
name = "ts"
group = "$G2"
port = 5000
decode = "mpegts"
TOML
in_ns "$ns" "$BIN/mcast-exporter" --check-config "$WORK/exporter.toml" >/dev/null ||
  fail "the test config is refused"
start_exporter "$ns" "$WORK/exporter.toml"
rtp='probe="rtp",group="'$G1'",source="*",interface="lo"'
ts='probe="ts",group="'$G2'",source="*",interface="lo"'
wait_metric 5 mcast_rx_joined "$rtp" 1
wait_metric 5 mcast_rx_joined "$ts" 1
wait_metric 1 mcast_rx_stream_sources "$rtp" 0

t_before=$(date +%s.%N)
# RTP from 127.0.0.1:40000 (MoldUDP64 to port 5006 has no receiver here).
in_ns "$ns" python3 "$SRC/tests/integration/stream_inject.py" "$G1" 5004 5006 ||
  fail "RTP injector failed"
# TS over UDP: 60 datagrams of 7 packets, PAT every 10th (100 ms apart, so
# no PAT error), a CC skip in datagram 20, a legal repeat in datagram 30.
in_ns "$ns" python3 "$SRC/tests/integration/ts_inject.py" --group "$G2" \
  --port 5000 --count 60 --interval-ms 10 --faults cc-skip@20,repeat@30 \
  >"$WORK/ts.json" || fail "TS injector failed"
expect_eq "ts: injector's CC errors" "$(jq .expect.continuity_count_errors "$WORK/ts.json")" 1
expect_eq "ts: injector's duplicates" "$(jq .expect.duplicate_packets "$WORK/ts.json")" 1
expect_eq "ts: injector's datagrams" "$(jq .datagrams "$WORK/ts.json")" 60
tport=$(jq .source_port "$WORK/ts.json")
t_after=$(date +%s.%N)

r="$rtp"',sender="127.0.0.1",sender_port="40000",decoder="rtp"'
t="$ts"',sender="127.0.0.1",sender_port="'$tport'",decoder="mpegts"'
# The first run's missing numbers are lost at the SSRC change; the lost
# count is final once the reorder window (1 s) has passed.
wait_metric 5 mcast_rx_stream_lost_packets_total "$r" 3
wait_metric 1 mcast_rx_stream_packets_total "$r" 148
wait_metric 1 mcast_rx_stream_bytes_total "$r" $((148 * 184))
wait_metric 1 mcast_rx_stream_unique_packets_total "$r" 147
wait_metric 1 mcast_rx_stream_duplicate_packets_total "$r" 1
wait_metric 1 mcast_rx_stream_reordered_packets_total "$r" 1
wait_metric 1 mcast_rx_stream_late_packets_total "$r" 0
wait_metric 1 mcast_rx_stream_restarts_total "$r" 1
wait_metric 1 mcast_rx_stream_undecodable_packets_total "$r" 0
wait_metric 1 mcast_rx_stream_sources "$rtp" 1
wait_metric 1 mcast_rx_stream_evicted_sources_total "$rtp" 0
# Every datagram is still foreign to the probe engine, as before.
wait_metric 1 mcast_rx_foreign_packets_total "$rtp" 148
wait_metric 1 mcast_rx_receiver_packets_total "$rtp" 0

wait_metric 5 mcast_rx_stream_packets_total "$t" 60
wait_metric 1 mcast_rx_stream_bytes_total "$t" $((60 * 7 * 188))
wait_metric 1 mcast_rx_stream_ts_packets_total "$t" $((60 * 7))
wait_metric 1 mcast_rx_stream_ts_continuity_count_errors_total "$t" 1
wait_metric 1 mcast_rx_stream_ts_sync_byte_errors_total "$t" 0
wait_metric 1 mcast_rx_stream_ts_transport_errors_total "$t" 0
wait_metric 1 mcast_rx_stream_ts_pat_errors_total "$t" 0
# Per PID: the PAT in 6 datagrams, video 5 a datagram (the repeat is one
# of them), audio 1; the null packets in the other 54 PAT slots have no
# entry. The CC skip is on the video PID.
wait_metric 1 mcast_rx_stream_ts_pid_packets_total "$t"',pid="0"' 6
wait_metric 1 mcast_rx_stream_ts_pid_packets_total "$t"',pid="256"' 300
wait_metric 1 mcast_rx_stream_ts_pid_packets_total "$t"',pid="257"' 60
wait_metric 1 mcast_rx_stream_ts_pid_continuity_count_errors_total "$t"',pid="256"' 1
wait_metric 1 mcast_rx_stream_ts_pid_continuity_count_errors_total "$t"',pid="257"' 0
wait_metric 1 mcast_rx_stream_ts_pid_continuity_count_errors_total "$t"',pid="0"' 0
# The injectors have stopped: after stall_timeout (1 s) each source is in
# exactly one stall (the probes' rule), flagged until it sends again.
for x in "$r" "$t"; do
  wait_metric 5 mcast_rx_stream_stalled "$x" 1
  wait_metric 1 mcast_rx_stream_stalls_total "$x" 1
done
# No sequence or jitter series for TS over UDP, no TS series for RTP.
scrape final.txt
# First and last datagram times lie within the injectors' run, in order;
# the stall so far is at least stall_timeout long.
for x in "$r" "$t"; do
  first=$(metric final.txt mcast_rx_stream_first_packet_timestamp_seconds "$x")
  last=$(metric final.txt mcast_rx_stream_last_packet_timestamp_seconds "$x")
  stalled=$(metric final.txt mcast_rx_stream_stalled_seconds_total "$x")
  python3 -c "import sys; b,f,l,a,s = map(float, sys.argv[1:]); sys.exit(not (b <= f <= l <= a and s >= 1.0))" \
    "$t_before" "$first" "$last" "$t_after" "$stalled" ||
    fail "{$x}: first $first, last $last not within [$t_before, $t_after] in order, or stalled $stalled s < 1 s"
  echo "ok: {$x}: first $first <= last $last within the injectors' run, stalled $stalled s"
done
expect_eq "ts: sequence series" "$(grep -c '^mcast_rx_stream_lost_packets_total{probe="ts"' "$WORK/final.txt" || true)" 0
expect_eq "ts: jitter series" "$(grep -c '^mcast_rx_stream_jitter_seconds{probe="ts"' "$WORK/final.txt" || true)" 0
expect_eq "rtp: TS series" "$(grep -c '^mcast_rx_stream_ts_[a-z_]*{probe="rtp"' "$WORK/final.txt" || true)" 0
expect_eq "rtp: jitter series" "$(grep -c '^mcast_rx_stream_jitter_seconds{probe="rtp"' "$WORK/final.txt")" 1
expect_eq "ts: per-PID packet series" "$(grep -c '^mcast_rx_stream_ts_pid_packets_total{probe="ts"' "$WORK/final.txt")" 3
if command -v promtool >/dev/null; then
  promtool check metrics <"$WORK/final.txt" >"$WORK/promtool.txt" 2>&1 ||
    { cat "$WORK/promtool.txt"; fail "promtool check metrics failed"; }
  [[ -s "$WORK/promtool.txt" ]] && { cat "$WORK/promtool.txt"; fail "promtool complained"; }
  echo "ok: promtool check metrics is silent"
fi
stop_exporter
pass "an RTP and an MPEG-TS receiver in one exporter count their injected streams exactly"
