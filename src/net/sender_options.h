#ifndef MCAST_NET_SENDER_OPTIONS_H_
#define MCAST_NET_SENDER_OPTIONS_H_

// What marks one probe flow's datagrams on the wire, and the one mapping of
// those options to the kernel's shared by the two ways a flow leaves: a
// socket of its own (net::SenderSocket, options set per socket) and a
// shared socket (net::SendRoute, the same options as per-message control
// data). Checks, error texts, the socket address of the group and of the
// source, and the IPv4 multicast source address live here once.

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "inet/ip_address.h"
#include "packet/header.h"

namespace mcast::net {

struct SenderSocketOptions {
  inet::IpAddress group;  // IPv4 or IPv6 multicast; the socket's family.
  uint16_t port = packet::kDefaultPort;
  int ttl = 1;   // 0..255 (the IPv6 hop limit); 1 stays on the link.
  int dscp = 0;  // 0..63.
  // Output interface; empty = whatever the routing table says for `group`
  // (or the interface owning `source`, when that is set).
  std::string interface;
  // Local address to bind (port chosen by the kernel); unspecified = none.
  // Of the group's family; an IPv6 link-local one needs `interface`.
  inet::IpAddress source;
  // IP_MULTICAST_LOOP: deliver a copy to receivers on this host. Note that
  // over `lo` the packet is delivered anyway.
  bool loopback = true;
};

// InvalidArgument for a group that is not multicast, TTL outside 0..255,
// DSCP outside 0..63, or a source that is multicast or of the other family.
absl::Status ValidateSenderOptions(const SenderSocketOptions& options);

// The TOS byte (IPv4) or traffic class (IPv6) carrying `dscp`.
inline int TrafficClassFor(int dscp) { return dscp << 2; }

// `address`:`port` as a socket address of its family (sockaddr_in inside
// the sockaddr_in6 for IPv4); returns its length. The scope id names the
// interface for addresses that need one (link-local, link-scoped groups)
// and is ignored by the kernel for the others.
socklen_t SenderSockaddr(const inet::IpAddress& address, uint16_t port,
                         int scope_id, sockaddr_in6* out);

// Binds `fd` to `source` (port 0). NotFound "cannot bind sender to S: not
// an address of this host" when it is not local, else the bind error.
absl::Status BindSenderSource(int fd, const inet::IpAddress& source,
                              int scope_id);

// Binds `fd` to the wildcard address of its family, port 0: the kernel
// picks the source port now, so it is known (and stable) before the first
// send.
absl::Status BindAnyPort(int fd, bool v6);

// The IPv4 source address multicast must leave with: the configured source,
// else the named interface's own address (a route on lo without `src`
// gives 0.0.0.0, which no SSM receiver can match), else INADDR_ANY (the
// route decides).
in_addr MulticastSourceV4(const SenderSocketOptions& options);

}  // namespace mcast::net

#endif  // MCAST_NET_SENDER_OPTIONS_H_
