#ifndef MCAST_NET_ERRNO_STATUS_H_
#define MCAST_NET_ERRNO_STATUS_H_

// Turns a failed system call into an absl::Status. Abseil 20220623 has no
// absl::ErrnoToStatus, and callers need the code to decide what to do: a
// PermissionDenied is worth a hint ("run as root"), a NotFound usually means
// a mistyped interface, and Unavailable marks conditions that pass by
// themselves (full queues, a link that is down) so a sender counts them and
// goes on instead of stopping.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace mcast::net {

// `context` says what failed, e.g. "setsockopt(IP_MULTICAST_TTL)"; the
// message is "<context>: <strerror(err)>".
//   EPERM, EACCES, EROFS                      -> PermissionDenied
//   ENODEV, ENOENT, ENXIO, EADDRNOTAVAIL      -> NotFound
//   EINVAL                                    -> InvalidArgument
//   EAGAIN, ENOBUFS, ENETUNREACH, ENETDOWN,
//   EHOSTUNREACH, EINTR                       -> Unavailable (transient)
//   anything else                             -> Internal
absl::Status ErrnoToStatus(int err, absl::string_view context);

}  // namespace mcast::net

#endif  // MCAST_NET_ERRNO_STATUS_H_
