#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine (as root):
# installs what is missing, builds with warnings as errors, runs every test
# (unit and network-namespace integration), then runs the unit tests again
# under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

.ci/install-deps

jobs=$(nproc)
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$jobs"
ctest --preset ci -j 1

cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs" --target mcast_unit_tests
ctest --preset asan -j "$jobs"
