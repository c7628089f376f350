#ifndef MCAST_EXPORTER_SENDER_PROBE_H_
#define MCAST_EXPORTER_SENDER_PROBE_H_

// One persistent [[sender]] of the exporter: its name and config (what a
// reload compares), a probe::SenderSession that runs forever, paced by the
// exporter's probe::SendScheduler and sent through its shared sockets, and
// the metrics view of it.

#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "exporter/config.h"
#include "exporter/metrics_view.h"
#include "net/event_loop.h"
#include "probe/sender_session.h"

namespace mcast::exporter {

class SenderProbe {
 public:
  // Callbacks registered on `loop` lock `mu`, which guards the probe; the
  // scheduler's too.
  SenderProbe(const SenderConfig& config, net::EventLoop* loop, absl::Mutex* mu,
              probe::SendScheduler* scheduler);
  SenderProbe(const SenderProbe&) = delete;
  SenderProbe& operator=(const SenderProbe&) = delete;

  // Resolves the route (interface index, source; a failure is logged and
  // retried later) and starts pacing.
  absl::Status Start();
  // Resolves the route afresh, e.g. after the interface came back.
  void ReopenSocket() { session_.ReopenSocket(); }
  bool has_socket() const { return session_.has_socket(); }
  // The configured interface, or the one routing chose for the socket.
  std::string interface_name() const { return session_.interface_name(); }

  const SenderConfig& config() const { return config_; }
  SenderProbeView View() const;

 private:
  SenderConfig config_;
  probe::SenderSession session_;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_SENDER_PROBE_H_
