#include "probe/igmp_membership_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "probe/igmp_membership.h"

namespace mcast::probe {
namespace {

inet::IpAddress Ip(const std::string& text) {
  return *inet::IpAddress::Parse(text);
}

proc::IgmpInterface Interface(int index, int version,
                              const std::vector<std::string>& groups) {
  proc::IgmpInterface i;
  i.index = index;
  i.name = "if" + std::to_string(index);
  i.querier_version = version;
  for (const std::string& g : groups) {
    proc::IgmpGroup group;
    group.group = Ip(g);
    group.users = 1;
    i.groups.push_back(group);
  }
  i.count = static_cast<int>(i.groups.size());
  return i;
}

// The index answers exactly what the scan answers, for every interface and
// group asked, listed or not, including an index listed twice (the first
// listing counts).
TEST(IgmpMembershipIndexTest, SameAnswersAsTheScan) {
  const std::vector<proc::IgmpInterface> igmp = {
      Interface(1, 3, {"224.0.0.1", "239.1.1.1", "239.1.1.2"}),
      Interface(2, 2, {"224.0.0.1", "239.2.2.2"}),
      Interface(5, 1, {}),
      Interface(2, 3, {"239.9.9.9"}),
  };
  const IgmpMembershipIndex index(igmp);
  int joined = 0;
  for (int if_index : {0, 1, 2, 3, 5}) {
    for (const char* g : {"224.0.0.1", "239.1.1.1", "239.1.1.2", "239.2.2.2",
                          "239.9.9.9", "239.3.3.3", "ff15::1"}) {
      const IgmpMembership want = IgmpMembershipOf(igmp, if_index, Ip(g));
      const IgmpMembership got = index.Of(if_index, Ip(g));
      EXPECT_EQ(got.joined, want.joined) << if_index << " " << g;
      EXPECT_EQ(got.igmp_version, want.igmp_version) << if_index << " " << g;
      joined += got.joined;
    }
  }
  // 224.0.0.1 and two groups on 1, 224.0.0.1 and 239.2.2.2 on 2.
  EXPECT_EQ(joined, 5);
  EXPECT_EQ(index.Of(2, Ip("239.9.9.9")).igmp_version, 2);
  EXPECT_FALSE(index.Of(2, Ip("239.9.9.9")).joined);
  EXPECT_EQ(index.Of(5, Ip("239.1.1.1")).igmp_version, 1);
  EXPECT_EQ(index.Of(7, Ip("239.1.1.1")).igmp_version, 0);
}

}  // namespace
}  // namespace mcast::probe
