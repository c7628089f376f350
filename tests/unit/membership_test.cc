#include "proc/membership.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "proc_fixture.h"

namespace mcast::proc {
namespace {

using ::mcast::testing::ProcFixture;
using ::testing::ElementsAre;

std::vector<InterfaceMemberships> Build(const std::string& scenario) {
  absl::StatusOr<std::vector<IgmpInterface>> igmp =
      ParseIgmp(ProcFixture(scenario + ".igmp"));
  absl::StatusOr<std::vector<McFilterEntry>> mcfilter =
      ParseMcFilter(ProcFixture(scenario + ".mcfilter"));
  absl::StatusOr<std::vector<Igmp6Entry>> igmp6 =
      ParseIgmp6(ProcFixture(scenario + ".igmp6"));
  EXPECT_TRUE(igmp.ok() && mcfilter.ok() && igmp6.ok());
  return BuildMemberships(*igmp, *mcfilter, *igmp6);
}

// IPv6 only: /proc/net/igmp6 with /proc/net/mcfilter6.
std::vector<InterfaceMemberships> Build6(const std::string& scenario) {
  absl::StatusOr<std::vector<Igmp6Entry>> igmp6 =
      ParseIgmp6(ProcFixture(scenario + ".igmp6"));
  absl::StatusOr<std::vector<McFilterEntry>> mcfilter6 =
      ParseMcFilter6(ProcFixture(scenario + ".mcfilter6"));
  EXPECT_TRUE(igmp6.ok() && mcfilter6.ok());
  return BuildMemberships({}, {}, *igmp6, *mcfilter6);
}

// "group mode [sources]" for compact expectations.
std::vector<std::string> Describe(const InterfaceMemberships& m) {
  std::vector<std::string> out;
  for (const GroupMembership& g : m.groups) {
    std::string s = g.group.ToString() + " " + FilterModeName(g.filter_mode);
    for (const inet::IpAddress& src : g.sources) s += " " + src.ToString();
    out.push_back(s + " users=" + std::to_string(g.users));
  }
  return out;
}

TEST(MembershipTest, MixedCaptureHasEveryMode) {
  const std::vector<InterfaceMemberships> m = Build("mixed");
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m[2].name, "cap0");
  EXPECT_EQ(m[2].igmp_version, 3);
  EXPECT_THAT(
      Describe(m[2]),
      ElementsAre("239.3.3.3 exclude 10.9.0.9 users=1",
                  "232.1.1.1 include 10.9.0.2 10.9.0.3 users=2",
                  "239.1.1.1 exclude users=2", "224.0.0.1 exclude users=1",
                  // Its newest IPv6 group, and mixed has no mcfilter6: any
                  // source (the IPv6 listing follows the IPv4 rule).
                  "ff15::1234 exclude users=1",
                  "ff02::1:ffbf:a59b exclude users=1",
                  "ff02::1 exclude users=1", "ff01::1 exclude users=1"));
  // lo comes before the first listed interface: only its newest group and
  // the kernel's own are known.
  EXPECT_THAT(
      Describe(m[0]),
      ElementsAre("239.2.2.2 exclude users=1", "224.0.0.1 exclude users=1",
                  "ff02::1 exclude users=1", "ff01::1 exclude users=1"));
  EXPECT_EQ(m[4].name, "averylongname15");
  EXPECT_EQ(Describe(m[4])[0], "232.5.5.5 include 10.9.1.2 users=1");
}

TEST(MembershipTest, HiddenSourceIsUnknownNotAnySource) {
  const std::vector<InterfaceMemberships> m = Build("hidden_source");
  EXPECT_THAT(
      Describe(m[2]),
      ElementsAre("239.1.1.1 exclude users=1", "232.1.1.1 unknown users=1",
                  "224.0.0.1 exclude users=1",
                  "ff02::1:ff16:b88 exclude users=1", "ff02::1 exclude users=1",
                  "ff01::1 exclude users=1"));
}

TEST(MembershipTest, PartialListingTrustsOnlyLaterInterfaces) {
  const std::vector<InterfaceMemberships> m = Build("partial_listing");
  EXPECT_EQ(Describe(m[2])[1], "232.1.1.1 unknown users=1");
  EXPECT_EQ(Describe(m[4])[0], "232.5.5.5 include 10.9.1.2 users=1");
}

TEST(MembershipTest, ForcedV2) {
  const std::vector<InterfaceMemberships> m = Build("forced_v2");
  EXPECT_EQ(m[2].igmp_version, 2);
  EXPECT_EQ(Describe(m[2])[0], "232.1.1.1 include 10.9.0.2 users=1");
}

TEST(MembershipTest, Ipv6MixedCaptureHasEveryMode) {
  const std::vector<InterfaceMemberships> m = Build6("v6_mixed");
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m[2].name, "cap0");
  EXPECT_EQ(m[2].igmp_version, 0);  // No IPv4 state given.
  EXPECT_THAT(
      Describe(m[2]),
      ElementsAre("ff15::77 exclude 2001:db8::9 users=1",
                  "ff3e::8000:1 include 2001:db8::5 2001:db8::6 users=2",
                  "ff15::1234 exclude users=2",
                  "ff02::1:ff62:d3c6 exclude users=1",
                  "ff02::1 exclude users=1", "ff01::1 exclude users=1"));
  // mcfilter6 cuts the name to "averyl": matched on the index.
  EXPECT_EQ(m[4].name, "averylongname15");
  EXPECT_EQ(Describe(m[4])[0], "ff3e::8000:2 include 2001:db8::7 users=1");
}

TEST(MembershipTest, Ipv6HiddenSourceIsUnknownNotAnySource) {
  const std::vector<InterfaceMemberships> m = Build6("v6_hidden_source");
  EXPECT_THAT(
      Describe(m[2]),
      ElementsAre("ff15::1234 exclude users=1", "ff3e::8000:1 unknown users=1",
                  "ff02::1:ff14:bc2d exclude users=1",
                  "ff02::1 exclude users=1", "ff01::1 exclude users=1"));
}

TEST(MembershipTest, Ipv6SourceFilterKeptUnderForcedMldv1) {
  const std::vector<InterfaceMemberships> m = Build6("v6_forced_v1");
  EXPECT_EQ(Describe(m[2])[0], "ff3e::8000:1 include 2001:db8::5 users=1");
  EXPECT_EQ(Describe(m[2])[1], "ff15::1234 exclude users=1");
}

TEST(MembershipTest, KernelDefaultGroups) {
  auto is_default = [](const char* text) {
    return IsKernelDefaultGroup(*inet::IpAddress::Parse(text));
  };
  EXPECT_TRUE(is_default("224.0.0.1"));
  EXPECT_TRUE(is_default("ff02::1"));
  EXPECT_TRUE(is_default("ff01::1"));
  EXPECT_TRUE(is_default("ff02::1:ff12:3456"));
  EXPECT_FALSE(is_default("224.0.0.2"));
  EXPECT_FALSE(is_default("ff02::2"));
  EXPECT_FALSE(is_default("ff15::1234"));
  EXPECT_FALSE(is_default("ff02::1:fe12:3456"));
}

}  // namespace
}  // namespace mcast::proc
