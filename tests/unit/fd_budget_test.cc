#include "exporter/fd_budget.h"

#include <gtest/gtest.h>

#include "absl/status/status.h"
#include "exporter/config.h"
#include "exporter/http_limits.h"

namespace mcast::exporter {
namespace {

Config WithProbes(size_t senders, size_t receivers) {
  Config config;
  config.senders.resize(senders);
  config.receivers.resize(receivers);
  return config;
}

TEST(FdBudgetTest, FixedPartCoversTheHttpServersWorstCase) {
  // Every worker busy and the accept queue full, plus the loop's own.
  EXPECT_GE(FdBudget::Fixed(),
            static_cast<uint64_t>(kHttpWorkers + kHttpConnectionQueue));
  // The sum fd_budget.h itemises; a change there must be deliberate.
  EXPECT_EQ(FdBudget::Fixed(), 342u);
  EXPECT_EQ(FdBudgetFor(Config{}).Total(), FdBudget::Fixed());
}

TEST(FdBudgetTest, SendersCostNothingAndEachReceiverOne) {
  // Senders share the scheduler's timer and sockets, counted as fixed.
  const uint64_t base = FdBudgetFor(WithProbes(10, 10)).Total();
  EXPECT_EQ(FdBudgetFor(WithProbes(11, 10)).Total(), base);
  EXPECT_EQ(FdBudgetFor(WithProbes(10, 11)).Total(), base + 1);
  EXPECT_EQ(FdBudgetFor(WithProbes(5000, 40)).Total(), 40u + 342u);
}

TEST(FdBudgetTest, Ipv6SendersCostNothingEither) {
  // They share the scheduler's IPv6 sockets, counted as fixed.
  Config config = WithProbes(3, 1);
  config.senders[0].group = *inet::IpAddress::Parse("ff0e::1");
  config.senders[1].group = *inet::IpAddress::Parse("ff15::2");
  const FdBudget b = FdBudgetFor(config);
  EXPECT_EQ(b.senders, 3u);
  EXPECT_EQ(b.Total(), 1u + 342u);
  EXPECT_EQ(b.Breakdown(), "3 senders x 0 + 1 receivers x 1 + 342 fixed");
}

TEST(FdBudgetTest, BreakdownNamesEveryTerm) {
  EXPECT_EQ(FdBudgetFor(WithProbes(1000, 40)).Breakdown(),
            "1000 senders x 0 + 40 receivers x 1 + 342 fixed");
}

TEST(FdBudgetTest, EachFurtherListenAddressIsOneMore) {
  const Config config = WithProbes(2, 3);
  const uint64_t one = FdBudgetFor(config).Total();
  EXPECT_EQ(FdBudgetFor(config, 1).Total(), one);
  EXPECT_EQ(FdBudgetFor(config, 3).Total(), one + 2);
  EXPECT_EQ(FdBudgetFor(config, 3).Breakdown(),
            "2 senders x 0 + 3 receivers x 1 + 2 more listen addresses x 1 + "
            "342 fixed");
  // Fits with one address, not with three.
  EXPECT_TRUE(CheckFdBudget(config, one, 1).ok());
  EXPECT_TRUE(CheckFdBudget(config, one + 2, 3).ok());
  const absl::Status s = CheckFdBudget(config, one + 1, 3);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(),
            "config needs 347 file descriptors (2 senders x 0 + 3 receivers x "
            "1 + 2 more listen addresses x 1 + 342 fixed), the open-file "
            "limit is 346 (raise LimitNOFILE or ulimit -n)");
}

TEST(FdBudgetTest, ListenSocketsOnePerAddressAndCommaPart) {
  EXPECT_EQ(ListenSocketsFor({}), 1u);  // The config's one address.
  EXPECT_EQ(ListenSocketsFor({"127.0.0.1:0"}), 1u);
  EXPECT_EQ(ListenSocketsFor({"127.0.0.1:1", "[::1]:1", "0.0.0.0:2"}), 3u);
  // civetweb splits its listening_ports on commas.
  EXPECT_EQ(ListenSocketsFor({"127.0.0.1:1,127.0.0.1:2", "[::1]:3"}), 3u);
}

TEST(FdBudgetTest, ExactlyTheLimitFits) {
  const Config config = WithProbes(30, 60);
  const uint64_t need = FdBudgetFor(config).Total();
  EXPECT_TRUE(CheckFdBudget(config, need).ok());
  EXPECT_TRUE(CheckFdBudget(config, need + 1).ok());
  EXPECT_FALSE(CheckFdBudget(config, need - 1).ok());
}

TEST(FdBudgetTest, TooBigIsOneClearLine) {
  const absl::Status s = CheckFdBudget(WithProbes(1000, 1040), 1024);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(),
            "config needs 1382 file descriptors (1000 senders x 0 + 1040 "
            "receivers x 1 + 342 fixed), the open-file limit is 1024 (raise "
            "LimitNOFILE or ulimit -n)");
}

TEST(FdBudgetTest, ZeroLimitRefusesEvenNoProbes) {
  // CurrentOpenFileLimit() answers 0 when it cannot read the limit.
  EXPECT_FALSE(CheckFdBudget(Config{}, 0).ok());
}

}  // namespace
}  // namespace mcast::exporter
