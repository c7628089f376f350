#include "proc/mcfilter6_parser.h"

#include <gtest/gtest.h>

#include "proc_fixture.h"

namespace mcast::proc {
namespace {

using ::mcast::testing::ProcFixture;

TEST(McFilter6ParserTest, ParsesMixedCapture) {
  absl::StatusOr<std::vector<McFilterEntry>> r =
      ParseMcFilter6(ProcFixture("v6_mixed.mcfilter6"));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].index, 3);
  EXPECT_EQ((*r)[0].device, "cap0");
  EXPECT_EQ((*r)[0].group.ToString(), "ff15::77");
  EXPECT_EQ((*r)[0].source.ToString(), "2001:db8::9");
  EXPECT_EQ((*r)[0].include_count, 0);
  EXPECT_EQ((*r)[0].exclude_count, 1);
  EXPECT_EQ((*r)[1].group.ToString(), "ff3e::8000:1");
  EXPECT_EQ((*r)[1].source.ToString(), "2001:db8::5");
  EXPECT_EQ((*r)[1].include_count, 1);
  EXPECT_EQ((*r)[1].exclude_count, 0);
  EXPECT_EQ((*r)[2].source.ToString(), "2001:db8::6");
  // The name is cut to 6 characters; the index is what identifies it.
  EXPECT_EQ((*r)[3].device, "averyl");
  EXPECT_EQ((*r)[3].index, 5);
  EXPECT_EQ((*r)[3].group.ToString(), "ff3e::8000:2");
  EXPECT_EQ((*r)[3].source.ToString(), "2001:db8::7");
}

TEST(McFilter6ParserTest, HeaderOnlyIsEmpty) {
  absl::StatusOr<std::vector<McFilterEntry>> r =
      ParseMcFilter6(ProcFixture("v6_hidden_source.mcfilter6"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->empty());
}

TEST(McFilter6ParserTest, MalformedCapturesNameTheLine) {
  EXPECT_EQ(
      ParseMcFilter6(ProcFixture("bad_group.mcfilter6")).status().message(),
      "/proc/net/mcfilter6 line 2: bad group (32 hex digits expected): '  3   "
      "cap0 20010db8000000000000000000000001 20010db8000000000000000000000005 "
      "     1      0'");
  EXPECT_EQ(
      ParseMcFilter6(ProcFixture("missing_column.mcfilter6"))
          .status()
          .message(),
      "/proc/net/mcfilter6 line 2: expected 'Idx Device Multicast-Address "
      "Source-Address INC EXC': '  3   cap0 ff3e0000000000000000000080000001 "
      "20010db8000000000000000000000005      1'");
  EXPECT_FALSE(ParseMcFilter6(ProcFixture("truncated.mcfilter6")).ok());
  // An IPv4 line (the other file's format) is not an IPv6 source.
  EXPECT_EQ(
      ParseMcFilter6(ProcFixture("v4_source.mcfilter6")).status().message(),
      "/proc/net/mcfilter6 line 2: bad source (32 hex digits expected): '  3  "
      " cap0 ff3e0000000000000000000080000001 0xc6120102      1      0'");
}

TEST(McFilter6ParserTest, RejectsBadFields) {
  EXPECT_FALSE(ParseMcFilter6("").ok());
  EXPECT_FALSE(ParseMcFilter6("3 cap0 x y 1 0\n").ok());  // No header.
  const std::string head = "Idx Device Multicast Address Source Address\n";
  const std::string g = "ff3e0000000000000000000080000001";
  const std::string s = "20010db8000000000000000000000005";
  EXPECT_TRUE(ParseMcFilter6(head + "3 cap0 " + g + " " + s + " 1 0\n").ok());
  EXPECT_FALSE(ParseMcFilter6(head + "0 cap0 " + g + " " + s + " 1 0\n").ok());
  EXPECT_FALSE(ParseMcFilter6(head + "3 cap0 " + g + " " + s + " -1 0\n").ok());
  EXPECT_FALSE(ParseMcFilter6(head + "3 cap0 " + g + "0 " + s + " 1 0\n").ok());
  EXPECT_FALSE(
      ParseMcFilter6(head + "3 cap0 " + g + " " + s.substr(1) + "g 1 0\n")
          .ok());
}

}  // namespace
}  // namespace mcast::proc
