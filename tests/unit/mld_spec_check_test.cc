// The MLD half of the one receiver validation (probe/spec_check.h): the
// version bound, SSM over IPv6 needing MLDv2, and the version belonging to
// the group's family.
#include <gtest/gtest.h>

#include "probe/spec_check.h"

namespace mcast::probe {
namespace {

inet::IpAddress Ip(const char* text) { return *inet::IpAddress::Parse(text); }

TEST(MldSpecCheckTest, VersionIsOneOrTwo) {
  EXPECT_EQ(*CheckMldVersion(1), 1);
  EXPECT_EQ(*CheckMldVersion(2), 2);
  EXPECT_EQ(CheckMldVersion(3).status().message(),
            "3 is out of range (1 or 2)");
  EXPECT_EQ(CheckMldVersion(0).status().message(),
            "0 is out of range (1 or 2)");
}

TEST(MldSpecCheckTest, Ipv6SsmNeedsMldv2) {
  ReceiverSpec spec;
  spec.group = Ip("ff3e::8000:1");
  spec.source = Ip("2001:db8::5");
  spec.mld_version = 1;
  std::vector<SpecProblem> p = CheckReceiverSpec(spec);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].field, SpecField::kMldVersion);
  EXPECT_STREQ(SpecFieldKey(p[0].field), "mld_version");
  EXPECT_EQ(p[0].reason,
            "SSM receiver (source 2001:db8::5) needs MLD version 2 (MLDv1 "
            "reports carry no sources), got 1");
  spec.mld_version = 2;
  EXPECT_TRUE(CheckReceiverSpec(spec).empty());
  // ASM over IPv6 may use MLDv1; the IGMP version is not looked at.
  spec.source = inet::IpAddress();
  spec.mld_version = 1;
  spec.igmp_version = 9;
  EXPECT_TRUE(CheckReceiverSpec(spec).empty());
}

TEST(MldSpecCheckTest, Ipv4ReceiverIgnoresTheMldVersion) {
  ReceiverSpec spec;
  spec.group = Ip("232.1.1.1");
  spec.source = Ip("10.0.0.1");
  spec.mld_version = 1;
  EXPECT_TRUE(CheckReceiverSpec(spec).empty());
  spec.igmp_version = 2;
  std::vector<SpecProblem> p = CheckReceiverSpec(spec);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].field, SpecField::kIgmpVersion);
}

TEST(MldSpecCheckTest, VersionBelongsToTheGroupFamily) {
  EXPECT_TRUE(CheckVersionFamily(Ip("239.1.1.1"), true, false).empty());
  EXPECT_TRUE(CheckVersionFamily(Ip("ff15::1"), false, true).empty());
  std::vector<SpecProblem> p = CheckVersionFamily(Ip("ff15::1"), true, false);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].field, SpecField::kIgmpVersion);
  EXPECT_EQ(p[0].reason,
            "IGMP is for IPv4 groups; ff15::1 is an IPv6 group, whose "
            "version is MLD's (1 or 2)");
  p = CheckVersionFamily(Ip("239.1.1.1"), false, true);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].field, SpecField::kMldVersion);
  EXPECT_EQ(p[0].reason,
            "MLD is for IPv6 groups; 239.1.1.1 is an IPv4 group, whose "
            "version is IGMP's (1, 2 or 3)");
  EXPECT_EQ(CheckVersionFamily(Ip("239.1.1.1"), true, true).size(), 1u);
}

}  // namespace
}  // namespace mcast::probe
