#!/usr/bin/env bash
# Runs every libFuzzer target in tests/fuzz for a bounded time, starting
# from its checked-in corpus (copied: the run never writes into the tree).
#
#   tests/fuzz/run.sh                 # CI: FUZZ_SECONDS (default 15) per target
#   FUZZ_SECONDS=3600 tests/fuzz/run.sh sequence_engine   # one target, longer
#   FUZZ_JOBS=2 ...                   # parallel fuzzing processes per target
#
# A crash, leak, timeout or failed invariant fails the run; the input that
# did it is kept in build/fuzz/findings/<name>/ (add it to the corpus once
# fixed, so the fuzz.replay.<name> test guards it). Exit 0 pass, 1 finding.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${FUZZ_SECONDS:-15}
jobs=${FUZZ_JOBS:-1}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" >/dev/null

mapfile -t all < <(cd tests/fuzz && ls ./*_fuzz.cc | sed 's|^\./||; s|_fuzz\.cc$||')
targets=("${@:-${all[@]}}")
passed=0 failed=0
for name in "${targets[@]}"; do
  bin=build/fuzz/tests/fuzz/${name}_fuzz
  seeds=tests/fuzz/corpus/$name
  [[ -x $bin ]] || { echo "fuzz: no target '$name' (have: ${all[*]})" >&2; exit 2; }
  work=$(mktemp -d "/tmp/mcast-fuzz-$name.XXXXXX")
  findings=build/fuzz/findings/$name
  mkdir -p "$work/corpus" "$findings"
  log=$work/log
  parallel=()
  [[ $jobs -gt 1 ]] && parallel=(-jobs="$jobs" -workers="$jobs")
  status=0
  # -jobs writes one log per job, fuzz-N.log, in the working directory.
  (cd "$work" && exec "$OLDPWD/$bin" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 "${parallel[@]}" \
    -artifact_prefix="$OLDPWD/$findings/" corpus "$OLDPWD/$seeds") >"$log" 2>&1 || status=$?
  cat "$work"/fuzz-*.log >>"$log" 2>/dev/null || true
  execs=$(awk '/stat::number_of_executed_units/ {n += $2} END {print n + 0}' "$log")
  if [[ $status -eq 0 ]]; then
    echo "fuzz: $name: $execs executions in ${seconds}s, no finding"
    passed=$((passed + 1))
    rm -rf "$work"
  else
    echo "fuzz: $name: FINDING (exit $status) after $execs executions; log $log, input in $findings/" >&2
    grep -E 'ERROR|SUMMARY|runtime error|deadly signal|Test unit written' "$log" | head -20 >&2 || true
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
