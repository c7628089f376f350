#include "cli/receive_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mcast::cli {
namespace {

using ::testing::HasSubstr;

stats::ReceiverSnapshot OneSender() {
  stats::ReceiverStats r(stats::ReceiverStatsOptions{});
  for (uint64_t s = 0; s < 10; ++s) {
    if (s == 4) continue;
    stats::ReceivedPacket p;
    p.source = *inet::IpAddress::Parse("10.0.0.1");
    p.header.sender_id = 0x1a2b3c4d;
    p.header.sequence = s;
    p.header.ttl = 100;
    p.header.dscp = 46;
    p.size = 200;
    p.ttl = 96;
    p.tos = 0;
    p.mono_ns = p.real_ns = static_cast<int64_t>(s) * 1000;
    r.OnPacket(p);
  }
  r.Finish();
  return r.Snapshot(10000);
}

TEST(ReceiveReportTest, MldKeysFollowTheGroupFamily) {
  ReceiveContext ctx;
  ctx.group = "239.0.10.101";
  auto j = ReceiveJson(ctx, OneSender(), 10000);
  EXPECT_EQ(j["igmp_version"], 3);
  EXPECT_EQ(j["igmp_version_requested"], 3);
  EXPECT_TRUE(j["mld_version"].is_null());
  EXPECT_TRUE(j["mld_version_requested"].is_null());
  ctx.group = "ff3e::8000:1";
  ctx.ipv6 = true;
  ctx.mld_requested = 1;
  j = ReceiveJson(ctx, OneSender(), 10000);
  EXPECT_TRUE(j["igmp_version"].is_null());
  EXPECT_TRUE(j["igmp_version_requested"].is_null());
  EXPECT_TRUE(j["mld_version"].is_null());  // Not read back yet.
  EXPECT_EQ(j["mld_version_requested"], 1);
  EXPECT_NE(RenderReceiveDashboard(ctx, OneSender(), nullptr, 0, 10000)
                .find("MLDv? (asked v1)"),
            std::string::npos);
  ctx.mld_version = 1;
  j = ReceiveJson(ctx, OneSender(), 10000);
  EXPECT_EQ(j["mld_version"], 1);
  const std::string dash =
      RenderReceiveDashboard(ctx, OneSender(), nullptr, 0, 10000);
  EXPECT_NE(dash.find("  MLDv1   elapsed"), std::string::npos) << dash;
  EXPECT_EQ(dash.find("IGMP"), std::string::npos);
}

TEST(ReceiveReportTest, JsonHasTheDocumentedKeysAndValues) {
  ReceiveContext ctx;
  ctx.group = "239.0.10.101";
  ctx.port = 19779;
  ctx.interface = "eth1";
  ctx.elapsed_seconds = 12;
  auto j = ReceiveJson(ctx, OneSender(), 10000);
  for (const char* key :
       {"group", "source", "port", "interface", "igmp_version",
        "duration_seconds", "state", "totals", "senders", "gaps"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  for (const char* key :
       {"packets", "bytes", "lost", "duplicates", "reordered", "late",
        "foreign", "restarts", "stalls", "dscp_remarked"}) {
    EXPECT_TRUE(j["totals"].contains(key)) << key;
  }
  ASSERT_EQ(j["senders"].size(), 1u);
  const auto& s = j["senders"][0];
  for (const char* key :
       {"source", "sender_id", "packets", "lost", "duplicates", "reordered",
        "max_reorder_extent", "late", "ttl", "sender_ttl", "hops",
        "hop_changes", "dscp", "sender_dscp", "dscp_remarked", "restarts",
        "jitter_seconds", "first_seq", "last_seq"}) {
    EXPECT_TRUE(s.contains(key)) << key;
  }
  EXPECT_TRUE(j["source"].is_null());
  EXPECT_EQ(j["state"], "receiving");
  EXPECT_EQ(s["sender_id"], "0x1a2b3c4d");
  EXPECT_EQ(s["packets"], 9);
  EXPECT_EQ(s["lost"], 1);
  EXPECT_EQ(s["hops"], 4);
  EXPECT_EQ(s["dscp"], "be");
  EXPECT_EQ(s["sender_dscp"], "ef");
  EXPECT_EQ(s["dscp_remarked"], 9);
  EXPECT_EQ(s["first_seq"], 0);
  EXPECT_EQ(s["last_seq"], 9);
  EXPECT_EQ(j["totals"]["bytes"], 1800);
  // Added for issue 10 (sequence jumps).
  for (const char* key : {"discontinuities", "ignored_jumps"}) {
    EXPECT_EQ(j["totals"][key], 0) << key;
    EXPECT_EQ(s[key], 0) << key;
  }
}

TEST(ReceiveReportTest, DashboardSaysHopsAndRemark) {
  ReceiveContext ctx;
  ctx.group = "239.0.10.101";
  ctx.port = 19779;
  ctx.interface = "eth1";
  auto snap = OneSender();
  std::string text = RenderReceiveDashboard(ctx, snap, nullptr, 0, 10000);
  EXPECT_THAT(text, HasSubstr("RECEIVING"));
  EXPECT_THAT(text, HasSubstr("recv 96, sender set 100 - 4 hops away"));
  EXPECT_THAT(text, HasSubstr("BE, sender set EF - REMARKED"));
  EXPECT_THAT(text, HasSubstr("ASM (*,239.0.10.101)"));
  EXPECT_THAT(text, HasSubstr("1 lost"));
}

}  // namespace
}  // namespace mcast::cli
