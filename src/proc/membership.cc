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

namespace {

// Source lines per (index, group), in file order.
using FilterIndex = absl::flat_hash_map<
    int,
    absl::flat_hash_map<inet::IpAddress, std::vector<const McFilterEntry*>>>;

FilterIndex IndexFilters(const std::vector<McFilterEntry>& mcfilter) {
  FilterIndex filters;
  for (const McFilterEntry& e : mcfilter)
    filters[e.index][e.group].push_back(&e);
  return filters;
}

// One group's filter, the same rule for both families (see the header):
// `listing_started` once the interface the listing starts at is reached,
// `newest` for the interface's first (newest) group.
void ClassifyGroup(const FilterIndex& filters, int index, bool listing_started,
                   bool newest, GroupMembership* gm) {
  const auto by_iface = filters.find(index);
  const std::vector<const McFilterEntry*>* lines = nullptr;
  if (by_iface != filters.end()) {
    const auto it = by_iface->second.find(gm->group);
    if (it != by_iface->second.end()) lines = &it->second;
  }
  if (lines != nullptr) {
    const bool blocks = std::any_of(
        lines->begin(), lines->end(),
        [](const McFilterEntry* e) { return e->exclude_count > 0; });
    gm->filter_mode = blocks ? FilterMode::kExclude : FilterMode::kInclude;
    for (const McFilterEntry* e : *lines) {
      if (blocks ? e->exclude_count > 0 : e->include_count > 0) {
        gm->sources.push_back(e->source);
      }
    }
  } else if (listing_started || newest || IsKernelDefaultGroup(gm->group)) {
    gm->filter_mode = FilterMode::kExclude;  // Any source.
  } else {
    gm->filter_mode = FilterMode::kUnknown;
  }
}

}  // namespace

std::vector<InterfaceMemberships> BuildMemberships(
    const std::vector<IgmpInterface>& igmp,
    const std::vector<McFilterEntry>& mcfilter,
    const std::vector<Igmp6Entry>& igmp6,
    const std::vector<McFilterEntry>& mcfilter6) {
  const FilterIndex filters = IndexFilters(mcfilter);
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
      ClassifyGroup(filters, iface.index, listing_started, i == 0, &gm);
      m.groups.push_back(std::move(gm));
    }
    result.push_back(std::move(m));
  }

  // /proc/net/igmp6 lists devices in the same order, each one's groups
  // newest first, one line per group; mcfilter6 has mcfilter's gap.
  const FilterIndex filters6 = IndexFilters(mcfilter6);
  bool listing6_started = false;
  const int first_listed6 = mcfilter6.empty() ? 0 : mcfilter6.front().index;
  int previous_index = 0;
  for (const Igmp6Entry& e : igmp6) {
    const bool newest = e.index != previous_index;
    previous_index = e.index;
    if (e.index == first_listed6) listing6_started = true;
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
    ClassifyGroup(filters6, e.index, listing6_started, newest, &gm);
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
  absl::StatusOr<std::vector<McFilterEntry>> mcfilter6 = ReadMcFilter6();
  if (!mcfilter6.ok() && !absl::IsNotFound(mcfilter6.status())) {
    return mcfilter6.status();
  }
  return BuildMemberships(
      *igmp, *mcfilter, igmp6.ok() ? *igmp6 : std::vector<Igmp6Entry>{},
      mcfilter6.ok() ? *mcfilter6 : std::vector<McFilterEntry>{});
}

}  // namespace mcast::proc
