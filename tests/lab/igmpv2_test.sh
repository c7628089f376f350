#!/usr/bin/env bash
# IGMP version 2 forced on the receiver: the router side of the receiver's
# link (r2-eth1) sees an IGMPv2 report for the group and, at exit, a v2
# leave; the routed stream still arrives two hops away.
source "$(dirname "$0")/lab.sh"
require_root
require_cmd jq smcrouted tcpdump
lab_test_up twohop
G=$LAB_GROUP_ASM S=$LAB_SRC1

in_ns "$LAB_R2" tcpdump -i r2-eth1 -nn -vv -l igmp >"$WORK/r2-igmp.txt" 2>"$WORK/tcpdump.err" &
cap=$!
track "$cap"
wait_for 5 grep -q "listening on" "$WORK/tcpdump.err" || fail "tcpdump did not start"
start_receiver v2 "$LAB_RCV" "$G" -i rcv-eth0 --igmp-version 2
# shellcheck disable=SC2016
querier=$(in_ns "$LAB_RCV" awk '$2=="rcv-eth0" {print $NF}' /proc/net/igmp)
expect_eq "/proc/net/igmp version in effect" "$querier" V2
lab_send "$G" 1 64 --rate 200pps -i snd-eth0 --source "$S" --quiet
sleep 0.3
stop_receiver v2
wait_for 3 grep -q "igmp leave $G" "$WORK/r2-igmp.txt" || true
kill "$cap"; wait "$cap" 2>/dev/null || true
cat "$WORK/r2-igmp.txt"
grep -q "igmp v2 report $G" "$WORK/r2-igmp.txt" || fail "r2 saw no IGMPv2 report for $G"
echo "ok: r2 saw an IGMPv2 report for $G"
grep -q "igmp v3 report" "$WORK/r2-igmp.txt" && fail "r2 saw an IGMPv3 report"
echo "ok: no IGMPv3 report"
grep -q "igmp leave $G" "$WORK/r2-igmp.txt" || fail "r2 saw no IGMPv2 leave for $G"
echo "ok: r2 saw an IGMPv2 leave for $G"
expect_eq "JSON igmp_version" "$(rx v2 .igmp_version)" 2
expect_eq "packets" "$(rx v2 .totals.packets)" 200
expect_eq "lost" "$(rx v2 .totals.lost)" 0
expect_eq "hops" "$(rx v2 '.senders[0].hops')" 2
pass "IGMPv2 forced on the receiver is what r2 sees on the wire"
