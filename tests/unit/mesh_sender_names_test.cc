#include "exporter/mesh_sender_names.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace mcast::exporter {
namespace {

inet::IpAddress Ip(const std::string& text) {
  return *inet::IpAddress::Parse(text);
}

TEST(MeshSenderNamesTest, NamesSelfPeersAndStrangers) {
  MeshSenderNames names("studio-a", Ip("10.77.0.1"));
  names.AddPeer("studio-b", Ip("10.77.0.2"), 0);
  names.AddPeer("studio-c", Ip("fd00:10:77::3"), 1);
  EXPECT_EQ(names.Find(Ip("10.77.0.1")), "studio-a");
  EXPECT_EQ(names.Find(Ip("10.77.0.2")), "studio-b");
  EXPECT_EQ(names.Find(Ip("fd00:10:77::3")), "studio-c");
  EXPECT_EQ(names.Find(Ip("10.77.0.9")), "unknown");
  EXPECT_EQ(names.PeerIndex(Ip("10.77.0.1")), -1);  // Self is no peer.
  EXPECT_EQ(names.PeerIndex(Ip("10.77.0.2")), 0);
  EXPECT_EQ(names.PeerIndex(Ip("fd00:10:77::3")), 1);
  EXPECT_EQ(names.PeerIndex(Ip("10.77.0.9")), -1);
  // A repeated address keeps its first name (config forbids it anyway).
  names.AddPeer("again", Ip("10.77.0.2"), 2);
  EXPECT_EQ(names.Find(Ip("10.77.0.2")), "studio-b");
  EXPECT_EQ(names.size(), 3u);
}

TEST(MeshSenderNamesTest, AHundredMembersEachFoundByItsAddress) {
  MeshSenderNames names("m0", Ip("10.77.0.100"));
  for (int i = 1; i < 100; ++i) {
    names.AddPeer(absl::StrCat("m", i), Ip(absl::StrCat("10.77.1.", i)), i - 1);
  }
  ASSERT_EQ(names.size(), 100u);
  for (int i = 1; i < 100; ++i) {
    const inet::IpAddress a = Ip(absl::StrCat("10.77.1.", i));
    EXPECT_EQ(names.Find(a), absl::StrCat("m", i));
    EXPECT_EQ(names.PeerIndex(a), i - 1);
  }
  EXPECT_EQ(names.Find(Ip("10.77.1.100")), "unknown");
}

}  // namespace
}  // namespace mcast::exporter
