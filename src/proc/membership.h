#ifndef MCAST_PROC_MEMBERSHIP_H_
#define MCAST_PROC_MEMBERSHIP_H_

// The host's multicast memberships per interface: /proc/net/igmp joined with
// the source filters of /proc/net/mcfilter (IPv4), and /proc/net/igmp6 with
// those of /proc/net/mcfilter6 (IPv6, the same rules).
//
// Why a group's filter can be "unknown": the kernel's mcfilter listing
// (igmp_mcf_get_first) starts at the first interface, in device-list order,
// whose NEWEST group has sources, and lists everything from there on. So
// for every interface before that one (all of them when the file is empty)
// only its newest group is known to be source-less (any-source, exclude
// mode); its older groups may have source filters that are simply not
// shown. An SSM join followed by an ASM join on the same interface hides
// the SSM source that way. /proc/net/igmp lists interfaces in the same
// device order and groups newest first, which is what lets us tell which
// groups are complete.
//
// The mode is derived from the counts: a group with blocked sources (EXC >
// 0) is in exclude mode and lists them; a group with only included sources
// is in include mode (SSM) and lists them; a group with no source lines is
// an any-source join (exclude mode, nothing excluded). A group joined both
// ASM and SSM by different sockets looks like include mode here although the
// kernel accepts every source: the counts cannot tell them apart.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "inet/ip_address.h"
#include "proc/igmp6_parser.h"
#include "proc/igmp_parser.h"
#include "proc/mcfilter6_parser.h"
#include "proc/mcfilter_parser.h"

namespace mcast::proc {

enum class FilterMode { kInclude, kExclude, kUnknown };

// "include", "exclude" or "unknown".
const char* FilterModeName(FilterMode mode);

struct GroupMembership {
  inet::IpAddress group;
  int users = 0;
  FilterMode filter_mode = FilterMode::kUnknown;
  // Include mode: the accepted sources. Exclude mode: the blocked ones.
  std::vector<inet::IpAddress> sources;
};

struct InterfaceMemberships {
  int index = 0;
  std::string name;
  // IGMP version in effect (the Querier column); 0 when the interface has
  // no IPv4 multicast state (IPv6 only).
  int igmp_version = 0;
  std::vector<GroupMembership> groups;  // IPv4 newest first, then IPv6.
};

// Groups every host holds without anyone asking: 224.0.0.1, ff01::1,
// ff02::1 and the solicited-node groups ff02::1:ffxx:xxxx.
bool IsKernelDefaultGroup(const inet::IpAddress& group);

// Pure combination of parsed files (in the kernel's order), for tests.
std::vector<InterfaceMemberships> BuildMemberships(
    const std::vector<IgmpInterface>& igmp,
    const std::vector<McFilterEntry>& mcfilter,
    const std::vector<Igmp6Entry>& igmp6,
    const std::vector<McFilterEntry>& mcfilter6 = {});

// Reads the four files of the current network namespace. A missing
// /proc/net/igmp6 or mcfilter6 (no IPv6) is not an error; a missing
// /proc/net/igmp is.
absl::StatusOr<std::vector<InterfaceMemberships>> ReadMemberships();

}  // namespace mcast::proc

#endif  // MCAST_PROC_MEMBERSHIP_H_
