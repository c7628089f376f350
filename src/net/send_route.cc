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

// A shared socket cannot be bound to each flow's source, so whether the
// source is local is checked here, once per open, by binding a throwaway
// socket to it: the same check and error as SenderSocket::Open.
absl::Status CheckLocalSource(const inet::IpAddress& source, int scope_id) {
  const bool v6 = source.is_v6();
  util::UniqueFd fd(
      socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) {
    return util::ErrnoToStatus(
        errno, v6 ? "socket(AF_INET6, UDP)" : "socket(AF_INET, UDP)");
  }
  return BindSenderSource(fd.get(), source, scope_id);
}

template <typename T>
unsigned char* Append(unsigned char* at, int level, int type, const T& value) {
  cmsghdr* c = reinterpret_cast<cmsghdr*>(at);
  c->cmsg_level = level;
  c->cmsg_type = type;
  c->cmsg_len = CMSG_LEN(sizeof(T));
  std::memcpy(CMSG_DATA(c), &value, sizeof(T));
  return at + CMSG_SPACE(sizeof(T));
}

}  // namespace

absl::StatusOr<SendRoute> SendRoute::Open(const SenderSocketOptions& options) {
  if (absl::Status s = ValidateSenderOptions(options); !s.ok()) return s;
  const bool v6 = options.group.is_v6();
  SendRoute r;
  r.options_ = options;
  r.class_.family = v6 ? AF_INET6 : AF_INET;
  r.class_.loopback = options.loopback;
  r.class_.ttl_zero = !v6 && options.ttl == 0;
  if (!options.interface.empty()) {
    absl::StatusOr<int> index = netif::InterfaceIndex(options.interface);
    if (!index.ok()) return index.status();
    r.interface_index_ = *index;
    r.interface_name_ = options.interface;
  }
  // Only the configured interface goes into ipi_ifindex / ipi6_ifindex and
  // the scope id: with routing's choice (none configured) the kernel keeps
  // choosing per send, as for SenderSocket.
  const int configured_index = r.interface_index_;
  if (!options.source.is_unspecified()) {
    if (absl::Status s = CheckLocalSource(options.source, configured_index);
        !s.ok()) {
      return s;
    }
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

  sockaddr_in6 dest;
  r.destination_length_ =
      SenderSockaddr(options.group, options.port, configured_index, &dest);
  std::memcpy(&r.destination_, &dest, r.destination_length_);

  unsigned char* at = r.control_;
  const int traffic_class = TrafficClassFor(options.dscp);
  if (v6) {
    // Hop limit 0 is accepted here (unlike IP_TTL 0): no TTL-0 class.
    if (options.ttl != kSocketTtl) {
      at = Append(at, IPPROTO_IPV6, IPV6_HOPLIMIT, options.ttl);
    }
    if (traffic_class != kSocketTrafficClass) {
      at = Append(at, IPPROTO_IPV6, IPV6_TCLASS, traffic_class);
    }
    if (configured_index != 0 || !options.source.is_unspecified()) {
      in6_pktinfo info{};
      info.ipi6_ifindex = static_cast<unsigned>(configured_index);
      if (!options.source.is_unspecified()) {
        info.ipi6_addr = options.source.v6();
      }
      at = Append(at, IPPROTO_IPV6, IPV6_PKTINFO, info);
    }
  } else {
    // The TTL-0 class's socket sends TTL 0 by itself.
    if (!r.class_.ttl_zero && options.ttl != kSocketTtl) {
      at = Append(at, IPPROTO_IP, IP_TTL, options.ttl);
    }
    if (traffic_class != kSocketTrafficClass) {
      at = Append(at, IPPROTO_IP, IP_TOS, traffic_class);
    }
    in_pktinfo info{};
    info.ipi_ifindex = configured_index;
    info.ipi_spec_dst = MulticastSourceV4(options);
    if (info.ipi_ifindex != 0 || info.ipi_spec_dst.s_addr != INADDR_ANY) {
      at = Append(at, IPPROTO_IP, IP_PKTINFO, info);
    }
  }
  r.control_length_ = static_cast<size_t>(at - r.control_);
  return r;
}

}  // namespace mcast::net
