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
//       (source 10.0.0.1) needs IGMP version 3, got 2
//
// KEY is the dotted path with 0-based probe indexes in file order
// (sender[0] is the first [[sender]]), as toml++ and jq write them. LINE:COL
// is the offending value, the key for unknown keys, and the probe's table
// header for a missing required key. TOML syntax errors stop parsing and come
// alone as "FILE:LINE:COL: syntax error: <description>".
//
// The error status (kInvalidArgument) carries all lines joined by '\n'.
// Only the first 20 problems in file order are listed, then one line
// "FILE: and N more problems". Every line is printable ASCII of at most
// 1024 bytes: values and keys from the file are quoted, control
// characters, backslashes and non-ASCII bytes escaped (\n, \x1b, \xc3), and
// anything longer than 64 bytes cut: 'abc...' (10016 bytes). A key that
// could not be written bare is shown quoted: sender[0]."odd key".
//
// Hostile input is refused before toml++ sees it, each with one line:
// text over 4 MiB, and nesting deeper than 32 levels (dotted key parts,
// table header parts, inline tables and arrays count together; see
// toml_nesting_check.h), which would exhaust toml++ 3.3.0's stack.
//
// Rules beyond types and ranges:
// - Unknown keys and tables are errors at every level: a misspelt key would
//   otherwise silently fall back to a default.
// - Probe names are unique across senders AND receivers, so a name alone
//   identifies a probe in metrics, logs and reloads.
// - Every probe key except name, group and source may be set in [defaults];
//   a probe's own value wins, then [defaults], then the built-in default.
// - A receiver with a source (SSM) needs igmp_version 3.
// - [[mesh]] tables (mesh_table_parser.h) expand into this host's sender and
//   receivers of the mesh (mesh_table_resolver.h), after the probes.
// Values are checked by probe/spec_check.h, the rules and reason texts
// mcast-send and mcast-receive use for their flags. The implementation:
// toml_problems, toml_values, probe_keys, exporter_settings_parser,
// probe_table_parser, probe_table_resolver, config_file.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "exporter/config.h"
#include "exporter/mesh_host.h"

namespace mcast::exporter {

// `file_name` only prefixes the error lines. `host` is what a [[mesh]]'s
// self-detection looks at (mesh_table_resolver.h); the default, no address
// and no --mesh-member, fails every mesh.
absl::StatusOr<Config> ParseConfig(absl::string_view text,
                                   absl::string_view file_name,
                                   const MeshHost& host = {});

// Reads `path` (at most 4 MiB) into memory; errors are prefixed with `path`.
absl::StatusOr<std::string> ReadConfigFile(const std::string& path);

// Reads `path` and parses it; errors are prefixed with `path` as given.
// `mcast-exporter --check-config FILE` is LoadConfigFile(FILE).status().
absl::StatusOr<Config> LoadConfigFile(const std::string& path,
                                      const MeshHost& host = {});

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_CONFIG_LOADER_H_
