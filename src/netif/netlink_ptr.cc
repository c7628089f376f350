#include "netif/netlink_ptr.h"

#include "netif/nl_error_status.h"

namespace mcast::netif {

absl::Status ConnectRouteSocket(NlSockPtr* out) {
  NlSockPtr sock(nl_socket_alloc());
  if (!sock) return absl::ResourceExhaustedError("nl_socket_alloc failed");
  if (int err = nl_connect(sock.get(), NETLINK_ROUTE); err < 0) {
    return NlErrorToStatus(err, "cannot open a route netlink socket");
  }
  *out = std::move(sock);
  return absl::OkStatus();
}

}  // namespace mcast::netif
