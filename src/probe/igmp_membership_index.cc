#include "probe/igmp_membership_index.h"

namespace mcast::probe {

IgmpMembershipIndex::IgmpMembershipIndex(
    const std::vector<proc::IgmpInterface>& igmp) {
  size_t groups = 0;
  for (const proc::IgmpInterface& i : igmp) groups += i.groups.size();
  joined_.reserve(groups);
  for (const proc::IgmpInterface& i : igmp) {
    // A later listing of the same index is not read, as in IgmpMembershipOf.
    if (!versions_.try_emplace(i.index, i.querier_version).second) continue;
    for (const proc::IgmpGroup& g : i.groups)
      joined_.insert({i.index, g.group});
  }
}

IgmpMembership IgmpMembershipIndex::Of(int if_index,
                                       const inet::IpAddress& group) const {
  IgmpMembership m;
  auto it = versions_.find(if_index);
  if (it == versions_.end()) return m;
  m.igmp_version = it->second;
  m.joined = joined_.contains({if_index, group});
  return m;
}

}  // namespace mcast::probe
