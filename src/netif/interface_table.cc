#include "netif/interface_table.h"

#include <net/if.h>
#include <netlink/addr.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "netif/netlink_ptr.h"
#include "netif/nl_error_status.h"

namespace mcast::netif {
namespace {

std::optional<Address> ToAddress(rtnl_addr* a) {
  nl_addr* local = rtnl_addr_get_local(a);
  if (local == nullptr) return std::nullopt;
  const void* bin = nl_addr_get_binary_addr(local);
  const unsigned int len = nl_addr_get_len(local);
  Address out;
  out.prefix_len = rtnl_addr_get_prefixlen(a);
  if (nl_addr_get_family(local) == AF_INET && len == sizeof(in_addr)) {
    in_addr v4;
    std::memcpy(&v4, bin, sizeof(v4));
    out.address = inet::IpAddress::FromV4(v4);
  } else if (nl_addr_get_family(local) == AF_INET6 && len == sizeof(in6_addr)) {
    in6_addr v6;
    std::memcpy(&v6, bin, sizeof(v6));
    out.address = inet::IpAddress::FromV6(v6);
  } else {
    return std::nullopt;
  }
  return out;
}

}  // namespace

std::vector<Interface> InterfacesFromCaches(nl_cache* links, nl_cache* addrs) {
  std::vector<Interface> result;
  absl::flat_hash_map<int, size_t> by_index;
  for (nl_object* o = nl_cache_get_first(links); o != nullptr;
       o = nl_cache_get_next(o)) {
    rtnl_link* link = reinterpret_cast<rtnl_link*>(o);
    // The kernel also announces per-protocol views of a link (AF_INET6
    // RTM_NEWLINK on IPv6 changes, AF_BRIDGE for bridge ports) and libnl
    // keeps them as separate objects whose flags go stale: only the
    // AF_UNSPEC object is the link itself.
    if (rtnl_link_get_family(link) != AF_UNSPEC) continue;
    Interface iface;
    iface.index = rtnl_link_get_ifindex(link);
    const char* name = rtnl_link_get_name(link);
    iface.name = name != nullptr ? name : "";
    const unsigned int flags = rtnl_link_get_flags(link);
    iface.up = flags & IFF_UP;
    iface.running = flags & IFF_RUNNING;
    iface.multicast = flags & IFF_MULTICAST;
    iface.loopback = flags & IFF_LOOPBACK;
    char state[32];
    iface.operstate = rtnl_link_operstate2str(rtnl_link_get_operstate(link),
                                              state, sizeof(state));
    by_index[iface.index] = result.size();
    result.push_back(std::move(iface));
  }
  for (nl_object* o = nl_cache_get_first(addrs); o != nullptr;
       o = nl_cache_get_next(o)) {
    rtnl_addr* a = reinterpret_cast<rtnl_addr*>(o);
    const auto it = by_index.find(rtnl_addr_get_ifindex(a));
    if (it == by_index.end()) continue;
    std::optional<Address> address = ToAddress(a);
    if (address.has_value()) {
      result[it->second].addresses.push_back(*address);
    }
  }
  for (Interface& iface : result) {
    std::stable_partition(iface.addresses.begin(), iface.addresses.end(),
                          [](const Address& a) { return a.address.is_v4(); });
  }
  std::sort(
      result.begin(), result.end(),
      [](const Interface& a, const Interface& b) { return a.index < b.index; });
  return result;
}

absl::StatusOr<std::vector<Interface>> ListInterfaces() {
  NlSockPtr sock;
  if (absl::Status s = ConnectRouteSocket(&sock); !s.ok()) return s;
  nl_cache* raw = nullptr;
  if (int err = rtnl_link_alloc_cache(sock.get(), AF_UNSPEC, &raw); err < 0) {
    return NlErrorToStatus(err, "cannot list network interfaces");
  }
  NlCachePtr links(raw);
  if (int err = rtnl_addr_alloc_cache(sock.get(), &raw); err < 0) {
    return NlErrorToStatus(err, "cannot list interface addresses");
  }
  NlCachePtr addrs(raw);
  return InterfacesFromCaches(links.get(), addrs.get());
}

}  // namespace mcast::netif
