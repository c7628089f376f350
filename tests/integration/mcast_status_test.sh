#!/usr/bin/env bash
# mcast-status against real memberships: in a namespace with a veth pair,
# hold an ASM join and an SSM join (with its source), then check the JSON;
# force IGMPv2 on the interface and check it shows; the same for IPv6 (ASM,
# SSM and exclude-mode joins with /proc/net/mcfilter6's sources, the MLD
# version in effect and forced); an unknown interface is a usage error (64).
source "$(dirname "$0")/lib.sh"
require_root
require_cmd jq python3

STATUS="$BIN/mcast-status"
JOIN="$SRC/tests/integration/mcast_join.py"
A=${P}a
B=${P}b
netns_add "$A"
netns_add "$B"
veth_pair "$A" "${P}x" 10.31.0.1 "$B" "${P}y" 10.31.0.2
IF=${P}x

log "ASM join of 239.1.2.3 and SSM join of 232.1.2.3 from 10.31.0.2 on $IF"
bg "$A" python3 "$JOIN" 10.31.0.1,239.1.2.3 10.31.0.1,232.1.2.3,10.31.0.2 \
  >"$WORK/join.out"
wait_for 5 grep -q ready "$WORK/join.out" || fail "the join helper did not start"

in_ns "$A" "$STATUS" --json >"$WORK/all.json"
in_ns "$A" "$STATUS" --json -i "$IF" >"$WORK/if.json"
g() { json_get "$WORK/if.json" ".interfaces[0].groups[] | select(.group == \"$1\") | $2"; }
expect_eq "interfaces with -i" "$(json_get "$WORK/if.json" '.interfaces | length')" 1
expect_eq "interface name" "$(json_get "$WORK/if.json" '.interfaces[0].name')" "$IF"
expect_eq "interface index" "$(json_get "$WORK/if.json" '.interfaces[0].index')" \
  "$(in_ns "$A" cat "/sys/class/net/$IF/ifindex")"
expect_eq "up" "$(json_get "$WORK/if.json" '.interfaces[0].up')" true
expect_eq "multicast" "$(json_get "$WORK/if.json" '.interfaces[0].multicast')" true
expect_eq "address" "$(json_get "$WORK/if.json" '.interfaces[0].addresses[0]')" 10.31.0.1/24
expect_eq "igmp version" "$(json_get "$WORK/if.json" '.interfaces[0].igmp_version')" 3
expect_eq "not forced" "$(json_get "$WORK/if.json" '.interfaces[0].force_igmp_version')" 0
expect_eq "ASM users" "$(g 239.1.2.3 .users)" 1
expect_eq "ASM mode" "$(g 239.1.2.3 .filter_mode)" exclude
expect_eq "ASM sources" "$(g 239.1.2.3 '.sources | length')" 0
expect_eq "SSM mode" "$(g 232.1.2.3 .filter_mode)" include
expect_eq "SSM sources" "$(g 232.1.2.3 '.sources | join(",")')" 10.31.0.2
expect_eq "224.0.0.1 hidden" "$(g 224.0.0.1 .group)" ""
expect_eq "same interface without -i" \
  "$(json_get "$WORK/all.json" ".interfaces[] | select(.name == \"$IF\") | .groups | length")" 2

in_ns "$A" "$STATUS" --json --all -i "$IF" >"$WORK/if.json"
expect_eq "224.0.0.1 with --all" "$(g 224.0.0.1 .group)" 224.0.0.1

log "human table"
in_ns "$A" "$STATUS" -i "$IF" | tee "$WORK/table.txt"
grep -q "232.1.2.3 .* include  10.31.0.2" "$WORK/table.txt" || fail "SSM row missing from the table"

log "force_igmp_version=2"
in_ns "$A" sysctl -qw "net.ipv4.conf.$IF.force_igmp_version=2"
in_ns "$A" "$STATUS" --json -i "$IF" >"$WORK/if.json"
expect_eq "forced" "$(json_get "$WORK/if.json" '.interfaces[0].force_igmp_version')" 2
# The kernel's Querier column follows the forced version.
expect_eq "version in effect" "$(json_get "$WORK/if.json" '.interfaces[0].igmp_version')" 2

log "IPv6: ASM ff15::1234, SSM ff3e::8000:1 from 2001:db8:31::2, ff15::77 blocking 2001:db8:31::9"
ip -n "$A" addr add 2001:db8:31::1/64 dev "$IF" nodad
# The exclude-mode group last: the interface's newest group has sources, so
# the kernel's mcfilter6 listing is whole from this interface on.
bg "$A" python3 "$JOIN" "$IF,ff15::1234" "$IF,ff3e::8000:1,2001:db8:31::2" \
  "$IF,ff15::77,-2001:db8:31::9" >"$WORK/join6.out"
wait_for 5 grep -q ready "$WORK/join6.out" || fail "the IPv6 join helper did not start"
sleep 0.5  # the joins' MLDv2 reports are counted
in_ns "$A" "$STATUS" --json -i "$IF" >"$WORK/if6.json"
g6() { json_get "$WORK/if6.json" ".interfaces[0].groups[] | select(.group == \"$1\") | $2"; }
expect_eq "ASM6 family" "$(g6 ff15::1234 .family)" ipv6
expect_eq "ASM6 mode" "$(g6 ff15::1234 .filter_mode)" exclude
expect_eq "ASM6 sources" "$(g6 ff15::1234 '.sources | length')" 0
expect_eq "SSM6 mode" "$(g6 ff3e::8000:1 .filter_mode)" include
expect_eq "SSM6 sources" "$(g6 ff3e::8000:1 '.sources | join(",")')" 2001:db8:31::2
expect_eq "exclude6 mode" "$(g6 ff15::77 .filter_mode)" exclude
expect_eq "exclude6 sources" "$(g6 ff15::77 '.sources | join(",")')" 2001:db8:31::9
expect_eq "ff02::1 hidden" "$(g6 ff02::1 .group)" ""
expect_eq "MLD not forced" "$(json_get "$WORK/if6.json" '.interfaces[0].force_mld_version')" 0
# The interface has sent only MLDv2 reports: in effect v2.
expect_eq "MLD version in effect" "$(json_get "$WORK/if6.json" '.interfaces[0].mld_version')" 2
# The kernel's counter, read after (a join's report is sent twice, so it
# may have moved on by one since mcast-status read it).
shown=$(json_get "$WORK/if6.json" '.interfaces[0].mld_reports.v2')
kernel=$(in_ns "$A" awk '$1 == "Icmp6OutMLDv2Reports" {print $2}' "/proc/net/dev_snmp6/$IF")
((shown >= 3 && shown <= kernel)) ||
  fail "MLDv2 reports shown $shown, kernel counts $kernel (3 joins reported)"
echo "ok: MLDv2 reports shown $shown, kernel $kernel"
in_ns "$A" "$STATUS" -i "$IF" | tee "$WORK/table6.txt"
grep -q "ff3e::8000:1 .* include  2001:db8:31::2" "$WORK/table6.txt" || fail "SSM6 row missing from the table"
grep -q "ff15::77 .* exclude  any but 2001:db8:31::9" "$WORK/table6.txt" || fail "exclude6 row missing"
grep -q "IGMPv2 (forced v2), MLDv2$" "$WORK/table6.txt" || fail "MLD version missing from the interface line"

log "force_mld_version=1"
in_ns "$A" sysctl -qw "net.ipv6.conf.$IF.force_mld_version=1"
in_ns "$A" "$STATUS" --json -i "$IF" >"$WORK/if6.json"
expect_eq "MLD forced" "$(json_get "$WORK/if6.json" '.interfaces[0].force_mld_version')" 1
expect_eq "MLD in effect follows the forced version" \
  "$(json_get "$WORK/if6.json" '.interfaces[0].mld_version')" 1
in_ns "$A" sysctl -qw "net.ipv6.conf.$IF.force_mld_version=0"

log "unknown interface"
set +e
in_ns "$A" "$STATUS" -i nosuchif0 >"$WORK/out.txt" 2>"$WORK/err.txt"
rc=$?
set -e
expect_eq "exit code" "$rc" 64
expect_eq "error line" "$(cat "$WORK/err.txt")" "mcast-status: no interface named 'nosuchif0'"

log "readable without root"
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
  in_ns "$A" setpriv --reuid=nobody --regid=nogroup --clear-groups \
    "$STATUS" --json -i "$IF" >"$WORK/nobody.json"
  expect_eq "SSM as nobody" \
    "$(json_get "$WORK/nobody.json" '.interfaces[0].groups[] | select(.group == "232.1.2.3") | .sources[0]')" \
    10.31.0.2
fi
pass "mcast-status"
