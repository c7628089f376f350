#include "probe/igmp6_membership_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "probe/igmp_membership.h"

namespace mcast::probe {
namespace {

inet::IpAddress Ip(const std::string& text) {
  return *inet::IpAddress::Parse(text);
}

proc::Igmp6Entry Entry(int index, const std::string& group, int users) {
  proc::Igmp6Entry e;
  e.index = index;
  e.device = "if" + std::to_string(index);
  e.group = Ip(group);
  e.users = users;
  return e;
}

// The index answers exactly what the scan answers, for every interface and
// group asked, listed or not: a line with no users is not a join, unless
// another line of the same interface and group has users; the version
// stays 0 throughout.
TEST(Igmp6MembershipIndexTest, SameAnswersAsTheScan) {
  const std::vector<proc::Igmp6Entry> igmp6 = {
      Entry(1, "ff02::1", 1), Entry(1, "ff15::1", 2), Entry(1, "ff15::2", 0),
      Entry(2, "ff02::1", 1), Entry(2, "ff15::2", 1), Entry(3, "ff15::3", 0),
      Entry(3, "ff15::3", 1), Entry(4, "ff15::4", 0),
  };
  const Igmp6MembershipIndex index(igmp6);
  int joined = 0;
  for (int if_index : {0, 1, 2, 3, 4, 5}) {
    for (const char* g : {"ff02::1", "ff15::1", "ff15::2", "ff15::3", "ff15::4",
                          "ff15::9", "239.1.1.1"}) {
      const IgmpMembership want = Igmp6MembershipOf(igmp6, if_index, Ip(g));
      const IgmpMembership got = index.Of(if_index, Ip(g));
      EXPECT_EQ(got.joined, want.joined) << if_index << " " << g;
      EXPECT_EQ(got.igmp_version, want.igmp_version) << if_index << " " << g;
      EXPECT_EQ(got.igmp_version, 0) << if_index << " " << g;
      joined += got.joined;
    }
  }
  // ff02::1 and ff15::1 on 1, ff02::1 and ff15::2 on 2, ff15::3 on 3.
  EXPECT_EQ(joined, 5);
  EXPECT_FALSE(index.Of(1, Ip("ff15::2")).joined);
  EXPECT_TRUE(index.Of(3, Ip("ff15::3")).joined);
  EXPECT_FALSE(index.Of(4, Ip("ff15::4")).joined);
}

// A thousand receivers' groups on one interface, as the exporter reads
// them: every one of them found, and none of another interface's.
TEST(Igmp6MembershipIndexTest, ThousandGroupsOnOneInterface) {
  std::vector<proc::Igmp6Entry> igmp6;
  for (int i = 0; i < 1000; ++i) {
    igmp6.push_back(Entry(7, "ff15::" + std::to_string(i + 1), 1));
  }
  const Igmp6MembershipIndex index(igmp6);
  int joined = 0;
  for (int i = 0; i < 1000; ++i) {
    const inet::IpAddress g = Ip("ff15::" + std::to_string(i + 1));
    EXPECT_EQ(index.Of(7, g).joined, Igmp6MembershipOf(igmp6, 7, g).joined);
    joined += index.Of(7, g).joined;
    EXPECT_FALSE(index.Of(8, g).joined);
  }
  EXPECT_EQ(joined, 1000);
}

}  // namespace
}  // namespace mcast::probe
