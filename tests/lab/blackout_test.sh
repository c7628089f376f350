#!/usr/bin/env bash
# Blackout: r2 drops everything for 5 s while the sender keeps going at
# 100 pps; the receiver's stall timeout is 2 s. One stall, one gap of
# 5 s +- 0.5 s, and the loss is exactly what r2 dropped (its nft counter,
# read after the rule is gone so no drop is missed).
source "$(dirname "$0")/lab.sh"
require_root
require_cmd jq smcrouted nft
lab_test_up twohop
G=$LAB_GROUP_SSM S=$LAB_SRC1

start_receiver blackout "$LAB_RCV" "$G" "$S" -i rcv-eth0 --stall-timeout 2
ip netns exec "$LAB_SND" "$BIN/mcast-send" "$G" 7.5 64 --rate 100pps -i snd-eth0 \
  --source "$S" --quiet --json >"$WORK/blackout-send.json" &
sender=$!
track "$sender"
sleep 1
dropped=$(impair_blackout "$LAB_R2" 5)
log "r2 dropped $dropped packets during the blackout"
wait "$sender"
sleep 0.3
stop_receiver blackout
sent=$(jq -r .packets "$WORK/blackout-send.json")
awk -v d="$dropped" 'BEGIN { exit !(d >= 450 && d <= 550) }' ||
  fail "r2 dropped $dropped packets, expected about 500 (5 s at 100 pps)"
expect_eq "stalls" "$(rx blackout .totals.stalls)" 1
expect_eq "gap events" "$(rx blackout '.gaps | length')" 1
gap=$(rx blackout '.gaps[0].duration_seconds')
awk -v g="$gap" 'BEGIN { exit !(g >= 4.5 && g <= 5.5) }' || fail "gap $gap s, expected 5 +- 0.5 s"
echo "ok: gap $gap s"
expect_eq "lost (= r2's drops)" "$(rx blackout .totals.lost)" "$dropped"
expect_eq "packets (= sent - dropped)" "$(rx blackout .totals.packets)" $((sent - dropped))
expect_eq "duplicates" "$(rx blackout .totals.duplicates)" 0
expect_eq "reordered" "$(rx blackout .totals.reordered)" 0
expect_eq "state after recovery" "$(rx blackout .state)" receiving
pass "5 s blackout: one stall of $gap s, $dropped lost"
