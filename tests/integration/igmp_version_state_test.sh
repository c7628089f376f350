#!/usr/bin/env bash
# force_igmp_version survives what an in-memory guard cannot: the admin's
# value is recorded in a state file (MCAST_STATE_DIR, here a temporary
# directory), so
#   - a SIGKILLed exporter or mcast-receive is repaired by the next start
#     and its stop restores the admin's value, not the forced one;
#   - an exporter and an mcast-receive on one interface, stopped in either
#     order, leave the admin's value (the one still running keeps its own
#     value in force meanwhile);
#   - an interface deleted and re-created under a running exporter gets the
#     configured version again, and on stop its own original value back,
#     not the deleted device's; an interface made after the start is forced
#     when it appears.
source "$(dirname "$0")/lib.sh"
require_root

export MCAST_STATE_DIR=$WORK/state

# The shipped unit gives the exporter its state directory.
unit=$(dirname "$BIN")/systemd/mcast-exporter.service
for line in RuntimeDirectory=mcast-tools RuntimeDirectoryPreserve=yes \
            Environment=MCAST_STATE_DIR=/run/mcast-tools; do
  grep -qx "$line" "$unit" || fail "$unit lacks $line"
done
echo "ok: the unit makes /run/mcast-tools and passes it on"
tx=${P}tx
rx=${P}rx
topo_pair "$tx" "$rx" 10.98.0
IF=${P}b
sysctl_path=/proc/sys/net/ipv4/conf/$IF/force_igmp_version
forced() { in_ns "$rx" cat "$sysctl_path"; }
set_forced() { in_ns "$rx" sh -c "echo $1 > $sysctl_path"; }
forced_is() { [[ $(forced) == "$1" ]]; }

cat >"$WORK/v2.toml" <<TOML
[exporter]
listen = "127.0.0.1:0"
[[receiver]]
name = "rx"
group = "239.12.0.1"
interface = "$IF"
igmp_version = 2
TOML

kill9() { kill -KILL "$1"; wait "$1" 2>/dev/null || true; }

log "exporter: 0 -> 2, SIGKILL, restart, stop"
expect_eq "admin's value" "$(forced)" 0
start_exporter "$rx" "$WORK/v2.toml"
expect_eq "forced by the exporter" "$(forced)" 2
kill9 "$EXPORTER_PID"
expect_eq "left forced by the SIGKILL" "$(forced)" 2
start_exporter "$rx" "$WORK/v2.toml"
expect_eq "forced by the restarted exporter" "$(forced)" 2
stop_exporter
expect_eq "exporter: admin's value after kill + restart + stop" "$(forced)" 0

log "mcast-receive: 0 -> 2, SIGKILL, restart, stop"
start_receiver k1 "$rx" 239.12.0.2 -i "$IF" --igmp-version 2
expect_eq "forced by mcast-receive" "$(forced)" 2
kill9 "${_RECEIVER_PIDS[k1]}"
expect_eq "left forced by the SIGKILL" "$(forced)" 2
start_receiver k2 "$rx" 239.12.0.2 -i "$IF" --igmp-version 2
stop_receiver k2
expect_eq "mcast-receive: admin's value after kill + restart + stop" "$(forced)" 0

log "exporter (v2) + mcast-receive (v3) on $IF, admin's value 1"
set_forced 1
start_exporter "$rx" "$WORK/v2.toml"
start_receiver both1 "$rx" 239.12.0.3 -i "$IF" --igmp-version 3
expect_eq "the last tool to force wins" "$(forced)" 3
stop_receiver both1
expect_eq "mcast-receive left first: the exporter's value again" "$(forced)" 2
stop_exporter
expect_eq "both gone (receive first): admin's value" "$(forced)" 1

start_exporter "$rx" "$WORK/v2.toml"
start_receiver both2 "$rx" 239.12.0.3 -i "$IF" --igmp-version 3
stop_exporter
expect_eq "exporter left first: mcast-receive's value stays" "$(forced)" 3
stop_receiver both2
expect_eq "both gone (exporter first): admin's value" "$(forced)" 1

log "exporter + mcast-receive, both v2, exporter stops first"
start_exporter "$rx" "$WORK/v2.toml"
start_receiver both3 "$rx" 239.12.0.3 -i "$IF" --igmp-version 2
stop_exporter
expect_eq "mcast-receive still holds v2" "$(forced)" 2
stop_receiver both3
expect_eq "both gone: admin's value" "$(forced)" 1

log "delete and re-create $IF under a running exporter"
# The old device's admin value is 1; the new device starts with the kernel
# default 0 (copied from conf/default), which is what it must get back.
start_exporter "$rx" "$WORK/v2.toml"
expect_eq "forced on the old device" "$(forced)" 2
old_index=$(ip -n "$rx" -o link show "$IF" | cut -d: -f1)
ip -n "$rx" link del "$IF"
veth_pair "$tx" "${P}a" 10.98.0.1 "$rx" "$IF" 10.98.0.2
new_index=$(ip -n "$rx" -o link show "$IF" | cut -d: -f1)
[[ "$old_index" != "$new_index" ]] || fail "the interface kept its index $old_index"
wait_for 5 forced_is 2 ||
  { cat "$WORK/exporter.log"; fail "IGMPv2 not re-applied on the re-created $IF (got $(forced))"; }
echo "ok: re-applied on the new device (index $old_index -> $new_index)"
stop_exporter
expect_eq "new device gets its own original back" "$(forced)" 0

log "an interface that appears after the exporter started"
LATE=${P}c
sed "s/interface = \"$IF\"/interface = \"$LATE\"/" "$WORK/v2.toml" >"$WORK/late.toml"
start_exporter "$rx" "$WORK/late.toml"
ip link add "${P}d" netns "$tx" type veth peer name "$LATE" netns "$rx"
ip -n "$rx" link set "$LATE" up
late_forced_is() { [[ $(in_ns "$rx" cat "/proc/sys/net/ipv4/conf/$LATE/force_igmp_version") == "$1" ]]; }
wait_for 5 late_forced_is 2 ||
  { cat "$WORK/exporter.log"; fail "IGMPv2 not forced on $LATE when it appeared"; }
echo "ok: forced on $LATE once it appeared"
stop_exporter
late_forced_is 0 || fail "$LATE not restored"
echo "ok: $LATE restored"

leftover=$(find "$MCAST_STATE_DIR" -type f 2>/dev/null | wc -l)
expect_eq "no state files left" "$leftover" 0
pass "IGMP version restored after SIGKILL, with two tools, and across re-creation"
