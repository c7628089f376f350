#include "net/membership_query.h"

#include <netinet/in.h>

#include <cstring>

namespace mcast::net {
namespace {

constexpr uint8_t kIgmpQueryType = 0x11;
constexpr uint8_t kMldQueryType = 130;
constexpr size_t kIgmpv2Size = 8;
constexpr size_t kIgmpv3MinSize = 12;
constexpr size_t kMldv1Size = 24;
constexpr size_t kMldv2MinSize = 28;
constexpr int64_t kMs = 1'000'000;
constexpr int64_t kDeciSecond = 100'000'000;
constexpr int64_t kSecond = 1'000'000'000;

uint16_t Be16(const uint8_t* p) {
  return static_cast<uint16_t>((p[0] << 8) | p[1]);
}

// RFC 1071 over the message: 0 when the checksum field is right.
uint16_t InternetChecksum(absl::Span<const uint8_t> data) {
  uint32_t sum = 0;
  size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += Be16(&data[i]);
  if (i < data.size()) sum += static_cast<uint32_t>(data[i]) << 8;
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

}  // namespace

int MembershipQuery::robustness_or_default() const {
  return robustness > 0 ? robustness : kDefaultRobustness;
}

int64_t MembershipQuery::query_interval_or_default_ns() const {
  return query_interval_ns > 0 ? query_interval_ns : kDefaultQueryIntervalNs;
}

std::string_view QueryParseName(QueryParse result) {
  switch (result) {
    case QueryParse::kOk:
      return "ok";
    case QueryParse::kNotQuery:
      return "not a query";
    case QueryParse::kTooShort:
      return "too short";
    case QueryParse::kBadLength:
      return "bad length";
    case QueryParse::kBadChecksum:
      return "bad checksum";
    case QueryParse::kBadHeader:
      return "bad IPv4 header";
    case QueryParse::kBadGroup:
      return "bad group";
  }
  return "unknown";
}

int DecodeIgmpv3Code(uint8_t code) {
  if (code < 128) return code;
  const int exp = (code >> 4) & 0x7;
  const int mant = code & 0xF;
  return (mant | 0x10) << (exp + 3);
}

int64_t DecodeMldv2Code(uint16_t code) {
  if (code < 32768) return code;
  const int exp = (code >> 12) & 0x7;
  const int64_t mant = code & 0xFFF;
  return (mant | 0x1000) << (exp + 3);
}

QueryParse ParseIgmpQuery(absl::Span<const uint8_t> igmp,
                          MembershipQuery* out) {
  if (igmp.empty()) return QueryParse::kTooShort;
  if (igmp[0] != kIgmpQueryType) return QueryParse::kNotQuery;
  if (igmp.size() < kIgmpv2Size) return QueryParse::kTooShort;
  if (igmp.size() > kIgmpv2Size && igmp.size() < kIgmpv3MinSize) {
    return QueryParse::kBadLength;
  }
  if (InternetChecksum(igmp) != 0) return QueryParse::kBadChecksum;
  MembershipQuery q;
  q.protocol = QueryProtocol::kIgmp;
  in_addr group;
  std::memcpy(&group.s_addr, &igmp[4], 4);
  if (group.s_addr != 0) {
    q.group = inet::IpAddress::FromV4(group);
    if (!q.group.is_multicast()) return QueryParse::kBadGroup;
  }
  const uint8_t code = igmp[1];
  if (igmp.size() == kIgmpv2Size) {
    q.version = code == 0 ? 1 : 2;
    q.max_response_ns = code == 0 ? kIgmpv1MaxResponseNs : code * kDeciSecond;
  } else {
    q.version = 3;
    q.max_response_ns = DecodeIgmpv3Code(code) * kDeciSecond;
    q.suppress_router_processing = (igmp[8] & 0x08) != 0;
    q.robustness = igmp[8] & 0x07;
    q.query_interval_ns = int64_t{DecodeIgmpv3Code(igmp[9])} * kSecond;
    q.sources = Be16(&igmp[10]);
    if (igmp.size() < kIgmpv3MinSize + 4 * static_cast<size_t>(q.sources)) {
      return QueryParse::kTooShort;
    }
  }
  *out = q;
  return QueryParse::kOk;
}

QueryParse ParseIgmpDatagram(absl::Span<const uint8_t> datagram,
                             MembershipQuery* out) {
  if (datagram.size() < 20) return QueryParse::kBadHeader;
  if ((datagram[0] >> 4) != 4) return QueryParse::kBadHeader;
  const size_t header = static_cast<size_t>(datagram[0] & 0x0F) * 4;
  if (header < 20 || header > datagram.size()) return QueryParse::kBadHeader;
  if (datagram[9] != IPPROTO_IGMP) return QueryParse::kBadHeader;
  // The total length bounds the message (trailing link padding is not
  // IGMP); the kernel has already trimmed to it, but a lie must not widen it.
  size_t total = Be16(&datagram[2]);
  if (total < header) return QueryParse::kBadHeader;
  if (total > datagram.size()) total = datagram.size();
  return ParseIgmpQuery(datagram.subspan(header, total - header), out);
}

QueryParse ParseMldQuery(absl::Span<const uint8_t> icmp6,
                         MembershipQuery* out) {
  if (icmp6.empty()) return QueryParse::kTooShort;
  if (icmp6[0] != kMldQueryType) return QueryParse::kNotQuery;
  if (icmp6.size() < kMldv1Size) return QueryParse::kTooShort;
  if (icmp6.size() > kMldv1Size && icmp6.size() < kMldv2MinSize) {
    return QueryParse::kBadLength;
  }
  MembershipQuery q;
  q.protocol = QueryProtocol::kMld;
  in6_addr group;
  std::memcpy(group.s6_addr, &icmp6[8], 16);
  bool zero = true;
  for (uint8_t b : group.s6_addr) zero = zero && b == 0;
  if (!zero) {
    q.group = inet::IpAddress::FromV6(group);
    if (!q.group.is_multicast()) return QueryParse::kBadGroup;
  }
  const uint16_t code = Be16(&icmp6[4]);
  if (icmp6.size() == kMldv1Size) {
    q.version = 1;
    q.max_response_ns = code * kMs;
  } else {
    q.version = 2;
    q.max_response_ns = DecodeMldv2Code(code) * kMs;
    q.suppress_router_processing = (icmp6[24] & 0x08) != 0;
    q.robustness = icmp6[24] & 0x07;
    q.query_interval_ns = int64_t{DecodeIgmpv3Code(icmp6[25])} * kSecond;
    q.sources = Be16(&icmp6[26]);
    if (icmp6.size() < kMldv2MinSize + 16 * static_cast<size_t>(q.sources)) {
      return QueryParse::kTooShort;
    }
  }
  *out = q;
  return QueryParse::kOk;
}

}  // namespace mcast::net
