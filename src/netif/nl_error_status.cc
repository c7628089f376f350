#include "netif/nl_error_status.h"

#include <netlink/errno.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "util/errno_status.h"

namespace mcast::netif {

int NlErrorErrno(int err) {
  // The inverse of libnl's nl_syserr2nlerr where one errno stands behind the
  // code; codes of libnl's own (parse errors, mismatches, ...) have none.
  switch (std::abs(err)) {
    case NLE_INTR:
    case NLE_DUMP_INTR:  // The table changed during the dump: dump again.
      return EINTR;
    case NLE_BAD_SOCK:
      return EBADF;
    case NLE_AGAIN:
      return EAGAIN;
    case NLE_NOMEM:
      return ENOMEM;
    case NLE_EXIST:
      return EEXIST;
    case NLE_INVAL:
      return EINVAL;
    case NLE_RANGE:
      return ERANGE;
    case NLE_OPNOTSUPP:
      return EOPNOTSUPP;
    case NLE_AF_NOSUPPORT:
      return EAFNOSUPPORT;
    case NLE_OBJ_NOTFOUND:
      return ENOENT;
    case NLE_NOADDR:
      return EADDRNOTAVAIL;
    case NLE_BUSY:
      return EBUSY;
    case NLE_PROTO_MISMATCH:
      return EPROTONOSUPPORT;
    case NLE_NOACCESS:
      return EACCES;
    case NLE_PERM:
      return EPERM;
    case NLE_NODEV:
      return ENODEV;
    default:
      return 0;
  }
}

absl::Status NlErrorToStatus(int err, absl::string_view what) {
  return absl::Status(util::ErrnoStatusCode(NlErrorErrno(err)),
                      absl::StrCat(what, ": ", nl_geterror(err)));
}

}  // namespace mcast::netif
