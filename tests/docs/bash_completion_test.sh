#!/usr/bin/env bash
# packaging/bash-completion/mcast-tools.bash, sourced into a plain bash
# (no bash-completion package needed), completes for each of the four
# commands exactly the long options its --help prints (the expected list
# comes from tests/docs/man_pages.py's help parser, not from the completion
# script's own), narrows by prefix, completes values (--log-level choices
# from --help, DSCP names, interfaces, files) and offers no options where a
# value is expected.
set -euo pipefail
SRC=${MCAST_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${MCAST_BIN_DIR:-$SRC/build/ci/src}
COMPLETION=$SRC/packaging/bash-completion/mcast-tools.bash
command -v python3 >/dev/null 2>&1 || { echo "SKIP: needs python3"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# complete WORD... : what <Tab> after the last word offers, one per line.
complete_words() {
  PATH=$BIN:$PATH bash --norc --noprofile -c '
    source "$0" || exit 1
    COMP_WORDS=("${@}"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
    _mcast_tools || exit 1
    printf "%s\n" "${COMPREPLY[@]}"' "$COMPLETION" "$@"
}

for tool in mcast-send mcast-receive mcast-status mcast-exporter; do
  [[ -x $BIN/$tool ]] || fail "$BIN/$tool is not built"
  "$BIN/$tool" --help >"$tmp/help"
  python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import man_pages
print("\n".join(man_pages.help_flags(open(sys.argv[2]).read())))' \
    "$(dirname "$0")" "$tmp/help" | sort >"$tmp/expected"
  [[ $(wc -l <"$tmp/expected") -ge 4 ]] || fail "$tool: too few options in --help"
  complete_words "$tool" -- | sort >"$tmp/offered"
  diff "$tmp/expected" "$tmp/offered" >"$tmp/diff" ||
    { cat "$tmp/diff"; fail "$tool: '--<Tab>' does not offer exactly the --help options (< missing, > extra)"; }
  PATH=$BIN:$PATH bash --norc --noprofile -c 'source "$0"; complete -p "$1"' "$COMPLETION" "$tool" |
    grep -q -- "-F _mcast_tools $tool\$" || fail "$tool: no completion registered"
  echo "ok: $tool: --<Tab> offers its $(wc -l <"$tmp/expected") long options"
done

expect() {  # EXPECTED-WORDS -- WORD...
  local want=$1; shift 2
  local got
  got=$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')
  [[ $got == "$want" ]] || fail "'$*<Tab>' offers '$got', expected '$want'"
  echo "ok: '$*<Tab>' -> '$got'"
}
expect "--no-loopback" -- mcast-send --no
expect "error warn warning notice info debug" -- mcast-exporter --log-level ""
expect "warn warning" -- mcast-exporter --log-level = w
expect "ef" -- mcast-send --dscp e
expect "1 2 3" -- mcast-receive --igmp-version ""
expect "" -- mcast-send --rate ""
expect "" -- mcast-send --rate -
expect "lo" -- mcast-send -i l
touch "$tmp/probes.toml" "$tmp/other"
expect "$tmp/probes.toml" -- mcast-exporter --check-config "$tmp/pr"
mkdir "$tmp/state"
expect "$tmp/state" -- mcast-receive --state-dir "$tmp/s"
# --mesh-member offers the member names of the -c file's [[mesh]] tables.
cat >"$tmp/mesh.toml" <<'TOML'
[[sender]]
name = "not-a-member"
group = "239.1.1.1"
[[mesh]]
name = "studios"
group = "239.77.0.1"
[[mesh.member]]
name = "studio-a"
address = "10.77.0.1"
[[mesh.member]]
  name = "studio-b"
address = "10.77.0.2"
[[mesh.member]]
address = "10.77.0.3"
name="lab-c"
TOML
expect "studio-a studio-b" -- mcast-exporter -c "$tmp/mesh.toml" --mesh-member st
expect "lab-c" -- mcast-exporter -c "$tmp/mesh.toml" --mesh-member l
echo "PASS: bash completion of the four commands"
