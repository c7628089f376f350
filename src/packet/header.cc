#include "packet/header.h"

#include <cstring>

namespace mcast::packet {
namespace {

void Put32(uint8_t* p, uint32_t v) {
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

void Put64(uint8_t* p, uint64_t v) {
  Put32(p, static_cast<uint32_t>(v >> 32));
  Put32(p + 4, static_cast<uint32_t>(v));
}

uint32_t Get32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
         (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

uint64_t Get64(const uint8_t* p) {
  return (uint64_t{Get32(p)} << 32) | Get32(p + 4);
}

}  // namespace

std::string_view DecodeResultName(DecodeResult result) {
  switch (result) {
    case DecodeResult::kOk:
      return "ok";
    case DecodeResult::kTooShort:
      return "too short";
    case DecodeResult::kBadMagic:
      return "bad magic";
    case DecodeResult::kBadVersion:
      return "bad version";
    case DecodeResult::kBadField:
      return "bad field";
  }
  return "unknown";
}

void EncodeHeader(const Header& header, absl::Span<uint8_t> out) {
  uint8_t* p = out.data();
  std::memcpy(p, kMagic.data(), kMagic.size());
  p[4] = header.version;
  p[5] = header.flags;
  p[6] = header.ttl;
  p[7] = header.dscp;
  Put32(p + 8, header.sender_id);
  Put64(p + 12, header.sequence);
  Put64(p + 20, header.timestamp_ns);
  Put32(p + 28, header.interval_us);
}

bool EncodeDatagram(const Header& header, absl::Span<uint8_t> out) {
  if (out.size() < kHeaderSize) return false;
  EncodeHeader(header, out);
  std::memset(out.data() + kHeaderSize, kPaddingByte, out.size() - kHeaderSize);
  return true;
}

void PatchHeader(uint8_t flags, uint64_t sequence, uint64_t timestamp_ns,
                 absl::Span<uint8_t> datagram) {
  uint8_t* p = datagram.data();
  p[5] = flags;
  Put64(p + 12, sequence);
  Put64(p + 20, timestamp_ns);
}

DecodeResult DecodeHeader(absl::Span<const uint8_t> data, Header* out) {
  if (data.size() < kHeaderSize) return DecodeResult::kTooShort;
  const uint8_t* p = data.data();
  if (std::memcmp(p, kMagic.data(), kMagic.size()) != 0) {
    return DecodeResult::kBadMagic;
  }
  if (p[4] != kVersion) return DecodeResult::kBadVersion;
  Header h;
  h.version = p[4];
  h.flags = p[5];
  h.ttl = p[6];
  h.dscp = p[7];
  h.sender_id = Get32(p + 8);
  h.sequence = Get64(p + 12);
  h.timestamp_ns = Get64(p + 20);
  h.interval_us = Get32(p + 28);
  if (h.dscp > 63 || h.sender_id == 0) return DecodeResult::kBadField;
  *out = h;
  return DecodeResult::kOk;
}

}  // namespace mcast::packet
