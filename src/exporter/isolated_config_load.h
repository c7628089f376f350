#ifndef MCAST_EXPORTER_ISOLATED_CONFIG_LOAD_H_
#define MCAST_EXPORTER_ISOLATED_CONFIG_LOAD_H_

// LoadConfigFile with the parse tried in a child process first.
//
// The nesting pre-check (toml_nesting_check.h) refuses every input known to
// crash toml++ 3.3.0; this is for the ones nobody knows yet. The file is
// read once; a forked child parses that text and reports only the status.
// If the child crashes, hangs past `timeout` or cannot be started, the load
// fails with "FILE: refused: the config parser <what happened>" and nothing
// was parsed in this process. Otherwise this process parses the same bytes
// on the same thread, which the child has just shown to be safe: the parse
// is deterministic.
//
// The exporter loads this way at start, on SIGHUP and for --check-config, so
// a hostile file fails the reload (mcast_exporter_config_last_reload_
// successful 0, old config kept) or the check (exit 78), never the process.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "exporter/config.h"
#include "exporter/mesh_host.h"

namespace mcast::exporter {

// Far above a real parse (4 MiB, the largest file read, takes < 0.5 s),
// short enough that a stuck reload is noticed.
inline constexpr absl::Duration kConfigParseTimeout = absl::Seconds(10);

// `host`: for the meshes' self-detection (config_loader.h).
absl::StatusOr<Config> LoadConfigFileIsolated(
    const std::string& path, absl::Duration timeout = kConfigParseTimeout,
    const MeshHost& host = {});

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_ISOLATED_CONFIG_LOAD_H_
