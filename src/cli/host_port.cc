#include "cli/host_port.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace mcast::cli {

std::string HostPort(absl::string_view address, int port) {
  if (absl::StrContains(address, ':')) {
    return absl::StrCat("[", address, "]:", port);
  }
  return absl::StrCat(address, ":", port);
}

}  // namespace mcast::cli
