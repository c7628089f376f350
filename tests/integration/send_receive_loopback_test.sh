#!/usr/bin/env bash
# One namespace, sender and receiver on its loopback: every packet arrives,
# exactly once, with the TTL (hop limit) and DSCP (traffic class) the
# sender set; a Python socket on the same group sees the same hop limit and
# traffic class from the kernel.
# families: 4 6
source "$(dirname "$0")/lib.sh"
require_root
require_cmd jq

ns=${P}lo
topo_lo "$ns"

G=$(by_family 239.255.10.1 ff3e::8000:1)
start_receiver rx "$ns" "$G" -i lo
users=$(group_users "$ns" "$G")
in_ns "$ns" python3 "$SRC/tests/integration/mcast_hops.py" "$G" 19779 lo 500 \
  >"$WORK/py.txt" 2>"$WORK/py.err" &
py=$!
track $py
wait_joined "$ns" "$G" "$users"
in_ns "$ns" "$BIN/mcast-send" "$G" 2 7 --rate 250pps --dscp af41 -i lo --json \
  >"$WORK/tx.json"
sleep 0.5
stop_receiver rx
exits_within 5 "$py" || { cat "$WORK/py.err" >&2; fail "python receiver did not get 500 packets"; }
# af41 = 34: the TOS / traffic class byte is 34 << 2 = 136.
expect_eq "kernel (python): packets hops tclass" "$(cat "$WORK/py.txt")" "500 7 136"

expect_eq "sender packets" "$(jq -r .packets "$WORK/tx.json")" 500
expect_eq "sender errors" "$(jq -r .errors "$WORK/tx.json")" 0
expect_eq "sender interface" "$(jq -r .interface "$WORK/tx.json")" lo
expect_eq "senders seen" "$(rx rx '.senders | length')" 1
expect_eq "received" "$(rx rx '.totals.packets')" 500
expect_eq "unique" "$(rx rx '.totals.unique')" 500
expect_eq "lost" "$(rx rx '.totals.lost')" 0
expect_eq "duplicates" "$(rx rx '.totals.duplicates')" 0
expect_eq "reordered" "$(rx rx '.totals.reordered')" 0
expect_eq "ttl" "$(rx rx '.senders[0].ttl')" 7
expect_eq "sender ttl" "$(rx rx '.senders[0].sender_ttl')" 7
expect_eq "hops" "$(rx rx '.senders[0].hops')" 0
expect_eq "dscp" "$(rx rx '.senders[0].dscp')" af41
expect_eq "dscp remarked" "$(rx rx '.totals.dscp_remarked')" 0
expect_eq "sender id matches" "$(rx rx '.senders[0].sender_id')" "$(jq -r .sender_id "$WORK/tx.json")"
expect_eq "last seq" "$(rx rx '.senders[0].last_seq')" 499
expect_eq "run finished flag" "$(rx rx '.senders[0].finished')" true
expect_eq "interface" "$(rx rx '.interface')" lo
pass "loopback exchange is exact ($(by_family IPv4 IPv6))"
