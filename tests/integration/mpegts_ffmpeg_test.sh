#!/usr/bin/env bash
# ffmpeg (lavfi testsrc, mpegts with pkt_size=1316 and rtp_mpegts) as a real
# MPEG-TS source for the TS analyser, with every 10th datagram of one copy
# dropped by nftables: see mpegts_encoder.sh.
source "$(dirname "$0")/lib.sh"
ENCODER=ffmpeg
source "$(dirname "$0")/mpegts_encoder.sh"
