#ifndef MCAST_PROBE_SPEC_CHECK_H_
#define MCAST_PROBE_SPEC_CHECK_H_

// The one validation of a probe spec, with the limits of probe/limits.h.
//
// mcast-send/mcast-receive and the exporter's TOML loader both build their
// specs through these functions, so the same input gets the same verdict
// and the same reason text. A reason never names the flag or key: each front
// end says where it came from ("mcast-send: --ttl: <reason>",
// "FILE:LINE:COL: sender[0].ttl: <reason>"). Reasons quote untrusted text
// with util::QuoteUntrusted, so they are one line of printable ASCII.
//
// Text parsers take a value as both front ends get it (a command-line word,
// a TOML string or the text of a TOML number); typed checks take the integer
// either front end already has (int64_t, so TOML's range is checked too).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "inet/ip_address.h"
#include "probe/limits.h"
#include "probe/receiver_spec.h"
#include "probe/sender_spec.h"
#include "util/rate.h"

namespace mcast::probe {

// What a reason is about: the front end turns it into a flag or a key.
enum class SpecField {
  kGroup,
  kSource,
  kInterface,
  kPort,
  kTtl,
  kDscp,
  kRate,
  kSize,
  kClock,
  kIgmpVersion,
  kStallTimeout,
  kReorderWindow,
  kReorderPackets,
  kMaxSenders,
  kSenderExpiry,
  kMldVersion,
};

// The TOML key of a field ("igmp_version"); flags are these with '-'.
const char* SpecFieldKey(SpecField field);

struct SpecProblem {
  SpecField field;
  std::string reason;
};

// What the allowed values are, as the reasons append them in parentheses.
inline constexpr char kGroupAllowed[] =
    "an IPv4 multicast address, e.g. \"239.1.2.3\"";
inline constexpr char kSourceAllowed[] =
    "an IPv4 unicast address, e.g. \"10.0.0.1\"";
// The family follows the group: IPv6 text gets IPv6 reasons.
inline constexpr char kGroupV6Allowed[] =
    "an IPv6 multicast address, e.g. \"ff3e::8000:1\"";
inline constexpr char kSourceV6Allowed[] =
    "an IPv6 unicast address, e.g. \"2001:db8::5\"";
inline constexpr char kInterfaceAllowed[] =
    "an interface name of 1-15 characters without '/', ':' or spaces, e.g. "
    "\"eth0\" or \"lo\"";
inline constexpr char kDurationAllowed[] =
    "a duration greater than zero, e.g. \"250ms\", \"3s\", 2.5";
inline constexpr char kRateAllowed[] =
    "e.g. \"25pps\", 1000, \"64kbps\", \"1.5Mbps\", \"1Gbps\"";
inline constexpr char kDscpAllowed[] =
    "0-63 or a name: be, ef, va, af11-af43, cs0-cs7";
inline constexpr char kClockAllowed[] = "\"monotonic\" or \"realtime\"";

// --- Text values ---

// IPv4 multicast, outside 224.0.0.0/24 (IGMP, OSPF, PIM and friends:
// routers never forward it and probes there mingle with control traffic);
// or IPv6 multicast (ff00::/8) with the rules of probe/limits.h: a scope
// of 1 to 14, flags RFC 3306/3956 allow, a prefix length of at most 64,
// and not ff0X::0/1/2, ff02::16 or a solicited-node group.
absl::StatusOr<inet::IpAddress> ParseGroup(absl::string_view text);
// IPv4 unicast: not multicast, not 0.0.0.0, not 255.255.255.255; IPv6
// unicast: not multicast, not ::, not IPv4-mapped (::ffff:0:0/96 sends
// IPv4). Whether it matches the group's family is CheckSourceFamily's.
absl::StatusOr<inet::IpAddress> ParseSource(absl::string_view text);
// util::ParseRate; whether it is a sane packet rate needs the size
// (CheckPacketRate).
absl::StatusOr<util::Rate> ParseRate(absl::string_view text);
// 0-63 or a name (util::ParseDscp).
absl::StatusOr<int> ParseDscp(absl::string_view text);
// A duration greater than zero (stall timeout, reorder window, expiry).
absl::StatusOr<absl::Duration> ParsePositiveDuration(absl::string_view text);
// "monotonic" or "realtime".
absl::StatusOr<SenderClock> ParseClock(absl::string_view text);
// The kernel's dev_valid_name(): 1-15 bytes, no '/', ':' (an alias such as
// "eth0:1" names an address, not a device, and cannot be joined on),
// whitespace or control characters, not "." or "..". Whether it exists is
// the front end's business: the exporter waits for interfaces to appear.
absl::Status CheckInterfaceName(absl::string_view name);

// --- Typed values: the value, or "N is out of range (MIN to MAX)" ---

absl::StatusOr<int> CheckTtl(int64_t ttl);
absl::StatusOr<int> CheckPort(int64_t port);
absl::StatusOr<int> CheckSize(int64_t size);
absl::StatusOr<int> CheckIgmpVersion(int64_t version);
absl::StatusOr<int> CheckMldVersion(int64_t version);
absl::StatusOr<int> CheckReorderPackets(int64_t packets);
absl::StatusOr<int> CheckMaxSenders(int64_t senders);
// The range check the ones above share; "MIN, MIN+1 or MAX" when there
// are three values, `unit` appended ("32 to 65507 bytes").
absl::StatusOr<int> CheckRange(int64_t value, int min, int max,
                               absl::string_view unit = "");
// The allowed values as CheckRange says them: "0 to 255", "1, 2 or 3",
// "1 or 2".
std::string RangeAllowed(int min, int max, absl::string_view unit = "");

// --- Address facts the checks (and front ends) share ---

// The scope nibble of an IPv6 multicast address (ffFS::), else -1.
int MulticastScope(const inet::IpAddress& group);
// An interface-local or link-local IPv6 group (scope 1 or 2: ff01::/16,
// ff02::/16, ff11::, ff12::, ff31::, ff32::...): it exists on every link,
// so a probe on it must name its interface.
bool GroupNeedsInterface(const inet::IpAddress& group);
// The SSM range of the group's family: 232.0.0.0/8 or ff3x::/32.
bool IsSsmGroup(const inet::IpAddress& group);

// --- Across fields ---

// The source (SSM source, or the sender's bind address) is of the group's
// family: one socket is one family. Unspecified is fine. Concerns
// SpecField::kSource.
absl::Status CheckSourceFamily(const inet::IpAddress& group,
                               const inet::IpAddress& source);
// An interface is named when the group needs one (GroupNeedsInterface) or
// the source is IPv6 link-local (fe80::/10, an address of one link only).
// Concerns SpecField::kInterface.
absl::Status CheckScopeInterface(const inet::IpAddress& group,
                                 const inet::IpAddress& source,
                                 absl::string_view interface);

// The rate (canonical text, see util::Rate::ToString) as packets per
// second with `size`-byte datagrams must be kMinPacketsPerSecond to
// kMaxPacketsPerSecond. Concerns SpecField::kRate.
absl::Status CheckPacketRate(absl::string_view rate, double packets_per_second,
                             int size);
// An SSM receiver needs IGMPv3. Concerns SpecField::kIgmpVersion.
absl::Status CheckSsmIgmpVersion(const inet::IpAddress& source,
                                 int igmp_version);
// An IPv6 SSM receiver needs MLDv2. Concerns SpecField::kMldVersion.
absl::Status CheckSsmMldVersion(const inet::IpAddress& source, int mld_version);
// The version asked for belongs to the group's family: an IGMP version
// (`igmp_version_given`) only for an IPv4 group, an MLD version
// (`mld_version_given`) only for an IPv6 one. Front ends say whether the
// user gave each (the spec holds both, with defaults). The problems concern
// SpecField::kIgmpVersion and kMldVersion.
std::vector<SpecProblem> CheckVersionFamily(const inet::IpAddress& group,
                                            bool igmp_version_given,
                                            bool mld_version_given);
// Forgetting a sender before its gaps are decided or before it could be
// seen stalled would hide what the statistics are there to show: expiry is
// at least max(stall_timeout, reorder_window); zero (never) is allowed.
// `is_default` only adds "(the default)" after the value. Concerns
// SpecField::kSenderExpiry.
absl::Status CheckSenderExpiry(const ReceiverSpec& spec,
                               bool is_default = false);
// The heap a receiver can reach: every run flooded with forged sender ids
// (stats::ReceiverStats) plus its stream table full of sources, each
// decoded (streams::StreamTable, about 2.7 MiB at the defaults).
uint64_t WorstCaseBytes(const ReceiverSpec& spec);
// `before` bytes of other receivers plus this one's worst case must fit
// `limit`, which the reason calls `limit_text` ("exporter.memory_limit
// 1 GiB"); `hint` says what to change. Concerns SpecField::kMaxSenders.
absl::Status CheckReceiverMemory(const ReceiverSpec& spec, uint64_t before,
                                 uint64_t limit, absl::string_view limit_text,
                                 absl::string_view hint);

// --- Whole specs: every typed and cross-field rule, first problem first ---

std::vector<SpecProblem> CheckSenderSpec(const SenderSpec& spec);
// The memory rule against `memory_limit` alone (one receiver).
std::vector<SpecProblem> CheckReceiverSpec(
    const ReceiverSpec& spec, uint64_t memory_limit = kDefaultMemoryLimitBytes);

}  // namespace mcast::probe

#endif  // MCAST_PROBE_SPEC_CHECK_H_
