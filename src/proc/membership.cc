#include "proc/membership.h"

#include <arpa/inet.h>

#include <algorithm>

#include "absl/container/flat_hash_map.h"

namespace mcast::proc {
namespace {

inet::IpAddress Addr(const char* text) { return *inet::IpAddress::Parse(text); }

}  // namespace

const char* FilterModeName(FilterMode mode) {
  switch (mode) {
    case FilterMode::kInclude:
      return "include";
    case FilterMode::kExclude:
      return "exclude";
    case FilterMode::kUnknown:
      break;
  }
  return "unknown";
}

bool IsKernelDefaultGroup(const inet::IpAddress& group) {
  static const inet::IpAddress kAllHosts = Addr("224.0.0.1");
  static const inet::IpAddress kNodeAllNodes = Addr("ff01::1");
  static const inet::IpAddress kLinkAllNodes = Addr("ff02::1");
  if (group == kAllHosts || group == kNodeAllNodes || group == kLinkAllNodes) {
    return true;
  }
  if (!group.is_v6()) return false;
  // Solicited-node: ff02::1:ff00:0/104.
  static constexpr uint8_t kPrefix[13] = {0xff, 0x02, 0, 0, 0, 0,   0,
                                          0,    0,    0, 0, 1, 0xff};
  const in6_addr a = group.v6();
  return std::equal(std::begin(kPrefix), std::end(kPrefix), a.s6_addr);
}

std::vector<InterfaceMemberships> BuildMemberships(
    const std::vector<IgmpInterface>& igmp,
    const std::vector<McFilterEntry>& mcfilter,
    const std::vector<Igmp6Entry>& igmp6) {
  // Source lines per (index, group), in file order.
  absl::flat_hash_map<
      int,
      absl::flat_hash_map<inet::IpAddress, std::vector<const McFilterEntry*>>>
      filters;
  for (const McFilterEntry& e : mcfilter)
    filters[e.index][e.group].push_back(&e);

  // Interfaces before the first one listed in mcfilter may have unlisted
  // filters on all but their newest group (see the header).
  bool listing_started = false;
  const int first_listed = mcfilter.empty() ? 0 : mcfilter.front().index;

  std::vector<InterfaceMemberships> result;
  for (const IgmpInterface& iface : igmp) {
    if (iface.index == first_listed) listing_started = true;
    InterfaceMemberships m;
    m.index = iface.index;
    m.name = iface.name;
    m.igmp_version = iface.querier_version;
    for (size_t i = 0; i < iface.groups.size(); ++i) {
      const IgmpGroup& g = iface.groups[i];
      GroupMembership gm;
      gm.group = g.group;
      gm.users = g.users;
      const auto by_iface = filters.find(iface.index);
      const std::vector<const McFilterEntry*>* lines = nullptr;
      if (by_iface != filters.end()) {
        const auto it = by_iface->second.find(g.group);
        if (it != by_iface->second.end()) lines = &it->second;
      }
      if (lines != nullptr) {
        const bool blocks = std::any_of(
            lines->begin(), lines->end(),
            [](const McFilterEntry* e) { return e->exclude_count > 0; });
        gm.filter_mode = blocks ? FilterMode::kExclude : FilterMode::kInclude;
        for (const McFilterEntry* e : *lines) {
          if (blocks ? e->exclude_count > 0 : e->include_count > 0) {
            gm.sources.push_back(e->source);
          }
        }
      } else if (listing_started || i == 0 || IsKernelDefaultGroup(g.group)) {
        gm.filter_mode = FilterMode::kExclude;  // Any source.
      } else {
        gm.filter_mode = FilterMode::kUnknown;
      }
      m.groups.push_back(std::move(gm));
    }
    result.push_back(std::move(m));
  }

  for (const Igmp6Entry& e : igmp6) {
    auto it = std::find_if(
        result.begin(), result.end(),
        [&](const InterfaceMemberships& m) { return m.index == e.index; });
    if (it == result.end()) {
      InterfaceMemberships m;
      m.index = e.index;
      m.name = e.device;
      result.push_back(std::move(m));
      it = std::prev(result.end());
    }
    GroupMembership gm;
    gm.group = e.group;
    gm.users = e.users;
    // Source filters of IPv6 groups (/proc/net/mcfilter6) are not read yet;
    // only the kernel's own groups are known to be any-source.
    gm.filter_mode = IsKernelDefaultGroup(e.group) ? FilterMode::kExclude
                                                   : FilterMode::kUnknown;
    it->groups.push_back(std::move(gm));
  }
  return result;
}

absl::StatusOr<std::vector<InterfaceMemberships>> ReadMemberships() {
  absl::StatusOr<std::vector<IgmpInterface>> igmp = ReadIgmp();
  if (!igmp.ok()) return igmp.status();
  absl::StatusOr<std::vector<McFilterEntry>> mcfilter = ReadMcFilter();
  if (!mcfilter.ok()) return mcfilter.status();
  absl::StatusOr<std::vector<Igmp6Entry>> igmp6 = ReadIgmp6();
  if (!igmp6.ok() && !absl::IsNotFound(igmp6.status())) return igmp6.status();
  return BuildMemberships(*igmp, *mcfilter,
                          igmp6.ok() ? *igmp6 : std::vector<Igmp6Entry>{});
}

}  // namespace mcast::proc
