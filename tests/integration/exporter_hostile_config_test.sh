#!/usr/bin/env bash
# A config file that crashed toml++ 3.3.0 (100 000 dotted key parts, ~200 KB,
# stack overflow) must neither kill a running exporter on SIGHUP nor make
# --check-config die by a signal; a value full of newlines must give one
# error line, not thousands (issue 10, defects 5 and 6). A FIFO as the
# config is refused at once on SIGHUP and by --check-config (it used to
# block the exporter's loop in open() until a writer came).
source "$(dirname "$0")/lib.sh"
require_root
require_cmd curl python3

ns=${P}hc
topo_lo "$ns"

cfg=$WORK/exporter.toml
printf '[exporter]\nlisten = "127.0.0.1:0"\n[defaults]\ninterface = "lo"\nrate = "100pps"\n' >"$cfg"
printf '[[sender]]\nname = "s"\ngroup = "239.13.0.1"\n[[receiver]]\nname = "r"\ngroup = "239.13.0.1"\n' >>"$cfg"

crash=$WORK/crashing.toml
python3 -c 'import sys; sys.stdout.write(".".join(["a"] * 100000) + " = 1\n")' >"$crash"
size=$(stat -c %s "$crash")
((size > 190000)) || fail "crashing file is only $size bytes"

log "--check-config on the crashing file: exit 78 and one clear line"
rc=0
"$BIN/mcast-exporter" --check-config "$crash" >"$WORK/check.out" 2>"$WORK/check.err" || rc=$?
expect_eq "--check-config exit code" "$rc" 78
expect_eq "--check-config stderr lines" "$(wc -l <"$WORK/check.err")" 1
grep -q "^mcast-exporter: $crash:1:65: nested more than 32 levels deep" "$WORK/check.err" ||
  { cat "$WORK/check.err"; fail "no clear depth error"; }
echo "ok: $(cat "$WORK/check.err")"

start_exporter "$ns" "$cfg"
wait_metric 5 mcast_rx_joined 'probe="r"' 1
wait_metric 5 mcast_exporter_config_last_reload_successful "" 1

log "SIGHUP with the crashing file: reload fails, the exporter lives on"
cp "$crash" "$cfg"
kill -HUP "$EXPORTER_PID"
wait_metric 5 mcast_exporter_config_last_reload_successful "" 0
kill -0 "$EXPORTER_PID" 2>/dev/null || fail "the exporter died on SIGHUP"
scrape after1.txt
p1=$(metric after1.txt mcast_rx_packets_total 'probe="r"')
sleep 0.5
scrape after2.txt
p2=$(metric after2.txt mcast_rx_packets_total 'probe="r"')
((p2 > p1)) || fail "receiver r stopped counting after the failed reload ($p1 -> $p2)"
echo "ok: exporter alive, old config running ($p1 -> $p2 packets)"
grep -q "reload of $cfg failed" "$WORK/exporter.log" || fail "failed reload not logged"
grep -q "$cfg:1:65: nested more than 32 levels deep" "$WORK/exporter.log" ||
  { cat "$WORK/exporter.log"; fail "reload failure does not say why"; }

log "SIGHUP with a value of 100 000 newlines: one error line"
python3 -c 'import sys; sys.stdout.write("[[sender]]\ngroup = \"239.13.0.9\"\nname = \"" + "\\n" * 100000 + "\"\n")' >"$cfg"
lines_before=$(wc -l <"$WORK/exporter.log")
kill -HUP "$EXPORTER_PID"
wait_for 5 grep -q "sender\[0\].name" "$WORK/exporter.log" || fail "no error for the bad name"
kill -0 "$EXPORTER_PID" 2>/dev/null || fail "the exporter died on SIGHUP"
lines_after=$(wc -l <"$WORK/exporter.log")
expect_eq "log lines for the failed reload" "$((lines_after - lines_before))" 2
grep -q "sender\[0\].name: '\\\\n\\\\n\\\\n.*\.\.\.' (100000 bytes) is not a valid probe name" "$WORK/exporter.log" ||
  { tail -3 "$WORK/exporter.log"; fail "bad name not quoted, escaped and cut"; }
echo "ok: $(tail -1 "$WORK/exporter.log" | cut -c1-120)..."

good_config() {
  printf '[exporter]\nlisten = "127.0.0.1:0"\n[defaults]\ninterface = "lo"\nrate = "100pps"\n' >"$cfg"
  printf '[[sender]]\nname = "s"\ngroup = "239.13.0.1"\n[[receiver]]\nname = "r"\ngroup = "239.13.0.1"\n' >>"$cfg"
}
log "a good file again: reload succeeds"
good_config
kill -HUP "$EXPORTER_PID"
wait_metric 5 mcast_exporter_config_last_reload_successful "" 1

log "SIGHUP with a FIFO (no writer) as the config: refused, the loop never blocks"
rm -f "$cfg"
mkfifo "$cfg"
kill -HUP "$EXPORTER_PID"
wait_metric 5 mcast_exporter_config_last_reload_successful "" 0
grep -q "$cfg: not a regular file (a FIFO)" "$WORK/exporter.log" ||
  { tail -3 "$WORK/exporter.log"; fail "FIFO reload does not say why"; }
rc=0
timeout 10 "$BIN/mcast-exporter" --check-config "$cfg" >/dev/null 2>&1 || rc=$?
expect_eq "--check-config of a FIFO" "$rc" 78
rm -f "$cfg"
good_config
kill -HUP "$EXPORTER_PID"
wait_metric 5 mcast_exporter_config_last_reload_successful "" 1
pass "hostile config files fail the reload or the check cleanly, never the exporter"
