#ifndef MCAST_NETIF_NL_ERROR_STATUS_H_
#define MCAST_NETIF_NL_ERROR_STATUS_H_

// The one translation of libnl's negative NLE_* return values into
// absl::Status. libnl folds the kernel's errno into its own codes
// (nl_syserr2nlerr); each NLE code gets the status code util::ErrnoToStatus
// gives the errno it stands for, so a failure means the same to a caller
// (and gives the same exit code) whether it came through libnl or a plain
// system call.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace mcast::netif {

// "<what>: <nl_geterror text>" for a libnl return value (negative, as libnl
// returns them; the sign is ignored), with the code util::ErrnoStatusCode
// gives NlErrorErrno(err). That makes:
//   NLE_PERM, NLE_NOACCESS                     -> PermissionDenied
//   NLE_OBJ_NOTFOUND, NLE_NODEV, NLE_NOADDR    -> NotFound
//   NLE_INVAL                                  -> InvalidArgument
//   NLE_INTR, NLE_AGAIN, NLE_DUMP_INTR         -> Unavailable (try again)
//   NLE_OPNOTSUPP, NLE_AF_NOSUPPORT,
//   NLE_PROTO_MISMATCH                         -> Unimplemented
//   NLE_NOMEM                                  -> ResourceExhausted
//   anything else                              -> Internal
absl::Status NlErrorToStatus(int err, absl::string_view what);

// The errno a libnl code stands for (sign ignored), 0 for libnl's own codes
// (NLE_FAILURE, parse errors, ...). NLE_DUMP_INTR is EINTR: dump again.
int NlErrorErrno(int err);

}  // namespace mcast::netif

#endif  // MCAST_NETIF_NL_ERROR_STATUS_H_
