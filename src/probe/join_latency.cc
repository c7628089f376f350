#include "probe/join_latency.h"

#include <algorithm>

namespace mcast::probe {

void JoinLatency::OnFirstPacket(int64_t arrival_real_ns, uint64_t sent_ns,
                                bool sender_realtime, uint64_t sequence) {
  if (!pending_) return;
  pending_ = false;
  JoinSample s;
  s.join_real_ns = join_real_ns_;
  // A packet queued before the join's clock read (same batch) is 0, not
  // negative.
  s.first_packet_real_ns = std::max(arrival_real_ns, join_real_ns_);
  s.first_packet_sent_ns = sent_ns;
  s.sender_realtime = sender_realtime;
  s.first_packet_sequence = sequence;
  histogram_.Observe(static_cast<double>(s.latency_ns()) * 1e-9);
  last_ = s;
}

}  // namespace mcast::probe
