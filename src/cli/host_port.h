#ifndef MCAST_CLI_HOST_PORT_H_
#define MCAST_CLI_HOST_PORT_H_

// "239.1.2.3:19779" or "[ff3e::8000:1]:19779": an IPv6 address is
// bracketed before its port (RFC 3986), or the port would read as the last
// group of the address.

#include <string>

#include "absl/strings/string_view.h"

namespace mcast::cli {

std::string HostPort(absl::string_view address, int port);

}  // namespace mcast::cli

#endif  // MCAST_CLI_HOST_PORT_H_
