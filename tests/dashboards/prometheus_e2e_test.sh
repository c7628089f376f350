#!/usr/bin/env bash
# End to end: a real Prometheus, inside a network namespace this test makes
# and removes, scrapes an exporter every second and evaluates
# dashboards/prometheus/*.yml (alert "for:" set to 0s in a test copy) every
# second. Four receiver flows on the namespace's lo:
#   healthy  239.255.1.1  no alert
#   stalled  239.255.1.2  its packets are dropped after a few seconds -> McastFlowStalled
#   remarked 239.255.1.3  sent EF, re-marked to CS1 on the way     -> McastDscpRemarked
#   lossy    239.255.1.4  3 % of its packets dropped               -> McastPacketLoss
#   healthy6 ff15::e2e:1  an IPv6 flow, no alert
# Asserts, through the Prometheus HTTP API: exactly these three alerts fire
# (for these flows, with annotations naming them) and nothing else, steadily;
# the Grafana alert rules (dashboards/grafana/provisioning/alerting), their
# queries run on this Prometheus and their reduce/threshold applied as
# Grafana does (grafana_rules_eval.py), fire exactly the same alerts, and
# each of them with its threshold inverted does not;
# and every query of both Grafana dashboards (read from their JSON, template
# variables replaced by match-all values) runs without error and returns data.
#
# The exporter is the real mcast-exporter ($MCAST_BIN_DIR) with four sender
# and four receiver probes; the drops and re-marking are nft rules. Also
# asserts that what it serves is exactly its catalog (--print-metrics):
# every metric, with its help, type and label names.
#
# MCAST_DASH_SCREENSHOTS=DIR: also run longer (MCAST_DASH_RUN_SECONDS, default
# 180; the stall starts at 60 s) and save Prometheus graph pages of the key
# dashboard queries to DIR as PNG (needs chromium).
export MCAST_BIN_DIR=${MCAST_BIN_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/build/ci/src}
source "$(dirname "$0")/../integration/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

[[ -x $BIN/mcast-exporter ]] || fail "mcast-exporter is not built ($BIN/mcast-exporter)"
require_root
require_cmd prometheus jq curl python3 nft
python3 -c 'import yaml' 2>/dev/null || skip "needs python3-yaml (.ci/install-deps)"

SHOTS=${MCAST_DASH_SCREENSHOTS:-}
if [[ -n $SHOTS ]]; then
  command -v chromium >/dev/null || skip "MCAST_DASH_SCREENSHOTS needs chromium (apt-get install chromium)"
  STALL_AFTER=60
  RUN_SECONDS=${MCAST_DASH_RUN_SECONDS:-180}
else
  STALL_AFTER=4
  RUN_SECONDS=0
fi

ns=${P}prom
topo_lo "$ns"
# IPv6 multicast over lo needs a local ff00::/8 route (see lo_multicast).
ip -n "$ns" -6 route add local ff00::/8 dev lo table local
EXPORTER=127.0.0.1:9779
PROM=http://127.0.0.1:9090

# --- the exporter ---------------------------------------------------------
cat >"$WORK/exporter.toml" <<EOF
[exporter]
listen = "$EXPORTER"

[defaults]
interface = "lo"
ttl = 1
rate = "100pps"
dscp = "ef"
stall_timeout = "1s"
reorder_window = "1s"

[[sender]]
name = "healthy-tx"
group = "239.255.1.1"
clock = "realtime"
[[sender]]
name = "stalled-tx"
group = "239.255.1.2"
[[sender]]
name = "remarked-tx"
group = "239.255.1.3"
[[sender]]
name = "lossy-tx"
group = "239.255.1.4"

[[sender]]
name = "healthy6-tx"
group = "ff15::e2e:1"
[[receiver]]
name = "healthy"
group = "239.255.1.1"
# An IPv6 flow too, so the IPv6-only series (mcast_rx_mld_version) are
# served and the dashboards' "igmp or mld" queries see both families.
[[receiver]]
name = "healthy6"
group = "ff15::e2e:1"
[[receiver]]
name = "stalled"
group = "239.255.1.2"
[[receiver]]
name = "remarked"
group = "239.255.1.3"
[[receiver]]
name = "lossy"
group = "239.255.1.4"

# Real streams next to probes on the same group and port (the probes keep
# the receivers out of "waiting"): RTP with 3 losses, TS with a CC error,
# injected once Prometheus scrapes (mcast_rx_stream_*).
[[sender]]
name = "rtp-stream-tx"
group = "239.255.1.5"
port = 5004
[[sender]]
name = "ts-stream-tx"
group = "239.255.1.6"
port = 5000
[[receiver]]
name = "rtp-stream"
group = "239.255.1.5"
port = 5004
decode = "rtp"
[[receiver]]
name = "ts-stream"
group = "239.255.1.6"
port = 5000
decode = "mpegts"

# A mesh (issue 17), so the mesh-labelled series and mcast_mesh_* are served:
# this host is e2e-a by its address; on lo its own packets come back
# (sender_name e2e-a), e2e-b never sends (peer state waiting).
[[mesh]]
name = "e2e-mesh"
group = "239.255.1.7"
[[mesh.member]]
name = "e2e-a"
address = "127.0.0.1"
[[mesh.member]]
name = "e2e-b"
address = "10.255.0.2"
EOF
# Re-mark on the way out (the sender's header still says EF); drop on the
# way in, so the senders see no send errors. On lo every packet passes
# output and then input.
in_ns "$ns" nft -f - <<'EOF'
table ip mcast_e2e {
  chain out {
    type route hook output priority mangle; policy accept;
    ip daddr 239.255.1.3 udp dport 19779 ip dscp set cs1
  }
  chain in {
    type filter hook input priority filter; policy accept;
    ip daddr 239.255.1.4 udp dport 19779 numgen random mod 100 < 3 drop
  }
}
EOF
in_ns "$ns" "$BIN/mcast-exporter" --check-config "$WORK/exporter.toml" ||
  fail "mcast-exporter rejects the test configuration"
bg "$ns" "$BIN/mcast-exporter" --config "$WORK/exporter.toml"
started=$SECONDS
metrics_up() { in_ns "$ns" curl -sf "http://$EXPORTER/metrics" -o "$WORK/metrics.txt"; }
wait_for 15 metrics_up || fail "exporter does not serve http://$EXPORTER/metrics"
log "exporter serves $(grep -c '^mcast_' "$WORK/metrics.txt") mcast_ series"

# --- Prometheus -------------------------------------------------------------
start_prometheus "$ns" 127.0.0.1:9090 "$EXPORTER"

# api PATH [curl args...]: GET $PROM/api/v1/PATH inside the namespace.
api() {
  local path=$1; shift
  in_ns "$ns" curl -sS -G "$PROM/api/v1/$path" "$@"
}
scraped() { [[ $(api query --data-urlencode 'query=up{job="mcast"}' | jq -r '.data.result[0].value[1]') == 1 ]]; }
wait_for 30 scraped || fail "prometheus does not scrape the exporter (up != 1)"
log "prometheus scrapes the exporter"
# The stream alerts use increase(): the errors must come after the source's
# first scrape. TS: 3 s, the CC skip 2.5 s in; RTP: the pattern twice, 1.5 s
# apart (3 lost, then 6).
in_ns "$ns" python3 "$SRC/tests/integration/ts_inject.py" --group 239.255.1.6 \
  --port 5000 --count 300 --interval-ms 10 --faults repeat@30,cc-skip@250 >/dev/null ||
  fail "TS injector failed"
for _ in 1 2; do
  in_ns "$ns" python3 "$SRC/tests/integration/stream_inject.py" 239.255.1.5 5004 5006 ||
    fail "RTP injector failed"
  sleep 1.5
done
log "RTP and MPEG-TS streams injected"

sleep_until=$((started + STALL_AFTER))
while ((SECONDS < sleep_until)); do sleep 0.2; done
in_ns "$ns" nft add rule ip mcast_e2e in ip daddr 239.255.1.2 udp dport 19779 drop
log "dropping 239.255.1.2 from now on (the stalled flow)"

# --- Alerts -------------------------------------------------------------------
# firing: "ALERTNAME probe=P group=G source=S interface=I sender=X" lines,
# sorted, for every firing alert.
firing() {
  api alerts | jq -r '.data.alerts[] | select(.state == "firing") |
    "\(.labels.alertname) probe=\(.labels.probe // "-") group=\(.labels.group // "-") source=\(.labels.source // "-") interface=\(.labels.interface // "-") sender=\(if .labels.sender then "yes" else "-" end)"' |
    sort
}
expected=$(sort <<'EOF'
McastFlowStalled probe=stalled group=239.255.1.2 source=* interface=lo sender=-
McastDscpRemarked probe=remarked group=239.255.1.3 source=* interface=lo sender=yes
McastPacketLoss probe=lossy group=239.255.1.4 source=* interface=lo sender=yes
McastStreamContinuityErrors probe=ts-stream group=239.255.1.6 source=* interface=lo sender=yes
McastStreamLoss probe=rtp-stream group=239.255.1.5 source=* interface=lo sender=yes
McastStreamStalled probe=rtp-stream group=239.255.1.5 source=* interface=lo sender=yes
McastStreamStalled probe=ts-stream group=239.255.1.6 source=* interface=lo sender=yes
EOF
)
as_expected() { [[ $(firing) == "$expected" ]]; }
if ! wait_for 90 as_expected; then
  echo "firing alerts:" >&2; firing >&2
  api alerts | jq -c '.data.alerts[] | {alertname: .labels.alertname, state, labels}' >&2
  fail "the firing alerts are not exactly the expected ones"
fi
# Steady, not a passing moment: the same set over 5 more evaluations.
for _ in 1 2 3 4 5; do
  sleep 1
  now=$(firing)
  [[ $now == "$expected" ]] || { echo "$now" >&2; fail "the firing alerts changed after matching"; }
done
echo "$expected" | sed 's/^/ok: firing: /'
pass "exactly McastFlowStalled(stalled), McastDscpRemarked(remarked), McastPacketLoss(lossy), McastStreamContinuityErrors(ts-stream), McastStreamLoss(rtp-stream), McastStreamStalled(rtp-stream, ts-stream: the injectors stopped) fire; healthy has none"

# --- Grafana alert rules --------------------------------------------------------
# The provisioned Grafana twins of the rules, evaluated on the same Prometheus:
# the same alerts, same labels (so healthy is silent there too); every query
# runs and returns series (absent() excepted). Then each rule with its
# threshold inverted must fire differently: the comparison can fail.
GRAFANA_RULES=$SRC/dashboards/grafana/provisioning/alerting/mcast-alerts.yml
in_ns "$ns" python3 "$HERE/grafana_rules_eval.py" "$PROM" "$GRAFANA_RULES" ||
  fail "the Grafana alert rules do not fire exactly what the Prometheus rules fire (or the check is vacuous)"
pass "the Grafana alert rules (query A, reduce B, threshold C) fire exactly the Prometheus alerts"

# What the exporter serves is its catalog, family by family (each has series
# by now: all flows ran, healthy stamps CLOCK_REALTIME for the delay; the
# querier families need a query on lo: one IGMPv3 general query, 125 s
# interval, so the querier stays present and at the receivers' version).
in_ns "$ns" python3 "$HERE/../integration/igmp_query.py" --from 127.0.0.1 --version 3 ||
  fail "could not send an IGMP query on lo"
sleep 0.2
"$BIN/mcast-exporter" --print-metrics >"$WORK/catalog.json" || fail "--print-metrics failed"
in_ns "$ns" curl -sf "http://$EXPORTER/metrics" -o "$WORK/metrics-full.txt" ||
  fail "exporter stopped serving /metrics"
python3 "$HERE/scrape_matches_catalog.py" "$WORK/catalog.json" "$WORK/metrics-full.txt" ||
  fail "/metrics is not exactly the catalog of mcast-exporter --print-metrics"
if command -v promtool >/dev/null; then
  promtool check metrics <"$WORK/metrics-full.txt" >"$WORK/promtool.txt" 2>&1 ||
    { cat "$WORK/promtool.txt"; fail "promtool check metrics failed"; }
  [[ -s "$WORK/promtool.txt" ]] && { cat "$WORK/promtool.txt"; fail "promtool complained"; }
  echo "ok: promtool check metrics is silent"
fi
pass "/metrics serves every catalog metric with its help, type and labels, and nothing else"

# The annotations name the flow (probe, group, source, interface, sender).
api alerts >"$WORK/alerts.json"
for probe in stalled remarked lossy; do
  text=$(jq -r --arg p "$probe" '.data.alerts[] | select(.labels.probe == $p) | .annotations.summary + " " + .annotations.description' "$WORK/alerts.json")
  group=$(jq -r --arg p "$probe" '.data.alerts[] | select(.labels.probe == $p) | .labels.group' "$WORK/alerts.json")
  for want in "probe $probe" "(*, $group)" "lo"; do
    [[ $text == *"$want"* ]] || fail "alert annotations for $probe do not say '$want': $text"
  done
  echo "ok: $probe: $(jq -r --arg p "$probe" '.data.alerts[] | select(.labels.probe == $p) | .annotations.summary' "$WORK/alerts.json")"
done
remark_text=$(jq -r '.data.alerts[] | select(.labels.alertname == "McastDscpRemarked") | .annotations.description' "$WORK/alerts.json")
[[ $remark_text == *"(sent 46, last received 8)"* ]] ||
  fail "McastDscpRemarked does not report sent EF (46) / received CS1 (8): $remark_text"
echo "ok: remark annotation: sent 46, last received 8"

# --- Dashboard queries ----------------------------------------------------------
# Every dashboard but the mesh one: its series exist only with a [[mesh]]
# (tests/lab/mesh_test.sh runs its queries on a mesh's Prometheus).
dashboards=()
for d in "$SRC"/dashboards/grafana/*.json; do [[ $d == */mcast-mesh.json ]] || dashboards+=("$d"); done
python3 "$HERE/dashboard_lint.py" exprs "${dashboards[@]}" >"$WORK/exprs.jsonl"
# One python3 in the namespace runs them all (a curl and jq per query is
# slow on a small VM): instant query with data, range query without error.
in_ns "$ns" python3 - "$PROM" "$WORK/exprs.jsonl" <<'PY' || fail "dashboard queries failed (above)"
import json, sys, time, urllib.parse, urllib.request
prom, path = sys.argv[1], sys.argv[2]
def get(endpoint, **params):
    url = f"{prom}/api/v1/{endpoint}?" + urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        return json.load(e)
now, bad, n = time.time(), 0, 0
for line in open(path):
    q = json.loads(line)
    n += 1
    where = f"{q['dashboard']}: {q['panel']} [{q['refId']}]"
    out = get("query", query=q["expr"], time=now)
    if out.get("status") != "success":
        print(f"FAIL: {where}: {out.get('error')}\n  {q['expr']}", file=sys.stderr); bad += 1; continue
    result = out["data"]["result"]
    if isinstance(result, list) and not result:
        print(f"FAIL: {where}: no data\n  {q['expr']}", file=sys.stderr); bad += 1; continue
    out = get("query_range", query=q["expr"], start=now - 30, end=now, step=1)
    if out.get("status") != "success":
        print(f"FAIL: {where} (range): {out.get('error')}", file=sys.stderr); bad += 1; continue
print(f"{n} queries, {bad} failed")
sys.exit(1 if bad or n < 50 else 0)
PY
n=$(wc -l <"$WORK/exprs.jsonl")
pass "all $n dashboard queries (both dashboards, panels and variables) return data"

# The overview table's ordering columns say what each flow is.
# per_probe REFID: "probe=value ..." of the overview flow table's query REFID.
per_probe() {
  local expr
  expr=$(jq -r --arg r "$1" 'select(.dashboard == "mcast-overview.json" and
    (.panel | startswith("Receiver flows")) and .refId == $r) | .expr' "$WORK/exprs.jsonl")
  api query --data-urlencode "query=$expr" |
    jq -r '[.data.result[] | "\(.metric.probe)=\(.value[1])"] | sort | join(" ")'
}
expect_eq "overview Problem column (4 stalled, 2 remarked)" "$(per_probe A)" \
  "e2e-mesh=0 healthy6=0 healthy=0 lossy=0 remarked=2 rtp-stream=0 stalled=4 ts-stream=0"
expect_eq "overview State column (1 receiving, 2 stalled)" "$(per_probe B)" \
  "e2e-mesh=1 healthy6=1 healthy=1 lossy=1 remarked=1 rtp-stream=1 stalled=2 ts-stream=1"

# --- Screenshots ------------------------------------------------------------------
if [[ -n $SHOTS ]]; then
  while ((SECONDS < started + RUN_SECONDS)); do sleep 1; done
  mkdir -p "$SHOTS"
  # name|dashboard|panel title|refId: the dashboard's own query, graphed.
  while IFS='|' read -r name dash title ref; do
    expr=$(jq -r --arg d "$dash" --arg t "$title" --arg r "$ref" \
      'select(.dashboard == $d and .panel == $t and .refId == $r) | .expr' "$WORK/exprs.jsonl")
    [[ -n $expr ]] || fail "no query '$title' in $dash"
    url="$PROM/graph?g0.expr=$(jq -rn --arg e "$expr" '$e|@uri')&g0.tab=0&g0.range_input=$((RUN_SECONDS / 60))m&g0.stacked=0&g0.show_exemplars=0"
    profile=$(mktemp -d)
    in_ns "$ns" chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
      --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
      --user-data-dir="$profile" --virtual-time-budget=15000 \
      --screenshot="$SHOTS/$name.png" --window-size=1400,900 "$url" >/dev/null 2>&1 ||
      fail "chromium failed for $name"
    rm -rf "$profile"
    echo "ok: screenshot $SHOTS/$name.png ($(stat -c %s "$SHOTS/$name.png") bytes): $title"
  done <<'EOF'
loss-ratio|mcast-overview.json|Loss % by flow|A
flow-state|mcast-overview.json|Flow state|A
hops|mcast-overview.json|Hop count by flow and sender|A
dscp|mcast-overview.json|DSCP received by flow and sender|A
EOF
fi
