#!/usr/bin/env bash
# Issue 10, defects 1 and 2, with the real binaries: a real flow with known
# drops plus forged datagrams with the same source address and sender id
# (sequence +2^63, +2^62, -2^62, timestamps 2^63 off), on one namespace's
# loopback. mcast-receive must stay responsive (exit on SIGINT and at the
# end of --duration) and mcast-exporter must keep answering /metrics and
# exit on SIGTERM; both must report exactly the real drops. On main the
# first forged packet made both spin at 100 % CPU, ignoring signals.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd jq curl python3

# A spinning binary ignores SIGINT/SIGTERM; lib.sh's teardown kills what is
# still running 5 s after its SIGTERM, so a failure here cannot hang it.
SCRAPE_MAX_TIME=3

ns=${P}hs
topo_lo "$ns"
INJECT="$(dirname "$0")/hostile_inject.py"
# 300 numbers, 30 of them (n % 10 == 3) dropped, 4 forged datagrams.
inject() {
  in_ns "$ns" python3 "$INJECT" --group "$1" --source 127.0.0.1 --count 300 \
    --interval-ms 2 --drop-every 10 --forge 100:+2**63 --forge 150:+2**62 \
    --forge 200:-2**62 --forge 250:+2**63
}
check_json() {  # NAME
  expect_eq "$1 senders" "$(rx "$1" '.senders | length')" 1
  expect_eq "$1 lost" "$(rx "$1" '.totals.lost')" 30
  expect_eq "$1 unique" "$(rx "$1" '.totals.unique')" 270
  expect_eq "$1 pending" "$(rx "$1" '.totals.pending')" 0
  expect_eq "$1 packets" "$(rx "$1" '.totals.packets')" 274
  expect_eq "$1 stale" "$(rx "$1" '.totals.stale')" 4
  expect_eq "$1 ignored jumps" "$(rx "$1" '.totals.ignored_jumps')" 4
  expect_eq "$1 discontinuities" "$(rx "$1" '.senders[0].discontinuities')" 0
  expect_eq "$1 late" "$(rx "$1" '.totals.late')" 0
  expect_eq "$1 reordered" "$(rx "$1" '.totals.reordered')" 0
  expect_eq "$1 duplicates" "$(rx "$1" '.totals.duplicates')" 0
  expect_eq "$1 last seq" "$(rx "$1" '.senders[0].last_seq')" 299
}

log "mcast-receive: one stopped by SIGINT, one by --duration"
G=239.255.77.1
start_receiver timed "$ns" "$G" -i lo --duration 3
start_receiver rx "$ns" "$G" -i lo
inject "$G"
sleep 0.2
kill -INT "${_RECEIVER_PIDS[rx]}"
exits_within 2 "${_RECEIVER_PIDS[rx]}" ||
  fail "mcast-receive did not exit within 2 s of SIGINT"
exits_within 4 "${_RECEIVER_PIDS[timed]}" ||
  fail "mcast-receive --duration 3 did not exit on time"
check_json rx
check_json timed

log "mcast-exporter: /metrics answers and shows the exact loss"
G2=239.255.77.2
cat >"$WORK/exporter.toml" <<TOML
[exporter]
listen = "127.0.0.1:0"
[defaults]
interface = "lo"
reorder_window = "1s"
[[receiver]]
name = "flow"
group = "$G2"
TOML
start_exporter "$ns" "$WORK/exporter.toml"
flow='probe="flow",group="'$G2'",source="*",interface="lo"'
s=',sender="127.0.0.1"'
wait_metric 5 mcast_rx_joined "$flow" 1
inject "$G2"
scrape during.txt  # Right after the forged packets.
wait_metric 5 mcast_rx_lost_packets_total "$flow$s" 30
wait_metric 1 mcast_rx_unique_packets_total "$flow$s" 270
wait_metric 3 mcast_rx_packets_total "$flow$s" 274
wait_metric 1 mcast_rx_pending_packets "$flow$s" 0
wait_metric 1 mcast_rx_late_packets_total "$flow$s" 0
wait_metric 1 mcast_rx_sequence_discontinuities_total "$flow$s" 0
wait_metric 1 mcast_rx_hop_changes_total "$flow$s" 0
kill -TERM "$EXPORTER_PID"
exits_within 2 "$EXPORTER_PID" || fail "exporter did not exit within 2 s of SIGTERM"
pass "forged sequence jumps neither hang nor poison mcast-receive and mcast-exporter"
