#!/usr/bin/env bash
# IGMP version control: --igmp-version 2 makes the join send an IGMPv2
# report (seen in a capture on the link), /proc/net/igmp shows V2 while it
# runs, and force_igmp_version is restored on exit. An SSM join sends a v3
# report that carries the source.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd jq tcpdump

tx=${P}tx
rx=${P}rx
topo_pair "$tx" "$rx" 10.97.0
sysctl_path=/proc/sys/net/ipv4/conf/${P}b/force_igmp_version
in_ns "$rx" sh -c "echo 1 > $sysctl_path"   # A non-default value to restore.

capture() {  # capture NAME: tcpdump of IGMP on the sender side of the link
  in_ns "$tx" tcpdump -i "${P}a" -nn -vv -l igmp >"$WORK/$1.pcap.txt" 2>/dev/null &
  track $!
  cap_pid=$!
  sleep 1
}

capture v2
start_receiver v2 "$rx" 239.7.7.7 -i "${P}b" --igmp-version 2
expect_eq "forced while running" "$(in_ns "$rx" cat $sysctl_path)" 2
querier=$(in_ns "$rx" awk -v d="${P}b" '$2==d {print $NF}' /proc/net/igmp)
expect_eq "/proc/net/igmp querier column" "$querier" V2
sleep 1
stop_receiver v2
sleep 0.5
kill "$cap_pid"; wait "$cap_pid" 2>/dev/null || true
expect_eq "restored after exit" "$(in_ns "$rx" cat $sysctl_path)" 1
expect_eq "JSON igmp_version" "$(rx v2 .igmp_version)" 2
grep -q "igmp v2 report 239.7.7.7" "$WORK/v2.pcap.txt" ||
  { cat "$WORK/v2.pcap.txt"; fail "no IGMPv2 report for 239.7.7.7 in the capture"; }
echo "ok: capture shows an IGMPv2 report"
grep -q "igmp leave 239.7.7.7" "$WORK/v2.pcap.txt" ||
  { cat "$WORK/v2.pcap.txt"; fail "no IGMPv2 leave in the capture"; }
echo "ok: capture shows an IGMPv2 leave"

capture v3
start_receiver v3 "$rx" 232.7.7.7 10.97.0.1 -i "${P}b"
sleep 1
stop_receiver v3
kill "$cap_pid"; wait "$cap_pid" 2>/dev/null || true
grep -q "igmp v3 report" "$WORK/v3.pcap.txt" ||
  { cat "$WORK/v3.pcap.txt"; fail "no IGMPv3 report in the capture"; }
grep -q "gaddr 232.7.7.7 allow { 10.97.0.1 }" "$WORK/v3.pcap.txt" ||
  { cat "$WORK/v3.pcap.txt"; fail "the v3 report does not carry the source"; }
echo "ok: capture shows an IGMPv3 report allowing 10.97.0.1"
expect_eq "restored after SSM run" "$(in_ns "$rx" cat $sysctl_path)" 1
pass "IGMP version is forced, visible on the wire, and restored"
