// IgmpVersionGuard against the real sysctl of a veth in the test namespace.

#include <gtest/gtest.h>

#include <cstdlib>

#include "net/igmp_version_guard.h"

namespace mcast::net {
namespace {

TEST(IgmpVersionGuardNetnsTest, ForcesAndRestoresTheRealSysctl) {
  ASSERT_EQ(std::system("ip link add mcg0 type veth peer name mcg1"), 0);
  absl::StatusOr<int> before = ReadForcedIgmpVersion("mcg0");
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(*before, 0);
  {
    absl::StatusOr<IgmpVersionGuard> guard = IgmpVersionGuard::Force("mcg0", 2);
    ASSERT_TRUE(guard.ok()) << guard.status();
    EXPECT_EQ(*ReadForcedIgmpVersion("mcg0"), 2);
  }
  EXPECT_EQ(*ReadForcedIgmpVersion("mcg0"), 0);

  absl::StatusOr<IgmpVersionGuard> guard = IgmpVersionGuard::Force("mcg0", 3);
  ASSERT_TRUE(guard.ok()) << guard.status();
  EXPECT_EQ(*ReadForcedIgmpVersion("mcg0"), 3);
  EXPECT_TRUE(guard->Restore().ok());
  EXPECT_EQ(*ReadForcedIgmpVersion("mcg0"), 0);

  // The interface disappears while forced: the guard's restore fails
  // quietly in the destructor, and NotFound explains a later attempt.
  absl::StatusOr<IgmpVersionGuard> orphan = IgmpVersionGuard::Force("mcg0", 1);
  ASSERT_TRUE(orphan.ok()) << orphan.status();
  ASSERT_EQ(std::system("ip link del mcg0"), 0);
  EXPECT_TRUE(absl::IsNotFound(orphan->Restore()));
  EXPECT_TRUE(absl::IsNotFound(IgmpVersionGuard::Force("mcg0", 2).status()));
}

}  // namespace
}  // namespace mcast::net
