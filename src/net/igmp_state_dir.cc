#include "net/igmp_state_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "util/errno_status.h"

namespace mcast::net {

absl::StatusOr<IgmpStateDir> IgmpStateDir::OpenLocked(const std::string& path,
                                                      absl::Duration timeout) {
  if (path.empty()) return absl::InvalidArgumentError("empty state directory");
  if (mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    return util::ErrnoToStatus(errno, absl::StrCat("cannot create ", path));
  }
  util::UniqueFd dir(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) {
    return util::ErrnoToStatus(errno, absl::StrCat("cannot open ", path));
  }
  // Effective ids and capabilities, as the later writes will use.
  if (faccessat(dir.get(), ".", W_OK | X_OK, AT_EACCESS) != 0) {
    return util::ErrnoToStatus(errno, absl::StrCat("cannot write in ", path));
  }
  const absl::Time deadline = absl::Now() + timeout;
  while (flock(dir.get(), LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    if ((err != EWOULDBLOCK && err != EINTR) || absl::Now() >= deadline) {
      if (err == EWOULDBLOCK) {
        return absl::UnavailableError(
            absl::StrCat(path, " stays locked by another process (stopped?)"));
      }
      return util::ErrnoToStatus(err, absl::StrCat("cannot lock ", path));
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  return IgmpStateDir(path, std::move(dir));
}

absl::StatusOr<IgmpStateRecord> IgmpStateDir::Load(
    const std::string& name) const {
  // O_NOFOLLOW and O_NONBLOCK: a symlink or a FIFO planted in the
  // directory must neither redirect nor block us.
  const int fd = openat(fd_.get(), name.c_str(),
                        O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return absl::NotFoundError(name);
    if (err == ELOOP) {
      return absl::InvalidArgumentError(
          absl::StrCat(path_, "/", name, " is a symbolic link"));
    }
    return util::ErrnoToStatus(err,
                               absl::StrCat("cannot read ", path_, "/", name));
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return absl::InvalidArgumentError(
        absl::StrCat(path_, "/", name, " is not a regular file"));
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxIgmpStateFileBytes) {
    close(fd);
    return absl::InvalidArgumentError(
        absl::StrCat(path_, "/", name, ": ", st.st_size, " bytes (at most ",
                     kMaxIgmpStateFileBytes, ")"));
  }
  std::string text(kMaxIgmpStateFileBytes + 1, '\0');
  size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  close(fd);
  text.resize(got);
  absl::StatusOr<IgmpStateRecord> r = ParseIgmpStateRecord(text);
  if (!r.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path_, "/", name, ": ", r.status().message()));
  }
  return r;
}

absl::Status IgmpStateDir::Save(const std::string& name,
                                const IgmpStateRecord& record) {
  const std::string tmp = absl::StrCat(".", name, ".tmp");
  // Only the lock holder writes temporaries: one left by a crash is stale.
  (void)unlinkat(fd_.get(), tmp.c_str(), 0);
  const int fd =
      openat(fd_.get(), tmp.c_str(),
             O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    return util::ErrnoToStatus(errno,
                               absl::StrCat("cannot write ", path_, "/", tmp));
  }
  // Readable by every tool whatever its umask (the exporter runs with
  // UMask=0077 as its own user; mcast-receive usually as root).
  (void)fchmod(fd, 0644);
  const std::string text = FormatIgmpStateRecord(record);
  size_t done = 0;
  int err = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      err = n < 0 ? errno : EIO;
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (close(fd) != 0 && err == 0) err = errno;
  if (err == 0 &&
      renameat(fd_.get(), tmp.c_str(), fd_.get(), name.c_str()) != 0) {
    err = errno;
  }
  if (err != 0) {
    (void)unlinkat(fd_.get(), tmp.c_str(), 0);
    return util::ErrnoToStatus(err,
                               absl::StrCat("cannot write ", path_, "/", name));
  }
  return absl::OkStatus();
}

absl::Status IgmpStateDir::Remove(const std::string& name) {
  if (unlinkat(fd_.get(), name.c_str(), 0) != 0 && errno != ENOENT) {
    return util::ErrnoToStatus(
        errno, absl::StrCat("cannot remove ", path_, "/", name));
  }
  return absl::OkStatus();
}

std::vector<std::string> IgmpStateDir::List(absl::string_view prefix,
                                            size_t limit) const {
  std::vector<std::string> names;
  const int fd = openat(fd_.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return names;
  DIR* dir = fdopendir(fd);
  if (dir == nullptr) {
    close(fd);
    return names;
  }
  // Bound the entries looked at, not only those kept: a directory full of
  // other files must not make every start slow.
  size_t seen = 0;
  while (names.size() < limit && seen < 16 * limit) {
    const dirent* e = readdir(dir);
    if (e == nullptr) break;
    ++seen;
    if (absl::StartsWith(e->d_name, prefix)) names.emplace_back(e->d_name);
  }
  closedir(dir);
  return names;
}

}  // namespace mcast::net
