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

// The IPv4 options; `interface_index` 0 = none named.
absl::Status SetV4Options(int fd, const SenderSocketOptions& options,
                          int interface_index) {
  if (absl::Status s = SetIntOption(fd, IPPROTO_IP, IP_MULTICAST_TTL,
                                    options.ttl, "IP_MULTICAST_TTL");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = SetIntOption(fd, IPPROTO_IP, IP_TOS,
                                    TrafficClassFor(options.dscp), "IP_TOS");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          SetIntOption(fd, IPPROTO_IP, IP_MULTICAST_LOOP,
                       options.loopback ? 1 : 0, "IP_MULTICAST_LOOP");
      !s.ok()) {
    return s;
  }
  if (interface_index != 0) {
    ip_mreqn mreq{};
    mreq.imr_ifindex = interface_index;
    mreq.imr_address = MulticastSourceV4(options);
    if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof(mreq)) != 0) {
      return util::ErrnoToStatus(
          errno,
          absl::StrCat("setsockopt(IP_MULTICAST_IF, ", options.interface, ")"));
    }
  }
  return absl::OkStatus();
}

// The IPv6 twins: the hop limit is the TTL (the probe header's TTL byte
// carries it as for IPv4), the traffic class carries the DSCP as the TOS
// byte does. IPv6 multicast takes its source from the outgoing interface
// (RFC 6724 selection), so only the index is named.
absl::Status SetV6Options(int fd, const SenderSocketOptions& options,
                          int interface_index) {
  // A v6 socket carries IPv6 only: never IPv4 through ::ffff:0:0/96.
  if (absl::Status s =
          SetIntOption(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = SetIntOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS,
                                    options.ttl, "IPV6_MULTICAST_HOPS");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          SetIntOption(fd, IPPROTO_IPV6, IPV6_TCLASS,
                       TrafficClassFor(options.dscp), "IPV6_TCLASS");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          SetIntOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP,
                       options.loopback ? 1 : 0, "IPV6_MULTICAST_LOOP");
      !s.ok()) {
    return s;
  }
  if (interface_index != 0) {
    if (absl::Status s = SetIntOption(
            fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, interface_index,
            absl::StrCat("IPV6_MULTICAST_IF, ", options.interface));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SenderSocket> SenderSocket::Open(
    const SenderSocketOptions& options) {
  if (absl::Status s = ValidateSenderOptions(options); !s.ok()) return s;
  SenderSocket sock;
  sock.options_ = options;
  if (!options.interface.empty()) {
    absl::StatusOr<int> index = netif::InterfaceIndex(options.interface);
    if (!index.ok()) return index.status();
    sock.interface_index_ = *index;
    sock.interface_name_ = options.interface;
  }

  const bool v6 = options.group.is_v6();
  const int family = v6 ? AF_INET6 : AF_INET;
  sock.fd_.reset(socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!sock.fd_.valid()) {
    return util::ErrnoToStatus(
        errno, v6 ? "socket(AF_INET6, UDP)" : "socket(AF_INET, UDP)");
  }
  const int fd = sock.fd_.get();

  if (absl::Status s = v6 ? SetV6Options(fd, options, sock.interface_index_)
                          : SetV4Options(fd, options, sock.interface_index_);
      !s.ok()) {
    return s;
  }
  if (!options.source.is_unspecified()) {
    if (absl::Status s =
            BindSenderSource(fd, options.source, sock.interface_index_);
        !s.ok()) {
      return s;
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

  // The scope id only when the interface was named: a routed guess must
  // not pin a link-scoped group (the spec requires the name for those).
  sock.destination_len_ =
      SenderSockaddr(options.group, options.port,
                     options.interface.empty() ? 0 : sock.interface_index_,
                     &sock.destination_);

  // An unbound socket gets its port at the first send; bind now so the
  // source port is known (and stable) from the start.
  if (options.source.is_unspecified()) {
    if (absl::Status bound = BindAnyPort(fd, v6); !bound.ok()) return bound;
  }
  sockaddr_in6 bound{};
  socklen_t bound_len = sizeof(bound);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_len) == 0) {
    sock.local_address_ =
        inet::IpAddress::FromSockaddr(reinterpret_cast<sockaddr*>(&bound));
    // sin_port and sin6_port share their offset.
    sock.local_port_ = ntohs(bound.sin6_port);
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
    h.msg_namelen = destination_len_;
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
