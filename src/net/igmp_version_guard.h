#ifndef MCAST_NET_IGMP_VERSION_GUARD_H_
#define MCAST_NET_IGMP_VERSION_GUARD_H_

// Forces the IGMP version a host speaks on one interface for the lifetime of
// a test, then puts the previous setting back.
//
// The knob is the sysctl net.ipv4.conf.<iface>.force_igmp_version
// (0 = kernel default, i.e. v3 unless a querier forces compatibility mode;
// 1, 2, 3 = that version). It is global to the interface, so leaving it
// changed after a test would silently alter every other program's joins:
// the guard restores the value it found, on destruction or on Restore().
//
// Note that a v2 query on the link still puts the host in v2 compatibility
// mode whatever is forced here (see /proc/net/igmp for the version in
// effect).

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcast::net {

// Reads <proc_root>/sys/net/ipv4/conf/<iface>/force_igmp_version.
// NotFound when the file is missing (no such interface in this namespace).
absl::StatusOr<int> ReadForcedIgmpVersion(
    absl::string_view iface, absl::string_view proc_root = "/proc");

class IgmpVersionGuard {
 public:
  // Reads the current value, then writes `version` (0..3).
  //   InvalidArgument  version out of range or a bad interface name
  //   NotFound         no such interface / sysctl file
  //   PermissionDenied not allowed to write (not root): callers warn and go
  //                    on without the forced version.
  static absl::StatusOr<IgmpVersionGuard> Force(
      std::string iface, int version, std::string proc_root = "/proc");

  IgmpVersionGuard(IgmpVersionGuard&& other) noexcept;
  IgmpVersionGuard& operator=(IgmpVersionGuard&& other) noexcept;
  IgmpVersionGuard(const IgmpVersionGuard&) = delete;
  IgmpVersionGuard& operator=(const IgmpVersionGuard&) = delete;
  // Restores the previous value; errors are ignored here (the interface may
  // be gone already, which takes its sysctl with it). Call Restore() to see
  // them.
  ~IgmpVersionGuard();

  // Writes the previous value back, once. Later calls do nothing.
  absl::Status Restore();

  const std::string& iface() const { return iface_; }
  int previous_version() const { return previous_; }
  int forced_version() const { return forced_; }

 private:
  IgmpVersionGuard(std::string iface, std::string path, int previous,
                   int forced);

  std::string iface_;
  std::string path_;
  int previous_ = 0;
  int forced_ = 0;
  bool active_ = false;  // False once restored or moved from.
};

}  // namespace mcast::net

#endif  // MCAST_NET_IGMP_VERSION_GUARD_H_
