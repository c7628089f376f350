#include "exporter/open_file_limit.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace mcast::exporter {

OpenFileLimit RaiseOpenFileLimit() {
  OpenFileLimit result;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    result.error = absl::StrCat("getrlimit: ", std::strerror(errno));
    return result;
  }
  result.soft_before = result.soft = limit.rlim_cur;
  result.hard = limit.rlim_max;
  if (limit.rlim_cur >= limit.rlim_max) return result;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    result.error = absl::StrCat("setrlimit: ", std::strerror(errno));
    return result;
  }
  result.soft = limit.rlim_cur;
  return result;
}

uint64_t CurrentOpenFileLimit() {
  rlimit limit{};
  // Cannot fail for RLIMIT_NOFILE; 0 would refuse every config loudly.
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  return limit.rlim_cur;
}

}  // namespace mcast::exporter
