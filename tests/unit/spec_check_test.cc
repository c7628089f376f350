// probe/spec_check.h on typed specs: the rules the front ends' texts do not
// reach (whole-spec checks, sender_expiry 0 = never, the memory limit).
// Text-level verdicts are in probe_consistency_test.cc.

#include "probe/spec_check.h"

#include <gtest/gtest.h>

#include "absl/time/time.h"
#include "inet/ip_address.h"

namespace mcast::probe {
namespace {

SenderSpec ValidSender() {
  SenderSpec s;
  s.group = *inet::IpAddress::Parse("239.1.2.3");
  return s;
}

ReceiverSpec ValidReceiver() {
  ReceiverSpec r;
  r.group = *inet::IpAddress::Parse("239.1.2.3");
  return r;
}

TEST(SpecCheck, DefaultsAreValid) {
  EXPECT_TRUE(CheckSenderSpec(ValidSender()).empty());
  EXPECT_TRUE(CheckReceiverSpec(ValidReceiver()).empty());
}

TEST(SpecCheck, BadSizeIsReportedAloneNotAsARateProblemToo) {
  SenderSpec s = ValidSender();
  s.size = 20;
  s.packets_per_second = 2e6;
  std::vector<SpecProblem> problems = CheckSenderSpec(s);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, SpecField::kSize);
  EXPECT_EQ(problems[0].reason, "20 is out of range (32 to 65507 bytes)");
}

TEST(SpecCheck, RateAtTheSizeConcernsTheRate) {
  SenderSpec s = ValidSender();
  s.rate = "2Mpps";
  s.packets_per_second = 2e6;
  std::vector<SpecProblem> problems = CheckSenderSpec(s);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, SpecField::kRate);
  EXPECT_EQ(problems[0].reason,
            "2Mpps with 200-byte datagrams is 2000000 packets per second "
            "(0.001 to 1000000 packets per second)");
}

TEST(SpecCheck, SenderExpiryZeroMeansNeverAndIsAllowed) {
  ReceiverSpec r = ValidReceiver();
  r.sender_expiry = absl::ZeroDuration();
  EXPECT_TRUE(CheckSenderExpiry(r).ok());
  r.sender_expiry = absl::Seconds(3);  // == max(stall, window): the floor.
  EXPECT_TRUE(CheckSenderExpiry(r).ok());
  r.sender_expiry = absl::Milliseconds(2999);
  absl::Status status = CheckSenderExpiry(r);
  EXPECT_EQ(status.message(),
            "2.999s is shorter than stall_timeout or reorder_window (3s): use "
            "at least that");
  EXPECT_EQ(CheckSenderExpiry(r, /*is_default=*/true).message(),
            "2.999s (the default) is shorter than stall_timeout or "
            "reorder_window (3s): use at least that");
}

TEST(SpecCheck, SsmNeedsIgmpV3AsmDoesNot) {
  ReceiverSpec r = ValidReceiver();
  r.igmp_version = 2;
  EXPECT_TRUE(CheckReceiverSpec(r).empty());
  r.source = *inet::IpAddress::Parse("10.0.0.1");
  std::vector<SpecProblem> problems = CheckReceiverSpec(r);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, SpecField::kIgmpVersion);
  EXPECT_EQ(problems[0].reason,
            "SSM receiver (source 10.0.0.1) needs IGMP version 3, got 2");
}

TEST(SpecCheck, MemoryLimitConcernsMaxSenders) {
  ReceiverSpec r = ValidReceiver();
  const uint64_t need = WorstCaseBytes(r);
  EXPECT_TRUE(CheckReceiverSpec(r, need).empty());
  std::vector<SpecProblem> problems = CheckReceiverSpec(r, need - 1);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, SpecField::kMaxSenders);
  // Another receiver's share counts against the same limit.
  EXPECT_FALSE(CheckReceiverMemory(r, 1, need, "the limit", "lower it").ok());
  EXPECT_TRUE(CheckReceiverMemory(r, 0, need, "the limit", "lower it").ok());
}

TEST(SpecCheck, GroupBlockIsCheckedByNumberNotText) {
  // The block's edges; "224.0.10.1" starts with "224.0.1" but is outside.
  EXPECT_FALSE(ParseGroup("224.0.0.5").ok());
  EXPECT_FALSE(ParseGroup("224.0.0.255").ok());
  EXPECT_TRUE(ParseGroup("224.0.1.0").ok());
  EXPECT_TRUE(ParseGroup("224.0.10.1").ok());
  EXPECT_TRUE(ParseGroup("224.0.100.1").ok());
  EXPECT_FALSE(ParseGroup("224.0.0.0").ok());
}

TEST(SpecCheck, InterfaceNameLengthIsTheKernelsIfnamsizMinusOne) {
  EXPECT_TRUE(CheckInterfaceName("abcdefghijklmno").ok());    // 15
  EXPECT_FALSE(CheckInterfaceName("abcdefghijklmnop").ok());  // 16
  EXPECT_FALSE(CheckInterfaceName("").ok());
  EXPECT_FALSE(CheckInterfaceName("eth\n0").ok());
}

}  // namespace
}  // namespace mcast::probe
