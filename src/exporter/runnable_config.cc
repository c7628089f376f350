#include "exporter/runnable_config.h"

#include "exporter/fd_budget.h"
#include "exporter/isolated_config_load.h"
#include "exporter/open_file_limit.h"

namespace mcast::exporter {

absl::StatusOr<Config> LoadRunnableConfig(const std::string& path,
                                          size_t listen_addresses) {
  absl::StatusOr<Config> config = LoadConfigFileIsolated(path);
  if (!config.ok()) return config;
  if (absl::Status fits =
          CheckFdBudget(*config, CurrentOpenFileLimit(), listen_addresses);
      !fits.ok()) {
    return fits;
  }
  return config;
}

}  // namespace mcast::exporter
