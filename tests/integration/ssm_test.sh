#!/usr/bin/env bash
# Two senders with different source addresses on one group. An SSM receiver
# for one of them counts only that one; an ASM receiver counts both.
# families: 4 6
source "$(dirname "$0")/lib.sh"
require_root
require_cmd jq

tx=${P}tx
rx=${P}rx
topo_pair "$tx" "$rx" 10.98.0
ip -n "$tx" addr add 10.98.0.3/24 dev "${P}a"
[[ $FAMILY == 4 ]] || add_v6_twin "$tx" "${P}a" 10.98.0.3
S1=$(fam_addr 10.98.0.1)
S2=$(fam_addr 10.98.0.3)
# The family's SSM range: 232.0.0.0/8, ff3x::/32.
G=$(by_family 232.1.1.1 ff3e::8000:1)

start_receiver ssm "$rx" "$G" "$S1" -i "${P}b"
start_receiver asm "$rx" "$G" -i "${P}b"
ip netns exec "$tx" "$BIN/mcast-send" "$G" 1 --rate 100pps --source "$S1" -i "${P}a" --quiet &
s1=$!
in_ns "$tx" "$BIN/mcast-send" "$G" 1 --rate 100pps --source "$S2" -i "${P}a" --quiet
wait $s1
sleep 0.5
stop_receiver ssm
stop_receiver asm

expect_eq "SSM source in JSON" "$(rx ssm '.source')" "$S1"
expect_eq "SSM senders" "$(rx ssm '.senders | length')" 1
expect_eq "SSM sender" "$(rx ssm '.senders[0].source')" "$S1"
expect_eq "SSM packets" "$(rx ssm '.totals.packets')" 100
expect_eq "SSM foreign" "$(rx ssm '.totals.foreign')" 0
expect_eq "ASM senders" "$(rx asm '.senders | length')" 2
expect_eq "ASM sender 1" "$(rx asm '.senders[0].source')" "$S1"
expect_eq "ASM sender 2" "$(rx asm '.senders[1].source')" "$S2"
expect_eq "ASM packets" "$(rx asm '.totals.packets')" 200
expect_eq "ASM restarts" "$(rx asm '.totals.restarts')" 0
expect_eq "ASM lost" "$(rx asm '.totals.lost')" 0
pass "SSM filters by source, ASM sees both ($(by_family IPv4 IPv6))"
