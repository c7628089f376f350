#!/usr/bin/env bash
# Benchmark (not CTest): how large a [[mesh]] this machine holds. For each
# N: topo_snoop_bridge N (N member namespaces on one snooping bridge, created and
# removed by lib.sh; nothing leaves the machine), every member runs
# mcast-exporter with the same N-member mesh file (ASM), one Prometheus in
# its own namespace on the bridge scrapes them all every SCRAPE_INTERVAL and
# runs the shipped recording rules. After WARM seconds it measures for
# MEASURE seconds:
#   - CPU % of one core per member exporter (utime+stime from /proc/PID/stat)
#     and RSS (VmRSS): median and max over the members;
#   - the Prometheus job: scrape_duration_seconds (median and max over the
#     targets, averaged over the window), samples per target;
#   - whether the matrix is whole: pairs receiving (mcast:mesh_pair_state:code
#     == 1) out of N(N-1), and the pairs with loss (5m ratio > 0).
# One line per N; results in tests/bench/RESULTS.md.
#
#   sudo tests/bench/bench_mesh.sh [N ...]     (default: 8 16 32)
#
# Environment: MCAST_BIN_DIR (default build/ci/src), RATE (per member,
# default 10pps), WARM (default 20), MEASURE (default 30), SCRAPE_INTERVAL
# (default 5s).
if (($# > 1)); then
  for n in "$@"; do bash "$0" "$n" || exit; done
  exit 0
fi
if (($# == 0)); then
  exec bash "$0" 8 16 32
fi
export MCAST_BIN_DIR=${MCAST_BIN_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/build/ci/src}
source "$(dirname "$0")/../integration/lib.sh"
require_root
require_cmd prometheus jq curl python3
N=$1
RATE=${RATE:-10pps}
WARM=${WARM:-20}
MEASURE=${MEASURE:-30}
SCRAPE_INTERVAL=${SCRAPE_INTERVAL:-5s}
((N >= 2 && N <= 200)) || fail "N must be 2..200"
NET=10.78.0
PROMNS=${P}prom
PROM=http://$NET.250:9090

topo_snoop_bridge "$N" "$NET"
bridge_attach "$PROMNS" "$NET.250"
{
  printf '[exporter]\nlisten = "0.0.0.0:19779"\n\n[[mesh]]\nname = "bench"\ngroup = "239.78.0.1"\n'
  printf 'port = 19781\nrate = "%s"\ninterface = "eth0"\n' "$RATE"
  for ((i = 1; i <= N; i++)); do printf '[[mesh.member]]\nname = "m%d"\naddress = "%s.%d"\n' "$i" "$NET" "$i"; done
} >"$WORK/mesh.toml"
declare -a PIDS
for ((i = 1; i <= N; i++)); do
  bg "${P}h$i" "$BIN/mcast-exporter" --config "$WORK/mesh.toml" 2>"$WORK/m$i.log"
  PIDS[i]=$!
done
mkdir -p "$WORK/prom/rules" "$WORK/tsdb"
cp "$SRC/dashboards/prometheus/mcast-recording.yml" "$WORK/prom/rules/"
{
  printf 'global:\n  scrape_interval: %s\n  evaluation_interval: %s\n' "$SCRAPE_INTERVAL" "$SCRAPE_INTERVAL"
  printf 'rule_files: [rules/mcast-recording.yml]\nscrape_configs:\n  - job_name: mcast\n    static_configs:\n      - targets:\n'
  for ((i = 1; i <= N; i++)); do echo "          - \"$NET.$i:19779\""; done
} >"$WORK/prom/prometheus.yml"
bg "$PROMNS" prometheus --config.file="$WORK/prom/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address="$NET.250:9090" --log.level=warn >"$WORK/prometheus.log" 2>&1
ready() { in_ns "$PROMNS" curl -sf "$PROM/-/ready" >/dev/null; }
wait_for 60 ready || fail "prometheus did not become ready"
sleep "$WARM"
for ((i = 1; i <= N; i++)); do kill -0 "${PIDS[i]}" 2>/dev/null || { cat "$WORK/m$i.log"; fail "m$i's exporter exited"; }; done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
declare -a T0
for ((i = 1; i <= N; i++)); do T0[i]=$(cpu_ticks "${PIDS[i]}"); done
sleep "$MEASURE"
hz=$(getconf CLK_TCK)
for ((i = 1; i <= N; i++)); do
  t1=$(cpu_ticks "${PIDS[i]}")
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/${PIDS[i]}/status")
  echo "$(((t1 - T0[i]) * 100000 / (hz * MEASURE))) $rss"
done >"$WORK/members.txt"
q() {
  in_ns "$PROMNS" curl -sS -G "$PROM/api/v1/query" --data-urlencode "query=$1" | jq -r '.data.result[0].value[1] // "0"'
}
range=${MEASURE}s
python3 - "$WORK/members.txt" "$N" "$RATE" \
  "$(q "quantile(0.5, avg_over_time(scrape_duration_seconds{job=\"mcast\"}[$range]))")" \
  "$(q "max(max_over_time(scrape_duration_seconds{job=\"mcast\"}[$range]))")" \
  "$(q 'max(scrape_samples_scraped{job="mcast"})')" \
  "$(q 'count(mcast:mesh_pair_state:code{mesh="bench"} == 1)')" \
  "$(q 'count(mcast:mesh_pair_loss_ratio:rate5m{mesh="bench"} > 0)')" \
  "$(q 'count(up{job="mcast"} == 1)')" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import statistics, sys
path, n, rate, sd_med, sd_max, samples, receiving, lossy, up, load = sys.argv[1:]
rows = [tuple(map(int, l.split())) for l in open(path)]
cpu = [r[0] / 1000 for r in rows]   # % of one core
rss = [r[1] / 1024 for r in rows]   # MiB
n = int(n)
print(f"N={n} flows/member={n} ({n - 1} peers received + 1 sent) rate={rate} load={load} up={up}/{n}")
print(f"  member CPU % of a core: median {statistics.median(cpu):.2f} max {max(cpu):.2f}"
      f" | RSS MiB: median {statistics.median(rss):.1f} max {max(rss):.1f}")
print(f"  scrape: median {float(sd_med) * 1000:.1f} ms, max {float(sd_max) * 1000:.1f} ms, "
      f"{int(float(samples))} samples/target")
print(f"  matrix: {int(float(receiving))}/{n * (n - 1)} pairs receiving, {int(float(lossy))} with loss (5m)")
PY
