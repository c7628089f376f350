#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine (as root):
# installs what is missing, builds with warnings as errors, runs every test
# (unit and network-namespace integration), runs each libFuzzer target for a
# bounded time (tests/fuzz/run.sh), then runs the unit tests and the fuzz
# corpus replays again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

.ci/install-deps

jobs=$(nproc)
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$jobs"
ctest --preset ci -j "$jobs"

FUZZ_SECONDS=${FUZZ_SECONDS:-15} tests/fuzz/run.sh

cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs" --target mcast_unit_tests
ctest --preset asan -j "$jobs"
