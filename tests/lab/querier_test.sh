#!/usr/bin/env bash
# The querier as the receivers see it, on the lan topology whose bridge is
# the IGMP querier (mcast_query_use_ifaddr 1: queries from 10.0.5.254).
# Intervals shortened: query interval 1 s, response 0.5 s, so the computed
# "no querier" limit is 2 x 1 s + 0.5 s = 2.5 s.
#  1. mcast-status --querier-wait in rcv1 sees the bridge: address,
#     IGMPv3, the query interval, max response and robustness the bridge
#     was configured with (read back from `ip -d link`); the same for its
#     MLDv2 queries, from the bridge's link-local address (the bridge sends
#     MLD queries only once br0 has a usable IPv6 address: the lab has no
#     DAD, so its link-local one is never tentative).
#  2. A receiver running while the querier is switched off reports "none"
#     once the limit has passed (and "present" in a status taken before).
#  3. The bridge set to IGMPv2 and MLDv1: versions 2 and 1 (no QQIC: the
#     125 s default; MLDv1's max response delay still 0.5 s).
# mcast-receive's Querier line says the same: in its live dashboard (under
# a pseudo-terminal) and its text summary, present with the timers, then
# "NO IGMP QUERIER" with the limit's terms and the last querier.
# An exporter with an IPv4 and an IPv6 receiver on rcv1 follows in
# mcast_querier_* for both protocols: info with the address and IGMPv3 /
# MLDv2, up 1 -> 0 after the switch-off, versions 2 and 1 with the old
# querier (below the receivers' configured 3 and 2: McastQuerierVersionLow's
# condition, evaluated here on the scrape; promtool tests the rule itself).
source "$(dirname "$0")/lab.sh"
require_root
require_cmd jq bridge script
lab_test_up lan
G1=$LAB_GROUP_SSM
ip -n "$LAB_SW" link set br0 type bridge mcast_query_interval 100 \
  mcast_query_response_interval 50 mcast_mld_version 2
# A running query timer keeps its old (125 s) period: restart the querier
# so the new intervals apply at once (it waits one response interval first).
ip -n "$LAB_SW" link set br0 type bridge mcast_querier 0
ip -n "$LAB_SW" link set br0 type bridge mcast_querier 1
link=$(ip -d -n "$LAB_SW" link show br0)
grep -q 'mcast_query_interval 100 ' <<<"$link" || fail "bridge query interval not set: $link"
grep -q 'mcast_query_response_interval 50 ' <<<"$link" || fail "bridge response interval not set"
bridge_ll=$(ip -n "$LAB_SW" -6 addr show dev br0 scope link | awk '/inet6/ {sub(/\/.*/, "", $2); print $2}')

cat >"$WORK/exporter.toml" <<EOF
[[receiver]]
name = "r1"
group = "$G1"
source = "10.0.5.1"
interface = "rcv1-eth0"

[[receiver]]
name = "r6"
group = "ff15::1:1"
interface = "rcv1-eth0"
EOF
start_exporter "$LAB_RCV1" "$WORK/exporter.toml" --state-dir ''
QL='interface="rcv1-eth0",protocol="igmp"'
Q6='interface="rcv1-eth0",protocol="mld"'
# version_low SCRAPE LABELS: McastQuerierVersionLow's expression on a
# scrape, (version < expected) > 0, for one series: 1 fires, 0 not.
version_low() {
  local v e
  v=$(metric "$1" mcast_querier_version "$2")
  e=$(metric "$1" mcast_querier_version_expected "$2")
  [[ -n $v && -n $e ]] || fail "no version/expected series for $2"
  if ((v < e && v > 0)); then echo 1; else echo 0; fi
}

status() { in_ns "$LAB_RCV1" "$BIN/mcast-status" -i rcv1-eth0 --json --querier-wait "$1"; }
status 1.3 >"$WORK/s1.json" || fail "mcast-status failed"
q() { jq -r ".interfaces[0].querier.$2" "$WORK/$1.json"; }
expect_eq "igmp presence" "$(q s1 igmp.presence)" present
expect_eq "igmp querier address" "$(q s1 igmp.address)" 10.0.5.254
expect_eq "igmp version" "$(q s1 igmp.version)" 3
expect_eq "query interval (QQIC)" "$(q s1 igmp.query_interval_seconds)" 1
expect_eq "QQIC carried" "$(q s1 igmp.query_interval_carried)" true
expect_eq "max response" "$(q s1 igmp.max_response_seconds)" 0.5
expect_eq "robustness" "$(q s1 igmp.robustness)" 2
expect_eq "no-querier limit" "$(q s1 igmp.timeout_seconds)" 2.5
(($(q s1 igmp.queries) >= 1)) || fail "no query counted"
expect_eq "mld presence" "$(q s1 mld.presence)" present
expect_eq "mld version" "$(q s1 mld.version)" 2
expect_eq "mld querier address" "$(q s1 mld.address)" "$bridge_ll"
expect_eq "mld query interval (QQIC)" "$(q s1 mld.query_interval_seconds)" 1
expect_eq "mld QQIC carried" "$(q s1 mld.query_interval_carried)" true
expect_eq "mld max response" "$(q s1 mld.max_response_seconds)" 0.5
expect_eq "mld robustness" "$(q s1 mld.robustness)" 2
expect_eq "mld no-querier limit" "$(q s1 mld.timeout_seconds)" 2.5
(($(q s1 mld.queries) >= 1)) || fail "no MLD query counted"
in_ns "$LAB_RCV1" "$BIN/mcast-status" -i rcv1-eth0 --querier-wait 1.1 >"$WORK/s1.txt"
grep -q 'IGMPv3 querier 10.0.5.254: query interval 1 s (QQIC)' "$WORK/s1.txt" ||
  { cat "$WORK/s1.txt" >&2; fail "text output lacks the IGMP querier"; }
grep -q "MLDv2 querier $bridge_ll: query interval 1 s (QQIC), max response 0.5 s" "$WORK/s1.txt" ||
  { cat "$WORK/s1.txt" >&2; fail "text output lacks the MLD querier"; }

# The receiver's dashboard line, live (script: a pseudo-terminal, so it
# draws frames) for IGMP, and in the text summary for MLD.
in_ns "$LAB_RCV1" script -qec "$BIN/mcast-receive $G1 10.0.5.1 -i rcv1-eth0 --duration 1.6" \
  /dev/null >"$WORK/live.txt" 2>&1 </dev/null &
live=$!
track "$live"
in_ns "$LAB_RCV1" "$BIN/mcast-receive" ff15::1:1 -i rcv1-eth0 --duration 1.6 >"$WORK/r6.txt" ||
  fail "mcast-receive (MLD, text) failed"
wait "$live" || { cat -v "$WORK/live.txt" >&2; fail "mcast-receive (dashboard) failed"; }
frames=$(grep -ac 'Querier  IGMPv3 querier 10.0.5.254: query interval 1 s (QQIC), max response 0.5 s, robustness 2, last query [0-9.]* s ago, [0-9]* quer' "$WORK/live.txt" || true)
((frames >= 1)) || { cat -v "$WORK/live.txt" >&2; fail "no dashboard frame shows the IGMP querier"; }
echo "ok: $frames dashboard frames show the IGMPv3 querier"
grep -q "^Querier  MLDv2 querier $bridge_ll: query interval 1 s (QQIC), max response 0.5 s, robustness 2, last query [0-9.]* s ago, [0-9]* quer" "$WORK/r6.txt" ||
  { cat "$WORK/r6.txt" >&2; fail "the receiver's text lacks the MLD querier line"; }

wait_metric 5 mcast_querier_up "$QL" 1
scrape q1.txt
expect_eq "exporter: querier info" \
  "$(metric q1.txt mcast_querier_info 'interface="rcv1-eth0",address="10.0.5.254",version="IGMPv3"')" 1
expect_eq "exporter: configured version" "$(metric q1.txt mcast_querier_version_expected "$QL")" 3
(($(metric q1.txt mcast_querier_queries_total "$QL") >= 1)) || fail "exporter counted no query"
[[ -n $(metric q1.txt mcast_querier_last_query_timestamp_seconds "$QL") ]] || fail "no last-query time"
wait_metric 5 mcast_querier_up "$Q6" 1
scrape q1.txt
expect_eq "exporter: MLD querier info" \
  "$(metric q1.txt mcast_querier_info "interface=\"rcv1-eth0\",address=\"$bridge_ll\",version=\"MLDv2\"")" 1
expect_eq "exporter: MLD version" "$(metric q1.txt mcast_querier_version "$Q6")" 2
expect_eq "exporter: configured MLD version" "$(metric q1.txt mcast_querier_version_expected "$Q6")" 2
(($(metric q1.txt mcast_querier_queries_total "$Q6") >= 1)) || fail "exporter counted no MLD query"
[[ -n $(metric q1.txt mcast_querier_last_query_timestamp_seconds "$Q6") ]] || fail "no last MLD query time"
expect_eq "version-low condition, IGMPv3 querier" "$(version_low q1.txt "$QL")" 0
expect_eq "version-low condition, MLDv2 querier" "$(version_low q1.txt "$Q6")" 0

# 2. Off: 1 s into a 5 s receiver run; the last query came at most 1 s
# before, so by 1 + 2.5 s + slack the limit has passed.
start_receiver r1 "$LAB_RCV1" "$G1" 10.0.5.1 -i rcv1-eth0 --duration 4.5
in_ns "$LAB_RCV1" "$BIN/mcast-receive" "$G1" 10.0.5.1 -i rcv1-eth0 --duration 4.5 \
  >"$WORK/r1.txt" 2>&1 &
text=$!
track "$text"
sleep 1
ip -n "$LAB_SW" link set br0 type bridge mcast_querier 0
off_at=$SECONDS
wait "${_RECEIVER_PIDS[r1]}" || fail "receiver failed"
expect_eq "receiver: querier presence after switch-off" "$(rx r1 .querier.presence)" none
expect_eq "receiver: last querier" "$(rx r1 .querier.address)" 10.0.5.254
since=$(rx r1 .querier.seconds_since_last_query)
jq -e "$since > 2.5" <<<null >/dev/null || fail "none declared before the limit ($since s)"
((SECONDS - off_at <= 6)) || fail "receiver ran too long"
wait "$text" || fail "mcast-receive (text) failed"
grep -q '^Querier  NO IGMP QUERIER: no general query for [0-9.]* s (limit 2 x 1 s + 0.5 s = 2.5 s; last was IGMPv3 querier 10.0.5.254)$' \
  "$WORK/r1.txt" || { cat "$WORK/r1.txt" >&2; fail "the receiver's text lacks the no-querier line"; }
wait_metric 3 mcast_querier_up "$QL" 0
wait_metric 3 mcast_querier_up "$Q6" 0

# 3. An IGMPv2 and MLDv1 querier (the hosts drop to v2 / MLDv1
# compatibility: last step).
ip -n "$LAB_SW" link set br0 type bridge mcast_igmp_version 2 mcast_mld_version 1
ip -n "$LAB_SW" link set br0 type bridge mcast_querier 1
status 2 >"$WORK/s2.json" || fail "mcast-status failed"
expect_eq "v2 querier presence" "$(q s2 igmp.presence)" present
expect_eq "v2 querier version" "$(q s2 igmp.version)" 2
expect_eq "v2: no QQIC, default interval" "$(q s2 igmp.query_interval_seconds)" 125
expect_eq "MLDv1 querier presence" "$(q s2 mld.presence)" present
expect_eq "MLDv1 querier version" "$(q s2 mld.version)" 1
expect_eq "MLDv1 querier address" "$(q s2 mld.address)" "$bridge_ll"
expect_eq "MLDv1: no QQIC" "$(q s2 mld.query_interval_carried)" false
expect_eq "MLDv1: default interval" "$(q s2 mld.query_interval_seconds)" 125
expect_eq "MLDv1 max response delay" "$(q s2 mld.max_response_seconds)" 0.5
expect_eq "MLDv1: default robustness" "$(q s2 mld.robustness)" 2
expect_eq "MLDv1 no-querier limit" "$(q s2 mld.timeout_seconds)" 250.5
in_ns "$LAB_RCV1" "$BIN/mcast-status" -i rcv1-eth0 --querier-wait 1.1 >"$WORK/s2.txt"
grep -q "MLDv1 querier $bridge_ll: query interval 125 s (default), max response 0.5 s" "$WORK/s2.txt" ||
  { cat "$WORK/s2.txt" >&2; fail "text output lacks the MLDv1 querier"; }
wait_metric 3 mcast_querier_version "$QL" 2
wait_metric 3 mcast_querier_up "$QL" 1
wait_metric 3 mcast_querier_version "$Q6" 1
wait_metric 3 mcast_querier_up "$Q6" 1
scrape q2.txt
expect_eq "exporter: MLDv1 querier info" \
  "$(metric q2.txt mcast_querier_info "interface=\"rcv1-eth0\",address=\"$bridge_ll\",version=\"MLDv1\"")" 1
expect_eq "version-low condition, IGMPv2 querier (want 3)" "$(version_low q2.txt "$QL")" 1
expect_eq "version-low condition, MLDv1 querier (want 2)" "$(version_low q2.txt "$Q6")" 1
stop_exporter
pass "querier seen with address, version and timers (IGMP and MLD; status, receiver dashboard and text, exporter); none after the limit; IGMPv2 and MLDv1 seen as such, below the configured versions"
