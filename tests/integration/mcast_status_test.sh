#!/usr/bin/env bash
# mcast-status against real memberships: in a namespace with a veth pair,
# hold an ASM join and an SSM join (with its source), then check the JSON;
# force IGMPv2 on the interface and check it shows; an unknown interface is
# a usage error (64).
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
