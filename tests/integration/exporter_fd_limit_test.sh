#!/usr/bin/env bash
# The open-file limit (README, "File descriptors"): the exporter raises its
# soft RLIMIT_NOFILE to the hard limit and runs a config that needs more
# than the soft limit it was started with; a config that cannot fit even
# the hard limit is refused by --check-config, at start and on SIGHUP with
# one line, before anything of it starts (no join, no packet).
# Budget: 0 per sender (they share the send scheduler's timer and
# sockets), 1 per receiver, 342 fixed (src/exporter/fd_budget.h).
source "$(dirname "$0")/lib.sh"
require_root
require_cmd curl

ns=${P}lo
topo_lo "$ns"

write_config() {  # write_config FILE SENDERS RECEIVERS
  local f=$1 i
  printf '[exporter]\nlisten = "127.0.0.1:0"\n[defaults]\ninterface = "lo"\nrate = "10pps"\n' >"$f"
  for ((i = 1; i <= $2; i++)); do
    printf '[[sender]]\nname = "s%d"\ngroup = "239.14.0.%d"\n' "$i" "$i"
  done >>"$f"
  for ((i = 1; i <= $3; i++)); do
    printf '[[receiver]]\nname = "r%d"\ngroup = "239.14.0.%d"\n' "$i" "$i"
  done >>"$f"
}

log "soft 64, hard 4096: the exporter raises its soft limit and runs 392 fds' worth"
big=$WORK/big.toml
write_config "$big" 50 50
ulimit -Sn 64  # Soft first: the hard limit cannot go below it.
ulimit -Hn 4096
start_exporter "$ns" "$big"
ulimit -Sn 4096
limits=$(awk '/^Max open files/ { print $4, $5 }' "/proc/$EXPORTER_PID/limits")
expect_eq "exporter's open-file limit (soft hard)" "$limits" "4096 4096"
grep -qx "<6>open-file limit soft 64 raised to the hard limit 4096; config needs 392 file descriptors (50 senders x 0 + 50 receivers x 1 + 342 fixed)" \
  "$WORK/exporter.log" || { cat "$WORK/exporter.log"; fail "the raise and the budget were not logged"; }
for i in 1 25 50; do
  wait_metric 10 mcast_rx_joined "probe=\"r$i\"" 1
done
# Every probe is in /metrics: 50 senders sending, 50 receivers joined.
end=$((SECONDS + 10))
while :; do
  scrape all.txt
  joined=$(grep -c '^mcast_rx_joined{.*} 1$' "$WORK/all.txt" || true)
  sending=$(awk '/^mcast_tx_packets_total\{/ && $NF > 0' "$WORK/all.txt" | wc -l)
  ((joined == 50 && sending == 50)) && break
  ((SECONDS < end)) || fail "after 10 s: $joined of 50 receivers joined, $sending of 50 senders sending"
  sleep 0.2
done
echo "ok: 50 receivers joined and 50 senders sending"
fds=$(find "/proc/$EXPORTER_PID/fd" -mindepth 1 | wc -l)
# 50 receiver sockets and at least one shared send socket.
((fds >= 50 + 1 && fds <= 392)) || fail "$fds descriptors open, outside [51, 392]"
echo "ok: $fds descriptors open, within the budget of 392"
stop_exporter

log "soft = hard = 400: 404 needed is refused by --check-config and at start"
too_big=$WORK/too_big.toml
write_config "$too_big" 30 62
small=$WORK/small.toml
write_config "$small" 1 1
want="mcast-exporter: config needs 404 file descriptors (30 senders x 0 + 62 receivers x 1 + 342 fixed), the open-file limit is 400 (raise LimitNOFILE or ulimit -n)"
rc=0
(ulimit -n 400 && exec "$BIN/mcast-exporter" --check-config "$too_big") \
  >"$WORK/check.out" 2>"$WORK/check.err" || rc=$?
expect_eq "--check-config exit code" "$rc" 78
expect_eq "--check-config says why" "$(<"$WORK/check.err")" "$want"
[[ -s $WORK/check.out ]] && fail "--check-config printed OK: $(<"$WORK/check.out")"
out=$(ulimit -n 400 && "$BIN/mcast-exporter" --check-config "$small") ||
  fail "--check-config refused 343 descriptors under a limit of 400"
expect_eq "--check-config of a config that fits" "$out" \
  "$small: OK (1 senders, 1 receivers, listen 127.0.0.1:0)"
# Each further --web.listen-address is one more listening socket: 343 + 2.
three=(--web.listen-address 127.0.0.1:0 --web.listen-address 127.0.0.2:0
  --web.listen-address 127.0.0.3:0)
(ulimit -n 345 && exec "$BIN/mcast-exporter" --check-config "$small" "${three[@]}") >/dev/null ||
  fail "--check-config refused 345 descriptors (3 listen addresses) under a limit of 345"
rc=0
(ulimit -n 344 && exec "$BIN/mcast-exporter" --check-config "$small" "${three[@]}") \
  >/dev/null 2>"$WORK/check3.err" || rc=$?
expect_eq "--check-config exit code, 3 listen addresses under 344" "$rc" 78
expect_eq "--check-config counts the listen addresses" "$(<"$WORK/check3.err")" \
  "mcast-exporter: config needs 345 file descriptors (1 senders x 0 + 1 receivers x 1 + 2 more listen addresses x 1 + 342 fixed), the open-file limit is 344 (raise LimitNOFILE or ulimit -n)"

# A receiver of s1's group watches for any packet of the refused config.
start_receiver watch "$ns" 239.14.0.1 -i lo
rc=0
(ulimit -n 400 && exec ip netns exec "$ns" "$BIN/mcast-exporter" --config "$too_big" \
  --listen 127.0.0.1:0) 2>"$WORK/start.err" || rc=$?
expect_eq "exit code at start" "$rc" 78
expect_eq "start says why, in one line" "$(<"$WORK/start.err")" "$want"
grep -E "sender s|receiver r|serving" "$WORK/start.err" &&
  fail "the refused config was started in part"
for i in 2 5 10; do
  expect_eq "sockets joined to r$i's group" "$(group_users "$ns" "239.14.0.$i")" 0
done
sleep 0.3
stop_receiver watch
expect_eq "packets of the refused config" "$(rx watch .totals.packets)" 0

log "SIGHUP to a config that does not fit: refused, the old one keeps running"
ulimit -n 400
cfg=$WORK/reload.toml
cp "$small" "$cfg"
start_exporter "$ns" "$cfg"
wait_metric 10 mcast_rx_joined 'probe="r1"' 1
cp "$too_big" "$cfg"
kill -HUP "$EXPORTER_PID"
wait_metric 5 mcast_exporter_config_last_reload_successful "" 0
grep -qF "${want#mcast-exporter: }" "$WORK/exporter.log" ||
  { cat "$WORK/exporter.log"; fail "the refused reload does not say why"; }
scrape reloaded.txt
grep -q 'probe="s70"' "$WORK/reloaded.txt" && fail "part of the refused config runs"
p1=$(metric reloaded.txt mcast_rx_packets_total 'probe="r1"')
sleep 0.5
scrape reloaded2.txt
p2=$(metric reloaded2.txt mcast_rx_packets_total 'probe="r1"')
((p2 > p1)) || fail "r1 stopped counting after the refused reload ($p1 -> $p2)"
echo "ok: refused reload kept the old config running ($p1 -> $p2 packets)"
stop_exporter
pass "the exporter raises its open-file limit and refuses configs that cannot fit it"
