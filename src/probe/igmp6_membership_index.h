#ifndef MCAST_PROBE_IGMP6_MEMBERSHIP_INDEX_H_
#define MCAST_PROBE_IGMP6_MEMBERSHIP_INDEX_H_

// One /proc/net/igmp6 read, indexed by (interface, group), for a front end
// that looks up many IPv6 receivers in it: Igmp6MembershipOf scans every
// line of the file per receiver, and the file has a line per group per
// interface, so a read for N receivers was N * (N + a few) compares
// (quadratic in the receivers, as IgmpMembershipIndex was for IPv4). Same
// answers as Igmp6MembershipOf.

#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "inet/ip_address.h"
#include "probe/igmp_membership.h"
#include "proc/igmp6_parser.h"

namespace mcast::probe {

class Igmp6MembershipIndex {
 public:
  explicit Igmp6MembershipIndex(const std::vector<proc::Igmp6Entry>& igmp6);

  // igmp_version stays 0, as in Igmp6MembershipOf (the file has no
  // version column).
  IgmpMembership Of(int if_index, const inet::IpAddress& group) const;

 private:
  // (interface index, group) of every line with users > 0.
  absl::flat_hash_set<std::pair<int, inet::IpAddress>> joined_;
};

}  // namespace mcast::probe

#endif  // MCAST_PROBE_IGMP6_MEMBERSHIP_INDEX_H_
