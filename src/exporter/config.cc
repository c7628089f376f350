#include "exporter/config.h"

#include "absl/time/time.h"

namespace mcast::exporter {

const char* SenderClockName(SenderClock clock) {
  switch (clock) {
    case SenderClock::kMonotonic:
      return "monotonic";
    case SenderClock::kRealtime:
      return "realtime";
  }
  return "monotonic";
}

stats::SequenceTracker::Options ReceiverConfig::sequence_options() const {
  stats::SequenceTracker::Options options;
  options.max_reorder_age_ns = absl::ToInt64Nanoseconds(reorder_window);
  options.max_reorder_packets = static_cast<uint64_t>(reorder_packets);
  return options;
}

stats::ReceiverStatsOptions ReceiverConfig::stats_options() const {
  stats::ReceiverStatsOptions o;
  o.stall_timeout_ns = absl::ToInt64Nanoseconds(stall_timeout);
  o.sequence = sequence_options();
  o.max_senders = static_cast<size_t>(max_senders);
  o.sender_expiry_ns = absl::ToInt64Nanoseconds(sender_expiry);
  return o;
}

}  // namespace mcast::exporter
