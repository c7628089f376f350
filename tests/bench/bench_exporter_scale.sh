#!/usr/bin/env bash
# Benchmark: mcast-exporter at scale, against a reference program that does
# the same packet I/O as cheaply as the kernel allows (reference_io.cc:
# batched sendmmsg/recvmmsg, one thread, no statistics), in the same
# namespace and the same run, so the kernel's own UDP cost on lo (the
# loopback receive runs in the sender's context) cancels out of the ratio.
# Everything runs on lo inside a namespace this script creates and removes:
# nothing leaves the machine. Not a CTest test: it prints figures and
# asserts nothing.
#
#   sudo tests/bench/bench_exporter_scale.sh
#
# Environment:
#   MCAST_BIN_DIR     build to measure (default build/release/src)
#   REFERENCE         the reference program (default
#                     $MCAST_BIN_DIR/../tests/mcast_bench_reference)
#   BASELINE_BIN_DIR  optional second exporter build, measured in the same
#                     run as "base"
#   SIZES             N values: N senders + N receivers (2N flows) at RATE
#                     each (default "500 2500")
#   RATE              packets per second per sender (default 25)
#   WINDOW            seconds of CPU measurement after warm-up (default 20)
#   REPS              repetitions, alternating the programs (default 3)
#   TOGETHER          1 (default): the reference runs at the same time as
#                     each exporter, in the same namespace, on its own groups
#                     (239.21.x.y) and port (PORT + 100), so the same load
#                     hits both and the ratio is read per window of the same
#                     seconds; 0: one after the other, as before (the ratio
#                     then carries the load's change between the two runs)
#   WINDOWS           TOGETHER=1: measurement windows of WINDOW s per rep
#                     (default 4, with WINDOW defaulting to 10)
#
# Per program and N it prints: start_s (exporter launch until every
# receiver has counted a packet), cpu_pct (% of one core over WINDOW, from
# utime+stime in /proc/PID/stat), rss_mib (VmRSS at the end of the window),
# scrape_ms (median of 10 back-to-back scrapes, after the window), and from
# the exporter's own metrics lost, socket drops and the worst sender's pacing
# spread over the window (max - min packets sent per sender, and as %). The
# cpu_ratio column is cpu / reference cpu of the same repetition; the last
# says what a SIGHUP that changes one probe's rate touched (probes stopped,
# sender restarts seen by receivers; 1 and 1 is right).
#
# TOGETHER=1 (default) prints two kinds of rows instead: "w", one per window,
# with both programs' CPU over the same seconds (total exact, from schedstat
# of all threads; user and system from the tick-sampled utime/stime, which
# the kernel rescales, so read the split over a whole rep, not a window) and
# user CPU in us per packet (2 N RATE packets a second: each program's own
# sends and receives); "t", one per exporter run, with the columns above, the
# median of its windows' ratios, user us per packet over all windows and
# the reference's own loss (non-zero when the machine is short of CPU for
# both: the ratio is then an overstatement).
#
#   sudo MCAST_BIN_DIR=$PWD/build/ci/src BASELINE_BIN_DIR=/tmp/base/src \
#     SIZES=500 REPS=3 tests/bench/bench_exporter_scale.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export MCAST_BIN_DIR=${MCAST_BIN_DIR:-$ROOT/build/release/src}
REFERENCE=${REFERENCE:-$MCAST_BIN_DIR/../tests/mcast_bench_reference}
# shellcheck source=tests/integration/lib.sh
source "$ROOT/tests/integration/lib.sh"

SIZES=${SIZES:-"500 2500"}
RATE=${RATE:-25}
TOGETHER=${TOGETHER:-1}
if ((TOGETHER)); then WINDOW=${WINDOW:-10}; else WINDOW=${WINDOW:-20}; fi
WINDOWS=${WINDOWS:-4}
REPS=${REPS:-3}
NS=${P}scale
PORT=19800

require_root
require_cmd curl awk
[[ -x $REFERENCE ]] || skip "no reference program at $REFERENCE (build target mcast_bench_reference)"
TOOLS=(mcast)
[[ -n ${BASELINE_BIN_DIR:-} ]] && TOOLS+=(base)
bin_of() { [[ $1 == base ]] && echo "$BASELINE_BIN_DIR" || echo "$MCAST_BIN_DIR"; }

topo_lo "$NS"
# Thousands of receiver sockets and their buffers.
ulimit -n "$(ulimit -Hn)"

group_of() { # I -> 239.20.x.y
  echo "239.20.$(($1 / 256)).$(($1 % 256))"
}

# config N FILE: N senders and N receivers on lo, one group each.
config() {
  local n=$1 f=$2 i g
  {
    printf '[exporter]\nlisten = "127.0.0.1:0"\nmemory_limit = "64GiB"\n\n'
    printf '[defaults]\nport = %d\nrate = "%dpps"\nmax_senders = 4\nreorder_packets = 64\n\n' "$PORT" "$RATE"
    for ((i = 0; i < n; i++)); do
      g=$(group_of "$i")
      printf '[[sender]]\nname = "tx%d"\ngroup = "%s"\ninterface = "lo"\n\n' "$i" "$g"
      printf '[[receiver]]\nname = "rx%d"\ngroup = "%s"\ninterface = "lo"\n\n' "$i" "$g"
    done
  } >"$f"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# user_sys PID -> "utime stime" in clock ticks, and the CPU ns of all its
# threads from schedstat (exact, where ticks are 10 ms apart).
user_sys() {
  awk '{ printf "%s %s ", $14, $15 }' "/proc/$1/stat"
  cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'
}
rss_mib() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
now() { date +%s.%N; }
pct() { # TICKS SECONDS
  awk -v t="$1" -v s="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", 100 * t / hz / s }'
}

# sum FILE METRIC: sum over all series of METRIC.
sum() { awk -v n="$2" 'index($0, n "{") == 1 { s += $NF } END { printf "%d", s }' "$1"; }
# sent_by_probe FILE: "name count" per sender.
sent_by_probe() {
  awk 'index($0, "mcast_tx_packets_total{") == 1 {
         match($0, /probe="[^"]*"/); print substr($0, RSTART + 7, RLENGTH - 8), $NF }' "$1" | sort
}

# log_has_since FILE LINES TEXT: TEXT in FILE after its first LINES lines.
log_has_since() { tail -n +$(($2 + 1)) "$1" | grep -q "$3"; }

# exporter_trial TOOL N REP -> one row; sets CPU_OF[TOOL].
declare -A CPU_OF HUP_OF
exporter_trial() {
  local tool=$1 n=$2 rep=$3 bin t=$WORK/$1-$2-$3 pid port t0 t1 start_s
  bin=$(bin_of "$tool")
  config "$n" "$t.toml"
  rm -f "$t.port"
  t0=$(now)
  ip netns exec "$NS" "$bin/mcast-exporter" --config "$t.toml" \
    --listen-port-file "$t.port" 2>"$t.log" &
  pid=$!
  track "$pid"
  wait_for 60 test -s "$t.port" || fail "$tool exporter did not listen: $(tail -3 "$t.log")"
  port=$(<"$t.port")
  local url=http://127.0.0.1:$port/metrics
  # Started = every receiver has counted a packet.
  local end=$((SECONDS + 120)) ready
  while :; do
    in_ns "$NS" curl -sf --max-time 30 "$url" >"$t.m0" || true
    ready=$(awk 'index($0, "mcast_rx_receiver_packets_total{") == 1 && $NF > 0 { n++ } END { print n + 0 }' "$t.m0")
    ((ready >= n)) && break
    ((SECONDS < end)) || fail "$tool: only $ready of $n receivers got packets"
    sleep 0.1
  done
  t1=$(now)
  start_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  sleep 3 # warm-up
  local c0 c1 w0 w1 secs cpu ref_pid=
  if ((TOGETHER)); then
    # The reference on its own groups and port: neither program's sockets
    # see the other's datagrams (checked below from both sides' counts).
    ip netns exec "$NS" "$REFERENCE" --flows "$n" --rate "$RATE" \
      --seconds $((3 + WINDOWS * WINDOW + 4)) --port $((PORT + 100)) \
      --group 239.21.0.0 --interface lo >"$t.ref" 2>&1 &
    ref_pid=$!
    track "$ref_pid"
    sleep 3
  fi
  in_ns "$NS" curl -sf "$url" >"$t.m1"
  if ((TOGETHER)); then
    together_windows "$tool" "$n" "$rep" "$pid" "$ref_pid"
    cpu=$TOGETHER_CPU
  else
    c0=$(cpu_ticks "$pid")
    w0=$(now)
    sleep "$WINDOW"
    c1=$(cpu_ticks "$pid")
    w1=$(now)
    secs=$(awk -v a="$w0" -v b="$w1" 'BEGIN { print b - a }')
    cpu=$(pct $((c1 - c0)) "$secs")
  fi
  local rss
  rss=$(rss_mib "$pid")
  in_ns "$NS" curl -sf "$url" >"$t.m2"
  if ((TOGETHER)); then
    wait "$ref_pid" || fail "reference failed: $(cat "$t.ref")"
    local rsent rrcvd
    read -r _ _ _ rsent rrcvd _ <"$t.ref"
    # Disjoint traffic: the reference received no more than it sent (the
    # exporter's datagrams in its sockets would make more; fewer is its own
    # loss when the two programs need more than the machine has, reported as
    # ref_lost), and the exporter's receivers saw no datagram that was not
    # a probe of theirs.
    ((rrcvd <= rsent)) || fail "reference sent $rsent, received $rrcvd"
    REF_LOST=$((rsent - rrcvd))
    local foreign
    foreign=$(sum "$t.m2" mcast_rx_foreign_packets_total)
    ((foreign == 0)) || fail "$tool receivers counted $foreign foreign datagrams"
  fi
  # Scrapes after the window, so they do not count in its CPU.
  local ms=()
  for ((k = 0; k < 10; k++)); do
    ms+=("$(in_ns "$NS" curl -sf -o /dev/null -w '%{time_total}' "$url" | awk '{ printf "%.1f", $1 * 1000 }')")
  done
  local scrape_ms
  scrape_ms=$(printf '%s\n' "${ms[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (a[5] + a[6]) / 2 }')
  # SIGHUP with one probe changed (tx0's rate): only that probe may stop
  # and start again. Counts "stopped" log lines after the reload and the
  # receivers' restarts (the changed sender's receiver sees exactly one).
  local log_lines touched restarts0 restarts1
  log_lines=$(wc -l <"$t.log")
  restarts0=$(sum "$t.m2" mcast_rx_sender_restarts_total)
  sed -i '0,/^name = "tx0"$/s//name = "tx0"\nrate = "50pps"/' "$t.toml"
  kill -HUP "$pid"
  wait_for 60 log_has_since "$t.log" "$log_lines" reloaded ||
    fail "$tool: no reload logged: $(tail -3 "$t.log")"
  sleep 2
  in_ns "$NS" curl -sf "$url" >"$t.m3"
  touched=$(tail -n +$((log_lines + 1)) "$t.log" | grep -c ': stopped$' || true)
  restarts1=$(sum "$t.m3" mcast_rx_sender_restarts_total)
  HUP_OF[$tool]="$touched stopped, $((restarts1 - restarts0)) restarts"
  kill -TERM "$pid"
  wait "$pid" || true
  # Over the window between m1 and m2 (about WINDOW + scrape time).
  local lost drops pace
  lost=$(($(sum "$t.m2" mcast_rx_receiver_lost_packets_total) - $(sum "$t.m1" mcast_rx_receiver_lost_packets_total)))
  drops=$(($(sum "$t.m2" mcast_rx_socket_drops_total) - $(sum "$t.m1" mcast_rx_socket_drops_total)))
  # Pacing: every sender's count over the same span (between the two
  # scrapes, whose values are read at one instant) against the others: all
  # run at RATE, so max - min is the worst pacing error in packets (1 is the
  # floor: a packet boundary falls between the reads), and as a % of the
  # span's expected count.
  pace=$(join <(sent_by_probe "$t.m1") <(sent_by_probe "$t.m2") |
    awk '{ d = $3 - $2; if (min == "" || d < min) min = d; if (d > max) max = d }
         END { printf "%d (%.3f%%)", max - min, (max - min) / max * 100 }')
  CPU_OF[$tool]=$cpu
  ((TOGETHER)) && printf 't\t'
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$tool" "$n" "$rep" "$start_s" "$cpu" \
    "$rss" "$scrape_ms" "$lost" "$drops" "$pace"
}

# together_windows TOOL N REP PID REF_PID: WINDOWS windows of WINDOW s over
# both programs at once; prints a "w" row per window (CPU % of one core,
# user and system apart, user CPU in us per packet sent+received by the
# program's own flows: 2 N RATE a second) and sets TOGETHER_CPU (the
# exporter's CPU over all windows) and TOGETHER_RATIO (median of the
# windows' ratios).
together_windows() {
  local tool=$1 n=$2 rep=$3 pid=$4 ref=$5 w hz u0 s0 u1 s1 ru0 rs0 ru1 rs1 t0 t1
  local e0 e1 re0 re1 ratios=() total=0 total_s=0 users=0 ref_users=0
  hz=$(getconf CLK_TCK)
  for ((w = 1; w <= WINDOWS; w++)); do
    read -r u0 s0 e0 < <(user_sys "$pid")
    read -r ru0 rs0 re0 < <(user_sys "$ref")
    t0=$(now)
    sleep "$WINDOW"
    read -r u1 s1 e1 < <(user_sys "$pid")
    read -r ru1 rs1 re1 < <(user_sys "$ref")
    t1=$(now)
    local row
    row=$(awk -v tool="$tool" -v n="$n" -v rep="$rep" -v w="$w" -v hz="$hz" \
      -v rate="$RATE" -v a="$t0" -v b="$t1" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
      -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v ru=$((ru1 - ru0)) -v rs=$((rs1 - rs0)) \
      -v e=$((e1 - e0)) -v re=$((re1 - re0)) 'BEGIN {
        secs = b - a; pkts = 2 * n * rate * secs
        c = 100 * e / 1e9 / secs; rc = 100 * re / 1e9 / secs
        printf "w\t%s\t%d\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.2f\t%.1f\t%.1f\t%.1f\t%.2f\t%.2f\t%.2f\t%s\t%.2f",
          tool, n, rep, w, c, 100 * u / hz / secs, 100 * s / hz / secs, u / hz * 1e6 / pkts,
          rc, 100 * ru / hz / secs, 100 * rs / hz / secs, ru / hz * 1e6 / pkts,
          (rc > 0 ? c / rc : 0), (ru > 0 ? u / ru : 0), load, secs }')
    printf '%s\n' "$row"
    ratios+=("$(cut -f14 <<<"$row")")
    total=$((total + e1 - e0))
    users=$((users + u1 - u0))
    ref_users=$((ref_users + ru1 - ru0))
    total_s=$(awk -v x="$total_s" -v a="$t0" -v b="$t1" 'BEGIN { print x + b - a }')
  done
  TOGETHER_CPU=$(awk -v e="$total" -v s="$total_s" 'BEGIN { printf "%.1f", 100 * e / 1e9 / s }')
  # User CPU per packet over all windows (ticks add up to enough there).
  TOGETHER_USER=$(awk -v u="$users" -v r="$ref_users" -v hz="$hz" -v n="$n" -v rate="$RATE" -v s="$total_s" \
    'BEGIN { p = 2 * n * rate * s; printf "%.2f\t%.2f", u / hz * 1e6 / p, r / hz * 1e6 / p }')
  TOGETHER_RATIO=$(printf '%s\n' "${ratios[@]}" | sort -n |
    awk '{ a[NR] = $1 } END { printf "%.2f", NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
}

reference_trial() {
  local n=$1 rep=$2 t=$WORK/ref-$1-$2 pid c0 c1 w0 w1
  ip netns exec "$NS" "$REFERENCE" --flows "$n" --rate "$RATE" \
    --seconds $((WINDOW + 5)) --port "$PORT" --group 239.20.0.0 --interface lo >"$t.out" 2>&1 &
  pid=$!
  track "$pid"
  sleep 3
  c0=$(cpu_ticks "$pid")
  w0=$(now)
  sleep "$WINDOW"
  c1=$(cpu_ticks "$pid")
  w1=$(now)
  local rss
  rss=$(rss_mib "$pid")
  wait "$pid" || fail "reference failed: $(cat "$t.out")"
  CPU_OF[ref]=$(pct $((c1 - c0)) "$(awk -v a="$w0" -v b="$w1" 'BEGIN { print b - a }')")
  local sent rcvd
  read -r _ _ _ sent rcvd _ <"$t.out"
  printf 'ref\t%s\t%s\t-\t%s\t%s\t-\t%s\t-\t-\t1.00\n' "$n" "$rep" "${CPU_OF[ref]}" "$rss" $((sent - rcvd))
}

if ((TOGETHER)); then
  # "w" rows: one per window, exporter and reference over the same seconds;
  # "t" rows: one per exporter run (its CPU over all windows, the median of
  # the windows' ratios, and the run's checks).
  printf 'w\tprogram\tN\trep\twindow\tcpu_pct\tuser_pct\tsys_pct\tuser_us_per_pkt\tref_cpu_pct\tref_user_pct\tref_sys_pct\tref_user_us_per_pkt\tcpu_ratio\tuser_ratio\tload1\tsecs\n'
  printf 't\tprogram\tN\trep\tstart_s\tcpu_pct\trss_mib\tscrape_ms\tlost\tsocket_drops\tpace_spread\tmedian_cpu_ratio\tsighup_one_changed\tload1\tuser_us_per_pkt\tref_user_us_per_pkt\tref_lost\n'
  for n in $SIZES; do
    for ((rep = 1; rep <= REPS; rep++)); do
      for tool in "${TOOLS[@]}"; do
        exporter_trial "$tool" "$n" "$rep"
        printf '\t%s\t%s\t%s\t%s\t%s\n' "$TOGETHER_RATIO" "${HUP_OF[$tool]}" \
          "$(cut -d' ' -f1 /proc/loadavg)" "$TOGETHER_USER" "$REF_LOST"
      done
    done
  done
  exit 0
fi
printf 'program\tN\trep\tstart_s\tcpu_pct\trss_mib\tscrape_ms\tlost\tsocket_drops\tpace_spread\tcpu_ratio\tsighup_one_changed\n'
for n in $SIZES; do
  for ((rep = 1; rep <= REPS; rep++)); do
    reference_trial "$n" "$rep"
    for tool in "${TOOLS[@]}"; do
      exporter_trial "$tool" "$n" "$rep"
      awk -v a="${CPU_OF[$tool]}" -v b="${CPU_OF[ref]}" -v h="${HUP_OF[$tool]}" 'BEGIN { printf "\t%.2f\t%s\n", a / b, h }'
    done
  done
done
