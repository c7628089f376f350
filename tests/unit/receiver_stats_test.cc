#include "stats/receiver_stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace mcast::stats {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kSec = 1'000'000'000;

inet::IpAddress Addr(const char* text) { return *inet::IpAddress::Parse(text); }

class ReceiverStatsTest : public ::testing::Test {
 protected:
  ReceivedPacket Packet(const char* src, uint32_t id, uint64_t seq) {
    ReceivedPacket p;
    p.source = Addr(src);
    p.header.sender_id = id;
    p.header.sequence = seq;
    p.header.ttl = 64;
    p.header.dscp = 46;
    p.header.timestamp_ns = static_cast<uint64_t>(now_);
    p.size = 200;
    p.ttl = 62;
    p.tos = 46 << 2;
    p.mono_ns = now_;
    p.real_ns = now_;
    return p;
  }
  void Send(ReceiverStats& r, const char* src, uint32_t id, uint64_t seq) {
    r.OnPacket(Packet(src, id, seq));
    now_ += 10 * kMs;
  }
  const SenderSnapshot& Only(const ReceiverSnapshot& s) {
    EXPECT_EQ(s.senders.size(), 1u);
    return s.senders.front();
  }

  int64_t now_ = 1000 * kSec;
};

TEST_F(ReceiverStatsTest, SenderRestartStartsFreshSequenceWithoutLoss) {
  ReceiverStats r(ReceiverStatsOptions{});
  for (uint64_t s = 0; s < 100; ++s) Send(r, "10.0.0.1", 0xAAAA, s);
  // The sender restarts: new id, numbering from 0 again.
  for (uint64_t s = 0; s < 50; ++s) Send(r, "10.0.0.1", 0xBBBB, s);
  r.Tick(now_ + 10 * kSec);  // Old run retires after the reorder window.
  r.Finish();
  auto snap = r.Snapshot(now_);
  const SenderSnapshot& v = Only(snap);
  EXPECT_EQ(v.restarts, 1u);
  EXPECT_EQ(v.sender_id, 0xBBBBu);
  EXPECT_EQ(v.first_seq, 0u);
  EXPECT_EQ(v.last_seq, 49u);
  EXPECT_EQ(v.sequence.received, 150u);
  EXPECT_EQ(v.sequence.unique, 150u);
  EXPECT_EQ(v.sequence.lost, 0u);
  EXPECT_EQ(v.sequence.duplicates, 0u);
  EXPECT_EQ(r.tracked_runs(), 1u);
  EXPECT_EQ(snap.total_restarts, 1u);
}

TEST_F(ReceiverStatsTest, StragglerOfOldRunIsNotAnotherRestart) {
  ReceiverStats r(ReceiverStatsOptions{});
  Send(r, "10.0.0.1", 1, 0);
  Send(r, "10.0.0.1", 1, 2);  // 1 pending
  Send(r, "10.0.0.1", 2, 0);  // restart
  Send(r, "10.0.0.1", 1, 1);  // old run's straggler fills its gap
  r.Finish();
  auto snap = r.Snapshot(now_);
  const SenderSnapshot& v = Only(snap);
  EXPECT_EQ(v.restarts, 1u);
  EXPECT_EQ(v.sequence.lost, 0u);
  EXPECT_EQ(v.sequence.reordered, 1u);
  EXPECT_EQ(v.sender_id, 2u);
}

TEST_F(ReceiverStatsTest, TwoInterleavedSendersKeepSeparateSequences) {
  ReceiverStats r(ReceiverStatsOptions{});
  for (uint64_t s = 0; s < 200; ++s) {
    if (s % 20 != 7) Send(r, "10.0.0.1", 11, s);  // 10 lost
    if (s % 50 != 9) Send(r, "10.0.0.2", 22, s);  // 4 lost
  }
  r.Finish();
  auto snap = r.Snapshot(now_);
  ASSERT_EQ(snap.senders.size(), 2u);
  EXPECT_EQ(snap.senders[0].source, Addr("10.0.0.1"));
  EXPECT_EQ(snap.senders[0].sequence.lost, 10u);
  EXPECT_EQ(snap.senders[0].sequence.reordered, 0u);
  EXPECT_EQ(snap.senders[1].source, Addr("10.0.0.2"));
  EXPECT_EQ(snap.senders[1].sequence.lost, 4u);
  EXPECT_EQ(snap.senders[1].sequence.reordered, 0u);
  EXPECT_EQ(snap.totals.lost, 14u);
  EXPECT_EQ(snap.totals.unique, 190u + 196u);
  EXPECT_EQ(snap.total_restarts, 0u);
  EXPECT_EQ(snap.total_bytes, (190u + 196u) * 200u);
}

TEST_F(ReceiverStatsTest, HopsDscpAndPathChanges) {
  ReceiverStats r(ReceiverStatsOptions{});
  ReceivedPacket p = Packet("10.0.0.1", 7, 0);
  r.OnPacket(p);
  auto v = Only(r.Snapshot(now_));
  EXPECT_EQ(v.ttl, 62);
  EXPECT_EQ(v.sender_ttl, 64);
  EXPECT_EQ(v.hops, 2);
  EXPECT_EQ(v.hop_changes, 0u);
  EXPECT_EQ(v.dscp, 46);
  EXPECT_FALSE(v.last_remarked);
  EXPECT_EQ(v.dscp_remarked, 0u);

  // Path grows by one hop and a router remarks EF to CS1 for 3 packets.
  for (uint64_t s = 1; s <= 3; ++s) {
    p = Packet("10.0.0.1", 7, s);
    p.ttl = 61;
    p.tos = 8 << 2;
    r.OnPacket(p);
  }
  p = Packet("10.0.0.1", 7, 4);
  p.ttl = 61;
  r.OnPacket(p);
  v = Only(r.Snapshot(now_));
  EXPECT_EQ(v.hops, 3);
  EXPECT_EQ(v.hop_changes, 1u);
  EXPECT_EQ(v.dscp_remarked, 3u);
  EXPECT_FALSE(v.last_remarked);
  EXPECT_EQ(v.dscp, 46);

  // No cmsg data: TTL/DSCP stay unknown rather than wrong.
  ReceiverStats r2(ReceiverStatsOptions{});
  p = Packet("10.0.0.1", 7, 0);
  p.ttl = -1;
  p.tos = -1;
  r2.OnPacket(p);
  v = Only(r2.Snapshot(now_));
  EXPECT_EQ(v.ttl, -1);
  EXPECT_EQ(v.dscp, -1);
  EXPECT_EQ(v.dscp_remarked, 0u);
}

TEST_F(ReceiverStatsTest, JitterFollowsRfc3550) {
  ReceiverStats r(ReceiverStatsOptions{});
  // Transit alternates 1 ms / 3 ms: |D| = 2 ms each time after the first.
  double expected = 0;
  for (uint64_t s = 0; s < 50; ++s) {
    ReceivedPacket p = Packet("10.0.0.1", 7, s);
    p.header.timestamp_ns = static_cast<uint64_t>(s * 10 * kMs);
    p.real_ns = static_cast<int64_t>(s * 10 * kMs) + (s % 2 ? 3 : 1) * kMs;
    r.OnPacket(p);
    if (s > 0) expected += (2.0 * kMs - expected) / 16;
  }
  EXPECT_NEAR(Only(r.Snapshot(now_)).jitter_seconds, expected * 1e-9, 1e-12);
}

TEST_F(ReceiverStatsTest, OneWayDelayOnlyForRealtimeSenders) {
  ReceiverStats r(ReceiverStatsOptions{});
  ReceivedPacket p = Packet("10.0.0.1", 7, 0);
  p.real_ns = static_cast<int64_t>(p.header.timestamp_ns) + 2 * kMs;
  r.OnPacket(p);
  EXPECT_EQ(Only(r.Snapshot(now_)).delay.count, 0u);

  p = Packet("10.0.0.1", 7, 1);
  p.header.flags = packet::kFlagRealtimeClock;
  p.real_ns = static_cast<int64_t>(p.header.timestamp_ns) + 2 * kMs;
  r.OnPacket(p);
  p = Packet("10.0.0.1", 7, 2);
  p.header.flags = packet::kFlagRealtimeClock;
  p.real_ns = static_cast<int64_t>(p.header.timestamp_ns) + 4 * kMs;
  r.OnPacket(p);
  auto v = Only(r.Snapshot(now_));
  EXPECT_TRUE(v.realtime_clock);
  EXPECT_EQ(v.delay.count, 2u);
  EXPECT_DOUBLE_EQ(v.delay.min_seconds, 0.002);
  EXPECT_DOUBLE_EQ(v.delay.max_seconds, 0.004);
  EXPECT_NEAR(v.delay.sum_seconds, 0.006, 1e-12);
  EXPECT_EQ(v.delay.buckets[5], 1u);  // (0.001, 0.0025]
  EXPECT_EQ(v.delay.buckets[6], 1u);  // (0.0025, 0.005]
}

TEST_F(ReceiverStatsTest, ForgedSenderIdFloodStaysWithinCap) {
  ReceiverStatsOptions o;
  o.max_senders = 16;
  ReceiverStats r(o);
  for (uint64_t s = 0; s < 100; ++s) Send(r, "10.0.0.1", 1, s);
  // 10000 forged ids from many addresses, one packet each.
  for (uint32_t i = 0; i < 10000; ++i) {
    std::string src =
        "10.9." + std::to_string(i / 200) + "." + std::to_string(i % 200);
    Send(r, src.c_str(), 1000 + i, 5);
    ASSERT_LE(r.tracked_runs(), 16u);
    ASSERT_LE(r.tracked_senders(), 32u);  // Addresses: 2 * max_senders.
  }
  auto snap = r.Snapshot(now_);
  EXPECT_EQ(snap.senders.size(), 32u);
  EXPECT_EQ(snap.evicted_senders, 10001u - 32u);
  EXPECT_EQ(snap.evicted_runs, 10000u - 16u + 1u);
  // Counters of evicted senders stay in the totals.
  EXPECT_EQ(snap.totals.received, 10100u);
  EXPECT_EQ(snap.totals.unique, 10100u);
  EXPECT_EQ(snap.total_bytes, 10100u * 200u);
}

// The attack of issue 10 #3: between two packets of a real flow, more
// forged one-packet ids than max_senders. The real flow's run must never be
// the one evicted, its exported counters never go down, and no restart may
// be counted; the receiver totals stay exact over everything.
TEST_F(ReceiverStatsTest, ForgedIdFloodNeverResetsRealFlow) {
  ReceiverStatsOptions o;  // The default max_senders = 256.
  ReceiverStats r(o);
  uint64_t delivered = 0, dropped = 0, forged = 0;
  SequenceCounters last{};
  uint64_t last_bytes = 0;
  for (uint64_t seq = 0; seq < 700; ++seq) {
    if (seq % 19 == 7) {  // Exact loss of the real flow.
      ++dropped;
    } else {
      r.OnPacket(Packet("10.0.0.1", 0x5EED, seq));
      ++delivered;
    }
    now_ += 1 * kMs;
    if (seq >= 100 && seq % 50 == 0) {
      // 300 forged ids from 256 addresses, one packet each.
      for (int i = 0; i < 300; ++i) {
        std::string src = "10.9.0." + std::to_string(i % 256);
        r.OnPacket(Packet(src.c_str(), static_cast<uint32_t>(0x100000 + forged),
                          12345));
        ++forged;
      }
      now_ += 1 * kMs;
    }
    if (seq % 10 == 0) r.Tick(now_);
    auto snap = r.Snapshot(now_);
    auto it = std::find_if(
        snap.senders.begin(), snap.senders.end(),
        [](const SenderSnapshot& v) { return v.source == Addr("10.0.0.1"); });
    ASSERT_NE(it, snap.senders.end()) << "real flow gone at seq " << seq;
    const SequenceCounters& c = it->sequence;
    ASSERT_GE(c.received, last.received) << "at seq " << seq;
    ASSERT_GE(c.unique, last.unique) << "at seq " << seq;
    ASSERT_GE(c.lost, last.lost) << "at seq " << seq;
    ASSERT_GE(it->bytes, last_bytes) << "at seq " << seq;
    ASSERT_EQ(it->restarts, 0u) << "at seq " << seq;
    last = c;
    last_bytes = it->bytes;
  }
  r.Tick(now_ + 10 * kSec);  // Every gap leaves the reorder window.
  auto snap = r.Snapshot(now_ + 10 * kSec);
  auto it = std::find_if(
      snap.senders.begin(), snap.senders.end(),
      [](const SenderSnapshot& v) { return v.source == Addr("10.0.0.1"); });
  ASSERT_NE(it, snap.senders.end());
  EXPECT_EQ(it->sequence.received, delivered);
  EXPECT_EQ(it->sequence.unique, delivered);
  EXPECT_EQ(it->sequence.lost, dropped);
  EXPECT_EQ(it->sequence.pending, 0u);
  EXPECT_EQ(it->restarts, 0u);
  EXPECT_EQ(it->first_seq, 0u);
  EXPECT_EQ(it->last_seq, 699u);
  // Totals over every sender, evicted ones included.
  EXPECT_EQ(snap.totals.received, delivered + forged);
  EXPECT_EQ(snap.totals.unique, delivered + forged);
  EXPECT_EQ(snap.totals.lost, dropped);
  EXPECT_EQ(snap.total_bytes, (delivered + forged) * 200u);
  // 12 bursts of 300 new ids into a table of 256 runs, 1 held by the flow.
  EXPECT_EQ(snap.evicted_runs, forged - 255u);
  EXPECT_EQ(snap.total_restarts, forged - 256u);  // Addresses reused.
}

// A run evicted for room keeps its address's series: the counters go on
// from where they were when the sender comes back, never down.
TEST_F(ReceiverStatsTest, EvictedRunKeepsItsSeriesMonotonic) {
  ReceiverStatsOptions o;
  o.max_senders = 2;
  ReceiverStats r(o);
  for (uint64_t s = 0; s < 10; ++s) Send(r, "10.0.0.1", 1, s);
  for (uint64_t s = 0; s < 100; ++s) Send(r, "10.0.0.2", 2, s);
  for (uint64_t s = 0; s < 100; ++s) Send(r, "10.0.0.3", 3, s);  // evicts .1
  EXPECT_EQ(r.tracked_runs(), 2u);
  auto a = r.Snapshot(now_);
  ASSERT_EQ(a.senders.size(), 3u);
  EXPECT_EQ(a.senders[0].source, Addr("10.0.0.1"));
  EXPECT_EQ(a.senders[0].sequence.received, 10u);
  EXPECT_EQ(a.senders[0].last_seq, 9u);
  EXPECT_EQ(a.evicted_runs, 1u);
  for (uint64_t s = 10; s < 20; ++s) Send(r, "10.0.0.1", 1, s);
  auto b = r.Snapshot(now_);
  ASSERT_EQ(b.senders.size(), 3u);
  EXPECT_EQ(b.senders[0].sequence.received, 20u);
  EXPECT_EQ(b.senders[0].bytes, 20u * 200u);
  EXPECT_EQ(b.senders[0].restarts, 0u);  // Same id: not a restart.
  EXPECT_EQ(b.senders[0].last_seq, 19u);
  EXPECT_EQ(b.totals.received, 220u);
}

// Forged series do not stay forever: an address without a packet for
// sender_expiry is forgotten, its counts stay in the receiver totals.
TEST_F(ReceiverStatsTest, IdleSendersExpire) {
  ReceiverStatsOptions o;
  o.sender_expiry_ns = 60 * kSec;
  ReceiverStats r(o);
  for (int i = 0; i < 50; ++i) {
    std::string src = "10.9.0." + std::to_string(i);
    Send(r, src.c_str(), static_cast<uint32_t>(100 + i), 1);
  }
  for (int t = 0; t < 70; ++t) {
    Send(r, "10.0.0.1", 1, static_cast<uint64_t>(t));
    now_ += 1 * kSec;
    r.Tick(now_);
  }
  auto snap = r.Snapshot(now_);
  ASSERT_EQ(snap.senders.size(), 1u);
  EXPECT_EQ(snap.senders[0].source, Addr("10.0.0.1"));
  EXPECT_EQ(snap.senders[0].sequence.received, 70u);
  EXPECT_EQ(snap.expired_senders, 50u);
  EXPECT_EQ(snap.evicted_runs, 0u);
  EXPECT_EQ(snap.totals.received, 120u);
  EXPECT_EQ(snap.total_bytes, 120u * 200u);
  EXPECT_EQ(r.tracked_runs(), 1u);
  // An expired address that comes back starts a new series from zero.
  Send(r, "10.9.0.3", 103, 2);
  snap = r.Snapshot(now_);
  ASSERT_EQ(snap.senders.size(), 2u);
  EXPECT_EQ(snap.senders[1].sequence.received, 1u);
  EXPECT_EQ(snap.totals.received, 121u);
}

TEST_F(ReceiverStatsTest, ForeignAndStallState) {
  ReceiverStatsOptions o;
  o.stall_timeout_ns = 2 * kSec;
  ReceiverStats r(o);
  EXPECT_EQ(r.state(), FlowState::kWaiting);
  r.Tick(now_ + 100 * kSec);
  EXPECT_EQ(r.state(), FlowState::kWaiting);  // No stall before traffic.
  r.OnForeign();
  r.OnForeign();
  Send(r, "10.0.0.1", 1, 0);
  EXPECT_EQ(r.state(), FlowState::kReceiving);
  r.Tick(now_ + 3 * kSec);
  EXPECT_EQ(r.state(), FlowState::kStalled);
  auto snap = r.Snapshot(now_ + 3 * kSec);
  EXPECT_EQ(snap.foreign, 2u);
  EXPECT_EQ(snap.stalls, 1u);
  EXPECT_EQ(snap.totals.received, 1u);
}

}  // namespace
}  // namespace mcast::stats
