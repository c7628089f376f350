#ifndef MCAST_EXPORTER_RECEIVER_PROBE_H_
#define MCAST_EXPORTER_RECEIVER_PROBE_H_

// One persistent [[receiver]] of the exporter: a joined socket on the shared
// event loop feeding a statistics engine. When its interface disappears the
// socket goes and the flow stalls; when it comes back (maybe with a new
// index) the probe re-joins. The statistics survive all of it.

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "exporter/config.h"
#include "exporter/metrics_view.h"
#include "net/event_loop.h"
#include "probe/probe_receiver.h"
#include "proc/igmp_parser.h"

namespace mcast::exporter {

class ReceiverProbe {
 public:
  // The reader registered on `loop` locks `mu`, which guards the probe.
  ReceiverProbe(const ReceiverConfig& config, net::EventLoop* loop,
                absl::Mutex* mu);
  ~ReceiverProbe();
  ReceiverProbe(const ReceiverProbe&) = delete;
  ReceiverProbe& operator=(const ReceiverProbe&) = delete;

  // Opens and joins if there is no socket yet (or `force`); failures are
  // logged once and retried on the next call.
  void TryOpen(bool force = false);
  void Close();
  void Tick(int64_t mono_ns) { receiver_.Tick(mono_ns); }
  // Membership and IGMP version in effect, from /proc/net/igmp.
  void UpdateMembership(const std::vector<proc::IgmpInterface>& igmp);

  // The configured interface, or the one the join went out on.
  std::string interface_name() const;
  const ReceiverConfig& config() const { return config_; }
  ReceiverProbeView View(int64_t now_mono_ns) const;

 private:
  ReceiverConfig config_;
  net::EventLoop* loop_;
  absl::Mutex* mu_;
  probe::ProbeReceiver receiver_;
  int registered_fd_ = -1;
  std::string open_error_;
  bool joined_ = false;
  int igmp_version_ = 0;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_RECEIVER_PROBE_H_
