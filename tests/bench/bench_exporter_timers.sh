#!/usr/bin/env bash
# Benchmark: what mcast-exporter costs per packet with N senders and N
# receivers (25 pps each by default) on lo inside a network namespace this
# script creates (and removes on exit), in system calls (timerfd_settime,
# read, epoll_wait, sendmmsg, recvmmsg) and CPU time; and how exactly each
# sender flow is paced on the wire. Nothing leaves the machine. Not a CTest
# test: it prints figures and asserts nothing.
#
#   sudo tests/bench/bench_exporter_timers.sh
#
# Environment:
#   MCAST_BIN_DIR     build to measure (default build/release/src)
#   BASELINE_BIN_DIR  optional second build, measured in the same run as
#                     "base", alternating with MCAST_BIN_DIR in every rep
#   FLOWS             senders (and as many receivers) (default 500)
#   RATE              per flow (default 25pps)
#   RUN_SECONDS       length of the counted span (default 10)
#   PACE_SECONDS      length of the pacing capture (default 20; 0 = none)
#   REPS              repetitions (default 3)
#
# One trial: start the exporter, wait 3 s (every probe joined and sending),
# scrape, count with `perf stat -p` (every thread of the exporter) on the
# syscall tracepoints for RUN_SECONDS, scrape again; packets = the rise of
# the summed mcast_tx/rx_packets_total between the two scrapes (which
# bracket the counted span, so per-packet figures are low by the scrape
# and perf start-up time, ~1 %, the same for both builds). Then, without
# perf, tcpdump captures lo's packets for PACE_SECONDS (direction "in":
# every packet once, timestamped when lo hands it back, in the sender's
# own context; "out" sees none on lo) and
# per_flow_rate.py gives every flow's rate on the wire and the rate its
# deadlines keep (immune to late packets), against the target.
# Prints: tool rep fds (open descriptors) tx rx timerfd_settime read epoll_wait sendmmsg recvmmsg
# task_clock_ms, then per-flow pacing (flows, median and max |error| %).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export MCAST_BIN_DIR=${MCAST_BIN_DIR:-$ROOT/build/release/src}
# shellcheck source=tests/integration/lib.sh
source "$ROOT/tests/integration/lib.sh"

FLOWS=${FLOWS:-500}
RATE=${RATE:-25pps}
RUN_SECONDS=${RUN_SECONDS:-10}
PACE_SECONDS=${PACE_SECONDS:-20}
REPS=${REPS:-3}
NS=${P}timerq
SYSCALLS=(timerfd_settime read epoll_wait epoll_pwait sendmmsg recvmmsg)
EVENTS=task-clock$(printf ',syscalls:sys_enter_%s' "${SYSCALLS[@]}")

require_root
require_cmd perf curl tcpdump python3
perf stat -e syscalls:sys_enter_timerfd_settime -- true >/dev/null 2>&1 ||
  skip "perf cannot count syscall tracepoints here"
TOOLS=(mcast)
[[ -n ${BASELINE_BIN_DIR:-} ]] && TOOLS+=(base)
bin_of() { [[ $1 == base ]] && echo "$BASELINE_BIN_DIR" || echo "$MCAST_BIN_DIR"; }

topo_lo "$NS"
config=$WORK/flows.toml
{
  printf '[exporter]\nlisten = "127.0.0.1:0"\nmemory_limit = "8GiB"\n'
  printf '[defaults]\ninterface = "lo"\nrate = "%s"\nstall_timeout = "2s"\n' "$RATE"
  for ((i = 0; i < FLOWS; i++)); do
    g="239.31.$((i / 250)).$((i % 250 + 1))"
    printf '[[sender]]\nname = "s%d"\ngroup = "%s"\n' "$i" "$g"
    printf '[[receiver]]\nname = "r%d"\ngroup = "%s"\n' "$i" "$g"
  done
} >"$config"

sum_metric() { awk -v n="$1" 'index($0, n "{") == 1 { s += $NF } END { printf "%d", s }' "$WORK/$2"; }

# trial TOOL REP
trial() {
  local tool=$1 rep=$2 t=$WORK/$1-$2 ppid
  BIN=$(bin_of "$tool") start_exporter "$NS" "$config" --log-level warning
  sleep 3
  scrape "$tool-$rep-0.txt"
  perf stat -x, -e "$EVENTS" -p "$EXPORTER_PID" -o "$t.perf" &
  ppid=$!
  track "$ppid"
  sleep "$RUN_SECONDS"
  kill -INT "$ppid"
  wait "$ppid" || true
  scrape "$tool-$rep-1.txt"
  local tx rx
  tx=$(($(sum_metric mcast_tx_packets_total "$tool-$rep-1.txt") - $(sum_metric mcast_tx_packets_total "$tool-$rep-0.txt")))
  rx=$(($(sum_metric mcast_rx_packets_total "$tool-$rep-1.txt") - $(sum_metric mcast_rx_packets_total "$tool-$rep-0.txt")))
  local fds
  fds=$(find "/proc/$EXPORTER_PID/fd" -mindepth 1 | wc -l)
  local row=("$tool" "$rep" "$fds" "$tx" "$rx")
  for s in timerfd_settime read epoll_wait sendmmsg recvmmsg; do
    if [[ $s == epoll_wait ]]; then
      row+=("$(awk -F, '/sys_enter_epoll_(p)?wait/ { n += $1 } END { print n + 0 }' "$t.perf")")
    else
      row+=("$(awk -F, -v e="sys_enter_$s" '$3 ~ e"$" { print $1 + 0 }' "$t.perf")")
    fi
  done
  row+=("$(awk -F, '/task-clock/ { printf "%.1f", $1 }' "$t.perf")")
  if ((PACE_SECONDS > 0)); then
    sleep 1  # Past the packets the scrape (~0.1 s at N=500) delayed.
    in_ns "$NS" timeout -s INT "$PACE_SECONDS" tcpdump -i lo -Q in -s 64 -B 65536 \
      --immediate-mode --time-stamp-precision=nano -w "$t.pcap" udp 2>/dev/null || true
    row+=("$(python3 "$ROOT/tests/bench/per_flow_rate.py" "$t.pcap" "${RATE%pps}")")
    rm -f "$t.pcap"
  fi
  stop_exporter
  (IFS=$'\t'; echo "${row[*]}")
}

printf 'tool\trep\tfds\ttx\trx\ttimerfd_settime\tread\tepoll_wait\tsendmmsg\trecvmmsg\ttask_clock_ms\tpacing\n'
for ((rep = 1; rep <= REPS; rep++)); do
  for tool in "${TOOLS[@]}"; do trial "$tool" "$rep"; done
done
