#!/usr/bin/env bash
# A [[mesh]] of 8 members on one bridge, one real Prometheus over all of
# them (issue 17). topo_snoop_bridge 9: namespaces h1..h9 (10.77.0.1-9) on a
# snooping bridge, Prometheus in its own namespace on it (10.77.0.200).
# Every member runs mcast-exporter with the SAME file ($WORK/mesh.toml, ASM
# group 239.77.0.1:19780, 50 pps); h1 with --mesh-member m1, the others
# self-detected. Prometheus scrapes and evaluates every second, with the
# shipped dashboards/prometheus rules ("for:" set to 0s in its copy, nothing
# else changed). Asserted through the Prometheus HTTP API:
#   1. all 8x7 cells of the matrix (mcast:mesh_pair_*) present and healthy:
#      receiving, 0 loss, 0 hops, 0 re-marked; mcast_mesh_members 8 everywhere;
#   2. nft on m3's uplink (netdev egress of its eth0, so its sends succeed)
#      drops every 10th mesh packet (numgen inc mod 10): m3's row at every
#      receiver has lost == the nft drop counter exactly (drops stopped
#      first, then compared), every other cell 0 lost; McastMeshPairLoss
#      fires for exactly m3 -> each of the 7 others, naming both ends; the
#      Grafana twins of the mesh rules fire the same; every mesh dashboard
#      query returns data;
#   3. m5's exporter stopped: its row stalled at every receiver,
#      McastMeshMemberSilent for m5 (and no pair-stalled alert);
#   4. m9 added to the file, started, SIGHUP to the others: m9 appears at
#      every running member and they at m9; no counter reset, no restart.
source "$(dirname "$0")/../integration/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
DASH=$HERE/../dashboards

[[ -x $BIN/mcast-exporter ]] || fail "mcast-exporter is not built ($BIN/mcast-exporter)"
require_root
require_cmd prometheus jq curl python3 nft
python3 -c 'import yaml' 2>/dev/null || skip "needs python3-yaml (.ci/install-deps)"

NET=10.77.0
GROUP=239.77.0.1
MPORT=19780
N=8
PROMNS=${P}prom
PROM=http://$NET.200:9090

topo_snoop_bridge 9 "$NET"
bridge_attach "$PROMNS" "$NET.200"
log "bridge with 9 hosts and Prometheus up"

# mesh_file MEMBERS: the one mesh file, members m1..mMEMBERS.
mesh_file() {
  local i
  cat <<EOF
[exporter]
listen = "0.0.0.0:19779"

[defaults]
stall_timeout = "1s"
reorder_window = "200ms"

[[mesh]]
name = "lab"
group = "$GROUP"
port = $MPORT
rate = "50pps"
interface = "eth0"
EOF
  for ((i = 1; i <= $1; i++)); do
    printf '[[mesh.member]]\nname = "m%d"\naddress = "%s.%d"\n' "$i" "$NET" "$i"
  done
}
mesh_file "$N" >"$WORK/mesh.toml"

# Self-detection names the member (--check-config's one line).
out=$(in_ns "${P}h3" "$BIN/mcast-exporter" --check-config "$WORK/mesh.toml" 2>&1) ||
  { echo "$out" >&2; fail "h3: --check-config rejects the mesh file"; }
[[ $out == *"mesh lab: this host is m3 ($NET.3)"* ]] ||
  fail "h3: --check-config does not say it is m3: $out"
echo "ok: h3 --check-config: $(grep 'mesh lab' <<<"$out")"

declare -A EXP_PID
start_member() {  # I [ARGS...]: mcast-exporter in hI with the mesh file
  local i=$1; shift
  bg "${P}h$i" "$BIN/mcast-exporter" --config "$WORK/mesh.toml" "$@" 2>"$WORK/m$i.log"
  EXP_PID[$i]=$!
}
member_up() { in_ns "${P}h$1" curl -sf -o /dev/null "http://127.0.0.1:19779/metrics"; }
start_member 1 --mesh-member m1
for ((i = 2; i <= N; i++)); do start_member "$i"; done
for ((i = 1; i <= N; i++)); do
  wait_for 15 member_up "$i" || { cat "$WORK/m$i.log" >&2; fail "m$i's exporter does not serve /metrics"; }
done
log "$N exporters serve /metrics"

# --- Prometheus -----------------------------------------------------------------
targets=()
for ((i = 1; i <= 9; i++)); do targets+=("$NET.$i:19779"); done
start_prometheus "$PROMNS" "$NET.200:9090" "${targets[@]}"

# q PROMQL: "sender>receiver=value" lines (sorted) of an instant query.
q() {
  in_ns "$PROMNS" curl -sS -G "$PROM/api/v1/query" --data-urlencode "query=$1" |
    jq -r '.data.result[] | "\(.metric.sender_name // "-")>\(.metric.receiver_name // "-")=\(.value[1])"' | sort
}
# cells VALUE SENDERS RECEIVERS: the expected q output, every sender x
# receiver (not the diagonal) = VALUE.
cells() {
  local v=$1 s r
  for s in $2; do for r in $3; do [[ $s == "$r" ]] || echo "m$s>m$r=$v"; done; done | sort
}
# firing PREFIX: "alertname sender>receiver" of the firing alerts whose
# name starts with PREFIX, sorted.
firing() {
  in_ns "$PROMNS" curl -sS "$PROM/api/v1/alerts" | jq -r --arg p "$1" '.data.alerts[] |
    select(.state == "firing" and (.labels.alertname | startswith($p))) |
    "\(.labels.alertname) \(.labels.sender_name // "-")>\(.labels.receiver_name // "-")"' | sort
}
# eventually WHAT SECONDS EXPECTED CMD...: CMD's output becomes EXPECTED.
eventually() {
  local what=$1 t=$2 want=$3; shift 3
  local end=$((SECONDS + t)) got
  while :; do
    got=$("$@")
    [[ $got == "$want" ]] && { echo "ok: $what"; return 0; }
    ((SECONDS < end)) || { diff <(echo "$want") <(echo "$got") >&2; fail "$what (within ${t}s; diff: expected < > got)"; }
    sleep 1
  done
}
ALL="1 2 3 4 5 6 7 8"

# --- 1. The healthy matrix --------------------------------------------------------
eventually "all 8x7 cells receiving (mcast:mesh_pair_state:code = 1)" 60 \
  "$(cells 1 "$ALL" "$ALL")" q 'mcast:mesh_pair_state:code{mesh="lab"}'
eventually "all 56 cells 0 loss" 20 "$(cells 0 "$ALL" "$ALL")" q 'mcast:mesh_pair_loss_ratio:rate5m{mesh="lab"}'
expect_eq "all 56 cells 0 hops (one LAN)" "$(q 'mcast:mesh_pair_hops:max{mesh="lab"}')" "$(cells 0 "$ALL" "$ALL")"
expect_eq "all 56 cells 0 re-marked" "$(q 'mcast:mesh_pair_dscp_remarked:increase5m{mesh="lab"}')" "$(cells 0 "$ALL" "$ALL")"
expect_eq "members with mcast_mesh_members 8" "$(q 'count(mcast_mesh_members{mesh="lab"} == 8)')" "->-=8"
expect_eq "members that name themselves (mcast_mesh_self_info)" \
  "$(in_ns "$PROMNS" curl -sS -G "$PROM/api/v1/query" --data-urlencode 'query=mcast_mesh_self_info{mesh="lab"}' |
    jq -r '[.data.result[] | "\(.metric.member)@\(.metric.address)"] | sort | join(" ")')" \
  "m1@$NET.1 m2@$NET.2 m3@$NET.3 m4@$NET.4 m5@$NET.5 m6@$NET.6 m7@$NET.7 m8@$NET.8"
expect_eq "mesh alerts while healthy" "$(firing McastMesh)" ""
# Series per member (README "More than one Prometheus"): m1's scrape, the
# series of each peer it receives (sender_name = the peer, at receiver m1)
# are the same number for every peer: a member grows by that per peer.
in_ns "${P}h1" curl -sf "http://127.0.0.1:19779/metrics" -o "$WORK/m1.txt"
per_peer=$(for i in 2 3 4 5 6 7 8; do grep -c "^mcast_[^ ]*{.*sender_name=\"m$i\"" "$WORK/m1.txt"; done | sort -u)
[[ $per_peer =~ ^[0-9]+$ ]] || fail "m1 serves different series counts per peer: ${per_peer//$'\n'/ }"
log "m1 serves $(grep -c '^mcast_' "$WORK/m1.txt") mcast_ series, $per_peer per peer" \
  "(mcast_mesh_peer_state: $(grep -c '^mcast_mesh_peer_state{' "$WORK/m1.txt")), $(grep -c "sender_name=\"m1\"" "$WORK/m1.txt") of its own sender"
pass "a healthy 8-member mesh: 56 cells receiving, no loss, no mesh alert"

# --- 2. Every 10th packet of m3 dropped on its uplink -------------------------------
in_ns "${P}h3" nft -f - <<EOF
table netdev mesh_loss {
  chain egress {
    type filter hook egress device "eth0" priority filter; policy accept;
    ip daddr $GROUP udp dport $MPORT counter
    ip daddr $GROUP udp dport $MPORT numgen inc mod 10 == 5 counter drop
  }
}
EOF
# counters: "ALL DROPPED" packets of the two rules.
counters() {
  in_ns "${P}h3" nft -j list chain netdev mesh_loss egress |
    jq -r '[.nftables[].rule? // empty | .expr[] | .counter? // empty | .packets] | map(tostring) | join(" ")'
}
sleep 10
# Stop dropping (an accept in front: the counters freeze), so each drop is
# followed by delivered packets and every receiver can count it.
in_ns "${P}h3" nft insert rule netdev mesh_loss egress ip daddr "$GROUP" udp dport "$MPORT" accept
read -r total dropped < <(counters)
log "m3's uplink: $dropped of $total mesh packets dropped"
expect_eq "dropped = every 10th of the $total (numgen inc mod 10 == 5)" "$dropped" "$(((total + 4) / 10))"
((dropped >= 30)) || fail "only $dropped packets dropped in 10 s at 50 pps"
eventually "m3's row: lost == $dropped (nft) at each of the 7 receivers, every other cell 0" 20 \
  "$( (cells "$dropped" 3 "$ALL"; cells 0 "1 2 4 5 6 7 8" "$ALL") | sort)" \
  q 'sum by (sender_name, receiver_name) (mcast_rx_lost_packets_total{mesh="lab"})'
expect_eq "pair loss alerts: m3 -> each other member, nothing else" "$(firing McastMesh)" \
  "$(cells x 3 "$ALL" | sed 's/^/McastMeshPairLoss /; s/=x$//')"
# The loss ratio (5m): ~10 % while it dropped, diluted by the clean minute
# before; > 1 % and at most 10 % in m3's row, 0 elsewhere.
ratios=$(q 'mcast:mesh_pair_loss_ratio:rate5m{mesh="lab"}')
expect_eq "cells without loss" "$(grep -v '^m3>' <<<"$ratios")" "$(cells 0 "1 2 4 5 6 7 8" "$ALL")"
while IFS='=' read -r pair v; do
  python3 -c "import sys; v = float(sys.argv[1]); sys.exit(0 if 0.01 < v <= 0.1 + 1e-9 else 1)" "$v" ||
    fail "$pair: loss ratio $v is not in (1 %, 10 %]"
done < <(grep '^m3>' <<<"$ratios")
echo "ok: m3's row loss ratio (5m): $(grep '^m3>' <<<"$ratios" | cut -d= -f2 | tr '\n' ' ')"
summary=$(in_ns "$PROMNS" curl -sS "$PROM/api/v1/alerts" | jq -r '.data.alerts[] |
  select(.labels.alertname == "McastMeshPairLoss" and .labels.receiver_name == "m7") | .annotations.summary')
[[ $summary == "Mesh lab: m3 → m7 loses "*% ]] || fail "McastMeshPairLoss summary does not name both ends: $summary"
echo "ok: $summary"
# The Grafana twins of the mesh alert rules, on this Prometheus.
in_ns "$PROMNS" python3 "$DASH/grafana_rules_eval.py" --only McastMesh "$PROM" \
  "$SRC/dashboards/grafana/provisioning/alerting/mcast-alerts.yml" >"$WORK/grafana-eval.txt" ||
  { cat "$WORK/grafana-eval.txt"; fail "the Grafana mesh rules do not fire what Prometheus fires"; }
grep -E '^(grafana|drift):' "$WORK/grafana-eval.txt"
# Every query of the mesh dashboard runs and returns data.
python3 "$DASH/dashboard_lint.py" exprs "$SRC/dashboards/grafana/mcast-mesh.json" >"$WORK/exprs.jsonl"
in_ns "$PROMNS" python3 - "$PROM" "$WORK/exprs.jsonl" <<'PY' || fail "mesh dashboard queries failed (above)"
import json, sys, urllib.parse, urllib.request
prom, path = sys.argv[1], sys.argv[2]
bad = n = 0
for line in open(path):
    q = json.loads(line)
    n += 1
    url = f"{prom}/api/v1/query?" + urllib.parse.urlencode({"query": q["expr"]})
    out = json.load(urllib.request.urlopen(url, timeout=10))
    rows = out["data"]["result"] if out.get("status") == "success" else []
    if not rows:
        print(f"FAIL: {q['panel']} [{q['refId']}]: no data: {q['expr']}", file=sys.stderr)
        bad += 1
    elif q["panel"].endswith("receiver →") and len(rows) != 56:
        print(f"FAIL: {q['panel']}: {len(rows)} cells, not 56", file=sys.stderr)
        bad += 1
print(f"ok: {n} mesh dashboard queries, {bad} failed")
sys.exit(1 if bad or n < 8 else 0)
PY
pass "every 10th packet of m3 dropped: exactly m3's row lost $dropped at every receiver, McastMeshPairLoss names m3 -> each"

# --- 3. A member stopped ----------------------------------------------------------------
kill -TERM "${EXP_PID[5]}"
wait "${EXP_PID[5]}" || fail "m5's exporter did not exit 0 on SIGTERM"
LIVE="1 2 3 4 6 7 8"
eventually "m5's row stalled at the 7 running members, every other cell receiving" 20 \
  "$( (cells 2 5 "$LIVE"; cells 1 "$LIVE" "$LIVE") | sort)" q 'mcast:mesh_pair_state:code{mesh="lab"}'
eventually "McastMeshMemberSilent for m5" 10 "McastMeshMemberSilent m5>-" firing McastMeshMember
expect_eq "no McastMeshPairStalled" "$(firing McastMeshPairStalled)" ""
pass "m5 stopped: its row stalled at every receiver, one McastMeshMemberSilent"

# --- 4. A member added: one line in the file, SIGHUP everywhere -----------------------------
mesh_file 9 >"$WORK/mesh.toml.new"
mv "$WORK/mesh.toml.new" "$WORK/mesh.toml"
start_member 9
wait_for 15 member_up 9 || { cat "$WORK/m9.log" >&2; fail "m9's exporter does not serve /metrics"; }
for i in $LIVE; do kill -HUP "${EXP_PID[$i]}"; done
# m9 never received m5 (stopped before m9 started): waiting (0).
eventually "m9 receives the 7 running members and each of them receives m9" 30 \
  "$( (cells 1 9 "$LIVE"; cells 1 "$LIVE" 9; echo "m5>m9=0") | sort)" \
  q 'mcast:mesh_pair_state:code{mesh="lab", receiver_name="m9"} or mcast:mesh_pair_state:code{mesh="lab", sender_name="m9"}'
expect_eq "members with mcast_mesh_members 9 after the reload (m1-m4, m6-m9)" \
  "$(q 'count(mcast_mesh_members{mesh="lab"} == 9)')" "->-=8"
expect_eq "members with another mcast_mesh_members" "$(q 'mcast_mesh_members{mesh="lab"} != 9')" ""
expect_eq "the old cells still receiving" "$(q 'mcast:mesh_pair_state:code{mesh="lab", receiver_name!="m9", sender_name!~"m9|m5"}')" \
  "$(cells 1 "$LIVE" "$LIVE")"
# Nothing else restarted: no counter of a mesh receiver went back, no
# receiver saw a sender restart (its sequence starting again).
expect_eq "counter resets of mesh receivers (5m)" \
  "$(q 'sum(resets(mcast_rx_unique_packets_total{mesh="lab"}[5m]))')" "->-=0"
expect_eq "sender restarts seen (5m)" \
  "$(q 'sum(increase(mcast_rx_sender_restarts_total{mesh="lab"}[5m]))')" "->-=0"
pass "m9 added with SIGHUP: it appears at every running member and they at m9; nothing restarted"
