#!/usr/bin/env bash
# The lan topology: two senders and two receivers on a bridge with IGMPv3
# snooping and the bridge as querier. rcv1 joins (10.0.5.1, 232.1.1.1), rcv2
# joins 239.1.1.1 (ASM). snd1 sends 232.1.1.1, snd2 sends both groups.
# Counted by nft on each receiver's own link (before any socket filter):
# rcv1's port carries only snd1's stream (the bridge filters by source),
# rcv2's port only 239.1.1.1. No traffic reaches a port that did not ask.
source "$(dirname "$0")/lab.sh"
require_root
require_cmd jq nft bridge
lab_test_up lan
G1=$LAB_GROUP_SSM G2=$LAB_GROUP_ASM

# Counters on each receiver's link, per (source, group) of probe traffic.
for ns in "$LAB_RCV1" "$LAB_RCV2"; do
  in_ns "$ns" nft -f - <<NFT
table ip count {
  counter s1g1 {}
  counter s2g1 {}
  counter s2g2 {}
  chain pre {
    type filter hook prerouting priority 0; policy accept;
    ip saddr 10.0.5.1 ip daddr $G1 udp dport $LAB_PORT counter name s1g1
    ip saddr 10.0.5.2 ip daddr $G1 udp dport $LAB_PORT counter name s2g1
    ip saddr 10.0.5.2 ip daddr $G2 udp dport $LAB_PORT counter name s2g2
  }
}
NFT
done
count() {
  in_ns "$1" nft -j list counter ip count "$2" | jq '[.nftables[] | .counter? | select(.) | .packets] | first'
}

start_receiver r1 "$LAB_RCV1" "$G1" 10.0.5.1 -i rcv1-eth0
start_receiver r2 "$LAB_RCV2" "$G2" -i rcv2-eth0
wait_for 5 sh -c "bridge -n $LAB_SW mdb show | grep -q 'port sw-rcv1 grp $G1 src 10.0.5.1'" ||
  { bridge -n "$LAB_SW" mdb show; fail "the bridge never learned rcv1's (S,G)"; }
wait_for 5 sh -c "bridge -n $LAB_SW mdb show | grep -q 'port sw-rcv2 grp $G2 '" ||
  { bridge -n "$LAB_SW" mdb show; fail "the bridge never learned rcv2's group"; }
bridge -d -n "$LAB_SW" mdb show | grep -E "grp ($G1|$G2)"
in_ns "$LAB_SND1" "$BIN/mcast-send" "$G1" 1 --rate 200pps -i snd1-eth0 --quiet &
a=$!
in_ns "$LAB_SND2" "$BIN/mcast-send" "$G1" 1 --rate 200pps -i snd2-eth0 --quiet &
b=$!
track "$a" "$b"
in_ns "$LAB_SND2" "$BIN/mcast-send" "$G2" 1 --rate 200pps -i snd2-eth0 --quiet
wait $a $b
sleep 0.3
stop_receiver r1
stop_receiver r2

expect_eq "rcv1 link: snd1 -> $G1" "$(count "$LAB_RCV1" s1g1)" 200
expect_eq "rcv1 link: snd2 -> $G1 (other source)" "$(count "$LAB_RCV1" s2g1)" 0
expect_eq "rcv1 link: snd2 -> $G2 (other group)" "$(count "$LAB_RCV1" s2g2)" 0
expect_eq "rcv2 link: snd1 -> $G1" "$(count "$LAB_RCV2" s1g1)" 0
expect_eq "rcv2 link: snd2 -> $G1" "$(count "$LAB_RCV2" s2g1)" 0
expect_eq "rcv2 link: snd2 -> $G2" "$(count "$LAB_RCV2" s2g2)" 200
expect_eq "rcv1 senders" "$(rx r1 '[.senders[].source] | join(",")')" 10.0.5.1
expect_eq "rcv1 packets" "$(rx r1 .totals.packets)" 200
expect_eq "rcv1 hops (bridged)" "$(rx r1 '.senders[0].hops')" 0
expect_eq "rcv2 senders" "$(rx r2 '[.senders[].source] | join(",")')" 10.0.5.2
expect_eq "rcv2 packets" "$(rx r2 .totals.packets)" 200
expect_eq "rcv2 lost" "$(rx r2 .totals.lost)" 0
pass "IGMPv3 snooping delivers each stream only to the ports that asked"
