#include "probe/igmp_membership.h"

namespace mcast::probe {

IgmpMembership IgmpMembershipOf(const std::vector<proc::IgmpInterface>& igmp,
                                int if_index, const inet::IpAddress& group) {
  IgmpMembership m;
  for (const proc::IgmpInterface& i : igmp) {
    if (i.index != if_index) continue;
    m.igmp_version = i.querier_version;
    for (const proc::IgmpGroup& g : i.groups) {
      if (g.group == group) m.joined = true;
    }
    break;
  }
  return m;
}

IgmpMembership Igmp6MembershipOf(const std::vector<proc::Igmp6Entry>& igmp6,
                                 int if_index, const inet::IpAddress& group) {
  IgmpMembership m;
  for (const proc::Igmp6Entry& e : igmp6) {
    if (e.index == if_index && e.group == group && e.users > 0) {
      m.joined = true;
    }
  }
  return m;
}

}  // namespace mcast::probe
