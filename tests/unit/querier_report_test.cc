#include "cli/querier_report.h"

#include <gtest/gtest.h>

namespace mcast::cli {
namespace {

constexpr int64_t kS = 1'000'000'000;

net::QuerierView Bridge(int64_t now) {
  net::QuerierTable t(0);
  net::MembershipQuery q;
  q.version = 3;
  q.query_interval_ns = kS;
  q.robustness = 2;
  q.max_response_ns = kS / 2;
  t.OnQuery(3, "rcv1-eth0", *inet::IpAddress::Parse("10.0.5.254"), q, kS,
            100 * kS);
  return t.View(3, net::QueryProtocol::kIgmp, now);
}

TEST(QuerierReportTest, Present) {
  const net::QuerierView v = Bridge(kS + kS / 4);
  EXPECT_EQ(QuerierText(net::QueryProtocol::kIgmp, v),
            "IGMPv3 querier 10.0.5.254: query interval 1 s (QQIC), max "
            "response 0.5 s, robustness 2, last query 0.25 s ago, 1 query");
  const nlohmann::ordered_json j = QuerierJson(net::QueryProtocol::kIgmp, v);
  EXPECT_EQ(j["presence"], "present");
  EXPECT_EQ(j["address"], "10.0.5.254");
  EXPECT_EQ(j["version"], 3);
  EXPECT_EQ(j["query_interval_seconds"], 1.0);
  EXPECT_EQ(j["robustness"], 2);
  EXPECT_EQ(j["timeout_seconds"], 2.5);
  EXPECT_EQ(j["queries"], 1u);
}

TEST(QuerierReportTest, NoneAndUnknownAndUnavailable) {
  EXPECT_EQ(QuerierText(net::QueryProtocol::kIgmp, Bridge(4 * kS)),
            "NO IGMP QUERIER: no general query for 3 s (limit 2 x 1 s + 0.5 s "
            "= 2.5 s; last was IGMPv3 querier 10.0.5.254)");
  net::QuerierTable empty(0);
  const net::QuerierView unknown =
      empty.View(3, net::QueryProtocol::kMld, 2 * kS);
  EXPECT_EQ(QuerierText(net::QueryProtocol::kMld, unknown),
            "MLD querier unknown: no query in 2 s (none after 260 s)");
  const nlohmann::ordered_json j =
      QuerierJson(net::QueryProtocol::kMld, unknown);
  EXPECT_EQ(j["presence"], "unknown");
  EXPECT_TRUE(j["address"].is_null());
  EXPECT_TRUE(j["seconds_since_last_query"].is_null());
  const nlohmann::ordered_json u =
      QuerierUnavailableJson(net::QueryProtocol::kIgmp, "permission denied");
  EXPECT_EQ(u["listening"], false);
  EXPECT_EQ(u["error"], "permission denied");
}

}  // namespace
}  // namespace mcast::cli
