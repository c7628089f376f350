#include "streams/moldudp64_packet.h"

#include <algorithm>

namespace mcast::streams {

bool ParseMoldUdp64Packet(absl::Span<const uint8_t> p, MoldUdp64Packet* out) {
  if (p.size() < kMoldUdp64HeaderSize) return false;
  std::copy(p.begin(), p.begin() + 10, out->session.begin());
  uint64_t seq = 0;
  for (size_t i = 10; i < 18; ++i) seq = seq << 8 | p[i];
  out->sequence = seq;
  out->count = static_cast<uint16_t>(p[18] << 8 | p[19]);
  if (out->heartbeat()) return true;
  // Walk the message blocks: the count must match what the datagram holds.
  size_t at = kMoldUdp64HeaderSize;
  for (uint32_t i = 0; i < out->count; ++i) {
    if (p.size() - at < 2) return false;
    const size_t length = static_cast<size_t>(p[at] << 8 | p[at + 1]);
    at += 2;
    if (p.size() - at < length) return false;
    at += length;
  }
  return true;
}

}  // namespace mcast::streams
