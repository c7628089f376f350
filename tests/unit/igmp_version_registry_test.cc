#include "probe/igmp_version_registry.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"

namespace mcast::probe {
namespace {

namespace fs = std::filesystem;

// A fake /proc whose interfaces' force_igmp_version files hold "0".
class FakeProc {
 public:
  explicit FakeProc(const std::vector<std::string>& ifaces) {
    std::string tmpl = (fs::temp_directory_path() / "igmp-registry.XXXXXX");
    root_ = mkdtemp(tmpl.data());
    for (const std::string& i : ifaces) {
      fs::create_directories(Dir(i));
      std::ofstream(Dir(i) / "force_igmp_version") << "0\n";
    }
  }
  ~FakeProc() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  const std::string& root() const { return root_; }
  std::string Read(const std::string& iface) const {
    std::ifstream in(Dir(iface) / "force_igmp_version");
    std::string s;
    std::getline(in, s);
    return s;
  }

 private:
  fs::path Dir(const std::string& iface) const {
    return fs::path(root_) / "sys/net/ipv4/conf" / iface;
  }
  std::string root_;
};

struct Logged {
  util::LogLevel level;
  std::string message;
};

IgmpVersionRegistry::Options OptionsFor(const FakeProc& proc,
                                        std::vector<Logged>* log) {
  IgmpVersionRegistry::Options o;
  o.guard.proc_root = proc.root();
  o.guard.netns_id = 1;
  o.guard.index_of = [](absl::string_view iface) -> absl::StatusOr<int> {
    if (iface == "veth0") return 7;
    if (iface == "veth1") return 8;
    return absl::NotFoundError("no such device");
  };
  o.log = [log](util::LogLevel level, const std::string& m) {
    log->push_back({level, m});
  };
  return o;
}

int Warnings(const std::vector<Logged>& log, const std::string& part) {
  int n = 0;
  for (const Logged& l : log) {
    if (l.level == util::LogLevel::kWarning &&
        absl::StrContains(l.message, part)) {
      ++n;
    }
  }
  return n;
}

TEST(IgmpVersionRegistryTest,
     FirstReceiverOfAnInterfaceDecidesOthersAreWarned) {
  FakeProc proc({"veth0"});
  std::vector<Logged> log;
  {
    IgmpVersionRegistry registry(OptionsFor(proc, &log));
    registry.Sync({{"veth0", 2, "a"}, {"veth0", 3, "b"}, {"", 1, "c"}},
                  /*warn_conflicts=*/true);
    EXPECT_EQ(proc.Read("veth0"), "2");
    ASSERT_NE(registry.guard("veth0"), nullptr);
    EXPECT_EQ(registry.guard("veth0")->forced_version(), 2);
    EXPECT_EQ(Warnings(log,
                       "receiver b: veth0 already forced to IGMPv2 by "
                       "receiver a; ignoring igmp_version 3"),
              1);
    // Unchanged wants keep the guard (and warn only when asked to).
    registry.Sync({{"veth0", 2, "a"}, {"veth0", 3, "b"}}, false);
    EXPECT_EQ(Warnings(log, "already forced"), 1);
    EXPECT_EQ(proc.Read("veth0"), "2");
    // A changed version re-forces.
    registry.Sync({{"veth0", 1, "a"}}, false);
    EXPECT_EQ(proc.Read("veth0"), "1");
  }
  EXPECT_EQ(proc.Read("veth0"), "0");  // Restored when the registry goes.
}

TEST(IgmpVersionRegistryTest, ReleasesInterfacesNoLongerWanted) {
  FakeProc proc({"veth0", "veth1"});
  std::vector<Logged> log;
  IgmpVersionRegistry registry(OptionsFor(proc, &log));
  registry.Sync({{"veth0", 2, "a"}, {"veth1", 1, "b"}}, true);
  EXPECT_EQ(proc.Read("veth0"), "2");
  EXPECT_EQ(proc.Read("veth1"), "1");
  registry.Sync({{"veth1", 1, "b"}}, true);
  EXPECT_EQ(proc.Read("veth0"), "0");
  EXPECT_EQ(proc.Read("veth1"), "1");
  EXPECT_EQ(registry.guard("veth0"), nullptr);
  registry.RestoreAll();
  EXPECT_EQ(proc.Read("veth1"), "0");
}

TEST(IgmpVersionRegistryTest, AFailedAttemptIsLoggedOncePerDeviceAndVersion) {
  FakeProc proc({});  // veth0 has an index but no sysctl file.
  std::vector<Logged> log;
  IgmpVersionRegistry registry(OptionsFor(proc, &log));
  registry.Sync({{"veth0", 2, "a"}}, true);
  registry.Sync({{"veth0", 2, "a"}}, true);
  EXPECT_EQ(Warnings(log, "receiver a: cannot force IGMPv2 on veth0"), 1);
  EXPECT_EQ(registry.guard("veth0"), nullptr);
  registry.Sync({{"veth0", 3, "a"}}, true);  // Another version: tried again.
  EXPECT_EQ(Warnings(log, "cannot force IGMPv3 on veth0"), 1);
  // A missing device is not an error: it is forced when it appears.
  registry.Sync({{"eth9", 2, ""}}, true);
  EXPECT_EQ(Warnings(log, "eth9"), 0);
}

}  // namespace
}  // namespace mcast::probe
