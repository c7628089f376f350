// SendScheduler without sockets: flows without a route count their due
// packets as errors, which exercises the pacing, the rounds and the
// per-wake-up limit; sending through shared sockets is tested in
// tests/netns/shared_send_test.cc.

#include "probe/send_scheduler.h"

#include <gtest/gtest.h>

#include <memory>

namespace mcast::probe {
namespace {

constexpr int64_t kMs = 1'000'000;

std::unique_ptr<ProbeSender> Sender(double pps, int64_t start) {
  ProbeSenderOptions o;
  o.packets_per_second = pps;
  return std::make_unique<ProbeSender>(o, nullptr, start);
}

class SendSchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = net::EventLoop::Create();
    ASSERT_TRUE(loop.ok()) << loop.status();
    loop_ = *std::move(loop);
    SendSchedulerOptions o;
    o.loop = loop_.get();
    auto s = SendScheduler::Create(o);
    ASSERT_TRUE(s.ok()) << s.status();
    scheduler_ = *std::move(s);
  }
  std::unique_ptr<net::EventLoop> loop_;
  std::unique_ptr<SendScheduler> scheduler_;
};

TEST_F(SendSchedulerTest, WithoutARouteDuePacketsAreErrorsWithTheReason) {
  auto s = Sender(1000, 0);
  scheduler_->Add(s.get(), nullptr, "no such device nosuch0");
  scheduler_->SendDue(9 * kMs);  // Packets 0..9.
  EXPECT_EQ(s->counters().errors, 10u);
  EXPECT_EQ(s->counters().packets, 0u);
  EXPECT_EQ(s->counters().last_error, "no such device nosuch0");
  scheduler_->SendDue(9 * kMs + 1);  // Nothing new is due.
  EXPECT_EQ(s->counters().errors, 10u);
  scheduler_->SetRoute(0, nullptr, "still nothing");
  scheduler_->SendDue(19 * kMs);
  EXPECT_EQ(s->counters().errors, 20u);
  EXPECT_EQ(s->counters().last_error, "still nothing");
}

TEST_F(SendSchedulerTest, OneFastFlowCannotStarveTheOthers) {
  auto fast = Sender(1e7, 0);
  auto slow = Sender(100, 0);
  scheduler_->Add(fast.get(), nullptr, "x");
  scheduler_->Add(slow.get(), nullptr, "x");
  scheduler_->SendDue(1000 * kMs);
  // The fast one is 10 M behind: kMaxPerCall this wake-up, in rounds of
  // kBatch; the slow one gets all of its 101.
  EXPECT_EQ(fast->pacer().sent(), ProbeSender::kMaxPerCall);
  EXPECT_EQ(slow->pacer().sent(), 101u);
  scheduler_->SendDue(1000 * kMs + 1);
  EXPECT_EQ(fast->pacer().sent(), 2 * ProbeSender::kMaxPerCall);
  EXPECT_EQ(slow->pacer().sent(), 101u);
}

TEST_F(SendSchedulerTest, FlowsWaitForTheirWakeAndRemovedOnesStop) {
  auto a = Sender(100, 0);        // Every 10 ms.
  auto b = Sender(100, 5 * kMs);  // Every 10 ms, 5 ms later.
  const SendScheduler::FlowId ia = scheduler_->Add(a.get(), nullptr, "x");
  scheduler_->Add(b.get(), nullptr, "x");
  scheduler_->SendDue(1 * kMs);
  EXPECT_EQ(a->pacer().sent(), 1u);
  EXPECT_EQ(b->pacer().sent(), 0u);
  scheduler_->SendDue(5 * kMs);
  EXPECT_EQ(a->pacer().sent(), 1u);
  EXPECT_EQ(b->pacer().sent(), 1u);
  scheduler_->Remove(ia);
  EXPECT_EQ(scheduler_->flows(), 1u);
  scheduler_->SendDue(100 * kMs);
  EXPECT_EQ(a->pacer().sent(), 1u);
  EXPECT_EQ(b->pacer().sent(), 10u);  // 5, 15, ..., 95 ms.
  // The slot is reused; the stale heap entry of the removed flow is not.
  auto c = Sender(100, 100 * kMs);
  EXPECT_EQ(scheduler_->Add(c.get(), nullptr, "x"), ia);
  scheduler_->SendDue(100 * kMs);
  EXPECT_EQ(c->pacer().sent(), 1u);
  EXPECT_EQ(a->pacer().sent(), 1u);
}

}  // namespace
}  // namespace mcast::probe
