// IgmpVersionGuard against the real sysctl of a veth in the test namespace.

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "net/igmp_version_guard.h"
#include "proc/force_igmp_version_file.h"

namespace mcast::net {
namespace {

TEST(IgmpVersionGuardNetnsTest, ForcesAndRestoresTheRealSysctl) {
  ASSERT_EQ(std::system("ip link add mcg0 type veth peer name mcg1"), 0);
  absl::StatusOr<int> before = proc::ReadForcedIgmpVersion("mcg0");
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(*before, 0);
  {
    absl::StatusOr<IgmpVersionGuard> guard = IgmpVersionGuard::Force("mcg0", 2);
    ASSERT_TRUE(guard.ok()) << guard.status();
    EXPECT_EQ(*proc::ReadForcedIgmpVersion("mcg0"), 2);
  }
  EXPECT_EQ(*proc::ReadForcedIgmpVersion("mcg0"), 0);

  absl::StatusOr<IgmpVersionGuard> guard = IgmpVersionGuard::Force("mcg0", 3);
  ASSERT_TRUE(guard.ok()) << guard.status();
  EXPECT_EQ(*proc::ReadForcedIgmpVersion("mcg0"), 3);
  EXPECT_TRUE(guard->Restore().ok());
  EXPECT_EQ(*proc::ReadForcedIgmpVersion("mcg0"), 0);

  // The interface disappears while forced: the guard's restore fails
  // quietly in the destructor, and NotFound explains a later attempt.
  absl::StatusOr<IgmpVersionGuard> orphan = IgmpVersionGuard::Force("mcg0", 1);
  ASSERT_TRUE(orphan.ok()) << orphan.status();
  ASSERT_EQ(std::system("ip link del mcg0"), 0);
  EXPECT_TRUE(absl::IsNotFound(orphan->Restore()));
  EXPECT_TRUE(absl::IsNotFound(IgmpVersionGuard::Force("mcg0", 2).status()));
}

// A state directory of the test's own, removed afterwards.
class StateDir {
 public:
  StateDir() {
    std::string tmpl =
        std::filesystem::temp_directory_path() / "igmp-st.XXXXXX";
    path_ = mkdtemp(tmpl.data());
  }
  ~StateDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  IgmpVersionGuard::Options Options() const {
    IgmpVersionGuard::Options o;
    o.state_dir = path_ + "/state";
    return o;
  }
  size_t Files() const {
    size_t n = 0;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(path_ + "/state", ec);
         !ec && it != std::filesystem::directory_iterator(); ++it) {
      ++n;
    }
    return n;
  }

 private:
  std::string path_;
};

void SetForced(const char* iface, int v) {
  ASSERT_EQ(std::system(absl::StrCat("echo ", v, " > /proc/sys/net/ipv4/conf/",
                                     iface, "/force_igmp_version")
                            .c_str()),
            0);
}

TEST(IgmpVersionGuardNetnsTest, NextStartRepairsWhatASigkillLeft) {
  ASSERT_EQ(std::system("ip link add mck0 type veth peer name mck1"), 0);
  StateDir state;
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    absl::StatusOr<IgmpVersionGuard> g =
        IgmpVersionGuard::Force("mck0", 2, state.Options());
    if (!g.ok()) _exit(1);
    raise(SIGKILL);  // With the guard alive: it never restores.
    _exit(2);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  EXPECT_EQ(*proc::ReadForcedIgmpVersion("mck0"), 2);
  absl::StatusOr<IgmpVersionGuard> g =
      IgmpVersionGuard::Force("mck0", 2, state.Options());
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->recorded());
  EXPECT_EQ(g->previous_version(), 0);
  ASSERT_TRUE(g->Restore().ok());
  EXPECT_EQ(*proc::ReadForcedIgmpVersion("mck0"), 0);
  EXPECT_EQ(state.Files(), 0u);
  ASSERT_EQ(std::system("ip link del mck0"), 0);
}

TEST(IgmpVersionGuardNetnsTest, RecreatedDeviceIsNotGivenTheOldValue) {
  ASSERT_EQ(std::system("ip link add mcr0 type veth peer name mcr1"), 0);
  SetForced("mcr0", 1);
  for (bool recorded : {true, false}) {
    SCOPED_TRACE(recorded);
    StateDir state;
    IgmpVersionGuard::Options o = state.Options();
    if (!recorded) o.state_dir.clear();
    absl::StatusOr<IgmpVersionGuard> g = IgmpVersionGuard::Force("mcr0", 2, o);
    ASSERT_TRUE(g.ok()) << g.status();
    EXPECT_EQ(g->recorded(), recorded);
    EXPECT_EQ(g->previous_version(), 1);
    ASSERT_EQ(std::system("ip link del mcr0"), 0);
    ASSERT_EQ(std::system("ip link add mcr0 type veth peer name mcr1"), 0);
    EXPECT_EQ(*proc::ReadForcedIgmpVersion("mcr0"),
              0);  // conf/default's value.
    absl::Status s = g->Restore();
    EXPECT_TRUE(absl::IsNotFound(s)) << s;
    EXPECT_EQ(*proc::ReadForcedIgmpVersion("mcr0"),
              0);  // Not the old device's 1.
    EXPECT_EQ(state.Files(), 0u);
    SetForced("mcr0", 1);
  }
  ASSERT_EQ(std::system("ip link del mcr0"), 0);
}

TEST(IgmpVersionGuardNetnsTest, NamespacesDoNotShareRecords) {
  ASSERT_EQ(std::system("ip link add mcn0 type veth peer name mcn1"), 0);
  StateDir state;
  absl::StatusOr<IgmpVersionGuard> g =
      IgmpVersionGuard::Force("mcn0", 2, state.Options());
  ASSERT_TRUE(g.ok()) << g.status();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // The same name (and likely index) in another namespace, whose admin
    // value is 1: its guard must not take this namespace's record.
    if (unshare(CLONE_NEWNET) != 0) _exit(10);
    if (std::system("ip link add mcn0 type veth peer name mcn1") != 0) {
      _exit(11);
    }
    if (std::system(
            "echo 1 > /proc/sys/net/ipv4/conf/mcn0/force_igmp_version") != 0) {
      _exit(12);
    }
    absl::StatusOr<IgmpVersionGuard> other =
        IgmpVersionGuard::Force("mcn0", 3, state.Options());
    if (!other.ok() || !other->recorded()) _exit(13);
    if (other->previous_version() != 1 || !other->notes().empty()) _exit(14);
    if (!other->Restore().ok()) _exit(15);
    if (*proc::ReadForcedIgmpVersion("mcn0") != 1) _exit(16);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(*proc::ReadForcedIgmpVersion("mcn0"), 2);
  ASSERT_TRUE(g->Restore().ok());
  EXPECT_EQ(*proc::ReadForcedIgmpVersion("mcn0"), 0);
  ASSERT_EQ(std::system("ip link del mcn0"), 0);
}

}  // namespace
}  // namespace mcast::net
