#include "exporter/mesh_sender_names.h"

namespace mcast::exporter {

MeshSenderNames::MeshSenderNames(std::string self,
                                 const inet::IpAddress& self_address) {
  by_address_.emplace(self_address, std::make_pair(std::move(self), -1));
}

void MeshSenderNames::AddPeer(std::string name, const inet::IpAddress& address,
                              int index) {
  by_address_.emplace(address, std::make_pair(std::move(name), index));
}

std::string_view MeshSenderNames::Find(const inet::IpAddress& sender) const {
  auto it = by_address_.find(sender);
  return it == by_address_.end() ? std::string_view("unknown")
                                 : std::string_view(it->second.first);
}

int MeshSenderNames::PeerIndex(const inet::IpAddress& sender) const {
  auto it = by_address_.find(sender);
  return it == by_address_.end() ? -1 : it->second.second;
}

}  // namespace mcast::exporter
