#ifndef MCAST_NET_SEND_ROUTE_H_
#define MCAST_NET_SEND_ROUTE_H_

// Where one probe flow's datagrams go when they leave through a shared
// socket (net::SharedSendSocket) instead of a socket of their own: the
// destination and, as per-message control data, everything a
// net::SenderSocket fixes per socket at Open(), mapped through the same
// net/sender_options.h:
//   IPv4: TTL (IP_TTL), DSCP (IP_TOS) and the output interface and source
//         address (IP_PKTINFO: ipi_ifindex, ipi_spec_dst);
//   IPv6: hop limit (IPV6_HOPLIMIT), DSCP (IPV6_TCLASS) and the output
//         interface and source (IPV6_PKTINFO: ipi6_ifindex picks the egress
//         device, ipi6_addr the source).
// The kernel honours these per message for multicast (checked on lo and
// veth: the receiver sees exactly these TTL/hop limit, TOS/traffic class
// and source, and the egress device's counters move;
// tests/netns/shared_send_test.cc). What cannot go per message picks the
// shared socket instead (socket_class()): the family, IP_MULTICAST_LOOP /
// IPV6_MULTICAST_LOOP, and IPv4 TTL 0, which the kernel refuses in an
// IP_TTL control message, so TTL-0 IPv4 flows use a socket whose
// IP_MULTICAST_TTL is 0 (an IPV6_HOPLIMIT of 0 is accepted per message).
//
// Resolved once by Open() (again when the flow reopens, e.g. after a link
// event), so sending encodes nothing: the message headers point at the
// route's destination and control bytes.

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "net/sender_socket.h"

namespace mcast::net {

// Which shared socket a route needs: the per-socket options it depends on.
struct SendSocketClass {
  int family = AF_INET;
  bool loopback = true;  // IP_MULTICAST_LOOP.
  // IPv4 only: IP_MULTICAST_TTL 0, no IP_TTL control message.
  bool ttl_zero = false;
  bool operator==(const SendSocketClass&) const = default;
};

class SendRoute {
 public:
  // What every shared socket sends without control data: its multicast TTL
  // / hop limit (except the IPv4 TTL-0 class) and TOS / traffic class 0. A
  // route leaves out IP_TTL / IPV6_HOPLIMIT and IP_TOS / IPV6_TCLASS when
  // they would say the same, so the common flow (TTL 1, DSCP 0, named
  // interface) carries only its IP_PKTINFO: 32 bytes, within the control
  // buffer ____sys_sendmsg keeps on its stack (36), where 80 bytes cost a
  // sock_kmalloc and kfree per message (measured in the exporter profile at
  // 1000 flows).
  static constexpr int kSocketTtl = 1;
  static constexpr int kSocketTrafficClass = 0;

  // The same options and checks as SenderSocket::Open: InvalidArgument for
  // bad options, NotFound for an unknown interface or a source address that
  // is not local (checked by binding a throwaway socket to it once, here, so
  // that a typo fails at open with SenderSocket's error and not as send
  // errors later).
  static absl::StatusOr<SendRoute> Open(const SenderSocketOptions& options);

  const SenderSocketOptions& options() const { return options_; }
  SendSocketClass socket_class() const { return class_; }
  // The configured interface, else the routing table's choice at Open()
  // (0 and empty when there was no route then): display only.
  int interface_index() const { return interface_index_; }
  const std::string& interface_name() const { return interface_name_; }

  // For the message headers: stable while the route lives.
  const sockaddr* destination() const {
    return reinterpret_cast<const sockaddr*>(&destination_);
  }
  socklen_t destination_length() const { return destination_length_; }
  const void* control() const { return control_; }
  size_t control_length() const { return control_length_; }

 private:
  SendRoute() = default;

  SenderSocketOptions options_;
  SendSocketClass class_;
  int interface_index_ = 0;
  std::string interface_name_;
  sockaddr_storage destination_{};
  socklen_t destination_length_ = 0;
  // Room for three int options and a pktinfo of either family.
  alignas(cmsghdr) unsigned char control_[3 * CMSG_SPACE(sizeof(int)) +
                                          CMSG_SPACE(sizeof(in6_pktinfo))]{};
  size_t control_length_ = 0;
};

}  // namespace mcast::net

#endif  // MCAST_NET_SEND_ROUTE_H_
