#include "net/receiver_socket.h"

#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "net/socket_option.h"
#include "netif/interface_lookup.h"
#include "util/errno_status.h"

namespace mcast::net {
namespace {

absl::Status Validate(const ReceiverSocketOptions& o) {
  if (!o.group.is_multicast()) {
    return absl::InvalidArgumentError(
        absl::StrCat("receiver group must be a multicast address, not ",
                     o.group.ToString()));
  }
  if (!o.source.is_unspecified() &&
      (o.source.family() != o.group.family() || o.source.is_multicast())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "SSM source must be a unicast address of the group's family (",
        o.group.is_v6() ? "IPv6" : "IPv4", "), not ", o.source.ToString()));
  }
  if (o.rcvbuf_bytes < 0) {
    return absl::InvalidArgumentError("receive buffer size must be >= 0");
  }
  return absl::OkStatus();
}

sockaddr_storage ToStorage(const inet::IpAddress& a) {
  sockaddr_storage ss{};
  if (a.is_v6()) {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_addr = a.v6();
    return ss;
  }
  auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
  sin->sin_family = AF_INET;
  sin->sin_addr = a.v4();
  return ss;
}

// The per-packet options of each family: hops and the DSCP byte.
struct FamilyOptions {
  int level;
  int recv_hops;
  int recv_class;
  const char* recv_hops_name;
  const char* recv_class_name;
};
constexpr FamilyOptions kV4Options = {IPPROTO_IP, IP_RECVTTL, IP_RECVTOS,
                                      "IP_RECVTTL", "IP_RECVTOS"};
constexpr FamilyOptions kV6Options = {IPPROTO_IPV6, IPV6_RECVHOPLIMIT,
                                      IPV6_RECVTCLASS, "IPV6_RECVHOPLIMIT",
                                      "IPV6_RECVTCLASS"};

}  // namespace

absl::StatusOr<ReceiverSocket> ReceiverSocket::Open(
    const ReceiverSocketOptions& options) {
  if (absl::Status s = Validate(options); !s.ok()) return s;
  ReceiverSocket sock;
  sock.options_ = options;
  if (absl::Status s = sock.ResolveInterface(); !s.ok()) return s;

  const bool v6 = options.group.is_v6();
  sock.fd_.reset(socket(v6 ? AF_INET6 : AF_INET,
                        SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!sock.fd_.valid()) {
    return util::ErrnoToStatus(
        errno, v6 ? "socket(AF_INET6, UDP)" : "socket(AF_INET, UDP)");
  }
  const int fd = sock.fd_.get();

  if (absl::Status s =
          SetIntOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
      !s.ok()) {
    return s;
  }
  // Why bind to group:port *and* clear IP_MULTICAST_ALL:
  //  * Bound to INADDR_ANY:port, the socket would also get unicast and every
  //    other group sent to that port. Binding to the group address makes
  //    the kernel match the destination address.
  //  * With IP_MULTICAST_ALL=1 (the default), a socket that has no
  //    membership matching an arriving datagram's (group, interface) still
  //    gets it when *any* socket on the host joined that group there. So a
  //    receiver for (S1,G) on eth0 would see G from every source on eth1
  //    because another program joined G there, and a left socket would go on
  //    receiving. With 0 the kernel delivers only through this socket's own
  //    memberships, applying its own interface and source filter; the
  //    group-address bind alone cannot give that.
  // IPv6 has the same two (IPV6_MULTICAST_ALL, Linux 4.20), and V6ONLY so
  // the socket never takes IPv4 through ::ffff:0:0/96.
  sockaddr_storage local{};
  socklen_t local_len = 0;
  if (v6) {
    if (absl::Status s =
            SetIntOption(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY");
        !s.ok()) {
      return s;
    }
    if (absl::Status s = SetIntOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0,
                                      "IPV6_MULTICAST_ALL");
        !s.ok()) {
      return s;
    }
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&local);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_addr = options.group.v6();
    sin6->sin6_port = htons(options.port);
    // A link-scoped group is one per link: the kernel refuses the bind
    // without an interface, and with it binds the socket to that device.
    const in6_addr group = options.group.v6();
    if (IN6_IS_ADDR_MC_LINKLOCAL(&group) || IN6_IS_ADDR_MC_NODELOCAL(&group)) {
      sin6->sin6_scope_id = static_cast<uint32_t>(sock.interface_index_);
    }
    local_len = sizeof(sockaddr_in6);
  } else {
    if (absl::Status s = SetIntOption(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0,
                                      "IP_MULTICAST_ALL");
        !s.ok()) {
      return s;
    }
    auto* sin = reinterpret_cast<sockaddr_in*>(&local);
    sin->sin_family = AF_INET;
    sin->sin_addr = options.group.v4();
    sin->sin_port = htons(options.port);
    local_len = sizeof(sockaddr_in);
  }
  if (bind(fd, reinterpret_cast<const sockaddr*>(&local), local_len) != 0) {
    return util::ErrnoToStatus(
        errno, absl::StrCat("bind(", v6 ? "[" : "", options.group.ToString(),
                            v6 ? "]" : "", ":", options.port, ")"));
  }

  if (options.rcvbuf_bytes > 0) {
    // SO_RCVBUFFORCE ignores net.core.rmem_max but needs CAP_NET_ADMIN.
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &options.rcvbuf_bytes,
                   sizeof(options.rcvbuf_bytes)) != 0) {
      if (absl::Status s = SetIntOption(fd, SOL_SOCKET, SO_RCVBUF,
                                        options.rcvbuf_bytes, "SO_RCVBUF");
          !s.ok()) {
        return s;
      }
    }
  }
  socklen_t len = sizeof(sock.rcvbuf_bytes_);
  getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sock.rcvbuf_bytes_, &len);

  const FamilyOptions& per_packet = v6 ? kV6Options : kV4Options;
  if (absl::Status s = SetIntOption(fd, per_packet.level, per_packet.recv_hops,
                                    1, per_packet.recv_hops_name);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = SetIntOption(fd, per_packet.level, per_packet.recv_class,
                                    1, per_packet.recv_class_name);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          SetIntOption(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          SetIntOption(fd, SOL_SOCKET, SO_RXQ_OVFL, 1, "SO_RXQ_OVFL");
      !s.ok()) {
    return s;
  }

  if (options.shared_buffers != nullptr) {
    sock.buffers_ = options.shared_buffers;
  } else {
    absl::StatusOr<ReceiveBuffers> own =
        ReceiveBuffers::Create(options.batch_size, options.max_datagram_size);
    if (!own.ok()) return own.status();
    sock.buffers_ = std::make_shared<ReceiveBuffers>(*std::move(own));
  }
  sock.options_.batch_size = sock.buffers_->batch_size();
  sock.options_.max_datagram_size = sock.buffers_->slot_size();

  if (absl::Status s = sock.Join(); !s.ok()) return s;
  return sock;
}

absl::Status ReceiverSocket::ResolveInterface() {
  if (!options_.interface.empty()) {
    absl::StatusOr<int> index = netif::InterfaceIndex(options_.interface);
    if (!index.ok()) return index.status();
    interface_index_ = *index;
    interface_name_ = options_.interface;
    return absl::OkStatus();
  }
  // Join on the interface the routing table gives, by index, so that what
  // interface_name() shows is what the kernel joined on.
  absl::StatusOr<netif::RoutedInterface> routed =
      netif::RouteInterfaceFor(options_.group);
  if (!routed.ok()) {
    return absl::Status(
        routed.status().code(),
        absl::StrCat("no interface named and no route to choose one: ",
                     routed.status().message()));
  }
  interface_index_ = routed->index;
  interface_name_ = routed->name;
  return absl::OkStatus();
}

absl::Status ReceiverSocket::Join() {
  const std::string what = absl::StrCat(
      "join ",
      options_.source.is_unspecified() ? std::string("*")
                                       : options_.source.ToString(),
      ",", options_.group.ToString(), " on ", interface_name_);
  if (MembershipCall(true) != 0) {
    return util::ErrnoToStatus(errno, what);
  }
  joined_ = true;
  return absl::OkStatus();
}

int ReceiverSocket::MembershipCall(bool join) {
  if (options_.group.is_v4() && options_.source.is_unspecified()) {
    // IPv4 ASM: IP_ADD_MEMBERSHIP with the index (as it always did).
    ip_mreqn mreq{};
    mreq.imr_multiaddr = options_.group.v4();
    mreq.imr_ifindex = interface_index_;
    return setsockopt(fd_.get(), IPPROTO_IP,
                      join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &mreq,
                      sizeof(mreq));
  }
  // MCAST_JOIN_SOURCE_GROUP rather than IP_ADD_SOURCE_MEMBERSHIP: the
  // latter names the interface by one of its IPv4 addresses, which fails
  // on an interface without one and is ambiguous when two interfaces share
  // an address; this one takes the index. IPv6 uses the same
  // protocol-independent calls (RFC 3678) at its own level, for ASM too.
  const int level = options_.group.is_v6() ? IPPROTO_IPV6 : IPPROTO_IP;
  if (options_.source.is_unspecified()) {
    group_req req{};
    req.gr_interface = static_cast<uint32_t>(interface_index_);
    req.gr_group = ToStorage(options_.group);
    return setsockopt(fd_.get(), level,
                      join ? MCAST_JOIN_GROUP : MCAST_LEAVE_GROUP, &req,
                      sizeof(req));
  }
  group_source_req req{};
  req.gsr_interface = static_cast<uint32_t>(interface_index_);
  req.gsr_group = ToStorage(options_.group);
  req.gsr_source = ToStorage(options_.source);
  return setsockopt(fd_.get(), level,
                    join ? MCAST_JOIN_SOURCE_GROUP : MCAST_LEAVE_SOURCE_GROUP,
                    &req, sizeof(req));
}

absl::Status ReceiverSocket::Drop() {
  if (!joined()) return absl::OkStatus();
  joined_ = false;
  if (MembershipCall(false) != 0) {
    return util::ErrnoToStatus(
        errno, absl::StrCat("leave ", options_.group.ToString(), " on ",
                            interface_name_));
  }
  return absl::OkStatus();
}

absl::Status ReceiverSocket::Leave() {
  if (!fd_.valid()) {
    return absl::FailedPreconditionError("receiver socket is closed");
  }
  return Drop();
}

absl::Status ReceiverSocket::Rejoin() {
  if (!fd_.valid()) {
    return absl::FailedPreconditionError("receiver socket is closed");
  }
  Drop().IgnoreError();
  if (absl::Status s = ResolveInterface(); !s.ok()) return s;
  return Join();
}

ReceiverSocket::~ReceiverSocket() {
  // close() would drop the membership too; leaving first keeps the order of
  // IGMP leave and socket teardown explicit and lets Drop() be the only
  // place that does it. fd_ closes after this body.
  Drop().IgnoreError();
}

absl::StatusOr<absl::Span<const ReceivedDatagram>> ReceiverSocket::RecvBatch() {
  if (!fd_.valid()) {
    return absl::FailedPreconditionError("receiver socket is closed");
  }
  ReceiveBuffers& b = *buffers_;
  const size_t batch = static_cast<size_t>(b.batch_size());
  b.Reset();
  int n;
  do {
    // MSG_TRUNC makes msg_len the datagram's real length even when the
    // slot is smaller, so byte counts stay exact with small buffers.
    ++receive_calls_;
    n = recvmmsg(fd_.get(), b.messages(), static_cast<unsigned>(batch),
                 MSG_DONTWAIT | MSG_TRUNC, nullptr);
  } while (n < 0 && errno == EINTR);
  b.MarkFilled(n);
  if (n < 0) {
    if (errno == EAGAIN) return absl::Span<const ReceivedDatagram>();
    return util::ErrnoToStatus(errno, "recvmmsg");
  }
  const size_t slot = b.slot_size();
  ReceivedDatagram* received = b.received();
  for (int i = 0; i < n; ++i) {
    // The control messages are read through this header only.
    msghdr h = b.message(static_cast<size_t>(i)).msg_hdr;
    const unsigned msg_len = b.message(static_cast<size_t>(i)).msg_len;
    const sockaddr_in6& from = b.source(static_cast<size_t>(i));
    ReceivedDatagram& d = received[i];
    d.source =
        inet::IpAddress::FromSockaddr(reinterpret_cast<const sockaddr*>(&from));
    // sin_port and sin6_port share their offset.
    d.source_port = ntohs(from.sin6_port);
    const size_t length = std::min<size_t>(msg_len, slot);
    d.data = absl::Span<const uint8_t>(b.slot(static_cast<size_t>(i)), length);
    d.length = msg_len;
    d.truncated = (h.msg_flags & MSG_TRUNC) != 0;
    d.ttl = -1;
    d.tos = -1;
    d.kernel_time_ns = 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(&h, c)) {
      if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
        int ttl;
        std::memcpy(&ttl, CMSG_DATA(c), sizeof(ttl));
        d.ttl = ttl;
      } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS) {
        // One byte, unlike IP_TTL.
        d.tos = *reinterpret_cast<const uint8_t*>(CMSG_DATA(c));
      } else if (c->cmsg_level == IPPROTO_IPV6 &&
                 c->cmsg_type == IPV6_HOPLIMIT) {
        int hops;
        std::memcpy(&hops, CMSG_DATA(c), sizeof(hops));
        d.ttl = hops;
      } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_TCLASS) {
        // An int (unlike IP_TOS), the traffic class byte: DSCP << 2 | ECN.
        int tclass;
        std::memcpy(&tclass, CMSG_DATA(c), sizeof(tclass));
        d.tos = tclass;
      } else if (c->cmsg_level == SOL_SOCKET &&
                 c->cmsg_type == SCM_TIMESTAMPNS) {
        timespec ts;
        std::memcpy(&ts, CMSG_DATA(c), sizeof(ts));
        d.kernel_time_ns =
            static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
      } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
        // Sent only once the counter is non-zero.
        uint32_t drops;
        std::memcpy(&drops, CMSG_DATA(c), sizeof(drops));
        kernel_drops_ = drops;
      }
    }
  }
  return absl::Span<const ReceivedDatagram>(received, static_cast<size_t>(n));
}

}  // namespace mcast::net
