#!/usr/bin/env bash
# Soak-lite benchmark (not a CI test): one mcast-exporter with N senders and
# N receivers (default 200 + 200, 25 pps each) on loopback inside a private
# namespace for T seconds (default 60). Reports CPU %, RSS, scrape time and
# size, and checks that no probe lost a packet.
#
#   tests/bench/soak_lite.sh [BUILD_DIR] [N] [SECONDS] [RATE]
build=${1:-build/release}
n=${2:-200}
secs=${3:-60}
rate=${4:-25pps}
MCAST_BIN_DIR=$(cd "$build/src" && pwd)
export MCAST_BIN_DIR
# lib.sh: the namespace, start_exporter and the EXIT trap that removes them.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/../integration/lib.sh"
require_root
require_cmd curl

ns=${P}soak
topo_lo "$ns"
work=$WORK

{
  printf '[exporter]\nlisten = "127.0.0.1:0"\nmemory_limit = "8GiB"\n[defaults]\ninterface = "lo"\nrate = "%s"\nstall_timeout = "2s"\n' "$rate"
  for i in $(seq 0 $((n - 1))); do
    g="239.30.$((i / 250)).$((i % 250 + 1))"
    printf '[[sender]]\nname = "s%d"\ngroup = "%s"\n' "$i" "$g"
    printf '[[receiver]]\nname = "r%d"\ngroup = "%s"\n' "$i" "$g"
  done
} >"$work/soak.toml"

start_exporter "$ns" "$work/soak.toml" --log-level warning
pid=$EXPORTER_PID
sleep 3  # the probes' first packets, before the CPU clock starts
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
t0=$(date +%s.%N); c0=$(cpu_ticks)
scrape_times=()
for _ in $(seq 1 $((secs / 5))); do
  sleep 5
  scrape_times+=("$(ip netns exec "$ns" curl -s -o "$work/metrics.txt" -w '%{time_total}' "$EXPORTER_URL")")
done
t1=$(date +%s.%N); c1=$(cpu_ticks)
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
hwm_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
ip netns exec "$ns" curl -s "$EXPORTER_URL" >"$work/final.txt"

cpu=$(awk -v a="$c0" -v b="$c1" -v t0="$t0" -v t1="$t1" -v hz="$hz" \
  'BEGIN { printf "%.1f", 100 * (b - a) / hz / (t1 - t0) }')
sorted=$(printf '%s\n' "${scrape_times[@]}" | sort -n)
med=$(echo "$sorted" | awk '{a[NR]=$1} END {printf "%.1f", 1000 * a[int((NR + 1) / 2)]}')
max=$(echo "$sorted" | tail -1 | awk '{printf "%.1f", 1000 * $1}')
lines=$(wc -l <"$work/final.txt")
bytes=$(wc -c <"$work/final.txt")
rx=$(awk '/^mcast_rx_packets_total/ {s += $NF} END {print s + 0}' "$work/final.txt")
tx=$(awk '/^mcast_tx_packets_total/ {s += $NF} END {print s + 0}' "$work/final.txt")
lost=$(awk '/^mcast_rx_lost_packets_total/ {s += $NF} END {print s + 0}' "$work/final.txt")
drops=$(awk '/^mcast_rx_socket_drops_total/ {s += $NF} END {print s + 0}' "$work/final.txt")
stalled=$(awk '/^mcast_rx_state\{.*state="stalled"\} 1/ {s++} END {print s + 0}' "$work/final.txt")

echo "soak-lite: $n senders + $n receivers at $rate each, ${secs}s, $(nproc) cores, $(uname -r)"
echo "  exporter CPU:       $cpu % of one core"
echo "  RSS:                $((rss_kb / 1024)) MiB (peak $((hwm_kb / 1024)) MiB)"
echo "  scrape time:        median $med ms, max $max ms ($lines lines, $((bytes / 1024)) KiB)"
echo "  packets:            sent $tx, received $rx, lost $lost, socket drops $drops"
echo "  stalled receivers:  $stalled"
