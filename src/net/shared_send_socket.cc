#include "net/shared_send_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cerrno>

#include "absl/strings/str_cat.h"
#include "net/socket_option.h"
#include "util/errno_status.h"

namespace mcast::net {
namespace {

// Many flows share the send buffer: ask for room for a wake-up's worth of
// them. SO_SNDBUFFORCE goes past net.core.wmem_max with CAP_NET_ADMIN;
// without it SO_SNDBUF gets what wmem_max allows, and a full buffer is a
// send error (EAGAIN) of the flows refused, as for a socket of their own.
constexpr int kSendBuffer = 4 << 20;

constexpr int kNotSent = -1;

}  // namespace

absl::StatusOr<SharedSendSocket> SharedSendSocket::Open(
    SendSocketClass socket_class) {
  if (socket_class.family != AF_INET) {
    return absl::UnimplementedError("shared send sockets are IPv4 only");
  }
  SharedSendSocket sock;
  sock.class_ = socket_class;
  sock.fd_.reset(socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!sock.fd_.valid()) {
    return util::ErrnoToStatus(errno, "socket(AF_INET, UDP)");
  }
  const int fd = sock.fd_.get();
  // Per-message IP_TTL overrides this except for the TTL-0 class, which
  // sends no IP_TTL (the kernel refuses 0 there).
  if (absl::Status s =
          SetIntOption(fd, IPPROTO_IP, IP_MULTICAST_TTL,
                       socket_class.ttl_zero ? 0 : 1, "IP_MULTICAST_TTL");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          SetIntOption(fd, IPPROTO_IP, IP_MULTICAST_LOOP,
                       socket_class.loopback ? 1 : 0, "IP_MULTICAST_LOOP");
      !s.ok()) {
    return s;
  }
  if (!SetIntOption(fd, SOL_SOCKET, SO_SNDBUFFORCE, kSendBuffer,
                    "SO_SNDBUFFORCE")
           .ok()) {
    (void)SetIntOption(fd, SOL_SOCKET, SO_SNDBUF, kSendBuffer, "SO_SNDBUF");
  }
  sockaddr_in any{};
  any.sin_family = AF_INET;
  if (bind(fd, reinterpret_cast<const sockaddr*>(&any), sizeof(any)) != 0) {
    return util::ErrnoToStatus(errno, "bind(0.0.0.0:0)");
  }
  sockaddr_in bound{};
  socklen_t bound_len = sizeof(bound);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_len) == 0) {
    sock.local_port_ = ntohs(bound.sin_port);
  }
  sock.headers_.resize(kMaxBatch);
  sock.iovecs_.resize(kMaxBatch);
  sock.index_.resize(kMaxBatch);
  return sock;
}

int SharedSendSocket::Send(absl::Span<const SharedSendMessage> messages,
                           absl::Span<int> errors) {
  const size_t n = std::min(messages.size(), errors.size());
  std::fill_n(errors.begin(), n, kNotSent);
  int calls = 0;
  size_t next = 0;  // First message not yet put into a header.
  while (true) {
    // Headers for the next messages still to send, skipping those refused
    // already (later messages of a flow that failed).
    size_t count = 0;
    for (; next < n && count < kMaxBatch; ++next) {
      if (errors[next] != kNotSent) continue;
      const SharedSendMessage& m = messages[next];
      iovecs_[count].iov_base = const_cast<uint8_t*>(m.data.data());
      iovecs_[count].iov_len = m.data.size();
      msghdr& h = headers_[count].msg_hdr;
      h.msg_name = const_cast<sockaddr*>(m.route->destination());
      h.msg_namelen = m.route->destination_length();
      h.msg_iov = &iovecs_[count];
      h.msg_iovlen = 1;
      h.msg_control = const_cast<void*>(m.route->control());
      h.msg_controllen = m.route->control_length();
      h.msg_flags = 0;
      index_[count] = static_cast<uint32_t>(next);
      ++count;
    }
    if (count == 0) return calls;
    size_t done = 0;
    while (done < count) {
      int sent;
      do {
        sent = sendmmsg(fd_.get(), headers_.data() + done,
                        static_cast<unsigned>(count - done), 0);
      } while (sent < 0 && errno == EINTR);
      ++calls;
      if (sent > 0) {
        for (size_t i = done; i < done + static_cast<size_t>(sent); ++i) {
          errors[index_[i]] = 0;
        }
        done += static_cast<size_t>(sent);
        continue;
      }
      // The first message refused: its flow sends nothing more now.
      const int err = sent < 0 ? errno : EAGAIN;
      const size_t failed = index_[done];
      const uint32_t flow = messages[failed].flow;
      for (size_t j = failed; j < n; ++j) {
        if (errors[j] == kNotSent && messages[j].flow == flow) errors[j] = err;
      }
      ++done;
      // Drop that flow's later headers of this call.
      size_t w = done;
      for (size_t r = done; r < count; ++r) {
        if (errors[index_[r]] != kNotSent) continue;
        if (w != r) {
          headers_[w] = headers_[r];
          index_[w] = index_[r];
        }
        ++w;
      }
      count = w;
    }
  }
}

}  // namespace mcast::net
