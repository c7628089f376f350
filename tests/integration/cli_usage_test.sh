#!/usr/bin/env bash
# Bad usage: exit 64 and one clear line on stderr. Needs no root: nothing
# is sent (validation happens before any socket is opened).
source "$(dirname "$0")/lib.sh"

check() {  # check EXPECTED_LINE CMD...
  local want=$1; shift
  local rc=0
  "$@" >"$WORK/out" 2>"$WORK/err" </dev/null || rc=$?
  expect_eq "exit code of: $*" "$rc" 64
  expect_eq "stderr of: $*" "$(cat "$WORK/err")" "$want"
}

check 'mcast-send: group: 10.1.1.1 is not a multicast address (an IPv4 multicast address, e.g. "239.1.2.3", in 224.0.0.0/4)' \
  "$BIN/mcast-send" 10.1.1.1
check "mcast-send: --rate: invalid rate 'lots': not a number with a unit (use e.g. 25pps, 1000, 64kbps, 1.5Mbps, 1Gbps)" \
  "$BIN/mcast-send" 239.1.1.1 --rate lots
check "mcast-send: --dscp: invalid DSCP 'gold': use 0-63 or a name (be, ef, va, af11-af43, cs0-cs7)" \
  "$BIN/mcast-send" 239.1.1.1 --dscp gold
check "mcast-send: --interface: no interface named 'nosuch0'" \
  "$BIN/mcast-send" 239.1.1.1 --interface nosuch0
check "mcast-send: --size: 31 is out of range (32 to 65507 bytes)" \
  "$BIN/mcast-send" 239.1.1.1 --size 31
check "mcast-send: --ttl: 256 is out of range (0 to 255)" "$BIN/mcast-send" 239.1.1.1 10 256
# Rules shared with the exporter's [[sender]] (probe/spec_check.h).
check 'mcast-send: group: 224.0.0.5 is in 224.0.0.0/24, reserved for link-local control protocols (an IPv4 multicast address, e.g. "239.1.2.3", outside 224.0.0.0/24)' \
  "$BIN/mcast-send" 224.0.0.5
check "mcast-send: --rate: 2Gbps with 200-byte datagrams is 1250000 packets per second (0.001 to 1000000 packets per second)" \
  "$BIN/mcast-send" 239.1.1.1 --rate 2Gbps
check "mcast-receive: --igmp-version: SSM receiver (source 10.0.0.1) needs IGMP version 3, got 2" \
  "$BIN/mcast-receive" 232.1.1.1 10.0.0.1 --igmp-version 2
check "mcast-receive: --igmp-version: SSM receiver (source 10.0.0.1) needs IGMP version 3, got 1" \
  "$BIN/mcast-receive" 232.1.1.1 10.0.0.1 1
check "mcast-receive: group: '300.1.1.1' is not an IP address (an IPv4 multicast address, e.g. \"239.1.2.3\")" \
  "$BIN/mcast-receive" 300.1.1.1
check "mcast-receive: --interface: no interface named 'nosuch0'" \
  "$BIN/mcast-receive" 239.1.1.1 -i nosuch0
check "mcast-receive: --stall-timeout: '0' is not greater than zero (a duration greater than zero, e.g. \"250ms\", \"3s\", 2.5)" \
  "$BIN/mcast-receive" 239.1.1.1 --stall-timeout 0
check 'mcast-receive: source: 0.0.0.0 is not a unicast address (an IPv4 unicast address, e.g. "10.0.0.1")' \
  "$BIN/mcast-receive" 232.1.1.1 0.0.0.0

"$BIN/mcast-send" --help | grep -q "Examples:" || fail "mcast-send --help has no examples"
"$BIN/mcast-receive" --help | grep -q "Examples:" || fail "mcast-receive --help has no examples"
expect_eq "mcast-send --version" "$("$BIN/mcast-send" --version)" "$(grep -oP 'project\(mcast-tools VERSION \K[0-9.]+' "$SRC/CMakeLists.txt")"
pass "bad usage gives exit 64 and one clear line"
