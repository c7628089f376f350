# bash completion for mcast-send, mcast-receive, mcast-status and
# mcast-exporter (installed once per command name in
# /usr/share/bash-completion/completions, where bash-completion loads it
# on the first <Tab>; or source it from ~/.bashrc).
#
# The options are the ones the command's own --help prints (read once per
# command and shell), so a new flag completes without a change here; value
# choices that --help prints as TEXT:{a,b} complete too. Only the values
# --help cannot tell (interfaces, DSCP names, files) are listed below.
# tests/docs/bash_completion_test.sh checks both against the binaries.

declare -gA _mcast_tools_help_cache

# Prints the help of command $1 (cached).
_mcast_tools_help() {
  if [[ -z ${_mcast_tools_help_cache[$1]+set} ]]; then
    _mcast_tools_help_cache[$1]=$("$1" --help 2>/dev/null)
  fi
  printf '%s\n' "${_mcast_tools_help_cache[$1]}"
}

_mcast_tools() {
  local cmd=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]}
  local prev=
  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
  # --flag=value: bash splits it into --flag, = and value.
  if [[ $cur == = ]]; then
    cur=
  fi
  if [[ $prev == = ]] && ((COMP_CWORD > 1)); then
    prev=${COMP_WORDS[COMP_CWORD - 2]}
  elif [[ ${COMP_WORDS[COMP_CWORD]} == = ]]; then
    prev=${COMP_WORDS[COMP_CWORD - 1]}
  fi
  COMPREPLY=()

  # Option lines of CLI11's help, indented by exactly two spaces (the
  # footer's examples are indented further): "  -c,--config TEXT=... description".
  local help line names spec
  help=$(_mcast_tools_help "$cmd")
  local -a flags=() value_flags=()
  local -A choices=()
  while IFS= read -r line; do
    [[ $line =~ ^\ \ (-[^[:space:]]+)(\ ([A-Z][A-Z]*[^[:space:]]*))? ]] || continue
    names=${BASH_REMATCH[1]}
    spec=${BASH_REMATCH[3]}
    local name
    for name in ${names//,/ }; do
      flags+=("$name")
      if [[ -n $spec ]]; then
        value_flags+=("$name")
        if [[ $spec =~ :\{([^}]*)\} ]]; then
          choices[$name]=${BASH_REMATCH[1]//,/ }
        fi
      fi
    done
  done <<<"$help"

  if [[ -n $prev && " ${value_flags[*]} " == *" $prev "* ]]; then
    case $prev in
      -i | --interface)
        local ifaces
        ifaces=$(command ls /sys/class/net 2>/dev/null)
        mapfile -t COMPREPLY < <(compgen -W "$ifaces" -- "$cur")
        ;;
      -d | --dscp)
        mapfile -t COMPREPLY < <(compgen -W "be ef va af11 af12 af13 af21 af22 af23 \
          af31 af32 af33 af41 af42 af43 cs0 cs1 cs2 cs3 cs4 cs5 cs6 cs7" -- "$cur")
        ;;
      --clock) mapfile -t COMPREPLY < <(compgen -W "monotonic realtime" -- "$cur") ;;
      -v | --igmp-version) mapfile -t COMPREPLY < <(compgen -W "1 2 3" -- "$cur") ;;
      --mld-version) mapfile -t COMPREPLY < <(compgen -W "1 2" -- "$cur") ;;
      --mesh-member)
        # The member names of the config's [[mesh]] tables (-c/--config,
        # else the default file).
        local conf=/etc/mcast-tools/mcast-exporter.toml i
        for ((i = 1; i < COMP_CWORD; i++)); do
          case ${COMP_WORDS[i]} in
            -c | --config | --config.file) conf=${COMP_WORDS[i + 1]} ;;
          esac
        done
        local members
        members=$(awk '/^[[:space:]]*\[\[mesh\.member\]\]/ { m = 1; next }
          /^[[:space:]]*\[/ { m = 0 }
          m && /^[[:space:]]*name[[:space:]]*=/ {
            sub(/^[^"]*"/, ""); sub(/".*/, ""); print }' "$conf" 2>/dev/null)
        mapfile -t COMPREPLY < <(compgen -W "$members" -- "$cur")
        ;;
      --state-dir)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        ;;
      *file* | *config*)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        ;;
      *)
        if [[ -n ${choices[$prev]+set} ]]; then
          mapfile -t COMPREPLY < <(compgen -W "${choices[$prev]}" -- "$cur")
        fi
        # Anything else is a value (rate, size, address...): no options.
        ;;
    esac
    return 0
  fi
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "${flags[*]}" -- "$cur")
  fi
  return 0
}

complete -F _mcast_tools mcast-send mcast-receive mcast-status mcast-exporter
