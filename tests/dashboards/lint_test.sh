#!/usr/bin/env bash
# Lint the dashboards and rules against the exporter's metric catalog
# (`mcast-exporter --print-metrics`), then prove the lint is not vacuous:
# copies with a renamed metric, a label a metric does not carry, a
# hard-coded datasource uid and an empty expr must each fail it, and so must
# the unchanged dashboards against a catalog with a metric or label renamed.
set -euo pipefail
SRC=${MCAST_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${MCAST_BIN_DIR:-$SRC/build/ci/src}
LINT="$(dirname "$0")/dashboard_lint.py"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: needs python3"; exit 77; }
[[ -x $BIN/mcast-exporter ]] || { echo "FAIL: $BIN/mcast-exporter is not built" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BIN/mcast-exporter" --print-metrics >"$tmp/catalog.json"
python3 "$LINT" lint --source-dir "$SRC" --catalog "$tmp/catalog.json"

must_fail() {  # WHAT FILE PYTHON-EXPRESSION-ON-d-OR-text
  local what=$1 file=$2 change=$3
  rm -rf "$tmp/src"
  mkdir -p "$tmp/src/dashboards"
  cp "$tmp/catalog.json" "$tmp/src/catalog.json"
  cp -r "$SRC/dashboards/grafana" "$SRC/dashboards/prometheus" "$tmp/src/dashboards/"
  python3 - "$tmp/src/$file" "$change" <<'PY'
import json, sys
path, change = sys.argv[1], sys.argv[2]
if path.endswith(".json"):
    d = json.load(open(path))
    exec(change)
    json.dump(d, open(path, "w"))
else:
    text = open(path).read()
    before = text
    exec(change)
    if text == before:
        sys.exit(f"the change to {path} changed nothing: {change}")
    open(path, "w").write(text)
PY
  if python3 "$LINT" lint --source-dir "$tmp/src" --catalog "$tmp/src/catalog.json" >"$tmp/out" 2>&1; then
    cat "$tmp/out"; echo "FAIL: lint accepted $what" >&2; exit 1
  fi
  echo "ok: lint rejects $what: $(grep -m1 LINT: "$tmp/out")"
}
# In the catalog: d["metrics"] is the list of {name, type, help, labels}.
catalog_metric='next(m for m in d["metrics"] if m["name"] == NAME)'
must_fail "a metric the exporter does not export" dashboards/grafana/mcast-flow.json \
  'd["panels"][1]["targets"][0]["expr"] = d["panels"][1]["targets"][0]["expr"].replace("mcast_rx_state", "mcast_rx_flow_state")'
must_fail "a hard-coded datasource uid" dashboards/grafana/mcast-overview.json \
  'd["panels"][2]["datasource"] = {"type": "prometheus", "uid": "P1809F7CD0C75ACF3"}'
must_fail "a panel target without expr" dashboards/grafana/mcast-overview.json \
  'd["panels"][3]["targets"][0]["expr"] = ""'
must_fail "a metric renamed in the exporter's catalog" catalog.json \
  "${catalog_metric/NAME/\"mcast_rx_hops\"}[\"name\"] = \"mcast_rx_hop_count\""
must_fail "a label renamed in the exporter's catalog" catalog.json \
  "m = ${catalog_metric/NAME/\"mcast_rx_lost_packets_total\"}; m[\"labels\"] = [\"peer\" if l == \"sender\" else l for l in m[\"labels\"]]"
must_fail "an alert on a metric that does not exist" dashboards/prometheus/mcast-alerts.yml \
  'text = text.replace("expr: mcast_rx_joined == 0", "expr: mcast_rx_join == 0")'
must_fail "a single-value matcher on a multi-value variable" dashboards/grafana/mcast-overview.json \
  'd["panels"][1]["targets"][0]["expr"] = d["panels"][1]["targets"][0]["expr"].replace("probe=~", "probe=")'
must_fail "a matcher on a label the metric does not carry" dashboards/grafana/mcast-flow.json \
  'import re; t = next(t for p in d["panels"] for t in p.get("targets", []) if "mcast_tx_packets_total{group" in t.get("expr", "")); t["expr"] = t["expr"].replace("mcast_tx_packets_total{group", "mcast_tx_packets_total{source")'
must_fail "a grouping by a label no metric carries" dashboards/grafana/mcast-flow.json \
  't = next(t for p in d["panels"] for t in p.get("targets", []) if "by (instance, probe)" in t.get("expr", "")); t["expr"] = t["expr"].replace("by (instance, probe)", "by (instance, name)")'
must_fail "a legend naming a label no metric carries" dashboards/grafana/mcast-flow.json \
  't = next(t for p in d["panels"] for t in p.get("targets", []) if t.get("legendFormat") == "{{sender}}"); t["legendFormat"] = "{{sender_address}}"'
must_fail "an alert annotation naming a label no metric carries" dashboards/prometheus/mcast-alerts.yml \
  'text = text.replace("{{ $labels.interface }}", "{{ $labels.ifname }}", 1)'
must_fail "a rule test input series without a label the exporter gives it" dashboards/prometheus/tests/mcast-alerts-test.yml \
  'text = text.replace(",state=\"stalled\"}", "}", 1)'
# The mesh matrix: its queries are linted like the others, and it may read
# only the per-pair recorded series (cheap at 100 members).
must_fail "a mesh matrix query on a recorded series that does not exist" dashboards/grafana/mcast-mesh.json \
  't = next(t for p in d["panels"] for t in p.get("targets", []) if "mcast:mesh_pair_loss_ratio:rate5m" in t["expr"]); t["expr"] = t["expr"].replace("mcast:mesh_pair_loss_ratio:rate5m", "mcast:mesh_pair_loss:rate5m")'
must_fail "a mesh matrix query on the raw series instead of the recorded ones" dashboards/grafana/mcast-mesh.json \
  't = next(t for p in d["panels"] for t in p.get("targets", []) if t["expr"].startswith("mcast:mesh_pair_hops:max")); t["expr"] = "max by (mesh, sender_name, receiver_name) (mcast_rx_hops{mesh=~\"$mesh\"})"'
must_fail "a mesh dashboard without its mesh variable" dashboards/grafana/mcast-mesh.json \
  'd["templating"]["list"] = [v for v in d["templating"]["list"] if v["name"] != "mesh"]'
echo "PASS: dashboards and rules lint clean against mcast-exporter --print-metrics"
