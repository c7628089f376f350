#!/usr/bin/env bash
# Two routed hops: TTL 64 from the sender arrives as 62, hops = 2. Then the
# path changes mid-run to r1 -> r3 -> r2 (three hops): exactly one hop
# change, TTL 61, hops = 3, and the switch itself loses nothing.
# IPv6: the hop limit, same numbers.
# families: 4 6
source "$(dirname "$0")/lab.sh"
require_root
require_cmd jq smcrouted smcroutectl nft
lab_test_up twohop
lab_family   # $MCAST_FAMILY: 4, or 6 for lab.NAME.ipv6
G=$LAB_F_GROUP_SSM S=$LAB_F_SRC1

log "two hops, 1 s at 200 pps"
start_receiver two "$LAB_RCV" "$G" "$S" -i rcv-eth0
lab_send "$G" 1 64 --rate 200pps -i snd-eth0 --source "$S" --quiet
sleep 0.3
stop_receiver two
expect_eq "packets" "$(rx two .totals.packets)" 200
expect_eq "lost" "$(rx two .totals.lost)" 0
expect_eq "sender TTL" "$(rx two '.senders[0].sender_ttl')" 64
expect_eq "received TTL" "$(rx two '.senders[0].ttl')" 62
expect_eq "hops" "$(rx two '.senders[0].hops')" 2
expect_eq "hop changes" "$(rx two '.senders[0].hop_changes')" 0

log "path change to three hops mid-run, 3 s at 200 pps"
start_receiver change "$LAB_RCV" "$G" "$S" -i rcv-eth0
ip netns exec "$LAB_SND" "$BIN/mcast-send" "$G" 3 64 --rate 200pps -i snd-eth0 \
  --source "$S" --quiet --json >"$WORK/change-send.json" &
sender=$!
track "$sender"
sleep 1.2
# Pause the sender while the routes change, so no packet is in flight
# during the switch: then zero loss and zero duplicates are exact claims.
kill -STOP "$sender"
sleep 0.1
lab_path long
kill -CONT "$sender"
wait "$sender"
sleep 0.3
stop_receiver change
sent=$(jq -r .packets "$WORK/change-send.json")
expect_eq "packets (= sent)" "$(rx change .totals.packets)" "$sent"
expect_eq "lost" "$(rx change .totals.lost)" 0
expect_eq "duplicates" "$(rx change .totals.duplicates)" 0
expect_eq "hop changes" "$(rx change '.senders[0].hop_changes')" 1
expect_eq "received TTL after the change" "$(rx change '.senders[0].ttl')" 61
expect_eq "hops after the change" "$(rx change '.senders[0].hops')" 3
pass "TTL 64 -> 62 over two hops; one hop change to three hops"
