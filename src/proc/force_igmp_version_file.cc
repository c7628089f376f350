#include "proc/force_igmp_version_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "proc/force_igmp_version.h"
#include "util/errno_status.h"
#include "util/unique_fd.h"

namespace mcast::proc {
namespace {

absl::Status FileError(GroupProtocol protocol, int err, absl::string_view verb,
                       absl::string_view iface, const std::string& path) {
  if (err == ENOENT) {
    return absl::NotFoundError(absl::StrCat(
        "cannot ", verb, " the ", GroupProtocolName(protocol), " version of '",
        iface, "': ", path,
        " does not exist (no such interface in this network namespace?)"));
  }
  return util::ErrnoToStatus(err, absl::StrCat("cannot ", verb, " ", path));
}

}  // namespace

absl::Status CheckConfInterfaceName(absl::string_view iface) {
  if (iface.empty() || iface == "." || iface == ".." ||
      iface.find('/') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad interface name '", iface, "'"));
  }
  return absl::OkStatus();
}

std::string ForceVersionPath(GroupProtocol protocol,
                             absl::string_view proc_root,
                             absl::string_view iface) {
  return absl::StrCat(proc_root, "/sys/net/",
                      ForceVersionSysctlFamily(protocol), "/conf/", iface, "/",
                      ForceVersionSysctlName(protocol));
}

absl::StatusOr<int> ReadForcedVersion(GroupProtocol protocol,
                                      absl::string_view iface,
                                      absl::string_view proc_root) {
  if (absl::Status s = CheckConfInterfaceName(iface); !s.ok()) return s;
  return ReadForceVersionFile(protocol, iface,
                              ForceVersionPath(protocol, proc_root, iface));
}

absl::StatusOr<int> ReadForceVersionFile(GroupProtocol protocol,
                                         absl::string_view iface,
                                         const std::string& path) {
  const util::UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return FileError(protocol, errno, "read", iface, path);
  char buf[32] = {};
  ssize_t n;
  do {
    n = read(fd.get(), buf, sizeof(buf) - 1);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return FileError(protocol, errno, "read", iface, path);
  absl::StatusOr<int> value = ParseForceVersion(
      protocol, absl::string_view(buf, static_cast<size_t>(n)));
  if (!value.ok()) {
    return absl::InternalError(
        absl::StrCat(path, ": ", value.status().message()));
  }
  return *value;
}

absl::Status WriteForceVersionFile(GroupProtocol protocol,
                                   absl::string_view iface,
                                   const std::string& path, int value) {
  const util::UniqueFd fd(open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
  if (!fd.valid()) return FileError(protocol, errno, "set", iface, path);
  const std::string text = absl::StrCat(value, "\n");
  ssize_t n;
  do {
    n = write(fd.get(), text.data(), text.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) return FileError(protocol, errno, "set", iface, path);
  if (static_cast<size_t>(n) != text.size()) {
    return absl::InternalError(absl::StrCat(path, ": short write"));
  }
  return absl::OkStatus();
}

absl::Status CheckForceVersionWritable(GroupProtocol protocol,
                                       absl::string_view iface,
                                       const std::string& path) {
  if (faccessat(AT_FDCWD, path.c_str(), W_OK, AT_EACCESS) != 0) {
    return FileError(protocol, errno, "set", iface, path);
  }
  return absl::OkStatus();
}

std::string ForceIgmpVersionPath(absl::string_view proc_root,
                                 absl::string_view iface) {
  return ForceVersionPath(GroupProtocol::kIgmp, proc_root, iface);
}

absl::StatusOr<int> ReadForcedIgmpVersion(absl::string_view iface,
                                          absl::string_view proc_root) {
  return ReadForcedVersion(GroupProtocol::kIgmp, iface, proc_root);
}

absl::StatusOr<int> ReadForceIgmpVersionFile(absl::string_view iface,
                                             const std::string& path) {
  return ReadForceVersionFile(GroupProtocol::kIgmp, iface, path);
}

absl::Status WriteForceIgmpVersionFile(absl::string_view iface,
                                       const std::string& path, int value) {
  return WriteForceVersionFile(GroupProtocol::kIgmp, iface, path, value);
}

absl::Status CheckForceIgmpVersionWritable(absl::string_view iface,
                                           const std::string& path) {
  return CheckForceVersionWritable(GroupProtocol::kIgmp, iface, path);
}

}  // namespace mcast::proc
