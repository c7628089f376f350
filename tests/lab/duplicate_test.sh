#!/usr/bin/env bash
# Duplication on the last router: r2 sends one extra copy of every packet
# to the receiver's link (nft dup). Duplicates = received / 2, no loss, and
# a duplicate is never counted as reordered.
source "$(dirname "$0")/lab.sh"
require_root
require_cmd jq smcrouted nft
lab_test_up twohop
G=$LAB_GROUP_SSM S=$LAB_SRC1

impair_dup "$LAB_R2" r2-eth1
start_receiver dup "$LAB_RCV" "$G" "$S" -i rcv-eth0
lab_send "$G" 2 64 --rate 200pps -i snd-eth0 --source "$S" --quiet
sleep 0.3
stop_receiver dup
expect_eq "r2 copies (nft counter)" "$(impair_count "$LAB_R2" duplicate)" 400
expect_eq "packets" "$(rx dup .totals.packets)" 800
expect_eq "unique" "$(rx dup .totals.unique)" 400
expect_eq "duplicates = packets / 2" "$(rx dup .totals.duplicates)" "$(rx dup '.totals.packets / 2')"
expect_eq "duplicates" "$(rx dup .totals.duplicates)" 400
expect_eq "lost" "$(rx dup .totals.lost)" 0
expect_eq "reordered" "$(rx dup .totals.reordered)" 0
expect_eq "hops (copies keep the TTL)" "$(rx dup '.senders[0].hops')" 2
pass "one extra copy per packet is counted as exactly one duplicate"
