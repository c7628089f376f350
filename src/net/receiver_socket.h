#ifndef MCAST_NET_RECEIVER_SOCKET_H_
#define MCAST_NET_RECEIVER_SOCKET_H_

// A UDP socket that joins one IPv4 or IPv6 multicast group (any-source, or
// source-specific when a source is given) and receives it in batches; the
// socket's family is the group's.
//
// Beyond the payload, a probe receiver needs what the kernel knows about
// each datagram: the arriving TTL or hop limit (hops crossed), the TOS or
// traffic class byte (was the
// DSCP rewritten on the path?), the kernel receive timestamp (one-way delay
// without the scheduling noise of this process) and the socket's overflow
// counter (loss that happened on this host, not in the network). All of it
// is requested at Open() and parsed from control messages.
//
// RecvBatch() is the hot path: one recvmmsg() into buffers allocated once
// at Open() or shared with other sockets (ReceiveBuffers); the returned
// views stay valid until the next RecvBatch() on any socket using the same
// buffers.
//
// Which datagrams reach the socket: it is bound to group:port and sets
// IP_MULTICAST_ALL=0 (see Open() in the .cc for why both), so it sees only
// its own group, through its own membership (interface and source filter).
// SO_REUSEADDR lets several receivers share the port; each gets a copy.

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "inet/ip_address.h"
#include "net/receive_buffers.h"
#include "packet/header.h"
#include "util/unique_fd.h"

namespace mcast::net {

struct ReceiverSocketOptions {
  inet::IpAddress group;   // IPv4 or IPv6 multicast.
  inet::IpAddress source;  // Set: SSM (S,G) join. Unspecified: any-source join.
  uint16_t port = packet::kDefaultPort;
  // Interface to join on; empty = the routing table's choice for `group`.
  std::string interface;
  // Socket receive buffer. Root gets it exactly (SO_RCVBUFFORCE); others
  // are capped by net.core.rmem_max.
  int rcvbuf_bytes = 4 << 20;
  // Buffer per datagram; longer datagrams are cut and flagged truncated
  // (their true length is still reported). Probes only read the 32-byte
  // header, and 64 slots of 64 KiB per receiver would cost 4 MiB each.
  size_t max_datagram_size = 2048;
  int batch_size = 64;  // 1..kMaxBatch datagrams per RecvBatch().
  // Set: RecvBatch() reads into these, shared with other sockets that the
  // same thread drains (see receive_buffers.h); their batch and slot sizes
  // replace batch_size and max_datagram_size. Null: the socket allocates
  // its own at Open().
  std::shared_ptr<ReceiveBuffers> shared_buffers;
};

class ReceiverSocket {
 public:
  static constexpr int kMaxBatch = ReceiveBuffers::kMaxBatch;

  // Creates, binds and joins. InvalidArgument for bad options, NotFound for
  // an unknown interface; Unavailable when no interface was named and there
  // is no route to the group.
  static absl::StatusOr<ReceiverSocket> Open(
      const ReceiverSocketOptions& options);

  // Moves leave the moved-from socket closed and not joined. Assigning over
  // an open socket closes its descriptor, and the kernel drops the
  // membership with it (sending the same leave report Leave() would).
  ReceiverSocket(ReceiverSocket&& other) noexcept = default;
  ReceiverSocket& operator=(ReceiverSocket&& other) noexcept = default;
  // Leaves the group first (explicitly, so the leave is reported before the
  // descriptor goes), then the descriptor closes.
  ~ReceiverSocket();

  // Reads what is queued, up to batch_size datagrams, without blocking: an
  // empty span means nothing was waiting. Call it when fd() is readable and
  // again while it returns a full batch.
  absl::StatusOr<absl::Span<const ReceivedDatagram>> RecvBatch();
  // recvmmsg() calls made so far (EAGAIN and EINTR included): what the
  // receive loop costs, countable by tests and benchmarks.
  uint64_t receive_calls() const { return receive_calls_; }

  // Cumulative count of datagrams the kernel dropped because this socket's
  // buffer was full (SO_RXQ_OVFL), as of the latest datagram received.
  uint32_t kernel_drops() const { return kernel_drops_; }

  // Drops the membership; the socket stays open and receives nothing more.
  absl::Status Leave();
  // Drops (ignoring errors: the interface may have vanished) and joins
  // again, re-resolving the interface index from its name (or from the
  // routing table when none was named): after a link flap, or when an
  // interface was recreated with a new index.
  absl::Status Rejoin();
  bool joined() const { return fd_.valid() && joined_; }

  int fd() const { return fd_.get(); }
  const ReceiverSocketOptions& options() const { return options_; }
  int interface_index() const { return interface_index_; }
  const std::string& interface_name() const { return interface_name_; }
  // What the kernel granted (it doubles the request for bookkeeping).
  int rcvbuf_bytes() const { return rcvbuf_bytes_; }

 private:
  ReceiverSocket() = default;
  absl::Status ResolveInterface();
  absl::Status Join();
  absl::Status Drop();
  // The join (or leave) call of the options' family and mode; setsockopt's
  // result, errno set on failure.
  int MembershipCall(bool join);

  util::UniqueFd fd_;
  ReceiverSocketOptions options_;
  int interface_index_ = 0;
  std::string interface_name_;
  int rcvbuf_bytes_ = 0;
  bool joined_ = false;
  uint32_t kernel_drops_ = 0;
  uint64_t receive_calls_ = 0;
  std::shared_ptr<ReceiveBuffers> buffers_;  // Own or shared; never null.
};

}  // namespace mcast::net

#endif  // MCAST_NET_RECEIVER_SOCKET_H_
