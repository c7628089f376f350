#include "cli/send_command.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/arg_parse.h"
#include "cli/exit_codes.h"
#include "cli/host_port.h"
#include "cli/spec_flag.h"
#include "cli/terminal.h"
#include "cli/time_format.h"
#include "net/clock.h"
#include "net/event_loop.h"
#include "netif/interface_lookup.h"
#include "nlohmann/json.hpp"
#include "packet/header.h"
#include "probe/sender_session.h"
#include "probe/spec_check.h"
#include "util/dscp.h"
#include "util/duration.h"
#include "util/rate.h"
#include "version.h"

namespace mcast::cli {
namespace {

constexpr char kProgram[] = "mcast-send";

constexpr char kDescription[] =
    "Send a paced stream of mcast-tools probe packets to a multicast group.\n"
    "Each packet carries a 32-byte header (magic MCAS, sequence number,\n"
    "timestamp, sender id, and the TTL/DSCP set here) so mcast-receive can\n"
    "measure loss, duplicates, reordering, hop count and DSCP remarking.";

constexpr char kExamples[] =
    "Examples:\n"
    "  mcast-send 239.0.10.101                   # 10 minutes, TTL 100, "
    "25 pps, DSCP BE\n"
    "  mcast-send 239.0.10.101 60 8              # 60 s with TTL 8\n"
    "  mcast-send 239.0.10.101 --rate 1Mbps --dscp ef --interface eth1\n"
    "  mcast-send 232.1.1.1 0 --source 10.0.0.1  # forever, from 10.0.0.1 "
    "(for SSM)\n"
    "  mcast-send 239.0.10.101 30 --json         # JSON summary on exit\n"
    "  mcast-send ff3e::8000:1 0 --source 2001:db8::5  # IPv6 (SSM range)\n"
    "  mcast-send ff12::1234 --interface eth1    # link-local: needs -i\n"
    "\nDestination UDP port is 19779 unless --port is given. Exit codes: 0 "
    "ok,\n"
    "64 bad usage, 69 resource unavailable, 71 OS error.";

// Builds the spec only through probe/spec_check.h, so mcast-send and a
// [[sender]] table get the same verdict and reason for the same value.
absl::Status Validate(const std::string& group_text,
                      const std::string& duration_text, int64_t ttl,
                      int64_t port, const std::string& rate_text,
                      const std::string& dscp_text,
                      const std::string& source_text, const std::string& clock,
                      SendOptions& o) {
  absl::StatusOr<inet::IpAddress> group = probe::ParseGroup(group_text);
  if (!group.ok()) return FlagError("group", group.status());
  o.group = *group;
  absl::StatusOr<absl::Duration> duration = util::ParseDuration(duration_text);
  if (!duration.ok()) return FlagError("--duration", duration.status());
  o.duration_seconds = absl::ToDoubleSeconds(*duration);
  absl::StatusOr<int> ttl_value = probe::CheckTtl(ttl);
  if (!ttl_value.ok()) return FlagError("--ttl", ttl_value.status());
  o.ttl = *ttl_value;
  absl::StatusOr<int> port_value = probe::CheckPort(port);
  if (!port_value.ok()) return FlagError("--port", port_value.status());
  o.port = static_cast<uint16_t>(*port_value);
  absl::StatusOr<util::Rate> rate = probe::ParseRate(rate_text);
  if (!rate.ok()) return FlagError("--rate", rate.status());
  o.rate = rate->ToString();
  o.packets_per_second =
      rate->PacketsPerSecond(static_cast<size_t>(std::max(o.size, 1)));
  absl::StatusOr<int> dscp = probe::ParseDscp(dscp_text);
  if (!dscp.ok()) return FlagError("--dscp", dscp.status());
  o.dscp = *dscp;
  if (!source_text.empty()) {
    absl::StatusOr<inet::IpAddress> source = probe::ParseSource(source_text);
    if (!source.ok()) return FlagError("--source", source.status());
    o.source = *source;
  }
  absl::StatusOr<probe::SenderClock> clock_value = probe::ParseClock(clock);
  if (!clock_value.ok()) return FlagError("--clock", clock_value.status());
  o.clock = *clock_value;
  absl::Status spec = FirstProblem(probe::CheckSenderSpec(o));
  if (!spec.ok()) return spec;
  return CheckInterfaceExists(o.interface);
}

nlohmann::ordered_json SummaryJson(const SendOptions& o,
                                   const probe::SenderSession& session,
                                   double elapsed) {
  const probe::ProbeSender& sender = session.sender();
  const probe::SenderCounters& c = sender.counters();
  nlohmann::ordered_json j;
  j["group"] = o.group.ToString();
  j["port"] = o.port;
  j["interface"] = session.interface_name();
  j["ttl"] = o.ttl;
  j["dscp"] = util::DscpName(o.dscp);
  j["sender_id"] = absl::StrFormat("0x%08x", sender.sender_id());
  j["packets"] = c.packets;
  j["bytes"] = c.bytes;
  j["errors"] = c.errors;
  j["last_error"] = c.last_error.empty() ? nlohmann::ordered_json(nullptr)
                                         : nlohmann::ordered_json(c.last_error);
  j["duration_seconds"] = elapsed;
  j["target_pps"] = o.packets_per_second;
  j["achieved_pps"] =
      elapsed > 0 ? static_cast<double>(c.packets) / elapsed : 0;
  j["size"] = o.size;
  j["clock"] = probe::SenderClockName(o.clock);
  return j;
}

std::string Dashboard(const SendOptions& o, const probe::SenderSession& session,
                      double elapsed, double pps_now, double bps_now) {
  const probe::ProbeSender& sender = session.sender();
  const probe::SenderCounters& c = sender.counters();
  std::string remaining = o.duration_seconds > 0
                              ? Hms(std::max(0.0, o.duration_seconds - elapsed))
                              : std::string("forever");
  std::string out;
  absl::StrAppendFormat(&out, "mcast-send  %s  via %s   sender id 0x%08x\n",
                        HostPort(o.group.ToString(), o.port),
                        session.interface_name(), sender.sender_id());
  absl::StrAppendFormat(&out, "TTL %d   DSCP %s   size %d bytes   clock %s\n",
                        o.ttl, absl::AsciiStrToUpper(util::DscpName(o.dscp)),
                        o.size, probe::SenderClockName(o.clock));
  absl::StrAppendFormat(
      &out, "Rate     target %.1f pps (%s)   achieved %.1f pps  %.1f kbit/s\n",
      o.packets_per_second, o.rate, pps_now, bps_now / 1e3);
  absl::StrAppendFormat(
      &out, "Sent     %d packets  %d bytes   errors %d%s\n", c.packets, c.bytes,
      c.errors, c.last_error.empty() ? "" : " (last: " + c.last_error + ")");
  absl::StrAppendFormat(&out, "Time     elapsed %s   remaining %s\n",
                        Hms(elapsed), remaining);
  return out;
}

}  // namespace

SendArgs ParseSendArgs(int argc, char** argv) {
  SendOptions o;
  std::string group, duration = "600", rate = "25pps", dscp = "be", source,
                     clock = "monotonic";
  int64_t ttl = 100;
  int64_t port = o.port;
  CLI::App app(kDescription, kProgram);
  app.footer(kExamples);
  app.set_version_flag("--version", std::string(kVersion));
  app.add_option("group", group,
                 "IPv4 or IPv6 multicast group, e.g. 239.0.10.101 or "
                 "ff3e::8000:1 (the family follows it)")
      ->required();
  app.add_option("duration,--duration", duration,
                 "Seconds to send (600, 2.5, 10m, 1h); 0 = forever")
      ->capture_default_str();
  app.add_option("ttl,--ttl", ttl,
                 "IP TTL (IPv6: hop limit) of outgoing packets (0-255)")
      ->capture_default_str();
  app.add_option("-r,--rate", rate,
                 "Npps, or a bit rate Nbps/Nkbps/NMbps/NGbps of UDP payload")
      ->capture_default_str();
  app.add_option("-s,--size", o.size,
                 "Datagram size in bytes, header included (32-65507)")
      ->capture_default_str();
  app.add_option("-d,--dscp", dscp,
                 "DSCP: 0-63 or a name (be, ef, af41, cs5...)")
      ->capture_default_str();
  app.add_option("-i,--interface", o.interface,
                 "Egress interface (default: what the routing table says)");
  bool no_loopback = false;
  app.add_flag("--no-loopback", no_loopback,
               "Disable IP_MULTICAST_LOOP / IPV6_MULTICAST_LOOP (no local "
               "copy)");
  app.add_option("-p,--port", port, "Destination UDP port")
      ->capture_default_str();
  app.add_option("--source", source,
                 "Bind this source address, of the group's family (multi-homed "
                 "hosts, SSM tests)");
  app.add_option("--clock", clock,
                 "Timestamp clock: monotonic, or realtime so receivers with "
                 "synchronised clocks show one-way delay")
      ->capture_default_str();
  app.add_flag("-q,--quiet", o.quiet, "No live dashboard");
  app.add_flag("--json", o.json, "Print a JSON summary on exit");
  if (std::optional<int> code = ParseArgs(app, argc, argv, kProgram)) {
    return {std::nullopt, *code};
  }
  o.loopback = !no_loopback;
  absl::Status status =
      Validate(group, duration, ttl, port, rate, dscp, source, clock, o);
  if (!status.ok()) {
    PrintError(kProgram, std::string(status.message()));
    return {std::nullopt, kExitUsage};
  }
  return {o, kExitOk};
}

int RunSend(int argc, char** argv) {
  SendArgs args = ParseSendArgs(argc, argv);
  if (!args.options) return args.exit_code;
  const SendOptions& o = *args.options;

  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create();
  if (!loop.ok()) {
    PrintError(kProgram, std::string(loop.status().message()));
    return ExitCodeFor(loop.status());
  }
  net::EventLoop& l = **loop;
  // Without them Ctrl-C would kill the run before its summary.
  if (absl::Status s = l.AddSignals({SIGINT, SIGTERM}, [&](int) { l.Stop(); });
      !s.ok()) {
    PrintError(kProgram,
               absl::StrCat("cannot handle signals (", s.message(), ")"));
    return ExitCodeFor(s);
  }

  probe::SenderSessionOptions so;
  so.loop = &l;
  so.on_finished = [&] { l.Stop(); };
  probe::SenderSession session(o, so);
  if (absl::Status s = session.OpenSocket(); !s.ok()) {
    PrintError(kProgram, std::string(s.message()));
    return ExitCodeFor(s);
  }
  if (absl::Status s = session.Start(); !s.ok()) {
    PrintError(kProgram, std::string(s.message()));
    return ExitCodeFor(s);
  }
  const int64_t start = session.start_ns();

  const bool dashboard = !o.quiet && !o.json && isatty(STDOUT_FILENO);
  Terminal terminal(dashboard);
  uint64_t last_packets = 0, last_bytes = 0;
  int64_t last_draw = start;
  if (dashboard) {
    (void)l.AddTimer(absl::Milliseconds(500), net::TimerMode::kPeriodic, [&] {
      int64_t now = net::MonotonicNanos();
      double dt = static_cast<double>(now - last_draw) * 1e-9;
      const auto& c = session.counters();
      double pps = static_cast<double>(c.packets - last_packets) / dt;
      double bps = static_cast<double>(c.bytes - last_bytes) * 8 / dt;
      last_packets = c.packets;
      last_bytes = c.bytes;
      last_draw = now;
      terminal.Draw(Dashboard(
          o, session, static_cast<double>(now - start) * 1e-9, pps, bps));
    });
  }

  absl::Status run = l.Run();
  const double elapsed =
      static_cast<double>(net::MonotonicNanos() - start) * 1e-9;
  terminal.Finish();
  if (!run.ok()) {
    PrintError(kProgram, std::string(run.message()));
    return ExitCodeFor(run);
  }
  if (o.json) {
    std::printf("%s\n", SummaryJson(o, session, elapsed).dump(2).c_str());
  } else if (!o.quiet) {
    const auto& c = session.counters();
    std::printf(
        "mcast-send: %llu packets (%llu bytes) to %s via %s in %.1f s, "
        "%.1f pps, %llu errors, sender id 0x%08x\n",
        static_cast<unsigned long long>(c.packets),
        static_cast<unsigned long long>(c.bytes),
        HostPort(o.group.ToString(), o.port).c_str(),
        session.interface_name().c_str(), elapsed,
        elapsed > 0 ? static_cast<double>(c.packets) / elapsed : 0.0,
        static_cast<unsigned long long>(c.errors),
        session.sender().sender_id());
  }
  return kExitOk;
}

}  // namespace mcast::cli
