#include "net/sender_options.h"

#include <arpa/inet.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "netif/interface_lookup.h"
#include "util/errno_status.h"

namespace mcast::net {

absl::Status ValidateSenderOptions(const SenderSocketOptions& o) {
  if (!o.group.is_multicast()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sender group must be a multicast address, not ", o.group.ToString()));
  }
  if (o.ttl < 0 || o.ttl > 255) {
    return absl::InvalidArgumentError(
        absl::StrCat("TTL must be 0..255, not ", o.ttl));
  }
  if (o.dscp < 0 || o.dscp > 63) {
    return absl::InvalidArgumentError(
        absl::StrCat("DSCP must be 0..63, not ", o.dscp));
  }
  if (!o.source.is_unspecified() &&
      (o.source.family() != o.group.family() || o.source.is_multicast())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sender source must be a local unicast address of the group's family "
        "(",
        o.group.is_v6() ? "IPv6" : "IPv4", "), not ", o.source.ToString()));
  }
  return absl::OkStatus();
}

socklen_t SenderSockaddr(const inet::IpAddress& address, uint16_t port,
                         int scope_id, sockaddr_in6* out) {
  *out = sockaddr_in6{};
  if (address.is_v6()) {
    out->sin6_family = AF_INET6;
    out->sin6_addr = address.v6();
    out->sin6_port = htons(port);
    out->sin6_scope_id = static_cast<uint32_t>(scope_id);
    return sizeof(sockaddr_in6);
  }
  auto* sin = reinterpret_cast<sockaddr_in*>(out);
  sin->sin_family = AF_INET;
  sin->sin_addr = address.v4();
  sin->sin_port = htons(port);
  return sizeof(sockaddr_in);
}

absl::Status BindSenderSource(int fd, const inet::IpAddress& source,
                              int scope_id) {
  sockaddr_in6 local;
  const socklen_t local_len = SenderSockaddr(source, 0, scope_id, &local);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&local), local_len) == 0) {
    return absl::OkStatus();
  }
  const int err = errno;
  if (err == EADDRNOTAVAIL) {
    return absl::NotFoundError(absl::StrCat("cannot bind sender to ",
                                            source.ToString(),
                                            ": not an address of this host"));
  }
  return util::ErrnoToStatus(err,
                             absl::StrCat("bind(", source.ToString(), ")"));
}

absl::Status BindAnyPort(int fd, bool v6) {
  sockaddr_in6 any;
  const socklen_t any_len =
      SenderSockaddr(v6 ? inet::IpAddress::FromV6(in6addr_any)
                        : inet::IpAddress::FromV4(in_addr{INADDR_ANY}),
                     0, 0, &any);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&any), any_len) != 0) {
    return util::ErrnoToStatus(errno, v6 ? "bind([::]:0)" : "bind(0.0.0.0:0)");
  }
  return absl::OkStatus();
}

in_addr MulticastSourceV4(const SenderSocketOptions& options) {
  if (!options.source.is_unspecified()) return options.source.v4();
  if (!options.interface.empty()) {
    if (absl::StatusOr<inet::IpAddress> own =
            netif::InterfaceIpv4Address(options.interface);
        own.ok()) {
      return own->v4();
    }
  }
  return in_addr{INADDR_ANY};
}

}  // namespace mcast::net
