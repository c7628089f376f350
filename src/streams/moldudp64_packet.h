#ifndef MCAST_STREAMS_MOLDUDP64_PACKET_H_
#define MCAST_STREAMS_MOLDUDP64_PACKET_H_

// The MoldUDP64 downstream packet header (NASDAQ MoldUDP64 1.00): a 10-byte
// session, the 64-bit sequence number of the first message and a 16-bit
// message count, all big-endian, then `count` message blocks (2-byte length
// + data). The next expected sequence number is sequence + count. Count 0
// is a heartbeat (its sequence is the next expected one; nothing advances);
// 0xFFFF is the end of the session (a heartbeat too).

#include <array>
#include <cstddef>
#include <cstdint>

#include "absl/types/span.h"

namespace mcast::streams {

inline constexpr size_t kMoldUdp64HeaderSize = 20;
inline constexpr uint16_t kMoldUdp64EndOfSession = 0xFFFF;

struct MoldUdp64Packet {
  std::array<uint8_t, 10> session{};
  uint64_t sequence = 0;
  uint16_t count = 0;
  bool heartbeat() const { return count == 0 || end_of_session(); }
  bool end_of_session() const { return count == kMoldUdp64EndOfSession; }
};

// False when the payload is shorter than the header, or when the message
// blocks it announces do not fit (each needs at least its 2-byte length,
// and the lengths must stay within the datagram).
bool ParseMoldUdp64Packet(absl::Span<const uint8_t> payload,
                          MoldUdp64Packet* out);

}  // namespace mcast::streams

#endif  // MCAST_STREAMS_MOLDUDP64_PACKET_H_
