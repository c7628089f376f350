#!/usr/bin/env bash
# Runs every libFuzzer target in tests/fuzz for a bounded time, starting
# from its checked-in corpus (copied: the run never writes into the tree).
#
#   tests/fuzz/run.sh                 # CI: FUZZ_SECONDS (default 15) per target
#   FUZZ_SECONDS=3600 tests/fuzz/run.sh sequence_engine   # one target, longer
#   FUZZ_JOBS=2 ...                   # parallel fuzzing processes per target
#   FUZZ_PARALLEL=1 ...               # targets one after another (default: one per core)
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
# Targets run side by side, one per core (FUZZ_PARALLEL): each still gets its
# full FUZZ_SECONDS, the suite's wall time drops by the core count.
parallel_targets=${FUZZ_PARALLEL:-$(nproc)}
results=$(mktemp -d /tmp/mcast-fuzz-results.XXXXXX)
trap 'rm -rf "$results"' EXIT

fuzz_one() {
  local name=$1
  local bin=build/fuzz/tests/fuzz/${name}_fuzz
  local seeds=tests/fuzz/corpus/$name
  local work findings log status=0 execs
  work=$(mktemp -d "/tmp/mcast-fuzz-$name.XXXXXX")
  findings=build/fuzz/findings/$name
  mkdir -p "$work/corpus" "$findings"
  log=$work/log
  local parallel=()
  [[ $jobs -gt 1 ]] && parallel=(-jobs="$jobs" -workers="$jobs")
  # -jobs writes one log per job, fuzz-N.log, in the working directory.
  (cd "$work" && exec "$OLDPWD/$bin" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 "${parallel[@]}" \
    -artifact_prefix="$OLDPWD/$findings/" corpus "$OLDPWD/$seeds") >"$log" 2>&1 || status=$?
  cat "$work"/fuzz-*.log >>"$log" 2>/dev/null || true
  execs=$(awk '/stat::number_of_executed_units/ {n += $2} END {print n + 0}' "$log")
  if [[ $status -eq 0 ]]; then
    echo "fuzz: $name: $execs executions in ${seconds}s, no finding"
    rm -rf "$work"
    touch "$results/$name.pass"
  else
    echo "fuzz: $name: FINDING (exit $status) after $execs executions; log $log, input in $findings/" >&2
    grep -E 'ERROR|SUMMARY|runtime error|deadly signal|Test unit written' "$log" | head -20 >&2 || true
    touch "$results/$name.fail"
  fi
}

for name in "${targets[@]}"; do
  [[ -x build/fuzz/tests/fuzz/${name}_fuzz ]] || { echo "fuzz: no target '$name' (have: ${all[*]})" >&2; exit 2; }
done
for name in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= parallel_targets)); do wait -n || true; done
  fuzz_one "$name" &
done
wait
passed=$(find "$results" -name '*.pass' | wc -l)
failed=$(( ${#targets[@]} - passed ))
echo "fuzz: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
