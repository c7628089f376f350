// The IGMP version guard with Options::protocol = kMld: the same rules
// (igmp_version_guard_test.cc has them all for IGMP), checked here for the
// ones that depend on the protocol: the sysctl path, the version bound, the
// record's name and "protocol mld" line, crash repair, and that one device's
// IGMP and MLD records never mix.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "net/igmp_state_dir.h"
#include "net/igmp_state_record.h"
#include "net/igmp_version_guard.h"

namespace mcast::net {
namespace {

namespace fs = std::filesystem;
using proc::GroupProtocol;

// A fake /proc with veth0's force_igmp_version and force_mld_version.
class MldGuardTest : public testing::Test {
 protected:
  MldGuardTest() {
    std::string tmpl = (fs::temp_directory_path() / "mld-guard.XXXXXX");
    root_ = mkdtemp(tmpl.data());
    fs::create_directories(V4File().parent_path());
    fs::create_directories(V6File().parent_path());
    Write(V4File(), "0\n");
    Write(V6File(), "0\n");
    state_ = fs::path(root_) / "state";
  }
  ~MldGuardTest() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  fs::path V4File() const {
    return fs::path(root_) / "sys/net/ipv4/conf/veth0/force_igmp_version";
  }
  fs::path V6File() const {
    return fs::path(root_) / "sys/net/ipv6/conf/veth0/force_mld_version";
  }
  static void Write(const fs::path& p, const std::string& v) {
    std::ofstream(p) << v;
  }
  static std::string Read(const fs::path& p) {
    std::ifstream in(p);
    std::string s;
    std::getline(in, s);
    return s;
  }
  IgmpVersionGuard::Options Options(GroupProtocol protocol) const {
    IgmpVersionGuard::Options o;
    o.proc_root = root_;
    o.state_dir = state_.string();
    o.netns_id = 42;
    o.index_of = [](absl::string_view) -> absl::StatusOr<int> { return 5; };
    o.protocol = protocol;
    return o;
  }
  absl::StatusOr<IgmpVersionGuard> ForceMld(int version) {
    return IgmpVersionGuard::Force("veth0", version,
                                   Options(GroupProtocol::kMld));
  }
  absl::StatusOr<IgmpStateRecord> Record(GroupProtocol protocol) const {
    absl::StatusOr<IgmpStateDir> dir = IgmpStateDir::OpenLocked(state_);
    if (!dir.ok()) return dir.status();
    return dir->Load(IgmpStateFileName(42, 5, "veth0", protocol));
  }

  std::string root_;
  fs::path state_;
};

TEST_F(MldGuardTest, ForcesAndRestoresForceMldVersion) {
  Write(V6File(), "1\n");
  absl::StatusOr<IgmpVersionGuard> g = ForceMld(2);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->protocol(), GroupProtocol::kMld);
  EXPECT_EQ(Read(V6File()), "2");
  EXPECT_EQ(Read(V4File()), "0");  // The IPv4 sysctl is not touched.
  absl::StatusOr<IgmpStateRecord> r = Record(GroupProtocol::kMld);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->protocol, GroupProtocol::kMld);
  EXPECT_EQ(r->original, 1);
  EXPECT_EQ(r->applied, 2);
  EXPECT_TRUE(fs::exists(state_ / "mld-42-5-veth0"));
  std::ifstream in(state_ / "mld-42-5-veth0");
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  EXPECT_TRUE(absl::StartsWith(
      text,
      "# mcast-tools: force_mld_version held by these processes\n"
      "format 1\nprotocol mld\n"))
      << text;
  ASSERT_TRUE(g->Restore().ok());
  EXPECT_EQ(Read(V6File()), "1");
  EXPECT_FALSE(fs::exists(state_ / "mld-42-5-veth0"));
}

TEST_F(MldGuardTest, VersionBoundIsMlds) {
  absl::Status s = ForceMld(3).status();
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_EQ(s.message(),
            "MLD version must be 0 (kernel default), 1 or 2, not 3");
  EXPECT_EQ(Read(V6File()), "0");
}

TEST_F(MldGuardTest, MissingIpv6SysctlIsNotFoundNamingMld) {
  fs::remove(V6File());
  absl::Status s = ForceMld(1).status();
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "the MLD version of 'veth0'"))
      << s;
}

TEST_F(MldGuardTest, SigkilledHolderIsRepairedByTheNextStart) {
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    absl::StatusOr<IgmpVersionGuard> g = ForceMld(1);
    if (!g.ok()) _exit(1);
    raise(SIGKILL);
    _exit(2);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(Read(V6File()), "1");  // Left forced by the dead tool.
  absl::StatusOr<IgmpVersionGuard> g = ForceMld(2);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->previous_version(), 0);
  bool noted = false;
  for (const std::string& n : g->notes()) {
    noted |= absl::StrContains(n, "MLDv1 was left forced by a tool that died");
  }
  EXPECT_TRUE(noted);
  ASSERT_TRUE(g->Restore().ok());
  EXPECT_EQ(Read(V6File()), "0");
}

TEST_F(MldGuardTest, IgmpAndMldRecordsOfOneDeviceAreSeparate) {
  Write(V4File(), "3\n");
  absl::StatusOr<IgmpVersionGuard> igmp =
      IgmpVersionGuard::Force("veth0", 2, Options(GroupProtocol::kIgmp));
  ASSERT_TRUE(igmp.ok()) << igmp.status();
  absl::StatusOr<IgmpVersionGuard> mld = ForceMld(1);
  ASSERT_TRUE(mld.ok()) << mld.status();
  EXPECT_TRUE(mld->notes().empty());  // Not a conflict with the IGMP holder.
  EXPECT_EQ(Record(GroupProtocol::kIgmp)->original, 3);
  EXPECT_EQ(Record(GroupProtocol::kMld)->original, 0);
  ASSERT_TRUE(mld->Restore().ok());
  EXPECT_EQ(Read(V6File()), "0");
  EXPECT_EQ(Read(V4File()), "2");  // Still held by the IGMP guard.
  ASSERT_TRUE(igmp->Restore().ok());
  EXPECT_EQ(Read(V4File()), "3");
}

TEST_F(MldGuardTest, SecondHolderKeepsTheRecordedOriginal) {
  Write(V6File(), "2\n");
  absl::StatusOr<IgmpVersionGuard> a = ForceMld(1);
  ASSERT_TRUE(a.ok());
  absl::StatusOr<IgmpVersionGuard> b = ForceMld(1);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->previous_version(), 2);  // Not the forced 1.
  ASSERT_TRUE(a->Restore().ok());
  EXPECT_EQ(Read(V6File()), "1");
  ASSERT_TRUE(b->Restore().ok());
  EXPECT_EQ(Read(V6File()), "2");
}

TEST(MldStateRecordTest, ProtocolLineRoundTripsAndBoundsVersions) {
  IgmpStateRecord r;
  r.netns = 42;
  r.ifindex = 5;
  r.interface = "veth0";
  r.original = 0;
  r.applied = 1;
  r.holders.push_back({7, 8, 1, 1});
  r.protocol = proc::GroupProtocol::kMld;
  const std::string text = FormatIgmpStateRecord(r);
  absl::StatusOr<IgmpStateRecord> back = ParseIgmpStateRecord(text);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, r);
  r.protocol = proc::GroupProtocol::kIgmp;
  EXPECT_EQ(FormatIgmpStateRecord(r).find("protocol"), std::string::npos);
  EXPECT_EQ(IgmpStateFileName(42, 5, "veth0", proc::GroupProtocol::kMld),
            "mld-42-5-veth0");
  EXPECT_EQ(IgmpStateFilePrefix(42, proc::GroupProtocol::kMld), "mld-42-");
  std::string three = text;
  three.replace(three.find("applied 1"), 9, "applied 3");
  EXPECT_EQ(ParseIgmpStateRecord(three).status().message(),
            "MLD state file with a version above 2");
  std::string other = text;
  other.replace(other.find("protocol mld"), 12, "protocol pim");
  EXPECT_FALSE(ParseIgmpStateRecord(other).ok());
}

}  // namespace
}  // namespace mcast::net
