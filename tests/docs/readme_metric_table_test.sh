#!/usr/bin/env bash
# README.md's metric table matches the exporter's catalog
# (`mcast-exporter --print-metrics`), and the check is not vacuous: a row
# for a metric that does not exist, a missing row, a wrong type and wrong
# labels must each fail it.
set -euo pipefail
SRC=${MCAST_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${MCAST_BIN_DIR:-$SRC/build/ci/src}
CHECK="$(dirname "$0")/readme_metric_table.py"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: needs python3"; exit 77; }
[[ -x $BIN/mcast-exporter ]] || { echo "FAIL: $BIN/mcast-exporter is not built" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BIN/mcast-exporter" --print-metrics >"$tmp/catalog.json"
python3 "$CHECK" "$SRC/README.md" "$tmp/catalog.json"

must_fail() {  # WHAT SED-EXPRESSION-ON-README
  local what=$1 change=$2
  sed -E "$change" "$SRC/README.md" >"$tmp/README.md"
  if cmp -s "$SRC/README.md" "$tmp/README.md"; then
    echo "FAIL: the change for '$what' changed nothing: $change" >&2; exit 1
  fi
  if python3 "$CHECK" "$tmp/README.md" "$tmp/catalog.json" >"$tmp/out" 2>&1; then
    cat "$tmp/out"; echo "FAIL: the check accepted $what" >&2; exit 1
  fi
  echo "ok: rejects $what: $(grep -m1 README: "$tmp/out")"
}
must_fail "a row for a metric that does not exist" \
  's/^\| `mcast_rx_joined` \|/| `mcast_rx_joined`, `mcast_rx_left` |/'
must_fail "a missing row" '/^\| `mcast_rx_reorder_extent_max` \|/d'
must_fail "a metric missing from a shared row" \
  's/^\| `mcast_tx_ttl`, `mcast_tx_dscp` \|/| `mcast_tx_ttl` |/'
must_fail "a wrong type" 's/^(\| `mcast_rx_stalls_total` \|) counter/\1 gauge/'
must_fail "labels of the wrong kind" 's/^(\| `mcast_rx_jitter_seconds` \| gauge \|) per sender/\1 probe/'
must_fail "a label missing from a list" \
  's/^(\| `mcast_tx_errors_total` \| counter \|) `probe, group, interface`/\1 `probe, interface`/'
must_fail "an unreadable labels cell" 's/^(\| `mcast_interface_up` \| gauge \|) `interface`/\1 interface/'
must_fail "a metric listed twice" 's/^\| `mcast_rx_senders` \|/| `mcast_rx_senders`, `mcast_rx_joined` |/'

# And against a catalog that gained a metric the README does not list.
python3 - "$tmp/catalog.json" "$tmp/grown.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["metrics"].append({"name": "mcast_rx_new_total", "type": "counter", "help": "x", "labels": []})
json.dump(d, open(sys.argv[2], "w"))
PY
if python3 "$CHECK" "$SRC/README.md" "$tmp/grown.json" >"$tmp/out" 2>&1; then
  cat "$tmp/out"; echo "FAIL: the check accepted a catalog metric without a row" >&2; exit 1
fi
echo "ok: rejects a catalog metric without a row: $(grep -m1 README: "$tmp/out")"
echo "PASS: README.md's metric table lists exactly the catalog's metrics, types and labels"
