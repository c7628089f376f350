#include "cli/status_command.h"

#include <gtest/gtest.h>

#include <sstream>

#include "proc_fixture.h"
#include "version.h"

namespace mcast::cli {
namespace {

using ::mcast::testing::ProcFixture;

netif::Interface Link(int index, const std::string& name) {
  netif::Interface i;
  i.index = index;
  i.name = name;
  i.up = i.running = i.multicast = true;
  i.operstate = "up";
  return i;
}

std::vector<InterfaceStatus> MixedStatus(const StatusOptions& options) {
  netif::Interface cap0 = Link(3, "cap0");
  cap0.addresses.push_back({*inet::IpAddress::Parse("10.9.0.1"), 24});
  const std::vector<netif::Interface> links = {Link(1, "lo"), Link(2, "cap1"),
                                               cap0};
  const std::vector<proc::InterfaceMemberships> memberships =
      proc::BuildMemberships(
          *proc::ParseIgmp(ProcFixture("mixed.igmp")),
          *proc::ParseMcFilter(ProcFixture("mixed.mcfilter")),
          *proc::ParseIgmp6(ProcFixture("mixed.igmp6")));
  return BuildStatus(links, memberships, {{"cap0", 2}}, options);
}

TEST(StatusCommandTest, JsonOfOneInterface) {
  StatusOptions options;
  options.interface = "cap0";
  const nlohmann::ordered_json j = RenderJson(MixedStatus(options));
  EXPECT_EQ(j.dump(), R"({"interfaces":[{"name":"cap0","index":3,"up":true,)"
                      R"("running":true,"multicast":true,"operstate":"up",)"
                      R"("addresses":["10.9.0.1/24"],"igmp_version":3,)"
                      R"("force_igmp_version":2,"groups":[)"
                      R"({"group":"239.3.3.3","family":"ipv4","users":1,)"
                      R"("filter_mode":"exclude","sources":["10.9.0.9"]},)"
                      R"({"group":"232.1.1.1","family":"ipv4","users":2,)"
                      R"("filter_mode":"include","sources":["10.9.0.2",)"
                      R"("10.9.0.3"]},)"
                      R"({"group":"239.1.1.1","family":"ipv4","users":2,)"
                      R"("filter_mode":"exclude","sources":[]},)"
                      R"({"group":"ff15::1234","family":"ipv6","users":1,)"
                      R"("filter_mode":"unknown","sources":[]}]}]})");
}

TEST(StatusCommandTest, TableHidesKernelGroupsUnlessAll) {
  StatusOptions options;
  std::vector<InterfaceStatus> s = MixedStatus(options);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(RenderTable({s[1]}, options),
            "cap1 (index 2): up, multicast, IGMPv3\n"
            "  addresses: none\n"
            "  no groups (kernel groups hidden, see --all)\n");
  EXPECT_EQ(RenderTable({s[2]}, options),
            "cap0 (index 3): up, multicast, IGMPv3 (forced v2)\n"
            "  addresses: 10.9.0.1/24\n"
            "  GROUP       USERS  MODE     SOURCES\n"
            "  239.3.3.3       1  exclude  any but 10.9.0.9\n"
            "  232.1.1.1       2  include  10.9.0.2, 10.9.0.3\n"
            "  239.1.1.1       2  exclude  any\n"
            "  ff15::1234      1  unknown  ? (not listed by the kernel)\n");
  options.all = true;
  s = MixedStatus(options);
  EXPECT_EQ(s[0].groups.size(), 4u);  // 239.2.2.2, 224.0.0.1, ff02::1, ff01::1
  EXPECT_EQ(s[2].groups.size(), 8u);
}

TEST(StatusCommandTest, UsageErrorsAreOneLineAndExit64) {
  std::ostringstream out, err;
  const char* argv[] = {"mcast-status", "--bogus"};
  EXPECT_EQ(RunStatus(2, argv, out, err), 64);
  EXPECT_EQ(err.str(),
            "mcast-status: The following argument was not expected: --bogus "
            "(see --help)\n");
  std::ostringstream out2, err2;
  const char* argv2[] = {"mcast-status", "-i", "no-such-if0"};
  EXPECT_EQ(RunStatus(3, argv2, out2, err2), 64);
  EXPECT_EQ(err2.str(), "mcast-status: no interface named 'no-such-if0'\n");
  EXPECT_EQ(out2.str(), "");
}

TEST(StatusCommandTest, HelpAndVersionExitZero) {
  std::ostringstream out, err;
  const char* argv[] = {"mcast-status", "--help"};
  EXPECT_EQ(RunStatus(2, argv, out, err), 0);
  EXPECT_NE(out.str().find("mcast-status -i eth0"), std::string::npos);
  std::ostringstream out2, err2;
  const char* argv2[] = {"mcast-status", "--version"};
  EXPECT_EQ(RunStatus(2, argv2, out2, err2), 0);
  EXPECT_EQ(out2.str(), std::string(mcast::kVersion) + "\n");
}

}  // namespace
}  // namespace mcast::cli
