#include "util/errno_status.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace mcast::util {

absl::StatusCode ErrnoStatusCode(int err) {
  switch (err) {
    case EPERM:
    case EACCES:
    case EROFS:
      return absl::StatusCode::kPermissionDenied;
    case ENODEV:
    case ENOENT:
    case ENXIO:
    case EADDRNOTAVAIL:
      return absl::StatusCode::kNotFound;
    case EINVAL:
      return absl::StatusCode::kInvalidArgument;
    case EAGAIN:
    case ENOBUFS:
    case ENETUNREACH:
    case ENETDOWN:
    case EHOSTUNREACH:
    case EINTR:
      return absl::StatusCode::kUnavailable;
    case EAFNOSUPPORT:
    case EPROTONOSUPPORT:
    case EOPNOTSUPP:
    case ENOSYS:
      return absl::StatusCode::kUnimplemented;
    case ENOMEM:
    case EMFILE:
    case ENFILE:
      return absl::StatusCode::kResourceExhausted;
    default:
      return absl::StatusCode::kInternal;
  }
}

absl::Status ErrnoToStatus(int err, absl::string_view context) {
  return absl::Status(ErrnoStatusCode(err),
                      absl::StrCat(context, ": ", std::strerror(err)));
}

}  // namespace mcast::util
