#!/usr/bin/env bash
# The twohop lab is dual-stack, checked without mcast-tools: a Python
# receiver (kernel hop limit and traffic class per packet) and the probe
# injector, so a failure here is the lab's, not the tools'. IPv6 unicast
# crosses both routers; routed IPv6 multicast arrives with hop limit 62 over
# r1 -> r2 and 61 over r1 -> r3 -> r2, every packet counted by the kernel's
# MRT6 cache; the ip6 impairments act on exactly the packets they count.
source "$(dirname "$0")/lab.sh"
require_root
require_cmd jq smcrouted smcroutectl nft python3 curl
lab_test_up twohop
lab_family 6
G=$LAB_F_GROUP_SSM S=$LAB_F_SRC1 A=$LAB_F_GROUP_ASM

# listen NAME GROUP COUNT [SOURCE]: the stand-in receiver in the background
# (Python starts slowly: start several, then joined NAME... once); its JSON
# goes to $WORK/NAME.json.
declare -A LISTENERS LISTEN_GROUPS
listen() {
  local name=$1 group=$2 count=$3
  ip netns exec "$LAB_RCV" python3 "$LAB_HOME/mcast_listen.py" --group "$group" \
    ${4:+--source "$4"} --interface rcv-eth0 --count "$count" \
    >"$WORK/$name.json" &
  LISTENERS[$name]=$!
  LISTEN_GROUPS[$name]=$group
  track $!
}
# joined NAME...: until each listener's group has a member (each listens
# to a group of its own).
joined() {
  local name
  for name in "$@"; do wait_joined "$LAB_RCV" "${LISTEN_GROUPS[$name]}"; done
}
# finished NAME...: wait for these listeners to end (in this shell: a
# command substitution cannot wait for its parent's children).
finished() {
  local name
  for name in "$@"; do wait "${LISTENERS[$name]}" || fail "listener $name failed"; done
}
# heard NAME JQ_EXPR: a value (compact JSON) from a finished listener's JSON.
heard() { jq -c "$2" "$WORK/$1.json"; }
# mr6_packets NS SOURCE GROUP: packets the kernel forwarded for (S,G).
mr6_packets() {
  ip -n "$1" -6 -s mroute show | awk -v sg="($2,$3)" '
    $1 == sg { want = 1; next }
    want && /packets/ { print $1; exit }'
}

log "IPv6 unicast across r1 and r2; listeners for (S,G) and for G on the short path"
bg "$LAB_RCV" python3 -m http.server --bind "$LAB_F_RCV_ADDR" 8080 --directory "$WORK" \
  >/dev/null 2>&1
listen ssm "$G" 200 "$S"
listen asm "$A" 200
echo dual >"$WORK/hello"
wait_for 10 in_ns "$LAB_SND" curl -gsf --max-time 1 -o "$WORK/got" \
  "http://[$LAB_F_RCV_ADDR]:8080/hello" || fail "no HTTP over IPv6 from snd to rcv"
expect_eq "HTTP body over IPv6" "$(<"$WORK/got")" dual

log "IPv6 multicast, short path: 200 (S,G) packets, hop limit 64, EF; ASM 100 from each source"
joined ssm asm
lab_inject --group "$G" --source "$S" --interface snd-eth0 --ttl 64 --dscp 46 \
  --order 0-199 --interval-ms 2 &
one=$!
lab_inject --group "$A" --source "$S" --interface snd-eth0 --ttl 64 --order 0-99 --interval-ms 2 &
two=$!
lab_inject --group "$A" --source "$LAB_F_SRC2" --interface snd-eth0 --ttl 64 --order 0-99 \
  --interval-ms 2
wait "$one"
wait "$two"
finished ssm asm
expect_eq "SSM packets" "$(heard ssm .packets)" 200
expect_eq "SSM hop limits" "$(heard ssm .hop_limit)" '{"62":200}'
expect_eq "SSM traffic classes (EF)" "$(heard ssm .tclass)" '{"184":200}'
expect_eq "SSM sources" "$(heard ssm .sources)" "{\"$S\":200}"
expect_eq "SSM sequences" "$(heard ssm .sequences)" '[0,199]'
expect_eq "r1 forwarded (S,G) (MRT6 cache)" "$(mr6_packets "$LAB_R1" "$S" "$G")" 200
expect_eq "r2 forwarded (S,G) (MRT6 cache)" "$(mr6_packets "$LAB_R2" "$S" "$G")" 200
expect_eq "ASM sources" "$(heard asm '.sources | to_entries | map(.value)')" '[100,100]'
expect_eq "ASM hop limits" "$(heard asm .hop_limit)" '{"62":200}'

log "long path, r1 remarks every 4th to CS1, r2 drops count mod 20 == 10"
listen long "$G" 190 "$S"
lab_path long
impair_remark "$LAB_R1" cs1 4
impair_loss_every "$LAB_R2" 20 10
joined long
lab_inject --group "$G" --source "$S" --interface snd-eth0 --ttl 64 --dscp 46 \
  --order 0-199 --interval-ms 2
finished long
expect_eq "packets (200 - 10 dropped)" "$(heard long .packets)" 190
expect_eq "hop limits over r1, r3, r2" "$(heard long .hop_limit)" '{"61":190}'
# The remarked numbers (0, 4, 8, ...) never meet the dropped ones (10, 30, ...).
expect_eq "traffic classes (CS1 = 32)" "$(heard long '.tclass | to_entries | sort_by(.key)')" \
  '[{"key":"184","value":140},{"key":"32","value":50}]'
expect_eq "r1 remarked (nft ip6 counter)" "$(impair_count "$LAB_R1" remark)" 50
expect_eq "r2 dropped (nft ip6 counter)" "$(impair_count "$LAB_R2" loss)" 10
expect_eq "r3 forwarded (S,G) (MRT6 cache)" "$(mr6_packets "$LAB_R3" "$S" "$G")" 200
pass "twohop is dual-stack: IPv6 unicast, routed multicast with hop limit 62 / 61, ip6 impairments"
