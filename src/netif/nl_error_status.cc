#include "netif/nl_error_status.h"

#include <netlink/errno.h>

#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"

namespace mcast::netif {

absl::Status NlErrorToStatus(int err, absl::string_view what) {
  const std::string msg = absl::StrCat(what, ": ", nl_geterror(err));
  switch (std::abs(err)) {
    case NLE_PERM:
    case NLE_NOACCESS:
      return absl::PermissionDeniedError(msg);
    case NLE_OBJ_NOTFOUND:
    case NLE_NODEV:
    case NLE_NOADDR:
      return absl::NotFoundError(msg);
    case NLE_INVAL:
      return absl::InvalidArgumentError(msg);
    case NLE_INTR:
    case NLE_AGAIN:
    case NLE_DUMP_INTR:  // The table changed during the dump: dump again.
      return absl::UnavailableError(msg);
    case NLE_OPNOTSUPP:
    case NLE_AF_NOSUPPORT:
    case NLE_PROTO_MISMATCH:
      return absl::UnimplementedError(msg);
    case NLE_NOMEM:
      return absl::ResourceExhaustedError(msg);
    default:
      return absl::InternalError(msg);
  }
}

}  // namespace mcast::netif
