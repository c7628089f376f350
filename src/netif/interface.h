#ifndef MCAST_NETIF_INTERFACE_H_
#define MCAST_NETIF_INTERFACE_H_

// One network interface as the netlink link and address tables describe it:
// what mcast-status prints and what the exporter's link watcher compares.
//
// The index identifies an interface: a link deleted and re-created under the
// same name gets a new index and is another interface.

#include <string>
#include <vector>

#include "inet/ip_address.h"

namespace mcast::netif {

struct Address {
  inet::IpAddress address;
  int prefix_len = 0;

  // "10.0.0.1/24"
  std::string ToString() const;

  friend bool operator==(const Address&, const Address&) = default;
};

struct Interface {
  int index = 0;
  std::string name;
  bool up = false;         // IFF_UP: administratively up.
  bool running = false;    // IFF_RUNNING: up with carrier (operationally).
  bool multicast = false;  // IFF_MULTICAST.
  bool loopback = false;   // IFF_LOOPBACK.
  std::string operstate;   // RFC 2863 name from the kernel: "up", "down"...
  std::vector<Address> addresses;  // IPv4 then IPv6, kernel order.

  // Up and running: packets can pass. The watcher's up/down events follow
  // this, so a carrier loss counts as down.
  bool usable() const { return up && running; }
  // What a receiver waits for before it joins: usable(), or a loopback
  // that is up (lo may show no carrier and still delivers).
  bool passes_packets() const { return usable() || (loopback && up); }

  friend bool operator==(const Interface&, const Interface&) = default;
};

}  // namespace mcast::netif

#endif  // MCAST_NETIF_INTERFACE_H_
