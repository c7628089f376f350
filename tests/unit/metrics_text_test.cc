// RenderMetricsText (what /metrics serves) against the reference: the same
// view through BuildMetricFamilies and prometheus-cpp's own TextSerializer.
// The one normalization: the reference's families are put in catalog order
// (it orders them by first use; the format does not order families).

#include "exporter/metrics_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "exporter/metric_catalog.h"
#include "exporter/metric_families.h"
#include "exporter/text_exposition.h"
#include "prometheus/text_serializer.h"

namespace mcast::exporter {
namespace {

using ::testing::HasSubstr;

std::string Reference(const MetricsView& v) {
  std::vector<prometheus::MetricFamily> families = BuildMetricFamilies(v, 0);
  std::map<std::string, size_t> order;
  for (const MetricSpec& spec : MetricCatalog()) {
    order.emplace(std::string(spec.name), order.size());
  }
  std::stable_sort(families.begin(), families.end(),
                   [&](const auto& a, const auto& b) {
                     return order.at(a.name) < order.at(b.name);
                   });
  return prometheus::TextSerializer().Serialize(families);
}

std::string Rendered(const MetricsView& v) {
  std::string out;
  RenderMetricsText(v, &out);
  return out;
}

stats::SenderSnapshot Sender(const char* address, uint64_t base) {
  stats::SenderSnapshot s;
  s.source = *inet::IpAddress::Parse(address);
  s.sequence.received = base + 1;
  s.sequence.unique = base + 2;
  s.sequence.lost = base + 3;
  s.sequence.pending = base + 4;
  s.sequence.duplicates = base + 5;
  s.sequence.reordered = base + 6;
  s.sequence.max_reorder_extent = base + 7;
  s.sequence.late = base + 8;
  s.sequence.discontinuities = base + 9;
  s.bytes = base * 200;
  s.dscp_remarked = base + 10;
  s.hop_changes = base + 11;
  s.restarts = base + 12;
  s.jitter_seconds = 0.000123 * static_cast<double>(base + 1);
  return s;
}

// Stream sources of every kind, by hand: TS with an overflow bucket, TS
// over RTP (sequence, jitter and TS), MoldUDP64, unknown, an IPv6 source.
streams::StreamTableSnapshot Streams() {
  streams::StreamTableSnapshot t;
  t.evicted = 3;
  streams::StreamSnapshot a;
  a.source = *inet::IpAddress::Parse("10.1.1.9");
  a.port = 5004;
  a.kind = streams::StreamKind::kMpegTsRtp;
  a.packets = 1200;
  a.bytes = 1593600;
  a.last_packet_real_ns = 1'764'646'000'123'456'789;
  a.stalls = 1;
  a.undecodable = 2;
  a.sequence.unique = 1199;
  a.sequence.lost = 4;
  a.sequence.duplicates = 5;
  a.sequence.reordered = 6;
  a.sequence.late = 7;
  a.restarts = 8;
  a.jitter_seconds = 0.000125;
  streams::MpegTsSnapshot ts;
  ts.ts_packets = 8400;
  ts.sync_byte_errors = 1;
  ts.continuity_count_errors = 2;
  ts.transport_errors = 3;
  ts.pat_errors = 4;
  ts.pids = {{.pid = 0, .packets = 10},
             {.pid = 256, .packets = 8000, .continuity_count_errors = 2},
             {.pid = streams::kTsOverflowPid, .packets = 390, .pids = 3}};
  a.ts = ts;
  streams::StreamSnapshot b;
  b.source = *inet::IpAddress::Parse("2001:db8::7");
  b.port = 1;
  b.kind = streams::StreamKind::kMoldUdp64;
  b.packets = 3;
  b.sequence.unique = 30;
  b.sequence.lost = 2;
  streams::StreamSnapshot c;
  c.source = *inet::IpAddress::Parse("10.1.1.10");
  c.port = 65535;
  c.packets = 1;  // Unknown: no last packet time either.
  streams::StreamSnapshot d = a;
  d.kind = streams::StreamKind::kMpegTsUdp;
  d.port = 1234;
  t.streams = {a, d, c, b};
  return t;
}

// Every kind of series: receivers with and without a last packet, senders
// with and without TTL/DSCP data, with and without a delay histogram, a
// v6 sender, several interfaces, sender probes, labels that need escaping.
MetricsView RichView() {
  MetricsView v;
  v.version = "1.2.3-dirty";
  v.last_reload_successful = false;
  v.last_reload_success_timestamp_seconds = 1764646000.123456789;
  v.interfaces = {{"lo", true}, {"veth0", false}, {"we\"ird\\if", true}};

  ReceiverProbeView a;  // First: no last packet, no senders.
  a.name = "quiet";
  a.group = "239.1.1.2";
  a.source = "10.0.0.1";
  a.interface = "veth0";
  a.snapshot.state = stats::FlowState::kWaiting;
  v.receivers.push_back(a);

  ReceiverProbeView b;
  b.name = "md \"feed\"\\a\nb";
  b.group = "ff3e::1234";
  b.source = "*";
  b.interface = "lo";
  b.joined = true;
  b.ipv6 = true;  // An MLD version series instead of an IGMP one.
  b.mld_version = 2;
  b.socket_drops = 17;
  b.snapshot.state = stats::FlowState::kStalled;
  b.snapshot.stalls = 4;
  b.snapshot.stalled_seconds = 12.75;
  b.snapshot.foreign = 9;
  b.snapshot.evicted_runs = 1;
  b.snapshot.evicted_senders = 2;
  b.snapshot.expired_senders = 3;
  b.snapshot.last_packet_real_ns = 1'764'646'000'987'654'321;
  b.snapshot.totals.received = 123456789012;
  b.snapshot.totals.lost = 5;
  b.snapshot.total_bytes = 1ull << 40;
  b.snapshot.total_restarts = 6;
  b.snapshot.total_dscp_remarked = 7;
  stats::SenderSnapshot s1 = Sender("10.1.0.2", 100);
  s1.ttl = 62;
  s1.sender_ttl = 64;
  s1.hops = 2;
  s1.dscp = 8;
  s1.sender_dscp = 46;
  s1.last_remarked = true;
  s1.realtime_clock = true;
  for (double d : {0.00001, 0.0003, 0.004, 0.004, 0.2, 3.0})
    s1.delay.Observe(d);
  stats::SenderSnapshot s2 = Sender("fe80::1", 7);  // No TTL/DSCP yet.
  stats::SenderSnapshot s3 = Sender("10.1.0.3", 0);
  s3.delay.Observe(0.00002);  // Delay without the realtime flag now.
  s3.sender_ttl = 1;
  b.snapshot.senders = {s1, s2, s3};
  b.streams = Streams();
  v.receivers.push_back(b);

  ReceiverProbeView c = b;
  c.name = "copy";
  c.snapshot.state = stats::FlowState::kReceiving;
  c.snapshot.senders.resize(1);
  v.receivers.push_back(c);

  // A mesh receiver (ASM): its own address, a peer and a stranger among
  // its senders, streams too; every series with the member names.
  ReceiverProbeView m = b;
  m.name = "stu\"dios";
  m.mesh = "stu\"dios";
  m.member = "studio-a";
  m.member_address = *inet::IpAddress::Parse("10.1.0.3");
  m.peers = {{"studio-b", *inet::IpAddress::Parse("10.1.0.2"),
              stats::FlowState::kReceiving},
             {"studio-c", *inet::IpAddress::Parse("10.9.9.9"),
              stats::FlowState::kStalled},
             {"studio-d", *inet::IpAddress::Parse("10.9.9.8"),
              stats::FlowState::kWaiting}};
  auto names = std::make_shared<MeshSenderNames>(m.member, m.member_address);
  for (size_t i = 0; i < m.peers.size(); ++i) {
    names->AddPeer(m.peers[i].name, m.peers[i].address, static_cast<int>(i));
  }
  m.sender_names = names;
  v.receivers.push_back(m);
  v.meshes = {{"stu\"dios", 4, "studio-a", "10.1.0.3"}};

  SenderProbeView t;
  t.name = "self-test";
  t.group = "239.1.1.1";
  t.interface = "lo";
  t.counters.packets = 20;
  t.counters.bytes = 4000;
  t.counters.errors = 1;
  t.target_pps = 25;
  t.ttl = 64;
  t.dscp = 46;
  v.senders.push_back(t);
  t.name = "fast";
  t.target_pps = 333.333333333333333;
  v.senders.push_back(t);
  t.name = "stu\"dios";
  t.mesh = "stu\"dios";
  t.member = "studio-a";
  v.senders.push_back(t);
  return v;
}

TEST(MetricsTextTest, MatchesPrometheusCppOnEveryKindOfSeries) {
  const MetricsView v = RichView();
  const std::string want = Reference(v);
  EXPECT_EQ(Rendered(v), want);
  // The view does exercise what it is meant to.
  EXPECT_THAT(want, HasSubstr("probe=\"md \\\"feed\\\"\\\\a\\nb\""));
  EXPECT_THAT(want, HasSubstr("mcast_rx_one_way_delay_seconds_bucket{"));
  EXPECT_THAT(want, HasSubstr("le=\"+Inf\"} 6"));
  EXPECT_THAT(want, HasSubstr("sender=\"fe80::1\""));
  EXPECT_THAT(want, HasSubstr("decoder=\"mpegts_rtp\",pid=\"overflow\"} 390"));
  EXPECT_THAT(want, HasSubstr("decoder=\"moldudp64\"} 2"));
  EXPECT_THAT(want, HasSubstr("sender_port=\"65535\",decoder=\"unknown\"} 1"));
  // Mesh labels, next to what they name; the sender names from the peers.
  const std::string mesh =
      "probe=\"stu\\\"dios\",group=\"ff3e::1234\",source=\"*\",interface="
      "\"lo\",mesh=\"stu\\\"dios\",receiver_name=\"studio-a\"";
  EXPECT_THAT(want, HasSubstr("mcast_rx_stalls_total{" + mesh + "} 4"));
  EXPECT_THAT(want,
              HasSubstr("mcast_rx_state{" + mesh + ",state=\"stalled\"} 1"));
  EXPECT_THAT(want, HasSubstr("mcast_rx_lost_packets_total{" + mesh +
                              ",sender=\"10.1.0.2\",sender_name=\"studio-b\"} "
                              "103"));
  EXPECT_THAT(want, HasSubstr("sender=\"10.1.0.3\",sender_name=\"studio-a\"}"));
  EXPECT_THAT(want, HasSubstr("sender=\"fe80::1\",sender_name=\"unknown\"}"));
  EXPECT_THAT(want, HasSubstr("mcast_rx_stream_ts_pid_packets_total{" + mesh +
                              ",sender=\"10.1.1.9\",sender_port=\"5004\","
                              "decoder=\"mpegts_rtp\",pid=\"0\"} 10"));
  EXPECT_THAT(want,
              HasSubstr("mcast_rx_join_latency_seconds_count{" + mesh + "} 0"));
  EXPECT_THAT(want, HasSubstr("mcast_tx_packets_total{probe=\"stu\\\"dios\","
                              "group=\"239.1.1.1\",interface=\"lo\",mesh="
                              "\"stu\\\"dios\",sender_name=\"studio-a\"} 20"));
  EXPECT_THAT(want, HasSubstr("mcast_mesh_members{mesh=\"stu\\\"dios\"} 4"));
  EXPECT_THAT(want, HasSubstr("mcast_mesh_self_info{mesh=\"stu\\\"dios\","
                              "member=\"studio-a\",address=\"10.1.0.3\"} 1"));
  const std::string pair =
      "mcast_mesh_peer_state{mesh=\"stu\\\"dios\","
      "sender_name=\"studio-c\",receiver_name=\"studio-a\",";
  EXPECT_THAT(want, HasSubstr(pair + "state=\"waiting\"} 0\n" + pair +
                              "state=\"receiving\"} 0\n" + pair +
                              "state=\"stalled\"} 1\n"));
  // Plain probes' series carry none of it.
  EXPECT_THAT(want, HasSubstr("mcast_rx_stalls_total{probe=\"copy\","
                              "group=\"ff3e::1234\",source=\"*\",interface="
                              "\"lo\"} 4"));
}

TEST(MetricsTextTest, MatchesPrometheusCppWithNoProbes) {
  MetricsView v;
  v.version = "x";
  EXPECT_EQ(Rendered(v), Reference(v));
}

TEST(MetricsTextTest, AppendsToTheBuffer) {
  std::string out = "# kept\n";
  RenderMetricsText(RichView(), &out);
  EXPECT_EQ(out, "# kept\n" + Reference(RichView()));
}

TEST(MetricsTextTest, WritesSpecialAndEdgeValuesAsPrometheusCppDoes) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> values = {std::nan(""),
                                      -std::nan(""),
                                      inf,
                                      -inf,
                                      0.0,
                                      -0.0,
                                      1.0,
                                      -1.0,
                                      0.5,
                                      0.1,
                                      1e-9,
                                      2.5e-5,
                                      1e14,
                                      999999999999999.0,
                                      1e15,
                                      1e15 + 1,
                                      1e16,
                                      1e17,
                                      9007199254740993.0,
                                      1.7e9 + 0.123456789,
                                      1.23e300,
                                      std::numeric_limits<double>::denorm_min(),
                                      std::numeric_limits<double>::max(),
                                      std::numeric_limits<double>::min(),
                                      -123456.789,
                                      3.141592653589793};
  for (double value : values) {
    SCOPED_TRACE(value);
    MetricsView v = RichView();
    v.last_reload_success_timestamp_seconds = value;
    v.senders[0].target_pps = value;
    v.receivers[1].snapshot.stalled_seconds = value;
    v.receivers[1].snapshot.senders[0].jitter_seconds = value;
    v.receivers[1].snapshot.senders[0].delay.sum_seconds = value;
    EXPECT_EQ(Rendered(v), Reference(v));
  }
}

// Unescapes a label value as a Prometheus parser does.
std::string Unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      ++i;
      out += text[i] == 'n' ? '\n' : text[i];
    } else {
      out += text[i];
    }
  }
  return out;
}

TEST(MetricsTextTest, RandomLabelValuesAndNumbersMatchAndRoundTrip) {
  std::mt19937_64 rng(12345);
  const std::string alphabet = "ab\\\"\n {}=,#\t\xc3\xa9z09_";
  auto random_text = [&] {
    std::string s(rng() % 12, ' ');
    for (char& c : s) {
      // Mostly the characters that matter, sometimes any byte but NUL.
      c = rng() % 4 ? alphabet[rng() % alphabet.size()]
                    : static_cast<char>(1 + rng() % 255);
    }
    return s;
  };
  for (int round = 0; round < 300; ++round) {
    MetricsView v = RichView();
    ReceiverProbeView& r = v.receivers[1];
    r.name = random_text();
    r.interface = random_text();
    v.senders[1].name = random_text();
    v.interfaces[0].first = random_text();
    // Any bit pattern: NaNs, infinities, subnormals, integers, fractions.
    r.snapshot.stalled_seconds = std::bit_cast<double>(rng());
    v.senders[1].target_pps = static_cast<double>(rng() >> (rng() % 64));
    r.snapshot.senders[0].jitter_seconds =
        static_cast<double>(rng() % 1000000) / 1e6;
    const std::string text = Rendered(v);
    ASSERT_EQ(text, Reference(v)) << "round " << round;

    std::string label;
    TextExposition::AppendLabel(&label, "probe", r.name);
    ASSERT_THAT(text, HasSubstr(label));
    ASSERT_EQ(label.find('\n'), std::string::npos);
    const std::string_view value =
        std::string_view(label).substr(7, label.size() - 8);  // probe="…"
    EXPECT_EQ(Unescape(value), r.name) << "round " << round;
  }
}

// The format escapes '\' and newline in HELP; prometheus-cpp 1.0 does not
// (the catalog's help texts have neither, so /metrics is unaffected).
TEST(MetricsTextTest, EscapesHelpText) {
  std::string out;
  TextExposition(&out).Family("m", "a\\b\nc \"d\"", "gauge");
  EXPECT_EQ(out, "# HELP m a\\\\b\\nc \"d\"\n# TYPE m gauge\n");
  out.clear();
  TextExposition(&out).Family("m", "", "counter");
  EXPECT_EQ(out, "# TYPE m counter\n");
}

TEST(MetricsTextTest, CatalogHelpNeedsNoEscaping) {
  for (const MetricSpec& spec : MetricCatalog()) {
    EXPECT_EQ(spec.help.find_first_of("\\\n"), std::string_view::npos)
        << spec.name;
  }
}

TEST(MetricsTextTest, PassesPromtoolCheckMetrics) {
  if (access("/usr/bin/promtool", X_OK) != 0) {
    GTEST_SKIP() << "promtool not installed (Debian package prometheus)";
  }
  MetricsView v = RichView();
  v.receivers[1].name = "md-feed-a";  // promtool wants valid UTF-8 here.
  const std::string path = ::testing::TempDir() + "/metrics_text.txt";
  {
    std::ofstream out(path);
    out << Rendered(v);
  }
  const std::string cmd = "/usr/bin/promtool check metrics < " + path + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string output;
  char buf[512];
  while (fgets(buf, sizeof(buf), p)) output += buf;
  const int rc = pclose(p);
  EXPECT_EQ(rc, 0) << output;
  EXPECT_EQ(output, "");
}

}  // namespace
}  // namespace mcast::exporter
