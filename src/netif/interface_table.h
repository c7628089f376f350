#ifndef MCAST_NETIF_INTERFACE_TABLE_H_
#define MCAST_NETIF_INTERFACE_TABLE_H_

// One-shot reads of the host's interfaces (netlink link and address dumps)
// and name <-> index resolution. For changes over time use LinkWatcher.

#include <netlink/cache.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "netif/interface.h"

namespace mcast::netif {

// Every interface of the current network namespace, by increasing index.
absl::StatusOr<std::vector<Interface>> ListInterfaces();

// Builds the interface list from a libnl "route/link" and "route/addr"
// cache. Addresses of indexes absent from the link cache are dropped (the
// link is gone; its address deletions may still be on their way).
std::vector<Interface> InterfacesFromCaches(nl_cache* links, nl_cache* addrs);

// Name <-> index lookups live in netif/interface_lookup.h.

}  // namespace mcast::netif

#endif  // MCAST_NETIF_INTERFACE_TABLE_H_
