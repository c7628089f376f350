#!/usr/bin/env bash
# GStreamer (videotestsrc, avenc_mpeg4, mpegtsmux, rtpmp2tpay, udpsink)
# as a second real MPEG-TS source for the TS analyser, with every 10th
# datagram of one copy dropped by nftables: see mpegts_encoder.sh.
source "$(dirname "$0")/lib.sh"
ENCODER=gstreamer
source "$(dirname "$0")/mpegts_encoder.sh"
