# Shared helpers for the network-namespace integration tests.
# Source it from a *_test.sh script. Every namespace and veth a test makes is
# named with a per-run prefix and removed by the EXIT trap, so nothing is left
# behind and nothing is sent out of the machine's real interfaces.
#
# Exit codes: 0 pass, 1 fail, 77 skip (CTest SKIP_RETURN_CODE).

set -euo pipefail

BIN=${MCAST_BIN_DIR:?MCAST_BIN_DIR must point at the src/ folder of the build}
SRC=${MCAST_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# Short unique prefix: interface names are limited to 15 characters.
P="m$$"
P=${P:0:7}
_NETNS=()
_PIDS=()
WORK=$(mktemp -d "/tmp/mcast-test.XXXXXX")
# IGMP state records (net::IgmpVersionGuard) of the tools a test runs stay
# in its work dir, never in the machine's /run/mcast-tools.
export MCAST_STATE_DIR=${MCAST_STATE_DIR:-$WORK/state}

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "PASS: $*"; }
log() { echo "--- $*"; }

require_root() {
  [[ $(id -u) -eq 0 ]] || skip "needs root to create network namespaces"
  ip netns add "${P}probe" 2>/dev/null || skip "cannot create network namespaces here"
  ip netns del "${P}probe"
}

require_cmd() {
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || skip "needs '$c' (run .ci/install-deps)"
  done
}

_teardown() {
  local rc=$?
  for pid in "${_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ns in "${_NETNS[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  if [[ $rc -ne 0 && $rc -ne 77 ]]; then
    echo "--- work dir kept for inspection: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit $rc
}
trap _teardown EXIT

# netns_add NAME: a fresh namespace with loopback up and a multicast route on
# lo (with src, see linux-multicast-facts.md), so loopback tests work.
netns_add() {
  local ns=$1
  ip netns add "$ns"
  _NETNS+=("$ns")
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
}

# in_ns NS CMD...: run a command inside a namespace.
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# veth_pair NS_A IF_A ADDR_A NS_B IF_B ADDR_B: a veth link between two
# namespaces with /24 addresses and the multicast range routed over it.
veth_pair() {
  local nsa=$1 ifa=$2 addra=$3 nsb=$4 ifb=$5 addrb=$6
  ip link add "$ifa" netns "$nsa" type veth peer name "$ifb" netns "$nsb"
  ip -n "$nsa" addr add "$addra/24" dev "$ifa"
  ip -n "$nsb" addr add "$addrb/24" dev "$ifb"
  ip -n "$nsa" link set "$ifa" up
  ip -n "$nsb" link set "$ifb" up
  ip -n "$nsa" route add 224.0.0.0/4 dev "$ifa" 2>/dev/null || true
  ip -n "$nsb" route add 224.0.0.0/4 dev "$ifb" 2>/dev/null || true
  in_ns "$nsa" sysctl -qw "net.ipv4.conf.$ifa.rp_filter=0"
  in_ns "$nsb" sysctl -qw "net.ipv4.conf.$ifb.rp_filter=0"
}

# lo_multicast NS: route multicast over loopback with a real source address.
lo_multicast() {
  ip -n "$1" route add 224.0.0.0/4 dev lo src 127.0.0.1
}

# bg NS CMD...: start a command in a namespace in the background; its pid is
# in $! and it is killed at teardown.
bg() {
  local ns=$1; shift
  ip netns exec "$ns" "$@" &
  _PIDS+=($!)
}

# wait_for SECONDS CMD...: poll until CMD succeeds.
wait_for() {
  local t=$1; shift
  local end=$((SECONDS + t))
  until "$@"; do
    ((SECONDS < end)) || return 1
    sleep 0.1
  done
}

# json_get FILE JQ_EXPR: one value from a JSON file.
json_get() { jq -r "$2" "$1"; }

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
  [[ "$2" == "$3" ]] || fail "$1: got '$2', expected '$3'"
  echo "ok: $1 = $2"
}

# group_hex GROUP: the group as /proc/net/igmp prints it (host byte order).
group_hex() {
  local IFS=.
  # shellcheck disable=SC2206
  local o=($1)
  printf '%02X%02X%02X%02X' "${o[3]}" "${o[2]}" "${o[1]}" "${o[0]}"
}

# group_users NS GROUP: sockets joined to GROUP in the namespace (the
# Users column of /proc/net/igmp, summed over interfaces).
group_users() {
  local hex
  hex=$(group_hex "$2")
  in_ns "$1" awk -v g="$hex" '$1 == g { n += $2 } END { print n + 0 }' /proc/net/igmp
}

# wait_joined NS GROUP [USERS_BEFORE]: until one more socket has joined
# GROUP than before (a second receiver of a group must wait for its own
# join, not return on the first one's).
_joined_more() { (($(group_users "$1" "$2") > $3)); }
wait_joined() {
  wait_for 5 _joined_more "$1" "$2" "${3:-0}" || fail "$1 never joined $2"
}

# start_receiver NAME NS GROUP ARGS...: mcast-receive --json in the
# background; its JSON goes to $WORK/NAME.json when stopped.
declare -A _RECEIVER_PIDS
start_receiver() {
  local name=$1 ns=$2 group=$3; shift 3
  local before
  before=$(group_users "$ns" "$group")
  ip netns exec "$ns" "$BIN/mcast-receive" "$group" "$@" --json \
    >"$WORK/$name.json" 2>"$WORK/$name.err" &
  _RECEIVER_PIDS[$name]=$!
  _PIDS+=($!)
  wait_joined "$ns" "$group" "$before"
}

# stop_receiver NAME: SIGINT (as Ctrl-C would) and wait for the JSON.
stop_receiver() {
  local pid=${_RECEIVER_PIDS[$1]}
  kill -INT "$pid"
  local rc=0
  wait "$pid" || rc=$?
  [[ $rc -eq 0 ]] || { cat "$WORK/$1.err" >&2; fail "receiver $1 exited $rc"; }
  jq -e . "$WORK/$1.json" >/dev/null || fail "receiver $1 printed no JSON"
}

# rx NAME JQ_EXPR: one value from a stopped receiver's JSON.
rx() { jq -r "$2" "$WORK/$1.json"; }

# start_exporter NS CONFIG [ARGS...]: mcast-exporter in the background on a
# free port (port 0); sets EXPORTER_PID and EXPORTER_URL.
start_exporter() {
  local ns=$1 config=$2; shift 2
  ip netns exec "$ns" "$BIN/mcast-exporter" --config "$config" \
    --listen 127.0.0.1:0 "$@" 2>"$WORK/exporter.log" &
  EXPORTER_PID=$!
  _PIDS+=($!)
  EXPORTER_NS=$ns
  wait_for 5 grep -q "(port [0-9]*)" "$WORK/exporter.log" ||
    { cat "$WORK/exporter.log" >&2; fail "exporter did not start"; }
  local port
  port=$(grep -o "(port [0-9]*)" "$WORK/exporter.log" | grep -o "[0-9]*")
  EXPORTER_URL="http://127.0.0.1:$port/metrics"
}

# scrape FILE: fetch /metrics into $WORK/FILE.
scrape() {
  in_ns "$EXPORTER_NS" curl -sf "$EXPORTER_URL" >"$WORK/$1" ||
    fail "scrape of $EXPORTER_URL failed"
}

# metric FILE NAME LABEL_SUBSTRING: the value of the one series of NAME whose
# labels contain LABEL_SUBSTRING (empty if none).
metric() {
  awk -v n="$2" -v l="$3" '
    index($0, n "{") == 1 && index($0, l) { print $NF; found = 1; exit }
    $1 == n && l == "" { print $NF; exit }' "$WORK/$1"
}

# wait_metric SECONDS NAME LABELS EXPECTED: scrape until the value matches.
wait_metric() {
  local t=$1 n=$2 l=$3 want=$4 got=""
  local end=$((SECONDS + t))
  while :; do
    scrape poll.txt
    got=$(metric poll.txt "$n" "$l")
    [[ "$got" == "$want" ]] && { echo "ok: $n{$l} = $got"; return 0; }
    ((SECONDS < end)) || fail "$n{$l}: got '$got', expected '$want' within ${t}s"
    sleep 0.2
  done
}
