#include "proc/mld_version_read_back.h"

#include <gtest/gtest.h>

#include "proc/force_igmp_version.h"
#include "proc/mld_report_counters.h"
#include "proc_fixture.h"

namespace mcast::proc {
namespace {

using ::mcast::testing::ProcFixture;

TEST(MldReportCountersTest, ParsesCapturedCounters) {
  absl::StatusOr<MldReportCounters> mixed =
      ParseMldReportCounters(ProcFixture("v6_mixed.dev_snmp6"));
  ASSERT_TRUE(mixed.ok()) << mixed.status();
  EXPECT_EQ(*mixed, (MldReportCounters{0, 6}));
  // Forced to v1 after the link came up (its first reports were v2).
  absl::StatusOr<MldReportCounters> v1 =
      ParseMldReportCounters(ProcFixture("v6_forced_v1.dev_snmp6"));
  ASSERT_TRUE(v1.ok()) << v1.status();
  EXPECT_EQ(*v1, (MldReportCounters{2, 4}));
}

TEST(MldReportCountersTest, MalformedCapturesAreErrors) {
  EXPECT_EQ(ParseMldReportCounters(ProcFixture("bad_counter.dev_snmp6"))
                .status()
                .message(),
            "/proc/net/dev_snmp6 line 69: expected 'Name value': "
            "'Icmp6OutMLDv2Reports            \\tsix'");
  EXPECT_EQ(ParseMldReportCounters(ProcFixture("missing_counter.dev_snmp6"))
                .status()
                .message(),
            "/proc/net/dev_snmp6: no Icmp6OutMLDv2Reports counter");
  EXPECT_FALSE(ParseMldReportCounters("Icmp6OutMLDv2Reports 1").ok());
}

TEST(ForceMldVersionTest, ParsesCapturedAndRefusesOthers) {
  EXPECT_EQ(*ParseForceVersion(GroupProtocol::kMld,
                               ProcFixture("v6_forced_v1.force_mld_version")),
            1);
  EXPECT_EQ(*ParseForceVersion(GroupProtocol::kMld,
                               ProcFixture("v6_mixed.force_mld_version")),
            0);
  EXPECT_EQ(ParseForceVersion(GroupProtocol::kMld,
                              ProcFixture("bad_value.force_mld_version"))
                .status()
                .message(),
            "force_mld_version: expected 0, 1 or 2, got '3'");
  // The same text is a valid IGMP version: the bound follows the protocol.
  EXPECT_EQ(*ParseForceIgmpVersion("3\n"), 3);
}

TEST(MldVersionInEffectTest, ForcedWinsElseTheOnlyKindSent) {
  EXPECT_EQ(MldVersionInEffect(1, {0, 6}), 1);
  EXPECT_EQ(MldVersionInEffect(2, {5, 0}), 2);
  EXPECT_EQ(MldVersionInEffect(0, {0, 6}), 2);
  EXPECT_EQ(MldVersionInEffect(0, {3, 0}), 1);
  EXPECT_EQ(MldVersionInEffect(0, {2, 4}), 0);  // Both kinds: unknown.
  EXPECT_EQ(MldVersionInEffect(0, {0, 0}), 0);  // Never reported.
  EXPECT_EQ(MldVersionInEffect(3, {0, 6}), 2);  // 3 acts as 0.
}

TEST(MldVersionReadBackTest, TheCounterThatRoseAfterTheSnapshotDecides) {
  MldVersionReadBack r;
  r.Start({2, 4});
  EXPECT_EQ(r.Update(0, {2, 4}), 0);  // Nothing sent yet, both kinds before.
  EXPECT_EQ(r.Update(0, {3, 4}), 1);  // A v1 report (a v1 querier is heard).
  EXPECT_EQ(r.Update(0, {3, 4}), 1);  // Quiet: the last answer stands.
  EXPECT_EQ(r.Update(0, {3, 6}), 2);  // v2 again.
  EXPECT_EQ(r.Update(0, {4, 7}), 0);  // Both since: a switch in between.
  EXPECT_EQ(r.Update(0, {4, 8}), 2);
  EXPECT_EQ(r.version(), 2);
}

TEST(MldVersionReadBackTest, ForcedValueDoesNotOutliveTheSysctl) {
  MldVersionReadBack r;
  r.Start({0, 6});
  EXPECT_EQ(r.Update(1, {1, 6}), 1);
  // Put back to 0 and nothing sent since: the forced answer is not kept;
  // the lifetime rule has both kinds, so unknown.
  EXPECT_EQ(r.Update(0, {1, 6}), 0);
  MldVersionReadBack fresh;
  EXPECT_EQ(fresh.Update(0, {0, 6}), 2);  // No snapshot: lifetime rule.
}

}  // namespace
}  // namespace mcast::proc
