#include "proc/igmp6_parser.h"

#include <gtest/gtest.h>

#include "net/igmp_version_guard.h"
#include "proc/force_igmp_version.h"
#include "proc/force_igmp_version_file.h"
#include "proc_fixture.h"

namespace mcast::proc {
namespace {

using ::mcast::testing::ProcFixture;

TEST(Igmp6ParserTest, ParsesMixedCapture) {
  absl::StatusOr<std::vector<Igmp6Entry>> r =
      ParseIgmp6(ProcFixture("mixed.igmp6"));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 15u);
  EXPECT_EQ((*r)[0].index, 1);
  EXPECT_EQ((*r)[0].device, "lo");
  EXPECT_EQ((*r)[0].group.ToString(), "ff02::1");
  EXPECT_EQ((*r)[0].users, 1);
  EXPECT_EQ((*r)[0].flags, 0xCu);
  EXPECT_EQ((*r)[0].timer, 0);
  const Igmp6Entry& joined = (*r)[5];
  EXPECT_EQ(joined.index, 3);
  EXPECT_EQ(joined.device, "cap0");
  EXPECT_EQ(joined.group.ToString(), "ff15::1234");
  EXPECT_EQ(joined.flags, 4u);
  EXPECT_EQ((*r)[6].group.ToString(), "ff02::1:ffbf:a59b");
  EXPECT_EQ((*r)[14].device, "averylongname15");
}

TEST(Igmp6ParserTest, EmptyFileIsNoGroups) {
  absl::StatusOr<std::vector<Igmp6Entry>> r = ParseIgmp6("");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
}

TEST(Igmp6ParserTest, ErrorsNameTheLine) {
  EXPECT_EQ(ParseIgmp6(ProcFixture("truncated.igmp6")).status().message(),
            "/proc/net/igmp6 line 3: truncated line (no end of line): "
            "'2    cap1            ff0200000000000000000001ff401770     '");
  EXPECT_EQ(ParseIgmp6("1 lo ff02000000000000000000000000001 1 0000000C 0\n")
                .status()
                .message(),
            "/proc/net/igmp6 line 1: bad group (32 hex digits expected): "
            "'1 lo ff02000000000000000000000000001 1 0000000C 0'");
  EXPECT_EQ(ParseIgmp6("1 lo ff020000000000000000000000000001 1 C 0\n")
                .status()
                .message(),
            "/proc/net/igmp6 line 1: bad flags (8 hex digits expected): "
            "'1 lo ff020000000000000000000000000001 1 C 0'");
}

TEST(ForceIgmpVersionTest, Parses) {
  EXPECT_EQ(*ParseForceIgmpVersion(ProcFixture("forced_v2.force_igmp_version")),
            2);
  EXPECT_EQ(*ParseForceIgmpVersion("0\n"), 0);
  EXPECT_EQ(ParseForceIgmpVersion("4\n").status().message(),
            "force_igmp_version: expected 0, 1, 2 or 3, got '4'");
  EXPECT_EQ(ParseForceIgmpVersion("").status().message(),
            "force_igmp_version: expected 0, 1, 2 or 3, got ''");
}

TEST(ForceIgmpVersionTest, RejectsPathsOutsideTheConfFolder) {
  EXPECT_EQ(proc::ReadForcedIgmpVersion("../all").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(proc::ReadForcedIgmpVersion("no-such-if0").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace mcast::proc
