#ifndef MCAST_EXPORTER_SENDER_PROBE_H_
#define MCAST_EXPORTER_SENDER_PROBE_H_

// One persistent [[sender]] of the exporter: a paced probe stream driven by
// an absolute timer on the shared event loop. The socket is replaceable
// (an interface that disappears and comes back with a new index gets a new
// socket) while the stream, its sender id and its counters carry on.

#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "exporter/config.h"
#include "exporter/metrics_view.h"
#include "net/event_loop.h"
#include "net/sender_socket.h"
#include "probe/probe_sender.h"

namespace mcast::exporter {

class SenderProbe {
 public:
  // Callbacks registered on `loop` lock `mu`, which guards the probe.
  SenderProbe(const SenderConfig& config, net::EventLoop* loop,
              absl::Mutex* mu);
  ~SenderProbe();
  SenderProbe(const SenderProbe&) = delete;
  SenderProbe& operator=(const SenderProbe&) = delete;

  // Opens the socket (a failure is logged and retried later) and starts
  // the pacing timer.
  absl::Status Start();
  // Opens a fresh socket, e.g. after the interface came back.
  void ReopenSocket();
  bool has_socket() const { return socket_.has_value(); }
  // The configured interface, or the one routing chose for the socket.
  std::string interface_name() const;

  const SenderConfig& config() const { return config_; }
  SenderProbeView View() const;

 private:
  class Sink : public probe::DatagramSink {
   public:
    explicit Sink(SenderProbe* owner) : owner_(owner) {}
    absl::StatusOr<int> SendBatch(
        absl::Span<const absl::Span<const uint8_t>> datagrams) override;

   private:
    SenderProbe* owner_;
  };

  void OnTimer();

  SenderConfig config_;
  net::EventLoop* loop_;
  absl::Mutex* mu_;
  std::optional<net::SenderSocket> socket_;
  std::string socket_error_;
  Sink sink_;
  probe::ProbeSender sender_;
  std::optional<net::TimerId> timer_;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_SENDER_PROBE_H_
