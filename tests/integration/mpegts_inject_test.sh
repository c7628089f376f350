#!/usr/bin/env bash
# MPEG-TS ground truth by construction: ts_inject.py sends TS over UDP and
# TS over RTP (with CSRCs and a header extension to skip) on two groups at
# once, each with the same known faults (CC skip, legal single repeat,
# illegal double repeat, discontinuity flag, TEI, broken sync byte, dropped
# datagrams, a PAT gap), and prints the exact TR 101 290 counts they must
# produce; the analyser, fed by real sockets, must report exactly those.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd jq python3

LISTEN=${TS_LISTEN:-$BIN/../tests/mcast_ts_listen}
[[ -x $LISTEN ]] || fail "no $LISTEN (build the mcast_ts_listen target)"
ns=${P}lo
topo_lo "$ns"

faults=cc-skip@3,repeat@25,double-repeat@48,discontinuity@62,tei@74,sync@86
faults+=,drop@120,drop@131,pat-gap@150:800,cc-skip@260
G_UDP=239.255.14.1 G_RTP=239.255.14.2

bg "$ns" "$LISTEN" "$G_UDP" 5000 >"$WORK/udp.json"
udp=$!
bg "$ns" "$LISTEN" "$G_RTP" 5002 --rtp >"$WORK/rtp.json"
rtp=$!
wait_joined "$ns" "$G_UDP"
wait_joined "$ns" "$G_RTP"

in_ns "$ns" python3 "$SRC/tests/integration/ts_inject.py" --group "$G_UDP" \
  --port 5000 --count 300 --faults "$faults" >"$WORK/udp.expect" &
inj_udp=$!
in_ns "$ns" python3 "$SRC/tests/integration/ts_inject.py" --group "$G_RTP" \
  --port 5002 --count 300 --faults "$faults" --rtp --csrcs 2 --extension-words 1 \
  >"$WORK/rtp.expect"
wait "$inj_udp" || fail "UDP injector failed"
exits_within 10 "$udp" || fail "UDP listener did not finish"
exits_within 10 "$rtp" || fail "RTP listener did not finish"

for flow in udp rtp; do
  got=$WORK/$flow.json want=$WORK/$flow.expect
  expect_eq "$flow datagrams" "$(jq .datagrams "$got")" "$(jq .datagrams "$want")"
  expect_eq "$flow ts packets" "$(jq .ts_packets "$got")" "$(jq .ts_packets "$want")"
  for key in continuity_count_errors duplicate_packets discontinuities \
    transport_errors sync_byte_errors pat_errors; do
    expect_eq "$flow $key" "$(jq ".$key" "$got")" "$(jq ".expect.$key" "$want")"
  done
  expect_eq "$flow misaligned" "$(jq .misaligned_datagrams "$got")" 0
  expect_eq "$flow rtp header errors" "$(jq .rtp_header_errors "$got")" 0
  expect_eq "$flow pids" "$(jq -c '[.pids[].pid]' "$got")" "[0,256,257]"
done
# The pattern's numbers, so a change to the injector cannot hollow the test.
expect_eq "expected CC errors" "$(jq .expect.continuity_count_errors "$WORK/udp.expect")" 8
expect_eq "expected PAT errors" "$(jq .expect.pat_errors "$WORK/udp.expect")" 1
pass "TS over UDP and over RTP: every injected fault counted exactly"
