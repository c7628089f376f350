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

# One Python run for every check (a jq per value is slow on a loaded box).
python3 - "$WORK" <<'PY' || fail "see the line above"
import json, sys

def check(what, got, want):
    if got != want:
        print(f"FAIL: {what}: got {got!r}, expected {want!r}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {what} = {got}")

for flow in ("udp", "rtp"):
    got = json.load(open(f"{sys.argv[1]}/{flow}.json"))
    want = json.load(open(f"{sys.argv[1]}/{flow}.expect"))
    check(f"{flow} datagrams", got["datagrams"], want["datagrams"])
    check(f"{flow} ts packets", got["ts_packets"], want["ts_packets"])
    for key in ("continuity_count_errors", "duplicate_packets", "discontinuities",
                "transport_errors", "sync_byte_errors", "pat_errors"):
        check(f"{flow} {key}", got[key], want["expect"][key])
    check(f"{flow} misaligned", got["misaligned_datagrams"], 0)
    check(f"{flow} rtp header errors", got["rtp_header_errors"], 0)
    check(f"{flow} pids", [p["pid"] for p in got["pids"]], [0, 256, 257])
    # The pattern's numbers, so a change to the injector cannot hollow it.
    check(f"{flow} expected CC errors", want["expect"]["continuity_count_errors"], 8)
    check(f"{flow} expected PAT errors", want["expect"]["pat_errors"], 1)
PY
pass "TS over UDP and over RTP: every injected fault counted exactly"
