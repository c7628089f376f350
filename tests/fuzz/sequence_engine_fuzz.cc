// The sequence engine under an adversary. The input is not a packet but a
// program: each byte picks an operation of a real flow (in order, loss,
// duplicate, reorder, straggler), of a spoofer (one packet at +-2^62, 2^63,
// just past a bound, any 64-bit number) or of the environment (wrap at
// 2^64, a genuine jump of the sender's numbering, time jumps, timestamp
// jumps, interval changes, Expire, Finish, restarts). The same stream goes
// to a SequenceTracker and to a ReceiverStats, and after every operation:
//   expected == unique + lost + pending, every counter but pending only
//   grows, every packet handed in is counted once decided, and one packet
//   moves the run by at most the jump bound (bounded work: with the
//   windows used here each call is O(window); -timeout catches the rest).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "inet/ip_address.h"
#include "stats/receiver_stats.h"
#include "stats/sequence_tracker.h"

namespace {

using mcast::stats::ReceivedPacket;
using mcast::stats::ReceiverStats;
using mcast::stats::SequenceCounters;
using mcast::stats::SequenceTracker;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint64_t Bytes(int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | Byte();
    return v;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

constexpr uint64_t k2p62 = uint64_t{1} << 62;
constexpr uint64_t k2p63 = uint64_t{1} << 63;
constexpr uint64_t kFloor = SequenceTracker::kJumpFloor;
constexpr uint64_t kDup = SequenceTracker::kDuplicateWindow;
// Offsets an attacker (or a broken sender) would pick: the overflow
// boundaries and both sides of every bound.
constexpr std::array<uint64_t, 16> kJumps = {k2p62,
                                             k2p63,
                                             k2p63 - 1,
                                             k2p63 + 1,
                                             0 - k2p62,
                                             ~uint64_t{0},
                                             kFloor,
                                             kFloor + 1,
                                             0 - kDup,
                                             0 - kDup + 1,
                                             uint64_t{1} << 40,
                                             (uint64_t{1} << 40) + 1,
                                             kDup,
                                             0 - kFloor,
                                             1u << 20,
                                             0 - (uint64_t{1} << 33)};

bool Monotone(const SequenceCounters& a, const SequenceCounters& b) {
  return b.received >= a.received && b.unique >= a.unique &&
         b.duplicates >= a.duplicates && b.reordered >= a.reordered &&
         b.late >= a.late && b.stale >= a.stale && b.lost >= a.lost &&
         b.discontinuities >= a.discontinuities &&
         b.ignored_jumps >= a.ignored_jumps &&
         b.max_reorder_extent >= a.max_reorder_extent;
}

class Harness {
 public:
  Harness(const SequenceTracker::Options& o, size_t max_senders)
      : options_(o), tracker_(o), stats_(MakeOptions(o, max_senders)) {
    sources_[0] = *mcast::inet::IpAddress::Parse("10.0.0.1");
    sources_[1] = *mcast::inet::IpAddress::Parse("10.0.0.2");
  }

  // One packet with number seq from the current sender, to both engines.
  void Send(uint64_t seq, bool real_sender = true) {
    const SequenceCounters before = tracker_.counters();
    const uint64_t expected_before = tracker_.expected();
    const uint64_t bound = tracker_.JumpBound(now_);
    tracker_.OnPacket(seq, now_, interval_us_);
    ++fed_;
    const SequenceCounters& c = tracker_.counters();
    CheckTracker(before, expected_before);
    // One packet cannot move the run farther than the bound, plus the held
    // packets it may release or confirm (within 2 windows); its loss is
    // that plus the numbers pending before (within a window of the highest).
    const uint64_t slack = 4 * options_.max_reorder_packets + 8;
    Check(tracker_.expected() - expected_before <= bound + slack);
    Check(c.lost - before.lost <= bound + slack);

    ReceivedPacket p;
    p.source = sources_[source_];
    p.header.sender_id = ids_[source_];
    p.header.sequence = seq;
    p.header.timestamp_ns = timestamp_;
    p.header.interval_us = interval_us_;
    p.header.ttl = ttl_;
    p.header.dscp = static_cast<uint8_t>(ttl_ & 63);
    p.header.flags = flags_;
    p.size = 32 + ttl_;
    p.ttl = real_sender ? 60 : ttl_;
    p.tos = ttl_;
    p.mono_ns = now_;
    p.real_ns = now_ + 1'700'000'000'000'000'000;
    stats_.OnPacket(p);
    ++fed_stats_;
  }

  void Advance(uint64_t ns) {
    // The receiver's monotonic clock: only forward, never past 2^62.
    now_ = static_cast<int64_t>(
        std::min<uint64_t>(static_cast<uint64_t>(now_) + ns, k2p62));
    timestamp_ += ns;
  }

  void CheckTracker(const SequenceCounters& before, uint64_t expected_before) {
    const SequenceCounters& c = tracker_.counters();
    Check(tracker_.expected() == c.unique + c.lost + c.pending);
    Check(Monotone(before, c));
    Check(tracker_.expected() >= expected_before);
    Check(c.received + tracker_.held() == fed_);
    Check(c.received == c.unique + c.duplicates + c.late + c.stale);
    Check(c.reordered <= c.unique && c.ignored_jumps <= c.stale);
    Check(tracker_.held() <=
          SequenceTracker::kSuspectSlots * SequenceTracker::kConfirmPackets);
  }

  void CheckStats() {
    const mcast::stats::ReceiverSnapshot s = stats_.Snapshot(now_);
    const SequenceCounters& t = s.totals;
    Check(Monotone(last_totals_, t));
    Check(s.total_bytes >= last_bytes_);
    Check(t.received <= fed_stats_);
    Check(t.received == t.unique + t.duplicates + t.late + t.stale);
    Check(t.reordered <= t.unique && t.ignored_jumps <= t.stale);
    Check(s.senders.size() <= 2);
    for (const auto& v : s.senders) {
      Check(v.sequence.reordered <= v.sequence.unique);
      Check(v.jitter_seconds >= 0 && v.jitter_seconds == v.jitter_seconds);
    }
    last_totals_ = t;
    last_bytes_ = s.total_bytes;
  }

  void Run(Reader& in) {
    int ops = 0;
    while (!in.empty()) {
      const uint8_t op = in.Byte();
      const uint8_t arg = in.Byte();
      switch (op % 20) {
        case 0:
        case 1:
        case 2:  // In order, the common case.
          Send(next_++);
          Advance(step_);
          break;
        case 3:  // Loss of a burst.
          next_ += 1 + arg % 64;
          break;
        case 4:  // Duplicate of a recent number.
          Send(next_ - 1 - arg % 32);
          break;
        case 5:  // Reorder: the next two swapped, or one delayed by arg.
          Send(next_ + 1 + arg % 8);
          Send(next_);
          next_ += 2 + arg % 8;
          break;
        case 6:  // A straggler from far back.
          Send(next_ - 1 - in.Bytes(2));
          break;
        case 7:  // A forged packet: one huge jump, the flow goes on.
          Send(next_ + kJumps[arg % kJumps.size()] + in.Byte(), false);
          break;
        case 8:  // A forged packet with any 64-bit number.
          Send(in.Bytes(8), false);
          break;
        case 9:  // The sender's numbering really jumps (confirmable).
          next_ += kJumps[arg % kJumps.size()];
          break;
        case 10:  // Wrap past 2^64.
          next_ = ~uint64_t{0} - arg % 16;
          break;
        case 11:  // Time jump of the receiver's clock.
          Advance(uint64_t{in.Byte()} << (arg % 48));
          break;
        case 12:  // Timestamp jump (sender clock, packet-supplied).
          timestamp_ += (arg & 1) ? k2p63 : in.Bytes(8);
          break;
        case 13:  // Interval change, 0 = unknown.
          interval_us_ = static_cast<uint32_t>(in.Bytes(arg % 5));
          step_ = std::max<uint64_t>(1, uint64_t{interval_us_} * 1000);
          break;
        case 14:
          tracker_.Expire(now_);
          stats_.Tick(now_);
          break;
        case 15:
          if (arg % 4 == 0) {
            tracker_.Finish();
            stats_.Finish();
          }
          break;
        case 16:  // Sender restart: new id, numbering from arg.
          ids_[source_] += 1 + arg % 3;
          if (ids_[source_] == 0) ids_[source_] = 1;
          next_ = arg;
          break;
        case 17:  // The other address (its own run in ReceiverStats).
          source_ ^= 1;
          break;
        case 18:  // Path properties and flags of what follows.
          ttl_ = arg;
          flags_ = in.Byte() & 3;
          break;
        case 19:  // A burst in order, as a batch: same receive time.
          for (int i = 0; i < 1 + arg % 16; ++i) Send(next_++);
          Advance(step_);
          break;
      }
      // A tracker check that also runs when no packet was sent (Expire,
      // Finish change lost and pending, never expected).
      CheckTracker(last_tracker_, last_expected_);
      last_tracker_ = tracker_.counters();
      last_expected_ = tracker_.expected();
      if (++ops % 8 == 0) CheckStats();
    }
    tracker_.Finish();
    stats_.Finish();
    CheckTracker(last_tracker_, last_expected_);
    Check(tracker_.held() == 0 && tracker_.counters().pending == 0);
    Check(tracker_.counters().received == fed_);
    CheckStats();
    Check(last_totals_.received == fed_stats_ && last_totals_.pending == 0);
  }

 private:
  static mcast::stats::ReceiverStatsOptions MakeOptions(
      const SequenceTracker::Options& o, size_t max_senders) {
    mcast::stats::ReceiverStatsOptions r;
    r.sequence = o;
    r.max_senders = max_senders;
    r.stall_timeout_ns = o.max_reorder_age_ns;
    return r;
  }

  SequenceTracker::Options options_;
  SequenceTracker tracker_;
  ReceiverStats stats_;
  std::array<mcast::inet::IpAddress, 2> sources_;
  std::array<uint32_t, 2> ids_ = {1, 1};
  int source_ = 0;
  uint64_t next_ = 0;
  int64_t now_ = 1'000'000'000'000;
  uint64_t timestamp_ = 0;
  uint64_t step_ = 1'000'000;
  uint32_t interval_us_ = 1000;
  uint8_t ttl_ = 64;
  uint8_t flags_ = 0;
  uint64_t fed_ = 0;
  uint64_t fed_stats_ = 0;
  SequenceCounters last_tracker_;
  uint64_t last_expected_ = 0;
  SequenceCounters last_totals_;
  uint64_t last_bytes_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader in(data, size);
  constexpr std::array<uint64_t, 6> kWindows = {1, 2, 3, 8, 64, 1024};
  SequenceTracker::Options o;
  const uint8_t config = in.Byte();
  o.max_reorder_packets = kWindows[config % kWindows.size()];
  o.max_reorder_age_ns = (1 + (config >> 4)) * 100'000'000;
  Harness h(o, 1 + in.Byte() % 3);
  h.Run(in);
  return 0;
}
