#include "probe/pacer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace mcast::probe {

Pacer::Pacer(double packets_per_second, int64_t start_ns,
             std::optional<uint64_t> count)
    : rate_(packets_per_second), start_ns_(start_ns), count_(count) {
  // Whole only if rate * interval gives back exactly 1e9: then
  // index * 1e9 / rate is index * interval for every index.
  const long double interval = 1e9L / rate_;
  if (rate_ > 0 && interval >= 1 && interval < 1e15L &&
      interval == std::floor(interval) &&
      static_cast<long double>(rate_) * interval == 1e9L) {
    interval_ns_ = static_cast<int64_t>(interval);
    // start + index * interval stays below INT64_MAX.
    const int64_t headroom = INT64_MAX - std::max<int64_t>(start_ns_, 0);
    integer_limit_ = static_cast<uint64_t>(headroom / interval_ns_);
  }
}

int64_t Pacer::Deadline(uint64_t index) const {
  if (interval_ns_ > 0 && index < integer_limit_) {
    return start_ns_ + static_cast<int64_t>(index) * interval_ns_;
  }
  // long double keeps the product exact far beyond any realistic run.
  long double offset = static_cast<long double>(index) * 1e9L / rate_;
  return start_ns_ + static_cast<int64_t>(std::floor(offset));
}

uint64_t Pacer::Due(int64_t now_ns) const {
  if (now_ns < start_ns_) return 0;
  if (interval_ns_ > 0) {
    // Packets 0..upto-1 have deadlines at or before now.
    const uint64_t upto_int =
        static_cast<uint64_t>((now_ns - start_ns_) / interval_ns_) + 1;
    if (upto_int < integer_limit_) {
      const uint64_t upto =
          count_ ? std::min<uint64_t>(upto_int, *count_) : upto_int;
      return upto > sent_ ? upto - sent_ : 0;
    }
  }
  // Index of the last packet whose deadline has passed, from the inverse
  // of Deadline(), corrected for rounding at the edges.
  long double elapsed = static_cast<long double>(now_ns - start_ns_);
  uint64_t upto = static_cast<uint64_t>(std::floor(elapsed * rate_ / 1e9L)) + 1;
  while (upto > 0 && Deadline(upto - 1) > now_ns) --upto;
  while (Deadline(upto) <= now_ns) ++upto;
  if (count_) upto = std::min(upto, *count_);
  return upto > sent_ ? upto - sent_ : 0;
}

uint64_t PacketsForDuration(double duration_s, double packets_per_second) {
  double n = std::ceil(duration_s * packets_per_second - 1e-9);
  return static_cast<uint64_t>(std::max(1.0, n));
}

}  // namespace mcast::probe
