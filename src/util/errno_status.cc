#include "util/errno_status.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace mcast::util {

absl::Status ErrnoToStatus(int err, absl::string_view context) {
  const std::string message = absl::StrCat(context, ": ", std::strerror(err));
  switch (err) {
    case EPERM:
    case EACCES:
    case EROFS:
      return absl::PermissionDeniedError(message);
    case ENODEV:
    case ENOENT:
    case ENXIO:
    case EADDRNOTAVAIL:
      return absl::NotFoundError(message);
    case EINVAL:
      return absl::InvalidArgumentError(message);
    case EAGAIN:
    case ENOBUFS:
    case ENETUNREACH:
    case ENETDOWN:
    case EHOSTUNREACH:
    case EINTR:
      return absl::UnavailableError(message);
    case EAFNOSUPPORT:
    case EPROTONOSUPPORT:
    case EOPNOTSUPP:
    case ENOSYS:
      return absl::UnimplementedError(message);
    case ENOMEM:
    case EMFILE:
    case ENFILE:
      return absl::ResourceExhaustedError(message);
    default:
      return absl::InternalError(message);
  }
}

}  // namespace mcast::util
