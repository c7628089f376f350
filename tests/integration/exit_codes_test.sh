#!/usr/bin/env bash
# The exit codes of all four tools for the same kinds of failure, as the
# README's table promises: 64 bad usage, 69 resource unavailable (missing,
# unreachable, not permitted), 71 OS error, 78 bad config. Each failure is
# provoked for real inside a namespace of its own; the permission cases run
# the tools as nobody.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd setpriv unshare python3

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# expect_exit WHAT CODE CMD...: CMD exits with CODE and says why on stderr.
expect_exit() {
  local what=$1 want=$2; shift 2
  local rc=0
  "$@" >"$WORK/out" 2>"$WORK/err" </dev/null || rc=$?
  [[ $rc -eq $want ]] || fail "$what: exit $rc, expected $want (stderr: $(cat "$WORK/err"))"
  [[ -s "$WORK/err" ]] || fail "$what: exit $rc without a word on stderr"
  echo "ok: $what exits $rc: $(head -n1 "$WORK/err")"
}

netns_add "${P}x"
NS="${P}x"

log "64: bad usage, the same for every tool"
for tool in mcast-send mcast-receive mcast-status mcast-exporter; do
  expect_exit "$tool --no-such-flag" 64 "$BIN/$tool" --no-such-flag
done
expect_exit "mcast-status -i nosuch0" 64 in_ns "$NS" "$BIN/mcast-status" -i nosuch0

log "69: the resource is missing or unreachable"
# No multicast route in this namespace: nothing to pick an interface from.
expect_exit "mcast-receive without a route" 69 \
  in_ns "$NS" "$BIN/mcast-receive" 239.1.1.1 --duration 1 --state-dir ''
expect_exit "mcast-send --source not on this host" 69 \
  in_ns "$NS" "$BIN/mcast-send" 239.1.1.1 -i lo --source 10.99.0.1 -q 1
cat >"$WORK/listen.py" <<'EOF'
import os, socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(60)
EOF
bg "$NS" python3 "$WORK/listen.py" "$WORK/port"
wait_for 10 test -s "$WORK/port" || fail "no listener for the port-in-use case"
printf '[exporter]\nlisten = "127.0.0.1:%s"\n' "$(cat "$WORK/port")" >"$WORK/busy.toml"
expect_exit "mcast-exporter on a port in use" 69 \
  in_ns "$NS" "$BIN/mcast-exporter" --config "$WORK/busy.toml" --state-dir ''

log "69: not permitted (run as nobody)"
expect_exit "mcast-receive --port 80 as nobody" 69 \
  in_ns "$NS" "${NOBODY[@]}" "$BIN/mcast-receive" 239.1.1.1 --port 80 -i lo --state-dir '' --duration 1
# The multicast state mcast-status reads, made unreadable: a file with no
# permissions bound over lo's force_igmp_version in a mount namespace of
# this test's own (the real sysctl is not touched).
: >"$WORK/unreadable"
chmod 000 "$WORK/unreadable"
chmod 755 "$WORK"
expect_exit "mcast-status with unreadable multicast state" 69 \
  in_ns "$NS" unshare -m --propagation private bash -c \
  'mount --bind "$1" /proc/sys/net/ipv4/conf/lo/force_igmp_version && exec "${@:2}"' \
  _ "$WORK/unreadable" "${NOBODY[@]}" "$BIN/mcast-status"

log "78: bad config (also when it is missing, unreadable or does not fit the open-file limit)"
expect_exit "mcast-exporter --config missing" 78 "$BIN/mcast-exporter" --config "$WORK/none.toml"
expect_exit "mcast-exporter --check-config missing" 78 "$BIN/mcast-exporter" --check-config "$WORK/none.toml"
printf '[exporter]\nlisten = "127.0.0.1:0"\n' >"$WORK/secret.toml"
chmod 600 "$WORK/secret.toml"
expect_exit "mcast-exporter --check-config unreadable (nobody)" 78 \
  "${NOBODY[@]}" "$BIN/mcast-exporter" --check-config "$WORK/secret.toml"
printf '[exporter]\nlisten = "127.0.0.1:0"\nbogus = 1\n' >"$WORK/bad.toml"
expect_exit "mcast-exporter --config with an unknown key" 78 "$BIN/mcast-exporter" --config "$WORK/bad.toml"
# 342 descriptors even without probes (README, "File descriptors").
expect_exit "mcast-exporter --check-config under a 100-file limit" 78 \
  bash -c 'ulimit -n 100 && exec "$@"' _ "$BIN/mcast-exporter" --check-config "$WORK/secret.toml"

pass "every tool exits with the documented code for the same kind of failure"
