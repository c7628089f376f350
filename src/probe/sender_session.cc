#include "probe/sender_session.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "net/clock.h"
#include "probe/optional_lock.h"

namespace mcast::probe {

net::SenderSocketOptions SenderSocketOptionsFor(const SenderSpec& spec) {
  net::SenderSocketOptions o;
  o.group = spec.group;
  o.port = spec.port;
  o.ttl = spec.ttl;
  o.dscp = spec.dscp;
  o.interface = spec.interface;
  o.source = spec.source;
  o.loopback = spec.loopback;
  return o;
}

ProbeSenderOptions ProbeSenderOptionsFor(const SenderSpec& spec) {
  ProbeSenderOptions o;
  o.packets_per_second = spec.packets_per_second;
  o.datagram_size = static_cast<size_t>(spec.size);
  o.ttl = static_cast<uint8_t>(spec.ttl);
  o.dscp = static_cast<uint8_t>(spec.dscp);
  o.realtime_clock = spec.clock == SenderClock::kRealtime;
  if (spec.duration_seconds > 0) {
    o.count =
        PacketsForDuration(spec.duration_seconds, spec.packets_per_second);
  }
  return o;
}

absl::StatusOr<int> SenderSession::SocketSink::SendBatch(
    absl::Span<const absl::Span<const uint8_t>> datagrams) {
  if (!owner_->socket_) {
    return absl::UnavailableError(owner_->socket_error_.empty()
                                      ? std::string("no socket")
                                      : owner_->socket_error_);
  }
  return owner_->socket_->SendBatch(datagrams);
}

SenderSession::SenderSession(const SenderSpec& spec,
                             SenderSessionOptions options)
    : spec_(spec), options_(std::move(options)), sink_(this) {}

SenderSession::~SenderSession() {
  if (timer_) (void)options_.loop->CancelTimer(*timer_);
  if (flow_) options_.scheduler->Remove(*flow_);
}

absl::Status SenderSession::OpenSocket() {
  socket_.reset();
  if (scheduled()) {
    route_.reset();
    absl::StatusOr<net::SendRoute> route =
        net::SendRoute::Open(SenderSocketOptionsFor(spec_));
    if (!route.ok()) {
      socket_error_ = std::string(route.status().message());
    } else {
      socket_error_.clear();
      route_.emplace(std::move(*route));
    }
    if (flow_) {
      options_.scheduler->SetRoute(*flow_, route_ ? &*route_ : nullptr,
                                   socket_error_);
    }
    return route.status();
  }
  absl::StatusOr<net::SenderSocket> socket =
      net::SenderSocket::Open(SenderSocketOptionsFor(spec_));
  if (!socket.ok()) {
    socket_error_ = std::string(socket.status().message());
    return socket.status();
  }
  socket_error_.clear();
  socket_.emplace(std::move(*socket));
  return absl::OkStatus();
}

void SenderSession::ReopenSocket() {
  const std::string before = socket_error_;
  if (!OpenSocket().ok()) {
    if (socket_error_ != before) {
      LogTo(options_.log, util::LogLevel::kWarning,
            absl::StrCat(socket_error_, " (retrying)"));
    }
    return;
  }
  if (!before.empty()) {
    LogTo(options_.log, util::LogLevel::kInfo,
          absl::StrCat("sending again via ", open_interface_name()));
  }
}

absl::Status SenderSession::Start() {
  if (sender_) return absl::FailedPreconditionError("already started");
  if (scheduled() && spec_.duration_seconds > 0) {
    return absl::FailedPreconditionError(
        "a scheduled sender runs forever: no duration");
  }
  start_ns_ = net::MonotonicNanos();
  if (scheduled()) {
    sender_.emplace(ProbeSenderOptionsFor(spec_), &sink_, start_ns_);
    flow_ = options_.scheduler->Add(
        &*sender_, route_ ? &*route_ : nullptr,
        socket_error_.empty() ? std::string("no socket") : socket_error_);
    return absl::OkStatus();
  }
  DatagramSink* sink = options_.sink_override ? options_.sink_override : &sink_;
  sender_.emplace(ProbeSenderOptionsFor(spec_), sink, start_ns_);
  absl::StatusOr<net::TimerId> timer = options_.loop->AddAbsoluteTimer([this] {
    OptionalLock lock(options_.mu);
    OnTimer();
  });
  if (!timer.ok()) return timer.status();
  timer_ = *timer;
  return options_.loop->ArmAt(*timer_, sender_->pacer().NextDeadline());
}

void SenderSession::OnTimer() {
  if (last_sent_) {
    finished_ = true;
    if (options_.on_finished) options_.on_finished();
    return;
  }
  std::optional<int64_t> next = sender_->SendDue(net::MonotonicNanos());
  if (!next) {
    // The last packet opens the run's last interval: stay until it ends,
    // so N packets take N intervals (the requested duration) and
    // achieved_pps is not N / (N - 1) times the target (+0.2 % for 25 pps
    // over 20 s).
    last_sent_ = true;
    (void)options_.loop->ArmAt(
        *timer_, sender_->pacer().Deadline(sender_->pacer().sent()));
    return;
  }
  (void)options_.loop->ArmAt(*timer_, *next);
}

const std::string& SenderSession::open_interface_name() const {
  static const std::string kNone;
  if (socket_) return socket_->interface_name();
  return route_ ? route_->interface_name() : kNone;
}

std::string SenderSession::interface_name() const {
  if (!spec_.interface.empty()) return spec_.interface;
  return open_interface_name();
}

const SenderCounters& SenderSession::counters() const {
  static const SenderCounters kNone;
  return sender_ ? sender_->counters() : kNone;
}

}  // namespace mcast::probe
