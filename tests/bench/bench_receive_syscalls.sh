#!/usr/bin/env bash
# Benchmark: what mcast-receive costs per received packet, in system calls
# (recvmmsg, epoll_wait) and CPU time, with mcast-send on lo inside a network
# namespace this script creates (and removes on exit). Nothing leaves the
# machine. Not a CTest test: it prints figures and asserts nothing.
#
#   sudo tests/bench/bench_receive_syscalls.sh
#
# Environment:
#   MCAST_BIN_DIR     build to measure (default build/release/src)
#   BASELINE_BIN_DIR  optional second build, measured in the same run as
#                     "base" (its receiver only: both use MCAST_BIN_DIR's
#                     sender, whose CPU includes the loopback receive path)
#   RATES             packets per second (default "1000 20000")
#   RUN_SECONDS       length of one send (default 10)
#   REPS              repetitions, alternating the builds (default 3)
#
# Counts come from `perf stat -p` on the syscall tracepoints (attached before
# the sender starts, stopped after it ends); CPU is the receiver's
# task-clock over the same span (ns resolution), and its utime + stime from
# /proc/PID/stat as a cross-check (10 ms ticks).
# Prints: tool rate rep received recvmmsg epoll_wait task_clock_ms cpu_s.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export MCAST_BIN_DIR=${MCAST_BIN_DIR:-$ROOT/build/release/src}
# shellcheck source=tests/integration/lib.sh
source "$ROOT/tests/integration/lib.sh"

RATES=${RATES:-"1000 20000"}
RUN_SECONDS=${RUN_SECONDS:-10}
REPS=${REPS:-3}
G=239.1.2.5
NS=${P}rx
EVENTS=task-clock,syscalls:sys_enter_recvmmsg,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait

require_root
require_cmd perf jq
perf stat -e syscalls:sys_enter_recvmmsg -- true >/dev/null 2>&1 ||
  skip "perf cannot count syscall tracepoints here"
TOOLS=(mcast)
[[ -n ${BASELINE_BIN_DIR:-} ]] && TOOLS+=(base)
bin_of() { [[ $1 == base ]] && echo "$BASELINE_BIN_DIR" || echo "$MCAST_BIN_DIR"; }

topo_lo "$NS"

# cpu_ticks PID: utime + stime (fields 14, 15; the name in field 2 has no
# spaces here).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# trial TOOL RATE REP
trial() {
  local tool=$1 rate=$2 rep=$3 bin t=$WORK/$1-$2-$3 rpid ppid c0 c1
  bin=$(bin_of "$tool")
  local before
  before=$(group_users "$NS" "$G")
  ip netns exec "$NS" "$bin/mcast-receive" "$G" -i lo --json \
    >"$t.json" 2>"$t.err" &
  rpid=$!
  track "$rpid"
  wait_joined "$NS" "$G" "$before"
  perf stat -x, -e "$EVENTS" -p "$rpid" -o "$t.perf" &
  ppid=$!
  track "$ppid"
  sleep 0.5  # perf attached
  c0=$(cpu_ticks "$rpid")
  in_ns "$NS" "$MCAST_BIN_DIR/mcast-send" "$G" "$RUN_SECONDS" 1 \
    --rate "${rate}pps" --size 200 -i lo --quiet >/dev/null
  sleep 0.3
  c1=$(cpu_ticks "$rpid")
  kill -INT "$ppid"
  wait "$ppid" || true
  kill -INT "$rpid"
  wait "$rpid" || fail "$tool receiver exited non-zero: $(cat "$t.err")"
  local rx recv ew tc
  rx=$(jq -r '.totals.packets' "$t.json")
  recv=$(awk -F, '/sys_enter_recvmmsg/ { print $1 }' "$t.perf")
  tc=$(awk -F, '/task-clock/ { printf "%.1f", $1 }' "$t.perf")
  ew=$(awk -F, '/sys_enter_epoll_(p)?wait/ { n += $1 } END { print n }' "$t.perf")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$rate" "$rep" "$rx" \
    "$recv" "$ew" "$tc" "$(awk -v d=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", d / hz }')"
}

printf 'tool\trate\trep\treceived\trecvmmsg\tepoll_wait\ttask_clock_ms\tcpu_s\n'
for rate in $RATES; do
  for ((rep = 1; rep <= REPS; rep++)); do
    for tool in "${TOOLS[@]}"; do trial "$tool" "$rate" "$rep"; done
  done
done
