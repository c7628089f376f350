#ifndef MCAST_PROBE_IGMP_MEMBERSHIP_INDEX_H_
#define MCAST_PROBE_IGMP_MEMBERSHIP_INDEX_H_

// One /proc/net/igmp read, indexed by (interface, group), for a front end
// that looks up many receivers in it: IgmpMembershipOf scans every group
// of the interface per receiver, which at a thousand receivers on one
// interface was a million address compares a second (2 % of the exporter's
// CPU at 1000 flows, and quadratic in the receivers). Same answers as
// IgmpMembershipOf.

#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "inet/ip_address.h"
#include "probe/igmp_membership.h"
#include "proc/igmp_parser.h"

namespace mcast::probe {

class IgmpMembershipIndex {
 public:
  explicit IgmpMembershipIndex(const std::vector<proc::IgmpInterface>& igmp);

  IgmpMembership Of(int if_index, const inet::IpAddress& group) const;

 private:
  // Interface index -> IGMP version in effect (the first listing of an
  // index, as IgmpMembershipOf reads it).
  absl::flat_hash_map<int, int> versions_;
  absl::flat_hash_set<std::pair<int, inet::IpAddress>> joined_;
};

}  // namespace mcast::probe

#endif  // MCAST_PROBE_IGMP_MEMBERSHIP_INDEX_H_
