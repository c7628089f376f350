#ifndef MCAST_PROC_IGMP6_PARSER_H_
#define MCAST_PROC_IGMP6_PARSER_H_

// /proc/net/igmp6: the IPv6 multicast groups (MLD) per interface, one line
// per (interface, group), no header:
//
//   3    cap0            ff150000000000000000000000001234     1 00000004 0
//
// Columns: index, device, group (32 hex digits), users, the kernel's
// MAF_* flags (hex) and the report timer (clock ticks, decimal; 0 = idle).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "inet/ip_address.h"

namespace mcast::proc {

struct Igmp6Entry {
  int index = 0;
  std::string device;
  inet::IpAddress group;
  int users = 0;
  uint32_t flags = 0;
  int64_t timer = 0;

  friend bool operator==(const Igmp6Entry&, const Igmp6Entry&) = default;
};

// Parses the text of /proc/net/igmp6. Errors name the line and problem.
absl::StatusOr<std::vector<Igmp6Entry>> ParseIgmp6(absl::string_view text);

// Reads and parses /proc/net/igmp6. A kernel without IPv6 has no such file:
// that gives NotFound.
absl::StatusOr<std::vector<Igmp6Entry>> ReadIgmp6();

}  // namespace mcast::proc

#endif  // MCAST_PROC_IGMP6_PARSER_H_
