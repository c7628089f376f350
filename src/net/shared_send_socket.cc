#include "net/shared_send_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cerrno>

#include "absl/strings/str_cat.h"
#include "net/sender_options.h"
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

// Per-message IP_TTL overrides the multicast TTL when a flow's differs
// (SendRoute::kSocketTtl); the TTL-0 class sends no IP_TTL (the kernel
// refuses 0 there).
absl::Status SetV4Options(int fd, SendSocketClass c) {
  if (absl::Status s = SetIntOption(fd, IPPROTO_IP, IP_MULTICAST_TTL,
                                    c.ttl_zero ? 0 : SendRoute::kSocketTtl,
                                    "IP_MULTICAST_TTL");
      !s.ok()) {
    return s;
  }
  return SetIntOption(fd, IPPROTO_IP, IP_MULTICAST_LOOP, c.loopback ? 1 : 0,
                      "IP_MULTICAST_LOOP");
}

// IPV6_HOPLIMIT (0 included) goes per message when a flow's differs from
// SendRoute::kSocketTtl.
absl::Status SetV6Options(int fd, SendSocketClass c) {
  // A v6 socket carries IPv6 only: never IPv4 through ::ffff:0:0/96.
  if (absl::Status s =
          SetIntOption(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          SetIntOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS,
                       SendRoute::kSocketTtl, "IPV6_MULTICAST_HOPS");
      !s.ok()) {
    return s;
  }
  return SetIntOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, c.loopback ? 1 : 0,
                      "IPV6_MULTICAST_LOOP");
}

}  // namespace

absl::StatusOr<SharedSendSocket> SharedSendSocket::Open(
    SendSocketClass socket_class) {
  const bool v6 = socket_class.family == AF_INET6;
  if (!v6 && socket_class.family != AF_INET) {
    return absl::InvalidArgumentError(
        absl::StrCat("shared send socket of family ", socket_class.family));
  }
  if (v6 && socket_class.ttl_zero) {
    return absl::InvalidArgumentError(
        "no TTL-0 class for IPv6: hop limit 0 goes per message");
  }
  SharedSendSocket sock;
  sock.class_ = socket_class;
  sock.fd_.reset(socket(socket_class.family,
                        SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!sock.fd_.valid()) {
    return util::ErrnoToStatus(
        errno, v6 ? "socket(AF_INET6, UDP)" : "socket(AF_INET, UDP)");
  }
  const int fd = sock.fd_.get();
  if (absl::Status s =
          v6 ? SetV6Options(fd, socket_class) : SetV4Options(fd, socket_class);
      !s.ok()) {
    return s;
  }
  if (!SetIntOption(fd, SOL_SOCKET, SO_SNDBUFFORCE, kSendBuffer,
                    "SO_SNDBUFFORCE")
           .ok()) {
    (void)SetIntOption(fd, SOL_SOCKET, SO_SNDBUF, kSendBuffer, "SO_SNDBUF");
  }
  if (absl::Status bound = BindAnyPort(fd, v6); !bound.ok()) return bound;
  sockaddr_in6 bound{};
  socklen_t bound_len = sizeof(bound);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_len) == 0) {
    // sin_port and sin6_port share their offset.
    sock.local_port_ = ntohs(bound.sin6_port);
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
