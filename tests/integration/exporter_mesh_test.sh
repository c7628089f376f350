#!/usr/bin/env bash
# A [[mesh]] (issue 17) of 3 members, each an mcast-exporter in its own
# namespace on one bridge (topo_bridge), all reading the same file: two find
# their member by address, the third is named with --mesh-member. Asserts on
# each member's /metrics: --check-config names the member; every peer's
# flow is there with the right sender_name/receiver_name and receiving, the
# diagonal is empty (own sender with multicast loop off), the members and
# self_info series. Then a fourth member is added to the file and every
# exporter gets SIGHUP (the new one starts): it appears at every member and
# they at it, the ASM receivers keep their counters (totals do not go back,
# no peer goes back to waiting), no sender restarts (sender restarts seen by
# the others unchanged, tx counters keep growing). Last, one member stopped
# shows stalled at all the others, the other pairs unchanged; removed from
# the file (SIGHUP), its row goes and nothing else restarts.
# MESH_MODE=ssm (exporter_mesh_ssm_test.sh): the same with an SSM group,
# one (S,G) receiver per peer. MCAST_FAMILY=6 (exporter_mesh_ipv6_test.sh,
# netns.exporter_mesh_ssm_test.ipv6): the same over IPv6, members at
# fd00:10:77::K, group ff15::77:1 (ASM) or ff35::77:1 (SSM), joined with
# MLD (each member's receivers seen in /proc/net/igmp6).
source "$(dirname "$0")/lib.sh"
require_root
require_cmd curl

NAMES=(studio-a studio-b studio-c studio-d)
topo_bridge 4 10.77.0

MODE=${MESH_MODE:-asm}
if [[ $MODE == ssm ]]; then GROUP=$(by_family 232.77.0.1 ff35::77:1)
else GROUP=$(by_family 239.77.0.1 ff15::77:1); fi
ADDR=()  # ADDR[K]: member K's address in the test's family
for k in 1 2 3 4; do ADDR[k]=$(fam_addr "10.77.0.$k"); done
# rx_labels R S: the labels of member R's receiver of member S's flow.
rx_labels() {
  local src='*'
  [[ $MODE == ssm ]] && src=${ADDR[$2]}
  echo "probe=\"studios\",group=\"$GROUP\",source=\"$src\",interface=\"${P}m$1\",mesh=\"studios\",receiver_name=\"${NAMES[$1 - 1]}\""
}
cfg=$WORK/mesh.toml
cat >"$cfg" <<TOML
[defaults]
stall_timeout = "1s"
reorder_window = "300ms"

[[mesh]]
name = "studios"
group = "$GROUP"
port = 19780
rate = "20pps"
TOML
add_member() {  # add_member K: member K's line(s), appended
  local k=$1
  printf '[[mesh.member]]\nname = "%s"\naddress = "%s"\ninterface = "%s"\n' \
    "${NAMES[k - 1]}" "${ADDR[k]}" "${P}m$k" >>"$cfg"
}
for k in 1 2 3; do add_member "$k"; done

# member_args K: how member K is started (the third by name).
member_args() { if (($1 == 3)); then echo "--mesh-member studio-c"; fi; }

for k in 1 2 3; do
  # shellcheck disable=SC2046
  out=$(in_ns "${P}n$k" "$BIN/mcast-exporter" --check-config "$cfg" $(member_args "$k")) ||
    fail "--check-config failed in member $k"
  by=""; ((k == 3)) && by=" by --mesh-member"
  expect_eq "--check-config of member $k" "$(head -1 <<<"$out")" \
    "mesh studios: this host is ${NAMES[k - 1]} (${ADDR[k]})$by"
done

declare -A PID PORT
start_member() {  # start_member K
  local k=$1
  local pf=$WORK/port$k
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
all_receiving() {  # all_receiving N: every cell of the NxN matrix (but the diagonal)
  local n=$1 r s
  for ((r = 1; r <= n; r++)); do
    scrape_member "$r" "m$r.txt"
    for ((s = 1; s <= n; s++)); do
      ((s == r)) && continue
      [[ $(peer_state "m$r.txt" "${NAMES[s - 1]}" "${NAMES[r - 1]}" receiving) == 1 ]] || return 1
    done
  done
}

for k in 1 2 3; do start_member "$k"; done
wait_for 15 all_receiving 3 || fail "not every pair is receiving within 15 s"
echo "ok: all 6 pairs receiving"
# The joins are on each member's interface (IGMP, or MLD under IPv6).
for k in 1 2 3; do
  if [[ $FAMILY == 6 ]]; then
    # shellcheck disable=SC2016
    users=$(in_ns "${P}n$k" awk -v g="$(group6_hex "$GROUP")" -v d="${P}m$k" \
      '$2 == d && $3 == g { n += $4 } END { print n + 0 }' /proc/net/igmp6)
  else
    users=$(group_users "${P}n$k" "$GROUP")
  fi
  ((users >= 1)) || fail "member $k: no join of $GROUP on ${P}m$k"
done

for r in 1 2 3; do
  f=m$r.txt me=${NAMES[r - 1]}
  expect_eq "member $r: members" "$(metric "$f" mcast_mesh_members 'mesh="studios"')" 3
  expect_eq "member $r: self_info" \
    "$(metric "$f" mcast_mesh_self_info "mesh=\"studios\",member=\"$me\",address=\"${ADDR[r]}\"}")" 1
  for s in 1 2 3; do
    ((s == r)) && continue
    other=${NAMES[s - 1]}
    rx=$(rx_labels "$r" "$s")
    expect_eq "member $r: the receiver of $other" "$(metric "$f" mcast_rx_state "$rx,state=\"receiving\"}")" 1
    got=$(metric "$f" mcast_rx_packets_total "$rx,sender=\"${ADDR[s]}\",sender_name=\"$other\"}")
    [[ $got =~ ^[0-9]+$ ]] && ((got > 0)) || fail "member $r: no packets from $other ('$got')"
    for st in waiting stalled; do
      expect_eq "member $r: $other -> $me $st" "$(peer_state "$f" "$other" "$me" "$st")" 0
    done
  done
  # The diagonal is empty: its own sender (loop off) is not received.
  ! grep -q "sender=\"${ADDR[r]}\"" "$WORK/$f" || fail "member $r receives its own probe"
  ! grep -q "sender_name=\"$me\",receiver_name=\"$me\"" "$WORK/$f" ||
    fail "member $r has a peer state for itself"
  expect_eq "member $r: its sender" \
    "$(metric "$f" mcast_tx_target_packets_per_second "probe=\"studios\",group=\"$GROUP\",interface=\"${P}m$r\",mesh=\"studios\",sender_name=\"$me\"}")" 20
  expect_eq "member $r: peer_state series" "$(grep -c '^mcast_mesh_peer_state{' "$WORK/$f")" 6
done

# --- SIGHUP: studio-d added to the file, the same file everywhere ----------
declare -A TOTAL TX RESTARTS RX
# Counters well above what a restarted flow could count again in the second
# the new member takes to appear (20 pps per sender).
sleep 2
for r in 1 2 3; do
  scrape_member "$r" "before$r.txt"
  # ASM: the one receiver's total over every sender.
  TOTAL[$r]=$(metric "before$r.txt" mcast_rx_receiver_packets_total "$(rx_labels "$r" 0)}")
  TX[$r]=$(metric "before$r.txt" mcast_tx_packets_total "sender_name=\"${NAMES[r - 1]}\"}")
  for s in 1 2 3; do
    ((s == r)) && continue
    RX[$r$s]=$(metric "before$r.txt" mcast_rx_packets_total "sender_name=\"${NAMES[s - 1]}\"}")
    RESTARTS[$r$s]=$(metric "before$r.txt" mcast_rx_sender_restarts_total "sender_name=\"${NAMES[s - 1]}\"}")
    expect_eq "member $r: restarts of ${NAMES[s - 1]} before" "${RESTARTS[$r$s]}" 0
  done
done
add_member 4
start_member 4
for r in 1 2 3; do kill -HUP "${PID[$r]}"; done
wait_for 15 all_receiving 4 || fail "not every pair of 4 is receiving within 15 s of the SIGHUP"
echo "ok: all 12 pairs receiving after studio-d was added"
for r in 1 2 3; do
  f=m$r.txt
  total=$(metric "$f" mcast_rx_receiver_packets_total "$(rx_labels "$r" 0)}")
  tx=$(metric "$f" mcast_tx_packets_total "sender_name=\"${NAMES[r - 1]}\"}")
  # Packets from each old peer: more than before the SIGHUP (a restarted
  # receiver would have only the ~20 per second sent since).
  for s in 1 2 3; do
    ((s == r)) && continue
    got=$(metric "$f" mcast_rx_packets_total "sender_name=\"${NAMES[s - 1]}\"}")
    ((got > RX[$r$s])) || fail "member $r: $got packets from ${NAMES[s - 1]}, ${RX[$r$s]} before the SIGHUP (counters reset?)"
  done
  [[ $MODE == ssm ]] || ((total > TOTAL[$r])) ||
    fail "member $r: receiver total went from ${TOTAL[$r]} to $total (restarted?)"
  ((tx > TX[$r])) || fail "member $r: its sender's packets went from ${TX[$r]} to $tx (restarted?)"
  echo "ok: member $r: receiver total ${TOTAL[$r]} -> $total, tx ${TX[$r]} -> $tx"
  expect_eq "member $r: members" "$(metric "$f" mcast_mesh_members 'mesh="studios"')" 4
  for s in 1 2 3; do
    ((s == r)) && continue
    expect_eq "member $r: restarts of ${NAMES[s - 1]} after the SIGHUP" \
      "$(metric "$f" mcast_rx_sender_restarts_total "sender_name=\"${NAMES[s - 1]}\"}")" 0
  done
  # ASM: the receiver's table updated in place; SSM: one receiver more.
  if [[ $MODE == asm ]]; then
    grep -q "receiver studios: 3 mesh peers" "$WORK/exporter$r.log" ||
      fail "member $r: the receiver's peers were not updated in place"
  else
    expect_eq "member $r: receivers of studio-d" \
      "$(metric "$f" mcast_rx_state "$(rx_labels "$r" 4),state=\"receiving\"}")" 1
  fi
  ! grep -qE "(sender|receiver) studios(/[a-z-]+)?: stopped" "$WORK/exporter$r.log" ||
    fail "member $r: a mesh flow was restarted by the SIGHUP"
done

# --- studio-b stops: its row goes stalled at every other member ------------
kill -TERM "${PID[2]}"
exits_within 5 "${PID[2]}" || fail "member 2 did not stop"
b_stalled() {
  local r
  for r in 1 3 4; do
    scrape_member "$r" "s$r.txt"
    [[ $(peer_state "s$r.txt" studio-b "${NAMES[r - 1]}" stalled) == 1 ]] || return 1
    [[ $(peer_state "s$r.txt" studio-b "${NAMES[r - 1]}" receiving) == 0 ]] || return 1
  done
}
wait_for 10 b_stalled || fail "studio-b is not stalled at every other member within 10 s"
for r in 1 3 4; do
  for s in 1 3 4; do
    ((s == r)) && continue
    expect_eq "member $r: ${NAMES[s - 1]} still receiving" \
      "$(peer_state "s$r.txt" "${NAMES[s - 1]}" "${NAMES[r - 1]}" receiving)" 1
  done
done
echo "ok: studio-b stalled at studio-a, studio-c and studio-d, the other pairs receiving"

# --- studio-b removed from the file, SIGHUP: its row goes, nothing else ----
for r in 1 3 4; do
  for s in 1 3 4; do
    ((s == r)) || RX[$r$s]=$(metric "s$r.txt" mcast_rx_packets_total "sender_name=\"${NAMES[s - 1]}\"}")
  done
done
python3 - "$cfg" <<'PYEOF'
import sys
path = sys.argv[1]
parts = open(path).read().split("[[mesh.member]]\n")
open(path, "w").write("[[mesh.member]]\n".join(p for p in parts if 'name = "studio-b"' not in p))
PYEOF
! grep -q studio-b "$cfg" || fail "studio-b still in the file"
for r in 1 3 4; do kill -HUP "${PID[$r]}"; done
b_gone() {
  local r
  for r in 1 3 4; do
    scrape_member "$r" "g$r.txt"
    [[ $(metric "g$r.txt" mcast_mesh_members 'mesh="studios"') == 3 ]] || return 1
    ! grep -q 'sender_name="studio-b",receiver_name' "$WORK/g$r.txt" || return 1
  done
}
wait_for 10 b_gone || fail "studio-b's peer state is not gone at every member within 10 s"
for r in 1 3 4; do
  for s in 1 3 4; do
    ((s == r)) && continue
    expect_eq "member $r: ${NAMES[s - 1]} receiving after the removal" \
      "$(peer_state "g$r.txt" "${NAMES[s - 1]}" "${NAMES[r - 1]}" receiving)" 1
    got=$(metric "g$r.txt" mcast_rx_packets_total "sender_name=\"${NAMES[s - 1]}\"}")
    ((got >= RX[$r$s])) || fail "member $r: packets from ${NAMES[s - 1]} went from ${RX[$r$s]} to $got"
  done
  # Only studio-b's own SSM receiver stops.
  ! grep -E "(sender|receiver) studios(/[a-z-]+)?: stopped" "$WORK/exporter$r.log" |
    grep -qv "receiver studios/studio-b: stopped" || fail "member $r: another flow stopped"
done
echo "ok: studio-b removed: its row gone at every member, the other pairs unchanged"
pass "a mesh from one file: every pair named and receiving, a member added and one removed by SIGHUP with nothing else restarted, a stopped member stalled"
