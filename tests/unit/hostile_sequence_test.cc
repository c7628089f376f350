// Issue 10, defects 1, 2 and 7: what one hostile datagram (a spoofer with a
// real sender's address and id) can do to the statistics engine. Each test
// feeds the attack plus a real flow with known drops and asserts the exact
// numbers of the real flow.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "stats/jitter_estimator.h"
#include "stats/receiver_stats.h"
#include "stats/sequence_tracker.h"

namespace mcast::stats {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kSec = 1'000'000'000;
constexpr uint64_t k2p62 = uint64_t{1} << 62;
constexpr uint64_t k2p63 = uint64_t{1} << 63;

void ExpectInvariant(const SequenceTracker& t) {
  const auto& c = t.counters();
  EXPECT_EQ(t.expected(), c.unique + c.lost + c.pending)
      << "unique=" << c.unique << " lost=" << c.lost
      << " pending=" << c.pending;
}

SequenceTracker::Options Opts() {
  SequenceTracker::Options o;
  o.max_reorder_packets = 1024;
  o.max_reorder_age_ns = 3 * kSec;
  return o;
}

// Defect 1: N then N + 2^63 spun ~2^63 times in RecordReorder (signed
// overflow of pos - highest). It must return at once and change nothing.
TEST(HostileSequenceTest, HalfSpaceJumpIsBoundedWorkAndHarmless) {
  for (uint64_t n : {uint64_t{0}, uint64_t{12345}, k2p63 - 1, ~uint64_t{0}}) {
    for (uint64_t jump : {k2p63, k2p63 - 1, k2p63 + 1}) {
      SequenceTracker t(Opts());
      t.OnPacket(n, 0);
      t.OnPacket(n + jump, kMs);
      ExpectInvariant(t);
      for (uint64_t i = 1; i < 100; ++i) {
        t.OnPacket(n + i, static_cast<int64_t>(i + 1) * kMs);
      }
      t.Finish();
      ExpectInvariant(t);
      const auto& c = t.counters();
      EXPECT_EQ(c.unique, 100u) << n << " +" << jump;
      EXPECT_EQ(c.lost, 0u) << n << " +" << jump;
      EXPECT_EQ(c.pending, 0u);
      EXPECT_EQ(c.reordered, 0u);
      EXPECT_EQ(c.received, 101u);
      EXPECT_EQ(c.stale, 1u);
      EXPECT_EQ(t.expected(), 100u);
    }
  }
}

// Defect 1 with numbers pending (the case ForgedHugeJumpIsBoundedWork did not
// cover): the forged packet lands behind the first packet seen.
TEST(HostileSequenceTest, HalfSpaceJumpWithPendingNumbers) {
  SequenceTracker t(Opts());
  t.OnPacket(100, 0);
  t.OnPacket(103, kMs);  // 101, 102 pending.
  t.OnPacket(100 + k2p63, 2 * kMs);
  t.OnPacket(101, 3 * kMs);
  t.OnPacket(102, 4 * kMs);
  t.Finish();
  ExpectInvariant(t);
  EXPECT_EQ(t.counters().unique, 4u);
  EXPECT_EQ(t.counters().lost, 0u);
  EXPECT_EQ(t.counters().reordered, 2u);
}

// Real flow, every 10th number dropped, one forged packet at +2^62 in the
// middle: the loss is exactly the real drops, unique keeps growing.
TEST(HostileSequenceTest, ForgedForwardJumpDoesNotPoisonTheRun) {
  SequenceTracker t(Opts());
  uint64_t sent = 0, dropped = 0;
  int64_t now = 0;
  for (uint64_t s = 1000; s < 3000; ++s, now += kMs) {
    ++sent;
    if (s % 10 == 3) {
      ++dropped;
      continue;
    }
    t.OnPacket(s, now, 1000);
    if (s == 2000) t.OnPacket(s + k2p62, now, 1000);
    ExpectInvariant(t);
  }
  t.Finish();
  const auto& c = t.counters();
  EXPECT_EQ(c.lost, dropped);
  EXPECT_EQ(c.unique, sent - dropped);
  EXPECT_EQ(c.pending, 0u);
  EXPECT_EQ(c.late, 0u);
  EXPECT_EQ(c.duplicates, 0u);
  EXPECT_EQ(c.stale, 1u);
  EXPECT_EQ(c.ignored_jumps, 1u);    // new-api
  EXPECT_EQ(c.discontinuities, 0u);  // new-api
  EXPECT_EQ(t.highest_seq(), 2999u);
}

// Same for a jump backwards, and for one just past the duplicate window.
TEST(HostileSequenceTest, ForgedBackwardJumpsAreIgnored) {
  for (uint64_t back : {k2p62, k2p63 - 1, uint64_t{70000}}) {
    SequenceTracker t(Opts());
    const uint64_t base = uint64_t{1} << 40;
    for (uint64_t s = 0; s < 500; ++s) {
      if (s % 50 == 7) continue;
      t.OnPacket(base + s, static_cast<int64_t>(s) * kMs);
      if (s == 100) t.OnPacket(base + s - back, static_cast<int64_t>(s) * kMs);
    }
    t.Finish();
    ExpectInvariant(t);
    EXPECT_EQ(t.counters().lost, 10u) << back;
    EXPECT_EQ(t.counters().unique, 490u) << back;
    EXPECT_EQ(t.counters().stale, 1u) << back;
  }
}

// A sender that really jumps far (same id, new numbering): confirmed by the
// packets that follow, it is one discontinuity, the old run's numbers are
// settled and the new numbering is measured exactly.
TEST(HostileSequenceTest, ConfirmedForwardDiscontinuityStartsANewSegment) {
  SequenceTracker t(Opts());
  int64_t now = 0;
  for (uint64_t s = 0; s < 1000; ++s, now += kMs) {
    if (s % 100 == 50) continue;  // 10 dropped.
    t.OnPacket(s, now, 1000);
  }
  const uint64_t base = 1'000'000'000;
  for (uint64_t s = 0; s < 1000; ++s, now += kMs) {
    if (s % 100 == 20) continue;  // 10 dropped.
    t.OnPacket(base + s, now, 1000);
    ExpectInvariant(t);
  }
  t.Finish();
  ExpectInvariant(t);
  const auto& c = t.counters();
  EXPECT_EQ(c.discontinuities, 1u);  // new-api
  EXPECT_EQ(c.lost, 20u);
  EXPECT_EQ(c.unique, 1980u);
  EXPECT_EQ(c.stale, 0u);
  EXPECT_EQ(c.received, 1980u);
  EXPECT_EQ(t.expected(), 2000u);
  EXPECT_EQ(t.first_seq(), base);
  EXPECT_EQ(t.highest_seq(), base + 999);
}

// The sender's numbering restarts far lower with the same id: confirmed,
// it is a discontinuity, not stale packets for ever.
TEST(HostileSequenceTest, ConfirmedBackwardDiscontinuityStartsANewSegment) {
  SequenceTracker t(Opts());
  int64_t now = 0;
  const uint64_t base = uint64_t{1} << 50;
  for (uint64_t s = 0; s < 1000; ++s, now += kMs) t.OnPacket(base + s, now);
  for (uint64_t s = 5; s < 1005; ++s, now += kMs) {
    if (s % 100 == 0) continue;  // 10 dropped.
    t.OnPacket(s, now);
    ExpectInvariant(t);
  }
  t.Finish();
  const auto& c = t.counters();
  EXPECT_EQ(c.discontinuities, 1u);  // new-api
  EXPECT_EQ(c.lost, 10u);
  EXPECT_EQ(c.unique, 1990u);
  EXPECT_EQ(c.stale, 0u);
  EXPECT_EQ(t.highest_seq(), 1004u);
}

// A long outage of a sender with a known interval is loss, not a
// discontinuity: 30 s at 100 us is 300000 packets, more than the floor.
TEST(HostileSequenceTest, LongOutageWithKnownIntervalIsLoss) {
  SequenceTracker t(Opts());
  int64_t now = 0;
  for (uint64_t s = 0; s < 400'000; ++s) {
    now = static_cast<int64_t>(s) * 100'000;
    if (s >= 50'000 && s < 350'000) continue;
    t.OnPacket(s, now, 100);
  }
  t.Finish();
  ExpectInvariant(t);
  EXPECT_EQ(t.counters().lost, 300'000u);
  EXPECT_EQ(t.counters().discontinuities, 0u);  // new-api
  EXPECT_EQ(t.counters().unique, 100'000u);
}

// Pending numbers of the old segment are settled as lost, the packets that
// confirmed the jump are counted in the new one.
TEST(HostileSequenceTest, DiscontinuitySettlesPendingNumbers) {
  SequenceTracker t(Opts());
  t.OnPacket(0, 0);
  t.OnPacket(5, kMs);  // 1..4 pending.
  EXPECT_EQ(t.counters().pending, 4u);
  for (uint64_t s = 0; s < 3; ++s) t.OnPacket(k2p62 + s, 2 * kMs);
  ExpectInvariant(t);
  EXPECT_EQ(t.counters().discontinuities, 1u);  // new-api
  EXPECT_EQ(t.counters().pending, 0u);
  EXPECT_EQ(t.counters().lost, 4u);
  EXPECT_EQ(t.counters().unique, 5u);
}

// A spoofer sending forged packets between every real one, each at another
// huge offset, never moves the real run.
TEST(HostileSequenceTest, ScatteredForgedJumpsNeverConfirm) {
  SequenceTracker t(Opts());
  uint64_t x = 0x9E3779B97F4A7C15ull;
  for (uint64_t s = 0; s < 3000; ++s) {
    int64_t now = static_cast<int64_t>(s) * kMs;
    if (s % 7 != 3) t.OnPacket(s, now);
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    t.OnPacket(s + (x | k2p62), now);
    ExpectInvariant(t);
  }
  t.Finish();
  const auto& c = t.counters();
  EXPECT_EQ(c.discontinuities, 0u);  // new-api
  EXPECT_EQ(c.lost, 428u);  // 3, 10, ..., 2996; 2999 was never expected.
  EXPECT_EQ(c.unique, 3000u - 429u);
  EXPECT_EQ(c.stale, 3000u);
}

class HostileReceiverTest : public ::testing::Test {
 protected:
  ReceivedPacket Packet(uint32_t id, uint64_t seq) {
    ReceivedPacket p;
    p.source = *inet::IpAddress::Parse("10.0.0.1");
    p.header.sender_id = id;
    p.header.sequence = seq;
    p.header.ttl = 64;
    p.header.interval_us = 10'000;
    p.header.timestamp_ns = static_cast<uint64_t>(now_);
    p.size = 200;
    p.ttl = 62;
    p.mono_ns = now_;
    p.real_ns = now_;
    return p;
  }
  int64_t now_ = 1000 * kSec;
};

// Defect 2 end to end in the engine: real drops, one forged seq + 2^62 with
// the real address and id, then a real restart: loss exact throughout.
TEST_F(HostileReceiverTest, ForgedJumpThenRealRestartStaysExact) {
  ReceiverStats r(ReceiverStatsOptions{});
  uint64_t delivered = 0, dropped = 0;
  for (uint64_t s = 0; s < 600; ++s, now_ += 10 * kMs) {
    if (s % 20 == 9) {
      ++dropped;
      continue;
    }
    r.OnPacket(Packet(0xAAAA, s));
    ++delivered;
    if (s == 300) {
      ReceivedPacket forged = Packet(0xAAAA, s + k2p62);
      forged.ttl = 10;  // A spoofer elsewhere on the path.
      r.OnPacket(forged);
    }
    if (s == 400) {
      auto v = r.Snapshot(now_).senders.at(0);
      EXPECT_EQ(v.sequence.unique, 381u);
      EXPECT_LE(v.sequence.lost + v.sequence.pending, 20u);
    }
  }
  // The real sender restarts (new id), with drops of its own.
  for (uint64_t s = 0; s < 300; ++s, now_ += 10 * kMs) {
    if (s % 30 == 4) {
      ++dropped;
      continue;
    }
    r.OnPacket(Packet(0xBBBB, s));
    ++delivered;
  }
  r.Tick(now_ + 10 * kSec);
  r.Finish();
  ReceiverSnapshot snap = r.Snapshot(now_);
  ASSERT_EQ(snap.senders.size(), 1u);
  const SenderSnapshot& v = snap.senders[0];
  EXPECT_EQ(v.sequence.lost, dropped);
  EXPECT_EQ(v.sequence.unique, delivered);
  EXPECT_EQ(v.sequence.pending, 0u);
  EXPECT_EQ(v.sequence.stale, 1u);
  EXPECT_EQ(v.sequence.received, delivered + 1);
  EXPECT_EQ(v.hop_changes, 0u);  // The forged TTL did not count.
  EXPECT_EQ(v.restarts, 1u);
  EXPECT_EQ(snap.totals.lost, dropped);
  EXPECT_EQ(snap.totals.discontinuities, 0u);  // new-api
}

// A confirmed discontinuity is counted per sender and in the totals.
TEST_F(HostileReceiverTest, ConfirmedDiscontinuityIsInTheSnapshot) {
  ReceiverStats r(ReceiverStatsOptions{});
  for (uint64_t s = 0; s < 100; ++s, now_ += 10 * kMs) {
    r.OnPacket(Packet(7, s));
  }
  for (uint64_t s = 0; s < 100; ++s, now_ += 10 * kMs) {
    if (s == 50) continue;
    r.OnPacket(Packet(7, k2p63 + s));
  }
  r.Finish();
  ReceiverSnapshot snap = r.Snapshot(now_);
  const SenderSnapshot& v = snap.senders.at(0);
  EXPECT_EQ(v.sequence.discontinuities, 1u);   // new-api
  EXPECT_EQ(snap.totals.discontinuities, 1u);  // new-api
  EXPECT_EQ(v.sequence.lost, 1u);
  EXPECT_EQ(v.sequence.unique, 199u);
  EXPECT_EQ(v.first_seq, k2p63);
  EXPECT_EQ(v.last_seq, k2p63 + 99);
}

// Defect 7: timestamps are packet-supplied; a 2^63 jump overflowed the
// transit arithmetic (UBSan aborts under the asan preset).
TEST(HostileJitterTest, TimestampJumpOfHalfTheSpace) {
  JitterEstimator j;
  j.OnPacket(0, 1000);
  j.OnPacket(std::numeric_limits<int64_t>::min(), 2000);
  j.OnPacket(std::numeric_limits<int64_t>::max(), 3000);
  j.OnPacket(std::numeric_limits<int64_t>::min(), -4000);
  EXPECT_TRUE(std::isfinite(j.jitter_ns()));
  EXPECT_GE(j.jitter_ns(), 0);
}

TEST_F(HostileReceiverTest, ExtremeTimestampsAndIntervals) {
  ReceiverStats r(ReceiverStatsOptions{});
  const uint64_t stamps[] = {0, k2p63, k2p63 - 1, ~uint64_t{0}, 1, k2p62};
  uint64_t seq = 0;
  for (uint64_t ts : stamps) {
    for (uint8_t flags : {uint8_t{0}, packet::kFlagRealtimeClock}) {
      ReceivedPacket p = Packet(9, seq++);
      p.header.timestamp_ns = ts;
      p.header.flags = flags;
      p.header.interval_us = static_cast<uint32_t>(ts);
      p.header.ttl = static_cast<uint8_t>(ts);
      r.OnPacket(p);
      now_ += kMs;
    }
  }
  ReceiverSnapshot snap = r.Snapshot(now_);
  const SenderSnapshot& v = snap.senders.at(0);
  EXPECT_EQ(v.sequence.unique, seq);
  EXPECT_TRUE(std::isfinite(v.jitter_seconds));
  EXPECT_EQ(v.delay.count, seq / 2);
}

}  // namespace
}  // namespace mcast::stats
