#include "cli/exporter_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "cli/arg_parse.h"
#include "cli/exit_codes.h"
#include "cli/metric_catalog_json.h"
#include "exporter/exporter.h"
#include "exporter/fd_budget.h"
#include "exporter/open_file_limit.h"
#include "exporter/runnable_config.h"
#include "exporter/web_state.h"
#include "net/igmp_version_guard.h"
#include "util/errno_status.h"
#include "util/log.h"
#include "util/unique_fd.h"
#include "version.h"

namespace mcast::cli {
namespace {

constexpr char kProgram[] = "mcast-exporter";
constexpr char kDefaultConfig[] = "/etc/mcast-tools/mcast-exporter.toml";

constexpr char kDescription[] =
    "Run persistent multicast probe senders and receivers described in a TOML\n"
    "file and export what they measure (loss, duplicates, reorder, hop count,\n"
    "DSCP remarks, stalls, sender restarts) as Prometheus metrics.";

constexpr char kExamples[] =
    "Examples:\n"
    "  mcast-exporter --config config/mcast-exporter.toml\n"
    "  mcast-exporter --check-config /etc/mcast-tools/mcast-exporter.toml\n"
    "  mcast-exporter --config probes.toml --listen 127.0.0.1:0 --log-level "
    "debug\n"
    "  mcast-exporter --config.file probes.toml --web.listen-address :9779 \\\n"
    "    --web.config.file /etc/mcast-tools/web-config.yml\n"
    "\nSIGHUP reloads the config (unchanged probes keep their counters; a bad\n"
    "file is rejected and the old config keeps running). SIGINT/SIGTERM stop.\n"
    "The web config is also re-read when it or a file it names changes.\n"
    "Endpoints: / (landing page), the metrics path, /-/healthy, /-/ready.\n"
    "Logs go to stderr with syslog priority prefixes for journald.\n"
    "Exit codes: 0 ok, 64 bad usage, 69 resource unavailable (e.g. cannot\n"
    "listen), 71 OS error, 78 bad config (also missing or unreadable, or\n"
    "needing more file descriptors than the open-file limit).";

void PrintConfigErrors(const absl::Status& status) {
  for (absl::string_view line : absl::StrSplit(status.message(), '\n')) {
    std::fprintf(stderr, "%s: %s\n", kProgram, std::string(line).c_str());
  }
}

// Writes "PORT\n" to `path` through a temporary file and a rename, so a
// reader polling for the file never sees it empty or half written, and a
// file left by an earlier run is replaced in one step. Scripts that start
// the exporter on port 0 learn the port from here instead of the log.
absl::Status WritePortFile(const std::string& path, int port) {
  const std::string tmp = path + ".tmp";
  util::UniqueFd fd(
      ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid()) return util::ErrnoToStatus(errno, "open " + tmp);
  const std::string text = std::to_string(port) + "\n";
  if (::write(fd.get(), text.data(), text.size()) !=
      static_cast<ssize_t>(text.size())) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return util::ErrnoToStatus(err, "write " + tmp);
  }
  fd.reset();
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return util::ErrnoToStatus(err, "rename " + tmp + " to " + path);
  }
  return absl::OkStatus();
}

// One info line once the config is loaded (a failure before that is one
// error line alone); a raise that failed is a warning first, as it may be
// why the config is refused.
void LogOpenFileLimit(const exporter::OpenFileLimit& nofile,
                      const exporter::FdBudget& budget) {
  using util::LogLevel;
  const std::string limit =
      nofile.soft > nofile.soft_before
          ? absl::StrFormat("soft %d raised to the hard limit %d",
                            nofile.soft_before, nofile.soft)
          : absl::StrFormat("%d", nofile.soft);
  util::Log(LogLevel::kInfo,
            "open-file limit %s; config needs %d file descriptors (%s)", limit,
            budget.Total(), budget.Breakdown());
}

// [exporter] web_config_file, a relative path taken from the folder of the
// config file that names it; empty when it names none.
std::string WebConfigPathFor(const exporter::Config& config,
                             const std::string& config_path) {
  const std::string& file = config.exporter.web_config_file;
  if (file.empty() || file[0] == '/') return file;
  const size_t slash = config_path.rfind('/');
  if (slash == std::string::npos) return file;
  return config_path.substr(0, slash + 1) + file;
}

// Loads `path` as a runnable config. Without listen flags the server opens
// [exporter] listen_addresses, so the descriptor budget counts those: then
// `listen` becomes them, and a config with several is loaded again with
// that count (a second parse, at start only).
absl::StatusOr<exporter::Config> LoadWithListen(
    const std::string& path, std::vector<std::string>* listen,
    const std::string& mesh_member) {
  const bool flags = !listen->empty();
  absl::StatusOr<exporter::Config> config = exporter::LoadRunnableConfig(
      path, exporter::ListenSocketsFor(*listen), mesh_member);
  if (!config.ok() || flags || config->exporter.listen_addresses.empty()) {
    return config;
  }
  *listen = config->exporter.listen_addresses;
  if (listen->size() == 1) return config;
  return exporter::LoadRunnableConfig(path, exporter::ListenSocketsFor(*listen),
                                      mesh_member);
}

// --check-config's line per [[mesh]]: the member self-detection picked.
void PrintMeshMembers(const exporter::Config& config) {
  for (const exporter::MeshConfig& m : config.meshes) {
    const exporter::MeshMemberConfig& self = m.members[m.self];
    std::printf("mesh %s: this host is %s (%s)%s\n", m.name.c_str(),
                self.name.c_str(), self.address.ToString().c_str(),
                m.self_by_flag ? " by --mesh-member" : "");
  }
}

}  // namespace

int RunExporter(int argc, char** argv) {
  std::string config_path = kDefaultConfig, check_path, listen, port_file,
              log_level = "info", log_format,
              state_dir = net::DefaultIgmpStateDir();
  std::string web_config, telemetry_path, mesh_member;
  std::vector<std::string> listen_addresses;
  bool print_metrics = false;
  CLI::App app(kDescription, kProgram);
  app.footer(kExamples);
  app.set_version_flag("--version", std::string(kVersion));
  app.add_option("-c,--config,--config.file", config_path,
                 "Configuration file (TOML)")
      ->capture_default_str();
  app.add_option("--check-config", check_path,
                 "Validate this file, print every error, exit 0 or 78");
  app.add_option(
      "--listen", listen,
      "Override [exporter] listen, e.g. 127.0.0.1:0 for a free port");
  app.add_option("--web.listen-address", listen_addresses,
                 "Address to serve on, IP:PORT, [IPv6]:PORT or :PORT (all "
                 "IPv4 addresses); repeat for several. Overrides [exporter] "
                 "listen (and adds to --listen)")
      ->take_all();
  app.add_option("--web.telemetry-path", telemetry_path,
                 "Path of the metrics, overriding [exporter] metrics_path");
  app.add_option("--web.config.file", web_config,
                 "TLS, basic auth and headers in the Prometheus "
                 "exporter-toolkit web config format (YAML); re-read on "
                 "change and on SIGHUP");
  app.add_option("--listen-port-file", port_file,
                 "Once listening, write the HTTP port to this file (replaced "
                 "atomically; removed on a clean stop)");
  app.add_option("--log-level,--log.level", log_level,
                 "error, warn (warning), notice, info or debug")
      ->check(CLI::IsMember(
          {"error", "warn", "warning", "notice", "info", "debug"}))
      ->capture_default_str();
  app.add_option("--log.format", log_format,
                 "logfmt or json (default: plain lines with syslog priority "
                 "prefixes, for journald)")
      ->check(CLI::IsMember({"logfmt", "json"}));
  app.add_option("--state-dir", state_dir,
                 "Where the IGMP versions found before forcing are recorded, "
                 "so a restart after a crash restores them ($MCAST_STATE_DIR; "
                 "empty: nowhere)")
      ->capture_default_str();
  app.add_option("--mesh-member", mesh_member,
                 "The [[mesh]] member this host is, by name (default: the "
                 "member whose address is one of this host's)");
  app.add_flag("--print-metrics", print_metrics,
               "Print every metric /metrics can serve (name, type, help, "
               "labels) as JSON and exit");
  if (std::optional<int> code = ParseArgs(app, argc, argv, kProgram)) {
    return *code;
  }
  util::LogLevel level;
  util::ParseLogLevel(log_level, &level);
  util::SetLogLevel(level);
  if (util::LogFormat format; util::ParseLogFormat(log_format, &format)) {
    util::SetLogFormat(format);
  }
  if (print_metrics) {
    std::fputs(MetricCatalogJson().c_str(), stdout);
    return kExitOk;
  }

  // Before any load, so --check-config judges a config against the limit
  // the exporter itself would run with (the unit's ExecStartPre runs under
  // the same LimitNOFILE).
  const exporter::OpenFileLimit nofile = exporter::RaiseOpenFileLimit();
  // --listen, then every --web.listen-address: each is a listening socket
  // the budget counts.
  std::vector<std::string> listen_override;
  if (!listen.empty()) listen_override.push_back(listen);
  for (const std::string& a : listen_addresses) {
    // Go's ":9100" is every address; civetweb wants one.
    listen_override.push_back(a.starts_with(":") ? "0.0.0.0" + a : a);
  }
  if (!check_path.empty()) {
    absl::StatusOr<exporter::Config> config =
        LoadWithListen(check_path, &listen_override, mesh_member);
    if (!config.ok()) {
      PrintConfigErrors(config.status());
      return kExitConfig;
    }
    PrintMeshMembers(*config);
    // The flag wins over [exporter] web_config_file.
    if (web_config.empty()) web_config = WebConfigPathFor(*config, check_path);
    if (!web_config.empty()) {
      absl::StatusOr<std::unique_ptr<exporter::WebState>> web =
          exporter::WebState::Create(web_config);
      if (!web.ok()) {
        PrintConfigErrors(web.status());
        return kExitConfig;
      }
      std::printf("%s: OK (TLS %s)\n", web_config.c_str(),
                  (*web)->tls() ? "on" : "off");
    }
    std::printf("%s: OK (%zu senders, %zu receivers, listen %s)\n",
                check_path.c_str(), config->senders.size(),
                config->receivers.size(), config->exporter.listen.c_str());
    return kExitOk;
  }

  if (!nofile.error.empty()) {
    util::Log(util::LogLevel::kWarning,
              "open-file limit: cannot raise the soft limit %d to the hard "
              "limit %d (%s)",
              nofile.soft, nofile.hard, nofile.error);
  }
  absl::StatusOr<exporter::Config> config =
      LoadWithListen(config_path, &listen_override, mesh_member);
  if (!config.ok()) {
    PrintConfigErrors(config.status());
    return kExitConfig;
  }
  const size_t listen_sockets = exporter::ListenSocketsFor(listen_override);
  // The flag wins over [exporter] web_config_file (read at start only).
  if (web_config.empty()) web_config = WebConfigPathFor(*config, config_path);
  if (!telemetry_path.empty() &&
      (telemetry_path[0] != '/' ||
       !std::all_of(telemetry_path.begin(), telemetry_path.end(),
                    [](unsigned char c) { return c > 0x20 && c < 0x7f; }))) {
    PrintError(kProgram,
               "--web.telemetry-path: must start with '/' and hold no "
               "spaces or control characters");
    return kExitUsage;
  }
  absl::StatusOr<std::unique_ptr<exporter::WebState>> web =
      exporter::WebState::Create(web_config);
  if (!web.ok()) {
    PrintConfigErrors(web.status());
    return kExitConfig;
  }
  LogOpenFileLimit(nofile, exporter::FdBudgetFor(*config, listen_sockets));
  exporter::Exporter::Options options;
  options.config_path = config_path;
  options.listen_override = listen_override;
  options.metrics_path_override = telemetry_path;
  options.state_dir = state_dir;
  options.mesh_member = mesh_member;
  absl::StatusOr<std::unique_ptr<exporter::Exporter>> e =
      exporter::Exporter::Create(options, *config, *std::move(web));
  if (!e.ok()) {
    PrintError(kProgram, std::string(e.status().message()));
    return ExitCodeFor(e.status());
  }
  if (!port_file.empty()) {
    const std::vector<int> ports = (*e)->listening_ports();
    absl::Status written =
        ports.empty() ? absl::InternalError("no HTTP port is listening")
                      : WritePortFile(port_file, ports.front());
    if (!written.ok()) {
      PrintError(kProgram, std::string(written.message()));
      return ExitCodeFor(written);
    }
  }
  absl::Status run = (*e)->Run();
  (*e)->Shutdown();
  if (!port_file.empty()) ::unlink(port_file.c_str());
  if (!run.ok()) {
    PrintError(kProgram, std::string(run.message()));
    return ExitCodeFor(run);
  }
  util::Log(util::LogLevel::kInfo, "stopped");
  // Everything that matters is done (groups left, sysctls restored). The
  // HTTP server's own teardown takes ~2 s, longer than the 1 s a service
  // manager should wait, and the kernel closes its sockets for us anyway.
  std::fflush(stdout);
  std::fflush(stderr);
  _exit(kExitOk);
}

}  // namespace mcast::cli
