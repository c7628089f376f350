#ifndef MCAST_NET_PROCESS_IDENTITY_H_
#define MCAST_NET_PROCESS_IDENTITY_H_

// Whether the process that wrote a state record is still alive. A pid alone
// is not an identity (pids are reused, and after a reboot or a SIGKILL a
// stranger may carry the dead holder's pid), so a holder is a pid plus the
// process's start time from /proc/<pid>/stat.

#include <cstdint>

#include "absl/strings/string_view.h"

namespace mcast::net {

// Field 22 (starttime, clock ticks after boot) of <proc_root>/<pid>/stat;
// 0 when it cannot be read (no such process, or hidden from us: systemd's
// ProtectProc=invisible hides other users' processes).
uint64_t ProcessStartTime(int64_t pid, absl::string_view proc_root = "/proc");

// The start time parsed out of the text of a /proc/<pid>/stat file; 0 when
// the text is not one. The command name (field 2) may hold spaces and ')':
// the fields are counted after the last ')'.
uint64_t ParseProcStatStartTime(absl::string_view stat_text);

// False only when the process is known to be gone: kill(pid, 0) says ESRCH,
// or its start time is readable and differs from `start_time` (the pid was
// reused). A process we may not signal (EPERM) or whose start time we
// cannot read counts as alive: better to leave a value forced than to pull
// it from under a running tool.
bool ProcessAlive(int64_t pid, uint64_t start_time,
                  absl::string_view proc_root = "/proc");

}  // namespace mcast::net

#endif  // MCAST_NET_PROCESS_IDENTITY_H_
