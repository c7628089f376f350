#include "packet/header.h"

#include <gtest/gtest.h>

#include <vector>

namespace mcast::packet {
namespace {

Header Sample() {
  Header h;
  h.flags = kFlagLastPacket | kFlagRealtimeClock;
  h.ttl = 64;
  h.dscp = 46;
  h.sender_id = 0x1a2b3c4d;
  h.sequence = 0x0102030405060708ULL;
  h.timestamp_ns = 0xF0E0D0C0B0A09080ULL;
  h.interval_us = 40000;
  return h;
}

TEST(HeaderTest, EncodesTheDocumentedByteLayout) {
  std::vector<uint8_t> buf(40);
  ASSERT_TRUE(EncodeDatagram(Sample(), absl::MakeSpan(buf)));
  const std::vector<uint8_t> expected = {
      'M',  'C',  'A',  'S',  1,    0x03, 64,   46,   0x1a, 0x2b,
      0x3c, 0x4d, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
      0xF0, 0xE0, 0xD0, 0xC0, 0xB0, 0xA0, 0x90, 0x80, 0x00, 0x00,
      0x9c, 0x40, 0xA5, 0xA5, 0xA5, 0xA5, 0xA5, 0xA5, 0xA5, 0xA5};
  EXPECT_EQ(buf, expected);
}

TEST(HeaderTest, RoundTrips) {
  std::vector<uint8_t> buf(200);
  ASSERT_TRUE(EncodeDatagram(Sample(), absl::MakeSpan(buf)));
  Header out;
  ASSERT_EQ(DecodeHeader(buf, &out), DecodeResult::kOk);
  EXPECT_EQ(out, Sample());
  EXPECT_TRUE(out.last_packet());
  EXPECT_TRUE(out.realtime_clock());
}

TEST(HeaderTest, HeaderOnlyDatagramIsValid) {
  std::vector<uint8_t> buf(kHeaderSize);
  ASSERT_TRUE(EncodeDatagram(Sample(), absl::MakeSpan(buf)));
  Header out;
  EXPECT_EQ(DecodeHeader(buf, &out), DecodeResult::kOk);
}

TEST(HeaderTest, PatchChangesOnlyPerPacketFields) {
  std::vector<uint8_t> buf(64);
  Header h = Sample();
  ASSERT_TRUE(EncodeDatagram(h, absl::MakeSpan(buf)));
  PatchHeader(0, 99, 12345, absl::MakeSpan(buf));
  Header out;
  ASSERT_EQ(DecodeHeader(buf, &out), DecodeResult::kOk);
  h.flags = 0;
  h.sequence = 99;
  h.timestamp_ns = 12345;
  EXPECT_EQ(out, h);
  EXPECT_EQ(buf.back(), kPaddingByte);
}

TEST(HeaderTest, EncodeRefusesShortBuffer) {
  std::vector<uint8_t> buf(kHeaderSize - 1, 0);
  EXPECT_FALSE(EncodeDatagram(Sample(), absl::MakeSpan(buf)));
  EXPECT_EQ(buf, std::vector<uint8_t>(kHeaderSize - 1, 0));
}

TEST(HeaderTest, ForeignDatagramsAreRejected) {
  std::vector<uint8_t> good(kHeaderSize);
  ASSERT_TRUE(EncodeDatagram(Sample(), absl::MakeSpan(good)));
  Header out;

  for (size_t len = 0; len < kHeaderSize; ++len) {
    EXPECT_EQ(DecodeHeader(absl::MakeConstSpan(good.data(), len), &out),
              DecodeResult::kTooShort)
        << len;
  }
  auto bad_magic = good;
  bad_magic[3] = 'T';
  EXPECT_EQ(DecodeHeader(bad_magic, &out), DecodeResult::kBadMagic);
  auto bad_version = good;
  bad_version[4] = 2;
  EXPECT_EQ(DecodeHeader(bad_version, &out), DecodeResult::kBadVersion);
  bad_version[4] = 0;
  EXPECT_EQ(DecodeHeader(bad_version, &out), DecodeResult::kBadVersion);
  auto bad_dscp = good;
  bad_dscp[7] = 64;
  EXPECT_EQ(DecodeHeader(bad_dscp, &out), DecodeResult::kBadField);
  auto zero_id = good;
  zero_id[8] = zero_id[9] = zero_id[10] = zero_id[11] = 0;
  EXPECT_EQ(DecodeHeader(zero_id, &out), DecodeResult::kBadField);
}

TEST(HeaderTest, DecodeNeverTrustsArbitraryBytes) {
  // Every 1-byte mutation of a valid header decodes to a defined result.
  std::vector<uint8_t> good(kHeaderSize);
  ASSERT_TRUE(EncodeDatagram(Sample(), absl::MakeSpan(good)));
  for (size_t i = 0; i < kHeaderSize; ++i) {
    for (int v = 0; v < 256; ++v) {
      auto m = good;
      m[i] = static_cast<uint8_t>(v);
      Header out;
      DecodeResult r = DecodeHeader(m, &out);
      if (r == DecodeResult::kOk) {
        EXPECT_LE(out.dscp, 63);
        EXPECT_NE(out.sender_id, 0u);
      }
    }
  }
}

}  // namespace
}  // namespace mcast::packet
