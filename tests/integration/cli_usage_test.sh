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

check "mcast-send: '10.1.1.1' is not an IPv4 multicast group (use 224.0.0.0-239.255.255.255, e.g. 239.0.10.101)" \
  "$BIN/mcast-send" 10.1.1.1
check "mcast-send: invalid rate 'lots': not a number with a unit (use e.g. 25pps, 1000, 64kbps, 1.5Mbps, 1Gbps)" \
  "$BIN/mcast-send" 239.1.1.1 --rate lots
check "mcast-send: invalid DSCP 'gold': use 0-63 or a name (be, ef, va, af11-af43, cs0-cs7)" \
  "$BIN/mcast-send" 239.1.1.1 --dscp gold
check "mcast-send: no interface named 'nosuch0'" \
  "$BIN/mcast-send" 239.1.1.1 --interface nosuch0
check "mcast-send: invalid size 31: use 32-65507 bytes (UDP payload, header included)" \
  "$BIN/mcast-send" 239.1.1.1 --size 31
check "mcast-send: invalid TTL 256: use 0-255" "$BIN/mcast-send" 239.1.1.1 10 256
check "mcast-receive: SSM (S,G) join needs IGMPv3; got --igmp-version 2" \
  "$BIN/mcast-receive" 232.1.1.1 10.0.0.1 --igmp-version 2
check "mcast-receive: SSM (S,G) join needs IGMPv3; got --igmp-version 1" \
  "$BIN/mcast-receive" 232.1.1.1 10.0.0.1 1
check "mcast-receive: '300.1.1.1' is not an IPv4 multicast group (use 224.0.0.0-239.255.255.255, e.g. 239.0.10.101)" \
  "$BIN/mcast-receive" 300.1.1.1
check "mcast-receive: no interface named 'nosuch0'" \
  "$BIN/mcast-receive" 239.1.1.1 -i nosuch0
check "mcast-receive: --stall-timeout must be greater than zero" \
  "$BIN/mcast-receive" 239.1.1.1 --stall-timeout 0

"$BIN/mcast-send" --help | grep -q "Examples:" || fail "mcast-send --help has no examples"
"$BIN/mcast-receive" --help | grep -q "Examples:" || fail "mcast-receive --help has no examples"
expect_eq "mcast-send --version" "$("$BIN/mcast-send" --version)" "$(grep -oP 'project\(mcast-tools VERSION \K[0-9.]+' "$SRC/CMakeLists.txt")"
pass "bad usage gives exit 64 and one clear line"
