#!/usr/bin/env bash
# Benchmark (not a CTest test): the MPEG-TS analyser.
#   1. mcast_bench_mpegts: ns per 7 x 188-byte TS datagram (UDP and RTP)
#      against probe decoding, same process and run, and the share of one
#      core 100k TS datagrams/s take;
#   2. the real-encoder tests with a 30 s stream (MPEGTS_SECONDS): ffmpeg and
#      GStreamer, clean groups without a CC or PAT error, impaired ones with
#      exactly the CC errors worked out from the drops.
#
#   sudo tests/bench/bench_mpegts.sh
#
# Environment: BUILD_DIR (default build/ci), MPEGTS_SECONDS (default 30),
# DATAGRAMS per micro-benchmark case and round (default 2000000).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build/ci}
"$BUILD_DIR/tests/mcast_bench_mpegts" "${DATAGRAMS:-2000000}"
for t in ffmpeg gstreamer; do
  MCAST_BIN_DIR=$BUILD_DIR/src MCAST_SOURCE_DIR=$ROOT MPEGTS_SECONDS=${MPEGTS_SECONDS:-30} \
    bash "$ROOT/tests/integration/mpegts_${t}_test.sh" | grep -v '^ok:'
done
