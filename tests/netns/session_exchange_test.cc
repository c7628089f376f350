// A SenderSession and a ReceiverSession on one event loop, on lo inside the
// private namespace of mcast_netns_tests: the sessions alone (no front end)
// force the IGMP version around the join, read the membership back, and
// carry a finite run end to end.

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>

#include "net/clock.h"
#include "net/event_loop.h"
#include "probe/receiver_session.h"
#include "probe/sender_session.h"

namespace mcast::probe {
namespace {

std::string ForcedOnLo() {
  std::ifstream in("/proc/sys/net/ipv4/conf/lo/force_igmp_version");
  std::string s;
  std::getline(in, s);
  return s;
}

TEST(SessionExchangeTest, FiniteRunArrivesWithTheVersionForcedAroundTheJoin) {
  absl::StatusOr<std::unique_ptr<net::EventLoop>> created =
      net::EventLoop::Create();
  ASSERT_TRUE(created.ok()) << created.status();
  net::EventLoop& loop = **created;
  const std::string before = ForcedOnLo();
  ASSERT_FALSE(before.empty());
  const inet::IpAddress group = *inet::IpAddress::Parse("239.9.8.7");
  {
    ReceiverSpec rspec;
    rspec.group = group;
    rspec.port = 19800;
    rspec.igmp_version = 2;  // No interface: the route (lo) is picked.
    ReceiverSessionOptions ro;
    ro.loop = &loop;
    ro.force_igmp_version = true;
    ReceiverSession receiver(rspec, ro);
    ASSERT_TRUE(receiver.Open().ok());
    EXPECT_EQ(receiver.interface_name(), "lo");
    EXPECT_EQ(ForcedOnLo(), "2");
    ASSERT_TRUE(receiver.RefreshMembership().ok());
    EXPECT_TRUE(receiver.joined());
    EXPECT_EQ(receiver.igmp_version(), 2);

    SenderSpec sspec;
    sspec.group = group;
    sspec.port = 19800;
    sspec.interface = "lo";
    sspec.packets_per_second = 2000;
    sspec.duration_seconds = 0.1;  // 200 packets.
    SenderSessionOptions so;
    so.loop = &loop;
    so.on_finished = [&] {
      // What is on lo has arrived by the next turn of the loop.
      (void)loop.AddTimer(absl::Milliseconds(50), net::TimerMode::kOneShot,
                          [&] { loop.Stop(); });
    };
    SenderSession sender(sspec, so);
    ASSERT_TRUE(sender.OpenSocket().ok());
    ASSERT_TRUE(sender.Start().ok());
    ASSERT_TRUE(loop.Run().ok());
    EXPECT_TRUE(sender.finished());
    EXPECT_EQ(sender.counters().packets, 200u);
    EXPECT_EQ(sender.counters().errors, 0u);
    stats::ReceiverSnapshot snap =
        receiver.receiver().stats().Snapshot(net::MonotonicNanos());
    EXPECT_EQ(snap.totals.unique, 200u);
    EXPECT_EQ(snap.totals.duplicates, 0u);
    EXPECT_TRUE(receiver.receive_error().empty());
  }
  EXPECT_EQ(ForcedOnLo(), before);  // Restored after the leave.
}

}  // namespace
}  // namespace mcast::probe
