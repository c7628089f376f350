#ifndef MCAST_EXPORTER_WEB_CONFIG_PARSER_H_
#define MCAST_EXPORTER_WEB_CONFIG_PARSER_H_

// Reads a --web.config.file (exporter-toolkit format, web_config.h). The
// only file that sees yaml-cpp: its exceptions stop here. Every problem is
// reported as "FILE:LINE:COL: KEY: what", one per line, as the TOML config's
// are; unknown keys are errors, and so are toolkit keys this exporter cannot
// honour (cipher_suites, ...), so a file never means less than it says.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "exporter/web_config.h"

namespace mcast::exporter {

// `text` is the file's content; `file_name` names it in errors; relative
// paths in it are taken from `base_dir` (the file's folder).
absl::StatusOr<WebConfig> ParseWebConfig(absl::string_view text,
                                         const std::string& file_name,
                                         const std::string& base_dir);

// Far above a real parse (the worst 1 MiB file takes ~2 s here).
inline constexpr absl::Duration kWebConfigParseTimeout = absl::Seconds(10);

// Reads and parses `path`: a regular file of at most kMaxWebConfigBytes
// (a FIFO or device is an error, never a wait), parsed first in a forked
// child that must answer within `timeout` (hostile YAML: see the .cc).
// Start, reload and --check-config all load this way.
absl::StatusOr<WebConfig> LoadWebConfig(
    const std::string& path, absl::Duration timeout = kWebConfigParseTimeout);

inline constexpr size_t kMaxWebConfigBytes = 1 << 20;
// basic_auth_users and headers beyond these are errors: each user costs a
// bcrypt hash in memory, each header bytes in every response.
inline constexpr size_t kMaxWebUsers = 1000;

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_WEB_CONFIG_PARSER_H_
