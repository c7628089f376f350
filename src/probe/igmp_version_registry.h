#ifndef MCAST_PROBE_IGMP_VERSION_REGISTRY_H_
#define MCAST_PROBE_IGMP_VERSION_REGISTRY_H_

// The IGMP versions a front end's receivers want forced, one
// net::IgmpVersionGuard per interface. With Options::guard.protocol = kMld
// the same registry forces MLD versions (force_mld_version); a front end
// with both families owns one registry per protocol. An interface has one
// value, so the receivers naming it share one guard: the first one decides and
// the others are warned about (once per Sync with warn_conflicts). The guards
// follow the devices: a guard whose device is gone or re-created (a new index)
// is dropped, and the device present now is forced afresh, recording its own
// original. A failed attempt is logged and retried once per (device,
// version), not on every Sync.
//
// mcast-receive's session owns one with a single want; the exporter owns
// one for all its receivers and re-syncs it on reloads and link events.
// Sync before joining, so the joins' reports use the forced version;
// RestoreAll after leaving.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "net/igmp_version_guard.h"
#include "probe/session_log.h"

namespace mcast::probe {

struct IgmpVersionWant {
  std::string interface;
  int version = 3;
  std::string receiver;  // Named in the messages; may be empty.
};

class IgmpVersionRegistry {
 public:
  struct Options {
    // Passed to every guard (state directory; proc root for tests).
    net::IgmpVersionGuard::Options guard;
    SessionLog log;  // Null: util::Log.
  };
  explicit IgmpVersionRegistry(Options options);
  // Restores what it forced (RestoreAll).
  ~IgmpVersionRegistry();
  IgmpVersionRegistry(const IgmpVersionRegistry&) = delete;
  IgmpVersionRegistry& operator=(const IgmpVersionRegistry&) = delete;

  // Makes the guards match `wants` on the devices present now: releases
  // those no longer wanted or whose device is gone or re-created, forces the
  // missing ones. Wants without an interface are skipped (the routing
  // table picks one at join time). Cheap when nothing changed.
  void Sync(const std::vector<IgmpVersionWant>& wants, bool warn_conflicts);
  void RestoreAll();

  // The guard of `iface`, or null.
  const net::IgmpVersionGuard* guard(const std::string& iface) const;

 private:
  int IndexNow(const std::string& iface) const;
  void Log(util::LogLevel level, const std::string& message) const {
    LogTo(options_.log, level, message);
  }

  Options options_;
  std::map<std::string, net::IgmpVersionGuard> guards_;
  // Interface -> (index, version) of the last attempt that failed.
  std::map<std::string, std::pair<int, int>> failed_;
};

}  // namespace mcast::probe

#endif  // MCAST_PROBE_IGMP_VERSION_REGISTRY_H_
