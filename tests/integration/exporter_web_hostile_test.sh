#!/usr/bin/env bash
# A hostile --web.config.file (issue 15) over loopback inside a namespace
# this test makes: 2 MiB of text, 1 MiB of '[' (nesting), a billion-laughs
# alias bomb, binary junk, a FIFO with no writer and /dev/zero.
# - At start each is exit 78 (not a signal, not a hang: `timeout` would
#   say 124) with one clear line naming the file; --check-config too.
# - On reload (file changed; SIGHUP too for one) each keeps the running settings:
#   the old password still works, a missing one is still 401,
#   mcast_exporter_web_config_last_reload_successful is 0, the log says
#   why; a good file afterwards applies (a new password), so no hostile
#   file left the reload stuck. The exporter's peak RSS (VmHWM) grows by
#   less than 64 MiB over all of them: yaml-cpp's ~250 MB for the nesting
#   file is spent in the forked child (src/exporter/web_config_parser.cc).
source "$(dirname "$0")/lib.sh"
require_root
require_cmd curl python3 htpasswd timeout

ns=${P}wh
topo_lo "$ns"
cd "$WORK"

cat >exporter.toml <<'TOML'
[exporter]
listen = "127.0.0.1:0"
[defaults]
interface = "lo"
[[receiver]]
name = "hostile-web-rx"
group = "239.15.0.2"
TOML
hash=$(htpasswd -nbBC 5 prometheus s3cret | cut -d: -f2)
hash2=$(htpasswd -nbBC 5 prometheus n3w | cut -d: -f2)
good() { printf 'basic_auth_users:\n  prometheus: %s\n' "$1" >good.tmp; mv good.tmp "$2"; }

# The hostile files, and the error line each must give (a grep -E pattern,
# after "FILE").
python3 - <<'PY'
import random
M = 1 << 20
open("huge.yml", "w").write("basic_auth_users:\n" + " " * (2 * M))
open("deep.yml", "w").write("basic_auth_users: " + "[" * (M - 32))
lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
for i in range(1, 10):
    lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
open("laughs.yml", "w").write(
    "basic_auth_users:\n" + "".join("  " + l + "\n" for l in lines) + "  prometheus: *l9\n")
r = random.Random(15)
open("junk.yml", "wb").write(bytes(r.randrange(256) for _ in range(M // 2)))
PY
mkfifo fifo.yml
declare -A want=(
  [huge.yml]=': larger than 1048576 bytes$'
  [deep.yml]=':1:1: nested more than 499 levels deep$'
  [laughs.yml]=':2:7: basic_auth_users.l0: must be a string$'
  [junk.yml]=':[0-9]+:[0-9]+: '
  [fifo.yml]=': not a regular file \(a FIFO\)$'
  [/dev/zero]=': not a regular file \(a character device\)$'
)
cases=(huge.yml deep.yml laughs.yml junk.yml fifo.yml /dev/zero)

log "at start: exit 78 and the reason, for each hostile web config"
for c in "${cases[@]}"; do
  rc=0
  in_ns "$ns" timeout 20 "$BIN/mcast-exporter" --config.file exporter.toml \
    --web.listen-address 127.0.0.1:0 --web.config.file "$c" 2>start.err || rc=$?
  expect_eq "exit code, web config $c" "$rc" 78
  grep -qE "^mcast-exporter: $c${want[$c]}" start.err || { cat start.err; fail "$c: no clear error"; }
  (($(wc -l <start.err) <= 20)) || fail "$c: $(wc -l <start.err) error lines"
done
rc=0
timeout 20 "$BIN/mcast-exporter" --check-config exporter.toml --web.config.file deep.yml \
  >/dev/null 2>check.err || rc=$?
expect_eq "--check-config exit code, deep.yml" "$rc" 78
grep -qE "^mcast-exporter: deep.yml${want[deep.yml]}" check.err || { cat check.err; fail "--check-config"; }

log "reload: each hostile file keeps the running settings"
good "$hash" web.yml
start_exporter "$ns" exporter.toml --web.config.file "$WORK/web.yml"
url=http://127.0.0.1:$EXPORTER_PORT/metrics
code() { in_ns "$ns" curl -s -o body -w '%{http_code}' --max-time 5 "$@" || true; }
reload_metric() {
  awk '$1 == "mcast_exporter_web_config_last_reload_successful" { print $2 }' body
}
password=s3cret
expect_eq "good web config" "$(code -u "prometheus:$password" "$url")" 200
expect_eq "reload metric at start" "$(reload_metric)" 1
hwm() { awk '$1 == "VmHWM:" { print $2 }' "/proc/$EXPORTER_PID/status"; }
hwm_before=$(hwm)
failures=0
logged() {
  [[ $(grep -c "reload of web config $WORK/web.yml failed, keeping the running one:" exporter.log) == "$1" ]]
}
for c in "${cases[@]}"; do
  # The hostile file takes web.yml's place; the watcher sees the change.
  case $c in
    fifo.yml) rm -f web.yml; mkfifo web.yml ;;
    /dev/zero) ln -sfn /dev/zero web.yml ;;
    *) cp "$c" web.tmp; mv web.tmp web.yml ;;
  esac
  failures=$((failures + 1))
  failed() {
    [[ $(code -u "prometheus:$password" "$url") == 200 && $(reload_metric) == 0 ]] && logged "$failures"
  }
  wait_for 15 failed || { tail -5 exporter.log; fail "$c: no failed reload with the old password kept"; }
  if [[ $c == deep.yml ]]; then
    # SIGHUP re-reads it: fails again, the same way.
    kill -HUP "$EXPORTER_PID"
    failures=$((failures + 1))
    wait_for 15 failed || { tail -5 exporter.log; fail "$c: SIGHUP did not fail the same way"; }
  fi
  kill -0 "$EXPORTER_PID" || fail "the exporter died on $c"
  expect_eq "$c: no password" "$(code "$url")" 401
  expect_eq "$c: wrong password" "$(code -u prometheus:wrong "$url")" 401
  grep -qE "^<[0-9]>  $WORK/web.yml${want[$c]}" exporter.log ||
    { tail -5 exporter.log; fail "$c: the log does not say why"; }
  # A good file (the other password) applies again.
  rm -f web.yml
  if [[ $password == s3cret ]]; then
    password=n3w
    good "$hash2" web.yml
  else
    password=s3cret
    good "$hash" web.yml
  fi
  applied() { [[ $(code -u "prometheus:$password" "$url") == 200 && $(reload_metric) == 1 ]]; }
  wait_for 15 applied || { tail -5 exporter.log; fail "after $c: a good web config was not applied"; }
  echo "ok: $c: refused, old settings kept, then a good file applied"
done
logged "$failures" || fail "failed reloads logged: $(grep -c 'reload of web config' exporter.log), expected $failures"
hwm_after=$(hwm)
growth=$(((hwm_after - hwm_before) / 1024))
echo "ok: exporter VmHWM $((hwm_before / 1024)) -> $((hwm_after / 1024)) MiB"
((growth < 64)) || fail "the exporter's peak RSS grew by $growth MiB: the YAML parse ran in it"
stop_exporter
pass "hostile web configs: exit 78 at start, old settings kept on reload"
