#!/usr/bin/env bash
# Reordering with a known pattern (no netem here): crafted probe packets
# sent through both routers in this order of sequence numbers:
#
#   0-9, 12, 10, 11, 13-19, 25, 20, 21, 22, 23, 24, 26-39
#
# RFC 4737 (README.md): 10 and 11 arrive after 12 (extents 1, 2); 20..24
# arrive after 25 (extents 1..5). So 7 reordered, maximum extent 5, extent
# histogram {1: 2, 2: 2, 3-4: 2, 5-8: 1}, 40 unique, nothing lost.
# A second run adds a duplicate of 5 after 7 (not reordered) and leaves out
# 30 (lost), to show the classes do not mix.
source "$(dirname "$0")/lab.sh"
require_root
require_cmd jq smcrouted python3
lab_test_up twohop
G=$LAB_GROUP_SSM S=$LAB_SRC1

start_receiver reorder "$LAB_RCV" "$G" "$S" -i rcv-eth0
lab_inject --group "$G" --source "$S" --ttl 64 --dscp 46 --interval-ms 2 \
  --order 0-9,12,10,11,13-19,25,20-24,26-39
sleep 0.3
stop_receiver reorder
expect_eq "packets" "$(rx reorder .totals.packets)" 40
expect_eq "unique" "$(rx reorder .totals.unique)" 40
expect_eq "reordered" "$(rx reorder .totals.reordered)" 7
expect_eq "max reorder extent" "$(rx reorder '.senders[0].max_reorder_extent')" 5
expect_eq "extent histogram" "$(jq -c '.senders[0].reorder_extents' "$WORK/reorder.json")" \
  '{"1":2,"2":2,"4":2,"8":1,"16":0,"32":0,"64":0,"128":0,"256":0,"512":0,"+Inf":0}'
expect_eq "lost" "$(rx reorder .totals.lost)" 0
expect_eq "duplicates" "$(rx reorder .totals.duplicates)" 0
expect_eq "hops" "$(rx reorder '.senders[0].hops')" 2

log "reorder, one duplicate and one loss together"
start_receiver mixed "$LAB_RCV" "$G" "$S" -i rcv-eth0
lab_inject --group "$G" --source "$S" --ttl 64 --interval-ms 2 \
  --order 0-4,6,7,5,5,8-29,31-39
sleep 0.3
stop_receiver mixed
expect_eq "packets" "$(rx mixed .totals.packets)" 40
expect_eq "unique" "$(rx mixed .totals.unique)" 39
expect_eq "reordered" "$(rx mixed .totals.reordered)" 1
expect_eq "max reorder extent" "$(rx mixed '.senders[0].max_reorder_extent')" 2
expect_eq "duplicates" "$(rx mixed .totals.duplicates)" 1
expect_eq "lost" "$(rx mixed .totals.lost)" 1
pass "reorder count and RFC 4737 extent exactly as injected"
