#ifndef MCAST_PROBE_SENDER_SESSION_H_
#define MCAST_PROBE_SENDER_SESSION_H_

// A SenderSpec running: the multicast socket, the paced ProbeSender and its
// pacing timer on a shared event loop. mcast-send runs one until its
// duration is over; the exporter runs one per [[sender]] for months.
//
// The socket is replaceable (ReopenSocket, e.g. when an interface comes
// back with a new index) while the stream, its sender id and its counters
// carry on; without a socket every due packet counts as a send error with
// the last open error as its text, so the pacing (and the receivers' view
// of the stream) stays honest.
//
// With a SendScheduler (the exporter) the session has no socket and no
// timer of its own: "opening the socket" resolves a net::SendRoute (the
// interface index and source address, checked as SenderSocket::Open checks
// them) and the scheduler paces the sender and sends through its shared
// sockets, IPv4 and IPv6 alike. mcast-send runs without one: its own
// socket and timer.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "net/event_loop.h"
#include "net/send_route.h"
#include "net/sender_socket.h"
#include "probe/datagram_sink.h"
#include "probe/probe_sender.h"
#include "probe/send_scheduler.h"
#include "probe/sender_spec.h"
#include "probe/session_log.h"

namespace mcast::probe {

// The option mappings of a spec, written once for every front end.
net::SenderSocketOptions SenderSocketOptionsFor(const SenderSpec& spec);
// A finite spec (duration_seconds > 0) becomes a packet count.
ProbeSenderOptions ProbeSenderOptionsFor(const SenderSpec& spec);

struct SenderSessionOptions {
  net::EventLoop* loop = nullptr;
  // Locked around the session's loop callbacks when set: the front end's
  // mutex guarding the session against other threads (exporter scrapes).
  absl::Mutex* mu = nullptr;
  SessionLog log;  // Null: util::Log.
  // Called (under `mu`) once a finite run is over: its last interval ended.
  std::function<void()> on_finished;
  // Where datagrams go instead of the socket: tests.
  DatagramSink* sink_override = nullptr;
  // Paces and sends for an IPv4 session (see above); runs forever only
  // (Start() refuses a finite spec).
  SendScheduler* scheduler = nullptr;
};

class SenderSession {
 public:
  SenderSession(const SenderSpec& spec, SenderSessionOptions options);
  ~SenderSession();
  SenderSession(const SenderSession&) = delete;
  SenderSession& operator=(const SenderSession&) = delete;

  // (Re)opens the socket; on failure there is none until the next call and
  // sends fail with this error's text.
  absl::Status OpenSocket();
  // OpenSocket for long-running front ends: a new error is logged once
  // ("... (retrying)"), and sending again after one is logged too.
  void ReopenSocket();
  bool has_socket() const { return socket_.has_value() || route_.has_value(); }

  // Starts the stream now: packet 0 is due at once. Once only.
  absl::Status Start();
  // A finite run sent its last packet and its last interval ended.
  bool finished() const { return finished_; }

  // The spec's interface, or the one routing chose for the socket.
  std::string interface_name() const;
  const SenderSpec& spec() const { return spec_; }
  // Only after Start().
  const ProbeSender& sender() const { return *sender_; }
  // Zero before Start().
  const SenderCounters& counters() const;
  // Monotonic start of the stream; 0 before Start().
  int64_t start_ns() const { return start_ns_; }

 private:
  class SocketSink : public DatagramSink {
   public:
    explicit SocketSink(SenderSession* owner) : owner_(owner) {}
    absl::StatusOr<int> SendBatch(
        absl::Span<const absl::Span<const uint8_t>> datagrams) override;

   private:
    SenderSession* owner_;
  };

  void OnTimer();
  // Paced and sent by options_.scheduler (see above).
  bool scheduled() const { return options_.scheduler != nullptr; }
  const std::string& open_interface_name() const;

  SenderSpec spec_;
  SenderSessionOptions options_;
  std::optional<net::SenderSocket> socket_;
  std::optional<net::SendRoute> route_;  // With a scheduler, instead.
  std::optional<SendScheduler::FlowId> flow_;
  std::string socket_error_;
  SocketSink sink_;
  std::optional<ProbeSender> sender_;
  std::optional<net::TimerId> timer_;
  int64_t start_ns_ = 0;
  // The last packet left; the timer fires once more at the end of its
  // interval.
  bool last_sent_ = false;
  bool finished_ = false;
};

}  // namespace mcast::probe

#endif  // MCAST_PROBE_SENDER_SESSION_H_
