#ifndef MCAST_PROBE_IGMP_MEMBERSHIP_H_
#define MCAST_PROBE_IGMP_MEMBERSHIP_H_

// What /proc/net/igmp says about one receiver's join: whether the group is
// joined on its interface, and the IGMP version in effect there (the
// kernel's querier compatibility mode included, so it can differ from the
// version forced).

#include <vector>

#include "inet/ip_address.h"
#include "proc/igmp6_parser.h"
#include "proc/igmp_parser.h"

namespace mcast::probe {

struct IgmpMembership {
  bool joined = false;
  int igmp_version = 0;  // 0: the interface is not listed.
};

IgmpMembership IgmpMembershipOf(const std::vector<proc::IgmpInterface>& igmp,
                                int if_index, const inet::IpAddress& group);
// An IPv6 group's join from /proc/net/igmp6. That file has no version
// column: igmp_version stays 0 (unknown) here; the MLD version in effect
// is not read from it.
IgmpMembership Igmp6MembershipOf(const std::vector<proc::Igmp6Entry>& igmp6,
                                 int if_index, const inet::IpAddress& group);

}  // namespace mcast::probe

#endif  // MCAST_PROBE_IGMP_MEMBERSHIP_H_
