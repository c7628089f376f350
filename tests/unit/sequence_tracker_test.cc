#include "stats/sequence_tracker.h"

#include <gtest/gtest.h>

#include <vector>

namespace mcast::stats {
namespace {

constexpr int64_t kMs = 1'000'000;

SequenceTracker::Options Opts(uint64_t max_packets = 1024,
                              int64_t max_age_ns = 3000 * kMs) {
  SequenceTracker::Options o;
  o.max_reorder_packets = max_packets;
  o.max_reorder_age_ns = max_age_ns;
  return o;
}

void ExpectInvariant(const SequenceTracker& t) {
  const auto& c = t.counters();
  EXPECT_EQ(t.expected(), c.unique + c.lost + c.pending)
      << "unique=" << c.unique << " lost=" << c.lost
      << " pending=" << c.pending;
  EXPECT_EQ(c.received, c.unique + c.duplicates + c.late + c.stale);
}

// Feeds `seqs` 1 ms apart starting at t=0; returns the time after the last.
int64_t Feed(SequenceTracker& t, const std::vector<uint64_t>& seqs,
             int64_t start = 0) {
  int64_t now = start;
  for (uint64_t s : seqs) {
    t.OnPacket(s, now);
    ExpectInvariant(t);
    now += kMs;
  }
  return now;
}

TEST(SequenceTrackerTest, CleanRun) {
  SequenceTracker t(Opts());
  std::vector<uint64_t> seqs;
  for (uint64_t i = 0; i < 1000; ++i) seqs.push_back(i);
  Feed(t, seqs);
  t.Finish();
  const auto& c = t.counters();
  EXPECT_EQ(c.received, 1000u);
  EXPECT_EQ(c.unique, 1000u);
  EXPECT_EQ(c.lost, 0u);
  EXPECT_EQ(c.pending, 0u);
  EXPECT_EQ(c.duplicates, 0u);
  EXPECT_EQ(c.reordered, 0u);
  EXPECT_EQ(c.late, 0u);
  EXPECT_EQ(t.first_seq(), 0u);
  EXPECT_EQ(t.highest_seq(), 999u);
  EXPECT_EQ(t.expected(), 1000u);
}

TEST(SequenceTrackerTest, EveryTenthDroppedIsExactlyTenPercent) {
  SequenceTracker t(Opts());
  std::vector<uint64_t> seqs;
  for (uint64_t i = 0; i < 1000; ++i) {
    if (i % 10 != 5) seqs.push_back(i);
  }
  int64_t now = Feed(t, seqs);
  // Still within the reorder window: the last gaps are pending, not lost.
  EXPECT_GT(t.counters().pending, 0u);
  t.Expire(now + 3000 * kMs);
  ExpectInvariant(t);
  const auto& c = t.counters();
  EXPECT_EQ(t.expected(), 1000u);
  EXPECT_EQ(c.lost, 100u);
  EXPECT_EQ(c.pending, 0u);
  EXPECT_EQ(c.unique, 900u);
  EXPECT_EQ(c.reordered, 0u);
  EXPECT_EQ(c.duplicates, 0u);
}

TEST(SequenceTrackerTest, DuplicatesDoNotHideLoss) {
  // iperf2 subtracts duplicates from loss; here they are independent.
  SequenceTracker t(Opts());
  std::vector<uint64_t> seqs;
  uint64_t dups = 0;
  for (uint64_t i = 0; i < 1000; ++i) {
    if (i % 10 == 5) continue;
    seqs.push_back(i);
    if (i % 7 == 0) {
      seqs.push_back(i);
      ++dups;
    }
  }
  Feed(t, seqs);
  t.Finish();
  const auto& c = t.counters();
  EXPECT_EQ(c.lost, 100u);
  EXPECT_EQ(c.duplicates, dups);
  EXPECT_EQ(c.unique, 900u);
  EXPECT_EQ(c.reordered, 0u);
  EXPECT_EQ(c.received, 900u + dups);
}

TEST(SequenceTrackerTest, SwapsAreReorderedWithExtentOne) {
  SequenceTracker t(Opts());
  Feed(t, {0, 2, 1, 3, 5, 4, 6});
  t.Finish();
  const auto& c = t.counters();
  EXPECT_EQ(c.reordered, 2u);
  EXPECT_EQ(c.lost, 0u);
  EXPECT_EQ(c.unique, 7u);
  EXPECT_EQ(c.max_reorder_extent, 1u);
  EXPECT_EQ(c.reorder_extents[0], 2u);
}

TEST(SequenceTrackerTest, LongReorderExtentFollowsRfc4737) {
  // 3 is held back behind 4..9: it arrives 6 positions after 4.
  SequenceTracker t(Opts());
  Feed(t, {0, 1, 2, 4, 5, 6, 7, 8, 9, 3, 10});
  t.Finish();
  const auto& c = t.counters();
  EXPECT_EQ(c.reordered, 1u);
  EXPECT_EQ(c.max_reorder_extent, 6u);
  EXPECT_EQ(c.reorder_extents[ReorderExtentBucket(6)], 1u);
  EXPECT_EQ(ReorderExtentBucket(6), 3);  // The 5-8 bucket.
  EXPECT_EQ(c.lost, 0u);
}

TEST(SequenceTrackerTest, DuplicateOfReorderedPacketIsOnlyADuplicate) {
  SequenceTracker t(Opts());
  Feed(t, {0, 2, 1, 1, 2, 3});
  t.Finish();
  const auto& c = t.counters();
  EXPECT_EQ(c.reordered, 1u);
  EXPECT_EQ(c.duplicates, 2u);
  EXPECT_EQ(c.lost, 0u);
}

TEST(SequenceTrackerTest, LateArrivalAfterTimeWindowStaysLost) {
  SequenceTracker t(Opts(1024, 100 * kMs));
  t.OnPacket(0, 0);
  t.OnPacket(2, 1 * kMs);  // 1 goes missing at t=1ms.
  EXPECT_EQ(t.counters().pending, 1u);
  t.Expire(100 * kMs);  // 99 ms: still pending.
  EXPECT_EQ(t.counters().pending, 1u);
  t.Expire(101 * kMs);  // 100 ms: lost.
  EXPECT_EQ(t.counters().lost, 1u);
  EXPECT_EQ(t.counters().pending, 0u);
  EXPECT_EQ(t.OnPacket(1, 150 * kMs), Arrival::kLate);
  EXPECT_EQ(t.OnPacket(1, 151 * kMs), Arrival::kDuplicate);
  const auto& c = t.counters();
  EXPECT_EQ(c.lost, 1u);
  EXPECT_EQ(c.late, 1u);
  EXPECT_EQ(c.duplicates, 1u);
  EXPECT_EQ(c.unique, 2u);
  EXPECT_EQ(c.reordered, 0u);
  ExpectInvariant(t);
}

TEST(SequenceTrackerTest, LateArrivalAfterCountWindow) {
  SequenceTracker t(Opts(/*max_packets=*/4));
  // 1 is missing; once the highest is more than 4 past it, it is lost.
  EXPECT_EQ(t.OnPacket(0, 0), Arrival::kInOrder);
  EXPECT_EQ(t.OnPacket(2, 0), Arrival::kInOrder);
  for (uint64_t s = 3; s <= 5; ++s) t.OnPacket(s, 0);
  EXPECT_EQ(t.counters().pending, 1u);  // 5 - 1 = 4: not more than 4.
  t.OnPacket(6, 0);
  EXPECT_EQ(t.counters().lost, 1u);
  EXPECT_EQ(t.OnPacket(1, 0), Arrival::kLate);
  ExpectInvariant(t);
}

TEST(SequenceTrackerTest, GapBeyondCountWindowIsLostAtOnce) {
  SequenceTracker t(Opts(/*max_packets=*/10));
  t.OnPacket(0, 0);
  t.OnPacket(1000, 0);  // 999 missing, only 10 of them still pending.
  EXPECT_EQ(t.counters().lost, 989u);
  EXPECT_EQ(t.counters().pending, 10u);
  EXPECT_EQ(t.OnPacket(995, 0), Arrival::kReordered);
  EXPECT_EQ(t.OnPacket(500, 0), Arrival::kLate);
  ExpectInvariant(t);
  t.Finish();
  EXPECT_EQ(t.counters().lost, 998u);
}

TEST(SequenceTrackerTest, PacketOlderThanFirstExtendsTheRun) {
  // The run starts with a reorder: 2 arrives before 0 and 1.
  SequenceTracker t(Opts());
  EXPECT_EQ(t.OnPacket(2, 0), Arrival::kInOrder);
  EXPECT_EQ(t.OnPacket(3, 0), Arrival::kInOrder);
  EXPECT_EQ(t.OnPacket(0, 0), Arrival::kReordered);
  EXPECT_EQ(t.counters().pending, 1u);  // 1 is now expected too.
  EXPECT_EQ(t.OnPacket(1, 0), Arrival::kReordered);
  ExpectInvariant(t);
  EXPECT_EQ(t.first_seq(), 0u);
  EXPECT_EQ(t.expected(), 4u);
  EXPECT_EQ(t.counters().lost, 0u);
  EXPECT_EQ(t.counters().reordered, 2u);
}

TEST(SequenceTrackerTest, OldPacketAfterLossWasDeclaredIsStale) {
  SequenceTracker t(Opts(/*max_packets=*/2));
  t.OnPacket(10, 0);
  t.OnPacket(14, 0);  // 11 lost at once, 12 and 13 pending.
  EXPECT_EQ(t.counters().lost, 1u);
  EXPECT_EQ(t.OnPacket(5, 0), Arrival::kStale);
  ExpectInvariant(t);
  EXPECT_EQ(t.first_seq(), 10u);
}

TEST(SequenceTrackerTest, BeyondDuplicateWindowIsStale) {
  SequenceTracker t(Opts());
  for (uint64_t s = 0; s < SequenceTracker::kDuplicateWindow + 10; ++s) {
    t.OnPacket(s, 0);
  }
  // Too old to classify: held as a possible jump back, stale once it is
  // not confirmed within the reorder age.
  EXPECT_EQ(t.OnPacket(3, 0), Arrival::kHeld);
  EXPECT_EQ(t.OnPacket(SequenceTracker::kDuplicateWindow, 0),
            Arrival::kDuplicate);
  t.Expire(3000 * kMs);
  EXPECT_EQ(t.counters().stale, 1u);
  EXPECT_EQ(t.counters().duplicates, 1u);
  ExpectInvariant(t);
}

TEST(SequenceTrackerTest, SixtyFourBitWrap) {
  SequenceTracker t(Opts());
  const uint64_t start = UINT64_MAX - 4;  // ... -2, -1, 0, 1, 2 ...
  std::vector<uint64_t> seqs;
  for (uint64_t i = 0; i < 10; ++i) {
    if (i != 6) seqs.push_back(start + i);  // Drop the one after the wrap.
  }
  std::swap(seqs[3], seqs[4]);  // Reorder across the wrap.
  Feed(t, seqs);
  t.Finish();
  const auto& c = t.counters();
  EXPECT_EQ(t.first_seq(), start);
  EXPECT_EQ(t.highest_seq(), start + 9);  // == 4 after the wrap.
  EXPECT_EQ(t.highest_seq(), 4u);
  EXPECT_EQ(t.expected(), 10u);
  EXPECT_EQ(c.lost, 1u);
  EXPECT_EQ(c.reordered, 1u);
  EXPECT_EQ(c.unique, 9u);
}

TEST(SequenceTrackerTest, ForgedHugeJumpIsBoundedWork) {
  SequenceTracker t(Opts());
  t.OnPacket(0, 0);
  // Beyond the jump bound: held, not 2^62 lost numbers (issue 10).
  EXPECT_EQ(t.OnPacket(uint64_t{1} << 62, 0), Arrival::kHeld);
  EXPECT_EQ(t.counters().lost + t.counters().pending, 0u);
  // More than 2^63 ahead reads as behind: held too.
  EXPECT_EQ(t.OnPacket((uint64_t{1} << 63) + (uint64_t{1} << 62) + 5, 0),
            Arrival::kHeld);
  EXPECT_EQ(t.held(), 2u);
  // Within the bound a forward jump is loss, declared in O(1), no loop.
  const uint64_t within = SequenceTracker::kJumpFloor;
  EXPECT_EQ(t.OnPacket(within, 0), Arrival::kInOrder);
  EXPECT_EQ(t.counters().lost + t.counters().pending, within - 1);
  t.Finish();
  EXPECT_EQ(t.counters().stale, 2u);
  ExpectInvariant(t);
}

TEST(SequenceTrackerTest, ExtentBuckets) {
  EXPECT_EQ(ReorderExtentBucket(1), 0);
  EXPECT_EQ(ReorderExtentBucket(2), 1);
  EXPECT_EQ(ReorderExtentBucket(3), 2);
  EXPECT_EQ(ReorderExtentBucket(4), 2);
  EXPECT_EQ(ReorderExtentBucket(5), 3);
  EXPECT_EQ(ReorderExtentBucket(512), 9);
  EXPECT_EQ(ReorderExtentBucket(513), 10);
  EXPECT_EQ(ReorderExtentBucket(1u << 20), 10);
  EXPECT_EQ(ReorderExtentBucketLimit(0), 1u);
  EXPECT_EQ(ReorderExtentBucketLimit(9), 512u);
  EXPECT_EQ(ReorderExtentBucketLimit(10), 0u);
}

}  // namespace
}  // namespace mcast::stats
