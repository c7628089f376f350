#include "cli/status_command.h"

#include <gtest/gtest.h>

#include <sstream>

#include "proc/force_igmp_version.h"
#include "proc/mld_report_counters.h"
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
                      R"("force_igmp_version":2,"mld_version":null,)"
                      R"("force_mld_version":0,"mld_reports":null,)"
                      R"("groups":[)"
                      R"({"group":"239.3.3.3","family":"ipv4","users":1,)"
                      R"("filter_mode":"exclude","sources":["10.9.0.9"]},)"
                      R"({"group":"232.1.1.1","family":"ipv4","users":2,)"
                      R"("filter_mode":"include","sources":["10.9.0.2",)"
                      R"("10.9.0.3"]},)"
                      R"({"group":"239.1.1.1","family":"ipv4","users":2,)"
                      R"("filter_mode":"exclude","sources":[]},)"
                      R"({"group":"ff15::1234","family":"ipv6","users":1,)"
                      R"("filter_mode":"exclude","sources":[]}],)"
                      R"("querier":null}]})");
}

TEST(StatusCommandTest, QuerierWatchedShowsInTextAndJson) {
  StatusOptions options;
  options.interface = "cap0";
  std::vector<InterfaceStatus> status = MixedStatus(options);
  ASSERT_EQ(status.size(), 1u);
  net::QuerierTable table(0);
  net::MembershipQuery q;
  q.version = 2;
  q.max_response_ns = 10'000'000'000;
  table.OnQuery(3, "cap0", *inet::IpAddress::Parse("10.9.0.254"), q,
                1'000'000'000, 1'000'000'000);
  QuerierStatus watched;
  watched.igmp = table.View(3, net::QueryProtocol::kIgmp, 2'000'000'000);
  watched.mld_error = "permission denied";
  status[0].querier = watched;
  const std::string text = RenderTable(status, options);
  EXPECT_NE(text.find("  querier: IGMPv2 querier 10.9.0.254: query interval "
                      "125 s (default), max response 10 s, robustness 2, "
                      "last query 1 s ago, 1 query\n"),
            std::string::npos)
      << text;
  const nlohmann::ordered_json j = RenderJson(status);
  const nlohmann::ordered_json& qj = j["interfaces"][0]["querier"];
  EXPECT_EQ(qj["igmp"]["presence"], "present");
  EXPECT_EQ(qj["igmp"]["version"], 2);
  EXPECT_EQ(qj["igmp"]["query_interval_carried"], false);
  EXPECT_EQ(qj["mld"]["listening"], false);
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
            "  ff15::1234      1  exclude  any\n");
  options.all = true;
  s = MixedStatus(options);
  EXPECT_EQ(s[0].groups.size(), 4u);  // 239.2.2.2, 224.0.0.1, ff02::1, ff01::1
  EXPECT_EQ(s[2].groups.size(), 8u);
}

// The IPv6 capture: memberships from igmp6 + mcfilter6, MLD state from
// force_mld_version and dev_snmp6.
std::vector<InterfaceStatus> V6Status(const std::string& scenario,
                                      const StatusOptions& options) {
  const std::vector<netif::Interface> links = {Link(3, "cap0")};
  const std::vector<proc::InterfaceMemberships> memberships =
      proc::BuildMemberships(
          {}, {}, *proc::ParseIgmp6(ProcFixture(scenario + ".igmp6")),
          *proc::ParseMcFilter6(ProcFixture(scenario + ".mcfilter6")));
  const MldState mld{
      "cap0",
      *proc::ParseForceVersion(proc::GroupProtocol::kMld,
                               ProcFixture(scenario + ".force_mld_version")),
      *proc::ParseMldReportCounters(ProcFixture(scenario + ".dev_snmp6"))};
  return BuildStatus(links, memberships, {}, options, {mld});
}

TEST(StatusCommandTest, Ipv6GroupsFiltersAndMldVersion) {
  StatusOptions options;
  const std::vector<InterfaceStatus> s = V6Status("v6_mixed", options);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(RenderTable(s, options),
            "cap0 (index 3): up, multicast, MLDv2\n"
            "  addresses: none\n"
            "  GROUP         USERS  MODE     SOURCES\n"
            "  ff15::77          1  exclude  any but 2001:db8::9\n"
            "  ff3e::8000:1      2  include  2001:db8::5, 2001:db8::6\n"
            "  ff15::1234        2  exclude  any\n");
  const nlohmann::ordered_json j = RenderJson(s);
  const nlohmann::ordered_json& i = j["interfaces"][0];
  EXPECT_EQ(i["igmp_version"], nullptr);
  EXPECT_EQ(i["mld_version"], 2);
  EXPECT_EQ(i["force_mld_version"], 0);
  EXPECT_EQ(i["mld_reports"].dump(), R"({"v1":0,"v2":6})");
  EXPECT_EQ(i["groups"][1].dump(),
            R"({"group":"ff3e::8000:1","family":"ipv6","users":2,)"
            R"("filter_mode":"include","sources":["2001:db8::5",)"
            R"("2001:db8::6"]})");
}

TEST(StatusCommandTest, Ipv6ForcedMldv1) {
  StatusOptions options;
  const std::vector<InterfaceStatus> s = V6Status("v6_forced_v1", options);
  // Reports of both kinds were sent (v2 before the force), but the forced
  // value decides.
  EXPECT_EQ(s[0].mld_version, 1);
  EXPECT_EQ(s[0].force_mld_version, 1);
  EXPECT_EQ(RenderTable(s, options).substr(0, 49),
            "cap0 (index 3): up, multicast, MLDv1 (forced v1)\n");
  std::vector<MldState> unforced = {{"cap0", 0, {2, 4}}};
  const std::vector<InterfaceStatus> u =
      BuildStatus({Link(3, "cap0")}, {}, {}, options, unforced);
  EXPECT_EQ(u[0].mld_version, 0);
  EXPECT_EQ(RenderJson(u)["interfaces"][0]["mld_version"], nullptr);
  EXPECT_EQ(RenderTable(u, options).substr(0, 76),
            "cap0 (index 3): up, multicast, MLD version unknown (v1 and v2 "
            "reports sent)\n");
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
