#include "net/process_identity.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace mcast::net {

uint64_t ParseProcStatStartTime(absl::string_view text) {
  const size_t paren = text.rfind(')');
  if (paren == absl::string_view::npos) return 0;
  // After ") ": field 3 (state) is the first; starttime is field 22.
  std::vector<absl::string_view> f =
      absl::StrSplit(text.substr(paren + 1), ' ', absl::SkipEmpty());
  constexpr size_t kStartTime = 22 - 3;
  if (f.size() <= kStartTime) return 0;
  uint64_t v = 0;
  if (!absl::SimpleAtoi(f[kStartTime], &v)) return 0;
  return v;
}

uint64_t ProcessStartTime(int64_t pid, absl::string_view proc_root) {
  if (pid <= 0) return 0;
  const std::string path = absl::StrCat(proc_root, "/", pid, "/stat");
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[1024];
  ssize_t n;
  do {
    n = read(fd, buf, sizeof(buf));
  } while (n < 0 && errno == EINTR);
  close(fd);
  if (n <= 0) return 0;
  return ParseProcStatStartTime(absl::string_view(buf, static_cast<size_t>(n)));
}

bool ProcessAlive(int64_t pid, uint64_t start_time,
                  absl::string_view proc_root) {
  if (pid <= 0 || pid > INT32_MAX) return false;
  if (kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return false;
  const uint64_t now = ProcessStartTime(pid, proc_root);
  if (now != 0 && start_time != 0 && now != start_time) return false;
  return true;
}

}  // namespace mcast::net
