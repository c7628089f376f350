#include "streams/mpegts_analyzer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "ts_packet_builder.h"

namespace mcast::streams {
namespace {

using ::mcast::ts_test::RtpWrap;
using ::mcast::ts_test::TsDatagram;
using ::mcast::ts_test::TsPacket;
using ::mcast::ts_test::TsSpec;

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kSec = 1'000'000'000;

// Feeds one packet per datagram, 10 ms apart, with a PAT in front of each
// so that only what a test sets up can be a PAT error.
class Feeder {
 public:
  explicit Feeder(MpegTsLimits limits = {}) : a_(limits) {}

  void Send(const TsSpec& s) {
    a_.OnDatagram(TsDatagram({Pat(), s}), t_);
    t_ += 10 * kMs;
  }
  void Ccs(uint16_t pid, std::initializer_list<int> ccs) {
    for (int cc : ccs) Send({.pid = pid, .cc = static_cast<uint8_t>(cc)});
  }
  MpegTsSnapshot Snap() const { return a_.Snapshot(t_); }
  const MpegTsPidSnapshot* Pid(uint32_t pid) const {
    snap_ = Snap();
    for (const auto& p : snap_.pids) {
      if (p.pid == pid) return &p;
    }
    return nullptr;
  }
  MpegTsAnalyzer& analyzer() { return a_; }

 private:
  TsSpec Pat() { return {.pid = 0, .cc = pat_cc_++, .table_id = 0}; }

  MpegTsAnalyzer a_;
  int64_t t_ = 1 * kSec;
  uint8_t pat_cc_ = 0;
  mutable MpegTsSnapshot snap_;
};

TEST(MpegTsAnalyzerTest, ContinuousCounterAcrossWrapHasNoError) {
  Feeder f;
  for (int i = 0; i < 40; ++i) {
    f.Send({.pid = 0x100, .cc = static_cast<uint8_t>(i & 15)});
  }
  const auto s = f.Snap();
  EXPECT_EQ(s.datagrams, 40u);
  EXPECT_EQ(s.ts_packets, 80u);
  EXPECT_EQ(s.continuity_count_errors, 0u);
  EXPECT_EQ(s.duplicate_packets, 0u);
  EXPECT_EQ(s.sync_byte_errors, 0u);
  EXPECT_EQ(s.pat_errors, 0u);
  EXPECT_EQ(s.pids_seen, 2u);
  ASSERT_EQ(s.pids.size(), 2u);
  EXPECT_EQ(s.pids[0].pid, 0u);
  EXPECT_EQ(s.pids[1].pid, 0x100u);
  EXPECT_EQ(s.pids[1].packets, 40u);
}

TEST(MpegTsAnalyzerTest, GapIsOneError) {
  Feeder f;
  f.Ccs(0x100, {0, 1, 3, 4, 5});
  EXPECT_EQ(f.Snap().continuity_count_errors, 1u);
  EXPECT_EQ(f.Pid(0x100)->continuity_count_errors, 1u);
  f.Ccs(0x100, {15});  // 5 -> 15: a gap of 9 is still one error.
  EXPECT_EQ(f.Snap().continuity_count_errors, 2u);
  f.Ccs(0x100, {0, 1});  // Counted from the new reference: fine.
  EXPECT_EQ(f.Snap().continuity_count_errors, 2u);
}

TEST(MpegTsAnalyzerTest, OutOfOrderSwapIsThreeErrors) {
  // 2 -> 4 (gap), 4 -> 3 (backwards), 3 -> 5 (gap).
  Feeder f;
  f.Ccs(0x100, {0, 1, 2, 4, 3, 5, 6});
  EXPECT_EQ(f.Snap().continuity_count_errors, 3u);
  EXPECT_EQ(f.Snap().duplicate_packets, 0u);
}

TEST(MpegTsAnalyzerTest, OneRepeatIsALegalDuplicate) {
  Feeder f;
  f.Ccs(0x100, {0, 1, 1, 2, 3, 3, 4});
  const auto s = f.Snap();
  EXPECT_EQ(s.continuity_count_errors, 0u);
  EXPECT_EQ(s.duplicate_packets, 2u);
  EXPECT_EQ(f.Pid(0x100)->duplicate_packets, 2u);
}

TEST(MpegTsAnalyzerTest, MoreThanOneRepeatIsAnErrorPerExtraRepeat) {
  Feeder f;
  f.Ccs(0x100, {0, 1, 1, 1, 2});  // The second repeat is the error.
  EXPECT_EQ(f.Snap().continuity_count_errors, 1u);
  EXPECT_EQ(f.Snap().duplicate_packets, 1u);
  f.Ccs(0x100, {2, 2, 2, 3});  // One legal, two errors.
  EXPECT_EQ(f.Snap().continuity_count_errors, 3u);
  EXPECT_EQ(f.Snap().duplicate_packets, 2u);
}

TEST(MpegTsAnalyzerTest, PacketsWithoutPayloadDoNotAdvanceTheCounter) {
  Feeder f;
  f.Ccs(0x100, {0, 1});
  // adaptation_field_control 10 (adaptation only) with a wrong and the same
  // counter, and 00 (reserved: nothing) with a wrong one.
  f.Send({.pid = 0x100, .cc = 7, .payload = false, .adaptation = true});
  f.Send({.pid = 0x100, .cc = 1, .payload = false, .adaptation = true});
  f.Send({.pid = 0x100, .cc = 12, .payload = false, .adaptation = false});
  f.Ccs(0x100, {2, 3});
  // Adaptation field and payload (11) advances it as 01 does.
  f.Send({.pid = 0x100, .cc = 4, .payload = true, .adaptation = true});
  f.Ccs(0x100, {5});
  const auto s = f.Snap();
  EXPECT_EQ(s.continuity_count_errors, 0u);
  EXPECT_EQ(s.duplicate_packets, 0u);
  EXPECT_EQ(f.Pid(0x100)->packets, 9u);
}

TEST(MpegTsAnalyzerTest, DiscontinuityIndicatorResetsTheCounter) {
  Feeder f;
  f.Ccs(0x100, {0, 1, 2});
  f.Send({.pid = 0x100, .cc = 9, .discontinuity = true});  // With payload.
  f.Ccs(0x100, {10, 11});
  // On an adaptation-only packet: the next payload packet is the reference.
  f.Send({.pid = 0x100, .cc = 0, .payload = false, .discontinuity = true});
  f.Ccs(0x100, {5, 6});
  auto s = f.Snap();
  EXPECT_EQ(s.continuity_count_errors, 0u);
  EXPECT_EQ(s.discontinuities, 2u);
  EXPECT_EQ(f.Pid(0x100)->discontinuities, 2u);
  // A repeat right after the reset is still a legal duplicate, once.
  f.Send({.pid = 0x100, .cc = 3, .discontinuity = true});
  f.Ccs(0x100, {3, 3});
  s = f.Snap();
  EXPECT_EQ(s.duplicate_packets, 1u);
  EXPECT_EQ(s.continuity_count_errors, 1u);
}

TEST(MpegTsAnalyzerTest, AdaptationFieldWithoutFlagsIsNoDiscontinuity) {
  // adaptation_field_length 0: there is no flags byte to read.
  auto d = TsDatagram({{.pid = 0x100, .cc = 0}, {.pid = 0x100, .cc = 1}});
  d[188 + 3] |= 0x20;  // Second packet: adaptation + payload,
  d[188 + 4] = 0;      // length 0,
  d[188 + 5] = 0x80;   // and a payload byte that looks like the flag.
  MpegTsAnalyzer a({});
  a.OnDatagram(d, 0);
  const auto s = a.Snapshot(0);
  EXPECT_EQ(s.discontinuities, 0u);
  EXPECT_EQ(s.continuity_count_errors, 0u);
}

TEST(MpegTsAnalyzerTest, NullPidIsIgnored) {
  Feeder f;
  f.Ccs(kTsNullPid, {0, 0, 0, 5, 3, 9});
  const auto s = f.Snap();
  EXPECT_EQ(s.null_packets, 6u);
  EXPECT_EQ(s.continuity_count_errors, 0u);
  EXPECT_EQ(s.duplicate_packets, 0u);
  EXPECT_EQ(s.pids_seen, 1u);  // The PAT only.
  EXPECT_EQ(f.Pid(kTsNullPid), nullptr);
}

TEST(MpegTsAnalyzerTest, TransportErrorIsCountedAndTheCounterStillChecked) {
  Feeder f;
  f.Ccs(0x100, {0, 1});
  f.Send({.pid = 0x100, .cc = 2, .tei = true});
  f.Ccs(0x100, {3});
  f.Send({.pid = 0x100, .cc = 9, .tei = true});
  const auto s = f.Snap();
  EXPECT_EQ(s.transport_errors, 2u);
  EXPECT_EQ(f.Pid(0x100)->transport_errors, 2u);
  EXPECT_EQ(s.continuity_count_errors, 1u);
}

TEST(MpegTsAnalyzerTest, SyncByteErrorPerBrokenPacket) {
  Feeder f;
  f.Ccs(0x100, {0, 1});
  f.Send({.pid = 0x100, .cc = 2, .sync = 0x46});
  f.Ccs(0x100, {3, 4});
  const auto s = f.Snap();
  EXPECT_EQ(s.sync_byte_errors, 1u);
  // The broken packet is not trusted, so its PID never saw 2: 1 -> 3.
  EXPECT_EQ(s.continuity_count_errors, 1u);
  EXPECT_EQ(f.Pid(0x100)->packets, 4u);
  EXPECT_EQ(s.ts_packets, 10u);

  // Every broken packet of a datagram counts.
  MpegTsAnalyzer a({});
  a.OnDatagram(TsDatagram({{.sync = 0}, {.cc = 1}, {.sync = 0x48}}), 0);
  EXPECT_EQ(a.Snapshot(0).sync_byte_errors, 2u);
}

TEST(MpegTsAnalyzerTest, PidsAreIndependent) {
  Feeder f;
  for (int i = 0; i < 20; ++i) {
    f.Send({.pid = 0x100, .cc = static_cast<uint8_t>(i & 15)});
    f.Send({.pid = 0x101, .cc = static_cast<uint8_t>((2 * i) & 15)});
  }
  EXPECT_EQ(f.Pid(0x100)->continuity_count_errors, 0u);
  EXPECT_EQ(f.Pid(0x101)->continuity_count_errors, 19u);
  EXPECT_EQ(f.Snap().continuity_count_errors, 19u);
}

TEST(MpegTsAnalyzerTest, PatEveryHundredMsIsNoError) {
  MpegTsAnalyzer a({});
  for (int64_t t = 0; t < 3 * kSec; t += 100 * kMs) {
    a.OnDatagram(
        TsDatagram(
            {{.pid = 0, .cc = uint8_t(t / (100 * kMs) & 15), .table_id = 0}}),
        t);
  }
  EXPECT_EQ(a.Snapshot(3 * kSec).pat_errors, 0u);
}

TEST(MpegTsAnalyzerTest, PatGapIsOneErrorPerGap) {
  MpegTsAnalyzer a({});
  uint8_t pat_cc = 0, cc = 0;
  int64_t t = 0;
  auto run = [&](int64_t until, bool pat) {
    for (; t < until; t += 20 * kMs) {
      if (pat && t % (100 * kMs) == 0) {
        a.OnDatagram(TsDatagram({{.pid = 0, .cc = pat_cc++, .table_id = 0},
                                 {.pid = 0x100, .cc = cc++}}),
                     t);
      } else {
        a.OnDatagram(TsDatagram({{.pid = 0x100, .cc = cc++}}), t);
      }
    }
  };
  run(1 * kSec, true);
  EXPECT_EQ(a.Snapshot(t).pat_errors, 0u);
  // The last PAT came at 0.9 s; data every 20 ms after it.
  run(1 * kSec + 420 * kMs, false);  // Up to 1.40 s: exactly 0.5 s.
  EXPECT_EQ(a.Snapshot(t).pat_errors, 0u);
  run(1 * kSec + 440 * kMs, false);  // 1.42 s: more than 0.5 s.
  EXPECT_EQ(a.Snapshot(t).pat_errors, 1u);
  run(3 * kSec, false);  // 2.1 s without: still the same gap.
  EXPECT_EQ(a.Snapshot(t).pat_errors, 1u);
  run(4 * kSec, true);
  EXPECT_EQ(a.Snapshot(t).pat_errors, 1u);
  run(5 * kSec, false);
  EXPECT_EQ(a.Snapshot(t).pat_errors, 2u);
  EXPECT_EQ(a.Snapshot(t).continuity_count_errors, 0u);
}

TEST(MpegTsAnalyzerTest, PatArrivingLateIsStillAnError) {
  MpegTsAnalyzer a({});
  a.OnDatagram(TsDatagram({{.pid = 0, .cc = 0, .table_id = 0}}), 0);
  a.OnDatagram(TsDatagram({{.pid = 0, .cc = 1, .table_id = 0}}), 600 * kMs);
  a.OnDatagram(TsDatagram({{.pid = 0, .cc = 2, .table_id = 0}}), 1100 * kMs);
  EXPECT_EQ(a.Snapshot(0).pat_errors, 1u);  // 0.6 s yes, 0.5 s exactly no.
}

TEST(MpegTsAnalyzerTest, StreamWithoutPatCountsFromItsFirstDatagram) {
  MpegTsAnalyzer a({});
  for (int64_t t = 0; t <= 2 * kSec; t += 100 * kMs) {
    a.OnDatagram(TsDatagram({{.pid = 0x100, .cc = uint8_t(t / (100 * kMs))}}),
                 t);
  }
  EXPECT_EQ(a.Snapshot(0).pat_errors, 1u);
}

TEST(MpegTsAnalyzerTest, WrongTableOrScrambledPatIsAnError) {
  MpegTsAnalyzer a({});
  a.OnDatagram(TsDatagram({{.pid = 0, .cc = 0, .table_id = 0},
                           {.pid = 0, .cc = 1, .table_id = 0x02},
                           {.pid = 0, .cc = 2, .scrambling = 2},
                           {.pid = 0, .cc = 3, .table_id = 0xFF},  // stuffing
                           {.pid = 0, .cc = 4, .tei = true, .table_id = 0x02}}),
               0);
  // Only the section start with table_id 2 counts: a PAT at 0.4 s follows.
  a.OnDatagram(TsDatagram({{.pid = 0, .cc = 5, .table_id = 0}}), 400 * kMs);
  const auto s = a.Snapshot(0);
  EXPECT_EQ(s.pat_errors, 2u);
  EXPECT_EQ(s.transport_errors, 1u);
}

TEST(MpegTsAnalyzerTest, PatAfterAdaptationFieldAndPointerIsFound) {
  auto pat = TsPacket({.pid = 0, .cc = 0, .adaptation = true, .table_id = 0});
  std::vector<uint8_t> d(pat.begin(), pat.end());
  // pointer_field 3 at offset 7 (after a 2-byte adaptation field): the
  // table_id is at 11.
  d[7] = 3;
  d[11] = 0x00;
  MpegTsAnalyzer a({});
  a.OnDatagram(d, 0);
  d[3] = static_cast<uint8_t>((d[3] & 0xF0) | 1);
  a.OnDatagram(d, 400 * kMs);
  d[3] = static_cast<uint8_t>((d[3] & 0xF0) | 2);
  a.OnDatagram(d, 800 * kMs);
  EXPECT_EQ(a.Snapshot(0).pat_errors, 0u);
  // A pointer past the end of the packet: no section starts here.
  d[7] = 200;
  d[3] = static_cast<uint8_t>((d[3] & 0xF0) | 3);
  a.OnDatagram(d, 1200 * kMs);
  a.OnDatagram(d, 1400 * kMs);
  EXPECT_EQ(a.Snapshot(0).pat_errors, 1u);
}

TEST(MpegTsAnalyzerTest, PidTableIsCappedWithOneOverflowEntry) {
  MpegTsLimits limits;
  limits.max_pids = 3;
  Feeder f(limits);  // PID 0 (the PAT) takes the first entry.
  f.Ccs(0x100, {0, 1});
  f.Ccs(0x200, {0, 1});
  f.Ccs(0x300, {0, 2});  // Overflow, with an error.
  f.Ccs(0x400, {0, 1, 1, 1});
  const auto s = f.Snap();
  EXPECT_EQ(s.pids_seen, 5u);
  EXPECT_EQ(s.continuity_count_errors, 2u);
  ASSERT_EQ(s.pids.size(), 4u);
  EXPECT_EQ(s.pids[0].pid, 0u);
  EXPECT_EQ(s.pids[1].pid, 0x100u);
  EXPECT_EQ(s.pids[2].pid, 0x200u);
  const MpegTsPidSnapshot& o = s.pids[3];
  EXPECT_EQ(o.pid, kTsOverflowPid);
  EXPECT_EQ(o.pids, 2u);
  EXPECT_EQ(o.packets, 6u);
  EXPECT_EQ(o.continuity_count_errors, 2u);
  EXPECT_EQ(o.duplicate_packets, 1u);
}

TEST(MpegTsAnalyzerTest, EveryPidStaysBounded) {
  MpegTsAnalyzer a({});
  for (int pid = 0; pid < 8192; ++pid) {
    a.OnDatagram(TsDatagram({{.pid = static_cast<uint16_t>(pid), .cc = 0},
                             {.pid = static_cast<uint16_t>(pid), .cc = 5}}),
                 pid * kMs);
  }
  const auto s = a.Snapshot(0);
  EXPECT_EQ(s.pids_seen, 8191u);
  EXPECT_EQ(s.continuity_count_errors, 8191u);
  ASSERT_EQ(s.pids.size(), 33u);
  EXPECT_EQ(s.pids.back().pids, 8191u - 32u);
  EXPECT_EQ(s.pids.back().packets, 2 * (8191u - 32u));
}

TEST(MpegTsAnalyzerTest, CapIsClampedAndZeroMeansOnlyOverflow) {
  MpegTsLimits limits;
  limits.max_pids = 100000;
  EXPECT_EQ(MpegTsAnalyzer(limits).limits().max_pids, kTsMaxPidsLimit);
  limits.max_pids = 0;
  MpegTsAnalyzer a(limits);
  a.OnDatagram(TsDatagram({{.pid = 1, .cc = 0}, {.pid = 2, .cc = 0}}), 0);
  const auto s = a.Snapshot(0);
  ASSERT_EQ(s.pids.size(), 1u);
  EXPECT_EQ(s.pids[0].pid, kTsOverflowPid);
  EXPECT_EQ(s.pids[0].pids, 2u);
}

TEST(MpegTsAnalyzerTest, BitRatePerPidOverTheLastWindow) {
  MpegTsAnalyzer a({});
  // 7 packets every 10 ms: 5 on PID 0x100, 2 on PID 0x101.
  uint8_t cc = 0, cc2 = 0;
  int64_t t = 0;
  for (; t <= 1 * kSec; t += 10 * kMs) {
    a.OnDatagram(TsDatagram({{.pid = 0x100, .cc = cc++},
                             {.pid = 0x100, .cc = cc++},
                             {.pid = 0x101, .cc = cc2++},
                             {.pid = 0x100, .cc = cc++},
                             {.pid = 0x100, .cc = cc++},
                             {.pid = 0x101, .cc = cc2++},
                             {.pid = 0x100, .cc = cc++}}),
                 t);
  }
  auto s = a.Snapshot(t);
  ASSERT_EQ(s.pids.size(), 2u);
  // The window [0, 1 s) holds 100 datagrams.
  EXPECT_DOUBLE_EQ(s.pids[0].bit_rate_bps, 500 * 188 * 8.0);
  EXPECT_DOUBLE_EQ(s.pids[1].bit_rate_bps, 200 * 188 * 8.0);
  // Silence for more than two windows: the rate is stale.
  EXPECT_EQ(a.Snapshot(3 * kSec + 1).pids[0].bit_rate_bps, 0);
  EXPECT_EQ(a.Snapshot(0).pids[0].packets, 505u);
}

TEST(MpegTsAnalyzerTest, RtpHeaderIsSkippedWithCsrcsExtensionAndPadding) {
  MpegTsLimits limits;
  limits.rtp = true;
  MpegTsAnalyzer a(limits);
  const auto ts = [](uint8_t n, uint8_t first) {
    return TsDatagram({{.pid = 0, .cc = n, .table_id = 0},
                       {.pid = 0x100, .cc = first},
                       {.pid = 0x100, .cc = static_cast<uint8_t>(first + 1)}});
  };
  a.OnDatagram(RtpWrap(ts(0, 0), 1), 0);
  a.OnDatagram(RtpWrap(ts(1, 2), 2, /*csrcs=*/3), 10 * kMs);
  a.OnDatagram(RtpWrap(ts(2, 4), 3, 0, /*extension_words=*/2), 20 * kMs);
  a.OnDatagram(RtpWrap(ts(3, 6), 4, 15, 0, /*padding=*/4), 30 * kMs);
  a.OnDatagram(RtpWrap(ts(4, 9), 5), 40 * kMs);  // CC 7 -> 9 on 0x100.
  auto s = a.Snapshot(0);
  EXPECT_EQ(s.ts_packets, 15u);
  EXPECT_EQ(s.continuity_count_errors, 1u);
  EXPECT_EQ(s.pat_errors, 0u);
  EXPECT_EQ(s.rtp_header_errors, 0u);
  EXPECT_EQ(s.sync_byte_errors, 0u);
  EXPECT_EQ(s.misaligned_datagrams, 0u);

  auto bad = RtpWrap(ts(5, 11), 6);
  bad[0] = 0x40;  // Version 1.
  a.OnDatagram(bad, 50 * kMs);
  bad = RtpWrap(TsDatagram({{.pid = 0x100, .cc = 11}}), 7, 0, 0, 4);
  bad.back() = 250;  // Padding longer than the payload.
  a.OnDatagram(bad, 60 * kMs);
  a.OnDatagram(std::vector<uint8_t>{0x80, 33, 0}, 70 * kMs);  // Too short.
  s = a.Snapshot(0);
  EXPECT_EQ(s.rtp_header_errors, 3u);
  EXPECT_EQ(s.datagrams, 8u);
  EXPECT_EQ(s.ts_packets, 15u);
}

TEST(MpegTsAnalyzerTest, MisalignedDatagramKeepsItsWholePackets) {
  auto d = TsDatagram({{.cc = 0}, {.cc = 1}});
  d.resize(d.size() + 10, 0x47);
  MpegTsAnalyzer a({});
  a.OnDatagram(d, 0);
  a.OnDatagram({}, 1);
  const auto s = a.Snapshot(0);
  EXPECT_EQ(s.misaligned_datagrams, 1u);
  EXPECT_EQ(s.ts_packets, 2u);
  EXPECT_EQ(s.datagrams, 2u);
}

TEST(MpegTsClassifierTest, PlainTs) {
  std::vector<uint8_t> seven;
  for (int i = 0; i < 7; ++i) {
    const auto p = TsPacket({.cc = static_cast<uint8_t>(i)});
    seven.insert(seven.end(), p.begin(), p.end());
  }
  EXPECT_TRUE(LooksLikeMpegTs(seven));
  EXPECT_TRUE(LooksLikeMpegTs(absl::MakeSpan(seven).subspan(0, 188)));
  EXPECT_FALSE(LooksLikeMpegTs(absl::MakeSpan(seven).subspan(0, 1315)));
  EXPECT_FALSE(LooksLikeMpegTs({}));
  seven[188 * 3] = 0x00;
  EXPECT_FALSE(LooksLikeMpegTs(seven));
  // An RTP datagram is not plain TS.
  EXPECT_FALSE(LooksLikeMpegTs(RtpWrap(TsDatagram({{}}), 1)));
}

TEST(MpegTsClassifierTest, TsOverRtp) {
  const auto ts = TsDatagram({{.cc = 0}, {.cc = 1}});
  EXPECT_TRUE(LooksLikeMpegTsOverRtp(RtpWrap(ts, 1)));
  EXPECT_TRUE(LooksLikeMpegTsOverRtp(RtpWrap(ts, 1, 2, 1, 8)));
  EXPECT_TRUE(LooksLikeMpegTsOverRtp(RtpWrap(ts, 1, 0, -1, 0, 96)));
  EXPECT_FALSE(LooksLikeMpegTsOverRtp(RtpWrap(ts, 1, 0, -1, 0, 0)));  // PCMU
  EXPECT_FALSE(LooksLikeMpegTsOverRtp(ts));
  auto cut = RtpWrap(ts, 1);
  cut.pop_back();
  EXPECT_FALSE(LooksLikeMpegTsOverRtp(cut));
}

TEST(MpegTsClassifierTest, RtpHeaderLength) {
  const std::vector<uint8_t> ts(188, 0x47);
  EXPECT_EQ(RtpHeaderLength(RtpWrap(ts, 1)), 12u);
  EXPECT_EQ(RtpHeaderLength(RtpWrap(ts, 1, 2)), 20u);
  EXPECT_EQ(RtpHeaderLength(RtpWrap(ts, 1, 1, 3)), 12u + 4 + 4 + 12);
  // An extension longer than the datagram, a missing extension header.
  auto d = RtpWrap({}, 1, 0, 0);
  d[15] = 1;
  EXPECT_EQ(RtpHeaderLength(d), 0u);
  d.resize(14);
  EXPECT_EQ(RtpHeaderLength(d), 0u);
  EXPECT_EQ(RtpHeaderLength(RtpWrap({}, 1)), 12u);  // Empty payload fits.
  EXPECT_EQ(RtpHeaderLength(ts), 0u);               // Version 1.
  EXPECT_EQ(RtpHeaderLength({}), 0u);
}

}  // namespace
}  // namespace mcast::streams
