#!/usr/bin/env bash
# Benchmark: what a /metrics scrape of mcast-exporter costs at scale, and
# what back-to-back scrapes do to its senders. One exporter with N senders +
# N receivers on lo inside a network namespace this script creates (and
# removes on exit); nothing leaves the machine. Not a CTest test: it prints
# figures and asserts nothing.
#
#   sudo tests/bench/bench_scrape.sh
#
# Environment:
#   MCAST_BIN_DIR     build to measure (default build/release/src)
#   BASELINE_BIN_DIR  optional second build ("base"), measured in the same
#                     run, alternating with MCAST_BIN_DIR
#   N                 sender + receiver pairs (default 500 = 1000 flows)
#   RATE              per flow (default 25pps)
#   SCRAPES           timed scrapes per encoding (default 10)
#   LATENESS_SECONDS  observation window, idle and then while scraping back
#                     to back (default 10; 0 = skip the lateness part)
#   OBSERVED          flows the lateness observer joins (default 40)
#   REPS              repetitions (default 1)
#
# Per build and rep it prints: scrape wall ms (median and max of SCRAPES,
# curl time_total) plain and gzip ("Accept-Encoding: gzip", as Prometheus
# asks), the scraping threads' CPU ms per scrape (schedstat run time of every
# exporter thread but the main one, which is the probe loop), lines and
# bytes, then the senders' lateness seen by lateness_observer.py (kernel
# receive timestamps against each flow's schedule) idle vs. during
# back-to-back scrapes, the scrapes done meanwhile, and the exporter's socket
# drops (mcast_rx_socket_drops_total, summed) and probe-loop CPU over it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export MCAST_BIN_DIR=${MCAST_BIN_DIR:-$ROOT/build/release/src}
# shellcheck source=tests/integration/lib.sh
source "$ROOT/tests/integration/lib.sh"

N=${N:-500}
RATE=${RATE:-25pps}
SCRAPES=${SCRAPES:-10}
LATENESS_SECONDS=${LATENESS_SECONDS:-10}
OBSERVED=${OBSERVED:-40}
REPS=${REPS:-1}
NS=${P}scrape

require_root
require_cmd curl python3
TOOLS=(new)
[[ -n ${BASELINE_BIN_DIR:-} ]] && TOOLS=(base new)
bin_of() { [[ $1 == base ]] && echo "$BASELINE_BIN_DIR" || echo "$MCAST_BIN_DIR"; }

topo_lo "$NS"
group_of() { echo "239.31.$(($1 / 250)).$(($1 % 250 + 1))"; }
{
  printf '[exporter]\nlisten = "127.0.0.1:0"\nmemory_limit = "8GiB"\n'
  printf '[defaults]\ninterface = "lo"\nrate = "%s"\nstall_timeout = "5s"\nmax_senders = 4\n' "$RATE"
  for ((i = 0; i < N; i++)); do
    printf '[[sender]]\nname = "s%d"\ngroup = "%s"\n' "$i" "$(group_of "$i")"
    printf '[[receiver]]\nname = "r%d"\ngroup = "%s"\n' "$i" "$(group_of "$i")"
  done
} >"$WORK/bench.toml"
rate_pps=${RATE%pps}
interval_ms=$(awk -v r="$rate_pps" 'BEGIN { printf "%.6f", 1000 / r }')
observed=()
step=$(((N + OBSERVED - 1) / OBSERVED))
for ((i = 0; i < N; i += step)); do observed+=("$(group_of "$i")"); done

# Run time in ns of every thread of PID but the main one (the probe loop).
workers_ns() {
  local pid=$1 sum=0 t
  for t in /proc/"$pid"/task/*; do
    [[ ${t##*/} == "$pid" ]] && continue
    sum=$((sum + $(cut -d' ' -f1 "$t/schedstat")))
  done
  echo "$sum"
}
main_ns() { cut -d' ' -f1 "/proc/$1/task/$1/schedstat"; }
drops() { awk '/^mcast_rx_socket_drops_total/ { s += $NF } END { print s + 0 }' "$1"; }
median() { sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] }'; }

# timed ENCODING: SCRAPES scrapes; prints "median_ms max_ms cpu_ms_per_scrape"
timed() {
  local enc=$1 pid=$EXPORTER_PID w0 w1 times=()
  local args=(-s -o "$WORK/body" -w '%{time_total}')
  [[ $enc == gzip ]] && args+=(-H 'Accept-Encoding: gzip')
  w0=$(workers_ns "$pid")
  for ((k = 0; k < SCRAPES; k++)); do
    times+=("$(in_ns "$NS" curl "${args[@]}" "$EXPORTER_URL")")
  done
  w1=$(workers_ns "$pid")
  printf '%s %s %s' \
    "$(printf '%s\n' "${times[@]}" | awk '{ print 1000 * $1 }' | median)" \
    "$(printf '%s\n' "${times[@]}" | awk '{ m = 1000 * $1 > m ? 1000 * $1 : m } END { printf "%.1f", m }')" \
    "$(awk -v a="$w0" -v b="$w1" -v n="$SCRAPES" 'BEGIN { printf "%.1f", (b - a) / n / 1e6 }')"
}

observe() {
  in_ns "$NS" python3 "$ROOT/tests/bench/lateness_observer.py" "$LATENESS_SECONDS" \
    19779 "$interval_ms" "${observed[@]}"
}

trial() {
  local tool=$1 rep=$2 bin
  bin=$(bin_of "$tool")
  BIN=$bin start_exporter "$NS" "$WORK/bench.toml" --log-level warning
  sleep $((N >= 1000 ? 10 : 5))  # all joined and sending, first scrape warm
  in_ns "$NS" curl -s -o "$WORK/warm.txt" "$EXPORTER_URL"
  local plain gzip lines bytes
  plain=$(timed plain)
  lines=$(wc -l <"$WORK/body")
  bytes=$(wc -c <"$WORK/body")
  gzip=$(timed gzip)
  printf '%s\t%s\t%d\tplain(med max cpu) %s\tgzip(med max cpu) %s\t%d lines %d KiB\n' \
    "$tool" "$rep" "$N" "$plain" "$gzip" "$lines" "$((bytes / 1024))"
  if ((LATENESS_SECONDS > 0)); then
    local idle busy d0 d1 m0 m1 count
    in_ns "$NS" curl -s -o "$WORK/d0.txt" "$EXPORTER_URL"
    d0=$(drops "$WORK/d0.txt")
    idle=$(observe)
    m0=$(main_ns "$EXPORTER_PID")
    (
      n=0
      end=$((SECONDS + LATENESS_SECONDS + 1))
      while ((SECONDS < end)); do
        in_ns "$NS" curl -s -o /dev/null "$EXPORTER_URL"
        n=$((n + 1))
      done
      echo "$n" >"$WORK/hammer.count"
    ) &
    local hammer=$!
    track "$hammer"
    busy=$(observe)
    wait "$hammer"
    m1=$(main_ns "$EXPORTER_PID")
    count=$(<"$WORK/hammer.count")
    in_ns "$NS" curl -s -o "$WORK/d1.txt" "$EXPORTER_URL"
    d1=$(drops "$WORK/d1.txt")
    printf '%s\t%s\t%d\tlateness idle %s\n' "$tool" "$rep" "$N" "$idle"
    printf '%s\t%s\t%d\tlateness scraping %s\t%d scrapes\tsocket drops +%d\tloop CPU %.0f%%\n' \
      "$tool" "$rep" "$N" "$busy" "$count" "$((d1 - d0))" \
      "$(awk -v a="$m0" -v b="$m1" -v s="$LATENESS_SECONDS" 'BEGIN { print 100 * (b - a) / 1e9 / (s + 1) }')"
  fi
  stop_exporter
}

echo "bench_scrape: N=$N pairs at $RATE, $(nproc) cores, $(uname -r)"
for ((rep = 1; rep <= REPS; rep++)); do
  for tool in "${TOOLS[@]}"; do trial "$tool" "$rep"; done
done
