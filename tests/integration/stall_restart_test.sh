#!/usr/bin/env bash
# Stall: a sender paused (SIGSTOP) for longer than the stall timeout gives
# one gap event of about the pause. Restart: a new sender process is one
# restart and no loss.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd jq

tx=${P}tx
rx=${P}rx
topo_pair "$tx" "$rx" 10.96.0
G=239.6.6.6

start_receiver stall "$rx" "$G" -i "${P}b" --stall-timeout 1
ip netns exec "$tx" "$BIN/mcast-send" "$G" 0 --rate 50pps -i "${P}a" --quiet &
sender=$!
track $sender
sleep 1
kill -STOP "$sender"; stopped_at=$(date +%s.%N)
sleep 3
kill -CONT "$sender"; resumed_at=$(date +%s.%N)
sleep 1
kill -INT "$sender"; wait "$sender"
sleep 0.3
stop_receiver stall
pause=$(awk -v a="$stopped_at" -v b="$resumed_at" 'BEGIN { printf "%.3f", b - a }')
expect_eq "stalls" "$(rx stall '.totals.stalls')" 1
expect_eq "gap events" "$(rx stall '.gaps | length')" 1
gap=$(rx stall '.gaps[0].duration_seconds')
awk -v g="$gap" -v p="$pause" 'BEGIN { exit !(g > p - 0.3 && g < p + 0.3) }' ||
  fail "gap $gap s does not match the pause of $pause s"
echo "ok: gap $gap s for a pause of $pause s"
expect_eq "state after recovery" "$(rx stall '.state')" receiving
expect_eq "no loss from a pause" "$(rx stall '.totals.lost')" 0

start_receiver restart "$rx" "$G" -i "${P}b"
in_ns "$tx" "$BIN/mcast-send" "$G" 1 --rate 100pps -i "${P}a" --quiet
in_ns "$tx" "$BIN/mcast-send" "$G" 1 --rate 100pps -i "${P}a" --quiet
sleep 0.5
stop_receiver restart
expect_eq "restarts" "$(rx restart '.totals.restarts')" 1
expect_eq "senders (one address)" "$(rx restart '.senders | length')" 1
expect_eq "packets" "$(rx restart '.totals.packets')" 200
expect_eq "lost" "$(rx restart '.totals.lost')" 0
expect_eq "current run's last seq" "$(rx restart '.senders[0].last_seq')" 99
pass "stall and restart are detected exactly"
