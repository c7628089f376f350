#ifndef MCAST_NET_RECEIVE_BUFFERS_H_
#define MCAST_NET_RECEIVE_BUFFERS_H_

// The scratch space of ReceiverSocket::RecvBatch(): a slot per datagram of a
// batch, its control-message buffer and source address, and the mmsghdr
// array that points at them, all allocated once.
//
// A socket owns one by default. Sockets that one thread drains one at a time
// can share one instead: the datagrams a RecvBatch() returns are consumed
// (the statistics updated) before the thread reads another socket, so one
// batch of slots is enough for all of them. At 64 slots of 2 KiB that is
// 128 KiB per receiver saved: 64 MiB for the 500 receivers of a
// 1000-flow exporter, half of its memory, and the page faults of zeroing it
// at start.

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "inet/ip_address.h"

namespace mcast::net {

// One datagram of a batch, with what the kernel said about it.
struct ReceivedDatagram {
  inet::IpAddress source;
  uint16_t source_port = 0;
  absl::Span<const uint8_t> data;  // Valid until the next RecvBatch().
  size_t length = 0;               // True UDP payload length.
  bool truncated = false;          // Longer than max_datagram_size.
  // IPv4 TTL or IPv6 hop limit; -1: no IP_TTL/IPV6_HOPLIMIT message.
  int ttl = -1;
  // TOS or traffic class byte; -1: no IP_TOS/IPV6_TCLASS message.
  int tos = -1;
  int64_t kernel_time_ns = 0;  // CLOCK_REALTIME; 0: no timestamp.
};

class ReceiveBuffers {
 public:
  static constexpr int kMaxBatch = 64;
  // Room per slot for the control messages a receiver asks for, with
  // margin; a multiple of the cmsghdr alignment.
  static constexpr size_t kControlSize = 256;

  // InvalidArgument unless 1 <= batch_size <= kMaxBatch and
  // 1 <= slot_size <= 1 MiB.
  static absl::StatusOr<ReceiveBuffers> Create(int batch_size,
                                               size_t slot_size);

  int batch_size() const { return static_cast<int>(messages_.size()); }
  size_t slot_size() const { return slot_size_; }

  // Resets the per-call fields the kernel overwrites (name and control
  // lengths, flags) before a recvmmsg() into messages(), in the messages
  // the last call filled (MarkFilled) only: the kernel leaves the others as
  // they were. At 25 pps a call fills one of 64, and resetting all 64 was
  // 1 % of the exporter's CPU at a thousand flows.
  void Reset();
  // The last recvmmsg() into messages() returned `n` (< 0: an error, which
  // fills none).
  void MarkFilled(int n) { filled_ = n > 0 ? static_cast<size_t>(n) : 0; }
  mmsghdr* messages() { return messages_.data(); }
  const mmsghdr& message(size_t i) const { return messages_[i]; }
  // A sockaddr_in or sockaddr_in6 (family first, port at the same offset).
  const sockaddr_in6& source(size_t i) const { return sources_[i]; }
  const uint8_t* slot(size_t i) const {
    return buffers_.data() + i * slot_size_;
  }
  ReceivedDatagram* received() { return received_.data(); }

  ReceiveBuffers(ReceiveBuffers&&) noexcept = default;
  ReceiveBuffers& operator=(ReceiveBuffers&&) noexcept = default;

 private:
  ReceiveBuffers() = default;

  size_t slot_size_ = 0;
  size_t filled_ = 0;  // Messages the kernel wrote since the last Reset.
  // Heap storage, so moving keeps the pointers in messages_ valid.
  std::vector<uint8_t> buffers_;
  std::vector<uint8_t> controls_;
  // sockaddr_in6 holds either family's address.
  std::vector<sockaddr_in6> sources_;
  std::vector<iovec> iovecs_;
  std::vector<mmsghdr> messages_;
  std::vector<ReceivedDatagram> received_;
};

}  // namespace mcast::net

#endif  // MCAST_NET_RECEIVE_BUFFERS_H_
