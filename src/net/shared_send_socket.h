#ifndef MCAST_NET_SHARED_SEND_SOCKET_H_
#define MCAST_NET_SHARED_SEND_SOCKET_H_

// One UDP socket that sends the datagrams of many probe flows, each message
// with its own destination and control data (net::SendRoute: TTL, TOS,
// output interface, source), so that the datagrams of every flow due at a
// wake-up leave in one sendmmsg instead of one socket and one call per flow
// (measured: a socket per flow with one send per datagram costs 1.25x the
// CPU of this; tests/bench/reference_io.cc --per-flow-send).
//
// Send() handles partial results: sendmmsg returns how many messages left
// before the first one that failed (and drops that error when some left),
// so it retries from there; the message that fails then gets the errno,
// the later messages of the same flow are not attempted (they get the same
// errno: a flow's sequence numbers must count only packets that left, so a
// flow never sends past a refused packet in one batch), and the other
// flows' messages go on. Header arrays are allocated at Open(): sending
// allocates nothing.
//
// Non-blocking, bound to the wildcard address and one port (every flow of
// the socket shares that source port; receivers key sender runs by source
// address and sender id, never by port). IPv4 or IPv6, as the class says
// (an IPv6 socket is IPV6_V6ONLY).

#include <sys/socket.h>

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "net/send_route.h"
#include "util/unique_fd.h"

namespace mcast::net {

struct SharedSendMessage {
  const SendRoute* route = nullptr;  // Must have this socket's class.
  absl::Span<const uint8_t> data;
  uint32_t flow = 0;  // Messages of one flow share a value.
};

class SharedSendSocket {
 public:
  // Messages per sendmmsg call (the kernel's limit is UIO_MAXIOV, 1024).
  static constexpr size_t kMaxBatch = 256;

  static absl::StatusOr<SharedSendSocket> Open(SendSocketClass socket_class);

  SharedSendSocket(SharedSendSocket&&) noexcept = default;
  SharedSendSocket& operator=(SharedSendSocket&&) noexcept = default;

  // Sends every message in order (in calls of up to kMaxBatch) and stores
  // per message 0 (it left) or the errno that refused it in `errors`
  // (errors.size() >= messages.size()). Returns the number of sendmmsg
  // calls made.
  int Send(absl::Span<const SharedSendMessage> messages,
           absl::Span<int> errors);

  SendSocketClass socket_class() const { return class_; }
  int fd() const { return fd_.get(); }
  uint16_t local_port() const { return local_port_; }

 private:
  SharedSendSocket() = default;

  util::UniqueFd fd_;
  SendSocketClass class_;
  uint16_t local_port_ = 0;
  // kMaxBatch each; heap storage so a moved socket keeps valid pointers.
  std::vector<mmsghdr> headers_;
  std::vector<iovec> iovecs_;
  std::vector<uint32_t> index_;  // Header -> message index.
};

}  // namespace mcast::net

#endif  // MCAST_NET_SHARED_SEND_SOCKET_H_
