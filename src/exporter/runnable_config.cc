#include "exporter/runnable_config.h"

#include "exporter/fd_budget.h"
#include "exporter/isolated_config_load.h"
#include "exporter/mesh_host.h"
#include "exporter/open_file_limit.h"

namespace mcast::exporter {

absl::StatusOr<Config> LoadRunnableConfig(const std::string& path,
                                          size_t listen_addresses,
                                          const std::string& mesh_member) {
  // This host's addresses as they are now: at start, --check-config and
  // each SIGHUP.
  absl::StatusOr<Config> config = LoadConfigFileIsolated(
      path, kConfigParseTimeout, LocalMeshHost(mesh_member));
  if (!config.ok()) return config;
  if (absl::Status fits =
          CheckFdBudget(*config, CurrentOpenFileLimit(), listen_addresses);
      !fits.ok()) {
    return fits;
  }
  return config;
}

}  // namespace mcast::exporter
