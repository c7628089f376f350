#include "streams/stream_snapshot.h"

namespace mcast::streams {

const char* StreamKindName(StreamKind kind) {
  switch (kind) {
    case StreamKind::kUnknown:
      return "unknown";
    case StreamKind::kProbe:
      return "probe";
    case StreamKind::kRtp:
      return "rtp";
    case StreamKind::kMpegTsUdp:
      return "mpegts";
    case StreamKind::kMpegTsRtp:
      return "rtp-mpegts";
    case StreamKind::kSequenced:
      return "seq";
    case StreamKind::kMoldUdp64:
      return "moldudp64";
  }
  return "unknown";
}

const char* StreamKindLabel(StreamKind kind) {
  switch (kind) {
    case StreamKind::kUnknown:
      return "unknown";
    case StreamKind::kProbe:
      return "probe";
    case StreamKind::kRtp:
      return "RTP";
    case StreamKind::kMpegTsUdp:
      return "MPEG-TS";
    case StreamKind::kMpegTsRtp:
      return "RTP/MPEG-TS";
    case StreamKind::kSequenced:
      return "sequenced";
    case StreamKind::kMoldUdp64:
      return "MoldUDP64";
  }
  return "unknown";
}

bool StreamKindSequenced(StreamKind kind) {
  return kind == StreamKind::kRtp || kind == StreamKind::kMpegTsRtp ||
         kind == StreamKind::kSequenced || kind == StreamKind::kMoldUdp64;
}

}  // namespace mcast::streams
