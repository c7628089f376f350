#include "probe/pacer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

namespace mcast::probe {
namespace {

constexpr int64_t kSec = 1'000'000'000;

TEST(PacerTest, DeadlinesAreAbsoluteAndExact) {
  Pacer p(25, 1000, std::nullopt);
  EXPECT_EQ(p.Deadline(0), 1000);
  EXPECT_EQ(p.Deadline(1), 1000 + 40'000'000);
  EXPECT_EQ(p.Deadline(25), 1000 + kSec);
  // A rate that is not a whole number of ns per packet does not drift:
  // 3 pps puts packet 3 * 10^6 exactly 10^6 s after the start.
  Pacer q(3, 0, std::nullopt);
  EXPECT_EQ(q.Deadline(3'000'000), 1'000'000 * kSec);
  EXPECT_EQ(q.Deadline(1), 333'333'333);
}

TEST(PacerTest, DueCountsPassedDeadlines) {
  Pacer p(1000, 0, std::nullopt);
  EXPECT_EQ(p.Due(-1), 0u);
  EXPECT_EQ(p.Due(0), 1u);
  EXPECT_EQ(p.Due(999'999), 1u);
  EXPECT_EQ(p.Due(1'000'000), 2u);
  p.MarkSent(2);
  EXPECT_EQ(p.Due(1'000'000), 0u);
  EXPECT_EQ(p.NextDeadline(), 2'000'000);
  // A late wake-up: everything due is sent, the average rate holds.
  EXPECT_EQ(p.Due(10'500'000), 9u);
}

TEST(PacerTest, FiniteRunStopsAtCountAndFlagsLast) {
  Pacer p(100, 0, 5);
  EXPECT_EQ(p.Due(100 * kSec), 5u);
  EXPECT_TRUE(p.IsLast(4));
  EXPECT_FALSE(p.IsLast(3));
  p.MarkSent(5);
  EXPECT_TRUE(p.done());
  EXPECT_EQ(p.Due(200 * kSec), 0u);
}

TEST(PacerTest, DueMatchesDeadlinesForOddRates) {
  for (double rate : {0.5, 1.0, 7.0, 25.0, 333.3, 1e5, 1.234567e6}) {
    Pacer p(rate, 123, std::nullopt);
    for (uint64_t k = 0; k < 2000; k += 7) {
      int64_t d = p.Deadline(k);
      EXPECT_EQ(p.Due(d), k + 1) << rate << " " << k;
      EXPECT_EQ(p.Due(d - 1), k) << rate << " " << k;
    }
  }
}

// Whole-nanosecond intervals take an integer path: it must give the same
// deadlines and due counts as floor(k * 1e9 / rate) in long double, at the
// start of a run and far into it (a year of packets at 1 Mpps).
TEST(PacerTest, IntegerPathMatchesLongDoubleFormula) {
  for (double rate : {1.0, 25.0, 1000.0, 1e5, 1e6, 1e9, 0.5, 0.001}) {
    const int64_t start = 987'654'321;
    Pacer p(rate, start, std::nullopt);
    for (uint64_t k : {uint64_t{0}, uint64_t{1}, uint64_t{2}, uint64_t{999},
                       uint64_t{123'456'789}, uint64_t{31'536'000'000'000}}) {
      const long double offset = static_cast<long double>(k) * 1e9L / rate;
      if (offset > 4e18L) continue;  // Past INT64_MAX from the start.
      const int64_t want = start + static_cast<int64_t>(std::floor(offset));
      EXPECT_EQ(p.Deadline(k), want) << rate << " " << k;
      EXPECT_EQ(p.Due(want), k + 1) << rate << " " << k;
      EXPECT_EQ(p.Due(want - 1), k) << rate << " " << k;
    }
  }
}

TEST(PacerTest, IntegerPathKeepsCountAndSent) {
  Pacer p(25, 0, 3);
  EXPECT_EQ(p.Due(kSec), 3u);  // 26 deadlines passed, the run has 3.
  p.MarkSent(2);
  EXPECT_EQ(p.Due(kSec), 1u);
  EXPECT_EQ(p.NextDeadline(), 80'000'000);
  p.MarkSent(1);
  EXPECT_EQ(p.Due(kSec), 0u);
  EXPECT_TRUE(p.done());
}

TEST(PacerTest, PacketsForDuration) {
  EXPECT_EQ(PacketsForDuration(600, 25), 15000u);
  EXPECT_EQ(PacketsForDuration(10, 3), 30u);
  EXPECT_EQ(PacketsForDuration(1, 2.5), 3u);  // at 0, 0.4, 0.8 s
  EXPECT_EQ(PacketsForDuration(0.001, 1), 1u);
}

}  // namespace
}  // namespace mcast::probe
