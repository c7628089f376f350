#ifndef MCAST_NET_SENDER_SOCKET_H_
#define MCAST_NET_SENDER_SOCKET_H_

// A UDP socket that sends probe datagrams to one IPv4 or IPv6 multicast
// group; the socket's family is the group's.
//
// Everything that marks the probe traffic on the wire is fixed at Open():
// TTL (how many routers it may cross: IP_MULTICAST_TTL, or the hop limit
// IPV6_MULTICAST_HOPS), DSCP (IP_TOS or IPV6_TCLASS = dscp << 2, to test
// QoS handling on the path), the output interface (IP_MULTICAST_IF or
// IPV6_MULTICAST_IF by index; otherwise the routing table decides) and an
// optional bound source address (multi-homed hosts, SSM tests that need a
// given source).
//
// SendBatch() is the hot path: one sendmmsg() call for up to kMaxBatch
// datagrams, with the message headers allocated once at Open() and the
// destination prebuilt, so sending allocates nothing.
//
// The socket is non-blocking: a full queue is reported as a transient
// error instead of stalling the caller's event loop.

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "inet/ip_address.h"
#include "net/sender_options.h"
#include "util/unique_fd.h"

namespace mcast::net {

class SenderSocket {
 public:
  static constexpr int kMaxBatch = 64;

  // InvalidArgument for bad options, NotFound for an unknown interface or a
  // source address that is not local, otherwise the failing call's error.
  static absl::StatusOr<SenderSocket> Open(const SenderSocketOptions& options);

  // Moves leave the moved-from socket closed (fd() == -1).
  SenderSocket(SenderSocket&& other) noexcept = default;
  SenderSocket& operator=(SenderSocket&& other) noexcept = default;

  // Sends the first min(size, kMaxBatch) datagrams with one sendmmsg() and
  // returns how many the kernel took (possibly fewer; send the rest again).
  // Unavailable (see IsTransientSendError) when none could be sent for a
  // reason that passes (ENOBUFS, EAGAIN, ENETUNREACH, ENETDOWN,
  // EHOSTUNREACH): count it as a send error and go on. Other errors mean the
  // socket or the datagrams are unusable (e.g. EMSGSIZE).
  absl::StatusOr<int> SendBatch(
      absl::Span<const absl::Span<const uint8_t>> datagrams);

  static bool IsTransientSendError(const absl::Status& status);

  int fd() const { return fd_.get(); }
  const SenderSocketOptions& options() const { return options_; }
  // The interface the datagrams leave through: the one named in the options,
  // else the routing table's choice at Open() time (index 0 and an empty
  // name when there was no route then).
  int interface_index() const { return interface_index_; }
  const std::string& interface_name() const { return interface_name_; }
  // The local address and port actually bound (getsockname after Open()).
  inet::IpAddress local_address() const { return local_address_; }
  uint16_t local_port() const { return local_port_; }

 private:
  SenderSocket() = default;

  util::UniqueFd fd_;
  SenderSocketOptions options_;
  int interface_index_ = 0;
  std::string interface_name_;
  inet::IpAddress local_address_;
  uint16_t local_port_ = 0;
  // sockaddr_in or sockaddr_in6 (the larger), destination_len_ says which.
  sockaddr_in6 destination_{};
  socklen_t destination_len_ = 0;
  // Sized kMaxBatch at Open(); heap storage so a moved socket keeps valid
  // pointers. msg_name/msg_iov are set per call for the same reason.
  std::vector<mmsghdr> messages_;
  std::vector<iovec> iovecs_;
};

}  // namespace mcast::net

#endif  // MCAST_NET_SENDER_SOCKET_H_
