#ifndef MCAST_NET_SOCKET_OPTION_H_
#define MCAST_NET_SOCKET_OPTION_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace mcast::net {

// setsockopt() of an int option; the error names the option (`what`).
absl::Status SetIntOption(int fd, int level, int name, int value,
                          absl::string_view what);

}  // namespace mcast::net

#endif  // MCAST_NET_SOCKET_OPTION_H_
