#include "stats/sequence_tracker.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <limits>

namespace mcast::stats {
namespace {

constexpr uint64_t kWindowMask = SequenceTracker::kDuplicateWindow - 1;

constexpr uint64_t kHalfSpace = uint64_t{1} << 63;

uint64_t Slot(int64_t pos) { return static_cast<uint64_t>(pos) & kWindowMask; }

// now - since, 0 when the clock went back; never overflows.
uint64_t ElapsedNs(int64_t now, int64_t since) {
  return now > since ? static_cast<uint64_t>(now) - static_cast<uint64_t>(since)
                     : 0;
}

}  // namespace

int ReorderExtentBucket(uint64_t extent) {
  if (extent <= 1) return 0;
  int b = std::bit_width(extent - 1);
  return std::min(b, kReorderExtentBuckets - 1);
}

uint64_t ReorderExtentBucketLimit(int bucket) {
  if (bucket >= kReorderExtentBuckets - 1) return 0;
  return uint64_t{1} << bucket;
}

void SequenceCounters::Add(const SequenceCounters& o) {
  received += o.received;
  unique += o.unique;
  duplicates += o.duplicates;
  reordered += o.reordered;
  late += o.late;
  stale += o.stale;
  lost += o.lost;
  pending += o.pending;
  discontinuities += o.discontinuities;
  ignored_jumps += o.ignored_jumps;
  max_reorder_extent = std::max(max_reorder_extent, o.max_reorder_extent);
  for (int i = 0; i < kReorderExtentBuckets; ++i) {
    reorder_extents[i] += o.reorder_extents[i];
  }
}

uint64_t SequenceTracker::ClampReorder(uint64_t max_reorder_packets) {
  return std::clamp<uint64_t>(max_reorder_packets, 1, kDuplicateWindow / 2 - 1);
}

size_t SequenceTracker::ArrivalSlots(uint64_t window) {
  return std::bit_ceil(window + 2);
}

// Gaps are separated by at least one seen number and all lie within
// max_reorder_packets of the highest, plus one pre-first gap.
size_t SequenceTracker::GapSlots(uint64_t window) { return window / 2 + 3; }

size_t SequenceTracker::HeapBytes(const Options& options) {
  const uint64_t window = ClampReorder(options.max_reorder_packets);
  return kDuplicateWindow / 64 * sizeof(uint64_t) +
         ArrivalSlots(window) * sizeof(uint32_t) +
         GapSlots(window) * sizeof(Gap);
}

SequenceTracker::SequenceTracker(const Options& options) : options_(options) {
  options_.max_reorder_age_ns =
      std::max<int64_t>(options_.max_reorder_age_ns, 0);
  options_.max_reorder_packets = ClampReorder(options_.max_reorder_packets);
  seen_.assign(kDuplicateWindow / 64, 0);
  arrival_.assign(ArrivalSlots(options_.max_reorder_packets), 0);
  arrival_mask_ = arrival_.size() - 1;
  gaps_.resize(GapSlots(options_.max_reorder_packets));
}

bool SequenceTracker::Seen(int64_t pos) const {
  uint64_t s = Slot(pos);
  return (seen_[s >> 6] >> (s & 63)) & 1;
}

void SequenceTracker::MarkSeen(int64_t pos) {
  uint64_t s = Slot(pos);
  seen_[s >> 6] |= uint64_t{1} << (s & 63);
}

// Forgets the numbers that slide out of the windows as the highest moves
// from highest_ to pos (> highest_).
void SequenceTracker::AdvanceTo(int64_t pos) {
  uint64_t distance = static_cast<uint64_t>(pos - highest_);
  if (distance >= kDuplicateWindow) {
    std::fill(seen_.begin(), seen_.end(), 0);
  } else {
    for (int64_t p = highest_ + 1; p <= pos; ++p) {
      uint64_t s = Slot(p);
      if ((s & 63) == 0 && pos - p >= 63) {
        seen_[s >> 6] = 0;  // Whole word at once.
        p += 63;
      } else {
        seen_[s >> 6] &= ~(uint64_t{1} << (s & 63));
      }
    }
  }
  if (distance > arrival_mask_) {
    std::fill(arrival_.begin(), arrival_.end(), 0);
  } else {
    for (int64_t p = highest_ + 1; p <= pos; ++p) {
      arrival_[static_cast<uint64_t>(p) & arrival_mask_] = 0;
    }
  }
  highest_ = pos;
}

uint64_t SequenceTracker::UnseenIn(int64_t start, int64_t end) const {
  uint64_t n = 0;
  for (int64_t p = start; p <= end; ++p) n += !Seen(p);
  return n;
}

void SequenceTracker::DeclareLost(uint64_t count) {
  segment_lost_ = segment_lost_ || count > 0;
  counters_.lost += count;
  counters_.pending -= count;
}

// Declares lost every pending number below pos.
void SequenceTracker::ExpireBelow(int64_t pos) {
  while (!GapsEmpty() && GapStart(GapFront()) < pos) {
    Gap& g = GapFront();
    int64_t end = std::min(GapEnd(g), pos - 1);
    DeclareLost(UnseenIn(GapStart(g), end));
    if (end == GapEnd(g)) {
      PopGapFront();
    } else {
      g.start_lo = static_cast<uint32_t>(pos);
    }
  }
}

void SequenceTracker::PushGapBack(const Gap& gap) {
  assert(gap_count_ < gaps_.size());
  gaps_[(gap_head_ + gap_count_) % gaps_.size()] = gap;
  ++gap_count_;
}

void SequenceTracker::PushGapFront(const Gap& gap) {
  assert(gap_count_ < gaps_.size());
  gap_head_ = (gap_head_ + gaps_.size() - 1) % gaps_.size();
  gaps_[gap_head_] = gap;
  ++gap_count_;
}

void SequenceTracker::PopGapFront() {
  gap_head_ = (gap_head_ + 1) % gaps_.size();
  --gap_count_;
}

void SequenceTracker::RecordReorder(int64_t pos) {
  // Earliest arrival among the numbers above pos; all of them lie within
  // the arrival ring because pos is within max_reorder_packets of highest.
  // Ages count back from the latest arrival: the earliest is the oldest.
  uint32_t earliest = 0;
  for (int64_t p = pos + 1; p <= highest_; ++p) {
    uint32_t a = arrival_[static_cast<uint64_t>(p) & arrival_mask_];
    if (a != 0 && (earliest == 0 || ArrivalAge(a) > ArrivalAge(earliest))) {
      earliest = a;
    }
  }
  uint32_t index = arrival_[static_cast<uint64_t>(pos) & arrival_mask_];
  uint64_t extent = earliest != 0 && ArrivalAge(index) < ArrivalAge(earliest)
                        ? ArrivalAge(earliest) - ArrivalAge(index)
                        : 1;
  ++counters_.reordered;
  counters_.max_reorder_extent = std::max(counters_.max_reorder_extent, extent);
  ++counters_.reorder_extents[ReorderExtentBucket(extent)];
}

// The classification of a packet that is not a jump (see IsJump), so that
// its position is within kJumpCap ahead of or kDuplicateWindow behind the
// highest, and no position arithmetic below can overflow: positions start
// at 0 in each segment and move by at most kJumpCap per packet.
Arrival SequenceTracker::Classify(uint64_t seq, int64_t now_ns) {
  ++counters_.received;
  if (!started_) {
    started_ = true;
    origin_ = seq;
    MarkSeen(0);
    arrival_[0] = ArrivalEntry();
    ++counters_.unique;
    return Arrival::kInOrder;
  }
  // Modular distance from the highest, so the run may wrap past 2^64.
  const uint64_t ahead = seq - highest_seq();
  const int64_t pos =
      ahead < kHalfSpace ? highest_ + static_cast<int64_t>(ahead)
                         : highest_ - static_cast<int64_t>(highest_seq() - seq);
  const int64_t window = static_cast<int64_t>(options_.max_reorder_packets);

  if (pos > highest_) {
    // Numbers more than the window behind the new highest are decided now.
    const int64_t threshold = pos - window;
    ExpireBelow(threshold);
    if (pos > highest_ + 1) {
      int64_t start = highest_ + 1;
      int64_t end = pos - 1;
      uint64_t missing = static_cast<uint64_t>(end - start) + 1;
      counters_.pending += missing;
      if (start < threshold) {
        int64_t lost_end = std::min(end, threshold - 1);
        DeclareLost(static_cast<uint64_t>(lost_end - start) + 1);
        start = lost_end + 1;
      }
      if (start <= end) PushGapBack(MakeGap(start, end, now_ns));
    }
    AdvanceTo(pos);
    MarkSeen(pos);
    arrival_[static_cast<uint64_t>(pos) & arrival_mask_] = ArrivalEntry();
    ++counters_.unique;
    Expire(now_ns);
    return Arrival::kInOrder;
  }

  Arrival result;
  if (pos < first_) {
    // Older than the first packet seen: the run started with a reorder.
    // Only while nothing was declared lost in this segment, so that every
    // unseen number
    // at or above the first gap is still pending.
    if (!segment_lost_ && highest_ - pos <= window) {
      if (pos + 1 <= first_ - 1) {
        counters_.pending += static_cast<uint64_t>(first_ - 1 - pos);
        PushGapFront(MakeGap(pos + 1, first_ - 1, now_ns));
      }
      first_ = pos;
      MarkSeen(pos);
      arrival_[static_cast<uint64_t>(pos) & arrival_mask_] = ArrivalEntry();
      ++counters_.unique;
      RecordReorder(pos);
      result = Arrival::kReordered;
    } else {
      ++counters_.stale;
      result = Arrival::kStale;
    }
  } else if (highest_ - pos >= static_cast<int64_t>(kDuplicateWindow)) {
    ++counters_.stale;
    result = Arrival::kStale;
  } else if (Seen(pos)) {
    ++counters_.duplicates;
    result = Arrival::kDuplicate;
  } else if (!GapsEmpty() && pos >= GapStart(GapFront())) {
    // Every unseen number at or above the first gap is pending.
    MarkSeen(pos);
    --counters_.pending;
    arrival_[static_cast<uint64_t>(pos) & arrival_mask_] = ArrivalEntry();
    ++counters_.unique;
    RecordReorder(pos);
    result = Arrival::kReordered;
  } else {
    MarkSeen(pos);  // A second copy is then a duplicate.
    ++counters_.late;
    result = Arrival::kLate;
  }
  Expire(now_ns);
  return result;
}

uint64_t SequenceTracker::JumpBound(int64_t now_ns) const {
  if (interval_us_ == 0) return kJumpFloor;
  const uint64_t elapsed = ElapsedNs(now_ns, last_packet_ns_);
  const uint64_t packets = elapsed / (uint64_t{interval_us_} * 1000);
  const uint64_t by_time =
      packets >= kJumpCap / kJumpFactor ? kJumpCap : packets * kJumpFactor;
  return std::max(kJumpFloor, by_time);
}

bool SequenceTracker::IsJump(uint64_t seq, int64_t now_ns) const {
  const uint64_t ahead = seq - highest_seq();
  if (ahead < kHalfSpace) return ahead > JumpBound(now_ns);
  return highest_seq() - seq >= kDuplicateWindow;
}

size_t SequenceTracker::held() const {
  size_t n = 0;
  for (const Suspect& s : suspects_) n += static_cast<size_t>(s.count);
  return n;
}

Arrival SequenceTracker::OnPacket(uint64_t seq, int64_t now_ns,
                                  uint32_t interval_us) {
  if (started_ && IsJump(seq, now_ns)) return Hold(seq, now_ns);
  Arrival result = Classify(seq, now_ns);
  if (result != Arrival::kStale) {
    last_packet_ns_ = std::max(last_packet_ns_, now_ns);
    interval_us_ = interval_us;
  }
  ReleaseSuspects();
  return result;
}

Arrival SequenceTracker::Hold(uint64_t seq, int64_t now_ns) {
  for (Suspect& s : suspects_) {
    if (s.count == 0) continue;
    const uint64_t d = seq - s.held[0].seq;
    const uint64_t distance = d < kHalfSpace ? d : uint64_t{0} - d;
    if (distance > options_.max_reorder_packets) continue;
    for (int i = 0; i < s.count; ++i) {
      if (s.held[i].seq == seq) {
        // A copy confirms nothing (a spoofer can repeat one packet).
        ++counters_.received;
        ++counters_.stale;
        ++counters_.ignored_jumps;
        return Arrival::kStale;
      }
    }
    s.held[s.count++] = {seq, now_ns};
    if (s.count == kConfirmPackets) return Confirm(s);
    return Arrival::kHeld;
  }
  // A new suspect: a free slot, else the one with fewer packets (the older
  // one on a tie) gives way.
  Suspect* slot = &suspects_[0];
  for (Suspect& s : suspects_) {
    if (s.count < slot->count || (s.count == slot->count && s.count > 0 &&
                                  s.held[0].now_ns < slot->held[0].now_ns)) {
      slot = &s;
    }
  }
  DropSuspect(*slot);
  slot->held[0] = {seq, now_ns};
  slot->count = 1;
  return Arrival::kHeld;
}

void SequenceTracker::DropSuspect(Suspect& s) {
  counters_.received += static_cast<uint64_t>(s.count);
  counters_.stale += static_cast<uint64_t>(s.count);
  counters_.ignored_jumps += static_cast<uint64_t>(s.count);
  s.count = 0;
}

Arrival SequenceTracker::Confirm(Suspect& s) {
  std::array<Held, kConfirmPackets> held = s.held;
  s.count = 0;
  // Still a jump from where the run is now (it may have moved meanwhile)?
  if (IsJump(held[0].seq, held[0].now_ns)) {
    EndSegment();
    ++counters_.discontinuities;
  }
  Arrival result = Arrival::kHeld;
  for (const Held& h : held) {
    // Within max_reorder_packets of held[0], which starts the segment or is
    // within the bound: none of these is a jump any more.
    result = Classify(h.seq, h.now_ns);
    last_packet_ns_ = std::max(last_packet_ns_, h.now_ns);
  }
  ReleaseSuspects();
  return result;
}

// A suspect that the run has caught up with (its first number is now at
// most max_reorder_packets ahead of the highest) was an early packet, not a
// jump: classify its packets now.
void SequenceTracker::ReleaseSuspects() {
  for (Suspect& s : suspects_) {
    if (s.count == 0) continue;
    const uint64_t ahead = s.held[0].seq - highest_seq();
    if (ahead > options_.max_reorder_packets) continue;
    std::array<Held, kConfirmPackets> held = s.held;
    const int count = s.count;
    s.count = 0;
    for (int i = 0; i < count; ++i) {
      // Within 2 * max_reorder_packets < kJumpFloor of the highest.
      Classify(held[i].seq, held[i].now_ns);
    }
  }
}

// A confirmed discontinuity: the segment ends as a run does (pending
// numbers become lost) and the next packet starts a fresh one.
void SequenceTracker::EndSegment() {
  while (!GapsEmpty()) {
    const Gap& g = GapFront();
    DeclareLost(UnseenIn(GapStart(g), GapEnd(g)));
    PopGapFront();
  }
  expected_before_ = expected();
  started_ = false;
  segment_lost_ = false;
  first_ = highest_ = 0;
  std::fill(seen_.begin(), seen_.end(), 0);
  std::fill(arrival_.begin(), arrival_.end(), 0);
  gap_head_ = 0;
}

void SequenceTracker::Expire(int64_t now_ns) {
  const uint64_t age = static_cast<uint64_t>(options_.max_reorder_age_ns);
  for (Suspect& s : suspects_) {
    if (s.count > 0 && ElapsedNs(now_ns, s.held[0].now_ns) >= age) {
      DropSuspect(s);
    }
  }
  while (!GapsEmpty() && ElapsedNs(now_ns, GapFront().since_ns) >= age) {
    const Gap& g = GapFront();
    DeclareLost(UnseenIn(GapStart(g), GapEnd(g)));
    PopGapFront();
  }
}

int64_t SequenceTracker::NextExpiryNs() const {
  const int64_t age = options_.max_reorder_age_ns;
  if (age < 0) return std::numeric_limits<int64_t>::max();  // Never ages.
  auto plus_age = [age](int64_t since) {
    return since > std::numeric_limits<int64_t>::max() - age
               ? std::numeric_limits<int64_t>::max()
               : since + age;
  };
  int64_t due = std::numeric_limits<int64_t>::max();
  for (const Suspect& s : suspects_) {
    // Every held packet's time: confirming the suspect makes gaps that
    // date from them, and a socket read late hands them in out of order.
    for (int i = 0; i < s.count; ++i) {
      due = std::min(due, plus_age(s.held[i].now_ns));
    }
  }
  // Every gap, not only the front one Expire looks at: a packet that
  // fills the front makes the next one the front, and gaps are not in
  // order of age (a reordered run's gap goes in front).
  for (size_t i = 0; i < gap_count_; ++i) {
    due =
        std::min(due, plus_age(gaps_[(gap_head_ + i) % gaps_.size()].since_ns));
  }
  return due;
}

void SequenceTracker::Finish() {
  for (Suspect& s : suspects_) DropSuspect(s);
  while (!GapsEmpty()) {
    const Gap& g = GapFront();
    DeclareLost(UnseenIn(GapStart(g), GapEnd(g)));
    PopGapFront();
  }
}

void SequenceTracker::Reset() {
  counters_ = SequenceCounters{};
  started_ = false;
  origin_ = 0;
  first_ = 0;
  highest_ = 0;
  arrivals_ = 0;
  expected_before_ = 0;
  segment_lost_ = false;
  last_packet_ns_ = 0;
  interval_us_ = 0;
  suspects_ = {};
  std::fill(seen_.begin(), seen_.end(), 0);
  std::fill(arrival_.begin(), arrival_.end(), 0);
  gap_head_ = 0;
  gap_count_ = 0;
}

}  // namespace mcast::stats
