#include "exporter/sender_probe.h"

#include "absl/status/status.h"
#include "net/clock.h"
#include "util/log.h"

namespace mcast::exporter {
namespace {

probe::ProbeSenderOptions SenderOptions(const SenderConfig& c) {
  probe::ProbeSenderOptions o;
  o.packets_per_second = c.packets_per_second;
  o.datagram_size = static_cast<size_t>(c.size);
  o.ttl = static_cast<uint8_t>(c.ttl);
  o.dscp = static_cast<uint8_t>(c.dscp);
  o.realtime_clock = c.clock == SenderClock::kRealtime;
  return o;
}

}  // namespace

absl::StatusOr<int> SenderProbe::Sink::SendBatch(
    absl::Span<const absl::Span<const uint8_t>> datagrams) {
  if (!owner_->socket_) {
    return absl::UnavailableError(owner_->socket_error_.empty()
                                      ? std::string("no socket")
                                      : owner_->socket_error_);
  }
  return owner_->socket_->SendBatch(datagrams);
}

SenderProbe::SenderProbe(const SenderConfig& config, net::EventLoop* loop,
                         absl::Mutex* mu)
    : config_(config),
      loop_(loop),
      mu_(mu),
      sink_(this),
      sender_(SenderOptions(config), &sink_, net::MonotonicNanos()) {}

SenderProbe::~SenderProbe() {
  if (timer_) (void)loop_->CancelTimer(*timer_);
}

void SenderProbe::ReopenSocket() {
  net::SenderSocketOptions o;
  o.group = config_.group;
  o.port = config_.port;
  o.ttl = config_.ttl;
  o.dscp = config_.dscp;
  o.interface = config_.interface;
  o.source = config_.source;
  o.loopback = config_.loopback;
  socket_.reset();
  absl::StatusOr<net::SenderSocket> socket = net::SenderSocket::Open(o);
  if (!socket.ok()) {
    std::string error(socket.status().message());
    if (error != socket_error_) {
      util::Log(util::LogLevel::kWarning, "sender %s: %s (retrying)",
                config_.name, error);
    }
    socket_error_ = error;
    return;
  }
  if (!socket_error_.empty()) {
    util::Log(util::LogLevel::kInfo, "sender %s: sending again via %s",
              config_.name, socket->interface_name());
  }
  socket_error_.clear();
  socket_.emplace(std::move(*socket));
}

absl::Status SenderProbe::Start() {
  ReopenSocket();
  absl::StatusOr<net::TimerId> timer = loop_->AddAbsoluteTimer([this] {
    absl::MutexLock lock(mu_);
    OnTimer();
  });
  if (!timer.ok()) return timer.status();
  timer_ = *timer;
  return loop_->ArmAt(*timer_, sender_.pacer().NextDeadline());
}

void SenderProbe::OnTimer() {
  std::optional<int64_t> next = sender_.SendDue(net::MonotonicNanos());
  if (next) (void)loop_->ArmAt(*timer_, *next);
}

std::string SenderProbe::interface_name() const {
  if (!config_.interface.empty()) return config_.interface;
  return socket_ ? socket_->interface_name() : std::string();
}

SenderProbeView SenderProbe::View() const {
  SenderProbeView v;
  v.name = config_.name;
  v.group = config_.group.ToString();
  v.interface = interface_name();
  v.counters = sender_.counters();
  v.target_pps = config_.packets_per_second;
  v.ttl = config_.ttl;
  v.dscp = config_.dscp;
  return v;
}

}  // namespace mcast::exporter
