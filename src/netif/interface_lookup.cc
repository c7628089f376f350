#include "netif/interface_lookup.h"

#include <ifaddrs.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "util/errno_status.h"
#include "util/unique_fd.h"

namespace mcast::netif {
namespace {

void AddAttribute(nlmsghdr* header, size_t capacity, uint16_t type,
                  const void* data, size_t length) {
  const size_t offset = NLMSG_ALIGN(header->nlmsg_len);
  const size_t rta_length = RTA_LENGTH(length);
  if (offset + RTA_ALIGN(rta_length) > capacity) return;  // Cannot happen.
  auto* rta =
      reinterpret_cast<rtattr*>(reinterpret_cast<char*>(header) + offset);
  rta->rta_type = type;
  rta->rta_len = static_cast<uint16_t>(rta_length);
  std::memcpy(RTA_DATA(rta), data, length);
  header->nlmsg_len = static_cast<uint32_t>(offset + RTA_ALIGN(rta_length));
}

}  // namespace

absl::StatusOr<int> InterfaceIndex(absl::string_view name) {
  const std::string name_str(name);
  const unsigned index = if_nametoindex(name_str.c_str());
  if (index == 0) {
    return absl::NotFoundError(absl::StrCat("no interface named '", name, "'"));
  }
  return static_cast<int>(index);
}

absl::StatusOr<std::string> InterfaceName(int index) {
  char buf[IF_NAMESIZE] = {};
  if (index <= 0 ||
      if_indextoname(static_cast<unsigned>(index), buf) == nullptr) {
    return absl::NotFoundError(absl::StrCat("no interface with index ", index));
  }
  return std::string(buf);
}

absl::StatusOr<inet::IpAddress> InterfaceIpv4Address(absl::string_view name) {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return util::ErrnoToStatus(errno, "getifaddrs");
  bool seen = false;
  inet::IpAddress found;
  for (ifaddrs* it = list; it != nullptr; it = it->ifa_next) {
    if (it->ifa_name == nullptr || name != it->ifa_name) continue;
    seen = true;
    if (it->ifa_addr != nullptr && it->ifa_addr->sa_family == AF_INET) {
      found = inet::IpAddress::FromSockaddr(it->ifa_addr);
      break;
    }
  }
  freeifaddrs(list);
  if (found.is_v4()) return found;
  // getifaddrs lists every interface at least once (AF_PACKET), so "not
  // seen" means it does not exist.
  if (!seen) {
    return absl::NotFoundError(absl::StrCat("no interface named '", name, "'"));
  }
  return absl::NotFoundError(
      absl::StrCat("interface '", name, "' has no IPv4 address"));
}

absl::StatusOr<RoutedInterface> RouteInterfaceFor(
    const inet::IpAddress& destination, const inet::IpAddress& source) {
  if (destination.is_unspecified()) {
    return absl::InvalidArgumentError("route lookup needs a destination");
  }
  if (!source.is_unspecified() && source.family() != destination.family()) {
    return absl::InvalidArgumentError(
        "route lookup: source and destination families differ");
  }
  const util::UniqueFd socket_fd(
      socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!socket_fd.valid()) {
    return util::ErrnoToStatus(errno, "socket(AF_NETLINK)");
  }
  const int fd = socket_fd.get();

  struct {
    nlmsghdr header;
    rtmsg route;
    char attributes[128];
  } request{};
  request.header.nlmsg_len = NLMSG_LENGTH(sizeof(rtmsg));
  request.header.nlmsg_type = RTM_GETROUTE;
  request.header.nlmsg_flags = NLM_F_REQUEST;
  request.header.nlmsg_seq = 1;
  request.route.rtm_family = static_cast<unsigned char>(destination.family());
  const bool v4 = destination.is_v4();
  const size_t address_length = v4 ? 4 : 16;
  request.route.rtm_dst_len = static_cast<unsigned char>(address_length * 8);
  const in_addr dst4 = destination.v4();
  const in6_addr dst6 = destination.v6();
  AddAttribute(&request.header, sizeof(request), RTA_DST,
               v4 ? static_cast<const void*>(&dst4) : &dst6, address_length);
  if (!source.is_unspecified()) {
    const in_addr src4 = source.v4();
    const in6_addr src6 = source.v6();
    request.route.rtm_src_len = static_cast<unsigned char>(address_length * 8);
    AddAttribute(&request.header, sizeof(request), RTA_SRC,
                 v4 ? static_cast<const void*>(&src4) : &src6, address_length);
  }

  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd, &request, request.header.nlmsg_len, 0,
             reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) < 0) {
    return util::ErrnoToStatus(errno, "netlink RTM_GETROUTE send");
  }
  alignas(nlmsghdr) char reply[8192];
  ssize_t length;
  do {
    length = recv(fd, reply, sizeof(reply), 0);
  } while (length < 0 && errno == EINTR);
  if (length < 0)
    return util::ErrnoToStatus(errno, "netlink RTM_GETROUTE receive");

  const std::string what = absl::StrCat("route to ", destination.ToString());
  int remaining = static_cast<int>(length);
  for (auto* msg = reinterpret_cast<nlmsghdr*>(reply); NLMSG_OK(msg, remaining);
       msg = NLMSG_NEXT(msg, remaining)) {
    if (msg->nlmsg_type == NLMSG_ERROR) {
      const auto* error = static_cast<const nlmsgerr*>(NLMSG_DATA(msg));
      if (error->error == 0) continue;
      return util::ErrnoToStatus(-error->error, what);
    }
    if (msg->nlmsg_type != RTM_NEWROUTE) continue;
    auto* route = static_cast<rtmsg*>(NLMSG_DATA(msg));
    int attributes_length = static_cast<int>(RTM_PAYLOAD(msg));
    RoutedInterface result;
    for (auto* rta = RTM_RTA(route); RTA_OK(rta, attributes_length);
         rta = RTA_NEXT(rta, attributes_length)) {
      if (rta->rta_type == RTA_OIF && RTA_PAYLOAD(rta) >= sizeof(uint32_t)) {
        uint32_t oif;
        std::memcpy(&oif, RTA_DATA(rta), sizeof(oif));
        result.index = static_cast<int>(oif);
      } else if (rta->rta_type == RTA_PREFSRC &&
                 RTA_PAYLOAD(rta) == address_length) {
        if (v4) {
          in_addr a;
          std::memcpy(&a, RTA_DATA(rta), sizeof(a));
          result.source = inet::IpAddress::FromV4(a);
        } else {
          in6_addr a;
          std::memcpy(&a, RTA_DATA(rta), sizeof(a));
          result.source = inet::IpAddress::FromV6(a);
        }
      }
    }
    if (result.index == 0) {
      return absl::NotFoundError(absl::StrCat(what, ": no output interface"));
    }
    absl::StatusOr<std::string> name = InterfaceName(result.index);
    if (!name.ok()) return name.status();
    result.name = *std::move(name);
    return result;
  }
  return absl::InternalError(absl::StrCat(what, ": no answer from netlink"));
}

}  // namespace mcast::netif
