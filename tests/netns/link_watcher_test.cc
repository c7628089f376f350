// LinkWatcher against the real kernel. The binary moves itself into a fresh
// network namespace first (unshare), so the veths it creates and deletes are
// invisible to the host and vanish with the process. Without the privilege
// to do that it exits 77 (skipped).

#include "netif/link_watcher.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace mcast::netif {
namespace {

void Ip(const std::string& args) {
  const std::string cmd = "ip " + args;
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

class LinkWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<LinkWatcher>> w = LinkWatcher::Create(
        [this](const LinkEvent& e) { events_.push_back(e); });
    ASSERT_TRUE(w.ok()) << w.status();
    watcher_ = std::move(*w);
  }
  void TearDown() override {
    // Each test starts from a namespace with lo only.
    for (const Interface& i : watcher_->interfaces()) {
      if (!i.loopback) {
        std::system(("ip link del " + i.name + " 2>/dev/null").c_str());
      }
    }
  }

  bool Seen(LinkEvent::Kind kind, const std::string& name) const {
    for (const LinkEvent& e : events_) {
      if (e.kind == kind && e.interface.name == name) return true;
    }
    return false;
  }
  const LinkEvent* Find(LinkEvent::Kind kind, const std::string& name) const {
    for (const LinkEvent& e : events_) {
      if (e.kind == kind && e.interface.name == name) return &e;
    }
    return nullptr;
  }

  std::string Dump() const {
    std::string out;
    for (const LinkEvent& e : events_) {
      absl::StrAppend(&out, LinkEventKindName(e.kind), " ", e.interface.name,
                      "#", e.interface.index, " up=", e.interface.up,
                      " running=", e.interface.running, "; ");
    }
    for (const Interface& i : watcher_->interfaces()) {
      absl::StrAppend(&out, "\n  now ", i.name, " up=", i.up,
                      " running=", i.running, " ", i.operstate);
    }
    return out;
  }

  // Runs the event loop until `done` or 5 s.
  template <typename Pred>
  bool WaitFor(Pred done) {
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    while (!done()) {
      if (absl::Now() > deadline) return false;
      pollfd p{watcher_->fd(), POLLIN, 0};
      if (poll(&p, 1, 100) > 0) {
        absl::Status s = watcher_->ProcessEvents();
        EXPECT_TRUE(s.ok()) << s;
      }
    }
    return true;
  }

  std::unique_ptr<LinkWatcher> watcher_;
  std::vector<LinkEvent> events_;
};

using Kind = LinkEvent::Kind;

TEST_F(LinkWatcherTest, StartsWithTheCurrentTableAndNoEvents) {
  ASSERT_EQ(watcher_->interfaces().size(), 1u);
  EXPECT_EQ(watcher_->interfaces()[0].name, "lo");
  EXPECT_TRUE(events_.empty());
}

TEST_F(LinkWatcherTest, ReportsAddUpAddressDownDeleteAndRecreate) {
  Ip("link add wa0 type veth peer name wb0");
  ASSERT_TRUE(WaitFor(
      [&] { return Seen(Kind::kAdded, "wa0") && Seen(Kind::kAdded, "wb0"); }));
  const int first_index = Find(Kind::kAdded, "wa0")->interface.index;
  EXPECT_FALSE(Find(Kind::kAdded, "wa0")->interface.up);
  EXPECT_TRUE(Find(Kind::kAdded, "wa0")->interface.multicast);

  Ip("link set wa0 up");
  Ip("link set wb0 up");
  ASSERT_TRUE(WaitFor(
      [&] { return Seen(Kind::kUp, "wa0") && Seen(Kind::kUp, "wb0"); }));

  Ip("addr add 10.77.0.1/24 dev wa0");
  ASSERT_TRUE(WaitFor([&] { return Seen(Kind::kAddressAdded, "wa0"); }));
  EXPECT_EQ(Find(Kind::kAddressAdded, "wa0")->address.ToString(),
            "10.77.0.1/24");

  Ip("addr del 10.77.0.1/24 dev wa0");
  ASSERT_TRUE(WaitFor([&] { return Seen(Kind::kAddressRemoved, "wa0"); }));
  EXPECT_EQ(Find(Kind::kAddressRemoved, "wa0")->address.ToString(),
            "10.77.0.1/24");

  Ip("link set wa0 down");
  // The peer loses its carrier: down too, although still admin up.
  ASSERT_TRUE(WaitFor([&] {
    return Seen(Kind::kDown, "wa0") && Seen(Kind::kDown, "wb0");
  })) << Dump();
  EXPECT_TRUE(Find(Kind::kDown, "wb0")->interface.up);
  EXPECT_FALSE(Find(Kind::kDown, "wb0")->interface.running);

  events_.clear();
  Ip("link del wa0");
  ASSERT_TRUE(WaitFor([&] {
    return Seen(Kind::kRemoved, "wa0") && Seen(Kind::kRemoved, "wb0");
  }));
  EXPECT_EQ(Find(Kind::kRemoved, "wa0")->interface.index, first_index);

  Ip("link add wa0 type veth peer name wb0");
  ASSERT_TRUE(WaitFor([&] { return Seen(Kind::kAdded, "wa0"); }));
  EXPECT_NE(Find(Kind::kAdded, "wa0")->interface.index, first_index);
}

TEST_F(LinkWatcherTest, DeleteAndRecreateInOneBatchIsRemovedPlusAdded) {
  Ip("link add wc0 type veth peer name wd0");
  ASSERT_TRUE(WaitFor([&] { return Seen(Kind::kAdded, "wc0"); }));
  const int first_index = Find(Kind::kAdded, "wc0")->interface.index;
  events_.clear();
  // Both changes are queued before the watcher reads anything.
  Ip("link del wc0");
  Ip("link add wc0 type veth peer name wd0");
  ASSERT_TRUE(WaitFor([&] { return Seen(Kind::kAdded, "wc0"); }));
  ASSERT_NE(Find(Kind::kRemoved, "wc0"), nullptr);
  EXPECT_EQ(Find(Kind::kRemoved, "wc0")->interface.index, first_index);
  EXPECT_NE(Find(Kind::kAdded, "wc0")->interface.index, first_index);
}

TEST_F(LinkWatcherTest, LostNotificationsAreRecoveredByResync) {
  // A tiny receive buffer and a burst of links: the kernel drops
  // notifications (ENOBUFS) and the watcher must re-read the tables.
  const int tiny = 1;
  ASSERT_EQ(setsockopt(watcher_->fd(), SOL_SOCKET, SO_RCVBUFFORCE, &tiny,
                       sizeof(tiny)),
            0)
      << std::strerror(errno);
  std::string batch;
  for (int i = 0; i < 40; ++i) {
    absl::StrAppend(&batch, "link add bx", i, " type veth peer name by", i,
                    "\n");
  }
  const std::string path = "/tmp/mcast_link_watcher_batch";
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(batch.c_str(), f);
  std::fclose(f);
  Ip("-batch " + path);
  std::remove(path.c_str());
  ASSERT_TRUE(WaitFor([&] {
    int added = 0;
    for (const LinkEvent& e : events_) added += e.kind == Kind::kAdded;
    return added == 80;
  }));
  EXPECT_GE(watcher_->resync_count(), 1);
  EXPECT_EQ(watcher_->interfaces().size(), 81u);
}

}  // namespace
}  // namespace mcast::netif

int main(int argc, char** argv) {
  if (unshare(CLONE_NEWNET) != 0) {
    std::printf("SKIP: cannot create a network namespace (%s): needs root\n",
                std::strerror(errno));
    return 77;
  }
  if (std::system("ip link set lo up") != 0) {
    std::printf("SKIP: the 'ip' command (iproute2) is needed\n");
    return 77;
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
