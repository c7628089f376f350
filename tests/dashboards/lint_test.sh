#!/usr/bin/env bash
# Lint the dashboards and rules against the exporter's metric list, then
# prove the lint is not vacuous: copies with a renamed metric, a hard-coded
# datasource uid and an empty expr must each fail it.
set -euo pipefail
SRC=${MCAST_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
LINT="$(dirname "$0")/dashboard_lint.py"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: needs python3"; exit 77; }
python3 "$LINT" lint --source-dir "$SRC"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
must_fail() {  # WHAT FILE PYTHON-EXPRESSION-ON-d
  local what=$1 file=$2 change=$3
  rm -rf "$tmp/src"
  mkdir -p "$tmp/src/src/exporter" "$tmp/src/dashboards"
  cp "$SRC/src/exporter/metric_families.cc" "$tmp/src/src/exporter/"
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
    exec(change)
    open(path, "w").write(text)
PY
  if python3 "$LINT" lint --source-dir "$tmp/src" >"$tmp/out" 2>&1; then
    cat "$tmp/out"; echo "FAIL: lint accepted $what" >&2; exit 1
  fi
  echo "ok: lint rejects $what: $(grep -m1 LINT: "$tmp/out")"
}
must_fail "a metric the exporter does not export" dashboards/grafana/mcast-flow.json \
  'd["panels"][1]["targets"][0]["expr"] = d["panels"][1]["targets"][0]["expr"].replace("mcast_rx_state", "mcast_rx_flow_state")'
must_fail "a hard-coded datasource uid" dashboards/grafana/mcast-overview.json \
  'd["panels"][2]["datasource"] = {"type": "prometheus", "uid": "P1809F7CD0C75ACF3"}'
must_fail "a panel target without expr" dashboards/grafana/mcast-overview.json \
  'd["panels"][3]["targets"][0]["expr"] = ""'
must_fail "a metric renamed in the exporter" src/exporter/metric_families.cc \
  'text = text.replace("\"mcast_rx_hops\"", "\"mcast_rx_hop_count\"")'
must_fail "an alert on a metric that does not exist" dashboards/prometheus/mcast-alerts.yml \
  'text = text.replace("expr: mcast_rx_joined == 0", "expr: mcast_rx_join == 0")'
must_fail "a single-value matcher on a multi-value variable" dashboards/grafana/mcast-overview.json \
  'd["panels"][1]["targets"][0]["expr"] = d["panels"][1]["targets"][0]["expr"].replace("probe=~", "probe=")'
echo "PASS: dashboards and rules lint clean against src/exporter/metric_families.cc"
