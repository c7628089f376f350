#include "cli/receive_command.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>

#include "CLI/CLI.hpp"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/arg_parse.h"
#include "cli/exit_codes.h"
#include "cli/join_report.h"
#include "cli/querier_report.h"
#include "cli/receive_report.h"
#include "cli/spec_flag.h"
#include "cli/stream_report.h"
#include "cli/terminal.h"
#include "net/clock.h"
#include "net/event_loop.h"
#include "net/igmp_version_guard.h"
#include "net/querier_listener.h"
#include "netif/interface_lookup.h"
#include "netif/link_watcher.h"
#include "probe/decode_spec_parser.h"
#include "probe/receiver_session.h"
#include "probe/spec_check.h"
#include "stats/receiver_stats.h"
#include "util/byte_size.h"
#include "util/duration.h"
#include "util/log.h"
#include "util/message_text.h"
#include "version.h"

namespace mcast::cli {
namespace {

constexpr char kProgram[] = "mcast-receive";

constexpr char kDescription[] =
    "Join a multicast group and measure the mcast-tools probe stream on it:\n"
    "loss, duplicates, reordering, late packets, hop count (sender TTL minus\n"
    "received TTL), DSCP remarking, jitter, sender restarts and stalls.";

constexpr char kExamples[] =
    "Examples:\n"
    "  mcast-receive 239.0.10.101                       # ASM (*,G), IGMPv3\n"
    "  mcast-receive 232.1.1.1 10.0.0.1                 # SSM (S,G), IGMPv3\n"
    "  mcast-receive 239.0.10.101 --igmp-version 2 --interface eth1\n"
    "  mcast-receive ff3e::8000:1 2001:db8::5           # SSM (S,G), MLDv2\n"
    "  mcast-receive ff15::1234 --mld-version 1 --interface eth1\n"
    "  mcast-receive 239.0.10.101 --duration 30 --json  # JSON summary\n"
    "  mcast-receive ff3e::8000:1 2001:db8::5           # IPv6 SSM (S,G)\n"
    "  mcast-receive ff15::1234 --interface eth1        # IPv6 ASM\n"
    "  mcast-receive 232.1.1.1 10.0.0.1 --zap 10 --json # join times\n"
    "\nThe IGMP version is forced through\n"
    "/proc/sys/net/ipv4/conf/IFACE/force_igmp_version (needs root or\n"
    "CAP_NET_ADMIN) and restored on exit (Ctrl-C, SIGTERM, SIGHUP), and by\n"
    "the next start after a crash: the value found is recorded in "
    "--state-dir.\n"
    "For an IPv6 group the MLD version is forced the same way, through\n"
    "/proc/sys/net/ipv6/conf/IFACE/force_mld_version.\n"
    "The IGMP (MLD) querier of the interface is watched through a raw\n"
    "socket (needs CAP_NET_RAW; without it the querier is not shown).\n"
    "SSM needs IGMPv3 (MLDv2 for IPv6). Exit codes: 0 ok, 64 bad usage, 69 "
    "resource\n"
    "unavailable, 71 OS error.";

// --zap keeps every sample: bounded.
constexpr int kMaxZapJoins = 10000;

// Builds the spec only through probe/spec_check.h, so mcast-receive and a
// [[receiver]] table get the same verdict and reason for the same value.
absl::Status Validate(const std::string& group_text, const std::string& second,
                      const std::string& third, const std::string& stall,
                      const std::string& duration, const std::string& window,
                      const std::string& zap_interval, int64_t port,
                      bool version_flag_given, bool mld_flag_given,
                      ReceiveOptions& o) {
  absl::StatusOr<inet::IpAddress> group = probe::ParseGroup(group_text);
  if (!group.ok()) return FlagError("group", group.status());
  o.group = *group;
  // --igmp-version for an IPv6 group or --mld-version for an IPv4 one.
  absl::Status family = FirstProblem(
      probe::CheckVersionFamily(o.group, version_flag_given, mld_flag_given));
  if (!family.ok()) return family;
  // The positional version is the group family's: IGMP for IPv4, MLD for
  // IPv6 ("mcast-receive ff15::1 1" is MLDv1).
  const bool v6 = o.group.is_v6();
  // The second positional is the SSM source, or the IGMP version when it is
  // a bare 1/2/3 ("mcast-receive 239.1.1.1 2").
  std::string version_text = third;
  if (!second.empty()) {
    if (third.empty() && (second == "1" || second == "2" || second == "3")) {
      version_text = second;
    } else {
      absl::StatusOr<inet::IpAddress> source = probe::ParseSource(second);
      if (!source.ok()) return FlagError("source", source.status());
      o.source = *source;
    }
  }
  if (!version_text.empty() && v6) {
    if (mld_flag_given) {
      return absl::InvalidArgumentError(
          "MLD version given twice (positional and --mld-version)");
    }
    int version = 0;
    if (!absl::SimpleAtoi(version_text, &version)) {
      return FlagError(
          "--mld-version",
          absl::InvalidArgumentError(absl::StrCat(
              util::QuoteUntrusted(version_text), " is not an integer (",
              probe::kMinMldVersion, " or ", probe::kMaxMldVersion, ")")));
    }
    o.mld_version = version;
  } else if (!version_text.empty()) {
    if (version_flag_given) {
      return absl::InvalidArgumentError(
          "IGMP version given twice (positional and --igmp-version)");
    }
    int version = 0;
    if (!absl::SimpleAtoi(version_text, &version)) {
      return FlagError(
          "--igmp-version",
          absl::InvalidArgumentError(absl::StrCat(
              util::QuoteUntrusted(version_text), " is not an integer (",
              probe::kMinIgmpVersion, ", 2 or ", probe::kMaxIgmpVersion, ")")));
    }
    o.igmp_version = version;
  }
  absl::StatusOr<int> port_value = probe::CheckPort(port);
  if (!port_value.ok()) return FlagError("--port", port_value.status());
  o.port = static_cast<uint16_t>(*port_value);
  absl::StatusOr<absl::Duration> d = probe::ParsePositiveDuration(stall);
  if (!d.ok()) return FlagError("--stall-timeout", d.status());
  o.stall_timeout = *d;
  d = util::ParseDuration(duration);
  if (!d.ok()) return FlagError("--duration", d.status());
  o.duration_seconds = absl::ToDoubleSeconds(*d);
  d = probe::ParsePositiveDuration(window);
  if (!d.ok()) return FlagError("--reorder-window", d.status());
  o.reorder_window = *d;
  d = probe::ParsePositiveDuration(zap_interval);
  if (!d.ok()) return FlagError("--zap-interval", d.status());
  o.zap_interval_seconds = absl::ToDoubleSeconds(*d);
  if (o.zap < 0 || o.zap > kMaxZapJoins) {
    return FlagError("--zap",
                     absl::InvalidArgumentError(absl::StrCat(
                         o.zap, " is out of range (0 to ", kMaxZapJoins, ")")));
  }
  // The worst case (every tracked run, a flood of forged sender ids) must
  // fit the exporter's default memory limit, as one [[receiver]] must.
  absl::Status spec =
      FirstProblem(probe::CheckReceiverSpec(o), /*positional_source=*/true);
  if (!spec.ok()) return spec;
  return CheckInterfaceExists(o.interface);
}

}  // namespace

ReceiveArgs ParseReceiveArgs(int argc, char** argv) {
  ReceiveOptions o;
  o.state_dir = net::DefaultIgmpStateDir();
  std::string group, second, third, stall = "3.0", duration = "0",
                                    window = "3s", zap_interval = "2s";
  std::string decode = "auto";
  int64_t rtp_clock_rate = streams::kDefaultRtpClockRate;
  int version_flag = 0;
  int mld_flag = 0;
  int64_t port = o.port;
  CLI::App app(kDescription, kProgram);
  app.footer(kExamples);
  app.set_version_flag("--version", std::string(kVersion));
  app.add_option("group", group,
                 "IPv4 or IPv6 multicast group, e.g. 239.0.10.101 or "
                 "ff3e::8000:1 (the family follows it)")
      ->required();
  app.add_option("source", second,
                 "Source address for an SSM (S,G) join (needs IGMPv3)");
  app.add_option("igmp_version", third,
                 "1, 2 or 3 (same as --igmp-version); for an IPv6 group 1 or "
                 "2, the MLD version (same as --mld-version)");
  app.add_option("-v,--igmp-version", version_flag,
                 "IGMP version for the join: 1, 2 or 3 (default 3)");
  app.add_option("--mld-version", mld_flag,
                 "MLD version for the join of an IPv6 group: 1 or 2 "
                 "(default 2)");
  app.add_option("-i,--interface", o.interface,
                 "Interface to join on (default: what the routing table says)");
  app.add_option("--stall-timeout", stall,
                 "Seconds without a packet before the flow is STALLED")
      ->capture_default_str();
  app.add_option("--duration", duration,
                 "Stop after this long (600, 2.5, 10m); 0 = run until Ctrl-C")
      ->capture_default_str();
  app.add_option("-p,--port", port, "UDP port")->capture_default_str();
  app.add_option("--reorder-window", window,
                 "A missing packet is lost after this long...")
      ->capture_default_str();
  app.add_option("--reorder-packets", o.reorder_packets,
                 "...or once this many newer packets arrived")
      ->capture_default_str();
  app.add_option("--state-dir", o.state_dir,
                 "Where the IGMP version found before forcing is recorded, so "
                 "the next start restores it after a crash "
                 "($MCAST_STATE_DIR; empty: nowhere)")
      ->capture_default_str();
  app.add_option("--zap", o.zap,
                 "Leave and re-join N times (channel-change test) and report "
                 "the join-to-first-packet times: min, median, p95, max, and "
                 "joins with no packet within --stall-timeout")
      ->type_name("N");
  app.add_option("--zap-interval", zap_interval,
                 "Time from one --zap join to the next")
      ->capture_default_str();
  app.add_option("--decode", decode,
                 "How datagrams that are not probe packets are read: auto, "
                 "probe, rtp, mpegts, moldudp64 or seq:OFFSET:WIDTH[:be|le]")
      ->capture_default_str();
  app.add_option("--rtp-clock-rate", rtp_clock_rate,
                 "RTP timestamp clock in Hz, for the interarrival jitter")
      ->type_name("HZ")
      ->capture_default_str();
  app.add_flag("-q,--quiet", o.quiet, "No live dashboard");
  app.add_flag("--json", o.json, "Print a JSON summary on exit");
  if (std::optional<int> code = ParseArgs(app, argc, argv, kProgram)) {
    return {std::nullopt, *code};
  }
  bool version_flag_given = app.count("--igmp-version") > 0;
  if (version_flag_given) o.igmp_version = version_flag;
  const bool mld_flag_given = app.count("--mld-version") > 0;
  if (mld_flag_given) o.mld_version = mld_flag;
  absl::Status status =
      Validate(group, second, third, stall, duration, window, zap_interval,
               port, version_flag_given, mld_flag_given, o);
  if (status.ok()) {
    absl::StatusOr<streams::DecodeSpec> spec = probe::ParseDecodeSpec(decode);
    absl::StatusOr<uint32_t> hz = probe::CheckRtpClockRate(rtp_clock_rate);
    if (!spec.ok()) {
      status = FlagError("--decode", spec.status());
    } else if (!hz.ok()) {
      status = FlagError("--rtp-clock-rate", hz.status());
    } else {
      o.decode = *spec;
      o.decode.rtp_clock_rate = *hz;
    }
  }
  if (!status.ok()) {
    PrintError(kProgram, std::string(status.message()));
    return {std::nullopt, kExitUsage};
  }
  return {o, kExitOk};
}

int RunReceive(int argc, char** argv) {
  ReceiveArgs args = ParseReceiveArgs(argc, argv);
  if (!args.options) return args.exit_code;
  const ReceiveOptions& o = *args.options;

  // The signals are taken (blocked, read through a signalfd) before the
  // version is forced: from then on Ctrl-C, SIGTERM or a closed terminal
  // ends the loop and the session restores the value, instead of killing
  // the process with the sysctl left forced. Without them there is no such
  // promise to keep: give up before touching anything.
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create();
  if (!loop.ok()) {
    PrintError(kProgram, std::string(loop.status().message()));
    return ExitCodeFor(loop.status());
  }
  net::EventLoop& l = **loop;
  if (absl::Status s =
          l.AddSignals({SIGINT, SIGTERM, SIGHUP}, [&](int) { l.Stop(); });
      !s.ok()) {
    PrintError(kProgram,
               absl::StrCat("cannot handle signals (", s.message(),
                            "); not forcing the ",
                            o.group.is_v6() ? "MLD" : "IGMP", " version"));
    return ExitCodeFor(s);
  }

  // The querier of the join's interface: one raw socket of the group's
  // family. Without CAP_NET_RAW say so once and go on.
  const net::QueryProtocol query_protocol =
      o.group.is_v6() ? net::QueryProtocol::kMld : net::QueryProtocol::kIgmp;
  net::QuerierListener querier(&l);
  std::string querier_error;
  if (absl::Status s = querier.Open(o.group.is_v4(), o.group.is_v6());
      !s.ok()) {
    querier_error = std::string(s.message());
    std::fprintf(stderr, "%s: warning: not watching the querier: %s\n",
                 kProgram, querier_error.c_str());
  }

  probe::ReceiverSessionOptions so;
  so.loop = &l;
  so.log = [](util::LogLevel level, const std::string& message) {
    if (level <= util::LogLevel::kWarning) {
      std::fprintf(stderr, "%s: warning: %s\n", kProgram, message.c_str());
    }
  };
  so.log_receive_errors = false;  // Shown in the dashboard.
  so.force_igmp_version = true;
  so.igmp_guard.state_dir = o.state_dir;
  // Leaves the group, then restores the IGMP version, when it goes out of
  // scope.
  probe::ReceiverSession session(o, so);
  if (absl::Status s = session.Open(); !s.ok()) {
    std::string error(s.message());
    if (absl::IsUnavailable(s) && o.interface.empty()) {
      absl::StrAppend(&error, "; use --interface");
    }
    PrintError(kProgram, error);
    return ExitCodeFor(s);
  }
  probe::ProbeReceiver& r = session.receiver();

  ReceiveContext ctx;
  ctx.group = o.group.ToString();
  if (!o.source.is_unspecified()) ctx.source = o.source.ToString();
  ctx.port = o.port;
  ctx.interface = session.interface_name();
  ctx.igmp_requested = o.igmp_version;
  ctx.ipv6 = o.group.is_v6();
  ctx.mld_requested = o.mld_version;
  ctx.stall_timeout_seconds = absl::ToDoubleSeconds(o.stall_timeout);
  // The version in effect, read back after the join: the requested one
  // until /proc/net/igmp says otherwise.
  (void)session.RefreshMembership();
  ctx.igmp_version =
      session.igmp_version() != 0 ? session.igmp_version() : o.igmp_version;
  // MLD: read back from the kernel (0 until it tells, see
  // proc/mld_version_read_back.h); the report of the join may take a moment.
  ctx.mld_version = session.mld_version();

  auto querier_view = [&](int64_t now) {
    const int index = session.has_socket() ? r.socket().interface_index() : 0;
    return querier.table().View(index, query_protocol, now);
  };
  auto querier_json = [&](int64_t now) {
    return querier_error.empty()
               ? QuerierJson(query_protocol, querier_view(now))
               : QuerierUnavailableJson(query_protocol, querier_error);
  };
  auto extra_text = [&](int64_t now) {
    std::string text = JoinText(r.join_latency());
    absl::StrAppend(&text, "Querier  ",
                    querier_error.empty()
                        ? QuerierText(query_protocol, querier_view(now))
                        : "not watched (" + querier_error + ")",
                    "\n");
    return text;
  };

  // The join's interface followed through netlink: gone, the socket is
  // closed (the flow stalls); back (link up, or re-created with a new
  // index), the receiver joins again, and that join is timed like the
  // first. A device that cannot pass packets yet is joined at its kUp only
  // (joined twice, two joins would be timed). Without netlink the first
  // socket stays.
  const std::string join_interface = session.interface_name();
  std::unique_ptr<netif::LinkWatcher> watcher;
  if (absl::StatusOr<std::unique_ptr<netif::LinkWatcher>> w =
          netif::LinkWatcher::Create([&](const netif::LinkEvent& e) {
            if (e.interface.name != join_interface) return;
            using Kind = netif::LinkEvent::Kind;
            if (e.kind == Kind::kRemoved) {
              session.Close();
            } else if ((e.kind == Kind::kAdded || e.kind == Kind::kUp) &&
                       e.interface.passes_packets()) {
              session.TryOpen(/*force=*/true);
            }
          });
      w.ok()) {
    watcher = std::move(*w);
    if (absl::Status s =
            l.AddReader(watcher->fd(), [&] { (void)watcher->ProcessEvents(); });
        !s.ok()) {
      watcher.reset();
    }
  }
  // A failed re-join is tried again every second while the interface is
  // there and passes packets.
  auto retry_join = [&] {
    if (!watcher || session.has_socket()) return;
    for (const netif::Interface& i : watcher->interfaces()) {
      if (i.name == join_interface && i.passes_packets()) session.TryOpen();
    }
  };

  const int64_t start = net::MonotonicNanos();
  const bool dashboard = !o.quiet && !o.json && isatty(STDOUT_FILENO);
  Terminal terminal(dashboard);

  // This timer ends --duration runs: without it they would never stop.
  int ticks = 0;
  absl::StatusOr<net::TimerId> ticker =
      l.AddTimer(absl::Milliseconds(100), net::TimerMode::kPeriodic, [&] {
        int64_t now = net::MonotonicNanos();
        session.Tick(now);
        if (++ticks % 10 == 0 && o.zap == 0) retry_join();
        if (o.duration_seconds > 0 &&
            static_cast<double>(now - start) * 1e-9 >= o.duration_seconds) {
          l.Stop();
        }
      });
  if (!ticker.ok()) {
    PrintError(kProgram, std::string(ticker.status().message()));
    return ExitCodeFor(ticker.status());
  }
  // --zap: one join per interval; each waits for its first packet at most
  // the stall timeout.
  std::vector<ZapResult> zap_results;
  int64_t zap_join_at = start;
  uint64_t zap_answered_before = 0;
  bool zap_waiting = true;
  if (o.zap > 0) {
    const auto stall_ns = absl::ToInt64Nanoseconds(o.stall_timeout);
    const auto interval_ns = static_cast<int64_t>(o.zap_interval_seconds * 1e9);
    absl::StatusOr<net::TimerId> zap =
        l.AddTimer(absl::Milliseconds(5), net::TimerMode::kPeriodic, [&] {
          const int64_t now = net::MonotonicNanos();
          const probe::JoinLatency& join = r.join_latency();
          if (zap_waiting) {
            if (join.histogram().count > zap_answered_before) {
              zap_results.push_back(join.last());
              zap_waiting = false;
            } else if (now - zap_join_at >= stall_ns) {
              zap_results.push_back(std::nullopt);
              zap_waiting = false;
            }
          }
          if (zap_waiting) return;
          if (static_cast<int>(zap_results.size()) >= o.zap) {
            l.Stop();
            return;
          }
          if (now - zap_join_at < interval_ns) return;
          session.Close();  // The leave.
          zap_answered_before = join.histogram().count;
          zap_join_at = net::MonotonicNanos();
          zap_waiting = true;
          if (absl::Status s = session.Open(); !s.ok()) {
            std::fprintf(stderr, "%s: warning: re-join failed: %s\n", kProgram,
                         std::string(s.message()).c_str());
          }
        });
    if (!zap.ok()) {
      PrintError(kProgram, std::string(zap.status().message()));
      return ExitCodeFor(zap.status());
    }
  }
  std::optional<stats::ReceiverSnapshot> previous;
  int64_t previous_at = start;
  int refreshes = 0;
  if (dashboard) {
    absl::StatusOr<net::TimerId> refresh =
        l.AddTimer(absl::Milliseconds(500), net::TimerMode::kPeriodic, [&] {
          int64_t now = net::MonotonicNanos();
          // The version in effect can change when a querier shows up.
          if (++refreshes % 10 == 0 && session.RefreshMembership().ok()) {
            if (session.igmp_version() != 0) {
              ctx.igmp_version = session.igmp_version();
            }
            ctx.mld_version = session.mld_version();
          }
          ctx.elapsed_seconds = static_cast<double>(now - start) * 1e-9;
          ctx.socket_drops = r.socket_drops();
          stats::ReceiverSnapshot snap = r.stats().Snapshot(now);
          std::string frame = RenderReceiveDashboard(
              ctx, snap, previous ? &*previous : nullptr,
              static_cast<double>(now - previous_at) * 1e-9, now);
          absl::StrAppend(&frame, "\n", extra_text(now));
          absl::StrAppend(&frame, StreamsText(r.streams().Snapshot(now)));
          if (o.zap > 0) {
            absl::StrAppend(&frame,
                            ZapText(zap_results, ctx.stall_timeout_seconds));
          }
          if (!session.receive_error().empty()) {
            absl::StrAppend(&frame,
                            "\nReceive error: ", session.receive_error(), "\n");
          }
          terminal.Draw(frame);
          previous = std::move(snap);
          previous_at = now;
        });
    if (!refresh.ok()) {
      PrintError(kProgram, std::string(refresh.status().message()));
      return ExitCodeFor(refresh.status());
    }
  }

  absl::Status run = l.Run();
  terminal.Finish();
  if (!run.ok()) {
    PrintError(kProgram, std::string(run.message()));
    return ExitCodeFor(run);
  }
  const int64_t end = net::MonotonicNanos();
  session.Tick(end);
  if (ctx.ipv6 && session.RefreshMembership().ok()) {
    ctx.mld_version = session.mld_version();
  }
  r.stats().Finish();  // End of the measurement: pending becomes lost.
  r.streams().Finish();
  ctx.elapsed_seconds = static_cast<double>(end - start) * 1e-9;
  ctx.socket_drops = r.socket_drops();
  stats::ReceiverSnapshot snap = r.stats().Snapshot(end);
  if (o.json) {
    nlohmann::ordered_json j = ReceiveJson(ctx, snap, end);
    j["querier"] = querier_json(end);
    j["join"] = JoinJson(r.join_latency());
    if (o.zap > 0) j["zap"] = ZapJson(zap_results, o.zap_interval_seconds);
    const streams::StreamTableSnapshot streams = r.streams().Snapshot(end);
    j["streams"] = StreamsJson(streams);
    // Sources dropped to make room (at most 64 are tracked): a sibling key,
    // since "streams" is an array.
    j["streams_evicted"] = streams.evicted;
    std::printf("%s\n", j.dump(2).c_str());
  } else if (!o.quiet) {
    std::string text = RenderReceiveDashboard(ctx, snap, nullptr, 0, end);
    absl::StrAppend(&text, "\n", extra_text(end));
    absl::StrAppend(&text, StreamsText(r.streams().Snapshot(end)));
    if (o.zap > 0) {
      absl::StrAppend(&text, ZapText(zap_results, ctx.stall_timeout_seconds));
    }
    std::printf("%s", text.c_str());
  }
  return kExitOk;
}

}  // namespace mcast::cli
