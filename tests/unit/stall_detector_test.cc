#include "stats/stall_detector.h"

#include <gtest/gtest.h>

namespace mcast::stats {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kSec = 1'000'000'000;

TEST(StallDetectorTest, StallAndRecoveryWithFakeClock) {
  StallDetector d(3 * kSec);
  EXPECT_EQ(d.state(), FlowState::kWaiting);
  int64_t t = 0;
  for (; t <= 1 * kSec; t += 40 * kMs) {
    d.OnPacket(t, t + 5);
    d.Tick(t);
  }
  const int64_t last = t - 40 * kMs;
  EXPECT_EQ(d.state(), FlowState::kReceiving);
  d.Tick(last + 3 * kSec - 1);
  EXPECT_EQ(d.state(), FlowState::kReceiving);
  d.Tick(last + 3 * kSec);
  EXPECT_EQ(d.state(), FlowState::kStalled);
  EXPECT_EQ(d.stalls(), 1u);
  EXPECT_EQ(d.StalledNs(last + 4 * kSec), 4 * kSec);
  auto log = d.GapLog();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_TRUE(log[0].ongoing());
  EXPECT_EQ(log[0].start_mono_ns, last);
  EXPECT_EQ(log[0].start_real_ns, last + 5);

  d.OnPacket(last + 5 * kSec, 0);  // Traffic is back after a 5 s gap.
  EXPECT_EQ(d.state(), FlowState::kReceiving);
  log = d.GapLog();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_FALSE(log[0].ongoing());
  EXPECT_EQ(log[0].DurationNs(0), 5 * kSec);
  EXPECT_EQ(d.StalledNs(last + 100 * kSec), 5 * kSec);
  EXPECT_EQ(d.stalls(), 1u);
}

TEST(StallDetectorTest, GapSeenOnlyByNextPacketStillCounts) {
  StallDetector d(1 * kSec);
  d.OnPacket(0, 0);
  d.OnPacket(2 * kSec, 0);  // No Tick in between.
  EXPECT_EQ(d.stalls(), 1u);
  EXPECT_EQ(d.state(), FlowState::kReceiving);
  EXPECT_EQ(d.StalledNs(10 * kSec), 2 * kSec);
  d.OnPacket(2 * kSec + 999 * kMs, 0);  // Just under the timeout.
  EXPECT_EQ(d.stalls(), 1u);
}

TEST(StallDetectorTest, LogIsBounded) {
  StallDetector d(1 * kSec, /*log_capacity=*/4);
  int64_t t = 0;
  for (int i = 0; i < 10; ++i) {
    d.OnPacket(t, i);
    t += 2 * kSec;
    d.Tick(t);
  }
  d.OnPacket(t, 10);
  EXPECT_EQ(d.stalls(), 10u);
  auto log = d.GapLog();
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log.front().start_real_ns, 6);  // Oldest kept is the 7th gap.
  EXPECT_EQ(log.back().start_real_ns, 9);
}

}  // namespace
}  // namespace mcast::stats
