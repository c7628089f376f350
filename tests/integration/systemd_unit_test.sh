#!/usr/bin/env bash
# The shipped unit passes `systemd-analyze verify` (its Documentation=
# man:mcast-exporter(8) and man:mcast-exporter.toml(5) included: the pages
# are installed), its
# `systemd-analyze security` exposure is at most 1.6 (1.5 before CAP_NET_RAW
# for the querier's raw sockets, which systemd scores 0.1), and `cmake --install`
# puts binaries, man page, unit, default config and dashboards where the
# unit expects.
source "$(dirname "$0")/lib.sh"
require_cmd systemd-analyze cmake

root=$WORK/root
build=$(dirname "$BIN")
cmake --install "$build" --prefix "$root/usr" >"$WORK/install.log" 2>&1 ||
  { cat "$WORK/install.log"; fail "cmake --install failed"; }
for f in usr/bin/mcast-send usr/bin/mcast-receive usr/bin/mcast-status \
         usr/bin/mcast-exporter usr/lib/systemd/system/mcast-exporter.service \
         usr/share/mcast-tools/dashboards usr/share/man/man8/mcast-exporter.8.gz \
         usr/share/man/man5/mcast-exporter.toml.5.gz usr/etc/mcast-tools/mcast-exporter.toml; do
  [[ -e "$root/$f" ]] || fail "not installed: $f"
done
echo "ok: cmake --install puts everything in place"

unit=$build/systemd/mcast-exporter.service
grep -q "^ExecReload=/bin/kill -HUP \$MAINPID" "$unit" || fail "no ExecReload with HUP"
# Exactly these: CAP_NET_ADMIN for the IGMP/MLD version sysctls, CAP_NET_RAW
# for the querier's raw sockets.
grep -q "^AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW$" "$unit" || fail "capabilities differ"
grep -q "^CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW$" "$unit" || fail "bounding set differs"
# One value (soft = hard) far above the descriptors a 5000-flow config
# needs (README, "File descriptors").
nofile=$(sed -n 's/^LimitNOFILE=\([0-9]*\)$/\1/p' "$unit")
[[ -n $nofile ]] && ((nofile >= 2 * 5000 + 342)) || fail "LimitNOFILE '$nofile' missing or too low"
# Verify a copy whose paths point at this build, so it runs without
# installing into the system.
sed -e "s|^ExecStartPre=[^ ]*mcast-exporter|ExecStartPre=$BIN/mcast-exporter|" \
    -e "s|^ExecStart=[^ ]*mcast-exporter|ExecStart=$BIN/mcast-exporter|" \
    "$unit" >"$WORK/mcast-exporter.service"
# verify runs `man` on each man: URL of Documentation=; MANPATH points it at
# the pages this build installed.
MANPATH=$root/usr/share/man SYSTEMD_LOG_LEVEL=warning \
  systemd-analyze verify "$WORK/mcast-exporter.service" \
  >"$WORK/verify.log" 2>&1 || { cat "$WORK/verify.log"; fail "systemd-analyze verify failed"; }
if grep -v "^$" "$WORK/verify.log" | grep -q .; then
  cat "$WORK/verify.log"
  fail "systemd-analyze verify printed warnings"
fi
echo "ok: systemd-analyze verify is silent (man page found)"

systemd-analyze security --offline=true "$WORK/mcast-exporter.service" \
  >"$WORK/security.log" 2>&1 || true
exposure=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$WORK/security.log")
[[ -n "$exposure" ]] || { cat "$WORK/security.log"; fail "no exposure level"; }
awk -v e="$exposure" 'BEGIN { exit !(e <= 1.6) }' ||
  { grep "✗" "$WORK/security.log"; fail "exposure $exposure > 1.6"; }
echo "ok: systemd-analyze security exposure $exposure <= 1.6"
# Hardening must keep what the exporter needs.
for line in "AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW" "ProtectKernelTunables=yes" \
            "ReadWritePaths=/proc/sys/net/ipv4/conf" \
            "RestrictAddressFamilies=AF_INET AF_INET6 AF_NETLINK AF_UNIX"; do
  grep -qx "$line" "$unit" || fail "unit lacks $line"
done
grep -q "^PrivateUsers=yes" "$unit" && fail "PrivateUsers would void CAP_NET_ADMIN in the host netns"
grep -q "^PrivateNetwork=yes" "$unit" && fail "PrivateNetwork would hide the interfaces"
echo "ok: hardening keeps CAP_NET_ADMIN, the conf sysctls and the sockets"
pass "systemd unit and install layout"
