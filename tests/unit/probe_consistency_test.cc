// Same input, same verdict: every boundary case goes through the command
// line (ParseSendArgs / ParseReceiveArgs, argv as a shell gives it) and
// through the exporter's loader (ParseConfig, one [[sender]] or
// [[receiver]]), and both must accept it, or both reject it with the same
// reason about the same setting. Prefixes are each front end's own
// ("mcast-send: --ttl: " and "t.toml:4:7: sender[0].ttl: ") and are
// stripped; what is left is probe/spec_check.h's text, word for word.
//
// Keys only one front end has (duration, clock for the receiver, names,
// sender_expiry, max_senders) are not here; interface names that are valid
// but absent are not either: only mcast-send and mcast-receive require the
// interface to exist when they start.

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <regex>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "cli/receive_command.h"
#include "cli/send_command.h"
#include "exporter/config_loader.h"

namespace mcast {
namespace {

enum class Kind { kSender, kReceiver };

struct Case {
  Kind kind;
  // argv after the program name; the first word is the group.
  std::vector<std::string> argv;
  // Lines of the probe table after name (the group is taken from argv[0]).
  std::string toml;
  bool accepted;
};

// One front end's verdict: empty setting and reason when accepted.
struct Verdict {
  bool accepted = false;
  std::string setting;  // TOML key form: "ttl", "igmp_version", "group".
  std::string reason;
  std::string raw;  // The whole message, for failure output.
};

std::string GroupOf(const Case& c) { return c.argv.front(); }

Verdict FromCommandLine(const Case& c) {
  const char* program =
      c.kind == Kind::kSender ? "mcast-send" : "mcast-receive";
  std::vector<std::string> words = {program};
  words.insert(words.end(), c.argv.begin(), c.argv.end());
  if (c.kind == Kind::kSender) words.push_back("--quiet");
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);

  testing::internal::CaptureStderr();
  bool ok;
  if (c.kind == Kind::kSender) {
    ok = cli::ParseSendArgs(static_cast<int>(words.size()), argv.data())
             .options.has_value();
  } else {
    ok = cli::ParseReceiveArgs(static_cast<int>(words.size()), argv.data())
             .options.has_value();
  }
  Verdict v;
  v.raw = testing::internal::GetCapturedStderr();
  v.accepted = ok;
  if (ok) return v;
  // "PROGRAM: FLAG: REASON\n"
  static const std::regex kLine(R"(^mcast-(send|receive): ([^ :]+): (.*)\n$)");
  std::smatch m;
  if (std::regex_match(v.raw, m, kLine)) {
    std::string flag = m[2].str();
    if (flag.rfind("--", 0) == 0) flag = flag.substr(2);
    v.setting = absl::StrReplaceAll(flag, {{"-", "_"}});
    v.reason = m[3].str();
  }
  return v;
}

Verdict FromConfig(const Case& c) {
  const bool sender = c.kind == Kind::kSender;
  std::string text =
      absl::StrCat(sender ? "[[sender]]\n" : "[[receiver]]\n", "name = \"p\"\n",
                   "group = \"", GroupOf(c), "\"\n", c.toml, "\n");
  absl::StatusOr<exporter::Config> config =
      exporter::ParseConfig(text, "t.toml");
  Verdict v;
  v.accepted = config.ok();
  if (v.accepted) return v;
  v.raw = std::string(config.status().message());
  // "t.toml:LINE:COL: sender[0].KEY: REASON", one line.
  static const std::regex kLine(
      R"(^t\.toml:[0-9]+:[0-9]+: (sender|receiver)\[0\]\.([a-z_]+): (.*)$)");
  std::smatch m;
  if (std::regex_match(v.raw, m, kLine)) {
    v.setting = m[2].str();
    v.reason = m[3].str();
  }
  return v;
}

std::string Describe(const Case& c) {
  return absl::StrCat(
      c.kind == Kind::kSender ? "mcast-send " : "mcast-receive ",
      absl::StrJoin(c.argv, " "), "  |  ",
      absl::StrReplaceAll(c.toml, {{"\n", "; "}}));
}

void PrintTo(const Case& c, std::ostream* os) { *os << Describe(c); }

// "17_mcast_send_239_1_2_3___ttl_1": readable in ctest's list.
std::string CaseName(const testing::TestParamInfo<Case>& info) {
  std::string name = absl::StrCat(info.index, "_", Describe(info.param));
  for (char& ch : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name.substr(0, 80);
}

class ProbeConsistency : public testing::TestWithParam<Case> {};

TEST_P(ProbeConsistency, SameVerdictAndReason) {
  const Case& c = GetParam();
  SCOPED_TRACE(Describe(c));
  const Verdict cli = FromCommandLine(c);
  const Verdict toml = FromConfig(c);
  EXPECT_EQ(cli.accepted, c.accepted) << cli.raw;
  EXPECT_EQ(toml.accepted, c.accepted) << toml.raw;
  if (c.accepted || cli.accepted || toml.accepted) return;
  // A message of the expected shape, about the same setting, same reason.
  EXPECT_FALSE(cli.reason.empty()) << "unexpected CLI message: " << cli.raw;
  EXPECT_FALSE(toml.reason.empty())
      << "unexpected loader message: " << toml.raw;
  EXPECT_EQ(cli.setting, toml.setting) << cli.raw << "\n" << toml.raw;
  EXPECT_EQ(cli.reason, toml.reason);
}

constexpr Kind S = Kind::kSender;
constexpr Kind R = Kind::kReceiver;

std::vector<Case> Cases() {
  std::vector<Case> cases;
  // Groups, for both kinds: the link-local control block by number.
  for (Kind k : {S, R}) {
    for (auto [group, ok] : std::vector<std::pair<std::string, bool>>{
             {"224.0.0.0", false},
             {"224.0.0.5", false},
             {"224.0.0.255", false},
             {"224.0.1.0", true},
             {"239.255.255.255", true},
             {"240.0.0.1", false},
             {"223.255.255.255", false},
             {"10.1.1.1", false},
             {"300.1.1.1", false},
             {"abc", false},
             {"ff02::1", false},
             {"ff3e::8000:1", true},
             {"ff15::1234", true},
             {"ff00::1234", false},
             {"ff0f::1234", false},
             {"ff02::16", false},
             {"ff2e::1", false},
             {"ff3e:41:2001:db8::1", false},
             {"2001:db8::1", false},
             {"ff3e::zz", false},
             // Link-local scope: needs an interface (the same verdict
             // with one is below).
             {"ff02::1234", false},
             {"ff12::1", false},
             {"ff01::77", false},
         }) {
      cases.push_back({k, {group}, "", ok});
    }
  }
  // Sources: unicast only.
  for (auto [source, ok] : std::vector<std::pair<std::string, bool>>{
           {"0.0.0.0", false},
           {"255.255.255.255", false},
           {"224.1.1.1", false},
           {"239.1.1.1", false},
           {"10.0.0.1", true},
           {"10.0.0", false},
           {"2001:db8::1", false},
       }) {
    std::string line = absl::StrCat("source = \"", source, "\"");
    cases.push_back({S, {"232.1.1.1", "--source", source}, line, ok});
    cases.push_back({R, {"232.1.1.1", source}, line, ok});
  }
  // The family follows the group: a source of the other family is refused
  // (the SSM source and the sender's bind address alike).
  for (auto [group, source, ok] :
       std::vector<std::tuple<std::string, std::string, bool>>{
           {"ff3e::8000:1", "2001:db8::5", true},
           {"ff3e::8000:1", "10.0.0.1", false},
           {"232.1.1.1", "2001:db8::5", false},
           {"ff3e::8000:1", "::", false},
           {"ff3e::8000:1", "::ffff:10.0.0.1", false},
           {"ff3e::8000:1", "ff3e::1", false},
           {"ff3e::8000:1", "fe80::1", false},  // link-local: no interface
       }) {
    std::string line = absl::StrCat("source = \"", source, "\"");
    cases.push_back({S, {group, "--source", source}, line, ok});
    cases.push_back({R, {group, source}, line, ok});
  }
  // Link-scoped groups with an interface ("lo" exists wherever tests run).
  for (Kind k : {S, R}) {
    for (const char* group : {"ff02::1234", "ff12::1", "ff01::77"}) {
      cases.push_back(
          {k, {group, "--interface", "lo"}, "interface = \"lo\"", true});
    }
  }
  cases.push_back({R,
                   {"ff02::1234", "fe80::1", "--interface", "lo"},
                   "source = \"fe80::1\"\ninterface = \"lo\"",
                   true});
  // Interface names: the kernel's rule ("lo" exists wherever tests run).
  for (Kind k : {S, R}) {
    for (auto [name, ok] : std::vector<std::pair<std::string, bool>>{
             {"abcdefghijklmnop", false},  // 16 characters
             {"eth0:1", false},
             {"a/b", false},
             {".", false},
             {"..", false},
             {"eth 0", false},
             {"lo", true},
         }) {
      cases.push_back({k,
                       {"239.1.2.3", "--interface", name},
                       absl::StrCat("interface = \"", name, "\""),
                       ok});
    }
  }
  // Ports, both kinds.
  for (Kind k : {S, R}) {
    for (auto [port, ok] : std::vector<std::pair<int, bool>>{{-1, false},
                                                             {0, false},
                                                             {1, true},
                                                             {65535, true},
                                                             {65536, false}}) {
      cases.push_back({k,
                       {"239.1.2.3", absl::StrCat("--port=", port)},
                       absl::StrCat("port = ", port),
                       ok});
    }
  }
  // Sender: TTL.
  for (auto [ttl, ok] : std::vector<std::pair<int, bool>>{
           {-1, false}, {0, true}, {255, true}, {256, false}}) {
    cases.push_back({S,
                     {"239.1.2.3", absl::StrCat("--ttl=", ttl)},
                     absl::StrCat("ttl = ", ttl),
                     ok});
  }
  // Sender: sizes.
  for (auto [size, ok] : std::vector<std::pair<int, bool>>{
           {31, false}, {32, true}, {65507, true}, {65508, false}}) {
    cases.push_back({S,
                     {"239.1.2.3", absl::StrCat("--size=", size)},
                     absl::StrCat("size = ", size),
                     ok});
  }
  // Sender: DSCP as numbers and names.
  for (auto [dscp, ok] : std::vector<std::pair<std::string, bool>>{
           {"0", true}, {"63", true}, {"64", false}, {"-1", false}}) {
    cases.push_back({S,
                     {"239.1.2.3", absl::StrCat("--dscp=", dscp)},
                     absl::StrCat("dscp = ", dscp),
                     ok});
  }
  for (auto [dscp, ok] : std::vector<std::pair<std::string, bool>>{
           {"ef", true}, {"af41", true}, {"xx", false}}) {
    cases.push_back({S,
                     {"239.1.2.3", "--dscp", dscp},
                     absl::StrCat("dscp = \"", dscp, "\""),
                     ok});
  }
  // Sender: rates, in packets and in bits at a size (200 bytes unless
  // given): 1e6 packets/s is 1.6 Gbit/s of 200-byte datagrams.
  struct RateCase {
    std::string rate;
    int size;  // 0: the default (200)
    bool ok;
  };
  for (const RateCase& r : std::vector<RateCase>{
           {"0.0009pps", 0, false},
           {"0.001pps", 0, true},
           {"1000000pps", 0, true},
           {"1000001pps", 0, false},
           {"1.6Gbps", 0, true},
           {"1.600008Gbps", 0, false},
           {"1.6bps", 0, true},
           {"1.5bps", 0, false},
           {"8Gbps", 1000, true},
           {"8.1Gbps", 1000, false},
           {"1Mbps", 32, true},
           {"1000000pps", 65507, true},
           {"0pps", 0, false},
           {"-5pps", 0, false},
           {"lots", 0, false},
       }) {
    Case c{S,
           {"239.1.2.3", "--rate", r.rate},
           absl::StrCat("rate = \"", r.rate, "\""),
           r.ok};
    if (r.size != 0) {
      c.argv.push_back(absl::StrCat("--size=", r.size));
      absl::StrAppend(&c.toml, "\nsize = ", r.size);
    }
    cases.push_back(c);
  }
  // Sender: a bare number is packets per second in both.
  cases.push_back(
      {S, {"239.1.2.3", "--rate", "1000001"}, "rate = 1000001", false});
  cases.push_back({S, {"239.1.2.3", "--rate", "1000"}, "rate = 1000", true});
  // Sender: clock.
  cases.push_back(
      {S, {"239.1.2.3", "--clock", "realtime"}, "clock = \"realtime\"", true});
  cases.push_back(
      {S, {"239.1.2.3", "--clock", "utc"}, "clock = \"utc\"", false});
  // Receiver: IGMP version, and SSM with less than IGMPv3.
  for (int v = 0; v <= 4; ++v) {
    cases.push_back({R,
                     {"239.1.2.3", absl::StrCat("--igmp-version=", v)},
                     absl::StrCat("igmp_version = ", v),
                     v >= 1 && v <= 3});
  }
  for (int v = 1; v <= 3; ++v) {
    cases.push_back(
        {R,
         {"232.1.1.1", "10.0.0.1", absl::StrCat("--igmp-version=", v)},
         absl::StrCat("source = \"10.0.0.1\"\nigmp_version = ", v),
         v == 3});
  }
  // Receiver: an MLD version is for IPv6 groups only.
  cases.push_back(
      {R, {"239.1.2.3", "--mld-version=1"}, "mld_version = 1", false});
  // ...and an IGMP version for IPv4 ones; MLD 1 or 2, SSM needing 2.
  cases.push_back(
      {R, {"ff15::1234", "--igmp-version=2"}, "igmp_version = 2", false});
  for (int v = 0; v <= 3; ++v) {
    cases.push_back({R,
                     {"ff15::1234", absl::StrCat("--mld-version=", v)},
                     absl::StrCat("mld_version = ", v),
                     v >= 1 && v <= 2});
    cases.push_back(
        {R,
         {"ff3e::8000:1", "2001:db8::5", absl::StrCat("--mld-version=", v)},
         absl::StrCat("source = \"2001:db8::5\"\nmld_version = ", v),
         v == 2});
  }
  // Receiver: reorder_packets at and beyond the tracker's cap.
  for (auto [packets, ok] : std::vector<std::pair<int, bool>>{
           {0, false}, {1, true}, {32767, true}, {32768, false}}) {
    cases.push_back({R,
                     {"239.1.2.3", absl::StrCat("--reorder-packets=", packets)},
                     absl::StrCat("reorder_packets = ", packets),
                     ok});
  }
  // Receiver: windows (kept under the exporter's default sender_expiry).
  for (const char* key : {"stall_timeout", "reorder_window"}) {
    const std::string flag =
        absl::StrCat("--", absl::StrReplaceAll(key, {{"_", "-"}}));
    for (auto [value, ok] : std::vector<std::pair<std::string, bool>>{
             {"0", false},
             {"0s", false},
             {"-1", false},
             {"-2.5s", false},
             {"abc", false},
             {"250ms", true},
             {"2.5", true},
             {"1m", true},
         }) {
      cases.push_back({R,
                       {"239.1.2.3", absl::StrCat(flag, "=", value)},
                       absl::StrCat(key, " = \"", value, "\""),
                       ok});
    }
  }
  // Receiver: the decoder of non-probe sources and the RTP clock.
  for (auto [spec, ok] : std::vector<std::pair<std::string, bool>>{
           {"auto", true},
           {"probe", true},
           {"mpegts", true},
           {"moldudp64", true},
           {"seq:4:2:le", true},
           {"seq:65499:8", true},
           // Not "": CLI11 refuses an empty --decode= itself ("1 required
           // TEXT missing"); the loader's text for it is in
           // exporter_config_test.
           {"rtpx", false},
           {"seq", false},
           {"seq:4:3", false},
           {"seq:65507:1", false},
           {"seq:65500:8", false},
           {"seq:4:2:xe", false},
       }) {
    cases.push_back({R,
                     {"239.1.2.3", absl::StrCat("--decode=", spec)},
                     absl::StrCat("decode = \"", spec, "\""),
                     ok});
  }
  for (auto [hz, ok] :
       std::vector<std::pair<int64_t, bool>>{{0, false},
                                             {-5, false},
                                             {1, true},
                                             {10'000'000, true},
                                             {10'000'001, false}}) {
    cases.push_back({R,
                     {"239.1.2.3", absl::StrCat("--rtp-clock-rate=", hz)},
                     absl::StrCat("rtp_clock_rate = ", hz),
                     ok});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(BoundaryCases, ProbeConsistency,
                         testing::ValuesIn(Cases()), CaseName);

}  // namespace
}  // namespace mcast
