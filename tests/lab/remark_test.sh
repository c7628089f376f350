#!/usr/bin/env bash
# DSCP remarking in the middle of the path: the sender stamps EF, r1
# rewrites every 4th packet to CS1. The receiver counts exactly the packets
# the router remarked (its nft counter), and still knows the sender's EF.
# IPv6: `ip6 dscp set` on the traffic class.
# families: 4 6
source "$(dirname "$0")/lab.sh"
require_root
require_cmd jq smcrouted nft
lab_test_up twohop
lab_family   # $MCAST_FAMILY: 4, or 6 for lab.NAME.ipv6
G=$LAB_F_GROUP_SSM S=$LAB_F_SRC1

impair_remark "$LAB_R1" cs1 4
start_receiver remark "$LAB_RCV" "$G" "$S" -i rcv-eth0
lab_send "$G" 2 64 --rate 200pps --dscp ef -i snd-eth0 --source "$S" --quiet
sleep 0.3
stop_receiver remark
expect_eq "r1 remarked (nft counter)" "$(impair_count "$LAB_R1" remark)" 100
expect_eq "packets" "$(rx remark .totals.packets)" 400
expect_eq "DSCP remarked (totals)" "$(rx remark .totals.dscp_remarked)" 100
expect_eq "DSCP remarked (sender)" "$(rx remark '.senders[0].dscp_remarked')" 100
expect_eq "sender DSCP" "$(rx remark '.senders[0].sender_dscp')" ef
expect_eq "lost" "$(rx remark .totals.lost)" 0

log "every packet remarked"
impair_clear "$LAB_R1"
impair_remark "$LAB_R1" cs1
start_receiver all "$LAB_RCV" "$G" "$S" -i rcv-eth0
lab_send "$G" 1 64 --rate 200pps --dscp ef -i snd-eth0 --source "$S" --quiet
sleep 0.3
stop_receiver all
expect_eq "r1 remarked (nft counter)" "$(impair_count "$LAB_R1" remark)" 200
expect_eq "DSCP remarked" "$(rx all .totals.dscp_remarked)" 200
expect_eq "received DSCP" "$(rx all '.senders[0].dscp')" cs1
expect_eq "sender DSCP" "$(rx all '.senders[0].sender_dscp')" ef
pass "DSCP remark on r1 counted per packet"
