#ifndef MCAST_EXPORTER_EXPORTER_SETTINGS_PARSER_H_
#define MCAST_EXPORTER_EXPORTER_SETTINGS_PARSER_H_

// The [exporter] table: what is the exporter's own, not a probe's (where
// the metrics are served, and how much memory the receivers may claim).

#include <toml++/toml.h>

#include "exporter/config.h"
#include "exporter/toml_problems.h"

namespace mcast::exporter {

struct ExporterSettingsParse {
  // Whether memory_limit was written: reasons then say "(the default)".
  bool memory_limit_set = false;
};

// Fills `settings` from `table`; every problem goes to `problems`.
ExporterSettingsParse ParseExporterSettings(const toml::table& table,
                                            TomlProblems& problems,
                                            ExporterSettings* settings);

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_EXPORTER_SETTINGS_PARSER_H_
