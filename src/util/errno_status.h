#ifndef MCAST_UTIL_ERRNO_STATUS_H_
#define MCAST_UTIL_ERRNO_STATUS_H_

// The one translation of a failed system call into an absl::Status, used by
// every folder (net/, proc/, exporter/ ...) so the same errno always gives
// the same code, and so the same exit code (cli/exit_codes.h). Not
// absl::ErrnoToStatus: its table calls ENOBUFS ResourceExhausted (a sender
// would stop on a full queue) and EADDRNOTAVAIL AlreadyExists, and callers
// need the code to decide what to do: a PermissionDenied is worth a hint ("run
// as root"), a NotFound usually means a mistyped interface, and Unavailable
// marks conditions that pass by themselves (full queues, a link that is down)
// so a sender counts them and goes on instead of stopping. libnl's own codes go
// through netif::NlErrorToStatus, which gives the code of the errno they stand
// for.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace mcast::util {

// `context` says what failed, e.g. "setsockopt(IP_MULTICAST_TTL)"; the
// message is "<context>: <strerror(err)>".
//   EPERM, EACCES, EROFS                      -> PermissionDenied
//   ENODEV, ENOENT, ENXIO, EADDRNOTAVAIL      -> NotFound
//   EINVAL                                    -> InvalidArgument
//   EAGAIN, ENOBUFS, ENETUNREACH, ENETDOWN,
//   EHOSTUNREACH, EINTR                       -> Unavailable (transient)
//   EAFNOSUPPORT, EPROTONOSUPPORT, EOPNOTSUPP,
//   ENOSYS                                    -> Unimplemented (this kernel)
//   ENOMEM, EMFILE, ENFILE                    -> ResourceExhausted
//   anything else                             -> Internal
absl::Status ErrnoToStatus(int err, absl::string_view context);

// The code alone, for translations that word their own message
// (netif::NlErrorToStatus): 0 and unknown values are Internal.
absl::StatusCode ErrnoStatusCode(int err);

}  // namespace mcast::util

#endif  // MCAST_UTIL_ERRNO_STATUS_H_
