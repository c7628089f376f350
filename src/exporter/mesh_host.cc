#include "exporter/mesh_host.h"

#include "netif/interface_table.h"

namespace mcast::exporter {

MeshHost LocalMeshHost(const std::string& member) {
  MeshHost host;
  host.member = member;
  absl::StatusOr<std::vector<netif::Interface>> interfaces =
      netif::ListInterfaces();
  if (interfaces.ok()) {
    for (const netif::Interface& i : *interfaces) {
      for (const netif::Address& a : i.addresses) {
        host.addresses.push_back(a.address);
      }
    }
  }
  return host;
}

}  // namespace mcast::exporter
