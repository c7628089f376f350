#include "probe/receiver_spec.h"

namespace mcast::probe {

stats::SequenceTracker::Options ReceiverSpec::sequence_options() const {
  stats::SequenceTracker::Options options;
  options.max_reorder_age_ns = absl::ToInt64Nanoseconds(reorder_window);
  options.max_reorder_packets = static_cast<uint64_t>(reorder_packets);
  return options;
}

stats::ReceiverStatsOptions ReceiverSpec::stats_options() const {
  stats::ReceiverStatsOptions o;
  o.stall_timeout_ns = absl::ToInt64Nanoseconds(stall_timeout);
  o.sequence = sequence_options();
  o.max_senders = static_cast<size_t>(max_senders);
  o.sender_expiry_ns = absl::ToInt64Nanoseconds(sender_expiry);
  return o;
}

streams::StreamTableOptions ReceiverSpec::stream_options() const {
  streams::StreamTableOptions o;
  o.flow.decode = decode;
  o.flow.stall_timeout_ns = absl::ToInt64Nanoseconds(stall_timeout);
  o.flow.sequence = sequence_options();
  return o;
}

}  // namespace mcast::probe
