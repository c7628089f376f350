#include "net/igmp_state_record.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "net/process_identity.h"

namespace mcast::net {
namespace {

constexpr char kText[] =
    "# mcast-tools: force_igmp_version held by these processes\n"
    "format 1\n"
    "netns 4026531840\n"
    "ifindex 7\n"
    "interface eth1\n"
    "original 1\n"
    "applied 2\n"
    "holder 1234 98765 2 1\n"
    "holder 99 0 3 7\n";

IgmpStateRecord Sample() {
  IgmpStateRecord r;
  r.netns = 4026531840u;
  r.ifindex = 7;
  r.interface = "eth1";
  r.original = 1;
  r.applied = 2;
  r.holders = {{1234, 98765, 2, 1}, {99, 0, 3, 7}};
  return r;
}

std::string Error(absl::string_view text) {
  absl::StatusOr<IgmpStateRecord> r = ParseIgmpStateRecord(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? "" : std::string(r.status().message());
}

TEST(IgmpStateRecordTest, FormatsAndParsesBack) {
  EXPECT_EQ(FormatIgmpStateRecord(Sample()), kText);
  absl::StatusOr<IgmpStateRecord> r = ParseIgmpStateRecord(kText);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, Sample());
}

TEST(IgmpStateRecordTest, RefusesWhatItDoesNotWrite) {
  const std::string head =
      "format 1\nnetns 5\nifindex 7\ninterface eth1\noriginal 0\n";
  EXPECT_EQ(Error(head + "applied 2\nholder 1 2 3\n"),
            "line 7: expected 'holder PID START FORCED SERIAL' (got 'holder 1 "
            "2 3')");
  EXPECT_EQ(Error(head + "applied 4\n"),
            "line 6: bad applied version (got '4')");
  EXPECT_EQ(Error(head + "applied +2\n"),
            "line 6: bad applied version (got '+2')");
  EXPECT_EQ(Error(head + "applied 2\napplied 2\n"),
            "line 7: repeated key (got 'applied')");
  EXPECT_EQ(Error(head + "applied 2\nholder 0 1 2 3\n"),
            "line 7: bad holder (got 'holder 0 1 2 3')");
  EXPECT_EQ(Error(head + "applied 2\nholder 4194305 1 2 3\n"),
            "line 7: bad holder (got 'holder 4194305 1 2 3')");
  EXPECT_EQ(Error(head + "applied 2\nholder 5 99999999999999999999 2 3\n"),
            "line 7: bad holder (got 'holder 5 99999999999999999999 2 3')");
  EXPECT_EQ(Error(head + "applied  2\n"),
            "line 6: expected 'applied VALUE' (got 'applied  2')");
  EXPECT_EQ(Error(head + "applied 2\nowner root\n"),
            "line 7: unknown key (got 'owner')");
  EXPECT_EQ(Error(head),
            "state file lacks one of format, netns, ifindex, "
            "interface, original, applied");
  EXPECT_EQ(Error(head + "applied 2"),
            "state file does not end with a newline (cut short?)");
  EXPECT_EQ(Error(""), "state file does not end with a newline (cut short?)");
  EXPECT_EQ(Error("format 2\n"), "line 1: unknown format (got '2')");
  EXPECT_EQ(Error("netns 0\n"), "line 1: bad netns (got '0')");
  EXPECT_EQ(Error("ifindex 0\n"), "line 1: bad ifindex (got '0')");
  EXPECT_EQ(Error("ifindex 2147483648\n"),
            "line 1: bad ifindex (got '2147483648')");
  EXPECT_EQ(Error("interface a/b\n"), "line 1: bad interface name (got 'a/b')");
  EXPECT_EQ(Error("interface 0123456789abcdef\n"),
            "line 1: bad interface name (got '0123456789abcdef')");
}

TEST(IgmpStateRecordTest, ErrorsEscapeAndCutValues) {
  // A value with control bytes and a huge length: the message stays one
  // short line.
  const std::string value = "\x1b[31m\r" + std::string(5000, 'x');
  const std::string msg = Error("interface " + value.substr(0, 3000) + "\n");
  EXPECT_EQ(msg.find('\x1b'), std::string::npos);
  EXPECT_EQ(msg.find('\r'), std::string::npos);
  EXPECT_LT(msg.size(), 200u) << msg;
  EXPECT_NE(msg.find("\\x1b[31m\\r"), std::string::npos) << msg;
  EXPECT_NE(msg.find("...')"), std::string::npos) << msg;
}

TEST(IgmpStateRecordTest, BoundsSizeAndHolders) {
  EXPECT_EQ(Error(std::string(kMaxIgmpStateFileBytes + 1, '#')),
            "state file of 4097 bytes (at most 4096)");
  IgmpStateRecord r = Sample();
  r.holders.assign(kMaxIgmpStateHolders, {5, 6, 2, 1});
  const std::string full = FormatIgmpStateRecord(r);
  ASSERT_LE(full.size(), kMaxIgmpStateFileBytes);
  EXPECT_TRUE(ParseIgmpStateRecord(full).ok());
  EXPECT_EQ(Error(full + "holder 5 6 2 2\n"),
            "line 40: more than 32 holders (got 'holder 5 6 2 2')");
}

TEST(IgmpStateRecordTest, FileNamesAreOnePathComponentPerDevice) {
  EXPECT_EQ(IgmpStateFileName(42, 7, "eth1"), "igmp-42-7-eth1");
  EXPECT_EQ(IgmpStateFileName(42, 7, "br-lan.10"), "igmp-42-7-br%2Dlan.10");
  EXPECT_EQ(IgmpStateFileName(42, 7, "a%b"), "igmp-42-7-a%25b");
  EXPECT_NE(IgmpStateFileName(42, 7, "eth1"), IgmpStateFileName(42, 8, "eth1"));
  EXPECT_NE(IgmpStateFileName(42, 7, "eth1"), IgmpStateFileName(43, 7, "eth1"));
  EXPECT_EQ(IgmpStateFilePrefix(42), "igmp-42-");
}

TEST(ProcessIdentityTest, StartTimeIsFieldTwentyTwo) {
  std::string stat = "123 (a) b) c) S";
  for (int field = 4; field <= 21; ++field) absl::StrAppend(&stat, " ", field);
  absl::StrAppend(&stat, " 987654321 23 24\n");
  EXPECT_EQ(ParseProcStatStartTime(stat), 987654321u);
  EXPECT_EQ(ParseProcStatStartTime("123 (cut) S 1 2"), 0u);
  EXPECT_EQ(ParseProcStatStartTime("no paren"), 0u);
}

TEST(ProcessIdentityTest, OwnProcessIsAliveAndAReusedPidIsNot) {
  const uint64_t start = ProcessStartTime(getpid());
  ASSERT_NE(start, 0u);
  EXPECT_TRUE(ProcessAlive(getpid(), start));
  EXPECT_TRUE(ProcessAlive(getpid(), 0));  // Unknown start: trust the pid.
  EXPECT_FALSE(ProcessAlive(getpid(), start + 1));
  EXPECT_FALSE(ProcessAlive(0, 0));
  EXPECT_FALSE(ProcessAlive(-5, 0));
}

}  // namespace
}  // namespace mcast::net
