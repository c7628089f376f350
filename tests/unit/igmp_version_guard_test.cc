#include "net/igmp_version_guard.h"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "net/igmp_state_dir.h"
#include "net/igmp_state_record.h"
#include "net/process_identity.h"
#include "proc/force_igmp_version_file.h"

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
  absl::StatusOr<int> v = proc::ReadForcedIgmpVersion("veth0", proc.root());
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

// The state directory with a fake proc: a temporary directory, namespace
// id 42 and an interface index the test changes to "re-create" the device.
class IgmpStateTest : public testing::Test {
 protected:
  IgmpStateTest() : proc_("veth0", "0\n") {
    state_ = fs::path(proc_.root()) / "state";
    index_ = std::make_shared<int>(5);
    names_ = std::make_shared<std::vector<std::string>>(
        std::vector<std::string>{"veth0"});
  }

  IgmpVersionGuard::Options Options() const {
    IgmpVersionGuard::Options o;
    o.proc_root = proc_.root();
    o.state_dir = state_.string();
    o.netns_id = 42;
    o.index_of = [index = index_, names = names_](
                     absl::string_view name) -> absl::StatusOr<int> {
      for (const std::string& n : *names) {
        if (n == name && *index > 0) return *index;
      }
      return absl::NotFoundError("no such interface");
    };
    return o;
  }
  absl::StatusOr<IgmpVersionGuard> Force(int version) {
    return IgmpVersionGuard::Force("veth0", version, Options());
  }
  std::string RecordName() const {
    return IgmpStateFileName(42, *index_, "veth0");
  }
  fs::path RecordPath() const { return state_ / RecordName(); }
  absl::StatusOr<IgmpStateRecord> Record() const {
    absl::StatusOr<IgmpStateDir> dir = IgmpStateDir::OpenLocked(state_);
    if (!dir.ok()) return dir.status();
    return dir->Load(RecordName());
  }
  size_t Files() const {
    size_t n = 0;
    std::error_code ec;
    for (auto it = fs::directory_iterator(state_, ec);
         !ec && it != fs::directory_iterator(); ++it) {
      ++n;
    }
    return n;
  }
  // Forks a child that forces `version` and dies by SIGKILL, as an
  // exporter killed by the OOM killer or `systemctl kill -s KILL`.
  void ForceInChildThenSigkill(int version) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      absl::StatusOr<IgmpVersionGuard> g = Force(version);
      if (!g.ok()) _exit(1);
      raise(SIGKILL);
      _exit(2);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);  // Reaped: ESRCH from now.
    ASSERT_TRUE(WIFSIGNALED(status)) << status;
    ASSERT_EQ(WTERMSIG(status), SIGKILL);
  }
  static bool HasNote(const IgmpVersionGuard& g, absl::string_view part) {
    for (const std::string& n : g.notes()) {
      if (absl::StrContains(n, part)) return true;
    }
    return false;
  }

  FakeProc proc_;
  fs::path state_;
  std::shared_ptr<int> index_;
  std::shared_ptr<std::vector<std::string>> names_;
};

TEST_F(IgmpStateTest, FirstHolderRecordsTheOriginalAndLastRemovesIt) {
  proc_.Write("1\n");
  absl::StatusOr<IgmpVersionGuard> g = Force(2);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->recorded());
  EXPECT_TRUE(g->notes().empty());
  EXPECT_EQ(proc_.Read(), "2");
  absl::StatusOr<IgmpStateRecord> r = Record();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->original, 1);
  EXPECT_EQ(r->applied, 2);
  EXPECT_EQ(r->ifindex, 5);
  EXPECT_EQ(r->netns, 42u);
  ASSERT_EQ(r->holders.size(), 1u);
  EXPECT_EQ(r->holders[0].pid, getpid());
  EXPECT_EQ(r->holders[0].start_time, ProcessStartTime(getpid()));
  EXPECT_EQ(r->holders[0].forced, 2);
  ASSERT_TRUE(g->Restore().ok());
  EXPECT_EQ(proc_.Read(), "1");
  EXPECT_EQ(Files(), 0u);
}

TEST_F(IgmpStateTest, SigkilledHolderIsRepairedByTheNextStart) {
  ForceInChildThenSigkill(2);
  EXPECT_EQ(proc_.Read(), "2");  // What a SIGKILL leaves.
  ASSERT_TRUE(Record().ok());
  absl::StatusOr<IgmpVersionGuard> g = Force(2);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->previous_version(), 0);  // Not the forced 2.
  EXPECT_TRUE(HasNote(*g, "left forced by a tool that died")) << g->notes()[0];
  EXPECT_EQ(proc_.Read(), "2");
  ASSERT_EQ(Record()->holders.size(), 1u);  // The dead one is gone.
  ASSERT_TRUE(g->Restore().ok());
  EXPECT_EQ(proc_.Read(), "0");
  EXPECT_EQ(Files(), 0u);
}

TEST_F(IgmpStateTest, ValueChangedAfterTheCrashIsTheNewOriginal) {
  ForceInChildThenSigkill(2);
  proc_.Write("1\n");  // The admin repaired it by hand meanwhile.
  absl::StatusOr<IgmpVersionGuard> g = Force(3);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->previous_version(), 1);
  EXPECT_TRUE(HasNote(*g, "taking v1 (set since) as the original"));
  g->Restore().IgnoreError();
  EXPECT_EQ(proc_.Read(), "1");
}

TEST_F(IgmpStateTest, SecondHolderKeepsTheRecordedOriginal) {
  proc_.Write("1\n");
  absl::StatusOr<IgmpVersionGuard> a = Force(2);
  absl::StatusOr<IgmpVersionGuard> b = Force(2);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(b->previous_version(), 1);  // Not the 2 that a forced.
  EXPECT_TRUE(b->notes().empty());
  ASSERT_TRUE(a->Restore().ok());
  EXPECT_EQ(proc_.Read(), "2");  // b still holds it.
  ASSERT_TRUE(b->Restore().ok());
  EXPECT_EQ(proc_.Read(), "1");
  EXPECT_EQ(Files(), 0u);
}

TEST_F(IgmpStateTest, DifferentVersionsLastWriterWinsInBothOrders) {
  for (bool newest_leaves_first : {true, false}) {
    SCOPED_TRACE(newest_leaves_first);
    proc_.Write("1\n");
    absl::StatusOr<IgmpVersionGuard> older = Force(2);
    absl::StatusOr<IgmpVersionGuard> newer = Force(3);
    ASSERT_TRUE(older.ok() && newer.ok());
    EXPECT_TRUE(HasNote(*newer, "IGMPv2 forced by pid"));
    EXPECT_EQ(proc_.Read(), "3");
    if (newest_leaves_first) {
      ASSERT_TRUE(newer->Restore().ok());
      EXPECT_EQ(proc_.Read(), "2");  // The remaining holder's value.
      ASSERT_TRUE(older->Restore().ok());
    } else {
      ASSERT_TRUE(older->Restore().ok());
      EXPECT_EQ(proc_.Read(), "3");
      ASSERT_TRUE(newer->Restore().ok());
    }
    EXPECT_EQ(proc_.Read(), "1");
    EXPECT_EQ(Files(), 0u);
  }
}

TEST_F(IgmpStateTest, HolderInAnotherLiveProcessIsRespected) {
  int to_child[2], to_parent[2];
  ASSERT_EQ(pipe(to_child), 0);
  ASSERT_EQ(pipe(to_parent), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    absl::StatusOr<IgmpVersionGuard> g = Force(2);
    char c = g.ok() ? 'y' : 'n';
    (void)!write(to_parent[1], &c, 1);
    (void)!read(to_child[0], &c, 1);  // Until the parent says so.
    _exit(g.ok() && g->Restore().ok() ? 0 : 1);
  }
  char c = 0;
  ASSERT_EQ(read(to_parent[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  absl::StatusOr<IgmpVersionGuard> g = Force(3);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->previous_version(), 0);
  EXPECT_TRUE(HasNote(*g, absl::StrCat("forced by pid ", pid)));
  ASSERT_TRUE(g->Restore().ok());
  EXPECT_EQ(proc_.Read(), "2");  // The child's value, not the original.
  ASSERT_EQ(write(to_child[1], "x", 1), 1);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(proc_.Read(), "0");
  EXPECT_EQ(Files(), 0u);
  for (int fd : {to_child[0], to_child[1], to_parent[0], to_parent[1]}) {
    close(fd);
  }
}

TEST_F(IgmpStateTest, ReusedPidIsNotTakenForTheHolder) {
  // A record from before a crash whose pid now belongs to someone else
  // (here: this very process, with another start time).
  IgmpStateRecord r;
  r.netns = 42;
  r.ifindex = 5;
  r.interface = "veth0";
  r.original = 1;
  r.applied = 2;
  r.holders = {{getpid(), ProcessStartTime(getpid()) + 1, 2, 999}};
  fs::create_directories(state_);
  std::ofstream(RecordPath()) << FormatIgmpStateRecord(r);
  proc_.Write("2\n");
  absl::StatusOr<IgmpVersionGuard> g = Force(3);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->previous_version(), 1);
  EXPECT_TRUE(HasNote(*g, "died"));
  g->Restore().IgnoreError();
  EXPECT_EQ(proc_.Read(), "1");
}

TEST_F(IgmpStateTest, RecreatedDeviceGetsNothingOfTheOldOne) {
  proc_.Write("1\n");
  absl::StatusOr<IgmpVersionGuard> g = Force(2);
  ASSERT_TRUE(g.ok()) << g.status();
  const fs::path old_record = RecordPath();
  // Deleted and made again: a new index, and the kernel's default value.
  *index_ = 6;
  proc_.Write("0\n");
  absl::Status s = g->Restore();
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
  EXPECT_NE(s.message().find("re-created as index 6"), absl::string_view::npos)
      << s;
  EXPECT_EQ(proc_.Read(), "0");  // Not the old device's 1.
  EXPECT_FALSE(fs::exists(old_record));
  // The new device is forced with its own original.
  absl::StatusOr<IgmpVersionGuard> again = Force(2);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->ifindex(), 6);
  EXPECT_EQ(again->previous_version(), 0);
  ASSERT_TRUE(again->Restore().ok());
  EXPECT_EQ(proc_.Read(), "0");
}

TEST_F(IgmpStateTest, DeletedDeviceIsNotWritten) {
  absl::StatusOr<IgmpVersionGuard> g = Force(2);
  ASSERT_TRUE(g.ok()) << g.status();
  names_->clear();
  absl::Status s = g->Restore();
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
  EXPECT_NE(s.message().find("was deleted"), absl::string_view::npos) << s;
  EXPECT_EQ(proc_.Read(), "2");  // The fake file stands for a gone device.
  EXPECT_EQ(Files(), 0u);
}

TEST_F(IgmpStateTest, InMemoryGuardAlsoLeavesARecreatedDeviceAlone) {
  IgmpVersionGuard::Options o = Options();
  o.state_dir.clear();
  proc_.Write("1\n");
  absl::StatusOr<IgmpVersionGuard> g = IgmpVersionGuard::Force("veth0", 2, o);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_FALSE(g->recorded());
  *index_ = 9;
  proc_.Write("0\n");
  EXPECT_TRUE(absl::IsNotFound(g->Restore()));
  EXPECT_EQ(proc_.Read(), "0");
}

TEST_F(IgmpStateTest, UnreadableRecordsAreIgnoredAndReplaced) {
  struct Case {
    const char* what;
    std::function<void(const fs::path&)> make;
  };
  const std::vector<Case> cases = {
      {"garbage", [](const fs::path& p) { std::ofstream(p) << "\x01\x02zz"; }},
      {"too big",
       [](const fs::path& p) { std::ofstream(p) << std::string(5000, '#'); }},
      {"symlink",
       [](const fs::path& p) { fs::create_symlink("/etc/passwd", p); }},
      {"fifo",
       [](const fs::path& p) { ASSERT_EQ(mkfifo(p.c_str(), 0600), 0); }},
      {"another device",
       [](const fs::path& p) {
         IgmpStateRecord r;
         r.netns = 42;
         r.ifindex = 77;
         r.interface = "other0";
         std::ofstream(p) << FormatIgmpStateRecord(r);
       }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    fs::create_directories(state_);
    c.make(RecordPath());
    proc_.Write("1\n");
    absl::StatusOr<IgmpVersionGuard> g = Force(2);
    ASSERT_TRUE(g.ok()) << g.status();
    EXPECT_TRUE(HasNote(*g, "ignoring"))
        << (g->notes().empty() ? "" : g->notes()[0]);
    EXPECT_TRUE(g->recorded());
    EXPECT_EQ(g->previous_version(), 1);
    EXPECT_EQ(Record()->original, 1);  // Replaced by a good record.
    ASSERT_TRUE(g->Restore().ok());
    EXPECT_EQ(proc_.Read(), "1");
    EXPECT_EQ(Files(), 0u);
  }
}

TEST_F(IgmpStateTest, UnusableStateDirFallsBackToMemoryAndSaysSoOnce) {
  IgmpVersionGuard::Options o = Options();
  o.state_dir = (state_ / "no-parent" / "state").string();
  proc_.Write("1\n");
  absl::StatusOr<IgmpVersionGuard> a = IgmpVersionGuard::Force("veth0", 2, o);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_FALSE(a->recorded());
  ASSERT_EQ(a->notes().size(), 1u);
  EXPECT_NE(a->notes()[0].find("not recorded in " + o.state_dir),
            std::string::npos)
      << a->notes()[0];
  absl::StatusOr<IgmpVersionGuard> b = IgmpVersionGuard::Force("veth0", 2, o);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_TRUE(b->notes().empty());      // Once per directory.
  EXPECT_EQ(b->previous_version(), 2);  // Memory only: as before records.
  b->Restore().IgnoreError();
  ASSERT_TRUE(a->Restore().ok());
  EXPECT_EQ(proc_.Read(), "1");
}

TEST_F(IgmpStateTest, StaleRecordsOfDeletedDevicesAreCleanedUp) {
  fs::create_directories(state_);
  IgmpStateRecord r;
  r.netns = 42;
  r.ifindex = 9;
  r.interface = "gone0";
  r.original = 1;
  r.applied = 2;
  r.holders = {{getpid(), ProcessStartTime(getpid()) + 1, 2, 1}};  // Dead.
  std::ofstream(state_ / IgmpStateFileName(42, 9, "gone0"))
      << FormatIgmpStateRecord(r);
  r.netns = 43;  // Another namespace: not ours to judge.
  std::ofstream(state_ / IgmpStateFileName(43, 9, "gone0"))
      << FormatIgmpStateRecord(r);
  absl::StatusOr<IgmpVersionGuard> g = Force(2);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_FALSE(fs::exists(state_ / IgmpStateFileName(42, 9, "gone0")));
  EXPECT_TRUE(fs::exists(state_ / IgmpStateFileName(43, 9, "gone0")));
}

TEST_F(IgmpStateTest, HoldersAreBounded) {
  fs::create_directories(state_);
  IgmpStateRecord r;
  r.netns = 42;
  r.ifindex = 5;
  r.interface = "veth0";
  r.original = 0;
  r.applied = 2;
  for (size_t i = 0; i < kMaxIgmpStateHolders; ++i) {
    r.holders.push_back({getpid(), ProcessStartTime(getpid()), 2, 1000 + i});
  }
  std::ofstream(RecordPath()) << FormatIgmpStateRecord(r);
  proc_.Write("2\n");
  absl::Status s = Force(3).status();
  EXPECT_TRUE(absl::IsResourceExhausted(s)) << s;
  EXPECT_EQ(proc_.Read(), "2");
  EXPECT_EQ(Record()->holders.size(), kMaxIgmpStateHolders);
}

TEST_F(IgmpStateTest, LockHeldByAStoppedProcessTimesOut) {
  absl::StatusOr<IgmpStateDir> held = IgmpStateDir::OpenLocked(state_);
  ASSERT_TRUE(held.ok()) << held.status();
  absl::StatusOr<IgmpStateDir> second =
      IgmpStateDir::OpenLocked(state_, absl::Milliseconds(50));
  EXPECT_TRUE(absl::IsUnavailable(second.status())) << second.status();
}

}  // namespace
}  // namespace mcast::net
