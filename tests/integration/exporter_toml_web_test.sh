#!/usr/bin/env bash
# The [exporter] table's second spelling of the web flags (issue 15):
# listen_addresses, telemetry_path and web_config_file, over loopback in a
# namespace this test makes (fixed ports are free there).
# - Without flags they apply: both addresses answer (":PORT" = every IPv4
#   address), at telemetry_path (the old /metrics is 404), behind the
#   basic auth of the web config named relative to the TOML file's folder.
# - --check-config checks that web config too.
# - Flags win: --web.config.file (another password), --web.listen-address,
#   --web.telemetry-path replace all three.
# - A SIGHUP that changes them keeps the running values and says so.
# - --log.level warn drops the notice and info lines.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd curl htpasswd

ns=${P}tw
topo_lo "$ns"
cd "$WORK"
mkdir -p etc/web
hash=$(htpasswd -nbBC 5 prometheus s3cret | cut -d: -f2)
hash2=$(htpasswd -nbBC 5 prometheus n3w | cut -d: -f2)
printf 'basic_auth_users:\n  prometheus: %s\n' "$hash" >etc/web/web.yml
printf 'basic_auth_users:\n  prometheus: %s\n' "$hash2" >other.yml
cat >etc/exporter.toml <<'TOML'
[exporter]
listen_addresses = ["127.0.0.1:19801", ":19802"]
telemetry_path = "/probe-metrics"
web_config_file = "web/web.yml"
[defaults]
interface = "lo"
[[receiver]]
name = "toml-web-rx"
group = "239.15.0.3"
TOML

code() { in_ns "$ns" curl -s -o body -w '%{http_code}' --max-time 5 "$@" || true; }
# run_exporter ARGS...: in the background, until it writes its port file.
run_exporter() {
  rm -f port
  [[ ! -e exporter.log ]] || mv exporter.log exporter.log.1
  ip netns exec "$ns" "$BIN/mcast-exporter" --config.file etc/exporter.toml \
    --listen-port-file "$WORK/port" "$@" 2>exporter.log &
  EXPORTER_PID=$!
  track "$EXPORTER_PID"
  wait_for 10 test -s port || { cat exporter.log; fail "the exporter did not start"; }
}

log "--check-config reads web_config_file (relative to the TOML file)"
"$BIN/mcast-exporter" --check-config etc/exporter.toml >check.out 2>&1 ||
  { cat check.out; fail "--check-config failed"; }
grep -qx "etc/web/web.yml: OK (TLS off)" check.out || { cat check.out; fail "web config not checked"; }
printf 'basic_auth_users:\n  prometheus: nohash\n' >etc/web/bad.yml
sed 's|web/web.yml|web/bad.yml|' etc/exporter.toml >etc/bad.toml
rc=0
"$BIN/mcast-exporter" --check-config etc/bad.toml >/dev/null 2>bad.err || rc=$?
expect_eq "--check-config, bad web_config_file" "$rc" 78
grep -q "etc/web/bad.yml:2:15: basic_auth_users.prometheus: not a bcrypt hash" bad.err ||
  { cat bad.err; fail "bad web config not named"; }

log "without flags: the TOML settings apply"
run_exporter
expect_eq "first address, right password" \
  "$(code -u prometheus:s3cret http://127.0.0.1:19801/probe-metrics)" 200
grep -q '^mcast_rx_joined{probe="toml-web-rx"' body || fail "no receiver metrics"
expect_eq "second address (:PORT), another IPv4 address" \
  "$(code -u prometheus:s3cret http://127.0.0.2:19802/probe-metrics)" 200
expect_eq "no password" "$(code http://127.0.0.1:19801/probe-metrics)" 401
expect_eq "the default path" "$(code -u prometheus:s3cret http://127.0.0.1:19801/metrics)" 404
expect_eq "port file: the first address" "$(<port)" 19801

log "SIGHUP with changed [exporter] settings: kept until restart"
sed -i 's|"/probe-metrics"|"/other"|' etc/exporter.toml
kill -HUP "$EXPORTER_PID"
wait_for 10 grep -q 'take effect on restart' exporter.log || { cat exporter.log; fail "no restart warning"; }
expect_eq "old path after SIGHUP" \
  "$(code -u prometheus:s3cret http://127.0.0.1:19801/probe-metrics)" 200
kill -TERM "$EXPORTER_PID"
exits_within 5 "$EXPORTER_PID" || fail "the exporter did not exit 0"
sed -i 's|"/other"|"/probe-metrics"|' etc/exporter.toml

log "flags win over the TOML settings"
run_exporter --web.config.file other.yml --web.listen-address 127.0.0.1:0 --web.telemetry-path /metrics \
  --log.level warn
port=$(<port)
[[ $port != 19801 ]] || fail "--web.listen-address did not replace listen_addresses"
expect_eq "flag's web config: its password" "$(code -u prometheus:n3w "http://127.0.0.1:$port/metrics")" 200
expect_eq "flag's web config: the TOML's password" \
  "$(code -u prometheus:s3cret "http://127.0.0.1:$port/metrics")" 401
expect_eq "TOML path with the flag's path set" \
  "$(code -u prometheus:n3w "http://127.0.0.1:$port/probe-metrics")" 404
expect_eq "TOML addresses not served" "$(code http://127.0.0.1:19801/probe-metrics)" 000
kill -TERM "$EXPORTER_PID"
exits_within 5 "$EXPORTER_PID" || fail "the exporter did not exit 0"
# --log.level warn: no notice (the "serving" line) or info lines.
! grep -qE '^<[5-7]>' exporter.log || { cat exporter.log; fail "--log.level warn logged below warning"; }
grep -q '^<5>.*serving' exporter.log.1 || fail "the first run logged no notice line"
pass "[exporter] listen_addresses, telemetry_path, web_config_file; flags win"
