#include "net/igmp_version_guard.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "net/errno_status.h"
#include "proc/force_igmp_version.h"

namespace mcast::net {
namespace {

absl::Status CheckInterfaceName(absl::string_view iface) {
  // The name becomes a path component: refuse anything that would escape
  // the conf/ directory.
  if (iface.empty() || iface == "." || iface == ".." ||
      iface.find('/') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad interface name '", iface, "'"));
  }
  return absl::OkStatus();
}

std::string SysctlPath(absl::string_view proc_root, absl::string_view iface) {
  return absl::StrCat(proc_root, "/sys/net/ipv4/conf/", iface,
                      "/force_igmp_version");
}

absl::Status FileError(int err, absl::string_view verb, absl::string_view iface,
                       const std::string& path) {
  if (err == ENOENT) {
    return absl::NotFoundError(absl::StrCat(
        "cannot ", verb, " the IGMP version of '", iface, "': ", path,
        " does not exist (no such interface in this network namespace?)"));
  }
  return ErrnoToStatus(err, absl::StrCat("cannot ", verb, " ", path));
}

absl::StatusOr<int> ReadPath(absl::string_view iface, const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileError(errno, "read", iface, path);
  char buf[32] = {};
  ssize_t n;
  do {
    n = read(fd, buf, sizeof(buf) - 1);
  } while (n < 0 && errno == EINTR);
  const int err = errno;
  close(fd);
  if (n < 0) return FileError(err, "read", iface, path);
  absl::StatusOr<int> value = proc::ParseForceIgmpVersion(
      absl::string_view(buf, static_cast<size_t>(n)));
  if (!value.ok()) {
    return absl::InternalError(
        absl::StrCat(path, ": ", value.status().message()));
  }
  return *value;
}

absl::Status WritePath(absl::string_view iface, const std::string& path,
                       int value) {
  // No O_CREAT: a missing file means a missing interface, never something
  // to create.
  const int fd = open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return FileError(errno, "set", iface, path);
  const std::string text = absl::StrCat(value, "\n");
  ssize_t n;
  do {
    n = write(fd, text.data(), text.size());
  } while (n < 0 && errno == EINTR);
  const int err = errno;
  close(fd);
  if (n < 0) return FileError(err, "set", iface, path);
  if (static_cast<size_t>(n) != text.size()) {
    return absl::InternalError(absl::StrCat(path, ": short write"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> ReadForcedIgmpVersion(absl::string_view iface,
                                          absl::string_view proc_root) {
  if (absl::Status s = CheckInterfaceName(iface); !s.ok()) return s;
  return ReadPath(iface, SysctlPath(proc_root, iface));
}

absl::StatusOr<IgmpVersionGuard> IgmpVersionGuard::Force(
    std::string iface, int version, std::string proc_root) {
  if (absl::Status s = CheckInterfaceName(iface); !s.ok()) return s;
  if (version < 0 || version > 3) {
    return absl::InvalidArgumentError(absl::StrCat(
        "IGMP version must be 0 (kernel default), 1, 2 or 3, not ", version));
  }
  std::string path = SysctlPath(proc_root, iface);
  absl::StatusOr<int> previous = ReadPath(iface, path);
  if (!previous.ok()) return previous.status();
  if (absl::Status s = WritePath(iface, path, version); !s.ok()) return s;
  return IgmpVersionGuard(std::move(iface), std::move(path), *previous,
                          version);
}

IgmpVersionGuard::IgmpVersionGuard(std::string iface, std::string path,
                                   int previous, int forced)
    : iface_(std::move(iface)),
      path_(std::move(path)),
      previous_(previous),
      forced_(forced),
      active_(true) {}

IgmpVersionGuard::IgmpVersionGuard(IgmpVersionGuard&& other) noexcept
    : iface_(std::move(other.iface_)),
      path_(std::move(other.path_)),
      previous_(other.previous_),
      forced_(other.forced_),
      active_(std::exchange(other.active_, false)) {}

IgmpVersionGuard& IgmpVersionGuard::operator=(
    IgmpVersionGuard&& other) noexcept {
  if (this != &other) {
    Restore().IgnoreError();
    iface_ = std::move(other.iface_);
    path_ = std::move(other.path_);
    previous_ = other.previous_;
    forced_ = other.forced_;
    active_ = std::exchange(other.active_, false);
  }
  return *this;
}

IgmpVersionGuard::~IgmpVersionGuard() { Restore().IgnoreError(); }

absl::Status IgmpVersionGuard::Restore() {
  if (!active_) return absl::OkStatus();
  active_ = false;
  return WritePath(iface_, path_, previous_);
}

}  // namespace mcast::net
