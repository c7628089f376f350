#ifndef MCAST_EXPORTER_RUNNABLE_CONFIG_H_
#define MCAST_EXPORTER_RUNNABLE_CONFIG_H_

// A config this process can run: valid (LoadConfigFileIsolated) and within
// its open-file limit (fd_budget.h). The exporter loads this way at start,
// for --check-config and on SIGHUP, so a config too big for the limit is
// refused like an invalid one (exit 78; on reload the old config keeps
// running) before any probe of it starts.

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "exporter/config.h"

namespace mcast::exporter {

// `listen_addresses`: the HTTP listening sockets the process opens
// (ListenSocketsFor of its overrides), counted in the budget.
// `mesh_member`: --mesh-member (empty: each [[mesh]] finds this host's
// member by its addresses, mesh_host.h).
absl::StatusOr<Config> LoadRunnableConfig(const std::string& path,
                                          size_t listen_addresses = 1,
                                          const std::string& mesh_member = "");

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_RUNNABLE_CONFIG_H_
