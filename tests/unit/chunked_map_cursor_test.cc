#include "exporter/chunked_map_cursor.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mcast::exporter {
namespace {

using Probes = std::map<std::string, std::unique_ptr<int>>;

Probes MakeProbes(int n) {
  Probes m;
  for (int i = 0; i < n; ++i) {
    m.emplace(absl::StrFormat("p%04d", i), std::make_unique<int>(i));
  }
  return m;
}

TEST(ChunkedMapCursorTest, VisitsEveryEntryOnceInKeyOrder) {
  for (int n : {0, 1, 7, 16, 17, 1000}) {
    for (size_t count : {0, 1, 2, 3, 16, 2000}) {
      const Probes probes = MakeProbes(n);
      ChunkedMapCursor<std::string> cursor;
      std::vector<int> seen;
      int steps = 1;
      while (
          !cursor.Step(probes, count,
                       [&](const std::string&, const std::unique_ptr<int>& v) {
                         seen.push_back(*v);
                       })) {
        ++steps;
        ASSERT_LE(steps, n + 1) << "the walk does not end";
      }
      ASSERT_EQ(seen.size(), static_cast<size_t>(n));
      for (int i = 0; i < n; ++i) EXPECT_EQ(seen[i], i);
      const int per = static_cast<int>(count == 0 ? 1 : count);
      // A step that visits the last entry reports the end itself.
      EXPECT_EQ(steps, n == 0 ? 1 : (n + per - 1) / per)
          << "n=" << n << " count=" << count;
    }
  }
}

TEST(ChunkedMapCursorTest, EntriesChangedBetweenStepsAreNeverReadFreed) {
  // What a SIGHUP reload does between two pieces of a scrape: the probe
  // just visited and the next one are freed, one is added before the
  // cursor and one after it, then everything is replaced. Under ASan (the
  // asan preset runs the unit tests) a read of a freed entry fails; here
  // the visits must follow the changes.
  Probes probes = MakeProbes(10);  // p0000 .. p0009
  ChunkedMapCursor<std::string> cursor;
  std::vector<std::string> seen;
  auto visit = [&](const std::string& key, const std::unique_ptr<int>& v) {
    ASSERT_NE(v, nullptr);
    seen.push_back(absl::StrCat(key, "=", *v));
  };
  ASSERT_FALSE(cursor.Step(probes, 2, visit));  // p0000, p0001
  probes.erase("p0001");
  probes.erase("p0002");
  probes.emplace("p0000a", std::make_unique<int>(-1));  // Behind: skipped.
  probes.emplace("p0003a", std::make_unique<int>(-2));  // Ahead: visited.
  ASSERT_FALSE(cursor.Step(probes, 2, visit));          // p0003, p0003a
  probes.clear();
  probes.emplace("p0004", std::make_unique<int>(40));  // Replaced.
  probes.emplace("p0200", std::make_unique<int>(200));
  ASSERT_TRUE(cursor.Step(probes, 2, visit));  // p0004, p0200: the end.
  EXPECT_EQ(seen,
            (std::vector<std::string>{"p0000=0", "p0001=1", "p0003=3",
                                      "p0003a=-2", "p0004=40", "p0200=200"}));
}

TEST(ChunkedMapCursorTest, AMapEmptiedMidWalkEndsIt) {
  Probes probes = MakeProbes(5);
  ChunkedMapCursor<std::string> cursor;
  int visits = 0;
  auto visit = [&](const std::string&, const std::unique_ptr<int>&) {
    ++visits;
  };
  ASSERT_FALSE(cursor.Step(probes, 2, visit));
  probes.clear();  // Shutdown, or a reload to a config without probes.
  EXPECT_TRUE(cursor.Step(probes, 2, visit));
  EXPECT_EQ(visits, 2);
}

}  // namespace
}  // namespace mcast::exporter
