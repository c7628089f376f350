#ifndef MCAST_NET_IGMP_STATE_DIR_H_
#define MCAST_NET_IGMP_STATE_DIR_H_

// The directory of IGMP state records (default /run/mcast-tools), opened
// and locked for one read-modify-write.
//
// Every tool that forces an IGMP version takes the same exclusive flock on
// the directory itself for the few system calls of its update, so two
// processes starting or stopping at once cannot both believe they are the
// first or the last. Records are replaced by writing a temporary file and
// renaming it over the old one, so a reader (or a crash) never sees half a
// file. The lock is released by the kernel when a holder dies, even by
// SIGKILL.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "net/igmp_state_record.h"
#include "util/unique_fd.h"

namespace mcast::net {

class IgmpStateDir {
 public:
  // Creates the directory if it is missing (its parent must exist), opens
  // and locks it. Waits at most `timeout` for the lock: a stopped process
  // (SIGSTOP) holding it must not hang the caller.
  //   PermissionDenied  not allowed to create or write it (not root,
  //                     read-only /run)
  //   NotFound          the parent directory does not exist
  //   Unavailable       the lock stayed taken
  static absl::StatusOr<IgmpStateDir> OpenLocked(
      const std::string& path, absl::Duration timeout = absl::Seconds(2));

  // Destruction closes the directory, which drops the lock.
  IgmpStateDir(IgmpStateDir&& other) noexcept = default;
  IgmpStateDir& operator=(IgmpStateDir&& other) noexcept = default;

  // NotFound: no such record. InvalidArgument: the file is there but is
  // not a record (too big, not a regular file, or does not parse): callers
  // warn and go on as if it were absent.
  absl::StatusOr<IgmpStateRecord> Load(const std::string& name) const;
  absl::Status Save(const std::string& name, const IgmpStateRecord& record);
  absl::Status Remove(const std::string& name);
  // Names starting with `prefix`, at most `limit` of them (the directory is
  // shared: it is read in bounded amounts).
  std::vector<std::string> List(absl::string_view prefix, size_t limit) const;

  const std::string& path() const { return path_; }

 private:
  IgmpStateDir(std::string path, util::UniqueFd fd)
      : path_(std::move(path)), fd_(std::move(fd)) {}

  std::string path_;
  util::UniqueFd fd_;  // Holds the flock.
};

}  // namespace mcast::net

#endif  // MCAST_NET_IGMP_STATE_DIR_H_
