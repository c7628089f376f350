#!/usr/bin/env bash
# Demo: the twohop lab with 1 % random loss on r2 and a DSCP remark (EF ->
# CS1) on r1, a probe stream across it, and either
#   - mcast-exporter in the receiver namespace scraped by a real Prometheus
#     (both listening on the receiver's lab address), or
#   - when no mcast-exporter binary is built, mcast-receive with its live
#     dashboard.
# Ctrl-C tears everything down (every process in the lab's namespaces, the
# namespaces, the temp dir). Run as root from a built tree:
#
#   tests/lab/demo.sh                  # until Ctrl-C
#   DEMO_DURATION=30 tests/lab/demo.sh # stop by itself after 30 s
#
# Environment: MCAST_BIN_DIR (default: the first build/*/src with the
# tools), LAB_PREFIX (default mdemo), DEMO_LOSS (percent, default 1),
# DEMO_RATE (default 100pps).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

[[ $(id -u) -eq 0 ]] || { echo "demo: run as root (network namespaces)" >&2; exit 77; }
if [[ -z ${MCAST_BIN_DIR:-} ]]; then
  for d in "$ROOT"/build/*/src; do
    [[ -x $d/mcast-send && -x $d/mcast-receive ]] && { MCAST_BIN_DIR=$d; break; }
  done
fi
export MCAST_BIN_DIR=${MCAST_BIN_DIR:?no build found: cmake --preset ci && cmake --build --preset ci}
# lab.sh brings tests/integration/lib.sh: $BIN, $WORK and the one EXIT trap
# that stops every process and removes the lab's namespaces and $WORK.
source "$HERE/lab.sh"
EXPORTER=
if [[ -x $BIN/mcast-exporter ]]; then
  EXPORTER=$BIN/mcast-exporter
else
  for e in "$ROOT"/build/*/src/mcast-exporter; do [[ -x $e ]] && { EXPORTER=$e; break; }; done
fi
PREFIX=${LAB_PREFIX:-mdemo}
DURATION=${DEMO_DURATION:-0}
LOSS=${DEMO_LOSS:-1}
RATE=${DEMO_RATE:-100pps}
G=$LAB_GROUP_SSM S=$LAB_SRC1

lab_test_up twohop "$PREFIX"
impair_loss_random "$LAB_R2" "$LOSS"
impair_remark "$LAB_R1" cs1

bg "$LAB_SND" "$BIN/mcast-send" "$G" 0 64 --rate "$RATE" --dscp ef \
  -i snd-eth0 --source "$S" --quiet

cat <<EOF
demo: lab '$PREFIX' is up:  $LAB_SND (10.0.1.1) - $LAB_R1 - $LAB_R2 - $LAB_RCV (10.0.3.2)
      r1 remarks EF -> CS1, r2 drops $LOSS % at random; mcast-send $G from $S, TTL 64, $RATE
      impairment counters: ip netns exec $LAB_R2 nft list counters
                           ip netns exec $LAB_R1 nft list counters
      routes:              ip -n $LAB_R1 mroute show; $HERE/lab.sh status twohop $PREFIX
EOF

if [[ -z $EXPORTER ]]; then
  echo "demo: no mcast-exporter built (build/*/src/mcast-exporter): live mcast-receive instead"
  echo "demo: Ctrl-C to stop"
  sleep 1
  args=("$G" "$S" -i rcv-eth0 --stall-timeout 2)
  ((DURATION > 0)) && args+=(--duration "$DURATION")
  ip netns exec "$LAB_RCV" "$BIN/mcast-receive" "${args[@]}" || true
  exit 0
fi

cat >"$LAB_DIR/exporter.toml" <<EOF
[exporter]
listen = "$LAB_RCV_ADDR:9779"

[[receiver]]
name = "lab-rx"
group = "$G"
source = "$S"
interface = "rcv-eth0"
stall_timeout = "2s"
EOF
bg "$LAB_RCV" "$EXPORTER" --config "$LAB_DIR/exporter.toml" \
  --listen-port-file "$LAB_DIR/exporter.port" >"$LAB_DIR/exporter.log" 2>&1

PROM=
if command -v prometheus >/dev/null 2>&1; then
  PROM=$(command -v prometheus)
  mkdir -p "$LAB_DIR/prometheus"
  cat >"$LAB_DIR/prometheus.yml" <<EOF
global:
  scrape_interval: 5s
scrape_configs:
  - job_name: mcast-lab
    static_configs:
      - targets: ["$LAB_RCV_ADDR:9779"]
EOF
  bg "$LAB_RCV" "$PROM" --config.file="$LAB_DIR/prometheus.yml" \
    --storage.tsdb.path="$LAB_DIR/prometheus" \
    --web.listen-address="$LAB_RCV_ADDR:9090" >"$LAB_DIR/prometheus.log" 2>&1
else
  echo "demo: prometheus not installed (apt-get install prometheus): exporter only"
fi

wait_for 10 test -s "$LAB_DIR/exporter.port" ||
  { cat "$LAB_DIR/exporter.log" >&2; fail "demo: mcast-exporter is not listening"; }
cat <<EOF
demo: mcast-exporter: ip netns exec $LAB_RCV curl -s http://$LAB_RCV_ADDR:9779/metrics | grep -v '^#'
EOF
if [[ -n $PROM ]]; then
  cat <<EOF
demo: prometheus:     ip netns exec $LAB_RCV curl -s 'http://$LAB_RCV_ADDR:9090/api/v1/targets' | jq '.data.activeTargets[].health'
                      ip netns exec $LAB_RCV curl -sG http://$LAB_RCV_ADDR:9090/api/v1/query \\
                        --data-urlencode 'query=rate(mcast_rx_lost_packets_total[1m])' | jq .data.result
      (both listen only inside $LAB_RCV: reach them with ip netns exec, as above)
      logs: $LAB_DIR/{exporter,prometheus}.log
EOF
fi
echo "demo: Ctrl-C to stop"
# `wait` (unlike a foreground sleep) returns at once when a signal arrives,
# so the trap tears down immediately.
if ((DURATION > 0)); then sleep "$DURATION" & else sleep infinity & fi
track $!
wait $!
