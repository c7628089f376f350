#!/usr/bin/env bash
# lib.sh's one teardown, run in child scripts that source it and end by
# failing, skipping, passing or being sent SIGTERM: every time the
# processes started with bg are stopped first (one that ignores SIGTERM is
# killed), then the on_exit commands run newest first with their arguments
# intact, each namespace goes with any process left in it, and the work dir
# is kept on failure (and SIGTERM), removed on pass and skip. skip exits 77
# and says why.
source "$(dirname "$0")/lib.sh"
require_root

cat >"$WORK/child.sh" <<'EOF'
source "$MCAST_SOURCE_DIR/tests/integration/lib.sh"
out=$1 mode=$2
printf 'child_work=%q child_ns=%q\n' "$WORK" "${P}t" >"$out/env"
note() { echo "$*" >>"$out/order"; }
netns_add "${P}t"
on_exit note first
# An untracked process in the namespace: netns_del must end it.
ip netns exec "${P}t" sleep 60 &
echo $! >"$out/untracked.pid"
if [[ $mode == fail ]]; then
  # Tracked, and deaf to SIGTERM: the teardown must SIGKILL it.
  bg "${P}t" bash -c 'trap "" TERM; while :; do sleep 0.1; done'
else
  bg "${P}t" sleep 60
fi
echo $! >"$out/tracked.pid"
tracked_dead() {
  if kill -0 "$(<"$out/tracked.pid")" 2>/dev/null; then note "tracked alive"; else note "tracked dead"; fi
}
on_exit note "second, with  spaces"
on_exit tracked_dead
case $mode in
  fail) fail "on purpose" ;;
  skip) skip "the reason to skip" ;;
  pass) pass "done" ;;
  signal) touch "$out/ready"; sleep 30 & track $!; wait $! ;;
esac
EOF

# run_child MODE EXPECTED_RC KEEPS_WORK: run the child, then check its teardown.
run_child() {
  local mode=$1 want_rc=$2 keeps=$3 out=$WORK/$1 rc=0
  mkdir -p "$out"
  if [[ $mode == signal ]]; then
    bash "$WORK/child.sh" "$out" "$mode" >"$out/stdout" 2>&1 &
    local child=$!
    wait_for 10 test -e "$out/ready" || fail "signal child never got ready"
    kill -TERM "$child"
    wait "$child" || rc=$?
  else
    bash "$WORK/child.sh" "$out" "$mode" >"$out/stdout" 2>&1 || rc=$?
  fi
  local child_work child_ns
  eval "$(<"$out/env")"
  # shellcheck disable=SC2154 # set by the eval
  on_exit rm -rf "$child_work"
  expect_eq "$mode: exit code" "$rc" "$want_rc"
  expect_eq "$mode: on_exit order (newest first, arguments intact)" \
    "$(paste -sd '|' "$out/order")" "tracked dead|second, with  spaces|first"
  ip netns list | awk -v n="$child_ns" '$1 == n { f = 1 } END { exit f }' ||
    fail "$mode: namespace $child_ns left behind"
  local pid
  for pid in "$(<"$out/tracked.pid")" "$(<"$out/untracked.pid")"; do
    # (A moment for init to reap it: it may have been orphaned as a zombie.)
    wait_for 2 test ! -e "/proc/$pid" || fail "$mode: process $pid still running"
  done
  echo "ok: $mode: namespace and both processes gone"
  if ((keeps)); then
    [[ -d $child_work ]] || fail "$mode: work dir removed, should be kept"
    grep -q "work dir kept for inspection: $child_work" "$out/stdout" ||
      fail "$mode: does not say where the work dir is"
  else
    [[ ! -e $child_work ]] || fail "$mode: work dir $child_work left behind"
  fi
  echo "ok: $mode: work dir $( ((keeps)) && echo kept || echo removed)"
}

log "fail (with a process that ignores SIGTERM)"
run_child fail 1 1
grep -qx "FAIL: on purpose" "$WORK/fail/stdout" || fail "no FAIL line"
log "skip"
run_child skip 77 0
expect_eq "skip reason" "$(cat "$WORK/skip/stdout")" "SKIP: the reason to skip"
log "pass"
run_child pass 0 0
log "SIGTERM while waiting"
run_child signal 143 1
pass "one teardown: processes, then on_exit newest first, namespaces, work dir"
