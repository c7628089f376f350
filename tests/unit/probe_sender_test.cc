#include "probe/probe_sender.h"

#include <gtest/gtest.h>

#include <vector>

#include "absl/status/status.h"

namespace mcast::probe {
namespace {

constexpr int64_t kMs = 1'000'000;

class RecordingSink : public DatagramSink {
 public:
  absl::StatusOr<int> SendBatch(
      absl::Span<const absl::Span<const uint8_t>> datagrams) override {
    ++calls;
    if (fail_next > 0) {
      --fail_next;
      return absl::UnavailableError("No buffer space available");
    }
    size_t n = std::min(datagrams.size(), max_per_call);
    for (size_t i = 0; i < n; ++i) {
      sent.emplace_back(datagrams[i].begin(), datagrams[i].end());
    }
    return static_cast<int>(n);
  }
  std::vector<std::vector<uint8_t>> sent;
  int fail_next = 0;
  size_t max_per_call = 1000;
  int calls = 0;
};

packet::Header Decode(const std::vector<uint8_t>& d) {
  packet::Header h;
  EXPECT_EQ(packet::DecodeHeader(d, &h), packet::DecodeResult::kOk);
  return h;
}

TEST(ProbeSenderTest, SendsPacedContiguousPacketsWithLastFlag) {
  RecordingSink sink;
  ProbeSenderOptions o;
  o.packets_per_second = 100;
  o.datagram_size = 64;
  o.ttl = 7;
  o.dscp = 46;
  o.count = 10;
  o.sender_id = 0xfeed;
  ProbeSender s(o, &sink, 0);
  auto next = s.SendDue(0);
  ASSERT_EQ(sink.sent.size(), 1u);
  EXPECT_EQ(*next, 10 * kMs);
  next = s.SendDue(55 * kMs);  // 5 more are due (10..50 ms).
  EXPECT_EQ(sink.sent.size(), 6u);
  EXPECT_EQ(*next, 60 * kMs);
  EXPECT_FALSE(s.SendDue(1000 * kMs).has_value());  // Run complete.
  ASSERT_EQ(sink.sent.size(), 10u);
  for (size_t i = 0; i < 10; ++i) {
    packet::Header h = Decode(sink.sent[i]);
    EXPECT_EQ(h.sequence, i);
    EXPECT_EQ(h.sender_id, 0xfeedu);
    EXPECT_EQ(h.ttl, 7);
    EXPECT_EQ(h.dscp, 46);
    EXPECT_EQ(h.interval_us, 10000u);
    EXPECT_EQ(h.last_packet(), i == 9);
    EXPECT_FALSE(h.realtime_clock());
    EXPECT_EQ(sink.sent[i].size(), 64u);
    EXPECT_EQ(sink.sent[i].back(), packet::kPaddingByte);
  }
  EXPECT_EQ(s.counters().packets, 10u);
  EXPECT_EQ(s.counters().bytes, 640u);
  EXPECT_EQ(s.counters().errors, 0u);
}

TEST(ProbeSenderTest, LateWakeupSendsInBatches) {
  RecordingSink sink;
  ProbeSenderOptions o;
  o.packets_per_second = 100000;
  ProbeSender s(o, &sink, 0);
  auto next = s.SendDue(5 * kMs - 1);  // 500 due
  EXPECT_EQ(sink.sent.size(), 500u);
  EXPECT_EQ(sink.calls, 8);  // ceil(500 / 64)
  // The next packet is due 1 ns later, but wake-ups are spaced.
  EXPECT_EQ(*next, 5 * kMs - 1 + o.min_wake_spacing_ns);
}

TEST(ProbeSenderTest, HighRateWakeUpsAreSpacedAndCarryBatches) {
  RecordingSink sink;
  ProbeSenderOptions o;
  o.packets_per_second = 100000;  // 10 us apart
  o.min_wake_spacing_ns = 50'000;
  ProbeSender s(o, &sink, 0);
  auto next = s.SendDue(0);
  EXPECT_EQ(sink.sent.size(), 1u);
  EXPECT_EQ(*next, 50'000);  // Not 10 us: the spacing.
  next = s.SendDue(*next);   // Deadlines 10..50 us: one batch of 5.
  EXPECT_EQ(sink.sent.size(), 6u);
  EXPECT_EQ(sink.calls, 2);
  EXPECT_EQ(*next, 100'000);
  // A late wake-up: the spacing counts from when the call happened.
  next = s.SendDue(130'000);  // 60..130 us: 8 more.
  EXPECT_EQ(sink.sent.size(), 14u);
  EXPECT_EQ(*next, 180'000);
  // The average rate holds: 5 ms in, 501 packets (0..5 ms) are out.
  for (int64_t t = *next; t <= 5 * kMs; t = *s.SendDue(t)) {
  }
  s.SendDue(5 * kMs);
  EXPECT_EQ(s.counters().packets, 501u);
  for (size_t i = 0; i < sink.sent.size(); ++i) {
    EXPECT_EQ(Decode(sink.sent[i]).sequence, i);
  }
}

TEST(ProbeSenderTest, LowRateKeepsOneWakeUpPerPacket) {
  RecordingSink sink;
  ProbeSenderOptions o;
  o.packets_per_second = 10000;  // 100 us apart, above the 50 us spacing
  o.min_wake_spacing_ns = 50'000;
  ProbeSender s(o, &sink, 0);
  EXPECT_EQ(*s.SendDue(0), 100'000);
  EXPECT_EQ(*s.SendDue(100'000), 200'000);
  EXPECT_EQ(sink.sent.size(), 2u);
}

TEST(ProbeSenderTest, ZeroSpacingWakesAtEveryDeadline) {
  RecordingSink sink;
  ProbeSenderOptions o;
  o.packets_per_second = 100000;
  o.min_wake_spacing_ns = 0;
  ProbeSender s(o, &sink, 0);
  EXPECT_EQ(*s.SendDue(0), 10'000);
  EXPECT_EQ(*s.SendDue(10'000), 20'000);
}

TEST(ProbeSenderTest, StillBehindAfterMaxPerCallComesBackAtOnce) {
  RecordingSink sink;
  ProbeSenderOptions o;
  o.packets_per_second = 1'000'000;
  ProbeSender s(o, &sink, 0);
  auto next = s.SendDue(10 * kMs);  // 10001 due
  EXPECT_EQ(sink.sent.size(), ProbeSender::kMaxPerCall);
  EXPECT_EQ(*next, 10 * kMs);  // Now, not now + spacing.
}

TEST(ProbeSenderTest, RefusedBatchesAreErrorsAndSequenceStaysContiguous) {
  RecordingSink sink;
  ProbeSenderOptions o;
  o.packets_per_second = 1000;
  ProbeSender s(o, &sink, 0);
  s.SendDue(2 * kMs);  // 3 sent
  sink.fail_next = 1;
  s.SendDue(4 * kMs);  // 2 due, refused
  s.SendDue(6 * kMs);  // 2 due, sent
  EXPECT_EQ(s.counters().errors, 2u);
  EXPECT_EQ(s.counters().last_error, "No buffer space available");
  ASSERT_EQ(sink.sent.size(), 5u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(Decode(sink.sent[i]).sequence, i);
}

TEST(ProbeSenderTest, PartialBatchIsCompleted) {
  RecordingSink sink;
  sink.max_per_call = 3;
  ProbeSenderOptions o;
  o.packets_per_second = 1000;
  ProbeSender s(o, &sink, 0);
  s.SendDue(9 * kMs);
  ASSERT_EQ(sink.sent.size(), 10u);
  for (size_t i = 0; i < 10; ++i) EXPECT_EQ(Decode(sink.sent[i]).sequence, i);
}

TEST(ProbeSenderTest, RandomIdIsNonZeroAndRealtimeFlag) {
  RecordingSink sink;
  ProbeSenderOptions o;
  o.realtime_clock = true;
  ProbeSender s(o, &sink, 0);
  EXPECT_NE(s.sender_id(), 0u);
  s.SendDue(0);
  EXPECT_TRUE(Decode(sink.sent[0]).realtime_clock());
}

// PrepareDue/CommitPrepared: what a cross-flow scheduler does with one
// sender's share of a shared sendmmsg.
TEST(ProbeSenderTest, PrepareCommitCountsOnlyWhatLeft) {
  RecordingSink sink;  // Unused: the scheduler sends.
  ProbeSenderOptions o;
  o.packets_per_second = 1000;
  o.datagram_size = 64;
  o.sender_id = 7;
  o.min_wake_spacing_ns = 0;
  ProbeSender s(o, &sink, 0);
  // 10 packets due at 9 ms (0..9 ms).
  absl::Span<const absl::Span<const uint8_t>> v = s.PrepareDue(9 * kMs);
  ASSERT_EQ(v.size(), 10u);
  for (size_t i = 0; i < v.size(); ++i) {
    std::vector<uint8_t> d(v[i].begin(), v[i].end());
    EXPECT_EQ(Decode(d).sequence, i);
  }
  // 4 left, then the socket refused the 5th: 6 errors, slots skipped.
  s.CommitPrepared(4, "sendmmsg to 239.1.1.1: No such device");
  EXPECT_EQ(s.counters().packets, 4u);
  EXPECT_EQ(s.counters().bytes, 4u * 64);
  EXPECT_EQ(s.counters().errors, 6u);
  EXPECT_EQ(s.counters().last_error, "sendmmsg to 239.1.1.1: No such device");
  EXPECT_EQ(s.pacer().sent(), 10u);
  EXPECT_EQ(*s.NextWake(9 * kMs), 10 * kMs);
  // Nothing more is due before 10 ms.
  EXPECT_TRUE(s.PrepareDue(9 * kMs).empty());
  s.CommitPrepared(0, "unused");
  EXPECT_EQ(s.counters().errors, 6u);
  // The next packet carries the next number after the 4 that left.
  v = s.PrepareDue(10 * kMs);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(Decode(std::vector<uint8_t>(v[0].begin(), v[0].end())).sequence,
            4u);
  s.CommitPrepared(1, {});
  EXPECT_EQ(s.counters().packets, 5u);
  EXPECT_EQ(s.counters().errors, 6u);
  EXPECT_TRUE(sink.sent.empty());
}

TEST(ProbeSenderTest, PrepareTakesAtMostOneBatchAndComesBackAtOnce) {
  RecordingSink sink;
  ProbeSenderOptions o;
  o.packets_per_second = 1e6;
  ProbeSender s(o, &sink, 0);
  const int64_t now = 1000 * 1000;  // 1001 packets due.
  EXPECT_EQ(s.PrepareDue(now).size(), ProbeSender::kBatch);
  s.CommitPrepared(ProbeSender::kBatch, {});
  EXPECT_EQ(*s.NextWake(now), now);  // Still behind: again at once.
  EXPECT_EQ(s.counters().packets, ProbeSender::kBatch);
}

TEST(ProbeSenderTest, PrepareCommitEndsAFiniteRunWithTheLastFlag) {
  RecordingSink sink;
  ProbeSenderOptions o;
  o.packets_per_second = 100;
  o.count = 3;
  ProbeSender s(o, &sink, 0);
  absl::Span<const absl::Span<const uint8_t>> v = s.PrepareDue(100 * kMs);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_TRUE(
      Decode(std::vector<uint8_t>(v[2].begin(), v[2].end())).last_packet());
  s.CommitPrepared(3, {});
  EXPECT_FALSE(s.NextWake(100 * kMs).has_value());
  EXPECT_TRUE(s.done());
}

}  // namespace
}  // namespace mcast::probe
