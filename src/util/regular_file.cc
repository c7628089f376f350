#include "util/regular_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "util/errno_status.h"
#include "util/message_text.h"

namespace mcast::util {
namespace {

constexpr size_t kMaxShownPath = 300;

const char* KindOf(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a file";
}

}  // namespace

absl::StatusOr<UniqueFd> OpenRegularFile(const std::string& path) {
  const std::string shown = SanitizeLine(path, kMaxShownPath);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) {
    return ErrnoToStatus(errno, absl::StrCat(shown, ": cannot open"));
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) {
    return ErrnoToStatus(errno, absl::StrCat(shown, ": cannot stat"));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat(shown, ": not a regular file (", KindOf(st.st_mode), ")"));
  }
  return fd;
}

absl::StatusOr<std::string> ReadRegularFile(const std::string& path,
                                            size_t max_bytes) {
  absl::StatusOr<UniqueFd> fd = OpenRegularFile(path);
  if (!fd.ok()) return fd.status();
  std::string text;
  constexpr size_t kChunk = 65536;
  while (true) {
    const size_t used = text.size();
    text.resize(used + kChunk);
    const ssize_t n = ::read(fd->get(), text.data() + used, kChunk);
    if (n < 0 && errno == EINTR) {
      text.resize(used);
      continue;
    }
    if (n < 0) {
      return ErrnoToStatus(
          errno,
          absl::StrCat(SanitizeLine(path, kMaxShownPath), ": cannot read"));
    }
    text.resize(used + static_cast<size_t>(n));
    if (text.size() > max_bytes) {
      return absl::OutOfRangeError(
          absl::StrCat(SanitizeLine(path, kMaxShownPath), ": larger than ",
                       max_bytes, " bytes"));
    }
    if (n == 0) break;
  }
  return text;
}

}  // namespace mcast::util
