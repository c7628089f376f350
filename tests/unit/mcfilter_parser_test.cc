#include "proc/mcfilter_parser.h"

#include <gtest/gtest.h>

#include "proc_fixture.h"

namespace mcast::proc {
namespace {

using ::mcast::testing::ProcFixture;

TEST(McFilterParserTest, ParsesMixedCapture) {
  absl::StatusOr<std::vector<McFilterEntry>> r =
      ParseMcFilter(ProcFixture("mixed.mcfilter"));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].index, 3);
  EXPECT_EQ((*r)[0].device, "cap0");
  EXPECT_EQ((*r)[0].group.ToString(), "239.3.3.3");
  EXPECT_EQ((*r)[0].source.ToString(), "10.9.0.9");
  EXPECT_EQ((*r)[0].include_count, 0);
  EXPECT_EQ((*r)[0].exclude_count, 1);
  EXPECT_EQ((*r)[1].group.ToString(), "232.1.1.1");
  EXPECT_EQ((*r)[1].source.ToString(), "10.9.0.2");
  EXPECT_EQ((*r)[1].include_count, 1);
  EXPECT_EQ((*r)[2].source.ToString(), "10.9.0.3");
  // The name is cut to 6 characters; the index is what identifies it.
  EXPECT_EQ((*r)[3].device, "averyl");
  EXPECT_EQ((*r)[3].index, 5);
  EXPECT_EQ((*r)[3].group.ToString(), "232.5.5.5");
  EXPECT_EQ((*r)[3].source.ToString(), "10.9.1.2");
}

TEST(McFilterParserTest, HeaderOnlyIsEmpty) {
  absl::StatusOr<std::vector<McFilterEntry>> r =
      ParseMcFilter(ProcFixture("hidden_source.mcfilter"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->empty());
}

TEST(McFilterParserTest, ErrorsNameTheLine) {
  EXPECT_EQ(
      ParseMcFilter(ProcFixture("missing_column.mcfilter")).status().message(),
      "/proc/net/mcfilter line 3: expected 'Idx Device MCA SRC INC "
      "EXC': '  3   cap0 0xe8010101 0x0a090002      1'");
  EXPECT_EQ(ParseMcFilter("Idx Device\n  3 cap0 0x0a000001 0x0a090002 1 0\n")
                .status()
                .message(),
            "/proc/net/mcfilter line 2: bad group (0x and 8 hex digits "
            "expected): '  3 cap0 0x0a000001 0x0a090002 1 0'");
  EXPECT_EQ(ParseMcFilter("Idx Device\n  3 cap0 0xe8010101 0x0a0900 1 0\n")
                .status()
                .message(),
            "/proc/net/mcfilter line 2: bad source (0x and 8 hex digits "
            "expected): '  3 cap0 0xe8010101 0x0a0900 1 0'");
  EXPECT_EQ(ParseMcFilter("Idx Device\n  3 cap0 0xe8010101 0x0a090002 -1 0\n")
                .status()
                .message(),
            "/proc/net/mcfilter line 2: bad INC or EXC count: "
            "'  3 cap0 0xe8010101 0x0a090002 -1 0'");
  EXPECT_EQ(ParseMcFilter("garbage\n").status().message(),
            "/proc/net/mcfilter line 1: missing the 'Idx Device' header: "
            "'garbage'");
}

}  // namespace
}  // namespace mcast::proc
