#include "netif/netlink_ptr.h"

#include <netlink/errno.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace mcast::netif {

absl::Status NlError(int err, absl::string_view what) {
  const std::string msg = absl::StrCat(what, ": ", nl_geterror(err));
  switch (std::abs(err)) {
    case NLE_PERM:
    case NLE_NOACCESS:
    case NLE_PROTO_MISMATCH:
    case NLE_OPNOTSUPP:
    case NLE_AF_NOSUPPORT:
      return absl::UnavailableError(msg);
    default:
      return absl::InternalError(msg);
  }
}

absl::Status ConnectRouteSocket(NlSockPtr* out) {
  NlSockPtr sock(nl_socket_alloc());
  if (!sock) return absl::ResourceExhaustedError("nl_socket_alloc failed");
  if (int err = nl_connect(sock.get(), NETLINK_ROUTE); err < 0) {
    return NlError(err, "cannot open a route netlink socket");
  }
  *out = std::move(sock);
  return absl::OkStatus();
}

}  // namespace mcast::netif
