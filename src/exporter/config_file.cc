#include "exporter/config_file.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "exporter/config_loader.h"
#include "exporter/toml_problems.h"
#include "util/message_text.h"
#include "util/regular_file.h"

namespace mcast::exporter {

absl::Status ConfigTooLarge(absl::string_view file_name) {
  return absl::InvalidArgumentError(util::SanitizeLine(
      absl::StrCat(file_name, ": larger than ", kMaxConfigFileSize >> 20,
                   " MiB, not an mcast-exporter config"),
      kMaxProblemLine));
}

absl::StatusOr<std::string> ReadConfigFile(const std::string& path) {
  // Only a regular file: a FIFO would block open() (and the exporter's
  // loop, on SIGHUP) until a writer came; /dev/zero would never end.
  absl::StatusOr<std::string> text =
      util::ReadRegularFile(path, kMaxConfigFileSize);
  if (absl::IsOutOfRange(text.status())) return ConfigTooLarge(path);
  return text;
}

}  // namespace mcast::exporter
