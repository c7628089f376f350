#include "net/querier_table.h"

#include <gtest/gtest.h>

namespace mcast::net {
namespace {

constexpr int64_t kS = 1'000'000'000;

MembershipQuery V3General(int64_t interval_s, int qrv, int64_t response_ns) {
  MembershipQuery q;
  q.version = 3;
  q.query_interval_ns = interval_s * kS;
  q.robustness = qrv;
  q.max_response_ns = response_ns;
  return q;
}

const inet::IpAddress kQuerier = *inet::IpAddress::Parse("10.0.5.254");

TEST(QuerierTableTest, PresentThenNoneAfterTheMembershipInterval) {
  QuerierTable t(0);
  EXPECT_EQ(t.View(3, QueryProtocol::kIgmp, 1 * kS).presence,
            QuerierPresence::kUnknown);
  t.OnQuery(3, "eth0", kQuerier, V3General(1, 2, kS / 2), 10 * kS, 1000 * kS);
  QuerierView v = t.View(3, QueryProtocol::kIgmp, 11 * kS);
  EXPECT_EQ(v.presence, QuerierPresence::kPresent);
  ASSERT_TRUE(v.last.has_value());
  EXPECT_EQ(v.last->address, kQuerier);
  EXPECT_EQ(v.last->interface, "eth0");
  EXPECT_EQ(v.last->version, 3);
  EXPECT_EQ(v.last->query_interval_ns, kS);
  EXPECT_TRUE(v.last->query_interval_carried);
  EXPECT_EQ(v.last->last_general_real_ns, 1000 * kS);
  EXPECT_EQ(v.timeout_ns, 2 * kS + kS / 2);
  EXPECT_EQ(v.since_ns, kS);
  // 2 x 1 s + 0.5 s: present at exactly the limit, none just after.
  EXPECT_EQ(t.View(3, QueryProtocol::kIgmp, 12 * kS + kS / 2).presence,
            QuerierPresence::kPresent);
  v = t.View(3, QueryProtocol::kIgmp, 12 * kS + kS / 2 + 1);
  EXPECT_EQ(v.presence, QuerierPresence::kNone);
  EXPECT_EQ(v.last->address, kQuerier);  // Still says who it was.
  // Other protocol and interface: separate.
  EXPECT_EQ(t.View(3, QueryProtocol::kMld, 11 * kS).presence,
            QuerierPresence::kUnknown);
  EXPECT_FALSE(t.View(4, QueryProtocol::kIgmp, 11 * kS).last.has_value());
}

TEST(QuerierTableTest, DefaultsWithoutQqicAndNoneAfterDefaultTimeout) {
  QuerierTable t(0);
  MembershipQuery v2;
  v2.version = 2;
  v2.max_response_ns = 10 * kS;
  t.OnQuery(3, "eth0", kQuerier, v2, kS, kS);
  QuerierView v = t.View(3, QueryProtocol::kIgmp, 2 * kS);
  EXPECT_EQ(v.last->version, 2);
  EXPECT_EQ(v.last->query_interval_ns, 125 * kS);
  EXPECT_FALSE(v.last->query_interval_carried);
  EXPECT_EQ(v.last->robustness, 2);
  EXPECT_EQ(v.timeout_ns, 260 * kS);
  // Never a query: unknown for 260 s after the start, then none.
  EXPECT_EQ(t.View(9, QueryProtocol::kIgmp, 260 * kS).presence,
            QuerierPresence::kUnknown);
  EXPECT_EQ(t.View(9, QueryProtocol::kIgmp, 261 * kS).presence,
            QuerierPresence::kNone);
}

TEST(QuerierTableTest, GroupSpecificQueriesCountButDoNotRefresh) {
  QuerierTable t(0);
  t.OnQuery(3, "eth0", kQuerier, V3General(1, 2, kS), kS, kS);
  MembershipQuery specific = V3General(1, 2, kS / 10);
  specific.group = *inet::IpAddress::Parse("239.1.1.1");
  t.OnQuery(3, "eth0", kQuerier, specific, 4 * kS, 4 * kS);
  QuerierView v = t.View(3, QueryProtocol::kIgmp, 4 * kS + 1);
  EXPECT_EQ(v.last->queries, 2u);
  EXPECT_EQ(v.last->general_queries, 1u);
  EXPECT_EQ(v.last->max_response_ns, kS);         // Of the general query.
  EXPECT_EQ(v.presence, QuerierPresence::kNone);  // 3 s > 2 x 1 + 1.
}

TEST(QuerierTableTest, Bounded) {
  QuerierTable t(0);
  for (int i = 1; i <= static_cast<int>(QuerierTable::kMaxEntries) + 10; ++i) {
    t.OnQuery(i, "x", kQuerier, V3General(1, 2, kS), kS, kS);
  }
  EXPECT_EQ(t.entries().size(), QuerierTable::kMaxEntries);
  EXPECT_EQ(t.untracked(), 10u);
}

}  // namespace
}  // namespace mcast::net
