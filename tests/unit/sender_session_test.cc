#include "probe/sender_session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "net/clock.h"
#include "net/event_loop.h"
#include "packet/header.h"

namespace mcast::probe {
namespace {

class RecordingSink : public DatagramSink {
 public:
  absl::StatusOr<int> SendBatch(
      absl::Span<const absl::Span<const uint8_t>> datagrams) override {
    for (const auto& d : datagrams) sent.emplace_back(d.begin(), d.end());
    return static_cast<int>(datagrams.size());
  }
  std::vector<std::vector<uint8_t>> sent;
};

SenderSpec FiniteSpec() {
  SenderSpec spec;
  spec.group = *inet::IpAddress::Parse("239.1.2.3");
  spec.packets_per_second = 1000;
  spec.duration_seconds = 0.02;  // 20 packets, 20 ms.
  spec.size = 64;
  spec.ttl = 9;
  spec.dscp = 46;
  return spec;
}

std::unique_ptr<net::EventLoop> Loop() {
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create();
  EXPECT_TRUE(loop.ok()) << loop.status();
  return std::move(*loop);
}

TEST(SenderSessionTest, MapsTheSpecOnce) {
  SenderSpec spec = FiniteSpec();
  spec.interface = "eth7";
  spec.source = *inet::IpAddress::Parse("10.0.0.1");
  spec.loopback = false;
  spec.clock = SenderClock::kRealtime;
  net::SenderSocketOptions so = SenderSocketOptionsFor(spec);
  EXPECT_EQ(so.group, spec.group);
  EXPECT_EQ(so.port, spec.port);
  EXPECT_EQ(so.ttl, 9);
  EXPECT_EQ(so.dscp, 46);
  EXPECT_EQ(so.interface, "eth7");
  EXPECT_EQ(so.source, spec.source);
  EXPECT_FALSE(so.loopback);
  ProbeSenderOptions po = ProbeSenderOptionsFor(spec);
  EXPECT_EQ(po.packets_per_second, 1000);
  EXPECT_EQ(po.datagram_size, 64u);
  EXPECT_EQ(po.ttl, 9);
  EXPECT_EQ(po.dscp, 46);
  EXPECT_TRUE(po.realtime_clock);
  ASSERT_TRUE(po.count.has_value());
  EXPECT_EQ(*po.count, 20u);
  spec.duration_seconds = 0;  // Forever: no count.
  EXPECT_FALSE(ProbeSenderOptionsFor(spec).count.has_value());
}

TEST(SenderSessionTest, FiniteRunSendsItsCountAndStaysForTheLastInterval) {
  std::unique_ptr<net::EventLoop> loop = Loop();
  RecordingSink sink;
  absl::Mutex mu;
  bool locked_when_finished = false;
  SenderSessionOptions o;
  o.loop = loop.get();
  o.mu = &mu;
  o.sink_override = &sink;
  o.on_finished = [&] {
    // The front end's mutex is held around the callbacks.
    locked_when_finished = !mu.TryLock();
    if (!locked_when_finished) mu.Unlock();
    loop->Stop();
  };
  SenderSession session(FiniteSpec(), o);
  EXPECT_EQ(session.counters().packets, 0u);
  ASSERT_TRUE(session.Start().ok());
  EXPECT_FALSE(session.Start().ok());  // Once only.
  ASSERT_TRUE(loop->Run().ok());
  const int64_t elapsed = net::MonotonicNanos() - session.start_ns();
  EXPECT_TRUE(session.finished());
  EXPECT_TRUE(locked_when_finished);
  ASSERT_EQ(sink.sent.size(), 20u);
  EXPECT_EQ(session.counters().packets, 20u);
  EXPECT_EQ(session.counters().bytes, 20u * 64);
  EXPECT_EQ(session.counters().errors, 0u);
  // N packets take N intervals: the run ends when the 20th interval does.
  EXPECT_GE(elapsed, 20'000'000);
  packet::Header last;
  ASSERT_EQ(packet::DecodeHeader(sink.sent.back(), &last),
            packet::DecodeResult::kOk);
  EXPECT_EQ(last.sequence, 19u);
  EXPECT_TRUE(last.flags & packet::kFlagLastPacket);
  EXPECT_EQ(last.ttl, 9);
  EXPECT_EQ(last.dscp, 46);
  EXPECT_EQ(last.sender_id, session.sender().sender_id());
}

TEST(SenderSessionTest, WithoutASocketEveryPacketIsAnErrorNamingWhy) {
  std::unique_ptr<net::EventLoop> loop = Loop();
  std::vector<std::string> logged;
  SenderSpec spec = FiniteSpec();
  spec.interface = "nosuchif0";
  SenderSessionOptions o;
  o.loop = loop.get();
  o.log = [&](util::LogLevel, const std::string& m) { logged.push_back(m); };
  o.on_finished = [&] { loop->Stop(); };
  SenderSession session(spec, o);
  // Retried: the same error is logged once.
  session.ReopenSocket();
  session.ReopenSocket();
  EXPECT_FALSE(session.has_socket());
  absl::Status open = session.OpenSocket();
  ASSERT_FALSE(open.ok());
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0], std::string(open.message()) + " (retrying)");
  EXPECT_EQ(session.interface_name(), "nosuchif0");
  ASSERT_TRUE(session.Start().ok());
  ASSERT_TRUE(loop->Run().ok());
  EXPECT_EQ(session.counters().packets, 0u);
  EXPECT_EQ(session.counters().errors, 20u);
  EXPECT_EQ(session.counters().last_error, std::string(open.message()));
}

}  // namespace
}  // namespace mcast::probe
