#ifndef MCAST_STATS_JITTER_ESTIMATOR_H_
#define MCAST_STATS_JITTER_ESTIMATOR_H_

// RFC 3550 §6.4.1 interarrival jitter: J += (|D| - J) / 16, where D is the
// change in transit time (receive time - send timestamp) between
// consecutive packets. A constant clock offset between sender and receiver
// cancels out, so it works with the sender's monotonic clock too.

#include <cstdint>

namespace mcast::stats {

class JitterEstimator {
 public:
  // send_ns comes from the packet: any value. Transit and its change are
  // taken modulo 2^64 (exact for any real clock offset, no overflow) and
  // read as the signed distance.
  void OnPacket(int64_t send_ns, int64_t recv_ns) {
    const uint64_t transit =
        static_cast<uint64_t>(recv_ns) - static_cast<uint64_t>(send_ns);
    if (has_previous_) {
      const uint64_t change = transit - previous_transit_;
      const uint64_t magnitude =
          change < (uint64_t{1} << 63) ? change : uint64_t{0} - change;
      const double d = static_cast<double>(magnitude);
      jitter_ns_ += (d - jitter_ns_) / 16.0;
    }
    previous_transit_ = transit;
    has_previous_ = true;
  }
  double jitter_ns() const { return jitter_ns_; }

 private:
  bool has_previous_ = false;
  uint64_t previous_transit_ = 0;
  double jitter_ns_ = 0;
};

}  // namespace mcast::stats

#endif  // MCAST_STATS_JITTER_ESTIMATOR_H_
