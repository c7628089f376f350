#include "probe/igmp_version_registry.h"

#include <iterator>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "netif/interface_lookup.h"
#include "proc/force_igmp_version_file.h"

namespace mcast::probe {
namespace {

using util::LogLevel;

std::string Name(const net::IgmpVersionGuard::Options& o) {
  return std::string(proc::GroupProtocolName(o.protocol));
}

std::string Who(const std::string& receiver) {
  return receiver.empty() ? std::string()
                          : absl::StrCat("receiver ", receiver, ": ");
}

}  // namespace

IgmpVersionRegistry::IgmpVersionRegistry(Options options)
    : options_(std::move(options)) {}

IgmpVersionRegistry::~IgmpVersionRegistry() { RestoreAll(); }

int IgmpVersionRegistry::IndexNow(const std::string& iface) const {
  absl::StatusOr<int> index = options_.guard.index_of
                                  ? options_.guard.index_of(iface)
                                  : netif::InterfaceIndex(iface);
  return index.ok() ? *index : 0;
}

void IgmpVersionRegistry::Sync(const std::vector<IgmpVersionWant>& wants,
                               bool warn_conflicts) {
  const std::string p = Name(options_.guard);  // "IGMP" or "MLD".
  const std::string sysctl(
      proc::ForceVersionSysctlName(options_.guard.protocol));
  const bool mld = options_.guard.protocol == proc::GroupProtocol::kMld;
  // Interface -> (version, receiver): the first want naming it decides.
  std::map<std::string, std::pair<int, std::string>> wanted;
  for (const IgmpVersionWant& w : wants) {
    if (w.interface.empty()) continue;  // Unknown until routing picks one.
    auto [it, added] = wanted.try_emplace(w.interface, w.version, w.receiver);
    if (!added && warn_conflicts && it->second.first != w.version) {
      Log(LogLevel::kWarning,
          absl::StrFormat("%s%s already forced to %sv%d by receiver %s; "
                          "ignoring %s %d",
                          Who(w.receiver), w.interface, p, it->second.first,
                          it->second.second,
                          mld ? "mld_version" : "igmp_version", w.version));
    }
  }
  for (auto it = guards_.begin(); it != guards_.end();) {
    net::IgmpVersionGuard& guard = it->second;
    auto w = wanted.find(it->first);
    const bool same_device =
        guard.ifindex() == 0 || guard.ifindex() == IndexNow(it->first);
    if (w != wanted.end() && w->second.first == guard.forced_version() &&
        same_device) {
      ++it;
      continue;
    }
    absl::Status s = guard.Restore();
    if (s.ok()) {
      Log(LogLevel::kInfo,
          absl::StrCat("interface ", it->first, ": ", p, " version restored"));
    } else if (absl::IsNotFound(s)) {
      Log(LogLevel::kInfo,
          absl::StrCat("interface ", it->first, ": ", s.message()));
    } else {
      Log(LogLevel::kWarning, absl::StrCat("cannot restore ", sysctl, " on ",
                                           it->first, ": ", s.message()));
    }
    it = guards_.erase(it);
  }
  for (auto it = failed_.begin(); it != failed_.end();) {
    it = wanted.count(it->first) ? std::next(it) : failed_.erase(it);
  }
  for (const auto& [iface, want] : wanted) {
    if (guards_.count(iface)) continue;
    const std::pair<int, int> attempt(IndexNow(iface), want.first);
    auto failed = failed_.find(iface);
    if (failed != failed_.end() && failed->second == attempt) continue;
    if (attempt.first == 0) {  // Deleted, or not made yet: not an error.
      Log(LogLevel::kInfo,
          absl::StrFormat("%sno interface %s (yet); %sv%d is forced when it "
                          "appears",
                          Who(want.second), iface, p, want.first));
      failed_[iface] = attempt;
      continue;
    }
    absl::StatusOr<net::IgmpVersionGuard> guard =
        net::IgmpVersionGuard::Force(iface, want.first, options_.guard);
    if (!guard.ok()) {
      absl::StatusOr<int> current = proc::ReadForcedVersion(
          options_.guard.protocol, iface, options_.guard.proc_root);
      const std::string kernel_uses =
          current.ok() && *current != 0
              ? absl::StrCat(p, "v", *current, " (forced)")
              : std::string(
                    mld ? "its default (MLDv2 unless an MLDv1 querier is "
                          "heard)"
                        : "its default (IGMPv3 unless a v1/v2 querier is "
                          "seen)");
      Log(LogLevel::kWarning,
          absl::StrFormat("%scannot force %sv%d on %s (%s); the kernel "
                          "will use %s",
                          Who(want.second), p, want.first, iface,
                          guard.status().message(), kernel_uses));
      failed_[iface] = attempt;
      continue;
    }
    for (const std::string& note : guard->notes()) {
      Log(LogLevel::kWarning, note);
    }
    Log(LogLevel::kInfo,
        absl::StrFormat("interface %s (index %d): %sv%d forced (was v%d)",
                        iface, guard->ifindex(), p, want.first,
                        guard->previous_version()));
    failed_.erase(iface);
    guards_.emplace(iface, std::move(*guard));
  }
}

void IgmpVersionRegistry::RestoreAll() {
  for (auto& [iface, guard] : guards_) {
    absl::Status s = guard.Restore();
    if (absl::IsNotFound(s)) {  // The device went, and its value with it.
      Log(LogLevel::kInfo,
          absl::StrCat("interface ", iface, ": ", s.message()));
    } else if (!s.ok()) {
      Log(LogLevel::kWarning,
          absl::StrCat("cannot restore ",
                       proc::ForceVersionSysctlName(options_.guard.protocol),
                       " on ", iface, ": ", s.message()));
    }
  }
  guards_.clear();
  failed_.clear();
}

const net::IgmpVersionGuard* IgmpVersionRegistry::guard(
    const std::string& iface) const {
  auto it = guards_.find(iface);
  return it == guards_.end() ? nullptr : &it->second;
}

}  // namespace mcast::probe
