#include "probe/pacer.h"

#include <gtest/gtest.h>

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

TEST(PacerTest, PacketsForDuration) {
  EXPECT_EQ(PacketsForDuration(600, 25), 15000u);
  EXPECT_EQ(PacketsForDuration(10, 3), 30u);
  EXPECT_EQ(PacketsForDuration(1, 2.5), 3u);  // at 0, 0.4, 0.8 s
  EXPECT_EQ(PacketsForDuration(0.001, 1), 1u);
}

}  // namespace
}  // namespace mcast::probe
