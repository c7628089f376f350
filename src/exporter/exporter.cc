#include "exporter/exporter.h"

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "exporter/chunked_map_cursor.h"
#include "exporter/fd_budget.h"
#include "exporter/runnable_config.h"
#include "net/clock.h"
#include "probe/igmp6_membership_index.h"
#include "probe/igmp_membership_index.h"
#include "proc/igmp6_parser.h"
#include "proc/igmp_parser.h"
#include "stats/stall_detector.h"
#include "util/log.h"
#include "version.h"

namespace mcast::exporter {
namespace {

using util::Log;
using util::LogLevel;

// Probes the loop copies into a scrape's view per batch (BuildView): at
// ~2 us a receiver (N=500 on the bench VM, where the copy of all 1000
// probes held the mutex for ~2 ms), a piece delays the loop's next
// packets by tens of microseconds.
constexpr size_t kProbesPerPiece = 16;

double NowUnixSeconds() {
  return static_cast<double>(net::RealtimeNanos()) * 1e-9;
}

probe::IgmpVersionRegistry::Options IgmpOptions(const std::string& state_dir,
                                                proc::GroupProtocol protocol) {
  probe::IgmpVersionRegistry::Options o;
  o.guard.state_dir = state_dir;
  o.guard.protocol = protocol;
  return o;
}

std::string Html(absl::string_view text) {
  return absl::StrReplaceAll(
      text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

// The landing page's table of probes (http_request_filter.h).
std::string ProbesHtml(const MetricsView& v) {
  if (v.senders.empty() && v.receivers.empty()) {
    return "<p>No probes configured.</p>\n";
  }
  std::string out =
      "<h2>Probes</h2>\n<table border=\"1\" cellpadding=\"4\">\n"
      "<tr><th>probe</th><th>kind</th><th>group</th><th>interface</th>"
      "<th>state</th></tr>\n";
  for (const SenderProbeView& s : v.senders) {
    absl::StrAppend(&out, "<tr><td>", Html(s.name), "</td><td>sender</td><td>",
                    Html(s.group), "</td><td>", Html(s.interface), "</td><td>",
                    s.counters.errors > 0 && !s.counters.last_error.empty()
                        ? Html("sending, last error: " + s.counters.last_error)
                        : "sending",
                    "</td></tr>\n");
  }
  for (const ReceiverProbeView& r : v.receivers) {
    absl::StrAppend(&out, "<tr><td>", Html(r.name),
                    "</td><td>receiver</td><td>", Html(r.source), ",",
                    Html(r.group), "</td><td>", Html(r.interface), "</td><td>",
                    stats::FlowStateName(r.snapshot.state),
                    r.joined ? ", joined" : ", not joined", "</td></tr>\n");
  }
  out += "</table>\n";
  return out;
}

}  // namespace

struct Exporter::ViewJob {
  MetricsView view;
  enum class Phase { kReceivers, kSenders, kRest } phase = Phase::kReceivers;
  ChunkedMapCursor<std::string> receivers;
  ChunkedMapCursor<std::string> senders;
  bool done = false;    // Set under jobs_mu_.
  bool failed = false;  // The loop stopped first: BuildView copies itself.
};

Exporter::Exporter(const Options& options, std::unique_ptr<net::EventLoop> loop)
    : options_(options),
      loop_(std::move(loop)),
      igmp_(IgmpOptions(options.state_dir, proc::GroupProtocol::kIgmp)),
      mld_(IgmpOptions(options.state_dir, proc::GroupProtocol::kMld)) {}

absl::StatusOr<std::unique_ptr<Exporter>> Exporter::Create(
    const Options& options, const Config& config,
    std::unique_ptr<WebState> web) {
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create();
  if (!loop.ok()) return loop.status();
  std::unique_ptr<Exporter> e(new Exporter(options, std::move(*loop)));
  Exporter* self = e.get();
  if (web == nullptr) {
    absl::StatusOr<std::unique_ptr<WebState>> plain = WebState::Create("");
    if (!plain.ok()) return plain.status();
    web = *std::move(plain);
  }
  e->web_ = std::move(web);
  e->web_->probes_html = [self] { return ProbesHtml(self->BuildView()); };
  absl::StatusOr<net::ReceiveBuffers> buffers = net::ReceiveBuffers::Create(
      net::ReceiverSocketOptions().batch_size,
      net::ReceiverSocketOptions().max_datagram_size);
  if (!buffers.ok()) return buffers.status();
  e->receive_buffers_ =
      std::make_shared<net::ReceiveBuffers>(*std::move(buffers));
  net::EventLoop& l = *e->loop_;
  l.SetOnWake([self] { self->ServeViewJobs(); });
  probe::SendSchedulerOptions scheduling;
  scheduling.loop = e->loop_.get();
  scheduling.mu = &e->mu_;
  absl::StatusOr<std::unique_ptr<probe::SendScheduler>> scheduler =
      probe::SendScheduler::Create(scheduling);
  if (!scheduler.ok()) return scheduler.status();
  e->scheduler_ = std::move(*scheduler);

  e->querier_ = std::make_unique<net::QuerierListener>(e->loop_.get(), &e->mu_);
  if (absl::Status q = e->querier_->Open(true, true); !q.ok()) {
    Log(LogLevel::kWarning,
        "not watching IGMP/MLD queriers (%s): no mcast_querier_* metrics%s",
        std::string(q.message()),
        e->querier_->listening_v4() || e->querier_->listening_v6()
            ? " for that family"
            : "");
  }

  // Signals first: they must be blocked before civetweb starts its
  // threads, or those threads would take SIGHUP's default action.
  absl::Status s = l.AddSignals({SIGINT, SIGTERM, SIGHUP}, [self](int signo) {
    if (signo == SIGHUP) {
      // Parsed before taking the lock (scrapes keep answering) and in a
      // child process first, so no file can crash the running exporter;
      // one too big for the open-file limit is refused like a bad one.
      absl::StatusOr<Config> loaded =
          LoadRunnableConfig(self->options_.config_path,
                             ListenSocketsFor(self->options_.listen_override),
                             self->options_.mesh_member);
      self->web_->Reload(/*force=*/true);
      absl::MutexLock lock(&self->mu_);
      self->Reload(std::move(loaded));
    } else {
      Log(LogLevel::kInfo, "signal %d: shutting down", signo);
      self->loop_->Stop();
    }
  });
  if (!s.ok()) return s;

  {
    absl::MutexLock lock(&e->mu_);
    absl::StatusOr<std::unique_ptr<netif::LinkWatcher>> watcher =
        netif::LinkWatcher::Create([self](const netif::LinkEvent& event) {
          self->OnLinkEvent(event);  // Runs inside ProcessEvents: locked.
        });
    if (watcher.ok()) {
      e->watcher_ = std::move(*watcher);
      s = l.AddReader(e->watcher_->fd(), [self] {
        absl::MutexLock watcher_lock(&self->mu_);
        absl::Status status = self->watcher_->ProcessEvents();
        if (!status.ok()) {
          Log(LogLevel::kWarning, "link watcher: %s",
              std::string(status.message()));
        }
      });
      if (!s.ok()) return s;
    } else {
      Log(LogLevel::kWarning,
          "no netlink link watching (%s): probes retry every second instead",
          std::string(watcher.status().message()));
    }
    e->ApplyConfig(config);
    e->last_reload_success_ = NowUnixSeconds();
  }

  absl::StatusOr<net::TimerId> t =
      l.AddTimer(absl::Milliseconds(100), net::TimerMode::kPeriodic, [self] {
        absl::MutexLock lock(&self->mu_);
        const int64_t now = net::MonotonicNanos();
        for (auto& [name, r] : self->receivers_) r->Tick(now);
      });
  if (!t.ok()) return t.status();
  t = l.AddTimer(absl::Seconds(1), net::TimerMode::kPeriodic, [self] {
    absl::MutexLock lock(&self->mu_);
    self->Maintain();
  });
  if (!t.ok()) return t.status();
  // The web config's files, looked at once a second (a stat each): a
  // renewed certificate or a new password applies without a signal.
  if (!e->web_->path().empty()) {
    t = l.AddTimer(absl::Seconds(1), net::TimerMode::kPeriodic,
                   [self] { self->web_->Reload(/*force=*/false); });
    if (!t.ok()) return t.status();
  }

  const std::vector<std::string> listen =
      options.listen_override.empty()
          ? std::vector<std::string>{config.exporter.listen}
          : options.listen_override;
  const std::string& path = options.metrics_path_override.empty()
                                ? config.exporter.metrics_path
                                : options.metrics_path_override;
  absl::StatusOr<std::unique_ptr<HttpEndpoint>> http = HttpEndpoint::Start(
      listen, path, [self] { return self->BuildView(); }, e->web_.get());
  if (!http.ok()) return http.status();
  e->http_ = std::move(*http);
  std::vector<int> ports = e->http_->ports();
  Log(LogLevel::kNotice, "mcast-exporter %s serving %s on %s%s (port %d)",
      kVersion, path, absl::StrJoin(listen, ", "),
      e->web_->tls() ? " with TLS" : "", ports.empty() ? -1 : ports.front());
  {
    absl::MutexLock lock(&e->mu_);
    e->Maintain();
  }
  // Config loaded, probes started, server up: /-/ready answers 200.
  e->web_->set_ready(true);
  return e;
}

Exporter::~Exporter() {
  Shutdown();
  http_.reset();
  querier_.reset();  // Before the loop it is registered on.
}

void Exporter::Shutdown() {
  // Scrapes may still come in: they find no probes, which is harmless.
  absl::MutexLock lock(&mu_);
  receivers_.clear();  // Leave the groups before restoring IGMP versions.
  senders_.clear();
  igmp_.RestoreAll();
  mld_.RestoreAll();
}

absl::Status Exporter::Run() {
  {
    absl::MutexLock lock(&jobs_mu_);
    loop_serving_ = true;
  }
  absl::Status status = loop_->Run();
  absl::MutexLock lock(&jobs_mu_);
  loop_serving_ = false;
  // Scrapes still waiting copy their view themselves.
  for (ViewJob* job : jobs_) job->failed = job->done = true;
  jobs_.clear();
  return status;
}

void Exporter::SyncIgmpVersions(const Config& config, bool warn_conflicts) {
  // The family follows the group: IGMP for IPv4 receivers, MLD for IPv6.
  std::vector<probe::IgmpVersionWant> wants, mld_wants;
  for (const ReceiverConfig& r : config.receivers) {
    if (r.group.is_v6()) {
      mld_wants.push_back({r.interface, r.mld_version, r.name});
    } else {
      wants.push_back({r.interface, r.igmp_version, r.name});
    }
  }
  igmp_.Sync(wants, warn_conflicts);
  mld_.Sync(mld_wants, warn_conflicts);
}

void Exporter::ApplyConfig(const Config& config) {
  std::map<std::string, const SenderConfig*> new_senders;
  for (const SenderConfig& s : config.senders) new_senders[s.name] = &s;
  std::map<std::string, const ReceiverConfig*> new_receivers;
  for (const ReceiverConfig& r : config.receivers) new_receivers[r.name] = &r;

  for (auto it = senders_.begin(); it != senders_.end();) {
    auto found = new_senders.find(it->first);
    if (found == new_senders.end() ||
        !(*found->second == it->second->config())) {
      Log(LogLevel::kInfo, "sender %s: stopped", it->first);
      it = senders_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto it = receivers_.begin(); it != receivers_.end();) {
    auto found = new_receivers.find(it->first);
    if (found != new_receivers.end() &&
        SameFlowButMeshPeers(*found->second, it->second->config())) {
      // A mesh member added or removed: an ASM receiver keeps running with
      // its counters; only its member table changes.
      if (!(found->second->mesh.peers == it->second->config().mesh.peers)) {
        Log(LogLevel::kInfo, "receiver %s: %d mesh peers", it->first,
            static_cast<int>(found->second->mesh.peers.size()));
        it->second->SetMeshPeers(found->second->mesh.peers);
      }
      ++it;
    } else {
      Log(LogLevel::kInfo, "receiver %s: stopped", it->first);
      it = receivers_.erase(it);
    }
  }
  for (const SenderConfig& s : config.senders) {
    if (senders_.count(s.name)) continue;
    auto probe =
        std::make_unique<SenderProbe>(s, loop_.get(), &mu_, scheduler_.get());
    absl::Status st = probe->Start();
    if (!st.ok()) {
      Log(LogLevel::kError, "sender %s: %s", s.name, std::string(st.message()));
      continue;
    }
    Log(LogLevel::kInfo, "sender %s: %s:%d at %s, TTL %d", s.name,
        s.group.ToString(), s.port, s.rate, s.ttl);
    senders_.emplace(s.name, std::move(probe));
  }
  // Before the joins, so that their reports use the forced version.
  SyncIgmpVersions(config, /*warn_conflicts=*/true);
  for (const ReceiverConfig& r : config.receivers) {
    if (receivers_.count(r.name)) continue;
    auto probe =
        std::make_unique<ReceiverProbe>(r, loop_.get(), &mu_, receive_buffers_);
    probe->TryOpen();
    receivers_.emplace(r.name, std::move(probe));
  }
  config_ = config;
}

void Exporter::Reload(absl::StatusOr<Config> config) {
  if (!config.ok()) {
    last_reload_ok_ = false;
    Log(LogLevel::kError, "reload of %s failed, keeping the running config:",
        options_.config_path);
    for (absl::string_view line :
         absl::StrSplit(config.status().message(), '\n')) {
      Log(LogLevel::kError, "  %s", std::string(line));
    }
    return;
  }
  if (!(config->exporter == config_.exporter)) {
    Log(LogLevel::kWarning,
        "[exporter] changes (listen, listen_addresses, metrics_path, "
        "telemetry_path, web_config_file) take effect on restart");
    config->exporter = config_.exporter;
  }
  ApplyConfig(*config);
  last_reload_ok_ = true;
  last_reload_success_ = NowUnixSeconds();
  Log(LogLevel::kInfo, "reloaded %s: %d senders, %d receivers",
      options_.config_path, static_cast<int>(senders_.size()),
      static_cast<int>(receivers_.size()));
}

void Exporter::OnLinkEvent(const netif::LinkEvent& event) {
  using Kind = netif::LinkEvent::Kind;
  const std::string& name = event.interface.name;
  switch (event.kind) {
    case Kind::kRemoved:
      Log(LogLevel::kWarning, "interface %s (index %d) removed", name,
          event.interface.index);
      for (auto& [n, r] : receivers_) {
        if (r->interface_name() == name) r->Close();
      }
      SyncIgmpVersions(config_, /*warn_conflicts=*/false);
      break;
    case Kind::kDown:
      Log(LogLevel::kWarning, "interface %s down", name);
      break;
    case Kind::kAdded:
    case Kind::kUp:
      Log(LogLevel::kInfo, "interface %s (index %d) %s", name,
          event.interface.index, event.kind == Kind::kAdded ? "added" : "up");
      // A re-created device (new index) is forced again before the join.
      SyncIgmpVersions(config_, /*warn_conflicts=*/false);
      // A new index or a link that was down: join and bind afresh. A device
      // added down (a re-created veth before `ip link set up`) is joined at
      // its kUp only: joined at both, it would join twice once it came up,
      // and time two joins if packets passed in between.
      for (auto& [n, r] : receivers_) {
        if (event.interface.passes_packets() &&
            (r->interface_name() == name || r->config().interface == name)) {
          r->TryOpen(/*force=*/true);
        }
      }
      for (auto& [n, s] : senders_) {
        if (s->interface_name() == name || s->config().interface == name) {
          s->ReopenSocket();
        }
      }
      break;
    case Kind::kAddressAdded:
    case Kind::kAddressRemoved:
      break;
  }
}

bool Exporter::KnownNotPassing(const std::string& name) const {
  if (!watcher_ || name.empty()) return false;
  for (const netif::Interface& i : watcher_->interfaces()) {
    if (i.name == name) return !i.passes_packets();
  }
  return false;  // Unknown: the join says why it fails.
}

void Exporter::Maintain() {
  // Also catches what the link watcher missed (or runs without it), and an
  // interface that did not exist yet at start.
  SyncIgmpVersions(config_, /*warn_conflicts=*/false);
  for (auto& [n, s] : senders_) {
    if (!s->has_socket()) s->ReopenSocket();
  }
  for (auto& [n, r] : receivers_) {
    // Its kUp joins it (see OnLinkEvent).
    if (!KnownNotPassing(r->config().interface)) r->TryOpen();
  }
  const int64_t now = net::MonotonicNanos();
  for (auto& [n, r] : receivers_) r->MaybeRejoin(now);
  // IPv6 receivers' joins; a kernel without IPv6 has no file and no such
  // receivers can join there anyway.
  if (absl::StatusOr<std::vector<proc::Igmp6Entry>> igmp6 = proc::ReadIgmp6();
      igmp6.ok()) {
    const probe::Igmp6MembershipIndex index6(*igmp6);
    for (auto& [n, r] : receivers_) r->UpdateMembership6(index6);
  }
  absl::StatusOr<std::vector<proc::IgmpInterface>> igmp = proc::ReadIgmp();
  if (!igmp.ok()) {
    Log(LogLevel::kWarning, "%s", std::string(igmp.status().message()));
    return;
  }
  const probe::IgmpMembershipIndex index(*igmp);
  for (auto& [n, r] : receivers_) r->UpdateMembership(index);
}

void Exporter::AddQueriers(MetricsView& v, int64_t now) {
  // One entry per interface and protocol in use, with the highest version
  // its receivers are configured for.
  std::map<std::pair<int, bool>, std::pair<std::string, int>> used;
  for (const auto& [n, r] : receivers_) {
    const int index = r->interface_index();
    if (index == 0) continue;
    const bool v6 = r->config().group.is_v6();
    if (v6 ? !querier_->listening_v6() : !querier_->listening_v4()) continue;
    auto& [name, expected] = used[{index, v6}];
    name = r->interface_name();
    expected = std::max(
        expected, v6 ? r->config().mld_version : r->config().igmp_version);
  }
  for (const auto& [key, value] : used) {
    const auto& [index, v6] = key;
    const net::QuerierView q = querier_->table().View(
        index, v6 ? net::QueryProtocol::kMld : net::QueryProtocol::kIgmp, now);
    QuerierProbeView p;
    p.interface = value.first;
    p.protocol = v6 ? "mld" : "igmp";
    p.expected_version = value.second;
    p.up = q.presence == net::QuerierPresence::kPresent ? 1
           : q.presence == net::QuerierPresence::kNone  ? 0
                                                        : -1;
    if (q.last) {
      p.seen = true;
      p.address = q.last->address.ToString();
      p.version = q.last->version;
      p.last_query_timestamp_seconds =
          static_cast<double>(q.last->last_general_real_ns) * 1e-9;
      p.queries = q.last->queries;
    }
    v.queriers.push_back(std::move(p));
  }
}

MetricsView Exporter::BuildView() {
  {
    ViewJob job;
    absl::MutexLock lock(&jobs_mu_);
    if (loop_serving_) {
      jobs_.push_back(&job);
      loop_->Wake();
      jobs_mu_.Await(absl::Condition(&job.done));
      if (!job.failed) return std::move(job.view);
    }
  }
  // No loop to do it (before Run(), after it returned): all at once.
  ViewJob job;
  absl::MutexLock lock(&mu_);
  while (!StepView(job, SIZE_MAX)) {
  }
  return std::move(job.view);
}

void Exporter::ServeViewJobs() {
  ViewJob* job;
  {
    absl::MutexLock lock(&jobs_mu_);
    if (jobs_.empty()) return;  // Stop() wakes too.
    // Stays valid: its scrape waits until this thread sets done.
    job = jobs_.front();
  }
  bool complete;
  {
    absl::MutexLock lock(&mu_);
    complete = StepView(*job, kProbesPerPiece);
  }
  absl::MutexLock lock(&jobs_mu_);
  if (complete) {
    jobs_.pop_front();
    job->done = true;
  }
  // The next piece after the events that are ready meanwhile.
  if (!jobs_.empty()) loop_->Wake();
}

bool Exporter::StepView(ViewJob& job, size_t probes) {
  MetricsView& v = job.view;
  switch (job.phase) {
    case ViewJob::Phase::kReceivers:
      if (v.receivers.empty()) v.receivers.reserve(receivers_.size());
      // Each receiver's view at its own instant: a piece may come later.
      if (job.receivers.Step(
              receivers_, probes,
              [&](const std::string&, const std::unique_ptr<ReceiverProbe>& r) {
                v.receivers.push_back(r->View(net::MonotonicNanos()));
              })) {
        job.phase = ViewJob::Phase::kSenders;
      }
      return false;
    case ViewJob::Phase::kSenders:
      if (v.senders.empty()) v.senders.reserve(senders_.size());
      if (job.senders.Step(
              senders_, probes,
              [&](const std::string&, const std::unique_ptr<SenderProbe>& s) {
                v.senders.push_back(s->View());
              })) {
        job.phase = ViewJob::Phase::kRest;
      }
      return false;
    case ViewJob::Phase::kRest:
      break;
  }
  v.version = kVersion;
  v.last_reload_successful = last_reload_ok_;
  v.last_reload_success_timestamp_seconds = last_reload_success_;
  v.web_config_last_reload_successful =
      web_ == nullptr || web_->last_reload_ok();
  for (const MeshConfig& m : config_.meshes) {
    const MeshMemberConfig& self = m.members[m.self];
    v.meshes.push_back(
        {m.name, m.members.size(), self.name, self.address.ToString()});
  }
  AddQueriers(v, net::MonotonicNanos());
  if (watcher_) {
    std::set<std::string> interfaces;
    for (const ReceiverProbeView& r : v.receivers) {
      if (!r.interface.empty()) interfaces.insert(r.interface);
    }
    for (const SenderProbeView& s : v.senders) {
      if (!s.interface.empty()) interfaces.insert(s.interface);
    }
    for (const std::string& name : interfaces) {
      bool up = false;
      for (const netif::Interface& i : watcher_->interfaces()) {
        if (i.name == name) up = i.passes_packets();
      }
      v.interfaces.emplace_back(name, up);
    }
  }
  return true;
}

}  // namespace mcast::exporter
