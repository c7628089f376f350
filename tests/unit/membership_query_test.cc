#include "net/membership_query.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace mcast::net {
namespace {

// Fills in the RFC 1071 checksum at bytes 2-3.
std::vector<uint8_t> WithChecksum(std::vector<uint8_t> m) {
  m[2] = m[3] = 0;
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < m.size(); i += 2) sum += (m[i] << 8) | m[i + 1];
  if (m.size() % 2) sum += m.back() << 8;
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  sum = ~sum & 0xFFFF;
  m[2] = static_cast<uint8_t>(sum >> 8);
  m[3] = static_cast<uint8_t>(sum);
  return m;
}

// The query a Linux bridge sent here (mcast_query_interval 100,
// mcast_query_response_interval 50), with its IPv4 header and router alert.
const std::vector<uint8_t> kBridgeQuery = {
    0x46, 0xc0, 0x00, 0x24, 0x00, 0x00, 0x40, 0x00, 0x01, 0x02, 0xf4, 0x0b,
    0x0a, 0x09, 0x05, 0xfe, 0xe0, 0x00, 0x00, 0x01, 0x94, 0x04, 0x00, 0x00,
    0x11, 0x05, 0xec, 0xf9, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00};

TEST(MembershipQueryTest, LinuxBridgeIgmpv3GeneralQuery) {
  MembershipQuery q;
  ASSERT_EQ(ParseIgmpDatagram(kBridgeQuery, &q), QueryParse::kOk);
  EXPECT_EQ(q.protocol, QueryProtocol::kIgmp);
  EXPECT_EQ(q.version, 3);
  EXPECT_TRUE(q.general());
  EXPECT_EQ(q.max_response_ns, 500'000'000);
  EXPECT_EQ(q.robustness, 2);
  EXPECT_EQ(q.query_interval_ns, 1'000'000'000);
  EXPECT_EQ(q.sources, 0);
}

TEST(MembershipQueryTest, VersionByLengthAndCode) {
  MembershipQuery q;
  // 8 octets, code 0: IGMPv1, 10 s.
  ASSERT_EQ(ParseIgmpQuery(WithChecksum({0x11, 0, 0, 0, 0, 0, 0, 0}), &q),
            QueryParse::kOk);
  EXPECT_EQ(q.version, 1);
  EXPECT_EQ(q.max_response_ns, 10'000'000'000);
  EXPECT_EQ(q.robustness_or_default(), 2);
  EXPECT_EQ(q.query_interval_or_default_ns(), 125'000'000'000);
  // 8 octets, code 100: IGMPv2, 10.0 s.
  ASSERT_EQ(ParseIgmpQuery(WithChecksum({0x11, 100, 0, 0, 0, 0, 0, 0}), &q),
            QueryParse::kOk);
  EXPECT_EQ(q.version, 2);
  EXPECT_EQ(q.max_response_ns, 10'000'000'000);
  // 9-11 octets: no version has them.
  EXPECT_EQ(
      ParseIgmpQuery(WithChecksum({0x11, 100, 0, 0, 0, 0, 0, 0, 0, 0}), &q),
      QueryParse::kBadLength);
  // IGMPv2 group-specific query.
  ASSERT_EQ(ParseIgmpQuery(WithChecksum({0x11, 10, 0, 0, 239, 1, 1, 1}), &q),
            QueryParse::kOk);
  EXPECT_FALSE(q.general());
  EXPECT_EQ(q.group.ToString(), "239.1.1.1");
}

TEST(MembershipQueryTest, Igmpv3ExponentialCodes) {
  // RFC 3376 4.1.1: 1 exp mant, (mant | 0x10) << (exp + 3).
  EXPECT_EQ(DecodeIgmpv3Code(0), 0);
  EXPECT_EQ(DecodeIgmpv3Code(127), 127);
  EXPECT_EQ(DecodeIgmpv3Code(0x80), 0x10 << 3);   // 128
  EXPECT_EQ(DecodeIgmpv3Code(0x8F), 0x1F << 3);   // 248
  EXPECT_EQ(DecodeIgmpv3Code(0xFF), 0x1F << 10);  // 31744
  EXPECT_EQ(DecodeMldv2Code(32767), 32767);
  EXPECT_EQ(DecodeMldv2Code(0x8000), int64_t{0x1000} << 3);
  EXPECT_EQ(DecodeMldv2Code(0xFFFF), int64_t{0x1FFF} << 10);
  MembershipQuery q;
  // QQIC 0x8A = (0xA | 0x10) << 3 = 208 s; code 0x90 = 0x10 << 4 = 256 ds.
  ASSERT_EQ(
      ParseIgmpQuery(
          WithChecksum({0x11, 0x90, 0, 0, 0, 0, 0, 0, 0x0B, 0x8A, 0, 0}), &q),
      QueryParse::kOk);
  EXPECT_EQ(q.version, 3);
  EXPECT_EQ(q.max_response_ns, int64_t{256} * 100'000'000);
  EXPECT_EQ(q.query_interval_ns, int64_t{208} * 1'000'000'000);
  EXPECT_EQ(q.robustness, 3);
  EXPECT_TRUE(q.suppress_router_processing);
}

TEST(MembershipQueryTest, RejectsWhatIsNotAQuery) {
  MembershipQuery q;
  q.version = 42;
  // A v3 report, a bad checksum, a unicast group, a source list longer
  // than the message, and an IPv4 header that is not IGMP.
  EXPECT_EQ(ParseIgmpQuery(WithChecksum({0x22, 0, 0, 0, 0, 0, 0, 1}), &q),
            QueryParse::kNotQuery);
  EXPECT_EQ(ParseIgmpQuery({0x11, 100, 0, 0, 0, 0, 0, 0}, &q),
            QueryParse::kBadChecksum);
  EXPECT_EQ(ParseIgmpQuery(WithChecksum({0x11, 10, 0, 0, 10, 1, 1, 1}), &q),
            QueryParse::kBadGroup);
  EXPECT_EQ(ParseIgmpQuery(
                WithChecksum({0x11, 10, 0, 0, 0, 0, 0, 0, 2, 1, 0, 1}), &q),
            QueryParse::kTooShort);
  std::vector<uint8_t> udp = kBridgeQuery;
  udp[9] = 17;
  EXPECT_EQ(ParseIgmpDatagram(udp, &q), QueryParse::kBadHeader);
  EXPECT_EQ(ParseIgmpDatagram({0x4F, 0, 0, 20}, &q), QueryParse::kBadHeader);
  EXPECT_EQ(q.version, 42);  // Untouched on failure.
}

std::vector<uint8_t> Mld(size_t size, uint16_t code) {
  std::vector<uint8_t> m(size, 0);
  m[0] = 130;
  m[4] = static_cast<uint8_t>(code >> 8);
  m[5] = static_cast<uint8_t>(code);
  return m;
}

TEST(MembershipQueryTest, MldVersions) {
  MembershipQuery q;
  ASSERT_EQ(ParseMldQuery(Mld(24, 10000), &q), QueryParse::kOk);
  EXPECT_EQ(q.protocol, QueryProtocol::kMld);
  EXPECT_EQ(q.version, 1);
  EXPECT_EQ(q.max_response_ns, 10'000'000'000);
  EXPECT_EQ(ParseMldQuery(Mld(26, 10000), &q), QueryParse::kBadLength);
  std::vector<uint8_t> v2 = Mld(28, 0x8000);
  v2[24] = 0x02;
  v2[25] = 60;
  ASSERT_EQ(ParseMldQuery(v2, &q), QueryParse::kOk);
  EXPECT_EQ(q.version, 2);
  EXPECT_EQ(q.max_response_ns, int64_t{0x1000 << 3} * 1'000'000);
  EXPECT_EQ(q.robustness, 2);
  EXPECT_EQ(q.query_interval_ns, 60'000'000'000);
  v2[8] = 0xFF;
  v2[9] = 0x15;
  v2[23] = 1;
  ASSERT_EQ(ParseMldQuery(v2, &q), QueryParse::kOk);
  EXPECT_EQ(q.group.ToString(), "ff15::1");
  v2[8] = 0xFE;  // fe15::1 is not multicast.
  EXPECT_EQ(ParseMldQuery(v2, &q), QueryParse::kBadGroup);
  std::vector<uint8_t> report = Mld(28, 0);
  report[0] = 143;
  EXPECT_EQ(ParseMldQuery(report, &q), QueryParse::kNotQuery);
  v2 = Mld(28, 0);
  v2[27] = 1;  // One source announced, none present.
  EXPECT_EQ(ParseMldQuery(v2, &q), QueryParse::kTooShort);
}

}  // namespace
}  // namespace mcast::net
