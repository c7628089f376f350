#!/usr/bin/env bash
# The shipped unit passes `systemd-analyze verify`, and `cmake --install`
# puts binaries, unit, default config and dashboards where the unit expects.
source "$(dirname "$0")/lib.sh"
require_cmd systemd-analyze cmake

root=$WORK/root
build=$(dirname "$BIN")
cmake --install "$build" --prefix "$root/usr" >"$WORK/install.log" 2>&1 ||
  { cat "$WORK/install.log"; fail "cmake --install failed"; }
for f in usr/bin/mcast-send usr/bin/mcast-receive usr/bin/mcast-status \
         usr/bin/mcast-exporter usr/lib/systemd/system/mcast-exporter.service \
         usr/share/mcast-tools/dashboards; do
  [[ -e "$root/$f" ]] || fail "not installed: $f"
done
echo "ok: cmake --install puts everything in place"

unit=$build/systemd/mcast-exporter.service
grep -q "^ExecReload=/bin/kill -HUP \$MAINPID" "$unit" || fail "no ExecReload with HUP"
grep -q "^AmbientCapabilities=CAP_NET_ADMIN$" "$unit" || fail "capabilities differ"
# Verify a copy whose paths point at this build, so it runs without
# installing into the system.
sed -e "s|^ExecStartPre=[^ ]*mcast-exporter|ExecStartPre=$BIN/mcast-exporter|" \
    -e "s|^ExecStart=[^ ]*mcast-exporter|ExecStart=$BIN/mcast-exporter|" \
    "$unit" >"$WORK/mcast-exporter.service"
SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$WORK/mcast-exporter.service" \
  >"$WORK/verify.log" 2>&1 || { cat "$WORK/verify.log"; fail "systemd-analyze verify failed"; }
if grep -v "^$" "$WORK/verify.log" | grep -q .; then
  cat "$WORK/verify.log"
  fail "systemd-analyze verify printed warnings"
fi
echo "ok: systemd-analyze verify is silent"
pass "systemd unit and install layout"
