#include "net/clock.h"

#include <time.h>

namespace mcast::net {
namespace {

int64_t Read(clockid_t clock) {
  timespec ts{};
  // Cannot fail for these clock ids with a valid pointer.
  clock_gettime(clock, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

int64_t MonotonicNanos() { return Read(CLOCK_MONOTONIC); }
int64_t RealtimeNanos() { return Read(CLOCK_REALTIME); }

}  // namespace mcast::net
