#!/usr/bin/env bash
# Sender restart across the path: a sender is interrupted mid-run (no
# last-packet flag) and a new one starts from the same address. One restart,
# every packet counted, and no false loss from the old run's unsent numbers.
# families: 4 6
source "$(dirname "$0")/lab.sh"
require_root
require_cmd jq smcrouted
lab_test_up twohop
lab_family   # $MCAST_FAMILY: 4, or 6 for lab.NAME.ipv6
G=$LAB_F_GROUP_SSM S=$LAB_F_SRC1

start_receiver restart "$LAB_RCV" "$G" "$S" -i rcv-eth0
ip netns exec "$LAB_SND" "$BIN/mcast-send" "$G" 0 64 --rate 200pps -i snd-eth0 \
  --source "$S" --quiet --json >"$WORK/first.json" &
first=$!
track "$first"
sleep 1
kill -INT "$first"
wait "$first"
lab_send "$G" 1 64 --rate 200pps -i snd-eth0 --source "$S" --quiet --json >"$WORK/second.json"
sleep 0.3
stop_receiver restart
n1=$(jq -r .packets "$WORK/first.json")
n2=$(jq -r .packets "$WORK/second.json")
log "first run sent $n1, second run sent $n2"
expect_eq "restarts" "$(rx restart .totals.restarts)" 1
expect_eq "senders (one address)" "$(rx restart '.senders | length')" 1
expect_eq "packets" "$(rx restart .totals.packets)" $((n1 + n2))
expect_eq "unique" "$(rx restart .totals.unique)" $((n1 + n2))
expect_eq "lost" "$(rx restart .totals.lost)" 0
expect_eq "pending" "$(rx restart .totals.pending)" 0
expect_eq "current run's sender id" "$(rx restart '.senders[0].sender_id')" \
  "$(jq -r .sender_id "$WORK/second.json")"
expect_eq "current run's last seq" "$(rx restart '.senders[0].last_seq')" $((n2 - 1))
expect_eq "hops" "$(rx restart '.senders[0].hops')" 2
pass "sender restart across two routers: one restart, no false loss"
