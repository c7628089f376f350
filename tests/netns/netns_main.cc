// main() of mcast_netns_tests: every test in this binary runs inside a
// private network namespace created here, so the packets they send never
// reach a real interface. Without the privilege to create one, the whole
// binary is skipped (exit 77, CTest's SKIP_RETURN_CODE).

#include <gtest/gtest.h>
#include <sched.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

constexpr int kSkip = 77;

bool Run(const char* command) {
  const int rc = std::system(command);
  if (rc != 0) std::fprintf(stderr, "command failed (%d): %s\n", rc, command);
  return rc == 0;
}

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  if (GTEST_FLAG_GET(list_tests)) return RUN_ALL_TESTS();
  if (unshare(CLONE_NEWNET) != 0) {
    std::printf(
        "SKIP: cannot create a network namespace (unshare(CLONE_NEWNET): "
        "%s); run as root\n",
        std::strerror(errno));
    return kSkip;
  }
  if (std::system("command -v ip >/dev/null 2>&1") != 0) {
    std::printf("SKIP: needs the 'ip' command (iproute2)\n");
    return kSkip;
  }
  // A fresh namespace has lo down and no multicast route; without `src`
  // the packets would leave with source 0.0.0.0 and SSM joins would match
  // nothing (see the multicast facts notes).
  if (!Run("ip link set lo up") ||
      !Run("ip route add 224.0.0.0/4 dev lo src 127.0.0.1") ||
      !Run("ip addr add 127.0.0.2/8 dev lo")) {
    return 1;
  }
  // IPv6 over lo needs a *local* ff00::/8 route (a unicast-type route via
  // lo becomes a reject route: sends pass, nothing is delivered); a second
  // address for SSM, usable at once (nodad).
  if (!Run("ip -6 route add local ff00::/8 dev lo table local") ||
      !Run("ip -6 addr add 2001:db8::2/128 dev lo nodad")) {
    return 1;
  }
  return RUN_ALL_TESTS();
}
