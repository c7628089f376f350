#!/usr/bin/env bash
# --listen-port-file: with --listen 127.0.0.1:0 the exporter writes the port
# it bound, and only that: the file holds one decimal port, the exporter
# answers /metrics there (its build_info proves it is this exporter), the
# kernel shows it listening on exactly that port, and a clean stop removes
# the file. A restart on port 0 writes the new port over a stale file.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd curl ss

ns=${P}pf
topo_lo "$ns"
cat >"$WORK/exporter.toml" <<TOML
[exporter]
listen = "127.0.0.1:9"
[defaults]
interface = "lo"
[[receiver]]
name = "r"
group = "239.14.0.1"
TOML

# listening_ports: the TCP ports the exporter's process listens on.
listening_ports() {
  in_ns "$ns" ss -Htlnp | awk -v p="pid=$EXPORTER_PID," 'index($0, p) {
    n = split($4, a, ":"); print a[n] }' | sort -u
}

log "--listen 127.0.0.1:0 overrides the config's port 9; the file names the port"
start_exporter "$ns" "$WORK/exporter.toml"  # --listen 127.0.0.1:0 --listen-port-file
port_file=$WORK/exporter.port
expect_eq "port file contents (cat -A)" "$(cat -A "$port_file")" "$EXPORTER_PORT\$"
((EXPORTER_PORT > 0 && EXPORTER_PORT != 9)) || fail "port $EXPORTER_PORT is not a port 0 choice"
expect_eq "ports the process listens on" "$(listening_ports)" "$EXPORTER_PORT"
scrape first.txt
grep -q '^mcast_exporter_build_info{' "$WORK/first.txt" || fail "no mcast-exporter on port $EXPORTER_PORT"
echo "ok: /metrics answers on 127.0.0.1:$EXPORTER_PORT"
grep -q "(port $EXPORTER_PORT)" "$WORK/exporter.log" || fail "the log names another port"
first=$EXPORTER_PORT

log "a clean stop removes the file; no temporary file is left"
stop_exporter
[[ ! -e $port_file ]] || fail "port file left after SIGTERM"
[[ ! -e $port_file.tmp ]] || fail "temporary port file left"
echo "ok: removed on stop"

log "after a SIGKILL the stale file is replaced by the next run's port"
# Hold the first port, so the next run must get another one.
in_ns "$ns" python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(60)' "$first" &
track $!
wait_for 5 bash -c "ip netns exec $ns ss -Htln | grep -q ':$first '" || fail "cannot hold port $first"
echo 1 >"$port_file"  # stale content from "an earlier run"
ip netns exec "$ns" "$BIN/mcast-exporter" --config "$WORK/exporter.toml" --listen 127.0.0.1:0 \
  --listen-port-file "$port_file" 2>"$WORK/exporter.log" &
EXPORTER_PID=$!
track $!
fresh() { [[ $(cat "$port_file" 2>/dev/null) =~ ^[0-9]+$ && $(cat "$port_file") != 1 ]]; }
wait_for 10 fresh || { cat "$WORK/exporter.log"; fail "stale port file not replaced"; }
second=$(<"$port_file")
[[ $second != "$first" ]] || fail "the second run reports the held port $first"
expect_eq "ports the second process listens on" "$(listening_ports)" "$second"
EXPORTER_URL=http://127.0.0.1:$second/metrics
scrape second.txt
grep -q '^mcast_exporter_build_info{' "$WORK/second.txt" || fail "no mcast-exporter on port $second"
echo "ok: second run on $second (first $first)"
kill -KILL "$EXPORTER_PID"
wait "$EXPORTER_PID" 2>/dev/null || true
expect_eq "left by SIGKILL (nothing to remove it)" "$(cat "$port_file")" "$second"

log "an unwritable port file: exit 69 (not listening for anyone to find)"
rc=0
ip netns exec "$ns" "$BIN/mcast-exporter" --config "$WORK/exporter.toml" --listen 127.0.0.1:0 \
  --listen-port-file "$WORK/no/such/dir/port" --state-dir '' 2>"$WORK/bad.log" || rc=$?
expect_eq "exit code with an unwritable port file" "$rc" 69
grep -q "open $WORK/no/such/dir/port.tmp" "$WORK/bad.log" || { cat "$WORK/bad.log"; fail "no clear error"; }
echo "ok: exit $rc: $(tail -1 "$WORK/bad.log")"
pass "--listen-port-file holds the port the exporter answers on"
