#ifndef MCAST_NET_CLOCK_H_
#define MCAST_NET_CLOCK_H_

// The two clocks the tools use, in integer nanoseconds so they can be
// stored in probe headers and subtracted without rounding.
//   * Monotonic: pacing, intervals, timeouts (never jumps; timerfd deadlines
//     given to EventLoop::ArmAt are on this clock).
//   * Realtime: one-way delay between hosts, compared with the kernel
//     receive timestamps (SO_TIMESTAMPNS is CLOCK_REALTIME).

#include <cstdint>

namespace mcast::net {

int64_t MonotonicNanos();
int64_t RealtimeNanos();

}  // namespace mcast::net

#endif  // MCAST_NET_CLOCK_H_
