#!/usr/bin/env bash
# SSM across the routers: two sources (10.0.1.1 and 10.0.1.3) send to the
# same group through r1 and r2. An SSM (S,G) receiver for 10.0.1.1 counts
# only that source; an ASM receiver on the same link counts both, each two
# hops away.
source "$(dirname "$0")/lab.sh"
require_root
require_cmd jq smcrouted
lab_test_up twohop
G=$LAB_GROUP_SSM

start_receiver ssm "$LAB_RCV" "$G" "$LAB_SRC1" -i rcv-eth0
start_receiver asm "$LAB_RCV" "$G" -i rcv-eth0
lab_send "$G" 1 64 --rate 200pps -i snd-eth0 --source "$LAB_SRC1" --quiet &
s1=$!
track "$s1"
lab_send "$G" 1 64 --rate 200pps -i snd-eth0 --source "$LAB_SRC2" --quiet
wait $s1
sleep 0.3
stop_receiver ssm
stop_receiver asm
expect_eq "SSM senders" "$(rx ssm '.senders | length')" 1
expect_eq "SSM sender" "$(rx ssm '.senders[0].source')" "$LAB_SRC1"
expect_eq "SSM packets" "$(rx ssm .totals.packets)" 200
expect_eq "SSM lost" "$(rx ssm .totals.lost)" 0
expect_eq "SSM hops" "$(rx ssm '.senders[0].hops')" 2
expect_eq "ASM senders" "$(rx asm '[.senders[].source] | sort | join(",")')" "$LAB_SRC1,$LAB_SRC2"
expect_eq "ASM packets" "$(rx asm .totals.packets)" 400
expect_eq "ASM lost" "$(rx asm .totals.lost)" 0
expect_eq "ASM restarts" "$(rx asm .totals.restarts)" 0
expect_eq "ASM hops" "$(rx asm '[.senders[].hops] | join(",")')" "2,2"
pass "SSM gets only the chosen source across two routers, ASM gets both"
