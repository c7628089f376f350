#include "stats/stall_detector.h"

#include <algorithm>
#include <limits>

namespace mcast::stats {

const char* FlowStateName(FlowState state) {
  switch (state) {
    case FlowState::kWaiting:
      return "waiting";
    case FlowState::kReceiving:
      return "receiving";
    case FlowState::kStalled:
      return "stalled";
  }
  return "unknown";
}

StallDetector::StallDetector(int64_t stall_timeout_ns, size_t log_capacity)
    : timeout_ns_(stall_timeout_ns), log_(std::max<size_t>(log_capacity, 1)) {}

void StallDetector::OpenGap() {
  ++stalls_;
  state_ = FlowState::kStalled;
  log_[log_next_] = GapEvent{last_mono_ns_, last_real_ns_, 0};
  log_next_ = (log_next_ + 1) % log_.size();
  log_size_ = std::min(log_size_ + 1, log_.size());
}

void StallDetector::CloseGap(int64_t mono_ns) {
  GapEvent& g = log_[(log_next_ + log_.size() - 1) % log_.size()];
  g.end_mono_ns = std::max(mono_ns, g.start_mono_ns + 1);
  closed_stall_ns_ += g.end_mono_ns - g.start_mono_ns;
}

void StallDetector::OnPacket(int64_t mono_ns, int64_t real_ns) {
  // A gap longer than the timeout is a stall even if no Tick saw it (the
  // caller was busy): count it when the next packet shows it.
  if (state_ == FlowState::kReceiving &&
      mono_ns - last_mono_ns_ >= timeout_ns_) {
    OpenGap();
  }
  if (state_ == FlowState::kStalled) CloseGap(mono_ns);
  state_ = FlowState::kReceiving;
  last_mono_ns_ = mono_ns;
  last_real_ns_ = real_ns;
}

void StallDetector::Tick(int64_t mono_ns) {
  if (state_ == FlowState::kReceiving &&
      mono_ns - last_mono_ns_ >= timeout_ns_) {
    OpenGap();
  }
}

int64_t StallDetector::NextTickDueNs() const {
  constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
  if (state_ != FlowState::kReceiving) return kNever;
  if (timeout_ns_ > 0 && last_mono_ns_ > kNever - timeout_ns_) return kNever;
  return last_mono_ns_ + timeout_ns_;
}

int64_t StallDetector::StalledNs(int64_t now_mono_ns) const {
  int64_t total = closed_stall_ns_;
  if (state_ == FlowState::kStalled) {
    total += std::max<int64_t>(0, now_mono_ns - last_mono_ns_);
  }
  return total;
}

std::vector<GapEvent> StallDetector::GapLog() const {
  std::vector<GapEvent> out;
  out.reserve(log_size_);
  size_t first = (log_next_ + log_.size() - log_size_) % log_.size();
  for (size_t i = 0; i < log_size_; ++i) {
    out.push_back(log_[(first + i) % log_.size()]);
  }
  return out;
}

}  // namespace mcast::stats
