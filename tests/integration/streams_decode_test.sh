#!/usr/bin/env bash
# The stream engine end to end: a Python injector sends RTP (drops, a
# duplicate, a reorder, an SSRC change) and MoldUDP64 (a gap, heartbeats)
# to a group on a namespace's loopback; mcast-receive --decode rtp and
# --decode moldudp64 report exactly the injected pattern in "streams".
source "$(dirname "$0")/lib.sh"
require_root
require_cmd jq
require_cmd python3

ns=${P}lo
topo_lo "$ns"

G=239.255.14.1
start_receiver rtp "$ns" "$G" -i lo -p 5004 --decode rtp --stall-timeout 0.5
start_receiver mold "$ns" "$G" -i lo -p 5006 --decode moldudp64
t_before=$(date +%s%N)
in_ns "$ns" python3 "$SRC/tests/integration/stream_inject.py" "$G" 5004 5006 ||
  fail "injector failed"
t_after=$(date +%s%N)
sleep 0.5
stop_receiver mold
# rtp: 0.5 s stall timeout, stopped 1.5 s after the last datagram: stalled.
sleep 1
stop_receiver rtp

expect_eq "rtp: probe senders" "$(rx rtp '.senders | length')" 0
expect_eq "rtp: foreign" "$(rx rtp '.totals.foreign // .foreign')" 148
expect_eq "rtp: streams" "$(rx rtp '.streams | length')" 1
expect_eq "rtp: source" "$(rx rtp '.streams[0].source'):$(rx rtp '.streams[0].port')" 127.0.0.1:40000
expect_eq "rtp: kind" "$(rx rtp '.streams[0].kind')" rtp
expect_eq "rtp: packets" "$(rx rtp '.streams[0].packets')" 148
expect_eq "rtp: bytes" "$(rx rtp '.streams[0].bytes')" $((148 * 184))
expect_eq "rtp: lost" "$(rx rtp '.streams[0].lost')" 3
expect_eq "rtp: duplicates" "$(rx rtp '.streams[0].duplicates')" 1
expect_eq "rtp: reordered" "$(rx rtp '.streams[0].reordered')" 1
expect_eq "rtp: restarts" "$(rx rtp '.streams[0].restarts')" 1
expect_eq "rtp: ssrc" "$(rx rtp '.streams[0].ssrc')" $((0x2222))
expect_eq "rtp: payload type" "$(rx rtp '.streams[0].payload_type')" 96
first=$(rx rtp '.streams[0].first_packet_unix_ns')
last=$(rx rtp '.streams[0].last_packet_unix_ns')
((t_before <= first && first < last && last <= t_after)) ||
  fail "rtp: first $first, last $last not in order within the injector's run [$t_before, $t_after]"
echo "ok: rtp: first and last datagram times within the injector's run"
expect_eq "rtp: state" "$(rx rtp '.streams[0].state')" stalled
expect_eq "rtp: stalls" "$(rx rtp '.streams[0].stalls')" 1
python3 -c "import sys; sys.exit(not 1.0 <= float(sys.argv[1]) < 5)" "$(rx rtp '.streams[0].stalled_seconds')" ||
  fail "rtp: stalled_seconds $(rx rtp '.streams[0].stalled_seconds') is not about the 1.5 s since the last datagram"

expect_eq "mold: state (3 s stall timeout, stopped after 0.5 s)" "$(rx mold '.streams[0].state')" receiving
expect_eq "mold: stalls" "$(rx mold '.streams[0].stalls')" 0
expect_eq "mold: streams" "$(rx mold '.streams | length')" 1
expect_eq "mold: port" "$(rx mold '.streams[0].port')" 40001
expect_eq "mold: kind" "$(rx mold '.streams[0].kind')" moldudp64
expect_eq "mold: packets" "$(rx mold '.streams[0].packets')" 6
expect_eq "mold: lost messages" "$(rx mold '.streams[0].lost')" 3
expect_eq "mold: duplicates" "$(rx mold '.streams[0].duplicates')" 0
expect_eq "mold: restarts" "$(rx mold '.streams[0].restarts')" 0
expect_eq "mold: heartbeats" "$(rx mold '.streams[0].heartbeats')" 2
expect_eq "mold: session" "$(rx mold '.streams[0].session')" SESSION001
pass "RTP and MoldUDP64 streams are counted exactly"
