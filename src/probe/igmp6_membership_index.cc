#include "probe/igmp6_membership_index.h"

namespace mcast::probe {

Igmp6MembershipIndex::Igmp6MembershipIndex(
    const std::vector<proc::Igmp6Entry>& igmp6) {
  joined_.reserve(igmp6.size());
  for (const proc::Igmp6Entry& e : igmp6) {
    // A line with no users does not make a join, as in Igmp6MembershipOf;
    // another line of the same pair with users still does.
    if (e.users > 0) joined_.insert({e.index, e.group});
  }
}

IgmpMembership Igmp6MembershipIndex::Of(int if_index,
                                        const inet::IpAddress& group) const {
  IgmpMembership m;
  m.joined = joined_.contains({if_index, group});
  return m;
}

}  // namespace mcast::probe
