#include "stats/sender_snapshot.h"

#include <algorithm>

namespace mcast::stats {

void DelayStats::Observe(double seconds) {
  if (count == 0) {
    min_seconds = max_seconds = seconds;
  } else {
    min_seconds = std::min(min_seconds, seconds);
    max_seconds = std::max(max_seconds, seconds);
  }
  ++count;
  sum_seconds += seconds;
  size_t i = 0;
  while (i < kDelayBucketsSeconds.size() && seconds > kDelayBucketsSeconds[i]) {
    ++i;
  }
  ++buckets[i];
}

}  // namespace mcast::stats
