#!/usr/bin/env bash
# Deterministic loss on the second router: r2 drops every 20th packet
# (running count mod 20 == 10, so neither the first nor the last packet is
# hit and the receiver can see every gap). 400 sent: exactly 20 lost (5 %),
# no duplicates, no reordering.
# IPv6: the nft ip6 family drops.
# families: 4 6
source "$(dirname "$0")/lab.sh"
require_root
require_cmd jq smcrouted nft
lab_test_up twohop
lab_family   # $MCAST_FAMILY: 4, or 6 for lab.NAME.ipv6
G=$LAB_F_GROUP_SSM S=$LAB_F_SRC1

impair_loss_every "$LAB_R2" 20 10
start_receiver loss "$LAB_RCV" "$G" "$S" -i rcv-eth0
lab_send "$G" 2 64 --rate 200pps -i snd-eth0 --source "$S" --quiet
sleep 0.3
stop_receiver loss
expect_eq "r2 dropped (nft counter)" "$(impair_count "$LAB_R2" loss)" 20
expect_eq "expected (last - first + 1)" \
  "$(rx loss '.senders[0].last_seq - .senders[0].first_seq + 1')" 400
expect_eq "packets" "$(rx loss .totals.packets)" 380
expect_eq "unique" "$(rx loss .totals.unique)" 380
expect_eq "lost" "$(rx loss .totals.lost)" 20
expect_eq "loss %" "$(rx loss '.totals.lost * 100 / (.totals.unique + .totals.lost)')" 5
expect_eq "pending" "$(rx loss .totals.pending)" 0
expect_eq "duplicates" "$(rx loss .totals.duplicates)" 0
expect_eq "reordered" "$(rx loss .totals.reordered)" 0
expect_eq "late" "$(rx loss .totals.late)" 0
pass "every 20th packet dropped on r2 is exactly 5 % loss"
