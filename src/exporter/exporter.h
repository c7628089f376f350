#ifndef MCAST_EXPORTER_EXPORTER_H_
#define MCAST_EXPORTER_EXPORTER_H_

// mcast-exporter's runtime: one event loop (epoll + timerfd) drives every
// sender and receiver probe, the netlink link watcher and the periodic
// checks; civetweb's HTTP threads only copy a snapshot under a short lock at
// scrape time, then render it without the lock (metrics_http_handler.h).
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

  // Runs until SIGINT/SIGTERM (or Stop()).
  absl::Status Run();
  // Leaves every group and restores the IGMP versions it forced; the
  // destructor does it too. Separate so a caller can finish the duties
  // that matter before the slow HTTP server teardown (civetweb's stop
  // waits out its poll interval, about 2 s).
  void Shutdown();
  void Stop() { loop_->Stop(); }
  std::vector<int> listening_ports() const { return http_->ports(); }

  // The scrape-time copy of everything /metrics shows.
  MetricsView BuildView();

 private:
  Exporter(const Options& options, std::unique_ptr<net::EventLoop> loop);
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
