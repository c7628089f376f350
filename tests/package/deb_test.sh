#!/usr/bin/env bash
# The Debian package, from the build tree the other tests use (no second
# build): CPack writes mcast-tools_<version>_amd64.deb (version = the
# binaries' --version = the changelog's newest entry); lintian finds no
# error in it; its Depends (dpkg-shlibdeps) names the package of every
# library the binaries load (ldd + dpkg -S); it holds the binaries, the unit
# (pointing at /usr/bin and /etc/mcast-tools), the config as a conffile,
# dashboards, rules, man pages, completions, copyright and changelog.
#
# Then it is installed with dpkg into a scratch root, never into this
# machine: --root gives dpkg its own database (a copy of this machine's
# status file, so dpkg itself checks that Depends is satisfied here) and
# its own tree. The installed mcast-exporter runs as installed, in a chroot
# of a private mount namespace (a tmpfs with the package's /usr/bin and
# /etc bound in and this machine's libraries read-only), as
# `mcast-exporter --check-config /etc/mcast-tools/mcast-exporter.toml`.
# The chroot's libraries are this machine's without the development
# symlinks (lib*.so, as no -dev package were installed), so it shows that
# the installed exporter serves HTTPS on what Depends installs: civetweb
# dlopens libssl.so/libcrypto.so, which only libssl-dev ships
# (src/cmd/civetweb_openssl_shim.cc). In a network namespace made here the
# installed exporter runs the installed config with a TLS web config whose
# certificate openssl makes: curl with the CA gets the metrics, without it
# gets no answer.
# Remove keeps an edited conffile, purge removes it, and nothing of the
# package is left in the root. Everything lives under one temporary
# directory and the mount namespace ends with its process, so a failure at
# any point leaves the machine as it was (the EXIT trap removes the
# directory).
export MCAST_BIN_DIR=${MCAST_BIN_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/build/ci/src}
source "$(dirname "$0")/../integration/lib.sh"
BUILD=$(dirname "$BIN")
[[ $(id -u) == 0 ]] || skip "needs root (dpkg --root, chroot in a mount namespace)"
require_root
for c in cpack dpkg dpkg-deb dpkg-parsechangelog lintian unshare chroot ldd openssl curl; do
  command -v "$c" >/dev/null 2>&1 || fail "needs $c (.ci/install-deps)"
done
[[ -f $BUILD/CPackConfig.cmake ]] || fail "$BUILD/CPackConfig.cmake missing: configure first"

# lib.sh's work dir, removed by its EXIT trap.
tmp=$WORK

version=$("$BIN/mcast-exporter" --version)
changelog_version=$(dpkg-parsechangelog -l "$SRC/packaging/deb/changelog" -S Version)
[[ $changelog_version == "$version" ]] ||
  fail "packaging/deb/changelog's newest entry is $changelog_version, the project is $version: add an entry"

start=$SECONDS
cpack --config "$BUILD/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log"; fail "cpack failed"; }
deb=$tmp/out/mcast-tools_${version}_amd64.deb
[[ -f $deb ]] || { ls "$tmp/out"; fail "no $(basename "$deb")"; }
echo "ok: cpack wrote $(basename "$deb") ($(($(stat -c %s "$deb") / 1024)) KiB, $((SECONDS - start)) s)"

field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == mcast-tools && $(field Version) == "$version" &&
   $(field Architecture) == amd64 ]] || fail "control: $(dpkg-deb -f "$deb")"
depends=$(field Depends)
echo "ok: Depends: $depends"
# Not only through dpkg-shlibdeps: civetweb dlopens OpenSSL.
[[ $depends =~ (^|, )libssl3( |,|$) ]] || fail "Depends lacks libssl3 (civetweb dlopens it)"

# Every library the binaries load comes from a package that Depends names:
# ldd's paths looked up in dpkg's file lists (one grep; dpkg -S per library
# takes a minute), under both names of merged /usr (/lib = /usr/lib).
names=" $(sed -E 's/\([^)]*\)//g; s/[,|]/ /g' <<<"$depends" | xargs) "
for tool in mcast-send mcast-receive mcast-status mcast-exporter; do
  ldd "$BIN/$tool" | grep -oE '/[^ ]+\.so[^ ]*'
done | sort -u >"$tmp/libs"
(($(wc -l <"$tmp/libs") >= 5)) || fail "ldd found too few libraries: $(cat "$tmp/libs")"
grep -xF -f <(sed -E 'p; s|^/usr/|/|; p; s|^/|/usr/|' "$tmp/libs" | sort -u) \
  /var/lib/dpkg/info/*.list >"$tmp/owners" || true
while read -r lib; do
  owner=$(awk -v a="${lib#/usr}" -v b="/usr${lib#/usr}" '{
      i = index($0, ".list:"); path = substr($0, i + 6)
      if (path == a || path == b) { n = split(substr($0, 1, i - 1), d, "/"); print d[n]; exit }
    }' "$tmp/owners")
  owner=${owner%%:*}
  [[ -n $owner ]] || fail "the binaries load $lib, which no package owns"
  [[ $names == *" $owner "* ]] || fail "the binaries load $lib from $owner, not in Depends"
done <"$tmp/libs"
echo "ok: Depends names the package of each of the $(wc -l <"$tmp/libs") libraries the binaries load"

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/contents"
for f in /usr/bin/mcast-send /usr/bin/mcast-receive /usr/bin/mcast-status /usr/bin/mcast-exporter \
         /lib/systemd/system/mcast-exporter.service /etc/mcast-tools/mcast-exporter.toml \
         /usr/share/mcast-tools/examples/market-data.toml \
         /usr/share/man/man1/mcast-send.1.gz /usr/share/man/man1/mcast-receive.1.gz \
         /usr/share/man/man1/mcast-status.1.gz /usr/share/man/man8/mcast-exporter.8.gz \
         /usr/share/man/man5/mcast-exporter.toml.5.gz \
         /usr/share/bash-completion/completions/mcast-send \
         /usr/share/bash-completion/completions/mcast-receive \
         /usr/share/bash-completion/completions/mcast-status \
         /usr/share/bash-completion/completions/mcast-exporter \
         /usr/share/doc/mcast-tools/copyright /usr/share/doc/mcast-tools/changelog.gz; do
  grep -qx "$f" "$tmp/contents" || fail "package lacks $f"
done
for dir in dashboards/grafana dashboards/prometheus; do
  # Not the rule unit tests (dashboards/prometheus/tests).
  n=$(cd "$SRC/dashboards" && find "${dir#dashboards/}" -name tests -prune -o -type f -print | wc -l)
  m=$(grep -c "^/usr/share/mcast-tools/$dir/.*[^/]$" "$tmp/contents" || true)
  ((n > 0 && m == n)) || fail "$dir: $m files packaged, $n in the source tree"
done
[[ $(dpkg-deb -I "$deb" conffiles) == /etc/mcast-tools/mcast-exporter.toml ]] ||
  fail "conffiles: $(dpkg-deb -I "$deb" conffiles)"
echo "ok: binaries, unit, conffile, $(grep -c '^/usr/share/mcast-tools/dashboards/.*[^/]$' "$tmp/contents") dashboard/rule files, man pages, completions, copyright, changelog"

# lintian: errors fail, the rest is shown. As root it prints a warning
# about that on stderr; that is all it prints there.
start=$SECONDS
rc=0
lintian --fail-on error --info "$deb" >"$tmp/lintian.log" 2>"$tmp/lintian.err" || rc=$?
cat "$tmp/lintian.log"
((rc == 0)) || { cat "$tmp/lintian.err"; fail "lintian found errors (exit $rc)"; }
! grep -q '^E: ' "$tmp/lintian.log" || fail "lintian printed errors"
echo "ok: lintian: no errors ($(grep -c '^[WIP]: ' "$tmp/lintian.log" || true) other tags, $((SECONDS - start)) s)"

# Install into a scratch root.
root=$tmp/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
cp /var/lib/dpkg/status "$root/var/lib/dpkg/status"
: >"$root/var/lib/dpkg/available"
(cd "$root" && find . -path ./var/lib/dpkg -prune -o -print | sort) >"$tmp/before"
dpkg_root() { dpkg --root="$root" --log="$tmp/dpkg.log" --no-triggers "$@"; }
start=$SECONDS
dpkg_root -i "$deb" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "dpkg -i failed"; }
[[ $(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status} ${Version}' mcast-tools) == \
   "install ok installed $version" ]] || fail "not installed: $(cat "$tmp/install.log")"
echo "ok: dpkg installed it into a scratch root (Depends satisfied on this machine; $((SECONDS - start)) s)"

unit=$root/lib/systemd/system/mcast-exporter.service
grep -qx "ExecStart=/usr/bin/mcast-exporter --config /etc/mcast-tools/mcast-exporter.toml" "$unit" ||
  fail "unit: $(grep ^Exec "$unit")"
grep -qx "ExecStartPre=/usr/bin/mcast-exporter --check-config /etc/mcast-tools/mcast-exporter.toml" "$unit" ||
  fail "unit: $(grep ^Exec "$unit")"
grep -q "^Documentation=man:mcast-exporter(8) " "$unit" || fail "unit: $(grep ^Doc "$unit")"
MANPATH=$root/usr/share/man man -w mcast-exporter | grep -q "/man8/mcast-exporter.8.gz$" ||
  fail "man -w mcast-exporter: $(MANPATH=$root/usr/share/man man -w mcast-exporter 2>&1)"
MANPATH=$root/usr/share/man man -w 5 mcast-exporter.toml >/dev/null || fail "no mcast-exporter.toml(5)"
echo "ok: the unit runs /usr/bin/mcast-exporter on /etc/mcast-tools/mcast-exporter.toml; man finds the pages"

# The installed exporter, as installed: a chroot whose /usr/bin and /etc are
# the package's, on this machine's libraries minus the development symlinks,
# in a mount namespace of its own. The libraries: this machine's folder
# bound read-only at /.host-lib, and the chroot's folder a farm of symlinks
# into it, one per entry but the lib*.so symlinks. With NETNS set it runs in
# that network namespace. /run/tls (read-only) and /run/out are $tmp/tls
# and $tmp/run-out.
libdir=/usr/lib/x86_64-linux-gnu
mkdir "$tmp/lib-farm" "$tmp/view" "$tmp/tls" "$tmp/run-out"
find "$libdir" -mindepth 1 -maxdepth 1 ! \( -type l -name 'lib*.so' \) -printf '%f\n' |
  while read -r n; do ln -s "/.host-lib/$n" "$tmp/lib-farm/$n"; done
for dev in libssl.so libcrypto.so; do
  [[ ! -L $tmp/lib-farm/$dev && -L $tmp/lib-farm/$dev.3 ]] || fail "lib farm: $dev"
done
in_chroot() {
  ${NETNS:+ip netns exec "$NETNS"} unshare --mount --propagation private -- bash -euc '
    root=$1 view=$2 tmp=$3 libdir=$4; shift 4
    mount -t tmpfs tmpfs "$view"
    mkdir -p "$view/usr/bin" "$view$libdir" "$view/.host-lib" "$view/etc" "$view/proc" \
      "$view/dev" "$view/run/tls" "$view/run/out"
    ln -s usr/lib "$view/lib"; ln -s usr/lib/x86_64-linux-gnu "$view/lib64"
    mount --bind -o ro "$libdir" "$view/.host-lib"
    mount --bind -o ro "$tmp/lib-farm" "$view$libdir"
    mount --bind -o ro "$root/usr/bin" "$view/usr/bin"
    mount --bind -o ro "$root/etc" "$view/etc"
    mount --bind -o ro "$tmp/tls" "$view/run/tls"
    mount --bind "$tmp/run-out" "$view/run/out"
    mount --rbind /dev "$view/dev"
    mount -t proc proc "$view/proc"
    exec env -u MCAST_STATE_DIR chroot "$view" "$@"' in_chroot "$root" "$tmp/view" "$tmp" "$libdir" "$@"
}
[[ $(in_chroot /usr/bin/mcast-exporter --version) == "$version" ]] || fail "installed --version"
in_chroot /usr/bin/mcast-exporter --check-config /etc/mcast-tools/mcast-exporter.toml \
  >"$tmp/check.log" 2>&1 || { cat "$tmp/check.log"; fail "--check-config of the installed config failed"; }
rc=0
in_chroot /usr/bin/mcast-exporter --check-config /etc/mcast-tools/missing.toml >/dev/null 2>&1 || rc=$?
((rc == 78)) || fail "--check-config of a missing file exited $rc, not 78 (is the chroot real?)"
echo "ok: mcast-exporter --check-config /etc/mcast-tools/mcast-exporter.toml passes as installed"

# HTTPS from the installed exporter, without libssl-dev's symlinks.
ns=${P}deb
topo_lo "$ns"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=deb-test-ca -keyout "$tmp/ca.key" -out "$tmp/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
  -keyout "$tmp/tls/server.key" -out "$tmp/server.csr" 2>/dev/null
echo "subjectAltName=IP:127.0.0.1" >"$tmp/san.ext"
openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.crt" -CAkey "$tmp/ca.key" -CAcreateserial \
  -days 2 -extfile "$tmp/san.ext" -out "$tmp/tls/server.crt" 2>/dev/null
printf 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n' >"$tmp/tls/web.yml"
NETNS=$ns in_chroot /usr/bin/mcast-exporter --config.file /etc/mcast-tools/mcast-exporter.toml \
  --web.listen-address 127.0.0.1:0 --listen-port-file /run/out/port \
  --web.config.file /run/tls/web.yml 2>"$tmp/exporter.log" &
job=$!  # the subshell running in_chroot; the exporter is its child
track "$job"
end=$((SECONDS + 20))
until [[ -s $tmp/run-out/port ]]; do
  kill -0 "$job" 2>/dev/null && ((SECONDS < end)) ||
    { cat "$tmp/exporter.log"; fail "the installed exporter did not start serving TLS"; }
  sleep 0.1
done
url=https://127.0.0.1:$(<"$tmp/run-out/port")/metrics
code() { in_ns "$ns" curl -s -o "$tmp/body" -w '%{http_code}' --max-time 5 "$@" || true; }
expect_eq "installed exporter over TLS, with the CA" "$(code --cacert "$tmp/ca.crt" "$url")" 200
grep -q '^mcast_tx_packets_total{probe="selftest"' "$tmp/body" ||
  { head -c 2000 "$tmp/body"; fail "no selftest sender metrics over TLS"; }
expect_eq "installed exporter over TLS, without the CA" "$(code "$url")" 000
# The one process in the namespace (each step of in_chroot execs the next).
exporter=$(ip netns pids "$ns")
[[ $exporter =~ ^[0-9]+$ && $(readlink "/proc/$exporter/exe") == */usr/bin/mcast-exporter ]] ||
  fail "processes in $ns: $exporter"
kill -TERM "$exporter"
exits_within 5 "$job" || { cat "$tmp/exporter.log"; fail "the installed exporter did not exit 0"; }
grep -q 'with TLS' "$tmp/exporter.log" || { cat "$tmp/exporter.log"; fail "no TLS start line"; }
echo "ok: the installed exporter serves HTTPS with only libssl3 (no libssl.so/libcrypto.so)"

# Remove keeps the (edited) conffile, purge removes it and everything else.
echo "# edited by the admin" >>"$root/etc/mcast-tools/mcast-exporter.toml"
dpkg_root -r mcast-tools >"$tmp/remove.log" 2>&1 || { cat "$tmp/remove.log"; fail "dpkg -r failed"; }
[[ ! -e $root/usr/bin/mcast-exporter ]] || fail "dpkg -r left the binary"
tail -1 "$root/etc/mcast-tools/mcast-exporter.toml" | grep -q "edited by the admin" ||
  fail "dpkg -r did not keep the edited conffile"
[[ $(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' mcast-tools) == \
   "deinstall ok config-files" ]] || fail "state after -r"
dpkg_root -P mcast-tools >"$tmp/purge.log" 2>&1 || { cat "$tmp/purge.log"; fail "dpkg -P failed"; }
(cd "$root" && find . -path ./var/lib/dpkg -prune -o -print | sort) >"$tmp/after"
diff "$tmp/before" "$tmp/after" || fail "purge left the files above behind"
dpkg-query --admindir="$root/var/lib/dpkg" -W mcast-tools >/dev/null 2>&1 &&
  fail "dpkg still knows mcast-tools after purge"
echo "ok: remove keeps the edited conffile; purge leaves nothing behind"
echo "PASS: the Debian package builds, passes lintian, installs, runs and purges cleanly"
