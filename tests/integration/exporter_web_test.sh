#!/usr/bin/env bash
# The exporter's web surface as operators of the Prometheus exporters expect
# it (issue 15), over loopback inside a namespace this test makes:
# - a bad --web.config.file stops the start with exit 78 and FILE:LINE:COL;
# - TLS with a certificate made here by openssl: a scrape that trusts the CA
#   succeeds, one that does not fails; plain HTTP to the TLS port gets no
#   metrics;
# - basic auth with an `htpasswd -B` hash: right/wrong/no password ->
#   200/401/401 on every path; the toolkit headers on every answer;
# - /, /-/healthy, /-/ready;
# - 200 held connections that never send a ClientHello do not block TLS
#   scrapes;
# - reload: a broken file keeps the old settings (log line, metric 0); a
#   changed file applies without a signal (new password), SIGHUP too;
#   client_auth_type RequireAndVerifyClientCert and min_version TLS13 apply
#   to the next handshake;
# - a real Prometheus protected by the same web config file scrapes the
#   exporter over TLS with basic auth (its own tls_config/basic_auth).
source "$(dirname "$0")/lib.sh"
require_root
require_cmd curl python3 openssl htpasswd prometheus jq

ns=${P}web
topo_lo "$ns"
cd "$WORK"

log "certificates (openssl) and a bcrypt hash (htpasswd -B)"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=test-ca -keyout ca.key -out ca.crt 2>/dev/null
cat >san.ext <<'EXT'
subjectAltName=IP:127.0.0.1,DNS:localhost
EXT
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -subj /CN=localhost -keyout server.key -out server.csr 2>/dev/null
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
  -extfile san.ext -out server.crt 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -subj /CN=client -keyout client.key -out client.csr 2>/dev/null
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
  -out client.crt 2>/dev/null
# A second CA that signed nothing here.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=other-ca -keyout other.key -out other.crt 2>/dev/null
hash=$(htpasswd -nbBC 5 prometheus s3cret | cut -d: -f2)
hash2=$(htpasswd -nbBC 5 prometheus n3w | cut -d: -f2)
[[ $hash == '$2y$'* ]] || fail "htpasswd -B made '$hash'"

# web_config FILE HASH [TLS LINES...]
web_config() {
  local file=$1 h=$2; shift 2
  {
    echo "tls_server_config:"
    echo "  cert_file: server.crt"   # relative: to the file's folder
    echo "  key_file: $WORK/server.key"
    for l in "$@"; do echo "  $l"; done
    echo "http_server_config:"
    echo "  headers:"
    echo "    X-Frame-Options: deny"
    echo "basic_auth_users:"
    echo "  prometheus: $h"
  } >"$file.tmp"
  mv "$file.tmp" "$file"
}
web_config web.yml "$hash"

cat >exporter.toml <<'TOML'
[exporter]
listen = "127.0.0.1:0"
[defaults]
interface = "lo"
[[receiver]]
name = "web-rx"
group = "239.15.0.1"
TOML

log "a bad web config stops the start: exit 78, file:line:col and key"
printf 'tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher: x\n' >bad.yml
set +e
in_ns "$ns" "$BIN/mcast-exporter" --config.file exporter.toml --web.listen-address 127.0.0.1:0 \
  --web.config.file bad.yml 2>bad.err
rc=$?
set -e
expect_eq "exit code, bad web config" "$rc" 78
grep -q 'bad.yml:4:3: tls_server_config.cipher: unknown key' bad.err ||
  { cat bad.err; fail "no file:line:col error for the unknown key"; }
web_config missing.yml "$hash"
sed -i 's|cert_file: server.crt|cert_file: nope.crt|' missing.yml
set +e
in_ns "$ns" "$BIN/mcast-exporter" --config exporter.toml --web.config.file missing.yml 2>missing.err
rc=$?
set -e
expect_eq "exit code, missing certificate" "$rc" 78
grep -q "tls_server_config.cert_file: cannot read ./nope.crt" missing.err || { cat missing.err; fail "missing cert not named"; }
echo "ok: bad web configs exit 78 with the reason"

start_exporter "$ns" exporter.toml --web.config.file "$WORK/web.yml" --log.format logfmt
port=$EXPORTER_PORT
base=https://127.0.0.1:$port
grep -q 'level=notice msg="mcast-exporter .* with TLS' exporter.log ||
  { cat exporter.log; fail "no logfmt start line naming TLS"; }

# code ARGS...: the HTTP status of one request (000: no answer).
code() { in_ns "$ns" curl -s -o body -w '%{http_code}' --max-time 5 "$@" || true; }
ok=(--cacert ca.crt -u prometheus:s3cret)

log "TLS and basic auth"
expect_eq "CA + right password" "$(code "${ok[@]}" "$base/metrics")" 200
grep -q '^mcast_exporter_web_config_last_reload_successful 1' body || fail "no web config metric"
grep -q '^mcast_rx_joined{probe="web-rx"' body || fail "no receiver metrics over TLS"
expect_eq "no CA" "$(code -u prometheus:s3cret "$base/metrics")" 000
expect_eq "another CA" "$(code --cacert other.crt -u prometheus:s3cret "$base/metrics")" 000
expect_eq "plain HTTP to the TLS port" "$(code "http://127.0.0.1:$port/metrics")" 000
expect_eq "wrong password" "$(code --cacert ca.crt -u prometheus:wrong "$base/metrics")" 401
expect_eq "unknown user" "$(code --cacert ca.crt -u root:s3cret "$base/metrics")" 401
expect_eq "no password" "$(code --cacert ca.crt "$base/metrics")" 401
expect_eq "no password, /" "$(code --cacert ca.crt "$base/")" 401
in_ns "$ns" curl -s -D - -o /dev/null --cacert ca.crt "$base/-/healthy" >h401.txt
grep -qi '^www-authenticate: Basic' h401.txt || { cat h401.txt; fail "401 without WWW-Authenticate"; }
in_ns "$ns" curl -s -D - -o /dev/null "${ok[@]}" "$base/metrics" >h200.txt
grep -qi '^x-frame-options: deny' h200.txt || { cat h200.txt; fail "metrics lack the configured header"; }

log "landing page, health, methods, paths"
expect_eq "GET /" "$(code "${ok[@]}" "$base/")" 200
grep -q 'href="/metrics"' body || fail "/ does not link /metrics"
grep -q "$("$BIN/mcast-exporter" --version | grep -o '[0-9][0-9.]*[^ ]*' | head -1)" body ||
  { cat body; fail "/ does not show the version"; }
grep -q '<td>web-rx</td><td>receiver</td>' body || { cat body; fail "/ does not list the probe"; }
expect_eq "GET /-/healthy" "$(code "${ok[@]}" "$base/-/healthy")" 200
expect_eq "GET /-/ready" "$(code "${ok[@]}" "$base/-/ready")" 200
expect_eq "HEAD /-/ready" "$(code -I "${ok[@]}" "$base/-/ready")" 200
expect_eq "POST /-/healthy" "$(code -X POST "${ok[@]}" "$base/-/healthy")" 405
expect_eq "PUT /" "$(code -X PUT "${ok[@]}" "$base/")" 405
expect_eq "GET /-/nope" "$(code "${ok[@]}" "$base/-/nope")" 404

log "200 held connections without a ClientHello, then 5 TLS scrapes"
in_ns "$ns" python3 "$SRC/tests/integration/http_hold.py" 127.0.0.1 "$port" \
  --held 200 --scrapes 5 --timeout 3 --cafile ca.crt --auth prometheus:s3cret >hold.json ||
  { cat hold.json; fail "a TLS scrape failed with 200 held connections"; }
python3 - hold.json <<'PY' || fail "TLS scrapes with 200 held connections"
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["ms"]) == 5 and all(m is not None for m in r["ms"]), r
assert min(r["held"]) >= 190, r["held"]
assert max(r["ms"]) < 2000, r["ms"]
print(f"ok: 5 TLS scrapes with >= {min(r['held'])} held: max {max(r['ms']):.0f} ms")
PY

log "reload: a broken file keeps the running settings"
metric_web() { in_ns "$ns" curl -s --max-time 5 "${ok[@]}" "$base/metrics" |
  awk '$1 == "mcast_exporter_web_config_last_reload_successful" { print $2 }'; }
printf 'basic_auth_users:\n  prometheus: notahash\n' >web.yml
wait_for 5 grep -q 'reload of web config .*web.yml failed' exporter.log ||
  { cat exporter.log; fail "no log line for the broken web config"; }
grep -q 'web.yml:2:15: basic_auth_users.prometheus: not a bcrypt hash' exporter.log ||
  { cat exporter.log; fail "reload error without file:line:col"; }
expect_eq "old password after a broken reload" "$(code "${ok[@]}" "$base/metrics")" 200
expect_eq "reload metric after a broken file" "$(metric_web)" 0

log "reload on change: a new password applies without a signal"
web_config web.yml "$hash2"
new=(--cacert ca.crt -u prometheus:n3w)
new_password_works() { [[ $(code "${new[@]}" "$base/metrics") == 200 ]]; }
wait_for 5 new_password_works || fail "the new password was not taken within 5 s"
expect_eq "old password after the change" "$(code "${ok[@]}" "$base/metrics")" 401
expect_eq "reload metric after a good file" "$(in_ns "$ns" curl -s "${new[@]}" "$base/metrics" |
  awk '$1 == "mcast_exporter_web_config_last_reload_successful" { print $2 }')" 1

log "SIGHUP: client certificates required and TLS 1.3 only"
web_config web.yml "$hash2" "client_auth_type: RequireAndVerifyClientCert" \
  "client_ca_file: ca.crt" "min_version: TLS13"
kill -HUP "$EXPORTER_PID"
needs_client_cert() { [[ $(code "${new[@]}" "$base/metrics") == 000 ]]; }
wait_for 5 needs_client_cert || fail "a scrape without a client certificate still works"
expect_eq "with a client certificate" \
  "$(code "${new[@]}" --cert client.crt --key client.key "$base/metrics")" 200
expect_eq "TLS 1.2 at most" \
  "$(code "${new[@]}" --cert client.crt --key client.key --tls-max 1.2 "$base/metrics")" 000
grep -q 'reloaded web config' exporter.log || fail "no log line for the reload"

log "a real Prometheus, protected by the same kind of file, scrapes over TLS"
web_config web.yml "$hash2"
back_to_server_auth() { [[ $(code "${new[@]}" "$base/metrics") == 200 ]]; }
wait_for 5 back_to_server_auth || fail "web config without client auth not applied"
mkdir -p prom
printf 'n3w' >prom/password
cat >prom/prometheus.yml <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: mcast
    scheme: https
    tls_config:
      ca_file: $WORK/ca.crt
    basic_auth:
      username: prometheus
      password_file: $WORK/prom/password
    static_configs:
      - targets: ["127.0.0.1:$port"]
EOF
bg "$ns" prometheus --config.file="$WORK/prom/prometheus.yml" \
  --web.config.file="$WORK/web.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address=127.0.0.1:9090 --log.level=warn >prometheus.log 2>&1
PROM=https://127.0.0.1:9090
prom_up() {
  [[ $(in_ns "$ns" curl -s --max-time 2 "${new[@]}" -G "$PROM/api/v1/query" \
    --data-urlencode 'query=up{job="mcast"}' | jq -r '.data.result[0].value[1]') == 1 ]]
}
wait_for 40 prom_up || { cat prometheus.log >&2; fail "Prometheus does not scrape the exporter over TLS"; }
expect_eq "Prometheus's own API without a password" \
  "$(code --cacert ca.crt "$PROM/api/v1/query?query=up")" 401
rx_series() {
  in_ns "$ns" curl -s --max-time 2 "${new[@]}" -G "$PROM/api/v1/query" \
    --data-urlencode 'query=mcast_rx_joined{probe="web-rx"}' | jq -r '.data.result | length'
}
expect_eq "receiver series in Prometheus" "$(rx_series)" 1
echo "ok: Prometheus scrapes over TLS with basic auth"

stop_exporter
pass "exporter web surface: TLS, basic auth, health, reload, Prometheus"
