#ifndef MCAST_EXPORTER_MESH_TABLE_PARSER_H_
#define MCAST_EXPORTER_MESH_TABLE_PARSER_H_

// One [[mesh]] table (issue 17: one file for every host of a fleet) to
// MeshFields:
//
//   [[mesh]]
//   name = "studios"       # required: the `mesh` and `probe` label
//   group = "239.77.0.1"   # required, IPv4 or IPv6
//   mode = "asm"           # "asm" | "ssm"; default ssm in 232/8, ff3x::/32
//   port, rate, interface, ttl, dscp, size, clock, stall_timeout,
//   reorder_window, reorder_packets, igmp_version, mld_version,
//   sender_expiry          # optional, else [defaults], as in a probe
//   [[mesh.member]]
//   name = "studio-a"      # required, unique in the mesh
//   address = "10.77.0.1"  # required, unique, the group's family
//   interface = "eth0"     # optional, overrides the mesh's
//
// The probe keys go through probe_table_parser.h (so through the CLI's
// probe/spec_check.h), the member address through the source rule. Unknown
// keys are errors, as everywhere.

#include <toml++/toml.h>

#include <string>

#include "exporter/mesh_fields.h"
#include "exporter/toml_problems.h"

namespace mcast::exporter {

// `prefix` names the table in reasons ("mesh[0]").
MeshFields ParseMeshTable(const toml::table& table, const std::string& prefix,
                          TomlProblems& problems);

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_MESH_TABLE_PARSER_H_
