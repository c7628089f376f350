#!/usr/bin/env bash
# The man pages (src/cmd/man) cannot drift from the binaries:
# - every long option that each tool's --help prints has a .TP entry in the
#   OPTIONS section of its page, and every option tagged there is one that
#   --help prints (tests/docs/man_pages.py flags);
# - every key the config loader accepts, in every table, has a .TP entry in
#   mcast-exporter.toml(5) (man_pages.py keys): the key lists are the
#   loader's own, from its "unknown key (allowed: ...)" errors for a file
#   with an unknown key in each table.
# Nothing below lists flags or keys, so adding one (e.g. the --web.* flags
# or new [exporter] keys) needs only its page entry to stay green. A new
# *nested* table (say [exporter.tls]) needs one line in probe.toml below,
# and a section titled "[exporter.tls]" in mcast-exporter.toml(5).
# The roff must also render without groff warnings (man --warnings), and
# each check must catch a missing entry (the must_fail cases).
set -euo pipefail
SRC=${MCAST_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${MCAST_BIN_DIR:-$SRC/build/ci/src}
CHECK="$(dirname "$0")/man_pages.py"
MAN=$SRC/src/cmd/man
command -v python3 >/dev/null 2>&1 || { echo "SKIP: needs python3"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

declare -A page=([mcast-send]=mcast-send.1 [mcast-receive]=mcast-receive.1
                 [mcast-status]=mcast-status.1 [mcast-exporter]=mcast-exporter.8)
for tool in mcast-send mcast-receive mcast-status mcast-exporter; do
  [[ -x $BIN/$tool ]] || { echo "FAIL: $BIN/$tool is not built" >&2; exit 1; }
  "$BIN/$tool" --help >"$tmp/$tool.help"
  python3 "$CHECK" flags "$MAN/${page[$tool]}" "$tmp/$tool.help"
done

cat >"$tmp/probe.toml" <<'TOML'
zz_not_a_key = 1
[exporter]
zz_not_a_key = 1
[defaults]
zz_not_a_key = 1
[[sender]]
zz_not_a_key = 1
[[receiver]]
zz_not_a_key = 1
[[mesh]]
zz_not_a_key = 1
[[mesh.member]]
zz_not_a_key = 1
TOML
rc=0
"$BIN/mcast-exporter" --check-config "$tmp/probe.toml" 2>"$tmp/keys.out" || rc=$?
[[ $rc == 78 ]] || { cat "$tmp/keys.out"; echo "FAIL: --check-config exit $rc, not 78" >&2; exit 1; }
python3 "$CHECK" keys "$MAN/mcast-exporter.toml.5" "$tmp/keys.out"

if command -v man >/dev/null 2>&1; then
  for f in "$MAN"/*.[1-8]; do
    LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$f" >/dev/null 2>"$tmp/warn"
    if [[ -s $tmp/warn ]]; then cat "$tmp/warn"; echo "FAIL: $f renders with warnings" >&2; exit 1; fi
  done
  echo "ok: every page renders without groff warnings"
fi

must_fail() {  # WHAT MODE PAGE OTHER-FILE [SED-ON-PAGE]
  local what=$1 mode=$2 src=$3 other=$4 change=${5:-}
  cp "$src" "$tmp/page"
  if [[ -n $change ]]; then
    sed -E "$change" "$src" >"$tmp/page"
    cmp -s "$src" "$tmp/page" && { echo "FAIL: '$what': the change changed nothing" >&2; exit 1; }
  fi
  if python3 "$CHECK" "$mode" "$tmp/page" "$other" >"$tmp/out" 2>&1; then
    cat "$tmp/out"; echo "FAIL: the check accepted $what" >&2; exit 1
  fi
  echo "ok: rejects $what: $(head -1 "$tmp/out")"
}
must_fail "an option without its entry" flags "$MAN/mcast-send.1" "$tmp/mcast-send.help" \
  '/^\.B \\-\\-no\\-loopback$/d'
must_fail "an option only mentioned in another entry's text" flags "$MAN/mcast-exporter.8" \
  "$tmp/mcast-exporter.help" 's/^\.BI \\-\\-listen\\-port\\-file " FILE"$/.BI \\-\\-listen\\-port " FILE"/'
must_fail "a documented option --help does not print" flags "$MAN/mcast-status.1" \
  "$tmp/mcast-status.help" 's/^\.B \\-\\-json$/.B \\-\\-json\\-lines/'
sed 's/^  --json /  --web.listen-address /' "$tmp/mcast-status.help" >"$tmp/grown.help"
cmp -s "$tmp/mcast-status.help" "$tmp/grown.help" && { echo "FAIL: grown help unchanged" >&2; exit 1; }
must_fail "a new --help option (dotted) the page lacks" flags "$MAN/mcast-status.1" "$tmp/grown.help"
must_fail "a config key without its entry" keys "$MAN/mcast-exporter.toml.5" "$tmp/keys.out" \
  '/^\.B sender_expiry$/d'
must_fail "an [exporter] key misspelt in the page" keys "$MAN/mcast-exporter.toml.5" \
  "$tmp/keys.out" 's/^\.B memory_limit$/.B memory_limit_moved/'
sed 's/(allowed: listen, /(allowed: listen, tls_cert_file, /' "$tmp/keys.out" >"$tmp/grown.out"
cmp -s "$tmp/keys.out" "$tmp/grown.out" && { echo "FAIL: grown key list unchanged" >&2; exit 1; }
must_fail "a new loader key the page lacks" keys "$MAN/mcast-exporter.toml.5" "$tmp/grown.out"
echo "PASS: man pages document every --help option and config key"
