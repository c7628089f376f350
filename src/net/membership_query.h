#ifndef MCAST_NET_MEMBERSHIP_QUERY_H_
#define MCAST_NET_MEMBERSHIP_QUERY_H_

// IGMP and MLD membership queries as a raw socket hands them over, parsed
// without allocation. Everything here is untrusted input from any host on
// the link: a parse never reads past the span and rejects what is not a
// well-formed query.
//
// IGMP (RFC 3376 section 7.1): type 0x11; the version follows from the
// length and the Max Resp Code alone: 8 octets with code 0 is IGMPv1 (its
// max response is the fixed 10 s), 8 octets with a code is IGMPv2 (code in
// tenths of a second), 12 or more octets is IGMPv3 (code, QRV, QQIC and
// the source list); 9 to 11 octets are ignored. IGMPv3's Max Resp Code and
// QQIC use the floating-point form: below 128 the value itself, else
// (mant | 0x10) << (exp + 3).
//
// MLD (RFC 2710, RFC 3810 section 5.1.3): ICMPv6 type 130; 24 octets is
// MLDv1 (Maximum Response Delay in ms), 28 or more MLDv2 (Maximum Response
// Code: below 32768 ms, else (mant | 0x1000) << (exp + 3); QRV, QQIC as in
// IGMPv3); 25 to 27 octets are ignored.

#include <cstdint>
#include <string_view>

#include "absl/types/span.h"
#include "inet/ip_address.h"

namespace mcast::net {

enum class QueryProtocol { kIgmp, kMld };

struct MembershipQuery {
  QueryProtocol protocol = QueryProtocol::kIgmp;
  int version = 0;  // IGMP 1, 2, 3; MLD 1, 2.
  // Unspecified for a general query, else the group queried.
  inet::IpAddress group;
  int64_t max_response_ns = 0;
  // As carried (IGMPv3/MLDv2 only): 0 when absent or zero on the wire, in
  // which case RFC 3376 says the defaults apply (robustness 2, 125 s).
  int robustness = 0;
  int64_t query_interval_ns = 0;
  bool suppress_router_processing = false;
  int sources = 0;  // Sources listed (group-and-source-specific query).

  bool general() const { return group.is_unspecified(); }
  // The values in effect: carried, else the protocol defaults.
  int robustness_or_default() const;
  int64_t query_interval_or_default_ns() const;
};

enum class QueryParse {
  kOk,
  kNotQuery,     // Another IGMP/ICMPv6 message (reports, leaves...).
  kTooShort,     // Shorter than its header says, or than a query.
  kBadLength,    // A length no version has (IGMP 9-11, MLD 25-27 octets).
  kBadChecksum,  // IGMP only; the kernel checks ICMPv6 checksums.
  kBadHeader,    // IPv4 header malformed or not IGMP.
  kBadGroup,     // Group neither 0 nor multicast.
};

std::string_view QueryParseName(QueryParse result);

inline constexpr int kDefaultRobustness = 2;
inline constexpr int64_t kDefaultQueryIntervalNs = 125'000'000'000;
inline constexpr int64_t kIgmpv1MaxResponseNs = 10'000'000'000;

// RFC 3376 4.1.1/4.1.7: IGMPv3 Max Resp Code and QQIC (8 bits).
int DecodeIgmpv3Code(uint8_t code);
// RFC 3810 5.1.3: MLDv2 Maximum Response Code (16 bits), in ms.
int64_t DecodeMldv2Code(uint16_t code);

// An IGMP message (from the IGMP header on). On anything but kOk `out` is
// left as it was.
QueryParse ParseIgmpQuery(absl::Span<const uint8_t> igmp, MembershipQuery* out);
// An IPv4 datagram as a raw IGMP socket returns it (IP header first).
QueryParse ParseIgmpDatagram(absl::Span<const uint8_t> datagram,
                             MembershipQuery* out);
// An ICMPv6 message as a raw ICMPv6 socket returns it (ICMPv6 header on).
QueryParse ParseMldQuery(absl::Span<const uint8_t> icmp6, MembershipQuery* out);

}  // namespace mcast::net

#endif  // MCAST_NET_MEMBERSHIP_QUERY_H_
