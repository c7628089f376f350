#ifndef MCAST_PROC_FORCE_IGMP_VERSION_FILE_H_
#define MCAST_PROC_FORCE_IGMP_VERSION_FILE_H_

// Reading and writing <proc_root>/sys/net/ipv4/conf/<iface>/force_igmp_version
// (the text format is force_igmp_version.h). Here with the other /proc code
// so net::IgmpVersionGuard keeps only the policy: who forced what, and what
// to restore.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcast::proc {

// The name becomes a path component: InvalidArgument for anything that would
// escape the conf/ directory ("", ".", "..", a '/').
absl::Status CheckConfInterfaceName(absl::string_view iface);

std::string ForceIgmpVersionPath(absl::string_view proc_root,
                                 absl::string_view iface);

// Reads <proc_root>/sys/net/ipv4/conf/<iface>/force_igmp_version.
// NotFound when the file is missing (no such interface in this namespace).
absl::StatusOr<int> ReadForcedIgmpVersion(
    absl::string_view iface, absl::string_view proc_root = "/proc");

// The same at a path from ForceIgmpVersionPath; `iface` names it in errors.
absl::StatusOr<int> ReadForceIgmpVersionFile(absl::string_view iface,
                                             const std::string& path);
// Writes `value` (never creates the file: a missing file means a missing
// interface).
absl::Status WriteForceIgmpVersionFile(absl::string_view iface,
                                       const std::string& path, int value);
// Whether this process may write it (effective ids and capabilities, as the
// write will use): PermissionDenied, NotFound, ... as the write would give.
absl::Status CheckForceIgmpVersionWritable(absl::string_view iface,
                                           const std::string& path);

}  // namespace mcast::proc

#endif  // MCAST_PROC_FORCE_IGMP_VERSION_FILE_H_
