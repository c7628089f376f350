#!/usr/bin/env bash
# mcast-tools multicast lab: named topologies in network namespaces, static
# (S,G) multicast routing with smcroute, and nftables impairments on the
# routers. See tests/lab/README.md for the drawings and addresses.
#
# Built on tests/integration/lib.sh, the one helper library of the shell
# tests (namespaces, links, receivers, the exporter, the teardown), which it
# sources; this file holds only what is the lab's own: the two topologies,
# the routing, the impairments.
#
# As a command:
#   tests/lab/lab.sh up|down|status twohop|lan [PREFIX]      (as root)
# As a library (the tests/lab/*_test.sh scenarios and demo.sh):
#   source tests/lab/lab.sh; lab_test_up twohop; ...   (torn down at exit)
#
# Every namespace is named PREFIX-ROLE (default PREFIX "mlab"), every
# interface lives only inside those namespaces, and nothing is ever sent out
# of the machine's real interfaces. `up` starts from a clean slate (it runs
# `down` first), `down` is safe to run any number of times.

# Fixed addresses (see README.md). The exporter example config uses them.
LAB_GROUP_SSM=232.1.1.1
LAB_GROUP_ASM=239.1.1.1
LAB_SRC1=10.0.1.1   # the sender's main address
LAB_SRC2=10.0.1.3   # a second source on the same sender (SSM vs ASM)
LAB_RCV_ADDR=10.0.3.2
LAB_GROUP_TEMPLATE=239.1.1.2   # no static route: for lab_template's (*,G)
LAB_PORT=19779
# The same lab in IPv6 (dual-stack: every link has both): 10.0.X.Y is
# fd00:0:X::Y. ff3e::/32 is SSM with global scope; ff15:: is site-local,
# so both are routed (the kernel never forwards link-local scope).
LAB6_GROUP_SSM=ff3e::8000:1
LAB6_GROUP_ASM=ff15::1:1
LAB6_SRC1=fd00:0:1::1
LAB6_SRC2=fd00:0:1::3
LAB6_RCV_ADDR=fd00:0:3::2
LAB6_GROUP_TEMPLATE=ff15::1:2
LAB_FAMILY=4   # the family impairments act on; lab_family sets it
LAB_ROLES=(snd r1 r2 r3 rcv sw snd1 snd2 rcv1 rcv2)
LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if ! declare -F on_exit >/dev/null; then
  # Run as a command, the lab must outlive this process: functions only.
  [[ ${BASH_SOURCE[0]} != "$0" ]] || MCAST_LIB_COMMAND=1
  # shellcheck source=tests/integration/lib.sh
  source "$LAB_HOME/../integration/lib.sh"
fi

_lab_log() { echo "lab: $*" >&2; }
_lab_die() { echo "lab: error: $*" >&2; return 1; }

# _lab_set_names PREFIX: the namespace names as variables.
_lab_set_names() {
  LAB_PREFIX=$1
  LAB_DIR=${LAB_DIR:-/tmp/mcast-lab-$LAB_PREFIX}
  LAB_SND=$LAB_PREFIX-snd LAB_R1=$LAB_PREFIX-r1 LAB_R2=$LAB_PREFIX-r2
  LAB_R3=$LAB_PREFIX-r3 LAB_RCV=$LAB_PREFIX-rcv
  LAB_SW=$LAB_PREFIX-sw LAB_SND1=$LAB_PREFIX-snd1 LAB_SND2=$LAB_PREFIX-snd2
  LAB_RCV1=$LAB_PREFIX-rcv1 LAB_RCV2=$LAB_PREFIX-rcv2
}

# _lab_ns NAME: lib.sh's namespace (lo up, rp_filter off: routed multicast
# from a source with no route back is dropped otherwise; removed at a
# script's exit) with forwarding on for both families. No duplicate address
# detection: interfaces made later inherit "default", so their link-local
# addresses are usable at once instead of tentative for a second or two
# (MLD reports and neighbour discovery would wait on them).
_lab_ns() {
  netns_add "$1"
  ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=1 \
    net.ipv6.conf.all.forwarding=1 net.ipv6.conf.default.forwarding=1 \
    net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
}

# _lab_ip6 NS: one `ip -6 -batch` in NS for the lines on stdin (one
# process per namespace instead of one per address or route: the lab is
# built for every scenario). Addresses are added with nodad.
_lab_ip6() { ip -n "$1" -6 -batch -; }

# lab_family [4|6]: the family a scenario runs in (default: lib.sh's
# $FAMILY, i.e. MCAST_FAMILY, which CTest sets for lab.NAME.ipv6). Sets LAB_F_GROUP_SSM,
# LAB_F_GROUP_ASM, LAB_F_SRC1, LAB_F_SRC2 and LAB_F_RCV_ADDR to that
# family's addresses (and LAB_F_GROUP_TEMPLATE, a group with no static
# route), and LAB_FAMILY, which the impairments follow.
# shellcheck disable=SC2034 # the scenarios read them
lab_family() {
  case ${1:-${FAMILY:-4}} in
    4)
      LAB_FAMILY=4 LAB_F_GROUP_SSM=$LAB_GROUP_SSM LAB_F_GROUP_ASM=$LAB_GROUP_ASM
      LAB_F_SRC1=$LAB_SRC1 LAB_F_SRC2=$LAB_SRC2 LAB_F_RCV_ADDR=$LAB_RCV_ADDR
      LAB_F_GROUP_TEMPLATE=$LAB_GROUP_TEMPLATE
      ;;
    6)
      LAB_FAMILY=6 LAB_F_GROUP_SSM=$LAB6_GROUP_SSM LAB_F_GROUP_ASM=$LAB6_GROUP_ASM
      LAB_F_SRC1=$LAB6_SRC1 LAB_F_SRC2=$LAB6_SRC2 LAB_F_RCV_ADDR=$LAB6_RCV_ADDR
      LAB_F_GROUP_TEMPLATE=$LAB6_GROUP_TEMPLATE
      ;;
    *) _lab_die "lab_family 4|6 (got '$1')"; return ;;
  esac
}

# _lab_smcroute NS NAME: start smcrouted in NS with its own identity,
# control socket, pid file and config ($LAB_DIR/NAME.conf), and wait until
# the kernel holds every (S,G) route of the config.
_lab_smcroute() {
  local ns=$1 name=$2
  local conf=$LAB_DIR/$name.conf
  ip netns exec "$ns" smcrouted -n -N -i "$LAB_PREFIX-$name" -f "$conf" \
    -u "$LAB_DIR/$name.sock" -P "$LAB_DIR/$name.pid" -l info \
    >"$LAB_DIR/$name.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$LAB_DIR/$name.bgpid"
  track "$pid"
  local want got i
  want=$(grep -c '^mroute' "$conf")
  for ((i = 0; i < 100; i++)); do
    got=$({ ip -n "$ns" mroute show; ip -n "$ns" -6 mroute show; } 2>/dev/null |
      grep -c Iif || true)
    [[ $got -ge $want ]] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  cat "$LAB_DIR/$name.log" >&2
  _lab_die "smcrouted in $ns installed $got of $want routes"
}

# _lab_sg_pairs: the (S,G) pairs every router forwards: both sources to
# both lab groups, in both families.
_lab_sg_pairs() {
  local s g
  for s in "$LAB_SRC1" "$LAB_SRC2"; do
    for g in "$LAB_GROUP_SSM" "$LAB_GROUP_ASM"; do echo "$s $g"; done
  done
  for s in "$LAB6_SRC1" "$LAB6_SRC2"; do
    for g in "$LAB6_GROUP_SSM" "$LAB6_GROUP_ASM"; do echo "$s $g"; done
  done
}

_lab_up_twohop() {
  local ns
  for ns in "$LAB_SND" "$LAB_R1" "$LAB_R2" "$LAB_R3" "$LAB_RCV"; do _lab_ns "$ns"; done
  veth_link "$LAB_SND" snd-eth0 10.0.1.1/24 "$LAB_R1" r1-eth0 10.0.1.254/24
  ip -n "$LAB_SND" addr add "$LAB_SRC2/24" dev snd-eth0
  veth_link "$LAB_R1" r1-eth1 10.0.12.1/24 "$LAB_R2" r2-eth0 10.0.12.2/24
  veth_link "$LAB_R1" r1-eth2 10.0.13.1/24 "$LAB_R3" r3-eth0 10.0.13.3/24
  veth_link "$LAB_R3" r3-eth1 10.0.23.3/24 "$LAB_R2" r2-eth2 10.0.23.2/24
  veth_link "$LAB_R2" r2-eth1 10.0.3.254/24 "$LAB_RCV" rcv-eth0 "$LAB_RCV_ADDR/24"
  # Hosts: multicast out of their one link, unicast via their router.
  ip -n "$LAB_SND" route add 224.0.0.0/4 dev snd-eth0
  ip -n "$LAB_SND" route add default via 10.0.1.254
  ip -n "$LAB_RCV" route add 224.0.0.0/4 dev rcv-eth0
  ip -n "$LAB_RCV" route add default via 10.0.3.254
  # Unicast between the routers (for ping and curl; multicast uses smcroute).
  ip -n "$LAB_R1" route add 10.0.3.0/24 via 10.0.12.2
  ip -n "$LAB_R1" route add 10.0.23.0/24 via 10.0.13.3
  ip -n "$LAB_R2" route add 10.0.1.0/24 via 10.0.12.1
  ip -n "$LAB_R2" route add 10.0.13.0/24 via 10.0.23.3
  ip -n "$LAB_R3" route add 10.0.1.0/24 via 10.0.13.1
  ip -n "$LAB_R3" route add 10.0.3.0/24 via 10.0.23.2
  ip -n "$LAB_R3" route add 10.0.12.0/24 via 10.0.13.1
  # IPv6 on every link, the same plan (fd00:0:X::Y for 10.0.X.Y), and the
  # same unicast routes. Hosts need no IPv6 multicast route: the kernel
  # puts ff00::/8 of each multicast-capable link in the local table, and a
  # host's one link is its only one (lo has no MULTICAST flag).
  _lab_ip6 "$LAB_SND" <<EOF
addr add $LAB6_SRC1/64 dev snd-eth0 nodad
addr add $LAB6_SRC2/64 dev snd-eth0 nodad
route add default via fd00:0:1::254
EOF
  _lab_ip6 "$LAB_R1" <<EOF
addr add fd00:0:1::254/64 dev r1-eth0 nodad
addr add fd00:0:12::1/64 dev r1-eth1 nodad
addr add fd00:0:13::1/64 dev r1-eth2 nodad
route add fd00:0:3::/64 via fd00:0:12::2
route add fd00:0:23::/64 via fd00:0:13::3
EOF
  _lab_ip6 "$LAB_R2" <<EOF
addr add fd00:0:12::2/64 dev r2-eth0 nodad
addr add fd00:0:23::2/64 dev r2-eth2 nodad
addr add fd00:0:3::254/64 dev r2-eth1 nodad
route add fd00:0:1::/64 via fd00:0:12::1
route add fd00:0:13::/64 via fd00:0:23::3
EOF
  _lab_ip6 "$LAB_R3" <<EOF
addr add fd00:0:13::3/64 dev r3-eth0 nodad
addr add fd00:0:23::3/64 dev r3-eth1 nodad
route add fd00:0:1::/64 via fd00:0:13::1
route add fd00:0:3::/64 via fd00:0:23::2
route add fd00:0:12::/64 via fd00:0:13::1
EOF
  _lab_ip6 "$LAB_RCV" <<EOF
addr add $LAB6_RCV_ADDR/64 dev rcv-eth0 nodad
route add default via fd00:0:3::254
EOF

  # Static (S,G) routes: they forward from the first packet (a (*,G)
  # template would lose the first packets of each new source). One
  # smcrouted per router routes both families (MRT and MRT6).
  local s g
  {
    printf 'phyint %s enable\n' r1-eth0 r1-eth1 r1-eth2
    while read -r s g; do
      echo "mroute from r1-eth0 source $s group $g to r1-eth1"
    done < <(_lab_sg_pairs)
  } >"$LAB_DIR/r1.conf"
  {
    printf 'phyint %s enable\n' r2-eth0 r2-eth1 r2-eth2
    while read -r s g; do
      echo "mroute from r2-eth0 source $s group $g to r2-eth1"
    done < <(_lab_sg_pairs)
  } >"$LAB_DIR/r2.conf"
  {
    printf 'phyint %s enable\n' r3-eth0 r3-eth1
    while read -r s g; do
      echo "mroute from r3-eth0 source $s group $g to r3-eth1"
    done < <(_lab_sg_pairs)
  } >"$LAB_DIR/r3.conf"
  _lab_smcroute "$LAB_R1" r1
  _lab_smcroute "$LAB_R2" r2
  _lab_smcroute "$LAB_R3" r3
  echo short >"$LAB_DIR/path"
}

_lab_up_lan() {
  local ns
  for ns in "$LAB_SW" "$LAB_SND1" "$LAB_SND2" "$LAB_RCV1" "$LAB_RCV2"; do _lab_ns "$ns"; done
  # IGMPv3 snooping with the bridge as querier (v3 queries, so hosts stay in
  # v3 mode; a v2 query would put them in v2 compatibility for minutes).
  ip -n "$LAB_SW" link add br0 type bridge mcast_snooping 1 \
    mcast_igmp_version 3 mcast_query_use_ifaddr 1 mcast_startup_query_interval 100 \
    mcast_query_response_interval 100
  # Own command: the kernel applies mcast_querier before the intervals of
  # the same request, so with one command its start-up delay (below) would
  # use the default 10 s response interval.
  ip -n "$LAB_SW" link set br0 type bridge mcast_querier 1
  ip -n "$LAB_SW" addr add 10.0.5.254/24 dev br0
  local host addr
  for host in snd1:10.0.5.1 snd2:10.0.5.2 rcv1:10.0.5.11 rcv2:10.0.5.12; do
    addr=${host#*:} host=${host%%:*}
    ns=$LAB_PREFIX-$host
    veth_link "$LAB_SW" "sw-$host" "" "$ns" "$host-eth0" "$addr/24"
    ip -n "$LAB_SW" link set "sw-$host" master br0
    ip -n "$ns" route add 224.0.0.0/4 dev "$host-eth0"
  done
  ip -n "$LAB_SW" link set br0 up
  # After mcast_querier is set, the bridge waits one query response interval
  # (1 s here, 10 s by default) for another querier before it trusts its own,
  # and floods all multicast meanwhile. iproute2 6.1 does not show that
  # state, so wait it out.
  sleep 1.2
}

# lab_up TOPOLOGY [PREFIX]: build a topology (after removing any previous
# lab with the same prefix).
lab_up() {
  local topo=$1
  _lab_set_names "${2:-mlab}"
  [[ $(id -u) -eq 0 ]] || _lab_die "needs root" || return
  lab_down "$LAB_PREFIX" 2>/dev/null
  mkdir -p "$LAB_DIR"
  case $topo in
    twohop) _lab_up_twohop ;;
    lan) _lab_up_lan ;;
    *) _lab_die "unknown topology '$topo' (twohop, lan)"; return ;;
  esac
  echo "$topo" >"$LAB_DIR/topology"
}

# lab_down [PREFIX]: stop every process in the lab's namespaces, delete
# them and the state directory. Touches nothing else.
lab_down() {
  _lab_set_names "${1:-${LAB_PREFIX:-mlab}}"
  local role
  for role in "${LAB_ROLES[@]}"; do netns_del "$LAB_PREFIX-$role"; done
  [[ -d $LAB_DIR && $LAB_DIR == /tmp/mcast-lab-* ]] && rm -rf "$LAB_DIR"
  return 0
}

lab_status() {
  _lab_set_names "${1:-${LAB_PREFIX:-mlab}}"
  local role ns any=0
  for role in "${LAB_ROLES[@]}"; do
    ns=$LAB_PREFIX-$role
    ip netns list | grep -qE "^$ns( |$)" || continue
    any=1
    echo "== $ns"
    ip -n "$ns" -br addr show | grep -v '^lo'
    if [[ $role == r? ]]; then
      { ip -n "$ns" mroute show; ip -n "$ns" -6 mroute show; } | sed 's/^/   mroute /'
      { ip netns exec "$ns" nft list table ip lab 2>/dev/null || true; } | sed "s/^/   /"
      { ip netns exec "$ns" nft list table ip6 lab 2>/dev/null || true; } | sed "s/^/   /"
    fi
    if [[ $role == sw ]]; then bridge -n "$ns" mdb show | sed 's/^/   mdb /'; fi
  done
  [[ -f $LAB_DIR/path ]] && echo "path: $(cat "$LAB_DIR/path")"
  ((any)) || echo "no lab with prefix $LAB_PREFIX"
}

# lab_path short|long: switch the multicast path of the twohop lab between
# r1 -> r2 (2 routed hops) and r1 -> r3 -> r2 (3 routed hops), for every
# (S,G). r1 first forwards on both paths, then r2 changes its incoming
# interface, then r1 stops the old path: r2 accepts each packet on exactly
# one interface, so the switch loses nothing.
# _lab_switch R1_NEW_OIF R2_NEW_IIF R1_OLD_OIF (smcroutectl add merges
# outgoing interfaces and replaces the incoming one; remove with OIFs drops
# just those).
_lab_switch() {
  local new_oif=$1 new_iif=$2 old_oif=$3 s g
  local r1="ip netns exec $LAB_R1 smcroutectl -u $LAB_DIR/r1.sock"
  local r2="ip netns exec $LAB_R2 smcroutectl -u $LAB_DIR/r2.sock"
  while read -r s g; do $r1 add r1-eth0 "$s" "$g" "$new_oif"; done < <(_lab_sg_pairs)
  while read -r s g; do $r2 add "$new_iif" "$s" "$g" r2-eth1; done < <(_lab_sg_pairs)
  while read -r s g; do $r1 remove r1-eth0 "$s" "$g" "$old_oif"; done < <(_lab_sg_pairs)
}

lab_path() {
  local want=$1
  case $want in
    long)
      _lab_switch r1-eth2 r2-eth2 r1-eth1
      ;;
    short)
      _lab_switch r1-eth1 r2-eth0 r1-eth2
      ;;
    *) _lab_die "lab_path short|long"; return ;;
  esac
  echo "$want" >"$LAB_DIR/path"
}

# lab_template GROUP: a (*,G) template route for GROUP (either family) on
# the short path, r1-eth0 -> r1-eth1 and r2-eth0 -> r2-eth1, instead of
# static (S,G) routes: the kernel has no entry for a new (S,G) until its
# first packet, which it queues (at most 4 packets) while it asks smcrouted,
# which installs the (S,G) from the template. Until `smcroutectl flush` (or
# smcrouted's 60 s cache timeout), later packets forward as on a static
# route. For join-time tests.
lab_template() {
  local g=$1
  ip netns exec "$LAB_R1" smcroutectl -u "$LAB_DIR/r1.sock" add r1-eth0 "$g" r1-eth1
  ip netns exec "$LAB_R2" smcroutectl -u "$LAB_DIR/r2.sock" add r2-eth0 "$g" r2-eth1
}

# lab_mfc NS SOURCE GROUP: the state of the kernel's (S,G) entry in router
# NS (`resolved`, `unresolved`), empty when it has none.
lab_mfc() {
  local family=()
  [[ $3 != *:* ]] || family=(-6)
  ip -n "$1" "${family[@]}" mroute show 2>/dev/null |
    awk -v sg="($2,$3)" '$1 == sg { for (i = 2; i < NF; i++) if ($i == "State:") print $(i + 1) }'
}

# ---------------------------------------------------------------------------
# Impairments: nftables rules in a router's forward hook (routed multicast
# passes it after the TTL or hop limit decrement). Each impairment has a
# named counter of the packets it acted on: impair_count NS NAME.
# Only probe packets (UDP port $LAB_PORT to a multicast group) of the family
# in $LAB_FAMILY (lab_family; default 4) are touched: table `ip lab` for
# IPv4, `ip6 lab` for IPv6.

# _impair_nft: the nft family of $LAB_FAMILY (ip or ip6).
_impair_nft() { if [[ $LAB_FAMILY == 6 ]]; then echo ip6; else echo ip; fi; }

_impair_init() {
  local t
  t=$(_impair_nft)
  ip netns exec "$1" nft -f - <<EOF
add table $t lab
add chain $t lab forward { type filter hook forward priority 0; policy accept; }
EOF
}

# _impair_rule NS NAME MATCH... -- STATEMENT...: one rule with a named counter.
_impair_rule() {
  local ns=$1 name=$2 t dst; shift 2
  t=$(_impair_nft)
  if [[ $t == ip6 ]]; then dst="ip6 daddr ff00::/8"; else dst="ip daddr 224.0.0.0/4"; fi
  _impair_init "$ns"
  ip netns exec "$ns" nft add counter "$t" lab "$name" 2>/dev/null || true
  # shellcheck disable=SC2086 # $dst is three words
  ip netns exec "$ns" nft add rule "$t" lab forward \
    $dst udp dport "$LAB_PORT" "$@" comment "\"$name\""
}

# impair_loss_every NS N [K]: drop the packets whose running count mod N is
# K (default N-1: the Nth, 2Nth, ...). Exactly 1/N of the packets.
impair_loss_every() {
  local ns=$1 n=$2 k=${3:-$(($2 - 1))}
  _impair_rule "$ns" loss numgen inc mod "$n" == "$k" counter name loss drop
}

# impair_loss_random NS PERCENT: drop each packet with probability PERCENT %.
impair_loss_random() {
  _impair_rule "$1" loss numgen random mod 100 '<' "$2" counter name loss drop
}

# impair_remark NS DSCP [EVERY]: rewrite the DSCP (cs1, af11, 10, ...) of
# every packet, or of every EVERY-th one (the 1st, EVERY+1th, ...). For
# IPv6 the DSCP bits of the traffic class (`ip6 dscp set`).
impair_remark() {
  local ns=$1 dscp=$2 every=${3:-1} t
  t=$(_impair_nft)
  if ((every == 1)); then
    _impair_rule "$ns" remark counter name remark "$t" dscp set "$dscp"
  else
    _impair_rule "$ns" remark numgen inc mod "$every" == 0 counter name remark "$t" dscp set "$dscp"
  fi
}

# impair_dup NS DEVICE: send one extra copy of every packet out of DEVICE
# (counter "duplicate"; the copy leaves before the original; both have the same TTL and DSCP).
impair_dup() {
  local ns=$1 dev=$2
  _impair_rule "$ns" duplicate counter name duplicate dup to "$(_impair_nft)" daddr device "$dev"
}

# impair_blackout_start NS / impair_blackout_stop NS: drop everything in
# between. _stop removes the rule first and then prints how many packets it
# dropped (read from the named counter, so none is missed).
impair_blackout_start() {
  _impair_rule "$1" blackout counter name blackout drop
}
impair_blackout_stop() {
  local ns=$1 handle
  handle=$(ip netns exec "$ns" nft -a list chain "$(_impair_nft)" lab forward |
    awk '/comment "blackout"/ { print $NF }')
  [[ -n $handle ]] || { _lab_die "no blackout rule in $ns"; return; }
  ip netns exec "$ns" nft delete rule "$(_impair_nft)" lab forward handle "$handle"
  impair_count "$ns" blackout
}
# impair_blackout NS SECONDS: a blackout of SECONDS; prints the drop count.
impair_blackout() {
  impair_blackout_start "$1"
  sleep "$2"
  impair_blackout_stop "$1"
}

# impair_count NS NAME: packets counted by impairment NAME (0 if none).
impair_count() {
  local out
  out=$(ip netns exec "$1" nft -j list counter "$(_impair_nft)" lab "$2" 2>/dev/null) ||
    { echo 0; return; }
  jq -r '[.nftables[] | .counter? | select(.) | .packets] | first // 0' <<<"$out"
}

# impair_clear NS: remove every impairment (and its counters) of both
# families from NS.
impair_clear() {
  ip netns exec "$1" nft delete table ip lab 2>/dev/null || true
  ip netns exec "$1" nft delete table ip6 lab 2>/dev/null || true
}

# ---------------------------------------------------------------------------
# Small helpers for scenarios.

# lab_test_up TOPOLOGY [PREFIX]: for the scenarios and demo.sh: the lab
# with the script's unique prefix (default $P), its state under $WORK. Its
# namespaces are registered with lib.sh's teardown (netns_add), which stops
# every process left in them at exit.
lab_test_up() {
  LAB_DIR=$WORK/lab
  lab_up "$1" "${2:-$P}" || fail "lab_up $1"
}

# lab_send ARGS...: mcast-send in the sender namespace of twohop.
lab_send() { ip netns exec "$LAB_SND" "$BIN/mcast-send" "$@"; }

# lab_inject ARGS...: the crafted-packet injector in the sender namespace.
lab_inject() {
  ip netns exec "$LAB_SND" python3 "$LAB_HOME/mcast_inject.py" "$@"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  cmd=${1:-} topo=${2:-} prefix=${3:-mlab}
  case $cmd in
    up)
      [[ -n $topo ]] || { echo "usage: $0 up twohop|lan [PREFIX]" >&2; exit 64; }
      lab_up "$topo" "$prefix"
      lab_status "$prefix"
      echo "lab '$topo' is up; tear down with: $0 down $topo $prefix"
      ;;
    down) lab_down "$prefix" ;;
    status) lab_status "$prefix" ;;
    *)
      echo "usage: $0 up|down|status twohop|lan [PREFIX]   (as root)" >&2
      exit 64
      ;;
  esac
fi
