#!/usr/bin/env bash
# Without CAP_NET_RAW (dropped with setpriv from the inheritable and
# bounding sets, so the exec'd tool has it nowhere) no raw socket can watch
# the querier: each tool says so once and goes on. mcast-receive receives
# every packet sent and reports the querier as not listening, with the
# reason; mcast-status --querier-wait shows the interface with the same;
# the exporter logs one line, exports no mcast_querier_* series and counts
# every packet.
# families: 4 6
source "$(dirname "$0")/lib.sh"
require_root
require_cmd jq setpriv curl

tx=${P}tx
rx=${P}rx
topo_pair "$tx" "$rx" 10.93.0
G=$(by_family 239.93.0.1 ff15::93:0:1)
PROTO=$(by_family igmp mld)
NORAW=(setpriv --inh-caps=-net_raw --bounding-set=-net_raw)
# shellcheck disable=SC2016 # awk's own $2
capeff=$(in_ns "$rx" "${NORAW[@]}" awk '/^CapEff:/ { print $2 }' /proc/self/status)
(((16#$capeff >> 13) & 1)) && fail "setpriv left CAP_NET_RAW (CapEff $capeff)"
# send SECONDS: 200 pps from tx; prints the packets sent.
send() {
  in_ns "$tx" "$BIN/mcast-send" "$G" "$1" 64 --rate 200pps -i "${P}a" --quiet --json \
    >"$WORK/send.json" || fail "mcast-send failed"
  jq -r .packets "$WORK/send.json"
}

log "mcast-receive without CAP_NET_RAW"
before=$(group_users "$rx" "$G")
in_ns "$rx" "${NORAW[@]}" "$BIN/mcast-receive" "$G" -i "${P}b" --duration 2 --json \
  >"$WORK/r.json" 2>"$WORK/r.err" &
r=$!
track "$r"
wait_for 5 _joined_more "$rx" "$G" "$before" || { cat "$WORK/r.err" >&2; fail "receiver never joined"; }
sent=$(send 0.5)
wait "$r" || { cat "$WORK/r.err" >&2; fail "mcast-receive failed without CAP_NET_RAW"; }
((sent > 0)) || fail "nothing sent"
expect_eq "received without CAP_NET_RAW" "$(jq .totals.packets "$WORK/r.json")" "$sent"
expect_eq "warnings about the querier" "$(grep -c 'not watching the querier' "$WORK/r.err")" 1
expect_eq "querier listening" "$(jq .querier.listening "$WORK/r.json")" false
jq -e '.querier.error | test("not permitted|permission"; "i")' "$WORK/r.json" >/dev/null ||
  fail "querier error gives no reason: $(jq -c .querier "$WORK/r.json")"

log "mcast-status --querier-wait without CAP_NET_RAW"
in_ns "$rx" "${NORAW[@]}" "$BIN/mcast-status" -i "${P}b" --querier-wait 0.3 --json \
  >"$WORK/s.json" 2>"$WORK/s.err" || { cat "$WORK/s.err" >&2; fail "mcast-status failed"; }
expect_eq "status warnings" "$(grep -c 'querier not watched' "$WORK/s.err")" 1
expect_eq "status interface" "$(jq -r '.interfaces[0].name' "$WORK/s.json")" "${P}b"
expect_eq "status: $PROTO querier listening" \
  "$(jq ".interfaces[0].querier.$PROTO.listening" "$WORK/s.json")" false

log "mcast-exporter without CAP_NET_RAW"
cat >"$WORK/rx.toml" <<TOML
[[receiver]]
name = "rx"
group = "$G"
interface = "${P}b"
TOML
# shellcheck disable=SC2034 # start_exporter runs under it
EXPORTER_WRAP=("${NORAW[@]}")
start_exporter "$rx" "$WORK/rx.toml" --state-dir ''
wait_metric 5 mcast_rx_joined 'probe="rx"' 1
sent=$(send 0.5)
wait_metric 5 mcast_rx_packets_total 'probe="rx"' "$sent"
scrape m.txt
expect_eq "mcast_querier_* series" "$(grep -c '^mcast_querier_' "$WORK/m.txt" || true)" 0
expect_eq "exporter log lines about queriers" \
  "$(grep -c 'not watching IGMP/MLD queriers' "$WORK/exporter.log")" 1
stop_exporter
pass "without CAP_NET_RAW each tool says once that it cannot watch the querier and goes on ($(by_family IPv4 IPv6))"
