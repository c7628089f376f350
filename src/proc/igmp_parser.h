#ifndef MCAST_PROC_IGMP_PARSER_H_
#define MCAST_PROC_IGMP_PARSER_H_

// /proc/net/igmp: the IPv4 multicast groups each interface has joined, as the
// kernel sees them (one entry per group whatever the number of sockets).
//
//   Idx	Device    : Count Querier	Group    Users Timer	Reporter
//   3	cap0      :     3      V2
//   				010101E8     1 1:0000022B		1
//
// The Querier column is the IGMP version in effect on the link: the forced
// version (force_igmp_version) or, for minutes after an older querier was
// heard, that querier's version. The group is the in_addr printed as a host
// u32 (010101E8 is 232.1.1.1 on little-endian machines). Interfaces come in
// the kernel's device-list order, and each one's groups newest first; the
// mcfilter interpretation (membership.h) depends on both orders.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "inet/ip_address.h"

namespace mcast::proc {

struct IgmpGroup {
  inet::IpAddress group;
  int users = 0;  // Sockets (and kernel users) holding the membership.
  // A report is scheduled (after a join or in answer to a query), due in
  // timer_remaining jiffies-as-clock_t (hundredths of a second).
  bool timer_running = false;
  uint32_t timer_remaining = 0;
  bool reporter = false;  // This host sent the last report for the group.

  friend bool operator==(const IgmpGroup&, const IgmpGroup&) = default;
};

struct IgmpInterface {
  int index = 0;
  std::string name;
  int count = 0;            // Groups on the interface, as the kernel counts.
  int querier_version = 0;  // 1, 2 or 3: the IGMP version in effect.
  std::vector<IgmpGroup> groups;  // Newest join first.
};

// Parses the text of /proc/net/igmp. Errors name the line and the problem.
absl::StatusOr<std::vector<IgmpInterface>> ParseIgmp(absl::string_view text);

// Reads and parses /proc/net/igmp of the current network namespace.
absl::StatusOr<std::vector<IgmpInterface>> ReadIgmp();

}  // namespace mcast::proc

#endif  // MCAST_PROC_IGMP_PARSER_H_
