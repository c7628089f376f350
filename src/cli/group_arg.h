#ifndef MCAST_CLI_GROUP_ARG_H_
#define MCAST_CLI_GROUP_ARG_H_

#include <string>

#include "absl/status/statusor.h"
#include "inet/ip_address.h"

namespace mcast::cli {

// The group argument of mcast-send and mcast-receive: an IPv4 multicast
// address, with the same error text in both tools.
absl::StatusOr<inet::IpAddress> ParseGroupArg(const std::string& text);

}  // namespace mcast::cli

#endif  // MCAST_CLI_GROUP_ARG_H_
