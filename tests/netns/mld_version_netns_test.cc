// force_mld_version through the version guard, and the MLD read-back,
// against the real kernel of the test namespace: a join on a veth sends an
// MLDv1 report (Icmp6OutGroupMembResponses rises) while the guard forces 1,
// an MLDv2 report (Icmp6OutMLDv2Reports) once it restored 0, and
// MldVersionReadBack names the version from what rose.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "net/igmp_version_guard.h"
#include "proc/force_igmp_version_file.h"
#include "proc/mld_report_counters.h"
#include "proc/mld_version_read_back.h"
#include "util/unique_fd.h"

namespace mcast::net {
namespace {

using proc::GroupProtocol;

// Joins `group` on `iface` and holds the membership while alive.
util::UniqueFd Join(const char* iface, const char* group) {
  util::UniqueFd fd(socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  ipv6_mreq mreq{};
  inet_pton(AF_INET6, group, &mreq.ipv6mr_multiaddr);
  mreq.ipv6mr_interface = if_nametoindex(iface);
  EXPECT_EQ(
      setsockopt(fd.get(), IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq, sizeof(mreq)),
      0);
  return fd;
}

proc::MldReportCounters Counters(const char* iface) {
  absl::StatusOr<proc::MldReportCounters> c =
      proc::ReadMldReportCounters(iface);
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *c : proc::MldReportCounters{};
}

// The join's report is sent at once, but give the counter a moment.
proc::MldReportCounters CountersAfterAReport(const char* iface,
                                             const proc::MldReportCounters& b) {
  proc::MldReportCounters now = Counters(iface);
  for (int i = 0; i < 50 && now == b; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    now = Counters(iface);
  }
  return now;
}

TEST(MldVersionNetnsTest, GuardForcesTheReportsAndTheReadBackSeesThem) {
  ASSERT_EQ(std::system("ip link add mlg0 type veth peer name mlg1 && "
                        "ip link set mlg0 up && ip link set mlg1 up"),
            0);
  // Let the links' own first reports (solicited-node groups) go out.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  std::string tmpl = std::filesystem::temp_directory_path() / "mld-st.XXXXXX";
  const std::string dir = mkdtemp(tmpl.data());
  IgmpVersionGuard::Options o;
  o.state_dir = dir + "/state";
  o.protocol = GroupProtocol::kMld;
  {
    absl::StatusOr<IgmpVersionGuard> guard =
        IgmpVersionGuard::Force("mlg0", 1, o);
    ASSERT_TRUE(guard.ok()) << guard.status();
    EXPECT_TRUE(guard->recorded());
    EXPECT_EQ(*proc::ReadForcedVersion(GroupProtocol::kMld, "mlg0"), 1);
    EXPECT_EQ(*proc::ReadForcedIgmpVersion("mlg0"), 0);  // IPv4 untouched.

    const proc::MldReportCounters before = Counters("mlg0");
    proc::MldVersionReadBack read_back;
    read_back.Start(before);
    util::UniqueFd member = Join("mlg0", "ff15::4d4c:1");
    const proc::MldReportCounters after = CountersAfterAReport("mlg0", before);
    EXPECT_GE(after.v1_reports, before.v1_reports + 1);
    EXPECT_EQ(after.v2_reports, before.v2_reports);
    // Forced: the answer is the forced value; and without the force the
    // counters alone say v1 too.
    EXPECT_EQ(read_back.Update(1, after), 1);
    proc::MldVersionReadBack unforced;
    unforced.Start(before);
    EXPECT_EQ(unforced.Update(0, after), 1);
  }
  EXPECT_EQ(*proc::ReadForcedVersion(GroupProtocol::kMld, "mlg0"), 0);
  std::error_code ec;
  EXPECT_TRUE(std::filesystem::is_empty(dir + "/state", ec));

  const proc::MldReportCounters before = Counters("mlg0");
  proc::MldVersionReadBack read_back;
  read_back.Start(before);
  util::UniqueFd member = Join("mlg0", "ff15::4d4c:2");
  const proc::MldReportCounters after = CountersAfterAReport("mlg0", before);
  EXPECT_GE(after.v2_reports, before.v2_reports + 1);
  EXPECT_EQ(after.v1_reports, before.v1_reports);
  EXPECT_EQ(read_back.Update(0, after), 2);
  std::filesystem::remove_all(dir, ec);
  ASSERT_EQ(std::system("ip link del mlg0"), 0);
}

}  // namespace
}  // namespace mcast::net
