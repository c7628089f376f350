#ifndef MCAST_EXPORTER_MESH_SENDER_NAMES_H_
#define MCAST_EXPORTER_MESH_SENDER_NAMES_H_

// The members of a [[mesh]] as a mesh receiver sees them: address ->
// `sender_name` (and the peer's index), built once per configuration (start,
// SIGHUP) so a scrape names each sender with one hash lookup instead of a
// walk over every member (100 members x 100 senders was ~10k comparisons
// per receiver and scrape).

#include <string>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "inet/ip_address.h"

namespace mcast::exporter {

class MeshSenderNames {
 public:
  // The own member (`sender_name` of its own address, no peer index).
  MeshSenderNames(std::string self, const inet::IpAddress& self_address);

  // Peer `index` (its place in the receiver's peers); a repeated address
  // keeps its first name, as the linear walk did.
  void AddPeer(std::string name, const inet::IpAddress& address, int index);

  // The member whose address `sender` is, else "unknown".
  std::string_view Find(const inet::IpAddress& sender) const;
  // The peer index of `sender`, or -1 (no peer: unknown or this host).
  int PeerIndex(const inet::IpAddress& sender) const;
  size_t size() const { return by_address_.size(); }

 private:
  absl::flat_hash_map<inet::IpAddress, std::pair<std::string, int>> by_address_;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_MESH_SENDER_NAMES_H_
