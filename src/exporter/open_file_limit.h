#ifndef MCAST_EXPORTER_OPEN_FILE_LIMIT_H_
#define MCAST_EXPORTER_OPEN_FILE_LIMIT_H_

// The process's open-file limit (RLIMIT_NOFILE). The exporter needs a
// descriptor or two per probe (fd_budget.h), so it raises its soft limit to
// the hard one at start, as systemd recommends for programs that never use
// select(): the 1024 soft default exists for select()'s FD_SETSIZE, and the
// exporter, civetweb (poll) and libnl use only poll/epoll.

#include <cstdint>
#include <string>

namespace mcast::exporter {

struct OpenFileLimit {
  uint64_t soft_before = 0;
  uint64_t soft = 0;  // After the raise.
  uint64_t hard = 0;
  std::string error;  // Why the raise failed; empty when it did not.
};

// Raises the soft RLIMIT_NOFILE to the hard limit (nothing to do when they
// are equal, as under the unit's LimitNOFILE=).
OpenFileLimit RaiseOpenFileLimit();

// The soft limit in effect now: what a config must fit in.
uint64_t CurrentOpenFileLimit();

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_OPEN_FILE_LIMIT_H_
