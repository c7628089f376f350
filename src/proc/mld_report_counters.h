#ifndef MCAST_PROC_MLD_REPORT_COUNTERS_H_
#define MCAST_PROC_MLD_REPORT_COUNTERS_H_

// The MLD reports an interface has sent, from /proc/net/dev_snmp6/<iface>
// ("Name<blanks>value" lines): Icmp6OutGroupMembResponses counts MLDv1
// reports (ICMPv6 type 131), Icmp6OutMLDv2Reports MLDv2 reports (type 143).
// Both names are printed even when zero (the Icmp6OutTypeN lines only when
// not). mld_version_in_effect.h turns them into the version in effect.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcast::proc {

struct MldReportCounters {
  int64_t v1_reports = 0;  // ICMPv6 type 131 sent.
  int64_t v2_reports = 0;  // ICMPv6 type 143 sent.

  friend bool operator==(const MldReportCounters&,
                         const MldReportCounters&) = default;
};

// Parses the text of /proc/net/dev_snmp6/<iface>. InvalidArgument (naming
// the line) for a malformed line or when either counter is missing.
absl::StatusOr<MldReportCounters> ParseMldReportCounters(
    absl::string_view text);

// Reads <proc_root>/net/dev_snmp6/<iface>. NotFound when there is no such
// interface or it has no IPv6.
absl::StatusOr<MldReportCounters> ReadMldReportCounters(
    absl::string_view iface, absl::string_view proc_root = "/proc");

}  // namespace mcast::proc

#endif  // MCAST_PROC_MLD_REPORT_COUNTERS_H_
