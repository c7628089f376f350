#ifndef MCAST_TESTS_UNIT_TS_PACKET_BUILDER_H_
#define MCAST_TESTS_UNIT_TS_PACKET_BUILDER_H_

// Hand-built MPEG-TS packets (ISO/IEC 13818-1 2.4.3) and RTP wrappers for
// the analyser's tests, fuzz seeds and benchmark. Written from the standard,
// independently of src/streams/.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace mcast::ts_test {

struct TsSpec {
  uint16_t pid = 0x100;
  uint8_t cc = 0;
  bool payload = true;         // adaptation_field_control bit 0
  bool adaptation = false;     // adaptation_field_control bit 1
  bool discontinuity = false;  // implies adaptation
  bool tei = false;
  bool unit_start = false;
  uint8_t scrambling = 0;
  uint8_t sync = 0x47;
  int table_id = -1;  // >= 0: a section start (pointer_field 0) with it.
};

inline std::array<uint8_t, 188> TsPacket(const TsSpec& s) {
  std::array<uint8_t, 188> p;
  p.fill(0xFF);
  const bool adaptation = s.adaptation || s.discontinuity;
  const bool unit_start = s.unit_start || s.table_id >= 0;
  p[0] = s.sync;
  p[1] = static_cast<uint8_t>((s.tei ? 0x80 : 0) | (unit_start ? 0x40 : 0) |
                              ((s.pid >> 8) & 0x1F));
  p[2] = static_cast<uint8_t>(s.pid & 0xFF);
  p[3] =
      static_cast<uint8_t>((s.scrambling & 3) << 6 | (adaptation ? 0x20 : 0) |
                           (s.payload ? 0x10 : 0) | (s.cc & 0x0F));
  size_t at = 4;
  if (adaptation) {
    // With payload: a 2-byte field (flags + one stuffing byte); without,
    // the field fills the packet (length 183).
    const uint8_t length = s.payload ? 2 : 183;
    p[4] = length;
    p[5] = s.discontinuity ? 0x80 : 0x00;
    at = 5 + length;
  }
  if (s.payload && s.table_id >= 0) {
    p[at] = 0;  // pointer_field
    p[at + 1] = static_cast<uint8_t>(s.table_id);
    p[at + 2] = 0xB0;  // section_syntax_indicator, length 13
    p[at + 3] = 13;
  } else if (s.payload) {
    for (size_t i = at; i < p.size(); ++i) p[i] = static_cast<uint8_t>(i);
  }
  return p;
}

inline std::vector<uint8_t> TsDatagram(std::initializer_list<TsSpec> specs) {
  std::vector<uint8_t> d;
  for (const TsSpec& s : specs) {
    const auto p = TsPacket(s);
    d.insert(d.end(), p.begin(), p.end());
  }
  return d;
}

// An RTP (RFC 3550) header with `csrcs` CSRC entries, an extension of
// `extension_words` 32-bit words when >= 0, and `padding` bytes at the end.
inline std::vector<uint8_t> RtpWrap(const std::vector<uint8_t>& ts,
                                    uint16_t sequence, int csrcs = 0,
                                    int extension_words = -1,
                                    uint8_t padding = 0,
                                    uint8_t payload_type = 33) {
  std::vector<uint8_t> d = {
      static_cast<uint8_t>(0x80 | (padding ? 0x20 : 0) |
                           (extension_words >= 0 ? 0x10 : 0) | (csrcs & 0x0F)),
      payload_type,
      static_cast<uint8_t>(sequence >> 8),
      static_cast<uint8_t>(sequence),
      0,
      0,
      0x12,
      0x34,  // timestamp
      0xCA,
      0xFE,
      0,
      1};  // SSRC
  for (int i = 0; i < csrcs; ++i) d.insert(d.end(), {1, 2, 3, 4});
  if (extension_words >= 0) {
    d.insert(d.end(), {0xBE, 0xDE, 0, static_cast<uint8_t>(extension_words)});
    for (int i = 0; i < extension_words; ++i) d.insert(d.end(), {0, 0, 0, 0});
  }
  d.insert(d.end(), ts.begin(), ts.end());
  for (int i = 1; i < padding; ++i) d.push_back(0);
  if (padding) d.push_back(padding);
  return d;
}

}  // namespace mcast::ts_test

#endif  // MCAST_TESTS_UNIT_TS_PACKET_BUILDER_H_
