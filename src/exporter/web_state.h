#ifndef MCAST_EXPORTER_WEB_STATE_H_
#define MCAST_EXPORTER_WEB_STATE_H_

// The HTTP server's live settings: the web config (--web.config.file, see
// web_config.h) with its TLS material, basic-auth users and headers, plus
// readiness and the landing page's probe list. civetweb's threads read it
// per request; the exporter's loop reloads it on SIGHUP and when one of
// its files changes (checked every second). A file that does not load
// keeps the running settings, says why in the log, and shows as
// mcast_exporter_web_config_last_reload_successful 0.
//
// Turning TLS on or off needs a restart (the listening sockets are either
// TLS or not); certificates, keys, CAs, client_auth_type, TLS versions,
// users and headers change on reload, for the next connection.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "exporter/basic_auth.h"
#include "exporter/tls_material.h"
#include "exporter/web_config.h"

namespace mcast::exporter {

class WebState {
 public:
  // `path` empty: plain HTTP, no auth, no extra headers (and no reloads).
  // Errors name the file and line; the caller exits with EX_CONFIG.
  static absl::StatusOr<std::unique_ptr<WebState>> Create(
      const std::string& path);

  bool tls() const { return tls_; }
  const std::string& path() const { return path_; }
  std::shared_ptr<const WebConfig> config() const;
  TlsSwitch& tls_switch() { return tls_switch_; }
  BasicAuth& auth() { return auth_; }

  // Re-reads the file when `force` or when it or a file it names changed
  // since the last look. Logs the outcome; false when it failed.
  bool Reload(bool force);
  bool last_reload_ok() const { return last_reload_ok_.load(); }

  void set_ready(bool ready) { ready_.store(ready); }
  bool ready() const { return ready_.load(); }
  // HTML for the landing page's probe list (set before serving).
  std::function<std::string()> probes_html;

 private:
  WebState() = default;
  absl::Status Load(bool at_start);
  std::vector<std::string> Stamps(const WebConfig* config) const;

  std::string path_;
  bool tls_ = false;
  TlsSwitch tls_switch_;
  BasicAuth auth_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const WebConfig> config_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> stamps_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> last_reload_ok_{true};
  std::atomic<bool> ready_{false};
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_WEB_STATE_H_
