#include "net/send_route.h"

#include <arpa/inet.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "netif/interface_lookup.h"
#include "util/errno_status.h"
#include "util/unique_fd.h"

namespace mcast::net {
namespace {

// SenderSocket's checks (net/sender_socket.cc), with its texts.
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

// A shared socket cannot be bound to each flow's source, so whether the
// source is local is checked here, once per open, by binding a throwaway
// socket to it: the same error SenderSocket::Open gives.
absl::Status CheckLocalSource(const inet::IpAddress& source) {
  util::UniqueFd fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return util::ErrnoToStatus(errno, "socket(AF_INET, UDP)");
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr = source.v4();
  if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&local),
           sizeof(local)) == 0) {
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

unsigned char* AppendInt(unsigned char* at, int level, int type, int value) {
  cmsghdr* c = reinterpret_cast<cmsghdr*>(at);
  c->cmsg_level = level;
  c->cmsg_type = type;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &value, sizeof(value));
  return at + CMSG_SPACE(sizeof(int));
}

}  // namespace

absl::StatusOr<SendRoute> SendRoute::Open(const SenderSocketOptions& options) {
  if (absl::Status s = Validate(options); !s.ok()) return s;
  SendRoute r;
  r.options_ = options;
  r.class_.family = AF_INET;
  r.class_.loopback = options.loopback;
  r.class_.ttl_zero = options.ttl == 0;
  if (!options.interface.empty()) {
    absl::StatusOr<int> index = netif::InterfaceIndex(options.interface);
    if (!index.ok()) return index.status();
    r.interface_index_ = *index;
    r.interface_name_ = options.interface;
  }
  if (!options.source.is_unspecified()) {
    if (absl::Status s = CheckLocalSource(options.source); !s.ok()) return s;
  }

  in_pktinfo info{};
  info.ipi_ifindex = r.interface_index_;
  // As SenderSocket: the source of multicast comes from the route, and a
  // route on lo without `src` gives 0.0.0.0, which no SSM receiver can
  // match; name the interface's own address (or the configured one).
  if (!options.source.is_unspecified()) {
    info.ipi_spec_dst = options.source.v4();
  } else if (absl::StatusOr<inet::IpAddress> own =
                 netif::InterfaceIpv4Address(options.interface);
             !options.interface.empty() && own.ok()) {
    info.ipi_spec_dst = own->v4();
  }

  if (r.interface_index_ == 0) {
    // Display only: a missing route now is not fatal, sends will report it.
    absl::StatusOr<netif::RoutedInterface> routed =
        netif::RouteInterfaceFor(options.group, options.source);
    if (routed.ok()) {
      r.interface_index_ = routed->index;
      r.interface_name_ = routed->name;
    }
  }

  sockaddr_in dest{};
  dest.sin_family = AF_INET;
  dest.sin_addr = options.group.v4();
  dest.sin_port = htons(options.port);
  std::memcpy(&r.destination_, &dest, sizeof(dest));
  r.destination_length_ = sizeof(dest);

  unsigned char* at = r.control_;
  if (!r.class_.ttl_zero) at = AppendInt(at, IPPROTO_IP, IP_TTL, options.ttl);
  at = AppendInt(at, IPPROTO_IP, IP_TOS, options.dscp << 2);
  if (info.ipi_ifindex != 0 || info.ipi_spec_dst.s_addr != 0) {
    // ipi_ifindex is only the interface chosen by name: with routing's
    // choice (none configured) the kernel keeps choosing per send, as for
    // SenderSocket.
    cmsghdr* c = reinterpret_cast<cmsghdr*>(at);
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof(info));
    std::memcpy(CMSG_DATA(c), &info, sizeof(info));
    at += CMSG_SPACE(sizeof(info));
  }
  r.control_length_ = static_cast<size_t>(at - r.control_);
  return r;
}

}  // namespace mcast::net
