#!/usr/bin/env bash
# SIGHUP reload: unchanged probes keep their counters, removed ones vanish
# from /metrics, added ones start; a broken file is rejected, the old config
# keeps running and the reload metric goes to 0. Also --check-config.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd curl

ns=${P}lo
topo_lo "$ns"

write_config() {  # write_config FILE PROBES...
  local f=$1; shift
  printf '[exporter]\nlisten = "127.0.0.1:0"\n[defaults]\ninterface = "lo"\nrate = "100pps"\n' >"$f"
  for p in "$@"; do
    case $p in
      s-keep) printf '[[sender]]\nname = "s-keep"\ngroup = "239.12.0.1"\n' ;;
      r-keep) printf '[[receiver]]\nname = "r-keep"\ngroup = "239.12.0.1"\n' ;;
      r-gone) printf '[[receiver]]\nname = "r-gone"\ngroup = "239.12.0.2"\n' ;;
      s-new) printf '[[sender]]\nname = "s-new"\ngroup = "239.12.0.3"\n' ;;
      r-new) printf '[[receiver]]\nname = "r-new"\ngroup = "239.12.0.3"\n' ;;
    esac >>"$f"
  done
}

cfg=$WORK/exporter.toml
write_config "$cfg" s-keep r-keep r-gone
out=$("$BIN/mcast-exporter" --check-config "$cfg") || fail "--check-config rejected a good file"
expect_eq "--check-config output" "$out" "$cfg: OK (1 senders, 2 receivers, listen 127.0.0.1:0)"

start_exporter "$ns" "$cfg"
keep='probe="r-keep"'
wait_metric 5 mcast_rx_joined "$keep" 1
sleep 1.5
scrape before.txt
before=$(metric before.txt mcast_rx_packets_total "$keep")
((before >= 100)) || fail "r-keep received only $before packets"
metric before.txt mcast_rx_state 'probe="r-gone"' | grep -q . || fail "r-gone missing before reload"

log "reload: keep s-keep and r-keep, drop r-gone, add s-new and r-new"
write_config "$cfg" s-keep r-keep s-new r-new
kill -HUP "$EXPORTER_PID"
wait_metric 5 mcast_rx_joined 'probe="r-new"' 1
wait_metric 1 mcast_exporter_config_last_reload_successful "" 1
scrape after.txt
after=$(metric after.txt mcast_rx_packets_total "$keep")
((after >= before)) || fail "r-keep's counter went back from $before to $after"
echo "ok: r-keep kept counting ($before -> $after)"
grep -q 'probe="r-gone"' "$WORK/after.txt" && fail "removed probe r-gone still exported"
echo "ok: r-gone is gone"
wait_metric 5 mcast_rx_state 'probe="r-new",group="239.12.0.3",source="*",interface="lo",state="receiving"' 1

log "reloads racing scrapes: no series twice, kept probes in every scrape, never going back"
# A scrape's view is copied by the loop a few probes per batch (exporter.h),
# so reloads land between the pieces of one scrape. Two configs with 30
# senders and 30 receivers each under different names (keys before and
# after r-keep's), switched 20 times while two clients scrape back to back.
write_race_config() {  # write_race_config FILE PREFIX
  write_config "$1" s-keep r-keep
  for ((i = 0; i < 30; i++)); do
    printf '[[sender]]\nname = "%s-s%02d"\ngroup = "239.12.1.%d"\n' "$2" "$i" $((i + 1))
    printf '[[receiver]]\nname = "%s-r%02d"\ngroup = "239.12.1.%d"\n' "$2" "$i" $((i + 1))
  done >>"$1"
}
write_race_config "$WORK/race-a.toml" a
write_race_config "$WORK/race-z.toml" z
race_scraper() {  # race_scraper ID: scrapes until $WORK/race.stop exists
  local n=0
  while [[ ! -e $WORK/race.stop ]]; do
    in_ns "$ns" curl -sf --max-time 10 "$EXPORTER_URL" >"$WORK/race-$1-$n.txt" ||
      { echo "scrape $1-$n failed" >"$WORK/race-$1.failed"; return; }
    n=$((n + 1))
  done
}
race_scraper 1 &
track $!
scraper1=$!
race_scraper 2 &
track $!
scraper2=$!
for ((k = 0; k < 20; k++)); do
  if ((k % 2 == 0)); then cp "$WORK/race-a.toml" "$cfg"; else cp "$WORK/race-z.toml" "$cfg"; fi
  kill -HUP "$EXPORTER_PID"
  sleep 0.15
done
touch "$WORK/race.stop"
wait "$scraper1" "$scraper2"
for id in 1 2; do
  [[ -e $WORK/race-$id.failed ]] && fail "$(<"$WORK/race-$id.failed") during the reloads"
done
kill -0 "$EXPORTER_PID" || fail "the exporter died while reloads raced scrapes"
scrapes=0
for id in 1 2; do
  last=0 last_tx=0
  for ((n = 0; ; n++)); do
    f=race-$id-$n.txt
    [[ -e $WORK/$f ]] || break
    scrapes=$((scrapes + 1))
    # Both kept probes, receiver and sender, in every scrape.
    tx=$(metric "$f" mcast_tx_packets_total 'probe="s-keep"')
    [[ -n $tx ]] || fail "$f lacks s-keep"
    ((tx >= last_tx)) || fail "s-keep went back from $last_tx to $tx in $f"
    last_tx=$tx
    dup=$(grep -v '^#' "$WORK/$f" | sed 's/ [^ ]*$//' | sort | uniq -d | head -3)
    [[ -z $dup ]] || fail "$f has series twice: $dup"
    p=$(metric "$f" mcast_rx_packets_total "$keep")
    [[ -n $p ]] || fail "$f lacks r-keep"
    ((p >= last)) || fail "r-keep went back from $last to $p in $f"
    last=$p
  done
done
((scrapes >= 10)) || fail "only $scrapes scrapes during the reloads"
echo "ok: $scrapes scrapes during 20 reloads, no series twice, r-keep and s-keep never went back"
# The last config (z) is what is exported, all of it and nothing of a.
wait_metric 5 mcast_exporter_config_last_reload_successful "" 1
sleep 0.5
scrape race-final.txt
expect_eq "receivers after the race" \
  "$(grep -c '^mcast_rx_joined{' "$WORK/race-final.txt")" 31
grep -q 'probe="a-' "$WORK/race-final.txt" && fail "a probe of the replaced config is still exported"
write_config "$cfg" s-keep r-keep s-new r-new
kill -HUP "$EXPORTER_PID"
wait_metric 5 mcast_rx_joined 'probe="r-new"' 1

log "reload with a broken file: rejected, old config keeps running"
printf '[[receiver]]\nname = "bad"\ngroup = "10.1.1.1"\nbogus = 1\n' >>"$cfg"
expect_eq "--check-config exit code" "$("$BIN/mcast-exporter" --check-config "$cfg" >/dev/null 2>&1; echo $?)" 78
"$BIN/mcast-exporter" --check-config "$cfg" 2>"$WORK/check.err" || true
grep -q "exporter.toml:[0-9]*:[0-9]*: receiver\[2\].group: " "$WORK/check.err" ||
  { cat "$WORK/check.err"; fail "no file:line:col error for the bad group"; }
grep -q "exporter.toml:[0-9]*:[0-9]*: receiver\[2\].bogus" "$WORK/check.err" ||
  { cat "$WORK/check.err"; fail "no error for the unknown key"; }
kill -HUP "$EXPORTER_PID"
wait_metric 5 mcast_exporter_config_last_reload_successful "" 0
scrape broken.txt
grep -q 'probe="bad"' "$WORK/broken.txt" && fail "the broken config was applied"
p1=$(metric broken.txt mcast_rx_packets_total "$keep")
sleep 0.5
scrape broken2.txt
p2=$(metric broken2.txt mcast_rx_packets_total "$keep")
((p2 > p1)) || fail "r-keep stopped counting after a failed reload"
grep -q "reload of .* failed" "$WORK/exporter.log" || fail "failed reload not logged"
grep -q "^<3>" "$WORK/exporter.log" || fail "errors are not logged with priority <3>"
echo "ok: broken reload rejected, old config running"

log "a bad config at start: exit 78"
rc=0
"$BIN/mcast-exporter" --config "$cfg" 2>/dev/null || rc=$?
expect_eq "exit code with a bad config" "$rc" 78
pass "SIGHUP reload keeps, removes, adds and rejects as documented"
