#include "net/sender_socket.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "net/socket_option.h"
#include "netif/interface_lookup.h"
#include "util/errno_status.h"

namespace mcast::net {
namespace {

absl::Status Validate(const SenderSocketOptions& o) {
  if (!o.group.is_v4() || !o.group.is_multicast()) {
    return absl::InvalidArgumentError(
        absl::StrCat("sender group must be an IPv4 multicast address, not ",
                     o.group.ToString()));
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
      (!o.source.is_v4() || o.source.is_multicast())) {
    return absl::InvalidArgumentError(
        absl::StrCat("sender source must be a local IPv4 unicast address, not ",
                     o.source.ToString()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SenderSocket> SenderSocket::Open(
    const SenderSocketOptions& options) {
  if (absl::Status s = Validate(options); !s.ok()) return s;
  SenderSocket sock;
  sock.options_ = options;
  if (!options.interface.empty()) {
    absl::StatusOr<int> index = netif::InterfaceIndex(options.interface);
    if (!index.ok()) return index.status();
    sock.interface_index_ = *index;
    sock.interface_name_ = options.interface;
  }

  sock.fd_.reset(socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!sock.fd_.valid()) {
    return util::ErrnoToStatus(errno, "socket(AF_INET, UDP)");
  }
  const int fd = sock.fd_.get();

  if (absl::Status s = SetIntOption(fd, IPPROTO_IP, IP_MULTICAST_TTL,
                                    options.ttl, "IP_MULTICAST_TTL");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          SetIntOption(fd, IPPROTO_IP, IP_TOS, options.dscp << 2, "IP_TOS");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          SetIntOption(fd, IPPROTO_IP, IP_MULTICAST_LOOP,
                       options.loopback ? 1 : 0, "IP_MULTICAST_LOOP");
      !s.ok()) {
    return s;
  }
  if (sock.interface_index_ != 0) {
    ip_mreqn mreq{};
    mreq.imr_ifindex = sock.interface_index_;
    // The source address of multicast comes from the route, and a route on
    // lo without `src` gives 0.0.0.0, which no SSM receiver can match. Name
    // the interface's own address (or the bound one) so the source is real.
    if (!options.source.is_unspecified()) {
      mreq.imr_address = options.source.v4();
    } else if (absl::StatusOr<inet::IpAddress> own =
                   netif::InterfaceIpv4Address(options.interface);
               !options.interface.empty() && own.ok()) {
      mreq.imr_address = own->v4();
    }
    if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof(mreq)) != 0) {
      return util::ErrnoToStatus(
          errno,
          absl::StrCat("setsockopt(IP_MULTICAST_IF, ", options.interface, ")"));
    }
  }
  if (!options.source.is_unspecified()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr = options.source.v4();
    local.sin_port = 0;
    if (bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof(local)) !=
        0) {
      const int err = errno;
      if (err == EADDRNOTAVAIL) {
        return absl::NotFoundError(
            absl::StrCat("cannot bind sender to ", options.source.ToString(),
                         ": not an address of this host"));
      }
      return util::ErrnoToStatus(
          err, absl::StrCat("bind(", options.source.ToString(), ")"));
    }
  }
  if (sock.interface_index_ == 0) {
    // Display only: a missing route now is not fatal, sends will report it.
    absl::StatusOr<netif::RoutedInterface> routed =
        netif::RouteInterfaceFor(options.group, options.source);
    if (routed.ok()) {
      sock.interface_index_ = routed->index;
      sock.interface_name_ = routed->name;
    }
  }

  sock.destination_.sin_family = AF_INET;
  sock.destination_.sin_addr = options.group.v4();
  sock.destination_.sin_port = htons(options.port);

  // An unbound socket gets its port at the first send; bind now so the
  // source port is known (and stable) from the start.
  if (options.source.is_unspecified()) {
    sockaddr_in any{};
    any.sin_family = AF_INET;
    if (bind(fd, reinterpret_cast<const sockaddr*>(&any), sizeof(any)) != 0) {
      return util::ErrnoToStatus(errno, "bind(0.0.0.0:0)");
    }
  }
  sockaddr_in bound{};
  socklen_t bound_len = sizeof(bound);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_len) == 0) {
    sock.local_address_ = inet::IpAddress::FromV4(bound.sin_addr);
    sock.local_port_ = ntohs(bound.sin_port);
  }

  sock.messages_.resize(kMaxBatch);
  sock.iovecs_.resize(kMaxBatch);
  return sock;
}

absl::StatusOr<int> SenderSocket::SendBatch(
    absl::Span<const absl::Span<const uint8_t>> datagrams) {
  if (!fd_.valid()) {
    return absl::FailedPreconditionError("sender socket is closed");
  }
  const size_t count =
      std::min(datagrams.size(), static_cast<size_t>(kMaxBatch));
  if (count == 0) return 0;
  for (size_t i = 0; i < count; ++i) {
    iovecs_[i].iov_base = const_cast<uint8_t*>(datagrams[i].data());
    iovecs_[i].iov_len = datagrams[i].size();
    msghdr& h = messages_[i].msg_hdr;
    h.msg_name = &destination_;
    h.msg_namelen = sizeof(destination_);
    h.msg_iov = &iovecs_[i];
    h.msg_iovlen = 1;
    h.msg_control = nullptr;
    h.msg_controllen = 0;
    h.msg_flags = 0;
  }
  int sent;
  do {
    sent =
        sendmmsg(fd_.get(), messages_.data(), static_cast<unsigned>(count), 0);
  } while (sent < 0 && errno == EINTR);
  if (sent >= 0) return sent;
  const int err = errno;
  switch (err) {
    case ENOBUFS:
    case EAGAIN:
    case ENETUNREACH:
    case ENETDOWN:
    case EHOSTUNREACH:
      return absl::UnavailableError(absl::StrCat(
          "sendmmsg to ", options_.group.ToString(), ": ", std::strerror(err)));
    default:
      // Not Unavailable even where ErrnoToStatus would say so, so that
      // IsTransientSendError() means exactly the list above.
      absl::Status s = util::ErrnoToStatus(
          err, absl::StrCat("sendmmsg to ", options_.group.ToString()));
      if (absl::IsUnavailable(s)) return absl::InternalError(s.message());
      return s;
  }
}

bool SenderSocket::IsTransientSendError(const absl::Status& status) {
  return absl::IsUnavailable(status);
}

}  // namespace mcast::net
