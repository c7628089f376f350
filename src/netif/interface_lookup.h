#ifndef MCAST_NETIF_INTERFACE_LOOKUP_H_
#define MCAST_NETIF_INTERFACE_LOOKUP_H_

// Interface names, indexes and addresses, and which interface the kernel
// routes a multicast group to.
//
// Sockets take interface *indexes*; people type *names*. Multicast joins and
// sends that name no interface follow the routing table, so the tools show
// the interface actually used (RouteInterfaceFor) rather than leaving the
// user to guess why nothing arrives on the interface they meant.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "inet/ip_address.h"

namespace mcast::netif {

// NotFound "no interface named 'X'" when it does not exist.
absl::StatusOr<int> InterfaceIndex(absl::string_view name);

// NotFound "no interface with index N" when it does not exist.
absl::StatusOr<std::string> InterfaceName(int index);

// The first IPv4 address of the interface. NotFound when the interface does
// not exist or has no IPv4 address (the messages differ).
absl::StatusOr<inet::IpAddress> InterfaceIpv4Address(absl::string_view name);

struct RoutedInterface {
  int index = 0;
  std::string name;
  // The source address the kernel would pick (RTA_PREFSRC); unspecified when
  // the route does not give one.
  inet::IpAddress source;
};

// The output interface the kernel would use for `destination` from a socket
// that sets no IP_MULTICAST_IF, asked from the kernel itself (netlink
// RTM_GETROUTE, what `ip route get` does). A socket bound to `source` is
// routed by that address for multicast (the kernel sends out of the
// interface owning it), so pass the bound source when there is one.
// Unavailable when there is no route (e.g. "Network is unreachable").
absl::StatusOr<RoutedInterface> RouteInterfaceFor(
    const inet::IpAddress& destination,
    const inet::IpAddress& source = inet::IpAddress());

}  // namespace mcast::netif

#endif  // MCAST_NETIF_INTERFACE_LOOKUP_H_
