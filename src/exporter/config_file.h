#ifndef MCAST_EXPORTER_CONFIG_FILE_H_
#define MCAST_EXPORTER_CONFIG_FILE_H_

// The config file as bytes, with a size cap. A config is a few KiB; the cap
// stops `--check-config /dev/zero` from reading forever and bounds what
// toml++ builds (~150 MB at worst for 4 MiB of tiny tables). ReadConfigFile
// itself is declared in config_loader.h (the public API).

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace mcast::exporter {

inline constexpr size_t kMaxConfigFileSize = 4 << 20;

// "FILE: larger than 4 MiB, not an mcast-exporter config".
absl::Status ConfigTooLarge(absl::string_view file_name);

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_CONFIG_FILE_H_
