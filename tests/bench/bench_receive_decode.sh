#!/usr/bin/env bash
# Benchmark (not a CTest test): mcast-receive decoding MPEG-TS next to
# probe decoding at the same datagram rate (issue 14: "the TS decoder at 100k
# datagrams/s of 7x188 bytes must not lose packets where probe decoding does
# not"), on the loopback of a network namespace this script creates and
# removes. Nothing leaves the machine.
#
#   sudo tests/bench/bench_receive_decode.sh
#
# Per rep and mode, one receiver and one sender for SECONDS at RATE
# datagrams/s of 1316 bytes:
#   probe  mcast-send --size 1316      -> mcast-receive --decode probe
#   ts     mcast_bench_reference --ts  -> mcast-receive --decode mpegts
#          (7 valid TS packets a datagram, continuity counters without a gap)
#   raw    mcast_bench_reference       -> mcast-receive --decode probe (MODES)
#          (1316 bytes of 'x': every datagram foreign, the sender of "ts"
#          without the TS content: tells the sender's bursts from decoding)
# The reference sends every datagram due at a tick of TICK_US (default 1000,
# 100 datagrams a burst at 100k/s) in sendmmsg batches.
# Reports received/sent, the receiver's own socket drops (SO_RXQ_OVFL), the
# namespace's /proc/net/snmp Udp RcvbufErrors, the receiver's CPU (user + sys
# over its whole run) and, for TS, the CC errors counted (0 unless datagrams
# were lost). Prints medians of REPS with the min-max spread and the load.
#
# Environment: BUILD_DIR (default build/ci), RATE (100000), RUN_SECONDS (5),
# REPS (3), MODES ("probe ts raw"), TICK_US (1000), OUT (folder for the raw results, default a new /tmp folder).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build/ci}
export MCAST_BIN_DIR=$BUILD_DIR/src
# shellcheck source=tests/integration/lib.sh
source "$ROOT/tests/integration/lib.sh"
require_root
require_cmd jq python3
RATE=${RATE:-100000}
SECS=${RUN_SECONDS:-5}
REPS=${REPS:-3}
MODES=${MODES:-"probe ts raw"}
TICK_US=${TICK_US:-1000}
OUT=${OUT:-$(mktemp -d /tmp/mcast-bench-decode.XXXXXX)}
mkdir -p "$OUT"
REF=$BUILD_DIR/tests/mcast_bench_reference
[[ -x $REF ]] || fail "$REF is not built (cmake --build --preset ci --target mcast_bench_reference)"
G=239.10.0.0
PORT=19800

ns=${P}dec
topo_lo "$ns"

rcvbuf_errors() {
  in_ns "$ns" awk '$1 == "Udp:" && !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
    $1 == "Udp:" { print $c["RcvbufErrors"] }' /proc/net/snmp
}

echo "reference sender tick: $TICK_US us"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'rep\tmode\tsent\treceived\tsocket_drops\trcvbuf_errors\tcpu_s\tcc_errors\n' >"$OUT/raw.tsv"
for rep in $(seq "$REPS"); do
  for mode in $MODES; do
    decode=probe
    [[ $mode == ts ]] && decode=mpegts
    before=$(rcvbuf_errors)
    # The receiver's CPU: bash's time of the ip-netns-exec child (its own
    # cost is a few ms). It outlasts a sender that falls SECS + 2 s behind
    # (seen at load 5: 6.2 s for 5 s of traffic), idle CPU is ~0.
    (
      TIMEFORMAT='%U %S'
      { time in_ns "$ns" "$BIN/mcast-receive" "$G" -i lo -p "$PORT" --decode "$decode" \
          --duration "$((2 * SECS + 3))" --quiet --json >"$OUT/$rep-$mode.json" \
          2>"$OUT/$rep-$mode.err"; } 2>"$OUT/$rep-$mode.cpu"
    ) &
    rx_pid=$!
    sleep 1
    if [[ $mode == probe ]]; then
      in_ns "$ns" "$BIN/mcast-send" "$G" "$SECS" 1 -i lo -p "$PORT" --rate "${RATE}pps" \
        --size 1316 --quiet --json >"$OUT/$rep-$mode.tx.json"
      sent=$(jq '.totals.packets // .packets' "$OUT/$rep-$mode.tx.json")
    else
      payload=(--ts)
      [[ $mode == raw ]] && payload=(--size 1316)
      in_ns "$ns" "$REF" "${payload[@]}" --tick-us "$TICK_US" --flows 1 --rate "$RATE" --seconds "$SECS" --group "$G" \
        --port "$PORT" --interface lo --no-receive >"$OUT/$rep-$mode.tx.txt"
      sent=$(awk '{print $4}' "$OUT/$rep-$mode.tx.txt")
    fi
    wait "$rx_pid"
    after=$(rcvbuf_errors)
    j=$OUT/$rep-$mode.json
    if [[ $mode == probe ]]; then
      received=$(jq '.totals.packets' "$j")
      cc=-
    elif [[ $mode == raw ]]; then
      received=$(jq '.totals.foreign' "$j")
      cc=-
    else
      received=$(jq '[.streams[].packets] | add // 0' "$j")
      cc=$(jq '[.streams[].continuity_count_errors] | add // 0' "$j")
    fi
    drops=$(jq '.totals.socket_drops' "$j")
    cpu=$(awk '{printf "%.3f", $1 + $2}' "$OUT/$rep-$mode.cpu")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$mode" "$sent" "$received" "$drops" \
      "$((after - before))" "$cpu" "$cc" | tee -a "$OUT/raw.tsv"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT/raw.tsv" "$RATE" "$SECS" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
rate, secs = sys.argv[2], sys.argv[3]
def med(mode, key, f=float):
    v = [f(r[key]) for r in rows if r["mode"] == mode]
    return statistics.median(v), min(v), max(v)
print(f"\n{rate} datagrams/s of 1316 bytes for {secs} s, medians (min-max) of {len(rows) // len(set(r['mode'] for r in rows))} reps")
print("mode   received/sent            socket drops   RcvbufErrors   receiver CPU s   CC errors")
cpu = {}
modes = list(dict.fromkeys(r["mode"] for r in rows))
for mode in modes:
    ratio = [int(r["received"]) / int(r["sent"]) for r in rows if r["mode"] == mode]
    d, r_, c = med(mode, "socket_drops"), med(mode, "rcvbuf_errors"), med(mode, "cpu_s")
    cpu[mode] = c[0]
    cc = "-" if mode != "ts" else "%g (%g-%g)" % med(mode, "cc_errors")
    print(f"{mode:6} {statistics.median(ratio):.6f} ({min(ratio):.6f}-{max(ratio):.6f})"
          f"  {d[0]:g} ({d[1]:g}-{d[2]:g})  {r_[0]:g} ({r_[1]:g}-{r_[2]:g})"
          f"  {c[0]:.2f} ({c[1]:.2f}-{c[2]:.2f})  {cc}")
for mode in modes:
    if mode != "probe" and "probe" in cpu:
        print(f"receiver CPU {mode} / probe: {cpu[mode] / cpu['probe']:.2f}")
PY
echo "raw: $OUT"
