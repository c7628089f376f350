#ifndef MCAST_PROBE_PACER_H_
#define MCAST_PROBE_PACER_H_

// Packet pacing on absolute deadlines: packet k is due at
// start + k / rate, computed from k each time rather than by adding
// intervals, so N packets take exactly N intervals and rounding never
// drifts. A late wake-up sends everything that is due (in batches), so the
// average rate holds even when single departures are late.

#include <cstdint>
#include <optional>

namespace mcast::probe {

class Pacer {
 public:
  // `count` limits the run (std::nullopt = forever).
  Pacer(double packets_per_second, int64_t start_ns,
        std::optional<uint64_t> count);

  // Packets due at `now_ns` and not yet sent.
  uint64_t Due(int64_t now_ns) const;
  void MarkSent(uint64_t n) { sent_ += n; }

  // Deadline of the next packet to send (packet index sent()).
  int64_t NextDeadline() const { return Deadline(sent_); }
  int64_t Deadline(uint64_t index) const;

  bool done() const { return count_ && sent_ >= *count_; }
  uint64_t sent() const { return sent_; }
  // True for the index of the final packet of a finite run.
  bool IsLast(uint64_t index) const { return count_ && index + 1 == *count_; }
  double rate() const { return rate_; }

 private:
  // Due() and Deadline() in integers when the interval is a whole number
  // of nanoseconds (25, 1000, 100000 pps...): the same floor(k * 1e9 / rate)
  // as the long double path, which was 2 % of the exporter's CPU at a
  // thousand flows; 0 = not whole, the long double path.
  int64_t interval_ns_ = 0;
  // Deadline(index) in integers is exact below this index (no overflow).
  uint64_t integer_limit_ = 0;
  double rate_;
  int64_t start_ns_;
  std::optional<uint64_t> count_;
  uint64_t sent_ = 0;
};

// Packets a finite run of `duration_s` seconds sends: one per interval
// started before the end, i.e. ceil(duration * rate), at least 1.
uint64_t PacketsForDuration(double duration_s, double packets_per_second);

}  // namespace mcast::probe

#endif  // MCAST_PROBE_PACER_H_
