#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "exporter/config.h"
#include "exporter/config_loader.h"
#include "exporter/isolated_config_load.h"
#include "inet/ip_address.h"
#include "probe/decode_spec_parser.h"
#include "probe/spec_check.h"
#include "stats/receiver_stats.h"
#include "streams/stream_table.h"
#include "util/byte_size.h"

namespace mcast::exporter {
namespace {

// The shipped configs live in config/ at the top of the source tree;
// MCAST_TEST_DATA_DIR is <source>/tests/data (which need not exist, so the
// path is shortened lexically rather than through "..").
std::string SourcePath(const std::string& relative) {
  return (std::filesystem::path(MCAST_TEST_DATA_DIR)
              .parent_path()
              .parent_path() /
          relative)
      .string();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// "OK" or the full error text, so a test shows every line on failure.
std::string Check(const std::string& text) {
  auto config = ParseConfig(text, "t.toml");
  if (config.ok()) return "OK";
  return std::string(config.status().message());
}

Config MustParse(const std::string& text) {
  auto config = ParseConfig(text, "t.toml");
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? *config : Config();
}

inet::IpAddress Ip(const char* text) { return *inet::IpAddress::Parse(text); }

TEST(ExporterConfigTest, DecodeAndRtpClockRateInheritedLikeTheCli) {
  Config config = MustParse(R"(
[defaults]
decode = "rtp"
rtp_clock_rate = 48000
[[receiver]]
name = "a"
group = "239.1.1.1"
[[receiver]]
name = "b"
group = "239.1.1.2"
decode = "seq:4:2:le"
[[receiver]]
name = "c"
group = "239.1.1.3"
decode = "mpegts"
rtp_clock_rate = 90000
)");
  ASSERT_EQ(config.receivers.size(), 3u);
  EXPECT_EQ(config.receivers[0].decode.mode, streams::DecodeMode::kRtp);
  EXPECT_EQ(config.receivers[0].decode.rtp_clock_rate, 48000u);
  const streams::DecodeSpec& b = config.receivers[1].decode;
  EXPECT_EQ(b.ToString(), "seq:4:2:le");
  EXPECT_EQ(b.rtp_clock_rate, 48000u);
  EXPECT_EQ(config.receivers[2].decode.mode, streams::DecodeMode::kMpegTs);
  EXPECT_EQ(config.receivers[2].decode.rtp_clock_rate, 90000u);
  // The built-in defaults are the CLI's.
  const Config plain =
      MustParse("[[receiver]]\nname = \"r\"\ngroup = \"239.1.1.1\"\n");
  EXPECT_EQ(plain.receivers[0].decode, streams::DecodeSpec());
  // A changed decoder is a changed receiver (a reload restarts it).
  EXPECT_FALSE(config.receivers[0] == plain.receivers[0]);
}

// Every text mcast-receive --decode refuses is refused here with the same
// reason, at the value's line:column and under the key; the same for
// --rtp-clock-rate.
TEST(ExporterConfigErrorsTest, DecodeErrorsAreTheClisWithFileLineColumn) {
  const std::string head =
      "[[receiver]]\nname = \"r\"\ngroup = \"239.1.1.1\"\n";
  for (const char* bad :
       {"", "rtpx", "seq", "seq:4", "seq:x:2", "seq:65507:1", "seq:4:3",
        "seq:65506:2", "seq:4:2:xe", "seq:4:2:be:1", "SEQ:1:1", "seq:-1:2",
        "seq:+1:2", "seq:1 :2", "auto ", "mpegts\x01"}) {
    SCOPED_TRACE(bad);
    absl::StatusOr<streams::DecodeSpec> cli = probe::ParseDecodeSpec(bad);
    ASSERT_FALSE(cli.ok());
    std::string text = bad;
    std::string toml_text;
    for (char c : text) {
      if (static_cast<unsigned char>(c) < 0x20) {
        absl::StrAppend(&toml_text, "\\u00", c < 0x10 ? "0" : "",
                        absl::Hex(static_cast<unsigned char>(c)));
      } else {
        toml_text += c;
      }
    }
    EXPECT_EQ(Check(head + "decode = \"" + toml_text + "\"\n"),
              absl::StrCat("t.toml:4:10: receiver[0].decode: ",
                           cli.status().message()));
  }
  for (int64_t hz : {0, -1, 10'000'001}) {
    SCOPED_TRACE(hz);
    absl::StatusOr<uint32_t> cli = probe::CheckRtpClockRate(hz);
    ASSERT_FALSE(cli.ok());
    EXPECT_EQ(Check(absl::StrCat("[defaults]\nrtp_clock_rate = ", hz, "\n")),
              absl::StrCat("t.toml:2:18: defaults.rtp_clock_rate: ",
                           cli.status().message()));
  }
  EXPECT_EQ(Check(head + "decode = 5\n"),
            "t.toml:4:10: receiver[0].decode: expected a string, got an "
            "integer (auto, probe, rtp, mpegts, moldudp64 or "
            "seq:OFFSET:WIDTH[:be|le])");
  EXPECT_EQ(Check(head + "rtp_clock_rate = \"90kHz\"\n"),
            "t.toml:4:18: receiver[0].rtp_clock_rate: expected an integer, "
            "got a string (1 to 10000000 Hz)");
  EXPECT_EQ(Check("[[sender]]\nname = \"s\"\ngroup = \"239.1.1.1\"\n"
                  "decode = \"rtp\"\n"),
            "t.toml:4:1: sender[0].decode: unknown key: decode is a receiver "
            "setting (allowed: name, group, source, interface, port, ttl, "
            "dscp, rate, size, clock, loopback)");
}

TEST(ExporterConfigTest, RejoinIntervalInheritedAndAtLeastOneSecond) {
  Config config = MustParse(R"(
[defaults]
rejoin_interval = "30s"
[[receiver]]
name = "a"
group = "239.1.1.1"
[[receiver]]
name = "b"
group = "239.1.1.2"
rejoin_interval = 5
)");
  ASSERT_EQ(config.receivers.size(), 2u);
  EXPECT_EQ(config.receivers[0].rejoin_interval, absl::Seconds(30));
  EXPECT_EQ(config.receivers[1].rejoin_interval, absl::Seconds(5));
  EXPECT_EQ(MustParse("[[receiver]]\nname = \"c\"\ngroup = \"239.1.1.3\"\n")
                .receivers[0]
                .rejoin_interval,
            absl::ZeroDuration());
  EXPECT_NE(Check("[[receiver]]\nname = \"r\"\ngroup = \"239.1.1.1\"\n"
                  "rejoin_interval = \"500ms\"\n")
                .find("t.toml:4:19: receiver[0].rejoin_interval: 500ms is "
                      "shorter than 1s"),
            std::string::npos)
      << Check(
             "[[receiver]]\nname = \"r\"\ngroup = \"239.1.1.1\"\n"
             "rejoin_interval = \"500ms\"\n");
  EXPECT_NE(Check("[[sender]]\nname = \"s\"\ngroup = \"239.1.1.1\"\n"
                  "rejoin_interval = \"5s\"\n"),
            "OK");
}

TEST(ExporterConfigTest, EmptyFileIsValidWithDefaults) {
  Config config = MustParse("");
  EXPECT_TRUE(config.senders.empty());
  EXPECT_TRUE(config.receivers.empty());
  EXPECT_EQ(config.exporter.listen, "0.0.0.0:19779");
  EXPECT_EQ(config.exporter.listen_address, Ip("0.0.0.0"));
  EXPECT_EQ(config.exporter.listen_port, 19779);
  EXPECT_EQ(config.exporter.metrics_path, "/metrics");
  EXPECT_EQ(config, Config());
}

TEST(ExporterConfigTest, MinimalProbesGetBuiltInDefaults) {
  Config config = MustParse(R"(
[[sender]]
name = "s"
group = "239.1.2.3"
[[receiver]]
name = "r"
group = "239.1.2.3"
)");
  ASSERT_EQ(config.senders.size(), 1u);
  const SenderConfig& s = config.senders[0];
  EXPECT_EQ(s.name, "s");
  EXPECT_EQ(s.group, Ip("239.1.2.3"));
  EXPECT_EQ(s.port, 19779);
  EXPECT_EQ(s.interface, "");
  EXPECT_TRUE(s.source.is_unspecified());
  EXPECT_EQ(s.ttl, 1);
  EXPECT_EQ(s.dscp, 0);
  EXPECT_EQ(s.rate, "25pps");
  EXPECT_DOUBLE_EQ(s.packets_per_second, 25);
  EXPECT_EQ(s.size, 200);
  EXPECT_EQ(s.clock, SenderClock::kMonotonic);
  EXPECT_TRUE(s.loopback);

  ASSERT_EQ(config.receivers.size(), 1u);
  const ReceiverConfig& r = config.receivers[0];
  EXPECT_EQ(r.name, "r");
  EXPECT_EQ(r.group, Ip("239.1.2.3"));
  EXPECT_FALSE(r.is_ssm());
  EXPECT_EQ(r.port, 19779);
  EXPECT_EQ(r.interface, "");
  EXPECT_EQ(r.igmp_version, 3);
  EXPECT_EQ(r.stall_timeout, absl::Seconds(3));
  EXPECT_EQ(r.reorder_window, absl::Seconds(3));
  EXPECT_EQ(r.reorder_packets, 1024);
  EXPECT_EQ(r.max_senders, 256);
  EXPECT_EQ(r.sequence_options().max_reorder_age_ns, 3'000'000'000);
  EXPECT_EQ(r.sequence_options().max_reorder_packets, 1024u);
}

TEST(ExporterConfigTest, DefaultsAreInheritedAndOverridden) {
  Config config = MustParse(R"(
[exporter]
listen = "[::]:0"
metrics_path = "/probe/metrics"

[defaults]
interface = "eth1"
port = 5000
ttl = 32
dscp = "af41"
rate = "64kbps"
size = 1000
clock = "realtime"
loopback = false
igmp_version = 2
stall_timeout = "500ms"
reorder_window = 1.5
reorder_packets = 100
max_senders = 8

[[sender]]
name = "inherits"
group = "239.1.1.1"

[[sender]]
name = "overrides"
group = "239.1.1.2"
source = "10.0.0.5"
interface = "eth2"
port = 6000
ttl = 0
dscp = 46
rate = 1000
size = 32
clock = "monotonic"
loopback = true

[[receiver]]
name = "r-inherits"
group = "239.1.1.1"

[[receiver]]
name = "r-overrides"
group = "232.1.1.1"
source = "10.0.0.5"
interface = "eth3"
port = 6000
igmp_version = 3
stall_timeout = 10
reorder_window = "250ms"
reorder_packets = 32767
max_senders = 1000
sender_expiry = "10m"
)");
  EXPECT_EQ(config.exporter.listen, "[::]:0");
  EXPECT_EQ(config.exporter.listen_address, Ip("::"));
  EXPECT_EQ(config.exporter.listen_port, 0);
  EXPECT_EQ(config.exporter.metrics_path, "/probe/metrics");

  ASSERT_EQ(config.senders.size(), 2u);
  const SenderConfig& a = config.senders[0];
  EXPECT_EQ(a.interface, "eth1");
  EXPECT_EQ(a.port, 5000);
  EXPECT_EQ(a.ttl, 32);
  EXPECT_EQ(a.dscp, 34);
  EXPECT_EQ(a.rate, "64kbps");
  EXPECT_DOUBLE_EQ(a.packets_per_second, 8);  // 64000 / (8 * 1000)
  EXPECT_EQ(a.size, 1000);
  EXPECT_EQ(a.clock, SenderClock::kRealtime);
  EXPECT_FALSE(a.loopback);

  const SenderConfig& b = config.senders[1];
  EXPECT_EQ(b.source, Ip("10.0.0.5"));
  EXPECT_EQ(b.interface, "eth2");
  EXPECT_EQ(b.port, 6000);
  EXPECT_EQ(b.ttl, 0);
  EXPECT_EQ(b.dscp, 46);
  EXPECT_EQ(b.rate, "1000pps");
  EXPECT_DOUBLE_EQ(b.packets_per_second, 1000);
  EXPECT_EQ(b.size, 32);
  EXPECT_EQ(b.clock, SenderClock::kMonotonic);
  EXPECT_TRUE(b.loopback);

  ASSERT_EQ(config.receivers.size(), 2u);
  const ReceiverConfig& c = config.receivers[0];
  EXPECT_EQ(c.interface, "eth1");
  EXPECT_EQ(c.port, 5000);
  EXPECT_EQ(c.igmp_version, 2);
  EXPECT_EQ(c.stall_timeout, absl::Milliseconds(500));
  EXPECT_EQ(c.reorder_window, absl::Milliseconds(1500));
  EXPECT_EQ(c.reorder_packets, 100);
  EXPECT_EQ(c.max_senders, 8);

  const ReceiverConfig& d = config.receivers[1];
  EXPECT_TRUE(d.is_ssm());
  EXPECT_EQ(d.source, Ip("10.0.0.5"));
  EXPECT_EQ(d.interface, "eth3");
  EXPECT_EQ(d.port, 6000);
  EXPECT_EQ(d.igmp_version, 3);
  EXPECT_EQ(d.stall_timeout, absl::Seconds(10));
  EXPECT_EQ(d.reorder_window, absl::Milliseconds(250));
  EXPECT_EQ(d.reorder_packets, 32767);
  EXPECT_EQ(d.max_senders, 1000);
  EXPECT_EQ(d.sender_expiry, absl::Minutes(10));
  EXPECT_EQ(c.sender_expiry, absl::Minutes(5));
}

TEST(ExporterConfigTest, ProbesInheritDefaultsWrittenAfterThem) {
  Config config = MustParse(R"(
[[sender]]
name = "s"
group = "239.1.1.1"
[defaults]
ttl = 9
)");
  ASSERT_EQ(config.senders.size(), 1u);
  EXPECT_EQ(config.senders[0].ttl, 9);
}

TEST(ExporterConfigTest, InlineTablesWork) {
  Config config = MustParse(
      "sender = [{ name = \"s\", group = \"239.1.1.1\" }]\n"
      "receiver = []\n");
  ASSERT_EQ(config.senders.size(), 1u);
  EXPECT_EQ(config.senders[0].name, "s");
}

TEST(ExporterConfigTest, ListenForms) {
  EXPECT_EQ(MustParse("exporter.listen = \"127.0.0.1:9100\"").exporter.listen,
            "127.0.0.1:9100");
  Config v6 = MustParse("exporter.listen = \"[::1]:65535\"");
  EXPECT_EQ(v6.exporter.listen, "[::1]:65535");
  EXPECT_EQ(v6.exporter.listen_address, Ip("::1"));
  EXPECT_EQ(v6.exporter.listen_port, 65535);
}

// The exporter family's spellings (issue 15): listen_addresses,
// telemetry_path, web_config_file; the flags that win over them are the
// CLI's (netns.exporter_toml_web_test).
TEST(ExporterConfigTest, ExporterFamilySpellings) {
  Config c = MustParse(
      "[exporter]\n"
      "listen_addresses = [\"[::1]:9100\", \":9101\", \"127.0.0.2:0\"]\n"
      "telemetry_path = \"/probe-metrics\"\n"
      "web_config_file = \"web/web.yml\"\n");
  EXPECT_EQ(
      c.exporter.listen_addresses,
      (std::vector<std::string>{"[::1]:9100", "0.0.0.0:9101", "127.0.0.2:0"}));
  // `listen` is the first, for what shows one address.
  EXPECT_EQ(c.exporter.listen, "[::1]:9100");
  EXPECT_EQ(c.exporter.listen_address, Ip("::1"));
  EXPECT_EQ(c.exporter.listen_port, 9100);
  EXPECT_EQ(c.exporter.metrics_path, "/probe-metrics");
  EXPECT_EQ(c.exporter.web_config_file, "web/web.yml");
  Config plain = MustParse("[exporter]\nlisten = \"127.0.0.1:1\"\n");
  EXPECT_TRUE(plain.exporter.listen_addresses.empty());
  EXPECT_TRUE(plain.exporter.web_config_file.empty());
}

TEST(ExporterConfigErrorsTest, ExporterFamilySpellings) {
  EXPECT_EQ(Check("[exporter]\nlisten = \"127.0.0.1:1\"\n"
                  "listen_addresses = [\"127.0.0.1:2\"]\n"),
            "t.toml:3:20: exporter.listen_addresses: set together with "
            "exporter.listen: write one of them");
  EXPECT_EQ(
      Check("[exporter]\nmetrics_path = \"/a\"\ntelemetry_path = \"/b\"\n"),
      "t.toml:3:18: exporter.telemetry_path: set together with "
      "exporter.metrics_path: write one of them");
  const std::string allowed =
      "(a list of 1 to 16 addresses, HOST:PORT with an IP address, e.g. "
      "\"0.0.0.0:19779\", \"127.0.0.1:19779\" or \"[::]:19779\"; port 0 "
      "picks a free port; \":PORT\" is every IPv4 address)";
  EXPECT_EQ(
      Check("exporter.listen_addresses = []\n"),
      "t.toml:1:29: exporter.listen_addresses: has 0 addresses " + allowed);
  std::string many = "exporter.listen_addresses = [";
  for (int i = 0; i < 17; ++i) many += "\"127.0.0.1:0\",";
  EXPECT_EQ(
      Check(many + "]\n"),
      "t.toml:1:29: exporter.listen_addresses: has 17 addresses " + allowed);
  EXPECT_EQ(Check("exporter.listen_addresses = \"127.0.0.1:0\"\n"),
            "t.toml:1:29: exporter.listen_addresses: expected an array, got a "
            "string " +
                allowed);
  EXPECT_EQ(Check("exporter.listen_addresses = [\"127.0.0.1:0\", \"x:1\"]\n"),
            "t.toml:1:45: exporter.listen_addresses[1]: 'x:1' has no IP "
            "address before the port ('x' is not one; host names are not "
            "resolved) (HOST:PORT with an IP address, e.g. \"0.0.0.0:19779\", "
            "\"127.0.0.1:19779\" or \"[::]:19779\"; port 0 picks a free port)");
  EXPECT_EQ(Check("exporter.listen = \":19779\"\n"),
            "t.toml:1:19: exporter.listen: ':19779' has no IP address before "
            "the port ('' is not one; host names are not resolved) (HOST:PORT "
            "with an IP address, e.g. \"0.0.0.0:19779\", \"127.0.0.1:19779\" "
            "or \"[::]:19779\"; port 0 picks a free port)");
  EXPECT_EQ(Check("exporter.web_config_file = \"\"\n"),
            "t.toml:1:28: exporter.web_config_file: '' is not a valid path (a "
            "path to a web config (exporter-toolkit YAML), relative to this "
            "file's folder or absolute)");
  EXPECT_EQ(Check("exporter.web_config_file = \"a\\nb\"\n"),
            "t.toml:1:28: exporter.web_config_file: 'a\\nb' is not a valid "
            "path (a path to a web config (exporter-toolkit YAML), relative to "
            "this file's folder or absolute)");
  EXPECT_EQ(Check("exporter.telemetry_path = \"x\"\n"),
            "t.toml:1:27: exporter.telemetry_path: 'x' is not a valid path (an "
            "HTTP path starting with '/', without spaces, '?' or '#', e.g. "
            "\"/metrics\")");
}

// --- Errors, one class at a time, with the exact text. ---

TEST(ExporterConfigErrorsTest, SyntaxError) {
  EXPECT_EQ(Check("[exporter]\nlisten = \n"),
            "t.toml:2:10: syntax error: Error while parsing key-value pair: "
            "expected value, saw '\\n'");
  EXPECT_EQ(Check("[[sender]]\nname = \"a\"\nname = \"b\"\n"),
            "t.toml:3:8: syntax error: Error while parsing key-value pair: "
            "cannot redefine existing string 'name'");
}

TEST(ExporterConfigErrorsTest, UnknownKeysAtEveryLevel) {
  EXPECT_EQ(Check("[exporterr]\n"),
            "t.toml:1:2: exporterr: unknown key, did you mean 'exporter'? "
            "(allowed: exporter, defaults, sender, receiver, mesh)");
  EXPECT_EQ(Check("[exporter]\ntick = 1\n"),
            "t.toml:2:1: exporter.tick: unknown key (allowed: listen, "
            "listen_addresses, metrics_path, telemetry_path, web_config_file, "
            "memory_limit)");
  EXPECT_EQ(Check("[defaults]\n  group = \"239.1.1.1\"\n"),
            "t.toml:2:3: defaults.group: unknown key: group is set in each "
            "probe, not in [defaults] (allowed: interface, port, ttl, dscp, "
            "rate, size, clock, loopback, igmp_version, mld_version, "
            "stall_timeout, reorder_window, reorder_packets, max_senders, "
            "sender_expiry, rejoin_interval, decode, rtp_clock_rate)");
  EXPECT_EQ(Check("[[sender]]\nname = \"s\"\ngroup = \"239.1.1.1\"\n"
                  "igmp_version = 2\n"),
            "t.toml:4:1: sender[0].igmp_version: unknown key: igmp_version "
            "is a receiver setting (allowed: name, group, source, interface, "
            "port, ttl, dscp, rate, size, clock, loopback)");
  EXPECT_EQ(Check("[[receiver]]\nname = \"r\"\ngroup = \"239.1.1.1\"\n"
                  "igmp_verison = 2\n"),
            "t.toml:4:1: receiver[0].igmp_verison: unknown key, did you mean "
            "'igmp_version'? (allowed: name, group, source, interface, port, "
            "igmp_version, mld_version, stall_timeout, reorder_window, "
            "reorder_packets, max_senders, sender_expiry, rejoin_interval, "
            "decode, rtp_clock_rate)");
  EXPECT_EQ(Check("[[receiver]]\nname = \"r\"\ngroup = \"239.1.1.1\"\n"
                  "[receiver.extra]\nx = 1\n"),
            "t.toml:4:11: receiver[0].extra: unknown key (allowed: name, "
            "group, source, interface, port, igmp_version, mld_version, "
            "stall_timeout, reorder_window, reorder_packets, max_senders, "
            "sender_expiry, rejoin_interval, decode, rtp_clock_rate)");
}

TEST(ExporterConfigErrorsTest, WrongTypes) {
  EXPECT_EQ(Check("[[sender]]\nname = \"s\"\ngroup = \"239.1.1.1\"\n"
                  "ttl = \"1\"\n"),
            "t.toml:4:7: sender[0].ttl: expected an integer, got a string "
            "(0 to 255)");
  EXPECT_EQ(Check("[defaults]\nloopback = \"yes\"\n"),
            "t.toml:2:12: defaults.loopback: expected a boolean, got a "
            "string (true or false)");
  EXPECT_EQ(Check("[defaults]\nsize = 200.0\n"),
            "t.toml:2:8: defaults.size: expected an integer, got a float "
            "(32 to 65507 bytes)");
  EXPECT_EQ(Check("[defaults]\nstall_timeout = true\n"),
            "t.toml:2:17: defaults.stall_timeout: expected a string or a "
            "number, got a boolean (a duration greater than zero, e.g. "
            "\"250ms\", \"3s\", 2.5)");
  EXPECT_EQ(Check("[defaults]\ndscp = 4.5\n"),
            "t.toml:2:8: defaults.dscp: expected a string or an integer, got "
            "a float (0-63 or a name: be, ef, va, af11-af43, cs0-cs7)");
  EXPECT_EQ(Check("[sender]\nname = \"s\"\n"),
            "t.toml:1:1: sender: expected an array of tables, got a table "
            "(write each probe as [[sender]])");
  EXPECT_EQ(Check("receiver = [1]\n"),
            "t.toml:1:13: receiver[0]: expected a table, got an integer "
            "(write each probe as [[receiver]])");
  EXPECT_EQ(Check("exporter = 5\n"),
            "t.toml:1:12: exporter: expected a table, got an integer (write "
            "it as [exporter])");
  EXPECT_EQ(Check("[exporter]\nlisten = 19779\n"),
            "t.toml:2:10: exporter.listen: expected a string, got an integer "
            "(HOST:PORT with an IP address, e.g. \"0.0.0.0:19779\", "
            "\"127.0.0.1:19779\" or \"[::]:19779\"; port 0 picks a free "
            "port)");
}

TEST(ExporterConfigErrorsTest, BadAddresses) {
  const std::string probe = "[[receiver]]\nname = \"r\"\n";
  EXPECT_EQ(Check(probe + "group = \"10.0.0.1\"\n"),
            "t.toml:3:9: receiver[0].group: 10.0.0.1 is not a multicast "
            "address (an IPv4 multicast address, e.g. \"239.1.2.3\", in "
            "224.0.0.0/4)");
  EXPECT_EQ(Check(probe + "group = \"239.1.1\"\n"),
            "t.toml:3:9: receiver[0].group: '239.1.1' is not an IP address "
            "(an IPv4 multicast address, e.g. \"239.1.2.3\")");
  EXPECT_EQ(Check(probe + "group = \"ff3e::1\"\n"), "OK");
  EXPECT_EQ(Check(probe + "group = \"2001:db8::1\"\n"),
            "t.toml:3:9: receiver[0].group: 2001:db8::1 is not a multicast "
            "address (an IPv6 multicast address, e.g. \"ff3e::8000:1\", in "
            "ff00::/8)");
  EXPECT_EQ(Check(probe + "group = \"ff3e::1\"\nsource = \"10.0.0.1\"\n"),
            "t.toml:4:10: receiver[0].source: 10.0.0.1 is an IPv4 address and "
            "the group ff3e::1 is IPv6 (the source must be of the group's "
            "family)");
  EXPECT_EQ(Check("[[sender]]\nname = \"s\"\ngroup = \"239.1.1.1\"\n"
                  "source = \"2001:db8::5\"\n"),
            "t.toml:4:10: sender[0].source: 2001:db8::5 is an IPv6 address and "
            "the group 239.1.1.1 is IPv4 (the source must be of the group's "
            "family)");
  EXPECT_EQ(Check(probe + "group = \"ff12::1234\"\n"),
            "t.toml:3:9: receiver[0].interface: none given for ff12::1234, a "
            "link-local group (scope 2): it exists on every link, so name the "
            "one to use");
  // From [defaults] counts.
  EXPECT_EQ(Check("[defaults]\ninterface = \"eth1\"\n" + probe +
                  "group = \"ff12::1234\"\n"),
            "OK");
  EXPECT_EQ(Check(probe + "group = \"224.0.0.5\"\n"),
            "t.toml:3:9: receiver[0].group: 224.0.0.5 is in 224.0.0.0/24, "
            "reserved for link-local control protocols (an IPv4 multicast "
            "address, e.g. \"239.1.2.3\", outside 224.0.0.0/24)");
  EXPECT_EQ(Check(probe + "group = \"232.1.1.1\"\nsource = \"10.0.0.256\"\n"),
            "t.toml:4:10: receiver[0].source: '10.0.0.256' is not an IP "
            "address (an IPv4 unicast address, e.g. \"10.0.0.1\")");
  EXPECT_EQ(Check(probe + "group = \"232.1.1.1\"\nsource = \"232.1.1.2\"\n"),
            "t.toml:4:10: receiver[0].source: 232.1.1.2 is not a unicast "
            "address (an IPv4 unicast address, e.g. \"10.0.0.1\")");
  EXPECT_EQ(Check("[[sender]]\nname = \"s\"\ngroup = \"239.1.1.1\"\n"
                  "source = \"0.0.0.0\"\n"),
            "t.toml:4:10: sender[0].source: 0.0.0.0 is not a unicast address "
            "(an IPv4 unicast address, e.g. \"10.0.0.1\")");
}

TEST(ExporterConfigErrorsTest, SsmNeedsIgmpV3) {
  EXPECT_EQ(Check("[[receiver]]\nname = \"r\"\ngroup = \"232.1.1.1\"\n"
                  "source = \"10.0.0.1\"\nigmp_version = 2\n"),
            "t.toml:5:16: receiver[0].igmp_version: SSM receiver (source "
            "10.0.0.1) needs IGMP version 3, got 2");
  // Inherited: the error points at the probe's source, the probe-specific
  // half of the conflict.
  EXPECT_EQ(Check("[defaults]\nigmp_version = 1\n"
                  "[[receiver]]\nname = \"r\"\ngroup = \"232.1.1.1\"\n"
                  "source = \"10.0.0.1\"\n"),
            "t.toml:6:10: receiver[0].igmp_version: SSM receiver (source "
            "10.0.0.1) needs IGMP version 3, got 1 from [defaults]");
  // An ASM receiver may use any version.
  EXPECT_EQ(Check("[defaults]\nigmp_version = 1\n"
                  "[[receiver]]\nname = \"r\"\ngroup = \"232.1.1.1\"\n"),
            "OK");
}

TEST(ExporterConfigErrorsTest, MldVersionIsForIpv6Groups) {
  EXPECT_EQ(Check("[[receiver]]\nname = \"r\"\ngroup = \"239.1.1.1\"\n"
                  "mld_version = 1\n"),
            "t.toml:4:15: receiver[0].mld_version: MLD is for IPv6 groups; "
            "239.1.1.1 is an IPv4 group, whose version is IGMP's (1, 2 or 3)");
  EXPECT_EQ(Check("[[receiver]]\nname = \"r\"\ngroup = \"ff15::1234\"\n"
                  "mld_version = 3\n"),
            "t.toml:4:15: receiver[0].mld_version: 3 is out of range (1 or "
            "2)");
  // [defaults] serves receivers of both families: no error there.
  const Config c = MustParse(
      "[defaults]\nmld_version = 1\nigmp_version = 2\n"
      "[[receiver]]\nname = \"r\"\ngroup = \"239.1.1.1\"\n");
  ASSERT_EQ(c.receivers.size(), 1u);
  EXPECT_EQ(c.receivers[0].igmp_version, 2);
  EXPECT_EQ(c.receivers[0].mld_version, 1);
}

TEST(ExporterConfigErrorsTest, DuplicateNamesAcrossKinds) {
  // The receiver comes first in the file, so it is the first user even
  // though senders are resolved first.
  EXPECT_EQ(Check("[[receiver]]\nname = \"x\"\ngroup = \"239.1.1.1\"\n"
                  "[[sender]]\nname = \"x\"\ngroup = \"239.1.1.1\"\n"
                  "[[sender]]\nname = \"x\"\ngroup = \"239.1.1.1\"\n"),
            "t.toml:5:8: sender[0].name: duplicate probe name 'x', first "
            "used by receiver[0] at 2:8 (names are unique across senders and "
            "receivers)\n"
            "t.toml:8:8: sender[1].name: duplicate probe name 'x', first "
            "used by receiver[0] at 2:8 (names are unique across senders and "
            "receivers)");
}

TEST(ExporterConfigErrorsTest, MissingRequiredKeysPointAtTheTable) {
  EXPECT_EQ(Check("\n[[sender]]\nttl = 3\n"),
            "t.toml:2:1: sender[0].name: missing required key (1-64 letters, "
            "digits, '_', '-' or '.', e.g. \"feed-a\")\n"
            "t.toml:2:1: sender[0].group: missing required key (an IPv4 "
            "multicast address, e.g. \"239.1.2.3\")");
}

TEST(ExporterConfigErrorsTest, OutOfRange) {
  const std::string s = "[[sender]]\nname = \"s\"\ngroup = \"239.1.1.1\"\n";
  const std::string r = "[[receiver]]\nname = \"r\"\ngroup = \"239.1.1.1\"\n";
  EXPECT_EQ(Check(s + "ttl = 256\n"),
            "t.toml:4:7: sender[0].ttl: 256 is out of range (0 to 255)");
  EXPECT_EQ(Check(s + "ttl = -1\n"),
            "t.toml:4:7: sender[0].ttl: -1 is out of range (0 to 255)");
  EXPECT_EQ(Check(s + "port = 0\n"),
            "t.toml:4:8: sender[0].port: 0 is out of range (1 to 65535)");
  EXPECT_EQ(Check(s + "size = 31\n"),
            "t.toml:4:8: sender[0].size: 31 is out of range (32 to 65507 "
            "bytes)");
  EXPECT_EQ(Check(s + "size = 65508\n"),
            "t.toml:4:8: sender[0].size: 65508 is out of range (32 to 65507 "
            "bytes)");
  EXPECT_EQ(Check(r + "igmp_version = 4\n"),
            "t.toml:4:16: receiver[0].igmp_version: 4 is out of range (1, 2 "
            "or 3)");
  EXPECT_EQ(Check(r + "reorder_packets = 32768\n"),
            "t.toml:4:19: receiver[0].reorder_packets: 32768 is out of range "
            "(1 to 32767)");
  EXPECT_EQ(Check(r + "max_senders = 0\n"),
            "t.toml:4:15: receiver[0].max_senders: 0 is out of range (1 to "
            "65536)");
  EXPECT_EQ(Check(r + "stall_timeout = \"0s\"\n"),
            "t.toml:4:17: receiver[0].stall_timeout: '0s' is not greater "
            "than zero (a duration greater than zero, e.g. \"250ms\", \"3s\", "
            "2.5)");
  EXPECT_EQ(Check(r + "reorder_window = 0\n"),
            "t.toml:4:18: receiver[0].reorder_window: '0' is not greater "
            "than zero (a duration greater than zero, e.g. \"250ms\", \"3s\", "
            "2.5)");
  EXPECT_EQ(Check(s + "rate = \"10Gbps\"\n"),
            "t.toml:4:8: sender[0].rate: 10Gbps with 200-byte datagrams is "
            "6250000 packets per second (0.001 to 1000000 packets per second)");
  // Only the size makes the rate too low here, so the size is pointed at.
  EXPECT_EQ(Check("[defaults]\nrate = \"100bps\"\n" + s + "size = 65000\n"),
            "t.toml:6:8: sender[0].rate: 100bps with 65000-byte datagrams is "
            "0.000192308 packets per second (0.001 to 1000000 packets per "
            "second)");
}

TEST(ExporterConfigErrorsTest, BadStrings) {
  const std::string s = "[[sender]]\nname = \"s\"\ngroup = \"239.1.1.1\"\n";
  const std::string r = "[[receiver]]\nname = \"r\"\ngroup = \"239.1.1.1\"\n";
  EXPECT_EQ(Check(s + "rate = \"fast\"\n"),
            "t.toml:4:8: sender[0].rate: invalid rate 'fast': not a number "
            "with a unit (use e.g. 25pps, 1000, 64kbps, 1.5Mbps, 1Gbps)");
  EXPECT_EQ(Check(s + "rate = -5\n"),
            "t.toml:4:8: sender[0].rate: invalid rate '-5': must be positive "
            "(use e.g. 25pps, 1000, 64kbps, 1.5Mbps, 1Gbps)");
  EXPECT_EQ(Check(s + "dscp = \"af44\"\n"),
            "t.toml:4:8: sender[0].dscp: invalid DSCP 'af44': use 0-63 or a "
            "name (be, ef, va, af11-af43, cs0-cs7)");
  EXPECT_EQ(Check(s + "dscp = 64\n"),
            "t.toml:4:8: sender[0].dscp: invalid DSCP '64': use 0-63 or a "
            "name (be, ef, va, af11-af43, cs0-cs7)");
  EXPECT_EQ(Check(s + "clock = \"utc\"\n"),
            "t.toml:4:9: sender[0].clock: 'utc' is not a clock (\"monotonic\" "
            "or \"realtime\")");
  EXPECT_EQ(Check(r + "stall_timeout = \"3 days\"\n"),
            "t.toml:4:17: receiver[0].stall_timeout: invalid duration '3 "
            "days': not a number with an optional unit (use e.g. 600, 2.5, "
            "250ms, 3s, 10m, 1h)");
  EXPECT_EQ(Check(r + "reorder_window = -0.5\n"),
            "t.toml:4:18: receiver[0].reorder_window: invalid duration "
            "'-0.5': must not be negative (use e.g. 600, 2.5, 250ms, 3s, 10m, "
            "1h)");
  EXPECT_EQ(Check(r + "reorder_window = inf\n"),
            "t.toml:4:18: receiver[0].reorder_window: invalid duration 'inf': "
            "not a number with an optional unit (use e.g. 600, 2.5, 250ms, "
            "3s, 10m, 1h)");
  EXPECT_EQ(Check(r + "interface = \"eth0:1\"\n"),
            "t.toml:4:13: receiver[0].interface: 'eth0:1' is not a valid "
            "interface name (an interface name of 1-15 characters without "
            "'/', ':' or spaces, e.g. \"eth0\" or \"lo\")");
  EXPECT_EQ(Check(r + "interface = \"a-very-long-name0\"\n"),
            "t.toml:4:13: receiver[0].interface: 'a-very-long-name0' is not "
            "a valid interface name (an interface name of 1-15 characters "
            "without '/', ':' or spaces, e.g. \"eth0\" or \"lo\")");
  EXPECT_EQ(Check("[[sender]]\nname = \"feed a\"\ngroup = \"239.1.1.1\"\n"),
            "t.toml:2:8: sender[0].name: 'feed a' is not a valid probe name "
            "(1-64 letters, digits, '_', '-' or '.', e.g. \"feed-a\")");
}

TEST(ExporterConfigErrorsTest, ExporterSection) {
  const std::string allowed =
      " (HOST:PORT with an IP address, e.g. \"0.0.0.0:19779\", "
      "\"127.0.0.1:19779\" or \"[::]:19779\"; port 0 picks a free port)";
  EXPECT_EQ(Check("exporter.listen = \"19779\""),
            "t.toml:1:19: exporter.listen: '19779' has no :PORT" + allowed);
  EXPECT_EQ(Check("exporter.listen = \"localhost:19779\""),
            "t.toml:1:19: exporter.listen: 'localhost:19779' has no IP "
            "address before the port ('localhost' is not one; host names are "
            "not resolved)" +
                allowed);
  EXPECT_EQ(Check("exporter.listen = \":::19779\""),
            "t.toml:1:19: exporter.listen: ':::19779' needs brackets around "
            "the IPv6 address" +
                allowed);
  EXPECT_EQ(Check("exporter.listen = \"[127.0.0.1]:1\""),
            "t.toml:1:19: exporter.listen: '[127.0.0.1]:1' needs brackets "
            "around IPv6 addresses only" +
                allowed);
  EXPECT_EQ(Check("exporter.listen = \"0.0.0.0:65536\""),
            "t.toml:1:19: exporter.listen: '0.0.0.0:65536' has no port from 0 "
            "to 65535" +
                allowed);
  EXPECT_EQ(Check("exporter.listen = \"[::]:\""),
            "t.toml:1:19: exporter.listen: '[::]:' has no port from 0 to "
            "65535" +
                allowed);
  EXPECT_EQ(Check("exporter.metrics_path = \"metrics\""),
            "t.toml:1:25: exporter.metrics_path: 'metrics' is not a valid "
            "path (an HTTP path starting with '/', without spaces, '?' or "
            "'#', e.g. \"/metrics\")");
}

// Issue 10 #4: 65536 runs of reorder 32767 are tens of GiB; the worst case
// must fit the memory limit, and the error names the key that sizes it.
TEST(ExporterConfigMemoryTest, WorstCaseOverTheLimitIsRejected) {
  ReceiverConfig r;
  r.max_senders = 65536;
  r.reorder_packets = 32767;
  const stats::ReceiverStatsOptions o = r.stats_options();
  const uint64_t stream_bytes =
      streams::StreamTable::WorstCaseBytes(r.stream_options());
  const uint64_t need = stats::ReceiverStats::WorstCaseBytes(o) + stream_bytes;
  EXPECT_GT(need, uint64_t{30} << 30);
  EXPECT_EQ(
      Check("[[receiver]]\nname = \"r\"\ngroup = \"239.1.1.1\"\n"
            "reorder_packets = 32767\nmax_senders = 65536\n"),
      absl::StrCat(
          "t.toml:5:15: receiver[0].max_senders: 65536 sender runs with "
          "reorder_packets 32767 need up to ",
          util::FormatByteSize(need), " (",
          util::FormatByteSize(stats::ReceiverStats::RunBytes(o.sequence)),
          " per run, ", util::FormatByteSize(stream_bytes),
          " for 64 stream sources), over exporter.memory_limit 1.0 GiB (the "
          "default) "
          "(lower max_senders or reorder_packets, or raise "
          "exporter.memory_limit)"));
  // Even an explicit limit of 64 GiB does not cover it...
  EXPECT_NE(Check("exporter.memory_limit = \"16GiB\"\n[[receiver]]\n"
                  "name = \"r\"\ngroup = \"239.1.1.1\"\n"
                  "reorder_packets = 32767\nmax_senders = 65536\n"),
            "OK");
  // ...but a sane size does, under the default limit.
  EXPECT_EQ(Check("[[receiver]]\nname = \"r\"\ngroup = \"239.1.1.1\"\n"
                  "reorder_packets = 32767\nmax_senders = 256\n"),
            "OK");
}

TEST(ExporterConfigMemoryTest, LimitIsOverAllReceivers) {
  std::string many;
  for (int i = 0; i < 200; ++i) {
    absl::StrAppend(&many, "[[receiver]]\nname = \"r", i,
                    "\"\ngroup = \"239.1.1.1\"\n");
  }
  const uint64_t one = probe::WorstCaseBytes(ReceiverConfig());
  const int fit = static_cast<int>((uint64_t{1} << 30) / one);
  ASSERT_LT(fit, 200);
  std::string error = Check(many);
  EXPECT_THAT(error, ::testing::StartsWith(absl::StrCat(
                         "t.toml:", 3 * fit + 1, ":1: receiver[", fit,
                         "].max_senders: 256 sender runs with "
                         "reorder_packets 1024 need up to ")));
  EXPECT_THAT(error, ::testing::HasSubstr(
                         absl::StrCat("; with the receivers before it ",
                                      util::FormatByteSize(one * (fit + 1)))));
  EXPECT_EQ(Check("[exporter]\nmemory_limit = \"2GiB\"\n" + many), "OK");
}

TEST(ExporterConfigMemoryTest, MemoryLimitValues) {
  EXPECT_EQ(MustParse("").exporter.memory_limit_bytes, uint64_t{1} << 30);
  EXPECT_EQ(MustParse("exporter.memory_limit = \"256MiB\"")
                .exporter.memory_limit_bytes,
            uint64_t{256} << 20);
  EXPECT_EQ(
      MustParse("exporter.memory_limit = 2000000").exporter.memory_limit_bytes,
      2000000u);
  EXPECT_EQ(MustParse("exporter.memory_limit = \"1.5GB\"")
                .exporter.memory_limit_bytes,
            1500000000u);
  EXPECT_EQ(Check("exporter.memory_limit = 1000"),
            "t.toml:1:25: exporter.memory_limit: '1000' is too small (bytes, "
            "or a size such as \"256MiB\", \"1GiB\", \"500MB\"; at least "
            "1MiB)");
  EXPECT_EQ(Check("exporter.memory_limit = \"lots\""),
            "t.toml:1:25: exporter.memory_limit: invalid size 'lots': not a "
            "number with an optional unit (use e.g. 268435456, \"256MiB\", "
            "\"1.5GiB\", \"500MB\")");
  EXPECT_EQ(Check("exporter.memory_limit = 1.5"),
            "t.toml:1:25: exporter.memory_limit: expected a string or an "
            "integer, got a float (bytes, or a size such as \"256MiB\", "
            "\"1GiB\", \"500MB\"; at least 1MiB)");
}

TEST(ExporterConfigMemoryTest, SenderExpiryNotShorterThanTheWindows) {
  const std::string r = "[[receiver]]\nname = \"r\"\ngroup = \"239.1.1.1\"\n";
  EXPECT_EQ(Check(r + "sender_expiry = \"2s\"\n"),
            "t.toml:4:17: receiver[0].sender_expiry: 2s is shorter than "
            "stall_timeout or reorder_window (3s): use at least that");
  EXPECT_EQ(Check("[defaults]\nstall_timeout = \"10m\"\n" + r),
            "t.toml:3:1: receiver[0].sender_expiry: 5m (the default) is "
            "shorter than stall_timeout or reorder_window (10m): use at least "
            "that");
  EXPECT_EQ(Check(r + "sender_expiry = \"3s\"\n"), "OK");
  EXPECT_EQ(MustParse(r + "sender_expiry = 90\n").receivers[0].sender_expiry,
            absl::Seconds(90));
}

TEST(ExporterConfigErrorsTest, AllErrorsReportedInFileOrder) {
  const std::string text = R"([exporter]
listen = "0.0.0.0"

[defaults]
ttl = 300

[[receiver]]
name = "feed"
group = "232.1.1.1"
source = "10.0.0.1"
igmp_version = 2

[[sender]]
name = "feed"
group = "10.1.1.1"
rate = "lots"
colour = "blue"
)";
  auto config = ParseConfig(text, "mcast-exporter.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      config.status().message(),
      "mcast-exporter.toml:2:10: exporter.listen: '0.0.0.0' has no :PORT "
      "(HOST:PORT with an IP address, e.g. \"0.0.0.0:19779\", "
      "\"127.0.0.1:19779\" or \"[::]:19779\"; port 0 picks a free port)\n"
      "mcast-exporter.toml:5:7: defaults.ttl: 300 is out of range (0 to "
      "255)\n"
      "mcast-exporter.toml:11:16: receiver[0].igmp_version: SSM receiver "
      "(source 10.0.0.1) needs IGMP version 3, got 2\n"
      "mcast-exporter.toml:14:8: sender[0].name: duplicate probe name "
      "'feed', first used by receiver[0] at 8:8 (names are unique across "
      "senders and receivers)\n"
      "mcast-exporter.toml:15:9: sender[0].group: 10.1.1.1 is not a "
      "multicast address (an IPv4 multicast address, e.g. \"239.1.2.3\", in "
      "224.0.0.0/4)\n"
      "mcast-exporter.toml:16:8: sender[0].rate: invalid rate 'lots': not a "
      "number with a unit (use e.g. 25pps, 1000, 64kbps, 1.5Mbps, 1Gbps)\n"
      "mcast-exporter.toml:17:1: sender[0].colour: unknown key (allowed: "
      "name, group, source, interface, port, ttl, dscp, rate, size, clock, "
      "loopback)");
}

// A bad value in [defaults] is reported once, not again for every probe
// that inherits it, and does not set off the checks that combine values.
TEST(ExporterConfigErrorsTest, BadDefaultReportedOnce) {
  EXPECT_EQ(Check("[defaults]\nsize = 1\nigmp_version = 9\n"
                  "[[sender]]\nname = \"a\"\ngroup = \"239.1.1.1\"\n"
                  "rate = \"1bps\"\n"
                  "[[receiver]]\nname = \"b\"\ngroup = \"232.1.1.1\"\n"
                  "source = \"10.0.0.1\"\n"),
            "t.toml:2:8: defaults.size: 1 is out of range (32 to 65507 "
            "bytes)\n"
            "t.toml:3:16: defaults.igmp_version: 9 is out of range (1, 2 or "
            "3)");
}

// --- Files. ---

TEST(ExporterConfigFileTest, ShippedDefaultConfigIsAHostLocalSelfTest) {
  auto config = LoadConfigFile(SourcePath("config/mcast-exporter.toml"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->exporter.listen, "0.0.0.0:19779");
  EXPECT_EQ(config->exporter.metrics_path, "/metrics");
  ASSERT_EQ(config->senders.size(), 1u);
  ASSERT_EQ(config->receivers.size(), 1u);
  const SenderConfig& s = config->senders[0];
  const ReceiverConfig& r = config->receivers[0];
  EXPECT_EQ(s.interface, "lo");
  EXPECT_EQ(r.interface, "lo");
  EXPECT_EQ(s.group, r.group);
  EXPECT_EQ(s.port, r.port);
  EXPECT_EQ(s.group.ToString().rfind("239.255.", 0), 0u) << s.group.ToString();
  EXPECT_LE(s.ttl, 1);
  EXPECT_TRUE(s.loopback);
  EXPECT_FALSE(r.is_ssm());
  EXPECT_NE(s.name, r.name);
}

TEST(ExporterConfigFileTest, ShippedExamplesLoad) {
  int count = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(SourcePath("config/examples"))) {
    if (entry.path().extension() != ".toml") continue;
    ++count;
    // A mesh example names its member as --mesh-member would on a host
    // that has none of its addresses.
    auto config = LoadConfigFile(entry.path().string(), {{}, "studio-a"});
    EXPECT_TRUE(config.ok()) << config.status();
  }
  EXPECT_GT(count, 0);
}

TEST(ExporterConfigFileTest, UnreadableFiles) {
  auto missing = LoadConfigFile("/nonexistent/mcast-exporter.toml");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "/nonexistent/mcast-exporter.toml: cannot open: No such file or "
            "directory");
  // Only regular files are read: a FIFO without a writer would block the
  // open (at start, or the loop on SIGHUP) for good, /dev/zero never ends.
  auto directory = LoadConfigFile("/");
  EXPECT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().message(),
            "/: not a regular file (a directory)");
  EXPECT_EQ(LoadConfigFile("/dev/zero").status().message(),
            "/dev/zero: not a regular file (a character device)");
  const std::string fifo = ::testing::TempDir() + "/exporter_config_fifo";
  ::unlink(fifo.c_str());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(LoadConfigFile(fifo).status().message(),
            fifo + ": not a regular file (a FIFO)");
  EXPECT_EQ(LoadConfigFileIsolated(fifo).status().message(),
            fifo + ": not a regular file (a FIFO)");
  ::unlink(fifo.c_str());
}

TEST(ExporterConfigFileTest, ErrorsNameThePathAsGiven) {
  std::string path = ::testing::TempDir() + "/exporter_config_test.toml";
  {
    std::ofstream out(path);
    out << "[[sender]]\nname = \"s\"\ngroup = \"239.1.1.1\"\nttl = 999\n";
  }
  auto config = LoadConfigFile(path);
  EXPECT_EQ(config.status().message(),
            path + ":4:7: sender[0].ttl: 999 is out of range (0 to 255)");
  std::filesystem::remove(path);
}

// --- Reload: identical probes compare equal. ---

TEST(ExporterConfigTest, UnchangedProbesCompareEqual) {
  const std::string before = R"(
[[sender]]
name = "s"
group = "239.1.1.1"
rate = "25pps"
[[receiver]]
name = "r"
group = "239.1.1.1"
)";
  // Same meaning, other spelling: still equal, so a reload keeps counters.
  const std::string same = R"(
[defaults]
rate = 25
stall_timeout = "3000ms"
[[receiver]]
group = "239.1.1.1"
name = "r"
[[sender]]
name = "s"
group = "239.1.1.1"
)";
  const std::string faster = R"(
[[sender]]
name = "s"
group = "239.1.1.1"
rate = "50pps"
[[receiver]]
name = "r"
group = "239.1.1.1"
)";
  Config a = MustParse(before);
  Config b = MustParse(same);
  Config c = MustParse(faster);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.senders[0], b.senders[0]);
  EXPECT_EQ(a.receivers[0], b.receivers[0]);
  EXPECT_FALSE(a.senders[0] == c.senders[0]);
  EXPECT_EQ(a.receivers[0], c.receivers[0]);
}

// --- Robustness: damaged files give an error or a config, never a crash. ---

TEST(ExporterConfigRobustnessTest, TruncationsAndMutationsNeverCrash) {
  const std::string shipped =
      ReadFile(SourcePath("config/mcast-exporter.toml"));
  ASSERT_FALSE(shipped.empty());
  int ok = 0;
  int failed = 0;
  auto run = [&](const std::string& text) {
    auto config = ParseConfig(text, "fuzz.toml");
    if (config.ok()) {
      ++ok;
    } else {
      ++failed;
      EXPECT_FALSE(config.status().message().empty());
    }
  };
  for (size_t n = 0; n <= shipped.size(); ++n) run(shipped.substr(0, n));

  // Mutations biased toward bytes that matter to TOML and to the checks.
  const std::string alphabet = "[]{}=\"'.,#\n \t0123456789-+:abcxyz\\\x80\xff";
  std::mt19937 rng(20240605);
  for (int i = 0; i < 3000; ++i) {
    std::string text = shipped;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      size_t at = rng() % text.size();
      char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          text.erase(at, 1 + rng() % 8);
          break;
      }
    }
    run(text);
  }
  EXPECT_GT(ok, 0);
  EXPECT_GT(failed, 0);
}

}  // namespace
}  // namespace mcast::exporter
