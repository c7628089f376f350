#ifndef MCAST_STREAMS_RTP_PACKET_H_
#define MCAST_STREAMS_RTP_PACKET_H_

// The RTP fixed header fields a receiver measures (RFC 3550 5.1), read from
// a UDP payload without copying.

#include <cstdint>

#include "absl/types/span.h"

namespace mcast::streams {

struct RtpPacket {
  uint8_t payload_type = 0;
  bool marker = false;
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
};

// False unless the payload starts with a version 2 header whose CSRC list
// and extension fit (streams::RtpHeaderLength > 0).
bool ParseRtpPacket(absl::Span<const uint8_t> payload, RtpPacket* out);

}  // namespace mcast::streams

#endif  // MCAST_STREAMS_RTP_PACKET_H_
