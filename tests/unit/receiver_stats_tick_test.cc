// ReceiverStats::Tick returns at once while nothing can be due: held to a
// ReceiverStats that walks every run on every Tick, over the same traffic.

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "stats/receiver_stats.h"

namespace mcast::stats {
namespace {

constexpr int64_t kMs = 1'000'000;

ReceiverStatsOptions Options(bool only_when_due) {
  ReceiverStatsOptions o;
  o.stall_timeout_ns = 700 * kMs;
  o.sequence.max_reorder_age_ns = 450 * kMs;
  o.sequence.max_reorder_packets = 64;
  o.sender_expiry_ns = 2300 * kMs;
  o.max_senders = 3;
  o.tick_only_when_due = only_when_due;
  return o;
}

void ExpectSame(const ReceiverSnapshot& got, const ReceiverSnapshot& want,
                const std::string& at) {
  EXPECT_EQ(got.state, want.state) << at;
  EXPECT_EQ(got.stalls, want.stalls) << at;
  EXPECT_EQ(got.stalled_seconds, want.stalled_seconds) << at;
  ASSERT_EQ(got.gaps.size(), want.gaps.size()) << at;
  for (size_t i = 0; i < got.gaps.size(); ++i) {
    EXPECT_EQ(got.gaps[i].start_mono_ns, want.gaps[i].start_mono_ns) << at;
    EXPECT_EQ(got.gaps[i].end_mono_ns, want.gaps[i].end_mono_ns) << at;
  }
  EXPECT_EQ(got.evicted_runs, want.evicted_runs) << at;
  EXPECT_EQ(got.evicted_senders, want.evicted_senders) << at;
  EXPECT_EQ(got.expired_senders, want.expired_senders) << at;
  EXPECT_EQ(got.totals, want.totals) << at;
  EXPECT_EQ(got.total_restarts, want.total_restarts) << at;
  ASSERT_EQ(got.senders.size(), want.senders.size()) << at;
  for (size_t i = 0; i < got.senders.size(); ++i) {
    const SenderSnapshot& g = got.senders[i];
    const SenderSnapshot& w = want.senders[i];
    EXPECT_EQ(g.source, w.source) << at;
    EXPECT_EQ(g.sender_id, w.sender_id) << at;
    EXPECT_EQ(g.sequence, w.sequence) << at;
    EXPECT_EQ(g.first_seq, w.first_seq) << at;
    EXPECT_EQ(g.last_seq, w.last_seq) << at;
    EXPECT_EQ(g.restarts, w.restarts) << at;
  }
}

struct Totals {
  uint64_t stalls = 0;
  uint64_t lost = 0;
  uint64_t expired = 0;
  uint64_t restarts = 0;
  uint64_t ticks_with_pending = 0;
};

// Four senders (one more than max_senders) with loss, reordering,
// duplicates, jumps, restarts and pauses past the stall timeout and the
// sender expiry; packets stamped up to 150 ms before the Tick they are
// handed in after (a socket read late). A snapshot after every 100 ms Tick.
Totals Simulate(uint32_t seed) {
  ReceiverStats fast(Options(true));
  ReceiverStats full(Options(false));
  std::mt19937 rng(seed);
  auto chance = [&](int percent) {
    return static_cast<int>(rng() % 100) < percent;
  };
  const std::vector<std::string> sources = {"10.0.0.1", "10.0.0.2", "10.0.0.3",
                                            "10.0.0.4"};
  std::vector<uint32_t> ids = {1, 1, 1, 1};
  std::vector<uint64_t> next = {0, 0, 0, 0};
  std::vector<int64_t> quiet_until = {0, 0, 0, 0};
  Totals t;
  int64_t now = 1'000'000 * kMs;
  int64_t unique = 0;
  for (int tick = 0; tick < 600; ++tick) {
    // Up to 8 datagrams per 100 ms from each sender that is not paused.
    for (size_t s = 0; s < sources.size(); ++s) {
      if (now < quiet_until[s]) continue;
      if (chance(2)) {
        // A pause: to a stall, past the reorder age or past expiry.
        quiet_until[s] = now + static_cast<int64_t>(rng() % 3000) * kMs;
        continue;
      }
      if (chance(2)) {
        ++ids[s];  // A restart.
        next[s] = rng() % 1000;
      }
      const int packets = static_cast<int>(rng() % 9);
      for (int i = 0; i < packets; ++i) {
        uint64_t seq = next[s]++;
        if (chance(5)) seq = next[s]++;               // One lost (or late).
        if (chance(4) && seq > 3) seq -= rng() % 4;   // Reordered or dup.
        if (chance(1)) seq += 100000 + rng() % 1000;  // A jump.
        ReceivedPacket p;
        p.source = *inet::IpAddress::Parse(sources[s]);
        p.header.sender_id = ids[s];
        p.header.sequence = seq;
        p.header.interval_us = 12500;
        p.size = 100;
        // Distinct times: eviction breaks a tie of two runs' last packet
        // by hash table order, which differs between the two tables.
        p.mono_ns = now - static_cast<int64_t>(rng() % 150) * kMs - ++unique;
        p.real_ns = p.mono_ns;
        fast.OnPacket(p);
        full.OnPacket(p);
      }
    }
    now += 100 * kMs;
    fast.Tick(now);
    full.Tick(now);
    const ReceiverSnapshot want = full.Snapshot(now);
    ExpectSame(
        fast.Snapshot(now), want,
        "seed " + std::to_string(seed) + " tick " + std::to_string(tick));
    if (want.totals.pending > 0) ++t.ticks_with_pending;
    t.stalls = want.stalls;
    t.lost = want.totals.lost;
    t.expired = want.expired_senders;
    t.restarts = want.total_restarts;
  }
  return t;
}

TEST(ReceiverStatsTickTest, SkippedTicksChangeNothing) {
  Totals all;
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    const Totals t = Simulate(seed);
    all.stalls += t.stalls;
    all.lost += t.lost;
    all.expired += t.expired;
    all.restarts += t.restarts;
    all.ticks_with_pending += t.ticks_with_pending;
  }
  // The traffic reached every deadline a Tick acts on.
  EXPECT_GT(all.stalls, 0u);
  EXPECT_GT(all.lost, 0u);
  EXPECT_GT(all.expired, 0u);
  EXPECT_GT(all.restarts, 0u);
  EXPECT_GT(all.ticks_with_pending, 0u);
}

}  // namespace
}  // namespace mcast::stats
