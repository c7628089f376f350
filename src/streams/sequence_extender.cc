#include "streams/sequence_extender.h"

#include <algorithm>

namespace mcast::streams {

SequenceExtender::SequenceExtender(int bits) {
  bits = std::clamp(bits, 1, 64);
  mask_ = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  half_ = (mask_ >> 1) + 1;
}

uint64_t SequenceExtender::Extend(uint64_t value) {
  value &= mask_;
  if (!started_) {
    started_ = true;
    highest_ = value;
    return value;
  }
  const uint64_t delta = (value - highest_) & mask_;
  if (delta < half_) {
    highest_ += delta;
    return highest_;
  }
  // Behind: the distance back is the space minus delta.
  return highest_ - (((mask_ - delta) & mask_) + 1);
}

}  // namespace mcast::streams
