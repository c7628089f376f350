#include "net/igmp_version_guard.h"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace mcast::net {
namespace {

namespace fs = std::filesystem;

// A fake /proc with one interface whose force_igmp_version holds `value`.
class FakeProc {
 public:
  explicit FakeProc(const std::string& iface, const std::string& value) {
    std::string tmpl = (fs::temp_directory_path() / "igmp-guard.XXXXXX");
    root_ = mkdtemp(tmpl.data());
    dir_ = fs::path(root_) / "sys/net/ipv4/conf" / iface;
    fs::create_directories(dir_);
    Write(value);
  }
  ~FakeProc() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  const std::string& root() const { return root_; }
  fs::path file() const { return dir_ / "force_igmp_version"; }
  void Write(const std::string& value) { std::ofstream(file()) << value; }
  std::string Read() const {
    std::ifstream in(file());
    std::string s;
    std::getline(in, s);
    return s;
  }

 private:
  std::string root_;
  fs::path dir_;
};

TEST(IgmpVersionGuardTest, ReadsCurrentValue) {
  FakeProc proc("veth0", "2\n");
  absl::StatusOr<int> v = ReadForcedIgmpVersion("veth0", proc.root());
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(*v, 2);
}

TEST(IgmpVersionGuardTest, ForcesThenRestoresOnDestruction) {
  FakeProc proc("veth0", "0\n");
  {
    absl::StatusOr<IgmpVersionGuard> guard =
        IgmpVersionGuard::Force("veth0", 2, proc.root());
    ASSERT_TRUE(guard.ok()) << guard.status();
    EXPECT_EQ(guard->previous_version(), 0);
    EXPECT_EQ(guard->forced_version(), 2);
    EXPECT_EQ(proc.Read(), "2");
  }
  EXPECT_EQ(proc.Read(), "0");
}

TEST(IgmpVersionGuardTest, RestoreIsExplicitAndOnce) {
  FakeProc proc("eth1", "3\n");
  absl::StatusOr<IgmpVersionGuard> guard =
      IgmpVersionGuard::Force("eth1", 1, proc.root());
  ASSERT_TRUE(guard.ok()) << guard.status();
  EXPECT_EQ(proc.Read(), "1");
  ASSERT_TRUE(guard->Restore().ok());
  EXPECT_EQ(proc.Read(), "3");
  // Someone else changes it afterwards: the guard must not write again.
  proc.Write("2\n");
  ASSERT_TRUE(guard->Restore().ok());
  guard = absl::InternalError("drop the guard");
  EXPECT_EQ(proc.Read(), "2");
}

TEST(IgmpVersionGuardTest, MovedGuardRestoresOnlyOnce) {
  FakeProc proc("eth1", "0\n");
  std::optional<IgmpVersionGuard> outer;
  {
    absl::StatusOr<IgmpVersionGuard> guard =
        IgmpVersionGuard::Force("eth1", 2, proc.root());
    ASSERT_TRUE(guard.ok()) << guard.status();
    outer.emplace(*std::move(guard));
  }
  EXPECT_EQ(proc.Read(), "2");  // The moved-from guard did not restore.
  outer.reset();
  EXPECT_EQ(proc.Read(), "0");
}

TEST(IgmpVersionGuardTest, RejectsBadVersionAndName) {
  FakeProc proc("veth0", "0\n");
  EXPECT_TRUE(absl::IsInvalidArgument(
      IgmpVersionGuard::Force("veth0", 4, proc.root()).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      IgmpVersionGuard::Force("veth0", -1, proc.root()).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      IgmpVersionGuard::Force("../all", 2, proc.root()).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      IgmpVersionGuard::Force("", 2, proc.root()).status()));
  EXPECT_EQ(proc.Read(), "0");
}

TEST(IgmpVersionGuardTest, MissingInterfaceIsNotFound) {
  FakeProc proc("veth0", "0\n");
  absl::Status s = IgmpVersionGuard::Force("nope0", 2, proc.root()).status();
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
  EXPECT_NE(s.message().find("'nope0'"), absl::string_view::npos) << s;
  EXPECT_NE(s.message().find("does not exist"), absl::string_view::npos) << s;
}

// Root bypasses file permissions, so under root the check runs in a child
// that gives up CAP_DAC_OVERRIDE first.
bool DropFileCapabilities() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capget, &header, data) != 0) return false;
  for (int cap : {CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER}) {
    data[cap / 32].effective &= ~(1u << (cap % 32));
  }
  return syscall(SYS_capset, &header, data) == 0;
}

TEST(IgmpVersionGuardTest, ReadOnlyFileIsPermissionDenied) {
  FakeProc proc("veth0", "0\n");
  ASSERT_EQ(chmod(proc.file().c_str(), 0444), 0);
  auto check = [&]() {
    absl::Status s = IgmpVersionGuard::Force("veth0", 2, proc.root()).status();
    return absl::IsPermissionDenied(s);
  };
  if (geteuid() != 0) {
    EXPECT_TRUE(check());
  } else {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      if (!DropFileCapabilities()) _exit(2);
      _exit(check() ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_NE(WEXITSTATUS(status), 2) << "could not drop CAP_DAC_OVERRIDE";
    EXPECT_EQ(WEXITSTATUS(status), 0)
        << "expected PermissionDenied without CAP_DAC_OVERRIDE";
  }
  EXPECT_EQ(proc.Read(), "0");
}

}  // namespace
}  // namespace mcast::net
