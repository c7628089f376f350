#ifndef MCAST_STATS_JITTER_ESTIMATOR_H_
#define MCAST_STATS_JITTER_ESTIMATOR_H_

// RFC 3550 §6.4.1 interarrival jitter: J += (|D| - J) / 16, where D is the
// change in transit time (receive time - send timestamp) between
// consecutive packets. A constant clock offset between sender and receiver
// cancels out, so it works with the sender's monotonic clock too.

#include <cstdint>
#include <cstdlib>

namespace mcast::stats {

class JitterEstimator {
 public:
  void OnPacket(int64_t send_ns, int64_t recv_ns) {
    int64_t transit = recv_ns - send_ns;
    if (has_previous_) {
      double d = static_cast<double>(std::llabs(transit - previous_transit_));
      jitter_ns_ += (d - jitter_ns_) / 16.0;
    }
    previous_transit_ = transit;
    has_previous_ = true;
  }
  double jitter_ns() const { return jitter_ns_; }

 private:
  bool has_previous_ = false;
  int64_t previous_transit_ = 0;
  double jitter_ns_ = 0;
};

}  // namespace mcast::stats

#endif  // MCAST_STATS_JITTER_ESTIMATOR_H_
