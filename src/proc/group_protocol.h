#ifndef MCAST_PROC_GROUP_PROTOCOL_H_
#define MCAST_PROC_GROUP_PROTOCOL_H_

// The two group-membership protocols a host speaks: IGMP for IPv4 groups and
// MLD for IPv6 ones. Their version knobs are twins
// (/proc/sys/net/ipv4/conf/<if>/force_igmp_version and
// /proc/sys/net/ipv6/conf/<if>/force_mld_version), so the code reading,
// writing and restoring them is written once with this as a parameter.

#include "absl/strings/string_view.h"

namespace mcast::proc {

enum class GroupProtocol { kIgmp, kMld };

// "IGMP" or "MLD", as in "IGMPv3" and "MLDv2".
absl::string_view GroupProtocolName(GroupProtocol protocol);
// The newest version, which the kernel speaks unless told otherwise: 3 for
// IGMP, 2 for MLD.
int MaxGroupProtocolVersion(GroupProtocol protocol);
// The sysctl's file name: "force_igmp_version" or "force_mld_version".
absl::string_view ForceVersionSysctlName(GroupProtocol protocol);
// The directory under <proc_root>/sys/net/: "ipv4" or "ipv6".
absl::string_view ForceVersionSysctlFamily(GroupProtocol protocol);

}  // namespace mcast::proc

#endif  // MCAST_PROC_GROUP_PROTOCOL_H_
