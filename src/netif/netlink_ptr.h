#ifndef MCAST_NETIF_NETLINK_PTR_H_
#define MCAST_NETIF_NETLINK_PTR_H_

// Owning pointers for the libnl objects the netif layer holds, so every
// error path frees them. libnl's error codes become a Status through
// NlErrorToStatus (nl_error_status.h).

#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include <memory>

#include "absl/status/status.h"

namespace mcast::netif {

struct NlSockDeleter {
  void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct NlCacheDeleter {
  void operator()(nl_cache* c) const { nl_cache_free(c); }
};
struct NlCacheMngrDeleter {
  void operator()(nl_cache_mngr* m) const { nl_cache_mngr_free(m); }
};

using NlSockPtr = std::unique_ptr<nl_sock, NlSockDeleter>;
using NlCachePtr = std::unique_ptr<nl_cache, NlCacheDeleter>;
using NlCacheMngrPtr = std::unique_ptr<nl_cache_mngr, NlCacheMngrDeleter>;

// A route-netlink socket connected and ready for dumps.
absl::Status ConnectRouteSocket(NlSockPtr* out);

}  // namespace mcast::netif

#endif  // MCAST_NETIF_NETLINK_PTR_H_
