#ifndef MCAST_UTIL_UNIQUE_FD_H_
#define MCAST_UTIL_UNIQUE_FD_H_

// Sole owner of a file descriptor: closes it on destruction, moves but
// never copies, so a class holding one gets correct `= default` moves (the
// moved-from object holds -1 and closes nothing).

#include <unistd.h>

namespace mcast::util {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd < 0 ? -1 : fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

  // Gives up ownership without closing; the caller closes it.
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

  // Closes the descriptor held (if any) and holds `fd` instead. Resetting
  // to the descriptor already held keeps it open: closing it would leave
  // this object owning a number that may be reused by anyone.
  void reset(int fd = -1) {
    if (fd < 0) fd = -1;
    if (fd == fd_) return;
    // close() errors are not retried: on Linux the descriptor is released
    // even when close() fails (EINTR included), and a retry could close a
    // number another thread was just given.
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

}  // namespace mcast::util

#endif  // MCAST_UTIL_UNIQUE_FD_H_
