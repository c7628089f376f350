#ifndef MCAST_STREAMS_SEQUENCE_EXTENDER_H_
#define MCAST_STREAMS_SEQUENCE_EXTENDER_H_

// Extends a narrow wrapping sequence number (RTP's 16 bits, a feed's 8, 16,
// 32 bits) to the 64 bits the sequence engine takes (stats/
// sequence_tracker.h), across wraps, as RFC 3550 A.1 does with its cycle
// count: a number is read as the one nearest the highest seen so far,
// forward if it is less than half the space ahead (2^(bits-1)), else back.
// So 65535 then 0 is 65535 then 65536, and 0 then 65535 is 0 then -1
// (2^64 - 1, which the engine compares by modular distance: one behind).
// The first number is taken as is. 64-bit numbers pass unchanged.

#include <cstdint>

namespace mcast::streams {

class SequenceExtender {
 public:
  // bits: 1..64.
  explicit SequenceExtender(int bits);

  uint64_t Extend(uint64_t value);
  void Reset() { started_ = false; }
  bool started() const { return started_; }
  uint64_t highest() const { return highest_; }

 private:
  uint64_t mask_;
  uint64_t half_;
  bool started_ = false;
  uint64_t highest_ = 0;
};

}  // namespace mcast::streams

#endif  // MCAST_STREAMS_SEQUENCE_EXTENDER_H_
