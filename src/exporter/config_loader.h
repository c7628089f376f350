#ifndef MCAST_EXPORTER_CONFIG_LOADER_H_
#define MCAST_EXPORTER_CONFIG_LOADER_H_

// Reads and validates the mcast-exporter TOML file into a Config.
//
// Validation is one pass that reports every problem it finds, not just the
// first, so an operator fixes a file in one edit instead of one restart per
// mistake. Each problem is one line, sorted by position in the file:
//
//   FILE:LINE:COL: KEY: what is wrong (what is allowed)
//   mcast-exporter.toml:12:7: receiver[1].igmp_version: SSM receiver
//       (source 10.0.0.1) needs igmp_version 3, got 2
//
// KEY is the dotted path with 0-based probe indexes in file order
// (sender[0] is the first [[sender]]), as toml++ and jq write them. LINE:COL
// is the offending value, the key for unknown keys, and the probe's table
// header for a missing required key. TOML syntax errors stop parsing and come
// alone as "FILE:LINE:COL: syntax error: <description>".
//
// The error status (kInvalidArgument) carries all lines joined by '\n'.
//
// Rules beyond types and ranges:
// - Unknown keys and tables are errors at every level: a misspelt key would
//   otherwise silently fall back to a default.
// - Probe names are unique across senders AND receivers, so a name alone
//   identifies a probe in metrics, logs and reloads.
// - Every probe key except name, group and source may be set in [defaults];
//   a probe's own value wins, then [defaults], then the built-in default.
// - A receiver with a source (SSM) needs igmp_version 3.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "exporter/config.h"

namespace mcast::exporter {

// `file_name` only prefixes the error lines.
absl::StatusOr<Config> ParseConfig(absl::string_view text,
                                   absl::string_view file_name);

// Reads `path` and parses it; errors are prefixed with `path` as given.
// `mcast-exporter --check-config FILE` is LoadConfigFile(FILE).status().
absl::StatusOr<Config> LoadConfigFile(const std::string& path);

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_CONFIG_LOADER_H_
