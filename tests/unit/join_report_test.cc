#include "cli/join_report.h"

#include <gtest/gtest.h>

namespace mcast::cli {
namespace {

ZapResult Sample(int64_t latency_ms) {
  probe::JoinSample s;
  s.join_real_ns = 1'000'000'000;
  s.first_packet_real_ns = s.join_real_ns + latency_ms * 1'000'000;
  return s;
}

TEST(JoinReportTest, ZapSummaryNearestRank) {
  std::vector<ZapResult> r;
  for (int ms : {9, 1, 5, 3, 7, 2, 8, 4, 6, 10}) r.push_back(Sample(ms));
  r.push_back(std::nullopt);  // No packet before the stall timeout.
  const ZapSummary s = SummarizeZap(r);
  EXPECT_EQ(s.joins, 11);
  EXPECT_EQ(s.answered, 10);
  EXPECT_DOUBLE_EQ(s.min_seconds, 0.001);
  EXPECT_DOUBLE_EQ(s.median_seconds, 0.005);  // Rank ceil(0.5 * 10) = 5.
  EXPECT_DOUBLE_EQ(s.p95_seconds, 0.010);     // Rank ceil(9.5) = 10.
  EXPECT_DOUBLE_EQ(s.max_seconds, 0.010);
  const nlohmann::ordered_json j = ZapJson(r, 2.0);
  EXPECT_EQ(j["missed"], 1);
  EXPECT_EQ(j["samples"].size(), 11u);
  EXPECT_TRUE(j["samples"][10]["latency_seconds"].is_null());
  EXPECT_EQ(j["samples"][0]["join"], 1);
  EXPECT_EQ(ZapText(r, 3),
            "Zap      11 joins, 10 answered: min 1.0 ms, median 5.0 ms, p95 "
            "10.0 ms, max 10.0 ms; 1 without a packet within 3 s\n");
}

TEST(JoinReportTest, NoAnsweredJoin) {
  const std::vector<ZapResult> r = {std::nullopt, std::nullopt};
  const nlohmann::ordered_json j = ZapJson(r, 1.0);
  EXPECT_EQ(j["answered"], 0);
  EXPECT_TRUE(j["median_seconds"].is_null());
  EXPECT_EQ(SummarizeZap({}).joins, 0);
}

TEST(JoinReportTest, JoinLatencyPerJoin) {
  probe::JoinLatency join;
  EXPECT_EQ(JoinText(join),
            "Join     waiting for the first packet (0 joins)\n");
  join.OnJoin(1'000'000'000);
  EXPECT_TRUE(join.pending());
  join.OnFirstPacket(1'012'000'000, 1'011'000'000, true, 42);
  EXPECT_FALSE(join.pending());
  join.OnFirstPacket(1'500'000'000, 0, true, 43);  // Not a first packet.
  EXPECT_EQ(join.histogram().count, 1u);
  EXPECT_EQ(join.last()->latency_ns(), 12'000'000);
  EXPECT_EQ(JoinText(join), "Join     12.0 ms to the first packet (1 join)\n");
  nlohmann::ordered_json j = JoinJson(join);
  EXPECT_EQ(j["first_packet_sender_timestamp_ns"], 1'011'000'000u);
  EXPECT_EQ(j["first_packet_sequence"], 42u);
  // A re-join without a packet, then a leave: unanswered.
  join.OnJoin(2'000'000'000);
  join.OnLeave();
  join.OnFirstPacket(2'100'000'000, 0, false, 1);
  EXPECT_EQ(join.joins(), 2u);
  EXPECT_EQ(join.histogram().count, 1u);
  // A packet queued before the join's clock read counts as 0, not negative.
  join.OnJoin(3'000'000'000);
  join.OnFirstPacket(2'999'000'000, 0, false, 2);
  EXPECT_EQ(join.last()->latency_ns(), 0);
}

}  // namespace
}  // namespace mcast::cli
