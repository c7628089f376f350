#include "netif/interface_lookup.h"

#include <gtest/gtest.h>

#include "net/clock.h"

namespace mcast::net {
namespace {

TEST(InterfaceLookupTest, LoopbackByNameAndIndex) {
  absl::StatusOr<int> index = netif::InterfaceIndex("lo");
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_GT(*index, 0);
  absl::StatusOr<std::string> name = netif::InterfaceName(*index);
  ASSERT_TRUE(name.ok()) << name.status();
  EXPECT_EQ(*name, "lo");
}

TEST(InterfaceLookupTest, UnknownNameIsNotFoundAndNamed) {
  absl::StatusOr<int> index = netif::InterfaceIndex("nosuchif0");
  EXPECT_TRUE(absl::IsNotFound(index.status()));
  EXPECT_EQ(index.status().message(), "no interface named 'nosuchif0'");
  EXPECT_TRUE(absl::IsNotFound(netif::InterfaceName(0).status()));
  EXPECT_TRUE(
      absl::IsNotFound(netif::InterfaceIpv4Address("nosuchif0").status()));
}

TEST(InterfaceLookupTest, LoopbackIpv4Address) {
  absl::StatusOr<inet::IpAddress> address = netif::InterfaceIpv4Address("lo");
  ASSERT_TRUE(address.ok()) << address.status();
  EXPECT_EQ(address->ToString(), "127.0.0.1");
}

// Only a netlink query: nothing is sent anywhere.
TEST(InterfaceLookupTest, RouteToLoopbackAddressIsLo) {
  absl::StatusOr<netif::RoutedInterface> routed =
      netif::RouteInterfaceFor(*inet::IpAddress::Parse("127.0.0.1"));
  ASSERT_TRUE(routed.ok()) << routed.status();
  EXPECT_EQ(routed->name, "lo");
  EXPECT_EQ(routed->index, *netif::InterfaceIndex("lo"));
}

TEST(InterfaceLookupTest, RouteNeedsADestination) {
  EXPECT_TRUE(absl::IsInvalidArgument(
      netif::RouteInterfaceFor(inet::IpAddress()).status()));
}

TEST(ClockTest, ClocksArePlausibleAndMonotonicDoesNotGoBack) {
  const int64_t a = MonotonicNanos();
  const int64_t b = MonotonicNanos();
  EXPECT_GT(a, 0);
  EXPECT_GE(b, a);
  EXPECT_GT(RealtimeNanos(), int64_t{1'600'000'000} * 1'000'000'000);
}

}  // namespace
}  // namespace mcast::net
