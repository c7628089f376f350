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
# Remove keeps an edited conffile, purge removes it, and nothing of the
# package is left in the root. Everything lives under one temporary
# directory and the mount namespace ends with its process, so a failure at
# any point leaves the machine as it was (the EXIT trap removes the
# directory).
set -euo pipefail
SRC=${MCAST_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${MCAST_BIN_DIR:-$SRC/build/ci/src}
BUILD=$(dirname "$BIN")
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ $(id -u) == 0 ]] || { echo "SKIP: needs root (dpkg --root, chroot in a mount namespace)"; exit 77; }
for c in cpack dpkg dpkg-deb dpkg-parsechangelog lintian unshare chroot ldd; do
  command -v "$c" >/dev/null 2>&1 || fail "needs $c (.ci/install-deps)"
done
[[ -f $BUILD/CPackConfig.cmake ]] || fail "$BUILD/CPackConfig.cmake missing: configure first"

tmp=$(mktemp -d /tmp/mcast-deb-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

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
# the package's, on this machine's libraries, in a mount namespace of its own.
in_chroot() {
  unshare --mount --propagation private -- bash -euc '
    root=$1 view=$2; shift 2
    mount -t tmpfs tmpfs "$view"
    mkdir -p "$view/usr/bin" "$view/usr/lib/x86_64-linux-gnu" "$view/etc" "$view/proc" "$view/dev"
    ln -s usr/lib "$view/lib"; ln -s usr/lib/x86_64-linux-gnu "$view/lib64"
    mount --bind -o ro /usr/lib/x86_64-linux-gnu "$view/usr/lib/x86_64-linux-gnu"
    mount --bind -o ro "$root/usr/bin" "$view/usr/bin"
    mount --bind -o ro "$root/etc" "$view/etc"
    mount --rbind /dev "$view/dev"
    mount -t proc proc "$view/proc"
    exec chroot "$view" "$@"' in_chroot "$root" "$tmp/view" "$@"
}
mkdir "$tmp/view"
[[ $(in_chroot /usr/bin/mcast-exporter --version) == "$version" ]] || fail "installed --version"
in_chroot /usr/bin/mcast-exporter --check-config /etc/mcast-tools/mcast-exporter.toml \
  >"$tmp/check.log" 2>&1 || { cat "$tmp/check.log"; fail "--check-config of the installed config failed"; }
rc=0
in_chroot /usr/bin/mcast-exporter --check-config /etc/mcast-tools/missing.toml >/dev/null 2>&1 || rc=$?
((rc == 78)) || fail "--check-config of a missing file exited $rc, not 78 (is the chroot real?)"
echo "ok: mcast-exporter --check-config /etc/mcast-tools/mcast-exporter.toml passes as installed"

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
