#ifndef MCAST_NETIF_NETLINK_PTR_H_
#define MCAST_NETIF_NETLINK_PTR_H_

// Owning pointers for the libnl objects the netif layer holds, so every
// error path frees them, and the conversion of libnl's negative error codes
// into absl::Status with libnl's own text (nl_geterror).

#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

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

// "<what>: <nl_geterror text>" for a negative libnl return value. The code
// is Unavailable for errors of the netlink channel itself (permission,
// unsupported protocol) and Internal otherwise.
absl::Status NlError(int err, absl::string_view what);

// A route-netlink socket connected and ready for dumps.
absl::Status ConnectRouteSocket(NlSockPtr* out);

}  // namespace mcast::netif

#endif  // MCAST_NETIF_NETLINK_PTR_H_
