#ifndef MCAST_PROBE_JOIN_LATENCY_H_
#define MCAST_PROBE_JOIN_LATENCY_H_

// Join ("zap") time: from a receiver's join to the first valid probe packet
// after it, the time the network took to build the multicast tree to this
// host. Every join starts a measurement (the first one, and every re-join
// after a link came back or the interface was re-created); the first probe
// packet ends it. Times are CLOCK_REALTIME, the join's clock read against
// the packet's kernel arrival stamp, so the first packet's sender
// timestamp (when the sender stamps CLOCK_REALTIME) can be compared with
// both.

#include <cstdint>
#include <optional>

#include "stats/sender_snapshot.h"

namespace mcast::probe {

struct JoinSample {
  int64_t join_real_ns = 0;
  int64_t first_packet_real_ns = 0;  // Arrival.
  // The first packet's header timestamp and whether it is CLOCK_REALTIME.
  uint64_t first_packet_sent_ns = 0;
  bool sender_realtime = false;
  uint64_t first_packet_sequence = 0;

  int64_t latency_ns() const { return first_packet_real_ns - join_real_ns; }
};

class JoinLatency {
 public:
  void OnJoin(int64_t real_ns) {
    ++joins_;
    pending_ = true;
    join_real_ns_ = real_ns;
  }
  // A leave or a lost socket: a join without a packet stays unanswered.
  void OnLeave() { pending_ = false; }
  bool pending() const { return pending_; }
  // The first probe packet after a join (call only while pending()).
  void OnFirstPacket(int64_t arrival_real_ns, uint64_t sent_ns,
                     bool sender_realtime, uint64_t sequence);

  uint64_t joins() const { return joins_; }
  // Latency of every answered join (histogram buckets of the one-way delay).
  const stats::DelayStats& histogram() const { return histogram_; }
  const std::optional<JoinSample>& last() const { return last_; }
  int64_t join_real_ns() const { return join_real_ns_; }

 private:
  bool pending_ = false;
  int64_t join_real_ns_ = 0;
  uint64_t joins_ = 0;
  stats::DelayStats histogram_;
  std::optional<JoinSample> last_;
};

}  // namespace mcast::probe

#endif  // MCAST_PROBE_JOIN_LATENCY_H_
