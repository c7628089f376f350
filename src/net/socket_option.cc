#include "net/socket_option.h"

#include <sys/socket.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "util/errno_status.h"

namespace mcast::net {

absl::Status SetIntOption(int fd, int level, int name, int value,
                          absl::string_view what) {
  if (setsockopt(fd, level, name, &value, sizeof(value)) != 0) {
    return util::ErrnoToStatus(errno, absl::StrCat("setsockopt(", what, ")"));
  }
  return absl::OkStatus();
}

}  // namespace mcast::net
