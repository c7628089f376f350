#ifndef MCAST_EXPORTER_MESH_HOST_H_
#define MCAST_EXPORTER_MESH_HOST_H_

// What a [[mesh]]'s self-detection looks at (mesh_table_resolver.h): this
// host's addresses and the --mesh-member flag. The loader takes it as a
// value, so the parse itself reads nothing from the system and tests give
// any host they like.

#include <string>
#include <vector>

#include "inet/ip_address.h"

namespace mcast::exporter {

struct MeshHost {
  // Every address of every interface, up or not.
  std::vector<inet::IpAddress> addresses;
  // --mesh-member: the member this host is, in every mesh; empty: by
  // address.
  std::string member;
};

// This host's addresses now (netif::ListInterfaces; none if it fails, so a
// mesh then needs --mesh-member) with `member`.
MeshHost LocalMeshHost(const std::string& member);

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_MESH_HOST_H_
