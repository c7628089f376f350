#ifndef MCAST_NET_IGMP_VERSION_GUARD_H_
#define MCAST_NET_IGMP_VERSION_GUARD_H_

// Forces the IGMP (or MLD) version a host speaks on one interface for as
// long as a tool needs it, then puts the administrator's setting back.
//
// The knob is the sysctl net.ipv4.conf.<iface>.force_igmp_version
// (0 = kernel default, i.e. v3 unless a querier forces compatibility mode;
// 1, 2, 3 = that version). It is global to the interface, so leaving it
// changed would silently alter every other program's joins. With
// Options::protocol = kMld the same guard, with the same rules below,
// forces net.ipv6.conf.<iface>.force_mld_version (0 = kernel default, i.e.
// v2 unless an MLDv1 querier was heard; 1, 2); its records are separate
// ("mld-..." files), so one device's IGMP and MLD holders never mix.
//
// Note that a v2 query on the link still puts the host in v2 compatibility
// mode whatever is forced here (see /proc/net/igmp for the version in
// effect).
//
// What survives the process: the state directory
// ---------------------------------------------
// A guard that only remembers the old value in memory loses it to a
// SIGKILL, and the next start then takes the forced value for the admin's.
// So with a state directory (default /run/mcast-tools, $MCAST_STATE_DIR or
// --state-dir; the systemd unit makes it with RuntimeDirectory=) every
// guard records, per network namespace and device, the admin's original
// value and the processes holding the interface forced (see
// igmp_state_record.h for the file). The rules:
//
//  - Key. One record per (netns inode of /proc/self/ns/net, ifindex,
//    name): namespaces do not collide, and a device deleted and re-created
//    under the same name (new index) is a new device with its own original.
//  - First holder. Finding no record, a guard records the current value as
//    the original, then forces.
//  - Later holders. Finding a record with a live holder (kill(pid, 0) and
//    the start time in /proc/<pid>/stat, so a reused pid is not taken for
//    the holder), a guard keeps the recorded original rather than the
//    current, forced, value, and adds itself.
//  - Repair. Finding a record whose holders are all dead (SIGKILL, crash),
//    a guard first writes the recorded original back, then forces. If the
//    sysctl no longer holds the value the tools last applied, someone
//    changed it after the crash: that newer value is the original.
//  - Different versions. An interface has one value: the holder that
//    forced last wins while it lives (the guard's conflict note says so).
//    When a holder leaves and others remain, the value of the newest live
//    holder is applied again.
//  - Last holder. The last live holder to leave writes the original back
//    and removes the record.
//  - Re-created or deleted device. A device's saved value dies with it:
//    a guard whose device is gone (or whose name now belongs to a device
//    with another index) writes nothing on leaving, and Restore() says
//    NotFound. Forcing the new device is the caller's move (the exporter
//    does it on the link event, recording the new device's original).
//  - Races. Each update holds an exclusive flock on the directory, and
//    records are replaced by rename (IgmpStateDir).
//  - Fallback. When the directory cannot be used (not root, read-only
//    /run, lock held by a stopped process, a full record), the guard works
//    as before, from memory, and its notes say why, once per directory and
//    process. Unreadable records (bad syntax, too big, a symlink) are
//    ignored with a note and replaced; they never crash anything.
//  - Bounds. A record is at most 4 KiB and 32 holders; a start reads at
//    most 64 other records of its namespace, to clean up those of deleted
//    devices whose holders are all dead.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proc/group_protocol.h"

namespace mcast::net {

// $MCAST_STATE_DIR when set (empty: no state directory), else
// /run/mcast-tools.
std::string DefaultIgmpStateDir();

class IgmpVersionGuard {
 public:
  struct Options {
    std::string proc_root = "/proc";
    // Empty: no state directory, only the in-memory value (a SIGKILL then
    // leaves the forced value).
    std::string state_dir;
    // For tests with a fake proc_root: the namespace id (0: the inode of
    // /proc/self/ns/net) and the name -> index lookup (null:
    // if_nametoindex in the current namespace).
    uint64_t netns_id = 0;
    std::function<absl::StatusOr<int>(absl::string_view)> index_of;
    // Which sysctl: force_igmp_version or force_mld_version.
    proc::GroupProtocol protocol = proc::GroupProtocol::kIgmp;
  };

  // Reads the current value, then writes `version` (0..3 for IGMP, 0..2
  // for MLD).
  //   InvalidArgument   version out of range or a bad interface name
  //   NotFound          no such interface / sysctl file
  //   PermissionDenied  not allowed to write (not root): callers warn and go
  //                     on without the forced version.
  //   ResourceExhausted the record already has its maximum of live holders
  static absl::StatusOr<IgmpVersionGuard> Force(std::string iface, int version,
                                                const Options& options);
  // In-memory only (no state directory).
  static absl::StatusOr<IgmpVersionGuard> Force(
      std::string iface, int version, std::string proc_root = "/proc");

  IgmpVersionGuard(IgmpVersionGuard&& other) noexcept;
  IgmpVersionGuard& operator=(IgmpVersionGuard&& other) noexcept;
  IgmpVersionGuard(const IgmpVersionGuard&) = delete;
  IgmpVersionGuard& operator=(const IgmpVersionGuard&) = delete;
  // Leaves (see the rules above); errors are ignored here (the interface
  // may be gone already, which takes its sysctl with it). Call Restore() to
  // see them.
  ~IgmpVersionGuard();

  // Leaves, once: writes back the original (last holder), the newest other
  // holder's value (others remain) or nothing (device gone: NotFound).
  // Later calls do nothing.
  absl::Status Restore();

  const std::string& iface() const { return iface_; }
  // The admin's value this guard restores (from the record when another
  // tool had forced the interface already).
  int previous_version() const { return previous_; }
  int forced_version() const { return forced_; }
  proc::GroupProtocol protocol() const { return protocol_; }
  // The device forced; 0 when its index was unknown.
  int ifindex() const { return ifindex_; }
  // True when the state is in a record, false when only in memory.
  bool recorded() const { return !state_dir_.empty(); }
  // Things worth a warning in the caller's log: a fallback to memory, a
  // repaired record, a conflicting holder, an unreadable record.
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  IgmpVersionGuard() = default;
  absl::Status WriteOriginalFromMemory(bool device_same);

  std::string iface_;
  std::string path_;
  int previous_ = 0;
  int forced_ = 0;
  int ifindex_ = 0;
  proc::GroupProtocol protocol_ = proc::GroupProtocol::kIgmp;
  std::function<absl::StatusOr<int>(absl::string_view)> index_of_;
  std::string state_dir_;  // Empty: not recorded.
  std::string record_name_;
  uint64_t serial_ = 0;
  std::vector<std::string> notes_;
  bool active_ = false;  // False once restored or moved from.
};

}  // namespace mcast::net

#endif  // MCAST_NET_IGMP_VERSION_GUARD_H_
