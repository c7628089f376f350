#!/usr/bin/env bash
# Two namespaces over a veth pair. nftables on the receiver side drops every
# 10th probe packet, then rewrites DSCP: the receiver must report exactly
# 10 % loss (the nft counter says which packets went), and the remark on
# every packet.
# families: 4 6
source "$(dirname "$0")/lib.sh"
require_root
require_cmd jq nft

tx=${P}tx
rx=${P}rx
topo_pair "$tx" "$rx" 10.99.0
G=$(by_family 239.1.2.3 ff15::1:2:3)

log "loss: drop every 10th packet (numgen inc mod 10 == 5)"
in_ns "$rx" nft -f - <<NFT
table $NFT_TABLE impair {
  chain pre {
    type filter hook prerouting priority -300;
    udp dport 19779 numgen inc mod 10 == 5 counter drop
  }
}
NFT
start_receiver loss "$rx" "$G" -i "${P}b"
in_ns "$tx" "$BIN/mcast-send" "$G" 1 64 --rate 1000pps -i "${P}a" --quiet
sleep 0.5
stop_receiver loss
expect_eq "nft dropped" "$(nft_counter "$rx" impair pre)" 100
expect_eq "received" "$(rx loss '.totals.packets')" 900
expect_eq "lost" "$(rx loss '.totals.lost')" 100
expect_eq "loss percent" "$(rx loss '100 * .totals.lost / (.totals.unique + .totals.lost)')" 10
expect_eq "duplicates" "$(rx loss '.totals.duplicates')" 0
expect_eq "reordered" "$(rx loss '.totals.reordered')" 0
expect_eq "ttl over the link" "$(rx loss '.senders[0].ttl')" 64
expect_eq "hops" "$(rx loss '.senders[0].hops')" 0
expect_eq "source" "$(rx loss '.senders[0].source')" "$(fam_addr 10.99.0.1)"

log "remark: rewrite DSCP EF to CS1 on arrival"
in_ns "$rx" nft flush ruleset
in_ns "$rx" nft -f - <<NFT
table $NFT_TABLE impair {
  chain pre {
    type filter hook prerouting priority -300;
    udp dport 19779 $NFT_IP dscp set cs1
  }
}
NFT
start_receiver remark "$rx" "$G" -i "${P}b"
in_ns "$tx" "$BIN/mcast-send" "$G" 1 --rate 200pps --dscp ef -i "${P}a" --quiet
sleep 0.5
stop_receiver remark
expect_eq "received" "$(rx remark '.totals.packets')" 200
expect_eq "dscp" "$(rx remark '.senders[0].dscp')" cs1
expect_eq "sender dscp" "$(rx remark '.senders[0].sender_dscp')" ef
expect_eq "remarked packets" "$(rx remark '.totals.dscp_remarked')" 200
expect_eq "lost" "$(rx remark '.totals.lost')" 0

log "remark only some: every 4th packet (numgen), the others untouched"
in_ns "$rx" nft flush ruleset
in_ns "$rx" nft -f - <<NFT
table $NFT_TABLE impair {
  chain pre {
    type filter hook prerouting priority -300;
    udp dport 19779 numgen inc mod 4 == 0 counter $NFT_IP dscp set cs1
  }
}
NFT
start_receiver some "$rx" "$G" -i "${P}b"
in_ns "$tx" "$BIN/mcast-send" "$G" 1 --rate 200pps --dscp ef -i "${P}a" --quiet
sleep 0.5
stop_receiver some
expect_eq "nft remarked" "$(nft_counter "$rx" impair pre)" 50
expect_eq "received" "$(rx some '.totals.packets')" 200
expect_eq "remarked packets" "$(rx some '.totals.dscp_remarked')" 50
pass "veth loss and remark are exact ($(by_family IPv4 IPv6))"
