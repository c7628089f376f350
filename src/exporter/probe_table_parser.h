#ifndef MCAST_EXPORTER_PROBE_TABLE_PARSER_H_
#define MCAST_EXPORTER_PROBE_TABLE_PARSER_H_

// One [[sender]], [[receiver]] or [defaults] table to ProbeFields: each key
// allowed in that kind of table, through the same checks as the command
// line's flags (probe/spec_check.h).

#include <toml++/toml.h>

#include <string>

#include "exporter/probe_fields.h"
#include "exporter/probe_keys.h"
#include "exporter/toml_problems.h"

namespace mcast::exporter {

// `prefix` names the table in reasons ("sender[0]", "defaults").
ProbeFields ParseProbeTable(const toml::table& table, TableKind kind,
                            const std::string& prefix, TomlProblems& problems);

// One probe key `key` (a FindProbeKey name) at `node` into `fields`, as
// ParseProbeTable reads it; `path` names it in reasons. For tables that
// hold probe keys among their own ([[mesh]]).
void ParseProbeValue(absl::string_view key, const toml::node& node,
                     const std::string& path, TomlProblems& problems,
                     ProbeFields* fields);

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_PROBE_TABLE_PARSER_H_
