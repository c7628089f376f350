#include "streams/rtp_packet.h"

#include "streams/mpegts_analyzer.h"

namespace mcast::streams {

bool ParseRtpPacket(absl::Span<const uint8_t> p, RtpPacket* out) {
  if (RtpHeaderLength(p) == 0) return false;
  out->marker = (p[1] & 0x80) != 0;
  out->payload_type = p[1] & 0x7F;
  out->sequence = static_cast<uint16_t>(p[2] << 8 | p[3]);
  out->timestamp = static_cast<uint32_t>(p[4]) << 24 |
                   static_cast<uint32_t>(p[5]) << 16 |
                   static_cast<uint32_t>(p[6]) << 8 | p[7];
  out->ssrc = static_cast<uint32_t>(p[8]) << 24 |
              static_cast<uint32_t>(p[9]) << 16 |
              static_cast<uint32_t>(p[10]) << 8 | p[11];
  return true;
}

}  // namespace mcast::streams
