#!/usr/bin/env bash
# The exporter's HTTP side under hostile clients: with 200 connections held
# open (idle, slowly sending a partial request, reconnecting), real scrapes
# still answer 200 with the metrics, each well inside a second and the
# median within the 100 ms the exporter promises; a held partial request is
# cut off by the request timeout. Only the metrics path is the metrics path:
# /metricsX and /metrics/foo are 404, HEAD answers headers only, other
# methods are 405, an oversized header is refused (400) and so are 64 or
# more headers (431), "/" links the metrics.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd curl python3

ns=${P}lo
topo_lo "$ns"
cat >"$WORK/exporter.toml" <<TOML
[exporter]
listen = "127.0.0.1:0"
[defaults]
interface = "lo"
[[receiver]]
name = "r"
group = "239.13.0.1"
TOML
start_exporter "$ns" "$WORK/exporter.toml"
port=$EXPORTER_PORT
base=http://127.0.0.1:$port

code() { in_ns "$ns" curl -s -o "$WORK/body" -w '%{http_code}' --max-time 5 "$@"; }

log "200 held connections, then 10 scrapes"
in_ns "$ns" python3 "$SRC/tests/integration/http_hold.py" 127.0.0.1 "$port" \
  --held 200 --scrapes 10 --timeout 2 >"$WORK/hold.json" ||
  { cat "$WORK/hold.json"; fail "a scrape failed with 200 held connections"; }
cat "$WORK/hold.json"
python3 - "$WORK/hold.json" <<'PY' || fail "scrape latency with 200 held connections"
import json, statistics, sys
r = json.load(open(sys.argv[1]))
ms, held = r["ms"], r["held"]
assert len(ms) == 10 and all(m is not None for m in ms), ms
assert min(held) >= 190, f"only {min(held)} connections held during a scrape"
assert max(ms) < 1000, f"slowest scrape {max(ms)} ms"
assert statistics.median(ms) < 100, f"median scrape {statistics.median(ms)} ms"
print(f"ok: 10 scrapes with >= {min(held)} held: median "
      f"{statistics.median(ms):.1f} ms, max {max(ms):.1f} ms")
PY

log "exact path, methods"
expect_eq "GET /metrics" "$(code "$base/metrics")" 200
grep -q '^mcast_exporter_build_info{' "$WORK/body" || fail "no build_info in /metrics"
expect_eq "GET /metricsX" "$(code "$base/metricsX")" 404
expect_eq "GET /metrics/foo" "$(code "$base/metrics/foo")" 404
expect_eq "GET /metrics?x=1" "$(code "$base/metrics?x=1")" 200
expect_eq "GET /nope" "$(code "$base/nope")" 404
expect_eq "HEAD /metrics" "$(code -I "$base/metrics")" 200
[[ -s "$WORK/body" ]] && grep -q '^mcast_' "$WORK/body" && fail "HEAD sent a body"
in_ns "$ns" curl -s -I --max-time 5 "$base/metrics" >"$WORK/head.txt"
grep -qi '^content-type: text/plain' "$WORK/head.txt" || { cat "$WORK/head.txt"; fail "HEAD content type"; }
# Raw HEAD: nothing may follow the header block.
in_ns "$ns" python3 - "$port" <<'PY' || fail "HEAD carried a body"
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
data = b""
while chunk := s.recv(65536):
    data += chunk
head, sep, body = data.partition(b"\r\n\r\n")
assert head.startswith(b"HTTP/1.1 200"), head
assert sep and body == b"", f"{len(body)} body bytes after HEAD"
PY
echo "ok: HEAD /metrics has headers only"
expect_eq "POST /metrics" "$(code -X POST -d x=1 "$base/metrics")" 405
in_ns "$ns" curl -s -D - -o /dev/null -X DELETE --max-time 5 "$base/metrics" >"$WORK/del.txt"
grep -qi '^allow: GET, HEAD' "$WORK/del.txt" || { cat "$WORK/del.txt"; fail "405 without Allow"; }
expect_eq "GET /" "$(code "$base/")" 200
grep -q 'href="/metrics"' "$WORK/body" || fail "/ does not link /metrics"
big=$(head -c 20000 /dev/zero | tr '\0' a)
# civetweb refuses a header over max_request_size (8 kB) with 400.
expect_eq "20 kB header" "$(code -H "X-Big: $big" "$base/metrics")" 400
# The header count: civetweb keeps 64 and drops the rest; the filter
# refuses a request that fills them (curl adds Host, User-Agent, Accept).
headers() { local i; for ((i = 0; i < $1; i++)); do printf -- '-H\nX-H%d: v\n' "$i"; done; }
mapfile -t h60 < <(headers 60)
mapfile -t h61 < <(headers 61)
mapfile -t h300 < <(headers 300)
expect_eq "63 headers" "$(code "${h60[@]}" "$base/metrics")" 200
expect_eq "64 headers" "$(code "${h61[@]}" "$base/metrics")" 431
expect_eq "303 headers" "$(code "${h300[@]}" "$base/metrics")" 431

log "a partial request is cut off by the request timeout"
in_ns "$ns" python3 - "$port" <<'PY' || fail "slow partial request was not closed"
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
t0 = time.monotonic()
while time.monotonic() - t0 < 15:
    try:
        s.sendall(b"X: y\r\n")
        if s.recv(4096) == b"":
            break
    except socket.timeout:
        continue
    except OSError:
        break
took = time.monotonic() - t0
assert took < 12, f"still open after {took:.1f} s"
print(f"ok: closed after {took:.1f} s")
PY
scrape after.txt
pass "exporter HTTP endpoint"
