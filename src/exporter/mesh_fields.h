#ifndef MCAST_EXPORTER_MESH_FIELDS_H_
#define MCAST_EXPORTER_MESH_FIELDS_H_

// A [[mesh]] table as read (mesh_table_parser.h), before [defaults], self-
// detection and expansion (mesh_table_resolver.h).

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "exporter/probe_fields.h"
#include "inet/ip_address.h"

namespace mcast::exporter {

inline constexpr char kMemberNameAllowed[] =
    "1-63 letters, digits, '_', '-' or '.', e.g. \"studio-a\"";
inline constexpr char kMeshModeAllowed[] = "\"asm\" or \"ssm\"";
// Members per mesh: the table is bounded; the fd budget and the memory
// limit bound what a config can really run long before.
inline constexpr size_t kMaxMeshMembers = 4096;

struct MeshMemberFields {
  const toml::table* table = nullptr;
  std::string path;  // "mesh[0].member[2]"
  Field<std::string> name;
  Field<inet::IpAddress> address;
  Field<std::string> interface;
};

struct MeshFields {
  // name, group, interface, port and the flows' keys, read as a probe's
  // (probe_table_parser.h); `table` is the [[mesh]] table.
  ProbeFields probe;
  Field<bool> ssm;  // mode
  std::vector<MeshMemberFields> members;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_MESH_FIELDS_H_
