#include "probe/spec_check.h"

#include <arpa/inet.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "stats/receiver_stats.h"
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

absl::StatusOr<inet::IpAddress> ParseV4(absl::string_view text,
                                        absl::string_view allowed) {
  absl::StatusOr<inet::IpAddress> address = inet::IpAddress::Parse(text);
  if (!address.ok()) {
    return Invalid(
        absl::StrCat(util::RequoteEcho(address.status().message(), text), " (",
                     allowed, ")"));
  }
  if (!address->is_v4()) {
    // inet_pton accepted it: hex digits, ':' and '.' only.
    return Invalid(absl::StrCat(text, " is an IPv6 address (", allowed,
                                "; IPv6 probes are not supported yet)"));
  }
  return *address;
}

// The address in host byte order, for prefix checks by number.
uint32_t HostOrder(const inet::IpAddress& address) {
  return ntohl(address.v4().s_addr);
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
void CheckWhereTo(const std::string& interface, int port,
                  const ProblemNoter& note) {
  if (!interface.empty()) {
    note(SpecField::kInterface, CheckInterfaceName(interface));
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
  absl::StatusOr<inet::IpAddress> group = ParseV4(text, kGroupAllowed);
  if (!group.ok()) return group.status();
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
  absl::StatusOr<inet::IpAddress> source = ParseV4(text, kSourceAllowed);
  if (!source.ok()) return source.status();
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
  return stats::ReceiverStats::WorstCaseBytes(spec.stats_options());
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
      " per run)");
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
  CheckWhereTo(spec.interface, spec.port, note);
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
  CheckWhereTo(spec.interface, spec.port, note);
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
