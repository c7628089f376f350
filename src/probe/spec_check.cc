#include "probe/spec_check.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "stats/receiver_stats.h"
#include "streams/stream_table.h"
#include "util/byte_size.h"
#include "util/dscp.h"
#include "util/duration.h"
#include "util/message_text.h"

namespace mcast::probe {
namespace {

absl::Status Invalid(absl::string_view reason) {
  return absl::InvalidArgumentError(reason);
}

// Whole numbers where they are large, so no exponent shows up in reasons.
std::string FormatPps(double pps) {
  return pps >= 1000 ? absl::StrFormat("%.0f", pps)
                     : absl::StrFormat("%g", pps);
}

// The family follows the text: what looks like IPv6 (has a ':') is told
// what IPv6 allows, everything else what IPv4 does.
absl::StatusOr<inet::IpAddress> ParseAddress(absl::string_view text,
                                             absl::string_view v4_allowed,
                                             absl::string_view v6_allowed) {
  absl::StatusOr<inet::IpAddress> address = inet::IpAddress::Parse(text);
  if (!address.ok()) {
    const bool v6 = absl::StrContains(text, ':');
    return Invalid(
        absl::StrCat(util::RequoteEcho(address.status().message(), text), " (",
                     v6 ? v6_allowed : v4_allowed, ")"));
  }
  return *address;
}

// The address in host byte order, for prefix checks by number.
uint32_t HostOrder(const inet::IpAddress& address) {
  return ntohl(address.v4().s_addr);
}

std::array<uint8_t, 16> Bytes(const inet::IpAddress& address) {
  const in6_addr a = address.v6();
  std::array<uint8_t, 16> b;
  std::memcpy(b.data(), &a, b.size());
  return b;
}

// The last 16 bits when the 112-bit group id is no wider (ff0X::N).
std::optional<uint16_t> SmallGroupId(const std::array<uint8_t, 16>& b) {
  for (int i = 2; i < 14; ++i) {
    if (b[i] != 0) return std::nullopt;
  }
  return static_cast<uint16_t>(b[14] << 8 | b[15]);
}

absl::StatusOr<inet::IpAddress> CheckV6Group(const inet::IpAddress& group) {
  const std::string text = group.ToString();
  const std::array<uint8_t, 16> b = Bytes(group);
  if (b[0] != 0xff) {
    return Invalid(absl::StrCat(text, " is not a multicast address (",
                                kGroupV6Allowed, ", in ff00::/8)"));
  }
  const int flags = b[1] >> 4;
  const int scope = b[1] & 0xf;
  if (scope == kReservedScopeLow || scope == kReservedScopeHigh) {
    return Invalid(absl::StrCat(text, " has the reserved scope ", scope, " (",
                                kGroupV6Allowed, ", with a scope of 1 to 14)"));
  }
  if ((flags & kFlagEmbeddedRp) != 0 &&
      (flags & (kFlagPrefix | kFlagTransient)) !=
          (kFlagPrefix | kFlagTransient)) {
    return Invalid(absl::StrCat(text,
                                " sets the embedded-RP flag without the "
                                "prefix and transient flags (",
                                kGroupV6Allowed, "; RFC 3956: ff7x::)"));
  }
  if ((flags & kFlagPrefix) != 0 && (flags & kFlagTransient) == 0) {
    return Invalid(absl::StrCat(text,
                                " sets the prefix flag without the transient "
                                "flag (",
                                kGroupV6Allowed, "; RFC 3306: ff3x::)"));
  }
  if ((flags & kFlagPrefix) != 0 && b[3] > kMaxPrefixLength) {
    return Invalid(absl::StrCat(text, " has a prefix length of ", b[3],
                                ", over ", kMaxPrefixLength, " (",
                                kGroupV6Allowed, "; RFC 3306)"));
  }
  if ((flags & kFlagTransient) == 0) {
    const std::optional<uint16_t> id = SmallGroupId(b);
    const bool reserved = id && (std::find(std::begin(kReservedGroupIds),
                                           std::end(kReservedGroupIds), *id) !=
                                     std::end(kReservedGroupIds) ||
                                 (scope == 2 && *id == kMldv2ReportsGroupId));
    // ff02::1:ffXX:XXXX
    const bool solicited = scope == 2 && b[11] == 0x01 && b[12] == 0xff &&
                           std::all_of(b.begin() + 2, b.begin() + 11,
                                       [](uint8_t x) { return x == 0; });
    if (reserved || solicited) {
      return Invalid(absl::StrCat(
          text,
          " is reserved for the network's own use (all-nodes, all-routers, "
          "MLD reports, neighbour discovery) (",
          kGroupV6Allowed,
          ", not ff0X::0, ::1, ::2, ff02::16 or ff02::1:ff00:0/104)"));
    }
  }
  return group;
}

absl::StatusOr<inet::IpAddress> CheckV6Source(const inet::IpAddress& source) {
  const std::array<uint8_t, 16> b = Bytes(source);
  const in6_addr a = source.v6();
  if (b[0] == 0xff || IN6_IS_ADDR_UNSPECIFIED(&a)) {
    return Invalid(absl::StrCat(source.ToString(),
                                " is not a unicast address (", kSourceV6Allowed,
                                ")"));
  }
  if (IN6_IS_ADDR_V4MAPPED(&a)) {
    in_addr v4;
    std::memcpy(&v4, b.data() + 12, 4);
    return Invalid(absl::StrCat(
        source.ToString(), " is an IPv4-mapped address (", kSourceV6Allowed,
        "; for IPv4 write ", inet::IpAddress::FromV4(v4).ToString(), ")"));
  }
  return source;
}

// Adds a failed check to the list; returns whether it passed, so checks
// that build on a field run only when the field itself is valid.
struct ProblemNoter {
  std::vector<SpecProblem>* problems;
  bool operator()(SpecField field, const absl::Status& status) const {
    if (!status.ok()) {
      problems->push_back({field, std::string(status.message())});
    }
    return status.ok();
  }
};

// What senders and receivers share: where the probe's packets go.
void CheckWhereTo(const inet::IpAddress& group, const inet::IpAddress& source,
                  const std::string& interface, int port,
                  const ProblemNoter& note) {
  note(SpecField::kSource, CheckSourceFamily(group, source));
  if (!interface.empty()) {
    note(SpecField::kInterface, CheckInterfaceName(interface));
  } else {
    note(SpecField::kInterface, CheckScopeInterface(group, source, interface));
  }
  note(SpecField::kPort, CheckPort(port).status());
}

}  // namespace

const char* SpecFieldKey(SpecField field) {
  switch (field) {
    case SpecField::kGroup:
      return "group";
    case SpecField::kSource:
      return "source";
    case SpecField::kInterface:
      return "interface";
    case SpecField::kPort:
      return "port";
    case SpecField::kTtl:
      return "ttl";
    case SpecField::kDscp:
      return "dscp";
    case SpecField::kRate:
      return "rate";
    case SpecField::kSize:
      return "size";
    case SpecField::kClock:
      return "clock";
    case SpecField::kIgmpVersion:
      return "igmp_version";
    case SpecField::kStallTimeout:
      return "stall_timeout";
    case SpecField::kReorderWindow:
      return "reorder_window";
    case SpecField::kReorderPackets:
      return "reorder_packets";
    case SpecField::kMaxSenders:
      return "max_senders";
    case SpecField::kSenderExpiry:
      return "sender_expiry";
    case SpecField::kMldVersion:
      return "mld_version";
  }
  return "?";
}

absl::StatusOr<inet::IpAddress> ParseGroup(absl::string_view text) {
  absl::StatusOr<inet::IpAddress> group =
      ParseAddress(text, kGroupAllowed, kGroupV6Allowed);
  if (!group.ok()) return group.status();
  if (group->is_v6()) return CheckV6Group(*group);
  const uint32_t a = HostOrder(*group);
  if ((a >> 28) != 0xe) {
    return Invalid(absl::StrCat(group->ToString(),
                                " is not a multicast address (", kGroupAllowed,
                                ", in 224.0.0.0/4)"));
  }
  if ((a >> 8) == 0xe00000) {
    return Invalid(absl::StrCat(group->ToString(),
                                " is in 224.0.0.0/24, reserved for link-local "
                                "control protocols (",
                                kGroupAllowed, ", outside 224.0.0.0/24)"));
  }
  return *group;
}

absl::StatusOr<inet::IpAddress> ParseSource(absl::string_view text) {
  absl::StatusOr<inet::IpAddress> source =
      ParseAddress(text, kSourceAllowed, kSourceV6Allowed);
  if (!source.ok()) return source.status();
  if (source->is_v6()) return CheckV6Source(*source);
  const uint32_t a = HostOrder(*source);
  if ((a >> 28) == 0xe || a == 0 || a == 0xffffffff) {
    return Invalid(absl::StrCat(source->ToString(),
                                " is not a unicast address (", kSourceAllowed,
                                ")"));
  }
  return *source;
}

absl::StatusOr<util::Rate> ParseRate(absl::string_view text) {
  absl::StatusOr<util::Rate> rate = util::ParseRate(text);
  if (!rate.ok())
    return Invalid(util::RequoteEcho(rate.status().message(), text));
  return *rate;
}

absl::StatusOr<int> ParseDscp(absl::string_view text) {
  absl::StatusOr<int> dscp = util::ParseDscp(text);
  if (!dscp.ok())
    return Invalid(util::RequoteEcho(dscp.status().message(), text));
  return *dscp;
}

absl::StatusOr<absl::Duration> ParsePositiveDuration(absl::string_view text) {
  absl::StatusOr<absl::Duration> d = util::ParseDuration(text);
  if (!d.ok()) return Invalid(util::RequoteEcho(d.status().message(), text));
  if (*d <= absl::ZeroDuration()) {
    return Invalid(absl::StrCat(util::QuoteUntrusted(text),
                                " is not greater than zero (", kDurationAllowed,
                                ")"));
  }
  return *d;
}

absl::StatusOr<SenderClock> ParseClock(absl::string_view text) {
  if (text == "monotonic") return SenderClock::kMonotonic;
  if (text == "realtime") return SenderClock::kRealtime;
  return Invalid(absl::StrCat(util::QuoteUntrusted(text), " is not a clock (",
                              kClockAllowed, ")"));
}

absl::Status CheckInterfaceName(absl::string_view name) {
  bool ok = !name.empty() && name.size() <= kMaxInterfaceName && name != "." &&
            name != "..";
  for (char c : name) {
    if (c == '/' || c == ':' ||
        absl::ascii_isspace(static_cast<unsigned char>(c)) ||
        absl::ascii_iscntrl(static_cast<unsigned char>(c))) {
      ok = false;
    }
  }
  if (ok) return absl::OkStatus();
  return Invalid(absl::StrCat(util::QuoteUntrusted(name),
                              " is not a valid interface name (",
                              kInterfaceAllowed, ")"));
}

std::string RangeAllowed(int min, int max, absl::string_view unit) {
  if (max - min == 2) return absl::StrCat(min, ", ", min + 1, " or ", max);
  if (max - min == 1) return absl::StrCat(min, " or ", max);
  return absl::StrCat(min, " to ", max, unit);
}

absl::StatusOr<int> CheckRange(int64_t value, int min, int max,
                               absl::string_view unit) {
  const std::string allowed = RangeAllowed(min, max, unit);
  if (value < min || value > max) {
    return Invalid(absl::StrCat(value, " is out of range (", allowed, ")"));
  }
  return static_cast<int>(value);
}

absl::StatusOr<int> CheckTtl(int64_t ttl) {
  return CheckRange(ttl, kMinTtl, kMaxTtl);
}
absl::StatusOr<int> CheckPort(int64_t port) {
  return CheckRange(port, kMinPort, kMaxPort);
}
absl::StatusOr<int> CheckSize(int64_t size) {
  return CheckRange(size, kMinSize, kMaxSize, " bytes");
}
absl::StatusOr<int> CheckIgmpVersion(int64_t version) {
  return CheckRange(version, kMinIgmpVersion, kMaxIgmpVersion);
}
absl::StatusOr<int> CheckMldVersion(int64_t version) {
  return CheckRange(version, kMinMldVersion, kMaxMldVersion);
}
absl::StatusOr<int> CheckReorderPackets(int64_t packets) {
  return CheckRange(packets, kMinReorderPackets, kMaxReorderPackets);
}
absl::StatusOr<int> CheckMaxSenders(int64_t senders) {
  return CheckRange(senders, kMinMaxSenders, kMaxMaxSenders);
}

int MulticastScope(const inet::IpAddress& group) {
  if (!group.is_v6() || !group.is_multicast()) return -1;
  return Bytes(group)[1] & 0xf;
}

bool GroupNeedsInterface(const inet::IpAddress& group) {
  const int scope = MulticastScope(group);
  return scope > kReservedScopeLow && scope <= kMaxInterfaceScope;
}

bool IsSsmGroup(const inet::IpAddress& group) {
  if (group.is_v4()) return (HostOrder(group) >> 24) == 232;
  if (!group.is_v6()) return false;
  const std::array<uint8_t, 16> b = Bytes(group);
  return b[0] == 0xff && (b[1] >> 4) == 0x3 && b[2] == 0 && b[3] == 0;
}

absl::Status CheckSourceFamily(const inet::IpAddress& group,
                               const inet::IpAddress& source) {
  if (source.is_unspecified() || group.is_unspecified() ||
      source.family() == group.family()) {
    return absl::OkStatus();
  }
  const auto name = [](const inet::IpAddress& a) {
    return a.is_v6() ? "IPv6" : "IPv4";
  };
  return Invalid(absl::StrCat(source.ToString(), " is an ", name(source),
                              " address and the group ", group.ToString(),
                              " is ", name(group),
                              " (the source must be of the group's family)"));
}

absl::Status CheckScopeInterface(const inet::IpAddress& group,
                                 const inet::IpAddress& source,
                                 absl::string_view interface) {
  if (!interface.empty()) return absl::OkStatus();
  if (GroupNeedsInterface(group)) {
    const int scope = MulticastScope(group);
    return Invalid(absl::StrCat(
        "none given for ", group.ToString(), ", ",
        scope == 1 ? "an interface-local" : "a link-local", " group (scope ",
        scope, "): it exists on every link, so name the one to use"));
  }
  const in6_addr a = source.v6();
  if (source.is_v6() && IN6_IS_ADDR_LINKLOCAL(&a)) {
    return Invalid(absl::StrCat("none given for the link-local source ",
                                source.ToString(),
                                ": it is an address of one link, so name it"));
  }
  return absl::OkStatus();
}

absl::Status CheckPacketRate(absl::string_view rate, double packets_per_second,
                             int size) {
  if (packets_per_second >= kMinPacketsPerSecond &&
      packets_per_second <= kMaxPacketsPerSecond) {
    return absl::OkStatus();
  }
  return Invalid(
      absl::StrCat(rate, " with ", size, "-byte datagrams is ",
                   FormatPps(packets_per_second), " packets per second (",
                   FormatPps(kMinPacketsPerSecond), " to ",
                   FormatPps(kMaxPacketsPerSecond), " packets per second)"));
}

absl::Status CheckSsmIgmpVersion(const inet::IpAddress& source,
                                 int igmp_version) {
  if (source.is_unspecified() || igmp_version >= kSsmIgmpVersion) {
    return absl::OkStatus();
  }
  return Invalid(absl::StrCat("SSM receiver (source ", source.ToString(),
                              ") needs IGMP version ", kSsmIgmpVersion,
                              ", got ", igmp_version));
}

absl::Status CheckSsmMldVersion(const inet::IpAddress& source,
                                int mld_version) {
  if (source.is_unspecified() || mld_version >= kSsmMldVersion) {
    return absl::OkStatus();
  }
  return Invalid(absl::StrCat(
      "SSM receiver (source ", source.ToString(), ") needs MLD version ",
      kSsmMldVersion, " (MLDv1 reports carry no sources), got ", mld_version));
}

std::vector<SpecProblem> CheckVersionFamily(const inet::IpAddress& group,
                                            bool igmp_version_given,
                                            bool mld_version_given) {
  std::vector<SpecProblem> problems;
  if (igmp_version_given && group.is_v6()) {
    problems.push_back(
        {SpecField::kIgmpVersion,
         absl::StrCat("IGMP is for IPv4 groups; ", group.ToString(),
                      " is an IPv6 group, whose version is MLD's (1 or 2)")});
  }
  if (mld_version_given && group.is_v4()) {
    problems.push_back(
        {SpecField::kMldVersion,
         absl::StrCat("MLD is for IPv6 groups; ", group.ToString(),
                      " is an IPv4 group, whose version is IGMP's (1, 2 or "
                      "3)")});
  }
  return problems;
}

absl::Status CheckSenderExpiry(const ReceiverSpec& spec, bool is_default) {
  const absl::Duration floor =
      std::max(spec.stall_timeout, spec.reorder_window);
  if (spec.sender_expiry == absl::ZeroDuration() ||
      spec.sender_expiry >= floor) {
    return absl::OkStatus();
  }
  return Invalid(
      absl::StrCat(absl::FormatDuration(spec.sender_expiry),
                   is_default ? " (the default)" : "",
                   " is shorter than stall_timeout or reorder_window (",
                   absl::FormatDuration(floor), "): use at least that"));
}

uint64_t WorstCaseBytes(const ReceiverSpec& spec) {
  return stats::ReceiverStats::WorstCaseBytes(spec.stats_options()) +
         streams::StreamTable::WorstCaseBytes(spec.stream_options());
}

absl::Status CheckReceiverMemory(const ReceiverSpec& spec, uint64_t before,
                                 uint64_t limit, absl::string_view limit_text,
                                 absl::string_view hint) {
  const uint64_t need = WorstCaseBytes(spec);
  const uint64_t total = before + need;
  if (total <= limit) return absl::OkStatus();
  std::string what = absl::StrCat(
      spec.max_senders, " sender runs with reorder_packets ",
      spec.reorder_packets, " need up to ", util::FormatByteSize(need), " (",
      util::FormatByteSize(
          stats::ReceiverStats::RunBytes(spec.sequence_options())),
      " per run, ",
      util::FormatByteSize(
          streams::StreamTable::WorstCaseBytes(spec.stream_options())),
      " for ", spec.stream_options().max_streams, " stream sources)");
  if (before > 0) {
    absl::StrAppend(&what, "; with the receivers before it ",
                    util::FormatByteSize(total));
  }
  absl::StrAppend(&what, ", over ", limit_text, " (", hint, ")");
  return Invalid(what);
}

std::vector<SpecProblem> CheckSenderSpec(const SenderSpec& spec) {
  std::vector<SpecProblem> problems;
  ProblemNoter note{&problems};
  CheckWhereTo(spec.group, spec.source, spec.interface, spec.port, note);
  note(SpecField::kTtl, CheckTtl(spec.ttl).status());
  note(SpecField::kDscp, CheckRange(spec.dscp, 0, kMaxDscp).status());
  // The rate is checked as packets per second at the size: a bad size has
  // been reported, its consequence for the rate would only repeat it.
  if (note(SpecField::kSize, CheckSize(spec.size).status())) {
    note(SpecField::kRate,
         CheckPacketRate(spec.rate, spec.packets_per_second, spec.size));
  }
  return problems;
}

std::vector<SpecProblem> CheckReceiverSpec(const ReceiverSpec& spec,
                                           uint64_t memory_limit) {
  std::vector<SpecProblem> problems;
  ProblemNoter note{&problems};
  CheckWhereTo(spec.group, spec.source, spec.interface, spec.port, note);
  // The version of the group's family: IGMP for IPv4, MLD for IPv6.
  if (spec.group.is_v6()) {
    if (note(SpecField::kMldVersion,
             CheckMldVersion(spec.mld_version).status())) {
      note(SpecField::kMldVersion,
           CheckSsmMldVersion(spec.source, spec.mld_version));
    }
  } else if (note(SpecField::kIgmpVersion,
                  CheckIgmpVersion(spec.igmp_version).status())) {
    note(SpecField::kIgmpVersion,
         CheckSsmIgmpVersion(spec.source, spec.igmp_version));
  }
  note(SpecField::kStallTimeout,
       spec.stall_timeout > absl::ZeroDuration()
           ? absl::OkStatus()
           : Invalid("the stall timeout must be greater than zero"));
  note(SpecField::kReorderWindow,
       spec.reorder_window > absl::ZeroDuration()
           ? absl::OkStatus()
           : Invalid("the reorder window must be greater than zero"));
  // Both are checked (and reported) whatever the other's verdict.
  const bool reorder_ok =
      note(SpecField::kReorderPackets,
           CheckReorderPackets(spec.reorder_packets).status());
  const bool senders_ok =
      note(SpecField::kMaxSenders, CheckMaxSenders(spec.max_senders).status());
  note(SpecField::kSenderExpiry, CheckSenderExpiry(spec));
  if (reorder_ok && senders_ok) {
    note(SpecField::kMaxSenders,
         CheckReceiverMemory(spec, 0, memory_limit,
                             absl::StrCat("the memory limit of ",
                                          util::FormatByteSize(memory_limit)),
                             "lower max_senders or reorder_packets"));
  }
  return problems;
}

}  // namespace mcast::probe
