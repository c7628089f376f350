#ifndef MCAST_EXPORTER_PROBE_TABLE_PARSER_H_
#define MCAST_EXPORTER_PROBE_TABLE_PARSER_H_

// One [[sender]], [[receiver]] or [defaults] table to ProbeFields: each key
// allowed in that kind of table, through the same checks as the command
// line's flags (probe/spec_check.h).

#include <toml++/toml.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "exporter/probe_fields.h"
#include "exporter/probe_keys.h"
#include "exporter/toml_problems.h"

namespace mcast::exporter {

// `prefix` names the table in reasons ("sender[0]", "defaults").
ProbeFields ParseProbeTable(const toml::table& table, TableKind kind,
                            const std::string& prefix, TomlProblems& problems);

// A name of the config's own (probe, mesh and member names, which become
// label values): 1 to `max_length` letters, digits, '_', '-' or '.';
// `what` names it in the error ("probe name"), `allowed` says the rule.
absl::StatusOr<std::string> CheckConfigName(absl::string_view name,
                                            size_t max_length,
                                            absl::string_view what,
                                            absl::string_view allowed);
// An interface name through probe::CheckInterfaceName, as a value.
absl::StatusOr<std::string> CheckInterfaceValue(absl::string_view name);

// One probe key `key` (a FindProbeKey name) at `node` into `fields`, as
// ParseProbeTable reads it; `path` names it in reasons. For tables that
// hold probe keys among their own ([[mesh]]).
void ParseProbeValue(absl::string_view key, const toml::node& node,
                     const std::string& path, TomlProblems& problems,
                     ProbeFields* fields);

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_PROBE_TABLE_PARSER_H_
