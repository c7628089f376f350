#ifndef MCAST_STATS_SEQUENCE_TRACKER_H_
#define MCAST_STATS_SEQUENCE_TRACKER_H_

// Classifies every packet of one sender run (one sender id) from its
// sequence number, and keeps exact loss, duplicate, reorder and late counts.
//
// Definitions (RFC 4737 / RFC 5560 / RFC 7680):
// - unique: the first copy of a sequence number. duplicate: a number already
//   seen; it never changes loss or reorder.
// - reordered (RFC 4737 §3.3): NextExp = highest seen + 1; a unique packet
//   with seq < NextExp is reordered. Its extent (§4.2) is its arrival index
//   minus the earliest arrival index of a packet with a higher number.
// - A missing number is *pending* until it leaves the reorder window (older
//   than max_reorder_age, or more than max_reorder_packets behind the
//   highest seen); then it is *lost*. A pending number that arrives is
//   reordered, not lost. One that arrives after it was declared lost is
//   *late*: it stays lost and is not unique (RFC 7680 Tmax).
// - A number too old to tell duplicate from late (older than the duplicate
//   window) is *stale*: counted, otherwise ignored.
//
// - A *jump* is a number farther from the highest seen than one packet may
//   move the run (issue 10: anyone can forge a sender's address and id):
//   forward by more than the jump bound, or back by at least the duplicate
//   window. The jump bound is the larger of kJumpFloor (well above the
//   reorder and duplicate windows) and kJumpFactor times the packets the
//   sender can have sent since the run's last packet, by its interval
//   (receiver clock, interval_us of the run's last accepted packet; 0 =
//   unknown: the floor alone), capped at kJumpCap. A jump is not applied: it
//   is *held* as a suspected new origin, and packets that continue the run
//   meanwhile are classified as usual. When kConfirmPackets distinct held
//   numbers lie within max_reorder_packets of each other, the jump is
//   confirmed: a *discontinuity*. The segment so far ends (its pending
//   numbers become lost, as at the end of a run) and a new segment starts
//   at the held numbers, which are then classified in arrival order.
//   A suspect that is not confirmed within max_reorder_age, or by Finish,
//   is counted as stale and ignored_jumps. So one forged packet, however far
//   it jumps, changes no counter of the real run but stale; up to
//   kSuspectSlots suspects are held at once (the one with fewer packets
//   gives way), so a lone forged packet cannot block a real confirmation.
//   A held packet is counted in `received` when it is decided.
//
// Invariant at every moment: expected == unique + lost + pending, where
// expected sums highest - first + 1 over the segments of the run. Sequence
// numbers are 64-bit and compared by modular distance, so a run may wrap
// past 2^64; no arithmetic on a packet's number can overflow.
//
// Memory is fixed at construction; OnPacket never allocates. The held
// packets live in the object (a few dozen bytes). For a reorder
// window of R packets (after clamping to 1..kDuplicateWindow / 2 - 1) the
// heap part, HeapBytes(), is
//   kDuplicateWindow / 8              seen bitmap (8 KiB)
//   + 4 * bit_ceil(R + 2)             arrival ring, 32-bit indices
//   + 16 * (R / 2 + 3)                gap ring: gaps are disjoint, apart by
//                                     a seen number, within R of the highest
// e.g. 24 624 bytes at R = 1024, 532 512 at R = 32767.

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mcast::stats {

// Reorder extent buckets: 1, 2, 3-4, 5-8, ..., 257-512, 513+.
inline constexpr int kReorderExtentBuckets = 11;
int ReorderExtentBucket(uint64_t extent);
// Upper bound of a bucket (0 for the open last bucket).
uint64_t ReorderExtentBucketLimit(int bucket);

struct SequenceCounters {
  uint64_t received = 0;  // Every packet handed in, whatever its class.
  uint64_t unique = 0;
  uint64_t duplicates = 0;
  uint64_t reordered = 0;  // A subset of unique.
  uint64_t late = 0;
  uint64_t stale = 0;
  uint64_t lost = 0;
  uint64_t pending = 0;
  uint64_t max_reorder_extent = 0;
  // Confirmed jumps (see above): the run's numbering started anew.
  uint64_t discontinuities = 0;
  // Held jump packets never confirmed; a subset of stale.
  uint64_t ignored_jumps = 0;
  std::array<uint64_t, kReorderExtentBuckets> reorder_extents{};

  // Adds `other` (max for the maximum), e.g. to total several runs.
  void Add(const SequenceCounters& other);
  friend bool operator==(const SequenceCounters&,
                         const SequenceCounters&) = default;
};

// kHeld: a jump, held until it is confirmed or counted stale; nothing about
// the packet (path, timing) should be trusted yet.
enum class Arrival { kInOrder, kReordered, kDuplicate, kLate, kStale, kHeld };

class SequenceTracker {
 public:
  static constexpr uint64_t kDuplicateWindow = 65536;
  static constexpr uint64_t kJumpFloor = 2 * kDuplicateWindow;
  static constexpr uint64_t kJumpFactor = 4;
  static constexpr uint64_t kJumpCap = uint64_t{1} << 40;
  static constexpr int kConfirmPackets = 3;
  static constexpr int kSuspectSlots = 2;

  struct Options {
    int64_t max_reorder_age_ns = 3'000'000'000;
    // Must be at least 1 and below kDuplicateWindow / 2.
    uint64_t max_reorder_packets = 1024;
  };

  explicit SequenceTracker(const Options& options);

  // Heap bytes a tracker with these options allocates (see above).
  static size_t HeapBytes(const Options& options);

  // interval_us: the sender's target interval from the header, 0 unknown.
  Arrival OnPacket(uint64_t seq, int64_t now_ns, uint32_t interval_us = 0);

  // Declares lost the pending numbers that have been missing for longer
  // than max_reorder_age. Call it periodically even without traffic.
  void Expire(int64_t now_ns);
  // No Expire before this changes anything: the oldest held suspect's or
  // pending gap's age reached (a lower bound: Expire waits for the front
  // gap); INT64_MAX while nothing is pending or held. Only a packet brings
  // it forward.
  int64_t NextExpiryNs() const;

  // End of the run: every pending number becomes lost, every held packet
  // stale.
  void Finish();

  // Back to the state of a new tracker with the same options, reusing the
  // buffers (no allocation): a stream's new run (RTP SSRC, MoldUDP64
  // session) restarts its numbering.
  void Reset();

  // How far forward one packet arriving at now_ns may move the run.
  uint64_t JumpBound(int64_t now_ns) const;
  // Packets held as a suspected jump, not yet in the counters.
  size_t held() const;

  const SequenceCounters& counters() const { return counters_; }
  bool started() const { return started_; }
  uint64_t first_seq() const { return origin_ + static_cast<uint64_t>(first_); }
  uint64_t highest_seq() const {
    return origin_ + static_cast<uint64_t>(highest_);
  }
  // highest - first + 1, the numbers the sender has sent so far as far as
  // this receiver can tell.
  uint64_t expected() const {
    return expected_before_ +
           (started_ ? static_cast<uint64_t>(highest_ - first_) + 1 : 0);
  }

 private:
  // A run of missing numbers [start, end] noticed at `since_ns`. The queue
  // is sorted by number and by time; it only grows at the back (new gaps)
  // and, before anything was declared lost, at the front (packets older
  // than the first one seen).
  // Positions are stored as their low 32 bits (16 bytes a gap instead of
  // 24): every gap lies within kDuplicateWindow of highest_ whenever it is
  // read, so Unwrap() recovers the full position.
  struct Gap {
    uint32_t start_lo;
    uint32_t end_lo;
    int64_t since_ns;
  };
  static Gap MakeGap(int64_t start, int64_t end, int64_t since_ns) {
    return {static_cast<uint32_t>(start), static_cast<uint32_t>(end), since_ns};
  }
  int64_t Unwrap(uint32_t lo) const {
    return highest_ +
           static_cast<int32_t>(lo - static_cast<uint32_t>(highest_));
  }
  int64_t GapStart(const Gap& g) const { return Unwrap(g.start_lo); }
  int64_t GapEnd(const Gap& g) const { return Unwrap(g.end_lo); }
  static uint64_t ClampReorder(uint64_t max_reorder_packets);
  static size_t ArrivalSlots(uint64_t window);
  static size_t GapSlots(uint64_t window);
  // Arrival ring entries: kArrivalPresent | (index mod 2^31), 0 = none. The
  // unique arrivals since any entry was written are fewer than the ring's
  // size, so 31 bits tell every order apart.
  static constexpr uint32_t kArrivalPresent = 0x80000000u;
  static constexpr uint32_t kArrivalMask = 0x7fffffffu;
  uint32_t ArrivalEntry() {
    return kArrivalPresent |
           (static_cast<uint32_t>(++arrivals_) & kArrivalMask);
  }
  // Unique arrivals since the entry was written.
  uint32_t ArrivalAge(uint32_t entry) const {
    return (static_cast<uint32_t>(arrivals_) - entry) & kArrivalMask;
  }

  struct Held {
    uint64_t seq;
    int64_t now_ns;
  };
  struct Suspect {
    int count = 0;
    std::array<Held, kConfirmPackets> held;
  };

  bool IsJump(uint64_t seq, int64_t now_ns) const;
  Arrival Classify(uint64_t seq, int64_t now_ns);
  Arrival Hold(uint64_t seq, int64_t now_ns);
  Arrival Confirm(Suspect& suspect);
  void DropSuspect(Suspect& suspect);
  void ReleaseSuspects();
  void EndSegment();
  bool Seen(int64_t pos) const;
  void MarkSeen(int64_t pos);
  void AdvanceTo(int64_t pos);
  uint64_t UnseenIn(int64_t start, int64_t end) const;
  void DeclareLost(uint64_t count);
  void ExpireBelow(int64_t pos);
  void RecordReorder(int64_t pos);

  // Gap queue as a fixed ring; gaps are disjoint and lie within
  // max_reorder_packets of the highest, so their number is bounded.
  bool GapsEmpty() const { return gap_count_ == 0; }
  Gap& GapFront() { return gaps_[gap_head_]; }
  void PushGapBack(const Gap& gap);
  void PushGapFront(const Gap& gap);
  void PopGapFront();

  Options options_;
  SequenceCounters counters_;
  bool started_ = false;
  uint64_t origin_ = 0;  // Sequence number at position 0.
  int64_t first_ = 0;    // Positions are relative to origin_.
  int64_t highest_ = 0;
  uint64_t arrivals_ = 0;         // Unique arrivals so far: the RFC 4737 index.
  uint64_t expected_before_ = 0;  // Of the segments before this one.
  bool segment_lost_ = false;     // Something was declared lost in it.
  int64_t last_packet_ns_ = 0;    // Last packet that was not held.
  uint32_t interval_us_ = 0;      // Its header's interval.
  std::array<Suspect, kSuspectSlots> suspects_;

  std::vector<uint64_t> seen_;     // Bitmap over kDuplicateWindow numbers.
  std::vector<uint32_t> arrival_;  // ArrivalEntry() per number, or 0.
  uint64_t arrival_mask_ = 0;
  std::vector<Gap> gaps_;
  size_t gap_head_ = 0;
  size_t gap_count_ = 0;
};

}  // namespace mcast::stats

#endif  // MCAST_STATS_SEQUENCE_TRACKER_H_
