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

inet::IpAddress Ip(const char* text) { return *inet::IpAddress::Parse(text); }

TEST(SpecCheck, Ipv6GroupsFollowTheRulesOfLimitsH) {
  for (const char* ok :
       {"ff3e::8000:1", "ff15::1234", "ff02::1234", "ff01::77", "ff12::1",
        "ff32::1", "ff0e::1234", "ff1e:1::1", "ff3e:40:2001:db8::1",
        "ff7e:140:2001:db8::1", "ff05::1:3", "ff0e::1:2"}) {
    EXPECT_TRUE(ParseGroup(ok).ok()) << ok;
  }
  for (const char* bad : {
           "ff00::1234",  // scope 0
           "ff0f::1234",  // scope 15
           "ff02::1",     // all-nodes
           "ff01::1",     // all-nodes, interface-local
           "ff02::2",
           "ff05::2",         // all-routers
           "ff0e::",          // group id 0
           "ff02::16",        // MLDv2 reports
           "ff02::1:ff00:1",  // solicited-node
           "ff2e::1",         // P without T
           "ff5e::1",
           "ff4e::1",              // R without P and T
           "ff3e:41:2001:db8::1",  // prefix length 65
           "fe80::1",
           "2001:db8::1",
           "::",
       }) {
    EXPECT_FALSE(ParseGroup(bad).ok()) << bad;
  }
  // Transient groups with small ids are probe groups (ff12::1 above).
  EXPECT_EQ(ParseGroup("ff02::1").status().message(),
            "ff02::1 is reserved for the network's own use (all-nodes, "
            "all-routers, MLD reports, neighbour discovery) (an IPv6 "
            "multicast address, e.g. \"ff3e::8000:1\", not ff0X::0, ::1, ::2, "
            "ff02::16 or ff02::1:ff00:0/104)");
  EXPECT_EQ(ParseGroup("ff3e::zz").status().message(),
            "'ff3e::zz' is not an IP address (an IPv6 multicast address, e.g. "
            "\"ff3e::8000:1\")");
}

TEST(SpecCheck, Ipv6Sources) {
  EXPECT_TRUE(ParseSource("2001:db8::5").ok());
  EXPECT_TRUE(ParseSource("::1").ok());
  EXPECT_TRUE(ParseSource("fe80::1").ok());
  EXPECT_FALSE(ParseSource("::").ok());
  EXPECT_FALSE(ParseSource("ff3e::1").ok());
  EXPECT_EQ(ParseSource("::ffff:10.0.0.1").status().message(),
            "::ffff:10.0.0.1 is an IPv4-mapped address (an IPv6 unicast "
            "address, e.g. \"2001:db8::5\"; for IPv4 write 10.0.0.1)");
}

TEST(SpecCheck, ScopesAndSsmRange) {
  EXPECT_EQ(MulticastScope(Ip("ff3e::1")), 14);
  EXPECT_EQ(MulticastScope(Ip("239.1.1.1")), -1);
  EXPECT_TRUE(GroupNeedsInterface(Ip("ff01::77")));
  EXPECT_TRUE(GroupNeedsInterface(Ip("ff32::1")));
  EXPECT_FALSE(GroupNeedsInterface(Ip("ff03::1")));
  EXPECT_FALSE(GroupNeedsInterface(Ip("ff15::1")));
  EXPECT_FALSE(GroupNeedsInterface(Ip("224.0.1.1")));
  EXPECT_TRUE(IsSsmGroup(Ip("ff3e::8000:1")));
  EXPECT_TRUE(IsSsmGroup(Ip("ff35::1")));
  EXPECT_FALSE(IsSsmGroup(Ip("ff3e:40:2001:db8::1")));  // prefix-based ASM
  EXPECT_FALSE(IsSsmGroup(Ip("ff1e::1")));
  EXPECT_TRUE(IsSsmGroup(Ip("232.1.1.1")));
  EXPECT_FALSE(IsSsmGroup(Ip("239.1.1.1")));
}

TEST(SpecCheck, TheFamilyFollowsTheGroup) {
  ReceiverSpec r = ValidReceiver();
  r.source = Ip("2001:db8::5");
  std::vector<SpecProblem> problems = CheckReceiverSpec(r);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, SpecField::kSource);
  EXPECT_EQ(problems[0].reason,
            "2001:db8::5 is an IPv6 address and the group 239.1.2.3 is IPv4 "
            "(the source must be of the group's family)");
  r.group = Ip("ff3e::8000:1");
  EXPECT_TRUE(CheckReceiverSpec(r).empty());
  r.source = Ip("10.0.0.1");
  ASSERT_EQ(CheckReceiverSpec(r).size(), 1u);

  SenderSpec s = ValidSender();
  s.group = Ip("ff3e::8000:1");
  EXPECT_TRUE(CheckSenderSpec(s).empty());
  s.source = Ip("10.0.0.1");
  problems = CheckSenderSpec(s);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, SpecField::kSource);
}

TEST(SpecCheck, LinkScopedGroupsAndLinkLocalSourcesNeedAnInterface) {
  for (const char* group : {"ff02::1234", "ff01::77", "ff12::9", "ff32::9"}) {
    ReceiverSpec r = ValidReceiver();
    r.group = Ip(group);
    std::vector<SpecProblem> problems = CheckReceiverSpec(r);
    ASSERT_EQ(problems.size(), 1u) << group;
    EXPECT_EQ(problems[0].field, SpecField::kInterface);
    r.interface = "eth1";
    EXPECT_TRUE(CheckReceiverSpec(r).empty()) << group;
    SenderSpec s = ValidSender();
    s.group = Ip(group);
    EXPECT_EQ(CheckSenderSpec(s).size(), 1u) << group;
  }
  SenderSpec s = ValidSender();
  s.group = Ip("ff15::1234");
  EXPECT_TRUE(CheckSenderSpec(s).empty());
  s.source = Ip("fe80::1");
  std::vector<SpecProblem> problems = CheckSenderSpec(s);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].reason,
            "none given for the link-local source fe80::1: it is an address "
            "of one link, so name it");
  EXPECT_EQ(
      CheckScopeInterface(Ip("ff01::77"), inet::IpAddress(), "").message(),
      "none given for ff01::77, an interface-local group (scope 1): it "
      "exists on every link, so name the one to use");
}

TEST(SpecCheck, InterfaceNameLengthIsTheKernelsIfnamsizMinusOne) {
  EXPECT_TRUE(CheckInterfaceName("abcdefghijklmno").ok());    // 15
  EXPECT_FALSE(CheckInterfaceName("abcdefghijklmnop").ok());  // 16
  EXPECT_FALSE(CheckInterfaceName("").ok());
  EXPECT_FALSE(CheckInterfaceName("eth\n0").ok());
}

}  // namespace
}  // namespace mcast::probe
