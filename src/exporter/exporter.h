#ifndef MCAST_EXPORTER_EXPORTER_H_
#define MCAST_EXPORTER_EXPORTER_H_

// mcast-exporter's runtime: one event loop (epoll + timerfd) drives every
// sender and receiver probe, the netlink link watcher and the periodic
// checks. A scrape's snapshot of the probes is copied by the loop thread
// itself, a few probes per batch between its packets (BuildView), so the
// senders never wait for a whole copy; civetweb's HTTP threads then render
// it without any lock (metrics_http_handler.h).
//
// SIGHUP reloads the config file: unchanged probes keep their counters,
// removed ones disappear, added ones start; an invalid file is rejected and
// the old config keeps running (mcast_exporter_config_last_reload_successful
// goes to 0). SIGINT/SIGTERM stop it: receivers leave their groups and the
// IGMP versions it forced are restored.
//
// IGMP versions: each interface named by a receiver is forced to the first
// such receiver's igmp_version (IPv6 receivers: mld_version, through
// force_mld_version, the same way) through net::IgmpVersionGuard, recorded in
// the state directory so that a restart after a SIGKILL restores the
// admin's value. The guards follow the devices: when an interface is
// deleted its guard is dropped without writing anything (its saved value
// went with the device), and when a device of that name appears again (a
// new index) it is forced afresh, recording its own original.

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "exporter/config.h"
#include "exporter/http_endpoint.h"
#include "exporter/metrics_view.h"
#include "exporter/receiver_probe.h"
#include "exporter/sender_probe.h"
#include "exporter/web_state.h"
#include "net/event_loop.h"
#include "net/igmp_version_guard.h"
#include "net/querier_listener.h"
#include "netif/link_watcher.h"
#include "probe/igmp_version_registry.h"
#include "probe/send_scheduler.h"

namespace mcast::exporter {

class Exporter {
 public:
  struct Options {
    std::string config_path;
    // Empty: the config's [exporter] listen (--web.listen-address).
    std::vector<std::string> listen_override;
    // Empty: the config's [exporter] metrics_path (--web.telemetry-path).
    std::string metrics_path_override;
    // Where IGMP state records live (net::IgmpVersionGuard); empty: none.
    std::string state_dir = net::DefaultIgmpStateDir();
    // --mesh-member: this host's member of every [[mesh]] (empty: by its
    // addresses), on every reload too.
    std::string mesh_member;
  };

  // `web` holds the loaded --web.config.file (null: plain HTTP); it is
  // re-read with the config on SIGHUP and whenever its files change.
  static absl::StatusOr<std::unique_ptr<Exporter>> Create(
      const Options& options, const Config& config,
      std::unique_ptr<WebState> web = nullptr);
  ~Exporter();

  // Runs until SIGINT/SIGTERM (or Stop()). Call it on the thread that
  // called Create().
  absl::Status Run();
  // Leaves every group and restores the IGMP versions it forced; the
  // destructor does it too. Separate so a caller can finish the duties
  // that matter before the slow HTTP server teardown (civetweb's stop
  // waits out its poll interval, about 2 s).
  void Shutdown();
  void Stop() { loop_->Stop(); }
  std::vector<int> listening_ports() const { return http_->ports(); }

  // The scrape-time copy of everything /metrics shows; any thread but the
  // loop's. While Run() runs, the loop copies it a few probes per batch
  // (kProbesPerPiece in exporter.cc) and this waits for it: the loop never
  // waits for a scrape, and each probe's view is from one instant (a
  // SIGHUP reload may land between two pieces). Otherwise it is copied
  // here, under the mutex.
  MetricsView BuildView();

 private:
  struct ViewJob;

  Exporter(const Options& options, std::unique_ptr<net::EventLoop> loop);
  // On the loop thread, at each loop Wake(): the next piece of the first
  // queued ViewJob; wakes the loop again while jobs remain.
  void ServeViewJobs() ABSL_LOCKS_EXCLUDED(mu_, jobs_mu_);
  // Copies up to `probes` more probes into `job` (or, past the last probe,
  // the rest of the view). True when the view is complete.
  bool StepView(ViewJob& job, size_t probes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ApplyConfig(const Config& config) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Applies a loaded config, or logs why it was not loaded.
  void Reload(absl::StatusOr<Config> config) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnLinkEvent(const netif::LinkEvent& event)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Maintain() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The link watcher lists an interface NAME that cannot pass packets
  // (down, or no carrier); false without a watcher or for an unknown name.
  bool KnownNotPassing(const std::string& name) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void AddQueriers(MetricsView& v, int64_t now_mono_ns)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Makes the IGMP versions forced match what `config`'s receivers want
  // on the devices present now (probe::IgmpVersionRegistry::Sync).
  void SyncIgmpVersions(const Config& config, bool warn_conflicts)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Options options_;
  absl::Mutex mu_;
  std::unique_ptr<net::EventLoop> loop_;
  // Scrapes waiting for the loop to copy their view (BuildView). Never
  // held together with mu_.
  absl::Mutex jobs_mu_;
  std::deque<ViewJob*> jobs_ ABSL_GUARDED_BY(jobs_mu_);
  bool loop_serving_ ABSL_GUARDED_BY(jobs_mu_) = false;  // Inside Run().
  // One receive batch for every receiver: the loop thread drains one
  // socket at a time (net/receive_buffers.h).
  std::shared_ptr<net::ReceiveBuffers> receive_buffers_;
  std::unique_ptr<netif::LinkWatcher> watcher_ ABSL_GUARDED_BY(mu_);
  // Paces every sender on one timer and sends through shared sockets;
  // declared before senders_, so it outlives them.
  std::unique_ptr<probe::SendScheduler> scheduler_;
  Config config_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::unique_ptr<SenderProbe>> senders_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::unique_ptr<ReceiverProbe>> receivers_
      ABSL_GUARDED_BY(mu_);
  // The force_igmp_version of every interface an IPv4 receiver names...
  probe::IgmpVersionRegistry igmp_ ABSL_GUARDED_BY(mu_);
  // ...and the force_mld_version of those IPv6 receivers name.
  probe::IgmpVersionRegistry mld_ ABSL_GUARDED_BY(mu_);
  bool last_reload_ok_ ABSL_GUARDED_BY(mu_) = true;
  double last_reload_success_ ABSL_GUARDED_BY(mu_) = 0;
  // IGMP/MLD queries on every interface, one raw socket per family; null
  // sockets without CAP_NET_RAW (said once at start).
  std::unique_ptr<net::QuerierListener> querier_;
  // Before http_: the server's threads read it until it is gone.
  std::unique_ptr<WebState> web_;
  std::unique_ptr<HttpEndpoint> http_;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_EXPORTER_H_
