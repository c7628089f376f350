#!/usr/bin/env bash
# A [[mesh]] (issue 17) of 3 members, each an mcast-exporter in its own
# namespace on one bridge (topo_bridge), all reading the same file: two find
# their member by address, the third is named with --mesh-member. Asserts on
# each member's /metrics: --check-config names the member; every peer's
# flow is there with the right sender_name/receiver_name and receiving, the
# diagonal is empty (own sender with multicast loop off), the members and
# self_info series; then one member stopped shows stalled at the two others
# (and its peers' state does not vanish).
source "$(dirname "$0")/lib.sh"
require_root
require_cmd curl

NAMES=(studio-a studio-b studio-c)
topo_bridge 3 10.77.0

cfg=$WORK/mesh.toml
cat >"$cfg" <<TOML
[defaults]
stall_timeout = "1s"
reorder_window = "300ms"

[[mesh]]
name = "studios"
group = "239.77.0.1"
port = 19780
rate = "20pps"
TOML
for k in 1 2 3; do
  printf '[[mesh.member]]\nname = "%s"\naddress = "10.77.0.%d"\ninterface = "%s"\n' \
    "${NAMES[k - 1]}" "$k" "${P}m$k" >>"$cfg"
done

# member_args K: how member K is started (the third by name).
member_args() { if (($1 == 3)); then echo "--mesh-member studio-c"; fi; }

for k in 1 2 3; do
  # shellcheck disable=SC2046
  out=$(in_ns "${P}n$k" "$BIN/mcast-exporter" --check-config "$cfg" $(member_args "$k")) ||
    fail "--check-config failed in member $k"
  by=""; ((k == 3)) && by=" by --mesh-member"
  expect_eq "--check-config of member $k" "$(head -1 <<<"$out")" \
    "mesh studios: this host is ${NAMES[k - 1]} (10.77.0.$k)$by"
done

declare -A PID PORT
start_member() {  # start_member K
  local k=$1 pf=$WORK/port$k
  rm -f "$pf"
  # shellcheck disable=SC2046
  ip netns exec "${P}n$k" "$BIN/mcast-exporter" --config "$cfg" --listen 127.0.0.1:0 \
    --listen-port-file "$pf" --state-dir "$WORK/state$k" $(member_args "$k") \
    2>"$WORK/exporter$k.log" &
  PID[$k]=$!
  track $!
  wait_for 10 test -s "$pf" || { cat "$WORK/exporter$k.log" >&2; fail "member $k did not start"; }
  PORT[$k]=$(<"$pf")
}
scrape_member() {  # scrape_member K FILE
  in_ns "${P}n$1" curl -sf --max-time 10 "http://127.0.0.1:${PORT[$1]}/metrics" >"$WORK/$2" ||
    fail "scrape of member $1 failed"
}
peer_state() {  # peer_state FILE SENDER RECEIVER STATE
  metric "$1" mcast_mesh_peer_state \
    "mesh=\"studios\",sender_name=\"$2\",receiver_name=\"$3\",state=\"$4\"}"
}
all_receiving() {  # all_receiving: every cell of the 3x3 matrix (but the diagonal)
  local r s
  for r in 1 2 3; do
    scrape_member "$r" "m$r.txt"
    for s in 1 2 3; do
      ((s == r)) && continue
      [[ $(peer_state "m$r.txt" "${NAMES[s - 1]}" "${NAMES[r - 1]}" receiving) == 1 ]] || return 1
    done
  done
}

for k in 1 2 3; do start_member "$k"; done
wait_for 15 all_receiving || fail "not every pair is receiving within 15 s"
echo "ok: all 6 pairs receiving"

for r in 1 2 3; do
  f=m$r.txt me=${NAMES[r - 1]}
  rx="probe=\"studios\",group=\"239.77.0.1\",source=\"*\",interface=\"${P}m$r\",mesh=\"studios\",receiver_name=\"$me\""
  expect_eq "member $r: members" "$(metric "$f" mcast_mesh_members 'mesh="studios"')" 3
  expect_eq "member $r: self_info" \
    "$(metric "$f" mcast_mesh_self_info "mesh=\"studios\",member=\"$me\",address=\"10.77.0.$r\"}")" 1
  expect_eq "member $r: its receiver's state" "$(metric "$f" mcast_rx_state "$rx,state=\"receiving\"}")" 1
  for s in 1 2 3; do
    ((s == r)) && continue
    other=${NAMES[s - 1]}
    got=$(metric "$f" mcast_rx_packets_total "$rx,sender=\"10.77.0.$s\",sender_name=\"$other\"}")
    [[ $got =~ ^[0-9]+$ ]] && ((got > 0)) || fail "member $r: no packets from $other ('$got')"
    for st in waiting stalled; do
      expect_eq "member $r: $other -> $me $st" "$(peer_state "$f" "$other" "$me" "$st")" 0
    done
  done
  # The diagonal is empty: its own sender (loop off) is not received.
  ! grep -q "sender=\"10.77.0.$r\"" "$WORK/$f" || fail "member $r receives its own probe"
  ! grep -q "sender_name=\"$me\",receiver_name=\"$me\"" "$WORK/$f" ||
    fail "member $r has a peer state for itself"
  expect_eq "member $r: its sender" \
    "$(metric "$f" mcast_tx_target_packets_per_second "probe=\"studios\",group=\"239.77.0.1\",interface=\"${P}m$r\",mesh=\"studios\",sender_name=\"$me\"}")" 20
  expect_eq "member $r: peer_state series" "$(grep -c '^mcast_mesh_peer_state{' "$WORK/$f")" 6
done

# studio-b stops: its row goes stalled at studio-a and studio-c.
kill -TERM "${PID[2]}"
exits_within 5 "${PID[2]}" || fail "member 2 did not stop"
b_stalled() {
  local r
  for r in 1 3; do
    scrape_member "$r" "s$r.txt"
    [[ $(peer_state "s$r.txt" studio-b "${NAMES[r - 1]}" stalled) == 1 ]] || return 1
    [[ $(peer_state "s$r.txt" studio-b "${NAMES[r - 1]}" receiving) == 0 ]] || return 1
  done
}
wait_for 10 b_stalled || fail "studio-b is not stalled at both others within 10 s"
for r in 1 3; do
  other=$((4 - r))
  expect_eq "member $r: ${NAMES[other - 1]} still receiving" \
    "$(peer_state "s$r.txt" "${NAMES[other - 1]}" "${NAMES[r - 1]}" receiving)" 1
done
echo "ok: studio-b stalled at studio-a and studio-c, the other pairs receiving"
pass "a 3-member mesh from one file: every pair named and receiving, a stopped member stalled"
