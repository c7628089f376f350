// Randomized property test: random drop/dup/reorder/delay patterns of a
// known sequence, checked counter by counter against a brute-force
// reference that implements the README definitions with plain sets.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "stats/sequence_tracker.h"

namespace mcast::stats {
namespace {

class Reference {
 public:
  Reference(int64_t window, int64_t max_age) : window_(window), age_(max_age) {}

  void Arrive(int64_t s, int64_t now) {
    ++c_.received;
    if (!started_) {
      started_ = true;
      first_ = highest_ = s;
      Unique(s);
      return;
    }
    if (s > highest_) {
      for (auto it = missing_.begin(); it != missing_.end();) {
        if (it->first < s - window_) {
          lost_.insert(it->first);
          it = missing_.erase(it);
        } else {
          ++it;
        }
      }
      for (int64_t n = highest_ + 1; n < s; ++n) {
        if (n < s - window_) {
          lost_.insert(n);
        } else {
          missing_[n] = now;
        }
      }
      highest_ = s;
      Unique(s);
    } else if (s < first_) {
      ++c_.stale;  // The generator never reorders before the first packet.
    } else if (seen_.count(s)) {
      ++c_.duplicates;
    } else if (missing_.count(s)) {
      missing_.erase(s);
      Unique(s);
      ++c_.reordered;
      // RFC 4737 §4.2: extent = i - j, j the earliest arrival above s.
      uint64_t i = arrivals_.back().second;
      uint64_t j = i;
      for (const auto& [seq, idx] : arrivals_) {
        if (seq > s) j = std::min(j, idx);
      }
      uint64_t e = i - j;
      c_.max_reorder_extent = std::max(c_.max_reorder_extent, e);
      ++c_.reorder_extents[ReorderExtentBucket(e)];
    } else {
      seen_.insert(s);
      ++c_.late;
    }
    Expire(now);
  }

  void Expire(int64_t now) {
    for (auto it = missing_.begin(); it != missing_.end();) {
      if (now - it->second >= age_) {
        lost_.insert(it->first);
        it = missing_.erase(it);
      } else {
        ++it;
      }
    }
  }

  void Finish() {
    for (const auto& [n, t] : missing_) lost_.insert(n);
    missing_.clear();
  }

  SequenceCounters counters() const {
    SequenceCounters c = c_;
    c.lost = lost_.size();
    c.pending = missing_.size();
    return c;
  }

 private:
  void Unique(int64_t s) {
    seen_.insert(s);
    ++c_.unique;
    arrivals_.emplace_back(s, arrivals_.size() + 1);
  }

  int64_t window_, age_;
  bool started_ = false;
  int64_t first_ = 0, highest_ = 0;
  std::set<int64_t> seen_, lost_;
  std::map<int64_t, int64_t> missing_;  // number -> noticed at
  std::vector<std::pair<int64_t, uint64_t>> arrivals_;
  SequenceCounters c_;
};

struct Event {
  uint64_t seq;
  int64_t time;
};

// Sends 0..n-1; drops, duplicates, and delays packets (a delayed packet is
// moved later in the stream by a random distance, sometimes far).
std::vector<Event> Impair(std::mt19937_64& rng, int n, double drop, double dup,
                          double reorder, int max_shift) {
  std::vector<uint64_t> order;
  std::uniform_real_distribution<double> u(0, 1);
  for (int s = 0; s < n; ++s) {
    if (s > 0 && u(rng) < drop) continue;
    order.push_back(s);
    if (u(rng) < dup) order.push_back(s);
  }
  for (size_t i = 1; i < order.size(); ++i) {
    if (u(rng) < reorder) {
      size_t shift = 1 + rng() % max_shift;
      size_t to = std::min(order.size() - 1, i + shift);
      uint64_t v = order[i];
      order.erase(order.begin() + i);
      order.insert(order.begin() + to, v);
    }
  }
  std::vector<Event> events;
  int64_t t = 0;
  for (uint64_t s : order) {
    t += rng() % 5;  // Bursts (0) and pauses.
    if (rng() % 200 == 0) t += 40;
    events.push_back({s, t});
  }
  return events;
}

void ExpectSame(const SequenceCounters& got, const SequenceCounters& want,
                const std::string& where) {
  EXPECT_EQ(got.received, want.received) << where;
  EXPECT_EQ(got.unique, want.unique) << where;
  EXPECT_EQ(got.duplicates, want.duplicates) << where;
  EXPECT_EQ(got.reordered, want.reordered) << where;
  EXPECT_EQ(got.late, want.late) << where;
  EXPECT_EQ(got.stale, want.stale) << where;
  EXPECT_EQ(got.lost, want.lost) << where;
  EXPECT_EQ(got.pending, want.pending) << where;
  EXPECT_EQ(got.max_reorder_extent, want.max_reorder_extent) << where;
  EXPECT_EQ(got.reorder_extents, want.reorder_extents) << where;
}

TEST(SequencePropertyTest, MatchesBruteForceReference) {
  std::mt19937_64 rng(20261125);
  for (int round = 0; round < 300; ++round) {
    const int64_t window = 1 + rng() % 40;
    const int64_t age = 5 + rng() % 60;
    const double drop = (rng() % 30) / 100.0;
    const double dup = (rng() % 20) / 100.0;
    const double reorder = (rng() % 30) / 100.0;
    const int max_shift = 1 + rng() % 60;
    auto events = Impair(rng, 50 + rng() % 400, drop, dup, reorder, max_shift);

    SequenceTracker::Options o;
    o.max_reorder_packets = window;
    o.max_reorder_age_ns = age;
    SequenceTracker tracker(o);
    Reference ref(window, age);
    // Start the sequence anywhere, wrap included; the reference sees 0-based.
    const uint64_t base = round % 3 == 0 ? UINT64_MAX - 100 : rng();
    for (size_t i = 0; i < events.size(); ++i) {
      const Event& e = events[i];
      tracker.OnPacket(base + e.seq, e.time);
      ref.Arrive(static_cast<int64_t>(e.seq), e.time);
      if (rng() % 7 == 0) {  // A periodic tick between packets.
        tracker.Expire(e.time + 1);
        ref.Expire(e.time + 1);
      }
      const auto& c = tracker.counters();
      ASSERT_EQ(tracker.expected(), c.unique + c.lost + c.pending);
      if (i % 16 == 0 || i + 1 == events.size()) {
        ExpectSame(
            c, ref.counters(),
            "round " + std::to_string(round) + " event " + std::to_string(i));
        if (HasFailure()) return;
      }
    }
    tracker.Finish();
    ref.Finish();
    ExpectSame(tracker.counters(), ref.counters(),
               "round " + std::to_string(round) + " finish");
    if (HasFailure()) return;
  }
}

// The same impaired flows with a spoofer's single packets mixed in (real
// address and id, numbers a jump of 2^62..2^63 away, either direction): the
// real run's counters must be exactly the reference's, the forged packets
// only stale (held, not yet counted, until they are decided).
TEST(SequencePropertyTest, ForgedJumpsChangeNothingButStale) {
  std::mt19937_64 rng(20261201);
  for (int round = 0; round < 200; ++round) {
    const int64_t window = 1 + rng() % 40;
    const int64_t age = 5 + rng() % 60;
    auto events =
        Impair(rng, 50 + rng() % 400, (rng() % 30) / 100.0,
               (rng() % 20) / 100.0, (rng() % 30) / 100.0, 1 + rng() % 60);
    SequenceTracker::Options o;
    o.max_reorder_packets = window;
    o.max_reorder_age_ns = age;
    SequenceTracker tracker(o);
    Reference ref(window, age);
    const uint64_t base = round % 3 == 0 ? UINT64_MAX - 100 : rng();
    uint64_t forged = 0;
    for (size_t i = 0; i < events.size(); ++i) {
      const Event& e = events[i];
      if (i > 0 && rng() % 10 == 0) {
        // 2^62 + random below 2^62, forward or (as a modular number) back.
        uint64_t jump = (uint64_t{1} << 62) + (rng() >> 2);
        if (rng() % 2) jump = uint64_t{0} - jump;
        // Exactly half the space once per round (more copies near it
        // would be a consistent spoofed stream: a discontinuity).
        if (forged == 0) jump = uint64_t{1} << 63;
        EXPECT_EQ(tracker.OnPacket(base + e.seq + jump, e.time),
                  Arrival::kHeld);
        ++forged;
      }
      tracker.OnPacket(base + e.seq, e.time);
      ref.Arrive(static_cast<int64_t>(e.seq), e.time);
      if (rng() % 7 == 0) {
        tracker.Expire(e.time + 1);
        ref.Expire(e.time + 1);
      }
      const auto& c = tracker.counters();
      ASSERT_EQ(tracker.expected(), c.unique + c.lost + c.pending);
      if (i % 16 == 0 || i + 1 == events.size()) {
        SequenceCounters want = ref.counters();
        const uint64_t decided = forged - tracker.held();
        want.received += decided;
        want.stale += decided;
        ExpectSame(
            c, want,
            "round " + std::to_string(round) + " event " + std::to_string(i));
        EXPECT_EQ(c.ignored_jumps, decided);
        EXPECT_EQ(c.discontinuities, 0u);
        if (HasFailure()) return;
      }
    }
    tracker.Finish();
    ref.Finish();
    SequenceCounters want = ref.counters();
    want.received += forged;
    want.stale += forged;
    ExpectSame(tracker.counters(), want,
               "round " + std::to_string(round) + " finish");
    EXPECT_EQ(tracker.counters().ignored_jumps, forged);
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace mcast::stats
