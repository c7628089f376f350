#include "exporter/metric_families.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "exporter/metric_catalog.h"
#include "prometheus/text_serializer.h"
#include "streams/stream_table.h"

namespace mcast::exporter {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// An RTP source (10.1.0.9:5004, sequence 0..9 without 3) and an MPEG-TS
// one (10.1.0.10:1234, PID 256 with a continuity-counter skip 6 -> 8), fed
// through a real stream table, so every mcast_rx_stream_* family has a
// series with a known value.
streams::StreamTableSnapshot StreamsSample() {
  streams::StreamTable t(streams::StreamTableOptions{});
  const inet::IpAddress rtp = *inet::IpAddress::Parse("10.1.0.9");
  const inet::IpAddress ts = *inet::IpAddress::Parse("10.1.0.10");
  const int64_t real0 = 1'700'000'000'000'000'000;
  for (uint32_t seq = 0; seq < 10; ++seq) {
    if (seq == 3) continue;
    std::vector<uint8_t> d(112, 0);
    const uint32_t stamp = seq * 3000;
    d[0] = 0x80;
    d[1] = 96;
    d[2] = static_cast<uint8_t>(seq >> 8);
    d[3] = static_cast<uint8_t>(seq);
    for (int i = 0; i < 4; ++i) {
      d[4 + i] = static_cast<uint8_t>(stamp >> (24 - 8 * i));
    }
    d[11] = 7;  // SSRC 7.
    const int64_t at = static_cast<int64_t>(seq) * 33'333'333;
    t.OnDatagram(rtp, 5004, d, at, real0 + at);
  }
  for (int datagram = 0; datagram < 2; ++datagram) {
    std::vector<uint8_t> d(7 * 188, 0xff);
    for (int i = 0; i < 7; ++i) {
      uint8_t* p = &d[static_cast<size_t>(i) * 188];
      const int cc = datagram * 8 + i;  // 0..6, then 8..14: one gap.
      p[0] = 0x47;
      p[1] = 0x01;
      p[2] = 0x00;
      p[3] = static_cast<uint8_t>(0x10 | (cc & 0x0f));
    }
    const int64_t at = datagram * 10'000'000;
    t.OnDatagram(ts, 1234, d, at, real0 + at);
  }
  t.Finish();
  return t.Snapshot(400'000'000);
}

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
  rv.streams = StreamsSample();
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
  // A mesh (issue 17): a receiver of two peers and its sender, so every
  // family also has mesh-labelled series and the mcast_mesh_* ones exist.
  ReceiverProbeView mr = rv;
  mr.name = "studios";
  mr.group = "239.77.0.1";
  mr.mesh = "studios";
  mr.member = "studio-a";
  mr.member_address = *inet::IpAddress::Parse("10.1.0.1");
  mr.peers = {{"studio-b", *inet::IpAddress::Parse("10.1.0.2"),
               stats::FlowState::kReceiving},
              {"studio-c", *inet::IpAddress::Parse("10.1.0.3"),
               stats::FlowState::kWaiting}};
  auto names = std::make_shared<MeshSenderNames>(mr.member, mr.member_address);
  for (size_t i = 0; i < mr.peers.size(); ++i) {
    names->AddPeer(mr.peers[i].name, mr.peers[i].address, static_cast<int>(i));
  }
  mr.sender_names = names;
  v.receivers.push_back(mr);
  SenderProbeView ms = sv;
  ms.name = "studios";
  ms.group = "239.77.0.1";
  ms.mesh = "studios";
  ms.member = "studio-a";
  v.senders.push_back(ms);
  v.meshes = {{"studios", 3, "studio-a", "10.1.0.1"}};
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
  // The non-probe sources: their own families, the receiver's labels plus
  // sender, sender_port and decoder.
  const std::string lr =
      l + ",sender=\"10.1.0.9\",sender_port=\"5004\",decoder=\"rtp\"";
  const std::string lt =
      l + ",sender=\"10.1.0.10\",sender_port=\"1234\",decoder=\"mpegts\"";
  EXPECT_THAT(text, HasSubstr("mcast_rx_stream_sources{" + l + "} 2"));
  EXPECT_THAT(text,
              HasSubstr("mcast_rx_stream_evicted_sources_total{" + l + "} 0"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_stream_packets_total{" + lr + "} 9"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_stream_bytes_total{" + lr + "} 1008"));
  EXPECT_THAT(text,
              HasSubstr("mcast_rx_stream_unique_packets_total{" + lr + "} 9"));
  EXPECT_THAT(text,
              HasSubstr("mcast_rx_stream_lost_packets_total{" + lr + "} 1"));
  EXPECT_THAT(
      text, HasSubstr("mcast_rx_stream_duplicate_packets_total{" + lr + "} 0"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_stream_restarts_total{" + lr + "} 0"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_stream_packets_total{" + lt + "} 2"));
  EXPECT_THAT(text,
              HasSubstr("mcast_rx_stream_ts_packets_total{" + lt + "} 14"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_stream_ts_continuity_count_errors_"
                              "total{" +
                              lt + "} 1"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_stream_ts_sync_byte_errors_total{" +
                              lt + "} 0"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_stream_ts_pid_packets_total{" + lt +
                              ",pid=\"256\"} 14"));
  EXPECT_THAT(text, HasSubstr("mcast_rx_stream_ts_pid_continuity_count_errors_"
                              "total{" +
                              lt + ",pid=\"256\"} 1"));
  // No sequence series for TS over UDP, no TS series for plain RTP.
  EXPECT_THAT(text, Not(HasSubstr("mcast_rx_stream_lost_packets_total{" + lt)));
  EXPECT_THAT(text, Not(HasSubstr("mcast_rx_stream_ts_packets_total{" + lr)));
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
    size_t mesh_series = 0;
    for (const prometheus::ClientMetric& m : f.metric) {
      std::vector<std::string> names;
      for (const auto& label : m.label) names.push_back(label.name);
      // A mesh probe's series carry the mesh labels, the others exactly
      // the plain ones.
      const bool mesh =
          !spec.mesh_labels.empty() &&
          std::find(names.begin(), names.end(), "mesh") != names.end();
      mesh_series += mesh;
      EXPECT_THAT(names, ::testing::ElementsAreArray(mesh ? spec.mesh_labels
                                                          : spec.labels));
    }
    // Every family a mesh probe has has mesh series in this view (the
    // mesh is IPv4: no MLD version).
    if (spec.id != Metric::kRxMldVersion) {
      EXPECT_EQ(mesh_series > 0, !spec.mesh_labels.empty());
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
