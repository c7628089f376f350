#include "probe/receiver_session.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "net/event_loop.h"
#include "proc_fixture.h"

namespace mcast::probe {
namespace {

namespace fs = std::filesystem;

inet::IpAddress Ip(const char* text) { return *inet::IpAddress::Parse(text); }

TEST(IgmpMembershipTest, JoinedAndVersionOfTheReceiversInterface) {
  absl::StatusOr<std::vector<proc::IgmpInterface>> igmp =
      proc::ParseIgmp(testing::ProcFixture("mixed.igmp"));
  ASSERT_TRUE(igmp.ok()) << igmp.status();
  IgmpMembership m = IgmpMembershipOf(*igmp, 3, Ip("239.1.1.1"));
  EXPECT_TRUE(m.joined);
  EXPECT_EQ(m.igmp_version, 3);
  m = IgmpMembershipOf(*igmp, 2, Ip("239.1.1.1"));  // Not on cap1.
  EXPECT_FALSE(m.joined);
  EXPECT_EQ(m.igmp_version, 3);
  m = IgmpMembershipOf(*igmp, 99, Ip("239.1.1.1"));  // No such interface.
  EXPECT_FALSE(m.joined);
  EXPECT_EQ(m.igmp_version, 0);
}

TEST(IgmpMembershipTest, VersionInEffectIsTheQueriersNotTheForcedOne) {
  absl::StatusOr<std::vector<proc::IgmpInterface>> igmp =
      proc::ParseIgmp(testing::ProcFixture("forced_v2.igmp"));
  ASSERT_TRUE(igmp.ok()) << igmp.status();
  bool seen_v2 = false;
  for (const proc::IgmpInterface& i : *igmp) {
    IgmpMembership m = IgmpMembershipOf(*igmp, i.index, inet::IpAddress());
    EXPECT_EQ(m.igmp_version, i.querier_version);
    seen_v2 = seen_v2 || m.igmp_version == 2;
  }
  EXPECT_TRUE(seen_v2);
}

TEST(ReceiverSessionTest, MapsTheSpecOnce) {
  ReceiverSpec spec;
  spec.group = Ip("232.1.1.1");
  spec.source = Ip("10.0.0.1");
  spec.port = 5000;
  spec.interface = "eth3";
  net::ReceiverSocketOptions o = ReceiverSocketOptionsFor(spec);
  EXPECT_EQ(o.group, spec.group);
  EXPECT_EQ(o.source, spec.source);
  EXPECT_EQ(o.port, 5000);
  EXPECT_EQ(o.interface, "eth3");
}

class FakeForceFile {
 public:
  FakeForceFile() {
    std::string tmpl = (fs::temp_directory_path() / "rx-session.XXXXXX");
    root_ = mkdtemp(tmpl.data());
    fs::create_directories(fs::path(root_) / "sys/net/ipv4/conf/nosuchif0");
    std::ofstream(file()) << "0\n";
  }
  ~FakeForceFile() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  fs::path file() const {
    return fs::path(root_) / "sys/net/ipv4/conf/nosuchif0/force_igmp_version";
  }
  std::string Read() const {
    std::ifstream in(file());
    std::string s;
    std::getline(in, s);
    return s;
  }
  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

TEST(ReceiverSessionTest, ForcesBeforeTheJoinRestoresAfterAndRetriesQuietly) {
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create();
  ASSERT_TRUE(loop.ok()) << loop.status();
  FakeForceFile proc;
  std::vector<std::string> warnings;
  ReceiverSpec spec;
  spec.group = Ip("239.1.2.3");
  spec.interface = "nosuchif0";  // Its sysctl is fake, the device absent.
  spec.igmp_version = 2;
  ReceiverSessionOptions o;
  o.loop = loop->get();
  o.force_igmp_version = true;
  o.igmp_guard.proc_root = proc.root();
  o.igmp_guard.netns_id = 1;
  o.igmp_guard.index_of = [](absl::string_view) -> absl::StatusOr<int> {
    return 42;
  };
  o.log = [&](util::LogLevel level, const std::string& m) {
    if (level <= util::LogLevel::kWarning) warnings.push_back(m);
  };
  {
    ReceiverSession session(spec, o);
    absl::Status open = session.Open();
    // Forced before the join was tried (which fails: no such device).
    EXPECT_EQ(proc.Read(), "2");
    ASSERT_FALSE(open.ok());
    EXPECT_FALSE(session.has_socket());
    EXPECT_FALSE(session.joined());
    EXPECT_EQ(session.interface_name(), "nosuchif0");
    warnings.clear();
    session.TryOpen();
    session.TryOpen();
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0], "cannot join 239.1.2.3: " +
                               std::string(open.message()) + " (retrying)");
    // Without a socket there is no membership to read back.
    session.UpdateMembership({proc::IgmpInterface{42, "nosuchif0", 1, 3, {}}});
    EXPECT_EQ(session.igmp_version(), 0);
    // The statistics exist without a socket.
    EXPECT_EQ(session.receiver().stats().Snapshot(0).totals.received, 0u);
  }
  EXPECT_EQ(proc.Read(), "0");
}

}  // namespace
}  // namespace mcast::probe
