# shellcheck shell=bash
# The body of mpegts_ffmpeg_test.sh and mpegts_gstreamer_test.sh, which set
# ENCODER (ffmpeg or gstreamer) and source this file.
#
# A real encoder no one here wrote: one ffmpeg (or gst-launch-1.0) encodes a
# generated test source (testsrc / videotestsrc; MPEG-2 video from ffmpeg,
# MPEG-4 part 2 from GStreamer, whose avenc_mpeg2video in Debian 12 rejects
# every frame rate) and sends it,
# through a tee, as MPEG-TS over UDP (7 TS packets per datagram at most) to
# two groups and as TS over RTP (rtp_mpegts / rtpmp2tpay) to two more, on a
# namespace's loopback. One
# group of each pair is impaired by an nftables prerouting rule that drops
# every 10th datagram (the sender does not notice), the other is clean: the
# same stream, whole.
#
# The receiver under test is mcast-receive --decode mpegts --json (its
# "streams" entry: the stream table's TS analyser, TS over RTP with the RTP
# sequence engine too). Ground truth, per group: a second receiver
# (ts_truth.py: Python sockets, its own TS and RTP parser) joined to it gets
# the same datagrams, and nft counts what was sent and what was dropped.
# mcast-receive must count exactly the datagrams, TS packets, CC and PAT
# errors (and, over RTP, the lost sequence numbers) ts_truth.py counts.
# Independently of any receiver of the impaired group, the expected CC
# errors are worked out from the dropped datagrams: ts_truth.py on the clean
# twin removes every 10th datagram of the identical stream itself and counts
# the CC errors that leaves. Sent = received + dropped, both twins were sent
# the same number of datagrams, over RTP the lost sequence numbers and
# the missing TS packets (7 per datagram) match the drops, and the clean
# groups have no CC or PAT error.
#
# MPEGTS_SECONDS (default 2) is the stream length; the CI run keeps it
# short, tests/bench/bench_mpegts.sh runs it with 30.
require_root
require_cmd jq python3 nft
case $ENCODER in
  ffmpeg) require_cmd ffmpeg ;;
  gstreamer)
    require_cmd gst-launch-1.0 gst-inspect-1.0
    for e in videotestsrc avenc_mpeg4 mpeg4videoparse mpegtsmux rtpmp2tpay udpsink; do
      gst-inspect-1.0 "$e" >/dev/null 2>&1 || skip "needs the GStreamer element $e (run .ci/install-deps)"
    done
    ;;
  *) fail "ENCODER must be ffmpeg or gstreamer" ;;
esac

SECONDS_OF_STREAM=${MPEGTS_SECONDS:-2}
ns=${P}lo
topo_lo "$ns"

# name group port rtp? impaired? twin
flows=(
  "udp_drop 239.255.14.11 5000 0 1 udp_clean"
  "rtp_drop 239.255.14.12 5002 1 1 rtp_clean"
  "udp_clean 239.255.14.13 5004 0 0 udp_drop"
  "rtp_clean 239.255.14.14 5006 1 0 rtp_drop"
)

# One chain per port: a counter of every datagram, then (impaired ports)
# a drop of every 10th (the 10th, 20th, ...: never the first).
rules="table inet ${P}ts {"
for f in "${flows[@]}"; do
  read -r name _ port _ impaired _ <<<"$f"
  rules+=" chain $name { type filter hook prerouting priority -300;"
  rules+=" udp dport $port counter;"
  ((impaired)) && rules+=" udp dport $port numgen inc mod 10 == 9 counter drop;"
  rules+=" };"
done
rules+=" }"
in_ns "$ns" nft "$rules"

declare -A truth_pid
idle=$((SECONDS_OF_STREAM > 10 ? 3000 : 1000))
outputs=()
for f in "${flows[@]}"; do
  read -r name group port rtp impaired _ <<<"$f"
  opt=() && ((rtp)) && opt=(--rtp)
  start_receiver "$name" "$ns" "$group" -i lo -p "$port" --decode mpegts
  ((impaired)) || opt+=(--simulate-drop-every 10)
  bg "$ns" python3 "$SRC/tests/integration/ts_truth.py" --group "$group" \
    --port "$port" "${opt[@]}" --idle-ms "$idle" \
    --max-seconds $((SECONDS_OF_STREAM + 30)) >"$WORK/$name.truth"
  truth_pid[$name]=$!
  sink="udpsink host=$group port=$port ttl-mc=1 bind-address=127.0.0.1 sync=false"
  if [[ $ENCODER == gstreamer && $rtp == 1 ]]; then
    outputs+=("t. ! queue ! rtpmp2tpay ! $sink")
  elif [[ $ENCODER == gstreamer ]]; then
    outputs+=("t. ! queue ! $sink")
  elif ((rtp)); then
    outputs+=("[f=rtp_mpegts]rtp://$group:$port?ttl=1&localaddr=127.0.0.1")
  else
    outputs+=("[f=mpegts]udp://$group:$port?pkt_size=1316&ttl=1&localaddr=127.0.0.1")
  fi
done
for f in "${flows[@]}"; do
  read -r name group _ <<<"$f"
  wait_for 15 _joined_more "$ns" "$group" 1 || fail "$name: receivers never joined $group"
done

if [[ $ENCODER == ffmpeg ]]; then
  tee=$(IFS='|'; echo "${outputs[*]}")
  in_ns "$ns" ffmpeg -nostdin -hide_banner -loglevel error -re \
    -f lavfi -i "testsrc=size=320x240:rate=25" -t "$SECONDS_OF_STREAM" \
    -c:v mpeg2video -b:v 1M -map 0:v -f tee "$tee" 2>"$WORK/encoder.err" ||
    { cat "$WORK/encoder.err" >&2; fail "ffmpeg failed"; }
else
  # is-live paces the source at 25 frames/s, as -re does for ffmpeg;
  # alignment=7: 7 TS packets per buffer, so per UDP datagram.
  # shellcheck disable=SC2086,SC2068
  in_ns "$ns" gst-launch-1.0 -q videotestsrc is-live=true \
    num-buffers=$((25 * SECONDS_OF_STREAM)) \
    ! video/x-raw,format=I420,width=320,height=240,framerate=25/1 \
    ! avenc_mpeg4 bitrate=1000000 ! mpeg4videoparse \
    ! mpegtsmux alignment=7 ! tee name=t ${outputs[@]} \
    >"$WORK/encoder.out" 2>"$WORK/encoder.err" ||
    { cat "$WORK/encoder.err" >&2; fail "gst-launch-1.0 failed"; }
fi

# ts_truth.py ends once its group has been idle: mcast-receive has had
# every datagram too, and stops on SIGINT with its JSON.
for f in "${flows[@]}"; do
  read -r name _ <<<"$f"
  exits_within 15 "${truth_pid[$name]}" || fail "$name: ts_truth.py did not finish"
  stop_receiver "$name"
done
# Every check in one Python run (a jq per value takes seconds on a loaded
# machine): the analyser's JSON ($name.json), ts_truth.py's ($name.truth)
# and nft's counters.
in_ns "$ns" nft -j list table inet "${P}ts" >"$WORK/nft.json"
python3 - "$WORK" "${flows[@]}" <<'PY' || fail "see the line above"
import json, sys

work, flows = sys.argv[1], [f.split() for f in sys.argv[2:]]
load = lambda name: json.load(open(f"{work}/{name}"))
counters = {}  # chain -> [packets of each rule's counter]
for item in load("nft.json")["nftables"]:
    rule = item.get("rule")
    if rule:
        counters.setdefault(rule["chain"], []).extend(
            e["counter"]["packets"] for e in rule["expr"] if "counter" in e)

def check(what, got, want):
    if got != want:
        print(f"FAIL: {what}: got {got!r}, expected {want!r}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {what} = {got}")

for name, group, port, rtp, impaired, twin in flows:
    rtp, impaired = rtp == "1", impaired == "1"
    streams, want = load(f"{name}.json")["streams"], load(f"{name}.truth")
    check(f"{name} one stream source", len(streams), 1)
    got = dict(streams[0], datagrams=streams[0]["packets"])
    check(f"{name} kind", got["kind"], "rtp-mpegts" if rtp else "mpegts")
    sent = counters[name][0]
    dropped = counters[name][1] if impaired else 0
    print(f"--- {name}: sent {sent}, dropped {dropped}, received {want['datagrams']}")
    check(f"{name} sent = received + dropped", sent, want["datagrams"] + dropped)
    check(f"{name} sent = its twin's", sent, counters[twin][0])
    check(f"{name} more than 20 datagrams arrived", want["datagrams"] > 20, True)
    for key in ("datagrams", "ts_packets", "continuity_count_errors", "pat_errors",
                "sync_byte_errors", "transport_errors", "duplicate_packets"):
        check(f"{name} {key}", got[key], want[key])
    check(f"{name} misaligned", got["misaligned_datagrams"], 0)
    check(f"{name} rtp header errors", got["rtp_header_errors"], 0)
    cc = got["continuity_count_errors"]
    if impaired:
        sim = load(f"{twin}.truth")["simulated_drop"]
        check(f"{name} something dropped", dropped > 0, True)
        check(f"{name} CC errors = worked out from the dropped datagrams", cc,
              sim["continuity_count_errors"])
        check(f"{name} datagrams = the twin's minus the dropped", got["datagrams"],
              sim["datagrams"])
        # Every dropped datagram carried video payload, so the video PID's
        # next packet shows a gap (a 4-bit counter cannot hide 1-7 packets).
        check(f"{name} CC errors >= drops - 1", cc >= dropped - 1, True)
        if rtp:
            check(f"{name} TS packets missing = 7 per drop",
                  load(f"{twin}.json")["streams"][0]["ts_packets"] - got["ts_packets"],
                  7 * dropped)
            # The last datagram may be the one dropped: nothing shows its loss.
            check(f"{name} RTP lost = drops (or drops - 1, the last)",
                  want["rtp_lost"] in (dropped, dropped - 1), True)
            check(f"{name} RTP lost = ts_truth.py's", got["lost"], want["rtp_lost"])
    else:
        check(f"{name} CC errors without impairment", cc, 0)
        check(f"{name} PAT errors without impairment", got["pat_errors"], 0)
    if rtp:
        check(f"{name} RTP duplicates", got["duplicates"], 0)
        check(f"{name} RTP restarts", got["restarts"], 0)
        if not impaired:
            check(f"{name} RTP lost without impairment", got["lost"], 0)
PY
pass "$ENCODER TS over UDP and RTP: CC errors as worked out from the drops"
