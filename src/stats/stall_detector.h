#ifndef MCAST_STATS_STALL_DETECTOR_H_
#define MCAST_STATS_STALL_DETECTOR_H_

// Flow state from packet arrival alone: WAITING until the first packet,
// RECEIVING while packets come, STALLED once no packet arrived for the stall
// timeout. Interval based, so it needs no knowledge of the sender's rate.
//
// Each stall is a gap event from the last packet before it to the first
// packet after it; recent events are kept in a bounded log.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mcast::stats {

enum class FlowState { kWaiting, kReceiving, kStalled };
const char* FlowStateName(FlowState state);  // "waiting", ...

struct GapEvent {
  int64_t start_mono_ns = 0;  // Last packet before the gap.
  int64_t start_real_ns = 0;
  int64_t end_mono_ns = 0;  // First packet after it; 0 while ongoing.
  bool ongoing() const { return end_mono_ns == 0; }
  int64_t DurationNs(int64_t now_mono_ns) const {
    return (ongoing() ? now_mono_ns : end_mono_ns) - start_mono_ns;
  }
};

class StallDetector {
 public:
  explicit StallDetector(int64_t stall_timeout_ns, size_t log_capacity = 32);

  void OnPacket(int64_t mono_ns, int64_t real_ns);
  // Moves RECEIVING to STALLED once the timeout has passed.
  void Tick(int64_t mono_ns);
  // The earliest mono_ns at which Tick would change anything; INT64_MAX
  // unless RECEIVING. Only a packet moves it.
  int64_t NextTickDueNs() const;

  FlowState state() const { return state_; }
  uint64_t stalls() const { return stalls_; }
  // Time spent in gaps that were stalls, the current one included.
  int64_t StalledNs(int64_t now_mono_ns) const;
  int64_t last_packet_mono_ns() const { return last_mono_ns_; }
  int64_t last_packet_real_ns() const { return last_real_ns_; }
  // Oldest first.
  std::vector<GapEvent> GapLog() const;

 private:
  void OpenGap();
  void CloseGap(int64_t mono_ns);

  int64_t timeout_ns_;
  FlowState state_ = FlowState::kWaiting;
  uint64_t stalls_ = 0;
  int64_t closed_stall_ns_ = 0;
  int64_t last_mono_ns_ = 0;
  int64_t last_real_ns_ = 0;
  std::vector<GapEvent> log_;  // Ring of log_capacity events.
  size_t log_next_ = 0;
  size_t log_size_ = 0;
};

}  // namespace mcast::stats

#endif  // MCAST_STATS_STALL_DETECTOR_H_
