#include "streams/stream_flow.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "streams/sequence_extender.h"
#include "streams/stream_table.h"
#include "ts_packet_builder.h"

namespace mcast::streams {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kSec = 1'000'000'000;

inet::IpAddress Addr(const char* text) { return *inet::IpAddress::Parse(text); }

std::vector<uint8_t> Rtp(uint16_t seq, uint32_t ts, uint32_t ssrc,
                         uint8_t pt = 96, size_t payload = 100) {
  std::vector<uint8_t> d = {0x80,
                            pt,
                            static_cast<uint8_t>(seq >> 8),
                            static_cast<uint8_t>(seq),
                            static_cast<uint8_t>(ts >> 24),
                            static_cast<uint8_t>(ts >> 16),
                            static_cast<uint8_t>(ts >> 8),
                            static_cast<uint8_t>(ts),
                            static_cast<uint8_t>(ssrc >> 24),
                            static_cast<uint8_t>(ssrc >> 16),
                            static_cast<uint8_t>(ssrc >> 8),
                            static_cast<uint8_t>(ssrc)};
  d.resize(d.size() + payload, 0x11);
  return d;
}

std::vector<uint8_t> Mold(const std::string& session, uint64_t seq,
                          uint16_t count, uint16_t message_len = 4) {
  std::vector<uint8_t> d(10, ' ');
  for (size_t i = 0; i < session.size() && i < 10; ++i) d[i] = session[i];
  for (int i = 7; i >= 0; --i)
    d.push_back(static_cast<uint8_t>(seq >> (8 * i)));
  d.push_back(static_cast<uint8_t>(count >> 8));
  d.push_back(static_cast<uint8_t>(count));
  if (count != 0 && count != 0xFFFF) {
    for (uint16_t m = 0; m < count; ++m) {
      d.push_back(static_cast<uint8_t>(message_len >> 8));
      d.push_back(static_cast<uint8_t>(message_len));
      d.resize(d.size() + message_len, 0x42);
    }
  }
  return d;
}

// Feeds datagrams 1 ms apart.
class Flow {
 public:
  explicit Flow(DecodeSpec decode)
      : flow_(Options(decode), Addr("10.1.1.9"), 5004) {}
  static StreamOptions Options(DecodeSpec decode) {
    StreamOptions o;
    o.decode = decode;
    return o;
  }
  void Send(const std::vector<uint8_t>& d) {
    flow_.OnDatagram(d, t_, t_);
    t_ += kMs;
  }
  StreamSnapshot Snap() {
    flow_.Finish();
    return flow_.Snapshot(t_);
  }
  StreamFlow flow_;
  int64_t t_ = kSec;
};

DecodeSpec Mode(DecodeMode m) {
  DecodeSpec d;
  d.mode = m;
  return d;
}

TEST(SequenceExtenderTest, SixteenBitsAcrossWraps) {
  SequenceExtender e(16);
  EXPECT_EQ(e.Extend(65534), 65534u);
  EXPECT_EQ(e.Extend(65535), 65535u);
  EXPECT_EQ(e.Extend(0), 65536u);
  EXPECT_EQ(e.Extend(65535), 65535u);  // Reordered from before the wrap.
  EXPECT_EQ(e.Extend(1), 65537u);
  // Less than half the space ahead is forward, exactly half is behind.
  EXPECT_EQ(e.Extend(32768), 65537u + 32767u);
  EXPECT_EQ(e.Extend(65537u + 32767u + 32768u), 65537u + 32767u - 32768u);
  EXPECT_EQ(e.highest(), 65537u + 32767u);
}

TEST(SequenceExtenderTest, BehindTheFirstGoesBelowZeroModulo) {
  SequenceExtender e(16);
  EXPECT_EQ(e.Extend(0), 0u);
  EXPECT_EQ(e.Extend(65535), ~uint64_t{0});  // One behind 0.
  SequenceExtender b(8);
  EXPECT_EQ(b.Extend(250), 250u);
  EXPECT_EQ(b.Extend(4), 260u);
  SequenceExtender w(64);
  EXPECT_EQ(w.Extend(~uint64_t{0}), ~uint64_t{0});
  EXPECT_EQ(w.Extend(3), 3u);
}

TEST(StreamFlowTest, AutoClassifiesRtpAndCountsLossDupReorder) {
  Flow f(Mode(DecodeMode::kAuto));
  // 0 1 3 2 2 5 (4 lost), then 6..9.
  for (uint16_t s : {0, 1, 3, 2, 2, 5, 6, 7, 8, 9})
    f.Send(Rtp(s, s * 3000u, 0xAABBCCDD));
  StreamSnapshot s = f.Snap();
  EXPECT_EQ(s.kind, StreamKind::kRtp);
  EXPECT_EQ(s.packets, 10u);
  EXPECT_EQ(s.bytes, 10u * 112);
  EXPECT_EQ(s.sequence.received, 10u);
  EXPECT_EQ(s.sequence.unique, 9u);
  EXPECT_EQ(s.sequence.duplicates, 1u);
  EXPECT_EQ(s.sequence.reordered, 1u);
  EXPECT_EQ(s.sequence.max_reorder_extent, 1u);
  EXPECT_EQ(s.sequence.lost, 1u);
  EXPECT_EQ(s.restarts, 0u);
  EXPECT_EQ(s.ssrc, 0xAABBCCDDu);
  EXPECT_EQ(s.payload_type, 96);
  EXPECT_EQ(s.first_seq, 0u);
  EXPECT_EQ(s.last_seq, 9u);
}

TEST(StreamFlowTest, RtpSequenceWrapIsNotLossAndLossAcrossItIsExact) {
  Flow f(Mode(DecodeMode::kRtp));
  for (uint32_t s = 65530; s < 65536 + 5; ++s) {
    if (s == 65535 || s == 65537) continue;  // Two lost, one each side.
    f.Send(Rtp(static_cast<uint16_t>(s), s * 3000u, 7));
  }
  StreamSnapshot s = f.Snap();
  EXPECT_EQ(s.sequence.unique, 9u);
  EXPECT_EQ(s.sequence.lost, 2u);
  EXPECT_EQ(s.sequence.duplicates, 0u);
  EXPECT_EQ(s.sequence.reordered, 0u);
  EXPECT_EQ(s.sequence.discontinuities, 0u);
  EXPECT_EQ(s.last_seq, 65536u + 4);
}

TEST(StreamFlowTest, NewSsrcIsARestartNotLoss) {
  Flow f(Mode(DecodeMode::kRtp));
  for (uint16_t s = 100; s < 110; ++s) {
    if (s == 105) continue;
    f.Send(Rtp(s, 0, 1));
  }
  // The encoder restarts far away in the number space.
  for (uint16_t s = 40000; s < 40004; ++s) f.Send(Rtp(s, 0, 2));
  StreamSnapshot s = f.Snap();
  EXPECT_EQ(s.restarts, 1u);
  EXPECT_EQ(s.ssrc, 2u);
  EXPECT_EQ(s.sequence.unique, 13u);
  EXPECT_EQ(s.sequence.lost, 1u);  // 105 only; the jump is not loss.
  EXPECT_EQ(s.first_seq, 40000u);
  EXPECT_EQ(s.last_seq, 40003u);
}

TEST(StreamFlowTest, RtpVersionNotTwoIsUndecodable) {
  Flow f(Mode(DecodeMode::kRtp));
  f.Send(Rtp(1, 0, 1));
  std::vector<uint8_t> bad = Rtp(2, 0, 1);
  bad[0] = 0x40;  // Version 1.
  f.Send(bad);
  f.Send(Rtp(3, 0, 1));
  StreamSnapshot s = f.Snap();
  EXPECT_EQ(s.packets, 3u);
  EXPECT_EQ(s.undecodable, 1u);
  EXPECT_EQ(s.sequence.received, 2u);
  EXPECT_EQ(s.sequence.lost, 1u);
}

TEST(StreamFlowTest, RtpJitterFollowsRfc3550A8Exactly) {
  // Clock 1 kHz: arrival in ms, exact. Transit changes: 0, +2, -2, +4.
  DecodeSpec d = Mode(DecodeMode::kRtp);
  d.rtp_clock_rate = 1000;
  StreamFlow flow(Flow::Options(d), Addr("10.1.1.9"), 5004);
  const int64_t arrivals_ms[] = {1000, 1020, 1042, 1060, 1084};
  for (int i = 0; i < 5; ++i) {
    flow.OnDatagram(Rtp(static_cast<uint16_t>(i), 50000u + 20u * i, 9),
                    arrivals_ms[i] * kMs, arrivals_ms[i] * kMs);
  }
  double j = 0;
  for (int d_abs : {0, 2, 2, 4}) j += (d_abs - j) / 16.0;
  EXPECT_DOUBLE_EQ(flow.Snapshot(1084 * kMs).jitter_seconds, j / 1000.0);
}

TEST(StreamFlowTest, RtpJitterAt90kHzDefault) {
  StreamFlow flow(Flow::Options(Mode(DecodeMode::kRtp)), Addr("10.1.1.9"), 1);
  // Whole seconds of arrival are exact in 90 kHz units.
  flow.OnDatagram(Rtp(0, 0, 9), 10 * kSec, 10 * kSec);
  flow.OnDatagram(Rtp(1, 90000 - 900, 9), 11 * kSec, 11 * kSec);  // D = 900
  EXPECT_DOUBLE_EQ(flow.Snapshot(11 * kSec).jitter_seconds,
                   (900.0 / 16.0) / 90000.0);
}

TEST(StreamFlowTest, TsOverRtpGetsBothDecoders) {
  Flow f(Mode(DecodeMode::kAuto));
  using ts_test::TsDatagram;
  using ts_test::TsSpec;
  for (uint16_t s : {0, 1, 3}) {
    f.Send(ts_test::RtpWrap(
        TsDatagram({{.pid = 0x100, .cc = static_cast<uint8_t>(s & 15)}}), s));
  }
  StreamSnapshot s = f.Snap();
  EXPECT_EQ(s.kind, StreamKind::kMpegTsRtp);
  EXPECT_EQ(s.sequence.lost, 1u);
  ASSERT_TRUE(s.ts.has_value());
  EXPECT_EQ(s.ts->continuity_count_errors, 1u);
  EXPECT_EQ(s.ts->ts_packets, 3u);
}

TEST(StreamFlowTest, TsOverUdpInAuto) {
  Flow f(Mode(DecodeMode::kAuto));
  f.Send(ts_test::TsDatagram({{.pid = 0x100, .cc = 0}}));
  f.Send(ts_test::TsDatagram({{.pid = 0x100, .cc = 2}}));
  StreamSnapshot s = f.Snap();
  EXPECT_EQ(s.kind, StreamKind::kMpegTsUdp);
  ASSERT_TRUE(s.ts.has_value());
  EXPECT_EQ(s.ts->continuity_count_errors, 1u);
  EXPECT_EQ(s.sequence.received, 0u);
}

TEST(StreamFlowTest, UnknownStaysCountedOnly) {
  Flow f(Mode(DecodeMode::kAuto));
  f.Send({1, 2, 3});
  f.Send({4, 5, 6, 7});
  StreamSnapshot s = f.Snap();
  EXPECT_EQ(s.kind, StreamKind::kUnknown);
  EXPECT_EQ(s.packets, 2u);
  EXPECT_EQ(s.bytes, 7u);
  EXPECT_EQ(s.undecodable, 0u);
  Flow p(Mode(DecodeMode::kProbe));
  p.Send(Rtp(1, 0, 1));
  EXPECT_EQ(p.Snap().kind, StreamKind::kUnknown);
}

std::vector<uint8_t> SeqDatagram(uint64_t v, uint32_t offset, uint32_t width,
                                 bool le) {
  std::vector<uint8_t> d(offset + width + 3, 0xEE);
  for (uint32_t i = 0; i < width; ++i) {
    const uint8_t byte = static_cast<uint8_t>(v >> (8 * (width - 1 - i)));
    d[offset + (le ? width - 1 - i : i)] = byte;
  }
  return d;
}

TEST(StreamFlowTest, GenericSequenceEveryWidthAndOrder) {
  for (uint32_t width : {1u, 2u, 4u, 8u}) {
    for (bool le : {false, true}) {
      DecodeSpec d = Mode(DecodeMode::kSeq);
      d.seq_offset = 3;
      d.seq_width = width;
      d.seq_little_endian = le;
      Flow f(d);
      // Start 3 below the width's wrap; 0 1 ... with 2 lost, 4 duplicated,
      // 6 before 5.
      const uint64_t top =
          width == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * width)) - 1;
      const uint64_t start = top - 2;
      for (uint64_t k : {0, 1, 3, 4, 4, 6, 5, 7}) {
        f.Send(SeqDatagram(start + k, 3, width, le));
      }
      f.Send({1, 2});  // Too short for the field.
      StreamSnapshot s = f.Snap();
      SCOPED_TRACE(testing::Message() << "width " << width << " le " << le);
      EXPECT_EQ(s.kind, StreamKind::kSequenced);
      EXPECT_EQ(s.sequence.received, 8u);
      EXPECT_EQ(s.sequence.unique, 7u);
      EXPECT_EQ(s.sequence.duplicates, 1u);
      EXPECT_EQ(s.sequence.reordered, 1u);
      EXPECT_EQ(s.sequence.lost, 1u);
      EXPECT_EQ(s.undecodable, 1u);
      EXPECT_EQ(s.last_seq - s.first_seq, 7u);
    }
  }
}

TEST(StreamFlowTest, MoldUdp64CountsMessagesAndHeartbeats) {
  Flow f(Mode(DecodeMode::kMoldUdp64));
  f.Send(Mold("SESSION01", 1, 3));        // 1 2 3
  f.Send(Mold("SESSION01", 4, 0));        // heartbeat: no advance
  f.Send(Mold("SESSION01", 4, 2));        // 4 5
  f.Send(Mold("SESSION01", 9, 1));        // 6 7 8 lost
  f.Send(Mold("SESSION01", 4, 2));        // duplicate 4 5
  f.Send(Mold("SESSION01", 7, 1));        // 7 late-but-pending: reordered
  f.Send(Mold("SESSION01", 10, 0xFFFF));  // end of session
  StreamSnapshot s = f.Snap();
  EXPECT_EQ(s.kind, StreamKind::kMoldUdp64);
  EXPECT_EQ(s.packets, 7u);
  EXPECT_EQ(s.heartbeats, 2u);
  EXPECT_TRUE(s.end_of_session);
  EXPECT_EQ(s.session, "SESSION01");
  EXPECT_EQ(s.sequence.received, 9u);
  EXPECT_EQ(s.sequence.unique, 7u);
  EXPECT_EQ(s.sequence.duplicates, 2u);
  EXPECT_EQ(s.sequence.reordered, 1u);
  EXPECT_EQ(s.sequence.lost, 2u);  // 6 and 8.
  EXPECT_EQ(s.last_seq, 9u);
}

TEST(StreamFlowTest, MoldUdp64NewSessionIsARestartAndBadCountUndecodable) {
  Flow f(Mode(DecodeMode::kMoldUdp64));
  f.Send(Mold("A", 1, 2));
  f.Send(Mold("A", 5, 1));  // 3 4 lost
  f.Send(Mold("B", 1, 1));  // new session: numbering starts again
  f.Send(Mold("B", 2, 1));
  std::vector<uint8_t> bad = Mold("B", 3, 2);
  bad.resize(bad.size() - 3);  // Second message block cut short.
  f.Send(bad);
  f.Send({1, 2, 3});
  StreamSnapshot s = f.Snap();
  EXPECT_EQ(s.restarts, 1u);
  EXPECT_EQ(s.session, "B");
  EXPECT_EQ(s.undecodable, 2u);
  EXPECT_EQ(s.sequence.unique, 5u);
  EXPECT_EQ(s.sequence.lost, 2u);
}

TEST(StreamFlowTest, StallsAndRate) {
  StreamFlow flow(Flow::Options(Mode(DecodeMode::kAuto)), Addr("10.0.0.1"), 9);
  int64_t t = kSec;
  // 1000 bytes every 10 ms for 2 s: 800 kbit/s.
  for (int i = 0; i <= 200; ++i, t += 10 * kMs) {
    flow.OnDatagram(std::vector<uint8_t>(1000, 1), t, t);
    flow.Tick(t);
  }
  StreamSnapshot s = flow.Snapshot(t);
  EXPECT_DOUBLE_EQ(s.bit_rate_bps, 800000.0);
  EXPECT_EQ(s.state, stats::FlowState::kReceiving);
  flow.Tick(t + 4 * kSec);  // Default stall timeout 3 s.
  s = flow.Snapshot(t + 4 * kSec);
  EXPECT_EQ(s.state, stats::FlowState::kStalled);
  EXPECT_EQ(s.stalls, 1u);
  EXPECT_EQ(s.bit_rate_bps, 0);  // Stale.
}

TEST(StreamTableTest, BoundedWithEvictionsCountedInTotals) {
  StreamTableOptions o;
  o.max_streams = 2;
  StreamTable table(o);
  const inet::IpAddress a = Addr("10.0.0.1");
  int64_t t = kSec;
  // A long-lived RTP stream on port 1.
  for (uint16_t s = 0; s < 20; ++s, t += kMs) {
    table.OnDatagram(a, 1, Rtp(s, 0, 1), t, t);
  }
  // A flood of one-datagram sources.
  for (uint16_t port = 100; port < 110; ++port, t += kMs) {
    table.OnDatagram(a, port, {1, 2, 3}, t, t);
  }
  table.OnDatagram(a, 1, Rtp(20, 0, 1), t, t);
  StreamTableSnapshot s = table.Snapshot(t);
  ASSERT_EQ(s.streams.size(), 2u);
  EXPECT_EQ(s.evicted, 9u);
  EXPECT_EQ(s.streams[0].port, 1);
  EXPECT_EQ(s.streams[0].packets, 21u);
  EXPECT_EQ(s.streams[1].port, 109);
  EXPECT_EQ(s.packets, 31u);
  EXPECT_EQ(s.bytes, 21u * 112 + 30);
  EXPECT_EQ(s.sequence.unique, 21u);
}

}  // namespace
}  // namespace mcast::streams

namespace mcast::stats {
namespace {

TEST(SequenceTrackerResetTest, ResetIsAFreshTracker) {
  SequenceTracker t(SequenceTracker::Options{});
  for (uint64_t s : {5, 7, 6, 6, 9}) t.OnPacket(s, 1000);
  t.Reset();
  EXPECT_EQ(t.counters(), SequenceCounters{});
  EXPECT_FALSE(t.started());
  SequenceTracker fresh(SequenceTracker::Options{});
  for (uint64_t s : {100, 102, 101, 104}) {
    EXPECT_EQ(t.OnPacket(s, 2000), fresh.OnPacket(s, 2000));
  }
  t.Finish();
  fresh.Finish();
  EXPECT_EQ(t.counters(), fresh.counters());
  EXPECT_EQ(t.counters().lost, 1u);
}

}  // namespace
}  // namespace mcast::stats
