#include "exporter/metric_families.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "exporter/metric_catalog.h"
#include "prometheus/text_serializer.h"

namespace mcast::exporter {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

MetricsView SampleView() {
  stats::ReceiverStats r(stats::ReceiverStatsOptions{});
  for (uint64_t s = 0; s < 20; ++s) {
    if (s == 7) continue;
    stats::ReceivedPacket p;
    p.source = *inet::IpAddress::Parse("10.1.0.2");
    p.header.sender_id = 99;
    p.header.sequence = s;
    p.header.ttl = 64;
    p.header.dscp = 46;
    p.header.flags = packet::kFlagRealtimeClock;
    p.header.timestamp_ns = 1'000'000'000;
    p.size = 200;
    p.ttl = 62;
    p.tos = 8 << 2;
    p.mono_ns = static_cast<int64_t>(s) * 1'000'000;
    p.real_ns = 1'001'000'000;
    r.OnPacket(p);
  }
  r.Finish();
  MetricsView v;
  v.version = "0.1.0";
  v.last_reload_success_timestamp_seconds = 1.7e9;
  v.interfaces = {{"veth0", true}, {"lo", true}};
  // A querier seen on veth0, so every mcast_querier_* family has a series.
  QuerierProbeView qv;
  qv.interface = "veth0";
  qv.protocol = "igmp";
  qv.expected_version = 3;
  qv.up = 1;
  qv.seen = true;
  qv.address = "10.0.0.1";
  qv.version = 3;
  qv.last_query_timestamp_seconds = 1.7e9;
  qv.queries = 4;
  v.queriers.push_back(qv);
  ReceiverProbeView rv;
  rv.name = "md-feed-a";
  rv.group = "239.1.1.1";
  rv.source = "*";
  rv.interface = "veth0";
  rv.snapshot = r.Snapshot(100'000'000);
  rv.joined = true;
  rv.igmp_version = 3;
  v.receivers.push_back(rv);
  // An IPv6 receiver: its version series is mcast_rx_mld_version.
  ReceiverProbeView rv6 = rv;
  rv6.name = "md-feed-6";
  rv6.group = "ff3e::8000:1";
  rv6.ipv6 = true;
  rv6.igmp_version = 0;
  rv6.mld_version = 2;
  v.receivers.push_back(rv6);
  SenderProbeView sv;
  sv.name = "self-test";
  sv.group = "239.1.1.1";
  sv.interface = "lo";
  sv.counters.packets = 20;
  sv.counters.bytes = 4000;
  sv.target_pps = 25;
  sv.ttl = 64;
  sv.dscp = 46;
  v.senders.push_back(sv);
  return v;
}

std::string Text(const MetricsView& v) {
  return prometheus::TextSerializer().Serialize(BuildMetricFamilies(v, 0));
}

TEST(MetricFamiliesTest, ExportsExactValuesWithContractLabels) {
  std::string text = Text(SampleView());
  const std::string l =
      "probe=\"md-feed-a\",group=\"239.1.1.1\",source=\"*\",interface="
      "\"veth0\"";
  const std::string ls = l + ",sender=\"10.1.0.2\"";
  EXPECT_THAT(text, HasSubstr("mcast_rx_packets_total{" + ls + "} 19"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_lost_packets_total{" + ls + "} 1"));
  EXPECT_THAT(
      text, HasSubstr("mcast_rx_sequence_discontinuities_total{" + ls + "} 0"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_unique_packets_total{" + ls + "} 19"));
  EXPECT_THAT(text,
              HasSubstr("mcast_rx_dscp_remarked_packets_total{" + ls + "} 19"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_hops{" + ls + "} 2"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_dscp{" + ls + "} 8"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_sender_dscp{" + ls + "} 46"));
  EXPECT_THAT(text,
              HasSubstr("mcast_rx_state{" + l + ",state=\"receiving\"} 1"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_state{" + l + ",state=\"stalled\"} 0"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_joined{" + l + "} 1"));
  EXPECT_THAT(text,
              HasSubstr("mcast_rx_one_way_delay_seconds_count{" + ls + "} 19"));
  EXPECT_THAT(text, HasSubstr("mcast_tx_packets_total{probe=\"self-test\","
                              "group=\"239.1.1.1\",interface=\"lo\"} 20"));
  EXPECT_THAT(text,
              HasSubstr("mcast_exporter_build_info{version=\"0.1.0\"} 1"));
  EXPECT_THAT(text, HasSubstr("mcast_interface_up{interface=\"veth0\"} 1"));
  // Receiver totals and evictions, on the probe labels only.
  EXPECT_THAT(text, HasSubstr("mcast_rx_receiver_packets_total{" + l + "} 19"));
  EXPECT_THAT(text,
              HasSubstr("mcast_rx_receiver_lost_packets_total{" + l + "} 1"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_receiver_bytes_total{" + l + "} 3800"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_evicted_runs_total{" + l + "} 0"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_expired_senders_total{" + l + "} 0"));
  // The sender id must never become a label.
  EXPECT_THAT(text, Not(HasSubstr("sender_id")));
}

// The sample view has a series in every family, so it must serve exactly the
// catalog: no family built outside it, none declared but never built, and
// each with the declared type, help and label names.
TEST(MetricFamiliesTest, ServesExactlyTheCatalog) {
  std::vector<prometheus::MetricFamily> families =
      BuildMetricFamilies(SampleView(), 0);
  std::map<std::string, const prometheus::MetricFamily*> by_name;
  for (const prometheus::MetricFamily& f : families) {
    EXPECT_TRUE(by_name.emplace(f.name, &f).second) << f.name << " twice";
  }
  EXPECT_EQ(by_name.size(), MetricCatalog().size());
  for (const MetricSpec& spec : MetricCatalog()) {
    SCOPED_TRACE(std::string(spec.name));
    auto it = by_name.find(std::string(spec.name));
    ASSERT_NE(it, by_name.end()) << "declared but not served";
    const prometheus::MetricFamily& f = *it->second;
    EXPECT_EQ(f.help, spec.help);
    const prometheus::MetricType type =
        spec.type == MetricType::kCounter ? prometheus::MetricType::Counter
        : spec.type == MetricType::kGauge ? prometheus::MetricType::Gauge
                                          : prometheus::MetricType::Histogram;
    EXPECT_EQ(f.type, type);
    ASSERT_FALSE(f.metric.empty());
    for (const prometheus::ClientMetric& m : f.metric) {
      std::vector<std::string> names;
      for (const auto& label : m.label) names.push_back(label.name);
      EXPECT_THAT(names, ::testing::ElementsAreArray(spec.labels));
    }
  }
}

TEST(MetricFamiliesTest, PassesPromtoolCheckMetrics) {
  if (access("/usr/bin/promtool", X_OK) != 0) {
    GTEST_SKIP() << "promtool not installed (Debian package prometheus)";
  }
  std::string path = ::testing::TempDir() + "/metrics.txt";
  {
    std::ofstream out(path);
    out << Text(SampleView());
  }
  std::string cmd = "/usr/bin/promtool check metrics < " + path + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string output;
  char buf[512];
  while (fgets(buf, sizeof(buf), p)) output += buf;
  int rc = pclose(p);
  EXPECT_EQ(rc, 0) << output;
  EXPECT_EQ(output, "");
}

}  // namespace
}  // namespace mcast::exporter
