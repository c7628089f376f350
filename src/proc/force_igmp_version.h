#ifndef MCAST_PROC_FORCE_IGMP_VERSION_H_
#define MCAST_PROC_FORCE_IGMP_VERSION_H_

// /proc/sys/net/ipv4/conf/<iface>/force_igmp_version: the IGMP version an
// administrator pinned on an interface (0 = not forced, 1, 2 or 3). It is
// what was asked for; the version in effect is the Querier column of
// /proc/net/igmp (an older querier on the link lowers it for minutes).

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcast::proc {

// Parses the file's text ("2\n"). Errors name the problem.
absl::StatusOr<int> ParseForceIgmpVersion(absl::string_view text);
// Reading and writing it for an interface: force_igmp_version_file.h.

}  // namespace mcast::proc

#endif  // MCAST_PROC_FORCE_IGMP_VERSION_H_
