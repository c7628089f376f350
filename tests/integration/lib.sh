# shellcheck shell=bash
# The one helper library of the shell tests: tests/integration/, tests/lab/
# (lab.sh builds its topologies on it), tests/dashboards/ and tests/bench/.
# Source it from a script. Every namespace and veth a test makes is named
# with a per-run prefix ($P) and removed at exit, so nothing is left behind
# and nothing is sent out of the machine's real interfaces.
#
# Teardown: one EXIT trap, set here and never replaced. At exit it
#   1. stops every process started with bg (or passed to track): SIGTERM,
#      then SIGKILL for any still running after 5 s (a spinning binary
#      cannot hang the teardown);
#   2. runs the commands registered with on_exit, newest first: netns_add
#      registers the removal of its namespace, so whatever a test sets up
#      after a namespace (and registers) is undone before the namespace goes;
#   3. removes $WORK, or keeps it (and says so) when the test failed.
# A script adds its own clean-up with on_exit, never with `trap ... EXIT`.
#
# Exit codes: 0 pass, 1 fail, 77 skip (CTest SKIP_RETURN_CODE; `skip`
# prints the reason), 130/143 interrupted (SIGINT/SIGTERM, torn down too).
#
# Named topologies: topo_lo (one namespace, multicast on its loopback),
# topo_pair (two namespaces and a veth link) and topo_bridge (N member
# namespaces on one bridge, for the mesh tests):
#
#            ${P}br: bridge br0 (IGMP snooping off: every port gets every group)
#         ${P}p1    ${P}p2   ...   ${P}pN        (bridge ports)
#           |         |              |
#         ${P}m1    ${P}m2   ...   ${P}mN        (in namespaces ${P}n1..${P}nN,
#         NET.1     NET.2          NET.N          /24, 224.0.0.0/4 routed there)
#
# topo_snoop_bridge N NET: N hosts ${P}h1..${P}hN, each on eth0 NET.K, on a
# bridge in ${P}sw that snoops IGMP and is the IGMPv3 querier (NET.254);
# bridge_attach adds one more host (the mesh lab's Prometheus).
#
# tests/lab/lab.sh adds the routed multi-hop (twohop) and bridged LAN (lan) labs.
#
# With MCAST_LIB_COMMAND=1 (lab.sh run as a command, which must leave its
# lab up) only the functions are defined: no $WORK, no trap, no $BIN check.

# ---------------------------------------------------------------------------
# Reporting.

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "PASS: $*"; }
log() { echo "--- $*"; }

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
  [[ "$2" == "$3" ]] || fail "$1: got '$2', expected '$3'"
  echo "ok: $1 = $2"
}

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

# ---------------------------------------------------------------------------
# Teardown registry.

_ON_EXIT=()
_PIDS=()

# on_exit CMD [ARG...]: run CMD ARG... at exit (newest first, after the
# tracked processes are stopped). Its failure does not change the exit code.
on_exit() {
  local cmd
  printf -v cmd '%q ' "$@"
  _ON_EXIT+=("$cmd")
}

# track PID...: stop these processes at exit (bg does it for its own).
track() { _PIDS+=("$@"); }

# exits_within SECONDS PID: PID (a child of this shell) exits, with status
# 0, within SECONDS.
exits_within() {
  local end=$((SECONDS + $1)) pid=$2 rc=0
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS < end)) || return 1
    sleep 0.1
  done
  wait "$pid" || rc=$?
  return $rc
}

# _stop_pids PID...: SIGTERM, up to 5 s to exit, then SIGKILL; reaped.
_stop_pids() {
  local pid end=$((SECONDS + 5))
  for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < end)); do sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

_teardown() {
  local rc=$? i
  trap - EXIT INT TERM
  # A background child signalled between its fork and its exec still runs
  # the script's traps; it must not tear down the script's namespaces.
  [[ $BASHPID == "$_LIB_PID" ]] || exit $rc
  set +e
  ((${#_PIDS[@]})) && _stop_pids "${_PIDS[@]}"
  for ((i = ${#_ON_EXIT[@]} - 1; i >= 0; i--)); do
    eval "${_ON_EXIT[i]}" >/dev/null 2>&1
  done
  if [[ $rc -ne 0 && $rc -ne 77 && $rc -ne 130 ]]; then
    echo "--- work dir kept for inspection: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit $rc
}

# ---------------------------------------------------------------------------
# Namespaces and links.

# netns_add NS: a fresh namespace with loopback up and rp_filter off,
# removed at exit (with every process still in it).
netns_add() {
  local ns=$1
  ip netns add "$ns"
  on_exit netns_del "$ns"
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
}

# netns_del NS: stop every process in NS (SIGTERM, SIGKILL after 0.5 s),
# then delete it. Quiet and harmless when NS does not exist.
netns_del() {
  local ns=$1 pids pid
  # awk reads the whole list: grep -q could SIGPIPE ip, failing the
  # pipeline under pipefail.
  ip netns list 2>/dev/null | awk -v n="$ns" '$1 == n { f = 1 } END { exit !f }' || return 0
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  for pid in $pids; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  ip netns del "$ns"
}

# in_ns NS CMD...: run a command inside a namespace.
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# veth_link NS_A IF_A ADDR_A/LEN NS_B IF_B ADDR_B/LEN: a veth pair created
# inside NS_A (never in the host namespace), both ends up, rp_filter off;
# an empty address leaves that end without one (e.g. a bridge port).
veth_link() {
  local nsa=$1 ifa=$2 addra=$3 nsb=$4 ifb=$5 addrb=$6
  ip -n "$nsa" link add "$ifa" type veth peer name "$ifb" netns "$nsb"
  [[ -z $addra ]] || ip -n "$nsa" addr add "$addra" dev "$ifa"
  [[ -z $addrb ]] || ip -n "$nsb" addr add "$addrb" dev "$ifb"
  ip -n "$nsa" link set "$ifa" up
  ip -n "$nsb" link set "$ifb" up
  in_ns "$nsa" sysctl -qw "net.ipv4.conf.$ifa.rp_filter=0"
  in_ns "$nsb" sysctl -qw "net.ipv4.conf.$ifb.rp_filter=0"
}

# veth_pair NS_A IF_A ADDR_A NS_B IF_B ADDR_B: a veth link between two
# hosts with /24 addresses and the multicast range routed over it. Under
# FAMILY 6 each end gets the IPv6 twin of its address too (v6_of, /64,
# nodad so it is usable at once); the kernel routes ff00::/8 on every
# multicast-capable link by itself.
veth_pair() {
  local nsa=$1 ifa=$2 addra=$3 nsb=$4 ifb=$5 addrb=$6
  veth_link "$nsa" "$ifa" "$addra/24" "$nsb" "$ifb" "$addrb/24"
  ip -n "$nsa" route add 224.0.0.0/4 dev "$ifa" 2>/dev/null || true
  ip -n "$nsb" route add 224.0.0.0/4 dev "$ifb" 2>/dev/null || true
  if [[ $FAMILY == 6 ]]; then
    add_v6_twin "$nsa" "$ifa" "$addra"
    add_v6_twin "$nsb" "$ifb" "$addrb"
  fi
}

# lo_multicast NS: route multicast over loopback with a real source address
# (see linux-multicast-facts.md). Under FAMILY 6 also ff00::/8, as a
# *local* route: a plain (unicast-type) IPv6 route through lo sends but
# never delivers (the kernel turns routes via loopback into reject routes),
# a `local` one delivers to the joined sockets, source filters applied,
# from ::1, MULTICAST flag or not.
lo_multicast() {
  ip -n "$1" route add 224.0.0.0/4 dev lo src 127.0.0.1
  if [[ $FAMILY == 6 ]]; then
    ip -n "$1" -6 route add local ff00::/8 dev lo table local
  fi
}

# topo_lo NS: topology "lo": one namespace whose loopback carries
# multicast; senders and receivers use -i lo.
topo_lo() {
  netns_add "$1"
  lo_multicast "$1"
}

# topo_pair TX RX NET: topology "pair": namespaces TX and RX joined by a
# veth link, ${P}a (NET.1) in TX and ${P}b (NET.2) in RX, e.g. NET 10.95.0.
topo_pair() {
  netns_add "$1"
  netns_add "$2"
  veth_pair "$1" "${P}a" "$3.1" "$2" "${P}b" "$3.2"
}

# topo_bridge N NET: topology "bridge" (drawn above): namespace ${P}br with
# bridge br0, and N member namespaces ${P}n1..${P}nN, member K on its veth
# ${P}mK with NET.K/24 (e.g. NET 10.77.0), its peer ${P}pK a port of br0;
# under FAMILY 6 also v6_of NET.K/64 (ff00::/8 is routed on the link).
# Sets BRIDGE_NS and MEMBER_NS (an array, index K-1).
topo_bridge() {
  local n=$1 net=$2 k
  BRIDGE_NS=${P}br
  MEMBER_NS=()
  netns_add "$BRIDGE_NS"
  ip -n "$BRIDGE_NS" link add br0 type bridge mcast_snooping 0
  ip -n "$BRIDGE_NS" link set br0 up
  for ((k = 1; k <= n; k++)); do
    netns_add "${P}n$k"
    MEMBER_NS+=("${P}n$k")
    veth_link "${P}n$k" "${P}m$k" "$net.$k/24" "$BRIDGE_NS" "${P}p$k" ""
    ip -n "$BRIDGE_NS" link set "${P}p$k" master br0
    ip -n "${P}n$k" route add 224.0.0.0/4 dev "${P}m$k"
    [[ $FAMILY != 6 ]] || add_v6_twin "${P}n$k" "${P}m$k" "$net.$k"
  done
}

# topo_snoop_bridge N NET: N host namespaces ${P}h1..${P}hN,
# each with eth0 = NET.i/24 and the multicast range routed over it, on one
# Linux bridge br0 (NET.254/24) in ${P}sw that snoops IGMP and is the IGMPv3
# querier from its own address (v3 queries keep the hosts in v3 mode; 1 s
# start-up query interval). Every host's interface is named eth0, so one
# config (a mesh file) names the same interface on all. N <= 200.
topo_snoop_bridge() {
  local n=$1 net=$2 i
  ((n >= 1 && n <= 200)) || fail "topo_snoop_bridge: N must be 1..200, not $n"
  netns_add "${P}sw"
  ip -n "${P}sw" link add br0 type bridge mcast_snooping 1 \
    mcast_igmp_version 3 mcast_query_use_ifaddr 1 mcast_startup_query_interval 100 \
    mcast_query_response_interval 100
  # Its own command: see tests/lab/lab.sh (_lab_up_lan).
  ip -n "${P}sw" link set br0 type bridge mcast_querier 1
  ip -n "${P}sw" addr add "$net.254/24" dev br0
  ip -n "${P}sw" link set br0 up
  for ((i = 1; i <= n; i++)); do
    bridge_attach "${P}h$i" "$net.$i"
  done
  # The bridge waits one query response interval (1 s) for another querier
  # before it trusts its own, flooding meanwhile.
  sleep 1.2
}

# bridge_attach NS ADDR: one more host on topo_snoop_bridge's br0: a new namespace
# NS (removed at exit) with eth0 = ADDR/24 and 224.0.0.0/4 routed over it,
# bridge port ${P}p<last octet>.
bridge_attach() {
  local ns=$1 addr=$2
  netns_add "$ns"
  local port="${P}p${addr##*.}"
  veth_link "${P}sw" "$port" "" "$ns" eth0 "$addr/24"
  ip -n "${P}sw" link set "$port" master br0
  ip -n "$ns" route add 224.0.0.0/4 dev eth0
}

# ---------------------------------------------------------------------------
# Address families. A script that runs for both declares it with a line
#   # families: 4 6
# and CTest runs it once per family (netns.NAME, netns.NAME.ipv6) with
# MCAST_FAMILY set; it writes its addresses as IPv4 and lets these helpers
# give the family's form.

FAMILY=${MCAST_FAMILY:-4}
[[ $FAMILY == 4 || $FAMILY == 6 ]] || { echo "MCAST_FAMILY must be 4 or 6" >&2; exit 1; }

# v6_of A.B.C.D: the IPv6 twin of an IPv4 test address, each octet's digits
# as a group under fd00::/8 (ULA), in the canonical text form the tools
# print (RFC 5952): 10.98.0.3 -> fd00:10:98::3.
v6_of() {
  python3 -c 'import ipaddress, sys
a, b, c, d = sys.argv[1].split(".")
print(ipaddress.ip_address(f"fd00:{a}:{b}:{c}::{d}"))' "$1"
}

# fam_addr A.B.C.D: the address in the test's family.
fam_addr() { if [[ $FAMILY == 6 ]]; then v6_of "$1"; else echo "$1"; fi; }

# by_family V4 V6: the one for the test's family (groups, nft words).
by_family() { if [[ $FAMILY == 6 ]]; then echo "$2"; else echo "$1"; fi; }

# add_v6_twin NS IF A.B.C.D: IF gets v6_of A.B.C.D/64, usable at once.
add_v6_twin() {
  ip -n "$1" addr add "$(v6_of "$3")/64" dev "$2" nodad
}

# NFT_TABLE and NFT_IP: the nftables family of an impairment table and the
# header word for dscp (`ip dscp set cs1` / `ip6 dscp set cs1`).
NFT_TABLE=$(by_family inet ip6)
NFT_IP=$(by_family ip ip6)

# nft_counter NS TABLE CHAIN: the packets of the chain's first counter.
nft_counter() {
  in_ns "$1" nft -j list chain "$NFT_TABLE" "$2" "$3" |
    jq '[.nftables[].rule? // empty | .expr[] | .counter? // empty | .packets][0]'
}

# ---------------------------------------------------------------------------
# Processes.

# bg NS CMD...: start a command in a namespace in the background; its pid is
# in $! and it is stopped at teardown.
bg() {
  local ns=$1; shift
  ip netns exec "$ns" "$@" &
  track $!
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

# ---------------------------------------------------------------------------
# Group membership, receivers.

# group_hex GROUP: the group as /proc/net/igmp prints it (host byte order).
group_hex() {
  local IFS=.
  # shellcheck disable=SC2206
  local o=($1)
  printf '%02X%02X%02X%02X' "${o[3]}" "${o[2]}" "${o[1]}" "${o[0]}"
}

# group6_hex GROUP6: an IPv6 group as /proc/net/igmp6 prints it (32 hex
# digits, no colons), e.g. ff3e::8000:1 -> ff3e0000...80000001.
group6_hex() {
  local a=$1 head tail out="" x i
  if [[ $a == *::* ]]; then head=${a%%::*} tail=${a#*::}; else head=$a tail=""; fi
  local IFS=:
  # shellcheck disable=SC2206
  local hs=($head) ts=($tail)
  for x in "${hs[@]}"; do printf -v x '%04x' "0x$x"; out+=$x; done
  for ((i = ${#hs[@]} + ${#ts[@]}; i < 8; i++)); do out+=0000; done
  for x in "${ts[@]}"; do printf -v x '%04x' "0x$x"; out+=$x; done
  echo "$out"
}

# group_users NS GROUP: sockets joined to GROUP in the namespace (the
# Users column of /proc/net/igmp, or of /proc/net/igmp6 for an IPv6 group,
# summed over interfaces).
group_users() {
  local hex
  if [[ $2 == *:* ]]; then
    hex=$(group6_hex "$2")
    # shellcheck disable=SC2016
    in_ns "$1" awk -v g="$hex" '$3 == g { n += $4 } END { print n + 0 }' /proc/net/igmp6
    return
  fi
  hex=$(group_hex "$2")
  # shellcheck disable=SC2016
  in_ns "$1" awk -v g="$hex" '$1 == g { n += $2 } END { print n + 0 }' /proc/net/igmp
}

# wait_joined NS GROUP [USERS_BEFORE]: until one more socket has joined
# GROUP than before (a second receiver of a group must wait for its own
# join, not return on the first one's: the group line is already there).
_joined_more() { (($(group_users "$1" "$2") > $3)); }
wait_joined() {
  wait_for 5 _joined_more "$1" "$2" "${3:-0}" || fail "$1 never joined $2"
}

# start_receiver NAME NS GROUP ARGS...: mcast-receive --json in the
# background, returning once its own join is in place; its JSON goes to
# $WORK/NAME.json when stopped, its stderr to $WORK/NAME.err.
declare -A _RECEIVER_PIDS
start_receiver() {
  local name=$1 ns=$2 group=$3; shift 3
  local before
  before=$(group_users "$ns" "$group")
  ip netns exec "$ns" "$BIN/mcast-receive" "$group" "$@" --json \
    >"$WORK/$name.json" 2>"$WORK/$name.err" &
  _RECEIVER_PIDS[$name]=$!
  track $!
  wait_for 5 _joined_more "$ns" "$group" "$before" ||
    { cat "$WORK/$name.err" >&2; fail "receiver $name never joined $group in $ns"; }
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

# ---------------------------------------------------------------------------
# mcast-exporter.

# start_exporter NS CONFIG [ARGS...]: mcast-exporter in the background on a
# free port (--listen 127.0.0.1:0), returning once it listens: it writes the
# port it bound to $WORK/exporter.port (--listen-port-file), removed first
# so a previous run's file cannot be read. Sets EXPORTER_PID, EXPORTER_NS,
# EXPORTER_PORT and EXPORTER_URL; the log is $WORK/exporter.log. With the
# array EXPORTER_WRAP set (e.g. EXPORTER_WRAP=(setpriv ...)), the exporter
# runs under that command.
start_exporter() {
  local ns=$1 config=$2; shift 2
  local port_file=$WORK/exporter.port
  rm -f "$port_file"
  ip netns exec "$ns" ${EXPORTER_WRAP[@]+"${EXPORTER_WRAP[@]}"} "$BIN/mcast-exporter" --config "$config" \
    --listen 127.0.0.1:0 --listen-port-file "$port_file" "$@" \
    2>"$WORK/exporter.log" &
  EXPORTER_PID=$!
  track $!
  EXPORTER_NS=$ns
  local end=$((SECONDS + 10))
  until [[ -s $port_file ]]; do
    if ! kill -0 "$EXPORTER_PID" 2>/dev/null || ((SECONDS >= end)); then
      cat "$WORK/exporter.log" >&2
      fail "exporter did not start listening (no $port_file)"
    fi
    sleep 0.05
  done
  EXPORTER_PORT=$(<"$port_file")
  [[ $EXPORTER_PORT =~ ^[0-9]+$ ]] || fail "exporter port file holds '$EXPORTER_PORT'"
  EXPORTER_URL="http://127.0.0.1:$EXPORTER_PORT/metrics"
}

# stop_exporter: SIGTERM; it must exit 0 within 5 s (log shown otherwise).
stop_exporter() {
  kill -TERM "$EXPORTER_PID"
  exits_within 5 "$EXPORTER_PID" ||
    { cat "$WORK/exporter.log" >&2; fail "exporter did not exit 0 within 5 s of SIGTERM"; }
}

# scrape FILE: fetch /metrics into $WORK/FILE, within SCRAPE_MAX_TIME
# seconds (default 10).
scrape() {
  in_ns "$EXPORTER_NS" curl -sf --max-time "${SCRAPE_MAX_TIME:-10}" "$EXPORTER_URL" >"$WORK/$1" ||
    fail "scrape of $EXPORTER_URL failed or took more than ${SCRAPE_MAX_TIME:-10} s"
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

# start_prometheus NS LISTEN TARGET...: a real Prometheus in namespace NS on
# LISTEN (HOST:PORT) scraping job "mcast" at each TARGET every second, with
# the shipped recording and alert rules, the alerts' "for:" made 0s (the
# tests check which alerts the expressions select; promtool test rules checks
# the durations). Files in $WORK/prom, TSDB in $WORK/tsdb, log in
# $WORK/prometheus.log; returns once /-/ready answers.
start_prometheus() {
  local ns=$1 listen=$2 t
  shift 2
  mkdir -p "$WORK/prom/rules" "$WORK/tsdb"
  cp "$SRC/dashboards/prometheus/mcast-recording.yml" "$WORK/prom/rules/"
  sed -E 's/^(\s*)for: .*/\1for: 0s/' "$SRC/dashboards/prometheus/mcast-alerts.yml" \
    >"$WORK/prom/rules/mcast-alerts.yml"
  expect_eq "alerts with for: 0s in the test copy" \
    "$(grep -c 'for: 0s' "$WORK/prom/rules/mcast-alerts.yml")" \
    "$(grep -c '^\s*- alert:' "$SRC/dashboards/prometheus/mcast-alerts.yml")"
  {
    cat <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - rules/mcast-recording.yml
  - rules/mcast-alerts.yml
scrape_configs:
  - job_name: mcast
    static_configs:
      - targets:
EOF
    for t in "$@"; do echo "          - \"$t\""; done
  } >"$WORK/prom/prometheus.yml"
  bg "$ns" prometheus --config.file="$WORK/prom/prometheus.yml" \
    --storage.tsdb.path="$WORK/tsdb" --web.listen-address="$listen" \
    --log.level=warn >"$WORK/prometheus.log" 2>&1
  _prom_ns=$ns _prom_listen=$listen
  wait_for 30 _prometheus_ready || { cat "$WORK/prometheus.log" >&2; fail "prometheus did not become ready"; }
}
_prometheus_ready() { in_ns "$_prom_ns" curl -sf "http://$_prom_listen/-/ready" >/dev/null; }

# ---------------------------------------------------------------------------
# The harness: strict mode, the binaries, the per-run prefix and work dir,
# and the one trap.

# Short unique prefix: interface names are limited to 15 characters.
P="m$$"
P=${P:0:7}
if [[ -z ${MCAST_LIB_COMMAND:-} ]]; then
  set -euo pipefail
  BIN=${MCAST_BIN_DIR:?MCAST_BIN_DIR must point at the src/ folder of the build}
  SRC=${MCAST_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
  WORK=$(mktemp -d "/tmp/mcast-test.XXXXXX")
  # IGMP state records (net::IgmpVersionGuard) of the tools a test runs stay
  # in its work dir, never in the machine's /run/mcast-tools.
  export MCAST_STATE_DIR=${MCAST_STATE_DIR:-$WORK/state}
  _LIB_PID=$BASHPID
  trap _teardown EXIT
  # A signal ends the script through the EXIT trap, so it is torn down too.
  trap 'exit 130' INT
  trap 'exit 143' TERM
fi
