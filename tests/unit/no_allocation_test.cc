// The packet paths must not allocate in the steady state. This file
// replaces the global operator new for the unit-test binary with a counting
// one (still malloc underneath), so the tests can assert zero allocations
// while packets flow.

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "net/clock.h"
#include "net/event_loop.h"
#include "net/receive_buffers.h"
#include "packet/header.h"
#include "probe/probe_receiver.h"
#include "probe/probe_sender.h"
#include "probe/send_scheduler.h"
#include "stats/receiver_stats.h"
#include "streams/mpegts_analyzer.h"
#include "streams/stream_table.h"
#include "ts_packet_builder.h"

namespace {
std::atomic<long> g_allocations{0};
std::atomic<long> g_live_bytes{0};
}  // namespace

// Sanitizers bring their own operator new; replacing it there would hide
// their checks, so the counting version exists only in ordinary builds (the
// tests below then skip). Every replaceable form is replaced, so no memory
// from the library's operator new ever reaches our delete.
#if defined(__SANITIZE_ADDRESS__)
#define MCAST_COUNT_ALLOCATIONS 0
#else
#define MCAST_COUNT_ALLOCATIONS 1

// Every block carries its size in front, so live bytes can be counted
// (for the memory-bound tests) whichever delete form frees it.
namespace {
constexpr std::size_t kHeader = alignof(std::max_align_t);
// Not inlined: GCC would otherwise see through new/delete pairs and warn.
[[gnu::noinline]] void* CountedAlloc(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  char* p = static_cast<char*>(std::malloc(kHeader + size));
  if (p == nullptr) return nullptr;
  *reinterpret_cast<std::size_t*>(p) = size;
  g_live_bytes.fetch_add(static_cast<long>(size), std::memory_order_relaxed);
  return p + kHeader;
}
[[gnu::noinline]] void CountedFree(void* q) {
  if (q == nullptr) return;
  char* p = static_cast<char*>(q) - kHeader;
  g_live_bytes.fetch_sub(static_cast<long>(*reinterpret_cast<std::size_t*>(p)),
                         std::memory_order_relaxed);
  std::free(p);
}
}  // namespace

void* operator new(std::size_t size) {
  if (void* p = CountedAlloc(size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return CountedAlloc(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return CountedAlloc(size);
}
void operator delete(void* p) noexcept { CountedFree(p); }
void operator delete[](void* p) noexcept { CountedFree(p); }
void operator delete(void* p, std::size_t) noexcept { CountedFree(p); }
void operator delete[](void* p, std::size_t) noexcept { CountedFree(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept {
  CountedFree(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  CountedFree(p);
}
#endif

namespace mcast {
namespace {

TEST(NoAllocationTest, ReceiverStatsSteadyState) {
  if (!MCAST_COUNT_ALLOCATIONS) GTEST_SKIP() << "not counted under ASan";
  stats::ReceiverStats r(stats::ReceiverStatsOptions{});
  stats::ReceivedPacket p;
  p.source = *inet::IpAddress::Parse("10.0.0.1");
  p.header.sender_id = 42;
  p.header.ttl = 64;
  p.size = 200;
  p.ttl = 62;
  p.tos = 0;
  auto feed = [&](uint64_t from, uint64_t to) {
    for (uint64_t s = from; s < to; ++s) {
      if (s % 10 == 3) continue;  // loss
      uint64_t seq = (s % 17 == 0) ? s + 1 : (s % 17 == 1) ? s - 1 : s;
      p.header.sequence = seq;  // swaps: reorder
      p.mono_ns = p.real_ns = static_cast<int64_t>(s) * 1'000'000;
      r.OnPacket(p);
      if (s % 13 == 0) r.OnPacket(p);  // duplicates
      if (s % 100 == 0) r.Tick(p.mono_ns);
    }
  };
  feed(0, 5000);  // Warm-up: the run and its tables are created here.
  long before = g_allocations.load();
  feed(5000, 105000);
  EXPECT_EQ(g_allocations.load() - before, 0);
  auto snap = r.Snapshot(0);
  EXPECT_GT(snap.totals.lost, 0u);
  EXPECT_GT(snap.totals.reordered, 0u);
  EXPECT_GT(snap.totals.duplicates, 0u);
}

// The TS analyser on its per-datagram path: 7 packets per datagram over
// RTP, 40 PIDs (beyond the 32-entry table: the overflow path too), CC
// gaps, repeats, discontinuities, TEI, sync errors and PATs.
TEST(NoAllocationTest, MpegTsAnalyzerSteadyState) {
  if (!MCAST_COUNT_ALLOCATIONS) GTEST_SKIP() << "not counted under ASan";
  streams::MpegTsLimits limits;
  limits.rtp = true;
  streams::MpegTsAnalyzer a(limits);
  std::vector<uint8_t> d = ts_test::RtpWrap(
      ts_test::TsDatagram({{.pid = 0, .table_id = 0},
                           {.pid = 0x100},
                           {.pid = 0x101, .discontinuity = true},
                           {.pid = 0x102, .tei = true},
                           {.pid = 0x103, .payload = false, .adaptation = true},
                           {.pid = 0x104},
                           {.pid = 0x1FFF}}),
      1, 2, 1);
  const size_t ts = streams::RtpHeaderLength(d);
  auto feed = [&](uint32_t from, uint32_t to) {
    for (uint32_t i = from; i < to; ++i) {
      for (size_t k = 0; k < 7; ++k) {
        uint8_t* p = d.data() + ts + 188 * k;
        p[0] = (i % 97 == 0 && k == 5) ? 0x00 : 0x47;
        if (k == 5) p[2] = static_cast<uint8_t>(i % 40);  // PIDs 0x100-0x127
        const uint32_t cc = (i % 50 == 0) ? i + 3 : (i % 31 == 0) ? i - 1 : i;
        p[3] = static_cast<uint8_t>((p[3] & 0xF0) | (cc & 0x0F));
      }
      a.OnDatagram(d, int64_t{i} * 1'000'000);
    }
  };
  feed(0, 5000);  // Warm-up: every PID has been seen.
  long before = g_allocations.load();
  feed(5000, 105000);
  EXPECT_EQ(g_allocations.load() - before, 0);
  const auto s = a.Snapshot(0);
  EXPECT_GT(s.continuity_count_errors, 0u);
  EXPECT_GT(s.duplicate_packets, 0u);
  EXPECT_GT(s.sync_byte_errors, 0u);
  EXPECT_GT(s.transport_errors, 0u);
  EXPECT_EQ(s.pids.size(), 33u);
}

// The receiver's per-datagram path for non-probe datagrams: FeedDatagram
// counts them foreign and hands them to the stream table, per source
// address and port (two RTP sources here, one with a drop every 10th).
TEST(NoAllocationTest, FeedDatagramStreamsSteadyState) {
  if (!MCAST_COUNT_ALLOCATIONS) GTEST_SKIP() << "not counted under ASan";
  stats::ReceiverStats r(stats::ReceiverStatsOptions{});
  streams::StreamTable t(streams::StreamTableOptions{});
  std::vector<uint8_t> rtp(12 + 7 * 188, 0);
  rtp[0] = 0x80;  // Version 2.
  rtp[1] = 33;    // MP2T.
  rtp[11] = 7;    // SSRC.
  net::ReceivedDatagram d;
  d.data = rtp;
  d.length = rtp.size();
  const inet::IpAddress a = *inet::IpAddress::Parse("10.1.1.9");
  const inet::IpAddress b = *inet::IpAddress::Parse("10.1.1.10");
  uint64_t fed = 0;
  auto feed = [&](uint32_t from, uint32_t to) {
    for (uint32_t i = from; i < to; ++i) {
      rtp[2] = static_cast<uint8_t>(i >> 8);
      rtp[3] = static_cast<uint8_t>(i);
      const uint32_t ts = i * 3000;
      for (int k = 0; k < 4; ++k)
        rtp[4 + k] = static_cast<uint8_t>(ts >> (24 - 8 * k));
      const int64_t mono = int64_t{i} * 1'000'000;
      d.source = a;
      d.source_port = 5004;
      if (i % 10 != 3) {
        probe::FeedDatagram(d, mono, mono, r, &t);
        ++fed;
      }
      d.source = b;
      d.source_port = 5006;
      probe::FeedDatagram(d, mono, mono, r, &t);
      ++fed;
      if (i % 100 == 0) t.Tick(mono);
    }
  };
  feed(0, 5000);  // Warm-up: both flows exist.
  long before = g_allocations.load();
  feed(5000, 105000);
  EXPECT_EQ(g_allocations.load() - before, 0);
  EXPECT_EQ(r.Snapshot(0).foreign, fed);
  const streams::StreamTableSnapshot s = t.Snapshot(105000LL * 1'000'000);
  ASSERT_EQ(s.streams.size(), 2u);
  // Sorted by source text: 10.1.1.10 before 10.1.1.9.
  EXPECT_EQ(s.streams[0].port, 5006);
  EXPECT_EQ(s.streams[0].packets, 105000u);
  EXPECT_EQ(s.streams[1].port, 5004);
  EXPECT_EQ(s.streams[1].packets, 105000u - 10500u);
  EXPECT_EQ(s.packets, fed);
}

class NullSink : public probe::DatagramSink {
 public:
  absl::StatusOr<int> SendBatch(
      absl::Span<const absl::Span<const uint8_t>> datagrams) override {
    return static_cast<int>(datagrams.size());
  }
};

TEST(NoAllocationTest, ProbeSenderSteadyState) {
  if (!MCAST_COUNT_ALLOCATIONS) GTEST_SKIP() << "not counted under ASan";
  NullSink sink;
  probe::ProbeSenderOptions o;
  o.packets_per_second = 100000;
  probe::ProbeSender s(o, &sink, 0);
  s.SendDue(1'000'000);  // Warm-up.
  long before = g_allocations.load();
  for (int64_t t = 2'000'000; t < 1'000'000'000; t += 1'000'000) s.SendDue(t);
  EXPECT_EQ(g_allocations.load() - before, 0);
  EXPECT_GT(s.counters().packets, 90000u);
}

// Senders re-arm their timer for every packet: once every timer exists,
// arming and firing them allocates nothing.
TEST(NoAllocationTest, EventLoopTimersSteadyState) {
  if (!MCAST_COUNT_ALLOCATIONS) GTEST_SKIP() << "not counted under ASan";
  absl::StatusOr<std::unique_ptr<net::EventLoop>> created =
      net::EventLoop::Create();
  ASSERT_TRUE(created.ok()) << created.status();
  net::EventLoop& loop = **created;
  constexpr int kTimers = 200;
  std::vector<net::TimerId> ids(kTimers);
  long fired = 0;
  const int64_t start = net::MonotonicNanos();
  for (int i = 0; i < kTimers; ++i) {
    absl::StatusOr<net::TimerId> id = loop.AddAbsoluteTimer([&, i] {
      ++fired;
      // Some in the past (run in the next wake-up), most 20-219 us ahead.
      const int64_t ahead = i % 10 == 0 ? -1000 : 20'000 + i * 1000;
      (void)loop.ArmAt(ids[i], net::MonotonicNanos() + ahead);
    });
    ASSERT_TRUE(id.ok());
    ids[i] = *id;
    ASSERT_TRUE(loop.ArmAt(ids[i], start + i * 1000).ok());
  }
  auto run_until = [&](long n) {
    while (fired < n) {
      if (!loop.RunOnce(absl::Milliseconds(50)).ok()) return;
    }
  };
  run_until(2000);  // Warm-up: the heap and the loop's tables grow here.
  long before = g_allocations.load();
  run_until(40000);
  EXPECT_EQ(g_allocations.load() - before, 0);
  EXPECT_GE(fired, 40000);
}

TEST(NoAllocationTest, ProbeSenderPrepareCommitSteadyState) {
  if (!MCAST_COUNT_ALLOCATIONS) GTEST_SKIP() << "not counted under ASan";
  NullSink sink;
  probe::ProbeSenderOptions o;
  o.packets_per_second = 100000;
  probe::ProbeSender s(o, &sink, 0);
  s.CommitPrepared(s.PrepareDue(1'000'000).size() / 2, "warm-up error");
  long before = g_allocations.load();
  for (int64_t t = 2'000'000; t < 1'000'000'000; t += 1'000'000) {
    absl::Span<const absl::Span<const uint8_t>> v = s.PrepareDue(t);
    // An error now and then: its text fits the warm-up one's capacity.
    s.CommitPrepared(t % 100'000'000 == 0 ? 0 : v.size(), "refused");
  }
  EXPECT_EQ(g_allocations.load() - before, 0);
  EXPECT_GT(s.counters().packets, 50000u);
}

// The scheduler's heap, rounds and commits (flows without a route, so no
// socket: the shared socket's arrays are allocated at its Open()).
TEST(NoAllocationTest, SendSchedulerSteadyState) {
  if (!MCAST_COUNT_ALLOCATIONS) GTEST_SKIP() << "not counted under ASan";
  auto loop = net::EventLoop::Create();
  ASSERT_TRUE(loop.ok());
  probe::SendSchedulerOptions so;
  so.loop = loop->get();
  auto scheduler = probe::SendScheduler::Create(so);
  ASSERT_TRUE(scheduler.ok());
  std::vector<std::unique_ptr<probe::ProbeSender>> senders;
  probe::ProbeSenderOptions o;
  for (int i = 0; i < 100; ++i) {
    o.packets_per_second = 100 + 10 * i;
    senders.push_back(std::make_unique<probe::ProbeSender>(o, nullptr, i));
    (*scheduler)->Add(senders.back().get(), nullptr, "no route");
  }
  (*scheduler)->SendDue(10'000'000);  // Warm-up.
  long before = g_allocations.load();
  for (int64_t t = 11'000'000; t < 1'000'000'000; t += 1'000'000) {
    (*scheduler)->SendDue(t);
  }
  EXPECT_EQ(g_allocations.load() - before, 0);
  EXPECT_GT(senders.back()->counters().errors, 1000u);
}

// The per-run cost the config loader budgets with is what a tracker really
// allocates.
TEST(MemoryBoundTest, SequenceTrackerHeapBytesIsTheAllocation) {
  if (!MCAST_COUNT_ALLOCATIONS) GTEST_SKIP() << "not counted under ASan";
  for (uint64_t window : {1ull, 2ull, 1024ull, 8192ull, 32767ull, 1000000ull}) {
    stats::SequenceTracker::Options o;
    o.max_reorder_packets = window;
    long before = g_live_bytes.load();
    auto t = std::make_unique<stats::SequenceTracker>(o);
    long heap = g_live_bytes.load() - before -
                static_cast<long>(sizeof(stats::SequenceTracker));
    EXPECT_EQ(heap, static_cast<long>(stats::SequenceTracker::HeapBytes(o)))
        << "window " << window;
  }
  stats::SequenceTracker::Options o;
  o.max_reorder_packets = 1024;
  EXPECT_EQ(stats::SequenceTracker::HeapBytes(o), 24624u);
  o.max_reorder_packets = 32767;
  EXPECT_EQ(stats::SequenceTracker::HeapBytes(o), 532512u);
}

// The heap the exporter would budget for a TS flow is what it allocates.
TEST(MemoryBoundTest, MpegTsAnalyzerHeapBytesIsTheAllocation) {
  if (!MCAST_COUNT_ALLOCATIONS) GTEST_SKIP() << "not counted under ASan";
  for (size_t pids : {size_t{0}, size_t{32}, size_t{254}, size_t{100000}}) {
    streams::MpegTsLimits limits;
    limits.max_pids = pids;
    long before = g_live_bytes.load();
    auto a = std::make_unique<streams::MpegTsAnalyzer>(limits);
    long heap = g_live_bytes.load() - before -
                static_cast<long>(sizeof(streams::MpegTsAnalyzer));
    EXPECT_EQ(heap,
              static_cast<long>(streams::MpegTsAnalyzer::HeapBytes(limits)))
        << "max_pids " << pids;
  }
}

// A receiver filled to its worst case (max_senders runs, 2 * max_senders
// addresses, by a flood of forged ids) stays within WorstCaseBytes().
TEST(MemoryBoundTest, ReceiverWorstCaseIsABound) {
  if (!MCAST_COUNT_ALLOCATIONS) GTEST_SKIP() << "not counted under ASan";
  for (uint64_t window : {16ull, 1024ull, 32767ull}) {
    stats::ReceiverStatsOptions o;
    o.max_senders = 64;
    o.sequence.max_reorder_packets = window;
    long before = g_live_bytes.load();
    {
      auto r = std::make_unique<stats::ReceiverStats>(o);
      stats::ReceivedPacket p;
      p.header.ttl = 64;
      p.size = 200;
      long peak = 0;
      for (uint32_t i = 0; i < 1000; ++i) {
        // Sequences with every other number missing: the gap ring fills.
        std::string src =
            "10.9." + std::to_string(i / 200) + "." + std::to_string(i % 200);
        p.source = *inet::IpAddress::Parse(src);
        p.header.sender_id = 1000 + i;
        for (uint64_t s = 0; s < 40; s += 2) {
          p.header.sequence = s;
          p.mono_ns = p.real_ns = static_cast<int64_t>(i) * 1000 + s;
          r->OnPacket(p);
        }
        peak = std::max(peak, g_live_bytes.load() - before);
      }
      EXPECT_EQ(r->tracked_runs(), 64u);
      EXPECT_EQ(r->tracked_senders(), 128u);
      EXPECT_LE(peak,
                static_cast<long>(stats::ReceiverStats::WorstCaseBytes(o)))
          << "window " << window;
      // And the bound is not wildly above the truth.
      EXPECT_GE(peak * 3 / 2,
                static_cast<long>(stats::ReceiverStats::WorstCaseBytes(o)))
          << "window " << window;
    }
  }
}

}  // namespace
}  // namespace mcast
