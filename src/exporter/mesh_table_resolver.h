#ifndef MCAST_EXPORTER_MESH_TABLE_RESOLVER_H_
#define MCAST_EXPORTER_MESH_TABLE_RESOLVER_H_

// From [[mesh]] tables as read (mesh_table_parser.h) to the flows this host
// runs. Rules:
// - name and group are required; the name is a probe name (unique across
//   [[sender]], [[receiver]] and [[mesh]]); meshes need distinct
//   (group, port);
// - members need a name (unique in the mesh) and an address (unique, of
//   the group's family);
// - self-detection: the member whose address is one of the host's
//   (MeshHost), or the one --mesh-member names, which wins; no match or
//   several is an error that lists the members and says to pass
//   --mesh-member;
// - expansion: one sender (name = the mesh's, source = this member's
//   address, its interface, multicast loop off) and receivers of every other
//   member: ASM one (*,G) receiver (name = the mesh's), SSM one (S,G)
//   receiver per member (name "MESH/MEMBER", which no probe name can be).
//   Both go through ProbeTableResolver's rules, inheriting [defaults], and
//   count in the memory limit and the fd budget like any probe. An ASM
//   receiver tracks at least MeshAsmMaxSenders(members) senders, an
//   SSM one (one source address) kSsmMeshMaxSenders sender runs unless
//   [defaults] sets max_senders.

#include <algorithm>
#include <bit>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "exporter/config.h"
#include "exporter/mesh_fields.h"
#include "exporter/mesh_host.h"
#include "exporter/probe_table_resolver.h"
#include "exporter/toml_problems.h"

namespace mcast::exporter {

inline constexpr int kSsmMeshMaxSenders = 8;

// The sender runs an ASM mesh receiver tracks at least: the member count
// rounded up to a power of two, so a SIGHUP adding or removing a member
// changes it (and restarts the receiver) only when the count crosses one.
inline int MeshAsmMaxSenders(size_t members) {
  return static_cast<int>(std::bit_ceil(std::max<size_t>(members, 1)));
}

class MeshTableResolver {
 public:
  // Everything passed must outlive the resolver.
  MeshTableResolver(const ProbeFields& defaults, const MeshHost& host,
                    ProbeTableResolver& probes, TomlProblems& problems,
                    Config* config);

  void AddMesh(const MeshFields& mesh, const std::string& path);

 private:
  // The member this host is, or an error reported at the mesh.
  std::optional<size_t> FindSelf(const MeshFields& mesh,
                                 const std::string& path);
  void Expand(const MeshFields& mesh, const std::string& path, size_t self,
              MeshConfig config);
  // Where the memory check reports a mesh receiver: a key a [[mesh]] user
  // can change (the mesh's or [defaults]' reorder_packets, [defaults]
  // max_senders where it sizes the receiver), never mesh[i].max_senders.
  ProbeTableResolver::MemorySite SizeSite(const ProbeFields& own,
                                          const std::string& path,
                                          const MeshConfig& c) const;

  const ProbeFields& defaults_;
  const MeshHost& host_;
  ProbeTableResolver& probes_;
  TomlProblems& problems_;
  Config* config_;
  struct Used {
    inet::IpAddress group;
    int port;
    std::string path;
    const toml::node* at;
  };
  std::vector<Used> used_;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_MESH_TABLE_RESOLVER_H_
