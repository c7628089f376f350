#!/usr/bin/env bash
# Benchmark: mcast-send -> mcast-receive against iperf2, side by side in the
# same run, on the same path: a veth pair between two network namespaces
# this script creates (and removes on exit). Nothing leaves the machine.
#
# Not a CTest test: it prints figures and asserts nothing about timing.
#
#   sudo tests/bench/bench_send_receive.sh [SECTION...]
#
# Sections (default: all, in this order):
#   send    raw "send alone" maximum: no receiver, 10M pps offered
#   max     highest offered rate with 0 loss and 0 socket drops, by bisection
#   pacing  achieved vs target and inter-departure error at 25, 1k, 100k pps,
#           from a tcpdump capture on the sender's veth
#   cost    sender CPU time (user + sys) and achieved rate with a receiver
#           and no capture, at COST_RATES
#
# Environment:
#   MCAST_BIN_DIR     build to measure (default build/release/src)
#   BASELINE_BIN_DIR  optional second build, measured in the same run as
#                     "mcast (base)": before/after comparisons
#   REPS              repetitions of every measurement (default 3)
#   TRIAL_SECONDS     length of one bisection / send-alone trial (default 2)
#   PACING_RUNS       "rate:seconds ..." (default "25:20 1000:10 100000:5")
#   COST_RATES        rates for the cost section (default "50000 100000"),
#                     5 s each
#   OUT               folder for raw results (default: a new /tmp folder)
#   NO_IPERF=1        skip iperf2
#
# The machine is shared and CPU is contended: every figure is the median of
# REPS runs, with the min-max spread.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export MCAST_BIN_DIR=${MCAST_BIN_DIR:-$ROOT/build/release/src}
# lib.sh: namespace helpers and the EXIT trap that removes them.
# shellcheck source=tests/integration/lib.sh
source "$ROOT/tests/integration/lib.sh"

REPS=${REPS:-3}
TRIAL_SECONDS=${TRIAL_SECONDS:-2}
PACING_RUNS=${PACING_RUNS:-"25:20 1000:10 100000:5"}
OUT=${OUT:-$(mktemp -d /tmp/mcast-bench.XXXXXX)}
mkdir -p "$OUT"
RAW=$OUT/raw.tsv
SECTIONS=("$@")
((${#SECTIONS[@]})) || SECTIONS=(send max pacing cost)
COST_RATES=${COST_RATES:-"50000 100000"}
SIZE=200
G=239.1.2.3
MCAST_PORT=19779
IPERF_PORT=5001

require_root
require_cmd jq tcpdump python3 timeout
TOOLS=(mcast)
[[ -n ${BASELINE_BIN_DIR:-} ]] && TOOLS+=(base)
if [[ -z ${NO_IPERF:-} ]]; then
  if ! command -v iperf >/dev/null; then
    apt-get install -y iperf >/dev/null || skip "iperf (iperf2) is missing"
  fi
  TOOLS+=(iperf2)
fi

tx=${P}tx
rx=${P}rx
TXIF=${P}a
RXIF=${P}b
netns_add "$tx"
netns_add "$rx"
veth_pair "$tx" "$TXIF" 10.99.0.1 "$rx" "$RXIF" 10.99.0.2
# No IPv6 autoconfiguration traffic on the measured link.
in_ns "$tx" sysctl -qw "net.ipv6.conf.$TXIF.disable_ipv6=1"
in_ns "$rx" sysctl -qw "net.ipv6.conf.$RXIF.disable_ipv6=1"

bin_of() {
  case $1 in
    mcast) echo "$MCAST_BIN_DIR" ;;
    base) echo "$BASELINE_BIN_DIR" ;;
  esac
}

# Raw rows: section tool rate rep key=value...
record() { echo "$*" | tr ' ' '\t' >>"$RAW"; }

# Background process in a namespace whose pid is $!, killed at teardown.
start_bg() {
  local out=$1 err=$2 ns=$3
  shift 3
  ip netns exec "$ns" "$@" >"$out" 2>"$err" &
  track $!
}

stop_bg() {
  kill -INT "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# --- one trial per tool ------------------------------------------------------
# Each prints: sent achieved_pps errors received lost socket_drops

# Sender commands run under /usr/bin/time when TIMEFILE is set (cost).
TIMEFILE=
timed() {
  if [[ -n $TIMEFILE ]]; then
    /usr/bin/time -o "$TIMEFILE" -f "%U %S" "$@"
  else
    "$@"
  fi
}

# mcast_trial BIN RATE SECONDS [CAPTURE_FILE]
mcast_trial() {
  local bin=$1 rate=$2 secs=$3 cap=${4:-}
  local t=$WORK/t rpid cpid=
  ip netns exec "$rx" "$bin/mcast-receive" "$G" -i "$RXIF" --json \
    >"$t.rx.json" 2>"$t.rx.err" &
  rpid=$!
  track "$rpid"
  wait_joined "$rx" "$G"
  [[ -n $cap ]] && { start_capture "$cap" "$MCAST_PORT"; cpid=$CAPTURE_PID; }
  timed ip netns exec "$tx" "$bin/mcast-send" "$G" "$secs" 1 --rate "${rate}pps" \
    --size "$SIZE" -i "$TXIF" --quiet --json >"$t.tx.json"
  sleep 0.3
  [[ -n $cpid ]] && stop_capture "$cpid" "$cap"
  stop_bg "$rpid"
  jq -r '[.packets, .achieved_pps, .errors] | @tsv' "$t.tx.json" | tr '\n' '\t'
  jq -r '[.totals.packets, .totals.lost, .totals.socket_drops] | @tsv' \
    "$t.rx.json"
}

# iperf_trial RATE SECONDS [CAPTURE_FILE]
# iperf2 has no socket drop counter: drops are part of its Lost figure.
iperf_trial() {
  local rate=$1 secs=$2 cap=${3:-}
  local t=$WORK/t spid cpid=
  start_bg "$t.srv" "$t.srv.err" "$rx" iperf -s -u -B "$G" -i 1 -e
  spid=$!
  wait_joined "$rx" "$G"
  [[ -n $cap ]] && { start_capture "$cap" "$IPERF_PORT"; cpid=$CAPTURE_PID; }
  timed ip netns exec "$tx" iperf -c "$G" -u -T 1 -b "${rate}pps" -l "$SIZE" -t "$secs" -e \
    >"$t.cli" 2>&1 || true
  sleep 0.5
  [[ -n $cpid ]] && stop_capture "$cpid" "$cap"
  stop_bg "$spid"
  # Client: "[  1] 0.0000-2.0000 sec  ...  Mbits/sec  W/E  P pps"; its sent
  # count is the "Sent N datagrams" line (includes the end-of-test marker).
  python3 - "$t.cli" "$t.srv" <<'PY'
import re, sys
cli = open(sys.argv[1]).read()
srv = open(sys.argv[2]).read()
sent = re.search(r"Sent (\d+) datagrams", cli)
m = re.findall(r"sec\s.*?(\d+)/(\d+)\s+(\d+) pps", cli)
sent_n = int(m[-1][0]) if m else (int(sent.group(1)) if sent else 0)
err = int(m[-1][1]) if m else 0
pps = int(m[-1][2]) if m else 0
# Server: the summary starts at 0.0000 and has Lost/Total; take the last one.
rows = re.findall(r"0\.0+-[\d.]+ sec.*?\s(-?\d+)/(\d+) \(", srv)
lost, total = (int(rows[-1][0]), int(rows[-1][1])) if rows else (0, 0)
print(f"{sent_n}\t{pps}\t{err}\t{total - lost}\t{lost}\tNA")
PY
}

# trial TOOL RATE SECONDS [CAPTURE_FILE]
trial() {
  local tool=$1
  shift
  case $tool in
    iperf2) iperf_trial "$@" ;;
    *) mcast_trial "$(bin_of "$tool")" "$@" ;;
  esac
}

CAPTURE_PID=
# start_capture FILE PORT: tcpdump on the sender's veth, nanosecond stamps.
start_capture() {
  ip netns exec "$tx" tcpdump -i "$TXIF" -nn -s 64 -B 65536 --immediate-mode \
    --time-stamp-precision=nano -w "$1" "udp dst port $2" 2>"$1.err" &
  CAPTURE_PID=$!
  track "$CAPTURE_PID"
  wait_for 5 grep -qs "listening on" "$1.err" || fail "tcpdump did not start"
}

stop_capture() {
  stop_bg "$1"
  # "N packets dropped by kernel": the capture, not the path, lost them.
  grep -q "^0 packets dropped by kernel" "$2.err" ||
    echo "--- warning: $(grep 'dropped by kernel' "$2.err")" >&2
}

# --- sections ----------------------------------------------------------------

section_send() {
  log "send alone: 10M pps offered for ${TRIAL_SECONDS}s, no receiver"
  local tool rep line
  for rep in $(seq "$REPS"); do
    for tool in "${TOOLS[@]}"; do
      if [[ $tool == iperf2 ]]; then
        line=$(in_ns "$tx" iperf -c "$G" -u -T 1 -b 10000000pps -l "$SIZE" \
          -t "$TRIAL_SECONDS" -e 2>&1 | grep -oE '[0-9]+ pps' | tail -1 |
          cut -d' ' -f1)
      else
        # Forever, stopped by SIGINT: a finite run at 10M pps would last
        # until 10M x seconds packets are out, at whatever speed.
        line=$(timeout -s INT "$TRIAL_SECONDS" ip netns exec "$tx" \
          "$(bin_of "$tool")/mcast-send" "$G" 0 1 --rate 10000000pps \
          --size "$SIZE" -i "$TXIF" --quiet --json | jq -r .achieved_pps) ||
          true
      fi
      record send "$tool" 10000000 "$rep" "achieved=$line"
      echo "rep $rep $tool: $line pps"
    done
  done
}

# passes "sent achieved errors received lost drops" TARGET: 0 loss, 0 socket
# drops, no send errors, and the sender really offered >= 99 % of TARGET
# (a slower sender would make any rate look loss-free).
passes() {
  local sent ach err recv lost drops
  read -r sent ach err recv lost drops <<<"$1"
  [[ $lost == 0 && $err == 0 && ($drops == 0 || $drops == NA) ]] || return 1
  [[ $recv -ge $sent || $1 == *NA ]] || return 1
  python3 -c "import sys; sys.exit(0 if $ach >= 0.99 * $2 else 1)"
}

section_max() {
  log "max rate with 0 loss: bisection over ${TRIAL_SECONDS}s trials"
  local tool rep lo hi mid res best_ach
  for rep in $(seq "$REPS"); do
    for tool in "${TOOLS[@]}"; do
      lo=0
      hi=1000000
      best_ach=0
      mid=100000
      # Geometric bisection down to 4 % resolution.
      while python3 -c "import sys; sys.exit(0 if $hi > 1.04 * max($lo, 1) else 1)"; do
        res=$(trial "$tool" "$mid" "$TRIAL_SECONDS")
        if passes "$res" "$mid"; then
          lo=$mid
          best_ach=$(cut -f2 <<<"$res")
          echo "rep $rep $tool $mid pps: pass ($res)"
        else
          hi=$mid
          echo "rep $rep $tool $mid pps: FAIL ($res)"
        fi
        record maxstep "$tool" "$mid" "$rep" "result=$(tr '\t' , <<<"$res")"
        if ((lo == 0)); then
          mid=$((mid / 2))
          ((mid >= 5000)) || break
        else
          mid=$(python3 -c "print(int(($lo * $hi) ** 0.5 / 1000) * 1000)")
          # Rounding to 1000 pps can land back on a measured rate: done.
          ((mid > lo && mid < hi)) || break
        fi
      done
      record max "$tool" "$lo" "$rep" "achieved=$best_ach"
      echo "rep $rep $tool: highest loss-free offered rate $lo pps (achieved $best_ach)"
    done
  done
}

section_pacing() {
  local spec rate secs tool rep res cap stats
  for spec in $PACING_RUNS; do
    rate=${spec%%:*}
    secs=${spec##*:}
    log "pacing: $rate pps for ${secs}s"
    for rep in $(seq "$REPS"); do
      for tool in "${TOOLS[@]}"; do
        cap=$OUT/pacing-$tool-$rate-$rep.pcap
        res=$(trial "$tool" "$rate" "$secs" "$cap")
        stats=$(python3 "$ROOT/tests/bench/gaps.py" "$cap" "$rate" "$tool")
        read -r sent ach err recv lost drops <<<"$res"
        record pacing "$tool" "$rate" "$rep" "sent=$sent" "achieved=$ach" \
          "errors=$err" "received=$recv" "lost=$lost" "drops=$drops" "$stats"
        echo "rep $rep $tool: $res $stats"
      done
    done
  done
}

section_cost() {
  local rate tool rep res
  for rate in $COST_RATES; do
    log "cost: sender CPU at $rate pps for 5s, receiver running, no capture"
    for rep in $(seq "$REPS"); do
      for tool in "${TOOLS[@]}"; do
        TIMEFILE=$WORK/time
        res=$(trial "$tool" "$rate" 5)
        TIMEFILE=
        read -r sent ach err recv lost drops <<<"$res"
        read -r user sys <<<"$(tail -1 "$WORK/time")"
        record cost "$tool" "$rate" "$rep" "sent=$sent" "achieved=$ach" \
          "received=$recv" "lost=$lost" "drops=$drops" "user=$user" "sys=$sys"
        echo "rep $rep $tool: $res cpu user $user sys $sys"
      done
    done
  done
}

echo "# machine: $(nproc) CPUs, kernel $(uname -r)," \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# tools: ${TOOLS[*]}  bin: $MCAST_BIN_DIR ${BASELINE_BIN_DIR:+base: $BASELINE_BIN_DIR}"
for s in "${SECTIONS[@]}"; do
  "section_$s"
done
echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$ROOT/tests/bench/summarize.py" "$RAW" | tee "$OUT/summary.md"
echo "raw results: $RAW"
