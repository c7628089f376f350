#!/usr/bin/env bash
# Re-captures the /proc fixtures in this folder from the running kernel, inside
# a throw-away network namespace (nothing is sent out of the real interfaces).
# Run as root from anywhere: bash tests/data/proc/capture.sh
# (CAPTURE=v6 re-captures only the IPv6 fixtures, CAPTURE=v4 only the IPv4.)
# The fixtures were captured on Debian 12 with kernel 6.18 (x86_64).
MCAST_BIN_DIR=${MCAST_BIN_DIR:-unused}
source "$(dirname "$0")/../../integration/lib.sh"
require_root
OUT=$(cd "$(dirname "$0")" && pwd)
JOIN="$SRC/tests/integration/mcast_join.py"
NS=${P}cap

# setup: lo with a multicast route, a veth pair (cap0/cap1) and a veth whose
# 15-character name /proc/net/mcfilter cuts to 6 characters.
setup() {
  ip netns del "$NS" 2>/dev/null || true
  netns_add "$NS"
  lo_multicast "$NS"
  ip -n "$NS" link add cap0 type veth peer name cap1
  ip -n "$NS" link add averylongname15 type veth peer name shortpeer
  ip -n "$NS" addr add 10.9.0.1/24 dev cap0
  ip -n "$NS" addr add 10.9.0.2/24 dev cap1
  ip -n "$NS" addr add 10.9.1.1/24 dev averylongname15
  for l in cap0 cap1 averylongname15 shortpeer; do ip -n "$NS" link set "$l" up; done
  sleep 2  # let IPv6 DAD and the initial joins settle
}

# capture NAME JOIN_SPEC...: hold the joins, then copy the three files.
capture() {
  local name=$1; shift
  in_ns "$NS" python3 "$JOIN" "$@" >"$WORK/join.out" &
  local pid=$!
  wait_for 5 grep -q ready "$WORK/join.out"
  in_ns "$NS" cat /proc/net/igmp >"$OUT/$name.igmp"
  in_ns "$NS" cat /proc/net/mcfilter >"$OUT/$name.mcfilter"
  in_ns "$NS" cat /proc/net/igmp6 >"$OUT/$name.igmp6"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

# capture6 NAME JOIN_SPEC...: hold the joins, then copy the IPv6 files and
# cap0's MLD counters and force_mld_version.
capture6() {
  local name=$1; shift
  in_ns "$NS" python3 "$JOIN" "$@" >"$WORK/join.out" &
  local pid=$!
  wait_for 5 grep -q ready "$WORK/join.out"
  sleep 0.5  # the join's report goes out at once; let it be counted
  in_ns "$NS" cat /proc/net/igmp6 >"$OUT/$name.igmp6"
  in_ns "$NS" cat /proc/net/mcfilter6 >"$OUT/$name.mcfilter6"
  in_ns "$NS" cat /proc/net/dev_snmp6/cap0 >"$OUT/$name.dev_snmp6"
  in_ns "$NS" cat /proc/sys/net/ipv6/conf/cap0/force_mld_version >"$OUT/$name.force_mld_version"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

if [[ ${CAPTURE:-all} != v6 ]]; then
setup
# Two users of one ASM group, an SSM group with two sources, an exclude-mode
# group blocking one source, a join on lo, an SSM join on the long name, and
# an IPv6 group. The last IPv4 join on cap0 has sources, so mcfilter is whole.
capture mixed \
  10.9.0.1,239.1.1.1 10.9.0.1,239.1.1.1 \
  10.9.0.1,232.1.1.1,10.9.0.2 10.9.0.1,232.1.1.1,10.9.0.3 \
  127.0.0.1,239.2.2.2 10.9.1.1,232.5.5.5,10.9.1.2 \
  cap0,ff15::1234 10.9.0.1,239.3.3.3,-10.9.0.9

# An SSM join, then an ASM join of another group on the same device: the
# kernel's mcfilter listing only looks at each device's newest group, so the
# SSM source is missing (the file is empty).
setup
capture hidden_source 10.9.0.1,232.1.1.1,10.9.0.2 10.9.0.1,239.1.1.1

# As above, plus an SSM join on a later device: the listing starts there, so
# cap0 (earlier) is still missing while averylongname15 is listed.
setup
capture partial_listing 10.9.0.1,232.1.1.1,10.9.0.2 10.9.0.1,239.1.1.1 \
  10.9.1.1,232.5.5.5,10.9.1.2

# force_igmp_version=2 on cap0: the Querier column shows V2 and the join's
# report timer is still running when captured.
setup
in_ns "$NS" sysctl -qw net.ipv4.conf.cap0.force_igmp_version=2
capture forced_v2 10.9.0.1,239.1.1.1 10.9.0.1,232.1.1.1,10.9.0.2
in_ns "$NS" cat /proc/sys/net/ipv4/conf/cap0/force_igmp_version >"$OUT/forced_v2.force_igmp_version"
fi

if [[ ${CAPTURE:-all} != v4 ]]; then
# IPv6: two users of one ASM group, an SSM group with two sources, an SSM
# group on the long name (mcfilter6 cuts it to "averyl"), and last an
# exclude-mode group blocking one source, so cap0's newest group has sources
# and the listing is whole from cap0 on.
setup
capture6 v6_mixed \
  cap0,ff15::1234 cap0,ff15::1234 \
  cap0,ff3e::8000:1,2001:db8::5 cap0,ff3e::8000:1,2001:db8::6 \
  averylongname15,ff3e::8000:2,2001:db8::7 cap0,ff15::77,-2001:db8::9

# An SSM join, then an ASM join of another group on the same device: as for
# IPv4, the kernel's mcfilter6 listing looks only at each device's newest
# group, so the SSM source is missing (the file has only its header).
setup
capture6 v6_hidden_source cap0,ff3e::8000:1,2001:db8::5 cap0,ff15::1234

# force_mld_version=1 on cap0: the join sends MLDv1 reports (type 131,
# Icmp6OutGroupMembResponses), the SSM join included (without its source).
setup
in_ns "$NS" sysctl -qw net.ipv6.conf.cap0.force_mld_version=1
capture6 v6_forced_v1 cap0,ff15::1234 cap0,ff3e::8000:1,2001:db8::5
fi
echo "captured into $OUT"
