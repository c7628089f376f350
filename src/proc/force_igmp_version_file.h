#ifndef MCAST_PROC_FORCE_IGMP_VERSION_FILE_H_
#define MCAST_PROC_FORCE_IGMP_VERSION_FILE_H_

// Reading and writing the version sysctls
//   <proc_root>/sys/net/ipv4/conf/<iface>/force_igmp_version  (IGMP)
//   <proc_root>/sys/net/ipv6/conf/<iface>/force_mld_version   (MLD)
// (the text format is force_igmp_version.h). Here with the other /proc code
// so net::IgmpVersionGuard keeps only the policy: who forced what, and what
// to restore. One implementation for both protocols; the *Igmp* names are
// the IGMP instances.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proc/group_protocol.h"

namespace mcast::proc {

// The name becomes a path component: InvalidArgument for anything that would
// escape the conf/ directory ("", ".", "..", a '/').
absl::Status CheckConfInterfaceName(absl::string_view iface);

std::string ForceVersionPath(GroupProtocol protocol,
                             absl::string_view proc_root,
                             absl::string_view iface);

// Reads the sysctl of `iface`. NotFound when the file is missing (no such
// interface in this namespace, or no IPv6 on it).
absl::StatusOr<int> ReadForcedVersion(GroupProtocol protocol,
                                      absl::string_view iface,
                                      absl::string_view proc_root = "/proc");

// The same at a path from ForceVersionPath; `iface` names it in errors.
absl::StatusOr<int> ReadForceVersionFile(GroupProtocol protocol,
                                         absl::string_view iface,
                                         const std::string& path);
// Writes `value` (never creates the file: a missing file means a missing
// interface).
absl::Status WriteForceVersionFile(GroupProtocol protocol,
                                   absl::string_view iface,
                                   const std::string& path, int value);
// Whether this process may write it (effective ids and capabilities, as the
// write will use): PermissionDenied, NotFound, ... as the write would give.
absl::Status CheckForceVersionWritable(GroupProtocol protocol,
                                       absl::string_view iface,
                                       const std::string& path);

// The IGMP instances.
std::string ForceIgmpVersionPath(absl::string_view proc_root,
                                 absl::string_view iface);
absl::StatusOr<int> ReadForcedIgmpVersion(
    absl::string_view iface, absl::string_view proc_root = "/proc");
absl::StatusOr<int> ReadForceIgmpVersionFile(absl::string_view iface,
                                             const std::string& path);
absl::Status WriteForceIgmpVersionFile(absl::string_view iface,
                                       const std::string& path, int value);
absl::Status CheckForceIgmpVersionWritable(absl::string_view iface,
                                           const std::string& path);

}  // namespace mcast::proc

#endif  // MCAST_PROC_FORCE_IGMP_VERSION_FILE_H_
