#ifndef MCAST_NET_IGMP_STATE_RECORD_H_
#define MCAST_NET_IGMP_STATE_RECORD_H_

// One state file of the IGMP version guard (see igmp_version_guard.h): what
// an administrator had in force_igmp_version (or, for MLD,
// force_mld_version) on one interface before the mcast-tools started
// forcing it, and which processes force it now.
//
// The file is text, one "key value" per line, so an operator can read it:
//
//   # mcast-tools: force_igmp_version held by these processes
//   format 1
//   netns 4026531840        inode of /proc/self/ns/net
//   ifindex 7               the device: a re-created one has a new index
//   interface eth1
//   original 0              the admin's value, restored by the last holder
//   applied 2               the value the tools last wrote
//   holder 1234 98765 2 1   pid, start time (clock ticks), forced, serial
//
// An MLD record says so in one more line, "protocol mld" (after format), and
// its file name starts with "mld-" instead of "igmp-": the two sysctls of
// one device are separate records. IGMP records have no such line.
//
// The file is input like any other (another process, a crash mid-write, an
// operator's editor): the parser accepts only what FormatIgmpStateRecord
// writes, bounded in size and holders, and says what is wrong otherwise.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proc/group_protocol.h"

namespace mcast::net {

// Bounds on what is read: a file larger than this is refused unread, and a
// record never holds more holders (a further tool is refused a place).
inline constexpr size_t kMaxIgmpStateFileBytes = 4096;
inline constexpr size_t kMaxIgmpStateHolders = 32;

struct IgmpStateHolder {
  int64_t pid = 0;          // 1..4194304 (PID_MAX_LIMIT).
  uint64_t start_time = 0;  // /proc/<pid>/stat field 22; 0 = unknown.
  int forced = 0;           // The version this holder forces, 0..3.
  uint64_t serial = 0;      // Tells apart guards of one process.

  friend bool operator==(const IgmpStateHolder&,
                         const IgmpStateHolder&) = default;
};

struct IgmpStateRecord {
  uint64_t netns = 0;
  int ifindex = 0;  // > 0.
  std::string interface;
  int original = 0;                      // 0..3.
  int applied = 0;                       // 0..3.
  std::vector<IgmpStateHolder> holders;  // Oldest first; the last one wins.
  proc::GroupProtocol protocol = proc::GroupProtocol::kIgmp;

  friend bool operator==(const IgmpStateRecord&,
                         const IgmpStateRecord&) = default;
};

// InvalidArgument naming the line and the problem (values escaped and cut).
absl::StatusOr<IgmpStateRecord> ParseIgmpStateRecord(absl::string_view text);

// The file's text; ParseIgmpStateRecord gives the same record back for any
// record that satisfies the bounds above.
std::string FormatIgmpStateRecord(const IgmpStateRecord& record);

// The file name of the record for one device of one namespace:
// "igmp-<netns>-<ifindex>-<name>" ("mld-..." for MLD), the name with every
// byte outside [A-Za-z0-9._] written as %XX so it stays one path component.
std::string IgmpStateFileName(
    uint64_t netns, int ifindex, absl::string_view interface,
    proc::GroupProtocol protocol = proc::GroupProtocol::kIgmp);

// The prefix of every record file of one namespace and protocol.
std::string IgmpStateFilePrefix(
    uint64_t netns, proc::GroupProtocol protocol = proc::GroupProtocol::kIgmp);

// True for a name the kernel could give an interface and the guard accepts
// as a path component: 1-15 bytes, printable, no '/', ':' or blanks, not
// "." or "..".
bool IsPlausibleInterfaceName(absl::string_view name);

}  // namespace mcast::net

#endif  // MCAST_NET_IGMP_STATE_RECORD_H_
