#include "cli/group_arg.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mcast::cli {

absl::StatusOr<inet::IpAddress> ParseGroupArg(const std::string& text) {
  absl::StatusOr<inet::IpAddress> group = inet::IpAddress::Parse(text);
  if (!group.ok() || !group->is_v4() || !group->is_multicast()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text,
        "' is not an IPv4 multicast group (use 224.0.0.0-239.255.255.255, "
        "e.g. 239.0.10.101)"));
  }
  return *group;
}

}  // namespace mcast::cli
