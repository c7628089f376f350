#include "exporter/isolated_config_load.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "exporter/config_loader.h"
#include "util/message_text.h"
#include "util/run_isolated.h"

namespace mcast::exporter {

absl::StatusOr<Config> LoadConfigFileIsolated(const std::string& path,
                                              absl::Duration timeout,
                                              const MeshHost& host) {
  absl::StatusOr<std::string> text = ReadConfigFile(path);
  if (!text.ok()) return text.status();
  absl::Status checked = util::RunIsolated(
      [&] { return ParseConfig(*text, path, host).status(); }, timeout);
  if (checked.ok()) return ParseConfig(*text, path, host);
  switch (checked.code()) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kUnavailable:
      // The child did not answer: say so, it is not an error in the file
      // that the operator could find at a line.
      return absl::InvalidArgumentError(
          util::SanitizeLine(absl::StrCat(path, ": refused: the config parser ",
                                          checked.message()),
                             1024));
    default:
      return checked;  // The file's own errors, already one per line.
  }
}

}  // namespace mcast::exporter
