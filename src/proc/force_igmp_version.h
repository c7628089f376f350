#ifndef MCAST_PROC_FORCE_IGMP_VERSION_H_
#define MCAST_PROC_FORCE_IGMP_VERSION_H_

// /proc/sys/net/ipv4/conf/<iface>/force_igmp_version: the IGMP version an
// administrator pinned on an interface (0 = not forced, 1, 2 or 3). It is
// what was asked for; the version in effect is the Querier column of
// /proc/net/igmp (an older querier on the link lowers it for minutes).
//
// Its IPv6 twin /proc/sys/net/ipv6/conf/<iface>/force_mld_version (0 = not
// forced, 1 or 2) has the same text format. The kernel accepts any integer
// in either file and treats values it does not know as 0; the tools never
// write those, and refuse to take one for an administrator's value to
// restore (an error names it).

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proc/group_protocol.h"

namespace mcast::proc {

// Parses the file's text ("2\n"): 0..MaxGroupProtocolVersion(protocol).
// Errors name the file and the problem.
absl::StatusOr<int> ParseForceVersion(GroupProtocol protocol,
                                      absl::string_view text);
// The same for force_igmp_version.
absl::StatusOr<int> ParseForceIgmpVersion(absl::string_view text);
// Reading and writing it for an interface: force_igmp_version_file.h.

}  // namespace mcast::proc

#endif  // MCAST_PROC_FORCE_IGMP_VERSION_H_
