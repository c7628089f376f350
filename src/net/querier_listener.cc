#include "net/querier_listener.h"

#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "net/clock.h"
#include "util/errno_status.h"

namespace mcast::net {
namespace {

// Largest IPv4 datagram or ICMPv6 message a query can be (a source list
// fills a jumbo frame at most; longer is truncated and fails the parse).
constexpr size_t kBufferSize = 65536;

absl::StatusOr<util::UniqueFd> OpenRaw(bool ipv6) {
  const int family = ipv6 ? AF_INET6 : AF_INET;
  const int protocol = ipv6 ? int{IPPROTO_ICMPV6} : int{IPPROTO_IGMP};
  util::UniqueFd fd(
      socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol));
  if (!fd.valid()) {
    return util::ErrnoToStatus(
        errno, ipv6 ? "raw ICMPv6 socket for MLD queries (needs CAP_NET_RAW)"
                    : "raw IGMP socket for IGMP queries (needs CAP_NET_RAW)");
  }
  const int on = 1;
  if (ipv6) {
    icmp6_filter filter;
    ICMP6_FILTER_SETBLOCKALL(&filter);
    ICMP6_FILTER_SETPASS(MLD_LISTENER_QUERY, &filter);
    if (setsockopt(fd.get(), IPPROTO_ICMPV6, ICMP6_FILTER, &filter,
                   sizeof(filter)) != 0 ||
        setsockopt(fd.get(), IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) !=
            0) {
      return util::ErrnoToStatus(errno, "ICMPv6 socket options");
    }
  } else if (setsockopt(fd.get(), IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) !=
             0) {
    return util::ErrnoToStatus(errno, "IP_PKTINFO");
  }
  return fd;
}

}  // namespace

QuerierListener::QuerierListener(EventLoop* loop, absl::Mutex* mu)
    : loop_(loop), mu_(mu), table_(MonotonicNanos()) {}

QuerierListener::~QuerierListener() {
  if (v4_.valid()) (void)loop_->RemoveFd(v4_.get());
  if (v6_.valid()) (void)loop_->RemoveFd(v6_.get());
}

absl::Status QuerierListener::Open(bool ipv4, bool ipv6) {
  absl::Status first = absl::OkStatus();
  for (bool v6 : {false, true}) {
    if (v6 ? !ipv6 : !ipv4) continue;
    util::UniqueFd& slot = v6 ? v6_ : v4_;
    if (slot.valid()) continue;
    absl::StatusOr<util::UniqueFd> fd = OpenRaw(v6);
    if (!fd.ok()) {
      if (first.ok()) first = fd.status();
      continue;
    }
    absl::Status added =
        loop_->AddReader(fd->get(), [this, v6] { OnReadable(v6); });
    if (!added.ok()) {
      if (first.ok()) first = added;
      continue;
    }
    slot = std::move(*fd);
  }
  if (buffer_.empty() && (v4_.valid() || v6_.valid())) {
    buffer_.resize(kBufferSize);
  }
  return first;
}

void QuerierListener::OnMessage(bool ipv6, const uint8_t* data, size_t length,
                                int ifindex, const inet::IpAddress& source,
                                int64_t mono_ns, int64_t real_ns) {
  MembershipQuery query;
  const absl::Span<const uint8_t> message(data, length);
  const QueryParse parsed = ipv6 ? ParseMldQuery(message, &query)
                                 : ParseIgmpDatagram(message, &query);
  if (parsed != QueryParse::kOk) {
    ++ignored_;
    return;
  }
  char name[IF_NAMESIZE] = {};
  if (if_indextoname(static_cast<unsigned>(ifindex), name) == nullptr) {
    name[0] = '\0';
  }
  if (mu_ != nullptr) mu_->Lock();
  table_.OnQuery(ifindex, name, source, query, mono_ns, real_ns);
  if (mu_ != nullptr) mu_->Unlock();
}

void QuerierListener::OnReadable(bool ipv6) {
  const int fd = ipv6 ? v6_.get() : v4_.get();
  for (int i = 0; i < kMaxMessagesPerCall; ++i) {
    sockaddr_storage from{};
    iovec iov{buffer_.data(), buffer_.size()};
    alignas(cmsghdr) char control[128];
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof(from);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    const ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT);
    if (n < 0) return;  // EAGAIN, or an error the next wake-up repeats.
    if (msg.msg_flags & MSG_TRUNC) {
      ++ignored_;
      continue;
    }
    int ifindex = 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr;
         c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
        in_pktinfo info;
        std::memcpy(&info, CMSG_DATA(c), sizeof(info));
        ifindex = info.ipi_ifindex;
      } else if (c->cmsg_level == IPPROTO_IPV6 &&
                 c->cmsg_type == IPV6_PKTINFO) {
        in6_pktinfo info;
        std::memcpy(&info, CMSG_DATA(c), sizeof(info));
        ifindex = static_cast<int>(info.ipi6_ifindex);
      }
    }
    if (ifindex == 0) {
      ++ignored_;
      continue;
    }
    OnMessage(ipv6, buffer_.data(), static_cast<size_t>(n), ifindex,
              inet::IpAddress::FromSockaddr(reinterpret_cast<sockaddr*>(&from)),
              MonotonicNanos(), RealtimeNanos());
  }
}

}  // namespace mcast::net
