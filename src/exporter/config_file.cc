#include "exporter/config_file.h"

#include <errno.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "exporter/config_loader.h"
#include "exporter/toml_problems.h"
#include "util/errno_status.h"
#include "util/message_text.h"
#include "util/regular_file.h"
#include "util/unique_fd.h"

namespace mcast::exporter {

absl::Status ConfigTooLarge(absl::string_view file_name) {
  return absl::InvalidArgumentError(util::SanitizeLine(
      absl::StrCat(file_name, ": larger than ", kMaxConfigFileSize >> 20,
                   " MiB, not an mcast-exporter config"),
      kMaxProblemLine));
}

absl::StatusOr<std::string> ReadConfigFile(const std::string& path) {
  const std::string shown = util::SanitizeLine(path, kMaxProblemLine);
  // Only a regular file: a FIFO would block open() (and the exporter's
  // loop, on SIGHUP) until a writer came; /dev/zero would never end.
  absl::StatusOr<util::UniqueFd> fd = util::OpenRegularFile(path);
  if (!fd.ok()) return fd.status();
  // Read straight into the string: a 64 KiB stack buffer would be a large
  // share of a small thread stack.
  std::string text;
  constexpr size_t kChunk = 65536;
  while (true) {
    const size_t used = text.size();
    text.resize(used + kChunk);
    ssize_t n = read(fd->get(), text.data() + used, kChunk);
    if (n < 0 && errno == EINTR) {
      text.resize(used);
      continue;
    }
    if (n < 0) {
      return util::ErrnoToStatus(errno, absl::StrCat(shown, ": cannot read"));
    }
    text.resize(used + static_cast<size_t>(n));
    if (n == 0) break;
    if (text.size() > kMaxConfigFileSize) return ConfigTooLarge(path);
  }
  return text;
}

}  // namespace mcast::exporter
