#ifndef MCAST_PACKET_HEADER_H_
#define MCAST_PACKET_HEADER_H_

// The mcast-tools probe header: the first 32 bytes of every probe datagram.
// It is a wire contract shared with other implementations and captures, so
// every field is big-endian at a fixed offset:
//
//   0  magic "MCAS"        12  sequence number (8)
//   4  version (1)         20  send timestamp, ns (8)
//   5  flags               28  target interval between packets, us (4)
//   6  sender TTL          32  padding 0xA5 up to the datagram size
//   7  sender DSCP
//   8  sender id (4)
//
// A datagram that is too short, has another magic or version, or carries a
// field that no sender writes (DSCP > 63, sender id 0) is *foreign*: it is
// counted and otherwise ignored, never trusted.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/types/span.h"

namespace mcast::packet {

inline constexpr std::array<uint8_t, 4> kMagic = {0x4D, 0x43, 0x41, 0x53};
inline constexpr uint8_t kVersion = 1;
inline constexpr size_t kHeaderSize = 32;
inline constexpr uint8_t kPaddingByte = 0xA5;
inline constexpr uint16_t kDefaultPort = 19779;  // 0x4D43, "MC"
// Largest UDP payload in an IPv4 datagram.
inline constexpr size_t kMaxDatagramSize = 65507;

// Flag bits (offset 5).
inline constexpr uint8_t kFlagLastPacket = 0x01;
inline constexpr uint8_t kFlagRealtimeClock = 0x02;

struct Header {
  uint8_t version = kVersion;
  uint8_t flags = 0;
  uint8_t ttl = 0;
  uint8_t dscp = 0;
  uint32_t sender_id = 0;
  uint64_t sequence = 0;
  uint64_t timestamp_ns = 0;
  uint32_t interval_us = 0;

  bool last_packet() const { return flags & kFlagLastPacket; }
  bool realtime_clock() const { return flags & kFlagRealtimeClock; }

  friend bool operator==(const Header&, const Header&) = default;
};

// Why a datagram was not accepted as a probe packet.
enum class DecodeResult {
  kOk,
  kTooShort,
  kBadMagic,
  kBadVersion,
  kBadField,  // DSCP > 63 or sender id 0: no mcast-tools sender writes that.
};

std::string_view DecodeResultName(DecodeResult result);

// Writes the 32-byte header into out[0..32). `out` must hold kHeaderSize.
void EncodeHeader(const Header& header, absl::Span<uint8_t> out);

// Fills `out` with a full datagram: header then padding. Returns false (and
// writes nothing) when out.size() < kHeaderSize.
bool EncodeDatagram(const Header& header, absl::Span<uint8_t> out);

// Updates only the fields that change from one packet to the next (flags,
// sequence, timestamp) in an already encoded datagram, so the sender does
// not rewrite padding on its hot path.
void PatchHeader(uint8_t flags, uint64_t sequence, uint64_t timestamp_ns,
                 absl::Span<uint8_t> datagram);

// Parses a received datagram. Never reads past data.size().
DecodeResult DecodeHeader(absl::Span<const uint8_t> data, Header* out);

}  // namespace mcast::packet

#endif  // MCAST_PACKET_HEADER_H_
