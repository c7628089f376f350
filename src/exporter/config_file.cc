#include "exporter/config_file.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "exporter/config_loader.h"
#include "exporter/toml_problems.h"
#include "util/errno_status.h"
#include "util/message_text.h"

namespace mcast::exporter {

absl::Status ConfigTooLarge(absl::string_view file_name) {
  return absl::InvalidArgumentError(util::SanitizeLine(
      absl::StrCat(file_name, ": larger than ", kMaxConfigFileSize >> 20,
                   " MiB, not an mcast-exporter config"),
      kMaxProblemLine));
}

absl::StatusOr<std::string> ReadConfigFile(const std::string& path) {
  const std::string shown = util::SanitizeLine(path, kMaxProblemLine);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return util::ErrnoToStatus(errno, absl::StrCat(shown, ": cannot open"));
  }
  // Read straight into the string: a 64 KiB stack buffer would be a large
  // share of a small thread stack.
  std::string text;
  constexpr size_t kChunk = 65536;
  while (true) {
    const size_t used = text.size();
    text.resize(used + kChunk);
    ssize_t n = read(fd, text.data() + used, kChunk);
    if (n < 0 && errno == EINTR) {
      text.resize(used);
      continue;
    }
    if (n < 0) {
      int err = errno;
      close(fd);
      return util::ErrnoToStatus(err, absl::StrCat(shown, ": cannot read"));
    }
    text.resize(used + static_cast<size_t>(n));
    if (n == 0) break;
    if (text.size() > kMaxConfigFileSize) {
      close(fd);
      return ConfigTooLarge(path);
    }
  }
  close(fd);
  return text;
}

}  // namespace mcast::exporter
