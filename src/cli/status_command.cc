#include "cli/status_command.h"

#include <algorithm>
#include <memory>
#include <ostream>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cli/exit_codes.h"
#include "cli/querier_report.h"
#include "net/clock.h"
#include "net/event_loop.h"
#include "net/igmp_version_guard.h"
#include "net/querier_listener.h"
#include "netif/interface_lookup.h"
#include "netif/interface_table.h"
#include "proc/force_igmp_version.h"
#include "proc/force_igmp_version_file.h"
#include "proc/mld_version_read_back.h"
#include "util/duration.h"
#include "version.h"

namespace mcast::cli {
namespace {

constexpr char kTool[] = "mcast-status";

std::string SourcesText(const proc::GroupMembership& g) {
  std::vector<std::string> sources;
  for (const inet::IpAddress& s : g.sources) sources.push_back(s.ToString());
  switch (g.filter_mode) {
    case proc::FilterMode::kInclude:
      return absl::StrJoin(sources, ", ");
    case proc::FilterMode::kExclude:
      return sources.empty() ? "any"
                             : "any but " + absl::StrJoin(sources, ", ");
    case proc::FilterMode::kUnknown:
      break;
  }
  return "? (not listed by the kernel)";
}

std::string StateText(const InterfaceStatus& s) {
  std::vector<std::string> words;
  words.push_back(s.link.up ? (s.link.running ? "up" : "up, no carrier")
                            : "down");
  words.push_back(s.link.multicast ? "multicast" : "no multicast flag");
  if (s.igmp_version > 0) {
    std::string igmp = absl::StrCat("IGMPv", s.igmp_version);
    if (s.force_igmp_version > 0) {
      absl::StrAppend(&igmp, " (forced v", s.force_igmp_version, ")");
    }
    words.push_back(igmp);
  }
  // Interfaces that never sent an MLD report and have nothing forced (lo)
  // would only say "unknown": left out.
  if (s.mld_reports.has_value() &&
      (s.force_mld_version != 0 || s.mld_reports->v1_reports > 0 ||
       s.mld_reports->v2_reports > 0)) {
    std::string mld = s.mld_version > 0 ? absl::StrCat("MLDv", s.mld_version)
                                        : std::string(
                                              "MLD version unknown (v1 and v2 "
                                              "reports sent)");
    if (s.force_mld_version > 0) {
      absl::StrAppend(&mld, " (forced v", s.force_mld_version, ")");
    }
    words.push_back(mld);
  }
  return absl::StrJoin(words, ", ");
}

}  // namespace

std::vector<InterfaceStatus> BuildStatus(
    const std::vector<netif::Interface>& interfaces,
    const std::vector<proc::InterfaceMemberships>& memberships,
    const std::vector<std::pair<std::string, int>>& forced,
    const StatusOptions& options, const std::vector<MldState>& mld) {
  std::vector<InterfaceStatus> result;
  for (const netif::Interface& link : interfaces) {
    if (!options.interface.empty() && link.name != options.interface) continue;
    InterfaceStatus s;
    s.link = link;
    for (const auto& [name, version] : forced) {
      if (name == link.name) s.force_igmp_version = version;
    }
    for (const MldState& m : mld) {
      if (m.name != link.name) continue;
      s.force_mld_version = m.forced;
      s.mld_reports = m.reports;
      s.mld_version = proc::MldVersionInEffect(m.forced, m.reports);
    }
    // By index: names in /proc can be cut short.
    for (const proc::InterfaceMemberships& m : memberships) {
      if (m.index != link.index) continue;
      s.igmp_version = m.igmp_version;
      for (const proc::GroupMembership& g : m.groups) {
        if (options.all || !proc::IsKernelDefaultGroup(g.group)) {
          s.groups.push_back(g);
        }
      }
    }
    result.push_back(std::move(s));
  }
  return result;
}

absl::StatusOr<std::vector<InterfaceStatus>> GatherStatus(
    const StatusOptions& options) {
  absl::StatusOr<std::vector<netif::Interface>> interfaces =
      netif::ListInterfaces();
  if (!interfaces.ok()) return interfaces.status();
  absl::StatusOr<std::vector<proc::InterfaceMemberships>> memberships =
      proc::ReadMemberships();
  if (!memberships.ok()) return memberships.status();
  std::vector<std::pair<std::string, int>> forced;
  for (const netif::Interface& i : *interfaces) {
    absl::StatusOr<int> version = proc::ReadForcedIgmpVersion(i.name);
    // No file: the interface has no IPv4 configuration, nothing is forced.
    if (!version.ok() && !absl::IsNotFound(version.status())) {
      return version.status();
    }
    if (version.ok() && *version != 0) forced.emplace_back(i.name, *version);
  }
  std::vector<MldState> mld;
  for (const netif::Interface& i : *interfaces) {
    // No files: the interface has no IPv6 (or the kernel none at all).
    absl::StatusOr<int> version =
        proc::ReadForcedVersion(proc::GroupProtocol::kMld, i.name);
    if (!version.ok() && !absl::IsNotFound(version.status())) {
      return version.status();
    }
    absl::StatusOr<proc::MldReportCounters> reports =
        proc::ReadMldReportCounters(i.name);
    if (!reports.ok() && !absl::IsNotFound(reports.status())) {
      return reports.status();
    }
    if (!version.ok() || !reports.ok()) continue;
    mld.push_back({i.name, *version, *reports});
  }
  return BuildStatus(*interfaces, *memberships, forced, options, mld);
}

absl::Status WatchQueriers(double wait_seconds,
                           std::vector<InterfaceStatus>& status) {
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create();
  if (!loop.ok()) return loop.status();
  net::QuerierListener listener(loop->get());
  absl::Status opened = listener.Open(true, true);
  if (listener.listening_v4() || listener.listening_v6()) {
    absl::StatusOr<net::TimerId> timer =
        (*loop)->AddTimer(absl::Seconds(wait_seconds), net::TimerMode::kOneShot,
                          [&] { (*loop)->Stop(); });
    if (!timer.ok()) return timer.status();
    if (absl::Status run = (*loop)->Run(); !run.ok()) return run;
  }
  const int64_t now = net::MonotonicNanos();
  const std::string error(opened.message());
  for (InterfaceStatus& s : status) {
    QuerierStatus q;
    if (!listener.listening_v4()) q.igmp_error = error;
    if (!listener.listening_v6()) q.mld_error = error;
    q.igmp =
        listener.table().View(s.link.index, net::QueryProtocol::kIgmp, now);
    q.mld = listener.table().View(s.link.index, net::QueryProtocol::kMld, now);
    s.querier = std::move(q);
  }
  return opened;
}

namespace {

nlohmann::ordered_json QuerierStatusJson(
    const std::optional<QuerierStatus>& q) {
  if (!q) return nullptr;
  nlohmann::ordered_json j;
  j["igmp"] =
      q->igmp_error.empty()
          ? QuerierJson(net::QueryProtocol::kIgmp, q->igmp)
          : QuerierUnavailableJson(net::QueryProtocol::kIgmp, q->igmp_error);
  j["mld"] =
      q->mld_error.empty()
          ? QuerierJson(net::QueryProtocol::kMld, q->mld)
          : QuerierUnavailableJson(net::QueryProtocol::kMld, q->mld_error);
  return j;
}

}  // namespace

nlohmann::ordered_json RenderJson(const std::vector<InterfaceStatus>& status) {
  nlohmann::ordered_json interfaces = nlohmann::ordered_json::array();
  for (const InterfaceStatus& s : status) {
    nlohmann::ordered_json addresses = nlohmann::ordered_json::array();
    for (const netif::Address& a : s.link.addresses) {
      addresses.push_back(a.ToString());
    }
    nlohmann::ordered_json groups = nlohmann::ordered_json::array();
    for (const proc::GroupMembership& g : s.groups) {
      nlohmann::ordered_json sources = nlohmann::ordered_json::array();
      for (const inet::IpAddress& src : g.sources) {
        sources.push_back(src.ToString());
      }
      groups.push_back({{"group", g.group.ToString()},
                        {"family", g.group.is_v4() ? "ipv4" : "ipv6"},
                        {"users", g.users},
                        {"filter_mode", proc::FilterModeName(g.filter_mode)},
                        {"sources", sources}});
    }
    interfaces.push_back(
        {{"name", s.link.name},
         {"index", s.link.index},
         {"up", s.link.up},
         {"running", s.link.running},
         {"multicast", s.link.multicast},
         {"operstate", s.link.operstate},
         {"addresses", addresses},
         {"igmp_version", s.igmp_version > 0
                              ? nlohmann::ordered_json(s.igmp_version)
                              : nlohmann::ordered_json(nullptr)},
         {"force_igmp_version", s.force_igmp_version},
         {"mld_version", s.mld_version > 0
                             ? nlohmann::ordered_json(s.mld_version)
                             : nlohmann::ordered_json(nullptr)},
         {"force_mld_version", s.force_mld_version},
         {"mld_reports",
          s.mld_reports.has_value()
              ? nlohmann::ordered_json({{"v1", s.mld_reports->v1_reports},
                                        {"v2", s.mld_reports->v2_reports}})
              : nlohmann::ordered_json(nullptr)},
         {"groups", groups},
         {"querier", QuerierStatusJson(s.querier)}});
  }
  return {{"interfaces", interfaces}};
}

std::string RenderTable(const std::vector<InterfaceStatus>& status,
                        const StatusOptions& options) {
  std::string out;
  for (const InterfaceStatus& s : status) {
    if (!out.empty()) out += "\n";
    absl::StrAppendFormat(&out, "%s (index %d): %s\n", s.link.name,
                          s.link.index, StateText(s));
    std::vector<std::string> addresses;
    for (const netif::Address& a : s.link.addresses) {
      addresses.push_back(a.ToString());
    }
    absl::StrAppend(&out, "  addresses: ",
                    addresses.empty() ? "none" : absl::StrJoin(addresses, " "),
                    "\n");
    if (s.querier) {
      // An interface without IPv6 shows no MLD line unless a query came.
      if (s.querier->igmp_error.empty()) {
        absl::StrAppend(&out, "  querier: ",
                        QuerierText(net::QueryProtocol::kIgmp, s.querier->igmp),
                        "\n");
      }
      if (s.querier->mld_error.empty() &&
          (s.querier->mld.last.has_value() || s.mld_reports.has_value())) {
        absl::StrAppend(&out, "  querier: ",
                        QuerierText(net::QueryProtocol::kMld, s.querier->mld),
                        "\n");
      }
    }
    if (s.groups.empty()) {
      absl::StrAppend(&out, "  no groups",
                      options.all ? "" : " (kernel groups hidden, see --all)",
                      "\n");
      continue;
    }
    size_t width = 5;
    for (const proc::GroupMembership& g : s.groups) {
      width = std::max(width, g.group.ToString().size());
    }
    const int w = static_cast<int>(width);
    absl::StrAppendFormat(&out, "  %-*s  %5s  %-7s  %s\n", w, "GROUP", "USERS",
                          "MODE", "SOURCES");
    for (const proc::GroupMembership& g : s.groups) {
      absl::StrAppendFormat(
          &out, "  %-*s  %5d  %-7s  %s\n", w, g.group.ToString(), g.users,
          proc::FilterModeName(g.filter_mode), SourcesText(g));
    }
  }
  return out;
}

int RunStatus(int argc, const char* const* argv, std::ostream& out,
              std::ostream& err) {
  StatusOptions options;
  CLI::App app(
      "Shows the multicast groups each interface has joined (IPv4 and IPv6), "
      "the IGMP and MLD versions in effect and the source filters (reads "
      "/proc and netlink; no root needed).",
      kTool);
  app.add_flag("-a,--all", options.all,
               "Also show the groups the kernel joins by itself (224.0.0.1, "
               "ff02::1, ff01::1, solicited-node ff02::1:ffxx:xxxx)");
  app.add_option("-i,--interface", options.interface,
                 "Show only this interface")
      ->type_name("IFACE");
  app.add_flag("--json", options.json, "Print JSON (schema in the README)");
  std::string querier_wait = "0";
  app.add_option("--querier-wait", querier_wait,
                 "Listen this long for IGMP and MLD queries (raw sockets, "
                 "needs CAP_NET_RAW) and show each interface's querier: "
                 "address, version, query interval, max response, "
                 "robustness, last query, count; 0 = do not listen")
      ->capture_default_str();
  app.set_version_flag("--version", std::string(mcast::kVersion));
  app.footer(
      "Examples:\n"
      "  mcast-status              # memberships, without kernel defaults\n"
      "  mcast-status --all        # include 224.0.0.1 etc.\n"
      "  mcast-status -i eth0      # one interface only\n"
      "  mcast-status --json | jq '.interfaces[].groups[].group'\n"
      "\n"
      "MODE is the source filter: include (SSM: only the listed sources), "
      "exclude (any source but those listed), or unknown when the kernel's "
      "/proc/net/mcfilter or mcfilter6 listing leaves the group out.\n"
      "Exit codes: 0 ok, 64 bad usage or unknown interface, 69 multicast "
      "state unavailable (missing or not readable), 71 other system errors.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // --help, --version.
      return app.exit(e, out, err);
    }
    err << kTool << ": " << e.what() << " (see --help)\n";
    return kExitUsage;
  }

  {
    absl::StatusOr<absl::Duration> wait = util::ParseDuration(querier_wait);
    if (!wait.ok() || *wait < absl::ZeroDuration() || *wait > absl::Hours(1)) {
      err << kTool << ": --querier-wait: "
          << (wait.ok() ? "out of range (0 to 1h)" : wait.status().message())
          << " (see --help)\n";
      return kExitUsage;
    }
    options.querier_wait_seconds = absl::ToDoubleSeconds(*wait);
  }
  if (!options.interface.empty()) {
    absl::StatusOr<int> index = netif::InterfaceIndex(options.interface);
    if (!index.ok()) {
      err << kTool << ": " << index.status().message() << "\n";
      return kExitUsage;
    }
  }
  absl::StatusOr<std::vector<InterfaceStatus>> status;
  try {
    status = GatherStatus(options);
  } catch (const std::exception& e) {  // Allocation failure and the like.
    err << kTool << ": " << e.what() << "\n";
    return kExitSoftware;
  }
  if (!status.ok()) {
    err << kTool << ": " << status.status().message() << "\n";
    return ExitCodeFor(status.status());
  }
  if (options.querier_wait_seconds > 0) {
    absl::Status watched = WatchQueriers(options.querier_wait_seconds, *status);
    if (!watched.ok()) {
      err << kTool << ": warning: querier not watched: " << watched.message()
          << "\n";
    }
  }
  if (options.json) {
    // Interface names are bytes, not necessarily UTF-8: replace rather than
    // let dump() throw.
    out << RenderJson(*status).dump(
               2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
        << "\n";
  } else {
    out << RenderTable(*status, options);
  }
  return kExitOk;
}

}  // namespace mcast::cli
