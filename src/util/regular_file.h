#ifndef MCAST_UTIL_REGULAR_FILE_H_
#define MCAST_UTIL_REGULAR_FILE_H_

// Opening a file an operator names in a config (the web config, its
// certificate, key and CA files) without hanging on what is not a file: a
// FIFO would block open() until a writer appears and read() until it
// writes; /dev/zero or /dev/urandom never end. The file is opened
// non-blocking and refused unless fstat says it is a regular file (a
// symlink to one is fine), so nothing blocks and the size is bounded by
// what is on disk.

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "util/unique_fd.h"

namespace mcast::util {

// The descriptor (O_RDONLY | O_CLOEXEC; O_NONBLOCK, which a regular file
// ignores), or "PATH: cannot open: ..." (errno mapped by ErrnoToStatus),
// or InvalidArgument "PATH: not a regular file (a FIFO)". PATH in the
// message is SanitizeLine'd.
absl::StatusOr<UniqueFd> OpenRegularFile(const std::string& path);

// The whole file, read through OpenRegularFile; more than `max_bytes` is
// OutOfRange "PATH: larger than MAX bytes" (a code of its own, so a caller
// can say it in its own words).
absl::StatusOr<std::string> ReadRegularFile(const std::string& path,
                                            size_t max_bytes);

}  // namespace mcast::util

#endif  // MCAST_UTIL_REGULAR_FILE_H_
