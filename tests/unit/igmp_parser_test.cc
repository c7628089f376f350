#include "proc/igmp_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "proc_fixture.h"

namespace mcast::proc {
namespace {

using ::mcast::testing::ProcFixture;

std::string Addr(const IgmpGroup& g) { return g.group.ToString(); }

TEST(IgmpParserTest, ParsesMixedCapture) {
  absl::StatusOr<std::vector<IgmpInterface>> r =
      ParseIgmp(ProcFixture("mixed.igmp"));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 5u);
  const IgmpInterface& lo = (*r)[0];
  EXPECT_EQ(lo.index, 1);
  EXPECT_EQ(lo.name, "lo");
  EXPECT_EQ(lo.count, 2);
  EXPECT_EQ(lo.querier_version, 3);
  ASSERT_EQ(lo.groups.size(), 2u);
  EXPECT_EQ(Addr(lo.groups[0]), "239.2.2.2");
  EXPECT_EQ(Addr(lo.groups[1]), "224.0.0.1");

  const IgmpInterface& cap0 = (*r)[2];
  EXPECT_EQ(cap0.index, 3);
  EXPECT_EQ(cap0.name, "cap0");
  EXPECT_EQ(cap0.count, 4);
  ASSERT_EQ(cap0.groups.size(), 4u);
  EXPECT_EQ(Addr(cap0.groups[0]), "239.3.3.3");
  EXPECT_EQ(Addr(cap0.groups[1]), "232.1.1.1");
  EXPECT_EQ(cap0.groups[1].users, 2);
  EXPECT_EQ(Addr(cap0.groups[2]), "239.1.1.1");
  EXPECT_EQ(cap0.groups[2].users, 2);
  EXPECT_FALSE(cap0.groups[2].timer_running);
  EXPECT_FALSE(cap0.groups[2].reporter);

  // A 15-character name leaves no blank before the colon.
  EXPECT_EQ((*r)[4].name, "averylongname15");
  EXPECT_EQ((*r)[4].index, 5);
  EXPECT_EQ(Addr((*r)[4].groups[0]), "232.5.5.5");
}

TEST(IgmpParserTest, ForcedV2ShowsInQuerierColumnAndRunningTimers) {
  absl::StatusOr<std::vector<IgmpInterface>> r =
      ParseIgmp(ProcFixture("forced_v2.igmp"));
  ASSERT_TRUE(r.ok()) << r.status();
  const IgmpInterface& cap0 = (*r)[2];
  EXPECT_EQ(cap0.querier_version, 2);
  EXPECT_EQ((*r)[0].querier_version, 3);
  const IgmpGroup& g = cap0.groups[0];
  EXPECT_EQ(Addr(g), "232.1.1.1");
  EXPECT_TRUE(g.timer_running);
  EXPECT_EQ(g.timer_remaining, 0x22Bu);
  EXPECT_TRUE(g.reporter);
}

TEST(IgmpParserTest, HeaderOnlyIsNoInterfaces) {
  absl::StatusOr<std::vector<IgmpInterface>> r = ParseIgmp(
      "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->empty());
}

TEST(IgmpParserTest, ErrorsNameTheLine) {
  EXPECT_EQ(ParseIgmp(ProcFixture("truncated.igmp")).status().message(),
            "/proc/net/igmp line 7: truncated line (no end of line): "
            "'3\\tcap0      :  '");
  EXPECT_EQ(ParseIgmp(ProcFixture("bad_group.igmp")).status().message(),
            "/proc/net/igmp line 7: bad group (8 hex digits expected): "
            "'\\t\\t\\t\\t01X101E8     1 1:0000022B\\t\\t1'");
  EXPECT_EQ(
      ParseIgmp(ProcFixture("group_before_device.igmp")).status().message(),
      "/proc/net/igmp line 2: group line before any interface line: "
      "'\\t\\t\\t\\t020202EF     1 0:00000000\\t\\t0'");
  EXPECT_EQ(ParseIgmp(ProcFixture("bad_querier.igmp")).status().message(),
            "/proc/net/igmp line 7: querier version is not V1, V2 or V3: "
            "'3\\tcap0      :     4      V9'");
  EXPECT_EQ(ParseIgmp("").status().message(),
            "/proc/net/igmp line 1: missing the 'Idx\\tDevice' header: ''");
  EXPECT_EQ(ParseIgmp("Idx\tDevice\nx\tlo : 1 V3\n").status().message(),
            "/proc/net/igmp line 2: bad interface index: 'x\\tlo : 1 V3'");
  EXPECT_EQ(ParseIgmp("Idx\tDevice\n1\tlo : 1\n").status().message(),
            "/proc/net/igmp line 2: expected 'Count Querier' after the name: "
            "'1\\tlo : 1'");
  EXPECT_EQ(ParseIgmp("Idx\tDevice\n1\tlo : 1 V3\n\t010000E0 1 2:0 0\n")
                .status()
                .message(),
            "/proc/net/igmp line 3: bad timer (running:remaining expected): "
            "'\\t010000E0 1 2:0 0'");
}

}  // namespace
}  // namespace mcast::proc
