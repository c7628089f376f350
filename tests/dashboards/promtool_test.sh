#!/usr/bin/env bash
# The alert and recording rules load (promtool check rules), their unit tests
# pass (promtool test rules), and the example prometheus.yml with them is a
# valid configuration. Exit 77 (skip) without promtool (Debian: prometheus).
set -euo pipefail
SRC=${MCAST_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v promtool >/dev/null 2>&1 || { echo "SKIP: needs promtool (apt-get install prometheus)"; exit 77; }
cd "$SRC/dashboards/prometheus"
promtool check rules mcast-recording.yml mcast-alerts.yml
promtool test rules tests/mcast-alerts-test.yml tests/mcast-mesh-test.yml
promtool check config prometheus.yml
echo "PASS: rules check, rule unit tests and example config"
